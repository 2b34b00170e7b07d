//! The crypto analytics of the server: stored daily prices as a polars frame, the per-token
//! feature frame every model reads (polars around the per-series maths of `mmi-signals`), a
//! token's exploratory statistics, and the market overview across tokens (joins of returns by day,
//! group-by metrics, correlations).
//!
//! Server-only: polars does not build for the browser, which instead runs `mmi-signals` directly.

mod dataset;
mod error;
mod features;
mod frame;
mod market;
pub mod models;
pub mod recommend;
pub mod registry;
pub mod sentiment;
mod token;
pub mod train;

pub use dataset::{latest_features, next_day_dataset, Dataset, LatestFeatures, MODEL_FEATURES};
pub use error::CryptoError;
pub use features::{feature_frame, KEY_COLUMNS};
pub use frame::{f64_column, prices_frame, str_column};
pub use market::{market_overview, market_overview_with, token_metrics, wide_by_day};
pub use token::{token_eda, DateRange, DEFAULT_RANGE_DAYS};
