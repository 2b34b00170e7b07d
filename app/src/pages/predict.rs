//! The next-day prediction panel of the token page, over the same service as `POST /api/predict`.

use leptos::prelude::*;
use mmi_types::{Direction, Prediction};

use crate::format::usd;

/// The next day of `symbol` from the registered models (`model`: a name, or the serving ones).
#[server(prefix = "/sfn", endpoint = "predict", output = crate::codec::Json)]
pub async fn predict_next_day(
    symbol: String,
    model: Option<String>,
) -> Result<Prediction, ServerFnError> {
    use crate::state::{serve_error, services};
    services()?
        .predict(&symbol, model.as_deref())
        .await
        .map_err(serve_error)
}

/// The model names offered (the serving versions first, as the empty choice).
const MODELS: [(&str, &str); 8] = [
    ("", "serving models"),
    ("logistic", "logistic (+ serving return model)"),
    ("decision_tree", "decision tree (+ serving return model)"),
    ("random_forest", "random forest"),
    ("svm", "SVM (+ serving return model)"),
    ("linear", "linear (+ serving direction model)"),
    ("ridge", "ridge (+ serving direction model)"),
    ("lasso", "lasso (+ serving direction model)"),
];

#[component]
pub fn PredictionPanel(symbol: String) -> impl IntoView {
    let (model, set_model) = signal(String::new());
    let prediction = Resource::new(
        move || (symbol.clone(), model.get()),
        |(s, m)| predict_next_day(s, Some(m)),
    );
    view! {
        <div class="prediction" data-testid="prediction">
            <h2>"Next day"</h2>
            <label>
                "Model: "
                <select data-testid="prediction-model" on:change=move |ev| set_model.set(event_target_value(&ev))>
                    {MODELS
                        .iter()
                        .map(|(value, label)| view! { <option value=*value>{*label}</option> })
                        .collect_view()}
                </select>
            </label>
            <Transition fallback=|| view! { <p class="loading">"Predicting…"</p> }>
                {move || Suspend::new(async move {
                    match prediction.await {
                        Ok(p) => view! { <PredictionView p /> }.into_any(),
                        Err(e) => view! {
                            <p class="empty" data-testid="prediction-error">{e.to_string().trim_start_matches("error running server function: ").to_string()}</p>
                        }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn PredictionView(p: Prediction) -> impl IntoView {
    let (arrow, class) = match p.direction {
        Direction::Up => ("▲ up", "pos"),
        Direction::Down => ("▼ down", "neg"),
    };
    view! {
        <dl class="prediction-facts">
            <dt>"Direction"</dt>
            <dd class=class data-testid="prediction-direction">{format!("{arrow} · P(up) {:.3}", p.probability_up)}</dd>
            <dt>"Predicted close"</dt>
            <dd data-testid="prediction-close">{format!("{} ({:+.2}%)", usd(p.predicted_close), p.predicted_return * 100.0)}</dd>
            <dt>"Baseline (tomorrow = today)"</dt>
            <dd>{usd(p.baseline.predicted_close)}</dd>
            <dt>"From the close of"</dt>
            <dd>{p.as_of.clone()}</dd>
            <dt>"Models"</dt>
            <dd data-testid="prediction-models">
                {format!("direction: {} v{} · return: {} v{}", p.components.direction.name, p.components.direction.version, p.components.return_model.name, p.components.return_model.version)}
            </dd>
        </dl>
        <p class="note">"Next-day direction is close to a coin flip for every model here: see "<a href="/crypto/models">"the comparison"</a>" before trusting it."</p>
    }
}
