//! Row types and their translation to and from the domain, shared by every backend: the
//! schemas store the same columns with the same meaning (integers are 64-bit, times are
//! microseconds since the Unix epoch, flags are 0/1 integers).

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use sqlx::{Database, Encode, FromRow, Type, query::Query};

use crate::domain::{
    Attempt, AttemptId, AttemptOutcome, ChannelId, Currency, Failure, Merchant, Method, Money,
    NextAction, Payer, Payment, PaymentStatus, Refund, RefundStatus, Secret, Timestamp,
};
use crate::storage::{Delivery, DeliveryStatus, StoreError, StoredEvent};

pub(crate) const PAYMENT_COLUMNS: &str = "id, merchant_id, merchant_order_id, fingerprint, amount_minor, \
    currency, description, method, status, channel_id, provider_transaction_id, next_action, \
    refunded_minor, failure_code, failure_message, metadata, payer_buyer_id, payer_client_ip, \
    return_url, created_at, updated_at, paid_at, expires_at, version, payer_payment_method";

pub(crate) const MERCHANT_COLUMNS: &str = "id, name, api_key_hash, webhook_url, webhook_secret, \
    previous_webhook_secret, previous_secret_expires_at, webhook_disabled, created_at";

pub(crate) const DELIVERY_COLUMNS: &str = "event_seq, event_id, merchant_id, url, status, attempts, \
    next_attempt_at, last_status, last_error, created_at, updated_at";

pub(crate) const EVENT_COLUMNS: &str =
    "seq, id, type, payment_id, payload, created_at, trace_context";

pub(crate) const REFUND_COLUMNS: &str = "id, merchant_id, payment_id, merchant_refund_id, fingerprint, \
    amount_minor, currency, reason, status, channel_id, provider_refund_id, failure_code, \
    failure_message, created_at, updated_at, succeeded_at, version";

/// `INSERT INTO {table} ({columns}) VALUES ($1, …) ON CONFLICT ({key}) DO NOTHING`: the same
/// text on both backends, built once.
fn insert_unless_exists(table: &str, columns: &str, key: &str) -> String {
    let values: Vec<String> = (1..=columns.split(',').count())
        .map(|i| format!("${i}"))
        .collect();
    format!(
        "INSERT INTO {table} ({columns}) VALUES ({}) ON CONFLICT ({key}) DO NOTHING",
        values.join(", ")
    )
}

/// Inserts a payment (bind with [`bind_payment`]) unless its merchant_order_id exists.
pub(crate) static INSERT_PAYMENT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    insert_unless_exists(
        "payments",
        PAYMENT_COLUMNS,
        "merchant_id, merchant_order_id",
    )
});

/// Inserts a refund (bind with [`bind_refund`]) unless its merchant_refund_id exists.
pub(crate) static INSERT_REFUND: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    insert_unless_exists("refunds", REFUND_COLUMNS, "merchant_id, merchant_refund_id")
});

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

fn parse<T: std::str::FromStr>(s: &str, what: &str) -> Result<T, StoreError> {
    s.parse().map_err(|_| corrupt(format!("{what} {s:?}")))
}

#[derive(FromRow)]
pub(crate) struct MerchantRow {
    id: String,
    name: String,
    api_key_hash: String,
    webhook_url: Option<String>,
    webhook_secret: String,
    previous_webhook_secret: Option<String>,
    previous_secret_expires_at: Option<i64>,
    webhook_disabled: i64,
    created_at: i64,
}

impl MerchantRow {
    pub(crate) fn into_domain(self) -> Result<Merchant, StoreError> {
        Ok(Merchant {
            id: parse(&self.id, "merchant id")?,
            name: self.name,
            api_key_hash: self.api_key_hash,
            webhook_url: self.webhook_url,
            webhook_secret: Secret::new(self.webhook_secret),
            previous_webhook_secret: self
                .previous_webhook_secret
                .zip(self.previous_secret_expires_at)
                .map(|(s, t)| (Secret::new(s), Timestamp::from_micros(t))),
            webhook_disabled: self.webhook_disabled != 0,
            created_at: Timestamp::from_micros(self.created_at),
        })
    }
}

#[derive(FromRow)]
pub(crate) struct PaymentRow {
    id: String,
    merchant_id: String,
    merchant_order_id: String,
    fingerprint: Vec<u8>,
    amount_minor: i64,
    currency: String,
    description: String,
    method: String,
    status: String,
    channel_id: Option<String>,
    provider_transaction_id: Option<String>,
    next_action: Option<String>,
    refunded_minor: i64,
    failure_code: Option<String>,
    failure_message: Option<String>,
    metadata: String,
    payer_buyer_id: Option<String>,
    payer_client_ip: Option<String>,
    return_url: Option<String>,
    created_at: i64,
    updated_at: i64,
    paid_at: Option<i64>,
    expires_at: i64,
    version: i64,
    payer_payment_method: Option<String>,
}

impl PaymentRow {
    pub(crate) fn into_domain(self) -> Result<Payment, StoreError> {
        let currency = Currency::parse(&self.currency).ok_or_else(|| corrupt(&self.currency))?;
        Ok(Payment {
            id: parse(&self.id, "payment id")?,
            merchant_id: parse(&self.merchant_id, "merchant id")?,
            merchant_order_id: self.merchant_order_id,
            fingerprint: self.fingerprint,
            amount: Money::new(self.amount_minor, currency),
            description: self.description,
            method: Method::parse(&self.method).ok_or_else(|| corrupt(&self.method))?,
            status: PaymentStatus::parse(&self.status).ok_or_else(|| corrupt(&self.status))?,
            channel_id: self
                .channel_id
                .map(|c| ChannelId::parse(&c).ok_or_else(|| corrupt(c)))
                .transpose()?,
            provider_transaction_id: self.provider_transaction_id,
            next_action: self
                .next_action
                .map(|s| serde_json::from_str::<NextAction>(&s).map_err(corrupt))
                .transpose()?,
            refunded_minor: self.refunded_minor,
            failure: self
                .failure_code
                .map(|code| Failure::new(code, self.failure_message.unwrap_or_default())),
            metadata: serde_json::from_str::<BTreeMap<String, String>>(&self.metadata)
                .map_err(corrupt)?,
            payer: Payer {
                buyer_id: self.payer_buyer_id.map(Secret::new),
                client_ip: self.payer_client_ip.map(Secret::new),
                payment_method: self.payer_payment_method.map(Secret::new),
            },
            return_url: self.return_url,
            attempts: Vec::new(),
            created_at: Timestamp::from_micros(self.created_at),
            updated_at: Timestamp::from_micros(self.updated_at),
            paid_at: self.paid_at.map(Timestamp::from_micros),
            expires_at: Timestamp::from_micros(self.expires_at),
            version: self.version,
        })
    }
}

pub(crate) fn encode_next_action(a: Option<&NextAction>) -> Result<Option<String>, StoreError> {
    a.map(|a| serde_json::to_string(a).map_err(corrupt))
        .transpose()
}

type Q<'q, DB> = Query<'q, DB, <DB as Database>::Arguments<'q>>;

/// Adds an event to the outbox (its `seq` is the backend's to give).
pub(crate) async fn insert_event<DB>(
    conn: &mut DB::Connection,
    event: &crate::domain::Event,
) -> Result<(), StoreError>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'q> <DB as Database>::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> Option<&'q str>: Encode<'q, DB> + Type<DB>,
    for<'q> &'q [u8]: Encode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
{
    sqlx::query(
        "INSERT INTO events (id, merchant_id, type, payment_id, payload, created_at, \
         trace_context) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(event.id.as_str())
    .bind(event.merchant_id.as_str())
    .bind(event.event_type.as_str())
    .bind(event.payment_id.as_str())
    .bind(event.payload.as_slice())
    .bind(event.created_at.as_micros())
    .bind(event.trace_context.as_deref())
    .execute(conn)
    .await?;
    Ok(())
}

/// Binds every payments column, in `PAYMENT_COLUMNS` order.
pub(crate) fn bind_payment<'q, DB>(q: Q<'q, DB>, p: &'q Payment) -> Result<Q<'q, DB>, StoreError>
where
    DB: Database,
    &'q str: Encode<'q, DB> + Type<DB>,
    Option<&'q str>: Encode<'q, DB> + Type<DB>,
    String: Encode<'q, DB> + Type<DB>,
    Option<String>: Encode<'q, DB> + Type<DB>,
    i64: Encode<'q, DB> + Type<DB>,
    Option<i64>: Encode<'q, DB> + Type<DB>,
    &'q [u8]: Encode<'q, DB> + Type<DB>,
{
    Ok(q.bind(p.id.as_str())
        .bind(p.merchant_id.as_str())
        .bind(p.merchant_order_id.as_str())
        .bind(p.fingerprint.as_slice())
        .bind(p.amount.amount_minor)
        .bind(p.amount.currency.code())
        .bind(p.description.as_str())
        .bind(p.method.as_str())
        .bind(p.status.as_str())
        .bind(p.channel_id.as_ref().map(|c| c.as_str()))
        .bind(p.provider_transaction_id.as_deref())
        .bind(encode_next_action(p.next_action.as_ref())?)
        .bind(p.refunded_minor)
        .bind(p.failure.as_ref().map(|f| f.code.as_str()))
        .bind(p.failure.as_ref().map(|f| f.message.as_str()))
        .bind(serde_json::to_string(&p.metadata).map_err(corrupt)?)
        .bind(p.payer.buyer_id.as_ref().map(|s| s.expose().as_str()))
        .bind(p.payer.client_ip.as_ref().map(|s| s.expose().as_str()))
        .bind(p.return_url.as_deref())
        .bind(p.created_at.as_micros())
        .bind(p.updated_at.as_micros())
        .bind(p.paid_at.map(|t| t.as_micros()))
        .bind(p.expires_at.as_micros())
        .bind(p.version)
        .bind(p.payer.payment_method.as_ref().map(|s| s.expose().as_str())))
}

#[derive(FromRow)]
pub(crate) struct RefundRow {
    id: String,
    merchant_id: String,
    payment_id: String,
    merchant_refund_id: String,
    fingerprint: Vec<u8>,
    amount_minor: i64,
    currency: String,
    reason: String,
    status: String,
    channel_id: String,
    provider_refund_id: Option<String>,
    failure_code: Option<String>,
    failure_message: Option<String>,
    created_at: i64,
    updated_at: i64,
    succeeded_at: Option<i64>,
    version: i64,
}

impl RefundRow {
    pub(crate) fn into_domain(self) -> Result<Refund, StoreError> {
        let currency = Currency::parse(&self.currency).ok_or_else(|| corrupt(&self.currency))?;
        Ok(Refund {
            id: parse(&self.id, "refund id")?,
            merchant_id: parse(&self.merchant_id, "merchant id")?,
            payment_id: parse(&self.payment_id, "payment id")?,
            merchant_refund_id: self.merchant_refund_id,
            fingerprint: self.fingerprint,
            amount: Money::new(self.amount_minor, currency),
            reason: self.reason,
            status: RefundStatus::parse(&self.status).ok_or_else(|| corrupt(&self.status))?,
            channel_id: ChannelId::parse(&self.channel_id)
                .ok_or_else(|| corrupt(&self.channel_id))?,
            provider_refund_id: self.provider_refund_id,
            failure: self
                .failure_code
                .map(|code| Failure::new(code, self.failure_message.unwrap_or_default())),
            created_at: Timestamp::from_micros(self.created_at),
            updated_at: Timestamp::from_micros(self.updated_at),
            succeeded_at: self.succeeded_at.map(Timestamp::from_micros),
            version: self.version,
        })
    }
}

/// Binds every refunds column, in `REFUND_COLUMNS` order.
pub(crate) fn bind_refund<'q, DB>(q: Q<'q, DB>, r: &'q Refund) -> Q<'q, DB>
where
    DB: Database,
    &'q str: Encode<'q, DB> + Type<DB>,
    Option<&'q str>: Encode<'q, DB> + Type<DB>,
    String: Encode<'q, DB> + Type<DB>,
    Option<String>: Encode<'q, DB> + Type<DB>,
    i64: Encode<'q, DB> + Type<DB>,
    Option<i64>: Encode<'q, DB> + Type<DB>,
    &'q [u8]: Encode<'q, DB> + Type<DB>,
{
    q.bind(r.id.as_str())
        .bind(r.merchant_id.as_str())
        .bind(r.payment_id.as_str())
        .bind(r.merchant_refund_id.as_str())
        .bind(r.fingerprint.as_slice())
        .bind(r.amount.amount_minor)
        .bind(r.amount.currency.code())
        .bind(r.reason.as_str())
        .bind(r.status.as_str())
        .bind(r.channel_id.as_str())
        .bind(r.provider_refund_id.as_deref())
        .bind(r.failure.as_ref().map(|f| f.code.as_str()))
        .bind(r.failure.as_ref().map(|f| f.message.as_str()))
        .bind(r.created_at.as_micros())
        .bind(r.updated_at.as_micros())
        .bind(r.succeeded_at.map(|t| t.as_micros()))
        .bind(r.version)
}

#[derive(FromRow)]
pub(crate) struct DeliveryRow {
    event_seq: i64,
    event_id: String,
    merchant_id: String,
    url: String,
    status: String,
    attempts: i64,
    next_attempt_at: Option<i64>,
    last_status: Option<i64>,
    last_error: Option<String>,
    created_at: i64,
    updated_at: i64,
}

impl DeliveryRow {
    pub(crate) fn into_domain(self) -> Result<Delivery, StoreError> {
        Ok(Delivery {
            event_seq: self.event_seq,
            event_id: self.event_id,
            merchant_id: parse(&self.merchant_id, "merchant id")?,
            url: self.url,
            status: DeliveryStatus::parse(&self.status).ok_or_else(|| corrupt(&self.status))?,
            attempts: u32::try_from(self.attempts).unwrap_or(0),
            next_attempt_at: self.next_attempt_at.map(Timestamp::from_micros),
            last_status: self.last_status.and_then(|s| u16::try_from(s).ok()),
            last_error: self.last_error,
            created_at: Timestamp::from_micros(self.created_at),
            updated_at: Timestamp::from_micros(self.updated_at),
        })
    }
}

#[derive(FromRow)]
pub(crate) struct EventRow {
    seq: i64,
    id: String,
    #[sqlx(rename = "type")]
    event_type: String,
    payment_id: String,
    payload: Vec<u8>,
    created_at: i64,
    trace_context: Option<String>,
}

impl EventRow {
    pub(crate) fn into_stored(self) -> Result<StoredEvent, StoreError> {
        Ok(StoredEvent {
            seq: self.seq,
            id: self.id,
            event_type: self.event_type,
            payment_id: parse(&self.payment_id, "payment id")?,
            payload: self.payload,
            created_at: Timestamp::from_micros(self.created_at),
            trace_context: self.trace_context,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct AttemptRow {
    id: String,
    payment_id: String,
    channel_id: String,
    outcome: String,
    error_code: Option<String>,
    error_message: Option<String>,
    latency_us: Option<i64>,
    started_at: i64,
}

/// Hands each attempt to its payment, keeping them oldest first (ids sort by time).
pub(crate) fn attach_attempts(
    payments: &mut [Payment],
    rows: Vec<AttemptRow>,
) -> Result<(), StoreError> {
    let index: HashMap<String, usize> = payments
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.to_string(), i))
        .collect();
    for row in rows {
        let Some(&i) = index.get(&row.payment_id) else {
            continue;
        };
        payments[i].attempts.push(Attempt {
            id: parse::<AttemptId>(&row.id, "attempt id")?,
            channel_id: ChannelId::parse(&row.channel_id)
                .ok_or_else(|| corrupt(&row.channel_id))?,
            outcome: AttemptOutcome::parse(&row.outcome).ok_or_else(|| corrupt(&row.outcome))?,
            error_code: row.error_code,
            error_message: row.error_message,
            latency: row
                .latency_us
                .map(|us| Duration::from_micros(u64::try_from(us).unwrap_or(0))),
            started_at: Timestamp::from_micros(row.started_at),
        });
    }
    Ok(())
}
