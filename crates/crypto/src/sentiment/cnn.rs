//! The neural sentiment model in candle: word embeddings → a 1-D convolution over `kernel`
//! consecutive words (ReLU) → max-pooling over the text → dropout → a dense softmax layer (Kim,
//! 2014, with one filter width). Trained with AdamW on cross-entropy, early stopping on the
//! validation loss, everything random drawn from one seeded ChaCha generator. Exported as
//! [`CnnSentiment`] with int8 embeddings for the browser; the f32 weights are kept as safetensors.
//!
//! The convolution is written as a matrix product over explicit windows (each window the `kernel`
//! embeddings side by side), which is exactly how [`CnnSentiment::logits_of_ids`] scores, so the
//! exported model needs no layout conversion beyond a transpose.

use std::collections::HashMap;

use candle_core::{DType, Device, Tensor, Var, D};
use mmi_rank::Int8Rows;
use mmi_text::sentiment::{CnnSentiment, PAD};
use mmi_text::Vocabulary;
use rand09::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::models::training::{seeded_dropout, train_loop, EpochHistory, LoopConfig};
use crate::CryptoError;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CnnConfig {
    pub embedding_dim: usize,
    pub filters: usize,
    pub kernel: usize,
    pub max_tokens: usize,
    pub dropout: f32,
    pub learning_rate: f64,
    pub weight_decay: f64,
    pub batch_size: usize,
    pub max_epochs: usize,
    pub patience: usize,
    pub seed: u64,
}

impl CnnConfig {
    pub fn setting(&self) -> String {
        format!(
            "embedding {}, {} filters × {} words, dropout {}",
            self.embedding_dim, self.filters, self.kernel, self.dropout
        )
    }
}

/// The loss per epoch; the weights of `best_epoch` are the ones kept.
pub type CnnHistory = EpochHistory;

/// The trainable weights.
pub struct Cnn {
    pub config: CnnConfig,
    pub vocabulary: Vocabulary,
    /// `(terms + 2, dim)`: row 0 pads (always multiplied by 0), row 1 is the unknown word.
    embedding: Var,
    /// `(kernel · dim, filters)`.
    conv: Var,
    conv_bias: Var,
    /// `(filters, 3)`.
    dense: Var,
    dense_bias: Var,
}

/// A batch of token-id sequences, padded to a common length (at least `kernel`).
struct Batch {
    ids: Tensor,
    /// `(batch, length, 1)`: 1 on words, 0 on padding.
    word_mask: Tensor,
    /// `(batch, windows, 1)`: 0 on windows that start in the text, −10⁴ elsewhere.
    window_mask: Tensor,
    batch: usize,
    length: usize,
}

fn batch_of(seqs: &[&[u32]], kernel: usize) -> candle_core::Result<Batch> {
    let length = seqs.iter().map(|s| s.len()).max().unwrap_or(0).max(kernel);
    let windows = length + 1 - kernel;
    let mut ids = Vec::with_capacity(seqs.len() * length);
    let mut word_mask = Vec::with_capacity(seqs.len() * length);
    let mut window_mask = Vec::with_capacity(seqs.len() * windows);
    for s in seqs {
        ids.extend(s.iter().copied());
        ids.extend(std::iter::repeat_n(PAD, length - s.len()));
        word_mask.extend((0..length).map(|p| if p < s.len() { 1f32 } else { 0.0 }));
        let valid = (s.len() + 1).saturating_sub(kernel).max(1);
        window_mask.extend((0..windows).map(|w| if w < valid { 0f32 } else { -1e4 }));
    }
    let n = seqs.len();
    Ok(Batch {
        ids: Tensor::from_vec(ids, n * length, &Device::Cpu)?,
        word_mask: Tensor::from_vec(word_mask, (n, length, 1), &Device::Cpu)?,
        window_mask: Tensor::from_vec(window_mask, (n, windows, 1), &Device::Cpu)?,
        batch: n,
        length,
    })
}

fn uniform(n: usize, bound: f32, rng: &mut ChaCha8Rng) -> Vec<f32> {
    (0..n).map(|_| rng.random_range(-bound..bound)).collect()
}

impl Cnn {
    pub fn new(vocabulary: Vocabulary, config: CnnConfig) -> Result<Cnn, CryptoError> {
        let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
        let rows = vocabulary.len() + 2;
        let (dim, filters, width) = (
            config.embedding_dim,
            config.filters,
            config.kernel * config.embedding_dim,
        );
        let var = |v: Vec<f32>, shape: (usize, usize)| -> Result<Var, CryptoError> {
            Ok(Var::from_tensor(&Tensor::from_vec(
                v,
                shape,
                &Device::Cpu,
            )?)?)
        };
        let embedding = var(uniform(rows * dim, 0.5, &mut rng), (rows, dim))?;
        let conv = var(
            uniform(width * filters, (6.0 / width as f32).sqrt(), &mut rng),
            (width, filters),
        )?;
        let dense = var(
            uniform(filters * 3, (6.0 / (filters + 3) as f32).sqrt(), &mut rng),
            (filters, 3),
        )?;
        Ok(Cnn {
            config,
            vocabulary,
            embedding,
            conv,
            conv_bias: Var::from_tensor(&Tensor::zeros(filters, DType::F32, &Device::Cpu)?)?,
            dense,
            dense_bias: Var::from_tensor(&Tensor::zeros(3, DType::F32, &Device::Cpu)?)?,
        })
    }

    fn vars(&self) -> Vec<Var> {
        vec![
            self.embedding.clone(),
            self.conv.clone(),
            self.conv_bias.clone(),
            self.dense.clone(),
            self.dense_bias.clone(),
        ]
    }

    /// The pooled filter activations `(batch, filters)`.
    fn pooled(&self, b: &Batch) -> candle_core::Result<Tensor> {
        let (dim, kernel) = (self.config.embedding_dim, self.config.kernel);
        let x = self
            .embedding
            .as_tensor()
            .index_select(&b.ids, 0)?
            .reshape((b.batch, b.length, dim))?
            .broadcast_mul(&b.word_mask)?;
        let windows = b.length + 1 - kernel;
        let parts: Vec<Tensor> = (0..kernel)
            .map(|k| x.narrow(1, k, windows))
            .collect::<candle_core::Result<_>>()?;
        let w = Tensor::cat(&parts, 2)?.reshape((b.batch * windows, kernel * dim))?;
        w.matmul(self.conv.as_tensor())?
            .broadcast_add(self.conv_bias.as_tensor())?
            .relu()?
            .reshape((b.batch, windows, self.config.filters))?
            .broadcast_add(&b.window_mask)?
            .max(1)
    }

    /// Logits `(batch, 3)`; with `dropout`, a seeded mask on the pooled features.
    fn logits(&self, b: &Batch, dropout: Option<&mut ChaCha8Rng>) -> candle_core::Result<Tensor> {
        let h = seeded_dropout(self.pooled(b)?, self.config.dropout, dropout)?;
        h.matmul(self.dense.as_tensor())?
            .broadcast_add(self.dense_bias.as_tensor())
    }

    /// Mean cross-entropy over `seqs` (no dropout), in batches.
    pub fn loss(&self, seqs: &[Vec<u32>], labels: &[usize]) -> Result<f64, CryptoError> {
        let mut total = 0.0;
        for (chunk, y) in seqs.chunks(256).zip(labels.chunks(256)) {
            let refs: Vec<&[u32]> = chunk.iter().map(Vec::as_slice).collect();
            let b = batch_of(&refs, self.config.kernel)?;
            let l = candle_nn::loss::cross_entropy(&self.logits(&b, None)?, &targets(y)?)?;
            total += f64::from(l.to_scalar::<f32>()?) * chunk.len() as f64;
        }
        Ok(total / seqs.len().max(1) as f64)
    }

    /// Class probabilities of `seqs` from the f32 weights.
    pub fn probabilities(&self, seqs: &[Vec<u32>]) -> Result<Vec<Vec<f32>>, CryptoError> {
        let mut out = Vec::with_capacity(seqs.len());
        for chunk in seqs.chunks(256) {
            let refs: Vec<&[u32]> = chunk.iter().map(Vec::as_slice).collect();
            let b = batch_of(&refs, self.config.kernel)?;
            let p = candle_nn::ops::softmax(&self.logits(&b, None)?, D::Minus1)?;
            out.extend(p.to_vec2::<f32>()?);
        }
        Ok(out)
    }

    /// Trains on (`seqs`, `labels`) and keeps the epoch with the lowest validation loss.
    pub fn fit(
        &self,
        seqs: &[Vec<u32>],
        labels: &[usize],
        validation: (&[Vec<u32>], &[usize]),
        on_epoch: impl FnMut(usize, f64, f64),
    ) -> Result<CnnHistory, CryptoError> {
        let c = self.config;
        train_loop(
            self.vars(),
            seqs.len(),
            LoopConfig {
                learning_rate: c.learning_rate,
                weight_decay: c.weight_decay,
                batch_size: c.batch_size,
                max_epochs: c.max_epochs,
                patience: c.patience,
                seed: c.seed,
            },
            |chunk, rng| {
                let refs: Vec<&[u32]> = chunk.iter().map(|i| seqs[*i].as_slice()).collect();
                let y: Vec<usize> = chunk.iter().map(|i| labels[*i]).collect();
                let b = batch_of(&refs, c.kernel)?;
                candle_nn::loss::cross_entropy(&self.logits(&b, Some(rng))?, &targets(&y)?)
            },
            || self.loss(validation.0, validation.1),
            on_epoch,
        )
    }

    /// Token ids of a tokenised text, as [`CnnSentiment::ids`] makes them.
    pub fn ids(&self, tokens: &[String]) -> Vec<u32> {
        tokens
            .iter()
            .take(self.config.max_tokens)
            .map(|t| {
                self.vocabulary
                    .index(t)
                    .map_or(mmi_text::sentiment::UNKNOWN, |i| i as u32 + 2)
            })
            .collect()
    }

    /// The browser's model: int8 embeddings, f32 convolution and dense layer.
    pub fn export(&self) -> Result<CnnSentiment, CryptoError> {
        let embedding = self.embedding.as_tensor().to_vec2::<f32>()?;
        let conv = self.conv.as_tensor().t()?.contiguous()?.flatten_all()?;
        let dense = self.dense.as_tensor().t()?.contiguous()?.flatten_all()?;
        let db = self.dense_bias.as_tensor().to_vec1::<f32>()?;
        let model = CnnSentiment {
            vocabulary: self.vocabulary.clone(),
            max_tokens: self.config.max_tokens as u32,
            kernel: self.config.kernel as u32,
            embedding: Int8Rows::from_dense(&embedding)
                .map_err(|e| CryptoError::Model(e.to_string()))?,
            conv: conv.to_vec1::<f32>()?,
            conv_bias: self.conv_bias.as_tensor().to_vec1::<f32>()?,
            dense: dense.to_vec1::<f32>()?,
            dense_bias: [db[0], db[1], db[2]],
        };
        model
            .check()
            .map_err(|e| CryptoError::Model(e.to_string()))?;
        Ok(model)
    }

    /// The f32 weights as safetensors.
    pub fn to_safetensors(&self) -> Result<Vec<u8>, CryptoError> {
        let map: HashMap<String, Tensor> = [
            ("embedding", &self.embedding),
            ("conv.weight", &self.conv),
            ("conv.bias", &self.conv_bias),
            ("dense.weight", &self.dense),
            ("dense.bias", &self.dense_bias),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.as_tensor().clone()))
        .collect();
        safetensors::serialize(&map, None).map_err(|e| CryptoError::Model(e.to_string()))
    }
}

fn targets(labels: &[usize]) -> candle_core::Result<Tensor> {
    let y: Vec<u32> = labels.iter().map(|c| *c as u32).collect();
    Tensor::from_vec(y, labels.len(), &Device::Cpu)
}

impl From<candle_core::Error> for CryptoError {
    fn from(e: candle_core::Error) -> Self {
        CryptoError::Model(format!("candle: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use mmi_text::sentiment::SentimentModel;

    use super::*;

    fn tiny() -> (Vocabulary, Vec<Vec<String>>, Vec<usize>) {
        let texts = [
            ("profit rose strongly", 2),
            ("sales grew", 2),
            ("loss widened sharply", 0),
            ("sales fell", 0),
            ("meeting held tuesday", 1),
            ("office moved", 1),
        ];
        let docs: Vec<Vec<String>> = texts.iter().map(|t| mmi_text::tokenize(t.0)).collect();
        let labels = texts.iter().map(|t| t.1).collect();
        (Vocabulary::fit(&docs, 1, 100), docs, labels)
    }

    fn config(max_epochs: usize) -> CnnConfig {
        CnnConfig {
            embedding_dim: 8,
            filters: 6,
            kernel: 2,
            max_tokens: 16,
            dropout: 0.0,
            learning_rate: 0.05,
            weight_decay: 0.0,
            batch_size: 6,
            max_epochs,
            patience: max_epochs,
            seed: 3,
        }
    }

    #[test]
    fn shapes_overfit_and_the_export_scores_alike() {
        let (vocab, docs, labels) = tiny();
        let cnn = Cnn::new(vocab, config(60)).expect("cnn");
        let seqs: Vec<Vec<u32>> = docs.iter().map(|d| cnn.ids(d)).collect();
        // Forward shape: one probability triple per text, summing to 1.
        let p = cnn.probabilities(&seqs).expect("forward");
        assert_eq!((p.len(), p[0].len()), (6, 3));
        assert!((p[0].iter().sum::<f32>() - 1.0).abs() < 1e-5);
        // The loss falls on this tiny fixed batch until it is learnt.
        let h = cnn
            .fit(&seqs, &labels, (&seqs, &labels), |_, _, _| {})
            .expect("fit");
        assert!(
            h.validation_loss[h.best_epoch] < 0.1 * h.validation_loss[0],
            "{:?}",
            h.validation_loss
        );
        let p = cnn.probabilities(&seqs).expect("forward");
        let predicted: Vec<usize> = p
            .iter()
            .map(|r| (0..3).max_by(|a, b| r[*a].total_cmp(&r[*b])).unwrap_or(1))
            .collect();
        assert_eq!(predicted, labels);
        // The exported (int8 embedding) model gives nearly the same probabilities.
        let exported = SentimentModel::Cnn(cnn.export().expect("export"));
        for (doc, p) in [
            "profit rose strongly",
            "loss widened sharply",
            "office moved",
        ]
        .iter()
        .zip([&p[0], &p[2], &p[5]])
        {
            let s = exported.score(doc);
            for c in 0..3 {
                assert!(
                    (s.probabilities[c] - p[c]).abs() < 0.05,
                    "{doc}: {s:?} vs {p:?}"
                );
            }
        }
        // Seeded: a second network with the same seed trains to the same weights.
        let again = Cnn::new(tiny().0, config(60)).expect("cnn");
        again
            .fit(&seqs, &labels, (&seqs, &labels), |_, _, _| {})
            .expect("fit");
        assert_eq!(again.probabilities(&seqs).expect("p"), p);
        assert!(!cnn.to_safetensors().expect("safetensors").is_empty());
    }
}
