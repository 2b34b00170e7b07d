//! Token suggestions for a typed portfolio, ranked in the browser on every keystroke.

use leptos::prelude::*;
use mmi_rank::tokens::{parse_holdings, TokenModel};
use mmi_types::{ArtifactRef, RECOMMEND_METHODS};

use super::load::{current, kib, now_ms, status, took, Loaded};

#[derive(Debug, Clone, PartialEq)]
struct Ranked {
    rows: Result<Vec<mmi_rank::tokens::Suggestion>, String>,
    engine: &'static str,
    ms: f64,
}

#[component]
pub fn TokenSuggestions(artifact: ArtifactRef, model: Loaded<TokenModel>) -> impl IntoView {
    let (text, set_text) = signal("BTC 0.6, ETH 0.4".to_string());
    let (method, set_method) = signal("hybrid".to_string());
    let (k, set_k) = signal(5usize);
    let ranked = Memo::new(move |_| {
        let model = current(model)?.ok()?;
        let started = now_ms();
        let method = method.get();
        let engine = model.engine(&method);
        let rows = parse_holdings(&text.get()).and_then(|items| {
            let items: Vec<(&str, Option<f64>)> =
                items.iter().map(|(s, w)| (s.as_str(), *w)).collect();
            let holdings = model.holdings(&items).map_err(|e| e.to_string())?;
            Ok(model.recommend(&holdings, engine, k.get()))
        });
        Some(Ranked {
            rows,
            engine: engine.key(),
            ms: now_ms() - started,
        })
    });
    let ready = format!(
        "Token model {} v{} ({}) loaded in your browser; symbols: ",
        artifact.model.name,
        artifact.model.version,
        kib(artifact.bytes)
    );
    view! {
        <div class="panel" data-testid="token-recommender">
            <h2>"Tokens to consider"</h2>
            {move || {
                let symbols = current(model)
                    .and_then(|m| m.ok())
                    .map(|m| m.symbols.join(" "))
                    .unwrap_or_default();
                status(current(model), "token model", format!("{ready}{symbols}"), "token-model-status")
            }}
            <div class="controls">
                <label>"Holdings "
                    <input type="text" size="40" data-testid="holdings" placeholder="BTC 0.6, ETH 0.4"
                        prop:value=text on:input=move |ev| set_text.set(event_target_value(&ev)) />
                </label>
                <label>"Method "
                    <select data-testid="method" on:change=move |ev| set_method.set(event_target_value(&ev))>
                        {RECOMMEND_METHODS.iter().map(|m| view! { <option value=*m selected=*m == "hybrid">{*m}</option> }).collect_view()}
                    </select>
                </label>
                <label>"How many "
                    <input type="number" min="1" max="50" data-testid="k" prop:value=move || k.get().to_string()
                        on:input=move |ev| {
                            if let Ok(v) = event_target_value(&ev).parse::<usize>() {
                                set_k.set(v.clamp(1, 50));
                            }
                        } />
                </label>
            </div>
            {move || match ranked.get() {
                None => ().into_any(),
                Some(Ranked { rows: Err(e), .. }) => view! { <p class="error" data-testid="holdings-error">{e}</p> }.into_any(),
                Some(Ranked { rows: Ok(rows), engine, ms }) => view! {
                    <p class="muted" data-testid="token-timing" data-engine=engine>
                        {format!("{} suggestions by {engine}, ranked {} in this browser", rows.len(), took(ms))}
                    </p>
                    <ol class="suggestions" data-testid="token-suggestions">
                        {rows.into_iter().map(|s| view! {
                            <li data-testid="token-suggestion" data-symbol=s.symbol.clone() data-score=s.score.to_string()>
                                <a href=format!("/crypto/{}", s.symbol)><strong>{s.symbol.clone()}</strong></a>
                                <span class="muted">{format!(" score {:.3}", s.score)}</span>
                                <ul class="reasons">
                                    {s.reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                                </ul>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any(),
            }}
            <p class="note">
                "Collaborative filtering learns from a "<strong>"simulated"</strong>
                " population of traders drawn from documented archetypes: there is no public data of who holds which tokens. "
                "Content-based similarity uses each token's real price behaviour over its last year."
            </p>
        </div>
    }
}
