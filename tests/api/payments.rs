//! Create, get, list, close and sync through gRPC for every sandbox outcome.

use paycore::proto::v1;
use paycore::proto::v1::next_action::Action;
use tonic::Code;
use tonic_types::StatusExt;

use crate::support::*;
use v1::AttemptOutcome as A;
use v1::PaymentStatus as S;

#[tokio::test]
async fn succeed_outcome_pays_at_once() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let p = create(&mut c, create_request("succeed-1", Some("succeed"))).await;
    assert_eq!(status_of(&p), S::Succeeded);
    assert!(p.id.starts_with("pay_"));
    assert_eq!(p.channel_id, "sandbox");
    assert!(p.provider_transaction_id.starts_with("sbx_"));
    assert!(p.paid_at.is_some());
    assert_eq!(outcomes(&p), [A::Accepted]);
    assert!(p.attempts[0].latency.is_some());
    assert_eq!(p.amount.as_ref().unwrap().amount_minor, 1000);
    assert_eq!(p.refunded_amount.as_ref().unwrap().amount_minor, 0);
    assert_eq!(
        t.events(&p.id).await,
        ["payment.created", "payment.succeeded"]
    );
    assert_eq!(get(&mut c, &p.id).await, p);
    t.stop().await;
}

#[tokio::test]
async fn pending_outcome_waits_for_the_buyer_with_a_qr_code() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let p = create(&mut c, create_request("pending-1", None)).await;
    assert_eq!(status_of(&p), S::Pending);
    let Some(Action::QrCodeContent(qr)) = p.next_action.clone().and_then(|a| a.action) else {
        panic!("expected a QR code");
    };
    assert_eq!(
        qr,
        format!("http://{}/sandbox/checkout/{}", t.http_addr(), p.id)
    );
    assert_eq!(outcomes(&p), [A::Accepted]);
    assert_eq!(
        t.events(&p.id).await,
        ["payment.created", "payment.pending"]
    );
    let expires = p.expires_at.unwrap().seconds - p.created_at.unwrap().seconds;
    assert_eq!(expires, 7200, "default expiry is two hours");

    // Sync asks the sandbox, which is still waiting: nothing changes.
    let synced = sync(&mut c, &p.id).await;
    assert_eq!(status_of(&synced), S::Pending);
    assert_eq!(t.events(&p.id).await.len(), 2);
    t.stop().await;
}

#[tokio::test]
async fn each_method_gets_its_kind_of_next_action() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let cases = [
        (v1::PaymentMethod::WebPage, "redirect"),
        (v1::PaymentMethod::H5, "redirect"),
        (v1::PaymentMethod::App, "app"),
        (v1::PaymentMethod::Jsapi, "jsapi"),
    ];
    for (i, (method, kind)) in cases.into_iter().enumerate() {
        let mut req = create_request(&format!("method-{i}"), None);
        req.method = method.into();
        req.payer = Some(v1::Payer {
            buyer_id: "openid-123".into(),
            client_ip: "203.0.113.9".into(),
            ..Default::default()
        });
        let p = create(&mut c, req).await;
        let action = p.next_action.and_then(|a| a.action).unwrap();
        let got = match action {
            Action::RedirectUrl(u) => {
                assert!(u.ends_with(&p.id));
                "redirect"
            }
            Action::AppInvocation(params) => {
                assert_eq!(params.parameters["order_id"], p.id);
                "app"
            }
            Action::JsapiInvocation(params) => {
                assert_eq!(params.parameters["order_id"], p.id);
                "jsapi"
            }
            Action::QrCodeContent(_) => "qr",
        };
        assert_eq!(got, kind, "{method:?}");
    }
    t.stop().await;
}

#[tokio::test]
async fn decline_outcome_fails_the_payment_as_data() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let p = create(&mut c, create_request("decline-1", Some("decline"))).await;
    assert_eq!(status_of(&p), S::Failed);
    assert_eq!(p.failure.as_ref().unwrap().code, "SANDBOX_DECLINED");
    assert_eq!(outcomes(&p), [A::Declined]);
    assert_eq!(p.attempts[0].error_code, "SANDBOX_DECLINED");
    assert_eq!(t.events(&p.id).await, ["payment.created", "payment.failed"]);

    // A declined payment is final: the same order id replays it, it is not placed again.
    let again = create(&mut c, create_request("decline-1", Some("decline"))).await;
    assert_eq!(again, p);
    t.stop().await;
}

#[tokio::test]
async fn unavailable_outcome_is_unavailable_and_may_be_retried() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let err = c
        .create_payment(create_request("unavail-1", Some("unavailable")))
        .await
        .unwrap_err();
    assert_reason(&err, Code::Unavailable, "CHANNELS_UNAVAILABLE");
    assert!(err.get_details_retry_info().is_some(), "RetryInfo detail");

    let stored = c
        .get_payment(v1::GetPaymentRequest {
            lookup: Some(v1::get_payment_request::Lookup::MerchantOrderId(
                "unavail-1".into(),
            )),
        })
        .await
        .unwrap()
        .into_inner()
        .payment
        .unwrap();
    assert_eq!(status_of(&stored), S::Failed);
    assert_eq!(
        stored.failure.as_ref().unwrap().code,
        "CHANNELS_UNAVAILABLE"
    );
    assert_eq!(outcomes(&stored), [A::NotProcessed]);

    // The same merchant_order_id may be retried: the payment is placed again.
    let err = c
        .create_payment(create_request("unavail-1", Some("unavailable")))
        .await
        .unwrap_err();
    assert_reason(&err, Code::Unavailable, "CHANNELS_UNAVAILABLE");
    let retried = get(&mut c, &stored.id).await;
    assert_eq!(outcomes(&retried), [A::NotProcessed, A::NotProcessed]);
    assert_eq!(
        t.events(&stored.id).await,
        [
            "payment.created",
            "payment.failed",
            "payment.processing",
            "payment.failed"
        ]
    );

    // Closing it ends the retries.
    let closed = close(&mut c, &stored.id).await;
    assert_eq!(status_of(&closed), S::Closed);
    t.stop().await;
}

#[tokio::test]
async fn timeout_outcome_is_unknown_and_sync_settles_it() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let p = create(&mut c, create_request("timeout-1", Some("timeout"))).await;
    assert_eq!(status_of(&p), S::Unknown);
    assert_eq!(outcomes(&p), [A::Ambiguous], "nothing else is tried");
    assert_eq!(p.channel_id, "sandbox");
    assert!(p.failure.is_none());

    let synced = sync(&mut c, &p.id).await;
    assert_eq!(status_of(&synced), S::Succeeded);
    assert!(synced.provider_transaction_id.starts_with("sbx_"));
    assert_eq!(
        t.events(&p.id).await,
        ["payment.created", "payment.unknown", "payment.succeeded"]
    );
    t.stop().await;
}

#[tokio::test]
async fn close_closes_pending_and_refuses_succeeded() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let pending = create(&mut c, create_request("close-1", None)).await;
    let request = |id: &str| v1::ClosePaymentRequest {
        id: id.to_owned(),
        ..Default::default()
    };
    let closed = close(&mut c, &pending.id).await;
    assert_eq!(status_of(&closed), S::Closed);
    assert!(closed.next_action.is_none());
    // Closing again is a no-op.
    let again = close(&mut c, &pending.id).await;
    assert_eq!(status_of(&again), S::Closed);
    assert_eq!(
        t.events(&pending.id).await,
        ["payment.created", "payment.pending", "payment.closed"]
    );
    // The buyer can no longer pay it.
    let (code, _) = http(
        t.http_addr(),
        "POST",
        &format!("/sandbox/pay/{}", pending.id),
        &[],
        b"",
    )
    .await;
    assert_eq!(code, 409);

    let paid = create(&mut c, create_request("close-2", Some("succeed"))).await;
    let err = c.close_payment(request(&paid.id)).await.unwrap_err();
    assert_reason(&err, Code::FailedPrecondition, "PAYMENT_ALREADY_SUCCEEDED");

    let err = c.close_payment(request("pay_nonsense")).await.unwrap_err();
    assert_reason(&err, Code::InvalidArgument, "INVALID_REQUEST");
    let missing = "pay_00000000000000000000000000";
    let err = c.close_payment(request(missing)).await.unwrap_err();
    assert_reason(&err, Code::NotFound, "PAYMENT_NOT_FOUND");
    t.stop().await;
}

#[tokio::test]
async fn list_is_newest_first_filtered_and_stable_while_inserting() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let mut ids = Vec::new();
    for i in 0..7 {
        let outcome = if i % 2 == 0 { Some("succeed") } else { None };
        ids.push(
            create(&mut c, create_request(&format!("list-{i}"), outcome))
                .await
                .id,
        );
    }
    let list = |token: String, status: S| v1::ListPaymentsRequest {
        page_size: 3,
        page_token: token,
        status: status.into(),
        ..Default::default()
    };
    let first = c
        .list_payments(list(String::new(), S::Unspecified))
        .await
        .unwrap()
        .into_inner();
    let got: Vec<_> = first.payments.iter().map(|p| p.id.clone()).collect();
    assert_eq!(got, [ids[6].clone(), ids[5].clone(), ids[4].clone()]);

    // New payments arrive between pages: later pages neither repeat nor skip.
    create(&mut c, create_request("list-new", None)).await;
    let mut seen = got;
    let mut token = first.next_page_token;
    while !token.is_empty() {
        let page = c
            .list_payments(list(token, S::Unspecified))
            .await
            .unwrap()
            .into_inner();
        seen.extend(page.payments.iter().map(|p| p.id.clone()));
        token = page.next_page_token;
    }
    let mut expected = ids.clone();
    expected.reverse();
    assert_eq!(seen, expected);

    let succeeded = c
        .list_payments(v1::ListPaymentsRequest {
            status: S::Succeeded.into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(succeeded.payments.len(), 4);
    assert!(
        succeeded
            .payments
            .iter()
            .all(|p| status_of(p) == S::Succeeded)
    );

    // Time range: nothing was created before the first payment.
    let first_created = get(&mut c, &ids[0]).await.created_at;
    let last_created = get(&mut c, &ids[6]).await.created_at;
    let before_all = c
        .list_payments(v1::ListPaymentsRequest {
            created_before: first_created,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(before_all.payments.is_empty());
    let since_last = c
        .list_payments(v1::ListPaymentsRequest {
            created_after: last_created,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(since_last.payments.len(), 2, "the last one and the new one");

    // A token is bound to its filters.
    let token = c
        .list_payments(list(String::new(), S::Unspecified))
        .await
        .unwrap()
        .into_inner()
        .next_page_token;
    let err = c
        .list_payments(list(token, S::Succeeded))
        .await
        .unwrap_err();
    assert_reason(&err, Code::InvalidArgument, "INVALID_REQUEST");
    assert_eq!(
        err.get_details_bad_request().unwrap().field_violations[0].field,
        "page_token"
    );
    t.stop().await;
}

#[tokio::test]
async fn a_channel_slower_than_its_attempt_timeout_leaves_the_payment_unknown() {
    let t = TestServer::start_with(
        "[[channels]]\nid = \"slow-sandbox\"\nprovider = \"sandbox\"\nattempt_timeout_ms = 100\n",
    )
    .await;
    let mut c = t.client().await;
    let mut req = create_request("slow-1", Some("succeed"));
    req.metadata
        .insert("sandbox_delay_ms".into(), "2000".into());
    let p = create(&mut c, req).await;
    assert_eq!(status_of(&p), S::Unknown);
    assert_eq!(outcomes(&p), [A::Ambiguous]);
    assert_eq!(p.attempts[0].error_code, "ATTEMPT_TIMEOUT");
    assert_eq!(p.channel_id, "slow-sandbox");
    t.stop().await;
}

#[tokio::test]
async fn close_and_sync_take_a_merchant_order_id_instead_of_an_id() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let paid = create(&mut c, create_request("by-order-paid", Some("timeout"))).await;
    let synced = c
        .sync_payment(v1::SyncPaymentRequest {
            merchant_order_id: "by-order-paid".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .payment
        .unwrap();
    assert_eq!(
        (synced.id.as_str(), status_of(&synced)),
        (paid.id.as_str(), S::Succeeded)
    );

    let pending = create(&mut c, create_request("by-order-pending", None)).await;
    let closed = c
        .close_payment(v1::ClosePaymentRequest {
            merchant_order_id: "by-order-pending".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .payment
        .unwrap();
    assert_eq!(
        (closed.id.as_str(), status_of(&closed)),
        (pending.id.as_str(), S::Closed)
    );

    for (request, field, reason) in [
        (v1::ClosePaymentRequest::default(), "id", "REQUIRED"),
        (
            v1::ClosePaymentRequest {
                id: pending.id.clone(),
                merchant_order_id: "by-order-pending".into(),
            },
            "merchant_order_id",
            "ONE_OF",
        ),
        (
            v1::ClosePaymentRequest {
                merchant_order_id: "not valid!".into(),
                ..Default::default()
            },
            "merchant_order_id",
            "INVALID_MERCHANT_ORDER_ID",
        ),
    ] {
        let e = c.close_payment(request).await.unwrap_err();
        assert_reason(&e, Code::InvalidArgument, "INVALID_REQUEST");
        let violation = &e.get_details_bad_request().unwrap().field_violations[0];
        assert_eq!(
            (violation.field.as_str(), violation.reason.as_str()),
            (field, reason)
        );
    }
    let e = c
        .sync_payment(v1::SyncPaymentRequest {
            merchant_order_id: "no-such-order".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_reason(&e, Code::NotFound, "PAYMENT_NOT_FOUND");
}
