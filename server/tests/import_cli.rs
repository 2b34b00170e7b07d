//! The `server import` command on the real reference data (DATA_DIR): the expected counts, a
//! second import that changes nothing, and an import killed mid-way that a re-run completes to
//! exactly the counts of one clean run; on PostgreSQL, two imports at once from two processes
//! end with the counts of one.

// Test helpers unwrap too: a panic is the failure report we want.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mmi_ingest::ImportReport;
use mmi_store::Pool;

fn data_dir() -> PathBuf {
    mmi_ingest::reference_data_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
}

fn import_command(db: &Path) -> Command {
    import_command_url(&format!("sqlite://{}", db.display()))
}

fn import_command_url(url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_server"));
    cmd.arg("import")
        .arg("--data-dir")
        .arg(data_dir())
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

async fn pool(db: &Path) -> Pool {
    mmi_store::open(&format!("sqlite://{}", db.display()))
        .await
        .unwrap()
}

async fn counts(pool: &Pool) -> Vec<(&'static str, i64)> {
    mmi_store::table_counts(pool).await.unwrap()
}

async fn last_report(pool: &Pool) -> ImportReport {
    let json: String = sqlx::query_scalar(
        "SELECT summary_json FROM import_runs WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    serde_json::from_str(&json).unwrap()
}

#[tokio::test]
async fn real_data_imports_idempotently_and_survives_being_killed() {
    let dir = tempfile::tempdir().unwrap();

    // One clean run, then a second one.
    let clean = dir.path().join("clean.db");
    assert!(import_command(&clean).status().unwrap().success());
    let clean_pool = pool(&clean).await;
    let once = counts(&clean_pool).await;
    let stats = mmi_store::stats(&clean_pool).await.unwrap();
    assert_eq!(stats.tokens, 23);
    assert_eq!(stats.foods, 8_463);
    assert_eq!(stats.price_rows, 37_082);
    assert_eq!(stats.first_price_day.as_deref(), Some("2013-04-29"));
    assert_eq!(stats.last_price_day.as_deref(), Some("2021-07-06"));
    let first = last_report(&clean_pool).await;
    assert!(first.missing.is_empty(), "{first}");

    assert!(import_command(&clean).status().unwrap().success());
    assert_eq!(
        counts(&clean_pool).await,
        once,
        "a second import changes no count"
    );
    let second = last_report(&clean_pool).await;
    assert_eq!(second.total(|f| f.inserted), 0, "{second}");
    assert_eq!(second.total(|f| f.updated), 0, "{second}");
    assert_eq!(second.total(|f| f.unchanged), first.total(|f| f.inserted));

    // Killed (SIGKILL) while writing prices, then run again.
    let killed = dir.path().join("killed.db");
    let watcher = pool(&killed).await;
    let mut child = import_command(&killed).spawn().unwrap();
    let started = Instant::now();
    loop {
        let prices: i64 = sqlx::query_scalar("SELECT count(*) FROM daily_prices")
            .fetch_one(&watcher)
            .await
            .unwrap();
        if prices >= 6_000 {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended before it could be killed"
        );
        assert!(started.elapsed() < Duration::from_secs(120), "no progress");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let interrupted = counts(&watcher).await;
    assert!(
        interrupted[1].1 < once[1].1,
        "killed before all prices were in"
    );
    assert_eq!(interrupted[6].1, 0, "killed before any food was in");

    assert!(import_command(&killed).status().unwrap().success());
    assert_eq!(
        counts(&watcher).await,
        once,
        "kill + re-run = one clean run"
    );
    // Two imports started at once by two processes on one PostgreSQL database end with the
    // counts of one import (SQLite's, above).
    match mmi_store::scratch::postgres().await.unwrap() {
        Some(pg) => {
            let mut one = import_command_url(&pg.url).spawn().unwrap();
            let mut two = import_command_url(&pg.url).spawn().unwrap();
            assert!(one.wait().unwrap().success());
            assert!(two.wait().unwrap().success());
            let pg_pool = mmi_store::open(&pg.url).await.unwrap();
            assert_eq!(counts(&pg_pool).await, once, "two at once = one import");
            let stats = mmi_store::stats(&pg_pool).await.unwrap();
            assert_eq!(
                (stats.first_price_day, stats.last_price_day),
                (Some("2013-04-29".into()), Some("2021-07-06".into()))
            );
            pg_pool.close().await;
        }
        None => eprintln!("MMI_TEST_POSTGRES_URL is not set: no concurrent import on PostgreSQL"),
    }
}
