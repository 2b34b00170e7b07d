//! `POST /api/recommend` and the recommend page's server side: the serving token model, loaded
//! once per version (content hash) and kept, and the request's validation. The ranking is
//! `mmi_rank::tokens::TokenModel::recommend`, the code the browser runs on the same bytes.

use mmi_rank::tokens::{HoldingsError, TokenModel};
use mmi_store::tracking::ModelVersion;
use mmi_store::SqlitePool;
use mmi_types::{
    ModelRef, RecommendRequest, RecommendResponse, Recommendation, MAX_RECOMMENDATIONS,
    RECOMMEND_METHODS,
};

use super::TOKEN_TASK;
use mmi_store::serving::ServingCache;

/// Why a recommendation was not made.
#[derive(Debug, thiserror::Error)]
pub enum RecommendError {
    /// The request is wrong; `field` names what.
    #[error("{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("no token recommender is trained yet: run `server train recommend` first")]
    NotTrained,
    #[error("{0}")]
    Internal(String),
}

/// A registered version and its decoded model.
pub type Loaded = mmi_store::serving::Loaded<TokenModel>;

/// The serving token model, kept by content hash.
#[derive(Debug, Default, Clone)]
pub struct Recommender {
    cache: ServingCache<TokenModel>,
}

impl Recommender {
    /// The serving version and its model; `None` before the first training.
    pub async fn model(&self, pool: &SqlitePool) -> Result<Option<Loaded>, RecommendError> {
        self.cache
            .get(pool, TOKEN_TASK, TokenModel::from_bytes)
            .await
            .map_err(RecommendError::Internal)
    }

    /// Validates and answers a request.
    pub async fn recommend(
        &self,
        pool: &SqlitePool,
        request: &RecommendRequest,
    ) -> Result<RecommendResponse, RecommendError> {
        let (method, k) = validate(request)?;
        let (version, model) = self.model(pool).await?.ok_or(RecommendError::NotTrained)?;
        recommend_with(&model, &version, request, method, k)
    }
}

/// The request's method and `k`, or the field that is wrong.
pub fn validate(request: &RecommendRequest) -> Result<(&str, usize), RecommendError> {
    let method = request.method.as_deref().unwrap_or("hybrid");
    if !RECOMMEND_METHODS.contains(&method) {
        return Err(RecommendError::Invalid {
            field: "method",
            message: format!(
                "unknown method {method:?}: use one of {}",
                RECOMMEND_METHODS.join(", ")
            ),
        });
    }
    if !(1..=MAX_RECOMMENDATIONS).contains(&request.k) {
        return Err(RecommendError::Invalid {
            field: "k",
            message: format!(
                "k must be between 1 and {MAX_RECOMMENDATIONS}, got {}",
                request.k
            ),
        });
    }
    if request.holdings.is_empty() {
        return Err(RecommendError::Invalid {
            field: "holdings",
            message: HoldingsError::Empty.to_string(),
        });
    }
    Ok((method, request.k as usize))
}

fn recommend_with(
    model: &TokenModel,
    version: &ModelVersion,
    request: &RecommendRequest,
    method: &str,
    k: usize,
) -> Result<RecommendResponse, RecommendError> {
    let items: Vec<(&str, Option<f64>)> = request
        .holdings
        .iter()
        .map(|h| (h.symbol.as_str(), h.weight))
        .collect();
    let holdings = model
        .holdings(&items)
        .map_err(|e| RecommendError::Invalid {
            field: "holdings",
            message: e.to_string(),
        })?;
    let engine = model.engine(method);
    Ok(RecommendResponse {
        recommendations: model
            .recommend(&holdings, engine, k)
            .into_iter()
            .map(|s| Recommendation {
                symbol: s.symbol,
                score: f64::from(s.score),
                reasons: s.reasons,
            })
            .collect(),
        method: method.to_string(),
        engine: engine.key().to_string(),
        model: ModelRef {
            name: version.name.clone(),
            version: version.version,
        },
        artifact: version.sha256.clone(),
    })
}
