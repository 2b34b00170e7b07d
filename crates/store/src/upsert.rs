//! One upsert for every table: insert a row by its natural key, or update it only where a value
//! differs, and say which of the three happened (the import report counts them).

use sqlx::{sqlite::SqliteArguments, AssertSqlSafe, Sqlite, SqliteConnection};

use crate::StoreError;

/// A value bound into a statement. `Null` is how a missing value reaches the database.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlValue {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl From<i64> for SqlValue {
    fn from(v: i64) -> Self {
        SqlValue::Int(v)
    }
}
impl From<f64> for SqlValue {
    fn from(v: f64) -> Self {
        SqlValue::Real(v)
    }
}
impl From<&str> for SqlValue {
    fn from(v: &str) -> Self {
        SqlValue::Text(v.to_owned())
    }
}
impl From<String> for SqlValue {
    fn from(v: String) -> Self {
        SqlValue::Text(v)
    }
}
impl<T: Into<SqlValue>> From<Option<T>> for SqlValue {
    fn from(v: Option<T>) -> Self {
        v.map_or(SqlValue::Null, Into::into)
    }
}

/// What an upsert did to the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Inserted,
    Updated,
    Unchanged,
}

type SqliteQuery<'q> = sqlx::query::Query<'q, Sqlite, SqliteArguments>;

fn bind<'q>(query: SqliteQuery<'q>, value: &SqlValue) -> SqliteQuery<'q> {
    match value {
        SqlValue::Null => query.bind(None::<i64>),
        SqlValue::Int(v) => query.bind(*v),
        SqlValue::Real(v) => query.bind(*v),
        SqlValue::Text(v) => query.bind(v.clone()),
    }
}

/// Inserts the row unless one with the same `keys` exists; never changes an existing row.
/// Returns `Inserted` or `Unchanged`.
pub async fn insert_new(
    conn: &mut SqliteConnection,
    table: &str,
    keys: &[(&str, SqlValue)],
    values: &[(&str, SqlValue)],
) -> Result<Outcome, StoreError> {
    let columns: Vec<&str> = keys.iter().chain(values).map(|(c, _)| *c).collect();
    let key_columns: Vec<&str> = keys.iter().map(|(c, _)| *c).collect();
    let insert = format!(
        "INSERT INTO {table} ({}) VALUES ({}) ON CONFLICT ({}) DO NOTHING",
        columns.join(", "),
        vec!["?"; columns.len()].join(", "),
        key_columns.join(", "),
    );
    let mut query = sqlx::query(AssertSqlSafe(insert));
    for (_, v) in keys.iter().chain(values) {
        query = bind(query, v);
    }
    Ok(if query.execute(&mut *conn).await?.rows_affected() == 1 {
        Outcome::Inserted
    } else {
        Outcome::Unchanged
    })
}

/// Inserts the row keyed by `keys` into `table`, or updates its `values` where they differ.
///
/// Two statements rather than `INSERT .. ON CONFLICT DO UPDATE` because SQLite reports one
/// changed row for both an insert and an update; `DO NOTHING` followed by a guarded `UPDATE`
/// tells the three outcomes apart exactly, so a re-import reports zero inserts and zero updates.
/// `table` and the column names come from our code, never from input.
pub async fn upsert(
    conn: &mut SqliteConnection,
    table: &str,
    keys: &[(&str, SqlValue)],
    values: &[(&str, SqlValue)],
) -> Result<Outcome, StoreError> {
    if insert_new(conn, table, keys, values).await? == Outcome::Inserted {
        return Ok(Outcome::Inserted);
    }
    let key_columns: Vec<&str> = keys.iter().map(|(c, _)| *c).collect();
    if values.is_empty() {
        return Ok(Outcome::Unchanged);
    }

    let update = format!(
        "UPDATE {table} SET {} WHERE {} AND ({})",
        values
            .iter()
            .map(|(c, _)| format!("{c} = ?"))
            .collect::<Vec<_>>()
            .join(", "),
        key_columns
            .iter()
            .map(|c| format!("{c} = ?"))
            .collect::<Vec<_>>()
            .join(" AND "),
        values
            .iter()
            .map(|(c, _)| format!("{c} IS NOT ?"))
            .collect::<Vec<_>>()
            .join(" OR "),
    );
    let mut query = sqlx::query(AssertSqlSafe(update));
    for (_, v) in values.iter().chain(keys).chain(values) {
        query = bind(query, v);
    }
    Ok(if query.execute(&mut *conn).await?.rows_affected() == 1 {
        Outcome::Updated
    } else {
        Outcome::Unchanged
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::{Connection, Row};

    async fn conn() -> SqliteConnection {
        let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        sqlx::query("CREATE TABLE t (k TEXT PRIMARY KEY, a REAL, b TEXT)")
            .execute(&mut conn)
            .await
            .unwrap();
        conn
    }

    #[tokio::test]
    async fn insert_then_unchanged_then_updated() {
        let mut conn = conn().await;
        let row = |a: Option<f64>| [("a", SqlValue::from(a)), ("b", SqlValue::from("x"))];
        let key = [("k", SqlValue::from("one"))];

        assert_eq!(
            upsert(&mut conn, "t", &key, &row(Some(1.5))).await.unwrap(),
            Outcome::Inserted
        );
        assert_eq!(
            upsert(&mut conn, "t", &key, &row(Some(1.5))).await.unwrap(),
            Outcome::Unchanged
        );
        assert_eq!(
            upsert(&mut conn, "t", &key, &row(Some(2.0))).await.unwrap(),
            Outcome::Updated
        );
        // A value that becomes missing is an update to NULL, and NULL again is unchanged.
        assert_eq!(
            upsert(&mut conn, "t", &key, &row(None)).await.unwrap(),
            Outcome::Updated
        );
        assert_eq!(
            upsert(&mut conn, "t", &key, &row(None)).await.unwrap(),
            Outcome::Unchanged
        );
        let stored = sqlx::query("SELECT count(*) AS n, max(a) AS a FROM t")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(stored.get::<i64, _>("n"), 1);
        assert_eq!(stored.get::<Option<f64>, _>("a"), None);
    }
}
