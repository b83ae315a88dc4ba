//! The cap on the event streams one node holds open per merchant. A stream takes a slot
//! before it reads anything, and its task holds the slot until the stream ends, so one
//! merchant cannot fill a node with streams (each a task, a buffer and its reads).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::domain::MerchantId;
use crate::metrics::Metrics;

/// Each merchant's open streams on this node.
pub(super) struct Slots {
    max: u32,
    open: Mutex<HashMap<MerchantId, u32>>,
    metrics: Arc<Metrics>,
}

/// One open stream's place; given back when dropped.
pub(super) struct Slot {
    slots: Arc<Slots>,
    merchant: MerchantId,
}

impl Slots {
    /// At most `max` streams per merchant.
    pub(super) fn new(max: u32, metrics: Arc<Metrics>) -> Arc<Self> {
        Arc::new(Self {
            max,
            open: Mutex::new(HashMap::new()),
            metrics,
        })
    }

    /// The most streams a merchant may hold.
    pub(super) fn max(&self) -> u32 {
        self.max
    }

    /// A slot for another of `merchant`'s streams, or `None` when it holds `max` already.
    pub(super) fn take(self: &Arc<Self>, merchant: &MerchantId) -> Option<Slot> {
        {
            let mut open = self.lock();
            let held = open.entry(merchant.clone()).or_default();
            if *held >= self.max {
                return None;
            }
            *held += 1;
        }
        self.metrics.event_stream(1);
        Some(Slot {
            slots: self.clone(),
            merchant: merchant.clone(),
        })
    }

    /// The counts; a panic elsewhere while they were held leaves them consistent (each
    /// change is one statement), so a poisoned lock is used as it is.
    fn lock(&self) -> MutexGuard<'_, HashMap<MerchantId, u32>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        {
            let mut open = self.slots.lock();
            if let Some(held) = open.get_mut(&self.merchant) {
                *held = held.saturating_sub(1);
                if *held == 0 {
                    open.remove(&self.merchant);
                }
            }
        }
        self.slots.metrics.event_stream(-1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merchant_holds_at_most_max_and_a_dropped_slot_is_free_again() {
        let slots = Slots::new(2, Arc::new(Metrics::default()));
        let (a, b) = (MerchantId::generate(1), MerchantId::generate(2));
        let first = slots.take(&a).unwrap();
        let _second = slots.take(&a).unwrap();
        assert!(slots.take(&a).is_none(), "a third is refused");
        let _other = slots.take(&b).unwrap();
        drop(first);
        let _again = slots.take(&a).unwrap();
        assert!(slots.take(&a).is_none());
    }

    #[test]
    fn a_merchant_without_streams_is_forgotten() {
        let slots = Slots::new(1, Arc::new(Metrics::default()));
        let a = MerchantId::generate(1);
        drop(slots.take(&a).unwrap());
        assert!(slots.lock().is_empty());
    }
}
