//! The live clients against a local mock HTTP server replaying responses in the APIs' real JSON
//! shape: retries on 429/5xx, a malformed body as a clear error, and a full live import into a
//! real SQLite file.

// Test helpers unwrap too: a panic is the failure report we want.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::time::Duration;

use mmi_ingest::{
    import_live, CoinGeckoClient, FdcClient, IngestError, LiveOptions, Progress, RetryPolicy,
};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap()
}

fn json(name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(fixture(name), "application/json")
}

fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_retries: 3,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
    }
}

async fn coingecko_mock() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v3/coins/markets"))
        .and(query_param("vs_currency", "usd"))
        .and(query_param("per_page", "2"))
        .and(header("x-cg-demo-api-key", "demo-key"))
        .respond_with(json("coingecko_markets.json"))
        .mount(&server)
        .await;
    // Rate limited once, then the data: the client must wait and retry.
    Mock::given(method("GET"))
        .and(path("/api/v3/coins/bitcoin/market_chart/range"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v3/coins/bitcoin/market_chart/range"))
        .respond_with(json("coingecko_chart_bitcoin.json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v3/coins/ethereum/market_chart/range"))
        .respond_with(json("coingecko_chart_ethereum.json"))
        .mount(&server)
        .await;
    server
}

fn coingecko(server: &MockServer) -> CoinGeckoClient {
    CoinGeckoClient::new(
        &format!("{}/api/v3", server.uri()),
        Some("demo-key".into()),
        fast_retry(),
    )
    .unwrap()
}

#[tokio::test]
async fn markets_list_decodes_the_real_shape() {
    let server = coingecko_mock().await;
    let coins = coingecko(&server).markets(2).await.unwrap();
    assert_eq!(coins.len(), 2);
    assert_eq!(coins[0].id, "bitcoin");
    assert_eq!(coins[1].market_cap_rank, Some(2));
}

#[tokio::test]
async fn a_429_is_retried_and_then_succeeds() {
    let server = coingecko_mock().await;
    let now = chrono::Utc::now();
    let chart = coingecko(&server)
        .market_chart_range("bitcoin", now - chrono::Duration::days(365), now)
        .await
        .unwrap();
    assert_eq!(chart.prices.len(), 4);
    let calls = server.received_requests().await.unwrap();
    let chart_calls = calls
        .iter()
        .filter(|r| r.url.path().ends_with("bitcoin/market_chart/range"))
        .count();
    assert_eq!(chart_calls, 2, "one 429, one success");
}

#[tokio::test]
async fn persistent_5xx_gives_up_with_the_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_string("upstream down"))
        .mount(&server)
        .await;
    let err = coingecko(&server).markets(2).await.unwrap_err();
    assert!(
        matches!(err, IngestError::HttpStatus { status: 503, .. }),
        "{err}"
    );
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        4,
        "1 try + 3 retries"
    );
}

#[tokio::test]
async fn a_malformed_body_is_a_clear_error_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v3/coins/markets"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"[{"id": "bitcoin", "symbol": 5"#, "application/json"),
        )
        .mount(&server)
        .await;
    let err = coingecko(&server).markets(2).await.unwrap_err();
    let message = err.to_string();
    assert!(
        matches!(err, IngestError::MalformedBody { .. }),
        "{message}"
    );
    assert!(
        message.contains("CoinGecko /coins/markets: malformed response body"),
        "{message}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_client_error_is_final_and_names_the_endpoint_without_the_key() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(403).set_body_string(r#"{"error": {"code": "API_KEY_INVALID"}}"#),
        )
        .mount(&server)
        .await;
    let fdc = FdcClient::new(&server.uri(), "secret-key".into(), fast_retry()).unwrap();
    let message = fdc.food(1).await.unwrap_err().to_string();
    assert!(message.contains("/v1/food/1: HTTP 403"), "{message}");
    assert!(!message.contains("secret-key"), "{message}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

async fn fdc_mock() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/fdc/v1/foods/list"))
        .and(query_param("dataType", "SR Legacy"))
        .and(query_param("pageNumber", "1"))
        .and(query_param("api_key", "fdc-key"))
        .respond_with(json("fdc_list_page1.json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/fdc/v1/foods/list"))
        .and(query_param("pageNumber", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("[]", "application/json"))
        .mount(&server)
        .await;
    for id in ["173430", "171688", "999001"] {
        Mock::given(method("GET"))
            .and(path(format!("/fdc/v1/food/{id}")))
            .and(query_param("api_key", "fdc-key"))
            .respond_with(json(&format!("fdc_food_{id}.json")))
            .mount(&server)
            .await;
    }
    server
}

#[tokio::test]
async fn a_live_import_stores_tokens_prices_and_foods() {
    let (cg, fdc) = (coingecko_mock().await, fdc_mock().await);
    for db in mmi_store::scratch::all().await {
        let pool = mmi_store::open(&db.url).await.unwrap();
        let options = LiveOptions {
            coingecko: Some(coingecko(&cg)),
            top_n: 2,
            history_days: 365,
            fdc: Some(
                FdcClient::new(
                    &format!("{}/fdc", fdc.uri()),
                    "fdc-key".into(),
                    fast_retry(),
                )
                .unwrap(),
            ),
            max_foods: 10,
        };
        let report = import_live(&pool, &options, &Progress::default())
            .await
            .unwrap();
        let stats = mmi_store::stats(&pool).await.unwrap();
        assert_eq!(stats.tokens, 2);
        // Four daily points each, the first at 2021-07-03 00:00 UTC: closes of 07-02 .. 07-05.
        assert_eq!(stats.price_rows, 8);
        assert_eq!(stats.first_price_day.as_deref(), Some("2021-07-02"));
        assert_eq!(stats.last_price_day.as_deref(), Some("2021-07-05"));
        assert_eq!(stats.foods, 2);
        // Butter: 3 nutrients with amounts (vitamin D has none: absent), apples: 2.
        assert_eq!(stats.food_nutrients, 5);
        assert_eq!(stats.food_portions, 3);

        let fdc_report = report
            .files
            .iter()
            .find(|f| f.file.starts_with("fdc"))
            .unwrap();
        assert_eq!((fdc_report.read, fdc_report.inserted), (3, 2));
        assert_eq!(fdc_report.rejected.len(), 1);
        assert!(fdc_report.rejected[0].reason.contains("no NDB number"));

        let butter: (String, Option<String>) =
            sqlx::query_as("SELECT description, food_group_code FROM foods WHERE ndb_no = '01145'")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(butter, ("Butter, without salt".into(), Some("0100".into())));
        // ETH's 0.0 volume on the first day is missing, not zero; CoinGecko has no open/high/low.
        let eth_first: (Option<f64>, Option<f64>) = sqlx::query_as(
            "SELECT volume_usd, open_usd FROM daily_prices p JOIN tokens t ON t.id = p.token_id
              WHERE t.symbol = 'ETH' ORDER BY day LIMIT 1",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(eth_first, (None, None));

        // Importing again changes nothing.
        let again = import_live(&pool, &options, &Progress::default())
            .await
            .unwrap();
        assert_eq!(
            again.total(|f| f.inserted) + again.total(|f| f.updated),
            0,
            "{again}"
        );
        assert_eq!(mmi_store::stats(&pool).await.unwrap().price_rows, 8);
    }
}
