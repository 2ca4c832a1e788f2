//! What `shopsync setup` asks about a Shopware 5 shop.

use crate::connectors::questions::{Ask, Setting};
use crate::connectors::system::System;

pub const SETUP_BASE_URL: Ask = Ask::Setting(Setting {
    table: "shopware",
    key: "base_url",
    prompt: "Shop address",
    help:
        "The Shopware 5 shop's address, e.g. https://shop.example.nl (its REST API is under /api).",
    default: None,
    required: true,
    check: check_url,
});

pub const SETUP_KEY: Ask = Ask::Setting(Setting {
    table: "shopware",
    key: "key",
    prompt: "Contact key (external id)",
    help: "The customer field that becomes each contact's external id in Spotler: `number` (the \
           customer number), `id`, or the attribute column holding a relation number, e.g. \
           `attribute.relationNumber`. Changing it later needs `sync --rekey`.",
    default: Some("number"),
    required: true,
    check: check_key,
});

pub const SETUP_USER: Ask = Ask::Credential {
    system: System::ShopwareUser,
    what: "the Shopware API user's name (Settings > User administration)",
};

pub const SETUP_API_KEY: Ask = Ask::Credential {
    system: System::ShopwareKey,
    what: "that user's API key (its \"API access\" box)",
};

fn check_url(s: &str) -> Result<String, String> {
    let s = s.trim().trim_end_matches('/');
    let url = url::Url::parse(s).map_err(|e| format!("not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err("write it as https://HOST".into());
    }
    Ok(s.trim_end_matches("/api").to_string())
}

fn check_key(s: &str) -> Result<String, String> {
    let s = s.trim();
    let attribute = s.strip_prefix("attribute.").is_some_and(|c| {
        !c.is_empty() && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
    });
    if s == "number" || s == "id" || attribute {
        Ok(s.to_string())
    } else {
        Err("use `number`, `id` or `attribute.COLUMN`".into())
    }
}
