//! `shopsync webhook replay`: the backfill of orders paid before the webhook existed
//! (`flows::shopify_huddle`).

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::Args;

use super::{owned, setup, subscriptions, TOPIC};
use crate::commands::{parse_date, Context};
use crate::config::credentials::{self, Secret};
use crate::connectors::huddle::HuddleClient;
use crate::connectors::system::System;
use crate::error::{CliError, CliResult, ExitCode};
use crate::flows::shopify_huddle::{self, BackfillOptions, Sender};
use crate::state::StateStore;

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The profile, as named in the profile file
    #[arg(long, short, env = "SHOPSYNC_PROFILE")]
    pub profile: String,

    /// Send orders paid (processed) at or after DATE (YYYY-MM-DD or RFC 3339)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: DateTime<Utc>,

    /// ... and before DATE [default: when this profile's webhook was registered, else now]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub until: Option<DateTime<Utc>>,

    /// List the orders that would be sent, and send nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Send this order even if it was sent, or may have been (an uncertain send): `#1001`,
    /// `1001`, its numeric id or its gid. Repeatable.
    #[arg(long, value_name = "ORDER")]
    pub resend: Vec<String>,

    /// Send every uncertain order in the window again (check them in Huddle first)
    #[arg(long)]
    pub resend_uncertain: bool,

    /// Where the state store lives [default: the profile's state_dir, else the OS data dir]
    #[arg(long, env = "SHOPSYNC_STATE_DIR", value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

/// A credential that may be absent: the environment, else the plain-text file, else the keyring; a keyring that cannot
/// be read is a warning.
fn optional_secret(ctx: &Context, profile: &str, system: System) -> Option<Secret> {
    if let Some((_, s)) = credentials::from_env(profile, system) {
        return Some(s);
    }
    if let Ok(Some((s, _))) = credentials::plain_file_get(profile, system) {
        return Some(s);
    }
    match credentials::keyring_get(profile, system) {
        Ok(s) => s,
        Err(e) => {
            ctx.printer.warn(format!(
                "the {system} credential could not be read from the keyring ({}); sending unsigned",
                e.describe()
            ));
            None
        }
    }
}

pub async fn exec(ctx: &Context, args: ReplayArgs) -> CliResult<ExitCode> {
    let s = setup(ctx, &args.profile)?;
    let sender = if args.dry_run {
        None
    } else {
        let (key, _) = credentials::resolve(&s.profile.name, System::Huddle)?;
        let app_secret = optional_secret(ctx, &s.profile.name, System::ShopifySecret);
        if app_secret.is_none() {
            ctx.printer.warn(format!(
                "no Shopify app secret for `{}`: orders are sent without X-Shopify-Hmac-Sha256 \
                 (Huddle is not known to check it; set it with `shopsync auth set {} shopify-secret`)",
                s.profile.name, s.profile.name
            ));
        }
        Some(Sender {
            huddle: HuddleClient::new(&s.huddle_base, key),
            app_secret,
        })
    };
    // Orders after the webhook's creation were delivered by Shopify itself.
    let (until, until_from) = match args.until {
        Some(u) => (u, "flag"),
        None => {
            let subs = subscriptions(&s.shopify, Some(&[TOPIC])).await?;
            let registered = owned(&subs, &s.huddle_base)
                .iter()
                .filter_map(|sub| DateTime::parse_from_rfc3339(&sub.created_at).ok())
                .map(|t| t.with_timezone(&Utc))
                .min();
            match registered {
                Some(t) => (t, "webhook"),
                None => (Utc::now(), "now"),
            }
        }
    };
    if until <= args.since {
        return Err(CliError::config(format!(
            "--since {} is not before the end of the window ({})",
            args.since.to_rfc3339(),
            until.to_rfc3339()
        ))
        .hint(if until_from == "webhook" {
            "the webhook was registered before --since, so Shopify delivered those orders itself; \
             pass --until to choose another end"
        } else {
            "choose a --since before --until"
        }));
    }
    let dir = crate::commands::state_dir(args.state_dir.clone(), &s.profile)?;
    let store = StateStore::open(&dir, &s.profile.name)?;
    s.shopify.recall_costs(&store)?;
    let options = BackfillOptions {
        since: args.since,
        until,
        until_from,
        dry_run: args.dry_run,
        resend: args.resend.clone(),
        resend_uncertain: args.resend_uncertain,
    };
    ctx.printer.status(format!(
        "{} paid orders with a mapped SKU from {} to {} ({}) ...",
        if args.dry_run { "Listing" } else { "Sending" },
        options
            .since
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        match until_from {
            "webhook" => "when the webhook was registered",
            "now" => "now: no webhook is registered",
            _ => "--until",
        }
    ));
    let (report, stopped) = shopify_huddle::run(
        &s.profile,
        &s.shopify,
        &store,
        sender.as_ref(),
        &options,
        &ctx.printer,
    )
    .await?;
    s.shopify.keep_costs(&store)?;
    if ctx.global.json {
        ctx.printer.out_json(&report);
    } else {
        let counts: Vec<String> = report
            .counts
            .iter()
            .map(|(k, n)| format!("{n} {}", k.replace('_', " ")))
            .collect();
        ctx.printer.out(format!(
            "{} paid order(s) read, {} without a mapped SKU; {}.",
            report.orders_read,
            report.without_mapped_sku,
            if counts.is_empty() {
                "nothing to send".to_string()
            } else {
                counts.join(", ")
            }
        ));
    }
    for w in &report.resend_not_found {
        ctx.printer.warn(format!(
            "--resend {w}: no paid order with a mapped SKU of that name or id between {} and {}",
            report.since, report.until
        ));
    }
    if let Some(err) = stopped {
        return Err(err);
    }
    let trouble = ["failed", "uncertain"]
        .iter()
        .any(|k| report.counts.get(k).copied().unwrap_or(0) > 0);
    if trouble || !report.resend_not_found.is_empty() {
        return Ok(ExitCode::Failure);
    }
    Ok(ExitCode::Success)
}
