//! The recipe pages' charts: the tagger's training per epoch, its per-label F1 beside the
//! baseline, and recipe calories per serving against what the sites report.

use charming::component::Axis;
use charming::element::{AxisType, ItemStyle, NameLocation, Tooltip, Trigger};
use charming::series::{Bar, Scatter};
use charming::Chart;
use mmi_types::{ParserEvaluation, PrepDensity, RecipeCaloriePoint, TaggerEpochPoint};

use super::models::{dashed, r4, titled, xy_line, PALETTE};

fn value_axis(name: &str) -> Axis {
    Axis::new()
        .type_(AxisType::Value)
        .name(name)
        .name_location(NameLocation::Middle)
        .name_gap(40)
        .scale(true)
}

/// Training loss and validation word accuracy per epoch (two axes).
pub fn tagger_epochs_chart(epochs: &[TaggerEpochPoint]) -> Chart {
    let loss: Vec<(f64, f64)> = epochs
        .iter()
        .map(|e| (e.epoch as f64, e.train_loss))
        .collect();
    let acc: Vec<(f64, f64)> = epochs
        .iter()
        .map(|e| (e.epoch as f64, e.validation_word_accuracy))
        .collect();
    titled(
        "Ingredient tagger: training loss and validation word accuracy per epoch",
        64,
    )
    .tooltip(Tooltip::new().trigger(Trigger::Axis))
    .x_axis(value_axis("epoch"))
    .y_axis(value_axis("loss per sentence"))
    .y_axis(value_axis("validation word accuracy"))
    .series(xy_line("training loss", &loss, PALETTE[0]))
    .series(xy_line("validation word accuracy", &acc, PALETTE[1]).y_axis_index(1))
}

/// Per-label F1 of the tagger and the baseline on the test sentences.
pub fn tag_f1_chart(models: &[&ParserEvaluation]) -> Chart {
    let labels: Vec<String> = models
        .first()
        .map(|m| m.labels.iter().map(|l| l.label.clone()).collect())
        .unwrap_or_default();
    let mut chart = titled("F1 per tag on the test sentences", 64)
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .x_axis(Axis::new().type_(AxisType::Category).data(labels))
        .y_axis(value_axis("F1").min(0).max(1));
    for (i, m) in models.iter().enumerate() {
        chart = chart.series(
            Bar::new()
                .name(m.name.as_str())
                .item_style(ItemStyle::new().color(PALETTE[i % PALETTE.len()]))
                .data(m.labels.iter().map(|l| r4(l.f1)).collect::<Vec<_>>()),
        );
    }
    chart
}

/// Ours against the site's calories per serving, one point per recipe, with the identity line.
pub fn calorie_scatter(points: &[RecipeCaloriePoint]) -> Chart {
    let hi = points
        .iter()
        .fold(0.0f64, |m, p| m.max(p.site_kcal).max(p.our_kcal))
        .min(3000.0);
    titled(
        "Calories per serving: ours vs the recipe site (test recipes)",
        64,
    )
    .tooltip(Tooltip::new().trigger(Trigger::Item))
    .x_axis(value_axis("site, kcal per serving").min(0).max(r4(hi)))
    .y_axis(value_axis("ours, kcal per serving").min(0).max(r4(hi)))
    .series(
        Scatter::new()
            .name("recipes")
            .symbol_size(6)
            .item_style(ItemStyle::new().color(PALETTE[0]).opacity(0.6))
            .data(
                points
                    .iter()
                    .map(|p| vec![r4(p.site_kcal), r4(p.our_kcal.min(hi))])
                    .collect::<Vec<_>>(),
            ),
    )
    .series(dashed(
        "ours = site",
        vec![vec![0.0, 0.0], vec![r4(hi), r4(hi)]],
    ))
}

/// Preparation time against NRF9.3 per 100 kcal, one point per catalogue recipe (time capped at
/// four hours for the axis).
pub fn prep_density_chart(d: &PrepDensity) -> Chart {
    titled(
        "Preparation time vs nutrient density (NRF9.3 per 100 kcal)",
        64,
    )
    .tooltip(Tooltip::new().trigger(Trigger::Item))
    .x_axis(value_axis("minutes (total time)").min(0).max(240))
    .y_axis(value_axis("NRF9.3 per 100 kcal"))
    .series(
        Scatter::new()
            .name("recipes")
            .symbol_size(6)
            .item_style(ItemStyle::new().color(PALETTE[2]).opacity(0.6))
            .data(
                d.points
                    .iter()
                    .map(|(m, n)| vec![r4(m.min(240.0)), r4(*n)])
                    .collect::<Vec<_>>(),
            ),
    )
}
