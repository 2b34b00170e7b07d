//! An ingredient's amount in grams, for the food it was matched to.
//!
//! - a mass (`200 g`, `8 oz`) converts exactly;
//! - a volume (`1 cup`, `2 tbsp`) uses the food's own density from a USDA household measure of
//!   volume (`1 cup, chopped` = 160 g), preferring one in the same unit; a food without one is
//!   assumed to weigh like water (1 g/ml) and the line says so, at a lower confidence;
//! - a count (`3 eggs`, `2 cloves`, `1 large onion`) uses a USDA measure of that unit
//!   (`clove`), or of the stated size (`large`), or `medium`, or any counted measure;
//! - a can, jar or package with no size given is taken as a 15-oz (425 g) can, the most common
//!   US size, and says so.
//!
//! What cannot be converted stays `None`: it is never counted as zero grams.

use mmi_text::ingredient::{tokenize_ingredient, Amount, Dimension, TokenKind, Unit};
use serde::{Deserialize, Serialize};

use crate::{Food, Portion};

/// Grams, and how they were worked out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grams {
    pub grams: f64,
    /// In words: `mass`, `USDA measure "1 cup, chopped" = 160 g`, `assumed the density of water`...
    pub basis: String,
    /// 0..1: 1 for a mass, lower for densities and counted measures, lowest for assumptions.
    pub confidence: f64,
}

/// The unit a USDA measure starts with (`cup, chopped` → cup; `fl oz` → fluid ounce).
fn measure_unit(measure: &str) -> Option<Unit> {
    let tokens = tokenize_ingredient(measure);
    let words: Vec<&str> = tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| t.text.as_str())
        .collect();
    match words.as_slice() {
        [fl, oz, ..] if fl.eq_ignore_ascii_case("fl") && Unit::parse(oz) == Some(Unit::Ounce) => {
            Some(Unit::FluidOunce)
        }
        [first, ..] => Unit::parse(first),
        [] => None,
    }
}

fn grams_per_one(p: &Portion) -> f64 {
    p.grams / p.amount
}

fn measure_has(p: &Portion, word: &str) -> bool {
    p.measure
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == word || w.trim_end_matches('s') == word)
}

/// The grams of `amount` of `food`; `size` is the line's SIZE field (`large`).
pub fn to_grams(amount: &Amount, size: Option<&str>, food: &Food) -> Option<Grams> {
    let q = amount.quantity.value();
    let unit = amount.unit;
    match unit.map(Unit::dimension) {
        Some(Dimension::Mass) => {
            let g = q * unit?.grams()?;
            Some(Grams {
                grams: g,
                basis: "mass".into(),
                confidence: 1.0,
            })
        }
        Some(Dimension::Volume) => {
            let unit = unit?;
            let ml = q * unit.millilitres()?;
            let volume_measures: Vec<(&Portion, Unit)> = food
                .portions
                .iter()
                .filter_map(|p| {
                    measure_unit(&p.measure)
                        .filter(|u| u.dimension() == Dimension::Volume)
                        .map(|u| (p, u))
                })
                .collect();
            let chosen = volume_measures
                .iter()
                .find(|(_, u)| *u == unit)
                .or_else(|| volume_measures.first());
            Some(match chosen {
                Some((p, u)) => {
                    let density = grams_per_one(p) / u.millilitres()?;
                    Grams {
                        grams: ml * density,
                        basis: format!(
                            "USDA measure \"{} {}\" = {:.0} g",
                            trim_number(p.amount),
                            p.measure,
                            p.grams
                        ),
                        confidence: 0.9,
                    }
                }
                None => Grams {
                    grams: ml,
                    basis: "assumed the density of water (no USDA volume measure)".into(),
                    confidence: 0.5,
                },
            })
        }
        Some(Dimension::Count) | None => counted(q, unit, size, food),
    }
}

fn trim_number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

fn counted(q: f64, unit: Option<Unit>, size: Option<&str>, food: &Food) -> Option<Grams> {
    let with = |p: &Portion, confidence: f64| Grams {
        grams: q * grams_per_one(p),
        basis: format!(
            "USDA measure \"{} {}\" = {:.0} g",
            trim_number(p.amount),
            p.measure,
            p.grams
        ),
        confidence,
    };
    if let Some(u) = unit {
        if let Some(p) = food.portions.iter().find(|p| measure_has(p, u.name())) {
            return Some(with(p, 0.85));
        }
        if u.is_container() {
            return Some(Grams {
                grams: q * 425.0,
                basis: format!("assumed a 15-oz (425 g) {} (no size given)", u.name()),
                confidence: 0.5,
            });
        }
    }
    // Measures that are not themselves a volume or mass: "large", "medium (2-1/2\" dia)", "clove".
    let counted: Vec<&Portion> = food
        .portions
        .iter()
        .filter(|p| measure_unit(&p.measure).is_none_or(|u| u.dimension() == Dimension::Count))
        .collect();
    let size_word = size.map(|s| s.to_lowercase());
    // `lg`, `lge` and `large` all name USDA's "large" measure.
    let by_size = size_word
        .as_deref()
        .and_then(|s| s.split_whitespace().last())
        .map(|s| mmi_text::ingredient::size_word(s).unwrap_or(s))
        .and_then(|s| counted.iter().find(|p| measure_has(p, s)));
    if let Some(p) = by_size {
        return Some(with(p, 0.85));
    }
    if let Some(p) = counted.iter().find(|p| measure_has(p, "medium")) {
        return Some(with(p, 0.75));
    }
    counted.first().map(|p| with(p, 0.65))
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use mmi_text::ingredient::{CountUnit, Quantity};

    fn amount(q: f64, unit: Option<Unit>) -> Amount {
        Amount {
            quantity: Quantity::single(q),
            unit,
            confidence: 1.0,
        }
    }

    fn food(portions: &[(f64, &str, f64)]) -> Food {
        let mut f = Food::new("1", "Test food", None);
        f.portions = portions
            .iter()
            .map(|(a, m, g)| Portion {
                amount: *a,
                measure: m.to_string(),
                grams: *g,
            })
            .collect();
        f
    }

    #[test]
    fn mass_is_exact() {
        let g = to_grams(&amount(8.0, Some(Unit::Ounce)), None, &food(&[])).unwrap();
        assert_relative_eq!(g.grams, 226.796, epsilon = 1e-3);
        assert_eq!(g.confidence, 1.0);
    }

    #[test]
    fn volume_uses_the_foods_density() {
        // Flour: 1 cup = 125 g, so 2 tbsp = 125 / 16 × 2 g.
        let flour = food(&[(1.0, "cup", 125.0), (1.0, "oz", 28.35)]);
        let g = to_grams(&amount(2.0, Some(Unit::Tablespoon)), None, &flour).unwrap();
        assert_relative_eq!(g.grams, 125.0 / 8.0, epsilon = 1e-9);
        let g = to_grams(
            &amount(1.0, Some(Unit::Cup)),
            None,
            &food(&[(1.0, "fl oz", 30.0)]),
        )
        .unwrap();
        assert_relative_eq!(g.grams, 240.0, epsilon = 1e-9);
        // No volume measure: water, said so.
        let g = to_grams(&amount(100.0, Some(Unit::Millilitre)), None, &food(&[])).unwrap();
        assert_relative_eq!(g.grams, 100.0);
        assert!(g.basis.contains("water") && g.confidence < 0.9);
    }

    #[test]
    fn counts_use_the_named_or_sized_measure() {
        let onion = food(&[
            (1.0, "cup, chopped", 160.0),
            (1.0, "large", 150.0),
            (1.0, "medium (2-1/2\" dia)", 110.0),
            (1.0, "small", 70.0),
        ]);
        let g = to_grams(&amount(2.0, None), Some("large"), &onion).unwrap();
        assert_relative_eq!(g.grams, 300.0);
        // Another site's abbreviation names the same measure.
        let g = to_grams(&amount(2.0, None), Some("lg"), &onion).unwrap();
        assert_relative_eq!(g.grams, 300.0);
        let g = to_grams(&amount(1.0, None), None, &onion).unwrap();
        assert_relative_eq!(g.grams, 110.0);
        let garlic = food(&[(1.0, "cup", 136.0), (1.0, "clove", 3.0)]);
        let g = to_grams(
            &amount(3.0, Some(Unit::Count(CountUnit::Clove))),
            None,
            &garlic,
        )
        .unwrap();
        assert_relative_eq!(g.grams, 9.0);
        let g = to_grams(
            &amount(2.0, Some(Unit::Count(CountUnit::Can))),
            None,
            &food(&[]),
        )
        .unwrap();
        assert_relative_eq!(g.grams, 850.0);
        assert!(g.basis.contains("assumed"));
        // Nothing to count by: unknown, not zero.
        assert_eq!(
            to_grams(&amount(1.0, None), None, &food(&[(1.0, "cup", 100.0)])),
            None
        );
    }
}
