//! A flow wires one source connector, the engine and one target connector for a profile: which
//! streams, in which order, incremental or full, and what the run reports.

pub mod backoffice_shopify;
pub mod hostedshop_heyloyalty;
/// The two-way flow of a shop's customers with a marketing list's members, by its job.
pub use hostedshop_heyloyalty as members;
pub mod shopify_hubspot;
pub mod shopify_huddle;
pub mod shopware_spotler;
