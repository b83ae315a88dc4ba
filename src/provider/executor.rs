//! The one HTTP client every provider adapter sends through. It classifies transport
//! failures for failover: a connection that was never made is certainly not processed;
//! anything after the request may have left is ambiguous.

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
            client: reqwest::Client::builder()
                .user_agent(USER_AGENT)
                .connect_timeout(connect_timeout)
                .pool_idle_timeout(Duration::from_secs(60))
                .redirect(reqwest::redirect::Policy::none())
                .build()?,
        })
    }

    pub async fn send(&self, req: Request) -> Result<Response, ChannelFailure> {
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
        let answer = self.exchange(url, req).instrument(span.clone()).await;
        match &answer {
            Ok(r) => span.record("http.response.status_code", r.status),
            Err(_) => span.record("otel.status_code", "ERROR"),
        };
        answer
    }

    async fn exchange(&self, url: reqwest::Url, req: Request) -> Result<Response, ChannelFailure> {
        let mut builder = self.client.request(req.method, url);
        for (name, value) in req.headers {
            builder = builder.header(name, value);
        }
        let mut response = builder.body(req.body).send().await.map_err(classify)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(classify)? {
            if body.len() + chunk.len() > MAX_RESPONSE {
                return Err(ChannelFailure::new(
                    FailureKind::Ambiguous,
                    "RESPONSE_TOO_LARGE",
                    "the provider's answer exceeded 1 MiB",
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

fn classify(e: reqwest::Error) -> ChannelFailure {
    if e.is_connect() {
        // No connection, so no request reached the provider.
        ChannelFailure::new(FailureKind::NotProcessed, "CONNECT_FAILED", e.to_string())
    } else if e.is_builder() {
        ChannelFailure::new(FailureKind::NotProcessed, "BAD_REQUEST_URL", e.to_string())
    } else {
        ChannelFailure::new(FailureKind::Ambiguous, "TRANSPORT_ERROR", e.to_string())
    }
}
