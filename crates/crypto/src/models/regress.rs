//! Next-day log-return regressors: ordinary least squares, ridge and lasso (elastic net with
//! l1 ratio 0 and 1). The close follows as `close_t · exp(predicted return)`.

use linfa::prelude::*;
use linfa_elasticnet::{ElasticNet, ElasticNetParams};
use linfa_linear::{FittedLinearRegression, LinearRegression};
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

use crate::CryptoError;

/// Which regressor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegressorKind {
    Linear,
    Ridge,
    Lasso,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RegressorParams {
    pub kind: RegressorKind,
    /// Penalty of ridge and lasso (on standardised features).
    pub penalty: f64,
}

impl RegressorParams {
    /// Default penalty 1e-3.
    pub fn new(kind: RegressorKind) -> Self {
        RegressorParams {
            kind,
            penalty: 1e-3,
        }
    }
}

pub enum FittedRegressor {
    Linear(FittedLinearRegression<f64>),
    ElasticNet(ElasticNet<f64>),
}

pub fn fit_regressor(
    p: &RegressorParams,
    x: Array2<f64>,
    y: Array1<f64>,
) -> Result<FittedRegressor, CryptoError> {
    let data = Dataset::new(x, y);
    let err = |e: &dyn std::fmt::Display| CryptoError::Model(e.to_string());
    Ok(match p.kind {
        RegressorKind::Linear => {
            FittedRegressor::Linear(LinearRegression::new().fit(&data).map_err(|e| err(&e))?)
        }
        RegressorKind::Ridge | RegressorKind::Lasso => {
            let l1_ratio = if p.kind == RegressorKind::Lasso {
                1.0
            } else {
                0.0
            };
            FittedRegressor::ElasticNet(
                ElasticNetParams::new()
                    .penalty(p.penalty)
                    .l1_ratio(l1_ratio)
                    .max_iterations(2000)
                    .fit(&data)
                    .map_err(|e| err(&e))?,
            )
        }
    })
}

impl FittedRegressor {
    pub fn predict_return(&self, x: &Array2<f64>) -> Vec<f64> {
        match self {
            FittedRegressor::Linear(m) => m.predict(x).to_vec(),
            FittedRegressor::ElasticNet(m) => m.predict(x).to_vec(),
        }
    }
}
