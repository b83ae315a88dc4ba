//! The `paycore` binary itself: the CLI, start-up errors, SIGKILL durability, SIGTERM exit.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use paycore::proto::v1;
use paycore::proto::v1::payment_service_client::PaymentServiceClient;

use crate::support::*;

const BIN: &str = env!("CARGO_BIN_EXE_paycore");

/// `paycore` on the database at `db` (a URL).
fn paycore(db: &str) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("PAYCORE_DATABASE_URL", db)
        .env("PAYCORE_GRPC_ADDR", "127.0.0.1:0")
        .env("PAYCORE_HTTP_ADDR", "127.0.0.1:0");
    cmd
}

/// A running `paycore serve` and its gRPC address, read from its start-up log line.
struct Process {
    child: Child,
    grpc: String,
}

impl Process {
    fn start(db: &str) -> Self {
        Self::spawn(paycore(db).arg("serve"))
    }

    fn start_with(db: &str, config: &Path) -> Self {
        Self::spawn(paycore(db).arg("--config").arg(config).arg("serve"))
    }

    fn spawn(command: &mut Command) -> Self {
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        // Keep draining the log so the child never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(addr) = line
                    .split_whitespace()
                    .find_map(|w| w.strip_prefix("grpc="))
                {
                    let _ = tx.send(addr.to_owned());
                }
            }
        });
        let grpc = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("paycore logs its gRPC address at start");
        Self { child, grpc }
    }

    async fn client(&self, key: &str) -> Client {
        let channel = tonic::transport::Channel::from_shared(format!("http://{}", self.grpc))
            .unwrap()
            .connect()
            .await
            .unwrap();
        PaymentServiceClient::with_interceptor(channel, Bearer::for_key(key))
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([format!("-{name}"), self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the process to exit, at most `limit`.
    fn wait(&mut self, limit: Duration) -> std::process::ExitStatus {
        let deadline = std::time::Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(std::time::Instant::now() < deadline, "paycore did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

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

    let mut first = Process::start(&db);
    let mut c = first.client(&key).await;
    let mut acknowledged = Vec::new();
    for i in 0..25 {
        let outcome = if i % 3 == 0 { Some("succeed") } else { None };
        acknowledged.push(create(&mut c, create_request(&format!("durable-{i}"), outcome)).await);
    }
    first.child.kill().unwrap(); // SIGKILL: no chance to flush anything
    first.wait(Duration::from_secs(10));

    let mut second = Process::start(&db);
    let mut c = second.client(&key).await;
    for p in &acknowledged {
        let stored = get(&mut c, &p.id).await;
        assert_eq!(stored.merchant_order_id, p.merchant_order_id);
        assert_eq!(stored.status, p.status);
        assert_eq!(stored.attempts.len(), 1);
    }
    let listed = c
        .list_payments(v1::ListPaymentsRequest {
            page_size: 100,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(listed.payments.len(), acknowledged.len());

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
    let out = paycore(&db)
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
