//! The nutrition pages' data: the exploratory views of the USDA foods, one food's profile with
//! its similar foods, and the report of a `server train nutrition` run.

use serde::{Deserialize, Serialize};

/// A histogram of one nutrient over the foods that have it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NutrientHistogram {
    pub key: String,
    pub name: String,
    pub unit: String,
    /// Bins are over `log10(1 + x)` when the nutrient is skewed (edges are then in that scale).
    pub log_scale: bool,
    pub edges: Vec<f64>,
    pub counts: Vec<u64>,
    /// Foods with a value (zeros included), and how many of them are zero.
    pub n_present: u64,
    pub n_zero: u64,
    pub median: Option<f64>,
}

/// Pairwise-complete Spearman correlations between nutrients.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NutrientCorrelation {
    pub keys: Vec<String>,
    pub names: Vec<String>,
    /// `values[i][j]`; `None` when fewer than 30 foods have both.
    pub values: Vec<Vec<Option<f64>>>,
}

/// Every food's share of energy from protein and from fat, for the macro scatter: columns of one
/// length (a food per index), the group an index into [`NutritionEda::groups`], the shares in
/// thousandths (0..=1000). A tenth of a percentage point is finer than the chart can show, and the
/// page carries 8,444 foods: as objects of four `f32`s they were 690 KB of the page's 724 KB.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MacroPoints {
    pub group: Vec<u16>,
    pub protein_permille: Vec<u16>,
    pub fat_permille: Vec<u16>,
}

impl MacroPoints {
    /// Adds a food's shares (0..=1), rounded to thousandths.
    pub fn push(&mut self, group: u16, protein: f64, fat: f64) {
        let permille = |share: f64| (share.clamp(0.0, 1.0) * 1000.0).round() as u16;
        self.group.push(group);
        self.protein_permille.push(permille(protein));
        self.fat_permille.push(permille(fat));
    }

    pub fn len(&self) -> usize {
        self.group.len()
    }

    pub fn is_empty(&self) -> bool {
        self.group.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Missingness {
    pub key: String,
    pub name: String,
    pub missing: u64,
    pub share: f64,
}

/// Everything the nutrition EDA page draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NutritionEda {
    pub foods: u64,
    pub groups: Vec<String>,
    pub histograms: Vec<NutrientHistogram>,
    pub correlation: NutrientCorrelation,
    pub macro_points: MacroPoints,
    pub missingness: Vec<Missingness>,
}

/// A search hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoodHit {
    pub ndb_no: String,
    pub description: String,
    pub group: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NutrientAmount {
    pub key: String,
    pub name: String,
    pub unit: String,
    pub per_100g: Option<f64>,
    /// Percent of the FDA Daily Value in 100 g.
    pub daily_value_pct: Option<f64>,
    pub per_100_kcal: Option<f64>,
}

/// Energy and macros of one household portion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortionValues {
    pub measure: String,
    pub grams: f64,
    pub energy_kcal: Option<f64>,
    pub protein_g: Option<f64>,
    pub fat_g: Option<f64>,
    pub carbohydrate_g: Option<f64>,
    pub sodium_mg: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimilarFood {
    pub ndb_no: String,
    pub description: String,
    pub group: Option<String>,
    /// Cosine similarity of the embeddings.
    pub similarity: f64,
}

/// A diet label of a food: its rule's decision (`None`: a needed nutrient is missing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelDecision {
    pub label: String,
    pub value: Option<bool>,
}

/// One food, as the profile panel shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoodProfile {
    pub ndb_no: String,
    pub description: String,
    pub group: Option<String>,
    pub nutrients: Vec<NutrientAmount>,
    /// Shares of energy from protein, carbohydrate, fat, alcohol.
    pub macro_shares: Option<[f64; 4]>,
    pub nrf93: Option<f64>,
    pub energy_density: Option<f64>,
    pub energy_density_class: Option<String>,
    pub categories: Vec<String>,
    pub diet_labels: Vec<LabelDecision>,
    pub portions: Vec<PortionValues>,
    /// From the serving embedding version; empty with `similar_note` saying why.
    pub similar: Vec<SimilarFood>,
    pub similar_note: Option<String>,
}

/// Per-label scores of a diet model on the hold-out foods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelScore {
    pub label: String,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: f64,
    /// Hold-out foods with the label.
    pub support: u64,
}

/// Macro F1 of a model trained on a share of the training foods.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct F1Point {
    pub train_size: usize,
    pub train_macro_f1: f64,
    pub validation_macro_f1: f64,
}

/// One diet model (or the majority baseline) on the hold-out foods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DietModelResult {
    pub name: String,
    pub baseline: bool,
    pub version: Option<i64>,
    pub per_label: Vec<LabelScore>,
    pub macro_f1: f64,
    /// 95% bootstrap interval of the macro F1 (foods resampled).
    pub macro_f1_low: f64,
    pub macro_f1_high: f64,
    pub micro_f1: f64,
    pub hamming_loss: f64,
    pub subset_accuracy: f64,
    pub learning_curve: Vec<F1Point>,
    /// Loss per epoch (train, validation) for the network.
    pub epochs: Vec<(f64, f64)>,
    pub fit_seconds: f64,
}

/// One regression model on the hold-out foods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegressionResult {
    pub name: String,
    pub baseline: bool,
    pub rmse: f64,
    pub rmse_low: f64,
    pub rmse_high: f64,
    pub mae: f64,
    pub r2: Option<f64>,
    /// (predicted, actual) on up to 600 hold-out foods, for the residual plot.
    pub points: Vec<(f64, f64)>,
    /// Largest model coefficients or importances: (feature, value).
    pub top_features: Vec<(String, f64)>,
    pub fit_seconds: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegressionTarget {
    pub key: String,
    pub name: String,
    pub unit: String,
    pub train_rows: usize,
    pub test_rows: usize,
    pub models: Vec<RegressionResult>,
}

/// A food in a 2-D projection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectedFood {
    pub ndb_no: String,
    pub description: String,
    pub group: u16,
    pub cluster: u16,
    pub x: f32,
    pub y: f32,
}

/// k-means food groups against USDA's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoodClusters {
    pub chosen_k: usize,
    /// (k, mean silhouette on a seeded sample of foods).
    pub silhouettes: Vec<(usize, f64)>,
    pub adjusted_rand_index: f64,
    /// `contingency[cluster][group]`: foods per cluster and USDA group.
    pub contingency: Vec<Vec<u32>>,
    /// Each cluster's most common USDA group and its share of the cluster.
    pub dominant: Vec<(String, f64)>,
}

/// How often a held-out food's nearest neighbours make sense, for one way of finding them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeighbourQuality {
    pub method: String,
    /// Share of the top-5 neighbours in the food's USDA group.
    pub same_group: f64,
    /// Mean absolute difference of protein/carbohydrate/fat energy shares to the neighbours.
    pub macro_distance: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmbeddingReport {
    pub dim: usize,
    pub version: Option<i64>,
    pub held_out_foods: usize,
    pub quality: Vec<NeighbourQuality>,
    /// Top-5 neighbours by int8 vectors that are also the f32 top 5 (mean over held-out foods).
    pub int8_recall_at_5: f64,
    pub int8_bytes: usize,
    pub f32_bytes: usize,
    pub epochs: Vec<(f64, f64)>,
    pub fit_seconds: f64,
}

/// The report of a `server train nutrition` run: what the nutrition models page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NutritionReport {
    pub run_id: Option<i64>,
    pub finished_at: String,
    pub foods: usize,
    /// Foods with every diet label decided (the labelled set) and those left out.
    pub labelled_foods: usize,
    pub undecided_foods: usize,
    pub train_foods: usize,
    pub validation_foods: usize,
    pub test_foods: usize,
    pub features: Vec<String>,
    pub labels: Vec<String>,
    /// Share of labelled foods with each label.
    pub prevalence: Vec<f64>,
    pub seed: u64,
    pub diet: Vec<DietModelResult>,
    pub regression: Vec<RegressionTarget>,
    pub clusters: FoodClusters,
    pub embedding: EmbeddingReport,
    /// Groups (by index) and a seeded sample of foods on the embedding's two principal axes.
    pub groups: Vec<String>,
    pub projection: Vec<ProjectedFood>,
}
