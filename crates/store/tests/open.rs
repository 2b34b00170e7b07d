//! Opening a real SQLite file: created on first start, migrated, and empty.

// Test helpers unwrap too: a panic is the failure report we want.
#![allow(clippy::unwrap_used)]

use mmi_store::{has_data, open, stats};

#[tokio::test]
async fn creates_file_and_directory_and_migrates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/dir/mmi.db");
    let url = format!("sqlite://{}", path.display());

    let pool = open(&url).await.unwrap();
    assert!(path.exists(), "the database file is created on first open");

    let s = stats(&pool).await.unwrap();
    assert!(s.is_empty());
    assert_eq!(s.first_price_day, None);
    pool.close().await;

    // Opening again re-applies nothing and keeps the file usable.
    let pool = open(&url).await.unwrap();
    assert_eq!(stats(&pool).await.unwrap().tokens, 0);
    assert!(!has_data(&pool).await.unwrap());
    sqlx::query(
        "INSERT INTO recipes (natural_key, title, instructions_json) VALUES ('k', 't', '[]')",
    )
    .execute(&pool)
    .await
    .unwrap();
    assert!(has_data(&pool).await.unwrap());
}

#[tokio::test]
async fn schema_rejects_a_price_for_a_token_that_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let pool = open(&format!("sqlite://{}", dir.path().join("x.db").display()))
        .await
        .unwrap();
    let err = sqlx::query(
        "INSERT INTO daily_prices (token_id, day, close_usd, source) VALUES (42, '2020-01-01', 1.0, 't')",
    )
    .execute(&pool)
    .await
    .unwrap_err();
    assert!(err.to_string().contains("FOREIGN KEY"), "{err}");
}
