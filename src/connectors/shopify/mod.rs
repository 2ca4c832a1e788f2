//! Shopify Admin GraphQL API (2026-10): reads products, customers, orders and abandoned
//! checkouts, by pages (incremental) or by bulk export (large full reads); reads the catalogue
//! and locations and writes products (`productSet`) and stock (`inventorySetQuantities`) for
//! the back-office flow.

mod bulk;
pub mod catalogue;
mod client;
pub mod costs;
pub mod documents;
pub mod health;
mod mapping;
mod read;
pub mod rest_order;
pub mod settings;
pub mod setup;
pub mod skus;
pub mod source;
mod throttle;
pub mod write;

pub use catalogue::{
    ShopifyCatalogue, ShopifyCatalogueProduct, ShopifyCatalogueVariant, ShopifyImage,
    ShopifyInventoryLevel, ShopifyLocation, ShopifyOption,
};
pub use client::{ShopifyClient, ShopifyError};
pub use read::{PlannedRead, ReadMode, ReadPosition, ReadSummary};
pub use write::{
    FileSetInput, InventoryItemInput, InventorySet, InventorySetOutcome, OptionSetInput,
    OptionValueSetInput, ProductSetImage, ProductSetInput, ProductSetInventoryInput,
    ProductSetProduct, ProductSetResult, ProductSetVariant, ProductStatus, ProductVariantSetInput,
    QuantityName, ShopifyUserError, VariantOptionValueInput, REASON_CORRECTION,
};
