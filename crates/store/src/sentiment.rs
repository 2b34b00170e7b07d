//! What the sentiment models read (labelled sentences, headlines, dated news, token names) and
//! the market sentiment index they write and the pages and API read.

use mmi_types::{SentimentCoverage, SentimentDay, SentimentItem};
use sqlx::Row;

use crate::{Conn, Pool, StoreError};

/// `(sentence, label)` of every labelled sentence, in import order.
pub async fn labelled_sentences(pool: &Pool) -> Result<Vec<(String, String)>, StoreError> {
    Ok(
        sqlx::query_as("SELECT sentence, label FROM sentiment_sentences ORDER BY id")
            .fetch_all(pool)
            .await?,
    )
}

/// `(title, next day up)` of every undated headline that carries a direction label.
pub async fn direction_headlines(pool: &Pool) -> Result<Vec<(String, bool)>, StoreError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT title, direction_label FROM news_items
          WHERE title IS NOT NULL AND direction_label IS NOT NULL ORDER BY id",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(t, d)| (t, d == 1)).collect())
}

/// A dated news item.
#[derive(Debug, Clone, PartialEq)]
pub struct DatedNews {
    pub id: i64,
    pub published_on: String,
    pub title: Option<String>,
    pub body: Option<String>,
}

/// Every news item with a date, oldest first.
pub async fn dated_news(pool: &Pool) -> Result<Vec<DatedNews>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, published_on, title, body FROM news_items
          WHERE published_on IS NOT NULL ORDER BY published_on, id",
    )
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(DatedNews {
                id: r.try_get("id")?,
                published_on: r.try_get("published_on")?,
                title: r.try_get("title")?,
                body: r.try_get("body")?,
            })
        })
        .collect()
}

/// `(symbol, name)` of every token.
pub async fn token_names(pool: &Pool) -> Result<Vec<(String, String)>, StoreError> {
    Ok(
        sqlx::query_as("SELECT symbol, name FROM tokens ORDER BY symbol")
            .fetch_all(pool)
            .await?,
    )
}

/// One index row.
#[derive(Debug, Clone, PartialEq)]
pub struct NewsSentimentRow {
    pub news_id: i64,
    pub symbol: String,
    pub published_on: String,
    pub score: f64,
    pub probabilities: [f64; 3],
    pub sentences: u32,
    pub headline: String,
}

/// Replaces the whole index with `rows`, scored by `(model_name, model_version)`.
pub async fn replace_news_sentiment(
    conn: &mut Conn,
    rows: &[NewsSentimentRow],
    model_name: &str,
    model_version: i64,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM news_sentiment")
        .execute(&mut *conn)
        .await?;
    for r in rows {
        sqlx::query(
            "INSERT INTO news_sentiment (news_id, symbol, published_on, score, p_negative,
                    p_neutral, p_positive, sentences, headline, model_name, model_version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(r.news_id)
        .bind(&r.symbol)
        .bind(&r.published_on)
        .bind(r.score.clamp(-1.0, 1.0))
        .bind(r.probabilities[0])
        .bind(r.probabilities[1])
        .bind(r.probabilities[2])
        .bind(i64::from(r.sentences))
        .bind(&r.headline)
        .bind(model_name)
        .bind(model_version)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// One token-day of the index, with the items behind it (best-scoring first) and the model.
#[derive(Debug, Clone, PartialEq)]
pub struct SentimentDayDetail {
    pub day: SentimentDay,
    pub items: Vec<SentimentItem>,
    pub model_name: String,
    pub model_version: i64,
}

const DAY_COLUMNS: &str = "published_on, avg(score) AS score, count(*) AS n,
       CAST(avg(CASE WHEN p_positive >= p_neutral AND p_positive >= p_negative THEN 1 ELSE 0 END)
            AS DOUBLE PRECISION) AS share_positive,
       CAST(avg(CASE WHEN p_negative > p_neutral AND p_negative > p_positive THEN 1 ELSE 0 END)
            AS DOUBLE PRECISION) AS share_negative";

fn day_row(r: &sqlx::any::AnyRow) -> Result<SentimentDay, sqlx::Error> {
    Ok(SentimentDay {
        date: r.try_get("published_on")?,
        score: r.try_get("score")?,
        n_items: r.try_get::<i64, _>("n")? as u32,
        share_positive: r.try_get("share_positive")?,
        share_negative: r.try_get("share_negative")?,
        close: r.try_get("close")?,
    })
}

/// The index of `symbol` on `date`, or on its latest day with news when `date` is `None`;
/// `None` when there is no news for it. `top` items are returned, strongest score first.
pub async fn sentiment_day(
    pool: &Pool,
    symbol: &str,
    date: Option<&str>,
    top: i64,
) -> Result<Option<SentimentDayDetail>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {DAY_COLUMNS}, NULL AS close, min(model_name) AS model_name,
                min(model_version) AS model_version
           FROM news_sentiment
          WHERE symbol = $1
            AND published_on = coalesce($2,
                (SELECT max(published_on) FROM news_sentiment WHERE symbol = $1))
          GROUP BY published_on"
    )))
    .bind(symbol)
    .bind(date)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let day = day_row(&row)?;
    let items: Vec<(String, f64)> = sqlx::query_as(
        "SELECT headline, score FROM news_sentiment WHERE symbol = $1 AND published_on = $2
          ORDER BY abs(score) DESC, news_id LIMIT $3",
    )
    .bind(symbol)
    .bind(&day.date)
    .bind(top)
    .fetch_all(pool)
    .await?;
    Ok(Some(SentimentDayDetail {
        model_name: row.try_get("model_name")?,
        model_version: row.try_get("model_version")?,
        day,
        items: items
            .into_iter()
            .map(|(title, score)| SentimentItem { title, score })
            .collect(),
    }))
}

/// Every day of `symbol`'s index with that day's close, oldest first.
pub async fn sentiment_series(pool: &Pool, symbol: &str) -> Result<Vec<SentimentDay>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {DAY_COLUMNS},
                (SELECT p.close_usd FROM daily_prices p JOIN tokens t ON t.id = p.token_id
                  WHERE t.symbol = $1 AND p.day = s.published_on) AS close
           FROM news_sentiment s
          WHERE symbol = $1
          GROUP BY published_on ORDER BY published_on"
    )))
    .bind(symbol)
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().map(day_row).collect::<Result<_, _>>()?)
}

/// Tokens in the index with their number of items and days, most items first.
pub async fn sentiment_coverage(pool: &Pool) -> Result<Vec<SentimentCoverage>, StoreError> {
    let rows: Vec<(String, i64, i64, String, String)> = sqlx::query_as(
        "SELECT symbol, count(*), count(DISTINCT published_on), min(published_on),
                max(published_on)
           FROM news_sentiment GROUP BY symbol ORDER BY count(*) DESC, symbol",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(symbol, items, days, first_day, last_day)| SentimentCoverage {
                symbol,
                items: items as u32,
                days: days as u32,
                first_day,
                last_day,
            },
        )
        .collect())
}

/// One item of a day's top list, with the model that scored it.
#[derive(Debug, Clone)]
pub struct RankedItem {
    pub symbol: String,
    pub day: String,
    pub item: SentimentItem,
    pub model_name: String,
    pub model_version: i64,
}

/// The `top` strongest items of every token and day of the index (ordered as
/// [`sentiment_day`] lists them), for a serving snapshot that answers without the database.
pub async fn top_items(pool: &Pool, top: i64) -> Result<Vec<RankedItem>, StoreError> {
    let rows = sqlx::query(
        "SELECT symbol, published_on, headline, score, model_name, model_version FROM (
             SELECT *, row_number() OVER (PARTITION BY symbol, published_on
                                          ORDER BY abs(score) DESC, news_id) AS rank
               FROM news_sentiment) AS ranked
          WHERE rank <= $1 ORDER BY symbol, published_on, rank",
    )
    .bind(top)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(RankedItem {
                symbol: r.try_get("symbol")?,
                day: r.try_get("published_on")?,
                item: SentimentItem {
                    title: r.try_get("headline")?,
                    score: r.try_get("score")?,
                },
                model_name: r.try_get("model_name")?,
                model_version: r.try_get("model_version")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(StoreError::from)
}
