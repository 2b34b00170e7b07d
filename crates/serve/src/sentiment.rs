//! The sentiment requests: `GET /api/sentiment` (a token's index on a day), `POST /api/sentiment`
//! (texts scored by the serving model with `mmi_text::sentiment`, the code the browser runs on
//! the same bytes), and the sentiment page's overview and series.

use mmi_store::tracking::ModelVersion;
use mmi_text::sentiment::{SentimentModel, NEGATIVE, NEUTRAL, POSITIVE};
use mmi_types::{
    label_of_score, ModelRef, SentimentOverview, SentimentProbabilities, SentimentResponse,
    SentimentSeries, SentimentTextsRequest, SentimentTextsResponse, TextSentiment,
    MAX_SENTIMENT_CHARS, MAX_SENTIMENT_TEXTS, SENTIMENT_LABELS,
};

use crate::{ServeError, Services};

const NOT_TRAINED: &str = "no sentiment model is trained yet: run `server train sentiment` first";

impl Services {
    /// Scores the request's texts (1..=100 texts of 1..=1,000 characters).
    pub async fn score_texts(
        &self,
        request: &SentimentTextsRequest,
    ) -> Result<SentimentTextsResponse, ServeError> {
        validate_texts(&request.texts)?;
        let snapshot = self.snapshot().await?;
        let (version, model) = snapshot
            .models
            .sentiment
            .as_ref()
            .ok_or_else(|| ServeError::NotReady(NOT_TRAINED.into()))?;
        Ok(score_with(model, version, &request.texts))
    }

    /// A token's index on `date` (`None`: its latest day with news).
    pub async fn sentiment_day(
        &self,
        symbol: Option<&str>,
        date: Option<&str>,
    ) -> Result<SentimentResponse, ServeError> {
        let symbol = symbol.map(str::trim).unwrap_or_default().to_uppercase();
        if symbol.is_empty() {
            return Err(ServeError::bad_parameter(
                "symbol",
                "symbol is required, e.g. ?symbol=BTC",
            ));
        }
        let date = match date.map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => Some(
                chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .map_err(|_| {
                        ServeError::bad_parameter(
                            "date",
                            format!("date must be a YYYY-MM-DD day, got {d:?}"),
                        )
                    })?
                    .to_string(),
            ),
            None => None,
        };
        let snapshot = self.snapshot().await?;
        if snapshot.models.sentiment.is_none() {
            return Err(ServeError::NotReady(NOT_TRAINED.into()));
        }
        let no_news = || {
            ServeError::not_found(
                Some("symbol"),
                match &date {
                    Some(d) => format!("no news about {symbol} on {d}"),
                    None => format!("no news about {symbol}"),
                },
            )
        };
        let token = snapshot
            .sentiment
            .by_symbol
            .get(&symbol)
            .ok_or_else(no_news)?;
        let days = &token.series.days;
        let i = match &date {
            Some(d) => days
                .binary_search_by(|day| day.date.as_str().cmp(d))
                .map_err(|_| no_news())?,
            None => days.len().checked_sub(1).ok_or_else(no_news)?,
        };
        let day = &days[i];
        Ok(SentimentResponse {
            symbol,
            date: day.date.clone(),
            score: day.score,
            label: label_of_score(day.score).to_string(),
            n_items: day.n_items,
            top_items: token.top[i].clone(),
            model: token.models[i].clone().ok_or_else(|| {
                ServeError::internal("reading the sentiment index", "a day without scored items")
            })?,
        })
    }

    /// The sentiment page: the latest report, the index's coverage and both learned models as
    /// the browser fetches them (the served one first).
    pub async fn sentiment_overview(&self) -> Result<SentimentOverview, ServeError> {
        let snapshot = self.snapshot().await?;
        let models = &snapshot.models;
        let mut artifacts = Vec::new();
        if let Some(served) = models.artifacts.get(mmi_crypto::sentiment::TASK) {
            artifacts.push(served.clone());
            artifacts.extend(models.other_sentiment.clone());
        }
        Ok(SentimentOverview {
            report: snapshot.reports.sentiment.clone(),
            coverage: snapshot.sentiment.coverage.clone(),
            artifacts,
        })
    }

    /// A token's whole index with closes, and how the day's score relates to the next day's
    /// return.
    pub async fn sentiment_series(&self, symbol: &str) -> Result<SentimentSeries, ServeError> {
        let symbol = symbol.trim().to_uppercase();
        if symbol.is_empty() || symbol.len() > 16 {
            return Err(ServeError::bad_parameter(
                "symbol",
                "symbol: expected a token symbol such as BTC",
            ));
        }
        let snapshot = self.snapshot().await?;
        Ok(match snapshot.sentiment.by_symbol.get(&symbol) {
            Some(t) => t.series.clone(),
            None => crate::snapshot::series_of(&symbol, Vec::new(), &snapshot.data),
        })
    }
}

pub fn validate_texts(texts: &[String]) -> Result<(), ServeError> {
    let invalid = |message: String| ServeError::invalid("texts", message);
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

fn score_with(
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
        assert_eq!(err.field(), Some("texts"));
        assert!(validate_texts(&["é".repeat(1000)]).is_ok());
    }
}
