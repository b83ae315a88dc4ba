//! The sandbox's orders: what each payment's metadata asks of it, and how an order is
//! recalled from paycore's record when the sandbox does not hold it.

use super::{OUTCOME_KEY, transaction_id as transaction_id_of};
use crate::domain::{Money, Payment, PaymentStatus, Timestamp};

/// What the sandbox does with a new order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
    /// Waits for the buyer (the default).
    Pending,
    /// Paid at once.
    Succeed,
    /// Refused as a business decision.
    Decline,
    /// Certainly not processed (like a refused connection).
    Unavailable,
    /// The order goes through but the answer is lost: ambiguous.
    Timeout,
    /// The request is lost on its way: ambiguous, and the sandbox never has the order.
    Lost,
    /// Waits for the buyer; a close finds nothing to close (like an unscanned QR code), so
    /// the buyer can still pay after paycore closed the payment.
    PayAfterClose,
}

impl Outcome {
    pub(super) fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "pending" => Self::Pending,
            "succeed" => Self::Succeed,
            "decline" => Self::Decline,
            "unavailable" => Self::Unavailable,
            "timeout" => Self::Timeout,
            "lost" => Self::Lost,
            "pay_after_close" => Self::PayAfterClose,
            _ => return None,
        })
    }
}

/// How the sandbox's statement lists an order, so a rehearsal can see each kind of
/// difference: `sandbox_statement` in the payment's metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Listing {
    /// As it is (the default).
    Faithful,
    /// Left out.
    Omitted,
    /// With one minor unit more than it was.
    WrongAmount,
    /// Twice.
    Twice,
    /// On the next day's statement, as providers list some orders paid near midnight.
    NextDay,
}

impl Listing {
    pub(super) fn of(p: &Payment) -> Self {
        match p.metadata.get(super::STATEMENT_KEY).map(String::as_str) {
            Some("omit") => Self::Omitted,
            Some("wrong_amount") => Self::WrongAmount,
            Some("duplicate") => Self::Twice,
            Some("next_day") => Self::NextDay,
            _ => Self::Faithful,
        }
    }
}

/// Where an order stands at the sandbox.
#[derive(Debug, Clone)]
pub(super) enum OrderStatus {
    AwaitingBuyer,
    Paid {
        transaction_id: String,
        paid_at: Timestamp,
    },
    Closed,
}

#[derive(Debug, Clone)]
pub(super) struct Order {
    pub(super) amount: Money,
    pub(super) status: OrderStatus,
    /// Refunds taken: paycore's refund id, amount, and when.
    pub(super) refunds: Vec<(String, i64, Timestamp)>,
    /// What the sandbox's statement says about this order (`sandbox_statement`).
    pub(super) listing: Listing,
    /// A close leaves the order payable.
    pub(super) close_misses: bool,
}

impl Order {
    /// The order as the sandbox had it, rebuilt from paycore's record of the payment, for an
    /// order this sandbox does not hold: paycore restarted since it was placed, or another
    /// node placed it. The sandbox stands for a remote provider, whose orders outlive
    /// paycore's processes; paycore's database is where the sandbox's live on.
    ///
    /// What paycore recorded is what the order was: unpaid is payable, paid is paid (with
    /// what was refunded), closed is closed — except a `pay_after_close` order, which a close
    /// never reached. An UNKNOWN payment is recalled only for the `timeout` outcome, which
    /// the sandbox always takes and pays; otherwise it stays unknown to the sandbox, as does
    /// one it never got (`lost`, or never placed). What only the sandbox knew is not
    /// recalled: an injected fault's order comes back unknown.
    pub(super) fn recalled(p: &Payment) -> Option<Self> {
        let outcome = p.metadata.get(OUTCOME_KEY).and_then(|s| Outcome::parse(s));
        if p.channel_id.is_none() || outcome == Some(Outcome::Lost) {
            return None;
        }
        let paid =
            |transaction_id: Option<&String>, paid_at: Option<Timestamp>| OrderStatus::Paid {
                transaction_id: transaction_id
                    .cloned()
                    .unwrap_or_else(|| transaction_id_of(&p.id)),
                paid_at: paid_at.unwrap_or(p.updated_at),
            };
        let status = match (&p.paid_after_close, p.status) {
            (Some(late), _) => paid(Some(&late.transaction_id), Some(late.paid_at)),
            (None, PaymentStatus::Succeeded | PaymentStatus::Processing) => {
                paid(p.provider_transaction_id.as_ref(), p.paid_at)
            }
            (None, PaymentStatus::Unknown) if outcome == Some(Outcome::Timeout) => paid(None, None),
            // Whether the sandbox got it is what UNKNOWN does not know (the create may still be
            // on its way, here or at another node): not recalled, as a provider would not
            // have it yet.
            (None, PaymentStatus::Unknown) => return None,
            // Held for review: no channel was called.
            (None, PaymentStatus::RequiresReview) => return None,
            (None, PaymentStatus::Pending) => OrderStatus::AwaitingBuyer,
            (None, PaymentStatus::Closed | PaymentStatus::Failed)
                if outcome == Some(Outcome::PayAfterClose) =>
            {
                OrderStatus::AwaitingBuyer
            }
            (None, PaymentStatus::Closed | PaymentStatus::Failed) => OrderStatus::Closed,
        };
        Some(Self {
            amount: p.amount,
            status,
            refunds: (p.refunded_minor > 0)
                .then(|| ("refunded before".to_owned(), p.refunded_minor, p.updated_at))
                .into_iter()
                .collect(),
            listing: Listing::of(p),
            close_misses: outcome == Some(Outcome::PayAfterClose),
        })
    }
}
