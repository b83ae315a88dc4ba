//! Wiring: builds the services from config and runs the gRPC and HTTP servers. `start` is
//! shared by `paycore serve` and the integration tests.

mod drain;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_stream::StreamExt as _;

use crate::config::{ChannelConfig, Config, ProviderKind};
use crate::domain::{Clock, Method, Secret};
use crate::grpc::conn::Unvectored;
use crate::grpc::observe::ObserveLayer;
use crate::grpc::quota::{QuotaLayer, Quotas};
use crate::grpc::{self, auth::AuthLayer};
use crate::metrics::Metrics;
use crate::notify::Dispatcher;
use crate::provider::alipay::{self, Alipay};
use crate::provider::executor::Executor;
use crate::provider::stripe::{self, Stripe};
use crate::provider::wechatpay::{self, Wechatpay};
use crate::provider::{Provider, keys, sandbox::Sandbox};
use crate::routing::{Channel, Router};
use crate::service::events::Events;
use crate::service::sweeper::Sweeper;
use crate::service::{
    channels::Channels, merchants::Merchants, notify::Notify, payments::Payments, refunds::Refunds,
};
use crate::storage::{self, Store, StoreError};
use rsa::pkcs1v15::{SigningKey, VerifyingKey};
use sha2::Sha256;

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
    /// A channel's key could not be read; names the config key.
    #[error("invalid configuration: {key}: {reason}")]
    Key { key: String, reason: String },
    #[error("gRPC server failed: {0}")]
    Grpc(#[from] tonic::transport::Error),
    #[error("HTTP server failed: {0}")]
    Http(std::io::Error),
}

/// The services of one running paycore, shared by the gRPC and HTTP edges.
pub struct App {
    pub store: Arc<dyn Store>,
    pub router: Arc<Router>,
    pub payments: Arc<Payments>,
    pub notify: Arc<Notify>,
    pub merchants: Arc<Merchants>,
    pub channels: Arc<Channels>,
    pub refunds: Arc<Refunds>,
    pub events: Arc<Events>,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<Metrics>,
}

/// Opens the configured database (applying migrations).
pub async fn open_store(config: &Config) -> Result<Arc<dyn Store>, StoreError> {
    storage::open(&config.database).await
}

/// Reads a channel's key material; failures name the config key.
struct KeyReader {
    prefix: String,
}

impl KeyReader {
    fn fail(&self, what: &str) -> impl Fn(String) -> StartError {
        let key = format!("{}.{what}", self.prefix);
        move |reason| StartError::Key {
            key: key.clone(),
            reason,
        }
    }

    fn pem(
        &self,
        what: &str,
        file: Option<&std::path::Path>,
        env: Option<&str>,
    ) -> Result<String, StartError> {
        keys::read(file, env).map_err(self.fail(what))
    }

    fn private(
        &self,
        what: &str,
        file: Option<&std::path::Path>,
        env: Option<&str>,
    ) -> Result<SigningKey<Sha256>, StartError> {
        let pem = self.pem(what, file, env)?;
        Ok(SigningKey::new(
            keys::private_key(&pem).map_err(self.fail(what))?,
        ))
    }

    fn public(
        &self,
        what: &str,
        file: Option<&std::path::Path>,
        env: Option<&str>,
    ) -> Result<VerifyingKey<Sha256>, StartError> {
        let pem = self.pem(what, file, env)?;
        Ok(VerifyingKey::new(
            keys::public_key(&pem).map_err(self.fail(what))?,
        ))
    }
}

/// Builds one channel's adapter; reading its keys is the only thing that can fail.
fn channel(
    c: &ChannelConfig,
    index: usize,
    public_url: &str,
    executor: &Executor,
    clock: &Arc<dyn Clock>,
) -> Result<Channel, StartError> {
    let notify_url = |configured: &Option<String>| {
        configured
            .clone()
            .unwrap_or_else(|| format!("{public_url}/callbacks/{}", c.id))
    };
    let missing = |section: &str| StartError::Key {
        key: format!("channels[{index}].{section}"),
        reason: "missing".into(),
    };
    let (provider, supported): (Arc<dyn Provider>, Vec<Method>) = match c.provider {
        ProviderKind::Alipay => {
            let a = c.alipay.as_ref().ok_or_else(|| missing("alipay"))?;
            let keys = KeyReader {
                prefix: format!("channels[{index}].alipay"),
            };
            let settings = alipay::Settings {
                app_id: a.app_id.clone(),
                private_key: keys.private(
                    "private_key_file",
                    a.private_key_file.as_deref(),
                    a.private_key_env.as_deref(),
                )?,
                alipay_public_key: keys.public(
                    "alipay_public_key_file",
                    a.alipay_public_key_file.as_deref(),
                    a.alipay_public_key_env.as_deref(),
                )?,
                gateway_url: a.gateway_url.clone(),
                notify_url: notify_url(&a.notify_url),
            };
            (
                Arc::new(Alipay::new(settings, executor.clone(), clock.clone())),
                vec![Method::QrCode, Method::WebPage, Method::H5, Method::App],
            )
        }
        ProviderKind::Wechatpay => {
            let w = c.wechatpay.as_ref().ok_or_else(|| missing("wechatpay"))?;
            let keys = KeyReader {
                prefix: format!("channels[{index}].wechatpay"),
            };
            let api_v3_key = keys::read(w.api_v3_key_file.as_deref(), w.api_v3_key_env.as_deref())
                .map(|k| k.trim().to_owned())
                .and_then(|k| {
                    (k.len() == 32)
                        .then(|| k.into_bytes())
                        .ok_or_else(|| "the APIv3 key must be 32 bytes".to_owned())
                })
                .map_err(keys.fail("api_v3_key_file"))?;
            let settings = wechatpay::Settings {
                mchid: w.mchid.clone(),
                appid: w.appid.clone(),
                merchant_serial_no: w.merchant_serial_no.clone(),
                private_key: keys.private(
                    "private_key_file",
                    w.private_key_file.as_deref(),
                    w.private_key_env.as_deref(),
                )?,
                platform_key: keys.public(
                    "platform_public_key_file",
                    w.platform_public_key_file.as_deref(),
                    w.platform_public_key_env.as_deref(),
                )?,
                platform_serial: w.platform_serial.clone(),
                api_v3_key: Secret::new(api_v3_key),
                base_url: w.base_url.trim_end_matches('/').to_owned(),
                notify_url: notify_url(&w.notify_url),
            };
            (
                Arc::new(Wechatpay::new(settings, executor.clone(), clock.clone())),
                vec![Method::QrCode, Method::Jsapi, Method::App, Method::H5],
            )
        }
        ProviderKind::Stripe => {
            let s = c.stripe.as_ref().ok_or_else(|| missing("stripe"))?;
            let keys = KeyReader {
                prefix: format!("channels[{index}].stripe"),
            };
            let secret = |what: &str, file: Option<&std::path::Path>, env: Option<&str>| {
                keys.pem(what, file, env)
                    .map(|k| Secret::new(k.trim().to_owned()))
            };
            let settings = stripe::Settings {
                secret_key: secret(
                    "secret_key_file",
                    s.secret_key_file.as_deref(),
                    s.secret_key_env.as_deref(),
                )?,
                webhook_secret: secret(
                    "webhook_secret_file",
                    s.webhook_secret_file.as_deref(),
                    s.webhook_secret_env.as_deref(),
                )?,
                base_url: s.base_url.trim_end_matches('/').to_owned(),
            };
            (
                Arc::new(Stripe::new(settings, executor.clone(), clock.clone())),
                vec![Method::Card],
            )
        }
        ProviderKind::Sandbox => {
            let secret = match &c.secret {
                Some(s) => s.expose().as_bytes().to_vec(),
                None => {
                    let mut key = vec![0u8; 32];
                    rand::RngCore::fill_bytes(&mut rand::rng(), &mut key);
                    key
                }
            };
            let sandbox = Sandbox::new(Secret::new(secret), public_url.to_owned(), clock.clone());
            // Every method the sandbox can show a buyer; cards need a card provider.
            let supported = Method::ALL
                .into_iter()
                .filter(|m| *m != Method::Card)
                .collect();
            (Arc::new(sandbox), supported)
        }
    };
    let methods = if c.methods.is_empty() {
        supported
    } else {
        c.methods.iter().filter_map(|m| Method::parse(m)).collect()
    };
    Ok(Channel::new(c, methods, provider))
}

impl App {
    pub fn new(
        config: &Config,
        store: Arc<dyn Store>,
        public_url: &str,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, StartError> {
        let executor = Executor::new(Duration::from_secs(3)).map_err(|e| StartError::Key {
            key: "http client".into(),
            reason: e.to_string(),
        })?;
        let channels = config
            .channels
            .iter()
            .enumerate()
            .map(|(i, c)| channel(c, i, public_url, &executor, &clock))
            .collect::<Result<Vec<_>, _>>()?;
        let router = Arc::new(Router::new(channels, config));
        let metrics = Arc::new(Metrics::default());
        let refunds = Arc::new(Refunds::new(
            store.clone(),
            router.clone(),
            clock.clone(),
            Duration::from_secs(config.payments.refund_window_secs),
            metrics.clone(),
        ));
        Ok(Self {
            payments: Arc::new(Payments::new(
                store.clone(),
                router.clone(),
                clock.clone(),
                config.payments.clone(),
                metrics.clone(),
            )),
            notify: Arc::new(Notify::new(
                store.clone(),
                router.clone(),
                refunds.clone(),
                clock.clone(),
                metrics.clone(),
                config.payments.refund_paid_after_close,
            )),
            merchants: Arc::new(Merchants::new(store.clone(), clock.clone())),
            channels: Arc::new(Channels::new(router.clone())),
            events: Arc::new(Events::new(store.clone(), Duration::from_millis(100))),
            clock: clock.clone(),
            refunds,
            router,
            store,
            metrics,
        })
    }
}

/// A running paycore.
pub struct Server {
    pub grpc_addr: SocketAddr,
    pub http_addr: SocketAddr,
    pub app: Arc<App>,
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
    let grpc_listener = bind(config.server.grpc_addr).await?;
    let http_listener = bind(config.server.http_addr).await?;
    let grpc_addr = grpc_listener
        .local_addr()
        .map_err(|source| StartError::Bind {
            addr: config.server.grpc_addr,
            source,
        })?;
    let http_addr = http_listener
        .local_addr()
        .map_err(|source| StartError::Bind {
            addr: config.server.http_addr,
            source,
        })?;
    let public_url = config
        .server
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{http_addr}"));

    let store = open_store(config).await?;
    let app = Arc::new(App::new(config, store, &public_url, clock.clone())?);
    let (routes, health) = grpc::routes(&app);
    grpc::set_serving(&health, true).await;

    let (stop, rx) = watch::channel(false);
    tokio::spawn(grpc::follow_database(
        app.store.clone(),
        health.clone(),
        rx.clone(),
    ));
    if config.webhooks.enabled {
        let executor = Executor::new(Duration::from_secs(5)).map_err(|e| StartError::Key {
            key: "webhooks".into(),
            reason: e.to_string(),
        })?;
        let dispatcher = Arc::new(Dispatcher::new(
            app.store.clone(),
            executor,
            clock.clone(),
            config.webhooks.clone(),
            app.metrics.clone(),
        ));
        tokio::spawn(dispatcher.run(rx.clone()));
    }
    if config.sweeper.enabled {
        let sweeper = Arc::new(Sweeper::new(
            app.store.clone(),
            app.payments.clone(),
            app.refunds.clone(),
            clock.clone(),
            config.sweeper.clone(),
            app.router
                .channels()
                .iter()
                .map(|c| c.attempt_timeout)
                .max()
                .unwrap_or_default(),
            app.metrics.clone(),
        ));
        tokio::spawn(sweeper.run(rx.clone()));
    }
    let in_flight = drain::InFlight::default();
    let grpc_server = tonic::transport::Server::builder()
        .layer(ObserveLayer::new(app.metrics.clone()))
        .layer(in_flight.clone())
        .layer(AuthLayer::new(
            app.merchants.clone(),
            config.server.operator_key.as_ref(),
        ))
        .layer(QuotaLayer::new(
            Arc::new(Quotas::new(&config.limits)),
            app.metrics.clone(),
        ))
        .add_routes(routes)
        // No Nagle: a small unary answer must not wait for the client's delayed ACK (~40 ms).
        .serve_with_incoming_shutdown(
            tonic::transport::server::TcpIncoming::from(grpc_listener)
                .with_nodelay(Some(true))
                .map(|conn| conn.map(Unvectored)),
            stopped(rx.clone()),
        );
    let http_server = axum::serve(
        http_listener,
        crate::http::router(app.clone()).layer(in_flight.clone()),
    )
    .with_graceful_shutdown(stopped(rx));
    let task = tokio::spawn(async move {
        let (g, h) = tokio::join!(grpc_server, http_server);
        g?;
        h.map_err(StartError::Http)
    });
    tracing::info!(grpc = %grpc_addr, http = %http_addr, public_url, "paycore listening");
    Ok(Server {
        grpc_addr,
        http_addr,
        app,
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
        let handed_over = self.app.payments.abandon_in_flight().await;
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
            Ok(Err(join)) => Err(StartError::Http(std::io::Error::other(join))),
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
