//! Serving the HTTP port's connections with HTTP/1.1: each request's headers must arrive
//! within `server.header_timeout_ms` (a client trickling them in is disconnected), and a stop
//! lets requests in flight finish while idle connections close at once.

use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::sync::{mpsc, watch};

use super::listen::Conn;

/// Serves `router` on the connections from `conns` until `stop`, then until every
/// connection has finished (or is dropped with this future).
pub async fn serve(
    mut conns: mpsc::Receiver<Conn>,
    router: axum::Router,
    header_timeout: Duration,
    mut stop: watch::Receiver<bool>,
) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let graceful = GracefulShutdown::new();
    loop {
        let conn = tokio::select! {
            c = conns.recv() => match c {
                Some(c) => c,
                None => break,
            },
            _ = stop.wait_for(|s| *s) => break,
        };
        let serving =
            http.serve_connection(TokioIo::new(conn), TowerToHyperService::new(router.clone()));
        let serving = graceful.watch(serving);
        tokio::spawn(async move {
            if let Err(e) = serving.await {
                tracing::debug!(error = %e, "HTTP connection ended with an error");
            }
        });
    }
    graceful.shutdown().await;
}
