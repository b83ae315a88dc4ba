//! The sweeper settles what no callback settled: it queries UNKNOWN payments and PENDING ones
//! that have waited long, closes PENDING payments past their expiry (at the channel and
//! locally), and queries PENDING refunds. Each item it could not settle is retried with a
//! growing delay. Everything it changes emits events like any other change.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

use super::payments::Payments;
use super::refunds::Refunds;
use crate::config::SweeperConfig;
use crate::domain::{Clock, PaymentStatus};
use crate::storage::Store;

/// Most items looked at per kind per pass.
const BATCH: u32 = 100;
/// The longest wait between two tries at one item.
const MAX_BACKOFF: Duration = Duration::from_secs(600);

/// What one pass did, for logs and tests.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub payments_settled: usize,
    pub payments_expired: usize,
    pub refunds_settled: usize,
}

pub struct Sweeper {
    store: Arc<dyn Store>,
    payments: Arc<Payments>,
    refunds: Arc<Refunds>,
    clock: Arc<dyn Clock>,
    config: SweeperConfig,
    /// Items that did not settle: tries so far and when to try next.
    backoff: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Sweeper {
    pub fn new(
        store: Arc<dyn Store>,
        payments: Arc<Payments>,
        refunds: Arc<Refunds>,
        clock: Arc<dyn Clock>,
        config: SweeperConfig,
    ) -> Self {
        Self {
            store,
            payments,
            refunds,
            clock,
            config,
            backoff: Mutex::new(HashMap::new()),
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
            if pass != Pass::default() {
                tracing::info!(?pass, "sweeper pass");
            }
        }
    }

    fn due(&self, key: &str) -> bool {
        let backoff = self.backoff.lock().unwrap_or_else(PoisonError::into_inner);
        backoff
            .get(key)
            .is_none_or(|(_, next)| Instant::now() >= *next)
    }

    /// Records the outcome of a try: settled items are forgotten, others wait longer.
    fn tried(&self, key: String, settled: bool) {
        let mut backoff = self.backoff.lock().unwrap_or_else(PoisonError::into_inner);
        if settled {
            backoff.remove(&key);
            return;
        }
        let tries = backoff.get(&key).map_or(0, |(n, _)| *n) + 1;
        let delay = Duration::from_millis(self.config.interval_ms)
            .saturating_mul(1 << tries.min(16))
            .min(MAX_BACKOFF);
        backoff.insert(key, (tries, Instant::now() + delay));
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
                    let closed = match self.payments.close_payment(p).await {
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
                let settled = match self.payments.settle(p).await {
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
                    let settled = match self.refunds.sync(r).await {
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
