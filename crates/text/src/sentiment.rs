//! The sentiment models as the browser and the server run them: three classes
//! ([`CLASSES`]: negative, neutral, positive), probabilities from a text. Trained on the server
//! (`mmi_crypto::sentiment`: linfa for the linear model, candle for the network), exported here as
//! plain numbers so scoring needs neither library and runs the same in WASM.
//!
//! - [`LinearSentiment`]: TF-IDF over the training vocabulary, multinomial logistic regression.
//! - [`CnnSentiment`]: word embeddings (int8, one scale per word), a 1-D convolution over
//!   `kernel` consecutive words with ReLU, max-pooling over the text, a dense softmax layer.
//!   Token ids: 0 pads, 1 is any word outside the vocabulary, `2 + i` is vocabulary term `i`.

use mmi_rank::Int8Rows;
use serde::{Deserialize, Serialize};

use crate::{tokens_without_stop_words, TfIdf, Vocabulary};

/// Class names by index.
pub const CLASSES: [&str; 3] = ["negative", "neutral", "positive"];
pub const NEGATIVE: usize = 0;
pub const NEUTRAL: usize = 1;
pub const POSITIVE: usize = 2;
/// Token id of padding, and of a word outside the vocabulary.
pub const PAD: u32 = 0;
pub const UNKNOWN: u32 = 1;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SentimentError {
    #[error("cannot decode the sentiment model: {0}")]
    Decode(String),
    #[error("inconsistent sentiment model: {0}")]
    Shape(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinearSentiment {
    pub tfidf: TfIdf,
    /// `weights[term * 3 + class]`.
    pub weights: Vec<f32>,
    pub bias: [f32; 3],
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CnnSentiment {
    pub vocabulary: Vocabulary,
    /// Texts are cut to this many tokens.
    pub max_tokens: u32,
    pub kernel: u32,
    /// `vocabulary.len() + 2` rows of `embedding_dim`.
    pub embedding: Int8Rows,
    /// `conv[filter][k * embedding_dim + e]`, flattened; `filters` rows.
    pub conv: Vec<f32>,
    pub conv_bias: Vec<f32>,
    /// `dense[class * filters + filter]`.
    pub dense: Vec<f32>,
    pub dense_bias: [f32; 3],
}

/// A trained model that scores texts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SentimentModel {
    Linear(LinearSentiment),
    Cnn(CnnSentiment),
}

/// A text's class probabilities and what follows from them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    pub probabilities: [f32; 3],
    /// The most probable class.
    pub label: usize,
    /// `P(positive) − P(negative)`, in −1..1.
    pub score: f32,
}

impl Scored {
    pub fn from_probabilities(probabilities: [f32; 3]) -> Scored {
        let label = (0..3)
            .max_by(|a, b| probabilities[*a].total_cmp(&probabilities[*b]))
            .unwrap_or(NEUTRAL);
        Scored {
            probabilities,
            label,
            score: probabilities[POSITIVE] - probabilities[NEGATIVE],
        }
    }
}

/// Softmax of three logits.
pub fn softmax3(z: [f32; 3]) -> [f32; 3] {
    let m = z[0].max(z[1]).max(z[2]);
    let e = z.map(|v| (v - m).exp());
    let s: f32 = e.iter().sum();
    e.map(|v| v / s)
}

impl LinearSentiment {
    pub fn logits(&self, tokens: &[String]) -> [f32; 3] {
        let mut z = self.bias;
        for (term, w) in self.tfidf.transform(tokens) {
            for (c, zc) in z.iter_mut().enumerate() {
                *zc += w * self.weights[term * 3 + c];
            }
        }
        z
    }
}

impl CnnSentiment {
    pub fn filters(&self) -> usize {
        self.conv_bias.len()
    }

    /// The token ids of a tokenised text (cut to `max_tokens`).
    pub fn ids(&self, tokens: &[String]) -> Vec<u32> {
        tokens
            .iter()
            .take(self.max_tokens as usize)
            .map(|t| self.vocabulary.index(t).map_or(UNKNOWN, |i| i as u32 + 2))
            .collect()
    }

    /// Logits of token ids. Positions past the text are zero vectors; the windows are those that
    /// start inside the text, or the first window alone for a text shorter than the kernel.
    pub fn logits_of_ids(&self, ids: &[u32]) -> [f32; 3] {
        let dim = self.embedding.dim as usize;
        let kernel = self.kernel as usize;
        let filters = self.filters();
        let positions = ids.len().max(kernel);
        let mut x = vec![0f32; positions * dim];
        for (p, id) in ids.iter().enumerate() {
            let row = self.embedding.row(*id as usize);
            let scale = self.embedding.scales[*id as usize];
            for (e, q) in row.iter().enumerate() {
                x[p * dim + e] = f32::from(*q) * scale;
            }
        }
        let windows = (ids.len() + 1).saturating_sub(kernel).max(1);
        let mut pooled = vec![f32::NEG_INFINITY; filters];
        let width = kernel * dim;
        for t in 0..windows {
            let window = &x[t * dim..t * dim + width];
            for (f, best) in pooled.iter_mut().enumerate() {
                let w = &self.conv[f * width..(f + 1) * width];
                let v = self.conv_bias[f] + window.iter().zip(w).map(|(a, b)| a * b).sum::<f32>();
                *best = best.max(v.max(0.0));
            }
        }
        let mut z = self.dense_bias;
        for (c, zc) in z.iter_mut().enumerate() {
            *zc += pooled
                .iter()
                .zip(&self.dense[c * filters..(c + 1) * filters])
                .map(|(a, b)| a * b)
                .sum::<f32>();
        }
        z
    }

    pub fn check(&self) -> Result<(), SentimentError> {
        let dim = self.embedding.dim as usize;
        let filters = self.filters();
        let bad = |what: String| Err(SentimentError::Shape(what));
        if self.embedding.len() != self.vocabulary.len() + 2 {
            return bad(format!(
                "{} embedding rows for {} terms",
                self.embedding.len(),
                self.vocabulary.len()
            ));
        }
        if self.kernel == 0 || self.conv.len() != filters * self.kernel as usize * dim {
            return bad(format!("{} convolution weights", self.conv.len()));
        }
        if self.dense.len() != 3 * filters {
            return bad(format!("{} dense weights", self.dense.len()));
        }
        Ok(())
    }
}

impl SentimentModel {
    /// Scores a raw text (tokenised here, stop words removed, as in training).
    pub fn score(&self, text: &str) -> Scored {
        let tokens = tokens_without_stop_words(text);
        let z = match self {
            SentimentModel::Linear(m) => m.logits(&tokens),
            SentimentModel::Cnn(m) => m.logits_of_ids(&m.ids(&tokens)),
        };
        Scored::from_probabilities(softmax3(z))
    }

    pub fn kind(&self) -> &'static str {
        match self {
            SentimentModel::Linear(_) => "tfidf_logistic",
            SentimentModel::Cnn(_) => "cnn",
        }
    }

    pub fn to_bytes(&self) -> Result<Vec<u8>, SentimentError> {
        postcard::to_allocvec(self).map_err(|e| SentimentError::Decode(e.to_string()))
    }

    /// Decodes and checks a model written by [`SentimentModel::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<SentimentModel, SentimentError> {
        let model: SentimentModel =
            postcard::from_bytes(bytes).map_err(|e| SentimentError::Decode(e.to_string()))?;
        match &model {
            SentimentModel::Linear(m) => {
                if m.weights.len() != m.tfidf.vocabulary.len() * 3
                    || m.tfidf.idf.len() != m.tfidf.vocabulary.len()
                {
                    return Err(SentimentError::Shape(format!(
                        "{} weights for {} terms",
                        m.weights.len(),
                        m.tfidf.vocabulary.len()
                    )));
                }
            }
            SentimentModel::Cnn(m) => m.check()?,
        }
        Ok(model)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab(texts: &[&str]) -> Vocabulary {
        let docs: Vec<Vec<String>> = texts.iter().map(|t| tokens_without_stop_words(t)).collect();
        Vocabulary::fit(&docs, 1, 100)
    }

    #[test]
    fn linear_model_by_hand() {
        let tfidf = TfIdf::new(vocab(&["profit rose", "loss fell"]));
        // Terms: fell, loss, profit, rose (all df 1, sorted by term). "rose" → positive.
        let mut weights = vec![0.0; 12];
        let rose = tfidf.vocabulary.index("rose").expect("rose");
        weights[rose * 3 + POSITIVE] = 4.0;
        let model = SentimentModel::Linear(LinearSentiment {
            tfidf,
            weights,
            bias: [0.0, 0.5, 0.0],
        });
        let s = model.score("Profit rose");
        assert_eq!(s.label, POSITIVE);
        // "rose" has weight 1/√2 in the unit TF-IDF vector: logits (0, 0.5, 2.828).
        let p = softmax3([0.0, 0.5, 4.0 / 2f32.sqrt()]);
        assert!((s.probabilities[POSITIVE] - p[2]).abs() < 1e-6);
        assert!((s.score - (p[2] - p[0])).abs() < 1e-6);
        // Nothing known: the bias decides.
        assert_eq!(model.score("unheard words").label, NEUTRAL);
        let back = SentimentModel::from_bytes(&model.to_bytes().expect("bytes")).expect("decode");
        assert_eq!(back, model);
    }

    #[test]
    fn cnn_windows_padding_and_pooling() {
        // Vocabulary "up" and "down"; 1-dimensional embeddings up = +1, down = −1.
        let vocabulary = vocab(&["up", "down"]);
        let (down, up) = (
            vocabulary.index("down").expect("down") + 2,
            vocabulary.index("up").expect("up") + 2,
        );
        let mut rows = vec![vec![0.0f32]; 4];
        rows[up] = vec![1.0];
        rows[down] = vec![-1.0];
        // Two filters over 2 words: f0 = x0 + x1 (sums "up"s), f1 = −x0 − x1 (sums "down"s).
        let model = CnnSentiment {
            vocabulary,
            max_tokens: 8,
            kernel: 2,
            embedding: Int8Rows::from_dense(&rows).expect("rows"),
            conv: vec![1.0, 1.0, -1.0, -1.0],
            conv_bias: vec![0.0, 0.0],
            dense: vec![0.0, 1.0, 0.0, 0.0, 1.0, 0.0],
            dense_bias: [0.0; 3],
        };
        model.check().expect("shapes");
        // "up up down": windows (up, up) → f0 2; (up, down) → 0; f1 max 0 → logits (0, 0, 2).
        let ids = model.ids(&tokens_without_stop_words("up up down"));
        assert_eq!(model.logits_of_ids(&ids), [0.0, 0.0, 2.0]);
        // One word, shorter than the kernel: the single window (down, pad) → f1 1.
        let z = model.logits_of_ids(&model.ids(&tokens_without_stop_words("down")));
        assert_eq!(z, [1.0, 0.0, 0.0]);
        // Unknown words and the empty text: every window is zero.
        assert_eq!(
            model.ids(&tokens_without_stop_words("sideways")),
            vec![UNKNOWN]
        );
        assert_eq!(model.logits_of_ids(&[]), [0.0; 3]);
        let wrapped = SentimentModel::Cnn(model);
        assert_eq!(wrapped.score("down down").label, NEGATIVE);
        let back = SentimentModel::from_bytes(&wrapped.to_bytes().expect("bytes")).expect("decode");
        assert_eq!(back, wrapped);
    }
}
