//! The Jarque–Bera test of normality.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// The test statistic and its p-value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct JarqueBera {
    pub statistic: f64,
    /// P(χ²₂ ≥ statistic): small values reject normality.
    pub p_value: f64,
}

/// Jarque & Bera (1980): `JB = n/6 (S² + K²/4)` with the (biased) sample skewness S = m3 / m2^1.5
/// and excess kurtosis K = m4 / m2² − 3; asymptotically χ² with 2 degrees of freedom under
/// normality (as `scipy.stats.jarque_bera`). `None` for fewer than 3 values or a constant sample.
pub fn jarque_bera(x: &[f64]) -> Option<JarqueBera> {
    let n = x.len() as f64;
    if x.len() < 3 {
        return None;
    }
    let mean = x.iter().sum::<f64>() / n;
    let central = |k: i32| x.iter().map(|v| (v - mean).powi(k)).sum::<f64>() / n;
    let m2 = central(2);
    if m2 <= 0.0 {
        return None;
    }
    let s = central(3) / m2.powf(1.5);
    let k = central(4) / (m2 * m2) - 3.0;
    let statistic = n / 6.0 * (s * s + k * k / 4.0);
    let p_value = ChiSquared::new(2.0).ok()?.sf(statistic);
    Some(JarqueBera { statistic, p_value })
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn against_scipy() {
        // scipy 1.14.1: stats.jarque_bera([2, 8, 0, 4, 1, 9, 9, 0]).
        let jb = jarque_bera(&[2.0, 8.0, 0.0, 4.0, 1.0, 9.0, 9.0, 0.0]).unwrap();
        assert_relative_eq!(jb.statistic, 1.018859023047041, epsilon = 1e-12);
        assert_relative_eq!(jb.p_value, 0.6008382523565154, epsilon = 1e-12);
        assert_eq!(jarque_bera(&[1.0, 1.0, 1.0]), None);
    }
}
