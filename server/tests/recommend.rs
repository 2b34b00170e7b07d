//! The recommenders end to end against a real server over a real SQLite file: before training
//! `/api/recommend` says what to run; `train recommend` (after a quick nutrition training, on the
//! real prices and SR26 foods) registers the token model and the food bundle; the API answers in
//! the shape; `/artifacts/{sha256}` serves exactly the bytes that ranked, cacheable and
//! compressed, and those bytes rank identically to the API (what the browser runs); every bad
//! request is a 4xx naming its field.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use common::{error_of, golden, import_reference_part, start, TestServer};
use mmi_learn::progress::Silent;
use mmi_nutrition::suggest::FOOD_TASK;
use mmi_nutrition::train::NutritionConfig;
use mmi_rank::foods::{Filters, FoodBundle};
use mmi_rank::tokens::TokenModel;
use mmi_store::tracking::{model_versions, run_tree, sha256_hex};
use mmi_types::{BrowserArtifacts, RecommendResponse, RecommenderReport};
use serde_json::{json, Value};
use server::train::{train_nutrition, train_recommend};

async fn recommend(s: &TestServer, body: Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/api/recommend", s.base))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn server_fn<T: serde::de::DeserializeOwned>(s: &TestServer, endpoint: &str) -> T {
    reqwest::Client::new()
        .post(format!("{}/sfn/{endpoint}", s.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn invalid(s: &TestServer, body: Value, field: &str, says: &str) {
    let r = recommend(s, body.clone()).await;
    assert_eq!(r.status(), 422, "{body}");
    let e = error_of(r).await.error;
    assert_eq!(e.field.as_deref(), Some(field), "{body}: {}", e.message);
    assert!(e.message.contains(says), "{body}: {}", e.message);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trained_recommenders_answer_the_api_and_the_browser_artifacts_agree() {
    let s = start().await;
    let scratch = tempfile::tempdir().unwrap();
    import_reference_part(&s.state, scratch.path(), "crypto/prices").await;
    import_reference_part(&s.state, scratch.path(), "nutrition/sr26").await;

    // Before any training: validation still runs first, then 503 says what to run.
    let btc = json!({"holdings": [{"symbol": "BTC"}]});
    let r = recommend(&s, btc.clone()).await;
    assert_eq!(r.status(), 503);
    assert!(error_of(r)
        .await
        .error
        .message
        .contains("server train recommend"));
    invalid(
        &s,
        json!({"holdings": [], "k": 5}),
        "holdings",
        "must not be empty",
    )
    .await;
    let none: BrowserArtifacts = server_fn(&s, "browser_artifacts").await;
    assert_eq!(none, BrowserArtifacts::default());

    train_nutrition(&s.state.pool, NutritionConfig::quick(), Arc::new(Silent))
        .await
        .unwrap();
    let trained = train_recommend(
        &s.state.pool,
        mmi_crypto::recommend::RecommendConfig::quick(),
        Arc::new(Silent),
    )
    .await
    .unwrap();
    s.refresh().await;
    let tree = run_tree(&s.state.pool, trained.run_id).await.unwrap();
    assert_eq!(tree.len(), 3, "parent, token recommender, food suggestions");
    assert!(tree.iter().all(|(r, _)| r.status == "finished"));
    let versions = model_versions(&s.state.pool).await.unwrap();
    for task in [mmi_crypto::recommend::TOKEN_TASK, FOOD_TASK] {
        assert_eq!(
            versions
                .iter()
                .filter(|v| v.task == task && v.serving)
                .count(),
            1,
            "{task}"
        );
    }
    let report: Option<RecommenderReport> = server_fn(&s, "recommender_report").await;
    let report = report.unwrap();
    assert_eq!(report.run_id, Some(trained.run_id));
    let food = report.food_bundle.as_ref().unwrap();
    assert_eq!(food.foods, 8463);
    // The gap ranking beats both baselines on the same simulated days.
    let [aware, blind, random] = &food.gap_methods[..] else {
        panic!("three gap methods")
    };
    assert!(!aware.baseline && blind.baseline && random.baseline);
    assert!(
        aware.mean_fill.low > blind.mean_fill.high,
        "{aware:?} vs {blind:?}"
    );
    assert!(blind.mean_fill.low > random.mean_fill.high);

    // The API, in the shape.
    let body = json!({"holdings": [{"symbol": "BTC", "weight": 0.6}, {"symbol": "eth", "weight": 0.4}], "k": 5, "method": "hybrid"});
    let r = recommend(&s, body).await;
    assert_eq!(r.status(), 200);
    let raw: Value = r.json().await.unwrap();
    for key in ["recommendations", "method", "model"] {
        assert!(raw.get(key).is_some(), "{key} missing: {raw}");
    }
    let answer: RecommendResponse = serde_json::from_value(raw).unwrap();
    assert_eq!(answer.method, "hybrid");
    assert_eq!(answer.model.name, "token_recommender");
    assert_eq!(answer.recommendations.len(), 5);
    let symbols: Vec<&str> = answer
        .recommendations
        .iter()
        .map(|r| r.symbol.as_str())
        .collect();
    assert!(
        !symbols.contains(&"BTC") && !symbols.contains(&"ETH"),
        "{symbols:?}"
    );
    assert!(answer
        .recommendations
        .windows(2)
        .all(|w| w[0].score >= w[1].score));
    assert!(answer.recommendations.iter().all(|r| !r.reasons.is_empty()));

    // The browser's copy: same bytes (by hash), cacheable, compressed on request, and ranking
    // exactly as the API did.
    let artifacts: BrowserArtifacts = server_fn(&s, "browser_artifacts").await;
    let tokens = artifacts.tokens.unwrap();
    assert_eq!(tokens.sha256, answer.artifact);
    let client = reqwest::Client::new();
    let r = client
        .get(format!("{}{}", s.base, tokens.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    assert_eq!(etag, format!("\"{}\"", tokens.sha256));
    let bytes = r.bytes().await.unwrap();
    assert_eq!(sha256_hex(&bytes), tokens.sha256);
    assert_eq!(bytes.len() as u64, tokens.bytes);
    let model = TokenModel::from_bytes(&bytes).unwrap();
    for method in ["hybrid", "content", "collaborative"] {
        let body = json!({"holdings": [{"symbol": "SOL"}, {"symbol": "DOGE", "weight": 2}], "k": 7, "method": method});
        let api: RecommendResponse = recommend(&s, body).await.json().await.unwrap();
        let holdings = model
            .holdings(&[("SOL", None), ("DOGE", Some(2.0))])
            .unwrap();
        let engine = model.engine(method);
        assert_eq!(api.engine, engine.key());
        let local = model.recommend(&holdings, engine, 7);
        assert_eq!(
            api.recommendations
                .iter()
                .map(|r| (r.symbol.clone(), r.score as f32, r.reasons.clone()))
                .collect::<Vec<_>>(),
            local
                .into_iter()
                .map(|r| (r.symbol, r.score, r.reasons))
                .collect::<Vec<_>>(),
            "{method}"
        );
    }
    let r = client
        .get(format!("{}{}", s.base, tokens.url))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    let foods = artifacts.foods.unwrap();
    let r = client
        .get(format!("{}{}", s.base, foods.url))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-encoding"], "gzip");
    let compressed = r.bytes().await.unwrap().len() as u64;
    assert!(compressed < foods.bytes, "{compressed} vs {}", foods.bytes);
    let r = client
        .get(format!("{}{}", s.base, foods.url))
        .send()
        .await
        .unwrap();
    let bundle = FoodBundle::from_bytes(&r.bytes().await.unwrap()).unwrap();
    // The browser's similar foods are the food page's (server) similar foods.
    let snapshot = s.state.services.snapshot().await.unwrap();
    let (_, table) = snapshot.models.embedding.as_ref().unwrap();
    let server_side =
        mmi_nutrition::lookup::similar(table, &snapshot.data.foods.index, "11090", 8).unwrap();
    let broccoli = bundle.position("11090").unwrap();
    let browser_side = bundle.similar(broccoli, 8, Filters::default());
    assert_eq!(
        server_side
            .iter()
            .map(|f| f.ndb_no.clone())
            .collect::<Vec<_>>(),
        browser_side
            .iter()
            .map(|(i, _)| bundle.embedding.ids[*i].clone())
            .collect::<Vec<_>>()
    );
    // Filters hold: no vegan suggestion contains milk, egg, fish or shellfish.
    let vegan = bundle.filters(&["vegan"], &["soy"]);
    for (i, _) in bundle.similar(broccoli, 20, vegan) {
        assert!(bundle.allowed(i, vegan), "{}", bundle.names[i]);
    }
    let gap = bundle.fill_gap(&[(broccoli, 200.0)], 5, vegan);
    assert_eq!(gap.len(), 5);
    assert!(gap
        .iter()
        .all(|g| bundle.allowed(g.index, vegan) && g.score > 0.0));

    // Only browser artifacts are served; a malformed hash is a plain 404.
    let diet = versions
        .iter()
        .find(|v| v.task == mmi_nutrition::train::DIET_TASK)
        .unwrap();
    for path in [
        format!("/artifacts/{}", diet.sha256),
        "/artifacts/nothex".to_string(),
    ] {
        let r = client
            .get(format!("{}{path}", s.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{path}");
    }

    // Every bad request names its field.
    invalid(
        &s,
        json!({"holdings": [{"symbol": "BTC"}, {"symbol": "XYZ"}, {"symbol": "QQQ"}]}),
        "holdings",
        "unknown symbols: XYZ, QQQ",
    )
    .await;
    invalid(&s, json!({"holdings": []}), "holdings", "must not be empty").await;
    invalid(
        &s,
        json!({"holdings": [{"symbol": "BTC"}], "k": 0}),
        "k",
        "between 1 and 50",
    )
    .await;
    invalid(
        &s,
        json!({"holdings": [{"symbol": "BTC"}], "k": 51}),
        "k",
        "between 1 and 50",
    )
    .await;
    invalid(
        &s,
        json!({"holdings": [{"symbol": "BTC"}], "method": "magic"}),
        "method",
        "unknown method",
    )
    .await;
    invalid(
        &s,
        json!({"holdings": [{"symbol": "BTC", "weight": -1}]}),
        "holdings",
        "positive",
    )
    .await;
    let all: Vec<Value> = model.symbols.iter().map(|s| json!({"symbol": s})).collect();
    invalid(&s, json!({"holdings": all}), "holdings", "already held").await;
    for body in [
        json!({"holdings": [{"symbol": "BTC"}], "k": "five"}),
        json!({"holdings": [{"symbol": "BTC"}], "extra": 1}),
        json!({"k": 5}),
    ] {
        let r = recommend(&s, body.clone()).await;
        assert_eq!(r.status(), 422, "{body}");
    }
    let r = client
        .post(format!("{}/api/recommend", s.base))
        .header("content-type", "application/json")
        .body("{\"holdings\": [")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // The page renders on the server with both panels (the models load in the browser).
    let html = client
        .get(format!("{}/recommend", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(html.status(), 200);
    let html = html.text().await.unwrap();
    for id in ["token-model-status", "food-model-status", "benchmark"] {
        assert!(
            html.contains(&format!("data-testid=\"{id}\"")),
            "{id} missing from {html}"
        );
    }
    let results = client
        .get(format!("{}/recommend/results", s.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(results.contains("data-testid=\"recommender-table\""));
    // Defaults: k 5, method hybrid.
    let r: RecommendResponse = recommend(&s, btc).await.json().await.unwrap();
    golden("recommend_btc", &serde_json::to_value(&r).unwrap(), &[]);
    assert_eq!((r.recommendations.len(), r.method.as_str()), (5, "hybrid"));
}
