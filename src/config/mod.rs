//! Profiles (TOML) and credentials (environment or OS keyring).

pub mod credentials;
pub mod profile;

pub use profile::{Profile, ProfileFile};
