//! The connectors a profile can name: each one's kind (`source = "..."` or `target = "..."`) and
//! its settings table ([`CONNECTORS`]), and which sources sync with which targets ([`PAIRS`]).
//! What the setup wizard offers: each kind of profile it can write (a flow, or a variant of one
//! such as a Tellix or a files back office) and the questions its connectors ask
//! ([`WIZARD_FLOWS`]). What a flow is and runs is in `flows::FLOWS`; the credential names are in
//! `system.rs`, the question types in `questions.rs`.

use super::questions::Ask;
use super::settings::SettingsTable;

/// Which side of a profile a connector is: `source = "..."` or `target = "..."`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Source,
    Target,
}

/// A connector a profile can name.
pub struct Connector {
    /// Its name in the profile: `source = "<kind>"` or `target = "<kind>"`.
    pub kind: &'static str,
    pub role: Role,
    /// Its name for a person, in messages.
    pub title: &'static str,
    /// Its table, `[profiles.NAME.<table>]`: how it is read and checked.
    pub settings: SettingsTable,
}

/// Every connector, in the order their kinds and tables are listed in messages.
pub const CONNECTORS: &[Connector] = &[
    Connector {
        kind: "shopify",
        role: Role::Source,
        title: "Shopify",
        settings: SettingsTable::of::<super::shopify::settings::ShopifySettings>(),
    },
    Connector {
        kind: "hubspot",
        role: Role::Target,
        title: "HubSpot",
        settings: SettingsTable::of::<super::hubspot::settings::HubSpotSettings>(),
    },
    Connector {
        kind: "huddle",
        role: Role::Target,
        title: "Huddle",
        settings: SettingsTable::of::<super::huddle::settings::HuddleSettings>(),
    },
    Connector {
        kind: "backoffice",
        role: Role::Target,
        title: "a back office",
        settings: SettingsTable::of::<super::backoffice::BackOfficeSettings>(),
    },
    Connector {
        kind: "shopware",
        role: Role::Source,
        title: "Shopware",
        settings: SettingsTable::of::<super::shopware::settings::ShopwareSettings>(),
    },
    Connector {
        kind: "spotler",
        role: Role::Target,
        title: "Spotler",
        settings: SettingsTable::of::<super::spotler::settings::SpotlerSettings>(),
    },
    Connector {
        kind: "hostedshop",
        role: Role::Source,
        title: "HostedShop",
        settings: SettingsTable::of::<super::hostedshop::settings::HostedShopSettings>(),
    },
    Connector {
        kind: "heyloyalty",
        role: Role::Target,
        title: "Heyloyalty",
        settings: SettingsTable::of::<super::heyloyalty::settings::HeyloyaltySettings>(),
    },
];

/// The (source, target) kinds a profile may pair: one per flow (`flows::FLOWS` runs each).
pub const PAIRS: &[(&str, &str)] = &[
    ("shopify", "hubspot"),
    ("shopify", "huddle"),
    ("shopify", "backoffice"),
    ("shopware", "spotler"),
    ("hostedshop", "heyloyalty"),
];

/// The connector of a kind on one side of a profile.
pub fn connector(role: Role, kind: &str) -> Option<&'static Connector> {
    CONNECTORS.iter().find(|c| c.role == role && c.kind == kind)
}

/// The connector whose table is `table`.
pub fn by_table(table: &str) -> Option<&'static Connector> {
    CONNECTORS.iter().find(|c| c.settings.name == table)
}

/// A kind of profile the wizard can write: its `source` and `target`, keys with fixed values
/// (such as a back office's `kind`), and what it asks.
pub struct WizardFlow {
    pub title: &'static str,
    pub source: &'static str,
    pub target: &'static str,
    pub fixed: &'static [(&'static str, &'static str, &'static str)],
    pub asks: &'static [Ask],
    /// What the wizard does not ask and the user may still want to set by hand.
    pub more: &'static str,
}

/// Every flow, in the order the wizard offers them.
pub const WIZARD_FLOWS: &[WizardFlow] = &[
    WizardFlow {
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
    WizardFlow {
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
    WizardFlow {
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
    WizardFlow {
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
    WizardFlow {
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
    WizardFlow {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Kinds and tables are names a profile file uses: each names one connector.
    #[test]
    fn kinds_and_tables_are_unique_and_pairs_name_known_kinds() {
        for c in CONNECTORS {
            assert_eq!(
                CONNECTORS
                    .iter()
                    .filter(|d| d.role == c.role && d.kind == c.kind)
                    .count(),
                1,
                "{}",
                c.kind
            );
            assert_eq!(
                CONNECTORS
                    .iter()
                    .filter(|d| d.settings.name == c.settings.name)
                    .count(),
                1,
                "{}",
                c.settings.name
            );
        }
        for (source, target) in PAIRS {
            assert!(connector(Role::Source, source).is_some(), "{source}");
            assert!(connector(Role::Target, target).is_some(), "{target}");
        }
        for flow in WIZARD_FLOWS {
            assert!(
                PAIRS.contains(&(flow.source, flow.target)),
                "{}",
                flow.title
            );
        }
    }
}
