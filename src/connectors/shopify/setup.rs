//! What `shopsync setup` asks about a shop.

use super::settings::normalize_shop_domain;
use crate::connectors::questions::{check_optional_url, Ask, Setting};
use crate::connectors::system::System;

pub const SETUP_SHOP: Ask = Ask::Setting(Setting {
    table: "shopify",
    key: "shop",
    prompt: "Shop domain",
    help: "Shopify: the shop's permanent domain (Shopify admin > Settings > Domains).",
    default: None,
    required: true,
    check: normalize_shop_domain,
});

pub const SETUP_BASE_URL: Ask = Ask::Setting(Setting {
    table: "shopify",
    key: "base_url",
    prompt: "Shopify base URL",
    help:
        "Shopify API address: leave empty for https://SHOP; set it for a proxy or a local sandbox.",
    default: None,
    required: false,
    check: check_optional_url,
});

pub const SETUP_TOKEN: Ask = Ask::Credential {
    system: System::Shopify,
    what: "the Admin API access token (shpat_...) of the shop's custom app; scopes \
           read_products, read_customers, read_orders (and the write scopes the README names \
           for a back office)",
};
