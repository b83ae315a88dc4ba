//! Reconciliation end to end on the sandbox channel: its statement (WeChat Pay's trade bill
//! format) for a UTC day, matched against paycore's books through ReconciliationService.

use std::sync::Arc;
use std::time::Duration;

use paycore::domain::reconciliation::{Run, RunStatus, Summary, Trigger};
use paycore::domain::{ChannelId, Clock, Day, RunId, Timestamp};
use paycore::proto::v1;
use paycore::proto::v1::reconciliation_service_client::ReconciliationServiceClient;
use paycore::proto::v1::refund_service_client::RefundServiceClient;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

use crate::support::*;

type Recon = ReconciliationServiceClient<InterceptedService<Channel, Bearer>>;

const DAY: Duration = Duration::from_secs(86_400);

/// A server whose clock stands at 12:00 UTC (or `at_secs` into the day), and that day.
async fn server_at(at_secs: u64) -> (TestServer, Arc<ShiftedClock>, Day) {
    let clock = Arc::new(ShiftedClock::default());
    let now = clock.now().as_secs() as u64;
    clock.advance(Duration::from_secs(
        (DAY.as_secs() + at_secs - now % DAY.as_secs()) % DAY.as_secs(),
    ));
    let day = Day::of(clock.now(), 0);
    let t = TestServer::start_with_clock("", clock.clone()).await;
    (t, clock, day)
}

async fn recon(t: &TestServer) -> Recon {
    ReconciliationServiceClient::with_interceptor(t.channel().await, Bearer::for_key(OPERATOR_KEY))
}

async fn paid(c: &mut Client, order: &str, statement: Option<&str>) -> v1::Payment {
    let mut req = create_request(order, Some("succeed"));
    if let Some(listing) = statement {
        req.metadata
            .insert("sandbox_statement".into(), listing.into());
    }
    let p = create(c, req).await;
    assert_eq!(status_of(&p), v1::PaymentStatus::Succeeded);
    p
}

async fn run(r: &mut Recon, day: Day) -> v1::Run {
    r.run_reconciliation(v1::RunReconciliationRequest {
        channel_id: "sandbox".into(),
        day: day.to_string(),
    })
    .await
    .unwrap()
    .into_inner()
    .run
    .unwrap()
}

async fn differences(r: &mut Recon, day: Day) -> Vec<v1::Difference> {
    r.list_differences(v1::ListDifferencesRequest {
        channel_id: "sandbox".into(),
        day: day.to_string(),
        ..Default::default()
    })
    .await
    .unwrap()
    .into_inner()
    .differences
}

fn kind_of(d: &v1::Difference) -> v1::DifferenceKind {
    v1::DifferenceKind::try_from(d.kind).unwrap()
}

fn status(d: &v1::Difference) -> v1::DifferenceStatus {
    v1::DifferenceStatus::try_from(d.status).unwrap()
}

#[tokio::test]
async fn a_day_that_agrees_matches_every_line_and_a_rerun_finds_nothing_new() {
    let (t, clock, day) = server_at(12 * 3600).await;
    let mut c = t.client().await;
    let a = paid(&mut c, "recon-a", None).await;
    paid(&mut c, "recon-b", None).await;
    let mut refunds =
        RefundServiceClient::with_interceptor(t.channel().await, Bearer::for_key(&t.api_key));
    refunds
        .create_refund(v1::CreateRefundRequest {
            payment: Some(v1::create_refund_request::Payment::PaymentId(a.id.clone())),
            merchant_refund_id: "recon-a-r1".into(),
            amount: Some(v1::Money {
                amount_minor: 300,
                currency: "CNY".into(),
            }),
            ..Default::default()
        })
        .await
        .unwrap();
    clock.advance(DAY);
    let mut r = recon(&t).await;
    let first = run(&mut r, day).await;
    assert_eq!(first.status, v1::RunStatus::Completed as i32, "{first:?}");
    let s = first.summary.unwrap();
    assert_eq!((s.lines, s.matched, s.differences), (3, 3, 0), "{s:?}");
    assert_eq!((s.payments, s.refunds, s.refund_minor), (2, 1, 300));
    let totals = s.provider_totals.unwrap();
    assert_eq!(
        (totals.payments + totals.refunds, totals.refund_minor),
        (3, 300)
    );
    assert!(differences(&mut r, day).await.is_empty());

    let again = run(&mut r, day).await;
    assert_ne!(again.id, first.id);
    assert_eq!(again.summary.unwrap().matched, 3);
    let runs = r
        .list_runs(v1::ListRunsRequest {
            channel_id: "sandbox".into(),
            day: day.to_string(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .runs;
    assert_eq!(
        runs.iter().map(|r| &r.id).collect::<Vec<_>>(),
        [&again.id, &first.id]
    );
    t.stop().await;
}

#[tokio::test]
async fn each_kind_of_difference_is_raised_once_and_kept_across_reruns() {
    let (t, clock, day) = server_at(12 * 3600).await;
    let mut c = t.client().await;
    let omitted = paid(&mut c, "recon-omit", Some("omit")).await;
    let wrong = paid(&mut c, "recon-wrong", Some("wrong_amount")).await;
    let twice = paid(&mut c, "recon-twice", Some("duplicate")).await;
    // Paid after paycore closed it: the buyer paid a code a close never reached.
    let late = create(
        &mut c,
        create_request("recon-late", Some("pay_after_close")),
    )
    .await;
    close(&mut c, &late.id).await;
    let (code, _) = http(
        t.http_addr(),
        "POST",
        &format!("/sandbox/pay/{}", late.id),
        &[],
        b"",
    )
    .await;
    assert_eq!(code, 200);
    clock.advance(DAY);

    let mut r = recon(&t).await;
    let first = run(&mut r, day).await;
    assert_eq!(first.status, v1::RunStatus::Completed as i32, "{first:?}");
    let found = differences(&mut r, day).await;
    let mut kinds: Vec<(v1::DifferenceKind, String)> =
        found.iter().map(|d| (kind_of(d), d.item.clone())).collect();
    kinds.sort();
    let mut expected = vec![
        (v1::DifferenceKind::MissingAtProvider, omitted.id.clone()),
        (v1::DifferenceKind::AmountMismatch, wrong.id.clone()),
        (v1::DifferenceKind::Duplicate, twice.id.clone()),
        (v1::DifferenceKind::NotSucceededInPaycore, late.id.clone()),
    ];
    expected.sort();
    assert_eq!(kinds, expected, "{found:#?}");
    assert!(
        found
            .iter()
            .all(|d| status(d) == v1::DifferenceStatus::Open)
    );
    let amount = found.iter().find(|d| d.item == wrong.id).unwrap();
    assert_eq!(
        amount.provider_amount_minor,
        Some(amount.paycore_amount_minor.unwrap() + 1)
    );
    assert!(
        found
            .iter()
            .find(|d| d.item == late.id)
            .unwrap()
            .detail
            .contains("after paycore ended it")
    );

    // An operator resolves one; a re-run keeps it resolved and duplicates nothing.
    let resolved = r
        .resolve_difference(v1::ResolveDifferenceRequest {
            id: amount.id.clone(),
            resolved_by: "finance@example.com".into(),
            note: "the provider corrected its fee table".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .difference
        .unwrap();
    assert_eq!(status(&resolved), v1::DifferenceStatus::Resolved);
    assert_eq!(resolved.resolved_by, "finance@example.com");
    let again = r
        .resolve_difference(v1::ResolveDifferenceRequest {
            id: amount.id.clone(),
            resolved_by: "someone else".into(),
            note: "again".into(),
        })
        .await
        .unwrap_err();
    assert_reason(
        &again,
        tonic::Code::FailedPrecondition,
        "DIFFERENCE_NOT_OPEN",
    );

    run(&mut r, day).await;
    let rerun = differences(&mut r, day).await;
    assert_eq!(rerun.len(), 4, "{rerun:#?}");
    let kept = rerun.iter().find(|d| d.id == amount.id).unwrap();
    assert_eq!(status(kept), v1::DifferenceStatus::Resolved);
    assert_eq!(kept.resolution, "the provider corrected its fee table");
    assert_eq!(
        rerun
            .iter()
            .filter(|d| status(d) == v1::DifferenceStatus::Open)
            .count(),
        3
    );
    let (_, metrics) = http(t.http_addr(), "GET", "/metrics", &[], b"").await;
    for series in [
        "paycore_reconciliation_runs_total{channel=\"sandbox\",status=\"COMPLETED\"} 2",
        "paycore_reconciliation_open_differences{channel=\"sandbox\"} 3",
        "paycore_reconciliation_differences_total{channel=\"sandbox\",kind=\"DUPLICATE\"} 2",
    ] {
        assert!(metrics.contains(series), "{series} in\n{metrics}");
    }
    t.stop().await;
}

#[tokio::test]
async fn a_provider_success_paycore_missed_is_healed_by_a_sync_and_recorded() {
    let (t, clock, day) = server_at(12 * 3600).await;
    let mut c = t.client().await;
    // The sandbox took it but the answer was lost: UNKNOWN here, paid there.
    let p = create(&mut c, create_request("recon-heal", Some("timeout"))).await;
    assert_eq!(status_of(&p), v1::PaymentStatus::Unknown);
    clock.advance(DAY);
    let mut r = recon(&t).await;
    let done = run(&mut r, day).await;
    assert_eq!(done.summary.unwrap().healed, 1);
    let found = differences(&mut r, day).await;
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        kind_of(&found[0]),
        v1::DifferenceKind::NotSucceededInPaycore
    );
    assert_eq!(status(&found[0]), v1::DifferenceStatus::Resolved);
    assert_eq!(found[0].resolved_by, "paycore");
    assert!(found[0].resolution.contains("SUCCEEDED"), "{:?}", found[0]);
    assert_eq!(
        status_of(&get(&mut c, &p.id).await),
        v1::PaymentStatus::Succeeded
    );
    // The sync wrote the payment as it is, its attempt included: the event says so.
    let events = t
        .server
        .services
        .store
        .payment_events(&p.id.parse().unwrap())
        .await
        .unwrap();
    let succeeded = events
        .iter()
        .find(|e| e.event_type == "payment.succeeded")
        .unwrap();
    let attempt = &p.attempts[0].id;
    assert!(
        String::from_utf8_lossy(&succeeded.payload).contains(attempt.as_str()),
        "{attempt} in the event"
    );
    t.stop().await;
}

#[tokio::test]
async fn a_payment_near_midnight_waits_for_the_next_days_statement() {
    // 23:50 UTC: within the 30 minutes carried over.
    let (t, clock, day) = server_at(24 * 3600 - 600).await;
    let mut c = t.client().await;
    let next_day = paid(&mut c, "recon-midnight", Some("next_day")).await;
    let never = paid(&mut c, "recon-midnight-never", Some("omit")).await;
    // Past the end of the next day too.
    clock.advance(DAY + Duration::from_secs(1200));
    let mut r = recon(&t).await;
    let first = run(&mut r, day).await;
    let s = first.summary.unwrap();
    assert_eq!((s.carried, s.differences), (2, 0), "{s:?}");
    let waiting = differences(&mut r, day).await;
    assert!(
        waiting
            .iter()
            .all(|d| status(d) == v1::DifferenceStatus::Carried),
        "{waiting:#?}"
    );

    let second = run(&mut r, day.next()).await;
    assert_eq!(second.status, v1::RunStatus::Completed as i32, "{second:?}");
    let after = differences(&mut r, day).await;
    let of = |id: &str| status(after.iter().find(|d| d.item == id).unwrap());
    assert_eq!(of(&next_day.id), v1::DifferenceStatus::Cleared);
    assert_eq!(of(&never.id), v1::DifferenceStatus::Open);
    // The next day's own run found nothing of its own.
    assert!(differences(&mut r, day.next()).await.is_empty());
    t.stop().await;
}

#[tokio::test]
async fn a_run_is_refused_while_another_holds_the_channels_day_and_for_a_day_not_ended() {
    let (t, clock, day) = server_at(12 * 3600).await;
    let yesterday = day.minus(1);
    let now: Timestamp = t.server.services.clock.now();
    let held = t
        .server
        .services
        .store
        .acquire_lease(
            &format!("reconcile:sandbox:{yesterday}"),
            "another node",
            now,
            now.saturating_add(Duration::from_secs(60)),
        )
        .await
        .unwrap();
    assert!(held);
    let mut r = recon(&t).await;
    let busy = r
        .run_reconciliation(v1::RunReconciliationRequest {
            channel_id: "sandbox".into(),
            day: yesterday.to_string(),
        })
        .await
        .unwrap_err();
    assert_reason(&busy, tonic::Code::Aborted, "RECONCILIATION_RUNNING");
    // The holder dies mid-run: its run stays RUNNING until its lease expires and another
    // run of the day ends it.
    let stale = Run {
        id: RunId::generate(now.as_millis()),
        channel_id: ChannelId::parse("sandbox").unwrap(),
        day: yesterday,
        trigger: Trigger::Schedule,
        status: RunStatus::Running,
        error: None,
        summary: Summary::default(),
        started_at: now,
        finished_at: None,
    };
    t.server.services.store.insert_run(&stale).await.unwrap();
    clock.advance(Duration::from_secs(61));
    let after = run(&mut r, yesterday).await;
    assert_eq!(after.status, v1::RunStatus::Completed as i32);
    let ended = r
        .get_run(v1::GetRunRequest {
            id: stale.id.to_string(),
        })
        .await
        .unwrap()
        .into_inner()
        .run
        .unwrap();
    assert_eq!(
        (ended.status, ended.error_code.as_str()),
        (v1::RunStatus::Failed as i32, "RECONCILIATION_ABANDONED")
    );
    let today = r
        .run_reconciliation(v1::RunReconciliationRequest {
            channel_id: "sandbox".into(),
            day: day.to_string(),
        })
        .await
        .unwrap_err();
    assert_reason(&today, tonic::Code::InvalidArgument, "INVALID_REQUEST");
    let merchant = ReconciliationServiceClient::with_interceptor(
        t.channel().await,
        Bearer::for_key(&t.api_key),
    )
    .list_runs(v1::ListRunsRequest::default())
    .await
    .unwrap_err();
    assert_eq!(merchant.code(), tonic::Code::Unauthenticated);
    t.stop().await;
}

#[tokio::test]
async fn the_daily_schedule_reconciles_yesterday_once_across_two_nodes() {
    let schedule = "[reconciliation]\ncheck_secs = 1\n\
                    [[reconciliation.schedule]]\nchannel = \"sandbox\"\nat = \"00:00\"\n";
    let a = TestServer::start_with(schedule).await;
    let b = a.another_node().await;
    let yesterday = Day::of(a.server.services.clock.now(), 0).minus(1);
    let r = recon(&a).await;
    let list = |mut r: Recon| async move {
        r.list_runs(v1::ListRunsRequest {
            channel_id: "sandbox".into(),
            day: yesterday.to_string(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .runs
    };
    let runs = eventually(|| {
        let r = r.clone();
        async move { Some(list(r).await).filter(|runs| !runs.is_empty()) }
    })
    .await;
    assert_eq!(runs[0].trigger, "SCHEDULE");
    // Both nodes look every second; the day stays reconciled once.
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let runs = list(r.clone()).await;
    assert_eq!(runs.len(), 1, "{runs:#?}");
    assert_eq!(runs[0].status, v1::RunStatus::Completed as i32);
    b.stop().await;
    a.stop().await;
}

#[tokio::test]
async fn the_days_succeeded_items_are_paged_once_each_even_at_one_instant() {
    use paycore::storage::reconciliation::ItemKind;
    let (t, _clock, day) = server_at(12 * 3600).await;
    let mut c = t.client().await;
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(paid(&mut c, &format!("recon-page-{i}"), None).await.id);
    }
    // Three of them at one instant, so a page can end inside a run of equal times.
    let instant = day.start(0).as_micros() + 3600 * 1_000_000;
    t.execute_sql(&format!(
        "UPDATE payments SET paid_at = {instant} WHERE id IN ('{}', '{}', '{}')",
        ids[0], ids[2], ids[4]
    ))
    .await;
    let channel = ChannelId::parse("sandbox").unwrap();
    let window = (day.start(0), day.next().start(0));
    let (mut seen, mut after) = (Vec::new(), None);
    loop {
        let page = t
            .server
            .services
            .store
            .succeeded_on(ItemKind::Payment, &channel, window, after.as_ref(), 2)
            .await
            .unwrap();
        let Some(last) = page.last().cloned() else {
            break;
        };
        seen.extend(page.into_iter().map(|s| (s.at, s.id)));
        assert!(seen.len() <= ids.len(), "a page repeats: {seen:?}");
        after = Some(last);
    }
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted, "in (time, id) order");
    let mut found: Vec<String> = seen.into_iter().map(|(_, id)| id).collect();
    found.sort();
    ids.sort();
    assert_eq!(found, ids, "each once");
    t.stop().await;
}
