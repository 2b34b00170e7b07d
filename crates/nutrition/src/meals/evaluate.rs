//! How well the meal ranking and the planner do.
//!
//! - Ranking, on a grid of requests (3 goals × 4 energy targets × 4 diets), beside a naive
//!   baseline: five recipes drawn at random from the same filtered pool (20 seeded draws per
//!   request). Measured per recommended meal: the energy error against the meal target, the share
//!   within ±10% of it, the share inside the goal's protein range.
//! - Planning, on a grid of ordinary 7-day requests ([`plan_grid`]: 3 goals × 1,400–3,200 kcal in
//!   steps of 200 × no diet or each diet alone × without or with one excluded allergen, 3 meals a
//!   day, the default variety window: no recipe twice within 3 days, or fewer where too few
//!   recipes fit): the share of plans made whose every day, recomputed from
//!   the returned recipes' servings and sides' portions (not from the plan's own flags), is
//!   within ±5% of the energy target and inside every macro range; and the time per plan.

use mmi_types::{Goal, MealEvaluation, MealTargets};
use rand::seq::IndexedRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::catalogue::RecipeProfile;
use super::plan::{meets, plan_days, PlanRequest};
use super::recommend::{recommend, Filters};
use super::sides::SideFood;
use super::targets::targets;

#[derive(Default)]
struct Tally {
    n: usize,
    error: f64,
    within: usize,
    protein: usize,
}

impl Tally {
    fn add(&mut self, p: &RecipeProfile, t: &MealTargets) {
        let n = &p.per_serving;
        let e = (n.energy_kcal - t.meal_kcal).abs() / t.meal_kcal;
        self.n += 1;
        self.error += e;
        self.within += usize::from(e <= 0.10);
        let pct = 100.0 * 4.0 * n.protein_g / n.energy_kcal.max(1e-9);
        self.protein += usize::from(pct >= t.protein_pct[0] && pct <= t.protein_pct[1]);
    }

    fn shares(&self) -> [f64; 3] {
        let n = self.n.max(1) as f64;
        [
            self.error / n,
            self.within as f64 / n,
            self.protein as f64 / n,
        ]
    }
}

/// The diets of the plan grid, each alone (`None`: no diet).
pub const GRID_DIETS: [Option<&str>; 5] = [
    None,
    Some("vegetarian"),
    Some("vegan"),
    Some("pescatarian"),
    Some("gluten_free"),
];
/// The allergen a grid request excludes, in turn.
pub const GRID_ALLERGENS: [&str; 6] =
    ["milk", "peanuts", "tree_nuts", "egg", "soy", "wheat_gluten"];

/// What the plan grid measured.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanGridResult {
    pub plans: usize,
    pub made: usize,
    pub on_target: usize,
    /// Milliseconds per request, in grid order.
    pub ms: Vec<f64>,
    pub refusals: Vec<String>,
}

impl PlanGridResult {
    pub fn percentile_ms(&self, q: f64) -> f64 {
        let mut v = self.ms.clone();
        v.sort_by(f64::total_cmp);
        if v.is_empty() {
            return 0.0;
        }
        v[((v.len() - 1) as f64 * q).round() as usize]
    }
}

/// The 7-day plan grid (see the module doc); `every` > 1 takes every n-th request only (quick
/// runs).
pub fn plan_grid(catalogue: &[RecipeProfile], sides: &[SideFood], every: usize) -> PlanGridResult {
    let mut out = PlanGridResult::default();
    let mut i = 0usize;
    for goal in [Goal::WeightLoss, Goal::Maintenance, Goal::MuscleGain] {
        for calories in (0..10).map(|k| 1400.0 + 200.0 * k as f64) {
            for diet in GRID_DIETS {
                for with_allergen in [false, true] {
                    i += 1;
                    if !(i - 1).is_multiple_of(every.max(1)) {
                        continue;
                    }
                    let allergen = with_allergen.then(|| GRID_ALLERGENS[i % GRID_ALLERGENS.len()]);
                    let t = targets(goal, Some(calories), None, 3);
                    let request = PlanRequest {
                        filters: Filters {
                            diets: diet.map(|d| vec![d.to_string()]).unwrap_or_default(),
                            exclude: allergen.map(|a| vec![a.to_string()]).unwrap_or_default(),
                            ..Filters::default()
                        },
                        targets: t.clone(),
                        days: 7,
                        meals_per_day: 3,
                        // As the API's default: up to 3 days, as the recipes allow.
                        no_repeat_days: None,
                    };
                    let started = std::time::Instant::now();
                    let result = plan_days(catalogue, sides, &request);
                    out.ms.push(started.elapsed().as_secs_f64() * 1000.0);
                    out.plans += 1;
                    match result {
                        Ok(plan) => {
                            out.made += 1;
                            let ok = plan.days.len() == 7
                                && plan
                                    .days
                                    .iter()
                                    .all(|d| meets(&recomputed(d, catalogue, sides), &t));
                            out.on_target += usize::from(ok);
                        }
                        Err(e) => out.refusals.push(format!(
                            "{goal:?} {calories:.0} kcal, {} ({:.0} ms): {}",
                            request.filters.describe(),
                            out.ms.last().copied().unwrap_or(0.0),
                            e.message
                        )),
                    }
                }
            }
        }
    }
    out
}

/// A day's totals from the catalogue's per-serving nutrients and the sides' per-portion ones.
pub fn recomputed(
    d: &mmi_types::PlanDay,
    catalogue: &[RecipeProfile],
    sides: &[SideFood],
) -> mmi_types::MealNutrients {
    // A recipe or side the catalogue does not have counts as nothing: the day fails.
    let mut t = mmi_types::MealNutrients::default();
    for m in &d.meals {
        if let Some(p) = catalogue.iter().find(|p| p.recipe_id == m.recipe_id) {
            t.add_scaled(&p.per_serving, m.servings);
        }
    }
    for s in &d.sides {
        if let Some(f) = sides.iter().find(|f| f.ndb_no == s.ndb_no) {
            t.add_scaled(&f.per_portion, s.portions);
        }
    }
    t
}

/// The grid's figures (blocking: it solves 48 week plans).
pub fn evaluate_meals(
    catalogue: &[RecipeProfile],
    sides: &[SideFood],
    every: usize,
) -> MealEvaluation {
    let mut ranked = Tally::default();
    let mut random = Tally::default();
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let mut requests = 0usize;
    for goal in [Goal::WeightLoss, Goal::Maintenance, Goal::MuscleGain] {
        for calories in [1600.0, 2000.0, 2400.0, 2800.0] {
            for diet in [None, Some("vegetarian"), Some("vegan"), Some("gluten_free")] {
                let t = targets(goal, Some(calories), None, 3);
                let filters = Filters {
                    diets: diet.map(|d| vec![d.to_string()]).unwrap_or_default(),
                    ..Filters::default()
                };
                let pool: Vec<&RecipeProfile> =
                    catalogue.iter().filter(|p| filters.admits(p)).collect();
                if pool.len() < 5 {
                    continue;
                }
                requests += 1;
                let (_, top) = recommend(catalogue, &filters, &t, 5);
                for m in &top {
                    if let Some(p) = catalogue.iter().find(|p| p.recipe_id == m.recipe_id) {
                        ranked.add(p, &t);
                    }
                }
                for _ in 0..20 {
                    for p in pool.choose_multiple(&mut rng, 5) {
                        random.add(p, &t);
                    }
                }
            }
        }
    }
    let grid = plan_grid(catalogue, sides, every);
    let [error, within, protein] = ranked.shares();
    let [base_error, base_within, base_protein] = random.shares();
    MealEvaluation {
        catalogue: catalogue.len(),
        requests,
        energy_error: error,
        within_10pct: within,
        protein_in_range: protein,
        baseline_energy_error: base_error,
        baseline_within_10pct: base_within,
        baseline_protein_in_range: base_protein,
        plans: grid.plans,
        plans_feasible: grid.made,
        mean_plan_ms: grid.ms.iter().sum::<f64>() / grid.plans.max(1) as f64,
        plans_on_target: grid.on_target,
        p50_plan_ms: grid.percentile_ms(0.5),
        p95_plan_ms: grid.percentile_ms(0.95),
        refusals: grid.refusals,
    }
}
