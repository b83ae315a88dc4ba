//! Outbound webhooks: the dispatcher turns committed events into deliveries, signs them per
//! Standard Webhooks and sends them, retrying on a schedule.
//!
//! Deliveries are claimed with a lease and a token; only the claim holding a delivery's lease
//! records its outcome, and each try (address check included) ends well inside the lease, so
//! no delivery is sent by two nodes at once and a node that dies mid-delivery leaves its
//! work to whoever claims it next. Tries run concurrently, up to `webhooks.concurrency` per
//! node and `webhooks.per_endpoint` per endpoint across all nodes: a slow endpoint holds its
//! own slots, never another merchant's.

pub mod signer;

use crate::metrics::Metrics;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use prost::Message;
use rand::Rng;
use tokio::sync::{Notify, Semaphore, watch};
use tracing::Instrument;

use crate::config::WebhooksConfig;
use crate::domain::{Clock, Merchant, MerchantId, Timestamp};
use crate::proto::{self, v1};
use crate::provider::executor::{Executor, Request};
use crate::storage::{Delivery, DeliveryStatus, Store, StoredEvent};

/// Most deliveries claimed at once.
const BATCH: u32 = 50;

pub struct Dispatcher {
    store: Arc<dyn Store>,
    executor: Executor,
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

/// Whether an address is one a webhook must not reach unless allowed (loopback, private,
/// link-local, unspecified): paycore must not be turned against its own network.
fn internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
        }
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4| internal(IpAddr::V4(v4)))
        }
    }
}

impl Dispatcher {
    pub fn new(
        store: Arc<dyn Store>,
        executor: Executor,
        clock: Arc<dyn Clock>,
        config: WebhooksConfig,
        metrics: Arc<Metrics>,
    ) -> Self {
        Self {
            store,
            executor,
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

    /// Whether a webhook may go to `url`: every address it resolves to must be external
    /// (unless `allow_private`). A name that does not resolve now may later: that is a
    /// failed try, not a refusal.
    async fn check_address(&self, url: &str) -> Result<(), Try> {
        if self.config.allow_private {
            return Ok(());
        }
        let refused = || {
            // Retrying will not make the address acceptable.
            Try::failed(
                None,
                "URL_NOT_ALLOWED: the webhook URL resolves to an internal address",
                true,
            )
        };
        let Ok(parsed) = reqwest::Url::parse(url) else {
            return Err(refused());
        };
        let (Some(host), Some(port)) = (parsed.host_str(), parsed.port_or_known_default()) else {
            return Err(refused());
        };
        match tokio::net::lookup_host(format!("{host}:{port}")).await {
            Ok(addrs) => {
                let addrs: Vec<_> = addrs.collect();
                if !addrs.is_empty() && addrs.iter().all(|a| !internal(a.ip())) {
                    Ok(())
                } else {
                    Err(refused())
                }
            }
            Err(e) => Err(Try::failed(
                None,
                format!("UNRESOLVABLE: cannot resolve {host}: {e}"),
                false,
            )),
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
        if let Err(refused) = self.check_address(&delivery.url).await {
            return refused;
        }
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
        match self.executor.send(request).await {
            Err(f) => Try::failed(None, f.message, false),
            Ok(r) if (200..300).contains(&r.status) => Try::Delivered(r.status),
            Ok(r) => Try::Failed {
                status: Some(r.status),
                error: format!("HTTP {}", r.status),
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
        // The whole try, the address check included, ends well inside the lease.
        let timeout = Duration::from_millis(self.config.timeout_ms);
        let answer = tokio::time::timeout(timeout, self.send(merchant, &delivery, event, now))
            .instrument(span.clone())
            .await
            .unwrap_or_else(|_| Try::failed(None, "timed out", false));
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
                retry_after,
                gone,
            } => {
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
        error: String,
        retry_after: Option<Duration>,
        /// No further try: the endpoint is gone or its address is not allowed.
        gone: bool,
    },
}

impl Try {
    fn failed(status: Option<u16>, error: impl Into<String>, gone: bool) -> Self {
        Self::Failed {
            status,
            error: error.into(),
            retry_after: None,
            gone,
        }
    }
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

    #[test]
    fn internal_addresses_are_recognised() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.16.5.4",
            "169.254.1.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(internal(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:2800:220:1::1"] {
            assert!(!internal(ip.parse().unwrap()), "{ip}");
        }
    }
}
