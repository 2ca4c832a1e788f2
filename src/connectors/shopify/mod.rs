//! Shopify Admin GraphQL API (2026-10): reads products, customers, orders and abandoned
//! checkouts, by pages (incremental) or by bulk export (large full reads).

mod bulk;
mod client;
pub mod documents;
mod mapping;
mod read;
mod throttle;

pub use client::{ShopifyClient, ShopifyError};
pub use read::{PlannedRead, ReadMode, ReadSummary};
