use super::*;
use crate::domain::SystemClock;

/// Builds a channel of `provider` from `section` (TOML) and returns the error it gives.
fn refused(provider: &str, section: &str) -> SetupError {
    let executor = Executor::new(std::time::Duration::from_secs(1)).unwrap();
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let context = Context {
        key: "channels[0]",
        channel_id: "c",
        public_url: "http://127.0.0.1:8080",
        executor: &executor,
        clock: &clock,
    };
    match build_provider(provider, &section.parse().unwrap(), &context) {
        Ok(_) => panic!("{provider} built from {section:?}"),
        Err(e) => e,
    }
}

#[test]
fn unknown_providers_are_refused_naming_the_known_ones() {
    let e = refused("paypal", "");
    assert_eq!(e.key, "channels[0].provider");
    assert!(
        e.reason.contains("sandbox, alipay, wechatpay, stripe"),
        "{e}"
    );
}

#[test]
fn a_section_of_another_provider_is_refused() {
    let e = refused("sandbox", "[alipay]\napp_id = \"1\"\n");
    assert_eq!(e.key, "channels[0]");
    assert!(e.reason.contains("alipay"), "{e}");
    let e = refused("wechatpay", "");
    assert!(e.reason.contains("wechatpay"), "{e}");
}

#[test]
fn keys_come_from_exactly_one_source() {
    let neither = refused(
        "alipay",
        "[alipay]\napp_id = \"1\"\nalipay_public_key_env = \"K\"\n",
    );
    assert_eq!(neither.key, "channels[0].alipay.private_key_file");
    let both = refused(
        "stripe",
        "[stripe]\nsecret_key_env = \"A\"\nsecret_key_file = \"/x\"\nwebhook_secret_env = \"B\"\n",
    );
    assert_eq!(both.key, "channels[0].stripe.secret_key_file");
}

#[test]
fn settings_are_checked_before_keys_are_read() {
    let e = refused(
        "alipay",
        "[alipay]\napp_id = \"\"\nprivate_key_file = \"/nonexistent\"\nalipay_public_key_env = \"K\"\n",
    );
    assert_eq!(e.key, "channels[0].alipay.app_id");
    let e = refused("sandbox", "secret = \"short\"\n");
    assert_eq!(e.key, "channels[0].secret");
}

#[test]
fn an_unreadable_key_names_its_config_key() {
    let e = refused(
        "alipay",
        "[alipay]\napp_id = \"1\"\nprivate_key_file = \"/nonexistent/key.pem\"\nalipay_public_key_env = \"K\"\n",
    );
    assert_eq!(e.key, "channels[0].alipay.private_key_file");
    assert!(e.reason.contains("/nonexistent/key.pem"), "{e}");
}
