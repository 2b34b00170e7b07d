//! `GET /artifacts/{sha256}`: the browser's model artifacts by content hash. A hash names one
//! immutable byte string, so the response may be cached for a year and revalidated by ETag; only
//! versions of the browser tasks are served (not every stored artifact).

use app::state::AppState;
use axum::{
    extract::{Path, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use mmi_store::tracking::{artifact, artifact_tasks};

/// The registry tasks whose artifacts the browser loads.
pub const BROWSER_TASKS: [&str; 3] = [
    mmi_crypto::recommend::TOKEN_TASK,
    mmi_nutrition::suggest::FOOD_TASK,
    mmi_crypto::sentiment::TASK,
];

pub const CACHE_CONTROL: &str = "public, max-age=31536000, immutable";

pub async fn get_artifact(
    State(state): State<AppState>,
    Path(sha256): Path<String>,
    headers: HeaderMap,
) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "no such artifact").into_response();
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return not_found();
    }
    let tasks = match artifact_tasks(&state.pool, &sha256).await {
        Ok(t) => t,
        Err(e) => {
            tracing::error!(error = %e, "reading the model registry");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if !tasks.iter().any(|t| BROWSER_TASKS.contains(&t.as_str())) {
        return not_found();
    }
    let etag = format!("\"{sha256}\"");
    let cache = [
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static(CACHE_CONTROL),
        ),
        (
            header::ETAG,
            HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("")),
        ),
    ];
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes())
    {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    match artifact(&state.pool, &sha256).await {
        Ok(Some(bytes)) => (
            cache,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            )],
            bytes,
        )
            .into_response(),
        Ok(None) => not_found(),
        Err(e) => {
            tracing::error!(error = %e, "reading an artifact");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
