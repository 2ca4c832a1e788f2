//! Spotler Mail+ (formerly MailPlus): contacts keyed by an external id, the account's property
//! catalogue and permission bits, and the feeds of permission changes and bounces.

pub mod client;
pub mod health;
pub mod mapping;
pub mod oauth;
pub mod settings;
pub mod setup;
pub mod target;

pub use client::{SpotlerClient, SpotlerError, DEFAULT_BASE_URL};
pub use target::SpotlerTarget;
