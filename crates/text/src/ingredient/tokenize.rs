//! The ingredient-line tokenizer. Unlike the sentiment tokenizer it keeps everything a parser
//! needs: a quantity stays one token whatever its form (`2`, `1.5`, `1/2`, `½`, `2½`, `1 1/2`,
//! `1 ½`, the range `2-3` or `1/2–1`), a number glued to a unit is split from it (`10g/½oz` →
//! `10` `g` `/` `½` `oz`), a hyphen between a number and a word is its own token (`14-ounce` →
//! `14` `-` `ounce`) while one between two words is kept (`free-range`), and punctuation is kept
//! as single tokens. Every token remembers where it came from in the line (char offsets).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Token {
    /// The token as written (a mixed number keeps its single inner space: `1 1/2`).
    pub text: String,
    /// Char offsets into the line, `start..end`.
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenKind {
    /// A number, fraction, mixed number or range.
    Quantity,
    Word,
    Punctuation,
}

/// The value of a Unicode vulgar fraction (`½` → 0.5).
pub fn vulgar_fraction(c: char) -> Option<f64> {
    Some(match c {
        '½' => 1.0 / 2.0,
        '⅓' => 1.0 / 3.0,
        '⅔' => 2.0 / 3.0,
        '¼' => 1.0 / 4.0,
        '¾' => 3.0 / 4.0,
        '⅕' => 1.0 / 5.0,
        '⅖' => 2.0 / 5.0,
        '⅗' => 3.0 / 5.0,
        '⅘' => 4.0 / 5.0,
        '⅙' => 1.0 / 6.0,
        '⅚' => 5.0 / 6.0,
        '⅛' => 1.0 / 8.0,
        '⅜' => 3.0 / 8.0,
        '⅝' => 5.0 / 8.0,
        '⅞' => 7.0 / 8.0,
        _ => return None,
    })
}

fn is_fraction_slash(c: char) -> bool {
    c == '/' || c == '⁄'
}

fn is_dash(c: char) -> bool {
    c == '-' || c == '–' || c == '—'
}

/// A plain number at `i`: digits with an inner `.` or `,` decimal (`1.5`, `0,5`), a fraction
/// `a/b`, a vulgar fraction, or digits followed directly by a vulgar fraction (`2½`). Returns
/// where it ends.
fn number_at(chars: &[char], i: usize) -> Option<usize> {
    let c = *chars.get(i)?;
    if vulgar_fraction(c).is_some() {
        return Some(i + 1);
    }
    if !c.is_ascii_digit() {
        return None;
    }
    let mut j = i;
    while j < chars.len()
        && (chars[j].is_ascii_digit()
            || ((chars[j] == '.' || chars[j] == ',')
                && chars.get(j + 1).is_some_and(char::is_ascii_digit)
                && j > i))
    {
        j += 1;
    }
    if j < chars.len()
        && is_fraction_slash(chars[j])
        && chars.get(j + 1).is_some_and(char::is_ascii_digit)
    {
        j += 1;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
    } else if chars.get(j).copied().and_then(vulgar_fraction).is_some() {
        j += 1;
    }
    Some(j)
}

/// Whether the number spanning `i..j` is a fraction (`1/2`, `½`) that can follow a whole number.
fn is_fraction(chars: &[char], i: usize, j: usize) -> bool {
    let s = &chars[i..j];
    (s.len() == 1 && vulgar_fraction(s[0]).is_some())
        || (s.iter().any(|c| is_fraction_slash(*c))
            && s.iter()
                .all(|c| c.is_ascii_digit() || is_fraction_slash(*c)))
}

fn is_whole(chars: &[char], i: usize, j: usize) -> bool {
    chars[i..j].iter().all(char::is_ascii_digit)
}

/// A quantity at `i`: a number, a mixed number (`1 1/2`, `1 ½`) and optionally a range to a
/// second one (`2-3`, `1 1/2 - 2`).
fn quantity_at(chars: &[char], i: usize) -> Option<usize> {
    let mut j = number_at(chars, i)?;
    // A whole number, one space, a fraction: one mixed number.
    if is_whole(chars, i, j) && chars.get(j) == Some(&' ') {
        if let Some(k) = number_at(chars, j + 1) {
            if is_fraction(chars, j + 1, k) {
                j = k;
            }
        }
    }
    // A range: a dash (spaces allowed around it) and another quantity.
    let mut k = j;
    while chars.get(k) == Some(&' ') {
        k += 1;
    }
    if chars.get(k).copied().is_some_and(is_dash) {
        let mut m = k + 1;
        while chars.get(m) == Some(&' ') {
            m += 1;
        }
        if let Some(end) = number_at(chars, m) {
            let mut end = end;
            if is_whole(chars, m, end) && chars.get(end) == Some(&' ') {
                if let Some(e) = number_at(chars, end + 1) {
                    if is_fraction(chars, end + 1, e) {
                        end = e;
                    }
                }
            }
            j = end;
        }
    }
    Some(j)
}

/// Splits an ingredient line into tokens.
pub fn tokenize_ingredient(line: &str) -> Vec<Token> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let (end, kind) = if c.is_whitespace() || c == '\u{feff}' {
            i += 1;
            continue;
        } else if let Some(j) = quantity_at(&chars, i) {
            (j, TokenKind::Quantity)
        } else if c.is_alphabetic() {
            // Letters, with inner apostrophes and hyphens between letters (`free-range`, `o'clock`).
            let mut j = i + 1;
            loop {
                while j < chars.len() && chars[j].is_alphabetic() {
                    j += 1;
                }
                let joins = j + 1 < chars.len()
                    && (chars[j] == '\'' || chars[j] == '’' || is_dash(chars[j]))
                    && chars[j + 1].is_alphabetic();
                if joins {
                    j += 1;
                } else {
                    break;
                }
            }
            (j, TokenKind::Word)
        } else {
            (i + 1, TokenKind::Punctuation)
        };
        out.push(Token {
            text: chars[i..end].iter().collect(),
            start: i,
            end,
            kind,
        });
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &str) -> Vec<String> {
        tokenize_ingredient(line)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn quantities_stay_whole() {
        assert_eq!(texts("1 1/2 cups rice"), ["1 1/2", "cups", "rice"]);
        assert_eq!(texts("1 ½ cups rice"), ["1 ½", "cups", "rice"]);
        assert_eq!(texts("2½ tbsp oil"), ["2½", "tbsp", "oil"]);
        assert_eq!(texts("2-3 carrots"), ["2-3", "carrots"]);
        assert_eq!(texts("2 – 3 carrots"), ["2 – 3", "carrots"]);
        assert_eq!(texts("1.5 kg flour"), ["1.5", "kg", "flour"]);
        assert_eq!(texts("¾ cup milk"), ["¾", "cup", "milk"]);
    }

    #[test]
    fn units_glued_to_numbers_are_split() {
        assert_eq!(
            texts("10g/½oz fresh tarragon"),
            ["10", "g", "/", "½", "oz", "fresh", "tarragon"]
        );
        assert_eq!(
            texts("500ml/18fl oz stock"),
            ["500", "ml", "/", "18", "fl", "oz", "stock"]
        );
    }

    #[test]
    fn cans_and_hyphens() {
        assert_eq!(
            texts("1 (14-ounce) can chickpeas, drained"),
            [
                "1",
                "(",
                "14",
                "-",
                "ounce",
                ")",
                "can",
                "chickpeas",
                ",",
                "drained"
            ]
        );
        assert_eq!(texts("2 free-range eggs"), ["2", "free-range", "eggs"]);
        // Two whole numbers are two quantities: "2 400g tins" is 2 tins of 400 g.
        assert_eq!(texts("2 400g tins"), ["2", "400", "g", "tins"]);
    }

    #[test]
    fn offsets_point_into_the_line() {
        let line = "½ cup  salt, to taste";
        let chars: Vec<char> = line.chars().collect();
        for t in tokenize_ingredient(line) {
            let s: String = chars[t.start..t.end].iter().collect();
            assert_eq!(s, t.text);
        }
        assert_eq!(texts("salt, to taste"), ["salt", ",", "to", "taste"]);
    }
}
