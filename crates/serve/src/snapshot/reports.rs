//! The part of a snapshot that depends on the tracked runs: each system's latest training report
//! (decoded once, not per page view), the runs list and the registered versions.

use mmi_store::tracking::{latest_run_artifact, list_runs};
use mmi_store::{Pool, Stamp};
use mmi_types::{
    ModelReport, ModelVersionSummary, NutritionReport, RecipeReport, RecommenderReport, RunSummary,
    SentimentReport,
};

use crate::ServeError;

/// Runs listed on the experiments page.
pub const LISTED_RUNS: i64 = 200;

#[derive(Debug)]
pub struct ReportsPart {
    pub(crate) key: ((i64, i64, Option<String>), usize),
    pub crypto: Option<ModelReport>,
    pub nutrition: Option<NutritionReport>,
    pub recommender: Option<RecommenderReport>,
    pub sentiment: Option<SentimentReport>,
    pub recipes: Option<RecipeReport>,
    pub runs: Vec<RunSummary>,
    pub versions: Vec<ModelVersionSummary>,
}

impl ReportsPart {
    pub(crate) async fn build(pool: &Pool, stamp: &Stamp) -> Result<ReportsPart, ServeError> {
        use mmi_crypto::{recommend, sentiment, train};
        use mmi_nutrition::recipe::{RECIPE_EXPERIMENT, RECIPE_REPORT_ARTIFACT, RECIPE_RUN};
        Ok(ReportsPart {
            key: (stamp.runs.clone(), stamp.versions.len()),
            crypto: report(
                pool,
                train::EXPERIMENT,
                train::PARENT_RUN,
                train::REPORT_ARTIFACT,
            )
            .await?,
            nutrition: report(
                pool,
                mmi_nutrition::train::EXPERIMENT,
                mmi_nutrition::train::PARENT_RUN,
                mmi_nutrition::train::REPORT_ARTIFACT,
            )
            .await?,
            recommender: report(
                pool,
                recommend::EXPERIMENT,
                recommend::PARENT_RUN,
                recommend::REPORT_ARTIFACT,
            )
            .await?,
            sentiment: report(
                pool,
                sentiment::EXPERIMENT,
                sentiment::PARENT_RUN,
                sentiment::REPORT_ARTIFACT,
            )
            .await?,
            recipes: report(pool, RECIPE_EXPERIMENT, RECIPE_RUN, RECIPE_REPORT_ARTIFACT).await?,
            runs: list_runs(pool, LISTED_RUNS).await?,
            versions: stamp
                .versions
                .iter()
                .map(|v| ModelVersionSummary {
                    task: v.task.clone(),
                    name: v.name.clone(),
                    version: v.version,
                    run_id: v.run_id,
                    serving: v.serving,
                    created_at: v.created_at.clone(),
                })
                .collect(),
        })
    }
}

/// The report artifact of the experiment's latest finished parent run, decoded.
async fn report<T: serde::de::DeserializeOwned>(
    pool: &Pool,
    experiment: &str,
    parent: &str,
    artifact: &str,
) -> Result<Option<T>, ServeError> {
    match latest_run_artifact(pool, experiment, parent, artifact).await? {
        Some((_, bytes)) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| ServeError::internal("reading a training report", e)),
        None => Ok(None),
    }
}
