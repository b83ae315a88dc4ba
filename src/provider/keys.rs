//! RSA keys for provider channels, read once at start-up from a PEM file or from an
//! environment variable: private keys as PKCS#8 or PKCS#1, public keys as SPKI, PKCS#1, or
//! the bare base64 body providers' consoles hand out. Key material is never logged.

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::rand_core::OsRng;
use rsa::signature::{RandomizedSigner, SignatureEncoding, Verifier};
use rsa::{RsaPrivateKey, RsaPublicKey};
use sha2::Sha256;

use super::registry::{Context, SetupError};
use crate::domain::Secret;
use crate::domain::secret::is_printable_ascii;

/// SHA256withRSA (PKCS#1 v1.5) over `message`, standard base64 with padding: how Alipay
/// (RSA2) and WeChat Pay v3 sign. The private-key operation is blinded with fresh randomness,
/// so its timing says nothing about the key (RUSTSEC-2023-0071 describes the unblinded
/// exposure); PKCS#1 v1.5 signatures come out the same either way.
pub fn sign(key: &SigningKey<Sha256>, message: &[u8]) -> String {
    STANDARD.encode(key.sign_with_rng(&mut OsRng, message).to_bytes())
}

/// Whether `signature` (base64) is `key`'s SHA256withRSA signature of `message`.
pub fn verify(key: &VerifyingKey<Sha256>, message: &[u8], signature: &str) -> bool {
    let Ok(bytes) = STANDARD.decode(signature.trim()) else {
        return false;
    };
    let Ok(signature) = Signature::try_from(bytes.as_slice()) else {
        return false;
    };
    key.verify(message, &signature).is_ok()
}

/// Reads key text (PEM, or a symmetric key) from `file` or from the environment variable
/// `env` (exactly one is set; config validation checks that).
pub fn read(file: Option<&Path>, env: Option<&str>) -> Result<String, String> {
    match (file, env) {
        (Some(path), _) => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display())),
        (None, Some(var)) => {
            std::env::var(var).map_err(|_| format!("environment variable {var} is not set"))
        }
        (None, None) => Err("no key configured".into()),
    }
}

pub fn private_key(pem: &str) -> Result<RsaPrivateKey, String> {
    let pem = pem.trim();
    RsaPrivateKey::from_pkcs8_pem(pem)
        .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem))
        .map_err(|_| "not an RSA private key in PKCS#8 or PKCS#1 PEM".to_owned())
}

pub fn public_key(text: &str) -> Result<RsaPublicKey, String> {
    let text = text.trim();
    let pem = if text.starts_with("-----BEGIN") {
        text.to_owned()
    } else {
        // The bare base64 of an SPKI key, as provider consoles show it; PEM wants 64-column
        // lines.
        let body: String = text.split_whitespace().collect();
        let lines: Vec<&str> = body
            .as_bytes()
            .chunks(64)
            .filter_map(|c| std::str::from_utf8(c).ok())
            .collect();
        format!(
            "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----",
            lines.join("\n")
        )
    };
    RsaPublicKey::from_public_key_pem(&pem)
        .or_else(|_| RsaPublicKey::from_pkcs1_pem(&pem))
        .map_err(|_| "not an RSA public key (SPKI or PKCS#1 PEM, or bare base64)".to_owned())
}

/// Reads one channel's key material; a failure names the config key, e.g.
/// `channels[0].alipay.private_key_file`.
pub struct KeyReader {
    prefix: String,
}

impl KeyReader {
    /// For the keys under `section` (`alipay`, …) of the channel `context` builds.
    pub fn new(context: &Context, section: &str) -> Self {
        Self {
            prefix: format!("{}.{section}", context.key),
        }
    }

    /// Turns a reason into an error naming `what`.
    pub fn fail(&self, what: &str) -> impl Fn(String) -> SetupError {
        let key = format!("{}.{what}", self.prefix);
        move |reason| SetupError {
            key: key.clone(),
            reason,
        }
    }

    /// A symmetric secret, trimmed.
    pub fn secret(
        &self,
        what: &str,
        file: Option<&Path>,
        env: Option<&str>,
    ) -> Result<Secret<String>, SetupError> {
        let key = read(file, env).map_err(self.fail(what))?;
        let key = key.trim();
        if !is_printable_ascii(key) {
            return Err(self.fail(what)(
                "must be printable ASCII with no spaces inside".into(),
            ));
        }
        Ok(Secret::new(key.to_owned()))
    }

    pub fn private(
        &self,
        what: &str,
        file: Option<&Path>,
        env: Option<&str>,
    ) -> Result<SigningKey<Sha256>, SetupError> {
        let pem = read(file, env).map_err(self.fail(what))?;
        Ok(SigningKey::new(private_key(&pem).map_err(self.fail(what))?))
    }

    pub fn public(
        &self,
        what: &str,
        file: Option<&Path>,
        env: Option<&str>,
    ) -> Result<VerifyingKey<Sha256>, SetupError> {
        let pem = read(file, env).map_err(self.fail(what))?;
        Ok(VerifyingKey::new(
            public_key(&pem).map_err(self.fail(what))?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PKCS8: &str = include_str!("../../tests/data/keys/merchant_pkcs8.pem");
    const PKCS1: &str = include_str!("../../tests/data/keys/alipay_platform_pkcs1.pem");
    const SPKI: &str = include_str!("../../tests/data/keys/merchant_public.pem");

    #[test]
    fn both_private_formats_and_every_public_form_load() {
        let merchant = private_key(PKCS8).unwrap();
        assert!(private_key(PKCS1).is_ok());
        let public = public_key(SPKI).unwrap();
        assert_eq!(public, merchant.to_public_key());
        let bare: String = SPKI.lines().filter(|l| !l.starts_with("-----")).collect();
        assert_eq!(public_key(&bare).unwrap(), public);
        assert!(private_key("nonsense").is_err());
        assert!(public_key("nonsense").is_err());
    }
}
