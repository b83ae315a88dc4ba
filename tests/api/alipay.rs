//! Alipay channels against the loopback gateway simulator: every supported method end to
//! end, query, close, forged and replayed notifications, and failover classification.

use paycore::proto::v1;
use paycore::proto::v1::next_action::Action;
use tonic::Code;

use crate::sim_alipay::{APP_ID, AlipaySim, Mode, post_form};
use crate::support::*;
use v1::AttemptOutcome as A;
use v1::PaymentStatus as S;

pub fn channel(id: &str, sim: &AlipaySim, priority: i32) -> String {
    let keys = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/keys");
    format!(
        r#"
[[channels]]
id = "{id}"
provider = "alipay"
priority = {priority}
attempt_timeout_ms = 1000
[channels.alipay]
app_id = "{APP_ID}"
private_key_file = "{keys}/merchant_pkcs8.pem"
alipay_public_key_file = "{keys}/alipay_platform_public.pem"
gateway_url = "{}"
"#,
        sim.gateway_url()
    )
}

async fn one_channel() -> (TestServer, AlipaySim) {
    let sim = AlipaySim::start().await;
    let t = TestServer::start_with(&channel("alipay-main", &sim, 1)).await;
    (t, sim)
}

fn qr(p: &v1::Payment) -> String {
    match p.next_action.clone().and_then(|a| a.action) {
        Some(Action::QrCodeContent(q)) => q,
        other => panic!("expected a QR code, got {other:?}"),
    }
}

#[tokio::test]
async fn qr_code_payment_is_paid_by_a_verified_notification() {
    let (t, sim) = one_channel().await;
    let mut c = t.client().await;
    let p = create(&mut c, create_request("ali-qr-1", None)).await;
    assert_eq!(status_of(&p), S::Pending);
    assert_eq!(qr(&p), format!("https://qr.alipay.com/sim{}", p.id));
    assert_eq!(sim.calls(), ["alipay.trade.precreate"]);
    assert_eq!(sim.order(&p.id).unwrap().total_amount, "10.00");

    let (code, body) = sim.pay(&p.id).await;
    assert_eq!((code, body.as_str()), (200, "success"));
    let paid = get(&mut c, &p.id).await;
    assert_eq!(status_of(&paid), S::Succeeded);
    assert_eq!(
        paid.provider_transaction_id,
        sim.order(&p.id).unwrap().trade_no
    );
    t.stop().await;
}

#[tokio::test]
async fn a_lost_notification_is_settled_by_a_query() {
    let (t, sim) = one_channel().await;
    let mut c = t.client().await;
    let p = create(&mut c, create_request("ali-qr-2", None)).await;
    let synced = sync(&mut c, &p.id).await;
    assert_eq!(status_of(&synced), S::Pending, "not paid yet");
    sim.pay_silently(&p.id);
    let synced = sync(&mut c, &p.id).await;
    assert_eq!(status_of(&synced), S::Succeeded);
    assert_eq!(
        sim.calls(),
        [
            "alipay.trade.precreate",
            "alipay.trade.query",
            "alipay.trade.query"
        ]
    );
    t.stop().await;
}

#[tokio::test]
async fn close_closes_at_alipay_and_a_paid_order_cannot_be_closed() {
    let (t, sim) = one_channel().await;
    let mut c = t.client().await;
    // Scanned, not paid: Alipay has a trade, and closing it is final.
    let p = create(&mut c, create_request("ali-close-1", None)).await;
    sim.scan(&p.id).unwrap();
    let closed = close(&mut c, &p.id).await;
    assert_eq!(status_of(&closed), S::Closed);
    assert_eq!(sim.order(&p.id).unwrap().status, "TRADE_CLOSED");
    assert!(
        sim.try_pay_silently(&p.id).is_err(),
        "a closed trade cannot be paid"
    );

    // Paid at Alipay before the close arrives: the close reports it, the payment succeeds.
    let p = create(&mut c, create_request("ali-close-2", None)).await;
    sim.pay_silently(&p.id);
    let err = c
        .close_payment(v1::ClosePaymentRequest {
            id: p.id.clone(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_reason(&err, Code::FailedPrecondition, "PAYMENT_ALREADY_SUCCEEDED");
    assert_eq!(status_of(&get(&mut c, &p.id).await), S::Succeeded);
    t.stop().await;
}

/// A QR code nobody has scanned has no trade at Alipay to close; paycore cancels the order
/// instead, so a scan after the close cannot pay it.
#[tokio::test]
async fn an_unscanned_qr_order_is_cancelled_so_a_late_scan_cannot_pay() {
    let (t, sim) = one_channel().await;
    let mut c = t.client().await;
    let p = create(&mut c, create_request("ali-unscanned", None)).await;
    assert_eq!(status_of(&close(&mut c, &p.id).await), S::Closed);
    assert_eq!(
        sim.calls(),
        [
            "alipay.trade.precreate",
            "alipay.trade.close",
            "alipay.trade.cancel"
        ]
    );
    assert!(
        sim.scan(&p.id).is_err(),
        "the buyer's late scan finds a dead code"
    );
    t.stop().await;
}

/// A web page order paycore closed before the buyer opened it is still payable until it
/// expires: the late payment is acknowledged and recorded on the CLOSED payment.
#[tokio::test]
async fn a_payment_made_after_close_is_recorded_and_acknowledged() {
    let (t, sim) = one_channel().await;
    let mut c = t.client().await;
    let mut req = create_request("ali-late", None);
    req.method = v1::PaymentMethod::WebPage.into();
    let p = create(&mut c, req).await;
    assert_eq!(status_of(&close(&mut c, &p.id).await), S::Closed);
    let Some(Action::RedirectUrl(url)) = p.next_action.clone().and_then(|a| a.action) else {
        panic!("a redirect");
    };
    sim.open(url.split_once('?').unwrap().1).unwrap();
    let order = sim.pay_silently(&p.id);
    for _ in 0..2 {
        let (code, body) = sim.notify_paid(&p.id, &order).await;
        assert_eq!(
            (code, body.as_str()),
            (200, "success"),
            "Alipay stops retrying"
        );
    }
    let stored = get(&mut c, &p.id).await;
    assert_eq!(status_of(&stored), S::Closed);
    let late = stored.paid_after_close.expect("recorded on the payment");
    assert_eq!(late.provider_transaction_id, order.trade_no);
    assert_eq!(
        t.events(&p.id).await,
        [
            "payment.created",
            "payment.pending",
            "payment.closed",
            "payment.paid_after_close"
        ]
    );
    t.stop().await;
}

#[tokio::test]
async fn web_page_h5_and_app_orders_are_signed_for_the_buyer() {
    let (t, sim) = one_channel().await;
    let mut c = t.client().await;
    for (i, method) in [
        v1::PaymentMethod::WebPage,
        v1::PaymentMethod::H5,
        v1::PaymentMethod::App,
    ]
    .into_iter()
    .enumerate()
    {
        let mut req = create_request(&format!("ali-redirect-{i}"), None);
        req.method = method.into();
        req.return_url = "https://shop.example.com/done".into();
        let p = create(&mut c, req).await;
        assert_eq!(status_of(&p), S::Pending);
        let query = match p.next_action.clone().and_then(|a| a.action) {
            Some(Action::RedirectUrl(url)) => {
                let (gateway, query) = url.split_once('?').unwrap();
                assert_eq!(gateway, sim.gateway_url());
                // The buyer's browser follows the redirect to the gateway.
                let (code, _) = crate::support::http(
                    sim.addr,
                    "GET",
                    &format!("/gateway.do?{query}"),
                    &[],
                    b"",
                )
                .await;
                assert_eq!(code, 200, "{method:?}: the simulator accepts the signature");
                query.to_owned()
            }
            Some(Action::AppInvocation(params)) => {
                let order = params.parameters["order_string"].clone();
                sim.open(&order)
                    .expect("the app SDK's order string verifies");
                order
            }
            other => panic!("{method:?}: {other:?}"),
        };
        // Tampering with the signed order is caught by Alipay.
        assert_eq!(
            sim.open(&query.replace("10.00", "0.01")),
            Err("invalid-signature")
        );
        let (code, _) = sim.pay(&p.id).await;
        assert_eq!(code, 200);
        assert_eq!(
            status_of(&get(&mut c, &p.id).await),
            S::Succeeded,
            "{method:?}"
        );
    }
    // No server call is needed to build a redirect or an app order.
    assert!(sim.calls().is_empty(), "{:?}", sim.calls());
    t.stop().await;
}

#[tokio::test]
async fn forged_notifications_change_nothing_and_replays_apply_once() {
    let (t, sim) = one_channel().await;
    let mut c = t.client().await;
    let p = create(&mut c, create_request("ali-forge-1", None)).await;
    let order = sim.order(&p.id).unwrap();
    let url = format!("http://{}/callbacks/alipay-main", t.http_addr());
    let paid = |no: &str, amount: &str| sim.paid_notification(no, &order.trade_no, amount);

    // Tampered after signing.
    let genuine = paid(&p.id, "10.00");
    let tampered = genuine.replace("trade_no=", "trade_no=9");
    assert_eq!(post_form(&url, &tampered).await.0, 401);
    // No signature at all.
    let unsigned = genuine.split("&sign=").next().unwrap().to_owned();
    assert_eq!(post_form(&url, &unsigned).await.0, 401);
    // Signed by Alipay, but for another app id.
    let other_app = sim.notification(&[
        ("app_id", "2021999999999999"),
        ("out_trade_no", &p.id),
        ("trade_no", &order.trade_no),
        ("trade_status", "TRADE_SUCCESS"),
        ("total_amount", "10.00"),
        ("gmt_payment", "2026-11-22 12:00:04"),
    ]);
    assert_eq!(post_form(&url, &other_app).await.0, 401);
    // Signed, but the amount is not the payment's.
    assert_eq!(post_form(&url, &paid(&p.id, "0.01")).await.0, 400);
    // Signed, for an order paycore does not have.
    assert_eq!(
        post_form(&url, &paid("pay_00000000000000000000000000", "10.00"))
            .await
            .0,
        404
    );
    assert_eq!(status_of(&get(&mut c, &p.id).await), S::Pending);
    assert_eq!(t.events(&p.id).await.len(), 2);

    // The genuine one, delivered three times as Alipay retries: applied once.
    for _ in 0..3 {
        assert_eq!(post_form(&url, &genuine).await, (200, "success".to_owned()));
    }
    assert_eq!(status_of(&get(&mut c, &p.id).await), S::Succeeded);
    assert_eq!(
        t.events(&p.id).await,
        ["payment.created", "payment.pending", "payment.succeeded"]
    );
    // "Waiting for the buyer" is acknowledged and changes nothing.
    let waiting = sim.notification(&[
        ("app_id", APP_ID),
        ("out_trade_no", &p.id),
        ("trade_status", "WAIT_BUYER_PAY"),
        ("total_amount", "10.00"),
    ]);
    assert_eq!(post_form(&url, &waiting).await, (200, "success".to_owned()));
    assert_eq!(t.events(&p.id).await.len(), 3);
    t.stop().await;
}

#[tokio::test]
async fn a_notification_that_overtakes_the_create_answer_is_applied() {
    let (t, sim) = one_channel().await;
    let mut c = t.client().await;
    sim.set_mode(Mode::NotifyBeforeAnswer);
    let p = create(&mut c, create_request("ali-early-1", None)).await;
    assert_eq!(status_of(&p), S::Succeeded);
    assert_eq!(outcomes(&p), [A::Accepted]);
    assert_eq!(
        t.events(&p.id).await,
        ["payment.created", "payment.succeeded"]
    );
    t.stop().await;
}

#[tokio::test]
async fn refunds_are_made_and_a_lost_answer_is_settled_by_the_refund_query() {
    let sim = AlipaySim::start().await;
    let t = TestServer::start_with(&format!(
        "{}{FAST_SWEEPER}",
        channel("alipay-main", &sim, 1)
    ))
    .await;
    let mut c = t.client().await;
    let mut r = crate::refunds::refunds(&t, &t.api_key).await;
    let p = create(&mut c, create_request("ali-refund-1", None)).await;
    sim.pay(&p.id).await;
    let refund = crate::refunds::refund(
        &mut r,
        crate::refunds::refund_request(&p.id, "ali-r-1", Some(300)),
    )
    .await;
    assert_eq!(
        crate::refunds::refund_status(&refund),
        v1::RefundStatus::Succeeded
    );
    assert_eq!(
        sim.order(&p.id).unwrap().refunds,
        [(refund.id.clone(), "3.00".to_owned())]
    );

    // Alipay does the refund but the answer is lost: pending, then settled by the query.
    sim.set_mode(Mode::HangAfterWork);
    let lost = crate::refunds::refund(
        &mut r,
        crate::refunds::refund_request(&p.id, "ali-r-2", Some(200)),
    )
    .await;
    assert_eq!(
        crate::refunds::refund_status(&lost),
        v1::RefundStatus::Pending
    );
    sim.set_mode(Mode::Normal);
    eventually(|| {
        let mut r = r.clone();
        let id = lost.id.clone();
        async move {
            let got = r
                .get_refund(v1::GetRefundRequest {
                    lookup: Some(v1::get_refund_request::Lookup::Id(id)),
                })
                .await
                .ok()?
                .into_inner()
                .refund?;
            (crate::refunds::refund_status(&got) == v1::RefundStatus::Succeeded).then_some(())
        }
    })
    .await;
    assert_eq!(
        get(&mut c, &p.id)
            .await
            .refunded_amount
            .unwrap()
            .amount_minor,
        500
    );
    assert!(
        sim.calls()
            .contains(&"alipay.trade.fastpay.refund.query".to_owned())
    );
    t.stop().await;
}

#[tokio::test]
async fn failover_follows_the_classification_of_each_failure() {
    let main = AlipaySim::start().await;
    let backup = AlipaySim::start().await;
    let config = format!(
        "{}{}",
        channel("alipay-main", &main, 1),
        channel("alipay-backup", &backup, 2)
    );
    let t = TestServer::start_with(&config).await;
    let mut c = t.client().await;
    /// Name, how the main gateway misbehaves (`None`: it is down), the payment's status, the
    /// attempts' outcomes, and the first attempt's error code.
    type Case = (&'static str, Option<Mode>, S, Vec<A>, &'static str);
    let cases: Vec<Case> = vec![
        // Rejected unprocessed: the backup takes it.
        (
            "rejected",
            Some(Mode::Business("40002", "isv.invalid-signature")),
            S::Pending,
            vec![A::NotProcessed, A::Accepted],
            "isv.invalid-signature",
        ),
        // A business refusal: final.
        (
            "declined",
            Some(Mode::Business("40004", "ACQ.TOTAL_FEE_EXCEED")),
            S::Failed,
            vec![A::Declined],
            "ACQ.TOTAL_FEE_EXCEED",
        ),
        // A server error, a malformed answer or no answer: the order may exist, nothing else is tried.
        (
            "server-error",
            Some(Mode::ServerError),
            S::Unknown,
            vec![A::Ambiguous],
            "HTTP_502",
        ),
        (
            "malformed",
            Some(Mode::Malformed),
            S::Unknown,
            vec![A::Ambiguous],
            "MALFORMED_RESPONSE",
        ),
        (
            "hang",
            Some(Mode::Hang),
            S::Unknown,
            vec![A::Ambiguous],
            "ATTEMPT_TIMEOUT",
        ),
        // Down: no connection, certainly not processed.
        (
            "down",
            None,
            S::Pending,
            vec![A::NotProcessed, A::Accepted],
            "CONNECT_FAILED",
        ),
    ];
    for (name, mode, status, expected, code) in cases {
        match mode {
            Some(m) => main.set_mode(m),
            None => main.stop(),
        }
        let p = create(&mut c, create_request(&format!("ali-fo-{name}"), None)).await;
        assert_eq!(status_of(&p), status, "{name}");
        assert_eq!(outcomes(&p), expected, "{name}");
        assert_eq!(p.attempts[0].channel_id, "alipay-main", "{name}");
        assert_eq!(p.attempts[0].error_code, code, "{name}");
        if expected.len() == 2 {
            assert_eq!(p.channel_id, "alipay-backup", "{name}");
            assert!(backup.order(&p.id).is_some());
        }
    }
    t.stop().await;
}
