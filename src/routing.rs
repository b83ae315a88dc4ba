//! Routing: which channels a payment goes to and in which order (routes and strategies),
//! and whether a channel may be called right now (enabled, circuit breaker, outbound rate
//! limit). Failover itself — trying the next channel only when one certainly did not take
//! the order — is in the payments service, which owns the attempts.

pub mod breaker;
mod rules;
pub mod stats;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use governor::middleware::StateInformationMiddleware;
use governor::{DefaultDirectRateLimiter, RateLimiter};
use rand::Rng;
use tokio::time::Instant;

use self::breaker::{Breaker, Permit};
use self::rules::Route;
use self::stats::Stats;
use crate::config::{ChannelConfig, Config, RateConfig};
use crate::domain::{ChannelId, Currency, MerchantId, Method, Money};
use crate::provider::{ChannelFailure, FailureKind, Provider};

/// The failure code of a call cut short by the caller's deadline rather than the channel's
/// attempt timeout: ambiguous for the payment, not counted against the channel.
pub const CALLER_DEADLINE: &str = "CALLER_DEADLINE";

/// Why a channel was passed over at call time. The code is recorded on a skipped attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    Disabled,
    BreakerOpen,
    RateLimited,
    NoTimeLeft,
}

impl Skip {
    pub fn code(self) -> &'static str {
        match self {
            Self::Disabled => "CHANNEL_DISABLED",
            Self::BreakerOpen => "BREAKER_OPEN",
            Self::RateLimited => "RATE_LIMITED",
            Self::NoTimeLeft => "NO_TIME_LEFT",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::Disabled => "the channel is disabled",
            Self::BreakerOpen => "the channel's circuit breaker is open",
            Self::RateLimited => "the channel is at its outbound rate limit",
            Self::NoTimeLeft => "the caller's deadline left no time for this channel",
        }
    }
}

/// One configured account at one provider: its adapter, what it takes, and its health.
pub struct Channel {
    pub id: ChannelId,
    pub methods: Vec<Method>,
    /// Empty means any currency.
    pub currencies: Vec<Currency>,
    pub min_amount_minor: i64,
    pub max_amount_minor: Option<i64>,
    pub priority: i32,
    pub weight: u32,
    /// How long one call may take before it counts as ambiguous.
    pub attempt_timeout: Duration,
    pub provider: Arc<dyn Provider>,
    pub breaker: Breaker,
    pub stats: Stats,
    enabled: AtomicBool,
    limiter: Option<Limiter>,
}

/// A channel's outbound limit, remembering what was left after the last admitted call.
struct Limiter {
    rate: RateConfig,
    limiter: DefaultDirectRateLimiter<StateInformationMiddleware>,
    /// Tokens left after the last admitted call, and when.
    last: Mutex<(u32, Instant)>,
}

impl Limiter {
    fn new(rate: RateConfig) -> Self {
        Self {
            rate,
            limiter: RateLimiter::direct(rate.quota()).with_middleware(),
            last: Mutex::new((rate.burst, Instant::now())),
        }
    }

    fn check(&self, now: Instant) -> bool {
        match self.limiter.check() {
            Ok(snapshot) => {
                *self.last.lock().unwrap_or_else(PoisonError::into_inner) =
                    (snapshot.remaining_burst_capacity(), now);
                true
            }
            Err(_) => false,
        }
    }

    /// Calls the limiter would admit now: what was left, refilled since (an estimate;
    /// governor does not expose its state without consuming it).
    fn headroom(&self, now: Instant) -> u32 {
        let (left, at) = *self.last.lock().unwrap_or_else(PoisonError::into_inner);
        let refilled = now.duration_since(at).as_secs_f64() * f64::from(self.rate.per_second);
        (f64::from(left) + refilled).min(f64::from(self.rate.burst)) as u32
    }
}

impl Channel {
    /// `methods` is what the channel takes (config, or everything its provider supports).
    pub fn new(config: &ChannelConfig, methods: Vec<Method>, provider: Arc<dyn Provider>) -> Self {
        Self {
            // Config validation has checked ids and currencies.
            id: ChannelId::parse(&config.id).unwrap_or_else(|| unreachable!("validated id")),
            methods,
            currencies: config
                .currencies
                .iter()
                .filter_map(|c| Currency::parse(c))
                .collect(),
            min_amount_minor: config.min_amount_minor,
            max_amount_minor: config.max_amount_minor,
            priority: config.priority,
            weight: config.weight,
            attempt_timeout: Duration::from_millis(config.attempt_timeout_ms),
            provider,
            breaker: Breaker::new(config.breaker.clone()),
            stats: Stats::default(),
            enabled: AtomicBool::new(config.enabled),
            limiter: config.rate_limit.map(Limiter::new),
        }
    }

    pub fn enabled(&self) -> bool {
        self.enabled.load(Ordering::Relaxed)
    }

    pub fn set_enabled(&self, enabled: bool) {
        self.enabled.store(enabled, Ordering::Relaxed);
    }

    /// Whether the channel can take such a payment at all (its configured capabilities).
    pub fn accepts(&self, method: Method, amount: Money) -> bool {
        self.methods.contains(&method)
            && (self.currencies.is_empty() || self.currencies.contains(&amount.currency))
            && amount.amount_minor >= self.min_amount_minor
            && self
                .max_amount_minor
                .is_none_or(|max| amount.amount_minor <= max)
    }

    /// Whether a call may go out now, and the breaker's permit for it. Report the call with
    /// `finish`; a permit dropped unreported counts for nothing.
    pub fn admit(&self, now: Instant) -> Result<Permit<'_>, Skip> {
        if !self.enabled() {
            return Err(Skip::Disabled);
        }
        if let Some(limiter) = &self.limiter
            && !limiter.check(now)
        {
            return Err(Skip::RateLimited);
        }
        self.breaker.try_acquire(now).map_err(|_| Skip::BreakerOpen)
    }

    /// Reports an admitted call: `ok` when the channel worked (it took the order or declined
    /// it as a business answer), not when it was unreachable or did not answer.
    pub fn finish(
        &self,
        permit: Permit<'_>,
        ok: bool,
        latency: Duration,
        error: Option<&str>,
        now: Instant,
    ) {
        permit.record(!ok, latency, now);
        self.stats.record(ok, latency, error);
    }

    /// Runs one call to this channel, bounded by its attempt timeout.
    pub async fn bounded<T>(
        &self,
        call: impl std::future::Future<Output = Result<T, ChannelFailure>>,
    ) -> Result<T, ChannelFailure> {
        self.bounded_within(None, call).await
    }

    /// Runs one call bounded by the attempt timeout and the caller's remaining `budget`.
    /// Running out of time is ambiguous, since the request may have arrived; when the
    /// caller's budget was the shorter bound the failure is `CALLER_DEADLINE`, which is not
    /// the channel's fault.
    pub async fn bounded_within<T>(
        &self,
        budget: Option<Duration>,
        call: impl std::future::Future<Output = Result<T, ChannelFailure>>,
    ) -> Result<T, ChannelFailure> {
        let by_caller = budget.is_some_and(|b| b < self.attempt_timeout);
        let timeout = budget.map_or(self.attempt_timeout, |b| b.min(self.attempt_timeout));
        tokio::time::timeout(timeout, call)
            .await
            .unwrap_or_else(|_| {
                Err(if by_caller {
                    ChannelFailure::new(
                        FailureKind::Ambiguous,
                        CALLER_DEADLINE,
                        "the caller's deadline ended the call before the channel answered",
                    )
                } else {
                    ChannelFailure::new(
                        FailureKind::Ambiguous,
                        "ATTEMPT_TIMEOUT",
                        "the channel did not answer in time",
                    )
                })
            })
    }

    /// Calls the outbound limiter would admit now, when the channel has a limit.
    pub fn limiter_headroom(&self, now: Instant) -> Option<u32> {
        self.limiter.as_ref().map(|l| l.headroom(now))
    }
}

/// What routing needs to know about a payment.
#[derive(Debug, Clone, Copy)]
pub struct RouteRequest<'a> {
    pub method: Method,
    pub amount: Money,
    pub merchant: &'a MerchantId,
    pub tag: Option<&'a str>,
    pub preferred: Option<&'a ChannelId>,
    pub excluded: &'a [ChannelId],
}

/// The configured channels and routes.
pub struct Router {
    channels: Vec<Arc<Channel>>,
    routes: Vec<Route>,
    fallback: Route,
    exploration: f64,
}

impl Router {
    /// Builds the router; `config` has been validated, so every name resolves.
    pub fn new(channels: Vec<Channel>, config: &Config) -> Self {
        let channels: Vec<Arc<Channel>> = channels.into_iter().map(Arc::new).collect();
        let index = |names: &[String]| -> Vec<usize> {
            names
                .iter()
                .filter_map(|n| channels.iter().position(|c| c.id.as_str() == n))
                .collect()
        };
        let routes = config
            .routes
            .iter()
            .map(|r| Route {
                name: r.name.clone(),
                methods: r.methods.iter().filter_map(|m| Method::parse(m)).collect(),
                currencies: r
                    .currencies
                    .iter()
                    .filter_map(|c| Currency::parse(c))
                    .collect(),
                min_amount_minor: r.min_amount_minor,
                max_amount_minor: r.max_amount_minor,
                merchants: r.merchants.iter().filter_map(|m| m.parse().ok()).collect(),
                tags: r.tags.clone(),
                strategy: r.strategy,
                channels: index(&r.channels),
            })
            .collect();
        let fallback_channels = if config.routing.default_channels.is_empty() {
            (0..channels.len()).collect()
        } else {
            index(&config.routing.default_channels)
        };
        let fallback = Route {
            name: "default".into(),
            methods: Vec::new(),
            currencies: Vec::new(),
            min_amount_minor: None,
            max_amount_minor: None,
            merchants: Vec::new(),
            tags: Vec::new(),
            strategy: config.routing.default_strategy,
            channels: fallback_channels,
        };
        Self {
            channels,
            routes,
            fallback,
            exploration: config.routing.exploration,
        }
    }

    pub fn channels(&self) -> &[Arc<Channel>] {
        &self.channels
    }

    pub fn channel(&self, id: &ChannelId) -> Option<&Arc<Channel>> {
        self.channels.iter().find(|c| &c.id == id)
    }

    /// Whether any enabled channel takes `method` (in some currency).
    pub fn supports_method(&self, method: Method) -> bool {
        self.channels
            .iter()
            .any(|c| c.enabled() && c.methods.contains(&method))
    }

    /// The channels to try for a payment, first choice first: the first matching route's
    /// channels (or the default list) that can take the payment and are not excluded,
    /// ordered by the route's strategy, with the preferred channel moved to the front.
    /// Health is checked later, per call, so skips are recorded.
    pub fn plan(&self, req: &RouteRequest<'_>, rng: &mut impl Rng) -> Vec<Arc<Channel>> {
        let route = self
            .routes
            .iter()
            .find(|r| r.matches(req))
            .unwrap_or(&self.fallback);
        let candidates: Vec<usize> = route
            .channels
            .iter()
            .copied()
            .filter(|&i| {
                let c = &self.channels[i];
                c.accepts(req.method, req.amount) && !req.excluded.contains(&c.id)
            })
            .collect();
        tracing::debug!(route = %route.name, candidates = candidates.len(), "route chosen");
        let mut ordered = rules::order(
            route.strategy,
            &self.channels,
            candidates,
            self.exploration,
            rng,
        );
        if let Some(preferred) = req.preferred
            && let Some(pos) = ordered
                .iter()
                .position(|&i| &self.channels[i].id == preferred)
        {
            let first = ordered.remove(pos);
            ordered.insert(0, first);
        }
        ordered
            .into_iter()
            .map(|i| self.channels[i].clone())
            .collect()
    }
}

#[cfg(test)]
mod tests;
