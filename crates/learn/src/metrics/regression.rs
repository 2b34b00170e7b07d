//! Regression metrics.

use serde::{Deserialize, Serialize};

use super::check;
use crate::LearnError;

/// The regression metrics of one evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegressionMetrics {
    pub n: usize,
    pub mse: f64,
    pub rmse: f64,
    pub mae: f64,
    /// Mean absolute percentage error over the targets that are not zero; `None` if all are.
    pub mape: Option<f64>,
    /// `None` for constant targets (no variance to explain).
    pub r2: Option<f64>,
}

impl RegressionMetrics {
    pub fn compute(predictions: &[f64], targets: &[f64]) -> Result<Self, LearnError> {
        check(predictions, targets)?;
        let mse = mse(predictions, targets);
        Ok(RegressionMetrics {
            n: targets.len(),
            mse,
            rmse: mse.sqrt(),
            mae: mae(predictions, targets),
            mape: mape(predictions, targets),
            r2: r2(predictions, targets),
        })
    }
}

fn mean(values: impl ExactSizeIterator<Item = f64>) -> f64 {
    let n = values.len() as f64;
    values.sum::<f64>() / n
}

/// Mean squared error.
pub fn mse(predictions: &[f64], targets: &[f64]) -> f64 {
    mean(
        predictions
            .iter()
            .zip(targets)
            .map(|(p, t)| (p - t).powi(2)),
    )
}

/// Root mean squared error.
pub fn rmse(predictions: &[f64], targets: &[f64]) -> f64 {
    mse(predictions, targets).sqrt()
}

/// Mean absolute error.
pub fn mae(predictions: &[f64], targets: &[f64]) -> f64 {
    mean(predictions.iter().zip(targets).map(|(p, t)| (p - t).abs()))
}

/// Mean absolute percentage error, as a fraction (0.05 = 5%), over non-zero targets.
pub fn mape(predictions: &[f64], targets: &[f64]) -> Option<f64> {
    let terms: Vec<f64> = predictions
        .iter()
        .zip(targets)
        .filter(|(_, t)| **t != 0.0)
        .map(|(p, t)| ((p - t) / t).abs())
        .collect();
    (!terms.is_empty()).then(|| mean(terms.into_iter()))
}

/// Coefficient of determination, `1 - SS_res / SS_tot` (negative when worse than the mean).
pub fn r2(predictions: &[f64], targets: &[f64]) -> Option<f64> {
    let m = mean(targets.iter().copied());
    let ss_tot: f64 = targets.iter().map(|t| (t - m).powi(2)).sum();
    let ss_res: f64 = predictions
        .iter()
        .zip(targets)
        .map(|(p, t)| (t - p).powi(2))
        .sum();
    (ss_tot > 0.0).then(|| 1.0 - ss_res / ss_tot)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn by_hand() {
        // Errors: 1, -1, 2, 0 -> MSE 6/4 = 1.5, MAE 1.0. Targets 2, 4, 5, 9: mean 5, SS_tot = 9+1+0+16 = 26,
        // SS_res = 6 -> R² = 1 - 6/26. MAPE = (1/2 + 1/4 + 2/5 + 0) / 4.
        let p = [3.0, 3.0, 7.0, 9.0];
        let t = [2.0, 4.0, 5.0, 9.0];
        let m = RegressionMetrics::compute(&p, &t).unwrap();
        assert_relative_eq!(m.mse, 1.5);
        assert_relative_eq!(m.rmse, 1.5f64.sqrt());
        assert_relative_eq!(m.mae, 1.0);
        assert_relative_eq!(m.r2.unwrap(), 1.0 - 6.0 / 26.0);
        assert_relative_eq!(m.mape.unwrap(), (0.5 + 0.25 + 0.4) / 4.0);
    }

    #[test]
    fn degenerate_inputs() {
        assert_eq!(
            RegressionMetrics::compute(&[1.0], &[1.0, 2.0]),
            Err(LearnError::LengthMismatch {
                predictions: 1,
                targets: 2
            })
        );
        assert_eq!(RegressionMetrics::compute(&[], &[]), Err(LearnError::Empty));
        let flat = RegressionMetrics::compute(&[1.0, 2.0], &[3.0, 3.0]).unwrap();
        assert_eq!(flat.r2, None);
        assert_eq!(mape(&[1.0], &[0.0]), None);
    }
}
