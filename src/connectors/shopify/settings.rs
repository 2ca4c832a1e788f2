//! `[profiles.NAME.shopify]`: the shop a profile reads from or writes to.

use serde::Deserialize;

use crate::connectors::settings::{check_base_url, Context, Settings};
use crate::error::CliError;

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

impl Settings for ShopifySettings {
    const TABLE: &'static str = "shopify";

    fn absent(ctx: &Context) -> Result<Self, CliError> {
        Err(CliError::config(format!(
            "the profile `{}` reads from Shopify but has no [profiles.{}.shopify] table",
            ctx.profile, ctx.profile
        ))
        .hint(format!(
            "add it {} with at least `shop = \"NAME.myshopify.com\"`",
            ctx.here
        )))
    }

    fn validate(&self, ctx: &Context) -> Result<(), CliError> {
        let here = ctx.here;
        normalize_shop_domain(&self.shop).map_err(|why| {
            CliError::config(format!("`shop = \"{}\"` {here} is not a Shopify shop domain: {why}", self.shop))
                .hint("use the shop's permanent domain, e.g. `shop = \"acme.myshopify.com\"` (Shopify admin > Settings > Domains)")
        })?;
        if let Some(url) = &self.base_url {
            check_base_url(url).map_err(|why| {
                CliError::config(format!(
                    "`base_url = \"{url}\"` {here} (shopify) is not a usable URL: {why}"
                ))
                .hint("write it as http(s)://HOST[:PORT], e.g. http://127.0.0.1:8080, or remove it")
            })?;
            ctx.check_cleartext(url, "shopify")?;
        }
        Ok(())
    }

    fn urls(&self) -> Vec<String> {
        self.base_url.iter().cloned().collect()
    }
}

impl ShopifySettings {
    /// `acme.myshopify.com`, from what the user wrote (a validated table).
    pub fn shop_domain(&self) -> String {
        normalize_shop_domain(&self.shop).expect("a validated [shopify] table")
    }

    /// Base URL of the Shopify Admin API, without a trailing slash.
    pub fn api_base_url(&self) -> String {
        match &self.base_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!("https://{}", self.shop_domain()),
        }
    }

    /// A full read of a stream with more records than this goes by bulk export.
    pub fn bulk_threshold(&self) -> u64 {
        self.bulk_threshold.unwrap_or(2_000)
    }

    /// A threshold the profile sets is the rule; without one, reads whose pages would wait long
    /// for Shopify's cost bucket go by bulk export too.
    pub fn bulk_when_pages_are_slow(&self) -> bool {
        self.bulk_threshold.is_none()
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shop_domains() {
        assert_eq!(normalize_shop_domain("acme").unwrap(), "acme.myshopify.com");
        assert_eq!(
            normalize_shop_domain("https://Acme-2.myshopify.com/").unwrap(),
            "acme-2.myshopify.com"
        );
        assert!(normalize_shop_domain("acme.com").is_err());
        assert!(normalize_shop_domain("-acme").is_err());
        assert!(normalize_shop_domain("ac me").is_err());
        assert!(normalize_shop_domain("").is_err());
    }

    #[test]
    fn reads_a_shop_table() {
        let ctx = Context {
            profile: "acme",
            here: "in [profiles.acme] of x.toml",
            allow_insecure_http: false,
        };
        let s: ShopifySettings =
            toml::from_str("shop = \"Acme\"\nbase_url = \"http://127.0.0.1:9000/\"").unwrap();
        s.validate(&ctx).unwrap();
        assert_eq!(s.shop_domain(), "acme.myshopify.com");
        assert_eq!(s.api_base_url(), "http://127.0.0.1:9000");
        assert!(s.bulk_when_pages_are_slow());
        let s: ShopifySettings = toml::from_str("shop = \"acme.com\"").unwrap();
        let e = s.validate(&ctx).unwrap_err().to_string();
        assert!(e.contains("is not a Shopify shop domain"), "{e}");
        assert!(ShopifySettings::absent(&ctx).is_err());
    }
}
