//! The food-suggestion artifact the browser loads: the serving int8 food embedding, each food's
//! name and group, its diet labels and allergens as bit masks, and twelve nutrients people run
//! short of, per 100 g with their FDA Daily Values, for "foods that fill my nutrient gap".
//! The ranking itself is `mmi_rank::foods`, shared with the browser.

use std::collections::BTreeSet;

use mmi_rank::foods::{Filters, FoodBundle, GapNutrient};
use mmi_rank::{Int8Rows, QuantizedTable};
use mmi_types::{Estimate, GapMethodResult};

use crate::diet::{allergens, label_food, ALLERGENS, DIET_LABELS};
use crate::{Food, Nutrient, NutritionError};

/// The registry task and model name of the food-suggestion artifact.
pub const FOOD_TASK: &str = "suggest_foods";
pub const FOOD_MODEL_NAME: &str = "food_suggestions";

/// The nutrients of the gap ranking: protein, fibre, and the vitamins and minerals the 2020–2025
/// Dietary Guidelines for Americans call nutrients of public-health concern or commonly
/// under-consumed.
pub const GAP_NUTRIENTS: [Nutrient; 12] = [
    Nutrient::Protein,
    Nutrient::Fiber,
    Nutrient::Calcium,
    Nutrient::Iron,
    Nutrient::Magnesium,
    Nutrient::Potassium,
    Nutrient::Zinc,
    Nutrient::VitaminC,
    Nutrient::VitaminARae,
    Nutrient::VitaminD,
    Nutrient::VitaminB12,
    Nutrient::FolateDfe,
];

/// The bundle of the foods in `table` (the embedding's food order); foods missing from `foods`
/// are an error (the table and the import must agree).
pub fn food_bundle(foods: &[Food], table: &QuantizedTable) -> Result<FoodBundle, NutritionError> {
    let mut sorted: Vec<&Food> = foods.iter().collect();
    sorted.sort_by(|a, b| a.ndb_no.cmp(&b.ndb_no));
    let find = |id: &str| {
        sorted
            .binary_search_by(|f| f.ndb_no.as_str().cmp(id))
            .ok()
            .map(|i| sorted[i])
    };
    let rows: Vec<&Food> = table
        .ids
        .iter()
        .map(|id| {
            find(id).ok_or_else(|| {
                NutritionError::Model(format!(
                    "food {id} of the embedding is not in the database: retrain the nutrition models"
                ))
            })
        })
        .collect::<Result<_, _>>()?;
    let group_names: Vec<String> = rows
        .iter()
        .filter_map(|f| f.group_name.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let groups = rows
        .iter()
        .map(|f| {
            f.group_name
                .as_ref()
                .and_then(|g| group_names.iter().position(|x| x == g))
                .map_or(u8::MAX, |i| i as u8)
        })
        .collect();
    let (mut yes, mut known) = (Vec::new(), Vec::new());
    for f in &rows {
        let labels = label_food(f);
        let mask = |keep: &dyn Fn(Option<bool>) -> bool| {
            labels
                .iter()
                .enumerate()
                .fold(0u8, |m, (b, l)| if keep(*l) { m | (1 << b) } else { m })
        };
        yes.push(mask(&|l| l == Some(true)));
        known.push(mask(&|l| l.is_some()));
    }
    let gap_nutrients: Vec<GapNutrient> = GAP_NUTRIENTS
        .iter()
        .map(|n| {
            let info = n.info();
            GapNutrient {
                key: info.key.into(),
                name: info.name.into(),
                unit: info.unit.into(),
                daily_value: info.daily_value.unwrap_or(f64::NAN) as f32,
            }
        })
        .collect();
    let per_100g = Int8Rows::from_rows(
        &rows
            .iter()
            .map(|f| {
                GAP_NUTRIENTS
                    .iter()
                    .map(|n| f.get(*n).map(|v| v as f32))
                    .collect()
            })
            .collect::<Vec<_>>(),
    )
    .map_err(|e| NutritionError::Model(e.to_string()))?;
    FoodBundle::new(
        table.clone(),
        rows.iter().map(|f| f.description.clone()).collect(),
        group_names,
        groups,
        DIET_LABELS.iter().map(|l| l.key().to_string()).collect(),
        (yes, known),
        ALLERGENS.iter().map(|a| a.to_string()).collect(),
        rows.iter().map(|f| allergens(f)).collect(),
        gap_nutrients,
        per_100g,
        rows.iter()
            .map(|f| f.get(Nutrient::Energy).map(|v| v as f32))
            .collect(),
    )
    .map_err(|e| NutritionError::Model(e.to_string()))
}

/// Simulated days for the gap evaluation: three foods with at least 50 kcal per 100 g, drawn
/// uniformly, 200 kcal of each (at most 500 g).
pub const GAP_EVAL_DAYS: usize = 500;

/// Scores the gap ranking on `days` seeded simulated days beside two baselines: the foods that
/// fill the most of the *whole* Daily Values (the same list every day, blind to what was eaten),
/// and five random foods. Each suggestion is scored by the share of that day's remaining gap one
/// portion fills.
pub fn evaluate_gap(bundle: &FoodBundle, days: usize, seed: u64) -> Vec<GapMethodResult> {
    use mmi_learn::ci::BlockBootstrap;
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let eligible: Vec<usize> = (0..bundle.len())
        .filter(|i| bundle.kcal_per_100g[*i].is_some_and(|k| k >= 50.0))
        .collect();
    let with_energy: Vec<usize> = (0..bundle.len())
        .filter(|i| bundle.portion(*i).is_some())
        .collect();
    if eligible.len() < 3 || days == 0 {
        return Vec::new();
    }
    let none = Filters::default();
    let blind: Vec<usize> = bundle
        .fill_gap(&[], 8, none)
        .into_iter()
        .map(|s| s.index)
        .collect();
    let names = ["gap-aware", "nutrient-dense (gap-blind)", "random"];
    let mut fills: Vec<(Vec<f64>, Vec<f64>)> = vec![(Vec::new(), Vec::new()); 3];
    let mut seen: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); 3];
    for _ in 0..days {
        let eaten: Vec<(usize, f32)> = (0..3)
            .map(|_| {
                let i = eligible[rng.random_range(0..eligible.len())];
                let kcal = bundle.kcal_per_100g[i].unwrap_or(100.0);
                (i, (200.0 * 100.0 / kcal).min(500.0))
            })
            .collect();
        let gap = bundle.gap(&eaten);
        let not_eaten = |j: &usize| !eaten.iter().any(|e| e.0 == *j);
        let lists: [Vec<usize>; 3] = [
            bundle
                .fill_gap(&eaten, 5, none)
                .into_iter()
                .map(|s| s.index)
                .collect(),
            blind.iter().copied().filter(not_eaten).take(5).collect(),
            (0..5)
                .map(|_| with_energy[rng.random_range(0..with_energy.len())])
                .collect(),
        ];
        for (m, list) in lists.iter().enumerate() {
            let scores: Vec<f64> = list
                .iter()
                .map(|j| f64::from(bundle.gap_fill(*j, &gap).map_or(0.0, |x| x.0)))
                .collect();
            if scores.is_empty() {
                continue;
            }
            fills[m]
                .0
                .push(scores.iter().sum::<f64>() / scores.len() as f64);
            fills[m].1.push(scores[0]);
            seen[m].extend(list.iter().copied());
        }
    }
    let bootstrap = BlockBootstrap {
        block: 1,
        resamples: 1000,
        seed,
    };
    let estimate = |v: &[f64]| {
        let c = bootstrap.mean(v);
        Estimate {
            value: c.map_or(f64::NAN, |c| c.estimate),
            low: c.map_or(f64::NAN, |c| c.low),
            high: c.map_or(f64::NAN, |c| c.high),
        }
    };
    names
        .iter()
        .enumerate()
        .map(|(m, name)| GapMethodResult {
            method: name.to_string(),
            baseline: m > 0,
            mean_fill: estimate(&fills[m].0),
            top1_fill: estimate(&fills[m].1),
            distinct_foods: seen[m].len(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_gap_nutrient_has_a_daily_value() {
        for n in GAP_NUTRIENTS {
            assert!(n.info().daily_value.is_some_and(|v| v > 0.0), "{:?}", n);
        }
    }

    #[test]
    fn the_bundle_follows_the_table_and_keeps_missing_values() {
        let foods = vec![
            Food::new("01001", "Butter, salted", Some("0100"))
                .with(Nutrient::Energy, 717.0)
                .with(Nutrient::Protein, 0.85),
            Food::new("11457", "Spinach, raw", Some("1100"))
                .with(Nutrient::Energy, 23.0)
                .with(Nutrient::Iron, 2.71),
        ];
        let table = QuantizedTable::from_rows(
            vec!["11457".into(), "01001".into()],
            &[vec![1.0, 0.0], vec![0.0, 1.0]],
        )
        .expect("table");
        let b = food_bundle(&foods, &table).expect("bundle");
        assert_eq!(b.names, vec!["Spinach, raw", "Butter, salted"]);
        let iron = GAP_NUTRIENTS
            .iter()
            .position(|n| *n == Nutrient::Iron)
            .expect("iron");
        assert!((b.per_100g.get(0, iron).expect("iron") - 2.71).abs() < 0.05);
        assert_eq!(b.per_100g.get(1, iron), None);
        let milk = b.filters(&[], &["milk"]);
        assert!(b.allowed(0, milk) && !b.allowed(1, milk));
        // A day needs three foods of at least 50 kcal per 100 g: two foods give no evaluation
        // (the real-data evaluation is checked in server/tests/recommend.rs).
        let eval = evaluate_gap(&b, 20, 1);
        assert!(eval.is_empty(), "two foods are too few for three-food days");
        let missing = QuantizedTable::from_rows(vec!["99999".into()], &[vec![1.0]]).expect("t");
        assert!(food_bundle(&foods, &missing).is_err());
    }
}
