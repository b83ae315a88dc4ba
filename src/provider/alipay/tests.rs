//! Fixed vectors: keys and signatures computed with OpenSSL, checked in under tests/data.

use super::*;
use crate::provider::keys;

const MERCHANT_KEY: &str = include_str!("../../../tests/data/keys/merchant_pkcs8.pem");
const PLATFORM_PUBLIC: &str = include_str!("../../../tests/data/keys/alipay_platform_public.pem");
const REQUEST: &str = include_str!("../../../tests/data/keys/vector_alipay_request.txt");
const REQUEST_SIG: &str = include_str!("../../../tests/data/keys/vector_alipay_request.sig");
const RESPONSE: &str = include_str!("../../../tests/data/keys/vector_alipay_response.json");

fn platform() -> VerifyingKey<Sha256> {
    VerifyingKey::new(keys::public_key(PLATFORM_PUBLIC).unwrap())
}

#[test]
fn request_signatures_match_openssl() {
    let key = SigningKey::<Sha256>::new(keys::private_key(MERCHANT_KEY).unwrap());
    assert_eq!(keys::sign(&key, REQUEST.as_bytes()), REQUEST_SIG.trim());
    let params: BTreeMap<String, String> = REQUEST
        .split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_owned(), v.to_owned())
        })
        .collect();
    assert_eq!(signing_string(&params, &["sign"]), REQUEST);
}

#[test]
fn answers_are_verified_over_the_raw_inner_text() {
    let inner = parse_answer(&platform(), "alipay.trade.precreate", RESPONSE.as_bytes()).unwrap();
    assert_eq!(inner["qr_code"], "https://qr.alipay.com/bax03431");

    // Re-serialising would change `\/` and `\u4e2d`, so a verifier that re-serialises fails;
    // and any change to the text is caught.
    let tampered = RESPONSE.replace("bax03431", "bax03432");
    assert!(matches!(
        parse_answer(&platform(), "alipay.trade.precreate", tampered.as_bytes()),
        Err(CallError::Transport(f)) if f.code == "RESPONSE_SIGNATURE_INVALID"
    ));
    assert!(matches!(
        parse_answer(&platform(), "alipay.trade.query", RESPONSE.as_bytes()),
        Err(CallError::Transport(f)) if f.code == "MALFORMED_RESPONSE"
    ));
}

#[test]
fn the_error_table_classifies_answers() {
    assert_eq!(
        classify("40004", "ACQ.TOTAL_FEE_EXCEED"),
        FailureKind::Declined
    );
    assert_eq!(
        classify("40004", "ACQ.SYSTEM_ERROR"),
        FailureKind::Ambiguous
    );
    assert_eq!(
        classify("40004", "ACQ.TRADE_HAS_SUCCESS"),
        FailureKind::Ambiguous
    );
    assert_eq!(
        classify("40002", "isv.invalid-signature"),
        FailureKind::NotProcessed
    );
    assert_eq!(
        classify("20000", "isp.unknow-error"),
        FailureKind::Ambiguous
    );
    assert_eq!(classify("99999", ""), FailureKind::Ambiguous);
}

proptest::proptest! {
    #[test]
    fn arbitrary_answers_never_panic(body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
        let _ = parse_answer(&platform(), "alipay.trade.precreate", &body);
    }
}
