//! The crypto section: the tokens in the store and the extent of their price history.

use leptos::prelude::*;
use mmi_types::TokenSummary;

use crate::format::{thousands, usd};

/// Every token with its number of days, first and last day, and last close.
#[server(prefix = "/sfn", endpoint = "tokens")]
pub async fn get_tokens() -> Result<Vec<TokenSummary>, ServerFnError> {
    let state = crate::state::use_app_state()?;
    mmi_store::tokens(&state.pool)
        .await
        .map_err(|e| crate::state::internal("reading the tokens", e))
}

#[component]
pub fn CryptoPage() -> impl IntoView {
    let tokens = Resource::new(|| (), |_| get_tokens());
    let (filter, set_filter) = signal(String::new());
    view! {
        <section>
            <h1>"Crypto"</h1>
            <p class="lead">"Daily prices per token, as imported. Type to filter by symbol or name."</p>
            <input
                type="search"
                placeholder="Filter tokens"
                data-testid="token-filter"
                prop:value=filter
                on:input=move |ev| set_filter.set(event_target_value(&ev))
            />
            <Suspense fallback=|| view! { <p class="loading">"Loading tokens…"</p> }>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Ok(list) if list.is_empty() => {
                            view! {
                                <p class="empty">"No tokens yet: import data first (see the home page)."</p>
                            }
                                .into_any()
                        }
                        Ok(list) => view! { <TokenTable list filter /> }.into_any(),
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn TokenTable(list: Vec<TokenSummary>, filter: ReadSignal<String>) -> impl IntoView {
    let rows = move || {
        let needle = filter.get().to_lowercase();
        list.iter()
            .filter(|t| {
                needle.is_empty()
                    || t.symbol.to_lowercase().contains(&needle)
                    || t.name.to_lowercase().contains(&needle)
            })
            .map(|t| {
                view! {
                    <tr data-testid="token-row">
                        <td class="symbol">{t.symbol.clone()}</td>
                        <td>{t.name.clone()}</td>
                        <td class="num">{thousands(t.n_days)}</td>
                        <td>{t.first_day.clone().unwrap_or_default()}</td>
                        <td>{t.last_day.clone().unwrap_or_default()}</td>
                        <td class="num">{t.last_close_usd.map(usd).unwrap_or_default()}</td>
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
                    <th class="num">"Days"</th>
                    <th>"First day"</th>
                    <th>"Last day"</th>
                    <th class="num">"Last close"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
