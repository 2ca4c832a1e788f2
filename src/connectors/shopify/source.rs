//! Shopify as an engine [`Source`]: a stream's read is planned by the flow (pages or a bulk
//! export, where a stopped read resumes) and run here.

use tokio::sync::mpsc::Sender;

use super::{PlannedRead, ReadMode, ReadPosition, ShopifyClient};
use crate::engine::{ReadEnd, Source, SourceItem};
use crate::error::CliError;
use crate::model::Stream;

/// One stream's read: changed since a cursor or everything, planned (pages or the bulk export
/// already started), and the position it resumes from and saves.
pub struct StreamRead {
    pub mode: ReadMode,
    pub plan: PlannedRead,
    pub position: Option<ReadPosition>,
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
