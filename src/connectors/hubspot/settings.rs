//! `[profiles.NAME.hubspot]`: the HubSpot account records are written to.

use serde::Deserialize;

use crate::connectors::settings::{check_base_url, Context, Settings};
use crate::error::CliError;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HubSpotSettings {
    /// Where the CRM API is reached [default: `https://api.hubapi.com`].
    pub base_url: Option<String>,
    /// Label of the deal pipeline orders go to; created when missing [default: "Ecommerce"].
    pub pipeline: Option<String>,
}

impl Settings for HubSpotSettings {
    const TABLE: &'static str = "hubspot";

    /// Every key has a default.
    fn absent(_: &Context) -> Result<Self, CliError> {
        Ok(HubSpotSettings::default())
    }

    fn validate(&self, ctx: &Context) -> Result<(), CliError> {
        if let Some(url) = &self.base_url {
            check_base_url(url).map_err(|why| {
                CliError::config(format!(
                    "`base_url = \"{url}\"` {} (hubspot) is not a usable URL: {why}",
                    ctx.here
                ))
                .hint(
                    "write it as http(s)://HOST[:PORT], e.g. https://api.hubapi.com, or remove it",
                )
            })?;
            ctx.check_cleartext(url, "hubspot")?;
        }
        Ok(())
    }

    fn urls(&self) -> Vec<String> {
        self.base_url.iter().cloned().collect()
    }
}

impl HubSpotSettings {
    /// Base URL of the CRM API, without a trailing slash.
    pub fn api_base_url(&self) -> String {
        self.base_url
            .as_deref()
            .unwrap_or("https://api.hubapi.com")
            .trim_end_matches('/')
            .to_string()
    }

    /// The label of the deal pipeline orders go to.
    pub fn pipeline_label(&self) -> String {
        self.pipeline.clone().unwrap_or_else(|| "Ecommerce".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_a_pipeline() {
        let ctx = Context {
            profile: "acme",
            here: "in [profiles.acme] of x.toml",
            allow_insecure_http: false,
        };
        let h = HubSpotSettings::absent(&ctx).unwrap();
        assert_eq!(h.api_base_url(), "https://api.hubapi.com");
        assert_eq!(h.pipeline_label(), "Ecommerce");
        let h: HubSpotSettings = toml::from_str("pipeline = \"Webshop\"").unwrap();
        h.validate(&ctx).unwrap();
        assert_eq!(h.pipeline_label(), "Webshop");
    }
}
