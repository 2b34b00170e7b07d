//! `/nutrition`: the USDA foods explored: nutrient distributions, correlations, macro shares by
//! food group, missingness, the food explorer (search, profile, similar foods) and the groups.

use leptos::prelude::*;
use mmi_types::NutritionEda;

use super::food::FoodExplorer;
use super::groups::FoodGroupTable;
use std::sync::Arc;

use crate::charts::{
    correlation_heatmap, histogram_bars, lazy_chart, macro_scatter, missingness_chart, EChart,
};
use crate::format::thousands;

/// The EDA of the stored foods (computed once per import and kept), or `None` without foods.
#[server(prefix = "/sfn", endpoint = "nutrition_eda", output = crate::codec::Json)]
pub async fn get_nutrition_eda() -> Result<Option<NutritionEda>, ServerFnError> {
    use crate::state::{serve_error, services};
    services()?.nutrition_eda().await.map_err(serve_error)
}

#[component]
pub fn NutritionPage() -> impl IntoView {
    let eda = Resource::new(|| (), |_| get_nutrition_eda());
    view! {
        <section>
            <h1>"Nutrition"</h1>
            <p class="lead">
                "USDA SR26 foods (per 100 g edible portion): how nutrients are distributed and related, "
                "which values USDA never measured, and any food's profile with its most similar foods."
            </p>
            <nav class="subnav">
                <a href="/nutrition" aria-current="page">"Foods"</a>
                <a href="/nutrition/models">"Models"</a>
                <a href="/experiments">"Experiments"</a>
            </nav>
            <FoodExplorer />
            <Suspense fallback=|| view! { <p class="loading">"Loading the foods…"</p> }>
                {move || Suspend::new(async move {
                    match eda.await {
                        Ok(None) => view! {
                            <p class="empty" data-testid="no-foods">"No foods yet: import data first (see the home page)."</p>
                        }.into_any(),
                        Ok(Some(e)) => eda_view(e).into_any(),
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <h2>"Food groups"</h2>
            <FoodGroupTable />
        </section>
    }
}

fn eda_view(e: NutritionEda) -> impl IntoView {
    let e = Arc::new(e);
    let histograms = e
        .histograms
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let of = e.clone();
            let option = lazy_chart(move || histogram_bars(&of.histograms[i]));
            let zero = format!(
                "{} foods, {} of them zero; median {}",
                thousands(h.n_present as i64),
                thousands(h.n_zero as i64),
                h.median.map_or("–".into(), |m| format!("{m:.2} {}", h.unit))
            );
            view! {
                <figure class="histogram" data-testid="nutrient-histogram" data-key=h.key.clone()>
                    <EChart option test_id="chart-histogram" label="Nutrient distribution" height_px=220 />
                    <figcaption>{zero}</figcaption>
                </figure>
            }
        })
        .collect_view();
    let of = e.clone();
    let heatmap = lazy_chart(move || {
        correlation_heatmap(
            "Spearman correlation between nutrients (foods with both values)",
            &of.correlation.names,
            &of.correlation.values,
        )
    });
    let of = e.clone();
    let scatter = lazy_chart(move || macro_scatter(&of.macro_points, &of.groups));
    let of = e.clone();
    let missing = lazy_chart(move || missingness_chart(&of.missingness));
    let missing_rows = e
        .missingness
        .iter()
        .take(10)
        .map(|m| {
            view! {
                <tr data-testid="missing-row">
                    <td>{m.name.clone()}</td>
                    <td class="num">{thousands(m.missing as i64)}</td>
                    <td class="num">{format!("{:.1} %", m.share * 100.0)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="note" data-testid="food-count">
            {format!("{} foods in {} USDA groups; {} with protein, fat and carbohydrate shown in the macro chart.",
                thousands(e.foods as i64), e.groups.len(), thousands(e.macro_points.len() as i64))}
        </p>
        <h2>"Distributions"</h2>
        <div class="histogram-grid">{histograms}</div>
        <h2>"Relations"</h2>
        <div class="chart-grid">
            <EChart option=heatmap test_id="chart-nutrient-heatmap" label="Nutrient correlation heatmap" height_px=520 />
            <EChart option=scatter test_id="chart-macro-scatter" label="Protein and fat share of energy by food group" height_px=520 />
        </div>
        <h2>"Missing values"</h2>
        <div class="chart-grid">
            <EChart option=missing test_id="chart-missingness" label="Share of foods missing each nutrient" height_px=760 />
            <table class="data" data-testid="missing-table">
                <thead><tr><th>"Most often missing"</th><th class="num">"Foods"</th><th class="num">"Share"</th></tr></thead>
                <tbody>{missing_rows}</tbody>
            </table>
        </div>
    }
}
