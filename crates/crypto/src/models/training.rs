//! What the crate's candle networks (the sentiment CNN, the recurrent forecasters) share: seeded
//! dropout masks, and the training loop: AdamW over shuffled mini-batches, a validation loss after
//! every epoch, early stopping with the best epoch's weights restored. Every random draw (batch
//! order, dropout) comes from one ChaCha generator seeded from the config, so a seed gives the
//! same network on every machine.

use candle_core::{Device, Tensor, Var};
use candle_nn::optim::{AdamW, Optimizer, ParamsAdamW};
use rand09::seq::SliceRandom;
use rand09::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::CryptoError;

/// Loss per epoch; the weights of `best_epoch` are the ones kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochHistory {
    pub train_loss: Vec<f64>,
    pub validation_loss: Vec<f64>,
    pub best_epoch: usize,
    pub seconds: f64,
}

/// The optimiser and stopping settings of a training.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoopConfig {
    pub learning_rate: f64,
    pub weight_decay: f64,
    pub batch_size: usize,
    pub max_epochs: usize,
    /// Epochs without a better validation loss before stopping.
    pub patience: usize,
    pub seed: u64,
}

/// Inverted dropout with a mask drawn from `rng`; without a generator (scoring) the identity.
pub fn seeded_dropout(
    h: Tensor,
    p: f32,
    rng: Option<&mut ChaCha8Rng>,
) -> candle_core::Result<Tensor> {
    let Some(rng) = rng else {
        return Ok(h);
    };
    if p <= 0.0 {
        return Ok(h);
    }
    let keep = 1.0 - p;
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
    h * mask
}

/// Trains `vars` on `n` samples: `batch_loss` gets a batch's sample indices (and the generator,
/// for dropout) and returns the mean loss to minimise; `validation` scores the current weights.
pub fn train_loop(
    vars: Vec<Var>,
    n: usize,
    config: LoopConfig,
    mut batch_loss: impl FnMut(&[usize], &mut ChaCha8Rng) -> candle_core::Result<Tensor>,
    mut validation: impl FnMut() -> Result<f64, CryptoError>,
    mut on_epoch: impl FnMut(usize, f64, f64),
) -> Result<EpochHistory, CryptoError> {
    let started = std::time::Instant::now();
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed ^ 0x5eed);
    let mut opt = AdamW::new(
        vars.clone(),
        ParamsAdamW {
            lr: config.learning_rate,
            weight_decay: config.weight_decay,
            ..ParamsAdamW::default()
        },
    )?;
    let snapshot = |vars: &[Var]| -> candle_core::Result<Vec<Tensor>> {
        vars.iter().map(|v| v.as_tensor().copy()).collect()
    };
    let mut order: Vec<usize> = (0..n).collect();
    let mut history = EpochHistory {
        train_loss: Vec::new(),
        validation_loss: Vec::new(),
        best_epoch: 0,
        seconds: 0.0,
    };
    let mut best = (f64::INFINITY, snapshot(&vars)?);
    for epoch in 0..config.max_epochs {
        order.shuffle(&mut rng);
        let mut total = 0.0;
        for chunk in order.chunks(config.batch_size.max(1)) {
            let loss = batch_loss(chunk, &mut rng)?;
            opt.backward_step(&loss)?;
            total += f64::from(loss.to_scalar::<f32>()?) * chunk.len() as f64;
        }
        let train = total / n.max(1) as f64;
        let val = validation()?;
        history.train_loss.push(train);
        history.validation_loss.push(val);
        on_epoch(epoch, train, val);
        if val < best.0 {
            best = (val, snapshot(&vars)?);
            history.best_epoch = epoch;
        } else if epoch - history.best_epoch >= config.patience {
            break;
        }
    }
    for (v, t) in vars.iter().zip(&best.1) {
        v.set(t)?;
    }
    history.seconds = started.elapsed().as_secs_f64();
    Ok(history)
}
