//! What the setup wizard offers: each kind of profile it can write (a flow, or a variant of one
//! such as a Tellix or a files back office) and the questions its connectors ask. What a flow
//! is and runs is in `flows::FLOWS`; the credential names are in `system.rs`, the question
//! types in `questions.rs`.

use super::questions::Ask;

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
