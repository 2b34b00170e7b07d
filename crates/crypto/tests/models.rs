//! The classical models on the real data, trained on every token's days before a dated hold-out
//! (purged) and scored on the last 180 days, beside the naive baselines. Also the leakage test: a
//! model trained on shuffled targets must score at chance.
#![allow(clippy::unwrap_used)]

mod common;

use mmi_crypto::models::{
    design_matrix, fit_classifier, fit_regressor, fit_scaler, ClassifierKind, ClassifierParams,
    RegressorKind, RegressorParams,
};
use mmi_crypto::Dataset;
use mmi_learn::baseline::{always_up, compare};
use mmi_learn::ci::{wilson, BlockBootstrap};
use mmi_learn::metrics::{rmse, roc_auc, ClassificationMetrics};
use mmi_learn::split::rows_in;
use ndarray::Array1;
use rand::seq::SliceRandom;
use rand::SeedableRng;

/// The dataset split into the hold-out's training rows and its test rows.
fn split() -> (Dataset, Dataset) {
    let (data, times, fold) = common::hold_out_180();
    let train = data.select(&rows_in(&data.days, &times, &fold.train));
    let test = data.select(&rows_in(&data.days, &times, &fold.test));
    (train, test)
}

fn only(data: &Dataset, symbol: &str) -> Dataset {
    let idx: Vec<usize> = (0..data.n_rows())
        .filter(|&i| data.symbols[i] == symbol)
        .collect();
    data.select(&idx)
}

#[test]
fn classifiers_on_the_btc_and_eth_hold_out_beside_always_up() {
    let (train, test) = split();
    let scaler = fit_scaler(&train).unwrap();
    let x = design_matrix(&train, &scaler).unwrap();
    let y = Array1::from(train.next_up.clone());
    let bootstrap = BlockBootstrap::default();
    for kind in [
        ClassifierKind::Logistic,
        ClassifierKind::DecisionTree,
        ClassifierKind::RandomForest,
    ] {
        // A small forest keeps the test quick; `server train crypto` will use the defaults.
        let params = ClassifierParams {
            n_trees: 25,
            ..ClassifierParams::new(kind)
        };
        let started = std::time::Instant::now();
        let model = fit_classifier(&params, x.clone(), y.clone()).unwrap();
        eprintln!(
            "{kind:?}: fitted on {} rows in {:.1} s",
            train.n_rows(),
            started.elapsed().as_secs_f64()
        );
        for symbol in ["BTC", "ETH"] {
            let held = only(&test, symbol);
            let p = model.probability_up(&design_matrix(&held, &scaler).unwrap());
            let predicted: Vec<bool> = p.iter().map(|p| *p >= 0.5).collect();
            let m = ClassificationMetrics::compute(&predicted, Some(&p), &held.next_up).unwrap();
            let ci = wilson(m.confusion.tp + m.confusion.tn, m.confusion.n()).unwrap();
            let up = always_up(held.n_rows());
            let accuracy_of = |pred: Vec<bool>| {
                let actual = held.next_up.clone();
                move |idx: &[usize]| {
                    Some(
                        idx.iter().filter(|&&i| pred[i] == actual[i]).count() as f64
                            / idx.len() as f64,
                    )
                }
            };
            let baseline =
                held.next_up.iter().filter(|u| **u).count() as f64 / held.n_rows() as f64;
            let (verdict, diff) = compare(
                held.n_rows(),
                &bootstrap,
                true,
                accuracy_of(predicted.clone()),
                accuracy_of(up),
            )
            .unwrap();
            eprintln!(
                "{kind:?} {symbol}: accuracy {:.3} [{:.3}, {:.3}], ROC-AUC {:?}, always-up {:.3}, difference {:+.3} [{:+.3}, {:+.3}] -> {verdict:?}",
                m.accuracy, ci.low, ci.high, m.roc_auc.map(|a| (a * 1000.0).round() / 1000.0), baseline, diff.estimate, diff.low, diff.high
            );
            assert_eq!(m.confusion.n(), 180);
            // Next-day direction is close to a coin flip: an accuracy far above it on 180 days
            // would mean a leak, not skill.
            assert!(
                m.accuracy > 0.3 && m.accuracy < 0.75,
                "{kind:?} {symbol}: {}",
                m.accuracy
            );
        }
    }
}

#[test]
fn a_model_trained_on_shuffled_targets_scores_at_chance() {
    let (train, test) = split();
    let scaler = fit_scaler(&train).unwrap();
    let mut shuffled = train.next_up.clone();
    shuffled.shuffle(&mut rand_xoshiro::Xoshiro256Plus::seed_from_u64(7));
    let model = fit_classifier(
        &ClassifierParams::new(ClassifierKind::Logistic),
        design_matrix(&train, &scaler).unwrap(),
        Array1::from(shuffled),
    )
    .unwrap();
    let p = model.probability_up(&design_matrix(&test, &scaler).unwrap());
    let auc = roc_auc(&p, &test.next_up).unwrap();
    eprintln!(
        "shuffled-target logistic: ROC-AUC {auc:.3} on {} hold-out rows",
        test.n_rows()
    );
    // About 4,000 rows: the standard error of an AUC at 0.5 is under 0.01.
    assert!((auc - 0.5).abs() < 0.04, "{auc}");
}

#[test]
fn return_regressors_beside_persistence() {
    let (train, test) = split();
    let scaler = fit_scaler(&train).unwrap();
    let x = design_matrix(&train, &scaler).unwrap();
    let y = Array1::from(train.next_log_return.clone());
    for kind in [
        RegressorKind::Linear,
        RegressorKind::Ridge,
        RegressorKind::Lasso,
    ] {
        let model = fit_regressor(&RegressorParams::new(kind), x.clone(), y.clone()).unwrap();
        for symbol in ["BTC", "ETH"] {
            let held = only(&test, symbol);
            let r = model
                .predict(&design_matrix(&held, &scaler).unwrap())
                .unwrap();
            let predicted_close: Vec<f64> = held
                .close
                .iter()
                .zip(&r)
                .map(|(c, r)| c * r.exp())
                .collect();
            let model_rmse = rmse(&predicted_close, &held.next_close);
            let persistence = rmse(&held.close, &held.next_close);
            eprintln!(
                "{kind:?} {symbol}: close RMSE {model_rmse:.2} vs persistence {persistence:.2} USD"
            );
            assert!(model_rmse.is_finite());
            // A next-day return model moves the close by a few percent at most: it cannot be far
            // from persistence either way.
            assert!(model_rmse < persistence * 1.5, "{kind:?} {symbol}");
        }
    }
}
