//! WeChat Pay callbacks sealed with the API v3 key and signed by the platform, fuzzed behind the check.

use super::*;

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

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

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
}
