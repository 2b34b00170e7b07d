//! What can go wrong in the crypto analytics.

use polars::prelude::PolarsError;

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// No stored prices for this symbol.
    #[error("no prices for token {0:?}")]
    UnknownToken(String),
    /// Nothing imported yet.
    #[error("no price data: import data first")]
    NoData,
    /// A date that is not `YYYY-MM-DD`, or a range that ends before it starts.
    #[error("invalid date range: {0}")]
    InvalidRange(String),
    /// A model could not be fitted or applied.
    #[error("model: {0}")]
    Model(String),
    #[error(transparent)]
    Learn(#[from] mmi_learn::LearnError),
    #[error(transparent)]
    Store(#[from] mmi_store::StoreError),
    #[error("data frame: {0}")]
    Frame(#[from] PolarsError),
}
