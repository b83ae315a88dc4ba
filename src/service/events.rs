//! The event stream a merchant watches: read from the outbox in order, so a consumer that
//! reconnects with its cursor misses nothing and sees nothing twice, and a slow consumer
//! only slows its own reads (each stream holds a small buffer, never a backlog).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;

use super::Error;
use crate::domain::{MerchantId, Timestamp};
use crate::storage::Store;
/// An event as stored, and its deliveries to the merchant's webhook URL.
pub use crate::storage::{Delivery, DeliveryStatus, StoredEvent};

/// Events read per query.
const BATCH: u32 = 100;
/// Events buffered per stream before reads wait for the consumer.
const BUFFER: usize = 16;

pub struct Events {
    store: Arc<dyn Store>,
    /// How often an idle stream looks for new events.
    poll: Duration,
}

impl Events {
    pub fn new(store: Arc<dyn Store>, poll: Duration) -> Self {
        Self { store, poll }
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
    /// receiver is dropped.
    pub async fn watch(
        &self,
        merchant: MerchantId,
        cursor: &str,
        types: Vec<String>,
    ) -> Result<mpsc::Receiver<Result<StoredEvent, Error>>, Error> {
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
        let poll = self.poll;
        tokio::spawn(async move {
            loop {
                let batch = match store.events_after(&merchant, after, BATCH).await {
                    Ok(batch) => batch,
                    Err(e) => {
                        let _ = tx.send(Err(e.into())).await;
                        return;
                    }
                };
                if batch.is_empty() {
                    if tx.is_closed() {
                        return;
                    }
                    tokio::time::sleep(poll).await;
                    continue;
                }
                for event in batch {
                    after = event.seq;
                    if (types.is_empty() || types.contains(&event.event_type))
                        && tx.send(Ok(event)).await.is_err()
                    {
                        return;
                    }
                }
            }
        });
        Ok(rx)
    }
}
