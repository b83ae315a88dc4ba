//! A circuit breaker per channel: a count-based rolling window of recent calls; it opens when
//! the failure rate (timeouts and slow calls count as failures) reaches a threshold after a
//! minimum number of calls, stays open for a cool-down that doubles on each repeated trip
//! (capped), then lets a few probe calls through (half-open). Probes that all succeed close
//! it; one failed probe opens it again, for longer. The caller passes the time in, so tests
//! drive it with tokio's paused clock.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// Breaker settings (config `channels[].breaker`).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BreakerConfig {
    /// How many recent calls the failure rate is computed over.
    pub window: usize,
    /// Calls the window must hold before the breaker may open.
    pub minimum_calls: usize,
    /// Failure rate (0–1] at which it opens.
    pub failure_rate: f64,
    /// A successful call slower than this counts as a failure.
    pub slow_call_ms: u64,
    /// First cool-down; each repeated trip doubles it.
    pub open_ms: u64,
    /// The longest cool-down.
    pub max_open_ms: u64,
    /// Probe calls let through while half-open; all must succeed to close.
    pub half_open_probes: u32,
}

impl Default for BreakerConfig {
    fn default() -> Self {
        Self {
            window: 20,
            minimum_calls: 10,
            failure_rate: 0.5,
            slow_call_ms: 5_000,
            open_ms: 5_000,
            max_open_ms: 60_000,
            half_open_probes: 3,
        }
    }
}

impl BreakerConfig {
    /// Checks the settings, naming the first bad field.
    pub fn validate(&self) -> Result<(), (&'static str, &'static str)> {
        if self.window == 0 {
            return Err(("window", "must be positive"));
        }
        if self.minimum_calls == 0 || self.minimum_calls > self.window {
            return Err(("minimum_calls", "must be between 1 and window"));
        }
        if !(self.failure_rate > 0.0 && self.failure_rate <= 1.0) {
            return Err(("failure_rate", "must be in (0, 1]"));
        }
        if self.open_ms == 0 || self.max_open_ms < self.open_ms {
            return Err((
                "max_open_ms",
                "open_ms must be positive and at most max_open_ms",
            ));
        }
        if self.half_open_probes == 0 {
            return Err(("half_open_probes", "must be positive"));
        }
        Ok(())
    }
}

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
    Open { until: Instant },
    HalfOpen { admitted: u32, succeeded: u32 },
}

#[derive(Debug)]
struct Inner {
    state: State,
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

impl Breaker {
    pub fn new(config: BreakerConfig) -> Self {
        Self {
            config,
            inner: Mutex::new(Inner {
                state: State::Closed,
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

    /// Whether a call may go to the channel now. An admitted call must be followed by
    /// `record`.
    pub fn try_acquire(&self, now: Instant) -> Result<(), Rejected> {
        let mut inner = self.inner();
        match inner.state {
            State::Closed => Ok(()),
            State::Open { until } if now < until => Err(Rejected),
            State::Open { .. } => {
                inner.state = State::HalfOpen {
                    admitted: 1,
                    succeeded: 0,
                };
                Ok(())
            }
            State::HalfOpen {
                ref mut admitted, ..
            } => {
                if *admitted < self.config.half_open_probes {
                    *admitted += 1;
                    Ok(())
                } else {
                    Err(Rejected)
                }
            }
        }
    }

    /// Records an admitted call's result. `failed` covers errors and timeouts; a success
    /// slower than `slow_call_ms` is recorded as a failure.
    pub fn record(&self, failed: bool, latency: Duration, now: Instant) {
        let failed = failed || latency > Duration::from_millis(self.config.slow_call_ms);
        let mut inner = self.inner();
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
                        inner.trips = 0;
                    }
                }
            }
            // A call admitted before the breaker opened: its result no longer matters.
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
