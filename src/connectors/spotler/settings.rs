//! `[profiles.NAME.spotler]`: the Spotler Mail+ account and its field map.

use std::collections::BTreeMap;

use serde::Deserialize;

/// `[profiles.NAME.spotler]`: the Spotler Mail+ account and the field map.
#[derive(Debug, Clone, Deserialize)]
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
