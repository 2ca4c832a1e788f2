//! Bulk export: start a bulk query, poll it, and stream its JSONL result.
//!
//! In the JSONL file every connection node is one line; nodes of a nested connection (a
//! product's media, an order's line items) are separate lines carrying `__parentId`, after
//! their parent. Parents wait in a small window until their children have been seen, so the
//! file is never held in memory whole.

use std::collections::VecDeque;
use std::time::Duration;

use futures::StreamExt;
use serde_json::{json, Value};
use tokio::sync::mpsc::Sender;

use super::client::{ShopifyClient, ShopifyError};
use super::documents;
use crate::engine::SourceItem;

/// What a bulk export produces per root object, and for a line it could not read.
pub trait BulkItem {
    fn malformed(source_id: Option<String>, reason: String) -> Self;
}

impl BulkItem for SourceItem {
    fn malformed(source_id: Option<String>, reason: String) -> Self {
        SourceItem::Malformed { source_id, reason }
    }
}

/// Parents held back while their children may still come.
const PARENT_WINDOW: usize = 64;
const MAX_DOWNLOAD_ATTEMPTS: usize = 5;

/// Waits for the bulk operation `id` (started with [`start`]) and streams its records into `tx`.
pub async fn stream_result<T, F>(
    client: &ShopifyClient,
    name: &'static str,
    id: &str,
    make: F,
    tx: &Sender<T>,
) -> Result<(), ShopifyError>
where
    T: BulkItem,
    F: FnMut(Value, Vec<Value>) -> T,
{
    let mut make = make;
    let make = |root: &[u8], children| match serde_json::from_slice(root) {
        Ok(root) => make(root, children),
        // Not reached: the line was read as JSON once already.
        Err(e) => T::malformed(None, format!("a line of the bulk export is not JSON: {e}")),
    };
    stream_result_from(client, name, id, 0, make, |_| None, tx).await
}

/// Roots emitted between two progress reports of [`stream_result_from`].
const PROGRESS_EVERY: u64 = 50;

/// Like [`stream_result`], skipping the file's first `skip` lines (handled by an earlier run),
/// and sending `progress(lines)` now and then: every line before `lines` has been sent. A root
/// object comes to `make` as its line's JSON text (a valid JSON object), for the caller to
/// parse into what it needs; its children as values.
pub async fn stream_result_from<T, F, P>(
    client: &ShopifyClient,
    name: &'static str,
    id: &str,
    skip: u64,
    mut make: F,
    mut progress: P,
    tx: &Sender<T>,
) -> Result<(), ShopifyError>
where
    T: BulkItem,
    F: FnMut(&[u8], Vec<Value>) -> T,
    P: FnMut(u64) -> Option<T>,
{
    let url = wait(client, id).await?;
    let Some(url) = url else {
        return Ok(()); // A completed operation with no objects has no file.
    };
    let mut done_lines = skip;
    let mut attempt = 0;
    loop {
        attempt += 1;
        match download(client, &url, done_lines, &mut make, &mut progress, tx).await {
            Ok(()) => return Ok(()),
            Err(DownloadError::Stopped) => {
                return Err(ShopifyError::GraphQl {
                    document: name,
                    message: "the run stopped reading".into(),
                })
            }
            Err(DownloadError::Broken { lines, detail }) => {
                done_lines = lines;
                if attempt >= MAX_DOWNLOAD_ATTEMPTS {
                    return Err(ShopifyError::Unreachable {
                        url: "the bulk export file".into(),
                        detail,
                    });
                }
                tracing::debug!("bulk download broke after {lines} lines ({detail}); resuming");
                tokio::time::sleep(Duration::from_millis(500 * attempt as u64)).await;
            }
        }
    }
}

/// Starts a bulk query and returns its operation id; waits while the shop's concurrent bulk
/// operations are all taken.
pub async fn start(
    client: &ShopifyClient,
    name: &'static str,
    text: &str,
) -> Result<String, ShopifyError> {
    let mut wait = Duration::from_secs(1);
    for _ in 0..30 {
        let data = client
            .query(documents::BULK_RUN_QUERY, json!({ "query": text }))
            .await?;
        let payload = &data["bulkOperationRunQuery"];
        let errors = payload["userErrors"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if errors.is_empty() {
            if let Some(id) = payload["bulkOperation"]["id"].as_str() {
                return Ok(id.to_string());
            }
            return Err(ShopifyError::GraphQl {
                document: name,
                message: "no bulk operation was started".into(),
            });
        }
        // Another export of this shop is running (ours from a killed run, or another app's):
        // wait for a free slot.
        if errors
            .iter()
            .any(|e| e["code"].as_str() == Some("OPERATION_IN_PROGRESS"))
        {
            tracing::debug!("a bulk operation is already running; waiting {wait:?}");
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(Duration::from_secs(30));
            continue;
        }
        let message = errors
            .iter()
            .filter_map(|e| e["message"].as_str())
            .collect::<Vec<_>>()
            .join("; ");
        return Err(ShopifyError::GraphQl {
            document: name,
            message,
        });
    }
    Err(ShopifyError::GraphQl {
        document: name,
        message: "other bulk operations kept the shop busy for too long".into(),
    })
}

/// The longest pause between two status polls. A poll costs one cost point (Shopify restores
/// 100+ a second) and nothing else waits on Shopify during an export, while every moment between
/// the export's end and the poll that sees it is lost for the whole sync: doubling up to 5 s once
/// found a 3.2 s export at 6.3 s.
const MAX_POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Whether the bulk operation `id` can still be read (running, or completed with its file not
/// yet expired): an export started by an earlier, stopped run is read instead of a new one.
pub async fn usable(client: &ShopifyClient, id: &str) -> Result<bool, ShopifyError> {
    let data = client
        .query(documents::BULK_OPERATION, json!({ "id": id }))
        .await?;
    let op = &data["bulkOperation"];
    Ok(match op["status"].as_str() {
        Some("CREATED" | "RUNNING") => true,
        Some("COMPLETED") => op["url"].is_string() || op["objectCount"] == "0",
        _ => false,
    })
}

/// Polls until the operation is done; its file URL (None when it found no objects).
async fn wait(client: &ShopifyClient, id: &str) -> Result<Option<String>, ShopifyError> {
    let mut interval = Duration::from_millis(100);
    loop {
        let data = client
            .query(documents::BULK_OPERATION, json!({ "id": id }))
            .await?;
        let op = &data["bulkOperation"];
        match op["status"].as_str() {
            Some("COMPLETED") => return Ok(op["url"].as_str().map(String::from)),
            Some("CREATED" | "RUNNING") | None => {}
            Some(other) => {
                let code = op["errorCode"].as_str().unwrap_or("none");
                return Err(ShopifyError::GraphQl {
                    document: "bulk operation",
                    message: format!("the bulk export ended {other} (error code {code})"),
                });
            }
        }
        tokio::time::sleep(interval).await;
        interval = (interval * 2).min(MAX_POLL_INTERVAL);
    }
}

enum DownloadError {
    Stopped,
    Broken { lines: u64, detail: String },
}

/// Streams the file, skipping the first `skip` lines (already handled before a broken download).
async fn download<T, F, P>(
    client: &ShopifyClient,
    url: &str,
    skip: u64,
    make: &mut F,
    progress: &mut P,
    tx: &Sender<T>,
) -> Result<(), DownloadError>
where
    T: BulkItem,
    F: FnMut(&[u8], Vec<Value>) -> T,
    P: FnMut(u64) -> Option<T>,
{
    let broken = |lines, detail: String| DownloadError::Broken { lines, detail };
    // A resumed download starts over at a root line: rewind `skip` to the last one we emitted.
    let response = client
        .http()
        .get(url)
        .timeout(crate::http::LONG_DOWNLOAD_TIMEOUT)
        .send()
        .await
        .map_err(|e| broken(skip, crate::http::describe(&e)))?;
    if !response.status().is_success() {
        return Err(broken(skip, format!("HTTP {}", response.status())));
    }
    let mut body = response.bytes_stream();
    let mut buffer: Vec<u8> = Vec::new();
    let mut line_no = 0u64;
    let mut emitted_through = skip;
    let mut window: VecDeque<Parent> = VecDeque::new();
    let mut reported = skip;
    loop {
        let chunk = match body.next().await {
            Some(Ok(c)) => c,
            Some(Err(e)) => return Err(broken(emitted_through, crate::http::describe(&e))),
            None => break,
        };
        buffer.extend_from_slice(&chunk);
        let mut start = 0;
        while let Some(pos) = buffer[start..].iter().position(|b| *b == b'\n') {
            let line = &buffer[start..start + pos];
            start += pos + 1;
            line_no += 1;
            if line_no <= skip || line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            handle_line(line, line_no, &mut window, &mut emitted_through, make, tx).await?;
            if emitted_through >= reported + PROGRESS_EVERY {
                reported = emitted_through;
                if let Some(item) = progress(emitted_through) {
                    tx.send(item).await.map_err(|_| DownloadError::Stopped)?;
                }
            }
        }
        buffer.drain(..start);
    }
    if !buffer.iter().all(u8::is_ascii_whitespace) {
        line_no += 1;
        if line_no > skip {
            let line = std::mem::take(&mut buffer);
            handle_line(&line, line_no, &mut window, &mut emitted_through, make, tx).await?;
        }
    }
    while let Some(parent) = window.pop_front() {
        tx.send(make(&parent.line, parent.children))
            .await
            .map_err(|_| DownloadError::Stopped)?;
    }
    Ok(())
}

/// A root line waiting for its children: its id, its JSON text, its children, its line number.
struct Parent {
    id: String,
    line: Vec<u8>,
    children: Vec<Value>,
    line_no: u64,
}

/// What every line is first read for: the root's id, or the parent of a child. Other fields
/// are skipped without being built.
#[derive(serde::Deserialize)]
struct LineHead<'a> {
    #[serde(default, borrow)]
    id: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, rename = "__parentId", borrow)]
    parent: Option<std::borrow::Cow<'a, str>>,
}

async fn handle_line<T, F>(
    line: &[u8],
    line_no: u64,
    window: &mut VecDeque<Parent>,
    emitted_through: &mut u64,
    make: &mut F,
    tx: &Sender<T>,
) -> Result<(), DownloadError>
where
    T: BulkItem,
    F: FnMut(&[u8], Vec<Value>) -> T,
{
    // A line that is not a JSON object (a bare value, an array) reads as one without an id.
    let head =
        serde_json::from_slice::<LineHead<'_>>(line).or_else(|e| {
            match serde_json::from_slice::<serde::de::IgnoredAny>(line) {
                Ok(_) => Ok(LineHead {
                    id: None,
                    parent: None,
                }),
                Err(_) => Err(e),
            }
        });
    let head = match head {
        Ok(v) => v,
        Err(e) => {
            let item = T::malformed(
                None,
                format!("line {line_no} of the bulk export is not JSON: {e}"),
            );
            return tx.send(item).await.map_err(|_| DownloadError::Stopped);
        }
    };
    if let Some(parent) = head.parent.as_deref() {
        match window.iter_mut().rev().find(|p| p.id == parent) {
            Some(p) => match serde_json::from_slice(line) {
                Ok(value) => p.children.push(value),
                Err(e) => {
                    let item = T::malformed(
                        Some(parent.to_string()),
                        format!("line {line_no} of the bulk export is not JSON: {e}"),
                    );
                    tx.send(item).await.map_err(|_| DownloadError::Stopped)?;
                }
            },
            None => {
                let item = T::malformed(
                    Some(parent.to_string()),
                    format!("line {line_no} of the bulk export belongs to a parent that came too long before it"),
                );
                tx.send(item).await.map_err(|_| DownloadError::Stopped)?;
            }
        }
        return Ok(());
    }
    window.push_back(Parent {
        id: head.id.map(|id| id.into_owned()).unwrap_or_default(),
        line: line.to_vec(),
        children: Vec::new(),
        line_no,
    });
    if window.len() > PARENT_WINDOW {
        if let Some(parent) = window.pop_front() {
            tx.send(make(&parent.line, parent.children))
                .await
                .map_err(|_| DownloadError::Stopped)?;
            // Lines before the oldest parent still waiting are fully handled.
            *emitted_through = window.front().map(|w| w.line_no - 1).unwrap_or(line_no);
        }
    }
    Ok(())
}
