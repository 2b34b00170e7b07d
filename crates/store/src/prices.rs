//! Daily prices as the analytics read them: one row per token and day, oldest first.

use sqlx::Row;

use crate::Pool;

use crate::StoreError;

/// One stored daily price; missing fields stay `None`.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceRow {
    pub symbol: String,
    pub name: String,
    /// `YYYY-MM-DD`, UTC.
    pub day: String,
    pub open_usd: Option<f64>,
    pub high_usd: Option<f64>,
    pub low_usd: Option<f64>,
    pub close_usd: f64,
    pub volume_usd: Option<f64>,
    pub market_cap_usd: Option<f64>,
}

/// The daily prices of one token (by symbol, case-sensitive as stored) or of all tokens, ordered by
/// symbol and day.
pub async fn daily_prices(pool: &Pool, symbol: Option<&str>) -> Result<Vec<PriceRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT t.symbol, t.name, p.day, p.open_usd, p.high_usd, p.low_usd, p.close_usd,
                p.volume_usd, p.market_cap_usd
           FROM daily_prices p JOIN tokens t ON t.id = p.token_id
          WHERE $1 IS NULL OR t.symbol = $1
          ORDER BY t.symbol, p.day",
    )
    .bind(symbol.map(str::to_owned))
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PriceRow {
                symbol: r.try_get("symbol")?,
                name: r.try_get("name")?,
                day: r.try_get("day")?,
                open_usd: r.try_get("open_usd")?,
                high_usd: r.try_get("high_usd")?,
                low_usd: r.try_get("low_usd")?,
                close_usd: r.try_get("close_usd")?,
                volume_usd: r.try_get("volume_usd")?,
                market_cap_usd: r.try_get("market_cap_usd")?,
            })
        })
        .collect()
}
