//! The token recommender on the real prices: profiles, simulated traders, tuning and the test
//! traders' evaluation, run the way `server train recommend --quick` runs it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use mmi_crypto::recommend::{train_recommender, RecommendConfig};
use mmi_learn::progress::Silent;
use mmi_rank::tokens::{Method, TokenModel};

#[test]
fn trains_tunes_and_beats_popularity_reproducibly() {
    let rows = common::reference_prices();
    let config = RecommendConfig::quick();
    let out = train_recommender(rows, &config, &Silent).expect("train");
    let r = &out.report;
    for m in &r.results {
        println!(
            "{:<10} P@5 {:.3} R@5 {:.3} NDCG@5 {:.3} [{:.3}, {:.3}] hit {:.3} cov {:.2} div {:?} nov {:?} val {:.3}",
            m.method, m.precision.value, m.recall.value, m.ndcg.value, m.ndcg.low, m.ndcg.high,
            m.hit_rate.value, m.coverage, m.diversity, m.novelty, m.validation_ndcg
        );
    }
    println!(
        "collaborative {} hybrid weight {} int8 recall {}",
        r.collaborative, r.hybrid_weight, r.int8_recall
    );

    assert_eq!(r.profiles.len(), 23);
    assert_eq!(r.traders, config.traders);
    assert_eq!(r.results.len(), Method::ALL.len());
    assert!(r.results[0].baseline && r.results[0].method == "popularity");
    assert!(r.test_traders > 100 && r.validation_traders > 100);
    // Every metric is a share, with its interval around it.
    for m in &r.results {
        for e in [m.precision, m.recall, m.ndcg, m.hit_rate] {
            assert!((0.0..=1.0).contains(&e.value) && e.low <= e.value && e.value <= e.high);
        }
    }
    // The simulated traders have structure the popularity baseline cannot see: the best learned
    // method beats it on the same test traders, by an interval that excludes zero.
    let best = r
        .results
        .iter()
        .filter(|m| !m.baseline)
        .max_by(|a, b| a.ndcg.value.total_cmp(&b.ndcg.value))
        .expect("methods");
    let diff = best.ndcg_vs_popularity.expect("paired difference");
    assert!(diff.low > 0.0, "{} vs popularity: {diff:?}", best.method);
    // Quantizing the profiles barely changes the content ranking.
    assert!(r.int8_recall >= 0.95, "int8 recall {}", r.int8_recall);
    // The artifact decodes to the model that was evaluated, and the run is reproducible.
    assert_eq!(
        TokenModel::from_bytes(&out.artifact).expect("decode"),
        out.model
    );
    let again = train_recommender(rows, &config, &Silent).expect("train again");
    assert_eq!(again.artifact, out.artifact);
}
