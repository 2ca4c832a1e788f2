//! `[profiles.NAME.shopware]`: the Shopware shop customers are read from.

use serde::Deserialize;

/// `[profiles.NAME.shopware]`: the shop customers are read from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShopwareSettings {
    /// The Shopware version: "5" (the REST API with an API user and key) or "6" (the Admin
    /// API with an integration's access key id and secret access key).
    pub kind: String,
    /// The shop's address, e.g. `https://shop.example.nl` (the API is under `/api`).
    pub base_url: String,
    /// The customer field that becomes the contact's external id in Spotler: `number` (the
    /// customer number), `id`, or an attribute column such as `attribute.relationNumber`
    /// (Shopware 6: `customerNumber`, `id`, or `customFields.NAME`).
    pub key: String,
    /// The yes/no customer field that holds the e-mail permission [default: `newsletter`].
    pub permission_field: Option<String>,
    /// Where a hard bounce is noted on the customer besides turning the permission off, e.g.
    /// `attribute.spotlerBounce` [default: nowhere].
    pub bounce_field: Option<String>,
    /// B2B: the customer field that names a sub-contact's main contact (its customer number),
    /// e.g. `attribute.b2bParentNumber` [default: none; every customer is a main contact].
    pub parent_field: Option<String>,
    /// B2B: sync sub-contacts (customers whose `parent_field` is set) besides main contacts
    /// [default: false].
    #[serde(default)]
    pub sub_contacts: bool,
}
