//! Alipay: the simulator's trade bill of a China day, reconciled through the server.

use paycore::domain::Day;
use paycore::domain::time::CHINA_OFFSET_SECS;
use paycore::proto::v1;
use paycore::provider::statement::StatementError;

use super::{Recon, end_of, kinds, server, status};
use crate::refunds::{refund, refund_request, refunds};
use crate::sim_alipay::{AlipaySim, Bill};
use crate::support::*;

const CHANNEL: &str = "alipay-main";

/// The China day the simulator's payments are made on (its notifications and queries say
/// they were paid at 12:00:04 on it).
fn day() -> Day {
    Day::parse("2026-11-22").unwrap()
}

async fn start() -> (TestServer, std::sync::Arc<ShiftedClock>, AlipaySim) {
    let sim = AlipaySim::start().await;
    let (t, clock) = server(&crate::alipay::channel(CHANNEL, &sim, 1)).await;
    (t, clock, sim)
}

/// A payment made through paycore and paid at Alipay (at the simulator's time).
async fn paid(c: &mut Client, sim: &AlipaySim, order: &str) -> v1::Payment {
    let p = create(c, create_request(order, None)).await;
    let (code, _) = sim.pay(&p.id).await;
    assert_eq!(code, 200);
    let p = get(c, &p.id).await;
    assert_eq!(status_of(&p), v1::PaymentStatus::Succeeded);
    p
}

#[tokio::test]
async fn a_china_day_that_agrees_matches_every_line() {
    let (t, clock, sim) = start().await;
    let mut c = t.client().await;
    let a = paid(&mut c, &sim, "ali-recon-a").await;
    paid(&mut c, &sim, "ali-recon-b").await;
    sim.set_time("2026-11-22 13:00:00");
    let mut r = refunds(&t, &t.api_key).await;
    let back = refund(&mut r, refund_request(&a.id, "ali-recon-a-r1", Some(300))).await;
    assert_eq!(
        v1::RefundStatus::try_from(back.status).unwrap(),
        v1::RefundStatus::Succeeded
    );
    end_of(&clock, day(), CHINA_OFFSET_SECS);

    let mut recon = Recon::new(&t, CHANNEL).await;
    let (first, s) = recon.completed(day()).await;
    assert_eq!(first.day, "2026-11-22");
    assert_eq!((s.lines, s.matched, s.differences), (3, 3, 0), "{s:#?}");
    assert_eq!(
        (s.payments, s.payment_minor, s.refunds, s.refund_minor),
        (2, 2000, 1, 300)
    );
    // 0.6%: 6 fen a payment, 2 back on the refund.
    assert_eq!(s.fee_minor, 10);
    assert_eq!(
        s.provider_totals,
        Some(v1::StatementTotals {
            payments: 2,
            payment_minor: 2000,
            refunds: 1,
            refund_minor: 300,
            fee_minor: 10,
        })
    );
    assert!(recon.differences(day()).await.is_empty());
    assert!(
        sim.calls()
            .contains(&"alipay.data.dataservice.bill.downloadurl.query".to_owned())
    );
    // The bill of the China day before lists none of them, and paycore has none there.
    let (_, before) = recon.completed(day().minus(1)).await;
    assert_eq!((before.lines, before.differences), (0, 0));
    t.stop().await;
}

#[tokio::test]
async fn a_trade_paycore_never_made_is_missing_in_paycore_once() {
    let (t, clock, sim) = start().await;
    let mut c = t.client().await;
    paid(&mut c, &sim, "ali-recon-known").await;
    let direct = sim.add_paid_order("shop-direct-1", "5.00", "2026-11-22 18:00:00");
    end_of(&clock, day(), CHINA_OFFSET_SECS);

    let mut recon = Recon::new(&t, CHANNEL).await;
    let (first, s) = recon.completed(day()).await;
    assert_eq!((s.lines, s.matched, s.differences), (2, 1, 1), "{s:#?}");
    let found = recon.differences(day()).await;
    assert_eq!(
        kinds(&found),
        [(
            v1::DifferenceKind::MissingInPaycore,
            direct.trade_no.clone()
        )],
        "{found:#?}"
    );
    let d = &found[0];
    assert_eq!(status(d), v1::DifferenceStatus::Open);
    assert_eq!(d.transaction_id, direct.trade_no);
    assert_eq!(d.payment_id, "shop-direct-1");
    assert_eq!(
        (d.provider_amount_minor, d.paycore_amount_minor),
        (Some(500), None)
    );
    assert_eq!(d.run_id, first.id);

    let (again, s) = recon.completed(day()).await;
    assert_eq!(s.differences, 1);
    let rerun = recon.differences(day()).await;
    assert_eq!(rerun.len(), 1, "{rerun:#?}");
    assert_eq!((&rerun[0].id, &rerun[0].run_id), (&d.id, &again.id));
    assert_eq!(status(&rerun[0]), v1::DifferenceStatus::Open);
    t.stop().await;
}

#[tokio::test]
async fn a_payment_the_bill_omits_is_missing_at_provider() {
    let (t, clock, sim) = start().await;
    let mut c = t.client().await;
    let listed = paid(&mut c, &sim, "ali-recon-listed").await;
    // paycore hears the trade was paid, but Alipay never took it: no bill lists it.
    let unlisted = create(&mut c, create_request("ali-recon-unlisted", None)).await;
    let (code, _) = sim
        .notify_paid(&unlisted.id, &sim.order(&unlisted.id).unwrap())
        .await;
    assert_eq!(code, 200);
    assert_eq!(
        status_of(&get(&mut c, &unlisted.id).await),
        v1::PaymentStatus::Succeeded
    );
    assert!(sim.order(&unlisted.id).unwrap().paid_at.is_none());
    end_of(&clock, day(), CHINA_OFFSET_SECS);

    let mut recon = Recon::new(&t, CHANNEL).await;
    let (_, s) = recon.completed(day()).await;
    assert_eq!((s.lines, s.matched, s.differences), (1, 1, 1), "{s:#?}");
    let found = recon.differences(day()).await;
    assert_eq!(
        kinds(&found),
        [(v1::DifferenceKind::MissingAtProvider, unlisted.id.clone())],
        "{found:#?}"
    );
    let d = &found[0];
    assert_eq!(d.payment_id, unlisted.id);
    assert_eq!(
        (d.paycore_amount_minor, d.provider_amount_minor, d.line),
        (Some(1000), None, None)
    );
    assert_ne!(d.item, listed.id);
    t.stop().await;
}

/// Runs the day once with each broken bill; each run fails with its code and leaves the
/// day's differences as `kept`.
async fn each_fails(
    recon: &mut Recon,
    sim: &AlipaySim,
    broken: &[(Bill, &'static str)],
    kept: &[v1::Difference],
) {
    for (bill, code) in broken {
        sim.set_bill(*bill);
        recon.failed(day(), code).await;
        assert_eq!(recon.differences(day()).await, kept, "{bill:?}");
    }
    sim.set_bill(Bill::Normal);
}

#[tokio::test]
async fn a_bill_that_cannot_be_read_whole_fails_the_run_and_changes_no_difference() {
    let (t, clock, sim) = start().await;
    let mut c = t.client().await;
    paid(&mut c, &sim, "ali-recon-bad-1").await;
    paid(&mut c, &sim, "ali-recon-bad-2").await;
    sim.add_paid_order("shop-direct-1", "5.00", "2026-11-22 18:00:00");
    end_of(&clock, day(), CHINA_OFFSET_SECS);
    let broken = [
        (Bill::Truncated, StatementError::TRUNCATED),
        (Bill::Utf8, StatementError::ENCODING),
        (Bill::RenamedColumn, StatementError::COLUMNS),
        (Bill::TotalsOff, StatementError::TOTALS),
        (Bill::Expired, StatementError::DOWNLOAD_FAILED),
        (Bill::Error("isp.bill_not_exist"), StatementError::NOT_READY),
        (
            Bill::Error("isv.invalid-arguments"),
            StatementError::PROVIDER_ERROR,
        ),
    ];

    let mut recon = Recon::new(&t, CHANNEL).await;
    each_fails(&mut recon, &sim, &broken, &[]).await;
    let (completed, s) = recon.completed(day()).await;
    assert_eq!((s.lines, s.matched, s.differences), (3, 2, 1), "{s:#?}");
    let kept = recon.differences(day()).await;
    assert_eq!(kept.len(), 1);
    each_fails(&mut recon, &sim, &broken, &kept).await;
    let runs = recon.runs(day()).await;
    assert_eq!(runs.len(), 2 * broken.len() + 1);
    assert_eq!(runs[broken.len()], completed);
    t.stop().await;
}
