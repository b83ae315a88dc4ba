//! Every write, written once for both backends. Each runs as a job of the backend's write
//! batcher (group commit), on the connection the batcher owns. No two write transactions
//! run at once on either backend, across every node (SQLite has one writer; on PostgreSQL
//! every batch first takes one cluster-wide lock, see `storage::postgres`), so a job reads
//! and writes without row locks. A payment's row and its attempts are written by one
//! statement on PostgreSQL, where each statement is a round trip on the batcher's one
//! connection, and by one statement each on SQLite ([`Tx::CHAINS_WRITES`]).

use std::borrow::Cow;

use async_trait::async_trait;

use super::batch::Batcher;
use super::checks;
use super::reads::ReadPool;
use super::risk;
use super::rows::{self, DELIVERY_COLUMNS, EVENT_COLUMNS, REFUND_COLUMNS};
use super::sql::{Sql, Tx};
use super::{
    CheckQueue, Claim, Claimed, Delivery, Inserted, PaymentChange, PaymentKey, Reads, RefundEvent,
    RefundInsert, RefundKey, Screened, StoreError, StoredEvent, Writes,
};
use crate::domain::{Attempt, Event, MerchantId, Payment, Refund, RefundStatus, Secret, Timestamp};

/// A backend: its reads, and the batcher its writes go through.
pub(crate) trait Backend: ReadPool {
    type Tx: Tx + 'static;
    fn batcher(&self) -> &Batcher<Self::Tx>;
}

/// Runs `write`, an insert or update of the payment `payment` that changes at most one row,
/// and if it changed one, upserts the payment's `attempts`; whether it changed one. One
/// statement where the backend chains writes ([`Tx::CHAINS_WRITES`]), else one each.
async fn write_with_attempts<T: Tx>(
    tx: &mut T,
    write: Sql<'_>,
    payment: &Payment,
    attempts: &[Attempt],
) -> Result<bool, StoreError> {
    if T::CHAINS_WRITES {
        let written: i64 = tx
            .fetch_one(&rows::with_attempts(write, payment, attempts))
            .await?;
        return Ok(written > 0);
    }
    if tx.execute(&write).await? == 0 {
        return Ok(false);
    }
    for attempt in attempts {
        tx.execute(&rows::upsert_attempt(payment, attempt)).await?;
    }
    Ok(true)
}

#[async_trait]
impl<B: Backend> Writes for B {
    async fn insert_payment(&self, p: &Payment, event: &Event) -> Result<Inserted, StoreError> {
        let (merchant, order) = (p.merchant_id.clone(), p.merchant_order_id.clone());
        let (p, event) = (p.clone(), event.clone());
        let inserted = self
            .batcher()
            .write("insert_payment", (p, event), |mut tx, (p, event)| {
                Box::pin(async move {
                    // On PostgreSQL a duplicate being inserted by another node makes this wait
                    // for it, then do nothing; the winner is read after the commit.
                    let insert = rows::insert_payment(p)?;
                    if !write_with_attempts(&mut *tx, insert, p, &p.attempts).await? {
                        return Ok(false);
                    }
                    tx.add_event(Cow::Borrowed(event));
                    Ok(true)
                })
            })
            .await?;
        if inserted {
            return Ok(Inserted::Created(()));
        }
        self.payment(&merchant, &PaymentKey::MerchantOrderId(order))
            .await?
            .map(|p| Inserted::Exists(Box::new(p)))
            .ok_or_else(|| StoreError::Corrupt("payment vanished".into()))
    }

    async fn insert_screened(&self, screened: Screened) -> Result<Inserted<Payment>, StoreError> {
        let (merchant, order) = (
            screened.payment.merchant_id.clone(),
            screened.payment.merchant_order_id.clone(),
        );
        let inserted = self
            .batcher()
            .write("insert_payment", screened, |mut tx, s| {
                Box::pin(async move {
                    let counted = risk::tallies(&mut *tx, s.screening.tallies()).await?;
                    let p = &s.payment;
                    let evaluation =
                        s.screening
                            .decide(&counted, p.amount.amount_minor, p.created_at);
                    let (p, mut event) = (s.decide)(p.clone(), evaluation, &s.screening, &s.route);
                    event.trace_context.clone_from(&s.trace_context);
                    let insert = rows::insert_payment(&p)?;
                    if !write_with_attempts(&mut *tx, insert, &p, &p.attempts).await? {
                        return Ok(None);
                    }
                    risk::count_in(&mut *tx, &p).await?;
                    tx.add_event(Cow::Owned(event));
                    Ok(Some(p))
                })
            })
            .await?;
        if let Some(p) = inserted {
            return Ok(Inserted::Created(p));
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
        let risk_column = rows::encode_risk(p.risk.as_ref())?;
        self.batcher()
            .write(
                "apply_payment",
                (p, attempts, event, next_action, risk_column),
                move |mut tx, (p, attempts, event, next_action, risk_column)| {
                    Box::pin(async move {
                        let releases = risk::releases(p);
                        if releases {
                            risk::release(&mut *tx, p.id.as_str(), expected, p.amount.amount_minor)
                                .await?;
                        }
                        let sql = Sql::new(
                            // refunded_minor is not written here: refund transactions own it.
                            "UPDATE payments SET status = $1, channel_id = $2, \
                         provider_transaction_id = $3, next_action = $4, failure_code = $5, \
                         failure_message = $6, updated_at = $7, paid_at = $8, version = $9, \
                         check_at = 0, check_tries = 0, late_transaction_id = $10, \
                         late_paid_at = $11, risk = $12, risk_counted = CASE WHEN $13 = 1 \
                         THEN NULL ELSE risk_counted END WHERE id = $14 AND version = $15",
                        )
                        .arg(p.status.as_str())
                        .arg(p.channel_id.as_ref().map(|c| c.as_str()))
                        .arg(p.provider_transaction_id.as_deref())
                        .arg(next_action.as_deref())
                        .arg(p.failure.as_ref().map(|f| f.code.as_str()))
                        .arg(p.failure.as_ref().map(|f| f.message.as_str()))
                        .arg(p.updated_at.as_micros())
                        .arg(p.paid_at.map(|t| t.as_micros()))
                        .arg(expected + 1)
                        .arg(
                            p.paid_after_close
                                .as_ref()
                                .map(|l| l.transaction_id.as_str()),
                        )
                        .arg(p.paid_after_close.as_ref().map(|l| l.paid_at.as_micros()))
                        .arg(risk_column.as_deref())
                        .arg(i64::from(releases))
                        .arg(p.id.as_str())
                        .arg(expected);
                        if !write_with_attempts(&mut *tx, sql, p, attempts).await? {
                            return Err(StoreError::Conflict(p.id.to_string()));
                        }
                        if let Some(event) = event {
                            tx.add_event(Cow::Borrowed(event));
                        }
                        Ok(())
                    })
                },
            )
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
            .batcher()
            .write("insert_refund", refund, move |mut tx, refund| {
                Box::pin(async move {
                    // From the sum to the insert no other refund of the payment may commit:
                    // no other write runs meanwhile, on any node (SQLite has one writer, and
                    // on PostgreSQL every batch holds the outbox lock).
                    let existing = Sql::new(format!(
                        "SELECT {REFUND_COLUMNS} FROM refunds \
                         WHERE merchant_id = $1 AND merchant_refund_id = $2"
                    ))
                    .arg(refund.merchant_id.as_str())
                    .arg(refund.merchant_refund_id.as_str());
                    if let Some(existing) = tx.fetch_optional::<Refund>(&existing).await? {
                        return Ok(Some(RefundInsert::Exists(Box::new(existing))));
                    }
                    let sum = Sql::new(
                        "SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM refunds \
                         WHERE payment_id = $1 AND status != 'failed'",
                    )
                    .arg(refund.payment_id.as_str());
                    let committed: i64 = tx.fetch_one(&sum).await?;
                    let available_minor = limit_minor - committed;
                    let amount = requested_minor.unwrap_or(available_minor);
                    if amount <= 0 || amount > available_minor {
                        return Ok(Some(RefundInsert::Exceeds { available_minor }));
                    }
                    let mut refund = refund.clone();
                    refund.amount.amount_minor = amount;
                    // The same merchant_refund_id for another payment is not covered by that
                    // row lock: the other one won, and is read after the commit.
                    if tx.execute(&rows::insert_refund(&refund)).await? == 0 {
                        return Ok(None);
                    }
                    tx.add_event(Cow::Owned(event(&refund)));
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
        was: RefundStatus,
        event: Option<&Event>,
    ) -> Result<(), StoreError> {
        let (r, event) = (r.clone(), event.cloned());
        self.batcher()
            .write("apply_refund", (r, event), move |mut tx, (r, event)| {
                Box::pin(async move {
                    let sql = Sql::new(
                        "UPDATE refunds SET status = $1, provider_refund_id = $2, \
                         failure_code = $3, failure_message = $4, updated_at = $5, \
                         succeeded_at = $6, version = $7, check_at = 0, check_tries = 0 \
                         WHERE id = $8 AND version = $9",
                    )
                    .arg(r.status.as_str())
                    .arg(r.provider_refund_id.as_deref())
                    .arg(r.failure.as_ref().map(|f| f.code.as_str()))
                    .arg(r.failure.as_ref().map(|f| f.message.as_str()))
                    .arg(r.updated_at.as_micros())
                    .arg(r.succeeded_at.map(|t| t.as_micros()))
                    .arg(expected_version + 1)
                    .arg(r.id.as_str())
                    .arg(expected_version);
                    if tx.execute(&sql).await? == 0 {
                        return Err(StoreError::Conflict(r.id.to_string()));
                    }
                    if r.status == RefundStatus::Succeeded && was != RefundStatus::Succeeded {
                        let sql = Sql::new(
                            "UPDATE payments SET refunded_minor = refunded_minor + $1 \
                             WHERE id = $2",
                        )
                        .arg(r.amount.amount_minor)
                        .arg(r.payment_id.as_str());
                        tx.execute(&sql).await?;
                    }
                    if let Some(event) = event {
                        tx.add_event(Cow::Borrowed(event));
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
        let (id, secret) = (id.clone(), secret.clone());
        self.batcher()
            .write(
                "rotate_webhook_secret",
                (id, secret),
                move |mut tx, (id, secret)| {
                    Box::pin(async move {
                        let sql = Sql::new(
                            "UPDATE merchants SET previous_webhook_secret = webhook_secret, \
                         previous_secret_expires_at = $1, webhook_secret = $2 WHERE id = $3",
                        )
                        .arg(previous_expires_at.as_micros())
                        .arg(secret.expose().as_str())
                        .arg(id.as_str());
                        Ok(tx.execute(&sql).await? > 0)
                    })
                },
            )
            .await
    }

    /// Turns the next events after the dispatcher's cursor into deliveries and moves the
    /// cursor past them. The cursor's row lock (and on PostgreSQL the batch's outbox lock)
    /// makes one node at a time do it, over events in commit order.
    async fn enqueue_deliveries(&self, now: Timestamp, limit: u32) -> Result<usize, StoreError> {
        self.batcher()
            .write("enqueue_deliveries", (), move |mut tx, ()| {
                Box::pin(async move {
                    let cursor: i64 = tx
                        .fetch_one(&Sql::new(
                            "UPDATE dispatcher_cursor SET seq = seq WHERE id = 1 RETURNING seq",
                        ))
                        .await?;
                    let next = Sql::new(
                        "SELECT MAX(seq) FROM (SELECT seq FROM events WHERE seq > $1 \
                         ORDER BY seq LIMIT $2) AS next_events",
                    )
                    .arg(cursor)
                    .arg(i64::from(limit));
                    let Some(last) = tx.fetch_one::<Option<i64>>(&next).await? else {
                        return Ok(0);
                    };
                    let insert = Sql::new(
                        "INSERT INTO deliveries (event_seq, event_id, merchant_id, url, status, \
                         attempts, next_attempt_at, created_at, updated_at) \
                         SELECT e.seq, e.id, e.merchant_id, m.webhook_url, 'pending', 0, $1, $1, $1 \
                         FROM events e JOIN merchants m ON m.id = e.merchant_id \
                         WHERE e.seq > $2 AND e.seq <= $3 AND m.webhook_url IS NOT NULL \
                         AND m.webhook_disabled = 0 ON CONFLICT DO NOTHING",
                    )
                    .arg(now.as_micros())
                    .arg(cursor)
                    .arg(last);
                    let inserted = tx.execute(&insert).await?;
                    let advance =
                        Sql::new("UPDATE dispatcher_cursor SET seq = $1 WHERE id = 1").arg(last);
                    tx.execute(&advance).await?;
                    Ok(usize::try_from(inserted).unwrap_or(usize::MAX))
                })
            })
            .await
    }

    async fn claim_checks(
        &self,
        queue: CheckQueue,
        now: Timestamp,
        until: Timestamp,
        limit: u32,
    ) -> Result<Vec<Claimed>, StoreError> {
        self.batcher()
            .write("claim_checks", (), move |mut tx, ()| {
                Box::pin(async move {
                    let claim = checks::claim(queue, now, until, limit);
                    let rows: Vec<(String, i64)> = tx.fetch(&claim).await?;
                    Ok(rows
                        .into_iter()
                        .map(|(id, tries)| Claimed {
                            id,
                            tries: u32::try_from(tries).unwrap_or(u32::MAX),
                        })
                        .collect())
                })
            })
            .await
    }

    async fn check_later(
        &self,
        queue: CheckQueue,
        id: &str,
        version: i64,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let id = id.to_owned();
        self.batcher()
            .write("check_later", id, move |mut tx, id| {
                Box::pin(async move {
                    tx.execute(&checks::later(queue, id, version, at)).await?;
                    Ok(())
                })
            })
            .await
    }

    async fn claim_deliveries(
        &self,
        now: Timestamp,
        lease: std::time::Duration,
        per_endpoint: u32,
        limit: u32,
    ) -> Result<Claim, StoreError> {
        let until = now.saturating_add(lease);
        let token: i64 = rand::random();
        self.batcher()
            .write("claim_deliveries", (), move |mut tx, ()| {
                Box::pin(async move {
                    // Due deliveries are numbered within their endpoint; an endpoint's k-th
                    // is claimed only if k more would stay within its cap beside those
                    // already leased. Ordering by k first takes every endpoint's oldest
                    // before any endpoint's second. No other write runs meanwhile (see the
                    // module's doc), so the rows picked are still due when they are leased.
                    let claim = Sql::new(format!(
                        "UPDATE deliveries SET locked_until = $1, lease_token = $2 \
                         WHERE event_seq IN (SELECT r.event_seq FROM \
                          (SELECT event_seq, url, \
                           ROW_NUMBER() OVER (PARTITION BY url ORDER BY event_seq) AS k \
                           FROM deliveries WHERE status = 'pending' AND next_attempt_at <= $3 \
                           AND (locked_until IS NULL OR locked_until < $3)) r \
                          LEFT JOIN (SELECT url, COUNT(*) AS n FROM deliveries \
                           WHERE locked_until >= $3 AND status = 'pending' GROUP BY url) busy \
                          ON busy.url = r.url \
                          WHERE r.k + COALESCE(busy.n, 0) <= $4 \
                          ORDER BY r.k, r.event_seq LIMIT $5) \
                         RETURNING {DELIVERY_COLUMNS}"
                    ))
                    .arg(until.as_micros())
                    .arg(token)
                    .arg(now.as_micros())
                    .arg(i64::from(per_endpoint))
                    .arg(i64::from(limit));
                    let mut claimed: Vec<Delivery> = tx.fetch(&claim).await?;
                    if claimed.is_empty() {
                        return Ok(Claim::default());
                    }
                    claimed.sort_by_key(|d| d.event_seq);
                    let mut events =
                        Sql::new(format!("SELECT {EVENT_COLUMNS} FROM events WHERE seq IN ("));
                    events
                        .params(claimed.iter().map(|d| d.event_seq))
                        .push(") ORDER BY seq");
                    let events: Vec<StoredEvent> = tx.fetch(&events).await?;
                    if events.len() != claimed.len() {
                        return Err(StoreError::Corrupt("a delivery without its event".into()));
                    }
                    Ok(Claim {
                        lease: token,
                        deliveries: claimed.into_iter().zip(events).collect(),
                    })
                })
            })
            .await
    }

    async fn finish_delivery(
        &self,
        d: &Delivery,
        lease: i64,
        disable_endpoint: bool,
    ) -> Result<bool, StoreError> {
        let d = d.clone();
        self.batcher()
            .write("finish_delivery", d, move |mut tx, d| {
                Box::pin(async move {
                    let sql = Sql::new(
                        "UPDATE deliveries SET status = $1, attempts = $2, next_attempt_at = $3, \
                         locked_until = NULL, lease_token = NULL, last_status = $4, \
                         last_error = $5, updated_at = $6 \
                         WHERE event_seq = $7 AND lease_token = $8",
                    )
                    .arg(d.status.as_str())
                    .arg(i64::from(d.attempts))
                    .arg(d.next_attempt_at.map(|t| t.as_micros()))
                    .arg(d.last_status.map(i64::from))
                    .arg(d.last_error.as_deref())
                    .arg(d.updated_at.as_micros())
                    .arg(d.event_seq)
                    .arg(lease);
                    if tx.execute(&sql).await? == 0 {
                        return Ok(false);
                    }
                    if disable_endpoint {
                        let sql =
                            Sql::new("UPDATE merchants SET webhook_disabled = 1 WHERE id = $1")
                                .arg(d.merchant_id.as_str());
                        tx.execute(&sql).await?;
                    }
                    Ok(true)
                })
            })
            .await
    }

    async fn redeliver(
        &self,
        merchant: &MerchantId,
        event_id: &str,
        now: Timestamp,
    ) -> Result<Option<Delivery>, StoreError> {
        let (merchant, event_id) = (merchant.clone(), event_id.to_owned());
        self.batcher()
            .write("redeliver", (merchant, event_id), move |mut tx, (merchant, event_id)| {
                Box::pin(async move {
                    // Re-enabling: a merchant who asks for a redelivery has fixed the endpoint.
                    let enable = Sql::new("UPDATE merchants SET webhook_disabled = 0 WHERE id = $1")
                        .arg(merchant.as_str());
                    tx.execute(&enable).await?;
                    let upsert = Sql::new(
                        "INSERT INTO deliveries (event_seq, event_id, merchant_id, url, status, \
                         attempts, next_attempt_at, created_at, updated_at) \
                         SELECT e.seq, e.id, e.merchant_id, m.webhook_url, 'pending', 0, $1, $1, $1 \
                         FROM events e JOIN merchants m ON m.id = e.merchant_id \
                         WHERE e.id = $2 AND e.merchant_id = $3 AND m.webhook_url IS NOT NULL \
                         ON CONFLICT (event_seq) DO UPDATE SET status = 'pending', attempts = 0, \
                         next_attempt_at = excluded.next_attempt_at, locked_until = NULL, \
                         lease_token = NULL, \
                         updated_at = excluded.updated_at",
                    )
                    .arg(now.as_micros())
                    .arg(event_id.as_str())
                    .arg(merchant.as_str());
                    tx.execute(&upsert).await?;
                    let delivery = Sql::new(format!(
                        "SELECT {DELIVERY_COLUMNS} FROM deliveries \
                         WHERE event_id = $1 AND merchant_id = $2"
                    ))
                    .arg(event_id.as_str())
                    .arg(merchant.as_str());
                    tx.fetch_optional(&delivery).await
                })
            })
            .await
    }

    fn subscribe_commits(&self) -> tokio::sync::broadcast::Receiver<super::Committed> {
        self.batcher().subscribe()
    }
}
