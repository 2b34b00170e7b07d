//! Multi-day meal plans chosen by mixed-integer programs (good_lp over the pure-Rust microlp
//! solver):
//!
//! - for each day `d` and candidate recipe `r`: `y[d][r]` ∈ {0, 1} (eaten that day) and its
//!   servings `s[d][r]` with `0.5·y ≤ s ≤ 2·y` (half a serving to two servings);
//! - for each day and side food `f` ([`SideFood`]: fruit, yoghurt, nuts, bread, legumes, drinks
//!   in household portions): `z[d][f]` half portions (0 to 4), at most [`MAX_SIDE_HALVES`] half
//!   portions a day and at most [`SIDE_SHARE`] of the day's energy;
//! - `Σ_r y[d][r] = meals a day` (each recipe at most once a day; the meals are then ordered by
//!   score), and no recipe twice within `no_repeat_days` consecutive days (variety; a request
//!   that names no window gets the widest of 3, 2 and 1 days its recipes allow);
//! - each day's energy within ±5% of the target, and each macro's share of energy inside the
//!   goal's range, written linearly: `Σ amount · (kcal_per_g · g − low · kcal) ≥ 0` and the same
//!   `≤ 0` with `high`;
//! - the objective maximises the summed meal scores ([`meal_score`]) of the chosen recipes, less
//!   [`SIDE_COST`] per half portion of a side (sides fill gaps; they do not replace meals).
//!
//! How it is solved, measured on the plan grid (`server evaluate-plans`): one program over all
//! seven days with integer half portions took seconds to minutes per plan in microlp's
//! depth-first branch and bound (27 s at worst), so the horizon rolls: each day is solved given
//! the days before it, and a day that cannot follow the one before is solved together with it
//! (a two-day window, re-planning the earlier day). Each solve has two passes ([`solve_days`]):
//! recipes chosen with sides in any amount, then the sides that pass used in half portions with
//! those recipes fixed; a combination whose sides cannot be made whole is excluded and the first
//! pass runs again. Plans take milliseconds.
//!
//! Candidates: the [`CANDIDATES`] best-scoring recipes that pass the request's filters, and the
//! sides that hold its diets and contain none of its excluded allergens. A request with no
//! solution is explained (too few recipes for the variety rule, the energy target out of reach,
//! or which macro range cannot be met) and, where one exists, the nearest change of the request
//! that can be planned is named ([`Suggestion`]).

use good_lp::{
    constraint, microlp, variable, Expression, ProblemVariables, Solution, SolverModel, Variable,
};
use mmi_types::{
    MealNutrients, MealTargets, PlanDay, PlannedMeal, PlannedSide, ShoppingItem, Suggestion,
};

use super::catalogue::RecipeProfile;
use super::recommend::{meal_score, Filters};
use super::sides::SideFood;

/// Recipes the solver chooses among.
pub const CANDIDATES: usize = 60;
/// Most half portions of sides in a day (six portions: a side with each meal and three snacks).
pub const MAX_SIDE_HALVES: f64 = 16.0;
/// Most half portions of one side in a day (two portions).
pub const MAX_HALVES_EACH: i32 = 4;
/// Most of a day's energy target the sides may bring.
pub const SIDE_SHARE: f64 = 0.5;
/// How many recipe combinations a day tries before it is given up (see [`solve_days`]).
pub const SIDE_TRIES: usize = 8;
/// What a half portion of a side costs in the objective (a meal's score is 0..1).
pub const SIDE_COST: f64 = 0.01;

/// Why no plan could be made, which request field to change, and a change that would work.
#[derive(Debug, Clone, PartialEq)]
pub struct Infeasible {
    pub field: &'static str,
    pub message: String,
    pub relaxation: Option<Suggestion>,
}

/// A plan's days (the shopping list is built from them).
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedDays {
    pub days: Vec<PlanDay>,
    pub eligible: usize,
    /// The variety window the plan keeps.
    pub no_repeat_days: u32,
}

/// The variety window of a request that names none: the widest of 3, 2 and 1 days that the
/// recipes allow.
pub const DEFAULT_NO_REPEAT_DAYS: u32 = 3;

/// What to plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanRequest {
    pub filters: Filters,
    pub targets: MealTargets,
    pub days: u32,
    pub meals_per_day: u32,
    /// No recipe twice within this many days; `None`: [`DEFAULT_NO_REPEAT_DAYS`] or less where
    /// the recipes that fit are too few.
    pub no_repeat_days: Option<u32>,
}

/// What one program may use; `energy` and `macros` switch constraints off for explanations.
struct Model<'a> {
    recipes: &'a [(&'a RecipeProfile, f64)],
    sides: &'a [&'a SideFood],
    days: usize,
    slots: usize,
    window: usize,
    /// Per day of the model, the candidates it may not use (eaten on a day already planned
    /// within the variety window).
    banned: &'a [Vec<usize>],
    targets: &'a MealTargets,
    energy: bool,
    macros: [bool; 3],
    /// Sides in whole half portions (else any amount: the fast first pass).
    whole_sides: bool,
    /// `(day, candidates)`: combinations of recipes a day may not have all of.
    cuts: &'a [(usize, Vec<usize>)],
}

/// One day's choice: `(candidate, servings)` best-scoring first, and `(side, portions)`.
struct DayChoice {
    meals: Vec<(usize, f64)>,
    sides: Vec<(usize, f64)>,
}

/// `(kcal per g, grams of it)` of each macro.
fn macro_grams(n: &MealNutrients) -> [(f64, f64); 3] {
    [(4.0, n.protein_g), (9.0, n.fat_g), (4.0, n.carbohydrate_g)]
}

fn ranges(t: &MealTargets) -> [[f64; 2]; 3] {
    [t.protein_pct, t.fat_pct, t.carbohydrate_pct]
}

impl<'a> Model<'a> {
    /// Every constraint on, sides in half portions; one day per entry of `banned`.
    fn new(
        recipes: &'a [(&'a RecipeProfile, f64)],
        sides: &'a [&'a SideFood],
        banned: &'a [Vec<usize>],
        slots: usize,
        window: usize,
        targets: &'a MealTargets,
    ) -> Model<'a> {
        Model {
            recipes,
            sides,
            days: banned.len(),
            slots,
            window,
            banned,
            targets,
            energy: true,
            macros: [true; 3],
            whole_sides: true,
            cuts: &[],
        }
    }
}

/// Solves the model's days together, or `None`.
fn solve(m: &Model) -> Option<Vec<DayChoice>> {
    let mut vars = ProblemVariables::new();
    let (n, f) = (m.recipes.len(), m.sides.len());
    // Per day, one binary per recipe (is it eaten that day?) and its servings; slots are
    // interchangeable, so the program has no slot index (no symmetric copies for branch and
    // bound to explore).
    let y: Vec<Vec<Variable>> = (0..m.days)
        .map(|_| (0..n).map(|_| vars.add(variable().binary())).collect())
        .collect();
    let s: Vec<Vec<Variable>> = (0..m.days)
        .map(|_| {
            (0..n)
                .map(|_| vars.add(variable().min(0.0).max(2.0)))
                .collect()
        })
        .collect();
    let z: Vec<Vec<Variable>> = (0..m.days)
        .map(|_| {
            (0..f)
                .map(|_| {
                    let v = variable().min(0).max(MAX_HALVES_EACH);
                    vars.add(if m.whole_sides { v.integer() } else { v })
                })
                .collect()
        })
        .collect();
    let mut objective = Expression::default();
    for (yd, zd) in y.iter().zip(&z) {
        for (recipe, v) in m.recipes.iter().zip(yd) {
            objective += recipe.1 * *v;
        }
        for v in zd {
            objective -= SIDE_COST * *v;
        }
    }
    let mut model = vars.maximise(objective).using(microlp);
    for d in 0..m.days {
        let meals: Expression = y[d].iter().sum();
        model = model.with(constraint!(meals == m.slots as f64));
        for r in &m.banned[d] {
            model = model.with(constraint!(y[d][*r] <= 0.0));
        }
        for r in 0..n {
            model = model.with(constraint!(s[d][r] <= 2.0 * y[d][r]));
            model = model.with(constraint!(s[d][r] >= 0.5 * y[d][r]));
        }
        let halves: Expression = z[d].iter().sum();
        model = model.with(constraint!(halves <= MAX_SIDE_HALVES));
        // Every amount of the day times what one unit of it brings.
        let total = |g: &dyn Fn(&MealNutrients) -> f64| -> Expression {
            let meals: Expression = (0..n)
                .map(|r| g(&m.recipes[r].0.per_serving) * s[d][r])
                .sum();
            let sides: Expression = (0..f)
                .map(|k| 0.5 * g(&m.sides[k].per_portion) * z[d][k])
                .sum();
            meals + sides
        };
        let side_kcal: Expression = (0..f)
            .map(|k| 0.5 * m.sides[k].per_portion.energy_kcal * z[d][k])
            .sum();
        model = model.with(constraint!(side_kcal <= SIDE_SHARE * m.targets.daily_kcal));
        if m.energy {
            let kcal = total(&|n| n.energy_kcal);
            model = model.with(constraint!(kcal.clone() >= 0.95 * m.targets.daily_kcal));
            model = model.with(constraint!(kcal <= 1.05 * m.targets.daily_kcal));
        }
        for (k, range) in ranges(m.targets).iter().enumerate() {
            if !m.macros[k] {
                continue;
            }
            let (lo, hi) = (range[0] / 100.0, range[1] / 100.0);
            let above = total(&|n| {
                let (per_g, g) = macro_grams(n)[k];
                per_g * g - lo * n.energy_kcal
            });
            let below = total(&|n| {
                let (per_g, g) = macro_grams(n)[k];
                per_g * g - hi * n.energy_kcal
            });
            model = model.with(constraint!(above >= 0.0));
            model = model.with(constraint!(below <= 0.0));
        }
    }
    for (d, set) in m.cuts {
        let together: Expression = set.iter().map(|r| y[*d][*r]).sum();
        model = model.with(constraint!(together <= set.len() as f64 - 1.0));
    }
    let window = m.window.min(m.days);
    if window > 1 {
        for r in 0..n {
            for d0 in 0..=(m.days - window) {
                let within: Expression = y[d0..d0 + window].iter().map(|yd| yd[r]).sum();
                model = model.with(constraint!(within <= 1.0));
            }
        }
    }
    let solution = model.solve().ok()?;
    let days: Vec<DayChoice> = (0..m.days)
        .map(|d| DayChoice {
            meals: (0..n)
                .filter(|r| solution.value(y[d][*r]) > 0.5)
                .map(|r| (r, solution.value(s[d][r]).clamp(0.5, 2.0)))
                .collect(),
            sides: (0..f)
                .map(|k| {
                    let halves = solution.value(z[d][k]);
                    (
                        k,
                        if m.whole_sides {
                            halves.round()
                        } else {
                            halves
                        } / 2.0,
                    )
                })
                .filter(|(_, portions)| *portions > 1e-6)
                .collect(),
        })
        .collect();
    days.iter()
        .all(|d| d.meals.len() == m.slots)
        .then_some(days)
}

/// Day totals and whether they meet the targets, recomputed from the meals and sides.
pub fn day_summary(
    day: u32,
    meals: Vec<PlannedMeal>,
    sides: Vec<PlannedSide>,
    t: &MealTargets,
) -> PlanDay {
    let mut totals = MealNutrients::default();
    for n in meals
        .iter()
        .map(|m| &m.nutrients)
        .chain(sides.iter().map(|s| &s.nutrients))
    {
        totals.add_scaled(n, 1.0);
    }
    let pct = |g: f64, per_g: f64| 100.0 * g * per_g / totals.energy_kcal.max(1e-9);
    let (protein_pct, fat_pct, carbohydrate_pct) = (
        pct(totals.protein_g, 4.0),
        pct(totals.fat_g, 9.0),
        pct(totals.carbohydrate_g, 4.0),
    );
    PlanDay {
        day,
        meets_targets: meets(&totals, t),
        meals,
        sides,
        totals,
        protein_pct,
        fat_pct,
        carbohydrate_pct,
    }
}

/// Energy within ±5% of the target and every macro share inside its range (a hair of
/// tolerance for the solver's floating point).
pub fn meets(totals: &MealNutrients, t: &MealTargets) -> bool {
    let kcal = totals.energy_kcal.max(1e-9);
    let inside = |g: f64, per_g: f64, r: [f64; 2]| {
        let v = 100.0 * g * per_g / kcal;
        v >= r[0] - 1e-6 && v <= r[1] + 1e-6
    };
    (totals.energy_kcal - t.daily_kcal).abs() <= 0.05 * t.daily_kcal + 1e-6
        && inside(totals.protein_g, 4.0, t.protein_pct)
        && inside(totals.fat_g, 9.0, t.fat_pct)
        && inside(totals.carbohydrate_g, 4.0, t.carbohydrate_pct)
}

/// Says which constraint makes the plan impossible (energy first, then each macro range).
fn explain(m: &Model, filters: &Filters) -> Infeasible {
    // Sides in any amount: a relaxation of the program, and fast.
    let m = &Model {
        whole_sides: false,
        ..*m
    };
    let relaxed = Model {
        energy: true,
        macros: [false; 3],
        ..*m
    };
    let what = format!(
        "the {} recipes that fit ({}) and {} simple sides",
        m.recipes.len(),
        filters.describe(),
        m.sides.len()
    );
    if solve(&relaxed).is_none() {
        let kcal: Vec<f64> = m
            .recipes
            .iter()
            .map(|(r, _)| r.per_serving.energy_kcal)
            .collect();
        let least = kcal.iter().cloned().fold(f64::INFINITY, f64::min) * 0.5 * m.slots as f64;
        let most = kcal.iter().cloned().fold(0.0, f64::max) * 2.0 * m.slots as f64
            + SIDE_SHARE * m.targets.daily_kcal;
        return Infeasible {
            field: "calories",
            message: format!(
                "the daily energy target of {:.0} kcal (±5%) cannot be met with {} meals of half to two servings of {what}: a day of them holds about {least:.0} to {most:.0} kcal",
                m.targets.daily_kcal, m.slots
            ),
            relaxation: None,
        };
    }
    let names = ["protein", "fat", "carbohydrate"];
    let failing: Vec<String> = (0..3)
        .filter(|k| {
            let mut macros = [false; 3];
            macros[*k] = true;
            solve(&Model { macros, ..*m }).is_none()
        })
        .map(|k| {
            let r = ranges(m.targets)[k];
            format!("{} {:.0}–{:.0}% of energy", names[k], r[0], r[1])
        })
        .collect();
    let ranges = if failing.is_empty() {
        "the macro ranges together".to_string()
    } else {
        failing.join(" and ")
    };
    Infeasible {
        field: "goal",
        message: format!(
            "{ranges} cannot be met every day at {:.0} kcal with {what}",
            m.targets.daily_kcal
        ),
        relaxation: None,
    }
}

/// Solves the model's days in two passes: recipes chosen with sides in any amount (a fast
/// program), then, with those recipes fixed, the sides in half portions (a small one). Where
/// the second pass fails, that day's combination of recipes is excluded and the first pass runs
/// again, at most [`SIDE_TRIES`] times. (One program with whole half portions and every recipe
/// binary took up to 27 s on the grid; this takes milliseconds.)
fn solve_days(m: &Model) -> Option<Vec<DayChoice>> {
    let mut cuts: Vec<(usize, Vec<usize>)> = m.cuts.to_vec();
    'tries: for _ in 0..SIDE_TRIES {
        let first = solve(&Model {
            whole_sides: false,
            cuts: &cuts,
            ..*m
        })?;
        let mut out = Vec::with_capacity(first.len());
        for (d, day) in first.iter().enumerate() {
            let chosen: Vec<(&RecipeProfile, f64)> =
                day.meals.iter().map(|(r, _)| m.recipes[*r]).collect();
            // The sides the first pass used, now in half portions: a program of a handful of
            // small integers.
            let used: Vec<&SideFood> = day.sides.iter().map(|(k, _)| m.sides[*k]).collect();
            let none = [Vec::new()];
            let fixed = Model {
                recipes: &chosen,
                sides: &used,
                days: 1,
                window: 1,
                banned: &none,
                cuts: &[],
                whole_sides: true,
                ..*m
            };
            let Some(mut one) = solve(&fixed) else {
                // No half portions fit these recipes: not this combination again.
                cuts.push((d, day.meals.iter().map(|(r, _)| *r).collect()));
                continue 'tries;
            };
            let mut c = one.remove(0);
            for meal in &mut c.meals {
                meal.0 = day.meals[meal.0].0;
            }
            for side in &mut c.sides {
                side.0 = day.sides[side.0].0;
            }
            out.push(c);
        }
        return Some(out);
    }
    None
}

/// A solved day as the plan shows it.
fn planned_day(
    day: u32,
    choice: DayChoice,
    scored: &[(&RecipeProfile, f64)],
    sides: &[&SideFood],
    targets: &MealTargets,
) -> PlanDay {
    let meals = choice
        .meals
        .into_iter()
        .enumerate()
        .map(|(slot, (r, servings))| {
            let p = scored[r].0;
            PlannedMeal {
                slot: slot as u32 + 1,
                recipe_id: p.recipe_id,
                title: p.title.clone(),
                servings,
                nutrients: p.per_serving.scaled(servings),
            }
        })
        .collect();
    let planned = choice
        .sides
        .into_iter()
        .map(|(k, portions)| sides[k].planned(portions))
        .collect();
    day_summary(day, meals, planned, targets)
}

/// Plans the request as asked, or says why not.
fn attempt(
    catalogue: &[RecipeProfile],
    sides: &[SideFood],
    request: &PlanRequest,
    window: u32,
    explained: bool,
) -> Result<PlannedDays, Infeasible> {
    let (filters, targets) = (&request.filters, &request.targets);
    let mut scored: Vec<(&RecipeProfile, f64)> = catalogue
        .iter()
        .filter(|p| filters.admits(p))
        .map(|p| (p, meal_score(p, targets)))
        .collect();
    let eligible = scored.len();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.recipe_id.cmp(&b.0.recipe_id)));
    scored.truncate(CANDIDATES);
    let sides: Vec<&SideFood> = sides.iter().filter(|s| filters.admits_side(s)).collect();
    let days = request.days.max(1) as usize;
    let slots = request.meals_per_day as usize;
    let window = window.clamp(1, days as u32) as usize;
    let needed = slots * window;
    if scored.len() < needed {
        return Err(Infeasible {
            field: "diet",
            message: format!(
                "only {} recipes fit ({}): {} meals a day without repeating a recipe within {} days needs at least {}",
                eligible, filters.describe(), slots, window, needed
            ),
            relaxation: None,
        });
    }
    let index: std::collections::HashMap<i64, usize> = scored
        .iter()
        .enumerate()
        .map(|(i, (p, _))| (p.recipe_id, i))
        .collect();
    let mut out: Vec<PlanDay> = Vec::with_capacity(days);
    // The candidates each of the days `from..from + n` may not use: those of planned days
    // within the variety window.
    let banned_for = |out: &[PlanDay], from: usize, n: usize| -> Vec<Vec<usize>> {
        (from..from + n)
            .map(|day| {
                out.iter()
                    .enumerate()
                    .filter(|(planned, _)| day - planned < window)
                    .flat_map(|(_, p)| p.meals.iter().map(|m| index[&m.recipe_id]))
                    .collect()
            })
            .collect()
    };
    let mut d = 0;
    while d < days {
        let banned = banned_for(&out, d, 1);
        if let Some(mut choice) = solve_days(&Model::new(
            &scored, &sides, &banned, slots, window, targets,
        )) {
            out.push(planned_day(
                d as u32 + 1,
                choice.remove(0),
                &scored,
                &sides,
                targets,
            ));
            d += 1;
            continue;
        }
        // The day cannot follow the one before: plan the two together.
        if d > 0 {
            let kept = out.pop().expect("a planned day");
            let banned = banned_for(&out, d - 1, 2);
            if let Some(two) = solve_days(&Model::new(
                &scored, &sides, &banned, slots, window, targets,
            )) {
                for (k, choice) in two.into_iter().enumerate() {
                    out.push(planned_day(
                        (d + k) as u32,
                        choice,
                        &scored,
                        &sides,
                        targets,
                    ));
                }
                d += 1;
                continue;
            }
            out.push(kept);
        }
        if !explained {
            return Err(Infeasible {
                field: "goal",
                message: format!("day {} cannot be planned", d + 1),
                relaxation: None,
            });
        }
        let model = Model::new(&scored, &sides, &banned, slots, window, targets);
        let mut why = explain(&model, filters);
        why.message = format!("day {}: {}", d + 1, why.message);
        return Err(why);
    }
    Ok(PlannedDays {
        days: out,
        eligible,
        no_repeat_days: window as u32,
    })
}

/// The changes tried, nearest first, when a request cannot be planned: a shorter variety window,
/// a meal more or fewer, no cuisine or prep-time filter, then the energy target 10% and 20% either
/// way. Diets and excluded allergens are never relaxed.
fn relaxations(request: &PlanRequest) -> Vec<(Suggestion, PlanRequest)> {
    let mut out = Vec::new();
    let mut push = |field: &str, value: Option<String>, what: String, r: PlanRequest| {
        out.push((
            Suggestion {
                field: field.to_string(),
                value,
                message: what,
            },
            r,
        ));
    };
    // An adaptive window (none asked for) has already tried every window.
    let asked = request.no_repeat_days.unwrap_or(1);
    for window in (1..asked.min(request.days)).rev() {
        push(
            "no_repeat_days",
            Some(window.to_string()),
            format!("repeating a recipe after {window} days instead of {asked}"),
            PlanRequest {
                no_repeat_days: Some(window),
                ..request.clone()
            },
        );
    }
    for meals in [
        request.meals_per_day + 1,
        request.meals_per_day.saturating_sub(1),
    ] {
        if !(1..=mmi_types::MAX_MEALS_PER_DAY).contains(&meals) {
            continue;
        }
        let mut r = request.clone();
        r.meals_per_day = meals;
        r.targets.meal_kcal = r.targets.daily_kcal / f64::from(meals);
        push(
            "meals_per_day",
            Some(meals.to_string()),
            format!("{meals} meals a day instead of {}", request.meals_per_day),
            r,
        );
    }
    if request.filters.cuisine.is_some() {
        let mut r = request.clone();
        r.filters.cuisine = None;
        push("cuisine", None, "any cuisine".into(), r);
    }
    if request.filters.max_prep_minutes.is_some() {
        let mut r = request.clone();
        r.filters.max_prep_minutes = None;
        push(
            "max_prep_minutes",
            None,
            "no limit on preparation time".into(),
            r,
        );
    }
    for k in [0.9, 1.1, 0.8, 1.2] {
        let kcal = (request.targets.daily_kcal * k / 50.0).round() * 50.0;
        let mut r = request.clone();
        r.targets.daily_kcal = kcal;
        r.targets.meal_kcal = kcal / f64::from(r.meals_per_day.max(1));
        push(
            "calories",
            Some(format!("{kcal:.0}")),
            format!(
                "{kcal:.0} kcal a day instead of {:.0}",
                request.targets.daily_kcal
            ),
            r,
        );
    }
    out
}

/// Plans `request.days` days of `request.meals_per_day` meals with sides; when that is
/// impossible, the error says why and names the nearest change that can be planned.
pub fn plan_days(
    catalogue: &[RecipeProfile],
    sides: &[SideFood],
    request: &PlanRequest,
) -> Result<PlannedDays, Infeasible> {
    let windows: Vec<u32> = match request.no_repeat_days {
        Some(w) => vec![w],
        None => (1..=DEFAULT_NO_REPEAT_DAYS).rev().collect(),
    };
    // The reason given is the most permissive window's (the last tried).
    let mut last: Option<Infeasible> = None;
    for (i, w) in windows.iter().enumerate() {
        match attempt(catalogue, sides, request, *w, i + 1 == windows.len()) {
            Ok(plan) => return Ok(plan),
            Err(why) => last = Some(why),
        }
    }
    let mut why = last.expect("one window at least");
    // Whether a change can be planned at all: with the widest variety it allows.
    let feasible = |r: &PlanRequest| {
        let w = r.no_repeat_days.unwrap_or(1);
        attempt(catalogue, sides, r, w, false).is_ok()
    };
    why.relaxation = relaxations(request)
        .into_iter()
        .find(|(_, r)| feasible(r))
        .map(|(relaxation, _)| relaxation);
    if let Some(r) = &why.relaxation {
        why.message = format!(
            "{}; it can be planned with {} {}",
            why.message,
            r.message,
            r.tail()
        );
    }
    Err(why)
}

/// One shopping item while it is summed: grams, lines without grams, the recipes using it.
type Tally = (Option<f64>, Vec<String>, std::collections::BTreeSet<i64>);

/// The plan's ingredients summed by item over every planned serving, and its sides by food (a
/// side and a recipe line matched to the same USDA food are one item).
pub fn shopping_list(
    days: &[PlanDay],
    catalogue: &[RecipeProfile],
    sides: &[SideFood],
) -> Vec<ShoppingItem> {
    let mut items: std::collections::BTreeMap<String, Tally> = Default::default();
    for side in days.iter().flat_map(|d| &d.sides) {
        let item = sides
            .iter()
            .find(|s| s.ndb_no == side.ndb_no)
            .map_or(side.name.clone(), |s| s.description.clone());
        let e = items
            .entry(item)
            .or_insert((None, Vec::new(), Default::default()));
        *e.0.get_or_insert(0.0) += side.grams;
    }
    for meal in days.iter().flat_map(|d| &d.meals) {
        let Some(p) = catalogue.iter().find(|p| p.recipe_id == meal.recipe_id) else {
            continue;
        };
        for l in &p.lines {
            let e = items
                .entry(l.item.clone())
                .or_insert((None, Vec::new(), Default::default()));
            match l.grams_per_serving {
                Some(g) => *e.0.get_or_insert(0.0) += g * meal.servings,
                None => e.1.push(format!(
                    "{} (× {:.2} of {} servings)",
                    l.line, meal.servings, p.servings
                )),
            }
            e.2.insert(p.recipe_id);
        }
    }
    let mut list: Vec<ShoppingItem> = items
        .into_iter()
        .map(|(item, (grams, unweighed, recipes))| ShoppingItem {
            item,
            grams,
            unweighed,
            recipes: recipes.len(),
        })
        .collect();
    list.sort_by(|a, b| {
        b.grams
            .unwrap_or(0.0)
            .total_cmp(&a.grams.unwrap_or(0.0))
            .then(a.item.cmp(&b.item))
    });
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meals::evaluate::recomputed;
    use crate::meals::recommend::tests::profile;
    use crate::meals::sides::SideKind;
    use crate::meals::targets::targets;
    use mmi_types::Goal;
    use proptest::prelude::*;

    /// 60 synthetic recipes over a spread of energy and protein, every one 30% fat.
    fn catalogue() -> Vec<RecipeProfile> {
        (0..60)
            .map(|i| {
                let kcal = 250.0 + 25.0 * (i % 30) as f64;
                let protein = 12.0 + (i * 7 % 25) as f64;
                let diet: &[&str] = if i % 3 == 0 {
                    &["vegan", "vegetarian"]
                } else {
                    &["vegetarian"]
                };
                let allergens: &[&str] = if i % 4 == 0 { &["peanuts"] } else { &[] };
                profile(i, kcal, protein, diet, allergens)
            })
            .collect()
    }

    /// A side of `kcal` a portion with grams of protein, fat and carbohydrate.
    fn side(ndb: &str, name: &str, pfc: [f64; 3], vegan: bool, allergens: u16) -> SideFood {
        let kcal = 4.0 * pfc[0] + 9.0 * pfc[1] + 4.0 * pfc[2];
        SideFood {
            ndb_no: ndb.into(),
            name: name.into(),
            description: format!("USDA {name}"),
            kind: SideKind::Snack,
            amount: 1.0,
            measure: "cup".into(),
            grams: 100.0,
            per_portion: MealNutrients {
                energy_kcal: kcal,
                protein_g: pfc[0],
                fat_g: pfc[1],
                carbohydrate_g: pfc[2],
                fiber_g: 2.0,
                sodium_mg: 10.0,
            },
            labels: [
                Some(vegan),
                Some(true),
                Some(true),
                Some(false),
                Some(false),
                Some(true),
                Some(true),
                Some(false),
            ],
            allergens,
        }
    }

    /// Nuts (fat, peanut allergen), yoghurt (protein, milk), a banana (carbohydrate).
    fn sides() -> Vec<SideFood> {
        vec![
            side("16090", "peanuts", [7.0, 14.0, 6.0], true, 1 << 5),
            side("01256", "yogurt", [17.0, 0.7, 6.0], false, 1),
            side("09040", "banana", [1.3, 0.4, 27.0], true, 0),
        ]
    }

    fn request(
        filters: Filters,
        t: MealTargets,
        days: u32,
        meals: u32,
        window: u32,
    ) -> PlanRequest {
        PlanRequest {
            filters,
            targets: t,
            days,
            meals_per_day: meals,
            no_repeat_days: Some(window),
        }
    }

    #[test]
    fn a_week_meets_its_targets_without_repeats() {
        let (c, sides) = (catalogue(), sides());
        let t = targets(Goal::Maintenance, Some(2200.0), None, 3);
        let plan = plan_days(&c, &sides, &request(Filters::default(), t.clone(), 7, 3, 3)).unwrap();
        assert_eq!(plan.days.len(), 7);
        for d in &plan.days {
            assert!(d.meets_targets, "{d:?}");
            assert!(meets(&recomputed(d, &c, &sides), &t), "{d:?}");
            assert_eq!(d.meals.len(), 3);
        }
        let list = shopping_list(&plan.days, &c, &sides);
        let grams: f64 = list.iter().filter_map(|i| i.grams).sum();
        let servings: f64 = plan
            .days
            .iter()
            .flat_map(|d| &d.meals)
            .map(|m| m.servings)
            .sum();
        let side_grams: f64 = plan
            .days
            .iter()
            .flat_map(|d| &d.sides)
            .map(|s| s.grams)
            .sum();
        // Every synthetic recipe has one 100 g line a serving; a side portion is 100 g.
        assert!((grams - 100.0 * servings - side_grams).abs() < 1e-6);
    }

    #[test]
    fn sides_reach_what_recipes_alone_cannot_and_respect_the_filters() {
        let c = catalogue();
        // Every recipe has 30% of energy from fat: a 35–40% fat goal needs the peanuts.
        let mut t = targets(Goal::Maintenance, Some(2000.0), None, 3);
        t.fat_pct = [35.0, 40.0];
        t.carbohydrate_pct = [35.0, 65.0];
        let e = plan_days(&c, &[], &request(Filters::default(), t.clone(), 1, 3, 1)).unwrap_err();
        assert_eq!(e.field, "goal");
        assert!(e.message.contains("fat 35–40%"), "{}", e.message);
        let plan = plan_days(
            &c,
            &sides(),
            &request(Filters::default(), t.clone(), 3, 3, 1),
        )
        .unwrap();
        for d in &plan.days {
            assert!(
                d.meets_targets && d.sides.iter().any(|s| s.name == "peanuts"),
                "{d:?}"
            );
        }
        // Without peanuts nothing else brings the fat.
        let no_peanuts = Filters {
            exclude: vec!["peanuts".into()],
            ..Filters::default()
        };
        let e = plan_days(&c, &sides(), &request(no_peanuts, t, 1, 3, 1)).unwrap_err();
        assert_eq!(e.field, "goal");
    }

    #[test]
    fn impossible_requests_say_which_constraint_failed_and_what_would_work() {
        let (c, sides) = (catalogue(), sides());
        let t = targets(Goal::Maintenance, Some(4000.0), None, 1);
        let e = plan_days(&c, &sides, &request(Filters::default(), t, 2, 1, 1)).unwrap_err();
        assert_eq!(e.field, "calories");
        assert!(e.message.contains("4000 kcal"), "{}", e.message);
        // One meal of at most two servings of 975 kcal and four portions of sides hold at most
        // about 2,700 kcal; two meals can hold 4,000 kcal.
        let r = e.relaxation.unwrap();
        assert_eq!(
            (r.field.as_str(), r.value.as_deref()),
            ("meals_per_day", Some("2"))
        );
        assert!(e.message.contains("meals_per_day=2"), "{}", e.message);
        let vegan_no_peanuts = Filters {
            diets: vec!["vegan".into()],
            exclude: vec!["peanuts".into()],
            ..Filters::default()
        };
        let t = targets(Goal::Maintenance, Some(2000.0), None, 6);
        let e = plan_days(&c, &sides, &request(vegan_no_peanuts, t, 7, 6, 7)).unwrap_err();
        assert_eq!(e.field, "diet");
        assert!(
            e.message.contains("vegan, without peanuts"),
            "{}",
            e.message
        );
        // 15 vegan recipes without peanuts: 6 a day for 2 days apart is 12.
        let r = e.relaxation.unwrap();
        assert_eq!(r.field, "no_repeat_days");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// Every plan the planner returns meets every constraint, recomputed from its recipes and
        /// sides; every refusal says why; ordinary requests are planned.
        #[test]
        fn every_plan_meets_its_constraints(
            days in 1u32..=5,
            meals in 1u32..=4,
            calories in 1400.0f64..3200.0,
            goal in prop_oneof![Just(Goal::WeightLoss), Just(Goal::Maintenance), Just(Goal::MuscleGain)],
            vegan in any::<bool>(),
            no_peanuts in any::<bool>(),
            window in 1u32..=4,
        ) {
            let (c, sides) = (catalogue(), sides());
            let t = targets(goal, Some(calories), None, meals);
            let filters = Filters {
                diets: if vegan { vec!["vegan".into()] } else { vec![] },
                exclude: if no_peanuts { vec!["peanuts".into()] } else { vec![] },
                ..Filters::default()
            };
            match plan_days(&c, &sides, &request(filters.clone(), t.clone(), days, meals, window)) {
                Ok(plan) => {
                    prop_assert_eq!(plan.days.len(), days as usize);
                    for (i, d) in plan.days.iter().enumerate() {
                        prop_assert!(meets(&recomputed(d, &c, &sides), &t), "{:?}", d);
                        prop_assert!(d.meets_targets, "{:?}", d);
                        prop_assert_eq!(d.meals.len(), meals as usize);
                        for m in &d.meals {
                            let p = c.iter().find(|p| p.recipe_id == m.recipe_id).unwrap();
                            prop_assert!(filters.admits(p));
                            prop_assert!((0.5..=2.0).contains(&m.servings));
                            // No recipe again within the window.
                            for earlier in plan.days[i.saturating_sub(window as usize - 1)..i].iter() {
                                prop_assert!(earlier.meals.iter().all(|e| e.recipe_id != m.recipe_id));
                            }
                        }
                        for s in &d.sides {
                            let f = sides.iter().find(|f| f.ndb_no == s.ndb_no).unwrap();
                            prop_assert!(filters.admits_side(f));
                            prop_assert!(s.portions > 0.0 && s.portions <= 2.0);
                        }
                        let mut ids: Vec<i64> = d.meals.iter().map(|m| m.recipe_id).collect();
                        ids.sort_unstable();
                        ids.dedup();
                        prop_assert_eq!(ids.len(), meals as usize);
                    }
                }
                Err(e) => {
                    // Three meals of 250–975 kcal at 30% fat with the sides fit every
                    // maintenance day of 1,400–3,200 kcal.
                    prop_assert!(
                        !(goal == Goal::Maintenance && meals == 3 && !vegan),
                        "an ordinary request was refused: {:?}", e
                    );
                    prop_assert!(["calories", "goal", "diet"].contains(&e.field));
                    prop_assert!(!e.message.is_empty());
                }
            }
        }
    }
}
