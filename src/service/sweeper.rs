//! The sweeper settles what no callback settled: it queries UNKNOWN payments and PENDING ones
//! that have waited long, closes PENDING payments past their expiry (at the channel and
//! locally), queries PENDING refunds, and takes over placements whose node died. The items
//! to check are work queues in the database: each item carries when it is next due, nodes
//! claim due items with a lease (one node per check, so provider traffic does not grow with
//! the number of nodes), and an item that did not settle is due again after a growing delay.
//! Nothing waiting behind items that cannot settle is starved: those are not due. Everything
//! it changes emits events like any other change.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tracing::Instrument;

use super::payments::{GiveUp, Payments};
use super::refunds::Refunds;
use crate::config::SweeperConfig;
use crate::domain::{Clock, PaymentStatus, Timestamp};
use crate::metrics::Metrics;
use crate::storage::{CheckQueue, Claimed, Store};

/// Placements looked at per pass; taking one over is a database write, never a call.
const ABANDONED_BATCH: u32 = 100;
/// Items claimed at a time; a claim's items are checked concurrently.
const CLAIM: u32 = 16;
/// Most items one pass checks per queue, so every queue gets its turn in each pass.
pub const MAX_PER_PASS: usize = 2_000;
/// The longest wait between two checks of one item.
const MAX_BACKOFF: Duration = Duration::from_secs(600);
/// A claim's lease beyond the longest channel call: what a check's reads and writes may
/// take. A node that dies mid-check leaves its items to others when the lease ends.
const LEASE_SLACK: Duration = Duration::from_secs(60);

/// What one pass did, for logs and tests.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    /// Placements presumed dead and turned UNKNOWN.
    pub payments_abandoned: usize,
    pub payments_settled: usize,
    pub payments_expired: usize,
    pub refunds_settled: usize,
    /// Items asked about, settled or not.
    pub checked: usize,
}

/// How a check of one item ended.
enum Checked {
    /// It reached another state (or is gone): its queue is done with it.
    Settled,
    /// Still where it was, at this version: due again after its backoff.
    Unsettled(i64),
    /// It could not be read: due again when its lease ends.
    Unread,
}

/// The wait after the `tries`-th check (counting from 0) that did not settle: twice the
/// first delay, doubling on every try, up to `MAX_BACKOFF`.
fn backoff(first: Duration, tries: u32) -> Duration {
    first
        .saturating_mul(1 << tries.saturating_add(1).min(16))
        .min(MAX_BACKOFF)
}

pub struct Sweeper {
    store: Arc<dyn Store>,
    payments: Arc<Payments>,
    refunds: Arc<Refunds>,
    clock: Arc<dyn Clock>,
    config: SweeperConfig,
    lease: Duration,
    metrics: Arc<Metrics>,
}

impl Sweeper {
    /// `longest_call` is the longest attempt timeout of any channel: a check makes one call.
    pub fn new(
        store: Arc<dyn Store>,
        payments: Arc<Payments>,
        refunds: Arc<Refunds>,
        clock: Arc<dyn Clock>,
        config: SweeperConfig,
        longest_call: Duration,
        metrics: Arc<Metrics>,
    ) -> Self {
        Self {
            store,
            payments,
            refunds,
            clock,
            config,
            lease: longest_call + LEASE_SLACK,
            metrics,
        }
    }

    /// Runs passes every `interval_ms` until `stop` turns true.
    pub async fn run(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        let interval = Duration::from_millis(self.config.interval_ms);
        loop {
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                _ = stop.wait_for(|s| *s) => return,
            }
            let pass = self.pass().await;
            self.metrics.swept("abandoned", pass.payments_abandoned);
            self.metrics.swept("settled", pass.payments_settled);
            self.metrics.swept("expired", pass.payments_expired);
            self.metrics.swept("refund_settled", pass.refunds_settled);
            if pass.payments_abandoned
                + pass.payments_settled
                + pass.payments_expired
                + pass.refunds_settled
                > 0
            {
                tracing::info!(?pass, "sweeper pass");
            }
        }
    }

    /// One pass over everything that is due.
    pub async fn pass(&self) -> Pass {
        let mut pass = Pass::default();
        let now = self.clock.now();
        let since = |secs: u64| {
            Timestamp::from_micros(
                now.as_micros() - i64::try_from(secs * 1_000_000).unwrap_or(i64::MAX),
            )
        };

        let (expired, checked) = self
            .drain(CheckQueue::Expired, |c| self.close_expired(c.id))
            .await;
        pass.payments_expired = expired;
        pass.checked += checked;

        pass.payments_abandoned = self
            .take_over(since(self.config.abandoned_after_secs))
            .await;

        for (status, after) in [
            (PaymentStatus::Unknown, self.config.unknown_after_secs),
            (PaymentStatus::Pending, self.config.pending_after_secs),
        ] {
            let queue = CheckQueue::Payments(status, since(after));
            let (settled, checked) = self.drain(queue, |c| self.query(c, status)).await;
            pass.payments_settled += settled;
            pass.checked += checked;
        }

        let queue = CheckQueue::Refunds(since(self.config.refund_after_secs));
        let (settled, checked) = self.drain(queue, |c| self.query_refund(c.id)).await;
        pass.refunds_settled = settled;
        pass.checked += checked;
        pass
    }

    /// Claims and checks `queue`'s due items until none is left or the pass has checked
    /// its share; how many settled and how many were checked.
    async fn drain<F, Fut>(&self, queue: CheckQueue, check: F) -> (usize, usize)
    where
        F: Fn(Claimed) -> Fut,
        Fut: Future<Output = Checked>,
    {
        let (mut settled, mut checked) = (0, 0);
        while checked < MAX_PER_PASS {
            let now = self.clock.now();
            let claimed = match self
                .store
                .claim_checks(queue, now, now.saturating_add(self.lease), CLAIM)
                .await
            {
                Ok(claimed) if claimed.is_empty() => break,
                Ok(claimed) => claimed,
                Err(e) => {
                    tracing::warn!(?queue, error = %e, "sweeper cannot claim work");
                    break;
                }
            };
            checked += claimed.len();
            let outcomes =
                futures_util::future::join_all(claimed.iter().map(|c| check(c.clone()))).await;
            for (Claimed { id, tries }, outcome) in claimed.into_iter().zip(outcomes) {
                match outcome {
                    Checked::Settled => settled += 1,
                    Checked::Unread => {}
                    Checked::Unsettled(version) => {
                        let first = Duration::from_millis(self.config.interval_ms);
                        let at = self.clock.now().saturating_add(backoff(first, tries));
                        if let Err(e) = self.store.check_later(queue, &id, version, at).await {
                            // Its lease ends and it is due again then.
                            tracing::warn!(item = %id, error = %e, "could not reschedule a check");
                        }
                    }
                }
            }
        }
        (settled, checked)
    }

    async fn close_expired(&self, id: String) -> Checked {
        let p = match self.payment(&id).await {
            Ok(Some(p)) => p,
            Ok(None) => return Checked::Settled,
            Err(()) => return Checked::Unread,
        };
        let (version, status) = (p.version, p.status);
        let span = tracing::info_span!("sweep", action = "close_expired", payment = %id);
        match self.payments.close_payment(p).instrument(span).await {
            Ok(p) if p.status != status => Checked::Settled,
            Ok(p) => Checked::Unsettled(p.version),
            Err(e) => {
                tracing::warn!(payment = %id, error = %e, "could not close an expired payment");
                Checked::Unsettled(version)
            }
        }
    }

    async fn query(&self, claimed: Claimed, status: PaymentStatus) -> Checked {
        let id = claimed.id;
        let p = match self.payment(&id).await {
            Ok(Some(p)) => p,
            Ok(None) => return Checked::Settled,
            Err(()) => return Checked::Unread,
        };
        let version = p.version;
        let span = tracing::info_span!("sweep", action = "query", payment = %id);
        let give_up = GiveUp {
            checks: self.config.not_found_checks,
            after: Duration::from_secs(self.config.not_found_after_secs),
        };
        let settling = self.payments.settle_swept(p, claimed.tries, give_up);
        match settling.instrument(span).await {
            Ok(p) if p.status != status => Checked::Settled,
            Ok(p) => Checked::Unsettled(p.version),
            Err(e) => {
                tracing::warn!(payment = %id, error = %e, "could not query a payment");
                Checked::Unsettled(version)
            }
        }
    }

    async fn query_refund(&self, id: String) -> Checked {
        let refund = match id.parse() {
            Ok(rid) => self.store.refund_by_id(&rid).await,
            Err(_) => return Checked::Settled,
        };
        let r = match refund {
            Ok(Some(r)) => r,
            Ok(None) => return Checked::Settled,
            Err(e) => {
                tracing::warn!(refund = %id, error = %e, "could not read a refund");
                return Checked::Unread;
            }
        };
        let (version, status) = (r.version, r.status);
        let span = tracing::info_span!("sweep", action = "query_refund", refund = %id);
        match self.refunds.sync(r).instrument(span).await {
            Ok(r) if r.status != status => Checked::Settled,
            Ok(r) => Checked::Unsettled(r.version),
            Err(e) => {
                tracing::warn!(refund = %id, error = %e, "could not query a refund");
                Checked::Unsettled(version)
            }
        }
    }

    /// A claimed payment, or None when it is gone; a read that failed is logged.
    async fn payment(&self, id: &str) -> Result<Option<crate::domain::Payment>, ()> {
        let Ok(id) = id.parse() else {
            return Ok(None);
        };
        self.store.payment_by_id(&id).await.map_err(|e| {
            tracing::warn!(payment = %id, error = %e, "could not read a payment");
        })
    }

    /// Takes over placements unanswered since `before`: their nodes are presumed dead.
    async fn take_over(&self, before: Timestamp) -> usize {
        let abandoned = match self
            .store
            .payments_in(PaymentStatus::Processing, before, ABANDONED_BATCH)
            .await
        {
            Ok(abandoned) => abandoned,
            Err(e) => {
                tracing::warn!(error = %e, "sweeper cannot read placements");
                return 0;
            }
        };
        let mut taken = 0;
        for p in abandoned {
            let id = p.id.clone();
            let span = tracing::info_span!("sweep", action = "take_over", payment = %id);
            match self.payments.presume_abandoned(p).instrument(span).await {
                Ok(p) if p.status == PaymentStatus::Unknown => {
                    tracing::warn!(payment = %id, "placement abandoned; querying its channel");
                    taken += 1;
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(payment = %id, error = %e, "could not take over a placement")
                }
            }
        }
        taken
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsettled_items_wait_twice_as_long_each_time_up_to_the_cap() {
        let first = Duration::from_secs(5);
        let waits: Vec<u64> = (0..9).map(|t| backoff(first, t).as_secs()).collect();
        assert_eq!(waits, [10, 20, 40, 80, 160, 320, 600, 600, 600]);
        assert_eq!(backoff(first, u32::MAX), MAX_BACKOFF);
    }
}
