//! Misbehaving clients against a running paycore, one kind at a time, with two well-behaved
//! clients alongside: one on a connection it opened before (as a service's long-lived gRPC
//! channel is), one opening a new connection for each call. For each attack it prints one
//! JSON line: the server's resident memory before, at its peak and five seconds after, and how
//! many of the well-behaved clients' calls succeeded.
//!
//!     edges GRPC_ADDR HTTP_ADDR API_KEY SERVER_PID SECONDS MAX_CONNECTIONS
//!
//! Every connection goes to the loopback addresses given; every attack ends after SECONDS.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use paycore::proto::v1;
use paycore::proto::v1::notify_service_client::NotifyServiceClient;
use paycore::proto::v1::payment_service_client::PaymentServiceClient;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tonic::transport::Channel;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

type Error = Box<dyn std::error::Error + Send + Sync>;

#[derive(Clone)]
struct Target {
    grpc: SocketAddr,
    http: SocketAddr,
    key: String,
    pid: u32,
    secs: u64,
    max_connections: usize,
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
        })
        .unwrap_or(0)
}

fn mib(kib: u64) -> f64 {
    (kib as f64 / 1024.0 * 10.0).round() / 10.0
}

async fn channel(addr: SocketAddr) -> Result<Channel, Error> {
    Ok(Channel::from_shared(format!("http://{addr}"))?
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(2))
        .connect()
        .await?)
}

fn authorized<T>(key: &str, message: T) -> tonic::Request<T> {
    let mut req = tonic::Request::new(message);
    if let Ok(v) = format!("Bearer {key}").parse() {
        req.metadata_mut().insert("authorization", v);
    }
    req
}

async fn list(c: &mut PaymentServiceClient<Channel>, key: &str) -> bool {
    c.list_payments(authorized(key, v1::ListPaymentsRequest::default()))
        .await
        .is_ok()
}

/// Calls that succeeded and calls made.
#[derive(Default)]
struct Count(AtomicU64, AtomicU64);

impl Count {
    fn add(&self, ok: bool) {
        self.0.fetch_add(u64::from(ok), Ordering::Relaxed);
        self.1.fetch_add(1, Ordering::Relaxed);
    }

    fn json(&self) -> serde_json::Value {
        serde_json::json!([
            self.0.load(Ordering::Relaxed),
            self.1.load(Ordering::Relaxed)
        ])
    }
}

/// The well-behaved clients, until `stop`.
async fn bystanders(t: Target, kept: Arc<Count>, fresh: Arc<Count>, stop: watch::Receiver<bool>) {
    let Ok(ch) = channel(t.grpc).await else {
        return;
    };
    let mut long_lived = PaymentServiceClient::new(ch);
    let (t2, mut stop2) = (t.clone(), stop.clone());
    let fresh_calls = tokio::spawn(async move {
        while !*stop2.borrow() {
            let ok = match channel(t2.grpc).await {
                Ok(ch) => list(&mut PaymentServiceClient::new(ch), &t2.key).await,
                Err(_) => false,
            };
            fresh.add(ok);
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(250)) => {}
                _ = stop2.changed() => {}
            }
        }
    });
    let mut stop = stop;
    while !*stop.borrow() {
        kept.add(list(&mut long_lived, &t.key).await);
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(50)) => {}
            _ = stop.changed() => {}
        }
    }
    let _ = fresh_calls.await;
}

/// Runs `attack` for the target's seconds with the bystanders and the memory sampled; its
/// result goes under "attack".
async fn measure<F, Fut>(name: &str, t: &Target, attack: F) -> Result<(), Error>
where
    F: FnOnce(Target, watch::Receiver<bool>) -> Fut,
    Fut: std::future::Future<Output = serde_json::Value>,
{
    let before = rss_kib(t.pid);
    let (stop_tx, stop) = watch::channel(false);
    let (kept, fresh) = (Arc::new(Count::default()), Arc::new(Count::default()));
    let peak = Arc::new(AtomicU64::new(before));
    let sampler = {
        let (peak, pid, mut stop) = (peak.clone(), t.pid, stop.clone());
        tokio::spawn(async move {
            while !*stop.borrow() {
                peak.fetch_max(rss_kib(pid), Ordering::Relaxed);
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(100)) => {}
                    _ = stop.changed() => {}
                }
            }
        })
    };
    let calm = tokio::spawn(bystanders(
        t.clone(),
        kept.clone(),
        fresh.clone(),
        stop.clone(),
    ));
    let secs = t.secs;
    let timer = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(secs)).await;
        let _ = stop_tx.send(true);
    });
    let result = attack(t.clone(), stop).await;
    timer.await?;
    calm.await?;
    sampler.await?;
    tokio::time::sleep(Duration::from_secs(5)).await;
    let line = serde_json::json!({
        "attack": name,
        "seconds": t.secs,
        "rss_mib": [mib(before), mib(peak.load(Ordering::Relaxed)), mib(rss_kib(t.pid))],
        "long_lived_ok_of": kept.json(),
        "new_connection_ok_of": fresh.json(),
        "result": result,
    });
    println!("{line}");
    Ok(())
}

/// Sockets that connect and say nothing; how many the server closed before the end.
async fn silent(addr: SocketAddr, n: usize, mut stop: watch::Receiver<bool>) -> serde_json::Value {
    let closed = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for _ in 0..n {
        let Ok(mut s) = TcpStream::connect(addr).await else {
            continue;
        };
        let (closed, mut stop) = (closed.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            // Whatever the server says (HTTP/2 sends its settings at once) is read and
            // ignored, until it closes the connection.
            let mut buf = [0u8; 1024];
            loop {
                tokio::select! {
                    r = s.read(&mut buf) => if matches!(r, Ok(0) | Err(_)) {
                        closed.fetch_add(1, Ordering::Relaxed);
                        return;
                    },
                    _ = stop.wait_for(|s| *s) => return,
                }
            }
        }));
    }
    let _ = stop.wait_for(|s| *s).await;
    for t in tasks {
        let _ = t.await;
    }
    serde_json::json!({"opened": n, "closed_by_server": closed.load(Ordering::Relaxed)})
}

/// HTTP requests whose headers come a line a second and never end.
async fn slowloris(
    addr: SocketAddr,
    n: usize,
    mut stop: watch::Receiver<bool>,
) -> serde_json::Value {
    let cut = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for _ in 0..n {
        let (cut, mut stop) = (cut.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let Ok(mut s) = TcpStream::connect(addr).await else {
                return;
            };
            if s.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n")
                .await
                .is_err()
            {
                return;
            }
            for i in 0u64.. {
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                    _ = stop.wait_for(|s| *s) => return,
                }
                if s.write_all(format!("x-{i}: y\r\n").as_bytes())
                    .await
                    .is_err()
                {
                    cut.fetch_add(1, Ordering::Relaxed);
                    return;
                }
            }
        }));
    }
    let _ = stop.wait_for(|s| *s).await;
    for t in tasks {
        let _ = t.await;
    }
    serde_json::json!({"opened": n, "cut_by_server": cut.load(Ordering::Relaxed)})
}

/// `per` server-streaming calls on each of `conns` connections, held open until `stop`:
/// health Watch (no key needed) or, with a key, WatchEvents.
async fn streams(
    t: &Target,
    conns: usize,
    per: usize,
    keyed: bool,
    mut stop: watch::Receiver<bool>,
) -> serde_json::Value {
    let (open, refused) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let mut tasks = Vec::new();
    for _ in 0..conns {
        let Ok(ch) = channel(t.grpc).await else {
            refused.fetch_add(per as u64, Ordering::Relaxed);
            continue;
        };
        for _ in 0..per {
            let (ch, key, open, refused) =
                (ch.clone(), t.key.clone(), open.clone(), refused.clone());
            let mut stop = stop.clone();
            tasks.push(tokio::spawn(async move {
                let held = if keyed {
                    let req = authorized(&key, v1::WatchEventsRequest::default());
                    match NotifyServiceClient::new(ch).watch_events(req).await {
                        Ok(s) => Some(Box::new(s.into_inner()) as Box<dyn Send>),
                        Err(_) => None,
                    }
                } else {
                    let req = HealthCheckRequest {
                        service: String::new(),
                    };
                    match HealthClient::new(ch).watch(req).await {
                        Ok(s) => Some(Box::new(s.into_inner()) as Box<dyn Send>),
                        Err(_) => None,
                    }
                };
                match held {
                    Some(stream) => {
                        open.fetch_add(1, Ordering::Relaxed);
                        let _ = stop.wait_for(|s| *s).await;
                        drop(stream);
                    }
                    None => {
                        refused.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }));
        }
    }
    let _ = stop.wait_for(|s| *s).await;
    for t in tasks {
        let _ = t.await;
    }
    serde_json::json!({
        "asked": conns * per,
        "held_open": open.load(Ordering::Relaxed),
        "refused": refused.load(Ordering::Relaxed),
    })
}

/// More connections than the gRPC port takes; whether the HTTP port still answers.
async fn flood(t: &Target, stop: watch::Receiver<bool>) -> serde_json::Value {
    let http = t.http;
    let health = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(2)).await;
        let Ok(mut s) = TcpStream::connect(http).await else {
            return false;
        };
        let req = b"GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n";
        let mut answer = Vec::new();
        s.write_all(req).await.is_ok()
            && s.read_to_end(&mut answer).await.is_ok()
            && answer.starts_with(b"HTTP/1.1 200")
    });
    let result = silent(t.grpc, t.max_connections + 500, stop).await;
    serde_json::json!({"grpc": result, "http_healthz_ok": health.await.unwrap_or(false)})
}

fn arg<T: std::str::FromStr>(args: &[String], i: usize) -> Result<T, Error> {
    args.get(i).and_then(|a| a.parse().ok()).ok_or_else(|| {
        format!("argument {i} missing or malformed; see the usage in bench/edges.rs").into()
    })
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().collect();
    let t = Target {
        grpc: arg(&args, 1)?,
        http: arg(&args, 2)?,
        key: arg(&args, 3)?,
        pid: arg(&args, 4)?,
        secs: arg(&args, 5)?,
        max_connections: arg(&args, 6)?,
    };
    measure(
        "silent sockets (2000, gRPC port)",
        &t,
        |t, stop| async move { silent(t.grpc, 2000, stop).await },
    )
    .await?;
    measure("slowloris (375, HTTP port)", &t, |t, stop| async move {
        slowloris(t.http, 375, stop).await
    })
    .await?;
    measure(
        "health Watch streams, no key (50 × 100)",
        &t,
        |t, stop| async move { streams(&t, 50, 100, false, stop).await },
    )
    .await?;
    measure(
        "WatchEvents streams with a key (200 × 100)",
        &t,
        |t, stop| async move { streams(&t, 200, 100, true, stop).await },
    )
    .await?;
    measure(
        "connection flood (max_connections + 500)",
        &t,
        |t, stop| async move { flood(&t, stop).await },
    )
    .await?;
    Ok(())
}
