//! Alipay (OpenAPI, RSA2): QR code (`alipay.trade.precreate`), web page (`page.pay`), H5
//! (`wap.pay`) and app (`app.pay`) payments, query, close, and verified notifications.
//! Building requests and reading answers are pure functions; the executor sends.

mod setup;
pub mod sign;
mod statement;
pub mod wire;
mod zip;

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;
use http::HeaderMap;
use rsa::pkcs1v15::{SigningKey, VerifyingKey};
use serde_json::Value;
use sha2::Sha256;

use self::sign::{inner_object, signing_string};
use self::wire::{china_time, form, parse_china_time, parse_form};
use super::executor::{Executor, Request};
use super::keys;
use super::registry;
use super::{
    ChannelFailure, FailureKind, Notification, OrderState, Placed, Provider, RefundState, Rejected,
    Reply, StatementError, StatementReader,
};
use crate::domain::time::CHINA_OFFSET_SECS;
use crate::domain::{
    AttemptId, Clock, Currency, Day, Method, Money, NextAction, Payment, Refund, Timestamp,
};

/// How Alipay's answers are treated: (code, sub_code or "" for any) → kind. First match wins;
/// anything not listed is ambiguous, because only a known answer proves nothing happened.
const ERRORS: &[(&str, &str, FailureKind)] = &[
    // Retryable system trouble after the request arrived: it may have been acted on.
    ("40004", "ACQ.SYSTEM_ERROR", FailureKind::Ambiguous),
    // The order number was already paid: a query will say so.
    ("40004", "ACQ.TRADE_HAS_SUCCESS", FailureKind::Ambiguous),
    // Any other business failure is Alipay's decision about this payment.
    ("40004", "", FailureKind::Declined),
    // Service unavailable: the request may have been partly handled.
    ("20000", "", FailureKind::Ambiguous),
    // Missing or invalid parameters or signature, no permission: rejected unprocessed.
    ("40001", "", FailureKind::NotProcessed),
    ("40002", "", FailureKind::NotProcessed),
    ("40003", "", FailureKind::NotProcessed),
    ("40006", "", FailureKind::NotProcessed),
];

/// The failure kind for an Alipay answer code.
pub fn classify(code: &str, sub_code: &str) -> FailureKind {
    ERRORS
        .iter()
        .find(|(c, s, _)| *c == code && (s.is_empty() || *s == sub_code))
        .map_or(FailureKind::Ambiguous, |(_, _, kind)| *kind)
}

/// An Alipay answer that was not `10000`.
#[derive(Debug)]
enum CallError {
    /// A signed business answer.
    Answer {
        code: String,
        sub_code: String,
        message: String,
    },
    Transport(ChannelFailure),
}

impl CallError {
    fn into_failure(self) -> ChannelFailure {
        match self {
            Self::Answer {
                code,
                sub_code,
                message,
            } => {
                let kind = classify(&code, &sub_code);
                let code = if sub_code.is_empty() { code } else { sub_code };
                ChannelFailure::new(kind, code, message)
            }
            Self::Transport(f) => f,
        }
    }

    fn is(&self, sub: &str) -> bool {
        matches!(self, Self::Answer { sub_code, .. } if sub_code == sub)
    }
}

fn ambiguous(code: &str, message: impl Into<String>) -> CallError {
    CallError::Transport(ChannelFailure::new(FailureKind::Ambiguous, code, message))
}

/// Settings of one Alipay channel, resolved at start-up.
pub struct Settings {
    pub app_id: String,
    pub private_key: SigningKey<Sha256>,
    pub alipay_public_key: VerifyingKey<Sha256>,
    /// e.g. `https://openapi.alipay.com/gateway.do`.
    pub gateway_url: String,
    /// Where Alipay posts notifications: paycore's `/callbacks/{channel}`.
    pub notify_url: String,
}

/// One Alipay account.
pub struct Alipay {
    settings: Settings,
    executor: Executor,
    clock: Arc<dyn Clock>,
}

/// Alipay's own trade number arrives with the notification, so nothing is kept at create.
fn awaiting(action: NextAction) -> Placed {
    Placed::AwaitingBuyer {
        action,
        reference: None,
    }
}

fn cny() -> Option<Currency> {
    Currency::parse("CNY")
}

impl Alipay {
    pub fn new(settings: Settings, executor: Executor, clock: Arc<dyn Clock>) -> Self {
        Self {
            settings,
            executor,
            clock,
        }
    }

    /// The signed parameters of a call to `method` with `biz_content`.
    pub fn signed_params(
        &self,
        method: &str,
        biz_content: String,
        return_url: Option<&str>,
    ) -> BTreeMap<String, String> {
        let mut p = BTreeMap::new();
        let mut put = |k: &str, v: String| {
            p.insert(k.to_owned(), v);
        };
        put("app_id", self.settings.app_id.clone());
        put("method", method.to_owned());
        put("format", "JSON".into());
        put("charset", "utf-8".into());
        put("sign_type", "RSA2".into());
        put("timestamp", china_time(self.clock.now()));
        put("version", "1.0".into());
        put("notify_url", self.settings.notify_url.clone());
        put("biz_content", biz_content);
        if let Some(url) = return_url {
            put("return_url", url.to_owned());
        }
        let signature = keys::sign(
            &self.settings.private_key,
            signing_string(&p, &["sign"]).as_bytes(),
        );
        p.insert("sign".into(), signature);
        p
    }

    /// Calls `method` and returns the verified inner object of a `10000` answer.
    async fn call(&self, method: &str, biz: Value) -> Result<Value, CallError> {
        let params = self.signed_params(method, biz.to_string(), None);
        let response = self
            .executor
            .send(Request {
                method: http::Method::POST,
                url: self.settings.gateway_url.clone(),
                headers: vec![(
                    "content-type",
                    "application/x-www-form-urlencoded;charset=utf-8".into(),
                )],
                body: form(&params).into_bytes(),
            })
            .await
            .map_err(CallError::Transport)?;
        if response.status >= 500 {
            return Err(ambiguous(
                &format!("HTTP_{}", response.status),
                "Alipay answered with a server error",
            ));
        }
        if response.status != 200 {
            // The gateway refused the request before handling it.
            return Err(CallError::Transport(ChannelFailure::new(
                FailureKind::NotProcessed,
                format!("HTTP_{}", response.status),
                "Alipay refused the request",
            )));
        }
        parse_answer(&self.settings.alipay_public_key, method, &response.body)
    }

    fn biz_for_create(&self, payment: &Payment, product_code: Option<&str>) -> Value {
        let subject = if payment.description.is_empty() {
            format!("Payment {}", payment.id)
        } else {
            payment.description.clone()
        };
        let mut biz = serde_json::json!({
            "out_trade_no": payment.id.to_string(),
            "total_amount": payment.amount.to_major_string(),
            "subject": subject,
            "time_expire": china_time(payment.expires_at),
        });
        if let Some(code) = product_code {
            biz["product_code"] = Value::String(code.to_owned());
        }
        biz
    }

    /// `alipay.trade.cancel`, for a QR order that has no trade to close: afterwards its
    /// code cannot be paid. Had the buyer paid in the meantime, Alipay refunds the buyer
    /// (`action` "refund"): the order is closed either way.
    async fn cancel(&self, payment: &Payment) -> Result<OrderState, ChannelFailure> {
        let biz = serde_json::json!({ "out_trade_no": payment.id.to_string() });
        let inner = self
            .call("alipay.trade.cancel", biz)
            .await
            .map_err(CallError::into_failure)?;
        let field = |k: &str| inner.get(k).and_then(Value::as_str).unwrap_or_default();
        if field("retry_flag").eq_ignore_ascii_case("Y") {
            return Err(ChannelFailure::new(
                FailureKind::Ambiguous,
                "CANCEL_NOT_DONE",
                "Alipay asked for the cancel to be retried",
            ));
        }
        if field("action") == "refund" {
            tracing::warn!(
                payment = %payment.id,
                trade_no = field("trade_no"),
                "Alipay refunded a QR payment made while it was being closed"
            );
        }
        Ok(OrderState::Closed)
    }

    fn order_state(inner: &Value) -> Result<OrderState, ChannelFailure> {
        let field = |k: &str| inner.get(k).and_then(Value::as_str).unwrap_or_default();
        Ok(match field("trade_status") {
            "WAIT_BUYER_PAY" => OrderState::AwaitingBuyer,
            "TRADE_SUCCESS" | "TRADE_FINISHED" => OrderState::Paid {
                transaction_id: field("trade_no").to_owned(),
                paid_at: parse_china_time(field("send_pay_date"))
                    .unwrap_or(Timestamp::from_micros(0)),
            },
            "TRADE_CLOSED" => OrderState::Closed,
            other => {
                return Err(ChannelFailure::new(
                    FailureKind::Ambiguous,
                    "UNKNOWN_TRADE_STATUS",
                    format!("Alipay reported trade_status {other:?}"),
                ));
            }
        })
    }
}

/// Reads a gateway answer: finds the raw inner object, verifies Alipay's signature over it
/// exactly as received, and returns it when its code is `10000`.
fn parse_answer(key: &VerifyingKey<Sha256>, method: &str, body: &[u8]) -> Result<Value, CallError> {
    let raw =
        std::str::from_utf8(body).map_err(|_| ambiguous("MALFORMED_RESPONSE", "not UTF-8"))?;
    let name = format!("{}_response", method.replace('.', "_"));
    let inner_raw = inner_object(raw, &name)
        .or_else(|| inner_object(raw, "error_response"))
        .ok_or_else(|| ambiguous("MALFORMED_RESPONSE", "no response object"))?;
    let whole: Value =
        serde_json::from_str(raw).map_err(|_| ambiguous("MALFORMED_RESPONSE", "not JSON"))?;
    let signature = whole
        .get("sign")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !keys::verify(key, inner_raw.as_bytes(), signature) {
        return Err(ambiguous(
            "RESPONSE_SIGNATURE_INVALID",
            "Alipay's answer did not carry a valid signature",
        ));
    }
    let inner: Value = serde_json::from_str(inner_raw)
        .map_err(|_| ambiguous("MALFORMED_RESPONSE", "inner object not JSON"))?;
    let field = |k: &str| {
        inner
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    if field("code") == "10000" {
        return Ok(inner);
    }
    let message = [field("msg"), field("sub_msg")].join(": ");
    Err(CallError::Answer {
        code: field("code"),
        sub_code: field("sub_code"),
        message,
    })
}

#[async_trait]
impl Provider for Alipay {
    fn provider_name(&self) -> &'static str {
        <Self as registry::Setup>::NAME
    }

    fn supported_methods(&self) -> &'static [Method] {
        &[Method::QrCode, Method::WebPage, Method::H5, Method::App]
    }

    async fn create(&self, payment: &Payment, _: &AttemptId) -> Result<Placed, ChannelFailure> {
        if Some(payment.amount.currency) != cny() {
            return Err(ChannelFailure::new(
                FailureKind::Declined,
                "CURRENCY_NOT_SUPPORTED",
                "Alipay channels take CNY",
            ));
        }
        let redirect = |method: &str, product: &str| {
            let params = self.signed_params(
                method,
                self.biz_for_create(payment, Some(product)).to_string(),
                payment.return_url.as_deref(),
            );
            format!("{}?{}", self.settings.gateway_url, form(&params))
        };
        match payment.method {
            Method::QrCode => {
                let inner = self
                    .call("alipay.trade.precreate", self.biz_for_create(payment, None))
                    .await
                    .map_err(CallError::into_failure)?;
                let qr = inner
                    .get("qr_code")
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        ChannelFailure::new(
                            FailureKind::Ambiguous,
                            "MALFORMED_RESPONSE",
                            "no qr_code",
                        )
                    })?;
                Ok(awaiting(NextAction::QrCode(qr.to_owned())))
            }
            Method::WebPage => Ok(awaiting(NextAction::Redirect(redirect(
                "alipay.trade.page.pay",
                "FAST_INSTANT_TRADE_PAY",
            )))),
            Method::H5 => Ok(awaiting(NextAction::Redirect(redirect(
                "alipay.trade.wap.pay",
                "QUICK_WAP_WAY",
            )))),
            Method::App => {
                let params = self.signed_params(
                    "alipay.trade.app.pay",
                    self.biz_for_create(payment, Some("QUICK_MSECURITY_PAY"))
                        .to_string(),
                    None,
                );
                Ok(awaiting(NextAction::App(BTreeMap::from([(
                    "order_string".to_owned(),
                    form(&params),
                )]))))
            }
            Method::Jsapi | Method::Card => Err(ChannelFailure::new(
                FailureKind::Declined,
                "METHOD_NOT_SUPPORTED",
                "this Alipay channel takes QR code, web page, H5 and app payments",
            )),
        }
    }

    async fn query(&self, payment: &Payment) -> Result<OrderState, ChannelFailure> {
        let biz = serde_json::json!({ "out_trade_no": payment.id.to_string() });
        match self.call("alipay.trade.query", biz).await {
            Ok(inner) => Self::order_state(&inner),
            Err(e) if e.is("ACQ.TRADE_NOT_EXIST") => Ok(OrderState::NotFound),
            Err(e) => Err(e.into_failure()),
        }
    }

    async fn close(&self, payment: &Payment) -> Result<OrderState, ChannelFailure> {
        let biz = serde_json::json!({ "out_trade_no": payment.id.to_string() });
        match self.call("alipay.trade.close", biz).await {
            Ok(_) => Ok(OrderState::Closed),
            // A QR order nobody has scanned has no trade at Alipay yet, so there is nothing
            // to close, but its code can still be scanned and paid until it expires.
            // Cancelling voids the order number: a later scan cannot pay it.
            Err(e) if e.is("ACQ.TRADE_NOT_EXIST") && payment.method == Method::QrCode => {
                self.cancel(payment).await
            }
            // A page, H5 or app order nobody has opened: its signed request stays payable
            // until `time_expire`; a payment before then is recorded as paid after close.
            Err(e) if e.is("ACQ.TRADE_NOT_EXIST") => Ok(OrderState::Closed),
            // Paid or already closed: ask which.
            Err(e) if e.is("ACQ.TRADE_STATUS_ERROR") => self.query(payment).await,
            Err(e) => Err(e.into_failure()),
        }
    }

    async fn refund(
        &self,
        payment: &Payment,
        refund: &Refund,
    ) -> Result<RefundState, ChannelFailure> {
        let biz = serde_json::json!({
            "out_trade_no": payment.id.to_string(),
            "refund_amount": refund.amount.to_major_string(),
            "out_request_no": refund.id.to_string(),
            "refund_reason": refund.reason,
        });
        let inner = self
            .call("alipay.trade.refund", biz)
            .await
            .map_err(CallError::into_failure)?;
        let provider_refund_id = inner
            .get("trade_no")
            .and_then(Value::as_str)
            .map(|t| format!("{t}:{}", refund.id));
        // 10000 only means the request was taken. fund_change "Y" means the money moved;
        // "N" or none (e.g. a repeated request) leaves it to the refund query.
        Ok(
            if inner.get("fund_change").and_then(Value::as_str) == Some("Y") {
                RefundState::Succeeded { provider_refund_id }
            } else {
                RefundState::Pending { provider_refund_id }
            },
        )
    }

    async fn query_refund(
        &self,
        payment: &Payment,
        refund: &Refund,
    ) -> Result<RefundState, ChannelFailure> {
        let biz = serde_json::json!({
            "out_trade_no": payment.id.to_string(),
            "out_request_no": refund.id.to_string(),
        });
        let inner = self
            .call("alipay.trade.fastpay.refund.query", biz)
            .await
            .map_err(CallError::into_failure)?;
        // An unknown refund is a 10000 answer without refund fields.
        Ok(match inner.get("refund_status").and_then(Value::as_str) {
            Some("REFUND_SUCCESS") => RefundState::Succeeded {
                provider_refund_id: inner
                    .get("trade_no")
                    .and_then(Value::as_str)
                    .map(|t| format!("{t}:{}", refund.id)),
            },
            Some(_) => RefundState::Pending {
                provider_refund_id: None,
            },
            None if inner.get("refund_amount").is_some() => RefundState::Succeeded {
                provider_refund_id: None,
            },
            None => RefundState::NotFound,
        })
    }

    fn verify_notification(
        &self,
        _: &HeaderMap,
        body: &[u8],
        _: Timestamp,
    ) -> Result<Notification, Rejected> {
        let params = parse_form(body);
        let signature = params.get("sign").ok_or(Rejected::MissingSignature)?;
        let content = signing_string(&params, &["sign", "sign_type"]);
        if !keys::verify(
            &self.settings.alipay_public_key,
            content.as_bytes(),
            signature,
        ) {
            return Err(Rejected::BadSignature);
        }
        let field = |k: &str| params.get(k).map(String::as_str).unwrap_or_default();
        if field("app_id") != self.settings.app_id {
            return Err(Rejected::WrongAccount(format!(
                "app_id {:?}",
                field("app_id")
            )));
        }
        let payment_id = field("out_trade_no")
            .parse()
            .map_err(|_| Rejected::Malformed("out_trade_no".into()))?;
        Ok(match field("trade_status") {
            "TRADE_SUCCESS" | "TRADE_FINISHED" => {
                let currency = cny().ok_or_else(|| Rejected::Malformed("currency".into()))?;
                Notification::Paid {
                    payment_id,
                    transaction_id: field("trade_no").to_owned(),
                    amount: Money::parse_major(field("total_amount"), currency)
                        .ok_or_else(|| Rejected::Malformed("total_amount".into()))?,
                    paid_at: parse_china_time(field("gmt_payment"))
                        .or_else(|| parse_china_time(field("notify_time")))
                        .ok_or_else(|| Rejected::Malformed("gmt_payment".into()))?,
                }
            }
            "WAIT_BUYER_PAY" | "TRADE_CLOSED" => Notification::Informational,
            other => return Err(Rejected::Malformed(format!("trade_status {other:?}"))),
        })
    }

    fn acknowledgement(&self) -> Reply {
        Reply {
            status: 200,
            content_type: "text/plain",
            body: "success".into(),
        }
    }

    async fn statement(&self, day: Day) -> Result<Box<dyn StatementReader>, StatementError> {
        self.trade_statement(day).await
    }

    /// Alipay's bills count China days.
    fn statement_offset_secs(&self) -> i64 {
        CHINA_OFFSET_SECS
    }
}

#[cfg(test)]
mod tests;
