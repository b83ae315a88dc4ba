//! The `[server]` section: the two ports, their TLS, and the bounds on what a client (one
//! that has not authenticated yet included) can make the server hold.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{ConfigError, bad};
use crate::domain::Secret;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    pub grpc_addr: SocketAddr,
    pub http_addr: SocketAddr,
    /// How buyers and providers reach the HTTP port (checkout links, callback URLs). Defaults
    /// to `http://` + the bound HTTP address.
    pub public_url: Option<String>,
    /// The key AdminService calls must carry. AdminService refuses every call without one.
    pub operator_key: Option<Secret<String>>,
    /// How long a shutdown waits for in-flight requests.
    pub shutdown_grace_secs: u64,
    /// A tracing filter, e.g. `info` or `paycore=debug,info`.
    pub log: String,
    /// How log lines are written: `human` or `json` (one object a line).
    pub log_format: LogFormat,
    /// Serve cleartext on an address other than loopback. Without TLS that needs saying.
    pub allow_plaintext: bool,
    /// Most connections each port holds; one more is closed at once (and counted).
    pub max_connections: u32,
    /// How long a new connection has for its TLS handshake, and then for its first request
    /// bytes (the HTTP/2 preface on gRPC).
    pub handshake_timeout_ms: u64,
    /// HTTP port: how long a request's headers may take to arrive.
    pub header_timeout_ms: u64,
    /// gRPC port: the most calls one connection may have open at once.
    pub max_concurrent_streams: u32,
    /// gRPC port: the most health Watch and reflection streams, which need no key, open on
    /// this node at once.
    pub max_keyless_streams: u32,
    /// gRPC port: an HTTP/2 ping every this often; a peer that does not answer within as
    /// long again is disconnected.
    pub keepalive_secs: u64,
    /// Both ports' TLS; off unless `cert_file` is set.
    pub tls: TlsConfig,
}

/// TLS 1.2 and 1.3 on both ports, from PEM files read at start and again whenever they
/// change (or on SIGHUP).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct TlsConfig {
    /// The certificate chain, leaf first.
    pub cert_file: Option<PathBuf>,
    /// The certificate's private key (PKCS#8, PKCS#1 or SEC1).
    pub key_file: Option<PathBuf>,
    /// Mutual TLS: the CA certificates client certificates must chain to. A client without
    /// one that does is refused in the handshake.
    pub client_ca_file: Option<PathBuf>,
    /// How often the files are checked for a change.
    pub reload_check_secs: u64,
    /// Mutual TLS: the operator key is accepted only from clients whose certificate is for
    /// one of these DNS names; empty: any client the CA vouches for.
    pub operator_client_names: Vec<String>,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Human,
    Json,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            grpc_addr: SocketAddr::from(([127, 0, 0, 1], 50051)),
            http_addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
            operator_key: None,
            shutdown_grace_secs: 30,
            log: "info".into(),
            log_format: LogFormat::Human,
            allow_plaintext: false,
            max_connections: 1024,
            handshake_timeout_ms: 10_000,
            header_timeout_ms: 10_000,
            max_concurrent_streams: 128,
            max_keyless_streams: 256,
            keepalive_secs: 30,
            tls: TlsConfig::default(),
        }
    }
}

impl Default for TlsConfig {
    fn default() -> Self {
        Self {
            cert_file: None,
            key_file: None,
            client_ca_file: None,
            reload_check_secs: 10,
            operator_client_names: Vec::new(),
        }
    }
}

impl ServerConfig {
    /// Whether the ports speak TLS.
    pub fn tls_enabled(&self) -> bool {
        self.tls.cert_file.is_some()
    }

    /// How buyers and providers reach the HTTP port bound at `http_addr`: `public_url`, or
    /// else the address itself, over https when TLS is on.
    pub fn public_url_for(&self, http_addr: SocketAddr) -> String {
        let scheme = if self.tls_enabled() { "https" } else { "http" };
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("{scheme}://{http_addr}"))
    }

    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        let tls = &self.tls;
        if tls.cert_file.is_some() != tls.key_file.is_some() {
            return Err(bad(
                "server.tls.key_file",
                "cert_file and key_file are set together",
            ));
        }
        if tls.client_ca_file.is_some() && tls.cert_file.is_none() {
            return Err(bad(
                "server.tls.client_ca_file",
                "mutual TLS needs server.tls.cert_file and key_file too",
            ));
        }
        if !tls.operator_client_names.is_empty() && tls.client_ca_file.is_none() {
            return Err(bad(
                "server.tls.operator_client_names",
                "binding the operator key to client certificates needs client_ca_file",
            ));
        }
        if let Some(name) = tls
            .operator_client_names
            .iter()
            .find(|n| !crate::domain::merchant::valid_client_name(n))
        {
            return Err(bad(
                "server.tls.operator_client_names",
                format!("{name:?} is not a DNS name"),
            ));
        }
        if tls.reload_check_secs == 0 {
            return Err(bad("server.tls.reload_check_secs", "must be positive"));
        }
        if !self.tls_enabled() && !self.allow_plaintext {
            for (key, addr) in [
                ("server.grpc_addr", self.grpc_addr),
                ("server.http_addr", self.http_addr),
            ] {
                if !addr.ip().is_loopback() {
                    return Err(bad(
                        key,
                        format!(
                            "{addr} is not a loopback address: set server.tls (cert_file, \
                             key_file), or server.allow_plaintext = true to serve cleartext"
                        ),
                    ));
                }
            }
        }
        for (key, value) in [
            ("server.max_connections", u64::from(self.max_connections)),
            ("server.handshake_timeout_ms", self.handshake_timeout_ms),
            ("server.header_timeout_ms", self.header_timeout_ms),
            (
                "server.max_concurrent_streams",
                u64::from(self.max_concurrent_streams),
            ),
            ("server.keepalive_secs", self.keepalive_secs),
            (
                "server.max_keyless_streams",
                u64::from(self.max_keyless_streams),
            ),
        ] {
            if value == 0 {
                return Err(bad(key, "must be positive"));
            }
        }
        Ok(())
    }
}
