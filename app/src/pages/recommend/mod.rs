//! The recommenders: `/recommend` ranks tokens and foods in the browser (WASM, on the quantized
//! artifacts fetched once by content hash, no server round trip per keystroke), and
//! `/recommend/results` shows how every method did on held-out data beside popularity.

mod bench;
mod foods;
pub(crate) mod load;
mod results;
mod tokens;

use leptos::prelude::*;
use mmi_types::{BrowserArtifacts, RecommenderReport};

pub use results::RecommendResultsPage;

/// Where the serving browser artifacts are (content-hash URLs).
#[server(prefix = "/sfn", endpoint = "browser_artifacts", output = crate::codec::Json)]
pub async fn get_browser_artifacts() -> Result<BrowserArtifacts, ServerFnError> {
    use crate::state::{serve_error, services};
    services()?.browser_artifacts().await.map_err(serve_error)
}

/// The latest `server train recommend` report, if any.
#[server(prefix = "/sfn", endpoint = "recommender_report", output = crate::codec::Json)]
pub async fn get_recommender_report() -> Result<Option<RecommenderReport>, ServerFnError> {
    use crate::state::{serve_error, services};
    services()?.recommender_report().await.map_err(serve_error)
}

/// No recommender yet; with `retry`, followed live (see [`crate::pages::Untrained`]).
pub fn not_trained(retry: Option<Callback<()>>) -> AnyView {
    let note = || {
        view! {
            <p class="empty" data-testid="no-recommender">
                "No recommender trained yet. A first start trains it by itself; by hand: "
                <code>"server train recommend"</code>
                " (after "<code>"server train nutrition"</code>" for the food suggestions)."
            </p>
        }
    };
    match retry {
        Some(retry) => view! {
            <crate::pages::Untrained domain="recommend" retry>
                {note()}
            </crate::pages::Untrained>
        }
        .into_any(),
        None => note().into_any(),
    }
}

fn artifacts_view(
    a: BrowserArtifacts,
    tokens: load::Loaded<mmi_rank::tokens::TokenModel>,
    foods: load::Loaded<mmi_rank::foods::FoodBundle>,
) -> AnyView {
    if a.tokens.is_none() && a.foods.is_none() {
        return not_trained(None);
    }
    let (has_tokens, has_foods) = (a.tokens.is_some(), a.foods.is_some());
    view! {
        {a.tokens.map(|artifact| view! { <tokens::TokenSuggestions artifact model=tokens /> })}
        {a.foods.map(|artifact| view! { <foods::FoodSuggestions artifact model=foods /> })}
        {(!has_foods).then(|| view! {
            <p class="note" data-testid="no-food-model">"No food suggestions yet: run "<code>"server train nutrition"</code>" then "<code>"server train recommend"</code>"."</p>
        })}
        <bench::Benchmark tokens=has_tokens.then_some(tokens) foods=has_foods.then_some(foods) />
    }
    .into_any()
}

#[component]
pub fn RecommendPage() -> impl IntoView {
    use mmi_rank::foods::FoodBundle;
    use mmi_rank::tokens::TokenModel;
    let artifacts = Resource::new(|| (), |_| get_browser_artifacts());
    // Owned by the page (not by the suspense below), fetched once in the browser.
    let tokens = load::load(artifacts, |a| a.tokens.clone(), TokenModel::from_bytes);
    let foods = load::load(artifacts, |a| a.foods.clone(), FoodBundle::from_bytes);
    view! {
        <section class="page recommend">
            <h1>"Recommendations"</h1>
            <p class="lede">
                "Suggestions are ranked "<strong>"in your browser"</strong>
                ", in WebAssembly, from compact int8 models fetched once by content hash: every
                keystroke re-ranks without asking the server, and the page keeps working offline
                once loaded. The server's "<code>"POST /api/recommend"</code>
                " runs the same Rust code on the same bytes. "
                <a href="/recommend/results">"How each method scores on held-out data →"</a>
            </p>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match artifacts.await {
                        Ok(a) => artifacts_view(a, tokens, foods),
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
