//! The ingest error type: what stops a whole file or import (a bad row only becomes a `Reject`).

/// Why an import (or one file of it) could not go on.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Format { path: String, message: String },
    #[error(transparent)]
    Store(#[from] mmi_store::StoreError),
    #[error("{api} {endpoint}: HTTP {status}: {body}")]
    HttpStatus {
        api: &'static str,
        endpoint: String,
        status: u16,
        body: String,
    },
    #[error("{api} {endpoint}: request failed: {source}")]
    Http {
        api: &'static str,
        endpoint: String,
        source: reqwest::Error,
    },
    #[error("{api} {endpoint}: malformed response body: {message}")]
    MalformedBody {
        api: &'static str,
        endpoint: String,
        message: String,
    },
    #[error("no data source: set DATA_DIR to a data directory, or enable the live clients")]
    NoSource,
}

impl From<sqlx::Error> for IngestError {
    fn from(e: sqlx::Error) -> Self {
        IngestError::Store(e.into())
    }
}
