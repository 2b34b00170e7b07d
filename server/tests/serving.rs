//! Serving from memory, against real servers over one real SQLite file: a second server started
//! cold on a trained database answers a stampede of concurrent requests on every heavy endpoint
//! with the same answers as a warm one, building each part of its snapshot exactly once; a
//! running server serves a newly imported day and a newly registered model version without a
//! restart (it polls the database, as every replica does).

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{import_reference_part, serve, start};
use mmi_crypto::models::{ClassifierKind, RegressorKind};
use mmi_crypto::train::{Silent, TrainConfig};
use mmi_nutrition::recipe::RecipeConfig;
use serde_json::{json, Value};
use server::train::{train_crypto, train_recipes_run};

/// One request of the stampede: method, path, JSON body.
type Call = (&'static str, &'static str, Option<Value>);

fn heavy_calls() -> Vec<Call> {
    vec![
        ("POST", "/api/predict", Some(json!({"symbol": "BTC"}))),
        (
            "POST",
            "/api/predict",
            Some(json!({"symbol": "eth", "model": "logistic"})),
        ),
        (
            "POST",
            "/api/recommend-meal",
            Some(json!({"goal": "maintenance", "calories": 2000, "k": 5})),
        ),
        (
            "GET",
            "/api/meal-plan?days=7&goal=maintenance&calories=2200",
            None,
        ),
        (
            "POST",
            "/api/analyze-recipe",
            Some(
                json!({"ingredients": ["2 cups flour", "3 large eggs", "1 cup milk"], "servings": 4, "month": 5}),
            ),
        ),
        ("GET", "/api/stats", None),
        ("GET", "/api/sentiment?symbol=BTC", None),
        ("GET", "/crypto", None),
        ("GET", "/crypto/BTC", None),
        ("GET", "/nutrition", None),
        ("GET", "/", None),
    ]
}

async fn call(client: &reqwest::Client, base: &str, c: &Call) -> (u16, String) {
    let url = format!("{base}{}", c.1);
    let request = match (&c.0, &c.2) {
        (&"POST", Some(body)) => client.post(url).json(body),
        _ => client.get(url),
    };
    let r = request.send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// An API answer without what legitimately differs between two processes (solver timings).
fn comparable(body: &str) -> Value {
    let mut v: Value = serde_json::from_str(body).unwrap();
    if let Some(o) = v.as_object_mut() {
        o.remove("solve_ms");
    }
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cold_server_builds_once_under_a_stampede_and_follows_the_database() {
    // A trained database: prices, foods, recipes and labelled ingredient lines; two price models
    // and the ingredient parser.
    let s = start().await;
    let scratch = tempfile::tempdir().unwrap();
    for part in ["crypto/prices", "nutrition/sr26", "ingredients", "recipes"] {
        import_reference_part(&s.state, scratch.path(), part).await;
    }
    let config = TrainConfig {
        classifiers: vec![ClassifierKind::Logistic],
        regressors: vec![RegressorKind::Ridge],
        recurrent: Vec::new(),
        ..TrainConfig::quick()
    };
    train_crypto(&s.state.pool, config, Arc::new(Silent))
        .await
        .unwrap();
    train_recipes_run(&s.state.pool, RecipeConfig::quick(), Arc::new(Silent))
        .await
        .unwrap();
    s.refresh().await;
    let client = reqwest::Client::new();
    let calls = heavy_calls();
    let mut expected = Vec::new();
    for c in &calls {
        expected.push(call(&client, &s.base, c).await);
    }

    // A second process over the same file, with nothing built: 64 concurrent requests to each
    // endpoint before any other traffic.
    let (cold, cold_state) = serve(&s.dir.path().join("http.db"), false).await;
    assert!(cold_state.services.current().is_none());
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, c) in calls.iter().enumerate() {
        for _ in 0..64 {
            let (client, cold, c) = (client.clone(), cold.clone(), c.clone());
            tasks.push(tokio::spawn(
                async move { (i, call(&client, &cold, &c).await) },
            ));
        }
    }
    for t in tasks {
        let (i, (status, body)) = t.await.unwrap();
        let (want_status, want_body) = &expected[i];
        assert_eq!(status, *want_status, "{}: {body}", calls[i].1);
        if calls[i].1.starts_with("/api/") {
            assert_eq!(comparable(&body), comparable(want_body), "{}", calls[i].1);
        }
    }
    eprintln!(
        "{} concurrent requests on a cold server answered in {:.2} s",
        calls.len() * 64,
        started.elapsed().as_secs_f64()
    );
    let builds = cold_state.services.info().unwrap().builds;
    for part in ["snapshots", "data", "models", "meal_catalogue", "reports"] {
        assert_eq!(builds[part], 1, "{part} built once: {builds:?}");
    }
    assert_eq!(builds["crypto_model"], 2, "serving and named: {builds:?}");
    assert_eq!(builds["meal_plan"], 1, "{builds:?}");
    assert_eq!(
        builds["market_overview"], 0,
        "the page's window is prebuilt: {builds:?}"
    );
    let expected_status: Vec<u16> = expected.iter().map(|e| e.0).collect();
    assert!(
        expected_status.iter().all(|&s| s == 200 || s == 503),
        "{expected_status:?}"
    );

    // A newly imported day reaches the running (watching) server without a restart.
    let new_day = scratch.path().join("new-day/crypto/prices");
    std::fs::create_dir_all(&new_day).unwrap();
    std::fs::write(
        new_day.join("coin_Bitcoin.csv"),
        "SNo,Name,Symbol,Date,High,Low,Open,Close,Volume,Marketcap\n\
         2992,Bitcoin,BTC,2021-07-07 23:59:59,35000.0,33800.0,34235.19,34100.5,25000000000.0,640000000000.0\n",
    )
    .unwrap();
    mmi_ingest::import_dir(
        &s.state.pool,
        &scratch.path().join("new-day"),
        &mmi_ingest::Progress::default(),
    )
    .await
    .unwrap();
    let predict = ("POST", "/api/predict", Some(json!({"symbol": "BTC"})));
    eventually("a newly imported day", || async {
        let (_, body) = call(&client, &s.base, &predict).await;
        comparable(&body)["as_of"] == "2021-07-07"
    })
    .await;

    // A newly registered serving version (the parser trained again) likewise.
    let analyze = calls[4].clone();
    let retrained = train_recipes_run(&s.state.pool, RecipeConfig::quick(), Arc::new(Silent))
        .await
        .unwrap();
    assert_eq!(retrained.version, 2);
    eventually("a newly registered parser", || async {
        let (_, body) = call(&client, &s.base, &analyze).await;
        comparable(&body)["parser"]["version"] == 2
    })
    .await;
}

/// Waits for `check` to hold, printing how long it took: a poll (200 ms here) and a rebuild of
/// what changed. The bound is loose because a debug build on two busy cores rebuilds slowly;
/// `bench/serve.sh` measures the release build.
async fn eventually<F, Fut>(what: &str, check: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !check().await {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{what}: not served within 60 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    eprintln!(
        "{what}: served after {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
