//! Merchants: the internal services that call paycore, each with API keys of its own.

use sha2::{Digest, Sha256};

use super::{ApiKeyId, MerchantId, Secret, Timestamp};

/// A merchant as stored.
#[derive(Debug, Clone)]
pub struct Merchant {
    pub id: MerchantId,
    pub name: String,
    pub webhook_url: Option<String>,
    pub webhook_secret: Secret<String>,
    /// The secret that also signs until it expires, during a rotation.
    pub previous_webhook_secret: Option<(Secret<String>, Timestamp)>,
    /// The endpoint answered 410 Gone: nothing more is sent to it.
    pub webhook_disabled: bool,
    /// Under mutual TLS, the certificate names (DNS names) a client must present one of to
    /// use this merchant's keys; empty: any client.
    pub client_names: Vec<String>,
    pub created_at: Timestamp,
}

/// One of a merchant's API keys as stored: the key itself never is, only its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub id: ApiKeyId,
    pub merchant_id: MerchantId,
    /// What the operator called it ("orders-prod", "rotation 2026-12").
    pub name: String,
    pub hash: String,
    pub created_at: Timestamp,
    /// After this, the key authenticates nothing.
    pub expires_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

impl ApiKey {
    /// A new key for `merchant`, and the key itself (to show once):
    /// `pk_<the id's body>_<32 random bytes in hex>`, so a key found in a log or a
    /// repository names the id to revoke.
    pub fn generate(
        merchant: &MerchantId,
        name: &str,
        now: Timestamp,
        expires_at: Option<Timestamp>,
    ) -> (Self, Secret<String>) {
        let id = ApiKeyId::generate(now.as_millis());
        let body = &id.as_str()[ApiKeyId::PREFIX.len()..];
        let key = Secret::new(format!("pk_{body}_{}", random_hex(32)));
        let stored = Self {
            id,
            merchant_id: merchant.clone(),
            name: name.to_owned(),
            hash: hash_api_key(key.expose()),
            created_at: now,
            expires_at,
            revoked_at: None,
        };
        (stored, key)
    }

    /// Whether the key authenticates calls at `now`.
    pub fn active(&self, now: Timestamp) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| now < e)
    }
}

/// Whether `name` can be bound to a key: a DNS name a client certificate can carry.
pub fn valid_client_name(name: &str) -> bool {
    rustls_pki_types::DnsName::try_from(name).is_ok() && !name.ends_with('.')
}

/// Hex SHA-256 of an API key: what is stored and looked up.
pub fn hash_api_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// A new Standard Webhooks secret, `whsec_` + base64 of 24 random bytes.
pub fn new_webhook_secret() -> Secret<String> {
    use base64::Engine;
    let mut bytes = [0u8; 24];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    Secret::new(format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    ))
}

fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    hex::encode(bytes)
}
