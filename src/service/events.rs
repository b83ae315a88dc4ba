//! The event stream a merchant watches: read from the outbox in order, so a consumer that
//! reconnects with its cursor misses nothing and sees nothing twice, and a slow consumer
//! only slows its own reads (each stream holds a small buffer, never a backlog).
//!
//! An idle stream does not poll the database: it reads again when this node commits events
//! of its merchant (the storage announces each commit that adds events), and otherwise only
//! every `events.poll_ms`, for what other nodes commit. Either way it reads the committed
//! outbox from its cursor, so a wake only says when to read, never what.

mod slots;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast::{self, error::RecvError, error::TryRecvError};
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::Error;
use crate::config::EventsConfig;
use crate::domain::{MerchantId, Timestamp};
use crate::metrics::Metrics;
use crate::storage::{Committed, Store};
/// An event as stored, and its deliveries to the merchant's webhook URL.
pub use crate::storage::{Delivery, DeliveryStatus, StoredEvent};
use slots::Slots;

/// Events read per query.
const BATCH: u32 = 100;
/// Events buffered per stream before reads wait for the consumer.
const BUFFER: usize = 16;

pub struct Events {
    store: Arc<dyn Store>,
    /// How often an idle stream looks for new events that no commit here announced.
    poll: Duration,
    /// Each merchant's open streams, at most `events.max_streams_per_merchant`.
    slots: Arc<Slots>,
    metrics: Arc<Metrics>,
}

impl Events {
    pub fn new(store: Arc<dyn Store>, config: &EventsConfig, metrics: Arc<Metrics>) -> Self {
        Self {
            store,
            poll: Duration::from_millis(config.poll_ms),
            slots: Slots::new(config.max_streams_per_merchant, metrics.clone()),
            metrics,
        }
    }

    /// The merchant's webhook deliveries newest first; the page token is the last one's
    /// position.
    pub async fn deliveries(
        &self,
        merchant: &MerchantId,
        page_size: i32,
        page_token: &str,
    ) -> Result<(Vec<Delivery>, String), Error> {
        let size = super::page_size(page_size, 20, 100)?;
        let before = match page_token {
            "" => None,
            t => Some(t.parse::<i64>().map_err(|_| {
                Error::invalid(
                    "page_token",
                    "INVALID_PAGE_TOKEN",
                    "is not a token this list issued",
                )
            })?),
        };
        let mut list = self
            .store
            .list_deliveries(merchant, before, size + 1)
            .await?;
        let next = if list.len() > size as usize {
            list.truncate(size as usize);
            list.last()
                .map(|d| d.event_seq.to_string())
                .unwrap_or_default()
        } else {
            String::new()
        };
        Ok((list, next))
    }

    /// Schedules an event's webhook again, now.
    pub async fn redeliver(
        &self,
        merchant: &MerchantId,
        event_id: &str,
        now: Timestamp,
    ) -> Result<Delivery, Error> {
        self.store
            .redeliver(merchant, event_id, now)
            .await?
            .ok_or(Error::EventNotFound)
    }

    /// Streams `merchant`'s events after `cursor` ("" = from now, "0" = from the beginning),
    /// only those whose type is in `types` when it is not empty. The stream ends when the
    /// receiver is dropped. Refused when the merchant has as many streams open here as it may.
    pub async fn watch(
        &self,
        merchant: MerchantId,
        cursor: &str,
        types: Vec<String>,
    ) -> Result<mpsc::Receiver<Result<StoredEvent, Error>>, Error> {
        // Before anything is read: a refused stream costs the database nothing.
        let slot = self.slots.take(&merchant).ok_or(Error::TooManyStreams {
            limit: self.slots.max(),
        })?;
        // Subscribed before the first read, so every commit that read may miss is announced.
        let mut commits = self.store.subscribe_commits();
        let mut after = match cursor {
            "" => self.store.last_event_seq().await?,
            c => c
                .parse::<i64>()
                .ok()
                .filter(|seq| *seq >= 0)
                .ok_or_else(|| {
                    Error::invalid("cursor", "INVALID_CURSOR", "must be a cursor from an event")
                })?,
        };
        let (tx, rx) = mpsc::channel(BUFFER);
        let store = self.store.clone();
        let metrics = self.metrics.clone();
        let poll = self.poll;
        tokio::spawn(async move {
            // Held for as long as the stream runs.
            let _slot = slot;
            loop {
                // Announcements already waiting are answered by this read.
                while let Ok(_) | Err(TryRecvError::Lagged(_)) = commits.try_recv() {}
                metrics.event_stream_read();
                let batch = match store.events_after(&merchant, after, BATCH).await {
                    Ok(batch) => batch,
                    Err(e) => {
                        let _ = tx.send(Err(e.into())).await;
                        return;
                    }
                };
                // A full batch may have more behind it; a short one was all there was, and
                // whatever committed since is announced on `commits`.
                let caught_up = batch.len() < BATCH as usize;
                for event in batch {
                    after = event.seq;
                    if (types.is_empty() || types.contains(&event.event_type))
                        && tx.send(Ok(event)).await.is_err()
                    {
                        return;
                    }
                }
                if caught_up && !wait(&mut commits, &merchant, poll, &tx).await {
                    return;
                }
            }
        });
        Ok(rx)
    }
}

/// Waits until `merchant` may have new events: a commit on this node added some (or the
/// announcements were missed), or `poll` passed, for other nodes' commits. False when the
/// consumer is gone, so the stream ends (and frees its slot) without waiting for either.
async fn wait<T>(
    commits: &mut broadcast::Receiver<Committed>,
    merchant: &MerchantId,
    poll: Duration,
    consumer: &mpsc::Sender<T>,
) -> bool {
    // Other merchants' commits do not put the poll off.
    let deadline = Instant::now() + poll;
    loop {
        tokio::select! {
            () = consumer.closed() => return false,
            () = tokio::time::sleep_until(deadline) => return true,
            announced = commits.recv() => match announced {
                Ok(commit) if !commit.has_events_of(merchant) => {}
                Ok(_) | Err(RecvError::Lagged(_)) => return true,
                // The writer has stopped: nothing more is announced, only the poll is left.
                Err(RecvError::Closed) => {
                    return tokio::select! {
                        () = consumer.closed() => false,
                        () = tokio::time::sleep_until(deadline) => true,
                    };
                }
            },
        }
    }
}
