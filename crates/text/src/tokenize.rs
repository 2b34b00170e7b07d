//! Lower-cased word tokens. A word is a run of letters or digits; an apostrophe inside a word is
//! kept (`don't`) and a possessive `'s` is dropped; a number (`1.5`, `2,300`, `15%`) becomes the
//! single token [`NUMBER`], since its value says little about sentiment and its form is noise.

/// The token every number becomes.
pub const NUMBER: &str = "<num>";

pub fn tokenize(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            // Digits with inner separators: 1.5, 2,300, 10-15 stays two numbers.
            let mut j = i + 1;
            while j < chars.len()
                && (chars[j].is_ascii_digit()
                    || ((chars[j] == '.' || chars[j] == ',')
                        && chars.get(j + 1).is_some_and(char::is_ascii_digit)))
            {
                j += 1;
            }
            // A number glued to letters ("2021q1", "5g") is a word.
            if chars.get(j).is_some_and(|c| c.is_alphabetic()) {
                let (word, end) = word_at(&chars, i);
                out.push(word);
                i = end;
            } else {
                out.push(NUMBER.to_string());
                i = j;
            }
        } else if c.is_alphabetic() {
            let (word, end) = word_at(&chars, i);
            out.push(word);
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// The word starting at `i` (letters, digits, inner apostrophes), lower-cased, without a
/// possessive `'s`; and where it ends.
fn word_at(chars: &[char], i: usize) -> (String, usize) {
    let mut j = i;
    let mut word = String::new();
    while j < chars.len() {
        let c = chars[j];
        let inner_apostrophe = (c == '\'' || c == '’')
            && j > i
            && chars.get(j + 1).is_some_and(|n| n.is_alphanumeric());
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if inner_apostrophe {
            word.push('\'');
        } else {
            break;
        }
        j += 1;
    }
    if let Some(stem) = word.strip_suffix("'s") {
        word = stem.to_string();
    }
    (word, j)
}

/// [`tokenize`] without stop words.
pub fn tokens_without_stop_words(text: &str) -> Vec<String> {
    tokenize(text)
        .into_iter()
        .filter(|t| !crate::is_stop_word(t))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_numbers_and_apostrophes() {
        assert_eq!(
            tokenize("Bitcoin's price rose 12.5% to $2,300 — don't SELL!"),
            vec!["bitcoin", "price", "rose", NUMBER, "to", NUMBER, "don't", "sell"]
        );
        assert_eq!(
            tokenize("Q1 2021: 5G rollout, 10-15 units"),
            vec!["q1", NUMBER, "5g", "rollout", NUMBER, NUMBER, "units"]
        );
        assert_eq!(tokenize("Zürich’s bank"), vec!["zürich", "bank"]);
        assert!(tokenize("  ...  ").is_empty());
    }

    #[test]
    fn stop_words_go_but_negations_stay() {
        assert_eq!(
            tokens_without_stop_words("The profit was not as high as expected"),
            vec!["profit", "not", "high", "expected"]
        );
    }
}
