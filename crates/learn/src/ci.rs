//! 95% confidence intervals.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// A point estimate with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
}

impl Interval {
    /// What a statistic undefined on the sample reports (every bound NaN).
    pub const UNDEFINED: Interval = Interval {
        estimate: f64::NAN,
        low: f64::NAN,
        high: f64::NAN,
    };
}

impl From<Interval> for mmi_types::Estimate {
    fn from(i: Interval) -> Self {
        mmi_types::Estimate {
            value: i.estimate,
            low: i.low,
            high: i.high,
        }
    }
}

/// The settings of a moving-block bootstrap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockBootstrap {
    /// Consecutive samples per block (about the autocorrelation length; 1 = the plain bootstrap).
    pub block: usize,
    pub resamples: usize,
    pub seed: u64,
}

impl Default for BlockBootstrap {
    /// Blocks of 10 days, 1,000 resamples, seed 42.
    fn default() -> Self {
        BlockBootstrap {
            block: 10,
            resamples: 1000,
            seed: 42,
        }
    }
}

impl BlockBootstrap {
    /// The mean of `values` with its percentile interval; `None` for no values.
    pub fn mean(&self, values: &[f64]) -> Option<Interval> {
        self.interval(values.len(), |idx| {
            Some(idx.iter().map(|i| values[*i]).sum::<f64>() / idx.len() as f64)
        })
    }

    /// The percentile interval of `statistic` over resamples of the `n` sample indices (Künsch's
    /// moving-block bootstrap: blocks of consecutive indices, drawn with replacement, joined and cut
    /// to `n`, which keeps short-range dependence inside the blocks). `statistic` gets the indices
    /// of a resample and may return `None` (e.g. a resample with one class); such resamples are
    /// skipped. `None` if the statistic is undefined on the full sample.
    pub fn interval(
        &self,
        n: usize,
        statistic: impl Fn(&[usize]) -> Option<f64>,
    ) -> Option<Interval> {
        let all: Vec<usize> = (0..n).collect();
        let estimate = statistic(&all)?;
        if n == 0 || self.resamples == 0 {
            return None;
        }
        let block = self.block.clamp(1, n);
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let mut values = Vec::with_capacity(self.resamples);
        let mut indices = Vec::with_capacity(n + block);
        for _ in 0..self.resamples {
            indices.clear();
            while indices.len() < n {
                let start = rng.random_range(0..=n - block);
                indices.extend(start..start + block);
            }
            indices.truncate(n);
            if let Some(v) = statistic(&indices).filter(|v| v.is_finite()) {
                values.push(v);
            }
        }
        if values.is_empty() {
            return None;
        }
        values.sort_by(f64::total_cmp);
        let at = |q: f64| {
            values[((q * (values.len() - 1) as f64).round() as usize).min(values.len() - 1)]
        };
        Some(Interval {
            estimate,
            low: at(0.025),
            high: at(0.975),
        })
    }
}

/// Wilson's score interval for a proportion (e.g. accuracy = correct / n), 95%.
pub fn wilson(successes: u64, n: u64) -> Option<Interval> {
    if n == 0 || successes > n {
        return None;
    }
    const Z: f64 = 1.959_963_984_540_054;
    let n = n as f64;
    let p = successes as f64 / n;
    let denominator = 1.0 + Z * Z / n;
    let centre = (p + Z * Z / (2.0 * n)) / denominator;
    let half = Z * (p * (1.0 - p) / n + Z * Z / (4.0 * n * n)).sqrt() / denominator;
    Some(Interval {
        estimate: p,
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn wilson_against_a_published_value() {
        // scipy 1.14.1: binomtest(81, 263).proportion_ci(method="wilson").
        let i = wilson(81, 263).unwrap();
        assert_relative_eq!(i.estimate, 81.0 / 263.0);
        assert_relative_eq!(i.low, 0.2552885198782742, epsilon = 1e-12);
        assert_relative_eq!(i.high, 0.36620957698280004, epsilon = 1e-12);
        assert_eq!(wilson(0, 0), None);
    }

    #[test]
    fn bootstrap_of_a_mean_covers_it_and_is_reproducible() {
        let x: Vec<f64> = (0..500)
            .map(|i| ((i * 7919) % 1000) as f64 / 1000.0)
            .collect();
        let mean = |idx: &[usize]| Some(idx.iter().map(|&i| x[i]).sum::<f64>() / idx.len() as f64);
        let b = BlockBootstrap {
            block: 5,
            resamples: 500,
            seed: 7,
        };
        let i = b.interval(x.len(), mean).unwrap();
        assert!(i.low < i.estimate && i.estimate < i.high);
        // The standard error of a mean of 500 uniform(0, 1) values is about 0.0129: the interval
        // spans roughly ±2 of them.
        assert!((i.high - i.low) > 0.03 && (i.high - i.low) < 0.08, "{i:?}");
        assert_eq!(
            b.interval(x.len(), mean),
            Some(i),
            "same seed, same interval"
        );
    }

    #[test]
    fn an_undefined_statistic_has_no_interval() {
        let b = BlockBootstrap::default();
        assert_eq!(b.interval(10, |_| None), None);
    }
}
