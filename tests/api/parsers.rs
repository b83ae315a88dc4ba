//! Every parser of untrusted input, fed arbitrary bytes: provider notifications (bodies and
//! signature headers) must be refused, never panic.

use std::sync::Arc;

use http::{HeaderMap, HeaderValue};
use paycore::domain::{Secret, SystemClock, Timestamp};
use paycore::provider::executor::Executor;
use paycore::provider::sandbox::Sandbox;
use paycore::provider::{Provider, alipay, keys, stripe, wechatpay};
use proptest::prelude::*;
use rsa::pkcs1v15::{SigningKey, VerifyingKey};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/keys");

fn pem(name: &str) -> String {
    std::fs::read_to_string(format!("{DATA}/{name}")).unwrap()
}

fn providers() -> Vec<Arc<dyn Provider>> {
    let executor = Executor::new(std::time::Duration::from_secs(1)).unwrap();
    let clock = Arc::new(SystemClock);
    let merchant = || SigningKey::new(keys::private_key(&pem("merchant_pkcs8.pem")).unwrap());
    vec![
        Arc::new(Sandbox::new(
            Secret::new(vec![1; 32]),
            "http://127.0.0.1:1".into(),
            clock.clone(),
        )),
        Arc::new(alipay::Alipay::new(
            alipay::Settings {
                app_id: "2021000000000001".into(),
                private_key: merchant(),
                alipay_public_key: VerifyingKey::new(
                    keys::public_key(&pem("alipay_platform_public.pem")).unwrap(),
                ),
                gateway_url: "http://127.0.0.1:1/gateway.do".into(),
                notify_url: "http://127.0.0.1:1/callbacks/a".into(),
            },
            executor.clone(),
            clock.clone(),
        )),
        Arc::new(wechatpay::Wechatpay::new(
            wechatpay::Settings {
                mchid: "1230000109".into(),
                appid: "wx".into(),
                merchant_serial_no: "S".into(),
                private_key: merchant(),
                platform_key: VerifyingKey::new(
                    keys::public_key(&pem("wechat_platform_public.pem")).unwrap(),
                ),
                platform_serial: "PUB_KEY_ID_1".into(),
                api_v3_key: Secret::new(b"0123456789abcdef0123456789abcdef".to_vec()),
                base_url: "http://127.0.0.1:1".into(),
                notify_url: "http://127.0.0.1:1/callbacks/w".into(),
            },
            executor.clone(),
            clock.clone(),
        )),
        Arc::new(stripe::Stripe::new(
            stripe::Settings {
                secret_key: Secret::new("sk".into()),
                webhook_secret: Secret::new("whsec".into()),
                base_url: "http://127.0.0.1:1".into(),
            },
            executor,
            clock,
        )),
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
            ("wechatpay-serial", "PUB_KEY_ID_1".into()),
        ]);
        let now = Timestamp::from_micros(1_795_320_000_000_000);
        for provider in providers() {
            prop_assert!(provider.verify_notification(&h, &body, now).is_err(), "{}", provider.provider_name());
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
        let now = Timestamp::from_micros(1_795_320_000_000_000);
        for provider in providers() {
            for body in [form.as_bytes(), json.as_bytes()] {
                prop_assert!(provider.verify_notification(&HeaderMap::new(), body, now).is_err());
            }
        }
    }
}
