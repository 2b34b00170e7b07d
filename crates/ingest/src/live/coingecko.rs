//! CoinGecko API v3: `/coins/markets` (top-N by market cap) and
//! `/coins/{id}/market_chart/range` (daily history), <https://docs.coingecko.com/v3.0.1/reference>.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use mmi_store::{Outcome, Pool, SqlValue};
use reqwest::{Client, Url};
use serde::Deserialize;

use super::http::{base, client, get_json, url_under, RetryPolicy};
use crate::files::{upsert_token, write_rows, zero_is_missing, PriceRow};
use crate::{FileReport, IngestError, Progress};

const API: &str = "CoinGecko";
const SOURCE: &str = "coingecko";

/// A CoinGecko client. The demo API key is optional (sent as `x-cg-demo-api-key`).
#[derive(Debug, Clone)]
pub struct CoinGeckoClient {
    http: Client,
    base_url: Url,
    api_key: Option<String>,
    retry: RetryPolicy,
}

/// One coin of `/coins/markets`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct MarketCoin {
    pub id: String,
    pub symbol: String,
    pub name: String,
    pub market_cap_rank: Option<i64>,
}

/// `/coins/{id}/market_chart/range`: `[unix ms, value]` pairs.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct MarketChart {
    pub prices: Vec<(f64, Option<f64>)>,
    pub market_caps: Vec<(f64, Option<f64>)>,
    pub total_volumes: Vec<(f64, Option<f64>)>,
}

/// One UTC day of a chart: close, volume and market cap in USD.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartDay {
    pub day: String,
    pub close_usd: f64,
    pub volume_usd: Option<f64>,
    pub market_cap_usd: Option<f64>,
}

impl CoinGeckoClient {
    /// `base_url` is e.g. `https://api.coingecko.com/api/v3` (a trailing slash is optional).
    pub fn new(
        base_url: &str,
        api_key: Option<String>,
        retry: RetryPolicy,
    ) -> Result<Self, IngestError> {
        Ok(CoinGeckoClient {
            http: client(API)?,
            base_url: base(base_url)?,
            api_key,
            retry,
        })
    }

    fn url(&self, path: &str, query: &[(&str, String)]) -> Result<Url, IngestError> {
        url_under(&self.base_url, path, query)
    }

    fn headers(&self) -> Vec<(&'static str, String)> {
        self.api_key
            .iter()
            .map(|k| ("x-cg-demo-api-key", k.clone()))
            .collect()
    }

    /// The `top_n` coins by market cap (at most 250, CoinGecko's page size limit).
    pub async fn markets(&self, top_n: u32) -> Result<Vec<MarketCoin>, IngestError> {
        let url = self.url(
            "coins/markets",
            &[
                ("vs_currency", "usd".into()),
                ("order", "market_cap_desc".into()),
                ("per_page", top_n.clamp(1, 250).to_string()),
                ("page", "1".into()),
            ],
        )?;
        get_json(
            &self.http,
            API,
            "/coins/markets",
            url,
            &self.headers(),
            &self.retry,
        )
        .await
    }

    /// Daily history of coin `id` between two instants.
    pub async fn market_chart_range(
        &self,
        id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<MarketChart, IngestError> {
        let url = self.url(
            &format!("coins/{id}/market_chart/range"),
            &[
                ("vs_currency", "usd".into()),
                ("from", from.timestamp().to_string()),
                ("to", to.timestamp().to_string()),
            ],
        )?;
        let endpoint = format!("/coins/{id}/market_chart/range");
        get_json(
            &self.http,
            API,
            &endpoint,
            url,
            &self.headers(),
            &self.retry,
        )
        .await
    }
}

/// Turns chart points into UTC days. Over ranges above 90 days CoinGecko gives one point per day
/// at 00:00 UTC, which is the previous day's close, so a point at instant `t` closes the day of
/// `t - 1 ms`; the last point of each day wins, and `today` (still trading) is left out.
pub fn daily(chart: &MarketChart, today: chrono::NaiveDate) -> Vec<ChartDay> {
    let day_of =
        |ms: f64| DateTime::<Utc>::from_timestamp_millis(ms as i64 - 1).map(|t| t.date_naive());
    let by_day = |points: &[(f64, Option<f64>)]| -> BTreeMap<chrono::NaiveDate, f64> {
        points
            .iter()
            .filter_map(|&(t, v)| Some((day_of(t)?, v.filter(|v| v.is_finite() && *v >= 0.0)?)))
            .collect()
    };
    let (volumes, caps) = (by_day(&chart.total_volumes), by_day(&chart.market_caps));
    by_day(&chart.prices)
        .into_iter()
        .filter(|(day, _)| *day < today)
        .map(|(day, close_usd)| ChartDay {
            day: day.to_string(),
            close_usd,
            volume_usd: zero_is_missing(volumes.get(&day).copied()),
            market_cap_usd: zero_is_missing(caps.get(&day).copied()),
        })
        .collect()
}

/// Imports the top-N tokens and their daily history; one report for the list and one per coin.
pub(crate) async fn import(
    pool: &Pool,
    client: &CoinGeckoClient,
    top_n: u32,
    history_days: i64,
    progress: &Progress,
) -> Result<Vec<FileReport>, IngestError> {
    let coins = client.markets(top_n).await?;
    let mut list = FileReport::new("coingecko /coins/markets");
    list.read = coins.len() as u64;
    let mut seen = BTreeMap::new();
    let mut tokens = Vec::new();
    let bar = progress.file(&list.file, coins.len() as u64);
    let mut tx = pool.begin().await?;
    for (i, coin) in coins.iter().enumerate() {
        let symbol = coin.symbol.trim().to_uppercase();
        if let Some(first) = seen.insert(symbol.clone(), coin.id.clone()) {
            // Symbols are our natural key; CoinGecko lists a few coins under one symbol.
            list.reject(
                i as u64 + 1,
                format!("symbol {symbol} already taken by {first}"),
            );
            seen.insert(symbol, first);
            continue;
        }
        let (id, outcome) = upsert_token(
            &mut tx,
            &symbol,
            &coin.name,
            &[
                ("coingecko_id", coin.id.as_str().into()),
                ("market_cap_rank", SqlValue::from(coin.market_cap_rank)),
            ],
        )
        .await?;
        match outcome {
            Outcome::Inserted => list.inserted += 1,
            Outcome::Updated => list.updated += 1,
            Outcome::Unchanged => list.unchanged += 1,
        }
        tokens.push((coin.id.clone(), symbol, id));
        bar.inc(1);
    }
    tx.commit().await?;
    bar.finish();

    let mut reports = vec![list];
    let to = Utc::now();
    let from = to - Duration::days(history_days.max(1));
    for (coin_id, symbol, token_id) in tokens {
        let chart = client.market_chart_range(&coin_id, from, to).await?;
        let days = daily(&chart, to.date_naive());
        let mut report = FileReport::new(format!("coingecko {symbol} market_chart/range"));
        report.read = days.len() as u64;
        let rows = days
            .into_iter()
            .enumerate()
            .map(|(i, d)| {
                (
                    i as u64 + 1,
                    PriceRow {
                        token_id,
                        day: d.day,
                        ohlc: None,
                        close_usd: d.close_usd,
                        volume_usd: d.volume_usd,
                        market_cap_usd: d.market_cap_usd,
                        source: SOURCE,
                    },
                )
            })
            .collect();
        write_rows(pool, rows, &mut report, progress).await?;
        reports.push(report);
    }
    Ok(reports)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn midnight_points_close_the_previous_day_and_today_is_dropped() {
        // 2021-07-05T00:00Z, 2021-07-06T00:00Z, and a live point on 2021-07-06 at 12:00.
        let chart = MarketChart {
            prices: vec![
                (1_625_443_200_000.0, Some(35_000.0)),
                (1_625_529_600_000.0, Some(34_000.0)),
                (1_625_572_800_000.0, Some(34_500.0)),
            ],
            market_caps: vec![(1_625_443_200_000.0, Some(6.5e11))],
            total_volumes: vec![(1_625_443_200_000.0, Some(0.0))],
        };
        let today = chrono::NaiveDate::from_ymd_opt(2021, 7, 6).unwrap();
        let days = daily(&chart, today);
        assert_eq!(days.len(), 2);
        assert_eq!(days[0].day, "2021-07-04");
        assert_eq!(days[0].close_usd, 35_000.0);
        assert_eq!(days[0].market_cap_usd, Some(6.5e11));
        assert_eq!(days[0].volume_usd, None, "zero volume is missing");
        assert_eq!(days[1].day, "2021-07-05");
        assert_eq!(days[1].market_cap_usd, None);
    }
}
