//! Volume features: TA-Lib `OBV`, the price-volume trend, and the volume ratio.
//!
//! Volume is often missing at the start of a token's history (the reference data has none for
//! BTC's first eight months). The cumulative indicators start on the first day with a volume; a
//! later missing day is `None` itself and adds nothing to the running total. Their level is
//! arbitrary anyway: only their changes carry information.

use crate::Series;

/// On-Balance Volume (TA-Lib `OBV`): starts at the first day's volume, then adds the day's volume
/// when the close rises, subtracts it when the close falls.
pub fn obv(close: &[f64], volume: &[Option<f64>]) -> Series {
    let mut out = vec![None; close.len()];
    let Some(start) = volume.iter().position(Option::is_some) else {
        return out;
    };
    let mut total = 0.0;
    let mut prev_close = close[start];
    for t in start..close.len().min(volume.len()) {
        if let Some(v) = volume[t] {
            if t == start {
                total = v;
            } else if close[t] > prev_close {
                total += v;
            } else if close[t] < prev_close {
                total -= v;
            }
            out[t] = Some(total);
        }
        prev_close = close[t];
    }
    out
}

/// Price-Volume Trend: `PVT_t = PVT_{t-1} + volume_t (close_t - close_{t-1}) / close_{t-1}`, zero on
/// the first day with a volume (<https://chartschool.stockcharts.com/table-of-contents/technical-indicators-and-overlays/technical-indicators/price-volume-trend-pvt>).
pub fn pvt(close: &[f64], volume: &[Option<f64>]) -> Series {
    let mut out = vec![None; close.len()];
    let Some(start) = volume.iter().position(Option::is_some) else {
        return out;
    };
    let mut total = 0.0;
    out[start] = Some(0.0);
    for t in start + 1..close.len().min(volume.len()) {
        if let Some(v) = volume[t] {
            if close[t - 1] > 0.0 {
                total += v * (close[t] - close[t - 1]) / close[t - 1];
            }
            out[t] = Some(total);
        }
    }
    out
}

/// Volume relative to its mean over the last `period` days, today included: `None` unless all
/// `period` volumes are present and their mean is positive.
pub fn volume_ratio(volume: &[Option<f64>], period: usize) -> Series {
    let mut out = vec![None; volume.len()];
    if period == 0 {
        return out;
    }
    for t in period.saturating_sub(1)..volume.len() {
        let window = &volume[t + 1 - period..=t];
        let Some(sum) = window.iter().copied().sum::<Option<f64>>() else {
            continue;
        };
        let mean = sum / period as f64;
        if mean > 0.0 {
            out[t] = volume[t].map(|v| v / mean);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn obv_by_hand() {
        let close = [10.0, 11.0, 11.0, 9.0, 12.0];
        let volume = [Some(5.0), Some(3.0), Some(7.0), Some(2.0), Some(4.0)];
        // 5, +3 = 8, unchanged close = 8, -2 = 6, +4 = 10.
        assert_eq!(
            obv(&close, &volume),
            vec![Some(5.0), Some(8.0), Some(8.0), Some(6.0), Some(10.0)]
        );
    }

    #[test]
    fn obv_and_pvt_start_with_the_first_volume_and_keep_gaps_missing() {
        let close = [10.0, 11.0, 12.0, 6.0, 9.0];
        let volume = [None, Some(4.0), None, Some(2.0), Some(1.0)];
        assert_eq!(
            obv(&close, &volume),
            vec![None, Some(4.0), None, Some(2.0), Some(3.0)]
        );
        let p = pvt(&close, &volume);
        assert_eq!(p[..3], [None, Some(0.0), None]);
        // t = 3: 2 * (6 - 12) / 12 = -1; t = 4: -1 + 1 * (9 - 6) / 6 = -0.5.
        assert_relative_eq!(p[3].unwrap(), -1.0);
        assert_relative_eq!(p[4].unwrap(), -0.5);
    }

    #[test]
    fn volume_ratio_by_hand() {
        let volume = [
            Some(1.0),
            Some(2.0),
            Some(3.0),
            None,
            Some(6.0),
            Some(6.0),
            Some(6.0),
        ];
        let r = volume_ratio(&volume, 3);
        assert_eq!(r[..2], [None, None]);
        assert_relative_eq!(r[2].unwrap(), 1.5);
        // Windows touching the missing day are undefined.
        assert_eq!(r[3..6], [None, None, None]);
        assert_relative_eq!(r[6].unwrap(), 1.0);
    }
}
