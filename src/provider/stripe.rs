//! Stripe PaymentIntents for CARD payments: create-and-confirm with an `Idempotency-Key`
//! derived from the attempt, 3-D Secure as a redirect, retrieval, cancel, webhooks verified
//! by `Stripe-Signature`, and the day's balance transactions as its statement.

mod setup;
mod statement;

use std::sync::Arc;

use async_trait::async_trait;
use hmac::{Hmac, Mac};
use http::HeaderMap;
use serde_json::Value;
use sha2::Sha256;

use super::executor::{Executor, Request};
use super::registry;
use super::{
    ChannelFailure, FailureKind, Notification, OrderState, Placed, Provider, RefundState, Rejected,
    Reply, StatementError, StatementReader,
};
use crate::domain::{
    AttemptId, Clock, Currency, Day, Failure, Method, Money, NextAction, Payment, Refund, Secret,
    Timestamp,
};

/// How far a webhook's timestamp may be from now.
const TOLERANCE_SECS: u64 = 300;
/// The API version every request is pinned to, so the account's default (which an account
/// owner can move) never changes what an answer means.
pub const API_VERSION: &str = "2024-06-20";
/// The metadata key that ties a PaymentIntent to its payment.
pub const PAYMENT_ID_KEY: &str = "paycore_payment_id";
/// The metadata key that ties a Stripe refund to paycore's.
pub const REFUND_ID_KEY: &str = "paycore_refund_id";

/// How Stripe's error answers are treated: (HTTP status, error type or "" for any) → kind.
/// First match wins; anything not listed is ambiguous.
const ERRORS: &[(u16, &str, FailureKind)] = &[
    // The card was declined: Stripe's decision about this payment.
    (402, "", FailureKind::Declined),
    // Rejected before anything was created: bad parameters, keys or permissions, or rate
    // limited.
    (400, "", FailureKind::NotProcessed),
    (401, "", FailureKind::NotProcessed),
    (403, "", FailureKind::NotProcessed),
    (404, "", FailureKind::NotProcessed),
    (429, "", FailureKind::NotProcessed),
    // The same idempotency key is being processed right now.
    (409, "", FailureKind::Ambiguous),
];

pub fn classify(status: u16, error_type: &str) -> FailureKind {
    ERRORS
        .iter()
        .find(|(s, t, _)| *s == status && (t.is_empty() || *t == error_type))
        .map_or(FailureKind::Ambiguous, |(_, _, kind)| *kind)
}

/// Settings of one Stripe account, resolved at start-up.
pub struct Settings {
    pub secret_key: Secret<String>,
    pub webhook_secret: Secret<String>,
    /// e.g. `https://api.stripe.com`.
    pub base_url: String,
}

pub struct Stripe {
    settings: Settings,
    executor: Executor,
    clock: Arc<dyn Clock>,
}

fn fail(kind: FailureKind, code: &str, message: impl Into<String>) -> ChannelFailure {
    ChannelFailure::new(kind, code, message)
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// The headers every request carries: the secret key, and the pinned API version.
fn authorized(secret_key: &Secret<String>) -> Vec<(&'static str, String)> {
    vec![
        ("authorization", format!("Bearer {}", secret_key.expose())),
        ("stripe-version", API_VERSION.into()),
    ]
}

/// The first of these string fields that is set (the most specific error code).
fn first_of<'a>(v: &'a Value, keys: &[&str]) -> Option<&'a str> {
    keys.iter().map(|k| text(v, k)).find(|c| !c.is_empty())
}

impl Stripe {
    pub fn new(settings: Settings, executor: Executor, clock: Arc<dyn Clock>) -> Self {
        Self {
            settings,
            executor,
            clock,
        }
    }

    async fn call(
        &self,
        method: http::Method,
        path: &str,
        form: Option<String>,
        idempotency_key: Option<&str>,
    ) -> Result<Value, ChannelFailure> {
        let mut headers = authorized(&self.settings.secret_key);
        if form.is_some() {
            headers.push(("content-type", "application/x-www-form-urlencoded".into()));
        }
        if let Some(key) = idempotency_key {
            headers.push(("idempotency-key", key.to_owned()));
        }
        let response = self
            .executor
            .send(Request {
                method,
                url: format!("{}{path}", self.settings.base_url),
                headers,
                body: form.unwrap_or_default().into_bytes(),
            })
            .await?;
        let json: Value = serde_json::from_slice(&response.body).map_err(|_| {
            fail(
                FailureKind::Ambiguous,
                if response.status >= 500 {
                    "HTTP_5XX"
                } else {
                    "MALFORMED_RESPONSE"
                },
                format!("Stripe answered HTTP {} without JSON", response.status),
            )
        })?;
        if (200..300).contains(&response.status) {
            return Ok(json);
        }
        let error = json.get("error").cloned().unwrap_or_default();
        let code = first_of(&error, &["decline_code", "code", "type"]).unwrap_or("HTTP_ERROR");
        Err(fail(
            classify(response.status, text(&error, "type")),
            code,
            text(&error, "message"),
        ))
    }

    /// The create form: amount in minor units, lowercase currency, confirmed at once with
    /// the buyer's card, tied to the payment by metadata. The intent names its payment
    /// method type: on accounts with automatic payment methods, a confirm without it (or a
    /// `return_url`) is refused, since a redirect-based method might be chosen.
    pub fn create_form(payment: &Payment) -> String {
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair("amount", &payment.amount.amount_minor.to_string())
            .append_pair(
                "currency",
                &payment.amount.currency.code().to_ascii_lowercase(),
            )
            .append_pair("confirm", "true")
            .append_pair("payment_method_types[]", "card")
            .append_pair(&format!("metadata[{PAYMENT_ID_KEY}]"), payment.id.as_str());
        if let Some(pm) = &payment.payer.payment_method {
            form.append_pair("payment_method", pm.expose());
        }
        if !payment.description.is_empty() {
            form.append_pair("description", &payment.description);
        }
        if let Some(url) = &payment.return_url {
            form.append_pair("return_url", url);
        }
        form.finish()
    }

    /// What a PaymentIntent's state means for the payment.
    fn state(intent: &Value) -> OrderState {
        let id = text(intent, "id").to_owned();
        match text(intent, "status") {
            "succeeded" => OrderState::Paid {
                transaction_id: id,
                paid_at: Timestamp::from_micros(
                    intent.get("created").and_then(Value::as_i64).unwrap_or(0) * 1_000_000,
                ),
            },
            "canceled" => OrderState::Closed,
            "requires_payment_method"
                if intent
                    .get("last_payment_error")
                    .is_some_and(|e| !e.is_null()) =>
            {
                let e = &intent["last_payment_error"];
                OrderState::Failed(Failure::new(
                    first_of(e, &["decline_code", "code"]).unwrap_or("card_declined"),
                    text(e, "message"),
                ))
            }
            _ => OrderState::AwaitingBuyer,
        }
    }

    fn refund_state(json: &Value) -> RefundState {
        let id = Some(text(json, "id").to_owned()).filter(|id| !id.is_empty());
        match text(json, "status") {
            "succeeded" => RefundState::Succeeded {
                provider_refund_id: id,
            },
            "failed" | "canceled" => RefundState::Failed(Failure::new(
                Some(text(json, "failure_reason"))
                    .filter(|r| !r.is_empty())
                    .unwrap_or("refund_failed"),
                "Stripe could not refund the payment",
            )),
            _ => RefundState::Pending {
                provider_refund_id: id,
            },
        }
    }

    /// A refund object from a webhook: the refund paycore made (by its metadata), and its
    /// state.
    fn refund_notification(refund: &Value) -> Result<Notification, Rejected> {
        let refund_id = refund
            .pointer(&format!("/metadata/{REFUND_ID_KEY}"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .parse()
            .map_err(|_| Rejected::Malformed(format!("metadata.{REFUND_ID_KEY}")))?;
        let currency = Currency::parse(&text(refund, "currency").to_ascii_uppercase());
        let amount = refund.get("amount").and_then(Value::as_i64);
        Ok(Notification::Refund {
            refund_id,
            amount: currency.zip(amount).map(|(c, a)| Money::new(a, c)),
            state: Self::refund_state(refund),
        })
    }

    /// The payment's PaymentIntent: by id when known, else found by its metadata.
    async fn intent(&self, payment: &Payment) -> Result<Option<Value>, ChannelFailure> {
        if let Some(id) = payment
            .provider_transaction_id
            .as_deref()
            .filter(|id| id.starts_with("pi_"))
        {
            return self
                .call(
                    http::Method::GET,
                    &format!("/v1/payment_intents/{id}"),
                    None,
                    None,
                )
                .await
                .map(Some);
        }
        let query = format!("metadata['{PAYMENT_ID_KEY}']:'{}'", payment.id);
        let path = format!(
            "/v1/payment_intents/search?{}",
            form_urlencoded::Serializer::new(String::new())
                .append_pair("query", &query)
                .finish()
        );
        let found = self.call(http::Method::GET, &path, None, None).await?;
        Ok(found
            .get("data")
            .and_then(Value::as_array)
            .and_then(|d| d.first())
            .cloned())
    }
}

#[async_trait]
impl Provider for Stripe {
    fn provider_name(&self) -> &'static str {
        <Self as registry::Setup>::NAME
    }

    fn supported_methods(&self) -> &'static [Method] {
        &[Method::Card]
    }

    async fn create(
        &self,
        payment: &Payment,
        attempt: &AttemptId,
    ) -> Result<Placed, ChannelFailure> {
        if payment.method != Method::Card {
            return Err(fail(
                FailureKind::Declined,
                "METHOD_NOT_SUPPORTED",
                "Stripe channels take CARD payments",
            ));
        }
        // One key per attempt: a retried call replays Stripe's first answer.
        let intent = self
            .call(
                http::Method::POST,
                "/v1/payment_intents",
                Some(Self::create_form(payment)),
                Some(attempt.as_str()),
            )
            .await?;
        let id = text(&intent, "id").to_owned();
        match text(&intent, "status") {
            "succeeded" => Ok(Placed::Paid {
                transaction_id: id,
                paid_at: self.clock.now(),
            }),
            "requires_action" => {
                let url = intent
                    .pointer("/next_action/redirect_to_url/url")
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        fail(
                            FailureKind::Ambiguous,
                            "MALFORMED_RESPONSE",
                            "no redirect URL",
                        )
                    })?;
                Ok(Placed::AwaitingBuyer {
                    action: NextAction::Redirect(url.to_owned()),
                    reference: Some(id),
                })
            }
            "processing" => Ok(Placed::Processing { reference: id }),
            "requires_payment_method" | "canceled" => {
                let e = intent
                    .get("last_payment_error")
                    .cloned()
                    .unwrap_or_default();
                Err(fail(
                    FailureKind::Declined,
                    first_of(&e, &["decline_code", "code"]).unwrap_or("card_declined"),
                    text(&e, "message"),
                ))
            }
            other => Err(fail(
                FailureKind::Ambiguous,
                "UNEXPECTED_STATUS",
                format!("PaymentIntent status {other:?}"),
            )),
        }
    }

    async fn query(&self, payment: &Payment) -> Result<OrderState, ChannelFailure> {
        Ok(self
            .intent(payment)
            .await?
            .map_or(OrderState::NotFound, |i| Self::state(&i)))
    }

    async fn close(&self, payment: &Payment) -> Result<OrderState, ChannelFailure> {
        let Some(intent) = self.intent(payment).await? else {
            return Ok(OrderState::Closed);
        };
        match Self::state(&intent) {
            OrderState::AwaitingBuyer => {
                let path = format!("/v1/payment_intents/{}/cancel", text(&intent, "id"));
                let canceled = self
                    .call(http::Method::POST, &path, Some(String::new()), None)
                    .await?;
                Ok(Self::state(&canceled))
            }
            other => Ok(other),
        }
    }

    async fn refund(
        &self,
        payment: &Payment,
        refund: &Refund,
    ) -> Result<RefundState, ChannelFailure> {
        let Some(intent) = payment.provider_transaction_id.as_deref() else {
            return Err(fail(
                FailureKind::NotProcessed,
                "NO_PAYMENT_INTENT",
                "the payment has no PaymentIntent id",
            ));
        };
        let form = form_urlencoded::Serializer::new(String::new())
            .append_pair("payment_intent", intent)
            .append_pair("amount", &refund.amount.amount_minor.to_string())
            .append_pair(&format!("metadata[{REFUND_ID_KEY}]"), refund.id.as_str())
            .finish();
        // The refund id is the idempotency key: a repeated call refunds once.
        let json = self
            .call(
                http::Method::POST,
                "/v1/refunds",
                Some(form),
                Some(refund.id.as_str()),
            )
            .await?;
        Ok(Self::refund_state(&json))
    }

    async fn query_refund(
        &self,
        payment: &Payment,
        refund: &Refund,
    ) -> Result<RefundState, ChannelFailure> {
        if let Some(id) = refund
            .provider_refund_id
            .as_deref()
            .filter(|id| id.starts_with("re_"))
        {
            let json = self
                .call(http::Method::GET, &format!("/v1/refunds/{id}"), None, None)
                .await?;
            return Ok(Self::refund_state(&json));
        }
        let Some(intent) = payment.provider_transaction_id.as_deref() else {
            return Ok(RefundState::NotFound);
        };
        let list = self
            .call(
                http::Method::GET,
                &format!("/v1/refunds?payment_intent={intent}&limit=100"),
                None,
                None,
            )
            .await?;
        let found = list
            .get("data")
            .and_then(Value::as_array)
            .and_then(|d| {
                d.iter().find(|r| {
                    r.pointer(&format!("/metadata/{REFUND_ID_KEY}"))
                        .and_then(Value::as_str)
                        == Some(refund.id.as_str())
                })
            })
            .map(Self::refund_state);
        Ok(found.unwrap_or(RefundState::NotFound))
    }

    fn verify_notification(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        now: Timestamp,
    ) -> Result<Notification, Rejected> {
        let header = headers
            .get("stripe-signature")
            .and_then(|v| v.to_str().ok())
            .ok_or(Rejected::MissingSignature)?;
        let mut timestamp = None;
        let mut candidates = Vec::new();
        for part in header.split(',') {
            match part.trim().split_once('=') {
                Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
                Some(("v1", sig)) => candidates.extend(hex::decode(sig).ok()),
                _ => {}
            }
        }
        let t = timestamp.ok_or(Rejected::MissingSignature)?;
        if candidates.is_empty() {
            return Err(Rejected::MissingSignature);
        }
        let verified = candidates.iter().any(|sig| {
            let Ok(mut mac) =
                <Hmac<Sha256>>::new_from_slice(self.settings.webhook_secret.expose().as_bytes())
            else {
                return false;
            };
            mac.update(t.to_string().as_bytes());
            mac.update(b".");
            mac.update(body);
            mac.verify_slice(sig).is_ok()
        });
        if !verified {
            return Err(Rejected::BadSignature);
        }
        if now.as_secs().abs_diff(t) > TOLERANCE_SECS {
            return Err(Rejected::Stale);
        }
        let event: Value =
            serde_json::from_slice(body).map_err(|e| Rejected::Malformed(e.to_string()))?;
        let object = event
            .pointer("/data/object")
            .ok_or_else(|| Rejected::Malformed("no data.object".into()))?;
        match (text(&event, "type"), text(object, "object")) {
            (_, "payment_intent") => {}
            (_, "refund") => return Self::refund_notification(object),
            // With the pinned API version a charge no longer lists its refunds; each refund
            // is reported by refund.created / refund.updated, applied above.
            ("charge.refunded", "charge") => {
                return match object.pointer("/refunds/data/0") {
                    Some(refund) => Self::refund_notification(refund),
                    None => Ok(Notification::Informational),
                };
            }
            (_, other) => {
                return Err(Rejected::Malformed(format!(
                    "data.object is a {other:?}, not a PaymentIntent or a refund"
                )));
            }
        }
        let intent = object;
        let payment_id = intent
            .pointer(&format!("/metadata/{PAYMENT_ID_KEY}"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .parse()
            .map_err(|_| Rejected::Malformed(format!("metadata.{PAYMENT_ID_KEY}")))?;
        Ok(match text(&event, "type") {
            "payment_intent.succeeded" => {
                let currency = Currency::parse(&text(intent, "currency").to_ascii_uppercase())
                    .ok_or_else(|| Rejected::Malformed("currency".into()))?;
                let amount = intent
                    .get("amount_received")
                    .or_else(|| intent.get("amount"))
                    .and_then(Value::as_i64)
                    .ok_or_else(|| Rejected::Malformed("amount".into()))?;
                Notification::Paid {
                    payment_id,
                    transaction_id: text(intent, "id").to_owned(),
                    amount: Money::new(amount, currency),
                    paid_at: event
                        .get("created")
                        .and_then(Value::as_i64)
                        .unwrap_or(t)
                        .checked_mul(1_000_000)
                        .map(Timestamp::from_micros)
                        .ok_or_else(|| Rejected::Malformed("created".into()))?,
                }
            }
            _ => Notification::Informational,
        })
    }

    fn acknowledgement(&self) -> Reply {
        Reply {
            status: 200,
            content_type: "application/json",
            body: "{}".into(),
        }
    }

    /// The balance transactions created during the UTC day, read page by page as they are
    /// asked for. A day that has not ended could still gain transactions: not ready.
    async fn statement(&self, day: Day) -> Result<Box<dyn StatementReader>, StatementError> {
        let (start, end) = (day.start(0), day.next().start(0));
        if self.clock.now() < end {
            return Err(StatementError::new(
                StatementError::NOT_READY,
                format!("the UTC day {day} has not ended yet"),
            ));
        }
        Ok(Box::new(statement::Pages::new(
            statement::Account {
                executor: self.executor.clone(),
                secret_key: self.settings.secret_key.clone(),
                base_url: self.settings.base_url.clone(),
            },
            statement::Window {
                start: start.as_secs(),
                end: end.as_secs(),
            },
        )))
    }

    fn statement_offset_secs(&self) -> i64 {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_table_classifies_answers() {
        assert_eq!(classify(402, "card_error"), FailureKind::Declined);
        assert_eq!(
            classify(400, "invalid_request_error"),
            FailureKind::NotProcessed
        );
        assert_eq!(classify(429, "rate_limit_error"), FailureKind::NotProcessed);
        assert_eq!(classify(409, "idempotency_error"), FailureKind::Ambiguous);
        assert_eq!(classify(500, "api_error"), FailureKind::Ambiguous);
    }
}
