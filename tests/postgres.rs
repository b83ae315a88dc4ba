//! PostgreSQL-only: paycore processes sharing one database, and the database going away and
//! coming back under them. Needs the throwaway server of
//! `scripts/with-postgres` (which `scripts/test` runs this under): it stops and restarts it.

// A test that fails panics: unwrap, expect and panic are how it says so.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[allow(dead_code)]
#[path = "api/sim_stripe.rs"]
mod sim_stripe;
#[allow(dead_code)]
#[path = "api/support.rs"]
mod support;
#[path = "postgres/tls.rs"]
mod tls;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use paycore::proto::v1;
use paycore::proto::v1::notify_service_client::NotifyServiceClient;
use paycore::proto::v1::refund_service_client::RefundServiceClient;

use tonic::Code;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

use support::*;

/// One test at a time: one of them stops the server the others use.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn postgres(action: &str) {
    let ctl = std::env::var("TEST_POSTGRES_CTL")
        .expect("run under scripts/with-postgres, which starts the PostgreSQL this test stops");
    let status = Command::new(ctl).arg(action).status().unwrap();
    assert!(status.success(), "postgres {action}");
}

async fn health(t: &TestServer) -> ServingStatus {
    let resp = HealthClient::new(t.channel().await)
        .check(HealthCheckRequest {
            service: "paycore.v1.PaymentService".into(),
        })
        .await
        .unwrap()
        .into_inner();
    ServingStatus::try_from(resp.status).unwrap()
}

#[tokio::test]
async fn while_postgres_is_down_calls_fail_unavailable_and_paycore_recovers_without_restart() {
    let _serial = SERIAL.lock().await;
    assert!(
        std::env::var("TEST_POSTGRES_URL").is_ok(),
        "run under scripts/with-postgres"
    );
    let t = TestServer::start().await;
    let mut c = t.client().await;
    let before = create(&mut c, create_request("before-outage", Some("succeed"))).await;
    assert_eq!(health(&t).await, ServingStatus::Serving);

    postgres("stop");
    let err = c
        .create_payment(create_request("during-outage", Some("succeed")))
        .await
        .unwrap_err();
    assert_reason(&err, Code::Unavailable, "STORAGE_UNAVAILABLE");
    let err = c
        .get_payment(paycore::proto::v1::GetPaymentRequest {
            lookup: Some(paycore::proto::v1::get_payment_request::Lookup::Id(
                before.id.clone(),
            )),
        })
        .await
        .unwrap_err();
    assert_reason(&err, Code::Unavailable, "STORAGE_UNAVAILABLE");
    eventually(|| async { (health(&t).await == ServingStatus::NotServing).then_some(()) }).await;
    let (status, _) = http(t.http_addr(), "GET", "/readyz", &[], b"").await;
    assert_eq!(status, 503);

    postgres("start");
    eventually(|| async { (health(&t).await == ServingStatus::Serving).then_some(()) }).await;
    let (status, _) = http(t.http_addr(), "GET", "/readyz", &[], b"").await;
    assert_eq!(status, 200);
    // Nothing of the refused create was written; retried, it is placed once.
    assert_eq!(get(&mut c, &before.id).await, before);
    let after = create(&mut c, create_request("during-outage", Some("succeed"))).await;
    assert_eq!(after.attempts.len(), 1);
    assert_eq!(
        t.events(&after.id).await,
        ["payment.created", "payment.succeeded"]
    );
    tokio::time::timeout(Duration::from_secs(10), t.stop())
        .await
        .unwrap();
}

/// The write batcher keeps its connection between batches. A restart of PostgreSQL while
/// nothing is written breaks it unseen; the next write must still go through, not fail.
#[tokio::test]
async fn a_restart_between_writes_costs_no_call() {
    let _serial = SERIAL.lock().await;
    // No dispatcher: the test's own calls are the only writes.
    let t = TestServer::start_with("[webhooks]\nenabled = false\n").await;
    let mut c = t.client().await;
    create(&mut c, create_request("before-restart", Some("succeed"))).await;

    postgres("stop");
    postgres("start");
    eventually(|| async { (health(&t).await == ServingStatus::Serving).then_some(()) }).await;
    let after = c
        .create_payment(create_request("after-restart", Some("succeed")))
        .await
        .expect("the first write after the restart goes through")
        .into_inner()
        .payment
        .unwrap();
    assert_eq!(
        t.events(&after.id).await,
        ["payment.created", "payment.succeeded"]
    );
    tokio::time::timeout(Duration::from_secs(10), t.stop())
        .await
        .unwrap();
}

/// Pooled read connections are not pinged before use. A restart of PostgreSQL while they sit
/// idle breaks them unseen; the reads after it must still go through, not fail.
#[tokio::test]
async fn a_restart_between_reads_costs_no_call() {
    let _serial = SERIAL.lock().await;
    let t = TestServer::start_with("[webhooks]\nenabled = false\n").await;
    let c = t.client().await;
    let paid = create(
        &mut c.clone(),
        create_request("read-restart", Some("succeed")),
    )
    .await;
    // Reads at once, so that the pool holds several connections.
    let reads = || async {
        let reads: Vec<_> = (0..8)
            .map(|_| {
                let mut c = c.clone();
                let id = paid.id.clone();
                tokio::spawn(async move {
                    c.get_payment(v1::GetPaymentRequest {
                        lookup: Some(v1::get_payment_request::Lookup::Id(id)),
                    })
                    .await
                })
            })
            .collect();
        let mut answers = Vec::new();
        for read in reads {
            answers.push(read.await.unwrap());
        }
        answers
    };
    for read in reads().await {
        read.unwrap();
    }

    postgres("stop");
    postgres("start");
    for read in reads().await {
        let payment = read
            .expect("a read after the restart goes through")
            .into_inner()
            .payment
            .unwrap();
        assert_eq!(payment, paid);
    }
    tokio::time::timeout(Duration::from_secs(10), t.stop())
        .await
        .unwrap();
}

/// A merchant's webhook endpoint that notices when one event is being delivered twice at once.
#[derive(Clone, Default)]
struct Hooks {
    in_flight: Arc<Mutex<HashMap<String, usize>>>,
    received: Arc<Mutex<HashSet<String>>>,
    overlapping: Arc<Mutex<Vec<String>>>,
}

impl Hooks {
    async fn start() -> (Self, SocketAddr) {
        let hooks = Self::default();
        let state = hooks.clone();
        let app = axum::Router::new().route(
            "/hooks",
            axum::routing::post(move |headers: axum::http::HeaderMap| {
                let state = state.clone();
                async move {
                    let id = headers["webhook-id"].to_str().unwrap().to_owned();
                    let _delivering = Delivering::new(&state, &id);
                    // Long enough for a second node to collide, short of the 1 s try timeout.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    state.received.lock().unwrap().insert(id);
                    axum::http::StatusCode::NO_CONTENT
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        (hooks, addr)
    }
}

/// One delivery in progress at the endpoint. Counted down on drop: when the sending node is
/// killed, the server drops the request's handler mid-way.
struct Delivering {
    in_flight: Arc<Mutex<HashMap<String, usize>>>,
    id: String,
}

impl Delivering {
    fn new(hooks: &Hooks, id: &str) -> Self {
        let mut in_flight = hooks.in_flight.lock().unwrap();
        let n = in_flight.entry(id.to_owned()).or_default();
        if *n > 0 {
            hooks.overlapping.lock().unwrap().push(id.to_owned());
        }
        *n += 1;
        Self {
            in_flight: hooks.in_flight.clone(),
            id: id.to_owned(),
        }
    }
}

impl Drop for Delivering {
    fn drop(&mut self) {
        *self.in_flight.lock().unwrap().get_mut(&self.id).unwrap() -= 1;
    }
}

/// What the load acknowledged: payments by order id, refund ids, and every error it got.
#[derive(Default)]
struct Acknowledged {
    payments: Mutex<BTreeMap<String, HashSet<String>>>,
    refunds: Mutex<Vec<String>>,
    /// Each failed call, with the node it went to.
    errors: Mutex<Vec<(usize, tonic::Status)>>,
}

type Refunds = RefundServiceClient<
    tonic::service::interceptor::InterceptedService<tonic::transport::Channel, Bearer>,
>;

/// Paycore processes on one fresh database, with a Stripe simulator as the shared provider
/// and a webhook endpoint for their merchant.
struct Cluster {
    _dir: tempfile::TempDir,
    _sim: sim_stripe::StripeSim,
    hooks: Hooks,
    key: String,
    nodes: Vec<Process>,
    payments: Vec<Client>,
    refunds: Vec<Refunds>,
}

impl Cluster {
    async fn start(size: usize) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let sim = sim_stripe::StripeSim::start().await;
        let (hooks, hooks_addr) = Hooks::start().await;
        let db = database_url(dir.path());
        assert!(
            db.starts_with("postgres://"),
            "run under scripts/with-postgres"
        );
        let config = dir.path().join("paycore.toml");
        std::fs::write(
            &config,
            format!(
                "[payments]\nin_flight_wait_ms = 3000\n\
                 [sweeper]\ninterval_ms = 100\nunknown_after_secs = 0\nabandoned_after_secs = 3\n\
                 [webhooks]\nallow_private = true\nschedule_ms = [0, 200, 200, 200, 200, 200]\n\
                 jitter = 0.0\ntimeout_ms = 1000\npoll_ms = 50\n{}",
                stripe_channel("stripe-main", &sim.base_url(), 1, dir.path())
            ),
        )
        .unwrap();
        let out = paycore(&db)
            .args(["--config", config.to_str().unwrap(), "merchant", "create"])
            .args(["--name", "load", "--webhook-url"])
            .arg(format!("http://{hooks_addr}/hooks"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let key = serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["api_key"]
            .as_str()
            .unwrap()
            .to_owned();
        let nodes: Vec<Process> = (0..size)
            .map(|_| Process::start_with(&db, &config))
            .collect();
        let (mut payments, mut refunds) = (Vec::new(), Vec::new());
        for node in &nodes {
            payments.push(node.client(&key).await);
            refunds.push(RefundServiceClient::with_interceptor(
                node.channel().await,
                Bearer::for_key(&key),
            ));
        }
        Self {
            _dir: dir,
            _sim: sim,
            hooks,
            key,
            nodes,
            payments,
            refunds,
        }
    }

    /// Sixty orders, each sent to two nodes at once (a client retrying elsewhere); once paid,
    /// another node refunds part of it. `disrupt` runs halfway, with the load in flight.
    async fn load(&mut self, disrupt: impl FnOnce(&mut Self)) -> Arc<Acknowledged> {
        let acked = Arc::new(Acknowledged::default());
        let mut tasks = Vec::new();
        let mut disrupt = Some(disrupt);
        let n = self.nodes.len();
        for i in 0..60usize {
            if i == 30 {
                tokio::time::sleep(Duration::from_millis(50)).await;
                (disrupt.take().unwrap())(self);
            }
            for copy in 0..2 {
                let (at, refund_at) = ((i + copy) % n, (i + 2) % n);
                let mut c = self.payments[at].clone();
                let mut r = self.refunds[refund_at].clone();
                let acked = acked.clone();
                tasks.push(tokio::spawn(async move {
                    let order = format!("load-{i}");
                    let payment = match c.create_payment(card(&order, "pm_card_visa")).await {
                        Ok(resp) => resp.into_inner().payment.unwrap(),
                        Err(status) => return acked.errors.lock().unwrap().push((at, status)),
                    };
                    acked
                        .payments
                        .lock()
                        .unwrap()
                        .entry(order.clone())
                        .or_default()
                        .insert(payment.id.clone());
                    if copy == 1 || payment.status != v1::PaymentStatus::Succeeded as i32 {
                        return;
                    }
                    let refund = r
                        .create_refund(v1::CreateRefundRequest {
                            payment: Some(v1::create_refund_request::Payment::PaymentId(
                                payment.id,
                            )),
                            merchant_refund_id: format!("{order}-r"),
                            amount: Some(v1::Money {
                                amount_minor: 100,
                                currency: "USD".into(),
                            }),
                            reason: String::new(),
                        })
                        .await;
                    match refund {
                        Ok(refund) => acked
                            .refunds
                            .lock()
                            .unwrap()
                            .push(refund.into_inner().refund.unwrap().id),
                        Err(status) => acked.errors.lock().unwrap().push((refund_at, status)),
                    }
                }));
            }
            tokio::time::sleep(Duration::from_millis(15)).await;
        }
        for task in tasks {
            task.await.unwrap();
        }
        acked
    }

    /// Everything acknowledged is stored, duplicates made no second payment, the stored
    /// state is consistent, and every event reached the webhook endpoint, never by two
    /// nodes at once. Reads through node `via`.
    async fn check(&self, acked: &Acknowledged, via: usize) {
        let (mut c, mut r) = (self.payments[via].clone(), self.refunds[via].clone());
        let acked_payments = acked.payments.lock().unwrap().clone();
        assert!(
            acked_payments.len() >= 20,
            "most of the load was served: {}",
            acked_payments.len()
        );
        for (order, ids) in &acked_payments {
            assert_eq!(ids.len(), 1, "{order}: {ids:?}");
            let stored = get(&mut c, ids.iter().next().unwrap()).await;
            assert_eq!(&stored.merchant_order_id, order);
        }
        let acked_refunds = acked.refunds.lock().unwrap().clone();
        assert!(!acked_refunds.is_empty());
        for id in &acked_refunds {
            r.get_refund(v1::GetRefundRequest {
                lookup: Some(v1::get_refund_request::Lookup::Id(id.clone())),
            })
            .await
            .unwrap();
        }

        let mut stream = NotifyServiceClient::with_interceptor(
            self.nodes[via].channel().await,
            Bearer::for_key(&self.key),
        )
        .watch_events(v1::WatchEventsRequest {
            cursor: "0".into(),
            types: Vec::new(),
        })
        .await
        .unwrap()
        .into_inner();
        let mut events = Vec::new();
        let mut by_payment: HashMap<String, Vec<String>> = HashMap::new();
        while let Ok(Ok(Some(e))) =
            tokio::time::timeout(Duration::from_millis(500), stream.message()).await
        {
            let e = e.event.unwrap();
            if let Some(v1::event::Object::Payment(p)) = &e.object {
                by_payment
                    .entry(p.id.clone())
                    .or_default()
                    .push(e.r#type.clone());
            }
            events.push(e.id);
        }
        // Consistency of everything stored, acknowledged or not.
        let mut page_token = String::new();
        loop {
            let page = c
                .list_payments(v1::ListPaymentsRequest {
                    page_size: 100,
                    page_token: page_token.clone(),
                    ..Default::default()
                })
                .await
                .unwrap()
                .into_inner();
            for p in &page.payments {
                self.check_payment(&mut r, p, &by_payment).await;
            }
            if page.next_page_token.is_empty() {
                break;
            }
            page_token = page.next_page_token;
        }

        assert!(events.len() >= acked_payments.len() * 2);
        eventually(|| {
            let received = self.hooks.received.lock().unwrap().clone();
            let events = &events;
            async move { events.iter().all(|e| received.contains(e)).then_some(()) }
        })
        .await;
        assert_eq!(
            *self.hooks.overlapping.lock().unwrap(),
            Vec::<String>::new()
        );
    }

    /// One stored payment: at most one channel took it, its refunds add up, and it has an
    /// event for each status it went through.
    async fn check_payment(
        &self,
        r: &mut Refunds,
        p: &v1::Payment,
        events: &HashMap<String, Vec<String>>,
    ) {
        let taken = p
            .attempts
            .iter()
            .filter(|a| {
                a.outcome == v1::AttemptOutcome::Accepted as i32
                    || a.outcome == v1::AttemptOutcome::Ambiguous as i32
            })
            .count();
        assert!(taken <= 1, "{}: {:?}", p.id, p.attempts);
        if p.status == v1::PaymentStatus::Succeeded as i32 {
            assert_eq!(taken, 1, "{}: succeeded without an accepted attempt", p.id);
        }
        let refunds = r
            .list_refunds(v1::ListRefundsRequest {
                payment_id: p.id.clone(),
                page_size: 100,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .refunds;
        let succeeded: i64 = refunds
            .iter()
            .filter(|f| f.status == v1::RefundStatus::Succeeded as i32)
            .map(|f| f.amount.as_ref().unwrap().amount_minor)
            .sum();
        assert_eq!(
            p.refunded_amount.as_ref().map_or(0, |m| m.amount_minor),
            succeeded,
            "{}: refunded amount",
            p.id
        );
        // The first event is the creation, the last one the status it is in now.
        let types = &events[&p.id];
        assert_eq!(types[0], "payment.created", "{}: {types:?}", p.id);
        let last = types.last().unwrap().as_str();
        let expected: &[&str] = match v1::PaymentStatus::try_from(p.status).unwrap() {
            v1::PaymentStatus::Succeeded => &["payment.succeeded"],
            v1::PaymentStatus::Failed => &["payment.failed"],
            v1::PaymentStatus::Pending => &["payment.pending"],
            v1::PaymentStatus::Closed => &["payment.closed"],
            _ => &["payment.created", "payment.processing", "payment.unknown"],
        };
        assert!(expected.contains(&last), "{}: {types:?}", p.id);
    }
}

/// Whether a failed call is one a client should retry: the database was unreachable, or a
/// duplicate's first call was still unanswered when the duplicate stopped waiting.
fn retryable(status: &tonic::Status) -> bool {
    use tonic_types::StatusExt;
    let reason = status.get_details_error_info().map(|i| i.reason);
    match status.code() {
        Code::Unavailable => reason.as_deref() == Some("STORAGE_UNAVAILABLE"),
        Code::Aborted => reason.as_deref() == Some("PAYMENT_IN_PROGRESS"),
        _ => false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_nodes_lose_nothing_when_one_is_killed_under_load() {
    let _serial = SERIAL.lock().await;
    let mut cluster = Cluster::start(3).await;
    let acked = cluster.load(|c| c.nodes[1].child.kill().unwrap()).await;
    cluster.nodes[1].wait(Duration::from_secs(10));
    cluster.check(&acked, 0).await;
    for (node, status) in acked.errors.lock().unwrap().iter() {
        // Calls to the killed node fail in transport; the others only ask for a retry.
        assert!(*node == 1 || retryable(status), "node {node}: {status:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_restarted_under_load_loses_nothing_and_stays_consistent() {
    let _serial = SERIAL.lock().await;
    let mut cluster = Cluster::start(2).await;
    // Halfway, the database goes down for longer than a call waits for a connection (2 s),
    // while the second half of the load is sent; then it comes back.
    let outage = Arc::new(Mutex::new(None));
    let started = outage.clone();
    let acked = cluster
        .load(move |_| {
            postgres("stop");
            *started.lock().unwrap() = Some(std::thread::spawn(|| {
                std::thread::sleep(Duration::from_millis(2500));
                postgres("start");
            }));
        })
        .await;
    outage.lock().unwrap().take().unwrap().join().unwrap();
    // Service resumes: a new payment goes through.
    let c = cluster.payments[0].clone();
    let after = eventually(|| {
        let mut c = c.clone();
        async move {
            c.create_payment(card("after-restart", "pm_card_visa"))
                .await
                .ok()
        }
    })
    .await;
    assert_eq!(
        after.into_inner().payment.unwrap().status,
        v1::PaymentStatus::Succeeded as i32
    );
    cluster.check(&acked, 1).await;
    let errors = acked.errors.lock().unwrap();
    assert!(
        !errors.is_empty(),
        "calls were made while the database was down"
    );
    for (node, status) in errors.iter() {
        assert!(retryable(status), "node {node}: {status:?}");
    }
}
