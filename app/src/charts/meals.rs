//! The meal planner's charts: each day's energy against the target band, and each day's macro
//! shares against the goal's ranges.

use charming::component::Axis;
use charming::element::{AxisType, ItemStyle, NameLocation, Tooltip, Trigger};
use charming::series::{Bar, Line};
use charming::Chart;
use mmi_types::{MealTargets, PlanDay};

use super::models::{r4, titled, PALETTE};

fn value_axis(name: &str) -> Axis {
    Axis::new()
        .type_(AxisType::Value)
        .name(name)
        .name_location(NameLocation::Middle)
        .name_gap(44)
}

fn day_axis(days: &[PlanDay]) -> Axis {
    Axis::new()
        .type_(AxisType::Category)
        .data(days.iter().map(|d| format!("day {}", d.day)).collect())
}

fn flat(name: &str, value: f64, n: usize, color: &str) -> Line {
    Line::new()
        .name(name)
        .show_symbol(false)
        .item_style(ItemStyle::new().color(color))
        .data(vec![r4(value); n])
}

/// Energy per day with the target and its ±5% band.
pub fn plan_energy_chart(days: &[PlanDay], t: &MealTargets) -> Chart {
    let n = days.len();
    titled("Energy per day against the target (±5%)", 64)
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .x_axis(day_axis(days))
        .y_axis(value_axis("kcal").min(0))
        .series(
            Bar::new()
                .name("planned")
                .item_style(ItemStyle::new().color(PALETTE[0]))
                .data(
                    days.iter()
                        .map(|d| r4(d.totals.energy_kcal))
                        .collect::<Vec<_>>(),
                ),
        )
        .series(flat("target", t.daily_kcal, n, PALETTE[7]))
        .series(flat("−5%", 0.95 * t.daily_kcal, n, "#999999"))
        .series(flat("+5%", 1.05 * t.daily_kcal, n, "#999999"))
}

/// Protein, fat and carbohydrate as shares of each day's energy (stacked).
pub fn plan_macro_chart(days: &[PlanDay], t: &MealTargets) -> Chart {
    let series = [
        (
            "protein",
            t.protein_pct,
            PALETTE[2],
            days.iter().map(|d| r4(d.protein_pct)).collect::<Vec<_>>(),
        ),
        (
            "fat",
            t.fat_pct,
            PALETTE[1],
            days.iter().map(|d| r4(d.fat_pct)).collect(),
        ),
        (
            "carbohydrate",
            t.carbohydrate_pct,
            PALETTE[4],
            days.iter().map(|d| r4(d.carbohydrate_pct)).collect(),
        ),
    ];
    let mut chart = titled(
        "Macro shares of energy per day (goal ranges in the legend)",
        64,
    )
    .tooltip(Tooltip::new().trigger(Trigger::Axis))
    .x_axis(day_axis(days))
    .y_axis(value_axis("% of energy").min(0).max(110));
    for (name, range, color, data) in series {
        chart = chart.series(
            Bar::new()
                .name(format!("{name} ({:.0}–{:.0}%)", range[0], range[1]))
                .stack("macros")
                .item_style(ItemStyle::new().color(color))
                .data(data),
        );
    }
    chart
}
