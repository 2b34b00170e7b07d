//! `/recipes`: the recipe analyzer. Paste ingredient lines and see each one parsed by the CRF
//! tagger (every token coloured by its tag, with the tagger's confidence), matched to a USDA food
//! and weighed, then a nutrition label per serving that says what it could not count, the diet
//! labels and the allergens with their risk. Below, how the parser and the whole pipeline score
//! on held-out data. The same service answers `POST /api/analyze-recipe`.

use leptos::prelude::*;
use mmi_types::{
    AnalyzedLine, LineStatus, ParserEvaluation, RecipeAnalysis, RecipeExample, RecipeOverview,
    RecipeReport,
};

use crate::charts::{
    calorie_scatter, prep_density_chart, tag_f1_chart, tagger_epochs_chart, to_json, EChart,
};
use crate::pages::models::estimate_text;

/// The serving parser, the latest recipe report and a few stored recipes to try.
#[server(prefix = "/sfn", endpoint = "recipe_overview", output = crate::codec::Json)]
pub async fn get_recipe_overview() -> Result<RecipeOverview, ServerFnError> {
    use crate::state::{serve_error, services};
    services()?.recipe_overview().await.map_err(serve_error)
}

/// The analysis of the pasted lines (one ingredient a line; blank lines are skipped).
#[server(prefix = "/sfn", endpoint = "analyze_recipe", output = crate::codec::Json)]
pub async fn analyze_recipe(
    title: Option<String>,
    ingredients: String,
    servings: u32,
    month: Option<u32>,
) -> Result<RecipeAnalysis, ServerFnError> {
    use crate::state::{serve_error, services};
    let request = mmi_types::AnalyzeRecipeRequest {
        title: title.filter(|t| !t.trim().is_empty()),
        ingredients: ingredients
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        servings,
        month,
    };
    services()?
        .analyze_recipe(&request)
        .await
        .map_err(serve_error)
}

fn not_trained(retry: Callback<()>) -> AnyView {
    view! {
        <crate::pages::Untrained domain="recipes" retry>
            <p class="empty" data-testid="no-parser">
                "No ingredient parser trained yet. A first start trains it by itself; by hand: "
                <code>"server train recipes"</code>
                " (after "<code>"server import"</code>", which loads the USDA foods, the labelled ingredient sentences and the recipes)."
            </p>
        </crate::pages::Untrained>
    }
    .into_any()
}

#[component]
pub fn RecipesPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| get_recipe_overview());
    view! {
        <section class="page recipes">
            <h1>"Recipe analyzer"</h1>
            <p class="lede">
                "Paste a recipe's ingredients, one a line. Each line is tagged by a CRF trained on 30,000 labelled
                ingredient sentences, its food is matched in USDA SR26 and its amount turned into grams; the nutrition
                label counts only what could be matched and weighed, and says what it left out. The API: "
                <code>"POST /api/analyze-recipe"</code>"."
            </p>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(o) if o.parser.is_some() => view! {
                            <Analyzer examples=o.examples.clone() />
                            {o.report.clone().map(report_view)}
                        }.into_any(),
                        Ok(_) => not_trained(Callback::new(move |()| overview.refetch())),
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Analyzer(examples: Vec<RecipeExample>) -> impl IntoView {
    let first = examples.first().cloned();
    let (title, set_title) = signal(first.as_ref().map(|e| e.title.clone()).unwrap_or_default());
    let (lines, set_lines) = signal(
        first
            .as_ref()
            .map(|e| e.ingredients.join("\n"))
            .unwrap_or_else(|| "2 cups all-purpose flour\n1 cup sugar\n2 large eggs\n1/2 cup butter, melted\n1 tsp salt".into()),
    );
    let (servings, set_servings) = signal(first.as_ref().map_or(4, |e| e.servings));
    let (month, set_month) = signal(String::new());
    let analyze = Action::new(|input: &(String, String, u32, Option<u32>)| {
        let (t, l, s, m) = input.clone();
        async move { analyze_recipe(Some(t), l, s, m).await }
    });
    let choices = examples.clone();
    let pick = move |ev: leptos::ev::Event| {
        let i: usize = event_target_value(&ev).parse().unwrap_or(usize::MAX);
        if let Some(e) = choices.get(i) {
            set_title.set(e.title.clone());
            set_lines.set(e.ingredients.join("\n"));
            set_servings.set(e.servings);
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        analyze.dispatch((
            title.get_untracked(),
            lines.get_untracked(),
            servings.get_untracked(),
            month.get_untracked().parse().ok(),
        ));
    };
    let options = examples
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let kcal = e
                .site_kcal
                .map_or(String::new(), |k| format!(" (site: {k:.0} kcal a serving)"));
            view! { <option value=i.to_string()>{format!("{}{kcal}", e.title)}</option> }
        })
        .collect_view();
    view! {
        <div class="panel" data-testid="recipe-analyzer">
            <form on:submit=submit class="recipe-form">
                <label>
                    "Example recipe: "
                    <select data-testid="recipe-example" on:change=pick>{options}</select>
                </label>
                <label>
                    "Title "
                    <input type="text" data-testid="recipe-title" prop:value=title on:input=move |ev| set_title.set(event_target_value(&ev)) />
                </label>
                <label>
                    "Servings "
                    <input type="number" min="1" max="100" data-testid="recipe-servings" prop:value=move || servings.get().to_string()
                        on:input=move |ev| set_servings.set(event_target_value(&ev).parse().unwrap_or(0)) />
                </label>
                <label>
                    "Season for "
                    <select data-testid="recipe-month" on:change=move |ev| set_month.set(event_target_value(&ev))>
                        <option value="">"this month"</option>
                        {MONTHS
                            .iter()
                            .enumerate()
                            .map(|(i, m)| view! { <option value=(i + 1).to_string()>{*m}</option> })
                            .collect_view()}
                    </select>
                </label>
                <textarea rows="12" data-testid="recipe-lines" prop:value=lines on:input=move |ev| set_lines.set(event_target_value(&ev))></textarea>
                <button type="submit" data-testid="recipe-analyze" disabled=move || analyze.pending().get()>
                    {move || if analyze.pending().get() { "Analysing…" } else { "Analyse" }}
                </button>
            </form>
            {move || match analyze.value().get() {
                None => view! { <p class="hint">"Press Analyse to parse the lines."</p> }.into_any(),
                Some(Err(e)) => view! {
                    <p class="error" data-testid="recipe-error">{e.to_string().trim_start_matches("error running server function: ").to_string()}</p>
                }.into_any(),
                Some(Ok(a)) => analysis_view(a),
            }}
        </div>
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn pct(v: f64) -> String {
    format!("{:.0}%", 100.0 * v)
}

fn status_badge(s: LineStatus) -> AnyView {
    let (class, text) = match s {
        LineStatus::Counted => ("badge good", "counted"),
        LineStatus::Unmatched => ("badge bad", "no food matched"),
        LineStatus::NoAmount => ("badge meh", "no amount"),
        LineStatus::NoConversion => ("badge meh", "no grams"),
    };
    view! { <span class=class>{text}</span> }.into_any()
}

fn line_row(l: AnalyzedLine) -> impl IntoView {
    let tokens = l
        .tokens
        .iter()
        .map(|t| {
            let class = format!("tag tag-{}", t.label.to_lowercase());
            let title = format!("{} ({:.0}%)", t.label, 100.0 * t.confidence);
            view! { <span class=class title=title data-label=t.label.clone()>{t.text.clone()}</span> }
        })
        .collect_view();
    let amount = match (&l.quantity, &l.unit) {
        (Some(q), u) => {
            let q = if q.high > q.low {
                format!("{}–{}", q.low, q.high)
            } else {
                format!("{}", q.low)
            };
            format!("{q} {}", u.clone().unwrap_or_default())
        }
        (None, _) => "–".into(),
    };
    let name = l.name.as_ref().map_or("–".into(), |n| {
        format!("{} ({})", n.text, pct(n.confidence))
    });
    let food = l.food.as_ref().map_or("–".into(), |f| {
        format!("{} ({})", f.description, pct(f.confidence))
    });
    let grams = l.grams.map_or("–".into(), |g| format!("{g:.0} g"));
    view! {
        <tr data-testid="recipe-line" data-status=format!("{:?}", l.status).to_lowercase()>
            <td class="tokens">{tokens}</td>
            <td data-testid="line-name">{name}</td>
            <td class="num">{amount}</td>
            <td class="num" title=l.grams_basis.clone().unwrap_or_default()>{grams}</td>
            <td data-testid="line-food">{food}</td>
            <td>{status_badge(l.status)}</td>
        </tr>
    }
}

fn analysis_view(a: RecipeAnalysis) -> AnyView {
    let c = a.coverage.clone();
    let label_rows = a
        .nutrients
        .iter()
        .map(|n| {
            let value = n.per_serving.map_or("–".into(), |v| {
                if v >= 100.0 {
                    format!("{v:.0} {}", n.unit)
                } else {
                    format!("{v:.1} {}", n.unit)
                }
            });
            let dv = n
                .daily_value_pct
                .map_or(String::new(), |d| format!("{d:.0}%"));
            let note = (n.missing_in > 0).then(|| format!("≥ ({} without a value)", n.missing_in));
            view! {
                <tr data-testid="nutrient-row" data-key=n.key.clone()>
                    <td>{n.name.clone()}</td>
                    <td class="num" data-testid="per-serving">{value}</td>
                    <td class="num">{dv}</td>
                    <td class="note">{note}</td>
                </tr>
            }
        })
        .collect_view();
    let allergens = if a.allergens.is_empty() {
        view! { <span class="badge good">"none of the major nine found"</span> }.into_any()
    } else {
        a.allergens
            .iter()
            .map(|r| {
                let class = if r.risk >= 0.8 { "badge bad" } else if r.risk >= 0.4 { "badge meh" } else { "badge" };
                view! {
                    <span class=class data-testid="allergen" data-allergen=r.allergen.clone() title=r.reason.clone()>
                        {format!("{} {}", r.allergen.replace('_', " / "), pct(r.risk))}
                    </span>
                }
            })
            .collect_view()
            .into_any()
    };
    let diets = a
        .diet_labels
        .iter()
        .map(|d| {
            let (class, mark) = match d.value {
                Some(true) => ("badge good", "yes"),
                Some(false) => ("badge bad", "no"),
                None => ("badge meh", "open"),
            };
            view! {
                <span class=class data-testid="diet-label" data-label=d.label.clone() title=d.reason.clone()>
                    {format!("{}: {mark}", d.label.replace('_', " "))}
                </span>
            }
        })
        .collect_view();
    let left_out: Vec<String> = c
        .unmatched
        .iter()
        .map(|l| format!("\"{l}\" (no food)"))
        .chain(
            c.no_conversion
                .iter()
                .map(|l| format!("\"{l}\" (no grams)")),
        )
        .chain(c.no_amount.iter().map(|l| format!("\"{l}\" (no amount)")))
        .collect();
    let coverage = format!(
        "{} of {} lines counted ({:.0} g){}. {}",
        c.counted,
        c.lines,
        c.counted_grams,
        c.mass_share.map_or(String::new(), |s| format!(
            "; {} of the weighed mass",
            pct(s)
        )),
        if left_out.is_empty() {
            "Nothing left out.".to_string()
        } else {
            format!("Left out of the totals: {}.", left_out.join(", "))
        }
    );
    let seasonal_text = match a.seasonality.in_season_share {
        Some(share) => format!(
            "{} of {} fresh produce ingredients in season ({}; {}).",
            a.seasonality.produce.iter().filter(|p| p.in_season).count(),
            a.seasonality.produce.len(),
            pct(share),
            a.seasonality.region
        ),
        None => "No fresh produce recognised.".to_string(),
    };
    let seasonal = a
        .seasonality
        .produce
        .iter()
        .map(|p| {
            let class = if p.in_season { "badge good" } else { "badge meh" };
            view! { <span class=class data-testid="seasonal-item" data-in-season=p.in_season.to_string() title=p.seasons.join(", ")>{p.produce.clone()}</span> }
        })
        .collect_view();
    let rows = a.lines.into_iter().map(line_row).collect_view();
    view! {
        <div class="recipe-result" data-testid="recipe-result">
            <p data-testid="recipe-coverage">{coverage}</p>
            <div class="recipe-columns">
                <div class="nutrition-label" data-testid="nutrition-label">
                    <h3>{format!("Nutrition per serving (1 of {})", a.servings)}</h3>
                    <table class="data">
                        <thead><tr><th>"nutrient"</th><th>"amount"</th><th>"% DV"</th><th></th></tr></thead>
                        <tbody>{label_rows}</tbody>
                    </table>
                </div>
                <div>
                    <h3>"Allergens"</h3>
                    <div class="badges" data-testid="allergens">{allergens}</div>
                    <h3>"Diet"</h3>
                    <div class="badges" data-testid="diet-labels">{diets}</div>
                    <h3>{format!("In season in {}", MONTHS[(a.seasonality.month.clamp(1, 12) - 1) as usize])}</h3>
                    <p data-testid="seasonality">{seasonal_text}</p>
                    <div class="badges">{seasonal}</div>
                    <p class="hint">
                        "Allergen risk: 100% when the line names it, the match confidence when only the matched food carries it, 50% for \"may contain\"; combined over lines. Hover a badge for its reasons."
                    </p>
                </div>
            </div>
            <h3>"The lines"</h3>
            <p class="hint legend">
                <span class="tag tag-qty">"QTY"</span><span class="tag tag-unit">"UNIT"</span>
                <span class="tag tag-size">"SIZE"</span><span class="tag tag-name">"NAME"</span>
                <span class="tag tag-prep">"PREP"</span><span class="tag tag-comment">"COMMENT"</span>
                <span class="tag tag-purpose">"PURPOSE"</span><span class="tag tag-other">"OTHER"</span>
                " — hover a word for the tagger's confidence, grams for how they were worked out."
            </p>
            <table class="data recipe-lines" data-testid="recipe-lines-table">
                <thead><tr><th>"parsed line"</th><th>"name"</th><th>"amount"</th><th>"grams"</th><th>"USDA food (match)"</th><th></th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="hint">{format!("Parser: {} v{}.", a.parser.name, a.parser.version)}</p>
        </div>
    }
    .into_any()
}

fn evaluation_row(e: &ParserEvaluation) -> impl IntoView {
    view! {
        <tr data-testid="parser-row">
            <td>{e.name.clone()}</td>
            <td class="num">{estimate_text(Some(e.word_accuracy), 4)}</td>
            <td class="num">{estimate_text(Some(e.word_accuracy_no_punctuation), 4)}</td>
            <td class="num">{estimate_text(Some(e.sentence_accuracy), 4)}</td>
        </tr>
    }
}

fn report_view(r: RecipeReport) -> AnyView {
    let epochs = to_json(&tagger_epochs_chart(&r.epochs));
    let f1 = to_json(&tag_f1_chart(&[&r.parser, &r.baseline]));
    let calories = to_json(&calorie_scatter(&r.calories));
    let prep = r.prep_density.clone().map(|d| {
        let chart = to_json(&prep_density_chart(&d));
        view! {
            <h2>"Preparation time and nutrient density"</h2>
            <p data-testid="prep-density">
                {format!(
                    "Over {} catalogue recipes with a total time: Spearman's ρ between minutes and NRF9.3 per 100 kcal {}; median NRF9.3 {} for recipes of at most 30 minutes, {} for longer ones.",
                    d.points.len(),
                    estimate_text(d.spearman, 3),
                    d.median_quick.map_or("–".into(), |v| format!("{v:.1}")),
                    d.median_slow.map_or("–".into(), |v| format!("{v:.1}"))
                )}
            </p>
            <EChart option=Signal::derive(move || Some(chart.clone())) test_id="prep-density-chart" label="Preparation time against nutrient density" />
        }
    });
    let nutrition_rows = r
        .nutrition
        .iter()
        .map(|n| {
            view! {
                <tr data-testid="nutrition-error-row" data-nutrient=n.nutrient.clone()>
                    <td>{n.nutrient.clone()}</td>
                    <td class="num">{n.n_recipes}</td>
                    <td class="num">{estimate_text(Some(n.mdape), 3)}</td>
                    <td class="num">{estimate_text(Some(n.baseline_mdape), 3)}</td>
                    <td class="num">{pct(n.within_20pct)}</td>
                </tr>
            }
        })
        .collect_view();
    let unseen = r.unseen_sites.as_ref().map(|n| {
        view! {
            <tr data-testid="nutrition-unseen-row">
                <td>{format!("calories, {} sites never in development", r.unseen_site_count)}</td>
                <td class="num">{n.n_recipes}</td>
                <td class="num">{estimate_text(Some(n.mdape), 3)}</td>
                <td class="num">{estimate_text(Some(n.baseline_mdape), 3)}</td>
                <td class="num">{pct(n.within_20pct)}</td>
            </tr>
        }
    });
    view! {
        <div class="panel" data-testid="parser-report">
            <h2>"How good is the parser?"</h2>
            <p>
                {format!(
                    "{} labelled sentences, {} kept after aligning the labels with the tokens and removing duplicates; split {} / {} / {} (train / validation / test, seed 42). The tagger stopped early on validation word accuracy after {} epochs ({:.1} s); the shipped int8 model ({:.0} KiB) is what was scored. 95% intervals: bootstrap over sentences for words, Wilson for sentences. ingredient-parser 2.9.1 (a CRF) reports 98.05% words and 94.98% sentences on this kind of data (mean of 25 random 80/20 splits; `server evaluate-parser` measures ours that way and across sites).",
                    r.n_labelled, r.n_aligned, r.n_train, r.n_validation, r.n_test, r.epochs.len(), r.train_seconds, r.model_bytes as f64 / 1024.0
                )}
            </p>
            <table class="data" data-testid="parser-table">
                <thead><tr><th>"tagger"</th><th>"word accuracy"</th><th>"without punctuation"</th><th>"sentence accuracy"</th></tr></thead>
                <tbody>{evaluation_row(&r.parser)}{evaluation_row(&r.baseline)}</tbody>
            </table>
            <EChart option=Signal::derive(move || Some(f1.clone())) test_id="tag-f1-chart" label="F1 per tag, tagger and baseline" />
            <EChart option=Signal::derive(move || Some(epochs.clone())) test_id="tagger-epochs-chart" label="Training loss and validation accuracy per epoch" />
            <h2>"Recipe nutrition against the recipe sites"</h2>
            <p>
                {format!(
                    "The whole pipeline on {} English test recipes whose site reports nutrition per serving: {} of ingredient lines matched a food, {} counted, median share of the weighed mass covered {}. MdAPE = median absolute percentage error per serving; the baseline gives every recipe the median site figure of the development recipes.",
                    r.nutrition_recipes,
                    pct(r.lines_matched),
                    pct(r.lines_counted),
                    r.median_mass_share.map_or("–".into(), pct)
                )}
            </p>
            <table class="data" data-testid="nutrition-error-table">
                <thead><tr><th>"per serving"</th><th>"recipes"</th><th>"MdAPE [95% CI]"</th><th>"baseline MdAPE"</th><th>"within 20%"</th></tr></thead>
                <tbody>{nutrition_rows}{unseen}</tbody>
            </table>
            <EChart option=Signal::derive(move || Some(calories.clone())) test_id="calorie-scatter" label="Calories per serving, ours against the site's" />
            {prep}
        </div>
    }
    .into_any()
}
