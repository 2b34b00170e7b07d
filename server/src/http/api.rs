//! REST handlers (`/api/*`). Later issues add `/api/predict`, `/api/recommend`, ... here.

use app::state::AppState;
use axum::{extract::State, Json};
use mmi_types::DbStats;

use super::ApiError;

/// `GET /api/stats`: row counts of every data set, the price date range, and a running import.
pub async fn stats(State(state): State<AppState>) -> Result<Json<DbStats>, ApiError> {
    let mut stats = mmi_store::stats(&state.pool)
        .await
        .map_err(|e| ApiError::internal("reading the database counts", e))?;
    stats.import = state.import_now();
    Ok(Json(stats))
}
