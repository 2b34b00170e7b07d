//! `POST /api/recommend` and the recommend page: the serving token model ranks with
//! `mmi_rank::tokens::TokenModel::recommend`, the code the browser runs on the same bytes.

use mmi_rank::tokens::HoldingsError;
use mmi_types::{
    BrowserArtifacts, ModelRef, RecommendRequest, RecommendResponse, Recommendation,
    MAX_RECOMMENDATIONS, RECOMMEND_METHODS,
};

use crate::{ServeError, Services};

impl Services {
    /// Validates and answers a request.
    pub async fn recommend(
        &self,
        request: &RecommendRequest,
    ) -> Result<RecommendResponse, ServeError> {
        let (method, k) = validate(request)?;
        let snapshot = self.snapshot().await?;
        let (version, model) = snapshot.models.recommender.as_ref().ok_or_else(|| {
            ServeError::NotReady(
                "no token recommender is trained yet: run `server train recommend` first".into(),
            )
        })?;
        let items: Vec<(&str, Option<f64>)> = request
            .holdings
            .iter()
            .map(|h| (h.symbol.as_str(), h.weight))
            .collect();
        let holdings = model
            .holdings(&items)
            .map_err(|e| ServeError::invalid("holdings", e.to_string()))?;
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

    /// Where the serving browser artifacts are (content-hash URLs).
    pub async fn browser_artifacts(&self) -> Result<BrowserArtifacts, ServeError> {
        let snapshot = self.snapshot().await?;
        let artifacts = &snapshot.models.artifacts;
        Ok(BrowserArtifacts {
            tokens: artifacts.get(mmi_crypto::recommend::TOKEN_TASK).cloned(),
            foods: artifacts.get(mmi_nutrition::suggest::FOOD_TASK).cloned(),
        })
    }
}

/// The request's method and `k`, or the field that is wrong.
fn validate(request: &RecommendRequest) -> Result<(&str, usize), ServeError> {
    let method = request.method.as_deref().unwrap_or("hybrid");
    if !RECOMMEND_METHODS.contains(&method) {
        return Err(ServeError::invalid(
            "method",
            format!(
                "unknown method {method:?}: use one of {}",
                RECOMMEND_METHODS.join(", ")
            ),
        ));
    }
    if !(1..=MAX_RECOMMENDATIONS).contains(&request.k) {
        return Err(ServeError::invalid(
            "k",
            format!(
                "k must be between 1 and {MAX_RECOMMENDATIONS}, got {}",
                request.k
            ),
        ));
    }
    if request.holdings.is_empty() {
        return Err(ServeError::invalid(
            "holdings",
            HoldingsError::Empty.to_string(),
        ));
    }
    Ok((method, request.k as usize))
}
