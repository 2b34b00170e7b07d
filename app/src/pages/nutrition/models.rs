//! `/nutrition/models`: the latest `server train nutrition` run: the diet-label models beside the
//! majority baseline on the hold-out foods, the regressions beside the training mean, the k-means
//! food groups against USDA's, and the food embeddings' neighbour checks.

use leptos::prelude::*;
use mmi_types::{BaselineVerdict, DietModelResult, NutritionReport, RegressionTarget};

use crate::charts::{
    embedding_scatter, f1_learning_chart, label_f1_chart, loss_chart, residual_chart,
    residual_scatter, silhouette_by_k, to_json, EChart,
};
use crate::pages::models::VerdictBadge;

/// The report of the latest finished `server train nutrition`, if any.
#[server(prefix = "/sfn", endpoint = "nutrition_report", output = crate::codec::Json)]
pub async fn get_nutrition_report() -> Result<Option<NutritionReport>, ServerFnError> {
    use crate::state::{serve_error, services};
    services()?.nutrition_report().await.map_err(serve_error)
}

/// Beats the baseline when the model's macro-F1 interval lies wholly above the baseline's.
fn verdict(m: &DietModelResult, baseline: Option<&DietModelResult>) -> Option<BaselineVerdict> {
    let b = baseline?;
    if m.baseline {
        return None;
    }
    Some(if m.macro_f1_low > b.macro_f1_high {
        BaselineVerdict::Beats
    } else if m.macro_f1 > b.macro_f1 {
        BaselineVerdict::Inconclusive
    } else {
        BaselineVerdict::DoesNotBeat
    })
}

fn f3(v: f64) -> String {
    format!("{v:.3}")
}

#[component]
pub fn NutritionModelsPage() -> impl IntoView {
    let report = Resource::new(|| (), |_| get_nutrition_report());
    view! {
        <section>
            <h1>"Nutrition models"</h1>
            <p class="lead">
                "Diet labels learnt from nutrient values alone, energy and nutrient density predicted from composition, "
                "food groups found by k-means, and food embeddings: every model scored once on foods it never saw, beside a naive baseline."
            </p>
            <nav class="subnav">
                <a href="/nutrition">"Foods"</a>
                <a href="/nutrition/models" aria-current="page">"Models"</a>
                <a href="/experiments">"Experiments"</a>
            </nav>
            <Suspense fallback=|| view! { <p class="loading">"Loading the models…"</p> }>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(Some(r)) => report_view(r).into_any(),
                        Ok(None) => view! {
                            <crate::pages::Untrained domain="nutrition" retry=Callback::new(move |()| report.refetch())>
                                <p class="empty" data-testid="no-models">
                                    "No trained nutrition models yet. A first start trains them by itself; by hand: "
                                    <code>"server train nutrition"</code>
                                    " (a few minutes; "<code>"--quick"</code>" for a smaller run)."
                                </p>
                            </crate::pages::Untrained>
                        }.into_any(),
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn report_view(r: NutritionReport) -> impl IntoView {
    let baseline = r.diet.iter().find(|m| m.baseline).cloned();
    let rows = r
        .diet
        .iter()
        .map(|m| {
            let v = verdict(m, baseline.as_ref());
            view! {
                <tr class:baseline=m.baseline data-testid="diet-row" data-model=m.name.clone()>
                    <td>{m.name.replace('_', " ")}{m.version.map(|v| format!(" v{v}")).unwrap_or_default()}</td>
                    <td class="num" data-testid="macro-f1">{format!("{:.3} [{:.3}, {:.3}]", m.macro_f1, m.macro_f1_low, m.macro_f1_high)}</td>
                    <td class="num">{f3(m.micro_f1)}</td>
                    <td class="num">{f3(m.hamming_loss)}</td>
                    <td class="num">{f3(m.subset_accuracy)}</td>
                    <td class="num">{format!("{:.1} s", m.fit_seconds)}</td>
                    <td><VerdictBadge verdict=v /></td>
                </tr>
            }
        })
        .collect_view();
    let label_rows = r
        .labels
        .iter()
        .enumerate()
        .map(|(l, name)| {
            let cells = r
                .diet
                .iter()
                .map(|m| {
                    let s = &m.per_label[l];
                    view! { <td class="num" title=format!("precision {} · recall {}", s.precision.map_or("–".into(), f3), s.recall.map_or("–".into(), f3))>{f3(s.f1)}</td> }
                })
                .collect_view();
            view! {
                <tr data-testid="label-row">
                    <td>{name.replace('_', " ")}</td>
                    <td class="num">{format!("{:.1} %", r.prevalence[l] * 100.0)}</td>
                    <td class="num">{r.diet.first().map_or(0, |m| m.per_label[l].support)}</td>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let model_heads = r
        .diet
        .iter()
        .map(|m| view! { <th class="num">{m.name.replace('_', " ")}</th> })
        .collect_view();
    let f1_chart = to_json(&label_f1_chart(&r.diet, &r.labels));
    let learners: Vec<&DietModelResult> = r.diet.iter().filter(|m| !m.baseline).collect();
    let learning = to_json(&f1_learning_chart(&learners));
    let network_loss = r.diet.iter().find(|m| !m.epochs.is_empty()).map(|m| {
        to_json(&loss_chart(
            "Diet network: binary cross-entropy per epoch",
            &m.epochs,
        ))
    });
    let regression = r.regression.iter().map(regression_view).collect_view();
    let c = &r.clusters;
    let silhouette = to_json(&silhouette_by_k(
        "Food k-means: mean silhouette by k",
        &c.silhouettes,
        c.chosen_k,
    ));
    let dominant = c
        .dominant
        .iter()
        .enumerate()
        .map(|(k, (g, share))| {
            view! {
                <tr data-testid="food-cluster-row">
                    <td class="num">{k + 1}</td>
                    <td class="num">{c.contingency[k].iter().sum::<u32>()}</td>
                    <td>{g.clone()}</td>
                    <td class="num">{format!("{:.0} %", share * 100.0)}</td>
                </tr>
            }
        })
        .collect_view();
    let e = &r.embedding;
    let quality = e
        .quality
        .iter()
        .map(|q| {
            view! {
                <tr data-testid="neighbour-row">
                    <td>{q.method.clone()}</td>
                    <td class="num">{format!("{:.1} %", q.same_group * 100.0)}</td>
                    <td class="num">{f3(q.macro_distance)}</td>
                </tr>
            }
        })
        .collect_view();
    let projection = to_json(&embedding_scatter(&r.projection, &r.groups));
    let embed_loss = to_json(&loss_chart(
        "Food embedding: masked reconstruction + triplet loss per epoch",
        &e.epochs,
    ));
    view! {
        <p class="note" data-testid="nutrition-split">
            {format!(
                "Run {} · {} · {} foods, {} with every diet label decided ({} left out: a rule's nutrient is missing); stratified split: {} training, {} validation (thresholds, early stopping), {} hold-out · seed {}",
                r.run_id.map_or("–".into(), |id| id.to_string()), r.finished_at, r.foods, r.labelled_foods, r.undecided_foods,
                r.train_foods, r.validation_foods, r.test_foods, r.seed)}
        </p>
        <h2>"Diet labels (multi-label)"</h2>
        <p class="note">"Inputs: the 46 nutrient values only (log-scaled where skewed, median-filled, standardised on the training foods), never the description or food group the rules read. Per-label thresholds chosen on the validation foods. Macro F1 with a 95% bootstrap interval over hold-out foods."</p>
        <table class="data" data-testid="diet-table">
            <thead><tr><th>"Model"</th><th class="num">"Macro F1 [95% CI]"</th><th class="num">"Micro F1"</th><th class="num">"Hamming loss"</th><th class="num">"All labels right"</th><th class="num">"Fit"</th><th>"vs majority"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <table class="data" data-testid="label-table">
            <thead><tr><th>"Label"</th><th class="num">"Prevalence"</th><th class="num">"Hold-out positives"</th>{model_heads}</tr></thead>
            <tbody>{label_rows}</tbody>
        </table>
        <div class="chart-grid">
            <EChart option=Signal::derive(move || Some(f1_chart.clone())) test_id="chart-label-f1" label="F1 per diet label" height_px=360 />
            <EChart option=Signal::derive(move || Some(learning.clone())) test_id="chart-diet-learning" label="Learning curves" height_px=360 />
        </div>
        {network_loss.map(|json| view! {
            <EChart option=Signal::derive(move || Some(json.clone())) test_id="chart-diet-loss" label="Network loss per epoch" height_px=280 />
        })}
        <h2>"Regression from composition"</h2>
        {regression}
        <h2>"Food groups by k-means"</h2>
        <p class="note" data-testid="food-clusters">
            {format!("k = {} by silhouette; adjusted Rand index against the {} USDA groups: {:.3} (1 = the same partition, 0 = chance).", c.chosen_k, r.groups.len(), c.adjusted_rand_index)}
        </p>
        <div class="chart-grid">
            <EChart option=Signal::derive(move || Some(silhouette.clone())) test_id="chart-food-silhouette" label="Silhouette by k" height_px=280 />
            <table class="data">
                <thead><tr><th class="num">"Cluster"</th><th class="num">"Foods"</th><th>"Most common USDA group"</th><th class="num">"Share"</th></tr></thead>
                <tbody>{dominant}</tbody>
            </table>
        </div>
        <h2>"Food embeddings"</h2>
        <p class="note" data-testid="embedding-summary">
            {format!("{} dimensions{}; checked on {} foods the network never saw. int8 table: {} KB (f32: {} KB), top-5 agreement with f32: {:.1} %.",
                e.dim, e.version.map(|v| format!(", version {v}")).unwrap_or_default(), e.held_out_foods,
                e.int8_bytes / 1024, e.f32_bytes / 1024, e.int8_recall_at_5 * 100.0)}
        </p>
        <table class="data" data-testid="neighbour-table">
            <thead><tr><th>"Five nearest foods by"</th><th class="num">"Same USDA group"</th><th class="num">"Mean |Δ energy share|"</th></tr></thead>
            <tbody>{quality}</tbody>
        </table>
        <div class="chart-grid">
            <EChart option=Signal::derive(move || Some(projection.clone())) test_id="chart-embedding" label="Food embeddings projected" height_px=520 />
            <EChart option=Signal::derive(move || Some(embed_loss.clone())) test_id="chart-embedding-loss" label="Embedding loss per epoch" height_px=520 />
        </div>
    }
}

fn regression_view(t: &RegressionTarget) -> impl IntoView {
    let best = t
        .models
        .iter()
        .filter(|m| !m.baseline)
        .min_by(|a, b| a.rmse.total_cmp(&b.rmse))
        .cloned();
    let rows = t
        .models
        .iter()
        .map(|m| view! {
            <tr class:baseline=m.baseline data-testid="regression-row">
                <td>{m.name.replace('_', " ")}</td>
                <td class="num">{format!("{:.2} [{:.2}, {:.2}]", m.rmse, m.rmse_low, m.rmse_high)}</td>
                <td class="num">{format!("{:.2}", m.mae)}</td>
                <td class="num">{m.r2.map_or("–".into(), f3)}</td>
                <td class="num">{format!("{:.1} s", m.fit_seconds)}</td>
                <td class="small">{m.top_features.iter().take(4).map(|(k, v)| format!("{k} {v:+.2}")).collect::<Vec<_>>().join(", ")}</td>
            </tr>
        })
        .collect_view();
    let charts = best.map(|b| {
        (
            to_json(&residual_chart(&t.name, &t.unit, &b)),
            to_json(&residual_scatter(&t.name, &t.unit, &b)),
        )
    });
    view! {
        <h3>{format!("{} ({}): {} training, {} hold-out foods", t.name, t.unit, t.train_rows, t.test_rows)}</h3>
        <div class="chart-grid">
            <table class="data" data-testid="regression-table" data-target=t.key.clone()>
                <thead><tr><th>"Model"</th><th class="num">"RMSE [95% CI]"</th><th class="num">"MAE"</th><th class="num">"R²"</th><th class="num">"Fit"</th><th>"Largest coefficients (per unit)"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            {charts.clone().map(|(json, _)| view! {
                <EChart option=Signal::derive(move || Some(json.clone())) test_id="chart-predicted" label="Predicted against actual" height_px=340 />
            })}
        </div>
        {charts.map(|(_, json)| view! {
            <EChart option=Signal::derive(move || Some(json.clone())) test_id="chart-residuals" label="Residuals against the prediction" height_px=300 />
        })}
    }
}
