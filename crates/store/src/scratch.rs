//! Throw-away databases for tests: a SQLite file in a temporary folder and, when
//! `MMI_TEST_POSTGRES_URL` names a PostgreSQL server (`make test` starts a cluster of its own), a
//! fresh database on it, dropped again when the test ends. Tests that must hold on both backends
//! run their body once per database [`all`] returns.

use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::Connection;

use crate::{Backend, StoreError};

/// The environment variable naming the test server: a URL whose database may create databases,
/// e.g. `postgres://postgres@localhost:55432/postgres`.
pub const POSTGRES_ENV: &str = "MMI_TEST_POSTGRES_URL";

/// A database that lives as long as this value.
#[derive(Debug)]
pub struct ScratchDb {
    pub url: String,
    pub backend: Backend,
    /// For SQLite: the folder holding the file.
    dir: Option<tempfile::TempDir>,
    /// For PostgreSQL: the server's admin URL and the database's name, to drop it.
    postgres: Option<(String, String)>,
}

impl ScratchDb {
    /// A folder beside the database that lives as long as it (for files a test writes).
    pub fn dir(&self) -> Option<&std::path::Path> {
        self.dir.as_ref().map(tempfile::TempDir::path)
    }
}

/// A SQLite file in a new temporary folder (not yet created: `open` creates it).
pub fn sqlite() -> ScratchDb {
    let dir = tempfile::tempdir().expect("a temporary folder");
    ScratchDb {
        url: format!("sqlite://{}", dir.path().join("test.db").display()),
        backend: Backend::Sqlite,
        dir: Some(dir),
        postgres: None,
    }
}

/// A new, empty database on the test server, or `None` when [`POSTGRES_ENV`] is not set.
pub async fn postgres() -> Result<Option<ScratchDb>, StoreError> {
    let Ok(admin) = std::env::var(POSTGRES_ENV) else {
        return Ok(None);
    };
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = format!(
        "mmi_test_{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        chrono::Utc::now().timestamp_micros()
    );
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&admin).await?;
    // The name is ours (digits and underscores), never input.
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    let url = with_database(&admin, &name).ok_or_else(|| StoreError::InvalidUrl {
        url: admin.clone(),
        reason: format!("{POSTGRES_ENV} needs a database path, e.g. …/postgres"),
    })?;
    Ok(Some(ScratchDb {
        url,
        backend: Backend::Postgres,
        dir: Some(tempfile::tempdir().expect("a temporary folder")),
        postgres: Some((admin, name)),
    }))
}

/// A scratch database per backend available: SQLite always, PostgreSQL when configured.
pub async fn all() -> Vec<ScratchDb> {
    let mut dbs = vec![sqlite()];
    match postgres().await {
        Ok(Some(db)) => dbs.push(db),
        Ok(None) => eprintln!("{POSTGRES_ENV} is not set: testing on SQLite only"),
        Err(e) => panic!("{POSTGRES_ENV} is set but no scratch database could be made: {e}"),
    }
    dbs
}

/// `url` with its database (the last path segment) replaced by `name`.
fn with_database(url: &str, name: &str) -> Option<String> {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let (server, _db) = base.rsplit_once('/')?;
    if !server.contains("://") {
        return None;
    }
    Some(match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    })
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        let Some((admin, name)) = self.postgres.take() else {
            return;
        };
        // A thread of its own: Drop may run inside a runtime, which cannot block on another.
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(async {
                let mut conn = sqlx::AnyConnection::connect(&admin).await?;
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut conn)
                .await?;
                conn.close().await
            })
            .map_err(std::io::Error::other)
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop the scratch database: {dropped:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_segment_is_replaced() {
        assert_eq!(
            with_database("postgres://u@localhost:5432/postgres", "t1").as_deref(),
            Some("postgres://u@localhost:5432/t1")
        );
        assert_eq!(
            with_database("postgres://u@/postgres?host=/tmp/pg&port=5", "t1").as_deref(),
            Some("postgres://u@/t1?host=/tmp/pg&port=5")
        );
    }
}
