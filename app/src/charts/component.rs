//! The `<EChart>` component: a sized box that the browser fills with an ECharts chart whenever the
//! option changes. The server renders the empty box (charts need JavaScript; every number a chart
//! shows is also in a table or is derived in the browser from data that came with the page).

use leptos::prelude::*;

#[cfg(feature = "hydrate")]
mod bridge {
    use wasm_bindgen::prelude::*;

    // public/charts.js defines `window.mmiCharts`.
    #[wasm_bindgen]
    extern "C" {
        // `catch`: if the scripts did not load, the page keeps working without its charts.
        #[wasm_bindgen(catch, js_namespace = mmiCharts, js_name = draw)]
        pub fn draw(
            el: &web_sys::HtmlElement,
            option_json: &str,
            group: &str,
        ) -> Result<(), JsValue>;
        #[wasm_bindgen(catch, js_namespace = mmiCharts, js_name = dispose)]
        pub fn dispose(el: &web_sys::HtmlElement) -> Result<(), JsValue>;
    }
}

/// A chart box; `option` is an ECharts option as JSON (see [`super::to_json`]), `None` while the
/// data is not there. Charts sharing a `group` zoom together.
#[component]
pub fn EChart(
    #[prop(into)] option: Signal<Option<String>>,
    /// `data-testid` of the box, and its accessible label.
    test_id: &'static str,
    label: &'static str,
    #[prop(default = 320)] height_px: u32,
    #[prop(optional)] group: Option<&'static str>,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    {
        Effect::new(move |_| {
            if let (Some(el), Some(json)) = (node.get(), option.get()) {
                if let Err(e) = bridge::draw(&el, &json, group.unwrap_or("")) {
                    leptos::logging::warn!("chart {test_id} not drawn (charts.js missing?): {e:?}");
                }
            }
        });
        on_cleanup(move || {
            if let Some(el) = node.get_untracked() {
                let _ = bridge::dispose(&el);
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (option, group);
    view! {
        <div
            class="chart"
            node_ref=node
            data-testid=test_id
            role="img"
            aria-label=label
            style=format!("height: {height_px}px")
        ></div>
    }
}
