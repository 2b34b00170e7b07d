//! REST handlers (`/api/*`): each parses its input, calls one service of `mmi-serve` and lets
//! `ApiError: From<ServeError>` give the error its status and shape.

use app::state::AppState;
use axum::{
    extract::{rejection::JsonRejection, FromRequest, Query, Request, State},
    response::{IntoResponse, Response},
    Json,
};
use mmi_serve::ServeError;
use mmi_types::{
    AnalyzeRecipeRequest, DbStats, ErrorCode, MealPlanRequest, PredictRequest, Prediction,
    RecipeAnalysis, RecommendMealRequest, RecommendMealResponse, RecommendRequest,
    RecommendResponse, SentimentResponse, SentimentTextsRequest, SentimentTextsResponse,
};
use serde::de::DeserializeOwned;

use super::ApiError;

/// `GET /api/stats`: row counts of every data set, the price date range, and a running import.
pub async fn stats(State(state): State<AppState>) -> Result<Json<DbStats>, ApiError> {
    let mut stats = state.services.stats().await?;
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
    let p = state
        .services
        .predict(&request.symbol, request.model.as_deref())
        .await?;
    Ok(Json(p))
}

/// `POST /api/recommend`: tokens to consider next to a portfolio, by the serving token model.
pub async fn recommend(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<RecommendRequest>,
) -> Result<Json<RecommendResponse>, ApiError> {
    Ok(Json(state.services.recommend(&request).await?))
}

/// The query of `GET /api/sentiment`.
#[derive(Debug, serde::Deserialize)]
pub struct SentimentQuery {
    symbol: Option<String>,
    date: Option<String>,
}

/// `GET /api/sentiment?symbol=BTC&date=YYYY-MM-DD`: a token's news sentiment on a day (the
/// latest with news without `date`). A bad query is a 400; no news, a 404.
pub async fn sentiment(
    State(state): State<AppState>,
    Query(query): Query<SentimentQuery>,
) -> Result<Json<SentimentResponse>, ApiError> {
    let day = state
        .services
        .sentiment_day(query.symbol.as_deref(), query.date.as_deref())
        .await?;
    Ok(Json(day))
}

/// `POST /api/sentiment`: each text's label and class probabilities by the serving model.
pub async fn score_sentiment(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<SentimentTextsRequest>,
) -> Result<Json<SentimentTextsResponse>, ApiError> {
    Ok(Json(state.services.score_texts(&request).await?))
}

/// `POST /api/analyze-recipe`: every line parsed, matched and weighed; nutrition totals and per
/// serving with coverage; diet labels and allergen risks.
pub async fn analyze_recipe(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<AnalyzeRecipeRequest>,
) -> Result<Json<RecipeAnalysis>, ApiError> {
    Ok(Json(state.services.analyze_recipe(&request).await?))
}

/// `POST /api/recommend-meal`: recipes ranked for a goal, with their nutrients and reasons.
pub async fn recommend_meal(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<RecommendMealRequest>,
) -> Result<Json<RecommendMealResponse>, ApiError> {
    Ok(Json(state.services.recommend_meal(&request).await?))
}

/// `GET /api/meal-plan?days=7&goal=…`: a plan meeting the daily targets, or a 422 saying which
/// constraint cannot be met. A malformed query is a 400 naming the parameter.
pub async fn meal_plan(
    State(state): State<AppState>,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let request = MealPlanRequest::from_query(&params)
        .map_err(|(field, message)| ServeError::BadParameter { field, message })?;
    let plan = state.services.meal_plan(&request).await?;
    // Serialised from the shared plan: a cached plan is not copied per request.
    Ok(Json(&*plan).into_response())
}
