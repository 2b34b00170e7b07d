//! The admin API: `POST /api/admin/jobs` queues an import or a training, `GET /api/admin/jobs`
//! lists the jobs. Both need `Authorization: Bearer <ADMIN_TOKEN>` (401 without it, 403 with
//! another token); without `ADMIN_TOKEN` the admin API is off (404). The token is compared in
//! constant time (on SHA-256 digests, so its length does not show either) and never logged.

use std::sync::Arc;

use axum::{
    extract::State,
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use mmi_store::Pool;
use mmi_types::{ErrorCode, JobList, JobQueued, JobRequest};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::api::ApiJson;
use super::ApiError;
use crate::config::Config;
use crate::import::Source;
use crate::jobs::{InvalidJob, JobSpec};

/// What the admin handlers need.
#[derive(Clone)]
pub struct AdminState {
    pub pool: Pool,
    pub config: Arc<Config>,
}

/// The admin routes, with their own state (any outer state type).
pub fn routes<S: Clone + Send + Sync + 'static>(state: AdminState) -> Router<S> {
    Router::new()
        .route("/api/admin/jobs", get(list_jobs).post(queue_job))
        .with_state(state)
}

/// Checks the bearer token against `ADMIN_TOKEN`.
fn authorize(config: &Config, headers: &HeaderMap) -> Result<(), Box<Response>> {
    let Some(expected) = config.admin_token.as_deref().filter(|t| !t.is_empty()) else {
        return Err(Box::new(
            ApiError::new(
                ErrorCode::NotFound,
                "the admin API is off: set ADMIN_TOKEN to turn it on",
                None,
            )
            .into_response(),
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let Some(given) = given else {
        let mut response = ApiError::new(
            ErrorCode::Unauthorized,
            "the admin API needs Authorization: Bearer <ADMIN_TOKEN>",
            None,
        )
        .into_response();
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer"),
        );
        return Err(Box::new(response));
    };
    let same: bool = Sha256::digest(given.as_bytes())
        .ct_eq(&Sha256::digest(expected.as_bytes()))
        .into();
    if same {
        Ok(())
    } else {
        Err(Box::new(
            ApiError::new(
                ErrorCode::Forbidden,
                "this token does not grant admin access",
                None,
            )
            .into_response(),
        ))
    }
}

async fn list_jobs(State(state): State<AdminState>, headers: HeaderMap) -> Response {
    if let Err(refused) = authorize(&state.config, &headers) {
        return *refused;
    }
    match mmi_store::jobs::list(&state.pool, 100).await {
        Ok(jobs) => Json(JobList { jobs }).into_response(),
        Err(e) => ApiError::internal("listing the jobs", e).into_response(),
    }
}

async fn queue_job(
    State(state): State<AdminState>,
    headers: HeaderMap,
    request: Result<ApiJson<JobRequest>, ApiError>,
) -> Response {
    // Authorization first: an unauthorised client learns nothing about the body's shape.
    if let Err(refused) = authorize(&state.config, &headers) {
        return *refused;
    }
    let ApiJson(request) = match request {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let invalid = |e: InvalidJob| {
        ApiError::new(ErrorCode::ValidationFailed, e.message, Some(e.field)).into_response()
    };
    let spec = match JobSpec::parse(&request.kind, request.domain.as_deref(), request.quick) {
        Ok(spec) => spec,
        Err(e) => return invalid(e),
    };
    if let JobSpec::Import { live } = spec {
        match Source::from_config(&state.config, live) {
            Ok(Some(_)) => {}
            Ok(None) => {
                return invalid(InvalidJob {
                    field: "domain",
                    message: "no data source is configured for this import: set DATA_DIR, or LIVE_IMPORT and the API keys".into(),
                })
            }
            Err(e) => return ApiError::internal("configuring the import", e).into_response(),
        }
    }
    let queued = async {
        let (id, created) = spec.enqueue(&state.pool, "api").await?;
        let job = mmi_store::jobs::get(&state.pool, id).await?;
        anyhow::Ok((job, created))
    };
    match queued.await {
        Ok((Some(job), created)) => {
            tracing::info!(id = job.id, kind = %job.kind, domain = %job.domain, created, "job queued through the admin API");
            (StatusCode::ACCEPTED, Json(JobQueued { job, created })).into_response()
        }
        Ok((None, _)) => ApiError::internal("queueing the job", "the job vanished").into_response(),
        Err(e) => ApiError::internal("queueing the job", format!("{e:#}")).into_response(),
    }
}
