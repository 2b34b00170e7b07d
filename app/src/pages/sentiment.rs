//! `/sentiment`: the market sentiment index (news scored per token and day, against the close),
//! a text box scored **in the browser** by the serving model (WASM, the artifact fetched once by
//! content hash), and the three sentiment classifiers beside the majority class on held-out
//! sentences.

use leptos::prelude::*;
use mmi_text::sentiment::SentimentModel;
use mmi_types::{
    ArtifactRef, SentimentCoverage, SentimentOverview, SentimentReport, SentimentSeries,
    SENTIMENT_LABELS,
};

use crate::charts::{loss_chart, sentiment_index_chart, sentiment_metrics_chart, to_json, EChart};
use crate::pages::models::{estimate_text, opt};
use crate::pages::recommend::load::{self, current, kib, now_ms, status, took, Loaded};

/// The latest sentiment report, the tokens in the index, and the served model's artifact.
#[server(prefix = "/sfn", endpoint = "sentiment_overview", output = crate::codec::Json)]
pub async fn get_sentiment_overview() -> Result<SentimentOverview, ServerFnError> {
    use crate::state::{serve_error, services};
    services()?.sentiment_overview().await.map_err(serve_error)
}

/// A token's daily index with its closes.
#[server(prefix = "/sfn", endpoint = "sentiment_series", output = crate::codec::Json)]
pub async fn get_sentiment_series(symbol: String) -> Result<SentimentSeries, ServerFnError> {
    use crate::state::{serve_error, services};
    services()?
        .sentiment_series(&symbol)
        .await
        .map_err(serve_error)
}

fn not_trained(retry: Callback<()>) -> AnyView {
    view! {
        <crate::pages::Untrained domain="sentiment" retry>
            <p class="empty" data-testid="no-sentiment">
                "No sentiment model trained yet. A first start trains it by itself; by hand: "
                <code>"server train sentiment"</code>
                " (after "<code>"server import"</code>", which loads the Financial PhraseBank and the news)."
            </p>
        </crate::pages::Untrained>
    }
    .into_any()
}

#[component]
pub fn SentimentPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| get_sentiment_overview());
    // Owned by the page (not by the suspense below), fetched once in the browser.
    let models = [
        load::load(
            overview,
            |o| o.artifacts.first().cloned(),
            SentimentModel::from_bytes,
        ),
        load::load(
            overview,
            |o| o.artifacts.get(1).cloned(),
            SentimentModel::from_bytes,
        ),
    ];
    view! {
        <section class="page sentiment">
            <h1>"News sentiment"</h1>
            <p class="lede">
                "Financial news sentences classified as negative, neutral or positive by models trained on
                the Financial PhraseBank (human labels), the dated crypto news scored per token and day
                with the best of them, and a text box scored "<strong>"in your browser"</strong>
                " by the same model in WebAssembly. The API: "<code>"GET /api/sentiment?symbol=BTC&date=2019-04-01"</code>
                " and "<code>"POST /api/sentiment"</code>"."
            </p>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(o) => match o.report {
                            Some(report) if !o.artifacts.is_empty() => view! {
                                <TextScorer artifacts=o.artifacts models />
                                <IndexSection coverage=o.coverage />
                                {models_view(report)}
                            }.into_any(),
                            _ => not_trained(Callback::new(move |()| overview.refetch())),
                        },
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[derive(Clone, PartialEq)]
struct TextScore {
    probabilities: [f32; 3],
    label: usize,
    score: f32,
    ms: f64,
}

/// The text box, scored on every input event by each learned model in WASM (the served one
/// first).
#[component]
fn TextScorer(artifacts: Vec<ArtifactRef>, models: [Loaded<SentimentModel>; 2]) -> impl IntoView {
    let (text, set_text) = signal(String::from(
        "Bitcoin price surges as institutional demand grows",
    ));
    let panels = artifacts
        .into_iter()
        .zip(models)
        .enumerate()
        .map(|(i, (artifact, model))| {
            let scored = Memo::new(move |_| {
                let model = current(model)?.ok()?;
                let started = now_ms();
                let s = model.score(&text.get());
                Some(TextScore {
                    probabilities: s.probabilities,
                    label: s.label,
                    score: s.score,
                    ms: now_ms() - started,
                })
            });
            let name = artifact.model.name.clone();
            let ready = format!(
                "{} v{} ({}) loaded in your browser{}.",
                name,
                artifact.model.version,
                kib(artifact.bytes),
                if i == 0 { ", the served model" } else { "" }
            );
            let title = name.clone();
            view! {
                <div class="scorer" data-testid="sentiment-scorer" data-model=title.clone()>
                    <h3>{title.clone()}{(i == 0).then(|| view! { " " <span class="badge good">"served"</span> })}</h3>
                    {move || status(current(model), "sentiment model", ready.clone(), "sentiment-model-status")}
                    {move || scored.get().map(|s| score_view(&name, s))}
                </div>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <div class="panel" data-testid="text-scorer">
            <h2>"Score a headline"</h2>
            <textarea rows="2" cols="80" maxlength="1000" data-testid="sentiment-input"
                prop:value=text on:input=move |ev| set_text.set(event_target_value(&ev))></textarea>
            <div class="scorers">{panels}</div>
            <p class="note">
                "Both models learnt from sentences of financial news about listed companies (the PhraseBank): crypto words they never saw (\"hacked\", \"rug pull\") count for nothing."
            </p>
        </div>
    }
}

fn score_view(model: &str, s: TextScore) -> AnyView {
    let label = SENTIMENT_LABELS[s.label];
    view! {
        <div class="sentiment-score" data-testid="sentiment-score" data-model=model.to_string() data-label=label data-score=s.score.to_string()>
            <p>
                <span class=format!("badge sentiment-{label}")>{label}</span>
                {format!(" score {:+.2}, scored {} in this browser", s.score, took(s.ms))}
            </p>
            <table class="probabilities">
                <tbody>
                    {SENTIMENT_LABELS.iter().enumerate().map(|(c, name)| {
                        let p = f64::from(s.probabilities[c]);
                        view! {
                            <tr data-testid="sentiment-probability" data-class=*name>
                                <td>{*name}</td>
                                <td class="bar-cell"><span class=format!("bar sentiment-{name}") style=format!("width: {:.1}%", 100.0 * p)></span></td>
                                <td class="num">{format!("{:.1}%", 100.0 * p)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The index of one token at a time, chosen among those with news.
#[component]
fn IndexSection(coverage: Vec<SentimentCoverage>) -> impl IntoView {
    if coverage.is_empty() {
        return view! {
            <div class="panel" data-testid="sentiment-index">
                <h2>"Market sentiment index"</h2>
                <p class="empty">"No dated news in the database: import the news files (DATA_DIR/crypto/news) and train again."</p>
            </div>
        }
        .into_any();
    }
    let (symbol, set_symbol) = signal(coverage[0].symbol.clone());
    let series = Resource::new(move || symbol.get(), get_sentiment_series);
    let options = coverage
        .iter()
        .map(|c| {
            let label = format!(
                "{} ({} items, {} days, {} – {})",
                c.symbol, c.items, c.days, c.first_day, c.last_day
            );
            view! { <option value=c.symbol.clone()>{label}</option> }
        })
        .collect_view();
    view! {
        <div class="panel" data-testid="sentiment-index">
            <h2>"Market sentiment index"</h2>
            <label>"Token "
                <select data-testid="sentiment-symbol" on:change=move |ev| set_symbol.set(event_target_value(&ev))>
                    {options}
                </select>
            </label>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match series.await {
                        Ok(s) => series_view(s),
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <p class="note">
                "Each dated article is split into sentences; the sentences naming a token (by symbol in capitals or by name) are scored, and the article's score for that token is their mean P(positive) − P(negative). A day's score is the mean over its articles."
            </p>
        </div>
    }
    .into_any()
}

fn series_view(s: SentimentSeries) -> AnyView {
    let chart = to_json(&sentiment_index_chart(&s));
    let items: u32 = s.days.iter().map(|d| d.n_items).sum();
    let mean = if s.days.is_empty() {
        None
    } else {
        Some(s.days.iter().map(|d| d.score).sum::<f64>() / s.days.len() as f64)
    };
    let correlation = match s.next_day_correlation {
        Some(r) => format!(
            "Correlation of a day's score with the next day's log return: r = {r:+.3} over {} days (|r| below about {:.2} is what chance gives at this size).",
            s.correlation_days,
            2.0 / (s.correlation_days.max(1) as f64).sqrt()
        ),
        None => "Too few days with both news and prices to correlate with the next day's return.".into(),
    };
    let recent = s
        .days
        .iter()
        .rev()
        .take(10)
        .map(|d| {
            view! {
                <tr data-testid="sentiment-day">
                    <td>{d.date.clone()}</td>
                    <td class="num">{format!("{:+.3}", d.score)}</td>
                    <td class="num">{d.n_items}</td>
                    <td class="num">{format!("{:.0}%", 100.0 * d.share_positive)}</td>
                    <td class="num">{format!("{:.0}%", 100.0 * d.share_negative)}</td>
                    <td class="num">{opt(d.close, 2)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p data-testid="sentiment-summary">
            {format!("{}: {} days with news, {} items, mean score {}. ", s.symbol, s.days.len(), items, opt(mean, 3))}
            {correlation}
        </p>
        <EChart option=Signal::derive(move || Some(chart.clone())) test_id="sentiment-index-chart" label="Daily news sentiment and close" height_px=360 />
        <h3>"Latest days"</h3>
        <table class="data">
            <thead><tr><th>"day"</th><th>"score"</th><th>"items"</th><th>"positive"</th><th>"negative"</th><th>"close (USD)"</th></tr></thead>
            <tbody>{recent}</tbody>
        </table>
    }
    .into_any()
}

fn confusion_view(m: &mmi_types::SentimentModelResult) -> AnyView {
    let rows = m
        .confusion
        .iter()
        .enumerate()
        .map(|(a, row)| {
            view! {
                <tr>
                    <th>{SENTIMENT_LABELS[a]}</th>
                    {row.iter().enumerate().map(|(p, n)| view! {
                        <td class=if a == p { "num diagonal" } else { "num" }>{*n}</td>
                    }).collect_view()}
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data confusion" data-testid="confusion" data-method=m.method.clone()>
            <caption>{m.method.clone()}</caption>
            <thead><tr><th>"actual ↓ predicted →"</th>{SENTIMENT_LABELS.iter().map(|l| view! { <th>{*l}</th> }).collect_view()}</tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

fn models_view(r: SentimentReport) -> AnyView {
    let metrics = to_json(&sentiment_metrics_chart(&r));
    let losses: Vec<(f64, f64)> = r.history.iter().map(|e| (e.train, e.validation)).collect();
    let loss = to_json(&loss_chart("Word CNN: cross-entropy per epoch", &losses));
    let served = r.served.clone();
    let rows = r
        .results
        .iter()
        .map(|m| {
            let class = if m.is_baseline { "baseline" } else { "" };
            let is_served = m.method == served;
            view! {
                <tr class=class data-testid="sentiment-row" data-method=m.method.clone()>
                    <td>{m.label.clone()}{is_served.then(|| view! { " " <span class="badge good">"served"</span> })}</td>
                    <td class="num" data-testid="accuracy">{estimate_text(Some(m.accuracy), 3)}</td>
                    <td class="num" data-testid="macro-f1">{estimate_text(Some(m.macro_f1), 3)}</td>
                    {m.class_f1.iter().map(|f| view! { <td class="num">{opt(*f, 3)}</td> }).collect_view()}
                    <td class="num">{format!("{:.3}", m.validation_macro_f1)}</td>
                    <td class="num">{format!("{:.1} s", m.train_seconds)}</td>
                    <td class="num">{m.bytes.map_or("–".into(), kib)}</td>
                    <td class="num">{format!("{:.0} µs", m.micros_per_text)}</td>
                </tr>
            }
        })
        .collect_view();
    let confusions = r.results.iter().map(confusion_view).collect_view();
    let tuning = r
        .tuning
        .iter()
        .map(|t| {
            view! {
                <tr class=if t.chosen { "chosen" } else { "" }>
                    <td>{t.method.clone()}</td>
                    <td>{t.setting.clone()}</td>
                    <td class="num">{format!("{:.3}", t.validation_macro_f1)}</td>
                    <td>{t.chosen.then_some("✓ chosen")}</td>
                </tr>
            }
        })
        .collect_view();
    let headline = r.headline_check.as_ref().map(|h| {
        view! {
            <p data-testid="headline-check">
                {format!(
                    "Check on {} crypto headlines labelled only with BTC's next-day direction: the served model calls {} of them positive or negative, and its call matches the next day {} of the time; {:.1}% of those headlines were followed by an up day. Headline sentiment is not a price signal here.",
                    h.headlines,
                    h.opinionated,
                    estimate_text(h.agreement, 3),
                    100.0 * h.up_share
                )}
            </p>
        }
    });
    let ablation = r.ablation.clone().map(ablation_view);
    let counts = r
        .class_counts
        .iter()
        .zip(SENTIMENT_LABELS)
        .map(|(n, l)| format!("{n} {l}"))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <div class="panel" data-testid="sentiment-models">
            <h2>"The classifiers"</h2>
            <p>
                {format!(
                    "{} PhraseBank sentences ({counts}), split stratified {} / {} / {} (train / validation / test, seed {}); vocabulary of {} words from the training sentences only. Hyperparameters and the served model ({}) were chosen on validation macro F1; every model was scored once on the test sentences. 95% bootstrap intervals.",
                    r.sentences, r.train, r.validation, r.test, r.seed, r.vocabulary, r.served
                )}
            </p>
            <table class="data" data-testid="sentiment-table">
                <thead>
                    <tr>
                        <th>"model"</th><th>"accuracy [95% CI]"</th><th>"macro F1 [95% CI]"</th>
                        <th>"F1 negative"</th><th>"F1 neutral"</th><th>"F1 positive"</th>
                        <th>"validation macro F1"</th><th>"training"</th><th>"size"</th><th>"per text"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <EChart option=Signal::derive(move || Some(metrics.clone())) test_id="sentiment-metrics-chart" label="Accuracy and macro F1 of each classifier" />
            <h3>"Confusion matrices (test sentences)"</h3>
            <div class="confusions">{confusions}</div>
            <h3>"Word CNN training"</h3>
            <p>
                {format!(
                    "Early stopping kept epoch {} of {}. The served int8 export agrees with the f32 network on {} of the test sentences.",
                    r.best_epoch,
                    r.history.len(),
                    r.quantized_agreement.map_or("–".into(), |a| format!("{:.1}%", 100.0 * a))
                )}
            </p>
            <EChart option=Signal::derive(move || Some(loss.clone())) test_id="sentiment-loss-chart" label="Training and validation loss per epoch" />
            <h3>"Tuning (validation)"</h3>
            <table class="data">
                <thead><tr><th>"model"</th><th>"setting"</th><th>"validation macro F1"</th><th></th></tr></thead>
                <tbody>{tuning}</tbody>
            </table>
            {headline}
        </div>
        {ablation}
    }
    .into_any()
}

fn ablation_view(a: mmi_types::SentimentAblation) -> AnyView {
    use crate::pages::models::VerdictBadge;
    let digits = |metric: &str| if metric == "accuracy" { 3 } else { 5 };
    let rows = a
        .results
        .iter()
        .map(|m| {
            let d = digits(&m.metric);
            let auc = match (m.roc_auc_without, m.roc_auc_with) {
                (Some(w0), Some(w1)) => format!("{w0:.3} → {w1:.3}"),
                _ => "–".into(),
            };
            view! {
                <tr data-testid="ablation-row" data-model=m.model.clone() data-task=m.task.clone()>
                    <td>{m.task.clone()}</td>
                    <td>{m.model.clone()}</td>
                    <td>{m.metric.clone()}</td>
                    <td class="num">{estimate_text(Some(m.without), d)}</td>
                    <td class="num">{estimate_text(Some(m.with), d)}</td>
                    <td class="num">{estimate_text(Some(m.difference), d)}</td>
                    <td><VerdictBadge verdict=Some(m.verdict) /></td>
                    <td class="num">{auc}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="panel" data-testid="sentiment-ablation">
            <h2>"Does news sentiment help the price models?"</h2>
            <p>
                {format!(
                    "The same models with and without six lagged sentiment features (the token's news score on days t−1, t−3, t−7, and whether there was news), on the token-days the news covers: {} ; trained on {} rows from {}, tested on {} rows from {} to {} (time-ordered, one purged day; {:.0}% of test rows had news the day before). Baselines on the same test rows: always-up accuracy {:.3}, persistence log-return RMSE {:.5}. Gain = with − without (for RMSE, without − with), 95% block-bootstrap interval.",
                    a.tokens.join(", "), a.train_rows, a.train_from, a.test_rows, a.test_from, a.test_to,
                    100.0 * a.test_news_share, a.always_up_accuracy, a.persistence_rmse
                )}
            </p>
            <table class="data" data-testid="ablation-table">
                <thead><tr><th>"task"</th><th>"model"</th><th>"metric"</th><th>"without sentiment"</th><th>"with sentiment"</th><th>"gain [95% CI]"</th><th>"verdict"</th><th>"ROC-AUC"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
