//! The market sentiment index: every dated news item split into sentences, the sentences that
//! name a token scored by the serving model, and the item's score for that token the mean of
//! those sentences' `P(positive) − P(negative)`. An article about Bitcoin that mentions Ethereum
//! once counts for Ethereum by that one sentence only.
//!
//! A token is named by its symbol in capitals as a whole word ("ETH", so "link" the English word
//! is not Chainlink's LINK), or by its name (or a common alias) in any case, except names that
//! are everyday English words, which must be capitalised ("Stellar", not "stellar results").
//! A name followed by a word that makes it another coin ("Bitcoin Cash", "Ethereum Classic") does
//! not count.

use std::collections::BTreeMap;

use mmi_text::sentiment::{Scored, SentimentModel, NEGATIVE, NEUTRAL, POSITIVE};

/// Extra names by symbol (the stored name is always one).
const ALIASES: [(&str, &str); 6] = [
    ("XRP", "ripple"),
    ("USDT", "tether"),
    ("MIOTA", "iota"),
    ("BNB", "binance coin"),
    ("XLM", "stellar lumens"),
    ("TRX", "tron"),
];
/// Names that are ordinary words in lower case.
const CAPITALISED_ONLY: [&str; 4] = ["cosmos", "stellar", "nem", "tron"];
/// Words after a name that make it a different coin.
const OTHER_COIN: [&str; 6] = ["cash", "classic", "sv", "gold", "diamond", "private"];

/// How a token is recognised.
#[derive(Debug, Clone)]
pub struct TokenNames {
    symbol: String,
    /// Lower-case word sequences.
    names: Vec<Vec<String>>,
}

impl TokenNames {
    /// From the stored `(symbol, name)` pairs.
    pub fn new(tokens: &[(String, String)]) -> Vec<TokenNames> {
        tokens
            .iter()
            .map(|(symbol, name)| {
                let mut names = vec![words(name)];
                for (s, alias) in ALIASES {
                    if s == symbol {
                        names.push(words(alias));
                    }
                }
                names.retain(|n| !n.is_empty());
                names.dedup();
                TokenNames {
                    symbol: symbol.clone(),
                    names,
                }
            })
            .collect()
    }
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '.')
        .map(|w| w.trim_matches('.').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// The symbols named in `sentence`.
pub fn mentions(sentence: &str, tokens: &[TokenNames]) -> Vec<String> {
    let raw: Vec<&str> = sentence
        .split(|c: char| !c.is_alphanumeric() && c != '.')
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty())
        .collect();
    let lower: Vec<String> = raw.iter().map(|w| w.to_lowercase()).collect();
    let mut out = Vec::new();
    for t in tokens {
        let by_symbol = raw.iter().any(|w| *w == t.symbol);
        let by_name = t.names.iter().any(|name| {
            (0..lower.len()).any(|i| {
                lower.len() - i >= name.len()
                    && lower[i..i + name.len()] == name[..]
                    && (!CAPITALISED_ONLY.contains(&name[0].as_str())
                        || raw[i].starts_with(char::is_uppercase))
                    && !lower
                        .get(i + name.len())
                        .is_some_and(|next| OTHER_COIN.contains(&next.as_str()))
            })
        });
        if by_symbol || by_name {
            out.push(t.symbol.clone());
        }
    }
    out
}

/// Sentences of an article: cut after `.`, `!` or `?` followed by a space and a capital letter,
/// digit or quote (so "U.S. markets" and "5.2%" stay whole), and at line breaks.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, (i, c)) in chars.iter().enumerate() {
        let end_mark = matches!(c, '.' | '!' | '?')
            && chars.get(k + 1).is_some_and(|(_, n)| n.is_whitespace())
            && chars
                .get(k + 2)
                .is_some_and(|(_, n)| n.is_uppercase() || n.is_ascii_digit() || *n == '"');
        let line_break = *c == '\n';
        if end_mark || line_break {
            let cut = if line_break { *i } else { i + c.len_utf8() };
            let s = text[start..cut].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = cut;
        }
    }
    let s = text[start..].trim();
    if !s.is_empty() {
        out.push(s);
    }
    out
}

/// One dated news item to score.
#[derive(Debug, Clone)]
pub struct NewsItem {
    pub id: i64,
    pub published_on: String,
    pub title: Option<String>,
    pub body: Option<String>,
}

/// One item's sentiment about one token.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemSentiment {
    pub news_id: i64,
    pub symbol: String,
    pub published_on: String,
    pub score: f64,
    /// Mean class probabilities of the sentences naming the token.
    pub probabilities: [f64; 3],
    pub sentences: u32,
    /// The item's title, or its first sentence (at most 160 characters).
    pub headline: String,
}

/// Scores `items`; an item whose text repeats an earlier item's (the same article in two feeds)
/// is skipped. Returns the rows and the number of items scored.
pub fn score_items(
    items: &[NewsItem],
    tokens: &[TokenNames],
    model: &SentimentModel,
) -> (Vec<ItemSentiment>, usize) {
    let mut seen = std::collections::HashSet::new();
    let mut rows = Vec::new();
    let mut scored_items = 0;
    for item in items {
        let text = match (&item.title, &item.body) {
            (Some(t), Some(b)) => format!("{t}.\n{b}"),
            (Some(t), None) => t.clone(),
            (None, Some(b)) => b.clone(),
            (None, None) => continue,
        };
        if !seen.insert(text.trim().to_string()) {
            continue;
        }
        let parts = sentences(&text);
        let mut by_token: BTreeMap<String, Vec<Scored>> = BTreeMap::new();
        for s in &parts {
            let named = mentions(s, tokens);
            if named.is_empty() {
                continue;
            }
            let scored = model.score(s);
            for symbol in named {
                by_token.entry(symbol).or_default().push(scored);
            }
        }
        if by_token.is_empty() {
            continue;
        }
        scored_items += 1;
        let headline = item
            .title
            .clone()
            .or_else(|| parts.first().map(|s| s.to_string()))
            .unwrap_or_default();
        let headline: String = if headline.chars().count() > 160 {
            headline.chars().take(159).chain(['…']).collect()
        } else {
            headline
        };
        for (symbol, scores) in by_token {
            let n = scores.len() as f64;
            let mean = |c: usize| {
                scores
                    .iter()
                    .map(|s| f64::from(s.probabilities[c]))
                    .sum::<f64>()
                    / n
            };
            let probabilities = [mean(NEGATIVE), mean(NEUTRAL), mean(POSITIVE)];
            rows.push(ItemSentiment {
                news_id: item.id,
                symbol,
                published_on: item.published_on.clone(),
                score: probabilities[POSITIVE] - probabilities[NEGATIVE],
                probabilities,
                sentences: scores.len() as u32,
                headline: headline.clone(),
            });
        }
    }
    (rows, scored_items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens() -> Vec<TokenNames> {
        let pairs = [
            ("BTC", "Bitcoin"),
            ("ETH", "Ethereum"),
            ("LINK", "Chainlink"),
            ("XLM", "Stellar"),
            ("XRP", "XRP"),
            ("BNB", "Binance Coin"),
        ];
        TokenNames::new(
            &pairs
                .iter()
                .map(|(s, n)| (s.to_string(), n.to_string()))
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn names_symbols_and_false_friends() {
        let t = tokens();
        assert_eq!(mentions("Bitcoin and ETH rallied", &t), vec!["BTC", "ETH"]);
        assert_eq!(mentions("bitcoin's price", &t), vec!["BTC"]);
        // Another coin, an English word, lower-case adjectives: no mention.
        assert!(mentions("Bitcoin Cash and Ethereum Classic fell", &t).is_empty());
        assert!(mentions("click the link for stellar results", &t).is_empty());
        assert_eq!(
            mentions("Stellar and Ripple partnered", &t),
            vec!["XLM", "XRP"]
        );
        assert_eq!(mentions("binance coin (BNB) rose", &t), vec!["BNB"]);
    }

    #[test]
    fn sentence_cuts() {
        assert_eq!(
            sentences("BTC rose 5.2% in the U.S. market. Ethereum fell! Why? 3 coins\nnew line"),
            vec![
                "BTC rose 5.2% in the U.S. market.",
                "Ethereum fell!",
                "Why?",
                "3 coins",
                "new line"
            ]
        );
    }
}
