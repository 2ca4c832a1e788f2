//! `shopsync initial-sync`: copy a shop into the target system, or show what that would change.

use crate::cli::{InitialSyncArgs, Stream};
use crate::commands::Context;
use crate::config::profile::TargetKind;
use crate::config::ProfileFile;
use crate::error::{CliError, CliResult, ExitCode};
use crate::flows::shopify_hubspot::{self, SyncOptions, Tokens};
use crate::state::StateStore;

pub async fn exec(ctx: &Context, args: InitialSyncArgs) -> CliResult<ExitCode> {
    let (file, path) = ProfileFile::load(ctx.global.config.as_deref())?;
    let profile = file.profile(&args.profile, &path)?;
    match profile.target {
        TargetKind::Hubspot => {}
        TargetKind::Huddle => {
            return Err(CliError::config(format!(
                "initial-sync copies a shop into HubSpot, but the profile `{}` targets Huddle",
                profile.name
            ))
            .hint(format!(
                "for Huddle memberships: `shopsync webhook register --profile {0}` for new paid \
                 orders, and `shopsync webhook replay --profile {0} --since DATE` for orders paid \
                 before it",
                profile.name
            )))
        }
        TargetKind::Backoffice => {
            return Err(CliError::config(format!(
                "initial-sync copies a shop into HubSpot, but the profile `{}` targets a back office",
                profile.name
            ))
            .hint("for a back office, the first run is `shopsync link-products --profile NAME` (imports the shop's products), then `push-products`, `pull-stock` and `pull-customers`"))
        }
    }
    let mut streams = args
        .streams
        .or_else(|| profile.streams.clone())
        .unwrap_or_else(|| Stream::ALL.to_vec());
    // Deals point at contacts and products, so those go first.
    streams.sort();
    streams.dedup();
    let state_dir = args
        .state_dir
        .or_else(|| profile.state_dir.clone())
        .or_else(StateStore::default_dir)
        .ok_or_else(|| {
            CliError::config("cannot find the OS data directory for the state store")
                .hint("pass --state-dir DIR, or set state_dir in the profile")
        })?;
    let options = SyncOptions {
        streams,
        dry_run: args.dry_run,
        full: args.full,
        rebuild_state: args.rebuild_state,
        collect_changes: args.dry_run && (args.diff || ctx.global.json),
        state_dir,
        bulk_threshold: profile.bulk_threshold(),
    };
    let tokens = Tokens::resolve(&profile.name)?;
    let (report, stopped) = shopify_hubspot::run(&profile, tokens, &options, &ctx.printer).await?;
    crate::render::report(&ctx.printer, &report, args.diff);
    if let Some(err) = stopped {
        return Err(err);
    }
    if !report.failures.is_empty() {
        return Ok(ExitCode::Failure);
    }
    if args.detailed_exitcode && report.has_changes() {
        return Ok(ExitCode::ChangesPending);
    }
    Ok(ExitCode::Success)
}
