//! Read queries behind the dashboard and `/readyz`, lookups the importers need, and the
//! bookkeeping of import runs.

use mmi_types::{DbStats, FoodGroupSummary, TokenSummary};
use sqlx::Row;

use crate::{Conn, Pool};

use crate::StoreError;

/// True when the database answers a trivial query.
pub async fn ping(pool: &Pool) -> bool {
    sqlx::query("SELECT 1").execute(pool).await.is_ok()
}

/// True when any data set holds a row: one index probe per table, cheap enough for `/readyz`.
pub async fn has_data(pool: &Pool) -> Result<bool, StoreError> {
    // An integer, not a boolean: SQLite has no boolean type to decode.
    let any: i64 = sqlx::query_scalar(
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM tokens) OR EXISTS (SELECT 1 FROM news_items)
             OR EXISTS (SELECT 1 FROM sentiment_sentences) OR EXISTS (SELECT 1 FROM foods)
             OR EXISTS (SELECT 1 FROM recipes) OR EXISTS (SELECT 1 FROM ingredient_sentences)
             THEN 1 ELSE 0 END",
    )
    .fetch_one(pool)
    .await?;
    Ok(any == 1)
}

/// Row counts of every data set and the span of the price history.
pub async fn stats(pool: &Pool) -> Result<DbStats, StoreError> {
    let row = sqlx::query(
        "SELECT
            (SELECT count(*) FROM tokens)               AS tokens,
            (SELECT count(*) FROM daily_prices)         AS price_rows,
            (SELECT count(*) FROM news_items)           AS news_items,
            (SELECT count(*) FROM sentiment_sentences)  AS sentiment_sentences,
            (SELECT count(*) FROM foods)                AS foods,
            (SELECT count(*) FROM food_nutrients)       AS food_nutrients,
            (SELECT count(*) FROM food_portions)        AS food_portions,
            (SELECT count(*) FROM recipes)              AS recipes,
            (SELECT count(*) FROM ingredient_sentences) AS ingredient_sentences,
            (SELECT min(day) FROM daily_prices)         AS first_price_day,
            (SELECT max(day) FROM daily_prices)         AS last_price_day",
    )
    .fetch_one(pool)
    .await?;
    Ok(DbStats {
        tokens: row.try_get("tokens")?,
        price_rows: row.try_get("price_rows")?,
        news_items: row.try_get("news_items")?,
        sentiment_sentences: row.try_get("sentiment_sentences")?,
        foods: row.try_get("foods")?,
        food_nutrients: row.try_get("food_nutrients")?,
        food_portions: row.try_get("food_portions")?,
        recipes: row.try_get("recipes")?,
        ingredient_sentences: row.try_get("ingredient_sentences")?,
        first_price_day: row.try_get("first_price_day")?,
        last_price_day: row.try_get("last_price_day")?,
        last_import_at: last_import_at(pool).await?,
        import: None,
    })
}

/// The tables that hold imported data, in import order.
pub const DATA_TABLES: [&str; 12] = [
    "tokens",
    "daily_prices",
    "news_items",
    "sentiment_sentences",
    "food_groups",
    "nutrient_definitions",
    "foods",
    "food_nutrients",
    "food_portions",
    "recipes",
    "recipe_ingredients",
    "ingredient_sentences",
];

/// The row count of every table in [`DATA_TABLES`].
pub async fn table_counts(pool: &Pool) -> Result<Vec<(&'static str, i64)>, StoreError> {
    let mut counts = Vec::with_capacity(DATA_TABLES.len());
    for table in DATA_TABLES {
        // The table names are the constants above, never input.
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
                .fetch_one(pool)
                .await?;
        counts.push((table, n));
    }
    Ok(counts)
}

/// Every token with the extent of its price history and its last close, by symbol.
pub async fn tokens(pool: &Pool) -> Result<Vec<TokenSummary>, StoreError> {
    let rows = sqlx::query(
        "SELECT t.symbol, t.name, count(p.day) AS n_days, min(p.day) AS first_day,
                max(p.day) AS last_day,
                (SELECT close_usd FROM daily_prices l
                  WHERE l.token_id = t.id ORDER BY l.day DESC LIMIT 1) AS last_close_usd
           FROM tokens t LEFT JOIN daily_prices p ON p.token_id = t.id
          GROUP BY t.id ORDER BY t.symbol",
    )
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(TokenSummary {
                symbol: r.try_get("symbol")?,
                name: r.try_get("name")?,
                n_days: r.try_get("n_days")?,
                first_day: r.try_get("first_day")?,
                last_day: r.try_get("last_day")?,
                last_close_usd: r.try_get("last_close_usd")?,
            })
        })
        .collect()
}

/// Every USDA food group with its number of foods, largest first.
pub async fn food_groups(pool: &Pool) -> Result<Vec<FoodGroupSummary>, StoreError> {
    let rows = sqlx::query(
        "SELECT g.code, g.name, count(f.ndb_no) AS n_foods
           FROM food_groups g LEFT JOIN foods f ON f.food_group_code = g.code
          GROUP BY g.code ORDER BY n_foods DESC, g.code",
    )
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(FoodGroupSummary {
                code: r.try_get("code")?,
                name: r.try_get("name")?,
                n_foods: r.try_get("n_foods")?,
            })
        })
        .collect()
}

/// The id of the token with `symbol`, if it exists.
pub async fn token_id(conn: &mut Conn, symbol: &str) -> Result<Option<i64>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM tokens WHERE symbol = $1")
            .bind(symbol)
            .fetch_optional(conn)
            .await?,
    )
}

/// The id of the recipe with `natural_key`, if it exists.
pub async fn recipe_id(conn: &mut Conn, natural_key: &str) -> Result<Option<i64>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM recipes WHERE natural_key = $1")
            .bind(natural_key)
            .fetch_optional(conn)
            .await?,
    )
}

/// Records that an import from `source` started at `started_at` (RFC 3339); returns its id.
pub async fn begin_import_run(
    pool: &Pool,
    source: &str,
    started_at: &str,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO import_runs (started_at, source) VALUES ($1, $2) RETURNING id",
    )
    .bind(started_at)
    .bind(source)
    .fetch_one(pool)
    .await?)
}

/// Records that import run `id` finished at `finished_at` with the report `summary_json`.
pub async fn finish_import_run(
    pool: &Pool,
    id: i64,
    finished_at: &str,
    summary_json: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE import_runs SET finished_at = $1, summary_json = $2 WHERE id = $3")
        .bind(finished_at)
        .bind(summary_json)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

/// When the most recent finished import ended.
pub async fn last_import_at(pool: &Pool) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT max(finished_at) FROM import_runs")
            .fetch_one(pool)
            .await?,
    )
}
