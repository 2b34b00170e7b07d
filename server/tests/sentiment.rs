//! News sentiment end to end against a real server over a real SQLite file: before training the
//! API says what to run; `train sentiment` (quick) on the real Financial PhraseBank, news and
//! prices registers both learned models and rebuilds the index; `GET /api/sentiment` and
//! `POST /api/sentiment` answer in the shape with every bad request a 4xx naming its
//! field; the served artifact scores exactly like the API (what the browser runs); the page is
//! rendered with the comparison table on the server.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use common::{error_of, golden, import_reference_part, start, TestServer};
use mmi_crypto::sentiment::{SentimentConfig, TASK};
use mmi_learn::progress::Silent;
use mmi_store::tracking::{model_versions, serving_version, sha256_hex};
use mmi_text::sentiment::SentimentModel;
use mmi_types::{SentimentResponse, SentimentTextsResponse, SENTIMENT_LABELS};
use serde_json::{json, Value};
use server::train::train_sentiment_run;

async fn get(s: &TestServer, query: &str) -> reqwest::Response {
    reqwest::get(format!("{}/api/sentiment{query}", s.base))
        .await
        .unwrap()
}

async fn post(s: &TestServer, body: Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/api/sentiment", s.base))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn rejected(r: reqwest::Response, status: u16, field: Option<&str>, says: &str) {
    assert_eq!(r.status(), status);
    let e = error_of(r).await.error;
    assert_eq!(e.field.as_deref(), field, "{}", e.message);
    assert!(e.message.contains(says), "{}", e.message);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trained_sentiment_answers_the_api_and_the_browser_artifact_agrees() {
    let s = start().await;
    let scratch = tempfile::tempdir().unwrap();
    for part in ["crypto/prices", "crypto/news", "crypto/sentiment"] {
        import_reference_part(&s.state, scratch.path(), part).await;
    }

    // Before training: the query is still checked first, then 503 names the command.
    rejected(
        get(&s, "?symbol=BTC").await,
        503,
        None,
        "server train sentiment",
    )
    .await;
    rejected(
        get(&s, "?symbol=BTC&date=2019-02-30").await,
        400,
        Some("date"),
        "YYYY-MM-DD",
    )
    .await;
    rejected(
        post(&s, json!({"texts": ["up"]})).await,
        503,
        None,
        "server train sentiment",
    )
    .await;

    let trained = train_sentiment_run(&s.state.pool, SentimentConfig::quick(), Arc::new(Silent))
        .await
        .unwrap();
    s.refresh().await;
    let r = &trained.report;
    assert_eq!(r.train + r.validation + r.test, r.sentences);
    let methods: Vec<&str> = r.results.iter().map(|m| m.method.as_str()).collect();
    assert_eq!(methods, ["majority", "lexicon", "tfidf_logistic", "cnn"]);
    // The learned models beat the majority class on macro F1 (its F1 is one class's third).
    let majority = r.results[0].macro_f1.value;
    for m in &r.results[2..] {
        assert!(
            m.macro_f1.value > majority + 0.1,
            "{}: {:?}",
            m.method,
            m.macro_f1
        );
        assert!(
            m.bytes.unwrap() < 2 * 1024 * 1024,
            "{} fits the browser",
            m.method
        );
    }
    assert!(r.index_items > 100 && r.index_token_days > 100, "{r:?}");
    // The ablation ran on the tokens with news, before and after adding the sentiment lags.
    let ablation = r
        .ablation
        .as_ref()
        .expect("the prices are imported: an ablation");
    assert!(
        ablation.tokens.contains(&"BTC".to_string()),
        "{:?}",
        ablation.tokens
    );
    assert!(ablation.test_from > ablation.train_from && ablation.test_rows > 50);
    assert_eq!(
        ablation.results.len(),
        4,
        "two direction and two return models"
    );
    // One chosen setting per learned model.
    for method in ["tfidf_logistic", "cnn"] {
        let chosen = r
            .tuning
            .iter()
            .filter(|t| t.method == method && t.chosen)
            .count();
        assert_eq!(chosen, 1, "{method}");
    }
    // Both learned models are versions of the task; one serves.
    let versions = model_versions(&s.state.pool).await.unwrap();
    assert_eq!(versions.iter().filter(|v| v.task == TASK).count(), 2);
    let serving = serving_version(&s.state.pool, TASK).await.unwrap().unwrap();
    assert_eq!(serving.name, r.served);

    // GET: the latest day with news, a given day, and the 404s and 400s.
    let latest: SentimentResponse = get(&s, "?symbol=btc").await.json().await.unwrap();
    assert_eq!(latest.symbol, "BTC");
    assert!((-1.0..=1.0).contains(&latest.score));
    assert!(["positive", "neutral", "negative"].contains(&latest.label.as_str()));
    assert!(latest.n_items >= 1 && !latest.top_items.is_empty());
    assert!(latest.top_items.len() <= 5 && latest.top_items.len() as u32 <= latest.n_items);
    assert_eq!(
        (latest.model.name.as_str(), latest.model.version),
        (serving.name.as_str(), serving.version)
    );
    let day: SentimentResponse = get(&s, &format!("?symbol=BTC&date={}", latest.date))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(day, latest);
    let raw: Value = get(&s, "?symbol=BTC").await.json().await.unwrap();
    golden("sentiment_btc_latest", &raw, &[]);
    let mut keys: Vec<&str> = raw
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "date",
            "label",
            "model",
            "n_items",
            "score",
            "symbol",
            "top_items"
        ]
    );
    rejected(
        get(&s, "?symbol=BTC&date=2013-01-01").await,
        404,
        Some("symbol"),
        "no news about BTC on 2013-01-01",
    )
    .await;
    rejected(
        get(&s, "?symbol=NOPE").await,
        404,
        Some("symbol"),
        "no news about NOPE",
    )
    .await;
    rejected(
        get(&s, "?symbol=BTC&date=yesterday").await,
        400,
        Some("date"),
        "YYYY-MM-DD",
    )
    .await;
    rejected(get(&s, "").await, 400, Some("symbol"), "symbol is required").await;

    // POST: labels and probabilities per text.
    let texts = [
        "Operating profit rose sharply and the outlook improved",
        "The company reported a net loss and cut jobs",
        "The annual meeting is in Helsinki",
    ];
    let scored: SentimentTextsResponse = post(&s, json!({ "texts": texts }))
        .await
        .json()
        .await
        .unwrap();
    golden(
        "sentiment_texts",
        &serde_json::to_value(&scored).unwrap(),
        &[],
    );
    assert_eq!(scored.results.len(), 3);
    for (t, res) in texts.iter().zip(&scored.results) {
        assert_eq!(res.text, *t);
        let p = res.probabilities;
        assert!((p.negative + p.neutral + p.positive - 1.0).abs() < 1e-4);
        assert!((res.score - (p.positive - p.negative)).abs() < 1e-6);
        assert!(SENTIMENT_LABELS.contains(&res.label.as_str()));
    }
    assert_eq!(
        scored.results[0].label, "positive",
        "{:?}",
        scored.results[0]
    );
    assert_eq!(
        scored.results[1].label, "negative",
        "{:?}",
        scored.results[1]
    );
    rejected(
        post(&s, json!({"texts": []})).await,
        422,
        Some("texts"),
        "texts is empty",
    )
    .await;
    rejected(
        post(&s, json!({"texts": vec!["up"; 101]})).await,
        422,
        Some("texts"),
        "at most 100",
    )
    .await;
    rejected(
        post(&s, json!({"texts": ["ok", "x".repeat(1001)]})).await,
        422,
        Some("texts"),
        "texts[1] has 1001 characters",
    )
    .await;
    rejected(
        post(&s, json!({"texts": ["ok", " "]})).await,
        422,
        Some("texts"),
        "texts[1] is empty",
    )
    .await;
    assert_eq!(post(&s, json!({"texts": "up"})).await.status(), 422);
    assert_eq!(
        post(&s, json!({"texts": ["up"], "model": "x"}))
            .await
            .status(),
        422
    );

    // The served artifact is what the browser fetches; it scores exactly like the API.
    let bytes = reqwest::get(format!("{}/artifacts/{}", s.base, serving.sha256))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(sha256_hex(&bytes), serving.sha256);
    let model = SentimentModel::from_bytes(&bytes).unwrap();
    for (t, res) in texts.iter().zip(&scored.results) {
        let local = model.score(t);
        assert_eq!(SENTIMENT_LABELS[local.label], res.label);
        assert_eq!(f64::from(local.score), res.score);
    }

    // The page is rendered on the server with the comparison and the index's tokens.
    let html = reqwest::get(format!("{}/sentiment", s.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for method in ["majority", "lexicon", "tfidf_logistic", "cnn"] {
        assert!(
            html.contains(&format!("data-method=\"{method}\"")),
            "{method}"
        );
    }
    assert!(html.contains("data-testid=\"sentiment-symbol\""));
    assert!(html.contains("data-testid=\"ablation-table\""));
}
