//! Multi-day meal plans chosen by a mixed-integer program (good_lp over the pure-Rust microlp
//! solver), one day at a time:
//!
//! - variables, for each candidate recipe `r`: `y[r]` ∈ {0, 1} (eaten today) and its servings
//!   `s[r]` with `0.5·y ≤ s ≤ 2·y` (half a serving to two servings);
//! - `Σ y = meals a day` (each recipe at most once a day; the meals are then ordered by score),
//!   and no recipe used on the previous `no_repeat_days − 1` days (variety);
//! - the day's energy within ±5% of the target, and each macro's share of energy inside the
//!   goal's range, written linearly: `Σ s · (kcal_per_g · g − low · kcal) ≥ 0` and the same
//!   `≤ 0` with `high`;
//! - the objective maximises the summed meal scores ([`meal_score`]) of the chosen recipes.
//!
//! Candidates: the 150 best-scoring recipes that pass the request's filters. A day with no
//! solution is explained: too few recipes for the variety rule, the energy target out of reach,
//! or which macro range cannot be met with it.

use good_lp::{
    constraint, microlp, variable, Expression, ProblemVariables, Solution, SolverModel, Variable,
};
use mmi_types::{MealNutrients, MealTargets, PlanDay, PlannedMeal, ShoppingItem};

use super::catalogue::RecipeProfile;
use super::recommend::{meal_score, Filters};

/// Recipes the solver chooses among each day.
pub const CANDIDATES: usize = 150;

/// Why no plan could be made, and which request field to change.
#[derive(Debug, Clone, PartialEq)]
pub struct Infeasible {
    pub field: &'static str,
    pub message: String,
}

/// A plan's days (the shopping list is built from them).
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedDays {
    pub days: Vec<PlanDay>,
    pub eligible: usize,
}

/// What one day's program may use.
struct DayProblem<'a> {
    recipes: &'a [(&'a RecipeProfile, f64)],
    slots: usize,
    banned: &'a [i64],
    targets: &'a MealTargets,
    energy: bool,
    macros: [bool; 3],
}

/// `(kcal per g, grams of it in a serving)` of each macro.
fn macro_grams(n: &MealNutrients) -> [(f64, f64); 3] {
    [(4.0, n.protein_g), (9.0, n.fat_g), (4.0, n.carbohydrate_g)]
}

fn ranges(t: &MealTargets) -> [[f64; 2]; 3] {
    [t.protein_pct, t.fat_pct, t.carbohydrate_pct]
}

/// Solves one day: the chosen `(candidate index, servings)`, best-scoring first, or `None`.
fn solve_day(p: &DayProblem) -> Option<Vec<(usize, f64)>> {
    let mut vars = ProblemVariables::new();
    let n = p.recipes.len();
    // One binary per recipe (is it eaten today?) and its servings; slots are interchangeable,
    // so the program has no slot index (no symmetric copies for branch and bound to explore).
    let y: Vec<Variable> = (0..n).map(|_| vars.add(variable().binary())).collect();
    let s: Vec<Variable> = (0..n)
        .map(|_| vars.add(variable().min(0.0).max(2.0)))
        .collect();
    let objective: Expression = (0..n).map(|r| p.recipes[r].1 * y[r]).sum();
    let mut model = vars.maximise(objective).using(microlp);
    let meals: Expression = y.iter().sum();
    model = model.with(constraint!(meals == p.slots as f64));
    for r in 0..n {
        model = model.with(constraint!(s[r] <= 2.0 * y[r]));
        model = model.with(constraint!(s[r] >= 0.5 * y[r]));
        if p.banned.contains(&p.recipes[r].0.recipe_id) {
            model = model.with(constraint!(y[r] <= 0.0));
        }
    }
    let total = |f: &dyn Fn(&MealNutrients) -> f64| -> Expression {
        (0..n).map(|r| f(&p.recipes[r].0.per_serving) * s[r]).sum()
    };
    if p.energy {
        let kcal = total(&|n| n.energy_kcal);
        model = model.with(constraint!(kcal.clone() >= 0.95 * p.targets.daily_kcal));
        model = model.with(constraint!(kcal <= 1.05 * p.targets.daily_kcal));
    }
    for (k, range) in ranges(p.targets).iter().enumerate() {
        if !p.macros[k] {
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
    let solution = model.solve().ok()?;
    let chosen: Vec<(usize, f64)> = (0..n)
        .filter(|r| solution.value(y[*r]) > 0.5)
        .map(|r| (r, solution.value(s[r]).clamp(0.5, 2.0)))
        .collect();
    (chosen.len() == p.slots).then_some(chosen)
}

fn scaled(n: &MealNutrients, servings: f64) -> MealNutrients {
    MealNutrients {
        energy_kcal: n.energy_kcal * servings,
        protein_g: n.protein_g * servings,
        fat_g: n.fat_g * servings,
        carbohydrate_g: n.carbohydrate_g * servings,
        fiber_g: n.fiber_g * servings,
        sodium_mg: n.sodium_mg * servings,
    }
}

/// Day totals and whether they meet the targets.
pub fn day_summary(day: u32, meals: Vec<PlannedMeal>, t: &MealTargets) -> PlanDay {
    let mut totals = MealNutrients::default();
    for m in &meals {
        let n = &m.nutrients;
        totals.energy_kcal += n.energy_kcal;
        totals.protein_g += n.protein_g;
        totals.fat_g += n.fat_g;
        totals.carbohydrate_g += n.carbohydrate_g;
        totals.fiber_g += n.fiber_g;
        totals.sodium_mg += n.sodium_mg;
    }
    let pct = |g: f64, per_g: f64| 100.0 * g * per_g / totals.energy_kcal.max(1e-9);
    let (protein_pct, fat_pct, carbohydrate_pct) = (
        pct(totals.protein_g, 4.0),
        pct(totals.fat_g, 9.0),
        pct(totals.carbohydrate_g, 4.0),
    );
    // A hair of tolerance for the solver's floating point.
    let inside = |v: f64, r: [f64; 2]| v >= r[0] - 1e-6 && v <= r[1] + 1e-6;
    let meets_targets = (totals.energy_kcal - t.daily_kcal).abs() <= 0.05 * t.daily_kcal + 1e-6
        && inside(protein_pct, t.protein_pct)
        && inside(fat_pct, t.fat_pct)
        && inside(carbohydrate_pct, t.carbohydrate_pct);
    PlanDay {
        day,
        meals,
        totals,
        protein_pct,
        fat_pct,
        carbohydrate_pct,
        meets_targets,
    }
}

/// Says which constraint makes a day impossible (energy first, then each macro range).
fn explain(p: &DayProblem, filters: &Filters) -> Infeasible {
    let relaxed = DayProblem {
        energy: true,
        macros: [false; 3],
        ..*p
    };
    if solve_day(&relaxed).is_none() {
        let kcal: Vec<f64> = p
            .recipes
            .iter()
            .map(|(r, _)| r.per_serving.energy_kcal)
            .collect();
        let most = kcal.iter().cloned().fold(0.0, f64::max) * 2.0 * p.slots as f64;
        let least = kcal.iter().cloned().fold(f64::INFINITY, f64::min) * 0.5 * p.slots as f64;
        return Infeasible {
            field: "calories",
            message: format!(
                "the daily energy target of {:.0} kcal (±5%) cannot be met with {} meals of half to two servings of the {} recipes that fit ({}): a day can hold about {:.0} to {:.0} kcal",
                p.targets.daily_kcal, p.slots, p.recipes.len(), filters.describe(), least, most
            ),
        };
    }
    let names = ["protein", "fat", "carbohydrate"];
    let failing: Vec<String> = (0..3)
        .filter(|k| {
            let mut macros = [false; 3];
            macros[*k] = true;
            solve_day(&DayProblem { macros, ..*p }).is_none()
        })
        .map(|k| {
            let r = ranges(p.targets)[k];
            format!("{} {:.0}–{:.0}% of energy", names[k], r[0], r[1])
        })
        .collect();
    let what = if failing.is_empty() {
        "the macro ranges together".to_string()
    } else {
        failing.join(" and ")
    };
    Infeasible {
        field: "goal",
        message: format!(
            "{what} cannot be met at {:.0} kcal a day with the {} recipes that fit ({})",
            p.targets.daily_kcal,
            p.recipes.len(),
            filters.describe()
        ),
    }
}

/// Plans `days` days of `meals_per_day` meals.
pub fn plan_days(
    catalogue: &[RecipeProfile],
    filters: &Filters,
    targets: &MealTargets,
    days: u32,
    meals_per_day: u32,
    no_repeat_days: u32,
) -> Result<PlannedDays, Infeasible> {
    let mut scored: Vec<(&RecipeProfile, f64)> = catalogue
        .iter()
        .filter(|p| filters.admits(p))
        .map(|p| (p, meal_score(p, targets)))
        .collect();
    let eligible = scored.len();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.recipe_id.cmp(&b.0.recipe_id)));
    scored.truncate(CANDIDATES);
    let slots = meals_per_day as usize;
    let window = no_repeat_days.clamp(1, days.max(1)) as usize;
    let needed = slots * window;
    if scored.len() < needed {
        return Err(Infeasible {
            field: "diet",
            message: format!(
                "only {} recipes fit ({}): {} meals a day without repeating a recipe within {} days needs at least {}",
                eligible, filters.describe(), slots, window, needed
            ),
        });
    }
    let mut out: Vec<PlanDay> = Vec::with_capacity(days as usize);
    for d in 0..days {
        let banned: Vec<i64> = out
            .iter()
            .rev()
            .take(window - 1)
            .flat_map(|day| day.meals.iter().map(|m| m.recipe_id))
            .collect();
        let problem = DayProblem {
            recipes: &scored,
            slots,
            banned: &banned,
            targets,
            energy: true,
            macros: [true; 3],
        };
        let Some(chosen) = solve_day(&problem) else {
            let mut why = explain(&problem, filters);
            why.message = format!("day {}: {}", d + 1, why.message);
            return Err(why);
        };
        let meals = chosen
            .into_iter()
            .enumerate()
            .map(|(m, (r, servings))| {
                let p = scored[r].0;
                PlannedMeal {
                    slot: m as u32 + 1,
                    recipe_id: p.recipe_id,
                    title: p.title.clone(),
                    servings,
                    nutrients: scaled(&p.per_serving, servings),
                }
            })
            .collect();
        out.push(day_summary(d + 1, meals, targets));
    }
    Ok(PlannedDays {
        days: out,
        eligible,
    })
}

/// One shopping item while it is summed: grams, lines without grams, the recipes using it.
type Tally = (Option<f64>, Vec<String>, std::collections::BTreeSet<i64>);

/// The plan's ingredients summed by item over every planned serving.
pub fn shopping_list(days: &[PlanDay], catalogue: &[RecipeProfile]) -> Vec<ShoppingItem> {
    let mut items: std::collections::BTreeMap<String, Tally> = Default::default();
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
    use crate::meals::recommend::tests::profile;
    use crate::meals::targets::targets;
    use mmi_types::Goal;
    use proptest::prelude::*;

    /// 60 synthetic recipes over a spread of energy and protein.
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

    #[test]
    fn a_week_meets_its_targets_without_repeats() {
        let c = catalogue();
        let t = targets(Goal::Maintenance, Some(2200.0), None, 3);
        let plan = plan_days(&c, &Filters::default(), &t, 7, 3, 3).unwrap();
        assert_eq!(plan.days.len(), 7);
        for d in &plan.days {
            assert!(d.meets_targets, "{d:?}");
            assert_eq!(d.meals.len(), 3);
        }
        let list = shopping_list(&plan.days, &c);
        let grams: f64 = list.iter().filter_map(|i| i.grams).sum();
        let servings: f64 = plan
            .days
            .iter()
            .flat_map(|d| &d.meals)
            .map(|m| m.servings)
            .sum();
        // Every synthetic recipe has one 100 g line a serving.
        assert!((grams - 100.0 * servings).abs() < 1e-6);
    }

    #[test]
    fn impossible_requests_say_which_constraint_failed() {
        let c = catalogue();
        let t = targets(Goal::Maintenance, Some(6000.0), None, 1);
        let e = plan_days(&c, &Filters::default(), &t, 2, 1, 1).unwrap_err();
        assert_eq!(e.field, "calories");
        assert!(e.message.contains("6000 kcal"), "{}", e.message);
        let vegan_no_peanuts = Filters {
            diets: vec!["vegan".into()],
            exclude: vec!["peanuts".into()],
            ..Filters::default()
        };
        let e = plan_days(&c, &vegan_no_peanuts, &t, 7, 6, 7).unwrap_err();
        assert_eq!(e.field, "diet");
        assert!(
            e.message.contains("vegan, without peanuts"),
            "{}",
            e.message
        );
        // Every recipe here has 30% of energy from fat: a 35–40% fat goal is out of reach.
        let mut t = targets(Goal::Maintenance, Some(2000.0), None, 3);
        t.fat_pct = [35.0, 40.0];
        let e = plan_days(&c, &Filters::default(), &t, 1, 3, 1).unwrap_err();
        assert_eq!(e.field, "goal");
        assert!(e.message.contains("fat 35–40%"), "{}", e.message);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// Every plan the planner returns meets every constraint; every refusal says why.
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
            let c = catalogue();
            let t = targets(goal, Some(calories), None, meals);
            let filters = Filters {
                diets: if vegan { vec!["vegan".into()] } else { vec![] },
                exclude: if no_peanuts { vec!["peanuts".into()] } else { vec![] },
                ..Filters::default()
            };
            match plan_days(&c, &filters, &t, days, meals, window) {
                Ok(plan) => {
                    prop_assert_eq!(plan.days.len(), days as usize);
                    for (i, d) in plan.days.iter().enumerate() {
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
                        let mut ids: Vec<i64> = d.meals.iter().map(|m| m.recipe_id).collect();
                        ids.sort_unstable();
                        ids.dedup();
                        prop_assert_eq!(ids.len(), meals as usize);
                    }
                }
                Err(e) => {
                    prop_assert!(["calories", "goal", "diet"].contains(&e.field));
                    prop_assert!(!e.message.is_empty());
                }
            }
        }
    }
}
