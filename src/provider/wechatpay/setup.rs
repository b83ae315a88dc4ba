//! A WeChat Pay channel's config (`[channels.wechatpay]`) and how its adapter is built.

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Settings, Wechatpay};
use crate::domain::Secret;
use crate::provider::Provider;
use crate::provider::keys::{self, KeyReader};
use crate::provider::registry::{self, Context, SetupError};

/// The keys a WeChat Pay channel owns.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub wechatpay: WechatpayConfig,
}

/// A WeChat Pay merchant account, API v3. Keys as for Alipay; the 32-byte APIv3 key from a
/// file or an environment variable.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WechatpayConfig {
    pub mchid: String,
    pub appid: String,
    /// Serial number of the merchant API certificate.
    pub merchant_serial_no: String,
    #[serde(default)]
    pub private_key_file: Option<PathBuf>,
    #[serde(default)]
    pub private_key_env: Option<String>,
    /// The WeChat Pay platform public key and its id (`PUB_KEY_ID_…` or a certificate serial).
    #[serde(default)]
    pub platform_public_key_file: Option<PathBuf>,
    #[serde(default)]
    pub platform_public_key_env: Option<String>,
    pub platform_serial: String,
    #[serde(default)]
    pub api_v3_key_file: Option<PathBuf>,
    #[serde(default)]
    pub api_v3_key_env: Option<String>,
    #[serde(default = "default_base")]
    pub base_url: String,
    /// Where WeChat Pay posts notifications; defaults to `{public_url}/callbacks/{channel id}`.
    #[serde(default)]
    pub notify_url: Option<String>,
}

fn default_base() -> String {
    "https://api.mch.weixin.qq.com".into()
}

impl registry::Setup for Wechatpay {
    const NAME: &'static str = "wechatpay";
    type Section = Section;

    fn check(Section { wechatpay: w }: &Section) -> Result<(), (String, String)> {
        for (field, value) in [
            ("mchid", &w.mchid),
            ("appid", &w.appid),
            ("merchant_serial_no", &w.merchant_serial_no),
            ("platform_serial", &w.platform_serial),
        ] {
            if value.is_empty() {
                return Err((format!("wechatpay.{field}"), "must not be empty".into()));
            }
        }
        registry::one_source(
            "wechatpay.private_key",
            &w.private_key_file,
            &w.private_key_env,
        )?;
        registry::one_source(
            "wechatpay.api_v3_key",
            &w.api_v3_key_file,
            &w.api_v3_key_env,
        )?;
        registry::one_source(
            "wechatpay.platform_public_key",
            &w.platform_public_key_file,
            &w.platform_public_key_env,
        )?;
        registry::http_url("wechatpay.base_url", &w.base_url)
    }

    fn build(
        Section { wechatpay: w }: Section,
        c: &Context,
    ) -> Result<Arc<dyn Provider>, SetupError> {
        let keys = KeyReader::new(c, "wechatpay");
        let api_v3_key = keys::read(w.api_v3_key_file.as_deref(), w.api_v3_key_env.as_deref())
            .map(|k| k.trim().to_owned())
            .and_then(|k| {
                (k.len() == 32)
                    .then(|| k.into_bytes())
                    .ok_or_else(|| "the APIv3 key must be 32 bytes".to_owned())
            })
            .map_err(keys.fail("api_v3_key_file"))?;
        let settings = Settings {
            private_key: keys.private(
                "private_key_file",
                w.private_key_file.as_deref(),
                w.private_key_env.as_deref(),
            )?,
            platform_key: keys.public(
                "platform_public_key_file",
                w.platform_public_key_file.as_deref(),
                w.platform_public_key_env.as_deref(),
            )?,
            api_v3_key: Secret::new(api_v3_key),
            base_url: w.base_url.trim_end_matches('/').to_owned(),
            notify_url: c.notify_url(w.notify_url.as_deref()),
            mchid: w.mchid,
            appid: w.appid,
            merchant_serial_no: w.merchant_serial_no,
            platform_serial: w.platform_serial,
        };
        Ok(Arc::new(Wechatpay::new(
            settings,
            c.executor.clone(),
            c.clock.clone(),
        )))
    }
}
