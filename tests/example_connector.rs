//! A connector added without touching the engine (issue 9): a JSON-lines file of customers,
//! read by a `Source` written in this file and nowhere else, synced into the HubSpot fake by the
//! engine's one-way run and the HubSpot connector's `Target`.
//!
//! What it shows: a new source supplies only how its records are read (`Source::read`, and
//! `read_ids` for the retry list) and maps them to the canonical `model::Customer`; the plan,
//! batching, checkpoints, retries, cursors and unchanged-record detection come from the engine.

mod common;

use std::path::PathBuf;
use std::sync::Mutex;

use common::{sandbox, HUBSPOT_TOKEN};
use serde::Deserialize;
use shopsync::connectors::hubspot::{HubSpotClient, HubSpotTarget};
use shopsync::engine::oneway::{run_streams, NextCursor, Observer, PlannedStream, RunOptions};
use shopsync::engine::oneway::{StreamBar, StreamDone};
use shopsync::engine::{ReadEnd, Source, SourceItem, Target};
use shopsync::error::CliError as Error;
use shopsync::model::{Customer, Record, Stream};
use shopsync::secret::Secret;
use shopsync::state::StateStore;
use tokio::sync::mpsc::Sender;

// ---------------------------------------------------------------------------------------------
// The example connector: everything a JSON-lines source needs.

/// One line of the file.
#[derive(Deserialize)]
struct Line {
    id: String,
    email: String,
    first_name: Option<String>,
    last_name: Option<String>,
    updated_at: String,
}

impl Line {
    fn customer(self) -> Customer {
        Customer {
            id: self.id,
            email: Some(self.email),
            first_name: self.first_name,
            last_name: self.last_name,
            created_at: self.updated_at.clone(),
            updated_at: self.updated_at,
            ..Customer::default()
        }
    }
}

/// Customers from a file of JSON lines. Its cursor is the newest `updated_at` read.
struct JsonLines {
    path: PathBuf,
}

impl JsonLines {
    /// Every line, parsed; a line that does not parse is reported with its number.
    fn lines(&self) -> Result<Vec<SourceItem>, Error> {
        let text = std::fs::read_to_string(&self.path).map_err(|e| {
            Error::config(format!("cannot read {}: {e}", self.path.display()))
                .hint("check the file's path")
        })?;
        Ok(text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(n, l)| match serde_json::from_str::<Line>(l) {
                Ok(line) => SourceItem::Record(Box::new(Record::Customer(line.customer()))),
                Err(e) => SourceItem::Malformed {
                    source_id: Some(format!("line {}", n + 1)),
                    reason: e.to_string(),
                },
            })
            .collect())
    }
}

impl Source for JsonLines {
    /// Changed since this `updated_at`, or everything.
    type Read = Option<String>;

    async fn read(
        &self,
        _stream: Stream,
        since: Option<String>,
        tx: &Sender<SourceItem>,
    ) -> Result<ReadEnd, Error> {
        let mut end = ReadEnd::default();
        for item in self.lines()? {
            if let SourceItem::Record(r) = &item {
                if since.as_deref().is_some_and(|s| r.updated_at() <= s) {
                    continue;
                }
                end.records += 1;
                if end.latest_changed.as_deref() < Some(r.updated_at()) {
                    end.latest_changed = Some(r.updated_at().to_string());
                }
            }
            if tx.send(item).await.is_err() {
                break;
            }
        }
        Ok(end)
    }

    async fn read_ids(
        &self,
        _stream: Stream,
        ids: &[String],
        tx: &Sender<SourceItem>,
    ) -> Result<Vec<String>, Error> {
        let mut gone: Vec<String> = ids.to_vec();
        for item in self.lines()? {
            if let SourceItem::Record(r) = &item {
                if let Some(i) = gone.iter().position(|id| id == r.source_id()) {
                    gone.remove(i);
                    let _ = tx.send(item).await;
                }
            }
        }
        Ok(gone)
    }
}

// ---------------------------------------------------------------------------------------------
// The test: the connector above, the engine and the HubSpot connector as they are.

/// Keeps the status lines; shows no bars.
#[derive(Default)]
struct Quiet {
    lines: Mutex<Vec<String>>,
}

struct NoBar;

impl StreamBar for NoBar {
    fn inc(&self, _: u64) {}
    fn finish(&self) {}
    fn abandon(&self) {}
}

impl Observer for Quiet {
    type Bar = NoBar;
    fn stream_started(&self, _: Stream, _: Option<u64>, _: Option<&str>) -> NoBar {
        NoBar
    }
    fn status(&self, line: String) {
        self.lines.lock().unwrap().push(line);
    }
}

/// One run of the customers stream from `file` into HubSpot, as a flow would run it.
async fn sync(file: &JsonLines, state: &StateStore, hubspot_url: &str) -> StreamDone {
    let run_id = state.begin_run("example", "example", false).unwrap();
    let client = HubSpotClient::new(hubspot_url, Secret::new(HUBSPOT_TOKEN.into()));
    let target = HubSpotTarget::new(client, state.clone(), run_id, "Example".into());
    target.prepare(&[Stream::Customers], false).await.unwrap();
    let since = state.cursor(Stream::Customers.as_str()).unwrap();
    let plan = PlannedStream {
        stream: Stream::Customers,
        full: since.is_none(),
        resumable: false,
        read_run: run_id,
        next_cursor: NextCursor::LatestChanged,
        expected: None,
        waiting: None,
        read: since,
    };
    let run = RunOptions {
        run_id,
        dry_run: false,
        collect_changes: false,
        relink: false,
        state,
        deletions: &[],
    };
    let (mut done, stop) = run_streams(
        file,
        "the file",
        &target,
        &run,
        vec![plan],
        &Quiet::default(),
    )
    .await;
    assert!(stop.is_none(), "the run stopped: {stop:?}");
    state
        .finish_run(run_id, "ok", &serde_json::json!({}))
        .unwrap();
    done.pop().expect("one stream ran")
}

fn line(id: u32, first: &str, updated: &str) -> String {
    format!(
        r#"{{"id":"c{id}","email":"person{id}@example.com","first_name":"{first}","updated_at":"{updated}"}}"#
    )
}

#[tokio::test]
async fn a_json_lines_source_syncs_into_hubspot_through_the_engine() {
    let sandbox = sandbox(|_| {}).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("customers.jsonl");
    let state = StateStore::open(dir.path(), "example").unwrap();
    let file = JsonLines { path: path.clone() };
    let contacts = || {
        let mut by_email: Vec<(String, String)> = sandbox
            .hubspot
            .objects("contacts")
            .into_iter()
            .filter(|c| {
                c.properties
                    .get("email")
                    .is_some_and(|e| e.starts_with("person"))
            })
            .map(|c| {
                (
                    c.properties["email"].clone(),
                    c.properties.get("firstname").cloned().unwrap_or_default(),
                )
            })
            .collect();
        by_email.sort();
        by_email
    };
    let before = sandbox.hubspot.count("contacts");

    // The first run: 250 customers (three HubSpot batches) and one malformed line.
    let mut text: Vec<String> = (1..=250)
        .map(|i| line(i, "Ann", "2026-11-01T10:00:00Z"))
        .collect();
    text.insert(7, "{not json".into());
    std::fs::write(&path, text.join("\n")).unwrap();
    let first = sync(&file, &state, &sandbox.hubspot_url()).await;
    assert_eq!(first.records, 250);
    assert_eq!(first.report.counts.create, 250, "{:?}", first.report.counts);
    assert_eq!(
        first.report.failures.len(),
        1,
        "the malformed line is reported"
    );
    assert_eq!(
        first.report.failures[0].source_id, "line 8",
        "{:?}",
        first.report.failures
    );
    assert_eq!(sandbox.hubspot.count("contacts"), before + 250);
    let synced = contacts();
    assert_eq!(synced.len(), 250, "each customer once");
    assert!(synced.iter().all(|(_, first)| first == "Ann"));

    // The second run reads only what changed since the cursor: two renamed customers.
    text.retain(|l| !l.starts_with("{not"));
    text[4] = line(5, "Bea", "2026-11-02T09:00:00Z");
    text[9] = line(10, "Cai", "2026-11-02T09:30:00Z");
    std::fs::write(&path, text.join("\n")).unwrap();
    let second = sync(&file, &state, &sandbox.hubspot_url()).await;
    assert_eq!(second.records, 2, "only the changed lines are read");
    assert_eq!(second.report.counts.update, 2, "{:?}", second.report.counts);
    assert_eq!(second.report.counts.create, 0);
    assert_eq!(
        sandbox.hubspot.count("contacts"),
        before + 250,
        "no duplicate"
    );
    let synced = contacts();
    let renamed: Vec<&(String, String)> = synced.iter().filter(|(_, f)| f != "Ann").collect();
    assert_eq!(
        renamed,
        [
            &("person10@example.com".to_string(), "Cai".to_string()),
            &("person5@example.com".to_string(), "Bea".to_string()),
        ]
    );

    // A third run with nothing new writes nothing.
    let written = sandbox.hubspot.stats().inputs_written;
    let third = sync(&file, &state, &sandbox.hubspot_url()).await;
    assert_eq!(third.records, 0);
    assert_eq!(third.report.counts.changes(), 0);
    assert_eq!(
        sandbox.hubspot.stats().inputs_written,
        written,
        "nothing written when nothing changed"
    );
}
