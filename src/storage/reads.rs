//! Every read, written once for both backends: plain SQL that SQLite and PostgreSQL both
//! accept, with `$1, $2, …` placeholders. A backend only says how a query runs on one of
//! its read connections ([`ReadPool`]); what differs between the backends is in their
//! writes.

use async_trait::async_trait;
use std::future::Future;
use std::sync::LazyLock;

use super::rows::{
    DELIVERY_COLUMNS, EVENT_COLUMNS, MERCHANT_COLUMNS, PAYMENT_WITH_ATTEMPT_COLUMNS,
    PaymentWithAttempt, REFUND_COLUMNS, gather,
};
use super::sql::{FromRow, Sql, first, the_row};
use super::{Delivery, PaymentFilter, PaymentKey, Reads, RefundKey, StoreError, StoredEvent};
use crate::domain::{
    Merchant, MerchantId, Payment, PaymentId, PaymentStatus, Refund, RefundId, Timestamp,
};

/// Where a backend's reads run (SQLite: one of its reader connections; PostgreSQL: a
/// connection from its pool).
pub(crate) trait ReadPool: Send + Sync + 'static {
    /// Runs a query on a read connection; its rows.
    fn fetch<T: FromRow>(
        &self,
        sql: &Sql<'_>,
    ) -> impl Future<Output = Result<Vec<T>, StoreError>> + Send;
    /// Runs a query whose cost grows with the data (a count over a table, not a lookup), where
    /// it cannot hold up other calls.
    fn scan<T: FromRow>(
        &self,
        sql: Sql<'static>,
    ) -> impl Future<Output = Result<Vec<T>, StoreError>> + Send {
        async move { self.fetch(&sql).await }
    }
    /// The query's first row, if any.
    fn fetch_optional<T: FromRow>(
        &self,
        sql: &Sql<'_>,
    ) -> impl Future<Output = Result<Option<T>, StoreError>> + Send {
        async move { Ok(first(self.fetch(sql).await?)) }
    }
    /// The query's one row.
    fn fetch_one<T: FromRow>(
        &self,
        sql: &Sql<'_>,
    ) -> impl Future<Output = Result<T, StoreError>> + Send {
        async move { the_row(self.fetch(sql).await?) }
    }
    /// The migrations this build applies to the backend.
    fn migrator(&self) -> &'static sqlx::migrate::Migrator;
}

/// `SELECT … FROM {table} WHERE merchant_id = $1`: how most reads start.
fn by_merchant<'a>(select: String, merchant: &'a MerchantId) -> Sql<'a> {
    let mut sql = Sql::new(select);
    sql.push(" WHERE merchant_id = ").param(merchant.as_str());
    sql
}

/// A select of payments with their attempts, in one query: `filter` ends a select from
/// `payments` (its `WHERE`, and any `ORDER BY … LIMIT`), and `order` orders the payments it
/// picked (columns of `p`); each payment's attempts follow it in the order they were made.
fn payments_text(filter: &str, order: &str) -> String {
    format!(
        "SELECT {} FROM (SELECT * FROM payments{filter}) AS p \
         LEFT JOIN attempts AS a ON a.payment_id = p.id ORDER BY {order}, p.id, a.seq",
        *PAYMENT_WITH_ATTEMPT_COLUMNS
    )
}

/// One payment by its id, whoever owns it; by its owner and id; by its owner and
/// merchant_order_id. Built once: they are the hot reads.
static PAYMENT_BY_ID: LazyLock<String> = LazyLock::new(|| payments_text(" WHERE id = $1", "p.id"));
static MERCHANT_PAYMENT_BY_ID: LazyLock<String> =
    LazyLock::new(|| payments_text(" WHERE merchant_id = $1 AND id = $2", "p.id"));
static MERCHANT_PAYMENT_BY_ORDER: LazyLock<String> =
    LazyLock::new(|| payments_text(" WHERE merchant_id = $1 AND merchant_order_id = $2", "p.id"));

/// Runs a payments query (see [`payments_text`]).
async fn payments(pool: &impl ReadPool, sql: &Sql<'_>) -> Result<Vec<Payment>, StoreError> {
    Ok(gather(pool.fetch::<PaymentWithAttempt>(sql).await?))
}

/// The payments `filter` picks, ordered by `order` (see [`payments_text`]).
async fn payments_where(
    pool: &impl ReadPool,
    filter: Sql<'_>,
    order: &str,
) -> Result<Vec<Payment>, StoreError> {
    let sql = Sql {
        text: payments_text(&filter.text, order).into(),
        args: filter.args,
    };
    payments(pool, &sql).await
}

#[async_trait]
impl<T: ReadPool> Reads for T {
    async fn list_merchants(&self) -> Result<Vec<Merchant>, StoreError> {
        let sql = Sql::new(format!(
            "SELECT {MERCHANT_COLUMNS} FROM merchants ORDER BY id"
        ));
        self.fetch(&sql).await
    }

    async fn merchant(&self, id: &MerchantId) -> Result<Option<Merchant>, StoreError> {
        let mut sql = Sql::new(format!("SELECT {MERCHANT_COLUMNS} FROM merchants"));
        sql.push(" WHERE id = ").param(id.as_str());
        self.fetch_optional(&sql).await
    }

    async fn payment(
        &self,
        merchant: &MerchantId,
        key: &PaymentKey,
    ) -> Result<Option<Payment>, StoreError> {
        let (text, value) = match key {
            PaymentKey::Id(id) => (&MERCHANT_PAYMENT_BY_ID, id.as_str()),
            PaymentKey::MerchantOrderId(o) => (&MERCHANT_PAYMENT_BY_ORDER, o.as_str()),
        };
        let sql = Sql::new(text.as_str()).arg(merchant.as_str()).arg(value);
        Ok(payments(self, &sql).await?.pop())
    }

    async fn payment_by_id(&self, id: &PaymentId) -> Result<Option<Payment>, StoreError> {
        let sql = Sql::new(PAYMENT_BY_ID.as_str()).arg(id.as_str());
        Ok(payments(self, &sql).await?.pop())
    }

    async fn list_payments(
        &self,
        merchant: &MerchantId,
        filter: &PaymentFilter,
        limit: u32,
    ) -> Result<Vec<Payment>, StoreError> {
        let mut sql = by_merchant(String::new(), merchant);
        if !filter.statuses.is_empty() {
            sql.push(" AND status IN (")
                .params(filter.statuses.iter().map(|s| s.as_str()))
                .push(")");
        }
        if let Some(t) = filter.created_after {
            sql.push(" AND created_at >= ").param(t.as_micros());
        }
        if let Some(t) = filter.created_before {
            sql.push(" AND created_at < ").param(t.as_micros());
        }
        if let Some(id) = &filter.before_id {
            sql.push(" AND id < ").param(id.as_str());
        }
        sql.push(" ORDER BY id DESC LIMIT ").param(i64::from(limit));
        payments_where(self, sql, "p.id DESC").await
    }

    async fn payment_events(&self, id: &PaymentId) -> Result<Vec<StoredEvent>, StoreError> {
        let mut sql = Sql::new(format!("SELECT {EVENT_COLUMNS} FROM events"));
        sql.push(" WHERE payment_id = ")
            .param(id.as_str())
            .push(" ORDER BY seq");
        self.fetch(&sql).await
    }

    async fn events_after(
        &self,
        merchant: &MerchantId,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let mut sql = by_merchant(format!("SELECT {EVENT_COLUMNS} FROM events"), merchant);
        sql.push(" AND seq > ")
            .param(after_seq)
            .push(" ORDER BY seq LIMIT ")
            .param(i64::from(limit));
        self.fetch(&sql).await
    }

    async fn last_event_seq(&self) -> Result<i64, StoreError> {
        self.fetch_one(&Sql::new("SELECT COALESCE(MAX(seq), 0) FROM events"))
            .await
    }

    async fn refund(
        &self,
        merchant: &MerchantId,
        key: &RefundKey,
    ) -> Result<Option<Refund>, StoreError> {
        let (column, value) = match key {
            RefundKey::Id(id) => (" AND id = ", id.as_str()),
            RefundKey::MerchantRefundId(r) => (" AND merchant_refund_id = ", r.as_str()),
        };
        let mut sql = by_merchant(format!("SELECT {REFUND_COLUMNS} FROM refunds"), merchant);
        sql.push(column).param(value);
        self.fetch_optional(&sql).await
    }

    async fn refund_by_id(&self, id: &RefundId) -> Result<Option<Refund>, StoreError> {
        let mut sql = Sql::new(format!("SELECT {REFUND_COLUMNS} FROM refunds"));
        sql.push(" WHERE id = ").param(id.as_str());
        self.fetch_optional(&sql).await
    }

    async fn list_refunds(
        &self,
        merchant: &MerchantId,
        payment: Option<&PaymentId>,
        before_id: Option<&RefundId>,
        limit: u32,
    ) -> Result<Vec<Refund>, StoreError> {
        let mut sql = by_merchant(format!("SELECT {REFUND_COLUMNS} FROM refunds"), merchant);
        if let Some(p) = payment {
            sql.push(" AND payment_id = ").param(p.as_str());
        }
        if let Some(id) = before_id {
            sql.push(" AND id < ").param(id.as_str());
        }
        sql.push(" ORDER BY id DESC LIMIT ").param(i64::from(limit));
        self.fetch(&sql).await
    }

    async fn payments_in(
        &self,
        status: PaymentStatus,
        updated_before: Timestamp,
        limit: u32,
    ) -> Result<Vec<Payment>, StoreError> {
        let mut filter = Sql::new(" WHERE status = ");
        filter
            .param(status.as_str())
            .push(" AND updated_at < ")
            .param(updated_before.as_micros())
            .push(" ORDER BY updated_at LIMIT ")
            .param(i64::from(limit));
        payments_where(self, filter, "p.updated_at").await
    }

    async fn payments_in_review(
        &self,
        merchant: Option<&MerchantId>,
        after: Option<&PaymentId>,
        limit: u32,
    ) -> Result<Vec<Payment>, StoreError> {
        let mut filter = Sql::new(" WHERE status = ");
        filter.param(PaymentStatus::RequiresReview.as_str());
        if let Some(m) = merchant {
            filter.push(" AND merchant_id = ").param(m.as_str());
        }
        if let Some(id) = after {
            filter.push(" AND id > ").param(id.as_str());
        }
        filter.push(" ORDER BY id LIMIT ").param(i64::from(limit));
        payments_where(self, filter, "p.id").await
    }

    async fn list_deliveries(
        &self,
        merchant: &MerchantId,
        before_seq: Option<i64>,
        limit: u32,
    ) -> Result<Vec<Delivery>, StoreError> {
        let mut sql = by_merchant(
            format!("SELECT {DELIVERY_COLUMNS} FROM deliveries"),
            merchant,
        );
        sql.push(" AND event_seq < ")
            .param(before_seq.unwrap_or(i64::MAX))
            .push(" ORDER BY event_seq DESC LIMIT ")
            .param(i64::from(limit));
        self.fetch(&sql).await
    }

    async fn payment_deliveries(&self, id: &PaymentId) -> Result<Vec<Delivery>, StoreError> {
        let mut sql = Sql::new(format!("SELECT {DELIVERY_COLUMNS} FROM deliveries"));
        sql.push(" WHERE event_seq IN (SELECT seq FROM events WHERE payment_id = ")
            .param(id.as_str())
            .push(") ORDER BY event_seq");
        self.fetch(&sql).await
    }

    async fn delivery_backlog(&self) -> Result<(i64, Option<Timestamp>), StoreError> {
        // A count over every pending delivery: a scan, however long the backlog.
        let (count, oldest): (i64, Option<i64>) = the_row(
            self.scan(Sql::new(
                "SELECT COUNT(*), MIN(created_at) FROM deliveries WHERE status = 'pending'",
            ))
            .await?,
        )?;
        Ok((count, oldest.map(Timestamp::from_micros)))
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.fetch_one::<i64>(&Sql::new("SELECT CAST(1 AS BIGINT)"))
            .await
            .map(drop)
    }

    async fn migrations_applied(&self) -> Result<bool, StoreError> {
        let applied: i64 = self
            .fetch_one(&Sql::new(
                "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success",
            ))
            .await?;
        let known = self.migrator().iter().map(|m| m.version).max().unwrap_or(0);
        // A newer node may have applied more: this one still finds everything it needs.
        Ok(applied >= known)
    }
}
