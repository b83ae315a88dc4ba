use super::*;
use crate::domain::{
    ChannelId, MerchantId, Payer, PaymentStatus, RefundId, RefundStatus, SystemClock,
};

/// A payment as paycore records it, placed at channel `sandbox`.
fn payment(id: &PaymentId) -> Payment {
    let now = SystemClock.now();
    Payment {
        id: id.clone(),
        merchant_id: MerchantId::generate(now.as_millis()),
        merchant_order_id: "o-1".into(),
        fingerprint: vec![1; 32],
        amount: Money::new(1000, Currency::parse("CNY").unwrap()),
        description: String::new(),
        method: Method::QrCode,
        status: PaymentStatus::Pending,
        channel_id: ChannelId::parse("sandbox"),
        provider_transaction_id: None,
        next_action: None,
        refunded_minor: 0,
        failure: None,
        metadata: BTreeMap::new(),
        payer: Payer::default(),
        return_url: None,
        attempts: Vec::new(),
        created_at: now,
        updated_at: now,
        paid_at: None,
        expires_at: now,
        paid_after_close: None,
        risk: None,
        version: 0,
    }
}

fn refund_of(p: &Payment, amount_minor: i64) -> Refund {
    Refund {
        id: RefundId::generate(p.created_at.as_millis()),
        merchant_id: p.merchant_id.clone(),
        payment_id: p.id.clone(),
        merchant_refund_id: format!("r-{amount_minor}"),
        fingerprint: vec![1; 32],
        amount: Money::new(amount_minor, p.amount.currency),
        reason: String::new(),
        status: RefundStatus::Pending,
        channel_id: ChannelId::parse("sandbox").unwrap(),
        provider_refund_id: None,
        failure: None,
        created_at: p.created_at,
        updated_at: p.created_at,
        succeeded_at: None,
        version: 0,
    }
}

fn sandbox() -> Sandbox {
    Sandbox::new(
        Secret::new(b"secret".to_vec()),
        "http://127.0.0.1:8080".into(),
        Arc::new(SystemClock),
    )
}

#[test]
fn a_signed_notification_verifies_and_a_tampered_one_does_not() {
    let s = sandbox();
    let id = PaymentId::generate(1);
    s.orders().insert(
        id.clone(),
        Order {
            amount: Money::new(100, Currency::parse("CNY").unwrap()),
            status: OrderStatus::AwaitingBuyer,
            refunds: Vec::new(),
            listing: super::orders::Listing::Faithful,
            close_misses: false,
        },
    );
    let n = s.pay(&payment(&id)).unwrap();
    let now = SystemClock.now();
    let parsed = s.verify_notification(&n.headers, &n.body, now).unwrap();
    assert!(matches!(parsed, Notification::Paid { payment_id, .. } if payment_id == id));

    let mut body = n.body.clone();
    body[10] ^= 1;
    assert_eq!(
        s.verify_notification(&n.headers, &body, now),
        Err(Rejected::BadSignature)
    );
    assert_eq!(
        s.verify_notification(&HeaderMap::new(), &n.body, now),
        Err(Rejected::MissingSignature)
    );
    let later = now.saturating_add(std::time::Duration::from_secs(301));
    assert_eq!(
        s.verify_notification(&n.headers, &n.body, later),
        Err(Rejected::Stale)
    );
}

#[test]
fn signature_format_is_stable() {
    // HMAC-SHA256("k", "1.{}"), computed independently.
    assert_eq!(
        sign(b"k", 1, b"{}"),
        "t=1,v1=3dd49b2593d0f9a349e9e71c4bde3e2b862c2be4003fe9b4ba81332029310158"
    );
    assert_eq!(parse_signature("t=5,v1=00ff"), Some((5, vec![0, 255])));
    assert_eq!(parse_signature("v1=00ff"), None);
}

#[tokio::test]
async fn orders_it_does_not_hold_are_recalled_from_paycores_record() {
    // A fresh sandbox holds nothing, as after a restart.
    let s = sandbox();
    let waiting = payment(&PaymentId::generate(1));
    assert_eq!(s.query(&waiting).await, Ok(OrderState::AwaitingBuyer));
    assert!(s.pay(&waiting).is_ok());
    assert!(matches!(
        s.query(&waiting).await,
        Ok(OrderState::Paid { .. })
    ));

    let mut paid = payment(&PaymentId::generate(2));
    paid.status = PaymentStatus::Succeeded;
    paid.provider_transaction_id = Some("sbx_kept".into());
    paid.refunded_minor = 300;
    assert!(matches!(
        s.query(&paid).await,
        Ok(OrderState::Paid { transaction_id, .. }) if transaction_id == "sbx_kept"
    ));
    let over = s.refund(&paid, &refund_of(&paid, 701)).await.unwrap_err();
    assert_eq!(over.code, "SANDBOX_REFUND_EXCEEDS");
    assert!(s.refund(&paid, &refund_of(&paid, 700)).await.is_ok());

    let mut closed = payment(&PaymentId::generate(3));
    closed.status = PaymentStatus::Closed;
    assert_eq!(s.query(&closed).await, Ok(OrderState::Closed));
    assert!(matches!(s.pay(&closed), Err(BuyerError::Closed)));
    let mut late = payment(&PaymentId::generate(4));
    late.status = PaymentStatus::Closed;
    late.metadata
        .insert(OUTCOME_KEY.into(), "pay_after_close".into());
    assert!(
        s.pay(&late).is_ok(),
        "a close never reached a pay_after_close order"
    );

    let mut lost = payment(&PaymentId::generate(5));
    lost.status = PaymentStatus::Unknown;
    lost.metadata.insert(OUTCOME_KEY.into(), "lost".into());
    assert_eq!(s.query(&lost).await, Ok(OrderState::NotFound));
    let mut unanswered = payment(&PaymentId::generate(6));
    unanswered.status = PaymentStatus::Unknown;
    assert_eq!(s.query(&unanswered).await, Ok(OrderState::NotFound));
    let mut timed_out = payment(&PaymentId::generate(7));
    timed_out.status = PaymentStatus::Unknown;
    timed_out
        .metadata
        .insert(OUTCOME_KEY.into(), "timeout".into());
    assert!(matches!(
        s.query(&timed_out).await,
        Ok(OrderState::Paid { .. })
    ));
    let mut unplaced = payment(&PaymentId::generate(8));
    unplaced.channel_id = None;
    assert_eq!(s.query(&unplaced).await, Ok(OrderState::NotFound));
}
