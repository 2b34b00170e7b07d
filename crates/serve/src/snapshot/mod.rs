//! What requests read: one immutable [`Snapshot`] per (data version, model versions, runs),
//! built from the database once and swapped in whole. A new snapshot reuses every part whose
//! inputs did not change (a training of one task reloads that task's model, not the foods).

mod data;
mod models;
mod reports;
mod sentiment;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use mmi_nutrition::meals::{build_catalogue, build_sides, RecipeProfile, SideFood};
use mmi_store::{Pool, Stamp};
use mmi_types::{MealPlan, SnapshotInfo};

pub use data::{DataPart, FoodData, PriceData, RecipeData, OFFERED_WINDOWS};
pub use models::{Loaded, ModelsPart};
pub use reports::ReportsPart;
pub use sentiment::{series_of, SentimentIndex, TokenSentiment, TOP_ITEMS};

use crate::ServeError;

/// Lazily built entries kept per snapshot: market overviews of other windows, meal plans.
pub(crate) const LAZY_ENTRIES: u64 = 256;

/// Everything a request reads, for one stamp of the database.
#[derive(Debug)]
pub struct Snapshot {
    pub stamp: Stamp,
    pub built_at: String,
    pub build_ms: f64,
    pub data: Arc<DataPart>,
    pub models: Arc<ModelsPart>,
    pub sentiment: Arc<SentimentIndex>,
    pub meals: Arc<MealPart>,
    pub reports: Arc<ReportsPart>,
}

/// The meal catalogue (per data version and parser version) and the plans already made on it.
#[derive(Debug)]
pub struct MealPart {
    key: (i64, i64, Option<String>),
    /// `None` without a parser or foods: `NotReady` says which.
    pub catalogue: Option<Arc<Vec<RecipeProfile>>>,
    /// The simple foods plans may add as sides, snacks and drinks.
    pub sides: Arc<Vec<SideFood>>,
    pub(crate) plans: moka::future::Cache<String, Arc<MealPlan>>,
}

/// How many times each part has been built since the process started.
#[derive(Debug, Default)]
pub struct BuildCounters {
    pub snapshots: AtomicU64,
    pub data: AtomicU64,
    pub prices: AtomicU64,
    pub foods: AtomicU64,
    pub recipes: AtomicU64,
    pub models: AtomicU64,
    pub sentiment_index: AtomicU64,
    pub meal_catalogue: AtomicU64,
    pub reports: AtomicU64,
    pub market_overview: AtomicU64,
    pub crypto_model: AtomicU64,
    pub meal_plan: AtomicU64,
}

impl BuildCounters {
    pub fn counts(&self) -> BTreeMap<String, u64> {
        [
            ("snapshots", &self.snapshots),
            ("data", &self.data),
            ("prices", &self.prices),
            ("foods", &self.foods),
            ("recipes", &self.recipes),
            ("models", &self.models),
            ("sentiment_index", &self.sentiment_index),
            ("meal_catalogue", &self.meal_catalogue),
            ("reports", &self.reports),
            ("market_overview", &self.market_overview),
            ("crypto_model", &self.crypto_model),
            ("meal_plan", &self.meal_plan),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.load(Ordering::Relaxed)))
        .collect()
    }
}

pub(crate) fn count(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// Builds one part: counted, timed and logged.
pub(crate) async fn built<T>(
    part: &'static str,
    counter: &AtomicU64,
    build: impl std::future::Future<Output = Result<T, ServeError>>,
) -> Result<T, ServeError> {
    count(counter);
    let started = std::time::Instant::now();
    let value = build.await?;
    tracing::info!(
        part,
        ms = started.elapsed().as_secs_f64() * 1000.0,
        "snapshot part built"
    );
    Ok(value)
}

impl Snapshot {
    /// Builds the snapshot of `stamp`, reusing the parts of `previous` whose inputs are unchanged.
    pub(crate) async fn build(
        pool: &Pool,
        stamp: Stamp,
        previous: Option<&Snapshot>,
        counters: &BuildCounters,
    ) -> Result<Snapshot, ServeError> {
        let started = std::time::Instant::now();
        let data = async {
            Ok::<_, ServeError>(match previous {
                Some(p) if p.data.key == stamp.data => p.data.clone(),
                _ => Arc::new(
                    built(
                        "data",
                        &counters.data,
                        DataPart::build(pool, &stamp, previous.map(|p| p.data.as_ref()), counters),
                    )
                    .await?,
                ),
            })
        };
        let models = async {
            Ok::<_, ServeError>(match previous {
                Some(p) if p.models.versions == stamp.versions => p.models.clone(),
                _ => Arc::new(
                    built(
                        "models",
                        &counters.models,
                        ModelsPart::build(
                            pool,
                            &stamp,
                            previous.map(|p| p.models.as_ref()),
                            counters,
                        ),
                    )
                    .await?,
                ),
            })
        };
        // Data and models do not depend on each other; the rest depends on both.
        let (data, models) = tokio::try_join!(data, models)?;
        // The index is rewritten with the sentiment model; its days carry closes.
        let sentiment_key = (
            stamp.data_version("news"),
            stamp.data_version("prices"),
            models.sentiment_sha(),
        );
        let meal_key = (
            stamp.data_version("foods"),
            stamp.data_version("recipes"),
            models.parser.as_ref().map(|p| p.0.sha256.clone()),
        );
        let sentiment = async {
            Ok::<_, ServeError>(match previous {
                Some(p) if p.sentiment.key == sentiment_key => p.sentiment.clone(),
                _ => Arc::new(
                    built(
                        "sentiment_index",
                        &counters.sentiment_index,
                        SentimentIndex::build(pool, sentiment_key, &data),
                    )
                    .await?,
                ),
            })
        };
        let meals = async {
            Ok::<_, ServeError>(match previous {
                Some(p) if p.meals.key == meal_key => p.meals.clone(),
                _ => {
                    let catalogue = match &models.parser {
                        Some((_, parser)) if !data.foods.index.foods.is_empty() => {
                            let (parser, foods, recipes) =
                                (parser.clone(), data.foods.clone(), data.recipes.clone());
                            let build = async {
                                tokio::task::spawn_blocking(move || {
                                    Arc::new(build_catalogue(
                                        &parser,
                                        &foods.matcher,
                                        &foods.index.foods,
                                        &recipes.recipes,
                                    ))
                                })
                                .await
                                .map_err(|e| ServeError::internal("building the meal catalogue", e))
                            };
                            Some(built("meal_catalogue", &counters.meal_catalogue, build).await?)
                        }
                        _ => None,
                    };
                    Arc::new(MealPart {
                        key: meal_key,
                        catalogue,
                        sides: Arc::new(build_sides(&data.foods.index.foods)),
                        plans: moka::future::Cache::new(LAZY_ENTRIES),
                    })
                }
            })
        };
        let reports = async {
            Ok::<_, ServeError>(match previous {
                Some(p) if p.reports.key == (stamp.runs.clone(), stamp.versions.len()) => {
                    p.reports.clone()
                }
                _ => Arc::new(
                    built(
                        "reports",
                        &counters.reports,
                        ReportsPart::build(pool, &stamp),
                    )
                    .await?,
                ),
            })
        };
        // The sentiment index, the meal catalogue and the reports are independent of each other.
        let (sentiment, meals, reports) = tokio::try_join!(sentiment, meals, reports)?;
        count(&counters.snapshots);
        Ok(Snapshot {
            stamp,
            built_at: chrono::Utc::now().to_rfc3339(),
            build_ms: started.elapsed().as_secs_f64() * 1000.0,
            data,
            models,
            sentiment,
            meals,
            reports,
        })
    }

    /// What `/readyz` says about this snapshot.
    pub fn info(&self, counters: &BuildCounters) -> SnapshotInfo {
        SnapshotInfo {
            data_versions: self.stamp.data.clone(),
            serving: self
                .stamp
                .versions
                .iter()
                .filter(|v| v.serving)
                .map(|v| (v.task.clone(), format!("{} v{}", v.name, v.version)))
                .collect(),
            built_at: self.built_at.clone(),
            build_ms: self.build_ms,
            builds: counters.counts(),
        }
    }
}
