//! The one application state (server only): given to axum handlers as state and to server
//! functions as Leptos context, and the server functions' one mapping of service errors.

use axum::extract::FromRef;
use leptos::prelude::*;
use mmi_ingest::SharedProgress;
use mmi_serve::{ServeError, Services};
use mmi_store::Pool;

/// Everything a request may need, cloned cheaply (pools and `Arc`s).
#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: Pool,
    /// Progress of the background import started on first start, if one runs.
    pub import_progress: SharedProgress,
    /// The request-time services and the snapshot they answer from.
    pub services: Services,
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

/// The services, from a server function's context.
pub fn services() -> Result<Services, ServerFnError> {
    use_app_state().map(|s| s.services)
}

/// A service error as a server function's: the same status as the REST API gives it and its
/// message; an internal error is logged and its detail not sent. While a page is rendered, the
/// page takes the status too (a 404 for an unknown token), except "not ready": the page itself
/// is there and says what to run.
pub fn serve_error(e: ServeError) -> ServerFnError {
    let body = e.body();
    let rendering_page = use_context::<axum::http::request::Parts>()
        .is_some_and(|parts| !parts.uri.path().starts_with("/sfn/"));
    let keep_page_status = rendering_page && matches!(e, ServeError::NotReady(_));
    if let Some(response) =
        use_context::<leptos_axum::ResponseOptions>().filter(|_| !keep_page_status)
    {
        if let Ok(status) = axum::http::StatusCode::from_u16(body.error.code.status()) {
            response.set_status(status);
        }
    }
    ServerFnError::new(body.error.message)
}
