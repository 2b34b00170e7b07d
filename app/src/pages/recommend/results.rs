//! `/recommend/results`: the token recommender's methods on the test traders' held-out tokens
//! beside popularity (with 95% intervals and a paired verdict), how they were tuned, the
//! simulated population, and the food suggestions' embedding beside its baselines.

use leptos::prelude::*;
use mmi_types::{BaselineVerdict, NutritionReport, RecommenderReport};

use super::{get_recommender_report, not_trained};
use crate::charts::{hybrid_weight_chart, recommender_metrics_chart, to_json, EChart};
use crate::pages::models::{estimate_text, opt, VerdictBadge};
use crate::pages::nutrition::get_nutrition_report;

fn verdict(e: Option<mmi_types::Estimate>) -> Option<BaselineVerdict> {
    let e = e?;
    Some(if e.value <= 0.0 {
        BaselineVerdict::DoesNotBeat
    } else if e.low > 0.0 {
        BaselineVerdict::Beats
    } else {
        BaselineVerdict::Inconclusive
    })
}

#[component]
pub fn RecommendResultsPage() -> impl IntoView {
    let report = Resource::new(|| (), |_| get_recommender_report());
    let nutrition = Resource::new(|| (), |_| get_nutrition_report());
    view! {
        <section class="page recommend-results">
            <h1>"Recommenders: results"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(Some(r)) => tokens_view(r).into_any(),
                        Ok(None) => not_trained(Some(Callback::new(move |()| report.refetch()))),
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match nutrition.await {
                        Ok(Some(n)) => foods_view(n).into_any(),
                        Ok(None) => ().into_any(),
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn tokens_view(r: RecommenderReport) -> impl IntoView {
    let metrics = to_json(&recommender_metrics_chart(&r));
    let hybrid = to_json(&hybrid_weight_chart(&r));
    let k = r.k;
    let rows = r
        .results
        .iter()
        .map(|m| {
            let class = if m.baseline { "baseline" } else { "" };
            view! {
                <tr class=class data-testid="recommender-row" data-method=m.method.clone()>
                    <td title=m.label.clone()>{m.method.clone()}</td>
                    <td class="num">{format!("{:.3}", m.precision.value)}</td>
                    <td class="num">{format!("{:.3}", m.recall.value)}</td>
                    <td class="num" data-testid="ndcg">{estimate_text(Some(m.ndcg), 3)}</td>
                    <td class="num">{format!("{:.3}", m.hit_rate.value)}</td>
                    <td class="num">{estimate_text(m.ndcg_vs_popularity, 3)}</td>
                    <td>{(!m.baseline).then(|| view! { <VerdictBadge verdict=verdict(m.ndcg_vs_popularity) /> })}{m.baseline.then(|| view! { <VerdictBadge verdict=None /> })}</td>
                    <td class="num">{format!("{:.2}", m.coverage)}</td>
                    <td class="num">{opt(m.diversity, 3)}</td>
                    <td class="num">{opt(m.novelty, 2)}</td>
                    <td class="num">{format!("{:.3}", m.validation_ndcg)}</td>
                </tr>
            }
        })
        .collect_view();
    let tuning = r
        .tuning
        .iter()
        .map(|t| {
            view! {
                <tr class=if t.chosen { "chosen" } else { "" }>
                    <td>{t.method.clone()}</td>
                    <td>{t.params.clone()}</td>
                    <td class="num">{format!("{:.4}", t.validation_ndcg)}</td>
                    <td>{t.chosen.then_some("✓ chosen")}</td>
                </tr>
            }
        })
        .collect_view();
    let archetypes = r
        .archetypes
        .iter()
        .map(|a| {
            let top = a
                .top_tokens
                .iter()
                .map(|(s, p)| format!("{s} {:.0}%", 100.0 * p))
                .collect::<Vec<_>>()
                .join(", ");
            view! {
                <tr data-testid="archetype-row">
                    <td>{a.name.clone()}</td>
                    <td class="num">{format!("{:.0}%", 100.0 * a.share)}</td>
                    <td class="num">{a.traders}</td>
                    <td>{a.description.clone()}</td>
                    <td>{top}</td>
                </tr>
            }
        })
        .collect_view();
    let features = r.profile_features.clone();
    let profiles = r
        .profiles
        .iter()
        .map(|p| {
            view! {
                <tr>
                    <td><a href=format!("/crypto/{}", p.symbol)>{p.symbol.clone()}</a></td>
                    <td>{p.sector.clone()}</td>
                    {p.values.iter().map(|v| view! { <td class="num">{format!("{v:+.2}")}</td> }).collect_view()}
                </tr>
            }
        })
        .collect_view();
    let food = r.food_bundle.clone();
    view! {
        <p class="lede" data-testid="recommender-summary">
            {format!(
                "Run {} · token model v{} ({} bytes). {} ",
                r.run_id.map_or("–".into(), |v| v.to_string()),
                r.version.map_or("–".into(), |v| v.to_string()),
                r.artifact_bytes,
                "Collaborative filtering cannot be trained on real portfolios (none are public), so it learns from"
            )}
            <strong>"simulated traders"</strong>
            {format!(
                ": {} drawn from {} documented archetypes (seed {}), split {} train / {} validation / {} test. \
                 For each validation and test trader {:.0}% of their tokens are hidden and the methods rank the rest of the catalogue from what is left; \
                 hyperparameters, the collaborative method ({}) and the hybrid's weight ({:.1}) were chosen on validation traders only.",
                r.traders, r.archetypes.len(), r.seed, r.train_traders, r.validation_traders, r.test_traders,
                100.0 * r.held_out_share, r.collaborative, r.hybrid_weight
            )}
        </p>
        <table class="data" data-testid="recommender-table">
            <thead><tr>
                <th>"method"</th><th class="num">{format!("precision@{k}")}</th><th class="num">{format!("recall@{k}")}</th>
                <th class="num">{format!("NDCG@{k} [95% CI]")}</th><th class="num">"hit rate"</th>
                <th class="num">"NDCG − popularity [95% CI]"</th><th>"vs popularity"</th>
                <th class="num">"coverage"</th><th class="num">"diversity"</th><th class="num">"novelty (bits)"</th>
                <th class="num">"validation NDCG"</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <p class="note">
            "Intervals: 1,000 bootstrap resamples of the test traders; the difference to popularity is paired (same traders). "
            "Coverage: share of the catalogue recommended to anyone; diversity: 1 − mean pairwise behaviour-profile similarity in a list; "
            "novelty: mean −log2 of the share of training traders holding a recommended token. "
            {format!("The int8 artifact's content ranking keeps {:.1}% of the f32 top {k}.", 100.0 * r.int8_recall)}
        </p>
        <div class="chart-grid">
            <EChart option=Signal::derive(move || Some(metrics.clone())) test_id="chart-recommender-metrics" label="Top-K metrics per method" height_px=360 />
            <EChart option=Signal::derive(move || Some(hybrid.clone())) test_id="chart-hybrid-weight" label="Hybrid weight tuning" height_px=360 />
        </div>
        <h2>"Tuning (validation traders)"</h2>
        <table class="data" data-testid="tuning-table">
            <thead><tr><th>"method"</th><th>"candidate"</th><th class="num">{format!("validation NDCG@{k}")}</th><th></th></tr></thead>
            <tbody>{tuning}</tbody>
        </table>
        <h2>"The simulated traders"</h2>
        <table class="data" data-testid="archetype-table">
            <thead><tr><th>"archetype"</th><th class="num">"share"</th><th class="num">"traders"</th><th>"prefers"</th><th>"most held"</th></tr></thead>
            <tbody>{archetypes}</tbody>
        </table>
        <h2>{format!("Token behaviour profiles (z-scores, last {} days to {})", r.profile_days, r.profile_to)}</h2>
        <div class="scroll">
            <table class="data compact" data-testid="profile-table">
                <thead><tr><th>"token"</th><th>"sector"</th>{features.into_iter().map(|f| view! { <th class="num">{f}</th> }).collect_view()}</tr></thead>
                <tbody>{profiles}</tbody>
            </table>
        </div>
        {food.map(|f| view! {
            <h2>"Foods that fill a nutrient gap"</h2>
            <p>{format!(
                "{} simulated days (three foods with at least 50 kcal per 100 g, 200 kcal each, seed {}): \
                 the share of the day's remaining gap across {} nutrients that one portion (100 kcal, at most 300 g) of a suggestion fills.",
                f.gap_days, r.seed, f.gap_nutrients.len()
            )}</p>
            <table class="data" data-testid="gap-table">
                <thead><tr><th>"method"</th><th class="num">"mean fill of the top 5 [95% CI]"</th><th class="num">"first pick [95% CI]"</th><th class="num">"different foods suggested"</th></tr></thead>
                <tbody>
                    {f.gap_methods.iter().map(|m| view! {
                        <tr data-testid="gap-row" class=if m.baseline { "baseline" } else { "" }>
                            <td>{m.method.clone()}</td>
                            <td class="num">{format!("{:.1}% [{:.1}, {:.1}]", 100.0 * m.mean_fill.value, 100.0 * m.mean_fill.low, 100.0 * m.mean_fill.high)}</td>
                            <td class="num">{format!("{:.1}% [{:.1}, {:.1}]", 100.0 * m.top1_fill.value, 100.0 * m.top1_fill.low, 100.0 * m.top1_fill.high)}</td>
                            <td class="num">{m.distinct_foods}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <h2>"Food suggestions artifact"</h2>
            <p data-testid="food-bundle-summary">
                {format!(
                    "{} foods, {} bytes (v{}), built from food embedding v{}; gap nutrients: {}. Foods flagged per allergen (description rules): {}.",
                    f.foods, f.bytes, f.version.map_or("–".into(), |v| v.to_string()), f.embedding_version,
                    f.gap_nutrients.join(", "),
                    f.allergen_counts.iter().map(|(k, n)| format!("{} {n}", k.replace('_', " "))).collect::<Vec<_>>().join(", ")
                )}
            </p>
        })}
    }
}

fn foods_view(n: NutritionReport) -> impl IntoView {
    let e = n.embedding;
    let rows = e
        .quality
        .iter()
        .map(|q| {
            view! {
                <tr data-testid="food-neighbour-row" class=if q.method.contains("random") { "baseline" } else { "" }>
                    <td>{q.method.clone()}</td>
                    <td class="num">{format!("{:.1}%", 100.0 * q.same_group)}</td>
                    <td class="num">{format!("{:.3}", q.macro_distance)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2>"Similar foods: the embedding beside its baselines"</h2>
        <p>{format!(
            "{} held-out foods of nutrition run {}: how many of each food's 5 nearest foods share its USDA group, and how far their macro energy shares are. \
             The int8 table ({} bytes, {} as f32) keeps {:.1}% of the f32 top 5.",
            e.held_out_foods, n.run_id.map_or("–".into(), |v| v.to_string()), e.int8_bytes, e.f32_bytes, 100.0 * e.int8_recall_at_5
        )}</p>
        <table class="data" data-testid="food-neighbour-table">
            <thead><tr><th>"neighbours by"</th><th class="num">"same group @5"</th><th class="num">"macro-share distance"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
