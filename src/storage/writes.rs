//! The writes whose SQL and locking are the same on both backends (rare, off the hot path),
//! written once. They run in the backend's write batches like every other write: on SQLite
//! the batcher owns the one writer connection.

use sqlx::{Database, Encode, Executor, FromRow, IntoArguments, Type};

use super::batch::Batcher;
use super::rows::{DELIVERY_COLUMNS, DeliveryRow};
use super::{Delivery, StoreError};
use crate::domain::{Merchant, MerchantId, Secret, Timestamp};

impl<DB> Batcher<DB>
where
    DB: Database,
    for<'c> &'c mut <DB as Database>::Connection: Executor<'c, Database = DB>,
    for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> Option<&'q str>: Encode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'r> DeliveryRow: FromRow<'r, <DB as Database>::Row>,
    for<'r> (String,): FromRow<'r, <DB as Database>::Row>,
    for<'r> (i64,): FromRow<'r, <DB as Database>::Row>,
    for<'r> (Option<i64>,): FromRow<'r, <DB as Database>::Row>,
{
    pub(crate) async fn create_merchant(&self, m: &Merchant) -> Result<(), StoreError> {
        let m = m.clone();
        self.write("create_merchant", move |conn| {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO merchants (id, name, api_key_hash, webhook_url, webhook_secret, \
                     created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(m.id.as_str())
                .bind(m.name.as_str())
                .bind(m.api_key_hash.as_str())
                .bind(m.webhook_url.as_deref())
                .bind(m.webhook_secret.expose().as_str())
                .bind(m.created_at.as_micros())
                .execute(conn)
                .await?;
                Ok(())
            })
        })
        .await
    }

    pub(crate) async fn rotate_webhook_secret(
        &self,
        id: &MerchantId,
        secret: &Secret<String>,
        previous_expires_at: Timestamp,
    ) -> Result<bool, StoreError> {
        let (id, secret) = (id.clone(), secret.clone());
        self.write("rotate_webhook_secret", move |conn| {
            Box::pin(async move {
                let updated: Option<(String,)> = sqlx::query_as(
                    "UPDATE merchants SET previous_webhook_secret = webhook_secret, \
                     previous_secret_expires_at = $1, webhook_secret = $2 WHERE id = $3 \
                     RETURNING id",
                )
                .bind(previous_expires_at.as_micros())
                .bind(secret.expose().as_str())
                .bind(id.as_str())
                .fetch_optional(conn)
                .await?;
                Ok(updated.is_some())
            })
        })
        .await
    }

    /// Turns the next events after the dispatcher's cursor into deliveries and moves the
    /// cursor past them. The cursor's row lock (and on PostgreSQL the batch's outbox lock)
    /// makes one node at a time do it, over events in commit order.
    pub(crate) async fn enqueue_deliveries(
        &self,
        now: Timestamp,
        limit: u32,
    ) -> Result<usize, StoreError> {
        self.write("enqueue_deliveries", move |conn| {
            Box::pin(async move {
                let (cursor,): (i64,) = sqlx::query_as(
                    "UPDATE dispatcher_cursor SET seq = seq WHERE id = 1 RETURNING seq",
                )
                .fetch_one(&mut *conn)
                .await?;
                let (last,): (Option<i64>,) = sqlx::query_as(
                    "SELECT MAX(seq) FROM \
                     (SELECT seq FROM events WHERE seq > $1 ORDER BY seq LIMIT $2) AS next_events",
                )
                .bind(cursor)
                .bind(i64::from(limit))
                .fetch_one(&mut *conn)
                .await?;
                let Some(last) = last else {
                    return Ok(0);
                };
                let inserted: Vec<(i64,)> = sqlx::query_as(
                    "INSERT INTO deliveries (event_seq, event_id, merchant_id, url, status, \
                     attempts, next_attempt_at, created_at, updated_at) \
                     SELECT e.seq, e.id, e.merchant_id, m.webhook_url, 'pending', 0, $1, $1, $1 \
                     FROM events e JOIN merchants m ON m.id = e.merchant_id \
                     WHERE e.seq > $2 AND e.seq <= $3 AND m.webhook_url IS NOT NULL \
                     AND m.webhook_disabled = 0 ON CONFLICT DO NOTHING RETURNING event_seq",
                )
                .bind(now.as_micros())
                .bind(cursor)
                .bind(last)
                .fetch_all(&mut *conn)
                .await?;
                sqlx::query("UPDATE dispatcher_cursor SET seq = $1 WHERE id = 1")
                    .bind(last)
                    .execute(&mut *conn)
                    .await?;
                Ok(inserted.len())
            })
        })
        .await
    }

    pub(crate) async fn finish_delivery(
        &self,
        d: &Delivery,
        disable_endpoint: bool,
    ) -> Result<(), StoreError> {
        let d = d.clone();
        self.write("finish_delivery", move |conn| {
            Box::pin(async move {
                sqlx::query(
                    "UPDATE deliveries SET status = $1, attempts = $2, next_attempt_at = $3, \
                     locked_until = NULL, last_status = $4, last_error = $5, updated_at = $6 \
                     WHERE event_seq = $7",
                )
                .bind(d.status.as_str())
                .bind(i64::from(d.attempts))
                .bind(d.next_attempt_at.map(|t| t.as_micros()))
                .bind(d.last_status.map(i64::from))
                .bind(d.last_error.as_deref())
                .bind(d.updated_at.as_micros())
                .bind(d.event_seq)
                .execute(&mut *conn)
                .await?;
                if disable_endpoint {
                    sqlx::query("UPDATE merchants SET webhook_disabled = 1 WHERE id = $1")
                        .bind(d.merchant_id.as_str())
                        .execute(&mut *conn)
                        .await?;
                }
                Ok(())
            })
        })
        .await
    }

    pub(crate) async fn redeliver(
        &self,
        merchant: &MerchantId,
        event_id: &str,
        now: Timestamp,
    ) -> Result<Option<Delivery>, StoreError> {
        let (merchant, event_id) = (merchant.clone(), event_id.to_owned());
        let row: Option<DeliveryRow> = self
            .write("redeliver", move |conn| {
                Box::pin(async move {
                    // Re-enabling: a merchant who asks for a redelivery has fixed the endpoint.
                    sqlx::query("UPDATE merchants SET webhook_disabled = 0 WHERE id = $1")
                        .bind(merchant.as_str())
                        .execute(&mut *conn)
                        .await?;
                    sqlx::query(
                        "INSERT INTO deliveries (event_seq, event_id, merchant_id, url, status, \
                         attempts, next_attempt_at, created_at, updated_at) \
                         SELECT e.seq, e.id, e.merchant_id, m.webhook_url, 'pending', 0, $1, $1, $1 \
                         FROM events e JOIN merchants m ON m.id = e.merchant_id \
                         WHERE e.id = $2 AND e.merchant_id = $3 AND m.webhook_url IS NOT NULL \
                         ON CONFLICT (event_seq) DO UPDATE SET status = 'pending', attempts = 0, \
                         next_attempt_at = excluded.next_attempt_at, locked_until = NULL, \
                         updated_at = excluded.updated_at",
                    )
                    .bind(now.as_micros())
                    .bind(event_id.as_str())
                    .bind(merchant.as_str())
                    .execute(&mut *conn)
                    .await?;
                    let row = sqlx::query_as(&format!(
                        "SELECT {DELIVERY_COLUMNS} FROM deliveries \
                         WHERE event_id = $1 AND merchant_id = $2"
                    ))
                    .bind(event_id.as_str())
                    .bind(merchant.as_str())
                    .fetch_optional(&mut *conn)
                    .await?;
                    Ok(row)
                })
            })
            .await?;
        row.map(DeliveryRow::into_domain).transpose()
    }
}
