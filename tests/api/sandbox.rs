//! The sandbox buyer flow and provider callbacks: verified, applied once, forgeries refused.

use hmac::{Hmac, Mac};
use paycore::proto::v1;
use sha2::Sha256;

use crate::support::*;

/// Signs a sandbox notification the way the protocol says: HMAC-SHA256 over
/// `{timestamp}.{body}`, hex, in `paycore-sandbox-signature: t=…,v1=…`.
fn signature(secret: &str, t: i64, body: &str) -> String {
    let mut mac = <Hmac<Sha256>>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

fn paid_body(payment_id: &str, amount_minor: i64) -> String {
    format!(
        r#"{{"type":"payment.paid","order_id":"{payment_id}","transaction_id":"sbx_T1","amount_minor":{amount_minor},"currency":"CNY","paid_at":1700000000000000}}"#
    )
}

#[tokio::test]
async fn a_buyer_pays_through_the_checkout_page() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let p = create(&mut c, create_request("buyer-1", None)).await;

    let (code, page) = http(
        t.http_addr(),
        "GET",
        &format!("/sandbox/checkout/{}", p.id),
        &[],
        b"",
    )
    .await;
    assert_eq!(code, 200);
    assert!(page.contains("10.00 CNY"), "{page}");
    assert!(page.contains(&format!("action=\"/sandbox/pay/{}\"", p.id)));

    // The page's form post pays and comes back to the page.
    let (code, _) = http(
        t.http_addr(),
        "POST",
        &format!("/sandbox/pay/{}", p.id),
        &[("content-type", "application/x-www-form-urlencoded")],
        b"",
    )
    .await;
    assert_eq!(code, 303);
    let paid = get(&mut c, &p.id).await;
    assert_eq!(status_of(&paid), v1::PaymentStatus::Succeeded);
    assert!(paid.provider_transaction_id.starts_with("sbx_"));
    assert!(paid.next_action.is_none());
    let (_, page) = http(
        t.http_addr(),
        "GET",
        &format!("/sandbox/checkout/{}", p.id),
        &[],
        b"",
    )
    .await;
    assert!(page.contains("Paid"));

    // Paying again re-sends the same notification: applied once.
    let (code, body) = http(
        t.http_addr(),
        "POST",
        &format!("/sandbox/pay/{}", p.id),
        &[],
        b"",
    )
    .await;
    assert_eq!((code, body.contains("succeeded")), (200, true), "{body}");
    assert_eq!(
        t.events(&p.id).await,
        ["payment.created", "payment.pending", "payment.succeeded"]
    );

    let (code, _) = http(t.http_addr(), "GET", "/sandbox/checkout/pay_nope", &[], b"").await;
    assert_eq!(code, 404);
    t.stop().await;
}

#[tokio::test]
async fn forged_notifications_change_nothing_and_replays_apply_once() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let p = create(&mut c, create_request("callback-1", None)).await;
    let body = paid_body(&p.id, 1000);
    let post = |headers: Vec<(String, String)>, body: String| {
        let addr = t.http_addr();
        async move {
            let h: Vec<(&str, &str)> = headers
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            http(addr, "POST", "/callbacks/sandbox", &h, body.as_bytes()).await
        }
    };
    let sig = |secret: &str, t: i64, body: &str| {
        vec![(
            "paycore-sandbox-signature".to_owned(),
            signature(secret, t, body),
        )]
    };

    // Wrong key, missing signature, tampered body, stale timestamp: all refused.
    assert_eq!(
        post(
            sig("not-the-secret-at-all", unix_now(), &body),
            body.clone()
        )
        .await
        .0,
        401
    );
    assert_eq!(post(vec![], body.clone()).await.0, 401);
    let tampered = paid_body(&p.id, 1);
    assert_eq!(
        post(sig(SANDBOX_SECRET, unix_now(), &body), tampered)
            .await
            .0,
        401
    );
    assert_eq!(
        post(sig(SANDBOX_SECRET, unix_now() - 600, &body), body.clone())
            .await
            .0,
        401
    );
    // Authentic but for another amount than the payment's: refused.
    let wrong_amount = paid_body(&p.id, 999);
    assert_eq!(
        post(sig(SANDBOX_SECRET, unix_now(), &wrong_amount), wrong_amount)
            .await
            .0,
        400
    );
    // Unknown channel and unknown payment.
    let (code, _) = http(
        t.http_addr(),
        "POST",
        "/callbacks/nope",
        &[],
        body.as_bytes(),
    )
    .await;
    assert_eq!(code, 404);
    let other = paid_body("pay_00000000000000000000000000", 1000);
    assert_eq!(
        post(sig(SANDBOX_SECRET, unix_now(), &other), other).await.0,
        404
    );

    assert_eq!(
        status_of(&get(&mut c, &p.id).await),
        v1::PaymentStatus::Pending
    );
    assert_eq!(t.events(&p.id).await.len(), 2, "no state change");

    // The genuine notification, delivered three times: acknowledged each time, applied once.
    let genuine = sig(SANDBOX_SECRET, unix_now(), &body);
    for _ in 0..3 {
        let (code, reply) = post(genuine.clone(), body.clone()).await;
        assert_eq!((code, reply.as_str()), (200, "success"));
    }
    let paid = get(&mut c, &p.id).await;
    assert_eq!(status_of(&paid), v1::PaymentStatus::Succeeded);
    assert_eq!(paid.provider_transaction_id, "sbx_T1");
    assert_eq!(
        t.events(&p.id).await,
        ["payment.created", "payment.pending", "payment.succeeded"]
    );

    // A different transaction for an already paid payment is a conflict, not a silent ack.
    let second = body.replace("sbx_T1", "sbx_T2");
    assert_eq!(
        post(sig(SANDBOX_SECRET, unix_now(), &second), second)
            .await
            .0,
        409
    );
    t.stop().await;
}

#[tokio::test]
async fn an_edge_can_forward_notifications_over_grpc_with_the_operator_key() {
    use paycore::proto::v1::notify_service_client::NotifyServiceClient;

    let t = TestServer::start().await;
    let mut c = t.client().await;
    let p = create(&mut c, create_request("forwarded-1", None)).await;
    let body = paid_body(&p.id, 1000);
    let request = |signature: String| v1::HandleProviderNotificationRequest {
        channel_id: "sandbox".into(),
        headers: [("Paycore-Sandbox-Signature".to_owned(), signature)].into(),
        body: body.clone().into_bytes(),
    };
    let mut as_merchant =
        NotifyServiceClient::with_interceptor(t.channel().await, Bearer::for_key(&t.api_key));
    let err = as_merchant
        .handle_provider_notification(request(signature(SANDBOX_SECRET, unix_now(), &body)))
        .await
        .unwrap_err();
    assert_reason(&err, tonic::Code::Unauthenticated, "INVALID_OPERATOR_KEY");

    let mut edge =
        NotifyServiceClient::with_interceptor(t.channel().await, Bearer::for_key(OPERATOR_KEY));
    let forged = edge
        .handle_provider_notification(request(signature(
            "wrong-secret-wrong-secret",
            unix_now(),
            &body,
        )))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(forged.http_status, 401);
    assert_eq!(
        status_of(&get(&mut c, &p.id).await),
        v1::PaymentStatus::Pending
    );

    let genuine = edge
        .handle_provider_notification(request(signature(SANDBOX_SECRET, unix_now(), &body)))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (genuine.http_status, genuine.body.as_slice()),
        (200, b"success".as_slice())
    );
    assert_eq!(
        status_of(&get(&mut c, &p.id).await),
        v1::PaymentStatus::Succeeded
    );
    t.stop().await;
}

/// Pays a sandbox payment as its buyer would, outside the checkout page.
async fn buyer_pays(t: &TestServer, id: &str) -> (u16, String) {
    http(
        t.http_addr(),
        "POST",
        &format!("/sandbox/pay/{id}"),
        &[],
        b"",
    )
    .await
}

/// `pay_after_close`: paycore's close finds nothing to close, and the buyer pays anyway. The
/// late payment is recorded on the CLOSED payment, which the merchant can then refund.
#[tokio::test]
async fn a_payment_made_after_close_is_recorded_and_can_be_refunded() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let p = create(&mut c, create_request("late-1", Some("pay_after_close"))).await;
    assert_eq!(
        status_of(&close(&mut c, &p.id).await),
        v1::PaymentStatus::Closed
    );
    let (code, body) = buyer_pays(&t, &p.id).await;
    assert_eq!(code, 200, "{body}");
    let stored = get(&mut c, &p.id).await;
    assert_eq!(status_of(&stored), v1::PaymentStatus::Closed);
    let late = stored.paid_after_close.expect("recorded on the payment");
    assert!(late.provider_transaction_id.starts_with("sbx_"));
    assert!(
        t.events(&p.id)
            .await
            .contains(&"payment.paid_after_close".to_owned())
    );

    let mut r = crate::refunds::refunds(&t, &t.api_key).await;
    let refund = crate::refunds::refund(
        &mut r,
        crate::refunds::refund_request(&p.id, "late-back", None),
    )
    .await;
    assert_eq!(
        crate::refunds::refund_status(&refund),
        v1::RefundStatus::Succeeded
    );
    assert_eq!(refund.amount.unwrap().amount_minor, 1000, "all of it");
    let stored = get(&mut c, &p.id).await;
    assert_eq!(status_of(&stored), v1::PaymentStatus::Closed);
    assert_eq!(stored.refunded_amount.unwrap().amount_minor, 1000);

    // A closed payment nobody paid has nothing to refund.
    let unpaid = create(&mut c, create_request("late-2", None)).await;
    close(&mut c, &unpaid.id).await;
    let err = r
        .create_refund(crate::refunds::refund_request(&unpaid.id, "nothing", None))
        .await
        .unwrap_err();
    assert_reason(
        &err,
        tonic::Code::FailedPrecondition,
        "PAYMENT_NOT_REFUNDABLE",
    );
    t.stop().await;
}

/// With `payments.refund_paid_after_close`, the late payment is refunded at once, in full,
/// under `late_<payment id>`.
#[tokio::test]
async fn a_payment_made_after_close_is_refunded_when_configured() {
    let t = TestServer::start_with("[payments]\nrefund_paid_after_close = true\n").await;
    let mut c = t.client().await;
    let p = create(&mut c, create_request("late-auto", Some("pay_after_close"))).await;
    close(&mut c, &p.id).await;
    let (code, _) = buyer_pays(&t, &p.id).await;
    assert_eq!(code, 200);
    let r = crate::refunds::refunds(&t, &t.api_key).await;
    let refund = eventually(|| {
        let mut r = r.clone();
        let id = p.id.clone();
        async move {
            r.get_refund(v1::GetRefundRequest {
                lookup: Some(v1::get_refund_request::Lookup::MerchantRefundId(format!(
                    "late_{id}"
                ))),
            })
            .await
            .ok()?
            .into_inner()
            .refund
            .filter(|r| r.status == v1::RefundStatus::Succeeded as i32)
        }
    })
    .await;
    assert_eq!(refund.amount.unwrap().amount_minor, 1000);
    // Paying again re-sends the notification: recorded, and refunded, once.
    buyer_pays(&t, &p.id).await;
    let events = t.events(&p.id).await;
    assert_eq!(
        events
            .iter()
            .filter(|e| *e == "payment.paid_after_close")
            .count(),
        1,
        "{events:?}"
    );
    t.stop().await;
}

#[tokio::test]
async fn after_a_restart_the_sandbox_recalls_its_orders_from_the_database() {
    use crate::refunds::{refund, refund_request, refund_status, refunds};
    use v1::PaymentStatus as S;

    let before = TestServer::start().await;
    let mut c = before.client().await;
    let waiting = create(&mut c, create_request("recall-waiting", None)).await;
    let paid = create(&mut c, create_request("recall-paid", Some("succeed"))).await;
    let lost = create(&mut c, create_request("recall-lost", Some("lost"))).await;
    let mut r = refunds(&before, &before.api_key).await;
    refund(&mut r, refund_request(&paid.id, "recall-r1", Some(300))).await;
    // A new process on the same database: its sandbox holds no orders.
    let after = before.another_node().await;
    before.stop().await;
    let mut c = after.client().await;

    // The checkout link from before the restart still pays.
    let (code, page) = http(
        after.http_addr(),
        "GET",
        &format!("/sandbox/checkout/{}", waiting.id),
        &[],
        b"",
    )
    .await;
    assert_eq!(code, 200, "{page}");
    let (code, body) = http(
        after.http_addr(),
        "POST",
        &format!("/sandbox/pay/{}", waiting.id),
        &[],
        b"",
    )
    .await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(status_of(&get(&mut c, &waiting.id).await), S::Succeeded);

    // A paid payment can be refunded, and only what is left of it.
    let mut r = refunds(&after, &after.api_key).await;
    let second = refund(&mut r, refund_request(&paid.id, "recall-r2", Some(700))).await;
    assert_eq!(refund_status(&second), v1::RefundStatus::Succeeded);
    let over = r
        .create_refund(refund_request(&paid.id, "recall-r3", Some(1)))
        .await
        .unwrap_err();
    assert_eq!(over.code(), tonic::Code::FailedPrecondition, "{over:?}");

    // An order the sandbox never got stays unknown to it.
    assert_eq!(status_of(&sync(&mut c, &lost.id).await), S::Unknown);
}
