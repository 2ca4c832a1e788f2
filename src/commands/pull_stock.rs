//! `shopsync pull-stock`: the shop's stock levels into the back office.
//!
//! A command of its own rather than a flag on pull-customers: it reads other data (the
//! catalogue's inventory levels, not customers), writes another file (`--out` would be
//! ambiguous), and is often run on another schedule.

use crate::cli::PullStockArgs;
use crate::commands::Context;
use crate::error::{CliError, CliResult, ExitCode};
use crate::flows::backoffice::{self as flow, stock};

pub async fn exec(ctx: &Context, args: PullStockArgs) -> CliResult<ExitCode> {
    let profile = flow::load_profile(ctx.global.config.as_deref(), &args.profile)?;
    let options = stock::Options {
        dry_run: args.dry_run,
        out: args.out,
        state_dir: crate::commands::state_dir(args.state_dir, &profile)?,
    };
    let (shop, backoffice) = flow::connect(&profile).await?;
    let report = stock::run(&profile, shop, backoffice, &options, &ctx.printer).await?;
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
