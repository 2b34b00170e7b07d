//! The browser entry point: hydrates the server-rendered page. Nothing else lives here.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // A marker for browser tests and people: from here on, clicks are handled in the page.
    if let Some(body) = leptos::prelude::document().body() {
        // Setting an attribute on <body> cannot fail in a browser; nothing to do if it did.
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
