//! What the server's integration tests share: a real server on a loopback port over a real
//! SQLite file, the API's error body, and imports of the fixtures or the reference prices.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::Path;
use std::sync::{Arc, RwLock};

use app::state::AppState;
use leptos::prelude::LeptosOptions;
use mmi_ingest::{import_dir, Progress};
use mmi_types::ApiErrorBody;

pub const BODY_LIMIT: usize = 64 * 1024;

pub struct TestServer {
    pub base: String,
    pub state: AppState,
    pub dir: tempfile::TempDir,
}

/// A server on `127.0.0.1:0` over a new database file.
pub async fn start() -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let pool = mmi_store::open(&format!(
        "sqlite://{}",
        dir.path().join("http.db").display()
    ))
    .await
    .unwrap();
    let state = AppState {
        leptos_options: LeptosOptions::builder()
            .output_name("mmi")
            .site_root(dir.path().display().to_string())
            .build(),
        pool,
        import_progress: Arc::new(RwLock::new(None)),
        predictor: Default::default(),
        nutrition: Default::default(),
        recommender: Default::default(),
        sentiment: Default::default(),
        recipes: Default::default(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = server::http::router(state.clone(), BODY_LIMIT);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    TestServer { base, state, dir }
}

/// The ingest crate's small fixture data set (one token, `TST`).
pub async fn import_fixtures(state: &AppState) {
    let fixtures =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/ingest/tests/fixtures/data");
    import_dir(&state.pool, &fixtures, &Progress::default())
        .await
        .unwrap();
}

/// The reference data's price files (DATA_DIR/crypto/prices) and nothing else, through the
/// project's importer.
pub async fn import_reference_prices(state: &AppState, scratch: &Path) {
    import_reference_part(state, scratch, "crypto/prices").await;
}

/// One folder of the reference data (e.g. `nutrition/sr26`) and nothing else, through the
/// project's importer.
pub async fn import_reference_part(state: &AppState, scratch: &Path, part: &str) {
    let data_dir =
        mmi_ingest::reference_data_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join(".."));
    let only = scratch.join(format!("only-{}", part.replace('/', "-")));
    mmi_ingest::import_parts(&state.pool, &data_dir, &[part], &only, &Progress::default())
        .await
        .unwrap();
}

/// The body of an API error, after checking it is JSON.
pub async fn error_of(response: reqwest::Response) -> ApiErrorBody {
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    response.json().await.unwrap()
}
