//! `[profiles.NAME.hubspot]`: the HubSpot account records are written to.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HubSpotSettings {
    /// Where the CRM API is reached [default: `https://api.hubapi.com`].
    pub base_url: Option<String>,
    /// Label of the deal pipeline orders go to; created when missing [default: "Ecommerce"].
    pub pipeline: Option<String>,
}
