//! Events: immutable records of state changes, written in the same transaction as the
//! change (transactional outbox). Webhooks and WatchEvents read only these.

use super::{EventId, MerchantId, PaymentId, PaymentStatus, Timestamp};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    PaymentCreated,
    PaymentProcessing,
    PaymentPending,
    PaymentUnknown,
    PaymentSucceeded,
    PaymentFailed,
    PaymentClosed,
    PaymentPaidAfterClose,
    PaymentReviewRequired,
    RefundCreated,
    RefundSucceeded,
    RefundFailed,
    RefundRequiresAttention,
}

impl EventType {
    /// The event a payment emits on entering `status`.
    pub fn entering(status: PaymentStatus) -> Self {
        match status {
            PaymentStatus::Processing => Self::PaymentProcessing,
            PaymentStatus::Pending => Self::PaymentPending,
            PaymentStatus::Unknown => Self::PaymentUnknown,
            PaymentStatus::Succeeded => Self::PaymentSucceeded,
            PaymentStatus::Failed => Self::PaymentFailed,
            PaymentStatus::Closed => Self::PaymentClosed,
            PaymentStatus::RequiresReview => Self::PaymentReviewRequired,
        }
    }

    /// The stable wire name, e.g. `payment.succeeded`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PaymentCreated => "payment.created",
            Self::PaymentProcessing => "payment.processing",
            Self::PaymentPending => "payment.pending",
            Self::PaymentUnknown => "payment.unknown",
            Self::PaymentSucceeded => "payment.succeeded",
            Self::PaymentFailed => "payment.failed",
            Self::PaymentClosed => "payment.closed",
            Self::PaymentPaidAfterClose => "payment.paid_after_close",
            Self::PaymentReviewRequired => "payment.review_required",
            Self::RefundCreated => "refund.created",
            Self::RefundSucceeded => "refund.succeeded",
            Self::RefundFailed => "refund.failed",
            Self::RefundRequiresAttention => "refund.requires_attention",
        }
    }
}

/// An event as written. `payload` is the protobuf-encoded `paycore.v1.Payment` (or
/// `paycore.v1.Refund` for refund events) as it was right after the change, so deliveries
/// show what the change produced. Refund events carry their payment's id.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: EventId,
    pub merchant_id: MerchantId,
    pub event_type: EventType,
    pub payment_id: PaymentId,
    pub payload: Vec<u8>,
    pub created_at: Timestamp,
    /// The W3C `traceparent` of the work that wrote it, when that work was traced: its
    /// webhook deliveries join the same trace.
    pub trace_context: Option<String>,
}
