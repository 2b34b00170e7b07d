//! Experiment tracking and the model registry: runs with params, stepped metrics, tags and
//! content-addressed artifacts; registered model versions with one serving version per task.
//!
//! Recording a finished training is one transaction ([`record_run`], [`register_version`],
//! [`set_serving`] on the same connection), so a crash leaves the previous registry intact.

use mmi_types::{ArtifactSummary, RunSummary};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{Conn, Pool};

use crate::StoreError;

/// Now, as runs record times: RFC 3339, UTC, milliseconds.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn experiment_id(conn: &mut Conn, name: &str) -> Result<i64, StoreError> {
    sqlx::query(
        "INSERT INTO experiments (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(
        sqlx::query_scalar("SELECT id FROM experiments WHERE name = $1")
            .bind(name)
            .fetch_one(&mut *conn)
            .await?,
    )
}

/// Starts a run (status `running`) at `started_at` (RFC 3339; [`now`] for a run starting now)
/// and returns its id.
pub async fn start_run(
    conn: &mut Conn,
    experiment: &str,
    name: &str,
    parent_id: Option<i64>,
    git_commit: Option<&str>,
    started_at: &str,
) -> Result<i64, StoreError> {
    let experiment_id = experiment_id(conn, experiment).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO runs (experiment_id, parent_id, name, status, started_at, git_commit)
         VALUES ($1, $2, $3, 'running', $4, $5) RETURNING id",
    )
    .bind(experiment_id)
    .bind(parent_id)
    .bind(name)
    .bind(started_at)
    .bind(git_commit)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// What a run logs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunLog {
    pub params: Vec<(String, String)>,
    /// `(key, step, value)`; non-finite values are not stored.
    pub metrics: Vec<(String, i64, f64)>,
    pub tags: Vec<(String, String)>,
    /// `(name, media type, content)`.
    pub artifacts: Vec<(String, String, Vec<u8>)>,
}

/// Logs `log` to run `run_id`. Returns the artifacts' hashes, in order.
pub async fn log_run(
    conn: &mut Conn,
    run_id: i64,
    log: &RunLog,
) -> Result<Vec<String>, StoreError> {
    for (key, value) in &log.params {
        sqlx::query("INSERT INTO run_params (run_id, key, value) VALUES ($1, $2, $3) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value")
            .bind(run_id)
            .bind(key)
            .bind(value)
            .execute(&mut *conn)
            .await?;
    }
    for (key, step, value) in log.metrics.iter().filter(|m| m.2.is_finite()) {
        sqlx::query(
            "INSERT INTO run_metrics (run_id, key, step, value) VALUES ($1, $2, $3, $4)
             ON CONFLICT (run_id, key, step) DO UPDATE SET value = excluded.value",
        )
        .bind(run_id)
        .bind(key)
        .bind(step)
        .bind(value)
        .execute(&mut *conn)
        .await?;
    }
    for (key, value) in &log.tags {
        sqlx::query("INSERT INTO run_tags (run_id, key, value) VALUES ($1, $2, $3) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value")
            .bind(run_id)
            .bind(key)
            .bind(value)
            .execute(&mut *conn)
            .await?;
    }
    let mut hashes = Vec::new();
    for (name, media_type, content) in &log.artifacts {
        let hash = sha256_hex(content);
        sqlx::query(
            "INSERT INTO artifacts (sha256, size_bytes, media_type, content) VALUES ($1, $2, $3, $4)
             ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(&hash)
        .bind(content.len() as i64)
        .bind(media_type)
        .bind(content.as_slice())
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO run_artifacts (run_id, name, sha256) VALUES ($1, $2, $3)
             ON CONFLICT (run_id, name) DO UPDATE SET sha256 = excluded.sha256",
        )
        .bind(run_id)
        .bind(name)
        .bind(&hash)
        .execute(&mut *conn)
        .await?;
        hashes.push(hash);
    }
    Ok(hashes)
}

/// Ends a run at `ended_at`: `finished`, or `failed` with the error.
pub async fn end_run(
    conn: &mut Conn,
    run_id: i64,
    error: Option<&str>,
    ended_at: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE runs SET status = $2, ended_at = $3, error = $4 WHERE id = $1")
        .bind(run_id)
        .bind(if error.is_some() {
            "failed"
        } else {
            "finished"
        })
        .bind(ended_at)
        .bind(error)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Registers the artifact `sha256` of run `run_id` as the next version of `(task, name)`.
///
/// On PostgreSQL, trainings of one task in two processes take turns from here to their commit
/// (a transaction-level advisory lock on the task): the second reads the first's version and
/// registers the next, where it would otherwise read the same maximum and fail on the unique key.
/// SQLite runs one writing transaction at a time anyway.
pub async fn register_version(
    conn: &mut Conn,
    task: &str,
    name: &str,
    run_id: i64,
    sha256: &str,
) -> Result<i64, StoreError> {
    if conn.backend_name() == "PostgreSQL" {
        // The function returns `void`, which the `Any` driver cannot decode: select a constant.
        sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext($1))) AS locked")
            .bind(task)
            .execute(&mut *conn)
            .await?;
    }
    let version: i64 = sqlx::query_scalar(
        "SELECT coalesce(max(version), 0) + 1 FROM model_versions WHERE task = $1 AND name = $2",
    )
    .bind(task)
    .bind(name)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO model_versions (task, name, version, run_id, sha256, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(task)
    .bind(name)
    .bind(version)
    .bind(run_id)
    .bind(sha256)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(version)
}

/// Makes `(task, name, version)` the task's serving version (and no other). An unknown version
/// is `RowNotFound` and leaves the current serving version in place.
pub async fn set_serving(
    conn: &mut Conn,
    task: &str,
    name: &str,
    version: i64,
) -> Result<(), StoreError> {
    let id: i64 = sqlx::query_scalar(
        "SELECT id FROM model_versions WHERE task = $1 AND name = $2 AND version = $3",
    )
    .bind(task)
    .bind(name)
    .bind(version)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(sqlx::Error::RowNotFound)?;
    // Two statements, the clearing first: the unique index allows one serving row per task.
    sqlx::query("UPDATE model_versions SET serving = 0 WHERE task = $1 AND serving = 1")
        .bind(task)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE model_versions SET serving = 1 WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A registered version, with where its weights are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelVersion {
    pub id: i64,
    pub task: String,
    pub name: String,
    pub version: i64,
    pub run_id: i64,
    pub sha256: String,
    pub serving: bool,
    pub created_at: String,
}

fn version_row(r: &sqlx::any::AnyRow) -> Result<ModelVersion, sqlx::Error> {
    Ok(ModelVersion {
        id: r.try_get("id")?,
        task: r.try_get("task")?,
        name: r.try_get("name")?,
        version: r.try_get("version")?,
        run_id: r.try_get("run_id")?,
        sha256: r.try_get("sha256")?,
        serving: r.try_get::<i64, _>("serving")? == 1,
        created_at: r.try_get("created_at")?,
    })
}

const VERSION_COLUMNS: &str = "id, task, name, version, run_id, sha256, serving, created_at";

/// The task's serving version, if any.
pub async fn serving_version(pool: &Pool, task: &str) -> Result<Option<ModelVersion>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {VERSION_COLUMNS} FROM model_versions WHERE task = $1 AND serving = 1"
    )))
    .bind(task)
    .fetch_optional(pool)
    .await?;
    Ok(row.as_ref().map(version_row).transpose()?)
}

/// The latest version of `(task, name)`, if any.
pub async fn latest_version(
    pool: &Pool,
    task: &str,
    name: &str,
) -> Result<Option<ModelVersion>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {VERSION_COLUMNS} FROM model_versions WHERE task = $1 AND name = $2
          ORDER BY version DESC LIMIT 1"
    )))
    .bind(task)
    .bind(name)
    .fetch_optional(pool)
    .await?;
    Ok(row.as_ref().map(version_row).transpose()?)
}

/// Every registered version, newest first.
pub async fn model_versions(pool: &Pool) -> Result<Vec<ModelVersion>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {VERSION_COLUMNS} FROM model_versions ORDER BY id DESC"
    )))
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().map(version_row).collect::<Result<_, _>>()?)
}

/// An artifact's content, checked against its hash.
pub async fn artifact(pool: &Pool, sha256: &str) -> Result<Option<Vec<u8>>, StoreError> {
    let content: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT content FROM artifacts WHERE sha256 = $1")
            .bind(sha256)
            .fetch_optional(pool)
            .await?;
    match content {
        Some(bytes) if sha256_hex(&bytes) != sha256 => Err(StoreError::Corrupt(format!(
            "artifact {sha256} does not match its hash"
        ))),
        other => Ok(other),
    }
}

/// The tasks whose registered versions use the artifact `sha256` (none for a report or an
/// unknown hash).
pub async fn artifact_tasks(pool: &Pool, sha256: &str) -> Result<Vec<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT DISTINCT task FROM model_versions WHERE sha256 = $1")
            .bind(sha256)
            .fetch_all(pool)
            .await?,
    )
}

/// An artifact's size in bytes, without reading it.
pub async fn artifact_size(pool: &Pool, sha256: &str) -> Result<Option<i64>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT size_bytes FROM artifacts WHERE sha256 = $1")
            .bind(sha256)
            .fetch_optional(pool)
            .await?,
    )
}

/// The id of the latest finished run called `run_name` in `experiment`.
pub async fn latest_finished_run(
    pool: &Pool,
    experiment: &str,
    run_name: &str,
) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT r.id FROM runs r JOIN experiments e ON e.id = r.experiment_id
          WHERE e.name = $1 AND r.name = $2 AND r.status = 'finished'
          ORDER BY r.id DESC LIMIT 1",
    )
    .bind(experiment)
    .bind(run_name)
    .fetch_optional(pool)
    .await?)
}

/// The named artifact of the latest finished run called `run_name` in `experiment`, with the
/// run's id.
pub async fn latest_run_artifact(
    pool: &Pool,
    experiment: &str,
    run_name: &str,
    artifact_name: &str,
) -> Result<Option<(i64, Vec<u8>)>, StoreError> {
    let Some(run_id) = latest_finished_run(pool, experiment, run_name).await? else {
        return Ok(None);
    };
    let hash: Option<String> =
        sqlx::query_scalar("SELECT sha256 FROM run_artifacts WHERE run_id = $1 AND name = $2")
            .bind(run_id)
            .bind(artifact_name)
            .fetch_optional(pool)
            .await?;
    match hash {
        Some(hash) => Ok(artifact(pool, &hash).await?.map(|bytes| (run_id, bytes))),
        None => Ok(None),
    }
}

const RUN_SELECT: &str = "SELECT r.id, e.name AS experiment, r.name, r.status, r.started_at,
        r.ended_at, r.git_commit, r.parent_id
   FROM runs r JOIN experiments e ON e.id = r.experiment_id";

/// The latest `limit` runs with their params, step-0 metrics, tags and artifacts.
pub async fn list_runs(pool: &Pool, limit: i64) -> Result<Vec<RunSummary>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{RUN_SELECT} ORDER BY r.id DESC LIMIT $1"
    )))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(run_summary(pool, r).await?);
    }
    Ok(out)
}

/// A run and its children (oldest first), each with every metric step, as an exporter needs them.
pub async fn run_tree(
    pool: &Pool,
    run_id: i64,
) -> Result<Vec<(RunSummary, Vec<(String, i64, f64)>)>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{RUN_SELECT} WHERE r.id = $1 OR r.parent_id = $1 ORDER BY r.id"
    )))
    .bind(run_id)
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let summary = run_summary(pool, r).await?;
        let metrics: Vec<(String, i64, f64)> = sqlx::query_as(
            "SELECT key, step, value FROM run_metrics WHERE run_id = $1 ORDER BY key, step",
        )
        .bind(summary.id)
        .fetch_all(pool)
        .await?;
        out.push((summary, metrics));
    }
    Ok(out)
}

/// The run of `row` (a [`RUN_SELECT`] row) with its params, step-0 metrics, tags and artifacts.
async fn run_summary(pool: &Pool, r: &sqlx::any::AnyRow) -> Result<RunSummary, StoreError> {
    let id: i64 = r.try_get("id")?;
    let params: Vec<(String, String)> =
        sqlx::query_as("SELECT key, value FROM run_params WHERE run_id = $1 ORDER BY key")
            .bind(id)
            .fetch_all(pool)
            .await?;
    let metrics: Vec<(String, f64)> = sqlx::query_as(
        "SELECT key, value FROM run_metrics WHERE run_id = $1 AND step = 0 ORDER BY key",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let tags: Vec<(String, String)> =
        sqlx::query_as("SELECT key, value FROM run_tags WHERE run_id = $1 ORDER BY key")
            .bind(id)
            .fetch_all(pool)
            .await?;
    let artifacts: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT ra.name, ra.sha256, a.size_bytes
           FROM run_artifacts ra JOIN artifacts a ON a.sha256 = ra.sha256
          WHERE ra.run_id = $1 ORDER BY ra.name",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(RunSummary {
        id,
        experiment: r.try_get("experiment")?,
        name: r.try_get("name")?,
        status: r.try_get("status")?,
        started_at: r.try_get("started_at")?,
        ended_at: r.try_get("ended_at")?,
        git_commit: r.try_get("git_commit")?,
        parent_id: r.try_get("parent_id")?,
        params,
        metrics,
        tags,
        artifacts: artifacts
            .into_iter()
            .map(|(name, sha256, size_bytes)| ArtifactSummary {
                name,
                sha256,
                size_bytes,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A migrated scratch database per backend.
    async fn pools() -> Vec<(crate::scratch::ScratchDb, Pool)> {
        let mut pools = Vec::new();
        for db in crate::scratch::all().await {
            let pool = crate::open(&db.url).await.unwrap();
            pools.push((db, pool));
        }
        pools
    }

    fn log(artifact: &[u8]) -> RunLog {
        RunLog {
            params: vec![("alpha".into(), "0.1".into())],
            metrics: vec![
                ("holdout_rmse".into(), 0, 0.04),
                ("cv_rmse".into(), 1, 0.05),
                ("cv_rmse".into(), 2, 0.06),
                ("undefined".into(), 0, f64::NAN),
            ],
            tags: vec![("task".into(), "crypto_return".into())],
            artifacts: vec![(
                "model.json".into(),
                "application/json".into(),
                artifact.to_vec(),
            )],
        }
    }

    #[tokio::test]
    async fn a_run_records_params_stepped_metrics_tags_and_hashed_artifacts() {
        for (_db, pool) in pools().await {
            let mut conn = pool.acquire().await.unwrap();
            let parent = start_run(&mut conn, "exp", "train", None, Some("abc"), &now())
                .await
                .unwrap();
            let child = start_run(
                &mut conn,
                "exp",
                "ridge",
                Some(parent),
                None,
                "2021-07-05T10:00:00.000Z",
            )
            .await
            .unwrap();
            let hashes = log_run(&mut conn, child, &log(b"weights")).await.unwrap();
            assert_eq!(hashes.len(), 1);
            // The SHA-256 of "weights", from Python's hashlib.
            assert_eq!(
                hashes[0],
                "9a129038d9a00aed0cf6a7ea059ca50a813449061ab87848cf1a13eafdf33b2c"
            );
            end_run(&mut conn, child, None, "2021-07-05T10:00:02.500Z")
                .await
                .unwrap();
            end_run(&mut conn, parent, Some("boom"), &now())
                .await
                .unwrap();
            drop(conn);

            let tree = run_tree(&pool, parent).await.unwrap();
            assert_eq!(tree.len(), 2);
            let (p, _) = &tree[0];
            assert_eq!(
                (p.status.as_str(), p.git_commit.as_deref()),
                ("failed", Some("abc"))
            );
            let (c, metrics) = &tree[1];
            assert_eq!(c.parent_id, Some(parent));
            assert_eq!(
                (c.started_at.as_str(), c.ended_at.as_deref()),
                ("2021-07-05T10:00:00.000Z", Some("2021-07-05T10:00:02.500Z"))
            );
            assert_eq!(c.status, "finished");
            assert_eq!(c.params, vec![("alpha".to_string(), "0.1".to_string())]);
            // Every step is kept; the NaN metric is absent rather than stored.
            assert_eq!(
                metrics,
                &vec![
                    ("cv_rmse".to_string(), 1, 0.05),
                    ("cv_rmse".to_string(), 2, 0.06),
                    ("holdout_rmse".to_string(), 0, 0.04),
                ]
            );
            assert_eq!(c.metrics, vec![("holdout_rmse".to_string(), 0.04)]);
            assert_eq!(c.artifacts[0].size_bytes, 7);
            assert_eq!(list_runs(&pool, 10).await.unwrap().len(), 2);
        }
    }

    /// Two trainings of one task registering at once from two transactions (two processes in
    /// production): both commit, with consecutive versions, and one of them serves.
    #[tokio::test]
    async fn concurrent_registrations_take_turns_on_postgres() {
        let Some(db) = crate::scratch::postgres().await.unwrap() else {
            return;
        };
        let pool = crate::open(&db.url).await.unwrap();
        let mut conn = pool.acquire().await.unwrap();
        let run = start_run(&mut conn, "exp", "m", None, None, &now())
            .await
            .unwrap();
        let hash = log_run(&mut conn, run, &log(b"w")).await.unwrap().remove(0);
        drop(conn);
        let mut first = pool.begin().await.unwrap();
        let v1 = register_version(&mut first, "t", "rf", run, &hash)
            .await
            .unwrap();
        set_serving(&mut first, "t", "rf", v1).await.unwrap();
        // The second waits for the first's commit (it holds the task's lock until then).
        let second = {
            let (pool, hash) = (pool.clone(), hash.clone());
            tokio::spawn(async move {
                let mut tx = pool.begin().await.unwrap();
                let v = register_version(&mut tx, "t", "rf", run, &hash).await?;
                set_serving(&mut tx, "t", "rf", v).await?;
                tx.commit().await?;
                Ok::<i64, StoreError>(v)
            })
        };
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(
            !second.is_finished(),
            "the second registration did not wait"
        );
        first.commit().await.unwrap();
        assert_eq!((v1, second.await.unwrap().unwrap()), (1, 2));
        let serving = serving_version(&pool, "t").await.unwrap().unwrap();
        assert_eq!(serving.version, 2);
        assert_eq!(model_versions(&pool).await.unwrap().len(), 2);
    }

    #[tokio::test]
    async fn versions_count_up_and_one_serves_per_task() {
        for (_db, pool) in pools().await {
            let mut conn = pool.acquire().await.unwrap();
            let run = start_run(&mut conn, "exp", "m", None, None, &now())
                .await
                .unwrap();
            let h1 = log_run(&mut conn, run, &log(b"one"))
                .await
                .unwrap()
                .remove(0);
            let h2 = log_run(&mut conn, run, &log(b"two"))
                .await
                .unwrap()
                .remove(0);
            assert_eq!(
                register_version(&mut conn, "t", "rf", run, &h1)
                    .await
                    .unwrap(),
                1
            );
            assert_eq!(
                register_version(&mut conn, "t", "rf", run, &h2)
                    .await
                    .unwrap(),
                2
            );
            assert_eq!(
                register_version(&mut conn, "t", "lin", run, &h1)
                    .await
                    .unwrap(),
                1
            );
            set_serving(&mut conn, "t", "rf", 1).await.unwrap();
            set_serving(&mut conn, "t", "lin", 1).await.unwrap();
            assert!(matches!(
                set_serving(&mut conn, "t", "rf", 9).await,
                Err(StoreError::Sqlx(sqlx::Error::RowNotFound))
            ));
            drop(conn);
            let serving = serving_version(&pool, "t").await.unwrap().unwrap();
            assert_eq!((serving.name.as_str(), serving.version), ("lin", 1));
            let latest = latest_version(&pool, "t", "rf").await.unwrap().unwrap();
            assert_eq!((latest.version, latest.sha256.as_str()), (2, h2.as_str()));
            assert_eq!(model_versions(&pool).await.unwrap().len(), 3);
            assert!(serving_version(&pool, "other").await.unwrap().is_none());
        }
    }

    #[tokio::test]
    async fn an_artifact_that_no_longer_matches_its_hash_is_refused() {
        for (_db, pool) in pools().await {
            let mut conn = pool.acquire().await.unwrap();
            let run = start_run(&mut conn, "exp", "m", None, None, &now())
                .await
                .unwrap();
            let hash = log_run(&mut conn, run, &log(b"weights"))
                .await
                .unwrap()
                .remove(0);
            drop(conn);
            assert_eq!(artifact(&pool, &hash).await.unwrap().unwrap(), b"weights");
            sqlx::query("UPDATE artifacts SET content = $1 WHERE sha256 = $2")
                .bind(b"wEights".as_slice())
                .bind(&hash)
                .execute(&pool)
                .await
                .unwrap();
            assert!(matches!(
                artifact(&pool, &hash).await,
                Err(StoreError::Corrupt(_))
            ));
        }
    }
}
