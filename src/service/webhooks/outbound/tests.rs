//! The webhook client against loopback listeners, with scripted DNS. Only loopback
//! addresses are bound or connected to.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::*;
use crate::service::webhooks::guard::tests::{Scripted, guard};

/// A listener on `addr` that counts connections and answers `reply` to each request, then
/// closes the connection (so the next request needs a new one, and a new lookup).
async fn listen(
    addr: &str,
    reply: &'static [u8],
) -> std::io::Result<(SocketAddr, Arc<AtomicUsize>)> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    tokio::spawn(async move {
        while let Ok((mut conn, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut got = Vec::new();
                let mut buf = [0u8; 4096];
                // The head and a body of Content-Length bytes.
                while !complete(&got) {
                    match conn.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => got.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = conn.write_all(reply).await;
                let _ = conn.shutdown().await;
            });
        }
    });
    Ok((local, hits))
}

/// Whether `request` is all there; anything not HTTP (a TLS ClientHello) is answered at once.
fn complete(request: &[u8]) -> bool {
    if request.first().is_some_and(|b| !b.is_ascii_uppercase()) {
        return true;
    }
    let text = String::from_utf8_lossy(request);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    let length = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    body.len() >= length
}

const OK: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";

/// Listeners on 127.0.0.2 and 127.0.0.1 at one port (the URL names one).
async fn pair() -> (
    (SocketAddr, Arc<AtomicUsize>),
    (SocketAddr, Arc<AtomicUsize>),
) {
    for _ in 0..20 {
        let a = listen("127.0.0.2:0", OK).await.unwrap();
        if let Ok(b) = listen(&format!("127.0.0.1:{}", a.0.port()), OK).await {
            return (a, b);
        }
    }
    panic!("no port free on both 127.0.0.2 and 127.0.0.1");
}

fn post(url: &str) -> Request {
    Request {
        method: http::Method::POST,
        url: url.to_owned(),
        headers: vec![("content-type", "application/json".into())],
        body: b"{}".to_vec(),
    }
}

fn outbound(guard: Guard) -> Outbound {
    Outbound::new(guard, Duration::from_secs(2)).unwrap()
}

/// DNS rebinding: `rebind.test` first resolves to a permitted address, then to a refused
/// one. The address the guard checked is the one connected to, and a later lookup that
/// gives only refused addresses connects nowhere.
#[tokio::test]
async fn a_name_that_rebinds_to_a_refused_address_is_never_connected_to() {
    let ((_, permitted_hits), (refused_addr, refused_hits)) = pair().await;
    let lookup = Scripted::new(|host, n| {
        assert_eq!(host, "rebind.test");
        let ip = if n == 0 { "127.0.0.2" } else { "127.0.0.1" };
        Ok(vec![ip.parse().unwrap()])
    });
    let client = outbound(guard(&["127.0.0.2/32"], false, lookup.clone()));
    let url = format!("http://rebind.test:{}/hooks", refused_addr.port());

    let first = client.send(post(&url)).await.unwrap();
    assert_eq!(first.status, 200);
    let hits = || {
        (
            permitted_hits.load(Ordering::SeqCst),
            refused_hits.load(Ordering::SeqCst),
        )
    };
    assert_eq!(
        hits(),
        (1, 0),
        "the address checked is the one connected to"
    );

    let second = client.send(post(&url)).await.unwrap_err();
    assert_eq!(second.code, "URL_NOT_ALLOWED", "{}", second.detail);
    assert!(
        second.detail.contains("127.0.0.1 is in 127.0.0.0/8"),
        "{}",
        second.detail
    );
    assert_eq!(lookup.calls(), 2, "one lookup per connection, and no other");
    assert_eq!(hits(), (1, 0), "the refused address is never connected to");
}

#[tokio::test]
async fn refused_addresses_among_a_names_answers_are_dropped() {
    let ((_, permitted_hits), (refused_addr, refused_hits)) = pair().await;
    // The refused address first, as a resolver might order it.
    let lookup = Scripted::fixed(&["127.0.0.1", "127.0.0.2"]);
    let client = outbound(guard(&["127.0.0.2/32"], false, lookup));
    let url = format!("http://mixed.test:{}/hooks", refused_addr.port());
    for _ in 0..3 {
        assert_eq!(client.send(post(&url)).await.unwrap().status, 200);
    }
    assert_eq!(permitted_hits.load(Ordering::SeqCst), 3);
    assert_eq!(refused_hits.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn ip_literal_hosts_are_checked_before_sending() {
    let (addr, hits) = listen("127.0.0.1:0", OK).await.unwrap();
    let lookup = Scripted::fixed(&[]);
    let client = outbound(guard(&[], false, lookup.clone()));
    let port = addr.port();
    for url in [
        format!("http://127.0.0.1:{port}/hooks"),
        format!("http://[::ffff:127.0.0.1]:{port}/hooks"),
        format!("http://0x7f.1:{port}/hooks"),
        format!("http://2130706433:{port}/hooks"),
    ] {
        let failure = client.send(post(&url)).await.unwrap_err();
        assert_eq!(failure.code, "URL_NOT_ALLOWED", "{url}");
        assert!(failure.detail.contains("127.0.0.1"), "{}", failure.detail);
    }
    let failure = client.send(post("ftp://127.0.0.1/")).await.unwrap_err();
    assert_eq!(failure.code, "URL_NOT_ALLOWED");
    assert_eq!(hits.load(Ordering::SeqCst), 0);
    assert_eq!(lookup.calls(), 0, "a literal is not resolved");

    // Permitted by an exception, a literal is sent to.
    let client = outbound(guard(&["127.0.0.1/32"], false, lookup));
    let answer = client
        .send(post(&format!("http://127.0.0.1:{port}/hooks")))
        .await
        .unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn transport_failures_become_stable_codes() {
    let client = outbound(guard(
        &[],
        true,
        Scripted::new(|_, _| Err(std::io::Error::other("NXDOMAIN from 10.0.0.53"))),
    ));

    let failure = client
        .send(post("http://nowhere.test/hooks"))
        .await
        .unwrap_err();
    assert_eq!(failure.code, "UNRESOLVABLE");
    assert!(
        failure.detail.contains("10.0.0.53"),
        "the detail is for the log: {}",
        failure.detail
    );

    // A port nothing listens on.
    let closed = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let failure = client
        .send(post(&format!("http://{closed}/hooks")))
        .await
        .unwrap_err();
    assert_eq!(failure.code, "CONNECT_FAILED", "{}", failure.detail);

    // A listener that answers a TLS ClientHello with plain HTTP.
    let (plain, _) = listen("127.0.0.1:0", OK).await.unwrap();
    let failure = client
        .send(post(&format!("https://{plain}/hooks")))
        .await
        .unwrap_err();
    assert_eq!(failure.code, "TLS_FAILED", "{}", failure.detail);
}
