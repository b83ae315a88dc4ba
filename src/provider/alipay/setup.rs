//! An Alipay channel's config (`[channels.alipay]`) and how its adapter is built.

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Alipay, Settings};
use crate::provider::Provider;
use crate::provider::keys::KeyReader;
use crate::provider::registry::{self, Context, SetupError};

/// The keys an Alipay channel owns.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub alipay: AlipayConfig,
}

/// An Alipay account. Keys are PEM (PKCS#1 or PKCS#8), from a file or from an environment
/// variable named here; they are read once at start-up and never logged.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AlipayConfig {
    pub app_id: String,
    #[serde(default)]
    pub private_key_file: Option<PathBuf>,
    #[serde(default)]
    pub private_key_env: Option<String>,
    #[serde(default)]
    pub alipay_public_key_file: Option<PathBuf>,
    #[serde(default)]
    pub alipay_public_key_env: Option<String>,
    #[serde(default = "default_gateway")]
    pub gateway_url: String,
    /// Where Alipay posts notifications; defaults to `{public_url}/callbacks/{channel id}`.
    #[serde(default)]
    pub notify_url: Option<String>,
}

fn default_gateway() -> String {
    "https://openapi.alipay.com/gateway.do".into()
}

impl registry::Setup for Alipay {
    const NAME: &'static str = "alipay";
    type Section = Section;

    fn check(Section { alipay: a }: &Section) -> Result<(), (String, String)> {
        if a.app_id.is_empty() {
            return Err(("alipay.app_id".into(), "must not be empty".into()));
        }
        registry::one_source(
            "alipay.private_key",
            &a.private_key_file,
            &a.private_key_env,
        )?;
        registry::one_source(
            "alipay.alipay_public_key",
            &a.alipay_public_key_file,
            &a.alipay_public_key_env,
        )?;
        registry::http_url("alipay.gateway_url", &a.gateway_url)
    }

    fn build(Section { alipay: a }: Section, c: &Context) -> Result<Arc<dyn Provider>, SetupError> {
        let keys = KeyReader::new(c, "alipay");
        let settings = Settings {
            private_key: keys.private(
                "private_key_file",
                a.private_key_file.as_deref(),
                a.private_key_env.as_deref(),
            )?,
            alipay_public_key: keys.public(
                "alipay_public_key_file",
                a.alipay_public_key_file.as_deref(),
                a.alipay_public_key_env.as_deref(),
            )?,
            notify_url: c.notify_url(a.notify_url.as_deref()),
            app_id: a.app_id,
            gateway_url: a.gateway_url,
        };
        Ok(Arc::new(Alipay::new(
            settings,
            c.executor.clone(),
            c.clock.clone(),
        )))
    }
}
