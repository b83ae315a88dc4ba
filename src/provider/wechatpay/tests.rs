//! Fixed vectors computed with OpenSSL and Python's cryptography package, under tests/data.

use super::*;
use crate::provider::keys;

const MERCHANT_KEY: &str = include_str!("../../../tests/data/keys/merchant_pkcs8.pem");
const REQUEST: &str = include_str!("../../../tests/data/keys/vector_wechat_request.txt");
const REQUEST_SIG: &str = include_str!("../../../tests/data/keys/vector_wechat_request.sig");
const RESOURCE: &str = include_str!("../../../tests/data/keys/vector_wechat_resource.txt");

#[test]
fn request_signatures_match_openssl() {
    let key = SigningKey::<Sha256>::new(keys::private_key(MERCHANT_KEY).unwrap());
    let message = crypto::request_message(
        "POST",
        "/v3/pay/transactions/native",
        1_795_320_000,
        "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
        r#"{"appid":"wxd678efh567hg6787","mchid":"1230000109"}"#,
    );
    assert_eq!(message, REQUEST);
    assert_eq!(keys::sign(&key, message.as_bytes()), REQUEST_SIG.trim());
}

#[test]
fn resources_decrypt_and_tampering_is_caught() {
    let key = b"0123456789abcdef0123456789abcdef";
    let plain = crypto::decrypt(key, "fdasflkja484", "transaction", RESOURCE.trim()).unwrap();
    assert_eq!(plain, br#"{"mchid":"1230000109","out_trade_no":"pay_01"}"#);
    assert_eq!(
        crypto::decrypt(key, "fdasflkja484", "other", RESOURCE.trim()),
        None
    );
    assert_eq!(
        crypto::decrypt(key, "fdasflkja485", "transaction", RESOURCE.trim()),
        None
    );
    assert_eq!(
        crypto::decrypt(&key[..31], "fdasflkja484", "transaction", RESOURCE.trim()),
        None
    );
    let mut bytes = base64::engine::general_purpose::STANDARD
        .decode(RESOURCE.trim())
        .unwrap();
    bytes[0] ^= 1;
    let tampered = base64::engine::general_purpose::STANDARD.encode(bytes);
    assert_eq!(
        crypto::decrypt(key, "fdasflkja484", "transaction", &tampered),
        None
    );
}

#[test]
fn the_error_table_classifies_answers() {
    assert_eq!(classify(401, "SIGN_ERROR"), FailureKind::NotProcessed);
    assert_eq!(classify(400, "PARAM_ERROR"), FailureKind::NotProcessed);
    assert_eq!(
        classify(429, "FREQUENCY_LIMITED"),
        FailureKind::NotProcessed
    );
    assert_eq!(classify(403, "ORDERPAID"), FailureKind::Ambiguous);
    assert_eq!(classify(403, "OUT_TRADE_NO_USED"), FailureKind::Declined);
    assert_eq!(classify(500, "SYSTEM_ERROR"), FailureKind::Ambiguous);
    assert_eq!(classify(502, ""), FailureKind::Ambiguous);
}

proptest::proptest! {
    #[test]
    fn decrypting_arbitrary_input_never_panics(nonce in ".{0,16}", aad in ".{0,16}", ct in ".{0,80}") {
        let _ = crypto::decrypt(b"0123456789abcdef0123456789abcdef", &nonce, &aad, &ct);
    }
}

use base64::Engine;
