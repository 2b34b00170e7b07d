//! The crypto analytics as pages receive them: a token's price history with its return statistics,
//! and the market overview across tokens.

use serde::{Deserialize, Serialize};

/// A token's daily history for a date range, plus the days before it that the indicators need to
/// warm up (the browser computes the indicators from these columns with `mmi-signals`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriceHistory {
    pub symbol: String,
    pub name: String,
    /// `YYYY-MM-DD`, oldest first; all columns below are aligned with it.
    pub days: Vec<String>,
    pub open_usd: Vec<Option<f64>>,
    pub high_usd: Vec<Option<f64>>,
    pub low_usd: Vec<Option<f64>>,
    pub close_usd: Vec<f64>,
    pub volume_usd: Vec<Option<f64>>,
    /// Index of the first day of the requested range: rows before it are warm-up only.
    pub range_start: usize,
}

/// What the token page shows for a date range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenEda {
    pub history: PriceHistory,
    /// The whole stored history's first and last day (the bounds of the date pickers).
    pub first_day: String,
    pub last_day: String,
    pub stats: ReturnStats,
    pub histogram: Option<ReturnHistogram>,
}

/// Statistics of the daily simple returns inside the range.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReturnStats {
    pub n_returns: usize,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub std_dev: Option<f64>,
    pub skewness: Option<f64>,
    pub excess_kurtosis: Option<f64>,
    /// Sample standard deviation of daily log returns × √365.
    pub annualised_volatility: Option<f64>,
    /// Worst peak-to-trough fall of the close inside the range (≤ 0).
    pub max_drawdown: Option<f64>,
    pub best_day: Option<DayValue>,
    pub worst_day: Option<DayValue>,
    /// Jarque–Bera test of normality of the returns.
    pub jarque_bera: Option<f64>,
    pub jarque_bera_p: Option<f64>,
}

/// A value on a day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayValue {
    pub day: String,
    pub value: f64,
}

/// A histogram of daily returns with the fitted normal's expected counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReturnHistogram {
    pub centers: Vec<f64>,
    pub width: f64,
    pub counts: Vec<u32>,
    pub normal_fit: Vec<f64>,
}

/// How to correlate returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Correlation {
    #[default]
    Pearson,
    Spearman,
}

/// The market page: every token's recent metrics, return correlations and cumulative returns over
/// a window ending on the last stored day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarketOverview {
    pub last_day: String,
    /// The window's first day (inclusive).
    pub from_day: String,
    /// Days in the window; `None` for the whole history.
    pub window_days: Option<u32>,
    pub tokens: Vec<TokenMetrics>,
    pub correlation: CorrelationMatrix,
    pub cumulative: CumulativeReturns,
}

/// A token's size and its last-30-days behaviour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenMetrics {
    pub symbol: String,
    pub name: String,
    pub n_days: u32,
    pub first_day: String,
    pub last_day: String,
    pub close_usd: f64,
    pub market_cap_usd: Option<f64>,
    /// Simple return over the last 30 days.
    pub return_30d: Option<f64>,
    /// Annualised volatility of the last 30 daily log returns.
    pub volatility_30d: Option<f64>,
    /// Worst drawdown inside the last 30 days (≤ 0).
    pub max_drawdown_30d: Option<f64>,
    /// Mean daily volume over the last 30 days, USD.
    pub mean_volume_30d_usd: Option<f64>,
}

/// Pairwise correlations of daily log returns over the window, on the days both tokens traded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrelationMatrix {
    pub method: Correlation,
    pub symbols: Vec<String>,
    /// `values[i][j]`: `None` where fewer than 3 common days exist.
    pub values: Vec<Vec<Option<f64>>>,
    /// Common days behind each value.
    pub n_obs: Vec<Vec<u32>>,
}

/// Growth of 1 USD held from the window's first day (or the token's first day inside it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CumulativeReturns {
    pub days: Vec<String>,
    pub series: Vec<SymbolSeries>,
}

/// One token's values aligned with a shared list of days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SymbolSeries {
    pub symbol: String,
    pub values: Vec<Option<f64>>,
}
