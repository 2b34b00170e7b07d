//! One upsert for every table: insert a row by its natural key, or update it only where a value
//! differs, and say which of the three happened (the import report counts them).

use sqlx::{any::AnyArguments, Any, AssertSqlSafe};

use crate::{Conn, StoreError};

/// A value bound into a statement. A missing value reaches the database as a NULL of its
/// column's type (PostgreSQL refuses a NULL typed as an integer in a text column).
#[derive(Debug, Clone, PartialEq)]
pub enum SqlValue {
    NullInt,
    NullReal,
    NullText,
    Int(i64),
    Real(f64),
    Text(String),
}

/// A type whose missing value has a typed NULL.
pub trait SqlType: Into<SqlValue> {
    const NULL: SqlValue;
}
impl SqlType for i64 {
    const NULL: SqlValue = SqlValue::NullInt;
}
impl SqlType for f64 {
    const NULL: SqlValue = SqlValue::NullReal;
}
impl SqlType for &str {
    const NULL: SqlValue = SqlValue::NullText;
}
impl SqlType for String {
    const NULL: SqlValue = SqlValue::NullText;
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
impl<T: SqlType> From<Option<T>> for SqlValue {
    fn from(v: Option<T>) -> Self {
        v.map_or(T::NULL, Into::into)
    }
}

/// What an upsert did to the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Inserted,
    Updated,
    Unchanged,
}

type AnyQuery<'q> = sqlx::query::Query<'q, Any, AnyArguments>;

fn bind<'q>(query: AnyQuery<'q>, value: &SqlValue) -> AnyQuery<'q> {
    match value {
        SqlValue::NullInt => query.bind(None::<i64>),
        // sqlx 0.9's `Any` sends a missing f64 to PostgreSQL as a float4 NULL and a missing f32
        // as a float8 one (`AnyArguments::convert_into` swaps them). The statement cache is keyed
        // by SQL alone, so a statement first prepared with a float4 NULL then refuses a float8
        // value ("incorrect binary data format"): bind the f32 NULL, which arrives as float8.
        // The upsert test starts with a NULL to catch a change of this.
        SqlValue::NullReal => query.bind(None::<f32>),
        SqlValue::NullText => query.bind(None::<String>),
        SqlValue::Int(v) => query.bind(*v),
        SqlValue::Real(v) => query.bind(*v),
        SqlValue::Text(v) => query.bind(v.clone()),
    }
}

/// Inserts the row unless one with the same `keys` exists; never changes an existing row.
/// Returns `Inserted` or `Unchanged`.
pub async fn insert_new(
    conn: &mut Conn,
    table: &str,
    keys: &[(&str, SqlValue)],
    values: &[(&str, SqlValue)],
) -> Result<Outcome, StoreError> {
    let columns: Vec<&str> = keys.iter().chain(values).map(|(c, _)| *c).collect();
    let key_columns: Vec<&str> = keys.iter().map(|(c, _)| *c).collect();
    let insert = format!(
        "INSERT INTO {table} ({}) VALUES ({}) ON CONFLICT ({}) DO NOTHING",
        columns.join(", "),
        (1..=columns.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", "),
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
/// Two statements rather than `INSERT .. ON CONFLICT DO UPDATE` because both backends report one
/// changed row for both an insert and an update; `DO NOTHING` followed by a guarded `UPDATE`
/// tells the three outcomes apart exactly, so a re-import reports zero inserts and zero updates.
/// `table` and the column names come from our code, never from input.
pub async fn upsert(
    conn: &mut Conn,
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

    // `$i` are the values, `$n+j` the keys; each value is compared with the placeholder that
    // sets it, so every value is bound once.
    let n = values.len();
    let update = format!(
        "UPDATE {table} SET {} WHERE {} AND ({})",
        values
            .iter()
            .enumerate()
            .map(|(i, (c, _))| format!("{c} = ${}", i + 1))
            .collect::<Vec<_>>()
            .join(", "),
        key_columns
            .iter()
            .enumerate()
            .map(|(j, c)| format!("{c} = ${}", n + j + 1))
            .collect::<Vec<_>>()
            .join(" AND "),
        values
            .iter()
            .enumerate()
            .map(|(i, (c, _))| format!("{c} IS DISTINCT FROM ${}", i + 1))
            .collect::<Vec<_>>()
            .join(" OR "),
    );
    let mut query = sqlx::query(AssertSqlSafe(update));
    for (_, v) in values.iter().chain(keys) {
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
    use sqlx::Row;

    /// A table with a text key, a float, a text and an integer, on `pool`.
    async fn table(pool: &crate::Pool) {
        sqlx::query("CREATE TABLE t (k TEXT PRIMARY KEY, a DOUBLE PRECISION, b TEXT, c BIGINT)")
            .execute(pool)
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn insert_then_unchanged_then_updated() {
        for db in crate::scratch::all().await {
            let pool = crate::open(&db.url).await.unwrap();
            table(&pool).await;
            let mut conn = pool.acquire().await.unwrap();
            let row = |a: Option<f64>, b: Option<&str>, c: Option<i64>| {
                [
                    ("a", SqlValue::from(a)),
                    ("b", SqlValue::from(b)),
                    ("c", SqlValue::from(c)),
                ]
            };
            // A NULL first, then values: the statement is prepared with the NULLs' types.
            let other = [("k", SqlValue::from("zero"))];
            assert_eq!(
                upsert(&mut conn, "t", &other, &row(None, None, None))
                    .await
                    .unwrap(),
                Outcome::Inserted
            );
            let key = [("k", SqlValue::from("one"))];
            let mut upsert_row =
                async |r: [(&str, SqlValue); 3]| upsert(&mut conn, "t", &key, &r).await.unwrap();
            assert_eq!(
                upsert_row(row(Some(1.5), Some("x"), Some(3))).await,
                Outcome::Inserted
            );
            assert_eq!(
                upsert_row(row(Some(1.5), Some("x"), Some(3))).await,
                Outcome::Unchanged
            );
            assert_eq!(
                upsert_row(row(Some(2.0), Some("x"), Some(3))).await,
                Outcome::Updated
            );
            // A value that becomes missing is an update to NULL, and NULL again is unchanged:
            // NULLs of every column type (PostgreSQL types its parameters).
            assert_eq!(upsert_row(row(None, None, None)).await, Outcome::Updated);
            assert_eq!(upsert_row(row(None, None, None)).await, Outcome::Unchanged);
            assert_eq!(
                upsert_row(row(None, Some("y"), None)).await,
                Outcome::Updated
            );
            let stored = sqlx::query(
                "SELECT count(*) AS n, max(a) AS a, max(b) AS b FROM t WHERE k = 'one'",
            )
            .fetch_one(&pool)
            .await
            .unwrap();
            assert_eq!(stored.get::<i64, _>("n"), 1, "{:?}", db.backend);
            assert_eq!(stored.get::<Option<f64>, _>("a"), None);
            assert_eq!(stored.get::<Option<String>, _>("b").as_deref(), Some("y"));
        }
    }
}
