//! `server train sentiment`: the three sentiment classifiers (`mmi_crypto::sentiment`) trained and
//! compared on the Financial PhraseBank, both learned models registered, the better one on
//! validation made serving, and the market sentiment index rebuilt with it, all in one
//! transaction.

use std::sync::Arc;

use anyhow::Context;
use mmi_crypto::sentiment::index::NewsItem;
use mmi_crypto::sentiment::{train_sentiment, SentimentConfig, SentimentInput, EXPERIMENT, TASK};
pub use mmi_crypto::sentiment::{PARENT_RUN, REPORT_ARTIFACT};
use mmi_learn::progress::TrainProgress;
use mmi_store::sentiment::{
    dated_news, direction_headlines, labelled_sentences, replace_news_sentiment, token_names,
    NewsSentimentRow,
};
use mmi_store::tracking::{set_serving, RunLog};
use mmi_store::Pool;
use mmi_types::SentimentReport;

use super::recommend::POSTCARD;
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
        SentimentConfig::quick()
    } else {
        SentimentConfig::full()
    };
    let started = std::time::Instant::now();
    let trained = train_sentiment_run(pool, config, progress("sentiment", 2)).await?;
    let r = &trained.report;
    lines.push(format!(
        "run {} recorded in {:.1} s: {} sentences ({} train, {} validation, {} test), vocabulary {}",
        trained.run_id,
        started.elapsed().as_secs_f64(),
        r.sentences,
        r.train,
        r.validation,
        r.test,
        r.vocabulary
    ));
    for m in &r.results {
        lines.push(format!(
            "  {:<15} accuracy {:.3} [{:.3}, {:.3}]  macro F1 {:.3} [{:.3}, {:.3}]  (validation {:.3}, {:.1} s)",
            m.method,
            m.accuracy.value,
            m.accuracy.low,
            m.accuracy.high,
            m.macro_f1.value,
            m.macro_f1.low,
            m.macro_f1.high,
            m.validation_macro_f1,
            m.train_seconds
        ));
    }
    if let Some(a) = &r.ablation {
        lines.push(format!(
            "ablation on {} ({} train rows from {}, {} test rows {} to {}):",
            a.tokens.join(", "),
            a.train_rows,
            a.train_from,
            a.test_rows,
            a.test_from,
            a.test_to
        ));
        for m in &a.results {
            lines.push(format!(
                "  {:<9} {:<14} {} without {:.4} [{:.4}, {:.4}], with sentiment {:.4} [{:.4}, {:.4}], gain {:+.4} [{:+.4}, {:+.4}]",
                m.task, m.model, m.metric, m.without.value, m.without.low, m.without.high,
                m.with.value, m.with.low, m.with.high, m.difference.value, m.difference.low,
                m.difference.high
            ));
        }
    }
    lines.push(format!(
        "serving {} v{}; index: {} news items, {} token-days",
        r.served,
        r.version.unwrap_or_default(),
        r.index_items,
        r.index_token_days
    ));
    Ok(Summary {
        run_id: trained.run_id,
        lines,
    })
}

pub struct TrainedSentiment {
    pub run_id: i64,
    pub report: SentimentReport,
}

pub async fn train_sentiment_run(
    pool: &Pool,
    config: SentimentConfig,
    progress: Arc<dyn TrainProgress + Send>,
) -> anyhow::Result<TrainedSentiment> {
    let input = SentimentInput {
        sentences: labelled_sentences(pool).await?,
        headlines: direction_headlines(pool).await?,
        news: dated_news(pool)
            .await?
            .into_iter()
            .map(|n| NewsItem {
                id: n.id,
                published_on: n.published_on,
                title: n.title,
                body: n.body,
            })
            .collect(),
        tokens: token_names(pool).await?,
        prices: mmi_store::daily_prices(pool, None).await?,
    };
    if input.sentences.is_empty() {
        anyhow::bail!(
            "no labelled sentences in the database: run `server import` (Financial PhraseBank) first"
        );
    }
    let git = git_commit();
    let job_config = config.clone();
    let (parent, outcome) = run_parent(pool, EXPERIMENT, PARENT_RUN, git.as_deref(), move || {
        train_sentiment(&input, &job_config, &*progress)
    })
    .await?;

    let mut report = outcome.report;
    let mut tx = pool.begin().await?;
    let mut served_version = None;
    for (i, m) in outcome.models.into_iter().enumerate() {
        let mut artifacts = vec![(
            format!("{}.postcard", m.name),
            POSTCARD.to_string(),
            m.bytes,
        )];
        artifacts.extend(m.extra);
        let version = record_child(
            &mut tx,
            parent,
            git.as_deref(),
            ChildRun {
                experiment: EXPERIMENT,
                run_name: format!("{} ({TASK})", m.name),
                task: Some(TASK),
                name: m.name,
                params: m.params,
                metrics: m.metrics,
                artifacts,
                started_at: &m.started_at,
                ended_at: &m.ended_at,
            },
        )
        .await?
        .with_context(|| format!("{} without a version", m.name))?;
        if i == outcome.served {
            set_serving(&mut tx, TASK, m.name, version).await?;
            served_version = Some((m.name, version));
        }
    }
    let (served_name, version) = served_version.context("no served sentiment model")?;
    let rows: Vec<NewsSentimentRow> = outcome
        .index
        .into_iter()
        .map(|r| NewsSentimentRow {
            news_id: r.news_id,
            symbol: r.symbol,
            published_on: r.published_on,
            score: r.score,
            probabilities: r.probabilities,
            sentences: r.sentences,
            headline: r.headline,
        })
        .collect();
    replace_news_sentiment(&mut tx, &rows, served_name, version).await?;
    report.version = Some(version);
    report.run_id = Some(parent);
    let best = report.results.iter().find(|m| m.method == report.served);
    finish_parent(
        tx,
        parent,
        RunLog {
            params: config.params(),
            metrics: vec![
                ("sentences".into(), 0, report.sentences as f64),
                (
                    "served_test_macro_f1".into(),
                    0,
                    best.map_or(f64::NAN, |m| m.macro_f1.value),
                ),
                ("index_items".into(), 0, report.index_items as f64),
            ],
            tags: vec![
                (
                    "mode".to_string(),
                    if config.quick { "quick" } else { "full" }.to_string(),
                ),
                ("served".to_string(), report.served.clone()),
            ],
            artifacts: report_artifact(REPORT_ARTIFACT, &report)?,
        },
    )
    .await?;
    Ok(TrainedSentiment {
        run_id: parent,
        report,
    })
}
