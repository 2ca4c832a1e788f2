//! `shopsync link-products`: the first-time link (the shop's products into the back office).

use crate::cli::LinkProductsArgs;
use crate::commands::Context;
use crate::error::{CliError, CliResult, ExitCode};
use crate::flows::backoffice::{self as flow, link};

pub async fn exec(ctx: &Context, args: LinkProductsArgs) -> CliResult<ExitCode> {
    let profile = flow::load_profile(ctx.global.config.as_deref(), &args.profile)?;
    let options = link::Options {
        dry_run: args.dry_run,
        out: args.out,
        state_dir: crate::commands::state_dir(args.state_dir, &profile)?,
    };
    let (shop, backoffice) = flow::connect(&profile).await?;
    let report = link::run(&profile, shop, backoffice, &options, &ctx.printer).await?;
    crate::render::backoffice(&ctx.printer, &report);
    if let Some(signal) = crate::interrupt::requested() {
        return Err(CliError::signal(signal));
    }
    // Products without SKU are reported but are not a failure of the link itself.
    let failed = report.failures.len() as u64 - report.counts.skip;
    Ok(if failed == 0 {
        ExitCode::Success
    } else {
        ExitCode::Failure
    })
}
