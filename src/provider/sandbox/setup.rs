//! A sandbox channel's config and how its adapter is built.

use std::sync::Arc;

use serde::Deserialize;

use super::Sandbox;
use crate::domain::Secret;
use crate::provider::Provider;
use crate::provider::registry::{self, Context, SetupError};

/// The keys a sandbox channel owns.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// The key its notifications are signed with (random per process when unset).
    #[serde(default)]
    pub secret: Option<Secret<String>>,
}

impl registry::Setup for Sandbox {
    const NAME: &'static str = "sandbox";
    type Section = Section;

    fn check(section: &Section) -> Result<(), (String, String)> {
        if section
            .secret
            .as_ref()
            .is_some_and(|s| s.expose().len() < 16)
        {
            return Err(("secret".into(), "must be at least 16 characters".into()));
        }
        Ok(())
    }

    fn build(section: Section, c: &Context) -> Result<Arc<dyn Provider>, SetupError> {
        let secret = match section.secret {
            Some(s) => s.expose().as_bytes().to_vec(),
            None => {
                let mut key = vec![0u8; 32];
                rand::RngCore::fill_bytes(&mut rand::rng(), &mut key);
                key
            }
        };
        Ok(Arc::new(Sandbox::new(
            Secret::new(secret),
            c.public_url.to_owned(),
            c.clock.clone(),
        )))
    }
}
