//! Moving Average Convergence/Divergence: TA-Lib `MACD`.

use super::moving::{ema, ema_of_defined, ema_seeded_at};
use crate::Series;

/// The three MACD outputs, aligned with the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Macd {
    /// Fast EMA minus slow EMA.
    pub line: Series,
    /// EMA of the line over the signal period.
    pub signal: Series,
    /// Line minus signal.
    pub histogram: Series,
}

/// MACD as TA-Lib computes it (`ta_MACD.c`), which differs from "EMA12 − EMA26" on the first
/// values: the fast EMA is seeded with the mean of the `fast` values ending where the slow EMA
/// starts (index `slow - 1`), not at index `fast - 1`; the signal EMA is seeded with the mean of the
/// first `signal` line values. All three outputs start at index `slow - 1 + signal - 1` (33 for
/// 12/26/9), as TA-Lib's do. If `slow < fast` the two are swapped, as in TA-Lib.
pub fn macd(x: &[f64], fast: usize, slow: usize, signal: usize) -> Macd {
    let (fast, slow) = if slow < fast {
        (slow, fast)
    } else {
        (fast, slow)
    };
    let n = x.len();
    let none = || vec![None; n];
    if fast == 0 || signal == 0 || n < slow + signal - 1 {
        return Macd {
            line: none(),
            signal: none(),
            histogram: none(),
        };
    }
    let slow_ema = ema(x, slow);
    let fast_ema = ema_seeded_at(x, fast, slow - 1);
    let line: Series = slow_ema
        .iter()
        .zip(&fast_ema)
        .map(|(s, f)| Some(f.as_ref()? - s.as_ref()?))
        .collect();
    let signal_line = ema_of_defined(&line, signal);
    let first = slow - 1 + signal - 1;
    let mut out_line = none();
    let mut histogram = none();
    for t in first..n {
        out_line[t] = line[t];
        histogram[t] = line[t].zip(signal_line[t]).map(|(l, s)| l - s);
    }
    Macd {
        line: out_line,
        signal: signal_line,
        histogram,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn macd_by_hand_with_short_periods() {
        // fast 2, slow 3, signal 2 on 1..=6. Slow EMA (k = 0.5): seed mean(1,2,3) = 2 at t = 2,
        // then 3, 4, 5. Fast EMA (k = 2/3) seeded at t = 2 with mean(2, 3) = 2.5, then
        // 2.5 + (4 - 2.5) 2/3 = 3.5, 4.5, 5.5. Line from t = 2: 0.5, 0.5, 0.5, 0.5. Signal = EMA2 of
        // the line seeded at t = 3 with 0.5; outputs start at t = 3.
        let m = macd(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2, 3, 2);
        assert_eq!(m.line[..3], [None, None, None]);
        for t in 3..6 {
            assert_relative_eq!(m.line[t].unwrap(), 0.5, epsilon = 1e-12);
            assert_relative_eq!(m.signal[t].unwrap(), 0.5, epsilon = 1e-12);
            assert_relative_eq!(m.histogram[t].unwrap(), 0.0, epsilon = 1e-12);
        }
    }

    #[test]
    fn macd_is_undefined_on_a_short_series() {
        let m = macd(&[1.0; 20], 12, 26, 9);
        assert!(m
            .line
            .iter()
            .chain(&m.signal)
            .chain(&m.histogram)
            .all(Option::is_none));
    }
}
