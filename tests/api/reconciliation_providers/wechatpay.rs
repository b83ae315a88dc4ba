//! WeChat Pay: the simulator's trade bill of a China day, reconciled through the server.

use paycore::domain::Day;
use paycore::domain::time::CHINA_OFFSET_SECS;
use paycore::proto::v1;
use paycore::provider::statement::StatementError;

use super::{Recon, end_of, kinds, server, status};
use crate::refunds::{refund, refund_request, refunds};
use crate::sim_wechatpay::{API_V3_KEY, BillFault, Mode, WechatSim};
use crate::support::*;

const CHANNEL: &str = "wechat-main";
/// 2026-11-22 12:00:00 in China.
const NOON: i64 = 1_795_320_000;

/// The China day of the simulator's payments (its callbacks say 12:00:04 on it).
fn day() -> Day {
    Day::parse("2026-11-22").unwrap()
}

async fn start() -> (TestServer, std::sync::Arc<ShiftedClock>, WechatSim) {
    let sim = WechatSim::start().await;
    let (t, clock) = server(&crate::wechatpay::channel(CHANNEL, &sim, 1)).await;
    (t, clock, sim)
}

/// A payment made through paycore, paid at WeChat Pay at `at` (Unix seconds), and the
/// callback delivered.
async fn paid(c: &mut Client, sim: &WechatSim, order: &str, at: i64) -> v1::Payment {
    let p = create(c, create_request(order, None)).await;
    let (code, _) = sim.pay(&p.id).await;
    assert_eq!(code, 204);
    sim.set_paid_at(&p.id, at);
    let p = get(c, &p.id).await;
    assert_eq!(status_of(&p), v1::PaymentStatus::Succeeded);
    p
}

#[tokio::test]
async fn a_china_day_that_agrees_matches_every_line() {
    let (t, clock, sim) = start().await;
    let mut c = t.client().await;
    let a = paid(&mut c, &sim, "wx-recon-a", NOON).await;
    paid(&mut c, &sim, "wx-recon-b", NOON + 60).await;
    let mut r = refunds(&t, &t.api_key).await;
    let back = refund(&mut r, refund_request(&a.id, "wx-recon-a-r1", Some(400))).await;
    assert_eq!(
        v1::RefundStatus::try_from(back.status).unwrap(),
        v1::RefundStatus::Succeeded
    );
    sim.set_refund_time(&back.id, NOON + 3600);
    end_of(&clock, day(), CHINA_OFFSET_SECS);

    let mut recon = Recon::new(&t, CHANNEL).await;
    let (_, s) = recon.completed(day()).await;
    assert_eq!((s.lines, s.matched, s.differences), (3, 3, 0), "{s:#?}");
    assert_eq!(
        (s.payments, s.payment_minor, s.refunds, s.refund_minor),
        (2, 2000, 1, 400)
    );
    // 0.06 yuan a payment, 0.024 back on the refund, rounded a line at a time.
    assert_eq!(s.fee_minor, 10);
    let totals = s.provider_totals.unwrap();
    assert_eq!(
        (
            totals.payments + totals.refunds,
            totals.payment_minor,
            totals.refund_minor
        ),
        (3, 2000, 400),
        "{totals:?}"
    );
    assert!(recon.differences(day()).await.is_empty());
    assert!(
        sim.calls().contains(&"GET /v3/bill/tradebill".to_owned()),
        "{:?}",
        sim.calls()
    );
    t.stop().await;
}

#[tokio::test]
async fn a_payment_belongs_to_its_china_day_not_its_utc_day() {
    let (t, clock, sim) = start().await;
    let mut c = t.client().await;
    paid(&mut c, &sim, "wx-recon-noon", NOON).await;
    // 07:00 on the 23rd in China is 23:00 on the 22nd in UTC: paycore hears so from the
    // callback, and WeChat Pay books it then.
    let early = create(&mut c, create_request("wx-recon-early", None)).await;
    let order = sim.pay_silently(&early.id);
    sim.set_paid_at(&early.id, NOON + 19 * 3600);
    let mut transaction = sim.transaction(&early.id, &order);
    transaction["success_time"] = "2026-11-23T07:00:00+08:00".into();
    let body = sim.callback_body(&transaction, API_V3_KEY);
    let headers = sim.signed_headers(unix_now(), body.as_bytes());
    let (code, _) = sim
        .deliver(&sim.notify_url(&early.id), headers, &body)
        .await;
    assert_eq!(code, 204);
    end_of(&clock, day().next(), CHINA_OFFSET_SECS);

    let mut recon = Recon::new(&t, CHANNEL).await;
    for d in [day(), day().next()] {
        let (_, s) = recon.completed(d).await;
        assert_eq!(
            (s.lines, s.matched, s.differences),
            (1, 1, 0),
            "{d}: {s:#?}"
        );
        assert!(recon.differences(d).await.is_empty(), "{d}");
    }
    t.stop().await;
}

#[tokio::test]
async fn a_row_paycore_never_made_is_missing_in_paycore_once() {
    let (t, clock, sim) = start().await;
    let mut c = t.client().await;
    paid(&mut c, &sim, "wx-recon-known", NOON).await;
    sim.set_bill_fault(Some(BillFault::ExtraRow));
    end_of(&clock, day(), CHINA_OFFSET_SECS);

    let mut recon = Recon::new(&t, CHANNEL).await;
    let (first, s) = recon.completed(day()).await;
    assert_eq!((s.lines, s.matched, s.differences), (2, 1, 1), "{s:#?}");
    let found = recon.differences(day()).await;
    let unknown = "4200000000202611229999999999";
    assert_eq!(
        kinds(&found),
        [(v1::DifferenceKind::MissingInPaycore, unknown.to_owned())],
        "{found:#?}"
    );
    let d = &found[0];
    assert_eq!(
        (d.transaction_id.as_str(), d.payment_id.as_str()),
        (unknown, "wx-unknown-order")
    );
    assert_eq!(
        (d.provider_amount_minor, d.paycore_amount_minor),
        (Some(1234), None)
    );
    assert_eq!(d.run_id, first.id);

    let (again, _) = recon.completed(day()).await;
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
    paid(&mut c, &sim, "wx-recon-listed", NOON).await;
    // WeChat Pay books it two days later: the day's bill does not list it.
    let unlisted = paid(&mut c, &sim, "wx-recon-unlisted", NOON + 2 * 86_400).await;
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
    assert_eq!(
        (
            found[0].paycore_amount_minor,
            found[0].provider_amount_minor
        ),
        (Some(1000), None)
    );
    assert!(found[0].detail.contains("does not list it"), "{found:#?}");
    t.stop().await;
}

/// Runs the day once with each broken bill; each run fails with its code and leaves the
/// day's differences as `kept`.
async fn each_fails(
    recon: &mut Recon,
    sim: &WechatSim,
    broken: &[(Option<BillFault>, Mode, &'static str)],
    kept: &[v1::Difference],
) {
    for (fault, mode, code) in broken {
        sim.set_bill_fault(*fault);
        sim.set_mode(mode.clone());
        recon.failed(day(), code).await;
        assert_eq!(recon.differences(day()).await, kept, "{fault:?} {mode:?}");
    }
    sim.set_bill_fault(None);
    sim.set_mode(Mode::Normal);
}

#[tokio::test]
async fn a_bill_that_cannot_be_read_whole_fails_the_run_and_changes_no_difference() {
    let (t, clock, sim) = start().await;
    let mut c = t.client().await;
    paid(&mut c, &sim, "wx-recon-bad-1", NOON).await;
    paid(&mut c, &sim, "wx-recon-bad-2", NOON + 60).await;
    sim.add_paid_order("wx-direct-1", 500, NOON + 120);
    end_of(&clock, day(), CHINA_OFFSET_SECS);
    let broken = [
        (
            Some(BillFault::WrongHash),
            Mode::Normal,
            StatementError::HASH_MISMATCH,
        ),
        (
            Some(BillFault::TruncatedGzip),
            Mode::Normal,
            StatementError::TRUNCATED,
        ),
        (Some(BillFault::Gbk), Mode::Normal, StatementError::ENCODING),
        (
            Some(BillFault::RenamedColumn),
            Mode::Normal,
            StatementError::COLUMNS,
        ),
        (
            Some(BillFault::SummaryOffByOne),
            Mode::Normal,
            StatementError::TOTALS,
        ),
        (
            Some(BillFault::ExpiredUrl),
            Mode::Normal,
            StatementError::DOWNLOAD_FAILED,
        ),
        (
            None,
            Mode::Error(400, "NO_STATEMENT_EXIST"),
            StatementError::NOT_READY,
        ),
        (
            None,
            Mode::Error(500, "SYSTEM_ERROR"),
            StatementError::PROVIDER_ERROR,
        ),
        (None, Mode::Unsigned(200), StatementError::PROVIDER_ERROR),
    ];
    let mut recon = Recon::new(&t, CHANNEL).await;
    each_fails(&mut recon, &sim, &broken, &[]).await;

    let (completed, s) = recon.completed(day()).await;
    assert_eq!((s.lines, s.matched, s.differences), (3, 2, 1), "{s:#?}");
    let kept = recon.differences(day()).await;
    assert_eq!(
        kinds(&kept),
        [(
            v1::DifferenceKind::MissingInPaycore,
            sim.order("wx-direct-1").unwrap().transaction_id
        )]
    );
    each_fails(&mut recon, &sim, &broken, &kept).await;
    let runs = recon.runs(day()).await;
    assert_eq!(runs.len(), 2 * broken.len() + 1);
    assert_eq!(runs[broken.len()], completed);
    t.stop().await;
}
