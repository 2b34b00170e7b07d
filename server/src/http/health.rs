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
    // Warm: the published snapshot holds data (one built before the first-start import ended
    // does not count), so the first requests after ready find what they read built.
    let warm = state
        .services
        .current()
        .is_some_and(|s| !s.data.stats.is_empty());
    let snapshot = state.services.info();
    let ready = database && data_present && !import_running && warm;
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
