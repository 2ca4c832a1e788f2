//! Canonical records: what a shop's data is, independent of any vendor's JSON.
//!
//! Source connectors produce these; target connectors map them to their own fields. Optional
//! values are `None` when the source has no value (never an empty string), so "empty in the
//! source" is one thing everywhere.

pub mod contact;

use serde::{Deserialize, Serialize};

/// A kind of record that is synced on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stream {
    Products,
    Customers,
    Orders,
}

impl Stream {
    pub const ALL: [Stream; 3] = [Stream::Products, Stream::Customers, Stream::Orders];

    pub fn as_str(self) -> &'static str {
        match self {
            Stream::Products => "products",
            Stream::Customers => "customers",
            Stream::Orders => "orders",
        }
    }

    /// The stream spelled `name` (as `as_str` spells it).
    pub fn parse(name: &str) -> Option<Stream> {
        Stream::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

impl std::fmt::Display for Stream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One record read from a source, of any stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
#[allow(clippy::large_enum_variant)] // records travel boxed (`SourceItem`)
pub enum Record {
    Product(Product),
    Customer(Customer),
    Order(Order),
}

impl Record {
    pub fn stream(&self) -> Stream {
        match self {
            Record::Product(_) => Stream::Products,
            Record::Customer(_) => Stream::Customers,
            Record::Order(_) => Stream::Orders,
        }
    }

    /// The source system's id of the record, as the source spells it.
    pub fn source_id(&self) -> &str {
        match self {
            Record::Product(p) => &p.id,
            Record::Customer(c) => &c.id,
            Record::Order(o) => &o.id,
        }
    }

    pub fn updated_at(&self) -> &str {
        match self {
            Record::Product(p) => &p.updated_at,
            Record::Customer(c) => &c.updated_at,
            Record::Order(o) => &o.updated_at,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub id: String,
    pub title: String,
    pub body_html: Option<String>,
    pub handle: Option<String>,
    pub product_type: Option<String>,
    pub vendor: Option<String>,
    pub tags: Vec<String>,
    pub status: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub published_at: Option<String>,
    /// `web` (online store only) or `global` (also other channels); None when unpublished.
    pub published_scope: Option<String>,
    /// Lowest variant price, as a decimal string.
    pub price: Option<String>,
    pub currency: Option<String>,
    pub image_urls: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    pub id: String,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// The customer's own phone, not an address phone.
    pub phone: Option<String>,
    pub note: Option<String>,
    pub accepts_marketing: Option<bool>,
    pub orders_count: Option<u64>,
    pub tags: Vec<String>,
    pub tax_exempt: Option<bool>,
    pub verified_email: Option<bool>,
    pub created_at: String,
    pub updated_at: String,
    pub address: Option<Address>,
    /// The source's own customer fields by the source's names (`number`, `billing.city`), for
    /// the field maps a profile can choose; empty for sources whose fields are all above.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub fields: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Address {
    pub street: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub province: Option<String>,
    pub zip: Option<String>,
}

/// Where an order stands, from checkout to delivery; decides the deal stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStage {
    CheckoutAbandoned,
    CheckoutPending,
    CheckoutCompleted,
    Processed,
    Shipped,
    Cancelled,
}

impl OrderStage {
    pub const ALL: [OrderStage; 6] = [
        OrderStage::CheckoutAbandoned,
        OrderStage::CheckoutPending,
        OrderStage::CheckoutCompleted,
        OrderStage::Processed,
        OrderStage::Shipped,
        OrderStage::Cancelled,
    ];

    pub fn label(self) -> &'static str {
        match self {
            OrderStage::CheckoutAbandoned => "Checkout Abandoned",
            OrderStage::CheckoutPending => "Checkout Pending",
            OrderStage::CheckoutCompleted => "Checkout Completed",
            OrderStage::Processed => "Processed",
            OrderStage::Shipped => "Shipped",
            OrderStage::Cancelled => "Cancelled",
        }
    }
}

/// An order, or a checkout that has not become one (yet).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub id: String,
    pub name: String,
    pub order_number: Option<u64>,
    pub email: Option<String>,
    pub customer_id: Option<String>,
    pub stage: Option<OrderStage>,
    pub abandoned_checkout_url: Option<String>,
    pub buyer_accepts_marketing: Option<bool>,
    pub cancel_reason: Option<String>,
    pub cancelled_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub currency: Option<String>,
    pub financial_status: Option<String>,
    pub fulfillment_status: Option<String>,
    pub landing_site: Option<String>,
    pub note: Option<String>,
    pub processing_method: Option<String>,
    pub referring_site: Option<String>,
    pub source_name: Option<String>,
    pub subtotal_price: Option<String>,
    pub taxes_included: Option<bool>,
    pub total_discounts: Option<String>,
    pub total_line_items_price: Option<String>,
    pub total_price: Option<String>,
    pub total_tax: Option<String>,
    /// Grams.
    pub total_weight: Option<u64>,
    pub line_items: Vec<LineItem>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LineItem {
    pub id: String,
    pub name: String,
    pub sku: Option<String>,
    pub quantity: i64,
    pub price: Option<String>,
    pub product_id: Option<String>,
}
