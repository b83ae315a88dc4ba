//! Rows and their translation to and from the domain, shared by every backend: the schemas
//! store the same columns with the same meaning (integers are 64-bit, times are
//! microseconds since the Unix epoch, flags are 0/1 integers). Each `*_COLUMNS` list is the
//! select order its [`FromRow`] reads.

use std::collections::BTreeMap;
use std::sync::LazyLock;
use std::time::Duration;

use super::sql::{Arg, Columns, FromRow, Sql};
use crate::domain::{
    ApiKey, Attempt, AttemptId, AttemptOutcome, ChannelId, Currency, Event, Failure, Merchant,
    Method, Money, NextAction, Payer, Payment, PaymentId, PaymentRisk, PaymentStatus, Refund,
    RefundStatus, Secret, Timestamp,
};
use crate::storage::{Delivery, DeliveryStatus, StoreError, StoredEvent};

pub(crate) const PAYMENT_COLUMNS: &str = "id, merchant_id, merchant_order_id, fingerprint, amount_minor, \
    currency, description, method, status, channel_id, provider_transaction_id, next_action, \
    refunded_minor, failure_code, failure_message, metadata, payer_buyer_id, payer_client_ip, \
    return_url, created_at, updated_at, paid_at, expires_at, version, payer_payment_method, \
    late_transaction_id, late_paid_at, payer_device_id, risk, risk_counted";

pub(crate) const MERCHANT_COLUMNS: &str = "id, name, webhook_url, webhook_secret, \
    previous_webhook_secret, previous_secret_expires_at, webhook_disabled, created_at, client_names";

pub(crate) const API_KEY_COLUMNS: &str =
    "id, merchant_id, name, hash, created_at, expires_at, revoked_at";

pub(crate) const DELIVERY_COLUMNS: &str = "event_seq, event_id, merchant_id, url, status, attempts, \
    next_attempt_at, last_status, last_error, created_at, updated_at";

pub(crate) const EVENT_COLUMNS: &str =
    "seq, id, type, payment_id, payload, created_at, trace_context";

pub(crate) const REFUND_COLUMNS: &str = "id, merchant_id, payment_id, merchant_refund_id, fingerprint, \
    amount_minor, currency, reason, status, channel_id, provider_refund_id, failure_code, \
    failure_message, created_at, updated_at, succeeded_at, version";

/// An attempt's columns after its payment's, as [`PaymentWithAttempt`] reads them.
const ATTEMPT_COLUMNS: &str =
    "id, channel_id, outcome, error_code, error_message, latency_us, started_at";

/// `p.…` for each payment column then `a.…` for each attempt column: the select list of a
/// payments query (aliased `p`) left-joined to its attempts (aliased `a`).
pub(crate) static PAYMENT_WITH_ATTEMPT_COLUMNS: LazyLock<String> = LazyLock::new(|| {
    let qualify = |alias: &str, columns: &str| -> Vec<String> {
        columns
            .split(',')
            .map(|c| format!("{alias}.{}", c.trim()))
            .collect()
    };
    let mut all = qualify("p", PAYMENT_COLUMNS);
    all.extend(qualify("a", ATTEMPT_COLUMNS));
    all.join(", ")
});

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

/// Inserts a payment (see [`insert_payment`]) unless its merchant_order_id exists.
static INSERT_PAYMENT: LazyLock<String> = LazyLock::new(|| {
    insert_unless_exists(
        "payments",
        PAYMENT_COLUMNS,
        "merchant_id, merchant_order_id",
    )
});

/// Inserts a refund (see [`insert_refund`]) unless its merchant_refund_id exists.
static INSERT_REFUND: LazyLock<String> = LazyLock::new(|| {
    insert_unless_exists("refunds", REFUND_COLUMNS, "merchant_id, merchant_refund_id")
});

pub(crate) fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

pub(crate) fn parse<T: std::str::FromStr>(s: &str, what: &str) -> Result<T, StoreError> {
    s.parse().map_err(|_| corrupt(format!("{what} {s:?}")))
}

pub(crate) fn channel(s: String) -> Result<ChannelId, StoreError> {
    ChannelId::parse(&s).ok_or_else(|| corrupt(s))
}

pub(crate) fn time(row: &mut dyn Columns) -> Result<Timestamp, StoreError> {
    Ok(Timestamp::from_micros(row.int()?))
}

pub(crate) fn opt_time(row: &mut dyn Columns) -> Result<Option<Timestamp>, StoreError> {
    Ok(row.opt_int()?.map(Timestamp::from_micros))
}

fn failure(row: &mut dyn Columns) -> Result<Option<Failure>, StoreError> {
    let code = row.opt_text()?;
    let message = row.opt_text()?;
    Ok(code.map(|code| Failure::new(code, message.unwrap_or_default())))
}

impl FromRow for Merchant {
    fn from_row(row: &mut dyn Columns) -> Result<Self, StoreError> {
        Ok(Merchant {
            id: parse(&row.text()?, "merchant id")?,
            name: row.text()?,
            webhook_url: row.opt_text()?,
            webhook_secret: Secret::new(row.text()?),
            previous_webhook_secret: row
                .opt_text()?
                .zip(row.opt_int()?)
                .map(|(s, t)| (Secret::new(s), Timestamp::from_micros(t))),
            webhook_disabled: row.int()? != 0,
            created_at: time(row)?,
            client_names: serde_json::from_str(&row.text()?)
                .map_err(|e| corrupt(format!("merchant client_names: {e}")))?,
        })
    }
}

impl FromRow for ApiKey {
    fn from_row(row: &mut dyn Columns) -> Result<Self, StoreError> {
        Ok(ApiKey {
            id: parse(&row.text()?, "API key id")?,
            merchant_id: parse(&row.text()?, "merchant id")?,
            name: row.text()?,
            hash: row.text()?,
            created_at: time(row)?,
            expires_at: opt_time(row)?,
            revoked_at: opt_time(row)?,
        })
    }
}

impl FromRow for Payment {
    fn from_row(row: &mut dyn Columns) -> Result<Self, StoreError> {
        // In PAYMENT_COLUMNS order.
        let id = parse(&row.text()?, "payment id")?;
        let merchant_id = parse(&row.text()?, "merchant id")?;
        let merchant_order_id = row.text()?;
        let fingerprint = row.blob()?;
        let amount_minor = row.int()?;
        let currency = row.text()?;
        let currency = Currency::parse(&currency).ok_or_else(|| corrupt(currency))?;
        let description = row.text()?;
        let method = row.text()?;
        let method = Method::parse(&method).ok_or_else(|| corrupt(method))?;
        let status = row.text()?;
        let status = PaymentStatus::parse(&status).ok_or_else(|| corrupt(status))?;
        let channel_id = row.opt_text()?.map(channel).transpose()?;
        let provider_transaction_id = row.opt_text()?;
        let next_action = row
            .opt_text()?
            .map(|s| serde_json::from_str::<NextAction>(&s).map_err(corrupt))
            .transpose()?;
        let refunded_minor = row.int()?;
        let failure = failure(row)?;
        let metadata =
            serde_json::from_str::<BTreeMap<String, String>>(&row.text()?).map_err(corrupt)?;
        let buyer_id = row.opt_text()?.map(Secret::new);
        let client_ip = row.opt_text()?.map(Secret::new);
        let return_url = row.opt_text()?;
        let created_at = time(row)?;
        let updated_at = time(row)?;
        let paid_at = opt_time(row)?;
        let expires_at = time(row)?;
        let version = row.int()?;
        let payment_method = row.opt_text()?.map(Secret::new);
        let late_transaction_id = row.opt_text()?;
        let late_paid_at = opt_time(row)?;
        let device_id = row.opt_text()?.map(Secret::new);
        let mut risk = row
            .opt_text()?
            .map(|s| serde_json::from_str::<PaymentRisk>(&s).map_err(corrupt))
            .transpose()?;
        let counted = row
            .opt_text()?
            .map(|s| serde_json::from_str::<Vec<String>>(&s).map_err(corrupt))
            .transpose()?;
        if let (Some(risk), Some(counted)) = (&mut risk, counted) {
            risk.counted = counted;
        }
        Ok(Payment {
            id,
            merchant_id,
            merchant_order_id,
            fingerprint,
            amount: Money::new(amount_minor, currency),
            description,
            method,
            status,
            channel_id,
            provider_transaction_id,
            next_action,
            refunded_minor,
            failure,
            metadata,
            payer: Payer {
                buyer_id,
                client_ip,
                payment_method,
                device_id,
            },
            return_url,
            attempts: Vec::new(),
            created_at,
            updated_at,
            paid_at,
            expires_at,
            paid_after_close: late_transaction_id.zip(late_paid_at).map(
                |(transaction_id, paid_at)| crate::domain::LatePayment {
                    transaction_id,
                    paid_at,
                },
            ),
            risk,
            version,
        })
    }
}

/// A row of payments left-joined to attempts ([`PAYMENT_WITH_ATTEMPT_COLUMNS`]): the
/// payment, and one of its attempts unless it has none.
pub(crate) struct PaymentWithAttempt(Payment, Option<Attempt>);

impl FromRow for PaymentWithAttempt {
    fn from_row(row: &mut dyn Columns) -> Result<Self, StoreError> {
        let payment = Payment::from_row(row)?;
        let Some(id) = row.opt_text()? else {
            return Ok(Self(payment, None));
        };
        let attempt = Attempt {
            id: parse::<AttemptId>(&id, "attempt id")?,
            channel_id: channel(row.text()?)?,
            outcome: {
                let o = row.text()?;
                AttemptOutcome::parse(&o).ok_or_else(|| corrupt(o))?
            },
            error_code: row.opt_text()?,
            error_message: row.opt_text()?,
            latency: row
                .opt_int()?
                .map(|us| Duration::from_micros(u64::try_from(us).unwrap_or(0))),
            started_at: time(row)?,
        };
        Ok(Self(payment, Some(attempt)))
    }
}

/// Gathers joined rows into payments, each with its attempts in row order. A payment's rows
/// are adjacent (the query orders by payment first).
pub(crate) fn gather(rows: Vec<PaymentWithAttempt>) -> Vec<Payment> {
    let mut payments: Vec<Payment> = Vec::with_capacity(rows.len());
    for PaymentWithAttempt(mut payment, attempt) in rows {
        match payments.last_mut() {
            Some(last) if last.id == payment.id => last.attempts.extend(attempt),
            _ => {
                payment.attempts.extend(attempt);
                payments.push(payment);
            }
        }
    }
    payments
}

impl FromRow for Refund {
    fn from_row(row: &mut dyn Columns) -> Result<Self, StoreError> {
        let id = parse(&row.text()?, "refund id")?;
        let merchant_id = parse(&row.text()?, "merchant id")?;
        let payment_id = parse(&row.text()?, "payment id")?;
        let merchant_refund_id = row.text()?;
        let fingerprint = row.blob()?;
        let amount_minor = row.int()?;
        let currency = row.text()?;
        let currency = Currency::parse(&currency).ok_or_else(|| corrupt(currency))?;
        let reason = row.text()?;
        let status = row.text()?;
        Ok(Refund {
            id,
            merchant_id,
            payment_id,
            merchant_refund_id,
            fingerprint,
            amount: Money::new(amount_minor, currency),
            reason,
            status: RefundStatus::parse(&status).ok_or_else(|| corrupt(status))?,
            channel_id: channel(row.text()?)?,
            provider_refund_id: row.opt_text()?,
            failure: failure(row)?,
            created_at: time(row)?,
            updated_at: time(row)?,
            succeeded_at: opt_time(row)?,
            version: row.int()?,
        })
    }
}

impl FromRow for Delivery {
    fn from_row(row: &mut dyn Columns) -> Result<Self, StoreError> {
        let event_seq = row.int()?;
        let event_id = row.text()?;
        let merchant_id = parse(&row.text()?, "merchant id")?;
        let url = row.text()?;
        let status = row.text()?;
        Ok(Delivery {
            event_seq,
            event_id,
            merchant_id,
            url,
            status: DeliveryStatus::parse(&status).ok_or_else(|| corrupt(status))?,
            attempts: u32::try_from(row.int()?).unwrap_or(0),
            next_attempt_at: opt_time(row)?,
            last_status: row.opt_int()?.and_then(|s| u16::try_from(s).ok()),
            last_error: row.opt_text()?,
            created_at: time(row)?,
            updated_at: time(row)?,
        })
    }
}

impl FromRow for StoredEvent {
    fn from_row(row: &mut dyn Columns) -> Result<Self, StoreError> {
        Ok(StoredEvent {
            seq: row.int()?,
            id: row.text()?,
            event_type: row.text()?,
            payment_id: parse::<PaymentId>(&row.text()?, "payment id")?,
            payload: row.blob()?,
            created_at: time(row)?,
            trace_context: row.opt_text()?,
        })
    }
}

pub(crate) fn encode_next_action(a: Option<&NextAction>) -> Result<Option<String>, StoreError> {
    a.map(|a| serde_json::to_string(a).map_err(corrupt))
        .transpose()
}

/// Most events one insert carries. Each count is a statement text of its own, prepared and
/// kept per connection, so a small bound keeps them few (the writer's statement caches hold
/// them all); a batch with more events inserts them in several statements.
pub(crate) const MAX_EVENTS_PER_INSERT: usize = 16;

/// Adds events to the outbox, in order: the backend gives each its `seq` in that order.
pub(crate) fn insert_events<'a>(events: impl IntoIterator<Item = &'a Event>) -> Sql<'a> {
    let mut sql = Sql::new(
        "INSERT INTO events (id, merchant_id, type, payment_id, payload, created_at, \
         trace_context) VALUES ",
    );
    for (i, event) in events.into_iter().enumerate() {
        let row: [Arg<'_>; 7] = [
            event.id.as_str().into(),
            event.merchant_id.as_str().into(),
            event.event_type.as_str().into(),
            event.payment_id.as_str().into(),
            event.payload.as_slice().into(),
            event.created_at.as_micros().into(),
            event.trace_context.as_deref().into(),
        ];
        sql.push(if i == 0 { "(" } else { ", (" })
            .params(row)
            .push(")");
    }
    sql
}

/// Inserts an attempt, or records the outcome of one already stored.
pub(crate) fn upsert_attempt<'a>(payment: &'a Payment, a: &'a Attempt) -> Sql<'a> {
    static TEXT: LazyLock<String> = LazyLock::new(|| {
        format!("{INSERT_ATTEMPT} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) {UPSERT_ATTEMPT}")
    });
    Sql {
        text: TEXT.as_str().into(),
        args: attempt_values(payment, a).into(),
    }
}

const INSERT_ATTEMPT: &str = "INSERT INTO attempts (id, payment_id, channel_id, outcome, \
     error_code, error_message, latency_us, started_at, seq)";
const UPSERT_ATTEMPT: &str = "ON CONFLICT (id) DO UPDATE SET outcome = excluded.outcome, \
     error_code = excluded.error_code, error_message = excluded.error_message, \
     latency_us = excluded.latency_us";

/// An attempt's columns; its `seq` is its place in the payment's list of attempts.
fn attempt_values<'a>(payment: &'a Payment, a: &'a Attempt) -> [Arg<'a>; 9] {
    let latency = a
        .latency
        .map(|d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX));
    let seq = payment
        .attempts
        .iter()
        .position(|other| other.id == a.id)
        .unwrap_or(payment.attempts.len());
    [
        a.id.as_str().into(),
        payment.id.as_str().into(),
        a.channel_id.as_str().into(),
        a.outcome.as_str().into(),
        a.error_code.as_deref().into(),
        a.error_message.as_deref().into(),
        latency.into(),
        a.started_at.as_micros().into(),
        i64::try_from(seq).unwrap_or(i64::MAX).into(),
    ]
}

/// For PostgreSQL: `write` (an insert or update of the payment `payment`, which changes at
/// most one row) and the upserts of its `attempts` as one statement, one round trip. The
/// attempts are written only if the payment was; its one row counts the payments written.
pub(crate) fn with_attempts<'a>(
    write: Sql<'a>,
    payment: &'a Payment,
    attempts: &'a [Attempt],
) -> Sql<'a> {
    let mut sql = Sql {
        text: format!("WITH w AS ({} RETURNING id)", write.text).into(),
        args: write.args,
    };
    for (i, a) in attempts.iter().enumerate() {
        sql.push(&format!(", a{i} AS ({INSERT_ATTEMPT} SELECT "))
            .params(attempt_values(payment, a))
            .push(" FROM w ")
            .push(UPSERT_ATTEMPT)
            .push(")");
    }
    sql.push(" SELECT COUNT(*) FROM w");
    sql
}

/// Inserts a payment, every column, unless its merchant_order_id exists.
pub(crate) fn insert_payment(p: &Payment) -> Result<Sql<'_>, StoreError> {
    Ok(Sql::new(INSERT_PAYMENT.as_str())
        .arg(p.id.as_str())
        .arg(p.merchant_id.as_str())
        .arg(p.merchant_order_id.as_str())
        .arg(p.fingerprint.as_slice())
        .arg(p.amount.amount_minor)
        .arg(p.amount.currency.code())
        .arg(p.description.as_str())
        .arg(p.method.as_str())
        .arg(p.status.as_str())
        .arg(p.channel_id.as_ref().map(|c| c.as_str()))
        .arg(p.provider_transaction_id.as_deref())
        .arg(encode_next_action(p.next_action.as_ref())?)
        .arg(p.refunded_minor)
        .arg(p.failure.as_ref().map(|f| f.code.as_str()))
        .arg(p.failure.as_ref().map(|f| f.message.as_str()))
        .arg(serde_json::to_string(&p.metadata).map_err(corrupt)?)
        .arg(p.payer.buyer_id.as_ref().map(|s| s.expose().as_str()))
        .arg(p.payer.client_ip.as_ref().map(|s| s.expose().as_str()))
        .arg(p.return_url.as_deref())
        .arg(p.created_at.as_micros())
        .arg(p.updated_at.as_micros())
        .arg(p.paid_at.map(|t| t.as_micros()))
        .arg(p.expires_at.as_micros())
        .arg(p.version)
        .arg(p.payer.payment_method.as_ref().map(|s| s.expose().as_str()))
        .arg(late_transaction_id(p))
        .arg(p.paid_after_close.as_ref().map(|l| l.paid_at.as_micros()))
        .arg(p.payer.device_id.as_ref().map(|s| s.expose().as_str()))
        .arg(encode_risk(p.risk.as_ref())?)
        .arg(encode_counted(p.risk.as_ref())?))
}

/// The `risk` column: the evaluation, held route and review (JSON).
pub(crate) fn encode_risk(risk: Option<&PaymentRisk>) -> Result<Option<String>, StoreError> {
    risk.map(|r| serde_json::to_string(r).map_err(corrupt))
        .transpose()
}

/// The `risk_counted` column: the daily counter rows a payment holds (JSON), NULL when none.
pub(crate) fn encode_counted(risk: Option<&PaymentRisk>) -> Result<Option<String>, StoreError> {
    risk.filter(|r| !r.counted.is_empty())
        .map(|r| serde_json::to_string(&r.counted).map_err(corrupt))
        .transpose()
}

fn late_transaction_id(p: &Payment) -> Option<&str> {
    p.paid_after_close
        .as_ref()
        .map(|l| l.transaction_id.as_str())
}

/// Inserts a refund, every column, unless its merchant_refund_id exists.
pub(crate) fn insert_refund(r: &Refund) -> Sql<'_> {
    Sql::new(INSERT_REFUND.as_str())
        .arg(r.id.as_str())
        .arg(r.merchant_id.as_str())
        .arg(r.payment_id.as_str())
        .arg(r.merchant_refund_id.as_str())
        .arg(r.fingerprint.as_slice())
        .arg(r.amount.amount_minor)
        .arg(r.amount.currency.code())
        .arg(r.reason.as_str())
        .arg(r.status.as_str())
        .arg(r.channel_id.as_str())
        .arg(r.provider_refund_id.as_deref())
        .arg(r.failure.as_ref().map(|f| f.code.as_str()))
        .arg(r.failure.as_ref().map(|f| f.message.as_str()))
        .arg(r.created_at.as_micros())
        .arg(r.updated_at.as_micros())
        .arg(r.succeeded_at.map(|t| t.as_micros()))
        .arg(r.version)
}
