//! News sentiment as pages and API clients receive it: the comparison of the three sentiment
//! classifiers (`server train sentiment`), the daily market sentiment index per token, and
//! `GET /api/sentiment` / `POST /api/sentiment`.

use serde::{Deserialize, Serialize};

use crate::{ArtifactRef, BaselineVerdict, Estimate, ModelRef};

/// The classes, in the order of every probability triple and confusion matrix.
pub const SENTIMENT_LABELS: [&str; 3] = ["negative", "neutral", "positive"];
/// Most texts one `POST /api/sentiment` scores.
pub const MAX_SENTIMENT_TEXTS: usize = 100;
/// Longest text (in characters) `POST /api/sentiment` scores.
pub const MAX_SENTIMENT_CHARS: usize = 1000;

/// One classifier on the held-out sentences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentimentModelResult {
    /// `majority`, `lexicon`, `tfidf_logistic`, `cnn`.
    pub method: String,
    pub label: String,
    pub accuracy: Estimate,
    pub macro_f1: Estimate,
    /// Validation macro F1 (what chose the hyperparameters and the served model).
    pub validation_macro_f1: f64,
    /// `confusion[actual][predicted]` over [`SENTIMENT_LABELS`].
    pub confusion: Vec<Vec<u64>>,
    /// F1 per class, `None` where undefined.
    pub class_f1: Vec<Option<f64>>,
    pub train_seconds: f64,
    /// The exported model's size (what the browser downloads); `None` for the baselines.
    pub bytes: Option<u64>,
    /// Scoring time per text on the server, microseconds.
    pub micros_per_text: f64,
    pub is_baseline: bool,
}

/// One hyperparameter candidate scored on the validation sentences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentimentTuning {
    pub method: String,
    pub setting: String,
    pub validation_macro_f1: f64,
    pub chosen: bool,
}

/// The network's loss per epoch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochLoss {
    pub epoch: usize,
    pub train: f64,
    pub validation: f64,
}

/// Whether headline sentiment says anything about BTC's next day (the headlines' only labels).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadlineCheck {
    pub headlines: usize,
    /// Headlines the served model calls positive or negative.
    pub opinionated: usize,
    /// Share of those whose call matches the next day (positive ↔ up).
    pub agreement: Option<Estimate>,
    /// Share of "up" days among the same headlines: what always-up scores.
    pub up_share: f64,
}

/// What `server train sentiment` measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentimentReport {
    pub run_id: Option<i64>,
    pub version: Option<i64>,
    pub sentences: usize,
    pub train: usize,
    pub validation: usize,
    pub test: usize,
    /// Sentences per class over the whole set, in [`SENTIMENT_LABELS`] order.
    pub class_counts: Vec<usize>,
    pub vocabulary: usize,
    pub results: Vec<SentimentModelResult>,
    pub tuning: Vec<SentimentTuning>,
    pub history: Vec<EpochLoss>,
    pub best_epoch: usize,
    /// The method served to the API, the news index and the browser.
    pub served: String,
    /// Test sentences on which the int8 network and its f32 original agree.
    pub quantized_agreement: Option<f64>,
    pub headline_check: Option<HeadlineCheck>,
    /// The price models with and without lagged sentiment features (`None` without enough news).
    #[serde(default)]
    pub ablation: Option<SentimentAblation>,
    /// News items scored into the index, and token-days it covers.
    pub index_items: usize,
    pub index_token_days: usize,
    pub seed: u64,
}

/// One price model with and without the sentiment features, on the same test rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AblationResult {
    /// `direction` or `return`.
    pub task: String,
    pub model: String,
    /// `accuracy` (higher is better) or `log-return RMSE` (lower is better).
    pub metric: String,
    pub without: Estimate,
    pub with: Estimate,
    /// The gain from the sentiment features (positive = better), paired block bootstrap.
    pub difference: Estimate,
    pub verdict: BaselineVerdict,
    pub roc_auc_without: Option<f64>,
    pub roc_auc_with: Option<f64>,
}

/// The lagged-sentiment ablation of the price models on the token-days with news.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentimentAblation {
    pub tokens: Vec<String>,
    pub train_rows: usize,
    pub test_rows: usize,
    pub train_from: String,
    pub test_from: String,
    pub test_to: String,
    pub always_up_accuracy: f64,
    pub persistence_rmse: f64,
    /// Test rows whose previous day had news about the token.
    pub test_news_share: f64,
    pub results: Vec<AblationResult>,
}

/// One day of a token's sentiment index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentimentDay {
    pub date: String,
    /// Mean item score, −1..1.
    pub score: f64,
    pub n_items: u32,
    pub share_positive: f64,
    pub share_negative: f64,
    /// The token's close that day, if known.
    pub close: Option<f64>,
}

/// A token's index over all days with news.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentimentSeries {
    pub symbol: String,
    pub days: Vec<SentimentDay>,
    /// Pearson correlation of the day's score with the next day's log return, over days with
    /// news and both closes; with its count.
    pub next_day_correlation: Option<f64>,
    pub correlation_days: usize,
}

/// Tokens with news, and how much.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentimentCoverage {
    pub symbol: String,
    pub items: u32,
    pub days: u32,
    pub first_day: String,
    pub last_day: String,
}

/// Everything the sentiment page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentimentOverview {
    pub report: Option<SentimentReport>,
    pub coverage: Vec<SentimentCoverage>,
    /// The learned models as the browser fetches them, the served one first.
    pub artifacts: Vec<ArtifactRef>,
}

/// An item behind a day's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentimentItem {
    pub title: String,
    pub score: f64,
}

/// `GET /api/sentiment?symbol=BTC&date=YYYY-MM-DD` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentimentResponse {
    pub symbol: String,
    pub date: String,
    pub score: f64,
    /// `positive`, `neutral` or `negative`.
    pub label: String,
    pub n_items: u32,
    pub top_items: Vec<SentimentItem>,
    pub model: ModelRef,
}

/// `POST /api/sentiment` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SentimentTextsRequest {
    pub texts: Vec<String>,
}

/// One scored text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextSentiment {
    pub text: String,
    pub label: String,
    pub score: f64,
    pub probabilities: SentimentProbabilities,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SentimentProbabilities {
    pub negative: f64,
    pub neutral: f64,
    pub positive: f64,
}

/// `POST /api/sentiment` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentimentTextsResponse {
    pub results: Vec<TextSentiment>,
    pub model: ModelRef,
}

/// The label of a day's (or a text's) score: the index uses ±0.05 like VADER's compound score.
pub fn label_of_score(score: f64) -> &'static str {
    if score >= 0.05 {
        "positive"
    } else if score <= -0.05 {
        "negative"
    } else {
        "neutral"
    }
}
