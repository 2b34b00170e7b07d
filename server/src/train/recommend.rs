//! `server train recommend`: the token recommender (`mmi_crypto::recommend`) and the food
//! suggestions artifact (`mmi_nutrition::suggest`, built from the serving food embedding), each
//! registered as a version and made serving; the browser fetches both by content hash.

use std::sync::Arc;

use anyhow::Context;
use mmi_crypto::recommend::{
    train_recommender, RecommendConfig, EXPERIMENT, TOKEN_MODEL_NAME, TOKEN_TASK,
};
pub use mmi_crypto::recommend::{PARENT_RUN, REPORT_ARTIFACT};
use mmi_learn::progress::TrainProgress;
use mmi_nutrition::suggest::{
    evaluate_gap, food_bundle, FOOD_MODEL_NAME, FOOD_TASK, GAP_EVAL_DAYS, GAP_NUTRIENTS,
};
use mmi_store::tracking::{artifact, now, serving_version, set_serving, RunLog};
use mmi_store::Pool;
use mmi_types::{FoodBundleSummary, RecommenderReport};

use super::{
    finish_parent, git_commit, record_child, report_artifact, run_parent, ChildRun, MakeProgress,
    Summary,
};

/// The content type of both browser artifacts.
pub const POSTCARD: &str = "application/x-postcard";

/// Trains with `progress` (built for the number of models), records and registers; returns the
/// run and the lines that say what was recorded and now serves.
pub async fn summarised(
    pool: &Pool,
    quick: bool,
    progress: MakeProgress<'_>,
) -> anyhow::Result<Summary> {
    let mut lines = Vec::new();
    let config = if quick {
        RecommendConfig::quick()
    } else {
        RecommendConfig::full()
    };
    let started = std::time::Instant::now();
    let trained = train_recommend(pool, config, progress("recommenders", 1)).await?;
    let r = &trained.report;
    lines.push(format!(
        "run {} recorded in {:.1} s: {} simulated traders ({} train, {} validation, {} test), token model {} bytes",
        trained.run_id,
        started.elapsed().as_secs_f64(),
        r.traders,
        r.train_traders,
        r.validation_traders,
        r.test_traders,
        r.artifact_bytes
    ));
    for m in &r.results {
        lines.push(format!(
            "  {:<11} NDCG@{} {:.3} [{:.3}, {:.3}]  precision {:.3}  recall {:.3}  hit rate {:.3}",
            m.method,
            r.k,
            m.ndcg.value,
            m.ndcg.low,
            m.ndcg.high,
            m.precision.value,
            m.recall.value,
            m.hit_rate.value
        ));
    }
    match &r.food_bundle {
        Some(f) => {
            lines.push(format!(
                "food suggestions: {} foods, {} bytes (embedding v{}); gap ranking on {} simulated days:",
                f.foods, f.bytes, f.embedding_version, f.gap_days
            ));
            for m in &f.gap_methods {
                lines.push(format!(
                    "  {:<27} one portion fills {:.1}% [{:.1}, {:.1}] of the gap (first pick {:.1}%), {} foods used",
                    m.method,
                    100.0 * m.mean_fill.value,
                    100.0 * m.mean_fill.low,
                    100.0 * m.mean_fill.high,
                    100.0 * m.top1_fill.value,
                    m.distinct_foods
                ));
            }
        }
        None => lines.push(
            "food suggestions skipped: no serving food embedding (run `server train nutrition` first)"
                .to_owned(),
        ),
    }
    Ok(Summary {
        run_id: trained.run_id,
        lines,
    })
}

pub struct TrainedRecommend {
    pub run_id: i64,
    pub report: RecommenderReport,
}

pub async fn train_recommend(
    pool: &Pool,
    config: RecommendConfig,
    progress: Arc<dyn TrainProgress + Send>,
) -> anyhow::Result<TrainedRecommend> {
    let rows = mmi_store::daily_prices(pool, None).await?;
    if rows.is_empty() {
        anyhow::bail!("no prices in the database: run `server import` first");
    }
    // The food half reads the serving embedding and the foods before the training starts.
    let embedding = serving_version(pool, mmi_nutrition::train::EMBEDDING_TASK).await?;
    let food_input = match embedding {
        Some(version) => {
            let bytes = artifact(pool, &version.sha256)
                .await?
                .with_context(|| format!("artifact {} is missing", version.sha256))?;
            let foods = mmi_nutrition::foods_of(mmi_store::foods(pool).await?);
            Some((version, bytes, foods))
        }
        None => None,
    };
    let git = git_commit();
    let job_config = config.clone();
    let (parent, (outcome, food)) =
        run_parent(pool, EXPERIMENT, PARENT_RUN, git.as_deref(), move || {
            let outcome = train_recommender(&rows, &job_config, &*progress)?;
            let food = food_input
                .map(|(version, bytes, foods)| {
                    let started = now();
                    let table = mmi_nutrition::train::load_table(&bytes)?;
                    let bundle = food_bundle(&foods, &table)?;
                    let gap = evaluate_gap(&bundle, GAP_EVAL_DAYS, job_config.seed);
                    anyhow::Ok((version, bundle, gap, started, now()))
                })
                .transpose()?;
            anyhow::Ok((outcome, food))
        })
        .await?;

    let mut report = outcome.report;
    let mut tx = pool.begin().await?;
    let version = record_child(
        &mut tx,
        parent,
        git.as_deref(),
        ChildRun {
            experiment: EXPERIMENT,
            run_name: format!("{TOKEN_MODEL_NAME} ({TOKEN_TASK})"),
            task: Some(TOKEN_TASK),
            name: TOKEN_MODEL_NAME,
            params: outcome.params,
            metrics: outcome.metrics,
            artifacts: vec![(
                "token-model.postcard".into(),
                POSTCARD.into(),
                outcome.artifact,
            )],
            started_at: &outcome.started_at,
            ended_at: &outcome.ended_at,
        },
    )
    .await?
    .context("the token recommender without a version")?;
    set_serving(&mut tx, TOKEN_TASK, TOKEN_MODEL_NAME, version).await?;
    report.version = Some(version);
    if let Some((embedding, bundle, gap_methods, started, ended)) = food {
        let bytes = bundle.to_bytes();
        let counts: Vec<(String, usize)> = bundle
            .allergen_names
            .iter()
            .enumerate()
            .map(|(b, name)| {
                let n = bundle
                    .allergens
                    .iter()
                    .filter(|m| *m & (1 << b) != 0)
                    .count();
                (name.clone(), n)
            })
            .collect();
        let mut summary = FoodBundleSummary {
            version: None,
            foods: bundle.len(),
            bytes: bytes.len() as u64,
            embedding_version: embedding.version,
            gap_nutrients: GAP_NUTRIENTS
                .iter()
                .map(|n| n.info().key.to_string())
                .collect(),
            allergens: bundle.allergen_names.clone(),
            allergen_counts: counts.clone(),
            gap_days: GAP_EVAL_DAYS,
            gap_methods,
        };
        let mut metrics = vec![
            ("foods".to_string(), 0, bundle.len() as f64),
            ("bytes".to_string(), 0, bytes.len() as f64),
        ];
        metrics.extend(
            counts
                .iter()
                .map(|(k, n)| (format!("foods_with_{k}"), 0, *n as f64)),
        );
        let food_version = record_child(
            &mut tx,
            parent,
            git.as_deref(),
            ChildRun {
                experiment: EXPERIMENT,
                run_name: format!("{FOOD_MODEL_NAME} ({FOOD_TASK})"),
                task: Some(FOOD_TASK),
                name: FOOD_MODEL_NAME,
                params: vec![(
                    "embedding".to_string(),
                    format!(
                        "{} v{} ({})",
                        embedding.name, embedding.version, embedding.sha256
                    ),
                )],
                metrics,
                artifacts: vec![("food-bundle.postcard".into(), POSTCARD.into(), bytes)],
                started_at: &started,
                ended_at: &ended,
            },
        )
        .await?
        .context("the food suggestions without a version")?;
        set_serving(&mut tx, FOOD_TASK, FOOD_MODEL_NAME, food_version).await?;
        summary.version = Some(food_version);
        report.food_bundle = Some(summary);
    }
    report.run_id = Some(parent);
    finish_parent(
        tx,
        parent,
        RunLog {
            params: config.params(),
            metrics: vec![("traders".into(), 0, report.traders as f64)],
            tags: vec![(
                "mode".to_string(),
                if config.quick { "quick" } else { "full" }.to_string(),
            )],
            artifacts: report_artifact(REPORT_ARTIFACT, &report)?,
        },
    )
    .await?;
    Ok(TrainedRecommend {
        run_id: parent,
        report,
    })
}
