//! Risk rules end to end: decisions before any channel is called, the review queue, and
//! counters that hold across concurrent creates and nodes.

use std::sync::Arc;
use std::time::Duration;

use paycore::proto::v1;
use tonic::Code;

use crate::support::*;

mod runtime;

/// `[[risk.rules]]` and `[[risk.lists]]` TOML, with the sweeper off.
async fn server(rules: &str) -> TestServer {
    TestServer::start_with(rules).await
}

fn request(order: &str, amount_minor: i64, outcome: Option<&str>) -> v1::CreatePaymentRequest {
    let mut req = create_request(order, outcome);
    req.amount.as_mut().unwrap().amount_minor = amount_minor;
    req
}

fn with_payer(
    mut req: v1::CreatePaymentRequest,
    buyer: &str,
    ip: &str,
) -> v1::CreatePaymentRequest {
    req.payer = Some(v1::Payer {
        buyer_id: buyer.into(),
        client_ip: ip.into(),
        ..Default::default()
    });
    req
}

fn decision(p: &v1::Payment) -> v1::RiskAction {
    v1::RiskAction::try_from(p.risk.as_ref().expect("a risk evaluation").decision).unwrap()
}

fn matched(p: &v1::Payment) -> Vec<(String, v1::RiskRuleMode)> {
    p.risk
        .as_ref()
        .unwrap()
        .matches
        .iter()
        .map(|m| {
            (
                m.rule_id.clone(),
                v1::RiskRuleMode::try_from(m.mode).unwrap(),
            )
        })
        .collect()
}

fn failure_code(p: &v1::Payment) -> &str {
    p.failure.as_ref().map_or("", |f| f.code.as_str())
}

const CAP: &str = r#"
[[risk.rules]]
id = "cap-cny"
action = "block"
reason = "AMOUNT_OVER_CAP"
when = [
  { fact = "currency", op = "eq", value = "CNY" },
  { fact = "amount_minor", op = "gt", value = 50000 },
]
"#;

#[tokio::test]
async fn a_blocked_payment_fails_before_any_channel_and_replays_as_stored() {
    let t = server(CAP).await;
    let mut c = t.client().await;
    let blocked = create(&mut c, request("big-1", 60_000, Some("succeed"))).await;
    assert_eq!(status_of(&blocked), v1::PaymentStatus::Failed);
    assert_eq!(failure_code(&blocked), "RISK_BLOCKED");
    assert!(
        blocked
            .failure
            .as_ref()
            .unwrap()
            .message
            .contains("AMOUNT_OVER_CAP")
    );
    assert!(blocked.attempts.is_empty(), "no channel was called");
    assert_eq!(blocked.channel_id, "");
    assert_eq!(decision(&blocked), v1::RiskAction::Block);
    let by = blocked.risk.as_ref().unwrap().decided_by.as_ref().unwrap();
    assert_eq!(
        (by.rule_id.as_str(), by.reason.as_str()),
        ("cap-cny", "AMOUNT_OVER_CAP")
    );
    assert_eq!(t.events(&blocked.id).await, ["payment.failed"]);

    // A replay answers from the store; GetPayment shows the same evaluation.
    let again = create(&mut c, request("big-1", 60_000, Some("succeed"))).await;
    assert_eq!(again.id, blocked.id);
    assert_eq!(again.risk, blocked.risk);
    assert_eq!(get(&mut c, &blocked.id).await.risk, blocked.risk);

    // Under the cap the payment is placed as usual, and records that nothing matched.
    let small = create(&mut c, request("small-1", 50_000, Some("succeed"))).await;
    assert_eq!(status_of(&small), v1::PaymentStatus::Succeeded);
    assert_eq!(decision(&small), v1::RiskAction::Allow);
    assert!(matched(&small).is_empty());
}

#[tokio::test]
async fn without_rules_a_payment_records_no_evaluation() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let p = create(&mut c, request("plain-1", 60_000, Some("succeed"))).await;
    assert_eq!(status_of(&p), v1::PaymentStatus::Succeeded);
    assert!(p.risk.is_none());
}

const PRECEDENCE: &str = r#"
[[risk.lists]]
id = "vip-buyers"
kind = "buyer_id"
entries = ["buyer-vip"]

[[risk.lists]]
id = "bad-networks"
kind = "client_ip"
entries = ["203.0.113.0/24", "2001:db8:bad::/48"]

[[risk.rules]]
id = "allow-vip"
action = "allow"
reason = "VIP_BUYER"
when = [{ fact = "buyer_id", op = "in_list", list = "vip-buyers" }]

[[risk.rules]]
id = "block-networks"
action = "block"
reason = "BLOCKED_NETWORK"
when = [{ fact = "client_ip", op = "in_list", list = "bad-networks" }]

[[risk.rules]]
id = "review-large"
action = "review"
reason = "LARGE_AMOUNT"
when = [{ fact = "amount_minor", op = "ge", value = 20000 }]

[[risk.rules]]
id = "shadow-qr"
action = "block"
reason = "QR_TRIAL"
mode = "shadow"
when = [{ fact = "method", op = "eq", value = "qr_code" }]
"#;

#[tokio::test]
async fn allow_lists_come_first_then_block_beats_review_and_shadow_never_decides() {
    let t = server(PRECEDENCE).await;
    let mut c = t.client().await;
    let shadow = ("shadow-qr".to_owned(), v1::RiskRuleMode::Shadow);
    let enforce = |id: &str| (id.to_owned(), v1::RiskRuleMode::Enforce);

    // Large and from a blocked network: BLOCK beats REVIEW.
    let req = with_payer(
        request("p-1", 30_000, Some("succeed")),
        "buyer-1",
        "203.0.113.9",
    );
    let p = create(&mut c, req).await;
    assert_eq!(decision(&p), v1::RiskAction::Block);
    assert_eq!(
        matched(&p),
        [
            enforce("block-networks"),
            enforce("review-large"),
            shadow.clone()
        ]
    );

    // The same from an allow-listed buyer: the allow list comes first.
    let req = with_payer(
        request("p-2", 30_000, Some("succeed")),
        "buyer-vip",
        "203.0.113.9",
    );
    let p = create(&mut c, req).await;
    assert_eq!(decision(&p), v1::RiskAction::Allow);
    assert_eq!(status_of(&p), v1::PaymentStatus::Succeeded);
    let by = p.risk.as_ref().unwrap().decided_by.as_ref().unwrap();
    assert_eq!(by.rule_id, "allow-vip");

    // Large only: REVIEW. An IPv6 address in the listed range, small: BLOCK.
    let p = create(
        &mut c,
        with_payer(request("p-3", 30_000, None), "buyer-1", "198.51.100.1"),
    )
    .await;
    assert_eq!(decision(&p), v1::RiskAction::Review);
    assert_eq!(status_of(&p), v1::PaymentStatus::RequiresReview);
    let req = with_payer(request("p-4", 100, None), "buyer-1", "2001:db8:bad:1::7");
    assert_eq!(decision(&create(&mut c, req).await), v1::RiskAction::Block);

    // Only the shadow rule matches: recorded, not enforced.
    let p = create(
        &mut c,
        with_payer(
            request("p-5", 100, Some("succeed")),
            "buyer-1",
            "198.51.100.1",
        ),
    )
    .await;
    assert_eq!(decision(&p), v1::RiskAction::Allow);
    assert_eq!(status_of(&p), v1::PaymentStatus::Succeeded);
    assert_eq!(matched(&p), [shadow]);
}

const REVIEW: &str = r#"
[[risk.rules]]
id = "review-large"
action = "review"
reason = "LARGE_AMOUNT"
when = [{ fact = "amount_minor", op = "ge", value = 20000 }]
"#;

#[tokio::test]
async fn review_round_trip_approve_and_reject() {
    let t = server(REVIEW).await;
    let mut c = t.client().await;
    let mut admin = t.admin(OPERATOR_KEY).await;
    let first = create(&mut c, request("rv-1", 25_000, Some("succeed"))).await;
    let second = create(&mut c, request("rv-2", 26_000, Some("succeed"))).await;
    for p in [&first, &second] {
        assert_eq!(status_of(p), v1::PaymentStatus::RequiresReview);
        assert!(p.attempts.is_empty());
        assert_eq!(t.events(&p.id).await, ["payment.review_required"]);
    }
    let queue = admin
        .list_reviews(v1::ListReviewsRequest {
            page_size: 1,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(queue.payments.len(), 1);
    assert_eq!(queue.payments[0].id, first.id, "oldest first");
    let rest = admin
        .list_reviews(v1::ListReviewsRequest {
            page_token: queue.next_page_token,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(rest.payments.len(), 1);
    assert_eq!(rest.payments[0].id, second.id);
    assert!(rest.next_page_token.is_empty());

    // Approved: placed as a new payment is, and the review recorded.
    let approved = admin
        .approve_review(v1::ApproveReviewRequest {
            payment_id: first.id.clone(),
            reviewer: "alice@ops".into(),
            note: "known customer".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .payment
        .unwrap();
    assert_eq!(status_of(&approved), v1::PaymentStatus::Succeeded);
    assert_eq!(approved.attempts.len(), 1);
    let review = approved.risk.as_ref().unwrap().review.as_ref().unwrap();
    assert!(review.approved);
    assert_eq!(review.reviewer, "alice@ops");
    assert_eq!(
        t.events(&first.id).await,
        [
            "payment.review_required",
            "payment.processing",
            "payment.succeeded"
        ]
    );

    // Rejected: FAILED, RISK_REJECTED.
    let rejected = admin
        .reject_review(v1::RejectReviewRequest {
            payment_id: second.id.clone(),
            reviewer: "bob@ops".into(),
            note: "stolen card pattern".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .payment
        .unwrap();
    assert_eq!(status_of(&rejected), v1::PaymentStatus::Failed);
    assert_eq!(failure_code(&rejected), "RISK_REJECTED");
    assert!(
        !rejected
            .risk
            .as_ref()
            .unwrap()
            .review
            .as_ref()
            .unwrap()
            .approved
    );

    // Decided once: a second decision is refused, and replays return the stored payments.
    let again = admin
        .approve_review(v1::ApproveReviewRequest {
            payment_id: second.id.clone(),
            reviewer: "alice@ops".into(),
            note: String::new(),
        })
        .await
        .unwrap_err();
    assert_reason(&again, Code::FailedPrecondition, "PAYMENT_NOT_IN_REVIEW");
    let replay = create(&mut c, request("rv-2", 26_000, Some("succeed"))).await;
    assert_eq!(
        (replay.id.as_str(), status_of(&replay)),
        (second.id.as_str(), v1::PaymentStatus::Failed)
    );
    let empty = admin
        .list_reviews(v1::ListReviewsRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert!(empty.payments.is_empty());

    // A merchant's key cannot decide reviews; a reviewer must be named.
    let mut as_merchant = t.admin(&t.api_key).await;
    let denied = as_merchant
        .list_reviews(v1::ListReviewsRequest::default())
        .await
        .unwrap_err();
    assert_eq!(denied.code(), Code::Unauthenticated);
    let unnamed = admin
        .reject_review(v1::RejectReviewRequest {
            payment_id: first.id.clone(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_reason(&unnamed, Code::InvalidArgument, "INVALID_REQUEST");
}

#[tokio::test]
async fn a_review_that_expires_first_is_closed() {
    let clock = Arc::new(ShiftedClock::default());
    let t = TestServer::start_with_clock(&format!("{REVIEW}{FAST_SWEEPER}"), clock.clone()).await;
    let mut c = t.client().await;
    let mut req = request("rv-exp", 25_000, Some("succeed"));
    req.expires_in = Some(prost_types::Duration {
        seconds: 60,
        nanos: 0,
    });
    let held = create(&mut c, req).await;
    assert_eq!(status_of(&held), v1::PaymentStatus::RequiresReview);
    clock.advance(Duration::from_secs(61));
    let closed = reaches(&c, &held.id, v1::PaymentStatus::Closed).await;
    assert!(closed.attempts.is_empty());
    assert_eq!(
        t.events(&held.id).await,
        ["payment.review_required", "payment.closed"]
    );
    let mut admin = t.admin(OPERATOR_KEY).await;
    let late = admin
        .approve_review(v1::ApproveReviewRequest {
            payment_id: held.id.clone(),
            reviewer: "alice@ops".into(),
            note: String::new(),
        })
        .await
        .unwrap_err();
    assert_reason(&late, Code::FailedPrecondition, "PAYMENT_NOT_IN_REVIEW");
}

const DAILY: &str = r#"
[[risk.rules]]
id = "merchant-daily"
action = "block"
reason = "DAILY_LIMIT"
when = [{ counter = "daily_amount", per = "merchant", op = "gt", value = 10000 }]
"#;

/// Creates `n` payments of 10.00 at once across `clients`; how many were admitted.
async fn race(clients: &[Client], prefix: &str, n: usize, outcome: &str) -> Vec<v1::Payment> {
    let mut tasks = Vec::new();
    for i in 0..n {
        let mut c = clients[i % clients.len()].clone();
        let req = request(&format!("{prefix}-{i}"), 1000, Some(outcome));
        tasks.push(tokio::spawn(async move { create(&mut c, req).await }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.push(t.await.unwrap());
    }
    all
}

fn admitted(all: &[v1::Payment]) -> usize {
    all.iter()
        .filter(|p| failure_code(p) != "RISK_BLOCKED")
        .count()
}

#[tokio::test]
async fn a_daily_limit_holds_exactly_under_concurrent_creates_and_frees_what_ends_unpaid() {
    let t = server(DAILY).await;
    let c = t.client().await;
    // 10 000 minor units a day: ten payments of 1 000, however many race for them.
    let all = race(std::slice::from_ref(&c), "d", 16, "pending").await;
    assert_eq!(admitted(&all), 10);
    let blocked = all
        .iter()
        .find(|p| failure_code(p) == "RISK_BLOCKED")
        .unwrap();
    assert_eq!(
        blocked
            .risk
            .as_ref()
            .unwrap()
            .decided_by
            .as_ref()
            .unwrap()
            .reason,
        "DAILY_LIMIT"
    );

    // A payment that ends unpaid gives its share back; one that succeeds keeps it.
    let pending = all
        .iter()
        .find(|p| status_of(p) == v1::PaymentStatus::Pending)
        .unwrap();
    close(&mut c.clone(), &pending.id).await;
    let next = create(
        &mut c.clone(),
        request("d-after-close", 1000, Some("succeed")),
    )
    .await;
    assert_eq!(status_of(&next), v1::PaymentStatus::Succeeded);
    let over = create(&mut c.clone(), request("d-over", 1000, Some("succeed"))).await;
    assert_eq!(failure_code(&over), "RISK_BLOCKED");
    // Another currency is another counter.
    let mut usd = request("d-usd", 1000, Some("succeed"));
    usd.amount.as_mut().unwrap().currency = "USD".into();
    assert_eq!(
        status_of(&create(&mut c.clone(), usd).await),
        v1::PaymentStatus::Succeeded
    );
}

#[tokio::test]
async fn a_daily_limit_holds_exactly_across_two_nodes() {
    let t = server(DAILY).await;
    let other = t.another_node().await;
    let clients = [t.client().await, other.client_with(&t.api_key).await];
    let all = race(&clients, "two", 24, "succeed").await;
    assert_eq!(admitted(&all), 10);
}

const VELOCITY: &str = r#"
[[risk.rules]]
id = "ip-velocity"
action = "block"
reason = "IP_VELOCITY"
when = [{ counter = "payments", per = "ip", window_secs = 600, op = "gt", value = 3 }]

[[risk.rules]]
id = "card-testing"
action = "block"
reason = "CARD_TESTING"
when = [{ counter = "declines", per = "buyer", window_secs = 600, hold_secs = 3600, op = "ge", value = 2 }]
"#;

#[tokio::test]
async fn velocity_counts_payments_per_ip_within_the_window() {
    let clock = Arc::new(ShiftedClock::default());
    let t = TestServer::start_with_clock(VELOCITY, clock.clone()).await;
    let mut c = t.client().await;
    for i in 0..3 {
        let req = with_payer(
            request(&format!("v-{i}"), 100, Some("succeed")),
            &format!("b{i}"),
            "198.51.100.7",
        );
        assert_eq!(decision(&create(&mut c, req).await), v1::RiskAction::Allow);
    }
    // The fourth from that address within ten minutes is blocked; another address is not.
    let req = with_payer(request("v-3", 100, Some("succeed")), "b3", "198.51.100.7");
    let p = create(&mut c, req).await;
    assert_eq!(failure_code(&p), "RISK_BLOCKED");
    let req = with_payer(request("v-4", 100, Some("succeed")), "b4", "198.51.100.8");
    assert_eq!(decision(&create(&mut c, req).await), v1::RiskAction::Allow);
    // The window moves on (blocked payments counted in it too).
    clock.advance(Duration::from_secs(601));
    let req = with_payer(request("v-5", 100, Some("succeed")), "b5", "198.51.100.7");
    assert_eq!(decision(&create(&mut c, req).await), v1::RiskAction::Allow);
}

#[tokio::test]
async fn the_card_testing_guard_blocks_a_buyer_after_declines_for_the_hold() {
    let clock = Arc::new(ShiftedClock::default());
    let t = TestServer::start_with_clock(VELOCITY, clock.clone()).await;
    let mut c = t.client().await;
    let buyer =
        |order: &str, outcome: &str| with_payer(request(order, 100, Some(outcome)), "tester", "");
    for i in 0..2 {
        let p = create(&mut c, buyer(&format!("ct-{i}"), "decline")).await;
        assert_eq!(status_of(&p), v1::PaymentStatus::Failed);
        assert_ne!(failure_code(&p), "RISK_BLOCKED");
    }
    let p = create(&mut c, buyer("ct-2", "succeed")).await;
    assert_eq!(failure_code(&p), "RISK_BLOCKED");
    assert_eq!(
        p.risk.as_ref().unwrap().decided_by.as_ref().unwrap().reason,
        "CARD_TESTING"
    );
    // Another buyer is not affected.
    let other = with_payer(request("ct-other", 100, Some("succeed")), "someone", "");
    assert_eq!(
        status_of(&create(&mut c, other).await),
        v1::PaymentStatus::Succeeded
    );
    // Still blocked within the hold, though the declines left the window…
    clock.advance(Duration::from_secs(1800));
    assert_eq!(
        failure_code(&create(&mut c, buyer("ct-3", "succeed")).await),
        "RISK_BLOCKED"
    );
    // …and free once the hold ends.
    clock.advance(Duration::from_secs(2400));
    let p = create(&mut c, buyer("ct-4", "succeed")).await;
    assert_eq!(status_of(&p), v1::PaymentStatus::Succeeded);
}

#[tokio::test]
async fn a_daily_limit_starts_again_the_next_day_and_old_days_are_pruned() {
    let clock = Arc::new(ShiftedClock::default());
    let t = TestServer::start_with_clock(DAILY, clock.clone()).await;
    let mut c = t.client().await;
    // Mid-day at +08:00 (the default offset), so that a few seconds never cross midnight.
    let now = paycore::domain::Clock::now(&*clock).as_secs();
    let into_day = (now + 8 * 3600).rem_euclid(86_400) as u64;
    clock.advance(Duration::from_secs((86_400 + 43_200 - into_day) % 86_400));
    let today = create(&mut c, request("day-0", 10_000, Some("succeed"))).await;
    assert_eq!(status_of(&today), v1::PaymentStatus::Succeeded);
    assert_eq!(
        failure_code(&create(&mut c, request("day-1", 1, Some("succeed"))).await),
        "RISK_BLOCKED"
    );
    clock.advance(Duration::from_secs(86_400));
    let tomorrow = create(&mut c, request("day-2", 10_000, Some("succeed"))).await;
    assert_eq!(status_of(&tomorrow), v1::PaymentStatus::Succeeded);
    // Yesterday's row is kept a day longer; the day before that goes.
    assert_eq!(t.server.services.risk.prune().await.unwrap(), 0);
    clock.advance(Duration::from_secs(86_400));
    assert_eq!(t.server.services.risk.prune().await.unwrap(), 1);
    assert_eq!(t.server.services.risk.prune().await.unwrap(), 0);
}

#[tokio::test]
async fn an_approval_after_expiry_closes_the_payment_instead() {
    let clock = Arc::new(ShiftedClock::default());
    let t = TestServer::start_with_clock(REVIEW, clock.clone()).await;
    let mut c = t.client().await;
    let mut req = request("rv-late", 25_000, Some("succeed"));
    req.expires_in = Some(prost_types::Duration {
        seconds: 60,
        nanos: 0,
    });
    let held = create(&mut c, req).await;
    // No sweeper here: the approval itself finds it expired.
    clock.advance(Duration::from_secs(61));
    let late = t
        .admin(OPERATOR_KEY)
        .await
        .approve_review(v1::ApproveReviewRequest {
            payment_id: held.id.clone(),
            reviewer: "alice@ops".into(),
            note: String::new(),
        })
        .await
        .unwrap_err();
    assert_reason(&late, Code::FailedPrecondition, "PAYMENT_NOT_IN_REVIEW");
    assert!(
        late.message().contains("CLOSED (it expired)"),
        "{}",
        late.message()
    );
    let closed = get(&mut c, &held.id).await;
    assert_eq!(status_of(&closed), v1::PaymentStatus::Closed);
    assert!(closed.attempts.is_empty(), "no channel was called");
}

#[tokio::test]
async fn with_every_rule_disabled_payments_are_not_screened() {
    let t = server(&CAP.replace(
        "reason = \"AMOUNT_OVER_CAP\"",
        "reason = \"AMOUNT_OVER_CAP\"\nenabled = false",
    ))
    .await;
    let mut c = t.client().await;
    let p = create(&mut c, request("off-1", 60_000, Some("succeed"))).await;
    assert_eq!(status_of(&p), v1::PaymentStatus::Succeeded);
    assert!(p.risk.is_none());
}
