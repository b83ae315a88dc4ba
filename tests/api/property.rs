//! Failover never charges twice: for random sequences of channel answers, a payment never
//! has two attempts that could both have taken the order, and an ambiguous attempt is always
//! the last one. Channels here are scripted providers; everything else is paycore's own.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use http::HeaderMap;
use paycore::config::{Config, DatabaseConfig};
use paycore::domain::{
    AttemptId, AttemptOutcome, Method, NextAction, Payment, PaymentStatus, Refund, SystemClock,
    Timestamp,
};
use paycore::provider::{
    ChannelFailure, FailureKind, Notification, OrderState, Placed, Provider, RefundState, Rejected,
    Reply,
};
use paycore::routing::{Channel, Router};
use paycore::service::merchants::Merchants;
use paycore::service::payments::Payments;
use proptest::prelude::*;

use crate::support::{create_request, database_url};

#[derive(Debug, Clone, Copy)]
enum Answer {
    Pending,
    Paid,
    NotProcessed,
    Ambiguous,
    Declined,
}

/// A provider that answers from a shared script and counts its calls.
struct Scripted {
    script: Arc<Mutex<VecDeque<Answer>>>,
    calls: Arc<Mutex<usize>>,
}

#[async_trait]
impl Provider for Scripted {
    fn provider_name(&self) -> &'static str {
        "scripted"
    }

    fn supported_methods(&self) -> &'static [paycore::domain::Method] {
        &paycore::domain::Method::ALL
    }

    async fn create(&self, _: &Payment, _: &AttemptId) -> Result<Placed, ChannelFailure> {
        *self.calls.lock().unwrap() += 1;
        let answer = self
            .script
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or(Answer::NotProcessed);
        let fail = |kind| Err(ChannelFailure::new(kind, "SCRIPTED", "scripted"));
        match answer {
            Answer::Pending => Ok(Placed::AwaitingBuyer {
                action: NextAction::QrCode("x".into()),
                reference: None,
            }),
            Answer::Paid => Ok(Placed::Paid {
                transaction_id: "t".into(),
                paid_at: Timestamp::from_micros(1),
            }),
            Answer::NotProcessed => fail(FailureKind::NotProcessed),
            Answer::Ambiguous => fail(FailureKind::Ambiguous),
            Answer::Declined => fail(FailureKind::Declined),
        }
    }

    async fn query(&self, _: &Payment) -> Result<OrderState, ChannelFailure> {
        Ok(OrderState::NotFound)
    }

    async fn close(&self, _: &Payment) -> Result<OrderState, ChannelFailure> {
        Ok(OrderState::Closed)
    }

    async fn refund(&self, _: &Payment, _: &Refund) -> Result<RefundState, ChannelFailure> {
        Ok(RefundState::NotFound)
    }

    async fn query_refund(&self, _: &Payment, _: &Refund) -> Result<RefundState, ChannelFailure> {
        Ok(RefundState::NotFound)
    }

    fn verify_notification(
        &self,
        _: &HeaderMap,
        _: &[u8],
        _: Timestamp,
    ) -> Result<Notification, Rejected> {
        Err(Rejected::MissingSignature)
    }

    fn acknowledgement(&self) -> Reply {
        Reply {
            status: 200,
            content_type: "text/plain",
            body: String::new(),
        }
    }
}

fn answer() -> impl Strategy<Value = Answer> {
    prop_oneof![
        Just(Answer::Pending),
        Just(Answer::Paid),
        Just(Answer::NotProcessed),
        Just(Answer::NotProcessed),
        Just(Answer::Ambiguous),
        Just(Answer::Declined),
    ]
}

#[test]
fn no_two_attempts_can_both_succeed_and_ambiguity_ends_the_list() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = Config::parse(
        r#"
[[channels]]
id = "one"
provider = "sandbox"
[[channels]]
id = "two"
provider = "sandbox"
[[channels]]
id = "three"
provider = "sandbox"
"#,
        Vec::new(),
    )
    .unwrap();
    let script = Arc::new(Mutex::new(VecDeque::new()));
    let calls = Arc::new(Mutex::new(0));
    let router = Arc::new(Router::new(
        config
            .channels
            .iter()
            .map(|c| {
                let provider = Arc::new(Scripted {
                    script: script.clone(),
                    calls: calls.clone(),
                });
                Channel::new(c, vec![Method::QrCode], provider)
            })
            .collect(),
        &config,
    ));
    let (payments, merchant) = runtime.block_on(async {
        let store = paycore::storage::open(&DatabaseConfig {
            url: database_url(dir.path()),
            ..DatabaseConfig::default()
        })
        .await
        .unwrap();
        let guard = paycore::service::webhook_guard(&config.webhooks).unwrap();
        let merchant = Merchants::new(store.clone(), Arc::new(SystemClock), guard)
            .create("prop", None)
            .await
            .unwrap()
            .merchant;
        let risk =
            paycore::service::risk::Risk::new(&config.risk, store.clone(), Arc::new(SystemClock))
                .unwrap();
        let payments = Payments::new(
            store,
            router.clone(),
            Arc::new(SystemClock),
            config.payments.clone(),
            Arc::new(paycore::metrics::Metrics::default()),
            Arc::new(risk),
        );
        (payments, merchant)
    });

    let case = std::sync::atomic::AtomicUsize::new(0);
    proptest!(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() }, |(answers in prop::collection::vec(answer(), 1..6), enabled in prop::collection::vec(any::<bool>(), 3))| {
        let case = case.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        for (channel, on) in router.channels().iter().zip(&enabled) {
            channel.set_enabled(*on);
        }
        *script.lock().unwrap() = answers.iter().copied().collect();
        *calls.lock().unwrap() = 0;
        let req = create_request(&format!("prop-{case}"), None);
        let result = runtime.block_on(payments.create(&merchant, &req, None));
        let payment = match result {
            Ok(p) => p,
            Err(paycore::service::Error::InvalidRequest(_)) => {
                // With every channel disabled, nothing takes the method: refused, not stored.
                prop_assert!(enabled.iter().all(|on| !on));
                return Ok(());
            }
            Err(_) => runtime
                .block_on(payments.get(
                    &merchant,
                    &paycore::proto::v1::GetPaymentRequest {
                        lookup: Some(paycore::proto::v1::get_payment_request::Lookup::MerchantOrderId(
                            format!("prop-{case}"),
                        )),
                    },
                ))
                .unwrap(),
        };
        let called: Vec<AttemptOutcome> = payment
            .attempts
            .iter()
            .map(|a| a.outcome)
            .filter(|o| *o != AttemptOutcome::Skipped)
            .collect();
        prop_assert_eq!(called.len(), *calls.lock().unwrap(), "one attempt per channel call");
        let could_succeed = called
            .iter()
            .filter(|o| matches!(o, AttemptOutcome::Accepted | AttemptOutcome::Ambiguous | AttemptOutcome::InFlight))
            .count();
        prop_assert!(could_succeed <= 1, "{:?}", payment.attempts);
        if let Some(pos) = payment.attempts.iter().position(|a| a.outcome == AttemptOutcome::Ambiguous) {
            prop_assert_eq!(pos, payment.attempts.len() - 1, "ambiguous is last: {:?}", payment.attempts);
            prop_assert_eq!(payment.status, PaymentStatus::Unknown);
        }
        // Only answers that certainly did nothing come before the last call.
        if called.len() > 1 {
            prop_assert!(called[..called.len() - 1].iter().all(|o| *o == AttemptOutcome::NotProcessed));
        }
        let expected = match called.last() {
            Some(AttemptOutcome::Accepted) => vec![PaymentStatus::Pending, PaymentStatus::Succeeded],
            Some(AttemptOutcome::Ambiguous) => vec![PaymentStatus::Unknown],
            Some(AttemptOutcome::Declined) | Some(AttemptOutcome::NotProcessed) | None => vec![PaymentStatus::Failed],
            other => panic!("unexpected last outcome {other:?}"),
        };
        prop_assert!(expected.contains(&payment.status), "{:?} after {:?}", payment.status, called);
    });
}
