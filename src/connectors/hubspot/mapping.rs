//! Canonical records -> HubSpot properties, and the custom properties shopsync needs.
//!
//! Standard HubSpot properties are used where one exists (email, firstname, dealname, price...);
//! the rest of the Shopify fields named in the flow go into custom properties prefixed
//! `shopify_`, created in a "Shopify" property group on first use. Values are HubSpot's string
//! forms: booleans `true`/`false`, numbers as decimals, dates as ISO 8601.

use crate::model::Stream;
use crate::model::{Customer, Order, Product};
use crate::state::Fields;

/// A custom property shopsync creates when it is missing.
#[derive(Debug, Clone, Copy)]
pub struct PropertyDef {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    /// Holds the Shopify id and is unique, so upserts can match on it.
    pub unique: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Number,
    Bool,
    DateTime,
}

const fn def(name: &'static str, label: &'static str, kind: Kind) -> PropertyDef {
    PropertyDef {
        name,
        label,
        kind,
        unique: false,
    }
}

const fn key(name: &'static str, label: &'static str) -> PropertyDef {
    PropertyDef {
        name,
        label,
        kind: Kind::Text,
        unique: true,
    }
}

pub const PRODUCT_KEY: &str = "shopify_product_id";
pub const DEAL_KEY: &str = "shopify_order_id";
pub const LINE_ITEM_KEY: &str = "shopify_line_item_id";

pub const CONTACT_PROPERTIES: &[PropertyDef] = &[
    def("shopify_customer_id", "Shopify customer ID", Kind::Text),
    def(
        "shopify_accepts_marketing",
        "Shopify accepts marketing",
        Kind::Bool,
    ),
    def("shopify_created_at", "Shopify created at", Kind::DateTime),
    def("shopify_note", "Shopify note", Kind::Text),
    def("shopify_orders_count", "Shopify orders count", Kind::Number),
    def("shopify_tags", "Shopify tags", Kind::Text),
    def("shopify_tax_exempt", "Shopify tax exempt", Kind::Bool),
    def(
        "shopify_verified_email",
        "Shopify verified e-mail",
        Kind::Bool,
    ),
];

pub const PRODUCT_PROPERTIES: &[PropertyDef] = &[
    key(PRODUCT_KEY, "Shopify product ID"),
    def("shopify_created_at", "Shopify created at", Kind::DateTime),
    def("shopify_handle", "Shopify handle", Kind::Text),
    def("shopify_product_type", "Shopify product type", Kind::Text),
    def(
        "shopify_published_at",
        "Shopify published at",
        Kind::DateTime,
    ),
    def(
        "shopify_published_scope",
        "Shopify published scope",
        Kind::Text,
    ),
    def("shopify_tags", "Shopify tags", Kind::Text),
    def("shopify_vendor", "Shopify vendor", Kind::Text),
];

pub const DEAL_PROPERTIES: &[PropertyDef] = &[
    key(DEAL_KEY, "Shopify order ID"),
    def(
        "shopify_abandoned_checkout_url",
        "Shopify abandoned checkout URL",
        Kind::Text,
    ),
    def(
        "shopify_buyer_accepts_marketing",
        "Shopify buyer accepts marketing",
        Kind::Bool,
    ),
    def("shopify_customer_id", "Shopify customer ID", Kind::Text),
    def("shopify_cancel_reason", "Shopify cancel reason", Kind::Text),
    def(
        "shopify_cancelled_at",
        "Shopify cancelled at",
        Kind::DateTime,
    ),
    def("shopify_created_at", "Shopify created at", Kind::DateTime),
    def(
        "shopify_financial_status",
        "Shopify financial status",
        Kind::Text,
    ),
    def(
        "shopify_fulfillment_status",
        "Shopify fulfillment status",
        Kind::Text,
    ),
    def("shopify_landing_site", "Shopify landing site", Kind::Text),
    def("shopify_note", "Shopify note", Kind::Text),
    def("shopify_order_number", "Shopify order number", Kind::Number),
    def(
        "shopify_processing_method",
        "Shopify processing method",
        Kind::Text,
    ),
    def(
        "shopify_referring_site",
        "Shopify referring site",
        Kind::Text,
    ),
    def("shopify_source_name", "Shopify source name", Kind::Text),
    def(
        "shopify_subtotal_price",
        "Shopify subtotal price",
        Kind::Number,
    ),
    def(
        "shopify_taxes_included",
        "Shopify taxes included",
        Kind::Bool,
    ),
    def(
        "shopify_total_discounts",
        "Shopify total discounts",
        Kind::Number,
    ),
    def(
        "shopify_total_line_items_price",
        "Shopify total line items price",
        Kind::Number,
    ),
    def("shopify_total_price", "Shopify total price", Kind::Number),
    def("shopify_total_tax", "Shopify total tax", Kind::Number),
    def(
        "shopify_total_weight",
        "Shopify total weight (g)",
        Kind::Number,
    ),
];

pub const LINE_ITEM_PROPERTIES: &[PropertyDef] = &[key(LINE_ITEM_KEY, "Shopify line item ID")];

/// HubSpot object type names, and the custom properties each needs.
pub fn properties_of(object: &str) -> &'static [PropertyDef] {
    match object {
        "contacts" => CONTACT_PROPERTIES,
        "products" => PRODUCT_PROPERTIES,
        "deals" => DEAL_PROPERTIES,
        "line_items" => LINE_ITEM_PROPERTIES,
        _ => &[],
    }
}

pub fn object_of(stream: Stream) -> &'static str {
    match stream {
        Stream::Customers => "contacts",
        Stream::Products => "products",
        Stream::Orders => "deals",
    }
}

struct Builder(Fields);

impl Builder {
    fn text(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) {
            self.0.insert(name.to_string(), v.to_string());
        }
        self
    }

    /// Datetimes in the form HubSpot returns them (UTC, milliseconds), so what was written
    /// compares equal to what is read back.
    fn datetime(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) {
            let v = match chrono::DateTime::parse_from_rfc3339(v) {
                Ok(t) => t
                    .with_timezone(&chrono::Utc)
                    .format("%Y-%m-%dT%H:%M:%S%.3fZ")
                    .to_string(),
                Err(_) => v.to_string(),
            };
            self.0.insert(name.to_string(), v);
        }
        self
    }

    fn bool(&mut self, name: &str, value: Option<bool>) -> &mut Self {
        if let Some(v) = value {
            self.0.insert(name.to_string(), v.to_string());
        }
        self
    }

    fn number(&mut self, name: &str, value: Option<u64>) -> &mut Self {
        if let Some(v) = value {
            self.0.insert(name.to_string(), v.to_string());
        }
        self
    }

    fn list(&mut self, name: &str, values: &[String], sep: &str) -> &mut Self {
        if !values.is_empty() {
            self.0.insert(name.to_string(), values.join(sep));
        }
        self
    }
}

/// Contact properties. Values empty in Shopify are left out, so they never overwrite a value
/// already in HubSpot.
pub fn contact(c: &Customer) -> Fields {
    let mut b = Builder(Fields::new());
    let address = c.address.clone().unwrap_or_default();
    b.text("email", c.email.as_deref())
        .text("firstname", c.first_name.as_deref())
        .text("lastname", c.last_name.as_deref())
        .text("phone", c.phone.as_deref())
        .text("address", address.street.as_deref())
        .text("city", address.city.as_deref())
        .text("country", address.country.as_deref())
        .text("state", address.province.as_deref())
        .text("zip", address.zip.as_deref())
        .text("shopify_customer_id", Some(&c.id))
        .bool("shopify_accepts_marketing", c.accepts_marketing)
        .datetime("shopify_created_at", Some(&c.created_at))
        .text("shopify_note", c.note.as_deref())
        .number("shopify_orders_count", c.orders_count)
        .list("shopify_tags", &c.tags, ", ")
        .bool("shopify_tax_exempt", c.tax_exempt)
        .bool("shopify_verified_email", c.verified_email);
    b.0
}

pub fn product(p: &Product) -> Fields {
    let mut b = Builder(Fields::new());
    b.text(PRODUCT_KEY, Some(&p.id))
        .text("name", Some(&p.title))
        .text("description", p.body_html.as_deref())
        .text("price", p.price.as_deref())
        .list("hs_images", &p.image_urls, ";")
        .datetime("shopify_created_at", Some(&p.created_at))
        .text("shopify_handle", p.handle.as_deref())
        .text("shopify_product_type", p.product_type.as_deref())
        .datetime("shopify_published_at", p.published_at.as_deref())
        .text("shopify_published_scope", p.published_scope.as_deref())
        .list("shopify_tags", &p.tags, ", ")
        .text("shopify_vendor", p.vendor.as_deref());
    b.0
}

/// Deal properties, without pipeline and stage (the target knows their ids).
pub fn deal(o: &Order) -> Fields {
    let mut b = Builder(Fields::new());
    b.text(DEAL_KEY, Some(&o.id))
        .text("dealname", Some(&o.name))
        .text("amount", o.total_price.as_deref())
        .text("deal_currency_code", o.currency.as_deref())
        .text(
            "shopify_abandoned_checkout_url",
            o.abandoned_checkout_url.as_deref(),
        )
        .bool("shopify_buyer_accepts_marketing", o.buyer_accepts_marketing)
        .text("shopify_customer_id", o.customer_id.as_deref())
        .text("shopify_cancel_reason", o.cancel_reason.as_deref())
        .datetime("shopify_cancelled_at", o.cancelled_at.as_deref())
        .datetime("shopify_created_at", Some(&o.created_at))
        .text("shopify_financial_status", o.financial_status.as_deref())
        .text(
            "shopify_fulfillment_status",
            o.fulfillment_status.as_deref(),
        )
        .text("shopify_landing_site", o.landing_site.as_deref())
        .text("shopify_note", o.note.as_deref())
        .number("shopify_order_number", o.order_number)
        .text("shopify_processing_method", o.processing_method.as_deref())
        .text("shopify_referring_site", o.referring_site.as_deref())
        .text("shopify_source_name", o.source_name.as_deref())
        .text("shopify_subtotal_price", o.subtotal_price.as_deref())
        .bool("shopify_taxes_included", o.taxes_included)
        .text("shopify_total_discounts", o.total_discounts.as_deref())
        .text(
            "shopify_total_line_items_price",
            o.total_line_items_price.as_deref(),
        )
        .text("shopify_total_price", o.total_price.as_deref())
        .text("shopify_total_tax", o.total_tax.as_deref())
        .number("shopify_total_weight", o.total_weight);
    b.0
}

pub fn line_item(item: &crate::model::LineItem, hubspot_product_id: Option<&str>) -> Fields {
    let mut b = Builder(Fields::new());
    b.text(LINE_ITEM_KEY, Some(&item.id))
        .text("name", Some(&item.name))
        .text("quantity", Some(&item.quantity.to_string()))
        .text("price", item.price.as_deref())
        .text("hs_sku", item.sku.as_deref())
        .text("hs_product_id", hubspot_product_id);
    b.0
}
