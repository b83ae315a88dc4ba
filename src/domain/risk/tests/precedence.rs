//! Which rules apply to a payment, and which of the rules that match decides.

use super::*;

// Scope.

#[test]
fn a_rule_for_some_merchants_leaves_the_others_alone() {
    let set = build(&format!(
        "{}merchants = [\"{SHOP}\", \"{THIRD_SHOP}\"]\n{}",
        always("scoped", "block", "enforce"),
        always("everyone", "review", "shadow"),
    ));
    assert_eq!(matched(&evaluate(&set, &payment())), ["everyone", "scoped"]);
    let mut p = payment();
    p.merchant = merchant(OTHER_SHOP);
    assert_eq!(matched(&evaluate(&set, &p)), ["everyone"]);
}

/// A rule `hit` counting SHOP's payments of the day, with one more line of its table.
fn counting_rule_with(line: &str) -> Arc<RuleSet> {
    build(&format!(
        "{}{line}\n",
        one(r#"{ counter = "daily_count", per = "merchant", op = "ge", value = 0 }"#)
    ))
}

#[test]
fn a_disabled_rule_matches_nothing_and_counts_nothing() {
    let set = counting_rule_with("enabled = false");
    assert_reads_nothing(&set.screen(&payment().facts()), &[]);
    assert!(!set.rules()[0].enabled, "still in the set");
    assert!(set.is_empty(), "but none is enabled");
}

#[test]
fn a_rule_out_of_scope_counts_nothing() {
    let set = counting_rule_with(&format!("merchants = [\"{OTHER_SHOP}\"]"));
    assert_reads_nothing(&set.screen(&payment().facts()), &[]);
    assert!(!set.is_empty());
}

// Precedence.

fn decision_of(rules: &[String]) -> Evaluation {
    evaluate(&build(&rules.concat()), &payment())
}

fn record(rule_id: &str, action: &str, mode: &str) -> Match {
    Match {
        rule_id: rule_id.into(),
        action: Action::parse(action).unwrap(),
        mode: Mode::parse(mode).unwrap(),
        reason: reason_of(rule_id),
    }
}

#[test]
fn allow_beats_block_beats_review() {
    let review = always("a-review", "review", "enforce");
    let block = always("b-block", "block", "enforce");
    let allow = always("c-allow", "allow", "enforce");

    let e = decision_of(&[review.clone(), block.clone(), allow]);
    assert_eq!(e.decision, Action::Allow);
    assert_eq!(e.decided_by, Some(record("c-allow", "allow", "enforce")));
    assert_eq!(matched(&e), ["a-review", "b-block", "c-allow"]);

    let e = decision_of(&[review.clone(), block]);
    assert_eq!(e.decision, Action::Block);
    assert_eq!(e.decided_by, Some(record("b-block", "block", "enforce")));

    let e = decision_of(&[review]);
    assert_eq!(e.decision, Action::Review);
    assert_eq!(e.decided_by, Some(record("a-review", "review", "enforce")));

    let e = decision_of(&[]);
    assert_eq!(e.decision, Action::Allow);
    assert_eq!((e.decided_by, e.matches), (None, vec![]));
}

#[test]
fn of_several_rules_of_one_action_the_first_by_id_decides() {
    let e = decision_of(&[
        always("block-b", "block", "enforce"),
        always("block-a", "block", "enforce"),
        always("review-0", "review", "enforce"),
    ]);
    assert_eq!(e.decided_by, Some(record("block-a", "block", "enforce")));
    assert_eq!(matched(&e), ["block-a", "block-b", "review-0"]);
}

#[test]
fn shadow_matches_are_recorded_but_never_decide() {
    let e = decision_of(&[
        always("shadow-block", "block", "shadow"),
        always("review", "review", "enforce"),
    ]);
    assert_eq!(e.decided_by, Some(record("review", "review", "enforce")));
    assert_eq!(
        e.matches,
        [
            record("review", "review", "enforce"),
            record("shadow-block", "block", "shadow"),
        ]
    );

    let e = decision_of(&[
        always("shadow-allow", "allow", "shadow"),
        always("block", "block", "enforce"),
    ]);
    assert_eq!(e.decision, Action::Block, "a shadow ALLOW exempts nothing");

    let e = decision_of(&[always("shadow-block", "block", "shadow")]);
    assert_eq!(e.decision, Action::Allow);
    assert_eq!(e.decided_by, None);
    assert_eq!(e.matches, [record("shadow-block", "block", "shadow")]);
}

#[test]
fn an_evaluation_records_as_json_and_reads_back() {
    let e = decision_of(&[always("block", "block", "enforce")]);
    let json = serde_json::to_string(&e).unwrap();
    assert_eq!(serde_json::from_str::<Evaluation>(&json).unwrap(), e);
    let none = decision_of(&[]);
    let json = serde_json::to_string(&none).unwrap();
    assert!(!json.contains("decided_by"), "{json}");
    assert_eq!(serde_json::from_str::<Evaluation>(&json).unwrap(), none);
}
