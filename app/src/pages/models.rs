//! The crypto models: the comparison of every model beside its baselines (metrics with 95%
//! intervals, sortable), ROC and PR curves, confusion matrices, learning curves, importances,
//! predicted against actual closes; the token clusters; and the tracked runs.

use leptos::prelude::*;
use mmi_types::{
    BaselineVerdict, Estimate, ModelReport, ModelResult, ModelTask, ModelVersionSummary, RunSummary,
};

use crate::charts::{
    close_chart, cluster_scatter, dendrogram_chart, importance_chart, learning_chart, pr_chart,
    roc_chart, silhouette_chart, to_json, EChart,
};

/// The comparison report of the latest finished `server train crypto`, if any.
#[server(prefix = "/sfn", endpoint = "model_report")]
pub async fn get_model_report() -> Result<Option<ModelReport>, ServerFnError> {
    use mmi_crypto::train::{EXPERIMENT, PARENT_RUN, REPORT_ARTIFACT};
    let state = crate::state::use_app_state()?;
    let found = mmi_store::tracking::latest_run_artifact(
        &state.pool,
        EXPERIMENT,
        PARENT_RUN,
        REPORT_ARTIFACT,
    )
    .await
    .map_err(|e| crate::state::internal("reading the model report", e))?;
    match found {
        Some((_, bytes)) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| crate::state::internal("reading the model report", e)),
        None => Ok(None),
    }
}

/// The latest tracked runs and every registered model version.
#[server(prefix = "/sfn", endpoint = "runs")]
pub async fn get_runs() -> Result<(Vec<RunSummary>, Vec<ModelVersionSummary>), ServerFnError> {
    let state = crate::state::use_app_state()?;
    let internal = |e| crate::state::internal("reading the runs", e);
    let runs = mmi_store::tracking::list_runs(&state.pool, 200)
        .await
        .map_err(internal)?;
    let versions = mmi_store::tracking::model_versions(&state.pool)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|v| ModelVersionSummary {
            task: if v.task.ends_with("direction") {
                ModelTask::Direction
            } else {
                ModelTask::Return
            },
            name: v.name,
            version: v.version,
            run_id: v.run_id,
            serving: v.serving,
            created_at: v.created_at,
        })
        .collect();
    Ok((runs, versions))
}

pub fn estimate_text(e: Option<Estimate>, digits: usize) -> String {
    match e {
        Some(e) => format!(
            "{:.d$} [{:.d$}, {:.d$}]",
            e.value,
            e.low,
            e.high,
            d = digits
        ),
        None => "–".into(),
    }
}

fn opt(v: Option<f64>, digits: usize) -> String {
    v.map_or("–".into(), |v| format!("{v:.digits$}"))
}

#[component]
pub fn VerdictBadge(verdict: Option<BaselineVerdict>) -> impl IntoView {
    let (class, text, title) = match verdict {
        Some(BaselineVerdict::Beats) => (
            "badge good",
            "beats",
            "better, and the 95% interval of the difference excludes zero",
        ),
        Some(BaselineVerdict::Inconclusive) => (
            "badge meh",
            "inconclusive",
            "better on the point estimate, but the 95% interval includes zero",
        ),
        Some(BaselineVerdict::DoesNotBeat) => ("badge bad", "does not beat", "equal or worse"),
        None => ("badge", "baseline", "a naive baseline"),
    };
    view! { <span class=class title=title data-testid="verdict">{text}</span> }
}

fn no_report() -> AnyView {
    view! {
        <p class="empty" data-testid="no-models">
            "No trained models yet. Train them with "<code>"server train crypto"</code>
            " (about ten minutes; "<code>"--quick"</code>" for a smaller run), then reload."
        </p>
    }
    .into_any()
}

#[component]
pub fn ModelsPage() -> impl IntoView {
    let report = Resource::new(|| (), |_| get_model_report());
    view! {
        <section>
            <h1>"Crypto models"</h1>
            <p class="lead">
                "Next-day direction and return of every token, by every model beside its naive baseline. "
                "Tuned on purged walk-forward folds, scored once on the last 180 days, which no model saw."
            </p>
            <nav class="subnav">
                <a href="/crypto/models" aria-current="page">"Comparison"</a>
                <a href="/crypto/clusters">"Token clusters"</a>
                <a href="/experiments">"Experiments"</a>
            </nav>
            <Suspense fallback=|| view! { <p class="loading">"Loading the models…"</p> }>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(Some(r)) => view! { <Comparison r /> }.into_any(),
                        Ok(None) => no_report(),
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A cell of a comparison table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Num(String),
    Verdict(Option<BaselineVerdict>),
}

/// A row: one sort value per column, the cells, and whether it is a baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub sort: Vec<Option<f64>>,
    pub cells: Vec<Cell>,
    pub baseline: bool,
}

/// A table sorted by clicking a header (again: the other direction); missing values sort last.
#[component]
fn SortableTable(
    test_id: &'static str,
    columns: Vec<(&'static str, &'static str, &'static str)>,
    rows: Vec<Row>,
    default_sort: usize,
    descending: bool,
) -> impl IntoView {
    let (sort, set_sort) = signal((default_sort, descending));
    let sorted_rows = move || {
        let (col, desc) = sort.get();
        let mut r = rows.clone();
        r.sort_by(|a, b| match (a.sort[col], b.sort[col]) {
            (Some(x), Some(y)) if desc => y.total_cmp(&x),
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        r.into_iter()
            .map(|row| {
                let cells = row
                    .cells
                    .into_iter()
                    .map(|c| match c {
                        Cell::Text(t) => view! { <td>{t}</td> }.into_any(),
                        Cell::Num(t) => view! { <td class="num">{t}</td> }.into_any(),
                        Cell::Verdict(v) => {
                            view! { <td><VerdictBadge verdict=v /></td> }.into_any()
                        }
                    })
                    .collect_view();
                view! { <tr class:baseline=row.baseline data-testid="model-row">{cells}</tr> }
            })
            .collect_view()
    };
    let header = columns
        .into_iter()
        .enumerate()
        .map(|(i, (key, label, tip))| {
            view! {
                <th class={if i > 0 { "num" } else { "" }} title=tip>
                    <button
                        class="sort"
                        data-testid=format!("sort-{key}")
                        aria-sort=move || match sort.get() {
                            (c, true) if c == i => "descending",
                            (c, false) if c == i => "ascending",
                            _ => "none",
                        }
                        on:click=move |_| set_sort.update(|s| *s = if s.0 == i { (i, !s.1) } else { (i, true) })
                    >
                        {label}
                    </button>
                </th>
            }
        })
        .collect_view();
    view! {
        <table class="data sortable" data-testid=test_id>
            <thead><tr>{header}</tr></thead>
            <tbody>{sorted_rows}</tbody>
        </table>
    }
}

fn token_accuracy<'a>(m: &'a ModelResult, symbol: &str) -> Option<&'a mmi_types::TokenAccuracy> {
    m.per_token.iter().find(|t| t.symbol == symbol)
}

fn direction_rows(models: &[&ModelResult]) -> Vec<Row> {
    models
        .iter()
        .map(|m| {
            let d = m.direction.as_ref();
            let acc = d.map(|d| d.accuracy);
            let auc = d.and_then(|d| d.roc_auc);
            let btc = token_accuracy(m, "BTC");
            let eth = token_accuracy(m, "ETH");
            let token_text = |t: Option<&mmi_types::TokenAccuracy>| {
                t.map_or("–".into(), |t| {
                    format!("{:.3} (up {:.3})", t.accuracy.value, t.always_up)
                })
            };
            let diff = m.versus_baseline.as_ref().map(|(_, e, _)| *e);
            Row {
                sort: vec![
                    None,
                    acc.map(|e| e.value),
                    auc.map(|e| e.value),
                    d.and_then(|d| d.f1).map(|e| e.value),
                    d.and_then(|d| d.pr_auc),
                    btc.map(|t| t.accuracy.value),
                    eth.map(|t| t.accuracy.value),
                    diff.map(|e| e.value),
                    None,
                    m.cv_mean,
                ],
                cells: vec![
                    Cell::Text(m.name.clone()),
                    Cell::Num(estimate_text(acc, 3)),
                    Cell::Num(estimate_text(auc, 3)),
                    Cell::Num(estimate_text(d.and_then(|d| d.f1), 3)),
                    Cell::Num(opt(d.and_then(|d| d.pr_auc), 3)),
                    Cell::Num(token_text(btc)),
                    Cell::Num(token_text(eth)),
                    Cell::Num(diff.map_or("–".into(), |e| {
                        format!("{:+.3} [{:+.3}, {:+.3}]", e.value, e.low, e.high)
                    })),
                    Cell::Verdict(m.versus_baseline.as_ref().map(|(_, _, v)| *v)),
                    Cell::Num(match (m.cv_mean, m.cv_std) {
                        (Some(mean), Some(sd)) => format!("{mean:.3} ± {sd:.3}"),
                        _ => "–".into(),
                    }),
                ],
                baseline: m.baseline,
            }
        })
        .collect()
}

fn return_rows(models: &[&ModelResult]) -> Vec<Row> {
    models
        .iter()
        .map(|m| {
            let r = m.returns.as_ref();
            let close = |symbol: &str| m.close_paths.iter().find(|p| p.symbol == symbol);
            let close_text = |symbol: &str| {
                close(symbol).map_or("–".into(), |p| {
                    format!("{:.2} (persistence {:.2})", p.rmse, p.persistence_rmse)
                })
            };
            let diff = m.versus_baseline.as_ref().map(|(_, e, _)| *e);
            Row {
                sort: vec![
                    None,
                    r.map(|r| r.rmse.value),
                    r.map(|r| r.mae),
                    r.and_then(|r| r.r2),
                    r.map(|r| r.sign_accuracy.value),
                    close("BTC").map(|p| p.rmse),
                    close("ETH").map(|p| p.rmse),
                    diff.map(|e| e.value),
                    None,
                    m.cv_mean,
                ],
                cells: vec![
                    Cell::Text(m.name.clone()),
                    Cell::Num(estimate_text(r.map(|r| r.rmse), 5)),
                    Cell::Num(opt(r.map(|r| r.mae), 5)),
                    Cell::Num(opt(r.and_then(|r| r.r2), 4)),
                    Cell::Num(estimate_text(r.map(|r| r.sign_accuracy), 3)),
                    Cell::Num(close_text("BTC")),
                    Cell::Num(close_text("ETH")),
                    Cell::Num(diff.map_or("–".into(), |e| {
                        format!("{:+.5} [{:+.5}, {:+.5}]", e.value, e.low, e.high)
                    })),
                    Cell::Verdict(m.versus_baseline.as_ref().map(|(_, _, v)| *v)),
                    Cell::Num(match (m.cv_mean, m.cv_std) {
                        (Some(mean), Some(sd)) => format!("{mean:.5} ± {sd:.5}"),
                        _ => "–".into(),
                    }),
                ],
                baseline: m.baseline,
            }
        })
        .collect()
}

const DIRECTION_COLUMNS: [(&str, &str, &str); 10] = [
    ("model", "Model", ""),
    (
        "accuracy",
        "Accuracy [95% CI]",
        "pooled over every token's hold-out days; block bootstrap by day",
    ),
    ("roc_auc", "ROC-AUC [95% CI]", "0.5 is chance"),
    ("f1", "F1 [95% CI]", "of the up class"),
    ("pr_auc", "PR-AUC", "average precision of the up class"),
    (
        "btc",
        "BTC accuracy",
        "BTC's 180 hold-out days; in brackets: always-up on the same days",
    ),
    (
        "eth",
        "ETH accuracy",
        "ETH's 180 hold-out days; in brackets: always-up on the same days",
    ),
    (
        "vs_baseline",
        "− always-up [95% CI]",
        "accuracy minus always-up's, paired block bootstrap",
    ),
    ("verdict", "Verdict", ""),
    (
        "cv",
        "Walk-forward ROC-AUC",
        "mean ± sd over the folds, for the chosen parameters",
    ),
];

const RETURN_COLUMNS: [(&str, &str, &str); 10] = [
    ("model", "Model", ""),
    (
        "rmse",
        "RMSE [95% CI]",
        "of the next-day log return, pooled",
    ),
    ("mae", "MAE", "of the next-day log return"),
    ("r2", "R²", "below 0: worse than the hold-out mean"),
    (
        "sign",
        "Sign accuracy [95% CI]",
        "share of days whose predicted return has the right sign",
    ),
    (
        "btc",
        "BTC close RMSE (USD)",
        "in brackets: persistence, tomorrow = today",
    ),
    ("eth", "ETH close RMSE (USD)", "in brackets: persistence"),
    (
        "vs_baseline",
        "− persistence [95% CI]",
        "RMSE minus persistence's: negative is better",
    ),
    ("verdict", "Verdict", ""),
    (
        "cv",
        "Walk-forward RMSE",
        "mean ± sd over the folds, for the chosen parameters",
    ),
];

#[component]
fn Comparison(r: ModelReport) -> impl IntoView {
    let s = r.split.clone();
    let direction: Vec<&ModelResult> = r
        .models
        .iter()
        .filter(|m| m.task == ModelTask::Direction)
        .collect();
    let returns: Vec<&ModelResult> = r
        .models
        .iter()
        .filter(|m| m.task == ModelTask::Return)
        .collect();
    let classifiers: Vec<&ModelResult> =
        direction.iter().copied().filter(|m| !m.baseline).collect();
    let regressors: Vec<&ModelResult> = returns.iter().copied().filter(|m| !m.baseline).collect();
    let base_rate = direction
        .iter()
        .find(|m| m.name == "always_up")
        .and_then(|m| m.direction.as_ref())
        .map_or(0.5, |d| d.accuracy.value);
    let roc = to_json(&roc_chart(&classifiers));
    let pr = to_json(&pr_chart(&classifiers, base_rate));
    let lc_direction = to_json(&learning_chart(&classifiers, "ROC-AUC"));
    let lc_return = to_json(&learning_chart(&regressors, "RMSE"));
    let confusions = classifiers
        .iter()
        .filter_map(|m| Some((m.name.clone(), m.direction.as_ref()?.confusion)))
        .map(|(name, c)| {
            view! {
                <table class="confusion" data-testid="confusion">
                    <caption>{name}</caption>
                    <thead><tr><th></th><th>"predicted up"</th><th>"predicted down"</th></tr></thead>
                    <tbody>
                        <tr><th>"up"</th><td class="num hit">{c.tp}</td><td class="num">{c.fn_}</td></tr>
                        <tr><th>"down"</th><td class="num">{c.fp}</td><td class="num hit">{c.tn}</td></tr>
                    </tbody>
                </table>
            }
        })
        .collect_view();

    let importance_options: Vec<(String, String)> = classifiers
        .iter()
        .map(|m| (m.name.clone(), to_json(&importance_chart(m, "ROC-AUC", 15))))
        .chain(regressors.iter().map(|m| {
            (
                format!("{} (return)", m.name),
                to_json(&importance_chart(m, "−RMSE", 15)),
            )
        }))
        .collect();
    let close_options: Vec<(String, String)> = regressors
        .iter()
        .flat_map(|m| {
            m.close_paths
                .iter()
                .map(|p| {
                    (
                        format!("{} · {}", p.symbol, m.name),
                        to_json(&close_chart(p, &m.name)),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let direction_rows = direction_rows(&direction);
    let return_rows = return_rows(&returns);
    view! {
        <p class="note" data-testid="split">
            {format!(
                "Run {} · {} tokens, {} rows, {} features · train {} to {} ({} rows), {}-day purge gap, hold-out {} to {} ({} rows) · {} walk-forward folds of {} days with a {}-day embargo · 95% intervals: block bootstrap of {}-day blocks, {} resamples, seed {} · finished {}",
                r.run_id.map_or("–".into(), |id| id.to_string()), s.tokens, s.rows, s.features.len(), s.train_from, s.train_to, s.train_rows, s.gap_days,
                s.test_from, s.test_to, s.test_rows, s.cv_folds, s.cv_test_days, s.cv_embargo_days, s.bootstrap_block_days, s.bootstrap_resamples, s.seed, r.finished_at
            )}
        </p>
        <h2>"Next-day direction"</h2>
        <SortableTable test_id="direction-table" columns=DIRECTION_COLUMNS.to_vec() rows=direction_rows default_sort=1 descending=true />
        <div class="chart-grid">
            <EChart option=Signal::derive(move || Some(roc.clone())) test_id="chart-roc" label="ROC curves of the classifiers" height_px=380 />
            <EChart option=Signal::derive(move || Some(pr.clone())) test_id="chart-pr" label="Precision-recall curves of the classifiers" height_px=380 />
        </div>
        <h3>"Confusion matrices (hold-out, threshold 0.5)"</h3>
        <div class="confusions">{confusions}</div>
        <h2>"Next-day return and close"</h2>
        <SortableTable test_id="return-table" columns=RETURN_COLUMNS.to_vec() rows=return_rows default_sort=1 descending=false />
        <ChartPicker test_id="chart-close" label="Predicted vs actual close" options=close_options />
        <h2>"Learning curves"</h2>
        <div class="chart-grid">
            <EChart option=Signal::derive(move || Some(lc_direction.clone())) test_id="chart-learning-direction" label="Learning curves of the classifiers" height_px=360 />
            <EChart option=Signal::derive(move || Some(lc_return.clone())) test_id="chart-learning-return" label="Learning curves of the regressors" height_px=360 />
        </div>
        <h2>"Feature importance"</h2>
        <ChartPicker test_id="chart-importance" label="Permutation importance" options=importance_options />
    }
}

/// A select choosing which of several prepared charts to draw.
#[component]
fn ChartPicker(
    test_id: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
) -> impl IntoView {
    let (chosen, set_chosen) = signal(0usize);
    let names: Vec<String> = options.iter().map(|(n, _)| n.clone()).collect();
    let option = Signal::derive(move || options.get(chosen.get()).map(|(_, json)| json.clone()));
    view! {
        <div class="picker">
            <label>
                {label}": "
                <select
                    data-testid=format!("{test_id}-select")
                    on:change=move |ev| set_chosen.set(event_target_value(&ev).parse().unwrap_or(0))
                >
                    {names
                        .into_iter()
                        .enumerate()
                        .map(|(i, n)| view! { <option value=i.to_string()>{n}</option> })
                        .collect_view()}
                </select>
            </label>
            <EChart option test_id=test_id label=label height_px=420 />
        </div>
    }
}

#[component]
pub fn ClustersPage() -> impl IntoView {
    let report = Resource::new(|| (), |_| get_model_report());
    view! {
        <section>
            <h1>"Token clusters"</h1>
            <p class="lead">
                "Tokens grouped by how their daily returns move: each token's standardised log returns over the last 240 days, "
                "clustered by k-means (k chosen by the mean silhouette) and by Ward's agglomerative clustering."
            </p>
            <nav class="subnav">
                <a href="/crypto/models">"Comparison"</a>
                <a href="/crypto/clusters" aria-current="page">"Token clusters"</a>
                <a href="/experiments">"Experiments"</a>
            </nav>
            <Suspense fallback=|| view! { <p class="loading">"Loading the clusters…"</p> }>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(Some(ModelReport { clusters: Some(c), .. })) => {
                            let scatter = to_json(&cluster_scatter(&c));
                            let silhouette = to_json(&silhouette_chart(&c));
                            let dendrogram = to_json(&dendrogram_chart(&c));
                            let rows = c
                                .symbols
                                .iter()
                                .zip(c.kmeans_labels.iter().zip(&c.hierarchical_labels))
                                .map(|(s, (k, h))| view! {
                                    <tr data-testid="cluster-row">
                                        <td class="symbol"><a href=format!("/crypto/{s}")>{s.clone()}</a></td>
                                        <td class="num">{k + 1}</td>
                                        <td class="num">{h + 1}</td>
                                    </tr>
                                })
                                .collect_view();
                            view! {
                                <p class="note" data-testid="cluster-window">
                                    {format!("{} to {} · {} tokens · k = {} · left out (missing days): {}", c.from_day, c.to_day, c.symbols.len(), c.chosen_k,
                                        if c.excluded.is_empty() { "none".to_string() } else { c.excluded.join(", ") })}
                                </p>
                                <div class="chart-grid">
                                    <EChart option=Signal::derive(move || Some(scatter.clone())) test_id="chart-clusters" label="Tokens on two principal components coloured by cluster" height_px=460 />
                                    <EChart option=Signal::derive(move || Some(dendrogram.clone())) test_id="chart-dendrogram" label="Dendrogram" height_px=460 />
                                </div>
                                <div class="chart-grid">
                                    <EChart option=Signal::derive(move || Some(silhouette.clone())) test_id="chart-silhouette" label="Silhouette by k" height_px=280 />
                                    <table class="data" data-testid="cluster-table">
                                        <thead><tr><th>"Token"</th><th class="num">"k-means cluster"</th><th class="num">"Ward cluster"</th></tr></thead>
                                        <tbody>{rows}</tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }
                        Ok(_) => no_report(),
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn ExperimentsPage() -> impl IntoView {
    let runs = Resource::new(|| (), |_| get_runs());
    view! {
        <section>
            <h1>"Experiments"</h1>
            <p class="lead">"Every tracked training run: its parameters, metrics and artifacts, and the registered model versions."</p>
            <nav class="subnav">
                <a href="/crypto/models">"Comparison"</a>
                <a href="/crypto/clusters">"Token clusters"</a>
                <a href="/experiments" aria-current="page">"Experiments"</a>
            </nav>
            <Suspense fallback=|| view! { <p class="loading">"Loading the runs…"</p> }>
                {move || Suspend::new(async move {
                    match runs.await {
                        Ok((runs, _)) if runs.is_empty() => no_report(),
                        Ok((runs, versions)) => view! { <Runs runs versions /> }.into_any(),
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The step-0 metrics worth a column, in order.
const HEADLINE_METRICS: [&str; 6] = [
    "holdout_accuracy",
    "holdout_roc_auc",
    "holdout_rmse",
    "holdout_sign_accuracy",
    "cv_roc_auc",
    "cv_rmse",
];

#[component]
fn Runs(runs: Vec<RunSummary>, versions: Vec<ModelVersionSummary>) -> impl IntoView {
    let version_rows = versions
        .into_iter()
        .map(|v| {
            view! {
                <tr data-testid="version-row">
                    <td>{v.task.as_str()}</td>
                    <td>{v.name}</td>
                    <td class="num">{v.version}</td>
                    <td class="num">{v.run_id}</td>
                    <td>{if v.serving { view! { <span class="badge good">"serving"</span> }.into_any() } else { "".into_any() }}</td>
                    <td>{v.created_at}</td>
                </tr>
            }
        })
        .collect_view();
    let run_rows = runs
        .into_iter()
        .map(|r| {
            let metric = |key: &str| r.metrics.iter().find(|(k, _)| k == key).map(|(_, v)| *v);
            let metrics = HEADLINE_METRICS
                .iter()
                .filter_map(|k| metric(k).map(|v| format!("{k} {v:.4}")))
                .collect::<Vec<_>>()
                .join(" · ");
            let params = r
                .params
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(", ");
            let artifacts = r
                .artifacts
                .iter()
                .map(|a| format!("{} ({} KB, sha256 {}…)", a.name, a.size_bytes / 1024, &a.sha256[..12]))
                .collect::<Vec<_>>()
                .join(", ");
            let status_class = format!("status {}", r.status);
            view! {
                <tr data-testid="run-row" class:child=r.parent_id.is_some()>
                    <td class="num">{r.id}</td>
                    <td>{r.name}</td>
                    <td><span class=status_class>{r.status}</span></td>
                    <td>{r.started_at}</td>
                    <td>{r.ended_at.unwrap_or_default()}</td>
                    <td><code>{r.git_commit.map(|c| c.chars().take(8).collect::<String>()).unwrap_or_default()}</code></td>
                    <td class="params">{params}</td>
                    <td class="params">{metrics}</td>
                    <td class="params">{artifacts}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2>"Model registry"</h2>
        <table class="data" data-testid="versions-table">
            <thead><tr><th>"Task"</th><th>"Model"</th><th class="num">"Version"</th><th class="num">"Run"</th><th>"Serving"</th><th>"Registered"</th></tr></thead>
            <tbody>{version_rows}</tbody>
        </table>
        <h2>"Runs"</h2>
        <table class="data runs" data-testid="runs-table">
            <thead><tr><th class="num">"Run"</th><th>"Name"</th><th>"Status"</th><th>"Started"</th><th>"Ended"</th><th>"Commit"</th><th>"Params"</th><th>"Metrics"</th><th>"Artifacts"</th></tr></thead>
            <tbody>{run_rows}</tbody>
        </table>
    }
}
