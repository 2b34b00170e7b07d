//! The market overview: every token's size and last-30-days metrics (polars group-bys), and over a
//! window ending on the last stored day, the correlations of daily log returns and the cumulative
//! returns (per-token columns joined by day).

use chrono::{Duration, NaiveDate};
use mmi_signals::risk::{max_drawdown, DAYS_PER_YEAR};
use mmi_signals::stats::{pearson, spearman};
use mmi_types::{
    Correlation, CorrelationMatrix, CumulativeReturns, MarketOverview, SymbolSeries, TokenMetrics,
};
use polars::prelude::*;

use crate::frame::{f64_column, str_column};
use crate::{feature_frame, CryptoError};

/// Days behind the "30-day" metrics.
const RECENT_DAYS: usize = 30;

/// The market page's data from [`crate::prices_frame`], over the last `window_days` days (all
/// history for `None`).
pub fn market_overview(
    prices: &DataFrame,
    window_days: Option<u32>,
    method: Correlation,
) -> Result<MarketOverview, CryptoError> {
    if prices.height() == 0 {
        return Err(CryptoError::NoData);
    }
    market_overview_with(prices, &feature_frame(prices)?, window_days, method)
}

/// [`market_overview`] with the feature frame of `prices` already built (a serving snapshot
/// builds it once for every window).
pub fn market_overview_with(
    prices: &DataFrame,
    features: &DataFrame,
    window_days: Option<u32>,
    method: Correlation,
) -> Result<MarketOverview, CryptoError> {
    if prices.height() == 0 {
        return Err(CryptoError::NoData);
    }
    let tokens = token_metrics(prices, features)?;
    let last_day = tokens
        .iter()
        .map(|t| t.last_day.as_str())
        .max()
        .unwrap_or_default()
        .to_owned();
    let first_day = tokens
        .iter()
        .map(|t| t.first_day.as_str())
        .min()
        .unwrap_or_default()
        .to_owned();
    let from_day = match window_days {
        Some(days) if days > 0 => {
            let last = NaiveDate::parse_from_str(&last_day, "%Y-%m-%d")
                .map_err(|_| CryptoError::InvalidRange(format!("stored day {last_day:?}")))?;
            (last - Duration::days(i64::from(days) - 1))
                .to_string()
                .max(first_day)
        }
        _ => first_day,
    };
    // Tokens that traded in the window: one that stopped before it has no column there.
    let symbols: Vec<String> = tokens
        .iter()
        .filter(|t| t.last_day >= from_day)
        .map(|t| t.symbol.clone())
        .collect();
    let returns = wide_by_day(features, "log_ret_1", &from_day)?;
    let closes = wide_by_day(features, "close", &from_day)?;
    Ok(MarketOverview {
        correlation: correlations(&returns, &symbols, method)?,
        cumulative: cumulative_returns(&closes, &symbols)?,
        last_day,
        from_day,
        window_days,
        tokens,
    })
}

/// One column per token with `value` on each day from `from_day` on (null where the token did not
/// trade), joined on a `day` column of every day any token traded.
pub fn wide_by_day(frame: &DataFrame, value: &str, from_day: &str) -> PolarsResult<DataFrame> {
    let recent = frame
        .clone()
        .lazy()
        .filter(col("day").gt_eq(lit(from_day)))
        .select([col("symbol"), col("day"), col(value)])
        .collect()?;
    let mut wide = recent
        .clone()
        .lazy()
        .select([col("day")])
        .unique_stable(None, UniqueKeepStrategy::First)
        .sort(["day"], SortMultipleOptions::default());
    for part in recent.partition_by_stable(["symbol"], true)? {
        let symbol = str_column(&part, "symbol")?.swap_remove(0);
        let column = part
            .lazy()
            .select([col("day"), col(value).alias(symbol.as_str())]);
        wide = wide.left_join(column, col("day"), col("day"));
    }
    wide.sort(["day"], SortMultipleOptions::default()).collect()
}

/// Every token's history extent, last close and market cap, and its last-30-days metrics, largest
/// market cap first.
pub fn token_metrics(
    prices: &DataFrame,
    features: &DataFrame,
) -> Result<Vec<TokenMetrics>, CryptoError> {
    let recent = RECENT_DAYS as u32;
    let by_token = prices
        .clone()
        .lazy()
        .sort(["symbol", "day"], SortMultipleOptions::default())
        .group_by_stable([col("symbol")])
        .agg([
            col("name").first(),
            col("day").count().alias("n_days"),
            col("day").first().alias("first_day"),
            col("day").last().alias("last_day"),
            col("close").last(),
            col("market_cap").last(),
            col("volume")
                .tail(Some(RECENT_DAYS))
                .mean()
                .alias("mean_volume_30d"),
        ]);
    let by_features = features
        .clone()
        .lazy()
        .group_by_stable([col("symbol")])
        .agg([
            col("ret_30").last().alias("return_30d"),
            col("log_ret_1")
                .tail(Some(RECENT_DAYS))
                .std(1)
                .alias("sd_30d"),
            col("log_ret_1")
                .tail(Some(RECENT_DAYS))
                .count()
                .alias("n_returns_30d"),
        ]);
    let table = by_token
        .left_join(by_features, col("symbol"), col("symbol"))
        .collect()?;
    let symbols = str_column(&table, "symbol")?;
    let names = str_column(&table, "name")?;
    let first_days = str_column(&table, "first_day")?;
    let last_days = str_column(&table, "last_day")?;
    let n_days = f64_column(&table, "n_days")?;
    let close = f64_column(&table, "close")?;
    let market_cap = f64_column(&table, "market_cap")?;
    let volume = f64_column(&table, "mean_volume_30d")?;
    let return_30d = f64_column(&table, "return_30d")?;
    let sd = f64_column(&table, "sd_30d")?;
    let n_returns = f64_column(&table, "n_returns_30d")?;
    let drawdowns = recent_drawdowns(prices)?;
    let mut out: Vec<TokenMetrics> = (0..table.height())
        .map(|i| TokenMetrics {
            symbol: symbols[i].clone(),
            name: names[i].clone(),
            n_days: n_days[i].unwrap_or(0.0) as u32,
            first_day: first_days[i].clone(),
            last_day: last_days[i].clone(),
            close_usd: close[i].unwrap_or(f64::NAN),
            market_cap_usd: market_cap[i].filter(|v| *v > 0.0),
            return_30d: return_30d[i],
            // Only over a full window of 30 returns.
            volatility_30d: sd[i]
                .filter(|_| n_returns[i] == Some(f64::from(recent)))
                .map(|s| s * DAYS_PER_YEAR.sqrt()),
            max_drawdown_30d: drawdowns.get(&symbols[i]).copied().flatten(),
            mean_volume_30d_usd: volume[i],
        })
        .collect();
    out.sort_by(|a, b| {
        b.market_cap_usd
            .unwrap_or(-1.0)
            .total_cmp(&a.market_cap_usd.unwrap_or(-1.0))
            .then_with(|| a.symbol.cmp(&b.symbol))
    });
    Ok(out)
}

/// The worst drawdown of each token's last 30 closes (a path measure: `mmi_signals` per token).
fn recent_drawdowns(
    prices: &DataFrame,
) -> PolarsResult<std::collections::HashMap<String, Option<f64>>> {
    let mut out = std::collections::HashMap::new();
    for part in prices.partition_by_stable(["symbol"], true)? {
        let part = part.sort(["day"], SortMultipleOptions::default())?;
        let symbol = str_column(&part, "symbol")?.swap_remove(0);
        let close: Vec<f64> = f64_column(&part, "close")?.into_iter().flatten().collect();
        let tail = &close[close.len().saturating_sub(RECENT_DAYS)..];
        out.insert(symbol, max_drawdown(tail).last().copied().flatten());
    }
    Ok(out)
}

fn correlations(
    returns: &DataFrame,
    symbols: &[String],
    method: Correlation,
) -> PolarsResult<CorrelationMatrix> {
    let columns: Vec<Vec<Option<f64>>> = symbols
        .iter()
        .map(|s| f64_column(returns, s))
        .collect::<PolarsResult<_>>()?;
    let n = symbols.len();
    let mut values = vec![vec![None; n]; n];
    let mut n_obs = vec![vec![0u32; n]; n];
    for i in 0..n {
        for j in i..n {
            let common = columns[i]
                .iter()
                .zip(&columns[j])
                .filter(|(a, b)| a.is_some() && b.is_some())
                .count() as u32;
            let r = if i == j && common >= 3 {
                Some(1.0)
            } else {
                match method {
                    Correlation::Pearson => pearson(&columns[i], &columns[j]),
                    Correlation::Spearman => spearman(&columns[i], &columns[j]),
                }
            };
            values[i][j] = r;
            values[j][i] = r;
            n_obs[i][j] = common;
            n_obs[j][i] = common;
        }
    }
    Ok(CorrelationMatrix {
        method,
        symbols: symbols.to_vec(),
        values,
        n_obs,
    })
}

/// Growth of 1 USD from each token's first close in the window.
fn cumulative_returns(closes: &DataFrame, symbols: &[String]) -> PolarsResult<CumulativeReturns> {
    let days = str_column(closes, "day")?;
    let series = symbols
        .iter()
        .map(|s| {
            let close = f64_column(closes, s)?;
            let base = close.iter().flatten().copied().find(|v| *v > 0.0);
            let values = close.iter().map(|c| Some(c.as_ref()? / base?)).collect();
            Ok(SymbolSeries {
                symbol: s.clone(),
                values,
            })
        })
        .collect::<PolarsResult<_>>()?;
    Ok(CumulativeReturns { days, series })
}

#[cfg(test)]
mod tests {
    use super::*;
    use mmi_store::PriceRow;

    fn days(symbol: &str, n: i64) -> Vec<PriceRow> {
        let start = NaiveDate::from_ymd_opt(2020, 1, 1).expect("date");
        (0..n)
            .map(|i| PriceRow {
                symbol: symbol.into(),
                name: symbol.into(),
                day: (start + Duration::days(i)).to_string(),
                open_usd: None,
                high_usd: None,
                low_usd: None,
                close_usd: 100.0 + (i as f64 * 0.7).sin() * 5.0 + i as f64,
                volume_usd: None,
                market_cap_usd: None,
            })
            .collect()
    }

    #[test]
    fn a_token_that_stopped_trading_before_the_window_is_not_in_it() {
        let mut rows = days("AAA", 120);
        rows.extend(days("BBB", 120));
        rows.extend(days("OLD", 40));
        let prices = crate::prices_frame(&rows).expect("frame");
        let o = market_overview(&prices, Some(30), Correlation::Pearson).expect("overview");
        assert_eq!(o.tokens.len(), 3, "every token keeps its metrics");
        let mut symbols = o.correlation.symbols.clone();
        symbols.sort();
        assert_eq!(symbols, ["AAA", "BBB"]);
        assert_eq!(o.cumulative.series.len(), 2);
        // Over the whole history, all three.
        let all = market_overview(&prices, None, Correlation::Pearson).expect("overview");
        assert_eq!(all.correlation.symbols.len(), 3);
    }
}
