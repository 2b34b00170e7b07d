//! Import progress: indicatif bars on a terminal, and a shared state the dashboard reads while
//! the first-start import runs in the background.

use std::sync::{Arc, RwLock};

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use mmi_types::ImportProgress;

/// The progress of the running import, or `None` when none runs.
pub type SharedProgress = Arc<RwLock<Option<ImportProgress>>>;

/// Where an import reports progress. Bars draw on stderr and hide themselves when it is not a
/// terminal (CI logs, the server under a supervisor).
#[derive(Debug, Clone, Default)]
pub struct Progress {
    bars: MultiProgress,
    shared: Option<SharedProgress>,
}

impl Progress {
    /// Progress bars only (the CLI).
    pub fn bars() -> Self {
        Progress::default()
    }

    /// Progress bars and a shared state for the pages.
    pub fn with_shared(shared: SharedProgress) -> Self {
        Progress {
            bars: MultiProgress::new(),
            shared: Some(shared),
        }
    }

    /// Declares how many files (or endpoints) the import will read.
    pub(crate) fn begin(&self, files_total: u32) {
        self.update(|p| {
            *p = Some(ImportProgress {
                files_total,
                ..ImportProgress::default()
            })
        });
    }

    /// Starts the bar of one file of `rows` rows.
    pub(crate) fn file(&self, name: &str, rows: u64) -> FileProgress<'_> {
        let bar = self.bars.add(ProgressBar::new(rows));
        bar.set_style(
            ProgressStyle::with_template("{msg:<44} [{bar:30}] {pos:>7}/{len:7} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message(name.to_owned());
        self.update(|p| {
            if let Some(p) = p {
                p.current = name.to_owned();
            }
        });
        FileProgress {
            progress: self,
            bar,
        }
    }

    /// Marks the import finished: the pages stop showing progress.
    pub(crate) fn end(&self) {
        self.update(|p| *p = None);
    }

    fn update(&self, f: impl FnOnce(&mut Option<ImportProgress>)) {
        if let Some(shared) = &self.shared {
            // A poisoned lock only means a reader panicked; the progress value is still usable.
            let mut guard = shared.write().unwrap_or_else(|e| e.into_inner());
            f(&mut guard);
        }
    }
}

/// The bar of one file; finishing it counts the file as done.
pub(crate) struct FileProgress<'a> {
    progress: &'a Progress,
    bar: ProgressBar,
}

impl FileProgress<'_> {
    pub(crate) fn inc(&self, rows: u64) {
        self.bar.inc(rows);
        self.progress.update(|p| {
            if let Some(p) = p {
                p.rows_done += rows;
            }
        });
    }

    pub(crate) fn finish(self) {
        self.bar.finish();
        self.progress.update(|p| {
            if let Some(p) = p {
                p.files_done += 1;
            }
        });
    }
}
