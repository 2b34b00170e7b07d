//! A histogram with the normal density fitted to the same sample, scaled to counts.

use serde::{Deserialize, Serialize};
use statrs::distribution::{Continuous, Normal};
use statrs::statistics::Statistics;

/// Equal-width bins over the sample's range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// Bin centres.
    pub centers: Vec<f64>,
    pub width: f64,
    pub counts: Vec<u32>,
    /// The normal distribution with the sample's mean and standard deviation, as the count each
    /// bin would hold (n · width · pdf(centre)); empty when it cannot be fitted.
    pub normal_fit: Vec<f64>,
}

/// Bins `x` into `bins` equal-width bins; `None` for an empty sample or zero bins.
pub fn histogram(x: &[f64], bins: usize) -> Option<Histogram> {
    if x.is_empty() || bins == 0 {
        return None;
    }
    let (lo, hi) = (Statistics::min(x.iter()), Statistics::max(x.iter()));
    let width = if hi > lo {
        (hi - lo) / bins as f64
    } else {
        1.0
    };
    let mut counts = vec![0u32; bins];
    for v in x {
        let i = (((v - lo) / width) as usize).min(bins - 1);
        counts[i] += 1;
    }
    let centers: Vec<f64> = (0..bins).map(|i| lo + (i as f64 + 0.5) * width).collect();
    let normal_fit = match (x.len() > 1).then(|| Normal::new(x.iter().mean(), x.iter().std_dev())) {
        Some(Ok(normal)) => centers
            .iter()
            .map(|c| x.len() as f64 * width * normal.pdf(*c))
            .collect(),
        _ => Vec::new(),
    };
    Some(Histogram {
        centers,
        width,
        counts,
        normal_fit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn bins_count_every_value_once() {
        let h = histogram(&[0.0, 1.0, 1.5, 2.0, 4.0], 4).unwrap();
        assert_relative_eq!(h.width, 1.0);
        assert_eq!(h.counts, vec![1, 2, 1, 1]);
        assert_eq!(h.centers, vec![0.5, 1.5, 2.5, 3.5]);
        assert_eq!(h.normal_fit.len(), 4);
        // The fitted counts integrate to about n over a wide range of bins.
        let sample: Vec<f64> = (0..1000)
            .map(|i| ((i as f64) * 0.618_034).fract() * 2.0 - 1.0)
            .collect();
        let wide = histogram(&sample, 50).unwrap();
        assert!(wide.normal_fit.iter().sum::<f64>() < 1000.0);
        assert_eq!(wide.counts.iter().sum::<u32>(), 1000);
        assert_eq!(histogram(&[], 10), None);
    }
}
