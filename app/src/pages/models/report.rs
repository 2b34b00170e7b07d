//! The latest training run's report, which the comparison and cluster pages draw, and what the
//! model pages share: interval text, the baseline verdict badge, the "not trained yet" note.

use leptos::prelude::*;
use mmi_types::{BaselineVerdict, Estimate, ModelReport};

/// The comparison report of the latest finished `server train crypto`, if any.
#[server(prefix = "/sfn", endpoint = "model_report", output = crate::codec::Json)]
pub async fn get_model_report() -> Result<Option<ModelReport>, ServerFnError> {
    use crate::state::{serve_error, services};
    services()?.model_report().await.map_err(serve_error)
}

pub fn estimate_text(e: Option<Estimate>, digits: usize) -> String {
    match e {
        Some(e) => format!(
            "{:.d$} [{:.d$}, {:.d$}]",
            e.value,
            e.low,
            e.high,
            d = digits
        ),
        None => "–".into(),
    }
}

pub fn opt(v: Option<f64>, digits: usize) -> String {
    v.map_or("–".into(), |v| format!("{v:.digits$}"))
}

#[component]
pub fn VerdictBadge(verdict: Option<BaselineVerdict>) -> impl IntoView {
    let (class, text, title) = match verdict {
        Some(BaselineVerdict::Beats) => (
            "badge good",
            "beats",
            "better, and the 95% interval of the difference excludes zero",
        ),
        Some(BaselineVerdict::Inconclusive) => (
            "badge meh",
            "inconclusive",
            "better on the point estimate, but the 95% interval includes zero",
        ),
        Some(BaselineVerdict::DoesNotBeat) => ("badge bad", "does not beat", "equal or worse"),
        None => ("badge", "baseline", "a naive baseline"),
    };
    view! { <span class=class title=title data-testid="verdict">{text}</span> }
}

/// No crypto training yet: what trains it, and (`retry`) the page's data asked for again when
/// the training job ends.
pub fn no_report(retry: Callback<()>) -> AnyView {
    view! {
        <crate::pages::Untrained domain="crypto" retry>
            <p class="empty" data-testid="no-models">
                "No trained models yet. A first start trains them by itself; by hand: "
                <code>"server train crypto"</code>
                " (about ten minutes; "<code>"--quick"</code>" for a smaller run)."
            </p>
        </crate::pages::Untrained>
    }
    .into_any()
}
