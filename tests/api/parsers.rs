//! Every parser of untrusted input, fed arbitrary bytes: provider notifications (bodies and
//! signature headers) must be refused, never panic. Then random bodies signed with the test
//! keys, so each signature check passes and the parser behind it is fuzzed: it must never
//! panic, and a notification it accepts must say what the body says.

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use http::{HeaderMap, HeaderValue};
use paycore::domain::{Clock, Currency, Money, Secret, Timestamp};
use paycore::provider::alipay::wire::parse_china_time;
use paycore::provider::executor::Executor;
use paycore::provider::sandbox::Sandbox;
use paycore::provider::wechatpay::time;
use paycore::provider::{
    Notification, Provider, RefundState, Rejected, alipay, keys, stripe, wechatpay,
};
use proptest::prelude::*;
use rsa::pkcs1v15::{SigningKey, VerifyingKey};
use rsa::signature::{SignatureEncoding, Signer};
use serde_json::{Map, Value};
use sha2::Sha256;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/keys");

/// The moment every notification is checked at, in Unix seconds.
const NOW_SECS: i64 = 1_795_320_000;
/// How far a signed timestamp may be from now, in seconds.
const TOLERANCE_SECS: u64 = 300;
const ALIPAY_APP_ID: &str = "2021000000000001";
const MCHID: &str = "1230000109";
const APPID: &str = "wx";
const PLATFORM_SERIAL: &str = "PUB_KEY_ID_1";
const API_V3_KEY: &[u8; 32] = b"0123456789abcdef0123456789abcdef";
const WEBHOOK_SECRET: &str = "whsec";
const SANDBOX_SECRET: [u8; 32] = [1; 32];

fn pem(name: &str) -> String {
    std::fs::read_to_string(format!("{DATA}/{name}")).unwrap()
}

fn now() -> Timestamp {
    Timestamp::from_micros(NOW_SECS * 1_000_000)
}

/// A clock stopped at `now()`, for the providers that read their own.
struct Stopped;

impl Clock for Stopped {
    fn now(&self) -> Timestamp {
        now()
    }
}

fn executor() -> Executor {
    Executor::new(std::time::Duration::from_secs(1)).unwrap()
}

fn merchant() -> SigningKey<Sha256> {
    SigningKey::new(keys::private_key(&pem("merchant_pkcs8.pem")).unwrap())
}

fn sandbox() -> Sandbox {
    Sandbox::new(
        Secret::new(SANDBOX_SECRET.to_vec()),
        "http://127.0.0.1:1".into(),
        Arc::new(Stopped),
    )
}

fn alipay() -> alipay::Alipay {
    alipay::Alipay::new(
        alipay::Settings {
            app_id: ALIPAY_APP_ID.into(),
            private_key: merchant(),
            alipay_public_key: VerifyingKey::new(
                keys::public_key(&pem("alipay_platform_public.pem")).unwrap(),
            ),
            gateway_url: "http://127.0.0.1:1/gateway.do".into(),
            notify_url: "http://127.0.0.1:1/callbacks/a".into(),
        },
        executor(),
        Arc::new(Stopped),
    )
}

fn wechatpay() -> wechatpay::Wechatpay {
    wechatpay::Wechatpay::new(
        wechatpay::Settings {
            mchid: MCHID.into(),
            appid: APPID.into(),
            merchant_serial_no: "S".into(),
            private_key: merchant(),
            platform_key: VerifyingKey::new(
                keys::public_key(&pem("wechat_platform_public.pem")).unwrap(),
            ),
            platform_serial: PLATFORM_SERIAL.into(),
            api_v3_key: Secret::new(API_V3_KEY.to_vec()),
            base_url: "http://127.0.0.1:1".into(),
            notify_url: "http://127.0.0.1:1/callbacks/w".into(),
        },
        executor(),
        Arc::new(Stopped),
    )
}

fn stripe() -> stripe::Stripe {
    stripe::Stripe::new(
        stripe::Settings {
            secret_key: Secret::new("sk".into()),
            webhook_secret: Secret::new(WEBHOOK_SECRET.into()),
            base_url: "http://127.0.0.1:1".into(),
        },
        executor(),
        Arc::new(Stopped),
    )
}

fn providers() -> Vec<Arc<dyn Provider>> {
    vec![
        Arc::new(sandbox()),
        Arc::new(alipay()),
        Arc::new(wechatpay()),
        Arc::new(stripe()),
    ]
}

fn headers(values: &[(&'static str, String)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in values {
        if let Ok(v) = HeaderValue::from_str(value) {
            map.insert(*name, v);
        }
    }
    map
}

/// The platform keys Alipay and WeChat Pay sign notifications with.
static ALIPAY_PLATFORM: LazyLock<SigningKey<Sha256>> = LazyLock::new(|| {
    SigningKey::new(keys::private_key(&pem("alipay_platform_pkcs1.pem")).unwrap())
});
static WECHAT_PLATFORM: LazyLock<SigningKey<Sha256>> = LazyLock::new(|| {
    SigningKey::new(keys::private_key(&pem("wechat_platform_pkcs8.pem")).unwrap())
});

/// SHA256withRSA of `message`, base64.
fn rsa_sign(key: &SigningKey<Sha256>, message: &[u8]) -> String {
    STANDARD.encode(key.sign(message).to_bytes())
}

/// `t=<t>,v1=<hex HMAC-SHA256 of "t.body">`: Stripe's signature header, and the sandbox's.
fn hmac_header(secret: &[u8], t: i64, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

fn cny() -> Currency {
    Currency::parse("CNY").unwrap()
}

/// The string member `key` of `v`, if it is one.
fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// Whether a notification signed at `t` is outside a window of `TOLERANCE_SECS`, bound
/// included when `inclusive`.
fn stale(t: i64, inclusive: bool) -> bool {
    let off = NOW_SECS.abs_diff(t);
    off > TOLERANCE_SECS || (inclusive && off == TOLERANCE_SECS)
}

/// A notification body, shown escaped when a case fails.
#[derive(Clone)]
struct Body(Vec<u8>);

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "b\"{}\"", self.0.escape_ascii())
    }
}

/// Arbitrary text, control characters and newlines included.
fn text() -> BoxedStrategy<String> {
    "(?s).{0,24}".boxed()
}

/// Member and parameter names: mostly identifier-like, sometimes anything.
fn name() -> BoxedStrategy<String> {
    prop_oneof![3 => "[a-z_]{1,12}", 1 => "(?s).{0,12}"].boxed()
}

/// A signature timestamp in Unix seconds: mostly inside the accepted window, sometimes
/// anywhere, extremes included.
fn signed_at() -> BoxedStrategy<i64> {
    prop_oneof![
        16 => (-299i64..=299).prop_map(|d| NOW_SECS + d),
        1 => any::<i64>(),
        1 => prop::sample::select(vec![i64::MIN, i64::MIN + 1, i64::MAX, 0]),
    ]
    .boxed()
}

/// Any JSON value, nested a little.
fn json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "(?s).{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(2, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::vec((name(), inner), 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

/// How wild one case's body is: the percentage of fields left out, of values replaced by
/// junk, and of bodies that are not even the right shape. Cases range from tidy (which
/// reach the accepting paths) to wild (which reach every refusal).
#[derive(Debug, Clone, Copy)]
struct Noise(u32);

/// A noise level, from tidy to wild.
fn noise() -> impl Strategy<Value = Noise> {
    prop::sample::select(vec![1, 5, 15, 40]).prop_map(Noise)
}

impl Noise {
    /// The weight of the plausible choice; `self.0` is that of each wild one.
    fn tidy(self) -> u32 {
        100 - self.0
    }

    /// One of `choices`, the first (the one paycore acts on) most often, else arbitrary text.
    fn one_of(self, choices: &'static [&'static str]) -> BoxedStrategy<String> {
        prop_oneof![
            self.tidy() => Just(choices[0].to_owned()),
            self.0 => prop::sample::select(choices).prop_map(str::to_owned),
            self.0 => text(),
        ]
        .boxed()
    }

    /// A paycore id with `prefix` (`pay_`, `rfd_`): well-formed, nearly, or anything.
    fn id(self, prefix: &'static str) -> BoxedStrategy<String> {
        prop_oneof![
            self.tidy() => "[0-9A-HJKMNP-TV-Z]{26}".prop_map(move |b| format!("{prefix}{b}")),
            self.0 => "[0-9A-Za-z]{0,28}".prop_map(move |b| format!("{prefix}{b}")),
            self.0 => text(),
        ]
        .boxed()
    }

    /// A calendar time `YYYY-MM-DD<sep>HH:MM:SS` and a suffix matching `zone`; or one with
    /// fields out of range and a suffix matching `loose_zone`; or arbitrary text.
    fn civil(self, sep: &str, zone: &str, loose_zone: &str) -> BoxedStrategy<String> {
        let valid = format!(
            "20[0-9]{{2}}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8]){sep}([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]{zone}"
        );
        let loose = format!(
            "20[0-9]{{2}}-[01][0-9]-[0-3][0-9]{sep}[0-2][0-9]:[0-5][0-9]:[0-6][0-9]{loose_zone}"
        );
        prop_oneof![
            self.tidy() => proptest::string::string_regex(&valid).unwrap(),
            self.0 => proptest::string::string_regex(&loose).unwrap(),
            self.0 => text(),
        ]
        .boxed()
    }

    /// Alipay's `YYYY-MM-DD HH:MM:SS` China time.
    fn china_time(self) -> BoxedStrategy<String> {
        self.civil(" ", "", "")
    }

    /// An RFC 3339 time as WeChat Pay writes them.
    fn rfc3339(self) -> BoxedStrategy<String> {
        self.civil(
            "T",
            "(\\.[0-9]{1,9})?(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])",
            "(\\.[0-9]{0,9})?(Z|[+-][0-9]{2}:[0-9]{2}|[+-][0-9]{4})?",
        )
    }

    /// `s`, or any JSON value.
    fn or_junk(self, s: impl Strategy<Value = Value> + 'static) -> BoxedStrategy<Value> {
        prop_oneof![self.tidy() => s, self.0 => json()].boxed()
    }

    /// A JSON string from `s`, or any JSON value.
    fn string(self, s: BoxedStrategy<String>) -> BoxedStrategy<Value> {
        self.or_junk(s.prop_map(Value::String))
    }

    /// An amount in minor units: a plausible integer, any integer, or any JSON value.
    fn minor(self) -> BoxedStrategy<Value> {
        self.or_junk(
            prop_oneof![self.tidy() => 0i64..10_000_000, self.0 => any::<i64>()]
                .prop_map(Value::from),
        )
    }

    /// Unix seconds: recent, any integer, or any JSON value.
    fn created(self) -> BoxedStrategy<Value> {
        self.or_junk(
            prop_oneof![self.tidy() => NOW_SECS - 100_000..=NOW_SECS, self.0 => any::<i64>()]
                .prop_map(Value::from),
        )
    }

    /// Now and then, any JSON value to put in place of the right one.
    fn odd(self) -> impl Strategy<Value = Option<Value>> {
        prop::option::weighted(f64::from(self.0) / 100.0, json())
    }

    /// Whether a field is present.
    fn present<T: std::fmt::Debug>(
        self,
        s: impl Strategy<Value = T>,
    ) -> impl Strategy<Value = Option<T>> {
        prop::option::weighted(f64::from(self.tidy()) / 100.0, s)
    }

    /// A JSON object with `fields`, over a few arbitrary members.
    fn object(self, fields: Vec<(&'static str, BoxedStrategy<Value>)>) -> BoxedStrategy<Value> {
        let members: Vec<_> = fields
            .into_iter()
            .map(|(k, s)| self.present(s.prop_map(move |v| (k.to_owned(), v))))
            .collect();
        (members, prop::collection::vec((name(), json()), 0..4))
            .prop_map(|(members, extra)| {
                let mut map: Map<String, Value> = extra.into_iter().collect();
                map.extend(members.into_iter().flatten());
                Value::Object(map)
            })
            .boxed()
    }

    /// Form parameters with `fields`, over a few arbitrary ones.
    fn form_params(
        self,
        fields: Vec<(&'static str, BoxedStrategy<String>)>,
    ) -> BoxedStrategy<BTreeMap<String, String>> {
        let members: Vec<_> = fields
            .into_iter()
            .map(|(k, s)| self.present(s.prop_map(move |v| (k.to_owned(), v))))
            .collect();
        (members, prop::collection::vec((name(), text()), 0..4))
            .prop_map(|(members, extra)| {
                let mut map: BTreeMap<String, String> = extra.into_iter().collect();
                map.extend(members.into_iter().flatten());
                map
            })
            .boxed()
    }
}

/// The parameters of an Alipay trade notification, each plausible or arbitrary.
fn alipay_params(n: Noise) -> BoxedStrategy<BTreeMap<String, String>> {
    let amount = || {
        prop_oneof![
            n.tidy() => "(0|[1-9][0-9]{0,6})(\\.[0-9]{1,2})?",
            n.0 => "[1-9][0-9]{14,20}(\\.[0-9]{1,3})?",
            n.0 => "[-+0-9. e]{0,12}",
            n.0 => text(),
        ]
        .boxed()
    };
    n.form_params(vec![
        ("notify_type", n.one_of(&["trade_status_sync"])),
        ("notify_id", text()),
        ("notify_time", n.china_time()),
        ("app_id", n.one_of(&[ALIPAY_APP_ID])),
        ("charset", n.one_of(&["utf-8"])),
        ("version", n.one_of(&["1.0"])),
        (
            "trade_status",
            n.one_of(&[
                "TRADE_SUCCESS",
                "TRADE_FINISHED",
                "WAIT_BUYER_PAY",
                "TRADE_CLOSED",
            ]),
        ),
        ("out_trade_no", n.id("pay_")),
        (
            "trade_no",
            prop_oneof![n.tidy() => "20[0-9]{26}", n.0 => text()].boxed(),
        ),
        ("total_amount", amount()),
        ("receipt_amount", amount()),
        ("buyer_pay_amount", amount()),
        ("refund_fee", amount()),
        ("gmt_payment", n.china_time()),
        ("gmt_refund", n.china_time()),
        ("out_biz_no", n.id("rfd_")),
        (
            "buyer_id",
            prop_oneof![n.tidy() => "2088[0-9]{12}", n.0 => text()].boxed(),
        ),
    ])
}

/// Checks what Alipay's parser made of the signed parameters `p`.
fn check_alipay(
    p: &BTreeMap<String, String>,
    got: &Result<Notification, Rejected>,
) -> Result<(), TestCaseError> {
    let field = |k: &str| p.get(k).map(String::as_str).unwrap_or_default();
    let n = match got {
        Ok(n) => n,
        Err(Rejected::Malformed(_)) => return Ok(()),
        Err(Rejected::WrongAccount(_)) => {
            prop_assert_ne!(field("app_id"), ALIPAY_APP_ID);
            return Ok(());
        }
        Err(e) => return Err(TestCaseError::fail(format!("signed, yet refused: {e:?}"))),
    };
    prop_assert_eq!(field("app_id"), ALIPAY_APP_ID);
    match n {
        Notification::Paid {
            payment_id,
            transaction_id,
            amount,
            paid_at,
        } => {
            prop_assert!(matches!(
                field("trade_status"),
                "TRADE_SUCCESS" | "TRADE_FINISHED"
            ));
            prop_assert_eq!(payment_id.as_str(), field("out_trade_no"));
            prop_assert_eq!(transaction_id.as_str(), field("trade_no"));
            prop_assert_eq!(
                Some(*amount),
                Money::parse_major(field("total_amount"), cny())
            );
            prop_assert_eq!(
                Some(*paid_at),
                parse_china_time(field("gmt_payment"))
                    .or_else(|| parse_china_time(field("notify_time")))
            );
        }
        Notification::Informational => prop_assert!(matches!(
            field("trade_status"),
            "WAIT_BUYER_PAY" | "TRADE_CLOSED"
        )),
        Notification::Refund { .. } => {
            return Err(TestCaseError::fail(format!(
                "Alipay's trade notifications report no refunds: {n:?}"
            )));
        }
    }
    Ok(())
}

/// A decrypted WeChat Pay transaction resource.
fn wechat_transaction(n: Noise) -> BoxedStrategy<Value> {
    let currency = || n.string(n.one_of(&["CNY", "USD", "JPY", "cny"]));
    n.object(vec![
        ("mchid", n.string(n.one_of(&[MCHID]))),
        ("appid", n.string(n.one_of(&[APPID]))),
        ("out_trade_no", n.string(n.id("pay_"))),
        ("transaction_id", n.string("42[0-9]{26}".boxed())),
        (
            "trade_type",
            n.string(n.one_of(&["NATIVE", "JSAPI", "APP", "MWEB"])),
        ),
        (
            "trade_state",
            n.string(n.one_of(&[
                "SUCCESS",
                "REFUND",
                "NOTPAY",
                "CLOSED",
                "REVOKED",
                "USERPAYING",
                "PAYERROR",
            ])),
        ),
        ("trade_state_desc", n.string(text())),
        ("success_time", n.string(n.rfc3339())),
        (
            "amount",
            n.or_junk(n.object(vec![
                ("total", n.minor()),
                ("payer_total", n.minor()),
                ("currency", currency()),
                ("payer_currency", currency()),
            ])),
        ),
        ("payer", json()),
    ])
}

/// A decrypted WeChat Pay refund resource.
fn wechat_refund(n: Noise) -> BoxedStrategy<Value> {
    n.object(vec![
        ("mchid", n.string(n.one_of(&[MCHID]))),
        ("out_trade_no", n.string(n.id("pay_"))),
        ("transaction_id", n.string("42[0-9]{26}".boxed())),
        ("out_refund_no", n.string(n.id("rfd_"))),
        ("refund_id", n.string("50[0-9]{26}".boxed())),
        (
            "refund_status",
            n.string(n.one_of(&["SUCCESS", "CLOSED", "ABNORMAL", "PROCESSING"])),
        ),
        ("success_time", n.string(n.rfc3339())),
        ("user_received_account", n.string(text())),
        (
            "amount",
            n.or_junk(n.object(vec![
                ("total", n.minor()),
                ("refund", n.minor()),
                ("payer_total", n.minor()),
                ("payer_refund", n.minor()),
            ])),
        ),
    ])
}

/// A signed WeChat Pay callback body, and the plaintext its resource decrypts to when it is
/// an `AEAD_AES_256_GCM` resource sealed with the APIv3 key.
#[derive(Debug, Clone)]
struct WechatCallback {
    body: Body,
    plain: Option<Body>,
}

/// A WeChat Pay callback: the envelope around a sealed transaction, refund or other
/// resource, or a broken resource, or arbitrary bytes.
fn wechat_callback(n: Noise) -> BoxedStrategy<WechatCallback> {
    // Each resource with the event types sent with it, and now and then another.
    let plain = prop_oneof![
        50 => (
            wechat_transaction(n).prop_map(|v| v.to_string().into_bytes()),
            n.one_of(&["TRANSACTION.SUCCESS", "TRANSACTION.CLOSED", "REFUND.SUCCESS"]),
        ),
        50 => (
            wechat_refund(n).prop_map(|v| v.to_string().into_bytes()),
            n.one_of(&["REFUND.SUCCESS", "REFUND.ABNORMAL", "REFUND.CLOSED", "TRANSACTION.SUCCESS"]),
        ),
        n.0 => (prop::collection::vec(any::<u8>(), 0..200), text()),
    ];
    let algorithm = prop_oneof![n.tidy() => Just("AEAD_AES_256_GCM".to_owned()), n.0 => text()];
    let sealed = (
        plain,
        "[0-9A-Za-z]{12}",
        n.one_of(&["transaction", "refund"]),
        algorithm,
    )
        .prop_map(|((plain, event), nonce, aad, algorithm)| {
            let ciphertext = Aes256Gcm::new_from_slice(API_V3_KEY)
                .unwrap()
                .encrypt(
                    Nonce::from_slice(nonce.as_bytes()),
                    Payload {
                        msg: &plain,
                        aad: aad.as_bytes(),
                    },
                )
                .unwrap();
            let resource = serde_json::json!({
                "original_type": aad,
                "algorithm": algorithm,
                "ciphertext": STANDARD.encode(ciphertext),
                "associated_data": aad,
                "nonce": nonce,
            });
            let decrypts = algorithm == "AEAD_AES_256_GCM";
            (
                Some(resource),
                Value::String(event),
                decrypts.then_some(Body(plain)),
            )
        });
    let resource = prop_oneof![
        n.tidy() => sealed,
        n.0 => (json(), json()).prop_map(|(r, event)| (Some(r), event, None)),
        n.0 => json().prop_map(|event| (None, event, None)),
    ];
    let envelope = n.object(vec![
        ("id", n.string(text())),
        ("create_time", n.string(n.rfc3339())),
        ("resource_type", n.string(n.one_of(&["encrypt-resource"]))),
        ("summary", n.string(text())),
    ]);
    prop_oneof![
        n.tidy() => (envelope, resource, n.odd()).prop_map(
            |(mut envelope, (resource, event, plain), odd_event)| {
                if let Value::Object(map) = &mut envelope {
                    map.insert("event_type".into(), odd_event.unwrap_or(event));
                    if let Some(r) = resource {
                        map.insert("resource".into(), r);
                    }
                }
                WechatCallback { body: Body(envelope.to_string().into_bytes()), plain }
            },
        ),
        n.0 => prop::collection::vec(any::<u8>(), 0..300)
            .prop_map(|body| WechatCallback { body: Body(body), plain: None }),
    ]
    .boxed()
}

/// The platform signature headers WeChat Pay sends with `body` at `t`.
fn wechat_headers(t: i64, nonce: &str, body: &[u8]) -> HeaderMap {
    let mut message = format!("{t}\n{nonce}\n").into_bytes();
    message.extend_from_slice(body);
    message.push(b'\n');
    headers(&[
        ("wechatpay-timestamp", t.to_string()),
        ("wechatpay-nonce", nonce.to_owned()),
        ("wechatpay-signature", rsa_sign(&WECHAT_PLATFORM, &message)),
        ("wechatpay-serial", PLATFORM_SERIAL.into()),
        (
            "wechatpay-signature-type",
            "WECHATPAY2-SHA256-RSA2048".into(),
        ),
    ])
}

/// Whether `got` is the state of a refund whose provider status is `status` and provider id
/// `id` (WeChat Pay's and Stripe's status words).
fn same_refund_state(got: &RefundState, status: Option<&str>, id: Option<String>) -> bool {
    match status {
        Some("SUCCESS" | "succeeded") => {
            *got == RefundState::Succeeded {
                provider_refund_id: id,
            }
        }
        Some("CLOSED" | "failed" | "canceled") => matches!(got, RefundState::Failed(_)),
        Some("ABNORMAL") => matches!(got, RefundState::NeedsAttention(_)),
        _ => {
            *got == RefundState::Pending {
                provider_refund_id: id,
            }
        }
    }
}

/// Checks what WeChat Pay's parser made of a callback signed at `t`.
fn check_wechat(
    cb: &WechatCallback,
    t: i64,
    got: &Result<Notification, Rejected>,
) -> Result<(), TestCaseError> {
    if stale(t, true) {
        prop_assert_eq!(got, &Err(Rejected::Stale));
        return Ok(());
    }
    let Some(plain) = &cb.plain else {
        // No resource that decrypts: never accepted.
        prop_assert!(
            matches!(got, Err(Rejected::Malformed(_) | Rejected::BadSignature)),
            "{got:?}"
        );
        return Ok(());
    };
    let envelope: Value = serde_json::from_slice(&cb.body.0).unwrap();
    let event = str_of(&envelope, "event_type").unwrap_or_default();
    let refund = event.starts_with("REFUND.");
    let tx: Option<Value> = serde_json::from_slice(&plain.0).ok();
    let account = |tx: &Value| {
        str_of(tx, "mchid") == Some(MCHID) && (refund || str_of(tx, "appid") == Some(APPID))
    };
    let n = match got {
        Ok(n) => n,
        Err(Rejected::Malformed(_)) => return Ok(()),
        Err(Rejected::WrongAccount(_)) => {
            prop_assert!(!tx.as_ref().is_some_and(account), "{tx:?}");
            return Ok(());
        }
        Err(e) => return Err(TestCaseError::fail(format!("signed, yet refused: {e:?}"))),
    };
    let Some(tx) = tx else {
        return Err(TestCaseError::fail(format!(
            "accepted a resource that is not JSON: {n:?}"
        )));
    };
    prop_assert!(account(&tx), "{n:?} for {tx}");
    match n {
        Notification::Paid {
            payment_id,
            transaction_id,
            amount,
            paid_at,
        } => {
            prop_assert_eq!(event, "TRANSACTION.SUCCESS");
            prop_assert_eq!(str_of(&tx, "trade_state"), Some("SUCCESS"));
            prop_assert_eq!(Some(payment_id.as_str()), str_of(&tx, "out_trade_no"));
            prop_assert_eq!(
                transaction_id.as_str(),
                str_of(&tx, "transaction_id").unwrap_or_default()
            );
            let total = tx.pointer("/amount/total").and_then(Value::as_i64);
            let currency = tx
                .pointer("/amount/currency")
                .and_then(Value::as_str)
                .and_then(Currency::parse);
            prop_assert_eq!(
                Some(*amount),
                total.zip(currency).map(|(t, c)| Money::new(t, c))
            );
            prop_assert_eq!(
                Some(*paid_at),
                str_of(&tx, "success_time").and_then(time::parse)
            );
        }
        Notification::Refund {
            refund_id,
            amount,
            state,
        } => {
            prop_assert!(refund, "{event:?}");
            prop_assert_eq!(Some(refund_id.as_str()), str_of(&tx, "out_refund_no"));
            let refunded = tx.pointer("/amount/refund").and_then(Value::as_i64);
            prop_assert_eq!(*amount, refunded.map(|r| Money::new(r, cny())));
            prop_assert!(amount.is_some());
            let status = tx
                .get("status")
                .or_else(|| tx.get("refund_status"))
                .and_then(Value::as_str);
            let id = str_of(&tx, "refund_id").map(str::to_owned);
            prop_assert!(same_refund_state(state, status, id), "{state:?} for {tx}");
        }
        Notification::Informational => {
            prop_assert!(!refund, "{event:?}");
            prop_assert!(
                !(event == "TRANSACTION.SUCCESS" && str_of(&tx, "trade_state") == Some("SUCCESS"))
            );
        }
    }
    Ok(())
}

/// Event types Stripe sends.
const STRIPE_EVENTS: &[&str] = &[
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
    "payment_intent.processing",
    "payment_intent.requires_action",
    "payment_intent.created",
    "charge.succeeded",
    "charge.refunded",
    "charge.refund.updated",
    "refund.created",
    "refund.updated",
    "refund.failed",
];

/// A currency as Stripe writes them (lower case), or not.
fn stripe_currency(n: Noise) -> BoxedStrategy<Value> {
    n.string(n.one_of(&["usd", "eur", "jpy", "cny", "kwd", "USD"]))
}

/// A Stripe refund object.
fn stripe_refund(n: Noise) -> BoxedStrategy<Value> {
    n.object(vec![
        ("id", n.string("re_[0-9A-Za-z]{14}".boxed())),
        ("object", n.string(n.one_of(&["refund"]))),
        ("amount", n.minor()),
        ("currency", stripe_currency(n)),
        (
            "status",
            n.string(n.one_of(&[
                "succeeded",
                "pending",
                "failed",
                "canceled",
                "requires_action",
            ])),
        ),
        ("failure_reason", n.string(text())),
        ("payment_intent", n.string("pi_[0-9A-Za-z]{14}".boxed())),
        (
            "metadata",
            n.or_junk(n.object(vec![("paycore_refund_id", n.string(n.id("rfd_")))])),
        ),
    ])
}

/// A Stripe PaymentIntent object.
fn stripe_intent(n: Noise) -> BoxedStrategy<Value> {
    n.object(vec![
        ("id", n.string("pi_[0-9A-Za-z]{14}".boxed())),
        ("object", n.string(n.one_of(&["payment_intent"]))),
        ("amount", n.minor()),
        ("amount_received", n.minor()),
        ("currency", stripe_currency(n)),
        (
            "status",
            n.string(n.one_of(&[
                "succeeded",
                "processing",
                "requires_action",
                "requires_payment_method",
                "canceled",
            ])),
        ),
        ("created", n.created()),
        (
            "metadata",
            n.or_junk(n.object(vec![("paycore_payment_id", n.string(n.id("pay_")))])),
        ),
        ("last_payment_error", json()),
    ])
}

/// A Stripe charge object, with its list of refunds.
fn stripe_charge(n: Noise) -> BoxedStrategy<Value> {
    let refunds = n.object(vec![
        ("object", n.string(n.one_of(&["list"]))),
        (
            "data",
            n.or_junk(prop::collection::vec(stripe_refund(n), 0..3).prop_map(Value::from)),
        ),
    ]);
    n.object(vec![
        ("id", n.string("ch_[0-9A-Za-z]{14}".boxed())),
        ("object", n.string(n.one_of(&["charge"]))),
        ("amount", n.minor()),
        ("amount_refunded", n.minor()),
        ("currency", stripe_currency(n)),
        ("refunded", n.or_junk(any::<bool>().prop_map(Value::from))),
        ("payment_intent", n.string("pi_[0-9A-Za-z]{14}".boxed())),
        ("refunds", n.or_junk(refunds)),
    ])
}

/// A Stripe event body: a JSON event around a PaymentIntent, refund, charge or anything, with
/// a type sent with such an object or another, or arbitrary bytes.
fn stripe_body(n: Noise) -> BoxedStrategy<Body> {
    let typed = prop_oneof![
        30 => (stripe_intent(n), n.one_of(&[
            "payment_intent.succeeded",
            "payment_intent.payment_failed",
            "payment_intent.canceled",
            "payment_intent.processing",
            "payment_intent.requires_action",
            "payment_intent.created",
            "charge.refunded",
        ])),
        20 => (stripe_refund(n), n.one_of(&[
            "refund.updated",
            "refund.created",
            "refund.failed",
            "charge.refund.updated",
        ])),
        20 => (stripe_charge(n), n.one_of(&[
            "charge.refunded",
            "charge.succeeded",
            "payment_intent.succeeded",
        ])),
        n.0 => (json(), n.one_of(STRIPE_EVENTS)),
    ];
    let event = n.object(vec![
        ("id", n.string("evt_[0-9A-Za-z]{14}".boxed())),
        ("object", n.string(n.one_of(&["event"]))),
        ("api_version", n.string(n.one_of(&[stripe::API_VERSION]))),
        ("created", n.created()),
        ("livemode", n.or_junk(any::<bool>().prop_map(Value::from))),
    ]);
    let event = (event, typed, n.odd(), n.odd()).prop_map(
        |(mut event, (object, kind), odd_kind, odd_data)| {
            if let Value::Object(map) = &mut event {
                map.insert("type".into(), odd_kind.unwrap_or(Value::String(kind)));
                let data = serde_json::json!({ "object": object });
                map.insert("data".into(), odd_data.unwrap_or(data));
            }
            event
        },
    );
    prop_oneof![
        n.tidy() => event.prop_map(|e| Body(e.to_string().into_bytes())),
        n.0 => prop::collection::vec(any::<u8>(), 0..300).prop_map(Body),
    ]
    .boxed()
}

/// Checks what Stripe's parser made of an event body signed at `t`.
fn check_stripe(
    body: &[u8],
    t: i64,
    got: &Result<Notification, Rejected>,
) -> Result<(), TestCaseError> {
    if stale(t, false) {
        prop_assert_eq!(got, &Err(Rejected::Stale));
        return Ok(());
    }
    let n = match got {
        Ok(n) => n,
        Err(Rejected::Malformed(_)) => return Ok(()),
        Err(e) => return Err(TestCaseError::fail(format!("signed, yet refused: {e:?}"))),
    };
    let event: Value = serde_json::from_slice(body)
        .map_err(|_| TestCaseError::fail(format!("accepted a body that is not JSON: {n:?}")))?;
    let kind = str_of(&event, "type").unwrap_or_default();
    let Some(object) = event.pointer("/data/object") else {
        return Err(TestCaseError::fail(format!(
            "accepted an event without data.object: {n:?}"
        )));
    };
    let object_kind = str_of(object, "object").unwrap_or_default();
    let charge_refunded = kind == "charge.refunded" && object_kind == "charge";
    match n {
        Notification::Paid {
            payment_id,
            transaction_id,
            amount,
            paid_at,
        } => {
            prop_assert_eq!(kind, "payment_intent.succeeded");
            prop_assert_eq!(object_kind, "payment_intent");
            prop_assert_eq!(
                Some(payment_id.as_str()),
                object
                    .pointer("/metadata/paycore_payment_id")
                    .and_then(Value::as_str)
            );
            prop_assert_eq!(
                transaction_id.as_str(),
                str_of(object, "id").unwrap_or_default()
            );
            let minor = object
                .get("amount_received")
                .or_else(|| object.get("amount"))
                .and_then(Value::as_i64);
            let currency =
                str_of(object, "currency").and_then(|c| Currency::parse(&c.to_ascii_uppercase()));
            prop_assert_eq!(
                Some(*amount),
                minor.zip(currency).map(|(m, c)| Money::new(m, c))
            );
            let created = event.get("created").and_then(Value::as_i64).unwrap_or(t);
            prop_assert_eq!(Some(paid_at.as_micros()), created.checked_mul(1_000_000));
        }
        Notification::Refund {
            refund_id,
            amount,
            state,
        } => {
            let refund = if object_kind == "refund" {
                object
            } else {
                prop_assert!(charge_refunded, "{n:?} from a {kind:?} {object_kind:?}");
                object
                    .pointer("/refunds/data/0")
                    .ok_or_else(|| TestCaseError::fail("a refund from a charge without one"))?
            };
            prop_assert_eq!(
                Some(refund_id.as_str()),
                refund
                    .pointer("/metadata/paycore_refund_id")
                    .and_then(Value::as_str)
            );
            let currency =
                str_of(refund, "currency").and_then(|c| Currency::parse(&c.to_ascii_uppercase()));
            let minor = refund.get("amount").and_then(Value::as_i64);
            prop_assert_eq!(*amount, currency.zip(minor).map(|(c, m)| Money::new(m, c)));
            let id = str_of(refund, "id")
                .filter(|id| !id.is_empty())
                .map(str::to_owned);
            prop_assert!(
                same_refund_state(state, str_of(refund, "status"), id),
                "{state:?} for {refund}"
            );
        }
        Notification::Informational => prop_assert!(
            (object_kind == "payment_intent" && kind != "payment_intent.succeeded")
                || (charge_refunded && object.pointer("/refunds/data/0").is_none()),
            "{kind:?} {object_kind:?}"
        ),
    }
    Ok(())
}

/// A sandbox notification body: its fields, each plausible or not, or arbitrary bytes.
fn sandbox_body(n: Noise) -> BoxedStrategy<Body> {
    let body = n.object(vec![
        ("type", n.string(n.one_of(&["payment.paid"]))),
        ("order_id", n.string(n.id("pay_"))),
        ("transaction_id", n.string("sbx_[0-9A-Z]{26}".boxed())),
        ("amount_minor", n.minor()),
        (
            "currency",
            n.string(n.one_of(&["CNY", "USD", "JPY", "KWD"])),
        ),
        ("paid_at", n.created()),
    ]);
    prop_oneof![
        n.tidy() => body.prop_map(|b| Body(b.to_string().into_bytes())),
        n.0 => prop::collection::vec(any::<u8>(), 0..200).prop_map(Body),
    ]
    .boxed()
}

/// Checks what the sandbox's parser made of a body signed at `t`.
fn check_sandbox(
    body: &[u8],
    t: i64,
    got: &Result<Notification, Rejected>,
) -> Result<(), TestCaseError> {
    if stale(t, false) {
        prop_assert_eq!(got, &Err(Rejected::Stale));
        return Ok(());
    }
    let n = match got {
        Ok(n) => n,
        Err(Rejected::Malformed(_)) => return Ok(()),
        Err(e) => return Err(TestCaseError::fail(format!("signed, yet refused: {e:?}"))),
    };
    let b: Value = serde_json::from_slice(body)
        .map_err(|_| TestCaseError::fail(format!("accepted a body that is not JSON: {n:?}")))?;
    let Notification::Paid {
        payment_id,
        transaction_id,
        amount,
        paid_at,
    } = n
    else {
        return Err(TestCaseError::fail(format!(
            "the sandbox only reports payments: {n:?}"
        )));
    };
    prop_assert_eq!(str_of(&b, "type"), Some("payment.paid"));
    prop_assert_eq!(Some(payment_id.as_str()), str_of(&b, "order_id"));
    prop_assert_eq!(Some(transaction_id.as_str()), str_of(&b, "transaction_id"));
    let minor = b.get("amount_minor").and_then(Value::as_i64);
    let currency = str_of(&b, "currency").and_then(Currency::parse);
    prop_assert_eq!(
        Some(*amount),
        minor.zip(currency).map(|(m, c)| Money::new(m, c))
    );
    prop_assert_eq!(
        Some(paid_at.as_micros()),
        b.get("paid_at").and_then(Value::as_i64)
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn notifications_from_arbitrary_bytes_are_refused_without_panicking(
        body in prop::collection::vec(any::<u8>(), 0..400),
        header in "[ -~]{0,120}",
        timestamp in "[0-9]{0,12}",
    ) {
        let h = headers(&[
            ("paycore-sandbox-signature", header.clone()),
            ("stripe-signature", header.clone()),
            ("wechatpay-signature", header.clone()),
            ("wechatpay-timestamp", timestamp.clone()),
            ("wechatpay-nonce", header.clone()),
            ("wechatpay-serial", PLATFORM_SERIAL.into()),
        ]);
        for provider in providers() {
            prop_assert!(provider.verify_notification(&h, &body, now()).is_err(), "{}", provider.provider_name());
        }
    }

    #[test]
    fn structured_but_unsigned_notifications_are_refused(
        pairs in prop::collection::vec(("[a-z_]{1,12}", "[ -~]{0,20}"), 0..12),
    ) {
        // Form bodies with plausible keys (Alipay), and the same as JSON (the others).
        let form: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs.iter()).finish();
        let json = serde_json::Value::Object(
            pairs.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect(),
        )
        .to_string();
        for provider in providers() {
            for body in [form.as_bytes(), json.as_bytes()] {
                prop_assert!(provider.verify_notification(&HeaderMap::new(), body, now()).is_err());
            }
        }
    }

    #[test]
    fn signed_alipay_notifications_are_read_as_they_say(mut params in noise().prop_flat_map(alipay_params)) {
        params.remove("sign");
        params.remove("sign_type");
        // RSA2 over the sorted, non-empty parameters as `k=v&…`, raw values.
        let content: Vec<String> = params
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let signature = rsa_sign(&ALIPAY_PLATFORM, content.join("&").as_bytes());
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&params)
            .append_pair("sign", &signature)
            .append_pair("sign_type", "RSA2")
            .finish();
        let got = alipay().verify_notification(&HeaderMap::new(), body.as_bytes(), now());
        check_alipay(&params, &got)?;
    }

    #[test]
    fn signed_wechatpay_callbacks_are_read_as_they_say(
        callback in noise().prop_flat_map(wechat_callback),
        t in signed_at(),
        nonce in "[0-9A-Za-z]{1,32}",
    ) {
        let h = wechat_headers(t, &nonce, &callback.body.0);
        let got = wechatpay().verify_notification(&h, &callback.body.0, now());
        check_wechat(&callback, t, &got)?;
    }

    #[test]
    fn signed_stripe_events_are_read_as_they_say(
        body in noise().prop_flat_map(stripe_body),
        t in signed_at(),
        decoy in prop::option::of("[0-9a-f]{64}"),
    ) {
        // Stripe may list several v1 signatures; one that does not verify comes first.
        let signature = hmac_header(WEBHOOK_SECRET.as_bytes(), t, &body.0);
        let header = match decoy {
            Some(d) => signature.replacen(",v1=", &format!(",v1={d},v1="), 1),
            None => signature,
        };
        let h = headers(&[("stripe-signature", header)]);
        let got = stripe().verify_notification(&h, &body.0, now());
        check_stripe(&body.0, t, &got)?;
    }

    #[test]
    fn signed_sandbox_notifications_are_read_as_they_say(body in noise().prop_flat_map(sandbox_body), t in signed_at()) {
        let h = headers(&[("paycore-sandbox-signature", hmac_header(&SANDBOX_SECRET, t, &body.0))]);
        let got = sandbox().verify_notification(&h, &body.0, now());
        check_sandbox(&body.0, t, &got)?;
    }
}

#[test]
fn signed_timestamps_at_the_extremes_are_stale() {
    let body = b"{}";
    for t in [i64::MIN, i64::MIN + 1, i64::MAX] {
        let sandbox_header = hmac_header(&SANDBOX_SECRET, t, body);
        let h = headers(&[("paycore-sandbox-signature", sandbox_header)]);
        assert_eq!(
            sandbox().verify_notification(&h, body, now()),
            Err(Rejected::Stale)
        );
        let h = headers(&[(
            "stripe-signature",
            hmac_header(WEBHOOK_SECRET.as_bytes(), t, body),
        )]);
        assert_eq!(
            stripe().verify_notification(&h, body, now()),
            Err(Rejected::Stale)
        );
        let h = wechat_headers(t, "n", body);
        assert_eq!(
            wechatpay().verify_notification(&h, body, now()),
            Err(Rejected::Stale)
        );
    }
}
