//! The tagger's features: for every token, about twenty facts about it and its neighbours (the
//! word, its stem and shape, whether it is a unit or a number word, the words around it, where it
//! sits in the line, inside brackets or after a comma), each hashed (FNV-1a) into a fixed number
//! of buckets so that the model needs no feature dictionary: the server and the browser hash
//! the same strings to the same buckets.
//!
//! A model is trained with one [`FeatureSet`] and stored with it: a newer set adds features, so
//! models trained with an older one keep tagging exactly as they did.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

use super::quantity::number_word;
use super::tokenize::{Token, TokenKind};
use super::units::Unit;

/// FNV-1a, 64 bits: small, stable across platforms and versions (unlike `std`'s hasher).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Lower case without a plural `s`/`es` (and `ies` → `y`; `leaves`, `halves`, `loaves` → `f`
/// but `cloves`, `olives` keep their `e`): the form labels and lines are compared in, and a
/// feature of its own.
pub fn stem(word: &str) -> String {
    let w = word.to_lowercase();
    let n = w.chars().count();
    if n > 4 && w.ends_with("ies") {
        format!("{}y", &w[..w.len() - 3])
    } else if n > 4 && (w.ends_with("lves") || w.ends_with("eaves") || w.ends_with("oaves")) {
        format!("{}f", &w[..w.len() - 3])
    } else if n > 4
        && (w.ends_with("oes") || w.ends_with("shes") || w.ends_with("ches") || w.ends_with("sses"))
    {
        w[..w.len() - 2].to_string()
    } else if n > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
    {
        w[..w.len() - 1].to_string()
    } else {
        w
    }
}

/// Which features a model was trained with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FeatureSet {
    /// The first tagger's: the word, stem, shape, 3-letter prefix and suffix, unit and number
    /// flags, two words either side, bigrams, position, brackets and commas.
    V1 = 1,
    /// V1 and what makes other sites' lines readable (after the CRF ingredient parsers that
    /// report the best accuracy): three words either side, 2- and 4-letter prefixes and
    /// suffixes, a lexicon of sizes with their abbreviations (`lg`, `md`, `sm`), the canonical
    /// unit (`c`, `cup` and `cups` share one), the shapes two tokens away, whether an `or`,
    /// `plus` or `and` came before, and the position from the end.
    V2 = 2,
    /// V2 over tokens read in one spelling: a size word in full (`lg` → `large`) and a unit by
    /// its canonical name (`c`, `cups` → `cup`), so every word feature of a token and of its
    /// neighbours sees what a line in another site's style means.
    V3 = 3,
}

impl FeatureSet {
    /// The set new models are trained with.
    pub const LATEST: FeatureSet = FeatureSet::V3;

    pub fn from_u8(v: u8) -> Option<FeatureSet> {
        match v {
            1 => Some(FeatureSet::V1),
            2 => Some(FeatureSet::V2),
            3 => Some(FeatureSet::V3),
            _ => None,
        }
    }
}

/// A size word, as its full form: `lg`, `lge`, `large` → `large`; `md`, `med` → `medium`;
/// `sm`, `sml` → `small`; also `extra-large`, `jumbo`, `big`, `mini`.
pub fn size_word(word: &str) -> Option<&'static str> {
    let w = word.to_lowercase();
    Some(match w.trim_end_matches('.') {
        "small" | "sm" | "sml" | "smaller" => "small",
        "medium" | "med" | "md" | "medium-sized" | "medium-size" => "medium",
        "large" | "lg" | "lge" | "lrg" | "larger" => "large",
        "extra-large" | "xl" | "x-large" | "xlarge" => "extra-large",
        "jumbo" | "big" | "giant" | "huge" => "jumbo",
        "mini" | "tiny" => "mini",
        _ => return None,
    })
}

fn shape(token: &Token) -> String {
    match token.kind {
        TokenKind::Quantity => {
            if token.text.contains(['-', '–', '—']) {
                "range".into()
            } else if token.text.contains(['/', '⁄']) || !token.text.is_ascii() {
                "fraction".into()
            } else if token.text.contains(['.', ',']) {
                "decimal".into()
            } else {
                "integer".into()
            }
        }
        TokenKind::Punctuation => format!("punct{}", token.text),
        TokenKind::Word => {
            let first_upper = token.text.chars().next().is_some_and(char::is_uppercase);
            let all_upper = token.text.chars().all(|c| !c.is_lowercase());
            match (all_upper && token.text.chars().count() > 1, first_upper) {
                (true, _) => "UPPER".into(),
                (false, true) => "Capital".into(),
                _ => "lower".into(),
            }
        }
    }
}

fn word_at(tokens: &[Token], i: isize) -> String {
    if i < 0 {
        "<s>".into()
    } else if i as usize >= tokens.len() {
        "</s>".into()
    } else {
        let t = &tokens[i as usize];
        match t.kind {
            TokenKind::Quantity => "<qty>".into(),
            _ => stem(&t.text),
        }
    }
}

fn shape_at(tokens: &[Token], i: isize) -> String {
    if i < 0 || i as usize >= tokens.len() {
        "edge".to_string()
    } else {
        shape(&tokens[i as usize])
    }
}

/// A token as V3 reads it: a size word in full, a unit by its canonical name, anything else as
/// written.
fn canonical(token: &Token) -> Token {
    let text = match token.kind {
        TokenKind::Word => size_word(&token.text)
            .map(str::to_string)
            .or_else(|| Unit::parse(&token.text).map(|u| u.name().to_string())),
        _ => None,
    };
    Token {
        text: text.unwrap_or_else(|| token.text.clone()),
        ..token.clone()
    }
}

/// The hashed feature buckets of every token of a line, as `set` defines them.
pub fn token_features(tokens: &[Token], buckets: u32, set: FeatureSet) -> Vec<Vec<u32>> {
    let normal: Vec<Token>;
    let tokens = if set >= FeatureSet::V3 {
        normal = tokens.iter().map(canonical).collect();
        &normal[..]
    } else {
        tokens
    };
    let mut out = Vec::with_capacity(tokens.len());
    let mut depth = 0usize;
    let mut commas = 0usize;
    // The last `or`, `plus` or `and` before the token (V2).
    let mut conjunction: Option<&'static str> = None;
    let mut buf = String::new();
    for (i, token) in tokens.iter().enumerate() {
        let ii = i as isize;
        let mut feats = Vec::with_capacity(24);
        let mut add = |buf: &mut String| {
            feats.push((fnv1a(buf.as_bytes()) % u64::from(buckets)) as u32);
            buf.clear();
        };
        let lower = token.text.to_lowercase();
        let w = word_at(tokens, ii);
        let _ = write!(buf, "bias");
        add(&mut buf);
        let _ = write!(buf, "w={lower}");
        add(&mut buf);
        let _ = write!(buf, "s={w}");
        add(&mut buf);
        let _ = write!(buf, "shape={}", shape(token));
        add(&mut buf);
        if token.kind == TokenKind::Word {
            let chars: Vec<char> = lower.chars().collect();
            if chars.len() > 3 {
                let p: String = chars[..3].iter().collect();
                let x: String = chars[chars.len() - 3..].iter().collect();
                let _ = write!(buf, "p3={p}");
                add(&mut buf);
                let _ = write!(buf, "x3={x}");
                add(&mut buf);
            }
            if Unit::parse(&token.text).is_some() || lower == "fl" {
                let _ = write!(buf, "unit");
                add(&mut buf);
            }
            if number_word(&token.text).is_some() {
                let _ = write!(buf, "numword");
                add(&mut buf);
            }
        }
        for (name, off) in [("w-2", -2), ("w-1", -1), ("w+1", 1), ("w+2", 2)] {
            let _ = write!(buf, "{name}={}", word_at(tokens, ii + off));
            add(&mut buf);
        }
        let _ = write!(buf, "w-1w={}|{w}", word_at(tokens, ii - 1));
        add(&mut buf);
        let _ = write!(buf, "ww+1={w}|{}", word_at(tokens, ii + 1));
        add(&mut buf);
        for (name, off) in [("k-1", -1isize), ("k+1", 1)] {
            let _ = write!(buf, "{name}={}", shape_at(tokens, ii + off));
            add(&mut buf);
        }
        if i > 0 && Unit::parse(&tokens[i - 1].text).is_some() {
            let _ = write!(buf, "after-unit");
            add(&mut buf);
        }
        let _ = write!(buf, "pos={}", i.min(6));
        add(&mut buf);
        if i + 1 == tokens.len() {
            let _ = write!(buf, "last");
            add(&mut buf);
        }
        if token.text == ")" {
            depth = depth.saturating_sub(1);
        }
        let _ = write!(buf, "paren={}", depth.min(1));
        add(&mut buf);
        let _ = write!(buf, "commas={}", commas.min(2));
        add(&mut buf);
        let _ = write!(buf, "commas={}|s={w}", commas.min(1));
        add(&mut buf);
        if set >= FeatureSet::V2 {
            for (name, off) in [("w-3", -3), ("w+3", 3)] {
                let _ = write!(buf, "{name}={}", word_at(tokens, ii + off));
                add(&mut buf);
            }
            for (name, off) in [("k-2", -2isize), ("k+2", 2)] {
                let _ = write!(buf, "{name}={}", shape_at(tokens, ii + off));
                add(&mut buf);
            }
            if token.kind == TokenKind::Word {
                let chars: Vec<char> = lower.chars().collect();
                for n in [2, 4] {
                    if chars.len() > n {
                        let p: String = chars[..n].iter().collect();
                        let x: String = chars[chars.len() - n..].iter().collect();
                        let _ = write!(buf, "p{n}={p}");
                        add(&mut buf);
                        let _ = write!(buf, "x{n}={x}");
                        add(&mut buf);
                    }
                }
                if let Some(size) = size_word(&token.text) {
                    let _ = write!(buf, "size={size}");
                    add(&mut buf);
                }
                if let Some(unit) = Unit::parse(&token.text) {
                    let _ = write!(buf, "unit={unit:?}");
                    add(&mut buf);
                }
            }
            for (name, off) in [("u-1", -1isize), ("u+1", 1)] {
                let j = ii + off;
                if j >= 0 && (j as usize) < tokens.len() {
                    let t = &tokens[j as usize];
                    if t.kind == TokenKind::Word {
                        if Unit::parse(&t.text).is_some() {
                            let _ = write!(buf, "{name}=unit");
                            add(&mut buf);
                        } else if size_word(&t.text).is_some() {
                            let _ = write!(buf, "{name}=size");
                            add(&mut buf);
                        }
                    }
                }
            }
            if let Some(c) = conjunction {
                let _ = write!(buf, "after={c}");
                add(&mut buf);
            }
            let _ = write!(buf, "rpos={}", (tokens.len() - 1 - i).min(4));
            add(&mut buf);
        }
        if token.text == "(" {
            depth += 1;
        }
        if token.text == "," {
            commas += 1;
        }
        conjunction = match lower.as_str() {
            "or" => Some("or"),
            "plus" | "+" => Some("plus"),
            "and" | "&" => Some("and"),
            _ => conjunction,
        };
        out.push(feats);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tokenize::tokenize_ingredient;
    use super::*;

    #[test]
    fn stems() {
        assert_eq!(stem("Leaves"), "leaf");
        assert_eq!(stem("halves"), "half");
        assert_eq!(stem("cloves"), "clove");
        assert_eq!(stem("olives"), "olive");
        assert_eq!(stem("cherries"), "cherry");
        assert_eq!(stem("tomatoes"), "tomato");
        assert_eq!(stem("cups"), "cup");
        assert_eq!(stem("glass"), "glass");
        assert_eq!(stem("couscous"), "couscous");
        assert_eq!(stem("peas"), "pea");
    }

    #[test]
    fn features_are_stable_and_in_range() {
        let tokens = tokenize_ingredient("2 cups (500 ml) milk, warmed");
        let a = token_features(&tokens, 1 << 10, FeatureSet::V1);
        let b = token_features(&tokens, 1 << 10, FeatureSet::V1);
        assert_eq!(a, b);
        assert_eq!(a.len(), tokens.len());
        assert!(a.iter().flatten().all(|f| *f < 1 << 10));
        // The same word in another place has other context features but the same word feature.
        assert_eq!(fnv1a(b"w=milk") % 1024, u64::from(a[6][1]));
    }

    #[test]
    fn a_newer_set_only_adds_features() {
        let tokens = tokenize_ingredient("1 lg peach or 2 c and 3 tablespoons flour, sifted");
        let v1 = token_features(&tokens, 1 << 16, FeatureSet::V1);
        let v2 = token_features(&tokens, 1 << 16, FeatureSet::V2);
        for (a, b) in v1.iter().zip(&v2) {
            assert_eq!(a[..], b[..a.len()], "V1's features come first, unchanged");
            assert!(b.len() > a.len());
        }
        let has = |i: usize, f: &str| v2[i].contains(&((fnv1a(f.as_bytes()) % (1 << 16)) as u32));
        // "lg" reads as the size "large"; "c" as the unit a cup is.
        assert!(has(1, "size=large"));
        assert!(has(5, "unit=Cup"));
        assert!(has(6, "u-1=unit"));
        // Everything after the "or" knows it; the "or" itself does not.
        assert!(!has(3, "after=or"));
        assert!(has(4, "after=or"));
        assert!(has(7, "after=and"));
        assert_eq!(FeatureSet::from_u8(2), Some(FeatureSet::V2));
        assert_eq!(FeatureSet::from_u8(9), None);
    }

    #[test]
    fn v3_reads_one_spelling() {
        let v3 = |line: &str| token_features(&tokenize_ingredient(line), 1 << 16, FeatureSet::V3);
        assert_eq!(v3("1 lg peach"), v3("1 large peach"));
        assert_eq!(v3("2 c flour"), v3("2 cups flour"));
        // Without abbreviations or units V3 is V2.
        let line = tokenize_ingredient("2 onions or leeks, sliced");
        assert_eq!(
            token_features(&line, 1 << 16, FeatureSet::V2),
            token_features(&line, 1 << 16, FeatureSet::V3)
        );
        assert_eq!(FeatureSet::from_u8(3), Some(FeatureSet::V3));
    }

    #[test]
    fn size_words() {
        assert_eq!(size_word("lg"), Some("large"));
        assert_eq!(size_word("Md."), Some("medium"));
        assert_eq!(size_word("sm"), Some("small"));
        assert_eq!(size_word("peach"), None);
    }
}
