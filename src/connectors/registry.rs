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
}

impl System {
    /// Every credential, in the order `auth set --help` lists them.
    pub const EVERY: [System; 7] = [
        System::Shopify,
        System::Hubspot,
        System::Huddle,
        System::TellixUsername,
        System::TellixPassword,
        System::TellixApikey,
        System::ShopifySecret,
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
        }
    }

    /// Whether a profile works without this credential.
    pub fn optional(self) -> bool {
        self == System::ShopifySecret
    }
}

impl std::fmt::Display for System {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
