//! The risk rules' counters in SQL, read and written inside a payment's own write job: no
//! two write jobs run at once across nodes (see `storage::writes`), so a limit checked here
//! holds exactly, however many nodes take payments together. Each step is one statement
//! however many counters it touches (on PostgreSQL, each statement is a round trip made
//! while every other write waits).

use super::StoreError;
use super::sql::{Sql, Tx};
use crate::domain::risk::{Counted, Per, Tally};
use crate::domain::{Failure, Payment, PaymentStatus, Timestamp};

/// Failures that say nothing about the buyer: the risk rules' own, and paycore's channels
/// being unavailable. Declines count every other failure.
const NOT_DECLINES: [&str; 4] = [
    Failure::RISK_BLOCKED,
    Failure::RISK_REJECTED,
    Failure::CHANNELS_UNAVAILABLE,
    Failure::NOT_AT_CHANNEL,
];

/// Appends `FROM payments WHERE` the payments of `who` (a buyer within its merchant) since
/// `since`.
fn of_identity<'a>(sql: &mut Sql<'a>, per: Per, merchant: &'a str, who: &'a str, since: Timestamp) {
    sql.push(" FROM payments WHERE ");
    match per {
        Per::Merchant => sql.push("merchant_id = ").param(merchant),
        Per::Buyer => sql
            .push("merchant_id = ")
            .param(merchant)
            .push(" AND payer_buyer_id = ")
            .param(who),
        Per::Ip => sql.push("payer_client_ip = ").param(who),
        Per::Device => sql.push("payer_device_id = ").param(who),
    };
    sql.push(" AND created_at >= ").param(since.as_micros());
}

/// Answers every tally with one query inside a write: see [`query`].
pub(super) async fn tallies<T: Tx>(
    tx: &mut T,
    asked: &[Tally],
) -> Result<Vec<Counted>, StoreError> {
    if asked.is_empty() {
        return Ok(Vec::new());
    }
    answers(asked, tx.fetch(&query(asked)).await?)
}

/// The one query that answers every tally: rows of (tally index, first value, second
/// value), UNION ALL of one branch a tally. A daily row that does not exist yet has no row.
pub(super) fn query(asked: &[Tally]) -> Sql<'_> {
    let mut sql = Sql::new("");
    for (i, tally) in asked.iter().enumerate() {
        if i > 0 {
            sql.push(" UNION ALL ");
        }
        let i = i64::try_from(i).unwrap_or(i64::MAX);
        match tally {
            Tally::Daily { key } => {
                sql.push("SELECT ")
                    .param(i)
                    .push(", amount_minor, count FROM risk_counters WHERE key = ")
                    .param(key.as_str());
            }
            Tally::Payments {
                per,
                who,
                since,
                limit,
            } => {
                sql.push("SELECT ")
                    .param(i)
                    .push(", COUNT(*), CAST(0 AS BIGINT) FROM (SELECT 1");
                of_identity(&mut sql, *per, who.merchant.as_str(), &who.value, *since);
                sql.push(" LIMIT ")
                    .param(i64::from(*limit))
                    .push(") AS recent");
            }
            Tally::Declines {
                per,
                who,
                since,
                limit,
            } => {
                sql.push("SELECT ")
                    .param(i)
                    .push(", created_at, CAST(0 AS BIGINT) FROM (SELECT created_at");
                of_identity(&mut sql, *per, who.merchant.as_str(), &who.value, *since);
                sql.push(" AND status = ")
                    .param(PaymentStatus::Failed.as_str())
                    .push(" AND failure_code NOT IN (")
                    .params(NOT_DECLINES)
                    .push(") ORDER BY created_at DESC LIMIT ")
                    .param(i64::from(*limit))
                    .push(") AS declined");
            }
        }
    }
    sql
}

/// Each tally's answer from the rows of [`query`].
pub(super) fn answers(
    asked: &[Tally],
    rows: Vec<(i64, (i64, i64))>,
) -> Result<Vec<Counted>, StoreError> {
    let mut answers: Vec<Counted> = asked
        .iter()
        .map(|t| match t {
            Tally::Daily { .. } => Counted::Daily {
                amount_minor: 0,
                count: 0,
            },
            Tally::Payments { .. } => Counted::Payments(0),
            Tally::Declines { .. } => Counted::Declines(Vec::new()),
        })
        .collect();
    for (i, (a, b)) in rows {
        let answer = usize::try_from(i)
            .ok()
            .and_then(|i| answers.get_mut(i))
            .ok_or_else(|| StoreError::Corrupt(format!("a tally row for tally {i}")))?;
        match answer {
            Counted::Daily {
                amount_minor,
                count,
            } => (*amount_minor, *count) = (a, b),
            Counted::Payments(n) => *n = a,
            Counted::Declines(times) => times.push(Timestamp::from_micros(a)),
        }
    }
    Ok(answers)
}

/// Adds an admitted payment to the daily counter rows it counts in, in one statement.
pub(super) async fn count_in<T: Tx>(tx: &mut T, p: &Payment) -> Result<(), StoreError> {
    let Some(risk) = p.risk.as_ref().filter(|r| !r.counted.is_empty()) else {
        return Ok(());
    };
    let mut sql = Sql::new("INSERT INTO risk_counters (key, amount_minor, count) VALUES ");
    for (i, key) in risk.counted.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push("(")
            .param(key.as_str())
            .push(", ")
            .param(p.amount.amount_minor)
            .push(", 1)");
    }
    sql.push(
        " ON CONFLICT (key) DO UPDATE SET \
         amount_minor = risk_counters.amount_minor + excluded.amount_minor, \
         count = risk_counters.count + 1",
    );
    tx.execute(&sql).await?;
    Ok(())
}

/// Whether a change to `p` gives back what it holds of the daily counters: it ended
/// without money (closed, or failed for good).
pub(super) fn releases(p: &Payment) -> bool {
    p.risk.as_ref().is_some_and(|r| !r.counted.is_empty())
        && match p.status {
            PaymentStatus::Closed => true,
            PaymentStatus::Failed => !p.is_retryable_failure(),
            _ => false,
        }
}

/// Gives back the daily counter rows payment `id` still holds at `version`: runs before
/// the change that clears its `risk_counted`, so counters are given back once.
pub(super) async fn release<T: Tx>(
    tx: &mut T,
    id: &str,
    version: i64,
    amount_minor: i64,
) -> Result<(), StoreError> {
    let held = Sql::new("SELECT risk_counted FROM payments WHERE id = $1 AND version = $2")
        .arg(id)
        .arg(version);
    let Some(Some(held)) = tx.fetch_optional::<Option<String>>(&held).await? else {
        return Ok(());
    };
    let keys: Vec<String> =
        serde_json::from_str(&held).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let mut sql = Sql::new("UPDATE risk_counters SET amount_minor = amount_minor - ");
    sql.param(amount_minor)
        .push(", count = count - 1 WHERE key IN (")
        .params(keys.iter().map(String::as_str))
        .push(")");
    tx.execute(&sql).await?;
    Ok(())
}
