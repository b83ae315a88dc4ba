//! The sweeper settles payments and refunds that no callback settled.

use std::sync::Arc;
use std::time::Duration;

use paycore::proto::v1;

use crate::support::*;

#[tokio::test]
async fn an_ambiguous_payment_is_settled_when_its_channel_reports_success() {
    let t = TestServer::start_with(FAST_SWEEPER).await;
    let mut c = t.client().await;
    let p = create(&mut c, create_request("sweep-timeout", Some("timeout"))).await;
    assert_eq!(status_of(&p), v1::PaymentStatus::Unknown);
    let settled = reaches(&c, &p.id, v1::PaymentStatus::Succeeded).await;
    assert!(settled.provider_transaction_id.starts_with("sbx_"));
    assert_eq!(
        t.events(&p.id).await,
        ["payment.created", "payment.unknown", "payment.succeeded"]
    );
    t.stop().await;
}

#[tokio::test]
async fn an_expired_pending_payment_is_closed_at_the_channel_and_locally() {
    let clock = Arc::new(ShiftedClock::default());
    let t = TestServer::start_with_clock(FAST_SWEEPER, clock.clone()).await;
    let mut c = t.client().await;
    let p = create(&mut c, create_request("sweep-expire", None)).await;
    assert_eq!(status_of(&p), v1::PaymentStatus::Pending);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        status_of(&get(&mut c, &p.id).await),
        v1::PaymentStatus::Pending,
        "not yet expired"
    );

    clock.advance(Duration::from_secs(2 * 3600 + 1));
    reaches(&c, &p.id, v1::PaymentStatus::Closed).await;
    // Closed at the sandbox too: the buyer can no longer pay it.
    let (code, _) = http(
        t.http_addr(),
        "POST",
        &format!("/sandbox/pay/{}", p.id),
        &[],
        b"",
    )
    .await;
    assert_eq!(code, 409);
    t.stop().await;
}

#[tokio::test]
async fn a_placement_that_outlives_its_node_is_taken_over_and_a_late_answer_still_counts() {
    let clock = Arc::new(ShiftedClock::default());
    let config = format!("{FAST_SWEEPER}abandoned_after_secs = 60\n");
    let t = TestServer::start_with_clock(&config, clock.clone()).await;
    let mut c = t.client().await;
    let mut slow = create_request("sweep-abandoned", Some("succeed"));
    slow.metadata
        .insert("sandbox_delay_ms".into(), "1500".into());
    let mut placing = c.clone();
    let placed = tokio::spawn(async move { create(&mut placing, slow).await });
    let id = eventually(|| {
        let mut c = c.clone();
        async move {
            let page = c
                .list_payments(v1::ListPaymentsRequest::default())
                .await
                .unwrap()
                .into_inner();
            page.payments.first().map(|p| p.id.clone())
        }
    })
    .await;

    // As if the placing node had been gone for a minute: the sweeper takes the payment over.
    clock.advance(Duration::from_secs(61));
    eventually(|| {
        let t = &t;
        let id = id.clone();
        async move {
            t.events(&id)
                .await
                .contains(&"payment.unknown".to_owned())
                .then_some(())
        }
    })
    .await;
    let taken_over = get(&mut c, &id).await;
    assert_eq!(status_of(&taken_over), v1::PaymentStatus::Unknown);
    assert_eq!(outcomes(&taken_over), [v1::AttemptOutcome::Ambiguous]);
    assert_eq!(taken_over.attempts[0].error_code, "PLACEMENT_ABANDONED");

    // The channel's answer, when it comes, still settles the payment.
    let answered = placed.await.unwrap();
    assert_eq!(status_of(&answered), v1::PaymentStatus::Succeeded);
    let stored = get(&mut c, &id).await;
    assert_eq!(outcomes(&stored), [v1::AttemptOutcome::Accepted]);
    assert_eq!(
        t.events(&id).await,
        ["payment.created", "payment.unknown", "payment.succeeded"]
    );
    t.stop().await;
}

/// More stuck items than a pass of the old sweeper read (its 100 oldest): a newer payment
/// behind them is still settled in the first passes.
#[tokio::test]
async fn items_that_cannot_settle_do_not_starve_the_ones_behind_them() {
    let t = TestServer::start_with(FAST_SWEEPER).await;
    let mut c = t.client().await;
    for i in 0..150 {
        create(&mut c, create_request(&format!("stuck-{i}"), None)).await;
    }
    // Their channel is gone from the config: no check can settle them.
    t.execute_sql(
        "UPDATE payments SET status = 'unknown', channel_id = 'removed', updated_at = 1, \
         check_at = 0",
    )
    .await;
    let p = create(&mut c, create_request("behind-the-stuck", Some("timeout"))).await;
    assert_eq!(status_of(&p), v1::PaymentStatus::Unknown);
    reaches(&c, &p.id, v1::PaymentStatus::Succeeded).await;
    t.stop().await;
}

/// Two nodes sweep one database: each check is claimed by one of them, so the provider is
/// asked about each item once, not once per node.
#[tokio::test]
async fn two_nodes_ask_the_provider_about_each_item_once() {
    let dir = tempfile::tempdir().unwrap();
    let sim = crate::sim_stripe::StripeSim::start().await;
    let config = format!(
        "{}{FAST_SWEEPER}",
        stripe_channel("stripe-main", &sim.base_url(), 1, dir.path())
    );
    // Queries answer slowly, so both nodes' passes (every 50 ms) overlap each check.
    sim.set_read_delay(Duration::from_millis(150));
    let a = TestServer::start_with(&config).await;
    let b = a.another_node().await;
    let mut c = a.client().await;
    let mut ids = Vec::new();
    for i in 0..40 {
        // Taken by Stripe, result to come: UNKNOWN until a query says where it is.
        let p = create(&mut c, card(&format!("two-sweepers-{i}"), "pm_processing")).await;
        ids.push(p.id);
    }
    for id in &ids {
        reaches(&c, id, v1::PaymentStatus::Pending).await;
    }
    // A few more passes of both nodes, had they anything left to ask.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let queries = sim
        .calls()
        .iter()
        .filter(|c| c.starts_with("GET /v1/payment_intents/pi_"))
        .count();
    assert_eq!(queries, ids.len(), "one query per payment");
    b.stop().await;
    a.stop().await;
}

/// A node that stops while a placement is still at its channel records it as abandoned on
/// the way out, so another node settles it now rather than after abandoned_after_secs.
#[tokio::test]
async fn a_stopping_node_hands_its_placements_over() {
    let a = TestServer::start().await;
    let b = a.another_node().await;
    let mut c = a.client().await;
    let mut slow = create_request("handed-over", Some("succeed"));
    slow.metadata
        .insert("sandbox_delay_ms".into(), "3000".into());
    // The caller goes away without a deadline; the placement goes on at the channel.
    let call = tokio::spawn(async move { c.create_payment(slow).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    call.abort();
    a.server.shutdown(Duration::ZERO).await.unwrap();

    let mut other = b.client().await;
    let p = other
        .get_payment(v1::GetPaymentRequest {
            lookup: Some(v1::get_payment_request::Lookup::MerchantOrderId(
                "handed-over".into(),
            )),
        })
        .await
        .unwrap()
        .into_inner()
        .payment
        .unwrap();
    assert_eq!(status_of(&p), v1::PaymentStatus::Unknown);
    assert_eq!(outcomes(&p), [v1::AttemptOutcome::Ambiguous]);
    assert_eq!(p.attempts[0].error_code, "PLACEMENT_ABANDONED");
    b.stop().await;
}

/// An UNKNOWN payment its channel never got ("no such order", check after check) is closed
/// there and ended FAILED / NOT_AT_CHANNEL, which the same create places again.
#[tokio::test]
async fn a_payment_its_channel_never_got_ends_and_can_be_retried() {
    let config = format!("{FAST_SWEEPER}not_found_after_secs = 0\n");
    let t = TestServer::start_with(&config).await;
    let mut c = t.client().await;
    let p = create(&mut c, create_request("never-got", Some("lost"))).await;
    assert_eq!(status_of(&p), v1::PaymentStatus::Unknown);
    let ended = reaches(&c, &p.id, v1::PaymentStatus::Failed).await;
    assert_eq!(ended.failure.unwrap().code, "NOT_AT_CHANNEL");
    assert_eq!(
        t.events(&p.id).await,
        ["payment.created", "payment.unknown", "payment.failed"]
    );
    // Retryable: the same request places it again (and the sandbox loses it again).
    let again = create(&mut c, create_request("never-got", Some("lost"))).await;
    assert_eq!(again.id, p.id);
    assert_eq!(status_of(&again), v1::PaymentStatus::Unknown);
    assert_eq!(again.attempts.len(), 2);
    t.stop().await;
}

/// An UNKNOWN payment past its expiry is closed at its channel and locally, like a PENDING
/// one.
#[tokio::test]
async fn an_expired_unknown_payment_is_closed() {
    let clock = Arc::new(ShiftedClock::default());
    // Never give up on "no such order" by itself: only the expiry ends it here.
    let config = format!("{FAST_SWEEPER}not_found_checks = 1000\n");
    let t = TestServer::start_with_clock(&config, clock.clone()).await;
    let mut c = t.client().await;
    let p = create(&mut c, create_request("unknown-expired", Some("lost"))).await;
    assert_eq!(status_of(&p), v1::PaymentStatus::Unknown);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        status_of(&get(&mut c, &p.id).await),
        v1::PaymentStatus::Unknown
    );
    clock.advance(Duration::from_secs(2 * 3600 + 1));
    reaches(&c, &p.id, v1::PaymentStatus::Closed).await;
    t.stop().await;
}

/// A backlog bigger than a pass checks (`STUCK`, default 2 500; `STUCK=10000 cargo test
/// --test api backlog -- --nocapture` prints each pass's rate): each pass checks its
/// share, oldest first, every item is checked once before any twice, and an item in
/// another queue is settled in the first pass.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backlog_bigger_than_a_pass_is_checked_once_each_over_passes() {
    use paycore::service::sweeper::{MAX_PER_PASS, Sweeper};
    let n: usize = std::env::var("STUCK")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_500);
    let t =
        TestServer::start_with("[limits]\nmerchant = { per_second = 100000, burst = 100000 }\n")
            .await;
    let c = t.client().await;
    let creates: Vec<_> = (0..16)
        .map(|w| {
            let mut c = c.clone();
            tokio::spawn(async move {
                for i in (w..n).step_by(16) {
                    create(&mut c, create_request(&format!("backlog-{i}"), None)).await;
                }
            })
        })
        .collect();
    for task in creates {
        task.await.unwrap();
    }
    // PENDING for long enough: every one is due, and none can settle (nobody pays).
    t.execute_sql("UPDATE payments SET updated_at = 1, check_at = 0")
        .await;
    let mut c = c.clone();
    let behind = create(
        &mut c,
        create_request("behind-the-backlog", Some("timeout")),
    )
    .await;
    assert_eq!(status_of(&behind), v1::PaymentStatus::Unknown);

    let services = &t.server.services;
    let config = paycore::config::SweeperConfig {
        unknown_after_secs: 0,
        pending_after_secs: 0,
        ..Default::default()
    };
    let sweeper = Sweeper::new(
        services.store.clone(),
        services.payments.clone(),
        services.refunds.clone(),
        services.clock.clone(),
        config,
        Duration::from_secs(5),
        services.metrics.clone(),
    );
    let mut left = n;
    for pass_number in 1.. {
        let started = std::time::Instant::now();
        let pass = sweeper.pass().await;
        let took = started.elapsed();
        eprintln!(
            "pass {pass_number}: {} checked in {took:?} ({:.0}/s)",
            pass.checked,
            pass.checked as f64 / took.as_secs_f64()
        );
        let share = left.min(MAX_PER_PASS);
        if pass_number == 1 {
            assert_eq!(pass.checked, share + 1, "its share, and the one behind");
            assert_eq!(pass.payments_settled, 1);
            assert_eq!(
                status_of(&get(&mut c, &behind.id).await),
                v1::PaymentStatus::Succeeded
            );
        } else {
            assert_eq!(pass.checked, share);
        }
        left -= share;
        if share == 0 {
            break; // all checked once; each waits out its backoff now
        }
    }
    t.stop().await;
}
