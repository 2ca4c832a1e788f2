//! `shopsync pull-customers`: Shopify customers into the back office.

use crate::cli::PullCustomersArgs;
use crate::commands::Context;
use crate::error::{CliError, CliResult, ExitCode};
use crate::flows::backoffice_shopify::{self as flow, customers, BackOffice};

pub async fn exec(ctx: &Context, args: PullCustomersArgs) -> CliResult<ExitCode> {
    let profile = flow::load_profile(ctx.global.config.as_deref(), &args.profile)?;
    let since = args.since.as_deref().map(parse_since).transpose()?;
    let options = customers::Options {
        dry_run: args.dry_run,
        full: args.full,
        since,
        out: args.out,
        state_dir: flow::state_dir(args.state_dir, &profile)?,
    };
    let shopify = flow::shopify(&profile)?;
    let backoffice = BackOffice::open(&profile).await?;
    let report = customers::run(&profile, shopify, backoffice, &options, &ctx.printer).await?;
    crate::render::backoffice(&ctx.printer, &report);
    Ok(if report.failures.is_empty() {
        ExitCode::Success
    } else {
        ExitCode::Failure
    })
}

/// `2026-05-01` (midnight UTC) or an RFC 3339 instant, as RFC 3339.
pub fn parse_since(text: &str) -> CliResult<String> {
    let t = text.trim();
    if let Ok(d) = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(d
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .and_utc()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    }
    chrono::DateTime::parse_from_rfc3339(t)
        .map(|d| {
            d.with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        })
        .map_err(|_| {
            CliError::config(format!("--since {t:?} is not a date"))
                .hint("write it as YYYY-MM-DD (e.g. 2026-05-01) or RFC 3339 (2026-05-01T12:00:00Z)")
        })
}
