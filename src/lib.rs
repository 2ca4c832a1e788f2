//! shopsync: sync webshops with the systems around them.
//!
//! Data flows one way: a source connector streams canonical records (`model`), the engine plans
//! what to change in the target (`engine::plan`) and applies it in batches (`engine::apply`),
//! the target connector writes them, and the state store (`state`) remembers links, cursors and
//! runs. `commands` wires these together for each subcommand.

pub mod atomic_file;
pub mod catalogue;
pub mod cli;
pub mod commands;
pub mod config;
pub mod connectors;
pub mod engine;
pub mod error;
pub mod flows;
pub mod health;
pub mod http;
pub mod interrupt;
pub mod logging;
pub mod model;
pub mod reference;
pub mod render;
pub mod state;
pub mod ui;
pub mod version;
