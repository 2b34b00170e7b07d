//! The HTTP surface: health checks, the REST API and the Leptos routes, with the layers every
//! request goes through (request id, tracing, body limit, JSON errors under `/api`).

mod admin;
mod api;
mod artifacts;
mod error;
mod health;

pub use error::ApiError;

use app::{shell, state::AppState, App};
use axum::{
    middleware,
    routing::{get, post},
    Router,
};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower::ServiceBuilder;
use tower_http::{
    compression::CompressionLayer,
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::{DefaultOnResponse, TraceLayer},
};
use tracing::Level;

/// Builds the whole application router.
pub fn router(state: AppState, config: &std::sync::Arc<crate::config::Config>) -> Router {
    let body_limit_bytes = config.body_limit_bytes;
    let admin = admin::routes(admin::AdminState {
        pool: state.pool.clone(),
        config: config.clone(),
    });
    let routes = generate_route_list(App);
    let context_state = state.clone();
    let shell_options = state.leptos_options.clone();

    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/api/stats", get(api::stats))
        .route("/api/predict", post(api::predict))
        .route("/api/recommend", post(api::recommend))
        .route("/api/analyze-recipe", post(api::analyze_recipe))
        .route("/api/recommend-meal", post(api::recommend_meal))
        .route("/api/meal-plan", get(api::meal_plan))
        .route(
            "/api/sentiment",
            get(api::sentiment).post(api::score_sentiment),
        )
        .route("/artifacts/{sha256}", get(artifacts::get_artifact))
        .merge(admin)
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            move || shell(shell_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(|request: &axum::http::Request<_>| {
                            let request_id = request
                                .headers()
                                .get("x-request-id")
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or("-");
                            tracing::info_span!(
                                "request",
                                method = %request.method(),
                                uri = %request.uri(),
                                request_id,
                            )
                        })
                        // Every response is logged with its status and latency; failures are not logged
                        // twice (our handlers log their 500s, and a 503 from /readyz is expected).
                        .on_response(DefaultOnResponse::new().level(Level::INFO))
                        .on_failure(()),
                )
                .layer(PropagateRequestIdLayer::x_request_id())
                // Pages, JSON answers and artifacts are compressed when the client accepts it
                // (brotli at quality 4, gzip); the bundle's precompressed files already carry a
                // Content-Encoding and pass through. A page's HTML is 5-15x smaller.
                .layer(CompressionLayer::new())
                // Inside the request id and trace layers (so error responses keep their id and
                // are logged) and outside the body limit (so its 413 gets the JSON shape too).
                .layer(middleware::from_fn(error::api_errors_as_json))
                .layer(RequestBodyLimitLayer::new(body_limit_bytes)),
        )
        .with_state(state)
}
