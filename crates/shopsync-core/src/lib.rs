//! The core of shopsync: the canonical records every connector reads or writes (`model`,
//! `catalogue`), the engine that plans and applies a sync (`engine`), the state store that
//! remembers links, cursors and runs (`state`), and the kit every connector's HTTP client is
//! built on (`http`, `health`).
//!
//! Nothing here knows the command line: no clap, no terminal, no exit codes. An error says what
//! failed and how to fix it (`error`); the command line decides how to show it.

pub mod atomic_file;
pub mod catalogue;
pub mod engine;
pub mod error;
pub mod health;
pub mod http;
pub mod interrupt;
pub mod model;
pub mod secret;
pub mod state;
