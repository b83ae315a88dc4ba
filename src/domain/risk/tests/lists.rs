//! Lists: buyer ids, device ids and IP networks looked up, kept canonical, and refused.

use super::*;

/// A condition that `fact` is (`in_list`) or is not (`not_in_list`) in the list `id`.
fn listed(fact: &str, op: &str, id: &str) -> String {
    format!(r#"{{ fact = "{fact}", op = "{op}", list = "{id}" }}"#)
}

/// Lists of bad buyers, devices and IPs, a blocking rule per list, and a shadow rule for
/// addresses not listed.
fn bad_lists() -> Arc<RuleSet> {
    let ips = [
        "203.0.113.7",
        "10.0.0.0/8",
        "192.168.1.0/24",
        "100.64.0.0/10",
        "2001:db8::/32",
        "fe80::1",
    ];
    let rules = [
        (
            "buyer-listed",
            "block",
            "enforce",
            "buyer_id",
            "in_list",
            "bad-buyers",
        ),
        (
            "device-listed",
            "block",
            "enforce",
            "device_id",
            "in_list",
            "bad-devices",
        ),
        (
            "ip-listed",
            "block",
            "enforce",
            "client_ip",
            "in_list",
            "bad-ips",
        ),
        (
            "ip-unlisted",
            "review",
            "shadow",
            "client_ip",
            "not_in_list",
            "bad-ips",
        ),
    ]
    .map(|(id, action, mode, fact, op, list)| rule(id, action, mode, &listed(fact, op, list)));
    build(&format!(
        "{}{}{}{}",
        list("bad-buyers", "buyer_id", &["b-1", "b-2"]),
        list("bad-devices", "device_id", &["d-1"]),
        list("bad-ips", "client_ip", &ips),
        rules.concat()
    ))
}

#[test]
fn buyer_and_device_ids_are_looked_up_in_their_lists() {
    let set = bad_lists();
    let mut p = buyer("b-2");
    assert_eq!(
        matched(&evaluate(&set, &p)),
        ["buyer-listed", "ip-unlisted"]
    );
    p.buyer_id = Some("b-3".into());
    p.device_id = Some("d-1".into());
    assert_eq!(
        matched(&evaluate(&set, &p)),
        ["device-listed", "ip-unlisted"]
    );
    p.device_id = Some("b-1".into());
    assert_eq!(
        matched(&evaluate(&set, &p)),
        ["ip-unlisted"],
        "a buyer id listed is not a device id listed"
    );
}

#[test]
fn addresses_are_looked_up_in_ip_lists_with_their_networks() {
    let set = bad_lists();
    let listed = |addr: &str| {
        let m = matched(&evaluate(&set, &from_ip(addr))).join(",");
        match m.as_str() {
            "ip-listed" => true,
            "ip-unlisted" => false,
            other => panic!("{addr}: {other}"),
        }
    };
    for addr in [
        "203.0.113.7",
        "10.0.0.0",
        "10.255.255.255",
        "192.168.1.200",
        "100.64.0.1",
        "100.127.255.255",
        "2001:db8::",
        "2001:db8:ffff::1",
        "fe80::1",
        // An IPv4-mapped IPv6 address is its IPv4 address.
        "::ffff:10.1.2.3",
        "::ffff:203.0.113.7",
    ] {
        assert!(listed(addr), "{addr} is listed");
    }
    for addr in [
        "203.0.113.8",
        "11.0.0.0",
        "9.255.255.255",
        "192.168.2.1",
        "100.128.0.0",
        "2001:db9::1",
        "2001:db7:ffff::1",
        "fe80::2",
        "::ffff:11.0.0.1",
        // IPv4-compatible, not mapped: an IPv6 address.
        "::10.0.0.1",
    ] {
        assert!(!listed(addr), "{addr} is not listed");
    }
    assert_eq!(
        matched(&evaluate(&set, &payment())),
        ["ip-unlisted"],
        "no address is in no list"
    );
}

/// The entries of list `id` in `set`, as it keeps them.
fn entries(set: &RuleSet, id: &str) -> Vec<String> {
    set.lists().find(|l| l.id == id).unwrap().entries.clone()
}

#[test]
fn list_entries_are_kept_in_canonical_text_sorted_once() {
    let ips = [
        " 10.0.0.0/8 ",
        "2001:DB8::/32",
        "203.0.113.7",
        "10.0.0.0/8",
        "::1",
    ];
    let set = build(
        &[
            list("ips", "client_ip", &ips),
            list("buyers", "buyer_id", &["b-2", " b-1", "b-2"]),
        ]
        .concat(),
    );
    let ids: Vec<&str> = set.lists().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, ["buyers", "ips"]);
    assert_eq!(entries(&set, "buyers"), ["b-1", "b-2"]);
    assert_eq!(
        entries(&set, "ips"),
        ["10.0.0.0/8", "2001:db8::/32", "203.0.113.7/32", "::1/128"]
    );
}

#[test]
fn an_ipv4_mapped_network_is_kept_as_the_ipv4_network_it_maps() {
    let set = build(
        &[
            list("mapped", "client_ip", &["::ffff:203.0.113.0/120"]),
            list(
                "both",
                "client_ip",
                &["203.0.113.0/24", "::FFFF:203.0.113.0/120"],
            ),
            list("all-mapped", "client_ip", &["::ffff:0.0.0.0/96"]),
        ]
        .concat(),
    );
    assert_eq!(entries(&set, "mapped"), ["203.0.113.0/24"]);
    assert_eq!(
        entries(&set, "both"),
        ["203.0.113.0/24"],
        "one entry, written once"
    );
    assert_eq!(entries(&set, "all-mapped"), ["0.0.0.0/0"]);
    assert_eq!(
        canonical_entry(&Fact::ClientIp, "::ffff:203.0.113.0/120").as_deref(),
        Ok("203.0.113.0/24"),
        "as an entry added to a list is kept"
    );
}

/// The rule `hit`: the client IP is in a list of `entries`.
fn ip_list_hit(entries: &[&str]) -> Arc<RuleSet> {
    build(&format!(
        "{}{}",
        list("ips", "client_ip", entries),
        one(&listed("client_ip", "in_list", "ips"))
    ))
}

#[test]
fn an_ipv4_mapped_network_holds_its_ipv4_addresses_mapped_or_not() {
    let set = ip_list_hit(&["::ffff:203.0.113.0/120"]);
    for addr in [
        "203.0.113.7",
        "::ffff:203.0.113.7",
        "203.0.113.0",
        "203.0.113.255",
    ] {
        assert!(hits(&set, &from_ip(addr)), "{addr} is listed");
    }
    for addr in [
        "203.0.114.7",
        "::ffff:203.0.114.7",
        "::203.0.113.7",
        "2001:db8::1",
    ] {
        assert!(!hits(&set, &from_ip(addr)), "{addr} is not listed");
    }
}

#[test]
fn a_list_covering_everything_of_one_family_leaves_the_other() {
    let set = ip_list_hit(&["0.0.0.0/0"]);
    assert!(hits(&set, &from_ip("255.255.255.255")));
    assert!(hits(&set, &from_ip("::ffff:1.2.3.4")));
    assert!(!hits(&set, &from_ip("2001:db8::1")));
}

#[test]
fn lists_are_checked_and_rules_name_lists_of_their_fact() {
    let vips = list("vips", "buyer_id", &["b-1"]);
    let with_rule = |when: &str| format!("{vips}{}", one(when));
    assert_refused(&[
        (list("Bad List", "buyer_id", &[]), "lists[0].id: INVALID_ID"),
        (
            list("emails", "email", &[]),
            "lists[0].kind: INVALID_LIST_KIND",
        ),
        (
            [
                list("vips", "buyer_id", &[]),
                list("vips", "device_id", &[]),
            ]
            .concat(),
            "lists[1].id: DUPLICATE_ID",
        ),
        (
            with_rule(&listed("buyer_id", "in_list", "vipz")),
            "rules[0].when[0].list: UNKNOWN_LIST",
        ),
        (
            with_rule(&listed("device_id", "in_list", "vips")),
            "rules[0].when[0].list: LIST_KIND_MISMATCH",
        ),
        (
            with_rule(&listed("client_ip", "not_in_list", "vips")),
            "rules[0].when[0].list: LIST_KIND_MISMATCH",
        ),
        (
            with_rule(r#"{ fact = "buyer_id", op = "in_list" }"#),
            "rules[0].when[0].list: REQUIRED",
        ),
        (
            with_rule(r#"{ fact = "buyer_id", op = "in_list", list = "vips", values = ["b-1"] }"#),
            "rules[0].when[0].values: UNEXPECTED_FIELD",
        ),
    ]);
    let m = message(&with_rule(&listed("device_id", "in_list", "vips")));
    assert_eq!(m, r#""vips" is a list of buyer_id, not of device_id"#);
}

#[test]
fn ip_list_entries_are_addresses_or_networks_without_host_bits() {
    let ips = |entry: &str| list("ips", "client_ip", &["10.0.0.0/8", entry]);
    for bad in [
        "10.1.2.3/8",
        "fd00::1/64",
        "10.0.0.0/33",
        "::/129",
        "not-an-ip",
        "10.0.0/8",
        "",
        "   ",
    ] {
        assert_eq!(
            refusals(&ips(bad)),
            ["lists[0].entries[1]: INVALID_ENTRY"],
            "{bad:?}"
        );
    }
    let m = message(&ips("10.1.2.3/8"));
    assert!(m.contains("the network is 10.0.0.0/8"), "{m}");
    let long = "b".repeat(129);
    assert_eq!(
        refusals(&list("buyers", "buyer_id", &[&long])),
        ["lists[0].entries[0]: INVALID_ENTRY"]
    );
}
