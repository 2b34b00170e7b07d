//! Recipes: `POST /api/analyze-recipe` (parsed lines, matched foods, nutrition with coverage,
//! diet labels, allergens) and the report of the ingredient parser and recipe-nutrition
//! evaluation.

use serde::{Deserialize, Serialize};

use crate::{Estimate, ModelRef};

/// Most ingredient lines per request, and characters per line.
pub const MAX_RECIPE_LINES: usize = 100;
pub const MAX_LINE_CHARS: usize = 500;
pub const MAX_SERVINGS: u32 = 100;

/// `POST /api/analyze-recipe`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnalyzeRecipeRequest {
    #[serde(default)]
    pub title: Option<String>,
    pub ingredients: Vec<String>,
    pub servings: u32,
    /// The month (1–12) seasonality is judged for; the server's current month without it.
    #[serde(default)]
    pub month: Option<u32>,
}

impl AnalyzeRecipeRequest {
    /// `(field, message)` of the first thing wrong with the request.
    pub fn validate(&self) -> Result<(), (String, String)> {
        if self.ingredients.is_empty() {
            return Err((
                "ingredients".into(),
                format!("ingredients is empty: send 1 to {MAX_RECIPE_LINES} lines"),
            ));
        }
        if self.ingredients.len() > MAX_RECIPE_LINES {
            return Err((
                "ingredients".into(),
                format!(
                    "{} lines: at most {MAX_RECIPE_LINES}",
                    self.ingredients.len()
                ),
            ));
        }
        for (i, line) in self.ingredients.iter().enumerate() {
            let chars = line.chars().count();
            if line.trim().is_empty() {
                return Err((
                    format!("ingredients[{i}]"),
                    format!("ingredients[{i}] is empty"),
                ));
            }
            if chars > MAX_LINE_CHARS {
                return Err((
                    format!("ingredients[{i}]"),
                    format!("ingredients[{i}] has {chars} characters: at most {MAX_LINE_CHARS}"),
                ));
            }
        }
        if self.servings == 0 || self.servings > MAX_SERVINGS {
            return Err((
                "servings".into(),
                format!("servings must be 1..={MAX_SERVINGS}, got {}", self.servings),
            ));
        }
        if self
            .title
            .as_ref()
            .is_some_and(|t| t.chars().count() > MAX_LINE_CHARS)
        {
            return Err((
                "title".into(),
                format!("title is longer than {MAX_LINE_CHARS} characters"),
            ));
        }
        Ok(())
    }
}

/// A quantity or a range of quantities.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct QuantityRange {
    pub low: f64,
    pub high: f64,
}

/// One token with its tag and the tagger's confidence in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaggedWord {
    pub text: String,
    /// QTY, UNIT, SIZE, NAME, PREP, COMMENT, PURPOSE or OTHER.
    pub label: String,
    pub confidence: f64,
}

/// A text field of the line with its confidence (the least certain of its tokens).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParsedField {
    pub text: String,
    pub confidence: f64,
}

/// The USDA food a line was matched to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchedFood {
    pub ndb_no: String,
    pub description: String,
    pub confidence: f64,
}

/// What became of a line in the totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineStatus {
    /// Matched and converted to grams: in the totals.
    Counted,
    /// No USDA food matched its name: not in the totals.
    Unmatched,
    /// No amount given ("salt, to taste"): not in the totals.
    NoAmount,
    /// Matched, but its amount could not be turned into grams: not in the totals.
    NoConversion,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalyzedLine {
    pub line: String,
    pub tokens: Vec<TaggedWord>,
    pub quantity: Option<QuantityRange>,
    pub unit: Option<String>,
    /// Confidence of the quantity and unit tokens.
    pub amount_confidence: Option<f64>,
    pub name: Option<ParsedField>,
    pub size: Option<ParsedField>,
    pub preparation: Option<ParsedField>,
    pub comment: Option<ParsedField>,
    pub purpose: Option<ParsedField>,
    pub food: Option<MatchedFood>,
    pub grams: Option<f64>,
    /// How the grams were worked out (`mass`, a USDA measure, or an assumption, said so).
    pub grams_basis: Option<String>,
    pub status: LineStatus,
}

/// A nutrient of the recipe: the sum over counted lines. `missing_in` counts the counted lines
/// whose food has no value for it (so the sum is a lower bound when it is above zero).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecipeNutrient {
    pub key: String,
    pub name: String,
    pub unit: String,
    pub total: Option<f64>,
    pub per_serving: Option<f64>,
    /// Percent of the FDA Daily Value in one serving.
    pub daily_value_pct: Option<f64>,
    pub missing_in: usize,
}

/// How much of the recipe the totals cover.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecipeCoverage {
    pub lines: usize,
    pub counted: usize,
    pub unmatched: Vec<String>,
    pub no_amount: Vec<String>,
    pub no_conversion: Vec<String>,
    pub counted_grams: f64,
    /// Grams of lines left out whose mass is known anyway (a stated mass or volume).
    pub uncounted_grams: f64,
    /// `counted / (counted + uncounted)` grams; lines with no amount are listed, not weighed.
    pub mass_share: Option<f64>,
}

/// A diet label of the recipe: `true`/`false`, or `null` when an unmatched line leaves it open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecipeDietLabel {
    pub label: String,
    pub value: Option<bool>,
    pub reason: String,
}

/// One of the major allergens, with a 0..1 risk and the lines behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AllergenRisk {
    pub allergen: String,
    pub risk: f64,
    pub lines: Vec<String>,
    pub reason: String,
}

/// `POST /api/analyze-recipe` → this.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecipeAnalysis {
    pub title: Option<String>,
    pub servings: u32,
    pub lines: Vec<AnalyzedLine>,
    pub nutrients: Vec<RecipeNutrient>,
    pub coverage: RecipeCoverage,
    pub diet_labels: Vec<RecipeDietLabel>,
    pub allergens: Vec<AllergenRisk>,
    pub seasonality: RecipeSeasonality,
    pub parser: ModelRef,
}

/// A fresh produce line and whether it is in season in the month asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeasonalItem {
    pub line: String,
    /// The produce it was recognised as (`tomato`).
    pub produce: String,
    pub in_season: bool,
    /// `spring`, `summer`, `fall`, `winter`.
    pub seasons: Vec<String>,
}

/// The recipe's fresh produce against one month, for the table's region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecipeSeasonality {
    pub month: u32,
    pub region: String,
    pub produce: Vec<SeasonalItem>,
    /// Share of the fresh produce lines in season; `None` without any.
    pub in_season_share: Option<f64>,
}

/// Preparation time against nutrient density over the meal catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrepDensity {
    /// `(minutes, NRF9.3 per 100 kcal)` per recipe with a time.
    pub points: Vec<(f64, f64)>,
    /// Spearman's rank correlation with a 95% bootstrap interval.
    pub spearman: Option<Estimate>,
    /// Median NRF9.3 of recipes taking at most 30 minutes, and of the others.
    pub median_quick: Option<f64>,
    pub median_slow: Option<f64>,
}

/// The tagger's score on one label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TagScore {
    pub label: String,
    pub support: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// One epoch of the tagger's training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaggerEpochPoint {
    pub epoch: usize,
    pub train_loss: f64,
    pub validation_word_accuracy: f64,
    pub seconds: f64,
}

/// The ingredient parser on held-out sentences, beside a baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParserEvaluation {
    pub name: String,
    pub n_sentences: usize,
    pub n_tokens: usize,
    pub word_accuracy: Estimate,
    pub word_accuracy_no_punctuation: Estimate,
    pub sentence_accuracy: Estimate,
    pub labels: Vec<TagScore>,
}

/// Recipe nutrition against what recipe sites report, per serving.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NutritionErrorRow {
    /// `calories`, `protein`, `fat`, `carbohydrate`.
    pub nutrient: String,
    pub n_recipes: usize,
    /// Median absolute percentage error of ours, and of the baseline, with 95% intervals.
    pub mdape: Estimate,
    pub baseline_mdape: Estimate,
    /// Share of recipes within 20% of the site's figure.
    pub within_20pct: f64,
}

/// One recipe of the evaluation: ours vs the site's calories per serving.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecipeCaloriePoint {
    pub title: String,
    pub site_kcal: f64,
    pub our_kcal: f64,
    pub mass_share: Option<f64>,
}

/// `server train recipes`' report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecipeReport {
    pub n_labelled: usize,
    pub n_aligned: usize,
    pub n_train: usize,
    pub n_validation: usize,
    pub n_test: usize,
    pub epochs: Vec<TaggerEpochPoint>,
    pub parser: ParserEvaluation,
    /// A per-word baseline: each word's most frequent training label.
    pub baseline: ParserEvaluation,
    pub model_bytes: usize,
    pub train_seconds: f64,
    /// Recipes evaluated (English, with site calories and a serving count), test half.
    pub nutrition_recipes: usize,
    pub nutrition: Vec<NutritionErrorRow>,
    /// Calories per serving on the test recipes of sites none of whose recipes is in the
    /// development half: sites nobody looked at while the matching tables were written.
    #[serde(default)]
    pub unseen_sites: Option<NutritionErrorRow>,
    /// How many such sites.
    #[serde(default)]
    pub unseen_site_count: usize,
    pub calories: Vec<RecipeCaloriePoint>,
    /// Share of ingredient lines of the evaluated recipes matched to a food, and counted.
    pub lines_matched: f64,
    pub lines_counted: f64,
    pub median_mass_share: Option<f64>,
    /// The meal ranking and planner on a grid of requests, beside random picks.
    pub meals: Option<MealEvaluation>,
    pub prep_density: Option<PrepDensity>,
}

/// The meal ranking (top 5) against five random recipes from the same filtered pool, and the
/// planner's feasibility and time, over a grid of requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MealEvaluation {
    /// Recipes whose nutrition could be trusted (the catalogue).
    pub catalogue: usize,
    pub requests: usize,
    /// Mean |kcal − meal target| / target of a recommended serving.
    pub energy_error: f64,
    pub within_10pct: f64,
    pub protein_in_range: f64,
    pub baseline_energy_error: f64,
    pub baseline_within_10pct: f64,
    pub baseline_protein_in_range: f64,
    /// 7-day plans asked for on the plan grid, and made.
    pub plans: usize,
    pub plans_feasible: usize,
    pub mean_plan_ms: f64,
    /// Plans whose every day, recomputed from the returned recipes' servings and sides'
    /// portions, is within ±5% of the energy target and inside every macro range.
    #[serde(default)]
    pub plans_on_target: usize,
    #[serde(default)]
    pub p50_plan_ms: f64,
    #[serde(default)]
    pub p95_plan_ms: f64,
    /// Refused requests: the request, why, and the change that would work.
    #[serde(default)]
    pub refusals: Vec<String>,
}

/// A stored recipe to try the analyzer on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecipeExample {
    pub title: String,
    pub servings: u32,
    pub ingredients: Vec<String>,
    /// The site's calories per serving, when it gives them.
    pub site_kcal: Option<f64>,
}

/// What the recipe analyzer page loads with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecipeOverview {
    /// The serving parser, or `None` before `server train recipes`.
    pub parser: Option<ModelRef>,
    pub report: Option<RecipeReport>,
    pub examples: Vec<RecipeExample>,
}
