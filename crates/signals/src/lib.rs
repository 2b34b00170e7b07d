//! Per-series market maths on plain slices, with no IO and no heavy dependencies, so that the
//! server's feature pipeline and the browser's live charts run the very same code (this crate is
//! checked on `wasm32-unknown-unknown` in CI).
//!
//! Conventions, everywhere in the crate:
//! - an input series is one observation per trading day, oldest first;
//! - an output has the input's length, and `None` where the value is undefined (the warm-up of a
//!   window, a missing input): a missing value is never turned into zero;
//! - every output at index `t` reads inputs at indices `<= t` only (no look-ahead; tested).
//!
//! The indicators follow TA-Lib's definitions (<https://ta-lib.org/functions/>, C sources
//! `ta_func/ta_*.c`), including their seeding and alignment, and are tested against values the
//! TA-Lib C library computed.

pub mod calendar;
pub mod features;
pub mod indicators;
pub mod risk;
pub mod stats;
pub mod transform;

/// A series with undefined values, aligned with its input.
pub type Series = Vec<Option<f64>>;

pub use features::{token_features, FeatureColumn, PriceInput, FEATURE_NAMES};
