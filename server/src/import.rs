//! Choosing the data source from the config and running the import.

use mmi_ingest::{
    import_dir, import_live, CoinGeckoClient, FdcClient, ImportReport, IngestError, LiveOptions,
    Progress, RetryPolicy,
};
use mmi_store::Pool;

use crate::config::Config;

/// Where an import reads from.
#[derive(Debug, Clone)]
pub enum Source {
    Dir(std::path::PathBuf),
    Live(Box<LiveOptions>),
}

impl Source {
    /// The configured source: the data directory, else the live APIs when `live` (or
    /// LIVE_IMPORT) asks for them; `None` when neither is configured.
    pub fn from_config(config: &Config, live: bool) -> Result<Option<Source>, IngestError> {
        if let (Some(dir), false) = (&config.data_dir, live) {
            return Ok(Some(Source::Dir(dir.clone())));
        }
        if !(live || config.live_import) {
            return Ok(None);
        }
        let fdc = match &config.fdc_api_key {
            Some(key) => Some(FdcClient::new(
                &config.fdc_base_url,
                key.clone(),
                RetryPolicy::default(),
            )?),
            None => {
                tracing::warn!(
                    "FDC_API_KEY is not set: foods are not fetched from FoodData Central"
                );
                None
            }
        };
        Ok(Some(Source::Live(Box::new(LiveOptions {
            coingecko: Some(CoinGeckoClient::new(
                &config.coingecko_base_url,
                config.coingecko_api_key.clone(),
                RetryPolicy::default(),
            )?),
            top_n: config.coingecko_top_n,
            history_days: config.coingecko_history_days,
            fdc,
            max_foods: config.fdc_max_foods,
        }))))
    }

    fn label(&self) -> String {
        match self {
            Source::Dir(dir) => dir.display().to_string(),
            Source::Live(_) => "live".to_owned(),
        }
    }
}

/// Runs an import and records it in `import_runs`.
pub async fn run(
    pool: &Pool,
    source: &Source,
    progress: &Progress,
) -> Result<ImportReport, IngestError> {
    let now = || chrono::Utc::now().to_rfc3339();
    let run_id = mmi_store::begin_import_run(pool, &source.label(), &now()).await?;
    let report = match source {
        Source::Dir(dir) => import_dir(pool, dir, progress).await?,
        Source::Live(options) => import_live(pool, options, progress).await?,
    };
    let summary = serde_json::to_string(&report).unwrap_or_else(|e| format!("\"{e}\""));
    mmi_store::finish_import_run(pool, run_id, &now(), &summary).await?;
    Ok(report)
}
