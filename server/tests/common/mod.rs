//! What the server's integration tests share: a real server on a loopback port over a real
//! SQLite file or PostgreSQL database, the API's error body, and imports of the fixtures or the reference prices.
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
    let (base, state) = serve(&dir.path().join("http.db"), true).await;
    TestServer { base, state, dir }
}

/// A server on `127.0.0.1:0` over the scratch database `db` (SQLite or PostgreSQL).
pub async fn start_on(db: &mmi_store::scratch::ScratchDb) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let (base, state) = serve_url(&db.url, dir.path(), true).await;
    TestServer { base, state, dir }
}

/// The admin token the test servers accept.
pub const ADMIN_TOKEN: &str = "test-admin-token";

/// The configuration of a test server: the defaults (and the environment), with a small body
/// limit and the admin token.
pub fn test_config() -> std::sync::Arc<server::config::Config> {
    use clap::Parser;
    let mut config = server::config::Cli::parse_from(["server"]).config;
    config.body_limit_bytes = BODY_LIMIT;
    config.admin_token = Some(ADMIN_TOKEN.to_owned());
    std::sync::Arc::new(config)
}

/// A server process's worth of state and router on a loopback port over the database file
/// `db`; with `watch`, the snapshot is built at once and then follows the database.
pub async fn serve(db: &Path, watch: bool) -> (String, AppState) {
    serve_url(
        &format!("sqlite://{}", db.display()),
        db.parent().unwrap(),
        watch,
    )
    .await
}

/// [`serve`] over the database at `url`, with `site` as the site root.
pub async fn serve_url(url: &str, site: &Path, watch: bool) -> (String, AppState) {
    // `RUST_LOG=mmi_serve=info cargo test ... -- --nocapture` shows what the snapshots cost.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
    let pool = mmi_store::open(url).await.unwrap();
    let state = AppState {
        leptos_options: LeptosOptions::builder()
            .output_name("mmi")
            .site_root(site.display().to_string())
            .build(),
        services: mmi_serve::Services::new(pool.clone()),
        pool,
        import_progress: Arc::new(RwLock::new(None)),
    };
    // As `server serve` does: the snapshot is watched; the tests also refresh it right after
    // each import or training so that no assertion depends on the poll's timing.
    if watch {
        state.services.watch(std::time::Duration::from_millis(200));
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = server::http::router(state.clone(), &test_config());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, state)
}

impl TestServer {
    /// Serves what the database holds now (what the watcher would do within a poll).
    pub async fn refresh(&self) {
        self.state.services.refresh().await.unwrap();
    }

    /// How many times the snapshot part or lazy entry `what` has been built.
    pub fn builds(&self, what: &str) -> u64 {
        self.state.services.info().unwrap().builds[what]
    }
}

/// The ingest crate's small fixture data set (one token, `TST`).
pub async fn import_fixtures(state: &AppState) {
    let fixtures =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/ingest/tests/fixtures/data");
    import_dir(&state.pool, &fixtures, &Progress::default())
        .await
        .unwrap();
    state.services.refresh().await.unwrap();
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
    state.services.refresh().await.unwrap();
}

/// The body of an API error, after checking it is JSON.
pub async fn error_of(response: reqwest::Response) -> ApiErrorBody {
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    response.json().await.unwrap()
}

/// Compares an endpoint's answer with the one recorded in `tests/golden/{name}.json` on the same
/// requests to the same trained database before the request path was rewritten, so a refactor of
/// the serving code cannot change an answer unnoticed. Numbers agree to 1e-9 relative (the same
/// seeds train the same models; only the last bits of a float sum may differ); keys in
/// `volatile` (timings) are left out. `RECORD_GOLDEN=1` writes the file instead.
pub fn golden(name: &str, value: &serde_json::Value, volatile: &[&str]) {
    let mut value = value.clone();
    strip(&mut value, volatile);
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.json"));
    if std::env::var_os("RECORD_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, serde_json::to_string_pretty(&value).unwrap() + "\n").unwrap();
        return;
    }
    let recorded: serde_json::Value = serde_json::from_slice(
        &std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .unwrap();
    if let Err(at) = same(&recorded, &value, "$") {
        panic!("{name}: the answer differs from the recorded one at {at}\nnow: {value:#}");
    }
}

fn strip(v: &mut serde_json::Value, keys: &[&str]) {
    match v {
        serde_json::Value::Object(m) => {
            for k in keys {
                m.remove(*k);
            }
            m.values_mut().for_each(|v| strip(v, keys));
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(|v| strip(v, keys)),
        _ => {}
    }
}

fn same(a: &serde_json::Value, b: &serde_json::Value, at: &str) -> Result<(), String> {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            let ok = x == y || (x - y).abs() <= 1e-9 * x.abs().max(y.abs());
            ok.then_some(())
                .ok_or_else(|| format!("{at}: {x} then, {y} now"))
        }
        (Array(x), Array(y)) => {
            if x.len() != y.len() {
                return Err(format!("{at}: {} items then, {} now", x.len(), y.len()));
            }
            x.iter()
                .zip(y)
                .enumerate()
                .try_for_each(|(i, (x, y))| same(x, y, &format!("{at}[{i}]")))
        }
        (Object(x), Object(y)) => {
            let (kx, ky): (Vec<_>, Vec<_>) = (x.keys().collect(), y.keys().collect());
            if kx != ky {
                return Err(format!("{at}: keys {kx:?} then, {ky:?} now"));
            }
            x.iter()
                .try_for_each(|(k, v)| same(v, &y[k], &format!("{at}.{k}")))
        }
        _ => (a == b)
            .then_some(())
            .ok_or_else(|| format!("{at}: {a} then, {b} now")),
    }
}
