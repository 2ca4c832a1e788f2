//! Shopify -> HubSpot: products, then customers, then orders (deals need the contacts and
//! products they point at).

use std::sync::atomic::Ordering;

use crate::config::credentials::{self, Secret};
use crate::config::Profile;
use crate::connectors::hubspot::settings::HubSpotSettings;
use crate::connectors::hubspot::{HubSpotClient, HubSpotTarget};
use crate::connectors::shopify::settings::ShopifySettings;
use crate::connectors::shopify::source::ReadTimes;
use crate::connectors::shopify::{ReadMode, ShopifyClient};
use crate::connectors::system::System;
use crate::engine::oneway::{run_streams, RunOptions};
use crate::engine::Target;
use crate::error::{CliError, CliResult};
use crate::flows::oneway::{open_state, OneWayRun};
use crate::flows::report::{Requests, SyncOptions, SyncReport, SystemRequests};
use crate::ui::{Printer, RunProgress};

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
    let Tokens {
        shopify: shopify_token,
        hubspot: hubspot_token,
    } = tokens;
    let (state, relink) = open_state(
        &profile.name,
        options,
        printer,
        "records are re-linked to what HubSpot has by their unique keys",
    )?;
    crate::interrupt::install(printer.is_quiet());
    let mut run = OneWayRun::begin(state, &profile.name, options, relink)?;
    let shop = profile.table::<ShopifySettings>();
    let crm = profile.table::<HubSpotSettings>();
    let shopify = ShopifyClient::new(&shop.api_base_url(), &shop.shop_domain(), shopify_token)
        .bulk_when_pages_are_slow(shop.bulk_when_pages_are_slow());
    shopify.recall_costs(&run.state)?;
    let hubspot = HubSpotClient::new(&crm.api_base_url(), hubspot_token);
    let target = HubSpotTarget::new(hubspot, run.state.clone(), run.id, crm.pipeline_label());
    let outcome = sync_streams(
        &shopify,
        &target,
        &mut run,
        options,
        shop.bulk_threshold(),
        printer,
    )
    .await;
    if let Err(e) = shopify.keep_costs(&run.state) {
        tracing::warn!("could not keep Shopify's query costs for the next run: {e}");
    }
    let requests = Requests(vec![
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
    run.finish(outcome, requests)
}

async fn sync_streams(
    shopify: &ShopifyClient,
    target: &HubSpotTarget,
    run: &mut OneWayRun,
    options: &SyncOptions,
    bulk_threshold: u64,
    printer: &Printer,
) -> CliResult {
    let (state, run_id, run_start, relink) = (&run.state, run.id, run.start, run.relink);
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
        let when = ReadTimes {
            run_id,
            run_start,
            dry_run: options.dry_run,
        };
        plans.push(
            shopify
                .plan_stream(state, stream, mode, count, bulk_threshold, &when)
                .await?,
        );
    }
    let run_options = RunOptions {
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
        &run_options,
        plans,
        &RunProgress::new(printer),
    )
    .await;
    for d in done {
        run.report.add_stream(d);
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
