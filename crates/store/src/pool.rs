//! Opening the database (SQLite, creating the file on first start, or PostgreSQL) and migrating it.
//!
//! One pool type for both backends: sqlx's `Any` driver, chosen by the URL's scheme. Every query
//! is written once in the SQL both speak (`$1` placeholders, `ON CONFLICT`, `RETURNING`,
//! `IS DISTINCT FROM`); the schema is written twice (`migrations/sqlite`, `migrations/postgres`).

use std::{str::FromStr, time::Duration};

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

use crate::StoreError;

/// The database behind a pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a `DATABASE_URL` names: `sqlite:…` or `postgres://…` / `postgresql://…`.
    pub fn of_url(url: &str) -> Option<Backend> {
        let scheme = url.split(':').next()?;
        match scheme {
            "sqlite" => Some(Backend::Sqlite),
            "postgres" | "postgresql" => Some(Backend::Postgres),
            _ => None,
        }
    }

    /// The backend of an open pool.
    pub fn of(pool: &AnyPool) -> Backend {
        Backend::of_url(pool.connect_options().database_url.as_str()).unwrap_or(Backend::Sqlite)
    }
}

/// How many connections one process keeps. PostgreSQL's default `max_connections` (100) then
/// serves about ten processes.
const MAX_CONNECTIONS: u32 = 8;

/// Opens the database at `url` and applies every pending migration: `sqlite://data/mmi.db`
/// (the file and its directory are created if missing) or `postgres://user@host/db`.
///
/// SQLite runs in WAL mode so the pages read while an import writes, with foreign keys enforced
/// and a 10 s busy timeout; PostgreSQL needs none of that.
pub async fn open(url: &str) -> Result<AnyPool, StoreError> {
    sqlx::any::install_default_drivers();
    let invalid = |reason: String| StoreError::InvalidUrl {
        url: url.to_owned(),
        reason,
    };
    let backend = Backend::of_url(url)
        .ok_or_else(|| invalid("the scheme must be sqlite: or postgres://".to_owned()))?;
    let url = match backend {
        Backend::Sqlite => sqlite_url(url).map_err(invalid)?,
        Backend::Postgres => url.to_owned(),
    };
    let options = AnyConnectOptions::from_str(&url).map_err(|e| invalid(e.to_string()))?;
    let pool = AnyPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                    )
                    .await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await?;
    migrate(&pool).await?;
    Ok(pool)
}

/// A SQLite URL that creates the file (`mode=rwc`), after creating its directory.
fn sqlite_url(url: &str) -> Result<String, String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .ok_or_else(|| "expected sqlite://PATH".to_owned())?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() {
        return Err("the path is empty".to_owned());
    }
    if path == ":memory:" || query.contains("mode=") {
        return Ok(url.to_owned());
    }
    if let Some(dir) = std::path::Path::new(path)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create the folder {}: {e}", dir.display()))?;
    }
    let sep = if query.is_empty() { "?" } else { "&" };
    Ok(format!("{url}{sep}mode=rwc"))
}

/// Applies the migrations of the pool's backend (`migrations/sqlite` or `migrations/postgres`,
/// embedded at compile time). On PostgreSQL sqlx holds an advisory lock meanwhile, so replicas
/// starting together migrate once.
pub async fn migrate(pool: &AnyPool) -> Result<(), StoreError> {
    match Backend::of(pool) {
        Backend::Sqlite => sqlx::migrate!("../../migrations/sqlite").run(pool).await?,
        Backend::Postgres => {
            sqlx::migrate!("../../migrations/postgres")
                .run(pool)
                .await?
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backends_by_scheme() {
        assert_eq!(Backend::of_url("sqlite://a.db"), Some(Backend::Sqlite));
        assert_eq!(Backend::of_url("sqlite::memory:"), Some(Backend::Sqlite));
        assert_eq!(
            Backend::of_url("postgres://u@h/db"),
            Some(Backend::Postgres)
        );
        assert_eq!(
            Backend::of_url("postgresql://u@h/db"),
            Some(Backend::Postgres)
        );
        assert_eq!(Backend::of_url("mysql://u@h/db"), None);
    }

    #[test]
    fn sqlite_urls_create_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("sub/x.db");
        let url = sqlite_url(&format!("sqlite://{}", db.display())).unwrap();
        assert!(url.ends_with("x.db?mode=rwc"), "{url}");
        assert!(dir.path().join("sub").is_dir());
        assert_eq!(sqlite_url("sqlite::memory:").unwrap(), "sqlite::memory:");
        assert!(sqlite_url("sqlite://").is_err());
    }
}
