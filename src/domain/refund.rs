//! Refunds and their state machine: PENDING → SUCCEEDED or FAILED, both final; PENDING →
//! REQUIRES_ATTENTION when the provider reports a refund it could not complete and wants
//! handled by hand (WeChat Pay's ABNORMAL), which can still end either way. Only FAILED
//! frees the amount.

use super::{ChannelId, Failure, MerchantId, Money, PaymentId, RefundId, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundStatus {
    Pending,
    Succeeded,
    Failed,
    /// The provider could not pay it out and an operator must act; the money may still go
    /// out, so the amount stays reserved.
    RequiresAttention,
}

impl RefundStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::RequiresAttention => "requires_attention",
        }
    }

    /// Whether it may still move: the sweeper keeps asking about it.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Pending | Self::RequiresAttention)
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Pending,
            Self::Succeeded,
            Self::Failed,
            Self::RequiresAttention,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

#[derive(Debug, Clone)]
pub struct Refund {
    pub id: RefundId,
    pub merchant_id: MerchantId,
    pub payment_id: PaymentId,
    pub merchant_refund_id: String,
    /// SHA-256 of the create request's parameters, for idempotent replays.
    pub fingerprint: Vec<u8>,
    pub amount: Money,
    pub reason: String,
    pub status: RefundStatus,
    pub channel_id: ChannelId,
    pub provider_refund_id: Option<String>,
    pub failure: Option<Failure>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub succeeded_at: Option<Timestamp>,
    pub version: i64,
}

impl Refund {
    /// The provider took the refund: final.
    pub fn succeed(&mut self, provider_refund_id: Option<String>, now: Timestamp) -> bool {
        if !self.status.is_open() {
            return false;
        }
        self.status = RefundStatus::Succeeded;
        if provider_refund_id.is_some() {
            self.provider_refund_id = provider_refund_id;
        }
        self.succeeded_at = Some(now);
        self.updated_at = now;
        true
    }

    /// The provider refused it or never got it: final, and the amount is available again.
    pub fn fail(&mut self, failure: Failure, now: Timestamp) -> bool {
        if !self.status.is_open() {
            return false;
        }
        self.status = RefundStatus::Failed;
        self.failure = Some(failure);
        self.updated_at = now;
        true
    }

    /// The provider could not complete it and asks for a hand: not final, still reserved.
    /// `failure` says what the provider reported.
    pub fn require_attention(&mut self, failure: Failure, now: Timestamp) -> bool {
        if self.status != RefundStatus::Pending {
            return false;
        }
        self.status = RefundStatus::RequiresAttention;
        self.failure = Some(failure);
        self.updated_at = now;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Currency;

    fn refund() -> Refund {
        let now = Timestamp::from_micros(1);
        Refund {
            id: RefundId::generate(1),
            merchant_id: MerchantId::generate(1),
            payment_id: PaymentId::generate(1),
            merchant_refund_id: "r-1".into(),
            fingerprint: vec![],
            amount: Money::new(1, Currency::parse("CNY").unwrap()),
            reason: String::new(),
            status: RefundStatus::Pending,
            channel_id: ChannelId::parse("sandbox").unwrap(),
            provider_refund_id: None,
            failure: None,
            created_at: now,
            updated_at: now,
            succeeded_at: None,
            version: 0,
        }
    }

    #[test]
    fn only_pending_refunds_move_and_final_states_stay() {
        let now = Timestamp::from_micros(2);
        let mut r = refund();
        assert!(r.succeed(Some("x".into()), now));
        assert!(!r.fail(Failure::new("F", "f"), now));
        assert!(!r.succeed(None, now));
        assert_eq!(r.status, RefundStatus::Succeeded);
        let mut r = refund();
        assert!(r.fail(Failure::new("F", "f"), now));
        assert!(!r.succeed(None, now));
        assert_eq!(r.status, RefundStatus::Failed);
    }

    #[test]
    fn a_refund_needing_attention_can_still_end_either_way() {
        let now = Timestamp::from_micros(2);
        let mut r = refund();
        assert!(r.require_attention(Failure::new("REFUND_ABNORMAL", "a"), now));
        assert!(!r.require_attention(Failure::new("REFUND_ABNORMAL", "a"), now));
        assert!(r.succeed(None, now));
        assert_eq!(r.status, RefundStatus::Succeeded);
        assert!(!r.require_attention(Failure::new("REFUND_ABNORMAL", "a"), now));
        let mut r = refund();
        assert!(r.require_attention(Failure::new("REFUND_ABNORMAL", "a"), now));
        assert!(r.fail(Failure::new("F", "f"), now));
        assert_eq!(r.status, RefundStatus::Failed);
    }
}
