//! Quality of a clustering without ground truth.

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
}
