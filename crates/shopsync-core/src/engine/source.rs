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

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Mutex;

    use super::*;
    use crate::engine::{Desired, Outcome, Skip};
    use crate::model::{Customer, Record};
    use crate::state::{Checkpoint, Fields, Link, StateStore};

    /// A shop of customers by id; `broken` makes the full read fail after sending them.
    struct Shop {
        customers: Vec<&'static str>,
        broken: bool,
    }

    fn customer(id: &str) -> SourceItem {
        SourceItem::Record(Box::new(Record::Customer(Customer {
            id: id.into(),
            email: Some(format!("{id}@example.com")),
            ..Default::default()
        })))
    }

    impl Source for Shop {
        type Read = ();

        async fn read(
            &self,
            _stream: Stream,
            _read: (),
            tx: &Sender<SourceItem>,
        ) -> Result<ReadEnd, Error> {
            for id in &self.customers {
                tx.send(customer(id)).await.unwrap();
            }
            if self.broken {
                return Err(Error::run("the shop went away"));
            }
            Ok(ReadEnd {
                records: self.customers.len() as u64,
                ..Default::default()
            })
        }

        async fn read_ids(
            &self,
            _stream: Stream,
            ids: &[String],
            tx: &Sender<SourceItem>,
        ) -> Result<Vec<String>, Error> {
            let mut gone = Vec::new();
            for id in ids {
                match self.customers.iter().find(|c| **c == id) {
                    Some(c) => tx.send(customer(c)).await.unwrap(),
                    None => gone.push(id.clone()),
                }
            }
            Ok(gone)
        }
    }

    /// Keeps what it is sent, in order.
    #[derive(Default)]
    struct List {
        written: Mutex<Vec<String>>,
    }

    impl Target for List {
        async fn prepare(&self, _: &[Stream], _: bool) -> Result<(), Error> {
            Ok(())
        }

        fn desired(&self, record: Record) -> Result<Desired, Skip> {
            let mut fields = Fields::new();
            fields.insert("id".into(), record.source_id().into());
            Ok(Desired {
                source_id: record.source_id().into(),
                label: record.source_id().into(),
                fields,
                record,
            })
        }

        async fn current(
            &self,
            _: Stream,
            _: &[&Desired],
        ) -> Result<HashMap<String, (String, Fields)>, Error> {
            Ok(HashMap::new())
        }

        async fn write(
            &self,
            _: Stream,
            records: &[(Desired, Option<Link>)],
        ) -> Result<Vec<Outcome>, Error> {
            let mut written = self.written.lock().unwrap();
            Ok(records
                .iter()
                .map(|(d, _)| {
                    written.push(d.source_id.clone());
                    Outcome::Written {
                        source_id: d.source_id.clone(),
                        target_id: format!("t-{}", d.source_id),
                        created: true,
                        fields: None,
                    }
                })
                .collect())
        }

        async fn delete(&self, _: Stream, _: Vec<(String, Link)>) -> Result<Vec<Outcome>, Error> {
            Ok(Vec::new())
        }

        fn deletes_follow_source(&self, _: Stream) -> bool {
            false
        }

        fn batch_size(&self) -> usize {
            10
        }
    }

    async fn run(shop: &Shop, dry_run: bool) -> (StreamRun, Vec<String>, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let state = StateStore::open(dir.path(), "p").unwrap();
        let run_id = state.begin_run("test", "p", false).unwrap();
        // Two records failed in an earlier run: one still in the shop, one deleted since.
        let failed = Checkpoint {
            failed: vec![
                ("c2".into(), "refused".into()),
                ("gone".into(), "refused".into()),
            ],
            ..Default::default()
        };
        state.checkpoint(run_id, "customers", &failed).unwrap();
        let retries = state.retries("customers").unwrap();
        let target = List::default();
        let tick = |_: u64| {};
        let opts = StreamOptions {
            stream: Stream::Customers,
            run_id,
            dry_run,
            full: false,
            collect_changes: false,
            relink: false,
            save_positions: false,
            state: &state,
            progress: &tick,
        };
        let run = sync_stream(shop, &target, &opts, &retries, ())
            .await
            .unwrap();
        let written = target.written.lock().unwrap().clone();
        let left = state.retries("customers").unwrap();
        (run, written, left)
    }

    #[tokio::test]
    async fn retries_go_first_and_those_the_source_lost_leave_the_list() {
        let shop = Shop {
            customers: vec!["c1", "c2", "c3"],
            broken: false,
        };
        let (run, written, left) = run(&shop, false).await;
        assert_eq!(run.gone, vec!["gone".to_string()]);
        assert_eq!(run.read.unwrap().unwrap().records, 3);
        // c2 came twice (retried, then in the full read) and was written once.
        let mut written = written;
        written.sort();
        assert_eq!(written, vec!["c1", "c2", "c3"]);
        assert_eq!(run.report.counts.create, 3);
        assert!(left.is_empty(), "{left:?}");
    }

    #[tokio::test]
    async fn a_dry_run_leaves_the_retry_list_as_it_is() {
        let shop = Shop {
            customers: vec!["c2"],
            broken: false,
        };
        let (run, written, left) = run(&shop, true).await;
        assert_eq!(run.gone, vec!["gone".to_string()]);
        assert!(written.is_empty());
        assert_eq!(left, vec!["c2".to_string(), "gone".to_string()]);
    }

    #[tokio::test]
    async fn a_failed_read_comes_back_beside_what_was_written() {
        let shop = Shop {
            customers: vec!["c1", "c2"],
            broken: true,
        };
        let (run, written, _) = run(&shop, false).await;
        assert_eq!(run.read.unwrap_err().message, "the shop went away");
        assert!(run.gone.is_empty());
        assert_eq!(written.len(), 2);
    }
}
