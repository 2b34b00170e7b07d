//! Every indicator against the values the TA-Lib C library computed on the same 80-day series
//! (`reference/talib_short.json`, made by `reference/talib_reference.py`; its "source" field names
//! the TA-Lib version). Warm-up positions must match exactly, values to 1e-9 relative.
#![allow(clippy::unwrap_used)]

use mmi_signals::indicators::{bollinger, ema, macd, momentum, obv, rsi, sma};
use mmi_signals::Series;
use serde_json::Value;

fn reference() -> Value {
    serde_json::from_str(include_str!("reference/talib_short.json")).unwrap()
}

fn numbers(v: &Value, key: &str) -> Vec<f64> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn expected(v: &Value, key: &str) -> Series {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(Value::as_f64)
        .collect()
}

fn assert_matches(ours: &Series, reference: &Value, key: &str) {
    let theirs = expected(reference, key);
    assert_eq!(ours.len(), theirs.len(), "{key}: length");
    for (t, (a, b)) in ours.iter().zip(&theirs).enumerate() {
        match (a, b) {
            (None, None) => {}
            (Some(a), Some(b)) => {
                let tolerance = 1e-9 * b.abs().max(1.0);
                assert!(
                    (a - b).abs() <= tolerance,
                    "{key}[{t}]: ours {a}, TA-Lib {b}"
                );
            }
            _ => panic!("{key}[{t}]: ours {a:?}, TA-Lib {b:?} (warm-up differs)"),
        }
    }
}

#[test]
fn the_reference_names_its_source() {
    let r = reference();
    assert!(r["source"].as_str().unwrap().starts_with("TA-Lib C"));
}

#[test]
fn moving_averages_match_talib() {
    let r = reference();
    let close = numbers(&r, "close");
    assert_matches(&sma(&close, 7), &r, "SMA_7");
    assert_matches(&sma(&close, 20), &r, "SMA_20");
    assert_matches(&ema(&close, 12), &r, "EMA_12");
    assert_matches(&ema(&close, 26), &r, "EMA_26");
}

#[test]
fn oscillators_match_talib() {
    let r = reference();
    let close = numbers(&r, "close");
    assert_matches(&rsi(&close, 14), &r, "RSI_14");
    assert_matches(&momentum(&close, 10), &r, "MOM_10");
    let m = macd(&close, 12, 26, 9);
    assert_matches(&m.line, &r, "MACD_line");
    assert_matches(&m.signal, &r, "MACD_signal");
    assert_matches(&m.histogram, &r, "MACD_hist");
}

#[test]
fn bands_and_volume_match_talib() {
    let r = reference();
    let close = numbers(&r, "close");
    let b = bollinger(&close, 20, 2.0);
    assert_matches(&b.upper, &r, "BB_upper");
    assert_matches(&b.middle, &r, "BB_middle");
    assert_matches(&b.lower, &r, "BB_lower");
    let volume: Vec<Option<f64>> = numbers(&r, "volume").into_iter().map(Some).collect();
    assert_matches(&obv(&close, &volume), &r, "OBV");
}
