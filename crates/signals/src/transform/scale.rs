//! Standard and min-max scaling.

use super::{check_shape, mean_var, Transform, TransformError};
use crate::Series;
use serde::{Deserialize, Serialize};

/// `(x - mean) / std` per column, with the mean and population standard deviation of the rows it
/// was fitted on. A column constant in training is only centred (scale 1, as scikit-learn does).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StandardScaler {
    pub means: Vec<f64>,
    pub scales: Vec<f64>,
}

impl StandardScaler {
    pub fn fit(columns: &[Series]) -> Result<Self, TransformError> {
        let mut means = Vec::with_capacity(columns.len());
        let mut scales = Vec::with_capacity(columns.len());
        for (i, column) in columns.iter().enumerate() {
            let (mean, var) = mean_var(column).ok_or(TransformError::EmptyColumn(i))?;
            means.push(mean);
            scales.push(if var > 0.0 { var.sqrt() } else { 1.0 });
        }
        Ok(StandardScaler { means, scales })
    }
}

impl Transform for StandardScaler {
    fn transform(&self, columns: &[Series]) -> Result<Vec<Series>, TransformError> {
        check_shape(columns, self.means.len())?;
        Ok(columns
            .iter()
            .zip(self.means.iter().zip(&self.scales))
            .map(|(c, (m, s))| c.iter().map(|v| v.map(|v| (v - m) / s)).collect())
            .collect())
    }
}

/// `(x - min) / (max - min)` per column with the training minimum and maximum: training rows land
/// in [0, 1], later rows may fall outside (they are not clipped, so a new high stays visible).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MinMaxScaler {
    pub mins: Vec<f64>,
    pub ranges: Vec<f64>,
}

impl MinMaxScaler {
    pub fn fit(columns: &[Series]) -> Result<Self, TransformError> {
        let mut mins = Vec::with_capacity(columns.len());
        let mut ranges = Vec::with_capacity(columns.len());
        for (i, column) in columns.iter().enumerate() {
            let values = column.iter().flatten().copied().filter(|v| v.is_finite());
            let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            });
            if lo > hi {
                return Err(TransformError::EmptyColumn(i));
            }
            mins.push(lo);
            ranges.push(if hi > lo { hi - lo } else { 1.0 });
        }
        Ok(MinMaxScaler { mins, ranges })
    }
}

impl Transform for MinMaxScaler {
    fn transform(&self, columns: &[Series]) -> Result<Vec<Series>, TransformError> {
        check_shape(columns, self.mins.len())?;
        Ok(columns
            .iter()
            .zip(self.mins.iter().zip(&self.ranges))
            .map(|(c, (lo, r))| c.iter().map(|v| v.map(|v| (v - lo) / r)).collect())
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transform::slice_rows;
    use approx::assert_relative_eq;

    fn columns() -> Vec<Series> {
        vec![
            vec![Some(1.0), Some(2.0), Some(3.0), None, Some(100.0)],
            vec![Some(5.0), Some(5.0), Some(5.0), Some(5.0), Some(7.0)],
        ]
    }

    #[test]
    fn standard_scaler_uses_training_rows_only() {
        let train = slice_rows(&columns(), 0..4);
        let scaler = StandardScaler::fit(&train).unwrap();
        // Training column 0 = (1, 2, 3): mean 2, population sd sqrt(2/3). The outlier in the test
        // row does not move the fitted values.
        assert_relative_eq!(scaler.means[0], 2.0);
        assert_relative_eq!(scaler.scales[0], (2.0f64 / 3.0).sqrt());
        assert_eq!(
            scaler.scales[1], 1.0,
            "a constant training column is only centred"
        );
        let out = scaler.transform(&columns()).unwrap();
        assert_eq!(out[0][3], None, "missing stays missing");
        assert_relative_eq!(out[0][4].unwrap(), 98.0 / (2.0f64 / 3.0).sqrt());
        assert_relative_eq!(out[1][4].unwrap(), 2.0);
    }

    #[test]
    fn min_max_scaler_uses_training_rows_only() {
        let scaler = MinMaxScaler::fit(&slice_rows(&columns(), 0..4)).unwrap();
        let out = scaler.transform(&columns()).unwrap();
        assert_eq!(out[0][..3], [Some(0.0), Some(0.5), Some(1.0)]);
        assert_relative_eq!(out[0][4].unwrap(), 49.5, epsilon = 1e-12);
    }

    #[test]
    fn shape_errors_are_reported() {
        let scaler = StandardScaler::fit(&columns()).unwrap();
        assert_eq!(
            scaler.transform(&columns()[..1]),
            Err(TransformError::ColumnCount {
                expected: 2,
                got: 1
            })
        );
        assert_eq!(
            StandardScaler::fit(&[vec![None, None]]),
            Err(TransformError::EmptyColumn(0))
        );
    }
}
