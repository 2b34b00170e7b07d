//! Opening a real database, on each backend: created on first start, migrated, and empty.

// Test helpers unwrap too: a panic is the failure report we want.
#![allow(clippy::unwrap_used)]

use mmi_store::{has_data, open, scratch, stats, Backend};

#[tokio::test]
async fn creates_file_and_directory_and_migrates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/dir/mmi.db");
    let url = format!("sqlite://{}", path.display());

    let pool = open(&url).await.unwrap();
    assert!(path.exists(), "the database file is created on first open");
    assert_eq!(Backend::of(&pool), Backend::Sqlite);
    pool.close().await;

    for db in scratch::all().await {
        let pool = open(&db.url).await.unwrap();
        assert_eq!(Backend::of(&pool), db.backend);
        let s = stats(&pool).await.unwrap();
        assert!(s.is_empty(), "{:?}", db.backend);
        assert_eq!(s.first_price_day, None);
        pool.close().await;

        // Opening again re-applies nothing and keeps the database usable.
        let pool = open(&db.url).await.unwrap();
        assert_eq!(stats(&pool).await.unwrap().tokens, 0);
        assert!(!has_data(&pool).await.unwrap());
        sqlx::query(
            "INSERT INTO recipes (natural_key, title, instructions_json) VALUES ('k', 't', '[]')",
        )
        .execute(&pool)
        .await
        .unwrap();
        assert!(has_data(&pool).await.unwrap());
        pool.close().await;
    }
}

#[tokio::test]
async fn schema_rejects_a_price_for_a_token_that_does_not_exist() {
    for db in scratch::all().await {
        let pool = open(&db.url).await.unwrap();
        let err = sqlx::query(
            "INSERT INTO daily_prices (token_id, day, close_usd, source) VALUES (42, '2020-01-01', 1.0, 't')",
        )
        .execute(&pool)
        .await
        .unwrap_err();
        let kind = err.as_database_error().map(|e| e.kind());
        assert_eq!(
            kind,
            Some(sqlx::error::ErrorKind::ForeignKeyViolation),
            "{err}"
        );
        // And a malformed day, on both backends.
        sqlx::query("INSERT INTO tokens (symbol, name) VALUES ('X', 'x')")
            .execute(&pool)
            .await
            .unwrap();
        let insert = |day: &'static str| {
            sqlx::query(
                "INSERT INTO daily_prices (token_id, day, close_usd, source)
                 SELECT id, $1, 1.0, 't' FROM tokens",
            )
            .bind(day)
        };
        let err = insert("2020-1-1").execute(&pool).await.unwrap_err();
        let kind = err.as_database_error().map(|e| e.kind());
        assert_eq!(kind, Some(sqlx::error::ErrorKind::CheckViolation), "{err}");
        insert("2020-01-01").execute(&pool).await.unwrap();
        pool.close().await;
    }
}

#[tokio::test]
async fn a_bad_url_is_named() {
    let err = open("mysql://u@h/db").await.unwrap_err().to_string();
    assert!(
        err.contains("mysql://u@h/db") && err.contains("scheme"),
        "{err}"
    );
}
