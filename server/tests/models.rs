//! The crypto models end to end, against a real server over a real SQLite file: training on the
//! reference prices records a run with every metric and registers servable versions;
//! `POST /api/predict` answers from them (and every error path in the API's error shape); the
//! token page's server function gives the same answer; the run is copied to a local stand-in of
//! MLflow's REST API.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::{
    body::Bytes,
    extract::State,
    http::{Method, StatusCode, Uri},
    response::IntoResponse,
    Json, Router,
};
use common::{error_of, golden, import_fixtures, import_reference_prices, start, TestServer};
use mmi_crypto::models::{ClassifierKind, RegressorKind};
use mmi_crypto::train::{Silent, TrainConfig, EXPERIMENT, PARENT_RUN};
use mmi_store::tracking::{list_runs, model_versions, run_tree};
use mmi_types::{Direction, ErrorCode, ModelReport, ModelTask, Prediction};
use serde_json::{json, Value};
use server::{mlflow::Mlflow, train::train_crypto};

/// Every output of the pipeline, on fewer models than `server train crypto` (the crypto crate's
/// own test trains them all, the networks included; the e2e server records them): logistic and
/// a forest for direction, ridge for the return.
fn small_config() -> TrainConfig {
    TrainConfig {
        classifiers: vec![ClassifierKind::Logistic, ClassifierKind::RandomForest],
        regressors: vec![RegressorKind::Ridge],
        recurrent: Vec::new(),
        ..TrainConfig::quick()
    }
}

/// A server function's answer to a form body.
async fn server_fn<T: serde::de::DeserializeOwned>(
    s: &TestServer,
    endpoint: &str,
    form: &'static str,
) -> T {
    reqwest::Client::new()
        .post(format!("{}/sfn/{endpoint}", s.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn predict(s: &TestServer, body: Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/api/predict", s.base))
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn training_records_a_run_that_predict_serves_and_mlflow_receives() {
    let s = start().await;
    import_reference_prices(&s.state, s.dir.path()).await;

    // Before any training: 503, saying how to train.
    let untrained = predict(&s, json!({"symbol": "BTC"})).await;
    assert_eq!(untrained.status(), 503);
    let body = error_of(untrained).await;
    assert_eq!(body.error.code, ErrorCode::NotReady);
    assert!(
        body.error.message.contains("server train crypto"),
        "{}",
        body.error.message
    );

    let started = std::time::Instant::now();
    let trained = train_crypto(&s.state.pool, small_config(), Arc::new(Silent))
        .await
        .unwrap();
    s.refresh().await;
    eprintln!("training: {:.1} s", started.elapsed().as_secs_f64());

    // The run: a finished parent with the report, a finished child per model with its metrics.
    let tree = run_tree(&s.state.pool, trained.run_id).await.unwrap();
    let (parent, _) = &tree[0];
    assert_eq!(
        (parent.name.as_str(), parent.status.as_str()),
        (PARENT_RUN, "finished")
    );
    assert_eq!(parent.experiment, EXPERIMENT);
    assert!(parent.artifacts.iter().any(|a| a.name == "report.json"));
    assert!(parent.params.iter().any(|(k, v)| k == "seed" && v == "42"));
    assert_eq!(tree.len(), 1 + 3, "the parent and one child per model");
    for (child, metrics) in &tree[1..] {
        assert_eq!(child.status, "finished", "{}", child.name);
        assert_eq!(child.parent_id, Some(trained.run_id));
        // The model's own training interval, inside the parent's.
        let ended = child.ended_at.clone().unwrap();
        assert!(
            child.started_at < ended,
            "{}: {} to {ended}",
            child.name,
            child.started_at
        );
        assert!(parent.started_at < child.started_at);
        assert!(ended <= parent.ended_at.clone().unwrap());
        let keys: Vec<&str> = metrics.iter().map(|(k, _, _)| k.as_str()).collect();
        let expected: &[&str] = if child.name.contains("direction") {
            &[
                "holdout_accuracy",
                "holdout_accuracy_low",
                "holdout_accuracy_high",
                "holdout_roc_auc",
                "holdout_f1",
                "holdout_precision",
                "holdout_recall",
                "holdout_pr_auc",
            ]
        } else {
            &[
                "holdout_rmse",
                "holdout_rmse_low",
                "holdout_rmse_high",
                "holdout_mae",
                "holdout_mse",
                "holdout_sign_accuracy",
                "holdout_close_rmse_btc",
                "holdout_close_mape_btc",
            ]
        };
        for key in expected {
            assert!(
                keys.contains(key),
                "{}: {key} missing from {keys:?}",
                child.name
            );
        }
        // Walk-forward scores are stepped by fold.
        let folds = metrics
            .iter()
            .filter(|(k, _, _)| k.starts_with("cv_fold"))
            .count();
        assert!(
            folds >= 2,
            "{}: {folds} fold metrics in {keys:?}",
            child.name
        );
        let artifact = child
            .artifacts
            .iter()
            .find(|a| a.name == "model.json")
            .unwrap();
        assert_eq!(artifact.sha256.len(), 64);
    }
    let versions = model_versions(&s.state.pool).await.unwrap();
    assert_eq!(versions.len(), 3);
    assert_eq!(
        versions.iter().filter(|v| v.serving).count(),
        2,
        "one per task"
    );
    assert_eq!(list_runs(&s.state.pool, 100).await.unwrap().len(), 4);

    // The comparison page's server function reads the same run's report.
    let report: Option<ModelReport> = server_fn(&s, "model_report", "").await;
    let report = report.unwrap();
    assert_eq!(report.run_id, Some(trained.run_id));
    assert!(report
        .models
        .iter()
        .any(|m| m.name == "always_up" && m.baseline));
    assert!(report
        .models
        .iter()
        .any(|m| m.name == "persistence" && m.baseline));
    assert!(report
        .models
        .iter()
        .filter(|m| !m.baseline)
        .all(|m| m.version == Some(1)));

    // Success: the serving versions, BTC's last stored close, the persistence baseline.
    let ok = predict(&s, json!({"symbol": "btc"})).await;
    assert_eq!(ok.status(), 200);
    let p: Prediction = ok.json().await.unwrap();
    golden("predict_btc", &serde_json::to_value(&p).unwrap(), &[]);
    assert_eq!(p.symbol, "BTC");
    let btc = mmi_store::daily_prices(&s.state.pool, Some("BTC"))
        .await
        .unwrap();
    let last = btc.last().unwrap();
    assert_eq!(p.as_of, last.day, "the last stored day");
    let last_close = last.close_usd;
    assert_eq!(p.baseline.predicted_close, last_close);
    assert!((p.predicted_close / last_close - p.predicted_return.exp()).abs() < 1e-9);
    assert!((0.0..=1.0).contains(&p.probability_up));
    assert_eq!(p.direction == Direction::Up, p.probability_up >= 0.5);
    let serving_direction = versions
        .iter()
        .find(|v| v.serving && v.task == "crypto_direction")
        .unwrap();
    assert_eq!(p.model.name, serving_direction.name);
    assert_eq!(p.components.return_model.name, "ridge");
    assert_eq!(s.builds("crypto_model"), 2, "the two serving versions");

    // A named model; the weights already in memory are not loaded again.
    let rf: Prediction = predict(&s, json!({"symbol": "ETH", "model": "random_forest"}))
        .await
        .json()
        .await
        .unwrap();
    golden(
        "predict_eth_random_forest",
        &serde_json::to_value(&rf).unwrap(),
        &[],
    );
    assert_eq!(
        (rf.model.name.as_str(), rf.model.version),
        ("random_forest", 1)
    );
    // The crypto pages' server functions on the reference prices.
    let market: Value = server_fn(&s, "market_overview", "window_days=90&method=spearman").await;
    golden("market_overview_90_spearman", &market, &[]);
    let eda: Value = server_fn(&s, "token_eda", "symbol=ETH&from=2020-01-01&to=2020-12-31").await;
    golden("token_eda_eth_2020", &eda, &[]);
    assert_eq!(rf.components.direction.name, "random_forest");
    predict(&s, json!({"symbol": "BTC"})).await;
    predict(&s, json!({"symbol": "ETH", "model": "random_forest"})).await;
    let loaded = s.builds("crypto_model");
    assert!(loaded <= 3, "{loaded} versions in memory for 3 registered");

    // The token page's server function gives the same prediction.
    let via_server_fn: Prediction = server_fn(&s, "predict", "symbol=BTC").await;
    assert_eq!(via_server_fn, p);

    // Error paths, each in the API's error shape and naming the problem.
    let unknown = predict(&s, json!({"symbol": "NOPE"})).await;
    assert_eq!(unknown.status(), 404);
    let body = error_of(unknown).await;
    assert_eq!(
        (body.error.code, body.error.field.as_deref()),
        (ErrorCode::NotFound, Some("symbol"))
    );
    assert!(body.error.message.contains("NOPE"));

    let bad_model = predict(&s, json!({"symbol": "BTC", "model": "gpt"})).await;
    assert_eq!(bad_model.status(), 422);
    let body = error_of(bad_model).await;
    assert_eq!(body.error.field.as_deref(), Some("model"));
    assert!(
        body.error.message.contains("random_forest"),
        "lists the choices"
    );

    // A model the code knows but this registry never trained: 503, how to train.
    let untrained_model = predict(&s, json!({"symbol": "BTC", "model": "svm"})).await;
    assert_eq!(untrained_model.status(), 503);
    assert!(error_of(untrained_model)
        .await
        .error
        .message
        .contains("server train crypto"));

    // A token with too few days for the features (the fixture's three): 422 naming the need.
    import_fixtures(&s.state).await;
    let short = predict(&s, json!({"symbol": "TST"})).await;
    assert_eq!(short.status(), 422);
    let body = error_of(short).await;
    assert_eq!(body.error.field.as_deref(), Some("symbol"));
    assert!(
        body.error.message.contains("days of prices"),
        "{}",
        body.error.message
    );

    mlflow_receives_the_run(&s, trained.run_id, tree.len()).await;
}

/// What the stand-in MLflow server was sent: `(method, path, body)`.
type Calls = Arc<Mutex<Vec<(Method, String, Bytes)>>>;

/// Answers like MLflow 2.x's tracking server: no experiment until created, ids it makes up, and
/// `mlflow-artifacts:` URIs for the proxied artifact store.
async fn mlflow_stand_in(
    State(calls): State<Calls>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> impl IntoResponse {
    let path = uri.path().to_string();
    let n = {
        let mut c = calls.lock().unwrap();
        c.push((method.clone(), path.clone(), body.clone()));
        c.len()
    };
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    match path.as_str() {
        "/api/2.0/mlflow/experiments/get-by-name" => (
            StatusCode::NOT_FOUND,
            Json(json!({
                "error_code": "RESOURCE_DOES_NOT_EXIST",
                "message": "Could not find experiment with name 'crypto-next-day'"
            })),
        ),
        "/api/2.0/mlflow/experiments/create" => {
            (StatusCode::OK, Json(json!({"experiment_id": "7"})))
        }
        "/api/2.0/mlflow/runs/create" => {
            let id = format!("run{n:04}");
            (
                StatusCode::OK,
                Json(json!({"run": {
                    "info": {
                        "run_id": id, "run_uuid": id, "experiment_id": "7",
                        "run_name": request["run_name"], "status": "RUNNING",
                        "start_time": request["start_time"], "lifecycle_stage": "active",
                        "artifact_uri": format!("mlflow-artifacts:/7/{id}/artifacts"),
                    },
                    "data": {"tags": request["tags"]},
                }})),
            )
        }
        "/api/2.0/mlflow/runs/log-batch" => (StatusCode::OK, Json(json!({}))),
        "/api/2.0/mlflow/runs/update" => (
            StatusCode::OK,
            Json(json!({"run_info": {"run_id": request["run_id"], "status": request["status"]}})),
        ),
        p if p.starts_with("/api/2.0/mlflow-artifacts/artifacts/") && method == Method::PUT => {
            (StatusCode::OK, Json(json!({})))
        }
        _ => (
            StatusCode::NOT_FOUND,
            Json(json!({"error_code": "ENDPOINT_NOT_FOUND", "message": path})),
        ),
    }
}

async fn mlflow_receives_the_run(s: &TestServer, run_id: i64, runs: usize) {
    let calls: Calls = Arc::default();
    let app = Router::new()
        .fallback(mlflow_stand_in)
        .with_state(calls.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let exported = Mlflow::new(&uri)
        .unwrap()
        .export_run(&s.state.pool, run_id)
        .await
        .unwrap();
    assert_eq!(exported.experiment_id, "7");
    assert_eq!(exported.runs.len(), runs);
    assert_eq!(
        exported.artifacts_uploaded, runs,
        "report.json + a model.json per child"
    );

    let calls = calls.lock().unwrap().clone();
    let bodies = |path: &str| -> Vec<Value> {
        calls
            .iter()
            .filter(|(_, p, _)| p == path)
            .map(|(_, _, b)| serde_json::from_slice(b).unwrap())
            .collect()
    };
    assert_eq!(
        bodies("/api/2.0/mlflow/experiments/create"),
        vec![json!({"name": EXPERIMENT})]
    );
    let created = bodies("/api/2.0/mlflow/runs/create");
    assert_eq!(created.len(), runs);
    let parent_remote = &exported.runs[0].1;
    for child in &created[1..] {
        let tags = child["tags"].as_array().unwrap();
        assert!(
            tags.contains(&json!({"key": "mlflow.parentRunId", "value": parent_remote})),
            "{child}"
        );
        assert!(child["start_time"].as_i64().unwrap() > 1_700_000_000_000);
    }
    // Every stepped metric of every run arrives, with its step.
    let local: usize = run_tree(&s.state.pool, run_id)
        .await
        .unwrap()
        .iter()
        .map(|(_, m)| m.len())
        .sum();
    let batches = bodies("/api/2.0/mlflow/runs/log-batch");
    let sent: Vec<&Value> = batches
        .iter()
        .flat_map(|b| b["metrics"].as_array().unwrap())
        .collect();
    assert_eq!(sent.len(), local);
    assert!(sent
        .iter()
        .any(|m| m["key"] == "holdout_accuracy" && m["step"] == 0));
    assert!(sent.iter().any(|m| m["step"].as_i64().unwrap() > 0));
    for b in &batches {
        assert!(b["metrics"].as_array().unwrap().len() <= 1000);
        assert!(b["params"].as_array().unwrap().len() <= 100);
    }
    let statuses: Vec<Value> = bodies("/api/2.0/mlflow/runs/update")
        .into_iter()
        .map(|b| b["status"].clone())
        .collect();
    assert_eq!(statuses, vec![json!("FINISHED"); runs]);
    // The uploaded files are the stored artifacts, byte for byte.
    let uploads: HashMap<&str, &Bytes> = calls
        .iter()
        .filter(|(m, _, _)| m == Method::PUT)
        .map(|(_, p, b)| (p.as_str(), b))
        .collect();
    let report_path =
        format!("/api/2.0/mlflow-artifacts/artifacts/7/{parent_remote}/artifacts/report.json");
    let report: ModelReport = serde_json::from_slice(uploads[report_path.as_str()]).unwrap();
    assert_eq!(report.run_id, Some(run_id));
    assert!(report.models.iter().any(|m| m.task == ModelTask::Return));
}

/// Bodies the handler never sees: 400 for broken JSON, 422 for the wrong shape, 415 without JSON.
#[tokio::test]
async fn predict_rejects_malformed_bodies_in_the_error_shape() {
    let s = start().await;
    import_fixtures(&s.state).await;
    let raw = |body: &'static str, content_type: Option<&'static str>| {
        let url = format!("{}/api/predict", s.base);
        async move {
            let mut request = reqwest::Client::new().post(url).body(body);
            if let Some(ct) = content_type {
                request = request.header("content-type", ct);
            }
            request.send().await.unwrap()
        }
    };
    let json_type = Some("application/json");
    for (body, content_type, status, code, mentions) in [
        (
            "{\"symbol\": ",
            json_type,
            400,
            ErrorCode::BadRequest,
            "EOF",
        ),
        ("{}", json_type, 422, ErrorCode::ValidationFailed, "symbol"),
        (
            "{\"symbol\": 7}",
            json_type,
            422,
            ErrorCode::ValidationFailed,
            "string",
        ),
        (
            "{\"symbol\": \"BTC\", \"horizon\": 2}",
            json_type,
            422,
            ErrorCode::ValidationFailed,
            "horizon",
        ),
        (
            "{\"symbol\": \"BTC\"}",
            None,
            415,
            ErrorCode::UnsupportedMediaType,
            "application/json",
        ),
    ] {
        let response = raw(body, content_type).await;
        assert_eq!(response.status(), status, "{body}");
        let error = error_of(response).await.error;
        assert_eq!(error.code, code, "{body}");
        assert!(
            error.message.contains(mentions),
            "{body}: {}",
            error.message
        );
    }
    let blank = raw("{\"symbol\": \"  \"}", json_type).await;
    assert_eq!(blank.status(), 422);
    assert_eq!(error_of(blank).await.error.field.as_deref(), Some("symbol"));
}
