//! The `paycore` binary itself: the CLI, start-up errors, SIGKILL durability, SIGTERM exit.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use paycore::proto::v1;

use crate::support::*;

fn create_merchant(db: &str) -> String {
    let out = paycore(db)
        .args(["merchant", "create", "--name", "durable"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["merchant_id"].as_str().unwrap().starts_with("mch_"));
    assert!(
        json["webhook_secret"]
            .as_str()
            .unwrap()
            .starts_with("whsec_")
    );
    json["api_key"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn acknowledged_payments_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path());
    let key = create_merchant(&db);

    // Eight clients create payments without pause; SIGKILL lands in the middle of the burst,
    // with writes in flight and no chance to flush anything.
    let mut first = Process::start(&db);
    let c = first.client(&key).await;
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let clients: Vec<_> = (0..8)
        .map(|worker| {
            let (mut c, acknowledged) = (c.clone(), acknowledged.clone());
            tokio::spawn(async move {
                let mut i = 0;
                loop {
                    let outcome = if i % 3 == 0 { Some("succeed") } else { None };
                    let req = create_request(&format!("durable-{worker}-{i}"), outcome);
                    match c.create_payment(req).await {
                        Ok(r) => acknowledged
                            .lock()
                            .unwrap()
                            .push(r.into_inner().payment.unwrap()),
                        Err(_) => return,
                    }
                    i += 1;
                }
            })
        })
        .collect();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while acknowledged.lock().unwrap().len() < 200 {
        assert!(std::time::Instant::now() < deadline, "the burst stalled");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    first.child.kill().unwrap();
    first.wait(Duration::from_secs(10));
    for client in clients {
        client.await.unwrap(); // each stops at its first refused call
    }
    let acknowledged = acknowledged.lock().unwrap().clone();

    let mut second = Process::start(&db);
    let mut c = second.client(&key).await;
    for p in &acknowledged {
        let stored = get(&mut c, &p.id).await;
        assert_eq!(stored.merchant_order_id, p.merchant_order_id);
        assert_eq!(stored.status, p.status);
        assert_eq!(stored.attempts.len(), 1);
    }
    // Every acknowledged payment is stored; calls cut by the kill may be too (their answer
    // was lost), but nothing else.
    let mut stored = Vec::new();
    let mut page_token = String::new();
    loop {
        let page = c
            .list_payments(v1::ListPaymentsRequest {
                page_size: 100,
                page_token,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        stored.extend(page.payments.into_iter().map(|p| p.id));
        if page.next_page_token.is_empty() {
            break;
        }
        page_token = page.next_page_token;
    }
    let stored: std::collections::HashSet<String> = stored.into_iter().collect();
    let acked: std::collections::HashSet<String> =
        acknowledged.iter().map(|p| p.id.clone()).collect();
    assert!(acked.is_subset(&stored), "an acknowledged payment was lost");
    assert!(
        stored.len() - acked.len() <= 8,
        "only calls in flight at the kill may be stored unacknowledged"
    );

    // SIGTERM lets a request in flight finish, then exits cleanly, although the client
    // keeps its connection open.
    let mut slow = create_request("slow-at-shutdown", Some("succeed"));
    slow.metadata
        .insert("sandbox_delay_ms".into(), "1500".into());
    let mut slow_client = c.clone();
    let in_flight = tokio::spawn(async move { slow_client.create_payment(slow).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    second.signal("TERM");
    let answered = in_flight
        .await
        .unwrap()
        .expect("in-flight request completes");
    assert_eq!(
        status_of(answered.get_ref().payment.as_ref().unwrap()),
        v1::PaymentStatus::Succeeded
    );
    assert!(second.wait(Duration::from_secs(10)).success());
    drop(c);
}

#[test]
fn merchant_list_never_prints_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path());
    let key = create_merchant(&db);
    let out = paycore(&db).args(["merchant", "list"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\"name\":\"durable\""), "{text}");
    assert!(!text.contains(&key));
}

#[test]
fn bad_config_fails_at_start_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    // The CLI's own checks, on SQLite: a bad config creates no database file.
    let db = dir.path().join("c.db");
    let url = format!("sqlite://{}", db.display());
    let out = paycore(&url)
        .env("PAYCORE_GRPC_ADDR", "not-an-address")
        .arg("serve")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("PAYCORE_GRPC_ADDR"));

    let config = dir.path().join("paycore.toml");
    std::fs::write(&config, "[payments]\ndefault_expiry_secs = 1\n").unwrap();
    let out = paycore(&url)
        .args(["--config", config.to_str().unwrap(), "migrate"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("payments.default_expiry_secs"));
    assert!(!db.exists(), "nothing is created when the config is bad");

    let out = paycore(&url).arg("migrate").output().unwrap();
    assert!(out.status.success());
    assert!(db.exists());
}

#[tokio::test]
async fn a_webhook_delivery_cut_by_sigkill_is_taken_up_after_its_lease() {
    use crate::webhooks::Receiver;

    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path());
    let config = dir.path().join("paycore.toml");
    // A try may take 1 s, so a claim is held for 2 s.
    std::fs::write(
        &config,
        "[webhooks]\nallow_private = true\nschedule_ms = [0, 200, 200]\njitter = 0.0\n\
         timeout_ms = 1000\npoll_ms = 50\n",
    )
    .unwrap();
    // The first request hangs: paycore is killed while it is in flight.
    let (receiver, addr) = Receiver::start(&[0]).await;
    // The server's configuration, which lets webhooks reach loopback.
    let out = paycore(&db)
        .arg("--config")
        .arg(&config)
        .args(["merchant", "create", "--name", "hooked", "--webhook-url"])
        .arg(format!("http://{addr}/hooks"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let key = json["api_key"].as_str().unwrap().to_owned();

    let mut first = Process::start_with(&db, &config);
    let mut c = first.client(&key).await;
    create(&mut c, create_request("hook-kill", Some("succeed"))).await;
    eventually(|| {
        let r = receiver.clone();
        async move { (!r.got().is_empty()).then_some(()) }
    })
    .await;
    first.child.kill().unwrap(); // the claimed deliveries die with it
    first.wait(Duration::from_secs(10));

    let _second = Process::start_with(&db, &config);
    let got = eventually(|| {
        let r = receiver.clone();
        async move { (r.got().len() >= 3).then(|| r.got()) }
    })
    .await;
    let after_restart: std::collections::HashSet<String> = got[1..]
        .iter()
        .map(|g| g.headers["webhook-id"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        after_restart.len(),
        2,
        "both events delivered by the new process: {got:?}"
    );
    assert!(after_restart.contains(got[0].headers["webhook-id"].to_str().unwrap()));
}

/// Runs the flows that handle secrets with every debug log on, as JSON, and searches all
/// of it for the secrets used: API keys (good and forged), the operator key, the webhook
/// secret, buyer identifiers and a card number in a description and metadata.
#[tokio::test]
async fn logs_never_carry_secrets_and_every_call_has_a_request_id() {
    use crate::refunds::{refund, refund_request};
    use crate::webhooks::Receiver;
    use paycore::proto::v1::admin_service_client::AdminServiceClient;

    const OPERATOR: &str = "operator-secret-for-the-log-test";
    const BUYER: &str = "buyer-openid-7f3a9c";
    const CLIENT_IP: &str = "203.0.113.77";
    const DEVICE_ID: &str = "device-5c1e08aa";
    const CARD: &str = "4111111111111111";
    const FORGED: &str = "pk_forged0123456789abcdef";

    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path());
    let config = dir.path().join("paycore.toml");
    std::fs::write(
        &config,
        "[webhooks]\nallow_private = true\nschedule_ms = [0]\npoll_ms = 20\n",
    )
    .unwrap();
    let (receiver, addr) = Receiver::start(&[]).await;
    // The server's configuration, which lets webhooks reach loopback.
    let out = paycore(&db)
        .arg("--config")
        .arg(&config)
        .args(["merchant", "create", "--name", "logged", "--webhook-url"])
        .arg(format!("http://{addr}/hooks"))
        .output()
        .unwrap();
    let created: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let key = created["api_key"].as_str().unwrap().to_owned();
    let webhook_secret = created["webhook_secret"].as_str().unwrap().to_owned();

    let mut node = Process::spawn(
        paycore(&db)
            .env("PAYCORE_LOG", "debug")
            .env("PAYCORE_LOG_FORMAT", "json")
            .env("PAYCORE_OPERATOR_KEY", OPERATOR)
            .args(["--config", config.to_str().unwrap(), "serve"]),
    );
    let mut c = node.client(&key).await;
    let mut req = create_request("logged-1", Some("succeed"));
    req.description = format!("card {CARD}");
    req.metadata.insert("note".into(), CARD.into());
    req.payer = Some(v1::Payer {
        buyer_id: BUYER.into(),
        client_ip: CLIENT_IP.into(),
        payment_method: String::new(),
        device_id: DEVICE_ID.into(),
    });
    let paid = create(&mut c, req).await;
    let channel = node.channel().await;
    let mut r = refunds_on(channel.clone(), &key);
    refund(&mut r, refund_request(&paid.id, "logged-r", Some(100))).await;
    let _ = node
        .client(FORGED)
        .await
        .get_payment(v1::GetPaymentRequest {
            lookup: Some(v1::get_payment_request::Lookup::Id(paid.id.clone())),
        })
        .await
        .unwrap_err();
    AdminServiceClient::with_interceptor(channel, Bearer::for_key(OPERATOR))
        .list_channels(v1::ListChannelsRequest {})
        .await
        .unwrap();
    eventually(|| {
        let r = receiver.clone();
        async move { (r.got().len() >= 4).then_some(()) }
    })
    .await;
    node.signal("TERM");
    node.wait(Duration::from_secs(10));

    let log = node.log.lock().unwrap().join("\n");
    let secret_part = webhook_secret.trim_start_matches("whsec_");
    for secret in [
        key.as_str(),
        FORGED,
        OPERATOR,
        webhook_secret.as_str(),
        secret_part,
        BUYER,
        CLIENT_IP,
        DEVICE_ID,
        CARD,
    ] {
        assert!(!log.contains(secret), "a secret is in the logs: {secret}");
    }
    let lines = node.log.lock().unwrap().clone();
    assert!(
        lines.len() > 20,
        "debug logging was on: {} lines",
        lines.len()
    );
    for line in &lines {
        serde_json::from_str::<serde_json::Value>(line)
            .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
    }
    assert!(
        lines.iter().any(|l| l.contains("\"request_id\"")),
        "lines written during a call carry its request id"
    );
}

fn refunds_on(channel: tonic::transport::Channel, key: &str) -> crate::refunds::RefundClient {
    v1::refund_service_client::RefundServiceClient::with_interceptor(channel, Bearer::for_key(key))
}
