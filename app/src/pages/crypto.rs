//! The crypto market page: every token's size and last-30-days metrics, the correlation heatmap of
//! daily returns over a chosen window, and cumulative returns compared.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use mmi_types::{Correlation, MarketOverview, TokenMetrics, TokenSummary};

use crate::charts::{cumulative_chart, heatmap_chart, lazy_chart, EChart};
use crate::format::{pct, thousands, usd, usd_compact};

/// Every token with its number of days, first and last day, and last close.
#[server(prefix = "/sfn", endpoint = "tokens", output = crate::codec::Json)]
pub async fn get_tokens() -> Result<Vec<TokenSummary>, ServerFnError> {
    use crate::state::{serve_error, services};
    services()?.tokens().await.map_err(serve_error)
}

/// The market overview over the last `window_days` days (`None`: the whole history).
#[server(prefix = "/sfn", endpoint = "market_overview", output = crate::codec::Json)]
pub async fn get_market_overview(
    window_days: Option<u32>,
    method: Correlation,
) -> Result<Option<MarketOverview>, ServerFnError> {
    use crate::state::{serve_error, services};
    let overview = services()?
        .market_overview(window_days, method)
        .await
        .map_err(serve_error)?;
    Ok(overview.map(|o| (*o).clone()))
}

/// The windows offered, as `(query value, label, days)`.
const WINDOWS: [(&str, &str, Option<u32>); 4] = [
    ("30", "30 days", Some(30)),
    ("90", "90 days", Some(90)),
    ("365", "1 year", Some(365)),
    ("all", "All history", None),
];

fn window_from_query(v: Option<String>) -> Option<u32> {
    match v.as_deref() {
        Some("all") => None,
        Some(s) => s.parse().ok().or(Some(90)),
        None => Some(90),
    }
}

#[component]
pub fn CryptoPage() -> impl IntoView {
    let query = use_query_map();
    let window = move || window_from_query(query.read().get("window"));
    let method = move || match query.read().get("method").as_deref() {
        Some("spearman") => Correlation::Spearman,
        _ => Correlation::Pearson,
    };
    let overview = Resource::new(
        move || (window(), method()),
        |(w, m)| get_market_overview(w, m),
    );
    let (pending, set_pending) = signal(false);
    let navigate = use_navigate();
    let go = move |window: Option<u32>, method: Correlation| {
        let w = window.map_or("all".to_owned(), |d| d.to_string());
        let m = match method {
            Correlation::Pearson => "pearson",
            Correlation::Spearman => "spearman",
        };
        navigate(
            &format!("/crypto?window={w}&method={m}"),
            Default::default(),
        );
    };
    let go_window = go.clone();
    view! {
        <section>
            <h1>"Crypto market"</h1>
            <p class="lead">
                "Every token's size and recent behaviour; how their daily returns move together; what $1 became. "
                "Pick a token for its price, indicators and return statistics."
            </p>
            <div class="controls" role="group" aria-label="Window">
                <span class="label">"Window:"</span>
                {WINDOWS
                    .iter()
                    .map(|(value, label, days)| {
                        let go = go_window.clone();
                        let days = *days;
                        view! {
                            <button
                                class:active=move || window() == days
                                data-testid=format!("window-{value}")
                                on:click=move |_| go(days, method())
                            >
                                {*label}
                            </button>
                        }
                    })
                    .collect_view()}
                <label class="toggle">
                    <input
                        type="checkbox"
                        data-testid="spearman"
                        prop:checked=move || method() == Correlation::Spearman
                        on:change=move |ev| {
                            let m = if event_target_checked(&ev) { Correlation::Spearman } else { Correlation::Pearson };
                            go(window(), m)
                        }
                    />
                    " Spearman (rank) correlation"
                </label>
                <Show when=move || pending.get()>
                    <span class="loading" data-testid="market-loading">"Updating…"</span>
                </Show>
            </div>
            <Transition
                fallback=|| view! { <p class="loading">"Loading the market…"</p> }
                set_pending
            >
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(Some(m)) => view! { <Market m /> }.into_any(),
                        Ok(None) => view! {
                            <p class="empty">"No tokens yet: import data first (see the home page)."</p>
                        }.into_any(),
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Market(m: MarketOverview) -> impl IntoView {
    let (filter, set_filter) = signal(String::new());
    let (correlation, series) = (m.correlation.clone(), m.cumulative.clone());
    let heatmap = lazy_chart(move || heatmap_chart(&correlation));
    let cumulative = lazy_chart(move || cumulative_chart(&series));
    let tokens = m.tokens.clone();
    view! {
        <p class="note" data-testid="market-window">
            {format!("{} to {} · {} tokens · 30-day metrics end on {}", m.from_day, m.last_day, m.tokens.len(), m.last_day)}
        </p>
        <div class="chart-grid">
            <EChart option=heatmap test_id="chart-correlation" label="Correlation heatmap of daily returns" height_px=520 />
            <EChart option=cumulative test_id="chart-cumulative" label="Cumulative returns per token" height_px=520 />
        </div>
        <h2>"Tokens"</h2>
        <input
            type="search"
            placeholder="Filter tokens"
            data-testid="token-filter"
            prop:value=filter
            on:input=move |ev| set_filter.set(event_target_value(&ev))
        />
        <MetricsTable tokens filter />
    }
}

#[component]
fn MetricsTable(tokens: Vec<TokenMetrics>, filter: ReadSignal<String>) -> impl IntoView {
    let rows = move || {
        let needle = filter.get().to_lowercase();
        tokens
            .iter()
            .filter(|t| {
                needle.is_empty()
                    || t.symbol.to_lowercase().contains(&needle)
                    || t.name.to_lowercase().contains(&needle)
            })
            .map(|t| {
                let signed = |v: Option<f64>| match v {
                    Some(v) if v < 0.0 => "num neg",
                    Some(_) => "num pos",
                    None => "num",
                };
                view! {
                    <tr data-testid="token-row">
                        <td class="symbol">
                            <a href=format!("/crypto/{}", t.symbol)>{t.symbol.clone()}</a>
                        </td>
                        <td>{t.name.clone()}</td>
                        <td class="num">{t.market_cap_usd.map(usd_compact).unwrap_or_else(|| "–".into())}</td>
                        <td class="num">{usd(t.close_usd)}</td>
                        <td class=signed(t.return_30d)>{pct(t.return_30d)}</td>
                        <td class="num">{pct(t.volatility_30d)}</td>
                        <td class="num">{pct(t.max_drawdown_30d)}</td>
                        <td class="num">{t.mean_volume_30d_usd.map(usd_compact).unwrap_or_else(|| "–".into())}</td>
                        <td class="num">{thousands(i64::from(t.n_days))}</td>
                        <td>{t.first_day.clone()}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <table class="data">
            <thead>
                <tr>
                    <th>"Symbol"</th>
                    <th>"Name"</th>
                    <th class="num">"Market cap"</th>
                    <th class="num">"Last close"</th>
                    <th class="num">"Return 30d"</th>
                    <th class="num" title="annualised">"Volatility 30d"</th>
                    <th class="num">"Max drawdown 30d"</th>
                    <th class="num">"Mean volume 30d"</th>
                    <th class="num">"Days"</th>
                    <th>"Since"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
