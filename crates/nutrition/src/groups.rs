//! Food groups found by k-means over normalised nutrient profiles, against USDA's own groups:
//! k chosen by the mean silhouette on a seeded sample of foods, agreement measured by the
//! adjusted Rand index and shown as a cluster × group table.

use linfa::prelude::*;
use linfa_clustering::KMeans;
use mmi_learn::metrics::{adjusted_rand_index, silhouette};
use mmi_types::FoodClusters;
use ndarray::{Array1, Array2};
use rand::seq::index::sample;
use rand::SeedableRng;
use rand08::SeedableRng as _;
use rand_chacha::ChaCha8Rng;
use rand_xoshiro::Xoshiro256Plus;

use crate::NutritionError;

/// Runs k-means for every k in `ks` on the rows of `x` and keeps the k with the best silhouette
/// on `sample_size` seeded rows. `groups[i]` is row `i`'s USDA group index (of `n_groups`).
/// Returns the report and every row's cluster.
pub fn cluster_foods(
    x: &Array2<f64>,
    groups: &[usize],
    group_names: &[String],
    ks: std::ops::RangeInclusive<usize>,
    sample_size: usize,
    seed: u64,
) -> Result<(FoodClusters, Vec<usize>), NutritionError> {
    let data = DatasetBase::from(x.clone());
    let picked = sample(
        &mut ChaCha8Rng::seed_from_u64(seed),
        x.nrows(),
        sample_size.min(x.nrows()),
    )
    .into_vec();
    let points: Vec<Vec<f64>> = picked.iter().map(|&i| x.row(i).to_vec()).collect();
    let mut silhouettes = Vec::new();
    let mut best: Option<(f64, usize, Vec<usize>)> = None;
    for k in ks {
        let model = KMeans::params_with_rng(k, Xoshiro256Plus::seed_from_u64(seed))
            .n_runs(5)
            .max_n_iterations(200)
            .tolerance(1e-5)
            .fit(&data)
            .map_err(|e| NutritionError::Model(format!("k-means, k = {k}: {e}")))?;
        let labels: Array1<usize> = model.predict(x);
        let sampled: Vec<usize> = picked.iter().map(|&i| labels[i]).collect();
        let score = silhouette(&points, &sampled)
            .ok_or_else(|| NutritionError::Model(format!("silhouette, k = {k}: one cluster")))?;
        silhouettes.push((k, score));
        if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
            best = Some((score, k, labels.to_vec()));
        }
    }
    let (_, k, labels) = best.ok_or_else(|| NutritionError::Model("no k to try".into()))?;
    let mut contingency = vec![vec![0u32; group_names.len()]; k];
    for (&c, &g) in labels.iter().zip(groups) {
        contingency[c][g] += 1;
    }
    let dominant = contingency
        .iter()
        .map(|row| {
            let total: u32 = row.iter().sum();
            let (g, n) = row
                .iter()
                .enumerate()
                .max_by_key(|(_, n)| **n)
                .unwrap_or((0, &0));
            (
                group_names.get(g).cloned().unwrap_or_default(),
                f64::from(*n) / f64::from(total.max(1)),
            )
        })
        .collect();
    let ari = adjusted_rand_index(&labels, groups)
        .ok_or_else(|| NutritionError::Model("adjusted Rand index of no foods".into()))?;
    Ok((
        FoodClusters {
            chosen_k: k,
            silhouettes,
            adjusted_rand_index: ari,
            contingency,
            dominant,
        },
        labels,
    ))
}
