//! The lexicon baseline: VADER (Hutto & Gilbert, 2014), a hand-built lexicon of ~7,500 words with
//! rules for negation, intensifiers, "but" and punctuation, as the `vader_sentiment` crate ships
//! it. Nothing is learned: its compound score in −1..1 becomes a class by VADER's own thresholds
//! (≥ 0.05 positive, ≤ −0.05 negative).

use mmi_text::sentiment::{NEGATIVE, NEUTRAL, POSITIVE};

pub struct Lexicon {
    analyzer: vader_sentiment::SentimentIntensityAnalyzer<'static>,
}

impl Default for Lexicon {
    fn default() -> Self {
        Lexicon {
            analyzer: vader_sentiment::SentimentIntensityAnalyzer::new(),
        }
    }
}

impl Lexicon {
    /// VADER's compound score.
    pub fn compound(&self, text: &str) -> f64 {
        self.analyzer
            .polarity_scores(text)
            .get("compound")
            .copied()
            .unwrap_or(0.0)
    }

    pub fn classify(&self, text: &str) -> usize {
        let c = self.compound(text);
        if c >= 0.05 {
            POSITIVE
        } else if c <= -0.05 {
            NEGATIVE
        } else {
            NEUTRAL
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_polarity_and_negation() {
        let l = Lexicon::default();
        assert_eq!(
            l.classify("Profits rose and the outlook is excellent"),
            POSITIVE
        );
        assert_eq!(l.classify("The company reported a terrible loss"), NEGATIVE);
        assert_eq!(l.classify("The meeting is on Tuesday"), NEUTRAL);
        assert!(l.compound("not good") < 0.0);
    }
}
