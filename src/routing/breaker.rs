//! A circuit breaker per channel: a count-based rolling window of recent calls; it opens when
//! the failure rate (timeouts and slow calls count as failures) reaches a threshold after a
//! minimum number of calls, stays open for a cool-down that doubles on each repeated trip
//! (capped), then lets a few probe calls through (half-open). Probes that all succeed close
//! it; one failed probe, or one that has not reported within `slow_call_ms`, opens it again,
//! for longer. Admission is a [`Permit`]: a permit dropped without a report means the call
//! never went out, so it neither counts nor keeps a probe slot. The caller passes the time in,
//! so tests drive it with tokio's paused clock.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

use crate::config::BreakerConfig;

/// Where a breaker stands, for operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerState {
    Closed,
    Open,
    HalfOpen,
}

#[derive(Debug)]
enum State {
    Closed,
    Open {
        until: Instant,
    },
    /// `admitted` probes are out or reported, the last one admitted at `last_admitted`.
    HalfOpen {
        admitted: u32,
        succeeded: u32,
        last_admitted: Instant,
    },
}

#[derive(Debug)]
struct Inner {
    state: State,
    /// Counts state changes, so a permit from an earlier state cannot touch the current one
    /// (a call admitted while closed that reports after the breaker opened and went half-open
    /// is not a probe).
    epoch: u64,
    /// Recent outcomes, `true` for a failure.
    window: VecDeque<bool>,
    failures: usize,
    /// Trips since the breaker last closed; sets the cool-down.
    trips: u32,
}

/// One channel's breaker.
#[derive(Debug)]
pub struct Breaker {
    config: BreakerConfig,
    inner: Mutex<Inner>,
}

/// The breaker refused a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rejected;

/// Leave to make one call. Report the call with [`Permit::record`]; dropping the permit
/// unreported says the call was not made (or not the channel's to answer for), so it is not
/// counted and a half-open probe slot is given back.
#[derive(Debug)]
#[must_use = "a permit is the call's admission; record its result or drop it when no call was made"]
pub struct Permit<'a> {
    breaker: &'a Breaker,
    epoch: u64,
    probe: bool,
}

impl Permit<'_> {
    /// Records the call's result. `failed` covers errors and timeouts; a success slower than
    /// `slow_call_ms` is recorded as a failure.
    pub fn record(self, failed: bool, latency: Duration, now: Instant) {
        let breaker = self.breaker;
        let epoch = self.epoch;
        std::mem::forget(self);
        breaker.record(epoch, failed, latency, now);
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if self.probe {
            self.breaker.give_back(self.epoch);
        }
    }
}

impl Breaker {
    pub fn new(config: BreakerConfig) -> Self {
        Self {
            config,
            inner: Mutex::new(Inner {
                state: State::Closed,
                epoch: 0,
                window: VecDeque::new(),
                failures: 0,
                trips: 0,
            }),
        }
    }

    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        // Every update leaves the state consistent, so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether a call may go to the channel now, and the permit to report it with.
    pub fn try_acquire(&self, now: Instant) -> Result<Permit<'_>, Rejected> {
        let mut inner = self.inner();
        let probe = match inner.state {
            State::Closed => false,
            State::Open { until } if now < until => return Err(Rejected),
            State::Open { .. } => {
                inner.epoch += 1;
                inner.state = State::HalfOpen {
                    admitted: 1,
                    succeeded: 0,
                    last_admitted: now,
                };
                true
            }
            State::HalfOpen {
                ref mut admitted,
                succeeded,
                ref mut last_admitted,
            } => {
                if *admitted < self.config.half_open_probes {
                    *admitted += 1;
                    *last_admitted = now;
                    true
                } else {
                    // Every outstanding probe was admitted by `last_admitted`; one that has
                    // not reported by then plus the slow-call limit counts as a slow call.
                    let overdue = succeeded < *admitted
                        && now.duration_since(*last_admitted) > self.slow_call();
                    if overdue {
                        self.trip(&mut inner, now);
                    }
                    return Err(Rejected);
                }
            }
        };
        Ok(Permit {
            breaker: self,
            epoch: inner.epoch,
            probe,
        })
    }

    fn slow_call(&self) -> Duration {
        Duration::from_millis(self.config.slow_call_ms)
    }

    /// A probe permit dropped unreported: its slot is free again.
    fn give_back(&self, epoch: u64) {
        let mut inner = self.inner();
        if inner.epoch != epoch {
            return;
        }
        if let State::HalfOpen {
            ref mut admitted, ..
        } = inner.state
        {
            *admitted = admitted.saturating_sub(1);
        }
    }

    fn record(&self, epoch: u64, failed: bool, latency: Duration, now: Instant) {
        let failed = failed || latency > self.slow_call();
        let mut inner = self.inner();
        // A call admitted before the last state change: its result no longer matters.
        if inner.epoch != epoch {
            return;
        }
        match inner.state {
            State::Closed => {
                inner.window.push_back(failed);
                inner.failures += usize::from(failed);
                if inner.window.len() > self.config.window && inner.window.pop_front() == Some(true)
                {
                    inner.failures -= 1;
                }
                let calls = inner.window.len();
                if calls >= self.config.minimum_calls
                    && inner.failures as f64 >= self.config.failure_rate * calls as f64
                {
                    self.trip(&mut inner, now);
                }
            }
            State::HalfOpen {
                ref mut succeeded, ..
            } => {
                if failed {
                    self.trip(&mut inner, now);
                } else {
                    *succeeded += 1;
                    if *succeeded >= self.config.half_open_probes {
                        inner.state = State::Closed;
                        inner.epoch += 1;
                        inner.trips = 0;
                    }
                }
            }
            State::Open { .. } => {}
        }
    }

    fn trip(&self, inner: &mut Inner, now: Instant) {
        let factor = 1u64 << inner.trips.min(16);
        let open = self
            .config
            .open_ms
            .saturating_mul(factor)
            .min(self.config.max_open_ms);
        inner.state = State::Open {
            until: now + Duration::from_millis(open),
        };
        inner.epoch += 1;
        inner.trips += 1;
        inner.window.clear();
        inner.failures = 0;
    }

    /// The state as an operator sees it at `now`.
    pub fn state(&self, now: Instant) -> BreakerState {
        match self.inner().state {
            State::Closed => BreakerState::Closed,
            State::Open { until } if now < until => BreakerState::Open,
            State::Open { .. } | State::HalfOpen { .. } => BreakerState::HalfOpen,
        }
    }
}

#[cfg(test)]
mod tests;
