//! Alipay trade statements against the loopback gateway: payments and refunds made through
//! paycore come back as lines of the simulator's bill for their China day, and each way a
//! bill can be bad is refused with its code.

use std::sync::Arc;
use std::time::Duration;

use paycore::domain::{Day, SystemClock};
use paycore::provider::Provider;
use paycore::provider::alipay::{Alipay, Settings};
use paycore::provider::executor::Executor;
use paycore::provider::keys;
use paycore::provider::statement::{
    LineKind, LineStatus, ProviderTotals, StatementError, StatementLine,
};
use rsa::pkcs1v15::{SigningKey, VerifyingKey};

use crate::refunds::{refund, refund_request, refunds};
use crate::sim_alipay::{APP_ID, AlipaySim, Bill};
use crate::support::*;

const KEYS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/keys");

/// The adapter for the simulator's account, as a reconciliation run would build it.
fn adapter(sim: &AlipaySim) -> Alipay {
    let key = |name: &str| std::fs::read_to_string(format!("{KEYS}/{name}")).unwrap();
    Alipay::new(
        Settings {
            app_id: APP_ID.into(),
            private_key: SigningKey::new(keys::private_key(&key("merchant_pkcs8.pem")).unwrap()),
            alipay_public_key: VerifyingKey::new(
                keys::public_key(&key("alipay_platform_public.pem")).unwrap(),
            ),
            gateway_url: sim.gateway_url(),
            notify_url: "http://127.0.0.1:1/callbacks/alipay-main".into(),
        },
        Executor::new(Duration::from_secs(5)).unwrap(),
        Arc::new(SystemClock),
    )
}

/// Every line of `day`'s statement, read in small batches, and its totals.
async fn statement(
    channel: &Alipay,
    day: &str,
) -> Result<(Vec<StatementLine>, ProviderTotals), StatementError> {
    let mut reader = channel.statement(Day::parse(day).unwrap()).await?;
    let mut lines = Vec::new();
    loop {
        let batch = reader.next_batch(2).await?;
        if batch.is_empty() {
            break;
        }
        lines.extend(batch);
    }
    Ok((lines, reader.totals().unwrap()))
}

fn ids(lines: &[StatementLine]) -> Vec<(LineKind, Option<&str>, i64, i64)> {
    lines
        .iter()
        .map(|l| {
            (
                l.kind.clone(),
                l.payment_id.as_deref(),
                l.amount_minor,
                l.fee_minor,
            )
        })
        .collect()
}

#[tokio::test]
async fn payments_and_refunds_are_listed_on_their_china_day() {
    let sim = AlipaySim::start().await;
    let t = TestServer::start_with(&crate::alipay::channel("alipay-main", &sim, 1)).await;
    let mut c = t.client().await;
    let mut r = refunds(&t, &t.api_key).await;

    let noon = create(&mut c, create_request("ali-stmt-1", None)).await;
    sim.set_time("2026-11-22 12:00:04");
    sim.pay(&noon.id).await;
    sim.set_time("2026-11-22 13:00:00");
    let refunded = refund(&mut r, refund_request(&noon.id, "ali-stmt-r1", Some(300))).await;
    // Paid a second before midnight in China, and a second after: two China days, though
    // both are 2026-11-22 in UTC.
    let late = create(&mut c, create_request("ali-stmt-2", None)).await;
    sim.set_time("2026-11-22 23:59:59");
    sim.pay(&late.id).await;
    let next_day = create(&mut c, create_request("ali-stmt-3", None)).await;
    sim.set_time("2026-11-23 00:00:01");
    sim.pay(&next_day.id).await;
    // Paid at Alipay, unknown to paycore: the bill lists it all the same.
    sim.add_paid_order("shop-direct-1", "5.00", "2026-11-22 18:00:00");

    let channel = adapter(&sim);
    assert_eq!(channel.statement_offset_secs(), 8 * 3600);
    let (lines, totals) = statement(&channel, "2026-11-22").await.unwrap();
    assert_eq!(
        ids(&lines),
        [
            (LineKind::Payment, Some(noon.id.as_str()), 1000, 6),
            (LineKind::Refund, Some(noon.id.as_str()), 300, -2),
            (LineKind::Payment, Some("shop-direct-1"), 500, 3),
            (LineKind::Payment, Some(late.id.as_str()), 1000, 6),
        ]
    );
    let paid = get(&mut c, &noon.id).await;
    assert_eq!(
        lines[0].transaction_id.as_deref(),
        Some(paid.provider_transaction_id.as_str())
    );
    assert_eq!(lines[1].refund_id.as_deref(), Some(refunded.id.as_str()));
    assert_eq!(
        lines[1].provider_refund_id.as_deref(),
        Some(refunded.provider_refund_id.as_str()),
        "the refund's id as paycore keeps it"
    );
    assert!(
        lines
            .iter()
            .all(|l| l.currency == "CNY" && l.status == LineStatus::Succeeded && l.number >= 6)
    );
    assert_eq!(
        lines[3]
            .at
            .map(|t| Day::of(t, channel.statement_offset_secs()).to_string()),
        Some("2026-11-22".into())
    );
    assert_eq!(
        totals,
        ProviderTotals {
            payments: 3,
            payment_minor: 2500,
            refunds: 1,
            refund_minor: 300,
            fee_minor: 13,
        }
    );
    assert!(
        sim.calls()
            .contains(&"alipay.data.dataservice.bill.downloadurl.query".to_owned())
    );

    let (lines, totals) = statement(&channel, "2026-11-23").await.unwrap();
    assert_eq!(
        ids(&lines),
        [(LineKind::Payment, Some(next_day.id.as_str()), 1000, 6)]
    );
    assert_eq!((totals.payments, totals.refunds), (1, 0));
    let (lines, totals) = statement(&channel, "2026-11-21").await.unwrap();
    assert!(lines.is_empty());
    assert_eq!(totals, ProviderTotals::default());
    t.stop().await;
}

/// The error of `day`'s statement when the simulator serves its bills as `bill`.
async fn refused(bill: Bill) -> StatementError {
    let sim = AlipaySim::start().await;
    sim.add_paid_order("shop-direct-1", "10.00", "2026-11-22 12:00:04");
    sim.add_paid_order("shop-direct-2", "0.50", "2026-11-22 12:30:00");
    sim.set_bill(bill);
    match statement(&adapter(&sim), "2026-11-22").await {
        Ok((lines, _)) => panic!("{bill:?} read as {} lines", lines.len()),
        Err(e) => e,
    }
}

#[tokio::test]
async fn a_truncated_bill_archive_is_refused() {
    let e = refused(Bill::Truncated).await;
    assert_eq!(e.code, StatementError::TRUNCATED, "{e}");
}

#[tokio::test]
async fn a_bill_that_is_not_gbk_is_refused() {
    let e = refused(Bill::Utf8).await;
    assert_eq!(e.code, StatementError::ENCODING, "{e}");
    assert!(e.message.contains("业务明细.csv: line 1"), "{e}");
}

#[tokio::test]
async fn a_renamed_column_is_named() {
    let e = refused(Bill::RenamedColumn).await;
    assert_eq!(e.code, StatementError::COLUMNS, "{e}");
    assert!(e.message.contains("no column 商户订单号"), "{e}");
}

#[tokio::test]
async fn footer_totals_that_do_not_add_up_are_refused() {
    let e = refused(Bill::TotalsOff).await;
    assert_eq!(e.code, StatementError::TOTALS, "{e}");
    assert!(e.message.contains("footer"), "{e}");
}

#[tokio::test]
async fn an_expired_download_url_fails_the_download() {
    let e = refused(Bill::Expired).await;
    assert_eq!(e.code, StatementError::DOWNLOAD_FAILED, "{e}");
    assert!(e.message.contains("HTTP 404"), "{e}");
}

#[tokio::test]
async fn a_bill_not_made_yet_is_not_ready_and_other_answers_are_errors() {
    let e = refused(Bill::Error("isp.bill_not_exist")).await;
    assert_eq!(e.code, StatementError::NOT_READY, "{e}");
    let e = refused(Bill::Error("isv.invalid-arguments")).await;
    assert_eq!(e.code, StatementError::PROVIDER_ERROR, "{e}");
    assert!(e.message.contains("isv.invalid-arguments"), "{e}");
}
