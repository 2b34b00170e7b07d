//! `server train recipes`: the ingredient parser (`mmi_nutrition::recipe`) trained on the
//! labelled ingredient sentences and registered as the serving `ingredient_parser`, and the
//! recipe pipeline scored against site-reported nutrition, recorded in one transaction.

use std::sync::Arc;

use anyhow::Context;
use mmi_learn::progress::TrainProgress;
use mmi_nutrition::recipe::study::{aligned_unique, study};
use mmi_nutrition::recipe::tagger::{FeatureSet, TaggerParams};
use mmi_nutrition::recipe::{
    train_recipes, RecipeConfig, RecipeInput, PARSER_MODEL, PARSER_TASK, RECIPE_EXPERIMENT,
    RECIPE_REPORT_ARTIFACT, RECIPE_RUN,
};

use mmi_store::tracking::{set_serving, RunLog};
use mmi_store::Pool;
use mmi_types::RecipeReport;

use super::recommend::POSTCARD;
use super::{
    finish_parent, git_commit, record_child, report_artifact, run_parent, Bars, ChildRun,
    MakeProgress, Summary,
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
        RecipeConfig::quick()
    } else {
        RecipeConfig::full()
    };
    let started = std::time::Instant::now();
    let trained = train_recipes_run(pool, config, progress("recipes", 3)).await?;
    let r = &trained.report;
    lines.push(format!(
        "run {} recorded in {:.1} s: {} labelled sentences, {} aligned ({} train, {} validation, {} test)",
        trained.run_id,
        started.elapsed().as_secs_f64(),
        r.n_labelled,
        r.n_aligned,
        r.n_train,
        r.n_validation,
        r.n_test
    ));
    for e in [&r.parser, &r.baseline] {
        lines.push(format!(
            "  {:<30} words {:.4} [{:.4}, {:.4}] (no punctuation {:.4})  sentences {:.4} [{:.4}, {:.4}]",
            e.name,
            e.word_accuracy.value,
            e.word_accuracy.low,
            e.word_accuracy.high,
            e.word_accuracy_no_punctuation.value,
            e.sentence_accuracy.value,
            e.sentence_accuracy.low,
            e.sentence_accuracy.high
        ));
    }
    for e in &r.epochs {
        lines.push(format!(
            "    epoch {:>2}: training loss {:.4}, validation word accuracy {:.4} ({:.2} s)",
            e.epoch, e.train_loss, e.validation_word_accuracy, e.seconds
        ));
    }
    lines.push(format!(
        "  tagger: {} epochs, {:.1} s, {} bytes (int8)",
        r.epochs.len(),
        r.train_seconds,
        r.model_bytes
    ));
    lines.push(format!(
        "recipe nutrition on {} test recipes: {:.1}% of lines matched, {:.1}% counted, median mass covered {}",
        r.nutrition_recipes,
        100.0 * r.lines_matched,
        100.0 * r.lines_counted,
        r.median_mass_share
            .map_or("-".into(), |s| format!("{:.1}%", 100.0 * s))
    ));
    for row in &r.nutrition {
        lines.push(format!(
            "  {:<13} MdAPE {:.3} [{:.3}, {:.3}]  baseline {:.3} [{:.3}, {:.3}]  within 20%: {:.1}%  (n = {})",
            row.nutrient,
            row.mdape.value,
            row.mdape.low,
            row.mdape.high,
            row.baseline_mdape.value,
            row.baseline_mdape.low,
            row.baseline_mdape.high,
            100.0 * row.within_20pct,
            row.n_recipes
        ));
    }
    if let Some(row) = &r.unseen_sites {
        lines.push(format!(
            "  calories on {} recipes from {} sites never in the development half: MdAPE {:.3} [{:.3}, {:.3}]  baseline {:.3}  within 20%: {:.1}%",
            row.n_recipes,
            r.unseen_site_count,
            row.mdape.value,
            row.mdape.low,
            row.mdape.high,
            row.baseline_mdape.value,
            100.0 * row.within_20pct
        ));
    }
    if let Some(m) = &r.meals {
        lines.push(format!(
            "meals: {} recipes in the catalogue, {} requests; top 5 vs 5 random from the same pool: energy error {:.1}% vs {:.1}%, within ±10% {:.1}% vs {:.1}%, protein in range {:.1}% vs {:.1}%; 7-day plans made {} of {} ({:.0} ms each)",
            m.catalogue, m.requests, 100.0 * m.energy_error, 100.0 * m.baseline_energy_error,
            100.0 * m.within_10pct, 100.0 * m.baseline_within_10pct, 100.0 * m.protein_in_range,
            100.0 * m.baseline_protein_in_range, m.plans_feasible, m.plans, m.mean_plan_ms
        ));
    }
    if let Some(d) = &r.prep_density {
        lines.push(format!(
            "prep time vs NRF9.3 over {} recipes: Spearman {}; median NRF9.3 {} (≤ 30 min) vs {} (longer)",
            d.points.len(),
            d.spearman.map_or("–".into(), |e| format!("{:.3} [{:.3}, {:.3}]", e.value, e.low, e.high)),
            d.median_quick.map_or("–".into(), |v| format!("{v:.1}")),
            d.median_slow.map_or("–".into(), |v| format!("{v:.1}"))
        ));
    }
    Ok(Summary {
        run_id: trained.run_id,
        lines,
    })
}

pub struct TrainedRecipes {
    pub run_id: i64,
    pub version: i64,
    pub report: RecipeReport,
}

pub async fn train_recipes_run(
    pool: &Pool,
    config: RecipeConfig,
    progress: Arc<dyn TrainProgress + Send>,
) -> anyhow::Result<TrainedRecipes> {
    let input = RecipeInput {
        sentences: mmi_store::ingredient_sentences(pool).await?,
        recipes: mmi_store::recipes(pool).await?,
        foods: mmi_nutrition::foods_of(mmi_store::foods(pool).await?),
    };
    if input.sentences.is_empty() {
        anyhow::bail!(
            "no labelled ingredient sentences in the database: run `server import` (DATA_DIR/ingredients) first"
        );
    }
    if input.foods.is_empty() {
        anyhow::bail!(
            "no foods in the database: run `server import` (DATA_DIR/nutrition/sr26) first"
        );
    }
    let git = git_commit();
    let (parent, outcome) = run_parent(
        pool,
        RECIPE_EXPERIMENT,
        RECIPE_RUN,
        git.as_deref(),
        move || train_recipes(&input, &config, &*progress),
    )
    .await?;
    let report = outcome.report;
    let p = outcome.parser;
    let mut tx = pool.begin().await?;
    let version = record_child(
        &mut tx,
        parent,
        git.as_deref(),
        ChildRun {
            experiment: RECIPE_EXPERIMENT,
            run_name: format!("{PARSER_MODEL} ({PARSER_TASK})"),
            task: Some(PARSER_TASK),
            name: PARSER_MODEL,
            params: p.params.clone(),
            metrics: p.metrics.clone(),
            artifacts: vec![(
                format!("{PARSER_MODEL}.postcard"),
                POSTCARD.to_string(),
                p.bytes,
            )],
            started_at: &p.started_at,
            ended_at: &p.ended_at,
        },
    )
    .await?
    .context("the parser was not registered")?;
    set_serving(&mut tx, PARSER_TASK, PARSER_MODEL, version).await?;
    let calories = report.nutrition.iter().find(|r| r.nutrient == "calories");
    let mut metrics = vec![
        (
            "test_word_accuracy".into(),
            0,
            report.parser.word_accuracy.value,
        ),
        (
            "test_sentence_accuracy".into(),
            0,
            report.parser.sentence_accuracy.value,
        ),
    ];
    if let Some(c) = calories {
        metrics.push(("calories_mdape".into(), 0, c.mdape.value));
    }
    finish_parent(
        tx,
        parent,
        RunLog {
            params: p.params,
            metrics,
            tags: vec![(
                "mode".to_string(),
                if config.quick { "quick" } else { "full" }.to_string(),
            )],
            artifacts: report_artifact(RECIPE_REPORT_ARTIFACT, &report)?,
        },
    )
    .await?;
    Ok(TrainedRecipes {
        run_id: parent,
        version,
        report,
    })
}

/// `server evaluate-parser`: the parser study (`mmi_nutrition::recipe::study`) for each feature
/// set, printed as a table (Markdown) with the anchor's figures for comparison.
pub async fn evaluate_parser_cli(
    pool: &Pool,
    splits: usize,
    features: &[String],
) -> anyhow::Result<()> {
    let sentences = mmi_store::ingredient_sentences(pool).await?;
    let sets: Vec<FeatureSet> = features
        .iter()
        .map(|f| match f.as_str() {
            "v1" => Ok(FeatureSet::V1),
            "v2" => Ok(FeatureSet::V2),
            "v3" => Ok(FeatureSet::V3),
            other => Err(anyhow::anyhow!(
                "unknown feature set {other:?}: v1, v2 or v3"
            )),
        })
        .collect::<anyhow::Result<_>>()?;
    let rows = tokio::task::spawn_blocking(move || {
        let lines = aligned_unique(&sentences);
        let bars = Bars::new("the parser study", sets.len() as u64);
        let mut rows = Vec::new();
        for features in sets {
            let params = TaggerParams {
                features,
                ..TaggerParams::default()
            };
            rows.extend(study(&lines, splits, &params, &bars)?);
        }
        anyhow::Ok(rows)
    })
    .await??;
    println!("| evaluation | features | fits | train / test sentences | words (mean ± sd) | sentences (mean ± sd) |");
    println!("| --- | --- | ---: | --- | --- | --- |");
    for r in &rows {
        let (w, ws) = r.words();
        let (s, ss) = r.sentences();
        println!(
            "| {} | {:?} | {} | {} / {} | {:.4} ± {:.4} | {:.4} ± {:.4} |",
            r.name,
            r.features,
            r.fits.len(),
            r.fits[0].n_train,
            r.fits[0].n_test,
            w,
            ws,
            s,
            ss
        );
    }
    println!("anchor (ingredient-parser 2.9.1, its own data, 25 random 80/20 splits): words 0.9805, sentences 0.9498");
    Ok(())
}

/// `server evaluate-plans`: the plan grid on the database's catalogue, printed.
pub async fn evaluate_plans_cli(pool: &Pool, every: usize) -> anyhow::Result<()> {
    let services = mmi_serve::Services::new(pool.clone());
    services.refresh().await?;
    let (catalogue, grid) = services.plan_grid(every).await?;
    println!(
        "{} requests over {catalogue} catalogue recipes: {} plans made, {} on target every day ({:.1}%); \
         per plan p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        grid.plans,
        grid.made,
        grid.on_target,
        100.0 * grid.on_target as f64 / grid.plans.max(1) as f64,
        grid.percentile_ms(0.5),
        grid.percentile_ms(0.95),
        grid.percentile_ms(1.0)
    );
    for r in &grid.refusals {
        println!("  refused: {r}");
    }
    Ok(())
}
