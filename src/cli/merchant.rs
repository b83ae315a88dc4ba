//! `paycore merchant …`: merchants, their API keys and webhook settings, for an operator on
//! the host. Each prints JSON, one object a line; a key or secret is printed only by the
//! command that makes it. AdminService offers the same over gRPC.

use std::time::Duration;

use clap::Subcommand;

use super::{BadValue, BoxError, merchant_id};
use crate::domain::{ApiKey, ApiKeyId, MerchantId};
use crate::proto::json::rfc3339;
use crate::service;
use crate::service::merchants::Merchants;
use crate::service::webhooks::guard;

#[derive(Subcommand)]
pub enum MerchantCommand {
    /// Create a merchant; prints {merchant_id, api_key_id, api_key, webhook_secret} once.
    Create {
        /// The merchant's name, 1-200 characters.
        #[arg(long, value_parser = merchant_name)]
        name: String,
        /// Where paycore POSTs the merchant's events, an http:// or https:// URL whose host
        /// is not, and resolves to no, special-purpose address (loopback, private, cloud
        /// metadata...) unless webhooks.allow_networks or allow_private permit it (default:
        /// none, so no webhooks).
        #[arg(long, value_name = "URL", value_parser = webhook_url)]
        webhook_url: Option<String>,
    },
    /// List merchants (never their keys).
    List,
    /// Give a merchant a new webhook secret; both sign deliveries during the grace period.
    RotateSecret {
        /// The merchant, by its id (mch_…).
        #[arg(long, value_name = "ID", value_parser = merchant_id)]
        merchant_id: MerchantId,
        /// How long the old secret keeps signing, in seconds.
        #[arg(long, value_name = "SECS", default_value_t = 86_400)]
        grace_secs: u64,
    },
    /// Set a merchant's webhook URL, or remove it; a URL disabled by a 410 is sent to again.
    SetWebhook {
        /// The merchant, by its id (mch_…).
        #[arg(long, value_name = "ID", value_parser = merchant_id)]
        merchant_id: MerchantId,
        /// The new URL, checked as for `create` (default: none; give it or --remove).
        #[arg(long, value_name = "URL", value_parser = webhook_url, required_unless_present = "remove")]
        webhook_url: Option<String>,
        /// Remove the webhook URL: no more webhooks for this merchant.
        #[arg(long, conflicts_with = "webhook_url")]
        remove: bool,
    },
    /// Under mutual TLS, let the merchant's keys be used only by clients whose certificate
    /// is for one of these DNS names; without --client-name, by any client.
    SetClientNames {
        /// The merchant, by its id (mch_…).
        #[arg(long, value_name = "ID", value_parser = merchant_id)]
        merchant_id: MerchantId,
        /// A DNS name the client certificate must carry; repeat for several (default: none,
        /// so any client).
        #[arg(long = "client-name", value_name = "NAME")]
        client_names: Vec<String>,
    },
    /// Give a merchant another API key; prints {api_key_id, api_key, …} once.
    CreateKey {
        /// The merchant, by its id (mch_…).
        #[arg(long, value_name = "ID", value_parser = merchant_id)]
        merchant_id: MerchantId,
        /// What to call the key in lists, up to 64 characters (default: none).
        #[arg(long, default_value = "")]
        name: String,
        /// Make the key stop working after this many days (default: never).
        #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..))]
        expires_in_days: Option<u32>,
    },
    /// List a merchant's API keys (ids and states, never the keys).
    Keys {
        /// The merchant, by its id (mch_…).
        #[arg(long, value_name = "ID", value_parser = merchant_id)]
        merchant_id: MerchantId,
    },
    /// Revoke an API key: refused at once by this database's nodes, within 30 s by all.
    RevokeKey {
        /// The merchant, by its id (mch_…).
        #[arg(long, value_name = "ID", value_parser = merchant_id)]
        merchant_id: MerchantId,
        /// The key, by its id (key_…), as `keys` lists it or its key's pk_<id>_ prefix says.
        #[arg(value_name = "KEY_ID", value_parser = key_id)]
        key_id: ApiKeyId,
    },
}

fn merchant_name(s: &str) -> Result<String, String> {
    if s.trim().is_empty() || s.len() > 200 {
        return Err("must be 1-200 characters".into());
    }
    Ok(s.to_owned())
}

/// The URL's form only; where it points is checked with the configuration, by the service.
fn webhook_url(s: &str) -> Result<String, String> {
    guard::target(s).map_err(|e| e.to_string())?;
    Ok(s.to_owned())
}

/// A key's id, `key_…`, or the key itself's `pk_<body>_` prefix.
fn key_id(s: &str) -> Result<ApiKeyId, String> {
    let body = s.strip_prefix("pk_").and_then(|k| k.split('_').next());
    match body {
        Some(body) => format!("{}{body}", ApiKeyId::PREFIX).parse(),
        None => s.parse(),
    }
    .map_err(|_| "not an API key id (key_…)".to_owned())
}

/// A key as listed: never its hash.
fn key_json(key: &ApiKey) -> serde_json::Value {
    serde_json::json!({
        "api_key_id": key.id.to_string(),
        "merchant_id": key.merchant_id.to_string(),
        "name": key.name,
        "created_at": rfc3339(key.created_at),
        "expires_at": key.expires_at.map(rfc3339),
        "revoked_at": key.revoked_at.map(rfc3339),
    })
}

pub async fn run(merchants: &Merchants, cmd: MerchantCommand) -> Result<(), BoxError> {
    match cmd {
        MerchantCommand::Create { name, webhook_url } => {
            let created = merchants
                .create(&name, webhook_url)
                .await
                .map_err(refused_flags)?;
            let out = serde_json::json!({
                "merchant_id": created.merchant.id.to_string(),
                "api_key_id": created.key.id.to_string(),
                "api_key": created.api_key.expose(),
                "webhook_secret": created.merchant.webhook_secret.expose(),
            });
            println!("{out}");
        }
        MerchantCommand::RotateSecret {
            merchant_id,
            grace_secs,
        } => {
            let (secret, until) = merchants
                .rotate_webhook_secret(&merchant_id, Duration::from_secs(grace_secs))
                .await?;
            let out = serde_json::json!({
                "merchant_id": merchant_id.to_string(),
                "webhook_secret": secret.expose(),
                "previous_secret_valid_until": rfc3339(until),
            });
            println!("{out}");
        }
        MerchantCommand::SetWebhook {
            merchant_id,
            webhook_url,
            remove: _,
        } => {
            // clap makes --remove and --webhook-url exclusive: no URL means remove.
            let m = merchants
                .set_webhook_url(&merchant_id, webhook_url)
                .await
                .map_err(refused_flags)?;
            let out = serde_json::json!({
                "merchant_id": m.id.to_string(),
                "webhook_url": m.webhook_url,
            });
            println!("{out}");
        }
        MerchantCommand::SetClientNames {
            merchant_id,
            client_names,
        } => {
            let m = merchants
                .set_client_names(&merchant_id, client_names)
                .await
                .map_err(refused_flags)?;
            let out = serde_json::json!({
                "merchant_id": m.id.to_string(),
                "client_names": m.client_names,
            });
            println!("{out}");
        }
        MerchantCommand::CreateKey {
            merchant_id,
            name,
            expires_in_days,
        } => {
            let valid_for = expires_in_days.map(|d| Duration::from_secs(u64::from(d) * 24 * 3600));
            let (key, secret) = merchants
                .create_key(&merchant_id, &name, valid_for)
                .await
                .map_err(refused_flags)?;
            let mut out = key_json(&key);
            out["api_key"] = secret.expose().clone().into();
            println!("{out}");
        }
        MerchantCommand::Keys { merchant_id } => {
            for key in merchants.keys(&merchant_id).await? {
                println!("{}", key_json(&key));
            }
        }
        MerchantCommand::RevokeKey {
            merchant_id,
            key_id,
        } => {
            let key = merchants.revoke_key(&merchant_id, &key_id).await?;
            println!("{}", key_json(&key));
        }
        MerchantCommand::List => {
            for m in merchants.list().await? {
                let out = serde_json::json!({
                    "merchant_id": m.id.to_string(),
                    "name": m.name,
                    "webhook_url": m.webhook_url,
                });
                println!("{out}");
            }
        }
    }
    Ok(())
}

/// A service error, with a refused request told as the flags at fault (`--webhook-url:
/// …`), which exits 2.
fn refused_flags(e: service::Error) -> BoxError {
    match e {
        service::Error::InvalidRequest(violations) => {
            let why: Vec<String> = violations
                .into_iter()
                .map(|v| format!("--{}: {}", v.field.replace('_', "-"), v.description))
                .collect();
            BadValue(why.join("; ")).into()
        }
        other => other.into(),
    }
}
