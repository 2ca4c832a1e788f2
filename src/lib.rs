//! shopsync: sync webshops with the systems around them.
//!
//! Data flows one way: a source connector streams canonical records (`model`), the engine plans
//! what to change in the target (`engine::plan`) and applies it in batches (`engine::apply`),
//! the target connector writes them, and the state store (`state`) remembers links, cursors and
//! runs. `commands` wires these together for each subcommand.

// The core crate's modules, under the paths the rest of this crate uses.
pub use shopsync_core::{
    atomic_file, catalogue, engine, health, http, interrupt, model, secret, state,
};

pub mod cli;
pub mod commands;
pub mod config;
pub mod connectors;
pub mod error;
pub mod flows;
pub mod logging;
pub mod reference;
pub mod render;
pub mod ui;
pub mod version;
