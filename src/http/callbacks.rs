//! `POST /callbacks/{channel_id}`: providers' asynchronous notifications.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::app::App;
use crate::provider::Rejected;
use crate::service::NotifyError;
use crate::storage::StoreError;

pub async fn receive(
    State(app): State<Arc<App>>,
    Path(channel): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match app.notify.handle(&channel, &headers, &body).await {
        Ok(reply) => (
            StatusCode::from_u16(reply.status).unwrap_or(StatusCode::OK),
            [(header::CONTENT_TYPE, reply.content_type)],
            reply.body,
        )
            .into_response(),
        Err(e) => {
            let code = status_of(&e);
            if code == StatusCode::CONFLICT || code.is_server_error() {
                tracing::error!(channel, error = %e, "provider notification not applied");
            } else {
                tracing::warn!(channel, error = %e, "provider notification rejected");
            }
            (code, e.to_string()).into_response()
        }
    }
}

/// The HTTP status for a refused notification. Providers retry anything that is not their
/// acknowledgement, which is what a transient failure wants.
pub fn status_of(e: &NotifyError) -> StatusCode {
    match e {
        NotifyError::UnknownChannel(_) | NotifyError::UnknownPayment => StatusCode::NOT_FOUND,
        NotifyError::Rejected(Rejected::Malformed(_)) | NotifyError::Mismatch(_) => {
            StatusCode::BAD_REQUEST
        }
        NotifyError::Rejected(_) => StatusCode::UNAUTHORIZED,
        NotifyError::Conflict(_) => StatusCode::CONFLICT,
        NotifyError::Store(StoreError::Unavailable(_)) => StatusCode::SERVICE_UNAVAILABLE,
        NotifyError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}
