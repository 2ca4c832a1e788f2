//! The version line and its details (commit, dates, host), stamped by `build.rs`.

include!(concat!(env!("OUT_DIR"), "/version.rs"));
