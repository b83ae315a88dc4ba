//! Stripe channels against the loopback API simulator.

use paycore::proto::v1;
use paycore::proto::v1::next_action::Action;
use tonic::Code;

use crate::sim_stripe::{Mode, StripeSim, WEBHOOK_SECRET, signature};
use crate::support::*;
use v1::AttemptOutcome as A;
use v1::PaymentStatus as S;

async fn one_channel() -> (TestServer, StripeSim, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let sim = StripeSim::start().await;
    let t = TestServer::start_with(&stripe_channel(
        "stripe-main",
        &sim.base_url(),
        1,
        dir.path(),
    ))
    .await;
    sim.set_webhook_url(format!("http://{}/callbacks/stripe-main", t.http_addr()));
    (t, sim, dir)
}

#[tokio::test]
async fn cards_succeed_decline_or_go_through_3ds_and_a_webhook() {
    let (t, sim, _dir) = one_channel().await;
    let mut c = t.client().await;

    let p = create(&mut c, card("st-1", "pm_card_visa")).await;
    assert_eq!(status_of(&p), S::Succeeded);
    assert!(p.provider_transaction_id.starts_with("pi_"));
    // The idempotency key is the attempt's id.
    assert_eq!(sim.keys(), [p.attempts[0].id.clone()]);
    let intent = sim.intent(&p.provider_transaction_id).unwrap();
    assert_eq!(
        (intent["amount"].as_i64(), intent["currency"].as_str()),
        (Some(1000), Some("usd"))
    );

    // Without a return_url too: on an account with automatic payment methods the intent
    // must say it takes cards only, or Stripe refuses the confirm.
    let mut req = card("st-1b", "pm_card_visa");
    req.return_url.clear();
    assert_eq!(status_of(&create(&mut c, req).await), S::Succeeded);

    let p = create(&mut c, card("st-2", "pm_card_chargeDeclined")).await;
    assert_eq!(status_of(&p), S::Failed);
    assert_eq!(p.failure.as_ref().unwrap().code, "generic_decline");
    assert_eq!(outcomes(&p)[0], A::Declined);

    let p = create(&mut c, card("st-3", "pm_card_threeDSecure2Required")).await;
    assert_eq!(status_of(&p), S::Pending);
    let Some(Action::RedirectUrl(url)) = p.next_action.clone().and_then(|a| a.action) else {
        panic!("3-D Secure redirect expected");
    };
    assert!(url.contains(&p.provider_transaction_id));
    let (code, _) = sim.succeed(&p.provider_transaction_id).await;
    assert_eq!(code, 200);
    assert_eq!(status_of(&get(&mut c, &p.id).await), S::Succeeded);

    // A card payment still processing is accepted and settled by a query.
    let p = create(&mut c, card("st-4", "pm_processing")).await;
    assert_eq!(status_of(&p), S::Unknown);
    assert_eq!(outcomes(&p), [A::Accepted]);
    sim.set_status(&p.provider_transaction_id, "succeeded");
    let synced = sync(&mut c, &p.id).await;
    assert_eq!(status_of(&synced), S::Succeeded);

    // CARD needs a payment method token.
    let err = c.create_payment(card("st-5", "")).await.unwrap_err();
    assert_reason(&err, Code::InvalidArgument, "INVALID_REQUEST");
    t.stop().await;
}

#[tokio::test]
async fn close_cancels_the_intent_and_an_ambiguous_create_is_found_by_search() {
    let (t, sim, _dir) = one_channel().await;
    let mut c = t.client().await;
    let p = create(&mut c, card("st-close", "pm_card_threeDSecure2Required")).await;
    let closed = close(&mut c, &p.id).await;
    assert_eq!(status_of(&closed), S::Closed);
    assert_eq!(
        sim.intent(&p.provider_transaction_id).unwrap()["status"],
        "canceled"
    );

    sim.set_mode(Mode::HangAfterCreate);
    let p = create(&mut c, card("st-hang", "pm_card_visa")).await;
    assert_eq!(status_of(&p), S::Unknown);
    assert_eq!(outcomes(&p), [A::Ambiguous]);
    assert!(
        p.provider_transaction_id.is_empty(),
        "the answer never came"
    );
    sim.set_mode(Mode::Normal);
    let synced = sync(&mut c, &p.id).await;
    assert_eq!(status_of(&synced), S::Succeeded, "found by its metadata");
    assert!(synced.provider_transaction_id.starts_with("pi_"));
    t.stop().await;
}

#[tokio::test]
async fn webhooks_are_verified_and_applied_once() {
    let (t, sim, _dir) = one_channel().await;
    let mut c = t.client().await;
    let p = create(&mut c, card("st-hook", "pm_card_threeDSecure2Required")).await;
    let intent = sim.set_status(&p.provider_transaction_id, "succeeded");
    let body = sim.event("payment_intent.succeeded", &intent);

    assert_eq!(
        sim.deliver(&signature("whsec_wrong", unix_now(), &body), &body)
            .await
            .0,
        401
    );
    assert_eq!(sim.deliver("t=1", &body).await.0, 401);
    assert_eq!(
        sim.deliver(&signature(WEBHOOK_SECRET, unix_now() - 301, &body), &body)
            .await
            .0,
        401
    );
    let mut cheaper = intent.clone();
    cheaper["amount_received"] = serde_json::json!(1);
    let cheaper = sim.event("payment_intent.succeeded", &cheaper);
    assert_eq!(
        sim.deliver(&signature(WEBHOOK_SECRET, unix_now(), &cheaper), &cheaper)
            .await
            .0,
        400
    );
    let mut elsewhere = intent.clone();
    elsewhere["metadata"]["paycore_payment_id"] =
        serde_json::json!("pay_00000000000000000000000000");
    let elsewhere = sim.event("payment_intent.succeeded", &elsewhere);
    assert_eq!(
        sim.deliver(
            &signature(WEBHOOK_SECRET, unix_now(), &elsewhere),
            &elsewhere
        )
        .await
        .0,
        404
    );
    assert_eq!(status_of(&get(&mut c, &p.id).await), S::Pending);

    // During secret rotation Stripe signs with both secrets: either matching is enough.
    let t_now = unix_now();
    let rotated = format!(
        "{},{}",
        signature("whsec_old_secret", t_now, &body),
        signature(WEBHOOK_SECRET, t_now, &body)
            .split_once(',')
            .unwrap()
            .1
    );
    for _ in 0..3 {
        assert_eq!(sim.deliver(&rotated, &body).await.0, 200);
    }
    assert_eq!(status_of(&get(&mut c, &p.id).await), S::Succeeded);
    assert_eq!(t.events(&p.id).await.len(), 3);
    t.stop().await;
}

#[tokio::test]
async fn refunds_are_made_and_a_pending_one_is_settled_by_the_refund_query() {
    let dir = tempfile::tempdir().unwrap();
    let sim = StripeSim::start().await;
    let t = TestServer::start_with(&format!(
        "{}{FAST_SWEEPER}",
        stripe_channel("stripe-main", &sim.base_url(), 1, dir.path())
    ))
    .await;
    let mut c = t.client().await;
    let mut r = crate::refunds::refunds(&t, &t.api_key).await;
    let p = create(&mut c, card("st-refund-1", "pm_card_visa")).await;
    let mut req = crate::refunds::refund_request(&p.id, "st-r-1", Some(250));
    req.amount.as_mut().unwrap().currency = "USD".into();
    let done = crate::refunds::refund(&mut r, req).await;
    assert_eq!(
        crate::refunds::refund_status(&done),
        v1::RefundStatus::Succeeded
    );
    assert!(done.provider_refund_id.starts_with("re_"));
    // The refund id was the idempotency key.
    assert!(sim.keys().contains(&done.id));

    sim.set_refund_status("pending");
    let mut req = crate::refunds::refund_request(&p.id, "st-r-2", None);
    req.amount = None;
    let pending = crate::refunds::refund(&mut r, req).await;
    assert_eq!(
        crate::refunds::refund_status(&pending),
        v1::RefundStatus::Pending
    );
    sim.settle_refund(&pending.provider_refund_id, "succeeded");
    eventually(|| {
        let mut c = c.clone();
        let id = p.id.clone();
        async move { (get(&mut c, &id).await.refunded_amount?.amount_minor == 1000).then_some(()) }
    })
    .await;
    assert_eq!(sim.refunds().len(), 2);
    t.stop().await;
}

#[tokio::test]
async fn failover_follows_the_classification_of_each_failure() {
    let dir = tempfile::tempdir().unwrap();
    let main = StripeSim::start().await;
    let backup = StripeSim::start().await;
    let t = TestServer::start_with(&format!(
        "{}{}",
        stripe_channel("stripe-main", &main.base_url(), 1, dir.path()),
        stripe_channel("stripe-backup", &backup.base_url(), 2, dir.path())
    ))
    .await;
    let mut c = t.client().await;
    type Case = (&'static str, u16, &'static str, S, Vec<A>);
    let cases: Vec<Case> = vec![
        (
            "rate-limited",
            429,
            "rate_limit_error",
            S::Succeeded,
            vec![A::NotProcessed, A::Accepted],
        ),
        (
            "bad-key",
            401,
            "invalid_request_error",
            S::Succeeded,
            vec![A::NotProcessed, A::Accepted],
        ),
        ("server", 500, "api_error", S::Unknown, vec![A::Ambiguous]),
        (
            "in-use",
            409,
            "idempotency_error",
            S::Unknown,
            vec![A::Ambiguous],
        ),
    ];
    for (name, status, kind, expected_status, expected) in cases {
        main.set_mode(Mode::Error(status, kind));
        let p = create(&mut c, card(&format!("st-fo-{name}"), "pm_card_visa")).await;
        assert_eq!(status_of(&p), expected_status, "{name}");
        assert_eq!(outcomes(&p), expected, "{name}");
        if expected.len() == 2 {
            assert_eq!(p.channel_id, "stripe-backup");
        }
    }
    t.stop().await;
}

/// Stripe reports a refund's outcome with refund.updated; paycore applies it once, with no
/// sweeper to ask.
#[tokio::test]
async fn a_refund_webhook_settles_a_pending_refund_once() {
    let (t, sim, _dir) = one_channel().await;
    let mut c = t.client().await;
    let mut r = crate::refunds::refunds(&t, &t.api_key).await;
    let p = create(&mut c, card("st-refund-hook", "pm_card_visa")).await;
    sim.set_refund_status("pending");
    let mut req = crate::refunds::refund_request(&p.id, "st-hook-1", Some(400));
    req.amount.as_mut().unwrap().currency = "USD".into();
    let pending = crate::refunds::refund(&mut r, req).await;
    assert_eq!(
        crate::refunds::refund_status(&pending),
        v1::RefundStatus::Pending
    );
    for _ in 0..2 {
        let (code, _) = sim
            .notify_refund(&pending.provider_refund_id, "succeeded")
            .await;
        assert_eq!(code, 200);
    }
    assert_eq!(
        crate::refunds::status_of_refund(&r, &pending.id).await,
        v1::RefundStatus::Succeeded
    );
    assert_eq!(
        get(&mut c, &p.id)
            .await
            .refunded_amount
            .unwrap()
            .amount_minor,
        400,
        "the replayed webhook counts once"
    );
    let events = t.events(&p.id).await;
    assert_eq!(
        events.iter().filter(|e| *e == "refund.succeeded").count(),
        1
    );
    t.stop().await;
}

/// A PaymentIntent that succeeds after paycore cancelled it (the bank finished late) is
/// recorded on the closed payment and acknowledged.
#[tokio::test]
async fn a_payment_that_succeeds_after_close_is_recorded() {
    let (t, sim, _dir) = one_channel().await;
    let mut c = t.client().await;
    let p = create(&mut c, card("st-late", "pm_card_threeDSecure2Required")).await;
    assert_eq!(status_of(&p), S::Pending);
    assert_eq!(status_of(&close(&mut c, &p.id).await), S::Closed);
    let (code, _) = sim.succeed(&p.provider_transaction_id).await;
    assert_eq!(code, 200);
    let stored = get(&mut c, &p.id).await;
    assert_eq!(status_of(&stored), S::Closed);
    assert_eq!(
        stored.paid_after_close.unwrap().provider_transaction_id,
        p.provider_transaction_id
    );
    assert!(
        t.events(&p.id)
            .await
            .contains(&"payment.paid_after_close".to_owned())
    );
    t.stop().await;
}
