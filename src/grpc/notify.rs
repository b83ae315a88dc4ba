//! NotifyService: provider notifications forwarded by an edge take the same path as
//! `POST /callbacks/{channel_id}`.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use prost::Message;

use super::auth::merchant;
use crate::domain::Clock;
use crate::proto::{self, v1};
use crate::service::events::{Delivery, DeliveryStatus, Events, StoredEvent};
use crate::service::notify::Notify;

pub struct NotifyApi {
    notify: Arc<Notify>,
    events: Arc<Events>,
    clock: Arc<dyn Clock>,
}

impl NotifyApi {
    pub fn new(notify: Arc<Notify>, events: Arc<Events>, clock: Arc<dyn Clock>) -> Self {
        Self {
            notify,
            events,
            clock,
        }
    }
}

fn delivery(d: &Delivery) -> v1::Delivery {
    v1::Delivery {
        event_id: d.event_id.clone(),
        url: d.url.clone(),
        status: match d.status {
            DeliveryStatus::Pending => v1::DeliveryStatus::Pending,
            DeliveryStatus::Succeeded => v1::DeliveryStatus::Succeeded,
            DeliveryStatus::Failed => v1::DeliveryStatus::Failed,
        }
        .into(),
        attempts: i32::try_from(d.attempts).unwrap_or(i32::MAX),
        next_attempt_at: d.next_attempt_at.map(proto::timestamp),
        last_http_status: d.last_status.map(i32::from).unwrap_or_default(),
        last_error: d.last_error.clone().unwrap_or_default(),
        created_at: Some(proto::timestamp(d.created_at)),
        updated_at: Some(proto::timestamp(d.updated_at)),
    }
}

/// An outbox event as the API shows it: the payload decoded back into its object.
fn event(e: StoredEvent) -> v1::Event {
    use v1::event::Object;
    let object = if e.event_type.starts_with("refund.") {
        v1::Refund::decode(e.payload.as_slice())
            .ok()
            .map(Object::Refund)
    } else {
        v1::Payment::decode(e.payload.as_slice())
            .ok()
            .map(Object::Payment)
    };
    v1::Event {
        id: e.id,
        r#type: e.event_type,
        created_at: Some(proto::timestamp(e.created_at)),
        cursor: e.seq.to_string(),
        object,
    }
}

#[tonic::async_trait]
impl v1::notify_service_server::NotifyService for NotifyApi {
    type WatchEventsStream = std::pin::Pin<
        Box<dyn tokio_stream::Stream<Item = Result<v1::WatchEventsResponse, Status>> + Send>,
    >;

    async fn list_deliveries(
        &self,
        req: Request<v1::ListDeliveriesRequest>,
    ) -> Result<Response<v1::ListDeliveriesResponse>, Status> {
        let merchant = merchant(&req)?;
        let (list, next_page_token) = self
            .events
            .deliveries(
                &merchant.id,
                req.get_ref().page_size,
                &req.get_ref().page_token,
            )
            .await?;
        Ok(Response::new(v1::ListDeliveriesResponse {
            deliveries: list.iter().map(delivery).collect(),
            next_page_token,
        }))
    }

    async fn redeliver_event(
        &self,
        req: Request<v1::RedeliverEventRequest>,
    ) -> Result<Response<v1::RedeliverEventResponse>, Status> {
        let merchant = merchant(&req)?;
        let d = self
            .events
            .redeliver(&merchant.id, &req.get_ref().event_id, self.clock.now())
            .await?;
        Ok(Response::new(v1::RedeliverEventResponse {
            delivery: Some(delivery(&d)),
        }))
    }

    async fn watch_events(
        &self,
        req: Request<v1::WatchEventsRequest>,
    ) -> Result<Response<Self::WatchEventsStream>, Status> {
        let merchant = merchant(&req)?;
        let req = req.into_inner();
        let rx = self
            .events
            .watch(merchant.id.clone(), &req.cursor, req.types)
            .await?;
        let stream =
            tokio_stream::StreamExt::map(tokio_stream::wrappers::ReceiverStream::new(rx), |item| {
                item.map(|e| v1::WatchEventsResponse {
                    event: Some(event(e)),
                })
                .map_err(Status::from)
            });
        Ok(Response::new(Box::pin(stream)))
    }

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
