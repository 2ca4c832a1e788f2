//! The registry of connectors: which systems shopsync talks to and the credentials each needs.
//! Commands that work for any profile (`auth`, `doctor`, `setup`) ask here instead of matching
//! on vendors themselves.

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
    HeyloyaltyKey,
    HeyloyaltySecret,
    HeyloyaltyWebhook,
    HostedshopUser,
    HostedshopPassword,
}

impl System {
    /// Every credential, in the order `auth set --help` lists them.
    pub const EVERY: [System; 12] = [
        System::Shopify,
        System::Hubspot,
        System::Huddle,
        System::TellixUsername,
        System::TellixPassword,
        System::TellixApikey,
        System::ShopifySecret,
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

    /// The systems `profile` has credentials for, in report order: shopify + hubspot,
    /// shopify + huddle (+ the optional app secret), shopify (+ Tellix's three).
    pub fn of_profile(profile: &crate::config::profile::Profile) -> Vec<System> {
        use crate::config::profile::{BackOfficeKind, TargetKind};
        match profile.target {
            TargetKind::Hubspot => vec![System::Shopify, System::Hubspot],
            TargetKind::Huddle => vec![System::Shopify, System::Huddle, System::ShopifySecret],
            TargetKind::Heyloyalty => vec![
                System::HostedshopUser,
                System::HostedshopPassword,
                System::HeyloyaltyKey,
                System::HeyloyaltySecret,
                System::HeyloyaltyWebhook,
            ],
            TargetKind::Backoffice => {
                let mut out = vec![System::Shopify];
                if profile.backoffice.as_ref().map(|b| b.kind) == Some(BackOfficeKind::Tellix) {
                    out.extend(System::TELLIX);
                }
                out
            }
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            System::Shopify => "shopify",
            System::Hubspot => "hubspot",
            System::Huddle => "huddle",
            System::TellixUsername => "tellix-username",
            System::TellixPassword => "tellix-password",
            System::TellixApikey => "tellix-apikey",
            System::ShopifySecret => "shopify-secret",
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
