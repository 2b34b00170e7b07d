//! The durable job queue: imports and trainings stored in the `jobs` table, claimed by one worker
//! at a time, kept alive by a heartbeat and taken back when it stops.
//!
//! Claiming is one `UPDATE … WHERE state = 'queued' … RETURNING`: on SQLite the single writer
//! makes it atomic; on PostgreSQL a second worker racing for the same row waits for the first,
//! re-checks `state = 'queued'` on the updated row and gets nothing. A training job never starts
//! while an import queued before it is still waiting or running.

use mmi_types::{JobInfo, JobProgress};
use sqlx::Row;

use crate::{Pool, StoreError};

/// The current time in Unix milliseconds (what the jobs table stores).
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A job a worker has claimed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub id: i64,
    pub kind: String,
    pub domain: String,
    pub quick: bool,
    /// This attempt's number (1 for the first).
    pub attempt: i64,
}

/// Queues a job unless the identical one (kind, domain, quick) is already queued; returns its id
/// and whether it is new.
pub async fn enqueue(
    pool: &Pool,
    kind: &str,
    domain: &str,
    quick: bool,
    origin: &str,
) -> Result<(i64, bool), StoreError> {
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO jobs (kind, domain, quick, origin, created_ms) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (kind, domain, quick) WHERE state = 'queued' DO NOTHING
         RETURNING id",
    )
    .bind(kind)
    .bind(domain)
    .bind(i64::from(quick))
    .bind(origin)
    .bind(now_ms())
    .fetch_optional(pool)
    .await?;
    if let Some(id) = inserted {
        return Ok((id, true));
    }
    let queued: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM jobs WHERE kind = $1 AND domain = $2 AND quick = $3 AND state = 'queued'",
    )
    .bind(kind)
    .bind(domain)
    .bind(i64::from(quick))
    .fetch_optional(pool)
    .await?;
    match queued {
        Some(id) => Ok((id, false)),
        // Claimed between the two statements: queue it again.
        None => Box::pin(enqueue(pool, kind, domain, quick, origin)).await,
    }
}

/// Claims the oldest runnable queued job for `worker`, if any.
pub async fn claim(pool: &Pool, worker: &str) -> Result<Option<Claimed>, StoreError> {
    let row = sqlx::query(
        "UPDATE jobs SET state = 'running', worker = $1, started_ms = $2, heartbeat_ms = $2,
                attempts = attempts + 1, progress_done = NULL, progress_total = NULL,
                progress_note = NULL
          WHERE state = 'queued' AND id = (
                SELECT j.id FROM jobs j
                 WHERE j.state = 'queued'
                   AND NOT (j.kind = 'train' AND EXISTS (
                        SELECT 1 FROM jobs i WHERE i.kind = 'import'
                           AND i.state IN ('queued', 'running') AND i.id < j.id))
                 ORDER BY j.id LIMIT 1)
          RETURNING id, kind, domain, quick, attempts",
    )
    .bind(worker)
    .bind(now_ms())
    .fetch_optional(pool)
    .await?;
    row.map(|r| {
        Ok(Claimed {
            id: r.try_get("id")?,
            kind: r.try_get("kind")?,
            domain: r.try_get("domain")?,
            quick: r.try_get::<i64, _>("quick")? == 1,
            attempt: r.try_get("attempts")?,
        })
    })
    .transpose()
    .map_err(|e: sqlx::Error| e.into())
}

/// The worker's sign of life, with its progress. False when the job is no longer this worker's
/// (it was taken back after a missed heartbeat).
pub async fn heartbeat(
    pool: &Pool,
    id: i64,
    worker: &str,
    progress: Option<&JobProgress>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE jobs SET heartbeat_ms = $3, progress_done = $4, progress_total = $5,
                progress_note = $6
          WHERE id = $1 AND worker = $2 AND state = 'running'",
    )
    .bind(id)
    .bind(worker)
    .bind(now_ms())
    .bind(progress.map(|p| p.done))
    .bind(progress.map(|p| p.total))
    .bind(progress.and_then(|p| p.note.clone()))
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends a job this worker runs: succeeded with its run and what it reported, or failed with why.
pub async fn finish(
    pool: &Pool,
    id: i64,
    worker: &str,
    outcome: Result<(Option<i64>, String), String>,
) -> Result<bool, StoreError> {
    let (state, run_id, result, error) = match outcome {
        Ok((run_id, result)) => ("succeeded", run_id, Some(result), None),
        Err(error) => ("failed", None, None, Some(error)),
    };
    let done = sqlx::query(
        "UPDATE jobs SET state = $3, finished_ms = $4, run_id = $5, result = $6, error = $7
          WHERE id = $1 AND worker = $2 AND state = 'running'",
    )
    .bind(id)
    .bind(worker)
    .bind(state)
    .bind(now_ms())
    .bind(run_id)
    .bind(result)
    .bind(error)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records the tracking run a running training has started, so that a worker that dies leaves
/// the run marked failed rather than running for ever.
pub async fn set_run(pool: &Pool, id: i64, run_id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE jobs SET run_id = $2 WHERE id = $1")
        .bind(id)
        .bind(run_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Takes back every running job whose worker has not been heard from for `stale_ms`: queued again
/// while it has attempts left (and no identical job waits), failed otherwise, the reason kept in
/// `error`; the tracking run it had started is marked failed with the same reason (its training
/// registered nothing: that happens in the transaction that ends it). Returns how many it took
/// back.
pub async fn reap(pool: &Pool, stale_ms: i64) -> Result<u64, StoreError> {
    take_back(pool, TakeBack::Stale { stale_ms }).await
}

/// Hands back the jobs `worker` is running because it is shutting down (SIGTERM): each is queued
/// again at once, the stopped attempt not counted (failed if an identical job already waits), and
/// the tracking run it had started is marked failed. Returns how many.
pub async fn release(pool: &Pool, worker: &str) -> Result<u64, StoreError> {
    take_back(pool, TakeBack::ShutDown { worker }).await
}

#[derive(Clone, Copy)]
enum TakeBack<'a> {
    Stale { stale_ms: i64 },
    ShutDown { worker: &'a str },
}

/// `reap` and `release`: $1 is the time in ms, $2 the cut-off heartbeat or the worker, $3 the
/// time as text.
async fn take_back(pool: &Pool, what: TakeBack<'_>) -> Result<u64, StoreError> {
    let (which, reason, attempts, retry) = match what {
        TakeBack::Stale { .. } => (
            "jobs.state = 'running' AND jobs.heartbeat_ms < $2",
            "'worker ' || coalesce(jobs.worker, '?') || ' stopped answering during attempt '
             || CAST(jobs.attempts AS TEXT) || ' (no heartbeat for '
             || CAST(($1 - jobs.heartbeat_ms) / 1000 AS TEXT) || ' s)'",
            "attempts",
            "jobs.attempts < jobs.max_attempts AND ",
        ),
        TakeBack::ShutDown { .. } => (
            "jobs.state = 'running' AND jobs.worker = $2",
            "'worker ' || coalesce(jobs.worker, '?') || ' shut down during attempt '
             || CAST(jobs.attempts AS TEXT) || ' (not counted)'",
            "attempts - 1",
            "",
        ),
    };
    let now = now_ms();
    let bind = |q: sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments>| match what {
        TakeBack::Stale { stale_ms } => q.bind(now - stale_ms),
        TakeBack::ShutDown { worker } => q.bind(worker.to_owned()),
    };
    let mut tx = pool.begin().await?;
    bind(
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE runs SET status = 'failed', ended_at = $3, error = (
                    SELECT {reason} FROM jobs WHERE jobs.run_id = runs.id AND {which})
              WHERE status = 'running' AND id IN (SELECT run_id FROM jobs WHERE {which})"
        )))
        .bind(now),
    )
    .bind(
        chrono::DateTime::from_timestamp_millis(now)
            .unwrap_or_default()
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    )
    .execute(&mut *tx)
    .await?;
    let retry = format!(
        "{retry}NOT EXISTS (
            SELECT 1 FROM jobs q WHERE q.state = 'queued' AND q.kind = jobs.kind
               AND q.domain = jobs.domain AND q.quick = jobs.quick)"
    );
    let done = bind(
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE jobs SET
                    state = CASE WHEN {retry} THEN 'queued' ELSE 'failed' END,
                    finished_ms = CASE WHEN {retry} THEN NULL ELSE $1 END,
                    attempts = CASE WHEN {retry} THEN {attempts} ELSE attempts END,
                    run_id = NULL,
                    error = {reason},
                    worker = NULL
              WHERE {which}"
        )))
        .bind(now),
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}

const JOB_COLUMNS: &str = "id, kind, domain, quick, origin, state, attempts, max_attempts,
    created_ms, started_ms, heartbeat_ms, finished_ms, worker, progress_done, progress_total,
    progress_note, run_id, result, error";

fn rfc3339(ms: Option<i64>) -> Option<String> {
    ms.and_then(chrono::DateTime::from_timestamp_millis)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}

fn job_row(r: &sqlx::any::AnyRow) -> Result<JobInfo, sqlx::Error> {
    let done: Option<i64> = r.try_get("progress_done")?;
    let total: Option<i64> = r.try_get("progress_total")?;
    Ok(JobInfo {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        domain: r.try_get("domain")?,
        quick: r.try_get::<i64, _>("quick")? == 1,
        origin: r.try_get("origin")?,
        state: r.try_get("state")?,
        attempts: r.try_get("attempts")?,
        max_attempts: r.try_get("max_attempts")?,
        created_at: rfc3339(Some(r.try_get("created_ms")?)).unwrap_or_default(),
        started_at: rfc3339(r.try_get("started_ms")?),
        finished_at: rfc3339(r.try_get("finished_ms")?),
        heartbeat_at: rfc3339(r.try_get("heartbeat_ms")?),
        worker: r.try_get("worker")?,
        progress: match (done, total) {
            (Some(done), Some(total)) => Some(JobProgress {
                done,
                total,
                note: r.try_get("progress_note")?,
            }),
            _ => None,
        },
        run_id: r.try_get("run_id")?,
        result: r.try_get("result")?,
        error: r.try_get("error")?,
    })
}

/// The latest `limit` jobs, newest first.
pub async fn list(pool: &Pool, limit: i64) -> Result<Vec<JobInfo>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {JOB_COLUMNS} FROM jobs ORDER BY id DESC LIMIT $1"
    )))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().map(job_row).collect::<Result<_, _>>()?)
}

/// One job.
pub async fn get(pool: &Pool, id: i64) -> Result<Option<JobInfo>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.as_ref().map(job_row).transpose()?)
}

/// The latest job of `kind` and `domain`, with the seconds since it finished (if it has).
pub async fn latest(
    pool: &Pool,
    kind: &str,
    domain: &str,
) -> Result<Option<(JobInfo, Option<i64>)>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {JOB_COLUMNS} FROM jobs WHERE kind = $1 AND domain = $2 ORDER BY id DESC LIMIT 1"
    )))
    .bind(kind)
    .bind(domain)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let finished: Option<i64> = row.try_get("finished_ms")?;
    Ok(Some((
        job_row(&row)?,
        finished.map(|f| (now_ms() - f).max(0) / 1000),
    )))
}

/// Whether any job of `origin` was ever queued (a first start queues its trainings once).
pub async fn any_from(pool: &Pool, origin: &str) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM jobs WHERE origin = $1")
        .bind(origin)
        .fetch_one(pool)
        .await?;
    Ok(n > 0)
}

/// Whether a job of `kind` and `domain` from `origin` was queued at or after `since_ms` (so that
/// several processes keeping the same schedule queue its job once).
pub async fn queued_since(
    pool: &Pool,
    kind: &str,
    domain: &str,
    origin: &str,
    since_ms: i64,
) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM jobs
          WHERE kind = $1 AND domain = $2 AND origin = $3 AND created_ms >= $4",
    )
    .bind(kind)
    .bind(domain)
    .bind(origin)
    .bind(since_ms)
    .fetch_one(pool)
    .await?;
    Ok(n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tracking run a training has started.
    async fn started_run(pool: &Pool) -> i64 {
        let mut conn = pool.acquire().await.unwrap();
        crate::tracking::start_run(&mut conn, "e", "train", None, None, "2021-01-01T00:00:00Z")
            .await
            .unwrap()
    }

    async fn run_status(pool: &Pool, run: i64) -> (String, Option<String>) {
        sqlx::query_as("SELECT status, error FROM runs WHERE id = $1")
            .bind(run)
            .fetch_one(pool)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn jobs_are_claimed_once_in_order_and_taken_back_when_their_worker_stops() {
        for db in crate::scratch::all().await {
            let pool = crate::open(&db.url).await.unwrap();
            let b = db.backend;
            let (train, new) = enqueue(&pool, "train", "crypto", true, "api")
                .await
                .unwrap();
            assert!(new);
            assert_eq!(
                enqueue(&pool, "train", "crypto", true, "cli")
                    .await
                    .unwrap(),
                (train, false),
                "{b:?}: the identical queued job is returned"
            );
            let (import, _) = enqueue(&pool, "import", "files", false, "start")
                .await
                .unwrap();
            // The training was queued before the import: it may run first.
            let first = claim(&pool, "w1").await.unwrap().unwrap();
            assert_eq!((first.id, first.attempt), (train, 1));
            let second = claim(&pool, "w2").await.unwrap().unwrap();
            assert_eq!(second.id, import);
            assert_eq!(claim(&pool, "w3").await.unwrap(), None);
            // A training queued after an import waits for it.
            let (later, _) = enqueue(&pool, "train", "nutrition", false, "api")
                .await
                .unwrap();
            assert_eq!(claim(&pool, "w3").await.unwrap(), None, "{b:?}");
            let progress = JobProgress {
                done: 3,
                total: 12,
                note: Some("prices".into()),
            };
            assert!(heartbeat(&pool, import, "w2", Some(&progress))
                .await
                .unwrap());
            assert!(!heartbeat(&pool, import, "w1", None).await.unwrap());
            assert!(finish(&pool, import, "w2", Ok((None, "12 files".into())))
                .await
                .unwrap());
            assert_eq!(claim(&pool, "w3").await.unwrap().unwrap().id, later);

            // w1 stops answering: its job is queued again (attempt 1 of 2), then failed; the
            // run it had started is marked failed.
            let run = started_run(&pool).await;
            set_run(&pool, train, run).await.unwrap();
            assert_eq!(
                reap(&pool, 60_000).await.unwrap(),
                0,
                "heartbeats are fresh"
            );
            sqlx::query("UPDATE jobs SET heartbeat_ms = heartbeat_ms - 120000 WHERE id = $1")
                .bind(train)
                .execute(&pool)
                .await
                .unwrap();
            assert_eq!(reap(&pool, 60_000).await.unwrap(), 1);
            let again = get(&pool, train).await.unwrap().unwrap();
            assert_eq!(again.state, "queued");
            let (status, error) = run_status(&pool, run).await;
            assert_eq!(status, "failed", "{b:?}");
            assert!(error.unwrap().contains("stopped answering"));
            assert!(again.error.unwrap().contains("worker w1 stopped answering"));
            assert!(!finish(&pool, train, "w1", Ok((Some(1), String::new())))
                .await
                .unwrap());
            let retry = claim(&pool, "w4").await.unwrap().unwrap();
            assert_eq!((retry.id, retry.attempt), (train, 2));
            sqlx::query("UPDATE jobs SET heartbeat_ms = heartbeat_ms - 120000 WHERE id = $1")
                .bind(train)
                .execute(&pool)
                .await
                .unwrap();
            assert_eq!(reap(&pool, 60_000).await.unwrap(), 1);
            let failed = get(&pool, train).await.unwrap().unwrap();
            assert_eq!(failed.state, "failed", "{b:?}: no attempts left");
            assert!(failed.finished_at.is_some());

            let listed = list(&pool, 10).await.unwrap();
            assert_eq!(
                listed.iter().map(|j| j.id).collect::<Vec<_>>(),
                vec![later, import, train]
            );
            let done = &listed[1];
            assert_eq!(
                (done.state.as_str(), done.result.as_deref()),
                ("succeeded", Some("12 files"))
            );
            assert_eq!(done.progress.as_ref().map(|p| p.total), Some(12));
            assert!(any_from(&pool, "start").await.unwrap());
            assert!(!any_from(&pool, "schedule").await.unwrap());
        }
    }

    #[tokio::test]
    async fn a_worker_that_shuts_down_hands_its_job_back_without_spending_an_attempt() {
        for db in crate::scratch::all().await {
            let pool = crate::open(&db.url).await.unwrap();
            let b = db.backend;
            let (id, _) = enqueue(&pool, "train", "recipes", false, "api")
                .await
                .unwrap();
            assert_eq!(claim(&pool, "w1").await.unwrap().unwrap().attempt, 1);
            let run = started_run(&pool).await;
            set_run(&pool, id, run).await.unwrap();
            assert_eq!(
                release(&pool, "w2").await.unwrap(),
                0,
                "{b:?}: not w2's job"
            );
            assert_eq!(release(&pool, "w1").await.unwrap(), 1, "{b:?}");
            let back = get(&pool, id).await.unwrap().unwrap();
            assert_eq!(
                (back.state.as_str(), back.attempts, back.worker),
                ("queued", 0, None),
                "{b:?}"
            );
            assert!(back
                .error
                .unwrap()
                .contains("worker w1 shut down during attempt 1"));
            let (status, error) = run_status(&pool, run).await;
            assert_eq!(status, "failed", "{b:?}");
            assert!(error.unwrap().contains("shut down"));
            assert!(!finish(&pool, id, "w1", Ok((None, String::new())))
                .await
                .unwrap());
            assert_eq!(claim(&pool, "w2").await.unwrap().unwrap().attempt, 1);
            // An identical job queued meanwhile: the one handed back fails rather than wait twice.
            let (twin, new) = enqueue(&pool, "train", "recipes", false, "cli")
                .await
                .unwrap();
            assert!(new && twin != id);
            assert_eq!(release(&pool, "w2").await.unwrap(), 1);
            assert_eq!(
                get(&pool, id).await.unwrap().unwrap().state,
                "failed",
                "{b:?}"
            );
            assert_eq!(get(&pool, twin).await.unwrap().unwrap().state, "queued");
        }
    }
}
