//! CoinMarketCap-style daily price CSVs (`coin_*.csv`):
//! `SNo,Name,Symbol,Date,High,Low,Open,Close,Volume,Marketcap`, one row per token and UTC day.

use std::collections::BTreeMap;
use std::path::Path;

use mmi_store::{upsert, Conn, Outcome, Pool, SqlValue, StoreError};

use super::{file_label, read_csv, CsvColumns};
use crate::batch::{write_rows, Record};
use crate::text::{opt_f64, required_non_negative};
use crate::{FileReport, IngestError, Progress};

/// Where the rows of this importer say they came from.
pub(crate) const SOURCE: &str = "coinmarketcap-csv";

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PriceRow {
    pub token_id: i64,
    pub day: String,
    /// Open, high, low; `None` when the source has no such columns at all (CoinGecko), so an
    /// upsert from it leaves those of another source alone.
    pub ohlc: Option<[Option<f64>; 3]>,
    pub close_usd: f64,
    pub volume_usd: Option<f64>,
    pub market_cap_usd: Option<f64>,
    pub source: &'static str,
}

impl Record for PriceRow {
    fn key(&self) -> String {
        format!("{}/{}", self.token_id, self.day)
    }

    async fn write(&self, conn: &mut Conn) -> Result<Outcome, StoreError> {
        let mut values = vec![
            ("close_usd", self.close_usd.into()),
            ("volume_usd", self.volume_usd.into()),
            ("market_cap_usd", self.market_cap_usd.into()),
            ("source", self.source.into()),
        ];
        if let Some([open, high, low]) = self.ohlc {
            values.extend([
                ("open_usd", open.into()),
                ("high_usd", high.into()),
                ("low_usd", low.into()),
            ]);
        }
        upsert(
            conn,
            "daily_prices",
            &[
                ("token_id", self.token_id.into()),
                ("day", self.day.as_str().into()),
            ],
            &values,
        )
        .await
    }
}

/// Upserts a token by symbol; returns its id and what the upsert did.
pub(crate) async fn upsert_token(
    conn: &mut Conn,
    symbol: &str,
    name: &str,
    extra: &[(&str, SqlValue)],
) -> Result<(i64, Outcome), StoreError> {
    let mut values = vec![("name", SqlValue::from(name))];
    values.extend_from_slice(extra);
    let outcome = upsert(conn, "tokens", &[("symbol", symbol.into())], &values).await?;
    let id = mmi_store::token_id(conn, symbol)
        .await?
        .ok_or(StoreError::Sqlx(sqlx::Error::RowNotFound))?;
    Ok((id, outcome))
}

/// The day of a CoinMarketCap timestamp (`2013-04-29 23:59:59` is the close of 2013-04-29 UTC).
fn parse_day(field: &str) -> Result<String, String> {
    let t = field.trim();
    let date = t.get(..10).unwrap_or(t);
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(|d| d.format("%Y-%m-%d").to_string())
        .map_err(|_| format!("Date: not a YYYY-MM-DD date: {t:?}"))
}

/// CoinMarketCap writes 0 where it has no volume or market cap (BTC's first months, new
/// tokens): no traded token has zero volume, so 0 is stored as missing, not as a measurement.
pub(crate) fn zero_is_missing(v: Option<f64>) -> Option<f64> {
    v.filter(|x| *x != 0.0)
}

struct Parsed {
    symbol: String,
    name: String,
    day: String,
    open: Option<f64>,
    high: Option<f64>,
    low: Option<f64>,
    close: f64,
    volume: Option<f64>,
    market_cap: Option<f64>,
}

fn parse_row(c: &CsvColumns, r: &csv::StringRecord) -> Result<Parsed, String> {
    let symbol = c.get(r, "Symbol").trim().to_uppercase();
    if symbol.is_empty() {
        return Err("Symbol: missing".into());
    }
    let non_negative = |col: &str| -> Result<Option<f64>, String> {
        match opt_f64(c.get(r, col), col)? {
            Some(v) if v < 0.0 => Err(format!("{col}: negative: {v}")),
            v => Ok(v),
        }
    };
    let (high, low) = (non_negative("High")?, non_negative("Low")?);
    if let (Some(h), Some(l)) = (high, low) {
        if h < l {
            return Err(format!("High {h} is below Low {l}"));
        }
    }
    Ok(Parsed {
        name: c.get(r, "Name").trim().to_owned(),
        day: parse_day(c.get(r, "Date"))?,
        open: non_negative("Open")?,
        high,
        low,
        close: required_non_negative(c.get(r, "Close"), "Close")?,
        volume: zero_is_missing(non_negative("Volume")?),
        market_cap: zero_is_missing(non_negative("Marketcap")?),
        symbol,
    })
}

/// Imports one price CSV.
pub(crate) async fn import(
    pool: &Pool,
    path: &Path,
    progress: &Progress,
) -> Result<FileReport, IngestError> {
    let mut report = FileReport::new(file_label(path));
    let columns = [
        "Name",
        "Symbol",
        "Date",
        "High",
        "Low",
        "Open",
        "Close",
        "Volume",
        "Marketcap",
    ];
    let (header, records) = read_csv(path, &columns, &mut report)?;
    let mut parsed = Vec::new();
    for (line, record) in records {
        match parse_row(&header, &record) {
            Ok(p) => parsed.push((line, p)),
            Err(reason) => report.reject(line, reason),
        }
    }

    // Tokens first, in their own transaction: the price rows reference them.
    let mut names: BTreeMap<&str, &str> = BTreeMap::new();
    for (_, p) in &parsed {
        names.entry(&p.symbol).or_insert(&p.name);
    }
    let mut ids = BTreeMap::new();
    let mut tx = pool.begin().await?;
    for (symbol, name) in names {
        let name = if name.is_empty() { symbol } else { name };
        ids.insert(
            symbol.to_owned(),
            upsert_token(&mut tx, symbol, name, &[]).await?.0,
        );
    }
    tx.commit().await?;

    let rows = parsed
        .into_iter()
        .map(|(line, p)| {
            (
                line,
                PriceRow {
                    token_id: ids[&p.symbol],
                    day: p.day,
                    ohlc: Some([p.open, p.high, p.low]),
                    close_usd: p.close,
                    volume_usd: p.volume,
                    market_cap_usd: p.market_cap,
                    source: SOURCE,
                },
            )
        })
        .collect();
    write_rows(pool, rows, &mut report, progress).await?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_come_from_cmc_timestamps() {
        assert_eq!(parse_day("2013-04-29 23:59:59").unwrap(), "2013-04-29");
        assert_eq!(parse_day("2021-07-06").unwrap(), "2021-07-06");
        assert!(parse_day("29/04/2013").is_err());
    }

    #[test]
    fn zero_volume_is_missing_but_small_volume_is_kept() {
        assert_eq!(zero_is_missing(Some(0.0)), None);
        assert_eq!(zero_is_missing(Some(0.5)), Some(0.5));
        assert_eq!(zero_is_missing(None), None);
    }
}
