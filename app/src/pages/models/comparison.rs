//! `/crypto/models`: every model beside its baselines (metrics with 95% intervals, sortable), ROC
//! and PR curves, confusion matrices, learning curves, importances, predicted against actual closes.

use leptos::prelude::*;
use mmi_types::{ModelReport, ModelResult, ModelTask};

use super::report::{estimate_text, get_model_report, no_report, opt};
use super::table::{Cell, Row, SortableTable};
use crate::charts::{
    close_chart, importance_chart, learning_chart, loss_chart, pr_chart, roc_chart, to_json, EChart,
};

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
                        Ok(None) => no_report(Callback::new(move |()| report.refetch())),
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
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
    // Learning curves by training size: the classical models (a network's is its epoch losses).
    fn sized<'a>(ms: &[&'a ModelResult]) -> Vec<&'a ModelResult> {
        ms.iter()
            .copied()
            .filter(|m| !m.learning_curve.is_empty())
            .collect()
    }
    let lc_direction = to_json(&learning_chart(&sized(&classifiers), "ROC-AUC"));
    let lc_return = to_json(&learning_chart(&sized(&regressors), "RMSE"));
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

    // The networks: loss per epoch of their hold-out fit (one network gives both rows).
    let epoch_options: Vec<(String, String)> = classifiers
        .iter()
        .filter(|m| !m.epoch_losses.is_empty())
        .map(|m| {
            let title = format!(
                "{}: loss per epoch (return MSE + direction cross-entropy), hold-out fit",
                m.name
            );
            (
                m.name.clone(),
                to_json(&loss_chart(&title, &m.epoch_losses)),
            )
        })
        .collect();
    let importance_options: Vec<(String, String)> = classifiers
        .iter()
        .filter(|m| !m.importance.is_empty())
        .map(|m| (m.name.clone(), to_json(&importance_chart(m, "ROC-AUC", 15))))
        .chain(
            regressors
                .iter()
                .filter(|m| !m.importance.is_empty())
                .map(|m| {
                    (
                        format!("{} (return)", m.name),
                        to_json(&importance_chart(m, "−RMSE", 15)),
                    )
                }),
        )
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
        {(!epoch_options.is_empty()).then(|| view! {
            <ChartPicker test_id="chart-epochs" label="Recurrent networks, loss per epoch" options=epoch_options />
        })}
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
