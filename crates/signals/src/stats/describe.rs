//! Mean, median, standard deviation, skewness, kurtosis, extremes.

use serde::{Deserialize, Serialize};
use statrs::statistics::{Data, Median, Statistics};

/// The summary of a sample; fields that need more observations than there are are `None`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub n: usize,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    /// Sample standard deviation (n − 1).
    pub std_dev: Option<f64>,
    /// Adjusted Fisher–Pearson sample skewness G1 (as pandas `skew`, Excel `SKEW`).
    pub skewness: Option<f64>,
    /// Sample excess kurtosis G2 (as pandas `kurt`, Excel `KURT`): 0 for a normal distribution.
    pub excess_kurtosis: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// Summarises a sample (non-finite values must be removed first, see [`super::defined`]).
///
/// Skewness and kurtosis follow Joanes & Gill (1998), "Comparing measures of sample skewness and
/// kurtosis", The Statistician 47(1): G1 = g1 √(n(n−1)) / (n−2) and
/// G2 = ((n+1) g2 + 6)(n−1) / ((n−2)(n−3)), with g1 = m3 / m2^1.5, g2 = m4 / m2² − 3 from the
/// central moments m_k.
pub fn describe(x: &[f64]) -> Summary {
    let n = x.len();
    let nf = n as f64;
    let mean = (n > 0).then(|| x.iter().mean());
    let median = (n > 0).then(|| Data::new(x.to_vec()).median());
    let std_dev = (n > 1).then(|| x.iter().std_dev());
    let moments = mean.map(|m| {
        let central = |k: i32| x.iter().map(|v| (v - m).powi(k)).sum::<f64>() / nf;
        (central(2), central(3), central(4))
    });
    let (mut skewness, mut excess_kurtosis) = (None, None);
    if let Some((m2, m3, m4)) = moments.filter(|(m2, _, _)| *m2 > 0.0) {
        let g1 = m3 / m2.powf(1.5);
        let g2 = m4 / (m2 * m2) - 3.0;
        if n > 2 {
            skewness = Some(g1 * (nf * (nf - 1.0)).sqrt() / (nf - 2.0));
        }
        if n > 3 {
            excess_kurtosis =
                Some(((nf + 1.0) * g2 + 6.0) * (nf - 1.0) / ((nf - 2.0) * (nf - 3.0)));
        }
    }
    Summary {
        n,
        mean,
        median,
        std_dev,
        skewness,
        excess_kurtosis,
        min: (n > 0).then(|| Statistics::min(x.iter())),
        max: (n > 0).then(|| Statistics::max(x.iter())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn summary_against_independent_values() {
        // Expected values from pandas 3.1.1 (Series.mean/median/std/skew/kurt) on the same sample:
        // pd.Series([2, 8, 0, 4, 1, 9, 9, 0]).
        let s = describe(&[2.0, 8.0, 0.0, 4.0, 1.0, 9.0, 9.0, 0.0]);
        assert_eq!(s.n, 8);
        assert_relative_eq!(s.mean.unwrap(), 4.125);
        assert_relative_eq!(s.median.unwrap(), 3.0);
        assert_relative_eq!(s.std_dev.unwrap(), 3.9798600118956085, epsilon = 1e-12);
        assert_relative_eq!(s.skewness.unwrap(), 0.3305821804079747, epsilon = 1e-12);
        assert_relative_eq!(
            s.excess_kurtosis.unwrap(),
            -2.098602258096087,
            epsilon = 1e-12
        );
        assert_eq!((s.min, s.max), (Some(0.0), Some(9.0)));
    }

    #[test]
    fn small_and_constant_samples() {
        let empty = describe(&[]);
        assert_eq!((empty.n, empty.mean, empty.std_dev), (0, None, None));
        let one = describe(&[3.0]);
        assert_eq!(
            (one.mean, one.median, one.std_dev),
            (Some(3.0), Some(3.0), None)
        );
        let flat = describe(&[2.0; 10]);
        assert_eq!(flat.std_dev, Some(0.0));
        assert_eq!((flat.skewness, flat.excess_kurtosis), (None, None));
    }
}
