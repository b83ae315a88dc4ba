//! Each bad field gives INVALID_ARGUMENT naming the field, and nothing is stored.

use paycore::proto::v1;
use tonic::Code;
use tonic_types::StatusExt;

use crate::support::*;

type Mutate = fn(&mut v1::CreatePaymentRequest);

#[tokio::test]
async fn every_bad_field_is_named_and_nothing_is_stored() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let cases: Vec<(&str, &str, Mutate)> = vec![
        ("merchant_order_id", "INVALID_MERCHANT_ORDER_ID", |r| {
            r.merchant_order_id = String::new()
        }),
        ("merchant_order_id", "INVALID_MERCHANT_ORDER_ID", |r| {
            r.merchant_order_id = "a b".into()
        }),
        ("merchant_order_id", "INVALID_MERCHANT_ORDER_ID", |r| {
            r.merchant_order_id = "x".repeat(65)
        }),
        ("amount", "REQUIRED", |r| r.amount = None),
        ("amount.amount_minor", "INVALID_AMOUNT", |r| {
            r.amount.as_mut().unwrap().amount_minor = 0
        }),
        ("amount.amount_minor", "INVALID_AMOUNT", |r| {
            r.amount.as_mut().unwrap().amount_minor = -5
        }),
        ("amount.amount_minor", "AMOUNT_TOO_LARGE", |r| {
            r.amount.as_mut().unwrap().amount_minor = 100_000_001
        }),
        ("amount.currency", "INVALID_CURRENCY", |r| {
            r.amount.as_mut().unwrap().currency = "cny".into()
        }),
        ("amount.currency", "INVALID_CURRENCY", |r| {
            r.amount.as_mut().unwrap().currency = "XYZ".into()
        }),
        ("description", "TOO_LONG", |r| {
            r.description = "é".repeat(129)
        }),
        ("method", "REQUIRED", |r| r.method = 0),
        ("method", "REQUIRED", |r| r.method = 99),
        ("method", "METHOD_NOT_SUPPORTED", |r| {
            r.method = v1::PaymentMethod::Card.into()
        }),
        ("metadata", "TOO_MANY_ENTRIES", |r| {
            for i in 0..21 {
                r.metadata.insert(format!("k{i}"), "v".into());
            }
        }),
        ("metadata", "INVALID_METADATA_KEY", |r| {
            r.metadata.insert("k".repeat(41), "v".into());
        }),
        ("metadata[\"k\"]", "TOO_LONG", |r| {
            r.metadata.insert("k".into(), "v".repeat(501));
        }),
        ("expires_in", "INVALID_EXPIRY", |r| {
            r.expires_in = Some(prost_types::Duration {
                seconds: 59,
                nanos: 0,
            })
        }),
        ("expires_in", "INVALID_EXPIRY", |r| {
            r.expires_in = Some(prost_types::Duration {
                seconds: 16 * 86400,
                nanos: 0,
            })
        }),
        ("payer.buyer_id", "REQUIRED", |r| {
            r.method = v1::PaymentMethod::Jsapi.into()
        }),
        ("payer.client_ip", "INVALID_IP", |r| {
            r.payer = Some(v1::Payer {
                client_ip: "300.1.1.1".into(),
                ..Default::default()
            })
        }),
        ("return_url", "INVALID_URL", |r| {
            r.return_url = "javascript:alert(1)".into()
        }),
    ];
    for (i, (field, reason, mutate)) in cases.into_iter().enumerate() {
        let mut req = create_request(&format!("bad-{i}"), Some("succeed"));
        mutate(&mut req);
        let err = c.create_payment(req).await.unwrap_err();
        assert_reason(&err, Code::InvalidArgument, "INVALID_REQUEST");
        let violations = err
            .get_details_bad_request()
            .expect("BadRequest")
            .field_violations;
        assert!(
            violations
                .iter()
                .any(|v| v.field == field && v.reason == reason),
            "case {i}: expected {field}/{reason} in {violations:?}"
        );
        assert!(err.message().contains(field), "case {i}: {}", err.message());
    }

    // Several bad fields are all reported at once.
    let mut req = create_request("", None);
    req.amount = None;
    req.method = 0;
    let err = c.create_payment(req).await.unwrap_err();
    let fields: Vec<String> = err
        .get_details_bad_request()
        .unwrap()
        .field_violations
        .into_iter()
        .map(|v| v.field)
        .collect();
    assert_eq!(fields, ["merchant_order_id", "amount", "method"]);

    let listed = c
        .list_payments(v1::ListPaymentsRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert!(listed.payments.is_empty(), "nothing stored");

    // Lookups are validated too.
    for (req, field) in [
        (v1::GetPaymentRequest { lookup: None }, "lookup"),
        (
            v1::GetPaymentRequest {
                lookup: Some(v1::get_payment_request::Lookup::Id("nope".into())),
            },
            "id",
        ),
    ] {
        let err = c.get_payment(req).await.unwrap_err();
        assert_reason(&err, Code::InvalidArgument, "INVALID_REQUEST");
        assert_eq!(
            err.get_details_bad_request().unwrap().field_violations[0].field,
            field
        );
    }
    let err = c
        .list_payments(v1::ListPaymentsRequest {
            page_size: -1,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_reason(&err, Code::InvalidArgument, "INVALID_REQUEST");
    t.stop().await;
}

#[tokio::test]
async fn an_unknown_sandbox_outcome_is_declined_by_the_sandbox() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let p = create(&mut c, create_request("odd-outcome", Some("explode"))).await;
    assert_eq!(status_of(&p), v1::PaymentStatus::Failed);
    assert_eq!(p.failure.unwrap().code, "SANDBOX_UNKNOWN_OUTCOME");
    t.stop().await;
}
