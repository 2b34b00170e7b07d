//! The training reports, the tracked runs and the dashboard's counts, from the snapshot.

use mmi_types::{
    DbStats, ModelReport, ModelVersionSummary, NutritionReport, RecommenderReport, RunSummary,
};

use crate::{ServeError, Services};

impl Services {
    /// Row counts of every data set and the price date range, as of the last import.
    pub async fn stats(&self) -> Result<DbStats, ServeError> {
        Ok(self.snapshot().await?.data.stats.clone())
    }

    /// The latest crypto training's report.
    pub async fn model_report(&self) -> Result<Option<ModelReport>, ServeError> {
        Ok(self.snapshot().await?.reports.crypto.clone())
    }

    /// The latest nutrition training's report.
    pub async fn nutrition_report(&self) -> Result<Option<NutritionReport>, ServeError> {
        Ok(self.snapshot().await?.reports.nutrition.clone())
    }

    /// The latest recommender training's report.
    pub async fn recommender_report(&self) -> Result<Option<RecommenderReport>, ServeError> {
        Ok(self.snapshot().await?.reports.recommender.clone())
    }

    /// The latest runs and every registered version.
    pub async fn runs(&self) -> Result<(Vec<RunSummary>, Vec<ModelVersionSummary>), ServeError> {
        let snapshot = self.snapshot().await?;
        Ok((
            snapshot.reports.runs.clone(),
            snapshot.reports.versions.clone(),
        ))
    }
}
