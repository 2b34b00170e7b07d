//! The JSON error shape of the REST API: `{"error": {"code", "message", "field"}}`.

use serde::{Deserialize, Serialize};

/// A machine-readable error code. Clients branch on this, people read `message`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request could not be read (malformed JSON, bad query string).
    BadRequest,
    /// The request was readable but a field's value is not acceptable.
    ValidationFailed,
    /// No credentials where the endpoint needs them (the admin API's bearer token).
    Unauthorized,
    /// Credentials that do not grant access.
    Forbidden,
    /// No such resource or route.
    NotFound,
    /// The route exists but not for this HTTP method.
    MethodNotAllowed,
    /// The body is larger than the configured limit.
    PayloadTooLarge,
    /// The body is not in a media type the endpoint reads.
    UnsupportedMediaType,
    /// The service is up but cannot answer yet (database unreachable, no data imported).
    NotReady,
    /// Our fault; details are in the server log, never in the response.
    Internal,
}

impl ErrorCode {
    /// The HTTP status this code is sent with.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::BadRequest => 400,
            ErrorCode::ValidationFailed => 422,
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::NotReady => 503,
            ErrorCode::Internal => 500,
        }
    }

    /// The code that best describes a bare HTTP status produced outside our handlers
    /// (routing, body limits), so every API error still has one shape.
    pub fn from_status(status: u16) -> Self {
        match status {
            401 => ErrorCode::Unauthorized,
            403 => ErrorCode::Forbidden,
            404 => ErrorCode::NotFound,
            405 => ErrorCode::MethodNotAllowed,
            413 => ErrorCode::PayloadTooLarge,
            415 => ErrorCode::UnsupportedMediaType,
            422 => ErrorCode::ValidationFailed,
            503 => ErrorCode::NotReady,
            400..=499 => ErrorCode::BadRequest,
            _ => ErrorCode::Internal,
        }
    }
}

/// The body of every API error response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    pub error: ApiErrorDetail,
}

/// What went wrong, and with which request field if one is to blame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiErrorDetail {
    pub code: ErrorCode,
    pub message: String,
    /// The request field at fault; `null` when the error is not about one field.
    pub field: Option<String>,
}

impl ApiErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>, field: Option<&str>) -> Self {
        ApiErrorBody {
            error: ApiErrorDetail {
                code,
                message: message.into(),
                field: field.map(str::to_owned),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_to_the_documented_shape() {
        let body = ApiErrorBody::new(ErrorCode::ValidationFailed, "k must be 1..50", Some("k"));
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": {"code": "validation_failed", "message": "k must be 1..50", "field": "k"}})
        );
    }

    #[test]
    fn field_is_null_when_absent() {
        let body = ApiErrorBody::new(ErrorCode::NotFound, "no route", None);
        let json = serde_json::to_value(&body).unwrap();
        assert!(json["error"]["field"].is_null());
    }

    #[test]
    fn status_and_from_status_agree_for_every_code() {
        for code in [
            ErrorCode::BadRequest,
            ErrorCode::ValidationFailed,
            ErrorCode::NotFound,
            ErrorCode::MethodNotAllowed,
            ErrorCode::PayloadTooLarge,
            ErrorCode::UnsupportedMediaType,
            ErrorCode::NotReady,
            ErrorCode::Internal,
        ] {
            assert_eq!(ErrorCode::from_status(code.status()), code);
        }
        assert_eq!(ErrorCode::from_status(418), ErrorCode::BadRequest);
        assert_eq!(ErrorCode::from_status(502), ErrorCode::Internal);
    }
}
