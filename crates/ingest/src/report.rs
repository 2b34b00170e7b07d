//! The import report: per file, what was read and what became of it.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A row that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reject {
    pub file: String,
    /// 1-based line of the source file where the row starts.
    pub line: u64,
    pub reason: String,
}

impl fmt::Display for Reject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.reason)
    }
}

/// What happened to the rows of one file (or one live endpoint).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileReport {
    pub file: String,
    /// Data rows read (header excluded).
    pub read: u64,
    pub inserted: u64,
    pub updated: u64,
    /// Already stored with the same values (a re-import is all `unchanged`).
    pub unchanged: u64,
    /// Repeats of an identical row earlier in the same file.
    pub duplicates: u64,
    pub rejected: Vec<Reject>,
}

impl FileReport {
    pub fn new(file: impl Into<String>) -> Self {
        FileReport {
            file: file.into(),
            ..FileReport::default()
        }
    }

    pub(crate) fn reject(&mut self, line: u64, reason: impl Into<String>) {
        self.rejected.push(Reject {
            file: self.file.clone(),
            line,
            reason: reason.into(),
        });
    }
}

/// The report of a whole import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub source: String,
    pub files: Vec<FileReport>,
    /// Expected inputs that were not there (e.g. a data set folder absent from DATA_DIR).
    pub missing: Vec<String>,
}

impl ImportReport {
    pub fn total(&self, field: fn(&FileReport) -> u64) -> u64 {
        self.files.iter().map(field).sum()
    }

    pub fn rejects(&self) -> impl Iterator<Item = &Reject> {
        self.files.iter().flat_map(|f| &f.rejected)
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Import from {}", self.source)?;
        writeln!(
            f,
            "{:<48} {:>8} {:>9} {:>8} {:>10} {:>6} {:>9}",
            "file", "read", "inserted", "updated", "unchanged", "dup", "rejected"
        )?;
        for r in &self.files {
            writeln!(
                f,
                "{:<48} {:>8} {:>9} {:>8} {:>10} {:>6} {:>9}",
                r.file,
                r.read,
                r.inserted,
                r.updated,
                r.unchanged,
                r.duplicates,
                r.rejected.len()
            )?;
        }
        writeln!(
            f,
            "{:<48} {:>8} {:>9} {:>8} {:>10} {:>6} {:>9}",
            "total",
            self.total(|r| r.read),
            self.total(|r| r.inserted),
            self.total(|r| r.updated),
            self.total(|r| r.unchanged),
            self.total(|r| r.duplicates),
            self.total(|r| r.rejected.len() as u64)
        )?;
        for m in &self.missing {
            writeln!(f, "missing: {m}")?;
        }
        let n_rejects = self.total(|r| r.rejected.len() as u64);
        if n_rejects > 0 {
            writeln!(f, "rejected rows ({n_rejects}):")?;
            for r in self.rejects() {
                writeln!(f, "  {r}")?;
            }
        }
        Ok(())
    }
}
