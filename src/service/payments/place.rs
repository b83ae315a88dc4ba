//! Placing a payment: the planned channels in order, failing over only where a channel
//! certainly did not act.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;
use tracing::Instrument;

use crate::domain::{
    Attempt, AttemptId, AttemptOutcome, EventType, Failure, Payment, PaymentStatus, Timestamp,
};
use crate::provider::{ChannelFailure, FailureKind, Placed};
use crate::routing::{CALLER_DEADLINE, Channel, Skip};
use crate::service::Error;
use crate::service::commit::{Touched, commit};

impl super::Payments {
    /// Tries the planned channels in order until one answers. Only a channel that certainly
    /// did not act on the request lets the next one be tried; channels that may not be
    /// called now (disabled, breaker open, rate limited) are skipped and the skip recorded.
    pub(super) async fn place(
        &self,
        mut payment: Payment,
        plan: Vec<Arc<Channel>>,
        deadline: Option<Instant>,
    ) -> Result<Payment, Error> {
        // Skips are written together with the next write, not one transaction each.
        let mut skipped: Vec<Attempt> = Vec::new();
        // A new payment was stored with its first attempt already in flight.
        let mut stored_first = payment
            .attempts
            .iter()
            .find(|a| a.outcome == AttemptOutcome::InFlight)
            .cloned();
        for channel in plan {
            let first = stored_first.take();
            let now = self.clock.now();
            let started = Instant::now();
            let budget = deadline.map(|d| d.saturating_duration_since(started));
            let admitted = if budget.is_some_and(|b| b < MIN_ATTEMPT_BUDGET) {
                Err(Skip::NoTimeLeft)
            } else {
                channel.admit(started)
            };
            let mut attempt = first.clone().unwrap_or_else(|| Attempt {
                id: AttemptId::generate(now.as_millis()),
                channel_id: channel.id.clone(),
                outcome: AttemptOutcome::InFlight,
                error_code: None,
                error_message: None,
                latency: None,
                started_at: now,
            });
            let attempt_id = attempt.id.clone();
            let span = tracing::info_span!(
                "attempt",
                channel = %channel.id,
                attempt = %attempt_id,
                outcome = tracing::field::Empty,
                reason = tracing::field::Empty,
            );
            let permit = match admitted {
                Ok(permit) => permit,
                Err(skip) => {
                    span.record("outcome", AttemptOutcome::Skipped.as_str());
                    span.record("reason", skip.code());
                    self.metrics.attempt(
                        channel.id.as_str(),
                        AttemptOutcome::Skipped.as_str(),
                        None,
                    );
                    if skip == Skip::RateLimited {
                        self.metrics.limiter_rejection(channel.id.as_str());
                    }
                    attempt.outcome = AttemptOutcome::Skipped;
                    attempt.error_code = Some(skip.code().to_owned());
                    attempt.error_message = Some(skip.message().to_owned());
                    skipped.push(attempt);
                    if skip == Skip::NoTimeLeft {
                        break;
                    }
                    continue;
                }
            };
            // The attempt is on disk before the channel hears of it, so a crash leaves a
            // record of where the order may be (a new payment's first one already is).
            if first.is_none() {
                let mut written = std::mem::take(&mut skipped);
                written.push(attempt);
                payment = commit(&*self.store, payment, |p| {
                    p.channel_id = Some(channel.id.clone());
                    add_attempts(p, &written);
                    p.updated_at = now;
                    Ok(Some(Touched {
                        event: None,
                        attempts: written.iter().map(|a| a.id.clone()).collect(),
                    }))
                })
                .await?;
            }

            let result = {
                let _in_flight = channel.stats.start();
                channel
                    .bounded_within(budget, channel.provider.create(&payment, &attempt_id))
                    .instrument(span.clone())
                    .await
            };
            // Stored in microseconds; keep the answer equal to what a later read returns.
            let latency = Duration::from_micros(
                u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
            );
            let code = result.as_ref().err().map(|f| f.code.as_str());
            if code == Some(CALLER_DEADLINE) {
                // The caller's deadline, not the channel, ended the call: the permit goes
                // back uncounted, so one impatient caller cannot open the breaker for all.
                drop(permit);
            } else {
                let channel_ok = match &result {
                    Ok(_) => true,
                    Err(f) => f.kind == FailureKind::Declined,
                };
                channel.finish(permit, channel_ok, latency, code, Instant::now());
            }
            let outcome = match &result {
                Ok(_) => AttemptOutcome::Accepted,
                Err(f) => match f.kind {
                    FailureKind::NotProcessed => AttemptOutcome::NotProcessed,
                    FailureKind::Ambiguous => AttemptOutcome::Ambiguous,
                    FailureKind::Declined => AttemptOutcome::Declined,
                },
            };
            self.metrics
                .attempt(channel.id.as_str(), outcome.as_str(), Some(latency));
            span.record("outcome", outcome.as_str());
            if let Some(code) = code {
                span.record("reason", code);
            }
            let not_processed = matches!(&result, Err(f) if f.kind == FailureKind::NotProcessed);
            let clock = &self.clock;
            payment = commit(&*self.store, payment, |p| {
                Ok(Some(record_attempt(
                    p,
                    &attempt_id,
                    &result,
                    latency,
                    clock.now(),
                )))
            })
            .await?;
            if !not_processed {
                return Ok(payment);
            }
        }
        let clock = &self.clock;
        let payment = commit(&*self.store, payment, |p| {
            if p.status != PaymentStatus::Processing {
                return Ok(None);
            }
            let failure = Failure::new(
                Failure::CHANNELS_UNAVAILABLE,
                "no channel could take the payment; it may be retried",
            );
            p.fail(failure, clock.now())?;
            add_attempts(p, &skipped);
            Ok(Some(Touched {
                event: Some(EventType::PaymentFailed),
                attempts: skipped.iter().map(|a| a.id.clone()).collect(),
            }))
        })
        .await?;
        if payment.is_retryable_failure() {
            Err(Error::ChannelsUnavailable)
        } else {
            Ok(payment)
        }
    }
}

/// Puts these attempts on the payment, replacing older versions of the same attempts (a
/// re-read after a lost race may lack them, or have them still in flight).
fn add_attempts(p: &mut Payment, attempts: &[Attempt]) {
    for a in attempts {
        match p.attempt_mut(&a.id) {
            Some(existing) => *existing = a.clone(),
            None => p.attempts.push(a.clone()),
        }
    }
}

/// The least time worth giving a channel; with less left, no channel is tried.
const MIN_ATTEMPT_BUDGET: Duration = Duration::from_millis(20);

/// Records a channel's answer on the attempt and, where the payment is still waiting for
/// that answer, on the payment. A payment that moved on meanwhile (a notification that
/// overtook the answer) keeps its state; only the attempt is recorded.
fn record_attempt(
    p: &mut Payment,
    attempt_id: &AttemptId,
    result: &Result<Placed, ChannelFailure>,
    latency: Duration,
    now: Timestamp,
) -> Touched {
    let waiting = p.status == PaymentStatus::Processing;
    let mut event = None;
    let outcome = match result {
        Ok(Placed::AwaitingBuyer { action, reference }) => {
            if waiting && p.await_buyer(action.clone(), now).is_ok() {
                event = Some(EventType::PaymentPending);
                p.provider_transaction_id.clone_from(reference);
            }
            AttemptOutcome::Accepted
        }
        Ok(Placed::Processing { reference }) => {
            // Taken, result to come: a query or notification settles it.
            if waiting && p.enter(PaymentStatus::Unknown, now).is_ok() {
                event = Some(EventType::PaymentUnknown);
                p.provider_transaction_id = Some(reference.clone());
            }
            AttemptOutcome::Accepted
        }
        Ok(Placed::Paid {
            transaction_id,
            paid_at,
        }) => {
            if p.can_enter(PaymentStatus::Succeeded)
                && p.succeed(transaction_id.clone(), *paid_at, now).is_ok()
            {
                event = Some(EventType::PaymentSucceeded);
            }
            AttemptOutcome::Accepted
        }
        Err(f) => match f.kind {
            FailureKind::NotProcessed => AttemptOutcome::NotProcessed,
            FailureKind::Ambiguous => {
                if waiting && p.enter(PaymentStatus::Unknown, now).is_ok() {
                    event = Some(EventType::PaymentUnknown);
                }
                AttemptOutcome::Ambiguous
            }
            FailureKind::Declined => {
                if waiting
                    && p.fail(Failure::new(f.code.clone(), f.message.clone()), now)
                        .is_ok()
                {
                    event = Some(EventType::PaymentFailed);
                }
                AttemptOutcome::Declined
            }
        },
    };
    if let Some(a) = p.attempt_mut(attempt_id) {
        a.outcome = outcome;
        a.latency = Some(latency);
        if let Err(f) = result {
            a.error_code = Some(f.code.clone());
            a.error_message = Some(f.message.clone());
        }
    }
    p.updated_at = now;
    Touched {
        event,
        attempts: vec![attempt_id.clone()],
    }
}
