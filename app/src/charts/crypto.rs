//! The crypto pages' charts. The token page's indicators are computed here, in the browser, by
//! the same `mmi-signals` code the server's feature pipeline runs.

use charming::component::{Axis, DataZoom, DataZoomType, Grid, Legend, Title, VisualMap};
use charming::datatype::DataPoint;
use charming::element::{AreaStyle, AxisType, ItemStyle, LineStyle, Orient, Tooltip, Trigger};
use charming::series::{Bar, Candlestick, Heatmap, Line};
use charming::Chart;
use mmi_signals::indicators::{bollinger, macd, rsi, sma};
use mmi_signals::risk::{annualised_volatility, drawdown};
use mmi_types::{CorrelationMatrix, CumulativeReturns, PriceHistory, ReturnHistogram};

type Col = Vec<Option<f64>>;

/// A token's range with every charted indicator, computed over the whole history sent (so the
/// warm-up rows before the range make each indicator defined from the range's first day), then
/// cut to the range.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicators {
    pub days: Vec<String>,
    /// `[open, close, low, high]` per day (ECharts' candlestick order); `None` if any is missing.
    pub candles: Vec<Option<[f64; 4]>>,
    pub close: Vec<f64>,
    pub volume: Col,
    pub sma_20: Col,
    pub sma_50: Col,
    pub sma_200: Col,
    pub bb_upper: Col,
    pub bb_lower: Col,
    pub rsi_14: Col,
    pub macd: Col,
    pub macd_signal: Col,
    pub macd_hist: Col,
    pub vol_30: Col,
    /// From the running peak inside the range.
    pub drawdown: Col,
}

impl Indicators {
    pub fn compute(h: &PriceHistory) -> Self {
        let start = h.range_start.min(h.days.len());
        let cut = |c: Col| c[start..].to_vec();
        let close = &h.close_usd;
        let bands = bollinger(close, 20, 2.0);
        let m = macd(close, 12, 26, 9);
        let candles = (start..h.days.len())
            .map(|i| Some([h.open_usd[i]?, close[i], h.low_usd[i]?, h.high_usd[i]?]))
            .collect();
        Indicators {
            days: h.days[start..].to_vec(),
            candles,
            close: close[start..].to_vec(),
            volume: h.volume_usd[start..].to_vec(),
            sma_20: cut(sma(close, 20)),
            sma_50: cut(sma(close, 50)),
            sma_200: cut(sma(close, 200)),
            bb_upper: cut(bands.upper),
            bb_lower: cut(bands.lower),
            rsi_14: cut(rsi(close, 14)),
            macd: cut(m.line),
            macd_signal: cut(m.signal),
            macd_hist: cut(m.histogram),
            vol_30: cut(annualised_volatility(close, 30)),
            drawdown: drawdown(&close[start..]),
        }
    }
}

/// What the price chart overlays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overlays {
    pub sma_20: bool,
    pub sma_50: bool,
    pub sma_200: bool,
    pub bollinger: bool,
    pub log_scale: bool,
}

impl Default for Overlays {
    fn default() -> Self {
        Overlays {
            sma_20: true,
            sma_50: true,
            sma_200: true,
            bollinger: true,
            log_scale: false,
        }
    }
}

const UP: &str = "#1a9850";
const DOWN: &str = "#d73027";

fn round(v: f64, digits: i32) -> f64 {
    let p = 10f64.powi(digits);
    (v * p).round() / p
}

/// Rounds to 6 significant digits: charts need no more, and the option stays small.
fn sig(v: Option<f64>) -> Option<f64> {
    v.filter(|v| v.is_finite()).map(|v| {
        if v == 0.0 {
            0.0
        } else {
            round(v, 5 - v.abs().log10().floor() as i32)
        }
    })
}

fn line(name: &str, values: &[Option<f64>], color: &str) -> Line {
    Line::new()
        .name(name)
        .show_symbol(false)
        .line_style(LineStyle::new().width(1.2).color(color))
        .item_style(ItemStyle::new().color(color))
        .data(values.iter().map(|v| sig(*v)).collect())
}

fn time_axis(days: &[String]) -> Axis {
    Axis::new()
        .type_(AxisType::Category)
        .data(days.to_vec())
        .boundary_gap(false)
}

/// The title every chart of the app carries: top left, 14 px.
pub(super) fn chart_title(text: &str) -> Title {
    Title::new()
        .text(text)
        .left(8)
        .top(4)
        .text_style(charming::element::TextStyle::new().font_size(14))
}

fn base(title: &str) -> Chart {
    Chart::new()
        .title(chart_title(title))
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .grid(Grid::new().left(64).right(24).top(40).bottom(56))
        .data_zoom(DataZoom::new().type_(DataZoomType::Inside))
        .data_zoom(DataZoom::new().type_(DataZoomType::Slider).bottom(8))
}

/// [`price_chart`] as ECharts JSON, with the candles coloured green up / red down (charming 0.6
/// has no `itemStyle` on candlesticks, and ECharts' default is the reverse convention). Edited
/// as text parsed back, not through `serde_json::to_value`: that would compile every charming
/// type's `Serialize` a second time into the bundle, for `Value`'s serializer.
pub fn price_option(ind: &Indicators, overlays: Overlays, symbol: &str) -> String {
    let json = super::to_json(&price_chart(ind, overlays, symbol));
    let mut option: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    if let Some(candles) = option.pointer_mut("/series/0") {
        candles["itemStyle"] = serde_json::json!({
            "color": UP, "color0": DOWN, "borderColor": UP, "borderColor0": DOWN
        });
    }
    option.to_string()
}

/// Candles with the chosen moving averages and Bollinger Bands; linear or log price axis.
pub fn price_chart(ind: &Indicators, overlays: Overlays, symbol: &str) -> Chart {
    let y = if overlays.log_scale {
        Axis::new().type_(AxisType::Log).name("USD (log)")
    } else {
        Axis::new().type_(AxisType::Value).scale(true).name("USD")
    };
    let candles: Vec<Vec<Option<f64>>> = ind
        .candles
        .iter()
        .map(|c| match c {
            Some(c) => c.iter().map(|v| sig(Some(*v))).collect(),
            None => vec![None; 4],
        })
        .collect();
    let mut chart = base(&format!("{symbol} price"))
        .legend(Legend::new().top(4).right(24))
        .x_axis(time_axis(&ind.days))
        .y_axis(y)
        .series(Candlestick::new().name("OHLC").data(candles));
    if overlays.sma_20 {
        chart = chart.series(line("SMA 20", &ind.sma_20, "#4575b4"));
    }
    if overlays.sma_50 {
        chart = chart.series(line("SMA 50", &ind.sma_50, "#fdae61"));
    }
    if overlays.sma_200 {
        chart = chart.series(line("SMA 200", &ind.sma_200, "#762a83"));
    }
    if overlays.bollinger {
        chart = chart
            .series(line("Bollinger upper", &ind.bb_upper, "#999999"))
            .series(line("Bollinger lower", &ind.bb_lower, "#999999"));
    }
    chart
}

/// Daily traded volume, in USD millions or billions so the axis stays readable.
pub fn volume_chart(ind: &Indicators) -> Chart {
    let max = ind.volume.iter().flatten().fold(0.0f64, |m, v| m.max(*v));
    let (scale, unit) = if max >= 1e9 {
        (1e9, "USD bn")
    } else if max >= 1e6 {
        (1e6, "USD m")
    } else {
        (1.0, "USD")
    };
    base(&format!("Volume ({unit})"))
        .x_axis(time_axis(&ind.days))
        .y_axis(Axis::new().type_(AxisType::Value))
        .series(
            Bar::new()
                .name("Volume")
                .item_style(ItemStyle::new().color("#6baed6"))
                .data(
                    ind.volume
                        .iter()
                        .map(|v| sig(v.map(|v| v / scale)))
                        .collect(),
                ),
        )
}

/// RSI 14 with the 30/70 bands.
pub fn rsi_chart(ind: &Indicators) -> Chart {
    let level = |v: f64| vec![Some(v); ind.days.len()];
    base("RSI 14 (Wilder)")
        .x_axis(time_axis(&ind.days))
        .y_axis(Axis::new().type_(AxisType::Value).min(0).max(100))
        .series(line("RSI 14", &ind.rsi_14, "#542788"))
        .series(
            line("70", &level(70.0), "#d73027").line_style(
                LineStyle::new()
                    .width(1)
                    .color(DOWN)
                    .type_(charming::element::LineStyleType::Dashed),
            ),
        )
        .series(
            line("30", &level(30.0), "#1a9850").line_style(
                LineStyle::new()
                    .width(1)
                    .color(UP)
                    .type_(charming::element::LineStyleType::Dashed),
            ),
        )
}

/// MACD 12/26/9: line, signal and histogram.
pub fn macd_chart(ind: &Indicators) -> Chart {
    base("MACD 12/26/9")
        .legend(Legend::new().top(4).right(24))
        .x_axis(time_axis(&ind.days))
        .y_axis(Axis::new().type_(AxisType::Value).scale(true))
        .series(
            Bar::new()
                .name("Histogram")
                .item_style(ItemStyle::new().color("#bdbdbd"))
                .data(ind.macd_hist.iter().map(|v| sig(*v)).collect()),
        )
        .series(line("MACD", &ind.macd, "#2166ac"))
        .series(line("Signal", &ind.macd_signal, "#f46d43"))
}

/// Rolling 30-day volatility, annualised, in percent.
pub fn volatility_chart(ind: &Indicators) -> Chart {
    let pct: Col = ind.vol_30.iter().map(|v| v.map(|v| v * 100.0)).collect();
    base("30-day volatility (annualised, %)")
        .x_axis(time_axis(&ind.days))
        .y_axis(Axis::new().type_(AxisType::Value))
        .series(line("Volatility 30d", &pct, "#8c510a"))
}

/// Drawdown from the running peak inside the range, in percent.
pub fn drawdown_chart(ind: &Indicators) -> Chart {
    let pct: Col = ind.drawdown.iter().map(|v| v.map(|v| v * 100.0)).collect();
    base("Drawdown from peak (%)")
        .x_axis(time_axis(&ind.days))
        .y_axis(Axis::new().type_(AxisType::Value).max(0))
        .series(
            line("Drawdown", &pct, DOWN).area_style(AreaStyle::new().color("rgba(215,48,39,0.25)")),
        )
}

/// Daily returns: counts per bin and the fitted normal's expected counts.
pub fn histogram_chart(h: &ReturnHistogram) -> Chart {
    let labels: Vec<String> = h
        .centers
        .iter()
        .map(|c| format!("{:.1}%", c * 100.0))
        .collect();
    Chart::new()
        .title(
            Title::new()
                .text("Daily returns vs normal fit")
                .left(8)
                .top(4),
        )
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().top(4).right(24))
        .grid(Grid::new().left(56).right(24).top(40).bottom(40))
        .x_axis(Axis::new().type_(AxisType::Category).data(labels))
        .y_axis(Axis::new().type_(AxisType::Value).name("days"))
        .series(
            Bar::new()
                .name("Observed")
                .item_style(ItemStyle::new().color("#74add1"))
                .data(h.counts.iter().map(|c| i64::from(*c)).collect()),
        )
        .series(
            line(
                "Normal fit",
                &h.normal_fit.iter().map(|v| Some(*v)).collect::<Vec<_>>(),
                "#d73027",
            )
            .smooth(0.3),
        )
}

/// Correlation heatmap, symbols on both axes, −1 (blue) to +1 (red).
pub fn heatmap_chart(m: &CorrelationMatrix) -> Chart {
    let title = match m.method {
        mmi_types::Correlation::Pearson => "Correlation of daily log returns (Pearson)",
        mmi_types::Correlation::Spearman => "Correlation of daily log returns (Spearman)",
    };
    correlation_heatmap(title, &m.symbols, &m.values)
}

/// A −1..1 correlation matrix as a heatmap; undefined cells stay empty.
pub fn correlation_heatmap(title: &str, labels: &[String], values: &[Vec<Option<f64>>]) -> Chart {
    let mut cells: Vec<Vec<DataPoint>> = Vec::new();
    for (i, row) in values.iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            let cell = [Some(j as f64), Some(i as f64), v.map(|v| round(v, 2))];
            cells.push(cell.into_iter().map(DataPoint::from).collect());
        }
    }
    let heatmap = Heatmap::new().name("correlation").data(cells);
    Chart::new()
        .title(Title::new().text(title).left(8).top(4))
        .tooltip(Tooltip::new().trigger(Trigger::Item))
        .grid(Grid::new().left(64).right(24).top(40).bottom(90))
        .x_axis(
            Axis::new()
                .type_(AxisType::Category)
                .data(labels.to_vec())
                .axis_label(charming::element::AxisLabel::new().rotate(60)),
        )
        .y_axis(
            Axis::new()
                .type_(AxisType::Category)
                .data(labels.to_vec())
                .inverse(true),
        )
        .visual_map(
            VisualMap::new()
                .min(-1.0)
                .max(1.0)
                .calculable(true)
                .orient(Orient::Horizontal)
                .left("center")
                .bottom(0)
                .in_range(
                    charming::component::VisualMapChannel::new()
                        .color(vec!["#2166ac", "#f7f7f7", "#b2182b"]),
                ),
        )
        .series(heatmap)
}

/// Growth of 1 USD per token over the window (log axis: tokens differ by orders of magnitude).
pub fn cumulative_chart(c: &CumulativeReturns) -> Chart {
    let mut chart = Chart::new()
        .title(Title::new().text("Growth of $1 (log scale)").left(8).top(4))
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(
            Legend::new()
                .type_(charming::component::LegendType::Scroll)
                .top(28)
                .left(8)
                .right(8),
        )
        .grid(Grid::new().left(64).right(24).top(64).bottom(56))
        .data_zoom(DataZoom::new().type_(DataZoomType::Inside))
        .data_zoom(DataZoom::new().type_(DataZoomType::Slider).bottom(8))
        .x_axis(time_axis(&c.days))
        .y_axis(Axis::new().type_(AxisType::Log));
    for s in &c.series {
        chart = chart.series(
            Line::new()
                .name(s.symbol.as_str())
                .show_symbol(false)
                .line_style(LineStyle::new().width(1.2))
                .data(s.values.iter().map(|v| sig(*v)).collect()),
        );
    }
    chart
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(n: usize, range_start: usize) -> PriceHistory {
        let close: Vec<f64> = (0..n)
            .map(|i| 100.0 + (i as f64 * 0.3).sin() * 10.0)
            .collect();
        PriceHistory {
            symbol: "TST".into(),
            name: "Test".into(),
            days: (0..n).map(|i| format!("d{i:04}")).collect(),
            open_usd: close.iter().map(|c| Some(c - 1.0)).collect(),
            high_usd: close.iter().map(|c| Some(c + 2.0)).collect(),
            low_usd: close.iter().map(|c| Some(c - 2.0)).collect(),
            close_usd: close,
            volume_usd: vec![Some(1e6); n],
            range_start,
        }
    }

    #[test]
    fn indicators_are_defined_from_the_range_start_thanks_to_the_warm_up() {
        let ind = Indicators::compute(&history(300, 200));
        assert_eq!(ind.days.len(), 100);
        assert_eq!(ind.days[0], "d0200");
        for col in [
            &ind.sma_200,
            &ind.sma_20,
            &ind.rsi_14,
            &ind.macd,
            &ind.bb_upper,
            &ind.vol_30,
        ] {
            assert!(col.iter().all(Option::is_some));
        }
        assert_eq!(
            ind.drawdown[0],
            Some(0.0),
            "drawdown starts at the range's first day"
        );
        assert_eq!(ind.candles[0].unwrap()[1], ind.close[0]);
    }

    #[test]
    fn the_price_option_holds_the_candles_and_the_chosen_overlays() {
        let ind = Indicators::compute(&history(260, 200));
        let json: serde_json::Value =
            serde_json::from_str(&price_option(&ind, Overlays::default(), "TST")).unwrap();
        let series = json["series"].as_array().unwrap();
        assert_eq!(series.len(), 6);
        assert_eq!(series[0]["type"], "candlestick");
        assert_eq!(series[0]["itemStyle"]["color"], UP);
        assert_eq!(series[0]["data"].as_array().unwrap().len(), 60);
        let log = price_chart(
            &ind,
            Overlays {
                sma_20: false,
                sma_50: false,
                sma_200: false,
                bollinger: false,
                log_scale: true,
            },
            "TST",
        );
        let json: serde_json::Value = serde_json::from_str(&super::super::to_json(&log)).unwrap();
        assert_eq!(json["series"].as_array().unwrap().len(), 1);
        assert_eq!(json["yAxis"]["type"], "log");
    }

    #[test]
    fn heatmap_cells_are_column_row_value() {
        let m = CorrelationMatrix {
            method: mmi_types::Correlation::Pearson,
            symbols: vec!["A".into(), "B".into()],
            values: vec![vec![Some(1.0), Some(0.123)], vec![Some(0.123), None]],
            n_obs: vec![vec![3, 3], vec![3, 0]],
        };
        let json: serde_json::Value =
            serde_json::from_str(&super::super::to_json(&heatmap_chart(&m))).unwrap();
        let data = json["series"][0]["data"].as_array().unwrap();
        assert_eq!(data.len(), 4);
        assert_eq!(data[1], serde_json::json!([1.0, 0.0, 0.12]));
        assert_eq!(data[3], serde_json::json!([1.0, 1.0, null]));
    }

    #[test]
    fn significant_digits() {
        assert_eq!(sig(Some(34123.456)), Some(34123.5));
        assert_eq!(sig(Some(0.00123456789)), Some(0.00123457));
        assert_eq!(sig(Some(f64::NAN)), None);
    }
}
