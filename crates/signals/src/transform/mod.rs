//! Fitted feature transforms: fit on the training rows only, then apply the same fitted values to
//! any rows (validation, test, tomorrow). Columns are `Series` (missing values stay `None`).

mod scale;
mod select;

pub use scale::{MinMaxScaler, StandardScaler};
pub use select::{CorrelationFilter, VarianceThreshold};

use crate::Series;

/// Why a transform could not be fitted or applied.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TransformError {
    #[error("column {0} has no defined value in the rows the transform was fitted on")]
    EmptyColumn(usize),
    #[error("expected {expected} columns, got {got}")]
    ColumnCount { expected: usize, got: usize },
    #[error("the columns have different lengths")]
    RaggedColumns,
}

/// A transform fitted on training rows that maps columns to columns.
pub trait Transform {
    fn transform(&self, columns: &[Series]) -> Result<Vec<Series>, TransformError>;
}

/// The rows `range` of every column (e.g. the training period of a time-ordered split).
pub fn slice_rows(columns: &[Series], range: std::ops::Range<usize>) -> Vec<Series> {
    columns.iter().map(|c| c[range.clone()].to_vec()).collect()
}

fn check_shape(columns: &[Series], expected: usize) -> Result<(), TransformError> {
    if columns.len() != expected {
        return Err(TransformError::ColumnCount {
            expected,
            got: columns.len(),
        });
    }
    match columns.first() {
        Some(first) if columns.iter().any(|c| c.len() != first.len()) => {
            Err(TransformError::RaggedColumns)
        }
        _ => Ok(()),
    }
}

/// Mean and population variance of the defined values of a column.
fn mean_var(column: &[Option<f64>]) -> Option<(f64, f64)> {
    let values: Vec<f64> = column
        .iter()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    if values.is_empty() {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    Some((mean, var))
}
