//! Liveness and readiness.

use app::state::AppState;
use axum::{extract::State, http::StatusCode, Json};
use mmi_types::Readiness;

/// Alive: the process answers. No dependencies checked.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Ready: the database answers, data has been imported, no import is running and the serving
/// snapshot of that data is built (so the first requests find it warm); 503 otherwise.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let database = mmi_store::ping(&state.pool).await;
    let data_present = database && mmi_store::has_data(&state.pool).await.unwrap_or(false);
    let import_running = state.import_now().is_some();
    let snapshot = state.services.info();
    let ready = database && data_present && !import_running && snapshot.is_some();
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(Readiness {
            ready,
            database,
            data_present,
            import_running,
            snapshot,
        }),
    )
}
