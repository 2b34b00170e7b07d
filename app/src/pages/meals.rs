//! `/meals` (meal finder) and `/meals/plan` (meal planner): recipes ranked for a goal with the
//! reasons, and a multi-day plan chosen by the solver with daily totals against the targets and a
//! shopping list. The same service answers `POST /api/recommend-meal` and `GET /api/meal-plan`.

use leptos::prelude::*;
use mmi_types::{
    Goal, MealPlan, MealTargets, RecommendMealRequest, RecommendMealResponse, Suggestion,
    MEAL_ALLERGENS, MEAL_DIETS,
};

use crate::charts::{plan_energy_chart, plan_macro_chart, to_json, EChart};

/// Recipes ranked for the request (the same service as `POST /api/recommend-meal`).
#[server(prefix = "/sfn", endpoint = "recommend_meals", input = crate::codec::Json, output = crate::codec::Json)]
pub async fn recommend_meals(
    request: RecommendMealRequest,
) -> Result<RecommendMealResponse, ServerFnError> {
    use crate::state::{serve_error, services};
    services()?
        .recommend_meal(&request)
        .await
        .map_err(serve_error)
}

/// A plan for the query pairs of `GET /api/meal-plan`.
#[server(prefix = "/sfn", endpoint = "plan_meals", input = crate::codec::Json, output = crate::codec::Json)]
pub async fn plan_meals(params: Vec<(String, String)>) -> Result<MealPlan, ServerFnError> {
    use crate::state::{serve_error, services};
    let request = mmi_types::MealPlanRequest::from_query(&params).map_err(|(field, message)| {
        serve_error(mmi_serve::ServeError::BadParameter { field, message })
    })?;
    let plan = services()?.meal_plan(&request).await.map_err(serve_error)?;
    Ok((*plan).clone())
}

fn error_text(e: &ServerFnError) -> String {
    e.to_string()
        .trim_start_matches("error running server function: ")
        .to_string()
}

/// The form both pages share: goal, energy (or body stats), diets, allergens, time, cuisine.
#[derive(Clone, Copy)]
struct MealForm {
    goal: RwSignal<String>,
    calories: RwSignal<String>,
    diets: RwSignal<Vec<String>>,
    exclude: RwSignal<Vec<String>>,
    max_prep: RwSignal<String>,
    cuisine: RwSignal<String>,
    meals_per_day: RwSignal<String>,
    sex: RwSignal<String>,
    age: RwSignal<String>,
    weight: RwSignal<String>,
    height: RwSignal<String>,
}

impl MealForm {
    fn new() -> MealForm {
        MealForm {
            goal: RwSignal::new("maintenance".into()),
            calories: RwSignal::new("2000".into()),
            diets: RwSignal::new(Vec::new()),
            exclude: RwSignal::new(Vec::new()),
            max_prep: RwSignal::new(String::new()),
            cuisine: RwSignal::new(String::new()),
            meals_per_day: RwSignal::new("3".into()),
            sex: RwSignal::new(String::new()),
            age: RwSignal::new(String::new()),
            weight: RwSignal::new(String::new()),
            height: RwSignal::new(String::new()),
        }
    }

    /// The request as query pairs (what `GET /api/meal-plan` reads); empty fields are left out.
    fn pairs(&self) -> Vec<(String, String)> {
        let mut p = vec![("goal".to_string(), self.goal.get_untracked())];
        let mut add = |k: &str, v: String| {
            if !v.trim().is_empty() {
                p.push((k.to_string(), v.trim().to_string()));
            }
        };
        add("calories", self.calories.get_untracked());
        add("diet", self.diets.get_untracked().join(","));
        add("exclude", self.exclude.get_untracked().join(","));
        add("max_prep_minutes", self.max_prep.get_untracked());
        add("cuisine", self.cuisine.get_untracked());
        add("meals_per_day", self.meals_per_day.get_untracked());
        add("sex", self.sex.get_untracked());
        add("age", self.age.get_untracked());
        add("weight_kg", self.weight.get_untracked());
        add("height_cm", self.height.get_untracked());
        p
    }

    fn view(self) -> AnyView {
        let checkboxes =
            |names: &'static [&'static str], list: RwSignal<Vec<String>>, test: &'static str| {
                names
                    .iter()
                    .map(move |n| {
                        let name = n.to_string();
                        let checked = name.clone();
                        view! {
                            <label class="check">
                                <input type="checkbox" data-testid=test value=name.clone()
                                    prop:checked=move || list.get().contains(&checked)
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        list.update(|l| {
                                            l.retain(|x| *x != name);
                                            if on { l.push(name.clone()); }
                                        });
                                    } />
                                {n.replace('_', " ")}
                            </label>
                        }
                    })
                    .collect_view()
            };
        let text = |label: &'static str,
                    signal: RwSignal<String>,
                    test: &'static str,
                    kind: &'static str| {
            view! {
                <label>
                    {label}" "
                    <input type=kind data-testid=test prop:value=move || signal.get()
                        on:input=move |ev| signal.set(event_target_value(&ev)) />
                </label>
            }
        };
        view! {
            <div class="meal-form">
                <label>
                    "Goal "
                    <select data-testid="meal-goal" on:change=move |ev| self.goal.set(event_target_value(&ev))>
                        <option value="maintenance">"maintenance"</option>
                        <option value="weight_loss">"weight loss"</option>
                        <option value="muscle_gain">"muscle gain"</option>
                    </select>
                </label>
                {text("Calories a day", self.calories, "meal-calories", "number")}
                {text("Meals a day", self.meals_per_day, "meal-count", "number")}
                {text("Max minutes", self.max_prep, "meal-prep", "number")}
                {text("Cuisine", self.cuisine, "meal-cuisine", "text")}
                <fieldset>
                    <legend>"Diet"</legend>
                    {checkboxes(&MEAL_DIETS, self.diets, "meal-diet")}
                </fieldset>
                <fieldset>
                    <legend>"Without"</legend>
                    {checkboxes(&MEAL_ALLERGENS, self.exclude, "meal-exclude")}
                </fieldset>
                <details>
                    <summary>"Or from body stats (Mifflin–St Jeor; leave calories empty)"</summary>
                    <label>
                        "Sex "
                        <select data-testid="meal-sex" on:change=move |ev| self.sex.set(event_target_value(&ev))>
                            <option value="">"–"</option>
                            <option value="female">"female"</option>
                            <option value="male">"male"</option>
                        </select>
                    </label>
                    {text("Age", self.age, "meal-age", "number")}
                    {text("Weight, kg", self.weight, "meal-weight", "number")}
                    {text("Height, cm", self.height, "meal-height", "number")}
                </details>
            </div>
        }
        .into_any()
    }
}

fn targets_text(t: &MealTargets) -> String {
    let source = match t.source.as_str() {
        "mifflin_st_jeor" => format!(
            "from body stats: resting {:.0} kcal × activity = {:.0} kcal",
            t.bmr_kcal.unwrap_or_default(),
            t.tdee_kcal.unwrap_or_default()
        ),
        "calories" => "as given".into(),
        _ => "the 2,000 kcal reference".into(),
    };
    format!(
        "Target {:.0} kcal a day ({source}), {:.0} kcal a meal; protein {:.0}–{:.0}%, fat {:.0}–{:.0}%, carbohydrate {:.0}–{:.0}% of energy.",
        t.daily_kcal, t.meal_kcal, t.protein_pct[0], t.protein_pct[1], t.fat_pct[0], t.fat_pct[1],
        t.carbohydrate_pct[0], t.carbohydrate_pct[1]
    )
}

#[component]
pub fn MealsPage() -> impl IntoView {
    let form = MealForm::new();
    let (k, set_k) = signal(String::from("5"));
    let find = Action::new(|request: &RecommendMealRequest| recommend_meals(request.clone()));
    let overview = Resource::new(|| (), |_| crate::pages::get_recipe_overview());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let pairs = form.pairs();
        let get = |key: &str| pairs.iter().find(|(n, _)| n == key).map(|(_, v)| v.clone());
        let number = |key: &str| get(key).and_then(|v| v.parse::<f64>().ok());
        let request = RecommendMealRequest {
            goal: Goal::parse(&form.goal.get_untracked()).unwrap_or(Goal::Maintenance),
            calories: number("calories"),
            diet: Some(form.diets.get_untracked()),
            exclude_allergens: Some(form.exclude.get_untracked()),
            max_prep_minutes: number("max_prep_minutes").map(|v| v as u32),
            cuisine: get("cuisine"),
            meals_per_day: number("meals_per_day").map(|v| v as u32),
            sex: match get("sex").as_deref() {
                Some("male") => Some(mmi_types::Sex::Male),
                Some("female") => Some(mmi_types::Sex::Female),
                _ => None,
            },
            age: number("age"),
            weight_kg: number("weight_kg"),
            height_cm: number("height_cm"),
            activity_factor: None,
            k: k.get_untracked().parse().unwrap_or(0),
        };
        find.dispatch(request);
    };
    view! {
        <section class="page meals">
            <h1>"Meal finder"</h1>
            <p class="lede">
                "Recipes ranked for your goal: one serving against one meal's share of the day's energy and the goal's protein range,
                with fibre and sodium, among the recipes whose nutrition the recipe analyzer could count (at least 80% of their weight)
                and that pass your filters. The API: "<code>"POST /api/recommend-meal"</code>". For a whole week, see the "
                <a href="/meals/plan">"meal planner"</a>"."
            </p>
            <form class="panel" on:submit=submit data-testid="meal-finder">
                {form.view()}
                <label>
                    "How many "
                    <input type="number" min="1" max="20" data-testid="meal-k" prop:value=k on:input=move |ev| set_k.set(event_target_value(&ev)) />
                </label>
                <button type="submit" data-testid="meal-find" disabled=move || find.pending().get()>
                    {move || if find.pending().get() { "Finding…" } else { "Find meals" }}
                </button>
            </form>
            {move || match find.value().get() {
                None => view! { <p class="hint">"Choose a goal and press Find meals."</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" data-testid="meal-error">{error_text(&e)}</p> }.into_any(),
                Some(Ok(r)) => meals_view(r),
            }}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    overview.await.ok().and_then(|o| o.report).and_then(|r| r.meals).map(evaluation_view)
                })}
            </Suspense>
        </section>
    }
}

fn meals_view(r: RecommendMealResponse) -> AnyView {
    let cards = r
        .meals
        .iter()
        .map(|m| {
            let n = m.per_serving;
            let reasons = m.reasons.iter().map(|x| view! { <li>{x.clone()}</li> }).collect_view();
            let labels = m
                .diet_labels
                .iter()
                .map(|l| view! { <span class="badge good">{l.replace('_', " ")}</span> })
                .collect_view();
            let allergens = m
                .allergens
                .iter()
                .map(|(a, risk)| view! { <span class="badge bad" title=format!("risk {:.0}%", 100.0 * risk)>{a.replace('_', " / ")}</span> })
                .collect_view();
            view! {
                <div class="meal-card" data-testid="meal-card" data-recipe=m.recipe_id.to_string()>
                    <h3>{m.title.clone()}</h3>
                    <p class="meal-facts">
                        {format!(
                            "{:.0} kcal · {:.0} g protein · {:.0} g fat · {:.0} g carbohydrate · {:.0} g fibre · {:.0} mg sodium a serving ({} servings{}{})",
                            n.energy_kcal, n.protein_g, n.fat_g, n.carbohydrate_g, n.fiber_g, n.sodium_mg, m.servings,
                            m.prep_minutes.map_or(String::new(), |t| format!(", {t} min")),
                            m.cuisine.clone().map_or(String::new(), |c| format!(", {c}"))
                        )}
                    </p>
                    <div class="badges">{labels}{allergens}</div>
                    <ul class="reasons" data-testid="meal-reasons">{reasons}</ul>
                    <p class="hint">{format!("score {:.3}", m.score)}</p>
                </div>
            }
        })
        .collect_view();
    view! {
        <div data-testid="meal-results">
            <p data-testid="meal-targets">{targets_text(&r.targets)}</p>
            <p>{format!("{} recipes passed the filters.", r.eligible)}</p>
            <div class="meal-cards">{cards}</div>
        </div>
    }
    .into_any()
}

fn evaluation_view(m: mmi_types::MealEvaluation) -> AnyView {
    let pct = |v: f64| format!("{:.1}%", 100.0 * v);
    view! {
        <div class="panel" data-testid="meal-evaluation">
            <h2>"How good is the ranking?"</h2>
            <p>
                {format!(
                    "On {} requests (3 goals × 4 energy targets × 4 diets, 3 meals a day) over the {} recipes whose nutrition could be trusted: the top 5 against 5 recipes drawn at random from the same filtered pool (20 draws a request). On a grid of {} ordinary week plans (3 goals × 1,400–3,200 kcal × no diet or each diet alone × without or with one excluded allergen; 7 days, no repeat within 3 days) the planner made {}, and {} meet every day's energy and macro targets when recomputed from their recipes and sides; {:.0} ms a plan (median).",
                    m.requests, m.catalogue, m.plans, m.plans_feasible, m.plans_on_target, m.p50_plan_ms
                )}
            </p>
            <table class="data" data-testid="meal-evaluation-table">
                <thead><tr><th></th><th>"energy error per meal"</th><th>"within ±10% of the meal target"</th><th>"protein in the goal's range"</th></tr></thead>
                <tbody>
                    <tr data-testid="meal-eval-row"><td>"ranked (top 5)"</td><td class="num">{pct(m.energy_error)}</td><td class="num">{pct(m.within_10pct)}</td><td class="num">{pct(m.protein_in_range)}</td></tr>
                    <tr data-testid="meal-eval-row"><td>"random (baseline)"</td><td class="num">{pct(m.baseline_energy_error)}</td><td class="num">{pct(m.baseline_within_10pct)}</td><td class="num">{pct(m.baseline_protein_in_range)}</td></tr>
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
pub fn MealPlanPage() -> impl IntoView {
    let form = MealForm::new();
    let (days, set_days) = signal(String::from("7"));
    // Empty: the server keeps 3 days, or fewer where too few recipes fit.
    let (window, set_window) = signal(String::new());
    let plan = Action::new(|pairs: &Vec<(String, String)>| plan_meals(pairs.clone()));
    let query = RwSignal::new(String::new());
    let run = move || {
        let mut pairs = form.pairs();
        pairs.push(("days".into(), days.get_untracked()));
        if !window.get_untracked().trim().is_empty() {
            pairs.push(("no_repeat_days".into(), window.get_untracked()));
        }
        query.set(
            pairs
                .iter()
                .map(|(k, v)| format!("{k}={}", v.replace(' ', "+")))
                .collect::<Vec<_>>()
                .join("&"),
        );
        plan.dispatch(pairs);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        run();
    };
    // A refusal that names a change that would work offers it: the form takes the change and
    // plans again.
    let accept = move |field: String, value: Option<String>| {
        let value = value.unwrap_or_default();
        match field.as_str() {
            "calories" => form.calories.set(value),
            "meals_per_day" => form.meals_per_day.set(value),
            "cuisine" => form.cuisine.set(value),
            "max_prep_minutes" => form.max_prep.set(value),
            "no_repeat_days" => set_window.set(value),
            "days" => set_days.set(value),
            _ => return,
        }
        run();
    };
    let refusal = move |text: String| {
        let offer = Suggestion::in_message(&text).map(|(field, value)| {
            let label = match &value {
                Some(v) => format!("Plan with {field} = {v}"),
                None => format!("Plan without {field}"),
            };
            view! {
                <button type="button" data-testid="plan-accept-suggestion"
                    on:click=move |_| accept(field.clone(), value.clone())>{label}</button>
            }
        });
        view! {
            <div data-testid="plan-refusal">
                <p class="error" data-testid="plan-error">{text}</p>
                {offer}
            </div>
        }
        .into_any()
    };
    view! {
        <section class="page meal-plan">
            <h1>"Meal planner"</h1>
            <p class="lede">
                "A plan of 1 to 14 days chosen by a mixed-integer program (good_lp with the pure-Rust microlp solver): every day within
                ±5% of the energy target with each macro's share in the goal's range, half to two servings a meal, no recipe twice
                within the chosen number of days, every diet and allergen filter respected, solved for all the days at once. Simple
                USDA foods (fruit, yoghurt, nuts, bread, grains, legumes, drinks) join as sides and snacks in household portions where
                the recipes alone cannot reach the targets. When no plan can meet them, it says which constraint failed and offers
                the nearest change that can be planned. The API: "<code>"GET /api/meal-plan"</code>"."
            </p>
            <form class="panel" on:submit=submit data-testid="plan-form">
                {form.view()}
                <label>
                    "Days "
                    <input type="number" min="1" max="14" data-testid="plan-days" prop:value=days on:input=move |ev| set_days.set(event_target_value(&ev)) />
                </label>
                <label>
                    "No repeat within (days) "
                    <input type="number" min="1" max="14" data-testid="plan-window" placeholder="3" prop:value=window on:input=move |ev| set_window.set(event_target_value(&ev)) />
                </label>
                <button type="submit" data-testid="plan-make" disabled=move || plan.pending().get()>
                    {move || if plan.pending().get() { "Planning…" } else { "Make a plan" }}
                </button>
            </form>
            {move || match plan.value().get() {
                None => view! { <p class="hint">"Choose a goal and press Make a plan."</p> }.into_any(),
                Some(Err(e)) => refusal(error_text(&e)),
                Some(Ok(p)) => plan_view(p, query.get_untracked()),
            }}
        </section>
    }
}

fn plan_view(p: MealPlan, query: String) -> AnyView {
    let energy = to_json(&plan_energy_chart(&p.days, &p.targets));
    let macros = to_json(&plan_macro_chart(&p.days, &p.targets));
    let columns = p
        .days
        .iter()
        .map(|d| {
            let meals = d
                .meals
                .iter()
                .map(|m| {
                    view! {
                        <li data-testid="plan-meal">
                            <strong>{m.title.clone()}</strong>
                            <span class="hint">{format!(" × {:.2} serving{} · {:.0} kcal", m.servings, if (m.servings - 1.0).abs() < 0.005 { "" } else { "s" }, m.nutrients.energy_kcal)}</span>
                        </li>
                    }
                })
                .collect_view();
            let sides = d
                .sides
                .iter()
                .map(|s| {
                    view! {
                        <li data-testid="plan-side" data-kind=s.kind.clone()>
                            <a href=format!("/nutrition?food={}", s.ndb_no)>{s.name.clone()}</a>
                            <span class="hint">{format!(" · {} {} · {:.0} g · {:.0} kcal", s.kind, s.amount, s.grams, s.nutrients.energy_kcal)}</span>
                        </li>
                    }
                })
                .collect_view();
            let has_sides = !d.sides.is_empty();
            view! {
                <div class="plan-day" data-testid="plan-day" data-meets=d.meets_targets.to_string()>
                    <h3>{format!("Day {}", d.day)}</h3>
                    <ol>{meals}</ol>
                    <Show when=move || has_sides>
                        <p class="hint">"Sides, snacks and drinks"</p>
                    </Show>
                    <ul class="plan-sides">{sides}</ul>
                    <p class="hint" data-testid="plan-day-total">
                        {format!("{:.0} kcal · protein {:.0}% · fat {:.0}% · carbohydrate {:.0}%", d.totals.energy_kcal, d.protein_pct, d.fat_pct, d.carbohydrate_pct)}
                    </p>
                </div>
            }
        })
        .collect_view();
    let shopping = p
        .shopping_list
        .iter()
        .map(|i| {
            let unweighed = if i.unweighed.is_empty() {
                String::new()
            } else {
                format!(" + {}", i.unweighed.join("; "))
            };
            view! {
                <tr data-testid="shopping-item">
                    <td>{i.item.clone()}</td>
                    <td class="num">{i.grams.map_or("–".into(), |g| format!("{g:.0} g"))}</td>
                    <td class="note">{unweighed}</td>
                    <td class="num">{i.recipes}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div data-testid="plan-result">
            <p data-testid="plan-targets">{targets_text(&p.targets)}</p>
            <p class="hint">
                {format!("{} recipes fit; solved by {} in {:.0} ms. Same plan from the API: ", p.eligible, p.solver, p.solve_ms)}
                <code>{format!("GET /api/meal-plan?{query}")}</code>
            </p>
            <div class="plan-week">{columns}</div>
            <EChart option=Signal::derive(move || Some(energy.clone())) test_id="plan-energy-chart" label="Energy per day against the target" />
            <EChart option=Signal::derive(move || Some(macros.clone())) test_id="plan-macro-chart" label="Macro shares of energy per day" />
            <h2>"Shopping list"</h2>
            <table class="data" data-testid="shopping-list">
                <thead><tr><th>"item"</th><th>"amount"</th><th>"not weighed"</th><th>"recipes"</th></tr></thead>
                <tbody>{shopping}</tbody>
            </table>
        </div>
    }
    .into_any()
}
