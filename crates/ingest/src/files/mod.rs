//! File importers for the formats of the reference data, and the directory walk that finds them.

mod ingredients;
mod news;
mod prices;
mod recipes;
mod sr26;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use mmi_store::Pool;

use crate::{FileReport, ImportReport, IngestError, Progress};

pub(crate) use crate::batch::write_rows;
pub(crate) use prices::{upsert_token, zero_is_missing, PriceRow};

/// The data sets of a data directory, laid out as in the reference data's README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Prices,
    News,
    Sentiment,
    Sr26(sr26::SrFile),
    Recipes,
    Ingredients,
}

impl Kind {
    /// The data set whose version an import of this kind of file bumps.
    fn data_set(&self) -> &'static str {
        match self {
            Kind::Prices => "prices",
            Kind::News => "news",
            Kind::Sentiment => "phrasebank",
            Kind::Sr26(_) => "foods",
            Kind::Recipes => "recipes",
            Kind::Ingredients => "ingredients",
        }
    }
}

/// Bumps the version of each data set in `touched` (once each): the serving processes rebuild
/// what they read from those sets.
pub(crate) async fn bump(
    pool: &Pool,
    touched: &std::collections::BTreeSet<&'static str>,
) -> Result<(), IngestError> {
    for data_set in touched {
        mmi_store::bump_data_version(pool, data_set).await?;
    }
    Ok(())
}

/// The files in `dir/sub` with extension `ext`, sorted by name.
fn files_in(dir: &Path, sub: &str, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join(sub))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext)))
        .collect();
    files.sort();
    files
}

/// Where a data set lives under the data directory.
enum Place {
    /// Every file with this extension in this folder.
    Folder(&'static str, &'static str, Kind),
    /// The SR26 files, each by its name.
    Sr26,
}

/// The data sets in dependency order (tokens before prices, SR groups before foods ...).
const LAYOUT: [Place; 6] = [
    Place::Folder("crypto/prices", "csv", Kind::Prices),
    Place::Folder("crypto/news", "csv", Kind::News),
    Place::Folder("crypto/sentiment", "csv", Kind::Sentiment),
    Place::Sr26,
    Place::Folder("recipes", "jsonl", Kind::Recipes),
    Place::Folder("ingredients", "csv", Kind::Ingredients),
];

/// Lists the importable files under `dir`, in dependency order, and the expected ones missing.
fn discover(dir: &Path) -> (Vec<(Kind, PathBuf)>, Vec<String>) {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for place in LAYOUT {
        match place {
            Place::Folder(sub, ext, kind) => {
                let files = files_in(dir, sub, ext);
                if files.is_empty() {
                    missing.push(format!("{}/*.{ext}", dir.join(sub).display()));
                }
                found.extend(files.into_iter().map(|p| (kind, p)));
            }
            Place::Sr26 => {
                for sr in sr26::SrFile::IN_ORDER {
                    let path = dir.join("nutrition/sr26").join(sr.file_name());
                    if path.is_file() {
                        found.push((Kind::Sr26(sr), path));
                    } else {
                        missing.push(path.display().to_string());
                    }
                }
            }
        }
    }
    (found, missing)
}

/// The reference data directory of the tests and benchmarks: `DATA_DIR`, relative to the
/// workspace root `root` when it is relative (so every crate's tests resolve it the same way).
///
/// # Panics
/// When `DATA_DIR` is unset: the tests that need the reference data say how to set it.
pub fn reference_data_dir(root: &Path) -> std::path::PathBuf {
    #[allow(clippy::expect_used)] // a test-setup failure with the fix in the message
    let dir = std::path::PathBuf::from(std::env::var("DATA_DIR").expect(
        "DATA_DIR must point at the reference data (e.g. ../shared/data); `make test` sets it",
    ));
    if dir.is_relative() {
        root.join(dir)
    } else {
        dir
    }
}

/// Imports only `parts` of the data directory `dir` (e.g. `["nutrition/sr26"]`): they are linked
/// into `scratch` in the same layout and that folder is imported. For tests and benchmarks that
/// need one data set of the reference data, read where it is.
pub async fn import_parts(
    pool: &Pool,
    dir: &Path,
    parts: &[&str],
    scratch: &Path,
    progress: &Progress,
) -> Result<ImportReport, IngestError> {
    let io = |path: &Path, source| IngestError::Io {
        path: path.display().to_string(),
        source,
    };
    for part in parts {
        let source = dir.join(part);
        let source = source.canonicalize().map_err(|e| io(&source, e))?;
        let link = scratch.join(part);
        if let Some(parent) = link.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        std::os::unix::fs::symlink(&source, &link).map_err(|e| io(&link, e))?;
    }
    import_dir(pool, scratch, progress).await
}

/// Imports every data set found under `dir` (see the reference data's README for the layout).
///
/// Each file is imported on its own: a file that cannot be read at all is reported as missing
/// with the reason and the others still import. Errors of the database stop the import.
pub async fn import_dir(
    pool: &Pool,
    dir: &Path,
    progress: &Progress,
) -> Result<ImportReport, IngestError> {
    if !dir.is_dir() {
        return Err(IngestError::Io {
            path: dir.display().to_string(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "not a directory"),
        });
    }
    let (files, missing) = discover(dir);
    let mut report = ImportReport {
        source: dir.display().to_string(),
        files: Vec::with_capacity(files.len()),
        missing,
    };
    progress.begin(files.len() as u32);
    let mut touched = std::collections::BTreeSet::new();
    for (kind, path) in files {
        touched.insert(kind.data_set());
        let result = match kind {
            Kind::Prices => prices::import(pool, &path, progress).await,
            Kind::News => news::import_news(pool, &path, progress).await,
            Kind::Sentiment => news::import_phrasebank(pool, &path, progress).await,
            Kind::Sr26(sr) => sr26::import(pool, sr, &path, progress).await,
            Kind::Recipes => recipes::import(pool, &path, progress).await,
            Kind::Ingredients => ingredients::import(pool, &path, progress).await,
        };
        match result {
            Ok(file_report) => report.files.push(file_report),
            Err(e @ (IngestError::Io { .. } | IngestError::Format { .. })) => {
                tracing::warn!("skipping {}: {e}", path.display());
                report.missing.push(e.to_string());
            }
            Err(e) => {
                progress.end();
                // What committed before the failure is data too: the servers should see it.
                bump(pool, &touched).await?;
                return Err(e);
            }
        }
    }
    progress.end();
    // The import is over: serving processes rebuild what they read from these data sets.
    bump(pool, &touched).await?;
    Ok(report)
}

/// How a file is named in reports: its folder and name (`prices/coin_Bitcoin.csv`).
pub(crate) fn file_label(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let parent = path
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned());
    match (parent, name) {
        (Some(p), Some(n)) => format!("{p}/{n}"),
        (None, Some(n)) => n,
        _ => path.display().to_string(),
    }
}

pub(crate) fn read_file(path: &Path) -> Result<String, IngestError> {
    std::fs::read(path)
        .map(|bytes| crate::text::decode(&bytes))
        .map_err(|source| IngestError::Io {
            path: path.display().to_string(),
            source,
        })
}

/// The header of a CSV file: column name to position.
#[derive(Debug)]
pub(crate) struct CsvColumns(HashMap<String, usize>);

impl CsvColumns {
    /// The field of `column` in `record`; empty when the file has no such (optional) column.
    pub(crate) fn get<'r>(&self, record: &'r csv::StringRecord, column: &str) -> &'r str {
        self.0
            .get(column)
            .and_then(|&i| record.get(i))
            .unwrap_or("")
    }

    pub(crate) fn has(&self, column: &str) -> bool {
        self.0.contains_key(column)
    }
}

/// Reads a CSV file with a header row. Fails (for the whole file) when a `required` column is
/// missing; a record with the wrong number of fields, or that the CSV reader cannot parse, is
/// rejected with its line and the rest are returned with their 1-based starting line.
pub(crate) fn read_csv(
    path: &Path,
    required: &[&str],
    report: &mut FileReport,
) -> Result<(CsvColumns, Vec<(u64, csv::StringRecord)>), IngestError> {
    let text = read_file(path)?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| IngestError::Format {
            path: path.display().to_string(),
            message: format!("unreadable header: {e}"),
        })?
        .clone();
    let columns = CsvColumns(
        headers
            .iter()
            .enumerate()
            .map(|(i, h)| (h.trim().to_owned(), i))
            .collect(),
    );
    if let Some(absent) = required.iter().find(|c| !columns.has(c)) {
        return Err(IngestError::Format {
            path: path.display().to_string(),
            message: format!(
                "missing column {absent:?} (expected {}; found {})",
                required.join(","),
                headers.iter().collect::<Vec<_>>().join(",")
            ),
        });
    }
    let mut rows = Vec::new();
    for result in reader.records() {
        report.read += 1;
        match result {
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line());
                if record.len() != headers.len() {
                    report.reject(
                        line,
                        format!("expected {} fields, found {}", headers.len(), record.len()),
                    );
                } else {
                    rows.push((line, record));
                }
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                report.reject(line, format!("unreadable CSV record: {e}"));
            }
        }
    }
    Ok((columns, rows))
}
