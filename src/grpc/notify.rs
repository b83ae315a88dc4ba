//! NotifyService: provider notifications forwarded by an edge take the same path as
//! `POST /callbacks/{channel_id}`.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use crate::app::App;
use crate::proto::v1;
use crate::service::notify::Notify;

pub struct NotifyApi {
    notify: Arc<Notify>,
}

impl NotifyApi {
    pub fn new(app: &App) -> Self {
        Self {
            notify: app.notify.clone(),
        }
    }
}

#[tonic::async_trait]
impl v1::notify_service_server::NotifyService for NotifyApi {
    async fn handle_provider_notification(
        &self,
        req: Request<v1::HandleProviderNotificationRequest>,
    ) -> Result<Response<v1::HandleProviderNotificationResponse>, Status> {
        let req = req.into_inner();
        let mut headers = http::HeaderMap::new();
        for (name, value) in &req.headers {
            let (Ok(name), Ok(value)) = (
                http::HeaderName::from_bytes(name.as_bytes()),
                http::HeaderValue::from_str(value),
            ) else {
                return Err(Status::from(crate::service::Error::invalid(
                    "headers",
                    "INVALID_HEADER",
                    format!("{name:?} is not a valid HTTP header"),
                )));
            };
            headers.append(name, value);
        }
        let reply = self
            .notify
            .answer(&req.channel_id, &headers, &req.body)
            .await;
        Ok(Response::new(v1::HandleProviderNotificationResponse {
            http_status: i32::from(reply.status),
            content_type: reply.content_type.to_owned(),
            body: reply.body.into_bytes(),
        }))
    }
}
