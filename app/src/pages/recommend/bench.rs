//! Times the browser's ranking: batches of top-5 queries over all tokens and over all foods,
//! each batch timed with `performance.now()` (whose resolution browsers coarsen, to 100 µs in
//! Chromium without cross-origin isolation, so single queries are too fast to time one by one).

use leptos::prelude::*;
use mmi_rank::foods::{Filters, FoodBundle};
use mmi_rank::tokens::{Holding, Method, TokenModel};

use super::load::{current, now_ms, Loaded};

/// Queries per batch and batches per measurement.
const BATCH: usize = 200;
const BATCHES: usize = 25;

#[derive(Debug, Clone, PartialEq)]
struct Timing {
    median_ms: f64,
    p95_ms: f64,
    queries: usize,
}

/// Per-query milliseconds of `BATCHES` batches of `BATCH` calls of `query(i)`.
fn time(mut query: impl FnMut(usize) -> usize) -> Timing {
    let mut per_query = Vec::with_capacity(BATCHES);
    let mut sink = 0usize;
    for b in 0..BATCHES {
        let started = now_ms();
        for i in 0..BATCH {
            sink = sink.wrapping_add(query(b * BATCH + i));
        }
        per_query.push((now_ms() - started) / BATCH as f64);
    }
    per_query.sort_by(f64::total_cmp);
    // Keep the results observable so the loop is not optimised away.
    if sink == usize::MAX {
        leptos::logging::log!("{sink}");
    }
    Timing {
        median_ms: per_query[BATCHES / 2],
        p95_ms: per_query[(BATCHES * 95 / 100).min(BATCHES - 1)],
        queries: BATCH * BATCHES,
    }
}

fn token_timing(m: &TokenModel, method: Method) -> Timing {
    let n = m.symbols.len();
    time(|q| {
        // A rotating two-token portfolio.
        let holdings = [
            Holding {
                index: q % n,
                weight: 0.6,
            },
            Holding {
                index: (q / n + q + 1) % n,
                weight: 0.4,
            },
        ];
        let holdings = if holdings[0].index == holdings[1].index {
            &holdings[..1]
        } else {
            &holdings[..]
        };
        m.recommend(holdings, method, 5).len()
    })
}

fn food_timing(b: &FoodBundle) -> Timing {
    let n = b.len();
    time(|q| b.similar((q * 7919) % n, 5, Filters::default()).len())
}

fn gap_timing(b: &FoodBundle) -> Timing {
    let n = b.len();
    time(|q| {
        b.fill_gap(&[((q * 7919) % n, 150.0)], 5, Filters::default())
            .len()
    })
}

fn text(t: &Timing) -> String {
    format!(
        "median {:.4} ms per top-5 query (p95 of batch means {:.4} ms), {} queries",
        t.median_ms, t.p95_ms, t.queries
    )
}

#[component]
pub fn Benchmark(
    tokens: Option<Loaded<TokenModel>>,
    foods: Option<Loaded<FoodBundle>>,
) -> impl IntoView {
    let results = RwSignal::new(Vec::<(String, &'static str, Timing)>::new());
    let run = move |_| {
        let mut out = Vec::new();
        if let Some(Some(Ok(m))) = tokens.map(current) {
            out.push((
                format!("tokens, hybrid ({} tokens)", m.symbols.len()),
                "bench-tokens",
                token_timing(&m, Method::Hybrid),
            ));
            out.push((
                format!("tokens, content ({} tokens)", m.symbols.len()),
                "bench-tokens-content",
                token_timing(&m, Method::Content),
            ));
        }
        if let Some(Some(Ok(b))) = foods.map(current) {
            out.push((
                format!(
                    "similar foods ({} foods × {} dims, int8)",
                    b.len(),
                    b.embedding.dim
                ),
                "bench-foods",
                food_timing(&b),
            ));
            out.push((
                format!(
                    "fill the gap ({} foods × {} nutrients)",
                    b.len(),
                    b.gap_nutrients.len()
                ),
                "bench-gap",
                gap_timing(&b),
            ));
        }
        results.set(out);
    };
    view! {
        <div class="panel" data-testid="benchmark">
            <h2>"How fast is it here?"</h2>
            <p>
                <button data-testid="run-benchmark" on:click=run>"Time the rankings in this browser"</button>
                <span class="muted">{format!(" {BATCHES} batches of {BATCH} queries each, timed with performance.now()")}</span>
            </p>
            <ul>
                {move || results.get().into_iter().map(|(what, id, t)| view! {
                    <li data-testid=id data-median-ms=t.median_ms.to_string()>{format!("{what}: {}", text(&t))}</li>
                }).collect_view()}
            </ul>
        </div>
    }
}
