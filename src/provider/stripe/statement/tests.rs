use serde_json::json;

use super::*;

/// 2026-03-01 UTC.
const DAY: Window = Window {
    start: 1_772_323_200,
    end: 1_772_409_600,
};

fn charge_txn() -> Value {
    json!({
        "id": "txn_1", "object": "balance_transaction", "type": "charge",
        "amount": 1000, "fee": 59, "net": 941, "currency": "usd", "created": DAY.start,
        "status": "pending", "reporting_category": "charge",
        "source": {"id": "ch_1", "object": "charge", "payment_intent": "pi_1",
                   "metadata": {"paycore_payment_id": "pay_1"}}
    })
}

fn refund_txn(status: &str) -> Value {
    json!({
        "id": "txn_2", "object": "balance_transaction", "type": "refund",
        "amount": -250, "fee": 0, "net": -250, "currency": "usd", "created": DAY.end - 1,
        "status": "available", "reporting_category": "refund",
        "source": {"id": "re_1", "object": "refund", "payment_intent": "pi_1", "status": status,
                   "metadata": {"paycore_refund_id": "rfd_1"}}
    })
}

fn page(items: &[Value], has_more: bool) -> Vec<u8> {
    json!({"object": "list", "url": "/v1/balance_transactions", "has_more": has_more, "data": items})
        .to_string()
        .into_bytes()
}

fn one(item: Value) -> Result<StatementLine, StatementError> {
    parse_line(&item, 7, DAY)
}

fn code_of(item: Value) -> &'static str {
    one(item).unwrap_err().code
}

#[test]
fn a_charge_is_a_payment_with_its_intent_and_paycores_id() {
    assert_eq!(
        one(charge_txn()).unwrap(),
        StatementLine {
            number: 7,
            kind: LineKind::Payment,
            transaction_id: Some("pi_1".into()),
            payment_id: Some("pay_1".into()),
            refund_id: None,
            provider_refund_id: None,
            amount_minor: 1000,
            currency: "USD".into(),
            fee_minor: 59,
            status: LineStatus::Succeeded,
            at: Some(Timestamp::from_micros(DAY.start * 1_000_000)),
        }
    );
    // A charge made without paycore's metadata, and a non-card `payment`.
    let mut t = charge_txn();
    t["type"] = json!("payment");
    t["source"]["metadata"] = json!({});
    t["source"]["payment_intent"] = json!({"id": "pi_9", "object": "payment_intent"});
    let line = one(t).unwrap();
    assert_eq!(line.kind, LineKind::Payment);
    assert_eq!(line.payment_id, None);
    assert_eq!(line.transaction_id.as_deref(), Some("pi_9"));
}

#[test]
fn a_refund_carries_both_ids_and_its_status() {
    let line = one(refund_txn("succeeded")).unwrap();
    assert_eq!(line.kind, LineKind::Refund);
    assert_eq!(
        line.amount_minor, 250,
        "positive, though Stripe's is negative"
    );
    assert_eq!(line.refund_id.as_deref(), Some("rfd_1"));
    assert_eq!(line.provider_refund_id.as_deref(), Some("re_1"));
    assert_eq!(line.transaction_id.as_deref(), Some("pi_1"));
    for (status, expected) in [
        ("succeeded", LineStatus::Succeeded),
        ("pending", LineStatus::Processing),
        ("requires_action", LineStatus::Processing),
        ("failed", LineStatus::Failed),
        ("canceled", LineStatus::Failed),
    ] {
        assert_eq!(
            one(refund_txn(status)).unwrap().status,
            expected,
            "{status}"
        );
    }
    assert_eq!(code_of(refund_txn("lost")), StatementError::MALFORMED);
    // A returned fee stays negative: net = amount - fee.
    let mut t = refund_txn("succeeded");
    t["type"] = json!("payment_refund");
    t["fee"] = json!(-30);
    t["net"] = json!(-220);
    assert_eq!(one(t).unwrap().fee_minor, -30);
}

#[test]
fn other_types_are_counted_as_they_are() {
    let t = json!({"id": "txn_3", "type": "payout", "amount": -5000, "fee": 0, "net": -5000,
                   "currency": "jpy", "created": DAY.start, "source": {"id": "po_1", "object": "payout"}});
    let line = one(t).unwrap();
    assert_eq!(line.kind, LineKind::Other("payout".into()));
    assert_eq!((line.amount_minor, line.currency.as_str()), (5000, "JPY"));
    assert_eq!(line.transaction_id, None);
}

#[test]
fn a_line_that_does_not_add_up_or_read_is_malformed() {
    let mut t = charge_txn();
    t["net"] = json!(942);
    assert_eq!(code_of(t), StatementError::MALFORMED);
    let mut t = charge_txn();
    t["currency"] = json!("xyz");
    let e = one(t).unwrap_err();
    assert_eq!(e.code, StatementError::MALFORMED);
    assert!(e.message.contains("transaction 7") && e.message.contains("txn_1"));
    let mut t = charge_txn();
    t["created"] = json!(DAY.end);
    assert_eq!(code_of(t), StatementError::MALFORMED, "the next day's");
    let mut t = charge_txn();
    t["source"] = json!("ch_1");
    assert_eq!(code_of(t), StatementError::MALFORMED, "not expanded");
    let mut t = refund_txn("succeeded");
    t["source"]["object"] = json!("charge");
    assert_eq!(code_of(t), StatementError::MALFORMED);
    for key in ["id", "type", "amount", "fee", "net", "created"] {
        let mut t = charge_txn();
        t.as_object_mut().unwrap().remove(key);
        assert_eq!(code_of(t), StatementError::MALFORMED, "{key}");
    }
    let mut t = charge_txn();
    t["amount"] = json!(i64::MIN);
    t["fee"] = json!(0);
    t["net"] = json!(i64::MIN);
    assert_eq!(code_of(t), StatementError::MALFORMED);
}

#[test]
fn pages_number_their_lines_and_name_the_next_cursor() {
    let p = parse_page(
        &page(&[charge_txn(), refund_txn("pending")], true),
        101,
        DAY,
    )
    .unwrap();
    assert_eq!(
        p.lines.iter().map(|l| l.number).collect::<Vec<_>>(),
        [101, 102]
    );
    assert_eq!(p.next.as_deref(), Some("txn_2"));
    let p = parse_page(&page(&[charge_txn()], false), 1, DAY).unwrap();
    assert_eq!(p.next, None);
    assert!(
        parse_page(&page(&[], false), 1, DAY)
            .unwrap()
            .lines
            .is_empty()
    );

    for bad in [
        page(&[], true),
        b"{\"data\": [".to_vec(),
        b"{\"has_more\": false}".to_vec(),
        b"{\"data\": []}".to_vec(),
        b"[]".to_vec(),
    ] {
        assert_eq!(
            parse_page(&bad, 1, DAY).unwrap_err().code,
            StatementError::MALFORMED,
            "{}",
            String::from_utf8_lossy(&bad)
        );
    }
}

#[test]
fn totals_sum_payments_refunds_and_every_fee() {
    let mut totals = ProviderTotals::default();
    for item in [charge_txn(), charge_txn(), refund_txn("succeeded")] {
        tally(&mut totals, &one(item).unwrap()).unwrap();
    }
    let mut fee_line = one(charge_txn()).unwrap();
    fee_line.kind = LineKind::Other("stripe_fee".into());
    fee_line.fee_minor = 5;
    tally(&mut totals, &fee_line).unwrap();
    assert_eq!(
        totals,
        ProviderTotals {
            payments: 2,
            payment_minor: 2000,
            refunds: 1,
            refund_minor: 250,
            fee_minor: 123,
        }
    );
    let mut big = one(charge_txn()).unwrap();
    big.amount_minor = i64::MAX;
    assert_eq!(tally(&mut totals, &big), None);
}

#[test]
fn error_answers_name_stripes_type_and_code() {
    let e = answer_error(
        401,
        br#"{"error": {"type": "invalid_request_error", "code": "api_key_expired", "message": "Expired API Key"}}"#,
        "the first page",
    );
    assert_eq!(e.code, StatementError::PROVIDER_ERROR);
    assert!(e.message.contains("api_key_expired") && e.message.contains("HTTP 401"));
    let e = answer_error(502, b"<html>Bad gateway</html>", "the first page");
    assert_eq!(e.code, StatementError::DOWNLOAD_FAILED);
}
