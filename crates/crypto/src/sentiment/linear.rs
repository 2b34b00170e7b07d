//! TF-IDF + multinomial logistic regression (linfa-logistic, L-BFGS), its L2 strength chosen on
//! the validation sentences, exported as [`LinearSentiment`] (what the API and browser score).

use linfa::prelude::*;
use linfa_logistic::MultiLogisticRegression;
use mmi_text::sentiment::LinearSentiment;
use mmi_text::{TfIdf, Vocabulary};
use ndarray::{Array1, Array2};

use crate::CryptoError;

/// Terms must appear in this many training sentences.
pub const MIN_DOCUMENT_COUNT: u32 = 2;
pub const MAX_TERMS: usize = 20_000;

/// The dense TF-IDF matrix of tokenised texts.
pub fn tfidf_matrix(tfidf: &TfIdf, docs: &[&Vec<String>]) -> Array2<f64> {
    let mut x = Array2::zeros((docs.len(), tfidf.vocabulary.len()));
    for (i, doc) in docs.iter().enumerate() {
        for (j, w) in tfidf.transform(doc) {
            x[[i, j]] = f64::from(w);
        }
    }
    x
}

/// Fits on `train` (tokenised texts and classes) with L2 strength `alpha`.
pub fn fit(
    vocabulary: &Vocabulary,
    train: &[&Vec<String>],
    labels: &[usize],
    alpha: f64,
    max_iterations: u64,
) -> Result<LinearSentiment, CryptoError> {
    let tfidf = TfIdf::new(vocabulary.clone());
    let x = tfidf_matrix(&tfidf, train);
    let y = Array1::from(labels.to_vec());
    let fitted = MultiLogisticRegression::default()
        .alpha(alpha)
        .max_iterations(max_iterations)
        .fit(&Dataset::new(x, y))
        .map_err(|e| CryptoError::Model(format!("logistic regression: {e}")))?;
    // Columns of `params` follow the sorted classes; with all three present they are 0, 1, 2.
    let classes = fitted.classes();
    if classes != [0, 1, 2] {
        return Err(CryptoError::Model(format!(
            "the training sentences hold classes {classes:?}, not all three"
        )));
    }
    let params = fitted.params();
    let weights = params.iter().map(|w| *w as f32).collect();
    let b = fitted.intercept();
    Ok(LinearSentiment {
        tfidf,
        weights,
        bias: [b[0] as f32, b[1] as f32, b[2] as f32],
    })
}
