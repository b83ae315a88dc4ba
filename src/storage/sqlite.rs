//! The SQLite backend: WAL, one writer connection owned by the write batcher (SQLite admits
//! one writer at a time, so every write queues there instead of failing with SQLITE_BUSY)
//! and a few reader connections.

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use sqlx::ConnectOptions;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use tokio::sync::{Mutex, MutexGuard};

use super::batch::Batcher;
use super::reads::ReadPool;
use super::rows::{
    self, DELIVERY_COLUMNS, DeliveryRow, EVENT_COLUMNS, EventRow, REFUND_COLUMNS, RefundRow,
};
use super::{
    Delivery, Inserted, PaymentChange, PaymentKey, Reads, RefundEvent, RefundInsert, StoreError,
    StoredEvent, Writes,
};
use crate::domain::{
    Attempt, Event, Merchant, MerchantId, Payment, PaymentId, Refund, RefundStatus, Secret,
    Timestamp,
};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("src/storage/migrations/sqlite");

/// A SQLite database file.
#[derive(Clone)]
pub struct SqliteStore {
    readers: Arc<Readers>,
    /// Every write, in group-committed batches on the one writer connection it owns.
    batch: Batcher<sqlx::Sqlite>,
}

impl SqliteStore {
    /// Opens (creating if missing, with its directory) the database at `url`
    /// (`sqlite://path/to/file.db`) and applies migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a commit is on disk before the client hears "ok", so a crash loses
            // nothing that was acknowledged.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        if let Some(dir) = Path::new(options.get_filename()).parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Unavailable(sqlx::Error::Io(e)))?;
        }
        // A connection to a local file does not go away, so it is not pinged before use (a
        // round trip to its worker thread). The batcher keeps it.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options.clone())
            .await?;
        MIGRATOR.run(&writer).await?;
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            readers.push(Mutex::new(options.connect().await?));
        }
        Ok(Self {
            // IMMEDIATE: the batch holds the write lock from its first statement.
            batch: Batcher::start(writer, "BEGIN IMMEDIATE"),
            readers: Arc::new(Readers {
                connections: readers,
                next: AtomicUsize::new(0),
            }),
        })
    }
}

/// How many connections serve reads.
const READERS: usize = 4;

/// The reader connections, kept by paycore rather than a pool: a read takes a free one (or
/// waits its turn at the next), with no pool bookkeeping and no ping to the connection's
/// thread when it is given back. A read cut short leaves its connection usable: sqlx
/// resets the statement when the result is no longer wanted.
struct Readers {
    connections: Vec<Mutex<SqliteConnection>>,
    next: AtomicUsize,
}

impl Readers {
    async fn get(&self) -> MutexGuard<'_, SqliteConnection> {
        for c in &self.connections {
            if let Ok(conn) = c.try_lock() {
                return conn;
            }
        }
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.connections.len();
        self.connections[i].lock().await
    }
}

async fn upsert_attempt(
    tx: &mut sqlx::SqliteConnection,
    payment: &PaymentId,
    a: &Attempt,
) -> Result<(), StoreError> {
    let latency = a
        .latency
        .map(|d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX));
    sqlx::query(
        "INSERT INTO attempts (id, payment_id, channel_id, outcome, error_code, error_message, \
         latency_us, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) \
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

impl ReadPool for SqliteStore {
    type Db = sqlx::Sqlite;
    type Reader<'a> = MutexGuard<'a, SqliteConnection>;

    async fn reader(&self) -> Result<Self::Reader<'_>, StoreError> {
        Ok(self.readers.get().await)
    }

    fn migrator(&self) -> &'static sqlx::migrate::Migrator {
        &MIGRATOR
    }
}

#[async_trait]
impl Writes for SqliteStore {
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
                    rows::insert_event::<sqlx::Sqlite>(conn, &event).await?;
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
                        "UPDATE payments SET status = ?, channel_id = ?, provider_transaction_id = ?, \
                         next_action = ?, failure_code = ?, failure_message = ?, \
                         updated_at = ?, paid_at = ?, version = ? WHERE id = ? AND version = ?",
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
                        rows::insert_event::<sqlx::Sqlite>(conn, event).await?;
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
        let refund = refund.clone();
        // In the shared write transaction: SQLite's one writer keeps every other writer out
        // from the sum to the insert.
        self.batch
            .write("insert_refund", move |conn| {
                Box::pin(async move {
                    let existing: Option<RefundRow> = sqlx::query_as(&format!(
                        "SELECT {REFUND_COLUMNS} FROM refunds \
                         WHERE merchant_id = ? AND merchant_refund_id = ?"
                    ))
                    .bind(refund.merchant_id.as_str())
                    .bind(&refund.merchant_refund_id)
                    .fetch_optional(&mut *conn)
                    .await?;
                    if let Some(row) = existing {
                        return Ok(RefundInsert::Exists(Box::new(row.into_domain()?)));
                    }
                    let (committed,): (i64,) = sqlx::query_as(
                        "SELECT COALESCE(SUM(amount_minor), 0) FROM refunds \
                         WHERE payment_id = ? AND status != 'failed'",
                    )
                    .bind(refund.payment_id.as_str())
                    .fetch_one(&mut *conn)
                    .await?;
                    let available_minor = limit_minor - committed;
                    let amount = requested_minor.unwrap_or(available_minor);
                    if amount <= 0 || amount > available_minor {
                        return Ok(RefundInsert::Exceeds { available_minor });
                    }
                    let mut refund = refund;
                    refund.amount.amount_minor = amount;
                    rows::bind_refund(sqlx::query(&rows::INSERT_REFUND), &refund)
                        .execute(&mut *conn)
                        .await?;
                    rows::insert_event::<sqlx::Sqlite>(conn, &event(&refund)).await?;
                    Ok(RefundInsert::Created(Box::new(refund)))
                })
            })
            .await
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
                        "UPDATE refunds SET status = ?, provider_refund_id = ?, failure_code = ?, \
                         failure_message = ?, updated_at = ?, succeeded_at = ?, version = ? \
                         WHERE id = ? AND version = ?",
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
                            "UPDATE payments SET refunded_minor = refunded_minor + ? WHERE id = ?",
                        )
                        .bind(r.amount.amount_minor)
                        .bind(r.payment_id.as_str())
                        .execute(&mut *conn)
                        .await?;
                    }
                    if let Some(event) = &event {
                        rows::insert_event::<sqlx::Sqlite>(conn, event).await?;
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
        let rows: Vec<DeliveryRow> = self
            .batch
            .write("claim_deliveries", move |conn| {
                Box::pin(async move {
                    let rows = sqlx::query_as(&format!(
                        "UPDATE deliveries SET locked_until = ? WHERE event_seq IN \
                         (SELECT event_seq FROM deliveries WHERE status = 'pending' \
                          AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until < ?) \
                          ORDER BY event_seq LIMIT ?) \
                         RETURNING {DELIVERY_COLUMNS}"
                    ))
                    .bind(until.as_micros())
                    .bind(now.as_micros())
                    .bind(now.as_micros())
                    .bind(i64::from(limit))
                    .fetch_all(conn)
                    .await?;
                    Ok(rows)
                })
            })
            .await?;
        let mut claimed = Vec::with_capacity(rows.len());
        for row in rows {
            let delivery = row.into_domain()?;
            let event: EventRow =
                sqlx::query_as(&format!("SELECT {EVENT_COLUMNS} FROM events WHERE seq = ?"))
                    .bind(delivery.event_seq)
                    .fetch_one(&mut *self.readers.get().await)
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
