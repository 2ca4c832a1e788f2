//! HubSpot CRM API (date-based 2026-03 paths): contacts, products, deals, line items,
//! associations, custom properties and deal pipelines.

mod batch;
mod client;
pub mod health;
pub mod mapping;
mod ratelimit;
pub mod schema;
pub mod settings;
pub mod setup;
mod target;

pub use client::{HubSpotClient, HubSpotError};

/// The date-based version in every CRM API path.
pub const API_VERSION: &str = "2026-03";
pub use target::HubSpotTarget;
