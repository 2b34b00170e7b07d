//! Food suggestions in the browser: search the foods, say what you ate, and get the foods most
//! similar to one (by the learnt embedding) and the foods whose portion fills most of what is
//! still missing of twelve nutrients' Daily Values, within chosen diet labels and without chosen
//! allergens.

use leptos::prelude::*;
use mmi_rank::foods::FoodBundle;
use mmi_types::ArtifactRef;

use super::load::{current, kib, now_ms, status, took, Loaded};

#[component]
pub fn FoodSuggestions(artifact: ArtifactRef, model: Loaded<FoodBundle>) -> impl IntoView {
    let (query, set_query) = signal(String::new());
    // What was eaten: (food index, grams).
    let eaten = RwSignal::new(Vec::<(usize, f32)>::new());
    let selected = RwSignal::new(None::<usize>);
    let diet = RwSignal::new(0u8);
    let exclude = RwSignal::new(0u16);
    let bundle = move || current(model).and_then(|m| m.ok());
    let filters = move || mmi_rank::foods::Filters {
        diet: diet.get(),
        exclude: exclude.get(),
    };
    let hits = Memo::new(move |_| {
        let b = bundle()?;
        Some(b.search(&query.get(), 8))
    });
    let similar = Memo::new(move |_| {
        let b = bundle()?;
        let i = selected.get()?;
        let started = now_ms();
        let list = b.similar(i, 5, filters());
        Some((i, list, now_ms() - started))
    });
    let gap = Memo::new(move |_| {
        let b = bundle()?;
        let eaten = eaten.get();
        let started = now_ms();
        let list = b.fill_gap(&eaten, 5, filters());
        let ms = now_ms() - started;
        let (intake, unknown) = b.intake(&eaten);
        Some((list, intake, unknown, ms))
    });
    let ready = format!(
        "Food model {} v{} ({}) loaded in your browser.",
        artifact.model.name,
        artifact.model.version,
        kib(artifact.bytes)
    );
    let add = move |i: usize| {
        eaten.update(|e| {
            if !e.iter().any(|x| x.0 == i) {
                e.push((i, 100.0));
            }
        });
        selected.set(Some(i));
    };
    view! {
        <div class="panel" data-testid="food-recommender">
            <h2>"Foods to add"</h2>
            {move || status(current(model), "food model", ready.clone(), "food-model-status")}
            {move || bundle().map(|b| {
                let diet_boxes = checkboxes(&b.diet_labels, "diet", move |bit, on| {
                    diet.update(|m| if on { *m |= 1 << bit } else { *m &= !(1 << bit) })
                });
                let allergen_boxes = checkboxes(&b.allergen_names, "allergen", move |bit, on| {
                    exclude.update(|m| if on { *m |= 1 << bit } else { *m &= !(1 << bit) })
                });
                view! {
                    <div class="controls">
                        <label class="search">"Add a food you ate "
                            <input type="search" data-testid="food-query" placeholder="e.g. oatmeal"
                                prop:value=query on:input=move |ev| set_query.set(event_target_value(&ev)) />
                        </label>
                    </div>
                    <p class="checks"><span class="muted">"Only foods that are: "</span>{diet_boxes}</p>
                    <p class="checks"><span class="muted">"Without: "</span>{allergen_boxes}</p>
                }
            })}
            {move || {
                let (Some(b), Some(list)) = (bundle(), hits.get()) else { return ().into_any() };
                view! {
                    <ul class="hits" data-testid="food-query-hits">
                        {list.into_iter().map(|i| view! {
                            <li>
                                <button class="link" data-testid="food-query-hit" data-ndb=b.embedding.ids[i].clone()
                                    on:click=move |_| add(i)>{b.names[i].clone()}</button>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {move || {
                let Some(b) = bundle() else { return ().into_any() };
                let list = eaten.get();
                if list.is_empty() {
                    return view! { <p class="muted">"Nothing eaten yet: the gap is every Daily Value."</p> }.into_any();
                }
                view! {
                    <table class="data" data-testid="eaten">
                        <thead><tr><th>"Eaten"</th><th class="num">"Grams"</th><th></th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|(i, grams)| view! {
                                <tr data-testid="eaten-row">
                                    <td><button class="link" on:click=move |_| selected.set(Some(i))>{b.names[i].clone()}</button></td>
                                    <td class="num"><input type="number" min="0" max="5000" class="grams" prop:value=grams.to_string()
                                        on:input=move |ev| {
                                            if let Ok(g) = event_target_value(&ev).parse::<f32>() {
                                                eaten.update(|e| if let Some(x) = e.iter_mut().find(|x| x.0 == i) { x.1 = g.clamp(0.0, 5000.0) });
                                            }
                                        } /></td>
                                    <td><button on:click=move |_| eaten.update(|e| e.retain(|x| x.0 != i))>"remove"</button></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <div class="chart-grid">
                <div>
                    {move || {
                        let (Some(b), Some((i, list, ms))) = (bundle(), similar.get()) else {
                            return view! { <p class="muted">"Pick a food to see the foods most like it."</p> }.into_any();
                        };
                        view! {
                            <h3>{format!("Most like {}", b.names[i])}</h3>
                            <p class="muted" data-testid="similar-timing">{format!("by the food embedding, ranked {} in this browser", took(ms))}</p>
                            <ol data-testid="similar-suggestions">
                                {list.into_iter().map(|(j, s)| view! {
                                    <li data-testid="similar-suggestion" data-ndb=b.embedding.ids[j].clone()>
                                        <a href=format!("/nutrition?food={}", b.embedding.ids[j])>{b.names[j].clone()}</a>
                                        <span class="muted">{format!(" · {} · cosine {s:.3}", b.group(j).unwrap_or(""))}</span>
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }}
                </div>
                <div>
                    {move || {
                        let (Some(b), Some((list, intake, unknown, ms))) = (bundle(), gap.get()) else { return ().into_any() };
                        let bars = b.gap_nutrients.iter().enumerate().map(|(n, g)| {
                            let pct = 100.0 * intake[n] / g.daily_value;
                            let note = if unknown[n] > 0 { format!(" ({} eaten food(s) lack a value)", unknown[n]) } else { String::new() };
                            view! {
                                <div class="gap-row" data-testid="gap-bar" data-nutrient=g.key.clone() data-pct=format!("{pct:.1}")>
                                    <span class="gap-name">{g.name.clone()}</span>
                                    <span class="gap-track"><span class="gap-fill" style=format!("width: {:.0}%", pct.min(100.0))></span></span>
                                    <span class="num">{format!("{pct:.0}% DV{note}")}</span>
                                </div>
                            }
                        }).collect_view();
                        let names = b.gap_nutrients.clone();
                        view! {
                            <h3>"Fill the gap"</h3>
                            <div class="gap" data-testid="gap-bars">{bars}</div>
                            <p class="muted" data-testid="gap-timing">{format!("one portion (100 kcal, at most 300 g) each, ranked {} in this browser", took(ms))}</p>
                            <ol data-testid="gap-suggestions">
                                {list.into_iter().map(|s| {
                                    let fills = s.fills.iter().take(3).map(|(n, share)| format!("{} {:.0}% DV", names[*n].name, 100.0 * share)).collect::<Vec<_>>().join(", ");
                                    view! {
                                        <li data-testid="gap-suggestion" data-ndb=b.embedding.ids[s.index].clone() data-score=s.score.to_string()>
                                            <a href=format!("/nutrition?food={}", b.embedding.ids[s.index])>{b.names[s.index].clone()}</a>
                                            <span class="muted">{format!(" · {:.0} g fills {:.0}% of the gap: {fills}", s.grams, 100.0 * s.score)}</span>
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }}
                </div>
            </div>
        </div>
    }
}

/// One checkbox per key (`data-testid` `{prefix}-{key}`); ticking box `b` calls `toggle(b, on)`.
fn checkboxes(
    keys: &[String],
    prefix: &'static str,
    toggle: impl Fn(usize, bool) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    keys.iter()
        .enumerate()
        .map(|(bit, key)| {
            view! {
                <label class="check">
                    <input type="checkbox" data-testid=format!("{prefix}-{key}")
                        on:change=move |ev| toggle(bit, event_target_checked(&ev)) />
                    {key.replace('_', " ")}
                </label>
            }
        })
        .collect_view()
}
