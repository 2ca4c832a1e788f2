//! A Shopware shop (5 or 6) as an engine [`Source`] of customers: read changed since a cursor
//! (`Y-m-d H:i:s`, the newest `changed` the last read saw), or all of them.

use tokio::sync::mpsc::Sender;

use super::Shop;
use crate::engine::{ReadEnd, Source, SourceItem};
use crate::error::CliError;
use crate::model::{Record, Stream};

impl Source for Shop {
    /// The cursor: customers changed at or after it (all without one).
    type Read = Option<String>;

    async fn read(
        &self,
        _stream: Stream,
        since: Option<String>,
        tx: &Sender<SourceItem>,
    ) -> Result<ReadEnd, CliError> {
        let read = self.read_customers(since.as_deref(), tx).await?;
        Ok(ReadEnd {
            records: read.records,
            used_bulk: false,
            latest_changed: read.latest_changed,
        })
    }

    async fn read_ids(
        &self,
        _stream: Stream,
        ids: &[String],
        tx: &Sender<SourceItem>,
    ) -> Result<Vec<String>, CliError> {
        let mut gone = Vec::new();
        for id in ids {
            let item = match self.customer(id).await? {
                Some(Ok(c)) => SourceItem::Record(Box::new(Record::Customer(c))),
                Some(Err(reason)) => SourceItem::Malformed {
                    source_id: Some(id.clone()),
                    reason,
                },
                None => {
                    gone.push(id.clone());
                    continue;
                }
            };
            if tx.send(item).await.is_err() {
                break;
            }
        }
        Ok(gone)
    }
}
