//! A sandbox channel's config and how its adapter is built.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::Sandbox;
use crate::domain::Secret;
use crate::domain::secret::is_printable_ascii;
use crate::provider::Provider;
use crate::provider::registry::{self, Context, SetupError};

/// The keys a sandbox channel owns.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
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
        if let Some(s) = &section.secret
            && !(s.expose().len() >= 16 && is_printable_ascii(s.expose()))
        {
            return Err((
                "secret".into(),
                "must be at least 16 printable ASCII characters, no spaces".into(),
            ));
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
