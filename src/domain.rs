//! The payment domain: ids, money, payments and their state machine, events. No I/O.

pub mod event;
pub mod id;
pub mod merchant;
pub mod money;
pub mod network;
pub mod payment;
pub mod reconciliation;
pub mod refund;
pub mod risk;
pub mod secret;
pub mod time;

pub use event::{Event, EventType};
pub use id::{
    ApiKeyId, AttemptId, ChannelId, DifferenceId, EventId, MerchantId, PaymentId, RefundId, RunId,
};
pub use merchant::{ApiKey, Merchant};
pub use money::{Currency, Money};
pub use network::Cidr;
pub use payment::{
    Attempt, AttemptOutcome, Failure, HeldRoute, LatePayment, Method, NextAction, Payer, Payment,
    PaymentRisk, PaymentStatus, Review,
};
pub use refund::{Refund, RefundStatus};
pub use secret::Secret;
pub use time::{Clock, Day, SystemClock, Timestamp};
