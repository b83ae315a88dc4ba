//! Merchants: creation (with a one-time API key), listing, and API-key authentication.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use crate::domain::merchant::{hash_api_key, new_api_key, new_webhook_secret};
use crate::domain::{Clock, Merchant, MerchantId, Secret};
use crate::storage::{Store, StoreError};

/// The merchant use cases.
pub struct Merchants {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    /// Merchants already authenticated, by API-key hash. Keys are never revoked yet, so a
    /// cached answer stays right; unknown keys always go to the database.
    known: RwLock<HashMap<String, Arc<Merchant>>>,
}

/// A new merchant and the API key shown this once.
pub struct Created {
    pub merchant: Merchant,
    pub api_key: Secret<String>,
}

impl Merchants {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            clock,
            known: RwLock::new(HashMap::new()),
        }
    }

    pub async fn create(
        &self,
        name: &str,
        webhook_url: Option<String>,
    ) -> Result<Created, StoreError> {
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
        Ok(self
            .store
            .rotate_webhook_secret(id, &secret, until)
            .await?
            .then_some((secret, until)))
    }

    pub async fn list(&self) -> Result<Vec<Merchant>, StoreError> {
        self.store.list_merchants().await
    }

    /// The merchant an API key belongs to, if any.
    pub async fn authenticate(&self, api_key: &str) -> Result<Option<Arc<Merchant>>, StoreError> {
        let hash = hash_api_key(api_key);
        if let Some(m) = self
            .known
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&hash)
        {
            return Ok(Some(m.clone()));
        }
        let Some(merchant) = self.store.merchant_by_key_hash(&hash).await? else {
            return Ok(None);
        };
        let merchant = Arc::new(merchant);
        self.known
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(hash, merchant.clone());
        Ok(Some(merchant))
    }
}
