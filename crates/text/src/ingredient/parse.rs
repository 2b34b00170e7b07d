//! An ingredient line, parsed: its tokens tagged by the CRF, the fields they make up (name,
//! size, preparation, comment, purpose) with a confidence each, and the amount — quantity and
//! unit — a nutrition calculation should use.
//!
//! The amount is chosen among every quantity/unit pair of the line: a container with its size
//! (`1 (14-ounce) can`, `2 400g tins`) multiplies out; otherwise a mass beats a volume beats a
//! count, so `1 cup / 235 g` uses the grams and `10g/½oz` the first of its pair.

use serde::{Deserialize, Serialize};

use super::crf::{Crf, QuantizedCrf};
use super::features::{token_features, FeatureSet};
use super::quantity::{parse_quantity, Quantity};
use super::tokenize::{tokenize_ingredient, Token};
use super::units::{Dimension, Unit};

/// The tags, in model order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Label {
    Qty,
    Unit,
    Size,
    Name,
    Prep,
    Comment,
    Purpose,
    /// Punctuation and words no field claims.
    Other,
}

pub const LABELS: [Label; 8] = [
    Label::Qty,
    Label::Unit,
    Label::Size,
    Label::Name,
    Label::Prep,
    Label::Comment,
    Label::Purpose,
    Label::Other,
];

impl Label {
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            Label::Qty => "QTY",
            Label::Unit => "UNIT",
            Label::Size => "SIZE",
            Label::Name => "NAME",
            Label::Prep => "PREP",
            Label::Comment => "COMMENT",
            Label::Purpose => "PURPOSE",
            Label::Other => "OTHER",
        }
    }
}

/// Feature buckets of the shipped tagger (2^17).
pub const BUCKETS: u32 = 1 << 17;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IngredientModelError {
    #[error("cannot decode the ingredient tagger: {0}")]
    Decode(String),
    #[error("inconsistent ingredient tagger: {0}")]
    Shape(String),
}

/// The trained tagger, ready to parse lines.
#[derive(Debug, Clone)]
pub struct IngredientParser {
    crf: Crf,
    features: FeatureSet,
}

/// What a stored model begins with since models carry their [`FeatureSet`] (then the set's
/// number, then the postcard of the [`QuantizedCrf`]). A model without it is a V1 model: a
/// postcard `QuantizedCrf` begins with its label count, 8.
const MAGIC: &[u8; 6] = b"MMICRF";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaggedToken {
    pub text: String,
    pub label: Label,
    /// The CRF's marginal probability of that label.
    pub confidence: f64,
}

/// A field: its text as written and the confidence of its least certain token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub text: String,
    pub confidence: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Amount {
    pub quantity: Quantity,
    pub unit: Option<Unit>,
    pub confidence: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParsedLine {
    pub line: String,
    pub tokens: Vec<TaggedToken>,
    pub name: Option<Field>,
    pub size: Option<Field>,
    pub prep: Option<Field>,
    pub comment: Option<Field>,
    pub purpose: Option<Field>,
    /// The amount to calculate with (see the module doc).
    pub amount: Option<Amount>,
    /// Every quantity/unit pair of the line, in order.
    pub amounts: Vec<Amount>,
}

impl IngredientParser {
    /// A tagger over the latest feature set.
    pub fn new(crf: Crf) -> Result<IngredientParser, IngredientModelError> {
        IngredientParser::with_features(crf, FeatureSet::LATEST)
    }

    pub fn with_features(
        crf: Crf,
        features: FeatureSet,
    ) -> Result<IngredientParser, IngredientModelError> {
        if crf.n_labels != LABELS.len() {
            return Err(IngredientModelError::Shape(format!(
                "{} labels, expected {}",
                crf.n_labels,
                LABELS.len()
            )));
        }
        Ok(IngredientParser { crf, features })
    }

    pub fn crf(&self) -> &Crf {
        &self.crf
    }

    pub fn features(&self) -> FeatureSet {
        self.features
    }

    /// Decodes a stored model (see [`encode_model`]; a model stored before feature sets were
    /// recorded is read as V1).
    pub fn from_bytes(bytes: &[u8]) -> Result<IngredientParser, IngredientModelError> {
        let (features, body) = match bytes.strip_prefix(MAGIC) {
            Some([v, body @ ..]) => (
                FeatureSet::from_u8(*v).ok_or_else(|| {
                    IngredientModelError::Decode(format!(
                        "feature set {v} is unknown to this build (newer than it?): retrain with \
                         `server train recipes` or upgrade"
                    ))
                })?,
                body,
            ),
            Some([]) => return Err(IngredientModelError::Decode("no feature set".into())),
            None => (FeatureSet::V1, bytes),
        };
        let q: QuantizedCrf =
            postcard::from_bytes(body).map_err(|e| IngredientModelError::Decode(e.to_string()))?;
        IngredientParser::with_features(
            q.dequantize().map_err(IngredientModelError::Shape)?,
            features,
        )
    }

    /// The tokens of `line`, the best labels and their marginal probabilities.
    pub fn tag(&self, line: &str) -> (Vec<Token>, Vec<Label>, Vec<f64>) {
        let tokens = tokenize_ingredient(line);
        let features = token_features(&tokens, self.crf.buckets, self.features);
        let (path, confidence) = self.crf.tag(&features);
        let labels = path.into_iter().map(|y| LABELS[y]).collect();
        (tokens, labels, confidence)
    }

    pub fn parse(&self, line: &str) -> ParsedLine {
        let (tokens, labels, confidence) = self.tag(line);
        assemble(line, &tokens, &labels, &confidence)
    }
}

/// Encodes a model trained with `features` for storage: [`MAGIC`], the set, the quantized CRF.
pub fn encode_model(crf: &Crf, features: FeatureSet) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.push(features as u8);
    out.extend(postcard::to_allocvec(&crf.quantize()).expect("a quantized CRF always serialises"));
    out
}

/// The text of the tokens labelled `label`: contiguous runs as written in the line, runs joined
/// by a space.
/// Words a name does not begin with.
const LEADING_JOINERS: &[&str] = &["of", "and", "or", "plus", "&", "+"];

fn field(
    line: &[char],
    tokens: &[Token],
    labels: &[Label],
    confidence: &[f64],
    label: Label,
) -> Option<Field> {
    let mut runs: Vec<String> = Vec::new();
    let mut min_conf = 1.0f64;
    let mut i = 0;
    while i < tokens.len() {
        if labels[i] != label {
            i += 1;
            continue;
        }
        // A name never begins with a joining word: `2 cans of tomato sauce`, `1 c and 3 tbsp
        // flour` tagged from the joiner on still name "tomato sauce" and "flour".
        if label == Label::Name && runs.is_empty() {
            while i < tokens.len()
                && labels[i] == label
                && LEADING_JOINERS.contains(&tokens[i].text.to_lowercase().as_str())
            {
                i += 1;
            }
            if i >= tokens.len() || labels[i] != label {
                continue;
            }
        }
        let start = tokens[i].start;
        let mut end = tokens[i].end;
        while i < tokens.len() && labels[i] == label {
            end = tokens[i].end;
            min_conf = min_conf.min(confidence[i]);
            i += 1;
        }
        runs.push(line[start..end].iter().collect());
    }
    (!runs.is_empty()).then(|| Field {
        text: runs.join(" "),
        confidence: min_conf,
    })
}

/// Builds the parsed line from tokens and their labels (public so that tests and the
/// evaluation can assemble lines from known labels).
pub fn assemble(line: &str, tokens: &[Token], labels: &[Label], confidence: &[f64]) -> ParsedLine {
    let chars: Vec<char> = line.chars().collect();
    let amounts = amounts(tokens, labels, confidence);
    ParsedLine {
        line: line.to_string(),
        tokens: tokens
            .iter()
            .zip(labels)
            .zip(confidence)
            .map(|((t, l), c)| TaggedToken {
                text: t.text.clone(),
                label: *l,
                confidence: *c,
            })
            .collect(),
        name: field(&chars, tokens, labels, confidence, Label::Name),
        size: field(&chars, tokens, labels, confidence, Label::Size),
        prep: field(&chars, tokens, labels, confidence, Label::Prep),
        comment: field(&chars, tokens, labels, confidence, Label::Comment),
        purpose: field(&chars, tokens, labels, confidence, Label::Purpose),
        amount: choose_amount(&amounts),
        amounts: amounts.into_iter().map(|p| p.amount).collect(),
    }
}

#[derive(Debug, Clone, Copy)]
struct Pair {
    amount: Amount,
    in_parens: bool,
}

/// Every quantity with the unit that follows it. A unit with no quantity before it goes to the
/// last quantity still without one (`1 (14-ounce) can` → 14 oz, then 1 can).
fn amounts(tokens: &[Token], labels: &[Label], confidence: &[f64]) -> Vec<Pair> {
    let mut pairs: Vec<Pair> = Vec::new();
    let mut pending: Option<usize> = None;
    let mut depth = 0usize;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        match t.text.as_str() {
            "(" | "[" => depth += 1,
            ")" | "]" => depth = depth.saturating_sub(1),
            _ => {}
        }
        match labels[i] {
            Label::Qty => {
                if let Some(q) = parse_quantity(&t.text) {
                    pairs.push(Pair {
                        amount: Amount {
                            quantity: q,
                            unit: None,
                            confidence: confidence[i],
                        },
                        in_parens: depth > 0,
                    });
                    pending = Some(pairs.len() - 1);
                }
            }
            Label::Unit => {
                let fluid = t.text.trim_end_matches('.').eq_ignore_ascii_case("fl")
                    && tokens
                        .get(i + 1)
                        .is_some_and(|n| Unit::parse(&n.text) == Some(Unit::Ounce));
                let unit = if fluid {
                    Some(Unit::FluidOunce)
                } else {
                    Unit::parse(&t.text)
                };
                let mut conf = confidence[i];
                if fluid {
                    conf = conf.min(confidence[i + 1]);
                    i += 1;
                }
                if let Some(unit) = unit {
                    let target = pending
                        .take()
                        .or_else(|| pairs.iter().rposition(|p| p.amount.unit.is_none()));
                    if let Some(k) = target {
                        let a = &mut pairs[k].amount;
                        a.unit = Some(unit);
                        a.confidence = a.confidence.min(conf);
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    pairs
}

fn dimension(a: &Amount) -> Option<Dimension> {
    a.unit.map(Unit::dimension)
}

fn choose_amount(pairs: &[Pair]) -> Option<Amount> {
    // A container and its size: `1 (14-ounce) can`, `2 400g tins`.
    if let Some(c) = pairs
        .iter()
        .find(|p| p.amount.unit.is_some_and(Unit::is_container))
    {
        if let Some(size) = pairs.iter().find(|p| {
            matches!(
                dimension(&p.amount),
                Some(Dimension::Mass | Dimension::Volume)
            )
        }) {
            let n = c.amount.quantity.value();
            return Some(Amount {
                quantity: Quantity {
                    low: n * size.amount.quantity.low,
                    high: n * size.amount.quantity.high,
                },
                unit: size.amount.unit,
                confidence: c.amount.confidence.min(size.amount.confidence),
            });
        }
    }
    let first = |d: Dimension| pairs.iter().find(|p| dimension(&p.amount) == Some(d));
    first(Dimension::Mass)
        .or_else(|| first(Dimension::Volume))
        .or_else(|| pairs.iter().find(|p| !p.in_parens))
        .or_else(|| pairs.first())
        .map(|p| p.amount)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use Label::*;

    fn assembled(line: &str, labels: &[Label]) -> ParsedLine {
        let tokens = tokenize_ingredient(line);
        assert_eq!(tokens.len(), labels.len(), "{tokens:?}");
        let conf: Vec<f64> = (0..labels.len()).map(|i| 0.9 - 0.01 * i as f64).collect();
        assemble(line, &tokens, labels, &conf)
    }

    #[test]
    fn can_with_its_size_multiplies_out() {
        let p = assembled(
            "2 (14-ounce) cans chickpeas, drained",
            &[Qty, Other, Qty, Other, Unit, Other, Unit, Name, Other, Prep],
        );
        let a = p.amount.unwrap();
        assert_eq!(a.unit, Some(super::Unit::Ounce));
        assert_relative_eq!(a.quantity.value(), 28.0);
        assert_eq!(p.name.unwrap().text, "chickpeas");
        assert_eq!(p.prep.unwrap().text, "drained");
        assert_eq!(p.amounts.len(), 2);
    }

    #[test]
    fn metric_and_imperial_pair_uses_the_first_mass() {
        let p = assembled(
            "10g/½oz fresh tarragon",
            &[Qty, Unit, Other, Qty, Unit, Name, Name],
        );
        let a = p.amount.unwrap();
        assert_eq!(
            (a.quantity.value(), a.unit),
            (10.0, Some(super::Unit::Gram))
        );
        assert_eq!(p.name.unwrap().text, "fresh tarragon");
        let p = assembled(
            "500ml/18fl oz venison jus",
            &[Qty, Unit, Other, Qty, Unit, Unit, Name, Name],
        );
        assert_eq!(p.amounts[1].unit, Some(super::Unit::FluidOunce));
        assert_eq!(p.amount.unwrap().unit, Some(super::Unit::Millilitre));
    }

    #[test]
    fn mass_beats_volume_and_counts_stay_counts() {
        let p = assembled(
            "1 cup / 235 g olive oil",
            &[Qty, Unit, Other, Qty, Unit, Name, Name],
        );
        assert_eq!(p.amount.unwrap().unit, Some(super::Unit::Gram));
        let p = assembled("3 large eggs", &[Qty, Size, Name]);
        let a = p.amount.unwrap();
        assert_eq!((a.quantity.value(), a.unit), (3.0, None));
        assert_eq!(p.size.unwrap().text, "large");
    }

    #[test]
    fn to_taste_has_no_amount() {
        let p = assembled("salt, to taste", &[Name, Other, Comment, Comment]);
        assert_eq!(p.amount, None);
        let c = p.comment.unwrap();
        assert_eq!(c.text, "to taste");
        assert_relative_eq!(c.confidence, 0.87);
    }

    #[test]
    fn ranges_and_fractions() {
        let p = assembled("1 1/2-2 cups flour", &[Qty, Unit, Name]);
        let q = p.amount.unwrap().quantity;
        assert_eq!((q.low, q.high), (1.5, 2.0));
    }

    #[test]
    fn a_name_does_not_begin_with_a_joining_word() {
        let line = "2 15-ounce cans of tomato sauce";
        let tokens = tokenize_ingredient(line);
        // 2 | 15 | - | ounce | cans | of | tomato | sauce
        let mut labels = vec![
            Label::Qty,
            Label::Qty,
            Label::Other,
            Label::Unit,
            Label::Unit,
        ];
        labels.extend([Label::Name; 3]);
        assert_eq!(labels.len(), tokens.len());
        let conf = vec![1.0; tokens.len()];
        let p = assemble(line, &tokens, &labels, &conf);
        assert_eq!(p.name.unwrap().text, "tomato sauce");
        // Inside a name the word stays.
        let line = "salt and pepper";
        let tokens = tokenize_ingredient(line);
        let p = assemble(line, &tokens, &[Label::Name; 3], &[1.0; 3]);
        assert_eq!(p.name.unwrap().text, "salt and pepper");
    }

    #[test]
    fn stored_models_carry_their_feature_set() {
        let mut crf = Crf::zeros(LABELS.len(), 1 << 8);
        crf.state[3] = 0.5;
        let v2 = IngredientParser::from_bytes(&encode_model(&crf, FeatureSet::V2)).unwrap();
        assert_eq!(v2.features(), FeatureSet::V2);
        let v1 = IngredientParser::from_bytes(&encode_model(&crf, FeatureSet::V1)).unwrap();
        assert_eq!(v1.features(), FeatureSet::V1);
        // A model stored before the sets were recorded: the bare postcard, read as V1.
        let legacy = postcard::to_allocvec(&crf.quantize()).unwrap();
        let old = IngredientParser::from_bytes(&legacy).unwrap();
        assert_eq!(old.features(), FeatureSet::V1);
        assert_eq!(old.crf(), v1.crf());
        let mut future = encode_model(&crf, FeatureSet::V2);
        future[MAGIC.len()] = 9;
        let err = IngredientParser::from_bytes(&future)
            .unwrap_err()
            .to_string();
        assert!(err.contains("feature set 9"), "{err}");
    }
}
