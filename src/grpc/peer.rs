//! Who is at the other end of a call's connection: the client certificate it presented
//! under mutual TLS, verified against `server.tls.client_ca_file` in the handshake. An API
//! key or the operator key may be bound to certificate names, so a key copied elsewhere is
//! useless without a certificate issued for the service it belongs to.

use std::sync::Arc;

use rustls::pki_types::{CertificateDer, ServerName};

/// The connection's client certificate, if it presented one. Put in each request's
/// extensions by the server for every connection.
#[derive(Clone, Default)]
pub struct Peer {
    pub certificate: Option<Arc<CertificateDer<'static>>>,
}

impl Peer {
    /// Whether the client certificate is valid for one of `names` (DNS names in its subject
    /// alternative names, as RFC 6125 matches them; the common name is not read).
    pub fn is_named(&self, names: &[String]) -> bool {
        let Some(der) = &self.certificate else {
            return false;
        };
        let Ok(cert) = webpki::EndEntityCert::try_from(der.as_ref()) else {
            return false;
        };
        names.iter().any(|name| {
            ServerName::try_from(name.as_str())
                .is_ok_and(|n| cert.verify_is_valid_for_subject_name(&n).is_ok())
        })
    }
}
