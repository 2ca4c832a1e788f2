//! `[profiles.NAME.shopify]`: the shop a profile reads from or writes to.

use serde::Deserialize;

/// Shopify Admin API version every document is written against.
pub const SHOPIFY_API_VERSION: &str = "2026-10";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShopifySettings {
    /// The shop's permanent domain, `NAME.myshopify.com`.
    pub shop: String,
    /// Where the Admin API is reached [default: `https://{shop}`].
    pub base_url: Option<String>,
    /// A full read of a stream with more records than this uses a bulk operation.
    pub bulk_threshold: Option<u64>,
}

/// Accepts `acme`, `acme.myshopify.com`, `https://acme.myshopify.com/`; returns
/// `acme.myshopify.com`. Shop names are letters, digits, `-` and `_`, starting with a letter or
/// digit (Shopify's own shop-domain check).
pub fn normalize_shop_domain(input: &str) -> Result<String, String> {
    let s = input.trim();
    let s = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(s);
    let s = s.trim_end_matches('/');
    let name = s.strip_suffix(".myshopify.com").unwrap_or(s);
    if name.is_empty() {
        return Err("it is empty".into());
    }
    if name.contains('.') {
        return Err("only NAME.myshopify.com domains are accepted (not a custom domain)".into());
    }
    let mut chars = name.chars();
    let first = chars.next().unwrap_or(' ');
    if !first.is_ascii_alphanumeric() {
        return Err("it must start with a letter or a digit".into());
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(format!(
            "it contains `{bad}`; only letters, digits, `-` and `_` are allowed"
        ));
    }
    Ok(format!("{}.myshopify.com", name.to_ascii_lowercase()))
}
