//! REST handlers (`/api/*`).

use app::state::AppState;
use axum::{
    extract::{rejection::JsonRejection, FromRequest, Query, Request, State},
    Json,
};
use mmi_crypto::recommend::serve::RecommendError;
use mmi_crypto::sentiment::serve::SentimentError;
use mmi_crypto::serve::PredictError;
use mmi_nutrition::recipe::RecipeError;
use mmi_types::{
    AnalyzeRecipeRequest, DbStats, ErrorCode, MealPlan, MealPlanRequest, PredictRequest,
    Prediction, RecipeAnalysis, RecommendMealRequest, RecommendMealResponse, RecommendRequest,
    RecommendResponse, SentimentResponse, SentimentTextsRequest, SentimentTextsResponse,
};
use serde::de::DeserializeOwned;

use super::ApiError;

/// `GET /api/stats`: row counts of every data set, the price date range, and a running import.
pub async fn stats(State(state): State<AppState>) -> Result<Json<DbStats>, ApiError> {
    let mut stats = mmi_store::stats(&state.pool)
        .await
        .map_err(|e| ApiError::internal("reading the database counts", e))?;
    stats.import = state.import_now();
    Ok(Json(stats))
}

/// A JSON body whose rejections answer in the API's error shape: 400 for unreadable JSON, 422 for
/// JSON of the wrong shape (serde's message names the field), 415 without a JSON content type.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(match rejection {
                JsonRejection::JsonDataError(e) => {
                    ApiError::new(ErrorCode::ValidationFailed, e.body_text(), None)
                }
                JsonRejection::JsonSyntaxError(e) => {
                    ApiError::new(ErrorCode::BadRequest, e.body_text(), None)
                }
                JsonRejection::MissingJsonContentType(_) => ApiError::new(
                    ErrorCode::UnsupportedMediaType,
                    "send the body as JSON with Content-Type: application/json",
                    None,
                ),
                other => ApiError::new(
                    ErrorCode::from_status(other.status().as_u16()),
                    other.body_text(),
                    None,
                ),
            }),
        }
    }
}

/// `POST /api/predict`: the next day of a token from the registered models.
pub async fn predict(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<PredictRequest>,
) -> Result<Json<Prediction>, ApiError> {
    state
        .predictor
        .predict(&state.pool, &request.symbol, request.model.as_deref())
        .await
        .map(Json)
        .map_err(|e| match e {
            PredictError::EmptySymbol => {
                ApiError::new(ErrorCode::ValidationFailed, e.to_string(), Some("symbol"))
            }
            PredictError::UnknownToken(_) => {
                ApiError::new(ErrorCode::NotFound, e.to_string(), Some("symbol"))
            }
            PredictError::UnknownModel { .. } => {
                ApiError::new(ErrorCode::ValidationFailed, e.to_string(), Some("model"))
            }
            PredictError::NotEnoughHistory { .. } => {
                ApiError::new(ErrorCode::ValidationFailed, e.to_string(), Some("symbol"))
            }
            PredictError::NotTrained(_) => ApiError::new(ErrorCode::NotReady, e.to_string(), None),
            PredictError::Crypto(e) => ApiError::internal("predicting", e),
        })
}

/// `POST /api/recommend`: tokens to consider next to a portfolio, by the serving token model.
pub async fn recommend(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<RecommendRequest>,
) -> Result<Json<RecommendResponse>, ApiError> {
    state
        .recommender
        .recommend(&state.pool, &request)
        .await
        .map(Json)
        .map_err(|e| match e {
            RecommendError::Invalid { field, message } => {
                ApiError::new(ErrorCode::ValidationFailed, message, Some(field))
            }
            RecommendError::NotTrained => ApiError::new(ErrorCode::NotReady, e.to_string(), None),
            RecommendError::Internal(e) => ApiError::internal("recommending", e),
        })
}

/// The query of `GET /api/sentiment`.
#[derive(Debug, serde::Deserialize)]
pub struct SentimentQuery {
    symbol: Option<String>,
    date: Option<String>,
}

fn sentiment_error(e: SentimentError, invalid: ErrorCode) -> ApiError {
    match e {
        SentimentError::Invalid { field, message } => ApiError::new(invalid, message, Some(field)),
        SentimentError::NotFound(m) => ApiError::new(ErrorCode::NotFound, m, Some("symbol")),
        SentimentError::NotTrained => ApiError::new(ErrorCode::NotReady, e.to_string(), None),
        SentimentError::Internal(e) => ApiError::internal("scoring sentiment", e),
    }
}

/// `GET /api/sentiment?symbol=BTC&date=YYYY-MM-DD`: a token's news sentiment on a day (the
/// latest with news without `date`). A bad query is a 400; no news, a 404.
pub async fn sentiment(
    State(state): State<AppState>,
    Query(query): Query<SentimentQuery>,
) -> Result<Json<SentimentResponse>, ApiError> {
    state
        .sentiment
        .day(&state.pool, query.symbol.as_deref(), query.date.as_deref())
        .await
        .map(Json)
        .map_err(|e| sentiment_error(e, ErrorCode::BadRequest))
}

/// `POST /api/sentiment`: each text's label and class probabilities by the serving model.
pub async fn score_sentiment(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<SentimentTextsRequest>,
) -> Result<Json<SentimentTextsResponse>, ApiError> {
    state
        .sentiment
        .score_texts(&state.pool, &request)
        .await
        .map(Json)
        .map_err(|e| sentiment_error(e, ErrorCode::ValidationFailed))
}

/// `POST /api/analyze-recipe`: every line parsed, matched and weighed; nutrition totals and per
/// serving with coverage; diet labels and allergen risks.
pub async fn analyze_recipe(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<AnalyzeRecipeRequest>,
) -> Result<Json<RecipeAnalysis>, ApiError> {
    state
        .recipes
        .analyze(&state.pool, &state.nutrition, &request)
        .await
        .map(Json)
        .map_err(|e| recipe_error(e, "analysing a recipe"))
}

fn recipe_error(e: RecipeError, what: &str) -> ApiError {
    match e {
        RecipeError::Invalid { field, message } | RecipeError::Infeasible { field, message } => {
            ApiError::new(ErrorCode::ValidationFailed, message, Some(&field))
        }
        RecipeError::NotTrained | RecipeError::NoFoods => {
            ApiError::new(ErrorCode::NotReady, e.to_string(), None)
        }
        RecipeError::Internal(e) => ApiError::internal(what, e),
    }
}

/// `POST /api/recommend-meal`: recipes ranked for a goal, with their nutrients and reasons.
pub async fn recommend_meal(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<RecommendMealRequest>,
) -> Result<Json<RecommendMealResponse>, ApiError> {
    state
        .recipes
        .recommend_meal(&state.pool, &state.nutrition, &request)
        .await
        .map(Json)
        .map_err(|e| recipe_error(e, "recommending meals"))
}

/// `GET /api/meal-plan?days=7&goal=…`: a plan meeting the daily targets, or a 422 saying which
/// constraint cannot be met. A malformed query is a 400 naming the parameter.
pub async fn meal_plan(
    State(state): State<AppState>,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Json<MealPlan>, ApiError> {
    let request = MealPlanRequest::from_query(&params)
        .map_err(|(field, message)| ApiError::new(ErrorCode::BadRequest, message, Some(&field)))?;
    state
        .recipes
        .meal_plan(&state.pool, &state.nutrition, &request)
        .await
        .map(Json)
        .map_err(|e| recipe_error(e, "planning meals"))
}
