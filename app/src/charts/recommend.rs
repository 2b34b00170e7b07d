//! The recommender results' charts: each method's top-K metrics beside popularity, and the
//! validation curve of the hybrid's weight.

use charming::component::{Axis, Grid, Legend};
use charming::element::{AxisType, ItemStyle, NameLocation, Tooltip, Trigger};
use charming::series::{Bar, Line};
use charming::Chart;
use mmi_types::RecommenderReport;

use super::crypto::chart_title;
use super::models::{r4, PALETTE};

/// Precision, recall, NDCG and hit rate at K of every method, grouped by method.
pub fn recommender_metrics_chart(r: &RecommenderReport) -> Chart {
    let methods: Vec<String> = r.results.iter().map(|m| m.method.clone()).collect();
    let metric = |name: &str, pick: fn(&mmi_types::RecommenderResult) -> f64, color: &str| {
        Bar::new()
            .name(name)
            .item_style(ItemStyle::new().color(color))
            .data(r.results.iter().map(|m| r4(pick(m))).collect::<Vec<f64>>())
    };
    Chart::new()
        .title(chart_title(&format!(
            "Test traders' held-out tokens, top {} (simulated traders)",
            r.k
        )))
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().top(28).left(8))
        .grid(Grid::new().left(56).right(24).top(64).bottom(40))
        .x_axis(Axis::new().type_(AxisType::Category).data(methods))
        .y_axis(Axis::new().type_(AxisType::Value).min(0).max(1))
        .series(metric(
            &format!("precision@{}", r.k),
            |m| m.precision.value,
            PALETTE[0],
        ))
        .series(metric(
            &format!("recall@{}", r.k),
            |m| m.recall.value,
            PALETTE[1],
        ))
        .series(metric(
            &format!("NDCG@{}", r.k),
            |m| m.ndcg.value,
            PALETTE[2],
        ))
        .series(metric("hit rate", |m| m.hit_rate.value, PALETTE[3]))
}

/// Validation NDCG of the hybrid against the weight of its collaborative half.
pub fn hybrid_weight_chart(r: &RecommenderReport) -> Chart {
    let points: Vec<Vec<f64>> = r
        .tuning
        .iter()
        .filter(|t| t.method == "hybrid")
        .filter_map(|t| {
            let w: f64 = t.params.rsplit(' ').next()?.parse().ok()?;
            Some(vec![w, r4(t.validation_ndcg)])
        })
        .collect();
    Chart::new()
        .title(chart_title(
            "Hybrid: validation NDCG by collaborative weight",
        ))
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .grid(Grid::new().left(64).right(24).top(40).bottom(48))
        .x_axis(
            Axis::new()
                .type_(AxisType::Value)
                .min(0)
                .max(1)
                .name("weight of the CF score (0 = content only)")
                .name_location(NameLocation::Middle)
                .name_gap(28),
        )
        .y_axis(Axis::new().type_(AxisType::Value).scale(true).name("NDCG"))
        .series(
            Line::new()
                .name("validation NDCG")
                .item_style(ItemStyle::new().color(PALETTE[2]))
                .data(points),
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use mmi_types::{Estimate, RecommenderResult, TuningPoint};

    #[test]
    fn charts_carry_every_method_and_the_weight_curve() {
        let e = |v| Estimate {
            value: v,
            low: v,
            high: v,
        };
        let result = |m: &str| RecommenderResult {
            method: m.into(),
            label: m.into(),
            baseline: m == "popularity",
            precision: e(0.1),
            recall: e(0.4),
            ndcg: e(0.3),
            hit_rate: e(0.5),
            ndcg_vs_popularity: None,
            coverage: 1.0,
            diversity: None,
            novelty: None,
            validation_ndcg: 0.3,
        };
        let report = RecommenderReport {
            run_id: None,
            version: None,
            k: 5,
            seed: 1,
            traders: 10,
            train_traders: 7,
            validation_traders: 1,
            test_traders: 2,
            held_out_share: 0.3,
            profile_days: 365,
            profile_to: "2021-07-06".into(),
            profile_features: vec![],
            profiles: vec![],
            archetypes: vec![],
            results: vec![result("popularity"), result("hybrid")],
            tuning: vec![
                TuningPoint {
                    method: "hybrid".into(),
                    params: "CF weight 0.5".into(),
                    validation_ndcg: 0.4,
                    chosen: true,
                },
                TuningPoint {
                    method: "als".into(),
                    params: "factors 8".into(),
                    validation_ndcg: 0.2,
                    chosen: true,
                },
            ],
            collaborative: "item_knn".into(),
            hybrid_weight: 0.5,
            int8_recall: 1.0,
            artifact_bytes: 1,
            food_bundle: None,
        };
        let json = crate::charts::to_json(&recommender_metrics_chart(&report));
        assert!(json.contains("\"popularity\"") && json.contains("NDCG@5"));
        let json = crate::charts::to_json(&hybrid_weight_chart(&report));
        assert!(json.contains("[0.5,0.4]"), "{json}");
    }
}
