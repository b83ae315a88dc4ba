//! The process: binds both ports, builds the services from config, serves gRPC and HTTP
//! (over TLS when configured, with bounded connections), and shuts down. `start` is shared by
//! `paycore serve` and the integration tests.

mod drain;
mod http1;
mod listen;
mod tls;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_stream::StreamExt as _;
use tokio_stream::wrappers::ReceiverStream;

use crate::config::Config;
use crate::domain::Clock;
use crate::grpc::keyless::KeylessLayer;
use crate::grpc::observe::ObserveLayer;
use crate::grpc::quota::{QuotaLayer, Quotas};
use crate::grpc::{self, auth::AuthLayer};
use crate::provider::SetupError;
use crate::service::{self, Services};
use crate::storage::{self, Store, StoreError};

/// Why paycore could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The TLS files cannot be used; names the config key and the file.
    #[error("invalid configuration: {0}")]
    Tls(#[from] tls::TlsError),
    /// A channel's settings or key material is wrong; names the config key.
    #[error("invalid configuration: {0}")]
    Setup(#[from] SetupError),
    #[error("gRPC server failed: {0}")]
    Grpc(#[from] tonic::transport::Error),
    #[error("server task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// Opens the configured database (applying migrations).
pub async fn open_store(config: &Config) -> Result<Arc<dyn Store>, StoreError> {
    storage::open(&config.database).await
}

/// Reads the TLS files as `start` would, without serving.
pub fn check_tls(config: &Config) -> Result<(), StartError> {
    tls::Tls::load(&config.server.tls)?;
    Ok(())
}

/// A running paycore.
pub struct Server {
    pub grpc_addr: SocketAddr,
    pub http_addr: SocketAddr,
    pub services: Arc<Services>,
    health: tonic_health::server::HealthReporter,
    in_flight: drain::InFlight,
    stop: watch::Sender<bool>,
    task: JoinHandle<Result<(), StartError>>,
}

async fn bind(addr: SocketAddr) -> Result<TcpListener, StartError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Bind { addr, source })
}

async fn stopped(mut rx: watch::Receiver<bool>) {
    // An error means the sender is gone, which also means stop.
    let _ = rx.wait_for(|stop| *stop).await;
}

/// Binds both ports, opens the database and starts serving.
pub async fn start(config: &Config, clock: Arc<dyn Clock>) -> Result<Server, StartError> {
    let server = &config.server;
    // Read before binding: a certificate that does not load is a configuration error.
    let tls = tls::Tls::load(&server.tls)?;
    let grpc_listener = bind(server.grpc_addr).await?;
    let http_listener = bind(server.http_addr).await?;
    let grpc_addr = grpc_listener
        .local_addr()
        .map_err(|source| StartError::Bind {
            addr: server.grpc_addr,
            source,
        })?;
    let http_addr = http_listener
        .local_addr()
        .map_err(|source| StartError::Bind {
            addr: server.http_addr,
            source,
        })?;
    let public_url = server.public_url_for(http_addr);
    if tls.is_none() && !(grpc_addr.ip().is_loopback() && http_addr.ip().is_loopback()) {
        tracing::warn!(
            "serving cleartext beyond loopback (server.allow_plaintext): API keys and payment \
             data cross the network unencrypted unless a proxy in front adds TLS"
        );
    }

    let channels = service::build_channels(config, &public_url, &clock)?;
    let store = open_store(config).await?;
    let services = Arc::new(Services::new(config, store, channels, clock)?);
    services.risk.load().await.map_err(|e| SetupError {
        key: "risk".into(),
        reason: e.to_string(),
    })?;
    let (routes, health) = grpc::routes(&services);
    grpc::set_serving(&health, true).await;

    let (stop, rx) = watch::channel(false);
    tokio::spawn(grpc::follow_database(
        services.status.clone(),
        health.clone(),
        rx.clone(),
    ));
    if let Some(dispatcher) = services.dispatcher(config)? {
        tokio::spawn(Arc::new(dispatcher).run(rx.clone()));
    }
    if let Some(sweeper) = services.sweeper(config) {
        tokio::spawn(Arc::new(sweeper).run(rx.clone()));
    }
    tokio::spawn(
        services
            .risk
            .clone()
            .follow(Duration::from_millis(config.risk.refresh_ms), rx.clone()),
    );
    if !config.reconciliation.schedule.is_empty() {
        tokio::spawn(crate::service::reconciliation::schedule::run(
            services.reconciler.clone(),
            rx.clone(),
        ));
    }
    tokio::spawn(tls::watch(tls.clone(), tls::hangups(), rx.clone()));
    listen::warn_if_few_descriptors(server.max_connections);
    let edge = |port| listen::Edge::new(port, server, tls.clone(), services.metrics.clone());
    let grpc_conns = edge(tls::Port::Grpc).accept(grpc_listener, rx.clone());
    let http_conns = edge(tls::Port::Http).accept(http_listener, rx.clone());
    let keepalive = Duration::from_secs(server.keepalive_secs);
    let in_flight = drain::InFlight::default();
    let grpc_server = tonic::transport::Server::builder()
        .max_concurrent_streams(server.max_concurrent_streams)
        .http2_keepalive_interval(Some(keepalive))
        .http2_keepalive_timeout(Some(keepalive))
        .layer(ObserveLayer::new(services.metrics.clone()))
        .layer(KeylessLayer::new(server.max_keyless_streams))
        .layer(in_flight.clone())
        .layer(AuthLayer::new(
            services.merchants.clone(),
            server.operator_key.as_ref(),
            &server.tls.operator_client_names,
        ))
        .layer(QuotaLayer::new(
            Arc::new(Quotas::new(&config.limits)),
            services.metrics.clone(),
        ))
        .add_routes(routes)
        .serve_with_incoming_shutdown(
            ReceiverStream::new(grpc_conns).map(Ok::<_, std::io::Error>),
            stopped(rx.clone()),
        );
    let http_server = http1::serve(
        http_conns,
        crate::http::router(crate::http::Edge {
            notify: services.notify.clone(),
            status: services.status.clone(),
        })
        .layer(in_flight.clone()),
        Duration::from_millis(server.header_timeout_ms),
        rx,
    );
    let task = tokio::spawn(async move {
        let (g, ()) = tokio::join!(grpc_server, http_server);
        g.map_err(StartError::from)
    });
    tracing::info!(grpc = %grpc_addr, http = %http_addr, tls = tls.is_some(), public_url, "paycore listening");
    Ok(Server {
        grpc_addr,
        http_addr,
        services,
        health,
        in_flight,
        stop,
        task,
    })
}

impl Server {
    /// Stops taking new requests, lets in-flight ones finish for up to `grace`, then closes
    /// every connection, idle ones included.
    pub async fn shutdown(self, grace: Duration) -> Result<(), StartError> {
        grpc::set_serving(&self.health, false).await;
        let _ = self.stop.send(true);
        if tokio::time::timeout(grace, self.in_flight.idle())
            .await
            .is_err()
        {
            tracing::warn!("in-flight requests did not finish within the grace period");
        }
        let handed_over = self.services.payments.abandon_in_flight().await;
        if handed_over > 0 {
            tracing::warn!(
                payments = handed_over,
                "placements still at their channels were recorded as abandoned for other nodes"
            );
        }
        // The servers finish on their own unless a client keeps an idle connection open.
        let mut task = self.task;
        match tokio::time::timeout(Duration::from_millis(200), &mut task).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) => Err(join.into()),
            Err(_) => {
                task.abort();
                Ok(())
            }
        }
    }
}

/// Runs until SIGINT or SIGTERM, then drains and returns.
pub async fn serve(config: &Config, clock: Arc<dyn Clock>) -> Result<(), StartError> {
    let server = start(config, clock).await?;
    shutdown_signal().await;
    tracing::info!("shutting down");
    server
        .shutdown(Duration::from_secs(config.server.shutdown_grace_secs))
        .await
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = interrupt => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
