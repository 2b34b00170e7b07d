//! A stacked LSTM (or GRU) over windows of daily features with two heads: the next day's log
//! return (standardised, squared error) and its direction (a logit, binary cross-entropy), trained
//! together in candle with AdamW and early stopping on a validation period, everything random
//! (weights, batch order, dropout masks) drawn from one seeded ChaCha generator.
//!
//! The cells are written out with candle's tensor operations (no `VarBuilder`), so the
//! initialisation is seeded and the weights' names are ours in the safetensors file.

use std::collections::HashMap;

use candle_core::{DType, Device, Tensor, Var};
use rand09::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

pub use super::training::EpochHistory;
use super::training::{seeded_dropout, train_loop, LoopConfig};
use crate::CryptoError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cell {
    Lstm,
    Gru,
}

impl Cell {
    pub fn name(self) -> &'static str {
        match self {
            Cell::Lstm => "lstm",
            Cell::Gru => "gru",
        }
    }

    fn gates(self) -> usize {
        match self {
            Cell::Lstm => 4,
            Cell::Gru => 3,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RecurrentConfig {
    pub cell: Cell,
    /// Days per input window (the last one is the feature day).
    pub window: usize,
    pub hidden: usize,
    pub layers: usize,
    /// Dropout between layers and before the heads (training only).
    pub dropout: f32,
    pub learning_rate: f64,
    pub weight_decay: f64,
    pub batch_size: usize,
    pub max_epochs: usize,
    pub patience: usize,
    pub seed: u64,
}

impl RecurrentConfig {
    pub fn describe(&self) -> Vec<(&'static str, String)> {
        vec![
            ("cell", self.cell.name().to_string()),
            ("window_days", self.window.to_string()),
            ("hidden", self.hidden.to_string()),
            ("layers", self.layers.to_string()),
            ("dropout", self.dropout.to_string()),
            ("learning_rate", self.learning_rate.to_string()),
            ("max_epochs", self.max_epochs.to_string()),
        ]
    }
}

/// Inputs `(n, window, features)` row-major, and the two targets.
pub struct Sequences {
    pub x: Vec<f32>,
    pub n: usize,
    pub window: usize,
    pub features: usize,
    /// Standardised next-day log return.
    pub y_return: Vec<f32>,
    pub y_up: Vec<f32>,
}

impl Sequences {
    fn batch(&self, idx: &[usize]) -> candle_core::Result<(Tensor, Tensor, Tensor)> {
        let width = self.window * self.features;
        let mut x = Vec::with_capacity(idx.len() * width);
        for &i in idx {
            x.extend_from_slice(&self.x[i * width..(i + 1) * width]);
        }
        let pick = |v: &[f32]| idx.iter().map(|&i| v[i]).collect::<Vec<f32>>();
        Ok((
            Tensor::from_vec(x, (idx.len(), self.window, self.features), &Device::Cpu)?,
            Tensor::from_vec(pick(&self.y_return), idx.len(), &Device::Cpu)?,
            Tensor::from_vec(pick(&self.y_up), idx.len(), &Device::Cpu)?,
        ))
    }
}

struct Layer {
    w_ih: Var,
    w_hh: Var,
    b_ih: Var,
    b_hh: Var,
}

pub struct Recurrent {
    pub config: RecurrentConfig,
    pub features: usize,
    layers: Vec<Layer>,
    /// `(hidden, 2)`: column 0 the return, column 1 the up logit.
    head: Var,
    head_bias: Var,
}

fn sigmoid(x: &Tensor) -> candle_core::Result<Tensor> {
    (x.neg()?.exp()? + 1.0)?.recip()
}

impl Recurrent {
    pub fn new(features: usize, config: RecurrentConfig) -> Result<Recurrent, CryptoError> {
        let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
        let (h, g) = (config.hidden, config.cell.gates());
        // PyTorch's initialisation: U(−1/√h, 1/√h) for every weight and bias.
        let bound = 1.0 / (h as f32).sqrt();
        let mut var = |rows: usize, cols: usize| -> Result<Var, CryptoError> {
            let v: Vec<f32> = (0..rows * cols)
                .map(|_| rng.random_range(-bound..bound))
                .collect();
            let t = Tensor::from_vec(v, (rows, cols), &Device::Cpu)?;
            Ok(Var::from_tensor(&if rows == 1 {
                t.squeeze(0)?
            } else {
                t
            })?)
        };
        let mut layers = Vec::with_capacity(config.layers);
        for l in 0..config.layers {
            let inputs = if l == 0 { features } else { h };
            layers.push(Layer {
                w_ih: var(inputs, g * h)?,
                w_hh: var(h, g * h)?,
                b_ih: var(1, g * h)?,
                b_hh: var(1, g * h)?,
            });
        }
        Ok(Recurrent {
            config,
            features,
            layers,
            head: var(h, 2)?,
            head_bias: var(1, 2)?,
        })
    }

    fn vars(&self) -> Vec<Var> {
        let mut v: Vec<Var> = self
            .layers
            .iter()
            .flat_map(|l| {
                [
                    l.w_ih.clone(),
                    l.w_hh.clone(),
                    l.b_ih.clone(),
                    l.b_hh.clone(),
                ]
            })
            .collect();
        v.push(self.head.clone());
        v.push(self.head_bias.clone());
        v
    }

    /// `(batch, 2)`: the standardised return and the up logit of each window.
    fn forward(&self, x: &Tensor, mut rng: Option<&mut ChaCha8Rng>) -> candle_core::Result<Tensor> {
        let (b, w, _) = x.dims3()?;
        let h_size = self.config.hidden;
        let mut input = x.clone();
        let mut last = Tensor::zeros((b, h_size), DType::F32, &Device::Cpu)?;
        for (l, layer) in self.layers.iter().enumerate() {
            let inputs = input.dim(2)?;
            // The input part of every gate for every step in one product.
            let xw = input
                .reshape((b * w, inputs))?
                .matmul(layer.w_ih.as_tensor())?
                .broadcast_add(layer.b_ih.as_tensor())?
                .reshape((b, w, self.config.cell.gates() * h_size))?;
            let mut h = Tensor::zeros((b, h_size), DType::F32, &Device::Cpu)?;
            let mut c = Tensor::zeros((b, h_size), DType::F32, &Device::Cpu)?;
            let mut outputs = Vec::with_capacity(w);
            for t in 0..w {
                let gx = xw.narrow(1, t, 1)?.squeeze(1)?;
                let gh = h
                    .matmul(layer.w_hh.as_tensor())?
                    .broadcast_add(layer.b_hh.as_tensor())?;
                let chunk = |g: &Tensor, k: usize| g.narrow(1, k * h_size, h_size);
                match self.config.cell {
                    Cell::Lstm => {
                        let gates = (gx + gh)?;
                        let i = sigmoid(&chunk(&gates, 0)?)?;
                        let f = sigmoid(&chunk(&gates, 1)?)?;
                        let g = chunk(&gates, 2)?.tanh()?;
                        let o = sigmoid(&chunk(&gates, 3)?)?;
                        c = ((f * c)? + (i * g)?)?;
                        h = (o * c.tanh()?)?;
                    }
                    Cell::Gru => {
                        let r = sigmoid(&(chunk(&gx, 0)? + chunk(&gh, 0)?)?)?;
                        let z = sigmoid(&(chunk(&gx, 1)? + chunk(&gh, 1)?)?)?;
                        let n = (chunk(&gx, 2)? + (r * chunk(&gh, 2)?)?)?.tanh()?;
                        // h' = (1 − z)·n + z·h = n + z·(h − n)
                        h = (&n + (z * (h - &n)?)?)?;
                    }
                }
                outputs.push(h.clone());
            }
            last = h;
            if l + 1 < self.layers.len() {
                let stacked = Tensor::stack(&outputs, 1)?;
                input = seeded_dropout(stacked, self.config.dropout, rng.as_deref_mut())?;
            }
        }
        let last = seeded_dropout(last, self.config.dropout, rng)?;
        last.matmul(self.head.as_tensor())?
            .broadcast_add(self.head_bias.as_tensor())
    }

    /// Squared error of the return plus cross-entropy of the direction, both means.
    fn loss(out: &Tensor, y_return: &Tensor, y_up: &Tensor) -> candle_core::Result<Tensor> {
        let r = out.narrow(1, 0, 1)?.squeeze(1)?;
        let z = out.narrow(1, 1, 1)?.squeeze(1)?;
        let mse = (r - y_return)?.sqr()?.mean_all()?;
        // max(z, 0) − z·y + ln(1 + e^(−|z|))
        let soft = z.abs()?.neg()?.exp()?.affine(1.0, 1.0)?.log()?;
        let bce = (z.relu()? - (&z * y_up)?)?.add(&soft)?.mean_all()?;
        mse + bce
    }

    /// Mean loss over `data` (no dropout).
    pub fn evaluate(&self, data: &Sequences) -> Result<f64, CryptoError> {
        let idx: Vec<usize> = (0..data.n).collect();
        let mut total = 0.0;
        for chunk in idx.chunks(1024) {
            let (x, yr, yu) = data.batch(chunk)?;
            let l = Self::loss(&self.forward(&x, None)?, &yr, &yu)?;
            total += f64::from(l.to_scalar::<f32>()?) * chunk.len() as f64;
        }
        Ok(total / data.n.max(1) as f64)
    }

    /// `(standardised return, probability of up)` of each window.
    pub fn predict(&self, data: &Sequences) -> Result<Vec<(f64, f64)>, CryptoError> {
        let idx: Vec<usize> = (0..data.n).collect();
        let mut out = Vec::with_capacity(data.n);
        for chunk in idx.chunks(1024) {
            let (x, _, _) = data.batch(chunk)?;
            let o = self.forward(&x, None)?;
            let r = o.narrow(1, 0, 1)?.squeeze(1)?.to_vec1::<f32>()?;
            let p = sigmoid(&o.narrow(1, 1, 1)?.squeeze(1)?)?.to_vec1::<f32>()?;
            out.extend(
                r.into_iter()
                    .zip(p)
                    .map(|(r, p)| (f64::from(r), f64::from(p))),
            );
        }
        Ok(out)
    }

    /// Trains on `train`, keeping the epoch with the lowest loss on `validation`.
    pub fn fit(
        &self,
        train: &Sequences,
        validation: &Sequences,
        on_epoch: impl FnMut(usize, f64, f64),
    ) -> Result<EpochHistory, CryptoError> {
        let c = self.config;
        train_loop(
            self.vars(),
            train.n,
            LoopConfig {
                learning_rate: c.learning_rate,
                weight_decay: c.weight_decay,
                batch_size: c.batch_size,
                max_epochs: c.max_epochs,
                patience: c.patience,
                seed: c.seed,
            },
            |chunk, rng| {
                let (x, yr, yu) = train.batch(chunk)?;
                Self::loss(&self.forward(&x, Some(rng))?, &yr, &yu)
            },
            || self.evaluate(validation),
            on_epoch,
        )
    }

    pub fn to_safetensors(&self) -> Result<Vec<u8>, CryptoError> {
        let mut map: HashMap<String, Tensor> = HashMap::new();
        for (l, layer) in self.layers.iter().enumerate() {
            map.insert(format!("layer{l}.w_ih"), layer.w_ih.as_tensor().clone());
            map.insert(format!("layer{l}.w_hh"), layer.w_hh.as_tensor().clone());
            map.insert(format!("layer{l}.b_ih"), layer.b_ih.as_tensor().clone());
            map.insert(format!("layer{l}.b_hh"), layer.b_hh.as_tensor().clone());
        }
        map.insert("head.weight".into(), self.head.as_tensor().clone());
        map.insert("head.bias".into(), self.head_bias.as_tensor().clone());
        safetensors::serialize(&map, None).map_err(|e| CryptoError::Model(e.to_string()))
    }

    /// Loads weights saved by [`Recurrent::to_safetensors`] into a network of `config`.
    pub fn from_safetensors(
        bytes: &[u8],
        features: usize,
        config: RecurrentConfig,
    ) -> Result<Recurrent, CryptoError> {
        let net = Recurrent::new(features, config)?;
        let map = candle_core::safetensors::load_buffer(bytes, &Device::Cpu)?;
        let get = |k: &str| {
            map.get(k)
                .ok_or_else(|| CryptoError::Model(format!("weights without {k}")))
        };
        for (l, layer) in net.layers.iter().enumerate() {
            layer.w_ih.set(get(&format!("layer{l}.w_ih"))?)?;
            layer.w_hh.set(get(&format!("layer{l}.w_hh"))?)?;
            layer.b_ih.set(get(&format!("layer{l}.b_ih"))?)?;
            layer.b_hh.set(get(&format!("layer{l}.b_hh"))?)?;
        }
        net.head.set(get("head.weight")?)?;
        net.head_bias.set(get("head.bias")?)?;
        Ok(net)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(cell: Cell) -> RecurrentConfig {
        RecurrentConfig {
            cell,
            window: 4,
            hidden: 8,
            layers: 2,
            dropout: 0.0,
            learning_rate: 0.02,
            weight_decay: 0.0,
            batch_size: 16,
            max_epochs: 150,
            patience: 150,
            seed: 5,
        }
    }

    /// 16 windows of 4 days × 3 features; the return is the sum of the first feature over the
    /// window, up when it is positive: learnable only by reading the whole sequence.
    fn tiny() -> Sequences {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let (n, w, f) = (16, 4, 3);
        let x: Vec<f32> = (0..n * w * f)
            .map(|_| rng.random_range(-1.0..1.0))
            .collect();
        let y_return: Vec<f32> = (0..n)
            .map(|i| (0..w).map(|t| x[(i * w + t) * f]).sum())
            .collect();
        let y_up = y_return
            .iter()
            .map(|r| f32::from(u8::from(*r > 0.0)))
            .collect();
        Sequences {
            x,
            n,
            window: w,
            features: f,
            y_return,
            y_up,
        }
    }

    #[test]
    fn forward_shapes_overfit_and_round_trip() {
        for cell in [Cell::Lstm, Cell::Gru] {
            let data = tiny();
            let net = Recurrent::new(3, config(cell)).expect("net");
            let (x, _, _) = data.batch(&[0, 1, 2]).expect("batch");
            assert_eq!(net.forward(&x, None).expect("forward").dims(), &[3, 2]);
            let before = net.evaluate(&data).expect("loss");
            let h = net.fit(&data, &data, |_, _, _| {}).expect("fit");
            let after = net.evaluate(&data).expect("loss");
            // The loss falls on this tiny fixed batch.
            assert!(after < 0.3 * before, "{}: {before} → {after}", cell.name());
            assert!(h.train_loss[0] > h.train_loss[h.best_epoch]);
            let p = net.predict(&data).expect("predict");
            let right = p
                .iter()
                .zip(&data.y_up)
                .filter(|((_, prob), up)| (*prob >= 0.5) == (**up > 0.5))
                .count();
            assert!(right >= 14, "{}: {right} of 16", cell.name());
            // Saved and loaded, the same outputs; the same seed, the same network.
            let loaded =
                Recurrent::from_safetensors(&net.to_safetensors().expect("save"), 3, config(cell))
                    .expect("load");
            assert_eq!(loaded.predict(&data).expect("p"), p);
            let again = Recurrent::new(3, config(cell)).expect("net");
            again.fit(&data, &data, |_, _, _| {}).expect("fit");
            assert_eq!(again.predict(&data).expect("p"), p);
        }
    }
}
