//! Rules as written: parsed from TOML with their defaults, and refused field by field.

use super::*;

#[test]
fn specs_parse_from_toml_with_their_defaults() {
    let rule: RuleSpec = toml::from_str(
        r#"
id = "big"
action = "review"
reason = "AMOUNT_OVER_CAP"
when = [{ fact = "amount_minor", op = "gt", value = 5000 }]
"#,
    )
    .unwrap();
    let written = RuleSpec {
        id: "big".into(),
        merchants: Vec::new(),
        when: vec![ConditionSpec {
            fact: Some("amount_minor".into()),
            op: "gt".into(),
            value: Some(SpecValue::Number(5000)),
            ..ConditionSpec::default()
        }],
        action: "review".into(),
        reason: "AMOUNT_OVER_CAP".into(),
        mode: "enforce".into(),
        enabled: true,
    };
    assert_eq!(rule, written, "enforced and enabled unless said");

    let text: ConditionSpec =
        toml::from_str("fact = \"currency\"\nop = \"eq\"\nvalue = \"USD\"\n").unwrap();
    assert_eq!(text.value, Some(SpecValue::Text("USD".into())));

    let list: ListSpec = toml::from_str("id = \"vips\"\nkind = \"buyer_id\"\n").unwrap();
    assert!(list.entries.is_empty());

    let set = RuleSet::build(std::slice::from_ref(&rule), &[list], 0).unwrap();
    assert_eq!(set.rules()[0].spec, rule, "as the operator wrote it");
    assert_eq!(set.rules()[0].mode, Mode::Enforce);
}

#[test]
fn unknown_keys_do_not_parse() {
    let condition = "fact = \"amount_minor\"\nop = \"gt\"\nvalue = 5\n";
    assert!(toml::from_str::<ConditionSpec>(condition).is_ok());
    let misspelt = condition.replace("value", "valeu");
    assert!(toml::from_str::<ConditionSpec>(&misspelt).is_err());

    let rule = "id = \"x\"\naction = \"block\"\nreason = \"X\"\n";
    assert!(toml::from_str::<RuleSpec>(rule).is_ok());
    let misspelt = format!("{rule}mod = \"shadow\"\n");
    assert!(toml::from_str::<RuleSpec>(&misspelt).is_err());

    let list = "id = \"x\"\nkind = \"buyer_id\"\n";
    assert!(toml::from_str::<ListSpec>(list).is_ok());
    let misspelt = format!("{list}entry = []\n");
    assert!(toml::from_str::<ListSpec>(&misspelt).is_err());
}

#[test]
fn rules_are_kept_in_id_order() {
    let set = build(
        &[
            always("c", "block", "enforce"),
            always("a", "block", "enforce"),
            always("b", "block", "enforce"),
        ]
        .concat(),
    );
    let ids: Vec<&str> = set.rules().iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert!(RuleSet::build(&[], &[], 0).unwrap().is_empty());
}

// Specs refused.

/// Asserts that a rule whose one condition is each case's `when` is refused for exactly the
/// case's field and reason, the field written below `rules[0].when[0]`, e.g.
/// `.value: INVALID_VALUE`.
fn assert_condition_refused<T: AsRef<str>>(cases: &[(T, &str)]) {
    for (when, refused) in cases {
        let when = when.as_ref();
        assert_eq!(
            refusals(&one(when)),
            [format!("rules[0].when[0]{refused}")],
            "{when}"
        );
    }
}

#[test]
fn unknown_facts_and_counters_are_refused() {
    let colour = r#"{ fact = "colour", op = "eq", value = "red" }"#;
    let refunds = r#"{ counter = "refunds", per = "buyer", op = "gt", value = 1 }"#;
    assert_condition_refused(&[
        (colour, ".fact: UNKNOWN_FACT"),
        (refunds, ".counter: UNKNOWN_COUNTER"),
    ]);
    let m = message(&one(colour));
    assert!(m.contains("metadata.<key>"), "{m}");
}

#[test]
fn a_condition_has_exactly_one_of_fact_and_counter() {
    let both = r#"{ fact = "amount_minor", counter = "daily_amount", per = "merchant", op = "gt", value = 1 }"#;
    let neither = r#"{ op = "gt", value = 1 }"#;
    assert_condition_refused(&[(both, ": FACT_OR_COUNTER"), (neither, ": FACT_OR_COUNTER")]);
}

#[test]
fn values_must_fit_their_fact() {
    let empty = r#"{ fact = "buyer_id", op = "in", values = [] }"#;
    let missing = r#"{ fact = "buyer_id", op = "not_in" }"#;
    assert_condition_refused(&[
        (empty, ".values: EMPTY_VALUES"),
        (missing, ".values: EMPTY_VALUES"),
    ]);
    let bad = [
        r#"{ fact = "amount_minor", op = "gt", value = -1 }"#,
        r#"{ fact = "amount_minor", op = "gt", value = "5000" }"#,
        r#"{ fact = "amount_minor", op = "gt" }"#,
        r#"{ fact = "currency", op = "eq", value = 156 }"#,
        r#"{ fact = "currency", op = "eq", value = "cny" }"#,
        r#"{ fact = "method", op = "ne", value = "cash" }"#,
        r#"{ fact = "client_ip", op = "eq", value = "10.0.0.0/8" }"#,
        r#"{ fact = "buyer_id", op = "eq", value = "" }"#,
        r#"{ fact = "buyer_id", op = "eq" }"#,
    ];
    assert_condition_refused(&bad.map(|when| (when, ".value: INVALID_VALUE")));
    let euro = r#"{ fact = "currency", op = "in", values = ["CNY", "EURO"] }"#;
    let short = r#"{ fact = "client_ip", op = "not_in", values = ["1.2.3"] }"#;
    assert_condition_refused(&[
        (euro, ".values[1]: INVALID_VALUE"),
        (short, ".values[0]: INVALID_VALUE"),
    ]);
}

#[test]
fn each_kind_of_condition_takes_its_own_ops() {
    let bad = [
        r#"{ fact = "amount_minor", op = "in", value = 1 }"#,
        r#"{ fact = "amount_minor", op = "in_list", value = 1 }"#,
        r#"{ fact = "currency", op = "gt", value = "CNY" }"#,
        r#"{ fact = "buyer_id", op = "EQ", value = "b-1" }"#,
        r#"{ counter = "daily_count", per = "merchant", op = "in", value = 1 }"#,
    ];
    assert_condition_refused(&bad.map(|when| (when, ".op: INVALID_OP")));
}

#[test]
fn windows_are_a_second_or_more_and_counters_count_per_someone() {
    let no_window =
        r#"{ counter = "payments", per = "ip", window_secs = 0, op = "gt", value = 1 }"#;
    let no_declines_window = r#"{ counter = "declines", per = "ip", op = "gt", value = 1 }"#;
    let no_per = r#"{ counter = "daily_count", op = "gt", value = 1 }"#;
    let country =
        r#"{ counter = "payments", per = "country", window_secs = 60, op = "gt", value = 1 }"#;
    let merchant =
        r#"{ counter = "declines", per = "merchant", window_secs = 60, op = "gt", value = 1 }"#;
    let negative = r#"{ counter = "daily_amount", per = "buyer", op = "gt", value = -5 }"#;
    assert_condition_refused(&[
        (no_window, ".window_secs: INVALID_WINDOW"),
        (no_declines_window, ".window_secs: INVALID_WINDOW"),
        (no_per, ".per: INVALID_PER"),
        (country, ".per: INVALID_PER"),
        (merchant, ".per: INVALID_PER"),
        (negative, ".value: INVALID_VALUE"),
    ]);
}

#[test]
fn windows_and_holds_are_at_most_a_year() {
    let year: i64 = 366 * 86_400;
    let payments = |window: i64| {
        format!(
            r#"{{ counter = "payments", per = "ip", window_secs = {window}, op = "gt", value = 1 }}"#
        )
    };
    let declines = |window: i64, hold: i64| {
        format!(
            r#"{{ counter = "declines", per = "ip", window_secs = {window}, hold_secs = {hold}, op = "ge", value = 3 }}"#
        )
    };
    assert_condition_refused(&[
        (payments(year + 1), ".window_secs: INVALID_WINDOW"),
        (payments(i64::MAX), ".window_secs: INVALID_WINDOW"),
        (declines(year + 1, 0), ".window_secs: INVALID_WINDOW"),
        (declines(600, year + 1), ".hold_secs: INVALID_HOLD"),
        (declines(600, i64::MAX), ".hold_secs: INVALID_HOLD"),
    ]);
    assert_eq!(
        refusals(&one(&declines(i64::MAX, i64::MAX))),
        [
            "rules[0].when[0].window_secs: INVALID_WINDOW",
            "rules[0].when[0].hold_secs: INVALID_HOLD",
        ]
    );

    // A year is allowed, and read back without overflow.
    let set = build(&one(&format!(
        "{}, {}",
        payments(year),
        declines(year, year)
    )));
    let since: Vec<Timestamp> = set
        .screen(&from_ip("203.0.113.7").facts())
        .tallies()
        .iter()
        .map(|t| match t {
            Tally::Payments { since, .. } | Tally::Declines { since, .. } => *since,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(since, [secs_ago(year), secs_ago(2 * year)]);
}

#[test]
fn payments_are_not_counted_per_merchant() {
    let merchant =
        r#"{ counter = "payments", per = "merchant", window_secs = 60, op = "gt", value = 1 }"#;
    assert_condition_refused(&[(merchant, ".per: INVALID_PER")]);
    let m = message(&one(merchant));
    assert!(m.contains("daily_amount and daily_count"), "{m}");
}

#[test]
fn fields_a_condition_does_not_take_are_refused() {
    let window =
        r#"{ counter = "daily_amount", per = "merchant", window_secs = 60, op = "gt", value = 1 }"#;
    let hold = r#"{ counter = "payments", per = "ip", window_secs = 60, hold_secs = 60, op = "gt", value = 1 }"#;
    let list = r#"{ fact = "amount_minor", op = "gt", value = 1, list = "vips" }"#;
    let per = r#"{ fact = "buyer_id", per = "buyer", op = "eq", value = "b-1" }"#;
    let value = r#"{ fact = "buyer_id", op = "in", value = "b-1", values = ["b-2"] }"#;
    assert_condition_refused(&[
        (window, ".window_secs: UNEXPECTED_FIELD"),
        (hold, ".hold_secs: UNEXPECTED_FIELD"),
        (list, ".list: UNEXPECTED_FIELD"),
        (per, ".per: UNEXPECTED_FIELD"),
        (value, ".value: UNEXPECTED_FIELD"),
    ]);
    assert_eq!(
        refusals(&one(
            r#"{ fact = "buyer_id", op = "eq", values = ["b-1"] }"#
        )),
        [
            "rules[0].when[0].values: UNEXPECTED_FIELD",
            "rules[0].when[0].value: INVALID_VALUE",
        ]
    );
}

#[test]
fn ids_actions_modes_reasons_and_merchants_are_checked() {
    let big = |action: &str, reason: &str, mode: &str| rule_table("big", action, reason, mode, "");
    let long = "x".repeat(65);
    let id = |id: &str| rule_table(id, "block", "BIG", "enforce", "");
    let twice = [big("block", "A", "enforce"), big("review", "B", "enforce")].concat();
    let merchants = format!(
        "{}merchants = [\"{SHOP}\", \"shop-1\"]\n",
        big("block", "BIG", "enforce")
    );
    assert_refused(&[
        (id("Big-Amount"), "rules[0].id: INVALID_ID"),
        (id(""), "rules[0].id: INVALID_ID"),
        (id(&long), "rules[0].id: INVALID_ID"),
        (
            big("deny", "BIG", "enforce"),
            "rules[0].action: INVALID_ACTION",
        ),
        (
            big("block", "BIG", "dry_run"),
            "rules[0].mode: INVALID_MODE",
        ),
        (
            big("block", "amount over cap", "enforce"),
            "rules[0].reason: INVALID_REASON",
        ),
        (twice, "rules[1].id: DUPLICATE_ID"),
        (merchants, "rules[0].merchants[1]: INVALID_MERCHANT_ID"),
    ]);
}

#[test]
fn every_refusal_is_reported_at_once_and_nothing_is_built() {
    let bad_when = r#"{ fact = "amount_minor", op = "gt", value = 5000 },
                      { fact = "colour", op = "eq", value = "red" },
                      { counter = "daily_amount", per = "merchant", window_secs = 60, op = "gt", value = 1 }"#;
    let in_ips = r#"{ fact = "client_ip", op = "in_list", list = "ips" }"#;
    let toml = [
        list("ips", "client_ip", &["10.1.2.3/8"]),
        list("buyers", "buyer", &[]),
        rule_table("ok", "block", "OK", "enforce", ""),
        rule_table("Bad", "stop", "BAD", "enforce", bad_when),
        rule_table("ok", "block", "OK", "loud", in_ips),
    ]
    .concat();
    assert_eq!(
        refusals(&toml),
        [
            "lists[0].entries[0]: INVALID_ENTRY",
            "lists[1].kind: INVALID_LIST_KIND",
            "rules[1].id: INVALID_ID",
            "rules[1].action: INVALID_ACTION",
            "rules[1].when[1].fact: UNKNOWN_FACT",
            "rules[1].when[2].window_secs: UNEXPECTED_FIELD",
            "rules[2].id: DUPLICATE_ID",
            "rules[2].mode: INVALID_MODE",
            "rules[2].when[0].list: UNKNOWN_LIST",
        ]
    );
}
