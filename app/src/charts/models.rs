//! The model pages' charts: ROC and precision–recall curves, learning curves, importance bars,
//! predicted against actual closes, and the token clusters (projection, silhouette, dendrogram).

use charming::component::{Axis, Grid, Legend, LegendType};
use charming::datatype::DataPoint;
use charming::element::{
    AxisLabel, AxisType, ItemStyle, Label, LabelPosition, LineStyle, LineStyleType, NameLocation,
    Tooltip, Trigger,
};
use charming::series::{Bar, Line, Scatter};
use charming::Chart;
use mmi_types::{ClosePath, ClusterReport, ModelResult};

use super::crypto::chart_title;

/// Colours by position, colour-blind safe (Okabe–Ito).
pub const PALETTE: [&str; 8] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
];

pub(super) fn r4(v: f64) -> f64 {
    (v * 1e4).round() / 1e4
}

pub(super) fn titled(title: &str, top: i64) -> Chart {
    Chart::new()
        .title(chart_title(title))
        .legend(
            Legend::new()
                .type_(LegendType::Scroll)
                .top(28)
                .left(8)
                .right(8),
        )
        .grid(Grid::new().left(64).right(24).top(top).bottom(48))
}

pub(super) fn unit_axis(name: &str) -> Axis {
    Axis::new()
        .type_(AxisType::Value)
        .min(0)
        .max(1)
        .name(name)
        .name_location(NameLocation::Middle)
        .name_gap(28)
}

pub(super) fn xy_line(name: &str, points: &[(f64, f64)], color: &str) -> Line {
    Line::new()
        .name(name)
        .show_symbol(false)
        .line_style(LineStyle::new().width(1.5).color(color))
        .item_style(ItemStyle::new().color(color))
        .data(points.iter().map(|(x, y)| vec![r4(*x), r4(*y)]).collect())
}

pub(super) fn dashed(name: &str, points: Vec<Vec<f64>>) -> Line {
    Line::new()
        .name(name)
        .show_symbol(false)
        .line_style(
            LineStyle::new()
                .width(1)
                .color("#999999")
                .type_(LineStyleType::Dashed),
        )
        .item_style(ItemStyle::new().color("#999999"))
        .data(points)
}

/// ROC curves of the classifiers on the hold-out, with the chance diagonal.
pub fn roc_chart(models: &[&ModelResult]) -> Chart {
    let mut chart = titled("ROC curves (hold-out)", 64)
        .tooltip(Tooltip::new().trigger(Trigger::Item))
        .x_axis(unit_axis("false positive rate"))
        .y_axis(unit_axis("true positive rate"));
    for (i, m) in models.iter().enumerate() {
        chart = chart.series(xy_line(&m.name, &m.roc, PALETTE[i % PALETTE.len()]));
    }
    chart.series(dashed("chance", vec![vec![0.0, 0.0], vec![1.0, 1.0]]))
}

/// Precision–recall curves, with the share of up days (what a random score achieves).
pub fn pr_chart(models: &[&ModelResult], base_rate: f64) -> Chart {
    let mut chart = titled("Precision–recall curves (hold-out)", 64)
        .tooltip(Tooltip::new().trigger(Trigger::Item))
        .x_axis(unit_axis("recall"))
        .y_axis(unit_axis("precision"));
    for (i, m) in models.iter().enumerate() {
        chart = chart.series(xy_line(&m.name, &m.pr, PALETTE[i % PALETTE.len()]));
    }
    let b = r4(base_rate);
    chart.series(dashed("share of up days", vec![vec![0.0, b], vec![1.0, b]]))
}

/// Train and validation scores by training size, one pair of lines per model.
pub fn learning_chart(models: &[&ModelResult], metric: &str) -> Chart {
    let mut chart = titled(
        &format!("Learning curves ({metric}, last walk-forward fold)"),
        64,
    )
    .tooltip(Tooltip::new().trigger(Trigger::Axis))
    .x_axis(
        Axis::new()
            .type_(AxisType::Value)
            .name("training days")
            .name_location(NameLocation::Middle)
            .name_gap(28),
    )
    .y_axis(Axis::new().type_(AxisType::Value).scale(true).name(metric));
    for (i, m) in models.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        let pts = |f: fn(&mmi_types::LearningPoint) -> f64| -> Vec<Vec<f64>> {
            m.learning_curve
                .iter()
                .map(|p| vec![p.train_days as f64, r4(f(p) * 1e4) / 1e4])
                .collect()
        };
        chart = chart
            .series(
                Line::new()
                    .name(format!("{} validation", m.name))
                    .line_style(LineStyle::new().width(2).color(color))
                    .item_style(ItemStyle::new().color(color))
                    .data(pts(|p| p.validation_score)),
            )
            .series(
                Line::new()
                    .name(format!("{} train", m.name))
                    .line_style(
                        LineStyle::new()
                            .width(1)
                            .color(color)
                            .type_(LineStyleType::Dashed),
                    )
                    .item_style(ItemStyle::new().color(color))
                    .data(pts(|p| p.train_score)),
            );
    }
    chart
}

/// The model's permutation importance (mean drop of its score when a feature is shuffled), top
/// `top` features, and beside it the model's own importance where it has one (|coefficient| of a
/// linear model, impurity decrease of trees) on its own axis at the top: the two scales differ.
pub fn importance_chart(m: &ModelResult, score: &str, top: usize) -> Chart {
    let rows: Vec<_> = m.importance.iter().take(top).rev().collect();
    let names: Vec<String> = rows.iter().map(|r| r.feature.clone()).collect();
    let round = |v: f64| (v * 1e6).round() / 1e6;
    let values: Vec<f64> = rows.iter().map(|r| round(r.permutation_mean)).collect();
    let own: Option<Vec<f64>> = rows.iter().map(|r| r.own.map(round)).collect();
    let mut chart = Chart::new()
        .title(chart_title(&format!(
            "{}: permutation importance (drop of {score})",
            m.name
        )))
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().top(4).right(8))
        .grid(Grid::new().left(150).right(24).top(56).bottom(32))
        .x_axis(Axis::new().type_(AxisType::Value).name("drop of the score"))
        .y_axis(Axis::new().type_(AxisType::Category).data(names))
        .series(
            Bar::new()
                .name("permutation (mean drop)")
                .item_style(ItemStyle::new().color("#0072B2"))
                .data(values),
        );
    if let Some(own) = own.filter(|o| !o.is_empty()) {
        chart = chart
            .x_axis(
                Axis::new()
                    .type_(AxisType::Value)
                    .position("top")
                    .name("model's own")
                    .split_line(charming::element::SplitLine::new().show(false)),
            )
            .series(
                Bar::new()
                    .name("model's own")
                    .x_axis_index(1)
                    .item_style(ItemStyle::new().color("#E69F00"))
                    .data(own),
            );
    }
    chart
}

/// A token's next-day closes on the hold-out: actual, the model, and tomorrow = today.
pub fn close_chart(path: &ClosePath, model: &str) -> Chart {
    let series = |name: &str, values: &[f64], color: &str, width: f64| {
        Line::new()
            .name(name)
            .show_symbol(false)
            .line_style(LineStyle::new().width(width).color(color))
            .item_style(ItemStyle::new().color(color))
            .data(values.iter().map(|v| (v * 1e4).round() / 1e4).collect())
    };
    titled(
        &format!(
            "{}: next-day close on the hold-out, {model} vs persistence",
            path.symbol
        ),
        64,
    )
    .tooltip(Tooltip::new().trigger(Trigger::Axis))
    .x_axis(
        Axis::new()
            .type_(AxisType::Category)
            .data(path.days.clone())
            .boundary_gap(false),
    )
    .y_axis(Axis::new().type_(AxisType::Value).scale(true).name("USD"))
    .series(series("actual", &path.actual, "#000000", 1.5))
    .series(series(model, &path.predicted, "#D55E00", 1.2))
    .series(series("persistence", &path.persistence, "#56B4E9", 1.0))
}

/// Tokens on the first two principal components of their return profiles, coloured by k-means
/// cluster.
pub fn cluster_scatter(c: &ClusterReport) -> Chart {
    let mut chart = titled(
        &format!(
            "Tokens by return profile: PCA ({:.0}% + {:.0}% of variance), k-means k = {}",
            c.explained_variance.0 * 100.0,
            c.explained_variance.1 * 100.0,
            c.chosen_k
        ),
        64,
    )
    .tooltip(Tooltip::new().trigger(Trigger::Item))
    .x_axis(Axis::new().type_(AxisType::Value).name("PC1").scale(true))
    .y_axis(Axis::new().type_(AxisType::Value).name("PC2").scale(true));
    for k in 0..c.chosen_k {
        let points: Vec<DataPoint> = c
            .symbols
            .iter()
            .zip(&c.projection)
            .zip(&c.kmeans_labels)
            .filter(|(_, l)| **l == k)
            .map(|((s, (x, y)), _)| DataPoint::from((vec![r4(*x), r4(*y)], s.clone())))
            .collect();
        let color = PALETTE[k % PALETTE.len()];
        chart = chart.series(
            Scatter::new()
                .name(format!("cluster {}", k + 1))
                .symbol_size(12)
                .item_style(ItemStyle::new().color(color))
                .label(
                    Label::new()
                        .show(true)
                        .position(LabelPosition::Right)
                        .formatter("{b}"),
                )
                .data(points),
        );
    }
    chart
}

/// Mean silhouette by k; the chosen k is the highest.
pub fn silhouette_chart(c: &ClusterReport) -> Chart {
    silhouette_by_k(
        "k-means: mean silhouette by k",
        &c.silhouette_by_k,
        c.chosen_k,
    )
}

/// Mean silhouette per k as bars, the chosen k highlighted.
pub fn silhouette_by_k(title: &str, by_k: &[(usize, f64)], chosen_k: usize) -> Chart {
    let ks: Vec<String> = by_k.iter().map(|(k, _)| format!("k = {k}")).collect();
    let values: Vec<DataPoint> = by_k
        .iter()
        .map(|(k, s)| {
            let color = if *k == chosen_k { "#D55E00" } else { "#0072B2" };
            DataPoint::Item(
                charming::datatype::DataPointItem::new(r4(*s))
                    .item_style(ItemStyle::new().color(color)),
            )
        })
        .collect();
    Chart::new()
        .title(chart_title(title))
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .grid(Grid::new().left(56).right(24).top(40).bottom(32))
        .x_axis(Axis::new().type_(AxisType::Category).data(ks))
        .y_axis(Axis::new().type_(AxisType::Value))
        .series(Bar::new().name("silhouette").data(values))
}

/// The leaf order and the (x, height) of every node of a linkage, leaves at height 0.
pub fn dendrogram_layout(c: &ClusterReport) -> (Vec<usize>, Vec<(f64, f64)>) {
    let n = c.symbols.len();
    let mut children: Vec<Option<(usize, usize)>> = vec![None; n];
    let mut height = vec![0.0; n];
    for m in &c.merges {
        children.push(Some((m.a, m.b)));
        height.push(m.distance);
    }
    let mut order = Vec::with_capacity(n);
    let root = children.len().saturating_sub(1);
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match children.get(node).copied().flatten() {
            Some((a, b)) => {
                stack.push(b);
                stack.push(a);
            }
            None if node < n => order.push(node),
            None => {}
        }
    }
    let mut x = vec![0.0; children.len()];
    for (pos, &leaf) in order.iter().enumerate() {
        x[leaf] = pos as f64;
    }
    for (i, ch) in children.iter().enumerate().skip(n) {
        if let Some((a, b)) = ch {
            x[i] = (x[*a] + x[*b]) / 2.0;
        }
    }
    (order, x.into_iter().zip(height).collect())
}

/// Ward's dendrogram: one ⊓ per merge, leaves labelled by token.
pub fn dendrogram_chart(c: &ClusterReport) -> Chart {
    let n = c.symbols.len();
    let (order, nodes) = dendrogram_layout(c);
    let labels: Vec<String> = order.iter().map(|&i| c.symbols[i].clone()).collect();
    let mut chart = Chart::new()
        .title(chart_title(
            "Agglomerative clustering (Ward) of return profiles",
        ))
        .grid(Grid::new().left(56).right(24).top(40).bottom(64))
        .x_axis(
            Axis::new()
                .type_(AxisType::Value)
                .min(-0.5)
                .max(n as f64 - 0.5)
                .interval(1)
                .axis_label(AxisLabel::new().show(false)),
        )
        .x_axis(
            Axis::new()
                .type_(AxisType::Category)
                .data(labels)
                .position("bottom")
                .axis_label(AxisLabel::new().rotate(60).interval(0)),
        )
        .y_axis(Axis::new().type_(AxisType::Value).name("Ward distance"));
    for (i, m) in c.merges.iter().enumerate() {
        let (xa, ha) = nodes[m.a];
        let (xb, hb) = nodes[m.b];
        let h = nodes[n + i].1;
        let color = if i + c.chosen_k >= n {
            "#999999"
        } else {
            "#0072B2"
        };
        chart = chart.series(
            Line::new()
                .name(format!("merge {}", i + 1))
                .show_symbol(false)
                .line_style(LineStyle::new().width(1.2).color(color))
                .data(vec![
                    vec![xa, r4(ha)],
                    vec![xa, r4(h)],
                    vec![xb, r4(h)],
                    vec![xb, r4(hb)],
                ]),
        );
    }
    chart
}

#[cfg(test)]
mod tests {
    use super::*;
    use mmi_types::Merge;

    fn report() -> ClusterReport {
        // ((A, B), C): A and B merge first, then with C.
        ClusterReport {
            from_day: "2021-01-01".into(),
            to_day: "2021-02-01".into(),
            symbols: vec!["A".into(), "C".into(), "B".into()],
            excluded: vec![],
            silhouette_by_k: vec![(2, 0.5)],
            chosen_k: 2,
            kmeans_labels: vec![0, 1, 0],
            hierarchical_labels: vec![0, 1, 0],
            projection: vec![(0.0, 0.0), (1.0, 1.0), (0.1, 0.0)],
            explained_variance: (0.9, 0.1),
            merges: vec![
                Merge {
                    a: 0,
                    b: 2,
                    distance: 1.0,
                    size: 2,
                },
                Merge {
                    a: 1,
                    b: 3,
                    distance: 3.0,
                    size: 3,
                },
            ],
        }
    }

    #[test]
    fn dendrogram_leaves_of_a_merge_sit_side_by_side() {
        let (order, nodes) = dendrogram_layout(&report());
        assert_eq!(order, vec![1, 0, 2], "C, then A and B together");
        assert_eq!(nodes[3], (1.5, 1.0), "the (A, B) node between them");
        assert_eq!(nodes[4], (0.75, 3.0));
        let json = crate::charts::to_json(&dendrogram_chart(&report()));
        assert!(
            json.contains("[1.0,0.0],[1.0,1.0],[2.0,1.0],[2.0,0.0]"),
            "{json}"
        );
    }

    fn model_with(own: Option<f64>) -> ModelResult {
        let feature = |name: &str, drop: f64| mmi_types::FeatureImportance {
            feature: name.into(),
            permutation_mean: drop,
            permutation_std: 0.0,
            own,
        };
        ModelResult {
            name: "m".into(),
            task: mmi_types::ModelTask::Direction,
            baseline: false,
            params: vec![],
            cv_mean: None,
            cv_std: None,
            grid: vec![],
            direction: None,
            returns: None,
            versus_baseline: None,
            per_token: vec![],
            roc: vec![],
            pr: vec![],
            learning_curve: vec![],
            importance: vec![
                feature("ret_1", 0.02),
                feature("rsi_14", 0.01),
                feature("vol_7", 0.0),
            ],
            close_paths: vec![],
            epoch_losses: Vec::new(),
            fit_seconds: 0.0,
            version: None,
        }
    }

    #[test]
    fn importance_shows_the_models_own_on_a_second_axis_only_when_it_has_one() {
        let json: serde_json::Value = serde_json::from_str(&crate::charts::to_json(
            &importance_chart(&model_with(Some(0.5)), "ROC-AUC", 2),
        ))
        .unwrap();
        // charming writes one axis as an object, several as an array.
        let axis = |v: &serde_json::Value, i: usize| match v.as_array() {
            Some(axes) => axes.get(i).cloned(),
            None => (i == 0).then(|| v.clone()),
        };
        // The top 2 features, the largest drawn last (at the top of a category axis).
        assert_eq!(
            axis(&json["yAxis"], 0).unwrap()["data"],
            serde_json::json!(["rsi_14", "ret_1"])
        );
        assert_eq!(json["series"].as_array().unwrap().len(), 2);
        assert_eq!(json["series"][0]["data"], serde_json::json!([0.01, 0.02]));
        assert_eq!(json["series"][1]["xAxisIndex"], 1.0);
        assert_eq!(axis(&json["xAxis"], 1).unwrap()["position"], "top");

        let without: serde_json::Value = serde_json::from_str(&crate::charts::to_json(
            &importance_chart(&model_with(None), "ROC-AUC", 2),
        ))
        .unwrap();
        assert_eq!(without["series"].as_array().unwrap().len(), 1);
        assert!(axis(&without["xAxis"], 1).is_none());
    }
}
