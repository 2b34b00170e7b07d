//! `server train nutrition`: the diet-label models, regressions, food clusters and embeddings
//! (`mmi_nutrition::train`), recorded with a registry version per served model; the serving
//! version of each task is the best on the validation foods (never on the hold-out).

use std::sync::Arc;

use mmi_learn::progress::TrainProgress;
use mmi_nutrition::train::{train_all, NutritionConfig, REPORT_ARTIFACT};
use mmi_store::tracking::{set_serving, RunLog};
use mmi_store::Pool;
use mmi_types::NutritionReport;

pub use mmi_nutrition::train::{EXPERIMENT, PARENT_RUN};

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
        NutritionConfig::quick()
    } else {
        NutritionConfig::full()
    };
    let started = std::time::Instant::now();
    // The majority baseline and four diet models, two regressions, clusters, the embedding.
    let trained = train_nutrition(pool, config, progress("nutrition models", 8)).await?;
    let r = &trained.report;
    lines.push(format!(
        "run {} recorded in {:.0} s: {} foods ({} labelled: {} train, {} validation, {} hold-out)",
        trained.run_id,
        started.elapsed().as_secs_f64(),
        r.foods,
        r.labelled_foods,
        r.train_foods,
        r.validation_foods,
        r.test_foods
    ));
    for (task, name, version) in &trained.serving {
        lines.push(format!("serving for {task}: {name} v{version}"));
    }
    Ok(Summary {
        run_id: trained.run_id,
        lines,
    })
}

/// What a finished nutrition training recorded.
pub struct TrainedNutrition {
    pub run_id: i64,
    pub report: NutritionReport,
    pub serving: Vec<(String, String, i64)>,
}

pub async fn train_nutrition(
    pool: &Pool,
    config: NutritionConfig,
    progress: Arc<dyn TrainProgress + Send>,
) -> anyhow::Result<TrainedNutrition> {
    let foods = mmi_nutrition::foods_of(mmi_store::foods(pool).await?);
    if foods.is_empty() {
        anyhow::bail!("no foods in the database: run `server import` first");
    }
    let git = git_commit();
    let job_config = config.clone();
    let (parent, outcome) = run_parent(pool, EXPERIMENT, PARENT_RUN, git.as_deref(), move || {
        train_all(&foods, &job_config, &*progress)
    })
    .await?;

    let mut report = outcome.report;
    let mut tx = pool.begin().await?;
    let mut best: Vec<(&str, String, i64, f64)> = Vec::new();
    for model in &outcome.models {
        let version = record_child(
            &mut tx,
            parent,
            git.as_deref(),
            ChildRun {
                experiment: EXPERIMENT,
                run_name: match model.task {
                    Some(task) => format!("{} ({task})", model.name),
                    None => model.name.clone(),
                },
                task: model.task,
                name: &model.name,
                params: model.params.clone(),
                metrics: model.metrics.clone(),
                artifacts: model.artifacts.clone(),
                started_at: &model.started_at,
                ended_at: &model.ended_at,
            },
        )
        .await?;
        let (Some(task), Some(version)) = (model.task, version) else {
            continue;
        };
        if let Some(r) = report
            .diet
            .iter_mut()
            .find(|r| r.name == model.name && !r.baseline)
        {
            r.version = Some(version);
        }
        if task == mmi_nutrition::train::EMBEDDING_TASK {
            report.embedding.version = Some(version);
        }
        match best.iter_mut().find(|b| b.0 == task) {
            Some(b) if b.3 >= model.validation_score => {}
            Some(b) => *b = (task, model.name.clone(), version, model.validation_score),
            None => best.push((task, model.name.clone(), version, model.validation_score)),
        }
    }
    for (task, name, version, _) in &best {
        set_serving(&mut tx, task, name, *version).await?;
    }
    report.run_id = Some(parent);
    let serving: Vec<(String, String, i64)> = best
        .into_iter()
        .map(|(t, n, v, _)| (t.to_string(), n, v))
        .collect();
    let mut tags = vec![(
        "mode".to_string(),
        if config.quick { "quick" } else { "full" }.to_string(),
    )];
    for (task, name, version) in &serving {
        tags.push((format!("serving_{task}"), format!("{name} v{version}")));
    }
    finish_parent(
        tx,
        parent,
        RunLog {
            params: config.params(),
            metrics: vec![
                ("foods".into(), 0, report.foods as f64),
                ("labelled_foods".into(), 0, report.labelled_foods as f64),
            ],
            tags,
            artifacts: report_artifact(REPORT_ARTIFACT, &report)?,
        },
    )
    .await?;
    Ok(TrainedNutrition {
        run_id: parent,
        report,
        serving,
    })
}
