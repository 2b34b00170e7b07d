//! The request-time layer: everything a REST handler or a server function does after parsing
//! its input. [`Services`] publishes a [`Snapshot`] built once per data version and model
//! versions (the prices and latest feature rows of every token, the market overviews, the
//! foods, the loaded models, the meal catalogue, the sentiment index, the reports) and answers
//! requests from it; [`ServeError`] is the one error both adapters map.
//!
//! Server-only. The domain crates compute; `mmi-store` reads; this crate decides what is built
//! when, and never recomputes per request what changes only at import or training time.

mod crypto;
mod error;
mod nutrition;
mod recipes;
mod recommend;
mod reports;
mod sentiment;
mod services;
pub mod snapshot;

pub use error::ServeError;
pub use recipes::DEFAULT_ACTIVITY;
pub use sentiment::validate_texts;
pub use services::Services;
pub use snapshot::{Snapshot, TOP_ITEMS};
