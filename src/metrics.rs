//! Metrics for operators, served as Prometheus text at `GET /metrics` on the HTTP port: RPCs
//! by method and code, channel attempts by outcome with their latency, breaker states,
//! channel and merchant rate-limit rejections, webhook deliveries, sweeper actions and event
//! streams.

use std::time::Duration;

use tokio::time::Instant;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::routing::Router;
use crate::routing::breaker::BreakerState;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Rpc {
    method: String,
    code: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Method {
    method: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ChannelOutcome {
    channel: String,
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ChannelLabel {
    channel: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct MerchantLabel {
    merchant: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Outcome {
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PortLabel {
    port: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PortReason {
    port: &'static str,
    reason: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ChannelStatus {
    channel: String,
    status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ChannelKind {
    channel: String,
    kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Decision {
    decision: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RuleMatch {
    rule: String,
    action: &'static str,
    mode: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Action {
    action: String,
}

type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

/// 0.5 ms to about 16 s, doubling.
fn latency_buckets() -> Histogram {
    Histogram::new(exponential_buckets(0.0005, 2.0, 16))
}

/// Every metric paycore keeps; one per process, shared by the parts that count.
pub struct Metrics {
    registry: Registry,
    rpcs: Family<Rpc, Counter>,
    rpc_seconds: Histograms<Method>,
    attempts: Family<ChannelOutcome, Counter>,
    attempt_seconds: Histograms<ChannelLabel>,
    breaker: Family<ChannelLabel, Gauge>,
    limiter_rejections: Family<ChannelLabel, Counter>,
    rate_limited: Family<MerchantLabel, Counter>,
    deliveries: Family<Outcome, Counter>,
    backlog: Gauge,
    oldest_pending: Gauge<f64, std::sync::atomic::AtomicU64>,
    sweeper: Family<Action, Counter>,
    refunds_requiring_attention: Family<ChannelLabel, Counter>,
    paid_after_close: Family<ChannelLabel, Counter>,
    connections: Family<PortLabel, Gauge>,
    connections_closed: Family<PortReason, Counter>,
    event_streams: Gauge,
    event_stream_reads: Counter,
    reconciliation_runs: Family<ChannelStatus, Counter>,
    reconciliation_differences: Family<ChannelKind, Counter>,
    reconciliation_open: Family<ChannelLabel, Gauge>,
    reconciliation_minor: Family<ChannelKind, Counter>,
    risk_decisions: Family<Decision, Counter>,
    risk_matches: Family<RuleMatch, Counter>,
}

/// Webhook deliveries waiting, read from the database at scrape time.
pub struct Backlog {
    pub pending: i64,
    /// Age of the oldest waiting delivery.
    pub oldest: Option<Duration>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("paycore");
        let rpcs = Family::<Rpc, Counter>::default();
        registry.register(
            "grpc_requests",
            "gRPC calls by method and status code",
            rpcs.clone(),
        );
        let rpc_seconds: Histograms<Method> = Family::new_with_constructor(latency_buckets);
        registry.register(
            "grpc_request_duration_seconds",
            "Time to answer a gRPC call, by method",
            rpc_seconds.clone(),
        );
        let attempts = Family::<ChannelOutcome, Counter>::default();
        registry.register(
            "channel_attempts",
            "Tries of a payment at a channel, by outcome (accepted, declined, not_processed, \
             ambiguous, skipped)",
            attempts.clone(),
        );
        let attempt_seconds: Histograms<ChannelLabel> =
            Family::new_with_constructor(latency_buckets);
        registry.register(
            "channel_attempt_duration_seconds",
            "Time a channel took to answer a payment",
            attempt_seconds.clone(),
        );
        let breaker = Family::<ChannelLabel, Gauge>::default();
        registry.register(
            "channel_breaker_state",
            "Circuit breaker: 0 closed, 1 half-open, 2 open",
            breaker.clone(),
        );
        let limiter_rejections = Family::<ChannelLabel, Counter>::default();
        registry.register(
            "channel_limiter_rejections",
            "Payments that passed over a channel at its outbound rate limit",
            limiter_rejections.clone(),
        );
        let rate_limited = Family::<MerchantLabel, Counter>::default();
        registry.register(
            "merchant_rate_limited",
            "Calls refused because the merchant was over its quota",
            rate_limited.clone(),
        );
        let deliveries = Family::<Outcome, Counter>::default();
        registry.register(
            "webhook_deliveries",
            "Webhook tries by outcome (delivered, retry, failed)",
            deliveries.clone(),
        );
        let backlog = Gauge::default();
        registry.register(
            "webhook_backlog",
            "Webhook deliveries waiting for a try (all nodes)",
            backlog.clone(),
        );
        let oldest_pending = Gauge::<f64, std::sync::atomic::AtomicU64>::default();
        registry.register(
            "webhook_oldest_pending_seconds",
            "Age of the oldest webhook delivery still waiting (0 when none)",
            oldest_pending.clone(),
        );
        let sweeper = Family::<Action, Counter>::default();
        registry.register(
            "sweeper_actions",
            "What the sweeper did (abandoned, settled, expired, refund_settled)",
            sweeper.clone(),
        );
        let refunds_requiring_attention = Family::<ChannelLabel, Counter>::default();
        registry.register(
            "refunds_requiring_attention",
            "Refunds a provider could not complete and asks to be handled by hand (amount \
             still reserved)",
            refunds_requiring_attention.clone(),
        );
        let paid_after_close = Family::<ChannelLabel, Counter>::default();
        registry.register(
            "payments_paid_after_close",
            "Payments a channel reported paid after paycore had closed or failed them (the \
             buyer may need a refund)",
            paid_after_close.clone(),
        );
        let connections = Family::<PortLabel, Gauge>::default();
        registry.register(
            "connections",
            "Client connections open, by port (grpc, http)",
            connections.clone(),
        );
        let connections_closed = Family::<PortReason, Counter>::default();
        registry.register(
            "connections_refused",
            "Connections closed before serving a request, by port and reason (limit: the \
             port held max_connections, all of them serving; evicted: made room for a new \
             connection before saying anything; handshake: TLS failed; timeout: no handshake \
             or first request bytes in time)",
            connections_closed.clone(),
        );
        let event_streams = Gauge::default();
        registry.register(
            "event_streams",
            "WatchEvents streams open on this node",
            event_streams.clone(),
        );
        let event_stream_reads = Counter::default();
        registry.register(
            "event_stream_reads",
            "Outbox reads by WatchEvents streams (a commit on this node wakes its merchant's \
             streams; an idle stream reads every events.poll_ms)",
            event_stream_reads.clone(),
        );
        let reconciliation_runs = Family::<ChannelStatus, Counter>::default();
        registry.register(
            "reconciliation_runs",
            "Reconciliation runs ended, by channel and status (COMPLETED, FAILED)",
            reconciliation_runs.clone(),
        );
        let reconciliation_differences = Family::<ChannelKind, Counter>::default();
        registry.register(
            "reconciliation_differences",
            "Differences reconciliation runs found, by channel and kind (a re-run counts \
             what it finds again)",
            reconciliation_differences.clone(),
        );
        let reconciliation_open = Family::<ChannelLabel, Gauge>::default();
        registry.register(
            "reconciliation_open_differences",
            "Differences open for an operator, by channel, as of this node's last run or \
             resolution",
            reconciliation_open.clone(),
        );
        let reconciliation_minor = Family::<ChannelKind, Counter>::default();
        registry.register(
            "reconciliation_statement_minor",
            "Amounts on completed runs' statements in minor units, by channel and kind \
             (payments, refunds, fees)",
            reconciliation_minor.clone(),
        );
        let risk_decisions = Family::<Decision, Counter>::default();
        registry.register(
            "risk_decisions",
            "Risk decisions on new payments, by decision (allow, review, block)",
            risk_decisions.clone(),
        );
        let risk_matches = Family::<RuleMatch, Counter>::default();
        registry.register(
            "risk_rule_matches",
            "Risk rules that matched new payments, by rule, action and mode (shadow matches \
             too)",
            risk_matches.clone(),
        );
        Self {
            registry,
            rpcs,
            rpc_seconds,
            attempts,
            attempt_seconds,
            breaker,
            limiter_rejections,
            rate_limited,
            deliveries,
            backlog,
            oldest_pending,
            sweeper,
            refunds_requiring_attention,
            paid_after_close,
            connections,
            connections_closed,
            event_streams,
            event_stream_reads,
            reconciliation_runs,
            reconciliation_differences,
            reconciliation_open,
            reconciliation_minor,
            risk_decisions,
            risk_matches,
        }
    }
}

impl Metrics {
    /// One gRPC call: `method` as `package.Service/Method`, `code` as gRPC spells it.
    pub fn rpc(&self, method: String, code: &'static str, took: Duration) {
        self.rpcs
            .get_or_create(&Rpc {
                method: method.clone(),
                code,
            })
            .inc();
        self.rpc_seconds
            .get_or_create(&Method { method })
            .observe(took.as_secs_f64());
    }

    /// One try at a channel; `latency` when the channel was called.
    pub fn attempt(&self, channel: &str, outcome: &str, latency: Option<Duration>) {
        let label = ChannelLabel {
            channel: channel.to_owned(),
        };
        self.attempts
            .get_or_create(&ChannelOutcome {
                channel: channel.to_owned(),
                outcome: outcome.to_owned(),
            })
            .inc();
        if let Some(latency) = latency {
            self.attempt_seconds
                .get_or_create(&label)
                .observe(latency.as_secs_f64());
        }
    }

    pub fn limiter_rejection(&self, channel: &str) {
        self.limiter_rejections
            .get_or_create(&ChannelLabel {
                channel: channel.to_owned(),
            })
            .inc();
    }

    pub fn rate_limited(&self, merchant: &str) {
        self.rate_limited
            .get_or_create(&MerchantLabel {
                merchant: merchant.to_owned(),
            })
            .inc();
    }

    pub fn delivery(&self, outcome: &str) {
        self.deliveries
            .get_or_create(&Outcome {
                outcome: outcome.to_owned(),
            })
            .inc();
    }

    pub fn refund_requires_attention(&self, channel: &str) {
        self.refunds_requiring_attention
            .get_or_create(&ChannelLabel {
                channel: channel.to_owned(),
            })
            .inc();
    }

    /// A reconciliation run of `channel` ended in `status`.
    pub fn reconciliation_run(&self, channel: &str, status: &'static str) {
        self.reconciliation_runs
            .get_or_create(&ChannelStatus {
                channel: channel.to_owned(),
                status,
            })
            .inc();
    }

    /// The risk rules decided on a new payment.
    pub fn risk_evaluation(&self, evaluation: &crate::domain::risk::Evaluation) {
        self.risk_decisions
            .get_or_create(&Decision {
                decision: evaluation.decision.as_str(),
            })
            .inc();
        for m in &evaluation.matches {
            self.risk_matches
                .get_or_create(&RuleMatch {
                    rule: m.rule_id.clone(),
                    action: m.action.as_str(),
                    mode: m.mode.as_str(),
                })
                .inc();
        }
    }

    /// A completed run found `count` differences of `kind`.
    pub fn reconciliation_differences(&self, channel: &str, kind: &'static str, count: u64) {
        self.reconciliation_differences
            .get_or_create(&ChannelKind {
                channel: channel.to_owned(),
                kind,
            })
            .inc_by(count);
    }

    /// A completed run's statement amounts (`payments`, `refunds`, `fees`).
    pub fn reconciliation_amount(&self, channel: &str, kind: &'static str, minor: i64) {
        self.reconciliation_minor
            .get_or_create(&ChannelKind {
                channel: channel.to_owned(),
                kind,
            })
            .inc_by(u64::try_from(minor).unwrap_or(0));
    }

    /// How many of `channel`'s differences are open.
    pub fn reconciliation_open(&self, channel: &str, open: i64) {
        self.reconciliation_open
            .get_or_create(&ChannelLabel {
                channel: channel.to_owned(),
            })
            .set(open);
    }

    pub fn paid_after_close(&self, channel: &str) {
        self.paid_after_close
            .get_or_create(&ChannelLabel {
                channel: channel.to_owned(),
            })
            .inc();
    }

    /// A connection opened (`+1`) or closed (`-1`) on `port`.
    pub fn connection(&self, port: &'static str, delta: i64) {
        self.connections
            .get_or_create(&PortLabel { port })
            .inc_by(delta);
    }

    /// A connection closed before it was served, and why.
    pub fn connection_refused(&self, port: &'static str, reason: &'static str) {
        self.connections_closed
            .get_or_create(&PortReason { port, reason })
            .inc();
    }

    /// A WatchEvents stream opened (`+1`) or ended (`-1`).
    pub fn event_stream(&self, delta: i64) {
        self.event_streams.inc_by(delta);
    }

    /// A WatchEvents stream read the outbox.
    pub fn event_stream_read(&self) {
        self.event_stream_reads.inc();
    }

    pub fn swept(&self, action: &str, count: usize) {
        if count > 0 {
            self.sweeper
                .get_or_create(&Action {
                    action: action.to_owned(),
                })
                .inc_by(count as u64);
        }
    }

    /// The OpenMetrics text, with breaker states read now and the webhook backlog as read
    /// from the database (left as it was when the database did not answer).
    pub fn render(&self, router: &Router, backlog: Option<Backlog>) -> String {
        if let Some(backlog) = backlog {
            self.backlog.set(backlog.pending);
            self.oldest_pending
                .set(backlog.oldest.map_or(0.0, |age| age.as_secs_f64()));
        }
        let now = Instant::now();
        for channel in router.channels() {
            let state = match channel.breaker.state(now) {
                BreakerState::Closed => 0,
                BreakerState::HalfOpen => 1,
                BreakerState::Open => 2,
            };
            self.breaker
                .get_or_create(&ChannelLabel {
                    channel: channel.id.to_string(),
                })
                .set(state);
        }
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// The example alert rules and dashboard (in `ops/`) use only metrics paycore exports.
    #[test]
    fn the_alerts_and_the_dashboard_use_exported_metrics() {
        let metrics = Metrics::default();
        metrics.rpc(
            "paycore.v1.PaymentService/CreatePayment".into(),
            "OK",
            Duration::ZERO,
        );
        metrics.attempt("sandbox", "accepted", Some(Duration::ZERO));
        metrics.limiter_rejection("sandbox");
        metrics.rate_limited("mch_x");
        metrics.delivery("delivered");
        metrics.swept("settled", 1);
        metrics.refund_requires_attention("sandbox");
        metrics.paid_after_close("sandbox");
        metrics.reconciliation_run("sandbox", "COMPLETED");
        metrics.reconciliation_differences("sandbox", "DUPLICATE", 1);
        metrics.reconciliation_amount("sandbox", "fees", 1);
        metrics.reconciliation_open("sandbox", 1);
        // Breaker states are read from the router's channels; none here.
        metrics
            .breaker
            .get_or_create(&ChannelLabel {
                channel: "sandbox".into(),
            })
            .set(0);
        let router = Router::new(Vec::new(), &crate::config::Config::default());
        let text = metrics.render(
            &router,
            Some(Backlog {
                pending: 0,
                oldest: None,
            }),
        );
        let exported: BTreeSet<&str> = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split(['{', ' ']).next())
            .collect();
        for (file, content) in [
            ("alerts.yml", include_str!("../ops/prometheus/alerts.yml")),
            ("paycore.json", include_str!("../ops/grafana/paycore.json")),
        ] {
            let used: BTreeSet<&str> = content
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|w| w.starts_with("paycore_"))
                .collect();
            assert!(!used.is_empty(), "{file}");
            for name in used {
                assert!(exported.contains(name), "{file} uses {name}, not exported");
            }
        }
    }
}
