//! News CSVs (headlines `label,text`; articles `text,date` with an optional direction `label`)
//! and the Financial PhraseBank (`label,news`, human sentiment labels).

use std::path::Path;

use mmi_store::{upsert, Conn, Outcome, Pool, StoreError};

use super::{file_label, read_csv, CsvColumns};
use crate::batch::{write_rows, Record};
use crate::text::{content_hash, non_empty};
use crate::{FileReport, IngestError, Progress};

#[derive(Debug, Clone, PartialEq)]
struct NewsRow {
    source: String,
    content_hash: String,
    published_on: Option<String>,
    title: Option<String>,
    body: Option<String>,
    direction_label: Option<i64>,
}

impl Record for NewsRow {
    fn key(&self) -> String {
        self.content_hash.clone()
    }

    async fn write(&self, conn: &mut Conn) -> Result<Outcome, StoreError> {
        upsert(
            conn,
            "news_items",
            &[
                ("source", self.source.as_str().into()),
                ("content_hash", self.content_hash.as_str().into()),
            ],
            &[
                ("published_on", self.published_on.clone().into()),
                ("title", self.title.clone().into()),
                ("body", self.body.clone().into()),
                ("direction_label", self.direction_label.into()),
            ],
        )
        .await
    }
}

fn parse_direction(field: &str) -> Result<Option<i64>, String> {
    match field.trim() {
        "" => Ok(None),
        "0" => Ok(Some(0)),
        "1" => Ok(Some(1)),
        other => Err(format!("label: expected 0 or 1, found {other:?}")),
    }
}

fn parse_date(field: &str) -> Result<String, String> {
    let t = field.trim();
    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map(|d| d.to_string())
        .map_err(|_| format!("date: not a YYYY-MM-DD date: {t:?}"))
}

/// One news row: with a `date` column the text is an article body, without one a headline.
fn parse_news(header: &CsvColumns, r: &csv::StringRecord, source: &str) -> Result<NewsRow, String> {
    let text = non_empty(header.get(r, "text")).ok_or("text: empty")?;
    let published_on = if header.has("date") {
        Some(parse_date(header.get(r, "date"))?)
    } else {
        None
    };
    let direction_label = parse_direction(header.get(r, "label"))?;
    let (title, body) = if published_on.is_some() {
        (None, Some(text))
    } else {
        (Some(text), None)
    };
    let content_hash = content_hash(&[
        published_on.as_deref().unwrap_or(""),
        title.as_deref().unwrap_or(""),
        body.as_deref().unwrap_or(""),
    ]);
    Ok(NewsRow {
        source: source.to_owned(),
        content_hash,
        published_on,
        title,
        body,
        direction_label,
    })
}

/// Imports a news CSV. A file with a `date` column holds articles (the text is the body); one
/// without holds headlines (the text is the title). A `label` column is the next-day price
/// direction these data sets carry, kept as such, never as sentiment.
pub(crate) async fn import_news(
    pool: &Pool,
    path: &Path,
    progress: &Progress,
) -> Result<FileReport, IngestError> {
    let source = file_label(path);
    let mut report = FileReport::new(&source);
    let (header, records) = read_csv(path, &["text"], &mut report)?;
    let mut rows = Vec::with_capacity(records.len());
    for (line, record) in records {
        match parse_news(&header, &record, &source) {
            Ok(row) => rows.push((line, row)),
            Err(reason) => report.reject(line, reason),
        }
    }
    write_rows(pool, rows, &mut report, progress).await?;
    Ok(report)
}

#[derive(Debug, Clone, PartialEq)]
struct SentenceRow {
    source: String,
    content_hash: String,
    sentence: String,
    label: &'static str,
}

impl Record for SentenceRow {
    fn key(&self) -> String {
        self.content_hash.clone()
    }

    async fn write(&self, conn: &mut Conn) -> Result<Outcome, StoreError> {
        upsert(
            conn,
            "sentiment_sentences",
            &[
                ("source", self.source.as_str().into()),
                ("content_hash", self.content_hash.as_str().into()),
            ],
            &[
                ("sentence", self.sentence.as_str().into()),
                ("label", self.label.into()),
            ],
        )
        .await
    }
}

/// Imports Financial PhraseBank (`label,news`; the file is Latin-1).
pub(crate) async fn import_phrasebank(
    pool: &Pool,
    path: &Path,
    progress: &Progress,
) -> Result<FileReport, IngestError> {
    let source = file_label(path);
    let mut report = FileReport::new(&source);
    let (header, records) = read_csv(path, &["label", "news"], &mut report)?;
    let mut rows = Vec::with_capacity(records.len());
    for (line, r) in records {
        let label = match header.get(&r, "label").trim() {
            "positive" => "positive",
            "neutral" => "neutral",
            "negative" => "negative",
            other => {
                report.reject(
                    line,
                    format!("label: expected positive, neutral or negative, found {other:?}"),
                );
                continue;
            }
        };
        let Some(sentence) = non_empty(header.get(&r, "news")) else {
            report.reject(line, "news: empty");
            continue;
        };
        rows.push((
            line,
            SentenceRow {
                source: source.clone(),
                content_hash: content_hash(&[&sentence]),
                sentence,
                label,
            },
        ));
    }
    write_rows(pool, rows, &mut report, progress).await?;
    Ok(report)
}
