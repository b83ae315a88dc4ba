//! The sweeper settles what no callback settled: it queries UNKNOWN payments and PENDING ones
//! that have waited long, closes PENDING payments past their expiry (at the channel and
//! locally), and queries PENDING refunds. Each item it could not settle is retried with a
//! growing delay. Everything it changes emits events like any other change.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;
use tracing::Instrument;

use super::payments::Payments;
use super::refunds::Refunds;
use crate::config::SweeperConfig;
use crate::domain::{Clock, PaymentStatus};
use crate::metrics::Metrics;
use crate::storage::Store;

/// Most items looked at per kind per pass.
const BATCH: u32 = 100;
/// The longest wait between two tries at one item.
const MAX_BACKOFF: Duration = Duration::from_secs(600);

/// What one pass did, for logs and tests.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    /// Placements presumed dead and turned UNKNOWN.
    pub payments_abandoned: usize,
    pub payments_settled: usize,
    pub payments_expired: usize,
    pub refunds_settled: usize,
}

/// Items that did not settle: how often they were tried and when to try next. The delay
/// starts at twice the first one and doubles on every try, up to `MAX_BACKOFF`.
struct Backoff {
    first: Duration,
    items: HashMap<String, (u32, Instant)>,
}

impl Backoff {
    fn new(first: Duration) -> Self {
        Self {
            first,
            items: HashMap::new(),
        }
    }

    fn due(&self, key: &str) -> bool {
        self.items
            .get(key)
            .is_none_or(|(_, next)| Instant::now() >= *next)
    }

    /// Records a try: settled items are forgotten, others wait longer.
    fn tried(&mut self, key: String, settled: bool) {
        if settled {
            self.items.remove(&key);
            return;
        }
        let tries = self.items.get(&key).map_or(0, |(n, _)| *n) + 1;
        let delay = self
            .first
            .saturating_mul(1 << tries.min(16))
            .min(MAX_BACKOFF);
        self.items.insert(key, (tries, Instant::now() + delay));
    }
}

pub struct Sweeper {
    store: Arc<dyn Store>,
    payments: Arc<Payments>,
    refunds: Arc<Refunds>,
    clock: Arc<dyn Clock>,
    config: SweeperConfig,
    backoff: Mutex<Backoff>,
    metrics: Arc<Metrics>,
}

impl Sweeper {
    pub fn new(
        store: Arc<dyn Store>,
        payments: Arc<Payments>,
        refunds: Arc<Refunds>,
        clock: Arc<dyn Clock>,
        config: SweeperConfig,
        metrics: Arc<Metrics>,
    ) -> Self {
        let interval_ms = config.interval_ms;
        Self {
            store,
            payments,
            refunds,
            clock,
            config,
            backoff: Mutex::new(Backoff::new(Duration::from_millis(interval_ms))),
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
            if pass != Pass::default() {
                tracing::info!(?pass, "sweeper pass");
            }
        }
    }

    fn due(&self, key: &str) -> bool {
        self.backoff
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .due(key)
    }

    fn tried(&self, key: String, settled: bool) {
        self.backoff
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .tried(key, settled);
    }

    /// One pass over everything that needs settling.
    pub async fn pass(&self) -> Pass {
        let mut pass = Pass::default();
        let now = self.clock.now();
        let since = |secs: u64| {
            crate::domain::Timestamp::from_micros(
                now.as_micros() - i64::try_from(secs * 1_000_000).unwrap_or(i64::MAX),
            )
        };

        match self.store.expired_payments(now, BATCH).await {
            Ok(expired) => {
                for p in expired {
                    let key = p.id.to_string();
                    if !self.due(&key) {
                        continue;
                    }
                    let closing = self.payments.close_payment(p);
                    let span =
                        tracing::info_span!("sweep", action = "close_expired", payment = %key);
                    let closed = match closing.instrument(span).await {
                        Ok(p) => p.status != PaymentStatus::Pending,
                        Err(e) => {
                            tracing::warn!(payment = %key, error = %e, "could not close an expired payment");
                            false
                        }
                    };
                    pass.payments_expired += usize::from(closed);
                    self.tried(key, closed);
                }
            }
            Err(e) => tracing::warn!(error = %e, "sweeper cannot read expired payments"),
        }

        match self
            .store
            .payments_in(
                PaymentStatus::Processing,
                since(self.config.abandoned_after_secs),
                BATCH,
            )
            .await
        {
            Ok(abandoned) => {
                for p in abandoned {
                    let id = p.id.clone();
                    let span = tracing::info_span!("sweep", action = "take_over", payment = %id);
                    match self.payments.presume_abandoned(p).instrument(span).await {
                        Ok(p) if p.status == PaymentStatus::Unknown => {
                            tracing::warn!(payment = %id, "placement abandoned; querying its channel");
                            pass.payments_abandoned += 1;
                        }
                        Ok(_) => {}
                        Err(e) => {
                            tracing::warn!(payment = %id, error = %e, "could not take over a placement")
                        }
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "sweeper cannot read placements"),
        }

        for (status, after) in [
            (PaymentStatus::Unknown, self.config.unknown_after_secs),
            (PaymentStatus::Pending, self.config.pending_after_secs),
        ] {
            let found = match self.store.payments_in(status, since(after), BATCH).await {
                Ok(found) => found,
                Err(e) => {
                    tracing::warn!(error = %e, "sweeper cannot read payments");
                    continue;
                }
            };
            for p in found {
                let key = p.id.to_string();
                if !self.due(&key) {
                    continue;
                }
                let span = tracing::info_span!("sweep", action = "query", payment = %key);
                let settled = match self.payments.settle(p).instrument(span).await {
                    Ok(p) => p.status != status,
                    Err(e) => {
                        tracing::warn!(payment = %key, error = %e, "could not query a payment");
                        false
                    }
                };
                pass.payments_settled += usize::from(settled);
                self.tried(key, settled);
            }
        }

        match self
            .store
            .pending_refunds(since(self.config.refund_after_secs), BATCH)
            .await
        {
            Ok(pending) => {
                for r in pending {
                    let key = r.id.to_string();
                    if !self.due(&key) {
                        continue;
                    }
                    let span = tracing::info_span!("sweep", action = "query_refund", refund = %key);
                    let settled = match self.refunds.sync(r).instrument(span).await {
                        Ok(r) => r.status != crate::domain::RefundStatus::Pending,
                        Err(e) => {
                            tracing::warn!(refund = %key, error = %e, "could not query a refund");
                            false
                        }
                    };
                    pass.refunds_settled += usize::from(settled);
                    self.tried(key, settled);
                }
            }
            Err(e) => tracing::warn!(error = %e, "sweeper cannot read refunds"),
        }
        pass
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn unsettled_items_wait_twice_as_long_each_time_up_to_the_cap() {
        let mut b = Backoff::new(Duration::from_secs(5));
        assert!(b.due("pay_1"), "new items are due");
        for wait in [10, 20, 40, 80, 160, 320, 600, 600] {
            b.tried("pay_1".into(), false);
            tokio::time::advance(Duration::from_secs(wait - 1)).await;
            assert!(!b.due("pay_1"), "not before {wait} s");
            tokio::time::advance(Duration::from_secs(1)).await;
            assert!(b.due("pay_1"), "due after {wait} s");
        }
        b.tried("pay_1".into(), true);
        b.tried("pay_1".into(), false);
        tokio::time::advance(Duration::from_secs(10)).await;
        assert!(b.due("pay_1"), "settling resets the delay");
        assert!(b.due("pay_2"), "items are independent");
    }
}
