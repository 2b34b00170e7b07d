//! Token labels from the labelled ingredient sentences. The data set labels whole fields
//! (`name: "canned chickpeas"`, `quantity: "150 5#1$4"`, `unit: "g oz"`), often normalised
//! (plurals made singular, commas dropped), not tokens; so each token of the line takes the first
//! field, in the order QTY, UNIT, SIZE, NAME, PREP, PURPOSE, COMMENT, whose remaining words
//! still hold it (compared by value for quantities, by stem for words), and punctuation or a
//! word no field holds is OTHER. The data's `#1$2` is its way of writing ½.
//!
//! A sentence is kept for training only when most of its labelled words were found in the line:
//! labels that do not match their line would teach the tagger noise.

use std::collections::HashMap;

use mmi_store::LabelledIngredient;
use mmi_text::ingredient::{
    number_word, parse_quantity, stem, tokenize_ingredient, Label, Token, TokenKind,
};

/// The comparison key of a quantity: its value (or range), to 4 decimals.
fn quantity_key(text: &str) -> Option<String> {
    let q = parse_quantity(text)?;
    Some(format!("{:.4}-{:.4}", q.low, q.high))
}

/// A labelled quantity item: `5#1$4` is 5¼, `#1$2` is ½.
fn label_quantity_key(item: &str) -> Option<String> {
    let text = item.replace('#', " ").replace('$', "/");
    quantity_key(text.trim())
}

fn word_keys(text: &str) -> Vec<String> {
    tokenize_ingredient(text)
        .iter()
        .filter_map(|t| match t.kind {
            TokenKind::Quantity => quantity_key(&t.text),
            TokenKind::Word => Some(stem(&t.text)),
            TokenKind::Punctuation => None,
        })
        .collect()
}

const ORDER: [Label; 7] = [
    Label::Qty,
    Label::Unit,
    Label::Size,
    Label::Name,
    Label::Prep,
    Label::Purpose,
    Label::Comment,
];

/// A line with a label per token, ready for training.
#[derive(Debug, Clone, PartialEq)]
pub struct AlignedLine {
    pub input: String,
    pub tokens: Vec<Token>,
    pub labels: Vec<Label>,
}

/// The token labels of a labelled sentence, or `None` when the sentence has no labels or too few
/// of its labelled words were found in the line.
pub fn align(row: &LabelledIngredient) -> Option<AlignedLine> {
    let field = |label: Label| -> Option<&String> {
        match label {
            Label::Qty => row.quantity.as_ref(),
            Label::Unit => row.unit.as_ref(),
            Label::Size => row.size.as_ref(),
            Label::Name => row.name.as_ref(),
            Label::Prep => row.preparation.as_ref(),
            Label::Purpose => row.purpose.as_ref(),
            Label::Comment => row.comment.as_ref(),
            Label::Other => None,
        }
    };
    let mut remaining: Vec<HashMap<String, usize>> = Vec::with_capacity(ORDER.len());
    let mut labelled = 0usize;
    for label in ORDER {
        let mut bag = HashMap::new();
        if let Some(text) = field(label) {
            let keys: Vec<String> = match label {
                Label::Qty => text
                    .split_whitespace()
                    .filter_map(label_quantity_key)
                    .collect(),
                Label::Unit => text.split_whitespace().map(stem).collect(),
                _ => word_keys(text),
            };
            for k in keys {
                *bag.entry(k).or_insert(0) += 1;
                labelled += 1;
            }
        }
        remaining.push(bag);
    }
    if labelled == 0 || row.name.is_none() {
        return None;
    }
    let tokens = tokenize_ingredient(&row.input);
    let mut labels = Vec::with_capacity(tokens.len());
    let mut found = 0usize;
    for t in &tokens {
        let keys: Vec<String> = match t.kind {
            TokenKind::Punctuation => Vec::new(),
            TokenKind::Quantity => quantity_key(&t.text).into_iter().collect(),
            TokenKind::Word => {
                let mut k = vec![stem(&t.text)];
                // "One 400g tin": a number word may be labelled as its digit.
                if let Some(v) = number_word(&t.text) {
                    k.push(format!("{v:.4}-{v:.4}"));
                }
                k
            }
        };
        let mut label = Label::Other;
        'fields: for (f, bag) in ORDER.iter().zip(remaining.iter_mut()) {
            for k in &keys {
                if let Some(n) = bag.get_mut(k).filter(|n| **n > 0) {
                    *n -= 1;
                    label = *f;
                    found += 1;
                    break 'fields;
                }
            }
        }
        labels.push(label);
    }
    // Most of what the labeller wrote must be in the line.
    (found * 10 >= labelled * 8).then(|| AlignedLine {
        input: row.input.clone(),
        tokens,
        labels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Label::*;

    fn row(input: &str, fields: [&str; 7]) -> LabelledIngredient {
        let f = |s: &str| (!s.is_empty()).then(|| s.to_string());
        LabelledIngredient {
            source: "test".into(),
            input: input.into(),
            name: f(fields[0]),
            quantity: f(fields[1]),
            unit: f(fields[2]),
            size: f(fields[3]),
            preparation: f(fields[4]),
            comment: f(fields[5]),
            purpose: f(fields[6]),
        }
    }

    #[test]
    fn the_data_sets_own_examples() {
        let a = align(&row(
            "150g/5¼oz canned chickpeas, drained and rinsed",
            [
                "canned chickpeas",
                "150 5#1$4",
                "g oz",
                "",
                "drained and rinsed",
                "",
                "",
            ],
        ))
        .unwrap();
        assert_eq!(
            a.labels,
            [Qty, Unit, Other, Qty, Unit, Name, Name, Other, Prep, Prep, Prep]
        );
        let a = align(&row(
            "½ cup fresh bean sprouts for garnish",
            [
                "fresh bean sprouts",
                "#1$2",
                "cup",
                "",
                "",
                "",
                "for garnish",
            ],
        ))
        .unwrap();
        assert_eq!(a.labels, [Qty, Unit, Name, Name, Name, Purpose, Purpose]);
        // Normalised labels still match: "leaf only" for "leaves only".
        let a = align(&row(
            "10g/½oz fresh tarragon, leaves only",
            ["fresh tarragon", "10 #1$2", "g oz", "", "", "leaf only", ""],
        ))
        .unwrap();
        assert_eq!(a.labels[7..], [Other, Comment, Comment]);
    }

    #[test]
    fn mixed_numbers_and_ranges_match_their_labels() {
        let a = align(&row(
            "1 1/2 cups flour",
            ["flour", "1#1$2", "cup", "", "", "", ""],
        ))
        .unwrap();
        assert_eq!(a.labels, [Qty, Unit, Name]);
        let a = align(&row("2-3 carrots", ["carrots", "2-3", "", "", "", "", ""])).unwrap();
        assert_eq!(a.labels, [Qty, Name]);
    }

    #[test]
    fn unlabelled_or_mismatched_sentences_are_dropped() {
        assert_eq!(align(&row("2 bananas", ["", "", "", "", "", "", ""])), None);
        assert_eq!(
            align(&row(
                "2 bananas",
                ["ripe plantains", "2", "", "", "", "", ""]
            )),
            None
        );
    }
}
