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
    /// A change of the request that would succeed, where the server found one (a meal plan that
    /// cannot be made as asked); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<Suggestion>,
}

/// A change of one request parameter that would succeed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    /// The parameter to change.
    pub field: String,
    /// Its value that works; `null`: leave the parameter out.
    pub value: Option<String>,
    /// The change in words.
    pub message: String,
}

impl Suggestion {
    /// How an error message ends when it carries the suggestion: `(no_repeat_days=2)` or
    /// `(without cuisine)`. Pages that only see the message read it back with
    /// [`Suggestion::in_message`].
    pub fn tail(&self) -> String {
        match &self.value {
            Some(v) => format!("({}={v})", self.field),
            None => format!("(without {})", self.field),
        }
    }

    /// The `(parameter, value)` a message ending in [`Suggestion::tail`] suggests.
    pub fn in_message(message: &str) -> Option<(String, Option<String>)> {
        let inner = message.trim_end().strip_suffix(')')?;
        let inner = &inner[inner.rfind('(')? + 1..];
        let ok = |k: &str| !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        match inner.strip_prefix("without ") {
            Some(k) if ok(k) => Some((k.to_string(), None)),
            _ => {
                let (k, v) = inner.split_once('=')?;
                ok(k).then(|| (k.to_string(), Some(v.to_string())))
            }
        }
    }
}

impl ApiErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>, field: Option<&str>) -> Self {
        ApiErrorBody {
            error: ApiErrorDetail {
                code,
                message: message.into(),
                field: field.map(str::to_owned),
                suggestion: None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_read_back_from_their_message() {
        let s = Suggestion {
            field: "no_repeat_days".into(),
            value: Some("2".into()),
            message: "repeating a recipe after 2 days".into(),
        };
        let m = format!(
            "protein cannot be met; it can be planned with {} {}",
            s.message,
            s.tail()
        );
        assert_eq!(
            Suggestion::in_message(&m),
            Some(("no_repeat_days".into(), Some("2".into())))
        );
        let s = Suggestion {
            field: "cuisine".into(),
            value: None,
            message: "any cuisine".into(),
        };
        assert_eq!(
            Suggestion::in_message(&format!("x {}", s.tail())),
            Some(("cuisine".into(), None))
        );
        assert_eq!(Suggestion::in_message("energy (±5%) cannot be met"), None);
        assert_eq!(
            Suggestion::in_message("a day holds 1 to 2 kcal (3 meals)"),
            None
        );
    }

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
