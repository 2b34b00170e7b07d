//! The value of a quantity token: `2`, `1.5`, `0,5`, `1/2`, `½`, `2½`, `1 1/2`, ranges `2-3`,
//! and the number words recipes write (`one`, `a dozen`, `half`).

use serde::{Deserialize, Serialize};

use super::tokenize::vulgar_fraction;

/// An amount, or a range of amounts (`low == high` for a single value).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    pub low: f64,
    pub high: f64,
}

impl Quantity {
    pub fn single(value: f64) -> Quantity {
        Quantity {
            low: value,
            high: value,
        }
    }

    /// The amount a calculation uses: the middle of a range.
    pub fn value(&self) -> f64 {
        (self.low + self.high) / 2.0
    }

    pub fn is_range(&self) -> bool {
        self.high > self.low
    }
}

/// One number: `2`, `1.5`, `0,5`, `1/2`, `½`, `2½`, `1 1/2`, `1 ½`.
fn number(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some((whole, frac)) = s.split_once(' ') {
        let w = number(whole)?;
        let f = number(frac)?;
        return (w.fract() == 0.0 && f < 1.0).then_some(w + f);
    }
    let chars: Vec<char> = s.chars().collect();
    if let Some(f) = chars.last().copied().and_then(vulgar_fraction) {
        let whole: String = chars[..chars.len() - 1].iter().collect();
        return if whole.is_empty() {
            Some(f)
        } else {
            whole.parse::<u32>().ok().map(|w| f64::from(w) + f)
        };
    }
    if let Some((n, d)) = s.split_once(['/', '⁄']) {
        let n: f64 = n.parse().ok()?;
        let d: f64 = d.parse().ok()?;
        return (d > 0.0).then_some(n / d);
    }
    s.replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

/// A number written as a word, lower-cased.
pub fn number_word(word: &str) -> Option<f64> {
    Some(match word.to_lowercase().as_str() {
        "a" | "an" | "one" | "single" => 1.0,
        "two" | "couple" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" | "dozen" => 12.0,
        "half" => 0.5,
        "quarter" => 0.25,
        _ => return None,
    })
}

/// Parses a quantity token (or a number word). `None` when it is not a positive amount.
pub fn parse_quantity(text: &str) -> Option<Quantity> {
    let text = text.trim();
    if let Some(v) = number_word(text) {
        return Some(Quantity::single(v));
    }
    // A range: split on the dash that is not part of a number.
    if let Some(pos) = text.find(['-', '–', '—']) {
        let dash_len = text[pos..].chars().next().map_or(1, char::len_utf8);
        let low = number(&text[..pos])?;
        let high = number(&text[pos + dash_len..])?;
        return (low > 0.0 && high >= low).then_some(Quantity { low, high });
    }
    number(text).filter(|v| *v > 0.0).map(Quantity::single)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    fn value(s: &str) -> f64 {
        parse_quantity(s).unwrap().value()
    }

    #[test]
    fn numbers_fractions_and_mixed_numbers() {
        assert_relative_eq!(value("2"), 2.0);
        assert_relative_eq!(value("1.5"), 1.5);
        assert_relative_eq!(value("0,5"), 0.5);
        assert_relative_eq!(value("1/2"), 0.5);
        assert_relative_eq!(value("½"), 0.5);
        assert_relative_eq!(value("2½"), 2.5);
        assert_relative_eq!(value("1 1/2"), 1.5);
        assert_relative_eq!(value("1 ¾"), 1.75);
        assert_relative_eq!(value("one"), 1.0);
        assert_relative_eq!(value("A"), 1.0);
    }

    #[test]
    fn ranges_keep_both_ends() {
        let q = parse_quantity("2-3").unwrap();
        assert_eq!((q.low, q.high), (2.0, 3.0));
        assert!(q.is_range());
        assert_relative_eq!(q.value(), 2.5);
        let q = parse_quantity("1/2 – 1").unwrap();
        assert_eq!((q.low, q.high), (0.5, 1.0));
        assert_eq!(parse_quantity("3-2"), None);
    }

    #[test]
    fn not_quantities() {
        assert_eq!(parse_quantity("cup"), None);
        assert_eq!(parse_quantity("0"), None);
        assert_eq!(parse_quantity("1/0"), None);
        assert_eq!(parse_quantity("1 2"), None);
    }
}
