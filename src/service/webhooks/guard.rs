//! The address guard of outbound webhooks: which addresses a webhook may reach, the DNS
//! resolver of the webhook client (so the address checked is the address connected to),
//! and the check of a webhook URL when it is set.
//!
//! A name is resolved once per connection, by the resolver, which drops every refused
//! address: a second, separate lookup could answer differently (DNS rebinding) and send a
//! signed request into paycore's own network.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use crate::config::WebhooksConfig;
use crate::domain::Cidr;
use crate::domain::network::CidrError;
use crate::provider::executor::ResolveError;

use super::address::{self, Special};

/// The longest a webhook URL's check waits for its name to resolve. (At delivery, the try's
/// timeout bounds it.)
const CHECK_LOOKUP_TIMEOUT: Duration = Duration::from_secs(10);

/// Resolves a host name to its addresses: the system resolver, or a test's script.
#[async_trait::async_trait]
pub trait Lookup: Send + Sync + 'static {
    async fn lookup(&self, host: &str) -> std::io::Result<Vec<IpAddr>>;
}

/// The system resolver (getaddrinfo, through tokio).
pub struct SystemLookup;

#[async_trait::async_trait]
impl Lookup for SystemLookup {
    async fn lookup(&self, host: &str) -> std::io::Result<Vec<IpAddr>> {
        Ok(tokio::net::lookup_host((host, 0))
            .await?
            .map(|a| a.ip())
            .collect())
    }
}

/// An address the guard refuses, and why.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    pub ip: IpAddr,
    pub special: Special,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is {}", self.ip, self.special)
    }
}

/// Why a webhook URL is refused when it is set.
#[derive(Debug, thiserror::Error)]
pub enum UrlRefused {
    #[error("not an http:// or https:// URL with a host")]
    Malformed,
    #[error("{0}, where webhooks may not go")]
    NotAllowed(Refusal),
    #[error(
        "{host} resolves to {}, which is {}, where webhooks may not go",
        refusal.ip,
        refusal.special
    )]
    ResolvesNotAllowed { host: String, refusal: Refusal },
    #[error("cannot resolve {host}: {source}")]
    Unresolvable {
        host: String,
        #[source]
        source: std::io::Error,
    },
}

impl UrlRefused {
    /// The stable reason a caller is given.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Malformed => "INVALID_WEBHOOK_URL",
            Self::NotAllowed(_) | Self::ResolvesNotAllowed { .. } => "WEBHOOK_URL_NOT_ALLOWED",
            Self::Unresolvable { .. } => "WEBHOOK_URL_UNRESOLVABLE",
        }
    }
}

/// Where a URL points: an address, or a name to resolve.
pub enum Target {
    Ip(IpAddr),
    Name(String),
}

/// An http(s) URL's host, or `Malformed`.
pub fn target(url: &str) -> Result<Target, UrlRefused> {
    let url = reqwest::Url::parse(url).map_err(|_| UrlRefused::Malformed)?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(UrlRefused::Malformed);
    }
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or(UrlRefused::Malformed)?;
    // The URL parser has already turned every IPv4 spelling (`0x7f.1`, `2130706433`) into
    // dotted decimal; IPv6 comes in brackets.
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    Ok(match bare.parse::<IpAddr>() {
        Ok(ip) => Target::Ip(ip),
        Err(_) => Target::Name(host.to_owned()),
    })
}

/// Which addresses webhooks may reach: none of the special-purpose ones
/// ([`address::special`]) except those in `webhooks.allow_networks`; any at all with
/// `webhooks.allow_private`. Also the webhook client's DNS resolver.
#[derive(Clone)]
pub struct Guard {
    off: bool,
    allowed: Arc<[Cidr]>,
    lookup: Arc<dyn Lookup>,
}

impl Guard {
    pub fn new(config: &WebhooksConfig, lookup: Arc<dyn Lookup>) -> Result<Self, CidrError> {
        Ok(Self {
            off: config.allow_private,
            allowed: config.allowed_networks()?.into(),
            lookup,
        })
    }

    /// Whether a webhook may reach `ip`.
    pub fn check(&self, ip: IpAddr) -> Result<(), Refusal> {
        if self.off {
            return Ok(());
        }
        // An operator's exception names IPv4 networks for IPv4-mapped addresses too.
        let canonical = ip.to_canonical();
        if self.allowed.iter().any(|n| n.contains(canonical)) {
            return Ok(());
        }
        match address::special(ip) {
            Some(special) => Err(Refusal { ip, special }),
            None => Ok(()),
        }
    }

    /// The addresses of `host` a webhook may reach, from one lookup; an error when there
    /// are none.
    pub async fn resolve(&self, host: &str) -> Result<Vec<IpAddr>, ResolveError> {
        let unresolvable = |source| ResolveError::Unresolvable {
            host: host.to_owned(),
            source,
        };
        let all = self.lookup.lookup(host).await.map_err(unresolvable)?;
        if all.is_empty() {
            return Err(unresolvable(std::io::Error::other("no address")));
        }
        let mut allowed = Vec::new();
        let mut refused = Vec::new();
        for ip in all {
            match self.check(ip) {
                Ok(()) => allowed.push(ip),
                Err(refusal) => refused.push(refusal.to_string()),
            }
        }
        if allowed.is_empty() {
            return Err(ResolveError::NotAllowed(format!(
                "{host} resolves only to refused addresses: {}",
                refused.join("; ")
            )));
        }
        if !refused.is_empty() {
            tracing::debug!(host, ?refused, "webhook: refused addresses dropped");
        }
        Ok(allowed)
    }

    /// The check of a webhook URL when it is set: an http(s) URL with a host whose every
    /// address a webhook may reach (a name must resolve, and none of its addresses may be
    /// refused). With the guard off, only the URL's form is checked.
    pub async fn check_url(&self, url: &str) -> Result<(), UrlRefused> {
        let target = target(url)?;
        if self.off {
            return Ok(());
        }
        match target {
            Target::Ip(ip) => self.check(ip).map_err(UrlRefused::NotAllowed),
            Target::Name(host) => {
                let unresolvable = |source| UrlRefused::Unresolvable {
                    host: host.clone(),
                    source,
                };
                let all = tokio::time::timeout(CHECK_LOOKUP_TIMEOUT, self.lookup.lookup(&host))
                    .await
                    .unwrap_or_else(|_| Err(std::io::ErrorKind::TimedOut.into()))
                    .map_err(unresolvable)?;
                if all.is_empty() {
                    return Err(unresolvable(std::io::Error::other("no address")));
                }
                match all.into_iter().find_map(|ip| self.check(ip).err()) {
                    Some(refusal) => Err(UrlRefused::ResolvesNotAllowed { host, refusal }),
                    None => Ok(()),
                }
            }
        }
    }
}

impl reqwest::dns::Resolve for Guard {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let guard = self.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let ips = guard.resolve(&host).await?;
            // Port 0: the client puts in the URL's.
            let addrs: reqwest::dns::Addrs =
                Box::new(ips.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

/// The scripted resolver and guards the webhook tests share.
#[cfg(test)]
pub(super) mod tests;
