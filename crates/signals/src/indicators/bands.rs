//! Bollinger Bands: TA-Lib `BBANDS` (simple moving average), with %B and bandwidth.

use crate::Series;

/// The bands and the two derived measures, aligned with the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Bollinger {
    pub upper: Series,
    pub middle: Series,
    pub lower: Series,
    /// Where the close sits in the band: `(x - lower) / (upper - lower)`; undefined for a zero-width band.
    pub percent_b: Series,
    /// Band width relative to the middle: `(upper - lower) / middle`; undefined for a zero middle.
    pub bandwidth: Series,
}

/// Bollinger Bands over `period` with `k` standard deviations (TA-Lib `BBANDS` with `MA_Type` SMA):
/// middle = SMA, the deviation is the *population* standard deviation of the window (TA-Lib's
/// `STDDEV`), upper/lower = middle ± k σ. %B and bandwidth are John Bollinger's definitions
/// (<https://www.bollingerbands.com/bollinger-band-rules>), not TA-Lib functions.
pub fn bollinger(x: &[f64], period: usize, k: f64) -> Bollinger {
    let n = x.len();
    let mut b = Bollinger {
        upper: vec![None; n],
        middle: vec![None; n],
        lower: vec![None; n],
        percent_b: vec![None; n],
        bandwidth: vec![None; n],
    };
    if period == 0 || n < period {
        return b;
    }
    let p = period as f64;
    for t in period - 1..n {
        let window = &x[t + 1 - period..=t];
        let mean = window.iter().sum::<f64>() / p;
        let variance = window.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / p;
        let sd = variance.max(0.0).sqrt();
        let (upper, lower) = (mean + k * sd, mean - k * sd);
        b.upper[t] = Some(upper);
        b.middle[t] = Some(mean);
        b.lower[t] = Some(lower);
        b.percent_b[t] = (upper > lower).then(|| (x[t] - lower) / (upper - lower));
        b.bandwidth[t] = (mean != 0.0).then(|| (upper - lower) / mean);
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn bollinger_by_hand() {
        // Window (2, 4, 6): mean 4, population variance (4 + 0 + 4) / 3 = 8/3.
        let b = bollinger(&[2.0, 4.0, 6.0], 3, 2.0);
        let sd = (8.0f64 / 3.0).sqrt();
        assert_relative_eq!(b.middle[2].unwrap(), 4.0);
        assert_relative_eq!(b.upper[2].unwrap(), 4.0 + 2.0 * sd, epsilon = 1e-12);
        assert_relative_eq!(b.lower[2].unwrap(), 4.0 - 2.0 * sd, epsilon = 1e-12);
        assert_relative_eq!(
            b.percent_b[2].unwrap(),
            (6.0 - 4.0 + 2.0 * sd) / (4.0 * sd),
            epsilon = 1e-12
        );
        assert_relative_eq!(b.bandwidth[2].unwrap(), 4.0 * sd / 4.0, epsilon = 1e-12);
        assert_eq!(b.upper[1], None);
    }

    #[test]
    fn a_flat_window_has_no_percent_b() {
        let b = bollinger(&[3.0; 5], 3, 2.0);
        assert_eq!(b.upper[4], Some(3.0));
        assert_eq!(b.percent_b[4], None);
        assert_eq!(b.bandwidth[4], Some(0.0));
    }
}
