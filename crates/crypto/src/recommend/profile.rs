//! Each token's behaviour profile, from its real daily prices over the last year of its history:
//! how it moves (volatility, beta and correlation to BTC, skewness, drawdown), where it is heading
//! (90- and 365-day returns, market-cap trend, mean RSI), its size and its trading activity.
//! Standardised across tokens, the profiles are the content-based recommender's item vectors.

use std::collections::BTreeMap;

use mmi_signals::indicators::rsi;
use mmi_signals::risk::{log_returns, max_drawdown};
use mmi_signals::stats::{defined, describe, pearson};
use mmi_store::PriceRow;

/// The profile's columns.
pub const PROFILE_FEATURES: [&str; 11] = [
    "annualised volatility",
    "beta to BTC",
    "correlation with BTC",
    "skewness of daily returns",
    "max drawdown",
    "90-day log return",
    "365-day log return",
    "market-cap trend (90-day log change)",
    "log10 market cap",
    "mean RSI(14)",
    "log10 daily turnover (volume / market cap)",
];

/// A documented sector per token of the reference data (what the token is for, from each
/// project's own description); tokens outside the table are "other".
pub fn sector(symbol: &str) -> &'static str {
    match symbol {
        "BTC" => "store of value",
        "USDT" | "USDC" => "stablecoin",
        "ETH" | "ADA" | "DOT" | "SOL" | "ATOM" | "EOS" | "TRX" | "XEM" => "smart-contract platform",
        "AAVE" | "UNI" | "LINK" | "WBTC" => "DeFi",
        "BNB" | "CRO" => "exchange token",
        "XMR" => "privacy",
        "LTC" | "XRP" | "XLM" => "payments",
        "DOGE" => "meme",
        "MIOTA" => "IoT",
        _ => "other",
    }
}

/// The raw (unstandardised) profile of every token, in symbol order.
#[derive(Debug, Clone, PartialEq)]
pub struct Profiles {
    pub symbols: Vec<String>,
    /// `None` where a token's history cannot define the value (e.g. no volume).
    pub raw: Vec<Vec<Option<f64>>>,
    /// Standardised across tokens (z-scores); a missing value sits at the mean (0).
    pub z: Vec<Vec<f64>>,
    /// The last day of the window.
    pub to: String,
}

/// Profiles over each token's last `days` days (fewer when its history is shorter).
pub fn profiles(rows: &[PriceRow], days: usize) -> Profiles {
    let mut by_token: BTreeMap<&str, Vec<&PriceRow>> = BTreeMap::new();
    for r in rows {
        by_token.entry(r.symbol.as_str()).or_default().push(r);
    }
    for series in by_token.values_mut() {
        series.sort_by(|a, b| a.day.cmp(&b.day));
        let start = series.len().saturating_sub(days);
        series.drain(..start);
    }
    let to = by_token
        .values()
        .filter_map(|s| s.last().map(|r| r.day.clone()))
        .max()
        .unwrap_or_default();
    let btc: BTreeMap<&str, f64> = by_token
        .get("BTC")
        .map(|s| {
            let closes: Vec<f64> = s.iter().map(|r| r.close_usd).collect();
            s.iter()
                .zip(log_returns(&closes, 1))
                .filter_map(|(r, x)| x.map(|x| (r.day.as_str(), x)))
                .collect()
        })
        .unwrap_or_default();
    let symbols: Vec<String> = by_token.keys().map(|s| s.to_string()).collect();
    let raw: Vec<Vec<Option<f64>>> = by_token.values().map(|s| profile(s, &btc)).collect();
    let z = standardise(&raw);
    Profiles {
        symbols,
        raw,
        z,
        to,
    }
}

fn profile(series: &[&PriceRow], btc: &BTreeMap<&str, f64>) -> Vec<Option<f64>> {
    let closes: Vec<f64> = series.iter().map(|r| r.close_usd).collect();
    let returns = log_returns(&closes, 1);
    let known = defined(&returns);
    let summary = describe(&known);
    let vol = summary.std_dev.map(|s| s * 365f64.sqrt());
    // Beta and correlation on the days both have a return.
    let (mine, theirs): (Vec<Option<f64>>, Vec<Option<f64>>) = series
        .iter()
        .zip(&returns)
        .map(|(r, x)| (*x, btc.get(r.day.as_str()).copied()))
        .filter(|(a, b)| a.is_some() && b.is_some())
        .unzip();
    let corr = pearson(&mine, &theirs);
    let beta = {
        let a = defined(&mine);
        let b = defined(&theirs);
        let (sa, sb) = (describe(&a).std_dev, describe(&b).std_dev);
        corr.zip(sa).zip(sb).map(|((c, sa), sb)| c * sa / sb)
    };
    let last = closes.len().saturating_sub(1);
    let log_change = |values: &[Option<f64>], back: usize| -> Option<f64> {
        let end = values.get(last).copied().flatten()?;
        let start = values.get(last.checked_sub(back)?).copied().flatten()?;
        (end > 0.0 && start > 0.0).then(|| (end / start).ln())
    };
    let close_opt: Vec<Option<f64>> = closes.iter().map(|c| Some(*c)).collect();
    let caps: Vec<Option<f64>> = series
        .iter()
        .map(|r| r.market_cap_usd.filter(|c| *c > 0.0))
        .collect();
    let turnover: Vec<f64> = series
        .iter()
        .filter_map(|r| {
            let v = r.volume_usd?;
            let c = r.market_cap_usd.filter(|c| *c > 0.0)?;
            (v > 0.0).then(|| (v / c).log10())
        })
        .collect();
    let rsi_mean = describe(&defined(&rsi(&closes, 14))).mean;
    vec![
        vol,
        beta,
        corr,
        summary.skewness,
        max_drawdown(&closes).last().copied().flatten(),
        log_change(&close_opt, 90),
        log_change(&close_opt, 365.min(last)),
        log_change(&caps, 90),
        caps.get(last).copied().flatten().map(f64::log10),
        rsi_mean,
        describe(&turnover).mean,
    ]
}

/// Z-scores per column across tokens (population standard deviation); missing values and
/// constant columns give 0.
fn standardise(raw: &[Vec<Option<f64>>]) -> Vec<Vec<f64>> {
    let cols = raw.first().map_or(0, Vec::len);
    let mut z = vec![vec![0.0; cols]; raw.len()];
    for c in 0..cols {
        let known: Vec<f64> = raw.iter().filter_map(|r| r[c]).collect();
        if known.is_empty() {
            continue;
        }
        let mean = known.iter().sum::<f64>() / known.len() as f64;
        let sd =
            (known.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / known.len() as f64).sqrt();
        for (row, out) in raw.iter().zip(&mut z) {
            if let (Some(v), true) = (row[c], sd > 0.0) {
                out[c] = (v - mean) / sd;
            }
        }
    }
    z
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(symbol: &str, day: usize, close: f64) -> PriceRow {
        PriceRow {
            symbol: symbol.into(),
            name: symbol.into(),
            day: format!("2021-{:02}-{:02}", 1 + day / 28, 1 + day % 28),
            open_usd: None,
            high_usd: None,
            low_usd: None,
            close_usd: close,
            volume_usd: Some(1e6),
            market_cap_usd: Some(1e9 * close),
        }
    }

    #[test]
    fn a_token_that_doubles_btc_has_beta_two() {
        let mut rows = Vec::new();
        let mut btc = 100.0;
        let mut lev = 100.0;
        for d in 0..200 {
            let r = 0.02 * ((d * 7 % 11) as f64 - 5.0) / 5.0;
            btc *= r.exp();
            lev *= (2.0 * r).exp();
            rows.push(row("BTC", d, btc));
            rows.push(row("LEV", d, lev));
        }
        let p = profiles(&rows, 120);
        assert_eq!(p.symbols, vec!["BTC", "LEV"]);
        let lev = &p.raw[1];
        assert!((lev[1].expect("beta") - 2.0).abs() < 1e-9);
        assert!((lev[2].expect("corr") - 1.0).abs() < 1e-9);
        // Volatility doubles too; z-scores of two tokens are ±1.
        let ratio = lev[0].expect("vol") / p.raw[0][0].expect("vol");
        assert!((ratio - 2.0).abs() < 1e-9);
        assert!((p.z[1][0] - 1.0).abs() < 1e-9 && (p.z[0][0] + 1.0).abs() < 1e-9);
        // The window is the last 120 days: the 90-day return is over 90 of them.
        assert!(lev[5].is_some());
    }

    #[test]
    fn missing_values_stay_missing_in_the_raw_profile() {
        let mut rows: Vec<PriceRow> = (0..50).map(|d| row("BTC", d, 100.0 + d as f64)).collect();
        rows.extend((0..50).map(|d| {
            let mut r = row("NOV", d, 1.0 + d as f64);
            r.volume_usd = None;
            r.market_cap_usd = None;
            r
        }));
        let p = profiles(&rows, 365);
        let nov = &p.raw[1];
        assert_eq!(nov[8], None); // market cap
        assert_eq!(nov[10], None); // turnover
        assert_eq!(nov[6].map(|v| v > 0.0), Some(true)); // a 49-day history still has a return
        assert_eq!(p.z[1][8], 0.0);
    }
}
