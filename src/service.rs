//! Use cases: payments, provider notifications, merchants. Services orchestrate the domain,
//! routing and storage; they know nothing of gRPC or HTTP.

pub mod channels;
mod commit;
pub mod events;
pub mod inspect;
pub mod merchants;
pub mod notify;
pub mod payments;
pub mod reconciliation;
pub mod refunds;
pub mod risk;
mod services;
pub mod status;
pub mod sweeper;
pub mod webhooks;

/// What a failed read or write of the database says; services return it as it is.
pub use crate::storage::StoreError;
pub use services::{Services, build_channels, webhook_guard};

use crate::provider::{ChannelFailure, Rejected};
use crate::storage::StoreError as Store;

/// A request field that failed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Dotted path of the field in the request, e.g. `amount.currency`.
    pub field: String,
    /// Stable SCREAMING_SNAKE reason for this field.
    pub reason: &'static str,
    pub description: String,
}

impl Violation {
    pub fn new(field: &str, reason: &'static str, description: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            reason,
            description: description.into(),
        }
    }
}

/// Why a use case did not do what was asked. The gRPC edge maps each to a status.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid request: {0:?}")]
    InvalidRequest(Vec<Violation>),
    #[error("payment not found")]
    PaymentNotFound,
    #[error("merchant_order_id already used with different parameters")]
    IdempotencyConflict,
    #[error("payment already succeeded")]
    PaymentAlreadySucceeded,
    #[error("{0}")]
    RuleNotFound(String),
    #[error("{0}")]
    ListNotFound(String),
    /// Approve or reject of a payment the risk rules do not hold (it is this status).
    #[error("payment is not held for review; it is {0}")]
    PaymentNotInReview(String),
    #[error("payment is being placed at a channel; retry shortly")]
    PaymentInProgress,
    #[error("no channel could take the payment")]
    ChannelsUnavailable,
    #[error("channel call failed: {0}")]
    Channel(ChannelFailure),
    #[error("no such channel")]
    ChannelNotFound,
    #[error("no such merchant")]
    MerchantNotFound,
    #[error("the merchant has no such API key")]
    ApiKeyNotFound,
    #[error("refund not found")]
    RefundNotFound,
    #[error("event not found, or the merchant has no webhook URL")]
    EventNotFound,
    #[error("payment cannot be refunded: {0}")]
    PaymentNotRefundable(&'static str),
    #[error("refund exceeds what is left ({available_minor})")]
    RefundExceedsAvailable { available_minor: i64 },
    #[error("not a sandbox channel")]
    NotASandboxChannel,
    #[error("reconciliation run not found")]
    RunNotFound,
    #[error("difference not found")]
    DifferenceNotFound,
    /// The difference is not open (RESOLVED or CLEARED): it stays as it was.
    #[error("difference is {0}, not open")]
    DifferenceNotOpen(&'static str),
    /// Another run of the same channel and day is under way.
    #[error("a reconciliation of this channel and day is running")]
    ReconciliationRunning,
    /// The merchant already holds `limit` event streams on this node.
    #[error("too many event streams ({limit} per merchant)")]
    TooManyStreams { limit: u32 },
    /// A bug: a state change the state machine refuses, a task that panicked. Logged with
    /// its context where it is mapped; callers see an opaque INTERNAL.
    #[error("internal error: {0}")]
    Internal(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<crate::domain::payment::IllegalTransition> for Error {
    fn from(e: crate::domain::payment::IllegalTransition) -> Self {
        Self::Internal(e.to_string())
    }
}

/// A list request's page size: 0 means `default`, more than `max` is `max`, negative is an
/// error naming `page_size`.
pub fn page_size(requested: i32, default: u32, max: u32) -> Result<u32, Error> {
    match requested {
        0 => Ok(default),
        n if n < 0 => Err(Error::invalid(
            "page_size",
            "INVALID_PAGE_SIZE",
            "must not be negative",
        )),
        n => Ok(u32::try_from(n).unwrap_or(max).min(max)),
    }
}

impl Error {
    pub fn invalid(field: &str, reason: &'static str, description: impl Into<String>) -> Self {
        Self::InvalidRequest(vec![Violation::new(field, reason, description)])
    }
}

/// Why a provider notification was not applied. Nothing changes when one is refused.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("no channel {0:?}")]
    UnknownChannel(String),
    #[error("rejected: {0}")]
    Rejected(#[from] Rejected),
    #[error("no such payment")]
    UnknownPayment,
    #[error("no such refund")]
    UnknownRefund,
    /// The notification is authentic but does not match the payment (amount, channel...).
    #[error("does not match the payment: {0}")]
    Mismatch(String),
    /// The notification contradicts what is recorded (paid with another transaction than
    /// the one the payment has, a refund state that cannot follow): an operator must look.
    #[error("conflicts with the payment's state: {0}")]
    Conflict(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl NotifyError {
    /// The HTTP status a provider gets for a refused notification. Providers retry anything
    /// that is not their acknowledgement, which is what a transient failure wants.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::UnknownChannel(_) | Self::UnknownPayment | Self::UnknownRefund => 404,
            Self::Rejected(Rejected::Malformed(_)) | Self::Mismatch(_) => 400,
            Self::Rejected(_) => 401,
            Self::Conflict(_) => 409,
            Self::Store(Store::Unavailable(_)) => 503,
            Self::Store(_) => 500,
        }
    }

    /// Logs a refusal: an operator must look at conflicts and server errors.
    pub fn log(&self, channel: &str) {
        if self.http_status() == 409 || self.http_status() >= 500 {
            tracing::error!(channel, error = %self, "provider notification not applied");
        } else {
            tracing::warn!(channel, error = %self, "provider notification rejected");
        }
    }
}
