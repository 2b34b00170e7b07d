//! `server train crypto`: every model of the plan, tuned by grid search on purged walk-forward
//! folds, scored on a dated hold-out beside its naive baselines with 95% intervals, explained by
//! permutation importance and learning curves, then refitted on every labelled day for serving.
//!
//! The result is a [`ModelReport`] (what the comparison page draws) and one [`TrainedModel`] per
//! model (params, metrics with steps, and the serialised [`ServedModel`] the API loads). Recording
//! them is the caller's job (`mmi-store`'s tracking tables), so this stays a pure computation.

mod direction;
mod panel;
mod returns;
pub mod sequence;

use mmi_learn::split::{distinct_times, HoldOut, PurgedWalkForward};
use mmi_signals::transform::StandardScaler;
use mmi_types::{ModelReport, ModelResult, ModelTask, SplitSummary};
use ndarray::Array2;
use serde::{Deserialize, Serialize};

use crate::models::recurrent::{Cell, RecurrentConfig};
use crate::models::{
    cluster_tokens, design_matrix, ClassifierKind, ClusterParams, FittedClassifier,
    FittedRegressor, RegressorKind,
};
use crate::{CryptoError, Dataset, MODEL_FEATURES};

pub use direction::verdict;
pub use mmi_learn::progress::{Silent, TrainProgress};
pub use panel::{estimate, Panel};

/// The experiment every crypto training run is recorded under.
pub const EXPERIMENT: &str = "crypto-next-day";
/// The parent run's name; its [`REPORT_ARTIFACT`] is what the comparison page shows.
pub const PARENT_RUN: &str = "train crypto";
pub const REPORT_ARTIFACT: &str = "report.json";

/// What a training run does; [`TrainConfig::full`] for `server train crypto`,
/// [`TrainConfig::quick`] for tests.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainConfig {
    pub hold_out: HoldOut,
    pub cv: PurgedWalkForward,
    /// Blocks of days for the hold-out intervals (rows of a day stay together).
    pub bootstrap_block_days: usize,
    pub bootstrap_resamples: usize,
    pub importance_repeats: usize,
    /// Shares of the last fold's training days for the learning curves.
    pub learning_fractions: Vec<f64>,
    /// Tokens whose hold-out closes are drawn (predicted vs actual).
    pub focus: Vec<String>,
    pub classifiers: Vec<ClassifierKind>,
    pub regressors: Vec<RegressorKind>,
    /// The recurrent networks (LSTM, GRU), each tuned over window lengths.
    pub recurrent: Vec<RecurrentConfig>,
    /// Small grids and forests: the whole pipeline in a fraction of the time.
    pub quick: bool,
    pub clusters: Option<ClusterParams>,
    pub seed: u64,
}

impl TrainConfig {
    /// Hold-out: the last 180 days, purged by the 1-day label. CV: 4 walk-forward folds of 90 days
    /// before it, each with a 5-day embargo, at least a year of training.
    pub fn full() -> Self {
        TrainConfig {
            hold_out: HoldOut {
                test_size: 180,
                label_horizon: 1,
                embargo: 0,
            },
            cv: PurgedWalkForward {
                n_folds: 4,
                test_size: 90,
                label_horizon: 1,
                embargo: 5,
                min_train: 365,
            },
            bootstrap_block_days: 10,
            bootstrap_resamples: 1000,
            importance_repeats: 3,
            learning_fractions: vec![0.1, 0.25, 0.5, 1.0],
            focus: vec!["BTC".into(), "ETH".into()],
            classifiers: ClassifierKind::ALL.to_vec(),
            regressors: RegressorKind::ALL.to_vec(),
            recurrent: [Cell::Lstm, Cell::Gru]
                .map(|cell| RecurrentConfig {
                    cell,
                    window: 14,
                    hidden: 32,
                    layers: 2,
                    dropout: 0.2,
                    learning_rate: 2e-3,
                    weight_decay: 1e-4,
                    batch_size: 256,
                    max_epochs: 30,
                    patience: 4,
                    seed: 42,
                })
                .to_vec(),
            quick: false,
            clusters: Some(ClusterParams::default()),
            seed: 42,
        }
    }

    /// Every model and every output, on one-candidate grids, 2 folds and small forests.
    pub fn quick() -> Self {
        TrainConfig {
            cv: PurgedWalkForward {
                n_folds: 2,
                ..TrainConfig::full().cv
            },
            bootstrap_resamples: 200,
            importance_repeats: 1,
            learning_fractions: vec![0.25, 1.0],
            recurrent: TrainConfig::full()
                .recurrent
                .into_iter()
                .map(|r| RecurrentConfig {
                    window: 7,
                    hidden: 8,
                    layers: 2,
                    max_epochs: 2,
                    ..r
                })
                .collect(),
            quick: true,
            ..TrainConfig::full()
        }
    }
}

/// The weights of a model as the API serves them: its features' scaler and the fitted model.
#[derive(Debug, Serialize, Deserialize)]
pub struct ServedModel {
    pub task: ModelTask,
    pub name: String,
    pub features: Vec<String>,
    pub scaler: StandardScaler,
    /// The last feature day of the rows it was fitted on.
    pub trained_through: String,
    pub model: ServedWeights,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "task", content = "weights", rename_all = "snake_case")]
pub enum ServedWeights {
    Direction(FittedClassifier),
    Return(FittedRegressor),
}

impl ServedModel {
    /// Checks that the model reads the features this build computes.
    pub fn check_features(&self) -> Result<(), CryptoError> {
        if self.features.iter().map(String::as_str).eq(MODEL_FEATURES) {
            Ok(())
        } else {
            Err(CryptoError::Model(format!(
                "model {} was trained on other features ({} columns); train again",
                self.name,
                self.features.len()
            )))
        }
    }

    /// Probability of up (direction models) or predicted log return (return models) of one row
    /// of unscaled features in [`MODEL_FEATURES`] order.
    pub fn predict_one(&self, features: &[f64]) -> Result<f64, CryptoError> {
        let data = Dataset {
            columns: features.iter().map(|v| vec![*v]).collect(),
            symbols: vec![String::new()],
            days: vec![String::new()],
            close: vec![0.0],
            next_day: vec![String::new()],
            next_close: vec![0.0],
            next_log_return: vec![0.0],
            next_up: vec![false],
        };
        let x: Array2<f64> = design_matrix(&data, &self.scaler)?;
        let out = match &self.model {
            ServedWeights::Direction(m) => m.probability_up(&x),
            ServedWeights::Return(m) => m.predict(&x)?,
        };
        out.first()
            .copied()
            .filter(|v| v.is_finite())
            .ok_or_else(|| CryptoError::Model(format!("model {} gave no prediction", self.name)))
    }
}

/// One trained model, ready to be recorded as a run and registered as a version.
pub struct TrainedModel {
    pub task: ModelTask,
    pub name: String,
    pub params: Vec<(String, String)>,
    /// `(key, step, value)`; step 0 for single values, the fold or training size for series.
    pub metrics: Vec<(String, i64, f64)>,
    /// The walk-forward score, higher is better (ROC-AUC; minus the RMSE for returns).
    pub cv_score: f64,
    /// The JSON of its [`ServedModel`] (of a recurrent model: its [`sequence::ServedSequence`]).
    pub artifact: Vec<u8>,
    /// Further artifacts `(name, media type, content)`: a network's safetensors.
    pub extra_artifacts: Vec<(String, String, Vec<u8>)>,
    /// A registry task of its own (the recurrent models, which `POST /api/predict` does not
    /// serve); `None`: its task's, competing for serving on `cv_score`.
    pub own_task: Option<&'static str>,
    /// When its training started and ended (RFC 3339, UTC): the times of its tracked run.
    pub started_at: String,
    pub ended_at: String,
}

/// Now, as tracked runs record times.
pub(crate) fn utc_now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub struct TrainOutcome {
    pub report: ModelReport,
    pub models: Vec<TrainedModel>,
}

/// Trains and evaluates everything `config` lists on `data` (the whole panel, every token).
/// `log_returns` (`symbol`, `day`, `log_ret_1` of the feature frame) feed the clustering.
pub fn train_all(
    data: &Dataset,
    log_returns: (&[String], &[String], &[Option<f64>]),
    config: &TrainConfig,
    progress: &dyn TrainProgress,
) -> Result<TrainOutcome, CryptoError> {
    let panel = Panel::new(data, config)?;
    let mut models = Vec::new();
    let mut results: Vec<ModelResult> = Vec::new();
    results.extend(direction::baselines(&panel, config));
    for &kind in &config.classifiers {
        let (result, trained) = direction::train(&panel, kind, config, progress)?;
        progress.finish(kind.name(), &one_line(&result));
        results.push(result);
        models.push(trained);
    }
    results.extend(returns::baselines(&panel, config));
    for &kind in &config.regressors {
        let (result, trained) = returns::train(&panel, kind, config, progress)?;
        progress.finish(kind.name(), &one_line(&result));
        results.push(result);
        models.push(trained);
    }
    for &recurrent in &config.recurrent {
        let (rows, trained) = sequence::train(&panel, recurrent, config, progress)?;
        // Each network's rows go after its task's other models.
        for row in rows {
            let at = results
                .iter()
                .rposition(|r| r.task == row.task)
                .map_or(results.len(), |p| p + 1);
            results.insert(at, row);
        }
        models.push(trained);
    }
    let clusters = match &config.clusters {
        Some(params) => {
            progress.begin("clusters", 1);
            let report = cluster_tokens(log_returns.0, log_returns.1, log_returns.2, params)?;
            progress.step();
            progress.finish(
                "clusters",
                &format!(
                    "k = {} by silhouette over {} tokens",
                    report.chosen_k,
                    report.symbols.len()
                ),
            );
            Some(report)
        }
        None => None,
    };
    Ok(TrainOutcome {
        report: ModelReport {
            run_id: None,
            finished_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            split: panel.summary(config),
            models: results,
            clusters,
        },
        models,
    })
}

fn one_line(r: &ModelResult) -> String {
    match (&r.direction, &r.returns) {
        (Some(d), _) => format!(
            "accuracy {:.3} [{:.3}, {:.3}], ROC-AUC {}",
            d.accuracy.value,
            d.accuracy.low,
            d.accuracy.high,
            d.roc_auc.map_or("-".into(), |a| format!("{:.3}", a.value))
        ),
        (_, Some(m)) => format!(
            "log-return RMSE {:.5} [{:.5}, {:.5}]",
            m.rmse.value, m.rmse.low, m.rmse.high
        ),
        _ => String::new(),
    }
}

/// The walk-forward and hold-out split summary.
impl Panel<'_> {
    fn summary(&self, config: &TrainConfig) -> SplitSummary {
        let times = distinct_times(&self.data.days);
        SplitSummary {
            tokens: {
                let mut s = self.data.symbols.clone();
                s.sort();
                s.dedup();
                s.len()
            },
            rows: self.data.n_rows(),
            features: MODEL_FEATURES.iter().map(|s| s.to_string()).collect(),
            train_from: times[self.hold_out.train.start].clone(),
            train_to: times[self.hold_out.train.end - 1].clone(),
            test_from: times[self.hold_out.test.start].clone(),
            test_to: times[self.hold_out.test.end - 1].clone(),
            train_rows: self.train.len(),
            test_rows: self.test.len(),
            gap_days: self.hold_out.test.start - self.hold_out.train.end,
            cv_folds: config.cv.n_folds,
            cv_test_days: config.cv.test_size,
            cv_embargo_days: config.cv.embargo,
            bootstrap_block_days: config.bootstrap_block_days,
            bootstrap_resamples: config.bootstrap_resamples,
            seed: config.seed,
        }
    }
}
