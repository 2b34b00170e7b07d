//! Recipe nutrition against what recipe sites report. The recipes carry site-reported nutrition
//! per serving (`"calories": "526 kcal"`, `"proteinContent": "6 g"`) and a yield
//! (`"12 servings"`, `"8 slices"`). The error of ours per serving is summarised by the median
//! absolute percentage error (MdAPE) with a bootstrap interval, beside a naive baseline that
//! gives every recipe the median of the development recipes' site figures.
//!
//! The recipes are split in two by id (even: development, odd: test) so that the phrase table
//! and matching rules can be looked at on one half and reported on the other.

use mmi_learn::ci::{BlockBootstrap, Interval};
use mmi_store::RecipeRecord;
use mmi_types::{Estimate, NutritionErrorRow};
use serde_json::Value;

use crate::nutrient::Nutrient;

/// The first number in a site's string (`"526 kcal"`, `"6g"`, `"1,269 kcal"`).
pub fn leading_number(text: &str) -> Option<f64> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let rest = &text[start..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(rest.len());
    rest[..end].replace(',', "").parse().ok()
}

/// Whole dishes: a yield of `"1 cake"` or `"2 loaves"` says how many dishes, not how many
/// servings (unless it says how each is cut: `"2 loaves (12 slices each)"`).
const WHOLE_DISHES: &[&str] = &[
    "cake",
    "loaf",
    "pie",
    "tart",
    "pizza",
    "quiche",
    "batch",
    "recipe",
    "jar",
    "bottle",
    "pan",
    "tray",
    "dish",
    "casserole",
    "bread",
    "terrine",
    "gateau",
    "torte",
    "cheesecake",
    "galette",
    "focaccia",
    "round",
    "ring",
    "wreath",
    "pot",
    "pint",
    "quart",
];

/// The number of servings a yield gives: `"12 servings"`, `"Serves 4"`, `"makes 24 cookies"`,
/// `"8 slices"`, `"2 dozen"` (24), `"2 loaves (12 slices each)"` (24), `"4-6 servings"` (the
/// first number, as sites compute with). `None` when it does not say: yields in units of volume
/// or mass (`"2 cups"`), whole dishes (`"1 cake"`, `"2 loaves"`), no number.
pub fn servings(yields: &str) -> Option<u32> {
    let lower = yields.to_lowercase();
    // "makes 1 cake, serves 8", "1 loaf; 12 servings": the servings wherever they are said.
    let said = lower.split([',', ';', '(', ')']).find_map(|part| {
        let n = leading_number(part)?;
        part.split_whitespace()
            .map(|w| w.trim_matches(|c: char| !c.is_alphabetic()))
            .any(|w| {
                matches!(
                    w,
                    "serves"
                        | "serve"
                        | "feeds"
                        | "serving"
                        | "servings"
                        | "portion"
                        | "portions"
                        | "people"
                        | "persons"
                )
            })
            .then_some(n)
    });
    if let Some(n) = said {
        return ((1.0..=500.0).contains(&n) && n.fract() == 0.0).then_some(n as u32);
    }
    let mut n = leading_number(&lower)?;
    let after = &lower[lower.find(|c: char| c.is_ascii_digit())?..];
    // The words after the number, without a dish's dimensions ("1 9-inch pie").
    let words: Vec<&str> = after
        .split(|c: char| !c.is_alphabetic() && c != '-')
        .map(|w| w.trim_matches('-'))
        .filter(|w| !w.is_empty() && !matches!(*w, "inch" | "in" | "cm" | "x"))
        .collect();
    let mut noun = words.first().copied().unwrap_or("");
    if noun == "dozen" {
        n *= 12.0;
        noun = words.get(1).copied().unwrap_or("");
    }
    let measured = mmi_text::ingredient::Unit::parse(noun)
        .is_some_and(|u| u.dimension() != mmi_text::ingredient::Dimension::Count);
    if measured {
        return None;
    }
    if WHOLE_DISHES.contains(&mmi_text::ingredient::stem(noun).as_str()) {
        // "(12 slices each)", "(cut into 8 pieces)": the dishes times the cuts.
        let inner = lower.split_once('(').map(|(_, r)| r)?;
        n *= leading_number(inner)?;
    }
    ((1.0..=500.0).contains(&n) && n.fract() == 0.0).then_some(n as u32)
}

/// The site's per-serving value of a nutrient, from its nutrients JSON.
pub fn site_value(nutrients_json: &str, nutrient: Nutrient) -> Option<f64> {
    let v: Value = serde_json::from_str(nutrients_json).ok()?;
    let key = match nutrient {
        Nutrient::Energy => "calories",
        Nutrient::Protein => "proteinContent",
        Nutrient::Fat => "fatContent",
        Nutrient::Carbohydrate => "carbohydrateContent",
        _ => return None,
    };
    let s = v.get(key)?;
    match s {
        Value::String(s) => leading_number(s),
        Value::Number(n) => n.as_f64(),
        _ => None,
    }
}

/// Whether a recipe is in the evaluation's test half.
pub fn is_test_recipe(r: &RecipeRecord) -> bool {
    r.id % 2 == 1
}

pub fn is_english(r: &RecipeRecord) -> bool {
    r.language.as_deref().is_none_or(|l| l.starts_with("en"))
}

/// `(ours, site)` per recipe → the error row, the baseline predicting `baseline_value` for all.
pub fn error_row(
    name: &str,
    pairs: &[(f64, f64)],
    baseline_value: f64,
) -> Option<NutritionErrorRow> {
    let pairs: Vec<(f64, f64)> = pairs.iter().copied().filter(|(_, s)| *s > 0.0).collect();
    if pairs.is_empty() {
        return None;
    }
    let ape: Vec<f64> = pairs.iter().map(|(o, s)| (o - s).abs() / s).collect();
    let base: Vec<f64> = pairs
        .iter()
        .map(|(_, s)| (baseline_value - s).abs() / s)
        .collect();
    let bootstrap = BlockBootstrap {
        block: 1,
        resamples: 1000,
        seed: 42,
    };
    let median_of = |values: &[f64]| -> Estimate {
        bootstrap
            .interval(values.len(), |idx| {
                let v: Vec<f64> = idx.iter().map(|i| values[*i]).collect();
                median(&v)
            })
            .unwrap_or(Interval::UNDEFINED)
            .into()
    };
    Some(NutritionErrorRow {
        nutrient: name.to_string(),
        n_recipes: pairs.len(),
        mdape: median_of(&ape),
        baseline_mdape: median_of(&base),
        within_20pct: ape.iter().filter(|e| **e <= 0.2).count() as f64 / ape.len() as f64,
    })
}

pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    Some(if v.len().is_multiple_of(2) {
        (v[m - 1] + v[m]) / 2.0
    } else {
        v[m]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_strings() {
        assert_eq!(leading_number("526 kcal"), Some(526.0));
        assert_eq!(leading_number("6g"), Some(6.0));
        assert_eq!(leading_number("1,269 kcal"), Some(1269.0));
        assert_eq!(leading_number("none"), None);
        let json = r#"{"calories": "350 kcal", "proteinContent": "12 g", "fatContent": 21}"#;
        assert_eq!(site_value(json, Nutrient::Energy), Some(350.0));
        assert_eq!(site_value(json, Nutrient::Protein), Some(12.0));
        assert_eq!(site_value(json, Nutrient::Fat), Some(21.0));
        assert_eq!(site_value(json, Nutrient::Carbohydrate), None);
    }

    #[test]
    fn yields() {
        assert_eq!(servings("12 servings"), Some(12));
        assert_eq!(servings("8 slices"), Some(8));
        assert_eq!(servings("Serves 4"), Some(4));
        assert_eq!(servings("2 cups"), None);
        assert_eq!(servings("0 servings"), None);
        assert_eq!(servings("makes 24 cookies"), Some(24));
        assert_eq!(servings("4-6 servings"), Some(4));
        assert_eq!(servings("2 dozen cookies"), Some(24));
        assert_eq!(servings("1 cake"), None, "a whole dish, not a serving");
        assert_eq!(servings("2 loaves"), None);
        assert_eq!(servings("2 loaves (12 slices each)"), Some(24));
        assert_eq!(servings("1 9-inch pie, cut into 8 wedges"), None);
        assert_eq!(servings("1 pie (8 slices)"), Some(8));
        assert_eq!(servings("500 grams"), None);
        assert_eq!(servings("servings"), None);
        assert_eq!(servings("Makes 1 cake, serves 8"), Some(8));
        assert_eq!(servings("1 loaf; 12 servings"), Some(12));
    }

    #[test]
    fn mdape_by_hand() {
        // Errors 10%, 50%, 0% → median 10%; the baseline 100 against 100, 200, 50: 0, 50%, 100%.
        let row = error_row(
            "calories",
            &[(110.0, 100.0), (100.0, 200.0), (50.0, 50.0)],
            100.0,
        )
        .unwrap();
        assert!((row.mdape.value - 0.1).abs() < 1e-12);
        assert!((row.baseline_mdape.value - 0.5).abs() < 1e-12);
        assert!((row.within_20pct - 2.0 / 3.0).abs() < 1e-12);
        assert!(error_row("x", &[(1.0, 0.0)], 1.0).is_none());
    }
}
