//! The sweeper's work queues in SQL: which rows of a queue are due for a check, the claim
//! that leases them, and the record of a check that did not settle its item.

use super::CheckQueue;
use super::sql::Sql;
use crate::domain::Timestamp;

fn table(queue: CheckQueue) -> &'static str {
    match queue {
        CheckQueue::Expired | CheckQueue::Payments(..) => "payments",
        CheckQueue::Refunds(_) => "refunds",
    }
}

/// Leases up to `limit` due items of `queue` until `until`; returns `(id, check_tries)`.
/// Claims never run side by side (every write batch is alone, see `storage::postgres`), so
/// two nodes' claims take disjoint items without row locks.
pub(super) fn claim(
    queue: CheckQueue,
    now: Timestamp,
    until: Timestamp,
    limit: u32,
) -> Sql<'static> {
    let table = table(queue);
    let mut sql = Sql::new(format!("UPDATE {table} SET check_at = "));
    sql.param(until.as_micros())
        .push(&format!(
            " WHERE id IN (SELECT id FROM {table} WHERE check_at <= "
        ))
        .param(now.as_micros());
    match queue {
        CheckQueue::Expired => {
            sql.push(" AND status IN ('pending', 'unknown', 'requires_review') AND expires_at < ")
                .param(now.as_micros());
        }
        CheckQueue::Payments(status, before) => {
            sql.push(" AND status = ")
                .param(status.as_str())
                .push(" AND updated_at < ")
                .param(before.as_micros());
        }
        CheckQueue::Refunds(before) => {
            sql.push(" AND status IN ('pending', 'requires_attention') AND updated_at < ")
                .param(before.as_micros());
        }
    }
    sql.push(" ORDER BY check_at, updated_at LIMIT ")
        .param(i64::from(limit))
        .push(") RETURNING id, check_tries");
    sql
}

/// Makes an item that did not settle due again at `at`, unless it changed since `version`.
pub(super) fn later<'a>(queue: CheckQueue, id: &'a str, version: i64, at: Timestamp) -> Sql<'a> {
    Sql::new(format!(
        "UPDATE {} SET check_at = $1, check_tries = check_tries + 1 \
         WHERE id = $2 AND version = $3",
        table(queue)
    ))
    .arg(at.as_micros())
    .arg(id)
    .arg(version)
}
