//! `database.url` as connect options, its TLS settings (`sslmode`, `sslrootcert`) read as
//! libpq reads them and checked before anything connects; and TLS failures told apart from a
//! server that is not up yet.
//!
//! sqlx does the handshake (rustls with ring); this module decides what it is given. A bad
//! setting is found at start as a configuration error naming `database.url`, and a handshake
//! that fails is final: a certificate that does not verify now will not verify in a second.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use rustls::RootCertStore;
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use sqlx::postgres::{PgConnectOptions, PgSslMode};
use sqlx::{ConnectOptions, PgConnection};

/// The `sslmode` values libpq knows, each of which paycore supports.
const MODES: &[&str] = &[
    "disable",
    "allow",
    "prefer",
    "require",
    "verify-ca",
    "verify-full",
];

/// Why a `postgres://` URL cannot be used (a configuration error; never shows the password).
#[derive(Debug, thiserror::Error)]
pub enum UrlError {
    #[error("sslmode: unknown value {0:?}; one of {modes}", modes = MODES.join(", "))]
    UnknownMode(String),
    #[error("sslrootcert ({}): {why}", path.display())]
    RootCert { path: PathBuf, why: String },
    #[error("{0}")]
    Parse(#[from] sqlx::Error),
}

/// The URL's TLS parameters, by the names libpq and sqlx give them.
#[derive(Debug, Default)]
struct Params {
    mode: Option<String>,
    root_cert: Option<PathBuf>,
}

fn params(url: &str) -> Params {
    let query = url
        .split_once('?')
        .map_or("", |(_, q)| q.split('#').next().unwrap_or_default());
    let mut params = Params::default();
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        match &*key {
            "sslmode" | "ssl-mode" => params.mode = Some(value.into_owned()),
            "sslrootcert" | "ssl-root-cert" | "ssl-ca" => {
                params.root_cert = Some(PathBuf::from(&*value));
            }
            _ => {}
        }
    }
    params
}

/// The CA certificates in `path`, as PEM, once each has been read as a trust anchor.
fn root_certs(path: &Path) -> Result<Vec<u8>, UrlError> {
    let fail = |why: String| UrlError::RootCert {
        path: path.to_owned(),
        why,
    };
    let pem = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| fail(format!("not PEM certificates: {e}")))?;
    if certs.is_empty() {
        return Err(fail("holds no PEM certificate".into()));
    }
    let mut store = RootCertStore::empty();
    for cert in certs {
        store
            .add(cert)
            .map_err(|e| fail(format!("not a usable CA certificate: {e}")))?;
    }
    Ok(pem)
}

/// The connect options `url` gives, its TLS settings checked and applied as libpq applies
/// them. The CA file is read here, once, so that a missing or broken file is a configuration
/// error at start rather than a failure of every connection later; and, as in libpq,
/// `require` with an `sslrootcert` verifies the server's certificate against it (as
/// `verify-ca` does).
pub(super) fn options(url: &str) -> Result<PgConnectOptions, UrlError> {
    let params = params(url);
    // Checked before sqlx parses the URL, to name the values there are; and sqlx would accept
    // any case, where libpq, whose names these are, does not.
    if let Some(mode) = params.mode.filter(|m| !MODES.contains(&m.as_str())) {
        return Err(UrlError::UnknownMode(mode));
    }
    let mut options = PgConnectOptions::from_str(url)?;
    if let Some(path) = &params.root_cert {
        options = options.ssl_root_cert_from_pem(root_certs(path)?);
        if matches!(options.get_ssl_mode(), PgSslMode::Require) {
            options = options.ssl_mode(PgSslMode::VerifyCa);
        }
    }
    Ok(options)
}

/// The `sslmode` in force, as the URL spells it.
pub(super) fn mode(options: &PgConnectOptions) -> &'static str {
    match options.get_ssl_mode() {
        PgSslMode::Disable => "disable",
        PgSslMode::Allow => "allow",
        PgSslMode::Prefer => "prefer",
        PgSslMode::Require => "require",
        PgSslMode::VerifyCa => "verify-ca",
        PgSslMode::VerifyFull => "verify-full",
    }
}

/// Why a connection failed in TLS, if it did: the server refused TLS that the mode requires,
/// or the handshake failed (its certificate did not verify, or it does not name the host).
/// Neither changes by trying again.
pub(super) fn failure(e: &sqlx::Error) -> Option<String> {
    match e {
        sqlx::Error::Tls(why) => Some(why.to_string()),
        // rustls reports a failed handshake as an I/O error around its own error.
        sqlx::Error::Io(io) => io
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
            .map(ToString::to_string),
        _ => None,
    }
}

/// Opens a connection as `options` say, with libpq's `allow`: sqlx only ever connects in
/// plain text then, so a server that refuses the plain connection (pg_hba.conf `hostssl`)
/// is asked again over TLS. The options that connected are returned, for every later
/// connection to use: paycore decides once, at start, where libpq decides per connection.
pub(super) async fn connect(
    options: &PgConnectOptions,
) -> Result<(PgConnection, PgConnectOptions), sqlx::Error> {
    match options.connect().await {
        Ok(conn) => Ok((conn, options.clone())),
        Err(sqlx::Error::Database(_)) if matches!(options.get_ssl_mode(), PgSslMode::Allow) => {
            let tls = options.clone().ssl_mode(PgSslMode::Require);
            Ok((tls.connect().await?, tls))
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ca_pem() -> String {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.self_signed(&key).unwrap().pem()
    }

    #[test]
    fn an_unknown_sslmode_names_the_values_there_are() {
        let err = options("postgres://u@h/db?sslmode=verify-all")
            .unwrap_err()
            .to_string();
        assert!(err.contains("\"verify-all\""), "{err}");
        assert!(err.contains("verify-full"), "{err}");
    }

    #[test]
    fn a_root_cert_that_is_missing_or_not_pem_is_named_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.crt");
        let garbage = dir.path().join("garbage.crt");
        std::fs::write(&garbage, "not a certificate").unwrap();
        let bad_der = dir.path().join("bad-der.crt");
        std::fs::write(
            &bad_der,
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        for path in [&missing, &garbage, &bad_der] {
            let url = format!(
                "postgres://u:sekret@h/db?sslmode=verify-full&sslrootcert={}",
                path.display()
            );
            let err = options(&url).unwrap_err().to_string();
            assert!(err.starts_with("sslrootcert ("), "{err}");
            assert!(err.contains(&path.display().to_string()), "{err}");
            assert!(!err.contains("sekret"), "{err}");
        }
    }

    #[test]
    fn require_with_a_root_cert_verifies_the_ca_as_libpq_does() {
        let dir = tempfile::tempdir().unwrap();
        let ca = dir.path().join("ca.crt");
        std::fs::write(&ca, ca_pem()).unwrap();
        let root = format!("sslrootcert={}", ca.display());
        for (mode, becomes) in [
            ("require", "verify-ca"),
            ("verify-ca", "verify-ca"),
            ("verify-full", "verify-full"),
            ("prefer", "prefer"),
        ] {
            let url = format!("postgres://u@h/db?sslmode={mode}&{root}");
            assert_eq!(super::mode(&options(&url).unwrap()), becomes, "{mode}");
        }
        let url = "postgres://u@h/db?sslmode=require";
        assert_eq!(super::mode(&options(url).unwrap()), "require");
    }
}
