//! The provider registry: every provider paycore speaks, by its config name. A provider owns
//! its part of a channel's config (the keys besides the common ones in `config::ChannelConfig`,
//! e.g. `[channels.alipay]`): their type, their checks, and how its keys are read at start.
//! Adding a provider is its module, with an `impl Setup`, plus one line in `PROVIDERS`.

use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::executor::Executor;
use super::{Provider, alipay, sandbox, stripe, wechatpay};
use crate::domain::Clock;

/// A channel setting that is missing or wrong, named by its config key, e.g.
/// `channels[0].alipay.app_id`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {reason}")]
pub struct SetupError {
    pub key: String,
    pub reason: String,
}

/// What building a channel's adapter may use.
pub struct Context<'a> {
    /// The channel's config path, `channels[i]`.
    pub key: &'a str,
    pub channel_id: &'a str,
    /// Where buyers and providers reach paycore's HTTP port.
    pub public_url: &'a str,
    pub executor: &'a Executor,
    pub clock: &'a Arc<dyn Clock>,
}

impl Context<'_> {
    /// A `SetupError` for `field` of this channel (`field` relative, e.g. `alipay.app_id`).
    pub fn error(&self, field: &str, reason: impl Into<String>) -> SetupError {
        SetupError {
            key: format!("{}.{field}", self.key),
            reason: reason.into(),
        }
    }

    /// `configured`, or this channel's `/callbacks/{id}` under the public URL.
    pub fn notify_url(&self, configured: Option<&str>) -> String {
        configured.map_or_else(
            || format!("{}/callbacks/{}", self.public_url, self.channel_id),
            str::to_owned,
        )
    }
}

/// What a provider implements to be registered.
pub trait Setup {
    /// The provider's name in config (`provider = "…"`).
    const NAME: &'static str;
    /// The channel keys this provider owns, deserialized with `deny_unknown_fields`.
    type Section: DeserializeOwned + Serialize;

    /// Checks the section at config load; `Err((field, reason))` with `field` relative to
    /// the channel, e.g. `("alipay.app_id", "must not be empty")`.
    fn check(section: &Self::Section) -> Result<(), (String, String)>;

    /// Builds the adapter at start: reads key material, resolves URLs.
    fn build(section: Self::Section, context: &Context) -> Result<Arc<dyn Provider>, SetupError>;
}

/// Builds a provider's adapter from a channel's provider-owned keys.
type Build = fn(&toml::Table, &Context) -> Result<Arc<dyn Provider>, SetupError>;

/// A channel's provider-owned keys as read: defaults filled in, secrets masked.
type Effective = fn(&toml::Table, &str) -> Result<toml::Table, SetupError>;

/// One registered provider.
pub struct Entry {
    pub name: &'static str,
    build: Build,
    effective: Effective,
}

/// Every provider paycore speaks.
pub static PROVIDERS: [Entry; 4] = [
    entry::<sandbox::Sandbox>(),
    entry::<alipay::Alipay>(),
    entry::<wechatpay::Wechatpay>(),
    entry::<stripe::Stripe>(),
];

const fn entry<S: Setup>() -> Entry {
    Entry {
        name: S::NAME,
        build: build::<S>,
        effective: effective::<S>,
    }
}

fn parse<S: Setup>(section: &toml::Table, key: &str) -> Result<S::Section, SetupError> {
    toml::Value::Table(section.clone())
        .try_into()
        .map_err(|e: toml::de::Error| SetupError {
            key: key.to_owned(),
            reason: format!("provider {:?}: {}", S::NAME, e.message().trim_end()),
        })
}

/// Parses and checks the section, then builds the adapter.
fn build<S: Setup>(
    section: &toml::Table,
    context: &Context,
) -> Result<Arc<dyn Provider>, SetupError> {
    let section = parse::<S>(section, context.key)?;
    S::check(&section).map_err(|(field, reason)| context.error(&field, reason))?;
    S::build(section, context)
}

fn effective<S: Setup>(section: &toml::Table, key: &str) -> Result<toml::Table, SetupError> {
    toml::Table::try_from(parse::<S>(section, key)?).map_err(|e| SetupError {
        key: key.to_owned(),
        reason: e.to_string(),
    })
}

fn find(name: &str, key: &str) -> Result<&'static Entry, SetupError> {
    PROVIDERS
        .iter()
        .find(|e| e.name == name)
        .ok_or_else(|| SetupError {
            key: format!("{key}.provider"),
            reason: format!(
                "unknown provider {name:?}; known: {}",
                PROVIDERS
                    .iter()
                    .map(|e| e.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
}

/// Builds the adapter for a channel of `provider` from its provider-owned keys (`section`):
/// checks them, reads key material. Errors name the config key.
pub fn build_provider(
    provider: &str,
    section: &toml::Table,
    context: &Context,
) -> Result<Arc<dyn Provider>, SetupError> {
    (find(provider, context.key)?.build)(section, context)
}

/// A channel's provider-owned keys as paycore reads them (defaults filled in, secrets
/// masked), for printing the effective config.
pub fn effective_section(
    provider: &str,
    section: &toml::Table,
    key: &str,
) -> Result<toml::Table, SetupError> {
    (find(provider, key)?.effective)(section, key)
}

/// A key that must be read from exactly one source, `{name}_file` or `{name}_env`.
pub fn one_source<F, E>(
    name: &str,
    file: &Option<F>,
    env: &Option<E>,
) -> Result<(), (String, String)> {
    if file.is_some() == env.is_some() {
        return Err((
            format!("{name}_file"),
            format!("set exactly one of {name}_file and {name}_env"),
        ));
    }
    Ok(())
}

/// An http(s) base URL.
pub fn http_url(field: &str, url: &str) -> Result<(), (String, String)> {
    if url.starts_with("https://") || url.starts_with("http://") {
        Ok(())
    } else {
        Err((field.to_owned(), "must be an http(s) URL".to_owned()))
    }
}

#[cfg(test)]
mod tests;
