//! Settling a payment: closing it, asking its channel where it stands (SyncPayment, the
//! sweeper) and applying the answer.

use std::sync::Arc;
use std::time::Duration;

use crate::domain::{
    AttemptOutcome, EventType, Failure, Merchant, Payment, PaymentStatus, Timestamp,
};
use crate::provider::{ChannelFailure, FailureKind, OrderState};
use crate::routing::Channel;
use crate::service::Error;
use crate::service::commit::{Touched, commit};
use crate::storage::PaymentKey;

impl super::Payments {
    /// Closes an unpaid payment at its channel and locally.
    pub async fn close(&self, merchant: &Merchant, key: PaymentKey) -> Result<Payment, Error> {
        let payment = self.find(merchant, key).await?;
        self.close_payment(payment).await
    }

    /// Closes a payment whatever its owner (the sweeper closes expired ones).
    pub async fn close_payment(&self, payment: Payment) -> Result<Payment, Error> {
        match payment.status {
            PaymentStatus::Succeeded => return Err(Error::PaymentAlreadySucceeded),
            PaymentStatus::Processing => return Err(Error::PaymentInProgress),
            PaymentStatus::Closed => return Ok(payment),
            PaymentStatus::Failed if !payment.is_retryable_failure() => return Ok(payment),
            PaymentStatus::Failed | PaymentStatus::RequiresReview => {
                // No channel has it, so there is nothing to close but our own record.
                let now = self.clock.now();
                return commit(&*self.store, payment, |p| close_locally(p, now)).await;
            }
            PaymentStatus::Pending | PaymentStatus::Unknown => {}
        }
        let channel = self.channel_of(&payment)?;
        let state = channel
            .bounded(channel.provider.close(&payment))
            .await
            .map_err(Error::Channel)?;
        let payment = self.apply_state(payment, &state).await?;
        match payment.status {
            PaymentStatus::Succeeded => Err(Error::PaymentAlreadySucceeded),
            PaymentStatus::Closed | PaymentStatus::Failed => Ok(payment),
            _ => Err(Error::Channel(ChannelFailure::new(
                FailureKind::NotProcessed,
                "CLOSE_NOT_CONFIRMED",
                "the channel did not confirm the close",
            ))),
        }
    }

    /// Asks the payment's channel where it stands and applies the answer.
    pub async fn sync(&self, merchant: &Merchant, key: PaymentKey) -> Result<Payment, Error> {
        let payment = self.find(merchant, key).await?;
        self.settle(payment).await
    }

    /// Asks a payment's channel where it stands, whatever its owner, and applies the answer.
    pub async fn settle(&self, payment: Payment) -> Result<Payment, Error> {
        self.settle_swept(payment, 0, GiveUp::NEVER).await
    }

    /// Settles an UNKNOWN or PENDING payment for the sweeper, which has checked it
    /// `earlier_checks` times since it last changed. An UNKNOWN payment whose channel says
    /// it has no such order, on `give_up.checks` checks in a row and at least `give_up.after`
    /// since it became UNKNOWN, is closed at the channel (so a request still on its way
    /// cannot create the order later) and ended: CLOSED past its expiry, else FAILED with
    /// `NOT_AT_CHANNEL`, which a create with the same merchant_order_id places again.
    pub async fn settle_swept(
        &self,
        payment: Payment,
        earlier_checks: u32,
        give_up: GiveUp,
    ) -> Result<Payment, Error> {
        if !matches!(
            payment.status,
            PaymentStatus::Pending | PaymentStatus::Unknown
        ) {
            return Ok(payment);
        }
        let channel = self.channel_of(&payment)?;
        let state = channel
            .bounded(channel.provider.query(&payment))
            .await
            .map_err(Error::Channel)?;
        let now = self.clock.now();
        let never_got_it = state == OrderState::NotFound
            && payment.status == PaymentStatus::Unknown
            && earlier_checks.saturating_add(1) >= give_up.checks
            && now.since(payment.updated_at) >= give_up.after;
        if !never_got_it {
            return self.apply_state(payment, &state).await;
        }
        tracing::warn!(payment = %payment.id, checks = earlier_checks + 1, "its channel never got it; closing it there");
        let state = channel
            .bounded(channel.provider.close(&payment))
            .await
            .map_err(Error::Channel)?;
        if !matches!(state, OrderState::Closed | OrderState::NotFound) {
            // It arrived after all (paid, or waiting for the buyer): that answer stands.
            return self.apply_state(payment, &state).await;
        }
        commit(&*self.store, payment, |p| {
            if p.status != PaymentStatus::Unknown {
                return Ok(None);
            }
            if now >= p.expires_at {
                p.enter(PaymentStatus::Closed, now)?;
                return Ok(Some(Touched::event(EventType::PaymentClosed)));
            }
            p.fail(
                Failure::new(
                    Failure::NOT_AT_CHANNEL,
                    "the channel never received the payment; it may be retried",
                ),
                now,
            )?;
            Ok(Some(Touched::event(EventType::PaymentFailed)))
        })
        .await
    }

    /// Takes over a placement whose node stopped before recording the channel's answer:
    /// the call may have reached the channel, so its attempt is ambiguous and the payment
    /// UNKNOWN, to be settled by querying. A placement that does answer later still records
    /// its answer (an UNKNOWN payment can still succeed, wait for the buyer or fail).
    pub async fn presume_abandoned(&self, payment: Payment) -> Result<Payment, Error> {
        let now = self.clock.now();
        commit(&*self.store, payment, |p| {
            if p.status != PaymentStatus::Processing {
                return Ok(None);
            }
            let mut touched = Touched::event(EventType::PaymentUnknown);
            for a in p
                .attempts
                .iter_mut()
                .filter(|a| a.outcome == AttemptOutcome::InFlight)
            {
                a.outcome = AttemptOutcome::Ambiguous;
                a.error_code = Some("PLACEMENT_ABANDONED".into());
                a.error_message = Some("the placing node stopped before the answer".into());
                touched.attempts.push(a.id.clone());
            }
            p.enter(PaymentStatus::Unknown, now)?;
            Ok(Some(touched))
        })
        .await
    }

    fn channel_of(&self, payment: &Payment) -> Result<&Arc<Channel>, Error> {
        payment
            .channel_id
            .as_ref()
            .and_then(|id| self.router.channel(id))
            .ok_or_else(|| {
                Error::Channel(ChannelFailure::new(
                    FailureKind::NotProcessed,
                    "CHANNEL_NOT_CONFIGURED",
                    "the payment's channel is no longer configured",
                ))
            })
    }

    /// Applies what a channel said about an order.
    async fn apply_state(&self, payment: Payment, state: &OrderState) -> Result<Payment, Error> {
        let now = self.clock.now();
        commit(&*self.store, payment, |p| {
            let (to, event) = match state {
                OrderState::Paid {
                    transaction_id,
                    paid_at,
                } if p.can_enter(PaymentStatus::Succeeded) => {
                    p.succeed(transaction_id.clone(), *paid_at, now)?;
                    return Ok(Some(Touched::event(EventType::PaymentSucceeded)));
                }
                OrderState::AwaitingBuyer if p.status == PaymentStatus::Unknown => {
                    (PaymentStatus::Pending, EventType::PaymentPending)
                }
                OrderState::Closed if p.can_enter(PaymentStatus::Closed) => {
                    (PaymentStatus::Closed, EventType::PaymentClosed)
                }
                OrderState::Failed(f) if p.can_enter(PaymentStatus::Failed) => {
                    p.fail(f.clone(), now)?;
                    return Ok(Some(Touched::event(EventType::PaymentFailed)));
                }
                _ => return Ok(None),
            };
            p.enter(to, now)?;
            Ok(Some(Touched::event(event)))
        })
        .await
    }
}

fn close_locally(p: &mut Payment, now: Timestamp) -> Result<Option<Touched>, Error> {
    if !p.can_enter(PaymentStatus::Closed) {
        return Ok(None);
    }
    p.enter(PaymentStatus::Closed, now)?;
    Ok(Some(Touched::event(EventType::PaymentClosed)))
}

/// When the sweeper stops asking a channel about an UNKNOWN payment it says it never got.
#[derive(Debug, Clone, Copy)]
pub struct GiveUp {
    /// Consecutive "no such order" answers.
    pub checks: u32,
    /// Time since the payment became UNKNOWN.
    pub after: Duration,
}

impl GiveUp {
    /// Never: a single query (SyncPayment) only applies what the channel says.
    const NEVER: Self = Self {
        checks: u32::MAX,
        after: Duration::MAX,
    };
}
