//! The page for unknown paths (HTTP 404 when rendered on the server).

use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(axum::http::StatusCode::NOT_FOUND);
        }
    }
    view! {
        <section>
            <h1>"Page not found"</h1>
            <p>
                <a href="/">"Back to the dashboard"</a>
            </p>
        </section>
    }
}
