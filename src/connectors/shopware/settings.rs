//! `[profiles.NAME.shopware]`: the Shopware shop customers are read from.

use serde::Deserialize;

use crate::connectors::settings::{check_base_url, Context, Settings};
use crate::error::CliError;

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

impl Settings for ShopwareSettings {
    const TABLE: &'static str = "shopware";

    fn absent(ctx: &Context) -> Result<Self, CliError> {
        Err(CliError::config(format!(
            "the profile `{}` reads from Shopware but has no [profiles.{}.shopware] table",
            ctx.profile, ctx.profile
        ))
        .hint(format!(
            "add it {} with `kind = \"5\"`, `base_url = \"https://shop.example\"` and `key = \"number\"`",
            ctx.here
        )))
    }

    fn validate(&self, ctx: &Context) -> Result<(), CliError> {
        let here = ctx.here;
        let six = match self.kind.trim() {
            "5" => false,
            "6" => true,
            _ => {
                return Err(CliError::config(format!(
                    "`kind = \"{}\"` {here} (shopware) is not a Shopware version shopsync reads",
                    self.kind
                ))
                .hint("use kind = \"5\" (the REST API with an API user and key) or kind = \"6\" (the Admin API with an integration's access key)"))
            }
        };
        // Shopware 5 keeps extra customer fields in attribute columns, Shopware 6 in custom fields.
        let extra = if six { "customFields." } else { "attribute." };
        let number = if six { "customerNumber" } else { "number" };
        check_base_url(&self.base_url).map_err(|why| {
            CliError::config(format!(
                "`base_url = \"{}\"` {here} (shopware) is not a usable URL: {why}",
                self.base_url
            ))
            .hint("write the shop's address, e.g. https://shop.example.nl (without /api)")
        })?;
        ctx.check_cleartext(&self.base_url, "shopware")?;
        let key = self.key.trim();
        let attribute = key.strip_prefix(extra).is_some_and(|c| {
            !c.is_empty() && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
        });
        if !(key == number || key == "id" || attribute) {
            return Err(CliError::config(format!(
                "`key = \"{}\"` {here} (shopware) cannot be a contact's external id",
                self.key
            ))
            .hint(format!("use `{number}` (the customer number), `id`, or the {extra}NAME field that holds the relation number, e.g. `{extra}relationNumber`")));
        }
        for (name, value) in [
            ("permission_field", &self.permission_field),
            ("bounce_field", &self.bounce_field),
            ("parent_field", &self.parent_field),
        ] {
            if let Some(v) = value {
                let ok = !v.contains('.') || v.strip_prefix(extra).is_some_and(|c| !c.is_empty());
                if !ok || v.trim().is_empty() {
                    return Err(CliError::config(format!(
                        "`{name} = \"{v}\"` {here} (shopware) cannot be written back"
                    ))
                    .hint(format!("name a customer field (e.g. `newsletter`) or an extra field (e.g. `{extra}spotlerBounce`)")));
                }
            }
        }
        if self.sub_contacts && self.parent_field.is_none() {
            return Err(CliError::config(format!(
                "`sub_contacts = true` {here} (shopware) needs `parent_field`, the field that tells a sub-contact from a main contact"
            ))
            .hint("add e.g. `parent_field = \"attribute.b2bParentNumber\"`, or remove sub_contacts"));
        }
        Ok(())
    }

    fn urls(&self) -> Vec<String> {
        vec![self.base_url.clone()]
    }
}
