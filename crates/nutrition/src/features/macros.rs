//! Macro energy shares: the percentage of energy from protein, carbohydrate, fat and alcohol.
//!
//! Energy per macro uses the general Atwater factors 4/4/9 kcal/g and 7 kcal/g for alcohol
//! (FAO, "Food energy – methods of analysis and conversion factors", 2003, ch. 3), and the shares
//! are of their sum, so they add up to 1 whatever the food's own specific Atwater factors were.
//! Carbohydrate is USDA's "by difference" value (fibre included).
//!
//! Missing values: a food without protein, fat or carbohydrate has no shares. SR26's abbreviated
//! table has no alcohol column, so alcohol is estimated only for alcoholic beverages (USDA group
//! 1400 and "alcoholic" in the description, not "non-alcoholic") as the reported energy not
//! explained by the other three macros; for every other food it is 0.

use crate::nutrient::Nutrient;
use crate::Food;

/// Energy from each macro, kcal per 100 g.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MacroEnergy {
    pub protein: f64,
    pub carbohydrate: f64,
    pub fat: f64,
    pub alcohol: f64,
}

impl MacroEnergy {
    pub fn total(&self) -> f64 {
        self.protein + self.carbohydrate + self.fat + self.alcohol
    }
}

/// Shares of energy (0..=1, summing to 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MacroRatios {
    pub protein: f64,
    pub carbohydrate: f64,
    pub fat: f64,
    pub alcohol: f64,
}

fn is_alcoholic_beverage(food: &Food) -> bool {
    let d = food.description.to_lowercase();
    food.group_code.as_deref() == Some("1400")
        && d.contains("alcoholic")
        && !d.contains("non-alcoholic")
        && !d.contains("nonalcoholic")
}

/// Energy per macro, or `None` when protein, fat or carbohydrate is missing.
pub fn macro_energy(food: &Food) -> Option<MacroEnergy> {
    let protein = 4.0 * food.get(Nutrient::Protein)?;
    let carbohydrate = 4.0 * food.get(Nutrient::Carbohydrate)?;
    let fat = 9.0 * food.get(Nutrient::Fat)?;
    let explained = protein + carbohydrate + fat;
    let alcohol = match (is_alcoholic_beverage(food), food.get(Nutrient::Energy)) {
        (true, Some(kcal)) if kcal > explained => kcal - explained,
        _ => 0.0,
    };
    Some(MacroEnergy {
        protein,
        carbohydrate,
        fat,
        alcohol,
    })
}

/// Shares of energy, or `None` when a macro is missing or the food has no macro energy (water,
/// salt).
pub fn macro_ratios(food: &Food) -> Option<MacroRatios> {
    let e = macro_energy(food)?;
    let total = e.total();
    (total > 0.0).then(|| MacroRatios {
        protein: e.protein / total,
        carbohydrate: e.carbohydrate / total,
        fat: e.fat / total,
        alcohol: e.alcohol / total,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use approx::assert_relative_eq;

    use super::*;
    use crate::nutrient::Nutrient as N;

    /// USDA SR26 01077 "Milk, whole, 3.25% milkfat, with added vitamin D": protein 3.15 g, fat
    /// 3.25 g, carbohydrate 4.80 g per 100 g. Energy: 12.6 + 29.25 + 19.2 = 61.05 kcal.
    pub(crate) fn whole_milk() -> Food {
        Food::new(
            "01077",
            "Milk, whole, 3.25% milkfat, with added vitamin D",
            Some("0100"),
        )
        .with(N::Energy, 61.0)
        .with(N::Protein, 3.15)
        .with(N::Fat, 3.25)
        .with(N::Carbohydrate, 4.8)
    }

    #[test]
    fn whole_milk_shares_by_hand() {
        let r = macro_ratios(&whole_milk()).expect("shares");
        assert_relative_eq!(r.protein, 12.6 / 61.05, epsilon = 1e-12);
        assert_relative_eq!(r.fat, 29.25 / 61.05, epsilon = 1e-12);
        assert_relative_eq!(r.carbohydrate, 19.2 / 61.05, epsilon = 1e-12);
        assert_eq!(r.alcohol, 0.0);
    }

    #[test]
    fn a_missing_macro_gives_no_shares_and_water_has_none() {
        let mut milk = whole_milk();
        milk.values[N::Carbohydrate as usize] = None;
        assert_eq!(macro_ratios(&milk), None);
        let water = Food::new("14555", "Water, bottled", Some("1400"))
            .with(N::Protein, 0.0)
            .with(N::Fat, 0.0)
            .with(N::Carbohydrate, 0.0);
        assert_eq!(macro_ratios(&water), None);
    }

    #[test]
    fn alcohol_is_the_unexplained_energy_of_alcoholic_beverages_only() {
        // SR26 14003 beer: 43 kcal, protein 0.46 g, fat 0, carbohydrate 3.55 g.
        let beer = Food::new(
            "14003",
            "Alcoholic beverage, beer, regular, all",
            Some("1400"),
        )
        .with(N::Energy, 43.0)
        .with(N::Protein, 0.46)
        .with(N::Fat, 0.0)
        .with(N::Carbohydrate, 3.55);
        let e = macro_energy(&beer).expect("energy");
        assert_relative_eq!(e.alcohol, 43.0 - 4.0 * (0.46 + 3.55), epsilon = 1e-12);
        let r = macro_ratios(&beer).expect("shares");
        assert_relative_eq!(
            r.protein + r.carbohydrate + r.fat + r.alcohol,
            1.0,
            epsilon = 1e-12
        );
        let mut juice = beer.clone();
        juice.description = "Beverages, non-alcoholic wine".into();
        assert_eq!(macro_energy(&juice).expect("energy").alcohol, 0.0);
    }
}
