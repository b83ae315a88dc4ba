//! WeChat Pay v3 signatures and callback decryption: the messages signed (with
//! `provider::keys::sign`) for requests, responses and JSAPI/app invocations, the
//! Authorization header, and AES-256-GCM resources.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// `METHOD\nURL\ntimestamp\nnonce\nbody\n`: what a merchant signs for each request. `url` is
/// the path plus `?query`; `body` is exactly the bytes sent (empty for GET).
pub fn request_message(method: &str, url: &str, timestamp: i64, nonce: &str, body: &str) -> String {
    format!("{method}\n{url}\n{timestamp}\n{nonce}\n{body}\n")
}

/// `timestamp\nnonce\nbody\n`: what the platform signs on responses and callbacks.
pub fn platform_message(timestamp: &str, nonce: &str, body: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(body.len() + 64);
    m.extend_from_slice(timestamp.as_bytes());
    m.push(b'\n');
    m.extend_from_slice(nonce.as_bytes());
    m.push(b'\n');
    m.extend_from_slice(body);
    m.push(b'\n');
    m
}

/// Lines joined with `\n`, each followed by one: the JSAPI and app invocation message.
pub fn lines_message(lines: &[&str]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// The `Authorization` header value of a signed request.
pub fn authorization(
    mchid: &str,
    serial_no: &str,
    timestamp: i64,
    nonce: &str,
    signature: &str,
) -> String {
    format!(
        "WECHATPAY2-SHA256-RSA2048 mchid=\"{mchid}\",nonce_str=\"{nonce}\",timestamp=\"{timestamp}\",serial_no=\"{serial_no}\",signature=\"{signature}\""
    )
}

/// Decrypts a callback resource: AES-256-GCM with the APIv3 key, the 12-byte UTF-8 nonce and
/// the associated data; `ciphertext` is base64 of ciphertext ‖ 16-byte tag.
pub fn decrypt(
    api_v3_key: &[u8],
    nonce: &str,
    associated_data: &str,
    ciphertext: &str,
) -> Option<Vec<u8>> {
    if api_v3_key.len() != 32 || nonce.len() != 12 {
        return None;
    }
    let cipher = Aes256Gcm::new_from_slice(api_v3_key).ok()?;
    let data = STANDARD.decode(ciphertext).ok()?;
    cipher
        .decrypt(
            Nonce::from_slice(nonce.as_bytes()),
            Payload {
                msg: &data,
                aad: associated_data.as_bytes(),
            },
        )
        .ok()
}

/// A random 32-character nonce of letters and digits.
pub fn nonce() -> String {
    use rand::Rng;
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut rng = rand::rng();
    (0..32)
        .map(|_| CHARS[rng.random_range(0..CHARS.len())] as char)
        .collect()
}
