//! Shopify -> HubSpot: products, then customers, then orders (deals need the contacts and
//! products they point at).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Instant;

use serde::Serialize;

use crate::cli::{Stream, System};
use crate::config::credentials::{self, Secret};
use crate::config::Profile;
use crate::connectors::hubspot::{HubSpotClient, HubSpotTarget};
use crate::connectors::shopify::{ReadMode, ShopifyClient};
use crate::engine::apply::{delete_missing, run_stream, StreamOptions, StreamReport};
use crate::engine::plan::{Change, Counts};
use crate::engine::{SourceItem, Target};
use crate::error::{CliError, CliResult};
use crate::state::{Failure, StateStore};
use crate::ui::Printer;

/// Records changed this long before a run started are read again by the next run: Shopify's
/// search index can lag a little behind a write.
const LOOKBACK: chrono::Duration = chrono::Duration::minutes(2);

pub struct SyncOptions {
    pub streams: Vec<Stream>,
    pub dry_run: bool,
    pub full: bool,
    pub collect_changes: bool,
    pub state_dir: PathBuf,
    /// A full read of a stream with more records than this uses a bulk export.
    pub bulk_threshold: u64,
}

/// What a run did (or, dry, would do).
#[derive(Debug, Serialize)]
pub struct SyncReport {
    pub profile: String,
    pub dry_run: bool,
    pub run_id: i64,
    pub streams: BTreeMap<String, StreamSummary>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    pub failures: Vec<Failure>,
    /// Why the run stopped early, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
    pub seconds: f64,
    pub requests: Requests,
    pub state_file: String,
}

#[derive(Debug, Serialize)]
pub struct StreamSummary {
    /// `full` (everything read) or `incremental` (changes since the last run).
    pub read: &'static str,
    pub bulk: bool,
    pub records: u64,
    #[serde(flatten)]
    pub counts: Counts,
}

#[derive(Debug, Default, Serialize)]
pub struct Requests {
    pub shopify: u64,
    pub shopify_throttled: u64,
    pub hubspot: u64,
    pub hubspot_throttled: u64,
}

impl SyncReport {
    pub fn has_changes(&self) -> bool {
        self.streams.values().any(|s| s.counts.changes() > 0)
    }
}

/// The two secrets this flow needs.
pub struct Tokens {
    pub shopify: Secret,
    pub hubspot: Secret,
}

impl Tokens {
    /// From the environment or the keyring, as `shopsync auth` stores them.
    pub fn resolve(profile: &str) -> CliResult<Tokens> {
        let (shopify, _) = credentials::resolve(profile, System::Shopify)?;
        let (hubspot, _) = credentials::resolve(profile, System::Hubspot)?;
        Ok(Tokens { shopify, hubspot })
    }
}

/// Runs the sync. An error before anything was done is `Err`; an error that stopped a run
/// part-way comes back beside the report of what was done.
pub async fn run(
    profile: &Profile,
    tokens: Tokens,
    options: &SyncOptions,
    printer: &Printer,
) -> CliResult<(SyncReport, Option<CliError>)> {
    let started = Instant::now();
    let run_start = chrono::Utc::now();
    let Tokens {
        shopify: shopify_token,
        hubspot: hubspot_token,
    } = tokens;
    let state = StateStore::open(&options.state_dir, &profile.name)?;
    let command = if options.dry_run {
        "initial-sync --dry-run"
    } else {
        "initial-sync"
    };
    let run_id = state.begin_run(command, &profile.name, options.dry_run)?;
    let shopify = ShopifyClient::new(
        &profile.shopify_base_url(),
        &profile.shop_domain(),
        shopify_token,
    );
    shopify.recall_costs(&state)?;
    let hubspot = HubSpotClient::new(&profile.hubspot_base_url(), hubspot_token);
    let target = HubSpotTarget::new(hubspot, state.clone(), run_id, profile.pipeline_label());

    let mut report = SyncReport {
        profile: profile.name.clone(),
        dry_run: options.dry_run,
        run_id,
        streams: BTreeMap::new(),
        changes: Vec::new(),
        failures: Vec::new(),
        stopped: None,
        seconds: 0.0,
        requests: Requests::default(),
        state_file: state.path().to_string(),
    };
    let outcome = sync_streams(
        &shopify,
        &target,
        &state,
        run_id,
        run_start,
        options,
        printer,
        &mut report,
    )
    .await;
    if let Err(e) = shopify.keep_costs(&state) {
        tracing::warn!("could not keep Shopify's query costs for the next run: {e}");
    }
    let stop = match outcome {
        Ok(()) => None,
        Err(e) => {
            report.stopped = Some(e.message.clone());
            Some(e)
        }
    };
    report.seconds = started.elapsed().as_secs_f64();
    report.requests = Requests {
        shopify: shopify.stats.requests.load(Ordering::Relaxed),
        shopify_throttled: shopify.stats.throttled.load(Ordering::Relaxed),
        hubspot: target.client.stats.requests.load(Ordering::Relaxed),
        hubspot_throttled: target.client.stats.throttled.load(Ordering::Relaxed),
    };
    let status = match (&stop, report.failures.is_empty()) {
        (Some(_), _) => "stopped",
        (None, false) => "completed with failures",
        (None, true) => "completed",
    };
    let summary = serde_json::json!({ "streams": report.streams, "stopped": report.stopped, "requests": report.requests });
    state.finish_run(run_id, status, &summary)?;
    Ok((report, stop))
}

#[allow(clippy::too_many_arguments)]
async fn sync_streams(
    shopify: &ShopifyClient,
    target: &HubSpotTarget,
    state: &StateStore,
    run_id: i64,
    run_start: chrono::DateTime<chrono::Utc>,
    options: &SyncOptions,
    printer: &Printer,
    report: &mut SyncReport,
) -> CliResult {
    printer.status(if options.dry_run {
        "Planning (dry run: nothing is written)"
    } else {
        "Syncing"
    });
    target.prepare(&options.streams, options.dry_run).await?;
    let multi = printer.multi_progress();

    // Deletions since the last incremental run, from Shopify's event log.
    let earliest_cursor = options
        .streams
        .iter()
        .filter(|s| target.deletes_follow_source(**s))
        .map(|s| state.cursor(s.as_str()))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .min();
    let deletions = match (&earliest_cursor, options.full) {
        (Some(since), false) => shopify.deletions_since(since).await?,
        _ => Vec::new(),
    };

    // Every stream's read is decided first, and the bulk exports of large ones start together:
    // a later stream's export runs while earlier streams are written, instead of keeping
    // HubSpot idle at its turn.
    let mut plans = Vec::new();
    for &stream in &options.streams {
        let mode = match (state.cursor(stream.as_str())?, options.full) {
            (Some(c), false) => ReadMode::Since(c),
            _ => ReadMode::Full,
        };
        let plan = shopify
            .plan_read(stream, &mode, options.bulk_threshold, None)
            .await?;
        plans.push((stream, mode, plan));
    }

    for (stream, mode, plan) in plans {
        let key = stream.as_str();
        let full = matches!(mode, ReadMode::Full);
        let retries = state.retries(key)?;
        let len = full.then(|| plan.count + retries.len() as u64);
        let bar = printer.stream_bar(&multi, key, len);
        let opts = StreamOptions {
            stream,
            run_id,
            dry_run: options.dry_run,
            full,
            collect_changes: options.collect_changes,
            state,
            progress: bar.clone(),
        };
        let (tx, rx) = tokio::sync::mpsc::channel::<SourceItem>(2_000);
        let reader = async {
            let tx = tx;
            if !retries.is_empty() {
                shopify.read_ids(stream, &retries, &tx).await?;
            }
            shopify.read_planned(stream, &mode, plan, &tx).await
        };
        let (read, applied) = tokio::join!(reader, run_stream(target, &opts, rx));
        let mut stream_report: StreamReport = match applied {
            Ok(r) => r,
            Err(e) => {
                bar.abandon();
                return Err(e);
            }
        };
        let read = match read {
            Ok(r) => r,
            Err(e) => {
                bar.abandon();
                merge(report, stream, &mode, 0, false, stream_report);
                return Err(e.into());
            }
        };
        if target.deletes_follow_source(stream) {
            let gone = if full && !stream_report.unknown_records {
                state.unseen(run_id, key)?
            } else {
                let ids: Vec<&str> = deletions
                    .iter()
                    .filter(|(s, _)| *s == stream)
                    .map(|(_, id)| id.as_str())
                    .collect();
                state.links(key, &ids)?.into_iter().collect()
            };
            delete_missing(target, &opts, gone, &mut stream_report).await?;
        }
        bar.finish_and_clear();
        let failed = stream_report.counts.failed;
        merge(
            report,
            stream,
            &mode,
            read.records,
            read.used_bulk,
            stream_report,
        );
        if !options.dry_run {
            // Records changed while this run read are read again next time.
            let next = (run_start - LOOKBACK).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            state.set_cursor(key, &next)?;
        }
        printer.status(format!(
            "  {key}: {} read{}{}",
            read.records,
            if read.used_bulk { " (bulk export)" } else { "" },
            if failed > 0 {
                format!(", {failed} failed")
            } else {
                String::new()
            }
        ));
    }
    if !options.dry_run
        && options
            .streams
            .iter()
            .any(|s| matches!(s, Stream::Customers | Stream::Orders))
    {
        let n = target.associate_waiting_deals().await?;
        if n > 0 {
            printer.status(format!(
                "  {n} deal(s) written before their customer was synced now point at its contact"
            ));
        }
    }
    Ok(())
}

fn merge(
    report: &mut SyncReport,
    stream: Stream,
    mode: &ReadMode,
    records: u64,
    bulk: bool,
    r: StreamReport,
) {
    report.streams.insert(
        stream.as_str().to_string(),
        StreamSummary {
            read: if matches!(mode, ReadMode::Full) {
                "full"
            } else {
                "incremental"
            },
            bulk,
            records,
            counts: r.counts,
        },
    );
    report.changes.extend(r.changes);
    report.failures.extend(r.failures);
}
