//! The one error type of the HTTP layer, and the middleware that gives errors produced outside
//! our handlers (unknown route, wrong method, body too large) the same JSON shape under `/api`.

use axum::{
    extract::Request,
    http::{header, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    Json,
};
use mmi_types::{ApiErrorBody, ErrorCode};

/// An API error: 4xx for bad input (naming the field), 5xx only for our faults.
#[derive(Debug)]
pub struct ApiError(ApiErrorBody);

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>, field: Option<&str>) -> Self {
        ApiError(ApiErrorBody::new(code, message, field))
    }

    /// Our fault: logged in full, answered without detail.
    pub fn internal(context: &str, error: impl std::fmt::Display) -> Self {
        tracing::error!(%error, "{context}");
        ApiError::new(
            ErrorCode::Internal,
            format!("internal error while {context}"),
            None,
        )
    }
}

/// The one mapping of the service layer's errors onto the API's (the server functions use the
/// same codes, `app::state::serve_error`).
impl From<mmi_serve::ServeError> for ApiError {
    fn from(e: mmi_serve::ServeError) -> Self {
        ApiError(e.body())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.error.code.status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(self.0)).into_response()
    }
}

/// Rewrites error responses under `/api` that are not already JSON (axum's 404/405, the body
/// limit's 413) into the API's error shape, keeping their status.
pub async fn api_errors_as_json(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let method = request.method().clone();
    let response = next.run(request).await;
    let status = response.status();
    let is_api = path == "/api" || path.starts_with("/api/");
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !is_api || is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let code = ErrorCode::from_status(status.as_u16());
    let message = match code {
        ErrorCode::NotFound => format!("no API endpoint at {path}"),
        ErrorCode::MethodNotAllowed => format!("{method} is not allowed on {path}"),
        ErrorCode::PayloadTooLarge => "request body is larger than the server accepts".to_owned(),
        _ => status
            .canonical_reason()
            .unwrap_or("request failed")
            .to_owned(),
    };
    let mut rewritten = ApiError::new(code, message, None).into_response();
    *rewritten.status_mut() = status;
    rewritten
}
