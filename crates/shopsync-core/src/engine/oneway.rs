//! A one-way run: every planned stream of a source read into a target, in order, with the
//! bookkeeping around each read that every one-way flow needs (the retries of earlier runs,
//! records deleted in the source, the cursor of the next run, a stopped read's position).
//!
//! The flow decides what is read (it plans each stream with its source) and reports the result;
//! the engine runs it.

use super::apply::{delete_missing, StreamOptions, StreamReport};
use super::source::{sync_stream, Source};
use super::Target;
use crate::error::Error;
use crate::model::Stream;
use crate::state::StateStore;

/// One stream's read as the flow planned it.
pub struct PlannedStream<R> {
    pub stream: Stream,
    pub read: R,
    /// A full read: records it did not see were deleted in the source.
    pub full: bool,
    /// The read sends positions and they are saved, so a stopped run resumes it.
    pub resumable: bool,
    /// The run the read began in (an earlier one for a resumed read): a full read's unseen
    /// records are those not seen since then.
    pub read_run: i64,
    /// The cursor the next run reads from once this read is done.
    pub next_cursor: NextCursor,
    /// The count of records, when known before reading (for the progress bar).
    pub expected: Option<u64>,
    /// What the stream waits for before its first record, if anything (a bulk export).
    pub waiting: Option<String>,
}

/// Where the next run's read starts.
pub enum NextCursor {
    /// Known before reading (e.g. the time this read started, less a safety margin).
    At(String),
    /// The newest change the read saw (`ReadEnd::latest_changed`); unchanged when it saw none.
    LatestChanged,
}

/// What the run says while it goes: a progress bar per stream and status lines.
pub trait Observer {
    type Bar: StreamBar;
    fn stream_started(
        &self,
        stream: Stream,
        expected: Option<u64>,
        waiting: Option<&str>,
    ) -> Self::Bar;
    fn status(&self, line: String);
}

/// One stream's progress.
pub trait StreamBar: Send + Sync {
    fn inc(&self, n: u64);
    /// The stream is done.
    fn finish(&self);
    /// The stream stopped part-way.
    fn abandon(&self);
}

/// How the run is asked to go.
pub struct RunOptions<'a> {
    pub run_id: i64,
    pub dry_run: bool,
    pub collect_changes: bool,
    /// Records without a link are looked up in the target first (a rebuilt state store).
    pub relink: bool,
    pub state: &'a StateStore,
    /// Records deleted in the source since the last run, for incremental reads of streams
    /// whose deletions follow the source.
    pub deletions: &'a [(Stream, String)],
}

/// What one stream's run did.
#[derive(Debug)]
pub struct StreamDone {
    pub stream: Stream,
    pub full: bool,
    pub records: u64,
    pub used_bulk: bool,
    pub report: StreamReport,
}

/// Runs `plans` one after another. Returns what each stream did, and the error that stopped
/// the run part-way, if one did (a target or state error, a failed read, a signal): the
/// streams before it are complete, the stream it stopped is reported as far as it got.
pub async fn run_streams<S: Source, T: Target, O: Observer>(
    source: &S,
    source_name: &str,
    target: &T,
    options: &RunOptions<'_>,
    plans: Vec<PlannedStream<S::Read>>,
    observer: &O,
) -> (Vec<StreamDone>, Option<Error>) {
    let mut done = Vec::new();
    for plan in plans {
        if let Some(signal) = crate::interrupt::requested() {
            return (done, Some(Error::signal(signal)));
        }
        if let Err(e) = run_one(
            source,
            source_name,
            target,
            options,
            plan,
            observer,
            &mut done,
        )
        .await
        {
            return (done, Some(e));
        }
    }
    (done, None)
}

async fn run_one<S: Source, T: Target, O: Observer>(
    source: &S,
    source_name: &str,
    target: &T,
    options: &RunOptions<'_>,
    plan: PlannedStream<S::Read>,
    observer: &O,
    done: &mut Vec<StreamDone>,
) -> Result<(), Error> {
    let PlannedStream {
        stream,
        read,
        full,
        resumable,
        read_run,
        next_cursor,
        expected,
        waiting,
    } = plan;
    let key = stream.as_str();
    let state = options.state;
    let retries = state.retries(key)?;
    let bar = observer.stream_started(
        stream,
        expected.map(|n| n + retries.len() as u64),
        waiting.as_deref(),
    );
    let tick = |n: u64| bar.inc(n);
    let opts = StreamOptions {
        stream,
        run_id: options.run_id,
        dry_run: options.dry_run,
        // Which records a full read saw is kept only where it finds deletions.
        full: full && target.deletes_follow_source(stream),
        collect_changes: options.collect_changes,
        relink: options.relink,
        save_positions: resumable && !options.dry_run,
        state,
        progress: &tick,
    };
    let run = match sync_stream(source, target, &opts, &retries, read).await {
        Ok(run) => run,
        Err(e) => {
            bar.abandon();
            return Err(e);
        }
    };
    let mut report = run.report;
    let stopped = |records: u64, used_bulk: bool, report: StreamReport, done: &mut Vec<_>| {
        bar.abandon();
        done.push(StreamDone {
            stream,
            full,
            records,
            used_bulk,
            report,
        });
    };
    if let Some(signal) = crate::interrupt::requested() {
        let records = match &run.read {
            Ok(Some(end)) => end.records,
            _ => 0,
        };
        stopped(records, false, report, done);
        return Err(Error::signal(signal));
    }
    let end = match run.read {
        Ok(end) => end.unwrap_or_default(),
        Err(e) => {
            stopped(0, false, report, done);
            return Err(e);
        }
    };
    if !run.gone.is_empty() {
        // Said, not skipped silently: these were failures the user was told about.
        observer.status(format!(
            "  {key}: {} record(s) queued for retry are no longer in {source_name} (deleted \
             since): not retried{}",
            run.gone.len(),
            if options.dry_run {
                " (dry run: left queued)"
            } else {
                ""
            }
        ));
    }
    if target.deletes_follow_source(stream) {
        let gone = if full && !report.unknown_records {
            state.unseen(read_run, key)?
        } else {
            let ids: Vec<&str> = options
                .deletions
                .iter()
                .filter(|(s, _)| *s == stream)
                .map(|(_, id)| id.as_str())
                .collect();
            state.links(key, &ids)?.into_iter().collect()
        };
        if let Err(e) = delete_missing(target, &opts, gone, &mut report).await {
            stopped(end.records, end.used_bulk, report, done);
            return Err(e);
        }
    }
    bar.finish();
    let failed = report.counts.failed;
    if !options.dry_run {
        let next = match next_cursor {
            NextCursor::At(cursor) => Some(cursor),
            NextCursor::LatestChanged => end.latest_changed.clone(),
        };
        if let Some(next) = next {
            state.set_cursor(key, &next)?;
        }
        if resumable {
            state.clear_read_position(key)?;
        }
    }
    observer.status(format!(
        "  {key}: {} read{}{}",
        end.records,
        if end.used_bulk { " (bulk export)" } else { "" },
        if failed > 0 {
            format!(", {failed} failed")
        } else {
            String::new()
        }
    ));
    done.push(StreamDone {
        stream,
        full,
        records: end.records,
        used_bulk: end.used_bulk,
        report,
    });
    Ok(())
}
