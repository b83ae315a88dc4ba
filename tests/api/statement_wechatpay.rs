//! WeChat Pay statements: the adapter fetches the simulator's trade bills, built from the
//! payments and refunds it holds, and refuses the broken ones with the right reason.

use std::sync::Arc;
use std::time::Duration;

use paycore::domain::time::CHINA_OFFSET_SECS;
use paycore::domain::{Day, Secret, SystemClock, Timestamp};
use paycore::provider::Provider;
use paycore::provider::executor::Executor;
use paycore::provider::keys;
use paycore::provider::statement::{
    LineKind, LineStatus, ProviderTotals, StatementError, StatementLine,
};
use paycore::provider::wechatpay::{Settings, Wechatpay};
use rsa::pkcs1v15::{SigningKey, VerifyingKey};

use crate::sim_wechatpay::{
    API_V3_KEY, APPID, BillFault, MCHID, MERCHANT_SERIAL, Mode, PLATFORM_SERIAL, WechatSim,
    refund_id,
};
use crate::support::*;

/// 2026-11-22 12:00:00 in China.
const NOON: i64 = 1_795_320_000;
const DAY: &str = "2026-11-22";

fn adapter(sim: &WechatSim) -> Wechatpay {
    let keys = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/keys");
    let pem = |f: &str| std::fs::read_to_string(format!("{keys}/{f}")).unwrap();
    Wechatpay::new(
        Settings {
            mchid: MCHID.into(),
            appid: APPID.into(),
            merchant_serial_no: MERCHANT_SERIAL.into(),
            private_key: SigningKey::new(keys::private_key(&pem("merchant_pkcs8.pem")).unwrap()),
            platform_key: VerifyingKey::new(
                keys::public_key(&pem("wechat_platform_public.pem")).unwrap(),
            ),
            platform_serial: PLATFORM_SERIAL.into(),
            api_v3_key: Secret::new(API_V3_KEY.to_vec()),
            base_url: sim.base_url(),
            notify_url: "https://merchant.example/callbacks/wechat".into(),
        },
        Executor::new(Duration::from_secs(5)).unwrap(),
        Arc::new(SystemClock),
    )
}

/// Every line of `day`'s statement in small batches, and its totals; or why not.
async fn statement(
    channel: &Wechatpay,
    day: &str,
) -> Result<(Vec<StatementLine>, ProviderTotals), StatementError> {
    let mut reader = channel.statement(Day::parse(day).unwrap()).await?;
    assert!(reader.totals().is_none(), "totals before the end");
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

fn at(secs: i64) -> Option<Timestamp> {
    Some(Timestamp::from_micros(secs * 1_000_000))
}

#[tokio::test]
async fn a_days_payments_and_refunds_come_back_as_lines() {
    let sim = WechatSim::start().await;
    let t = TestServer::start_with(&crate::wechatpay::channel("wechat-main", &sim, 1)).await;
    let mut c = t.client().await;
    let mut r = crate::refunds::refunds(&t, &t.api_key).await;
    let first = create(&mut c, create_request("wx-stmt-1", None)).await;
    let second = create(&mut c, create_request("wx-stmt-2", None)).await;
    let late = create(&mut c, create_request("wx-stmt-3", None)).await;
    for p in [&first, &second, &late] {
        sim.pay(&p.id).await;
    }
    sim.set_paid_at(&first.id, NOON);
    sim.set_paid_at(&second.id, NOON + 60);
    // 00:00:05 the next China day: on the next day's bill.
    sim.set_paid_at(&late.id, NOON + 12 * 3600 + 5);
    let done = crate::refunds::refund(
        &mut r,
        crate::refunds::refund_request(&first.id, "wx-stmt-r1", Some(400)),
    )
    .await;
    sim.set_refund_status("PROCESSING");
    let pending = crate::refunds::refund(
        &mut r,
        crate::refunds::refund_request(&second.id, "wx-stmt-r2", None),
    )
    .await;
    sim.set_refund_time(&done.id, NOON + 3600);
    sim.set_refund_time(&pending.id, NOON + 7200);

    let channel = adapter(&sim);
    assert_eq!(channel.statement_offset_secs(), CHINA_OFFSET_SECS);
    let (lines, totals) = statement(&channel, DAY).await.unwrap();
    let tx = |id: &str| Some(sim.order(id).unwrap().transaction_id);
    let line = |number, kind, payment: &str, amount, fee, secs| StatementLine {
        number,
        kind,
        transaction_id: tx(payment),
        payment_id: Some(payment.to_owned()),
        refund_id: None,
        provider_refund_id: None,
        amount_minor: amount,
        currency: "CNY".into(),
        fee_minor: fee,
        status: LineStatus::Succeeded,
        at: at(secs),
    };
    let refund = |number, payment: &str, refund: &str, amount, fee, status, secs| StatementLine {
        refund_id: Some(refund.to_owned()),
        provider_refund_id: Some(refund_id(refund)),
        status,
        ..line(number, LineKind::Refund, payment, amount, fee, secs)
    };
    assert_eq!(
        lines,
        [
            // 0.6% of 10.00 is 0.06000.
            line(2, LineKind::Payment, &first.id, 1000, 6, NOON),
            line(3, LineKind::Payment, &second.id, 1000, 6, NOON + 60),
            // -0.02400 comes back on a 4.00 refund.
            refund(
                4,
                &first.id,
                &done.id,
                400,
                -2,
                LineStatus::Succeeded,
                NOON + 3600
            ),
            refund(
                5,
                &second.id,
                &pending.id,
                1000,
                -6,
                LineStatus::Processing,
                NOON + 7200
            ),
        ]
    );
    assert_eq!(
        totals,
        ProviderTotals {
            payments: 2,
            payment_minor: 2000,
            refunds: 2,
            refund_minor: 1400,
            // 0.12000 - 0.08400 = 0.03600 yuan.
            fee_minor: 4,
        }
    );
    let (next_day, _) = statement(&channel, "2026-11-23").await.unwrap();
    assert_eq!(next_day.len(), 1);
    assert_eq!(next_day[0].payment_id.as_deref(), Some(late.id.as_str()));
    let calls = sim.calls();
    assert!(
        calls.contains(&"GET /v3/bill/tradebill".to_owned()),
        "{calls:?}"
    );
    assert!(
        calls.contains(&"GET /v3/billdownload/file".to_owned()),
        "{calls:?}"
    );
    t.stop().await;
}

/// A simulator with one payment and a part refund on [`DAY`], paycore not involved.
async fn seeded() -> WechatSim {
    let sim = WechatSim::start().await;
    sim.add_paid_order("pay-seeded-1", 2500, NOON);
    sim.add_refund("rfd-seeded-1", "pay-seeded-1", 500, "SUCCESS", NOON + 60);
    sim
}

#[tokio::test]
async fn a_payment_paycore_never_made_is_a_line_too() {
    let sim = seeded().await;
    sim.set_bill_fault(Some(BillFault::ExtraRow));
    let (lines, totals) = statement(&adapter(&sim), DAY).await.unwrap();
    let ids: Vec<_> = lines
        .iter()
        .map(|l| l.payment_id.clone().unwrap())
        .collect();
    assert_eq!(ids, ["wx-unknown-order", "pay-seeded-1", "pay-seeded-1"]);
    assert_eq!(lines[0].amount_minor, 1234);
    assert_eq!((totals.payments, totals.payment_minor), (2, 3734));
}

#[tokio::test]
async fn the_legacy_layout_gives_the_same_lines() {
    let sim = seeded().await;
    let channel = adapter(&sim);
    let current = statement(&channel, DAY).await.unwrap();
    sim.set_bill_fault(Some(BillFault::Legacy));
    assert_eq!(statement(&channel, DAY).await.unwrap(), current);
    assert_eq!(current.0.len(), 2);
}

async fn refused(fault: Option<BillFault>, mode: Mode) -> StatementError {
    let sim = seeded().await;
    sim.set_bill_fault(fault);
    sim.set_mode(mode);
    let err = statement(&adapter(&sim), DAY).await.unwrap_err();
    assert!(!err.message.is_empty());
    err
}

#[tokio::test]
async fn a_wrong_hash_is_a_hash_mismatch() {
    let err = refused(Some(BillFault::WrongHash), Mode::Normal).await;
    assert_eq!(err.code, StatementError::HASH_MISMATCH, "{err}");
}

#[tokio::test]
async fn a_truncated_gzip_is_truncated() {
    let err = refused(Some(BillFault::TruncatedGzip), Mode::Normal).await;
    assert_eq!(err.code, StatementError::TRUNCATED, "{err}");
}

#[tokio::test]
async fn a_gbk_file_is_an_encoding_error() {
    let err = refused(Some(BillFault::Gbk), Mode::Normal).await;
    assert_eq!(err.code, StatementError::ENCODING, "{err}");
    assert!(err.message.contains("line 1"), "{err}");
}

#[tokio::test]
async fn a_renamed_column_is_a_columns_error() {
    let err = refused(Some(BillFault::RenamedColumn), Mode::Normal).await;
    assert_eq!(err.code, StatementError::COLUMNS, "{err}");
    assert!(err.message.contains("商户订单号"), "{err}");
}

#[tokio::test]
async fn a_summary_off_by_one_is_a_totals_error() {
    let err = refused(Some(BillFault::SummaryOffByOne), Mode::Normal).await;
    assert_eq!(err.code, StatementError::TOTALS, "{err}");
}

#[tokio::test]
async fn an_expired_download_link_is_a_failed_download() {
    let err = refused(Some(BillFault::ExpiredUrl), Mode::Normal).await;
    assert_eq!(err.code, StatementError::DOWNLOAD_FAILED, "{err}");
}

#[tokio::test]
async fn no_bill_yet_is_not_ready_and_a_500_is_a_provider_error() {
    let err = refused(None, Mode::Error(400, "NO_STATEMENT_EXIST")).await;
    assert_eq!(err.code, StatementError::NOT_READY, "{err}");
    let err = refused(None, Mode::Error(500, "SYSTEM_ERROR")).await;
    assert_eq!(err.code, StatementError::PROVIDER_ERROR, "{err}");
    assert!(err.message.contains("SYSTEM_ERROR"), "{err}");
    let err = refused(None, Mode::Unsigned(200)).await;
    assert_eq!(err.code, StatementError::PROVIDER_ERROR, "{err}");
}
