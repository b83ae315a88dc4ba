//! Channels and how payments are routed to them: `[[channels]]`, `[[routes]]`, `[routing]`
//! and the inbound `[limits]`.

use std::num::NonZeroU32;

use serde::{Deserialize, Serialize};

use super::{Config, ConfigError, bad};
use crate::domain::{ChannelId, Currency, MerchantId, Method};

/// An account at a provider. The keys here are common to every provider; the provider's own
/// (`[channels.alipay]`, a sandbox's `secret`, …) are in `section`, which the provider's
/// module reads and checks (see `provider::registry`), refusing keys it does not know.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct ChannelConfig {
    pub id: String,
    /// `sandbox`, `alipay`, `wechatpay` or `stripe`.
    pub provider: String,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Method names (`qr_code`, `web_page`, `app`, `jsapi`, `h5`, `card`); empty means every
    /// method the provider supports.
    #[serde(default)]
    pub methods: Vec<String>,
    /// ISO 4217 codes; empty means any.
    #[serde(default)]
    pub currencies: Vec<String>,
    /// How long one call to the channel may take before it counts as ambiguous.
    #[serde(default = "default_attempt_timeout_ms")]
    pub attempt_timeout_ms: u64,
    /// Smallest amount this channel takes, in minor units.
    #[serde(default)]
    pub min_amount_minor: i64,
    /// Largest amount this channel takes, in minor units (unset: no channel limit).
    #[serde(default)]
    pub max_amount_minor: Option<i64>,
    /// Lower is tried first under the `priority` strategy; ties keep config order.
    #[serde(default = "default_priority")]
    pub priority: i32,
    /// Share of traffic under the `weighted` strategy, relative to the other channels'.
    #[serde(default = "default_weight")]
    pub weight: u32,
    /// Outbound calls per second this channel may receive (the provider's QPS cap).
    #[serde(default)]
    pub rate_limit: Option<RateConfig>,
    #[serde(default)]
    pub breaker: BreakerConfig,
    /// Every other key of the channel: the provider's own.
    #[serde(flatten)]
    pub section: toml::Table,
}

/// Breaker settings (config `channels[].breaker`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
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

/// A token bucket: `per_second` sustained, up to `burst` at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RateConfig {
    pub per_second: u32,
    pub burst: u32,
}

impl RateConfig {
    /// The governor quota of this rate.
    pub fn quota(&self) -> governor::Quota {
        // Config validation has made both positive.
        let per_second = NonZeroU32::new(self.per_second).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(self.burst).unwrap_or(NonZeroU32::MIN);
        governor::Quota::per_second(per_second).allow_burst(burst)
    }
}

/// How a route orders its channels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Strategy {
    /// In order of `priority` (then as listed).
    #[default]
    Priority,
    /// First choice drawn by `weight`: a volume split.
    Weighted,
    /// Best recent success rate and latency first, with an exploration share.
    Adaptive,
}

/// A routing rule: payments matching every given criterion go to `channels` by `strategy`.
/// An empty criterion matches anything.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RouteConfig {
    pub name: String,
    #[serde(default)]
    pub methods: Vec<String>,
    #[serde(default)]
    pub currencies: Vec<String>,
    #[serde(default)]
    pub min_amount_minor: Option<i64>,
    #[serde(default)]
    pub max_amount_minor: Option<i64>,
    #[serde(default)]
    pub merchants: Vec<String>,
    /// Routing tags a request may carry (`CreatePaymentRequest.routing_tag`).
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub strategy: Strategy,
    pub channels: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RoutingConfig {
    /// The fallback channel list when no route matches; empty means every channel.
    pub default_channels: Vec<String>,
    pub default_strategy: Strategy,
    /// Share of adaptive decisions that try a channel other than the best one, so a
    /// recovered channel is noticed.
    pub exploration: f64,
}

impl Default for RoutingConfig {
    fn default() -> Self {
        Self {
            default_channels: Vec::new(),
            default_strategy: Strategy::Priority,
            exploration: 0.05,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// Every merchant's quota unless overridden.
    pub merchant: RateConfig,
    /// Per-merchant quotas.
    pub merchants: Vec<MerchantLimit>,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            merchant: RateConfig {
                per_second: 1_000,
                burst: 2_000,
            },
            merchants: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MerchantLimit {
    pub merchant_id: String,
    pub per_second: u32,
    pub burst: u32,
}

fn default_priority() -> i32 {
    100
}

fn default_weight() -> u32 {
    1
}

fn default_attempt_timeout_ms() -> u64 {
    10_000
}

fn yes() -> bool {
    true
}

/// Checks channels, routes and limits; with no channel configured, adds the default sandbox.
pub(super) fn validate(config: &mut Config) -> Result<(), ConfigError> {
    if config.channels.is_empty() {
        config.channels.push(ChannelConfig {
            id: "sandbox".into(),
            provider: "sandbox".into(),
            enabled: true,
            methods: Vec::new(),
            currencies: Vec::new(),
            attempt_timeout_ms: default_attempt_timeout_ms(),
            min_amount_minor: 0,
            max_amount_minor: None,
            priority: default_priority(),
            weight: default_weight(),
            rate_limit: None,
            breaker: BreakerConfig::default(),
            section: toml::Table::new(),
        });
    }
    let mut seen = std::collections::HashSet::new();
    for (i, c) in config.channels.iter().enumerate() {
        let key = |field: &str| format!("channels[{i}].{field}");
        if ChannelId::parse(&c.id).is_none() {
            return Err(bad(&key("id"), "must be 1-64 characters of [a-z0-9_-]"));
        }
        if !seen.insert(c.id.as_str()) {
            return Err(bad(&key("id"), format!("duplicate channel id {:?}", c.id)));
        }
        for m in &c.methods {
            if Method::parse(m).is_none() {
                return Err(bad(&key("methods"), format!("unknown method {m:?}")));
            }
        }
        for cur in &c.currencies {
            if Currency::parse(cur).is_none() {
                return Err(bad(&key("currencies"), format!("unknown currency {cur:?}")));
            }
        }
        if c.attempt_timeout_ms == 0 {
            return Err(bad(&key("attempt_timeout_ms"), "must be positive"));
        }
        // A shutdown must be able to wait for a call to this channel to answer.
        if c.attempt_timeout_ms > config.server.shutdown_grace_secs.saturating_mul(1000) {
            return Err(bad(
                &key("attempt_timeout_ms"),
                format!(
                    "must be at most server.shutdown_grace_secs ({} s), so a shutdown can \
                     wait for the channel's answer",
                    config.server.shutdown_grace_secs
                ),
            ));
        }
        if c.max_amount_minor
            .is_some_and(|max| max < c.min_amount_minor)
        {
            return Err(bad(
                &key("max_amount_minor"),
                "must be at least min_amount_minor",
            ));
        }
        if let Some(rate) = &c.rate_limit {
            validate_rate(rate, &key("rate_limit"))?;
        }
        c.breaker
            .validate()
            .map_err(|(field, why)| bad(&key(&format!("breaker.{field}")), why))?;
    }
    let channel_list = |key: String, list: &[String]| -> Result<(), ConfigError> {
        for id in list {
            if !seen.contains(id.as_str()) {
                return Err(bad(&key, format!("unknown channel {id:?}")));
            }
        }
        Ok(())
    };
    for (i, r) in config.routes.iter().enumerate() {
        let key = |field: &str| format!("routes[{i}].{field}");
        if r.channels.is_empty() {
            return Err(bad(&key("channels"), "must name at least one channel"));
        }
        channel_list(key("channels"), &r.channels)?;
        if let Some(m) = r.methods.iter().find(|m| Method::parse(m).is_none()) {
            return Err(bad(&key("methods"), format!("unknown method {m:?}")));
        }
        if let Some(c) = r.currencies.iter().find(|c| Currency::parse(c).is_none()) {
            return Err(bad(&key("currencies"), format!("unknown currency {c:?}")));
        }
        if let Some(m) = r
            .merchants
            .iter()
            .find(|m| m.parse::<MerchantId>().is_err())
        {
            return Err(bad(&key("merchants"), format!("not a merchant id: {m:?}")));
        }
    }
    channel_list(
        "routing.default_channels".into(),
        &config.routing.default_channels,
    )?;
    if !(0.0..=0.5).contains(&config.routing.exploration) {
        return Err(bad("routing.exploration", "must be between 0 and 0.5"));
    }
    validate_rate(&config.limits.merchant, "limits.merchant")?;
    for (i, m) in config.limits.merchants.iter().enumerate() {
        let key = format!("limits.merchants[{i}]");
        if m.merchant_id.parse::<MerchantId>().is_err() {
            return Err(bad(&format!("{key}.merchant_id"), "not a merchant id"));
        }
        validate_rate(
            &RateConfig {
                per_second: m.per_second,
                burst: m.burst,
            },
            &key,
        )?;
    }
    Ok(())
}

fn validate_rate(rate: &RateConfig, key: &str) -> Result<(), ConfigError> {
    if rate.per_second == 0 || rate.burst == 0 {
        return Err(bad(key, "per_second and burst must be positive"));
    }
    Ok(())
}
