//! Metrics of predictions against held-out truth.

mod classification;
mod clustering;
mod multiclass;
mod multilabel;
pub mod ranking;
mod regression;

pub use classification::{
    average_precision, confusion, pr_curve, roc_auc, roc_curve, ClassificationMetrics, Confusion,
};
pub use clustering::{adjusted_rand_index, silhouette};
pub use multiclass::{ClassScores, ConfusionMatrix, MultiClassMetrics};
pub use multilabel::MultiLabelMetrics;
pub use regression::{mae, mape, mse, r2, rmse, RegressionMetrics};

use crate::LearnError;

fn check<A, B>(predictions: &[A], targets: &[B]) -> Result<(), LearnError> {
    if predictions.len() != targets.len() {
        return Err(LearnError::LengthMismatch {
            predictions: predictions.len(),
            targets: targets.len(),
        });
    }
    if predictions.is_empty() {
        return Err(LearnError::Empty);
    }
    Ok(())
}
