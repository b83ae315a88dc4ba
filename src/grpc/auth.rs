//! Authentication as a tower layer: merchant RPCs need `authorization: Bearer <api key>`
//! (the merchant goes into the request's extensions); AdminService and forwarded provider
//! notifications need the operator key. A key bound to client certificate names (see
//! `peer`) is refused from a connection without such a certificate.
//! Health and reflection are open.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tonic::Status;
use tower::{Layer, Service};

use super::peer::Peer;
use crate::domain::{Merchant, Secret};
use crate::service::StoreError;
use crate::service::merchants::Merchants;

const MERCHANT_PREFIX: &str = "/paycore.v1.";
/// Paths that need the operator key rather than a merchant's.
const OPERATOR_PATHS: &[&str] = &[
    "/paycore.v1.AdminService/",
    "/paycore.v1.ReconciliationService/",
    "/paycore.v1.NotifyService/HandleProviderNotification",
];

/// Why a call was not let through. Mapped to a status in `super::error`.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("no API key")]
    MissingApiKey,
    #[error("unknown API key")]
    InvalidApiKey,
    #[error("wrong or missing operator key")]
    InvalidOperatorKey,
    #[error("no operator key configured")]
    AdminDisabled,
    #[error("the key may not be used with this client certificate")]
    ClientNotAllowed,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The merchant a call was authenticated as.
#[derive(Clone)]
pub struct Authenticated(pub Arc<Merchant>);

/// The merchant of an authenticated call. The layer guarantees one for merchant services.
pub fn merchant<T>(req: &tonic::Request<T>) -> Result<Arc<Merchant>, Status> {
    req.extensions()
        .get::<Authenticated>()
        .map(|a| a.0.clone())
        .ok_or_else(|| AuthError::MissingApiKey.into())
}

#[derive(Clone)]
pub struct AuthLayer {
    merchants: Arc<Merchants>,
    /// SHA-256 of the operator key, compared in constant time with the digest of the key
    /// given: neither the comparison's timing nor the key's length says anything.
    operator_key_hash: Option<[u8; 32]>,
    /// The client certificate names the operator key is bound to; empty: any client.
    operator_names: Arc<[String]>,
}

/// The connection's client certificate, as the server put it in the request.
fn peer<B>(req: &http::Request<B>) -> Peer {
    req.extensions().get::<Peer>().cloned().unwrap_or_default()
}

impl AuthLayer {
    pub fn new(
        merchants: Arc<Merchants>,
        operator_key: Option<&Secret<String>>,
        operator_names: &[String],
    ) -> Self {
        Self {
            merchants,
            operator_key_hash: operator_key.map(|k| Sha256::digest(k.expose().as_bytes()).into()),
            operator_names: operator_names.into(),
        }
    }

    async fn check<B>(&self, req: &mut http::Request<B>) -> Result<(), AuthError> {
        let path = req.uri().path();
        if !path.starts_with(MERCHANT_PREFIX) {
            return Ok(());
        }
        let admin = OPERATOR_PATHS.iter().any(|p| path.starts_with(p));
        let key = req
            .headers()
            .get(http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        if admin {
            let expected = self.operator_key_hash.ok_or(AuthError::AdminDisabled)?;
            let given: [u8; 32] = Sha256::digest(key.unwrap_or_default().as_bytes()).into();
            if !(key.is_some() && bool::from(given.ct_eq(&expected))) {
                return Err(AuthError::InvalidOperatorKey);
            }
            if !self.operator_names.is_empty() && !peer(req).is_named(&self.operator_names) {
                return Err(AuthError::ClientNotAllowed);
            }
            return Ok(());
        }
        let key = key
            .filter(|k| !k.is_empty())
            .ok_or(AuthError::MissingApiKey)?;
        let merchant = self
            .merchants
            .authenticate(key)
            .await?
            .ok_or(AuthError::InvalidApiKey)?;
        if !merchant.client_names.is_empty() && !peer(req).is_named(&merchant.client_names) {
            return Err(AuthError::ClientNotAllowed);
        }
        // The call's span (see observe) names the merchant from here on.
        tracing::Span::current().record("merchant", tracing::field::display(&merchant.id));
        req.extensions_mut().insert(Authenticated(merchant));
        Ok(())
    }
}

impl<S> Layer<S> for AuthLayer {
    type Service = Auth<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Auth {
            inner,
            layer: self.clone(),
        }
    }
}

#[derive(Clone)]
pub struct Auth<S> {
    inner: S,
    layer: AuthLayer,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S, B> Service<http::Request<B>> for Auth<S>
where
    S: Service<http::Request<B>, Response = http::Response<tonic::body::Body>>
        + Clone
        + Send
        + 'static,
    S::Future: Send,
    B: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: http::Request<B>) -> Self::Future {
        // The clone is not ready; keep the ready one for this call (tower's usual swap).
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let layer = self.layer.clone();
        Box::pin(async move {
            match layer.check(&mut req).await {
                Ok(()) => inner.call(req).await,
                Err(e) => Ok(Status::from(e).into_http()),
            }
        })
    }
}
