//! Shopify as an engine [`Source`]: each stream's read planned (pages or a bulk export, where a
//! stopped read resumes, the next run's cursor) and run.

use tokio::sync::mpsc::Sender;

use super::{PlannedRead, ReadMode, ReadPosition, ShopifyClient};
use crate::engine::oneway::{NextCursor, PlannedStream};
use crate::engine::{ReadEnd, Source, SourceItem};
use crate::error::CliError;
use crate::model::Stream;
use crate::state::StateStore;

/// Records changed this long before a read started are read again by the next run: Shopify's
/// search index can lag a little behind a write.
const LOOKBACK: chrono::Duration = chrono::Duration::minutes(2);

/// The run a read is planned for.
pub struct ReadTimes {
    pub run_id: i64,
    pub run_start: chrono::DateTime<chrono::Utc>,
    /// A dry run neither resumes a stopped read nor saves where it gets to.
    pub dry_run: bool,
}

/// One stream's read: changed since a cursor or everything, planned (pages or the bulk export
/// already started), and the position it resumes from and saves.
pub struct StreamRead {
    pub mode: ReadMode,
    pub plan: PlannedRead,
    pub position: Option<ReadPosition>,
}

impl ShopifyClient {
    /// Plans one stream's read of `count` records (`mode`: everything or changes since a
    /// cursor): the same read stopped part-way by an earlier run resumes where it got to; a
    /// large one goes by bulk export (started now, so that exports run while earlier streams
    /// are written); the next run reads from this read's start, less [`LOOKBACK`].
    pub async fn plan_stream(
        &self,
        state: &StateStore,
        stream: Stream,
        mode: ReadMode,
        count: u64,
        bulk_threshold: u64,
        when: &ReadTimes,
    ) -> Result<PlannedStream<StreamRead>, CliError> {
        let resume = if when.dry_run {
            None
        } else {
            state
                .read_position(stream.as_str())?
                .and_then(|p| serde_json::from_str::<ReadPosition>(&p).ok())
                .filter(|p| p.read == ReadPosition::read_of(&mode))
        };
        let plan = self
            .plan_read_from(stream, &mode, bulk_threshold, Some(count), resume.as_ref())
            .await?;
        let position = if when.dry_run {
            None
        } else {
            let started = when
                .run_start
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            let mut p = resume.unwrap_or_else(|| {
                ReadPosition::new(&mode, &started, when.run_id, plan.export.clone())
            });
            if plan.export.is_some() && p.export != plan.export {
                p.export = plan.export.clone();
                p.lines = 0;
            }
            if p.export.is_some() {
                // A run stopped while Shopify exports finds the export again.
                state.set_read_position(
                    stream.as_str(),
                    &serde_json::to_string(&p).unwrap_or_default(),
                )?;
            }
            Some(p)
        };
        // A resumed read began in an earlier run: its start decides the next cursor, and
        // which records a full read did not see.
        let (read_started, read_run) = match &position {
            Some(p) => (
                chrono::DateTime::parse_from_rfc3339(&p.started)
                    .map(|t| t.with_timezone(&chrono::Utc))
                    .unwrap_or(when.run_start),
                p.run,
            ),
            None => (when.run_start, when.run_id),
        };
        // Records changed while this run read are read again next time.
        let next = (read_started - LOOKBACK).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let full = matches!(mode, ReadMode::Full);
        Ok(PlannedStream {
            stream,
            full,
            resumable: position.is_some(),
            read_run,
            next_cursor: NextCursor::At(next),
            expected: full.then_some(plan.count),
            waiting: plan
                .export
                .is_some()
                .then(|| "Shopify is preparing the bulk export".to_string()),
            read: StreamRead {
                mode,
                plan,
                position,
            },
        })
    }
}

impl Source for ShopifyClient {
    type Read = StreamRead;

    async fn read(
        &self,
        stream: Stream,
        read: StreamRead,
        tx: &Sender<SourceItem>,
    ) -> Result<ReadEnd, CliError> {
        let summary = self
            .read_planned_from(stream, &read.mode, read.plan, read.position, tx)
            .await?;
        Ok(ReadEnd {
            records: summary.records,
            used_bulk: summary.used_bulk,
            latest_changed: None,
        })
    }

    async fn read_ids(
        &self,
        stream: Stream,
        ids: &[String],
        tx: &Sender<SourceItem>,
    ) -> Result<Vec<String>, CliError> {
        Ok(ShopifyClient::read_ids(self, stream, ids, tx).await?)
    }
}
