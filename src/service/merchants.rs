//! Merchants: creation (with a one-time API key and a checked webhook URL), listing, and
//! API-key authentication.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use super::Error;
use super::webhooks::guard::Guard;
use crate::domain::merchant::{hash_api_key, new_api_key, new_webhook_secret};
use crate::domain::{Clock, Merchant, MerchantId, Secret, Timestamp};
use crate::storage::{Store, StoreError};

/// The merchant use cases.
pub struct Merchants {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    /// Checks a webhook URL as it is set, so a merchant learns of a refused one at once
    /// rather than from failed deliveries.
    webhook_guard: Guard,
    /// Merchants already authenticated, by API-key hash, with when they were read. Unknown
    /// keys always go to the database.
    known: RwLock<HashMap<String, (Arc<Merchant>, Timestamp)>>,
}

/// How long an authenticated key's merchant is used without asking the database again: a
/// change made elsewhere (on another node, or by an operator in the database) takes effect
/// on every node within this.
pub const KNOWN_FOR: std::time::Duration = std::time::Duration::from_secs(30);

/// A new merchant and the API key shown this once.
pub struct Created {
    pub merchant: Merchant,
    pub api_key: Secret<String>,
}

impl Merchants {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, webhook_guard: Guard) -> Self {
        Self {
            store,
            clock,
            webhook_guard,
            known: RwLock::new(HashMap::new()),
        }
    }

    /// A new merchant. A webhook URL must be http(s) and reach only addresses webhooks may
    /// reach (checked by resolving it now; delivery checks again as it connects), or the
    /// request is invalid with a `webhook_url` violation naming why.
    pub async fn create(&self, name: &str, webhook_url: Option<String>) -> Result<Created, Error> {
        if let Some(url) = &webhook_url {
            self.webhook_guard
                .check_url(url)
                .await
                .map_err(|e| Error::invalid("webhook_url", e.reason(), e.to_string()))?;
        }
        let now = self.clock.now();
        let api_key = new_api_key();
        let merchant = Merchant {
            id: MerchantId::generate(now.as_millis()),
            name: name.to_owned(),
            api_key_hash: hash_api_key(api_key.expose()),
            webhook_url,
            webhook_secret: new_webhook_secret(),
            previous_webhook_secret: None,
            webhook_disabled: false,
            created_at: now,
        };
        self.store.create_merchant(&merchant).await?;
        Ok(Created { merchant, api_key })
    }

    /// Gives the merchant a new webhook secret; the old one keeps signing (next to the new)
    /// for `grace`. `None` when there is no such merchant.
    pub async fn rotate_webhook_secret(
        &self,
        id: &MerchantId,
        grace: std::time::Duration,
    ) -> Result<Option<(Secret<String>, crate::domain::Timestamp)>, StoreError> {
        let secret = new_webhook_secret();
        let until = self.clock.now().saturating_add(grace);
        let rotated = self.store.rotate_webhook_secret(id, &secret, until).await?;
        // This node sees the change at once; others within KNOWN_FOR.
        self.known
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|_, (m, _)| m.id != *id);
        Ok(rotated.then_some((secret, until)))
    }

    pub async fn list(&self) -> Result<Vec<Merchant>, StoreError> {
        self.store.list_merchants().await
    }

    /// The merchant an API key belongs to, if any.
    pub async fn authenticate(&self, api_key: &str) -> Result<Option<Arc<Merchant>>, StoreError> {
        let hash = hash_api_key(api_key);
        let now = self.clock.now();
        let cached = self
            .known
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&hash)
            .cloned();
        if let Some((m, read_at)) = &cached
            && now < read_at.saturating_add(KNOWN_FOR)
        {
            return Ok(Some(m.clone()));
        }
        let found = self.store.merchant_by_key_hash(&hash).await?.map(Arc::new);
        // Unknown keys (a caller guessing) never take the write lock.
        if found.is_some() || cached.is_some() {
            let mut known = self.known.write().unwrap_or_else(PoisonError::into_inner);
            match &found {
                Some(merchant) => known.insert(hash, (merchant.clone(), now)),
                None => known.remove(&hash),
            };
        }
        Ok(found)
    }
}
