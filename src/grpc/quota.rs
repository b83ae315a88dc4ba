//! Inbound quotas per merchant, as a tower layer after authentication: a merchant over its
//! quota gets RESOURCE_EXHAUSTED with RetryInfo, and other merchants are unaffected.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, RateLimiter};
use tonic::Status;
use tower::{Layer, Service};

use super::auth::Authenticated;
use crate::config::{LimitsConfig, RateConfig};
use crate::domain::MerchantId;
use crate::metrics::Metrics;

/// A merchant went over its quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("over quota; retry in {retry_after:?}")]
pub struct OverQuota {
    pub retry_after: Duration,
}

/// The quotas: one keyed limiter for every merchant on the default quota, and one limiter
/// per merchant with an override.
pub struct Quotas {
    default: DefaultKeyedRateLimiter<MerchantId>,
    overrides: HashMap<MerchantId, DefaultDirectRateLimiter>,
    clock: DefaultClock,
}

impl Quotas {
    pub fn new(config: &LimitsConfig) -> Self {
        Self {
            default: RateLimiter::keyed(config.merchant.quota()),
            overrides: config
                .merchants
                .iter()
                .filter_map(|m| {
                    let id = m.merchant_id.parse().ok()?;
                    let rate = RateConfig {
                        per_second: m.per_second,
                        burst: m.burst,
                    };
                    Some((id, RateLimiter::direct(rate.quota())))
                })
                .collect(),
            clock: DefaultClock::default(),
        }
    }

    /// Takes one request from the merchant's quota.
    pub fn check(&self, merchant: &MerchantId) -> Result<(), OverQuota> {
        let result = match self.overrides.get(merchant) {
            Some(limiter) => limiter.check(),
            None => self.default.check_key(merchant),
        };
        result.map_err(|not_until| OverQuota {
            retry_after: not_until.wait_time_from(self.clock.now()),
        })
    }
}

#[derive(Clone)]
pub struct QuotaLayer {
    quotas: Arc<Quotas>,
    metrics: Arc<Metrics>,
}

impl QuotaLayer {
    pub fn new(quotas: Arc<Quotas>, metrics: Arc<Metrics>) -> Self {
        Self { quotas, metrics }
    }
}

impl<S> Layer<S> for QuotaLayer {
    type Service = QuotaService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        QuotaService {
            inner,
            quotas: self.quotas.clone(),
            metrics: self.metrics.clone(),
        }
    }
}

#[derive(Clone)]
pub struct QuotaService<S> {
    inner: S,
    quotas: Arc<Quotas>,
    metrics: Arc<Metrics>,
}

impl<S, B> Service<http::Request<B>> for QuotaService<S>
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
        // Only merchant calls carry a merchant; health, reflection and admin pass.
        let merchant = req
            .extensions()
            .get::<Authenticated>()
            .map(|a| a.0.id.clone());
        let verdict = merchant.as_ref().map_or(Ok(()), |m| self.quotas.check(m));
        match (verdict, merchant) {
            (Err(over), Some(merchant)) => {
                self.metrics.rate_limited(merchant.as_str());
                Box::pin(async move { Ok(Status::from(over).into_http()) })
            }
            _ => Box::pin(self.inner.call(req)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::MerchantLimit;

    #[test]
    fn each_merchant_has_its_own_quota_and_overrides_apply() {
        let big: MerchantId = "mch_01M80PTB5J6PAPTZJ1KC0PW8G5".parse().unwrap();
        let small: MerchantId = "mch_01M80PTB5J6PAPTZJ1KC0PW8G6".parse().unwrap();
        let other: MerchantId = "mch_01M80PTB5J6PAPTZJ1KC0PW8G7".parse().unwrap();
        let quotas = Quotas::new(&LimitsConfig {
            merchant: RateConfig {
                per_second: 1,
                burst: 2,
            },
            merchants: vec![MerchantLimit {
                merchant_id: big.to_string(),
                per_second: 1,
                burst: 5,
            }],
        });
        assert!((0..2).all(|_| quotas.check(&small).is_ok()));
        let over = quotas.check(&small).unwrap_err();
        assert!(over.retry_after > Duration::ZERO && over.retry_after <= Duration::from_secs(1));
        // Another merchant on the default quota is unaffected.
        assert!((0..2).all(|_| quotas.check(&other).is_ok()));
        // The override allows a larger burst.
        assert!((0..5).all(|_| quotas.check(&big).is_ok()));
        assert!(quotas.check(&big).is_err());
    }
}
