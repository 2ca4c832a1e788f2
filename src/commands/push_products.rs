//! `shopsync push-products`: the back office's catalogue into the shop.

use crate::cli::PushProductsArgs;
use crate::commands::Context;
use crate::error::{CliError, CliResult, ExitCode};
use crate::flows::backoffice::{self as flow, push};

pub async fn exec(ctx: &Context, args: PushProductsArgs) -> CliResult<ExitCode> {
    let profile = flow::load_profile(ctx.global.config.as_deref(), &args.profile)?;
    let options = push::Options {
        dry_run: args.dry_run,
        state_dir: crate::commands::state_dir(args.state_dir, &profile)?,
    };
    let (shop, backoffice) = flow::connect(&profile).await?;
    let report = push::run(&profile, shop, backoffice, &options, &ctx.printer).await?;
    crate::render::backoffice(&ctx.printer, &report);
    if let Some(signal) = crate::interrupt::requested() {
        return Err(CliError::signal(signal));
    }
    if !report.failures.is_empty() {
        return Ok(ExitCode::Failure);
    }
    if args.detailed_exitcode && report.has_changes() {
        return Ok(ExitCode::ChangesPending);
    }
    Ok(ExitCode::Success)
}
