//! Momentum oscillators: TA-Lib `MOM` and `RSI`.

use crate::Series;

/// Momentum (TA-Lib `MOM`): `x_t - x_{t-period}`.
pub fn momentum(x: &[f64], period: usize) -> Series {
    (0..x.len())
        .map(|t| (t >= period).then(|| x[t] - x[t - period]))
        .collect()
}

/// Relative Strength Index with Wilder's smoothing (TA-Lib `RSI`, unstable period 0): the average
/// gain and loss are seeded with the plain means of the first `period` changes, then smoothed as
/// `avg_t = (avg_{t-1} (period - 1) + change_t) / period`; `RSI = 100 avg_gain / (avg_gain +
/// avg_loss)`. The first value is at index `period`. Where both averages are zero (a flat series)
/// TA-Lib returns 0, and so does this.
pub fn rsi(x: &[f64], period: usize) -> Series {
    let mut out = vec![None; x.len()];
    if period == 0 || x.len() <= period {
        return out;
    }
    let n = period as f64;
    // A day's change as (gain, loss), both non-negative.
    let split = |t: usize| {
        let change = x[t] - x[t - 1];
        (change.max(0.0), (-change).max(0.0))
    };
    let (mut gain, mut loss) = (0.0, 0.0);
    for t in 1..=period {
        let (g, l) = split(t);
        gain += g;
        loss += l;
    }
    gain /= n;
    loss /= n;
    out[period] = Some(rsi_value(gain, loss));
    for (t, value) in out.iter_mut().enumerate().skip(period + 1) {
        let (g, l) = split(t);
        gain = (gain * (n - 1.0) + g) / n;
        loss = (loss * (n - 1.0) + l) / n;
        *value = Some(rsi_value(gain, loss));
    }
    out
}

fn rsi_value(gain: f64, loss: f64) -> f64 {
    let total = gain + loss;
    // TA-Lib's TA_IS_ZERO: |v| < 1e-14.
    if total.abs() < 1e-14 {
        0.0
    } else {
        100.0 * gain / total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn momentum_by_hand() {
        assert_eq!(
            momentum(&[1.0, 4.0, 2.0, 7.0], 2),
            vec![None, None, Some(1.0), Some(3.0)]
        );
    }

    #[test]
    fn rsi_by_hand() {
        // Changes: +2, -1, +3, -2. Period 2: seed gain = (2 + 0) / 2 = 1, loss = (0 + 1) / 2 = 0.5
        // -> RSI 66.67 at t = 2. t = 3 (+3): gain = (1 + 3) / 2 = 2, loss = 0.5 / 2 = 0.25 -> 88.89.
        // t = 4 (-2): gain = 2 / 2 = 1, loss = (0.25 + 2) / 2 = 1.125 -> 47.06.
        let r = rsi(&[10.0, 12.0, 11.0, 14.0, 12.0], 2);
        assert_eq!(r[..2], [None, None]);
        assert_relative_eq!(r[2].unwrap(), 200.0 / 3.0, epsilon = 1e-12);
        assert_relative_eq!(r[3].unwrap(), 800.0 / 9.0, epsilon = 1e-12);
        assert_relative_eq!(r[4].unwrap(), 100.0 / 2.125, epsilon = 1e-12);
    }

    #[test]
    fn rsi_bounds_and_flat_series() {
        let up: Vec<f64> = (0..30).map(f64::from).collect();
        assert!(rsi(&up, 14)
            .iter()
            .flatten()
            .all(|v| (*v - 100.0).abs() < 1e-12));
        let flat = vec![5.0; 30];
        assert!(rsi(&flat, 14).iter().flatten().all(|v| *v == 0.0));
    }
}
