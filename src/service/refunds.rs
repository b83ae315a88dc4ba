//! Refunds: create (idempotent, within what is left of the payment, at the payment's
//! channel), read, list, and settle pending ones by asking the channel.

use std::sync::Arc;
use std::time::Duration;

use prost::Message;
use sha2::{Digest, Sha256};
use tracing::Instrument;

use super::Error;
use super::payments::validate::valid_order_id;
use crate::domain::{
    Clock, EventType, Failure, Merchant, Money, Payment, PaymentStatus, Refund, RefundId,
    RefundStatus, Timestamp,
};
use crate::metrics::Metrics;
use crate::proto::{self, v1};
use crate::provider::{FailureKind, RefundState};
use crate::routing::Router;
use crate::storage::{PaymentKey, RefundInsert, RefundKey, Store, StoreError};

pub const MAX_REASON: usize = 256;
const DEFAULT_PAGE: u32 = 20;
const MAX_PAGE: u32 = 100;

/// The refund use cases. Cloning is cheap, so a channel call can run in its own task.
#[derive(Clone)]
pub struct Refunds {
    store: Arc<dyn Store>,
    router: Arc<Router>,
    clock: Arc<dyn Clock>,
    /// How long after being paid a payment may be refunded.
    window: Duration,
    metrics: Arc<Metrics>,
}

/// The event a refund emits on reaching its current state.
pub fn refund_event(r: &Refund, kind: EventType) -> crate::domain::Event {
    crate::domain::Event {
        id: crate::domain::EventId::generate(r.updated_at.as_millis()),
        merchant_id: r.merchant_id.clone(),
        event_type: kind,
        payment_id: r.payment_id.clone(),
        payload: proto::refund(r).encode_to_vec(),
        created_at: r.updated_at,
        trace_context: crate::telemetry::traceparent(),
    }
}

impl Refunds {
    pub fn new(
        store: Arc<dyn Store>,
        router: Arc<Router>,
        clock: Arc<dyn Clock>,
        window: Duration,
        metrics: Arc<Metrics>,
    ) -> Self {
        Self {
            store,
            router,
            clock,
            window,
            metrics,
        }
    }

    /// Creates a refund and sends it to the payment's channel.
    pub async fn create(
        &self,
        merchant: &Merchant,
        req: &v1::CreateRefundRequest,
    ) -> Result<Refund, Error> {
        use v1::create_refund_request::Payment as Lookup;
        let mut bad = Vec::new();
        if !valid_order_id(&req.merchant_refund_id) {
            bad.push(super::Violation::new(
                "merchant_refund_id",
                "INVALID_MERCHANT_REFUND_ID",
                "must be 1-64 characters of A-Z, a-z, 0-9, _ and -",
            ));
        }
        if req.reason.chars().count() > MAX_REASON {
            bad.push(super::Violation::new(
                "reason",
                "TOO_LONG",
                format!("must be at most {MAX_REASON} characters"),
            ));
        }
        if req.amount.as_ref().is_some_and(|a| a.amount_minor <= 0) {
            bad.push(super::Violation::new(
                "amount.amount_minor",
                "INVALID_AMOUNT",
                "must be positive",
            ));
        }
        let key = match &req.payment {
            Some(Lookup::PaymentId(id)) => id.parse().map(PaymentKey::Id).map_err(|_| {
                super::Violation::new("payment_id", "INVALID_ID", "must be a payment id (pay_…)")
            }),
            Some(Lookup::MerchantOrderId(o)) if valid_order_id(o) => {
                Ok(PaymentKey::MerchantOrderId(o.clone()))
            }
            Some(Lookup::MerchantOrderId(_)) => Err(super::Violation::new(
                "merchant_order_id",
                "INVALID_MERCHANT_ORDER_ID",
                "must be 1-64 characters of A-Z, a-z, 0-9, _ and -",
            )),
            None => Err(super::Violation::new(
                "payment",
                "REQUIRED",
                "one of payment_id or merchant_order_id is required",
            )),
        };
        let key = match key {
            Ok(k) if bad.is_empty() => k,
            Ok(_) => return Err(Error::InvalidRequest(bad)),
            Err(v) => {
                bad.push(v);
                return Err(Error::InvalidRequest(bad));
            }
        };
        let payment = self
            .store
            .payment(&merchant.id, &key)
            .await?
            .ok_or(Error::PaymentNotFound)?;
        if let Some(a) = &req.amount
            && a.currency != payment.amount.currency.code()
        {
            return Err(Error::invalid(
                "amount.currency",
                "CURRENCY_MISMATCH",
                format!(
                    "must be the payment's currency, {}",
                    payment.amount.currency
                ),
            ));
        }
        let now = self.clock.now();
        let fingerprint = Sha256::digest(req.encode_to_vec()).to_vec();
        let channel_id = payment
            .channel_id
            .clone()
            .ok_or(Error::PaymentNotRefundable("the payment has no channel"))?;
        let refund = Refund {
            id: RefundId::generate(now.as_millis()),
            merchant_id: merchant.id.clone(),
            payment_id: payment.id.clone(),
            merchant_refund_id: req.merchant_refund_id.clone(),
            fingerprint,
            amount: Money::new(0, payment.amount.currency),
            reason: req.reason.clone(),
            status: RefundStatus::Pending,
            channel_id,
            provider_refund_id: None,
            failure: None,
            created_at: now,
            updated_at: now,
            succeeded_at: None,
            version: 0,
        };
        // Idempotency comes first: a replay gets the same refund even if the payment can no
        // longer be refunded. So an unrefundable payment is inserted against a limit of 0,
        // and the reason is given only when nothing existed.
        let refundable = self.refundable(&payment, now);
        let limit = if refundable.is_ok() {
            payment.amount.amount_minor
        } else {
            0
        };
        let inserted = self
            .store
            .insert_refund(
                &refund,
                req.amount.as_ref().map(|a| a.amount_minor),
                limit,
                |r| refund_event(r, EventType::RefundCreated),
            )
            .await?;
        match inserted {
            RefundInsert::Exists(existing) if existing.fingerprint == refund.fingerprint => {
                Ok(*existing)
            }
            RefundInsert::Exists(_) => Err(Error::IdempotencyConflict),
            RefundInsert::Exceeds { available_minor } => {
                refundable?;
                Err(Error::RefundExceedsAvailable { available_minor })
            }
            RefundInsert::Created(refund) => {
                let this = self.clone();
                let id = refund.id.clone();
                let span =
                    tracing::info_span!("refund.send", refund = %id, channel = %refund.channel_id);
                let sending = async move { this.send(&payment, *refund).await };
                match tokio::spawn(sending.instrument(span)).await {
                    Ok(result) => result,
                    Err(e) => Err(Error::Internal(format!(
                        "the send task of {id} failed: {e}"
                    ))),
                }
            }
        }
    }

    /// Refunds the whole of a payment its buyer paid after paycore had closed or failed it,
    /// as its merchant could: `merchant_refund_id` `late_<payment id>`, so it is made once.
    pub async fn refund_paid_after_close(&self, payment: &Payment) -> Result<Refund, Error> {
        let merchant = self
            .store
            .merchant(&payment.merchant_id)
            .await?
            .ok_or(Error::PaymentNotFound)?;
        let req = v1::CreateRefundRequest {
            payment: Some(v1::create_refund_request::Payment::PaymentId(
                payment.id.to_string(),
            )),
            merchant_refund_id: format!("late_{}", payment.id),
            reason: "paid after the payment was closed".into(),
            ..Default::default()
        };
        self.create(&merchant, &req).await
    }

    /// Whether the payment can be refunded: something was charged (it succeeded, or was
    /// paid after close), within the refund window.
    fn refundable(&self, payment: &Payment, now: Timestamp) -> Result<(), Error> {
        let paid_at = match (&payment.status, &payment.paid_after_close) {
            (PaymentStatus::Succeeded, _) => payment.paid_at,
            (_, Some(late)) => Some(late.paid_at),
            _ => {
                return Err(Error::PaymentNotRefundable(
                    "only succeeded payments, or payments paid after close, can be refunded",
                ));
            }
        };
        if paid_at.is_some_and(|paid| now.since(paid) > self.window) {
            return Err(Error::PaymentNotRefundable("the refund window has passed"));
        }
        Ok(())
    }

    /// Sends a new refund to the payment's channel and records the answer.
    async fn send(&self, payment: &Payment, refund: Refund) -> Result<Refund, Error> {
        let Some(channel) = self.router.channel(&refund.channel_id) else {
            let failure = Failure::new(
                "CHANNEL_NOT_CONFIGURED",
                "the payment's channel is no longer configured",
            );
            return self.apply(refund, RefundState::Failed(failure)).await;
        };
        let state = match channel
            .bounded(channel.provider.refund(&payment.as_charged(), &refund))
            .await
        {
            Ok(state) => state,
            Err(f) => match f.kind {
                // Certainly not done, or refused: the amount is free again.
                FailureKind::NotProcessed | FailureKind::Declined => {
                    RefundState::Failed(Failure::new(f.code, f.message))
                }
                // May have happened: stays pending until a query says.
                FailureKind::Ambiguous => {
                    tracing::warn!(refund = %refund.id, code = %f.code, "refund outcome unknown; it will be queried");
                    RefundState::Pending {
                        provider_refund_id: None,
                    }
                }
            },
        };
        self.apply(refund, state).await
    }

    /// Asks the channel about a pending refund and records the answer.
    pub async fn sync(&self, refund: Refund) -> Result<Refund, Error> {
        let payment = self
            .store
            .payment_by_id(&refund.payment_id)
            .await?
            .ok_or(Error::PaymentNotFound)?;
        let Some(channel) = self.router.channel(&refund.channel_id) else {
            return Ok(refund);
        };
        let state = channel
            .bounded(
                channel
                    .provider
                    .query_refund(&payment.as_charged(), &refund),
            )
            .await
            .map_err(Error::Channel)?;
        if state == RefundState::NotFound && refund.status == RefundStatus::Pending {
            // The provider never got it (the send failed in a way that left it unknown):
            // send it again under the same refund id, on which every provider deduplicates,
            // so it is refunded at most once. A refusal then fails it and frees its amount.
            tracing::info!(refund = %refund.id, "unknown to its provider; sending it again");
            return self.send(&payment, refund).await;
        }
        self.apply(refund, state).await
    }

    /// Applies a channel's answer (compare-and-set, re-reading on a lost race).
    /// Applies what the refund's channel said about it (an answer, a query, a
    /// notification); a state it cannot move to changes nothing.
    pub async fn apply(&self, mut current: Refund, state: RefundState) -> Result<Refund, Error> {
        loop {
            let mut next = current.clone();
            let now = self.clock.now();
            let event = match &state {
                RefundState::Succeeded { provider_refund_id } => next
                    .succeed(provider_refund_id.clone(), now)
                    .then_some(EventType::RefundSucceeded),
                RefundState::Failed(f) => {
                    next.fail(f.clone(), now).then_some(EventType::RefundFailed)
                }
                RefundState::NeedsAttention(f) => {
                    let moved = next.require_attention(f.clone(), now);
                    if moved {
                        tracing::warn!(refund = %next.id, code = %f.code, "refund requires attention at its provider");
                        self.metrics
                            .refund_requires_attention(next.channel_id.as_str());
                    }
                    moved.then_some(EventType::RefundRequiresAttention)
                }
                RefundState::Pending { provider_refund_id }
                    if next.status == RefundStatus::Pending
                        && provider_refund_id.is_some()
                        && next.provider_refund_id.is_none() =>
                {
                    next.provider_refund_id.clone_from(provider_refund_id);
                    next.updated_at = now;
                    None
                }
                RefundState::Pending { .. } | RefundState::NotFound => return Ok(current),
            };
            if event.is_none() && next.provider_refund_id == current.provider_refund_id {
                return Ok(current);
            }
            let event = event.map(|kind| refund_event(&next, kind));
            match self
                .store
                .apply_refund(&next, current.version, current.status, event.as_ref())
                .await
            {
                Ok(()) => {
                    next.version = current.version + 1;
                    return Ok(next);
                }
                Err(StoreError::Conflict(_)) => {
                    current = self
                        .store
                        .refund_by_id(&current.id)
                        .await?
                        .ok_or(Error::RefundNotFound)?;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    pub async fn get(
        &self,
        merchant: &Merchant,
        req: &v1::GetRefundRequest,
    ) -> Result<Refund, Error> {
        use v1::get_refund_request::Lookup;
        let key =
            match &req.lookup {
                Some(Lookup::Id(id)) => RefundKey::Id(id.parse().map_err(|_| {
                    Error::invalid("id", "INVALID_ID", "must be a refund id (rfd_…)")
                })?),
                Some(Lookup::MerchantRefundId(r)) => RefundKey::MerchantRefundId(r.clone()),
                None => {
                    return Err(Error::invalid(
                        "lookup",
                        "REQUIRED",
                        "one of id or merchant_refund_id is required",
                    ));
                }
            };
        self.store
            .refund(&merchant.id, &key)
            .await?
            .ok_or(Error::RefundNotFound)
    }

    /// Lists refunds newest first; the page token is the last refund id returned.
    pub async fn list(
        &self,
        merchant: &Merchant,
        req: &v1::ListRefundsRequest,
    ) -> Result<(Vec<Refund>, String), Error> {
        let size = super::page_size(req.page_size, DEFAULT_PAGE, MAX_PAGE)?;
        let payment = match req.payment_id.as_str() {
            "" => None,
            id => Some(id.parse().map_err(|_| {
                Error::invalid("payment_id", "INVALID_ID", "must be a payment id (pay_…)")
            })?),
        };
        let before: Option<RefundId> = match req.page_token.as_str() {
            "" => None,
            token => Some(token.parse().map_err(|_| {
                Error::invalid(
                    "page_token",
                    "INVALID_PAGE_TOKEN",
                    "is not a token this list issued",
                )
            })?),
        };
        let mut refunds = self
            .store
            .list_refunds(&merchant.id, payment.as_ref(), before.as_ref(), size + 1)
            .await?;
        let next = if refunds.len() > size as usize {
            refunds.truncate(size as usize);
            refunds.last().map(|r| r.id.to_string()).unwrap_or_default()
        } else {
            String::new()
        };
        Ok((refunds, next))
    }
}
