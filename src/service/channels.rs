//! Operator controls over channels: their health, enabling them, sandbox fault drills.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use super::Error;
use crate::domain::ChannelId;
/// A sandbox channel's injected faults, and a breaker's state, as a view shows them.
pub use crate::provider::sandbox::{FaultMode, Faults};
pub use crate::routing::breaker::BreakerState;
use crate::routing::stats::Snapshot;
use crate::routing::{Channel, Router};

/// The longest latency a drill may add.
pub const MAX_ADDED_LATENCY: Duration = Duration::from_secs(60);

/// A channel as an operator sees it on this node.
pub struct ChannelView {
    pub channel: Arc<Channel>,
    pub breaker: BreakerState,
    pub stats: Snapshot,
    pub limiter_headroom: Option<u32>,
    /// Present for sandbox channels.
    pub faults: Option<Faults>,
}

pub struct Channels {
    router: Arc<Router>,
}

impl Channels {
    pub fn new(router: Arc<Router>) -> Self {
        Self { router }
    }

    fn view(channel: &Arc<Channel>) -> ChannelView {
        let now = Instant::now();
        ChannelView {
            channel: channel.clone(),
            breaker: channel.breaker.state(now),
            stats: channel.stats.snapshot(),
            limiter_headroom: channel.limiter_headroom(now),
            faults: channel.provider.as_sandbox().map(|s| s.faults()),
        }
    }

    fn find(&self, id: &str) -> Result<&Arc<Channel>, Error> {
        ChannelId::parse(id)
            .and_then(|id| self.router.channel(&id))
            .ok_or(Error::ChannelNotFound)
    }

    pub fn list(&self) -> Vec<ChannelView> {
        self.router.channels().iter().map(Self::view).collect()
    }

    pub fn set_enabled(&self, id: &str, enabled: bool) -> Result<ChannelView, Error> {
        let channel = self.find(id)?;
        channel.set_enabled(enabled);
        tracing::info!(channel = %channel.id, enabled, "channel enabled state changed by operator");
        Ok(Self::view(channel))
    }

    pub fn set_faults(&self, id: &str, faults: Faults) -> Result<ChannelView, Error> {
        let channel = self.find(id)?;
        let sandbox = channel
            .provider
            .as_sandbox()
            .ok_or(Error::NotASandboxChannel)?;
        if !(0.0..=1.0).contains(&faults.failure_rate) {
            return Err(Error::invalid(
                "faults.failure_rate",
                "INVALID_RATE",
                "must be between 0 and 1",
            ));
        }
        if faults.added_latency > MAX_ADDED_LATENCY {
            return Err(Error::invalid(
                "faults.added_latency",
                "TOO_LONG",
                "must be at most 60 s",
            ));
        }
        sandbox.set_faults(faults);
        tracing::warn!(channel = %channel.id, ?faults, "sandbox faults injected by operator");
        Ok(Self::view(channel))
    }
}
