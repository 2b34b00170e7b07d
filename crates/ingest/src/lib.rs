//! Getting data in: importers for the reference files (CoinMarketCap-style price CSVs, news CSVs,
//! Financial PhraseBank, USDA SR26, recipes JSONL, labelled ingredient sentences) and live
//! clients for CoinGecko and USDA FoodData Central, all writing through `mmi-store`'s upsert.
//!
//! Every import is idempotent (natural keys, upserts), transactional per batch of rows, and
//! returns an [`ImportReport`]: rows read, inserted, updated, unchanged, duplicated and
//! rejected, with file, line and reason for every rejected row. Server-only.

mod batch;
mod error;
pub mod files;
pub mod live;
mod progress;
mod report;
mod text;

pub use error::IngestError;
pub use files::{import_dir, import_parts, reference_data_dir};
pub use live::{import_live, CoinGeckoClient, FdcClient, LiveOptions, RetryPolicy};
pub use progress::{Progress, SharedProgress};
pub use report::{FileReport, ImportReport, Reject};
