//! What the database holds, as shown on the dashboard and served by `GET /api/stats`.

use serde::{Deserialize, Serialize};

/// Row counts of every imported data set, and the span of the price history.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DbStats {
    pub tokens: i64,
    pub price_rows: i64,
    pub news_items: i64,
    pub sentiment_sentences: i64,
    pub foods: i64,
    pub food_nutrients: i64,
    pub food_portions: i64,
    pub recipes: i64,
    pub ingredient_sentences: i64,
    /// First and last day (`YYYY-MM-DD`, UTC) with a price; `None` when there are no prices.
    pub first_price_day: Option<String>,
    pub last_price_day: Option<String>,
    /// When the last import finished (RFC 3339), if one ever did.
    pub last_import_at: Option<String>,
    /// The import running now, if any (the first start imports in the background).
    pub import: Option<ImportProgress>,
}

impl DbStats {
    /// True when no data set has been imported: the dashboard shows its empty state.
    pub fn is_empty(&self) -> bool {
        self.tokens == 0
            && self.price_rows == 0
            && self.news_items == 0
            && self.sentiment_sentences == 0
            && self.foods == 0
            && self.recipes == 0
            && self.ingredient_sentences == 0
    }
}

/// Progress of a running import, shared between the importer and the pages.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportProgress {
    /// The file or endpoint being read now.
    pub current: String,
    pub files_done: u32,
    pub files_total: u32,
    pub rows_done: u64,
}

/// One token with the extent of its price history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenSummary {
    pub symbol: String,
    pub name: String,
    pub n_days: i64,
    pub first_day: Option<String>,
    pub last_day: Option<String>,
    /// The close on `last_day`, in USD.
    pub last_close_usd: Option<f64>,
}

/// One USDA food group with how many foods it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoodGroupSummary {
    pub code: String,
    pub name: String,
    pub n_foods: i64,
}

/// The body of `GET /readyz`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Readiness {
    pub ready: bool,
    pub database: bool,
    pub data_present: bool,
    pub import_running: bool,
    /// What requests are answered from, once built (ready needs it).
    pub snapshot: Option<SnapshotInfo>,
}

/// The serving snapshot a process answers from: the versions it was built for, and how many
/// times each part has been built since the process started (a part is rebuilt only when its
/// inputs change: concurrent requests never build one twice).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotInfo {
    /// The version of each data set (bumped by every import that touched it).
    pub data_versions: std::collections::BTreeMap<String, i64>,
    /// The serving version of each registry task, as `task → "name vN"`.
    pub serving: std::collections::BTreeMap<String, String>,
    /// When this snapshot was published (RFC 3339).
    pub built_at: String,
    /// How long building it took.
    pub build_ms: f64,
    /// Builds per part since the process started: `snapshots`, `data` (with its `prices`,
    /// `foods` and `recipes`), `models`, `sentiment_index`, `meal_catalogue`, `reports`, and the
    /// lazily built `market_overview`, `crypto_model` and `meal_plan` entries.
    pub builds: std::collections::BTreeMap<String, u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_stats_are_empty_and_any_data_set_is_not() {
        assert!(DbStats::default().is_empty());
        let with_recipes = DbStats {
            recipes: 1,
            ..DbStats::default()
        };
        assert!(!with_recipes.is_empty());
    }
}
