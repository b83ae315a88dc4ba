//! Every read, written once for both backends: plain SQL that SQLite and PostgreSQL both
//! accept, with `$1, $2, …` placeholders (sqlx takes those for SQLite too). A backend only
//! says which pool its reads use ([`ReadPool`]); what differs between the backends is in
//! their writes.

use async_trait::async_trait;
use std::fmt::Write as _;

use std::future::Future;
use std::ops::DerefMut;

use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, FromRow, IntoArguments, Type};

use super::rows::{
    AttemptRow, DELIVERY_COLUMNS, DeliveryRow, EVENT_COLUMNS, EventRow, MERCHANT_COLUMNS,
    MerchantRow, PAYMENT_COLUMNS, PaymentRow, REFUND_COLUMNS, RefundRow, attach_attempts,
};
use super::{Delivery, PaymentFilter, PaymentKey, Reads, RefundKey, StoreError, StoredEvent};
use crate::domain::{
    Merchant, MerchantId, Payment, PaymentId, PaymentStatus, Refund, RefundId, Timestamp,
};

/// Where a backend's reads run (SQLite: one of its reader connections; PostgreSQL: a
/// connection from its pool).
pub trait ReadPool: Send + Sync + 'static {
    type Db: Database;
    /// A connection lent to one read.
    type Reader<'a>: DerefMut<Target = <Self::Db as Database>::Connection> + Send
    where
        Self: 'a;
    fn reader(&self) -> impl Future<Output = Result<Self::Reader<'_>, StoreError>> + Send;
    /// The migrations this build applies to the backend.
    fn migrator(&self) -> &'static sqlx::migrate::Migrator;
}

/// A query being written: its text, with a numbered placeholder for each argument.
struct Sql<'a> {
    text: String,
    args: Vec<Arg<'a>>,
}

enum Arg<'a> {
    Str(&'a str),
    Int(i64),
}

impl<'a> Sql<'a> {
    fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            args: Vec::new(),
        }
    }

    /// `SELECT … WHERE merchant_id = $1`: how most reads start.
    fn by_merchant(select: String, merchant: &'a MerchantId) -> Self {
        let mut sql = Self::new(select);
        sql.push(" WHERE merchant_id = ")
            .bind(Arg::Str(merchant.as_str()));
        sql
    }

    fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    fn bind(&mut self, arg: Arg<'a>) -> &mut Self {
        self.args.push(arg);
        let _ = write!(self.text, "${}", self.args.len());
        self
    }

    fn str(&mut self, value: &'a str) -> &mut Self {
        self.bind(Arg::Str(value))
    }

    fn int(&mut self, value: i64) -> &mut Self {
        self.bind(Arg::Int(value))
    }

    /// `$1, $2, …` for each value, as in `IN (…)`.
    fn strs(&mut self, values: impl IntoIterator<Item = &'a str>) -> &mut Self {
        for (i, value) in values.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.str(value);
        }
        self
    }

    fn query<DB, O>(&self) -> sqlx::query::QueryAs<'_, DB, O, <DB as Database>::Arguments<'_>>
    where
        DB: Database,
        for<'q> &'q str: Encode<'q, DB> + Type<DB>,
        for<'q> i64: Encode<'q, DB> + Type<DB>,
        for<'r> O: FromRow<'r, <DB as Database>::Row>,
    {
        let mut query = sqlx::query_as(&self.text);
        for arg in &self.args {
            query = match arg {
                Arg::Str(s) => query.bind(*s),
                Arg::Int(i) => query.bind(*i),
            };
        }
        query
    }
}

#[async_trait]
impl<T> Reads for T
where
    T: ReadPool,
    for<'c> &'c mut <T::Db as Database>::Connection: Executor<'c, Database = T::Db>,
    for<'q> <T::Db as Database>::Arguments<'q>: IntoArguments<'q, T::Db>,
    for<'q> &'q str: Encode<'q, T::Db> + Type<T::Db>,
    for<'q> i64: Encode<'q, T::Db> + Type<T::Db>,
    for<'r> i64: Decode<'r, T::Db>,
    for<'r> MerchantRow: FromRow<'r, <T::Db as Database>::Row>,
    for<'r> PaymentRow: FromRow<'r, <T::Db as Database>::Row>,
    for<'r> AttemptRow: FromRow<'r, <T::Db as Database>::Row>,
    for<'r> RefundRow: FromRow<'r, <T::Db as Database>::Row>,
    for<'r> EventRow: FromRow<'r, <T::Db as Database>::Row>,
    for<'r> DeliveryRow: FromRow<'r, <T::Db as Database>::Row>,
    for<'r> (i64,): FromRow<'r, <T::Db as Database>::Row>,
    for<'r> (i64, Option<i64>): FromRow<'r, <T::Db as Database>::Row>,
    usize: ColumnIndex<<T::Db as Database>::Row>,
{
    async fn list_merchants(&self) -> Result<Vec<Merchant>, StoreError> {
        let sql = Sql::new(format!(
            "SELECT {MERCHANT_COLUMNS} FROM merchants ORDER BY id"
        ));
        let rows: Vec<MerchantRow> = sql.query().fetch_all(&mut *self.reader().await?).await?;
        rows.into_iter().map(MerchantRow::into_domain).collect()
    }

    async fn merchant_by_key_hash(&self, hash: &str) -> Result<Option<Merchant>, StoreError> {
        let mut sql = Sql::new(format!("SELECT {MERCHANT_COLUMNS} FROM merchants"));
        sql.push(" WHERE api_key_hash = ").str(hash);
        let row: Option<MerchantRow> = sql
            .query()
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        row.map(MerchantRow::into_domain).transpose()
    }

    async fn merchant(&self, id: &MerchantId) -> Result<Option<Merchant>, StoreError> {
        let mut sql = Sql::new(format!("SELECT {MERCHANT_COLUMNS} FROM merchants"));
        sql.push(" WHERE id = ").str(id.as_str());
        let row: Option<MerchantRow> = sql
            .query()
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        row.map(MerchantRow::into_domain).transpose()
    }

    async fn payment(
        &self,
        merchant: &MerchantId,
        key: &PaymentKey,
    ) -> Result<Option<Payment>, StoreError> {
        let (column, value) = match key {
            PaymentKey::Id(id) => ("id", id.as_str()),
            PaymentKey::MerchantOrderId(o) => ("merchant_order_id", o.as_str()),
        };
        let mut sql = Sql::by_merchant(format!("SELECT {PAYMENT_COLUMNS} FROM payments"), merchant);
        sql.push(&format!(" AND {column} = ")).str(value);
        Ok(with_attempts(&mut *self.reader().await?, &sql).await?.pop())
    }

    async fn payment_by_id(&self, id: &PaymentId) -> Result<Option<Payment>, StoreError> {
        let mut sql = Sql::new(format!("SELECT {PAYMENT_COLUMNS} FROM payments"));
        sql.push(" WHERE id = ").str(id.as_str());
        Ok(with_attempts(&mut *self.reader().await?, &sql).await?.pop())
    }

    async fn list_payments(
        &self,
        merchant: &MerchantId,
        filter: &PaymentFilter,
        limit: u32,
    ) -> Result<Vec<Payment>, StoreError> {
        let mut sql = Sql::by_merchant(format!("SELECT {PAYMENT_COLUMNS} FROM payments"), merchant);
        if !filter.statuses.is_empty() {
            sql.push(" AND status IN (")
                .strs(filter.statuses.iter().map(|s| s.as_str()))
                .push(")");
        }
        if let Some(t) = filter.created_after {
            sql.push(" AND created_at >= ").int(t.as_micros());
        }
        if let Some(t) = filter.created_before {
            sql.push(" AND created_at < ").int(t.as_micros());
        }
        if let Some(id) = &filter.before_id {
            sql.push(" AND id < ").str(id.as_str());
        }
        sql.push(" ORDER BY id DESC LIMIT ").int(i64::from(limit));
        with_attempts(&mut *self.reader().await?, &sql).await
    }

    async fn payment_events(&self, id: &PaymentId) -> Result<Vec<StoredEvent>, StoreError> {
        let mut sql = Sql::new(format!("SELECT {EVENT_COLUMNS} FROM events"));
        sql.push(" WHERE payment_id = ")
            .str(id.as_str())
            .push(" ORDER BY seq");
        let rows: Vec<EventRow> = sql.query().fetch_all(&mut *self.reader().await?).await?;
        rows.into_iter().map(EventRow::into_stored).collect()
    }

    async fn events_after(
        &self,
        merchant: &MerchantId,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let mut sql = Sql::by_merchant(format!("SELECT {EVENT_COLUMNS} FROM events"), merchant);
        sql.push(" AND seq > ")
            .int(after_seq)
            .push(" ORDER BY seq LIMIT ")
            .int(i64::from(limit));
        let rows: Vec<EventRow> = sql.query().fetch_all(&mut *self.reader().await?).await?;
        rows.into_iter().map(EventRow::into_stored).collect()
    }

    async fn last_event_seq(&self) -> Result<i64, StoreError> {
        let (seq,): (i64,) = Sql::new("SELECT COALESCE(MAX(seq), 0) FROM events")
            .query()
            .fetch_one(&mut *self.reader().await?)
            .await?;
        Ok(seq)
    }

    async fn refund(
        &self,
        merchant: &MerchantId,
        key: &RefundKey,
    ) -> Result<Option<Refund>, StoreError> {
        let (column, value) = match key {
            RefundKey::Id(id) => ("id", id.as_str()),
            RefundKey::MerchantRefundId(r) => ("merchant_refund_id", r.as_str()),
        };
        let mut sql = Sql::by_merchant(format!("SELECT {REFUND_COLUMNS} FROM refunds"), merchant);
        sql.push(&format!(" AND {column} = ")).str(value);
        let row: Option<RefundRow> = sql
            .query()
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        row.map(RefundRow::into_domain).transpose()
    }

    async fn refund_by_id(&self, id: &RefundId) -> Result<Option<Refund>, StoreError> {
        let mut sql = Sql::new(format!("SELECT {REFUND_COLUMNS} FROM refunds"));
        sql.push(" WHERE id = ").str(id.as_str());
        let row: Option<RefundRow> = sql
            .query()
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        row.map(RefundRow::into_domain).transpose()
    }

    async fn list_refunds(
        &self,
        merchant: &MerchantId,
        payment: Option<&PaymentId>,
        before_id: Option<&RefundId>,
        limit: u32,
    ) -> Result<Vec<Refund>, StoreError> {
        let mut sql = Sql::by_merchant(format!("SELECT {REFUND_COLUMNS} FROM refunds"), merchant);
        if let Some(p) = payment {
            sql.push(" AND payment_id = ").str(p.as_str());
        }
        if let Some(id) = before_id {
            sql.push(" AND id < ").str(id.as_str());
        }
        sql.push(" ORDER BY id DESC LIMIT ").int(i64::from(limit));
        let rows: Vec<RefundRow> = sql.query().fetch_all(&mut *self.reader().await?).await?;
        rows.into_iter().map(RefundRow::into_domain).collect()
    }

    async fn payments_in(
        &self,
        status: PaymentStatus,
        updated_before: Timestamp,
        limit: u32,
    ) -> Result<Vec<Payment>, StoreError> {
        let mut sql = Sql::new(format!("SELECT {PAYMENT_COLUMNS} FROM payments"));
        sql.push(" WHERE status = ")
            .str(status.as_str())
            .push(" AND updated_at < ")
            .int(updated_before.as_micros())
            .push(" ORDER BY updated_at LIMIT ")
            .int(i64::from(limit));
        with_attempts(&mut *self.reader().await?, &sql).await
    }

    async fn expired_payments(
        &self,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<Payment>, StoreError> {
        let mut sql = Sql::new(format!("SELECT {PAYMENT_COLUMNS} FROM payments"));
        sql.push(" WHERE status = 'pending' AND expires_at < ")
            .int(now.as_micros())
            .push(" ORDER BY expires_at LIMIT ")
            .int(i64::from(limit));
        with_attempts(&mut *self.reader().await?, &sql).await
    }

    async fn pending_refunds(
        &self,
        updated_before: Timestamp,
        limit: u32,
    ) -> Result<Vec<Refund>, StoreError> {
        let mut sql = Sql::new(format!("SELECT {REFUND_COLUMNS} FROM refunds"));
        sql.push(" WHERE status = 'pending' AND updated_at < ")
            .int(updated_before.as_micros())
            .push(" ORDER BY updated_at LIMIT ")
            .int(i64::from(limit));
        let rows: Vec<RefundRow> = sql.query().fetch_all(&mut *self.reader().await?).await?;
        rows.into_iter().map(RefundRow::into_domain).collect()
    }

    async fn list_deliveries(
        &self,
        merchant: &MerchantId,
        before_seq: Option<i64>,
        limit: u32,
    ) -> Result<Vec<Delivery>, StoreError> {
        let mut sql = Sql::by_merchant(
            format!("SELECT {DELIVERY_COLUMNS} FROM deliveries"),
            merchant,
        );
        sql.push(" AND event_seq < ")
            .int(before_seq.unwrap_or(i64::MAX))
            .push(" ORDER BY event_seq DESC LIMIT ")
            .int(i64::from(limit));
        let rows: Vec<DeliveryRow> = sql.query().fetch_all(&mut *self.reader().await?).await?;
        rows.into_iter().map(DeliveryRow::into_domain).collect()
    }

    async fn delivery_backlog(&self) -> Result<(i64, Option<Timestamp>), StoreError> {
        let (count, oldest): (i64, Option<i64>) =
            Sql::new("SELECT COUNT(*), MIN(created_at) FROM deliveries WHERE status = 'pending'")
                .query()
                .fetch_one(&mut *self.reader().await?)
                .await?;
        Ok((count, oldest.map(Timestamp::from_micros)))
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&mut *self.reader().await?)
            .await?;
        Ok(())
    }

    async fn migrations_applied(&self) -> Result<bool, StoreError> {
        let (applied,): (i64,) =
            Sql::new("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
                .query()
                .fetch_one(&mut *self.reader().await?)
                .await?;
        let known = self.migrator().iter().map(|m| m.version).max().unwrap_or(0);
        // A newer node may have applied more: this one still finds everything it needs.
        Ok(applied >= known)
    }
}

/// The payments `sql` selects, with their attempts read by a second query for all of them,
/// both on one connection.
async fn with_attempts<DB>(
    conn: &mut DB::Connection,
    sql: &Sql<'_>,
) -> Result<Vec<Payment>, StoreError>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'r> PaymentRow: FromRow<'r, <DB as Database>::Row>,
    for<'r> AttemptRow: FromRow<'r, <DB as Database>::Row>,
{
    let rows: Vec<PaymentRow> = sql.query().fetch_all(&mut *conn).await?;
    let mut payments = rows
        .into_iter()
        .map(PaymentRow::into_domain)
        .collect::<Result<Vec<_>, _>>()?;
    if payments.is_empty() {
        return Ok(payments);
    }
    let ids: Vec<String> = payments.iter().map(|p| p.id.to_string()).collect();
    let mut attempts = Sql::new(
        "SELECT id, payment_id, channel_id, outcome, error_code, error_message, latency_us, \
         started_at FROM attempts WHERE payment_id IN (",
    );
    attempts
        .strs(ids.iter().map(String::as_str))
        .push(") ORDER BY id");
    let attempts: Vec<AttemptRow> = attempts.query().fetch_all(&mut *conn).await?;
    attach_attempts(&mut payments, attempts)?;
    Ok(payments)
}
