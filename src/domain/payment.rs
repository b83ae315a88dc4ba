//! Payments, attempts and the payment state machine.

use std::collections::BTreeMap;
use std::time::Duration;

use super::risk::Evaluation;
use super::{AttemptId, ChannelId, MerchantId, Money, PaymentId, Secret, Timestamp};

/// How the buyer pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    QrCode,
    WebPage,
    App,
    Jsapi,
    H5,
    Card,
}

impl Method {
    pub const ALL: [Method; 6] = [
        Self::QrCode,
        Self::WebPage,
        Self::App,
        Self::Jsapi,
        Self::H5,
        Self::Card,
    ];

    /// The stable name used in storage and config (`qr_code`, `web_page`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::QrCode => "qr_code",
            Self::WebPage => "web_page",
            Self::App => "app",
            Self::Jsapi => "jsapi",
            Self::H5 => "h5",
            Self::Card => "card",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// Where a payment stands. `Processing` is internal (a channel call is in flight or about to
/// be); the API shows it as UNKNOWN, which is what it is to an outsider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaymentStatus {
    Processing,
    Pending,
    Unknown,
    Succeeded,
    Failed,
    Closed,
    /// Held by the risk rules until an operator approves or rejects it; no channel has it.
    RequiresReview,
}

impl PaymentStatus {
    pub const ALL: [PaymentStatus; 7] = [
        Self::Processing,
        Self::Pending,
        Self::Unknown,
        Self::Succeeded,
        Self::Failed,
        Self::Closed,
        Self::RequiresReview,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Processing => "processing",
            Self::Pending => "pending",
            Self::Unknown => "unknown",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Closed => "closed",
            Self::RequiresReview => "requires_review",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// Why a payment failed, as business data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub code: String,
    pub message: String,
}

impl Failure {
    /// The failure code of a payment no channel could take; such a payment may be retried
    /// with the same merchant_order_id.
    pub const CHANNELS_UNAVAILABLE: &'static str = "CHANNELS_UNAVAILABLE";
    /// The failure code of an UNKNOWN payment its channel never received (it kept saying
    /// so, and was then told to close it); it may be retried like CHANNELS_UNAVAILABLE.
    pub const NOT_AT_CHANNEL: &'static str = "NOT_AT_CHANNEL";
    /// The failure code of a payment a risk rule blocked; no channel was called.
    pub const RISK_BLOCKED: &'static str = "RISK_BLOCKED";
    /// The failure code of a payment an operator rejected in review.
    pub const RISK_REJECTED: &'static str = "RISK_REJECTED";

    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
        }
    }
}

/// What the caller shows the buyer while a payment is pending.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum NextAction {
    QrCode(String),
    Redirect(String),
    App(BTreeMap<String, String>),
    Jsapi(BTreeMap<String, String>),
}

/// What a channel needs to know about the buyer. All are buyer identifiers: masked in logs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Payer {
    pub buyer_id: Option<Secret<String>>,
    pub client_ip: Option<Secret<String>>,
    /// A provider's token for the buyer's card or account (Stripe `pm_…`).
    pub payment_method: Option<Secret<String>>,
    /// The merchant's id for the buyer's device, for risk rules.
    pub device_id: Option<Secret<String>>,
}

/// The result of one try at one channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    InFlight,
    Accepted,
    NotProcessed,
    Ambiguous,
    Declined,
    /// The channel was not called (disabled, breaker open, rate limited, no time left).
    Skipped,
}

impl AttemptOutcome {
    pub const ALL: [AttemptOutcome; 6] = [
        Self::InFlight,
        Self::Accepted,
        Self::NotProcessed,
        Self::Ambiguous,
        Self::Declined,
        Self::Skipped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::InFlight => "in_flight",
            Self::Accepted => "accepted",
            Self::NotProcessed => "not_processed",
            Self::Ambiguous => "ambiguous",
            Self::Declined => "declined",
            Self::Skipped => "skipped",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// One try of a payment at one channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub id: AttemptId,
    pub channel_id: ChannelId,
    pub outcome: AttemptOutcome,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub latency: Option<Duration>,
    pub started_at: Timestamp,
}

/// A payment with its attempts. `version` increments on every stored change, and every
/// change is a compare-and-set on it.
#[derive(Debug, Clone)]
pub struct Payment {
    pub id: PaymentId,
    pub merchant_id: MerchantId,
    pub merchant_order_id: String,
    /// SHA-256 of the create request's parameters, for idempotent replays.
    pub fingerprint: Vec<u8>,
    pub amount: Money,
    pub description: String,
    pub method: Method,
    pub status: PaymentStatus,
    pub channel_id: Option<ChannelId>,
    pub provider_transaction_id: Option<String>,
    pub next_action: Option<NextAction>,
    pub refunded_minor: i64,
    pub failure: Option<Failure>,
    pub metadata: BTreeMap<String, String>,
    pub payer: Payer,
    pub return_url: Option<String>,
    pub attempts: Vec<Attempt>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub paid_at: Option<Timestamp>,
    pub expires_at: Timestamp,
    /// The channel reported it paid after it was closed or failed here.
    pub paid_after_close: Option<LatePayment>,
    /// What the risk rules decided; None when no rules were in force.
    pub risk: Option<PaymentRisk>,
    pub version: i64,
}

/// What the risk rules decided for a payment, and what it holds of the daily counters.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PaymentRisk {
    pub evaluation: Evaluation,
    /// How a payment held for review is routed once approved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<HeldRoute>,
    /// The operator's decision on a payment held for review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<Review>,
    /// The daily counter rows the payment added itself to and still holds: given back
    /// when it ends unpaid. Stored in a column of its own.
    #[serde(skip)]
    pub counted: Vec<String>,
}

/// The routing a create request asked for, kept while its payment waits for review.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HeldRoute {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing_tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_channel: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded_channels: Vec<String>,
}

/// An operator's decision on a payment held for review.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Review {
    pub approved: bool,
    /// Who decided: the operator credential's name.
    pub by: String,
    pub at: Timestamp,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// A payment the channel took after paycore had closed (or failed) it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatePayment {
    pub transaction_id: String,
    pub paid_at: Timestamp,
}

/// A change the state machine does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("payment cannot go from {from:?} to {to:?}")]
pub struct IllegalTransition {
    pub from: PaymentStatus,
    pub to: PaymentStatus,
}

impl Payment {
    /// Records that the channel took this closed or failed payment after all. False when
    /// the payment is in another state or this late payment is recorded already.
    pub fn record_paid_after_close(
        &mut self,
        transaction_id: String,
        paid_at: Timestamp,
        now: Timestamp,
    ) -> bool {
        if !matches!(self.status, PaymentStatus::Closed | PaymentStatus::Failed)
            || self.paid_after_close.is_some()
        {
            return false;
        }
        self.paid_after_close = Some(LatePayment {
            transaction_id,
            paid_at,
        });
        self.updated_at = now;
        true
    }

    /// The payment as its channel charged it, for refunding: one paid after close carries
    /// the late transaction.
    pub fn as_charged(&self) -> Self {
        let mut p = self.clone();
        if let Some(late) = &self.paid_after_close
            && self.status != PaymentStatus::Succeeded
        {
            p.provider_transaction_id = Some(late.transaction_id.clone());
        }
        p
    }

    /// Whether the payment failed only because no channel has it (none could take it, or
    /// its channel never got it), in which case a retry with the same merchant_order_id may
    /// place it again.
    pub fn is_retryable_failure(&self) -> bool {
        self.status == PaymentStatus::Failed
            && self.failure.as_ref().is_some_and(|f| {
                f.code == Failure::CHANNELS_UNAVAILABLE || f.code == Failure::NOT_AT_CHANNEL
            })
    }

    /// Whether `to` may follow the current status.
    pub fn can_enter(&self, to: PaymentStatus) -> bool {
        use PaymentStatus::*;
        match (self.status, to) {
            (Processing, Pending | Unknown | Succeeded | Failed) => true,
            (Pending, Succeeded | Failed | Closed) => true,
            (Unknown, Pending | Succeeded | Failed | Closed) => true,
            (Failed, Processing | Closed) => self.is_retryable_failure(),
            (RequiresReview, Processing | Failed | Closed) => true,
            _ => false,
        }
    }

    /// Moves the payment to `to`, or says why it may not.
    pub fn enter(&mut self, to: PaymentStatus, now: Timestamp) -> Result<(), IllegalTransition> {
        if !self.can_enter(to) {
            return Err(IllegalTransition {
                from: self.status,
                to,
            });
        }
        if to != PaymentStatus::Failed {
            self.failure = None;
        }
        if to != PaymentStatus::Pending {
            self.next_action = None;
        }
        self.status = to;
        self.updated_at = now;
        Ok(())
    }

    /// The buyer paid: records the provider's transaction and the time.
    pub fn succeed(
        &mut self,
        provider_transaction_id: String,
        paid_at: Timestamp,
        now: Timestamp,
    ) -> Result<(), IllegalTransition> {
        self.enter(PaymentStatus::Succeeded, now)?;
        self.provider_transaction_id = Some(provider_transaction_id);
        self.paid_at = Some(paid_at);
        Ok(())
    }

    /// The payment failed for `failure`.
    pub fn fail(&mut self, failure: Failure, now: Timestamp) -> Result<(), IllegalTransition> {
        self.enter(PaymentStatus::Failed, now)?;
        self.failure = Some(failure);
        Ok(())
    }

    /// The channel took the order and waits for the buyer.
    pub fn await_buyer(
        &mut self,
        next_action: NextAction,
        now: Timestamp,
    ) -> Result<(), IllegalTransition> {
        self.enter(PaymentStatus::Pending, now)?;
        self.next_action = Some(next_action);
        Ok(())
    }

    pub fn attempt_mut(&mut self, id: &AttemptId) -> Option<&mut Attempt> {
        self.attempts.iter_mut().find(|a| &a.id == id)
    }
}

#[cfg(test)]
mod tests;
