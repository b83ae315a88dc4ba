//! Named lists of buyer ids, client IPs (addresses and CIDR ranges) or device ids that rules
//! test membership in. Lookups cost one hash probe per prefix length in use, however long
//! the list.

use std::collections::{BTreeMap, HashSet};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::Fact;
use crate::domain::Cidr;
use crate::domain::network::CidrError;

/// A list, as rules see it.
#[derive(Debug, Clone)]
pub struct List {
    pub id: String,
    /// What its entries are: `BuyerId`, `ClientIp` or `DeviceId`.
    pub kind: Fact,
    /// The entries as written, sorted.
    pub entries: Vec<String>,
    values: HashSet<String>,
    /// IP networks by prefix length, each holding its networks' addresses.
    nets: BTreeMap<(bool, u8), HashSet<IpAddr>>,
}

/// Why an entry cannot be in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadEntry {
    pub index: usize,
    pub message: String,
}

impl List {
    /// Builds a list from its entries; IP entries are addresses or CIDR networks.
    pub fn new(id: String, kind: Fact, entries: &[String]) -> Result<Self, BadEntry> {
        let mut list = Self {
            id,
            kind,
            entries: Vec::new(),
            values: HashSet::new(),
            nets: BTreeMap::new(),
        };
        for (index, entry) in entries.iter().enumerate() {
            let entry = canonical_entry(&list.kind, entry)
                .map_err(|message| BadEntry { index, message })?;
            if list.kind == Fact::ClientIp {
                let net: Cidr = entry
                    .parse()
                    .map_err(|e: crate::domain::network::CidrError| BadEntry {
                        index,
                        message: e.to_string(),
                    })?;
                list.nets
                    .entry((net.network().is_ipv4(), net.prefix()))
                    .or_default()
                    .insert(net.network());
            } else {
                list.values.insert(entry.clone());
            }
            list.entries.push(entry);
        }
        list.entries.sort();
        list.entries.dedup();
        Ok(list)
    }

    /// Whether a buyer or device id is listed.
    pub fn contains(&self, value: &str) -> bool {
        self.values.contains(value)
    }

    /// Whether an address is listed, itself or in a listed network. An IPv4-mapped IPv6
    /// address counts as its IPv4 address.
    pub fn contains_ip(&self, ip: IpAddr) -> bool {
        let ip = super::canonical_ip(ip);
        self.nets
            .iter()
            .any(|((v4, prefix), nets)| *v4 == ip.is_ipv4() && nets.contains(&masked(ip, *prefix)))
    }
}

/// An entry as a list of `kind` holds it: trimmed, and an address or network in its
/// canonical CIDR text (`198.51.100.7/32`), so one entry is written one way; or why it
/// cannot be listed.
pub fn canonical_entry(kind: &Fact, entry: &str) -> Result<String, String> {
    let entry = entry.trim();
    if entry.is_empty() || entry.chars().count() > 128 {
        return Err("an entry is 1-128 characters".into());
    }
    if *kind != Fact::ClientIp {
        return Ok(entry.to_owned());
    }
    let net = match entry.parse::<IpAddr>() {
        Ok(ip) => cidr_of(super::canonical_ip(ip)),
        Err(_) => unmapped(entry.parse::<Cidr>().map_err(|e| match e {
            CidrError::Syntax(_) => format!(
                "{entry:?} is neither an IP address nor a network in CIDR notation \
                 (like 198.51.100.0/24)"
            ),
            e => e.to_string(),
        })?),
    };
    Ok(net.to_string())
}

/// An IPv4-mapped IPv6 network (`::ffff:203.0.113.0/120`) as the IPv4 network it maps
/// (`203.0.113.0/24`), since addresses are looked up unmapped.
fn unmapped(net: Cidr) -> Cidr {
    match net.network() {
        IpAddr::V6(v6) if net.prefix() >= 96 => match v6.to_ipv4_mapped() {
            Some(v4) => Cidr::v4(v4.octets(), net.prefix() - 96),
            None => net,
        },
        _ => net,
    }
}

/// The one-address network of `ip`.
fn cidr_of(ip: IpAddr) -> Cidr {
    match ip {
        IpAddr::V4(a) => Cidr::v4(a.octets(), 32),
        IpAddr::V6(a) => Cidr::v6(a.segments(), 128),
    }
}

fn masked(ip: IpAddr, prefix: u8) -> IpAddr {
    match ip {
        IpAddr::V4(a) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V4(Ipv4Addr::from(u32::from(a) & mask))
        }
        IpAddr::V6(a) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V6(Ipv6Addr::from(u128::from(a) & mask))
        }
    }
}
