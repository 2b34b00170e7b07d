//! The one error of the request-time layer. Each variant has one meaning, so the REST handlers
//! and the server functions give a caller the same status for the same problem.

use mmi_types::{ApiErrorBody, ErrorCode, Suggestion};

type Source = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// A query or path parameter that cannot be read (400), naming it.
    #[error("{message}")]
    BadParameter { field: String, message: String },
    /// A well-formed request whose values are wrong or cannot be met (422), naming the field,
    /// and a change that would succeed where one is known.
    #[error("{message}")]
    Invalid {
        field: String,
        message: String,
        suggestion: Option<Suggestion>,
    },
    /// What was asked for does not exist (404).
    #[error("{message}")]
    NotFound {
        field: Option<String>,
        message: String,
    },
    /// Not the caller's fault and not an outage: data not imported or a model not trained yet, or
    /// the first snapshot still building (503); the message says what to run.
    #[error("{0}")]
    NotReady(String),
    /// Our fault (500): the source is logged, the caller only learns what we were doing.
    #[error("internal error while {context}")]
    Internal {
        context: &'static str,
        #[source]
        source: Source,
    },
}

impl ServeError {
    pub fn bad_parameter(field: &str, message: impl Into<String>) -> Self {
        ServeError::BadParameter {
            field: field.to_owned(),
            message: message.into(),
        }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        ServeError::Invalid {
            field: field.to_owned(),
            message: message.into(),
            suggestion: None,
        }
    }

    /// [`ServeError::invalid`] with a change of the request that would succeed.
    pub fn invalid_with(field: &str, message: impl Into<String>, suggestion: Suggestion) -> Self {
        ServeError::Invalid {
            field: field.to_owned(),
            message: message.into(),
            suggestion: Some(suggestion),
        }
    }

    pub fn not_found(field: Option<&str>, message: impl Into<String>) -> Self {
        ServeError::NotFound {
            field: field.map(str::to_owned),
            message: message.into(),
        }
    }

    pub fn internal(context: &'static str, source: impl Into<Source>) -> Self {
        ServeError::Internal {
            context,
            source: source.into(),
        }
    }

    /// The API's code (and so the HTTP status) of this error, for both adapters.
    pub fn code(&self) -> ErrorCode {
        match self {
            ServeError::BadParameter { .. } => ErrorCode::BadRequest,
            ServeError::Invalid { .. } => ErrorCode::ValidationFailed,
            ServeError::NotFound { .. } => ErrorCode::NotFound,
            ServeError::NotReady(_) => ErrorCode::NotReady,
            ServeError::Internal { .. } => ErrorCode::Internal,
        }
    }

    /// The request field at fault, if one is.
    pub fn field(&self) -> Option<&str> {
        match self {
            ServeError::BadParameter { field, .. } | ServeError::Invalid { field, .. } => {
                Some(field)
            }
            ServeError::NotFound { field, .. } => field.as_deref(),
            ServeError::NotReady(_) | ServeError::Internal { .. } => None,
        }
    }

    /// The body a caller gets; an internal error's source is logged here and not sent.
    pub fn body(&self) -> ApiErrorBody {
        if let ServeError::Internal { context, source } = self {
            tracing::error!(error = %source, "{context}");
        }
        let mut body = ApiErrorBody::new(self.code(), self.to_string(), self.field());
        if let ServeError::Invalid { suggestion, .. } = self {
            body.error.suggestion = suggestion.clone();
        }
        body
    }
}

impl From<mmi_store::StoreError> for ServeError {
    fn from(e: mmi_store::StoreError) -> Self {
        ServeError::internal("reading the database", e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_has_one_code_and_names_its_field() {
        let cases = [
            (
                ServeError::bad_parameter("date", "bad date"),
                400,
                Some("date"),
            ),
            (ServeError::invalid("k", "k must be"), 422, Some("k")),
            (
                ServeError::not_found(Some("symbol"), "none"),
                404,
                Some("symbol"),
            ),
            (ServeError::NotReady("train".into()), 503, None),
            (ServeError::internal("reading", "disk on fire"), 500, None),
        ];
        for (e, status, field) in cases {
            assert_eq!(e.code().status(), status, "{e}");
            assert_eq!(e.field(), field);
            let body = e.body();
            assert_eq!(body.error.code, e.code());
            assert_eq!(body.error.field.as_deref(), field);
        }
        // The source of an internal error never reaches the caller.
        let e = ServeError::internal("reading the prices", "disk on fire");
        assert_eq!(
            e.body().error.message,
            "internal error while reading the prices"
        );
    }
}
