//! Simple foods a plan may add beside its recipes, so that a day's energy and macro ranges are
//! reachable for every diet: fruit, yoghurt, nuts, bread, grains, legumes, eggs, lean protein
//! and drinks, each a USDA SR26 food in a household portion from its `WEIGHT.txt` measures.
//!
//! The list names foods, not nutrition: every figure (energy, macros, grams of the portion),
//! every diet label and every allergen comes from the imported SR26 rows through the same rules
//! that label any food ([`label_food`], [`allergens`]). A food missing from the import, without
//! the named measure, or without energy and macros is left out.

use mmi_types::{MealNutrients, PlannedSide};

use super::catalogue::meal_nutrients;
use crate::diet::{allergens, label_food, Labels, ALLERGENS, DIET_LABELS};
use crate::nutrient::Nutrient;
use crate::Food;

/// Where a side sits in the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SideKind {
    Side,
    Snack,
    Drink,
}

impl SideKind {
    pub fn key(self) -> &'static str {
        match self {
            SideKind::Side => "side",
            SideKind::Snack => "snack",
            SideKind::Drink => "drink",
        }
    }
}

/// `(NDB number, name, kind, USDA measure the portion is read from, how many of it)`.
const SIDES: &[(&str, &str, SideKind, &str, f64)] = &[
    ("09040", "banana", SideKind::Snack, "medium", 1.0),
    ("09003", "apple", SideKind::Snack, "medium", 1.0),
    ("09200", "orange", SideKind::Snack, "fruit", 1.0),
    ("09050", "blueberries", SideKind::Snack, "cup", 1.0),
    ("09037", "avocado", SideKind::Side, "avocado", 0.5),
    ("11124", "carrot", SideKind::Snack, "medium", 1.0),
    (
        "01256",
        "Greek yogurt, plain, nonfat",
        SideKind::Snack,
        "container",
        1.0,
    ),
    (
        "01117",
        "yogurt, plain, low fat",
        SideKind::Snack,
        "container (6 oz)",
        1.0,
    ),
    ("01015", "cottage cheese, 2%", SideKind::Snack, "cup", 0.5),
    ("01009", "cheddar cheese", SideKind::Snack, "oz", 1.0),
    ("01129", "hard-boiled egg", SideKind::Snack, "large", 1.0),
    ("12061", "almonds", SideKind::Snack, "oz", 1.0),
    ("16090", "peanuts, dry-roasted", SideKind::Snack, "oz", 1.0),
    ("12155", "walnuts", SideKind::Snack, "oz", 1.0),
    ("16098", "peanut butter", SideKind::Snack, "tbsp", 2.0),
    ("16158", "hummus", SideKind::Snack, "tbsp", 4.0),
    ("19051", "brown rice cakes", SideKind::Snack, "cakes", 2.0),
    ("18075", "whole-wheat bread", SideKind::Side, "slice", 1.0),
    ("18363", "corn tortilla", SideKind::Side, "tortilla", 2.0),
    ("20037", "brown rice, cooked", SideKind::Side, "cup", 1.0),
    ("20045", "white rice, cooked", SideKind::Side, "cup", 1.0),
    ("20137", "quinoa, cooked", SideKind::Side, "cup", 1.0),
    ("08121", "oatmeal", SideKind::Side, "cup", 1.0),
    ("16070", "lentils, cooked", SideKind::Side, "cup", 1.0),
    ("16057", "chickpeas, cooked", SideKind::Side, "cup", 1.0),
    ("16015", "black beans, cooked", SideKind::Side, "cup", 1.0),
    ("11212", "edamame", SideKind::Side, "cup", 1.0),
    ("16126", "tofu, firm", SideKind::Side, "cup", 0.5),
    ("16159", "tofu, extra firm", SideKind::Side, "block", 0.2),
    ("16114", "tempeh", SideKind::Side, "cup", 0.5),
    (
        "05064",
        "chicken breast, roasted",
        SideKind::Side,
        "cup, chopped",
        0.5,
    ),
    ("15121", "tuna, canned in water", SideKind::Side, "oz", 3.0),
    ("01082", "milk, 1%", SideKind::Drink, "cup", 1.0),
    ("16139", "soy milk", SideKind::Drink, "cup", 1.0),
    ("09206", "orange juice", SideKind::Drink, "cup", 1.0),
    (
        "16122",
        "soy protein shake (isolate in water)",
        SideKind::Drink,
        "oz",
        1.0,
    ),
];

/// One side ready for planning: one portion's nutrients and what the food may be eaten with.
#[derive(Debug, Clone, PartialEq)]
pub struct SideFood {
    pub ndb_no: String,
    pub name: String,
    /// The USDA description (the shopping list's item, as recipes' matched lines are).
    pub description: String,
    pub kind: SideKind,
    /// How many of `measure` one portion is.
    pub amount: f64,
    pub measure: String,
    pub grams: f64,
    pub per_portion: MealNutrients,
    pub labels: Labels,
    /// Bit `b` is [`ALLERGENS`]`[b]`.
    pub allergens: u16,
}

impl SideFood {
    /// Whether the food holds a diet label (an undecided label does not hold).
    pub fn holds(&self, label: &str) -> bool {
        DIET_LABELS
            .iter()
            .position(|d| d.key() == label)
            .is_some_and(|k| self.labels[k] == Some(true))
    }

    pub fn contains(&self, allergen: &str) -> bool {
        ALLERGENS
            .iter()
            .position(|a| *a == allergen)
            .is_some_and(|b| self.allergens & (1 << b) != 0)
    }

    /// `portions` of it in a plan.
    pub fn planned(&self, portions: f64) -> PlannedSide {
        let amount = fraction(self.amount * portions);
        PlannedSide {
            ndb_no: self.ndb_no.clone(),
            name: self.name.clone(),
            kind: self.kind.key().to_string(),
            amount: format!("{amount} {}", self.measure),
            portions,
            portion: format!(
                "{} {} ({:.0} g)",
                fraction(self.amount),
                self.measure,
                self.grams
            ),
            grams: self.grams * portions,
            nutrients: self.per_portion.scaled(portions),
        }
    }
}

/// A household amount: whole numbers and halves as cooks write them (`1½`, `½`), else one decimal.
fn fraction(x: f64) -> String {
    let whole = x.trunc();
    let rest = x - whole;
    let (w, r) = if rest.abs() < 0.01 {
        (whole, "")
    } else if (rest - 0.5).abs() < 0.01 {
        (whole, "½")
    } else if (rest - 0.25).abs() < 0.01 {
        (whole, "¼")
    } else if (rest - 0.75).abs() < 0.01 {
        (whole, "¾")
    } else {
        return format!("{x:.1}");
    };
    match (w as i64, r) {
        (0, "") => "0".into(),
        (0, r) => r.into(),
        (w, r) => format!("{w}{r}"),
    }
}

/// The sides among `foods` (see the module doc for what is left out).
pub fn build_sides(foods: &[Food]) -> Vec<SideFood> {
    SIDES
        .iter()
        .filter_map(|(ndb, name, kind, measure, amount)| {
            let food = foods.iter().find(|f| f.ndb_no == *ndb)?;
            let p = food
                .portions
                .iter()
                .find(|p| p.measure.starts_with(measure) && p.amount > 0.0)?;
            let grams = p.grams / p.amount * amount;
            let per_portion = meal_nutrients(|n: Nutrient| food.get(n).map(|v| v * grams / 100.0))?;
            (per_portion.energy_kcal > 0.0).then(|| SideFood {
                ndb_no: food.ndb_no.clone(),
                name: name.to_string(),
                description: food.description.clone(),
                kind: *kind,
                amount: *amount,
                measure: measure.split(',').next().unwrap_or(measure).trim().into(),
                grams,
                per_portion,
                labels: label_food(food),
                allergens: allergens(food),
            })
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::Portion;

    pub fn food(ndb: &str, description: &str, group: &str, kcal_p_f_c: [f64; 4]) -> Food {
        let mut f = Food::new(ndb, description, Some(group))
            .with(Nutrient::Energy, kcal_p_f_c[0])
            .with(Nutrient::Protein, kcal_p_f_c[1])
            .with(Nutrient::Fat, kcal_p_f_c[2])
            .with(Nutrient::Carbohydrate, kcal_p_f_c[3])
            .with(Nutrient::Cholesterol, 0.0);
        f.portions = vec![Portion {
            amount: 1.0,
            measure: "medium (7\" to 7-7/8\" long)".into(),
            grams: 118.0,
        }];
        f
    }

    #[test]
    fn sides_read_portions_labels_and_allergens_from_the_foods() {
        let mut yogurt = food(
            "01256",
            "Yogurt, Greek, plain, nonfat",
            "0100",
            [59.0, 10.2, 0.4, 3.6],
        );
        yogurt.portions[0].measure = "container".into();
        yogurt.portions[0].grams = 170.0;
        let banana = food("09040", "Bananas, raw", "0900", [89.0, 1.1, 0.3, 22.8]);
        // No portion named as the list says: left out.
        let mut apple = food(
            "09003",
            "Apples, raw, with skin",
            "0900",
            [52.0, 0.3, 0.2, 13.8],
        );
        apple.portions.clear();
        let sides = build_sides(&[yogurt, banana, apple]);
        assert_eq!(sides.len(), 2);
        let b = sides.iter().find(|s| s.name == "banana").unwrap();
        assert!((b.grams - 118.0).abs() < 1e-9);
        assert!((b.per_portion.energy_kcal - 89.0 * 1.18).abs() < 1e-9);
        assert!(b.holds("vegan") && b.holds("gluten_free"));
        assert!(!b.contains("milk"));
        let y = sides
            .iter()
            .find(|s| s.kind == SideKind::Snack && s.name.contains("Greek"))
            .unwrap();
        assert!(y.holds("vegetarian") && !y.holds("vegan"));
        assert!(y.contains("milk"));
        let planned = b.planned(1.5);
        assert_eq!(planned.amount, "1½ medium");
        assert_eq!(planned.portion, "1 medium (118 g)");
        assert!((planned.grams - 177.0).abs() < 1e-9);
    }

    #[test]
    fn amounts_read_as_cooks_write_them() {
        assert_eq!(fraction(0.5), "½");
        assert_eq!(fraction(2.0), "2");
        assert_eq!(fraction(1.5), "1½");
        assert_eq!(fraction(0.75), "¾");
        assert_eq!(fraction(1.3), "1.3");
    }
}
