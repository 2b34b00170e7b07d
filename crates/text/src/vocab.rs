//! A vocabulary fitted on training texts only: terms seen in at least `min_count` training
//! documents, the `max_size` most frequent (ties by term), each with an index. Terms outside it
//! (e.g. first seen in a test text) are unknown: never silently added.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vocabulary {
    /// Terms by index, sorted by training document frequency (descending), then by term.
    pub terms: Vec<String>,
    /// How many training documents contained each term.
    pub document_frequency: Vec<u32>,
    /// How many training documents the vocabulary was fitted on.
    pub documents: u32,
    /// Term indices in alphabetical order of their terms, for lookup by binary search.
    by_term: Vec<u32>,
}

impl Vocabulary {
    pub fn fit(documents: &[Vec<String>], min_count: u32, max_size: usize) -> Vocabulary {
        let mut df: std::collections::BTreeMap<&str, u32> = std::collections::BTreeMap::new();
        for doc in documents {
            let mut seen: Vec<&str> = doc.iter().map(String::as_str).collect();
            seen.sort_unstable();
            seen.dedup();
            for t in seen {
                *df.entry(t).or_default() += 1;
            }
        }
        let mut terms: Vec<(&str, u32)> = df.into_iter().filter(|(_, n)| *n >= min_count).collect();
        terms.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        terms.truncate(max_size);
        let mut by_term: Vec<u32> = (0..terms.len() as u32).collect();
        by_term.sort_by(|a, b| terms[*a as usize].0.cmp(terms[*b as usize].0));
        Vocabulary {
            terms: terms.iter().map(|(t, _)| t.to_string()).collect(),
            document_frequency: terms.iter().map(|(_, n)| *n).collect(),
            documents: documents.len() as u32,
            by_term,
        }
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The index of `term`, `None` for a term outside the vocabulary.
    pub fn index(&self, term: &str) -> Option<usize> {
        self.by_term
            .binary_search_by(|i| self.terms[*i as usize].as_str().cmp(term))
            .ok()
            .map(|at| self.by_term[at] as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(texts: &[&str]) -> Vec<Vec<String>> {
        texts.iter().map(|t| crate::tokenize(t)).collect()
    }

    #[test]
    fn fitted_on_training_documents_only() {
        let train = docs(&["profit rose", "profit fell", "sales rose sharply"]);
        let v = Vocabulary::fit(&train, 1, 100);
        assert_eq!(v.terms, vec!["profit", "rose", "fell", "sales", "sharply"]);
        assert_eq!(v.document_frequency, vec![2, 2, 1, 1, 1]);
        // A word first seen in a test text is unknown.
        assert_eq!(v.index("plunged"), None);
        assert_eq!(v.index("rose"), Some(1));
        for (i, t) in v.terms.iter().enumerate() {
            assert_eq!(v.index(t), Some(i));
        }
        let v = Vocabulary::fit(&train, 2, 100);
        assert_eq!(v.terms, vec!["profit", "rose"]);
        assert_eq!(Vocabulary::fit(&train, 1, 1).terms, vec!["profit"]);
        // A word twice in one document counts once.
        assert_eq!(
            Vocabulary::fit(&docs(&["up up up"]), 1, 9).document_frequency,
            vec![1]
        );
    }
}
