//! IP networks in CIDR notation (`10.20.0.0/16`, `2001:db8::/32`): parsed from text the way
//! an operator writes them, and asked whether they contain an address.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// An IPv4 or IPv6 network: an address whose bits past `prefix` are zero, and the prefix
/// length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

/// Why a text is not a network in CIDR notation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CidrError {
    #[error("{0:?} is not a network in CIDR notation, like 10.20.0.0/16 or fd00:1::/64")]
    Syntax(String),
    #[error("{text:?}: the prefix length of an {family} network is at most {max}")]
    Prefix {
        text: String,
        family: &'static str,
        max: u8,
    },
    /// Ambiguous: `10.1.2.3/8` may be a typo for a host or for `10.0.0.0/8`.
    #[error("{text:?} has address bits set past its prefix; the network is {network}")]
    HostBits { text: String, network: Cidr },
}

impl Cidr {
    /// An IPv4 network; `prefix` above 32 counts as 32. For tables written in code, which
    /// their tests check; text goes through [`FromStr`].
    pub const fn v4(octets: [u8; 4], prefix: u8) -> Self {
        let [a, b, c, d] = octets;
        Self {
            network: IpAddr::V4(Ipv4Addr::new(a, b, c, d)),
            prefix: if prefix > 32 { 32 } else { prefix },
        }
    }

    /// An IPv6 network; `prefix` above 128 counts as 128.
    pub const fn v6(segments: [u16; 8], prefix: u8) -> Self {
        let [a, b, c, d, e, f, g, h] = segments;
        Self {
            network: IpAddr::V6(Ipv6Addr::new(a, b, c, d, e, f, g, h)),
            prefix: if prefix > 128 { 128 } else { prefix },
        }
    }

    pub fn network(&self) -> IpAddr {
        self.network
    }

    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// Whether `ip` is in this network. An address of the other family never is: an
    /// IPv4-mapped IPv6 address is not in an IPv4 network unless the caller unmaps it.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }

    /// This network with the bits of `network` past the prefix cleared.
    fn truncated(self) -> Self {
        let network = match self.network {
            IpAddr::V4(a) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                IpAddr::V4(Ipv4Addr::from(u32::from(a) & mask))
            }
            IpAddr::V6(a) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                IpAddr::V6(Ipv6Addr::from(u128::from(a) & mask))
            }
        };
        Self { network, ..self }
    }
}

impl FromStr for Cidr {
    type Err = CidrError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let syntax = || CidrError::Syntax(text.to_owned());
        let (addr, prefix) = text.trim().split_once('/').ok_or_else(syntax)?;
        let network: IpAddr = addr.parse().map_err(|_| syntax())?;
        // Digits only: `u8::from_str` would also take `+8`.
        if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) {
            return Err(syntax());
        }
        let (family, max) = match network {
            IpAddr::V4(_) => ("IPv4", 32),
            IpAddr::V6(_) => ("IPv6", 128),
        };
        let prefix = prefix
            .parse::<u8>()
            .ok()
            .filter(|p| *p <= max)
            .ok_or_else(|| CidrError::Prefix {
                text: text.to_owned(),
                family,
                max,
            })?;
        let cidr = Self { network, prefix };
        let truncated = cidr.truncated();
        if truncated != cidr {
            return Err(CidrError::HostBits {
                text: text.to_owned(),
                network: truncated,
            });
        }
        Ok(cidr)
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn networks_parse_and_contain_their_addresses_only() {
        let net: Cidr = "10.20.0.0/16".parse().unwrap();
        assert!(net.contains(ip("10.20.0.0")));
        assert!(net.contains(ip("10.20.255.255")));
        assert!(!net.contains(ip("10.21.0.0")));
        assert!(!net.contains(ip("10.19.255.255")));
        assert!(!net.contains(ip("::ffff:10.20.0.1")), "other family");
        assert_eq!(net.to_string(), "10.20.0.0/16");

        let host: Cidr = "127.0.0.2/32".parse().unwrap();
        assert!(host.contains(ip("127.0.0.2")));
        assert!(!host.contains(ip("127.0.0.1")));
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("255.255.255.255")));

        let v6: Cidr = "fd00:1::/64".parse().unwrap();
        assert!(v6.contains(ip("fd00:1::ffff:1")));
        assert!(!v6.contains(ip("fd00:1:0:1::")));
        assert!(!v6.contains(ip("10.20.0.1")));
        let all6: Cidr = "::/0".parse().unwrap();
        assert!(all6.contains(ip("ffff::1")));
        assert_eq!(Cidr::v6([0xfd00, 1, 0, 0, 0, 0, 0, 0], 64), v6);
        assert_eq!(Cidr::v4([10, 20, 0, 0], 16), net);
        assert_eq!(Cidr::v4([0, 0, 0, 0], 40).prefix(), 32, "clamped");
    }

    #[test]
    fn malformed_networks_say_what_is_wrong() {
        for bad in [
            "",
            "10.0.0.0",
            "10.0.0.0/",
            "x/8",
            "10.0.0/8",
            "10.0.0.0/+8",
            "/8",
        ] {
            assert!(
                matches!(bad.parse::<Cidr>(), Err(CidrError::Syntax(_))),
                "{bad}"
            );
        }
        for bad in ["10.0.0.0/33", "::/129", "10.0.0.0/300"] {
            assert!(
                matches!(bad.parse::<Cidr>(), Err(CidrError::Prefix { .. })),
                "{bad}"
            );
        }
        let e = "10.1.2.3/8".parse::<Cidr>().unwrap_err();
        assert!(e.to_string().contains("the network is 10.0.0.0/8"), "{e}");
        assert!("fd00::1/64".parse::<Cidr>().is_err());
    }
}
