//! Routing: which channels a payment may go to, in which order.

pub mod breaker;

use std::sync::Arc;
use std::time::Duration;

use crate::domain::{ChannelId, Currency, Method, Payment};
use crate::provider::Provider;

/// One configured account at one provider, with the adapter that talks to it.
pub struct Channel {
    pub id: ChannelId,
    pub enabled: bool,
    pub methods: Vec<Method>,
    /// Empty means any currency.
    pub currencies: Vec<Currency>,
    /// How long one call may take before it counts as ambiguous.
    pub attempt_timeout: Duration,
    pub provider: Arc<dyn Provider>,
}

impl Channel {
    /// Whether this channel can take `payment` at all.
    pub fn accepts(&self, method: Method, currency: Currency) -> bool {
        self.enabled
            && self.methods.contains(&method)
            && (self.currencies.is_empty() || self.currencies.contains(&currency))
    }
}

/// The configured channels, in priority order.
pub struct Router {
    channels: Vec<Arc<Channel>>,
}

impl Router {
    pub fn new(channels: Vec<Channel>) -> Self {
        Self {
            channels: channels.into_iter().map(Arc::new).collect(),
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
            .any(|c| c.enabled && c.methods.contains(&method))
    }

    /// The channels to try for `payment`, first choice first.
    pub fn candidates(&self, payment: &Payment) -> Vec<Arc<Channel>> {
        self.channels
            .iter()
            .filter(|c| c.accepts(payment.method, payment.amount.currency))
            .cloned()
            .collect()
    }
}
