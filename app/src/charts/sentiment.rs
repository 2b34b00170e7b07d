//! The sentiment page's charts: the classifiers' test accuracy and macro F1 side by side, and a
//! token's daily news sentiment against its close.

use charming::component::{Axis, DataZoom, Grid, Legend};
use charming::datatype::DataPoint;
use charming::element::{AxisType, ItemStyle, NameLocation, Tooltip, Trigger};
use charming::series::{Bar, Line};
use charming::Chart;
use mmi_types::{SentimentReport, SentimentSeries};

use super::crypto::chart_title;
use super::models::{r4, PALETTE};

/// Test accuracy and macro F1 of every classifier, baselines included.
pub fn sentiment_metrics_chart(r: &SentimentReport) -> Chart {
    let methods: Vec<String> = r.results.iter().map(|m| m.method.clone()).collect();
    let bars = |name: &str, values: Vec<f64>, color: &str| {
        Bar::new()
            .name(name)
            .item_style(ItemStyle::new().color(color))
            .data(values.into_iter().map(r4).collect::<Vec<f64>>())
    };
    Chart::new()
        .title(chart_title(&format!(
            "Held-out sentences (n = {}): accuracy and macro F1",
            r.test
        )))
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().top(28).left(8))
        .grid(Grid::new().left(56).right(24).top(64).bottom(40))
        .x_axis(Axis::new().type_(AxisType::Category).data(methods))
        .y_axis(Axis::new().type_(AxisType::Value).min(0).max(1))
        .series(bars(
            "accuracy",
            r.results.iter().map(|m| m.accuracy.value).collect(),
            PALETTE[0],
        ))
        .series(bars(
            "macro F1",
            r.results.iter().map(|m| m.macro_f1.value).collect(),
            PALETTE[1],
        ))
}

/// The day's mean news score (bars, left axis) and the close (line, right axis) on days with news.
pub fn sentiment_index_chart(s: &SentimentSeries) -> Chart {
    let dates: Vec<String> = s.days.iter().map(|d| d.date.clone()).collect();
    let scores: Vec<f64> = s.days.iter().map(|d| r4(d.score)).collect();
    let closes: Vec<Option<f64>> = s.days.iter().map(|d| d.close).collect();
    let has_close = closes.iter().any(Option::is_some);
    let mut chart = Chart::new()
        .title(chart_title(&format!(
            "{}: news sentiment by day (P(positive) − P(negative)) and close",
            s.symbol
        )))
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().top(28).left(8))
        .grid(Grid::new().left(56).right(72).top(64).bottom(72))
        .data_zoom(DataZoom::new().bottom(16))
        .x_axis(Axis::new().type_(AxisType::Category).data(dates))
        .y_axis(
            Axis::new()
                .type_(AxisType::Value)
                .min(-1)
                .max(1)
                .name("sentiment")
                .name_location(NameLocation::Middle)
                .name_gap(36),
        )
        .series(
            Bar::new()
                .name("sentiment")
                .item_style(ItemStyle::new().color(PALETTE[2]))
                .data(scores),
        );
    if has_close {
        chart = chart
            .y_axis(
                Axis::new()
                    .type_(AxisType::Value)
                    .scale(true)
                    .name("close (USD)")
                    .name_location(NameLocation::Middle)
                    .name_gap(56),
            )
            .series(
                Line::new()
                    .name("close")
                    .y_axis_index(1)
                    .show_symbol(false)
                    .connect_nulls(true)
                    .item_style(ItemStyle::new().color(PALETTE[0]))
                    .data(
                        closes
                            .into_iter()
                            .map(|c| DataPoint::from(c.map(r4)))
                            .collect::<Vec<DataPoint>>(),
                    ),
            );
    }
    chart
}

#[cfg(test)]
mod tests {
    use mmi_types::SentimentDay;

    use super::*;

    #[test]
    fn index_chart_has_both_axes_when_closes_exist() {
        let day = |date: &str, close| SentimentDay {
            date: date.into(),
            score: 0.25,
            n_items: 2,
            share_positive: 0.5,
            share_negative: 0.0,
            close,
        };
        let s = SentimentSeries {
            symbol: "BTC".into(),
            days: vec![day("2019-01-01", Some(3800.0)), day("2019-01-02", None)],
            next_day_correlation: None,
            correlation_days: 0,
        };
        let json = crate::charts::to_json(&sentiment_index_chart(&s));
        assert!(
            json.contains("\"close\"") && json.contains("2019-01-02"),
            "{json}"
        );
        assert!(json.contains("3800"), "{json}");
    }
}
