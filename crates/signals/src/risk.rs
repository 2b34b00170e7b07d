//! Returns and risk: simple and log returns over n days, realised volatility, drawdowns.

use crate::Series;

/// Calendar days per year: crypto markets trade every day, so daily volatility is annualised
/// with √365, not the equity convention √252.
pub const DAYS_PER_YEAR: f64 = 365.0;

/// Simple return over `n` observations: `x_t / x_{t-n} - 1`; undefined for a non-positive base.
pub fn simple_returns(x: &[f64], n: usize) -> Series {
    (0..x.len())
        .map(|t| (t >= n && n > 0 && x[t - n] > 0.0).then(|| x[t] / x[t - n] - 1.0))
        .collect()
}

/// Log return over `n` observations: `ln(x_t / x_{t-n})`; undefined unless both prices are positive.
pub fn log_returns(x: &[f64], n: usize) -> Series {
    (0..x.len())
        .map(|t| (t >= n && n > 0 && x[t - n] > 0.0 && x[t] > 0.0).then(|| (x[t] / x[t - n]).ln()))
        .collect()
}

/// Sample standard deviation (n − 1) of the last `window` values of `r`, today included; `None`
/// unless all of them are defined.
pub fn rolling_std(r: &[Option<f64>], window: usize) -> Series {
    let mut out = vec![None; r.len()];
    if window < 2 {
        return out;
    }
    for t in window - 1..r.len() {
        let Some(values) = r[t + 1 - window..=t]
            .iter()
            .copied()
            .collect::<Option<Vec<f64>>>()
        else {
            continue;
        };
        let mean = values.iter().sum::<f64>() / window as f64;
        let ss = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>();
        out[t] = Some((ss / (window as f64 - 1.0)).sqrt());
    }
    out
}

/// Annualised realised volatility: the rolling sample standard deviation of daily log returns over
/// `window` days, times √365.
pub fn annualised_volatility(close: &[f64], window: usize) -> Series {
    let scale = DAYS_PER_YEAR.sqrt();
    rolling_std(&log_returns(close, 1), window)
        .into_iter()
        .map(|v| v.map(|s| s * scale))
        .collect()
}

/// Drawdown: how far the price is below its running peak so far, `x_t / max_{s<=t} x_s - 1` (≤ 0).
pub fn drawdown(x: &[f64]) -> Series {
    let mut peak = f64::NEG_INFINITY;
    x.iter()
        .map(|&v| {
            peak = peak.max(v);
            (peak > 0.0).then(|| v / peak - 1.0)
        })
        .collect()
}

/// Maximum drawdown up to each day: the running minimum of [`drawdown`] (≤ 0).
pub fn max_drawdown(x: &[f64]) -> Series {
    let mut worst: Option<f64> = None;
    drawdown(x)
        .into_iter()
        .map(|d| {
            if let Some(d) = d {
                worst = Some(worst.map_or(d, |w| w.min(d)));
            }
            worst
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn returns_by_hand() {
        let x = [100.0, 110.0, 99.0, 0.0, 5.0];
        let s = simple_returns(&x, 1);
        assert_eq!(s[0], None);
        assert_relative_eq!(s[1].unwrap(), 0.1, epsilon = 1e-12);
        assert_relative_eq!(s[2].unwrap(), -0.1, epsilon = 1e-12);
        assert_eq!(s[4], None, "a zero base has no return");
        let l = log_returns(&x, 2);
        assert_relative_eq!(l[2].unwrap(), (0.99f64).ln(), epsilon = 1e-12);
        assert_eq!(l[3], None);
    }

    #[test]
    fn volatility_by_hand() {
        // Log returns ln 2, ln 0.5, ln 2: mean ln2/3; sample sd = sqrt(((2/3)^2 + (4/3)^2 + (2/3)^2) ln2^2 / 2).
        let v = annualised_volatility(&[1.0, 2.0, 1.0, 2.0], 3);
        assert_eq!(v[..3], [None, None, None]);
        let sd = (24.0f64 / 9.0 / 2.0).sqrt() * 2f64.ln();
        assert_relative_eq!(v[3].unwrap(), sd * 365f64.sqrt(), epsilon = 1e-12);
    }

    #[test]
    fn drawdowns_by_hand() {
        let x = [10.0, 12.0, 9.0, 11.0, 13.0, 6.5];
        let d = drawdown(&x);
        assert_eq!(d[..2], [Some(0.0), Some(0.0)]);
        assert_relative_eq!(d[2].unwrap(), -0.25);
        assert_relative_eq!(d[3].unwrap(), 11.0 / 12.0 - 1.0);
        assert_relative_eq!(d[5].unwrap(), -0.5);
        let m = max_drawdown(&x);
        assert_relative_eq!(m[3].unwrap(), -0.25);
        assert_relative_eq!(m[4].unwrap(), -0.25);
        assert_relative_eq!(m[5].unwrap(), -0.5);
    }
}
