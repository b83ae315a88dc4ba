//! What paycore reports about itself: readiness, database reachability and the metrics text.

use std::sync::Arc;
use std::time::Duration;

use crate::domain::Clock;
use crate::metrics::{Backlog, Metrics};
use crate::routing::Router;
use crate::storage::Store;

/// Why this node should not take traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NotReady {
    #[error("migrations not applied")]
    MigrationsMissing,
    #[error("database unavailable")]
    DatabaseUnavailable,
}

pub struct Status {
    store: Arc<dyn Store>,
    router: Arc<Router>,
    metrics: Arc<Metrics>,
    clock: Arc<dyn Clock>,
}

impl Status {
    pub fn new(
        store: Arc<dyn Store>,
        router: Arc<Router>,
        metrics: Arc<Metrics>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            store,
            router,
            metrics,
            clock,
        }
    }

    /// Ready when the database answers and has every migration this build needs.
    pub async fn ready(&self) -> Result<(), NotReady> {
        match self.store.migrations_applied().await {
            Ok(true) => Ok(()),
            Ok(false) => {
                tracing::warn!("not ready: the database lacks migrations this build needs");
                Err(NotReady::MigrationsMissing)
            }
            Err(e) => {
                tracing::warn!(error = %e, "not ready");
                Err(NotReady::DatabaseUnavailable)
            }
        }
    }

    /// Whether the database answers within `timeout`.
    pub async fn database_up(&self, timeout: Duration) -> bool {
        matches!(
            tokio::time::timeout(timeout, self.store.ping()).await,
            Ok(Ok(()))
        )
    }

    /// Every metric in the OpenMetrics text format, with the webhook backlog read now.
    pub async fn metrics_text(&self) -> String {
        let backlog = match self.store.delivery_backlog().await {
            Ok((pending, oldest)) => Some(Backlog {
                pending,
                oldest: oldest.map(|t| {
                    Duration::from_micros(
                        u64::try_from(self.clock.now().as_micros() - t.as_micros()).unwrap_or(0),
                    )
                }),
            }),
            Err(e) => {
                tracing::warn!(error = %e, "metrics without the webhook backlog");
                None
            }
        };
        self.metrics.render(&self.router, backlog)
    }
}
