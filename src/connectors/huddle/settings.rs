//! `[profiles.NAME.huddle]`: the Huddle that receives members.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HuddleSettings {
    /// The Huddle's own domain, e.g. `leden.example.nl` (as in its webhook URL).
    pub domain: String,
    /// Where Huddle is reached [default: `https://{domain}`].
    pub base_url: Option<String>,
}
