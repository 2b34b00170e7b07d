//! What every model of the project shares, whatever library fits it (linfa, candle): honest
//! time-ordered evaluation.
//!
//! - [`split`]: a final hold-out period and purged walk-forward folds with an embargo, over time
//!   indices (so panel data of many tokens splits by date, never by row);
//! - [`metrics`]: regression (MSE, RMSE, MAE, MAPE, R²) and classification (confusion matrix,
//!   accuracy, precision, recall, F1, ROC-AUC, PR-AUC, the curves);
//! - [`ci`]: 95% intervals: moving-block bootstrap (returns are autocorrelated in volatility, so
//!   resampling single days would understate the spread) and Wilson's binomial interval;
//! - [`baseline`]: the naive forecasts every model is shown beside (persistence, always-up,
//!   majority class) and the verdict whether a model beats one;
//! - [`grid`]: grid search over hyperparameters on walk-forward folds;
//! - [`importance`]: permutation importance for any fitted model;
//! - [`models`]: the classical classifiers and regressors (linfa, smartcore) behind one
//!   params → fit → predict shape, shared by the crypto and nutrition models.
//!
//! Every random choice takes a seed.

pub mod baseline;
pub mod ci;
pub mod grid;
pub mod importance;
pub mod metrics;
pub mod models;
pub mod progress;
pub mod split;

/// Why an evaluation could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LearnError {
    #[error("predictions ({predictions}) and targets ({targets}) differ in length")]
    LengthMismatch { predictions: usize, targets: usize },
    #[error("no samples to evaluate")]
    Empty,
    #[error("{0}")]
    InvalidSplit(String),
    /// A model could not be fitted or applied.
    #[error("model: {0}")]
    Model(String),
}
