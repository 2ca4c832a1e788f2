//! `[profiles.NAME.spotler]`: the Spotler Mail+ account and its field map.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::connectors::settings::{check_base_url, Context, Settings};
use crate::error::CliError;

/// `[profiles.NAME.spotler]`: the Spotler Mail+ account and the field map.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpotlerSettings {
    /// Where the REST API is reached [default:
    /// `https://restapi.mailplus.nl/integrationservice-1.1.0`].
    pub base_url: Option<String>,
    /// Spotler property = shop field, over the default map (`""` unmaps a property).
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// Spotler permission bit = yes/no shop field [default: the account's first bit = the
    /// `permission_field`].
    #[serde(default)]
    pub permissions: BTreeMap<String, String>,
}

impl Settings for SpotlerSettings {
    const TABLE: &'static str = "spotler";

    /// Every key has a default.
    fn absent(_: &Context) -> Result<Self, CliError> {
        Ok(SpotlerSettings::default())
    }

    fn validate(&self, ctx: &Context) -> Result<(), CliError> {
        if let Some(url) = &self.base_url {
            check_base_url(url).map_err(|why| {
                CliError::config(format!(
                    "`base_url = \"{url}\"` {} (spotler) is not a usable URL: {why}",
                    ctx.here
                ))
                .hint("write it as https://restapi.mailplus.nl/integrationservice-1.1.0, or remove it")
            })?;
            ctx.check_cleartext(url, "spotler")?;
        }
        Ok(())
    }

    fn urls(&self) -> Vec<String> {
        self.base_url.iter().cloned().collect()
    }
}

impl SpotlerSettings {
    /// Base URL of the Spotler REST API, without a trailing slash.
    pub fn api_base_url(&self) -> String {
        self.base_url
            .as_deref()
            .unwrap_or(super::DEFAULT_BASE_URL)
            .trim_end_matches('/')
            .to_string()
    }
}
