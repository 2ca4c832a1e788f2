//! One folder per system. A connector knows one API (auth, endpoints, paging, rate-limit
//! signals) and the translation between that system's JSON and the canonical records in
//! `model`. It never decides what to sync.

pub mod backoffice;
pub mod files;
pub mod heyloyalty;
pub mod hostedshop;
pub mod hubspot;
pub mod huddle;
pub mod questions;
pub mod registry;
pub mod settings;
pub mod shopify;
pub mod shopware;
pub mod spotler;
pub mod system;
pub mod tellix;
