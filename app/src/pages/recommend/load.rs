//! Fetching a browser artifact once, decoding it, and the browser's clock.

use std::sync::Arc;

use leptos::prelude::*;

/// A decoded artifact, or why it is not there.
pub type Loaded<T> = LocalResource<Result<Arc<T>, String>>;

/// Fetches the artifact `pick` chooses from what the page's server function returned, once, in
/// the browser, and decodes it; never resolves on the server (the page renders its "loading"
/// state there and scores after hydration).
pub fn load<R, T, E>(
    found: Resource<Result<R, ServerFnError>>,
    pick: fn(&R) -> Option<mmi_types::ArtifactRef>,
    decode: fn(&[u8]) -> Result<T, E>,
) -> Loaded<T>
where
    R: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    T: Send + Sync + 'static,
    E: std::fmt::Display + 'static,
{
    LocalResource::new(move || async move {
        let found = found.await.map_err(|e| e.to_string())?;
        let url = pick(&found).ok_or("no such model trained yet")?.url;
        let bytes = fetch_bytes(&url).await?;
        decode(&bytes)
            .map(Arc::new)
            .map_err(|e| format!("{url}: {e}"))
    })
}

/// The artifact as loaded so far: `None` while loading, and always on the server, which never
/// touches the local resource (reading one there made the suspense around the page wait on a
/// resource that never runs, and the page rendered its fallback). The browser's first render
/// is `None` too, so hydration matches.
pub fn current<T: Send + Sync + 'static>(model: Loaded<T>) -> Option<Result<Arc<T>, String>> {
    #[cfg(feature = "hydrate")]
    {
        model.try_get().flatten()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = model;
        None
    }
}

#[cfg(feature = "hydrate")]
async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let response = gloo_net::http::Request::get(url)
        .send()
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    response.binary().await.map_err(|e| format!("{url}: {e}"))
}

#[cfg(not(feature = "hydrate"))]
async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    Err(format!("{url}: artifacts load in the browser"))
}

/// `performance.now()` in milliseconds (0 outside a browser).
pub fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0.0
    }
}

/// A single ranking's time as the browser's clock can tell it (Chromium rounds
/// `performance.now()` to 0.1 ms without cross-origin isolation).
pub fn took(ms: f64) -> String {
    if ms < 0.1 {
        "in under 0.1 ms".into()
    } else {
        format!("in {ms:.1} ms")
    }
}

pub fn kib(bytes: u64) -> String {
    format!("{:.0} KiB", bytes as f64 / 1024.0)
}

/// The loading / failed / ready line above a recommender.
pub fn status<T>(
    model: Option<Result<Arc<T>, String>>,
    what: &'static str,
    ready: String,
    test_id: &'static str,
) -> AnyView {
    match model {
        None => view! { <p class="muted" data-testid=test_id data-state="loading">{format!("Loading the {what} into your browser…")}</p> }.into_any(),
        Some(Err(e)) => view! { <p class="error" data-testid=test_id data-state="failed">{e}</p> }.into_any(),
        Some(Ok(_)) => view! { <p class="muted" data-testid=test_id data-state="ready">{ready}</p> }.into_any(),
    }
}
