//! The whole training pipeline on the real data (quick settings): every model and baseline gets
//! hold-out metrics with intervals, a learning curve, importances and a servable artifact that
//! round-trips through JSON and predicts the same as before.
#![allow(clippy::unwrap_used)]

mod common;

use mmi_crypto::train::{train_all, ServedModel, Silent, TrainConfig};
use mmi_crypto::{f64_column, feature_frame, next_day_dataset, prices_frame, str_column};
use mmi_types::ModelTask;

#[test]
fn every_model_is_trained_evaluated_and_servable() {
    let frame = feature_frame(&prices_frame(common::reference_prices()).unwrap()).unwrap();
    let data = next_day_dataset(&frame).unwrap();
    let symbols = str_column(&frame, "symbol").unwrap();
    let days = str_column(&frame, "day").unwrap();
    let log_ret = f64_column(&frame, "log_ret_1").unwrap();
    let config = TrainConfig::quick();
    let started = std::time::Instant::now();
    let outcome = train_all(&data, (&symbols, &days, &log_ret), &config, &Silent).unwrap();
    eprintln!("quick training: {:.1} s", started.elapsed().as_secs_f64());

    let report = &outcome.report;
    assert_eq!(report.split.test_from, "2021-01-07");
    assert_eq!(report.split.test_to, "2021-07-05");
    assert_eq!(report.split.gap_days, 1);
    let names: Vec<(&str, bool)> = report
        .models
        .iter()
        .map(|m| (m.name.as_str(), m.baseline))
        .collect();
    for expected in [
        ("always_up", true),
        ("majority_class", true),
        ("logistic", false),
        ("decision_tree", false),
        ("random_forest", false),
        ("svm", false),
        ("persistence", true),
        ("linear", false),
        ("ridge", false),
        ("lasso", false),
        ("lstm", false),
        ("gru", false),
    ] {
        assert!(
            names.contains(&expected),
            "{expected:?} missing from {names:?}"
        );
    }
    for m in &report.models {
        let headline = match m.task {
            ModelTask::Direction => m.direction.as_ref().unwrap().accuracy,
            ModelTask::Return => m.returns.as_ref().unwrap().rmse,
        };
        assert!(
            headline.low <= headline.value && headline.value <= headline.high,
            "{}: {headline:?}",
            m.name
        );
        assert!(headline.high > headline.low, "{}: a real interval", m.name);
        assert_eq!(m.per_token.len(), report.split.tokens, "{}", m.name);
        let network = ["lstm", "gru"].contains(&m.name.as_str());
        if !m.baseline {
            assert!(m.versus_baseline.is_some(), "{}", m.name);
            assert!(m.cv_mean.unwrap().is_finite());
        }
        if !m.baseline && !network {
            assert!(!m.learning_curve.is_empty(), "{}", m.name);
            assert_eq!(
                m.importance.len(),
                report.split.features.len(),
                "{}",
                m.name
            );
        }
        if network {
            // Scored on exactly the classical models' hold-out rows, with its loss per epoch.
            assert!(!m.epoch_losses.is_empty(), "{}", m.name);
            assert_eq!(m.grid[0].fold_scores.len(), config.cv.n_folds, "{}", m.name);
        }
        if m.task == ModelTask::Direction && !m.baseline {
            assert!(m.roc.len() > 2 && !m.pr.is_empty(), "{}", m.name);
            let btc = m.per_token.iter().find(|t| t.symbol == "BTC").unwrap();
            eprintln!(
                "{}: pooled accuracy {:.3}, BTC {:.3} [{:.3}, {:.3}] vs always-up {:.3}",
                m.name,
                m.direction.as_ref().unwrap().accuracy.value,
                btc.accuracy.value,
                btc.accuracy.low,
                btc.accuracy.high,
                btc.always_up
            );
        }
        if m.task == ModelTask::Return {
            assert_eq!(m.close_paths.len(), 2, "{}: BTC and ETH paths", m.name);
            assert_eq!(m.close_paths[0].days.len(), 180);
        }
    }
    let clusters = report.clusters.as_ref().unwrap();
    eprintln!(
        "clusters: k = {} ({:?}), excluded {:?}",
        clusters.chosen_k, clusters.silhouette_by_k, clusters.excluded
    );
    assert_eq!(clusters.kmeans_labels.len(), clusters.symbols.len());
    assert_eq!(clusters.merges.len(), clusters.symbols.len() - 1);

    // Every trained model has metrics and an artifact that predicts after a JSON round trip; the
    // networks (their own registry task) carry their weights as safetensors.
    assert_eq!(outcome.models.len(), 10);
    let last = data.select(&[data.n_rows() - 1]);
    let row: Vec<f64> = last.columns.iter().map(|c| c[0]).collect();
    for m in &outcome.models {
        if let Some(task) = m.own_task {
            assert_eq!(task, mmi_crypto::train::sequence::SEQUENCE_TASK);
            let served: mmi_crypto::train::sequence::ServedSequence =
                serde_json::from_slice(&m.artifact).unwrap();
            assert_eq!(served.name, m.name);
            assert!(served.return_std > 0.0);
            let (name, _, weights) = &m.extra_artifacts[0];
            assert!(name.ends_with(".safetensors") && !weights.is_empty());
            mmi_crypto::models::recurrent::Recurrent::from_safetensors(
                weights,
                served.features.len(),
                served.config,
            )
            .unwrap();
            continue;
        }
        assert!(
            m.metrics.iter().any(|(k, _, _)| k.starts_with("holdout_")),
            "{}",
            m.name
        );
        let served: ServedModel = serde_json::from_slice(&m.artifact).unwrap();
        served.check_features().unwrap();
        let y = served.predict_one(&row).unwrap();
        let again: ServedModel =
            serde_json::from_slice(&serde_json::to_vec(&served).unwrap()).unwrap();
        assert_eq!(y, again.predict_one(&row).unwrap(), "{}", m.name);
        match m.task {
            ModelTask::Direction => assert!((0.0..=1.0).contains(&y), "{}: {y}", m.name),
            ModelTask::Return => assert!(y.abs() < 0.5, "{}: {y}", m.name),
        }
    }
}
