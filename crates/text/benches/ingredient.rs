//! Parsing ingredient lines with the shipped model's shape (2^17 buckets × 8 labels): tokenizing,
//! hashing the features, Viterbi and forward-backward, fields and amount. The weights are seeded
//! pseudo-random numbers (tagging costs the same whatever they are); setup is not timed.

use criterion::{criterion_group, criterion_main, Criterion};
use mmi_text::ingredient::{Crf, IngredientParser, BUCKETS, LABELS};

const LINES: [&str; 10] = [
    "1 1/2 cups all-purpose flour, sifted",
    "2 (14-ounce) cans chickpeas, drained and rinsed",
    "10g/½oz fresh tarragon, leaves only",
    "3 large eggs, at room temperature",
    "salt and freshly ground black pepper, to taste",
    "1/4 cup extra-virgin olive oil, plus more for drizzling",
    "500ml/18fl oz chicken stock",
    "2-3 garlic cloves, finely chopped",
    "1 medium onion, diced",
    "8 oz / 230 g bittersweet chocolate, finely chopped",
];

fn parser() -> IngredientParser {
    let mut crf = Crf::zeros(LABELS.len(), BUCKETS);
    let mut x: u64 = 42;
    for w in crf.state.iter_mut().chain(crf.transition.iter_mut()) {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *w = ((x >> 40) as f32 / (1u64 << 24) as f32) - 0.5;
    }
    IngredientParser::new(crf).expect("eight labels")
}

fn bench(c: &mut Criterion) {
    let p = parser();
    c.bench_function("parse_10_ingredient_lines", |b| {
        b.iter(|| LINES.iter().map(|l| p.parse(l).tokens.len()).sum::<usize>())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench
}
criterion_main!(benches);
