//! The store's error type.

/// What can go wrong talking to the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("invalid database URL {url:?}: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    /// Stored data that fails its own checks (e.g. an artifact whose hash does not match).
    #[error("corrupt data: {0}")]
    Corrupt(String),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}
