//! Shopify -> HubSpot: products, then customers, then orders (deals need the contacts and
//! products they point at).

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::time::Instant;

use crate::config::credentials::{self, Secret};
use crate::config::Profile;
use crate::connectors::hubspot::settings::HubSpotSettings;
use crate::connectors::hubspot::{HubSpotClient, HubSpotTarget};
use crate::connectors::shopify::settings::ShopifySettings;
use crate::connectors::shopify::source::StreamRead;
use crate::connectors::shopify::{ReadMode, ReadPosition, ShopifyClient};
use crate::connectors::system::System;
use crate::engine::oneway::{run_streams, NextCursor, PlannedStream, RunOptions};
use crate::engine::Target;
use crate::error::{CliError, CliResult};
use crate::flows::report::{Requests, SyncOptions, SyncReport, SystemRequests};
use crate::state::{Broken, StateStore};
use crate::ui::{Printer, RunProgress};

/// Records changed this long before a run started are read again by the next run: Shopify's
/// search index can lag a little behind a write.
const LOOKBACK: chrono::Duration = chrono::Duration::minutes(2);

/// Meta key set while a rebuilt state store has not yet completed a run: until then, records
/// without a link are looked up in HubSpot by their unique key before anything is written.
const RELINK_META: &str = "relink_pending";

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

/// [`run`] with the profile's credentials, as the flow table's `sync`.
pub fn sync<'a>(
    profile: &'a Profile,
    options: &'a SyncOptions,
    printer: &'a Printer,
) -> super::Syncing<'a> {
    Box::pin(async move { run(profile, Tokens::resolve(&profile.name)?, options, printer).await })
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
    let broken = if options.rebuild_state {
        Broken::MoveAside
    } else {
        Broken::Refuse
    };
    let (state, moved_aside) = StateStore::open_with(&options.state_dir, &profile.name, broken)?;
    if let Some(aside) = &moved_aside {
        state.set_meta(RELINK_META, "1")?;
        printer.status(format!(
            "The unreadable state file was moved to {}; records are re-linked to what HubSpot \
             has by their unique keys before anything is written",
            aside.display()
        ));
    }
    let relink = state.meta(RELINK_META)?.is_some();
    crate::interrupt::install(printer.is_quiet());
    let command = if options.dry_run {
        "initial-sync --dry-run"
    } else {
        "initial-sync"
    };
    let run_id = state.begin_run(command, &profile.name, options.dry_run)?;
    let shop = profile.table::<ShopifySettings>();
    let crm = profile.table::<HubSpotSettings>();
    let shopify = ShopifyClient::new(&shop.api_base_url(), &shop.shop_domain(), shopify_token)
        .bulk_when_pages_are_slow(shop.bulk_when_pages_are_slow());
    shopify.recall_costs(&state)?;
    let hubspot = HubSpotClient::new(&crm.api_base_url(), hubspot_token);
    let target = HubSpotTarget::new(hubspot, state.clone(), run_id, crm.pipeline_label());

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
        shop.bulk_threshold(),
        relink,
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
    report.requests = Requests(vec![
        SystemRequests {
            key: "shopify",
            name: "Shopify",
            requests: shopify.stats.requests.load(Ordering::Relaxed),
            throttled: Some(shopify.stats.throttled.load(Ordering::Relaxed)),
        },
        SystemRequests {
            key: "hubspot",
            name: "HubSpot",
            requests: target.client.stats.requests.load(Ordering::Relaxed),
            throttled: Some(target.client.stats.throttled.load(Ordering::Relaxed)),
        },
    ]);
    let status = crate::engine::run_status(stop.as_ref(), !report.failures.is_empty());
    if stop.is_none() && relink && !options.dry_run {
        // Every stream was read in full and re-linked.
        state.delete_meta(RELINK_META)?;
    }
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
    bulk_threshold: u64,
    relink: bool,
    printer: &Printer,
    report: &mut SyncReport,
) -> CliResult {
    printer.status(if options.dry_run {
        "Planning (dry run: nothing is written)"
    } else {
        "Syncing"
    });

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

    // Shopify is read first (what each stream's read will return): a token Shopify refuses
    // stops the run here, before HubSpot is prepared (custom properties, the pipeline), so a
    // run that fails on a credential has written nothing. HubSpot's own token is proven by
    // preparing's first read, or refused on the first write.
    let mut counted = Vec::new();
    for &stream in &options.streams {
        let mode = match (state.cursor(stream.as_str())?, options.full) {
            (Some(c), false) => ReadMode::Since(c),
            _ => ReadMode::Full,
        };
        let count = shopify.count_read(stream, &mode).await?;
        counted.push((stream, mode, count));
    }
    target.prepare(&options.streams, options.dry_run).await?;

    // Every stream's read is decided first, and the bulk exports of large ones start together:
    // a later stream's export runs while earlier streams are written, instead of keeping
    // HubSpot idle at its turn.
    let mut plans = Vec::new();
    for (stream, mode, count) in counted {
        // The same read, stopped part-way by an earlier run, resumes where it got to.
        let resume = if options.dry_run {
            None
        } else {
            state
                .read_position(stream.as_str())?
                .and_then(|p| serde_json::from_str::<ReadPosition>(&p).ok())
                .filter(|p| p.read == ReadPosition::read_of(&mode))
        };
        let plan = shopify
            .plan_read_from(stream, &mode, bulk_threshold, Some(count), resume.as_ref())
            .await?;
        let position = if options.dry_run {
            None
        } else {
            let started = run_start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            let mut p = resume
                .unwrap_or_else(|| ReadPosition::new(&mode, &started, run_id, plan.export.clone()));
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
                    .unwrap_or(run_start),
                p.run,
            ),
            None => (run_start, run_id),
        };
        // Records changed while this run read are read again next time.
        let next = (read_started - LOOKBACK).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let full = matches!(mode, ReadMode::Full);
        plans.push(PlannedStream {
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
        });
    }
    let run = RunOptions {
        run_id,
        dry_run: options.dry_run,
        collect_changes: options.collect_changes,
        relink,
        state,
        deletions: &deletions,
    };
    let (done, stop) = run_streams(
        shopify,
        "Shopify",
        target,
        &run,
        plans,
        &RunProgress::new(printer),
    )
    .await;
    for d in done {
        report.add_stream(d);
    }
    if let Some(e) = stop {
        return Err(e);
    }
    if !options.dry_run {
        let done = target.complete_waiting().await?;
        if done.contacts > 0 {
            printer.status(format!(
                "  {} deal(s) written before their customer was synced now point at its contact",
                done.contacts
            ));
        }
        if done.products > 0 {
            printer.status(format!(
                "  {} line item(s) written before their product was synced now point at it",
                done.products
            ));
        }
    }
    Ok(())
}

/// `doctor`'s (and `setup`'s) checks: the shop, then the HubSpot account.
pub fn check<'a>(
    profile: &'a Profile,
    secrets: &'a super::Secrets,
    checks: &'a mut Vec<crate::health::Check>,
) -> super::Checking<'a> {
    Box::pin(async move {
        super::check_shopify(profile, secrets, checks).await;
        crate::connectors::hubspot::health::check(
            &profile.name,
            &profile.table::<HubSpotSettings>().api_base_url(),
            super::secret(secrets, System::Hubspot),
            checks,
        )
        .await;
    })
}
