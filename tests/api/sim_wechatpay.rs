//! A loopback WeChat Pay API v3 server for tests, written from the protocol description: it
//! verifies the merchant's request signatures, keeps orders, signs every answer with the
//! platform key, and posts signed, AES-256-GCM-encrypted callbacks to paycore.

mod bill;

pub use bill::refund_id;

use crate::support::unix_now;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use serde_json::{Value, json};
use sha2::Sha256;

pub const MCHID: &str = "1230000109";
pub const APPID: &str = "wxd678efh567hg6787";
pub const MERCHANT_SERIAL: &str = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
pub const PLATFORM_SERIAL: &str = "PUB_KEY_ID_0114232134912410000000000001";
pub const API_V3_KEY: &[u8; 32] = b"0123456789abcdef0123456789abcdef";
const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/keys");

/// What is wrong with the trade bills the server gives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BillFault {
    /// hash_value is not the file's SHA1.
    WrongHash,
    /// The gzip is cut short.
    TruncatedGzip,
    /// The file is in GBK, not UTF-8.
    Gbk,
    /// 商户订单号 is called something else.
    RenamedColumn,
    /// 总交易单数 counts one row too many.
    SummaryOffByOne,
    /// The download link has expired.
    ExpiredUrl,
    /// The early layout (总金额, 企业红包金额, no 订单金额).
    Legacy,
    /// A payment paycore never made is on the bill.
    ExtraRow,
}

/// How the server answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Normal,
    /// A signed error answer with this status and code.
    Error(u16, &'static str),
    /// An answer without platform signature headers (like a proxy's).
    Unsigned(u16),
}

#[derive(Debug, Clone)]
pub struct Order {
    pub kind: String,
    pub total: i64,
    pub state: &'static str,
    pub transaction_id: String,
    pub openid: String,
    notify_url: String,
    /// When the buyer paid (Unix seconds).
    pub paid_at: Option<i64>,
}

struct Inner {
    /// Refunds by out_refund_no: (out_trade_no, amount, status).
    refunds: HashMap<String, (String, i64, &'static str)>,
    /// Where each refund's notifications go (its request's notify_url).
    refund_notify_urls: HashMap<String, String>,
    /// The status new refunds get.
    refund_status: &'static str,
    /// When each refund was accepted (Unix seconds).
    refund_times: HashMap<String, i64>,
    orders: HashMap<String, Order>,
    mode: Mode,
    bill_fault: Option<BillFault>,
    /// Bill files by download token: the bytes served.
    bills: HashMap<String, Vec<u8>>,
    calls: Vec<String>,
}

#[derive(Clone)]
pub struct WechatSim {
    pub addr: SocketAddr,
    inner: Arc<Mutex<Inner>>,
    platform: Arc<SigningKey<Sha256>>,
    pub merchant: Arc<VerifyingKey<Sha256>>,
}

fn random(n: usize) -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..n)
        .map(|_| char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[rng.random_range(0..36)]))
        .collect()
}

impl WechatSim {
    pub async fn start() -> Self {
        let pem = |f: &str| std::fs::read_to_string(format!("{DATA}/{f}")).unwrap();
        let platform =
            rsa::RsaPrivateKey::from_pkcs8_pem(&pem("wechat_platform_pkcs8.pem")).unwrap();
        let merchant = rsa::RsaPublicKey::from_public_key_pem(&pem("merchant_public.pem")).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let sim = Self {
            addr: listener.local_addr().unwrap(),
            inner: Arc::new(Mutex::new(Inner {
                refunds: HashMap::new(),
                refund_notify_urls: HashMap::new(),
                refund_status: "SUCCESS",
                refund_times: HashMap::new(),
                orders: HashMap::new(),
                mode: Mode::Normal,
                bill_fault: None,
                bills: HashMap::new(),
                calls: Vec::new(),
            })),
            platform: Arc::new(SigningKey::new(platform)),
            merchant: Arc::new(VerifyingKey::new(merchant)),
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

    pub fn calls(&self) -> Vec<String> {
        self.inner.lock().unwrap().calls.clone()
    }

    pub fn order(&self, no: &str) -> Option<Order> {
        self.inner.lock().unwrap().orders.get(no).cloned()
    }

    /// Platform signature headers for `body` at `timestamp`.
    pub fn signed_headers(&self, timestamp: i64, body: &[u8]) -> Vec<(String, String)> {
        let nonce = random(32);
        let mut message = format!("{timestamp}\n{nonce}\n").into_bytes();
        message.extend_from_slice(body);
        message.push(b'\n');
        let signature = STANDARD.encode(self.platform.sign(&message).to_bytes());
        vec![
            ("wechatpay-timestamp".into(), timestamp.to_string()),
            ("wechatpay-nonce".into(), nonce),
            ("wechatpay-signature".into(), signature),
            ("wechatpay-serial".into(), PLATFORM_SERIAL.into()),
            (
                "wechatpay-signature-type".into(),
                "WECHATPAY2-SHA256-RSA2048".into(),
            ),
        ]
    }

    fn answer(&self, status: u16, body: Option<Value>) -> Response {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let mut response = (StatusCode::from_u16(status).unwrap(), body.clone()).into_response();
        for (k, v) in self.signed_headers(unix_now(), body.as_bytes()) {
            response.headers_mut().insert(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        response
    }

    /// A callback body for a transaction, encrypted under `key`.
    pub fn callback_body(&self, transaction: &Value, key: &[u8; 32]) -> String {
        let event = if transaction["trade_state"] == "SUCCESS" {
            "TRANSACTION.SUCCESS"
        } else {
            "TRANSACTION.CLOSED"
        };
        self.sealed_callback(transaction, event, "transaction", "支付成功", key)
    }

    /// A notification whose resource is `plain`, encrypted with `key` as WeChat Pay does.
    fn sealed_callback(
        &self,
        plain: &Value,
        event: &str,
        original_type: &str,
        summary: &str,
        key: &[u8; 32],
    ) -> String {
        let nonce = random(12);
        let cipher = Aes256Gcm::new_from_slice(key).unwrap();
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(nonce.as_bytes()),
                Payload {
                    msg: plain.to_string().as_bytes(),
                    aad: original_type.as_bytes(),
                },
            )
            .unwrap();
        json!({
            "id": format!("EV-{}", random(10)),
            "create_time": "2026-11-22T12:00:05+08:00",
            "resource_type": "encrypt-resource",
            "event_type": event,
            "summary": summary,
            "resource": {
                "original_type": original_type,
                "algorithm": "AEAD_AES_256_GCM",
                "ciphertext": STANDARD.encode(sealed),
                "associated_data": original_type,
                "nonce": nonce,
            }
        })
        .to_string()
    }

    pub fn transaction(&self, no: &str, order: &Order) -> Value {
        json!({
            "appid": APPID, "mchid": MCHID, "out_trade_no": no,
            "transaction_id": order.transaction_id, "trade_type": order.kind.to_uppercase(),
            "trade_state": "SUCCESS", "trade_state_desc": "支付成功", "bank_type": "OTHERS",
            "success_time": "2026-11-22T12:00:04+08:00", "payer": {"openid": order.openid},
            "amount": {"total": order.total, "payer_total": order.total, "currency": "CNY", "payer_currency": "CNY"}
        })
    }

    /// POSTs a callback body with the given headers to the order's notify URL.
    pub async fn deliver(
        &self,
        url: &str,
        headers: Vec<(String, String)>,
        body: &str,
    ) -> (u16, String) {
        let rest = url.strip_prefix("http://").unwrap();
        let (host, path) = rest.split_once('/').unwrap();
        let mut h: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        h.push(("content-type", "application/json"));
        crate::support::http(
            host.parse().unwrap(),
            "POST",
            &format!("/{path}"),
            &h,
            body.as_bytes(),
        )
        .await
    }

    pub fn pay_silently(&self, no: &str) -> Order {
        let mut inner = self.inner.lock().unwrap();
        let order = inner.orders.get_mut(no).expect("order at the simulator");
        order.state = "SUCCESS";
        order.paid_at.get_or_insert_with(unix_now);
        order.clone()
    }

    /// The buyer pays and WeChat Pay notifies paycore.
    pub async fn pay(&self, no: &str) -> (u16, String) {
        let order = self.pay_silently(no);
        let body = self.callback_body(&self.transaction(no, &order), API_V3_KEY);
        let headers = self.signed_headers(unix_now(), body.as_bytes());
        self.deliver(&order.notify_url, headers, &body).await
    }

    /// A refund reaches `status` (`SUCCESS`, `ABNORMAL`, `CLOSED`) and WeChat Pay sends
    /// `REFUND.<status>` to the refund's notify_url, as documented (no appid in it).
    pub async fn notify_refund(&self, out_refund_no: &str, status: &'static str) -> (u16, String) {
        self.set_refund_state(out_refund_no, status);
        let (trade, amount, total, url) = {
            let inner = self.inner.lock().unwrap();
            let (trade, amount, _) = inner.refunds[out_refund_no].clone();
            let total = inner.orders[&trade].total;
            (
                trade,
                amount,
                total,
                inner.refund_notify_urls[out_refund_no].clone(),
            )
        };
        let resource = json!({
            "mchid": MCHID, "out_trade_no": trade, "transaction_id": "4200000000000000000000000001",
            "out_refund_no": out_refund_no, "refund_id": "50000000382019052709732678859",
            "refund_status": status, "success_time": "2026-11-22T13:29:35+08:00",
            "user_received_account": "招商银行信用卡0403",
            "amount": {"total": total, "refund": amount, "payer_total": total, "payer_refund": amount}
        });
        let body = self.sealed_callback(
            &resource,
            &format!("REFUND.{status}"),
            "refund",
            "退款成功",
            API_V3_KEY,
        );
        let headers = self.signed_headers(unix_now(), body.as_bytes());
        self.deliver(&url, headers, &body).await
    }

    /// New refunds start in this status (`SUCCESS` or `PROCESSING`).
    pub fn set_refund_status(&self, status: &'static str) {
        self.inner.lock().unwrap().refund_status = status;
    }

    /// The bank finished a refund.
    pub fn complete_refund(&self, out_refund_no: &str) {
        self.set_refund_state(out_refund_no, "SUCCESS");
    }

    /// Moves a refund to `status` (`SUCCESS`, `CLOSED`, `PROCESSING`, `ABNORMAL`).
    pub fn set_refund_state(&self, out_refund_no: &str, status: &'static str) {
        self.inner
            .lock()
            .unwrap()
            .refunds
            .get_mut(out_refund_no)
            .expect("refund")
            .2 = status;
    }

    pub fn refund_amount(&self, out_refund_no: &str) -> Option<i64> {
        self.inner
            .lock()
            .unwrap()
            .refunds
            .get(out_refund_no)
            .map(|r| r.1)
    }

    pub fn notify_url(&self, no: &str) -> String {
        self.order(no).unwrap().notify_url
    }

    fn verify_request(&self, method: &Method, uri: &Uri, headers: &HeaderMap, body: &[u8]) -> bool {
        let Some(auth) = headers.get("authorization").and_then(|v| v.to_str().ok()) else {
            return false;
        };
        let Some(fields) = auth.strip_prefix("WECHATPAY2-SHA256-RSA2048 ") else {
            return false;
        };
        let mut map = HashMap::new();
        for part in fields.split(',') {
            if let Some((k, v)) = part.split_once('=') {
                map.insert(k.trim(), v.trim().trim_matches('"'));
            }
        }
        let (Some(mchid), Some(nonce), Some(ts), Some(serial), Some(sig)) = (
            map.get("mchid"),
            map.get("nonce_str"),
            map.get("timestamp"),
            map.get("serial_no"),
            map.get("signature"),
        ) else {
            return false;
        };
        if *mchid != MCHID || *serial != MERCHANT_SERIAL {
            return false;
        }
        let url = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
        let mut message = format!("{method}\n{url}\n{ts}\n{nonce}\n").into_bytes();
        message.extend_from_slice(body);
        message.push(b'\n');
        let Ok(bytes) = STANDARD.decode(sig) else {
            return false;
        };
        let Ok(signature) = Signature::try_from(bytes.as_slice()) else {
            return false;
        };
        self.merchant.verify(&message, &signature).is_ok()
    }
}

async fn handle(
    State(sim): State<WechatSim>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_owned();
    let mode = {
        let mut inner = sim.inner.lock().unwrap();
        inner.calls.push(format!("{method} {path}"));
        inner.mode.clone()
    };
    match mode {
        Mode::Error(status, code) => {
            return sim.answer(status, Some(json!({"code": code, "message": "simulated"})));
        }
        Mode::Unsigned(status) => {
            return (StatusCode::from_u16(status).unwrap(), "{}").into_response();
        }
        Mode::Normal => {}
    }
    let has = |name: &str| headers.get(name).is_some_and(|v| !v.is_empty());
    if !has("user-agent") || !has("accept") {
        return sim.answer(
            400,
            Some(json!({"code": "INVALID_REQUEST", "message": "Http头缺少Accept或User-Agent"})),
        );
    }
    if !sim.verify_request(&method, &uri, &headers, &body) {
        return sim.answer(
            401,
            Some(json!({"code": "SIGN_ERROR", "message": "signature invalid"})),
        );
    }
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let not_exist = || {
        sim.answer(
            404,
            Some(json!({"code": "ORDER_NOT_EXIST", "message": "no such order"})),
        )
    };
    if let Some(kind) = path
        .strip_prefix("/v3/pay/transactions/")
        .filter(|k| ["native", "jsapi", "app", "h5"].contains(k))
    {
        if request["mchid"] != MCHID || request["appid"] != APPID {
            return sim.answer(
                400,
                Some(json!({"code": "PARAM_ERROR", "message": "mchid/appid"})),
            );
        }
        if kind == "jsapi"
            && request["payer"]["openid"]
                .as_str()
                .unwrap_or_default()
                .is_empty()
        {
            return sim.answer(
                400,
                Some(json!({"code": "PARAM_ERROR", "message": "payer.openid"})),
            );
        }
        let no = request["out_trade_no"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let mut inner = sim.inner.lock().unwrap();
        let n = inner.orders.len() + 1;
        inner.orders.entry(no.clone()).or_insert(Order {
            kind: kind.to_owned(),
            total: request["amount"]["total"].as_i64().unwrap_or_default(),
            state: "NOTPAY",
            transaction_id: format!("42000000002026112200{n:08}"),
            openid: request["payer"]["openid"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            notify_url: request["notify_url"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            paid_at: None,
        });
        drop(inner);
        let prepay = format!("wx2026112212{}", random(16));
        return match kind {
            "native" => sim.answer(200, Some(json!({"code_url": format!("weixin://wxpay/bizpayurl?pr={no}")}))),
            "h5" => sim.answer(200, Some(json!({"h5_url": format!("https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id={prepay}")}))),
            _ => sim.answer(200, Some(json!({"prepay_id": prepay}))),
        };
    }
    if method == Method::GET && path == "/v3/bill/tradebill" {
        return sim.bill_answer(uri.query().unwrap_or_default());
    }
    if method == Method::GET && path == "/v3/billdownload/file" {
        return sim.bill_file(uri.query().unwrap_or_default());
    }
    let refund_answer = |no: &str, r: &(String, i64, &'static str)| {
        json!({"refund_id": refund_id(no), "out_refund_no": no, "out_trade_no": r.0,
               "status": r.2, "amount": {"refund": r.1, "currency": "CNY"}})
    };
    if method == Method::POST && path == "/v3/refund/domestic/refunds" {
        let no = request["out_refund_no"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let trade = request["out_trade_no"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let amount = request["amount"]["refund"].as_i64().unwrap_or_default();
        let mut inner = sim.inner.lock().unwrap();
        let Some(order) = inner.orders.get(&trade) else {
            drop(inner);
            return not_exist();
        };
        if order.state != "SUCCESS" || request["amount"]["total"].as_i64() != Some(order.total) {
            drop(inner);
            return sim.answer(
                400,
                Some(json!({"code": "INVALID_REQUEST", "message": "not refundable"})),
            );
        }
        let status = inner.refund_status;
        if let Some(url) = request["notify_url"].as_str() {
            inner.refund_notify_urls.insert(no.clone(), url.to_owned());
        }
        inner
            .refund_times
            .entry(no.clone())
            .or_insert_with(unix_now);
        let refund = inner
            .refunds
            .entry(no.clone())
            .or_insert((trade, amount, status))
            .clone();
        drop(inner);
        return sim.answer(200, Some(refund_answer(&no, &refund)));
    }
    if let Some(no) = path.strip_prefix("/v3/refund/domestic/refunds/") {
        let refund = sim.inner.lock().unwrap().refunds.get(no).cloned();
        return match refund {
            Some(r) => sim.answer(200, Some(refund_answer(no, &r))),
            None => sim.answer(
                404,
                Some(json!({"code": "RESOURCE_NOT_EXISTS", "message": "no such refund"})),
            ),
        };
    }
    if let Some(rest) = path.strip_prefix("/v3/pay/transactions/out-trade-no/") {
        if let Some(no) = rest.strip_suffix("/close") {
            let mut inner = sim.inner.lock().unwrap();
            let Some(order) = inner.orders.get_mut(no) else {
                drop(inner);
                return not_exist();
            };
            if order.state == "SUCCESS" {
                drop(inner);
                return sim.answer(400, Some(json!({"code": "ORDERPAID", "message": "paid"})));
            }
            order.state = "CLOSED";
            drop(inner);
            return sim.answer(204, None);
        }
        let Some(order) = sim.order(rest) else {
            return not_exist();
        };
        if uri.query() != Some(&format!("mchid={MCHID}")) {
            return sim.answer(
                400,
                Some(json!({"code": "PARAM_ERROR", "message": "mchid"})),
            );
        }
        let mut tx = sim.transaction(rest, &order);
        tx["trade_state"] = json!(order.state);
        return sim.answer(200, Some(tx));
    }
    sim.answer(
        404,
        Some(json!({"code": "NOT_FOUND", "message": "no such endpoint"})),
    )
}
