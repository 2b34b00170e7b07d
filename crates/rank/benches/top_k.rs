//! Top-5 cosine search over an int8 table the size of the food embedding (8,463 foods × 16), and
//! its (de)serialisation. Constant seed; building the table is not timed.

use criterion::{criterion_group, criterion_main, Criterion};
use mmi_rank::QuantizedTable;

/// A deterministic pseudo-random table (xorshift), no dependency needed.
fn table(n: usize, dim: usize) -> QuantizedTable {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % 2_000) as f32 / 1_000.0 - 1.0
    };
    let rows: Vec<Vec<f32>> = (0..n).map(|_| (0..dim).map(|_| next()).collect()).collect();
    let ids = (0..n).map(|i| format!("{i:05}")).collect();
    QuantizedTable::from_rows(ids, &rows).expect("table")
}

fn bench(c: &mut Criterion) {
    let t = table(8_463, 16);
    let query = t.dequantize(42);
    c.bench_function("top_5 of 8,463 foods × 16 (int8)", |b| {
        b.iter(|| t.top_k(std::hint::black_box(&query), 5, |i| i == 42))
    });
    c.bench_function("top_5 like a stored food, integer dot products", |b| {
        b.iter(|| t.top_k_like(std::hint::black_box(42), 5, |i| i == 42))
    });
    let bytes = t.to_bytes();
    c.bench_function("from_bytes 8,463 × 16", |b| {
        b.iter(|| QuantizedTable::from_bytes(std::hint::black_box(&bytes)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
