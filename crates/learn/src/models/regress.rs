//! Next-day log-return regressors: ordinary least squares, ridge and lasso (elastic net with
//! l1 ratio 0 and 1), and a random forest of regression trees (smartcore: linfa has none). The
//! close follows as `close_t · exp(predicted return)`.

use linfa::prelude::*;
use linfa_elasticnet::{ElasticNet, ElasticNetParams};
use linfa_linear::{FittedLinearRegression, LinearRegression};
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};
use smartcore::ensemble::random_forest_regressor::{
    RandomForestRegressor, RandomForestRegressorParameters,
};
use smartcore::linalg::basic::matrix::DenseMatrix;

use crate::LearnError;

/// Which regressor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegressorKind {
    Linear,
    Ridge,
    Lasso,
    RandomForest,
}

impl RegressorKind {
    pub const ALL: [RegressorKind; 4] = [
        RegressorKind::Linear,
        RegressorKind::Ridge,
        RegressorKind::Lasso,
        RegressorKind::RandomForest,
    ];

    /// The name used in the registry and the API.
    pub fn name(self) -> &'static str {
        match self {
            RegressorKind::Linear => "linear",
            RegressorKind::Ridge => "ridge",
            RegressorKind::Lasso => "lasso",
            RegressorKind::RandomForest => "random_forest",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RegressorParams {
    pub kind: RegressorKind,
    /// Penalty of ridge and lasso (on standardised features).
    pub penalty: f64,
    pub max_depth: u16,
    pub min_leaf: usize,
    pub n_trees: usize,
    /// Features tried at each split of a forest's tree.
    pub features_per_split: usize,
    pub seed: u64,
}

impl RegressorParams {
    /// Defaults: penalty 1e-3; forests of 100 trees, depth 6, 50 rows a leaf, 9 features a split,
    /// seed 42.
    pub fn new(kind: RegressorKind) -> Self {
        RegressorParams {
            kind,
            penalty: 1e-3,
            max_depth: 6,
            min_leaf: 50,
            n_trees: 100,
            features_per_split: 9,
            seed: 42,
        }
    }

    /// The parameters that matter for this kind, as `(name, value)` pairs for the run record.
    pub fn describe(&self) -> Vec<(&'static str, String)> {
        match self.kind {
            RegressorKind::Linear => Vec::new(),
            RegressorKind::Ridge | RegressorKind::Lasso => {
                vec![("penalty", self.penalty.to_string())]
            }
            RegressorKind::RandomForest => vec![
                ("max_depth", self.max_depth.to_string()),
                ("min_leaf", self.min_leaf.to_string()),
                ("n_trees", self.n_trees.to_string()),
                ("features_per_split", self.features_per_split.to_string()),
                ("seed", self.seed.to_string()),
            ],
        }
    }
}

/// smartcore's forest over its own dense matrix.
pub type ForestRegressor = RandomForestRegressor<f64, f64, DenseMatrix<f64>, Vec<f64>>;

/// A fitted regressor; serialisable, so it can be stored as a run's artifact and served.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", content = "model", rename_all = "snake_case")]
pub enum FittedRegressor {
    Linear(FittedLinearRegression<f64>),
    ElasticNet(ElasticNet<f64>),
    RandomForest(ForestRegressor),
}

fn dense(x: &Array2<f64>) -> Result<DenseMatrix<f64>, LearnError> {
    let values: Vec<f64> = x.iter().copied().collect(); // row-major (standard layout)
    DenseMatrix::new(x.nrows(), x.ncols(), values, false)
        .map_err(|e| LearnError::Model(e.to_string()))
}

pub fn fit_regressor(
    p: &RegressorParams,
    x: Array2<f64>,
    y: Array1<f64>,
) -> Result<FittedRegressor, LearnError> {
    let err = |e: &dyn std::fmt::Display| LearnError::Model(e.to_string());
    if x.nrows() == 0 {
        return Err(LearnError::Model("no training rows".into()));
    }
    Ok(match p.kind {
        RegressorKind::Linear => FittedRegressor::Linear(
            LinearRegression::new()
                .fit(&Dataset::new(x, y))
                .map_err(|e| err(&e))?,
        ),
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
                    .fit(&Dataset::new(x, y))
                    .map_err(|e| err(&e))?,
            )
        }
        RegressorKind::RandomForest => {
            let params = RandomForestRegressorParameters {
                max_depth: Some(p.max_depth),
                min_samples_leaf: p.min_leaf,
                min_samples_split: 2 * p.min_leaf,
                n_trees: p.n_trees,
                m: Some(p.features_per_split.clamp(1, x.ncols())),
                keep_samples: false,
                seed: p.seed,
            };
            FittedRegressor::RandomForest(
                RandomForestRegressor::fit(&dense(&x)?, &y.to_vec(), params)
                    .map_err(|e| err(&e))?,
            )
        }
    })
}

impl FittedRegressor {
    pub fn predict(&self, x: &Array2<f64>) -> Result<Vec<f64>, LearnError> {
        Ok(match self {
            FittedRegressor::Linear(m) => m.predict(x).to_vec(),
            FittedRegressor::ElasticNet(m) => m.predict(x).to_vec(),
            FittedRegressor::RandomForest(m) => m
                .predict(&dense(x)?)
                .map_err(|e| LearnError::Model(e.to_string()))?,
        })
    }

    /// The signed coefficients on the (scaled) features of the linear models; `None` for the
    /// forest.
    pub fn coefficients(&self) -> Option<Vec<f64>> {
        match self {
            FittedRegressor::Linear(m) => Some(m.params().to_vec()),
            FittedRegressor::ElasticNet(m) => Some(m.hyperplane().to_vec()),
            FittedRegressor::RandomForest(_) => None,
        }
    }

    /// |coefficient| on standardised features for the linear models; `None` for the forest
    /// (smartcore keeps no impurity importances).
    pub fn own_importance(&self) -> Option<Vec<f64>> {
        match self {
            FittedRegressor::Linear(m) => Some(m.params().iter().map(|c| c.abs()).collect()),
            FittedRegressor::ElasticNet(m) => {
                Some(m.hyperplane().iter().map(|c| c.abs()).collect())
            }
            FittedRegressor::RandomForest(_) => None,
        }
    }
}
