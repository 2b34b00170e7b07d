//! The per-token feature set every crypto model reads: one column per feature, aligned with the
//! token's days. The server builds its feature frame from these columns; the browser charts them.

use crate::calendar::{cyclical, Day};
use crate::indicators::{bollinger, ema, macd, momentum, obv, pvt, rsi, sma, volume_ratio};
use crate::risk::{annualised_volatility, drawdown, log_returns, max_drawdown, simple_returns};
use crate::Series;

/// One token's daily history, oldest first.
#[derive(Debug, Clone, Copy)]
pub struct PriceInput<'a> {
    /// `YYYY-MM-DD`, one per observation.
    pub days: &'a [String],
    pub close_usd: &'a [f64],
    /// Traded volume in USD; `None` where the source has none.
    pub volume_usd: &'a [Option<f64>],
}

/// A named feature column.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureColumn {
    pub name: &'static str,
    pub values: Series,
}

/// The features, in the order [`token_features`] returns them.
pub const FEATURE_NAMES: [&str; 33] = [
    "ret_1",
    "ret_7",
    "ret_30",
    "log_ret_1",
    "log_ret_7",
    "log_ret_30",
    "vol_7",
    "vol_30",
    "drawdown",
    "max_drawdown",
    "mom_10",
    "sma_7",
    "sma_20",
    "sma_50",
    "sma_200",
    "ema_12",
    "ema_26",
    "rsi_14",
    "macd",
    "macd_signal",
    "macd_hist",
    "bb_upper",
    "bb_middle",
    "bb_lower",
    "bb_pct_b",
    "bb_bandwidth",
    "volume_ratio_20",
    "pvt",
    "obv",
    "dow_sin",
    "dow_cos",
    "month_sin",
    "month_cos",
];

/// The longest look-back of any feature (SMA 200): from this index on, every price feature is
/// defined for a token with a complete history.
pub const WARM_UP_DAYS: usize = 199;

/// Computes every feature of [`FEATURE_NAMES`] for one token. Each value at day `t` reads days
/// `<= t` only.
pub fn token_features(input: PriceInput<'_>) -> Vec<FeatureColumn> {
    let close = input.close_usd;
    let volume = input.volume_usd;
    let m = macd(close, 12, 26, 9);
    let b = bollinger(close, 20, 2.0);
    let days: Vec<Option<Day>> = input.days.iter().map(|d| Day::parse(d)).collect();
    let calendar = |f: fn(Day) -> (u32, u32), sin: bool| -> Series {
        days.iter()
            .map(|d| {
                d.map(|d| {
                    let (position, period) = f(d);
                    let (s, c) = cyclical(position, period);
                    if sin {
                        s
                    } else {
                        c
                    }
                })
            })
            .collect()
    };
    let dow = |d: Day| (d.weekday(), 7);
    let month = |d: Day| (d.month - 1, 12);
    let columns: [Series; 33] = [
        simple_returns(close, 1),
        simple_returns(close, 7),
        simple_returns(close, 30),
        log_returns(close, 1),
        log_returns(close, 7),
        log_returns(close, 30),
        annualised_volatility(close, 7),
        annualised_volatility(close, 30),
        drawdown(close),
        max_drawdown(close),
        momentum(close, 10),
        sma(close, 7),
        sma(close, 20),
        sma(close, 50),
        sma(close, 200),
        ema(close, 12),
        ema(close, 26),
        rsi(close, 14),
        m.line,
        m.signal,
        m.histogram,
        b.upper,
        b.middle,
        b.lower,
        b.percent_b,
        b.bandwidth,
        volume_ratio(volume, 20),
        pvt(close, volume),
        obv(close, volume),
        calendar(dow, true),
        calendar(dow, false),
        calendar(month, true),
        calendar(month, false),
    ];
    FEATURE_NAMES
        .iter()
        .zip(columns)
        .map(|(name, values)| FeatureColumn { name, values })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic, bumpy price path with a missing-volume stretch at the start.
    fn history(n: usize) -> (Vec<String>, Vec<f64>, Vec<Option<f64>>) {
        let days = (0..n)
            .map(|i| format!("2020-{:02}-{:02}", 1 + (i / 28) % 12, 1 + i % 28))
            .collect();
        let close = (0..n)
            .map(|i| 100.0 + 10.0 * ((i as f64) * 0.37).sin() + (i as f64) * 0.05)
            .collect();
        let volume = (0..n)
            .map(|i| (i >= 15).then(|| 1e6 + 1e5 * ((i as f64) * 0.11).cos()))
            .collect();
        (days, close, volume)
    }

    #[test]
    fn every_feature_has_the_input_length() {
        let (days, close, volume) = history(300);
        let cols = token_features(PriceInput {
            days: &days,
            close_usd: &close,
            volume_usd: &volume,
        });
        assert_eq!(cols.len(), FEATURE_NAMES.len());
        for c in &cols {
            assert_eq!(c.values.len(), 300, "{}", c.name);
            assert!(
                c.values[WARM_UP_DAYS..].iter().all(Option::is_some),
                "{} has a gap",
                c.name
            );
        }
    }

    /// The no-look-ahead property: replacing everything after day `t` by a different future (and
    /// dropping it) leaves every feature up to `t` bit-for-bit unchanged.
    #[test]
    fn features_up_to_a_day_ignore_the_future() {
        let (days, close, volume) = history(320);
        let full = token_features(PriceInput {
            days: &days,
            close_usd: &close,
            volume_usd: &volume,
        });
        for cut in [0, 1, 13, 14, 33, 120, 199, 250, 318] {
            let mut other_close = close.clone();
            let mut other_volume = volume.clone();
            for i in cut + 1..close.len() {
                other_close[i] *= 3.0 + (i as f64).sin();
                other_volume[i] = Some(42.0 * i as f64);
            }
            let shifted = token_features(PriceInput {
                days: &days,
                close_usd: &other_close,
                volume_usd: &other_volume,
            });
            let truncated = token_features(PriceInput {
                days: &days[..=cut],
                close_usd: &close[..=cut],
                volume_usd: &volume[..=cut],
            });
            for ((f, s), t) in full.iter().zip(&shifted).zip(&truncated) {
                assert_eq!(
                    f.values[..=cut],
                    s.values[..=cut],
                    "{} at cut {cut}",
                    f.name
                );
                assert_eq!(f.values[..=cut], t.values[..], "{} at cut {cut}", f.name);
            }
        }
    }
}
