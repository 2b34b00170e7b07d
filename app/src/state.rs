//! The one application state (server only): given to axum handlers as state and to server
//! functions as Leptos context.

use axum::extract::FromRef;
use leptos::prelude::*;
use mmi_ingest::SharedProgress;
use mmi_store::SqlitePool;

/// Everything a request may need, cloned cheaply (pools and `Arc`s).
#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: SqlitePool,
    /// Progress of the background import started on first start, if one runs.
    pub import_progress: SharedProgress,
    /// The registry's models, each version loaded once and kept.
    pub predictor: mmi_crypto::serve::Predictor,
    /// The foods and their EDA (per import) and the serving food embedding (per version).
    pub nutrition: mmi_nutrition::serve::NutritionCache,
    /// The serving token recommender (per version).
    pub recommender: mmi_crypto::recommend::serve::Recommender,
    /// The serving sentiment model (per version).
    pub sentiment: mmi_crypto::sentiment::serve::SentimentService,
    /// The serving ingredient parser (per version) and the food matcher (per import).
    pub recipes: mmi_nutrition::recipe::RecipeService,
}

impl AppState {
    /// The import running now, if any.
    pub fn import_now(&self) -> Option<mmi_types::ImportProgress> {
        self.import_progress
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// The state, from a server function's context.
pub fn use_app_state() -> Result<AppState, ServerFnError> {
    use_context::<AppState>().ok_or_else(|| ServerFnError::new("application state missing"))
}

/// Logs a store error and returns one that says what failed without leaking details.
pub fn internal(what: &str, error: impl std::fmt::Display) -> ServerFnError {
    tracing::error!(%error, "{what}");
    ServerFnError::new(format!("{what}: see the server log"))
}

/// A request the caller got wrong: the response (a server-function call, or the page being
/// rendered) gets status 400 and the message says what is wrong.
pub fn bad_request(message: impl Into<String>) -> ServerFnError {
    with_status(axum::http::StatusCode::BAD_REQUEST, message.into())
}

/// Something asked for that does not exist: status 404 with the message.
pub fn not_found(message: impl Into<String>) -> ServerFnError {
    with_status(axum::http::StatusCode::NOT_FOUND, message.into())
}

fn with_status(status: axum::http::StatusCode, message: String) -> ServerFnError {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
    ServerFnError::new(message)
}
