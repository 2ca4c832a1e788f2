//! `[profiles.NAME.hostedshop]`: where the shop's SOAP API is and how fast to call it.

use serde::Deserialize;

use crate::connectors::settings::{check_base_url, Context, Settings};
use crate::error::CliError;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostedShopSettings {
    /// The SOAP endpoint [default: `https://api.hostedshop.io/service.php`].
    pub endpoint: Option<String>,
    /// Calls per second [default: 4; the docs ask for at most 5].
    pub calls_per_second: Option<f64>,
}

impl HostedShopSettings {
    pub fn endpoint(&self) -> String {
        self.endpoint
            .clone()
            .unwrap_or_else(|| super::soap::ENDPOINT.to_string())
    }
}

impl Settings for HostedShopSettings {
    const TABLE: &'static str = "hostedshop";

    /// Every key has a default.
    fn absent(_: &Context) -> Result<Self, CliError> {
        Ok(HostedShopSettings::default())
    }

    fn validate(&self, ctx: &Context) -> Result<(), CliError> {
        if let Some(url) = &self.endpoint {
            check_base_url(url).map_err(|why| {
                CliError::config(format!(
                    "`endpoint` {} (hostedshop) is not a usable URL: {why}",
                    ctx.here
                ))
                .hint("write it as http(s)://HOST[:PORT]/PATH, or remove it")
            })?;
            ctx.check_cleartext(url, "hostedshop")?;
        }
        Ok(())
    }

    fn urls(&self) -> Vec<String> {
        self.endpoint.iter().cloned().collect()
    }
}
