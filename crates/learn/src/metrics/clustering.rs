//! Quality of a clustering: without ground truth (silhouette) and against a reference labelling
//! (adjusted Rand index).

/// Mean silhouette (Rousseeuw 1987) of `points` (Euclidean) under `labels`: for each point,
/// `(b − a) / max(a, b)` with `a` its mean distance to the rest of its cluster and `b` the smallest
/// mean distance to another cluster; a point alone in its cluster scores 0, as Rousseeuw defines
/// and scikit-learn computes (linfa 0.8's `silhouette_score` scores it 1, which rewards splitting
/// off singletons). `None` with fewer than two clusters or mismatched inputs.
pub fn silhouette(points: &[Vec<f64>], labels: &[usize]) -> Option<f64> {
    let n = points.len();
    if n != labels.len() || n < 2 {
        return None;
    }
    let k = labels.iter().max()? + 1;
    let mut sizes = vec![0usize; k];
    for &l in labels {
        sizes[l] += 1;
    }
    if sizes.iter().filter(|s| **s > 0).count() < 2 {
        return None;
    }
    let distance = |a: &[f64], b: &[f64]| -> f64 {
        a.iter()
            .zip(b)
            .map(|(x, y)| (x - y).powi(2))
            .sum::<f64>()
            .sqrt()
    };
    let total: f64 = (0..n)
        .map(|i| {
            if sizes[labels[i]] == 1 {
                return 0.0;
            }
            let mut sums = vec![0.0; k];
            for j in 0..n {
                if j != i {
                    sums[labels[j]] += distance(&points[i], &points[j]);
                }
            }
            let a = sums[labels[i]] / (sizes[labels[i]] - 1) as f64;
            let b = (0..k)
                .filter(|&c| c != labels[i] && sizes[c] > 0)
                .map(|c| sums[c] / sizes[c] as f64)
                .fold(f64::INFINITY, f64::min);
            let m = a.max(b);
            if m > 0.0 {
                (b - a) / m
            } else {
                0.0
            }
        })
        .sum();
    Some(total / n as f64)
}

/// Adjusted Rand index (Hubert & Arabie 1985) of two labellings of the same items: 1 for
/// identical partitions, about 0 for independent ones. `None` for mismatched or empty inputs.
pub fn adjusted_rand_index(a: &[usize], b: &[usize]) -> Option<f64> {
    if a.len() != b.len() || a.is_empty() {
        return None;
    }
    let ka = a.iter().max()? + 1;
    let kb = b.iter().max()? + 1;
    let mut table = vec![vec![0u64; kb]; ka];
    for (&x, &y) in a.iter().zip(b) {
        table[x][y] += 1;
    }
    let pairs = |n: u64| (n * n.saturating_sub(1)) as f64 / 2.0;
    let index: f64 = table.iter().flatten().map(|&n| pairs(n)).sum();
    let rows: f64 = table.iter().map(|r| pairs(r.iter().sum())).sum();
    let cols: f64 = (0..kb)
        .map(|j| pairs(table.iter().map(|r| r[j]).sum()))
        .sum();
    let expected = rows * cols / pairs(a.len() as u64);
    let max = (rows + cols) / 2.0;
    if (max - expected).abs() < f64::EPSILON {
        return Some(1.0);
    }
    Some((index - expected) / (max - expected))
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn against_scikit_learn() {
        // scikit-learn 1.7.2: silhouette_score(X, labels).
        let x: Vec<Vec<f64>> = [[0., 0.], [0., 1.], [1., 0.], [5., 5.], [5., 6.], [9., 0.]]
            .iter()
            .map(|p| p.to_vec())
            .collect();
        assert_relative_eq!(
            silhouette(&x, &[0, 0, 0, 1, 1, 1]).unwrap(),
            0.6076942407607593,
            epsilon = 1e-12
        );
        // A singleton scores 0, not 1.
        assert_relative_eq!(
            silhouette(&x, &[0, 0, 0, 1, 1, 2]).unwrap(),
            0.70237518778043,
            epsilon = 1e-12
        );
        assert_eq!(silhouette(&x, &[0; 6]), None);
    }

    #[test]
    fn adjusted_rand_index_by_hand() {
        // scikit-learn's documented examples: relabelled identical partitions score 1; this
        // partial agreement scores 0.57 (adjusted_rand_score([0, 0, 1, 2], [0, 0, 1, 1])).
        assert_relative_eq!(
            adjusted_rand_index(&[0, 0, 1, 1], &[1, 1, 0, 0]).unwrap(),
            1.0
        );
        assert_relative_eq!(
            adjusted_rand_index(&[0, 0, 1, 2], &[0, 0, 1, 1]).unwrap(),
            0.5714285714285714,
            epsilon = 1e-12
        );
        // Every item in its own cluster against all in one: 0.
        assert_relative_eq!(
            adjusted_rand_index(&[0, 0, 0, 0], &[0, 1, 2, 3]).unwrap(),
            0.0
        );
        assert_eq!(adjusted_rand_index(&[0], &[0, 1]), None);
    }
}
