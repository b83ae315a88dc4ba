//! Bounded edges: what a client that has not authenticated (or never will) can make either
//! port hold. Raw sockets play the clients that misbehave; the real clients beside them must
//! still be served.

use std::net::SocketAddr;
use std::time::Duration;

use paycore::proto::v1;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::*;

/// Reads until the peer closes (`Some(what it sent)`), or `None` if it is still open after
/// `limit`.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> Option<Vec<u8>> {
    let mut got = Vec::new();
    let deadline = tokio::time::Instant::now() + limit;
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return Some(got),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Err(_) => return None,
        }
    }
}

async fn metrics(addr: SocketAddr) -> String {
    http(addr, "GET", "/metrics", &[], b"").await.1
}

/// The value of the `paycore_connections_refused` counter for `port` and `reason`.
fn refused(metrics: &str, port: &str, reason: &str) -> u64 {
    let prefix =
        format!("paycore_connections_refused_total{{port=\"{port}\",reason=\"{reason}\"}} ");
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .map_or(0, |v| v.trim().parse().unwrap())
}

async fn list(s: &TestServer) -> Result<(), tonic::Status> {
    s.client()
        .await
        .list_payments(v1::ListPaymentsRequest::default())
        .await
        .map(|_| ())
}

#[tokio::test]
async fn a_full_port_makes_room_by_closing_silent_connections_and_sheds_the_rest() {
    let s = TestServer::start_with("[server]\nmax_connections = 3\nhandshake_timeout_ms = 30000\n")
        .await;
    let mut silent = Vec::new();
    for _ in 0..3 {
        silent.push(TcpStream::connect(s.server.grpc_addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The port is full of sockets that said nothing: a real client takes the oldest's place.
    list(&s).await.unwrap();
    assert!(
        closed_within(&mut silent[0], Duration::from_secs(5))
            .await
            .is_some(),
        "the oldest silent connection was kept"
    );
    assert_eq!(refused(&metrics(s.http_addr()).await, "grpc", "evicted"), 1);

    // Full of connections that are serving: a new one is closed at once, and counted.
    drop(silent);
    let mut serving = Vec::new();
    for _ in 0..3 {
        let mut c = s.client().await;
        c.list_payments(v1::ListPaymentsRequest::default())
            .await
            .unwrap();
        serving.push(c);
    }
    let mut fourth = TcpStream::connect(s.server.grpc_addr).await.unwrap();
    assert!(
        closed_within(&mut fourth, Duration::from_secs(5))
            .await
            .is_some(),
        "a connection over the limit was held"
    );
    assert!(refused(&metrics(s.http_addr()).await, "grpc", "limit") >= 1);
    // The serving connections carry on; a freed slot serves the next client.
    serving[0]
        .list_payments(v1::ListPaymentsRequest::default())
        .await
        .unwrap();
    serving.pop();
    eventually(|| async { list(&s).await.ok() }).await;
    s.stop().await;
}

#[tokio::test]
async fn connections_that_say_nothing_in_time_are_closed() {
    let s = TestServer::start_with("[server]\nhandshake_timeout_ms = 300\n").await;
    // Nothing at all, on either port; half of the HTTP/2 preface on gRPC.
    let mut silent_grpc = TcpStream::connect(s.server.grpc_addr).await.unwrap();
    let mut silent_http = TcpStream::connect(s.http_addr()).await.unwrap();
    let mut half_preface = TcpStream::connect(s.server.grpc_addr).await.unwrap();
    half_preface.write_all(b"PRI * HTTP/2.0\r\n").await.unwrap();
    for stream in [&mut silent_grpc, &mut silent_http, &mut half_preface] {
        assert!(
            closed_within(stream, Duration::from_secs(5))
                .await
                .is_some(),
            "a silent connection was kept"
        );
    }
    let m = metrics(s.http_addr()).await;
    assert_eq!(refused(&m, "grpc", "timeout"), 2, "{m}");
    // A client that speaks is served as before.
    list(&s).await.unwrap();
    s.stop().await;
}

#[tokio::test]
async fn http_headers_must_arrive_in_time_and_a_declared_huge_body_is_refused_unread() {
    let s = TestServer::start_with("[server]\nheader_timeout_ms = 500\n").await;
    // Headers trickled in and never finished: closed, though bytes keep coming.
    let mut slow = TcpStream::connect(s.http_addr()).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n")
        .await
        .unwrap();
    let trickle = async {
        for i in 0..50 {
            if slow
                .write_all(format!("x-{i}: y\r\n").as_bytes())
                .await
                .is_err()
            {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        false
    };
    assert!(trickle.await, "slow headers were still read after 5 s");

    // A gigabyte announced: 413 at once, without sending any of it.
    let mut huge = TcpStream::connect(s.http_addr()).await.unwrap();
    huge.write_all(
        b"POST /callbacks/sandbox HTTP/1.1\r\nhost: x\r\ncontent-length: 1000000000\r\n\r\n",
    )
    .await
    .unwrap();
    let answer = closed_within(&mut huge, Duration::from_secs(5))
        .await
        .expect("the connection closed after the answer");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert_eq!(
        http(s.http_addr(), "GET", "/healthz", &[], b"").await.0,
        200
    );
    s.stop().await;
}

/// The server's first HTTP/2 SETTINGS frame, as (identifier, value) pairs.
fn settings(frames: &[u8]) -> Vec<(u16, u32)> {
    let mut at = 0;
    while at + 9 <= frames.len() {
        let len = usize::from(frames[at]) << 16
            | usize::from(frames[at + 1]) << 8
            | usize::from(frames[at + 2]);
        let (kind, flags) = (frames[at + 3], frames[at + 4]);
        let payload = &frames[at + 9..(at + 9 + len).min(frames.len())];
        if kind == 4 && flags & 1 == 0 {
            return payload
                .chunks_exact(6)
                .map(|c| {
                    (
                        u16::from_be_bytes([c[0], c[1]]),
                        u32::from_be_bytes([c[2], c[3], c[4], c[5]]),
                    )
                })
                .collect();
        }
        at += 9 + len;
    }
    Vec::new()
}

#[tokio::test]
async fn grpc_advertises_its_stream_limit_and_drops_peers_that_ignore_pings() {
    let s =
        TestServer::start_with("[server]\nmax_concurrent_streams = 7\nkeepalive_secs = 1\n").await;
    let mut peer = TcpStream::connect(s.server.grpc_addr).await.unwrap();
    // The preface and an empty SETTINGS frame; then never a byte more, not even a PING ack.
    peer.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00")
        .await
        .unwrap();
    let sent = closed_within(&mut peer, Duration::from_secs(10))
        .await
        .expect("a peer that does not answer pings is disconnected");
    // SETTINGS_MAX_CONCURRENT_STREAMS is identifier 3.
    assert!(settings(&sent).contains(&(3, 7)), "{:?}", settings(&sent));
    s.stop().await;
}

#[tokio::test]
async fn streams_that_need_no_key_are_capped_per_node() {
    use tonic_health::pb::HealthCheckRequest;
    use tonic_health::pb::health_client::HealthClient;

    let s = TestServer::start_with("[server]\nmax_keyless_streams = 2\n").await;
    let mut health = HealthClient::new(s.channel().await);
    let watch = || HealthCheckRequest {
        service: String::new(),
    };
    let first = health.watch(watch()).await.unwrap().into_inner();
    let _second = health.watch(watch()).await.unwrap().into_inner();
    let err = health.watch(watch()).await.unwrap_err();
    assert_reason(&err, tonic::Code::ResourceExhausted, "TOO_MANY_STREAMS");
    // Unary checks and merchant calls are not streams without a key.
    health.check(watch()).await.unwrap();
    list(&s).await.unwrap();
    // A stream that ends gives its slot back.
    drop(first);
    let mut third = eventually(|| {
        let mut health = health.clone();
        async move { health.watch(watch()).await.ok() }
    })
    .await
    .into_inner();
    assert!(
        third.message().await.unwrap().is_some(),
        "the new stream answers"
    );
    // Nor can they be made to read a large message.
    let huge = HealthCheckRequest {
        service: "x".repeat(1 << 20),
    };
    let err = health.check(huge).await.unwrap_err();
    assert_eq!(err.code(), tonic::Code::OutOfRange, "{err:?}");
    health.check(watch()).await.unwrap();
    s.stop().await;
}
