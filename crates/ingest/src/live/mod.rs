//! Live clients: CoinGecko (token list and daily history) and USDA FoodData Central (SR Legacy
//! foods), used when no data directory is configured. Both retry 429 and 5xx with backoff.

mod coingecko;
mod fdc;
mod http;

pub use coingecko::CoinGeckoClient;
pub use fdc::FdcClient;
pub use http::RetryPolicy;

use mmi_store::Pool;

use crate::{ImportReport, IngestError, Progress};

/// What to fetch from the live APIs.
#[derive(Debug, Clone)]
pub struct LiveOptions {
    /// CoinGecko, if tokens and prices are wanted.
    pub coingecko: Option<CoinGeckoClient>,
    /// How many tokens, by market cap.
    pub top_n: u32,
    /// Days of daily history per token, ending today.
    pub history_days: i64,
    /// FoodData Central, if foods are wanted (it needs an API key).
    pub fdc: Option<FdcClient>,
    /// At most this many SR Legacy foods (each costs one request).
    pub max_foods: u32,
}

/// Imports from the live APIs configured in `options`.
pub async fn import_live(
    pool: &Pool,
    options: &LiveOptions,
    progress: &Progress,
) -> Result<ImportReport, IngestError> {
    if options.coingecko.is_none() && options.fdc.is_none() {
        return Err(IngestError::NoSource);
    }
    let mut report = ImportReport {
        source: "live".to_owned(),
        ..ImportReport::default()
    };
    let total = options.coingecko.as_ref().map_or(0, |_| 1 + options.top_n)
        + options.fdc.as_ref().map_or(0, |_| 1);
    progress.begin(total);
    let result = async {
        if let Some(cg) = &options.coingecko {
            report.files.extend(
                coingecko::import(pool, cg, options.top_n, options.history_days, progress).await?,
            );
        }
        if let Some(fdc) = &options.fdc {
            report
                .files
                .push(fdc::import(pool, fdc, options.max_foods, progress).await?);
        }
        Ok(())
    }
    .await;
    progress.end();
    // Whatever committed is data the serving processes should see.
    let mut touched = std::collections::BTreeSet::new();
    if options.coingecko.is_some() {
        touched.insert("prices");
    }
    if options.fdc.is_some() {
        touched.insert("foods");
    }
    crate::files::bump(pool, &touched).await?;
    result.map(|()| report)
}
