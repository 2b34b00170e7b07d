//! What a serving process polls to learn that its snapshot is stale: the version of each data set
//! (bumped by every import that touched it, when it ends), the model registry and the tracked
//! runs. Cheap reads of small tables.

use std::collections::BTreeMap;

use sqlx::Row;

use crate::Pool;

use crate::tracking::{model_versions, ModelVersion};
use crate::StoreError;

/// The state of the database that serving depends on. Two equal stamps mean nothing a request
/// reads has changed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stamp {
    /// Each data set's version (`prices`, `news`, `phrasebank`, `foods`, `recipes`,
    /// `ingredients`), bumped at the end of each import that touched it; absent before its first.
    pub data: BTreeMap<String, i64>,
    /// Every registered version, newest first (the serving flags included).
    pub versions: Vec<ModelVersion>,
    /// `(runs, finished or failed runs, the last end time)`: the reports and the runs page.
    pub runs: (i64, i64, Option<String>),
}

/// The data sets an import bumps.
pub const DATA_SETS: [&str; 6] = [
    "prices",
    "news",
    "phrasebank",
    "foods",
    "recipes",
    "ingredients",
];

impl Stamp {
    /// The version of `data_set` (0 before its first import).
    pub fn data_version(&self, data_set: &str) -> i64 {
        self.data.get(data_set).copied().unwrap_or(0)
    }

    /// One number that changes with any data set: the sum of their versions.
    pub fn data_total(&self) -> i64 {
        self.data.values().sum()
    }

    /// The serving version of `task`, if any.
    pub fn serving(&self, task: &str) -> Option<&ModelVersion> {
        self.versions.iter().find(|v| v.serving && v.task == task)
    }

    /// The latest version of `(task, name)`, if any.
    pub fn latest(&self, task: &str, name: &str) -> Option<&ModelVersion> {
        // Newest first, so the first match is the latest.
        self.versions
            .iter()
            .find(|v| v.task == task && v.name == name)
    }
}

/// Reads the stamp.
pub async fn stamp(pool: &Pool) -> Result<Stamp, StoreError> {
    let data: Vec<(String, i64)> = sqlx::query_as("SELECT data_set, version FROM data_versions")
        .fetch_all(pool)
        .await?;
    let row = sqlx::query(
        "SELECT (SELECT count(*) FROM runs) AS runs,
                (SELECT count(*) FROM runs WHERE status <> 'running') AS ended,
                (SELECT max(ended_at) FROM runs) AS last_ended",
    )
    .fetch_one(pool)
    .await?;
    Ok(Stamp {
        data: data.into_iter().collect(),
        versions: model_versions(pool).await?,
        runs: (
            row.try_get("runs")?,
            row.try_get("ended")?,
            row.try_get("last_ended")?,
        ),
    })
}

/// Marks `data_set` (one of [`DATA_SETS`]) as changed: every import calls it for the sets it
/// touched when it ends, so that the serving processes rebuild what they read from them.
pub async fn bump_data_version(pool: &Pool, data_set: &str) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO data_versions (data_set, version, changed_at) VALUES ($1, 1, $2)
         ON CONFLICT (data_set) DO UPDATE SET version = data_versions.version + 1, changed_at = $2
         RETURNING version",
    )
    .bind(data_set)
    .bind(chrono::Utc::now().to_rfc3339())
    .fetch_one(pool)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_import_bump_changes_the_stamp_and_nothing_else_does() {
        for db in crate::scratch::all().await {
            let pool = crate::open(&db.url).await.expect("open");
            let before = stamp(&pool).await.expect("stamp");
            assert_eq!(
                before,
                stamp(&pool).await.expect("stamp"),
                "reads are stable"
            );
            assert_eq!(before.data_version("prices"), 0);
            assert_eq!(bump_data_version(&pool, "prices").await.expect("bump"), 1);
            assert_eq!(bump_data_version(&pool, "prices").await.expect("bump"), 2);
            let after = stamp(&pool).await.expect("stamp");
            assert_eq!(after.data_version("prices"), 2);
            assert_eq!(after.data_version("foods"), 0);
            assert_eq!(after.data_total(), 2);
            assert!(
                bump_data_version(&pool, "weather").await.is_err(),
                "only known data sets"
            );
            assert_ne!(before, after);
            assert_eq!(after.versions, before.versions);
        }
    }
}
