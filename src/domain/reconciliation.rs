//! Reconciliation's records: a run (one channel's statement for one provider day, matched
//! against paycore's books) and the differences runs find, which an operator resolves.

use serde::{Deserialize, Serialize};

use super::{ChannelId, Day, DifferenceId, RunId, Timestamp};

macro_rules! names {
    ($(#[$doc:meta])* $name:ident {
        $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)?
    }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $($text => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

names!(
    /// Where a run stands.
    RunStatus {
        Running = "RUNNING",
        /// The statement was read whole and matched; the differences are stored.
        Completed = "COMPLETED",
        /// The statement could not be had or read whole (the error says why); nothing was
        /// concluded from it.
        Failed = "FAILED",
    }
);

names!(
    /// What started a run.
    Trigger {
        Operator = "OPERATOR",
        Schedule = "SCHEDULE",
    }
);

names!(
    /// How paycore's books and a provider's statement disagree.
    DifferenceKind {
        /// The statement lists a payment or refund paycore has no record of (on this
        /// channel).
        MissingInPaycore = "MISSING_IN_PAYCORE",
        /// The statement lists a payment or refund as done that paycore does not show as
        /// succeeded (e.g. paid after close, or a notification that never came).
        NotSucceededInPaycore = "NOT_SUCCEEDED_IN_PAYCORE",
        /// paycore shows it succeeded; the statement does not list it (checked again on the
        /// next day's statement first when it succeeded near midnight).
        MissingAtProvider = "MISSING_AT_PROVIDER",
        AmountMismatch = "AMOUNT_MISMATCH",
        CurrencyMismatch = "CURRENCY_MISMATCH",
        /// The statement says otherwise about its state: a payment reversed, a refund still
        /// processing or failed, where paycore shows it succeeded.
        StatusMismatch = "STATUS_MISMATCH",
        /// The statement lists the same payment or refund more than once (e.g. a refund that
        /// went out twice).
        Duplicate = "DUPLICATE",
    }
);

names!(
    /// Where a difference stands.
    DifferenceStatus {
        /// Needs an operator.
        Open = "OPEN",
        /// Absent from the day's statement but near midnight: waits for the next day's.
        Carried = "CARRIED",
        /// Someone (an operator, or paycore's own sync) said what was done about it.
        Resolved = "RESOLVED",
        /// A later run of the day or the next day's statement no longer finds it.
        Cleared = "CLEARED",
    }
);

/// A statement's lines and what became of them, with the sums of its lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub lines: u64,
    /// Lines that agree with paycore.
    pub matched: u64,
    /// Lines that are neither payments nor refunds (payouts, adjustments).
    pub ignored: u64,
    /// Lines not yet final at the provider (a refund still processing) that paycore also
    /// shows open.
    pub pending: u64,
    pub payments: u64,
    pub payment_minor: i64,
    pub refunds: u64,
    pub refund_minor: i64,
    pub fee_minor: i64,
    /// paycore's items of the day that the statement did not list and that wait for the
    /// next day's statement.
    pub carried: u64,
    /// Differences this run found (open or healed).
    pub differences: u64,
    /// Differences paycore settled itself by asking the provider (a sync).
    pub healed: u64,
    /// The statement's own totals (for Stripe, which states none, the sums of its lines).
    pub provider: Option<Totals>,
}

impl Summary {
    /// Payments less refunds less fees, in minor units.
    pub fn net_minor(&self) -> i64 {
        self.payment_minor - self.refund_minor - self.fee_minor
    }
}

/// A statement's own totals (see `provider::statement::ProviderTotals`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub payments: u64,
    pub payment_minor: i64,
    pub refunds: u64,
    pub refund_minor: i64,
    pub fee_minor: i64,
}

/// One run of one channel's day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub id: RunId,
    pub channel_id: ChannelId,
    pub day: Day,
    pub trigger: Trigger,
    pub status: RunStatus,
    /// Why a FAILED run failed: a stable code (`STATEMENT_*`, …) and a message.
    pub error: Option<(String, String)>,
    pub summary: Summary,
    pub started_at: Timestamp,
    pub finished_at: Option<Timestamp>,
}

/// One difference between paycore and a provider's statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub id: DifferenceId,
    pub channel_id: ChannelId,
    pub day: Day,
    pub kind: DifferenceKind,
    /// What it is about: `payment_id`, `refund_id`, or the provider's id of the line.
    pub item: String,
    /// The run that last found it.
    pub run_id: RunId,
    pub status: DifferenceStatus,
    pub evidence: Evidence,
    /// What was found, for a person.
    pub detail: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub resolution: Option<Resolution>,
}

/// What each side says about a difference's item: ids, amounts, the statement line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    pub payment_id: Option<String>,
    pub refund_id: Option<String>,
    /// The provider's id of the payment.
    pub transaction_id: Option<String>,
    pub currency: Option<String>,
    pub paycore_amount_minor: Option<i64>,
    pub provider_amount_minor: Option<i64>,
    /// The statement line's fee.
    pub fee_minor: Option<i64>,
    /// The statement line it comes from, when it comes from one.
    pub line: Option<u64>,
}

/// Who resolved a difference, when, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    pub by: String,
    pub at: Timestamp,
    pub note: String,
}
