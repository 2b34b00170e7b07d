//! The food explorer: search the USDA foods as you type, open one (its URL is
//! `/nutrition?food=NDB`) and see its nutrient profile against the Daily Values, its portions,
//! features, diet labels, and the foods nearest to it in the learnt embedding.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use mmi_types::{FoodHit, FoodProfile};

use crate::charts::{daily_value_chart, to_json, EChart};

/// Foods whose description holds every word of `query`; nothing for fewer than 2 characters.
#[server(prefix = "/sfn", endpoint = "search_foods", output = crate::codec::Json)]
pub async fn search_foods(query: String) -> Result<Vec<FoodHit>, ServerFnError> {
    use crate::state::{serve_error, services};
    services()?.search_foods(&query).await.map_err(serve_error)
}

/// One food's profile with its 8 most similar foods by the serving embedding.
#[server(prefix = "/sfn", endpoint = "food_profile", output = crate::codec::Json)]
pub async fn get_food_profile(ndb_no: String) -> Result<FoodProfile, ServerFnError> {
    use crate::state::{serve_error, services};
    services()?.food_profile(&ndb_no).await.map_err(serve_error)
}

fn amount(v: Option<f64>, unit: &str) -> String {
    v.map_or("–".into(), |v| format!("{v:.1} {unit}"))
}

#[component]
pub fn FoodExplorer() -> impl IntoView {
    let (query, set_query) = signal(String::new());
    let hits = Resource::new(
        move || query.get(),
        |q| async move {
            if q.trim().chars().count() < 2 {
                Ok(Vec::new())
            } else {
                search_foods(q).await
            }
        },
    );
    let params = use_query_map();
    let selected = move || params.read().get("food").filter(|f| !f.is_empty());
    let profile = Resource::new(selected, |ndb| async move {
        match ndb {
            Some(ndb) => get_food_profile(ndb).await.map(Some),
            None => Ok(None),
        }
    });
    view! {
        <div class="explorer" data-testid="food-explorer">
            <h2>"Food explorer"</h2>
            <label class="search">
                "Search USDA foods "
                <input type="search" data-testid="food-search" placeholder="e.g. broccoli raw"
                    prop:value=query on:input=move |ev| set_query.set(event_target_value(&ev)) />
            </label>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match hits.await {
                        Ok(list) if list.is_empty() => ().into_any(),
                        Ok(list) => view! {
                            <ul class="hits" data-testid="food-hits">
                                {list.into_iter().map(|h| view! {
                                    <li data-testid="food-hit">
                                        <a href=format!("/nutrition?food={}", h.ndb_no)>{h.description}</a>
                                        <span class="muted">{format!(" · {}", h.group.unwrap_or_default())}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
            <Transition fallback=|| view! { <p class="loading">"Loading the food…"</p> }>
                {move || Suspend::new(async move {
                    match profile.await {
                        Ok(Some(p)) => profile_view(p).into_any(),
                        Ok(None) => ().into_any(),
                        Err(e) => view! { <p class="error" data-testid="food-error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

fn profile_view(p: FoodProfile) -> impl IntoView {
    let chart = to_json(&daily_value_chart(&p));
    let badges = p
        .categories
        .iter()
        .map(|c| view! { <span class="badge good" data-testid="category">{c.replace('_', " ")}</span> })
        .collect_view();
    let labels = p
        .diet_labels
        .iter()
        .map(|l| {
            let (class, mark) = match l.value {
                Some(true) => ("badge good", "✓"),
                Some(false) => ("badge bad", "✗"),
                None => ("badge", "?"),
            };
            view! { <span class=class data-testid="diet-label" data-value=format!("{:?}", l.value)>{format!("{mark} {}", l.label.replace('_', " "))}</span> }
        })
        .collect_view();
    let shares = p.macro_shares.map_or("–".into(), |s| {
        format!(
            "protein {:.0} % · carbohydrate {:.0} % · fat {:.0} %{}",
            s[0] * 100.0,
            s[1] * 100.0,
            s[2] * 100.0,
            if s[3] > 0.0 {
                format!(" · alcohol {:.0} %", s[3] * 100.0)
            } else {
                String::new()
            }
        )
    });
    let portions = p
        .portions
        .iter()
        .map(|q| {
            view! {
                <tr data-testid="portion-row">
                    <td>{q.measure.clone()}</td>
                    <td class="num">{format!("{:.0} g", q.grams)}</td>
                    <td class="num">{amount(q.energy_kcal, "kcal")}</td>
                    <td class="num">{amount(q.protein_g, "g")}</td>
                    <td class="num">{amount(q.fat_g, "g")}</td>
                    <td class="num">{amount(q.carbohydrate_g, "g")}</td>
                    <td class="num">{amount(q.sodium_mg, "mg")}</td>
                </tr>
            }
        })
        .collect_view();
    let similar = if p.similar.is_empty() {
        view! { <p class="note" data-testid="similar-note">{p.similar_note.clone().unwrap_or_default()}</p> }.into_any()
    } else {
        view! {
            <ol class="similar" data-testid="similar-foods">
                {p.similar.iter().map(|s| view! {
                    <li data-testid="similar-food">
                        <a href=format!("/nutrition?food={}", s.ndb_no)>{s.description.clone()}</a>
                        <span class="muted">{format!(" · {} · cosine {:.3}", s.group.clone().unwrap_or_default(), s.similarity)}</span>
                    </li>
                }).collect_view()}
            </ol>
        }.into_any()
    };
    view! {
        <article class="profile" data-testid="food-profile" data-ndb=p.ndb_no.clone()>
            <h3 data-testid="food-name">{p.description.clone()}</h3>
            <p class="muted">{format!("NDB {} · {}", p.ndb_no, p.group.clone().unwrap_or_default())}</p>
            <dl class="facts">
                <dt>"Energy shares"</dt><dd data-testid="macro-shares">{shares}</dd>
                <dt>"NRF9.3 density"</dt><dd data-testid="nrf93">{p.nrf93.map_or("– (a component is missing)".into(), |v| format!("{v:.1} per 100 kcal"))}</dd>
                <dt>"Energy density"</dt><dd>{p.energy_density.map_or("–".into(), |d| format!("{d:.2} kcal/g ({})", p.energy_density_class.clone().unwrap_or_default().replace('_', " ")))}</dd>
            </dl>
            <p class="badges">{badges}</p>
            <p class="badges" data-testid="diet-labels">{labels}</p>
            <div class="chart-grid">
                <EChart option=Signal::derive(move || Some(chart.clone())) test_id="chart-daily-values" label="Percent of Daily Value" height_px=520 />
                <div>
                    <h4>"Per portion"</h4>
                    <table class="data" data-testid="portion-table">
                        <thead><tr><th>"Portion"</th><th class="num">"Weight"</th><th class="num">"Energy"</th><th class="num">"Protein"</th><th class="num">"Fat"</th><th class="num">"Carbohydrate"</th><th class="num">"Sodium"</th></tr></thead>
                        <tbody>{portions}</tbody>
                    </table>
                    <h4>"Similar foods (embedding)"</h4>
                    {similar}
                </div>
            </div>
        </article>
    }
}
