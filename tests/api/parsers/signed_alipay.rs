//! Alipay notifications signed RSA2 with the platform key, fuzzed behind the check.

use super::*;

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

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

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
}
