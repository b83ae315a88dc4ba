//! Connections that have not said anything yet: still in their TLS handshake, or not yet
//! through their first request bytes. When a port is full, the oldest of them gives its slot
//! to the new connection, so sockets that only sit there cannot keep real clients out for
//! as long as `handshake_timeout_ms`; connections that are serving requests are never
//! pushed out.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::task::{Context, Poll};

use futures_util::task::AtomicWaker;

/// One connection's mark: set when it must give up its slot. The connection holds the only
/// strong reference until it has spoken, then drops it.
#[derive(Default)]
pub struct Pending {
    evicted: AtomicBool,
    waker: AtomicWaker,
}

impl Pending {
    /// Ready once the connection has been told to go; wakes whoever polled it.
    pub fn poll_evicted(&self, cx: &mut Context<'_>) -> Poll<()> {
        self.waker.register(cx.waker());
        if self.evicted.load(Ordering::Acquire) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }

    fn evict(&self) {
        self.evicted.store(true, Ordering::Release);
        self.waker.wake();
    }
}

/// The pending connections of a port, oldest first.
pub struct Queue {
    queue: Mutex<VecDeque<Weak<Pending>>>,
    /// Past this many entries, those of connections that have spoken are dropped.
    prune_at: usize,
}

impl Queue {
    pub fn new(max_connections: usize) -> Self {
        Self {
            queue: Mutex::new(VecDeque::new()),
            prune_at: max_connections.saturating_mul(2).max(64),
        }
    }

    /// A new connection's mark, queued.
    pub fn enqueue(&self) -> Arc<Pending> {
        let pending = Arc::new(Pending::default());
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        if queue.len() >= self.prune_at {
            queue.retain(|p| p.strong_count() > 0);
        }
        queue.push_back(Arc::downgrade(&pending));
        pending
    }

    /// Tells the oldest connection still pending to go; false when there is none.
    pub fn evict_oldest(&self) -> bool {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        while let Some(weak) = queue.pop_front() {
            if let Some(pending) = weak.upgrade() {
                pending.evict();
                return true;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_silent_connection_goes_first_and_spoken_ones_never() {
        let queue = Queue::new(4);
        let (first, spoke, third) = (queue.enqueue(), queue.enqueue(), queue.enqueue());
        drop(spoke);
        let waker = futures_util::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        assert!(queue.evict_oldest());
        assert!(first.poll_evicted(&mut cx).is_ready());
        assert!(third.poll_evicted(&mut cx).is_pending());
        assert!(queue.evict_oldest());
        assert!(third.poll_evicted(&mut cx).is_ready());
        assert!(!queue.evict_oldest(), "the one that spoke is not pending");
    }
}
