//! The outermost gRPC layer: gives each call a request id (the caller's `x-request-id` when
//! it sends a sane one) that every log line of the call carries and the answer echoes, opens
//! the call's span (continuing the caller's trace when it sends a W3C `traceparent`), and
//! counts, times and (at debug level) logs every call by method and status code (refusals
//! by authentication and quotas too). A streaming call is timed to its response headers; a
//! call the client cancels, or lets time out, is counted when it is dropped. A request body
//! that does not decode as the method's message, which tonic answers INTERNAL, is answered
//! INVALID_ARGUMENT / MALFORMED_REQUEST here: the caller sent it, paycore did not fail.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use tower::{Layer, Service};
use tracing::Instrument;

use crate::metrics::Metrics;

#[derive(Clone)]
pub struct ObserveLayer(Arc<Metrics>);

impl ObserveLayer {
    pub fn new(metrics: Arc<Metrics>) -> Self {
        Self(metrics)
    }
}

impl<S> Layer<S> for ObserveLayer {
    type Service = Observe<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Observe {
            inner,
            metrics: self.0.clone(),
        }
    }
}

#[derive(Clone)]
pub struct Observe<S> {
    inner: S,
    metrics: Arc<Metrics>,
}

impl<S, B, R> Service<http::Request<B>> for Observe<S>
where
    S: Service<http::Request<B>, Response = http::Response<R>>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        let method = req.uri().path().trim_start_matches('/').to_owned();
        let request_id = request_id(req.headers());
        let span = tracing::info_span!(
            "rpc",
            otel.name = %method,
            otel.kind = "server",
            otel.status_code = tracing::field::Empty,
            %request_id,
            method = %method,
            merchant = tracing::field::Empty,
            rpc.grpc.status_code = tracing::field::Empty,
        );
        crate::telemetry::continue_trace(&span, req.headers());
        let deadline = grpc_timeout(req.headers());
        let mut count = Count {
            metrics: self.metrics.clone(),
            method: Some(method),
            started: Instant::now(),
            deadline,
        };
        let answer = span.in_scope(|| self.inner.call(req));
        Box::pin(async move {
            let mut response = answer.instrument(span.clone()).await?;
            if let Ok(value) = http::HeaderValue::from_str(&request_id) {
                response.headers_mut().insert("x-request-id", value);
            }
            // An error is answered at once with its status in the headers; a success carries
            // it in the trailers at the end of the body, which is OK once headers are out.
            let mut code = response
                .headers()
                .get("grpc-status")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<i32>().ok())
                .map_or(tonic::Code::Ok, tonic::Code::from);
            if code == tonic::Code::Internal && undecodable(response.headers()) {
                let status = super::error::malformed_request();
                let headers = response.headers_mut();
                headers.remove(tonic::Status::GRPC_MESSAGE);
                headers.remove(tonic::Status::GRPC_STATUS_DETAILS);
                if status.add_header(headers).is_ok() {
                    code = tonic::Code::InvalidArgument;
                }
            }
            span.record("rpc.grpc.status_code", code as i32);
            if server_fault(code) {
                span.record("otel.status_code", "ERROR");
            }
            let elapsed = count.started.elapsed();
            tracing::debug!(
                parent: &span,
                code = code_name(code),
                elapsed_us = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX),
                "answered"
            );
            count.answered(code);
            Ok(response)
        })
    }
}

/// Counts a call once: with its answer's code, or when it is dropped unanswered (the
/// client cancelled it or its deadline passed) as CANCELLED or DEADLINE_EXCEEDED.
struct Count {
    metrics: Arc<Metrics>,
    /// Taken when the call is counted.
    method: Option<String>,
    started: Instant,
    deadline: Option<std::time::Duration>,
}

impl Count {
    fn answered(&mut self, code: tonic::Code) {
        let Some(method) = self.method.take() else {
            return;
        };
        // Paths of methods that do not exist would make a label each: one name for all.
        let method = if code == tonic::Code::Unimplemented {
            "unknown".to_owned()
        } else {
            method
        };
        self.metrics
            .rpc(method, code_name(code), self.started.elapsed());
    }
}

impl Drop for Count {
    fn drop(&mut self) {
        if self.method.is_some() {
            let code = if self.deadline.is_some_and(|d| self.started.elapsed() >= d) {
                tonic::Code::DeadlineExceeded
            } else {
                tonic::Code::Cancelled
            };
            self.answered(code);
        }
    }
}

/// The caller's deadline from `grpc-timeout` (`<digits><unit>`, unit one of H M S m u n).
fn grpc_timeout(headers: &http::HeaderMap) -> Option<std::time::Duration> {
    let value = headers.get("grpc-timeout")?.to_str().ok()?;
    let (digits, unit) = value.split_at(value.len().checked_sub(1)?);
    let n: u64 = digits.parse().ok()?;
    Some(match unit {
        "H" => std::time::Duration::from_secs(n.saturating_mul(3600)),
        "M" => std::time::Duration::from_secs(n.saturating_mul(60)),
        "S" => std::time::Duration::from_secs(n),
        "m" => std::time::Duration::from_millis(n),
        "u" => std::time::Duration::from_micros(n),
        "n" => std::time::Duration::from_nanos(n),
        _ => return None,
    })
}

/// Whether an INTERNAL answer is tonic's for a request body it could not decode.
fn undecodable(headers: &http::HeaderMap) -> bool {
    tonic::Status::from_header_map(headers)
        .is_some_and(|s| s.message().starts_with("failed to decode Protobuf message"))
}

/// The caller's `x-request-id` if it is 1–64 characters of `[A-Za-z0-9._-]`, else a new one.
fn request_id(headers: &http::HeaderMap) -> String {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            (1..=64).contains(&v.len())
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        })
        .map_or_else(|| format!("{:016x}", rand::random::<u64>()), str::to_owned)
}

/// Whether a code says paycore (or what it depends on) failed, rather than the caller: the
/// server-side errors of OpenTelemetry's gRPC conventions.
fn server_fault(code: tonic::Code) -> bool {
    use tonic::Code::*;
    matches!(
        code,
        Unknown | DeadlineExceeded | Unimplemented | Internal | Unavailable | DataLoss
    )
}

/// The canonical name of a status code, as gRPC spells it.
fn code_name(code: tonic::Code) -> &'static str {
    use tonic::Code::*;
    match code {
        Ok => "OK",
        Cancelled => "CANCELLED",
        Unknown => "UNKNOWN",
        InvalidArgument => "INVALID_ARGUMENT",
        DeadlineExceeded => "DEADLINE_EXCEEDED",
        NotFound => "NOT_FOUND",
        AlreadyExists => "ALREADY_EXISTS",
        PermissionDenied => "PERMISSION_DENIED",
        ResourceExhausted => "RESOURCE_EXHAUSTED",
        FailedPrecondition => "FAILED_PRECONDITION",
        Aborted => "ABORTED",
        OutOfRange => "OUT_OF_RANGE",
        Unimplemented => "UNIMPLEMENTED",
        Internal => "INTERNAL",
        Unavailable => "UNAVAILABLE",
        DataLoss => "DATA_LOSS",
        Unauthenticated => "UNAUTHENTICATED",
    }
}
