//! The parts of a snapshot that depend on the imported data only, each rebuilt when its own data
//! set changes: the counts; the prices (tokens, every token's days and latest feature row, the
//! market overviews the page offers); the foods (their index with the EDA, the food matcher, the
//! groups); the recipes.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use mmi_crypto::{
    feature_frame, latest_features, market_overview_with, prices_frame, LatestFeatures,
};
use mmi_nutrition::lookup::FoodIndex;
use mmi_nutrition::recipe::FoodMatcher;
use mmi_store::{Pool, PriceRow, RecipeRecord, Stamp};
use mmi_types::{
    Correlation, DbStats, FoodGroupSummary, MarketOverview, RecipeExample, TokenSummary,
};
use polars::prelude::DataFrame;

use super::{built, BuildCounters};
use crate::ServeError;

/// The market page's windows (days; `None` is the whole history), built with every snapshot.
pub const OFFERED_WINDOWS: [Option<u32>; 4] = [Some(30), Some(90), Some(365), None];

/// The key of a market overview.
pub type OverviewKey = (Option<u32>, Correlation);

#[derive(Debug)]
pub struct DataPart {
    pub(crate) key: BTreeMap<String, i64>,
    /// Row counts of every data set (any import changes them).
    pub stats: DbStats,
    pub crypto: Arc<PriceData>,
    pub foods: Arc<FoodData>,
    pub recipes: Arc<RecipeData>,
}

/// What the prices give: tokens, their days, latest feature rows, market overviews.
#[derive(Debug)]
pub struct PriceData {
    version: i64,
    pub tokens: Vec<TokenSummary>,
    /// Each token's stored days, oldest first.
    pub prices: HashMap<String, Arc<Vec<PriceRow>>>,
    /// Each token's last feature row (what the price models predict from).
    pub latest: HashMap<String, LatestFeatures>,
    /// The prices and their feature frame, for market overviews of other windows.
    pub(crate) frames: Option<(DataFrame, DataFrame)>,
    /// The overviews of [`OFFERED_WINDOWS`] by both correlation methods.
    pub overviews: HashMap<OverviewKey, Arc<MarketOverview>>,
    /// Overviews of other windows, built on first request (one build for concurrent requests).
    pub(crate) other_overviews: moka::future::Cache<OverviewKey, Arc<MarketOverview>>,
}

/// The foods: their index with the EDA, the matcher recipes use, the groups.
#[derive(Debug)]
pub struct FoodData {
    version: i64,
    pub index: Arc<FoodIndex>,
    pub matcher: Arc<FoodMatcher>,
    pub groups: Vec<FoodGroupSummary>,
}

/// The recipes, and the analyzer's examples among them.
#[derive(Debug)]
pub struct RecipeData {
    version: i64,
    pub recipes: Arc<Vec<RecipeRecord>>,
    /// Test-half English recipes with site calories.
    pub examples: Vec<RecipeExample>,
}

impl DataPart {
    /// The data part of `stamp`, reusing `previous`'s sub-parts whose data set is unchanged.
    pub(crate) async fn build(
        pool: &Pool,
        stamp: &Stamp,
        previous: Option<&DataPart>,
        counters: &BuildCounters,
    ) -> Result<DataPart, ServeError> {
        let prices_v = stamp.data_version("prices");
        let crypto = async {
            Ok::<_, ServeError>(match previous {
                Some(p) if p.crypto.version == prices_v => p.crypto.clone(),
                _ => Arc::new(
                    built("prices", &counters.prices, PriceData::build(pool, prices_v)).await?,
                ),
            })
        };
        let foods_v = stamp.data_version("foods");
        let foods = async {
            Ok::<_, ServeError>(match previous {
                Some(p) if p.foods.version == foods_v => p.foods.clone(),
                _ => {
                    Arc::new(built("foods", &counters.foods, FoodData::build(pool, foods_v)).await?)
                }
            })
        };
        let recipes_v = stamp.data_version("recipes");
        let recipes = async {
            Ok::<_, ServeError>(match previous {
                Some(p) if p.recipes.version == recipes_v => p.recipes.clone(),
                _ => {
                    let build = async {
                        let recipes = mmi_store::recipes(pool).await?;
                        let examples = recipe_examples(&recipes);
                        Ok(RecipeData {
                            version: recipes_v,
                            recipes: Arc::new(recipes),
                            examples,
                        })
                    };
                    Arc::new(built("recipes", &counters.recipes, build).await?)
                }
            })
        };
        // The parts are independent: built side by side (the CPU work of each runs on the
        // blocking pool), so the first snapshot is ready in the time of the slowest.
        let (stats, crypto, foods, recipes) = tokio::try_join!(
            async { Ok::<_, ServeError>(mmi_store::stats(pool).await?) },
            crypto,
            foods,
            recipes
        )?;
        Ok(DataPart {
            key: stamp.data.clone(),
            stats,
            crypto,
            foods,
            recipes,
        })
    }
}

impl PriceData {
    async fn build(pool: &Pool, version: i64) -> Result<PriceData, ServeError> {
        let tokens = mmi_store::tokens(pool).await?;
        let rows = mmi_store::daily_prices(pool, None).await?;
        let mut prices: HashMap<String, Vec<PriceRow>> = HashMap::new();
        for r in &rows {
            prices.entry(r.symbol.clone()).or_default().push(r.clone());
        }
        // Polars is CPU work: off the async workers (its lazy engine also refuses to block
        // inside an async task on a single-threaded runtime).
        let (latest, frames, overviews) = tokio::task::spawn_blocking(move || {
            if rows.is_empty() {
                return Ok::<_, ServeError>((HashMap::new(), None, HashMap::new()));
            }
            let internal = "building the price features";
            let prices = prices_frame(&rows).map_err(|e| ServeError::internal(internal, e))?;
            let features = feature_frame(&prices).map_err(|e| ServeError::internal(internal, e))?;
            let latest = latest_features(&features)
                .map_err(|e| ServeError::internal(internal, e))?
                .into_iter()
                .map(|l| (l.symbol.clone(), l))
                .collect();
            let mut overviews = HashMap::new();
            for window in OFFERED_WINDOWS {
                for method in [Correlation::Pearson, Correlation::Spearman] {
                    // One window that cannot be computed does not keep the rest from serving:
                    // its requests compute it again and answer with the error.
                    match market_overview_with(&prices, &features, window, method) {
                        Ok(o) => {
                            overviews.insert((window, method), Arc::new(o));
                        }
                        Err(error) => {
                            tracing::error!(%error, ?window, ?method, "a market overview failed")
                        }
                    }
                }
            }
            Ok((latest, Some((prices, features)), overviews))
        })
        .await
        .map_err(|e| ServeError::internal("building the price features", e))??;
        Ok(PriceData {
            version,
            tokens,
            prices: prices.into_iter().map(|(k, v)| (k, Arc::new(v))).collect(),
            latest,
            frames,
            overviews,
            other_overviews: moka::future::Cache::new(super::LAZY_ENTRIES),
        })
    }
}

impl FoodData {
    async fn build(pool: &Pool, version: i64) -> Result<FoodData, ServeError> {
        let groups = mmi_store::food_groups(pool).await?;
        let rows = mmi_store::foods(pool).await?;
        let (index, matcher) = tokio::task::spawn_blocking(move || {
            let index = Arc::new(FoodIndex::new(mmi_nutrition::foods_of(rows)));
            let matcher = Arc::new(FoodMatcher::new(&index.foods));
            (index, matcher)
        })
        .await
        .map_err(|e| ServeError::internal("building the food index", e))?;
        Ok(FoodData {
            version,
            index,
            matcher,
            groups,
        })
    }
}

/// Up to eight English test-half recipes of 4–16 lines with a yield and site calories.
fn recipe_examples(recipes: &[RecipeRecord]) -> Vec<RecipeExample> {
    use mmi_nutrition::recipe::evaluate::{is_english, is_test_recipe, servings, site_value};
    recipes
        .iter()
        .filter(|r| is_english(r) && is_test_recipe(r) && (4..=16).contains(&r.ingredients.len()))
        .filter_map(|r| {
            let n = servings(r.yields.as_deref()?)?;
            let site_kcal = r
                .nutrients_json
                .as_deref()
                .and_then(|j| site_value(j, mmi_nutrition::Nutrient::Energy));
            Some(RecipeExample {
                title: r.title.clone(),
                servings: n,
                ingredients: r.ingredients.clone(),
                site_kcal,
            })
        })
        .filter(|e| e.site_kcal.is_some())
        .take(8)
        .collect()
}
