//! Typed configuration: built-in defaults, then an optional TOML file, then `PAYCORE_*`
//! environment variables, validated once at start-up. Nothing reads the environment later.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::domain::{ChannelId, Currency, MerchantId, Method, Secret};
use crate::routing::breaker::BreakerConfig;

/// A configuration problem, naming the key (or variable) at fault.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {0}")]
pub struct ConfigError(String);

fn bad(key: &str, why: impl std::fmt::Display) -> ConfigError {
    ConfigError(format!("{key}: {why}"))
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub payments: PaymentsConfig,
    /// Accounts at providers. When none are configured, one sandbox channel named `sandbox`.
    pub channels: Vec<ChannelConfig>,
    /// Rules choosing channels for a payment, first match wins.
    pub routes: Vec<RouteConfig>,
    /// What applies when no route matches.
    pub routing: RoutingConfig,
    /// Inbound request quotas per merchant.
    pub limits: LimitsConfig,
    /// The background settling of uncertain payments and refunds.
    pub sweeper: SweeperConfig,
    /// Outbound webhooks to merchants.
    pub webhooks: WebhooksConfig,
    /// OpenTelemetry traces.
    pub tracing: TracingConfig,
}

/// Where traces go. Off unless `otlp_endpoint` is set.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TracingConfig {
    /// An OTLP/gRPC collector, e.g. `http://127.0.0.1:4317`. Unset: no traces are exported.
    pub otlp_endpoint: Option<String>,
    /// The share of new traces recorded, 0.0 to 1.0. A call that arrives with a W3C
    /// `traceparent` follows its caller's sampling decision instead.
    pub sample_ratio: f64,
    /// The `service.name` resource attribute.
    pub service_name: String,
}

impl Default for TracingConfig {
    fn default() -> Self {
        Self {
            otlp_endpoint: None,
            sample_ratio: 1.0,
            service_name: "paycore".into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebhooksConfig {
    pub enabled: bool,
    /// Delay before each try: the first is usually 0 (at once); after the last, a delivery
    /// fails (and may be re-sent with RedeliverEvent).
    pub schedule_ms: Vec<u64>,
    /// Each delay varies by up to this share either way.
    pub jitter: f64,
    /// How long one try may take.
    pub timeout_ms: u64,
    /// Let webhooks reach loopback and private addresses (tests, private networks).
    pub allow_private: bool,
    /// How often the dispatcher looks for work (it also looks whenever a try ends).
    pub poll_ms: u64,
    /// Most tries one node has in flight at once.
    pub concurrency: u32,
    /// Most tries in flight to one endpoint (URL) at once, across all nodes.
    pub per_endpoint: u32,
}

impl Default for WebhooksConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            schedule_ms: vec![
                0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
            ],
            jitter: 0.1,
            timeout_ms: 15_000,
            allow_private: false,
            poll_ms: 500,
            concurrency: 32,
            per_endpoint: 8,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SweeperConfig {
    pub enabled: bool,
    /// Time between passes; also the first retry delay for an item that did not settle.
    pub interval_ms: u64,
    /// An UNKNOWN payment is queried once it has been so this long.
    pub unknown_after_secs: u64,
    /// A PENDING payment is queried (in case its notification was lost) after this long.
    pub pending_after_secs: u64,
    /// A PENDING refund is queried after this long.
    pub refund_after_secs: u64,
    /// A placement still unanswered after this long is presumed dead (its node crashed or
    /// lost the database mid-call): the payment becomes UNKNOWN and is queried. Keep it
    /// above the longest placement (attempt timeouts of every channel tried).
    pub abandoned_after_secs: u64,
    /// An UNKNOWN payment whose channel has answered "no such order" on this many checks in
    /// a row, over at least `not_found_after_secs` since it became UNKNOWN, is closed at the
    /// channel and ended (FAILED and retryable, or CLOSED past its expiry).
    pub not_found_checks: u32,
    pub not_found_after_secs: u64,
}

impl Default for SweeperConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            interval_ms: 5_000,
            unknown_after_secs: 10,
            pending_after_secs: 300,
            refund_after_secs: 30,
            abandoned_after_secs: 120,
            not_found_checks: 3,
            not_found_after_secs: 600,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    pub grpc_addr: SocketAddr,
    pub http_addr: SocketAddr,
    /// How buyers and providers reach the HTTP port (checkout links, callback URLs). Defaults
    /// to `http://` + the bound HTTP address.
    pub public_url: Option<String>,
    /// The key AdminService calls must carry. AdminService refuses every call without one.
    pub operator_key: Option<Secret<String>>,
    /// How long a shutdown waits for in-flight requests.
    pub shutdown_grace_secs: u64,
    /// A tracing filter, e.g. `info` or `paycore=debug,info`.
    pub log: String,
    /// How log lines are written: `human` or `json` (one object a line).
    pub log_format: LogFormat,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Human,
    Json,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            grpc_addr: SocketAddr::from(([127, 0, 0, 1], 50051)),
            http_addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
            operator_key: None,
            shutdown_grace_secs: 30,
            log: "info".into(),
            log_format: LogFormat::Human,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// `sqlite://path/to/file.db` (created with its directory on first run) or
    /// `postgres://user:password@host:port/database`.
    pub url: String,
    /// PostgreSQL: connections per node in the pool (reads and background work); the write
    /// batcher keeps one more of its own.
    pub max_connections: u32,
    /// PostgreSQL: the longest one statement may run.
    pub statement_timeout_ms: u64,
    /// PostgreSQL: how long a request waits for a connection (or the write batcher to open
    /// its own) before failing UNAVAILABLE.
    pub acquire_timeout_ms: u64,
    /// PostgreSQL: how long startup keeps retrying while the database is unreachable.
    pub connect_retry_secs: u64,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: "sqlite://./data/paycore.db".into(),
            max_connections: 16,
            statement_timeout_ms: 5_000,
            acquire_timeout_ms: 2_000,
            connect_retry_secs: 30,
        }
    }
}

impl DatabaseConfig {
    /// Whether the URL names a PostgreSQL database.
    pub fn is_postgres(&self) -> bool {
        self.url.starts_with("postgres://") || self.url.starts_with("postgresql://")
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PaymentsConfig {
    /// The largest amount one payment may have, in minor units.
    pub max_amount_minor: i64,
    /// How long a buyer has to pay when the request does not say.
    pub default_expiry_secs: u64,
    /// The longest expiry a request may ask for.
    pub max_expiry_secs: u64,
    /// How long a duplicate create waits for the first one's channel call to finish.
    pub in_flight_wait_ms: u64,
    /// How long after being paid a payment may be refunded.
    pub refund_window_secs: u64,
    /// Refund a payment its buyer paid after paycore had closed or failed it, at once and in
    /// full, instead of leaving that to the merchant.
    pub refund_paid_after_close: bool,
}

impl Default for PaymentsConfig {
    fn default() -> Self {
        Self {
            max_amount_minor: 100_000_000,
            default_expiry_secs: 2 * 3600,
            max_expiry_secs: 15 * 24 * 3600,
            in_flight_wait_ms: 15_000,
            refund_window_secs: 365 * 24 * 3600,
            refund_paid_after_close: false,
        }
    }
}

/// The provider a channel talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    Sandbox,
    Alipay,
    Wechatpay,
    Stripe,
}

/// A Stripe account (`[channels.stripe]`): the secret API key and the webhook endpoint's
/// signing secret, each from a file or an environment variable.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StripeConfig {
    #[serde(default)]
    pub secret_key_file: Option<PathBuf>,
    #[serde(default)]
    pub secret_key_env: Option<String>,
    #[serde(default)]
    pub webhook_secret_file: Option<PathBuf>,
    #[serde(default)]
    pub webhook_secret_env: Option<String>,
    #[serde(default = "default_stripe_base")]
    pub base_url: String,
}

fn default_stripe_base() -> String {
    "https://api.stripe.com".into()
}

/// A WeChat Pay merchant account, API v3 (`[channels.wechatpay]`). Keys as for Alipay; the
/// 32-byte APIv3 key from a file or an environment variable.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WechatpayConfig {
    pub mchid: String,
    pub appid: String,
    /// Serial number of the merchant API certificate.
    pub merchant_serial_no: String,
    #[serde(default)]
    pub private_key_file: Option<PathBuf>,
    #[serde(default)]
    pub private_key_env: Option<String>,
    /// The WeChat Pay platform public key and its id (`PUB_KEY_ID_…` or a certificate serial).
    #[serde(default)]
    pub platform_public_key_file: Option<PathBuf>,
    #[serde(default)]
    pub platform_public_key_env: Option<String>,
    pub platform_serial: String,
    #[serde(default)]
    pub api_v3_key_file: Option<PathBuf>,
    #[serde(default)]
    pub api_v3_key_env: Option<String>,
    #[serde(default = "default_wechatpay_base")]
    pub base_url: String,
    /// Where WeChat Pay posts notifications; defaults to `{public_url}/callbacks/{channel id}`.
    #[serde(default)]
    pub notify_url: Option<String>,
}

fn default_wechatpay_base() -> String {
    "https://api.mch.weixin.qq.com".into()
}

/// An Alipay account (`[channels.alipay]`). Keys are PEM (PKCS#1 or PKCS#8), from a file or
/// from an environment variable named here; they are read once at start-up and never logged.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlipayConfig {
    pub app_id: String,
    #[serde(default)]
    pub private_key_file: Option<PathBuf>,
    #[serde(default)]
    pub private_key_env: Option<String>,
    #[serde(default)]
    pub alipay_public_key_file: Option<PathBuf>,
    #[serde(default)]
    pub alipay_public_key_env: Option<String>,
    #[serde(default = "default_alipay_gateway")]
    pub gateway_url: String,
    /// Where Alipay posts notifications; defaults to `{public_url}/callbacks/{channel id}`.
    #[serde(default)]
    pub notify_url: Option<String>,
}

fn default_alipay_gateway() -> String {
    "https://openapi.alipay.com/gateway.do".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelConfig {
    pub id: String,
    pub provider: ProviderKind,
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
    /// Alipay: the account, keys and gateway (required when `provider = "alipay"`).
    #[serde(default)]
    pub alipay: Option<AlipayConfig>,
    /// WeChat Pay: the merchant account, keys and base URL (when `provider = "wechatpay"`).
    #[serde(default)]
    pub wechatpay: Option<WechatpayConfig>,
    /// Stripe: the account's keys and base URL (when `provider = "stripe"`).
    #[serde(default)]
    pub stripe: Option<StripeConfig>,
    /// Sandbox: the key its notifications are signed with (random per process when unset).
    #[serde(default)]
    pub secret: Option<Secret<String>>,
}

/// A token bucket: `per_second` sustained, up to `burst` at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateConfig {
    pub per_second: u32,
    pub burst: u32,
}

/// How a route orders its channels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
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
#[derive(Debug, Clone, Deserialize)]
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

#[derive(Debug, Clone, Deserialize)]
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

#[derive(Debug, Clone, Deserialize)]
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

#[derive(Debug, Clone, Deserialize)]
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

/// The environment variables paycore reads, and what each sets.
pub const ENV_VARS: &[(&str, &str)] = &[
    ("PAYCORE_CONFIG", "path of the TOML config file"),
    ("PAYCORE_DATABASE_URL", "database.url"),
    ("PAYCORE_GRPC_ADDR", "server.grpc_addr"),
    ("PAYCORE_HTTP_ADDR", "server.http_addr"),
    ("PAYCORE_PUBLIC_URL", "server.public_url"),
    ("PAYCORE_OPERATOR_KEY", "server.operator_key"),
    ("PAYCORE_LOG", "server.log"),
    ("PAYCORE_LOG_FORMAT", "server.log_format"),
    ("PAYCORE_OTLP_ENDPOINT", "tracing.otlp_endpoint"),
    ("PAYCORE_TRACE_SAMPLE_RATIO", "tracing.sample_ratio"),
];

impl Config {
    /// Defaults, then the file at `path` if any, then `env` (the process environment, passed
    /// in so tests can give their own), validated.
    pub fn load<I>(path: Option<&Path>, env: I) -> Result<Self, ConfigError>
    where
        I: IntoIterator<Item = (String, String)>,
    {
        match path {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| bad(&path.display().to_string(), e))?;
                Self::parse(&text, env)
                    .map_err(|ConfigError(e)| ConfigError(format!("{}: {e}", path.display())))
            }
            None => Self::parse("", env),
        }
    }

    /// Defaults, then the TOML `text`, then `env`, validated.
    pub fn parse<I>(text: &str, env: I) -> Result<Self, ConfigError>
    where
        I: IntoIterator<Item = (String, String)>,
    {
        let mut config: Config =
            toml::from_str(text).map_err(|e| ConfigError(e.to_string().trim_end().to_owned()))?;
        for (key, value) in env {
            if key.starts_with("PAYCORE_") {
                config.set_env(&key, value)?;
            }
        }
        config.validate()?;
        Ok(config)
    }

    fn set_env(&mut self, key: &str, value: String) -> Result<(), ConfigError> {
        let addr = |v: &str| {
            v.parse::<SocketAddr>()
                .map_err(|e| bad(key, format!("{e}: {v:?}")))
        };
        match key {
            "PAYCORE_CONFIG" => {}
            "PAYCORE_DATABASE_URL" => self.database.url = value,
            "PAYCORE_GRPC_ADDR" => self.server.grpc_addr = addr(&value)?,
            "PAYCORE_HTTP_ADDR" => self.server.http_addr = addr(&value)?,
            "PAYCORE_PUBLIC_URL" => self.server.public_url = Some(value),
            "PAYCORE_OPERATOR_KEY" => self.server.operator_key = Some(Secret::new(value)),
            "PAYCORE_LOG" => self.server.log = value,
            "PAYCORE_LOG_FORMAT" => {
                self.server.log_format = match value.as_str() {
                    "human" => LogFormat::Human,
                    "json" => LogFormat::Json,
                    _ => return Err(bad(key, format!("must be human or json, not {value:?}"))),
                }
            }
            "PAYCORE_OTLP_ENDPOINT" => {
                self.tracing.otlp_endpoint = Some(value).filter(|v| !v.is_empty());
            }
            "PAYCORE_TRACE_SAMPLE_RATIO" => {
                self.tracing.sample_ratio = value
                    .parse()
                    .map_err(|_| bad(key, format!("not a number: {value:?}")))?;
            }
            _ => {
                let known: Vec<&str> = ENV_VARS.iter().map(|(k, _)| *k).collect();
                return Err(bad(
                    key,
                    format!("unknown variable; known: {}", known.join(", ")),
                ));
            }
        }
        Ok(())
    }

    fn validate(&mut self) -> Result<(), ConfigError> {
        if !self.database.url.starts_with("sqlite:") && !self.database.is_postgres() {
            return Err(bad(
                "database.url",
                "must start with sqlite:, postgres:// or postgresql://",
            ));
        }
        let t = &self.tracing;
        if !(0.0..=1.0).contains(&t.sample_ratio) {
            return Err(bad("tracing.sample_ratio", "must be between 0.0 and 1.0"));
        }
        if t.otlp_endpoint
            .as_deref()
            .is_some_and(|e| !(e.starts_with("http://") || e.starts_with("https://")))
        {
            return Err(bad(
                "tracing.otlp_endpoint",
                "must start with http:// or https://",
            ));
        }
        if t.service_name.trim().is_empty() {
            return Err(bad("tracing.service_name", "must not be empty"));
        }
        if self.database.max_connections == 0 {
            return Err(bad("database.max_connections", "must be at least 1"));
        }
        if let Some(url) = &mut self.server.public_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(bad(
                    "server.public_url",
                    "must start with http:// or https://",
                ));
            }
            while url.ends_with('/') {
                url.pop();
            }
        }
        if self
            .server
            .operator_key
            .as_ref()
            .is_some_and(|k| k.expose().len() < 16)
        {
            return Err(bad("server.operator_key", "must be at least 16 characters"));
        }
        let p = &self.payments;
        if p.max_amount_minor <= 0 {
            return Err(bad("payments.max_amount_minor", "must be positive"));
        }
        if p.max_expiry_secs < 60 {
            return Err(bad("payments.max_expiry_secs", "must be at least 60"));
        }
        if !(60..=p.max_expiry_secs).contains(&p.default_expiry_secs) {
            return Err(bad(
                "payments.default_expiry_secs",
                "must be between 60 and payments.max_expiry_secs",
            ));
        }
        if self.channels.is_empty() {
            self.channels.push(ChannelConfig {
                id: "sandbox".into(),
                provider: ProviderKind::Sandbox,
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
                alipay: None,
                wechatpay: None,
                stripe: None,
                secret: None,
            });
        }
        let mut seen = std::collections::HashSet::new();
        for (i, c) in self.channels.iter().enumerate() {
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
            if c.attempt_timeout_ms > self.server.shutdown_grace_secs.saturating_mul(1000) {
                return Err(bad(
                    &key("attempt_timeout_ms"),
                    format!(
                        "must be at most server.shutdown_grace_secs ({} s), so a shutdown can \
                         wait for the channel's answer",
                        self.server.shutdown_grace_secs
                    ),
                ));
            }
            if c.secret.as_ref().is_some_and(|s| s.expose().len() < 16) {
                return Err(bad(&key("secret"), "must be at least 16 characters"));
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
            match (c.provider, &c.wechatpay) {
                (ProviderKind::Wechatpay, None) => {
                    return Err(bad(
                        &key("wechatpay"),
                        "is required for provider \"wechatpay\"",
                    ));
                }
                (ProviderKind::Wechatpay, Some(w)) => {
                    for (field, value) in [
                        ("mchid", &w.mchid),
                        ("appid", &w.appid),
                        ("merchant_serial_no", &w.merchant_serial_no),
                        ("platform_serial", &w.platform_serial),
                    ] {
                        if value.is_empty() {
                            return Err(bad(
                                &key(&format!("wechatpay.{field}")),
                                "must not be empty",
                            ));
                        }
                    }
                    one_source(
                        &key("wechatpay.private_key"),
                        &w.private_key_file,
                        &w.private_key_env,
                    )?;
                    one_source(
                        &key("wechatpay.api_v3_key"),
                        &w.api_v3_key_file,
                        &w.api_v3_key_env,
                    )?;
                    one_source(
                        &key("wechatpay.platform_public_key"),
                        &w.platform_public_key_file,
                        &w.platform_public_key_env,
                    )?;
                    if !(w.base_url.starts_with("https://") || w.base_url.starts_with("http://")) {
                        return Err(bad(&key("wechatpay.base_url"), "must be an http(s) URL"));
                    }
                }
                (_, Some(_)) => {
                    return Err(bad(&key("wechatpay"), "only for provider \"wechatpay\""));
                }
                (_, None) => {}
            }
            match (c.provider, &c.stripe) {
                (ProviderKind::Stripe, None) => {
                    return Err(bad(&key("stripe"), "is required for provider \"stripe\""));
                }
                (ProviderKind::Stripe, Some(s)) => {
                    one_source(
                        &key("stripe.secret_key"),
                        &s.secret_key_file,
                        &s.secret_key_env,
                    )?;
                    one_source(
                        &key("stripe.webhook_secret"),
                        &s.webhook_secret_file,
                        &s.webhook_secret_env,
                    )?;
                    if !(s.base_url.starts_with("https://") || s.base_url.starts_with("http://")) {
                        return Err(bad(&key("stripe.base_url"), "must be an http(s) URL"));
                    }
                }
                (_, Some(_)) => {
                    return Err(bad(&key("stripe"), "only for provider \"stripe\""));
                }
                (_, None) => {}
            }
            match (c.provider, &c.alipay) {
                (ProviderKind::Alipay, None) => {
                    return Err(bad(&key("alipay"), "is required for provider \"alipay\""));
                }
                (ProviderKind::Alipay, Some(a)) => {
                    if a.app_id.is_empty() {
                        return Err(bad(&key("alipay.app_id"), "must not be empty"));
                    }
                    one_source(
                        &key("alipay.private_key"),
                        &a.private_key_file,
                        &a.private_key_env,
                    )?;
                    one_source(
                        &key("alipay.alipay_public_key"),
                        &a.alipay_public_key_file,
                        &a.alipay_public_key_env,
                    )?;
                    if !(a.gateway_url.starts_with("https://")
                        || a.gateway_url.starts_with("http://"))
                    {
                        return Err(bad(&key("alipay.gateway_url"), "must be an http(s) URL"));
                    }
                }
                (_, Some(_)) => {
                    return Err(bad(&key("alipay"), "only for provider \"alipay\""));
                }
                (_, None) => {}
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
        for (i, r) in self.routes.iter().enumerate() {
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
            &self.routing.default_channels,
        )?;
        if !(0.0..=0.5).contains(&self.routing.exploration) {
            return Err(bad("routing.exploration", "must be between 0 and 0.5"));
        }
        if self.webhooks.schedule_ms.is_empty() {
            return Err(bad("webhooks.schedule_ms", "must have at least one entry"));
        }
        if !(0.0..1.0).contains(&self.webhooks.jitter) {
            return Err(bad("webhooks.jitter", "must be in [0, 1)"));
        }
        if self.webhooks.concurrency == 0 || self.webhooks.per_endpoint == 0 {
            return Err(bad(
                "webhooks.concurrency",
                "concurrency and per_endpoint must be positive",
            ));
        }
        if self.webhooks.timeout_ms == 0 || self.webhooks.poll_ms == 0 {
            return Err(bad(
                "webhooks.timeout_ms",
                "timeout_ms and poll_ms must be positive",
            ));
        }
        if self.sweeper.interval_ms == 0 {
            return Err(bad("sweeper.interval_ms", "must be positive"));
        }
        if self.sweeper.not_found_checks == 0 {
            return Err(bad("sweeper.not_found_checks", "must be positive"));
        }
        validate_rate(&self.limits.merchant, "limits.merchant")?;
        for (i, m) in self.limits.merchants.iter().enumerate() {
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
}

/// A key read from a file or from an environment variable: exactly one must be set.
fn one_source(key: &str, file: &Option<PathBuf>, env: &Option<String>) -> Result<(), ConfigError> {
    if file.is_some() == env.is_some() {
        return Err(bad(
            &format!("{key}_file"),
            format!("set exactly one of {key}_file and {key}_env"),
        ));
    }
    Ok(())
}

fn validate_rate(rate: &RateConfig, key: &str) -> Result<(), ConfigError> {
    if rate.per_second == 0 || rate.burst == 0 {
        return Err(bad(key, "per_second and burst must be positive"));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
