//! The engine knows no system. It takes a stream of canonical records, compares what each
//! record should look like in the target with what was last written there (`plan`), and writes
//! the differences in batches with a checkpoint per batch (`apply`). A source system plugs in
//! through the [`Source`] trait, a target system through the [`Target`] trait;
//! [`source::sync_stream`] runs one stream from one into the other.

pub mod apply;
pub mod oneway;
pub mod plan;
mod progress;
pub mod source;
pub mod twoway;

pub use source::{ReadEnd, Source, StreamRun};

/// How a run ended, in the run log's words (`shopsync runs` shows them): `stop` is the error
/// that stopped it part-way, if one did.
pub fn run_status(stop: Option<&crate::error::Error>, with_failures: bool) -> &'static str {
    match stop {
        Some(e) if matches!(e.kind, crate::error::ErrorKind::Signal(_)) => "interrupted",
        Some(_) => "stopped",
        None if with_failures => "completed with failures",
        None => "completed",
    }
}

use std::collections::HashMap;

use crate::model::Record;
use crate::model::Stream;
use crate::state::{Fields, Link};

/// One item of a source stream: a record, or one that could not be read (reported, skipped),
/// or where the read has got to.
#[derive(Debug)]
pub enum SourceItem {
    Record(Box<Record>),
    Malformed {
        source_id: Option<String>,
        reason: String,
    },
    /// Every item before this one has been read: once they are all checkpointed, a stopped run
    /// can resume the read here. Opaque to the engine, which saves it in the state store.
    Position(String),
}

/// What a record should look like in the target.
#[derive(Debug, Clone)]
pub struct Desired {
    pub source_id: String,
    /// A name a person recognises in a plan (an e-mail, a title, an order name).
    pub label: String,
    /// Target fields by name. Names starting with `@` are links to other records (associations),
    /// compared like fields but not sent as values.
    pub fields: Fields,
    pub record: Record,
}

/// What happened to one record in the target.
#[derive(Debug, Clone)]
pub enum Outcome {
    Written {
        source_id: String,
        target_id: String,
        created: bool,
        /// The fields written; `None`: the record's desired fields, all of them (the engine
        /// still has them: not copied).
        fields: Option<Fields>,
    },
    /// The target refused this record; it is retried on the next run.
    Failed {
        source_id: String,
        reason: String,
    },
    /// The target record is gone (deleted there) and must never be written again.
    Gone {
        source_id: String,
        target_id: String,
        reason: String,
    },
    Deleted {
        source_id: String,
    },
}

/// A record the target cannot take at all (e.g. a contact without an e-mail): skipped, not
/// failed, and not retried.
#[derive(Debug, Clone)]
pub struct Skip {
    pub source_id: String,
    pub label: String,
    pub reason: String,
}

/// An error that stops the stream (auth, daily limit, unreachable); records already written are
/// checkpointed.
pub type TargetError = crate::error::Error;

/// A system records are written to.
#[allow(async_fn_in_trait)]
pub trait Target {
    /// Prepares the target once per run (custom properties, pipelines). A dry run only checks.
    async fn prepare(&self, streams: &[Stream], dry_run: bool) -> Result<(), TargetError>;

    /// What `record` should look like in the target (which keeps the record), or why it cannot
    /// go there.
    fn desired(&self, record: Record) -> Result<Desired, Skip>;

    /// For a dry run: the current target state of records that have no link yet (matched by
    /// their natural key, e.g. the e-mail), by source id.
    async fn current(
        &self,
        stream: Stream,
        records: &[&Desired],
    ) -> Result<HashMap<String, (String, Fields)>, TargetError>;

    /// Creates or updates these records, each with its link when it has one. Borrowed: the
    /// engine keeps the batch for its checkpoint.
    async fn write(
        &self,
        stream: Stream,
        records: &[(Desired, Option<Link>)],
    ) -> Result<Vec<Outcome>, TargetError>;

    /// Deletes these linked records.
    async fn delete(
        &self,
        stream: Stream,
        records: Vec<(String, Link)>,
    ) -> Result<Vec<Outcome>, TargetError>;

    /// Whether records of `stream` deleted in the source are deleted in the target too.
    fn deletes_follow_source(&self, stream: Stream) -> bool;

    /// Records per `write` (and `current`, `delete`) call: the target API's batch limit.
    fn batch_size(&self) -> usize;

    /// Batches in flight at once; the target's rate limiter still decides the pace.
    fn concurrency(&self) -> usize {
        8
    }
}
