//! The service-wide sections: `[database]`, `[payments]`, `[sweeper]`,
//! `[webhooks]`, `[events]` and `[tracing]`.

use serde::{Deserialize, Serialize};

use crate::domain::Cidr;
use crate::domain::network::CidrError;

/// Where traces go. Off unless `otlp_endpoint` is set.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
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

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
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
    /// Let webhooks reach any address, the special-purpose ones included (loopback,
    /// private, link-local, cloud metadata...): the address guard is off. For tests.
    pub allow_private: bool,
    /// Networks in CIDR notation (`10.20.0.0/16`) webhooks may reach although they are
    /// special-purpose addresses, e.g. a receiver on the internal network.
    pub allow_networks: Vec<String>,
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
            allow_networks: Vec::new(),
            poll_ms: 500,
            concurrency: 32,
            per_endpoint: 8,
        }
    }
}

impl WebhooksConfig {
    /// `allow_networks`, parsed (validation checks they parse).
    pub fn allowed_networks(&self) -> Result<Vec<Cidr>, CidrError> {
        self.allow_networks.iter().map(|n| n.parse()).collect()
    }
}

/// WatchEvents streams.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct EventsConfig {
    /// How often an idle stream reads the outbox anyway. A commit on this node wakes its
    /// streams at once; this is how soon they see another node's commits.
    pub poll_ms: u64,
    /// Most streams one node holds open for one merchant; one more is refused
    /// RESOURCE_EXHAUSTED (`TOO_MANY_STREAMS`).
    pub max_streams_per_merchant: u32,
}

impl Default for EventsConfig {
    fn default() -> Self {
        Self {
            poll_ms: 1_000,
            max_streams_per_merchant: 16,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
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

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// `sqlite://path/to/file.db` (created with its directory on first run) or
    /// `postgres://user:password@host:port/database`, with TLS set by libpq's `sslmode` and
    /// `sslrootcert` parameters (`?sslmode=verify-full&sslrootcert=/path/ca.crt`).
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

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
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
