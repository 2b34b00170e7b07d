//! TF-IDF vectors over a [`Vocabulary`]: raw term counts times the smoothed inverse document
//! frequency `ln((1 + n) / (1 + df)) + 1` (scikit-learn's default), then scaled to unit length.
//! Sparse: `(term index, weight)` sorted by index.

use serde::{Deserialize, Serialize};

use crate::Vocabulary;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TfIdf {
    pub vocabulary: Vocabulary,
    pub idf: Vec<f32>,
}

impl TfIdf {
    pub fn new(vocabulary: Vocabulary) -> TfIdf {
        let n = f64::from(vocabulary.documents);
        let idf = vocabulary
            .document_frequency
            .iter()
            .map(|df| (((1.0 + n) / (1.0 + f64::from(*df))).ln() + 1.0) as f32)
            .collect();
        TfIdf { vocabulary, idf }
    }

    /// The unit-length TF-IDF vector of a tokenised text; unknown terms are left out (an
    /// all-unknown text is the empty vector).
    pub fn transform(&self, tokens: &[String]) -> Vec<(usize, f32)> {
        let mut counts: std::collections::BTreeMap<usize, f32> = std::collections::BTreeMap::new();
        for t in tokens {
            if let Some(i) = self.vocabulary.index(t) {
                *counts.entry(i).or_default() += 1.0;
            }
        }
        let mut out: Vec<(usize, f32)> = counts
            .into_iter()
            .map(|(i, c)| (i, c * self.idf[i]))
            .collect();
        let norm = out.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (_, w) in &mut out {
                *w /= norm;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_by_hand() {
        // Three training documents; "profit" in 2, "rose" in 2, "fell" in 1.
        let train: Vec<Vec<String>> = ["profit rose", "profit fell", "rose"]
            .iter()
            .map(|t| crate::tokenize(t))
            .collect();
        let tfidf = TfIdf::new(Vocabulary::fit(&train, 1, 10));
        assert_eq!(tfidf.vocabulary.terms, vec!["profit", "rose", "fell"]);
        // idf = ln(4/3) + 1 = 1.28768 for df 2; ln(4/2) + 1 = 1.69315 for df 1.
        assert!((tfidf.idf[0] - 1.287_682).abs() < 1e-5);
        assert!((tfidf.idf[2] - 1.693_147).abs() < 1e-5);
        // "profit fell fell unknown": counts 1 and 2 → (1.28768, 3.38629) / 3.62286.
        let v = tfidf.transform(&crate::tokenize("profit fell fell plunged"));
        assert_eq!(v.iter().map(|x| x.0).collect::<Vec<_>>(), vec![0, 2]);
        assert!((v[0].1 - 0.355_432).abs() < 1e-5, "{v:?}");
        assert!((v[1].1 - 0.934_706).abs() < 1e-5, "{v:?}");
        assert!(tfidf
            .transform(&crate::tokenize("nothing known"))
            .is_empty());
    }
}
