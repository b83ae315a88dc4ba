use super::*;
use crate::domain::Currency;
use PaymentStatus::*;

fn payment(status: PaymentStatus) -> Payment {
    let now = Timestamp::from_micros(1_700_000_000_000_000);
    Payment {
        id: PaymentId::generate(now.as_millis()),
        merchant_id: MerchantId::generate(now.as_millis()),
        merchant_order_id: "o-1".into(),
        fingerprint: vec![1; 32],
        amount: Money::new(100, Currency::parse("CNY").unwrap()),
        description: String::new(),
        method: Method::QrCode,
        status,
        channel_id: None,
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

fn now() -> Timestamp {
    Timestamp::from_micros(1_700_000_001_000_000)
}

#[test]
fn allowed_transitions_are_exactly_these() {
    let allowed = [
        (Processing, Pending),
        (Processing, Unknown),
        (Processing, Succeeded),
        (Processing, Failed),
        (Pending, Succeeded),
        (Pending, Failed),
        (Pending, Closed),
        (Unknown, Pending),
        (Unknown, Succeeded),
        (Unknown, Failed),
        (Unknown, Closed),
        // Approved (placed), rejected, or expired in review.
        (RequiresReview, Processing),
        (RequiresReview, Failed),
        (RequiresReview, Closed),
    ];
    for from in PaymentStatus::ALL {
        for to in PaymentStatus::ALL {
            let p = payment(from);
            assert_eq!(
                p.can_enter(to),
                allowed.contains(&(from, to)),
                "{from:?} -> {to:?}"
            );
        }
    }
}

#[test]
fn final_states_stay_final() {
    for status in [Succeeded, Closed] {
        for to in PaymentStatus::ALL {
            let mut p = payment(status);
            assert_eq!(
                p.enter(to, now()),
                Err(IllegalTransition { from: status, to })
            );
            assert_eq!(p.status, status);
        }
    }
}

#[test]
fn only_an_unrouted_failure_may_be_retried_or_closed() {
    let mut declined = payment(Processing);
    declined
        .fail(Failure::new("SANDBOX_DECLINED", "no"), now())
        .unwrap();
    assert!(!declined.is_retryable_failure());
    assert!(declined.enter(Processing, now()).is_err());
    assert!(declined.enter(Closed, now()).is_err());

    let mut unrouted = payment(Processing);
    unrouted
        .fail(Failure::new(Failure::CHANNELS_UNAVAILABLE, "none"), now())
        .unwrap();
    assert!(unrouted.is_retryable_failure());
    unrouted.enter(Processing, now()).unwrap();
    assert_eq!(unrouted.failure, None, "retrying clears the failure");
}

#[test]
fn success_records_the_transaction_and_clears_the_next_action() {
    let mut p = payment(Processing);
    p.await_buyer(NextAction::QrCode("https://x".into()), now())
        .unwrap();
    assert!(p.next_action.is_some());
    p.succeed("txn-1".into(), now(), now()).unwrap();
    assert_eq!(p.status, Succeeded);
    assert_eq!(p.next_action, None);
    assert_eq!(p.provider_transaction_id.as_deref(), Some("txn-1"));
    assert_eq!(p.updated_at, now());
}
