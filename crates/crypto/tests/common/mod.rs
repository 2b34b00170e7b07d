//! Shared by the integration tests and the benchmark: the reference data's prices, imported by
//! the project's own importer into a real SQLite file.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use mmi_store::PriceRow;

/// Every stored price row, imported once per test binary from DATA_DIR's price files.
pub fn reference_prices() -> &'static [PriceRow] {
    static ROWS: OnceLock<Vec<PriceRow>> = OnceLock::new();
    ROWS.get_or_init(|| {
        let data_dir = mmi_ingest::reference_data_dir(
            &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."),
        );
        let scratch = tempfile::tempdir().unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let url = format!("sqlite://{}", scratch.path().join("t.db").display());
            let pool = mmi_store::open(&url).await.unwrap();
            let only = scratch.path().join("data");
            let progress = mmi_ingest::Progress::default();
            mmi_ingest::import_parts(&pool, &data_dir, &["crypto/prices"], &only, &progress)
                .await
                .unwrap();
            mmi_store::daily_prices(&pool, None).await.unwrap()
        })
    })
}

/// The models' dataset over the reference prices, its distinct days, and the dated hold-out of
/// the last 180 days (label horizon 1 purged, no embargo) every model test uses.
pub fn hold_out_180() -> (mmi_crypto::Dataset, Vec<String>, mmi_learn::split::Fold) {
    use mmi_crypto::{feature_frame, next_day_dataset, prices_frame};
    use mmi_learn::split::{distinct_times, HoldOut};
    let frame = feature_frame(&prices_frame(reference_prices()).unwrap()).unwrap();
    let data = next_day_dataset(&frame).unwrap();
    let times = distinct_times(&data.days);
    let fold = HoldOut {
        test_size: 180,
        label_horizon: 1,
        embargo: 0,
    }
    .split(times.len())
    .unwrap();
    (data, times, fold)
}
