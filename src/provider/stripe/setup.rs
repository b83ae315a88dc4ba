//! A Stripe channel's config (`[channels.stripe]`) and how its adapter is built.

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Settings, Stripe};
use crate::provider::Provider;
use crate::provider::keys::KeyReader;
use crate::provider::registry::{self, Context, SetupError};

/// The keys a Stripe channel owns.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub stripe: StripeConfig,
}

/// A Stripe account: the secret API key and the webhook endpoint's signing secret, each
/// from a file or an environment variable.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StripeConfig {
    #[serde(default)]
    pub secret_key_file: Option<PathBuf>,
    #[serde(default)]
    pub secret_key_env: Option<String>,
    #[serde(default)]
    pub webhook_secret_file: Option<PathBuf>,
    #[serde(default)]
    pub webhook_secret_env: Option<String>,
    #[serde(default = "default_base")]
    pub base_url: String,
}

fn default_base() -> String {
    "https://api.stripe.com".into()
}

impl registry::Setup for Stripe {
    const NAME: &'static str = "stripe";
    type Section = Section;

    fn check(Section { stripe: s }: &Section) -> Result<(), (String, String)> {
        registry::one_source("stripe.secret_key", &s.secret_key_file, &s.secret_key_env)?;
        registry::one_source(
            "stripe.webhook_secret",
            &s.webhook_secret_file,
            &s.webhook_secret_env,
        )?;
        registry::http_url("stripe.base_url", &s.base_url)
    }

    fn build(Section { stripe: s }: Section, c: &Context) -> Result<Arc<dyn Provider>, SetupError> {
        let keys = KeyReader::new(c, "stripe");
        let settings = Settings {
            secret_key: keys.secret(
                "secret_key_file",
                s.secret_key_file.as_deref(),
                s.secret_key_env.as_deref(),
            )?,
            webhook_secret: keys.secret(
                "webhook_secret_file",
                s.webhook_secret_file.as_deref(),
                s.webhook_secret_env.as_deref(),
            )?,
            base_url: s.base_url.trim_end_matches('/').to_owned(),
        };
        Ok(Arc::new(Stripe::new(
            settings,
            c.executor.clone(),
            c.clock.clone(),
        )))
    }
}
