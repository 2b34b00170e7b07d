//! How well the meal ranking and the planner do on a grid of requests (3 goals × 4 energy
//! targets × 4 diets), beside a naive baseline: five recipes drawn at random from the same
//! filtered pool (20 seeded draws per request). Measured per recommended meal: the energy error
//! against the meal target, the share within ±10% of it, the share inside the goal's protein
//! range; and for the planner, the share of 7-day plans it could make and its time.

use mmi_types::{Goal, MealEvaluation, MealTargets};
use rand::seq::IndexedRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::catalogue::RecipeProfile;
use super::plan::plan_days;
use super::recommend::{recommend, Filters};
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

/// The grid's figures (blocking: it solves 48 week plans).
pub fn evaluate_meals(catalogue: &[RecipeProfile]) -> MealEvaluation {
    let mut ranked = Tally::default();
    let mut random = Tally::default();
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let (mut requests, mut plans, mut feasible, mut plan_ms) = (0usize, 0usize, 0usize, 0.0);
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
                let started = std::time::Instant::now();
                plans += 1;
                feasible += usize::from(plan_days(catalogue, &filters, &t, 7, 3, 3).is_ok());
                plan_ms += started.elapsed().as_secs_f64() * 1000.0;
            }
        }
    }
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
        plans,
        plans_feasible: feasible,
        mean_plan_ms: plan_ms / plans.max(1) as f64,
    }
}
