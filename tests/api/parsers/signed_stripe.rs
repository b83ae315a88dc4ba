//! Stripe events with a valid `Stripe-Signature`, fuzzed behind the check.

use super::*;

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

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

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
}
