//! Running one stream through the plan and, unless it is a dry run, into the target.
//!
//! Records arrive on a channel while the source is still being read. They are classified in
//! groups against the state store's links (unchanged / update / create), and the changes are
//! written in batches of the target's batch size, several batches in flight at once (the target's
//! rate limiter decides the pace). Each finished batch is checkpointed in one transaction.
//!
//! A record can come more than once in a run (a retry re-read by id and the same record in the
//! full read, or a record changed while its stream was paged): a copy that arrives while another
//! is waiting to be written or being written is dropped, so two copies never race (one written,
//! the other failed would leave it linked and queued). A later copy sees the first one's
//! checkpoint; changes made during the run are read again by the next run.

use std::collections::{HashMap, HashSet};

use futures::stream::{FuturesUnordered, StreamExt};
use tokio::sync::mpsc::Receiver;

use super::plan::{diff, unchanged, Action, Change, Counts};
use super::progress::ReadProgress;
use super::{Desired, Outcome, SourceItem, Target, TargetError};
use crate::model::Stream;
use crate::state::{Checkpoint, Failure, Link, LinkUpdate, StateStore};

pub struct StreamOptions<'a> {
    pub stream: Stream,
    pub run_id: i64,
    pub dry_run: bool,
    /// A full read: records not seen are deleted in the source.
    pub full: bool,
    /// Keep every change (for `--diff` and `--json`), not only the counts.
    pub collect_changes: bool,
    /// Records without a link are first looked up in the target by their unique key and
    /// linked to what is found, so only differences are written (a rebuilt state store).
    pub relink: bool,
    /// Save the read positions the source sends (`SourceItem::Position`) once every record
    /// before one is checkpointed (not in a dry run).
    pub save_positions: bool,
    pub state: &'a StateStore,
    /// Called with the number of records settled (planned, skipped or written), for a progress
    /// bar.
    pub progress: &'a (dyn Fn(u64) + Send + Sync),
}

#[derive(Debug, Default)]
pub struct StreamReport {
    pub counts: Counts,
    pub changes: Vec<Change>,
    pub failures: Vec<Failure>,
    /// Set when the stream stopped early (the target refused all work, a daily limit, a
    /// signal).
    pub stopped: Option<String>,
    /// A malformed record without an id was seen: a full read cannot tell deletions apart.
    pub unknown_records: bool,
}

type Pending = (Desired, Option<Link>);

enum Job {
    Lookup(Vec<Desired>),
    Write(Vec<Pending>),
}

enum Done {
    Lookup(
        Vec<Desired>,
        HashMap<String, (String, crate::state::Fields)>,
    ),
    Written(Vec<Pending>, Vec<Outcome>),
}

/// Runs `rx` to its end, or until the target stops accepting work, or until a signal asks the
/// run to stop (then no new batch starts, those in flight finish and are checkpointed).
pub async fn run_stream<T: Target>(
    target: &T,
    opts: &StreamOptions<'_>,
    mut rx: Receiver<SourceItem>,
) -> Result<StreamReport, TargetError> {
    let mut report = StreamReport::default();
    let batch_size = target.batch_size().max(1);
    let concurrency = target.concurrency().max(1);
    let stream = opts.stream;
    let mut incoming: Vec<SourceItem> = Vec::with_capacity(batch_size);
    let mut to_write: Vec<Pending> = Vec::new();
    let mut to_lookup: Vec<Desired> = Vec::new();
    let mut in_flight = FuturesUnordered::new();
    let mut eof = false;
    let mut fatal: Option<TargetError> = None;
    let mut stopping = false;
    let mut progress = ReadProgress::default();

    let launch = |job: Job| async move {
        match job {
            Job::Lookup(batch) => {
                let refs: Vec<&Desired> = batch.iter().collect();
                let current = target.current(stream, &refs).await?;
                Ok::<Done, TargetError>(Done::Lookup(batch, current))
            }
            Job::Write(batch) => {
                let outcomes = target.write(stream, &batch).await?;
                Ok(Done::Written(batch, outcomes))
            }
        }
    };

    loop {
        // Keep the target busy: launch full batches (and, at the end, partial ones).
        while fatal.is_none() && !stopping && in_flight.len() < concurrency {
            if to_write.len() >= batch_size || (eof && !to_write.is_empty()) {
                let n = to_write.len().min(batch_size);
                in_flight.push(launch(Job::Write(to_write.drain(..n).collect())));
            } else if to_lookup.len() >= batch_size || (eof && !to_lookup.is_empty()) {
                let n = to_lookup.len().min(batch_size);
                in_flight.push(launch(Job::Lookup(to_lookup.drain(..n).collect())));
            } else {
                break;
            }
        }
        if (eof || fatal.is_some() || stopping) && in_flight.is_empty() {
            break;
        }
        let can_read =
            !eof && fatal.is_none() && !stopping && to_write.len() < batch_size * concurrency * 2;
        tokio::select! {
            _ = crate::interrupt::wait(), if !stopping => stopping = true,
            item = rx.recv(), if can_read => {
                match item {
                    Some(item) => {
                        accept(item, &mut incoming, &mut progress);
                        while incoming.len() < batch_size {
                            match rx.try_recv() {
                                Ok(item) => accept(item, &mut incoming, &mut progress),
                                Err(_) => break,
                            }
                        }
                    }
                    None => eof = true,
                }
                if incoming.len() >= batch_size || (eof && !incoming.is_empty()) || (!incoming.is_empty() && in_flight.is_empty()) {
                    let items = std::mem::take(&mut incoming);
                    let (w0, l0) = (to_write.len(), to_lookup.len());
                    classify(target, opts, items, &mut report, &progress, &mut to_write, &mut to_lookup)?;
                    progress.classified(
                        to_write[w0..]
                            .iter()
                            .map(|p| p.0.source_id.as_str())
                            .chain(to_lookup[l0..].iter().map(|d| d.source_id.as_str())),
                    );
                }
            }
            Some(done) = in_flight.next(), if !in_flight.is_empty() => {
                match done {
                    Ok(Done::Lookup(batch, current)) => {
                        let ids: Vec<String> = batch.iter().map(|d| d.source_id.clone()).collect();
                        let w0 = to_write.len();
                        record_lookups(opts, batch, current, &mut report, &mut to_write)?;
                        // Those now queued for writing stay open until written.
                        let queued: HashSet<&str> =
                            to_write[w0..].iter().map(|p| p.0.source_id.as_str()).collect();
                        let settled = ids.iter().map(String::as_str).filter(|id| !queued.contains(id));
                        progress.finished(settled);
                    }
                    Ok(Done::Written(batch, outcomes)) => {
                        progress.finished(batch.iter().map(|p| p.0.source_id.as_str()));
                        checkpoint(opts, batch, outcomes, &mut report)?;
                    }
                    Err(e) => {
                        if fatal.is_none() {
                            fatal = Some(e);
                        }
                    }
                }
            }
        }
        if opts.save_positions {
            if let Some(position) = progress.savable() {
                opts.state.set_read_position(stream.as_str(), &position)?;
            }
        }
    }
    if let Some(e) = fatal {
        // Records classified but never written stay unlinked: the next run picks them up.
        report.stopped = Some(e.to_string());
        return Err(e);
    }
    if let Some(signal) = crate::interrupt::requested().filter(|_| stopping) {
        // Records read but not written stay unlinked: the next run picks them up.
        report.stopped = Some(format!("stopped by {}", signal.describe()));
    }
    Ok(report)
}

/// Takes one item off the source: a record or a malformed one for classifying, a position for
/// `progress`.
fn accept(item: SourceItem, incoming: &mut Vec<SourceItem>, progress: &mut ReadProgress) {
    match item {
        SourceItem::Position(position) => progress.position(position),
        item => {
            if let SourceItem::Record(record) = &item {
                progress.received(record.source_id());
            }
            incoming.push(item);
        }
    }
}

fn classify<T: Target>(
    target: &T,
    opts: &StreamOptions<'_>,
    items: Vec<SourceItem>,
    report: &mut StreamReport,
    progress: &ReadProgress,
    to_write: &mut Vec<Pending>,
    to_lookup: &mut Vec<Desired>,
) -> Result<(), TargetError> {
    let stream = opts.stream;
    let key = stream.as_str();
    // The same record can come twice (a retry and a fresh change): the later one wins.
    let mut records = Vec::with_capacity(items.len());
    let mut seen = HashSet::new();
    for item in items.into_iter().rev() {
        match item {
            SourceItem::Record(record) => {
                if seen.insert(record.source_id().to_string()) {
                    records.push(*record);
                }
            }
            SourceItem::Position(_) => {} // taken out by `accept`
            SourceItem::Malformed { source_id, reason } => {
                (opts.progress)(1);
                report.counts.failed += 1;
                if source_id.is_none() {
                    report.unknown_records = true;
                }
                let failure = Failure {
                    stream: key.into(),
                    source_id: source_id.unwrap_or_else(|| "(unknown)".into()),
                    reason,
                };
                if !opts.dry_run {
                    let cp = Checkpoint {
                        failed: vec![(failure.source_id.clone(), failure.reason.clone())],
                        ..Default::default()
                    };
                    opts.state.checkpoint(opts.run_id, key, &cp)?;
                }
                report.failures.push(failure);
            }
        }
    }
    records.reverse();
    // Another copy is already on its way to the target: this one would race it.
    records.retain(|r| {
        let racing = progress.is_open(r.source_id());
        if racing {
            (opts.progress)(1);
        }
        !racing
    });
    let ids: Vec<&str> = records.iter().map(|r| r.source_id()).collect();
    if opts.full {
        opts.state.mark_seen(opts.run_id, key, &ids)?;
    }
    let tombstoned: HashSet<String> = opts.state.tombstoned(key, &ids)?.into_iter().collect();
    let mut links = opts.state.links(key, &ids)?;
    // Records the target holds as they are, or never takes: none of them is retried.
    let mut settled: Vec<String> = Vec::new();
    for record in records {
        (opts.progress)(1);
        let id = record.source_id().to_string();
        if tombstoned.contains(&id) {
            settled.push(id.clone());
            push(
                report,
                opts,
                Change::new(stream, Action::Skip, &id, &id)
                    .reason("deleted in the target earlier; never written again"),
            );
            continue;
        }
        let desired = match target.desired(record) {
            Ok(d) => d,
            Err(skip) => {
                settled.push(id.clone());
                push(
                    report,
                    opts,
                    Change::new(stream, Action::Skip, &skip.source_id, &skip.label)
                        .reason(&skip.reason),
                );
                continue;
            }
        };
        match links.remove(&id) {
            Some(link) => {
                if unchanged(&link.fields, &desired.fields) {
                    settled.push(id.clone());
                    push(
                        report,
                        opts,
                        Change::new(stream, Action::Unchanged, &id, &desired.label)
                            .target(&link.target_id),
                    );
                } else if opts.dry_run {
                    let change = Change::new(stream, Action::Update, &id, &desired.label)
                        .target(&link.target_id)
                        .fields(diff(&link.fields, &desired.fields));
                    push(report, opts, change);
                } else {
                    to_write.push((desired, Some(link)));
                }
            }
            None if opts.dry_run => to_lookup.push(desired),
            // Looked up by its unique key first (a rebuilt state file), then written if needed.
            None if opts.relink => to_lookup.push(desired),
            None => to_write.push((desired, None)),
        }
    }
    if !opts.dry_run {
        let settled: Vec<&str> = settled.iter().map(String::as_str).collect();
        opts.state.drop_retries(key, &settled)?;
    }
    Ok(())
}

fn record_lookups(
    opts: &StreamOptions<'_>,
    batch: Vec<Desired>,
    mut current: HashMap<String, (String, crate::state::Fields)>,
    report: &mut StreamReport,
    to_write: &mut Vec<Pending>,
) -> Result<(), TargetError> {
    let mut relinked = Checkpoint::default();
    for desired in batch {
        let found = current.remove(&desired.source_id);
        if opts.relink && !opts.dry_run {
            // Linked to the record found by its unique key; written only where it differs.
            match found {
                Some((target_id, fields)) if diff(&fields, &desired.fields).is_empty() => {
                    push(
                        report,
                        opts,
                        Change::new(
                            opts.stream,
                            Action::Unchanged,
                            &desired.source_id,
                            &desired.label,
                        )
                        .target(&target_id),
                    );
                    relinked.written.push(LinkUpdate {
                        source_id: desired.source_id,
                        target_id,
                        fields,
                    });
                }
                Some((target_id, fields)) => {
                    to_write.push((desired, Some(Link { target_id, fields })))
                }
                None => to_write.push((desired, None)),
            }
            continue;
        }
        let change = match found {
            Some((target_id, fields)) => {
                let changes = diff(&fields, &desired.fields);
                let action = if changes.is_empty() {
                    Action::Unchanged
                } else {
                    Action::Update
                };
                Change::new(opts.stream, action, &desired.source_id, &desired.label)
                    .target(&target_id)
                    .fields(changes)
            }
            None => {
                let fields = diff(&Default::default(), &desired.fields);
                Change::new(
                    opts.stream,
                    Action::Create,
                    &desired.source_id,
                    &desired.label,
                )
                .fields(fields)
            }
        };
        push(report, opts, change);
    }
    if !relinked.written.is_empty() {
        opts.state
            .checkpoint(opts.run_id, opts.stream.as_str(), &relinked)?;
    }
    Ok(())
}

fn checkpoint(
    opts: &StreamOptions<'_>,
    batch: Vec<Pending>,
    outcomes: Vec<Outcome>,
    report: &mut StreamReport,
) -> Result<(), TargetError> {
    let key = opts.stream.as_str();
    let mut by_id: HashMap<String, Pending> = batch
        .into_iter()
        .map(|p| (p.0.source_id.clone(), p))
        .collect();
    let mut cp = Checkpoint::default();
    for outcome in outcomes {
        match outcome {
            Outcome::Written {
                source_id,
                target_id,
                created,
                fields,
            } => {
                let Some((desired, link)) = by_id.remove(&source_id) else {
                    continue;
                };
                let old = link.map(|l| l.fields).unwrap_or_default();
                let action = if created {
                    Action::Create
                } else {
                    Action::Update
                };
                let mut change =
                    Change::new(opts.stream, action, &source_id, &desired.label).target(&target_id);
                if opts.collect_changes {
                    change = change.fields(diff(&old, &desired.fields));
                }
                push(report, opts, change);
                // What was written over `old` (`plan::merged`), without copying either.
                let mut written = old;
                written.extend(fields.unwrap_or(desired.fields));
                cp.written.push(LinkUpdate {
                    source_id,
                    target_id,
                    fields: written,
                });
            }
            Outcome::Failed { source_id, reason } => {
                by_id.remove(&source_id);
                report.counts.failed += 1;
                report.failures.push(Failure {
                    stream: key.into(),
                    source_id: source_id.clone(),
                    reason: reason.clone(),
                });
                cp.failed.push((source_id, reason));
            }
            Outcome::Gone {
                source_id,
                target_id,
                reason,
            } => {
                let label = by_id
                    .remove(&source_id)
                    .map(|p| p.0.label)
                    .unwrap_or_else(|| source_id.clone());
                push(
                    report,
                    opts,
                    Change::new(opts.stream, Action::Skip, &source_id, &label)
                        .target(&target_id)
                        .reason(&reason),
                );
                cp.tombstones.push((source_id, target_id, reason));
            }
            Outcome::Deleted { source_id } => {
                by_id.remove(&source_id);
                report.counts.add(Action::Delete);
                cp.deleted.push(source_id);
            }
        }
    }
    // A record the target said nothing about did not land: retry it next run.
    for (source_id, _) in by_id {
        let reason = "the target did not confirm this record".to_string();
        report.counts.failed += 1;
        report.failures.push(Failure {
            stream: key.into(),
            source_id: source_id.clone(),
            reason: reason.clone(),
        });
        cp.failed.push((source_id, reason));
    }
    opts.state.checkpoint(opts.run_id, key, &cp)?;
    Ok(())
}

/// Deletes, in the target, the linked records the source no longer has.
pub async fn delete_missing<T: Target>(
    target: &T,
    opts: &StreamOptions<'_>,
    gone: Vec<(String, Link)>,
    report: &mut StreamReport,
) -> Result<(), TargetError> {
    for chunk in gone.chunks(target.batch_size().max(1)) {
        if opts.dry_run {
            for (source_id, link) in chunk {
                let change = Change::new(opts.stream, Action::Delete, source_id, source_id)
                    .target(&link.target_id);
                push(report, opts, change);
            }
            continue;
        }
        let outcomes = target.delete(opts.stream, chunk.to_vec()).await?;
        let batch = Vec::new();
        checkpoint(opts, batch, outcomes, report)?;
    }
    Ok(())
}

fn push(report: &mut StreamReport, opts: &StreamOptions<'_>, change: Change) {
    report.counts.add(change.action);
    if opts.collect_changes || matches!(change.action, Action::Skip) {
        report.changes.push(change);
    }
}

impl Change {
    fn new(stream: Stream, action: Action, source_id: &str, label: &str) -> Change {
        Change {
            stream: stream.as_str().to_string(),
            action,
            source_id: source_id.to_string(),
            label: label.to_string(),
            target_id: None,
            reason: None,
            fields: Vec::new(),
        }
    }

    fn target(mut self, id: &str) -> Change {
        self.target_id = Some(id.to_string());
        self
    }

    fn reason(mut self, reason: &str) -> Change {
        self.reason = Some(reason.to_string());
        self
    }

    fn fields(mut self, fields: Vec<crate::engine::plan::FieldChange>) -> Change {
        self.fields = fields;
        self
    }
}
