//! AdminService's merchant and API-key calls: decoding their ids and durations, and
//! encoding merchants and keys (never a key's hash, nor a secret it was not asked to make).

use std::time::Duration;

use crate::domain::{ApiKey, ApiKeyId, Merchant, MerchantId};
use crate::proto::{timestamp, v1};
use crate::service::Error;

pub fn merchant(m: &Merchant) -> v1::Merchant {
    v1::Merchant {
        id: m.id.to_string(),
        name: m.name.clone(),
        webhook_url: m.webhook_url.clone().unwrap_or_default(),
        webhook_disabled: m.webhook_disabled,
        created_at: Some(timestamp(m.created_at)),
        client_names: m.client_names.clone(),
    }
}

pub fn api_key(k: &ApiKey) -> v1::ApiKey {
    v1::ApiKey {
        id: k.id.to_string(),
        merchant_id: k.merchant_id.to_string(),
        name: k.name.clone(),
        created_at: Some(timestamp(k.created_at)),
        expires_at: k.expires_at.map(timestamp),
        revoked_at: k.revoked_at.map(timestamp),
    }
}

pub fn merchant_id(s: &str) -> Result<MerchantId, Error> {
    s.parse()
        .map_err(|_| Error::invalid("merchant_id", "INVALID_ID", "must be a merchant id (mch_…)"))
}

pub fn api_key_id(s: &str) -> Result<ApiKeyId, Error> {
    s.parse()
        .map_err(|_| Error::invalid("api_key_id", "INVALID_ID", "must be an API key id (key_…)"))
}

/// An optional duration field: absent is `None`, negative is invalid.
pub fn duration(field: &str, d: Option<&prost_types::Duration>) -> Result<Option<Duration>, Error> {
    d.map(|d| {
        Duration::try_from(*d)
            .map_err(|_| Error::invalid(field, "INVALID_DURATION", "must not be negative"))
    })
    .transpose()
}

/// An optional string field: empty is `None`.
pub fn optional(s: String) -> Option<String> {
    Some(s).filter(|s| !s.is_empty())
}
