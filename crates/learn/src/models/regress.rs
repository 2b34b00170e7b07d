//! Next-day log-return regressors: ordinary least squares, ridge (closed form, below), lasso
//! (linfa's elastic net with l1 ratio 1), and a random forest of regression trees (smartcore:
//! linfa has none). The close follows as `close_t · exp(predicted return)`.

use linfa::prelude::*;
use linfa_elasticnet::{ElasticNet, ElasticNetParams};
use linfa_linalg::cholesky::SolveCInplace;
use linfa_linear::{FittedLinearRegression, LinearRegression};
use ndarray::{Array1, Array2, Axis};
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
/// (Ridge models registered before the closed form are `ElasticNet` with l1 ratio 0 and still
/// load.)
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", content = "model", rename_all = "snake_case")]
pub enum FittedRegressor {
    Linear(FittedLinearRegression<f64>),
    Ridge(Ridge),
    ElasticNet(ElasticNet<f64>),
    RandomForest(ForestRegressor),
}

/// Ridge regression with an unpenalised intercept, minimising
/// `‖y − Xw − b‖² / 2n + λ‖w‖² / 2`: linfa's elastic-net objective with l1 ratio 0, solved in
/// closed form, `(XcᵀXc / n + λI) w = Xcᵀyc / n` on centred data (Cholesky), instead of by
/// coordinate descent (milliseconds for the crypto features' 33 columns, where descent took
/// seconds per fit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ridge {
    pub intercept: f64,
    pub coefficients: Array1<f64>,
}

impl Ridge {
    pub fn fit(x: &Array2<f64>, y: &Array1<f64>, penalty: f64) -> Result<Ridge, LearnError> {
        let n = x.nrows();
        if n == 0 || y.len() != n {
            return Err(LearnError::Model(format!(
                "ridge needs matching rows: {n} feature rows, {} targets",
                y.len()
            )));
        }
        if penalty.is_nan() || penalty <= 0.0 {
            return Err(LearnError::Model(format!(
                "ridge needs a positive penalty, got {penalty}"
            )));
        }
        let x_mean = x.mean_axis(Axis(0)).expect("rows checked above");
        let y_mean = y.mean().expect("rows checked above");
        let xc = x - &x_mean;
        let yc = y - y_mean;
        let mut gram = xc.t().dot(&xc) / n as f64;
        gram.diag_mut().mapv_inplace(|d| d + penalty);
        let mut rhs = (xc.t().dot(&yc) / n as f64).insert_axis(Axis(1));
        // Decomposes `gram` in place (Cholesky), then solves for `rhs`.
        gram.solvec_inplace(&mut rhs)
            .map_err(|e| LearnError::Model(format!("ridge: {e}")))?;
        let coefficients = rhs.index_axis_move(Axis(1), 0);
        let intercept = y_mean - x_mean.dot(&coefficients);
        Ok(Ridge {
            intercept,
            coefficients,
        })
    }

    pub fn predict(&self, x: &Array2<f64>) -> Array1<f64> {
        x.dot(&self.coefficients) + self.intercept
    }
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
        RegressorKind::Ridge => FittedRegressor::Ridge(Ridge::fit(&x, &y, p.penalty)?),
        RegressorKind::Lasso => FittedRegressor::ElasticNet(
            ElasticNetParams::new()
                .penalty(p.penalty)
                .l1_ratio(1.0)
                .max_iterations(2000)
                .fit(&Dataset::new(x, y))
                .map_err(|e| err(&e))?,
        ),
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
            FittedRegressor::Ridge(m) => m.predict(x).to_vec(),
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
            FittedRegressor::Ridge(m) => Some(m.coefficients.to_vec()),
            FittedRegressor::ElasticNet(m) => Some(m.hyperplane().to_vec()),
            FittedRegressor::RandomForest(_) => None,
        }
    }

    /// |coefficient| on standardised features for the linear models; `None` for the forest
    /// (smartcore keeps no impurity importances).
    pub fn own_importance(&self) -> Option<Vec<f64>> {
        match self {
            FittedRegressor::Linear(m) => Some(m.params().iter().map(|c| c.abs()).collect()),
            FittedRegressor::Ridge(m) => Some(m.coefficients.iter().map(|c| c.abs()).collect()),
            FittedRegressor::ElasticNet(m) => {
                Some(m.hyperplane().iter().map(|c| c.abs()).collect())
            }
            FittedRegressor::RandomForest(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    /// 200 rows of 4 correlated features with a known linear signal and deterministic noise.
    fn data() -> (Array2<f64>, Array1<f64>) {
        let x = Array2::from_shape_fn((200, 4), |(i, j)| {
            let t = i as f64;
            ((t * 0.37 + j as f64).sin() * 2.0 + (t * 0.11 * (j + 1) as f64).cos()) * (j + 1) as f64
        });
        let w = array![0.5, -1.0, 0.25, 2.0];
        let noise = Array1::from_shape_fn(200, |i| ((i * 7919) % 101) as f64 / 101.0 - 0.5);
        let y = x.dot(&w) + 3.0 + noise;
        (x, y)
    }

    /// `‖y − Xw − b‖² / 2n + λ‖w‖² / 2`, the objective both solvers minimise.
    fn objective(x: &Array2<f64>, y: &Array1<f64>, w: &Array1<f64>, b: f64, penalty: f64) -> f64 {
        let r = y - &(x.dot(w) + b);
        r.dot(&r) / (2.0 * y.len() as f64) + penalty * w.dot(w) / 2.0
    }

    #[test]
    fn ridge_in_closed_form_is_the_optimum_the_elastic_net_approaches() {
        let (x, y) = data();
        let n = y.len() as f64;
        for penalty in [1e-3, 0.1, 1.0] {
            let closed = Ridge::fit(&x, &y, penalty).unwrap();
            // Stationarity: the gradient of the objective is zero at the solution.
            let residual = &y - &closed.predict(&x);
            assert!(residual.sum().abs() / n < 1e-9, "intercept gradient");
            let gradient = x.t().dot(&residual) / n - &closed.coefficients * penalty;
            assert!(
                gradient.iter().all(|g| g.abs() < 1e-9),
                "penalty {penalty}: {gradient}"
            );
            // linfa's coordinate descent (l1 ratio 0) gets close and never lower.
            let descent = ElasticNetParams::new()
                .penalty(penalty)
                .l1_ratio(0.0)
                .max_iterations(100_000)
                .fit(&Dataset::new(x.clone(), y.clone()))
                .unwrap();
            let (ours, theirs) = (
                objective(&x, &y, &closed.coefficients, closed.intercept, penalty),
                objective(
                    &x,
                    &y,
                    &descent.hyperplane().to_owned(),
                    descent.intercept(),
                    penalty,
                ),
            );
            assert!(
                ours <= theirs + 1e-12,
                "penalty {penalty}: {ours} vs {theirs}"
            );
            assert!(
                (ours - theirs) / theirs < 1e-3,
                "penalty {penalty}: {ours} vs {theirs}"
            );
            for (a, b) in closed.coefficients.iter().zip(descent.hyperplane()) {
                assert!(
                    (a - b).abs() < 0.02 * (1.0 + b.abs()),
                    "penalty {penalty}: {a} vs {b}"
                );
            }
        }
    }

    #[test]
    fn ridge_shrinks_towards_zero_as_the_penalty_grows_and_tends_to_least_squares() {
        let (x, y) = data();
        let ols = LinearRegression::new()
            .fit(&Dataset::new(x.clone(), y.clone()))
            .unwrap();
        let tiny = Ridge::fit(&x, &y, 1e-10).unwrap();
        for (a, b) in tiny.coefficients.iter().zip(ols.params()) {
            assert!((a - b).abs() < 1e-6, "{a} vs {b}");
        }
        let norms: Vec<f64> = [1e-3, 1.0, 100.0]
            .iter()
            .map(|&l| {
                Ridge::fit(&x, &y, l)
                    .unwrap()
                    .coefficients
                    .mapv(|c| c * c)
                    .sum()
            })
            .collect();
        assert!(norms[0] > norms[1] && norms[1] > norms[2], "{norms:?}");
    }

    #[test]
    fn ridge_rejects_what_it_cannot_fit() {
        let (x, y) = data();
        assert!(Ridge::fit(&x, &y, 0.0).is_err());
        assert!(Ridge::fit(&x, &y, f64::NAN).is_err());
        let ten = x.select(Axis(0), &(0..10).collect::<Vec<_>>());
        assert!(Ridge::fit(&ten, &y, 1.0).is_err());
    }

    #[test]
    fn a_fitted_ridge_round_trips_through_its_artifact() {
        let (x, y) = data();
        let fitted =
            fit_regressor(&RegressorParams::new(RegressorKind::Ridge), x.clone(), y).unwrap();
        let bytes = serde_json::to_vec(&fitted).unwrap();
        let back: FittedRegressor = serde_json::from_slice(&bytes).unwrap();
        let (before, after) = (fitted.predict(&x).unwrap(), back.predict(&x).unwrap());
        assert!(before.iter().zip(&after).all(|(a, b)| (a - b).abs() < 1e-9));
        assert!(matches!(back, FittedRegressor::Ridge(_)));
    }
}
