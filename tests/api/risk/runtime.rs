//! Risk rules and lists changed at runtime through AdminService: on every node within the
//! refresh, refused whole when bad, over the config file's, audited; and EvaluateRisk, merchant
//! scope and metrics.

use std::time::Duration;

use paycore::proto::v1;
use tonic::Code;

use super::*;

type Admin = paycore::proto::v1::admin_service_client::AdminServiceClient<
    tonic::service::interceptor::InterceptedService<tonic::transport::Channel, Bearer>,
>;

fn number(fact: &str, op: &str, n: i64) -> v1::RiskCondition {
    v1::RiskCondition {
        fact: fact.into(),
        op: op.into(),
        value: Some(v1::risk_condition::Value::Number(n)),
        ..Default::default()
    }
}

fn rule(id: &str, action: v1::RiskAction, conditions: Vec<v1::RiskCondition>) -> v1::RiskRule {
    v1::RiskRule {
        id: id.into(),
        action: action.into(),
        reason: "TEST_REASON".into(),
        conditions,
        ..Default::default()
    }
}

async fn put(admin: &mut Admin, rule: v1::RiskRule) -> Result<v1::RiskRule, tonic::Status> {
    admin
        .put_risk_rule(v1::PutRiskRuleRequest {
            rule: Some(rule),
            actor: "carol@ops".into(),
        })
        .await
        .map(|r| r.into_inner().rule.unwrap())
}

async fn rules(admin: &mut Admin) -> Vec<v1::RiskRule> {
    admin
        .list_risk_rules(v1::ListRiskRulesRequest {})
        .await
        .unwrap()
        .into_inner()
        .rules
}

async fn audit(admin: &mut Admin) -> Vec<v1::RiskAuditRecord> {
    admin
        .list_risk_audit(v1::ListRiskAuditRequest::default())
        .await
        .unwrap()
        .into_inner()
        .records
}

fn violations(status: &tonic::Status) -> Vec<(String, String)> {
    use tonic_types::StatusExt;
    assert_reason(status, Code::InvalidArgument, "INVALID_REQUEST");
    status
        .get_details_bad_request()
        .unwrap()
        .field_violations
        .into_iter()
        .map(|v| (v.field, v.reason))
        .collect()
}

async fn add_entries(
    admin: &mut Admin,
    list: &str,
    entries: Vec<String>,
) -> Result<v1::AddRiskListEntriesResponse, tonic::Status> {
    let req = v1::AddRiskListEntriesRequest {
        list_id: list.into(),
        entries,
        actor: "carol@ops".into(),
    };
    admin
        .add_risk_list_entries(req)
        .await
        .map(|r| r.into_inner())
}

async fn remove_entries(
    admin: &mut Admin,
    list: &str,
    entries: Vec<String>,
) -> Result<v1::RemoveRiskListEntriesResponse, tonic::Status> {
    let req = v1::RemoveRiskListEntriesRequest {
        list_id: list.into(),
        entries,
        actor: "carol@ops".into(),
    };
    admin
        .remove_risk_list_entries(req)
        .await
        .map(|r| r.into_inner())
}

#[tokio::test]
async fn a_runtime_rule_applies_at_once_here_and_within_the_refresh_on_another_node() {
    let t = server("[risk]\nrefresh_ms = 100\n").await;
    let other = t.another_node().await;
    let mut here = t.client().await;
    let there = other.client_with(&t.api_key).await;
    let mut admin = t.admin(OPERATOR_KEY).await;
    let cap = rule(
        "cap",
        v1::RiskAction::Block,
        vec![number("amount_minor", "gt", 5000)],
    );
    let put_rule = put(&mut admin, cap).await.unwrap();
    assert_eq!(put_rule.source, i32::from(v1::RiskSource::Runtime));
    let p = create(&mut here, request("rt-here", 6000, Some("succeed"))).await;
    assert_eq!(failure_code(&p), "RISK_BLOCKED");
    // The other node polls every 100 ms.
    let started = std::time::Instant::now();
    let mut n = 0;
    let blocked = eventually(|| {
        n += 1;
        let mut there = there.clone();
        async move {
            let p = create(
                &mut there,
                request(&format!("rt-there-{n}"), 6000, Some("succeed")),
            )
            .await;
            (failure_code(&p) == "RISK_BLOCKED").then_some(p)
        }
    })
    .await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(decision(&blocked), v1::RiskAction::Block);

    // Disabled on the other node: off here within the refresh too.
    let mut admin_there = other.admin(OPERATOR_KEY).await;
    admin_there
        .set_risk_rule_enabled(v1::SetRiskRuleEnabledRequest {
            rule_id: "cap".into(),
            enabled: false,
            actor: "carol@ops".into(),
        })
        .await
        .unwrap();
    let mut n = 0;
    eventually(|| {
        n += 1;
        let mut here = here.clone();
        async move {
            let p = create(
                &mut here,
                request(&format!("rt-off-{n}"), 6000, Some("succeed")),
            )
            .await;
            (status_of(&p) == v1::PaymentStatus::Succeeded).then_some(())
        }
    })
    .await;
    let trail = audit(&mut admin).await;
    assert_eq!(trail.len(), 2);
    assert_eq!(
        (trail[0].action.as_str(), trail[0].actor.as_str()),
        ("rule.put", "carol@ops")
    );
    assert!(
        trail[0].before.contains("\"enabled\":true"),
        "{}",
        trail[0].before
    );
    assert!(
        trail[0].after.contains("\"enabled\":false"),
        "{}",
        trail[0].after
    );
    assert_eq!(trail[1].before, "", "created");
}

#[tokio::test]
async fn bad_rules_are_refused_naming_each_field_and_nothing_changes() {
    let t = server(CAP).await;
    let mut admin = t.admin(OPERATOR_KEY).await;
    let before = rules(&mut admin).await;
    let mut bad = rule(
        "bad",
        v1::RiskAction::Block,
        vec![
            v1::RiskCondition {
                counter: "payments".into(),
                per: "ip".into(),
                op: "gt".into(),
                value: Some(v1::risk_condition::Value::Number(3)),
                ..Default::default()
            },
            number("amount_in_dollars", "gt", 1),
            v1::RiskCondition {
                fact: "currency".into(),
                op: "in".into(),
                ..Default::default()
            },
            v1::RiskCondition {
                fact: "client_ip".into(),
                op: "in_list".into(),
                list_id: "nowhere".into(),
                ..Default::default()
            },
        ],
    );
    bad.reason = "lower case".into();
    let err = put(&mut admin, bad).await.unwrap_err();
    assert_eq!(
        violations(&err),
        [
            ("rule.reason".to_owned(), "INVALID_REASON".to_owned()),
            ("rule.when[0].window_secs".into(), "INVALID_WINDOW".into()),
            ("rule.when[1].fact".into(), "UNKNOWN_FACT".into()),
            ("rule.when[2].values".into(), "EMPTY_VALUES".into()),
            ("rule.when[3].list".into(), "UNKNOWN_LIST".into()),
        ]
    );
    let no_action = put(&mut admin, rule("x", v1::RiskAction::Unspecified, vec![]))
        .await
        .unwrap_err();
    assert_eq!(
        violations(&no_action),
        [("rule.action".to_owned(), "INVALID_ACTION".to_owned())]
    );
    let unnamed = admin
        .put_risk_rule(v1::PutRiskRuleRequest {
            rule: Some(rule("x", v1::RiskAction::Block, vec![])),
            actor: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        violations(&unnamed),
        [("actor".to_owned(), "INVALID_PERSON".to_owned())]
    );
    assert_eq!(rules(&mut admin).await, before);
    assert!(audit(&mut admin).await.is_empty());
    let missing = admin
        .delete_risk_rule(v1::DeleteRiskRuleRequest {
            rule_id: "cap-cny".into(),
            actor: "carol@ops".into(),
        })
        .await
        .unwrap_err();
    assert_reason(&missing, Code::NotFound, "RISK_RULE_NOT_FOUND");
}

#[tokio::test]
async fn a_runtime_rule_replaces_the_config_rule_of_its_id_until_deleted() {
    let t = server(CAP).await;
    let mut c = t.client().await;
    let mut admin = t.admin(OPERATOR_KEY).await;
    let listed = rules(&mut admin).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].source, i32::from(v1::RiskSource::Config));
    let disabled = admin
        .set_risk_rule_enabled(v1::SetRiskRuleEnabledRequest {
            rule_id: "cap-cny".into(),
            enabled: false,
            actor: "carol@ops".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .rule
        .unwrap();
    assert!(disabled.disabled);
    assert_eq!(disabled.source, i32::from(v1::RiskSource::Runtime));
    let p = create(&mut c, request("ov-1", 60_000, Some("succeed"))).await;
    assert_eq!(status_of(&p), v1::PaymentStatus::Succeeded);
    let restored = admin
        .delete_risk_rule(v1::DeleteRiskRuleRequest {
            rule_id: "cap-cny".into(),
            actor: "carol@ops".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .restored
        .unwrap();
    assert_eq!(
        (restored.disabled, restored.source),
        (false, i32::from(v1::RiskSource::Config))
    );
    let p = create(&mut c, request("ov-2", 60_000, Some("succeed"))).await;
    assert_eq!(failure_code(&p), "RISK_BLOCKED");
}

const LISTED: &str = r#"
[[risk.lists]]
id = "blocked-ips"
kind = "client_ip"
entries = ["192.0.2.1"]

[[risk.rules]]
id = "blocked-ips"
action = "block"
reason = "BLOCKED_IP"
when = [{ fact = "client_ip", op = "in_list", list = "blocked-ips" }]
"#;

#[tokio::test]
async fn list_entries_change_at_runtime_and_config_entries_stay() {
    let t = server(LISTED).await;
    let mut c = t.client().await;
    let mut admin = t.admin(OPERATOR_KEY).await;
    let from = |order: &str, ip: &str| with_payer(request(order, 100, Some("succeed")), "b", ip);
    assert_eq!(
        failure_code(&create(&mut c, from("l-0", "192.0.2.1")).await),
        "RISK_BLOCKED"
    );
    assert_eq!(
        decision(&create(&mut c, from("l-1", "198.51.100.9")).await),
        v1::RiskAction::Allow
    );

    let added = add_entries(
        &mut admin,
        "blocked-ips",
        vec![
            "198.51.100.0/24".into(),
            "2001:db8::1".into(),
            "192.0.2.1".into(),
        ],
    )
    .await
    .unwrap();
    assert_eq!(added.added, 2, "the config entry was there already");
    assert_eq!(added.list.unwrap().entry_count, 3);
    assert_eq!(
        failure_code(&create(&mut c, from("l-2", "198.51.100.9")).await),
        "RISK_BLOCKED"
    );
    assert_eq!(
        failure_code(&create(&mut c, from("l-3", "::ffff:198.51.100.10")).await),
        "RISK_BLOCKED"
    );
    let entries = admin
        .list_risk_list_entries(v1::ListRiskListEntriesRequest {
            list_id: "blocked-ips".into(),
            page_size: 2,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(entries.entries, ["192.0.2.1/32", "198.51.100.0/24"]);
    let rest = admin
        .list_risk_list_entries(v1::ListRiskListEntriesRequest {
            list_id: "blocked-ips".into(),
            page_token: entries.next_page_token,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(rest.entries, ["2001:db8::1/128"]);

    // Bad entries and the config file's own are refused; nothing is removed then.
    let refused = remove_entries(
        &mut admin,
        "blocked-ips",
        vec!["198.51.100.0/24".into(), "192.0.2.1".into()],
    )
    .await
    .unwrap_err();
    assert_eq!(
        violations(&refused),
        [("entries[1]".to_owned(), "ENTRY_FROM_CONFIG".to_owned())]
    );
    let bad = add_entries(
        &mut admin,
        "blocked-ips",
        vec!["10.0.0.0/8".into(), "10.1.2.3/8".into()],
    )
    .await
    .unwrap_err();
    assert_eq!(
        violations(&bad),
        [("entries[1]".to_owned(), "INVALID_ENTRY".to_owned())]
    );
    let removed = remove_entries(&mut admin, "blocked-ips", vec!["198.51.100.0/24".into()])
        .await
        .unwrap();
    assert_eq!((removed.removed, removed.list.unwrap().entry_count), (1, 2));
    assert_eq!(
        decision(&create(&mut c, from("l-4", "198.51.100.9")).await),
        v1::RiskAction::Allow
    );
    let actions: Vec<String> = audit(&mut admin)
        .await
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert_eq!(actions, ["list.remove", "list.add"]);
    // Adding only what the config file lists changes nothing.
    let again = add_entries(&mut admin, "blocked-ips", vec!["192.0.2.1/32".into()])
        .await
        .unwrap();
    assert_eq!(again.added, 0);
    assert_eq!(audit(&mut admin).await.len(), 2);

    // A list made at runtime, used by a rule put at runtime.
    admin
        .create_risk_list(v1::CreateRiskListRequest {
            list_id: "devices".into(),
            kind: "device_id".into(),
            actor: "carol@ops".into(),
        })
        .await
        .unwrap();
    add_entries(&mut admin, "devices", vec!["dev-stolen".into()])
        .await
        .unwrap();
    let listed = v1::RiskCondition {
        fact: "device_id".into(),
        op: "in_list".into(),
        list_id: "devices".into(),
        ..Default::default()
    };
    put(
        &mut admin,
        rule("devices", v1::RiskAction::Review, vec![listed]),
    )
    .await
    .unwrap();
    let mut req = request("l-5", 100, None);
    req.payer = Some(v1::Payer {
        device_id: "dev-stolen".into(),
        ..Default::default()
    });
    assert_eq!(
        status_of(&create(&mut c, req).await),
        v1::PaymentStatus::RequiresReview
    );
    let wrong_kind = put(
        &mut admin,
        rule(
            "wrong",
            v1::RiskAction::Block,
            vec![v1::RiskCondition {
                fact: "buyer_id".into(),
                op: "in_list".into(),
                list_id: "devices".into(),
                ..Default::default()
            }],
        ),
    )
    .await
    .unwrap_err();
    assert_eq!(
        violations(&wrong_kind),
        [(
            "rule.when[0].list".to_owned(),
            "LIST_KIND_MISMATCH".to_owned()
        )]
    );
}

#[tokio::test]
async fn a_rule_scoped_to_a_merchant_leaves_the_others_alone() {
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let mut other = t.client_with(&t.other_merchant().await).await;
    let mut admin = t.admin(OPERATOR_KEY).await;
    let merchant_id = t.merchant_id().await;
    let mut scoped = rule("scoped", v1::RiskAction::Block, vec![]);
    scoped.merchant_ids = vec![merchant_id];
    put(&mut admin, scoped).await.unwrap();
    assert_eq!(
        failure_code(&create(&mut c, request("scope-1", 100, Some("succeed"))).await),
        "RISK_BLOCKED"
    );
    let theirs = create(&mut other, request("scope-1", 100, Some("succeed"))).await;
    assert_eq!(status_of(&theirs), v1::PaymentStatus::Succeeded);
}

#[tokio::test]
async fn evaluate_risk_answers_without_storing_or_counting() {
    let t = server(DAILY).await;
    let mut c = t.client().await;
    let mut admin = t.admin(OPERATOR_KEY).await;
    create(&mut c, request("ev-0", 9000, Some("succeed"))).await;
    let merchant_id = t.merchant_id().await;
    let evaluate = |amount: i64| v1::EvaluateRiskRequest {
        merchant_id: merchant_id.clone(),
        payment: Some(request("ev-dry", amount, None)),
    };
    for _ in 0..3 {
        let e = admin
            .evaluate_risk(evaluate(1000))
            .await
            .unwrap()
            .into_inner()
            .evaluation
            .unwrap();
        assert_eq!(
            v1::RiskAction::try_from(e.decision).unwrap(),
            v1::RiskAction::Allow
        );
    }
    let over = admin
        .evaluate_risk(evaluate(1001))
        .await
        .unwrap()
        .into_inner()
        .evaluation
        .unwrap();
    assert_eq!(
        v1::RiskAction::try_from(over.decision).unwrap(),
        v1::RiskAction::Block
    );
    assert_eq!(over.decided_by.unwrap().rule_id, "merchant-daily");
    // Nothing was stored or counted: the last 1 000 of the day is still there.
    let missing = c
        .get_payment(v1::GetPaymentRequest {
            lookup: Some(v1::get_payment_request::Lookup::MerchantOrderId(
                "ev-dry".into(),
            )),
        })
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Code::NotFound);
    let p = create(&mut c, request("ev-1", 1000, Some("succeed"))).await;
    assert_eq!(status_of(&p), v1::PaymentStatus::Succeeded);
    let invalid = admin
        .evaluate_risk(v1::EvaluateRiskRequest {
            merchant_id,
            payment: Some(request("ev-bad", -5, None)),
        })
        .await
        .unwrap_err();
    assert_eq!(
        violations(&invalid),
        [(
            "payment.amount.amount_minor".to_owned(),
            "INVALID_AMOUNT".to_owned()
        )]
    );
}

#[tokio::test]
async fn decisions_and_rule_matches_are_counted_in_metrics() {
    let t = server(PRECEDENCE).await;
    let mut c = t.client().await;
    create(
        &mut c,
        with_payer(request("m-1", 30_000, None), "b", "203.0.113.9"),
    )
    .await;
    create(
        &mut c,
        with_payer(request("m-2", 30_000, None), "b", "198.51.100.1"),
    )
    .await;
    create(
        &mut c,
        with_payer(request("m-3", 100, Some("succeed")), "b", "198.51.100.1"),
    )
    .await;
    let (_, text) = http(t.http_addr(), "GET", "/metrics", &[], b"").await;
    let m = crate::metrics::parse(&text);
    let get = |s: &str| m.get(s).copied().unwrap_or(0.0);
    assert_eq!(get("paycore_risk_decisions_total{decision=\"block\"}"), 1.0);
    assert_eq!(
        get("paycore_risk_decisions_total{decision=\"review\"}"),
        1.0
    );
    assert_eq!(get("paycore_risk_decisions_total{decision=\"allow\"}"), 1.0);
    assert_eq!(
        get("paycore_risk_rule_matches_total{rule=\"shadow-qr\",action=\"block\",mode=\"shadow\"}"),
        3.0
    );
    assert_eq!(
        get(
            "paycore_risk_rule_matches_total{rule=\"review-large\",action=\"review\",mode=\"enforce\"}"
        ),
        2.0
    );
}
