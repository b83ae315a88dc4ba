use std::net::{Ipv4Addr, Ipv6Addr};

use super::*;

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// The first and last address of a network.
fn bounds(net: Cidr) -> (IpAddr, IpAddr) {
    match net.network() {
        IpAddr::V4(a) => {
            let host = u32::MAX.checked_shr(u32::from(net.prefix())).unwrap_or(0);
            let first = u32::from(a);
            (
                IpAddr::V4(Ipv4Addr::from(first)),
                IpAddr::V4(Ipv4Addr::from(first | host)),
            )
        }
        IpAddr::V6(a) => {
            let host = u128::MAX.checked_shr(u32::from(net.prefix())).unwrap_or(0);
            let first = u128::from(a);
            (
                IpAddr::V6(Ipv6Addr::from(first)),
                IpAddr::V6(Ipv6Addr::from(first | host)),
            )
        }
    }
}

/// The address one before (`-1`) or after (`1`) `ip`, if there is one.
fn step(ip: IpAddr, by: i8) -> Option<IpAddr> {
    match ip {
        IpAddr::V4(a) => u32::from(a)
            .checked_add_signed(i32::from(by))
            .map(|n| IpAddr::V4(n.into())),
        IpAddr::V6(a) => {
            let n = u128::from(a);
            let n = if by < 0 {
                n.checked_sub(1)
            } else {
                n.checked_add(1)
            };
            n.map(|n| IpAddr::V6(n.into()))
        }
    }
}

/// Every range: its first and last address are refused as that range, and each neighbour
/// just outside it is either allowed or another range (only where two ranges touch).
#[test]
fn every_range_refuses_its_bounds_and_not_its_neighbours() {
    // Neighbours that are themselves special, because the ranges touch.
    let touching = [
        "239.255.255.255", // 240/4 after multicast
        "240.0.0.0",       // after multicast
        "255.255.255.254", // before the broadcast address, in 240/4
        "::",
        "::1",
        "::2",
    ];
    let mut allowed = Vec::new();
    for block in V4.iter().chain(V6) {
        let (first, last) = bounds(block.network);
        for inside in [first, last] {
            let Some(Special::Listed(found)) = special(inside) else {
                panic!("{inside} in {} is not refused", block.network);
            };
            // A range inside another (::1 in ::/96, 255.255.255.255 in 240.0.0.0/4) is
            // listed first, to name it.
            if found != block {
                let nested = block.network.contains(found.network.network())
                    && found.network.prefix() > block.network.prefix();
                assert!(
                    nested,
                    "{inside} in {} is named {}",
                    block.network, found.network
                );
            }
        }
        if !GLOBAL_UNICAST.contains(first) && first.is_ipv6() {
            // Outside 2000::/3 every neighbour is refused by that rule.
            continue;
        }
        for neighbour in [step(first, -1), step(last, 1)].into_iter().flatten() {
            match special(neighbour) {
                None => allowed.push(neighbour),
                Some(Special::Listed(other)) if other != block => {
                    assert!(
                        touching.contains(&neighbour.to_string().as_str()),
                        "{neighbour} next to {} is in {}",
                        block.network,
                        other.network
                    );
                }
                Some(s) => panic!("{neighbour} next to {} is {s}", block.network),
            }
        }
    }
    for expected in [
        "9.255.255.255",
        "11.0.0.0",
        "100.63.255.255",
        "100.128.0.0",
        "126.255.255.255",
        "128.0.0.0",
        "169.253.255.255",
        "169.255.0.0",
        "172.15.255.255",
        "172.32.0.0",
        "191.255.255.255",
        "192.0.1.0",
        "192.0.3.0",
        "192.88.98.255",
        "192.88.100.0",
        "192.167.255.255",
        "192.169.0.0",
        "198.17.255.255",
        "198.20.0.0",
        "198.51.99.255",
        "198.51.101.0",
        "203.0.112.255",
        "203.0.114.0",
        "223.255.255.255",
        "2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "2001:200::",
        "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff",
        "2001:db9::",
        "2003::",
        "2620:4f:8001::",
        "3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "3fff:1000::",
    ] {
        assert!(allowed.contains(&ip(expected)), "{expected} is allowed");
    }
}

#[test]
fn the_ranges_that_matter_most_are_refused() {
    for refused in [
        "0.0.0.0",
        "10.1.2.3",
        "100.100.100.200", // Alibaba Cloud metadata
        "127.0.0.1",
        "127.255.255.254",
        "169.254.169.254", // AWS, GCP, Azure metadata
        "172.31.255.255",
        "192.0.0.170",
        "192.0.2.1",
        "192.88.99.1",
        "192.168.1.1",
        "198.19.255.255",
        "198.51.100.7",
        "203.0.113.9",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "::",
        "::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "::127.0.0.1", // IPv4-compatible
        "::a9fe:a9fe",
        "64:ff9b::a9fe:a9fe", // NAT64 of 169.254.169.254
        "64:ff9b:1::a00:1",
        "100::1",
        "2001::1", // Teredo
        "2001:1ff:ffff::1",
        "2001:db8::1",
        "2002:a9fe:a9fe::1", // 6to4 of 169.254.169.254
        "2620:4f:8000::1",
        "3fff::1",
        "3fff:fff::1",
        "5f00::1",
        "fc00::1",
        "fd12:3456::1",
        "fe80::1",
        "febf::1",
        "fec0::1",
        "ff02::1",
        "4000::1", // outside 2000::/3
        "8000::1",
        "1::1",
    ] {
        assert!(special(ip(refused)).is_some(), "{refused} is refused");
    }
    for public in [
        "1.1.1.1",
        "8.8.8.8",
        "93.184.216.34",
        "100.63.0.1",
        "::ffff:93.184.216.34", // mapped: judged as the IPv4 address
        "2001:4860:4860::8888",
        "2606:4700::1111",
        "2a00:1450::1",
        "3ffe::1",
    ] {
        assert_eq!(special(ip(public)), None, "{public} is allowed");
    }
}

#[test]
fn a_refusal_names_the_range() {
    let s = special(ip("100.100.100.200")).unwrap().to_string();
    assert_eq!(
        s,
        "in 100.64.0.0/10 (shared address space (CGNAT), RFC 6598)"
    );
    let s = special(ip("4000::1")).unwrap().to_string();
    assert_eq!(s, "outside 2000::/3 (global unicast)");
}

#[test]
fn the_table_is_written_as_networks() {
    for block in V4.iter().chain(V6) {
        let text = block.network.to_string();
        assert_eq!(text.parse::<Cidr>(), Ok(block.network), "{text}");
    }
}
