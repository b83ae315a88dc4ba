//! The services of one running paycore, built from config: what the edges (gRPC, HTTP) and
//! the background workers are given. Each edge takes only the services it uses.

use std::sync::Arc;
use std::time::Duration;

use super::channels::Channels;
use super::events::Events;
use super::merchants::Merchants;
use super::notify::Notify;
use super::payments::Payments;
use super::reconciliation::Reconciler;
use super::refunds::Refunds;
use super::risk::Risk;
use super::status::Status;
use super::sweeper::Sweeper;
use super::webhooks::Dispatcher;
use super::webhooks::guard::{Guard, SystemLookup};
use super::webhooks::outbound::Outbound;
use crate::config::{ChannelConfig, Config, WebhooksConfig};
use crate::domain::{Clock, Method};
use crate::metrics::Metrics;
use crate::provider::executor::Executor;
use crate::provider::{self, SetupError};
use crate::routing::{Channel, Router};
use crate::storage::Store;

pub struct Services {
    pub store: Arc<dyn Store>,
    pub payments: Arc<Payments>,
    pub refunds: Arc<Refunds>,
    pub notify: Arc<Notify>,
    pub merchants: Arc<Merchants>,
    pub channels: Arc<Channels>,
    pub events: Arc<Events>,
    pub status: Arc<Status>,
    pub reconciler: Arc<Reconciler>,
    pub risk: Arc<Risk>,
    pub metrics: Arc<Metrics>,
    pub clock: Arc<dyn Clock>,
    router: Arc<Router>,
    /// Which addresses webhooks may reach, shared by the dispatcher and webhook URL checks.
    webhook_guard: Guard,
}

/// The webhook address guard `[webhooks]` describes, resolving names with the system
/// resolver.
pub fn webhook_guard(config: &WebhooksConfig) -> Result<Guard, SetupError> {
    Guard::new(config, Arc::new(SystemLookup)).map_err(|e| SetupError {
        key: "webhooks.allow_networks".into(),
        reason: e.to_string(),
    })
}

/// An HTTP client for calls to providers, or an error naming `key`.
fn executor(connect_timeout: Duration, key: &str) -> Result<Executor, SetupError> {
    Executor::new(connect_timeout).map_err(|e| SetupError {
        key: key.to_owned(),
        reason: format!("cannot build an HTTP client: {e}"),
    })
}

/// Builds one configured channel: its provider's adapter (reading its keys) and what it
/// takes.
fn channel(
    c: &ChannelConfig,
    key: &str,
    public_url: &str,
    executor: &Executor,
    clock: &Arc<dyn Clock>,
) -> Result<Channel, SetupError> {
    let context = provider::Context {
        key,
        channel_id: &c.id,
        public_url,
        executor,
        clock,
    };
    let adapter = provider::build_provider(&c.provider, &c.section, &context)?;
    let methods = if c.methods.is_empty() {
        adapter.supported_methods().to_vec()
    } else {
        c.methods.iter().filter_map(|m| Method::parse(m)).collect()
    };
    Ok(Channel::new(c, methods, adapter))
}

/// Every configured channel's adapter, built and checked; `public_url` is where buyers and
/// providers reach paycore's HTTP port.
pub fn build_channels(
    config: &Config,
    public_url: &str,
    clock: &Arc<dyn Clock>,
) -> Result<Vec<Channel>, SetupError> {
    let executor = executor(Duration::from_secs(3), "channels")?;
    config
        .channels
        .iter()
        .enumerate()
        .map(|(i, c)| channel(c, &format!("channels[{i}]"), public_url, &executor, clock))
        .collect()
}

impl Services {
    pub fn new(
        config: &Config,
        store: Arc<dyn Store>,
        channels: Vec<Channel>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, SetupError> {
        let webhook_guard = webhook_guard(&config.webhooks)?;
        let router = Arc::new(Router::new(channels, config));
        let metrics = Arc::new(Metrics::default());
        let risk =
            Risk::new(&config.risk, store.clone(), clock.clone()).map_err(|e| SetupError {
                key: "risk".into(),
                reason: e.to_string(),
            })?;
        let risk = Arc::new(risk);
        let refunds = Arc::new(Refunds::new(
            store.clone(),
            router.clone(),
            clock.clone(),
            Duration::from_secs(config.payments.refund_window_secs),
            metrics.clone(),
        ));
        let payments = Arc::new(Payments::new(
            store.clone(),
            router.clone(),
            clock.clone(),
            config.payments.clone(),
            metrics.clone(),
            risk.clone(),
        ));
        Ok(Self {
            reconciler: Arc::new(Reconciler::new(
                store.clone(),
                router.clone(),
                (payments.clone(), refunds.clone()),
                clock.clone(),
                metrics.clone(),
                config.reconciliation.clone(),
            )),
            payments,
            risk,
            notify: Arc::new(Notify::new(
                store.clone(),
                router.clone(),
                refunds.clone(),
                clock.clone(),
                metrics.clone(),
                config.payments.refund_paid_after_close,
            )),
            merchants: Arc::new(Merchants::new(
                store.clone(),
                clock.clone(),
                webhook_guard.clone(),
            )),
            channels: Arc::new(Channels::new(router.clone())),
            events: Arc::new(Events::new(store.clone(), &config.events, metrics.clone())),
            status: Arc::new(Status::new(
                store.clone(),
                router.clone(),
                metrics.clone(),
                clock.clone(),
            )),
            refunds,
            router,
            store,
            metrics,
            clock,
            webhook_guard,
        })
    }

    /// The webhook dispatcher, when `[webhooks]` enables it.
    pub fn dispatcher(&self, config: &Config) -> Result<Option<Dispatcher>, SetupError> {
        if !config.webhooks.enabled {
            return Ok(None);
        }
        let outbound =
            Outbound::new(self.webhook_guard.clone(), Duration::from_secs(5)).map_err(|e| {
                SetupError {
                    key: "webhooks".into(),
                    reason: format!("cannot build an HTTP client: {e}"),
                }
            })?;
        Ok(Some(Dispatcher::new(
            self.store.clone(),
            outbound,
            self.clock.clone(),
            config.webhooks.clone(),
            self.metrics.clone(),
        )))
    }

    /// The sweeper, when `[sweeper]` enables it. It treats a placement as abandoned only
    /// after the slowest channel's attempt timeout.
    pub fn sweeper(&self, config: &Config) -> Option<Sweeper> {
        config.sweeper.enabled.then(|| {
            Sweeper::new(
                self.store.clone(),
                self.payments.clone(),
                self.refunds.clone(),
                self.clock.clone(),
                config.sweeper.clone(),
                self.router
                    .channels()
                    .iter()
                    .map(|c| c.attempt_timeout)
                    .max()
                    .unwrap_or_default(),
                self.metrics.clone(),
            )
        })
    }
}
