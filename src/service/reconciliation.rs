//! Reconciliation (对账): one channel's statement for one provider day, fetched with the
//! channel's credentials, matched both ways against paycore's payments and refunds, and
//! stored as a run with its differences. Nothing is concluded from a statement that could
//! not be read whole: differences and heals wait for its end. One run of a channel's day at
//! a time (a lease), whichever node or caller starts it.

mod matcher;
pub mod schedule;
use std::sync::Arc;
use std::time::Duration;

use crate::config::ReconciliationConfig;
use crate::domain::reconciliation::{
    Difference, DifferenceKind, DifferenceStatus, Evidence, Resolution, Run, RunStatus, Summary,
    Totals, Trigger,
};
use crate::domain::{
    ChannelId, Clock, Day, DifferenceId, PaymentStatus, RefundStatus, RunId, Timestamp,
};
use crate::metrics::Metrics;
use crate::provider::statement::StatementError;
use crate::routing::Router;
use crate::storage::reconciliation::{DifferenceFilter, Findings, ItemKind, RunFilter};
use crate::storage::{Store, StoreError};

use super::payments::Payments;
use super::refunds::Refunds;
use super::{Error, page_size};
use matcher::{Found, Heal, Matcher};

/// Lines matched per lookup.
const BATCH_LINES: usize = 500;
/// paycore items read per page for the check the other way.
const PAGE: u32 = 1000;
/// How long a run's lease lasts without renewal; renewed at a third of it.
const LEASE: Duration = Duration::from_secs(60);

/// Runs reconciliations and answers about their results.
pub struct Reconciler {
    store: Arc<dyn Store>,
    router: Arc<Router>,
    payments: Arc<Payments>,
    refunds: Arc<Refunds>,
    clock: Arc<dyn Clock>,
    metrics: Arc<Metrics>,
    config: ReconciliationConfig,
    /// This node's name as a lease holder.
    node: String,
}

/// Why a run could not complete: a stable code and a message, stored on the run.
#[derive(Debug)]
struct Failure {
    code: &'static str,
    message: String,
}

impl From<StatementError> for Failure {
    fn from(e: StatementError) -> Self {
        Self {
            code: e.code,
            message: e.message,
        }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Self {
            code: "DATABASE_UNAVAILABLE",
            message: e.to_string(),
        }
    }
}

impl Reconciler {
    pub fn new(
        store: Arc<dyn Store>,
        router: Arc<Router>,
        (payments, refunds): (Arc<Payments>, Arc<Refunds>),
        clock: Arc<dyn Clock>,
        metrics: Arc<Metrics>,
        config: ReconciliationConfig,
    ) -> Self {
        let node = format!("node-{:016x}", rand::random::<u64>());
        Self {
            store,
            router,
            payments,
            refunds,
            clock,
            metrics,
            config,
            node,
        }
    }

    /// The UTC offset of `channel`'s statement days.
    pub fn offset_secs(&self, channel: &ChannelId) -> Option<i64> {
        self.router
            .channel(channel)
            .map(|c| c.provider.statement_offset_secs())
    }

    /// Reconciles `channel`'s `day`; the run as it ended (COMPLETED or FAILED). Refused
    /// while another run of the same channel and day holds its lease.
    pub async fn run(&self, channel: &ChannelId, day: Day, trigger: Trigger) -> Result<Run, Error> {
        let Some(adapter) = self.router.channel(channel).map(|c| c.provider.clone()) else {
            return Err(Error::ChannelNotFound);
        };
        let offset = adapter.statement_offset_secs();
        if day >= Day::of(self.clock.now(), offset) {
            return Err(Error::invalid(
                "day",
                "DAY_NOT_ENDED",
                format!("{day} has not ended in the provider's time zone"),
            ));
        }
        let now = self.clock.now();
        let id = RunId::generate(now.as_millis());
        // Held by this run, not this node: a second run of the day on the same node waits
        // its turn like one on another node.
        let lease = (
            format!("reconcile:{channel}:{day}"),
            format!("{}/{id}", self.node),
        );
        if !self
            .store
            .acquire_lease(&lease.0, &lease.1, now, now.saturating_add(LEASE))
            .await?
        {
            return Err(Error::ReconciliationRunning);
        }
        let mut run = Run {
            id,
            channel_id: channel.clone(),
            day,
            trigger,
            status: RunStatus::Running,
            error: None,
            summary: Summary::default(),
            started_at: now,
            finished_at: None,
        };
        let outcome = match self.store.insert_run(&run).await {
            Ok(()) => {
                let work = self.reconcile(&mut run, adapter.as_ref(), offset);
                let renewing = self.renew(&lease);
                let limit = Duration::from_secs(self.config.timeout_secs);
                tokio::select! {
                    r = tokio::time::timeout(limit, work) => r.unwrap_or_else(|_| Err(Failure {
                        code: "RECONCILIATION_TIMEOUT",
                        message: format!("the run took longer than {}s", limit.as_secs()),
                    })),
                    lost = renewing => Err(lost),
                }
            }
            Err(e) => Err(e.into()),
        };
        let ended = self.end(run, outcome).await;
        if let Err(e) = self.store.release_lease(&lease.0, &lease.1).await {
            tracing::warn!(error = %e, lease = lease.0, "could not release a reconciliation lease; it expires");
        }
        ended
    }

    /// Keeps the lease (name, holder) while the run works; returns only when it was lost.
    async fn renew(&self, (lease, holder): &(String, String)) -> Failure {
        loop {
            tokio::time::sleep(LEASE / 3).await;
            let now = self.clock.now();
            match self
                .store
                .acquire_lease(lease, holder, now, now.saturating_add(LEASE))
                .await
            {
                Ok(true) => {}
                Ok(false) => {
                    return Failure {
                        code: "RECONCILIATION_LEASE_LOST",
                        message: "another node took over this run's lease".into(),
                    };
                }
                // The run goes on: a later renewal may reach the database, and if the lease
                // expired meanwhile, that renewal says so.
                Err(e) => {
                    tracing::warn!(error = %e, lease, "could not renew a reconciliation lease")
                }
            }
        }
    }

    /// Stores how `run` ended.
    async fn end(&self, mut run: Run, outcome: Result<Findings, Failure>) -> Result<Run, Error> {
        let now = self.clock.now();
        run.finished_at = Some(now);
        let channel = run.channel_id.to_string();
        match outcome {
            Ok(findings) => {
                let kinds: Vec<DifferenceKind> =
                    findings.differences.iter().map(|d| d.kind).collect();
                match self.store.complete_run(&run, findings).await {
                    Ok(()) => {}
                    Err(e) => {
                        self.metrics
                            .reconciliation_run(&channel, RunStatus::Failed.as_str());
                        return Err(e.into());
                    }
                }
                run.status = RunStatus::Completed;
                for kind in DifferenceKind::ALL {
                    let n = kinds.iter().filter(|k| *k == kind).count();
                    if n > 0 {
                        self.metrics
                            .reconciliation_differences(&channel, kind.as_str(), n as u64);
                    }
                }
                let s = &run.summary;
                self.metrics
                    .reconciliation_amount(&channel, "payments", s.payment_minor);
                self.metrics
                    .reconciliation_amount(&channel, "refunds", s.refund_minor);
                self.metrics
                    .reconciliation_amount(&channel, "fees", s.fee_minor);
                tracing::info!(
                    notice = "reconciliation.completed",
                    run = %run.id,
                    channel,
                    day = %run.day,
                    lines = s.lines,
                    matched = s.matched,
                    differences = s.differences,
                    healed = s.healed,
                    carried = s.carried,
                    payments = s.payments,
                    payment_minor = s.payment_minor,
                    refunds = s.refunds,
                    refund_minor = s.refund_minor,
                    fee_minor = s.fee_minor,
                    net_minor = s.net_minor(),
                    "reconciliation completed"
                );
            }
            Err(f) => {
                self.store
                    .fail_run(&run.id, f.code, &f.message, now)
                    .await?;
                tracing::warn!(
                    notice = "reconciliation.failed",
                    run = %run.id,
                    channel,
                    day = %run.day,
                    code = f.code,
                    message = f.message,
                    "reconciliation failed"
                );
                run.status = RunStatus::Failed;
                run.error = Some((f.code.to_owned(), f.message));
            }
        }
        self.metrics
            .reconciliation_run(&channel, run.status.as_str());
        self.count_open(&run.channel_id).await;
        Ok(run)
    }

    /// Sets the open-differences gauge of `channel` from the database.
    async fn count_open(&self, channel: &ChannelId) {
        let filter = DifferenceFilter {
            channel: Some(channel.clone()),
            statuses: vec![DifferenceStatus::Open],
            ..DifferenceFilter::default()
        };
        match self.store.count_differences(&filter).await {
            Ok(n) => self.metrics.reconciliation_open(channel.as_str(), n),
            Err(e) => tracing::warn!(error = %e, "could not count open differences"),
        }
    }

    /// Fetches, reads and matches the statement; what the run found.
    async fn reconcile(
        &self,
        run: &mut Run,
        adapter: &dyn crate::provider::Provider,
        offset: i64,
    ) -> Result<Findings, Failure> {
        let mut reader = adapter.statement(run.day).await?;
        let mut matcher = Matcher::new(run.channel_id.clone());
        loop {
            let batch = reader.next_batch(BATCH_LINES).await?;
            if batch.is_empty() {
                break;
            }
            matcher.batch(self.store.as_ref(), batch).await?;
            self.check_size(&matcher)?;
        }
        // The statement was read whole: from here on it is believed.
        matcher.summary.provider = reader.totals().map(|t| Totals {
            payments: t.payments,
            payment_minor: t.payment_minor,
            refunds: t.refunds,
            refund_minor: t.refund_minor,
            fee_minor: t.fee_minor,
        });
        let start = run.day.start(offset);
        let end = run.day.next().start(offset);
        let carry_from = Timestamp::from_micros(
            end.as_micros() - i64::from(self.config.carry_minutes) * 60_000_000,
        );
        for kind in [ItemKind::Payment, ItemKind::Refund] {
            self.absent(&mut matcher, kind, run, (start, end), carry_from)
                .await?;
            self.check_size(&matcher)?;
        }
        let carried = self.carried_from(run).await?;
        let mut findings = Findings::default();
        for d in carried {
            let refund = d.evidence.refund_id.is_some();
            if matcher.listed(refund, &d.item) {
                findings.carried_cleared.push(d.id);
            } else {
                findings.carried_raised.push(d.id);
            }
        }
        let mut summary = matcher.summary;
        for found in matcher.found {
            let d = self.settle(found, run, &mut summary).await;
            findings.differences.push(d);
        }
        run.summary = summary;
        Ok(findings)
    }

    fn check_size(&self, matcher: &Matcher) -> Result<(), Failure> {
        let max = usize::try_from(self.config.max_differences).unwrap_or(usize::MAX);
        if matcher.found.len() > max {
            return Err(Failure {
                code: "RECONCILIATION_TOO_MANY_DIFFERENCES",
                message: format!(
                    "more than {max} differences (reconciliation.max_differences): is this \
                     the channel's statement for this day?"
                ),
            });
        }
        Ok(())
    }

    /// paycore's items of `kind` that succeeded on the run's channel in `window` and that
    /// the statement did not list: carried to the next day when they succeeded after
    /// `carry_from`, else raised.
    async fn absent(
        &self,
        matcher: &mut Matcher,
        kind: ItemKind,
        run: &Run,
        window: (Timestamp, Timestamp),
        carry_from: Timestamp,
    ) -> Result<(), Failure> {
        let refund = kind == ItemKind::Refund;
        let mut after = None;
        loop {
            let page = self
                .store
                .succeeded_on(kind, &run.channel_id, window, after.as_ref(), PAGE)
                .await?;
            let Some(last) = page.last() else {
                return Ok(());
            };
            after = Some(last.clone());
            for item in page {
                if matcher.listed(refund, &item.id) {
                    continue;
                }
                let carried = item.at >= carry_from;
                let what = if refund { "refund" } else { "payment" };
                let detail = if carried {
                    format!(
                        "this {what} succeeded near midnight and is not on the day's \
                         statement; it waits for the next day's"
                    )
                } else {
                    format!(
                        "paycore has this {what} SUCCEEDED; the provider's statement does \
                         not list it"
                    )
                };
                matcher.found.push(Found {
                    kind: DifferenceKind::MissingAtProvider,
                    item: item.id.clone(),
                    evidence: Evidence {
                        payment_id: (!refund).then(|| item.id.clone()),
                        refund_id: refund.then(|| item.id.clone()),
                        currency: Some(item.currency),
                        paycore_amount_minor: Some(item.amount_minor),
                        ..Evidence::default()
                    },
                    detail,
                    heal: None,
                    carried,
                });
            }
        }
    }

    /// The day before's differences that wait for this day's statement (those that
    /// succeeded in its last `carry_minutes`: few).
    async fn carried_from(&self, run: &Run) -> Result<Vec<Difference>, Failure> {
        let filter = DifferenceFilter {
            channel: Some(run.channel_id.clone()),
            day: Some(run.day.minus(1)),
            statuses: vec![DifferenceStatus::Carried],
            ..DifferenceFilter::default()
        };
        Ok(self.store.differences(&filter, u32::MAX).await?)
    }

    /// A found difference as stored: healed by a sync when paycore's item was not final and
    /// its provider now says it succeeded.
    async fn settle(&self, found: Found, run: &Run, summary: &mut Summary) -> Difference {
        let now = self.clock.now();
        let mut status = if found.carried {
            summary.carried += 1;
            DifferenceStatus::Carried
        } else {
            summary.differences += 1;
            DifferenceStatus::Open
        };
        let mut detail = found.detail;
        let mut resolution = None;
        if let Some(heal) = found.heal {
            match self.heal(heal).await {
                Ok(true) => {
                    summary.healed += 1;
                    status = DifferenceStatus::Resolved;
                    resolution = Some(Resolution {
                        by: "paycore".into(),
                        at: now,
                        note: "synced with the provider: now SUCCEEDED".into(),
                    });
                }
                Ok(false) => detail.push_str("; a sync did not settle it"),
                Err(e) => detail.push_str(&format!("; a sync failed: {e}")),
            }
        }
        Difference {
            id: DifferenceId::generate(now.as_millis()),
            channel_id: run.channel_id.clone(),
            day: run.day,
            kind: found.kind,
            item: found.item,
            run_id: run.id.clone(),
            status,
            evidence: found.evidence,
            detail,
            created_at: now,
            updated_at: now,
            resolution,
        }
    }

    /// Asks the provider about a payment or refund the statement shows done; whether it is
    /// SUCCEEDED now.
    /// Each is read afresh, whole (a payment with its attempts, which its events carry),
    /// as it is now: the statement was matched against a lookup made earlier.
    async fn heal(&self, heal: Heal) -> Result<bool, Error> {
        Ok(match heal {
            Heal::Payment(id) => {
                let p = self.store.payment_by_id(&id).await?;
                let p = p.ok_or(Error::PaymentNotFound)?;
                self.payments.settle(p).await?.status == PaymentStatus::Succeeded
            }
            Heal::Refund(id) => {
                let r = self.store.refund_by_id(&id).await?;
                let r = r.ok_or(Error::RefundNotFound)?;
                self.refunds.sync(r).await?.status == RefundStatus::Succeeded
            }
        })
    }

    pub async fn get_run(&self, id: &RunId) -> Result<Run, Error> {
        self.store.run(id).await?.ok_or(Error::RunNotFound)
    }

    /// A page of runs (`page` of them: 0 is 50, at most 500), and whether it was full (more
    /// may follow).
    pub async fn list_runs(
        &self,
        filter: &RunFilter,
        page: i32,
    ) -> Result<(Vec<Run>, bool), Error> {
        let limit = page_size(page, 50, 500)?;
        let runs = self.store.list_runs(filter, limit).await?;
        let full = runs.len() == limit as usize;
        Ok((runs, full))
    }

    /// A page of differences (0 is 100, at most 1000), and whether it was full.
    pub async fn list_differences(
        &self,
        filter: &DifferenceFilter,
        page: i32,
    ) -> Result<(Vec<Difference>, bool), Error> {
        let limit = page_size(page, 100, 1000)?;
        let found = self.store.differences(filter, limit).await?;
        let full = found.len() == limit as usize;
        Ok((found, full))
    }

    /// Resolves an open (or carried) difference, saying who and why.
    pub async fn resolve(
        &self,
        id: &DifferenceId,
        by: &str,
        note: &str,
    ) -> Result<Difference, Error> {
        if by.trim().is_empty() || by.len() > 200 {
            return Err(Error::invalid(
                "resolved_by",
                "INVALID_RESOLVED_BY",
                "must say who resolved it (1 to 200 characters)",
            ));
        }
        if note.trim().is_empty() || note.len() > 2000 {
            return Err(Error::invalid(
                "note",
                "INVALID_NOTE",
                "must say what was done (1 to 2000 characters)",
            ));
        }
        let resolution = Resolution {
            by: by.trim().to_owned(),
            at: self.clock.now(),
            note: note.trim().to_owned(),
        };
        let d = self
            .store
            .resolve_difference(id, &resolution)
            .await?
            .ok_or(Error::DifferenceNotFound)?;
        if d.resolution.as_ref() != Some(&resolution) {
            return Err(Error::DifferenceNotOpen(d.status.as_str()));
        }
        self.count_open(&d.channel_id).await;
        Ok(d)
    }
}
