//! `[profiles.NAME.huddle]`: the Huddle that receives members.

use serde::Deserialize;

use crate::connectors::settings::{check_base_url, Context, Settings};
use crate::error::CliError;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HuddleSettings {
    /// The Huddle's own domain, e.g. `leden.example.nl` (as in its webhook URL).
    pub domain: String,
    /// Where Huddle is reached [default: `https://{domain}`].
    pub base_url: Option<String>,
}

impl Settings for HuddleSettings {
    const TABLE: &'static str = "huddle";

    fn absent(ctx: &Context) -> Result<Self, CliError> {
        Err(CliError::config(format!(
            "the profile `{}` sends to Huddle but has no [profiles.{}.huddle] table",
            ctx.profile, ctx.profile
        ))
        .hint(format!(
            "add it {} with `domain = \"leden.example.nl\"`",
            ctx.here
        )))
    }

    fn validate(&self, ctx: &Context) -> Result<(), CliError> {
        let here = ctx.here;
        let d = self.domain.trim();
        if d.is_empty() || d.contains('/') || d.contains(char::is_whitespace) {
            return Err(CliError::config(format!(
                "`domain = \"{}\"` {here} (huddle) is not a domain",
                self.domain
            ))
            .hint("write the host name only, e.g. `domain = \"leden.example.nl\"`"));
        }
        if let Some(url) = &self.base_url {
            check_base_url(url).map_err(|why| {
                CliError::config(format!(
                    "`base_url = \"{url}\"` {here} (huddle) is not a usable URL: {why}"
                ))
                .hint("write it as http(s)://HOST[:PORT], or remove it")
            })?;
            ctx.check_cleartext(url, "huddle")?;
        }
        Ok(())
    }

    fn urls(&self) -> Vec<String> {
        self.base_url.iter().cloned().collect()
    }
}

impl HuddleSettings {
    /// Base URL of the Huddle, without a trailing slash.
    pub fn api_base_url(&self) -> String {
        match &self.base_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!("https://{}", self.domain.trim()),
        }
    }
}
