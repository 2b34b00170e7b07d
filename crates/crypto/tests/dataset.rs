//! The models' dataset on the real data: targets are the token's next stored day, rows with a
//! missing feature are left out, and a hold-out split by date purges every training label that
//! would fall in the test period. Also the naive baselines' hold-out figures the models will be
//! compared with.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;

use mmi_crypto::{feature_frame, next_day_dataset, prices_frame, MODEL_FEATURES};
use mmi_learn::ci::wilson;
use mmi_learn::metrics::{confusion, rmse};
use mmi_learn::split::rows_in;

#[test]
fn targets_are_the_next_stored_day_and_features_are_complete() {
    let rows = common::reference_prices();
    let data = next_day_dataset(&feature_frame(&prices_frame(rows).unwrap()).unwrap()).unwrap();
    assert_eq!(data.columns.len(), MODEL_FEATURES.len());
    assert!(data
        .columns
        .iter()
        .all(|c| c.len() == data.n_rows() && c.iter().all(|v| v.is_finite())));
    // Every token loses its 199 warm-up days (SMA 200) and its last day, nothing else except
    // rows with a missing feature (none once the windows are full; volume may be missing early).
    assert!(
        data.n_rows() > 37_082 - 23 * 200 - 300 && data.n_rows() <= 37_082 - 23 * 200,
        "{}",
        data.n_rows()
    );
    let mut next_of: HashMap<(&str, &str), (&str, f64)> = HashMap::new();
    for pair in rows.windows(2) {
        if pair[0].symbol == pair[1].symbol {
            next_of.insert(
                (&pair[0].symbol, &pair[0].day),
                (&pair[1].day, pair[1].close_usd),
            );
        }
    }
    for i in 0..data.n_rows() {
        let (next_day, next_close) = next_of[&(data.symbols[i].as_str(), data.days[i].as_str())];
        assert_eq!(data.next_day[i], next_day);
        assert_eq!(data.next_close[i], next_close);
        assert_eq!(data.next_up[i], next_close > data.close[i]);
        assert!((data.next_log_return[i] - (next_close / data.close[i]).ln()).abs() < 1e-12);
    }
}

#[test]
fn a_dated_hold_out_purges_training_labels_and_the_naive_baselines_are_known() {
    let (data, times, fold) = common::hold_out_180();
    let train = rows_in(&data.days, &times, &fold.train);
    let test = rows_in(&data.days, &times, &fold.test);
    let first_test_day = &times[fold.test.start];
    // Purged: no training label (the next day's close) falls on or after the first test day.
    let last_train_label = train
        .iter()
        .map(|&i| data.next_day[i].as_str())
        .max()
        .unwrap();
    assert!(
        last_train_label < first_test_day.as_str(),
        "{last_train_label} vs {first_test_day}"
    );
    assert!(test.iter().all(|&i| data.days[i] >= *first_test_day));
    assert_eq!(
        train.len()
            + test.len()
            + rows_in(&data.days, &times, &(fold.train.end..fold.test.start)).len(),
        data.n_rows()
    );

    for symbol in ["BTC", "ETH"] {
        let idx: Vec<usize> = test
            .iter()
            .copied()
            .filter(|&i| data.symbols[i] == symbol)
            .collect();
        let held = data.select(&idx);
        let actual = &held.next_up;
        let up = confusion(&vec![true; actual.len()], actual);
        let accuracy = wilson(up.tp, up.n()).unwrap();
        let persistence = rmse(&held.close, &held.next_close);
        eprintln!(
            "{symbol} hold-out {} to {} ({} days): always-up accuracy {:.3} [{:.3}, {:.3}], persistence RMSE {:.2} USD",
            held.days[0], held.days[held.n_rows() - 1], held.n_rows(), accuracy.estimate, accuracy.low, accuracy.high, persistence
        );
        assert_eq!(held.n_rows(), 180);
        assert!(accuracy.low > 0.3 && accuracy.high < 0.8);
    }
}
