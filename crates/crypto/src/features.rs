//! The feature frame: every token's features of `mmi_signals::FEATURE_NAMES`, one row per token
//! and day.

use mmi_signals::{token_features, PriceInput};
use polars::prelude::*;

use crate::frame::{f64_column, str_column};

/// The columns that identify a row of the feature frame, before the features.
pub const KEY_COLUMNS: [&str; 4] = ["symbol", "day", "close", "volume"];

/// Builds the feature frame from [`crate::prices_frame`]: the prices are partitioned by token,
/// each token's history sorted by day goes through `mmi_signals::token_features`, and the parts
/// are stacked again, sorted by symbol and day. A value at day `t` reads that token's days `<= t`
/// only.
pub fn feature_frame(prices: &DataFrame) -> PolarsResult<DataFrame> {
    let mut parts = prices.partition_by_stable(["symbol"], true)?;
    let mut frames = Vec::with_capacity(parts.len());
    for part in parts.drain(..) {
        let part = part.sort(["day"], SortMultipleOptions::default())?;
        let days = str_column(&part, "day")?;
        let close = f64_column(&part, "close")?
            .into_iter()
            .collect::<Option<Vec<f64>>>()
            .ok_or_else(|| polars_err!(ComputeError: "a close price is missing"))?;
        let volume = f64_column(&part, "volume")?;
        let features: Vec<Column> = token_features(PriceInput {
            days: &days,
            close_usd: &close,
            volume_usd: &volume,
        })
        .into_iter()
        .map(|f| Column::new(f.name.into(), f.values))
        .collect();
        frames.push(part.select(KEY_COLUMNS)?.hstack(&features)?);
    }
    let mut frames = frames.into_iter();
    let Some(mut out) = frames.next() else {
        return Ok(DataFrame::empty());
    };
    for frame in frames {
        out.vstack_mut_owned(frame)?;
    }
    out.rechunk_mut();
    out.sort(["symbol", "day"], SortMultipleOptions::default())
}
