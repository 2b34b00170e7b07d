//! The exploratory views of the USDA foods: nutrient distributions (log-binned where skewed), a
//! Spearman correlation matrix over pairwise-complete foods, macro energy shares by food group,
//! and how often each nutrient is missing. Missing values are left out of every statistic (and
//! counted), never read as zero.

use mmi_signals::stats::{describe, spearman};
use mmi_types::{MacroPoints, Missingness, NutrientCorrelation, NutrientHistogram, NutritionEda};

use crate::features::macro_ratios;
use crate::nutrient::{Nutrient, NUTRIENTS};
use crate::train::group_indices;
use crate::Food;

/// The nutrients drawn as distributions.
pub const HISTOGRAM_NUTRIENTS: [Nutrient; 12] = [
    Nutrient::Energy,
    Nutrient::Protein,
    Nutrient::Fat,
    Nutrient::Carbohydrate,
    Nutrient::Fiber,
    Nutrient::Sugars,
    Nutrient::Sodium,
    Nutrient::Calcium,
    Nutrient::Iron,
    Nutrient::Potassium,
    Nutrient::VitaminC,
    Nutrient::VitaminARae,
];

/// The nutrients of the correlation matrix.
pub const CORRELATION_NUTRIENTS: [Nutrient; 18] = [
    Nutrient::Water,
    Nutrient::Energy,
    Nutrient::Protein,
    Nutrient::Fat,
    Nutrient::SaturatedFat,
    Nutrient::Carbohydrate,
    Nutrient::Fiber,
    Nutrient::Sugars,
    Nutrient::Cholesterol,
    Nutrient::Sodium,
    Nutrient::Potassium,
    Nutrient::Calcium,
    Nutrient::Iron,
    Nutrient::Magnesium,
    Nutrient::Zinc,
    Nutrient::VitaminC,
    Nutrient::VitaminARae,
    Nutrient::VitaminB12,
];

const BINS: usize = 30;
/// Fewer foods with both values than this: no correlation shown.
const MIN_PAIRS: usize = 30;

fn histogram(foods: &[Food], n: Nutrient) -> NutrientHistogram {
    let values: Vec<f64> = foods
        .iter()
        .filter_map(|f| f.get(n))
        .filter(|v| v.is_finite())
        .collect();
    let summary = describe(&values);
    let log_scale = summary.skewness.is_some_and(|s| s > 1.0) && values.iter().all(|v| *v >= 0.0);
    let scaled: Vec<f64> = values
        .iter()
        .map(|v| if log_scale { (1.0 + v).log10() } else { *v })
        .collect();
    let (lo, hi) = scaled
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        });
    let (edges, counts) = if scaled.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        let width = if hi > lo {
            (hi - lo) / BINS as f64
        } else {
            1.0
        };
        let mut counts = vec![0u64; BINS];
        for v in &scaled {
            counts[(((v - lo) / width) as usize).min(BINS - 1)] += 1;
        }
        ((0..=BINS).map(|i| lo + i as f64 * width).collect(), counts)
    };
    let info = n.info();
    NutrientHistogram {
        key: info.key.into(),
        name: info.name.into(),
        unit: info.unit.into(),
        log_scale,
        edges,
        counts,
        n_present: values.len() as u64,
        n_zero: values.iter().filter(|v| **v == 0.0).count() as u64,
        median: summary.median,
    }
}

pub fn nutrition_eda(foods: &[Food]) -> NutritionEda {
    let (groups, group_of) = group_indices(foods);
    let columns: Vec<Vec<Option<f64>>> = CORRELATION_NUTRIENTS
        .iter()
        .map(|n| foods.iter().map(|f| f.get(*n)).collect())
        .collect();
    let values = columns
        .iter()
        .map(|a| {
            columns
                .iter()
                .map(|b| {
                    let pairs = a
                        .iter()
                        .zip(b)
                        .filter(|(x, y)| x.is_some() && y.is_some())
                        .count();
                    (pairs >= MIN_PAIRS).then(|| spearman(a, b)).flatten()
                })
                .collect()
        })
        .collect();
    let n_foods = foods.len() as u64;
    NutritionEda {
        foods: n_foods,
        histograms: HISTOGRAM_NUTRIENTS
            .iter()
            .map(|n| histogram(foods, *n))
            .collect(),
        correlation: NutrientCorrelation {
            keys: CORRELATION_NUTRIENTS
                .iter()
                .map(|n| n.info().key.to_string())
                .collect(),
            names: CORRELATION_NUTRIENTS
                .iter()
                .map(|n| n.info().name.to_string())
                .collect(),
            values,
        },
        macro_points: {
            let mut points = MacroPoints::default();
            for (f, g) in foods.iter().zip(&group_of) {
                if let Some(r) = macro_ratios(f) {
                    points.push(*g as u16, r.protein, r.fat);
                }
            }
            points
        },
        missingness: {
            let mut m: Vec<Missingness> = NUTRIENTS
                .iter()
                .map(|info| {
                    let missing = foods
                        .iter()
                        .filter(|f| f.get(info.nutrient).is_none())
                        .count() as u64;
                    Missingness {
                        key: info.key.into(),
                        name: info.name.into(),
                        missing,
                        share: if n_foods == 0 {
                            0.0
                        } else {
                            missing as f64 / n_foods as f64
                        },
                    }
                })
                .collect();
            m.sort_by(|a, b| b.missing.cmp(&a.missing).then(a.key.cmp(&b.key)));
            m
        },
        groups,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nutrient::Nutrient as N;

    #[test]
    fn missing_values_are_counted_not_binned() {
        let foods: Vec<Food> = (0..40)
            .map(|i| {
                let f = Food::new(&format!("{i:05}"), "x", Some("0100"))
                    .with(N::Protein, f64::from(i))
                    .with(N::Fat, 1.0)
                    .with(N::Carbohydrate, 1.0);
                if i % 4 == 0 {
                    f
                } else {
                    f.with(N::VitaminC, f64::from(i))
                }
            })
            .collect();
        let eda = nutrition_eda(&foods);
        let vc = eda
            .histograms
            .iter()
            .find(|h| h.key == "vitamin_c")
            .expect("vitamin C");
        assert_eq!(vc.n_present, 30);
        assert_eq!(vc.counts.iter().sum::<u64>(), 30);
        let miss = eda
            .missingness
            .iter()
            .find(|m| m.key == "vitamin_c")
            .expect("row");
        assert_eq!(miss.missing, 10);
        // Protein and vitamin C rise together on the 30 foods with both: ρ = 1.
        let i = eda
            .correlation
            .keys
            .iter()
            .position(|k| k == "protein")
            .expect("protein");
        let j = eda
            .correlation
            .keys
            .iter()
            .position(|k| k == "vitamin_c")
            .expect("vitamin C");
        assert_eq!(eda.correlation.values[i][j], Some(1.0));
        // Sodium is missing everywhere: no correlation, not zero.
        let s = eda
            .correlation
            .keys
            .iter()
            .position(|k| k == "sodium")
            .expect("sodium");
        assert_eq!(eda.correlation.values[i][s], None);
        assert_eq!(eda.macro_points.len(), 40);
    }
}
