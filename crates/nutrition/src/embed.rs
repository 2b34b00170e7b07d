//! Food embeddings learnt in candle: an autoencoder of the normalised nutrient profile
//! (46 → 64 → 16 → 64 → 46, the 16-wide bottleneck linear) whose reconstruction loss counts only
//! the nutrients USDA measured (a missing value is neither a target nor a zero), plus a triplet
//! term on the unit-length codes that pulls a food towards another of its USDA group and away
//! from a food of another group (cosine distance, margin 0.2).
//!
//! Evaluation on foods the network never saw: their five nearest neighbours by embedding should
//! share their group and have similar macro shares, measured beside the same search on the
//! normalised nutrient profile itself and beside five random foods. The table is exported as
//! int8 rows with per-row scales ([`mmi_rank::QuantizedTable`]); its top-5 is compared with the
//! f32 one.

use candle_core::{Device, Tensor, D};
use candle_nn::optim::{AdamW, Optimizer, ParamsAdamW};
use mmi_rank::QuantizedTable;
use mmi_types::NeighbourQuality;
use ndarray::Array2;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::neural::{tensor, FitConfig, History, Mlp};
use crate::NutritionError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmbedParams {
    pub dim: usize,
    pub hidden: usize,
    /// Weight of the triplet term against the reconstruction.
    pub triplet_weight: f64,
    /// Triplet weights tried; the one whose validation foods find the most same-group
    /// neighbours is kept.
    pub triplet_grid: Vec<f64>,
    pub margin: f64,
    pub fit: FitConfig,
}

impl EmbedParams {
    pub fn full(seed: u64) -> Self {
        EmbedParams {
            dim: 16,
            hidden: 64,
            triplet_weight: 1.0,
            triplet_grid: vec![0.3, 1.0, 3.0],
            margin: 0.2,
            fit: FitConfig {
                max_epochs: 200,
                batch_size: 128,
                learning_rate: 2e-3,
                weight_decay: 1e-5,
                patience: 15,
                dropout: 0.0,
                seed,
            },
        }
    }

    pub fn quick(seed: u64) -> Self {
        let full = EmbedParams::full(seed);
        EmbedParams {
            triplet_grid: vec![1.0],
            fit: FitConfig {
                max_epochs: 25,
                patience: 5,
                ..full.fit
            },
            ..full
        }
    }
}

/// For each anchor, a random other food of its group (itself if it is alone) and a random food
/// of another group, both from `pool`.
fn triplets(
    anchors: &[usize],
    pool: &[usize],
    groups: &[usize],
    rng: &mut ChaCha8Rng,
) -> (Vec<u32>, Vec<u32>) {
    let mut by_group: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for &i in pool {
        by_group.entry(groups[i]).or_default().push(i);
    }
    let mut pos = Vec::with_capacity(anchors.len());
    let mut neg = Vec::with_capacity(anchors.len());
    for &a in anchors {
        let same = by_group.get(&groups[a]).map_or(&[][..], Vec::as_slice);
        let p = if same.len() > 1 {
            loop {
                let c = same[rng.random_range(0..same.len())];
                if c != a {
                    break c;
                }
            }
        } else {
            a
        };
        let n = loop {
            let c = pool[rng.random_range(0..pool.len())];
            if groups[c] != groups[a] || pool.len() == same.len() {
                break c;
            }
        };
        pos.push(p as u32);
        neg.push(n as u32);
    }
    (pos, neg)
}

fn unit(x: &Tensor) -> candle_core::Result<Tensor> {
    let norm = x.sqr()?.sum_keepdim(D::Minus1)?.sqrt()?.affine(1.0, 1e-8)?;
    x.broadcast_div(&norm)
}

/// Masked reconstruction + weighted triplet loss of the rows `anchors` of (`x`, `mask`).
fn loss(
    mlp: &Mlp,
    x: &Tensor,
    mask: &Tensor,
    anchors: &[u32],
    pos: &[u32],
    neg: &[u32],
    params: &EmbedParams,
    dropout: Option<&mut ChaCha8Rng>,
) -> candle_core::Result<Tensor> {
    let idx = |v: &[u32]| Tensor::from_slice(v, v.len(), &Device::Cpu);
    let (xa, ma) = (
        x.index_select(&idx(anchors)?, 0)?,
        mask.index_select(&idx(anchors)?, 0)?,
    );
    let out = mlp.forward_train(&xa, dropout.map(|r| (params.fit.dropout, r)))?;
    let err = ((out - &xa)?.sqr()? * &ma)?.sum_all()?;
    let recon = (err / ma.sum_all()?.affine(1.0, 1.0)?)?;
    let code = |rows: &Tensor| unit(&mlp.hidden(rows, 2)?);
    let a = code(&xa)?;
    let p = code(&x.index_select(&idx(pos)?, 0)?)?;
    let n = code(&x.index_select(&idx(neg)?, 0)?)?;
    let d_ap = (a.mul(&p)?.sum(D::Minus1)?.neg()?).affine(1.0, 1.0)?;
    let d_an = (a.mul(&n)?.sum(D::Minus1)?.neg()?).affine(1.0, 1.0)?;
    let triplet = (d_ap - d_an)?
        .affine(1.0, params.margin)?
        .relu()?
        .mean_all()?;
    recon + triplet.affine(params.triplet_weight, 0.0)?
}

/// Trains the autoencoder on the rows `train` of `x` (normalised profiles, missing values
/// filled) with `observed` (1 where USDA measured the nutrient), early-stopped on `validation`.
pub fn train_embedding(
    x: &Array2<f64>,
    observed: &Array2<f64>,
    groups: &[usize],
    train: &[usize],
    validation: &[usize],
    params: &EmbedParams,
    mut on_epoch: impl FnMut(usize, f64, f64),
) -> Result<(Mlp, History), NutritionError> {
    let started = std::time::Instant::now();
    let p = x.ncols();
    let mut mlp = Mlp::new(
        &[p, params.hidden, params.dim, params.hidden, p],
        params.fit.seed,
    )?;
    mlp.linear_hidden = Some(1);
    let (xt, mt) = (tensor(x)?, tensor(observed)?);
    let mut rng = ChaCha8Rng::seed_from_u64(params.fit.seed ^ 0xe3bed);
    let mut opt = AdamW::new(
        mlp.vars(),
        ParamsAdamW {
            lr: params.fit.learning_rate,
            weight_decay: params.fit.weight_decay,
            ..ParamsAdamW::default()
        },
    )?;
    let val_anchors: Vec<u32> = validation.iter().map(|i| *i as u32).collect();
    let (val_pos, val_neg) = triplets(
        validation,
        train,
        groups,
        &mut ChaCha8Rng::seed_from_u64(params.fit.seed),
    );
    let mut order = train.to_vec();
    let mut history = History {
        train_loss: Vec::new(),
        validation_loss: Vec::new(),
        best_epoch: 0,
        seconds: 0.0,
    };
    let mut best = (f64::INFINITY, mlp.snapshot()?);
    for epoch in 0..params.fit.max_epochs {
        order.shuffle(&mut rng);
        let mut total = 0.0;
        for batch in order.chunks(params.fit.batch_size) {
            let (pos, neg) = triplets(batch, train, groups, &mut rng);
            let anchors: Vec<u32> = batch.iter().map(|i| *i as u32).collect();
            let l = loss(&mlp, &xt, &mt, &anchors, &pos, &neg, params, Some(&mut rng))?;
            opt.backward_step(&l)?;
            total += f64::from(l.to_scalar::<f32>()?) * batch.len() as f64;
        }
        let train_loss = total / train.len() as f64;
        let val = f64::from(
            loss(
                &mlp,
                &xt,
                &mt,
                &val_anchors,
                &val_pos,
                &val_neg,
                params,
                None,
            )?
            .to_scalar::<f32>()?,
        );
        history.train_loss.push(train_loss);
        history.validation_loss.push(val);
        on_epoch(epoch, train_loss, val);
        if val < best.0 {
            best = (val, mlp.snapshot()?);
            history.best_epoch = epoch;
        } else if epoch - history.best_epoch >= params.fit.patience {
            break;
        }
    }
    mlp.restore(&best.1)?;
    history.seconds = started.elapsed().as_secs_f64();
    Ok((mlp, history))
}

/// Unit-length embeddings of every row of `x`.
pub fn embed(mlp: &Mlp, x: &Array2<f64>) -> Result<Vec<Vec<f32>>, NutritionError> {
    Ok(unit(&mlp.hidden(&tensor(x)?, 2)?)?.to_vec2::<f32>()?)
}

fn cosine_top(vectors: &[Vec<f32>], q: usize, k: usize, excluded: &[bool]) -> Vec<usize> {
    let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    let nq = norm(&vectors[q]);
    let mut scored: Vec<(f32, usize)> = vectors
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != q && !excluded.get(*i).copied().unwrap_or(false))
        .map(|(i, v)| {
            let dot: f32 = v.iter().zip(&vectors[q]).map(|(a, b)| a * b).sum();
            (dot / (norm(v) * nq), i)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().take(k).map(|s| s.1).collect()
}

/// Neighbour quality of `queries` over every row not `excluded` (may be empty: none), for the
/// vectors of a method (`None`: five random foods). `macros[i]`: protein/carbohydrate/fat energy
/// shares where defined.
#[allow(clippy::too_many_arguments)] // the inputs of one measurement
pub fn neighbour_quality(
    method: &str,
    vectors: Option<&[Vec<f32>]>,
    queries: &[usize],
    excluded: &[bool],
    n_rows: usize,
    groups: &[usize],
    macros: &[Option<[f64; 3]>],
    seed: u64,
) -> NeighbourQuality {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut same, mut pairs, mut dist, mut dist_pairs) = (0usize, 0usize, 0.0, 0usize);
    for &q in queries {
        let neighbours: Vec<usize> = match vectors {
            Some(v) => cosine_top(v, q, 5, excluded),
            None => (0..5)
                .map(|_| loop {
                    let c = rng.random_range(0..n_rows);
                    if c != q {
                        break c;
                    }
                })
                .collect(),
        };
        for n in neighbours {
            same += usize::from(groups[n] == groups[q]);
            pairs += 1;
            if let (Some(a), Some(b)) = (macros[q], macros[n]) {
                dist += a.iter().zip(&b).map(|(x, y)| (x - y).abs()).sum::<f64>() / 3.0;
                dist_pairs += 1;
            }
        }
    }
    NeighbourQuality {
        method: method.to_string(),
        same_group: same as f64 / pairs.max(1) as f64,
        macro_distance: dist / dist_pairs.max(1) as f64,
    }
}

/// Mean share of the exact (f32) top 5 that the int8 table also ranks in its top 5.
pub fn int8_recall_at_5(table: &QuantizedTable, vectors: &[Vec<f32>], queries: &[usize]) -> f64 {
    let mut total = 0.0;
    for &q in queries {
        let exact = cosine_top(vectors, q, 5, &[]);
        let quantized: Vec<usize> = table
            .top_k_like(q, 5, |i| i == q)
            .into_iter()
            .map(|x| x.0)
            .collect();
        total += exact.iter().filter(|e| quantized.contains(e)).count() as f64 / 5.0;
    }
    total / queries.len().max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbour_quality_counts_group_matches() {
        // Two tight groups: every neighbour of a food is in its group.
        let vectors: Vec<Vec<f32>> = (0..12)
            .map(|i| {
                if i < 6 {
                    vec![1.0, 0.01 * i as f32]
                } else {
                    vec![0.01 * i as f32, 1.0]
                }
            })
            .collect();
        let groups: Vec<usize> = (0..12).map(|i| usize::from(i >= 6)).collect();
        let macros = vec![Some([0.2, 0.3, 0.5]); 12];
        let q = neighbour_quality("x", Some(&vectors), &[0, 7], &[], 12, &groups, &macros, 1);
        assert_eq!(q.same_group, 1.0);
        // With food 0's group excluded but itself, its neighbours all come from the other group.
        let excluded: Vec<bool> = (0..12).map(|i| (1..6).contains(&i)).collect();
        let q = neighbour_quality(
            "x",
            Some(&vectors),
            &[0],
            &excluded,
            12,
            &groups,
            &macros,
            1,
        );
        assert_eq!(q.same_group, 0.0);
        let q = neighbour_quality("x", Some(&vectors), &[0, 7], &[], 12, &groups, &macros, 1);
        assert_eq!(q.same_group, 1.0);
        assert_eq!(q.macro_distance, 0.0);
        let table =
            QuantizedTable::from_rows((0..12).map(|i| format!("{i:05}")).collect(), &vectors)
                .expect("table");
        assert_eq!(int8_recall_at_5(&table, &vectors, &[0, 7]), 1.0);
    }

    #[test]
    fn triplets_pick_same_and_other_groups() {
        let groups = vec![0, 0, 0, 1, 1, 2];
        let pool: Vec<usize> = (0..6).collect();
        let (pos, neg) = triplets(
            &[0, 3, 5],
            &pool,
            &groups,
            &mut ChaCha8Rng::seed_from_u64(3),
        );
        assert!(pos[0] == 1 || pos[0] == 2);
        assert_eq!(pos[1], 4);
        assert_eq!(pos[2], 5, "alone in its group: its own positive");
        for (a, n) in [0usize, 3, 5].iter().zip(&neg) {
            assert_ne!(groups[*a], groups[*n as usize]);
        }
    }
}
