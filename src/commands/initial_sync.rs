//! `shopsync initial-sync`: copy a shop into the target system, or show what that would change.

use crate::cli::InitialSyncArgs;
use crate::commands::Context;
use crate::config::{Profile, ProfileFile};
use crate::error::{CliError, CliResult, ExitCode};
use crate::flows::report::{SyncOptions, SyncReport};
use crate::flows::SyncMode;
use crate::model::Stream;
use crate::state::StateStore;

/// One profile's run, shown as its report; several profiles go through `sync_profiles`.
pub async fn exec(ctx: &Context, args: &InitialSyncArgs, profile: &str) -> CliResult<ExitCode> {
    let (file, path) = ProfileFile::load(ctx.global.config.as_deref())?;
    let p = file.profile(profile, &path)?;
    if matches!(crate::flows::of(&p).sync, SyncMode::TwoWay) {
        return crate::commands::two_way_sync::exec(ctx, args, &p).await;
    }
    let (report, stopped) = sync(ctx, args, profile).await?;
    crate::render::report(&ctx.printer, &report, args.diff);
    exit_code(&report, stopped, args.detailed_exitcode)
}

/// Runs the sync of one profile: the report of what was done, and the error that stopped it
/// part-way, if one did.
pub async fn sync(
    ctx: &Context,
    args: &InitialSyncArgs,
    profile: &str,
) -> CliResult<(SyncReport, Option<CliError>)> {
    let (file, path) = ProfileFile::load(ctx.global.config.as_deref())?;
    let profile = file.profile(profile, &path)?;
    let run = match crate::flows::of(&profile).sync {
        SyncMode::OneWay(run) => run,
        SyncMode::TwoWay => {
            return Err(CliError::config(format!(
                "the profile `{}` syncs customers with list members: run it on its own",
                profile.name
            ))
            .hint(format!("`shopsync sync --profile {}`", profile.name)))
        }
        SyncMode::Elsewhere { why, hint } => {
            return Err(CliError::config(format!(
                "sync does not run the profile `{}`: {why}",
                profile.name
            ))
            .hint(hint.replace("{profile}", &profile.name)))
        }
    };
    let options = SyncOptions {
        streams: streams(args, &profile)?,
        dry_run: args.dry_run,
        full: args.full,
        rebuild_state: args.rebuild_state,
        collect_changes: args.dry_run && (args.diff || ctx.global.json),
        state_dir: state_dir(args, &profile)?,
        rekey: args.rekey,
    };
    run(&profile, &options, &ctx.printer).await
}

/// The streams to run: those asked for (`--streams`, else the profile's `streams`), else all the
/// profile's flow syncs; in the flow's order. A stream the flow does not sync is refused.
fn streams(args: &InitialSyncArgs, profile: &Profile) -> CliResult<Vec<Stream>> {
    let flow = crate::flows::of(profile);
    let asked = args.streams.clone().or_else(|| profile.streams.clone());
    if let Some(other) = asked.iter().flatten().find(|s| !flow.streams.contains(s)) {
        let offered: Vec<&str> = flow.streams.iter().map(|s| s.as_str()).collect();
        return Err(CliError::config(format!(
            "the profile `{}` syncs {}; it has no {} stream",
            profile.name,
            offered.join(", "),
            other.as_str()
        ))
        .hint(format!(
            "leave out --streams (and `streams` in the profile), or name only {}",
            offered.join(", ")
        )));
    }
    Ok(match asked {
        Some(asked) => flow
            .streams
            .iter()
            .copied()
            .filter(|s| asked.contains(s))
            .collect(),
        None => flow.streams.to_vec(),
    })
}

fn state_dir(
    args: &InitialSyncArgs,
    profile: &crate::config::Profile,
) -> CliResult<std::path::PathBuf> {
    args.state_dir
        .clone()
        .or_else(|| profile.state_dir.clone())
        .or_else(StateStore::default_dir)
        .ok_or_else(|| {
            CliError::config("cannot find the OS data directory for the state store")
                .hint("pass --state-dir DIR, or set state_dir in the profile")
        })
}

/// The exit code of a run: the error that stopped it, else 1 with failed records, else (with
/// `--detailed-exitcode`) 3 when the plan has changes.
pub fn exit_code(
    report: &SyncReport,
    stopped: Option<CliError>,
    detailed_exitcode: bool,
) -> CliResult<ExitCode> {
    if let Some(err) = stopped {
        return Err(err);
    }
    if !report.failures.is_empty() {
        return Ok(ExitCode::Failure);
    }
    if detailed_exitcode && report.has_changes() {
        return Ok(ExitCode::ChangesPending);
    }
    Ok(ExitCode::Success)
}
