//! Outbound webhooks against an in-process receiver that verifies Standard Webhooks
//! signatures with its own implementation of the spec.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use paycore::proto::v1;
use paycore::proto::v1::notify_service_client::NotifyServiceClient;
use sha2::Sha256;
use tokio::sync::watch;
use tonic::Code;

use crate::support::*;

const FAST: &str =
    "[webhooks]\nallow_private = true\nschedule_ms = [0, 100, 100]\njitter = 0.0\npoll_ms = 50\n";

#[derive(Clone, Debug)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: String,
}

/// A merchant's endpoint: answers from a script (then 200; 0 means "hang for 3 s, then
/// 500") and keeps what it got. While held, requests wait for `release`; it counts how many
/// were in flight at once.
#[derive(Clone)]
pub struct Receiver {
    script: Arc<Mutex<VecDeque<u16>>>,
    got: Arc<Mutex<Vec<Received>>>,
    held: watch::Sender<bool>,
    in_flight: Arc<Mutex<(usize, usize)>>,
}

impl Receiver {
    pub async fn start(script: &[u16]) -> (Self, SocketAddr) {
        Self::start_held(script, false).await
    }

    /// A receiver whose requests wait until `release` if `held`.
    pub async fn start_held(script: &[u16], held: bool) -> (Self, SocketAddr) {
        let r = Self {
            script: Arc::default(),
            got: Arc::default(),
            held: watch::Sender::new(held),
            in_flight: Arc::default(),
        };
        r.script.lock().unwrap().extend(script);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = r.clone();
        let app = axum::Router::new().route(
            "/hooks",
            axum::routing::post(move |headers: HeaderMap, body: String| {
                let state = state.clone();
                async move {
                    state.got.lock().unwrap().push(Received { headers, body });
                    {
                        let mut f = state.in_flight.lock().unwrap();
                        f.0 += 1;
                        f.1 = f.1.max(f.0);
                    }
                    let _ = state.held.subscribe().wait_for(|held| !held).await;
                    state.in_flight.lock().unwrap().0 -= 1;
                    let code = state.script.lock().unwrap().pop_front().unwrap_or(200);
                    if code == 0 {
                        tokio::time::sleep(Duration::from_secs(3)).await;
                        return StatusCode::INTERNAL_SERVER_ERROR;
                    }
                    StatusCode::from_u16(code).unwrap()
                }
            }),
        );
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        (r, addr)
    }

    pub fn got(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// Lets held requests (and all later ones) be answered.
    pub fn release(&self) {
        self.held.send_replace(false);
    }

    /// The most requests that were in flight at once.
    pub fn peak(&self) -> usize {
        self.in_flight.lock().unwrap().1
    }
}

/// Verifies a delivery per the spec: some `v1,` signature of `id.timestamp.body` under the
/// base64-decoded secret, and a timestamp within five minutes.
fn verify(secret: &str, r: &Received) -> bool {
    let header = |n: &str| {
        r.headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (id, ts) = (header("webhook-id"), header("webhook-timestamp"));
    let now = crate::support::unix_now();
    if (now - ts.parse::<i64>().unwrap_or(0)).abs() > 300 {
        return false;
    }
    let key = STANDARD
        .decode(secret.trim_start_matches("whsec_"))
        .unwrap();
    let mut mac = <Hmac<Sha256>>::new_from_slice(&key).unwrap();
    mac.update(format!("{id}.{ts}.{}", r.body).as_bytes());
    let expected = STANDARD.encode(mac.finalize().into_bytes());
    header("webhook-signature")
        .split(' ')
        .any(|s| s.strip_prefix("v1,") == Some(expected.as_str()))
}

pub struct Hooked {
    pub key: String,
    secret: String,
    pub id: paycore::domain::MerchantId,
}

pub async fn hooked_merchant(t: &TestServer, url: String) -> Hooked {
    let created = t
        .server
        .services
        .merchants
        .create("hooked", Some(url))
        .await
        .unwrap();
    Hooked {
        key: created.api_key.expose().clone(),
        secret: created.merchant.webhook_secret.expose().clone(),
        id: created.merchant.id,
    }
}

/// A merchant written to the database as it is, its webhook URL unchecked: one set before
/// URLs were checked when set, or by hand.
async fn stored_merchant(t: &TestServer, url: &str) -> Hooked {
    use paycore::domain::merchant::new_webhook_secret;
    let now = t.server.services.clock.now();
    let merchant = paycore::domain::Merchant {
        id: paycore::domain::MerchantId::generate(now.as_millis()),
        name: "stored".into(),
        webhook_url: Some(url.to_owned()),
        webhook_secret: new_webhook_secret(),
        previous_webhook_secret: None,
        webhook_disabled: false,
        created_at: now,
        client_names: Vec::new(),
    };
    let (stored, key) = paycore::domain::ApiKey::generate(&merchant.id, "", now, None);
    t.server
        .services
        .store
        .create_merchant(&merchant, &stored)
        .await
        .unwrap();
    Hooked {
        key: key.expose().clone(),
        secret: merchant.webhook_secret.expose().clone(),
        id: merchant.id,
    }
}

async fn deliveries(t: &TestServer, key: &str) -> Vec<v1::Delivery> {
    NotifyServiceClient::with_interceptor(t.channel().await, Bearer::for_key(key))
        .list_deliveries(v1::ListDeliveriesRequest::default())
        .await
        .unwrap()
        .into_inner()
        .deliveries
}

/// Waits until the merchant has `n` deliveries, all in `status`, and returns them.
async fn deliveries_all(
    t: &TestServer,
    key: &str,
    n: usize,
    status: v1::DeliveryStatus,
) -> Vec<v1::Delivery> {
    eventually(|| async move {
        let list = deliveries(t, key).await;
        (list.len() == n && list.iter().all(|d| d.status == status as i32)).then_some(list)
    })
    .await
}

#[tokio::test]
async fn events_are_delivered_signed_with_the_object_in_canonical_json() {
    let t = TestServer::start_with(FAST).await;
    let (receiver, addr) = Receiver::start(&[]).await;
    let m = hooked_merchant(&t, format!("http://{addr}/hooks")).await;
    let mut c = t.client_with(&m.key).await;
    let p = create(&mut c, create_request("wh-1", Some("succeed"))).await;

    let got = eventually(|| {
        let r = receiver.clone();
        async move { (r.got().len() >= 2).then(|| r.got()) }
    })
    .await;
    assert!(
        got.iter().all(|r| verify(&m.secret, r)),
        "signatures verify"
    );
    assert!(
        !verify("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &got[0]),
        "and only with the secret"
    );
    // Both events' tries may be in flight at once: they arrive in either order.
    let mut got: Vec<(serde_json::Value, Received)> = got
        .into_iter()
        .map(|r| (serde_json::from_str(&r.body).unwrap(), r))
        .collect();
    got.sort_by_key(|(b, _)| b["type"].as_str().unwrap().to_owned());
    let types: Vec<&str> = got
        .iter()
        .map(|(b, _)| b["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["payment.created", "payment.succeeded"]);
    let (body, received) = &got[1];
    let data = &body["data"];
    assert_eq!(data["id"], p.id);
    assert_eq!(data["status"], "PAYMENT_STATUS_SUCCEEDED");
    assert_eq!(data["amount"]["amountMinor"], "1000");
    assert_eq!(received.headers["webhook-id"], body["id"].as_str().unwrap());
    t.stop().await;
}

#[tokio::test]
async fn failures_are_retried_on_the_schedule_and_410_disables_the_endpoint() {
    let t = TestServer::start_with(FAST).await;
    let (receiver, addr) = Receiver::start(&[500, 503]).await;
    let m = hooked_merchant(&t, format!("http://{addr}/hooks")).await;
    let mut c = t.client_with(&m.key).await;
    create(&mut c, create_request("wh-retry", Some("succeed"))).await;
    let list = deliveries_all(&t, &m.key, 2, v1::DeliveryStatus::Succeeded).await;
    let attempts: i32 = list.iter().map(|d| d.attempts).sum();
    assert_eq!(attempts, 4, "two failures, then both delivered");
    assert_eq!(receiver.got().len(), 4);

    // The endpoint says it is gone: disabled, nothing more is sent.
    receiver.script.lock().unwrap().push_back(410);
    create(&mut c, create_request("wh-gone", None)).await;
    let failed = eventually(|| {
        let t = &t;
        let key = m.key.clone();
        async move {
            let list = deliveries(t, &key).await;
            list.into_iter()
                .find(|d| d.status == v1::DeliveryStatus::Failed as i32)
        }
    })
    .await;
    assert_eq!(failed.last_http_status, 410);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let sent = receiver.got().len();
    create(&mut c, create_request("wh-after-gone", None)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        receiver.got().len(),
        sent,
        "a disabled endpoint gets nothing"
    );

    // Redelivery re-enables it.
    let mut notify =
        NotifyServiceClient::with_interceptor(t.channel().await, Bearer::for_key(&m.key));
    notify
        .redeliver_event(v1::RedeliverEventRequest {
            event_id: failed.event_id.clone(),
        })
        .await
        .unwrap();
    eventually(|| {
        let r = receiver.clone();
        let id = failed.event_id.clone();
        async move {
            r.got()
                .iter()
                .filter(|g| g.headers["webhook-id"] == id.as_str())
                .count()
                .ge(&2)
                .then_some(())
        }
    })
    .await;
    let err = notify
        .redeliver_event(v1::RedeliverEventRequest {
            event_id: "evt_nope".into(),
        })
        .await
        .unwrap_err();
    assert_reason(&err, Code::NotFound, "EVENT_NOT_FOUND");
    t.stop().await;
}

#[tokio::test]
async fn during_a_secret_rotation_both_secrets_verify() {
    let t = TestServer::start_with(FAST).await;
    let (receiver, addr) = Receiver::start(&[]).await;
    let m = hooked_merchant(&t, format!("http://{addr}/hooks")).await;
    let (new_secret, _) = t
        .server
        .services
        .merchants
        .rotate_webhook_secret(&m.id, Duration::from_secs(3600))
        .await
        .unwrap();
    let mut c = t.client_with(&m.key).await;
    create(&mut c, create_request("wh-rotate", None)).await;
    let got = eventually(|| {
        let r = receiver.clone();
        async move { (!r.got().is_empty()).then(|| r.got()[0].clone()) }
    })
    .await;
    assert!(verify(&m.secret, &got), "the old secret still verifies");
    assert!(verify(new_secret.expose(), &got), "the new one does too");
    t.stop().await;
}

#[tokio::test]
async fn internal_addresses_are_refused_when_set_and_when_delivered() {
    // Two tries on the schedule: a refusal is not retried.
    let t = TestServer::start_with("[webhooks]\nschedule_ms = [0, 100]\npoll_ms = 50\n").await;
    let (receiver, addr) = Receiver::start(&[]).await;
    // `localhost` resolves (from /etc/hosts) only to loopback addresses.
    let url = format!("http://localhost:{}/hooks", addr.port());
    let Err(paycore::service::Error::InvalidRequest(v)) = t
        .server
        .services
        .merchants
        .create("refused", Some(url.clone()))
        .await
    else {
        panic!("a URL resolving to loopback is refused when set");
    };
    assert_eq!(v[0].field, "webhook_url");
    assert_eq!(v[0].reason, "WEBHOOK_URL_NOT_ALLOWED");
    assert!(v[0].description.contains("localhost resolves to"), "{v:?}");

    // Stored anyway (before URLs were checked when set): delivery refuses it as it
    // resolves, and the merchant learns no address.
    for url in [url, format!("http://{addr}/hooks")] {
        let m = stored_merchant(&t, &url).await;
        let mut c = t.client_with(&m.key).await;
        create(&mut c, create_request("wh-private", None)).await;
        let list = deliveries_all(&t, &m.key, 2, v1::DeliveryStatus::Failed).await;
        for d in &list {
            assert_eq!(d.last_error, "URL_NOT_ALLOWED", "{url}");
            assert_eq!(d.attempts, 1, "not retried");
            assert_eq!(d.last_http_status, 0);
        }
    }
    assert!(receiver.got().is_empty());
    t.stop().await;
}

#[tokio::test]
async fn a_slow_endpoint_holds_only_its_own_slots() {
    // Tries that could hang for 30 s each: one at a time, the other merchant would wait.
    let t = TestServer::start_with(&format!("{FAST}timeout_ms = 30000\nper_endpoint = 2\n")).await;
    let (slow, slow_addr) = Receiver::start_held(&[], true).await;
    let s = hooked_merchant(&t, format!("http://{slow_addr}/hooks")).await;
    let mut c = t.client_with(&s.key).await;
    for i in 0..3 {
        create(
            &mut c,
            create_request(&format!("wh-slow-{i}"), Some("succeed")),
        )
        .await;
    }
    eventually(|| {
        let slow = slow.clone();
        async move { (slow.peak() == 2).then_some(()) }
    })
    .await;

    let (quick, quick_addr) = Receiver::start(&[]).await;
    let q = hooked_merchant(&t, format!("http://{quick_addr}/hooks")).await;
    let mut c = t.client_with(&q.key).await;
    create(&mut c, create_request("wh-quick", Some("succeed"))).await;
    eventually(|| {
        let quick = quick.clone();
        async move { (quick.got().len() == 2).then_some(()) }
    })
    .await;
    // Many passes later the slow endpoint still has no more than its two.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        slow.got().len(),
        2,
        "nothing beyond the endpoint's cap was sent"
    );
    assert_eq!(slow.peak(), 2);

    slow.release();
    let list = deliveries_all(&t, &s.key, 6, v1::DeliveryStatus::Succeeded).await;
    assert!(list.iter().all(|d| d.attempts == 1), "each sent once");
    assert_eq!(slow.got().len(), 6);
    assert_eq!(slow.peak(), 2, "never more than two at once");
    t.stop().await;
}

#[tokio::test]
async fn a_name_that_does_not_resolve_is_retried_on_the_schedule() {
    let t = TestServer::start_with(
        "[webhooks]\nschedule_ms = [0, 100, 100]\njitter = 0.0\npoll_ms = 50\n",
    )
    .await;
    // `.invalid` never resolves (RFC 6761), so it is refused when set; stored anyway.
    let m = stored_merchant(&t, "http://paycore-hooks.invalid/hooks").await;
    let mut c = t.client_with(&m.key).await;
    create(&mut c, create_request("wh-dns", None)).await;
    let list = deliveries_all(&t, &m.key, 2, v1::DeliveryStatus::Failed).await;
    for d in &list {
        assert_eq!(d.attempts, 3, "every try on the schedule was made");
        assert_eq!(d.last_error, "UNRESOLVABLE", "no resolver message");
    }
    t.stop().await;
}

#[tokio::test]
async fn only_the_lease_holder_records_a_delivery() {
    let t = TestServer::start_with("[webhooks]\nenabled = false\nallow_private = true\n").await;
    let store = &t.server.services.store;
    let m = hooked_merchant(&t, "http://127.0.0.1:9/hooks".into()).await;
    let mut c = t.client_with(&m.key).await;
    create(&mut c, create_request("wh-lease", None)).await;
    let now = t.server.services.clock.now();
    store.enqueue_deliveries(now, 500).await.unwrap();

    // One per endpoint: the second is not claimed while the first is leased.
    let lease = Duration::from_secs(1);
    let first = store.claim_deliveries(now, lease, 1, 50).await.unwrap();
    assert_eq!(first.deliveries.len(), 1);
    let again = store.claim_deliveries(now, lease, 1, 50).await.unwrap();
    assert!(again.deliveries.is_empty(), "the endpoint is at its cap");

    // The lease runs out; another claim takes the same delivery.
    let later = now.saturating_add(Duration::from_secs(2));
    let second = store.claim_deliveries(later, lease, 1, 50).await.unwrap();
    assert_eq!(second.deliveries.len(), 1);
    let (mut d, _) = first.deliveries.into_iter().next().unwrap();
    assert_eq!(d.event_seq, second.deliveries[0].0.event_seq);
    assert_ne!(first.lease, second.lease);

    d.attempts = 1;
    d.status = paycore::storage::DeliveryStatus::Succeeded;
    assert!(
        !store.finish_delivery(&d, first.lease, false).await.unwrap(),
        "the first claim lost its lease: nothing is recorded"
    );
    let list = deliveries(&t, &m.key).await;
    assert!(list.iter().all(|d| d.attempts == 0));
    assert!(
        store
            .finish_delivery(&d, second.lease, false)
            .await
            .unwrap()
    );
    let list = deliveries(&t, &m.key).await;
    assert_eq!(
        list.iter()
            .filter(|d| d.status == v1::DeliveryStatus::Succeeded as i32)
            .count(),
        1
    );

    // Its endpoint's slot is free again: the other delivery is claimed.
    let third = store.claim_deliveries(later, lease, 1, 50).await.unwrap();
    assert_eq!(third.deliveries.len(), 1);
    assert_ne!(third.deliveries[0].0.event_seq, d.event_seq);
    t.stop().await;
}
