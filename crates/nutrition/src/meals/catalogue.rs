//! The recipe catalogue meals are chosen from: every stored English recipe with a serving count
//! that is a meal (not a dessert, drink or sauce: [`is_meal`]), analysed once (parsed, matched,
//! weighed) into per-serving nutrition, diet labels, allergen risks and shopping lines. A recipe
//! joins only when its nutrition can be trusted: at least 80% of its weighed mass counted, every
//! macro known, and 100–1,500 kcal a serving.

use mmi_store::RecipeRecord;
use mmi_text::ingredient::IngredientParser;
use mmi_types::{LineStatus, MealNutrients};

use crate::nutrient::Nutrient;
use crate::recipe::analyze_lines;
use crate::recipe::evaluate::{is_english, servings};
use crate::recipe::FoodMatcher;
use crate::Food;

/// The least share of a recipe's weighed mass its nutrition must cover.
pub const MIN_MASS_SHARE: f64 = 0.8;

/// One ingredient line of a recipe, per serving, for the shopping list.
#[derive(Debug, Clone, PartialEq)]
pub struct ShoppingLine {
    /// The matched USDA food's description, else the parsed name, else the line.
    pub item: String,
    pub grams_per_serving: Option<f64>,
    pub line: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RecipeProfile {
    pub recipe_id: i64,
    pub title: String,
    pub cuisine: Option<String>,
    pub category: Option<String>,
    pub prep_minutes: Option<u32>,
    pub servings: u32,
    pub per_serving: MealNutrients,
    /// `(label, holds)` for the labels the analysis could decide.
    pub diet: Vec<(String, bool)>,
    /// `(allergen, risk)` above zero.
    pub allergens: Vec<(String, f64)>,
    pub mass_share: f64,
    /// NRF9.3 per 100 kcal, where every needed nutrient is known.
    pub nrf93: Option<f64>,
    pub lines: Vec<ShoppingLine>,
}

impl RecipeProfile {
    pub fn holds(&self, label: &str) -> bool {
        self.diet.iter().any(|(l, v)| l == label && *v)
    }

    pub fn allergen_risk(&self, allergen: &str) -> f64 {
        self.allergens
            .iter()
            .find(|(a, _)| a == allergen)
            .map_or(0.0, |(_, r)| *r)
    }
}

/// Words of a category or title that make a recipe something other than a meal: desserts and
/// baking, drinks, sauces and dips (a weight-loss "meal" of chocolate cake fits its energy, and is
/// still not a meal).
const NOT_MEALS: &[&str] = &[
    "dessert",
    "desserts",
    "drink",
    "drinks",
    "beverage",
    "beverages",
    "cocktail",
    "cocktails",
    "sauce",
    "sauces",
    "dip",
    "dips",
    "condiment",
    "condiments",
    "cake",
    "cakes",
    "cupcake",
    "cupcakes",
    "cookie",
    "cookies",
    "brownie",
    "brownies",
    "pie",
    "pies",
    "tart",
    "tarts",
    "fudge",
    "candy",
    "frosting",
    "icing",
    "muffin",
    "muffins",
    "shortcake",
    "cheesecake",
    "pudding",
    "ice",
    "sorbet",
    "dumplings",
];

/// Whether a recipe is a meal by its category and title (see [`NOT_MEALS`]).
pub fn is_meal(category: Option<&str>, title: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut all = words(title);
    all.extend(category.map(words).unwrap_or_default());
    !all.iter().any(|w| NOT_MEALS.contains(&w.as_str()))
}

/// The minutes a recipe takes: its total time, else preparation plus cooking, else preparation.
fn minutes(r: &RecipeRecord) -> Option<u32> {
    let t = r
        .total_time_min
        .or_else(|| Some(r.prep_time_min? + r.cook_time_min?))
        .or(r.prep_time_min)?;
    u32::try_from(t).ok().filter(|t| *t > 0)
}

/// A meal's nutrients from `per` (the amount of each nutrient in a serving or a portion): `None`
/// unless energy and every macro are known; fibre and sodium missing count as none.
pub fn meal_nutrients(per: impl Fn(Nutrient) -> Option<f64>) -> Option<MealNutrients> {
    Some(MealNutrients {
        energy_kcal: per(Nutrient::Energy)?,
        protein_g: per(Nutrient::Protein)?,
        fat_g: per(Nutrient::Fat)?,
        carbohydrate_g: per(Nutrient::Carbohydrate)?,
        fiber_g: per(Nutrient::Fiber).unwrap_or(0.0),
        sodium_mg: per(Nutrient::Sodium).unwrap_or(0.0),
    })
}

/// Builds the catalogue (blocking: parse and match every line of every recipe).
pub fn build_catalogue(
    parser: &IngredientParser,
    matcher: &FoodMatcher,
    foods: &[Food],
    recipes: &[RecipeRecord],
) -> Vec<RecipeProfile> {
    recipes
        .iter()
        .filter(|r| is_english(r) && !r.ingredients.is_empty())
        .filter(|r| is_meal(r.category.as_deref(), &r.title))
        .filter_map(|r| {
            let n = servings(r.yields.as_deref()?)?;
            let result = analyze_lines(parser, matcher, foods, &r.ingredients, n);
            let coverage = result.coverage();
            let mass_share = coverage.mass_share?;
            if mass_share < MIN_MASS_SHARE {
                return None;
            }
            let per_serving = meal_nutrients(|n| result.per_serving(n))?;
            if !(100.0..=1500.0).contains(&per_serving.energy_kcal) {
                return None;
            }
            let lines = result
                .lines
                .iter()
                .map(|l| ShoppingLine {
                    item: l
                        .matched
                        .as_ref()
                        .map(|m| m.description.clone())
                        .or_else(|| l.parsed.name.as_ref().map(|f| f.text.to_lowercase()))
                        .unwrap_or_else(|| l.parsed.line.clone()),
                    grams_per_serving: (l.status == LineStatus::Counted)
                        .then(|| l.grams.as_ref().map(|g| g.grams / f64::from(n)))
                        .flatten(),
                    line: l.parsed.line.clone(),
                })
                .collect();
            Some(RecipeProfile {
                recipe_id: r.id,
                title: r.title.clone(),
                cuisine: r.cuisine.clone().filter(|c| !c.trim().is_empty()),
                category: r.category.clone().filter(|c| !c.trim().is_empty()),
                prep_minutes: minutes(r),
                servings: n,
                per_serving,
                diet: result
                    .diet_labels()
                    .into_iter()
                    .filter_map(|d| d.value.map(|v| (d.label, v)))
                    .collect(),
                allergens: result
                    .allergens()
                    .into_iter()
                    .map(|a| (a.allergen, a.risk))
                    .collect(),
                mass_share,
                nrf93: result.nrf93(),
                lines,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::is_meal;

    #[test]
    fn desserts_drinks_and_sauces_are_not_meals() {
        assert!(!is_meal(Some("Dessert"), "Chocolate Cake"));
        assert!(!is_meal(None, "Individual Strawberry Shortcake Recipe"));
        assert!(!is_meal(
            Some("Drinks"),
            "Raspberry Cocktails with Rosemary"
        ));
        assert!(!is_meal(Some("Main Course"), "Banana Cream Pie Recipe"));
        assert!(is_meal(
            Some("Main Course,Side Dish"),
            "Sausage Stuffed Butternut Squash"
        ));
        assert!(is_meal(None, "Vegetarian fajitas"));
    }
}
