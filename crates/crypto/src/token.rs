//! A token's exploratory view: its history over a date range (with the warm-up the indicators
//! need) and the statistics of its daily returns in that range.

use chrono::{Duration, NaiveDate};
use mmi_signals::risk::{log_returns, max_drawdown, simple_returns, DAYS_PER_YEAR};
use mmi_signals::stats::{defined, describe, histogram, jarque_bera};
use mmi_store::PriceRow;
use mmi_types::{DayValue, PriceHistory, ReturnHistogram, ReturnStats, TokenEda};

use crate::CryptoError;

/// The range shown when none is asked for: the last year of the history.
pub const DEFAULT_RANGE_DAYS: i64 = 365;

/// Rows sent before the range so that every indicator (SMA 200 the longest) is defined from the
/// range's first day.
const WARM_UP_ROWS: usize = mmi_signals::features::WARM_UP_DAYS + 1;

/// The requested range, both ends inclusive and optional (`YYYY-MM-DD`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateRange {
    pub from: Option<String>,
    pub to: Option<String>,
}

fn parse_day(s: &str, which: &str) -> Result<NaiveDate, CryptoError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| CryptoError::InvalidRange(format!("{which} {s:?} is not a YYYY-MM-DD date")))
}

/// Builds the token page's data from one token's stored rows (oldest first).
pub fn token_eda(
    rows: &[PriceRow],
    symbol: &str,
    range: &DateRange,
) -> Result<TokenEda, CryptoError> {
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return Err(CryptoError::UnknownToken(symbol.to_owned()));
    };
    let first_day = parse_day(&first.day, "first day")?;
    let last_day = parse_day(&last.day, "last day")?;
    let to = match &range.to {
        Some(s) => parse_day(s, "to")?.min(last_day),
        None => last_day,
    };
    let from = match &range.from {
        Some(s) => parse_day(s, "from")?.max(first_day),
        None => (to - Duration::days(DEFAULT_RANGE_DAYS - 1)).max(first_day),
    };
    if from > to {
        return Err(CryptoError::InvalidRange(format!(
            "{symbol} has prices from {first_day} to {last_day}; the range {from} to {to} holds none"
        )));
    }
    let (from, to) = (from.to_string(), to.to_string());
    let start = rows.partition_point(|r| r.day < from);
    let end = rows.partition_point(|r| r.day <= to);
    if start >= end {
        return Err(CryptoError::InvalidRange(format!(
            "{symbol} has no prices from {from} to {to}"
        )));
    }
    let warm = start.saturating_sub(WARM_UP_ROWS);
    let shown = &rows[warm..end];
    let history = PriceHistory {
        symbol: first.symbol.clone(),
        name: first.name.clone(),
        days: shown.iter().map(|r| r.day.clone()).collect(),
        open_usd: shown.iter().map(|r| r.open_usd).collect(),
        high_usd: shown.iter().map(|r| r.high_usd).collect(),
        low_usd: shown.iter().map(|r| r.low_usd).collect(),
        close_usd: shown.iter().map(|r| r.close_usd).collect(),
        volume_usd: shown.iter().map(|r| r.volume_usd).collect(),
        range_start: start - warm,
    };
    let (stats, histogram) = return_stats(&rows[start.saturating_sub(1)..end], start > 0);
    Ok(TokenEda {
        history,
        first_day: first.day.clone(),
        last_day: last.day.clone(),
        stats,
        histogram,
    })
}

/// Statistics of the daily returns of `rows`; when `has_prior` the first row is the day before the
/// range, which gives the range's first day its return.
fn return_stats(rows: &[PriceRow], has_prior: bool) -> (ReturnStats, Option<ReturnHistogram>) {
    let close: Vec<f64> = rows.iter().map(|r| r.close_usd).collect();
    let returns = simple_returns(&close, 1);
    let sample = defined(&returns);
    let summary = describe(&sample);
    let log_sd = describe(&defined(&log_returns(&close, 1))).std_dev;
    let in_range = if has_prior { &close[1..] } else { &close[..] };
    let dated = || {
        rows.iter().zip(&returns).filter_map(|(r, v)| {
            v.filter(|v| v.is_finite()).map(|v| DayValue {
                day: r.day.clone(),
                value: v,
            })
        })
    };
    let best_day = dated().max_by(|a, b| a.value.total_cmp(&b.value));
    let worst_day = dated().min_by(|a, b| a.value.total_cmp(&b.value));
    let jb = jarque_bera(&sample);
    let bins = ((sample.len() as f64).sqrt().round() as usize).clamp(10, 80);
    let stats = ReturnStats {
        n_returns: summary.n,
        mean: summary.mean,
        median: summary.median,
        std_dev: summary.std_dev,
        skewness: summary.skewness,
        excess_kurtosis: summary.excess_kurtosis,
        annualised_volatility: log_sd.map(|sd| sd * DAYS_PER_YEAR.sqrt()),
        max_drawdown: max_drawdown(in_range).last().copied().flatten(),
        best_day,
        worst_day,
        jarque_bera: jb.map(|j| j.statistic),
        jarque_bera_p: jb.map(|j| j.p_value),
    };
    let histogram = histogram(&sample, bins).map(|h| ReturnHistogram {
        centers: h.centers,
        width: h.width,
        counts: h.counts,
        normal_fit: h.normal_fit,
    });
    (stats, histogram)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    fn rows(n: usize) -> Vec<PriceRow> {
        let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        (0..n)
            .map(|i| PriceRow {
                symbol: "TST".into(),
                name: "Test".into(),
                day: (start + Duration::days(i as i64)).to_string(),
                open_usd: None,
                high_usd: None,
                low_usd: None,
                close_usd: 100.0 * (1.0 + 0.01 * ((i % 5) as f64 - 2.0)),
                volume_usd: Some(1.0),
                market_cap_usd: None,
            })
            .collect()
    }

    #[test]
    fn default_range_is_the_last_year_with_warm_up_before_it() {
        let data = rows(800);
        let eda = token_eda(&data, "TST", &DateRange::default()).unwrap();
        let h = &eda.history;
        assert_eq!(h.days.len() - h.range_start, 365);
        assert_eq!(h.range_start, WARM_UP_ROWS);
        assert_eq!(h.days.last().unwrap(), &data[799].day);
        assert_eq!(eda.stats.n_returns, 365);
    }

    #[test]
    fn explicit_range_and_its_statistics() {
        let data = rows(100);
        let range = DateRange {
            from: Some("2020-01-03".into()),
            to: Some("2020-01-07".into()),
        };
        let eda = token_eda(&data, "TST", &range).unwrap();
        assert_eq!(eda.history.range_start, 2);
        assert_eq!(
            &eda.history.days[2..],
            [
                "2020-01-03",
                "2020-01-04",
                "2020-01-05",
                "2020-01-06",
                "2020-01-07"
            ]
        );
        // Closes 98, 99, 100, 101, 102, 98, 99, ...: returns of the five range days, from 100 on
        // 2020-01-03 (vs 99) to 2020-01-07 (vs 102).
        let s = &eda.stats;
        assert_eq!(s.n_returns, 5);
        assert_relative_eq!(s.worst_day.as_ref().unwrap().value, 98.0 / 102.0 - 1.0);
        assert_eq!(s.worst_day.as_ref().unwrap().day, "2020-01-06");
        assert_relative_eq!(s.max_drawdown.unwrap(), 98.0 / 102.0 - 1.0);
    }

    #[test]
    fn bad_ranges_are_named() {
        let data = rows(10);
        let bad = DateRange {
            from: Some("2020-02-30".into()),
            to: None,
        };
        assert!(
            matches!(token_eda(&data, "TST", &bad), Err(CryptoError::InvalidRange(m)) if m.contains("2020-02-30"))
        );
        let reversed = DateRange {
            from: Some("2020-01-08".into()),
            to: Some("2020-01-02".into()),
        };
        assert!(matches!(
            token_eda(&data, "TST", &reversed),
            Err(CryptoError::InvalidRange(_))
        ));
        assert!(
            matches!(token_eda(&[], "NOPE", &DateRange::default()), Err(CryptoError::UnknownToken(s)) if s == "NOPE")
        );
    }
}
