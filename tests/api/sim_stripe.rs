//! A loopback Stripe API for tests, written from the protocol description: PaymentIntents
//! created and confirmed with test payment methods, idempotency keys that replay the first
//! answer, search by metadata, cancel, 3-D Secure completion, signed webhooks, and the
//! balance transactions of the charges and refunds it made (listed by creation time, newest
//! first, in pages, with their sources expanded on request). It is an account with automatic
//! payment methods on (the default since API 2023-08-16): a confirm that could pick a
//! redirect-based method needs a `return_url`, and it speaks one pinned API version, refusing
//! requests that do not name it.

// tests/postgres.rs includes this file by path: an explicit path resolves from both.
#[path = "sim_stripe/balance.rs"]
mod balance;

pub use balance::PageFault;

use crate::support::unix_now;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

pub const SECRET_KEY: &str = "sk_test_paycore_simulator";
pub const WEBHOOK_SECRET: &str = "whsec_paycore_simulator_secret";
/// The API version the simulator's answers are shaped by.
pub const API_VERSION: &str = "2024-06-20";

#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Normal,
    /// Answer every call with this status and error type.
    Error(u16, &'static str),
    /// Create the PaymentIntent, then never answer.
    HangAfterCreate,
}

struct Inner {
    refunds: HashMap<String, Value>,
    /// The status new refunds get (`succeeded` or `pending`).
    refund_status: &'static str,
    intents: HashMap<String, Value>,
    /// Idempotency key → (request body, answer).
    replies: HashMap<String, (Vec<u8>, (u16, Value))>,
    mode: Mode,
    keys: Vec<String>,
    /// Every call, as "METHOD /path".
    calls: Vec<String>,
    /// How long a PaymentIntent read takes to answer.
    read_delay: Duration,
    webhook_url: String,
    /// Charge id → charge, made when an intent succeeds.
    charges: HashMap<String, Value>,
    payouts: HashMap<String, Value>,
    /// Balance transactions (`source` an id), each with the id a test knows it by: the
    /// PaymentIntent's, the refund's or the payout's.
    balance: Vec<(String, Value)>,
    /// Most items a list page gives, whatever `limit` asks.
    page_size: usize,
    page_fault: PageFault,
    /// The query of every balance transaction list request, decoded.
    listings: Vec<Vec<(String, String)>>,
}

#[derive(Clone)]
pub struct StripeSim {
    pub addr: SocketAddr,
    inner: Arc<Mutex<Inner>>,
}

fn error(status: u16, kind: &str, code: &str, message: &str) -> (u16, Value) {
    (
        status,
        json!({"error": {"type": kind, "code": code, "message": message}}),
    )
}

/// `Stripe-Signature` for `body` at `t` with `secret`.
pub fn signature(secret: &str, t: i64, body: &str) -> String {
    let mut mac = <Hmac<Sha256>>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

impl StripeSim {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let sim = Self {
            addr: listener.local_addr().unwrap(),
            inner: Arc::new(Mutex::new(Inner {
                refunds: HashMap::new(),
                refund_status: "succeeded",
                intents: HashMap::new(),
                replies: HashMap::new(),
                mode: Mode::Normal,
                keys: Vec::new(),
                calls: Vec::new(),
                read_delay: Duration::ZERO,
                webhook_url: String::new(),
                charges: HashMap::new(),
                payouts: HashMap::new(),
                balance: Vec::new(),
                page_size: 100,
                page_fault: PageFault::None,
                listings: Vec::new(),
            })),
        };
        let app = axum::Router::new().fallback(handle).with_state(sim.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        sim
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn set_mode(&self, mode: Mode) {
        self.inner.lock().unwrap().mode = mode;
    }

    /// Where webhooks go (the endpoint configured in the Stripe dashboard).
    pub fn set_webhook_url(&self, url: String) {
        self.inner.lock().unwrap().webhook_url = url;
    }

    pub fn set_refund_status(&self, status: &'static str) {
        self.inner.lock().unwrap().refund_status = status;
    }

    /// Sets a refund's status (the bank finished it).
    pub fn settle_refund(&self, id: &str, status: &str) {
        self.inner
            .lock()
            .unwrap()
            .refunds
            .get_mut(id)
            .expect("refund")["status"] = json!(status);
    }

    pub fn refunds(&self) -> Vec<Value> {
        self.inner
            .lock()
            .unwrap()
            .refunds
            .values()
            .cloned()
            .collect()
    }

    /// Makes every PaymentIntent read take `delay` to answer.
    pub fn set_read_delay(&self, delay: Duration) {
        self.inner.lock().unwrap().read_delay = delay;
    }

    /// Every call so far, as "METHOD /path".
    pub fn calls(&self) -> Vec<String> {
        self.inner.lock().unwrap().calls.clone()
    }

    /// Idempotency keys seen, in order.
    pub fn keys(&self) -> Vec<String> {
        self.inner.lock().unwrap().keys.clone()
    }

    pub fn intent(&self, id: &str) -> Option<Value> {
        self.inner.lock().unwrap().intents.get(id).cloned()
    }

    pub fn set_status(&self, id: &str, status: &str) -> Value {
        let mut inner = self.inner.lock().unwrap();
        let intent = inner.intents.get_mut(id).expect("intent");
        intent["status"] = json!(status);
        if status == "succeeded" {
            intent["amount_received"] = intent["amount"].clone();
            intent["next_action"] = Value::Null;
        }
        let intent = intent.clone();
        if status == "succeeded" {
            inner.charge(&intent);
        }
        intent
    }

    /// The webhook event body for an intent.
    pub fn event(&self, kind: &str, intent: &Value) -> String {
        json!({"id": format!("evt_{}", unix_now()), "object": "event", "type": kind, "created": unix_now(),
               "data": {"object": intent}})
        .to_string()
    }

    /// Sends a webhook with these signature headers.
    pub async fn deliver(&self, header: &str, body: &str) -> (u16, String) {
        let url = self.inner.lock().unwrap().webhook_url.clone();
        let rest = url.strip_prefix("http://").unwrap();
        let (host, path) = rest.split_once('/').unwrap();
        crate::support::http(
            host.parse().unwrap(),
            "POST",
            &format!("/{path}"),
            &[
                ("stripe-signature", header),
                ("content-type", "application/json"),
            ],
            body.as_bytes(),
        )
        .await
    }

    /// A refund reaches `status` and Stripe sends `refund.updated` with the refund object.
    pub async fn notify_refund(&self, id: &str, status: &str) -> (u16, String) {
        self.settle_refund(id, status);
        let refund = self.inner.lock().unwrap().refunds[id].clone();
        let body = self.event("refund.updated", &refund);
        self.deliver(&signature(WEBHOOK_SECRET, unix_now(), &body), &body)
            .await
    }

    /// The buyer completes 3-D Secure (or the bank settles): succeeded, and the webhook sent.
    pub async fn succeed(&self, id: &str) -> (u16, String) {
        let intent = self.set_status(id, "succeeded");
        let body = self.event("payment_intent.succeeded", &intent);
        self.deliver(&signature(WEBHOOK_SECRET, unix_now(), &body), &body)
            .await
    }

    fn create(&self, inner: &mut Inner, form: &HashMap<String, String>) -> (u16, Value) {
        let card_only = form.get("payment_method_types[]").map(String::as_str) == Some("card")
            || form.get("payment_method_types[0]").map(String::as_str) == Some("card");
        let no_redirects = form
            .get("automatic_payment_methods[allow_redirects]")
            .map(String::as_str)
            == Some("never");
        if form.get("confirm").map(String::as_str) == Some("true")
            && !form.contains_key("return_url")
            && !card_only
            && !no_redirects
        {
            return error(
                400,
                "invalid_request_error",
                "parameter_missing",
                "A `return_url` must be specified because this Payment Intent is configured to \
                 automatically accept the payment methods enabled in the Dashboard, some of \
                 which may require a full page redirect to succeed.",
            );
        }
        let Some(pm) = form.get("payment_method") else {
            return error(
                400,
                "invalid_request_error",
                "parameter_missing",
                "Missing payment_method",
            );
        };
        let id = format!("pi_{:024}", inner.intents.len() + 1);
        let amount: i64 = form.get("amount").and_then(|a| a.parse().ok()).unwrap_or(0);
        let mut intent = json!({
            "id": id, "object": "payment_intent", "amount": amount, "amount_received": 0,
            "currency": form.get("currency").cloned().unwrap_or_default(),
            "created": unix_now(), "status": "requires_confirmation", "next_action": null,
            "last_payment_error": null,
            "metadata": {"paycore_payment_id": form.get("metadata[paycore_payment_id]").cloned().unwrap_or_default()},
        });
        let answer = match pm.as_str() {
            "pm_card_visa" => {
                intent["status"] = json!("succeeded");
                intent["amount_received"] = json!(amount);
                inner.charge(&intent);
                (200, intent.clone())
            }
            "pm_card_threeDSecure2Required" => {
                intent["status"] = json!("requires_action");
                intent["next_action"] = json!({"type": "redirect_to_url",
                    "redirect_to_url": {"url": format!("http://{}/3ds/{id}", self.addr), "return_url": form.get("return_url")}});
                (200, intent.clone())
            }
            "pm_processing" => {
                intent["status"] = json!("processing");
                (200, intent.clone())
            }
            "pm_card_chargeDeclined" => {
                intent["status"] = json!("requires_payment_method");
                intent["last_payment_error"] = json!({"type": "card_error", "code": "card_declined",
                    "decline_code": "generic_decline", "message": "Your card was declined."});
                (
                    402,
                    json!({"error": {"type": "card_error", "code": "card_declined", "decline_code": "generic_decline",
                    "message": "Your card was declined.", "payment_intent": intent.clone()}}),
                )
            }
            _ => {
                return error(
                    400,
                    "invalid_request_error",
                    "resource_missing",
                    "No such PaymentMethod",
                );
            }
        };
        inner.intents.insert(id, intent);
        answer
    }
}

async fn handle(
    State(sim): State<StripeSim>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let reply = |(status, value): (u16, Value)| {
        (StatusCode::from_u16(status).unwrap(), value.to_string()).into_response()
    };
    if headers.get("authorization").and_then(|v| v.to_str().ok())
        != Some(&format!("Bearer {SECRET_KEY}"))
    {
        return reply(error(
            401,
            "invalid_request_error",
            "",
            "Invalid API Key provided",
        ));
    }
    // Without a version the account's default would apply, which this simulator does not
    // model: such a request is refused, so an unpinned adapter cannot pass.
    if headers.get("stripe-version").and_then(|v| v.to_str().ok()) != Some(API_VERSION) {
        return reply(error(
            400,
            "invalid_request_error",
            "api_version_unsupported",
            "this simulator answers only requests pinned with Stripe-Version",
        ));
    }
    let mode = {
        let mut inner = sim.inner.lock().unwrap();
        inner.calls.push(format!("{method} {}", uri.path()));
        inner.mode.clone()
    };
    if let Mode::Error(status, kind) = mode {
        return reply(error(status, kind, "simulated", "simulated failure"));
    }
    let form: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    let path = uri.path();
    if method == Method::POST && path == "/v1/payment_intents" {
        let key = headers
            .get("idempotency-key")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let answer = {
            let mut inner = sim.inner.lock().unwrap();
            if let Some(key) = &key {
                inner.keys.push(key.clone());
                if let Some((sent, answer)) = inner.replies.get(key) {
                    return if *sent == body.to_vec() {
                        reply(answer.clone())
                    } else {
                        reply(error(
                            400,
                            "idempotency_error",
                            "",
                            "Keys for idempotent requests can only be used with the same parameters",
                        ))
                    };
                }
            }
            let answer = sim.create(&mut inner, &form);
            if let Some(key) = key {
                inner.replies.insert(key, (body.to_vec(), answer.clone()));
            }
            answer
        };
        if mode == Mode::HangAfterCreate {
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
        return reply(answer);
    }
    if method == Method::POST && path == "/v1/refunds" {
        let key = headers
            .get("idempotency-key")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let mut inner = sim.inner.lock().unwrap();
        inner.keys.extend(key.clone());
        if let Some((_, answer)) = key.as_ref().and_then(|k| inner.replies.get(k)) {
            return reply(answer.clone());
        }
        let intent_id = form.get("payment_intent").cloned().unwrap_or_default();
        let Some(intent) = inner.intents.get(&intent_id) else {
            return reply(error(
                400,
                "invalid_request_error",
                "resource_missing",
                "No such payment_intent",
            ));
        };
        if intent["status"] != "succeeded" {
            return reply(error(
                400,
                "invalid_request_error",
                "charge_not_refundable",
                "not paid",
            ));
        }
        let id = format!("re_{:024}", inner.refunds.len() + 1);
        let refund = json!({"id": id, "object": "refund", "payment_intent": intent_id,
            "amount": form.get("amount").and_then(|a| a.parse::<i64>().ok()), "currency": intent["currency"].clone(),
            "status": inner.refund_status,
            "metadata": {"paycore_refund_id": form.get("metadata[paycore_refund_id]")}});
        inner.refunds.insert(id.clone(), refund.clone());
        // Stripe does not return its fee on a refund.
        let amount = refund["amount"].as_i64().unwrap_or(0);
        inner.add_transaction(&id, "refund", -amount, 0, &refund["currency"], &id);
        if let Some(key) = key {
            inner
                .replies
                .insert(key, (body.to_vec(), (200, refund.clone())));
        }
        return reply((200, refund));
    }
    if method == Method::GET && path == "/v1/balance_transactions" {
        return balance::balance_transactions(&sim, uri.query().unwrap_or_default());
    }
    if method == Method::GET && path == "/v1/refunds" {
        let query: HashMap<String, String> =
            form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
                .into_owned()
                .collect();
        let intent = query.get("payment_intent").cloned().unwrap_or_default();
        let inner = sim.inner.lock().unwrap();
        let data: Vec<Value> = inner
            .refunds
            .values()
            .filter(|r| r["payment_intent"] == intent.as_str())
            .cloned()
            .collect();
        return reply((200, json!({"object": "list", "data": data})));
    }
    if let Some(id) = path.strip_prefix("/v1/refunds/") {
        let found = sim.inner.lock().unwrap().refunds.get(id).cloned();
        return match found {
            Some(r) => reply((200, r)),
            None => reply(error(
                404,
                "invalid_request_error",
                "resource_missing",
                "No such refund",
            )),
        };
    }
    if method == Method::GET && path == "/v1/payment_intents/search" {
        let query: HashMap<String, String> =
            form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
                .into_owned()
                .collect();
        let wanted = query
            .get("query")
            .and_then(|q| q.strip_prefix("metadata['paycore_payment_id']:'"))
            .and_then(|q| q.strip_suffix('\''))
            .unwrap_or_default()
            .to_owned();
        let inner = sim.inner.lock().unwrap();
        let data: Vec<Value> = inner
            .intents
            .values()
            .filter(|i| i["metadata"]["paycore_payment_id"] == wanted.as_str())
            .cloned()
            .collect();
        return reply((200, json!({"object": "search_result", "data": data})));
    }
    if let Some(rest) = path.strip_prefix("/v1/payment_intents/") {
        let (id, action) = rest.split_once('/').unwrap_or((rest, ""));
        let Some(intent) = sim.intent(id) else {
            return reply(error(
                404,
                "invalid_request_error",
                "resource_missing",
                "No such payment_intent",
            ));
        };
        return match (method.as_str(), action) {
            ("GET", "") => {
                let delay = sim.inner.lock().unwrap().read_delay;
                tokio::time::sleep(delay).await;
                reply((200, intent))
            }
            ("POST", "cancel") => {
                if matches!(intent["status"].as_str(), Some("succeeded" | "canceled")) {
                    reply(error(
                        400,
                        "invalid_request_error",
                        "payment_intent_unexpected_state",
                        "cannot cancel",
                    ))
                } else {
                    reply((200, sim.set_status(id, "canceled")))
                }
            }
            _ => reply(error(
                404,
                "invalid_request_error",
                "",
                "Unrecognized request URL",
            )),
        };
    }
    reply(error(
        404,
        "invalid_request_error",
        "",
        "Unrecognized request URL",
    ))
}
