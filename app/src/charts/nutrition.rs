//! The nutrition pages' charts: nutrient distributions, the correlation heatmap, macro shares by
//! food group, missingness, a food's Daily Value profile, and the model results (per-label F1,
//! learning and loss curves, residuals, the embedding projection).

use charming::component::{Axis, Grid};
use charming::datatype::DataPoint;
use charming::element::{AxisLabel, AxisType, ItemStyle, NameLocation, Tooltip, Trigger};
use charming::series::{Bar, Line, Scatter};
use charming::Chart;
use mmi_types::{
    DietModelResult, FoodProfile, MacroPoints, Missingness, NutrientHistogram, ProjectedFood,
    RegressionResult,
};

use super::crypto::chart_title;
use super::models::{dashed, r4, titled, unit_axis, xy_line, PALETTE};

fn value_axis(name: &str) -> Axis {
    Axis::new()
        .type_(AxisType::Value)
        .name(name)
        .name_location(NameLocation::Middle)
        .name_gap(36)
        .scale(true)
}

/// A bin's lower edge on the nutrient's own scale.
fn edge_label(h: &NutrientHistogram, edge: f64) -> String {
    let v = if h.log_scale {
        10f64.powf(edge) - 1.0
    } else {
        edge
    };
    if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// The non-empty point lists of each USDA group, with the group's index and name.
fn by_group(
    groups: &[String],
    points_of: impl Fn(usize) -> Vec<DataPoint>,
) -> Vec<(usize, &str, Vec<DataPoint>)> {
    groups
        .iter()
        .enumerate()
        .map(|(g, name)| (g, name.as_str(), points_of(g)))
        .filter(|(_, _, data)| !data.is_empty())
        .collect()
}

/// A group's scatter series in its palette colour.
fn group_scatter(g: usize, name: &str, size: i64, opacity: f64, data: Vec<DataPoint>) -> Scatter {
    Scatter::new()
        .name(name)
        .symbol_size(size)
        .item_style(
            ItemStyle::new()
                .color(PALETTE[g % PALETTE.len()])
                .opacity(opacity),
        )
        .data(data)
}

/// One nutrient's distribution over the foods that have it.
pub fn histogram_bars(h: &NutrientHistogram) -> Chart {
    let labels: Vec<String> = h
        .edges
        .iter()
        .take(h.counts.len())
        .map(|e| edge_label(h, *e))
        .collect();
    let scale = if h.log_scale { ", log-binned" } else { "" };
    Chart::new()
        .title(chart_title(&format!(
            "{} ({} per 100 g{scale}; n = {})",
            h.name, h.unit, h.n_present
        )))
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .grid(Grid::new().left(48).right(12).top(40).bottom(40))
        .x_axis(
            Axis::new()
                .type_(AxisType::Category)
                .data(labels)
                .axis_label(AxisLabel::new().rotate(45)),
        )
        .y_axis(Axis::new().type_(AxisType::Value).name("foods"))
        .series(
            Bar::new()
                .name("foods")
                .item_style(ItemStyle::new().color(PALETTE[0]))
                .data(h.counts.iter().map(|c| *c as i64).collect()),
        )
}

/// Protein against fat share of energy, a series per USDA food group.
pub fn macro_scatter(points: &MacroPoints, groups: &[String]) -> Chart {
    let mut chart = titled("Energy from protein and fat, by USDA food group", 96)
        .tooltip(Tooltip::new().trigger(Trigger::Item))
        .x_axis(unit_axis("share of energy from protein"))
        .y_axis(unit_axis("share of energy from fat"));
    let series = by_group(groups, |g| {
        let share = |permille: u16| f64::from(permille) / 1000.0;
        (0..points.len())
            .filter(|&i| usize::from(points.group[i]) == g)
            .map(|i| {
                DataPoint::from(vec![
                    share(points.protein_permille[i]),
                    share(points.fat_permille[i]),
                ])
            })
            .collect()
    });
    for (g, name, data) in series {
        chart = chart.series(group_scatter(g, name, 4, 0.6, data));
    }
    chart
}

/// Share of foods missing each nutrient, most missing first.
pub fn missingness_chart(m: &[Missingness]) -> Chart {
    let names: Vec<String> = m.iter().rev().map(|x| x.name.clone()).collect();
    let values: Vec<f64> = m.iter().rev().map(|x| r4(x.share * 100.0)).collect();
    Chart::new()
        .title(chart_title(
            "Foods without a value, % (SR26 left it unmeasured)",
        ))
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .grid(Grid::new().left(170).right(24).top(40).bottom(32))
        .x_axis(Axis::new().type_(AxisType::Value).max(100))
        .y_axis(Axis::new().type_(AxisType::Category).data(names))
        .series(
            Bar::new()
                .name("% missing")
                .item_style(ItemStyle::new().color(PALETTE[5]))
                .data(values),
        )
}

/// A food's nutrients with a Daily Value, as % DV per 100 g (missing ones are left out).
pub fn daily_value_chart(p: &FoodProfile) -> Chart {
    let rows: Vec<(&str, f64)> = p
        .nutrients
        .iter()
        .filter_map(|n| n.daily_value_pct.map(|v| (n.name.as_str(), r4(v))))
        .collect();
    let names: Vec<String> = rows.iter().rev().map(|r| r.0.to_string()).collect();
    let values: Vec<f64> = rows.iter().rev().map(|r| r.1).collect();
    Chart::new()
        .title(chart_title("% of the FDA Daily Value in 100 g"))
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .grid(Grid::new().left(130).right(24).top(40).bottom(32))
        .x_axis(Axis::new().type_(AxisType::Value))
        .y_axis(Axis::new().type_(AxisType::Category).data(names))
        .series(
            Bar::new()
                .name("% DV")
                .item_style(ItemStyle::new().color(PALETTE[2]))
                .data(values),
        )
}

/// Per-label F1 of every diet model on the hold-out foods, the baseline included.
pub fn label_f1_chart(models: &[DietModelResult], labels: &[String]) -> Chart {
    let mut chart = titled("F1 per diet label (hold-out foods)", 64)
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .x_axis(
            Axis::new()
                .type_(AxisType::Category)
                .data(labels.to_vec())
                .axis_label(AxisLabel::new().rotate(30)),
        )
        .y_axis(unit_axis("F1"));
    for (i, m) in models.iter().enumerate() {
        let color = if m.baseline {
            "#999999"
        } else {
            PALETTE[i % PALETTE.len()]
        };
        chart = chart.series(
            Bar::new()
                .name(m.name.as_str())
                .item_style(ItemStyle::new().color(color))
                .data(m.per_label.iter().map(|s| r4(s.f1)).collect()),
        );
    }
    chart
}

/// Macro F1 on the training subset and the validation foods by training size.
pub fn f1_learning_chart(models: &[&DietModelResult]) -> Chart {
    let mut chart = titled(
        "Learning curves: macro F1, training (dashed) and validation",
        64,
    )
    .tooltip(Tooltip::new().trigger(Trigger::Axis))
    .x_axis(value_axis("training foods"))
    .y_axis(unit_axis("macro F1"));
    for (i, m) in models.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        let val: Vec<(f64, f64)> = m
            .learning_curve
            .iter()
            .map(|p| (p.train_size as f64, p.validation_macro_f1))
            .collect();
        let train: Vec<Vec<f64>> = m
            .learning_curve
            .iter()
            .map(|p| vec![p.train_size as f64, r4(p.train_macro_f1)])
            .collect();
        chart = chart.series(xy_line(&m.name, &val, color)).series(
            Line::new()
                .name(format!("{} (train)", m.name))
                .show_symbol(false)
                .line_style(
                    charming::element::LineStyle::new()
                        .width(1)
                        .color(color)
                        .type_(charming::element::LineStyleType::Dashed),
                )
                .item_style(ItemStyle::new().color(color))
                .data(train),
        );
    }
    chart
}

/// Training and validation loss per epoch.
pub fn loss_chart(title: &str, epochs: &[(f64, f64)]) -> Chart {
    let train: Vec<(f64, f64)> = epochs
        .iter()
        .enumerate()
        .map(|(e, l)| (e as f64 + 1.0, l.0))
        .collect();
    let val: Vec<(f64, f64)> = epochs
        .iter()
        .enumerate()
        .map(|(e, l)| (e as f64 + 1.0, l.1))
        .collect();
    titled(title, 64)
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .x_axis(value_axis("epoch"))
        .y_axis(value_axis("loss"))
        .series(xy_line("training", &train, PALETTE[0]))
        .series(xy_line("validation", &val, PALETTE[1]))
}

/// Predicted against actual on the hold-out foods, with the identity line.
pub fn residual_chart(target: &str, unit: &str, m: &RegressionResult) -> Chart {
    let (lo, hi) = m
        .points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (p, a)| {
            (lo.min(p.min(*a)), hi.max(p.max(*a)))
        });
    titled(
        &format!("{target}: {} predicted vs actual (hold-out)", m.name),
        64,
    )
    .tooltip(Tooltip::new().trigger(Trigger::Item))
    .x_axis(value_axis(&format!("actual, {unit}")))
    .y_axis(value_axis(&format!("predicted, {unit}")))
    .series(
        Scatter::new()
            .name("foods")
            .symbol_size(4)
            .item_style(ItemStyle::new().color(PALETTE[0]).opacity(0.5))
            .data(
                m.points
                    .iter()
                    .map(|(p, a)| vec![r4(*a), r4(*p)])
                    .collect::<Vec<_>>(),
            ),
    )
    .series(dashed(
        "predicted = actual",
        vec![vec![r4(lo), r4(lo)], vec![r4(hi), r4(hi)]],
    ))
}

/// Residuals (actual − predicted) against the prediction on the hold-out foods, with zero.
pub fn residual_scatter(target: &str, unit: &str, m: &RegressionResult) -> Chart {
    let (lo, hi) = m
        .points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (p, _)| {
            (lo.min(*p), hi.max(*p))
        });
    titled(&format!("{target}: {} residuals (hold-out)", m.name), 64)
        .tooltip(Tooltip::new().trigger(Trigger::Item))
        .x_axis(value_axis(&format!("predicted, {unit}")))
        .y_axis(value_axis(&format!("actual − predicted, {unit}")))
        .series(
            Scatter::new()
                .name("foods")
                .symbol_size(4)
                .item_style(ItemStyle::new().color(PALETTE[5]).opacity(0.5))
                .data(
                    m.points
                        .iter()
                        .map(|(p, a)| vec![r4(*p), r4(a - p)])
                        .collect::<Vec<_>>(),
                ),
        )
        .series(dashed("zero", vec![vec![r4(lo), 0.0], vec![r4(hi), 0.0]]))
}

/// The embedding's two principal axes, a series per USDA group (foods named in the tooltip).
pub fn embedding_scatter(points: &[ProjectedFood], groups: &[String]) -> Chart {
    let mut chart = titled(
        "Food embeddings: first two principal axes, by USDA group",
        96,
    )
    .tooltip(Tooltip::new().trigger(Trigger::Item))
    .x_axis(value_axis("PC1"))
    .y_axis(value_axis("PC2"));
    let series = by_group(groups, |g| {
        points
            .iter()
            .filter(|p| usize::from(p.group) == g)
            .map(|p| {
                DataPoint::from((
                    vec![r4(f64::from(p.x)), r4(f64::from(p.y))],
                    p.description.clone(),
                ))
            })
            .collect()
    });
    for (g, name, data) in series {
        chart = chart.series(group_scatter(g, name, 5, 0.7, data));
    }
    chart
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_binned_labels_are_on_the_nutrient_scale() {
        let h = NutrientHistogram {
            key: "sodium".into(),
            name: "Sodium".into(),
            unit: "mg".into(),
            log_scale: true,
            edges: vec![0.0, 1.0, 2.0, 3.0],
            counts: vec![5, 7, 2],
            n_present: 14,
            n_zero: 5,
            median: Some(9.0),
        };
        let json = super::super::to_json(&histogram_bars(&h));
        // 10^1 − 1 = 9, 10^2 − 1 = 99 mg.
        assert!(
            json.contains("\"9.0\"") && json.contains("\"99.0\""),
            "{json}"
        );
        assert!(json.contains("log-binned"));
    }

    #[test]
    fn macro_points_are_x_y_pairs_in_their_group_series() {
        let mut points = MacroPoints::default();
        points.push(1, 0.25, 0.5);
        let groups = vec!["Dairy".to_string(), "Fish".to_string()];
        let json = super::super::to_json(&macro_scatter(&points, &groups));
        assert!(json.contains("[0.25,0.5]"), "{json}");
        // Only the group with foods gets a series.
        assert!(
            json.contains("\"Fish\"") && !json.contains("\"Dairy\""),
            "{json}"
        );
    }
}
