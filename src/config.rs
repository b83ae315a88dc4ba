//! Typed configuration: built-in defaults, then an optional TOML file, then `PAYCORE_*`
//! environment variables, validated once at start-up. Nothing reads the environment later.

mod channels;
mod reconciliation;
mod risk;
mod sections;
mod server;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use channels::{
    BreakerConfig, ChannelConfig, LimitsConfig, MerchantLimit, RateConfig, RouteConfig,
    RoutingConfig, Strategy,
};
pub use reconciliation::{ReconciliationConfig, ScheduleConfig};
pub use risk::{RiskConfig, parse_offset};
pub use sections::{
    DatabaseConfig, EventsConfig, PaymentsConfig, SweeperConfig, TracingConfig, WebhooksConfig,
};
pub use server::{LogFormat, ServerConfig, TlsConfig};

use crate::domain::Secret;
use crate::domain::secret::is_printable_ascii;

/// A configuration problem, naming the key (or variable) at fault.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {0}")]
pub struct ConfigError(String);

fn bad(key: &str, why: impl std::fmt::Display) -> ConfigError {
    ConfigError(format!("{key}: {why}"))
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
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
    /// WatchEvents streams.
    pub events: EventsConfig,
    /// OpenTelemetry traces.
    pub tracing: TracingConfig,
    /// Matching providers' statements against paycore's books.
    pub reconciliation: ReconciliationConfig,
    /// Risk rules decided before any channel is called.
    pub risk: RiskConfig,
}

/// The environment variables paycore reads, and what each sets.
pub const ENV_VARS: &[(&str, &str)] = &[
    ("PAYCORE_CONFIG", "path of the TOML config file"),
    ("PAYCORE_DATABASE_URL", "database.url"),
    ("PAYCORE_GRPC_ADDR", "server.grpc_addr"),
    ("PAYCORE_HTTP_ADDR", "server.http_addr"),
    ("PAYCORE_PUBLIC_URL", "server.public_url"),
    ("PAYCORE_OPERATOR_KEY", "server.operator_key"),
    ("PAYCORE_ALLOW_PLAINTEXT", "server.allow_plaintext"),
    ("PAYCORE_TLS_CERT_FILE", "server.tls.cert_file"),
    ("PAYCORE_TLS_KEY_FILE", "server.tls.key_file"),
    ("PAYCORE_TLS_CLIENT_CA_FILE", "server.tls.client_ca_file"),
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
        // An empty value unsets a file.
        let path = |v: String| Some(PathBuf::from(v)).filter(|p| !p.as_os_str().is_empty());
        match key {
            "PAYCORE_CONFIG" => {}
            "PAYCORE_DATABASE_URL" => self.database.url = value,
            "PAYCORE_GRPC_ADDR" => self.server.grpc_addr = addr(&value)?,
            "PAYCORE_HTTP_ADDR" => self.server.http_addr = addr(&value)?,
            "PAYCORE_PUBLIC_URL" => self.server.public_url = Some(value),
            "PAYCORE_OPERATOR_KEY" => self.server.operator_key = Some(Secret::new(value)),
            "PAYCORE_ALLOW_PLAINTEXT" => {
                self.server.allow_plaintext = match value.as_str() {
                    "true" => true,
                    "false" => false,
                    _ => return Err(bad(key, format!("must be true or false, not {value:?}"))),
                }
            }
            "PAYCORE_TLS_CERT_FILE" => self.server.tls.cert_file = path(value),
            "PAYCORE_TLS_KEY_FILE" => self.server.tls.key_file = path(value),
            "PAYCORE_TLS_CLIENT_CA_FILE" => self.server.tls.client_ca_file = path(value),
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
        self.server.validate()?;
        if let Some(k) = &self.server.operator_key
            && !(k.expose().len() >= 16 && is_printable_ascii(k.expose()))
        {
            return Err(bad(
                "server.operator_key",
                "must be at least 16 printable ASCII characters, no spaces",
            ));
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
        channels::validate(self)?;
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
        self.webhooks
            .allowed_networks()
            .map_err(|e| bad("webhooks.allow_networks", e))?;
        if self.events.poll_ms == 0 {
            return Err(bad("events.poll_ms", "must be positive"));
        }
        if self.events.max_streams_per_merchant == 0 {
            return Err(bad("events.max_streams_per_merchant", "must be positive"));
        }
        if self.sweeper.interval_ms == 0 {
            return Err(bad("sweeper.interval_ms", "must be positive"));
        }
        if self.sweeper.not_found_checks == 0 {
            return Err(bad("sweeper.not_found_checks", "must be positive"));
        }
        let channels: Vec<&str> = self.channels.iter().map(|c| c.id.as_str()).collect();
        self.reconciliation.validate(&channels)?;
        self.risk.rule_set()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
