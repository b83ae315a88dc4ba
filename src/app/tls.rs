//! TLS for both ports: the certificate chain and key, and for mutual TLS the client CA, from
//! PEM files. TLS 1.2 and 1.3 only. The files are read again when they change or on SIGHUP,
//! and each handshake uses what was read last, so a renewed certificate is served from the
//! next connection on while open connections carry on. A renewal that does not load (a
//! half-written file, a key that does not match) keeps the previous one and is logged.

use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use rustls::crypto::CryptoProvider;
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

use crate::config::TlsConfig;

/// A TLS file that cannot be used, naming the file and the config key.
#[derive(Debug, thiserror::Error)]
#[error("server.tls.{key} ({}): {why}", path.display())]
pub struct TlsError {
    key: &'static str,
    path: PathBuf,
    why: String,
}

/// Which port a handshake is for: each offers its own protocol in ALPN.
#[derive(Debug, Clone, Copy)]
pub enum Port {
    /// HTTP/2 only.
    Grpc,
    /// HTTP/1.1 only.
    Http,
}

/// The server's TLS settings as last read, for both ports.
pub struct Tls {
    config: TlsConfig,
    current: RwLock<Loaded>,
}

#[derive(Clone)]
struct Loaded {
    grpc: Arc<ServerConfig>,
    http: Arc<ServerConfig>,
    /// What the files looked like when read: a change to any of them means read again.
    stamp: Vec<Option<(SystemTime, u64)>>,
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn read(key: &'static str, path: &Path) -> Result<Vec<u8>, TlsError> {
    std::fs::read(path).map_err(|e| TlsError {
        key,
        path: path.to_owned(),
        why: e.to_string(),
    })
}

fn certificates(key: &'static str, path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let fail = |why: String| TlsError {
        key,
        path: path.to_owned(),
        why,
    };
    let certs = CertificateDer::pem_slice_iter(&read(key, path)?)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| fail(format!("not PEM certificates: {e}")))?;
    if certs.is_empty() {
        return Err(fail("holds no certificate".into()));
    }
    Ok(certs)
}

impl Tls {
    /// Reads the files once; `None` when TLS is not configured.
    pub fn load(config: &TlsConfig) -> Result<Option<Arc<Self>>, TlsError> {
        if config.cert_file.is_none() {
            return Ok(None);
        }
        let loaded = Self::read_files(config)?;
        Ok(Some(Arc::new(Self {
            config: config.clone(),
            current: RwLock::new(loaded),
        })))
    }

    fn files(config: &TlsConfig) -> impl Iterator<Item = (&'static str, &Path)> {
        [
            ("cert_file", &config.cert_file),
            ("key_file", &config.key_file),
            ("client_ca_file", &config.client_ca_file),
        ]
        .into_iter()
        .filter_map(|(k, p)| p.as_deref().map(|p| (k, p)))
    }

    fn stamp(config: &TlsConfig) -> Vec<Option<(SystemTime, u64)>> {
        Self::files(config)
            .map(|(_, p)| {
                let meta = std::fs::metadata(p).ok()?;
                Some((meta.modified().ok()?, meta.len()))
            })
            .collect()
    }

    fn read_files(config: &TlsConfig) -> Result<Loaded, TlsError> {
        // Stamped before reading: a change made while reading is seen by the next check.
        let stamp = Self::stamp(config);
        let (Some(cert_path), Some(key_path)) = (&config.cert_file, &config.key_file) else {
            return Err(TlsError {
                key: "key_file",
                path: PathBuf::new(),
                why: "cert_file and key_file are set together".into(),
            });
        };
        let chain = certificates("cert_file", cert_path)?;
        let key =
            PrivateKeyDer::from_pem_slice(&read("key_file", key_path)?).map_err(|e| TlsError {
                key: "key_file",
                path: key_path.clone(),
                why: format!("not a PEM private key: {e}"),
            })?;
        let builder = ServerConfig::builder_with_provider(provider())
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
            .map_err(|e| TlsError {
                key: "cert_file",
                path: cert_path.clone(),
                why: e.to_string(),
            })?;
        let builder = match &config.client_ca_file {
            Some(ca_path) => {
                let mut roots = RootCertStore::empty();
                for ca in certificates("client_ca_file", ca_path)? {
                    roots.add(ca).map_err(|e| TlsError {
                        key: "client_ca_file",
                        path: ca_path.clone(),
                        why: format!("not a usable CA certificate: {e}"),
                    })?;
                }
                let verifier =
                    WebPkiClientVerifier::builder_with_provider(roots.into(), provider())
                        .build()
                        .map_err(|e| TlsError {
                            key: "client_ca_file",
                            path: ca_path.clone(),
                            why: e.to_string(),
                        })?;
                builder.with_client_cert_verifier(verifier)
            }
            None => builder.with_no_client_auth(),
        };
        let server = builder.with_single_cert(chain, key).map_err(|e| TlsError {
            key: "key_file",
            path: key_path.clone(),
            why: format!("does not fit the certificate: {e}"),
        })?;
        let with_alpn = |protocol: &[u8]| {
            let mut config = server.clone();
            config.alpn_protocols = vec![protocol.to_vec()];
            Arc::new(config)
        };
        Ok(Loaded {
            grpc: with_alpn(b"h2"),
            http: with_alpn(b"http/1.1"),
            stamp,
        })
    }

    /// An acceptor with the settings as last read.
    pub fn acceptor(&self, port: Port) -> TlsAcceptor {
        let loaded = self.current.read().unwrap_or_else(PoisonError::into_inner);
        TlsAcceptor::from(match port {
            Port::Grpc => loaded.grpc.clone(),
            Port::Http => loaded.http.clone(),
        })
    }

    /// Reads the files again if `force` or if they changed since they were last read.
    /// Returns whether new settings are now in use.
    pub fn reload(&self, force: bool) -> bool {
        let unchanged = {
            let loaded = self.current.read().unwrap_or_else(PoisonError::into_inner);
            loaded.stamp == Self::stamp(&self.config)
        };
        if unchanged && !force {
            return false;
        }
        match Self::read_files(&self.config) {
            Ok(loaded) => {
                *self.current.write().unwrap_or_else(PoisonError::into_inner) = loaded;
                tracing::info!("TLS certificate and keys read again");
                true
            }
            Err(e) => {
                // Not tried again until a file changes once more (or SIGHUP).
                self.current
                    .write()
                    .unwrap_or_else(PoisonError::into_inner)
                    .stamp = Self::stamp(&self.config);
                tracing::error!(error = %e, "TLS files changed but cannot be used; still serving the previous certificate");
                false
            }
        }
    }
}

/// Until `stop`: reads the TLS files again on SIGHUP, and when they change (checked every
/// `reload_check_secs`). Without TLS a SIGHUP is only logged: `systemctl reload` must never
/// end the process, which is what SIGHUP does by default.
/// `hangup` is from `hangups()`, called before the process says it is listening: from then
/// on a SIGHUP cannot end it.
pub async fn watch(tls: Option<Arc<Tls>>, mut hangup: Hangups, mut stop: watch::Receiver<bool>) {
    let every = Duration::from_secs(tls.as_ref().map_or(3600, |t| t.config.reload_check_secs));
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {
                if let Some(tls) = &tls {
                    tls.reload(false);
                }
            }
            _ = next(&mut hangup) => match &tls {
                Some(tls) => { tls.reload(true); }
                None => tracing::info!("SIGHUP: no TLS files to read again"),
            },
            _ = stop.wait_for(|s| *s) => return,
        }
    }
}

/// The process's SIGHUPs, once taken over from the default action (exit).
#[cfg(unix)]
pub type Hangups = Option<tokio::signal::unix::Signal>;
#[cfg(not(unix))]
pub type Hangups = Option<()>;

#[cfg(unix)]
pub fn hangups() -> Hangups {
    use tokio::signal::unix::{SignalKind, signal};
    signal(SignalKind::hangup()).ok()
}

#[cfg(not(unix))]
pub fn hangups() -> Hangups {
    None
}

/// The next SIGHUP; never, where there are none.
async fn next(hangups: &mut Hangups) {
    #[cfg(unix)]
    if let Some(signal) = hangups {
        if signal.recv().await.is_some() {
            return;
        }
    }
    #[cfg(not(unix))]
    let _ = hangups;
    std::future::pending::<()>().await
}
