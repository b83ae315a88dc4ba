//! The one way a service changes a stored payment: apply a change to the latest version,
//! store it with compare-and-set, and on a lost race re-read and re-apply.

use crate::domain::{AttemptId, EventType, Payment};
use crate::proto;
use crate::storage::{PaymentChange, Store, StoreError, event_for};

use super::Error;

/// What a change touched, so the right rows are written.
#[derive(Debug, Default)]
pub struct Touched {
    /// The event the change emits (a status change), if any.
    pub event: Option<EventType>,
    /// The attempts the change wrote.
    pub attempts: Vec<AttemptId>,
}

impl Touched {
    pub fn event(event: EventType) -> Self {
        Self {
            event: Some(event),
            attempts: Vec::new(),
        }
    }
}

/// Applies `change` to `current` (re-read on every lost race) and stores the result with its
/// attempt and event in one transaction. `change` returns `Ok(None)` when there is nothing
/// to write, and may be called more than once.
pub async fn commit<F>(
    store: &dyn Store,
    mut current: Payment,
    mut change: F,
) -> Result<Payment, Error>
where
    F: FnMut(&mut Payment) -> Result<Option<Touched>, Error>,
{
    loop {
        let mut next = current.clone();
        let Some(touched) = change(&mut next)? else {
            return Ok(current);
        };
        let event = touched.event.map(|t| {
            event_for(
                &next,
                t,
                prost::Message::encode_to_vec(&proto::payment(&next)),
            )
        });
        let attempts = next
            .attempts
            .iter()
            .filter(|a| touched.attempts.contains(&a.id))
            .collect();
        let result = store
            .apply(PaymentChange {
                payment: &next,
                expected_version: current.version,
                attempts,
                event: event.as_ref(),
            })
            .await;
        match result {
            Ok(()) => {
                next.version = current.version + 1;
                return Ok(next);
            }
            Err(StoreError::Conflict(_)) => {
                current = store
                    .payment_by_id(&current.id)
                    .await?
                    .ok_or(Error::PaymentNotFound)?;
            }
            Err(e) => return Err(e.into()),
        }
    }
}
