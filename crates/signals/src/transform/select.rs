//! Feature selection: drop near-constant columns, then columns that duplicate a kept one.

use super::{check_shape, mean_var, Transform, TransformError};
use crate::stats::pearson;
use crate::Series;
use serde::{Deserialize, Serialize};

/// Keeps the columns whose training variance exceeds a threshold (scikit-learn's
/// `VarianceThreshold`); a column with no defined training value is dropped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VarianceThreshold {
    pub n_columns: usize,
    /// Indices of the kept columns, in order.
    pub kept: Vec<usize>,
}

impl VarianceThreshold {
    pub fn fit(columns: &[Series], threshold: f64) -> Self {
        let kept = columns
            .iter()
            .enumerate()
            .filter(|(_, c)| mean_var(c).is_some_and(|(_, var)| var > threshold))
            .map(|(i, _)| i)
            .collect();
        VarianceThreshold {
            n_columns: columns.len(),
            kept,
        }
    }
}

/// Keeps columns in order, skipping any whose absolute Pearson correlation with an already kept
/// column exceeds `max_abs_correlation` on the training rows (so the earlier-listed of a
/// correlated pair wins: list features from most to least preferred).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrelationFilter {
    pub n_columns: usize,
    pub kept: Vec<usize>,
}

impl CorrelationFilter {
    pub fn fit(columns: &[Series], max_abs_correlation: f64) -> Self {
        let mut kept: Vec<usize> = Vec::new();
        for (i, column) in columns.iter().enumerate() {
            let redundant = kept.iter().any(|&j| {
                pearson(column, &columns[j]).is_some_and(|r| r.abs() > max_abs_correlation)
            });
            if !redundant {
                kept.push(i);
            }
        }
        CorrelationFilter {
            n_columns: columns.len(),
            kept,
        }
    }
}

fn select(
    columns: &[Series],
    n_columns: usize,
    kept: &[usize],
) -> Result<Vec<Series>, TransformError> {
    check_shape(columns, n_columns)?;
    Ok(kept.iter().map(|&i| columns[i].clone()).collect())
}

impl Transform for VarianceThreshold {
    fn transform(&self, columns: &[Series]) -> Result<Vec<Series>, TransformError> {
        select(columns, self.n_columns, &self.kept)
    }
}

impl Transform for CorrelationFilter {
    fn transform(&self, columns: &[Series]) -> Result<Vec<Series>, TransformError> {
        select(columns, self.n_columns, &self.kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[f64]) -> Series {
        v.iter().copied().map(Some).collect()
    }

    #[test]
    fn variance_threshold_drops_constant_columns() {
        let cols = vec![
            s(&[1.0, 2.0, 3.0]),
            s(&[4.0, 4.0, 4.0]),
            vec![None, None, None],
        ];
        let fitted = VarianceThreshold::fit(&cols, 0.0);
        assert_eq!(fitted.kept, vec![0]);
        assert_eq!(fitted.transform(&cols).unwrap(), vec![s(&[1.0, 2.0, 3.0])]);
    }

    #[test]
    fn correlation_filter_keeps_the_first_of_a_correlated_pair() {
        let a = s(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        let twice_a = s(&[2.0, 4.0, 6.0, 8.0, 10.1]);
        let other = s(&[3.0, 1.0, 4.0, 1.0, 5.0]);
        let fitted = CorrelationFilter::fit(&[a, twice_a, other], 0.95);
        assert_eq!(fitted.kept, vec![0, 2]);
    }
}
