//! Stripe: the simulator's balance transactions of a UTC day, reconciled through the server.

use std::time::Duration;

use paycore::domain::{Clock, Day};
use paycore::proto::v1;
use paycore::provider::statement::StatementError;
use tonic::Code;
use tonic_types::StatusExt;

use super::{Recon, end_of, kinds, server, status};
use crate::refunds::{refund, refund_request, refunds};
use crate::sim_stripe::{Mode, PageFault, StripeSim};
use crate::support::*;

const CHANNEL: &str = "stripe-main";
const HOUR: i64 = 3600;

/// A server with a Stripe channel whose clock stands at the next 12:00 UTC, and that day.
async fn start() -> (
    TestServer,
    std::sync::Arc<ShiftedClock>,
    StripeSim,
    Day,
    tempfile::TempDir,
) {
    let dir = tempfile::tempdir().unwrap();
    let sim = StripeSim::start().await;
    let (t, clock) = server(&stripe_channel(CHANNEL, &sim.base_url(), 1, dir.path())).await;
    let now = clock.now().as_secs();
    clock.advance(Duration::from_secs(
        (12 * HOUR - now).rem_euclid(24 * HOUR) as u64
    ));
    let day = Day::of(clock.now(), 0);
    (t, clock, sim, day, dir)
}

/// The Unix second `secs` into `day`.
fn at(day: Day, secs: i64) -> i64 {
    day.start(0).as_secs() + secs
}

/// A card payment made through paycore (paid at once), its charge created at `created`.
async fn paid(c: &mut Client, sim: &StripeSim, order: &str, created: i64) -> v1::Payment {
    let p = create(c, card(order, "pm_card_visa")).await;
    assert_eq!(status_of(&p), v1::PaymentStatus::Succeeded);
    sim.set_created(&p.provider_transaction_id, created);
    p
}

#[tokio::test]
async fn a_utc_day_that_agrees_matches_every_line() {
    let (t, clock, sim, day, _dir) = start().await;
    let mut c = t.client().await;
    let a = paid(&mut c, &sim, "st-recon-a", at(day, 12 * HOUR)).await;
    paid(&mut c, &sim, "st-recon-b", at(day, 12 * HOUR + 60)).await;
    let mut r = refunds(&t, &t.api_key).await;
    let mut req = refund_request(&a.id, "st-recon-a-r1", Some(250));
    req.amount.as_mut().unwrap().currency = "USD".into();
    let back = refund(&mut r, req).await;
    assert_eq!(
        v1::RefundStatus::try_from(back.status).unwrap(),
        v1::RefundStatus::Succeeded
    );
    sim.set_created(&back.provider_refund_id, at(day, 13 * HOUR));
    // A payout is on the statement too: counted, not matched.
    sim.add_payout(5000, "usd", at(day, 14 * HOUR));

    let mut recon = Recon::new(&t, CHANNEL).await;
    let early = recon.try_run(day).await.unwrap_err();
    assert_eq!(early.code(), Code::InvalidArgument);
    let violation = &early.get_details_bad_request().unwrap().field_violations[0];
    assert_eq!(
        (violation.field.as_str(), violation.reason.as_str()),
        ("day", "DAY_NOT_ENDED")
    );
    end_of(&clock, day, 0);

    let (_, s) = recon.completed(day).await;
    assert_eq!(
        (s.lines, s.matched, s.ignored, s.differences),
        (4, 3, 1, 0),
        "{s:#?}"
    );
    assert_eq!(
        (s.payments, s.payment_minor, s.refunds, s.refund_minor),
        (2, 2000, 1, 250)
    );
    // 2.9% + 30 a charge; none back on the refund.
    assert_eq!(s.fee_minor, 2 * 59);
    assert!(recon.differences(day).await.is_empty());
    let windows: Vec<_> = sim
        .listings()
        .iter()
        .map(|q| {
            q.iter()
                .find(|(k, _)| k == "created[gte]")
                .map(|(_, v)| v.clone())
        })
        .collect();
    assert_eq!(windows, [Some(at(day, 0).to_string())]);
    t.stop().await;
}

#[tokio::test]
async fn a_charge_paycore_never_made_is_missing_in_paycore_once() {
    let (t, clock, sim, day, _dir) = start().await;
    let mut c = t.client().await;
    paid(&mut c, &sim, "st-recon-known", at(day, 12 * HOUR)).await;
    let elsewhere = sim.inject_charge(700, "usd", at(day, HOUR));
    end_of(&clock, day, 0);

    let mut recon = Recon::new(&t, CHANNEL).await;
    let (first, s) = recon.completed(day).await;
    assert_eq!((s.lines, s.matched, s.differences), (2, 1, 1), "{s:#?}");
    let found = recon.differences(day).await;
    assert_eq!(
        kinds(&found),
        [(v1::DifferenceKind::MissingInPaycore, elsewhere.clone())],
        "{found:#?}"
    );
    let d = &found[0];
    assert_eq!(
        (d.transaction_id.as_str(), d.payment_id.as_str()),
        (elsewhere.as_str(), "")
    );
    assert_eq!(
        (d.provider_amount_minor, d.currency.as_str()),
        (Some(700), "USD")
    );
    assert_eq!(d.run_id, first.id);

    let (again, _) = recon.completed(day).await;
    let rerun = recon.differences(day).await;
    assert_eq!(rerun.len(), 1, "{rerun:#?}");
    assert_eq!((&rerun[0].id, &rerun[0].run_id), (&d.id, &again.id));
    assert_eq!(status(&rerun[0]), v1::DifferenceStatus::Open);
    t.stop().await;
}

#[tokio::test]
async fn a_charge_outside_the_days_listing_is_missing_at_provider() {
    let (t, clock, sim, day, _dir) = start().await;
    let mut c = t.client().await;
    paid(&mut c, &sim, "st-recon-listed", at(day, 12 * HOUR)).await;
    // Stripe dates its balance transaction two days on: the day's listing lacks it.
    let unlisted = paid(&mut c, &sim, "st-recon-unlisted", at(day, 50 * HOUR)).await;
    end_of(&clock, day, 0);

    let mut recon = Recon::new(&t, CHANNEL).await;
    let (_, s) = recon.completed(day).await;
    assert_eq!((s.lines, s.matched, s.differences), (1, 1, 1), "{s:#?}");
    let found = recon.differences(day).await;
    assert_eq!(
        kinds(&found),
        [(v1::DifferenceKind::MissingAtProvider, unlisted.id.clone())],
        "{found:#?}"
    );
    assert_eq!(
        (found[0].paycore_amount_minor, found[0].currency.as_str()),
        (Some(1000), "USD")
    );
    t.stop().await;
}

/// Runs the day once with each broken listing; each run fails with its code and leaves the
/// day's differences as `kept`.
async fn each_fails(
    recon: &mut Recon,
    sim: &StripeSim,
    day: Day,
    broken: &[(Mode, PageFault, &'static str)],
    kept: &[v1::Difference],
) {
    for (mode, fault, code) in broken {
        sim.set_mode(mode.clone());
        sim.set_page_fault(*fault);
        recon.failed(day, code).await;
        assert_eq!(recon.differences(day).await, kept, "{mode:?} {fault:?}");
    }
    sim.set_mode(Mode::Normal);
    sim.set_page_fault(PageFault::None);
}

#[tokio::test]
async fn a_listing_that_cannot_be_read_whole_fails_the_run_and_changes_no_difference() {
    let (t, clock, sim, day, _dir) = start().await;
    let mut c = t.client().await;
    paid(&mut c, &sim, "st-recon-bad-1", at(day, 12 * HOUR)).await;
    paid(&mut c, &sim, "st-recon-bad-2", at(day, 12 * HOUR + 60)).await;
    sim.inject_charge(700, "usd", at(day, HOUR));
    // A page a transaction: a listing that goes wrong on its second page has had its first
    // page matched already.
    sim.set_page_size(1);
    end_of(&clock, day, 0);
    let broken = [
        (
            Mode::Error(500, "api_error"),
            PageFault::None,
            StatementError::PROVIDER_ERROR,
        ),
        (
            Mode::Normal,
            PageFault::Truncated,
            StatementError::MALFORMED,
        ),
        (Mode::Normal, PageFault::WrongNet, StatementError::MALFORMED),
        (
            Mode::Normal,
            PageFault::EmptyWithMore,
            StatementError::MALFORMED,
        ),
        (Mode::Normal, PageFault::SamePage, StatementError::MALFORMED),
    ];

    let mut recon = Recon::new(&t, CHANNEL).await;
    each_fails(&mut recon, &sim, day, &broken, &[]).await;
    let (completed, s) = recon.completed(day).await;
    assert_eq!((s.lines, s.matched, s.differences), (3, 2, 1), "{s:#?}");
    let kept = recon.differences(day).await;
    assert_eq!(kept.len(), 1);
    each_fails(&mut recon, &sim, day, &broken, &kept).await;
    let runs = recon.runs(day).await;
    assert_eq!(runs.len(), 2 * broken.len() + 1);
    assert_eq!(runs[broken.len()], completed);
    t.stop().await;
}
