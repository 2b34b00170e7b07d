//! More than one process on one PostgreSQL database, as a deployment runs them: two `server
//! serve` replicas that run no jobs and `server worker` processes. A training queued through one
//! replica's admin API runs on a worker; the worker is killed (SIGKILL) mid-training, which leaves
//! no version registered and the job taken back; a second worker stopped with SIGTERM hands it
//! back at once; a third completes it, and both replicas serve the new model within 5 s of its
//! end, with identical answers.
//!
//! Needs `MMI_TEST_POSTGRES_URL` (`make test` starts a cluster); without it the test says so and
//! passes, as the SQLite-only run of a developer's `cargo test` should.

// Test helpers unwrap too: a panic is the failure report we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mmi_ingest::Progress;
use mmi_types::{JobInfo, JobList, JobQueued};
use serde_json::{json, Value};

const TOKEN: &str = "replica-admin-token";

/// A child process killed (SIGKILL) when dropped, so a failing test leaves nothing running.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn server(db_url: &str, site: &Path, args: &[&str], env: &[(&str, &str)]) -> Proc {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_server"));
    cmd.args(args)
        .env_remove("DATA_DIR")
        .env("DATABASE_URL", db_url)
        .env("LEPTOS_SITE_ROOT", site)
        .env("LEPTOS_OUTPUT_NAME", "mmi")
        .env("IMPORT_ON_START", "false")
        .env("TRAIN_ON_START", "off")
        .env("ADMIN_TOKEN", TOKEN)
        .env("SNAPSHOT_POLL_MS", "250")
        .env("JOB_POLL_MS", "200")
        .env("JOB_STALE_SECS", "3")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    for (k, v) in env {
        cmd.env(k, v);
    }
    Proc(cmd.spawn().unwrap())
}

/// A replica serving on its own port; returns it and its base URL once `/readyz` says ready.
async fn replica(db_url: &str, site: &Path) -> (Proc, String) {
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let proc = server(
        db_url,
        site,
        &["serve"],
        &[("LEPTOS_SITE_ADDR", &addr), ("RUN_JOBS", "false")],
    );
    let base = format!("http://{addr}");
    wait_for(
        "the replica to be ready",
        Duration::from_secs(120),
        || async {
            reqwest::get(format!("{base}/readyz"))
                .await
                .is_ok_and(|r| r.status() == 200)
        },
    )
    .await;
    (proc, base)
}

async fn wait_for<F, Fut>(what: &str, limit: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !check().await {
        assert!(start.elapsed() < limit, "waited {limit:?} for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn job(base: &str, id: i64) -> JobInfo {
    let list: JobList = reqwest::Client::new()
        .get(format!("{base}/api/admin/jobs"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    list.jobs.into_iter().find(|j| j.id == id).unwrap()
}

async fn predict(base: &str) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{base}/api/predict"))
        .json(&json!({"symbol": "BTC"}))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn replicas_share_one_database_and_a_killed_worker_leaves_the_registry_whole() {
    let Some(db) = mmi_store::scratch::postgres().await.unwrap() else {
        eprintln!("MMI_TEST_POSTGRES_URL is not set: the replica test needs PostgreSQL");
        return;
    };
    let site = db.dir().unwrap().to_path_buf();
    let pool = mmi_store::open(&db.url).await.unwrap();
    let data_dir =
        mmi_ingest::reference_data_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join(".."));
    mmi_ingest::import_parts(
        &pool,
        &data_dir,
        &["crypto/prices"],
        &site.join("only-prices"),
        &Progress::default(),
    )
    .await
    .unwrap();

    let (_a, a) = replica(&db.url, &site).await;
    let (_b, b) = replica(&db.url, &site).await;
    assert_eq!(predict(&b).await.0, 503, "nothing is trained yet");

    // A worker, and a quick crypto training queued through replica A.
    let mut first_worker = server(&db.url, &site, &["worker"], &[]);
    let queued: JobQueued = reqwest::Client::new()
        .post(format!("{a}/api/admin/jobs"))
        .bearer_auth(TOKEN)
        .json(&json!({"kind": "train", "domain": "crypto", "quick": true}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = queued.job.id;

    // Killed once it has trained a model (its progress is visible through replica B).
    wait_for(
        "a model of the training",
        Duration::from_secs(240),
        || async {
            let j = job(&b, id).await;
            j.state == "running" && j.progress.is_some_and(|p| p.done >= 1 && p.total > 1)
        },
    )
    .await;
    first_worker.0.kill().unwrap();
    first_worker.0.wait().unwrap();
    let versions: i64 = sqlx::query_scalar("SELECT count(*) FROM model_versions")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(versions, 0, "a killed training registers nothing");
    assert!(
        mmi_store::tracking::serving_version(&pool, "crypto_direction")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        job(&a, id).await.state,
        "running",
        "until its heartbeat is stale"
    );
    assert_eq!(predict(&a).await.0, 503);

    // A second worker takes the job back (stale after 3 s). Stopped with SIGTERM once it runs
    // the training, it hands the job back at once, the attempt not counted, and exits without
    // waiting for the training thread.
    let mut second_worker = server(&db.url, &site, &["worker"], &[]);
    wait_for(
        "the second worker to run the training",
        Duration::from_secs(60),
        || async {
            let j = job(&a, id).await;
            j.state == "running" && j.attempts == 2 && j.run_id.is_some()
        },
    )
    .await;
    let stopped = Instant::now();
    let term = Command::new("kill")
        .args(["-TERM", &second_worker.0.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let status = loop {
        if let Some(status) = second_worker.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            stopped.elapsed() < Duration::from_secs(10),
            "a worker stopped mid-training exits within seconds"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "{status:?}");
    let back = job(&a, id).await;
    assert_eq!(
        (back.state.as_str(), back.attempts),
        ("queued", 1),
        "{back:?}"
    );
    assert!(back.error.unwrap_or_default().contains("shut down"));

    // A third worker completes it.
    let _third_worker = server(&db.url, &site, &["worker"], &[]);
    let started = Instant::now();
    let (finished, j) = loop {
        let j = job(&a, id).await;
        assert_ne!(j.state, "failed", "{:?}", j.error);
        if j.state == "succeeded" {
            break (Instant::now(), j);
        }
        assert!(
            started.elapsed() < Duration::from_secs(400),
            "the retried training"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(
        j.attempts, 2,
        "the killed attempt and the one that finished"
    );
    assert!(j.run_id.is_some());

    // Both replicas serve it within 5 s of its end, identically.
    wait_for(
        "both replicas to serve the model",
        Duration::from_secs(5),
        || async { predict(&a).await.0 == 200 && predict(&b).await.0 == 200 },
    )
    .await;
    assert!(finished.elapsed() < Duration::from_secs(6));
    let (from_a, from_b) = (predict(&a).await.1, predict(&b).await.1);
    assert_eq!(from_a, from_b);
    assert_eq!(from_a["model"]["version"], 1, "{from_a}");
    let serving: Vec<(String, i64)> =
        sqlx::query_as("SELECT task, version FROM model_versions WHERE serving = 1 ORDER BY task")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert!(
        serving.iter().all(|(_, v)| *v == 1) && serving.len() >= 2,
        "one training's versions: {serving:?}"
    );
}
