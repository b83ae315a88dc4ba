//! PostgreSQL over TLS: paycore serving over `sslmode=verify-full` with the server seeing TLS,
//! libpq's `allow`, and every TLS setting that cannot work ending start-up at once, naming
//! `database.url` and the cause (exit 2 when the URL alone says so, 1 when the server's
//! answer does). Uses the test CA and certificate of `scripts/with-postgres`.

use std::io::{Read, Write};
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use sqlx::Connection;

use crate::support::*;

/// Longer than any of these failures takes, far shorter than the 30 s a server that is not up
/// yet is waited for (database.connect_retry_secs).
const PROMPTLY: Duration = Duration::from_secs(10);

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} unset: run under scripts/with-postgres"))
}

/// A fresh database's URL, reached at `host` as `user` with a password the errors must not
/// show (the test server trusts loopback, so it is ignored), and the query `params`.
fn at(dir: &Path, host: &str, user: &str, params: &str) -> (String, String) {
    let db = database_url(dir);
    let rest = db
        .strip_prefix("postgres://postgres@127.0.0.1:")
        .expect("TEST_POSTGRES_URL is postgres://postgres@127.0.0.1:…");
    let name = rest.rsplit('/').next().unwrap().to_owned();
    (
        format!("postgres://{user}:sekret@{host}:{rest}?{params}"),
        name,
    )
}

fn verify_full(ca: &str) -> String {
    format!("sslmode=verify-full&sslrootcert={ca}")
}

/// `paycore migrate` on `url`: its output, and how long it took.
fn migrate(url: &str) -> (Output, Duration) {
    let started = Instant::now();
    let out = paycore(url).arg("migrate").output().unwrap();
    (out, started.elapsed())
}

/// Asserts that `paycore migrate` on `url` ended at once with `code`, naming database.url
/// and `cause`, never the password.
fn refused(url: &str, code: i32, cause: &str) {
    let (out, took) = migrate(url);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{url}: {err}");
    assert!(took < PROMPTLY, "{url}: took {took:?}: {err}");
    let last = err.lines().last().unwrap_or_default();
    assert!(last.contains("database.url"), "{url}: {err}");
    assert!(last.contains(cause), "{url}: {err}");
    assert!(!err.contains("sekret"), "{url}: {err}");
    assert!(!err.contains("retrying"), "{url}: {err}");
}

/// Whether each connection the server has to `database` is TLS, as the server sees it.
async fn tls_of_connections(database: &str) -> Vec<bool> {
    let mut conn = sqlx::PgConnection::connect(&env("TEST_POSTGRES_URL"))
        .await
        .unwrap();
    sqlx::query_scalar(
        "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
         WHERE a.datname = $1",
    )
    .bind(database)
    .fetch_all(&mut conn)
    .await
    .unwrap()
}

#[tokio::test]
async fn paycore_serves_over_verify_full_and_the_server_sees_tls() {
    let _serial = super::SERIAL.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let (url, database) = at(
        dir.path(),
        "localhost",
        "postgres",
        &verify_full(&env("TEST_POSTGRES_CA")),
    );
    let out = paycore(&url)
        .args(["merchant", "create", "--name", "tls"])
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

    let node = Process::start(&url);
    let mut c = node.client(&key).await;
    let paid = create(&mut c, create_request("over-tls", Some("succeed"))).await;
    assert_eq!(get(&mut c, &paid.id).await, paid);
    // paycore's own connections (the pool's, the write batcher's) while it serves.
    let tls = tls_of_connections(&database).await;
    assert!(!tls.is_empty());
    assert!(tls.iter().all(|&ssl| ssl), "{tls:?}");
}

/// `require` encrypts and checks nothing, so any host name will do; `verify-ca` checks the CA.
/// (libpq's verify-ca would not check the host name either, but sqlx 0.8 with rustls 0.23.24
/// and later does: launchbadge/sqlx#3793. Stricter, so not asserted either way here.)
#[tokio::test]
async fn require_and_verify_ca_connect() {
    let _serial = super::SERIAL.lock().await;
    let ca = env("TEST_POSTGRES_CA");
    let dir = tempfile::tempdir().unwrap();
    for (host, params) in [
        (
            env("TEST_POSTGRES_OTHER_HOST"),
            "sslmode=require".to_owned(),
        ),
        (
            "localhost".to_owned(),
            format!("sslmode=verify-ca&sslrootcert={ca}"),
        ),
    ] {
        let (url, _) = at(dir.path(), &host, "postgres", &params);
        let (out, _) = migrate(&url);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{params}: {err}");
    }
}

#[tokio::test]
async fn a_certificate_that_does_not_verify_ends_start_up_at_once() {
    let _serial = super::SERIAL.lock().await;
    let dir = tempfile::tempdir().unwrap();
    // Another CA than the one that signed the server's certificate.
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::new()).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let wrong_ca = dir.path().join("wrong-ca.crt");
    std::fs::write(&wrong_ca, params.self_signed(&key).unwrap().pem()).unwrap();
    let wrong_ca = wrong_ca.to_str().unwrap();

    let (url, _) = at(dir.path(), "localhost", "postgres", &verify_full(wrong_ca));
    refused(&url, 1, "UnknownIssuer");
    // As libpq does, require with a root certificate checks the CA too.
    let params = format!("sslmode=require&sslrootcert={wrong_ca}");
    let (url, _) = at(dir.path(), "localhost", "postgres", &params);
    refused(&url, 1, "UnknownIssuer");
    // The right CA, but a host name the certificate does not give.
    let other = env("TEST_POSTGRES_OTHER_HOST");
    let params = verify_full(&env("TEST_POSTGRES_CA"));
    let (url, _) = at(dir.path(), &other, "postgres", &params);
    refused(&url, 1, &format!("not valid for name \"{other}\""));
}

#[tokio::test]
async fn allow_falls_back_to_tls_only_when_the_server_refuses_plain_text() {
    let _serial = super::SERIAL.lock().await;
    let mut admin = sqlx::PgConnection::connect(&env("TEST_POSTGRES_URL"))
        .await
        .unwrap();
    // The role scripts/with-postgres lets in over TLS only.
    sqlx::query(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tls_only') \
         THEN CREATE ROLE tls_only LOGIN SUPERUSER; END IF; END $$",
    )
    .execute(&mut admin)
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (user, tls) in [("postgres", false), ("tls_only", true)] {
        let (url, database) = at(dir.path(), "127.0.0.1", user, "sslmode=allow");
        let config = paycore::config::DatabaseConfig {
            url,
            ..Default::default()
        };
        let store = paycore::storage::open(&config).await.unwrap();
        store.list_merchants().await.unwrap();
        let seen = tls_of_connections(&database).await;
        assert!(!seen.is_empty());
        assert!(seen.iter().all(|&ssl| ssl == tls), "{user}: {seen:?}");
    }
    // Refused in plain text, and not asked again: a server's "no" is final.
    let (url, _) = at(dir.path(), "127.0.0.1", "tls_only", "sslmode=disable");
    refused(&url, 1, "no encryption");
}

#[test]
fn require_against_a_server_without_tls_ends_start_up_at_once() {
    // A server with ssl = off: it answers the TLS request with 'N'.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let mut conn = conn.unwrap();
            let mut request = [0u8; 8];
            conn.read_exact(&mut request).unwrap();
            assert_eq!(request, [0, 0, 0, 8, 4, 210, 22, 47], "an SSLRequest");
            conn.write_all(b"N").unwrap();
            let _ = conn.read_to_end(&mut Vec::new());
        }
    });
    let url = format!("postgres://paycore:sekret@127.0.0.1:{port}/paycore?sslmode=require");
    refused(&url, 1, "server does not support TLS");
}

#[test]
fn tls_settings_that_cannot_work_are_configuration_errors() {
    let dir = tempfile::tempdir().unwrap();
    let not_pem = dir.path().join("not-pem.crt");
    std::fs::write(&not_pem, "a CA certificate, honestly").unwrap();
    let missing = dir.path().join("missing.crt");
    let base = "postgres://paycore:sekret@localhost:1/paycore";
    for (params, cause) in [
        (
            "sslmode=verify".to_owned(),
            "sslmode: unknown value \"verify\"",
        ),
        (
            format!("sslmode=verify-full&sslrootcert={}", missing.display()),
            "No such file",
        ),
        (
            format!("sslmode=verify-ca&sslrootcert={}", not_pem.display()),
            "holds no PEM certificate",
        ),
    ] {
        refused(&format!("{base}?{params}"), 2, cause);
    }
}
