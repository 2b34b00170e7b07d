//! A token's page: price with overlays, volume, RSI and MACD panes, the distribution of daily
//! returns against a normal fit, rolling volatility, drawdowns, and the return statistics, for a
//! chosen date range. The indicators are computed in the browser by `mmi-signals` from the history
//! the server sends (with the warm-up rows before the range).

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use mmi_signals::calendar::Day;
use mmi_types::{ReturnStats, TokenEda, TokenSummary};

use crate::charts::{
    drawdown_chart, histogram_chart, macd_chart, price_option, rsi_chart, to_json,
    volatility_chart, volume_chart, EChart, Indicators, Overlays,
};
use crate::format::{fixed, pct};
use crate::pages::{get_tokens, PredictionPanel};

/// One token's history over `from..=to` (both optional: the last year by default) and the
/// statistics of its daily returns there.
#[server(prefix = "/sfn", endpoint = "token_eda", output = crate::codec::Json)]
pub async fn get_token_eda(
    symbol: String,
    from: Option<String>,
    to: Option<String>,
) -> Result<TokenEda, ServerFnError> {
    use crate::state::{serve_error, services};
    services()?
        .token_eda(&symbol, from, to)
        .await
        .map_err(serve_error)
}

#[component]
pub fn TokenPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let symbol = move || {
        params
            .read()
            .get("symbol")
            .unwrap_or_default()
            .to_uppercase()
    };
    let eda = Resource::new(
        move || (symbol(), query.read().get("from"), query.read().get("to")),
        |(s, from, to)| get_token_eda(s, from, to),
    );
    let tokens = Resource::new(|| (), |_| get_tokens());
    let (pending, set_pending) = signal(false);
    view! {
        <section class="token-page">
            <p class="crumbs">
                <a href="/crypto">"Crypto market"</a>
                " / "
                {symbol}
            </p>
            <Transition
                fallback=|| view! { <p class="loading" data-testid="token-loading">"Loading the token…"</p> }
                set_pending
            >
                {move || Suspend::new(async move {
                    let list = tokens.await.unwrap_or_default();
                    match eda.await {
                        Ok(eda) => view! { <TokenView eda list pending /> }.into_any(),
                        Err(e) => view! {
                            <h1>{symbol()}</h1>
                            <p class="error" data-testid="token-error">{error_text(&e)}</p>
                            <p><a href=format!("/crypto/{}", symbol())>"Show the last year"</a>" · "<a href="/crypto">"All tokens"</a></p>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// A server function's message without the "error running server function" wrapping.
fn error_text(e: &ServerFnError) -> String {
    match e {
        ServerFnError::ServerError(message) => message.clone(),
        other => other.to_string(),
    }
}

#[component]
fn TokenView(eda: TokenEda, list: Vec<TokenSummary>, pending: ReadSignal<bool>) -> impl IntoView {
    let symbol = eda.history.symbol.clone();
    let range_from = eda
        .history
        .days
        .get(eda.history.range_start)
        .cloned()
        .unwrap_or_default();
    let range_to = eda.history.days.last().cloned().unwrap_or_default();
    let (overlays, set_overlays) = signal(Overlays::default());
    // Computed lazily: only the browser's chart effects read it.
    let history = eda.history.clone();
    let indicators = Memo::new(move |_| Indicators::compute(&history));
    let chart = move |f: fn(&Indicators) -> charming::Chart| {
        Signal::derive(move || Some(to_json(&f(&indicators.get()))))
    };
    let price_symbol = symbol.clone();
    let price = Signal::derive(move || {
        Some(price_option(
            &indicators.get(),
            overlays.get(),
            &price_symbol,
        ))
    });
    let histogram = eda.histogram.as_ref().map(|h| to_json(&histogram_chart(h)));
    let n_days = eda.history.days.len() - eda.history.range_start;
    view! {
        <h1 data-testid="token-title">{format!("{} · {}", eda.history.name, symbol)}</h1>
        <RangeControls
            symbol=symbol.clone()
            list
            first_day=eda.first_day.clone()
            last_day=eda.last_day.clone()
            from=range_from.clone()
            to=range_to.clone()
        />
        <div class="controls" role="group" aria-label="Overlays">
            <OverlayToggle label="SMA 20" test_id="overlay-sma20" get=move || overlays.get().sma_20 set=move |v| set_overlays.update(|o| o.sma_20 = v) />
            <OverlayToggle label="SMA 50" test_id="overlay-sma50" get=move || overlays.get().sma_50 set=move |v| set_overlays.update(|o| o.sma_50 = v) />
            <OverlayToggle label="SMA 200" test_id="overlay-sma200" get=move || overlays.get().sma_200 set=move |v| set_overlays.update(|o| o.sma_200 = v) />
            <OverlayToggle label="Bollinger 20, 2σ" test_id="overlay-bollinger" get=move || overlays.get().bollinger set=move |v| set_overlays.update(|o| o.bollinger = v) />
            <OverlayToggle label="Log scale" test_id="log-scale" get=move || overlays.get().log_scale set=move |v| set_overlays.update(|o| o.log_scale = v) />
            <Show when=move || pending.get()>
                <span class="loading" data-testid="token-updating">"Updating…"</span>
            </Show>
        </div>
        <p class="note" data-testid="token-range">
            {format!("{range_from} to {range_to} · {n_days} days · indicators computed in your browser")}
        </p>
        <div class="panes" class:stale=move || pending.get()>
            <EChart option=price test_id="chart-price" label="Price with overlays" height_px=380 group="token" />
            <EChart option=chart(volume_chart) test_id="chart-volume" label="Volume" height_px=180 group="token" />
            <EChart option=chart(rsi_chart) test_id="chart-rsi" label="RSI 14" height_px=180 group="token" />
            <EChart option=chart(macd_chart) test_id="chart-macd" label="MACD" height_px=200 group="token" />
        </div>
        <PredictionPanel symbol=symbol.clone() />
        <h2>"Daily returns"</h2>
        <div class="chart-grid">
            <EChart option=Signal::derive(move || histogram.clone()) test_id="chart-histogram" label="Histogram of daily returns with a normal fit" height_px=300 />
            <StatsTable stats=eda.stats.clone() />
        </div>
        <div class="chart-grid">
            <EChart option=chart(volatility_chart) test_id="chart-volatility" label="Rolling 30-day volatility" height_px=260 />
            <EChart option=chart(drawdown_chart) test_id="chart-drawdown" label="Drawdown from peak" height_px=260 />
        </div>
    }
}

#[component]
fn OverlayToggle(
    label: &'static str,
    test_id: &'static str,
    get: impl Fn() -> bool + Send + Sync + 'static,
    set: impl Fn(bool) + 'static,
) -> impl IntoView {
    view! {
        <label class="toggle">
            <input type="checkbox" data-testid=test_id prop:checked=get on:change=move |ev| set(event_target_checked(&ev)) />
            " "
            {label}
        </label>
    }
}

/// The token selector, the date pickers and the range presets; each change is a navigation, so
/// the URL always says what is shown.
#[component]
fn RangeControls(
    symbol: String,
    list: Vec<TokenSummary>,
    first_day: String,
    last_day: String,
    from: String,
    to: String,
) -> impl IntoView {
    let navigate = use_navigate();
    let go = {
        let navigate = navigate.clone();
        move |symbol: &str, from: &str, to: &str| {
            navigate(
                &format!("/crypto/{symbol}?from={from}&to={to}"),
                Default::default(),
            )
        }
    };
    let last = Day::parse(&last_day);
    let earliest = first_day.clone();
    let preset = move |days: Option<i64>| -> String {
        match (days, last) {
            (Some(d), Some(last)) => last.add_days(1 - d).to_string().max(earliest.clone()),
            _ => earliest.clone(),
        }
    };
    let presets: Vec<(&str, &str, String)> = vec![
        ("3M", "preset-3m", preset(Some(91))),
        ("1Y", "preset-1y", preset(Some(365))),
        ("2Y", "preset-2y", preset(Some(730))),
        ("All", "preset-all", preset(None)),
    ];
    let on_token = {
        let navigate = navigate.clone();
        move |ev| {
            navigate(
                &format!("/crypto/{}", event_target_value(&ev)),
                Default::default(),
            )
        }
    };
    let (from_go, to_go) = (go.clone(), go.clone());
    let (s1, s2) = (symbol.clone(), symbol.clone());
    let (to1, from1) = (to.clone(), from.clone());
    view! {
        <div class="controls" role="group" aria-label="Token and dates">
            <label>
                "Token "
                <select data-testid="token-select" on:change=on_token>
                    {list
                        .into_iter()
                        .map(|t| {
                            let selected = t.symbol == symbol;
                            view! { <option value=t.symbol.clone() selected=selected>{format!("{} · {}", t.symbol, t.name)}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>
                "From "
                <input type="date" data-testid="date-from" min=first_day.clone() max=last_day.clone() value=from.clone()
                    on:change=move |ev| from_go(&s1, &event_target_value(&ev), &to1) />
            </label>
            <label>
                "To "
                <input type="date" data-testid="date-to" min=first_day.clone() max=last_day.clone() value=to.clone()
                    on:change=move |ev| to_go(&s2, &from1, &event_target_value(&ev)) />
            </label>
            {presets
                .into_iter()
                .map(|(label, id, start)| {
                    let go = go.clone();
                    let (symbol, last_day) = (symbol.clone(), last_day.clone());
                    let active = start == from && to == last_day;
                    view! {
                        <button class:active=active data-testid=id on:click=move |_| go(&symbol, &start, &last_day)>{label}</button>
                    }
                })
                .collect_view()}
        </div>
    }
}

#[component]
fn StatsTable(stats: ReturnStats) -> impl IntoView {
    let day = |d: &Option<mmi_types::DayValue>| {
        d.as_ref().map_or("–".to_owned(), |d| {
            format!("{} ({})", pct(Some(d.value)), d.day)
        })
    };
    let jb = match (stats.jarque_bera, stats.jarque_bera_p) {
        (Some(jb), Some(p)) => {
            let verdict = if p < 0.05 {
                "not normal at 5%"
            } else {
                "normality not rejected at 5%"
            };
            format!(
                "{} (p = {}; {verdict})",
                fixed(Some(jb), 1),
                if p < 1e-4 {
                    "< 0.0001".to_owned()
                } else {
                    format!("{p:.4}")
                }
            )
        }
        _ => "–".to_owned(),
    };
    let rows: Vec<(&str, String)> = vec![
        ("Daily returns", stats.n_returns.to_string()),
        ("Mean", pct(stats.mean)),
        ("Median", pct(stats.median)),
        ("Standard deviation", pct(stats.std_dev)),
        ("Skewness", fixed(stats.skewness, 3)),
        ("Excess kurtosis", fixed(stats.excess_kurtosis, 3)),
        ("Annualised volatility", pct(stats.annualised_volatility)),
        ("Max drawdown", pct(stats.max_drawdown)),
        ("Best day", day(&stats.best_day)),
        ("Worst day", day(&stats.worst_day)),
        ("Jarque–Bera", jb),
    ];
    view! {
        <table class="data stats" data-testid="stats-table">
            <caption>"Statistics of daily simple returns in the range"</caption>
            <tbody>
                {rows
                    .into_iter()
                    .map(|(k, v)| view! { <tr><th scope="row">{k}</th><td class="num">{v}</td></tr> })
                    .collect_view()}
            </tbody>
        </table>
    }
}
