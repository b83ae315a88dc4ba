//! TLS on both ports: certificates from a test CA made here, clients of paycore's own
//! (tonic over rustls), raw TLS clients pinned to one protocol version, and hand-built
//! ClientHellos for the versions no current library will send.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use paycore::proto::v1::payment_service_client::PaymentServiceClient;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, SanType};
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Identity};

use crate::support::*;

/// A certificate authority that issues server and client certificates into a directory.
pub struct Ca {
    issuer: CertifiedIssuer<'static, KeyPair>,
    pub pem: String,
}

/// A certificate and its key, as PEM.
pub struct Issued {
    pub cert: String,
    pub key: String,
}

impl Ca {
    pub fn new(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        let issuer = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
        let pem = issuer.pem();
        Self { issuer, pem }
    }

    /// A certificate for `localhost` and 127.0.0.1, named `cn`.
    pub fn issue(&self, cn: &str) -> Issued {
        self.issue_for(cn, &["localhost"])
    }

    /// A certificate for the DNS names `dns` and 127.0.0.1, named `cn`.
    pub fn issue_for(&self, cn: &str, dns: &[&str]) -> Issued {
        let names: Vec<String> = dns.iter().map(|n| (*n).to_owned()).collect();
        let mut params = CertificateParams::new(names).unwrap();
        params
            .subject_alt_names
            .push(SanType::IpAddress([127, 0, 0, 1].into()));
        params.distinguished_name.push(DnType::CommonName, cn);
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        Issued {
            cert: cert.pem(),
            key: key.serialize_pem(),
        }
    }
}

/// Writes `issued` as `name.crt` and `name.key` in `dir`, returning their paths.
pub fn write(dir: &Path, name: &str, issued: &Issued) -> (PathBuf, PathBuf) {
    let (cert, key) = (
        dir.join(format!("{name}.crt")),
        dir.join(format!("{name}.key")),
    );
    std::fs::write(&cert, &issued.cert).unwrap();
    std::fs::write(&key, &issued.key).unwrap();
    (cert, key)
}

/// The `[server.tls]` table for these files.
pub fn tls_toml(cert: &Path, key: &Path, client_ca: Option<&Path>, reload_secs: u64) -> String {
    let mut toml = format!(
        "[server.tls]\ncert_file = \"{}\"\nkey_file = \"{}\"\nreload_check_secs = {reload_secs}\n",
        cert.display(),
        key.display()
    );
    if let Some(ca) = client_ca {
        toml.push_str(&format!("client_ca_file = \"{}\"\n", ca.display()));
    }
    toml
}

/// A gRPC channel to `addr` over TLS, trusting `ca`, with a client certificate if given.
pub async fn tls_channel(
    addr: SocketAddr,
    ca: &str,
    client: Option<&Issued>,
) -> Result<Channel, tonic::transport::Error> {
    let mut tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(ca))
        .domain_name("localhost");
    if let Some(c) = client {
        tls = tls.identity(Identity::from_pem(&c.cert, &c.key));
    }
    Channel::from_shared(format!("https://{addr}"))
        .unwrap()
        .tls_config(tls)?
        .connect_timeout(Duration::from_secs(5))
        .connect()
        .await
}

fn roots(ca: &str) -> rustls::RootCertStore {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_pemfile(ca) {
        roots.add(cert).unwrap();
    }
    roots
}

fn rustls_pemfile(pem: &str) -> Vec<CertificateDer<'static>> {
    use rustls::pki_types::pem::PemObject;
    CertificateDer::pem_slice_iter(pem.as_bytes())
        .map(Result::unwrap)
        .collect()
}

/// A raw TLS connection to `addr` trusting `ca`, at `version` only, offering `alpn`.
pub async fn tls_connect(
    addr: SocketAddr,
    ca: &str,
    version: &'static rustls::SupportedProtocolVersion,
    alpn: &[u8],
) -> std::io::Result<tokio_rustls::client::TlsStream<TcpStream>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[version])
        .unwrap()
        .with_root_certificates(roots(ca))
        .with_no_client_auth();
    config.alpn_protocols = vec![alpn.to_vec()];
    let tcp = TcpStream::connect(addr).await?;
    tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
}

/// `GET path` on an open HTTP/1.1 connection that stays open; the answer's status and body.
async fn get<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(
    stream: &mut S,
    path: &str,
) -> (u16, String) {
    stream
        .write_all(format!("GET {path} HTTP/1.1\r\nhost: localhost\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    // Read until the headers and the body their content-length announces are in.
    loop {
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf))
            .await
            .expect("an answer in time")
            .unwrap();
        assert!(n > 0, "connection closed mid-answer");
        raw.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&raw).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length: usize = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length: ")
                        .map(str::to_owned)
                })
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if body.len() >= length {
                return (head[9..12].parse().unwrap(), body.to_owned());
            }
        }
    }
}

/// A ClientHello without the supported_versions extension, as a TLS 1.0 (`version`
/// 0x0301), 1.1 (0x0302) or 1.2 (0x0303) client sends it: ECDHE suites, groups and signature
/// schemes any TLS 1.2 server could pick from, so only the version can make it fail.
fn client_hello(version: u16) -> Vec<u8> {
    fn extension(kind: u16, body: &[u8]) -> Vec<u8> {
        let mut e = kind.to_be_bytes().to_vec();
        e.extend_from_slice(&(body.len() as u16).to_be_bytes());
        e.extend_from_slice(body);
        e
    }
    let mut hello = Vec::new();
    hello.extend_from_slice(&version.to_be_bytes());
    hello.extend_from_slice(&[7u8; 32]); // random
    hello.push(0); // no session id
    // ECDHE_ECDSA and ECDHE_RSA with AES_128_GCM_SHA256, and two CBC suites old clients offer
    hello.extend_from_slice(&[0, 8, 0xc0, 0x2b, 0xc0, 0x2f, 0xc0, 0x13, 0x00, 0x2f]);
    hello.extend_from_slice(&[1, 0]); // null compression
    let mut extensions = Vec::new();
    // supported_groups: x25519, secp256r1
    extensions.extend(extension(10, &[0, 4, 0x00, 0x1d, 0x00, 0x17]));
    // ec_point_formats: uncompressed
    extensions.extend(extension(11, &[1, 0]));
    // signature_algorithms: ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, rsa_pkcs1_sha256
    extensions.extend(extension(13, &[0, 6, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01]));
    hello.extend_from_slice(&(extensions.len() as u16).to_be_bytes());
    hello.extend_from_slice(&extensions);
    let mut handshake = vec![1u8]; // client_hello
    handshake.extend_from_slice(&(hello.len() as u32).to_be_bytes()[1..]);
    handshake.extend_from_slice(&hello);
    let mut record = vec![0x16, 0x03, 0x01];
    record.extend_from_slice(&(handshake.len() as u16).to_be_bytes());
    record.extend_from_slice(&handshake);
    record
}

/// What the server sends back to `bytes` before it closes, or its first bytes of a
/// handshake record (a ServerHello), within 5 s.
async fn answer_to(addr: SocketAddr, bytes: &[u8]) -> Vec<u8> {
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    tcp.write_all(bytes).await.unwrap();
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !(answer.len() >= 6 && answer[0] == 0x16) {
        match tokio::time::timeout_at(deadline, tcp.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => answer.extend_from_slice(&buf[..n]),
            _ => break,
        }
    }
    answer
}

#[tokio::test]
async fn both_ports_speak_tls_1_2_and_1_3_only_and_refuse_cleartext() {
    let dir = tempfile::tempdir().unwrap();
    let ca = Ca::new("paycore test CA");
    let (cert, key) = write(dir.path(), "server", &ca.issue("paycore"));
    let s = TestServer::start_with(&tls_toml(&cert, &key, None, 10)).await;

    // gRPC over TLS: a payment is made, and its checkout link is https.
    let channel = tls_channel(s.server.grpc_addr, &ca.pem, None)
        .await
        .unwrap();
    let mut client = PaymentServiceClient::with_interceptor(channel, Bearer::for_key(&s.api_key));
    let p = create(&mut client, create_request("tls-1", None)).await;
    let Some(paycore::proto::v1::next_action::Action::QrCodeContent(link)) =
        p.next_action.clone().and_then(|a| a.action)
    else {
        panic!("expected a QR code");
    };
    assert_eq!(
        link,
        format!("https://{}/sandbox/checkout/{}", s.http_addr(), p.id)
    );

    // Both versions, on both ports, with each port's protocol.
    for version in [&rustls::version::TLS12, &rustls::version::TLS13] {
        let grpc = tls_connect(s.server.grpc_addr, &ca.pem, version, b"h2")
            .await
            .unwrap();
        assert_eq!(grpc.get_ref().1.alpn_protocol(), Some(&b"h2"[..]));
        let mut http = tls_connect(s.http_addr(), &ca.pem, version, b"http/1.1")
            .await
            .unwrap();
        assert_eq!(get(&mut http, "/healthz").await, (200, "ok".to_owned()));
    }

    // The same hello gets a ServerHello as TLS 1.2, and a protocol_version alert (70) as
    // TLS 1.0 or 1.1.
    for addr in [s.server.grpc_addr, s.http_addr()] {
        let answer = answer_to(addr, &client_hello(0x0303)).await;
        assert_eq!(answer.get(5), Some(&2), "a ServerHello, got {answer:?}");
        for version in [0x0301u16, 0x0302] {
            let answer = answer_to(addr, &client_hello(version)).await;
            assert_eq!(
                answer.first(),
                Some(&0x15),
                "an alert record, got {answer:?}"
            );
            assert_eq!(answer.last(), Some(&70), "protocol_version, got {answer:?}");
        }
    }

    // Cleartext gets no answer in its own protocol on either port.
    let plain = Channel::from_shared(format!("http://{}", s.server.grpc_addr))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let refused = PaymentServiceClient::with_interceptor(plain, Bearer::for_key(&s.api_key))
        .get_payment(paycore::proto::v1::GetPaymentRequest {
            lookup: Some(paycore::proto::v1::get_payment_request::Lookup::Id(
                p.id.clone(),
            )),
        })
        .await
        .unwrap_err();
    // A transport error, not an answer from paycore.
    assert!(
        matches!(
            refused.code(),
            tonic::Code::Unavailable | tonic::Code::Unknown
        ) && refused.metadata().is_empty(),
        "{refused:?}"
    );
    let answer = answer_to(
        s.http_addr(),
        b"GET /healthz HTTP/1.1\r\nhost: localhost\r\n\r\n",
    )
    .await;
    assert!(
        !answer.starts_with(b"HTTP/"),
        "{:?}",
        String::from_utf8_lossy(&answer)
    );
    s.stop().await;
}

#[tokio::test]
async fn mutual_tls_refuses_clients_without_a_certificate_from_the_client_ca() {
    let dir = tempfile::tempdir().unwrap();
    let server_ca = Ca::new("server CA");
    let client_ca = Ca::new("client CA");
    let stranger_ca = Ca::new("some other CA");
    let (cert, key) = write(dir.path(), "server", &server_ca.issue("paycore"));
    let ca_file = dir.path().join("clients.crt");
    std::fs::write(&ca_file, &client_ca.pem).unwrap();
    let s = TestServer::start_with(&tls_toml(&cert, &key, Some(&ca_file), 10)).await;
    let call = |client: Option<Issued>| {
        let (addr, ca, api_key) = (s.server.grpc_addr, server_ca.pem.clone(), s.api_key.clone());
        async move {
            let channel = tls_channel(addr, &ca, client.as_ref()).await?;
            let mut c = PaymentServiceClient::with_interceptor(channel, Bearer::for_key(&api_key));
            c.list_payments(paycore::proto::v1::ListPaymentsRequest::default())
                .await
                .map(|_| ())
                .map_err(|status| -> Box<dyn std::error::Error> { Box::new(status) })?;
            Ok::<_, Box<dyn std::error::Error>>(())
        }
    };
    call(Some(client_ca.issue("order-service"))).await.unwrap();
    assert!(call(None).await.is_err(), "no client certificate");
    assert!(
        call(Some(stranger_ca.issue("order-service")))
            .await
            .is_err(),
        "a certificate from another CA"
    );
    // The HTTP port asks for one too.
    let refused = tls_connect(
        s.http_addr(),
        &server_ca.pem,
        &rustls::version::TLS13,
        b"http/1.1",
    )
    .await;
    let refused = match refused {
        // TLS 1.3 finishes the client's side before the server has checked its certificate.
        Ok(mut stream) => {
            let mut buf = [0u8; 1];
            stream
                .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
                .await
                .ok();
            stream.read(&mut buf).await.map(|n| n > 0).unwrap_or(false)
        }
        Err(_) => false,
    };
    assert!(
        !refused,
        "the HTTP port served a client without a certificate"
    );
    s.stop().await;
}

#[tokio::test]
async fn a_renewed_certificate_is_served_without_a_restart_or_a_dropped_connection() {
    let dir = tempfile::tempdir().unwrap();
    let ca = Ca::new("paycore test CA");
    let (cert, key) = write(dir.path(), "server", &ca.issue("first"));
    let s = TestServer::start_with(&tls_toml(&cert, &key, None, 1)).await;
    let served = || async {
        let stream = tls_connect(s.http_addr(), &ca.pem, &rustls::version::TLS13, b"http/1.1")
            .await
            .unwrap();
        stream.get_ref().1.peer_certificates().unwrap()[0].clone()
    };
    let first = served().await;
    let mut open = tls_connect(s.http_addr(), &ca.pem, &rustls::version::TLS13, b"http/1.1")
        .await
        .unwrap();
    assert_eq!(get(&mut open, "/healthz").await.0, 200);

    // A half-written renewal (a key that is not PEM) is not used: the old one still serves.
    std::fs::write(&key, "not a key").unwrap();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(served().await, first);

    let renewed = ca.issue("second");
    write(dir.path(), "server", &renewed);
    let expected = rustls_pemfile(&renewed.cert).remove(0);
    eventually(|| async { (served().await == expected).then_some(()) }).await;
    // The connection opened before the renewal still answers.
    assert_eq!(get(&mut open, "/healthz").await.0, 200);
    s.stop().await;
}

#[tokio::test]
async fn tls_files_that_cannot_be_used_stop_the_start_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let ca = Ca::new("paycore test CA");
    let (cert, key) = write(dir.path(), "server", &ca.issue("paycore"));
    let (_, other_key) = write(dir.path(), "other", &ca.issue("other"));
    let db = database_url(dir.path());
    let check = |toml: String| {
        let path = dir.path().join("paycore.toml");
        std::fs::write(&path, toml).unwrap();
        paycore(&db)
            .args(["--config", path.to_str().unwrap(), "config", "check"])
            .output()
            .unwrap()
    };
    let ok = check(tls_toml(&cert, &key, None, 10));
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    for (toml, key_named) in [
        (tls_toml(&cert, &other_key, None, 10), "server.tls.key_file"),
        (
            tls_toml(&cert, &dir.path().join("missing.key"), None, 10),
            "server.tls.key_file",
        ),
        (tls_toml(&key, &key, None, 10), "server.tls.cert_file"),
        (
            tls_toml(&cert, &key, Some(&key), 10),
            "server.tls.client_ca_file",
        ),
    ] {
        let out = check(toml);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(key_named), "{stderr}");
    }
}

#[tokio::test]
async fn sighup_reads_the_certificate_again_and_never_ends_the_process() {
    let dir = tempfile::tempdir().unwrap();
    let ca = Ca::new("paycore test CA");
    let (cert, key) = write(dir.path(), "server", &ca.issue("first"));
    let config = dir.path().join("paycore.toml");
    let listen = "[server]\ngrpc_addr = \"127.0.0.1:0\"\nhttp_addr = \"127.0.0.1:0\"\n";
    // No periodic check within the test: only the signal can make it read the files.
    std::fs::write(
        &config,
        format!("{listen}{}", tls_toml(&cert, &key, None, 3600)),
    )
    .unwrap();
    let db = database_url(dir.path());
    let mut paycore = Process::start_with(&db, &config);
    let addr: SocketAddr = paycore.grpc.parse().unwrap();
    let ca_pem = ca.pem.clone();
    let served = || async {
        let stream = tls_connect(addr, &ca_pem, &rustls::version::TLS13, b"h2")
            .await
            .unwrap();
        stream.get_ref().1.peer_certificates().unwrap()[0].clone()
    };
    let renewed = ca.issue("second");
    write(dir.path(), "server", &renewed);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_ne!(
        served().await,
        rustls_pemfile(&renewed.cert)[0],
        "read before the signal"
    );
    paycore.signal("HUP");
    let expected = rustls_pemfile(&renewed.cert).remove(0);
    eventually(|| async { (served().await == expected).then_some(()) }).await;
    assert!(paycore.child.try_wait().unwrap().is_none());

    // Without TLS there is nothing to read, and the signal still does not end paycore.
    let plain = dir.path().join("plain.toml");
    std::fs::write(&plain, listen).unwrap();
    let mut plain = Process::start_with(&database_url(&dir.path().join("b")), &plain);
    plain.signal("HUP");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        plain.child.try_wait().unwrap().is_none(),
        "SIGHUP ended paycore"
    );
}

#[tokio::test]
async fn keys_bound_to_client_names_are_refused_from_other_clients() {
    use paycore::proto::v1::admin_service_client::AdminServiceClient;
    use paycore::proto::v1::{self as v1};

    let dir = tempfile::tempdir().unwrap();
    let server_ca = Ca::new("server CA");
    let client_ca = Ca::new("client CA");
    let (cert, key) = write(dir.path(), "server", &server_ca.issue("paycore"));
    let ca_file = dir.path().join("clients.crt");
    std::fs::write(&ca_file, &client_ca.pem).unwrap();
    let toml = format!(
        "{}operator_client_names = [\"ops.internal\"]\n",
        tls_toml(&cert, &key, Some(&ca_file), 10)
    );
    let s = TestServer::start_with(&toml).await;
    let ops = client_ca.issue_for("ops", &["ops.internal"]);
    let orders = client_ca.issue_for("orders", &["orders.internal"]);
    let billing = client_ca.issue_for("billing", &["billing.internal"]);
    let addr = s.server.grpc_addr;
    let admin = async |client: &Issued| {
        let channel = tls_channel(addr, &server_ca.pem, Some(client))
            .await
            .unwrap();
        AdminServiceClient::with_interceptor(channel, Bearer::for_key(OPERATOR_KEY))
    };
    let list = async |client: &Issued, key: &str| {
        let channel = tls_channel(addr, &server_ca.pem, Some(client))
            .await
            .unwrap();
        PaymentServiceClient::with_interceptor(channel, Bearer::for_key(key))
            .list_payments(v1::ListPaymentsRequest::default())
            .await
            .map(drop)
    };

    // The operator key works only with the operator's certificate.
    let err = admin(&orders)
        .await
        .list_merchants(v1::ListMerchantsRequest {})
        .await
        .unwrap_err();
    assert_reason(
        &err,
        tonic::Code::PermissionDenied,
        "CLIENT_CERTIFICATE_NOT_ALLOWED",
    );
    let mut ops_admin = admin(&ops).await;
    let made = ops_admin
        .create_merchant(v1::CreateMerchantRequest {
            name: "orders".into(),
            webhook_url: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    let merchant = made.merchant.unwrap().id;
    let bind = |names: &[&str]| v1::SetClientNamesRequest {
        merchant_id: merchant.clone(),
        client_names: names.iter().map(|n| (*n).to_owned()).collect(),
    };
    let err = ops_admin
        .set_client_names(bind(&["not a name"]))
        .await
        .unwrap_err();
    assert_reason(&err, tonic::Code::InvalidArgument, "INVALID_REQUEST");
    let bound = ops_admin
        .set_client_names(bind(&["orders.internal"]))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(bound.merchant.unwrap().client_names, ["orders.internal"]);

    // The bound key: its service's certificate only. An unbound key: any certificate.
    list(&orders, &made.key).await.unwrap();
    let err = list(&billing, &made.key).await.unwrap_err();
    assert_reason(
        &err,
        tonic::Code::PermissionDenied,
        "CLIENT_CERTIFICATE_NOT_ALLOWED",
    );
    list(&billing, &s.api_key).await.unwrap();
    // Unbound again, any client the CA vouches for may use it.
    ops_admin.set_client_names(bind(&[])).await.unwrap();
    list(&billing, &made.key).await.unwrap();
    s.stop().await;
}
