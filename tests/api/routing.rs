//! Routing through the real server: failover drills, ambiguity, limits, operator controls.

use std::time::{Duration, Instant};

use paycore::proto::v1;
use tonic::Code;
use tonic_types::StatusExt;

use crate::support::*;
use v1::AttemptOutcome as A;
use v1::PaymentStatus as S;

/// Two sandbox channels; the primary's breaker trips after 4 straight failures and cools
/// down for 400 ms, with one probe.
const TWO_CHANNELS: &str = r#"
[[channels]]
id = "primary"
provider = "sandbox"
priority = 1
breaker = { window = 4, minimum_calls = 4, open_ms = 400, max_open_ms = 400, half_open_probes = 1 }
[[channels]]
id = "backup"
provider = "sandbox"
priority = 2
"#;

fn faults(rate: f64, mode: v1::FaultMode) -> v1::SetChannelFaultsRequest {
    v1::SetChannelFaultsRequest {
        channel_id: "primary".into(),
        faults: Some(v1::ChannelFaults {
            failure_rate: rate,
            added_latency: None,
            mode: mode.into(),
            duration: None,
        }),
    }
}

fn attempts_at<'a>(p: &'a v1::Payment, channel: &str) -> impl Iterator<Item = &'a v1::Attempt> {
    let channel = channel.to_owned();
    p.attempts.iter().filter(move |a| a.channel_id == channel)
}

#[tokio::test]
async fn failover_drill_every_payment_goes_through_and_the_dead_channel_is_spared() {
    let t = TestServer::start_with(TWO_CHANNELS).await;
    let mut c = t.client().await;
    let mut admin = t.admin(OPERATOR_KEY).await;
    for i in 0..3 {
        let p = create(
            &mut c,
            create_request(&format!("before-{i}"), Some("succeed")),
        )
        .await;
        assert_eq!(
            (p.channel_id.as_str(), status_of(&p)),
            ("primary", S::Succeeded)
        );
    }

    // The primary goes down mid-run.
    admin
        .set_channel_faults(faults(1.0, v1::FaultMode::Unavailable))
        .await
        .unwrap();
    let started = Instant::now();
    let mut dead_calls = 0;
    for i in 0..40 {
        let p = create(
            &mut c,
            create_request(&format!("during-{i}"), Some("succeed")),
        )
        .await;
        assert_eq!(status_of(&p), S::Succeeded, "payment {i} goes through");
        assert_eq!(p.channel_id, "backup");
        dead_calls += attempts_at(&p, "primary")
            .filter(|a| a.outcome == A::NotProcessed as i32)
            .count();
        for a in attempts_at(&p, "primary").filter(|a| a.outcome == A::Skipped as i32) {
            assert_eq!(a.error_code, "BREAKER_OPEN");
        }
        // Only one attempt can ever take the order.
        assert_eq!(
            p.attempts
                .iter()
                .filter(|a| a.outcome == A::Accepted as i32)
                .count(),
            1
        );
    }
    // At most the breaker's minimum calls, then one probe per elapsed cool-down.
    let cool_downs = started.elapsed().as_millis() / 400 + 1;
    assert!(
        dead_calls as u128 <= 4 + cool_downs,
        "{dead_calls} calls reached the dead channel in {cool_downs} cool-downs"
    );
    let channels = admin
        .list_channels(v1::ListChannelsRequest {})
        .await
        .unwrap()
        .into_inner()
        .channels;
    assert_eq!(channels[0].id, "primary");
    assert_eq!(channels[0].last_error, "SANDBOX_UNAVAILABLE");
    assert!(channels[0].success_rate < 0.9);
    assert_eq!(channels[0].faults.as_ref().unwrap().failure_rate, 1.0);

    // It recovers: after the cool-down a probe succeeds and traffic returns.
    admin
        .set_channel_faults(faults(0.0, v1::FaultMode::Unavailable))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(450)).await;
    let mut channels_used = Vec::new();
    for i in 0..5 {
        let p = create(
            &mut c,
            create_request(&format!("after-{i}"), Some("succeed")),
        )
        .await;
        channels_used.push(p.channel_id);
    }
    assert_eq!(channels_used, ["primary"; 5]);
    t.stop().await;
}

#[tokio::test]
async fn an_ambiguous_primary_is_never_followed_by_the_backup() {
    let t = TestServer::start_with(TWO_CHANNELS).await;
    let mut c = t.client().await;
    let mut admin = t.admin(OPERATOR_KEY).await;
    admin
        .set_channel_faults(faults(1.0, v1::FaultMode::Timeout))
        .await
        .unwrap();
    let p = create(&mut c, create_request("ambiguous-1", Some("succeed"))).await;
    assert_eq!(status_of(&p), S::Unknown);
    assert_eq!(outcomes(&p), [A::Ambiguous]);
    assert_eq!(p.channel_id, "primary");
    assert_eq!(p.attempts[0].channel_id, "primary");
    // The sandbox took it; a query settles it at the primary.
    let synced = sync(&mut c, &p.id).await;
    assert_eq!(status_of(&synced), S::Succeeded);
    assert_eq!(synced.attempts.len(), 1);
    t.stop().await;
}

#[tokio::test]
async fn a_channel_at_its_outbound_limit_spills_to_the_next() {
    let t = TestServer::start_with(
        r#"
[[channels]]
id = "primary"
provider = "sandbox"
priority = 1
rate_limit = { per_second = 1, burst = 1 }
[[channels]]
id = "backup"
provider = "sandbox"
priority = 2
"#,
    )
    .await;
    let mut c = t.client().await;
    let first = create(&mut c, create_request("limit-0", Some("succeed"))).await;
    assert_eq!(first.channel_id, "primary");
    let second = create(&mut c, create_request("limit-1", Some("succeed"))).await;
    // Unless a whole second passed, the primary had no token left.
    if second.channel_id == "backup" {
        assert_eq!(outcomes(&second), [A::Skipped, A::Accepted]);
        assert_eq!(second.attempts[0].error_code, "RATE_LIMITED");
        assert_eq!(second.attempts[0].channel_id, "primary");
    }
    let mut spilled = usize::from(second.channel_id == "backup");
    for i in 2..6 {
        let p = create(
            &mut c,
            create_request(&format!("limit-{i}"), Some("succeed")),
        )
        .await;
        assert_eq!(status_of(&p), S::Succeeded);
        spilled += usize::from(p.channel_id == "backup");
    }
    assert!(spilled >= 1, "some payments spilled to the backup");
    t.stop().await;
}

#[tokio::test]
async fn a_merchant_over_quota_is_refused_while_another_is_served() {
    let t = TestServer::start_with("[limits]\nmerchant = { per_second = 1, burst = 3 }\n").await;
    let mut c = t.client().await;
    let mut refused = None;
    for i in 0..8 {
        match c
            .create_payment(create_request(&format!("q-{i}"), None))
            .await
        {
            Ok(_) => {}
            Err(status) => {
                refused = Some(status);
                break;
            }
        }
    }
    let status = refused.expect("the quota refuses a burst of 8");
    assert_reason(&status, Code::ResourceExhausted, "RATE_LIMITED");
    let delay = status
        .get_details_retry_info()
        .unwrap()
        .retry_delay
        .unwrap();
    assert!(
        delay > Duration::ZERO && delay <= Duration::from_secs(1),
        "{delay:?}"
    );

    let other = t.other_merchant().await;
    let mut c2 = t.client_with(&other).await;
    create(&mut c2, create_request("q-other", None)).await;
    t.stop().await;
}

#[tokio::test]
async fn operators_can_disable_a_channel_and_drills_are_validated() {
    let t = TestServer::start_with(TWO_CHANNELS).await;
    let mut c = t.client().await;
    let mut admin = t.admin(OPERATOR_KEY).await;
    let disabled = admin
        .set_channel_enabled(v1::SetChannelEnabledRequest {
            channel_id: "primary".into(),
            enabled: false,
        })
        .await
        .unwrap()
        .into_inner()
        .channel
        .unwrap();
    assert!(!disabled.enabled);
    let p = create(&mut c, create_request("disabled-1", Some("succeed"))).await;
    assert_eq!(p.channel_id, "backup");
    assert_eq!(outcomes(&p), [A::Skipped, A::Accepted]);
    assert_eq!(p.attempts[0].error_code, "CHANNEL_DISABLED");

    let err = admin
        .set_channel_enabled(v1::SetChannelEnabledRequest {
            channel_id: "nope".into(),
            enabled: true,
        })
        .await
        .unwrap_err();
    assert_reason(&err, Code::NotFound, "CHANNEL_NOT_FOUND");
    let err = admin
        .set_channel_faults(faults(1.5, v1::FaultMode::Unavailable))
        .await
        .unwrap_err();
    assert_reason(&err, Code::InvalidArgument, "INVALID_REQUEST");
    // Merchants cannot reach the controls.
    let mut as_merchant = t.admin(&t.api_key).await;
    let err = as_merchant
        .set_channel_enabled(v1::SetChannelEnabledRequest {
            channel_id: "primary".into(),
            enabled: true,
        })
        .await
        .unwrap_err();
    assert_reason(&err, Code::Unauthenticated, "INVALID_OPERATOR_KEY");
    t.stop().await;
}

#[tokio::test]
async fn requests_can_steer_routing_within_what_is_configured() {
    let t = TestServer::start_with(
        r#"
[[channels]]
id = "primary"
provider = "sandbox"
priority = 1
currencies = ["CNY"]
[[channels]]
id = "backup"
provider = "sandbox"
priority = 2
currencies = ["CNY"]
"#,
    )
    .await;
    let mut c = t.client().await;
    let mut req = create_request("steer-1", Some("succeed"));
    req.preferred_channel_id = "backup".into();
    assert_eq!(create(&mut c, req).await.channel_id, "backup");
    let mut req = create_request("steer-2", Some("succeed"));
    req.excluded_channel_ids = vec!["primary".into()];
    assert_eq!(create(&mut c, req).await.channel_id, "backup");

    let mut req = create_request("steer-3", None);
    req.preferred_channel_id = "elsewhere".into();
    let err = c.create_payment(req).await.unwrap_err();
    assert_eq!(
        err.get_details_bad_request().unwrap().field_violations[0].reason,
        "UNKNOWN_CHANNEL"
    );
    // Excluding every channel, or a currency no channel takes: refused, nothing stored.
    let mut req = create_request("steer-4", None);
    req.excluded_channel_ids = vec!["primary".into(), "backup".into()];
    let err = c.create_payment(req).await.unwrap_err();
    assert_eq!(
        err.get_details_bad_request().unwrap().field_violations[0].reason,
        "NO_ELIGIBLE_CHANNEL"
    );
    let mut req = create_request("steer-5", None);
    req.amount.as_mut().unwrap().currency = "USD".into();
    let err = c.create_payment(req).await.unwrap_err();
    assert_reason(&err, Code::InvalidArgument, "INVALID_REQUEST");
    let listed = c
        .list_payments(v1::ListPaymentsRequest::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(listed.payments.len(), 2);
    t.stop().await;
}

#[tokio::test]
async fn the_callers_deadline_bounds_the_channel_call() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let mut req = create_request("deadline-1", Some("succeed"));
    req.metadata
        .insert("sandbox_delay_ms".into(), "5000".into());
    let mut request = tonic::Request::new(req);
    request.set_timeout(Duration::from_millis(500));
    // The answer and the client's own timer race; either way the payment must settle.
    if let Err(err) = c.create_payment(request).await {
        assert!(
            matches!(err.code(), Code::DeadlineExceeded | Code::Cancelled),
            "{err:?}"
        );
    }
    // The placement finishes on its own, cut at the caller's deadline: ambiguous.
    let started = Instant::now();
    loop {
        let p = c
            .get_payment(v1::GetPaymentRequest {
                lookup: Some(v1::get_payment_request::Lookup::MerchantOrderId(
                    "deadline-1".into(),
                )),
            })
            .await
            .unwrap()
            .into_inner()
            .payment
            .unwrap();
        if p.attempts
            .first()
            .is_some_and(|a| a.outcome != A::InFlight as i32)
        {
            assert_eq!(status_of(&p), S::Unknown);
            assert_eq!(outcomes(&p), [A::Ambiguous]);
            assert_eq!(p.attempts[0].error_code, "CALLER_DEADLINE");
            let latency = p.attempts[0].latency.unwrap();
            assert!(latency.seconds < 5, "cut by the deadline, not the delay");
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    t.stop().await;
}

/// Measured before: one merchant's 10 calls with a 0.5 s deadline to a healthy channel that
/// answers in 1.5 s opened its breaker, and another merchant's next calls all failed.
#[tokio::test]
async fn a_callers_short_deadline_is_not_the_channels_failure() {
    let t = TestServer::start_with(
        r#"
[[channels]]
id = "slow"
provider = "sandbox"
attempt_timeout_ms = 3000
breaker = { window = 4, minimum_calls = 4, open_ms = 60000, max_open_ms = 60000, half_open_probes = 1 }
"#,
    )
    .await;
    let mut calls = tokio::task::JoinSet::new();
    for i in 0..10 {
        let mut c = t.client().await;
        calls.spawn(async move {
            let mut req = create_request(&format!("impatient-{i}"), Some("succeed"));
            req.metadata
                .insert("sandbox_delay_ms".into(), "1500".into());
            let mut request = tonic::Request::new(req);
            request.set_timeout(Duration::from_millis(500));
            let _ = c.create_payment(request).await;
        });
    }
    calls.join_all().await;
    // Each placement is cut at its caller's deadline: ambiguous, not the channel's failure.
    let c = t.client().await;
    for i in 0..10 {
        let p = eventually(|| {
            let mut c = c.clone();
            async move {
                let p = c
                    .get_payment(v1::GetPaymentRequest {
                        lookup: Some(v1::get_payment_request::Lookup::MerchantOrderId(format!(
                            "impatient-{i}"
                        ))),
                    })
                    .await
                    .unwrap()
                    .into_inner()
                    .payment
                    .unwrap();
                (p.attempts[0].outcome != A::InFlight as i32).then_some(p)
            }
        })
        .await;
        assert_eq!(status_of(&p), S::Unknown);
        assert_eq!(p.attempts[0].error_code, "CALLER_DEADLINE");
    }

    let mut admin = t.admin(OPERATOR_KEY).await;
    let channel = admin
        .list_channels(v1::ListChannelsRequest {})
        .await
        .unwrap()
        .into_inner()
        .channels
        .remove(0);
    assert_eq!(channel.breaker_state(), v1::BreakerState::Closed);
    // Another merchant, with time to wait, is served by the same channel.
    let mut other = t.client_with(&t.other_merchant().await).await;
    let p = create(&mut other, create_request("patient-1", Some("succeed"))).await;
    assert_eq!(status_of(&p), S::Succeeded);
    assert_eq!(outcomes(&p), [A::Accepted]);
    t.stop().await;
}

/// A skip and the next channel's attempt are often made in the same millisecond, where ids
/// sort at random: the list follows the order they were made in, as stored.
#[tokio::test]
async fn attempts_are_listed_in_the_order_they_were_made() {
    let t = TestServer::start_with(TWO_CHANNELS).await;
    let mut c = t.client().await;
    let mut admin = t.admin(OPERATOR_KEY).await;
    admin
        .set_channel_enabled(v1::SetChannelEnabledRequest {
            channel_id: "primary".into(),
            enabled: false,
        })
        .await
        .unwrap();
    for i in 0..100 {
        let p = create(
            &mut c,
            create_request(&format!("order-{i}"), Some("succeed")),
        )
        .await;
        let stored = get(&mut c, &p.id).await;
        assert_eq!(outcomes(&stored), [A::Skipped, A::Accepted], "payment {i}");
        assert_eq!(stored.attempts, p.attempts);
    }
    t.stop().await;
}

#[tokio::test]
async fn injected_faults_expire_after_their_duration_or_are_cleared_by_zero() {
    let clock = std::sync::Arc::new(ShiftedClock::default());
    let t = TestServer::start_with_clock(TWO_CHANNELS, clock.clone()).await;
    let mut c = t.client().await;
    let mut admin = t.admin(OPERATOR_KEY).await;
    let mut lasting = faults(1.0, v1::FaultMode::Unavailable);
    if let Some(f) = lasting.faults.as_mut() {
        f.duration = Some(prost_types::Duration {
            seconds: 60,
            nanos: 0,
        });
    }
    let set = admin
        .set_channel_faults(lasting)
        .await
        .unwrap()
        .into_inner();
    let left = set.channel.unwrap().faults.unwrap().duration.unwrap();
    assert!((1..=60).contains(&left.seconds), "{left:?}");
    let p = create(&mut c, create_request("during-faults", Some("succeed"))).await;
    assert_eq!(p.channel_id, "backup");

    clock.advance(Duration::from_secs(61));
    let p = create(&mut c, create_request("after-faults", Some("succeed"))).await;
    assert_eq!(p.channel_id, "primary");
    let channels = admin
        .list_channels(v1::ListChannelsRequest {})
        .await
        .unwrap()
        .into_inner()
        .channels;
    let primary = channels.iter().find(|ch| ch.id == "primary").unwrap();
    assert_eq!(primary.faults.as_ref().unwrap().failure_rate, 0.0);

    // Without a duration they last until changed; all zero clears them.
    admin
        .set_channel_faults(faults(1.0, v1::FaultMode::Unavailable))
        .await
        .unwrap();
    clock.advance(Duration::from_secs(3600));
    let p = create(&mut c, create_request("still-faulty", Some("succeed"))).await;
    assert_eq!(p.channel_id, "backup");
    admin
        .set_channel_faults(faults(0.0, v1::FaultMode::Unspecified))
        .await
        .unwrap();
    let p = create(&mut c, create_request("cleared", Some("succeed"))).await;
    assert_eq!(p.channel_id, "primary");

    let mut zero = faults(1.0, v1::FaultMode::Unavailable);
    if let Some(f) = zero.faults.as_mut() {
        f.duration = Some(prost_types::Duration::default());
    }
    let refused = admin.set_channel_faults(zero).await.unwrap_err();
    assert_reason(&refused, Code::InvalidArgument, "INVALID_REQUEST");
}
