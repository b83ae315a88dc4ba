//! Outbound webhooks: the dispatcher turns committed events into deliveries, signs them per
//! Standard Webhooks and sends them, retrying on a schedule.
//!
//! Deliveries are claimed with a lease and a token; only the claim holding a delivery's lease
//! records its outcome, and each try (name resolution included) ends well inside the lease, so
//! no delivery is sent by two nodes at once and a node that dies mid-delivery leaves its
//! work to whoever claims it next. Tries run concurrently, up to `webhooks.concurrency` per
//! node and `webhooks.per_endpoint` per endpoint across all nodes: a slow endpoint holds its
//! own slots, never another merchant's. Requests go only to addresses the guard permits
//! (`guard`, `outbound`); what a delivery records of a failure is a stable code, and the
//! detail goes to the log.

pub mod address;
pub mod guard;
pub mod outbound;
pub mod signer;

use crate::metrics::Metrics;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use prost::Message;
use rand::Rng;
use tokio::sync::{Notify, Semaphore, watch};
use tracing::Instrument;

use crate::config::WebhooksConfig;
use crate::domain::{Clock, Merchant, MerchantId, Timestamp};
use crate::proto::{self, v1};
use crate::provider::executor::Request;
use crate::storage::{Delivery, DeliveryStatus, Store, StoredEvent};
use outbound::{Outbound, URL_NOT_ALLOWED};

/// Most deliveries claimed at once.
const BATCH: u32 = 50;

pub struct Dispatcher {
    store: Arc<dyn Store>,
    outbound: Outbound,
    clock: Arc<dyn Clock>,
    config: WebhooksConfig,
    metrics: Arc<Metrics>,
    /// One permit per try this node may have in flight.
    slots: Arc<Semaphore>,
    /// Woken when a try ends: its slot (and its endpoint's) is free for the next claim.
    finished: Notify,
}

/// The JSON body of an event's webhook: its id, type, time and the object.
pub fn body(event: &StoredEvent) -> String {
    let data = if event.event_type.starts_with("refund.") {
        v1::Refund::decode(event.payload.as_slice())
            .map(|r| proto::json::refund(&r))
            .unwrap_or_default()
    } else {
        v1::Payment::decode(event.payload.as_slice())
            .map(|p| proto::json::payment(&p))
            .unwrap_or_default()
    };
    serde_json::json!({
        "id": event.id,
        "type": event.event_type,
        "timestamp": proto::json::rfc3339(event.created_at),
        "data": data,
    })
    .to_string()
}

impl Dispatcher {
    pub fn new(
        store: Arc<dyn Store>,
        outbound: Outbound,
        clock: Arc<dyn Clock>,
        config: WebhooksConfig,
        metrics: Arc<Metrics>,
    ) -> Self {
        Self {
            store,
            outbound,
            clock,
            slots: Arc::new(Semaphore::new(config.concurrency as usize)),
            config,
            metrics,
            finished: Notify::new(),
        }
    }

    /// Runs passes every `poll_ms`, and whenever a try ends, until `stop` turns true.
    pub async fn run(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        let poll = Duration::from_millis(self.config.poll_ms);
        loop {
            self.pass().await;
            tokio::select! {
                _ = tokio::time::sleep(poll) => {}
                _ = self.finished.notified() => {}
                _ = stop.wait_for(|s| *s) => return,
            }
        }
    }

    /// Enqueues new events, claims as many due deliveries as there are free slots and starts
    /// a try for each.
    async fn pass(self: &Arc<Self>) {
        let now = self.clock.now();
        if let Err(e) = self.store.enqueue_deliveries(now, 500).await {
            tracing::warn!(error = %e, "cannot enqueue webhook deliveries");
            return;
        }
        let free = u32::try_from(self.slots.available_permits()).unwrap_or(u32::MAX);
        if free == 0 {
            return;
        }
        // A try is cut at `timeout_ms`; the lease outlasts it with room to record the outcome.
        let lease = Duration::from_millis(self.config.timeout_ms.saturating_mul(2));
        let claim = match self
            .store
            .claim_deliveries(now, lease, self.config.per_endpoint, free.min(BATCH))
            .await
        {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "cannot claim webhook deliveries");
                return;
            }
        };
        // Each merchant is read once per pass, not once per delivery.
        let mut merchants: HashMap<MerchantId, Option<Arc<Merchant>>> = HashMap::new();
        for (delivery, event) in claim.deliveries {
            if !merchants.contains_key(&delivery.merchant_id) {
                let merchant = self
                    .store
                    .merchant(&delivery.merchant_id)
                    .await
                    .ok()
                    .flatten()
                    .map(Arc::new);
                merchants.insert(delivery.merchant_id.clone(), merchant);
            }
            let Some(Some(merchant)) = merchants.get(&delivery.merchant_id).cloned() else {
                continue;
            };
            // Only this loop takes slots, and it claimed no more than were free.
            let Ok(slot) = self.slots.clone().try_acquire_owned() else {
                break;
            };
            let this = self.clone();
            let lease = claim.lease;
            tokio::spawn(async move {
                this.deliver(&merchant, delivery, &event, lease).await;
                drop(slot);
                this.finished.notify_one();
            });
        }
    }

    /// One try at a delivery.
    async fn send(
        &self,
        merchant: &Merchant,
        delivery: &Delivery,
        event: &StoredEvent,
        now: Timestamp,
    ) -> Try {
        let body = body(event);
        let timestamp = now.as_secs();
        let mut signatures = vec![signer::sign(
            merchant.webhook_secret.expose(),
            &event.id,
            timestamp,
            &body,
        )];
        if let Some((previous, until)) = &merchant.previous_webhook_secret
            && *until > now
        {
            signatures.push(signer::sign(previous.expose(), &event.id, timestamp, &body));
        }
        let request = Request {
            method: http::Method::POST,
            url: delivery.url.clone(),
            headers: vec![
                ("content-type", "application/json".into()),
                ("webhook-id", event.id.clone()),
                ("webhook-timestamp", timestamp.to_string()),
                ("webhook-signature", signatures.join(" ")),
            ]
            .into_iter()
            .chain(crate::telemetry::trace_headers())
            .collect(),
            body: body.into_bytes(),
        };
        match self.outbound.send(request).await {
            // Retrying will not make a refused address acceptable.
            Err(f) => Try::Failed {
                status: None,
                gone: f.code == URL_NOT_ALLOWED,
                error: f.code,
                detail: Some(f.detail),
                retry_after: None,
            },
            Ok(r) if (200..300).contains(&r.status) => Try::Delivered(r.status),
            Ok(r) => Try::Failed {
                status: Some(r.status),
                error: format!("HTTP {}", r.status),
                detail: None,
                retry_after: r
                    .headers
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs),
                // 410 Gone: the endpoint is disabled and nothing more is sent to it.
                gone: r.status == 410,
            },
        }
    }

    /// Tries a delivery and records the outcome (delivered, due again later, or failed) if
    /// `lease` still holds it.
    async fn deliver(
        &self,
        merchant: &Merchant,
        mut delivery: Delivery,
        event: &StoredEvent,
        lease: i64,
    ) {
        let now = self.clock.now();
        delivery.attempts += 1;
        delivery.updated_at = now;
        let mut disable = false;
        let span = tracing::info_span!(
            "webhook.deliver",
            merchant = %merchant.id,
            event = %event.id,
            event_type = %event.event_type,
            try_number = delivery.attempts,
            outcome = tracing::field::Empty,
            http.response.status_code = tracing::field::Empty,
        );
        // A delivery belongs to the trace of the work that wrote its event.
        crate::telemetry::continue_traceparent(&span, event.trace_context.as_deref());
        // The whole try, name resolution included, ends well inside the lease.
        let timeout = Duration::from_millis(self.config.timeout_ms);
        let answer = tokio::time::timeout(timeout, self.send(merchant, &delivery, event, now))
            .instrument(span.clone())
            .await
            .unwrap_or_else(|_| Try::Failed {
                status: None,
                error: "TIMED_OUT".into(),
                detail: Some(format!("no answer within {} ms", self.config.timeout_ms)),
                retry_after: None,
                gone: false,
            });
        match answer {
            Try::Delivered(status) => {
                delivery.status = DeliveryStatus::Succeeded;
                delivery.last_status = Some(status);
                delivery.last_error = None;
                delivery.next_attempt_at = None;
            }
            Try::Failed {
                status,
                error,
                detail,
                retry_after,
                gone,
            } => {
                // The merchant sees the code; where it went and why stays in the log.
                if let Some(detail) = detail {
                    tracing::warn!(
                        merchant = %delivery.merchant_id,
                        event = %delivery.event_id,
                        try_number = delivery.attempts,
                        code = %error,
                        detail,
                        "webhook try failed"
                    );
                }
                delivery.last_status = status;
                delivery.last_error = Some(error);
                let jitter = if self.config.jitter > 0.0 {
                    rand::rng().random_range(-self.config.jitter..self.config.jitter)
                } else {
                    0.0
                };
                let next = next_try(
                    &self.config.schedule_ms,
                    delivery.attempts,
                    jitter,
                    retry_after,
                )
                .filter(|_| !gone);
                delivery.status = if next.is_some() {
                    DeliveryStatus::Pending
                } else {
                    DeliveryStatus::Failed
                };
                delivery.next_attempt_at = next.map(|delay| now.saturating_add(delay));
                disable = gone && status == Some(410);
            }
        }
        let outcome = match self.store.finish_delivery(&delivery, lease, disable).await {
            Ok(true) => match delivery.status {
                DeliveryStatus::Succeeded => "delivered",
                DeliveryStatus::Pending => "retry",
                DeliveryStatus::Failed => "failed",
            },
            Ok(false) => {
                tracing::warn!(
                    event = %event.id,
                    "a webhook try outlived its lease; its outcome was not recorded"
                );
                "lease_lost"
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot record a webhook delivery");
                "unrecorded"
            }
        };
        self.metrics.delivery(outcome);
        span.record("outcome", outcome);
        if let Some(status) = delivery.last_status {
            span.record("http.response.status_code", status);
        }
        if disable && outcome == "failed" {
            tracing::warn!(merchant = %delivery.merchant_id, "webhook endpoint answered 410 Gone; disabled");
        }
    }
}

/// The result of one try.
enum Try {
    /// The endpoint answered 2xx (this status).
    Delivered(u16),
    Failed {
        status: Option<u16>,
        /// What the delivery records: a stable code, or `HTTP <status>`.
        error: String,
        /// What only the log gets: addresses, the resolver's and the client's messages.
        detail: Option<String>,
        retry_after: Option<Duration>,
        /// No further try: the endpoint is gone or its address is not allowed.
        gone: bool,
    },
}

/// How long after failed try number `attempts` the next one is due: the schedule's entry,
/// scaled by `1 + jitter`, and never sooner than the endpoint's `retry-after`. `None` when
/// the schedule is used up.
pub fn next_try(
    schedule_ms: &[u64],
    attempts: u32,
    jitter: f64,
    retry_after: Option<Duration>,
) -> Option<Duration> {
    let delay = Duration::from_millis(*schedule_ms.get(attempts as usize)?).mul_f64(1.0 + jitter);
    Some(retry_after.map_or(delay, |r| r.max(delay)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_jitter_and_retry_after_set_the_next_try() {
        let schedule = [0, 5_000, 300_000];
        let s = Duration::from_secs;
        assert_eq!(next_try(&schedule, 1, 0.0, None), Some(s(5)));
        assert_eq!(next_try(&schedule, 2, 0.0, None), Some(s(300)));
        assert_eq!(next_try(&schedule, 3, 0.0, None), None, "used up: failed");
        assert_eq!(
            next_try(&schedule, 1, 0.1, None),
            Some(Duration::from_millis(5_500))
        );
        assert_eq!(
            next_try(&schedule, 1, -0.1, None),
            Some(Duration::from_millis(4_500))
        );
        assert_eq!(
            next_try(&schedule, 1, 0.0, Some(s(60))),
            Some(s(60)),
            "retry-after wins when later"
        );
        assert_eq!(next_try(&schedule, 2, 0.0, Some(s(60))), Some(s(300)));
    }
}
