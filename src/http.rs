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
        .layer(axum::middleware::from_fn(declared_size))
        .with_state(edge)
}

/// A request that declares a body over `MAX_BODY` is answered 413 before any of it is read,
/// and its connection closed: whatever follows on it is that body.
async fn declared_size(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let declared = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            [(axum::http::header::CONNECTION, "close")],
            "body too large\n",
        )
            .into_response();
    }
    next.run(request).await
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
