//! Tokens clustered by market behaviour: each token's daily log returns over a recent window,
//! standardised (so the Euclidean distance of two profiles is `√(2W(1 − ρ))`, their correlation
//! distance), grouped by k-means with k chosen by silhouette and by Ward's agglomerative
//! clustering, and projected to two principal components for the scatter plot.

use std::collections::HashMap;

use kodama::{linkage, Method};
use linfa::prelude::*;
use linfa_clustering::KMeans;
use linfa_reduction::Pca;
use mmi_learn::metrics::silhouette;
use mmi_types::{ClusterReport, Merge};
use ndarray::{Array1, Array2, Axis};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;

use crate::CryptoError;

/// The settings of [`cluster_tokens`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClusterParams {
    /// Days of returns in each profile, ending at the last stored day.
    pub window_days: usize,
    pub k_range: (usize, usize),
    pub seed: u64,
}

impl Default for ClusterParams {
    /// The last 240 days (every token of the reference data but the youngest), k from 2 to 8.
    fn default() -> Self {
        ClusterParams {
            window_days: 240,
            k_range: (2, 8),
            seed: 42,
        }
    }
}

/// Clusters the tokens of the feature frame's `symbol`, `day` and `log_ret_1` columns.
pub fn cluster_tokens(
    symbols: &[String],
    days: &[String],
    log_returns: &[Option<f64>],
    params: &ClusterParams,
) -> Result<ClusterReport, CryptoError> {
    let mut all_days: Vec<&String> = days.iter().collect();
    all_days.sort();
    all_days.dedup();
    if all_days.len() < params.window_days || params.window_days < 2 {
        return Err(CryptoError::Model(format!(
            "clustering needs {} days of returns, the data has {}",
            params.window_days,
            all_days.len()
        )));
    }
    let window: Vec<&String> = all_days[all_days.len() - params.window_days..].to_vec();
    let position: HashMap<&String, usize> =
        window.iter().enumerate().map(|(i, d)| (*d, i)).collect();
    let mut profiles: Vec<(String, Vec<Option<f64>>)> = Vec::new();
    for ((symbol, day), r) in symbols.iter().zip(days).zip(log_returns) {
        let Some(&t) = position.get(day) else {
            continue;
        };
        let slot = match profiles.iter().position(|(s, _)| s == symbol) {
            Some(i) => i,
            None => {
                profiles.push((symbol.clone(), vec![None; window.len()]));
                profiles.len() - 1
            }
        };
        profiles[slot].1[t] = r.filter(|v| v.is_finite());
    }
    let mut kept = Vec::new();
    let mut excluded = Vec::new();
    for (symbol, values) in profiles {
        match values.into_iter().collect::<Option<Vec<f64>>>() {
            Some(v) => kept.push((symbol, standardise(&v))),
            None => excluded.push(symbol),
        }
    }
    // A constant profile (no movement at all) has no shape to compare.
    let (kept, flat): (Vec<_>, Vec<_>) = kept.into_iter().partition(|(_, v)| v.is_some());
    excluded.extend(flat.into_iter().map(|(s, _)| s));
    let n = kept.len();
    if n < params.k_range.0 + 1 {
        return Err(CryptoError::Model(format!(
            "only {n} tokens have every day of the last {} days",
            params.window_days
        )));
    }
    let symbols: Vec<String> = kept.iter().map(|(s, _)| s.clone()).collect();
    let w = window.len();
    let x = Array2::from_shape_fn((n, w), |(i, t)| kept[i].1.as_ref().map_or(0.0, |v| v[t]));

    let (kmeans_labels, silhouette_by_k, chosen_k) = kmeans_by_silhouette(&x, params)?;
    let (merges, hierarchical_labels) = ward(&x, chosen_k);
    let (projection, explained_variance) = project(&x)?;
    excluded.sort();
    Ok(ClusterReport {
        from_day: window[0].clone(),
        to_day: window[w - 1].clone(),
        symbols,
        excluded,
        silhouette_by_k,
        chosen_k,
        kmeans_labels,
        hierarchical_labels,
        projection,
        explained_variance,
        merges,
    })
}

/// `(v − mean) / sd`; `None` when the sample standard deviation is zero.
fn standardise(v: &[f64]) -> Option<Vec<f64>> {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    (sd > 0.0).then(|| v.iter().map(|x| (x - mean) / sd).collect())
}

type KMeansChoice = (Vec<usize>, Vec<(usize, f64)>, usize);

fn kmeans_by_silhouette(x: &Array2<f64>, p: &ClusterParams) -> Result<KMeansChoice, CryptoError> {
    let n = x.nrows();
    let data = DatasetBase::from(x.clone());
    let mut best: Option<(f64, usize, Vec<usize>)> = None;
    let mut scores = Vec::new();
    for k in p.k_range.0..=p.k_range.1.min(n - 1) {
        let model = KMeans::params_with_rng(k, Xoshiro256Plus::seed_from_u64(p.seed))
            .n_runs(20)
            .max_n_iterations(300)
            .tolerance(1e-6)
            .fit(&data)
            .map_err(|e| CryptoError::Model(format!("k-means, k = {k}: {e}")))?;
        let labels: Array1<usize> = model.predict(x);
        let points: Vec<Vec<f64>> = x.rows().into_iter().map(|r| r.to_vec()).collect();
        let score = silhouette(&points, &labels.to_vec())
            .ok_or_else(|| CryptoError::Model(format!("silhouette, k = {k}: one cluster")))?;
        scores.push((k, score));
        if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
            best = Some((score, k, labels.to_vec()));
        }
    }
    let (_, k, labels) =
        best.ok_or_else(|| CryptoError::Model("no k to try for k-means".into()))?;
    Ok((relabel(&labels), scores, k))
}

/// Cluster ids in order of first appearance, so the same grouping always gets the same ids.
fn relabel(labels: &[usize]) -> Vec<usize> {
    let mut seen: Vec<usize> = Vec::new();
    labels
        .iter()
        .map(|l| match seen.iter().position(|s| s == l) {
            Some(i) => i,
            None => {
                seen.push(*l);
                seen.len() - 1
            }
        })
        .collect()
}

/// Ward's linkage on Euclidean distances, and its tree cut into `k` clusters.
fn ward(x: &Array2<f64>, k: usize) -> (Vec<Merge>, Vec<usize>) {
    let n = x.nrows();
    let mut condensed = Vec::with_capacity(n * (n - 1) / 2);
    for i in 0..n {
        for j in i + 1..n {
            let d: f64 = x
                .row(i)
                .iter()
                .zip(x.row(j).iter())
                .map(|(a, b)| (a - b).powi(2))
                .sum();
            condensed.push(d.sqrt());
        }
    }
    let dendrogram = linkage(&mut condensed, n, Method::Ward);
    let merges: Vec<Merge> = dendrogram
        .steps()
        .iter()
        .map(|s| Merge {
            a: s.cluster1,
            b: s.cluster2,
            distance: s.dissimilarity,
            size: s.size,
        })
        .collect();
    // Replay all but the last k − 1 merges with a union of members.
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    for m in merges.iter().take(n.saturating_sub(k)) {
        let mut joined = std::mem::take(&mut members[m.a]);
        joined.append(&mut std::mem::take(&mut members[m.b]));
        members.push(joined);
    }
    let mut labels = vec![0; n];
    for (cluster, group) in members.iter().filter(|g| !g.is_empty()).enumerate() {
        for &i in group {
            labels[i] = cluster;
        }
    }
    (merges, relabel(&labels))
}

/// The first two principal components and the share of the total variance each explains.
type Projection = (Vec<(f64, f64)>, (f64, f64));

fn project(x: &Array2<f64>) -> Result<Projection, CryptoError> {
    let data = DatasetBase::from(x.clone());
    let pca = Pca::params(2)
        .fit(&data)
        .map_err(|e| CryptoError::Model(format!("PCA: {e}")))?;
    let y: Array2<f64> = pca.predict(x);
    let centred = x - &x
        .mean_axis(Axis(0))
        .unwrap_or_else(|| Array1::zeros(x.ncols()));
    let total: f64 = centred.iter().map(|v| v * v).sum();
    let share = |j: usize| {
        if total > 0.0 {
            y.column(j).iter().map(|v| v * v).sum::<f64>() / total
        } else {
            0.0
        }
    };
    Ok((
        y.rows().into_iter().map(|r| (r[0], r[1])).collect(),
        (share(0), share(1)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_groups_of_comoving_tokens_are_found_by_both_methods() {
        // Two latent factors; tokens A* follow the first, B* the second, each with its own noise.
        let days: Vec<String> = (0..60).map(|d| format!("2021-01-{d:02}")).collect();
        let f1: Vec<f64> = (0..60)
            .map(|t| ((t * 7 % 13) as f64 - 6.0) / 100.0)
            .collect();
        let f2: Vec<f64> = (0..60)
            .map(|t| ((t * 5 % 11) as f64 - 5.0) / 100.0)
            .collect();
        let mut sym = Vec::new();
        let mut day = Vec::new();
        let mut ret = Vec::new();
        for (name, factor, k) in [
            ("A1", &f1, 1),
            ("A2", &f1, 2),
            ("A3", &f1, 3),
            ("B1", &f2, 4),
            ("B2", &f2, 5),
            ("B3", &f2, 6),
        ] {
            for t in 0..60 {
                sym.push(name.to_string());
                day.push(days[t].clone());
                // Token-specific noise, a fifth of the factor's size.
                let mut h = ((t + 1000 * k) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                h ^= h >> 29;
                h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
                h ^= h >> 32;
                let noise = (h % 1000) as f64 / 1000.0 - 0.5;
                ret.push(Some(factor[t] + noise * 0.02));
            }
        }
        // A token with a missing day is left out, not zero-filled.
        for (t, d) in days.iter().enumerate() {
            sym.push("C".into());
            day.push(d.clone());
            ret.push((t != 30).then_some(0.01));
        }
        let report = cluster_tokens(
            &sym,
            &day,
            &ret,
            &ClusterParams {
                window_days: 60,
                k_range: (2, 4),
                seed: 1,
            },
        )
        .unwrap();
        assert_eq!(report.excluded, vec!["C".to_string()]);
        assert_eq!(report.chosen_k, 2, "{:?}", report.silhouette_by_k);
        assert_eq!(report.kmeans_labels, vec![0, 0, 0, 1, 1, 1]);
        assert_eq!(report.hierarchical_labels, vec![0, 0, 0, 1, 1, 1]);
        assert_eq!(report.merges.len(), 5);
        assert_eq!(report.merges[4].size, 6);
        assert!(
            report.explained_variance.0 > 0.8,
            "{:?}",
            report.explained_variance
        );
    }
}
