//! WeChat Pay API v3: native (QR), JSAPI, app and H5 payments, query, close, and verified,
//! decrypted notifications. Every request is signed with the merchant key; every response
//! and callback is verified against the platform key before it is believed.

pub mod crypto;
mod setup;
pub mod statement;
pub mod time;

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;
use http::HeaderMap;
use rsa::pkcs1v15::{SigningKey, VerifyingKey};
use serde_json::Value;
use sha2::Sha256;

use super::executor::{Executor, Request, Response};
use super::keys;
use super::registry;
use super::statement::{Parsed, StatementError, StatementReader};
use super::{
    ChannelFailure, FailureKind, Notification, OrderState, Placed, Provider, RefundState, Rejected,
    Reply,
};
use crate::domain::time::CHINA_OFFSET_SECS;
use crate::domain::{
    AttemptId, Clock, Currency, Day, Failure, Method, Money, NextAction, Payment, Refund, Secret,
    Timestamp,
};

/// How long a platform signature's timestamp may be off.
const TOLERANCE_SECS: u64 = 300;

/// How WeChat Pay's error answers are treated: (HTTP status, code or "" for any) → kind. First
/// match wins; anything not listed is ambiguous.
const ERRORS: &[(u16, &str, FailureKind)] = &[
    // Already paid under this order number: a query will say so.
    (403, "ORDERPAID", FailureKind::Ambiguous),
    (400, "ORDERPAID", FailureKind::Ambiguous),
    // Refused before anything happened.
    (401, "", FailureKind::NotProcessed),
    (400, "PARAM_ERROR", FailureKind::NotProcessed),
    (403, "NOAUTH", FailureKind::NotProcessed),
    (429, "", FailureKind::NotProcessed),
    // A decision about this payment.
    (400, "", FailureKind::Declined),
    (403, "", FailureKind::Declined),
    // System trouble after the request arrived.
    (500, "", FailureKind::Ambiguous),
];

/// The failure kind for an error answer.
pub fn classify(status: u16, code: &str) -> FailureKind {
    ERRORS
        .iter()
        .find(|(s, c, _)| *s == status && (c.is_empty() || *c == code))
        .map_or(FailureKind::Ambiguous, |(_, _, kind)| *kind)
}

/// Settings of one WeChat Pay channel, resolved at start-up.
pub struct Settings {
    pub mchid: String,
    pub appid: String,
    pub merchant_serial_no: String,
    pub private_key: SigningKey<Sha256>,
    pub platform_key: VerifyingKey<Sha256>,
    pub platform_serial: String,
    pub api_v3_key: Secret<Vec<u8>>,
    /// e.g. `https://api.mch.weixin.qq.com`.
    pub base_url: String,
    pub notify_url: String,
}

pub struct Wechatpay {
    settings: Settings,
    executor: Executor,
    clock: Arc<dyn Clock>,
}

fn fail(kind: FailureKind, code: &str, message: impl Into<String>) -> ChannelFailure {
    ChannelFailure::new(kind, code, message)
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

impl Wechatpay {
    pub fn new(settings: Settings, executor: Executor, clock: Arc<dyn Clock>) -> Self {
        Self {
            settings,
            executor,
            clock,
        }
    }

    /// Whether `headers` carry a valid platform signature of `body`, fresh at `now`.
    fn verify_platform(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        now: Timestamp,
    ) -> Result<(), Rejected> {
        let (Some(timestamp), Some(nonce), Some(signature), Some(serial)) = (
            header(headers, "wechatpay-timestamp"),
            header(headers, "wechatpay-nonce"),
            header(headers, "wechatpay-signature"),
            header(headers, "wechatpay-serial"),
        ) else {
            return Err(Rejected::MissingSignature);
        };
        if serial != self.settings.platform_serial {
            return Err(Rejected::BadSignature);
        }
        let message = crypto::platform_message(timestamp, nonce, body);
        if !keys::verify(&self.settings.platform_key, &message, signature) {
            return Err(Rejected::BadSignature);
        }
        let t: i64 = timestamp.parse().map_err(|_| Rejected::MissingSignature)?;
        if now.as_secs().abs_diff(t) >= TOLERANCE_SECS {
            return Err(Rejected::Stale);
        }
        Ok(())
    }

    /// The `Authorization` header of a request: `target` is the path plus `?query`.
    fn authorization(&self, method: &str, target: &str, body: &str) -> String {
        let timestamp = self.clock.now().as_secs();
        let nonce = crypto::nonce();
        let message = crypto::request_message(method, target, timestamp, &nonce, body);
        let signature = keys::sign(&self.settings.private_key, message.as_bytes());
        crypto::authorization(
            &self.settings.mchid,
            &self.settings.merchant_serial_no,
            timestamp,
            &nonce,
            &signature,
        )
    }

    /// Sends a signed request; returns the verified answer (status, JSON body or Null).
    async fn call(
        &self,
        method: http::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(u16, Value), ChannelFailure> {
        let body = body.map(Value::to_string).unwrap_or_default();
        let authorization = self.authorization(method.as_str(), path, &body);
        let response = self
            .executor
            .send(Request {
                method,
                url: format!("{}{path}", self.settings.base_url),
                headers: vec![
                    ("authorization", authorization),
                    ("accept", "application/json".into()),
                    ("content-type", "application/json".into()),
                ],
                body: body.into_bytes(),
            })
            .await?;
        self.read(response)
    }

    /// Verifies and reads an answer. Success is 2xx; errors are classified by the table.
    fn read(&self, response: Response) -> Result<(u16, Value), ChannelFailure> {
        if self
            .verify_platform(&response.headers, &response.body, self.clock.now())
            .is_err()
        {
            // An unsigned 5xx from a proxy is just as uncertain as a signed one.
            return Err(fail(
                FailureKind::Ambiguous,
                if response.status >= 500 {
                    "HTTP_5XX"
                } else {
                    "RESPONSE_SIGNATURE_INVALID"
                },
                format!(
                    "WeChat Pay's answer (HTTP {}) did not carry a valid signature",
                    response.status
                ),
            ));
        }
        let json: Value = if response.body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&response.body)
                .map_err(|_| fail(FailureKind::Ambiguous, "MALFORMED_RESPONSE", "not JSON"))?
        };
        if (200..300).contains(&response.status) {
            return Ok((response.status, json));
        }
        let code = json.get("code").and_then(Value::as_str).unwrap_or_default();
        let message = json
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or_default();
        Err(fail(
            classify(response.status, code),
            if code.is_empty() { "HTTP_ERROR" } else { code },
            message,
        ))
    }

    fn order_body(&self, payment: &Payment) -> Value {
        let description = if payment.description.is_empty() {
            format!("Payment {}", payment.id)
        } else {
            payment.description.clone()
        };
        serde_json::json!({
            "appid": self.settings.appid,
            "mchid": self.settings.mchid,
            "description": description,
            "out_trade_no": payment.id.to_string(),
            "time_expire": time::format(payment.expires_at),
            "notify_url": self.settings.notify_url,
            "amount": { "total": payment.amount.amount_minor, "currency": "CNY" },
        })
    }

    /// The signed parameters a JSAPI page or mini program passes to `requestPayment`.
    pub fn jsapi_parameters(&self, prepay_id: &str) -> BTreeMap<String, String> {
        let timestamp = self.clock.now().as_secs().to_string();
        let nonce = crypto::nonce();
        let package = format!("prepay_id={prepay_id}");
        let message = crypto::lines_message(&[&self.settings.appid, &timestamp, &nonce, &package]);
        let pay_sign = keys::sign(&self.settings.private_key, message.as_bytes());
        BTreeMap::from([
            ("appId".to_owned(), self.settings.appid.clone()),
            ("timeStamp".to_owned(), timestamp),
            ("nonceStr".to_owned(), nonce),
            ("package".to_owned(), package),
            ("signType".to_owned(), "RSA".to_owned()),
            ("paySign".to_owned(), pay_sign),
        ])
    }

    /// The signed parameters the app SDK takes.
    pub fn app_parameters(&self, prepay_id: &str) -> BTreeMap<String, String> {
        let timestamp = self.clock.now().as_secs().to_string();
        let nonce = crypto::nonce();
        let message = crypto::lines_message(&[&self.settings.appid, &timestamp, &nonce, prepay_id]);
        let sign = keys::sign(&self.settings.private_key, message.as_bytes());
        BTreeMap::from([
            ("appid".to_owned(), self.settings.appid.clone()),
            ("partnerid".to_owned(), self.settings.mchid.clone()),
            ("prepayid".to_owned(), prepay_id.to_owned()),
            ("package".to_owned(), "Sign=WXPay".to_owned()),
            ("noncestr".to_owned(), nonce),
            ("timestamp".to_owned(), timestamp),
            ("sign".to_owned(), sign),
        ])
    }

    fn order_state(json: &Value) -> Result<OrderState, ChannelFailure> {
        let field = |k: &str| json.get(k).and_then(Value::as_str).unwrap_or_default();
        Ok(match field("trade_state") {
            // REFUND: it was paid (and later refunded).
            "SUCCESS" | "REFUND" => OrderState::Paid {
                transaction_id: field("transaction_id").to_owned(),
                paid_at: time::parse(field("success_time")).unwrap_or(Timestamp::from_micros(0)),
            },
            "NOTPAY" | "USERPAYING" => OrderState::AwaitingBuyer,
            "CLOSED" | "REVOKED" => OrderState::Closed,
            "PAYERROR" => OrderState::Failed(Failure::new("PAYERROR", field("trade_state_desc"))),
            other => {
                return Err(fail(
                    FailureKind::Ambiguous,
                    "UNKNOWN_TRADE_STATE",
                    format!("WeChat Pay reported trade_state {other:?}"),
                ));
            }
        })
    }

    /// A refund's state from a refund answer (`status`) or notification (`refund_status`).
    fn refund_state(json: &Value) -> RefundState {
        let id = json
            .get("refund_id")
            .and_then(Value::as_str)
            .map(str::to_owned);
        match json
            .get("status")
            .or_else(|| json.get("refund_status"))
            .and_then(Value::as_str)
            .unwrap_or_default()
        {
            "SUCCESS" => RefundState::Succeeded {
                provider_refund_id: id,
            },
            "CLOSED" => RefundState::Failed(Failure::new(
                "REFUND_CLOSED",
                "WeChat Pay closed the refund",
            )),
            // "Handle manually": the money can still go out, so it is not a failure.
            "ABNORMAL" => RefundState::NeedsAttention(Failure::new(
                "REFUND_ABNORMAL",
                "the buyer's account could not receive the refund; handle it at WeChat Pay",
            )),
            _ => RefundState::Pending {
                provider_refund_id: id,
            },
        }
    }

    fn query_path(&self, payment: &Payment) -> String {
        format!(
            "/v3/pay/transactions/out-trade-no/{}?mchid={}",
            payment.id, self.settings.mchid
        )
    }
}

#[async_trait]
impl Provider for Wechatpay {
    fn provider_name(&self) -> &'static str {
        <Self as registry::Setup>::NAME
    }

    fn supported_methods(&self) -> &'static [Method] {
        &[Method::QrCode, Method::Jsapi, Method::App, Method::H5]
    }

    async fn create(&self, payment: &Payment, _: &AttemptId) -> Result<Placed, ChannelFailure> {
        if Currency::parse("CNY") != Some(payment.amount.currency) {
            return Err(fail(
                FailureKind::Declined,
                "CURRENCY_NOT_SUPPORTED",
                "WeChat Pay channels take CNY",
            ));
        }
        let mut body = self.order_body(payment);
        let kind = match payment.method {
            Method::QrCode => "native",
            Method::Jsapi => {
                let openid = payment.payer.buyer_id.as_ref().map(|s| s.expose().clone());
                body["payer"] = serde_json::json!({ "openid": openid.unwrap_or_default() });
                "jsapi"
            }
            Method::App => "app",
            Method::H5 => {
                let ip = payment.payer.client_ip.as_ref().map(|s| s.expose().clone());
                body["scene_info"] = serde_json::json!({
                    "payer_client_ip": ip.unwrap_or_else(|| "127.0.0.1".into()),
                    "h5_info": { "type": "Wap" },
                });
                "h5"
            }
            Method::WebPage | Method::Card => {
                return Err(fail(
                    FailureKind::Declined,
                    "METHOD_NOT_SUPPORTED",
                    "this WeChat Pay channel takes QR code, JSAPI, app and H5 payments",
                ));
            }
        };
        let (_, json) = self
            .call(
                http::Method::POST,
                &format!("/v3/pay/transactions/{kind}"),
                Some(&body),
            )
            .await?;
        let field = |k: &str| json.get(k).and_then(Value::as_str).map(str::to_owned);
        let missing = |k: &str| {
            fail(
                FailureKind::Ambiguous,
                "MALFORMED_RESPONSE",
                format!("no {k}"),
            )
        };
        let action = match payment.method {
            Method::QrCode => {
                NextAction::QrCode(field("code_url").ok_or_else(|| missing("code_url"))?)
            }
            Method::H5 => NextAction::Redirect(field("h5_url").ok_or_else(|| missing("h5_url"))?),
            Method::Jsapi => NextAction::Jsapi(
                self.jsapi_parameters(&field("prepay_id").ok_or_else(|| missing("prepay_id"))?),
            ),
            _ => NextAction::App(
                self.app_parameters(&field("prepay_id").ok_or_else(|| missing("prepay_id"))?),
            ),
        };
        Ok(Placed::AwaitingBuyer {
            action,
            reference: None,
        })
    }

    async fn query(&self, payment: &Payment) -> Result<OrderState, ChannelFailure> {
        match self
            .call(http::Method::GET, &self.query_path(payment), None)
            .await
        {
            Ok((_, json)) => Self::order_state(&json),
            Err(f) if f.code == "ORDER_NOT_EXIST" || f.code == "ORDERNOTEXIST" => {
                Ok(OrderState::NotFound)
            }
            Err(f) => Err(f),
        }
    }

    async fn close(&self, payment: &Payment) -> Result<OrderState, ChannelFailure> {
        let path = format!("/v3/pay/transactions/out-trade-no/{}/close", payment.id);
        let body = serde_json::json!({ "mchid": self.settings.mchid });
        match self.call(http::Method::POST, &path, Some(&body)).await {
            Ok(_) => Ok(OrderState::Closed),
            // Paid (or otherwise final) already: ask which.
            Err(f) if f.code == "ORDERPAID" || f.code == "ORDER_CLOSED" => {
                self.query(payment).await
            }
            Err(f) if f.code == "ORDER_NOT_EXIST" || f.code == "ORDERNOTEXIST" => {
                Ok(OrderState::Closed)
            }
            Err(f) => Err(f),
        }
    }

    async fn refund(
        &self,
        payment: &Payment,
        refund: &Refund,
    ) -> Result<RefundState, ChannelFailure> {
        let mut body = serde_json::json!({
            "out_trade_no": payment.id.to_string(),
            "out_refund_no": refund.id.to_string(),
            // Where WeChat Pay sends REFUND.* notifications (the merchant platform's
            // address applies otherwise).
            "notify_url": self.settings.notify_url,
            "amount": {
                "refund": refund.amount.amount_minor,
                "total": payment.amount.amount_minor,
                "currency": "CNY",
            },
        });
        if !refund.reason.is_empty() {
            body["reason"] = Value::String(refund.reason.clone());
        }
        let (_, json) = self
            .call(
                http::Method::POST,
                "/v3/refund/domestic/refunds",
                Some(&body),
            )
            .await?;
        Ok(Self::refund_state(&json))
    }

    async fn query_refund(
        &self,
        _: &Payment,
        refund: &Refund,
    ) -> Result<RefundState, ChannelFailure> {
        let path = format!("/v3/refund/domestic/refunds/{}", refund.id);
        match self.call(http::Method::GET, &path, None).await {
            Ok((_, json)) => Ok(Self::refund_state(&json)),
            Err(f) if f.code == "RESOURCE_NOT_EXISTS" => Ok(RefundState::NotFound),
            Err(f) => Err(f),
        }
    }

    fn verify_notification(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        now: Timestamp,
    ) -> Result<Notification, Rejected> {
        self.verify_platform(headers, body, now)?;
        let envelope: Value =
            serde_json::from_slice(body).map_err(|e| Rejected::Malformed(e.to_string()))?;
        let resource = envelope
            .get("resource")
            .ok_or_else(|| Rejected::Malformed("no resource".into()))?;
        let text = |v: &Value, k: &str| {
            v.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        if text(resource, "algorithm") != "AEAD_AES_256_GCM" {
            return Err(Rejected::Malformed("algorithm".into()));
        }
        let plain = crypto::decrypt(
            self.settings.api_v3_key.expose(),
            &text(resource, "nonce"),
            &text(resource, "associated_data"),
            &text(resource, "ciphertext"),
        )
        .ok_or(Rejected::BadSignature)?;
        let transaction: Value =
            serde_json::from_slice(&plain).map_err(|e| Rejected::Malformed(e.to_string()))?;
        let event_type = text(&envelope, "event_type");
        // A refund notification names the merchant only (refunds carry no appid).
        let refund = event_type.starts_with("REFUND.");
        if text(&transaction, "mchid") != self.settings.mchid
            || (!refund && text(&transaction, "appid") != self.settings.appid)
        {
            return Err(Rejected::WrongAccount(format!(
                "mchid {:?} appid {:?}",
                text(&transaction, "mchid"),
                text(&transaction, "appid")
            )));
        }
        if refund {
            let refund_id = text(&transaction, "out_refund_no")
                .parse()
                .map_err(|_| Rejected::Malformed("out_refund_no".into()))?;
            let refunded = transaction
                .pointer("/amount/refund")
                .and_then(Value::as_i64)
                .ok_or_else(|| Rejected::Malformed("amount.refund".into()))?;
            let currency =
                Currency::parse("CNY").ok_or_else(|| Rejected::Malformed("CNY".into()))?;
            return Ok(Notification::Refund {
                refund_id,
                amount: Some(Money::new(refunded, currency)),
                state: Self::refund_state(&transaction),
            });
        }
        let payment_id = text(&transaction, "out_trade_no")
            .parse()
            .map_err(|_| Rejected::Malformed("out_trade_no".into()))?;
        Ok(
            match (
                event_type.as_str(),
                text(&transaction, "trade_state").as_str(),
            ) {
                ("TRANSACTION.SUCCESS", "SUCCESS") => {
                    let amount = transaction
                        .get("amount")
                        .ok_or_else(|| Rejected::Malformed("amount".into()))?;
                    let currency = Currency::parse(&text(amount, "currency"))
                        .ok_or_else(|| Rejected::Malformed("amount.currency".into()))?;
                    let total = amount
                        .get("total")
                        .and_then(Value::as_i64)
                        .ok_or_else(|| Rejected::Malformed("amount.total".into()))?;
                    Notification::Paid {
                        payment_id,
                        transaction_id: text(&transaction, "transaction_id"),
                        amount: Money::new(total, currency),
                        paid_at: time::parse(&text(&transaction, "success_time"))
                            .ok_or_else(|| Rejected::Malformed("success_time".into()))?,
                    }
                }
                _ => Notification::Informational,
            },
        )
    }

    /// The day's trade bill (ALL), by China days.
    async fn statement(&self, day: Day) -> Result<Box<dyn StatementReader>, StatementError> {
        Ok(Box::new(Parsed(self.trade_bill(day).await?)))
    }

    fn statement_offset_secs(&self) -> i64 {
        CHINA_OFFSET_SECS
    }

    fn acknowledgement(&self) -> Reply {
        Reply {
            status: 204,
            content_type: "application/json",
            body: String::new(),
        }
    }
}

#[cfg(test)]
mod tests;
