//! Meals: `POST /api/recommend-meal` (recipes ranked for a goal) and `GET /api/meal-plan`
//! (a multi-day plan chosen by an optimisation solver, with a shopping list).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Goal {
    WeightLoss,
    MuscleGain,
    Maintenance,
}

impl Goal {
    pub fn parse(s: &str) -> Option<Goal> {
        match s {
            "weight_loss" => Some(Goal::WeightLoss),
            "muscle_gain" => Some(Goal::MuscleGain),
            "maintenance" => Some(Goal::Maintenance),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Goal::WeightLoss => "weight_loss",
            Goal::MuscleGain => "muscle_gain",
            Goal::Maintenance => "maintenance",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

/// The diet labels a meal request may ask for.
pub const MEAL_DIETS: [&str; 7] = [
    "vegan",
    "vegetarian",
    "pescatarian",
    "gluten_free",
    "keto_friendly",
    "low_sodium",
    "high_protein",
];

/// The major allergens a request may exclude.
pub const MEAL_ALLERGENS: [&str; 9] = [
    "milk",
    "egg",
    "fish",
    "shellfish",
    "tree_nuts",
    "peanuts",
    "wheat_gluten",
    "soy",
    "sesame",
];

/// Most meals returned, days planned, meals a day.
pub const MAX_MEALS: usize = 20;
pub const MAX_PLAN_DAYS: u32 = 14;
pub const MAX_MEALS_PER_DAY: u32 = 6;

/// What every meal request shares besides the goal. Body stats (all four, plus an optional
/// activity factor) give the energy target by Mifflin–St Jeor when `calories` is not given.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MealConstraints {
    #[serde(default)]
    pub calories: Option<f64>,
    #[serde(default)]
    pub diet: Option<Vec<String>>,
    #[serde(default)]
    pub exclude_allergens: Option<Vec<String>>,
    #[serde(default)]
    pub max_prep_minutes: Option<u32>,
    #[serde(default)]
    pub cuisine: Option<String>,
    #[serde(default)]
    pub meals_per_day: Option<u32>,
    #[serde(default)]
    pub sex: Option<Sex>,
    #[serde(default)]
    pub age: Option<f64>,
    #[serde(default)]
    pub weight_kg: Option<f64>,
    #[serde(default)]
    pub height_cm: Option<f64>,
    #[serde(default)]
    pub activity_factor: Option<f64>,
}

/// `POST /api/recommend-meal`: the goal, the [`MealConstraints`] fields, and `k`. The fields are
/// repeated rather than `#[serde(flatten)]`ed: serde cannot combine `flatten` with
/// `deny_unknown_fields`, and an unknown field must be a 422, not silently ignored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecommendMealRequest {
    pub goal: Goal,
    #[serde(default)]
    pub calories: Option<f64>,
    #[serde(default)]
    pub diet: Option<Vec<String>>,
    #[serde(default)]
    pub exclude_allergens: Option<Vec<String>>,
    #[serde(default)]
    pub max_prep_minutes: Option<u32>,
    #[serde(default)]
    pub cuisine: Option<String>,
    #[serde(default)]
    pub meals_per_day: Option<u32>,
    #[serde(default)]
    pub sex: Option<Sex>,
    #[serde(default)]
    pub age: Option<f64>,
    #[serde(default)]
    pub weight_kg: Option<f64>,
    #[serde(default)]
    pub height_cm: Option<f64>,
    #[serde(default)]
    pub activity_factor: Option<f64>,
    #[serde(default = "default_k")]
    pub k: usize,
}

impl RecommendMealRequest {
    pub fn constraints(&self) -> MealConstraints {
        MealConstraints {
            calories: self.calories,
            diet: self.diet.clone(),
            exclude_allergens: self.exclude_allergens.clone(),
            max_prep_minutes: self.max_prep_minutes,
            cuisine: self.cuisine.clone(),
            meals_per_day: self.meals_per_day,
            sex: self.sex,
            age: self.age,
            weight_kg: self.weight_kg,
            height_cm: self.height_cm,
            activity_factor: self.activity_factor,
        }
    }
}

fn default_k() -> usize {
    5
}

type Invalid = (String, String);

fn invalid(field: &str, message: String) -> Invalid {
    (field.to_string(), message)
}

impl MealConstraints {
    /// `(field, message)` of the first thing wrong.
    pub fn validate(&self) -> Result<(), Invalid> {
        if let Some(c) = self.calories {
            if !(800.0..=6000.0).contains(&c) {
                return Err(invalid(
                    "calories",
                    format!("calories must be 800..=6000 kcal a day, got {c}"),
                ));
            }
        }
        for d in self.diet.iter().flatten() {
            if !MEAL_DIETS.contains(&d.as_str()) {
                return Err(invalid(
                    "diet",
                    format!("unknown diet {d:?}: one of {}", MEAL_DIETS.join(", ")),
                ));
            }
        }
        for a in self.exclude_allergens.iter().flatten() {
            if !MEAL_ALLERGENS.contains(&a.as_str()) {
                return Err(invalid(
                    "exclude_allergens",
                    format!(
                        "unknown allergen {a:?}: one of {}",
                        MEAL_ALLERGENS.join(", ")
                    ),
                ));
            }
        }
        if self.max_prep_minutes == Some(0) {
            return Err(invalid(
                "max_prep_minutes",
                "max_prep_minutes must be at least 1".into(),
            ));
        }
        if let Some(m) = self.meals_per_day {
            if !(1..=MAX_MEALS_PER_DAY).contains(&m) {
                return Err(invalid(
                    "meals_per_day",
                    format!("meals_per_day must be 1..={MAX_MEALS_PER_DAY}, got {m}"),
                ));
            }
        }
        let body = [
            self.sex.is_some(),
            self.age.is_some(),
            self.weight_kg.is_some(),
            self.height_cm.is_some(),
        ];
        if body.iter().any(|b| *b) && !body.iter().all(|b| *b) {
            return Err(invalid(
                "sex",
                "body stats need all of sex, age, weight_kg and height_cm".into(),
            ));
        }
        for (field, value, range) in [
            ("age", self.age, 18.0..=100.0),
            ("weight_kg", self.weight_kg, 30.0..=300.0),
            ("height_cm", self.height_cm, 120.0..=230.0),
            ("activity_factor", self.activity_factor, 1.2..=1.9),
        ] {
            if let Some(v) = value {
                if !range.contains(&v) {
                    return Err(invalid(
                        field,
                        format!(
                            "{field} must be {}..={}, got {v}",
                            range.start(),
                            range.end()
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}

impl RecommendMealRequest {
    pub fn validate(&self) -> Result<(), Invalid> {
        if !(1..=MAX_MEALS).contains(&self.k) {
            return Err(invalid(
                "k",
                format!("k must be 1..={MAX_MEALS}, got {}", self.k),
            ));
        }
        self.constraints().validate()
    }
}

/// The energy and macro targets a request resolves to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MealTargets {
    pub daily_kcal: f64,
    pub meal_kcal: f64,
    /// `calories`, `mifflin_st_jeor` or `reference_2000`.
    pub source: String,
    pub bmr_kcal: Option<f64>,
    pub tdee_kcal: Option<f64>,
    /// `[low, high]` percent of energy.
    pub protein_pct: [f64; 2],
    pub fat_pct: [f64; 2],
    pub carbohydrate_pct: [f64; 2],
}

/// Energy and key nutrients of an amount of a recipe.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct MealNutrients {
    pub energy_kcal: f64,
    pub protein_g: f64,
    pub fat_g: f64,
    pub carbohydrate_g: f64,
    pub fiber_g: f64,
    pub sodium_mg: f64,
}

impl MealNutrients {
    /// `k` times this amount (servings of a recipe, portions of a side).
    pub fn scaled(&self, k: f64) -> MealNutrients {
        MealNutrients {
            energy_kcal: self.energy_kcal * k,
            protein_g: self.protein_g * k,
            fat_g: self.fat_g * k,
            carbohydrate_g: self.carbohydrate_g * k,
            fiber_g: self.fiber_g * k,
            sodium_mg: self.sodium_mg * k,
        }
    }

    /// Adds `k` times `other` (a day's totals).
    pub fn add_scaled(&mut self, other: &MealNutrients, k: f64) {
        self.energy_kcal += other.energy_kcal * k;
        self.protein_g += other.protein_g * k;
        self.fat_g += other.fat_g * k;
        self.carbohydrate_g += other.carbohydrate_g * k;
        self.fiber_g += other.fiber_g * k;
        self.sodium_mg += other.sodium_mg * k;
    }
}

/// One ranked recipe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecommendedMeal {
    pub recipe_id: i64,
    pub title: String,
    pub cuisine: Option<String>,
    pub category: Option<String>,
    pub prep_minutes: Option<u32>,
    pub servings: u32,
    pub per_serving: MealNutrients,
    pub score: f64,
    pub reasons: Vec<String>,
    /// Diet labels the recipe holds.
    pub diet_labels: Vec<String>,
    /// Allergens with their risk (only those above zero).
    pub allergens: Vec<(String, f64)>,
    /// Share of the recipe's weighed mass its nutrition covers.
    pub mass_share: f64,
}

/// `POST /api/recommend-meal` → this.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecommendMealResponse {
    pub goal: Goal,
    pub targets: MealTargets,
    /// Recipes that passed every filter (the ranking's pool).
    pub eligible: usize,
    pub meals: Vec<RecommendedMeal>,
}

/// One meal of a plan: a recipe and how many servings of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedMeal {
    pub slot: u32,
    pub recipe_id: i64,
    pub title: String,
    pub servings: f64,
    pub nutrients: MealNutrients,
}

/// A simple food a plan adds beside its meals (a side, a snack or a drink): a USDA SR26 food in
/// household portions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedSide {
    /// USDA NDB number (its page: `/nutrition?food={ndb_no}`).
    pub ndb_no: String,
    pub name: String,
    /// `side`, `snack` or `drink`.
    pub kind: String,
    /// How much, in household measure: `1½ cup`, `1 medium`.
    pub amount: String,
    /// Portions of [`PlannedSide::portion`] (halves: 0.5, 1, 1.5, 2).
    pub portions: f64,
    /// One portion as USDA measures it: `1 medium (118 g)`.
    pub portion: String,
    pub grams: f64,
    pub nutrients: MealNutrients,
}

/// A day's totals and how they sit against the targets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanDay {
    pub day: u32,
    pub meals: Vec<PlannedMeal>,
    /// Simple foods added to reach the targets (totals include them).
    #[serde(default)]
    pub sides: Vec<PlannedSide>,
    pub totals: MealNutrients,
    pub protein_pct: f64,
    pub fat_pct: f64,
    pub carbohydrate_pct: f64,
    /// Energy within ±5% of the target and every macro share in its range.
    pub meets_targets: bool,
}

/// An ingredient to buy, summed over the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShoppingItem {
    pub item: String,
    /// Total grams where every line had grams; otherwise the grams known so far.
    pub grams: Option<f64>,
    /// Lines that could not be weighed, as written, with how many servings they scale to.
    pub unweighed: Vec<String>,
    pub recipes: usize,
}

/// `GET /api/meal-plan` → this.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MealPlan {
    pub goal: Goal,
    pub targets: MealTargets,
    pub days: Vec<PlanDay>,
    pub shopping_list: Vec<ShoppingItem>,
    /// No recipe appears twice within this many consecutive days (as asked, or the widest of 3, 2
    /// and 1 days the recipes allow when the request named none).
    pub no_repeat_days: u32,
    pub eligible: usize,
    pub solver: String,
    pub solve_ms: f64,
}

/// `GET /api/meal-plan?days=7&goal=maintenance&calories=2000&diet=vegan,gluten_free&exclude=peanuts&meals_per_day=3`,
/// parsed. Lists are comma-separated; `no_repeat_days` is the variety window (absent: 3 days, or
/// fewer where too few recipes fit; the plan says which it kept).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MealPlanRequest {
    pub goal: Goal,
    pub days: u32,
    pub no_repeat_days: Option<u32>,
    pub constraints: MealConstraints,
}

/// The query parameters `GET /api/meal-plan` reads.
pub const MEAL_PLAN_PARAMS: [&str; 14] = [
    "days",
    "goal",
    "calories",
    "diet",
    "exclude",
    "meals_per_day",
    "max_prep_minutes",
    "cuisine",
    "no_repeat_days",
    "sex",
    "age",
    "weight_kg",
    "height_cm",
    "activity_factor",
];

impl MealPlanRequest {
    /// Parses and checks the query; `(field, message)` of the first problem.
    pub fn from_query(params: &[(String, String)]) -> Result<MealPlanRequest, (String, String)> {
        let get = |k: &str| {
            params
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty())
        };
        if let Some((n, _)) = params
            .iter()
            .find(|(n, _)| !MEAL_PLAN_PARAMS.contains(&n.as_str()))
        {
            return Err(invalid(
                n,
                format!(
                    "unknown parameter {n:?}: one of {}",
                    MEAL_PLAN_PARAMS.join(", ")
                ),
            ));
        }
        fn number<T: std::str::FromStr>(
            field: &str,
            v: Option<&str>,
        ) -> Result<Option<T>, (String, String)> {
            v.map(|s| {
                s.parse::<T>()
                    .map_err(|_| invalid(field, format!("{field} must be a number, got {s:?}")))
            })
            .transpose()
        }
        let list = |v: Option<&str>| -> Option<Vec<String>> {
            v.map(|s| {
                s.split(',')
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect()
            })
        };
        let goal = match get("goal") {
            None => {
                return Err(invalid(
                    "goal",
                    "goal is required: weight_loss, muscle_gain or maintenance".into(),
                ))
            }
            Some(g) => Goal::parse(g).ok_or_else(|| {
                invalid(
                    "goal",
                    format!("unknown goal {g:?}: weight_loss, muscle_gain or maintenance"),
                )
            })?,
        };
        let days: u32 = number("days", get("days"))?.unwrap_or(7);
        if !(1..=MAX_PLAN_DAYS).contains(&days) {
            return Err(invalid(
                "days",
                format!("days must be 1..={MAX_PLAN_DAYS}, got {days}"),
            ));
        }
        let no_repeat_days: Option<u32> = number("no_repeat_days", get("no_repeat_days"))?;
        if let Some(n) = no_repeat_days.filter(|n| !(1..=MAX_PLAN_DAYS).contains(n)) {
            return Err(invalid(
                "no_repeat_days",
                format!("no_repeat_days must be 1..={MAX_PLAN_DAYS}, got {n}"),
            ));
        }
        let sex = match get("sex") {
            None => None,
            Some("male") => Some(Sex::Male),
            Some("female") => Some(Sex::Female),
            Some(s) => {
                return Err(invalid(
                    "sex",
                    format!("sex must be male or female, got {s:?}"),
                ))
            }
        };
        let constraints = MealConstraints {
            calories: number("calories", get("calories"))?,
            diet: list(get("diet")),
            exclude_allergens: list(get("exclude")),
            max_prep_minutes: number("max_prep_minutes", get("max_prep_minutes"))?,
            cuisine: get("cuisine").map(str::to_string),
            meals_per_day: Some(number("meals_per_day", get("meals_per_day"))?.unwrap_or(3)),
            sex,
            age: number("age", get("age"))?,
            weight_kg: number("weight_kg", get("weight_kg"))?,
            height_cm: number("height_cm", get("height_cm"))?,
            activity_factor: number("activity_factor", get("activity_factor"))?,
        };
        constraints.validate().map_err(|(f, m)| {
            // The query names the allergen list `exclude`.
            if f == "exclude_allergens" {
                ("exclude".to_string(), m)
            } else {
                (f, m)
            }
        })?;
        Ok(MealPlanRequest {
            goal,
            days,
            no_repeat_days,
            constraints,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn plan_queries_parse_and_name_their_bad_field() {
        let r = MealPlanRequest::from_query(&q(&[
            ("days", "7"),
            ("goal", "weight_loss"),
            ("diet", "vegan, gluten_free"),
            ("exclude", "peanuts"),
        ]))
        .unwrap();
        assert_eq!(
            (r.goal, r.days, r.no_repeat_days),
            (Goal::WeightLoss, 7, None)
        );
        assert_eq!(r.constraints.diet.unwrap(), ["vegan", "gluten_free"]);
        assert_eq!(r.constraints.meals_per_day, Some(3));
        let field = |pairs: &[(&str, &str)]| MealPlanRequest::from_query(&q(pairs)).unwrap_err().0;
        assert_eq!(field(&[("days", "7")]), "goal");
        assert_eq!(field(&[("goal", "bulk")]), "goal");
        assert_eq!(field(&[("goal", "maintenance"), ("days", "15")]), "days");
        assert_eq!(field(&[("goal", "maintenance"), ("days", "x")]), "days");
        assert_eq!(
            field(&[("goal", "maintenance"), ("exclude", "gluten")]),
            "exclude"
        );
        assert_eq!(
            field(&[("goal", "maintenance"), ("diet", "carnivore")]),
            "diet"
        );
        assert_eq!(
            field(&[("goal", "maintenance"), ("meals_per_day", "0")]),
            "meals_per_day"
        );
        assert_eq!(
            field(&[("goal", "maintenance"), ("calories", "100")]),
            "calories"
        );
        assert_eq!(field(&[("goal", "maintenance"), ("age", "30")]), "sex");
        assert_eq!(
            field(&[("goal", "maintenance"), ("colour", "red")]),
            "colour"
        );
    }

    #[test]
    fn meal_requests_validate() {
        let r: RecommendMealRequest = serde_json::from_str(r#"{"goal": "muscle_gain"}"#).unwrap();
        assert_eq!(r.k, 5);
        assert!(r.validate().is_ok());
        let bad: RecommendMealRequest =
            serde_json::from_str(r#"{"goal": "maintenance", "k": 0}"#).unwrap();
        assert_eq!(bad.validate().unwrap_err().0, "k");
        assert!(
            serde_json::from_str::<RecommendMealRequest>(r#"{"goal": "maintenance", "x": 1}"#)
                .is_err()
        );
        assert!(serde_json::from_str::<RecommendMealRequest>(r#"{"goal": "bulk"}"#).is_err());
    }
}
