//! `server train crypto`: every crypto model (`mmi_crypto::train`), recorded with a registry
//! version per model and the serving version of each task (the best walk-forward score).

use std::sync::Arc;

use anyhow::Context;
use mmi_crypto::registry::task_key;
use mmi_crypto::train::{train_all, TrainConfig, TrainProgress, REPORT_ARTIFACT};
use mmi_store::tracking::{set_serving, RunLog};
use mmi_store::Pool;

pub use mmi_crypto::train::{EXPERIMENT, PARENT_RUN};
use mmi_types::{ModelReport, ModelTask};

use super::{
    finish_parent, git_commit, record_child, report_artifact, run_parent, ChildRun, MakeProgress,
    Summary,
};

/// Trains with `progress` (built for the number of models), records and registers; returns the
/// run and the lines that say what was recorded and now serves.
pub async fn summarised(
    pool: &Pool,
    quick: bool,
    progress: MakeProgress<'_>,
) -> anyhow::Result<Summary> {
    let mut lines = Vec::new();
    let config = if quick {
        TrainConfig::quick()
    } else {
        TrainConfig::full()
    };
    let models = (config.classifiers.len() + config.regressors.len() + config.recurrent.len())
        as u64
        + u64::from(config.clusters.is_some());
    let started = std::time::Instant::now();
    let trained = train_crypto(pool, config, progress("crypto models", models)).await?;
    let split = &trained.report.split;
    lines.push(format!(
        "run {} recorded in {:.0} s: {} models on {} rows of {} tokens, hold-out {} to {}",
        trained.run_id,
        started.elapsed().as_secs_f64(),
        trained.report.models.iter().filter(|m| !m.baseline).count(),
        split.rows,
        split.tokens,
        split.test_from,
        split.test_to,
    ));
    for (task, name, version) in &trained.serving {
        lines.push(format!("serving for {}: {name} v{version}", task.as_str()));
    }
    Ok(Summary {
        run_id: trained.run_id,
        lines,
    })
}

/// What a finished training recorded.
pub struct Trained {
    pub run_id: i64,
    pub report: ModelReport,
    /// `(task, name, version)` now serving.
    pub serving: Vec<(ModelTask, String, i64)>,
}

/// The commit of the working directory, when it is a git checkout (or `GIT_COMMIT` is set).
fn config_params(c: &TrainConfig) -> Vec<(String, String)> {
    [
        ("hold_out_days", c.hold_out.test_size.to_string()),
        ("label_horizon_days", c.hold_out.label_horizon.to_string()),
        ("cv_folds", c.cv.n_folds.to_string()),
        ("cv_test_days", c.cv.test_size.to_string()),
        ("cv_embargo_days", c.cv.embargo.to_string()),
        ("cv_min_train_days", c.cv.min_train.to_string()),
        ("bootstrap_block_days", c.bootstrap_block_days.to_string()),
        ("bootstrap_resamples", c.bootstrap_resamples.to_string()),
        ("importance_repeats", c.importance_repeats.to_string()),
        ("seed", c.seed.to_string()),
        ("quick", c.quick.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// Trains, records and registers; a failure marks the parent run failed and registers nothing.
pub async fn train_crypto(
    pool: &Pool,
    config: TrainConfig,
    progress: Arc<dyn TrainProgress + Send>,
) -> anyhow::Result<Trained> {
    let rows = mmi_store::daily_prices(pool, None).await?;
    if rows.is_empty() {
        anyhow::bail!("no prices in the database: run `server import` first");
    }
    let git = git_commit();
    let job_config = config.clone();
    let (parent, outcome) = run_parent(pool, EXPERIMENT, PARENT_RUN, git.as_deref(), move || {
        use mmi_crypto::{f64_column, feature_frame, next_day_dataset, prices_frame, str_column};
        let frame = feature_frame(&prices_frame(&rows)?)?;
        let data = next_day_dataset(&frame)?;
        let symbols = str_column(&frame, "symbol")?;
        let days = str_column(&frame, "day")?;
        let log_ret = f64_column(&frame, "log_ret_1")?;
        train_all(&data, (&symbols, &days, &log_ret), &job_config, &*progress)
    })
    .await?;

    let mut report = outcome.report;
    let mut tx = pool.begin().await?;
    let mut best: Vec<(ModelTask, String, i64, f64)> = Vec::new();
    let mut sequence_best: Vec<(&str, String, i64, f64)> = Vec::new();
    for model in &outcome.models {
        let mut artifacts = vec![(
            "model.json".into(),
            "application/json".into(),
            model.artifact.clone(),
        )];
        artifacts.extend(model.extra_artifacts.iter().cloned());
        let version = record_child(
            &mut tx,
            parent,
            git.as_deref(),
            ChildRun {
                experiment: EXPERIMENT,
                run_name: match model.own_task {
                    Some(task) => format!("{} ({task})", model.name),
                    None => format!("{} ({})", model.name, model.task.as_str()),
                },
                task: Some(model.own_task.unwrap_or(task_key(model.task))),
                name: &model.name,
                params: model.params.clone(),
                metrics: model.metrics.clone(),
                artifacts,
                started_at: &model.started_at,
                ended_at: &model.ended_at,
            },
        )
        .await?
        .context("a crypto model without a version")?;
        // A network's two rows (direction and return) are one version.
        for r in report
            .models
            .iter_mut()
            .filter(|r| r.name == model.name && !r.baseline)
            .filter(|r| model.own_task.is_some() || r.task == model.task)
        {
            r.version = Some(version);
        }
        if let Some(task) = model.own_task {
            // Its own task, its own serving version; never competing with the classical models.
            match sequence_best.iter_mut().find(|b| b.0 == task) {
                Some(b) if b.3 >= model.cv_score => {}
                Some(b) => *b = (task, model.name.clone(), version, model.cv_score),
                None => sequence_best.push((task, model.name.clone(), version, model.cv_score)),
            }
            continue;
        }
        match best.iter_mut().find(|b| b.0 == model.task) {
            Some(b) if b.3 >= model.cv_score => {}
            Some(b) => *b = (model.task, model.name.clone(), version, model.cv_score),
            None => best.push((model.task, model.name.clone(), version, model.cv_score)),
        }
    }
    for (task, name, version, _) in &best {
        set_serving(&mut tx, task_key(*task), name, *version).await?;
    }
    for (task, name, version, _) in &sequence_best {
        set_serving(&mut tx, task, name, *version).await?;
    }
    report.run_id = Some(parent);
    let serving: Vec<(ModelTask, String, i64)> =
        best.into_iter().map(|(t, n, v, _)| (t, n, v)).collect();
    let mut tags = vec![(
        "mode".to_string(),
        if config.quick { "quick" } else { "full" }.to_string(),
    )];
    for (task, name, version) in &serving {
        tags.push((
            format!("serving_{}", task.as_str()),
            format!("{name} v{version}"),
        ));
    }
    finish_parent(
        tx,
        parent,
        RunLog {
            params: config_params(&config),
            metrics: vec![
                ("tokens".into(), 0, report.split.tokens as f64),
                ("rows".into(), 0, report.split.rows as f64),
            ],
            tags,
            artifacts: report_artifact(REPORT_ARTIFACT, &report)?,
        },
    )
    .await?;
    Ok(Trained {
        run_id: parent,
        report,
        serving,
    })
}
