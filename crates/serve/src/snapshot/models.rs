//! The part of a snapshot that depends on the model registry: each serving model decoded once
//! (a model whose version did not change is carried over from the previous snapshot, not decoded
//! again), the crypto models' other versions ready to load on their first request, and where the
//! browser fetches its artifacts.

use std::collections::HashMap;
use std::sync::Arc;

use mmi_crypto::train::ServedModel;
use mmi_rank::tokens::TokenModel;
use mmi_rank::QuantizedTable;
use mmi_store::tracking::{artifact, artifact_size, ModelVersion};
use mmi_store::{Pool, Stamp};
use mmi_text::ingredient::IngredientParser;
use mmi_text::sentiment::SentimentModel;
use mmi_types::{ArtifactRef, ModelRef, ModelTask};
use tokio::sync::OnceCell;

use super::BuildCounters;
use crate::ServeError;

/// A registered version and its decoded model.
pub type Loaded<T> = (ModelVersion, Arc<T>);

/// A crypto model version, decoded on first use (the serving ones while building).
pub type CryptoCell = Arc<OnceCell<Arc<ServedModel>>>;

#[derive(Debug)]
pub struct ModelsPart {
    pub versions: Vec<ModelVersion>,
    /// Every crypto version that a request may name (the latest of each task and name, and the
    /// serving ones), by content hash.
    pub(crate) crypto: HashMap<String, CryptoCell>,
    pub recommender: Option<Loaded<TokenModel>>,
    pub sentiment: Option<Loaded<SentimentModel>>,
    pub parser: Option<Loaded<IngredientParser>>,
    pub embedding: Option<Loaded<QuantizedTable>>,
    /// The browser artifacts of the serving versions by task, and the other learned sentiment
    /// model's latest version (the sentiment page scores with both).
    pub artifacts: HashMap<String, ArtifactRef>,
    pub other_sentiment: Option<ArtifactRef>,
}

impl ModelsPart {
    pub(crate) async fn build(
        pool: &Pool,
        stamp: &Stamp,
        previous: Option<&ModelsPart>,
        counters: &BuildCounters,
    ) -> Result<ModelsPart, ServeError> {
        use mmi_crypto::registry::{model_names, task_key};
        use mmi_crypto::sentiment::{CNN_NAME, LINEAR_NAME, TASK as SENTIMENT_TASK};

        // The crypto versions a request can reach, their cells carried over when known.
        let mut crypto = HashMap::new();
        for task in [ModelTask::Direction, ModelTask::Return] {
            let key = task_key(task);
            let reachable = model_names()
                .into_iter()
                .filter_map(|name| stamp.latest(key, name))
                .chain(stamp.serving(key));
            for v in reachable {
                let cell = previous
                    .and_then(|p| p.crypto.get(&v.sha256).cloned())
                    .unwrap_or_default();
                crypto.insert(v.sha256.clone(), cell);
            }
        }
        let part = ModelsPart {
            versions: stamp.versions.clone(),
            recommender: load(
                pool,
                stamp,
                mmi_crypto::recommend::TOKEN_TASK,
                previous.and_then(|p| p.recommender.as_ref()),
                TokenModel::from_bytes,
            )
            .await?,
            sentiment: load(
                pool,
                stamp,
                SENTIMENT_TASK,
                previous.and_then(|p| p.sentiment.as_ref()),
                SentimentModel::from_bytes,
            )
            .await?,
            parser: load(
                pool,
                stamp,
                mmi_nutrition::recipe::PARSER_TASK,
                previous.and_then(|p| p.parser.as_ref()),
                IngredientParser::from_bytes,
            )
            .await?,
            embedding: load(
                pool,
                stamp,
                mmi_nutrition::train::EMBEDDING_TASK,
                previous.and_then(|p| p.embedding.as_ref()),
                QuantizedTable::from_bytes,
            )
            .await?,
            artifacts: HashMap::new(),
            other_sentiment: None,
            crypto,
        };
        // The serving crypto models are loaded now, so the first prediction finds them.
        for task in [ModelTask::Direction, ModelTask::Return] {
            if let Some(v) = stamp.serving(task_key(task)) {
                part.crypto_model(pool, v, counters).await?;
            }
        }
        let mut artifacts = HashMap::new();
        for task in [
            mmi_crypto::recommend::TOKEN_TASK,
            mmi_nutrition::suggest::FOOD_TASK,
            SENTIMENT_TASK,
        ] {
            if let Some(v) = stamp.serving(task) {
                artifacts.insert(task.to_owned(), artifact_ref(pool, v).await?);
            }
        }
        let other_sentiment = match stamp.serving(SENTIMENT_TASK) {
            Some(served) => {
                let other = if served.name == CNN_NAME {
                    LINEAR_NAME
                } else {
                    CNN_NAME
                };
                match stamp.latest(SENTIMENT_TASK, other) {
                    Some(v) => Some(artifact_ref(pool, v).await?),
                    None => None,
                }
            }
            None => None,
        };
        Ok(ModelsPart {
            artifacts,
            other_sentiment,
            ..part
        })
    }

    /// The content hash of the serving sentiment model (the news index is scored by it).
    pub fn sentiment_sha(&self) -> Option<String> {
        self.sentiment.as_ref().map(|(v, _)| v.sha256.clone())
    }

    /// `true` when the crypto version `sha256` is decoded already.
    pub fn crypto_loaded(&self, sha256: &str) -> bool {
        self.crypto.get(sha256).is_some_and(|c| c.initialized())
    }

    /// The decoded crypto model of `version`: read and decoded once, however many requests ask
    /// at the same time.
    pub(crate) async fn crypto_model(
        &self,
        pool: &Pool,
        version: &ModelVersion,
        counters: &BuildCounters,
    ) -> Result<Arc<ServedModel>, ServeError> {
        let cell = self.crypto.get(&version.sha256).ok_or_else(|| {
            ServeError::internal(
                "loading a model",
                format!("version {} is not in the snapshot", version.sha256),
            )
        })?;
        cell.get_or_try_init(|| async {
            super::count(&counters.crypto_model);
            let bytes = read_artifact(pool, version).await?;
            let v = version.clone();
            let model = tokio::task::spawn_blocking(move || {
                serde_json::from_slice::<ServedModel>(&bytes)
                    .map_err(|e| format!("model {} v{}: {e}", v.name, v.version))
            })
            .await
            .map_err(|e| ServeError::internal("loading a model", e))?
            .map_err(|e| ServeError::internal("loading a model", e))?;
            model
                .check_features()
                .map_err(|e| ServeError::internal("loading a model", e))?;
            tracing::info!(task = %version.task, name = %version.name, version = version.version, "model loaded");
            Ok(Arc::new(model))
        })
        .await
        .cloned()
    }
}

async fn read_artifact(pool: &Pool, v: &ModelVersion) -> Result<Vec<u8>, ServeError> {
    artifact(pool, &v.sha256).await?.ok_or_else(|| {
        ServeError::internal(
            "loading a model",
            format!("artifact {} is missing", v.sha256),
        )
    })
}

/// `task`'s serving model: the previous snapshot's when the version is the same, else decoded.
async fn load<T: Send + Sync + 'static, E: std::fmt::Display + 'static>(
    pool: &Pool,
    stamp: &Stamp,
    task: &str,
    previous: Option<&Loaded<T>>,
    decode: fn(&[u8]) -> Result<T, E>,
) -> Result<Option<Loaded<T>>, ServeError> {
    let Some(version) = stamp.serving(task) else {
        return Ok(None);
    };
    if let Some((v, m)) = previous {
        if v.sha256 == version.sha256 {
            return Ok(Some((version.clone(), m.clone())));
        }
    }
    let bytes = read_artifact(pool, version).await?;
    let model = tokio::task::spawn_blocking(move || decode(&bytes).map_err(|e| e.to_string()))
        .await
        .map_err(|e| ServeError::internal("loading a model", e))?
        .map_err(|e| ServeError::internal("loading a model", e))?;
    tracing::info!(task, name = %version.name, version = version.version, "model loaded");
    Ok(Some((version.clone(), Arc::new(model))))
}

/// A registered version as the browser fetches it.
async fn artifact_ref(pool: &Pool, v: &ModelVersion) -> Result<ArtifactRef, ServeError> {
    let bytes = artifact_size(pool, &v.sha256).await?.unwrap_or(0);
    Ok(ArtifactRef {
        model: ModelRef {
            name: v.name.clone(),
            version: v.version,
        },
        url: format!("/artifacts/{}", v.sha256),
        sha256: v.sha256.clone(),
        bytes: bytes as u64,
    })
}
