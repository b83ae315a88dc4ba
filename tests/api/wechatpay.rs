//! WeChat Pay channels against the loopback API v3 simulator.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use paycore::proto::v1;
use paycore::proto::v1::next_action::Action;
use rsa::pkcs1v15::Signature;
use rsa::signature::Verifier;
use serde_json::json;
use tonic::Code;

use crate::sim_wechatpay::{
    API_V3_KEY, APPID, MCHID, MERCHANT_SERIAL, Mode, PLATFORM_SERIAL, WechatSim,
};
use crate::support::*;
use v1::AttemptOutcome as A;
use v1::PaymentStatus as S;

pub fn channel(id: &str, sim: &WechatSim, priority: i32) -> String {
    let keys = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/keys");
    format!(
        r#"
[[channels]]
id = "{id}"
provider = "wechatpay"
priority = {priority}
attempt_timeout_ms = 1000
[channels.wechatpay]
mchid = "{MCHID}"
appid = "{APPID}"
merchant_serial_no = "{MERCHANT_SERIAL}"
private_key_file = "{keys}/merchant_pkcs8.pem"
platform_public_key_file = "{keys}/wechat_platform_public.pem"
platform_serial = "{PLATFORM_SERIAL}"
api_v3_key_file = "{keys}/wechat_api_v3_key.txt"
base_url = "{}"
"#,
        sim.base_url()
    )
}

async fn one_channel() -> (TestServer, WechatSim) {
    let sim = WechatSim::start().await;
    let t = TestServer::start_with(&channel("wechat-main", &sim, 1)).await;
    (t, sim)
}

/// Checks a client-side invocation signature: lines joined with `\n`, each followed by one.
fn assert_signed(sim: &WechatSim, lines: &[&str], signature: &str) {
    let message: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let bytes = STANDARD.decode(signature).unwrap();
    let signature = Signature::try_from(bytes.as_slice()).unwrap();
    sim.merchant
        .verify(message.as_bytes(), &signature)
        .expect("invocation signed by the merchant key");
}

#[tokio::test]
async fn every_method_is_placed_and_paid_by_an_encrypted_callback() {
    let (t, sim) = one_channel().await;
    let mut c = t.client().await;
    let methods = [
        v1::PaymentMethod::QrCode,
        v1::PaymentMethod::Jsapi,
        v1::PaymentMethod::App,
        v1::PaymentMethod::H5,
    ];
    for (i, method) in methods.into_iter().enumerate() {
        let mut req = create_request(&format!("wx-{i}"), None);
        req.method = method.into();
        req.payer = Some(v1::Payer {
            buyer_id: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o".into(),
            client_ip: "203.0.113.7".into(),
            ..Default::default()
        });
        let p = create(&mut c, req).await;
        assert_eq!(status_of(&p), S::Pending, "{method:?}");
        match p.next_action.clone().and_then(|a| a.action).unwrap() {
            Action::QrCodeContent(url) => assert!(url.starts_with("weixin://wxpay/bizpayurl")),
            Action::RedirectUrl(url) => assert!(url.starts_with("https://wx.tenpay.com/")),
            Action::JsapiInvocation(params) => {
                let p = &params.parameters;
                assert_eq!(p["appId"], APPID);
                assert!(p["package"].starts_with("prepay_id=wx"));
                assert_eq!(p["signType"], "RSA");
                assert_signed(
                    &sim,
                    &[&p["appId"], &p["timeStamp"], &p["nonceStr"], &p["package"]],
                    &p["paySign"],
                );
            }
            Action::AppInvocation(params) => {
                let p = &params.parameters;
                assert_eq!(
                    (p["partnerid"].as_str(), p["package"].as_str()),
                    (MCHID, "Sign=WXPay")
                );
                assert_signed(
                    &sim,
                    &[&p["appid"], &p["timestamp"], &p["noncestr"], &p["prepayid"]],
                    &p["sign"],
                );
            }
        }
        let order = sim.order(&p.id).unwrap();
        assert_eq!(order.total, 1000);
        if method == v1::PaymentMethod::Jsapi {
            assert_eq!(order.openid, "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
        }
        let (code, _) = sim.pay(&p.id).await;
        assert_eq!(code, 204, "{method:?}");
        let paid = get(&mut c, &p.id).await;
        assert_eq!(status_of(&paid), S::Succeeded, "{method:?}");
        assert_eq!(paid.provider_transaction_id, order.transaction_id);
    }
    t.stop().await;
}

#[tokio::test]
async fn query_settles_close_closes_and_a_paid_order_stays_paid() {
    let (t, sim) = one_channel().await;
    let mut c = t.client().await;
    let p = create(&mut c, create_request("wx-q-1", None)).await;
    sim.pay_silently(&p.id);
    let synced = sync(&mut c, &p.id).await;
    assert_eq!(status_of(&synced), S::Succeeded);

    let p = create(&mut c, create_request("wx-q-2", None)).await;
    let closed = close(&mut c, &p.id).await;
    assert_eq!(status_of(&closed), S::Closed);
    assert_eq!(sim.order(&p.id).unwrap().state, "CLOSED");

    let p = create(&mut c, create_request("wx-q-3", None)).await;
    sim.pay_silently(&p.id);
    let err = c
        .close_payment(v1::ClosePaymentRequest {
            id: p.id.clone(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_reason(&err, Code::FailedPrecondition, "PAYMENT_ALREADY_SUCCEEDED");
    assert!(
        sim.calls()
            .iter()
            .any(|c| c.starts_with("GET /v3/pay/transactions/out-trade-no/"))
    );
    t.stop().await;
}

#[tokio::test]
async fn forged_stale_or_tampered_callbacks_change_nothing_and_replays_apply_once() {
    let (t, sim) = one_channel().await;
    let mut c = t.client().await;
    let p = create(&mut c, create_request("wx-forge-1", None)).await;
    let order = sim.order(&p.id).unwrap();
    let url = sim.notify_url(&p.id);
    let tx = sim.transaction(&p.id, &order);
    let body = sim.callback_body(&tx, API_V3_KEY);
    let fresh = |b: &str| sim.signed_headers(unix_now(), b.as_bytes());

    // Signature over another body.
    let other = sim.callback_body(&tx, API_V3_KEY);
    assert_eq!(sim.deliver(&url, fresh(&other), &body).await.0, 401);
    // No signature headers.
    assert_eq!(sim.deliver(&url, Vec::new(), &body).await.0, 401);
    // Correctly signed but five minutes old.
    assert_eq!(
        sim.deliver(
            &url,
            sim.signed_headers(unix_now() - 300, body.as_bytes()),
            &body
        )
        .await
        .0,
        401
    );
    // Encrypted under another key (the platform signs whatever it sends).
    let wrong_key = sim.callback_body(&tx, b"fedcba9876543210fedcba9876543210");
    assert_eq!(
        sim.deliver(&url, fresh(&wrong_key), &wrong_key).await.0,
        401
    );
    // Another merchant's transaction.
    let mut theirs = tx.clone();
    theirs["mchid"] = json!("1900000001");
    let theirs = sim.callback_body(&theirs, API_V3_KEY);
    assert_eq!(sim.deliver(&url, fresh(&theirs), &theirs).await.0, 401);
    // Amount or currency not the payment's.
    for (field, value) in [("total", json!(1)), ("currency", json!("USD"))] {
        let mut changed = tx.clone();
        changed["amount"][field] = value;
        let changed = sim.callback_body(&changed, API_V3_KEY);
        assert_eq!(
            sim.deliver(&url, fresh(&changed), &changed).await.0,
            400,
            "{field}"
        );
    }
    // An order paycore does not have.
    let mut unknown = tx.clone();
    unknown["out_trade_no"] = json!("pay_00000000000000000000000000");
    let unknown = sim.callback_body(&unknown, API_V3_KEY);
    assert_eq!(sim.deliver(&url, fresh(&unknown), &unknown).await.0, 404);
    assert_eq!(status_of(&get(&mut c, &p.id).await), S::Pending);
    assert_eq!(t.events(&p.id).await.len(), 2);

    // The genuine callback, retried by WeChat Pay: applied once.
    let headers = fresh(&body);
    for _ in 0..3 {
        assert_eq!(sim.deliver(&url, headers.clone(), &body).await.0, 204);
    }
    assert_eq!(status_of(&get(&mut c, &p.id).await), S::Succeeded);
    assert_eq!(t.events(&p.id).await.len(), 3);
    t.stop().await;
}

#[tokio::test]
async fn refunds_are_made_and_a_processing_one_is_settled_by_the_refund_query() {
    let sim = WechatSim::start().await;
    let t = TestServer::start_with(&format!(
        "{}{FAST_SWEEPER}",
        channel("wechat-main", &sim, 1)
    ))
    .await;
    let mut c = t.client().await;
    let mut r = crate::refunds::refunds(&t, &t.api_key).await;
    let p = create(&mut c, create_request("wx-refund-1", None)).await;
    sim.pay(&p.id).await;
    let done = crate::refunds::refund(
        &mut r,
        crate::refunds::refund_request(&p.id, "wx-r-1", Some(400)),
    )
    .await;
    assert_eq!(
        crate::refunds::refund_status(&done),
        v1::RefundStatus::Succeeded
    );
    assert_eq!(sim.refund_amount(&done.id), Some(400));

    sim.set_refund_status("PROCESSING");
    let processing = crate::refunds::refund(
        &mut r,
        crate::refunds::refund_request(&p.id, "wx-r-2", None),
    )
    .await;
    assert_eq!(
        crate::refunds::refund_status(&processing),
        v1::RefundStatus::Pending
    );
    assert_eq!(processing.amount.unwrap().amount_minor, 600);
    sim.complete_refund(&processing.id);
    eventually(|| {
        let mut c = c.clone();
        let id = p.id.clone();
        async move { (get(&mut c, &id).await.refunded_amount?.amount_minor == 1000).then_some(()) }
    })
    .await;
    t.stop().await;
}

#[tokio::test]
async fn failover_follows_the_classification_of_each_failure() {
    let main = WechatSim::start().await;
    let backup = WechatSim::start().await;
    let t = TestServer::start_with(&format!(
        "{}{}",
        channel("wechat-main", &main, 1),
        channel("wechat-backup", &backup, 2)
    ))
    .await;
    let mut c = t.client().await;
    type Case = (&'static str, Mode, S, Vec<A>, &'static str);
    let cases: Vec<Case> = vec![
        (
            "sign-error",
            Mode::Error(401, "SIGN_ERROR"),
            S::Pending,
            vec![A::NotProcessed, A::Accepted],
            "SIGN_ERROR",
        ),
        (
            "frequency",
            Mode::Error(429, "FREQUENCY_LIMITED"),
            S::Pending,
            vec![A::NotProcessed, A::Accepted],
            "FREQUENCY_LIMITED",
        ),
        (
            "used",
            Mode::Error(403, "OUT_TRADE_NO_USED"),
            S::Failed,
            vec![A::Declined],
            "OUT_TRADE_NO_USED",
        ),
        (
            "system",
            Mode::Error(500, "SYSTEM_ERROR"),
            S::Unknown,
            vec![A::Ambiguous],
            "SYSTEM_ERROR",
        ),
        (
            "proxy",
            Mode::Unsigned(502),
            S::Unknown,
            vec![A::Ambiguous],
            "HTTP_5XX",
        ),
        (
            "unsigned-ok",
            Mode::Unsigned(200),
            S::Unknown,
            vec![A::Ambiguous],
            "RESPONSE_SIGNATURE_INVALID",
        ),
    ];
    for (name, mode, status, expected, code) in cases {
        main.set_mode(mode);
        let p = create(&mut c, create_request(&format!("wx-fo-{name}"), None)).await;
        assert_eq!(status_of(&p), status, "{name}");
        assert_eq!(outcomes(&p), expected, "{name}");
        assert_eq!(p.attempts[0].error_code, code, "{name}");
        if expected.len() == 2 {
            assert_eq!(p.channel_id, "wechat-backup");
            assert!(backup.order(&p.id).is_some());
        }
    }
    t.stop().await;
}

/// WeChat Pay's ABNORMAL means "handle it by hand": the money can still go out, so the
/// refund stays open and its amount reserved until it succeeds or finally fails.
#[tokio::test]
async fn an_abnormal_refund_stays_reserved_until_it_is_handled() {
    let sim = WechatSim::start().await;
    let t = TestServer::start_with(&format!(
        "{}{FAST_SWEEPER}",
        channel("wechat-main", &sim, 1)
    ))
    .await;
    let mut c = t.client().await;
    let mut r = crate::refunds::refunds(&t, &t.api_key).await;
    let p = create(&mut c, create_request("wx-abnormal", None)).await;
    sim.pay(&p.id).await;
    sim.set_refund_status("PROCESSING");
    let refund = crate::refunds::refund(
        &mut r,
        crate::refunds::refund_request(&p.id, "wx-abnormal-1", None),
    )
    .await;
    sim.set_refund_state(&refund.id, "ABNORMAL");
    let abnormal = eventually(|| async {
        let got = crate::refunds::refund_by_id(&r, &refund.id).await;
        (crate::refunds::refund_status(&got) == v1::RefundStatus::RequiresAttention).then_some(got)
    })
    .await;
    assert_eq!(abnormal.failure.unwrap().code, "REFUND_ABNORMAL");
    assert!(
        t.events(&p.id)
            .await
            .contains(&"refund.requires_attention".to_owned())
    );
    let (_, metrics) = http(t.http_addr(), "GET", "/metrics", &[], b"").await;
    assert!(
        metrics.contains("paycore_refunds_requiring_attention_total{channel=\"wechat-main\"} 1"),
        "{metrics}"
    );
    // Still reserved: nothing is left to refund.
    let err = r
        .create_refund(crate::refunds::refund_request(
            &p.id,
            "wx-abnormal-2",
            Some(1),
        ))
        .await
        .unwrap_err();
    assert_reason(
        &err,
        tonic::Code::FailedPrecondition,
        "REFUND_EXCEEDS_AVAILABLE",
    );

    // Handled at WeChat Pay: the refund goes out, and the sweeper sees it.
    sim.complete_refund(&refund.id);
    eventually(|| async {
        (crate::refunds::status_of_refund(&r, &refund.id).await == v1::RefundStatus::Succeeded)
            .then_some(())
    })
    .await;
    assert_eq!(
        get(&mut c, &p.id)
            .await
            .refunded_amount
            .unwrap()
            .amount_minor,
        1000
    );
    t.stop().await;
}

/// WeChat Pay's REFUND.* notifications (no appid in them) are verified, decrypted and
/// applied once; before, they were refused and WeChat Pay retried them forever.
#[tokio::test]
async fn refund_notifications_are_applied_once() {
    let sim = WechatSim::start().await;
    let t = TestServer::start_with(&channel("wechat-main", &sim, 1)).await;
    let mut c = t.client().await;
    let mut r = crate::refunds::refunds(&t, &t.api_key).await;
    let p = create(&mut c, create_request("wx-refund-notify", None)).await;
    sim.pay(&p.id).await;
    sim.set_refund_status("PROCESSING");
    let first = crate::refunds::refund(
        &mut r,
        crate::refunds::refund_request(&p.id, "wx-rn-1", Some(300)),
    )
    .await;
    let second = crate::refunds::refund(
        &mut r,
        crate::refunds::refund_request(&p.id, "wx-rn-2", Some(200)),
    )
    .await;
    for _ in 0..2 {
        assert_eq!(sim.notify_refund(&first.id, "SUCCESS").await.0, 204);
    }
    assert_eq!(sim.notify_refund(&second.id, "ABNORMAL").await.0, 204);
    assert_eq!(
        crate::refunds::status_of_refund(&r, &first.id).await,
        v1::RefundStatus::Succeeded
    );
    assert_eq!(
        crate::refunds::status_of_refund(&r, &second.id).await,
        v1::RefundStatus::RequiresAttention
    );
    assert_eq!(
        get(&mut c, &p.id)
            .await
            .refunded_amount
            .unwrap()
            .amount_minor,
        300
    );
    t.stop().await;
}

/// The buyer pays an order paycore closed (a late scan): the notification is acknowledged
/// and recorded on the payment, which stays CLOSED, with an event and a metric.
#[tokio::test]
async fn a_payment_made_after_close_is_recorded_and_acknowledged() {
    let sim = WechatSim::start().await;
    let t = TestServer::start_with(&channel("wechat-main", &sim, 1)).await;
    let mut c = t.client().await;
    let p = create(&mut c, create_request("wx-late", None)).await;
    assert_eq!(status_of(&close(&mut c, &p.id).await), S::Closed);
    for _ in 0..2 {
        let (code, _) = sim.pay(&p.id).await;
        assert_eq!(code, 204, "acknowledged, so WeChat Pay stops retrying");
    }
    let stored = get(&mut c, &p.id).await;
    assert_eq!(status_of(&stored), S::Closed);
    let late = stored.paid_after_close.expect("recorded on the payment");
    assert_eq!(
        late.provider_transaction_id,
        sim.order(&p.id).unwrap().transaction_id
    );
    assert_eq!(
        t.events(&p.id).await,
        [
            "payment.created",
            "payment.pending",
            "payment.closed",
            "payment.paid_after_close"
        ]
    );
    let (_, metrics) = http(t.http_addr(), "GET", "/metrics", &[], b"").await;
    assert!(
        metrics.contains("paycore_payments_paid_after_close_total{channel=\"wechat-main\"} 1"),
        "{metrics}"
    );
    t.stop().await;
}

/// A refund whose send was lost before WeChat Pay got it is unknown there: the sweeper's
/// query says so, and the refund is sent again under the same out_refund_no, once.
#[tokio::test]
async fn a_refund_the_provider_never_got_is_sent_again() {
    let sim = WechatSim::start().await;
    let t = TestServer::start_with(&format!(
        "{}{FAST_SWEEPER}",
        channel("wechat-main", &sim, 1)
    ))
    .await;
    let mut c = t.client().await;
    let mut r = crate::refunds::refunds(&t, &t.api_key).await;
    let p = create(&mut c, create_request("wx-lost-refund", None)).await;
    sim.pay(&p.id).await;
    // A proxy answers 502 without passing the request on: ambiguous, nothing at WeChat Pay.
    sim.set_mode(Mode::Unsigned(502));
    let lost = crate::refunds::refund(
        &mut r,
        crate::refunds::refund_request(&p.id, "wx-lost-1", Some(700)),
    )
    .await;
    assert_eq!(
        crate::refunds::refund_status(&lost),
        v1::RefundStatus::Pending
    );
    assert_eq!(sim.refund_amount(&lost.id), None);
    sim.set_mode(Mode::Normal);
    eventually(|| {
        let mut c = c.clone();
        let id = p.id.clone();
        async move { (get(&mut c, &id).await.refunded_amount?.amount_minor == 700).then_some(()) }
    })
    .await;
    assert_eq!(sim.refund_amount(&lost.id), Some(700));
    let sends = sim
        .calls()
        .iter()
        .filter(|c| c.as_str() == "POST /v3/refund/domestic/refunds")
        .count();
    assert_eq!(sends, 2, "the lost send and the one after the query");
    t.stop().await;
}
