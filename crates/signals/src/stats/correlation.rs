//! Pearson and Spearman correlation over pairwise-complete observations.

use serde::{Deserialize, Serialize};
use statrs::statistics::{Data, OrderStatistics, RankTieBreaker, Statistics};

/// Which correlation coefficient to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CorrelationMethod {
    /// Linear correlation of the values.
    #[default]
    Pearson,
    /// Pearson correlation of the ranks (ties share their average rank): monotone association,
    /// robust to the fat tails of crypto returns.
    Spearman,
}

/// Pearson's r of the pairs where both values are defined; `None` with fewer than 3 such pairs or
/// a constant side.
pub fn pearson(x: &[Option<f64>], y: &[Option<f64>]) -> Option<f64> {
    let (a, b) = complete_pairs(x, y);
    pearson_of(&a, &b)
}

/// Spearman's ρ of the pairs where both values are defined (ranks with average ties).
pub fn spearman(x: &[Option<f64>], y: &[Option<f64>]) -> Option<f64> {
    let (a, b) = complete_pairs(x, y);
    if a.len() < 3 {
        return None;
    }
    let ra = Data::new(a).ranks(RankTieBreaker::Average);
    let rb = Data::new(b).ranks(RankTieBreaker::Average);
    pearson_of(&ra, &rb)
}

fn complete_pairs(x: &[Option<f64>], y: &[Option<f64>]) -> (Vec<f64>, Vec<f64>) {
    x.iter()
        .zip(y)
        .filter_map(|(a, b)| Some((*a)?).zip(*b))
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .unzip()
}

fn pearson_of(a: &[f64], b: &[f64]) -> Option<f64> {
    if a.len() < 3 {
        return None;
    }
    let (sa, sb) = (a.iter().std_dev(), b.iter().std_dev());
    if sa <= 0.0 || sb <= 0.0 {
        return None;
    }
    let r = a.iter().covariance(b.iter()) / (sa * sb);
    Some(r.clamp(-1.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    fn some(v: &[f64]) -> Vec<Option<f64>> {
        v.iter().copied().map(Some).collect()
    }

    #[test]
    fn coefficients_against_scipy() {
        // scipy 1.14.1: stats.pearsonr(x, y)[0] and stats.spearmanr(x, y)[0] (y has no ties, x has two).
        let x = some(&[2.0, 8.0, 0.0, 4.0, 1.0, 9.0, 9.0, 0.0]);
        let y = some(&[1.0, 3.0, 2.0, 5.0, 4.0, 6.0, 8.0, 7.0]);
        assert_relative_eq!(
            pearson(&x, &y).unwrap(),
            0.40298718168118586,
            epsilon = 1e-12
        );
        assert_relative_eq!(
            spearman(&x, &y).unwrap(),
            0.37352108685170693,
            epsilon = 1e-12
        );
    }

    #[test]
    fn only_complete_pairs_count() {
        let x = vec![Some(1.0), None, Some(2.0), Some(3.0), Some(4.0)];
        let y = vec![Some(2.0), Some(100.0), Some(4.0), Some(6.0), None];
        assert_relative_eq!(pearson(&x, &y).unwrap(), 1.0, epsilon = 1e-12);
        assert_eq!(pearson(&x[..2], &y[..2]), None);
        assert_eq!(
            pearson(&some(&[1.0, 1.0, 1.0]), &some(&[1.0, 2.0, 3.0])),
            None
        );
    }
}
