//! `server train <domain>`: train the models of one domain (pure computations in the domain
//! crates), then record the whole run in the tracking tables in one transaction: a parent run with
//! the report, one child run per model with its params, stepped metrics and artifacts, a new
//! registry version per served model, and the serving version of each task. With
//! `MLFLOW_TRACKING_URI` set, the CLI copies the run to MLflow.
//!
//! [`Domain`] and [`train`] are the one registry of trainings: the CLI, the jobs and the schedule
//! all go through them.

pub mod crypto;
pub mod nutrition;
pub mod recipes;
pub mod recommend;
pub mod sentiment;

use std::sync::{Arc, Mutex};

use anyhow::Context;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use mmi_learn::progress::TrainProgress;
use mmi_store::tracking::{
    end_run, latest_finished_run, log_run, now, register_version, start_run, RunLog,
};
use mmi_store::Pool;

use crate::mlflow::Mlflow;

pub use crypto::train_crypto;
pub use nutrition::train_nutrition;
pub use recipes::train_recipes_run;
pub use recommend::train_recommend;
pub use sentiment::train_sentiment_run;

/// What can be trained: one entry per domain, each recording one parent run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Domain {
    /// Every crypto model (direction classifiers, return regressors, recurrent nets, token
    /// clusters): walk-forward grid search, hold-out evaluation beside the baselines, then
    /// registration for serving.
    Crypto,
    /// Every nutrition model (diet labels, energy and density regressions, food clusters and
    /// embeddings): stratified hold-out evaluation beside the baselines, then registration.
    Nutrition,
    /// The token recommender on simulated traders, and the food-suggestion artifact from the
    /// serving food embedding (train nutrition first).
    Recommend,
    /// The sentiment classifiers on the Financial PhraseBank beside the majority class; the
    /// better learned one is served and scores the dated news into the sentiment index.
    Sentiment,
    /// The ingredient parser (a CRF), then the recipe pipeline scored against the recipes'
    /// site-reported nutrition, and the meal evaluation.
    Recipes,
}

impl Domain {
    /// Every domain, in the order a first start trains them (the recommender reads the food
    /// embedding that nutrition registers).
    pub const ALL: [Domain; 5] = [
        Domain::Crypto,
        Domain::Nutrition,
        Domain::Recommend,
        Domain::Sentiment,
        Domain::Recipes,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Domain::Crypto => "crypto",
            Domain::Nutrition => "nutrition",
            Domain::Recommend => "recommend",
            Domain::Sentiment => "sentiment",
            Domain::Recipes => "recipes",
        }
    }

    pub fn parse(s: &str) -> Option<Domain> {
        Domain::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

/// Builds a training's progress from its title and number of models: indicatif bars in the CLI,
/// the job's row in a worker.
pub type MakeProgress<'a> = &'a (dyn Fn(&str, u64) -> Arc<dyn TrainProgress + Send> + Sync);

/// What a training recorded: its parent run and the lines that say what now serves.
#[derive(Debug, Clone)]
pub struct Summary {
    pub run_id: i64,
    pub lines: Vec<String>,
}

/// Trains `domain` (`quick`: small grids and few epochs), records and registers it.
pub async fn train(
    pool: &Pool,
    domain: Domain,
    quick: bool,
    progress: MakeProgress<'_>,
) -> anyhow::Result<Summary> {
    match domain {
        Domain::Crypto => crypto::summarised(pool, quick, progress).await,
        Domain::Nutrition => nutrition::summarised(pool, quick, progress).await,
        Domain::Recommend => recommend::summarised(pool, quick, progress).await,
        Domain::Sentiment => sentiment::summarised(pool, quick, progress).await,
        Domain::Recipes => recipes::summarised(pool, quick, progress).await,
    }
}

/// `server train <domain> [--quick]`: trains with progress bars, prints what was recorded and
/// serves, then copies the run to MLflow when `mlflow_uri` is set.
pub async fn train_cli(
    pool: &Pool,
    domain: Domain,
    quick: bool,
    mlflow_uri: Option<&str>,
) -> anyhow::Result<()> {
    // A bad URI fails before an hour of training, not after it.
    let mlflow = mlflow_uri.map(Mlflow::new).transpose()?;
    let bars = |what: &str, models: u64| -> Arc<dyn TrainProgress + Send> {
        Arc::new(Bars::new(what, models))
    };
    let summary = train(pool, domain, quick, &bars).await?;
    for line in &summary.lines {
        println!("{line}");
    }
    export_after(pool, mlflow, summary.run_id).await
}

fn git_commit() -> Option<String> {
    if let Ok(c) = std::env::var("GIT_COMMIT") {
        return Some(c).filter(|c| !c.is_empty());
    }
    let out = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|c| c.len() == 40)
}

/// Starts the parent run of a training, runs `job` on a blocking thread and, if it fails, marks
/// the parent failed with the error. Returns the parent run's id and the job's outcome.
pub async fn run_parent<T, E>(
    pool: &Pool,
    experiment: &str,
    name: &str,
    git: Option<&str>,
    job: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> anyhow::Result<(i64, T)>
where
    T: Send + 'static,
    E: Into<anyhow::Error> + Send + 'static,
{
    let parent = {
        let mut conn = pool.acquire().await?;
        start_run(&mut conn, experiment, name, None, git, &now()).await?
    };
    // Run by a job: the job knows its run, so a worker that dies leaves the run marked failed.
    if let Ok(job) = crate::jobs::JOB_ID.try_with(|id| *id) {
        mmi_store::jobs::set_run(pool, job, parent).await?;
    }
    let outcome = tokio::task::spawn_blocking(move || job().map_err(Into::into))
        .await
        .context("the training thread panicked")
        .and_then(|r| r.context("training failed"));
    match outcome {
        Ok(o) => Ok((parent, o)),
        Err(e) => {
            let mut conn = pool.acquire().await?;
            end_run(&mut conn, parent, Some(&format!("{e:#}")), &now()).await?;
            Err(e)
        }
    }
}

/// After a CLI training: copies the run to MLflow when configured, saying how to retry.
pub async fn export_after(pool: &Pool, mlflow: Option<Mlflow>, run_id: i64) -> anyhow::Result<()> {
    let Some(mlflow) = mlflow else {
        return Ok(());
    };
    export(pool, &mlflow, run_id).await.with_context(|| {
        format!(
            "run {run_id} is recorded here; copying it to MLflow failed (retry with `server export-mlflow --run {run_id}`)"
        )
    })
}

/// One model's child run.
pub struct ChildRun<'a> {
    pub experiment: &'a str,
    pub run_name: String,
    /// The registry task; `None` records the run without registering a version.
    pub task: Option<&'a str>,
    pub name: &'a str,
    pub params: Vec<(String, String)>,
    pub metrics: Vec<(String, i64, f64)>,
    /// `(name, media type, content)`; the first is the version's artifact.
    pub artifacts: Vec<(String, String, Vec<u8>)>,
    pub started_at: &'a str,
    pub ended_at: &'a str,
}

/// Records `child` under `parent`; returns the registered version, if it has a task.
pub async fn record_child(
    conn: &mut mmi_store::Conn,
    parent: i64,
    git: Option<&str>,
    child: ChildRun<'_>,
) -> anyhow::Result<Option<i64>> {
    let run = start_run(
        conn,
        child.experiment,
        &child.run_name,
        Some(parent),
        git,
        child.started_at,
    )
    .await?;
    let mut tags = vec![("model".to_string(), child.name.to_string())];
    if let Some(task) = child.task {
        tags.push(("task".into(), task.into()));
    }
    let hashes = log_run(
        conn,
        run,
        &RunLog {
            params: child.params,
            metrics: child.metrics,
            tags,
            artifacts: child.artifacts,
        },
    )
    .await?;
    let version = match child.task {
        Some(task) => {
            let hash = hashes
                .first()
                .context("the model artifact was not stored")?;
            Some(register_version(conn, task, child.name, run, hash).await?)
        }
        None => None,
    };
    end_run(conn, run, None, child.ended_at).await?;
    Ok(version)
}

/// The last step of every `train` command: the parent run's params, metrics, tags and JSON report
/// (`report_name`), its end, and the commit of the transaction holding the whole training.
pub async fn finish_parent(
    mut tx: mmi_store::Transaction,
    parent: i64,
    log: RunLog,
) -> anyhow::Result<()> {
    log_run(&mut tx, parent, &log).await?;
    end_run(&mut tx, parent, None, &now()).await?;
    tx.commit().await?;
    Ok(())
}

/// The parent's one artifact: the training's report as JSON.
pub fn report_artifact(
    name: &str,
    report: &impl serde::Serialize,
) -> anyhow::Result<Vec<(String, String, Vec<u8>)>> {
    Ok(vec![(
        name.to_string(),
        "application/json".to_string(),
        serde_json::to_vec(report)?,
    )])
}

pub async fn export_cli(pool: &Pool, uri: &str, run: Option<i64>) -> anyhow::Result<()> {
    let mlflow = Mlflow::new(uri)?;
    let run = match run {
        Some(run) => run,
        None => {
            let crypto = latest_finished_run(pool, crypto::EXPERIMENT, crypto::PARENT_RUN).await?;
            let nutrition =
                latest_finished_run(pool, nutrition::EXPERIMENT, nutrition::PARENT_RUN).await?;
            let recommend = latest_finished_run(
                pool,
                mmi_crypto::recommend::EXPERIMENT,
                recommend::PARENT_RUN,
            )
            .await?;
            let sentiment = latest_finished_run(
                pool,
                mmi_crypto::sentiment::EXPERIMENT,
                sentiment::PARENT_RUN,
            )
            .await?;
            crypto.max(nutrition).max(recommend).max(sentiment).context(
                "no finished training run to export: run `server train crypto|nutrition|recommend|sentiment` first",
            )?
        }
    };
    export(pool, &mlflow, run).await
}

async fn export(pool: &Pool, mlflow: &Mlflow, run: i64) -> anyhow::Result<()> {
    let exported = mlflow.export_run(pool, run).await?;
    println!(
        "run {run} copied to MLflow experiment {}: {} runs, {} artifact files",
        exported.experiment_id,
        exported.runs.len(),
        exported.artifacts_uploaded
    );
    Ok(())
}

/// indicatif bars: one for the models, one for the current model's fits.
pub struct Bars {
    multi: MultiProgress,
    overall: ProgressBar,
    current: Mutex<Option<ProgressBar>>,
}

impl Bars {
    /// `what` names the run ("crypto models"); `models` is the number of models it trains.
    pub fn new(what: &str, models: u64) -> Self {
        let multi = MultiProgress::new();
        let overall = multi.add(ProgressBar::new(models));
        overall.set_style(
            ProgressStyle::with_template("{msg:<28} [{bar:30}] {pos}/{len} models {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        overall.set_message(format!("training {what}"));
        Bars {
            multi,
            overall,
            current: Mutex::new(None),
        }
    }
}

impl TrainProgress for Bars {
    fn begin(&self, model: &str, steps: u64) {
        let bar = self.multi.add(ProgressBar::new(steps));
        bar.set_style(
            ProgressStyle::with_template("  {msg:<26} [{bar:30}] {pos}/{len} fits {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message(model.to_string());
        if let Ok(mut c) = self.current.lock() {
            *c = Some(bar);
        }
    }

    fn step(&self) {
        if let Some(bar) = self.current.lock().ok().and_then(|c| c.clone()) {
            bar.inc(1);
        }
    }

    fn finish(&self, model: &str, summary: &str) {
        if let Some(bar) = self.current.lock().ok().and_then(|mut c| c.take()) {
            bar.finish_and_clear();
        }
        self.overall.inc(1);
        // On a terminal above the bars; in a log (no terminal: no bars) as a plain line.
        let line = format!("  {model:<16} {summary}");
        if self.multi.is_hidden() {
            eprintln!("{line}");
        } else {
            let _ = self.multi.println(line);
        }
    }
}
