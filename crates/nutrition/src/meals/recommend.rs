//! Meal recommendation: the catalogue's recipes that pass every filter (diet labels the recipe
//! is known to hold, no trace of an excluded allergen, at most the prep time, the cuisine), ranked
//! by how one serving fits one meal of the day's targets, with the reasons in words.
//!
//! Score (0..1): 0.5 × energy fit (1 − |kcal − meal target| / target, floored at 0) + 0.3 ×
//! protein fit (1 inside the goal's range, falling by the distance outside it in percentage
//! points / 10) + 0.1 × fibre (a third of the 28 g Daily Value per meal earns it all) + 0.1 ×
//! sodium (full up to a third of the 2,300 mg Daily Value, none at two thirds).

use mmi_types::{MealConstraints, MealTargets, RecommendedMeal};

use super::catalogue::RecipeProfile;
use super::sides::SideFood;

/// The filters of a request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub diets: Vec<String>,
    pub exclude: Vec<String>,
    pub max_prep_minutes: Option<u32>,
    pub cuisine: Option<String>,
}

impl Filters {
    pub fn from_constraints(c: &MealConstraints) -> Filters {
        Filters {
            diets: c.diet.clone().unwrap_or_default(),
            exclude: c.exclude_allergens.clone().unwrap_or_default(),
            max_prep_minutes: c.max_prep_minutes,
            cuisine: c.cuisine.clone().filter(|c| !c.trim().is_empty()),
        }
    }

    pub fn admits(&self, p: &RecipeProfile) -> bool {
        self.diets.iter().all(|d| p.holds(d))
            && self.exclude.iter().all(|a| p.allergen_risk(a) <= 0.0)
            && self
                .max_prep_minutes
                .is_none_or(|m| p.prep_minutes.is_some_and(|t| t <= m))
            && self.cuisine.as_ref().is_none_or(|c| {
                p.cuisine
                    .as_ref()
                    .is_some_and(|pc| pc.to_lowercase().contains(&c.to_lowercase()))
            })
    }

    /// Whether a side may join a plan: it holds every diet asked for and contains no excluded
    /// allergen (prep time and cuisine are the recipes' business).
    pub fn admits_side(&self, side: &SideFood) -> bool {
        self.diets.iter().all(|d| side.holds(d)) && !self.exclude.iter().any(|a| side.contains(a))
    }

    /// In words, for explanations: `vegan, without peanuts, at most 30 minutes`.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self.diets.iter().map(|d| d.replace('_', " ")).collect();
        parts.extend(
            self.exclude
                .iter()
                .map(|a| format!("without {}", a.replace('_', "/"))),
        );
        if let Some(m) = self.max_prep_minutes {
            parts.push(format!("at most {m} minutes"));
        }
        if let Some(c) = &self.cuisine {
            parts.push(format!("{c} cuisine"));
        }
        if parts.is_empty() {
            "no filters".into()
        } else {
            parts.join(", ")
        }
    }
}

fn share(grams: f64, kcal_per_g: f64, kcal: f64) -> f64 {
    if kcal > 0.0 {
        100.0 * grams * kcal_per_g / kcal
    } else {
        0.0
    }
}

fn range_fit(value: f64, [lo, hi]: [f64; 2]) -> f64 {
    let off = if value < lo {
        lo - value
    } else if value > hi {
        value - hi
    } else {
        0.0
    };
    (1.0 - off / 10.0).max(0.0)
}

/// The parts of the score of one serving as one meal.
struct Fit {
    energy_error: f64,
    protein_pct: f64,
    protein: f64,
    fiber: f64,
    sodium: f64,
}

fn fit(p: &RecipeProfile, t: &MealTargets) -> Fit {
    let n = &p.per_serving;
    let energy_error = (n.energy_kcal - t.meal_kcal).abs() / t.meal_kcal;
    let protein_pct = share(n.protein_g, 4.0, n.energy_kcal);
    Fit {
        energy_error,
        protein_pct,
        protein: range_fit(protein_pct, t.protein_pct),
        fiber: (n.fiber_g / (28.0 / 3.0)).min(1.0),
        sodium: 1.0 - ((n.sodium_mg - 2300.0 / 3.0) / (2300.0 / 3.0)).clamp(0.0, 1.0),
    }
}

/// The score of one serving as one meal (0..1).
pub fn meal_score(p: &RecipeProfile, t: &MealTargets) -> f64 {
    let f = fit(p, t);
    0.5 * (1.0 - f.energy_error).max(0.0) + 0.3 * f.protein + 0.1 * f.fiber + 0.1 * f.sodium
}

/// Why [`meal_score`] scored one serving as it did, in words. Only the recipes shown need them.
pub fn meal_reasons(p: &RecipeProfile, t: &MealTargets) -> Vec<String> {
    let n = &p.per_serving;
    let f = fit(p, t);
    let mut reasons = vec![format!(
        "{:.0} kcal a serving, {:.0}% {} your {:.0} kcal meal target",
        n.energy_kcal,
        100.0 * f.energy_error,
        if n.energy_kcal >= t.meal_kcal {
            "over"
        } else {
            "under"
        },
        t.meal_kcal
    )];
    reasons.push(format!(
        "{:.0}% of energy from protein ({} the goal's {:.0}–{:.0}%)",
        f.protein_pct,
        if f.protein == 1.0 {
            "within"
        } else {
            "outside"
        },
        t.protein_pct[0],
        t.protein_pct[1]
    ));
    if f.fiber >= 0.5 {
        reasons.push(format!("{:.0} g fibre", n.fiber_g));
    }
    if f.sodium < 1.0 {
        reasons.push(format!("high in sodium: {:.0} mg", n.sodium_mg));
    }
    if p.mass_share < 0.95 {
        reasons.push(format!(
            "nutrition covers {:.0}% of the ingredients' weight",
            100.0 * p.mass_share
        ));
    }
    reasons
}

/// The top `k` of the admitted recipes, with reasons (the filters they pass first).
pub fn recommend(
    catalogue: &[RecipeProfile],
    filters: &Filters,
    targets: &MealTargets,
    k: usize,
) -> (usize, Vec<RecommendedMeal>) {
    let mut ranked: Vec<(f64, &RecipeProfile)> = catalogue
        .iter()
        .filter(|p| filters.admits(p))
        .map(|p| (meal_score(p, targets), p))
        .collect();
    let eligible = ranked.len();
    // Best score first, ties by recipe id: only the top k are sorted and explained.
    let order = |a: &(f64, &RecipeProfile), b: &(f64, &RecipeProfile)| {
        b.0.total_cmp(&a.0).then(a.1.recipe_id.cmp(&b.1.recipe_id))
    };
    if k > 0 && k < ranked.len() {
        ranked.select_nth_unstable_by(k - 1, order);
    }
    ranked.truncate(k);
    ranked.sort_by(order);
    let meals = ranked
        .into_iter()
        .map(|(score, p)| {
            let mut reasons = meal_reasons(p, targets);
            let mut passes: Vec<String> =
                filters.diets.iter().map(|d| d.replace('_', " ")).collect();
            passes.extend(
                filters
                    .exclude
                    .iter()
                    .map(|a| format!("no {}", a.replace('_', "/"))),
            );
            if let (Some(m), Some(t)) = (filters.max_prep_minutes, p.prep_minutes) {
                passes.push(format!("{t} of at most {m} minutes"));
            }
            if !passes.is_empty() {
                reasons.insert(0, passes.join(", "));
            }
            RecommendedMeal {
                recipe_id: p.recipe_id,
                title: p.title.clone(),
                cuisine: p.cuisine.clone(),
                category: p.category.clone(),
                prep_minutes: p.prep_minutes,
                servings: p.servings,
                per_serving: p.per_serving,
                score,
                reasons,
                diet_labels: p
                    .diet
                    .iter()
                    .filter(|(_, v)| *v)
                    .map(|(l, _)| l.clone())
                    .collect(),
                allergens: p.allergens.clone(),
                mass_share: p.mass_share,
            }
        })
        .collect();
    (eligible, meals)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::meals::targets::targets;
    use mmi_types::{Goal, MealNutrients};

    /// A synthetic recipe: `kcal` a serving with `protein_pct` of it from protein.
    pub(crate) fn profile(
        id: i64,
        kcal: f64,
        protein_pct: f64,
        diet: &[&str],
        allergens: &[&str],
    ) -> RecipeProfile {
        let protein_g = kcal * protein_pct / 100.0 / 4.0;
        let fat_g = kcal * 0.30 / 9.0;
        let carbohydrate_g = (kcal - 4.0 * protein_g - 9.0 * fat_g) / 4.0;
        RecipeProfile {
            recipe_id: id,
            title: format!("recipe {id}"),
            cuisine: Some(if id % 2 == 0 { "Italian" } else { "Mexican" }.into()),
            category: None,
            prep_minutes: Some(10 + (id as u32 % 5) * 10),
            servings: 4,
            per_serving: MealNutrients {
                energy_kcal: kcal,
                protein_g,
                fat_g,
                carbohydrate_g,
                fiber_g: 5.0,
                sodium_mg: 400.0,
            },
            diet: ["vegan", "vegetarian", "gluten_free"]
                .iter()
                .map(|l| (l.to_string(), diet.contains(l)))
                .collect(),
            allergens: allergens.iter().map(|a| (a.to_string(), 1.0)).collect(),
            mass_share: 1.0,
            nrf93: None,
            lines: vec![super::super::catalogue::ShoppingLine {
                item: format!("food {}", id % 3),
                grams_per_serving: Some(100.0),
                line: format!("400 g food {}", id % 3),
            }],
        }
    }

    #[test]
    fn ranks_by_fit_and_filters_strictly() {
        let catalogue = vec![
            profile(1, 650.0, 30.0, &["vegan", "vegetarian"], &[]),
            profile(2, 600.0, 30.0, &["vegetarian"], &["milk"]),
            profile(3, 1200.0, 15.0, &["vegan", "vegetarian"], &[]),
            profile(4, 580.0, 12.0, &["vegan", "vegetarian"], &["peanuts"]),
        ];
        let t = targets(Goal::WeightLoss, Some(1800.0), None, 3);
        let (n, meals) = recommend(&catalogue, &Filters::default(), &t, 3);
        assert_eq!(n, 4);
        // 600 kcal and 30% protein fits a 600 kcal meal of a 25–35% protein goal best.
        assert_eq!(meals[0].recipe_id, 2);
        assert_eq!(meals[1].recipe_id, 1);
        assert!(
            meals[0].reasons[0].contains("600 kcal"),
            "{:?}",
            meals[0].reasons
        );
        let vegan = Filters {
            diets: vec!["vegan".into()],
            exclude: vec!["peanuts".into()],
            ..Filters::default()
        };
        let (n, meals) = recommend(&catalogue, &vegan, &t, 5);
        assert_eq!(n, 2);
        assert_eq!(
            meals.iter().map(|m| m.recipe_id).collect::<Vec<_>>(),
            [1, 3]
        );
        assert!(meals[0].reasons[0].contains("vegan, no peanuts"));
        let quick = Filters {
            max_prep_minutes: Some(25),
            cuisine: Some("italian".into()),
            ..Filters::default()
        };
        // Recipe 2: 30 minutes; 4: 50 minutes → none quick enough among the Italian ones.
        let (n, _) = recommend(&catalogue, &quick, &t, 5);
        assert_eq!(n, 0);
    }
}
