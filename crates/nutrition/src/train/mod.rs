//! `server train nutrition`: the diet-label models beside the majority baseline on a stratified
//! hold-out, the two regressions, k-means food groups against USDA's, and the food embeddings
//! with their neighbour checks and int8 export.
//!
//! The result is a [`NutritionReport`] (what the models page draws) and one [`TrainedModel`] per
//! model (params, metrics, artifacts) for the caller to record in the experiment store, as the
//! crypto training does: this stays a pure computation.

mod diet;
mod embedding;

use mmi_learn::progress::TrainProgress;
use mmi_types::NutritionReport;
use serde::{Deserialize, Serialize};

use crate::diet::models::{labelled_set, stratified_split, DietParams};
use crate::diet::DIET_LABELS;
use crate::embed::EmbedParams;
use crate::features::{Preprocessor, Scaling};
use crate::nutrient::{Nutrient, NUTRIENTS};
use crate::{Food, NutritionError};

pub use embedding::load_table;

/// The experiment nutrition runs are recorded under, and the parent run's name.
pub const EXPERIMENT: &str = "nutrition";
pub const PARENT_RUN: &str = "train nutrition";
pub const REPORT_ARTIFACT: &str = "report.json";
/// Registry tasks.
pub const DIET_TASK: &str = "diet_labels";
pub const EMBEDDING_TASK: &str = "food_embedding";
/// The registered artifact of an embedding version: the int8 table.
pub const EMBEDDING_ARTIFACT: &str = "food_embeddings.q8";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NutritionConfig {
    pub quick: bool,
    pub seed: u64,
    /// Share of the labelled foods held out for the final scores, and share of the rest kept for
    /// validation (thresholds, early stopping, learning curves).
    pub test_share: f64,
    pub validation_share: f64,
    pub diet: DietParams,
    pub learning_fractions: Vec<f64>,
    pub regression_trees: usize,
    pub k_range: (usize, usize),
    pub silhouette_sample: usize,
    pub embed: EmbedParams,
    pub bootstrap_resamples: usize,
}

impl NutritionConfig {
    pub fn full() -> Self {
        let seed = 42;
        NutritionConfig {
            quick: false,
            seed,
            test_share: 0.2,
            validation_share: 0.15,
            diet: DietParams::full(seed),
            learning_fractions: vec![0.1, 0.25, 0.5, 1.0],
            regression_trees: 100,
            k_range: (2, 20),
            silhouette_sample: 2000,
            embed: EmbedParams::full(seed),
            bootstrap_resamples: 1000,
        }
    }

    /// Every model and output, smaller: for tests and the browser tests' server.
    pub fn quick() -> Self {
        let full = NutritionConfig::full();
        NutritionConfig {
            quick: true,
            diet: DietParams::quick(full.seed),
            learning_fractions: vec![0.25, 1.0],
            regression_trees: 20,
            k_range: (2, 8),
            silhouette_sample: 800,
            embed: EmbedParams::quick(full.seed),
            bootstrap_resamples: 200,
            ..full
        }
    }

    pub fn params(&self) -> Vec<(String, String)> {
        [
            ("seed", self.seed.to_string()),
            ("quick", self.quick.to_string()),
            ("test_share", self.test_share.to_string()),
            ("validation_share", self.validation_share.to_string()),
            (
                "k_range",
                format!("{}..={}", self.k_range.0, self.k_range.1),
            ),
            ("silhouette_sample", self.silhouette_sample.to_string()),
            ("regression_trees", self.regression_trees.to_string()),
            ("bootstrap_resamples", self.bootstrap_resamples.to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }
}

/// One trained model, ready to be recorded as a child run (and registered when `task` is set).
pub struct TrainedModel {
    /// Registry task; `None` for runs that are recorded but not served (the regressions).
    pub task: Option<&'static str>,
    pub name: String,
    pub params: Vec<(String, String)>,
    pub metrics: Vec<(String, i64, f64)>,
    /// `(name, media type, content)`; the first is the registered one.
    pub artifacts: Vec<(String, String, Vec<u8>)>,
    /// The validation score the serving version is chosen by (higher is better).
    pub validation_score: f64,
    pub started_at: String,
    pub ended_at: String,
}

pub(crate) fn utc_now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub struct NutritionOutcome {
    pub report: NutritionReport,
    pub models: Vec<TrainedModel>,
}

/// Every food's USDA group as an index into the sorted group names ("Unknown" for none).
pub fn group_indices(foods: &[Food]) -> (Vec<String>, Vec<usize>) {
    let name = |f: &Food| f.group_name.clone().unwrap_or_else(|| "Unknown".into());
    let mut names: Vec<String> = foods.iter().map(name).collect();
    names.sort();
    names.dedup();
    let idx = foods
        .iter()
        .map(|f| names.binary_search(&name(f)).unwrap_or(0))
        .collect();
    (names, idx)
}

/// All 46 nutrients: the models' inputs.
pub fn all_nutrients() -> Vec<Nutrient> {
    NUTRIENTS.iter().map(|n| n.nutrient).collect()
}

/// Trains and evaluates everything on `foods`.
pub fn train_all(
    foods: &[Food],
    config: &NutritionConfig,
    progress: &dyn TrainProgress,
) -> Result<NutritionOutcome, NutritionError> {
    if foods.is_empty() {
        return Err(NutritionError::NoData);
    }
    let (group_names, groups) = group_indices(foods);
    let set = labelled_set(foods);
    let (rest, test) = stratified_split(&set.labels, config.test_share, config.seed);
    let rest_labels: Vec<_> = rest.iter().map(|&i| set.labels[i]).collect();
    let (train_pos, val_pos) =
        stratified_split(&rest_labels, config.validation_share, config.seed + 1);
    let train: Vec<usize> = train_pos.iter().map(|&p| rest[p]).collect();
    let validation: Vec<usize> = val_pos.iter().map(|&p| rest[p]).collect();

    let mut models = Vec::new();
    let diet = diet::train(
        foods,
        &set,
        (&train, &validation, &test),
        config,
        progress,
        &mut models,
    )?;

    let mut regression = Vec::new();
    for target in crate::regress::targets() {
        let started = utc_now();
        let result = crate::regress::train_target(
            foods,
            &target,
            config.regression_trees,
            config.seed,
            progress,
        )?;
        let mut metrics = vec![
            ("train_rows".to_string(), 0, result.train_rows as f64),
            ("test_rows".to_string(), 0, result.test_rows as f64),
        ];
        for m in &result.models {
            metrics.push((format!("{}_rmse", m.name), 0, m.rmse));
            metrics.push((format!("{}_mae", m.name), 0, m.mae));
            if let Some(r2) = m.r2 {
                metrics.push((format!("{}_r2", m.name), 0, r2));
            }
        }
        models.push(TrainedModel {
            task: None,
            name: format!("regression_{}", target.key),
            params: vec![
                ("target".into(), target.key.into()),
                (
                    "regression_trees".into(),
                    config.regression_trees.to_string(),
                ),
                ("seed".into(), config.seed.to_string()),
            ],
            metrics,
            artifacts: Vec::new(),
            validation_score: 0.0,
            started_at: started,
            ended_at: utc_now(),
        });
        regression.push(result);
    }

    let (clusters, embedding, projection) =
        embedding::train(foods, &groups, &group_names, config, progress, &mut models)?;

    let n_labelled = set.labels.len().max(1) as f64;
    Ok(NutritionOutcome {
        report: NutritionReport {
            run_id: None,
            finished_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            foods: foods.len(),
            labelled_foods: set.labels.len(),
            undecided_foods: set.undecided,
            train_foods: train.len(),
            validation_foods: validation.len(),
            test_foods: test.len(),
            features: all_nutrients()
                .iter()
                .map(|n| n.info().key.to_string())
                .collect(),
            labels: DIET_LABELS.iter().map(|l| l.key().to_string()).collect(),
            prevalence: (0..DIET_LABELS.len())
                .map(|l| set.labels.iter().filter(|r| r[l]).count() as f64 / n_labelled)
                .collect(),
            seed: config.seed,
            diet,
            regression,
            clusters,
            embedding,
            groups: group_names,
            projection,
        },
        models,
    })
}

/// The preprocessing of the diet models and the clustering: every nutrient, `ln(1 + x)` where
/// skewed, median-filled, standardised, fitted on `fit_on` only.
pub fn profile_preprocessor(fit_on: &[&Food]) -> Result<Preprocessor, NutritionError> {
    Preprocessor::fit(fit_on, &all_nutrients(), Scaling::Standard, true)
        .map_err(NutritionError::Model)
}
