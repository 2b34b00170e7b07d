//! `GET /api/sentiment`, `POST /api/sentiment` and the sentiment page's server side: the serving
//! model loaded once per version and kept, the index read from the store, and the requests'
//! validation. Texts are scored by `mmi_text::sentiment`, the code the browser runs on the same
//! bytes.

use mmi_store::sentiment::{sentiment_day, sentiment_series};
use mmi_store::tracking::{serving_version, ModelVersion};
use mmi_store::SqlitePool;
use mmi_text::sentiment::{SentimentModel, NEGATIVE, NEUTRAL, POSITIVE};
use mmi_types::{
    label_of_score, ModelRef, SentimentProbabilities, SentimentResponse, SentimentSeries,
    SentimentTextsRequest, SentimentTextsResponse, TextSentiment, MAX_SENTIMENT_CHARS,
    MAX_SENTIMENT_TEXTS, SENTIMENT_LABELS,
};

use super::TASK;
use mmi_store::serving::ServingCache;

/// Items listed with a day's score.
pub const TOP_ITEMS: i64 = 5;

#[derive(Debug, thiserror::Error)]
pub enum SentimentError {
    /// The request is wrong; `field` names what (a 400 for the query, 422 for a body).
    #[error("{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("{0}")]
    NotFound(String),
    #[error("no sentiment model is trained yet: run `server train sentiment` first")]
    NotTrained,
    #[error("{0}")]
    Internal(String),
}

fn internal(e: impl std::fmt::Display) -> SentimentError {
    SentimentError::Internal(e.to_string())
}

pub type Loaded = mmi_store::serving::Loaded<SentimentModel>;

/// The serving sentiment model, kept by content hash.
#[derive(Debug, Default, Clone)]
pub struct SentimentService {
    cache: ServingCache<SentimentModel>,
}

impl SentimentService {
    /// The serving version and its model; `None` before the first training.
    pub async fn model(&self, pool: &SqlitePool) -> Result<Option<Loaded>, SentimentError> {
        self.cache
            .get(pool, TASK, SentimentModel::from_bytes)
            .await
            .map_err(SentimentError::Internal)
    }

    /// Scores the request's texts (validated first: 1..=100 texts of 1..=1,000 characters).
    pub async fn score_texts(
        &self,
        pool: &SqlitePool,
        request: &SentimentTextsRequest,
    ) -> Result<SentimentTextsResponse, SentimentError> {
        validate_texts(&request.texts)?;
        let (version, model) = self.model(pool).await?.ok_or(SentimentError::NotTrained)?;
        Ok(score_with(&model, &version, &request.texts))
    }

    /// A token's index on a day (`None`: its latest day with news).
    pub async fn day(
        &self,
        pool: &SqlitePool,
        symbol: Option<&str>,
        date: Option<&str>,
    ) -> Result<SentimentResponse, SentimentError> {
        let symbol = symbol.map(str::trim).unwrap_or_default().to_uppercase();
        if symbol.is_empty() {
            return Err(SentimentError::Invalid {
                field: "symbol",
                message: "symbol is required, e.g. ?symbol=BTC".into(),
            });
        }
        let date = match date.map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => Some(
                chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .map_err(|_| SentimentError::Invalid {
                        field: "date",
                        message: format!("date must be a YYYY-MM-DD day, got {d:?}"),
                    })?
                    .to_string(),
            ),
            None => None,
        };
        if serving_version(pool, TASK)
            .await
            .map_err(internal)?
            .is_none()
        {
            return Err(SentimentError::NotTrained);
        }
        let detail = sentiment_day(pool, &symbol, date.as_deref(), TOP_ITEMS)
            .await
            .map_err(internal)?
            .ok_or_else(|| {
                SentimentError::NotFound(match &date {
                    Some(d) => format!("no news about {symbol} on {d}"),
                    None => format!("no news about {symbol}"),
                })
            })?;
        Ok(SentimentResponse {
            symbol,
            date: detail.day.date.clone(),
            score: detail.day.score,
            label: label_of_score(detail.day.score).to_string(),
            n_items: detail.day.n_items,
            top_items: detail.items,
            model: ModelRef {
                name: detail.model_name,
                version: detail.model_version,
            },
        })
    }
}

/// A token's whole index with closes, and how the day's score relates to the next day's return.
pub async fn series(pool: &SqlitePool, symbol: &str) -> Result<SentimentSeries, SentimentError> {
    let days = sentiment_series(pool, symbol).await.map_err(internal)?;
    // The next day's log return where both closes are known (the next calendar day's close).
    let closes: std::collections::HashMap<String, f64> =
        mmi_store::daily_prices(pool, Some(symbol))
            .await
            .map_err(internal)?
            .into_iter()
            .map(|p| (p.day, p.close_usd))
            .collect();
    let mut pairs = Vec::new();
    for d in &days {
        let Ok(day) = chrono::NaiveDate::parse_from_str(&d.date, "%Y-%m-%d") else {
            continue;
        };
        let next = (day + chrono::Days::new(1)).to_string();
        if let (Some(c0), Some(c1)) = (closes.get(&d.date), closes.get(&next)) {
            if *c0 > 0.0 && *c1 > 0.0 {
                pairs.push((d.score, (c1 / c0).ln()));
            }
        }
    }
    Ok(SentimentSeries {
        symbol: symbol.to_string(),
        next_day_correlation: pearson(&pairs),
        correlation_days: pairs.len(),
        days,
    })
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

pub fn validate_texts(texts: &[String]) -> Result<(), SentimentError> {
    let invalid = |message: String| SentimentError::Invalid {
        field: "texts",
        message,
    };
    if texts.is_empty() {
        return Err(invalid("texts is empty: send 1 to 100 texts".into()));
    }
    if texts.len() > MAX_SENTIMENT_TEXTS {
        return Err(invalid(format!(
            "{} texts: at most {MAX_SENTIMENT_TEXTS} per request",
            texts.len()
        )));
    }
    for (i, t) in texts.iter().enumerate() {
        let chars = t.chars().count();
        if t.trim().is_empty() {
            return Err(invalid(format!("texts[{i}] is empty")));
        }
        if chars > MAX_SENTIMENT_CHARS {
            return Err(invalid(format!(
                "texts[{i}] has {chars} characters: at most {MAX_SENTIMENT_CHARS}"
            )));
        }
    }
    Ok(())
}

pub fn score_with(
    model: &SentimentModel,
    version: &ModelVersion,
    texts: &[String],
) -> SentimentTextsResponse {
    SentimentTextsResponse {
        results: texts
            .iter()
            .map(|text| {
                let s = model.score(text);
                let p = s.probabilities.map(f64::from);
                TextSentiment {
                    text: text.clone(),
                    label: SENTIMENT_LABELS[s.label].to_string(),
                    score: f64::from(s.score),
                    probabilities: SentimentProbabilities {
                        negative: p[NEGATIVE],
                        neutral: p[NEUTRAL],
                        positive: p[POSITIVE],
                    },
                }
            })
            .collect(),
        model: ModelRef {
            name: version.name.clone(),
            version: version.version,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_limits() {
        assert!(validate_texts(&[]).is_err());
        assert!(validate_texts(&["ok".into()]).is_ok());
        assert!(validate_texts(&["  ".into()]).is_err());
        assert!(validate_texts(&vec!["a".to_string(); 101]).is_err());
        let long = "é".repeat(1001);
        let err = validate_texts(&["fine".into(), long]).expect_err("too long");
        assert!(
            err.to_string().contains("texts[1] has 1001 characters"),
            "{err}"
        );
        assert!(validate_texts(&["é".repeat(1000)]).is_ok());
    }

    #[test]
    fn correlation_by_hand() {
        assert_eq!(pearson(&[(0.0, 1.0), (1.0, 2.0)]), None);
        let r = pearson(&[(0.0, 1.0), (1.0, 3.0), (2.0, 5.0)]).expect("r");
        assert!((r - 1.0).abs() < 1e-12);
    }
}
