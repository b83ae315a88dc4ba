//! Sandbox notifications with a valid HMAC, fuzzed behind the check.

use super::*;

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
    fn signed_sandbox_notifications_are_read_as_they_say(body in noise().prop_flat_map(sandbox_body), t in signed_at()) {
        let h = headers(&[("paycore-sandbox-signature", hmac_header(&SANDBOX_SECRET, t, &body.0))]);
        let got = sandbox().verify_notification(&h, &body.0, now());
        check_sandbox(&body.0, t, &got)?;
    }
}
