//! Storage: the `Store` trait the services use, and its backends. SQLite (WAL) is the
//! embedded default; a PostgreSQL backend implements the same trait.

mod batch;
mod checks;
mod keys;
pub mod postgres;
mod reads;
pub mod reconciliation;
mod risk;
pub mod risk_rules;
mod rows;
mod sql;
pub mod sqlite;
mod writes;

use async_trait::async_trait;

use crate::config::DatabaseConfig;

use crate::domain::reconciliation::{Difference, Resolution, Run};
use crate::domain::risk::{Counted, Evaluation, Screening, Tally};
use crate::domain::{
    ApiKey, ApiKeyId, Attempt, ChannelId, DifferenceId, Event, EventType, HeldRoute, Merchant,
    MerchantId, Payment, PaymentId, PaymentStatus, Refund, RefundId, RefundStatus, RunId, Secret,
    Timestamp,
};
use reconciliation::{DifferenceFilter, Findings, ItemColumn, ItemKind, RunFilter, Succeeded};
use risk_rules::{AuditRecord, Changed, RiskChange, RiskState};

/// Opens the configured database, PostgreSQL or SQLite by its URL, and applies migrations.
pub async fn open(config: &DatabaseConfig) -> Result<std::sync::Arc<dyn Store>, StoreError> {
    Ok(if config.is_postgres() {
        std::sync::Arc::new(postgres::PgStore::open(config).await?)
    } else {
        std::sync::Arc::new(sqlite::SqliteStore::open(&config.url).await?)
    })
}

/// Where a database URL points, as an operator names it (never with a password).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite database file, by its absolute path.
    File(std::path::PathBuf),
    /// A PostgreSQL database on a server at `address` (`host:port`, or a socket path).
    Server { address: String, database: String },
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File(path) => write!(f, "SQLite database {}", path.display()),
            Self::Server { address, database } => {
                write!(f, "PostgreSQL database {database} at {address}")
            }
        }
    }
}

/// Where `config.url` points, or why it points nowhere (the URL does not parse, or names
/// no file): checked before anything is opened, so a bad URL is a configuration error.
pub fn location(config: &DatabaseConfig) -> Result<Location, String> {
    if config.is_postgres() {
        postgres::location(&config.url)
    } else {
        sqlite::file(&config.url).map(Location::File)
    }
}

/// The sweeper's work queues: which rows are due for a check. Each is a status (and for
/// payments, how long an item must have been in it) over `check_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckQueue {
    /// PENDING and UNKNOWN payments past their expiry, to close.
    Expired,
    /// Payments in this status that last changed before the given time, to query.
    Payments(PaymentStatus, Timestamp),
    /// Open refunds (PENDING, or REQUIRES_ATTENTION until a hand settles them) that last
    /// changed before the given time, to query.
    Refunds(Timestamp),
}

/// An item claimed for a check: its id and how often it was checked since it last changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub id: String,
    pub tries: u32,
}

/// Storage failures, as the services see them.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be reached or is overloaded; the caller may retry.
    #[error("database unavailable: {0}")]
    Unavailable(#[source] Cause),
    /// A compare-and-set lost: the row changed since it was read.
    #[error("concurrent change to {0}")]
    Conflict(String),
    /// A row did not decode into the domain (a bug or a hand-edited database).
    #[error("corrupt row: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Other(#[source] Cause),
    /// `database.url` cannot be used as written (an unknown `sslmode`, a CA file that is not
    /// there); says why, never with the password.
    #[error("invalid configuration: database.url: {0}")]
    Config(String),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// What a driver said went wrong.
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                Self::Unavailable(e.into())
            }
            // PostgreSQL's connection exceptions (class 08) and shutdowns (57P01-57P03).
            sqlx::Error::Database(ref d)
                if d.code()
                    .is_some_and(|c| c.starts_with("08") || c.starts_with("57P")) =>
            {
                Self::Unavailable(e.into())
            }
            other => Self::Other(other.into()),
        }
    }
}

/// How a payment is looked up by its owner.
#[derive(Debug, Clone)]
pub enum PaymentKey {
    Id(PaymentId),
    MerchantOrderId(String),
}

/// The outcome of inserting a new payment under its merchant_order_id.
#[derive(Debug)]
pub enum Inserted<T = ()> {
    Created(T),
    /// A payment with this merchant_order_id already exists; here it is.
    Exists(Box<Payment>),
}

/// A new payment whose risk rules need counters: the counters are read, the decision made
/// and the payment shaped by it inside the payment's own write.
pub struct Screened {
    /// The payment as it is placed when the rules allow it.
    pub payment: Payment,
    pub screening: Screening,
    /// The routing the request asked for, which a payment held for review keeps.
    pub route: HeldRoute,
    /// Shapes the payment by the rules' decision, with the event its insert emits.
    pub decide: fn(Payment, Evaluation, &Screening, &HeldRoute) -> (Payment, Event),
    /// The `traceparent` of the create, for the event.
    pub trace_context: Option<String>,
}

/// Filters and position for listing a merchant's payments, newest first.
#[derive(Debug, Clone, Default)]
pub struct PaymentFilter {
    /// Only payments in one of these statuses; empty means any.
    pub statuses: Vec<PaymentStatus>,
    pub created_after: Option<Timestamp>,
    pub created_before: Option<Timestamp>,
    /// Only payments with ids below this one (the previous page's last id).
    pub before_id: Option<PaymentId>,
}

/// One stored change of a payment: the new state, compare-and-set against the version it was
/// read at, the attempts it wrote, and the event it emits. All commit in one transaction.
#[derive(Debug)]
pub struct PaymentChange<'a> {
    pub payment: &'a Payment,
    pub expected_version: i64,
    pub attempts: Vec<&'a Attempt>,
    pub event: Option<&'a Event>,
}

/// An event as stored, with its position in the outbox.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    pub seq: i64,
    pub id: String,
    pub event_type: String,
    pub payment_id: PaymentId,
    pub payload: Vec<u8>,
    pub created_at: Timestamp,
    /// The `traceparent` it was written under, if traced.
    pub trace_context: Option<String>,
}

/// A commit on this node that added events to the outbox, and whose events they were, so a
/// merchant's event streams read again at once and others' need not.
#[derive(Debug, Clone)]
pub struct Committed(std::sync::Arc<[MerchantId]>);

impl Committed {
    pub(crate) fn new(merchants: Vec<MerchantId>) -> Self {
        Self(merchants.into())
    }

    /// Whether the commit added events of `merchant`.
    pub fn has_events_of(&self, merchant: &MerchantId) -> bool {
        self.0.contains(merchant)
    }
}

/// How a refund is looked up by its owner.
#[derive(Debug, Clone)]
pub enum RefundKey {
    Id(RefundId),
    MerchantRefundId(String),
}

/// The outcome of inserting a new refund.
#[derive(Debug)]
pub enum RefundInsert {
    /// Stored, with its amount resolved (the remainder when none was asked for).
    Created(Box<Refund>),
    /// A refund with this merchant_refund_id already exists; here it is.
    Exists(Box<Refund>),
    /// Not stored: the payment has only `available_minor` left to refund.
    Exceeds { available_minor: i64 },
}

/// Builds a refund's event once its amount is known.
pub type RefundEvent = fn(&Refund) -> Event;

/// Where a webhook delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    Pending,
    Succeeded,
    Failed,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pending, Self::Succeeded, Self::Failed]
            .into_iter()
            .find(|d| d.as_str() == s)
    }
}

/// One event's delivery to its merchant's webhook endpoint.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub event_seq: i64,
    pub event_id: String,
    pub merchant_id: MerchantId,
    pub url: String,
    pub status: DeliveryStatus,
    pub attempts: u32,
    pub next_attempt_at: Option<Timestamp>,
    pub last_status: Option<u16>,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Deliveries claimed together, with their events, and the token of their lease.
#[derive(Debug, Default)]
pub struct Claim {
    pub lease: i64,
    pub deliveries: Vec<(Delivery, StoredEvent)>,
}

/// Everything the services need from a database: its reads and its writes. Every method
/// is one transaction.
pub trait Store: Reads + Writes + Keys + Reconciliations + RiskRules {}

/// Risk rules and lists managed at runtime, their audit trail, and counters for dry runs.
#[async_trait]
pub trait RiskRules: Send + Sync + 'static {
    /// The runtime rules and lists, read in one transaction.
    async fn risk_state(&self) -> Result<RiskState, StoreError>;
    /// The version of the runtime rules and lists (their last change's audit seq).
    async fn risk_version(&self) -> Result<i64, StoreError>;
    /// Applies `change` and records it as `actor`'s at `now`, if `check` accepts the state
    /// it makes: all in one write, or nothing.
    async fn change_risk(
        &self,
        change: RiskChange,
        actor: String,
        now: Timestamp,
        check: risk_rules::Check,
    ) -> Result<Changed, StoreError>;
    /// Audit records, newest first, before `before_seq`.
    async fn risk_audit(
        &self,
        before_seq: Option<i64>,
        limit: u32,
    ) -> Result<Vec<AuditRecord>, StoreError>;
    /// Answers tallies as a payment's write would, without writing anything.
    async fn risk_tallies(&self, tallies: Vec<Tally>) -> Result<Vec<Counted>, StoreError>;
    /// Deletes the daily counter rows of days before `day` (`YYYY-MM-DD`, how their keys
    /// start); how many.
    async fn prune_risk_counters(&self, day: &str) -> Result<u64, StoreError>;
}

impl<T: Reads + Writes + Keys + Reconciliations + RiskRules> Store for T {}

/// Merchants' creation and their API keys and webhook URLs (see `keys`).
/// Reconciliation runs and differences, the reads that match statements, and leases (see
/// `storage::reconciliation`).
#[async_trait]
pub trait Reconciliations: Send + Sync + 'static {
    /// Inserts a RUNNING run; runs of the same channel and day still RUNNING (their node
    /// stopped: the caller holds the day's lease) end FAILED, `RECONCILIATION_ABANDONED`.
    async fn insert_run(&self, run: &Run) -> Result<(), StoreError>;
    /// Ends a RUNNING run as FAILED with a reason.
    async fn fail_run(
        &self,
        id: &RunId,
        code: &str,
        message: &str,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    /// Ends a RUNNING run as COMPLETED with its summary and what it found, in one
    /// transaction: differences upserted by (channel, day, kind, item) with resolved ones
    /// kept resolved, the day's open ones it did not find again cleared, and the day
    /// before's carried ones cleared or raised. `Conflict` when the run is not RUNNING.
    async fn complete_run(&self, run: &Run, findings: Findings) -> Result<(), StoreError>;
    async fn run(&self, id: &RunId) -> Result<Option<Run>, StoreError>;
    /// Runs newest first.
    async fn list_runs(&self, filter: &RunFilter, limit: u32) -> Result<Vec<Run>, StoreError>;
    /// Differences oldest first.
    async fn differences(
        &self,
        filter: &DifferenceFilter,
        limit: u32,
    ) -> Result<Vec<Difference>, StoreError>;
    /// How many differences `filter` picks (its `after` ignored).
    async fn count_differences(&self, filter: &DifferenceFilter) -> Result<i64, StoreError>;
    /// Resolves an OPEN or CARRIED difference; the difference as it now is (unchanged when
    /// it was not open), `None` when there is none.
    async fn resolve_difference(
        &self,
        id: &DifferenceId,
        resolution: &Resolution,
    ) -> Result<Option<Difference>, StoreError>;
    /// Payments whose `column` is one of `values` (without their attempts).
    async fn payments_by(
        &self,
        column: ItemColumn,
        values: &[String],
    ) -> Result<Vec<Payment>, StoreError>;
    async fn refunds_by(
        &self,
        column: ItemColumn,
        values: &[String],
    ) -> Result<Vec<Refund>, StoreError>;
    /// A page of the payments or refunds on `channel` that succeeded in `[from, to)`, in
    /// the order they succeeded, after `after` (the previous page's last).
    async fn succeeded_on(
        &self,
        kind: ItemKind,
        channel: &ChannelId,
        window: (Timestamp, Timestamp),
        after: Option<&Succeeded>,
        limit: u32,
    ) -> Result<Vec<Succeeded>, StoreError>;
    /// Takes the lease `name` for `holder` until `until` when it is free, expired at `now`,
    /// or already `holder`'s (which renews it); whether `holder` has it.
    async fn acquire_lease(
        &self,
        name: &str,
        holder: &str,
        now: Timestamp,
        until: Timestamp,
    ) -> Result<bool, StoreError>;
    async fn release_lease(&self, name: &str, holder: &str) -> Result<(), StoreError>;
}

#[async_trait]
pub trait Keys: Send + Sync + 'static {
    /// Inserts a merchant with its first API key.
    async fn create_merchant(&self, merchant: &Merchant, key: &ApiKey) -> Result<(), StoreError>;
    /// The key with this hash and its merchant, whether or not the key is still active.
    async fn key_by_hash(&self, hash: &str) -> Result<Option<(Merchant, ApiKey)>, StoreError>;
    /// A merchant's keys, oldest first, revoked and expired ones included.
    async fn api_keys(&self, merchant: &MerchantId) -> Result<Vec<ApiKey>, StoreError>;
    /// Adds a key to its merchant; false when there is no such merchant.
    async fn insert_api_key(&self, key: &ApiKey) -> Result<bool, StoreError>;
    /// Marks a key revoked at `at` (an earlier revocation stands); the key as it now is, or
    /// `None` when the merchant has no such key.
    async fn revoke_api_key(
        &self,
        merchant: &MerchantId,
        id: &ApiKeyId,
        at: Timestamp,
    ) -> Result<Option<ApiKey>, StoreError>;
    /// Sets the certificate names the merchant's clients must present (empty: any); false
    /// when there is no such merchant.
    async fn set_client_names(
        &self,
        merchant: &MerchantId,
        names: &[String],
    ) -> Result<bool, StoreError>;
    /// Sets (or with `None` removes) the merchant's webhook URL, and sends to it again if a
    /// 410 had disabled the old one; false when there is no such merchant.
    async fn set_webhook_url(
        &self,
        merchant: &MerchantId,
        url: Option<&str>,
    ) -> Result<bool, StoreError>;
}

/// The reads, the same SQL on every backend (see `reads`).
#[async_trait]
pub trait Reads: Send + Sync + 'static {
    async fn list_merchants(&self) -> Result<Vec<Merchant>, StoreError>;

    async fn payment(
        &self,
        merchant: &MerchantId,
        key: &PaymentKey,
    ) -> Result<Option<Payment>, StoreError>;
    /// A payment by id whoever owns it (provider callbacks name our id, not the merchant).
    async fn payment_by_id(&self, id: &PaymentId) -> Result<Option<Payment>, StoreError>;
    async fn list_payments(
        &self,
        merchant: &MerchantId,
        filter: &PaymentFilter,
        limit: u32,
    ) -> Result<Vec<Payment>, StoreError>;
    /// A payment's events, oldest first.
    async fn payment_events(&self, id: &PaymentId) -> Result<Vec<StoredEvent>, StoreError>;
    /// The merchant's events after position `after_seq`, in order.
    async fn events_after(
        &self,
        merchant: &MerchantId,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<StoredEvent>, StoreError>;
    /// The position of the newest event (0 when there is none).
    async fn last_event_seq(&self) -> Result<i64, StoreError>;
    async fn refund(
        &self,
        merchant: &MerchantId,
        key: &RefundKey,
    ) -> Result<Option<Refund>, StoreError>;
    async fn refund_by_id(&self, id: &RefundId) -> Result<Option<Refund>, StoreError>;
    /// The merchant's refunds newest first, optionally of one payment, below `before_id`.
    async fn list_refunds(
        &self,
        merchant: &MerchantId,
        payment: Option<&PaymentId>,
        before_id: Option<&RefundId>,
        limit: u32,
    ) -> Result<Vec<Refund>, StoreError>;

    /// Payments in `status` last changed before `updated_before`, oldest first (sweeper).
    async fn payments_in(
        &self,
        status: PaymentStatus,
        updated_before: Timestamp,
        limit: u32,
    ) -> Result<Vec<Payment>, StoreError>;
    async fn merchant(&self, id: &MerchantId) -> Result<Option<Merchant>, StoreError>;
    /// Payments held for risk review (of one merchant, or all), oldest first, after `after`.
    async fn payments_in_review(
        &self,
        merchant: Option<&MerchantId>,
        after: Option<&PaymentId>,
        limit: u32,
    ) -> Result<Vec<Payment>, StoreError>;
    async fn list_deliveries(
        &self,
        merchant: &MerchantId,
        before_seq: Option<i64>,
        limit: u32,
    ) -> Result<Vec<Delivery>, StoreError>;
    /// The webhook deliveries of a payment's events (its refunds' included), oldest first.
    async fn payment_deliveries(&self, id: &PaymentId) -> Result<Vec<Delivery>, StoreError>;

    /// Webhook deliveries waiting for a try, and when the oldest of them was created.
    async fn delivery_backlog(&self) -> Result<(i64, Option<Timestamp>), StoreError>;
    /// Whether the database answers.
    async fn ping(&self) -> Result<(), StoreError>;
    /// Whether every migration this build knows is applied to the database.
    async fn migrations_applied(&self) -> Result<bool, StoreError>;
}

/// The writes, where backends differ in how they keep concurrent writers apart.
#[async_trait]
pub trait Writes: Send + Sync + 'static {
    /// Inserts a new payment (version 0) and its creation event, unless the merchant already
    /// has one with the same merchant_order_id.
    async fn insert_payment(
        &self,
        payment: &Payment,
        event: &Event,
    ) -> Result<Inserted, StoreError>;
    /// Applies a change if the payment is still at `expected_version` (else `Conflict`).
    async fn apply(&self, change: PaymentChange<'_>) -> Result<(), StoreError>;
    /// Inserts a payment decided by the risk rules inside this write, unless its
    /// merchant_order_id exists; the payment as stored.
    async fn insert_screened(&self, screened: Screened) -> Result<Inserted<Payment>, StoreError>;
    /// Inserts a refund of `refund.payment_id` unless its merchant_refund_id exists, checking
    /// in the same transaction that the payment's refunds that have not failed stay within
    /// `limit_minor`. `requested_minor` `None` refunds whatever is left.
    async fn insert_refund(
        &self,
        refund: &Refund,
        requested_minor: Option<i64>,
        limit_minor: i64,
        event: RefundEvent,
    ) -> Result<RefundInsert, StoreError>;
    /// Applies a refund change if it is still at `expected_version`, when its status was
    /// `was` (the version check makes that the stored status). A refund that moves to
    /// succeeded adds its amount to the payment's refunded amount in the same transaction;
    /// a rewrite of one that had succeeded already adds nothing.
    async fn apply_refund(
        &self,
        refund: &Refund,
        expected_version: i64,
        was: RefundStatus,
        event: Option<&Event>,
    ) -> Result<(), StoreError>;
    /// Makes `secret` the merchant's webhook secret; the old one keeps signing until
    /// `previous_expires_at`. False when there is no such merchant.
    async fn rotate_webhook_secret(
        &self,
        id: &MerchantId,
        secret: &Secret<String>,
        previous_expires_at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Turns new events into deliveries for merchants with an enabled endpoint; returns how
    /// many were created.
    async fn enqueue_deliveries(&self, now: Timestamp, limit: u32) -> Result<usize, StoreError>;
    /// Claims up to `limit` items of `queue` that are due for a check at `now`, least
    /// recently due first, leasing each until `until`: no other node claims it before then
    /// (claims, like every write, run one at a time across nodes), so each check asks the
    /// provider once, whatever the number of nodes.
    async fn claim_checks(
        &self,
        queue: CheckQueue,
        now: Timestamp,
        until: Timestamp,
        limit: u32,
    ) -> Result<Vec<Claimed>, StoreError>;
    /// An item checked without settling: due again at `at`, one more try counted. Nothing
    /// happens if the item changed since `version` (a change resets its checks).
    async fn check_later(
        &self,
        queue: CheckQueue,
        id: &str,
        version: i64,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    /// Claims up to `limit` due deliveries for `lease` (no node claims them again until it
    /// ends), with their events, oldest first. An endpoint (URL) never has more than
    /// `per_endpoint` deliveries under lease at once, across all nodes; each endpoint's
    /// oldest delivery is claimed before any endpoint's second, so one endpoint's backlog
    /// cannot take every slot.
    async fn claim_deliveries(
        &self,
        now: Timestamp,
        lease: std::time::Duration,
        per_endpoint: u32,
        limit: u32,
    ) -> Result<Claim, StoreError>;
    /// Records a delivery attempt and releases the claim, if `lease` (the claim's token) still
    /// holds it; `disable_endpoint` after a 410. False when the lease had passed to another
    /// claim: nothing was written.
    async fn finish_delivery(
        &self,
        delivery: &Delivery,
        lease: i64,
        disable_endpoint: bool,
    ) -> Result<bool, StoreError>;
    /// Sends an event again from the start of the schedule (re-enabling the endpoint).
    async fn redeliver(
        &self,
        merchant: &MerchantId,
        event_id: &str,
        now: Timestamp,
    ) -> Result<Option<Delivery>, StoreError>;
    /// Announcements of this node's commits that add events, from now on, each sent once the
    /// events can be read. Other nodes' commits (on a shared PostgreSQL) are not announced,
    /// so a reader that must see them also polls. A receiver that falls behind hears that it
    /// lagged, and should read again.
    fn subscribe_commits(&self) -> tokio::sync::broadcast::Receiver<Committed>;
}

/// Builds the event for a payment entering its current status.
pub fn event_for(payment: &Payment, event_type: EventType, payload: Vec<u8>) -> Event {
    Event {
        id: crate::domain::EventId::generate(payment.updated_at.as_millis()),
        merchant_id: payment.merchant_id.clone(),
        event_type,
        payment_id: payment.id.clone(),
        payload,
        created_at: payment.updated_at,
        trace_context: crate::telemetry::traceparent(),
    }
}
