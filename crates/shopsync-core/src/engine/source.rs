//! A system records are read from, and one stream's run from that source into a target.

use tokio::sync::mpsc::Sender;

use super::apply::{run_stream, StreamOptions, StreamReport};
use super::{SourceItem, Target};
use crate::error::Error;
use crate::model::Stream;

/// What one read of a stream did.
#[derive(Debug, Default, Clone)]
pub struct ReadEnd {
    pub records: u64,
    /// The read went by the source's bulk export rather than page by page.
    pub used_bulk: bool,
    /// The newest change the read saw, as the source spells it: for a source whose cursor is
    /// the last change read rather than the time the read started.
    pub latest_changed: Option<String>,
}

/// A system records are read from. Each source decides how a stream is read (`Read`: a cursor,
/// pages or a bulk export, where a stopped read resumes); the engine only runs that read.
#[allow(async_fn_in_trait)]
pub trait Source {
    /// One stream's read, as the source planned it.
    type Read;

    /// Sends the records of `read` down `tx` (and read positions, where the source has them),
    /// until the read ends or the receiver is gone.
    async fn read(
        &self,
        stream: Stream,
        read: Self::Read,
        tx: &Sender<SourceItem>,
    ) -> Result<ReadEnd, Error>;

    /// Sends the records with these ids down `tx` again (the retry list of earlier runs), and
    /// returns the ids the source no longer has.
    async fn read_ids(
        &self,
        stream: Stream,
        ids: &[String],
        tx: &Sender<SourceItem>,
    ) -> Result<Vec<String>, Error>;
}

/// How one stream's run went. An error of the target comes back as the `Err` of
/// [`sync_stream`] instead: the records written before it are checkpointed.
#[derive(Debug)]
pub struct StreamRun {
    pub report: StreamReport,
    /// How the read ended: `Ok(None)` when a signal stopped it (reading changes nothing, so an
    /// abandoned read loses nothing).
    pub read: Result<Option<ReadEnd>, Error>,
    /// Retried records the source no longer has: off the retry list (except in a dry run).
    pub gone: Vec<String>,
}

/// Runs one stream: the records queued for retry first, then `read`, through the plan and
/// (unless a dry run) into the target, while the source is still being read.
pub async fn sync_stream<S: Source, T: Target>(
    source: &S,
    target: &T,
    opts: &StreamOptions<'_>,
    retries: &[String],
    read: S::Read,
) -> Result<StreamRun, Error> {
    let stream = opts.stream;
    let (tx, rx) = tokio::sync::mpsc::channel::<SourceItem>(2_000);
    let reader = async {
        let tx = tx;
        let gone = if retries.is_empty() {
            Vec::new()
        } else {
            source.read_ids(stream, retries, &tx).await?
        };
        let end = source.read(stream, read, &tx).await?;
        Ok::<_, Error>((end, gone))
    };
    // A signal abandons the read in flight; the writes in flight finish in `run_stream`.
    let reader = async {
        tokio::select! {
            read = reader => read.map(Some),
            _ = crate::interrupt::wait() => Ok(None),
        }
    };
    let (read, applied) = tokio::join!(reader, run_stream(target, opts, rx));
    let report = applied?;
    let (read, gone) = match read {
        Ok(Some((end, gone))) => (Ok(Some(end)), gone),
        Ok(None) => (Ok(None), Vec::new()),
        Err(e) => (Err(e), Vec::new()),
    };
    if !gone.is_empty() && !opts.dry_run {
        let ids: Vec<&str> = gone.iter().map(String::as_str).collect();
        opts.state.drop_retries(stream.as_str(), &ids)?;
    }
    Ok(StreamRun { report, read, gone })
}
