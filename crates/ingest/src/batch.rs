//! Writing parsed rows: in-file duplicate detection, then batches of rows, one transaction each,
//! so an interrupted import leaves whole batches or nothing, and a re-run completes it.

use std::collections::HashMap;
use std::future::Future;

use mmi_store::{Conn, Outcome, Pool, StoreError};

use crate::progress::Progress;
use crate::report::FileReport;
use crate::IngestError;

/// Rows per transaction: large enough that commits don't dominate, small enough that a killed
/// import loses little work.
pub(crate) const BATCH_ROWS: usize = 2_000;

/// A parsed row that knows its natural key and how to store itself.
pub(crate) trait Record: PartialEq {
    /// The natural key within its file: two rows with one key are the same row.
    fn key(&self) -> String;

    /// Upserts the row (and its children), returning what happened to it.
    fn write(&self, conn: &mut Conn) -> impl Future<Output = Result<Outcome, StoreError>> + Send;
}

/// The outcome of a row made of several upserts (a food and its nutrients): inserted if anything
/// was inserted, else updated if anything was updated.
pub(crate) fn combine(a: Outcome, b: Outcome) -> Outcome {
    use Outcome::*;
    match (a, b) {
        (Inserted, _) | (_, Inserted) => Inserted,
        (Updated, _) | (_, Updated) => Updated,
        _ => Unchanged,
    }
}

/// Writes `rows` (each with its 1-based source line) into the store, filling `report`.
///
/// A row whose key repeats an earlier row of the same file is counted as a duplicate when it is
/// identical, and rejected (naming the earlier line) when it differs: the first one wins,
/// so the stored value never depends on how often the import ran.
pub(crate) async fn write_rows<R: Record + Sync>(
    pool: &Pool,
    rows: Vec<(u64, R)>,
    report: &mut FileReport,
    progress: &Progress,
) -> Result<(), IngestError> {
    let mut first_seen: HashMap<String, usize> = HashMap::with_capacity(rows.len());
    let mut kept: Vec<&(u64, R)> = Vec::with_capacity(rows.len());
    for row in &rows {
        let key = row.1.key();
        match first_seen.get(&key) {
            None => {
                first_seen.insert(key, kept.len());
                kept.push(row);
            }
            Some(&i) if kept[i].1 == row.1 => report.duplicates += 1,
            Some(&i) => report.reject(
                row.0,
                format!(
                    "conflicts with line {} (same key {key:?}, different values)",
                    kept[i].0
                ),
            ),
        }
    }

    let bar = progress.file(&report.file, kept.len() as u64);
    for batch in kept.chunks(BATCH_ROWS) {
        let mut tx = pool.begin().await?;
        for (_, row) in batch {
            match row.write(&mut tx).await? {
                Outcome::Inserted => report.inserted += 1,
                Outcome::Updated => report.updated += 1,
                Outcome::Unchanged => report.unchanged += 1,
            }
        }
        tx.commit().await?;
        bar.inc(batch.len() as u64);
    }
    bar.finish();
    // Rejects come from reading and from parsing; report them in file order.
    report.rejected.sort_by_key(|r| r.line);
    Ok(())
}
