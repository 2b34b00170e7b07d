//! The news sentiment index as requests read it: per token, every day's score with its close,
//! the day's strongest items, and the score's correlation with the next day's return. Rebuilt
//! when the data or the serving sentiment model (which rewrites the index) changes.

use std::collections::HashMap;

use mmi_store::sentiment::{sentiment_coverage, sentiment_series, top_items};
use mmi_store::Pool;
use mmi_types::{ModelRef, SentimentCoverage, SentimentItem, SentimentSeries};

use super::DataPart;
use crate::ServeError;

/// Items listed with a day's score.
pub const TOP_ITEMS: i64 = 5;

#[derive(Debug, Default)]
pub struct SentimentIndex {
    pub(crate) key: (i64, i64, Option<String>),
    pub coverage: Vec<SentimentCoverage>,
    pub by_symbol: HashMap<String, TokenSentiment>,
}

#[derive(Debug)]
pub struct TokenSentiment {
    /// Every day with news, oldest first, with its close and the next-day correlation.
    pub series: SentimentSeries,
    /// The strongest items of each day of `series.days`, in the same order.
    pub top: Vec<Vec<SentimentItem>>,
    /// The model that scored each day's items (`None` only if the day had no item rows).
    pub models: Vec<Option<ModelRef>>,
}

impl SentimentIndex {
    pub(crate) async fn build(
        pool: &Pool,
        key: (i64, i64, Option<String>),
        data: &DataPart,
    ) -> Result<SentimentIndex, ServeError> {
        let coverage = sentiment_coverage(pool).await?;
        let mut top: HashMap<(String, String), (Vec<SentimentItem>, ModelRef)> = HashMap::new();
        for r in top_items(pool, TOP_ITEMS).await? {
            top.entry((r.symbol, r.day))
                .or_insert_with(|| {
                    (
                        Vec::new(),
                        ModelRef {
                            name: r.model_name,
                            version: r.model_version,
                        },
                    )
                })
                .0
                .push(r.item);
        }
        let mut by_symbol = HashMap::new();
        for c in &coverage {
            let days = sentiment_series(pool, &c.symbol).await?;
            let series = series_of(&c.symbol, days, data);
            let (mut items, mut models) = (Vec::new(), Vec::new());
            for d in &series.days {
                let (i, m) = match top.remove(&(c.symbol.clone(), d.date.clone())) {
                    Some((i, m)) => (i, Some(m)),
                    None => (Vec::new(), None),
                };
                items.push(i);
                models.push(m);
            }
            by_symbol.insert(
                c.symbol.clone(),
                TokenSentiment {
                    series,
                    top: items,
                    models,
                },
            );
        }
        Ok(SentimentIndex {
            key,
            coverage,
            by_symbol,
        })
    }
}

/// A token's index with how the day's score relates to the next day's log return (where both
/// closes are stored: the next calendar day's close).
pub fn series_of(
    symbol: &str,
    days: Vec<mmi_types::SentimentDay>,
    data: &DataPart,
) -> SentimentSeries {
    let closes: HashMap<&str, f64> = data
        .crypto
        .prices
        .get(symbol)
        .map(|rows| rows.iter().map(|p| (p.day.as_str(), p.close_usd)).collect())
        .unwrap_or_default();
    let mut pairs = Vec::new();
    for d in &days {
        let Ok(day) = chrono::NaiveDate::parse_from_str(&d.date, "%Y-%m-%d") else {
            continue;
        };
        let next = (day + chrono::Days::new(1)).to_string();
        if let (Some(c0), Some(c1)) = (closes.get(d.date.as_str()), closes.get(next.as_str())) {
            if *c0 > 0.0 && *c1 > 0.0 {
                pairs.push((d.score, (c1 / c0).ln()));
            }
        }
    }
    SentimentSeries {
        symbol: symbol.to_string(),
        next_day_correlation: pearson(&pairs),
        correlation_days: pairs.len(),
        days,
    }
}

fn pearson(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < 3 {
        return None;
    }
    let n = pairs.len() as f64;
    let (mx, my) = (
        pairs.iter().map(|p| p.0).sum::<f64>() / n,
        pairs.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx).powi(2);
        syy += (y - my).powi(2);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correlation_by_hand() {
        assert_eq!(pearson(&[(0.0, 1.0), (1.0, 2.0)]), None);
        let r = pearson(&[(0.0, 1.0), (1.0, 3.0), (2.0, 5.0)]).expect("r");
        assert!((r - 1.0).abs() < 1e-12);
    }
}
