//! Accepting connections on one port, bounded: at most `server.max_connections` are held
//! at once, and a new connection has `server.handshake_timeout_ms` for its TLS handshake and
//! as long again for its first request bytes, so sockets that say nothing cannot pile up.
//! When the port is full, the oldest connection that has not spoken yet makes room for the
//! new one (`pending`); with none, the new one is closed at once, counted, and logged at most
//! every 10 s. The servers take the connections that got that far from a channel.

mod pending;

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};
use tokio::time::{Instant, Sleep};
use tokio_rustls::server::TlsStream;

use self::pending::{Pending, Queue};
use super::tls::{Port, Tls};
use crate::config::ServerConfig;
use crate::grpc::peer::Peer;
use crate::metrics::Metrics;

/// How often shedding is logged, at most.
const SHED_LOG_EVERY: Duration = Duration::from_secs(10);

/// One port's accept loop and its bounds.
pub struct Edge {
    port: Port,
    tls: Option<Arc<Tls>>,
    slots: Arc<Semaphore>,
    pending: Queue,
    handshake: Duration,
    metrics: Arc<Metrics>,
}

impl Edge {
    pub fn new(
        port: Port,
        config: &ServerConfig,
        tls: Option<Arc<Tls>>,
        metrics: Arc<Metrics>,
    ) -> Self {
        Self {
            port,
            tls,
            slots: Arc::new(Semaphore::new(config.max_connections as usize)),
            pending: Queue::new(config.max_connections as usize),
            handshake: Duration::from_millis(config.handshake_timeout_ms),
            metrics,
        }
    }

    fn name(&self) -> &'static str {
        match self.port {
            Port::Grpc => "grpc",
            Port::Http => "http",
        }
    }

    /// Accepts on `listener` until `stop`, handing ready connections to the returned channel.
    /// The listener closes when the loop ends.
    pub fn accept(
        self,
        listener: TcpListener,
        stop: watch::Receiver<bool>,
    ) -> mpsc::Receiver<Conn> {
        let (tx, rx) = mpsc::channel(64);
        tokio::spawn(Arc::new(self).run(listener, tx, stop));
        rx
    }

    async fn run(
        self: Arc<Self>,
        listener: TcpListener,
        ready: mpsc::Sender<Conn>,
        mut stop: watch::Receiver<bool>,
    ) {
        let shed = Shed::default();
        loop {
            let accepted = tokio::select! {
                a = listener.accept() => a,
                _ = stop.wait_for(|s| *s) => return,
            };
            let (tcp, peer) = match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors, mostly: say so, and let some close.
                    shed.log(self.name(), Some(&e));
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let Some(slot) = self.slot().await else {
                self.metrics.connection_refused(self.name(), "limit");
                shed.log(self.name(), None);
                continue;
            };
            let pending = self.pending.enqueue();
            // No Nagle: a small answer must not wait for the client's delayed ACK (~40 ms).
            let _ = tcp.set_nodelay(true);
            let this = self.clone();
            let ready = ready.clone();
            tokio::spawn(async move {
                if let Some(conn) = this.establish(tcp, peer, slot, pending).await {
                    let _ = ready.send(conn).await;
                }
            });
        }
    }

    /// A free slot; when there is none, the one an evicted pending connection gives back
    /// (it lets go within moments: it is woken to end).
    async fn slot(&self) -> Option<OwnedSemaphorePermit> {
        if let Ok(slot) = self.slots.clone().try_acquire_owned() {
            return Some(slot);
        }
        if !self.pending.evict_oldest() {
            return None;
        }
        let freed = self.slots.clone().acquire_owned();
        tokio::time::timeout(Duration::from_millis(100), freed)
            .await
            .ok()?
            .ok()
    }

    /// The TLS handshake, within its time; `None` (counted) when it fails or the connection
    /// is evicted first.
    async fn establish(
        &self,
        tcp: TcpStream,
        peer: SocketAddr,
        slot: OwnedSemaphorePermit,
        pending: Arc<Pending>,
    ) -> Option<Conn> {
        let io = match &self.tls {
            None => Io::Plain(tcp),
            Some(tls) => {
                let handshake = tls.acceptor(self.port).accept(tcp);
                let evicted = std::future::poll_fn(|cx| pending.poll_evicted(cx));
                let handshake = async {
                    tokio::select! {
                        done = tokio::time::timeout(self.handshake, handshake) => Some(done),
                        () = evicted => None,
                    }
                };
                let Some(done) = handshake.await else {
                    self.metrics.connection_refused(self.name(), "evicted");
                    return None;
                };
                match done {
                    Ok(Ok(stream)) => Io::Tls(Box::new(stream)),
                    Ok(Err(e)) => {
                        tracing::debug!(%peer, port = self.name(), error = %e, "TLS handshake failed");
                        self.metrics.connection_refused(self.name(), "handshake");
                        return None;
                    }
                    Err(_) => {
                        self.metrics.connection_refused(self.name(), "timeout");
                        return None;
                    }
                }
            }
        };
        self.metrics.connection(self.name(), 1);
        Some(Conn {
            io,
            first_bytes: Some(Box::pin(tokio::time::sleep_until(
                Instant::now() + self.handshake,
            ))),
            pending: Some(pending),
            wanted: match self.port {
                // The HTTP/2 connection preface.
                Port::Grpc => 24,
                Port::Http => 1,
            },
            open: Open {
                port: self.name(),
                metrics: self.metrics.clone(),
                _slot: slot,
            },
        })
    }
}

/// Warns when the process may run out of file descriptors before both ports hold
/// `max_connections`: the kernel would then refuse new clients before paycore could shed
/// them. (Linux; elsewhere nothing is said.)
pub fn warn_if_few_descriptors(max_connections: u32) {
    let Ok(limits) = std::fs::read_to_string("/proc/self/limits") else {
        return;
    };
    let soft = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(|v| v.parse::<u64>().ok());
    // Both ports, plus the database, the providers' and webhooks' connections.
    let needed = 2 * u64::from(max_connections) + 256;
    if let Some(soft) = soft
        && soft < needed
    {
        tracing::warn!(
            limit = soft,
            needed,
            "the open-file limit is below what server.max_connections needs on both ports: \
             raise it (LimitNOFILE, ulimit -n) or lower max_connections"
        );
    }
}

/// Logs shedding at most every `SHED_LOG_EVERY`, with how many were shed since.
#[derive(Default)]
struct Shed {
    count: AtomicU64,
    last: std::sync::Mutex<Option<Instant>>,
}

impl Shed {
    fn log(&self, port: &'static str, error: Option<&io::Error>) {
        let count = self.count.fetch_add(1, Ordering::Relaxed) + 1;
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if last.is_some_and(|t| t.elapsed() < SHED_LOG_EVERY) {
            return;
        }
        *last = Some(Instant::now());
        self.count.store(0, Ordering::Relaxed);
        match error {
            Some(e) => tracing::warn!(port, error = %e, "cannot accept connections"),
            None => tracing::warn!(
                port,
                shed = count,
                "connection limit reached (server.max_connections): shedding new connections"
            ),
        }
    }
}

enum Io {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

/// Counts the connection as open, and holds its slot, until dropped.
struct Open {
    port: &'static str,
    metrics: Arc<Metrics>,
    _slot: OwnedSemaphorePermit,
}

impl Drop for Open {
    fn drop(&mut self) {
        self.metrics.connection(self.port, -1);
    }
}

/// An accepted connection, plain or TLS. It says it cannot write vectored, which makes
/// HTTP/2 copy each frame's payload of up to 1 KiB into its write buffer instead of chaining
/// it: a chained payload closes the write, so an answer's data and its trailers went out in
/// two writes (two TCP segments) rather than one. Most of paycore's answers are a few
/// hundred bytes.
pub struct Conn {
    io: Io,
    /// Until `wanted` bytes have arrived: the time they have to, and the mark that makes
    /// the connection give way to a new one when the port is full.
    first_bytes: Option<Pin<Box<Sleep>>>,
    pending: Option<Arc<Pending>>,
    wanted: usize,
    open: Open,
}

impl AsyncRead for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if let Some(pending) = &self.pending
            && pending.poll_evicted(cx).is_ready()
        {
            self.open
                .metrics
                .connection_refused(self.open.port, "evicted");
            return Poll::Ready(Err(io::ErrorKind::ConnectionAborted.into()));
        }
        let before = buf.filled().len();
        let read = match &mut self.io {
            Io::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Io::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        };
        let this = &mut *self;
        if let Some(deadline) = &mut this.first_bytes {
            match &read {
                Poll::Ready(Ok(())) => {
                    this.wanted = this.wanted.saturating_sub(buf.filled().len() - before);
                    if this.wanted == 0 {
                        // It has spoken: its time limit and its place in the queue go.
                        this.first_bytes = None;
                        this.pending = None;
                    }
                }
                Poll::Pending if deadline.as_mut().poll(cx).is_ready() => {
                    this.open
                        .metrics
                        .connection_refused(this.open.port, "timeout");
                    return Poll::Ready(Err(io::ErrorKind::TimedOut.into()));
                }
                _ => {}
            }
        }
        read
    }
}

/// Vectored writes are left to their defaults: not vectored.
impl AsyncWrite for Conn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match &mut self.io {
            Io::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Io::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.io {
            Io::Plain(s) => Pin::new(s).poll_flush(cx),
            Io::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.io {
            Io::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Io::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// Each call on the connection carries its client certificate (under mutual TLS), for the
/// auth layer.
impl tonic::transport::server::Connected for Conn {
    type ConnectInfo = Peer;

    fn connect_info(&self) -> Self::ConnectInfo {
        let certificate = match &self.io {
            Io::Plain(_) => None,
            Io::Tls(s) => s
                .get_ref()
                .1
                .peer_certificates()
                .and_then(|chain| chain.first())
                .map(|leaf| Arc::new(leaf.clone().into_owned())),
        };
        Peer { certificate }
    }
}
