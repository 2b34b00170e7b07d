//! Nutrient density and energy density.
//!
//! - [`per_100_kcal`]: any nutrient per 100 kcal of the food.
//! - [`nrf93`]: the Nutrient Rich Foods index NRF9.3 (Fulgoni, Keast & Drewnowski, "Development
//!   and validation of the Nutrient-Rich Foods Index", J Nutr 139:1549, 2009): the sum of the
//!   percentages of Daily Value per 100 kcal of nine nutrients to encourage (each capped at 100)
//!   minus the sum of the percentages of the maximum recommended values of three to limit. Daily
//!   Values are FDA's 2016 ones (see [`crate::nutrient`]); the limits are saturated fat 20 g,
//!   sodium 2,300 mg and sugars 50 g. SR26 has no added-sugar column, so total sugars stand in for
//!   added sugars: fruit and milk score lower than in the published index.
//! - [`energy_density`]: kcal per gram, classed as in Rolls, "The relationship between dietary
//!   energy density and energy intake", Physiol Behav 97:609, 2009 (very low < 0.6, low 0.6–1.5,
//!   medium 1.5–4, high > 4 kcal/g).
//!
//! Missing values: `per_100_kcal` needs the nutrient and energy; `nrf93` needs all twelve
//! components and energy (no component is assumed zero), so foods lacking, say, vitamin E have no
//! score; zero-energy foods have no density per kcal.

use crate::nutrient::Nutrient;
use crate::Food;

/// The nine nutrients NRF9.3 encourages.
pub const NRF_ENCOURAGE: [Nutrient; 9] = [
    Nutrient::Protein,
    Nutrient::Fiber,
    Nutrient::VitaminARae,
    Nutrient::VitaminC,
    Nutrient::VitaminE,
    Nutrient::Calcium,
    Nutrient::Iron,
    Nutrient::Potassium,
    Nutrient::Magnesium,
];

/// The three nutrients NRF9.3 limits, with their maximum recommended values.
pub const NRF_LIMIT: [(Nutrient, f64); 3] = [
    (Nutrient::SaturatedFat, 20.0),
    (Nutrient::Sugars, 50.0),
    (Nutrient::Sodium, 2300.0),
];

/// `n` per 100 kcal, or `None` if `n` or the energy is missing or the energy is 0.
pub fn per_100_kcal(food: &Food, n: Nutrient) -> Option<f64> {
    let kcal = food.get(Nutrient::Energy).filter(|k| *k > 0.0)?;
    Some(food.get(n)? * 100.0 / kcal)
}

/// The NRF9.3 score per 100 kcal (higher: more nutrients per calorie), or `None` as above.
pub fn nrf93(food: &Food) -> Option<f64> {
    let mut score = 0.0;
    for n in NRF_ENCOURAGE {
        let dv = n.info().daily_value?;
        score += (100.0 * per_100_kcal(food, n)? / dv).min(100.0);
    }
    for (n, limit) in NRF_LIMIT {
        score -= 100.0 * per_100_kcal(food, n)? / limit;
    }
    Some(score)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnergyDensityClass {
    VeryLow,
    Low,
    Medium,
    High,
}

/// kcal per gram and its class, or `None` without an energy value.
pub fn energy_density(food: &Food) -> Option<(f64, EnergyDensityClass)> {
    let kcal_per_g = food.get(Nutrient::Energy)? / 100.0;
    let class = match kcal_per_g {
        d if d < 0.6 => EnergyDensityClass::VeryLow,
        d if d < 1.5 => EnergyDensityClass::Low,
        d if d <= 4.0 => EnergyDensityClass::Medium,
        _ => EnergyDensityClass::High,
    };
    Some((kcal_per_g, class))
}

#[cfg(test)]
pub(crate) mod tests {
    use approx::assert_relative_eq;

    use super::*;
    use crate::nutrient::Nutrient as N;

    /// SR26 11090 "Broccoli, raw", per 100 g.
    pub(crate) fn raw_broccoli() -> Food {
        Food::new("11090", "Broccoli, raw", Some("1100"))
            .with(N::Energy, 34.0)
            .with(N::Protein, 2.82)
            .with(N::Fat, 0.37)
            .with(N::Carbohydrate, 6.64)
            .with(N::Fiber, 2.6)
            .with(N::Sugars, 1.7)
            .with(N::Calcium, 47.0)
            .with(N::Iron, 0.73)
            .with(N::Magnesium, 21.0)
            .with(N::Potassium, 316.0)
            .with(N::Sodium, 33.0)
            .with(N::VitaminC, 89.2)
            .with(N::VitaminARae, 31.0)
            .with(N::VitaminE, 0.78)
            .with(N::SaturatedFat, 0.039)
    }

    #[test]
    fn broccoli_nrf93_by_hand() {
        // Per 100 kcal = per 100 g × 100/34. %DV per 100 kcal, capped at 100:
        let f: f64 = 100.0 / 34.0;
        let encourage: f64 = [
            2.82 / 50.0,
            2.6 / 28.0,
            31.0 / 900.0,
            89.2 / 90.0, // 291 % → capped at 100
            0.78 / 15.0,
            47.0 / 1300.0,
            0.73 / 18.0,
            316.0 / 4700.0,
            21.0 / 420.0,
        ]
        .iter()
        .map(|share: &f64| (100.0 * share * f).min(100.0))
        .sum::<f64>();
        let limit = 100.0 * f * (0.039 / 20.0 + 1.7 / 50.0 + 33.0 / 2300.0);
        let score = nrf93(&raw_broccoli()).expect("score");
        assert_relative_eq!(score, encourage - limit, epsilon = 1e-9);
        // Vitamin C alone is 291 % of DV per 100 kcal, so the cap binds.
        assert!(100.0 * 89.2 / 90.0 * f > 100.0);
        assert_relative_eq!(score, 211.57, epsilon = 0.01);
    }

    #[test]
    fn a_missing_component_means_no_score() {
        let mut b = raw_broccoli();
        b.values[N::VitaminE as usize] = None;
        assert_eq!(nrf93(&b), None);
        assert_relative_eq!(
            per_100_kcal(&b, N::VitaminC).expect("defined"),
            89.2 * 100.0 / 34.0
        );
        b.values[N::Energy as usize] = Some(0.0);
        assert_eq!(per_100_kcal(&b, N::VitaminC), None);
    }

    #[test]
    fn energy_density_classes() {
        let (d, c) = energy_density(&raw_broccoli()).expect("density");
        assert_relative_eq!(d, 0.34);
        assert_eq!(c, EnergyDensityClass::VeryLow);
        let oil =
            Food::new("04053", "Oil, olive, salad or cooking", Some("0400")).with(N::Energy, 884.0);
        assert_eq!(
            energy_density(&oil).map(|x| x.1),
            Some(EnergyDensityClass::High)
        );
    }
}
