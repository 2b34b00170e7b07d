//! The feature pipeline over all 23 tokens' history (37,082 token-days from the reference data):
//! the prices frame, the feature frame, and the market page's overview. Setup (the import into
//! SQLite) is not timed. Run: `DATA_DIR=../shared/data cargo bench -p mmi-crypto`.
#![allow(clippy::unwrap_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use mmi_crypto::{feature_frame, market_overview, prices_frame};
use mmi_types::Correlation;
use std::hint::black_box;

fn pipeline(c: &mut Criterion) {
    let rows = common::reference_prices();
    let prices = prices_frame(rows).unwrap();
    let mut group = c.benchmark_group("crypto");
    group.sample_size(20);
    group.bench_function("prices_frame (37,082 rows)", |b| {
        b.iter(|| prices_frame(black_box(rows)).unwrap())
    });
    group.bench_function("feature_frame (23 tokens, 33 features)", |b| {
        b.iter(|| feature_frame(black_box(&prices)).unwrap())
    });
    group.bench_function("market_overview (90 days, Pearson)", |b| {
        b.iter(|| market_overview(black_box(&prices), Some(90), Correlation::Pearson).unwrap())
    });
    group.bench_function("market_overview (all history, Spearman)", |b| {
        b.iter(|| market_overview(black_box(&prices), None, Correlation::Spearman).unwrap())
    });
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
