//! The 46 nutrients of USDA SR26's abbreviated table, in its column order, with the FDA Daily
//! Values the density features and the "good source"/"high in" categories are measured against.
//!
//! Daily Values: FDA, 21 CFR 101.9(c)(8)(iv) and (c)(9), as revised by the Nutrition Facts label
//! final rule (81 FR 33742, 27 May 2016), for adults and children aged 4 years and over.

/// A nutrient of the SR26 abbreviated table; `as usize` indexes [`NUTRIENTS`] and food values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Nutrient {
    Water,
    Energy,
    Protein,
    Fat,
    Ash,
    Carbohydrate,
    Fiber,
    Sugars,
    Calcium,
    Iron,
    Magnesium,
    Phosphorus,
    Potassium,
    Sodium,
    Zinc,
    Copper,
    Manganese,
    Selenium,
    VitaminC,
    Thiamin,
    Riboflavin,
    Niacin,
    PantothenicAcid,
    VitaminB6,
    FolateTotal,
    FolicAcid,
    FoodFolate,
    FolateDfe,
    Choline,
    VitaminB12,
    VitaminAIu,
    VitaminARae,
    Retinol,
    AlphaCarotene,
    BetaCarotene,
    BetaCryptoxanthin,
    Lycopene,
    LuteinZeaxanthin,
    VitaminE,
    VitaminD,
    VitaminDIu,
    VitaminK,
    SaturatedFat,
    MonounsaturatedFat,
    PolyunsaturatedFat,
    Cholesterol,
}

pub const N_NUTRIENTS: usize = 46;

/// What the app knows of a nutrient.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NutrientInfo {
    pub nutrient: Nutrient,
    /// USDA's `Nutr_No`, the key of `food_nutrients`.
    pub nutr_no: &'static str,
    /// A short snake-case name for feature columns and JSON.
    pub key: &'static str,
    pub name: &'static str,
    pub unit: &'static str,
    /// The FDA Daily Value in `unit`, where FDA sets one.
    pub daily_value: Option<f64>,
}

const fn n(
    nutrient: Nutrient,
    nutr_no: &'static str,
    key: &'static str,
    name: &'static str,
    unit: &'static str,
    daily_value: Option<f64>,
) -> NutrientInfo {
    NutrientInfo {
        nutrient,
        nutr_no,
        key,
        name,
        unit,
        daily_value,
    }
}

use Nutrient as N;

/// Every nutrient, in the abbreviated table's column order.
pub const NUTRIENTS: [NutrientInfo; N_NUTRIENTS] = [
    n(N::Water, "255", "water", "Water", "g", None),
    n(N::Energy, "208", "energy", "Energy", "kcal", None),
    n(N::Protein, "203", "protein", "Protein", "g", Some(50.0)),
    n(N::Fat, "204", "fat", "Total fat", "g", Some(78.0)),
    n(N::Ash, "207", "ash", "Ash", "g", None),
    n(
        N::Carbohydrate,
        "205",
        "carbohydrate",
        "Carbohydrate",
        "g",
        Some(275.0),
    ),
    n(N::Fiber, "291", "fiber", "Dietary fibre", "g", Some(28.0)),
    n(N::Sugars, "269", "sugars", "Total sugars", "g", None),
    n(N::Calcium, "301", "calcium", "Calcium", "mg", Some(1300.0)),
    n(N::Iron, "303", "iron", "Iron", "mg", Some(18.0)),
    n(
        N::Magnesium,
        "304",
        "magnesium",
        "Magnesium",
        "mg",
        Some(420.0),
    ),
    n(
        N::Phosphorus,
        "305",
        "phosphorus",
        "Phosphorus",
        "mg",
        Some(1250.0),
    ),
    n(
        N::Potassium,
        "306",
        "potassium",
        "Potassium",
        "mg",
        Some(4700.0),
    ),
    n(N::Sodium, "307", "sodium", "Sodium", "mg", Some(2300.0)),
    n(N::Zinc, "309", "zinc", "Zinc", "mg", Some(11.0)),
    n(N::Copper, "312", "copper", "Copper", "mg", Some(0.9)),
    n(
        N::Manganese,
        "315",
        "manganese",
        "Manganese",
        "mg",
        Some(2.3),
    ),
    n(N::Selenium, "317", "selenium", "Selenium", "µg", Some(55.0)),
    n(
        N::VitaminC,
        "401",
        "vitamin_c",
        "Vitamin C",
        "mg",
        Some(90.0),
    ),
    n(N::Thiamin, "404", "thiamin", "Thiamin", "mg", Some(1.2)),
    n(
        N::Riboflavin,
        "405",
        "riboflavin",
        "Riboflavin",
        "mg",
        Some(1.3),
    ),
    n(N::Niacin, "406", "niacin", "Niacin", "mg", Some(16.0)),
    n(
        N::PantothenicAcid,
        "410",
        "pantothenic_acid",
        "Pantothenic acid",
        "mg",
        Some(5.0),
    ),
    n(
        N::VitaminB6,
        "415",
        "vitamin_b6",
        "Vitamin B6",
        "mg",
        Some(1.7),
    ),
    n(
        N::FolateTotal,
        "417",
        "folate_total",
        "Folate, total",
        "µg",
        None,
    ),
    n(N::FolicAcid, "431", "folic_acid", "Folic acid", "µg", None),
    n(
        N::FoodFolate,
        "432",
        "food_folate",
        "Folate, food",
        "µg",
        None,
    ),
    n(
        N::FolateDfe,
        "435",
        "folate_dfe",
        "Folate, DFE",
        "µg",
        Some(400.0),
    ),
    n(N::Choline, "421", "choline", "Choline", "mg", Some(550.0)),
    n(
        N::VitaminB12,
        "418",
        "vitamin_b12",
        "Vitamin B12",
        "µg",
        Some(2.4),
    ),
    n(
        N::VitaminAIu,
        "318",
        "vitamin_a_iu",
        "Vitamin A, IU",
        "IU",
        None,
    ),
    n(
        N::VitaminARae,
        "320",
        "vitamin_a_rae",
        "Vitamin A, RAE",
        "µg",
        Some(900.0),
    ),
    n(N::Retinol, "319", "retinol", "Retinol", "µg", None),
    n(
        N::AlphaCarotene,
        "322",
        "alpha_carotene",
        "Alpha-carotene",
        "µg",
        None,
    ),
    n(
        N::BetaCarotene,
        "321",
        "beta_carotene",
        "Beta-carotene",
        "µg",
        None,
    ),
    n(
        N::BetaCryptoxanthin,
        "334",
        "beta_cryptoxanthin",
        "Beta-cryptoxanthin",
        "µg",
        None,
    ),
    n(N::Lycopene, "337", "lycopene", "Lycopene", "µg", None),
    n(
        N::LuteinZeaxanthin,
        "338",
        "lutein_zeaxanthin",
        "Lutein + zeaxanthin",
        "µg",
        None,
    ),
    n(
        N::VitaminE,
        "323",
        "vitamin_e",
        "Vitamin E",
        "mg",
        Some(15.0),
    ),
    n(
        N::VitaminD,
        "328",
        "vitamin_d",
        "Vitamin D",
        "µg",
        Some(20.0),
    ),
    n(
        N::VitaminDIu,
        "324",
        "vitamin_d_iu",
        "Vitamin D, IU",
        "IU",
        None,
    ),
    n(
        N::VitaminK,
        "430",
        "vitamin_k",
        "Vitamin K",
        "µg",
        Some(120.0),
    ),
    n(
        N::SaturatedFat,
        "606",
        "saturated_fat",
        "Saturated fat",
        "g",
        Some(20.0),
    ),
    n(
        N::MonounsaturatedFat,
        "645",
        "monounsaturated_fat",
        "Monounsaturated fat",
        "g",
        None,
    ),
    n(
        N::PolyunsaturatedFat,
        "646",
        "polyunsaturated_fat",
        "Polyunsaturated fat",
        "g",
        None,
    ),
    n(
        N::Cholesterol,
        "601",
        "cholesterol",
        "Cholesterol",
        "mg",
        Some(300.0),
    ),
];

impl Nutrient {
    pub fn info(self) -> &'static NutrientInfo {
        &NUTRIENTS[self as usize]
    }

    /// The nutrient of a USDA `Nutr_No`, if it is one of the 46.
    pub fn from_nutr_no(nutr_no: &str) -> Option<Nutrient> {
        NUTRIENTS
            .iter()
            .find(|i| i.nutr_no == nutr_no)
            .map(|i| i.nutrient)
    }

    /// The nutrient of a [`NutrientInfo::key`].
    pub fn from_key(key: &str) -> Option<Nutrient> {
        NUTRIENTS.iter().find(|i| i.key == key).map(|i| i.nutrient)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_enum_order_with_unique_numbers() {
        for (i, info) in NUTRIENTS.iter().enumerate() {
            assert_eq!(info.nutrient as usize, i, "{}", info.key);
            assert_eq!(Nutrient::from_nutr_no(info.nutr_no), Some(info.nutrient));
            assert_eq!(Nutrient::from_key(info.key), Some(info.nutrient));
        }
        assert_eq!(Nutrient::Cholesterol as usize, N_NUTRIENTS - 1);
    }
}
