//! Streams anyone may open without a key (grpc.health.v1 `Watch`, server reflection), capped
//! per node as a tower layer: each holds a slot until its response ends, and one more is
//! refused with RESOURCE_EXHAUSTED / TOO_MANY_STREAMS. Without the cap, a client without a
//! key could hold `max_connections` × `max_concurrent_streams` of them.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http_body::{Body, Frame, SizeHint};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tonic::Status;
use tower::{Layer, Service};

/// The paths of the streams that need no key.
const KEYLESS_STREAMS: &[&str] = &[
    "/grpc.health.v1.Health/Watch",
    "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
    "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
];

/// The node holds as many keyless streams as it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{limit} streams without a key are open on this node")]
pub struct TooManyKeyless {
    pub limit: u32,
}

#[derive(Clone)]
pub struct KeylessLayer {
    slots: Arc<Semaphore>,
    limit: u32,
}

impl KeylessLayer {
    pub fn new(limit: u32) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(limit as usize)),
            limit,
        }
    }
}

impl<S> Layer<S> for KeylessLayer {
    type Service = Keyless<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Keyless {
            inner,
            layer: self.clone(),
        }
    }
}

#[derive(Clone)]
pub struct Keyless<S> {
    inner: S,
    layer: KeylessLayer,
}

impl<S, B> Service<http::Request<B>> for Keyless<S>
where
    S: Service<http::Request<B>, Response = http::Response<tonic::body::Body>>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        if !KEYLESS_STREAMS.contains(&req.uri().path()) {
            return Box::pin(self.inner.call(req));
        }
        let Ok(slot) = self.layer.slots.clone().try_acquire_owned() else {
            let refused = TooManyKeyless {
                limit: self.layer.limit,
            };
            return Box::pin(async move { Ok(Status::from(refused).into_http()) });
        };
        let answer = self.inner.call(req);
        Box::pin(async move {
            let answer = answer.await?;
            Ok(answer.map(|body| tonic::body::Body::new(Held { body, _slot: slot })))
        })
    }
}

/// A response body that keeps its stream's slot until it ends (or is dropped).
struct Held {
    body: tonic::body::Body,
    _slot: OwnedSemaphorePermit,
}

impl Body for Held {
    type Data = <tonic::body::Body as Body>::Data;
    type Error = <tonic::body::Body as Body>::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}
