//! Recent behaviour of one channel: success rate and latency (for adaptive routing and the
//! operator's view), calls in flight, and the last error.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// How many recent latencies the percentiles are computed over.
const LATENCY_SAMPLES: usize = 512;
/// Weight of the newest call in the moving success rate and latency.
const ALPHA: f64 = 0.1;

#[derive(Debug)]
struct Inner {
    success_rate: f64,
    latency_ms: f64,
    latencies: VecDeque<Duration>,
    last_error: Option<String>,
}

#[derive(Debug)]
pub struct Stats {
    inner: Mutex<Inner>,
    in_flight: AtomicUsize,
}

/// A copy of the numbers, for operators.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub success_rate: f64,
    pub latency_p50: Duration,
    pub latency_p99: Duration,
    pub in_flight: usize,
    pub last_error: Option<String>,
}

/// Marks a call in flight until dropped.
pub struct InFlight<'a>(&'a Stats);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Default for Stats {
    fn default() -> Self {
        Self {
            inner: Mutex::new(Inner {
                // A new channel is presumed healthy until it shows otherwise.
                success_rate: 1.0,
                latency_ms: 0.0,
                latencies: VecDeque::with_capacity(LATENCY_SAMPLES),
                last_error: None,
            }),
            in_flight: AtomicUsize::new(0),
        }
    }
}

impl Stats {
    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn start(&self) -> InFlight<'_> {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(self)
    }

    /// Records a finished call; `error` is the channel's code when it failed.
    pub fn record(&self, ok: bool, latency: Duration, error: Option<&str>) {
        let mut inner = self.inner();
        let hit = if ok { 1.0 } else { 0.0 };
        inner.success_rate += ALPHA * (hit - inner.success_rate);
        inner.latency_ms += ALPHA * (latency.as_secs_f64() * 1000.0 - inner.latency_ms);
        if inner.latencies.len() == LATENCY_SAMPLES {
            inner.latencies.pop_front();
        }
        inner.latencies.push_back(latency);
        if let Some(code) = error {
            inner.last_error = Some(code.to_owned());
        }
    }

    /// Higher is better: the moving success rate, less up to 0.1 for latency (one second
    /// of average latency costs the full 0.1).
    pub fn score(&self) -> f64 {
        let inner = self.inner();
        inner.success_rate - (inner.latency_ms / 10_000.0).min(0.1)
    }

    pub fn snapshot(&self) -> Snapshot {
        let inner = self.inner();
        let mut sorted: Vec<Duration> = inner.latencies.iter().copied().collect();
        sorted.sort_unstable();
        let pick = |q: f64| {
            if sorted.is_empty() {
                Duration::ZERO
            } else {
                sorted[((sorted.len() - 1) as f64 * q).round() as usize]
            }
        };
        Snapshot {
            success_rate: inner.success_rate,
            latency_p50: pick(0.5),
            latency_p99: pick(0.99),
            in_flight: self.in_flight.load(Ordering::Relaxed),
            last_error: inner.last_error.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_percentiles_follow_the_calls() {
        let s = Stats::default();
        for ms in 1..=100 {
            s.record(true, Duration::from_millis(ms), None);
        }
        let snap = s.snapshot();
        assert_eq!(snap.latency_p50, Duration::from_millis(51));
        assert_eq!(snap.latency_p99, Duration::from_millis(99));
        assert!((snap.success_rate - 1.0).abs() < 1e-9);
        for _ in 0..30 {
            s.record(false, Duration::from_millis(1), Some("DOWN"));
        }
        let snap = s.snapshot();
        assert!(snap.success_rate < 0.05, "{}", snap.success_rate);
        assert_eq!(snap.last_error.as_deref(), Some("DOWN"));
        let guard = s.start();
        assert_eq!(s.snapshot().in_flight, 1);
        drop(guard);
        assert_eq!(s.snapshot().in_flight, 0);
    }
}
