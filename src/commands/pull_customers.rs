//! `shopsync pull-customers`: the shop's customers into the back office.

use crate::cli::PullCustomersArgs;
use crate::commands::Context;
use crate::error::{CliError, CliResult, ExitCode};
use crate::flows::backoffice::{self as flow, customers};

pub async fn exec(ctx: &Context, args: PullCustomersArgs) -> CliResult<ExitCode> {
    let profile = flow::load_profile(ctx.global.config.as_deref(), &args.profile)?;
    let since = args.since.as_deref().map(parse_since).transpose()?;
    let options = customers::Options {
        dry_run: args.dry_run,
        full: args.full,
        since,
        out: args.out,
        state_dir: crate::commands::state_dir(args.state_dir, &profile)?,
    };
    let (shop, backoffice) = flow::connect(&profile).await?;
    let report = customers::run(&profile, shop, backoffice, &options, &ctx.printer).await?;
    crate::render::backoffice(&ctx.printer, &report);
    if let Some(signal) = crate::interrupt::requested() {
        return Err(CliError::signal(signal));
    }
    Ok(if report.failures.is_empty() {
        ExitCode::Success
    } else {
        ExitCode::Failure
    })
}

/// `--since`: a date or an instant (the shared date flag), as RFC 3339.
fn parse_since(text: &str) -> CliResult<String> {
    crate::commands::parse_date(text)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .map_err(|why| {
            CliError::config(format!("--since: {why}"))
                .hint("e.g. --since 2026-05-01, or --since 2026-05-01T12:00:00Z")
        })
}
