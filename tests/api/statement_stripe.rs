//! Stripe statements: the adapter reads the simulator's balance transactions for a UTC day,
//! page by page, after payments and refunds made through the server; and each way a listing
//! goes wrong ends in its own error code, never in a short statement.

use std::sync::Arc;
use std::time::Duration;

use paycore::domain::{Clock, Day, Secret, SystemClock};
use paycore::provider::executor::Executor;
use paycore::provider::statement::{LineKind, LineStatus, ProviderTotals, StatementLine};
use paycore::provider::{Provider, StatementError, StatementReader, stripe};

use crate::sim_stripe::{Mode, PageFault, SECRET_KEY, StripeSim};
use crate::support::*;

/// A past UTC day: 2025-06-30.
fn day() -> Day {
    Day::parse("2025-06-30").unwrap()
}

fn start() -> i64 {
    day().start(0).as_secs()
}

fn adapter(base_url: &str, secret_key: &str) -> stripe::Stripe {
    stripe::Stripe::new(
        stripe::Settings {
            secret_key: Secret::new(secret_key.into()),
            webhook_secret: Secret::new("whsec_unused".into()),
            base_url: base_url.into(),
        },
        Executor::new(Duration::from_secs(5)).unwrap(),
        Arc::new(SystemClock),
    )
}

/// Every line, in batches of at most `max`, until the end.
async fn read_all(
    reader: &mut Box<dyn StatementReader>,
    max: usize,
) -> Result<Vec<StatementLine>, StatementError> {
    let mut lines = Vec::new();
    loop {
        let batch = reader.next_batch(max).await?;
        assert!(batch.len() <= max);
        if batch.is_empty() {
            return Ok(lines);
        }
        lines.extend(batch);
    }
}

async fn statement_of(sim: &StripeSim) -> Result<Vec<StatementLine>, StatementError> {
    let mut reader = adapter(&sim.base_url(), SECRET_KEY)
        .statement(day())
        .await?;
    read_all(&mut reader, 3).await
}

#[tokio::test]
async fn the_days_charges_refunds_and_other_lines_are_read_across_pages() {
    let dir = tempfile::tempdir().unwrap();
    let sim = StripeSim::start().await;
    let t = TestServer::start_with(&stripe_channel(
        "stripe-main",
        &sim.base_url(),
        1,
        dir.path(),
    ))
    .await;
    let mut c = t.client().await;
    let mut r = crate::refunds::refunds(&t, &t.api_key).await;
    let first = create(&mut c, card("stmt-1", "pm_card_visa")).await;
    let last = create(&mut c, card("stmt-2", "pm_card_visa")).await;
    let next_day = create(&mut c, card("stmt-3", "pm_card_visa")).await;
    let mut req = crate::refunds::refund_request(&first.id, "stmt-r-1", Some(250));
    req.amount.as_mut().unwrap().currency = "USD".into();
    let done = crate::refunds::refund(&mut r, req).await;
    sim.set_refund_status("pending");
    let mut req = crate::refunds::refund_request(&last.id, "stmt-r-2", None);
    req.amount = None;
    let pending = crate::refunds::refund(&mut r, req).await;

    // The first second of the day and its last; the next day's first is not in it.
    sim.set_created(&first.provider_transaction_id, start());
    sim.set_created(&last.provider_transaction_id, start() + 86_399);
    sim.set_created(&next_day.provider_transaction_id, start() + 86_400);
    sim.set_created(&done.provider_refund_id, start() + 12 * 3600);
    sim.set_created(&pending.provider_refund_id, start() + 13 * 3600);
    let elsewhere = sim.inject_charge(700, "usd", start() + 3600);
    let payout = sim.add_payout(5000, "usd", start() + 7200);
    sim.set_page_size(2);

    let channel = adapter(&sim.base_url(), SECRET_KEY);
    assert_eq!(channel.statement_offset_secs(), 0, "Stripe's day is UTC's");
    let mut reader = channel.statement(day()).await.unwrap();
    let lines = read_all(&mut reader, 4).await.unwrap();
    assert_eq!(
        lines.iter().map(|l| l.number).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5, 6]
    );
    let at = |secs: i64| Some(paycore::domain::Timestamp::from_micros(secs * 1_000_000));
    let payment = |p: &paycore::proto::v1::Payment, n: u64, secs: i64| StatementLine {
        number: n,
        kind: LineKind::Payment,
        transaction_id: Some(p.provider_transaction_id.clone()),
        payment_id: Some(p.id.clone()),
        refund_id: None,
        provider_refund_id: None,
        amount_minor: 1000,
        currency: "USD".into(),
        // 2.9% + 30.
        fee_minor: 59,
        status: LineStatus::Succeeded,
        at: at(secs),
    };
    let refund = |rf: &paycore::proto::v1::Refund,
                  of: &paycore::proto::v1::Payment,
                  n: u64,
                  secs: i64,
                  amount,
                  status| StatementLine {
        number: n,
        kind: LineKind::Refund,
        transaction_id: Some(of.provider_transaction_id.clone()),
        payment_id: None,
        refund_id: Some(rf.id.clone()),
        provider_refund_id: Some(rf.provider_refund_id.clone()),
        amount_minor: amount,
        currency: "USD".into(),
        fee_minor: 0,
        status,
        at: at(secs),
    };
    // Newest first, as Stripe lists them.
    assert_eq!(lines[0], payment(&last, 1, start() + 86_399));
    assert_eq!(
        lines[1],
        refund(
            &pending,
            &last,
            2,
            start() + 13 * 3600,
            1000,
            LineStatus::Processing
        )
    );
    assert_eq!(
        lines[2],
        refund(
            &done,
            &first,
            3,
            start() + 12 * 3600,
            250,
            LineStatus::Succeeded
        )
    );
    assert_eq!(lines[3].kind, LineKind::Other("payout".into()));
    assert_eq!((lines[3].amount_minor, lines[3].fee_minor), (5000, 0));
    assert!(!payout.is_empty());
    // A charge paycore never made: its intent, but no payment of paycore's.
    assert_eq!(lines[4].kind, LineKind::Payment);
    assert_eq!(lines[4].transaction_id.as_deref(), Some(elsewhere.as_str()));
    assert_eq!(lines[4].payment_id, None);
    assert_eq!((lines[4].amount_minor, lines[4].fee_minor), (700, 50));
    assert_eq!(lines[5], payment(&first, 6, start()));
    assert_eq!(
        reader.totals(),
        Some(ProviderTotals {
            payments: 3,
            payment_minor: 2700,
            refunds: 2,
            refund_minor: 1250,
            fee_minor: 59 + 59 + 50,
        })
    );

    // Three pages of two, each after the last one's final transaction, for the whole day.
    let listings = sim.listings();
    assert_eq!(listings.len(), 3);
    let param = |i: usize, key: &str| {
        listings[i]
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    for i in 0..3 {
        assert_eq!(param(i, "created[gte]"), Some(start().to_string()));
        assert_eq!(
            param(i, "created[lt]"),
            Some((start() + 86_400).to_string())
        );
        assert_eq!(param(i, "limit").as_deref(), Some("100"));
        assert_eq!(param(i, "expand[]").as_deref(), Some("data.source"));
    }
    assert_eq!(param(0, "starting_after"), None);
    let cursors = [param(1, "starting_after"), param(2, "starting_after")];
    assert!(
        cursors
            .iter()
            .all(|c| c.as_ref().is_some_and(|c| c.starts_with("txn_")))
    );
    assert_ne!(cursors[0], cursors[1]);
    t.stop().await;
}

#[tokio::test]
async fn a_day_that_has_not_ended_is_not_ready() {
    let sim = StripeSim::start().await;
    let today = Day::of(SystemClock.now(), 0);
    let err = adapter(&sim.base_url(), SECRET_KEY)
        .statement(today)
        .await
        .err()
        .unwrap();
    assert_eq!(err.code, StatementError::NOT_READY);
    assert!(err.message.contains(&today.to_string()));
    assert!(sim.listings().is_empty(), "nothing was asked");
    // Yesterday is ready, and empty.
    let mut reader = adapter(&sim.base_url(), SECRET_KEY)
        .statement(today.minus(1))
        .await
        .unwrap();
    assert!(read_all(&mut reader, 10).await.unwrap().is_empty());
    assert_eq!(reader.totals(), Some(ProviderTotals::default()));
}

/// A simulator with three charges of the day.
async fn three_charges() -> StripeSim {
    let sim = StripeSim::start().await;
    for i in 0..3 {
        sim.inject_charge(1000, "usd", start() + i);
    }
    sim
}

async fn error_code(sim: &StripeSim) -> &'static str {
    statement_of(sim).await.unwrap_err().code
}

#[tokio::test]
async fn an_error_answer_is_a_provider_error() {
    let sim = three_charges().await;
    sim.set_mode(Mode::Error(500, "api_error"));
    let err = statement_of(&sim).await.unwrap_err();
    assert_eq!(err.code, StatementError::PROVIDER_ERROR);
    assert!(err.message.contains("api_error") && err.message.contains("HTTP 500"));
    sim.set_mode(Mode::Normal);
    // The simulator refuses a key it does not know, as Stripe does.
    let mut reader = adapter(&sim.base_url(), "sk_test_wrong")
        .statement(day())
        .await
        .unwrap();
    let err = reader.next_batch(10).await.unwrap_err();
    assert_eq!(err.code, StatementError::PROVIDER_ERROR);
    assert!(err.message.contains("HTTP 401"));
}

#[tokio::test]
async fn a_transport_failure_is_a_failed_download() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let mut reader = adapter(&closed, SECRET_KEY).statement(day()).await.unwrap();
    assert_eq!(
        reader.next_batch(10).await.unwrap_err().code,
        StatementError::DOWNLOAD_FAILED
    );
}

#[tokio::test]
async fn a_page_that_does_not_parse_is_malformed() {
    let sim = three_charges().await;
    sim.set_page_fault(PageFault::Truncated);
    assert_eq!(error_code(&sim).await, StatementError::MALFORMED);
}

#[tokio::test]
async fn a_page_with_more_but_no_items_is_malformed() {
    let sim = three_charges().await;
    sim.set_page_fault(PageFault::EmptyWithMore);
    let err = tokio::time::timeout(Duration::from_secs(5), statement_of(&sim))
        .await
        .expect("refused, not asked again forever")
        .unwrap_err();
    assert_eq!(err.code, StatementError::MALFORMED);
}

#[tokio::test]
async fn a_listing_that_ignores_its_cursor_is_malformed() {
    let sim = three_charges().await;
    sim.set_page_size(2);
    sim.set_page_fault(PageFault::SamePage);
    let err = tokio::time::timeout(Duration::from_secs(5), statement_of(&sim))
        .await
        .expect("refused, not asked again forever")
        .unwrap_err();
    assert_eq!(err.code, StatementError::MALFORMED);
    assert_eq!(sim.listings().len(), 2);
}

#[tokio::test]
async fn a_line_whose_net_is_not_its_amount_less_its_fee_is_malformed() {
    let sim = three_charges().await;
    sim.set_page_fault(PageFault::WrongNet);
    let err = statement_of(&sim).await.unwrap_err();
    assert_eq!(err.code, StatementError::MALFORMED);
    assert!(err.message.contains("transaction 1"), "{}", err.message);
}

#[tokio::test]
async fn a_failure_on_a_later_page_never_ends_the_statement() {
    let sim = three_charges().await;
    sim.set_page_size(1);
    let mut reader = adapter(&sim.base_url(), SECRET_KEY)
        .statement(day())
        .await
        .unwrap();
    assert_eq!(reader.next_batch(10).await.unwrap().len(), 1);
    sim.set_mode(Mode::Error(429, "rate_limit_error"));
    let err = reader.next_batch(10).await.unwrap_err();
    assert_eq!(err.code, StatementError::PROVIDER_ERROR);
    assert!(err.message.contains("page after txn_"), "{}", err.message);
    assert_eq!(reader.totals(), None, "the statement did not end");
}
