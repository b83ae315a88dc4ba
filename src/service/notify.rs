//! Provider notifications: verify, check against the stored payment, apply idempotently,
//! commit, and only then answer what the provider expects. Payment notifications ("paid")
//! and refund notifications (a refund's new state) alike. HTTP callbacks and the sandbox
//! buyer both come through `handle`.

use std::sync::Arc;

use http::HeaderMap;

use super::commit::{Touched, commit};
use super::refunds::Refunds;
use super::{Error, NotifyError};
use crate::domain::{
    ChannelId, Clock, EventType, Money, Payment, PaymentId, PaymentStatus, RefundId, Timestamp,
};
use crate::metrics::Metrics;
use crate::provider::{Notification, RefundState, Reply, sandbox::BuyerError};
use crate::routing::Router;
use crate::storage::Store;

/// The notification use cases.
pub struct Notify {
    store: Arc<dyn Store>,
    router: Arc<Router>,
    refunds: Arc<Refunds>,
    clock: Arc<dyn Clock>,
    metrics: Arc<Metrics>,
    /// `payments.refund_paid_after_close`.
    refund_paid_after_close: bool,
}

/// Why the sandbox buyer could not pay.
#[derive(Debug, thiserror::Error)]
pub enum SandboxPayError {
    #[error("no such sandbox payment")]
    NotFound,
    #[error(transparent)]
    Buyer(#[from] BuyerError),
    #[error(transparent)]
    Notify(#[from] NotifyError),
}

impl Notify {
    pub fn new(
        store: Arc<dyn Store>,
        router: Arc<Router>,
        refunds: Arc<Refunds>,
        clock: Arc<dyn Clock>,
        metrics: Arc<Metrics>,
        refund_paid_after_close: bool,
    ) -> Self {
        Self {
            store,
            router,
            refunds,
            clock,
            metrics,
            refund_paid_after_close,
        }
    }

    /// Handles a notification and returns what to answer the provider: its acknowledgement,
    /// or a refusal (logged) that makes it retry later.
    pub async fn answer(&self, channel: &str, headers: &HeaderMap, body: &[u8]) -> Reply {
        match self.handle(channel, headers, body).await {
            Ok(reply) => reply,
            Err(e) => {
                e.log(channel);
                Reply {
                    status: e.http_status(),
                    content_type: "text/plain",
                    body: e.to_string(),
                }
            }
        }
    }

    /// Handles a notification `channel` sent; returns the reply the provider expects.
    pub async fn handle(
        &self,
        channel: &str,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Reply, NotifyError> {
        let unknown = || NotifyError::UnknownChannel(channel.to_owned());
        let channel_id = ChannelId::parse(channel).ok_or_else(unknown)?;
        let channel = self.router.channel(&channel_id).ok_or_else(unknown)?;
        let notification = channel
            .provider
            .verify_notification(headers, body, self.clock.now())?;
        match notification {
            Notification::Informational => {}
            Notification::Paid {
                payment_id,
                transaction_id,
                amount,
                paid_at,
            } => {
                self.paid(&channel_id, &payment_id, transaction_id, amount, paid_at)
                    .await?;
            }
            Notification::Refund {
                refund_id,
                amount,
                state,
            } => {
                self.refunded(&channel_id, &refund_id, amount, state)
                    .await?
            }
        }
        Ok(channel.provider.acknowledgement())
    }

    /// Applies "paid" to the payment, once.
    async fn paid(
        &self,
        channel_id: &ChannelId,
        payment_id: &PaymentId,
        transaction_id: String,
        amount: Money,
        paid_at: Timestamp,
    ) -> Result<(), NotifyError> {
        let now = self.clock.now();
        let payment = self
            .store
            .payment_by_id(payment_id)
            .await?
            .ok_or(NotifyError::UnknownPayment)?;
        if payment.channel_id.as_ref() != Some(channel_id) {
            return Err(NotifyError::Mismatch(format!(
                "payment is at channel {:?}, not {channel_id}",
                payment.channel_id.as_ref().map(ChannelId::as_str)
            )));
        }
        if amount != payment.amount {
            return Err(NotifyError::Mismatch(format!(
                "amount {amount} differs from the payment's {}",
                payment.amount
            )));
        }
        let mut late = false;
        let result = commit(&*self.store, payment, |p| {
            late = false;
            if p.status == PaymentStatus::Succeeded {
                return if p.provider_transaction_id.as_deref() == Some(transaction_id.as_str()) {
                    Ok(None) // a replay: already applied
                } else {
                    Err(Error::PaymentAlreadySucceeded)
                };
            }
            if matches!(p.status, PaymentStatus::Closed | PaymentStatus::Failed) {
                // The buyer paid an order paycore had given up on (a scan after a close, a
                // late bank answer): the money is at the provider. Recorded on the payment,
                // which keeps its status, and acknowledged so the provider stops retrying.
                return match &p.paid_after_close {
                    Some(l) if l.transaction_id == transaction_id => Ok(None),
                    Some(_) => Err(Error::PaymentAlreadySucceeded),
                    None => {
                        late = p.record_paid_after_close(transaction_id.clone(), paid_at, now);
                        Ok(late.then(|| Touched::event(EventType::PaymentPaidAfterClose)))
                    }
                };
            }
            p.succeed(transaction_id.clone(), paid_at, now)?;
            Ok(Some(Touched::event(EventType::PaymentSucceeded)))
        })
        .await;
        if late && let Ok(p) = &result {
            self.metrics.paid_after_close(channel_id.as_str());
            if self.refund_paid_after_close {
                tracing::warn!(payment = %payment_id, transaction = %transaction_id, "paid after close: refunding it");
                // In the background: the provider is answered now, and the refund is
                // recorded (and queried until final) like any other.
                let (refunds, payment) = (self.refunds.clone(), p.clone());
                tokio::spawn(async move {
                    if let Err(e) = refunds.refund_paid_after_close(&payment).await {
                        tracing::error!(payment = %payment.id, error = %e, "cannot refund a payment paid after close; refund it by hand");
                    }
                });
            } else {
                tracing::error!(payment = %payment_id, transaction = %transaction_id, "paid after close: the buyer may need a refund");
            }
        }
        match result {
            Ok(_) => Ok(()),
            Err(Error::Store(e)) => Err(e.into()),
            Err(_) => Err(NotifyError::Conflict(format!(
                "channel reports transaction {transaction_id} paid"
            ))),
        }
    }

    /// Applies a refund's reported state (a replay or an older state changes nothing).
    async fn refunded(
        &self,
        channel_id: &ChannelId,
        refund_id: &RefundId,
        amount: Option<Money>,
        state: RefundState,
    ) -> Result<(), NotifyError> {
        let refund = self
            .store
            .refund_by_id(refund_id)
            .await?
            .ok_or(NotifyError::UnknownRefund)?;
        if &refund.channel_id != channel_id {
            return Err(NotifyError::Mismatch(format!(
                "refund is at channel {}, not {channel_id}",
                refund.channel_id
            )));
        }
        if let Some(amount) = amount
            && amount != refund.amount
        {
            return Err(NotifyError::Mismatch(format!(
                "refund amount {amount} differs from the refund's {}",
                refund.amount
            )));
        }
        match self.refunds.apply(refund, state).await {
            Ok(_) => Ok(()),
            Err(Error::Store(e)) => Err(e.into()),
            Err(e) => Err(NotifyError::Conflict(e.to_string())),
        }
    }

    /// A payment placed at a sandbox channel, for its checkout page.
    pub async fn sandbox_payment(&self, id: &str) -> Result<Payment, SandboxPayError> {
        let id: PaymentId = id.parse().map_err(|_| SandboxPayError::NotFound)?;
        let payment = self
            .store
            .payment_by_id(&id)
            .await
            .map_err(NotifyError::from)?
            .ok_or(SandboxPayError::NotFound)?;
        let is_sandbox = payment
            .channel_id
            .as_ref()
            .and_then(|c| self.router.channel(c))
            .is_some_and(|c| c.provider.as_sandbox().is_some());
        if is_sandbox {
            Ok(payment)
        } else {
            Err(SandboxPayError::NotFound)
        }
    }

    /// The simulated buyer pays a sandbox payment: the sandbox signs a notification and it is
    /// handled exactly like a provider's callback.
    pub async fn sandbox_pay(&self, id: &str) -> Result<Payment, SandboxPayError> {
        let payment = self.sandbox_payment(id).await?;
        let Some(channel_id) = payment.channel_id.clone() else {
            return Err(SandboxPayError::NotFound);
        };
        let sandbox = self
            .router
            .channel(&channel_id)
            .and_then(|c| c.provider.as_sandbox())
            .ok_or(SandboxPayError::NotFound)?;
        let signed = sandbox.pay(&payment)?;
        self.handle(channel_id.as_str(), &signed.headers, &signed.body)
            .await?;
        self.store
            .payment_by_id(&payment.id)
            .await
            .map_err(NotifyError::from)?
            .ok_or(SandboxPayError::NotFound)
    }
}
