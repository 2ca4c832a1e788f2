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

    /// The systems `profile` has credentials for, in report order: shopify + hubspot,
    /// shopify + huddle (+ the optional app secret), shopify (+ Tellix's three).
    pub fn of_profile(profile: &crate::config::profile::Profile) -> Vec<System> {
        use crate::config::profile::{BackOfficeKind, TargetKind};
        match profile.target {
            TargetKind::Hubspot => vec![System::Shopify, System::Hubspot],
            TargetKind::Huddle => vec![System::Shopify, System::Huddle, System::ShopifySecret],
            TargetKind::Spotler => vec![
                System::ShopwareUser,
                System::ShopwareKey,
                System::SpotlerKey,
                System::SpotlerSecret,
            ],
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

/// One answer the setup wizard asks for and writes as `[profiles.NAME.<table>] <key>`.
pub struct Setting {
    pub table: &'static str,
    pub key: &'static str,
    pub prompt: &'static str,
    /// One line shown before the prompt: where to find the value, what it is for.
    pub help: &'static str,
    /// Offered when the profile has no value yet; with `required: false` an empty answer
    /// leaves the key out (the connector's default applies).
    pub default: Option<&'static str>,
    pub required: bool,
    /// Checks an answer where it is given, and gives the value to write.
    pub check: fn(&str) -> Result<String, String>,
}

/// One thing the wizard asks, in order.
pub enum Ask {
    Setting(Setting),
    /// A secret: asked hidden, stored only after the connection tests.
    Credential {
        system: System,
        what: &'static str,
    },
}

/// A kind of profile the wizard can write: its `source` and `target`, keys with fixed values
/// (such as a back office's `kind`), and what it asks.
pub struct FlowSpec {
    pub title: &'static str,
    pub source: &'static str,
    pub target: &'static str,
    pub fixed: &'static [(&'static str, &'static str, &'static str)],
    pub asks: &'static [Ask],
    /// What the wizard does not ask and the user may still want to set by hand.
    pub more: &'static str,
}

/// Every flow, in the order the wizard offers them.
pub const FLOWS: &[FlowSpec] = &[
    FlowSpec {
        title: "Shopify -> HubSpot: products, customers and orders as CRM records",
        source: "shopify",
        target: "hubspot",
        fixed: &[],
        asks: &[
            super::shopify::setup::SETUP_SHOP,
            super::shopify::setup::SETUP_BASE_URL,
            super::shopify::setup::SETUP_TOKEN,
            super::hubspot::setup::SETUP_BASE_URL,
            super::hubspot::setup::SETUP_PIPELINE,
            super::hubspot::setup::SETUP_TOKEN,
        ],
        more: "",
    },
    FlowSpec {
        title: "Shopify -> Huddle: memberships for paid orders (webhook and backfill)",
        source: "shopify",
        target: "huddle",
        fixed: &[],
        asks: &[
            super::shopify::setup::SETUP_SHOP,
            super::shopify::setup::SETUP_BASE_URL,
            super::shopify::setup::SETUP_TOKEN,
            super::huddle::setup::SETUP_DOMAIN,
            super::huddle::setup::SETUP_BASE_URL,
            super::huddle::setup::SETUP_KEY,
        ],
        more: "map SKUs to membership levels next: `shopsync map-sku add` or `map-sku import`",
    },
    FlowSpec {
        title: "Tellix back office <-> Shopify: products out, stock and customers back",
        source: "shopify",
        target: "backoffice",
        fixed: &[("backoffice", "kind", "tellix")],
        asks: &[
            super::shopify::setup::SETUP_SHOP,
            super::shopify::setup::SETUP_BASE_URL,
            super::shopify::setup::SETUP_TOKEN,
            super::tellix::setup::SETUP_BASE_URL,
            super::tellix::setup::SETUP_PRICE_DEPARTMENT,
            super::tellix::setup::SETUP_USERNAME,
            super::tellix::setup::SETUP_PASSWORD,
            super::tellix::setup::SETUP_APIKEY,
        ],
        more: "warehouses -> Shopify locations for stock: [profiles.NAME.backoffice.warehouses] \
               (see profiles.example.toml)",
    },
    FlowSpec {
        title: "Back-office files <-> Shopify: a catalogue export in, customer and stock files out",
        source: "shopify",
        target: "backoffice",
        fixed: &[("backoffice", "kind", "files")],
        asks: &[
            super::shopify::setup::SETUP_SHOP,
            super::shopify::setup::SETUP_BASE_URL,
            super::shopify::setup::SETUP_TOKEN,
            super::files::setup::SETUP_CATALOGUE,
            super::files::setup::SETUP_CUSTOMERS_FILE,
            super::files::setup::SETUP_STOCK_FILE,
        ],
        more: "warehouses -> Shopify locations for stock: [profiles.NAME.backoffice.warehouses] \
               (see profiles.example.toml)",
    },
    FlowSpec {
        title: "Shopware 5 -> Spotler Mail+: customers as contacts; permissions and bounces back (for Shopware 6, set kind = \"6\" afterwards)",
        source: "shopware",
        target: "spotler",
        fixed: &[("shopware", "kind", "5")],
        asks: &[
            super::shopware::setup::SETUP_BASE_URL,
            super::shopware::setup::SETUP_KEY,
            super::shopware::setup::SETUP_USER,
            super::shopware::setup::SETUP_API_KEY,
            super::spotler::setup::SETUP_BASE_URL,
            super::spotler::setup::SETUP_CONSUMER_KEY,
            super::spotler::setup::SETUP_CONSUMER_SECRET,
        ],
        more: "the field map: `shopsync fields --profile NAME`, overrides in \
               [profiles.NAME.spotler.fields]; bounce_field in [profiles.NAME.shopware] (see \
               profiles.example.toml)",
    },
    FlowSpec {
        title: "Wannafind / DanDomain (HostedShop) <-> Heyloyalty: customers and list members, two-way",
        source: "hostedshop",
        target: "heyloyalty",
        fixed: &[],
        asks: &[
            super::hostedshop::setup::SETUP_ENDPOINT,
            super::hostedshop::setup::SETUP_USER,
            super::hostedshop::setup::SETUP_PASSWORD,
            super::heyloyalty::setup::SETUP_BASE_URL,
            super::heyloyalty::setup::SETUP_LIST_STRATEGY,
            super::heyloyalty::setup::SETUP_LIST,
            super::heyloyalty::setup::SETUP_KEY,
            super::heyloyalty::setup::SETUP_SECRET,
        ],
        more: "two_way, back_fields, conflicts, conflict_fields, fields, list_prefix, group_field \
               (see profiles.example.toml); for `serve`: `shopsync auth set NAME heyloyalty-webhook`",
    },
];

/// An optional `http(s)://HOST[:PORT][/PATH]`; empty stays empty.
pub fn check_optional_url(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(String::new());
    }
    let url = url::Url::parse(s).map_err(|e| format!("not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err("write it as http(s)://HOST[:PORT]".into());
    }
    Ok(s.to_string())
}

/// Any text that is not empty, trimmed.
pub fn check_text(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("this cannot be empty".into());
    }
    Ok(s.to_string())
}

/// Optional text, trimmed.
pub fn check_optional_text(s: &str) -> Result<String, String> {
    Ok(s.trim().to_string())
}
