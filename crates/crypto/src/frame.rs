//! Stored daily prices as a polars frame, and typed access to its columns.

use mmi_store::PriceRow;
use polars::prelude::*;

/// One row per token and day: `symbol, name, day, open, high, low, close, volume, market_cap`
/// (USD; missing values are nulls).
pub fn prices_frame(rows: &[PriceRow]) -> PolarsResult<DataFrame> {
    let text = |f: fn(&PriceRow) -> &str| -> Vec<&str> { rows.iter().map(f).collect() };
    let num =
        |f: fn(&PriceRow) -> Option<f64>| -> Vec<Option<f64>> { rows.iter().map(f).collect() };
    DataFrame::new_infer_height(vec![
        Column::new("symbol".into(), text(|r| &r.symbol)),
        Column::new("name".into(), text(|r| &r.name)),
        Column::new("day".into(), text(|r| &r.day)),
        Column::new("open".into(), num(|r| r.open_usd)),
        Column::new("high".into(), num(|r| r.high_usd)),
        Column::new("low".into(), num(|r| r.low_usd)),
        Column::new("close".into(), num(|r| Some(r.close_usd))),
        Column::new("volume".into(), num(|r| r.volume_usd)),
        Column::new("market_cap".into(), num(|r| r.market_cap_usd)),
    ])
}

/// A float column as `Option`s (nulls and NaN are `None`).
pub fn f64_column(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    Ok(df
        .column(name)?
        .cast(&DataType::Float64)?
        .f64()?
        .iter()
        .map(|v| v.filter(|v| !v.is_nan()))
        .collect())
}

/// A text column (nulls become empty strings: key columns have none).
pub fn str_column(df: &DataFrame, name: &str) -> PolarsResult<Vec<String>> {
    Ok(df
        .column(name)?
        .str()?
        .iter()
        .map(|v| v.unwrap_or_default().to_owned())
        .collect())
}
