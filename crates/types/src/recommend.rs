//! The recommenders as clients and pages receive them: `POST /api/recommend`, the evaluation
//! report of the token recommender (every method beside popularity, on simulated traders), and
//! where the browser fetches the quantized artifacts.

use serde::{Deserialize, Serialize};

use crate::{Estimate, ModelRef};

/// One holding of a portfolio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoldingInput {
    pub symbol: String,
    /// A relative weight (> 0); a missing one counts as `1 / n` of the portfolio.
    #[serde(default)]
    pub weight: Option<f64>,
}

/// `POST /api/recommend` request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecommendRequest {
    pub holdings: Vec<HoldingInput>,
    /// How many suggestions, 1..=50 (default 5).
    #[serde(default = "default_k")]
    pub k: i64,
    /// `"hybrid"` (default), `"content"` or `"collaborative"`.
    #[serde(default)]
    pub method: Option<String>,
}

fn default_k() -> i64 {
    5
}

/// The methods a client may ask for.
pub const RECOMMEND_METHODS: [&str; 3] = ["hybrid", "content", "collaborative"];

/// The largest `k` of a request.
pub const MAX_RECOMMENDATIONS: i64 = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    pub symbol: String,
    pub score: f64,
    pub reasons: Vec<String>,
}

/// `POST /api/recommend` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecommendResponse {
    pub recommendations: Vec<Recommendation>,
    /// The method asked for (`"collaborative"` names the CF method in `engine`).
    pub method: String,
    /// The scoring method that ran (`"content"`, `"user_knn"`, `"item_knn"`, `"als"`, `"hybrid"`).
    pub engine: String,
    pub model: ModelRef,
    /// SHA-256 of the artifact that ranked: the browser's copy at `/artifacts/{sha256}` ranks the
    /// same.
    pub artifact: String,
}

/// The serving browser artifacts (absent before `server train recommend`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BrowserArtifacts {
    pub tokens: Option<ArtifactRef>,
    pub foods: Option<ArtifactRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArtifactRef {
    pub model: ModelRef,
    pub sha256: String,
    pub bytes: u64,
    /// `/artifacts/{sha256}`: immutable, cacheable for a year.
    pub url: String,
}

/// A behavioural archetype of the simulated traders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArchetypeSummary {
    pub name: String,
    pub description: String,
    pub share: f64,
    pub traders: usize,
    /// The tokens this archetype's traders hold most, with the share holding them.
    pub top_tokens: Vec<(String, f64)>,
}

/// One method's results on the test traders' held-out tokens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecommenderResult {
    pub method: String,
    pub label: String,
    pub baseline: bool,
    pub precision: Estimate,
    pub recall: Estimate,
    pub ndcg: Estimate,
    pub hit_rate: Estimate,
    /// The difference in NDCG@K against popularity on the same users, with its interval.
    pub ndcg_vs_popularity: Option<Estimate>,
    pub coverage: f64,
    pub diversity: Option<f64>,
    pub novelty: Option<f64>,
    /// NDCG@K on the validation traders (what tuning looked at).
    pub validation_ndcg: f64,
}

/// A hyperparameter candidate and its validation NDCG@K.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TuningPoint {
    pub method: String,
    pub params: String,
    pub validation_ndcg: f64,
    pub chosen: bool,
}

/// A token's behaviour profile (standardised across tokens).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenProfile {
    pub symbol: String,
    pub sector: String,
    pub values: Vec<f64>,
}

/// What `server train recommend` measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecommenderReport {
    pub run_id: Option<i64>,
    pub version: Option<i64>,
    pub k: usize,
    pub seed: u64,
    pub traders: usize,
    pub train_traders: usize,
    pub validation_traders: usize,
    pub test_traders: usize,
    /// Share of each evaluated trader's tokens held out.
    pub held_out_share: f64,
    /// The profiles' window: the last days of each token's history.
    pub profile_days: usize,
    pub profile_to: String,
    pub profile_features: Vec<String>,
    pub profiles: Vec<TokenProfile>,
    pub archetypes: Vec<ArchetypeSummary>,
    pub results: Vec<RecommenderResult>,
    pub tuning: Vec<TuningPoint>,
    /// The collaborative method chosen on validation, and the hybrid's CF weight.
    pub collaborative: String,
    pub hybrid_weight: f64,
    /// Recall@K of the int8 artifact's content ranking against the same ranking in f32.
    pub int8_recall: f64,
    pub artifact_bytes: u64,
    /// The food suggestions artifact, when the nutrition embedding was there to build it.
    pub food_bundle: Option<FoodBundleSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoodBundleSummary {
    pub version: Option<i64>,
    pub foods: usize,
    pub bytes: u64,
    pub embedding_version: i64,
    pub gap_nutrients: Vec<String>,
    pub allergens: Vec<String>,
    /// Foods flagged per allergen.
    pub allergen_counts: Vec<(String, usize)>,
    /// Simulated days the gap ranking was evaluated on, and each method's result.
    pub gap_days: usize,
    pub gap_methods: Vec<GapMethodResult>,
}

/// A way of suggesting foods for a day's nutrient gap, scored on simulated days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GapMethodResult {
    pub method: String,
    pub baseline: bool,
    /// Mean share of the day's remaining gap one portion of a top-5 suggestion fills.
    pub mean_fill: Estimate,
    /// The same for the first suggestion only.
    pub top1_fill: Estimate,
    /// How many different foods the method suggested over all days.
    pub distinct_foods: usize,
}
