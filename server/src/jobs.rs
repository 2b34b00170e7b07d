//! Imports and trainings as durable jobs (`mmi_store::jobs`): the worker that runs them, what a
//! first start queues, and the schedule.
//!
//! A worker claims one job at a time, writes a heartbeat with the job's progress every second
//! while it runs, and records the outcome. A worker that dies (SIGKILL, a lost machine) leaves its
//! job `running` with a heartbeat that stops: any worker takes it back after `JOB_STALE_SECS`.
//! One that is stopped (SIGTERM, Ctrl-C) hands its job back at once without spending an attempt
//! and exits without waiting for the training thread.
//! A training commits its runs, versions and serving switch in one transaction at its end, so a
//! killed one leaves no version behind and the serving version unchanged.

use std::str::FromStr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use mmi_ingest::{Progress, SharedProgress};
use mmi_learn::progress::TrainProgress;
use mmi_store::{jobs, Pool};
use mmi_types::JobProgress;

use crate::config::{Config, TrainOnStart};
use crate::import::{self, Source};
use crate::train::{self, Domain};

tokio::task_local! {
    /// The job a worker task runs: a training records its parent run there as it starts.
    pub static JOB_ID: i64;
}

/// This process as a worker: `host:pid`.
pub fn worker_name() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned());
    format!("{host}:{}", std::process::id())
}

/// A job as asked for: validated before it is queued, so a bad request is refused rather than
/// queued to fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobSpec {
    Import { live: bool },
    Train { domain: Domain, quick: bool },
}

/// Why a job request is refused, naming the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidJob {
    pub field: &'static str,
    pub message: String,
}

impl JobSpec {
    /// Reads `kind`, `domain` and `quick` as the admin API and the CLI take them.
    pub fn parse(kind: &str, domain: Option<&str>, quick: bool) -> Result<JobSpec, InvalidJob> {
        let invalid = |field, message: String| Err(InvalidJob { field, message });
        match kind {
            "import" => {
                if quick {
                    return invalid("quick", "quick applies to trainings only".to_owned());
                }
                match domain.unwrap_or("files") {
                    "files" => Ok(JobSpec::Import { live: false }),
                    "live" => Ok(JobSpec::Import { live: true }),
                    other => invalid(
                        "domain",
                        format!("an import reads files or live, not {other:?}"),
                    ),
                }
            }
            "train" => {
                let names = Domain::ALL.map(Domain::as_str).join(", ");
                match domain {
                    None => invalid("domain", format!("a training needs a domain: {names}")),
                    Some(d) => match Domain::parse(d) {
                        Some(domain) => Ok(JobSpec::Train { domain, quick }),
                        None => invalid("domain", format!("unknown domain {d:?}: {names}")),
                    },
                }
            }
            other => invalid(
                "kind",
                format!("kind must be import or train, not {other:?}"),
            ),
        }
    }

    fn columns(&self) -> (&'static str, &'static str, bool) {
        match self {
            JobSpec::Import { live: false } => ("import", "files", false),
            JobSpec::Import { live: true } => ("import", "live", false),
            JobSpec::Train { domain, quick } => ("train", domain.as_str(), *quick),
        }
    }

    /// Queues the job (or returns the identical one already queued): `(id, new)`.
    pub async fn enqueue(&self, pool: &Pool, origin: &str) -> anyhow::Result<(i64, bool)> {
        let (kind, domain, quick) = self.columns();
        Ok(jobs::enqueue(pool, kind, domain, quick, origin).await?)
    }
}

/// What a first start queues: the import when the database is empty and a source is
/// configured, then (`TRAIN_ON_START`) a quick training of every domain and a full one, unless
/// a model is registered already or a first start queued them before.
pub async fn plan_first_start(pool: &Pool, config: &Config) -> anyhow::Result<Vec<i64>> {
    let mut queued = Vec::new();
    let mut data = mmi_store::has_data(pool).await?;
    if config.import_on_start && !data {
        match Source::from_config(config, false)? {
            Some(source) => {
                let live = matches!(source, Source::Live(_));
                tracing::info!(?source, "database is empty: queueing the first import");
                queued.push(JobSpec::Import { live }.enqueue(pool, "start").await?.0);
                data = true;
            }
            None => tracing::warn!(
                "database is empty and no data source is configured: set DATA_DIR, or run `server import`"
            ),
        }
    }
    let trained = !mmi_store::stamp(pool).await?.versions.is_empty();
    let passes: &[bool] = match config.train_on_start {
        TrainOnStart::QuickThenFull => &[true, false],
        TrainOnStart::Quick => &[true],
        TrainOnStart::Full => &[false],
        TrainOnStart::Off => &[],
    };
    let planned_before = mmi_store::jobs::any_from(pool, "start").await?;
    // Once: a restart after the first start's jobs were queued queues nothing again, unless it
    // queued an import now (the database was emptied).
    let already = planned_before && queued.is_empty();
    if data && !trained && !passes.is_empty() && !already {
        for &quick in passes {
            for domain in Domain::ALL {
                let spec = JobSpec::Train { domain, quick };
                queued.push(spec.enqueue(pool, "start").await?.0);
            }
        }
        tracing::info!(jobs = queued.len(), "first start: trainings queued");
    }
    Ok(queued)
}

/// What a running job has done: the models of a training, the files of an import.
#[derive(Default)]
struct Meter {
    done: AtomicI64,
    total: AtomicI64,
    note: Mutex<Option<String>>,
}

impl Meter {
    fn snapshot(&self) -> JobProgress {
        JobProgress {
            done: self.done.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
            note: self.note.lock().ok().and_then(|n| n.clone()),
        }
    }
}

/// A training's progress, counted into the job's meter.
struct JobTrainProgress(Arc<Meter>);

impl TrainProgress for JobTrainProgress {
    fn begin(&self, model: &str, _steps: u64) {
        if let Ok(mut note) = self.0.note.lock() {
            *note = Some(model.to_owned());
        }
    }
    fn step(&self) {}
    fn finish(&self, _model: &str, _summary: &str) {
        self.0.done.fetch_add(1, Ordering::Relaxed);
    }
}

/// The worker: runs queued jobs one at a time until the process ends.
pub struct Worker {
    pub pool: Pool,
    pub config: Arc<Config>,
    pub name: String,
    /// Where an import job publishes its progress (the pages and `/readyz` read it).
    pub import_progress: SharedProgress,
}

impl Worker {
    /// Takes back stale jobs, then runs at most one; true when it ran one.
    pub async fn run_one(&self) -> anyhow::Result<bool> {
        let stale_ms = i64::try_from(self.config.job_stale_secs.max(1) * 1000).unwrap_or(30_000);
        let reaped = jobs::reap(&self.pool, stale_ms).await?;
        if reaped > 0 {
            tracing::warn!(reaped, "took back jobs whose worker stopped answering");
        }
        let Some(job) = jobs::claim(&self.pool, &self.name).await? else {
            return Ok(false);
        };
        tracing::info!(id = job.id, kind = %job.kind, domain = %job.domain, quick = job.quick,
            attempt = job.attempt, "job started");
        let meter = Arc::new(Meter::default());
        let heartbeat = {
            let (pool, name, meter) = (self.pool.clone(), self.name.clone(), meter.clone());
            let shared = (job.kind == "import").then(|| self.import_progress.clone());
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    if let Some(shared) = &shared {
                        let p = shared.read().ok().and_then(|p| p.clone());
                        if let Some(p) = p {
                            meter.done.store(p.files_done.into(), Ordering::Relaxed);
                            meter.total.store(p.files_total.into(), Ordering::Relaxed);
                            if let Ok(mut note) = meter.note.lock() {
                                *note = Some(p.current);
                            }
                        }
                    }
                    let progress = meter.snapshot();
                    if let Err(error) = jobs::heartbeat(&pool, job.id, &name, Some(&progress)).await
                    {
                        tracing::warn!(%error, "job heartbeat failed");
                    }
                }
            })
        };
        let outcome = JOB_ID.scope(job.id, self.execute(&job, &meter)).await;
        heartbeat.abort();
        let recorded = match &outcome {
            Ok(done) => Ok(done.clone()),
            Err(e) => Err(format!("{e:#}")),
        };
        if let Err(error) = &recorded {
            tracing::error!(id = job.id, error, "job failed");
        } else {
            tracing::info!(id = job.id, "job succeeded");
        }
        if !jobs::finish(&self.pool, job.id, &self.name, recorded).await? {
            tracing::warn!(id = job.id, "the job was taken back before it ended");
        }
        Ok(true)
    }

    async fn execute(
        &self,
        job: &jobs::Claimed,
        meter: &Arc<Meter>,
    ) -> anyhow::Result<(Option<i64>, String)> {
        match JobSpec::parse(&job.kind, Some(&job.domain), job.quick)
            .map_err(|e| anyhow::anyhow!("{}: {}", e.field, e.message))?
        {
            JobSpec::Import { live } => {
                let source = Source::from_config(&self.config, live)?
                    .context("no data source: set DATA_DIR, or configure the live APIs")?;
                let progress = Progress::with_shared(self.import_progress.clone());
                let report = import::run(&self.pool, &source, &progress).await?;
                Ok((
                    None,
                    format!(
                        "{} files: {} rows read, {} inserted, {} updated, {} unchanged, {} rejected",
                        report.files.len(),
                        report.total(|f| f.read),
                        report.total(|f| f.inserted),
                        report.total(|f| f.updated),
                        report.total(|f| f.unchanged),
                        report.total(|f| f.rejected.len() as u64),
                    ),
                ))
            }
            JobSpec::Train { domain, quick } => {
                let meter = meter.clone();
                let make = move |what: &str, models: u64| -> Arc<dyn TrainProgress + Send> {
                    meter
                        .total
                        .store(i64::try_from(models).unwrap_or(0), Ordering::Relaxed);
                    if let Ok(mut note) = meter.note.lock() {
                        *note = Some(what.to_owned());
                    }
                    Arc::new(JobTrainProgress(meter.clone()))
                };
                let summary = train::train(&self.pool, domain, quick, &make).await?;
                Ok((Some(summary.run_id), summary.lines.join("\n")))
            }
        }
    }

    /// Runs jobs until the process ends, looking for one every `JOB_POLL_MS` while idle.
    pub async fn run(self) {
        let idle = Duration::from_millis(self.config.job_poll_ms.max(10));
        tracing::info!(worker = %self.name, "running jobs");
        loop {
            match self.run_one().await {
                Ok(true) => {}
                Ok(false) => tokio::time::sleep(idle).await,
                Err(error) => {
                    tracing::error!(error = format!("{error:#}"), "the job queue failed");
                    tokio::time::sleep(idle).await;
                }
            }
        }
    }
}

/// On shutdown: the job this worker runs, if any, goes back to the queue at once for any worker
/// (rather than after `JOB_STALE_SECS`), its run marked failed.
pub async fn hand_back(pool: &Pool, worker: &str) {
    match jobs::release(pool, worker).await {
        Ok(0) => {}
        Ok(n) => tracing::warn!(jobs = n, "shutting down: the running job is queued again"),
        Err(error) => tracing::error!(%error, "shutting down: could not hand the job back"),
    }
}

/// The configured schedule: `(cron, jobs it queues)`.
fn schedule(config: &Config) -> anyhow::Result<Vec<(cron::Schedule, Vec<JobSpec>)>> {
    let mut entries = Vec::new();
    let set = |v: &Option<String>| v.clone().filter(|e| !e.trim().is_empty());
    if let Some(expr) = set(&config.price_refresh_cron) {
        let cron = cron::Schedule::from_str(&expr)
            .with_context(|| format!("PRICE_REFRESH_CRON {expr:?}"))?;
        entries.push((cron, vec![JobSpec::Import { live: true }]));
    }
    if let Some(expr) = set(&config.retrain_cron) {
        let cron =
            cron::Schedule::from_str(&expr).with_context(|| format!("RETRAIN_CRON {expr:?}"))?;
        let trainings = Domain::ALL
            .map(|domain| JobSpec::Train {
                domain,
                quick: false,
            })
            .to_vec();
        entries.push((cron, trainings));
    }
    Ok(entries)
}

/// Checks the schedule's expressions (at start, so a typo fails at once).
pub fn check_schedule(config: &Config) -> anyhow::Result<()> {
    schedule(config).map(|_| ())
}

/// Queues the scheduled jobs at their times, until the process ends. Several processes may keep
/// the same schedule: a job already queued by the schedule in the last minute is not queued again.
pub async fn run_schedule(pool: Pool, config: Arc<Config>) -> anyhow::Result<()> {
    let entries = schedule(&config)?;
    if entries.is_empty() {
        return Ok(());
    }
    loop {
        let now = chrono::Utc::now();
        let next = entries
            .iter()
            .filter_map(|(cron, specs)| cron.after(&now).next().map(|t| (t, specs)))
            .min_by_key(|(t, _)| *t);
        let Some((at, specs)) = next else {
            return Ok(());
        };
        tracing::info!(%at, "next scheduled jobs");
        let wait = (at - now).to_std().unwrap_or_default();
        tokio::time::sleep(wait).await;
        for spec in specs {
            let (kind, domain, _) = spec.columns();
            let since = at.timestamp_millis() - 60_000;
            if jobs::queued_since(&pool, kind, domain, "schedule", since).await? {
                continue;
            }
            let (id, _) = spec.enqueue(&pool, "schedule").await?;
            tracing::info!(id, kind, domain, "scheduled job queued");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_requests_are_read_or_refused_naming_the_field() {
        assert_eq!(
            JobSpec::parse("import", None, false),
            Ok(JobSpec::Import { live: false })
        );
        assert_eq!(
            JobSpec::parse("import", Some("live"), false),
            Ok(JobSpec::Import { live: true })
        );
        assert_eq!(
            JobSpec::parse("train", Some("crypto"), true),
            Ok(JobSpec::Train {
                domain: Domain::Crypto,
                quick: true
            })
        );
        let field = |r: Result<JobSpec, InvalidJob>| r.unwrap_err().field;
        assert_eq!(field(JobSpec::parse("export", None, false)), "kind");
        assert_eq!(field(JobSpec::parse("train", None, false)), "domain");
        assert_eq!(
            field(JobSpec::parse("train", Some("weather"), false)),
            "domain"
        );
        assert_eq!(
            field(JobSpec::parse("import", Some("ftp"), false)),
            "domain"
        );
        assert_eq!(field(JobSpec::parse("import", None, true)), "quick");
    }
}
