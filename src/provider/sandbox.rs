//! The sandbox provider: a provider that lives in-process, so every flow can run end to end
//! with no network and no real money. The outcome of each payment is chosen by its metadata
//! `sandbox_outcome`; its notifications are signed (HMAC-SHA256 over `timestamp.body`, like
//! Stripe's) and go through the same verification path as real providers' callbacks.
//!
//! Its orders live in memory, like the remote state of a real provider. An order it does not
//! hold (after a restart, or placed through another node) is recalled from paycore's own
//! record of the payment (`orders::Order::recalled`), so checkout links and refunds keep
//! working across restarts and nodes.

mod orders;
mod setup;
mod statement;

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use hmac::{Hmac, Mac};
use http::HeaderMap;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::registry;
use super::{
    ChannelFailure, FailureKind, Notification, OrderState, Placed, Provider, RefundState, Rejected,
    Reply,
};
use crate::domain::{
    AttemptId, Clock, Currency, Day, Method, Money, NextAction, Payment, PaymentId, Refund, Secret,
    Timestamp,
};
use orders::{Order, OrderStatus, Outcome};

/// The metadata key that chooses a sandbox payment's outcome.
pub const OUTCOME_KEY: &str = "sandbox_outcome";
/// The metadata key that delays a sandbox answer by that many milliseconds (at most
/// `MAX_DELAY_MS`), to rehearse slow channels.
pub const DELAY_KEY: &str = "sandbox_delay_ms";
/// Metadata key: how the sandbox's statement lists the order (`omit`, `wrong_amount`,
/// `duplicate`, `next_day`; anything else: as it is), for reconciliation rehearsals.
pub const STATEMENT_KEY: &str = "sandbox_statement";
const MAX_DELAY_MS: u64 = 60_000;
/// The header carrying a sandbox notification's signature: `t=<unix secs>,v1=<hex hmac>`.
pub const SIGNATURE_HEADER: &str = "paycore-sandbox-signature";
/// How far a notification's timestamp may be from now.
const TOLERANCE_SECS: u64 = 300;

/// How an injected fault fails a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FaultMode {
    /// Certainly not processed.
    #[default]
    Unavailable,
    /// Taken, but the answer is lost.
    Timeout,
    /// Refused as a business decision.
    Decline,
}

/// Faults an operator injects into a sandbox channel to rehearse an outage.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Faults {
    /// Share of calls that fail, 0–1.
    pub failure_rate: f64,
    /// Added to every call.
    pub added_latency: std::time::Duration,
    pub mode: FaultMode,
    /// How long they last once set; in a channel's view, the time left. `None`: until
    /// changed.
    pub duration: Option<std::time::Duration>,
}

/// A sandbox notification's body.
#[derive(Debug, Serialize, Deserialize)]
struct NotificationBody {
    #[serde(rename = "type")]
    kind: String,
    order_id: String,
    transaction_id: String,
    amount_minor: i64,
    currency: String,
    paid_at: i64,
}

/// A signed notification, ready to be posted to `/callbacks/{channel}`.
#[derive(Debug, Clone)]
pub struct SignedNotification {
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// Why the simulated buyer could not pay.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuyerError {
    #[error("the sandbox never got this order")]
    UnknownOrder,
    #[error("the order is closed")]
    Closed,
}

/// One sandbox channel.
pub struct Sandbox {
    secret: Secret<Vec<u8>>,
    public_url: String,
    clock: Arc<dyn Clock>,
    orders: Mutex<HashMap<PaymentId, Order>>,
    /// The injected faults, and when they end.
    faults: Mutex<(Faults, Option<Timestamp>)>,
}

impl Sandbox {
    /// `public_url` is where buyers reach paycore's HTTP port (for checkout links).
    pub fn new(secret: Secret<Vec<u8>>, public_url: String, clock: Arc<dyn Clock>) -> Self {
        Self {
            secret,
            public_url,
            clock,
            orders: Mutex::new(HashMap::new()),
            faults: Mutex::new((Faults::default(), None)),
        }
    }

    /// The faults in force now: none once their duration has passed.
    pub fn faults(&self) -> Faults {
        let now = self.clock.now();
        match *self.faults.lock().unwrap_or_else(PoisonError::into_inner) {
            (_, Some(until)) if until <= now => Faults::default(),
            (faults, until) => Faults {
                duration: until.map(|t| t.since(now)),
                ..faults
            },
        }
    }

    /// Replaces the faults; all zero clears them.
    pub fn set_faults(&self, faults: Faults) {
        let until = faults.duration.map(|d| self.clock.now().saturating_add(d));
        *self.faults.lock().unwrap_or_else(PoisonError::into_inner) = (faults, until);
    }

    fn orders(&self) -> std::sync::MutexGuard<'_, HashMap<PaymentId, Order>> {
        // The map holds plain data, so a panic elsewhere cannot leave it inconsistent.
        self.orders.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn checkout_url(&self, payment: &PaymentId) -> String {
        format!("{}/sandbox/checkout/{payment}", self.public_url)
    }

    /// The simulated buyer pays the order: returns the signed notification the sandbox sends.
    /// Paying an order that is already paid sends its notification again, as providers do.
    pub fn pay(&self, payment: &Payment) -> Result<SignedNotification, BuyerError> {
        let now = self.clock.now();
        let mut orders = self.orders();
        let order = recall(&mut orders, payment).ok_or(BuyerError::UnknownOrder)?;
        let payment = &payment.id;
        let (transaction_id, paid_at) = match &order.status {
            OrderStatus::Closed => return Err(BuyerError::Closed),
            OrderStatus::Paid {
                transaction_id,
                paid_at,
            } => (transaction_id.clone(), *paid_at),
            OrderStatus::AwaitingBuyer => {
                let txn = transaction_id(payment);
                order.status = OrderStatus::Paid {
                    transaction_id: txn.clone(),
                    paid_at: now,
                };
                (txn, now)
            }
        };
        let body = NotificationBody {
            kind: "payment.paid".into(),
            order_id: payment.to_string(),
            transaction_id,
            amount_minor: order.amount.amount_minor,
            currency: order.amount.currency.code().into(),
            paid_at: paid_at.as_micros(),
        };
        let body = serde_json::to_vec(&body).unwrap_or_default();
        let mut headers = HeaderMap::new();
        let value = sign(self.secret.expose(), now.as_secs(), &body);
        if let Ok(value) = value.parse() {
            headers.insert(SIGNATURE_HEADER, value);
        }
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json"),
        );
        Ok(SignedNotification { headers, body })
    }
}

/// The order of `payment`, recalled from paycore's record when the sandbox does not hold it.
fn recall<'a>(
    orders: &'a mut HashMap<PaymentId, Order>,
    payment: &Payment,
) -> Option<&'a mut Order> {
    match orders.entry(payment.id.clone()) {
        Entry::Occupied(e) => Some(e.into_mut()),
        Entry::Vacant(e) => Order::recalled(payment).map(|o| e.insert(o)),
    }
}

fn transaction_id(payment: &PaymentId) -> String {
    format!("sbx_{}", &payment.as_str()[PaymentId::PREFIX.len()..])
}

/// The signature header value for `body` sent at `unix_secs`.
pub fn sign(secret: &[u8], unix_secs: i64, body: &[u8]) -> String {
    format!(
        "t={unix_secs},v1={}",
        hex::encode(mac(secret, unix_secs, body))
    )
}

fn mac(secret: &[u8], unix_secs: i64, body: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so new_from_slice cannot fail here.
    let mut mac = <Hmac<Sha256>>::new_from_slice(secret).unwrap_or_else(|_| unreachable!());
    mac.update(unix_secs.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().to_vec()
}

fn parse_signature(value: &str) -> Option<(i64, Vec<u8>)> {
    let mut t = None;
    let mut v1 = None;
    for part in value.split(',') {
        match part.split_once('=') {
            Some(("t", ts)) => t = ts.parse().ok(),
            Some(("v1", sig)) => v1 = hex::decode(sig).ok(),
            _ => {}
        }
    }
    Some((t?, v1?))
}

fn next_action(method: Method, url: String, payment: &PaymentId) -> NextAction {
    let params = || {
        BTreeMap::from([
            ("checkout_url".to_owned(), url.clone()),
            ("order_id".to_owned(), payment.to_string()),
        ])
    };
    match method {
        Method::QrCode => NextAction::QrCode(url.clone()),
        Method::WebPage | Method::H5 | Method::Card => NextAction::Redirect(url.clone()),
        Method::App => NextAction::App(params()),
        Method::Jsapi => NextAction::Jsapi(params()),
    }
}

#[async_trait]
impl Provider for Sandbox {
    fn provider_name(&self) -> &'static str {
        <Self as registry::Setup>::NAME
    }

    // Every method the sandbox can show a buyer; cards need a card provider.
    fn supported_methods(&self) -> &'static [Method] {
        &[
            Method::QrCode,
            Method::WebPage,
            Method::App,
            Method::Jsapi,
            Method::H5,
        ]
    }

    async fn create(&self, payment: &Payment, _: &AttemptId) -> Result<Placed, ChannelFailure> {
        if let Some(ms) = payment.metadata.get(DELAY_KEY) {
            let ms = ms
                .parse::<u64>()
                .ok()
                .filter(|ms| *ms <= MAX_DELAY_MS)
                .ok_or_else(|| {
                    ChannelFailure::new(
                        FailureKind::Declined,
                        "SANDBOX_INVALID_DELAY",
                        format!(
                            "{DELAY_KEY} must be a number of milliseconds up to {MAX_DELAY_MS}"
                        ),
                    )
                })?;
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        }
        let faults = self.faults();
        if !faults.added_latency.is_zero() {
            tokio::time::sleep(faults.added_latency).await;
        }
        let injected = (faults.failure_rate > 0.0
            && rand::Rng::random_bool(&mut rand::rng(), faults.failure_rate.min(1.0)))
        .then_some(match faults.mode {
            FaultMode::Unavailable => Outcome::Unavailable,
            FaultMode::Timeout => Outcome::Timeout,
            FaultMode::Decline => Outcome::Decline,
        });
        let requested = payment.metadata.get(OUTCOME_KEY).map(String::as_str);
        let outcome = match (injected, requested) {
            (Some(fault), _) => fault,
            (None, None) => Outcome::Pending,
            (None, Some(s)) => Outcome::parse(s).ok_or_else(|| {
                ChannelFailure::new(
                    FailureKind::Declined,
                    "SANDBOX_UNKNOWN_OUTCOME",
                    format!(
                        "{OUTCOME_KEY} must be one of pending, succeed, decline, unavailable, \
                         timeout, lost, pay_after_close; got {s:?}"
                    ),
                )
            })?,
        };
        let now = self.clock.now();
        let paid = || OrderStatus::Paid {
            transaction_id: transaction_id(&payment.id),
            paid_at: now,
        };
        let status = match outcome {
            Outcome::Pending | Outcome::PayAfterClose => OrderStatus::AwaitingBuyer,
            Outcome::Succeed | Outcome::Timeout => paid(),
            Outcome::Decline => {
                return Err(ChannelFailure::new(
                    FailureKind::Declined,
                    "SANDBOX_DECLINED",
                    "the sandbox declined the payment",
                ));
            }
            Outcome::Unavailable => {
                return Err(ChannelFailure::new(
                    FailureKind::NotProcessed,
                    "SANDBOX_UNAVAILABLE",
                    "the sandbox refused the connection",
                ));
            }
            Outcome::Lost => {
                return Err(ChannelFailure::new(
                    FailureKind::Ambiguous,
                    "SANDBOX_REQUEST_LOST",
                    "the request to the sandbox was lost on its way",
                ));
            }
        };
        self.orders().insert(
            payment.id.clone(),
            Order {
                amount: payment.amount,
                status: status.clone(),
                refunds: Vec::new(),
                close_misses: outcome == Outcome::PayAfterClose,
                listing: orders::Listing::of(payment),
            },
        );
        match (outcome, status) {
            (Outcome::Timeout, _) => Err(ChannelFailure::new(
                FailureKind::Ambiguous,
                "SANDBOX_TIMEOUT",
                "the sandbox took the order but its answer was lost",
            )),
            (
                _,
                OrderStatus::Paid {
                    transaction_id,
                    paid_at,
                },
            ) => Ok(Placed::Paid {
                transaction_id,
                paid_at,
            }),
            _ => Ok(Placed::AwaitingBuyer {
                action: next_action(payment.method, self.checkout_url(&payment.id), &payment.id),
                reference: None,
            }),
        }
    }

    async fn query(&self, payment: &Payment) -> Result<OrderState, ChannelFailure> {
        Ok(
            match recall(&mut self.orders(), payment).map(|o| &o.status) {
                None => OrderState::NotFound,
                Some(OrderStatus::AwaitingBuyer) => OrderState::AwaitingBuyer,
                Some(OrderStatus::Closed) => OrderState::Closed,
                Some(OrderStatus::Paid {
                    transaction_id,
                    paid_at,
                }) => OrderState::Paid {
                    transaction_id: transaction_id.clone(),
                    paid_at: *paid_at,
                },
            },
        )
    }

    async fn close(&self, payment: &Payment) -> Result<OrderState, ChannelFailure> {
        let mut orders = self.orders();
        let Some(order) = recall(&mut orders, payment) else {
            // Nothing to close: the buyer cannot pay an order the sandbox does not have.
            return Ok(OrderState::Closed);
        };
        Ok(match &order.status {
            OrderStatus::Paid {
                transaction_id,
                paid_at,
            } => OrderState::Paid {
                transaction_id: transaction_id.clone(),
                paid_at: *paid_at,
            },
            OrderStatus::AwaitingBuyer if order.close_misses => OrderState::Closed,
            OrderStatus::AwaitingBuyer | OrderStatus::Closed => {
                order.status = OrderStatus::Closed;
                OrderState::Closed
            }
        })
    }

    async fn refund(
        &self,
        payment: &Payment,
        refund: &Refund,
    ) -> Result<RefundState, ChannelFailure> {
        let mut orders = self.orders();
        let order = recall(&mut orders, payment).ok_or_else(|| {
            ChannelFailure::new(
                FailureKind::NotProcessed,
                "SANDBOX_UNKNOWN_ORDER",
                "the sandbox never got this order",
            )
        })?;
        let provider_refund_id = Some(format!("sbx_{}", refund.id));
        // The same refund number twice refunds once, as providers do.
        if order
            .refunds
            .iter()
            .any(|(id, ..)| id == refund.id.as_str())
        {
            return Ok(RefundState::Succeeded { provider_refund_id });
        }
        let refunded: i64 = order.refunds.iter().map(|(_, a, _)| a).sum();
        if !matches!(order.status, OrderStatus::Paid { .. }) {
            return Err(ChannelFailure::new(
                FailureKind::Declined,
                "SANDBOX_NOT_PAID",
                "the order is not paid",
            ));
        }
        if refunded + refund.amount.amount_minor > order.amount.amount_minor {
            return Err(ChannelFailure::new(
                FailureKind::Declined,
                "SANDBOX_REFUND_EXCEEDS",
                "the refund exceeds what is left of the order",
            ));
        }
        order.refunds.push((
            refund.id.to_string(),
            refund.amount.amount_minor,
            self.clock.now(),
        ));
        Ok(RefundState::Succeeded { provider_refund_id })
    }

    async fn query_refund(
        &self,
        payment: &Payment,
        refund: &Refund,
    ) -> Result<RefundState, ChannelFailure> {
        let taken = recall(&mut self.orders(), payment)
            .is_some_and(|o| o.refunds.iter().any(|(id, ..)| id == refund.id.as_str()));
        Ok(if taken {
            RefundState::Succeeded {
                provider_refund_id: Some(format!("sbx_{}", refund.id)),
            }
        } else {
            RefundState::NotFound
        })
    }

    fn verify_notification(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        now: Timestamp,
    ) -> Result<Notification, Rejected> {
        let header = headers
            .get(SIGNATURE_HEADER)
            .and_then(|v| v.to_str().ok())
            .ok_or(Rejected::MissingSignature)?;
        let (t, signature) = parse_signature(header).ok_or(Rejected::MissingSignature)?;
        let mut mac = <Hmac<Sha256>>::new_from_slice(self.secret.expose())
            .map_err(|_| Rejected::BadSignature)?;
        mac.update(t.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        // verify_slice compares in constant time.
        mac.verify_slice(&signature)
            .map_err(|_| Rejected::BadSignature)?;
        if now.as_secs().abs_diff(t) > TOLERANCE_SECS {
            return Err(Rejected::Stale);
        }
        let body: NotificationBody =
            serde_json::from_slice(body).map_err(|e| Rejected::Malformed(e.to_string()))?;
        if body.kind != "payment.paid" {
            return Err(Rejected::Malformed(format!("unknown type {:?}", body.kind)));
        }
        let currency = Currency::parse(&body.currency)
            .ok_or_else(|| Rejected::Malformed(format!("currency {:?}", body.currency)))?;
        Ok(Notification::Paid {
            payment_id: body
                .order_id
                .parse()
                .map_err(|_| Rejected::Malformed("order_id".into()))?,
            transaction_id: body.transaction_id,
            amount: Money::new(body.amount_minor, currency),
            paid_at: Timestamp::from_micros(body.paid_at),
        })
    }

    /// The orders this sandbox holds that were paid or refunded on the UTC `day`, as
    /// WeChat Pay writes a trade bill, read back with WeChat Pay's parser.
    async fn statement(
        &self,
        day: Day,
    ) -> Result<Box<dyn super::StatementReader>, super::StatementError> {
        let (bill, sha1) = statement::write(self.orders().iter(), statement::window(day))?;
        Ok(Box::new(super::statement::Parsed(
            super::wechatpay::statement::parse_tradebill(bill, Some(sha1)),
        )))
    }

    fn acknowledgement(&self) -> Reply {
        Reply {
            status: 200,
            content_type: "text/plain",
            body: "success".into(),
        }
    }

    fn as_sandbox(&self) -> Option<&Sandbox> {
        Some(self)
    }
}

#[cfg(test)]
mod tests;
