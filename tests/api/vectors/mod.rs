//! Fixed vectors from each provider's documentation: a request the adapter sends, an answer it
//! reads and a notification it verifies, checked against the documented formats rather than
//! against the simulators. The samples are under tests/data/vectors, whose READMEs name the
//! documentation each comes from; their signatures are made with the keys in tests/data/keys.
//! Requests are caught by a loopback listener that knows nothing of any provider: it records
//! the raw request and sends back the sample answer.

mod alipay;
mod stripe;
mod wechatpay;

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
use paycore::provider::{Notification, OrderState, Placed, Provider, RefundState, Rejected, keys};
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
        risk: None,
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
