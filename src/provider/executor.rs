//! The one HTTP client every provider adapter (and the webhook dispatcher) sends through.
//! It classifies transport failures for failover: a connection that was never made is
//! certainly not processed; anything after the request may have left is ambiguous.

use std::error::Error as _;
use std::sync::Arc;
use std::time::Duration;

use tracing::Instrument;

use super::{ChannelFailure, FailureKind};

/// Largest provider answer read; provider responses are a few KiB.
const MAX_RESPONSE: usize = 1 << 20;

/// Sent on every provider request: WeChat Pay refuses requests without a `User-Agent`, and
/// every provider's logs can then tell paycore's calls apart.
pub const USER_AGENT: &str = concat!("paycore/", env!("CARGO_PKG_VERSION"));

/// An HTTP request an adapter built.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: http::Method,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

/// A provider's answer, whatever its status.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: http::HeaderMap,
    pub body: Vec<u8>,
}

/// How a resolver given to [`Executor::with_resolver`] fails, so that the failure's code
/// says why: `URL_NOT_ALLOWED` or `UNRESOLVABLE`.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    /// The name resolved, but only to addresses the resolver refuses (which, with why, the
    /// message names).
    #[error("{0}")]
    NotAllowed(String),
    #[error("cannot resolve {host}: {source}")]
    Unresolvable {
        host: String,
        #[source]
        source: std::io::Error,
    },
}

impl ResolveError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotAllowed(_) => "URL_NOT_ALLOWED",
            Self::Unresolvable { .. } => "UNRESOLVABLE",
        }
    }
}

/// Sends adapters' requests.
#[derive(Clone)]
pub struct Executor {
    client: reqwest::Client,
}

impl Executor {
    /// A client with `connect_timeout` for establishing connections. The whole call is bounded
    /// by the caller (the channel's attempt timeout).
    pub fn new(connect_timeout: Duration) -> Result<Self, reqwest::Error> {
        Ok(Self {
            client: builder(connect_timeout).build()?,
        })
    }

    /// A client that connects only to the addresses `resolver` gives, and to IP-literal
    /// hosts, which no resolver sees (the caller checks those). No proxy: one would resolve
    /// the name itself, and the resolver would never be asked.
    pub fn with_resolver(
        connect_timeout: Duration,
        resolver: Arc<dyn reqwest::dns::Resolve>,
    ) -> Result<Self, reqwest::Error> {
        Ok(Self {
            client: builder(connect_timeout)
                .no_proxy()
                .dns_resolver2(resolver)
                .build()?,
        })
    }

    pub async fn send(&self, req: Request) -> Result<Response, ChannelFailure> {
        self.send_limited(req, MAX_RESPONSE).await
    }

    /// Sends `req` and reads an answer of at most `max` bytes (a statement download);
    /// a longer one fails with `RESPONSE_TOO_LARGE`.
    pub async fn send_limited(&self, req: Request, max: usize) -> Result<Response, ChannelFailure> {
        // Parsed once, for the span and the request.
        let url = reqwest::Url::parse(&req.url).map_err(|e| {
            ChannelFailure::new(FailureKind::NotProcessed, "BAD_REQUEST_URL", e.to_string())
        })?;
        // Scheme, host and path only: a query string may carry signed parameters.
        let span = tracing::info_span!(
            "http.client",
            otel.name = %req.method,
            otel.kind = "client",
            otel.status_code = tracing::field::Empty,
            http.request.method = %req.method,
            server.address = url.host_str().unwrap_or_default(),
            url.path = url.path(),
            http.response.status_code = tracing::field::Empty,
        );
        let answer = self.exchange(url, req, max).instrument(span.clone()).await;
        match &answer {
            Ok(r) => span.record("http.response.status_code", r.status),
            Err(_) => span.record("otel.status_code", "ERROR"),
        };
        answer
    }

    async fn exchange(
        &self,
        url: reqwest::Url,
        req: Request,
        max: usize,
    ) -> Result<Response, ChannelFailure> {
        let mut builder = self.client.request(req.method, url);
        for (name, value) in req.headers {
            builder = builder.header(name, value);
        }
        let mut response = builder.body(req.body).send().await.map_err(classify)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(classify)? {
            if body.len() + chunk.len() > max {
                return Err(ChannelFailure::new(
                    FailureKind::Ambiguous,
                    "RESPONSE_TOO_LARGE",
                    format!("the provider's answer exceeded {} KiB", max >> 10),
                ));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response {
            status,
            headers,
            body,
        })
    }
}

/// Redirects are not followed: a redirect could lead anywhere, a provider's answer is the
/// one it gave.
fn builder(connect_timeout: Duration) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(connect_timeout)
        .pool_idle_timeout(Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
}

/// The first error of type `T` in `e`'s chain of sources.
fn cause<T: std::error::Error + 'static>(e: &reqwest::Error) -> Option<&T> {
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(found) = s.downcast_ref::<T>() {
            return Some(found);
        }
        source = s.source();
    }
    None
}

/// Whether a connection failed in its TLS handshake (certificate, protocol): rustls says so
/// with an invalid-data I/O error, which the connector wraps in another I/O error (whose
/// `source` skips it, so it is reached through `get_ref`).
fn tls_failed(e: &reqwest::Error) -> bool {
    let mut io = cause::<std::io::Error>(e);
    while let Some(err) = io {
        if err.kind() == std::io::ErrorKind::InvalidData {
            return true;
        }
        io = err
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<std::io::Error>());
    }
    false
}

fn classify(e: reqwest::Error) -> ChannelFailure {
    if let Some(resolve) = cause::<ResolveError>(&e) {
        // No address to connect to: nothing was sent.
        ChannelFailure::new(
            FailureKind::NotProcessed,
            resolve.code(),
            resolve.to_string(),
        )
    } else if e.is_connect() {
        // No connection, so no request reached the provider.
        let code = if tls_failed(&e) {
            "TLS_FAILED"
        } else {
            "CONNECT_FAILED"
        };
        ChannelFailure::new(FailureKind::NotProcessed, code, e.to_string())
    } else if e.is_builder() {
        ChannelFailure::new(FailureKind::NotProcessed, "BAD_REQUEST_URL", e.to_string())
    } else {
        ChannelFailure::new(FailureKind::Ambiguous, "TRANSPORT_ERROR", e.to_string())
    }
}
