//! The addresses a webhook must not reach: every special-purpose network IANA registers
//! (loopback, private, shared/CGNAT, link-local, documentation, translation, multicast,
//! reserved...), where a merchant's public endpoint cannot be but paycore's own network,
//! a cloud metadata service (169.254.169.254, Alibaba Cloud's 100.100.100.200) or a
//! translator into it can.

use std::fmt;
use std::net::IpAddr;

use crate::domain::Cidr;

/// A special-purpose network and what it is for.
#[derive(Debug, PartialEq, Eq)]
pub struct Block {
    pub network: Cidr,
    pub name: &'static str,
}

const fn v4(octets: [u8; 4], prefix: u8, name: &'static str) -> Block {
    Block {
        network: Cidr::v4(octets, prefix),
        name,
    }
}

const fn v6(segments: [u16; 8], prefix: u8, name: &'static str) -> Block {
    Block {
        network: Cidr::v6(segments, prefix),
        name,
    }
}

/// The IANA IPv4 Special-Purpose Address Registry
/// (<https://www.iana.org/assignments/iana-ipv4-special-registry/>), every entry, including
/// the few it marks globally reachable (AS112, AMT anycast: no webhook receiver lives
/// there), plus multicast from the IPv4 Multicast Address Space registry. Entries inside
/// another (0.0.0.0/32, 192.0.0.0/29...) are covered by it.
pub const V4: &[Block] = &[
    v4([0, 0, 0, 0], 8, "\"this network\", RFC 791"),
    v4([10, 0, 0, 0], 8, "private-use, RFC 1918"),
    v4(
        [100, 64, 0, 0],
        10,
        "shared address space (CGNAT), RFC 6598",
    ),
    v4([127, 0, 0, 0], 8, "loopback, RFC 1122"),
    v4([169, 254, 0, 0], 16, "link-local, RFC 3927"),
    v4([172, 16, 0, 0], 12, "private-use, RFC 1918"),
    v4([192, 0, 0, 0], 24, "IETF protocol assignments, RFC 6890"),
    v4([192, 0, 2, 0], 24, "documentation (TEST-NET-1), RFC 5737"),
    v4([192, 31, 196, 0], 24, "AS112-v4, RFC 7535"),
    v4([192, 52, 193, 0], 24, "AMT, RFC 7450"),
    v4([192, 88, 99, 0], 24, "6to4 relay anycast, RFC 7526"),
    v4([192, 168, 0, 0], 16, "private-use, RFC 1918"),
    v4([192, 175, 48, 0], 24, "AS112 direct delegation, RFC 7534"),
    v4([198, 18, 0, 0], 15, "benchmarking, RFC 2544"),
    v4(
        [198, 51, 100, 0],
        24,
        "documentation (TEST-NET-2), RFC 5737",
    ),
    v4([203, 0, 113, 0], 24, "documentation (TEST-NET-3), RFC 5737"),
    v4([224, 0, 0, 0], 4, "multicast, RFC 5771"),
    v4([255, 255, 255, 255], 32, "limited broadcast, RFC 919"),
    v4([240, 0, 0, 0], 4, "reserved, RFC 1112"),
];

/// Only global unicast (2000::/3) can be a receiver on the internet; everything outside it
/// is refused whether or not it is listed in [`V6`].
const GLOBAL_UNICAST: Cidr = Cidr::v6([0x2000, 0, 0, 0, 0, 0, 0, 0], 3);

/// The IANA IPv6 Special-Purpose Address Registry
/// (<https://www.iana.org/assignments/iana-ipv6-special-registry/>), plus the deprecated
/// site-local and IPv4-compatible ranges and multicast. The entries outside 2000::/3 are
/// refused by that rule anyway and are listed to name them; the ones inside it are why the
/// table exists. IPv4-mapped addresses (::ffff:0:0/96) are not listed: they are judged as
/// the IPv4 address they carry.
pub const V6: &[Block] = &[
    v6([0, 0, 0, 0, 0, 0, 0, 0], 128, "unspecified, RFC 4291"),
    v6([0, 0, 0, 0, 0, 0, 0, 1], 128, "loopback, RFC 4291"),
    v6(
        [0, 0, 0, 0, 0, 0, 0, 0],
        96,
        "IPv4-compatible (deprecated), RFC 4291",
    ),
    v6([0x64, 0xff9b, 0, 0, 0, 0, 0, 0], 96, "NAT64, RFC 6052"),
    v6(
        [0x64, 0xff9b, 1, 0, 0, 0, 0, 0],
        48,
        "local-use NAT64, RFC 8215",
    ),
    v6([0x100, 0, 0, 0, 0, 0, 0, 0], 64, "discard-only, RFC 6666"),
    v6([0x100, 0, 0, 1, 0, 0, 0, 0], 64, "dummy prefix, RFC 9780"),
    v6(
        [0x2001, 0, 0, 0, 0, 0, 0, 0],
        23,
        "IETF protocol assignments (Teredo, ORCHID, AS112...), RFC 2928",
    ),
    v6(
        [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0],
        32,
        "documentation, RFC 3849",
    ),
    v6([0x2002, 0, 0, 0, 0, 0, 0, 0], 16, "6to4, RFC 3056"),
    v6(
        [0x2620, 0x4f, 0x8000, 0, 0, 0, 0, 0],
        48,
        "AS112 direct delegation, RFC 7534",
    ),
    v6([0x3fff, 0, 0, 0, 0, 0, 0, 0], 20, "documentation, RFC 9637"),
    v6(
        [0x5f00, 0, 0, 0, 0, 0, 0, 0],
        16,
        "segment routing SIDs, RFC 9602",
    ),
    v6([0xfc00, 0, 0, 0, 0, 0, 0, 0], 7, "unique-local, RFC 4193"),
    v6([0xfe80, 0, 0, 0, 0, 0, 0, 0], 10, "link-local, RFC 4291"),
    v6(
        [0xfec0, 0, 0, 0, 0, 0, 0, 0],
        10,
        "site-local (deprecated), RFC 3879",
    ),
    v6([0xff00, 0, 0, 0, 0, 0, 0, 0], 8, "multicast, RFC 4291"),
];

/// Why an address is special-purpose.
#[derive(Debug, PartialEq, Eq)]
pub enum Special {
    Listed(&'static Block),
    /// An IPv6 address outside 2000::/3 that no entry names.
    NotGlobalUnicast,
}

impl fmt::Display for Special {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Listed(b) => write!(f, "in {} ({})", b.network, b.name),
            Self::NotGlobalUnicast => write!(f, "outside {GLOBAL_UNICAST} (global unicast)"),
        }
    }
}

/// The special-purpose network `ip` is in, if any. An IPv4-mapped IPv6 address is judged as
/// its IPv4 address, since that is where a connection to it goes.
pub fn special(ip: IpAddr) -> Option<Special> {
    let ip = ip.to_canonical();
    let table = match ip {
        IpAddr::V4(_) => V4,
        IpAddr::V6(_) => V6,
    };
    if let Some(block) = table.iter().find(|b| b.network.contains(ip)) {
        return Some(Special::Listed(block));
    }
    (ip.is_ipv6() && !GLOBAL_UNICAST.contains(ip)).then_some(Special::NotGlobalUnicast)
}

#[cfg(test)]
mod tests;
