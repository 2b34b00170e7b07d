//! The classical models of the next day (direction classifiers and return regressors from
//! `mmi_learn::models`), on features standardised with the training rows' statistics
//! only; and the clustering of tokens.

mod cluster;
pub mod recurrent;
pub mod training;

pub use cluster::{cluster_tokens, ClusterParams};
pub use mmi_learn::models::{
    fit_classifier, fit_regressor, ClassifierKind, ClassifierParams, FittedClassifier,
    FittedRegressor, Forest, ForestRegressor, RegressorKind, RegressorParams,
};

use mmi_signals::transform::{StandardScaler, Transform};
use ndarray::Array2;

use crate::{CryptoError, Dataset};

/// The dataset's feature columns in the transforms' column type.
fn as_series(data: &Dataset) -> Vec<Vec<Option<f64>>> {
    data.columns
        .iter()
        .map(|c| c.iter().map(|v| Some(*v)).collect())
        .collect()
}

/// The dataset's features as a row-major matrix, standardised by `scaler`.
pub fn design_matrix(data: &Dataset, scaler: &StandardScaler) -> Result<Array2<f64>, CryptoError> {
    let scaled = scaler
        .transform(&as_series(data))
        .map_err(|e| CryptoError::Model(e.to_string()))?;
    let (n, p) = (data.n_rows(), scaled.len());
    // A `Dataset` has no missing feature (`next_day_dataset` leaves such rows out) and the scaler
    // keeps every defined value defined, so the fallback is never taken.
    Ok(Array2::from_shape_fn((n, p), |(i, j)| {
        scaled[j][i].unwrap_or(0.0)
    }))
}

/// A scaler fitted on `train`'s features.
pub fn fit_scaler(train: &Dataset) -> Result<StandardScaler, CryptoError> {
    StandardScaler::fit(&as_series(train)).map_err(|e| CryptoError::Model(e.to_string()))
}
