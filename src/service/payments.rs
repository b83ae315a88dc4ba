//! Payments: create (idempotent, with failover across channels), read, list, close, sync.

mod list;
mod place;
pub mod review;
mod screen;
mod settle;
pub mod validate;

pub use settle::GiveUp;

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;
use tracing::Instrument;

use prost::Message;
use sha2::{Digest, Sha256};

use super::Error;
use super::risk::Risk;
use crate::config::PaymentsConfig;
use crate::domain::{
    Attempt, AttemptId, AttemptOutcome, Clock, Event, EventType, HeldRoute, Merchant, Payment,
    PaymentId, PaymentStatus,
};
use crate::metrics::Metrics;
use crate::proto::v1;
use crate::routing::{Channel, RouteRequest, Router};
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
    risk: Arc<Risk>,
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
        risk: Arc<Risk>,
    ) -> Self {
        Self {
            store,
            router,
            clock,
            config,
            metrics,
            risk,
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
        let plan = route.in_scope(|| self.plan(merchant, &new));
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
            risk: None,
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
        let fingerprint = payment.fingerprint.clone();
        let rules = self.risk.rules();
        let inserted = if rules.is_empty() {
            let event = event_for(
                &payment,
                EventType::PaymentCreated,
                crate::proto::payment(&payment).encode_to_vec(),
            );
            self.insert(payment, &event).await?
        } else {
            let route = HeldRoute {
                routing_tag: new.routing_tag,
                preferred_channel: new.preferred_channel.map(|c| c.to_string()),
                excluded_channels: new
                    .excluded_channels
                    .iter()
                    .map(|c| c.to_string())
                    .collect(),
            };
            self.insert_screened(&rules, merchant, payment, route)
                .await?
        };
        match inserted {
            Inserted::Created(p) if p.status == PaymentStatus::Processing => {
                self.spawn_place(p, plan, deadline).await
            }
            // Held for review or blocked: no channel is called.
            Inserted::Created(p) => Ok(p),
            Inserted::Exists(existing) => {
                self.replay(*existing, &fingerprint, plan, deadline).await
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

    /// Inserts a new payment with the event its insert emits: the payment as stored, or
    /// the one its merchant_order_id names already.
    async fn insert(&self, payment: Payment, event: &Event) -> Result<Inserted<Payment>, Error> {
        Ok(match self.store.insert_payment(&payment, event).await? {
            Inserted::Created(()) => Inserted::Created(payment),
            Inserted::Exists(existing) => Inserted::Exists(existing),
        })
    }

    /// The channels a validated create request goes to, in order.
    fn plan(&self, merchant: &Merchant, new: &validate::NewPayment) -> Vec<Arc<Channel>> {
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

    /// Reads one of the merchant's payments, by id or merchant_order_id.
    pub async fn get(
        &self,
        merchant: &Merchant,
        req: &v1::GetPaymentRequest,
    ) -> Result<Payment, Error> {
        use v1::get_payment_request::Lookup;
        let key = match &req.lookup {
            Some(Lookup::Id(id)) => PaymentKey::Id(parse_id(id)?),
            Some(Lookup::MerchantOrderId(o)) => order_key(o)?,
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
}

/// A merchant_order_id from a request, or INVALID_ARGUMENT naming the field.
fn order_key(merchant_order_id: &str) -> Result<PaymentKey, Error> {
    if validate::valid_order_id(merchant_order_id) {
        Ok(PaymentKey::MerchantOrderId(merchant_order_id.to_owned()))
    } else {
        Err(Error::invalid(
            "merchant_order_id",
            "INVALID_MERCHANT_ORDER_ID",
            "must be 1-64 characters of A-Z, a-z, 0-9, _ and -",
        ))
    }
}

/// The payment a request names by exactly one of `id` and `merchant_order_id`.
pub fn payment_key(id: &str, merchant_order_id: &str) -> Result<PaymentKey, Error> {
    match (id.is_empty(), merchant_order_id.is_empty()) {
        (false, true) => Ok(PaymentKey::Id(parse_id(id)?)),
        (true, false) => order_key(merchant_order_id),
        (true, true) => Err(Error::invalid(
            "id",
            "REQUIRED",
            "one of id or merchant_order_id is required",
        )),
        (false, false) => Err(Error::invalid(
            "merchant_order_id",
            "ONE_OF",
            "give id or merchant_order_id, not both",
        )),
    }
}

/// A payment id from a request, or INVALID_ARGUMENT naming the field.
pub fn parse_id(id: &str) -> Result<PaymentId, Error> {
    id.parse()
        .map_err(|_| Error::invalid("id", "INVALID_ID", "must be a payment id (pay_…)"))
}
