//! Refunds through the real server on the sandbox channel.

use paycore::proto::v1;
use tonic::Code;

use crate::support::*;
use v1::RefundStatus as R;

pub type RefundClient = v1::refund_service_client::RefundServiceClient<
    tonic::service::interceptor::InterceptedService<tonic::transport::Channel, Bearer>,
>;

pub async fn refunds(t: &TestServer, key: &str) -> RefundClient {
    v1::refund_service_client::RefundServiceClient::with_interceptor(
        t.channel().await,
        Bearer::for_key(key),
    )
}

pub fn refund_request(
    payment_id: &str,
    refund_id: &str,
    amount: Option<i64>,
) -> v1::CreateRefundRequest {
    v1::CreateRefundRequest {
        payment: Some(v1::create_refund_request::Payment::PaymentId(
            payment_id.to_owned(),
        )),
        merchant_refund_id: refund_id.to_owned(),
        amount: amount.map(|a| v1::Money {
            amount_minor: a,
            currency: "CNY".into(),
        }),
        reason: "returned goods".into(),
    }
}

/// Creates a refund that the test expects to be accepted.
pub async fn refund(r: &mut RefundClient, req: v1::CreateRefundRequest) -> v1::Refund {
    r.create_refund(req)
        .await
        .unwrap()
        .into_inner()
        .refund
        .unwrap()
}

/// A refund as stored, by id.
pub async fn refund_by_id(r: &RefundClient, id: &str) -> v1::Refund {
    r.clone()
        .get_refund(v1::GetRefundRequest {
            lookup: Some(v1::get_refund_request::Lookup::Id(id.to_owned())),
        })
        .await
        .unwrap()
        .into_inner()
        .refund
        .unwrap()
}

/// A refund's stored status, by id.
pub async fn status_of_refund(r: &RefundClient, id: &str) -> R {
    refund_status(&refund_by_id(r, id).await)
}

pub fn refund_status(r: &v1::Refund) -> R {
    R::try_from(r.status).unwrap()
}

#[tokio::test]
async fn partial_and_full_refunds_show_on_the_payment_with_events() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let mut r = refunds(&t, &t.api_key).await;
    let p = create(&mut c, create_request("rf-1", Some("succeed"))).await;

    let first = refund(&mut r, refund_request(&p.id, "rf-1-a", Some(300))).await;
    assert_eq!(refund_status(&first), R::Succeeded);
    assert!(first.id.starts_with("rfd_"));
    assert_eq!(first.channel_id, "sandbox");
    assert!(first.provider_refund_id.starts_with("sbx_rfd_"));
    assert_eq!(
        get(&mut c, &p.id)
            .await
            .refunded_amount
            .unwrap()
            .amount_minor,
        300
    );

    // No amount: whatever is left.
    let rest = refund(&mut r, refund_request(&p.id, "rf-1-b", None)).await;
    assert_eq!(rest.amount.unwrap().amount_minor, 700);
    assert_eq!(
        get(&mut c, &p.id)
            .await
            .refunded_amount
            .unwrap()
            .amount_minor,
        1000
    );

    let err = r
        .create_refund(refund_request(&p.id, "rf-1-c", Some(1)))
        .await
        .unwrap_err();
    assert_reason(&err, Code::FailedPrecondition, "REFUND_EXCEEDS_AVAILABLE");
    assert_eq!(
        t.events(&p.id).await,
        [
            "payment.created",
            "payment.succeeded",
            "refund.created",
            "refund.succeeded",
            "refund.created",
            "refund.succeeded"
        ]
    );

    // Replays answer the same; other parameters conflict.
    let again = refund(&mut r, refund_request(&p.id, "rf-1-a", Some(300))).await;
    assert_eq!(again.id, first.id);
    let err = r
        .create_refund(refund_request(&p.id, "rf-1-a", Some(301)))
        .await
        .unwrap_err();
    assert_reason(&err, Code::AlreadyExists, "IDEMPOTENCY_CONFLICT");

    let got = r
        .get_refund(v1::GetRefundRequest {
            lookup: Some(v1::get_refund_request::Lookup::MerchantRefundId(
                "rf-1-b".into(),
            )),
        })
        .await
        .unwrap()
        .into_inner()
        .refund
        .unwrap();
    assert_eq!(got.id, rest.id);
    let listed = r
        .list_refunds(v1::ListRefundsRequest {
            payment_id: p.id.clone(),
            page_size: 1,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(listed.refunds[0].id, rest.id, "newest first");
    let second_page = r
        .list_refunds(v1::ListRefundsRequest {
            payment_id: p.id.clone(),
            page_size: 1,
            page_token: listed.next_page_token,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(second_page.refunds[0].id, first.id);
    t.stop().await;
}

#[tokio::test]
async fn a_hundred_concurrent_unit_refunds_of_fifty_units_take_exactly_fifty() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let mut req = create_request("rf-race", Some("succeed"));
    req.amount.as_mut().unwrap().amount_minor = 50;
    let p = create(&mut c, req).await;
    let r = refunds(&t, &t.api_key).await;
    let tasks: Vec<_> = (0..100)
        .map(|i| {
            let mut r = r.clone();
            let req = refund_request(&p.id, &format!("unit-{i}"), Some(1));
            tokio::spawn(async move { r.create_refund(req).await })
        })
        .collect();
    let (mut ok, mut exceeded) = (0, 0);
    for task in tasks {
        match task.await.unwrap() {
            Ok(resp) => {
                assert_eq!(
                    refund_status(&resp.into_inner().refund.unwrap()),
                    R::Succeeded
                );
                ok += 1;
            }
            Err(status) => {
                assert_reason(
                    &status,
                    Code::FailedPrecondition,
                    "REFUND_EXCEEDS_AVAILABLE",
                );
                exceeded += 1;
            }
        }
    }
    assert_eq!((ok, exceeded), (50, 50));
    assert_eq!(
        get(&mut c, &p.id)
            .await
            .refunded_amount
            .unwrap()
            .amount_minor,
        50
    );
    t.stop().await;
}

#[tokio::test]
async fn bad_refund_requests_get_precise_errors_and_store_nothing() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let mut r = refunds(&t, &t.api_key).await;
    let paid = create(&mut c, create_request("rf-bad-paid", Some("succeed"))).await;
    let pending = create(&mut c, create_request("rf-bad-pending", None)).await;

    let err = r
        .create_refund(refund_request(&pending.id, "x-1", None))
        .await
        .unwrap_err();
    assert_reason(&err, Code::FailedPrecondition, "PAYMENT_NOT_REFUNDABLE");
    let err = r
        .create_refund(refund_request(
            "pay_00000000000000000000000000",
            "x-2",
            None,
        ))
        .await
        .unwrap_err();
    assert_reason(&err, Code::NotFound, "PAYMENT_NOT_FOUND");
    let err = r
        .create_refund(refund_request("nope", "x-3", None))
        .await
        .unwrap_err();
    assert_reason(&err, Code::InvalidArgument, "INVALID_REQUEST");
    let err = r
        .create_refund(refund_request(&paid.id, "bad id!", None))
        .await
        .unwrap_err();
    assert_reason(&err, Code::InvalidArgument, "INVALID_REQUEST");
    let err = r
        .create_refund(refund_request(&paid.id, "x-4", Some(0)))
        .await
        .unwrap_err();
    assert_reason(&err, Code::InvalidArgument, "INVALID_REQUEST");
    let mut usd = refund_request(&paid.id, "x-5", Some(1));
    usd.amount.as_mut().unwrap().currency = "USD".into();
    let err = r.create_refund(usd).await.unwrap_err();
    assert_reason(&err, Code::InvalidArgument, "INVALID_REQUEST");
    let err = r
        .create_refund(refund_request(&paid.id, "x-6", Some(1001)))
        .await
        .unwrap_err();
    assert_reason(&err, Code::FailedPrecondition, "REFUND_EXCEEDS_AVAILABLE");
    let err = r
        .get_refund(v1::GetRefundRequest {
            lookup: Some(v1::get_refund_request::Lookup::Id(
                "rfd_00000000000000000000000000".into(),
            )),
        })
        .await
        .unwrap_err();
    assert_reason(&err, Code::NotFound, "REFUND_NOT_FOUND");

    // Another merchant cannot refund this merchant's payment.
    let other = t.other_merchant().await;
    let mut theirs = refunds(&t, &other).await;
    let err = theirs
        .create_refund(refund_request(&paid.id, "x-7", None))
        .await
        .unwrap_err();
    assert_reason(&err, Code::NotFound, "PAYMENT_NOT_FOUND");

    let listed = r
        .list_refunds(v1::ListRefundsRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert!(listed.refunds.is_empty(), "nothing half-written");
    assert_eq!(
        get(&mut c, &paid.id)
            .await
            .refunded_amount
            .unwrap()
            .amount_minor,
        0
    );
    t.stop().await;
}

/// A succeeded refund written again (a late answer adding the provider's refund id, a
/// duplicate notification) must not count its amount a second time.
#[tokio::test]
async fn the_refunded_amount_moves_only_when_a_refund_succeeds() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let mut r = refunds(&t, &t.api_key).await;
    let p = create(&mut c, create_request("rf-once", Some("succeed"))).await;
    let done = refund(&mut r, refund_request(&p.id, "rf-once-a", Some(300))).await;
    assert_eq!(refund_status(&done), R::Succeeded);

    let store = &t.server.services.store;
    let mut stored = store
        .refund_by_id(&done.id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    stored.provider_refund_id = Some("sbx_rfd_rewritten".into());
    store
        .apply_refund(&stored, stored.version, stored.status, None)
        .await
        .unwrap();
    let refunded = get(&mut c, &p.id).await.refunded_amount.unwrap();
    assert_eq!(refunded.amount_minor, 300);
    t.stop().await;
}
