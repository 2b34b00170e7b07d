//! A recipe, analysed: every line parsed, matched to a USDA food and weighed; the totals and
//! per-serving amounts of the key nutrients over the lines that could be counted, with what was
//! left out said by name (an unmatched line is never a silent zero); the diet labels the
//! counted foods allow; and the major allergens with a risk score.
//!
//! Allergen risk per line: 1 when the line's own words name the allergen (`butter`, `soy
//! sauce`), the match confidence when only the matched food carries it, 0.5 for "may contain"
//! or "traces of" wording; the recipe's risk is `1 − Π(1 − r)` over its lines, the chance that
//! at least one line brings it in if the lines were independent.

use mmi_text::ingredient::{IngredientParser, ParsedLine, Unit};
use mmi_types::{
    AllergenRisk, AnalyzedLine, LineStatus, MatchedFood, ParsedField, QuantityRange,
    RecipeCoverage, RecipeDietLabel, RecipeNutrient, RecipeSeasonality, SeasonalItem, TaggedWord,
};

use super::grams::{to_grams, Grams};
use super::matching::{FoodMatch, FoodMatcher};
use super::season;
use crate::diet::{allergens, label_food, DietLabel, ALLERGENS};
use crate::nutrient::Nutrient;
use crate::Food;

/// The nutrients a recipe analysis reports, in label order.
pub const RECIPE_NUTRIENTS: [Nutrient; 14] = [
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
    Nutrient::VitaminC,
    Nutrient::VitaminD,
];

/// Everything the analysis of one line found, before it becomes the API's shape.
#[derive(Debug, Clone)]
pub struct LineResult<'f> {
    pub parsed: ParsedLine,
    pub matched: Option<FoodMatch>,
    pub food: Option<&'f Food>,
    pub grams: Option<Grams>,
    pub status: LineStatus,
}

/// A recipe's lines analysed, and its sums.
#[derive(Debug, Clone)]
pub struct RecipeResult<'f> {
    pub lines: Vec<LineResult<'f>>,
    pub servings: u32,
}

/// Parses, matches and weighs every line.
pub fn analyze_lines<'f>(
    parser: &IngredientParser,
    matcher: &FoodMatcher,
    foods: &'f [Food],
    lines: &[String],
    servings: u32,
) -> RecipeResult<'f> {
    let lines = lines
        .iter()
        .map(|line| {
            let parsed = parser.parse(line);
            let matched = parsed.name.as_ref().and_then(|n| matcher.best(&n.text));
            let food = matched.as_ref().map(|m| &foods[m.index]);
            let grams = match (parsed.amount.as_ref(), food) {
                (Some(a), Some(f)) => to_grams(a, parsed.size.as_ref().map(|s| s.text.as_str()), f),
                _ => None,
            };
            let status = match (&matched, &parsed.amount, &grams) {
                (_, None, _) => LineStatus::NoAmount,
                (None, Some(_), _) => LineStatus::Unmatched,
                (Some(_), Some(_), None) => LineStatus::NoConversion,
                (Some(_), Some(_), Some(_)) => LineStatus::Counted,
            };
            LineResult {
                parsed,
                matched,
                food,
                grams,
                status,
            }
        })
        .collect();
    RecipeResult {
        lines,
        servings: servings.max(1),
    }
}

impl RecipeResult<'_> {
    /// The total of `n` over counted lines, and how many counted lines lack a value for it.
    pub fn total(&self, n: Nutrient) -> (Option<f64>, usize) {
        let mut sum = None;
        let mut missing = 0;
        for l in self
            .lines
            .iter()
            .filter(|l| l.status == LineStatus::Counted)
        {
            let (Some(food), Some(g)) = (l.food, &l.grams) else {
                continue;
            };
            match food.get(n) {
                Some(v) => *sum.get_or_insert(0.0) += v * g.grams / 100.0,
                None => missing += 1,
            }
        }
        (sum, missing)
    }

    pub fn per_serving(&self, n: Nutrient) -> Option<f64> {
        self.total(n).0.map(|t| t / f64::from(self.servings))
    }

    pub fn nutrients(&self) -> Vec<RecipeNutrient> {
        RECIPE_NUTRIENTS
            .iter()
            .map(|n| {
                let info = n.info();
                let (total, missing_in) = self.total(*n);
                let per_serving = total.map(|t| t / f64::from(self.servings));
                RecipeNutrient {
                    key: info.key.to_string(),
                    name: info.name.to_string(),
                    unit: info.unit.to_string(),
                    total,
                    per_serving,
                    daily_value_pct: per_serving
                        .zip(info.daily_value)
                        .map(|(v, dv)| 100.0 * v / dv),
                    missing_in,
                }
            })
            .collect()
    }

    pub fn coverage(&self) -> RecipeCoverage {
        let of = |s: LineStatus| -> Vec<String> {
            self.lines
                .iter()
                .filter(|l| l.status == s)
                .map(|l| l.parsed.line.clone())
                .collect()
        };
        let counted_grams: f64 = self
            .lines
            .iter()
            .filter_map(|l| l.grams.as_ref().map(|g| g.grams))
            .sum();
        // A line left out still has a known mass when it states one (or a volume, taken as water).
        let uncounted_grams: f64 = self
            .lines
            .iter()
            .filter(|l| l.status != LineStatus::Counted)
            .filter_map(|l| {
                let a = l.parsed.amount.as_ref()?;
                let u = a.unit?;
                u.grams()
                    .or_else(|| u.millilitres())
                    .map(|per| per * a.quantity.value())
            })
            .fold(0.0, |a, b| a + b);
        let weighed = counted_grams + uncounted_grams;
        RecipeCoverage {
            lines: self.lines.len(),
            counted: self
                .lines
                .iter()
                .filter(|l| l.status == LineStatus::Counted)
                .count(),
            unmatched: of(LineStatus::Unmatched),
            no_amount: of(LineStatus::NoAmount),
            no_conversion: of(LineStatus::NoConversion),
            counted_grams,
            uncounted_grams,
            mass_share: (weighed > 0.0).then(|| counted_grams / weighed),
        }
    }

    /// The label-level diet facts: vegan, vegetarian, pescatarian and gluten-free hold when every
    /// matched food's rule allows them, no line's own words rule them out (the same word rules
    /// read the line: `sausage`, `butter`, `flour`) and no line is unmatched (an unmatched line
    /// leaves them open unless another line already rules them out); the nutrient labels use the
    /// per-serving totals (keto: net carbohydrate at most 10% of energy; low sodium: at most
    /// 140 mg a serving; high protein: at least 20% of energy from protein).
    pub fn diet_labels(&self) -> Vec<RecipeDietLabel> {
        // Per line, the labels its matched food or its own words rule out ("italian sausage"
        // matched to a meatless sausage is still sausage).
        let ruled_out: Vec<[bool; 8]> = self
            .lines
            .iter()
            .map(|l| {
                let lower = l.parsed.line.to_lowercase();
                let by_words = label_food(&Food::new("", split_traces(&lower).0, None));
                let by_food = l.food.map(label_food);
                std::array::from_fn(|k| {
                    by_words[k] == Some(false) || by_food.is_some_and(|f| f[k] == Some(false))
                })
            })
            .collect();
        let open = self
            .lines
            .iter()
            .any(|l| l.food.is_none() && l.parsed.name.is_some());
        let by_rule = |label: DietLabel| -> RecipeDietLabel {
            let k = crate::diet::DIET_LABELS
                .iter()
                .position(|d| *d == label)
                .unwrap_or(0);
            let against: Vec<String> = self
                .lines
                .iter()
                .zip(&ruled_out)
                .filter(|(_, out)| out[k])
                .map(|(l, _)| {
                    l.parsed
                        .name
                        .as_ref()
                        .map_or(l.parsed.line.clone(), |n| n.text.clone())
                })
                .collect();
            let (value, reason) = if !against.is_empty() {
                (Some(false), format!("not with {}", against.join(", ")))
            } else if open {
                (None, "open: some lines matched no food".to_string())
            } else {
                (Some(true), "every ingredient's food allows it".to_string())
            };
            RecipeDietLabel {
                label: label.key().to_string(),
                value,
                reason,
            }
        };
        let kcal = self.per_serving(Nutrient::Energy);
        let energy_share = |n: Nutrient, kcal_per_g: f64| {
            let v = self.per_serving(n)?;
            let e = kcal.filter(|k| *k > 0.0)?;
            Some(v * kcal_per_g / e)
        };
        let net_carb_share = energy_share(Nutrient::Carbohydrate, 4.0)
            .map(|c| c - energy_share(Nutrient::Fiber, 4.0).unwrap_or(0.0));
        let by_value = |label: DietLabel, value: Option<bool>, reason: String| RecipeDietLabel {
            label: label.key().to_string(),
            value: if open && value == Some(true) {
                None
            } else {
                value
            },
            reason: if open && value == Some(true) {
                format!("{reason}; open: some lines matched no food")
            } else {
                reason
            },
        };
        vec![
            by_rule(DietLabel::Vegan),
            by_rule(DietLabel::Vegetarian),
            by_rule(DietLabel::Pescatarian),
            by_rule(DietLabel::GlutenFree),
            by_value(
                DietLabel::KetoFriendly,
                net_carb_share.map(|s| s <= 0.10),
                net_carb_share.map_or("no energy total".into(), |s| {
                    format!("{:.0}% of energy from net carbohydrate", 100.0 * s)
                }),
            ),
            by_value(
                DietLabel::LowSodium,
                self.per_serving(Nutrient::Sodium).map(|na| na <= 140.0),
                self.per_serving(Nutrient::Sodium)
                    .map_or("no sodium total".into(), |na| {
                        format!("{na:.0} mg sodium a serving")
                    }),
            ),
            by_value(
                DietLabel::HighProtein,
                energy_share(Nutrient::Protein, 4.0).map(|s| s >= 0.20),
                energy_share(Nutrient::Protein, 4.0).map_or("no energy total".into(), |s| {
                    format!("{:.0}% of energy from protein", 100.0 * s)
                }),
            ),
        ]
    }

    /// The major allergens with their risk (see the module doc); only those above zero.
    pub fn allergens(&self) -> Vec<AllergenRisk> {
        let mut out = Vec::new();
        for (bit, allergen) in ALLERGENS.iter().enumerate() {
            let mut keep = 1.0;
            let mut lines = Vec::new();
            let mut reasons = Vec::new();
            for l in &self.lines {
                let text = l.parsed.line.to_lowercase();
                let (main, traces) = split_traces(&text);
                let named = allergens(&Food::new("", main, None)) & (1 << bit) != 0;
                let in_food = l.food.is_some_and(|f| allergens(f) & (1 << bit) != 0);
                let traced =
                    traces.is_some_and(|t| allergens(&Food::new("", t, None)) & (1 << bit) != 0);
                let r: f64 = if named {
                    reasons.push(format!("named in \"{}\"", l.parsed.line));
                    1.0
                } else if in_food {
                    let c = l.matched.as_ref().map_or(0.5, |m| m.confidence);
                    reasons.push(format!(
                        "matched food \"{}\" (confidence {c:.2})",
                        l.matched.as_ref().map_or("", |m| m.description.as_str())
                    ));
                    c
                } else if traced {
                    reasons.push(format!("\"may contain\" in \"{}\"", l.parsed.line));
                    0.5
                } else {
                    0.0
                };
                if r > 0.0 {
                    keep *= 1.0 - r;
                    lines.push(l.parsed.line.clone());
                }
            }
            if !lines.is_empty() {
                out.push(AllergenRisk {
                    allergen: allergen.to_string(),
                    risk: 1.0 - keep,
                    lines,
                    reason: reasons.join("; "),
                });
            }
        }
        out.sort_by(|a, b| b.risk.total_cmp(&a.risk));
        out
    }

    /// The fresh produce lines against `month` (1–12), for the season table's region.
    pub fn seasonality(&self, month: u32) -> RecipeSeasonality {
        let produce: Vec<SeasonalItem> = self
            .lines
            .iter()
            .filter_map(|l| {
                let name = l.parsed.name.as_ref()?;
                let (item, seasons) = season::produce(&name.text, &l.parsed.line)?;
                Some(SeasonalItem {
                    line: l.parsed.line.clone(),
                    produce: item.to_string(),
                    in_season: season::in_season(seasons, month)?,
                    seasons: seasons
                        .iter()
                        .map(|s| format!("{s:?}").to_lowercase())
                        .collect(),
                })
            })
            .collect();
        let share = (!produce.is_empty())
            .then(|| produce.iter().filter(|p| p.in_season).count() as f64 / produce.len() as f64);
        RecipeSeasonality {
            month,
            region: season::REGION.to_string(),
            produce,
            in_season_share: share,
        }
    }

    /// NRF9.3 per 100 kcal of the counted lines together (the nutrient-rich-food index of a
    /// food, read as if the recipe were one food); each nutrient summed over the foods that have
    /// a value for it (so the encouraged part is a lower bound when some lack one); `None`
    /// without any value for a needed nutrient.
    pub fn nrf93(&self) -> Option<f64> {
        let grams = self.coverage().counted_grams;
        if grams <= 0.0 {
            return None;
        }
        let mut food = Food::new("", "recipe", None);
        for info in crate::nutrient::NUTRIENTS.iter() {
            if let (Some(total), _) = self.total(info.nutrient) {
                food = food.with(info.nutrient, 100.0 * total / grams);
            }
        }
        crate::features::nrf93(&food)
    }

    /// The lines in the API's shape.
    pub fn analyzed_lines(&self) -> Vec<AnalyzedLine> {
        self.lines.iter().map(analyzed_line).collect()
    }
}

/// `(what the line contains, what it may contain)`: split at "may contain" / "traces of".
fn split_traces(text: &str) -> (&str, Option<&str>) {
    for marker in ["may contain", "traces of", "trace of"] {
        if let Some(pos) = text.find(marker) {
            return (&text[..pos], Some(&text[pos..]));
        }
    }
    (text, None)
}

fn field(f: &Option<mmi_text::ingredient::Field>) -> Option<ParsedField> {
    f.as_ref().map(|f| ParsedField {
        text: f.text.clone(),
        confidence: f.confidence,
    })
}

fn analyzed_line(l: &LineResult) -> AnalyzedLine {
    let p = &l.parsed;
    AnalyzedLine {
        line: p.line.clone(),
        tokens: p
            .tokens
            .iter()
            .map(|t| TaggedWord {
                text: t.text.clone(),
                label: t.label.name().to_string(),
                confidence: t.confidence,
            })
            .collect(),
        quantity: p.amount.map(|a| QuantityRange {
            low: a.quantity.low,
            high: a.quantity.high,
        }),
        unit: p
            .amount
            .and_then(|a| a.unit)
            .map(|u| Unit::name(u).to_string()),
        amount_confidence: p.amount.map(|a| a.confidence),
        name: field(&p.name),
        size: field(&p.size),
        preparation: field(&p.prep),
        comment: field(&p.comment),
        purpose: field(&p.purpose),
        food: l.matched.as_ref().map(|m| MatchedFood {
            ndb_no: m.ndb_no.clone(),
            description: m.description.clone(),
            confidence: m.confidence,
        }),
        grams: l.grams.as_ref().map(|g| g.grams),
        grams_basis: l.grams.as_ref().map(|g| g.basis.clone()),
        status: l.status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recipe::align::AlignedLine;
    use crate::recipe::tagger::{train_tagger, Sample, TaggerParams};
    use crate::Portion;
    use mmi_text::ingredient::{tokenize_ingredient, IngredientParser, Label::*};

    /// A tagger trained on a handful of lines: enough for the lines below.
    fn parser() -> IngredientParser {
        let lines = [
            ("2 cups flour", vec![Qty, Unit, Name]),
            ("1 cup sugar", vec![Qty, Unit, Name]),
            ("100 g butter", vec![Qty, Unit, Name]),
            ("200 g cheese", vec![Qty, Unit, Name]),
            ("3 large eggs", vec![Qty, Size, Name]),
            ("2 small eggs", vec![Qty, Size, Name]),
            ("salt, to taste", vec![Name, Other, Comment, Comment]),
            ("pepper, to taste", vec![Name, Other, Comment, Comment]),
        ];
        let samples: Vec<Sample> = lines
            .iter()
            .map(|(l, y)| {
                Sample::new(
                    &AlignedLine {
                        input: l.to_string(),
                        tokens: tokenize_ingredient(l),
                        labels: y.clone(),
                    },
                    1 << 12,
                )
            })
            .collect();
        let params = TaggerParams {
            buckets: 1 << 12,
            max_epochs: 40,
            patience: 40,
            learning_rate: 0.2,
            l2: 0.0,
            seed: 3,
            ..TaggerParams::default()
        };
        let (crf, _) = train_tagger(&samples, &samples, &params, |_| {});
        IngredientParser::new(crf).unwrap()
    }

    fn foods() -> Vec<Food> {
        let mut flour = Food::new(
            "20081",
            "Wheat flour, white, all-purpose, enriched, bleached",
            Some("2000"),
        )
        .with(Nutrient::Energy, 364.0)
        .with(Nutrient::Protein, 10.0);
        flour.portions = vec![Portion {
            amount: 1.0,
            measure: "cup".into(),
            grams: 125.0,
        }];
        let mut egg = Food::new("01123", "Egg, whole, raw, fresh", Some("0100"))
            .with(Nutrient::Energy, 143.0)
            .with(Nutrient::Protein, 12.6)
            .with(Nutrient::Cholesterol, 372.0);
        egg.portions = vec![Portion {
            amount: 1.0,
            measure: "large".into(),
            grams: 50.0,
        }];
        let butter =
            Food::new("01145", "Butter, without salt", Some("0100")).with(Nutrient::Energy, 717.0);
        vec![flour, egg, butter]
    }

    #[test]
    fn totals_count_only_what_was_matched_and_weighed() {
        let parser = parser();
        let foods = foods();
        let matcher = FoodMatcher::new(&foods);
        let lines: Vec<String> = [
            "2 cups flour",
            "3 large eggs",
            "100 g butter",
            "salt, to taste",
            "200 g cheese",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let r = analyze_lines(&parser, &matcher, &foods, &lines, 2);
        let status: Vec<LineStatus> = r.lines.iter().map(|l| l.status).collect();
        assert_eq!(
            status,
            [
                LineStatus::Counted,
                LineStatus::Counted,
                LineStatus::Counted,
                LineStatus::NoAmount,
                LineStatus::Unmatched
            ]
        );
        // 250 g flour, 150 g egg, 100 g butter.
        let (kcal, missing) = r.total(Nutrient::Energy);
        let expected = 2.5 * 364.0 + 1.5 * 143.0 + 717.0;
        assert!((kcal.unwrap() - expected).abs() < 1e-9);
        assert_eq!(missing, 0);
        assert!((r.per_serving(Nutrient::Energy).unwrap() - expected / 2.0).abs() < 1e-9);
        // Butter has no protein value: the total says one counted line lacks it.
        let (protein, missing) = r.total(Nutrient::Protein);
        assert!((protein.unwrap() - (25.0 + 1.5 * 12.6)).abs() < 1e-9);
        assert_eq!(missing, 1);
        let c = r.coverage();
        assert_eq!(c.counted, 3);
        assert_eq!(c.unmatched, ["200 g cheese"]);
        assert_eq!(c.no_amount, ["salt, to taste"]);
        // 500 g counted, 200 g of cheese known but not counted.
        assert!((c.mass_share.unwrap() - 500.0 / 700.0).abs() < 1e-9);
    }

    #[test]
    fn allergens_and_diet_labels() {
        let parser = parser();
        let foods = foods();
        let matcher = FoodMatcher::new(&foods);
        let lines: Vec<String> = ["2 cups flour", "3 large eggs", "100 g butter"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let r = analyze_lines(&parser, &matcher, &foods, &lines, 4);
        let risk = |a: &str| {
            r.allergens()
                .into_iter()
                .find(|x| x.allergen == a)
                .map(|x| x.risk)
        };
        assert_eq!(risk("egg"), Some(1.0), "the line names eggs");
        assert_eq!(risk("milk"), Some(1.0), "butter is named");
        assert!(risk("wheat_gluten").is_some_and(|r| r > 0.5));
        assert_eq!(risk("fish"), None);
        let labels = r.diet_labels();
        let get = |k: &str| labels.iter().find(|d| d.label == k).unwrap().value;
        assert_eq!(get("vegan"), Some(false));
        assert_eq!(get("vegetarian"), Some(true));
        assert_eq!(get("gluten_free"), Some(false));
        // A line with no food leaves the labels open instead of guessing.
        let lines: Vec<String> = ["3 large eggs", "200 g cheese"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let r = analyze_lines(&parser, &matcher, &foods, &lines, 1);
        let labels = r.diet_labels();
        assert_eq!(
            labels
                .iter()
                .find(|d| d.label == "vegetarian")
                .unwrap()
                .value,
            None
        );
        // A line's own words rule a label out even when its food is not matched.
        let lines: Vec<String> = ["3 large eggs", "200 g bacon"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let r = analyze_lines(&parser, &matcher, &foods, &lines, 1);
        let labels = r.diet_labels();
        let vegetarian = labels.iter().find(|d| d.label == "vegetarian").unwrap();
        assert_eq!(vegetarian.value, Some(false), "{vegetarian:?}");
        // "May contain" wording is a half risk.
        let lines = vec!["2 cups flour (may contain traces of sesame)".to_string()];
        let r = analyze_lines(&parser, &matcher, &foods, &lines, 1);
        let sesame = r
            .allergens()
            .into_iter()
            .find(|x| x.allergen == "sesame")
            .map(|x| x.risk);
        assert_eq!(sesame, Some(0.5));
    }
}
