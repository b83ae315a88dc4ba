//! Providers: one adapter per payment provider behind one interface. Adapters translate
//! between paycore and a provider's wire protocol and classify every failure so routing knows
//! whether another channel may be tried.

pub mod alipay;
pub mod executor;
pub mod keys;
pub mod registry;
pub mod sandbox;
pub mod statement;
pub mod stripe;
pub mod wechatpay;

use async_trait::async_trait;
use http::HeaderMap;

pub use registry::{Context, SetupError, build_provider};
pub use statement::{StatementError, StatementReader};

use crate::domain::{
    AttemptId, Day, Failure, Method, Money, NextAction, Payment, PaymentId, Refund, RefundId,
    Timestamp,
};

/// The channel took the order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placed {
    /// Waiting for the buyer, who pays through `action`. `reference` is the provider's id
    /// for the order when it has one worth keeping (e.g. a Stripe PaymentIntent).
    AwaitingBuyer {
        action: NextAction,
        reference: Option<String>,
    },
    /// Taken, and the provider is still working on it (e.g. a bank debit); a query or a
    /// notification will tell.
    Processing { reference: String },
    /// Already paid (e.g. a card charged synchronously).
    Paid {
        transaction_id: String,
        paid_at: Timestamp,
    },
}

/// What a channel says about an order when asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderState {
    AwaitingBuyer,
    Paid {
        transaction_id: String,
        paid_at: Timestamp,
    },
    Closed,
    Failed(Failure),
    /// The channel has no such order.
    NotFound,
}

/// How a failed call to a channel must be treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The channel certainly did not act on the request: another channel may be tried.
    NotProcessed,
    /// The request may have reached the channel: nothing else may be tried until a query
    /// says what happened.
    Ambiguous,
    /// A business answer: the channel refused this payment.
    Declined,
}

/// A failed call to a channel, classified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind:?} {code}: {message}")]
pub struct ChannelFailure {
    pub kind: FailureKind,
    /// The provider's code (or paycore's, for transport failures).
    pub code: String,
    pub message: String,
}

impl ChannelFailure {
    pub fn new(kind: FailureKind, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            kind,
            code: code.into(),
            message: message.into(),
        }
    }
}

/// What a channel says about a refund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundState {
    Succeeded {
        provider_refund_id: Option<String>,
    },
    Pending {
        provider_refund_id: Option<String>,
    },
    Failed(Failure),
    /// The provider could not complete it and wants it handled by hand; it may still
    /// succeed or fail.
    NeedsAttention(Failure),
    /// The channel has no such refund.
    NotFound,
}

/// A verified asynchronous notification from a provider about one of our payments or
/// refunds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notification {
    /// The buyer paid the payment.
    Paid {
        payment_id: PaymentId,
        transaction_id: String,
        amount: Money,
        paid_at: Timestamp,
    },
    /// Where a refund stands; `amount` when the provider says how much it refunds.
    Refund {
        refund_id: RefundId,
        amount: Option<Money>,
        state: RefundState,
    },
    /// An authentic notification that changes nothing here (e.g. "waiting for the buyer").
    Informational,
}

/// Why a notification was not accepted. Nothing changes when one is rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejected {
    #[error("signature missing or malformed")]
    MissingSignature,
    #[error("signature does not verify")]
    BadSignature,
    #[error("timestamp outside the accepted window")]
    Stale,
    #[error("body malformed: {0}")]
    Malformed(String),
    /// Authentic, but for another account than this channel's (app id, mchid).
    #[error("for another account: {0}")]
    WrongAccount(String),
}

/// The HTTP answer a provider expects for a notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

/// One provider's protocol, for one configured channel (its keys and base URL).
#[async_trait]
pub trait Provider: Send + Sync + 'static {
    /// The provider's name in config: `sandbox`, `alipay`, `wechatpay`, `stripe`.
    fn provider_name(&self) -> &'static str;

    /// The methods the provider can take; a channel that lists none takes all of these.
    fn supported_methods(&self) -> &'static [Method];

    /// Places `payment` at the channel. `attempt` is unique per try, for providers that take
    /// an idempotency key.
    async fn create(
        &self,
        payment: &Payment,
        attempt: &AttemptId,
    ) -> Result<Placed, ChannelFailure>;

    /// Asks the channel where the order stands.
    async fn query(&self, payment: &Payment) -> Result<OrderState, ChannelFailure>;

    /// Closes the order at the channel so the buyer can no longer pay; answers the state the
    /// order is in afterwards (`Closed`, or `Paid` if the buyer was faster).
    async fn close(&self, payment: &Payment) -> Result<OrderState, ChannelFailure>;

    /// Refunds `refund.amount` of `payment` at the channel. `refund.id` is the provider's
    /// refund request number (and idempotency key), so a repeated call refunds once.
    async fn refund(
        &self,
        payment: &Payment,
        refund: &Refund,
    ) -> Result<RefundState, ChannelFailure>;

    /// Asks the channel where a refund stands.
    async fn query_refund(
        &self,
        payment: &Payment,
        refund: &Refund,
    ) -> Result<RefundState, ChannelFailure>;

    /// Verifies and parses a notification the provider sent to `/callbacks/{channel}`.
    fn verify_notification(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        now: Timestamp,
    ) -> Result<Notification, Rejected>;

    /// What to answer the provider once a notification is safely applied.
    fn acknowledgement(&self) -> Reply;

    /// The channel's statement for `day` (the provider's day: Asia/Shanghai for Alipay and
    /// WeChat Pay, UTC for Stripe), fetched with the channel's credentials.
    async fn statement(&self, day: Day) -> Result<Box<dyn StatementReader>, StatementError> {
        Err(StatementError::new(
            StatementError::UNSUPPORTED,
            format!("{} offers no statements ({day})", self.provider_name()),
        ))
    }

    /// The UTC offset of the provider's day, in seconds east of UTC.
    fn statement_offset_secs(&self) -> i64 {
        0
    }

    /// The sandbox's buyer simulation, for sandbox channels only.
    fn as_sandbox(&self) -> Option<&sandbox::Sandbox> {
        None
    }
}
