//! Daily targets for a goal: energy from body stats (Mifflin–St Jeor resting energy times an
//! activity factor) or as given, and macro ranges as shares of energy.
//!
//! - Resting energy: Mifflin MD, St Jeor ST et al., "A new predictive equation for resting
//!   energy expenditure in healthy individuals", Am J Clin Nutr 51 (1990) 241–247:
//!   `10·kg + 6.25·cm − 5·age + 5` (men), `… − 161` (women).
//! - Activity factors 1.2 / 1.375 / 1.55 / 1.725 / 1.9 (sedentary … very active), the usual
//!   multipliers of resting energy.
//! - Weight loss: 500 kcal a day below maintenance (about 0.5 kg a week; NIH/NHLBI guidance),
//!   never below 1,200 kcal (women) or 1,500 kcal (men) without supervision. Muscle gain:
//!   10% above maintenance.
//! - Macro ranges: the Acceptable Macronutrient Distribution Ranges (Institute of Medicine,
//!   Dietary Reference Intakes for Energy, Carbohydrate, Fiber, Fat, Fatty Acids, Cholesterol,
//!   Protein, and Amino Acids, 2005): protein 10–35%, fat 20–35%, carbohydrate 45–65% of energy,
//!   for maintenance. Weight loss keeps protein at 25–35% (higher protein preserves lean mass and
//!   satiety in energy deficit: Leidy et al., Am J Clin Nutr 101 (2015) 1320S) and carbohydrate
//!   at 35–55%; muscle gain 20–35% protein (≥ 1.6 g/kg a day: Morton et al., Br J Sports Med 52
//!   (2018) 376) and 40–60% carbohydrate.
//! - Without body stats or calories: the 2,000 kcal reference of the FDA Daily Values.

use mmi_types::{Goal, MealTargets, Sex};

/// What a user tells about themselves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BodyStats {
    pub sex: Sex,
    pub age_years: f64,
    pub weight_kg: f64,
    pub height_cm: f64,
    /// 1.2 (sedentary) to 1.9 (very active).
    pub activity_factor: f64,
}

/// Mifflin–St Jeor resting energy, kcal a day.
pub fn resting_energy(b: &BodyStats) -> f64 {
    let base = 10.0 * b.weight_kg + 6.25 * b.height_cm - 5.0 * b.age_years;
    match b.sex {
        Sex::Male => base + 5.0,
        Sex::Female => base - 161.0,
    }
}

/// The ranges for a goal, as `(low, high)` shares of energy: protein, fat, carbohydrate.
pub fn macro_ranges(goal: Goal) -> [(f64, f64); 3] {
    match goal {
        Goal::Maintenance => [(0.10, 0.35), (0.20, 0.35), (0.45, 0.65)],
        Goal::WeightLoss => [(0.25, 0.35), (0.20, 0.35), (0.35, 0.55)],
        Goal::MuscleGain => [(0.20, 0.35), (0.20, 0.35), (0.40, 0.60)],
    }
}

/// The daily and per-meal targets: from `calories` when given, else from body stats, else the
/// 2,000 kcal reference.
pub fn targets(
    goal: Goal,
    calories: Option<f64>,
    body: Option<&BodyStats>,
    meals_per_day: u32,
) -> MealTargets {
    let [protein, fat, carbohydrate] = macro_ranges(goal);
    let (daily, source, bmr, tdee) = match (calories, body) {
        (Some(c), _) => (c, "calories", None, None),
        (None, Some(b)) => {
            let bmr = resting_energy(b);
            let tdee = bmr * b.activity_factor;
            let floor = match b.sex {
                Sex::Male => 1500.0,
                Sex::Female => 1200.0,
            };
            let daily = match goal {
                Goal::Maintenance => tdee,
                Goal::WeightLoss => (tdee - 500.0).max(floor),
                Goal::MuscleGain => tdee * 1.10,
            };
            (daily, "mifflin_st_jeor", Some(bmr), Some(tdee))
        }
        (None, None) => (2000.0, "reference_2000", None, None),
    };
    MealTargets {
        daily_kcal: daily,
        meal_kcal: daily / f64::from(meals_per_day.max(1)),
        source: source.to_string(),
        bmr_kcal: bmr,
        tdee_kcal: tdee,
        // Whole percents (the ranges are), without the float noise of 100 × 0.55.
        protein_pct: [(100.0 * protein.0).round(), (100.0 * protein.1).round()],
        fat_pct: [(100.0 * fat.0).round(), (100.0 * fat.1).round()],
        carbohydrate_pct: [
            (100.0 * carbohydrate.0).round(),
            (100.0 * carbohydrate.1).round(),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    fn man() -> BodyStats {
        BodyStats {
            sex: Sex::Male,
            age_years: 30.0,
            weight_kg: 80.0,
            height_cm: 180.0,
            activity_factor: 1.55,
        }
    }

    #[test]
    fn mifflin_st_jeor_by_hand() {
        // 800 + 1125 − 150 + 5 = 1780.
        assert_relative_eq!(resting_energy(&man()), 1780.0);
        let woman = BodyStats {
            sex: Sex::Female,
            age_years: 40.0,
            weight_kg: 60.0,
            height_cm: 165.0,
            activity_factor: 1.2,
        };
        // 600 + 1031.25 − 200 − 161 = 1270.25.
        assert_relative_eq!(resting_energy(&woman), 1270.25);
        // Weight loss: 1270.25 × 1.2 − 500 = 1024.3, held at the 1,200 floor.
        let t = targets(Goal::WeightLoss, None, Some(&woman), 3);
        assert_relative_eq!(t.daily_kcal, 1200.0);
        assert_relative_eq!(t.meal_kcal, 400.0);
    }

    #[test]
    fn targets_by_goal_and_source() {
        let t = targets(Goal::Maintenance, None, Some(&man()), 3);
        assert_relative_eq!(t.daily_kcal, 1780.0 * 1.55);
        assert_eq!(t.source, "mifflin_st_jeor");
        let t = targets(Goal::MuscleGain, None, Some(&man()), 4);
        assert_relative_eq!(t.daily_kcal, 1780.0 * 1.55 * 1.1);
        let t = targets(Goal::WeightLoss, Some(1800.0), Some(&man()), 3);
        assert_eq!((t.daily_kcal, t.source.as_str()), (1800.0, "calories"));
        let t = targets(Goal::Maintenance, None, None, 2);
        assert_eq!((t.daily_kcal, t.meal_kcal), (2000.0, 1000.0));
        assert_eq!(t.protein_pct, [10.0, 35.0]);
        assert_eq!(
            targets(Goal::WeightLoss, None, None, 3).protein_pct,
            [25.0, 35.0]
        );
    }
}
