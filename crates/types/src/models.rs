//! The crypto models as pages and API clients receive them: the comparison report of a training
//! run (every model beside its baselines, with 95% intervals), the token clusters, the tracked
//! runs, and `POST /api/predict`.

use serde::{Deserialize, Serialize};

/// A point estimate with its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// How a model compares with its naive baseline on the same hold-out rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BaselineVerdict {
    /// Better, and the 95% interval of the difference excludes zero.
    Beats,
    /// Better on the point estimate only: the interval includes zero.
    Inconclusive,
    /// Equal or worse.
    DoesNotBeat,
}

/// The two prediction tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelTask {
    /// Next-day up/down.
    Direction,
    /// Next-day log return (and so the close).
    Return,
}

impl ModelTask {
    pub fn as_str(self) -> &'static str {
        match self {
            ModelTask::Direction => "direction",
            ModelTask::Return => "return",
        }
    }
}

/// The rows and periods a report was computed on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SplitSummary {
    pub tokens: usize,
    pub rows: usize,
    pub features: Vec<String>,
    pub train_from: String,
    pub train_to: String,
    pub test_from: String,
    pub test_to: String,
    pub train_rows: usize,
    pub test_rows: usize,
    /// Days between the last training label and the first test day (label horizon + embargo).
    pub gap_days: usize,
    pub cv_folds: usize,
    pub cv_test_days: usize,
    pub cv_embargo_days: usize,
    pub bootstrap_block_days: usize,
    pub bootstrap_resamples: usize,
    pub seed: u64,
}

/// One candidate of a grid search with its walk-forward fold scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridPoint {
    pub params: Vec<(String, String)>,
    pub fold_scores: Vec<f64>,
    pub mean: f64,
    pub std: f64,
}

/// Train and validation score at one training size.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LearningPoint {
    pub train_days: usize,
    pub train_rows: usize,
    pub train_score: f64,
    pub validation_score: f64,
}

/// A feature's permutation importance (mean drop of the score over repeats, and its spread) and
/// the model's own importance where it has one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureImportance {
    pub feature: String,
    pub permutation_mean: f64,
    pub permutation_std: f64,
    pub own: Option<f64>,
}

/// Counts of a binary confusion matrix ("positive" = up).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfusionCounts {
    pub tp: u64,
    pub fp: u64,
    pub tn: u64,
    pub fn_: u64,
}

/// A classifier's (or a baseline's) hold-out metrics, pooled over every token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DirectionMetrics {
    pub accuracy: Estimate,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<Estimate>,
    pub roc_auc: Option<Estimate>,
    pub pr_auc: Option<f64>,
    pub confusion: ConfusionCounts,
}

/// Accuracy on one token's hold-out days beside always-up on the same days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenAccuracy {
    pub symbol: String,
    pub days: usize,
    pub accuracy: Estimate,
    pub always_up: f64,
    pub verdict: BaselineVerdict,
}

/// A return regressor's (or a baseline's) hold-out metrics, pooled over every token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReturnMetrics {
    pub rmse: Estimate,
    pub mse: f64,
    pub mae: f64,
    pub r2: Option<f64>,
    /// Directional accuracy of the sign of the predicted return (zero counts as down).
    pub sign_accuracy: Estimate,
}

/// One token's next-day close on the hold-out: actual, predicted and persistence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClosePath {
    pub symbol: String,
    pub days: Vec<String>,
    pub actual: Vec<f64>,
    pub predicted: Vec<f64>,
    pub persistence: Vec<f64>,
    pub rmse: f64,
    pub persistence_rmse: f64,
    pub mape: Option<f64>,
    pub persistence_mape: Option<f64>,
}

/// Everything the comparison page shows of one model (or baseline).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelResult {
    pub name: String,
    pub task: ModelTask,
    /// A naive baseline rather than a trained model.
    pub baseline: bool,
    pub params: Vec<(String, String)>,
    /// The walk-forward score of the chosen parameters (ROC-AUC for direction, RMSE of the log
    /// return for return), `None` for baselines.
    pub cv_mean: Option<f64>,
    pub cv_std: Option<f64>,
    pub grid: Vec<GridPoint>,
    pub direction: Option<DirectionMetrics>,
    pub returns: Option<ReturnMetrics>,
    /// The model minus its baseline on the headline metric (accuracy for direction against
    /// always-up, RMSE for return against tomorrow = today), with the verdict.
    pub versus_baseline: Option<(String, Estimate, BaselineVerdict)>,
    pub per_token: Vec<TokenAccuracy>,
    /// ROC and precision–recall curves on the hold-out, thinned to a few hundred points.
    pub roc: Vec<(f64, f64)>,
    pub pr: Vec<(f64, f64)>,
    pub learning_curve: Vec<LearningPoint>,
    pub importance: Vec<FeatureImportance>,
    pub close_paths: Vec<ClosePath>,
    /// A network's (training, validation) loss per epoch of its hold-out fit; empty otherwise.
    #[serde(default)]
    pub epoch_losses: Vec<(f64, f64)>,
    pub fit_seconds: f64,
    /// The registry version trained by this run, once recorded.
    pub version: Option<i64>,
}

/// k-means and agglomerative clustering of tokens by their daily-return profiles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterReport {
    pub from_day: String,
    pub to_day: String,
    /// Tokens with a return on every day of the window, in the order of every vector below.
    pub symbols: Vec<String>,
    /// Tokens left out because they lack days of the window.
    pub excluded: Vec<String>,
    pub silhouette_by_k: Vec<(usize, f64)>,
    pub chosen_k: usize,
    pub kmeans_labels: Vec<usize>,
    /// The agglomerative (Ward) tree cut into `chosen_k` clusters.
    pub hierarchical_labels: Vec<usize>,
    /// First two principal components of the profiles, and the share of variance each explains.
    pub projection: Vec<(f64, f64)>,
    pub explained_variance: (f64, f64),
    /// Merges in SciPy's linkage order: clusters `a` and `b` (ids < n are tokens, n + i is the
    /// cluster made at merge i) join at `distance` into a cluster of `size` tokens.
    pub merges: Vec<Merge>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Merge {
    pub a: usize,
    pub b: usize,
    pub distance: f64,
    pub size: usize,
}

/// The comparison report of one `server train crypto` run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelReport {
    pub run_id: Option<i64>,
    pub finished_at: String,
    pub split: SplitSummary,
    pub models: Vec<ModelResult>,
    pub clusters: Option<ClusterReport>,
}

/// One tracked run as the experiments page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    pub id: i64,
    pub experiment: String,
    pub name: String,
    pub status: String,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub git_commit: Option<String>,
    pub parent_id: Option<i64>,
    pub params: Vec<(String, String)>,
    /// Step-0 metrics (the per-step series stay in the database).
    pub metrics: Vec<(String, f64)>,
    pub tags: Vec<(String, String)>,
    pub artifacts: Vec<ArtifactSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArtifactSummary {
    pub name: String,
    pub sha256: String,
    pub size_bytes: i64,
}

/// A registered model version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelVersionSummary {
    /// The registry task (`crypto_direction`, `crypto_return`, `diet_labels`, `food_embedding`).
    pub task: String,
    pub name: String,
    pub version: i64,
    pub run_id: i64,
    pub serving: bool,
    pub created_at: String,
}

/// `POST /api/predict` request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PredictRequest {
    pub symbol: String,
    /// A registered model name (`"random_forest"`, `"logistic"`, ...); the serving versions when
    /// absent.
    #[serde(default)]
    pub model: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Up,
    Down,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelRef {
    pub name: String,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselinePrediction {
    /// Tomorrow = today.
    pub predicted_close: f64,
}

/// Which registered versions produced each half of a prediction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PredictionComponents {
    #[serde(rename = "return")]
    pub return_model: ModelRef,
    pub direction: ModelRef,
}

/// `POST /api/predict` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    pub symbol: String,
    /// The day of the last close the features used.
    pub as_of: String,
    pub predicted_close: f64,
    pub predicted_return: f64,
    pub direction: Direction,
    pub probability_up: f64,
    /// The requested model (or the serving direction model when none was asked for).
    pub model: ModelRef,
    pub baseline: BaselinePrediction,
    pub components: PredictionComponents,
}
