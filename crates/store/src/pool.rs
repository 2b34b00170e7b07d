//! Opening the SQLite database (creating the file on first start) and migrating it.

use std::{str::FromStr, time::Duration};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use crate::StoreError;

/// Opens the database at `url` (e.g. `sqlite://data/mmi.db`), creating the file and its
/// directory if they do not exist, and applies every pending migration.
///
/// WAL mode lets the pages read while an import writes; foreign keys are enforced so a price
/// can never point at a token that does not exist.
pub async fn open(url: &str) -> Result<SqlitePool, StoreError> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|source| StoreError::InvalidUrl {
            url: url.to_owned(),
            source,
        })?
        .create_if_missing(true)
        .foreign_keys(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(10));

    let path = options.get_filename();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
            path: dir.display().to_string(),
            source,
        })?;
    }

    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await?;
    migrate(&pool).await?;
    Ok(pool)
}

/// Applies the migrations in the top-level `migrations/` folder (embedded at compile time).
pub async fn migrate(pool: &SqlitePool) -> Result<(), StoreError> {
    sqlx::migrate!("../../migrations").run(pool).await?;
    Ok(())
}
