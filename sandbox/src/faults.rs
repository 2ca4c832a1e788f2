//! Fault switches shared by every fake: each is a probability per request (0.0 = off).
//!
//! Faults are drawn from a seeded generator so a failing test can be replayed.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    /// Answer 500/502/503 instead of doing the work (nothing is written).
    pub server_error: f64,
    /// Start a burst of 429 answers (the rest of the current rate-limit window is refused).
    pub rate_limit_burst: f64,
    /// Close the connection without answering (after doing the work half the time: the client
    /// cannot know whether a write landed, which is what idempotent writes must survive).
    pub drop_connection: f64,
    /// Answer only after `slow_response_secs` (past the client's timeout).
    pub slow_response: f64,
    pub slow_response_secs: f64,
    /// Send a JSON body cut off in the middle (status 200, work done).
    pub truncated_body: f64,
    /// HubSpot batch writes: fail this share of the inputs with a 207 and a per-input error.
    pub partial_batch_failure: f64,
    /// Seed of the fault generator.
    pub seed: u64,
}
