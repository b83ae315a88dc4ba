//! A loopback Alipay gateway for tests, written from the protocol description rather than
//! from paycore's adapter: it verifies RSA2 request signatures with the merchant's public
//! key, keeps orders, signs its answers with the platform key over the exact inner text it
//! sends, and posts signed notifications to paycore. It serves trade bills of the orders it
//! holds (see `bill`). It can be told to misbehave.

mod bill;

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
pub use bill::Bill;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use sha2::Sha256;

pub const APP_ID: &str = "2021000000000001";
const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/keys");

/// How the gateway answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Normal,
    /// HTTP 502 after reading the request.
    ServerError,
    /// Never answers.
    Hang,
    /// Not JSON.
    Malformed,
    /// A signed business error `code` / `sub_code`.
    Business(&'static str, &'static str),
    /// On precreate, the buyer pays and the notification is delivered before the answer.
    NotifyBeforeAnswer,
    /// Does the work, then never answers.
    HangAfterWork,
}

/// A precreated QR order nobody has scanned: Alipay has no trade for it yet.
pub const UNSCANNED: &str = "UNSCANNED";
/// An unscanned QR order that was cancelled: its code can no longer be paid.
pub const CANCELLED: &str = "CANCELLED";

#[derive(Debug, Clone)]
pub struct Order {
    /// Refunds by out_request_no, with their amounts.
    pub refunds: Vec<(String, String)>,
    pub total_amount: String,
    pub status: &'static str,
    pub trade_no: String,
    /// When the buyer paid, China time (`YYYY-MM-DD HH:MM:SS`).
    pub paid_at: Option<String>,
    notify_url: String,
}

/// When events happen unless a test says otherwise (China time).
const DEFAULT_TIME: &str = "2026-11-22 12:00:04";
/// How long a bill download URL works.
const BILL_URL_LIFETIME: Duration = Duration::from_secs(30);

struct Inner {
    orders: HashMap<String, Order>,
    mode: Mode,
    calls: Vec<String>,
    /// The time given to payments and refunds from now on, China time.
    now: String,
    /// (out_trade_no, out_request_no) → when the refund was made, China time.
    refunded_at: HashMap<(String, String), String>,
    bill: Bill,
    /// Bill download tokens → the day and when the URL was given.
    bill_links: HashMap<String, (String, tokio::time::Instant)>,
}

#[derive(Clone)]
pub struct AlipaySim {
    pub addr: SocketAddr,
    inner: Arc<Mutex<Inner>>,
    platform: Arc<SigningKey<Sha256>>,
    merchant: Arc<VerifyingKey<Sha256>>,
    task: Arc<tokio::task::JoinHandle<()>>,
}

fn key_file(name: &str) -> String {
    std::fs::read_to_string(format!("{DATA}/{name}")).unwrap()
}

/// The RSA2 string to sign: sorted by key, empty values and `exclude` dropped, raw values.
fn content(params: &BTreeMap<String, String>, exclude: &[&str]) -> String {
    params
        .iter()
        .filter(|(k, v)| !v.is_empty() && !exclude.contains(&k.as_str()))
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

impl AlipaySim {
    pub async fn start() -> Self {
        let platform =
            rsa::RsaPrivateKey::from_pkcs1_pem(&key_file("alipay_platform_pkcs1.pem")).unwrap();
        let merchant =
            rsa::RsaPublicKey::from_public_key_pem(&key_file("merchant_public.pem")).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let inner = Arc::new(Mutex::new(Inner {
            orders: HashMap::new(),
            mode: Mode::Normal,
            calls: Vec::new(),
            now: DEFAULT_TIME.to_owned(),
            refunded_at: HashMap::new(),
            bill: Bill::Normal,
            bill_links: HashMap::new(),
        }));
        let mut sim = Self {
            addr,
            inner,
            platform: Arc::new(SigningKey::new(platform)),
            merchant: Arc::new(VerifyingKey::new(merchant)),
            task: Arc::new(tokio::spawn(async {})),
        };
        let app = axum::Router::new()
            .route(
                "/gateway.do",
                axum::routing::post(post_gateway).get(get_gateway),
            )
            .route(
                "/downloadBillFile.resource",
                axum::routing::get(download_bill),
            )
            .with_state(sim.clone());
        sim.task = Arc::new(tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        }));
        sim
    }

    pub fn gateway_url(&self) -> String {
        format!("http://{}/gateway.do", self.addr)
    }

    /// Stops listening: connections are refused from now on.
    pub fn stop(&self) {
        self.task.abort();
    }

    pub fn set_mode(&self, mode: Mode) {
        self.inner.lock().unwrap().mode = mode;
    }

    /// How trade bills are served from now on.
    pub fn set_bill(&self, bill: Bill) {
        self.inner.lock().unwrap().bill = bill;
    }

    /// Payments and refunds from now on happen at `china_time` (`YYYY-MM-DD HH:MM:SS`).
    pub fn set_time(&self, china_time: &str) {
        self.inner.lock().unwrap().now = china_time.to_owned();
    }

    /// An order paid at Alipay that paycore never made: the bill lists it.
    pub fn add_paid_order(&self, out_trade_no: &str, total_amount: &str, paid_at: &str) -> Order {
        let mut inner = self.inner.lock().unwrap();
        let order = Order {
            refunds: Vec::new(),
            total_amount: total_amount.to_owned(),
            status: "TRADE_SUCCESS",
            trade_no: format!("2026112222{:012}", inner.orders.len() + 1),
            paid_at: Some(paid_at.to_owned()),
            notify_url: String::new(),
        };
        inner.orders.insert(out_trade_no.to_owned(), order.clone());
        order
    }

    /// The API methods called so far.
    pub fn calls(&self) -> Vec<String> {
        self.inner.lock().unwrap().calls.clone()
    }

    pub fn order(&self, out_trade_no: &str) -> Option<Order> {
        self.inner.lock().unwrap().orders.get(out_trade_no).cloned()
    }

    fn sign(&self, text: &str) -> String {
        STANDARD.encode(self.platform.sign(text.as_bytes()).to_bytes())
    }

    fn verify_request(&self, params: &BTreeMap<String, String>) -> bool {
        let Some(sig) = params.get("sign") else {
            return false;
        };
        let Ok(bytes) = STANDARD.decode(sig) else {
            return false;
        };
        let Ok(sig) = Signature::try_from(bytes.as_slice()) else {
            return false;
        };
        params.get("sign_type").map(String::as_str) == Some("RSA2")
            && self
                .merchant
                .verify(content(params, &["sign"]).as_bytes(), &sig)
                .is_ok()
    }

    /// A signed synchronous answer. Slashes are escaped as Alipay does, so the signed text
    /// differs from any re-serialisation.
    fn answer(&self, method: &str, inner: serde_json::Value) -> Response {
        let inner = inner.to_string().replace('/', "\\/");
        let name = if method.is_empty() {
            "error_response".to_owned()
        } else {
            format!("{}_response", method.replace('.', "_"))
        };
        let body = format!(r#"{{"{name}":{inner},"sign":"{}"}}"#, self.sign(&inner));
        ([("content-type", "application/json;charset=utf-8")], body).into_response()
    }

    /// A notification's form body, signed with the platform key.
    pub fn notification(&self, params: &[(&str, &str)]) -> String {
        let params: BTreeMap<String, String> = params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let signature = self.sign(&content(&params, &["sign", "sign_type"]));
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.extend_pairs(&params);
        form.append_pair("sign", &signature);
        form.append_pair("sign_type", "RSA2");
        form.finish()
    }

    /// The standard paid notification for an order.
    pub fn paid_notification(
        &self,
        out_trade_no: &str,
        trade_no: &str,
        total_amount: &str,
    ) -> String {
        self.notification(&[
            ("notify_time", "2026-11-22 12:00:05"),
            ("notify_type", "trade_status_sync"),
            ("notify_id", &format!("ntf-{trade_no}")),
            ("app_id", APP_ID),
            ("charset", "utf-8"),
            ("version", "1.0"),
            ("trade_no", trade_no),
            ("out_trade_no", out_trade_no),
            ("trade_status", "TRADE_SUCCESS"),
            ("total_amount", total_amount),
            ("receipt_amount", total_amount),
            ("buyer_pay_amount", total_amount),
            ("gmt_payment", "2026-11-22 12:00:04"),
        ])
    }

    /// The buyer scans a QR order's code: from now on Alipay has a trade, waiting for
    /// payment. A cancelled order's code cannot be scanned; a closed trade stays closed.
    pub fn scan(&self, out_trade_no: &str) -> Result<Order, &'static str> {
        let mut inner = self.inner.lock().unwrap();
        let order = inner.orders.get_mut(out_trade_no).ok_or("no such order")?;
        match order.status {
            UNSCANNED => order.status = "WAIT_BUYER_PAY",
            CANCELLED => return Err("the order was cancelled"),
            _ => {}
        }
        Ok(order.clone())
    }

    /// The buyer scans if need be and pays, if the order can still be paid; the notification
    /// is lost.
    pub fn try_pay_silently(&self, out_trade_no: &str) -> Result<Order, &'static str> {
        self.scan(out_trade_no)?;
        let mut inner = self.inner.lock().unwrap();
        let now = inner.now.clone();
        let order = inner.orders.get_mut(out_trade_no).ok_or("no such order")?;
        if order.status != "WAIT_BUYER_PAY" {
            return Err("the trade is not waiting for payment");
        }
        order.status = "TRADE_SUCCESS";
        order.paid_at = Some(now);
        Ok(order.clone())
    }

    /// The buyer pays; the notification is lost.
    pub fn pay_silently(&self, out_trade_no: &str) -> Order {
        self.try_pay_silently(out_trade_no)
            .expect("the order can be paid")
    }

    /// The buyer pays and Alipay notifies paycore; returns paycore's HTTP answer.
    pub async fn pay(&self, out_trade_no: &str) -> (u16, String) {
        let order = self.pay_silently(out_trade_no);
        self.notify_paid(out_trade_no, &order).await
    }

    /// Alipay notifies paycore that `order` was paid; returns paycore's HTTP answer.
    pub async fn notify_paid(&self, out_trade_no: &str, order: &Order) -> (u16, String) {
        let body = self.paid_notification(out_trade_no, &order.trade_no, &order.total_amount);
        post_form(&order.notify_url, &body).await
    }

    /// Opens a signed page/wap/app order as the buyer's browser or app would.
    pub fn open(&self, query: &str) -> Result<(), &'static str> {
        let params: BTreeMap<String, String> = form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        if !self.verify_request(&params) {
            return Err("invalid-signature");
        }
        self.create_order(&params, "WAIT_BUYER_PAY").map(|_| ())
    }

    fn create_order(
        &self,
        params: &BTreeMap<String, String>,
        status: &'static str,
    ) -> Result<Order, &'static str> {
        let biz: serde_json::Value = params
            .get("biz_content")
            .and_then(|b| serde_json::from_str(b).ok())
            .ok_or("missing biz_content")?;
        let no = biz["out_trade_no"]
            .as_str()
            .ok_or("missing out_trade_no")?
            .to_owned();
        let mut inner = self.inner.lock().unwrap();
        let trade_no = format!("2026112222{:012}", inner.orders.len() + 1);
        let order = inner.orders.entry(no).or_insert(Order {
            refunds: Vec::new(),
            total_amount: biz["total_amount"].as_str().unwrap_or_default().to_owned(),
            status,
            trade_no,
            paid_at: None,
            notify_url: params.get("notify_url").cloned().unwrap_or_default(),
        });
        Ok(order.clone())
    }
}

/// POSTs a form to an `http://host:port/path` URL on loopback.
pub async fn post_form(url: &str, body: &str) -> (u16, String) {
    let rest = url.strip_prefix("http://").expect("http URL");
    let (host, path) = rest.split_once('/').expect("path");
    crate::support::http(
        host.parse().expect("loopback address"),
        "POST",
        &format!("/{path}"),
        &[("content-type", "application/x-www-form-urlencoded")],
        body.as_bytes(),
    )
    .await
}

async fn get_gateway(
    State(sim): State<AlipaySim>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(query)
        .finish();
    match sim.open(&query) {
        Ok(()) => Html("<p>Alipay cashier (simulated)</p>").into_response(),
        Err(e) => (StatusCode::BAD_REQUEST, e).into_response(),
    }
}

async fn post_gateway(
    State(sim): State<AlipaySim>,
    query: Query<Vec<(String, String)>>,
    body: axum::body::Bytes,
) -> Response {
    let answer = gateway(sim.clone(), query, body).await;
    if sim.inner.lock().unwrap().mode == Mode::HangAfterWork {
        tokio::time::sleep(Duration::from_secs(60)).await;
    }
    answer
}

async fn gateway(
    sim: AlipaySim,
    Query(query): Query<Vec<(String, String)>>,
    body: axum::body::Bytes,
) -> Response {
    // Query and body parameters merge, as on the real gateway.
    let mut params: BTreeMap<String, String> = query.into_iter().collect();
    params.extend(form_urlencoded::parse(&body).into_owned());
    let method = params.get("method").cloned().unwrap_or_default();
    let mode = {
        let mut inner = sim.inner.lock().unwrap();
        inner.calls.push(method.clone());
        inner.mode.clone()
    };
    match mode {
        Mode::ServerError => return StatusCode::BAD_GATEWAY.into_response(),
        Mode::Hang => {
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
        Mode::Malformed => return "<html>busy</html>".into_response(),
        Mode::Business(code, sub_code) => {
            return sim.answer(
                &method,
                serde_json::json!({"code": code, "msg": "Business Failed", "sub_code": sub_code, "sub_msg": "simulated"}),
            );
        }
        Mode::Normal | Mode::NotifyBeforeAnswer | Mode::HangAfterWork => {}
    }
    if !sim.verify_request(&params) {
        return sim.answer(
            "",
            serde_json::json!({"code": "40002", "msg": "Invalid Arguments", "sub_code": "isv.invalid-signature", "sub_msg": "bad signature"}),
        );
    }
    if params.get("app_id").map(String::as_str) != Some(APP_ID) {
        return sim.answer(
            "",
            serde_json::json!({"code": "40002", "msg": "Invalid Arguments", "sub_code": "isv.invalid-app-id", "sub_msg": "app id"}),
        );
    }
    let biz: serde_json::Value = params
        .get("biz_content")
        .and_then(|b| serde_json::from_str(b).ok())
        .unwrap_or_default();
    let no = biz["out_trade_no"].as_str().unwrap_or_default().to_owned();
    let not_exist = serde_json::json!({"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.TRADE_NOT_EXIST", "sub_msg": "no such trade"});
    match method.as_str() {
        "alipay.trade.precreate" => {
            // No trade exists until the buyer scans the code.
            if sim.create_order(&params, UNSCANNED).is_err() {
                return sim.answer(&method, not_exist);
            }
            if mode == Mode::NotifyBeforeAnswer {
                let (code, _) = sim.pay(&no).await;
                assert_eq!(code, 200, "early notification accepted");
            }
            sim.answer(
                &method,
                serde_json::json!({"code": "10000", "msg": "Success", "out_trade_no": no, "qr_code": format!("https://qr.alipay.com/sim{no}")}),
            )
        }
        "alipay.trade.query" => match sim.order(&no) {
            None => sim.answer(&method, not_exist),
            Some(o) if [UNSCANNED, CANCELLED].contains(&o.status) => {
                sim.answer(&method, not_exist)
            }
            Some(o) => sim.answer(
                &method,
                serde_json::json!({"code": "10000", "msg": "Success", "out_trade_no": no, "trade_no": o.trade_no,
                    "trade_status": o.status, "total_amount": o.total_amount, "send_pay_date": "2026-11-22 12:00:04"}),
            ),
        },
        "alipay.trade.refund" => {
            let request_no = biz["out_request_no"].as_str().unwrap_or_default().to_owned();
            let amount = biz["refund_amount"].as_str().unwrap_or_default().to_owned();
            let mut guard = sim.inner.lock().unwrap();
            let inner = &mut *guard;
            let answer = match inner.orders.get_mut(&no) {
                None => not_exist,
                Some(o) if o.status != "TRADE_SUCCESS" => serde_json::json!({"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.TRADE_STATUS_ERROR", "sub_msg": "not paid"}),
                Some(o) => {
                    // The same out_request_no twice refunds once; the repeat moves no funds.
                    let repeated = o.refunds.iter().any(|(r, _)| *r == request_no);
                    if !repeated {
                        inner
                            .refunded_at
                            .insert((no.clone(), request_no.clone()), inner.now.clone());
                        o.refunds.push((request_no, amount.clone()));
                    }
                    serde_json::json!({"code": "10000", "msg": "Success", "out_trade_no": no, "trade_no": o.trade_no,
                        "refund_fee": amount, "fund_change": if repeated { "N" } else { "Y" }})
                }
            };
            drop(guard);
            sim.answer(&method, answer)
        }
        "alipay.trade.fastpay.refund.query" => {
            let request_no = biz["out_request_no"].as_str().unwrap_or_default();
            let answer = match sim.order(&no) {
                None => not_exist,
                Some(o) => match o.refunds.iter().find(|(r, _)| r == request_no) {
                    Some((_, amount)) => serde_json::json!({"code": "10000", "msg": "Success", "out_trade_no": no,
                        "trade_no": o.trade_no, "out_request_no": request_no, "refund_amount": amount, "refund_status": "REFUND_SUCCESS"}),
                    None => serde_json::json!({"code": "10000", "msg": "Success"}),
                },
            };
            sim.answer(&method, answer)
        }
        "alipay.trade.close" => {
            let mut inner = sim.inner.lock().unwrap();
            let answer = match inner.orders.get_mut(&no) {
                None => not_exist,
                // An unscanned order has no trade to close: its code stays payable.
                Some(o) if [UNSCANNED, CANCELLED].contains(&o.status) => not_exist,
                Some(o) if o.status == "WAIT_BUYER_PAY" => {
                    o.status = "TRADE_CLOSED";
                    serde_json::json!({"code": "10000", "msg": "Success", "out_trade_no": no, "trade_no": o.trade_no})
                }
                Some(_) => serde_json::json!({"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.TRADE_STATUS_ERROR", "sub_msg": "status"}),
            };
            drop(inner);
            sim.answer(&method, answer)
        }
        "alipay.trade.cancel" => {
            let mut guard = sim.inner.lock().unwrap();
            let inner = &mut *guard;
            let answer = match inner.orders.get_mut(&no) {
                None => not_exist,
                // No trade yet: the order number is voided; `action` only when a trade exists.
                Some(o) if [UNSCANNED, CANCELLED].contains(&o.status) => {
                    o.status = CANCELLED;
                    serde_json::json!({"code": "10000", "msg": "Success", "out_trade_no": no, "retry_flag": "N"})
                }
                Some(o) => {
                    let action = if o.status == "TRADE_SUCCESS" {
                        inner
                            .refunded_at
                            .insert((no.clone(), "cancel".into()), inner.now.clone());
                        o.refunds.push(("cancel".into(), o.total_amount.clone()));
                        "refund"
                    } else {
                        "close"
                    };
                    o.status = "TRADE_CLOSED";
                    serde_json::json!({"code": "10000", "msg": "Success", "out_trade_no": no,
                        "trade_no": o.trade_no, "retry_flag": "N", "action": action})
                }
            };
            drop(guard);
            sim.answer(&method, answer)
        }
        "alipay.data.dataservice.bill.downloadurl.query" => {
            let day = biz["bill_date"].as_str().unwrap_or_default().to_owned();
            let mut inner = sim.inner.lock().unwrap();
            let answer = if biz["bill_type"] != "trade" || !valid_day(&day) {
                serde_json::json!({"code": "40004", "msg": "Business Failed", "sub_code": "isv.invalid-arguments", "sub_msg": "bill_type or bill_date"})
            } else if let Bill::Error(sub_code) = inner.bill {
                serde_json::json!({"code": "40004", "msg": "Business Failed", "sub_code": sub_code, "sub_msg": "simulated"})
            } else {
                let token = format!("t{}", inner.bill_links.len() + 1);
                let url = bill::download_url(&format!("http://{}", sim.addr), &day, &token);
                inner
                    .bill_links
                    .insert(token, (day, tokio::time::Instant::now()));
                serde_json::json!({"code": "10000", "msg": "Success", "bill_download_url": url})
            };
            drop(inner);
            sim.answer(&method, answer)
        }
        _ => sim.answer(
            "",
            serde_json::json!({"code": "40004", "msg": "Business Failed", "sub_code": "isv.invalid-method", "sub_msg": "unknown method"}),
        ),
    }
}

/// `YYYY-MM-DD`.
fn valid_day(day: &str) -> bool {
    let b = day.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// A bill download: the day's archive while its link is fresh, 404 once it has expired.
async fn download_bill(
    State(sim): State<AlipaySim>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let token = query
        .iter()
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let inner = sim.inner.lock().unwrap();
    let fresh = inner
        .bill_links
        .get(&token)
        .filter(|(_, given)| given.elapsed() < BILL_URL_LIFETIME);
    match fresh {
        Some((day, _)) if inner.bill != Bill::Expired => {
            let body = bill::archive(inner.orders.iter(), &inner.refunded_at, day, inner.bill);
            ([("content-type", "application/octet-stream")], body).into_response()
        }
        _ => (StatusCode::NOT_FOUND, "下载超时,请重新下载").into_response(),
    }
}
