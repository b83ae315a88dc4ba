//! The `paycore` command line as an operator meets it: messages that name the database
//! and the reason, usage errors, help, and `payment show`; `paycore risk` in `cli/risk.rs`.

mod risk;

use std::process::Output;
use std::time::{Duration, Instant};

use crate::refunds::refund_request;
use crate::support::*;
use crate::webhooks::Receiver;

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn an_unwritable_sqlite_path_is_named_with_the_reason() {
    // A directory that cannot be created.
    let out = paycore("sqlite:///proc/nope/paycore.db")
        .arg("migrate")
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("/proc/nope/paycore.db"), "{err}");
    assert!(err.contains("No such file or directory"), "{err}");

    // A path that is a directory, not a file.
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().display());
    let out = paycore(&url).arg("migrate").output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(&dir.path().display().to_string()), "{err}");
    assert!(err.contains("Is a directory"), "{err}");
}

#[test]
fn merchant_commands_warn_when_they_create_a_new_database() {
    let dir = tempfile::tempdir().unwrap();
    // A relative URL, as the default is: the file is where the command runs.
    let url = "sqlite://data/paycore.db";
    let db = dir.path().join("data/paycore.db");
    let create = |name: &str| {
        paycore(url)
            .current_dir(dir.path())
            .args(["merchant", "create", "--name", name])
            .output()
            .unwrap()
    };
    let first = create("first");
    assert!(first.status.success(), "{}", stderr(&first));
    let err = stderr(&first);
    assert!(err.contains("creating a new one"), "{err}");
    assert!(err.contains(&db.display().to_string()), "{err}");
    let second = create("second");
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(
        !stderr(&second).contains("creating a new"),
        "{}",
        stderr(&second)
    );

    // `migrate` creates without a warning, and says where.
    let other = dir.path().join("other.db");
    let url = format!("sqlite://{}", other.display());
    let out = paycore(&url).arg("migrate").output().unwrap();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("warning"), "{err}");
    assert!(
        err.contains(&format!(
            "created a new SQLite database {}",
            other.display()
        )),
        "{err}"
    );
    let out = paycore(&url).arg("migrate").output().unwrap();
    assert!(
        stderr(&out).contains(&format!(
            "SQLite database {} is up to date",
            other.display()
        )),
        "{}",
        stderr(&out)
    );

    // Looking at a payment creates nothing.
    let missing = dir.path().join("missing.db");
    let id = paycore::domain::PaymentId::generate(1_700_000_000_000).to_string();
    let out = paycore(&format!("sqlite://{}", missing.display()))
        .args(["payment", "show", &id])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no database at"), "{}", stderr(&out));
    assert!(!missing.exists());
}

#[test]
fn bad_flags_and_database_urls_exit_2_and_create_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let url = format!("sqlite://{}", db.display());
    let usage: &[&[&str]] = &[
        &["merchant", "create", "--name", ""],
        &["merchant", "create", "--name", "  "],
        &[
            "merchant",
            "create",
            "--name",
            "m",
            "--webhook-url",
            "ftp://x",
        ],
        &["merchant", "rotate-secret", "--merchant-id", "nope"],
        &["payment", "show", "nope"],
        &["payment", "show"],
        &["payment", "show", "--merchant-order-id", "o-1"],
        &["risk", "put", "--actor", "a"],
        &["risk", "add", "--list", "l", "--actor", "a"],
        &[
            "risk",
            "create-list",
            "--list",
            "l",
            "--kind",
            "colour",
            "--actor",
            "a",
        ],
        &["risk", "approve", "--payment-id", "nope", "--reviewer", "r"],
        &[
            "risk",
            "evaluate",
            "--merchant-id",
            "mch_x",
            "--amount-minor",
            "1",
        ],
    ];
    for args in usage {
        let out = paycore(&url).args(*args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
    assert!(!db.exists(), "a usage error creates no database");

    // A URL that does not parse is the configuration's fault, and its password stays out.
    let out = paycore("postgres://paycore:sekret@db.example:notaport/paycore")
        .arg("migrate")
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("database.url"), "{err}");
    assert!(!err.contains("sekret"), "{err}");
}

#[test]
fn webhook_urls_pointing_inside_are_refused_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(dir.path());
    let out = paycore(&url).arg("migrate").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let create = |webhook: &str, config: Option<&std::path::Path>| {
        let mut cmd = paycore(&url);
        if let Some(config) = config {
            cmd.arg("--config").arg(config);
        }
        cmd.args([
            "merchant",
            "create",
            "--name",
            "inside",
            "--webhook-url",
            webhook,
        ])
        .output()
        .unwrap()
    };
    for (webhook, why) in [
        // Alibaba Cloud's metadata service, in the shared address space.
        (
            "http://100.100.100.200/",
            "100.100.100.200 is in 100.64.0.0/10",
        ),
        // AWS's metadata service through NAT64.
        (
            "http://[64:ff9b::a9fe:a9fe]/",
            "64:ff9b::a9fe:a9fe is in 64:ff9b::/96",
        ),
        ("http://localhost:9/hooks", "localhost resolves to"),
        (
            "http://paycore-hooks.invalid/",
            "cannot resolve paycore-hooks.invalid",
        ),
    ] {
        let out = create(webhook, None);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{webhook}: {err}");
        assert!(err.contains("--webhook-url: "), "{err}");
        assert!(err.contains(why), "{webhook}: {err}");
        assert!(out.stdout.is_empty(), "no merchant printed");
    }
    let list = paycore(&url).args(["merchant", "list"]).output().unwrap();
    assert!(list.status.success(), "{}", stderr(&list));
    assert!(list.stdout.is_empty(), "nothing created: {}", stdout(&list));

    // An operator's exception permits its network; others stay refused.
    let config = dir.path().join("paycore.toml");
    std::fs::write(
        &config,
        "[webhooks]\nallow_networks = [\"100.100.100.200/32\"]\n",
    )
    .unwrap();
    let out = create("http://100.100.100.200/", Some(&config));
    assert!(out.status.success(), "{}", stderr(&out));
    let out = create("http://[64:ff9b::a9fe:a9fe]/", Some(&config));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));

    // A network that is not one is the configuration's fault, named by its key.
    std::fs::write(&config, "[webhooks]\nallow_networks = [\"10.0.0.1/8\"]\n").unwrap();
    let out = create("http://100.100.100.200/", Some(&config));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("webhooks.allow_networks"), "{err}");
    assert!(err.contains("the network is 10.0.0.0/8"), "{err}");
}

#[test]
fn help_describes_flags_with_their_defaults() {
    let help = |args: &[&str]| {
        let out = std::process::Command::new(BIN)
            .args(args)
            .arg("--help")
            .output()
            .unwrap();
        assert!(out.status.success());
        stdout(&out)
    };
    let rotate = help(&["merchant", "rotate-secret"]);
    assert!(rotate.contains("[default: 86400]"), "{rotate}");
    assert!(
        rotate.contains("How long the old secret keeps signing"),
        "{rotate}"
    );
    let show = help(&["payment", "show"]);
    for flag in ["--merchant-order-id", "--merchant-id", "--json", "--config"] {
        assert!(show.contains(flag), "{flag}: {show}");
    }
    assert!(show.contains("default: text"), "{show}");
    let put = help(&["risk", "put"]);
    for part in ["--file", "--actor", "TOML", ".json"] {
        assert!(put.contains(part), "{part}: {put}");
    }
    let top = help(&[]);
    assert!(top.contains("payment"), "{top}");
    assert!(top.contains("risk"), "{top}");
}

#[tokio::test]
async fn an_unreachable_postgres_is_named_with_its_address_and_the_reason() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("paycore.toml");
    std::fs::write(&config, "[database]\nconnect_retry_secs = 1\n").unwrap();
    let started = Instant::now();
    let out = paycore(&format!("postgres://paycore:sekret@127.0.0.1:{port}/x"))
        .arg("--config")
        .arg(&config)
        .arg("migrate")
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(started.elapsed() < Duration::from_secs(10), "{err}");
    // Said at the first failure, and again in the final error.
    let named = format!("127.0.0.1:{port}");
    let lines: Vec<&str> = err.lines().filter(|l| l.contains(&named)).collect();
    assert!(lines.len() >= 2, "{err}");
    assert!(lines.iter().all(|l| l.contains("refused")), "{err}");
    let last = err.lines().last().unwrap_or_default();
    assert!(last.contains(&named) && last.contains("refused"), "{err}");
    assert!(!err.contains("pool timed out"), "{err}");
    assert!(!err.contains("sekret"), "{err}");
}

// Other threads answer the webhooks while this one waits for `paycore payment show`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payment_show_tells_a_paid_and_refunded_payment_story() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path());
    let config = dir.path().join("paycore.toml");
    std::fs::write(
        &config,
        "[webhooks]\nallow_private = true\nschedule_ms = [0, 100, 100]\njitter = 0.0\n\
         poll_ms = 20\n",
    )
    .unwrap();
    // The first delivery is refused once, so one delivery takes two tries.
    let (receiver, addr) = Receiver::start(&[500]).await;
    // The same configuration as the server: it lets webhooks reach loopback.
    let out = paycore(&db)
        .arg("--config")
        .arg(&config)
        .args(["merchant", "create", "--name", "shown", "--webhook-url"])
        .arg(format!("http://{addr}/hooks"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let created: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let key = created["api_key"].as_str().unwrap().to_owned();
    let merchant = created["merchant_id"].as_str().unwrap().to_owned();

    let node = Process::start_with(&db, &config);
    let mut c = node.client(&key).await;
    let paid = create(&mut c, create_request("shown-1", Some("succeed"))).await;
    let mut r = paycore::proto::v1::refund_service_client::RefundServiceClient::with_interceptor(
        node.channel().await,
        Bearer::for_key(&key),
    );
    let refunded =
        crate::refunds::refund(&mut r, refund_request(&paid.id, "shown-r1", Some(300))).await;

    let show = |args: &[&str]| paycore(&db).args(["payment", "show"]).args(args).output();
    // Every event delivered.
    let story = eventually(|| {
        let out = show(&[&paid.id, "--json"]).unwrap();
        let story = serde_json::from_slice::<serde_json::Value>(&out.stdout)
            .ok()
            .filter(|story| {
                let deliveries = story["deliveries"].as_array().cloned().unwrap_or_default();
                let events = story["events"].as_array().map_or(0, Vec::len);
                !deliveries.is_empty()
                    && deliveries.len() == events
                    && deliveries.iter().all(|d| d["status"] == "succeeded")
            });
        async move { story }
    })
    .await;
    assert!(receiver.got().len() > story["events"].as_array().unwrap().len());

    assert_eq!(story["payment"]["id"], paid.id);
    assert_eq!(story["payment"]["status"], "succeeded");
    assert_eq!(story["payment"]["amount"]["amount_minor"], 1000);
    assert_eq!(story["payment"]["refunded_minor"], 300);
    assert_eq!(story["attempts"].as_array().unwrap().len(), 1);
    assert_eq!(story["attempts"][0]["outcome"], "accepted");
    assert_eq!(story["attempts"][0]["channel_id"], "sandbox");
    assert_eq!(story["refunds"].as_array().unwrap().len(), 1);
    assert_eq!(story["refunds"][0]["id"], refunded.id);
    assert_eq!(story["refunds"][0]["status"], "succeeded");
    let types: Vec<&str> = story["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    for t in ["payment.succeeded", "refund.succeeded"] {
        assert!(types.contains(&t), "{types:?}");
    }
    let tries: Vec<u64> = story["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["attempts"].as_u64().unwrap())
        .collect();
    assert_eq!(tries.iter().filter(|t| **t == 2).count(), 1, "{tries:?}");

    // The same story as text.
    let out = show(&[&paid.id]).unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for part in [
        format!("payment {}", paid.id),
        "succeeded".to_owned(),
        "10.00 CNY (refunded 3.00 CNY)".to_owned(),
        "attempts (1)".to_owned(),
        "sandbox  accepted".to_owned(),
        "refunds (1)".to_owned(),
        format!("{}  succeeded  3.00 CNY", refunded.id),
        format!("events ({})", types.len()),
        "refund.succeeded".to_owned(),
        format!("webhook deliveries ({})", types.len()),
        "2 tries".to_owned(),
        "last HTTP 200".to_owned(),
    ] {
        assert!(text.contains(&part), "{part:?} in:\n{text}");
    }

    // By the merchant's order id.
    let out = show(&[
        "--merchant-order-id",
        "shown-1",
        "--merchant-id",
        &merchant,
        "--json",
    ])
    .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let by_order: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(by_order["payment"]["id"], paid.id);

    // Not there.
    let nobody = paycore::domain::PaymentId::generate(1_700_000_000_000).to_string();
    let out = show(&[&nobody]).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("no payment {nobody}")),
        "{}",
        stderr(&out)
    );
    let out = show(&["--merchant-order-id", "nope", "--merchant-id", &merchant]).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no payment"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconcile_prints_the_days_summary_and_exits_by_what_it_found() {
    use crate::sim_stripe::{Mode, StripeSim};
    let sim = StripeSim::start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path());
    let config = dir.path().join("paycore.toml");
    std::fs::write(
        &config,
        format!(
            "[[channels]]\nid = \"sandbox\"\nprovider = \"sandbox\"\n{}",
            stripe_channel("stripe-main", &sim.base_url(), 1, dir.path())
        ),
    )
    .unwrap();
    // Two days ago, UTC: ended, and empty at Stripe.
    let day = |days_back: i64| {
        paycore::domain::Day::of(
            paycore::domain::Clock::now(&paycore::domain::SystemClock),
            0,
        )
        .minus(days_back)
    };
    let reconcile = |channel: &str, date: String| {
        let mut cmd = paycore(&db);
        cmd.arg("--config")
            .arg(&config)
            .args(["reconcile", "--channel", channel, "--date", &date]);
        cmd
    };
    let migrated = paycore(&db).arg("migrate").output().unwrap();
    assert!(migrated.status.success(), "{}", stderr(&migrated));
    let empty = reconcile("stripe-main", day(2).to_string())
        .output()
        .unwrap();
    assert_eq!(empty.status.code(), Some(0), "{}", stderr(&empty));
    let out = stdout(&empty);
    assert!(out.contains("COMPLETED"), "{out}");
    assert!(out.contains("open differences of the day: 0"), "{out}");

    // A charge at Stripe paycore never made: an open difference, exit code 3.
    let noon = day(1).start(0).as_secs() + 12 * 3600;
    sim.inject_charge(1234, "usd", noon);
    let found = reconcile("stripe-main", day(1).to_string())
        .output()
        .unwrap();
    let out = stdout(&found);
    assert_eq!(found.status.code(), Some(3), "{out}{}", stderr(&found));
    assert!(out.contains("MISSING_IN_PAYCORE"), "{out}");
    assert!(
        stderr(&found).contains("1 differences are open"),
        "{}",
        stderr(&found)
    );

    // A statement that cannot be had: the run failed, exit code 1, and it says why.
    sim.set_mode(Mode::Error(500, "api_error"));
    let failed = reconcile("stripe-main", day(3).to_string())
        .output()
        .unwrap();
    assert_eq!(failed.status.code(), Some(1), "{}", stderr(&failed));
    assert!(
        stdout(&failed).contains("STATEMENT_PROVIDER_ERROR"),
        "{}",
        stdout(&failed)
    );

    // The sandbox's orders live in the server: refused as a usage error.
    let sandbox = reconcile("sandbox", day(1).to_string()).output().unwrap();
    assert_eq!(sandbox.status.code(), Some(2), "{}", stderr(&sandbox));
    assert!(
        stderr(&sandbox).contains("RunReconciliation"),
        "{}",
        stderr(&sandbox)
    );
}
