//! The supervised dataset of the crypto models: one row per token and day `t` with scale-free
//! features known at the close of `t`, and the targets of day `t + 1` (the token's next stored
//! day): its close, its log return and its direction.
//!
//! Price-level features (moving averages, bands, MACD in USD, OBV, PVT) are not comparable across
//! tokens nor stationary in time, so the models read them as ratios to the close instead. Rows
//! with any feature or target missing (a token's warm-up, its last day) are left out, never filled.

use polars::prelude::*;

use crate::frame::{f64_column, str_column};

/// The model features: the scale-free columns of the feature frame, then ratios derived here.
pub const MODEL_FEATURES: [&str; 27] = [
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
    "rsi_14",
    "bb_pct_b",
    "bb_bandwidth",
    "volume_ratio_20",
    "dow_sin",
    "dow_cos",
    "month_sin",
    "month_cos",
    // Derived: (x / close) - 1 for levels, x / close for differences.
    "close_to_sma_7",
    "close_to_sma_20",
    "close_to_sma_50",
    "close_to_sma_200",
    "close_to_ema_12",
    "close_to_ema_26",
    "macd_to_close",
    "macd_hist_to_close",
    "mom_10_to_close",
];

/// Rows of the panel, aligned: `columns[j][i]` is feature `MODEL_FEATURES[j]` of row `i`.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub columns: Vec<Vec<f64>>,
    pub symbols: Vec<String>,
    /// Day `t` of the features (`YYYY-MM-DD`).
    pub days: Vec<String>,
    pub close: Vec<f64>,
    /// The targets, from the token's next stored day.
    pub next_day: Vec<String>,
    pub next_close: Vec<f64>,
    pub next_log_return: Vec<f64>,
    pub next_up: Vec<bool>,
}

impl Dataset {
    pub fn n_rows(&self) -> usize {
        self.days.len()
    }

    /// The rows at `indices`, in that order.
    pub fn select(&self, indices: &[usize]) -> Dataset {
        let pick_f = |v: &[f64]| indices.iter().map(|&i| v[i]).collect::<Vec<_>>();
        let pick_s = |v: &[String]| indices.iter().map(|&i| v[i].clone()).collect::<Vec<_>>();
        Dataset {
            columns: self.columns.iter().map(|c| pick_f(c)).collect(),
            symbols: pick_s(&self.symbols),
            days: pick_s(&self.days),
            close: pick_f(&self.close),
            next_day: pick_s(&self.next_day),
            next_close: pick_f(&self.next_close),
            next_log_return: pick_f(&self.next_log_return),
            next_up: indices.iter().map(|&i| self.next_up[i]).collect(),
        }
    }
}

/// The model feature columns of every row of the feature frame, with the keys.
struct ModelColumns {
    symbols: Vec<String>,
    days: Vec<String>,
    close: Vec<Option<f64>>,
    columns: Vec<Vec<Option<f64>>>,
}

impl ModelColumns {
    fn of(features: &DataFrame) -> PolarsResult<Self> {
        let close = f64_column(features, "close")?;
        let get = |name: &str| f64_column(features, name);
        let ratio = |name: &str, minus_one: bool| -> PolarsResult<Vec<Option<f64>>> {
            Ok(get(name)?
                .into_iter()
                .zip(&close)
                .map(|(x, c)| {
                    let (x, c) = (x?, (*c)?);
                    (c > 0.0).then(|| if minus_one { c / x - 1.0 } else { x / c })
                })
                .collect())
        };
        let mut columns: Vec<Vec<Option<f64>>> = MODEL_FEATURES[..18]
            .iter()
            .map(|n| get(n))
            .collect::<PolarsResult<_>>()?;
        for name in ["sma_7", "sma_20", "sma_50", "sma_200", "ema_12", "ema_26"] {
            columns.push(ratio(name, true)?);
        }
        for name in ["macd", "macd_hist", "mom_10"] {
            columns.push(ratio(name, false)?);
        }
        Ok(ModelColumns {
            symbols: str_column(features, "symbol")?,
            days: str_column(features, "day")?,
            close,
            columns,
        })
    }

    /// Row `i`'s features, if every one is defined and finite.
    fn row(&self, i: usize) -> Option<Vec<f64>> {
        self.columns
            .iter()
            .map(|col| col[i].filter(|v| v.is_finite()))
            .collect()
    }
}

/// A token's features at its last stored day: what a next-day prediction reads.
#[derive(Debug, Clone, PartialEq)]
pub struct LatestFeatures {
    pub symbol: String,
    pub day: String,
    pub close: f64,
    /// In [`MODEL_FEATURES`] order; `None` when the token's history is too short to define them.
    pub features: Option<Vec<f64>>,
}

/// Every token's last row of [`crate::feature_frame`] (sorted by symbol and day).
pub fn latest_features(features: &DataFrame) -> PolarsResult<Vec<LatestFeatures>> {
    let m = ModelColumns::of(features)?;
    let n = m.symbols.len();
    Ok((0..n)
        .filter(|&i| i + 1 == n || m.symbols[i + 1] != m.symbols[i])
        .filter_map(|i| {
            Some(LatestFeatures {
                symbol: m.symbols[i].clone(),
                day: m.days[i].clone(),
                close: m.close[i]?,
                features: m.row(i),
            })
        })
        .collect())
}

/// Builds the dataset from [`crate::feature_frame`] (sorted by symbol and day).
pub fn next_day_dataset(features: &DataFrame) -> PolarsResult<Dataset> {
    let ModelColumns {
        symbols,
        days,
        close,
        columns,
    } = ModelColumns::of(features)?;
    let model = ModelColumns {
        symbols: Vec::new(),
        days: Vec::new(),
        close: Vec::new(),
        columns,
    };
    let mut out = Dataset {
        columns: vec![Vec::new(); MODEL_FEATURES.len()],
        symbols: Vec::new(),
        days: Vec::new(),
        close: Vec::new(),
        next_day: Vec::new(),
        next_close: Vec::new(),
        next_log_return: Vec::new(),
        next_up: Vec::new(),
    };
    for i in 0..symbols.len().saturating_sub(1) {
        // The target is the same token's next row; the frame is sorted by symbol, then day.
        if symbols[i + 1] != symbols[i] {
            continue;
        }
        let (Some(c), Some(next)) = (close[i], close[i + 1]) else {
            continue;
        };
        if c <= 0.0 || next <= 0.0 {
            continue;
        }
        let Some(row) = model.row(i) else {
            continue;
        };
        for (j, v) in row.into_iter().enumerate() {
            out.columns[j].push(v);
        }
        out.symbols.push(symbols[i].clone());
        out.days.push(days[i].clone());
        out.close.push(c);
        out.next_day.push(days[i + 1].clone());
        out.next_close.push(next);
        out.next_log_return.push((next / c).ln());
        out.next_up.push(next > c);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_feature_list_is_consistent() {
        assert!(MODEL_FEATURES[..18]
            .iter()
            .all(|f| mmi_signals::FEATURE_NAMES.contains(f)));
        let mut unique = MODEL_FEATURES.to_vec();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), MODEL_FEATURES.len());
    }
}
