//! Merchants: the internal services that call paycore, each with its own API key.

use sha2::{Digest, Sha256};

use super::{MerchantId, Secret, Timestamp};

/// A merchant as stored. The API key itself is never stored, only its SHA-256.
#[derive(Debug, Clone)]
pub struct Merchant {
    pub id: MerchantId,
    pub name: String,
    pub api_key_hash: String,
    pub webhook_url: Option<String>,
    pub webhook_secret: Secret<String>,
    /// The secret that also signs until it expires, during a rotation.
    pub previous_webhook_secret: Option<(Secret<String>, Timestamp)>,
    /// The endpoint answered 410 Gone: nothing more is sent to it.
    pub webhook_disabled: bool,
    pub created_at: Timestamp,
}

/// Hex SHA-256 of an API key: what is stored and looked up.
pub fn hash_api_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// A new random API key, `pk_` + 32 random bytes in hex.
pub fn new_api_key() -> Secret<String> {
    Secret::new(format!("pk_{}", random_hex(32)))
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
