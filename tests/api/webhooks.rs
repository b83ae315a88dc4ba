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
/// 500") and keeps what it got.
#[derive(Clone, Default)]
pub struct Receiver {
    script: Arc<Mutex<VecDeque<u16>>>,
    got: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    pub async fn start(script: &[u16]) -> (Self, SocketAddr) {
        let r = Self::default();
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
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
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
        .app
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

async fn deliveries(t: &TestServer, key: &str) -> Vec<v1::Delivery> {
    NotifyServiceClient::with_interceptor(t.channel().await, Bearer::for_key(key))
        .list_deliveries(v1::ListDeliveriesRequest::default())
        .await
        .unwrap()
        .into_inner()
        .deliveries
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
    let bodies: Vec<serde_json::Value> = got
        .iter()
        .map(|r| serde_json::from_str(&r.body).unwrap())
        .collect();
    let types: Vec<&str> = bodies.iter().map(|b| b["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["payment.created", "payment.succeeded"]);
    let data = &bodies[1]["data"];
    assert_eq!(data["id"], p.id);
    assert_eq!(data["status"], "PAYMENT_STATUS_SUCCEEDED");
    assert_eq!(data["amount"]["amountMinor"], "1000");
    assert_eq!(
        got[1].headers["webhook-id"],
        bodies[1]["id"].as_str().unwrap()
    );
    t.stop().await;
}

#[tokio::test]
async fn failures_are_retried_on_the_schedule_and_410_disables_the_endpoint() {
    let t = TestServer::start_with(FAST).await;
    let (receiver, addr) = Receiver::start(&[500, 503]).await;
    let m = hooked_merchant(&t, format!("http://{addr}/hooks")).await;
    let mut c = t.client_with(&m.key).await;
    create(&mut c, create_request("wh-retry", Some("succeed"))).await;
    let list = eventually(|| {
        let t = &t;
        let key = m.key.clone();
        async move {
            let list = deliveries(t, &key).await;
            (list.len() == 2
                && list
                    .iter()
                    .all(|d| d.status == v1::DeliveryStatus::Succeeded as i32))
            .then_some(list)
        }
    })
    .await;
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
        .app
        .merchants
        .rotate_webhook_secret(&m.id, Duration::from_secs(3600))
        .await
        .unwrap()
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
async fn internal_addresses_are_refused_unless_allowed() {
    let t = TestServer::start_with("[webhooks]\nschedule_ms = [0]\npoll_ms = 50\n").await;
    let (receiver, addr) = Receiver::start(&[]).await;
    let m = hooked_merchant(&t, format!("http://{addr}/hooks")).await;
    let mut c = t.client_with(&m.key).await;
    create(&mut c, create_request("wh-private", None)).await;
    let list = eventually(|| {
        let t = &t;
        let key = m.key.clone();
        async move {
            let list = deliveries(t, &key).await;
            (list.len() == 2
                && list
                    .iter()
                    .all(|d| d.status == v1::DeliveryStatus::Failed as i32))
            .then_some(list)
        }
    })
    .await;
    assert!(list[0].last_error.starts_with("URL_NOT_ALLOWED"));
    assert!(receiver.got().is_empty());
    t.stop().await;
}
