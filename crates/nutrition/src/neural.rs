//! A small multilayer perceptron in candle, seeded end to end (weights, batch order and dropout
//! masks all come from one ChaCha generator, so a seed gives the same network on every machine),
//! trained with Adam and early stopping on a validation set; weights in safetensors.
//!
//! Used by the diet-label network (sigmoid outputs, [`bce_with_logits`]) and the food
//! autoencoder (masked reconstruction).

use std::collections::HashMap;

use candle_core::{DType, Device, Tensor, Var};
use candle_nn::optim::{AdamW, Optimizer, ParamsAdamW};
use ndarray::Array2;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::NutritionError;

/// A fully connected layer `x · w + b`.
pub struct Dense {
    pub w: Var,
    pub b: Var,
}

impl Dense {
    /// He-uniform weights (bound √(6 / inputs), for ReLU), zero biases.
    fn new(inputs: usize, outputs: usize, rng: &mut ChaCha8Rng) -> Result<Dense, NutritionError> {
        let bound = (6.0 / inputs as f64).sqrt() as f32;
        let w: Vec<f32> = (0..inputs * outputs)
            .map(|_| rng.random_range(-bound..bound))
            .collect();
        Ok(Dense {
            w: Var::from_tensor(&Tensor::from_vec(w, (inputs, outputs), &Device::Cpu)?)?,
            b: Var::from_tensor(&Tensor::zeros(outputs, DType::F32, &Device::Cpu)?)?,
        })
    }

    fn forward(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        x.matmul(self.w.as_tensor())?
            .broadcast_add(self.b.as_tensor())
    }
}

/// Layer sizes, hidden activations ReLU, the last layer linear (logits or values).
pub struct Mlp {
    pub sizes: Vec<usize>,
    pub layers: Vec<Dense>,
    /// A hidden layer left linear: an autoencoder's bottleneck (its embedding).
    pub linear_hidden: Option<usize>,
}

/// Training settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FitConfig {
    pub max_epochs: usize,
    pub batch_size: usize,
    pub learning_rate: f64,
    pub weight_decay: f64,
    /// Stop after this many epochs without a better validation loss; the best weights are kept.
    pub patience: usize,
    /// Dropout probability after every hidden layer (training only).
    pub dropout: f32,
    pub seed: u64,
}

/// Loss per epoch and the epoch whose weights were kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct History {
    pub train_loss: Vec<f64>,
    pub validation_loss: Vec<f64>,
    pub best_epoch: usize,
    pub seconds: f64,
}

/// A loss of (network output, target rows) as a scalar tensor.
pub type Loss = dyn Fn(&Tensor, &Tensor) -> candle_core::Result<Tensor>;

/// Mean binary cross-entropy of logits `z` against 0/1 targets `y`, in the stable form
/// `max(z, 0) − z·y + ln(1 + e^(−|z|))` (as PyTorch's `BCEWithLogitsLoss`).
pub fn bce_with_logits(z: &Tensor, y: &Tensor) -> candle_core::Result<Tensor> {
    let soft = z.abs()?.neg()?.exp()?.affine(1.0, 1.0)?.log()?;
    (z.relu()? - (z * y)?)?.add(&soft)?.mean_all()
}

/// Row-major f32 tensor of a matrix.
pub fn tensor(x: &Array2<f64>) -> Result<Tensor, NutritionError> {
    let v: Vec<f32> = x.iter().map(|v| *v as f32).collect();
    Ok(Tensor::from_vec(v, (x.nrows(), x.ncols()), &Device::Cpu)?)
}

impl Mlp {
    pub fn new(sizes: &[usize], seed: u64) -> Result<Mlp, NutritionError> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let layers = sizes
            .windows(2)
            .map(|w| Dense::new(w[0], w[1], &mut rng))
            .collect::<Result<_, _>>()?;
        Ok(Mlp {
            sizes: sizes.to_vec(),
            layers,
            linear_hidden: None,
        })
    }

    pub(crate) fn vars(&self) -> Vec<Var> {
        self.layers
            .iter()
            .flat_map(|l| [l.w.clone(), l.b.clone()])
            .collect()
    }

    /// The output of `x`, with dropout masks drawn from `rng` when training.
    pub fn forward_train(
        &self,
        x: &Tensor,
        dropout: Option<(f32, &mut ChaCha8Rng)>,
    ) -> candle_core::Result<Tensor> {
        let mut h = x.clone();
        let mut dropout = dropout;
        let last = self.layers.len() - 1;
        for (i, layer) in self.layers.iter().enumerate() {
            h = layer.forward(&h)?;
            if i < last && self.linear_hidden != Some(i) {
                h = h.relu()?;
                if let Some((p, rng)) = dropout.as_mut() {
                    if *p > 0.0 {
                        let keep = 1.0 - *p;
                        let mask: Vec<f32> = (0..h.elem_count())
                            .map(|_| {
                                if rng.random::<f32>() < keep {
                                    1.0 / keep
                                } else {
                                    0.0
                                }
                            })
                            .collect();
                        let mask = Tensor::from_vec(mask, h.shape(), &Device::Cpu)?;
                        h = (h * mask)?;
                    }
                }
            }
        }
        Ok(h)
    }

    /// The output of `x` (no dropout).
    pub fn forward(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        self.forward_train(x, None)
    }

    /// The activations of hidden layer `depth` (1 = after the first layer), for embeddings.
    pub fn hidden(&self, x: &Tensor, depth: usize) -> candle_core::Result<Tensor> {
        let mut h = x.clone();
        for (i, layer) in self.layers.iter().take(depth).enumerate() {
            h = layer.forward(&h)?;
            if self.linear_hidden != Some(i) {
                h = h.relu()?;
            }
        }
        Ok(h)
    }

    pub(crate) fn snapshot(&self) -> candle_core::Result<Vec<Tensor>> {
        self.vars().iter().map(|v| v.as_tensor().copy()).collect()
    }

    pub(crate) fn restore(&self, saved: &[Tensor]) -> candle_core::Result<()> {
        for (v, t) in self.vars().iter().zip(saved) {
            v.set(t)?;
        }
        Ok(())
    }

    /// Trains on (`x`, `y`) with Adam(W), mini-batches in a seeded order, and keeps the weights of
    /// the epoch with the lowest loss on (`x_val`, `y_val`).
    pub fn fit(
        &self,
        x: &Tensor,
        y: &Tensor,
        x_val: &Tensor,
        y_val: &Tensor,
        loss: &Loss,
        config: &FitConfig,
        mut on_epoch: impl FnMut(usize, f64, f64),
    ) -> Result<History, NutritionError> {
        let started = std::time::Instant::now();
        let mut rng = ChaCha8Rng::seed_from_u64(config.seed ^ 0x5eed);
        let mut opt = AdamW::new(
            self.vars(),
            ParamsAdamW {
                lr: config.learning_rate,
                weight_decay: config.weight_decay,
                ..ParamsAdamW::default()
            },
        )?;
        let n = x.dim(0)?;
        let mut order: Vec<u32> = (0..n as u32).collect();
        let mut history = History {
            train_loss: Vec::new(),
            validation_loss: Vec::new(),
            best_epoch: 0,
            seconds: 0.0,
        };
        let mut best = (f64::INFINITY, self.snapshot()?);
        for epoch in 0..config.max_epochs {
            order.shuffle(&mut rng);
            let mut total = 0.0;
            for batch in order.chunks(config.batch_size.max(1)) {
                let idx = Tensor::from_slice(batch, batch.len(), &Device::Cpu)?;
                let (xb, yb) = (x.index_select(&idx, 0)?, y.index_select(&idx, 0)?);
                let out = self.forward_train(&xb, Some((config.dropout, &mut rng)))?;
                let l = loss(&out, &yb)?;
                opt.backward_step(&l)?;
                total += f64::from(l.to_scalar::<f32>()?) * batch.len() as f64;
            }
            let train = total / n as f64;
            let val = f64::from(loss(&self.forward(x_val)?, y_val)?.to_scalar::<f32>()?);
            history.train_loss.push(train);
            history.validation_loss.push(val);
            on_epoch(epoch, train, val);
            if val < best.0 {
                best = (val, self.snapshot()?);
                history.best_epoch = epoch;
            } else if epoch - history.best_epoch >= config.patience {
                break;
            }
        }
        self.restore(&best.1)?;
        history.seconds = started.elapsed().as_secs_f64();
        Ok(history)
    }

    /// The weights as safetensors bytes (`layer{i}.weight`, `layer{i}.bias`).
    pub fn to_safetensors(&self) -> Result<Vec<u8>, NutritionError> {
        let mut map: HashMap<String, Tensor> = HashMap::new();
        for (i, l) in self.layers.iter().enumerate() {
            map.insert(format!("layer{i}.weight"), l.w.as_tensor().clone());
            map.insert(format!("layer{i}.bias"), l.b.as_tensor().clone());
        }
        safetensors::serialize(&map, None).map_err(|e| NutritionError::Model(e.to_string()))
    }

    /// The network saved by [`Mlp::to_safetensors`].
    pub fn from_safetensors(bytes: &[u8]) -> Result<Mlp, NutritionError> {
        let map = candle_core::safetensors::load_buffer(bytes, &Device::Cpu)?;
        let mut layers = Vec::new();
        let mut sizes = Vec::new();
        while let (Some(w), Some(b)) = (
            map.get(&format!("layer{}.weight", layers.len())),
            map.get(&format!("layer{}.bias", layers.len())),
        ) {
            let (inputs, outputs) = w.dims2()?;
            if sizes.is_empty() {
                sizes.push(inputs);
            }
            sizes.push(outputs);
            layers.push(Dense {
                w: Var::from_tensor(w)?,
                b: Var::from_tensor(b)?,
            });
        }
        if layers.is_empty() {
            return Err(NutritionError::Model("no layers in the weights".into()));
        }
        Ok(Mlp {
            sizes,
            layers,
            linear_hidden: None,
        })
    }

    /// Outputs of `x` as rows.
    pub fn predict(&self, x: &Array2<f64>) -> Result<Vec<Vec<f32>>, NutritionError> {
        Ok(self.forward(&tensor(x)?)?.to_vec2::<f32>()?)
    }
}

#[cfg(test)]
mod tests {
    use approx::assert_relative_eq;

    use super::*;

    #[test]
    fn bce_with_logits_by_hand() {
        let z = Tensor::new(&[[2.0f32, -1.0]], &Device::Cpu).expect("z");
        let y = Tensor::new(&[[1.0f32, 1.0]], &Device::Cpu).expect("y");
        // −ln σ(2) = ln(1 + e^−2) = 0.126928; −ln σ(−1) = ln(1 + e) = 1.313262.
        let l = bce_with_logits(&z, &y)
            .and_then(|l| l.to_scalar::<f32>())
            .expect("loss");
        assert_relative_eq!(f64::from(l), (0.126928 + 1.313262) / 2.0, epsilon = 1e-5);
        // Large logits stay finite.
        let z = Tensor::new(&[[200.0f32, -200.0]], &Device::Cpu).expect("z");
        let l = bce_with_logits(&z, &y)
            .and_then(|l| l.to_scalar::<f32>())
            .expect("loss");
        assert_relative_eq!(f64::from(l), 100.0, epsilon = 1e-3);
    }

    #[test]
    fn learns_xor_seeded_and_round_trips() {
        let x = ndarray::array![[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
        let y = ndarray::array![[0.0], [1.0], [1.0], [0.0]];
        let config = FitConfig {
            max_epochs: 600,
            batch_size: 4,
            learning_rate: 0.05,
            weight_decay: 0.0,
            patience: 600,
            dropout: 0.0,
            seed: 7,
        };
        let train = |seed| {
            let mlp = Mlp::new(&[2, 8, 1], seed).expect("mlp");
            let (xt, yt) = (tensor(&x).expect("x"), tensor(&y).expect("y"));
            let h = mlp
                .fit(&xt, &yt, &xt, &yt, &bce_with_logits, &config, |_, _, _| {})
                .expect("fit");
            (mlp, h)
        };
        let (mlp, h) = train(7);
        assert!(
            h.validation_loss[h.best_epoch] < 0.1,
            "{:?}",
            h.validation_loss.last()
        );
        assert!(h.train_loss[0] > h.train_loss[h.best_epoch]);
        let out = mlp.predict(&x).expect("predict");
        let up: Vec<bool> = out.iter().map(|r| r[0] > 0.0).collect();
        assert_eq!(up, vec![false, true, true, false]);
        // Same seed, same weights; saved and loaded, same outputs.
        let (again, _) = train(7);
        assert_eq!(again.predict(&x).expect("p"), out);
        let loaded = Mlp::from_safetensors(&mlp.to_safetensors().expect("save")).expect("load");
        assert_eq!(loaded.sizes, vec![2, 8, 1]);
        assert_eq!(loaded.predict(&x).expect("p"), out);
    }
}
