//! The systems shopsync holds a credential for: the names `auth`, the keyring and the
//! environment variables use.

/// A system shopsync holds a credential for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum System {
    Shopify,
    Hubspot,
    Huddle,
    TellixUsername,
    TellixPassword,
    TellixApikey,
    ShopifySecret,
    SpotlerKey,
    SpotlerSecret,
    ShopwareUser,
    ShopwareKey,
    HeyloyaltyKey,
    HeyloyaltySecret,
    HeyloyaltyWebhook,
    HostedshopUser,
    HostedshopPassword,
}

impl System {
    /// Every credential, in the order `auth set --help` lists them.
    pub const EVERY: [System; 16] = [
        System::Shopify,
        System::Hubspot,
        System::Huddle,
        System::TellixUsername,
        System::TellixPassword,
        System::TellixApikey,
        System::ShopifySecret,
        System::SpotlerKey,
        System::SpotlerSecret,
        System::ShopwareUser,
        System::ShopwareKey,
        System::HeyloyaltyKey,
        System::HeyloyaltySecret,
        System::HeyloyaltyWebhook,
        System::HostedshopUser,
        System::HostedshopPassword,
    ];

    /// What the credential is, where its name alone does not say.
    pub fn help(self) -> Option<&'static str> {
        match self {
            System::Shopify | System::Hubspot => None,
            System::Huddle => {
                Some("The Huddle API key (the last path segment of Huddle's webhook URL)")
            }
            System::TellixUsername => {
                Some("The Tellix Backoffice API user name (Tellix counts it as part of the login)")
            }
            System::TellixPassword => Some("The Tellix Backoffice API user's password"),
            System::TellixApikey => Some("The Tellix Backoffice API key"),
            System::ShopifySecret => Some(
                "The Shopify app's client secret (API secret key), optional: signs the orders \
                 `webhook replay` sends (X-Shopify-Hmac-Sha256) as Shopify signs its webhooks",
            ),
            System::SpotlerKey => Some("The Spotler Mail+ REST API consumer key (OAuth 1.0a)"),
            System::SpotlerSecret => Some("The Spotler Mail+ REST API consumer secret"),
            System::ShopwareUser => Some(
                "The Shopware 5 API user's name (Shopware 6: the integration's access key id)",
            ),
            System::ShopwareKey => Some(
                "The Shopware 5 API user's API key (Shopware 6: the integration's secret access key)",
            ),
            System::HeyloyaltyKey => Some("The Heyloyalty API key (Account > Integrations > API)"),
            System::HeyloyaltySecret => Some("The Heyloyalty API secret (signs every request)"),
            System::HeyloyaltyWebhook => Some(
                "A secret you choose, optional: `serve` accepts Heyloyalty's webhooks with it as \
                 the Basic-auth password or as the last path segment",
            ),
            System::HostedshopUser => {
                Some("The HostedShop (Wannafind, DanDomain Webshop) SOAP API user name")
            }
            System::HostedshopPassword => Some("The HostedShop SOAP API user's password"),
        }
    }

    /// The systems of a profile the profile file does not name.
    pub const ALL: [System; 2] = [System::Shopify, System::Hubspot];
    /// The three secrets of a Tellix back office.
    pub const TELLIX: [System; 3] = [
        System::TellixUsername,
        System::TellixPassword,
        System::TellixApikey,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            System::Shopify => "shopify",
            System::Hubspot => "hubspot",
            System::Huddle => "huddle",
            System::TellixUsername => "tellix-username",
            System::TellixPassword => "tellix-password",
            System::TellixApikey => "tellix-apikey",
            System::ShopifySecret => "shopify-secret",
            System::SpotlerKey => "spotler-key",
            System::SpotlerSecret => "spotler-secret",
            System::ShopwareUser => "shopware-user",
            System::ShopwareKey => "shopware-key",
            System::HeyloyaltyKey => "heyloyalty-key",
            System::HeyloyaltySecret => "heyloyalty-secret",
            System::HeyloyaltyWebhook => "heyloyalty-webhook",
            System::HostedshopUser => "hostedshop-user",
            System::HostedshopPassword => "hostedshop-password",
        }
    }

    /// Whether a profile works without this credential.
    pub fn optional(self) -> bool {
        matches!(self, System::ShopifySecret | System::HeyloyaltyWebhook)
    }
}

impl std::fmt::Display for System {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
