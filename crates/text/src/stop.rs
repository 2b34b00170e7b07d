//! English stop words: function words that carry no sentiment. Negations and intensity words
//! ("not", "no", "nor", "never", "very", "against", "down", "up", "over", "under", "more", "most",
//! "few", "only") are deliberately *not* stop words: "profit did not rise" must not read like
//! "profit did rise", and in financial text "up"/"down" are the sentiment.

pub const STOP_WORDS: [&str; 97] = [
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
    "because", "been", "before", "being", "between", "both", "but", "by", "can", "could", "did",
    "do", "does", "doing", "during", "each", "for", "from", "further", "had", "has", "have",
    "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is",
    "it", "its", "itself", "just", "me", "my", "of", "on", "once", "or", "other", "our", "ours",
    "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "them",
    "then", "there", "these", "they", "this", "those", "through", "to", "too", "until", "was",
    "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
    "would",
];

pub fn is_stop_word(token: &str) -> bool {
    STOP_WORDS.binary_search(&token).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_unique_and_without_negations() {
        assert!(
            STOP_WORDS.windows(2).all(|w| w[0] < w[1]),
            "keep the list sorted"
        );
        for kept in [
            "not", "no", "nor", "never", "up", "down", "more", "only", "very",
        ] {
            assert!(!is_stop_word(kept), "{kept}");
        }
        assert!(is_stop_word("the") && is_stop_word("would"));
    }
}
