//! The crypto requests: next-day predictions (`POST /api/predict`, the token page), the token
//! list, the market overview and a token's page data, all from the snapshot.

use std::sync::Arc;

use mmi_crypto::registry::{model_names, task_key};
use mmi_crypto::{market_overview_with, token_eda, CryptoError, DateRange};
use mmi_store::tracking::ModelVersion;
use mmi_types::{
    BaselinePrediction, Correlation, Direction, MarketOverview, ModelRef, ModelTask, Prediction,
    PredictionComponents, TokenEda, TokenSummary,
};

use crate::snapshot::count;
use crate::{ServeError, Services};

fn not_trained(what: String) -> ServeError {
    ServeError::NotReady(format!(
        "no trained model {what}: run `server train crypto` first"
    ))
}

impl Services {
    /// Predicts the next day of `symbol` (case-insensitive) with `model` (a registered name; its
    /// latest version in each task where it has one, the serving version otherwise) or the
    /// serving versions.
    pub async fn predict(
        &self,
        symbol: &str,
        model: Option<&str>,
    ) -> Result<Prediction, ServeError> {
        let symbol = symbol.trim().to_uppercase();
        if symbol.is_empty() {
            return Err(ServeError::invalid(
                "symbol",
                "symbol must be a token symbol such as \"BTC\"",
            ));
        }
        let model = model.filter(|m| !m.is_empty());
        if let Some(name) = model {
            if !model_names().contains(&name) {
                return Err(ServeError::invalid(
                    "model",
                    format!(
                        "unknown model {name:?}: choose one of {}",
                        model_names().join(", ")
                    ),
                ));
            }
        }
        let snapshot = self.snapshot().await?;
        let data = &snapshot.data.crypto;
        let days = data.prices.get(&symbol).map_or(0, |rows| rows.len());
        if days == 0 {
            return Err(ServeError::not_found(
                Some("symbol"),
                format!("no prices for token {symbol:?}"),
            ));
        }
        let stamp = &snapshot.stamp;
        let (mut named_direction, mut named_return) = (None, None);
        if let Some(name) = model {
            named_direction = stamp.latest(task_key(ModelTask::Direction), name);
            named_return = stamp.latest(task_key(ModelTask::Return), name);
            if named_direction.is_none() && named_return.is_none() {
                return Err(not_trained(format!("named {name:?}")));
            }
        }
        let dir_version = version_for(stamp, named_direction, ModelTask::Direction)?;
        let ret_version = version_for(stamp, named_return, ModelTask::Return)?;
        let models = &snapshot.models;
        let (pool, counters) = (self.pool(), self.counters());
        let direction_model = models.crypto_model(pool, &dir_version, counters).await?;
        let return_model = models.crypto_model(pool, &ret_version, counters).await?;

        let latest = data.latest.get(&symbol).ok_or_else(|| {
            ServeError::not_found(Some("symbol"), format!("no prices for token {symbol:?}"))
        })?;
        let features = latest.features.as_deref().ok_or_else(|| {
            ServeError::invalid(
                "symbol",
                format!(
                    "token {symbol} has {days} days of prices; its features need {}",
                    mmi_signals::features::WARM_UP_DAYS + 1
                ),
            )
        })?;
        let predicting = |e: CryptoError| ServeError::internal("predicting", e);
        let probability_up = direction_model.predict_one(features).map_err(predicting)?;
        let predicted_return = return_model.predict_one(features).map_err(predicting)?;
        let reference = |v: &ModelVersion| ModelRef {
            name: v.name.clone(),
            version: v.version,
        };
        let headline = match model {
            Some(name) if dir_version.name != name => &ret_version,
            _ => &dir_version,
        };
        Ok(Prediction {
            as_of: latest.day.clone(),
            predicted_close: latest.close * predicted_return.exp(),
            predicted_return,
            direction: if probability_up >= 0.5 {
                Direction::Up
            } else {
                Direction::Down
            },
            probability_up,
            model: reference(headline),
            baseline: BaselinePrediction {
                predicted_close: latest.close,
            },
            components: PredictionComponents {
                return_model: reference(&ret_version),
                direction: reference(&dir_version),
            },
            symbol,
        })
    }

    /// Every token with its price span.
    pub async fn tokens(&self) -> Result<Vec<TokenSummary>, ServeError> {
        Ok(self.snapshot().await?.data.crypto.tokens.clone())
    }

    /// The market overview over the last `window_days` days (`None`: the whole history); `None`
    /// before any price is imported. The page's windows are in the snapshot; another window is
    /// built on its first request, once for concurrent requests.
    pub async fn market_overview(
        &self,
        window_days: Option<u32>,
        method: Correlation,
    ) -> Result<Option<Arc<MarketOverview>>, ServeError> {
        if let Some(days) = window_days.filter(|d| !(2..=10_000).contains(d)) {
            return Err(ServeError::bad_parameter(
                "window_days",
                format!("window_days must be between 2 and 10000, got {days}"),
            ));
        }
        let snapshot = self.snapshot().await?;
        let data = snapshot.data.crypto.clone();
        if let Some(o) = data.overviews.get(&(window_days, method)) {
            return Ok(Some(o.clone()));
        }
        let Some(frames) = data.frames.clone() else {
            return Ok(None);
        };
        let counters = self.clone();
        data.other_overviews
            .try_get_with((window_days, method), async move {
                count(&counters.counters().market_overview);
                tokio::task::spawn_blocking(move || {
                    market_overview_with(&frames.0, &frames.1, window_days, method)
                })
                .await
                .map_err(|e| ServeError::internal("computing the market overview", e))?
                .map(Arc::new)
                .map_err(|e| ServeError::internal("computing the market overview", e))
            })
            .await
            .map(Some)
            .map_err(|e: Arc<ServeError>| shared_error(&e, "computing the market overview"))
    }

    /// A token's page data for a date range, from its stored days in the snapshot.
    pub async fn token_eda(
        &self,
        symbol: &str,
        from: Option<String>,
        to: Option<String>,
    ) -> Result<TokenEda, ServeError> {
        let symbol = symbol.trim().to_uppercase();
        let snapshot = self.snapshot().await?;
        let rows = snapshot
            .data
            .crypto
            .prices
            .get(&symbol)
            .map_or(&[][..], |r| r.as_slice());
        token_eda(rows, &symbol, &DateRange { from, to }).map_err(|e| match e {
            CryptoError::UnknownToken(_) => ServeError::not_found(Some("symbol"), e.to_string()),
            CryptoError::InvalidRange(ref m) => {
                let field = if m.starts_with("to") { "to" } else { "from" };
                ServeError::bad_parameter(field, e.to_string())
            }
            other => ServeError::internal("computing the token view", other),
        })
    }
}

/// The named version where there is one, the task's serving version otherwise.
fn version_for(
    stamp: &mmi_store::Stamp,
    named: Option<&ModelVersion>,
    task: ModelTask,
) -> Result<ModelVersion, ServeError> {
    named
        .or_else(|| stamp.serving(task_key(task)))
        .cloned()
        .ok_or_else(|| not_trained(format!("for the {} task", task.as_str())))
}

/// An error shared by every request that waited on one failed build: the same meaning for each.
pub(crate) fn shared_error(e: &ServeError, context: &'static str) -> ServeError {
    match e {
        ServeError::BadParameter { field, message } => ServeError::bad_parameter(field, message),
        ServeError::Invalid {
            field,
            message,
            suggestion,
        } => ServeError::Invalid {
            field: field.clone(),
            message: message.clone(),
            suggestion: suggestion.clone(),
        },
        ServeError::NotFound { field, message } => {
            ServeError::not_found(field.as_deref(), message.clone())
        }
        ServeError::NotReady(m) => ServeError::NotReady(m.clone()),
        ServeError::Internal { .. } => ServeError::internal(context, e.to_string()),
    }
}
