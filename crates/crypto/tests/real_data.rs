//! The crypto analytics over the real reference data (DATA_DIR), imported by the project's own
//! importer into a real SQLite file: the feature frame's shape and gaps, the no-look-ahead
//! property, BTC's indicators against TA-Lib and pandas, the token view and the market overview.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;

use mmi_crypto::{
    f64_column, feature_frame, market_overview, prices_frame, str_column, token_eda, DateRange,
};
use mmi_signals::FEATURE_NAMES;
use mmi_store::PriceRow;
use mmi_types::Correlation;
use polars::prelude::*;

fn rows() -> &'static [PriceRow] {
    common::reference_prices()
}

fn token_rows(symbol: &str) -> Vec<PriceRow> {
    rows()
        .iter()
        .filter(|r| r.symbol == symbol)
        .cloned()
        .collect()
}

/// Feature columns (all of FEATURE_NAMES) of the rows for `symbol`, keyed by day.
fn features_by_day(frame: &DataFrame, symbol: &str) -> HashMap<String, Vec<Option<f64>>> {
    let part = frame
        .clone()
        .lazy()
        .filter(col("symbol").eq(lit(symbol)))
        .collect()
        .unwrap();
    let days = str_column(&part, "day").unwrap();
    let columns: Vec<Vec<Option<f64>>> = FEATURE_NAMES
        .iter()
        .map(|f| f64_column(&part, f).unwrap())
        .collect();
    days.into_iter()
        .enumerate()
        .map(|(i, d)| (d, columns.iter().map(|c| c[i]).collect()))
        .collect()
}

#[test]
fn the_feature_frame_covers_every_token_day_without_gaps_once_windows_are_full() {
    let prices = prices_frame(rows()).unwrap();
    let frame = feature_frame(&prices).unwrap();
    assert_eq!(frame.height(), 37_082);
    assert_eq!(frame.width(), 4 + FEATURE_NAMES.len());
    let symbols = str_column(&frame, "symbol").unwrap();
    let mut per_token: HashMap<&str, usize> = HashMap::new();
    for s in &symbols {
        *per_token.entry(s.as_str()).or_default() += 1;
    }
    assert_eq!(per_token.len(), 23);
    assert_eq!(per_token["BTC"], 2_991);
    assert_eq!(per_token["AAVE"], 275);

    // Price features (all but the volume ones) are defined from the 200th day of every token on;
    // nothing anywhere is NaN or infinite.
    let volume_features = ["volume_ratio_20", "pvt", "obv"];
    // %B is undefined, not zero, for a zero-width band (a stablecoin's flat 20 days).
    let band_width: Vec<Option<f64>> = f64_column(&frame, "bb_bandwidth").unwrap();
    for name in FEATURE_NAMES {
        let values = f64_column(&frame, name).unwrap();
        let raw = frame.column(name).unwrap().f64().unwrap().clone();
        assert!(
            raw.iter().flatten().all(f64::is_finite),
            "{name} has a non-finite value"
        );
        if volume_features.contains(&name) {
            continue;
        }
        let mut index_in_token = 0;
        for (i, v) in values.iter().enumerate() {
            index_in_token = if i > 0 && symbols[i] == symbols[i - 1] {
                index_in_token + 1
            } else {
                0
            };
            let flat_band = name == "bb_pct_b" && band_width[i] == Some(0.0);
            if index_in_token >= mmi_signals::features::WARM_UP_DAYS && !flat_band {
                assert!(
                    v.is_some(),
                    "{name} is missing for {} at row {i}",
                    symbols[i]
                );
            }
        }
    }
    // OBV is defined wherever the volume is.
    let volume = f64_column(&frame, "volume").unwrap();
    let obv = f64_column(&frame, "obv").unwrap();
    assert!(volume
        .iter()
        .zip(&obv)
        .all(|(v, o)| v.is_some() == o.is_some()));
}

#[test]
fn features_up_to_a_day_do_not_change_when_the_future_does() {
    let cut = "2019-06-30";
    let original = rows();
    // A different future: every later close and volume is scrambled.
    let mut scrambled = original.to_vec();
    for (i, r) in scrambled.iter_mut().enumerate() {
        if r.day.as_str() > cut {
            r.close_usd *= 1.5 + (i as f64).sin();
            r.volume_usd = Some(1e9 * (1.0 + (i as f64).cos()));
        }
    }
    let truncated: Vec<PriceRow> = original
        .iter()
        .filter(|r| r.day.as_str() <= cut)
        .cloned()
        .collect();
    let base = feature_frame(&prices_frame(original).unwrap()).unwrap();
    let changed = feature_frame(&prices_frame(&scrambled).unwrap()).unwrap();
    let past_only = feature_frame(&prices_frame(&truncated).unwrap()).unwrap();
    let mut compared = 0;
    for symbol in ["BTC", "ETH", "XRP", "USDT", "DOGE"] {
        let a = features_by_day(&base, symbol);
        let b = features_by_day(&changed, symbol);
        let c = features_by_day(&past_only, symbol);
        for (day, values) in &a {
            if day.as_str() <= cut {
                assert_eq!(values, &b[day], "{symbol} {day} changed with the future");
                assert_eq!(values, &c[day], "{symbol} {day} differs without the future");
                compared += 1;
            } else if day.as_str() > "2019-08-31" {
                // The scrambled future really is different (so the test can fail).
                assert_ne!(values[..6], b[day][..6], "{symbol} {day}");
            }
        }
    }
    assert!(compared > 7_000, "compared {compared} token-days");
}

#[test]
fn btc_features_match_talib_and_pandas() {
    let reference: serde_json::Value =
        serde_json::from_str(include_str!("reference/talib_btc.json")).unwrap();
    assert!(reference["source"]
        .as_str()
        .unwrap()
        .starts_with("TA-Lib C"));
    let frame = feature_frame(&prices_frame(&token_rows("BTC")).unwrap()).unwrap();
    let by_day = features_by_day(&frame, "BTC");
    let mut checked = 0;
    for (day, expected) in reference["values"].as_object().unwrap() {
        let ours = &by_day[day];
        for (name, value) in expected.as_object().unwrap() {
            let index = FEATURE_NAMES.iter().position(|f| f == name).unwrap();
            let (ours, theirs) = (ours[index].unwrap(), value.as_f64().unwrap());
            let tolerance = 1e-8 * theirs.abs().max(1.0);
            assert!(
                (ours - theirs).abs() <= tolerance,
                "{name} on {day}: ours {ours}, reference {theirs}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 5 * 18);
}

#[test]
fn btc_last_year_returns_are_fat_tailed() {
    let eda = token_eda(&token_rows("BTC"), "BTC", &DateRange::default()).unwrap();
    assert_eq!(eda.history.days.len() - eda.history.range_start, 365);
    assert_eq!(eda.history.days.last().unwrap(), "2021-07-06");
    let s = &eda.stats;
    assert_eq!(s.n_returns, 365);
    assert!(s.excess_kurtosis.unwrap() > 0.0);
    assert!(
        s.jarque_bera_p.unwrap() < 0.01,
        "daily BTC returns are not normal"
    );
    assert!(
        s.max_drawdown.unwrap() < -0.4,
        "BTC fell more than 40% from April to July 2021"
    );
    let h = eda.histogram.unwrap();
    assert_eq!(h.counts.iter().sum::<u32>(), 365);
}

#[test]
fn market_overview_over_the_last_90_days() {
    let market = market_overview(
        &prices_frame(rows()).unwrap(),
        Some(90),
        Correlation::Pearson,
    )
    .unwrap();
    assert_eq!(market.last_day, "2021-07-06");
    assert_eq!(market.from_day, "2021-04-08");
    assert_eq!(market.tokens.len(), 23);
    assert_eq!(market.tokens[0].symbol, "BTC", "largest market cap first");
    let btc = &market.tokens[0];
    let btc_rows = token_rows("BTC");
    let n = btc_rows.len();
    let expected = btc_rows[n - 1].close_usd / btc_rows[n - 31].close_usd - 1.0;
    assert!((btc.return_30d.unwrap() - expected).abs() < 1e-12);
    assert!(btc.volatility_30d.unwrap() > 0.2);

    let m = &market.correlation;
    let at = |a: &str, b: &str| {
        let i = m.symbols.iter().position(|s| s == a).unwrap();
        let j = m.symbols.iter().position(|s| s == b).unwrap();
        (m.values[i][j], m.n_obs[i][j])
    };
    assert_eq!(at("BTC", "BTC").0, Some(1.0));
    assert_eq!(at("BTC", "ETH"), at("ETH", "BTC"));
    assert_eq!(at("BTC", "ETH").1, 90, "90 common days, all with a return");
    assert!(
        at("BTC", "WBTC").0.unwrap() > 0.95,
        "wrapped BTC tracks BTC"
    );
    assert!(at("BTC", "USDT").0.unwrap().abs() < at("BTC", "ETH").0.unwrap());

    let c = &market.cumulative;
    assert_eq!(c.days.len(), 90);
    assert!(c.series.iter().all(|s| s.values[0] == Some(1.0)));
    let spearman = market_overview(
        &prices_frame(rows()).unwrap(),
        Some(90),
        Correlation::Spearman,
    )
    .unwrap();
    assert_ne!(spearman.correlation.values, m.values);
}
