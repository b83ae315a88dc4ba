//! Reconciliation's storage, the same SQL on every backend: runs, the differences they find
//! (one row per channel, day, kind and item, so a re-run never duplicates one), the reads
//! that match statement lines to payments and refunds, and named leases.

use async_trait::async_trait;

use super::rows::{PAYMENT_COLUMNS, REFUND_COLUMNS, channel, corrupt, opt_time, parse, time};
use super::sql::{Columns, FromRow, Sql, Tx};
use super::writes::Backend;
use super::{Reconciliations, StoreError};
use crate::domain::reconciliation::{
    Difference, DifferenceKind, DifferenceStatus, Evidence, Resolution, Run, RunStatus, Summary,
    Trigger,
};
use crate::domain::{
    ChannelId, Day, DifferenceId, Payment, PaymentStatus, Refund, RefundStatus, RunId, Timestamp,
};

const RUN_COLUMNS: &str = "id, channel_id, day, trigger, status, error_code, error_message, \
    summary, started_at, finished_at";

const DIFFERENCE_COLUMNS: &str = "id, channel_id, day, kind, item, run_id, status, payment_id, \
    refund_id, transaction_id, currency, paycore_amount_minor, provider_amount_minor, \
    fee_minor, line, detail, created_at, updated_at, resolved_by, resolved_at, resolution";

/// Which runs to list, newest first.
#[derive(Debug, Clone, Default)]
pub struct RunFilter {
    pub channel: Option<ChannelId>,
    pub day: Option<Day>,
    /// Only runs started before this one (the previous page's last).
    pub before: Option<RunId>,
}

/// Which differences to list, oldest first.
#[derive(Debug, Clone, Default)]
pub struct DifferenceFilter {
    pub channel: Option<ChannelId>,
    pub day: Option<Day>,
    /// Any of these; empty means any status.
    pub statuses: Vec<DifferenceStatus>,
    pub kinds: Vec<DifferenceKind>,
    /// Only differences after this one (the previous page's last).
    pub after: Option<DifferenceId>,
}

/// What a completed run found, stored with it in one transaction.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    /// The differences of the run's day, new or found again.
    pub differences: Vec<Difference>,
    /// Differences of the day before that waited for this day's statement: those it listed
    /// (cleared) and those it did not (raised, open).
    pub carried_cleared: Vec<DifferenceId>,
    pub carried_raised: Vec<DifferenceId>,
}

/// A payment or refund that succeeded on a channel in a window, as the absent-from-statement
/// check reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Succeeded {
    pub id: String,
    pub amount_minor: i64,
    pub currency: String,
    pub at: Timestamp,
}

impl FromRow for Run {
    fn from_row(row: &mut dyn Columns) -> Result<Self, StoreError> {
        let id = parse::<RunId>(&row.text()?, "run id")?;
        let channel_id = channel(row.text()?)?;
        let day = row.text()?;
        let day = Day::parse(&day).ok_or_else(|| corrupt(day))?;
        let trigger = row.text()?;
        let trigger = Trigger::parse(&trigger).ok_or_else(|| corrupt(trigger))?;
        let status = row.text()?;
        let status = RunStatus::parse(&status).ok_or_else(|| corrupt(status))?;
        let error = match (row.opt_text()?, row.opt_text()?) {
            (Some(code), message) => Some((code, message.unwrap_or_default())),
            (None, _) => None,
        };
        let summary: Summary = serde_json::from_str(&row.text()?)
            .map_err(|e| StoreError::Corrupt(format!("run summary: {e}")))?;
        Ok(Self {
            id,
            channel_id,
            day,
            trigger,
            status,
            error,
            summary,
            started_at: time(row)?,
            finished_at: opt_time(row)?,
        })
    }
}

impl FromRow for Difference {
    fn from_row(row: &mut dyn Columns) -> Result<Self, StoreError> {
        let id = parse::<DifferenceId>(&row.text()?, "difference id")?;
        let channel_id = channel(row.text()?)?;
        let day = row.text()?;
        let day = Day::parse(&day).ok_or_else(|| corrupt(day))?;
        let kind = row.text()?;
        let kind = DifferenceKind::parse(&kind).ok_or_else(|| corrupt(kind))?;
        let item = row.text()?;
        let run_id = parse::<RunId>(&row.text()?, "run id")?;
        let status = row.text()?;
        let status = DifferenceStatus::parse(&status).ok_or_else(|| corrupt(status))?;
        let mut difference = Self {
            id,
            channel_id,
            day,
            kind,
            item,
            run_id,
            status,
            evidence: Evidence {
                payment_id: row.opt_text()?,
                refund_id: row.opt_text()?,
                transaction_id: row.opt_text()?,
                currency: row.opt_text()?,
                paycore_amount_minor: row.opt_int()?,
                provider_amount_minor: row.opt_int()?,
                fee_minor: row.opt_int()?,
                line: row.opt_int()?.and_then(|n| u64::try_from(n).ok()),
            },
            detail: row.text()?,
            created_at: time(row)?,
            updated_at: time(row)?,
            resolution: None,
        };
        if let (Some(by), Some(at), note) = (row.opt_text()?, opt_time(row)?, row.opt_text()?) {
            difference.resolution = Some(Resolution {
                by,
                at,
                note: note.unwrap_or_default(),
            });
        }
        Ok(difference)
    }
}

impl FromRow for Succeeded {
    fn from_row(row: &mut dyn Columns) -> Result<Self, StoreError> {
        Ok(Self {
            id: row.text()?,
            amount_minor: row.int()?,
            currency: row.text()?,
            at: time(row)?,
        })
    }
}

fn summary_json(summary: &Summary) -> Result<String, StoreError> {
    serde_json::to_string(summary).map_err(|e| StoreError::Corrupt(format!("run summary: {e}")))
}

/// A found difference: inserted, or if the day already has it, updated to what this run
/// saw while keeping its id, its creation and (when it was resolved) its resolution. A
/// cleared one found again is open again.
fn upsert_difference(d: &Difference) -> Sql<'_> {
    Sql::new(format!(
        "INSERT INTO reconciliation_differences ({DIFFERENCE_COLUMNS}) VALUES ($1, $2, $3, $4, \
         $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) \
         ON CONFLICT (channel_id, day, kind, item) DO UPDATE SET run_id = excluded.run_id, \
         payment_id = excluded.payment_id, refund_id = excluded.refund_id, \
         transaction_id = excluded.transaction_id, currency = excluded.currency, \
         paycore_amount_minor = excluded.paycore_amount_minor, \
         provider_amount_minor = excluded.provider_amount_minor, \
         fee_minor = excluded.fee_minor, line = excluded.line, detail = excluded.detail, \
         updated_at = excluded.updated_at, \
         status = CASE WHEN reconciliation_differences.status = '{resolved}' \
         THEN reconciliation_differences.status ELSE excluded.status END, \
         resolved_by = CASE WHEN reconciliation_differences.status = '{resolved}' \
         THEN reconciliation_differences.resolved_by ELSE excluded.resolved_by END, \
         resolved_at = CASE WHEN reconciliation_differences.status = '{resolved}' \
         THEN reconciliation_differences.resolved_at ELSE excluded.resolved_at END, \
         resolution = CASE WHEN reconciliation_differences.status = '{resolved}' \
         THEN reconciliation_differences.resolution ELSE excluded.resolution END",
        resolved = DifferenceStatus::Resolved.as_str(),
    ))
    .arg(d.id.as_str())
    .arg(d.channel_id.as_str())
    .arg(d.day.to_string())
    .arg(d.kind.as_str())
    .arg(d.item.as_str())
    .arg(d.run_id.as_str())
    .arg(d.status.as_str())
    .arg(d.evidence.payment_id.as_deref())
    .arg(d.evidence.refund_id.as_deref())
    .arg(d.evidence.transaction_id.as_deref())
    .arg(d.evidence.currency.as_deref())
    .arg(d.evidence.paycore_amount_minor)
    .arg(d.evidence.provider_amount_minor)
    .arg(d.evidence.fee_minor)
    .arg(d.evidence.line.and_then(|n| i64::try_from(n).ok()))
    .arg(d.detail.as_str())
    .arg(d.created_at.as_micros())
    .arg(d.updated_at.as_micros())
    .arg(d.resolution.as_ref().map(|r| r.by.clone()))
    .arg(d.resolution.as_ref().map(|r| r.at.as_micros()))
    .arg(d.resolution.as_ref().map(|r| r.note.clone()))
}

/// Sets the status of the differences `ids` that are `from`, with who and why.
async fn settle_differences<T: Tx>(
    tx: &mut T,
    ids: &[DifferenceId],
    from: DifferenceStatus,
    to: DifferenceStatus,
    (by, at, note): (&str, Timestamp, &str),
) -> Result<(), StoreError> {
    for chunk in ids.chunks(500) {
        let mut sql = Sql::new("UPDATE reconciliation_differences SET status = ");
        sql.param(to.as_str())
            .push(", updated_at = ")
            .param(at.as_micros());
        if to != DifferenceStatus::Open {
            sql.push(", resolved_by = ")
                .param(by)
                .push(", resolved_at = ")
                .param(at.as_micros())
                .push(", resolution = ")
                .param(note);
        }
        sql.push(" WHERE status = ")
            .param(from.as_str())
            .push(" AND id IN (")
            .params(chunk.iter().map(DifferenceId::as_str))
            .push(")");
        tx.execute(&sql).await?;
    }
    Ok(())
}

/// `select` with the `WHERE` of `filter` but its position.
fn differences_where(select: String, filter: &DifferenceFilter) -> Sql<'_> {
    let mut sql = Sql::new(select);
    sql.push(" WHERE 1 = 1");
    if let Some(channel) = &filter.channel {
        sql.push(" AND channel_id = ").param(channel.as_str());
    }
    if let Some(day) = filter.day {
        sql.push(" AND day = ").param(day.to_string());
    }
    if !filter.statuses.is_empty() {
        sql.push(" AND status IN (")
            .params(filter.statuses.iter().map(|s| s.as_str()))
            .push(")");
    }
    if !filter.kinds.is_empty() {
        sql.push(" AND kind IN (")
            .params(filter.kinds.iter().map(|k| k.as_str()))
            .push(")");
    }
    sql
}

/// `SELECT {columns} FROM {table} WHERE {column} IN (…)`.
fn select_in<'a>(columns: &str, table: &str, column: &str, values: &'a [String]) -> Sql<'a> {
    let mut sql = Sql::new(format!("SELECT {columns} FROM {table} WHERE {column} IN ("));
    sql.params(values.iter().map(String::as_str)).push(")");
    sql
}

#[async_trait]
impl<B: Backend> Reconciliations for B {
    async fn insert_run(&self, run: &Run) -> Result<(), StoreError> {
        let summary = summary_json(&run.summary)?;
        let run = run.clone();
        self.batcher()
            .write("insert_run", (run, summary), |mut tx, (run, summary)| {
                Box::pin(async move {
                    let abandoned = Sql::new(
                        "UPDATE reconciliation_runs SET status = $1, error_code = $2, \
                         error_message = $3, finished_at = $4 \
                         WHERE channel_id = $5 AND day = $6 AND status = $7",
                    )
                    .arg(RunStatus::Failed.as_str())
                    .arg("RECONCILIATION_ABANDONED")
                    .arg("its node stopped before the run ended")
                    .arg(run.started_at.as_micros())
                    .arg(run.channel_id.as_str())
                    .arg(run.day.to_string())
                    .arg(RunStatus::Running.as_str());
                    tx.execute(&abandoned).await?;
                    let sql = Sql::new(format!(
                        "INSERT INTO reconciliation_runs ({RUN_COLUMNS}) VALUES ($1, $2, $3, \
                         $4, $5, $6, $7, $8, $9, $10)"
                    ))
                    .arg(run.id.as_str())
                    .arg(run.channel_id.as_str())
                    .arg(run.day.to_string())
                    .arg(run.trigger.as_str())
                    .arg(run.status.as_str())
                    .arg(run.error.as_ref().map(|e| e.0.as_str()))
                    .arg(run.error.as_ref().map(|e| e.1.as_str()))
                    .arg(summary.as_str())
                    .arg(run.started_at.as_micros())
                    .arg(run.finished_at.map(Timestamp::as_micros));
                    tx.execute(&sql).await.map(drop)
                })
            })
            .await
    }

    async fn fail_run(
        &self,
        id: &RunId,
        code: &str,
        message: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let job = (id.clone(), code.to_owned(), message.to_owned());
        self.batcher()
            .write("fail_run", job, move |mut tx, (id, code, message)| {
                Box::pin(async move {
                    let sql = Sql::new(
                        "UPDATE reconciliation_runs SET status = $1, error_code = $2, \
                         error_message = $3, finished_at = $4 WHERE id = $5 AND status = $6",
                    )
                    .arg(RunStatus::Failed.as_str())
                    .arg(code.as_str())
                    .arg(message.as_str())
                    .arg(at.as_micros())
                    .arg(id.as_str())
                    .arg(RunStatus::Running.as_str());
                    tx.execute(&sql).await.map(drop)
                })
            })
            .await
    }

    async fn complete_run(&self, run: &Run, findings: Findings) -> Result<(), StoreError> {
        let summary = summary_json(&run.summary)?;
        let run = run.clone();
        self.batcher()
            .write(
                "complete_run",
                (run, summary, findings),
                |mut tx, (run, summary, findings)| {
                    Box::pin(async move {
                        let at = run.finished_at.unwrap_or(run.started_at);
                        let sql = Sql::new(
                            "UPDATE reconciliation_runs SET status = $1, summary = $2, \
                             finished_at = $3 WHERE id = $4 AND status = $5",
                        )
                        .arg(RunStatus::Completed.as_str())
                        .arg(summary.as_str())
                        .arg(at.as_micros())
                        .arg(run.id.as_str())
                        .arg(RunStatus::Running.as_str());
                        if tx.execute(&sql).await? == 0 {
                            return Err(StoreError::Conflict(format!(
                                "reconciliation run {} is no longer running",
                                run.id
                            )));
                        }
                        for d in &findings.differences {
                            tx.execute(&upsert_difference(d)).await?;
                        }
                        // What the day had open (or waiting) that this run did not find
                        // again no longer holds.
                        let by = format!("run:{}", run.id);
                        let stale = Sql::new(
                            "UPDATE reconciliation_differences SET status = $1, \
                             updated_at = $2, resolved_by = $3, resolved_at = $2, \
                             resolution = $4 WHERE channel_id = $5 AND day = $6 \
                             AND run_id <> $7 AND status IN ($8, $9)",
                        )
                        .arg(DifferenceStatus::Cleared.as_str())
                        .arg(at.as_micros())
                        .arg(by.as_str())
                        .arg("not found again by a later run of the day")
                        .arg(run.channel_id.as_str())
                        .arg(run.day.to_string())
                        .arg(run.id.as_str())
                        .arg(DifferenceStatus::Open.as_str())
                        .arg(DifferenceStatus::Carried.as_str());
                        tx.execute(&stale).await?;
                        let note = format!("listed on the statement of {}", run.day);
                        let who = (by.as_str(), at, note.as_str());
                        settle_differences(
                            &mut *tx,
                            &findings.carried_cleared,
                            DifferenceStatus::Carried,
                            DifferenceStatus::Cleared,
                            who,
                        )
                        .await?;
                        settle_differences(
                            &mut *tx,
                            &findings.carried_raised,
                            DifferenceStatus::Carried,
                            DifferenceStatus::Open,
                            who,
                        )
                        .await
                    })
                },
            )
            .await
    }

    async fn run(&self, id: &RunId) -> Result<Option<Run>, StoreError> {
        let mut sql = Sql::new(format!("SELECT {RUN_COLUMNS} FROM reconciliation_runs"));
        sql.push(" WHERE id = ").param(id.as_str());
        self.fetch_optional(&sql).await
    }

    async fn list_runs(&self, filter: &RunFilter, limit: u32) -> Result<Vec<Run>, StoreError> {
        let mut sql = Sql::new(format!(
            "SELECT {RUN_COLUMNS} FROM reconciliation_runs WHERE 1 = 1"
        ));
        if let Some(channel) = &filter.channel {
            sql.push(" AND channel_id = ").param(channel.as_str());
        }
        if let Some(day) = filter.day {
            sql.push(" AND day = ").param(day.to_string());
        }
        if let Some(before) = &filter.before {
            sql.push(" AND id < ").param(before.as_str());
        }
        sql.push(" ORDER BY id DESC LIMIT ").param(i64::from(limit));
        self.fetch(&sql).await
    }

    async fn differences(
        &self,
        filter: &DifferenceFilter,
        limit: u32,
    ) -> Result<Vec<Difference>, StoreError> {
        let mut sql = differences_where(
            format!("SELECT {DIFFERENCE_COLUMNS} FROM reconciliation_differences"),
            filter,
        );
        if let Some(after) = &filter.after {
            sql.push(" AND id > ").param(after.as_str());
        }
        sql.push(" ORDER BY id LIMIT ").param(i64::from(limit));
        self.fetch(&sql).await
    }

    async fn count_differences(&self, filter: &DifferenceFilter) -> Result<i64, StoreError> {
        let sql = differences_where(
            "SELECT COUNT(*) FROM reconciliation_differences".into(),
            filter,
        );
        self.fetch_one(&sql).await
    }

    async fn resolve_difference(
        &self,
        id: &DifferenceId,
        resolution: &Resolution,
    ) -> Result<Option<Difference>, StoreError> {
        let (id, resolution) = (id.clone(), resolution.clone());
        self.batcher()
            .write(
                "resolve_difference",
                (id, resolution),
                |mut tx, (id, resolution)| {
                    Box::pin(async move {
                        let sql = Sql::new(
                            "UPDATE reconciliation_differences SET status = $1, \
                             resolved_by = $2, resolved_at = $3, resolution = $4, \
                             updated_at = $3 WHERE id = $5 AND status IN ($6, $7)",
                        )
                        .arg(DifferenceStatus::Resolved.as_str())
                        .arg(resolution.by.as_str())
                        .arg(resolution.at.as_micros())
                        .arg(resolution.note.as_str())
                        .arg(id.as_str())
                        .arg(DifferenceStatus::Open.as_str())
                        .arg(DifferenceStatus::Carried.as_str());
                        tx.execute(&sql).await?;
                        let mut read = Sql::new(format!(
                            "SELECT {DIFFERENCE_COLUMNS} FROM reconciliation_differences"
                        ));
                        read.push(" WHERE id = ").param(id.as_str());
                        tx.fetch_optional(&read).await
                    })
                },
            )
            .await
    }

    async fn payments_by(
        &self,
        column: ItemColumn,
        values: &[String],
    ) -> Result<Vec<Payment>, StoreError> {
        if values.is_empty() {
            return Ok(Vec::new());
        }
        let column = match column {
            ItemColumn::Id => "id",
            ItemColumn::ProviderId => "provider_transaction_id",
        };
        self.fetch(&select_in(PAYMENT_COLUMNS, "payments", column, values))
            .await
    }

    async fn refunds_by(
        &self,
        column: ItemColumn,
        values: &[String],
    ) -> Result<Vec<Refund>, StoreError> {
        if values.is_empty() {
            return Ok(Vec::new());
        }
        let column = match column {
            ItemColumn::Id => "id",
            ItemColumn::ProviderId => "provider_refund_id",
        };
        self.fetch(&select_in(REFUND_COLUMNS, "refunds", column, values))
            .await
    }

    async fn succeeded_on(
        &self,
        kind: ItemKind,
        channel: &ChannelId,
        (from, to): (Timestamp, Timestamp),
        after: Option<&Succeeded>,
        limit: u32,
    ) -> Result<Vec<Succeeded>, StoreError> {
        let (table, at, succeeded) = match kind {
            ItemKind::Payment => ("payments", "paid_at", PaymentStatus::Succeeded.as_str()),
            ItemKind::Refund => ("refunds", "succeeded_at", RefundStatus::Succeeded.as_str()),
        };
        let mut sql = Sql::new(format!(
            "SELECT id, amount_minor, currency, {at} FROM {table} WHERE channel_id = "
        ));
        // Pages in (time, id) order, each starting where the last ended, so every page is a
        // range of the (channel_id, time, id) index and a day costs one pass over it.
        let start = after.map_or(from, |a| a.at);
        sql.param(channel.as_str())
            .push(&format!(" AND {at} >= "))
            .param(start.as_micros())
            .push(&format!(" AND {at} < "))
            .param(to.as_micros())
            .push(" AND status = ")
            .param(succeeded);
        if let Some(a) = after {
            sql.push(&format!(" AND ({at} > "))
                .param(a.at.as_micros())
                .push(" OR id > ")
                .param(a.id.as_str())
                .push(")");
        }
        sql.push(&format!(" ORDER BY {at}, id LIMIT "))
            .param(i64::from(limit));
        self.fetch(&sql).await
    }

    async fn acquire_lease(
        &self,
        name: &str,
        holder: &str,
        now: Timestamp,
        until: Timestamp,
    ) -> Result<bool, StoreError> {
        let job = (name.to_owned(), holder.to_owned());
        self.batcher()
            .write("acquire_lease", job, move |mut tx, (name, holder)| {
                Box::pin(async move {
                    let sql = Sql::new(
                        "INSERT INTO leases (name, holder, until) VALUES ($1, $2, $3) \
                         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, \
                         until = excluded.until \
                         WHERE leases.holder = excluded.holder OR leases.until <= $4",
                    )
                    .arg(name.as_str())
                    .arg(holder.as_str())
                    .arg(until.as_micros())
                    .arg(now.as_micros());
                    Ok(tx.execute(&sql).await? > 0)
                })
            })
            .await
    }

    async fn release_lease(&self, name: &str, holder: &str) -> Result<(), StoreError> {
        let job = (name.to_owned(), holder.to_owned());
        self.batcher()
            .write("release_lease", job, |mut tx, (name, holder)| {
                Box::pin(async move {
                    let sql = Sql::new("DELETE FROM leases WHERE name = $1 AND holder = $2")
                        .arg(name.as_str())
                        .arg(holder.as_str());
                    tx.execute(&sql).await.map(drop)
                })
            })
            .await
    }
}

/// Which of an item's ids a lookup goes by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemColumn {
    /// paycore's id.
    Id,
    /// The provider's id (a payment's transaction id, a refund's provider refund id).
    ProviderId,
}

/// Payments or refunds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Payment,
    Refund,
}
