//! The schedule against a local mock of CoinGecko replaying its real JSON: a price refresh every
//! second (`PRICE_REFRESH_CRON`) queues one live import job, which a worker runs into a real
//! database (SQLite, and PostgreSQL where the test run has one); several ticks within a minute
//! queue it once.

// Test helpers unwrap too: a panic is the failure report we want.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use clap::Parser;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn json(name: &str) -> ResponseTemplate {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/ingest/tests/fixtures")
        .join(name);
    ResponseTemplate::new(200)
        .set_body_raw(std::fs::read_to_string(file).unwrap(), "application/json")
}

async fn coingecko() -> MockServer {
    let server = MockServer::start().await;
    for (route, file) in [
        ("/api/v3/coins/markets", "coingecko_markets.json"),
        (
            "/api/v3/coins/bitcoin/market_chart/range",
            "coingecko_chart_bitcoin.json",
        ),
        (
            "/api/v3/coins/ethereum/market_chart/range",
            "coingecko_chart_ethereum.json",
        ),
    ] {
        Mock::given(method("GET"))
            .and(path(route))
            .respond_with(json(file))
            .mount(&server)
            .await;
    }
    server
}

#[tokio::test]
async fn a_scheduled_price_refresh_runs_once_as_a_job() {
    let mock = coingecko().await;
    for db in mmi_store::scratch::all().await {
        let pool = mmi_store::open(&db.url).await.unwrap();
        let mut config = server::config::Cli::parse_from(["server"]).config;
        config.data_dir = None;
        config.live_import = true;
        config.coingecko_base_url = format!("{}/api/v3", mock.uri());
        config.coingecko_api_key = Some("demo-key".into());
        config.coingecko_top_n = 2;
        config.fdc_api_key = None;
        config.price_refresh_cron = Some("* * * * * *".into());
        let config = Arc::new(config);
        server::jobs::check_schedule(&config).unwrap();
        let schedule = tokio::spawn(server::jobs::run_schedule(pool.clone(), config.clone()));
        let worker = server::jobs::Worker {
            pool: pool.clone(),
            config: config.clone(),
            name: "schedule-test".into(),
            import_progress: Arc::new(RwLock::new(None)),
        };

        let started = Instant::now();
        loop {
            worker.run_one().await.unwrap();
            let jobs = mmi_store::jobs::list(&pool, 10).await.unwrap();
            if jobs.iter().any(|j| j.state == "succeeded") {
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(30), "{jobs:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // A few more ticks of the every-second schedule: nothing new within the minute.
        tokio::time::sleep(Duration::from_millis(2500)).await;
        schedule.abort();
        let jobs = mmi_store::jobs::list(&pool, 10).await.unwrap();
        assert_eq!(jobs.len(), 1, "{:?}: {jobs:?}", db.backend);
        let job = &jobs[0];
        assert_eq!(
            (job.kind.as_str(), job.domain.as_str(), job.origin.as_str()),
            ("import", "live", "schedule")
        );
        let stats = mmi_store::stats(&pool).await.unwrap();
        assert_eq!((stats.tokens, stats.price_rows), (2, 8), "{:?}", db.backend);
        assert_eq!(stats.last_price_day.as_deref(), Some("2021-07-05"));
    }
}
