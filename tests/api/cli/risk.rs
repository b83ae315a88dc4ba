//! `paycore risk …`: rules, lists and their audit trail changed from the host, refusals
//! that change nothing, a running server that follows, and the review queue decided there.

use std::process::Output;
use std::time::{Duration, Instant};

use super::{stderr, stdout};
use crate::support::*;

/// `paycore risk …` with `config` on `db`.
fn risk(db: &str, config: &std::path::Path, args: &[&str]) -> Output {
    paycore(db)
        .arg("--config")
        .arg(config)
        .arg("risk")
        .args(args)
        .output()
        .unwrap()
}

/// Its JSON lines, after checking it succeeded.
fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    assert!(out.status.success(), "{}", stderr(out));
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A merchant made with `paycore merchant create`: (merchant id, API key).
fn cli_merchant(db: &str) -> (String, String) {
    let out = paycore(db)
        .args(["merchant", "create", "--name", "risky"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let m: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    (
        m["merchant_id"].as_str().unwrap().to_owned(),
        m["api_key"].as_str().unwrap().to_owned(),
    )
}

const CAP_RULE: &str = r#"
id = "cap-cny"
action = "block"
reason = "AMOUNT_OVER_CAP"
when = [
  { fact = "currency", op = "eq", value = "CNY" },
  { fact = "amount_minor", op = "gt", value = 50000 },
]
"#;

#[test]
fn rules_and_lists_are_changed_from_the_host_and_refusals_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path());
    let config = dir.path().join("paycore.toml");
    std::fs::write(&config, "[risk]\nrefresh_ms = 200\n").unwrap();
    let file = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let risk = |args: &[&str]| risk(&db, &config, args);

    // Nothing is created where there is no database.
    if db.starts_with("sqlite://") {
        let out = risk(&["rules"]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(stderr(&out).contains("no database at"), "{}", stderr(&out));
        assert!(!dir.path().join("paycore.db").exists());
    }
    let (merchant, _) = cli_merchant(&db);
    let evaluate = |amount: &str, extra: &[&str]| {
        let mut args = vec![
            "evaluate",
            "--merchant-id",
            &merchant,
            "--amount-minor",
            amount,
            "--currency",
            "CNY",
            "--method",
            "qr_code",
        ];
        args.extend_from_slice(extra);
        let out = json_lines(&risk(&args));
        assert_eq!(out.len(), 1);
        out[0].clone()
    };
    assert_eq!(evaluate("60000", &[])["decision"], "allow");

    // A rule from a TOML file is in force at once, as a runtime rule.
    let cap = file("cap.toml", CAP_RULE);
    let put = json_lines(&risk(&["put", "--file", &cap, "--actor", "alice"]));
    assert_eq!(put[0]["id"], "cap-cny");
    assert_eq!(put[0]["source"], "runtime");
    let rules = json_lines(&risk(&["rules"]));
    assert_eq!(rules.len(), 1, "{rules:?}");
    assert_eq!(rules[0]["id"], "cap-cny");
    assert_eq!(rules[0]["source"], "runtime");
    assert_eq!(rules[0]["action"], "block");
    assert_eq!(rules[0]["enabled"], true);
    assert_eq!(rules[0]["when"][1]["value"], 50000);
    assert!(rules[0]["updated_at"].as_str().unwrap().ends_with('Z'));
    let blocked = evaluate("60000", &[]);
    assert_eq!(blocked["decision"], "block", "{blocked}");
    assert_eq!(blocked["decided_by"]["rule_id"], "cap-cny");
    assert_eq!(blocked["decided_by"]["reason"], "AMOUNT_OVER_CAP");
    assert_eq!(evaluate("50000", &[])["decision"], "allow");

    // Disabled, it decides nothing.
    let disabled = json_lines(&risk(&["disable", "--rule", "cap-cny", "--actor", "bob"]));
    assert_eq!(disabled[0]["enabled"], false);
    assert_eq!(json_lines(&risk(&["rules"]))[0]["enabled"], false);
    assert_eq!(evaluate("60000", &[])["decision"], "allow");

    // Refused rules name their fields and change nothing.
    let before = stdout(&risk(&["rules"]));
    let zero_window = file(
        "window.toml",
        "id = \"fast\"\naction = \"review\"\nreason = \"TOO_FAST\"\nwhen = [\n  \
         { counter = \"payments\", per = \"merchant\", window_secs = 0, op = \"gt\", value = 3 },\n]\n",
    );
    let unknown_fact = file(
        "fact.json",
        r#"{"id": "cap-cny", "action": "block", "reason": "AMOUNT_OVER_CAP",
            "when": [{"fact": "colour", "op": "eq", "value": "red"}]}"#,
    );
    for (path, field, reason) in [
        (&zero_window, "rule.when[0].window_secs", "INVALID_WINDOW"),
        (&unknown_fact, "rule.when[0].fact", "UNKNOWN_FACT"),
    ] {
        let out = risk(&["put", "--file", path, "--actor", "alice"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(&format!("{field}: {reason}: ")), "{err}");
        assert!(out.stdout.is_empty(), "{}", stdout(&out));
    }
    // A key the config file does not have is refused as it is read.
    let typo = file("typo.toml", &format!("{CAP_RULE}\nenabeld = true\n"));
    let out = risk(&["put", "--file", &typo, "--actor", "alice"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("enabeld"), "{}", stderr(&out));
    assert_eq!(stdout(&risk(&["rules"])), before, "nothing changed");

    // A list of client IPs: an address and a network, held in canonical form.
    let list = json_lines(&risk(&[
        "create-list",
        "--list",
        "bad-ips",
        "--kind",
        "client_ip",
        "--actor",
        "alice",
    ]));
    assert_eq!(list[0]["id"], "bad-ips");
    assert_eq!(list[0]["entry_count"], 0);
    let added = json_lines(&risk(&[
        "add",
        "--list",
        "bad-ips",
        "--actor",
        "carol",
        "198.51.100.7",
        "203.0.113.0/24",
    ]));
    assert_eq!(added[0]["added"], 2);
    assert_eq!(added[0]["list"]["entry_count"], 2);
    let entries = json_lines(&risk(&["entries", "--list", "bad-ips"]));
    assert_eq!(entries, ["198.51.100.7/32", "203.0.113.0/24"]);
    let removed = json_lines(&risk(&[
        "remove",
        "--list",
        "bad-ips",
        "--actor",
        "dave",
        "198.51.100.7",
    ]));
    assert_eq!(removed[0]["removed"], 1);
    assert_eq!(
        json_lines(&risk(&["entries", "--list", "bad-ips"])),
        ["203.0.113.0/24"]
    );
    let lists = json_lines(&risk(&["lists"]));
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0]["kind"], "client_ip");
    assert_eq!(lists[0]["entry_count"], 1);

    // Bad entries and unknown lists are refused.
    let out = risk(&["add", "--list", "bad-ips", "--actor", "carol", "nope"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("entries[0]: INVALID_ENTRY: "),
        "{}",
        stderr(&out)
    );
    for args in [
        &["entries", "--list", "nope"][..],
        &["add", "--list", "nope", "--actor", "carol", "198.51.100.8"],
    ] {
        let out = risk(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("no list is \"nope\""),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(json_lines(&risk(&["lists"])), lists, "nothing changed");

    // A rule on the list blocks an address in its network.
    let listed = file(
        "listed.json",
        r#"{"id": "bad-ip", "action": "block", "reason": "LISTED_IP",
            "when": [{"fact": "client_ip", "op": "in_list", "list": "bad-ips"}]}"#,
    );
    json_lines(&risk(&["put", "--file", &listed, "--actor", "alice"]));
    let blocked = evaluate("100", &["--client-ip", "203.0.113.9"]);
    assert_eq!(blocked["decision"], "block", "{blocked}");
    assert_eq!(blocked["decided_by"]["rule_id"], "bad-ip");
    assert_eq!(
        evaluate("100", &["--client-ip", "198.51.100.7"])["decision"],
        "allow"
    );

    // Every change, newest first, with who made it.
    let audit = json_lines(&risk(&["audit"]));
    let trail: Vec<(&str, &str, &str)> = audit
        .iter()
        .map(|r| {
            (
                r["action"].as_str().unwrap(),
                r["target"].as_str().unwrap(),
                r["actor"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        trail,
        [
            ("rule.put", "bad-ip", "alice"),
            ("list.remove", "bad-ips", "dave"),
            ("list.add", "bad-ips", "carol"),
            ("list.create", "bad-ips", "alice"),
            ("rule.put", "cap-cny", "bob"),
            ("rule.put", "cap-cny", "alice"),
        ]
    );
    assert_eq!(audit[1]["before"], serde_json::json!(["198.51.100.7/32"]));
    assert_eq!(audit[4]["before"]["enabled"], true);
    assert_eq!(audit[4]["after"]["enabled"], false);
    let seqs: Vec<i64> = audit.iter().map(|r| r["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] > w[1]), "{seqs:?}");
    assert_eq!(json_lines(&risk(&["audit", "--limit", "2"])), audit[..2]);

    // A runtime rule deleted is gone; a line of `rules` puts it back.
    let line = file("line.json", &json_lines(&risk(&["rules"]))[1].to_string());
    let out = risk(&["delete", "--rule", "cap-cny", "--actor", "bob"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "no config rule came back");
    assert_eq!(json_lines(&risk(&["rules"])).len(), 1);
    let back = json_lines(&risk(&["put", "--file", &line, "--actor", "bob"]));
    assert_eq!(back[0]["id"], "cap-cny");
    assert_eq!(back[0]["enabled"], false);
}

// Other threads serve the test's calls while this one waits for `paycore risk`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_server_follows_a_rule_put_from_the_host() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path());
    let config = dir.path().join("paycore.toml");
    std::fs::write(&config, "[risk]\nrefresh_ms = 200\n").unwrap();
    let (_, key) = cli_merchant(&db);
    let node = Process::start_with(&db, &config);
    let c = node.client(&key).await;
    let big = |order: String| {
        let mut req = create_request(&order, Some("succeed"));
        req.amount.as_mut().unwrap().amount_minor = 60_000;
        req
    };
    let before = create(&mut c.clone(), big("big-0".into())).await;
    assert_eq!(
        status_of(&before),
        paycore::proto::v1::PaymentStatus::Succeeded
    );

    let rule = dir.path().join("cap.toml");
    std::fs::write(&rule, CAP_RULE).unwrap();
    let out = risk(
        &db,
        &config,
        &["put", "--file", rule.to_str().unwrap(), "--actor", "alice"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let put_at = Instant::now();
    let mut tries = 0;
    let blocked = eventually(|| {
        tries += 1;
        let (mut c, req) = (c.clone(), big(format!("big-{tries}")));
        async move {
            let p = create(&mut c, req).await;
            (status_of(&p) == paycore::proto::v1::PaymentStatus::Failed).then_some(p)
        }
    })
    .await;
    assert!(
        put_at.elapsed() < Duration::from_secs(5),
        "{:?}",
        put_at.elapsed()
    );
    let failure = blocked.failure.unwrap();
    assert_eq!(failure.code, "RISK_BLOCKED");
    assert!(failure.message.contains("cap-cny"), "{}", failure.message);
    assert!(blocked.attempts.is_empty(), "no channel was called");
}

const REVIEW_LARGE: &str = r#"[risk]
refresh_ms = 200

[[risk.rules]]
id = "large"
action = "review"
reason = "LARGE_AMOUNT"
when = [{ fact = "amount_minor", op = "gt", value = 50000 }]
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn held_payments_are_listed_approved_and_rejected_from_the_host() {
    use paycore::proto::v1::PaymentStatus;
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path());
    let config = dir.path().join("paycore.toml");
    std::fs::write(&config, REVIEW_LARGE).unwrap();
    let risk = |args: &[&str]| risk(&db, &config, args);
    let (merchant, key) = cli_merchant(&db);
    let node = Process::start_with(&db, &config);
    let mut c = node.client(&key).await;
    let mut held = Vec::new();
    for order in ["held-1", "held-2"] {
        let mut req = create_request(order, Some("succeed"));
        req.amount.as_mut().unwrap().amount_minor = 60_000;
        let p = create(&mut c, req).await;
        assert_eq!(status_of(&p), PaymentStatus::RequiresReview);
        held.push(p.id);
    }

    // The config file's rule, as it is written there.
    let rules = json_lines(&risk(&["rules"]));
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0]["id"], "large");
    assert_eq!(rules[0]["source"], "config");
    assert!(rules[0].get("updated_at").is_none(), "{}", rules[0]);

    let queue = json_lines(&risk(&["reviews", "--merchant-id", &merchant]));
    let ids: Vec<&str> = queue.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, held);
    assert_eq!(queue[0]["status"], "PAYMENT_STATUS_REQUIRES_REVIEW");
    assert_eq!(queue[0]["risk"]["decision"], "RISK_ACTION_REVIEW");

    // A reviewer who is nobody is refused, and nothing is decided.
    let out = risk(&["approve", "--payment-id", &held[0], "--reviewer", ""]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("reviewer: INVALID_PERSON: "),
        "{}",
        stderr(&out)
    );

    // Approved, this process places it; rejected, it fails.
    let approved = json_lines(&risk(&[
        "approve",
        "--payment-id",
        &held[0],
        "--reviewer",
        "ann",
        "--note",
        "known buyer",
    ]));
    assert_eq!(
        approved[0]["status"], "PAYMENT_STATUS_SUCCEEDED",
        "{}",
        approved[0]
    );
    assert_eq!(approved[0]["risk"]["review"]["reviewer"], "ann");
    assert_eq!(approved[0]["risk"]["review"]["approved"], true);
    let rejected = json_lines(&risk(&[
        "reject",
        "--payment-id",
        &held[1],
        "--reviewer",
        "ann",
        "--note",
        "stolen card",
    ]));
    assert_eq!(rejected[0]["status"], "PAYMENT_STATUS_FAILED");
    assert_eq!(rejected[0]["failure"]["code"], "RISK_REJECTED");
    assert!(json_lines(&risk(&["reviews"])).is_empty());

    // `payment show` tells the decision and the review.
    let show = |args: &[&str]| {
        let out = paycore(&db)
            .arg("--config")
            .arg(&config)
            .args(["payment", "show"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let text = show(&[&held[1]]);
    assert!(
        text.contains("risk              review by large (LARGE_AMOUNT)"),
        "{text}"
    );
    assert!(
        text.contains("risk match        large review (LARGE_AMOUNT, enforce)"),
        "{text}"
    );
    assert!(
        text.contains("review            rejected by ann at "),
        "{text}"
    );
    let story: serde_json::Value = serde_json::from_str(&show(&["--json", &held[0]])).unwrap();
    let risk_json = &story["payment"]["risk"];
    assert_eq!(risk_json["evaluation"]["decision"], "review");
    assert_eq!(risk_json["review"]["approved"], true);
    assert_eq!(
        risk_json["counted"],
        serde_json::json!([]),
        "no daily rule counts it"
    );
    assert_eq!(
        status_of(&get(&mut c, &held[0]).await),
        PaymentStatus::Succeeded
    );
    let out = risk(&["reject", "--payment-id", &held[0], "--reviewer", "ann"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not held for review"),
        "{}",
        stderr(&out)
    );

    // A config rule is disabled by a runtime copy, which deleted brings it back.
    let out = risk(&["delete", "--rule", "large", "--actor", "bob"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("no runtime rule"), "{}", stderr(&out));
    let copy = json_lines(&risk(&["disable", "--rule", "large", "--actor", "bob"]));
    assert_eq!(
        (&copy[0]["source"], &copy[0]["enabled"]),
        (&"runtime".into(), &false.into())
    );
    let restored = json_lines(&risk(&["delete", "--rule", "large", "--actor", "bob"]));
    assert_eq!(restored.len(), 1);
    assert_eq!(
        (&restored[0]["source"], &restored[0]["enabled"]),
        (&"config".into(), &true.into())
    );
}
