//! Payments: create (idempotent, with failover across channels), read, list, close, sync.

mod list;
pub mod validate;

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;
use tracing::Instrument;

use prost::Message;
use sha2::{Digest, Sha256};

use super::Error;
use super::commit::{Touched, commit};
use crate::config::PaymentsConfig;
use crate::domain::{
    Attempt, AttemptId, AttemptOutcome, Clock, EventType, Failure, Merchant, Payment, PaymentId,
    PaymentStatus,
};
use crate::metrics::Metrics;
use crate::proto::v1;
use crate::provider::{ChannelFailure, FailureKind, OrderState, Placed};
use crate::routing::{CALLER_DEADLINE, Channel, RouteRequest, Router, Skip};
use crate::storage::{Inserted, PaymentKey, Store, event_for};

pub use list::Page;

/// The payment use cases. Cloning is cheap (shared handles), so a placement can run in its
/// own task.
#[derive(Clone)]
pub struct Payments {
    store: Arc<dyn Store>,
    router: Arc<Router>,
    clock: Arc<dyn Clock>,
    config: PaymentsConfig,
    metrics: Arc<Metrics>,
    /// Payments this node is placing now, for a shutdown to hand over.
    placing: Arc<Mutex<HashSet<PaymentId>>>,
}

/// Marks a payment as being placed by this node while it lives.
struct Placing {
    ids: Arc<Mutex<HashSet<PaymentId>>>,
    id: PaymentId,
}

impl Placing {
    fn new(ids: &Arc<Mutex<HashSet<PaymentId>>>, id: PaymentId) -> Self {
        ids.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id.clone());
        Self {
            ids: ids.clone(),
            id,
        }
    }
}

impl Drop for Placing {
    fn drop(&mut self) {
        self.ids
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.id);
    }
}

impl Payments {
    pub fn new(
        store: Arc<dyn Store>,
        router: Arc<Router>,
        clock: Arc<dyn Clock>,
        config: PaymentsConfig,
        metrics: Arc<Metrics>,
    ) -> Self {
        Self {
            store,
            router,
            clock,
            config,
            metrics,
            placing: Arc::default(),
        }
    }

    /// Hands over what this node is still placing, for a shutdown whose grace period ended:
    /// each such payment is recorded as abandoned now (UNKNOWN, its attempt ambiguous), so
    /// any node's sweeper queries it at once instead of after `abandoned_after_secs`.
    /// Returns how many were handed over.
    pub async fn abandon_in_flight(&self) -> usize {
        let ids: Vec<PaymentId> = self
            .placing
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .cloned()
            .collect();
        let mut abandoned = 0;
        for id in ids {
            let result = match self.load(&id).await {
                Ok(p) => self.presume_abandoned(p).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(p) if p.status == PaymentStatus::Unknown => abandoned += 1,
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(payment = %id, error = %e, "could not hand over a placement")
                }
            }
        }
        abandoned
    }

    /// Creates a payment and places it at the first channel that takes it. A replay of the
    /// same request returns the same payment; concurrent duplicates wait for the first one
    /// and make no channel call of their own.
    ///
    /// `budget` is the caller's remaining deadline: no channel is tried without time for it.
    pub async fn create(
        &self,
        merchant: &Merchant,
        req: &v1::CreatePaymentRequest,
        budget: Option<Duration>,
    ) -> Result<Payment, Error> {
        let deadline = budget.map(|b| Instant::now() + b);
        // Maps are sorted, so the encoding (and the fingerprint) is deterministic.
        let fingerprint = Sha256::digest(req.encode_to_vec()).to_vec();
        let new = match validate::create(req, &self.config, &self.router) {
            Ok(new) => new,
            Err(violations) => {
                return self
                    .replay_or_refuse(merchant, req, &fingerprint, violations)
                    .await;
            }
        };
        let route = tracing::info_span!(
            "route",
            method = new.method.as_str(),
            planned = tracing::field::Empty
        );
        let plan = route.in_scope(|| {
            self.router.plan(
                &RouteRequest {
                    method: new.method,
                    amount: new.amount,
                    merchant: &merchant.id,
                    tag: new.routing_tag.as_deref(),
                    preferred: new.preferred_channel.as_ref(),
                    excluded: &new.excluded_channels,
                },
                &mut rand::rng(),
            )
        });
        if !route.is_disabled() {
            let planned: Vec<&str> = plan.iter().map(|c| c.id.as_str()).collect();
            route.record("planned", planned.join(","));
        }
        drop(route);
        let now = self.clock.now();
        let payment = Payment {
            id: PaymentId::generate(now.as_millis()),
            merchant_id: merchant.id.clone(),
            merchant_order_id: new.merchant_order_id,
            fingerprint,
            amount: new.amount,
            description: new.description,
            method: new.method,
            status: PaymentStatus::Processing,
            channel_id: None,
            provider_transaction_id: None,
            next_action: None,
            refunded_minor: 0,
            failure: None,
            metadata: new.metadata,
            payer: new.payer,
            return_url: new.return_url,
            attempts: Vec::new(),
            created_at: now,
            updated_at: now,
            paid_at: None,
            expires_at: now.saturating_add(new.expires_in),
            paid_after_close: None,
            version: 0,
        };
        if plan.is_empty() {
            // Nothing could take it: refuse before storing, unless it exists already.
            let key = PaymentKey::MerchantOrderId(payment.merchant_order_id.clone());
            return match self.store.payment(&merchant.id, &key).await? {
                Some(existing) => {
                    self.replay(existing, &payment.fingerprint, plan, deadline)
                        .await
                }
                None => Err(Error::invalid(
                    "method",
                    "NO_ELIGIBLE_CHANNEL",
                    format!(
                        "no channel takes {} payments of {} under the routing rules",
                        payment.method.as_str(),
                        payment.amount
                    ),
                )),
            };
        }
        // The first attempt is stored with the payment, in flight at the first planned
        // channel: one commit fewer before that channel is called. If the channel may not be
        // called after all, the attempt is recorded as skipped.
        let mut payment = payment;
        payment.channel_id = Some(plan[0].id.clone());
        payment.attempts.push(Attempt {
            id: AttemptId::generate(now.as_millis()),
            channel_id: plan[0].id.clone(),
            outcome: AttemptOutcome::InFlight,
            error_code: None,
            error_message: None,
            latency: None,
            started_at: now,
        });
        let event = event_for(
            &payment,
            EventType::PaymentCreated,
            crate::proto::payment(&payment).encode_to_vec(),
        );
        match self.store.insert_payment(&payment, &event).await? {
            Inserted::Created => self.spawn_place(payment, plan, deadline).await,
            Inserted::Exists(existing) => {
                self.replay(*existing, &payment.fingerprint, plan, deadline)
                    .await
            }
        }
    }

    /// Places the payment in a task of its own, so a caller that goes away mid-call cannot
    /// leave it half-placed.
    async fn spawn_place(
        &self,
        payment: Payment,
        plan: Vec<Arc<Channel>>,
        deadline: Option<Instant>,
    ) -> Result<Payment, Error> {
        let this = self.clone();
        let id = payment.id.clone();
        let span = tracing::info_span!("place", payment = %id);
        let marked = Placing::new(&self.placing, id.clone());
        let placing = async move {
            let _marked = marked;
            this.place(payment, plan, deadline).await
        };
        match tokio::spawn(placing.instrument(span)).await {
            Ok(result) => result,
            Err(e) => Err(Error::Internal(format!(
                "the placement task of {id} failed: {e}"
            ))),
        }
    }

    /// Answers a create that failed validation. Validation reads config and runtime state
    /// (enabled channels, limits), so a request that passed it once may fail it now: a replay
    /// of a stored payment is answered from the store, or the caller, told the request is
    /// invalid, would try a new order id and could charge the buyer twice.
    async fn replay_or_refuse(
        &self,
        merchant: &Merchant,
        req: &v1::CreatePaymentRequest,
        fingerprint: &[u8],
        violations: Vec<super::Violation>,
    ) -> Result<Payment, Error> {
        if validate::valid_order_id(&req.merchant_order_id) {
            let key = PaymentKey::MerchantOrderId(req.merchant_order_id.clone());
            if let Some(existing) = self.store.payment(&merchant.id, &key).await?
                && existing.fingerprint == fingerprint
            {
                // No plan: a payment no channel took is not placed again until the request
                // is valid again; the caller is told to retry.
                return self.replay(existing, fingerprint, Vec::new(), None).await;
            }
        }
        Err(Error::InvalidRequest(violations))
    }

    /// Answers a create whose merchant_order_id already exists.
    async fn replay(
        &self,
        mut existing: Payment,
        fingerprint: &[u8],
        plan: Vec<Arc<Channel>>,
        deadline: Option<Instant>,
    ) -> Result<Payment, Error> {
        if existing.fingerprint != fingerprint {
            return Err(Error::IdempotencyConflict);
        }
        loop {
            if existing.status == PaymentStatus::Processing {
                let settled = self.wait_settled(&existing.id).await?;
                return if settled.is_retryable_failure() {
                    Err(Error::ChannelsUnavailable)
                } else {
                    Ok(settled)
                };
            }
            if !existing.is_retryable_failure() {
                return Ok(existing);
            }
            if plan.is_empty() {
                return Err(Error::ChannelsUnavailable);
            }
            // No channel took it last time: this caller places it again, unless another
            // caller reopened it first (then the loop waits for that one).
            let expected = existing.version;
            let mut reopened = existing.clone();
            reopened.enter(PaymentStatus::Processing, self.clock.now())?;
            let event = event_for(
                &reopened,
                EventType::PaymentProcessing,
                crate::proto::payment(&reopened).encode_to_vec(),
            );
            let change = crate::storage::PaymentChange {
                payment: &reopened,
                expected_version: expected,
                attempts: Vec::new(),
                event: Some(&event),
            };
            match self.store.apply(change).await {
                Ok(()) => {
                    reopened.version = expected + 1;
                    return self.spawn_place(reopened, plan, deadline).await;
                }
                Err(crate::storage::StoreError::Conflict(_)) => {
                    existing = self.load(&existing.id).await?;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    async fn load(&self, id: &PaymentId) -> Result<Payment, Error> {
        self.store
            .payment_by_id(id)
            .await?
            .ok_or(Error::PaymentNotFound)
    }

    /// Waits until another caller's channel call for this payment has an answer.
    async fn wait_settled(&self, id: &PaymentId) -> Result<Payment, Error> {
        let deadline = Instant::now() + Duration::from_millis(self.config.in_flight_wait_ms);
        let mut pause = Duration::from_millis(2);
        loop {
            let p = self.load(id).await?;
            if p.status != PaymentStatus::Processing {
                return Ok(p);
            }
            if Instant::now() + pause > deadline {
                return Err(Error::PaymentInProgress);
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_millis(100));
        }
    }

    /// Tries the planned channels in order until one answers. Only a channel that certainly
    /// did not act on the request lets the next one be tried; channels that may not be
    /// called now (disabled, breaker open, rate limited) are skipped and the skip recorded.
    async fn place(
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

    /// Reads one of the merchant's payments, by id or merchant_order_id.
    pub async fn get(
        &self,
        merchant: &Merchant,
        req: &v1::GetPaymentRequest,
    ) -> Result<Payment, Error> {
        use v1::get_payment_request::Lookup;
        let key = match &req.lookup {
            Some(Lookup::Id(id)) => PaymentKey::Id(parse_id(id)?),
            Some(Lookup::MerchantOrderId(o)) if validate::valid_order_id(o) => {
                PaymentKey::MerchantOrderId(o.clone())
            }
            Some(Lookup::MerchantOrderId(_)) => {
                return Err(Error::invalid(
                    "merchant_order_id",
                    "INVALID_MERCHANT_ORDER_ID",
                    "must be 1-64 characters of A-Z, a-z, 0-9, _ and -",
                ));
            }
            None => {
                return Err(Error::invalid(
                    "lookup",
                    "REQUIRED",
                    "one of id or merchant_order_id is required",
                ));
            }
        };
        self.find(merchant, key).await
    }

    async fn find(&self, merchant: &Merchant, key: PaymentKey) -> Result<Payment, Error> {
        self.store
            .payment(&merchant.id, &key)
            .await?
            .ok_or(Error::PaymentNotFound)
    }

    /// Lists the merchant's payments, newest first.
    pub async fn list(
        &self,
        merchant: &Merchant,
        req: &v1::ListPaymentsRequest,
    ) -> Result<Page, Error> {
        list::list(&*self.store, merchant, req).await
    }

    /// Closes an unpaid payment at its channel and locally.
    pub async fn close(&self, merchant: &Merchant, id: &str) -> Result<Payment, Error> {
        let payment = self.find(merchant, PaymentKey::Id(parse_id(id)?)).await?;
        self.close_payment(payment).await
    }

    /// Closes a payment whatever its owner (the sweeper closes expired ones).
    pub async fn close_payment(&self, payment: Payment) -> Result<Payment, Error> {
        match payment.status {
            PaymentStatus::Succeeded => return Err(Error::PaymentAlreadySucceeded),
            PaymentStatus::Processing => return Err(Error::PaymentInProgress),
            PaymentStatus::Closed => return Ok(payment),
            PaymentStatus::Failed if !payment.is_retryable_failure() => return Ok(payment),
            PaymentStatus::Failed => {
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
    pub async fn sync(&self, merchant: &Merchant, id: &str) -> Result<Payment, Error> {
        let payment = self.find(merchant, PaymentKey::Id(parse_id(id)?)).await?;
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

fn close_locally(p: &mut Payment, now: crate::domain::Timestamp) -> Result<Option<Touched>, Error> {
    if !p.can_enter(PaymentStatus::Closed) {
        return Ok(None);
    }
    p.enter(PaymentStatus::Closed, now)?;
    Ok(Some(Touched::event(EventType::PaymentClosed)))
}

/// A payment id from a request, or INVALID_ARGUMENT naming the field.
pub fn parse_id(id: &str) -> Result<PaymentId, Error> {
    id.parse()
        .map_err(|_| Error::invalid("id", "INVALID_ID", "must be a payment id (pay_…)"))
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
    now: crate::domain::Timestamp,
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
