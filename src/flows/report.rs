//! What `sync` is asked to do and what it reports, for every one-way flow.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::engine::oneway::StreamDone;
use crate::engine::plan::{Change, Counts};
use crate::model::Stream;
use crate::state::Failure;

/// How `sync` is asked to run a one-way flow.
pub struct SyncOptions {
    pub streams: Vec<Stream>,
    pub dry_run: bool,
    pub full: bool,
    /// The state file cannot be read: move it aside and re-link records by their unique keys.
    pub rebuild_state: bool,
    pub collect_changes: bool,
    pub state_dir: PathBuf,
    /// Move the records to a changed unique key (a flow whose key the profile chooses).
    pub rekey: bool,
}

/// What a run did (or, dry, would do).
#[derive(Debug, Serialize)]
pub struct SyncReport {
    pub profile: String,
    pub dry_run: bool,
    pub run_id: i64,
    pub streams: BTreeMap<String, StreamSummary>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    pub failures: Vec<Failure>,
    /// Why the run stopped early, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
    pub seconds: f64,
    pub requests: Requests,
    pub state_file: String,
}

#[derive(Debug, Serialize)]
pub struct StreamSummary {
    /// `full` (everything read) or `incremental` (changes since the last run).
    pub read: &'static str,
    pub bulk: bool,
    pub records: u64,
    #[serde(flatten)]
    pub counts: Counts,
}

/// The requests a run sent, per system, in the order the flow names them.
#[derive(Debug, Default)]
pub struct Requests(pub Vec<SystemRequests>);

#[derive(Debug)]
pub struct SystemRequests {
    /// The system as the report's JSON keys it (lower case, e.g. `acme`).
    pub key: &'static str,
    /// The system as a person reads it (`Acme`).
    pub name: &'static str,
    pub requests: u64,
    /// The requests the system refused for its rate limit, where the connector counts them.
    pub throttled: Option<u64>,
}

/// `{"acme": 12, "acme_throttled": 0, ...}`: each system's requests, and its throttled
/// ones where they are counted.
impl Serialize for Requests {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        for r in &self.0 {
            m.serialize_entry(r.key, &r.requests)?;
            if let Some(throttled) = r.throttled {
                m.serialize_entry(&format!("{}_throttled", r.key), &throttled)?;
            }
        }
        m.end()
    }
}

impl SyncReport {
    /// The report of a run that has not done anything yet.
    pub fn new(profile: &str, dry_run: bool, run_id: i64, state_file: &str) -> SyncReport {
        SyncReport {
            profile: profile.to_string(),
            dry_run,
            run_id,
            streams: BTreeMap::new(),
            changes: Vec::new(),
            failures: Vec::new(),
            stopped: None,
            seconds: 0.0,
            requests: Requests::default(),
            state_file: state_file.to_string(),
        }
    }

    /// Adds what one stream of a one-way run did.
    pub fn add_stream(&mut self, done: StreamDone) {
        self.streams.insert(
            done.stream.as_str().to_string(),
            StreamSummary {
                read: if done.full { "full" } else { "incremental" },
                bulk: done.used_bulk,
                records: done.records,
                counts: done.report.counts,
            },
        );
        self.changes.extend(done.report.changes);
        self.failures.extend(done.report.failures);
    }

    pub fn has_changes(&self) -> bool {
        self.streams.values().any(|s| s.counts.changes() > 0)
    }
}
