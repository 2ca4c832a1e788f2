//! `[profiles.NAME.shopify]`: the shop a profile reads from or writes to.

use serde::Deserialize;

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
