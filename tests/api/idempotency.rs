//! merchant_order_id is the idempotency key: replays, conflicts, concurrent duplicates.

use paycore::proto::v1;
use tonic::Code;

use crate::support::*;

#[tokio::test]
async fn a_replay_returns_the_same_payment_without_a_new_attempt() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let first = create(&mut c, create_request("idem-1", None)).await;
    let second = create(&mut c, create_request("idem-1", None)).await;
    assert_eq!(first, second);
    assert_eq!(second.attempts.len(), 1);
    assert_eq!(t.events(&first.id).await.len(), 2);
    t.stop().await;
}

#[tokio::test]
async fn other_parameters_under_the_same_order_id_conflict() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let first = create(&mut c, create_request("idem-2", None)).await;
    let mut changes: Vec<v1::CreatePaymentRequest> = Vec::new();
    let mut r = create_request("idem-2", None);
    r.amount.as_mut().unwrap().amount_minor = 1001;
    changes.push(r);
    let mut r = create_request("idem-2", None);
    r.description = "something else".into();
    changes.push(r);
    let mut r = create_request("idem-2", None);
    r.method = v1::PaymentMethod::WebPage.into();
    changes.push(r);
    changes.push(create_request("idem-2", Some("succeed")));
    for req in changes {
        let err = c.create_payment(req).await.unwrap_err();
        assert_reason(&err, Code::AlreadyExists, "IDEMPOTENCY_CONFLICT");
    }
    assert_eq!(
        get(&mut c, &first.id).await,
        first,
        "the original is untouched"
    );

    // Another merchant may use the same order id for its own payment.
    let other = t.other_merchant().await;
    let mut c2 = t.client_with(&other).await;
    let theirs = create(&mut c2, create_request("idem-2", None)).await;
    assert_ne!(theirs.id, first.id);
    t.stop().await;
}

#[tokio::test]
async fn fifty_concurrent_identical_creates_make_one_payment_and_one_channel_call() {
    let t = TestServer::start().await;
    let base = t.client().await;
    for outcome in [None, Some("succeed"), Some("unavailable")] {
        let order = format!("race-{}", outcome.unwrap_or("pending"));
        let mut tasks = Vec::new();
        for _ in 0..50 {
            let mut c = base.clone();
            let req = create_request(&order, outcome);
            tasks.push(tokio::spawn(async move { c.create_payment(req).await }));
        }
        let mut ids = std::collections::BTreeSet::new();
        for task in tasks {
            match task.await.unwrap() {
                Ok(resp) => {
                    ids.insert(resp.into_inner().payment.unwrap().id);
                }
                Err(status) => {
                    assert_eq!(outcome, Some("unavailable"), "{status:?}");
                    assert_reason(&status, Code::Unavailable, "CHANNELS_UNAVAILABLE");
                }
            }
        }
        let mut c = base.clone();
        let stored = c
            .get_payment(v1::GetPaymentRequest {
                lookup: Some(v1::get_payment_request::Lookup::MerchantOrderId(
                    order.clone(),
                )),
            })
            .await
            .unwrap()
            .into_inner()
            .payment
            .unwrap();
        assert!(
            ids.len() <= 1 && ids.iter().all(|id| *id == stored.id),
            "{ids:?}"
        );
        // Every channel call is recorded as an attempt before it is made. Duplicates that
        // arrive while the first call is at the channel share it; one that arrives after the
        // channel refused is a retry by design (CHANNELS_UNAVAILABLE may be retried) and
        // places the payment again, so only there may a slow scheduler see more than one.
        if outcome == Some("unavailable") {
            assert!((1..=50).contains(&stored.attempts.len()), "{order}");
            assert!(
                stored
                    .attempts
                    .iter()
                    .all(|a| a.outcome == v1::AttemptOutcome::NotProcessed as i32),
                "{order}: {:?}",
                stored.attempts
            );
        } else {
            assert_eq!(stored.attempts.len(), 1, "{order}: one channel call");
        }
        let listed = c
            .list_payments(v1::ListPaymentsRequest::default())
            .await
            .unwrap()
            .into_inner()
            .payments;
        assert_eq!(
            listed
                .iter()
                .filter(|p| p.merchant_order_id == order)
                .count(),
            1
        );
    }
    t.stop().await;
}

/// Validation reads runtime state (which channels are enabled); a replay must not: told
/// INVALID_ARGUMENT, a caller would try a new order id and could charge the buyer twice.
#[tokio::test]
async fn a_replay_is_answered_while_its_channel_is_disabled() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let mut admin = t.admin(OPERATOR_KEY).await;
    let pending = create(&mut c, create_request("idem-off-1", None)).await;
    let err = c
        .create_payment(create_request("idem-off-2", Some("unavailable")))
        .await
        .unwrap_err();
    assert_reason(&err, Code::Unavailable, "CHANNELS_UNAVAILABLE");
    admin
        .set_channel_enabled(v1::SetChannelEnabledRequest {
            channel_id: "sandbox".into(),
            enabled: false,
        })
        .await
        .unwrap();

    assert_eq!(
        create(&mut c, create_request("idem-off-1", None)).await,
        pending
    );
    // A payment no channel took stays retryable under its order id.
    let err = c
        .create_payment(create_request("idem-off-2", Some("unavailable")))
        .await
        .unwrap_err();
    assert_reason(&err, Code::Unavailable, "CHANNELS_UNAVAILABLE");
    // A new order is refused as invalid: no enabled channel takes it now.
    let err = c
        .create_payment(create_request("idem-off-3", None))
        .await
        .unwrap_err();
    assert_reason(&err, Code::InvalidArgument, "INVALID_REQUEST");
    t.stop().await;
}
