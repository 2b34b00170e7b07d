//! Next-day predictions from the registry's models: the versions are looked up per request (a
//! cheap query), their weights are read from the database and deserialised once per version and
//! kept, and the token's features are computed from its stored prices.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use mmi_store::tracking::{latest_version, serving_version, ModelVersion};
use mmi_store::SqlitePool;
use mmi_types::{
    BaselinePrediction, Direction, ModelRef, ModelTask, Prediction, PredictionComponents,
};

use crate::models::{ClassifierKind, RegressorKind};
use crate::train::ServedModel;
use crate::{feature_frame, latest_features, prices_frame, CryptoError};

/// The registry's task names.
pub fn task_key(task: ModelTask) -> &'static str {
    match task {
        ModelTask::Direction => "crypto_direction",
        ModelTask::Return => "crypto_return",
    }
}

/// The task of a registry task name, if it is one of these.
pub fn task_of(key: &str) -> Option<ModelTask> {
    [ModelTask::Direction, ModelTask::Return]
        .into_iter()
        .find(|t| task_key(*t) == key)
}

/// Every model name the code can train, in either task.
pub fn model_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = ClassifierKind::ALL.iter().map(|k| k.name()).collect();
    for k in RegressorKind::ALL {
        if !names.contains(&k.name()) {
            names.push(k.name());
        }
    }
    names
}

/// Why a prediction could not be made, each with its own HTTP meaning.
#[derive(Debug, thiserror::Error)]
pub enum PredictError {
    #[error("symbol must be a token symbol such as \"BTC\"")]
    EmptySymbol,
    #[error("no prices for token {0:?}")]
    UnknownToken(String),
    #[error("unknown model {name:?}: choose one of {}", .known.join(", "))]
    UnknownModel { name: String, known: Vec<String> },
    #[error("no trained model {0}: run `server train crypto` first")]
    NotTrained(String),
    #[error("token {symbol} has {days} days of prices; its features need {needed}")]
    NotEnoughHistory {
        symbol: String,
        days: usize,
        needed: usize,
    },
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

impl From<mmi_store::StoreError> for PredictError {
    fn from(e: mmi_store::StoreError) -> Self {
        PredictError::Crypto(CryptoError::Store(e))
    }
}

/// Loads each model version once and predicts with it.
#[derive(Debug, Default, Clone)]
pub struct Predictor {
    loaded: Arc<Mutex<HashMap<String, Arc<ServedModel>>>>,
}

impl Predictor {
    /// How many model versions are in memory.
    pub fn loaded(&self) -> usize {
        self.loaded.lock().map_or(0, |m| m.len())
    }

    async fn load(
        &self,
        pool: &SqlitePool,
        v: &ModelVersion,
    ) -> Result<Arc<ServedModel>, PredictError> {
        if let Some(m) = self
            .loaded
            .lock()
            .ok()
            .and_then(|m| m.get(&v.sha256).cloned())
        {
            return Ok(m);
        }
        let bytes = mmi_store::tracking::artifact(pool, &v.sha256)
            .await?
            .ok_or_else(|| CryptoError::Model(format!("artifact {} is missing", v.sha256)))?;
        let model: ServedModel =
            tokio::task::spawn_blocking(move || serde_json::from_slice(&bytes))
                .await
                .map_err(|e| CryptoError::Model(e.to_string()))?
                .map_err(|e| CryptoError::Model(format!("model {} v{}: {e}", v.name, v.version)))?;
        model.check_features()?;
        let model = Arc::new(model);
        if let Ok(mut m) = self.loaded.lock() {
            m.insert(v.sha256.clone(), model.clone());
        }
        tracing::info!(task = %v.task, name = %v.name, version = v.version, "model loaded");
        Ok(model)
    }

    /// The versions to use, direction then return: the named model's latest version in each task
    /// where it has one, the task's serving version otherwise.
    async fn versions(
        pool: &SqlitePool,
        model: Option<&str>,
    ) -> Result<(ModelVersion, ModelVersion), PredictError> {
        let (mut direction, mut ret) = (None, None);
        if let Some(name) = model {
            direction = latest_version(pool, task_key(ModelTask::Direction), name).await?;
            ret = latest_version(pool, task_key(ModelTask::Return), name).await?;
            if direction.is_none() && ret.is_none() {
                return Err(PredictError::NotTrained(format!("named {name:?}")));
            }
        }
        let serving = |task: ModelTask| async move {
            serving_version(pool, task_key(task))
                .await?
                .ok_or_else(|| PredictError::NotTrained(format!("for the {} task", task.as_str())))
        };
        let direction = match direction {
            Some(v) => v,
            None => serving(ModelTask::Direction).await?,
        };
        let ret = match ret {
            Some(v) => v,
            None => serving(ModelTask::Return).await?,
        };
        Ok((direction, ret))
    }

    /// Predicts the next day of `symbol` (case-insensitive) with `model` (a registered name) or
    /// the serving versions.
    pub async fn predict(
        &self,
        pool: &SqlitePool,
        symbol: &str,
        model: Option<&str>,
    ) -> Result<Prediction, PredictError> {
        let symbol = symbol.trim().to_uppercase();
        if symbol.is_empty() {
            return Err(PredictError::EmptySymbol);
        }
        if let Some(name) = model {
            if !model_names().contains(&name) {
                return Err(PredictError::UnknownModel {
                    name: name.to_string(),
                    known: model_names().iter().map(|s| s.to_string()).collect(),
                });
            }
        }
        let rows = mmi_store::daily_prices(pool, Some(&symbol)).await?;
        if rows.is_empty() {
            return Err(PredictError::UnknownToken(symbol));
        }
        let (dir_version, ret_version) = Self::versions(pool, model).await?;
        let direction_model = self.load(pool, &dir_version).await?;
        let return_model = self.load(pool, &ret_version).await?;

        let days = rows.len();
        // polars runs on a blocking thread (its lazy engine must not run on a runtime thread).
        let latest = tokio::task::spawn_blocking(move || -> Result<_, CryptoError> {
            let frame = feature_frame(&prices_frame(&rows)?)?;
            Ok(latest_features(&frame)?.into_iter().next())
        })
        .await
        .map_err(|e| CryptoError::Model(e.to_string()))??
        .ok_or_else(|| PredictError::UnknownToken(symbol.clone()))?;
        let features = latest.features.ok_or(PredictError::NotEnoughHistory {
            symbol: symbol.clone(),
            days,
            needed: mmi_signals::features::WARM_UP_DAYS + 1,
        })?;
        let probability_up = direction_model.predict_one(&features)?;
        let predicted_return = return_model.predict_one(&features)?;
        let reference = |v: &ModelVersion| ModelRef {
            name: v.name.clone(),
            version: v.version,
        };
        let headline = match model {
            Some(name) if dir_version.name != name => &ret_version,
            _ => &dir_version,
        };
        Ok(Prediction {
            symbol,
            as_of: latest.day,
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
        })
    }
}
