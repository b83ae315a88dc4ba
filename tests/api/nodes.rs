//! Several paycore nodes on one database (as behind a load balancer) keep every guarantee
//! one node gives. Runs on both backends: on SQLite the nodes share the file, on PostgreSQL
//! the database.

use std::collections::HashMap;

use paycore::proto::v1;
use tonic::Code;

use crate::refunds::refunds;
use crate::sim_stripe::StripeSim;
use crate::support::*;
use crate::webhooks::{Receiver, hooked_merchant};

#[tokio::test]
async fn duplicates_sent_to_two_nodes_make_one_payment_and_one_channel_call() {
    let a = TestServer::start().await;
    let b = a.another_node().await;
    let (ca, cb) = (a.client().await, b.client().await);
    for outcome in [None, Some("succeed")] {
        let order = format!("two-nodes-{}", outcome.unwrap_or("pending"));
        let tasks: Vec<_> = (0..40)
            .map(|i| {
                let mut c = if i % 2 == 0 { ca.clone() } else { cb.clone() };
                let req = create_request(&order, outcome);
                tokio::spawn(async move { c.create_payment(req).await })
            })
            .collect();
        let mut ids = std::collections::BTreeSet::new();
        for task in tasks {
            ids.insert(
                task.await
                    .unwrap()
                    .unwrap()
                    .into_inner()
                    .payment
                    .unwrap()
                    .id,
            );
        }
        assert_eq!(ids.len(), 1, "{order}: {ids:?}");
        let id = ids.pop_first().unwrap();
        for c in [&mut ca.clone(), &mut cb.clone()] {
            let stored = get(c, &id).await;
            assert_eq!(stored.attempts.len(), 1, "{order}: one channel call");
        }
    }
    b.stop().await;
    a.stop().await;
}

#[tokio::test]
async fn refunds_sent_to_two_nodes_never_exceed_the_payment() {
    // A provider both nodes call (as a real one), so either may refund the payment.
    let dir = tempfile::tempdir().unwrap();
    let sim = StripeSim::start().await;
    let a = TestServer::start_with(&stripe_channel(
        "stripe-main",
        &sim.base_url(),
        1,
        dir.path(),
    ))
    .await;
    let b = a.another_node().await;
    let paid = create(&mut a.client().await, card("split", "pm_card_visa")).await;
    assert_eq!(status_of(&paid), v1::PaymentStatus::Succeeded);
    let amount = paid.amount.as_ref().unwrap().amount_minor;

    let (ra, rb) = (refunds(&a, &a.api_key).await, refunds(&b, &b.api_key).await);
    let tasks: Vec<_> = (0..60)
        .map(|i| {
            let mut r = if i % 2 == 0 { ra.clone() } else { rb.clone() };
            let req = v1::CreateRefundRequest {
                payment: Some(v1::create_refund_request::Payment::PaymentId(
                    paid.id.clone(),
                )),
                merchant_refund_id: format!("split-{i}"),
                amount: Some(v1::Money {
                    amount_minor: 50,
                    currency: "USD".into(),
                }),
                reason: String::new(),
            };
            tokio::spawn(async move { r.create_refund(req).await })
        })
        .collect();
    let mut accepted = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => accepted += 1,
            Err(status) => assert_reason(
                &status,
                Code::FailedPrecondition,
                "REFUND_EXCEEDS_AVAILABLE",
            ),
        }
    }
    assert_eq!(
        accepted,
        amount / 50,
        "exactly the payment's amount is refunded"
    );
    let refunded: i64 = sim
        .refunds()
        .iter()
        .map(|r| r["amount"].as_i64().unwrap())
        .sum();
    assert_eq!(refunded, amount, "what reached the provider");
    b.stop().await;
    a.stop().await;
}

#[tokio::test]
async fn each_event_is_delivered_once_while_two_nodes_dispatch() {
    let (receiver, addr) = Receiver::start(&[]).await;
    let a = TestServer::start_with(
        "[webhooks]\nallow_private = true\nschedule_ms = [0, 5000]\njitter = 0.0\npoll_ms = 20\n",
    )
    .await;
    let b = a.another_node().await;
    let hooked = hooked_merchant(&a, format!("http://{addr}/hooks")).await;
    let (mut ca, mut cb) = (
        a.client_with(&hooked.key).await,
        b.client_with(&hooked.key).await,
    );
    for i in 0..15 {
        let c = if i % 2 == 0 { &mut ca } else { &mut cb };
        create(c, create_request(&format!("hooked-{i}"), Some("succeed"))).await;
    }
    // Two events per payment: payment.created and payment.succeeded.
    let got = eventually(|| {
        let r = receiver.clone();
        async move { (r.got().len() >= 30).then(|| r.got()) }
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let mut per_event: HashMap<String, usize> = HashMap::new();
    for r in receiver.got() {
        *per_event
            .entry(r.headers["webhook-id"].to_str().unwrap().to_owned())
            .or_default() += 1;
    }
    assert_eq!(per_event.len(), 30, "{} deliveries", got.len());
    assert!(
        per_event.values().all(|&n| n == 1),
        "an event was delivered twice: {per_event:?}"
    );
    b.stop().await;
    a.stop().await;
}
