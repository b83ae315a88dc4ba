//! Fixed vectors from each provider's documentation: a request the adapter sends, an answer it
//! reads and a notification it verifies, checked against the documented formats rather than
//! against the simulators. The samples are under tests/data/vectors, whose READMEs name the
//! documentation each comes from; their signatures are made with the keys in tests/data/keys.
//! Requests are caught by a loopback listener that knows nothing of any provider: it records
//! the raw request and sends back the sample answer.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http::{HeaderMap, HeaderName, HeaderValue};
use paycore::domain::{
    AttemptId, ChannelId, Clock, Currency, MerchantId, Method, Money, NextAction, Payer, Payment,
    PaymentId, PaymentStatus, Refund, RefundStatus, Secret, Timestamp,
};
use paycore::provider::executor::Executor;
use paycore::provider::{
    Notification, OrderState, Placed, Provider, RefundState, Rejected, alipay, keys, stripe,
    wechatpay,
};
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use serde_json::Value;
use sha2::Sha256;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/vectors");
const KEYS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/keys");

/// The payment every vector is about.
const PAYMENT_ID: &str = "pay_01KAQ8ZB00CX2N6H4DGT5RJ3VW";
/// 2026-11-22T04:00:00Z, 12:00:00 in China: the clock of every vector.
const NOW: i64 = 1_795_320_000;
/// Two hours later: when the payment expires.
const EXPIRES: i64 = NOW + 7200;

fn vector(path: &str) -> String {
    std::fs::read_to_string(format!("{VECTORS}/{path}")).unwrap()
}

fn key_text(name: &str) -> String {
    std::fs::read_to_string(format!("{KEYS}/{name}")).unwrap()
}

fn at(secs: i64) -> Timestamp {
    Timestamp::from_micros(secs * 1_000_000)
}

/// A clock that stays at one moment.
struct FixedClock(Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        self.0
    }
}

fn clock() -> Arc<dyn Clock> {
    Arc::new(FixedClock(at(NOW)))
}

fn executor() -> Executor {
    Executor::new(Duration::from_secs(5)).unwrap()
}

fn merchant_key() -> SigningKey<Sha256> {
    SigningKey::new(keys::private_key(&key_text("merchant_pkcs8.pem")).unwrap())
}

/// Whether `signature` (base64) is the merchant key's SHA256withRSA signature of `message`.
fn merchant_signed(message: &[u8], signature: &str) -> bool {
    let public = rsa::RsaPublicKey::from_public_key_pem(&key_text("merchant_public.pem")).unwrap();
    let Ok(bytes) = STANDARD.decode(signature) else {
        return false;
    };
    let Ok(signature) = Signature::try_from(bytes.as_slice()) else {
        return false;
    };
    VerifyingKey::<Sha256>::new(public)
        .verify(message, &signature)
        .is_ok()
}

fn currency(code: &str) -> Currency {
    Currency::parse(code).unwrap()
}

fn payment(amount: Money, method: Method, description: &str) -> Payment {
    Payment {
        id: PAYMENT_ID.parse().unwrap(),
        merchant_id: MerchantId::generate(0),
        merchant_order_id: "order-1".into(),
        fingerprint: vec![0; 32],
        amount,
        description: description.into(),
        method,
        status: PaymentStatus::Pending,
        channel_id: None,
        provider_transaction_id: None,
        next_action: None,
        refunded_minor: 0,
        failure: None,
        metadata: BTreeMap::new(),
        payer: Payer::default(),
        return_url: None,
        attempts: Vec::new(),
        created_at: at(NOW),
        updated_at: at(NOW),
        paid_at: None,
        expires_at: at(EXPIRES),
        paid_after_close: None,
        version: 0,
    }
}

fn refund_of(payment: &Payment, amount: Money) -> Refund {
    Refund {
        id: "rfd_01KAQ8ZB00CX2N6H4DGT5RJ3VY".parse().unwrap(),
        merchant_id: payment.merchant_id.clone(),
        payment_id: payment.id.clone(),
        merchant_refund_id: "refund-1".into(),
        fingerprint: vec![0; 32],
        amount,
        reason: "正常退款".into(),
        status: RefundStatus::Pending,
        channel_id: ChannelId::parse("vectors").unwrap(),
        provider_refund_id: None,
        failure: None,
        created_at: at(NOW),
        updated_at: at(NOW),
        succeeded_at: None,
        version: 0,
    }
}

fn attempt() -> AttemptId {
    "att_01KAQ8ZB00CX2N6H4DGT5RJ3VX".parse().unwrap()
}

/// A request as it reached the listener; header names lower-cased.
struct Captured {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Captured {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn body_text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap()
    }
}

/// An answer sent back byte for byte.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn new(status: u16, content_type: &str, extra: Vec<(String, String)>, body: &str) -> Self {
        let mut headers = vec![("Content-Type".to_owned(), content_type.to_owned())];
        headers.extend(extra);
        Self {
            status,
            headers,
            body: body.as_bytes().to_vec(),
        }
    }
}

/// `Name: value` lines.
fn header_lines(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (k, v) = l.split_once(':').unwrap();
            (k.trim().to_owned(), v.trim().to_owned())
        })
        .collect()
}

/// Serves `answers` on a loopback port, one connection with one request each, in order. The
/// handle gives back the requests as they arrived once every answer is sent.
async fn serve(answers: Vec<Answer>) -> (String, tokio::task::JoinHandle<Vec<Captured>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let mut captured = Vec::new();
        for answer in answers {
            let (mut stream, _) = listener.accept().await.unwrap();
            captured.push(read_request(&mut stream).await);
            let mut head = format!(
                "HTTP/1.1 {} Vector\r\ncontent-length: {}\r\nconnection: close\r\n",
                answer.status,
                answer.body.len()
            );
            for (k, v) in &answer.headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            stream.write_all(head.as_bytes()).await.unwrap();
            stream.write_all(&answer.body).await.unwrap();
            let _ = stream.shutdown().await;
        }
        captured
    });
    (base, task)
}

async fn requests(task: tokio::task::JoinHandle<Vec<Captured>>) -> Vec<Captured> {
    tokio::time::timeout(Duration::from_secs(10), task)
        .await
        .expect("every answer was asked for")
        .unwrap()
}

async fn read_request(stream: &mut TcpStream) -> Captured {
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut buf).await.unwrap();
        assert!(n > 0, "the connection closed inside the request head");
        raw.extend_from_slice(&buf[..n]);
    };
    let head = std::str::from_utf8(&raw[..head_end]).unwrap().to_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap().split(' ');
    let method = request_line.next().unwrap().to_owned();
    let target = request_line.next().unwrap().to_owned();
    let headers: Vec<(String, String)> = lines
        .map(|l| {
            let (k, v) = l.split_once(':').unwrap();
            (k.trim().to_ascii_lowercase(), v.trim().to_owned())
        })
        .collect();
    assert!(
        !headers.iter().any(|(k, _)| k == "transfer-encoding"),
        "bodies are sent with a length"
    );
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .map_or(0, |(_, v)| v.parse().unwrap());
    let mut body = raw[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut buf).await.unwrap();
        assert!(n > 0, "the connection closed inside the body");
        body.extend_from_slice(&buf[..n]);
    }
    Captured {
        method,
        target,
        headers,
        body,
    }
}

fn header_map(pairs: &[(String, String)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (k, v) in pairs {
        map.insert(
            HeaderName::from_bytes(k.to_ascii_lowercase().as_bytes()).unwrap(),
            HeaderValue::from_str(v).unwrap(),
        );
    }
    map
}

// ---- Alipay ----

const ALIPAY_APP_ID: &str = "2014072300007148";

fn alipay_channel(base: &str) -> alipay::Alipay {
    alipay::Alipay::new(
        alipay::Settings {
            app_id: ALIPAY_APP_ID.into(),
            private_key: merchant_key(),
            alipay_public_key: VerifyingKey::new(
                keys::public_key(&key_text("alipay_platform_public.pem")).unwrap(),
            ),
            gateway_url: format!("{base}/gateway.do"),
            notify_url: "http://api.test.alipay.net/atinterface/receive_notify.htm".into(),
        },
        executor(),
        clock(),
    )
}

/// The parameters of a gateway call, query string and form body together, as the gateway
/// reads them.
fn alipay_params(request: &Captured) -> BTreeMap<String, String> {
    assert_eq!(request.method, "POST");
    let (path, query) = request
        .target
        .split_once('?')
        .unwrap_or((&request.target, ""));
    assert_eq!(path, "/gateway.do");
    assert!(
        request
            .header("content-type")
            .unwrap()
            .starts_with("application/x-www-form-urlencoded"),
        "{:?}",
        request.header("content-type")
    );
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .chain(form_urlencoded::parse(&request.body).into_owned())
        .collect()
}

/// Alipay's content to sign: parameters but `exclude`, empty values dropped, sorted by key,
/// `key=value` joined with `&`, values as they are.
fn alipay_content(params: &BTreeMap<String, String>, exclude: &[&str]) -> String {
    params
        .iter()
        .filter(|(k, v)| !v.is_empty() && !exclude.contains(&k.as_str()))
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn alipay_answer(path: &str) -> Answer {
    Answer::new(
        200,
        "application/json;charset=utf-8",
        Vec::new(),
        &vector(path),
    )
}

#[tokio::test]
async fn alipay_precreate_request_is_the_documented_signed_form() {
    let (base, task) = serve(vec![alipay_answer("alipay/precreate_response.json")]).await;
    let channel = alipay_channel(&base);
    let cny = Money::new(1000, currency("CNY"));
    let placed = channel
        .create(&payment(cny, Method::QrCode, "Iphone6 16G"), &attempt())
        .await
        .unwrap();
    assert_eq!(
        placed,
        Placed::AwaitingBuyer {
            action: NextAction::QrCode("https://qr.alipay.com/bavh4wjlxf12tper3a".into()),
            reference: None,
        }
    );

    let sent = requests(task).await;
    let params = alipay_params(&sent[0]);
    let field = |k: &str| params.get(k).map(String::as_str);
    assert_eq!(field("app_id"), Some(ALIPAY_APP_ID));
    assert_eq!(field("method"), Some("alipay.trade.precreate"));
    assert_eq!(field("format"), Some("JSON"));
    assert_eq!(field("charset"), Some("utf-8"));
    assert_eq!(field("sign_type"), Some("RSA2"));
    assert_eq!(field("version"), Some("1.0"));
    assert_eq!(field("timestamp"), Some("2026-11-22 12:00:00"));
    let biz: Value = serde_json::from_str(field("biz_content").unwrap()).unwrap();
    assert_eq!(biz["out_trade_no"], PAYMENT_ID);
    assert_eq!(biz["total_amount"], "10.00", "yuan, as a string");
    assert_eq!(biz["subject"], "Iphone6 16G");
    assert_eq!(biz["time_expire"], "2026-11-22 14:00:00");

    // The string to sign and its signature, byte for byte.
    assert_eq!(
        alipay_content(&params, &["sign"]),
        vector("alipay/precreate_request.txt").trim_end()
    );
    assert_eq!(
        field("sign"),
        Some(vector("alipay/precreate_request.sig").trim_end())
    );
}

#[tokio::test]
async fn alipay_query_answers_read_as_documented() {
    let paid = vector("alipay/query_response.json");
    // Indentation inside the signed object is part of what Alipay signs.
    let reindented = paid.replacen("\n        \"code\"", "\n       \"code\"", 1);
    assert_ne!(reindented, paid);
    let (base, task) = serve(vec![
        alipay_answer("alipay/query_response.json"),
        alipay_answer("alipay/query_not_exist_response.json"),
        Answer::new(
            200,
            "application/json;charset=utf-8",
            Vec::new(),
            &reindented,
        ),
    ])
    .await;
    let channel = alipay_channel(&base);
    let p = payment(Money::new(1000, currency("CNY")), Method::QrCode, "");
    assert_eq!(
        channel.query(&p).await.unwrap(),
        OrderState::Paid {
            transaction_id: "2013112011001004330000121536".into(),
            // send_pay_date 2014-11-27 15:45:57, China time.
            paid_at: at(1_417_074_357),
        }
    );
    assert_eq!(channel.query(&p).await.unwrap(), OrderState::NotFound);
    let refused = channel.query(&p).await.unwrap_err();
    assert_eq!(refused.code, "RESPONSE_SIGNATURE_INVALID");

    let sent = requests(task).await;
    let params = alipay_params(&sent[0]);
    assert_eq!(params["method"], "alipay.trade.query");
    let biz: Value = serde_json::from_str(&params["biz_content"]).unwrap();
    assert_eq!(biz, serde_json::json!({ "out_trade_no": PAYMENT_ID }));
    assert!(merchant_signed(
        alipay_content(&params, &["sign"]).as_bytes(),
        &params["sign"]
    ));
}

#[tokio::test]
async fn alipay_refund_answers_succeed_only_when_funds_moved() {
    let (base, task) = serve(vec![
        alipay_answer("alipay/refund_response.json"),
        alipay_answer("alipay/refund_unconfirmed_response.json"),
    ])
    .await;
    let channel = alipay_channel(&base);
    let p = payment(Money::new(1000, currency("CNY")), Method::QrCode, "");
    let refund = refund_of(&p, Money::new(300, currency("CNY")));
    let provider_refund_id = Some(format!("2013112011001004330000121536:{}", refund.id));
    assert_eq!(
        channel.refund(&p, &refund).await.unwrap(),
        RefundState::Succeeded {
            provider_refund_id: provider_refund_id.clone()
        }
    );
    // fund_change "N" (or none): taken, but not known to be done; the refund query says.
    assert_eq!(
        channel.refund(&p, &refund).await.unwrap(),
        RefundState::Pending { provider_refund_id }
    );

    let sent = requests(task).await;
    let params = alipay_params(&sent[0]);
    assert_eq!(params["method"], "alipay.trade.refund");
    let biz: Value = serde_json::from_str(&params["biz_content"]).unwrap();
    assert_eq!(biz["out_trade_no"], PAYMENT_ID);
    assert_eq!(biz["refund_amount"], "3.00", "yuan, as a string");
    assert_eq!(biz["out_request_no"], refund.id.as_str());
    assert_eq!(biz["refund_reason"], "正常退款");
    assert!(merchant_signed(
        alipay_content(&params, &["sign"]).as_bytes(),
        &params["sign"]
    ));
}

#[test]
fn alipay_notification_verifies_and_reads_as_paid() {
    let pairs: Vec<(String, String)> = vector("alipay/notify.txt")
        .lines()
        .map(|l| {
            let (k, v) = l.split_once('=').unwrap();
            (k.to_owned(), v.to_owned())
        })
        .collect();
    let params: BTreeMap<String, String> = pairs.iter().cloned().collect();
    assert_eq!(
        alipay_content(&params, &["sign", "sign_type"]),
        vector("alipay/notify_content.txt").trim_end(),
        "the sample's signature covers everything but sign and sign_type"
    );
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&pairs)
        .finish();
    let channel = alipay_channel("http://127.0.0.1:1");
    assert_eq!(
        channel
            .verify_notification(&HeaderMap::new(), body.as_bytes(), at(NOW))
            .unwrap(),
        Notification::Paid {
            payment_id: PAYMENT_ID.parse::<PaymentId>().unwrap(),
            transaction_id: "2015061121001004400068549373".into(),
            amount: Money::new(1000, currency("CNY")),
            // gmt_payment 2015-06-11 22:33:59, China time.
            paid_at: at(1_434_033_239),
        }
    );
    let tampered = body.replace("total_amount=10.00", "total_amount=100.00");
    assert_eq!(
        channel.verify_notification(&HeaderMap::new(), tampered.as_bytes(), at(NOW)),
        Err(Rejected::BadSignature)
    );
    let ack = channel.acknowledgement();
    assert_eq!((ack.status, ack.body.as_str()), (200, "success"));
}

// ---- WeChat Pay ----

const WECHAT_MCHID: &str = "1230000109";
const WECHAT_SERIAL: &str = "408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB";

fn wechat_channel(base: &str) -> wechatpay::Wechatpay {
    wechatpay::Wechatpay::new(
        wechatpay::Settings {
            mchid: WECHAT_MCHID.into(),
            appid: "wxd678efh567hg6787".into(),
            merchant_serial_no: WECHAT_SERIAL.into(),
            private_key: merchant_key(),
            platform_key: VerifyingKey::new(
                keys::public_key(&key_text("wechat_platform_public.pem")).unwrap(),
            ),
            platform_serial: "PUB_KEY_ID_0114232134912410000000000000".into(),
            api_v3_key: Secret::new(key_text("wechat_api_v3_key.txt").trim().as_bytes().to_vec()),
            base_url: base.into(),
            notify_url: "https://www.weixin.qq.com/wxpay/pay.php".into(),
        },
        executor(),
        clock(),
    )
}

fn wechat_answer(status: u16, name: &str) -> Answer {
    Answer::new(
        status,
        "application/json; charset=utf-8",
        header_lines(&vector(&format!("wechatpay/{name}.headers"))),
        &vector(&format!("wechatpay/{name}.json")),
    )
}

/// Checks the documented request headers and the `Authorization` signature of `request`,
/// whose signed message is `METHOD\nURL\ntimestamp\nnonce\nbody\n`.
fn assert_wechat_signed(request: &Captured) {
    assert_eq!(request.header("accept"), Some("application/json"));
    assert!(request.header("user-agent").is_some_and(|u| !u.is_empty()));
    let authorization = request.header("authorization").unwrap();
    let params = authorization
        .strip_prefix("WECHATPAY2-SHA256-RSA2048 ")
        .unwrap_or_else(|| panic!("authorization scheme: {authorization}"));
    // Five `key="value"` items; their order does not matter.
    let items: BTreeMap<&str, &str> = params
        .split(',')
        .map(|item| {
            let (k, v) = item.split_once('=').unwrap();
            (k, v.strip_prefix('"').unwrap().strip_suffix('"').unwrap())
        })
        .collect();
    assert_eq!(
        items.keys().copied().collect::<Vec<_>>(),
        ["mchid", "nonce_str", "serial_no", "signature", "timestamp"]
    );
    assert_eq!(items["mchid"], WECHAT_MCHID);
    assert_eq!(items["serial_no"], WECHAT_SERIAL);
    assert_eq!(items["timestamp"], NOW.to_string());
    let nonce = items["nonce_str"];
    assert!(!nonce.is_empty() && nonce.len() <= 32, "{nonce:?}");
    let message = format!(
        "{}\n{}\n{}\n{}\n{}\n",
        request.method,
        request.target,
        items["timestamp"],
        nonce,
        request.body_text()
    );
    assert!(
        merchant_signed(message.as_bytes(), items["signature"]),
        "signature over {message:?}"
    );
}

#[tokio::test]
async fn wechatpay_native_request_is_the_documented_signed_order() {
    let (base, task) = serve(vec![wechat_answer(200, "native_response")]).await;
    let channel = wechat_channel(&base);
    let cny = Money::new(1000, currency("CNY"));
    let placed = channel
        .create(
            &payment(cny, Method::QrCode, "Image形象店-深圳腾大-QQ公仔"),
            &attempt(),
        )
        .await
        .unwrap();
    assert_eq!(
        placed,
        Placed::AwaitingBuyer {
            action: NextAction::QrCode("weixin://wxpay/bizpayurl?pr=p4lpSuKzz".into()),
            reference: None,
        }
    );

    let sent = requests(task).await;
    let order = &sent[0];
    assert_eq!(order.method, "POST");
    assert_eq!(order.target, "/v3/pay/transactions/native");
    assert_eq!(order.header("content-type"), Some("application/json"));
    let body: Value = serde_json::from_slice(&order.body).unwrap();
    let expected: Value = serde_json::from_str(&vector("wechatpay/native_request.json")).unwrap();
    assert_eq!(body, expected);
    assert_wechat_signed(order);
}

#[tokio::test]
async fn wechatpay_query_answers_read_as_documented() {
    let mut altered = wechat_answer(200, "query_response");
    altered.body = vector("wechatpay/query_response.json")
        .replace("\"total\": 1000", "\"total\": 1001")
        .into_bytes();
    let (base, task) = serve(vec![
        wechat_answer(200, "query_response"),
        wechat_answer(404, "query_not_exist_response"),
        altered,
    ])
    .await;
    let channel = wechat_channel(&base);
    let p = payment(Money::new(1000, currency("CNY")), Method::QrCode, "");
    assert_eq!(
        channel.query(&p).await.unwrap(),
        OrderState::Paid {
            transaction_id: "4200000891202103228088184743".into(),
            // success_time 2021-03-22T10:29:05+08:00.
            paid_at: at(1_616_380_145),
        }
    );
    assert_eq!(channel.query(&p).await.unwrap(), OrderState::NotFound);
    let refused = channel.query(&p).await.unwrap_err();
    assert_eq!(refused.code, "RESPONSE_SIGNATURE_INVALID");

    let sent = requests(task).await;
    let query = &sent[0];
    assert_eq!(query.method, "GET");
    assert_eq!(
        query.target,
        format!("/v3/pay/transactions/out-trade-no/{PAYMENT_ID}?mchid={WECHAT_MCHID}")
    );
    assert!(query.body.is_empty());
    assert_wechat_signed(query);
}

#[test]
fn wechatpay_notification_decrypts_and_reads_as_paid() {
    let headers = header_map(&header_lines(&vector("wechatpay/notify.headers")));
    let body = vector("wechatpay/notify.json");
    let channel = wechat_channel("http://127.0.0.1:1");
    assert_eq!(
        channel
            .verify_notification(&headers, body.as_bytes(), at(NOW))
            .unwrap(),
        Notification::Paid {
            payment_id: PAYMENT_ID.parse::<PaymentId>().unwrap(),
            transaction_id: "1217752501201407033233368018".into(),
            amount: Money::new(1000, currency("CNY")),
            // success_time 2018-06-08T10:34:56+08:00.
            paid_at: at(1_528_425_296),
        }
    );
    let tampered = body.replacen("EV-2018022511223320873", "EV-2018022511223320874", 1);
    assert_eq!(
        channel.verify_notification(&headers, tampered.as_bytes(), at(NOW)),
        Err(Rejected::BadSignature)
    );
    let ack = channel.acknowledgement();
    assert!(matches!(ack.status, 200 | 204), "{}", ack.status);
}

// ---- Stripe ----

const STRIPE_KEY: &str = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";
const INTENT: &str = "pi_3MtwBwLkdIwHu7ix28a3tqPa";

fn stripe_channel(base: &str) -> stripe::Stripe {
    stripe::Stripe::new(
        stripe::Settings {
            secret_key: Secret::new(STRIPE_KEY.into()),
            webhook_secret: Secret::new(vector("stripe/webhook_secret.txt").trim().into()),
            base_url: base.into(),
        },
        executor(),
        clock(),
    )
}

fn intent_answer() -> Answer {
    Answer::new(
        200,
        "application/json",
        vec![("Request-Id".into(), "req_vector".into())],
        &vector("stripe/payment_intent.json"),
    )
}

fn card_payment() -> Payment {
    let mut p = payment(Money::new(2000, currency("USD")), Method::Card, "");
    p.payer.payment_method = Some(Secret::new("pm_card_visa".into()));
    p
}

#[tokio::test]
async fn stripe_create_request_is_the_documented_form() {
    let (base, task) = serve(vec![intent_answer()]).await;
    let channel = stripe_channel(&base);
    let placed = channel.create(&card_payment(), &attempt()).await.unwrap();
    assert_eq!(
        placed,
        Placed::Paid {
            transaction_id: INTENT.into(),
            paid_at: at(NOW),
        }
    );

    let sent = requests(task).await;
    let create = &sent[0];
    assert_eq!(create.method, "POST");
    assert_eq!(create.target, "/v1/payment_intents");
    assert_eq!(
        create.header("authorization"),
        Some(format!("Bearer {STRIPE_KEY}").as_str())
    );
    assert_eq!(create.header("idempotency-key"), Some(attempt().as_str()));
    assert_eq!(create.header("stripe-version"), Some(stripe::API_VERSION));
    assert_eq!(
        create.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let mut sent_params: Vec<(String, String)> =
        form_urlencoded::parse(&create.body).into_owned().collect();
    sent_params.sort();
    let mut documented: Vec<(String, String)> = vector("stripe/create_request.form")
        .lines()
        .map(|l| {
            let (k, v) = l.split_once('=').unwrap();
            (k.to_owned(), v.to_owned())
        })
        .collect();
    documented.sort();
    assert_eq!(sent_params, documented);
}

#[tokio::test]
async fn stripe_retrieved_intent_reads_as_paid() {
    let (base, task) = serve(vec![intent_answer()]).await;
    let channel = stripe_channel(&base);
    let mut p = card_payment();
    p.provider_transaction_id = Some(INTENT.into());
    assert_eq!(
        channel.query(&p).await.unwrap(),
        OrderState::Paid {
            transaction_id: INTENT.into(),
            // The intent's `created`.
            paid_at: at(1_680_800_504),
        }
    );

    let sent = requests(task).await;
    let retrieve = &sent[0];
    assert_eq!(retrieve.method, "GET");
    assert_eq!(retrieve.target, format!("/v1/payment_intents/{INTENT}"));
    assert_eq!(
        retrieve.header("authorization"),
        Some(format!("Bearer {STRIPE_KEY}").as_str())
    );
    assert_eq!(retrieve.header("stripe-version"), Some(stripe::API_VERSION));
    assert!(retrieve.body.is_empty());
}

#[test]
fn stripe_webhook_verifies_and_reads_as_paid() {
    let mut headers = HeaderMap::new();
    headers.insert(
        "stripe-signature",
        HeaderValue::from_str(vector("stripe/event.signature").trim()).unwrap(),
    );
    let body = vector("stripe/event.json");
    let channel = stripe_channel("http://127.0.0.1:1");
    assert_eq!(
        channel
            .verify_notification(&headers, body.as_bytes(), at(NOW))
            .unwrap(),
        Notification::Paid {
            payment_id: PAYMENT_ID.parse::<PaymentId>().unwrap(),
            transaction_id: INTENT.into(),
            amount: Money::new(2000, currency("USD")),
            // The event's `created`.
            paid_at: at(1_686_089_970),
        }
    );
    assert_eq!(
        channel.verify_notification(&headers, body.as_bytes(), at(NOW + 301)),
        Err(Rejected::Stale),
        "outside the 300 s tolerance"
    );
    let tampered = body.replacen("\"amount\": 2000", "\"amount\": 2001", 1);
    assert_eq!(
        channel.verify_notification(&headers, tampered.as_bytes(), at(NOW)),
        Err(Rejected::BadSignature)
    );
    assert!((200..300).contains(&channel.acknowledgement().status));
}
