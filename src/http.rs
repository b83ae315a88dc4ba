//! The HTTP edge: health, provider callbacks, and the sandbox buyer pages.

mod callbacks;
mod sandbox;

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};

use crate::service::notify::Notify;
use crate::service::status::Status;

/// Largest callback body accepted; provider notifications are a few KiB.
const MAX_BODY: usize = 64 * 1024;

/// The services the HTTP port uses.
#[derive(Clone)]
pub struct Edge {
    pub notify: Arc<Notify>,
    pub status: Arc<Status>,
}

pub fn router(edge: Edge) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
        .route("/callbacks/{channel_id}", post(callbacks::receive))
        .route("/sandbox/checkout/{payment_id}", get(sandbox::checkout))
        .route("/sandbox/pay/{payment_id}", post(sandbox::pay))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        .with_state(edge)
}

/// `crate::metrics` in the OpenMetrics text format (Prometheus scrapes it).
async fn metrics(State(edge): State<Edge>) -> impl axum::response::IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        edge.status.metrics_text().await,
    )
}

/// Ready when the database answers and has every migration this build needs.
async fn ready(State(edge): State<Edge>) -> (StatusCode, String) {
    match edge.status.ready().await {
        Ok(()) => (StatusCode::OK, "ready".into()),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
    }
}
