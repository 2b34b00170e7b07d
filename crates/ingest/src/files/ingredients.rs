//! Ingredient sentences labelled by field:
//! `input,name,quantity,unit,size,preparation,comment,purpose` (training data for the parser).

use std::path::Path;

use mmi_store::{upsert, Conn, Outcome, Pool, StoreError};

use super::{file_label, read_csv};
use crate::batch::{write_rows, Record};
use crate::text::non_empty;
use crate::{FileReport, IngestError, Progress};

const LABELS: [&str; 7] = [
    "name",
    "quantity",
    "unit",
    "size",
    "preparation",
    "comment",
    "purpose",
];

#[derive(Debug, Clone, PartialEq)]
struct SentenceRow {
    source: String,
    input: String,
    labels: [Option<String>; 7],
}

impl Record for SentenceRow {
    fn key(&self) -> String {
        self.input.clone()
    }

    async fn write(&self, conn: &mut Conn) -> Result<Outcome, StoreError> {
        let values: Vec<_> = LABELS
            .iter()
            .zip(&self.labels)
            .map(|(column, value)| (*column, value.clone().into()))
            .collect();
        upsert(
            conn,
            "ingredient_sentences",
            &[
                ("source", self.source.as_str().into()),
                ("input", self.input.as_str().into()),
            ],
            &values,
        )
        .await
    }
}

/// Imports one labelled ingredient CSV. The same sentence labelled twice in one file is a
/// duplicate when the labels agree and a rejected row (naming the first line) when they don't.
pub(crate) async fn import(
    pool: &Pool,
    path: &Path,
    progress: &Progress,
) -> Result<FileReport, IngestError> {
    let source = file_label(path);
    let mut report = FileReport::new(&source);
    let mut required = vec!["input"];
    required.extend(LABELS);
    let (header, records) = read_csv(path, &required, &mut report)?;
    let mut rows = Vec::with_capacity(records.len());
    for (line, r) in records {
        let Some(input) = non_empty(header.get(&r, "input")) else {
            report.reject(line, "input: empty");
            continue;
        };
        rows.push((
            line,
            SentenceRow {
                source: source.clone(),
                input,
                labels: LABELS.map(|l| non_empty(header.get(&r, l))),
            },
        ));
    }
    write_rows(pool, rows, &mut report, progress).await?;
    Ok(report)
}
