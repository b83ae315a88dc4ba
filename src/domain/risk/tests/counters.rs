//! Counter conditions: the tallies a screening asks for, how their answers decide, and the
//! daily rows a payment counts in.

use super::*;

// Tallies.

/// Who a windowed counter of SHOP's payment counts.
fn who(value: &str) -> Identity {
    Identity {
        merchant: SHOP.parse().unwrap(),
        value: value.into(),
    }
}

/// The windowed payments tally of `value` over the last `secs`, read up to `limit`.
fn payments_since(per: Per, value: &str, secs: i64, limit: u32) -> Tally {
    Tally::Payments {
        per,
        who: who(value),
        since: secs_ago(secs),
        limit,
    }
}

/// The declines tally of `value` over the last `secs` (window and hold).
fn declines_since(per: Per, value: &str, secs: i64) -> Tally {
    Tally::Declines {
        per,
        who: who(value),
        since: secs_ago(secs),
        limit: DECLINES_READ,
    }
}

#[test]
fn daily_amount_includes_the_payment_being_decided() {
    let set = build(&one(
        r#"{ counter = "daily_amount", per = "merchant", op = "gt", value = 10000 }"#,
    ));
    let p = payment();
    let s = set.screen(&p.facts());
    assert_eq!(s.tallies(), [Tally::Daily { key: shop_row() }]);
    assert_eq!(s.counts_in(), [shop_row()]);

    let so_far = |amount_minor| Counted::Daily {
        amount_minor,
        count: 3,
    };
    assert_eq!(s.decide(&[so_far(9000)], 1000, NOW).decision, Action::Allow);
    assert_eq!(s.decide(&[so_far(9001)], 1000, NOW).decision, Action::Block);
    assert_eq!(s.decide(&[so_far(0)], 10_001, NOW).decision, Action::Block);
}

#[test]
fn daily_count_includes_the_payment_being_decided() {
    let set = build(&one(
        r#"{ counter = "daily_count", per = "buyer", op = "ge", value = 5 }"#,
    ));
    let p = buyer("b-1");
    let s = set.screen(&p.facts());
    assert_eq!(
        s.tallies(),
        [Tally::Daily {
            key: daily_key(TODAY, &format!("buyer/{SHOP}/b-1")),
        }]
    );
    let so_far = |count| Counted::Daily {
        amount_minor: 1,
        count,
    };
    assert_eq!(s.decide(&[so_far(3)], 1000, NOW).decision, Action::Allow);
    assert_eq!(s.decide(&[so_far(4)], 1000, NOW).decision, Action::Block);
}

#[test]
fn daily_amount_and_count_of_one_row_read_it_once() {
    let set = build(&one(
        r#"{ counter = "daily_amount", per = "device", op = "ge", value = 5000 },
           { counter = "daily_count", per = "device", op = "ge", value = 3 }"#,
    ));
    let mut p = payment();
    p.device_id = Some("d-1".into());
    let key = daily_key(TODAY, "device/d-1");
    let s = set.screen(&p.facts());
    assert_eq!(s.tallies(), [Tally::Daily { key: key.clone() }]);
    assert_eq!(s.counts_in(), [key]);
    let row = |amount_minor, count| Counted::Daily {
        amount_minor,
        count,
    };
    assert_eq!(s.decide(&[row(4000, 2)], 1000, NOW).decision, Action::Block);
    assert_eq!(s.decide(&[row(3999, 2)], 1000, NOW).decision, Action::Allow);
    assert_eq!(s.decide(&[row(4000, 1)], 1000, NOW).decision, Action::Allow);
}

#[test]
fn payments_in_a_window_include_this_one_and_read_one_past_the_value() {
    let set = build(&one(
        r#"{ counter = "payments", per = "ip", window_secs = 60, op = "gt", value = 4 }"#,
    ));
    let s = set.screen(&from_ip("203.0.113.7").facts());
    assert_eq!(s.tallies(), [payments_since(Per::Ip, "203.0.113.7", 60, 5)]);
    assert!(s.counts_in().is_empty(), "windows count payments, not rows");
    let decide = |n| s.decide(&[Counted::Payments(n)], 1000, NOW).decision;
    assert_eq!(decide(3), Action::Allow);
    assert_eq!(decide(4), Action::Block);
}

#[test]
fn a_windowed_tally_reads_one_past_its_value() {
    let limit = |value: i64| {
        let set = build(&one(&format!(
            r#"{{ counter = "payments", per = "device", window_secs = 3600, op = "ge", value = {value} }}"#
        )));
        let mut p = payment();
        p.device_id = Some("d-1".into());
        match set.screen(&p.facts()).tallies() {
            [Tally::Payments { limit, .. }] => *limit,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(limit(0), 1);
    assert_eq!(limit(9), 10);
    assert_eq!(limit(i64::MAX), u32::MAX, "saturates");
}

#[test]
fn a_mapped_client_ip_is_counted_as_its_ipv4_address() {
    let set = build(&one(
        r#"{ counter = "payments", per = "ip", window_secs = 60, op = "gt", value = 4 },
           { counter = "declines", per = "ip", window_secs = 600, op = "ge", value = 3 },
           { counter = "daily_count", per = "ip", op = "gt", value = 9 }"#,
    ));
    let row = daily_key(TODAY, "ip/203.0.113.7");
    let mapped = set.screen(&from_ip("::ffff:203.0.113.7").facts());
    assert_eq!(
        mapped.tallies(),
        [
            payments_since(Per::Ip, "203.0.113.7", 60, 5),
            declines_since(Per::Ip, "203.0.113.7", 600),
            Tally::Daily { key: row.clone() },
        ]
    );
    assert_eq!(mapped.counts_in(), [row]);
    let plain = set.screen(&from_ip("203.0.113.7").facts());
    assert_eq!(mapped.tallies(), plain.tallies(), "one address, one count");
}

/// Conditions on a card payment of buyer b-1 that need two counters, the counters first.
const COUNTED_CARD: &str = r#"
  { counter = "payments", per = "buyer", window_secs = 60, op = "ge", value = 1 },
  { counter = "daily_amount", per = "merchant", op = "gt", value = 100000 },
  { fact = "method", op = "eq", value = "card" },
  { fact = "buyer_id", op = "eq", value = "b-1" }"#;

#[test]
fn facts_are_checked_before_counters_whatever_their_order() {
    let set = build(&one(COUNTED_CARD));
    let mut p = buyer("b-1");
    let s = set.screen(&p.facts());
    assert_reads_nothing(&s, &[shop_row()]);

    p.method = Method::Card;
    let s = set.screen(&p.facts());
    assert_eq!(
        s.tallies(),
        [
            payments_since(Per::Buyer, "b-1", 60, 2),
            Tally::Daily { key: shop_row() },
        ],
        "with its facts holding, the rule reads its counters"
    );
    p.buyer_id = Some("b-2".into());
    assert_reads_nothing(&set.screen(&p.facts()), &[shop_row()]);
}

/// A card-testing guard: 3 declines of a buyer within 10 minutes, held for 30.
fn guard() -> Arc<RuleSet> {
    build(&rule(
        "card-testing",
        "block",
        "enforce",
        r#"{ counter = "declines", per = "buyer", window_secs = 600, hold_secs = 1800, op = "ge", value = 3 }"#,
    ))
}

/// Whether the [`guard`] blocks buyer b-1 now, given the times of the buyer's declines.
fn guard_blocks(set: &Arc<RuleSet>, declines: &[Timestamp]) -> bool {
    let e = evaluate_with(set, &buyer("b-1"), |_| Counted::Declines(declines.to_vec()));
    e.decision == Action::Block
}

#[test]
fn declines_read_back_over_window_and_hold() {
    let s = guard().screen(&buyer("b-1").facts());
    assert_eq!(s.tallies(), [declines_since(Per::Buyer, "b-1", 40 * 60)]);
    assert!(s.counts_in().is_empty());
}

#[test]
fn a_guard_tripped_within_its_hold_still_blocks() {
    let set = guard();
    assert!(guard_blocks(&set, &[mins_ago(3), mins_ago(2), mins_ago(1)]));
    assert!(
        guard_blocks(&set, &[mins_ago(1), mins_ago(3), mins_ago(2)]),
        "in any order"
    );
    assert!(
        guard_blocks(&set, &[mins_ago(25), mins_ago(24), mins_ago(23)]),
        "tripped 23 minutes ago, held for 30"
    );
    assert!(
        !guard_blocks(&set, &[mins_ago(38), mins_ago(37), mins_ago(36)]),
        "tripped 36 minutes ago"
    );
    assert!(
        !guard_blocks(&set, &[mins_ago(25), mins_ago(14), mins_ago(3)]),
        "never three within 10 minutes"
    );
    assert!(!guard_blocks(&set, &[mins_ago(2), mins_ago(1)]));
    assert!(!guard_blocks(&set, &[]));
}

#[test]
fn a_guard_holds_until_its_hold_after_the_decline_that_tripped_it() {
    let set = guard();
    assert!(
        guard_blocks(&set, &[secs_ago(2000), secs_ago(1900), secs_ago(1800)]),
        "tripped exactly 30 minutes ago"
    );
    assert!(!guard_blocks(
        &set,
        &[secs_ago(2001), secs_ago(1901), secs_ago(1801)]
    ));
}

#[test]
fn a_window_holds_what_is_less_than_its_length_before_its_end() {
    let set = guard();
    // 10 minutes apart exactly: the first is out of the window ending at the third.
    assert!(!guard_blocks(
        &set,
        &[secs_ago(1200), secs_ago(900), secs_ago(600)]
    ));
    assert!(guard_blocks(
        &set,
        &[secs_ago(1199), secs_ago(900), secs_ago(600)]
    ));
}

#[test]
fn a_guard_without_hold_blocks_while_its_window_is_full() {
    let set = build(&one(
        r#"{ counter = "declines", per = "ip", window_secs = 600, op = "ge", value = 3 }"#,
    ));
    let p = from_ip("203.0.113.7");
    let blocks = |declines: &[Timestamp]| {
        let e = evaluate_with(&set, &p, |_| Counted::Declines(declines.to_vec()));
        e.decision == Action::Block
    };
    assert!(blocks(&[mins_ago(9), mins_ago(5), mins_ago(1)]));
    assert!(!blocks(&[mins_ago(11), mins_ago(5), mins_ago(1)]));
    assert!(!blocks(&[mins_ago(13), mins_ago(12), mins_ago(11)]));
}

#[test]
fn counters_are_asked_in_order_and_answered_by_index() {
    let busy = r#"{ counter = "daily_amount", per = "merchant", op = "gt", value = 100000 },
                  { counter = "payments", per = "buyer", window_secs = 3600, op = "gt", value = 10 }"#;
    let cap = r#"{ counter = "daily_count", per = "merchant", op = "gt", value = 500 }"#;
    let set = build(
        &[
            rule("busy-buyer", "review", "enforce", busy),
            rule("merchant-cap", "block", "enforce", cap),
        ]
        .concat(),
    );
    let p = buyer("b-1");
    let s = set.screen(&p.facts());
    assert_eq!(s.tallies().len(), 2, "{:?}", s.tallies());
    assert_eq!(
        s.tallies()[0],
        Tally::Daily { key: shop_row() },
        "shared by both rules"
    );
    assert!(matches!(
        s.tallies()[1],
        Tally::Payments {
            per: Per::Buyer,
            ..
        }
    ));

    let answer = |amount_minor, count, payments| {
        let e = s.decide(
            &[
                Counted::Daily {
                    amount_minor,
                    count,
                },
                Counted::Payments(payments),
            ],
            1000,
            NOW,
        );
        matched(&e).join(",")
    };
    assert_eq!(answer(99_001, 10, 10), "busy-buyer");
    assert_eq!(answer(99_000, 10, 10), "");
    assert_eq!(answer(99_001, 10, 9), "");
    assert_eq!(answer(0, 500, 0), "merchant-cap");
}

#[test]
fn a_counter_the_payment_lacks_the_identity_for_cannot_match() {
    // `le` would hold for any count.
    let set = build(&one(
        r#"{ counter = "payments", per = "buyer", window_secs = 60, op = "le", value = 100 }"#,
    ));
    assert_reads_nothing(&set.screen(&payment().facts()), &[]);
    let e = evaluate_with(&set, &buyer("b-1"), |_| Counted::Payments(0));
    assert_eq!(matched(&e), ["hit"], "with a buyer it does");
}

#[test]
fn a_missing_or_mismatched_answer_matches_nothing() {
    let set = build(&one(
        r#"{ counter = "daily_count", per = "merchant", op = "ge", value = 0 }"#,
    ));
    let s = set.screen(&payment().facts());
    assert!(s.decide(&[], 1000, NOW).matches.is_empty());
    assert!(
        s.decide(&[Counted::Payments(0)], 1000, NOW)
            .matches
            .is_empty()
    );
    let row = Counted::Daily {
        amount_minor: 0,
        count: 0,
    };
    assert_eq!(matched(&s.decide(&[row], 1000, NOW)), ["hit"]);
}

// The rows a payment counts in.

#[test]
fn a_payment_counts_toward_a_daily_limit_whatever_the_rule_s_other_conditions() {
    let set = build(&one(r#"{ fact = "method", op = "eq", value = "card" },
           { counter = "daily_amount", per = "merchant", op = "gt", value = 100000 }"#));
    // Nothing to read for a rule that cannot match.
    assert_reads_nothing(&set.screen(&payment().facts()), &[shop_row()]);
}

#[test]
fn daily_rows_are_per_merchant_buyer_ip_and_device() {
    let caps = r#"{ counter = "daily_amount", per = "merchant", op = "gt", value = 1 },
                  { counter = "daily_amount", per = "buyer", op = "gt", value = 1 },
                  { counter = "daily_count", per = "ip", op = "gt", value = 1 },
                  { counter = "daily_count", per = "device", op = "gt", value = 1 }"#;
    let same_row = r#"{ counter = "daily_count", per = "merchant", op = "gt", value = 9 }"#;
    let set = build(
        &[
            rule("caps", "review", "enforce", caps),
            rule("same-row", "review", "enforce", same_row),
        ]
        .concat(),
    );
    let mut p = buyer("b-1");
    p.client_ip = Some(ip("2001:db8::7"));
    p.device_id = Some("d-1".into());
    assert_eq!(
        set.screen(&p.facts()).counts_in(),
        [
            shop_row(),
            daily_key(TODAY, &format!("buyer/{SHOP}/b-1")),
            daily_key(TODAY, "ip/2001:db8::7"),
            daily_key(TODAY, "device/d-1"),
        ]
    );

    // A payment without a buyer, IP or device counts only toward its merchant's.
    let s = set.screen(&payment().facts());
    assert_eq!(s.counts_in(), [shop_row()]);

    // Another currency is another row.
    let mut usd = payment();
    usd.amount = Money::new(1000, Currency::parse("USD").unwrap());
    assert_eq!(
        set.screen(&usd.facts()).counts_in(),
        [format!("{TODAY}/USD/merchant/{SHOP}")]
    );
}

#[test]
fn days_start_at_midnight_of_the_configured_offset() {
    let rule = one(r#"{ counter = "daily_count", per = "merchant", op = "gt", value = 10 }"#);
    let day_of = |set: &Arc<RuleSet>, now: Timestamp| {
        let mut p = payment();
        p.now = now;
        let key = set.screen(&p.facts()).counts_in()[0].clone();
        key.split('/').next().unwrap().to_owned()
    };
    let before = utc("2023-11-14", 15, 59, 59);
    let after = utc("2023-11-14", 16, 0, 0);

    let shanghai = build_at(&rule, 8 * 3600);
    assert_eq!(shanghai.offset_secs(), 8 * 3600);
    assert_eq!(day_of(&shanghai, before), "2023-11-14+08:00");
    assert_eq!(
        day_of(&shanghai, after),
        "2023-11-15+08:00",
        "midnight at +08:00"
    );

    let utc_set = build_at(&rule, 0);
    assert_eq!(day_of(&utc_set, before), TODAY);
    assert_eq!(day_of(&utc_set, after), TODAY);
    assert_eq!(
        day_of(&utc_set, utc("2023-11-15", 0, 0, 0)),
        "2023-11-15+00:00"
    );

    let new_york = build_at(&rule, -5 * 3600);
    assert_eq!(
        day_of(&new_york, utc("2023-11-14", 4, 59, 59)),
        "2023-11-13-05:00"
    );
    assert_eq!(
        day_of(&new_york, utc("2023-11-14", 5, 0, 0)),
        "2023-11-14-05:00"
    );
}
