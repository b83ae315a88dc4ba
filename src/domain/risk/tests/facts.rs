//! Conditions on a payment's facts: amounts, texts, absent facts and client IPs.

use super::*;

#[test]
fn amount_minor_compares_with_each_op() {
    // Whether the rule holds at 4999, 5000 and 5001 against 5000.
    let cases = [
        ("gt", [false, false, true]),
        ("ge", [false, true, true]),
        ("lt", [true, false, false]),
        ("le", [true, true, false]),
        ("eq", [false, true, false]),
        ("ne", [true, false, true]),
    ];
    for (op, expected) in cases {
        let set = build(&one(&format!(
            r#"{{ fact = "amount_minor", op = "{op}", value = 5000 }}"#
        )));
        let got = [4999, 5000, 5001].map(|minor| {
            let mut p = payment();
            p.amount = cny(minor);
            hits(&set, &p)
        });
        assert_eq!(got, expected, "{op}");
    }
}

/// Four rules named after their op, comparing `fact` with `value` (eq, ne) or with
/// `[value, also]` (in, not_in).
fn four_ops(fact: &str, value: &str, also: &str) -> Arc<RuleSet> {
    let single = format!("value = \"{value}\"");
    let both = format!("values = [\"{value}\", \"{also}\"]");
    let rules = [
        ("eq", &single),
        ("ne", &single),
        ("in", &both),
        ("not_in", &both),
    ]
    .map(|(op, operand)| {
        let when = format!("{{ fact = \"{fact}\", op = \"{op}\", {operand} }}");
        rule(op, "review", "enforce", &when)
    });
    build(&rules.concat())
}

fn ops_matching(set: &Arc<RuleSet>, p: &Payment) -> Vec<String> {
    evaluate(set, p)
        .matches
        .into_iter()
        .map(|m| m.rule_id)
        .collect()
}

/// Checks eq, ne, in and not_in on `fact` for a payment `give` sets it on, at the compared
/// value, the other listed one, and one listed nowhere. Returns the four rules.
fn check_text_fact(
    fact: &str,
    [value, also, neither]: [&str; 3],
    give: impl Fn(&mut Payment, &str),
) -> Arc<RuleSet> {
    let set = four_ops(fact, value, also);
    let with = |v: &str| {
        let mut p = payment();
        give(&mut p, v);
        ops_matching(&set, &p)
    };
    assert_eq!(with(value), ["eq", "in"], "{fact} = {value}");
    assert_eq!(with(also), ["in", "ne"], "{fact} = {also}");
    assert_eq!(with(neither), ["ne", "not_in"], "{fact} = {neither}");
    set
}

#[test]
fn currency_method_and_merchant_compare_with_eq_ne_in_not_in() {
    check_text_fact("currency", ["USD", "CNY", "JPY"], |p, v| {
        p.amount = Money::new(1000, Currency::parse(v).unwrap());
    });
    check_text_fact("method", ["card", "app", "qr_code"], |p, v| {
        p.method = Method::parse(v).unwrap();
    });
    check_text_fact("merchant", [SHOP, OTHER_SHOP, THIRD_SHOP], |p, v| {
        p.merchant = merchant(v);
    });
}

#[test]
fn facts_a_payment_may_lack_compare_and_when_absent_are_none_of_the_values() {
    let absent = ["ne", "not_in"];
    let set = check_text_fact("channel", ["alipay-main", "wechat", "stripe"], |p, v| {
        p.channel = ChannelId::parse(v);
    });
    assert_eq!(ops_matching(&set, &payment()), absent);
    let set = check_text_fact("routing_tag", ["vip", "gift", "plain"], |p, v| {
        p.routing_tag = Some(v.into());
    });
    assert_eq!(ops_matching(&set, &payment()), absent);
    let set = check_text_fact("buyer_id", ["b-1", "b-2", "b-3"], |p, v| {
        p.buyer_id = Some(v.into());
    });
    assert_eq!(ops_matching(&set, &payment()), absent);
    let set = check_text_fact("device_id", ["d-1", "d-2", "d-3"], |p, v| {
        p.device_id = Some(v.into());
    });
    assert_eq!(ops_matching(&set, &payment()), absent);
    let set = check_text_fact(
        "client_ip",
        ["203.0.113.7", "2001:db8::1", "10.0.0.1"],
        |p, v| {
            p.client_ip = Some(ip(v));
        },
    );
    assert_eq!(ops_matching(&set, &payment()), absent);
    let set = check_text_fact("metadata.order_type", ["gift", "topup", "goods"], |p, v| {
        p.metadata.insert("order_type".into(), v.into());
    });
    assert_eq!(ops_matching(&set, &payment()), absent);
    let mut other_key = payment();
    other_key.metadata.insert("kind".into(), "gift".into());
    assert_eq!(
        ops_matching(&set, &other_key),
        absent,
        "another key's value"
    );
}

#[test]
fn client_ip_values_compare_in_their_canonical_text() {
    let mut p = payment();
    p.client_ip = Some(ip("2001:db8::1"));
    let set = build(&one(
        r#"{ fact = "client_ip", op = "eq", value = "2001:DB8:0:0::1" }"#,
    ));
    assert!(hits(&set, &p), "IPv6 written in capitals and long");

    p.client_ip = Some(ip("203.0.113.7"));
    let set = build(&one(
        r#"{ fact = "client_ip", op = "in", values = ["::ffff:203.0.113.7"] }"#,
    ));
    assert!(hits(&set, &p), "an IPv4-mapped value is its IPv4 address");
}

#[test]
fn a_mapped_client_ip_compares_as_its_ipv4_address() {
    let set = four_ops("client_ip", "203.0.113.7", "2001:db8::1");
    assert_eq!(
        ops_matching(&set, &from_ip("::ffff:203.0.113.7")),
        ["eq", "in"]
    );
    assert_eq!(
        ops_matching(&set, &from_ip("::ffff:203.0.113.8")),
        ["ne", "not_in"]
    );
}

#[test]
fn metadata_keys_are_1_to_40_characters() {
    let key = "k".repeat(40);
    let mut p = payment();
    p.metadata.insert(key.clone(), "v".into());
    let set = build(&one(&format!(
        r#"{{ fact = "metadata.{key}", op = "eq", value = "v" }}"#
    )));
    assert!(hits(&set, &p));
    for name in ["metadata.", format!("metadata.{key}k").as_str(), "metadata"] {
        let toml = one(&format!(r#"{{ fact = "{name}", op = "eq", value = "v" }}"#));
        assert_eq!(
            refusals(&toml),
            ["rules[0].when[0].fact: UNKNOWN_FACT"],
            "{name}"
        );
    }
}

#[test]
fn a_rule_holds_when_all_of_its_conditions_do() {
    let set = build(&one(r#"{ fact = "amount_minor", op = "ge", value = 5000 },
           { fact = "method", op = "eq", value = "card" }"#));
    let mut p = payment();
    p.amount = cny(5000);
    assert!(!hits(&set, &p), "amount only");
    p.method = Method::Card;
    assert!(hits(&set, &p));
    p.amount = cny(4999);
    assert!(!hits(&set, &p), "method only");

    let none = build(&always("all", "review", "enforce"));
    assert_eq!(
        evaluate(&none, &payment()).decision,
        Action::Review,
        "no conditions"
    );
}
