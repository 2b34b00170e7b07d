//! The latest training run's report, which the comparison and cluster pages draw, and what the
//! model pages share: interval text, the baseline verdict badge, the "not trained yet" note.

use leptos::prelude::*;
use mmi_types::{BaselineVerdict, Estimate, ModelReport};

/// The comparison report of the latest finished `server train crypto`, if any.
#[server(prefix = "/sfn", endpoint = "model_report")]
pub async fn get_model_report() -> Result<Option<ModelReport>, ServerFnError> {
    use mmi_crypto::train::{EXPERIMENT, PARENT_RUN, REPORT_ARTIFACT};
    latest_report(
        EXPERIMENT,
        PARENT_RUN,
        REPORT_ARTIFACT,
        "reading the model report",
    )
    .await
}

/// The JSON report artifact of the latest finished parent run named `parent` in `experiment`.
#[cfg(feature = "ssr")]
pub async fn latest_report<T: serde::de::DeserializeOwned>(
    experiment: &str,
    parent: &str,
    artifact: &str,
    what: &str,
) -> Result<Option<T>, ServerFnError> {
    let state = crate::state::use_app_state()?;
    let found = mmi_store::tracking::latest_run_artifact(&state.pool, experiment, parent, artifact)
        .await
        .map_err(|e| crate::state::internal(what, e))?;
    match found {
        Some((_, bytes)) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| crate::state::internal(what, e)),
        None => Ok(None),
    }
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

pub fn no_report() -> AnyView {
    view! {
        <p class="empty" data-testid="no-models">
            "No trained models yet. Train them with "<code>"server train crypto"</code>
            " (about ten minutes; "<code>"--quick"</code>" for a smaller run), then reload."
        </p>
    }
    .into_any()
}
