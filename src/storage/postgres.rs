//! The PostgreSQL backend, for several paycore nodes sharing one database. Same tables and
//! rows as SQLite; what differs is concurrency. SQLite has one writer; here transactions run
//! side by side, so:
//! - payment and refund writes go through group commit (one transaction, a savepoint each),
//!   and each batch first takes the outbox lock, so the outbox's `seq` grows in commit order
//!   (readers resume from a `seq`, and must never see a later one commit before an earlier
//!   one) and batches on different nodes take their locks in the same order;
//! - a refund locks its payment's row before summing the refunds it competes with;
//! - webhook deliveries are claimed with `FOR UPDATE SKIP LOCKED` and a lease.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgConnection, PgPool};

use super::batch::Batcher;
use super::reads::ReadPool;
use super::rows::{
    self, DELIVERY_COLUMNS, DeliveryRow, EVENT_COLUMNS, EventRow, REFUND_COLUMNS, RefundRow,
};
use super::{
    Delivery, Inserted, PaymentChange, PaymentKey, Reads, RefundEvent, RefundInsert, RefundKey,
    StoreError, StoredEvent, Writes,
};
use crate::config::DatabaseConfig;
use crate::domain::{
    Attempt, Event, Merchant, MerchantId, Payment, PaymentId, Refund, RefundStatus, Secret,
    Timestamp,
};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("src/storage/migrations/postgres");

/// Opens a write batch: the transaction, then the outbox lock (a transaction advisory lock,
/// key "paycore" in ASCII), held until the batch commits. Taking it first, before any row
/// lock, keeps every batch's locks in one order, so batches on different nodes cannot
/// deadlock; and it keeps the outbox's `seq` in commit order.
const BEGIN_BATCH: &str = "BEGIN; SELECT pg_advisory_xact_lock(31632371378778725)";

/// A PostgreSQL database.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    /// Group commit for the hot paths: payment and refund writes.
    batch: Batcher<sqlx::Postgres>,
}

impl PgStore {
    /// Connects to `config.url` (`postgres://…`), retrying for `connect_retry_secs` while the
    /// database is not up yet, and applies migrations.
    pub async fn open(config: &DatabaseConfig) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(&config.url)?.options([(
            "statement_timeout",
            format!("{}ms", config.statement_timeout_ms),
        )]);
        let pool = PgPoolOptions::new()
            .max_connections(config.max_connections)
            .acquire_timeout(Duration::from_millis(config.acquire_timeout_ms))
            .connect_lazy_with(options);
        let give_up = tokio::time::Instant::now() + Duration::from_secs(config.connect_retry_secs);
        loop {
            match MIGRATOR.run(&pool).await {
                Ok(()) => break,
                Err(sqlx::migrate::MigrateError::Execute(e))
                    if tokio::time::Instant::now() < give_up && not_up_yet(&e) =>
                {
                    tracing::warn!(error = %e, "database not reachable yet; retrying");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(Self {
            batch: Batcher::start(pool.clone(), BEGIN_BATCH),
            pool,
        })
    }
}

/// Whether a connection error means the server is not there (yet).
fn not_up_yet(e: &sqlx::Error) -> bool {
    matches!(
        e,
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::Tls(_)
    ) || matches!(e, sqlx::Error::Database(d) if d.code().as_deref() == Some("57P03"))
}

/// Inserts an event; in a write batch, which holds the outbox lock.
async fn upsert_attempt(
    tx: &mut PgConnection,
    payment: &PaymentId,
    a: &Attempt,
) -> Result<(), StoreError> {
    let latency = a
        .latency
        .map(|d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX));
    sqlx::query(
        "INSERT INTO attempts (id, payment_id, channel_id, outcome, error_code, error_message, \
         latency_us, started_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (id) DO UPDATE SET outcome = excluded.outcome, \
         error_code = excluded.error_code, error_message = excluded.error_message, \
         latency_us = excluded.latency_us",
    )
    .bind(a.id.as_str())
    .bind(payment.as_str())
    .bind(a.channel_id.as_str())
    .bind(a.outcome.as_str())
    .bind(a.error_code.as_deref())
    .bind(a.error_message.as_deref())
    .bind(latency)
    .bind(a.started_at.as_micros())
    .execute(tx)
    .await?;
    Ok(())
}

impl ReadPool for PgStore {
    type Db = sqlx::Postgres;
    type Reader<'a> = sqlx::pool::PoolConnection<sqlx::Postgres>;

    async fn reader(&self) -> Result<Self::Reader<'_>, StoreError> {
        Ok(self.pool.acquire().await?)
    }

    fn migrator(&self) -> &'static sqlx::migrate::Migrator {
        &MIGRATOR
    }
}

#[async_trait]
impl Writes for PgStore {
    async fn create_merchant(&self, m: &Merchant) -> Result<(), StoreError> {
        self.batch.create_merchant(m).await
    }

    async fn insert_payment(&self, p: &Payment, event: &Event) -> Result<Inserted, StoreError> {
        let (merchant, order) = (p.merchant_id.clone(), p.merchant_order_id.clone());
        let (p, event) = (p.clone(), event.clone());
        let inserted = self
            .batch
            .write("insert_payment", move |conn| {
                Box::pin(async move {
                    // A duplicate being inserted by another node makes this wait for it, then
                    // do nothing; the winner is read after the commit.
                    let inserted = rows::bind_payment(sqlx::query(&rows::INSERT_PAYMENT), &p)?
                        .execute(&mut *conn)
                        .await?
                        .rows_affected();
                    if inserted == 0 {
                        return Ok(false);
                    }
                    for attempt in &p.attempts {
                        upsert_attempt(conn, &p.id, attempt).await?;
                    }
                    rows::insert_event::<sqlx::Postgres>(conn, &event).await?;
                    Ok(true)
                })
            })
            .await?;
        if inserted {
            return Ok(Inserted::Created);
        }
        self.payment(&merchant, &PaymentKey::MerchantOrderId(order))
            .await?
            .map(|p| Inserted::Exists(Box::new(p)))
            .ok_or_else(|| StoreError::Corrupt("payment vanished".into()))
    }

    async fn apply(&self, change: PaymentChange<'_>) -> Result<(), StoreError> {
        let p = change.payment.clone();
        let expected = change.expected_version;
        let attempts: Vec<Attempt> = change.attempts.into_iter().cloned().collect();
        let event = change.event.cloned();
        let next_action = rows::encode_next_action(p.next_action.as_ref())?;
        self.batch
            .write("apply_payment", move |conn| {
                Box::pin(async move {
                    let updated = sqlx::query(
                        // refunded_minor is not written here: refund transactions own it.
                        "UPDATE payments SET status = $1, channel_id = $2, \
                         provider_transaction_id = $3, next_action = $4, failure_code = $5, \
                         failure_message = $6, updated_at = $7, paid_at = $8, version = $9 \
                         WHERE id = $10 AND version = $11",
                    )
                    .bind(p.status.as_str())
                    .bind(p.channel_id.as_ref().map(|c| c.as_str()))
                    .bind(p.provider_transaction_id.as_deref())
                    .bind(next_action)
                    .bind(p.failure.as_ref().map(|f| f.code.as_str()))
                    .bind(p.failure.as_ref().map(|f| f.message.as_str()))
                    .bind(p.updated_at.as_micros())
                    .bind(p.paid_at.map(|t| t.as_micros()))
                    .bind(expected + 1)
                    .bind(p.id.as_str())
                    .bind(expected)
                    .execute(&mut *conn)
                    .await?
                    .rows_affected();
                    if updated == 0 {
                        return Err(StoreError::Conflict(p.id.to_string()));
                    }
                    for attempt in &attempts {
                        upsert_attempt(conn, &p.id, attempt).await?;
                    }
                    if let Some(event) = &event {
                        rows::insert_event::<sqlx::Postgres>(conn, event).await?;
                    }
                    Ok(())
                })
            })
            .await
    }

    async fn insert_refund(
        &self,
        refund: &Refund,
        requested_minor: Option<i64>,
        limit_minor: i64,
        event: RefundEvent,
    ) -> Result<RefundInsert, StoreError> {
        let (merchant, refund_id) = (
            refund.merchant_id.clone(),
            refund.merchant_refund_id.clone(),
        );
        let refund = refund.clone();
        let inserted = self
            .batch
            .write("insert_refund", move |conn| {
                Box::pin(async move {
                    // The payment's row lock serialises its refunds, on every node, from the
                    // sum to the insert.
                    sqlx::query("SELECT 1 FROM payments WHERE id = $1 FOR UPDATE")
                        .bind(refund.payment_id.as_str())
                        .execute(&mut *conn)
                        .await?;
                    let existing: Option<RefundRow> = sqlx::query_as(&format!(
                        "SELECT {REFUND_COLUMNS} FROM refunds \
                         WHERE merchant_id = $1 AND merchant_refund_id = $2"
                    ))
                    .bind(refund.merchant_id.as_str())
                    .bind(&refund.merchant_refund_id)
                    .fetch_optional(&mut *conn)
                    .await?;
                    if let Some(row) = existing {
                        return Ok(Some(RefundInsert::Exists(Box::new(row.into_domain()?))));
                    }
                    let (committed,): (i64,) = sqlx::query_as(
                        "SELECT COALESCE(SUM(amount_minor), 0)::BIGINT FROM refunds \
                         WHERE payment_id = $1 AND status != 'failed'",
                    )
                    .bind(refund.payment_id.as_str())
                    .fetch_one(&mut *conn)
                    .await?;
                    let available_minor = limit_minor - committed;
                    let amount = requested_minor.unwrap_or(available_minor);
                    if amount <= 0 || amount > available_minor {
                        return Ok(Some(RefundInsert::Exceeds { available_minor }));
                    }
                    let mut refund = refund;
                    refund.amount.amount_minor = amount;
                    // The same merchant_refund_id for another payment is not covered by that
                    // row lock: the other one won, and is read after the commit.
                    let inserted = rows::bind_refund(sqlx::query(&rows::INSERT_REFUND), &refund)
                        .execute(&mut *conn)
                        .await?
                        .rows_affected();
                    if inserted == 0 {
                        return Ok(None);
                    }
                    rows::insert_event::<sqlx::Postgres>(conn, &event(&refund)).await?;
                    Ok(Some(RefundInsert::Created(Box::new(refund))))
                })
            })
            .await?;
        if let Some(inserted) = inserted {
            return Ok(inserted);
        }
        self.refund(&merchant, &RefundKey::MerchantRefundId(refund_id))
            .await?
            .map(|r| RefundInsert::Exists(Box::new(r)))
            .ok_or_else(|| StoreError::Corrupt("refund vanished".into()))
    }

    async fn apply_refund(
        &self,
        r: &Refund,
        expected_version: i64,
        event: Option<&Event>,
    ) -> Result<(), StoreError> {
        let (r, event) = (r.clone(), event.cloned());
        self.batch
            .write("apply_refund", move |conn| {
                Box::pin(async move {
                    let updated = sqlx::query(
                        "UPDATE refunds SET status = $1, provider_refund_id = $2, \
                         failure_code = $3, failure_message = $4, updated_at = $5, \
                         succeeded_at = $6, version = $7 WHERE id = $8 AND version = $9",
                    )
                    .bind(r.status.as_str())
                    .bind(r.provider_refund_id.as_deref())
                    .bind(r.failure.as_ref().map(|f| f.code.as_str()))
                    .bind(r.failure.as_ref().map(|f| f.message.as_str()))
                    .bind(r.updated_at.as_micros())
                    .bind(r.succeeded_at.map(|t| t.as_micros()))
                    .bind(expected_version + 1)
                    .bind(r.id.as_str())
                    .bind(expected_version)
                    .execute(&mut *conn)
                    .await?
                    .rows_affected();
                    if updated == 0 {
                        return Err(StoreError::Conflict(r.id.to_string()));
                    }
                    if r.status == RefundStatus::Succeeded {
                        sqlx::query(
                            "UPDATE payments SET refunded_minor = refunded_minor + $1 \
                             WHERE id = $2",
                        )
                        .bind(r.amount.amount_minor)
                        .bind(r.payment_id.as_str())
                        .execute(&mut *conn)
                        .await?;
                    }
                    if let Some(event) = &event {
                        rows::insert_event::<sqlx::Postgres>(conn, event).await?;
                    }
                    Ok(())
                })
            })
            .await
    }

    async fn rotate_webhook_secret(
        &self,
        id: &MerchantId,
        secret: &Secret<String>,
        previous_expires_at: Timestamp,
    ) -> Result<bool, StoreError> {
        self.batch
            .rotate_webhook_secret(id, secret, previous_expires_at)
            .await
    }

    async fn enqueue_deliveries(&self, now: Timestamp, limit: u32) -> Result<usize, StoreError> {
        self.batch.enqueue_deliveries(now, limit).await
    }

    async fn claim_deliveries(
        &self,
        now: Timestamp,
        lease: std::time::Duration,
        limit: u32,
    ) -> Result<Vec<(Delivery, StoredEvent)>, StoreError> {
        let until = now.saturating_add(lease);
        // SKIP LOCKED: nodes claiming at the same moment take disjoint deliveries.
        let rows: Vec<DeliveryRow> = sqlx::query_as(&format!(
            "UPDATE deliveries SET locked_until = $1 WHERE event_seq IN \
             (SELECT event_seq FROM deliveries WHERE status = 'pending' AND next_attempt_at <= $2 \
              AND (locked_until IS NULL OR locked_until < $2) ORDER BY event_seq LIMIT $3 \
              FOR UPDATE SKIP LOCKED) \
             RETURNING {DELIVERY_COLUMNS}"
        ))
        .bind(until.as_micros())
        .bind(now.as_micros())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let mut claimed = Vec::with_capacity(rows.len());
        for row in rows {
            let delivery = row.into_domain()?;
            let event: EventRow = sqlx::query_as(&format!(
                "SELECT {EVENT_COLUMNS} FROM events WHERE seq = $1"
            ))
            .bind(delivery.event_seq)
            .fetch_one(&self.pool)
            .await?;
            claimed.push((delivery, event.into_stored()?));
        }
        claimed.sort_by_key(|(d, _)| d.event_seq);
        Ok(claimed)
    }

    async fn finish_delivery(
        &self,
        d: &Delivery,
        disable_endpoint: bool,
    ) -> Result<(), StoreError> {
        self.batch.finish_delivery(d, disable_endpoint).await
    }

    async fn redeliver(
        &self,
        merchant: &MerchantId,
        event_id: &str,
        now: Timestamp,
    ) -> Result<Option<Delivery>, StoreError> {
        self.batch.redeliver(merchant, event_id, now).await
    }
}
