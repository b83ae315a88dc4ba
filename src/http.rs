//! The HTTP edge: health, provider callbacks, and the sandbox buyer pages.

mod callbacks;
mod sandbox;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};

use crate::app::App;

/// Largest callback body accepted; provider notifications are a few KiB.
const MAX_BODY: usize = 64 * 1024;

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
        .route("/callbacks/{channel_id}", post(callbacks::receive))
        .route("/sandbox/checkout/{payment_id}", get(sandbox::checkout))
        .route("/sandbox/pay/{payment_id}", post(sandbox::pay))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        .with_state(app)
}

/// `crate::metrics` in the OpenMetrics text format (Prometheus scrapes it).
async fn metrics(State(app): State<Arc<App>>) -> impl axum::response::IntoResponse {
    let backlog = match app.store.delivery_backlog().await {
        Ok((pending, oldest)) => Some(crate::metrics::Backlog {
            pending,
            oldest: oldest.map(|t| {
                Duration::from_micros(
                    u64::try_from(app.clock.now().as_micros() - t.as_micros()).unwrap_or(0),
                )
            }),
        }),
        Err(e) => {
            tracing::warn!(error = %e, "metrics without the webhook backlog");
            None
        }
    };
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        app.metrics.render(&app.router, backlog),
    )
}

/// Ready when the database answers and has every migration this build needs.
async fn ready(State(app): State<Arc<App>>) -> (StatusCode, &'static str) {
    match app.store.migrations_applied().await {
        Ok(true) => (StatusCode::OK, "ready"),
        Ok(false) => {
            tracing::warn!("not ready: the database lacks migrations this build needs");
            (StatusCode::SERVICE_UNAVAILABLE, "migrations not applied")
        }
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
