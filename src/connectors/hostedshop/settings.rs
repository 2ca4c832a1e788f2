//! `[profiles.NAME.hostedshop]`: where the shop's SOAP API is and how fast to call it.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
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
