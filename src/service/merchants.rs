//! Merchants and their API keys: creation (with a first key shown once and a checked webhook
//! URL), further keys that can be revoked or expire, webhook URL and secret changes, and
//! API-key authentication. The CLI and the operator's gRPC calls both come here, so they
//! mean the same.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use super::Error;
use super::webhooks::guard::Guard;
use crate::domain::merchant::{hash_api_key, new_webhook_secret, valid_client_name};
use crate::domain::{ApiKey, ApiKeyId, Clock, Merchant, MerchantId, Secret, Timestamp};
use crate::storage::{Store, StoreError};

/// The merchant use cases.
pub struct Merchants {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    /// Checks a webhook URL as it is set, so a merchant learns of a refused one at once
    /// rather than from failed deliveries.
    webhook_guard: Guard,
    /// Keys already authenticated, by hash: their merchant, their key, and when they were
    /// read. Unknown keys always go to the database.
    known: RwLock<HashMap<String, Known>>,
}

struct Known {
    merchant: Arc<Merchant>,
    key: ApiKey,
    read_at: Timestamp,
}

/// How long an authenticated key's merchant is used without asking the database again: a
/// change made elsewhere (a key revoked on another node, or by an operator in the database)
/// takes effect on every node within this. A key revoked on this node stops at once, and an
/// expiry is checked on every call.
pub const KNOWN_FOR: Duration = Duration::from_secs(30);

/// A new merchant and its first API key, shown this once.
pub struct Created {
    pub merchant: Merchant,
    pub key: ApiKey,
    pub api_key: Secret<String>,
}

/// A name for a key: what an operator will recognise in a list.
fn key_name(name: &str) -> Result<String, Error> {
    let name = name.trim();
    if name.chars().count() > 64 || name.chars().any(char::is_control) {
        return Err(Error::invalid(
            "name",
            "INVALID_KEY_NAME",
            "at most 64 characters, none of them control characters",
        ));
    }
    Ok(name.to_owned())
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

    /// A webhook URL must be http(s) and reach only addresses webhooks may reach (checked by
    /// resolving it now; delivery checks again as it connects), or the request is invalid
    /// with a `webhook_url` violation naming why.
    async fn check_webhook_url(&self, url: Option<&str>) -> Result<(), Error> {
        if let Some(url) = url {
            self.webhook_guard
                .check_url(url)
                .await
                .map_err(|e| Error::invalid("webhook_url", e.reason(), e.to_string()))?;
        }
        Ok(())
    }

    /// A new merchant with its first API key.
    pub async fn create(&self, name: &str, webhook_url: Option<String>) -> Result<Created, Error> {
        if name.trim().is_empty() || name.chars().count() > 200 {
            return Err(Error::invalid(
                "name",
                "INVALID_MERCHANT_NAME",
                "1 to 200 characters",
            ));
        }
        self.check_webhook_url(webhook_url.as_deref()).await?;
        let now = self.clock.now();
        let merchant = Merchant {
            id: MerchantId::generate(now.as_millis()),
            name: name.trim().to_owned(),
            webhook_url,
            webhook_secret: new_webhook_secret(),
            previous_webhook_secret: None,
            webhook_disabled: false,
            created_at: now,
            client_names: Vec::new(),
        };
        let (key, api_key) = ApiKey::generate(&merchant.id, "initial", now, None);
        self.store.create_merchant(&merchant, &key).await?;
        Ok(Created {
            merchant,
            key,
            api_key,
        })
    }

    pub async fn list(&self) -> Result<Vec<Merchant>, StoreError> {
        self.store.list_merchants().await
    }

    /// One merchant, or `MerchantNotFound`.
    pub async fn get(&self, id: &MerchantId) -> Result<Merchant, Error> {
        self.store
            .merchant(id)
            .await?
            .ok_or(Error::MerchantNotFound)
    }

    /// A further key for the merchant, named `name`, expiring after `valid_for` if given;
    /// the key itself is returned this once.
    pub async fn create_key(
        &self,
        merchant: &MerchantId,
        name: &str,
        valid_for: Option<Duration>,
    ) -> Result<(ApiKey, Secret<String>), Error> {
        let name = key_name(name)?;
        if valid_for.is_some_and(|d| d.is_zero()) {
            return Err(Error::invalid(
                "valid_for",
                "INVALID_DURATION",
                "must be positive when given",
            ));
        }
        let now = self.clock.now();
        let expires_at = valid_for.map(|d| now.saturating_add(d));
        let (key, secret) = ApiKey::generate(merchant, &name, now, expires_at);
        if !self.store.insert_api_key(&key).await? {
            return Err(Error::MerchantNotFound);
        }
        Ok((key, secret))
    }

    /// The merchant's keys, oldest first, revoked and expired ones included.
    pub async fn keys(&self, merchant: &MerchantId) -> Result<Vec<ApiKey>, Error> {
        self.get(merchant).await?;
        Ok(self.store.api_keys(merchant).await?)
    }

    /// Revokes a key: on this node at once, on the others within `KNOWN_FOR`. Revoking a
    /// revoked key changes nothing.
    pub async fn revoke_key(&self, merchant: &MerchantId, id: &ApiKeyId) -> Result<ApiKey, Error> {
        let key = self
            .store
            .revoke_api_key(merchant, id, self.clock.now())
            .await?
            .ok_or(Error::ApiKeyNotFound)?;
        self.known
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|_, known| known.key.id != *id);
        Ok(key)
    }

    /// Sets or removes the merchant's webhook URL (a URL set again after a 410 is sent to
    /// again); the merchant as it now is.
    pub async fn set_webhook_url(
        &self,
        merchant: &MerchantId,
        url: Option<String>,
    ) -> Result<Merchant, Error> {
        self.check_webhook_url(url.as_deref()).await?;
        if !self.store.set_webhook_url(merchant, url.as_deref()).await? {
            return Err(Error::MerchantNotFound);
        }
        self.forget(merchant);
        self.get(merchant).await
    }

    /// Binds the merchant's keys to clients with a certificate for one of `names` (under
    /// mutual TLS); no names: any client. The merchant as it now is.
    pub async fn set_client_names(
        &self,
        merchant: &MerchantId,
        names: Vec<String>,
    ) -> Result<Merchant, Error> {
        let bad: Vec<_> = names.iter().filter(|n| !valid_client_name(n)).collect();
        if !bad.is_empty() || names.len() > 16 {
            return Err(Error::invalid(
                "client_names",
                "INVALID_CLIENT_NAME",
                format!("at most 16 DNS names; not DNS names: {bad:?}"),
            ));
        }
        if !self.store.set_client_names(merchant, &names).await? {
            return Err(Error::MerchantNotFound);
        }
        self.forget(merchant);
        self.get(merchant).await
    }

    /// Gives the merchant a new webhook secret; the old one keeps signing (next to the new)
    /// for `grace`. The new secret, and when the old one stops.
    pub async fn rotate_webhook_secret(
        &self,
        id: &MerchantId,
        grace: Duration,
    ) -> Result<(Secret<String>, Timestamp), Error> {
        let secret = new_webhook_secret();
        let until = self.clock.now().saturating_add(grace);
        if !self.store.rotate_webhook_secret(id, &secret, until).await? {
            return Err(Error::MerchantNotFound);
        }
        self.forget(id);
        Ok((secret, until))
    }

    /// Drops this node's cached copies of the merchant: it sees a change at once, other
    /// nodes within `KNOWN_FOR`.
    fn forget(&self, merchant: &MerchantId) {
        self.known
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|_, known| known.merchant.id != *merchant);
    }

    /// The merchant an active API key belongs to; `None` for a key that is unknown, revoked
    /// or expired.
    pub async fn authenticate(&self, api_key: &str) -> Result<Option<Arc<Merchant>>, StoreError> {
        let hash = hash_api_key(api_key);
        let now = self.clock.now();
        // Answered under the read lock when the key is known and fresh: one Arc clone, which
        // is every authenticated call's cost.
        let cached = match self
            .known
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&hash)
        {
            Some(known) if now < known.read_at.saturating_add(KNOWN_FOR) => {
                return Ok(known.key.active(now).then(|| known.merchant.clone()));
            }
            stale => stale.is_some(),
        };
        let found = self
            .store
            .key_by_hash(&hash)
            .await?
            .filter(|(_, key)| key.active(now))
            .map(|(merchant, key)| Known {
                merchant: Arc::new(merchant),
                key,
                read_at: now,
            });
        // Unknown keys (a caller guessing) never take the write lock.
        let merchant = found.as_ref().map(|k| k.merchant.clone());
        if found.is_some() || cached {
            let mut known = self.known.write().unwrap_or_else(PoisonError::into_inner);
            match found {
                Some(k) => known.insert(hash, k),
                None => known.remove(&hash),
            };
        }
        Ok(merchant)
    }
}
