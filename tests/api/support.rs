//! A paycore server for one test, clients for it, and small helpers.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use paycore::app::{self, Server};
use paycore::config::Config;
use paycore::domain::{PaymentId, SystemClock};
use paycore::proto::v1;
use paycore::proto::v1::admin_service_client::AdminServiceClient;
use paycore::proto::v1::payment_service_client::PaymentServiceClient;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;
use tonic::{Code, Request, Status};
use tonic_types::StatusExt;

pub const OPERATOR_KEY: &str = "operator-key-for-tests-only";
pub const SANDBOX_SECRET: &str = "sandbox-secret-for-tests-only";

pub type Client = PaymentServiceClient<InterceptedService<Channel, Bearer>>;

/// The database for one test's paycore. With `TEST_POSTGRES_URL` set (a PostgreSQL server's
/// maintenance database, as `scripts/test` sets it for the suite's second run) a fresh
/// database on that server; otherwise a SQLite file in `dir`.
pub fn database_url(dir: &std::path::Path) -> String {
    match std::env::var("TEST_POSTGRES_URL") {
        Ok(server) => fresh_postgres_database(&server),
        Err(_) => format!("sqlite://{}/paycore.db", dir.display()),
    }
}

fn fresh_postgres_database(server: &str) -> String {
    use sqlx::Connection;
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let name = format!(
        "paycore_test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let (base, _) = server
        .rsplit_once('/')
        .expect("TEST_POSTGRES_URL ends with /<database>");
    let url = format!("{base}/{name}");
    let server = server.to_owned();
    // Its own runtime on its own thread, so this works from sync and async tests alike.
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async {
                let mut conn = sqlx::PgConnection::connect(&server).await.unwrap();
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .unwrap();
            })
    })
    .join()
    .unwrap();
    url
}

/// Adds `authorization: Bearer <key>` to every call (no header when the key is empty).
#[derive(Clone)]
pub struct Bearer(String);

impl Bearer {
    pub fn for_key(key: &str) -> Self {
        Self(key.to_owned())
    }
}

impl tonic::service::Interceptor for Bearer {
    fn call(&mut self, mut req: Request<()>) -> Result<Request<()>, Status> {
        if !self.0.is_empty() {
            let value = format!("Bearer {}", self.0)
                .parse()
                .map_err(|_| Status::internal("bad key"))?;
            req.metadata_mut().insert("authorization", value);
        }
        Ok(req)
    }
}

pub struct TestServer {
    pub server: Server,
    pub api_key: String,
    config: Config,
    clock: Arc<dyn paycore::domain::Clock>,
    _dir: Arc<tempfile::TempDir>,
}

impl TestServer {
    pub async fn start() -> Self {
        Self::start_with("").await
    }

    /// Starts paycore with extra TOML appended to the test config.
    pub async fn start_with(extra_toml: &str) -> Self {
        Self::start_with_clock(extra_toml, Arc::new(SystemClock)).await
    }

    /// Starts paycore with extra TOML and a clock the test controls. The sweeper is off
    /// unless the TOML configures it.
    pub async fn start_with_clock(
        extra_toml: &str,
        clock: Arc<dyn paycore::domain::Clock>,
    ) -> Self {
        let sweeper = if extra_toml.contains("[sweeper]") {
            ""
        } else {
            "[sweeper]\nenabled = false\n"
        };
        let dir = tempfile::tempdir().unwrap();
        // A table may appear once: the test's own [payments] gets the default wait too.
        let payments = "[payments]\nin_flight_wait_ms = 10000\n";
        let (payments, extra_toml) = match extra_toml.contains("[payments]\n") {
            true => ("", extra_toml.replacen("[payments]\n", payments, 1)),
            false => (payments, extra_toml.to_owned()),
        };
        // So is [server]: the test's own keys join the ones every test server has.
        let (server, extra_toml) = match extra_toml.split_once("[server]\n") {
            Some((before, after)) => {
                let end = after.find("\n[").map_or(after.len(), |i| i + 1);
                (
                    after[..end].to_owned(),
                    format!("{before}{}", &after[end..]),
                )
            }
            None => (String::new(), extra_toml),
        };
        let toml = format!(
            "[server]\ngrpc_addr = \"127.0.0.1:0\"\nhttp_addr = \"127.0.0.1:0\"\n\
             operator_key = \"{OPERATOR_KEY}\"\n{server}\
             [database]\nurl = \"{}\"\n\
             {payments}{sweeper}{extra_toml}",
            database_url(dir.path())
        );
        let path = dir.path().join("paycore.toml");
        std::fs::write(&path, toml).unwrap();
        let mut config = Config::load(Some(&path), Vec::new()).unwrap();
        if config.channels.len() == 1 && config.channels[0].id == "sandbox" {
            config.channels[0]
                .section
                .insert("secret".into(), SANDBOX_SECRET.into());
        }
        let server = app::start(&config, clock.clone()).await.unwrap();
        let api_key = server
            .services
            .merchants
            .create("test merchant", None)
            .await
            .unwrap()
            .api_key
            .expose()
            .clone();
        Self {
            server,
            api_key,
            config,
            clock,
            _dir: Arc::new(dir),
        }
    }

    /// Another paycore node on the same database and configuration (its own ports, breakers,
    /// limiters and sandbox), as a second instance behind a load balancer.
    pub async fn another_node(&self) -> Self {
        Self {
            server: app::start(&self.config, self.clock.clone()).await.unwrap(),
            api_key: self.api_key.clone(),
            config: self.config.clone(),
            clock: self.clock.clone(),
            _dir: self._dir.clone(),
        }
    }

    pub async fn channel(&self) -> Channel {
        Channel::from_shared(format!("http://{}", self.server.grpc_addr))
            .unwrap()
            .connect()
            .await
            .unwrap()
    }

    /// A client authenticated as the test merchant.
    pub async fn client(&self) -> Client {
        self.client_with(&self.api_key).await
    }

    pub async fn client_with(&self, key: &str) -> Client {
        PaymentServiceClient::with_interceptor(self.channel().await, Bearer(key.to_owned()))
    }

    pub async fn admin(
        &self,
        key: &str,
    ) -> AdminServiceClient<InterceptedService<Channel, Bearer>> {
        AdminServiceClient::with_interceptor(self.channel().await, Bearer(key.to_owned()))
    }

    /// A second merchant's API key.
    pub async fn other_merchant(&self) -> String {
        self.server
            .services
            .merchants
            .create("other merchant", None)
            .await
            .unwrap()
            .api_key
            .expose()
            .clone()
    }

    pub fn http_addr(&self) -> SocketAddr {
        self.server.http_addr
    }

    /// Runs one statement on the server's database, behind paycore's back.
    pub async fn execute_sql(&self, sql: &str) {
        use sqlx::Connection;
        let url = &self.config.database.url;
        if self.config.database.is_postgres() {
            let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        } else {
            let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        }
    }

    /// The stored event types of a payment, oldest first.
    pub async fn events(&self, payment_id: &str) -> Vec<String> {
        let id: PaymentId = payment_id.parse().unwrap();
        self.server
            .services
            .store
            .payment_events(&id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.event_type)
            .collect()
    }

    /// The test merchant's id.
    pub async fn merchant_id(&self) -> String {
        let merchant = self.server.services.merchants.authenticate(&self.api_key);
        merchant.await.unwrap().unwrap().id.to_string()
    }

    pub async fn stop(self) {
        self.server.shutdown(Duration::from_secs(5)).await.unwrap();
    }
}

/// A Stripe channel's config for the API simulator at `base_url`, its keys written to `dir`.
pub fn stripe_channel(id: &str, base_url: &str, priority: i32, dir: &Path) -> String {
    let secret = dir.join(format!("{id}-sk"));
    let webhook = dir.join(format!("{id}-whsec"));
    std::fs::write(&secret, crate::sim_stripe::SECRET_KEY).unwrap();
    std::fs::write(&webhook, crate::sim_stripe::WEBHOOK_SECRET).unwrap();
    format!(
        r#"
[[channels]]
id = "{id}"
provider = "stripe"
priority = {priority}
attempt_timeout_ms = 1000
[channels.stripe]
secret_key_file = "{}"
webhook_secret_file = "{}"
base_url = "{}"
"#,
        secret.display(),
        webhook.display(),
        base_url
    )
}

/// A card payment of 10.00 USD with a Stripe payment method (`pm_card_visa`, …).
pub fn card(order: &str, payment_method: &str) -> v1::CreatePaymentRequest {
    let mut req = create_request(order, None);
    req.method = v1::PaymentMethod::Card.into();
    req.amount.as_mut().unwrap().currency = "USD".into();
    req.payer = Some(v1::Payer {
        payment_method: payment_method.into(),
        ..Default::default()
    });
    req.return_url = "https://shop.example.com/return".into();
    req
}

/// A valid create request: 10.00 CNY by QR code, with the given sandbox outcome.
pub fn create_request(order_id: &str, outcome: Option<&str>) -> v1::CreatePaymentRequest {
    let mut metadata = BTreeMap::new();
    if let Some(o) = outcome {
        metadata.insert("sandbox_outcome".to_owned(), o.to_owned());
    }
    v1::CreatePaymentRequest {
        merchant_order_id: order_id.to_owned(),
        amount: Some(v1::Money {
            amount_minor: 1000,
            currency: "CNY".into(),
        }),
        description: "Test order".into(),
        method: v1::PaymentMethod::QrCode.into(),
        metadata,
        ..Default::default()
    }
}

pub async fn create(client: &mut Client, req: v1::CreatePaymentRequest) -> v1::Payment {
    client
        .create_payment(req)
        .await
        .unwrap()
        .into_inner()
        .payment
        .unwrap()
}

pub async fn get(client: &mut Client, id: &str) -> v1::Payment {
    client
        .get_payment(v1::GetPaymentRequest {
            lookup: Some(v1::get_payment_request::Lookup::Id(id.to_owned())),
        })
        .await
        .unwrap()
        .into_inner()
        .payment
        .unwrap()
}

/// SyncPayment, expected to succeed.
pub async fn sync(client: &mut Client, id: &str) -> v1::Payment {
    client
        .sync_payment(v1::SyncPaymentRequest {
            id: id.to_owned(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .payment
        .unwrap()
}

/// ClosePayment, expected to succeed.
pub async fn close(client: &mut Client, id: &str) -> v1::Payment {
    client
        .close_payment(v1::ClosePaymentRequest {
            id: id.to_owned(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .payment
        .unwrap()
}

/// A sweeper that runs every 50 ms and looks at everything at once.
pub const FAST_SWEEPER: &str = "[sweeper]\ninterval_ms = 50\nunknown_after_secs = 0\n\
                                pending_after_secs = 3600\nrefund_after_secs = 0\n";

/// Waits (up to 10 s) until payment `id` is in `status`, and returns it.
pub async fn reaches(c: &Client, id: &str, status: v1::PaymentStatus) -> v1::Payment {
    eventually(|| async {
        let p = get(&mut c.clone(), id).await;
        (status_of(&p) == status).then_some(p)
    })
    .await
}

pub fn status_of(p: &v1::Payment) -> v1::PaymentStatus {
    v1::PaymentStatus::try_from(p.status).unwrap()
}

pub fn outcomes(p: &v1::Payment) -> Vec<v1::AttemptOutcome> {
    p.attempts
        .iter()
        .map(|a| v1::AttemptOutcome::try_from(a.outcome).unwrap())
        .collect()
}

/// Asserts the status code and the ErrorInfo reason (domain "paycore").
pub fn assert_reason(status: &Status, code: Code, reason: &str) {
    assert_eq!(status.code(), code, "{status:?}");
    let info = status.get_details_error_info().expect("ErrorInfo detail");
    assert_eq!(info.reason, reason, "{status:?}");
    assert_eq!(info.domain, "paycore");
}

/// A minimal HTTP/1.1 exchange on loopback: returns (status, body).
pub async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut raw))
        .await
        .expect("HTTP response in time")
        .unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text[9..12].parse().unwrap();
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// The wall clock moved forward by however much a test says.
#[derive(Default)]
pub struct ShiftedClock(std::sync::atomic::AtomicI64);

impl ShiftedClock {
    pub fn advance(&self, by: Duration) {
        self.0
            .fetch_add(by.as_micros() as i64, std::sync::atomic::Ordering::SeqCst);
    }
}

impl paycore::domain::Clock for ShiftedClock {
    fn now(&self) -> paycore::domain::Timestamp {
        let real = paycore::domain::Clock::now(&SystemClock);
        paycore::domain::Timestamp::from_micros(
            real.as_micros() + self.0.load(std::sync::atomic::Ordering::SeqCst),
        )
    }
}

/// Polls `check` until it returns `Some`, for at most ten seconds.
pub async fn eventually<T, F, Fut>(mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "condition not met in 10 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub const BIN: &str = env!("CARGO_BIN_EXE_paycore");

/// The gRPC address in paycore's start-up line, human (`grpc=…`) or JSON (`"grpc":"…"`).
fn grpc_address(line: &str) -> Option<String> {
    if let Some((_, rest)) = line.split_once(" grpc=") {
        return rest.split_whitespace().next().map(str::to_owned);
    }
    let (_, rest) = line.split_once("\"grpc\":\"")?;
    rest.split('"').next().map(str::to_owned)
}

/// `paycore` on the database at `db` (a URL).
pub fn paycore(db: &str) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("PAYCORE_DATABASE_URL", db)
        .env("PAYCORE_GRPC_ADDR", "127.0.0.1:0")
        .env("PAYCORE_HTTP_ADDR", "127.0.0.1:0");
    cmd
}

/// A running `paycore serve` and its gRPC address, read from its start-up log line.
pub struct Process {
    pub child: Child,
    pub grpc: String,
    /// Everything it has written to stderr so far, a line each.
    pub log: Arc<std::sync::Mutex<Vec<String>>>,
}

impl Process {
    pub fn start(db: &str) -> Self {
        Self::spawn(paycore(db).arg("serve"))
    }

    pub fn start_with(db: &str, config: &Path) -> Self {
        Self::spawn(paycore(db).arg("--config").arg(config).arg("serve"))
    }

    pub fn spawn(command: &mut Command) -> Self {
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(std::sync::Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        // Keep draining the log so the child never blocks on a full pipe.
        let kept = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(addr) = grpc_address(&line) {
                    let _ = tx.send(addr);
                }
                kept.lock().unwrap().push(line);
            }
        });
        let Ok(grpc) = rx.recv_timeout(Duration::from_secs(30)) else {
            panic!("paycore did not start:\n{}", log.lock().unwrap().join("\n"));
        };
        Self { child, grpc, log }
    }

    pub async fn channel(&self) -> Channel {
        Channel::from_shared(format!("http://{}", self.grpc))
            .unwrap()
            .connect()
            .await
            .unwrap()
    }

    pub async fn client(&self, key: &str) -> Client {
        PaymentServiceClient::with_interceptor(self.channel().await, Bearer::for_key(key))
    }

    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([format!("-{name}"), self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the process to exit, at most `limit`.
    pub fn wait(&mut self, limit: Duration) -> std::process::ExitStatus {
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

/// Now in Unix seconds, from the wall clock, as a provider's or a merchant's side reads it.
pub fn unix_now() -> i64 {
    use paycore::domain::Clock;
    paycore::domain::SystemClock.now().as_secs()
}
