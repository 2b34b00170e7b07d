//! Moving averages: TA-Lib `SMA` and `EMA`.

use crate::Series;

/// Simple moving average over `period` observations (TA-Lib `SMA`): the first value is at index
/// `period - 1`. A running sum, as TA-Lib keeps it.
pub fn sma(x: &[f64], period: usize) -> Series {
    let mut out = vec![None; x.len()];
    if period == 0 || x.len() < period {
        return out;
    }
    let mut total: f64 = x[..period - 1].iter().sum();
    for t in period - 1..x.len() {
        total += x[t];
        out[t] = Some(total / period as f64);
        total -= x[t + 1 - period];
    }
    out
}

/// Exponential moving average (TA-Lib `EMA`, default compatibility): smoothing `k = 2 / (period +
/// 1)`, seeded with the simple mean of the first `period` values, so the first value is at index
/// `period - 1`; then `ema_t = ema_{t-1} + k (x_t - ema_{t-1})`.
pub fn ema(x: &[f64], period: usize) -> Series {
    match period {
        0 => vec![None; x.len()],
        _ => ema_seeded_at(x, period, period - 1),
    }
}

/// An EMA whose seed is the mean of the `period` values ending at `seed_at` (TA-Lib's `INT_EMA`
/// with a later start index: MACD seeds its fast EMA where the slow one starts).
pub(crate) fn ema_seeded_at(x: &[f64], period: usize, seed_at: usize) -> Series {
    let mut out = vec![None; x.len()];
    if period == 0 || seed_at + 1 < period || seed_at >= x.len() {
        return out;
    }
    let k = 2.0 / (period as f64 + 1.0);
    let mut prev = x[seed_at + 1 - period..=seed_at].iter().sum::<f64>() / period as f64;
    out[seed_at] = Some(prev);
    for t in seed_at + 1..x.len() {
        prev += (x[t] - prev) * k;
        out[t] = Some(prev);
    }
    out
}

/// The EMA of a series that is defined from some index on (e.g. the MACD line): computed on the
/// defined tail, aligned back. A gap after the first defined value ends the output there.
pub(crate) fn ema_of_defined(x: &[Option<f64>], period: usize) -> Series {
    let mut out = vec![None; x.len()];
    let Some(start) = x.iter().position(Option::is_some) else {
        return out;
    };
    let tail: Vec<f64> = x[start..].iter().map_while(|v| *v).collect();
    for (i, v) in ema(&tail, period).into_iter().enumerate() {
        out[start + i] = v;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn sma_by_hand() {
        let s = sma(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 3);
        assert_eq!(
            s,
            vec![None, None, Some(2.0), Some(3.0), Some(4.0), Some(5.0)]
        );
        assert_eq!(sma(&[1.0, 2.0], 3), vec![None, None]);
        assert_eq!(sma(&[], 3), Vec::<Option<f64>>::new());
    }

    #[test]
    fn ema_by_hand() {
        // k = 2 / (3 + 1) = 0.5; seed = mean(2, 4, 6) = 4; then 4 + 0.5 (8 - 4) = 6; 6 + 0.5 (3 - 6) = 4.5.
        let e = ema(&[2.0, 4.0, 6.0, 8.0, 3.0], 3);
        assert_eq!(e[..2], [None, None]);
        assert_relative_eq!(e[2].unwrap(), 4.0);
        assert_relative_eq!(e[3].unwrap(), 6.0);
        assert_relative_eq!(e[4].unwrap(), 4.5);
    }

    #[test]
    fn ema_of_a_series_with_a_warm_up() {
        let x = [None, None, Some(2.0), Some(4.0), Some(6.0), Some(8.0)];
        let e = ema_of_defined(&x, 3);
        assert_eq!(e[..4], [None, None, None, None]);
        assert_relative_eq!(e[4].unwrap(), 4.0);
        assert_relative_eq!(e[5].unwrap(), 6.0);
    }
}
