//! Every parser of untrusted input, fed arbitrary bytes: provider notifications (bodies and
//! signature headers) must be refused, never panic. Then random bodies signed with the test
//! keys, so each signature check passes and the parser behind it is fuzzed: it must never
//! panic, and a notification it accepts must say what the body says.

mod signed_alipay;
mod signed_sandbox;
mod signed_stripe;
mod signed_wechatpay;

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
