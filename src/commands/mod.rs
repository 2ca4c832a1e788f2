//! One module per subcommand: each wires a profile, connectors and the engine together and talks
//! to the user. No sync logic lives here.

pub mod auth;
pub mod completions;
#[cfg(feature = "demo")]
pub mod demo;
#[cfg(feature = "demo")]
pub mod demo_two_way;
pub mod doctor;
pub mod fields;
pub mod initial_sync;
pub mod link_products;
pub mod map_sku;
pub mod pull_customers;
pub mod pull_stock;
pub mod push_products;
pub mod runs;
#[cfg(feature = "demo")]
pub mod sandbox;
pub mod serve;
pub mod setup;
pub mod skus;
pub mod sync_profiles;
pub mod two_way_sync;
pub mod webhook;

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};

use crate::cli::{Cli, Command, GlobalArgs};
use crate::config::profile::Profile;
use crate::error::{CliError, CliResult, ExitCode};
use crate::state::StateStore;
use crate::ui::Printer;

/// What every command gets: the global flags and the printer built from them.
pub struct Context {
    pub global: GlobalArgs,
    pub printer: Printer,
}

pub async fn run(cli: Cli) -> CliResult<ExitCode> {
    let ctx = Context {
        printer: Printer::new(cli.global.json, cli.global.quiet, cli.global.verbose),
        global: cli.global,
    };
    match cli.command {
        Command::InitialSync(args) => sync_profiles::exec(&ctx, args).await,
        Command::Runs(args) => runs::exec(&ctx, args).await,
        #[cfg(feature = "demo")]
        Command::Sandbox(args) => sandbox::exec(args).await,
        Command::Skus(args) => skus::exec(&ctx, args).await,
        Command::Auth(command) => auth::exec(&ctx, command).await,
        #[cfg(feature = "demo")]
        Command::Demo(args) => demo::exec(&ctx, args).await,
        Command::Completions(args) => completions::exec(&ctx, args),
        Command::Doctor(args) => doctor::exec(&ctx, args).await,
        Command::Fields(args) => fields::exec(&ctx, args).await,
        Command::Setup(args) => setup::exec(&ctx, args).await,
        Command::Webhook(command) => webhook::exec(&ctx, command).await,
        Command::PullCustomers(args) => pull_customers::exec(&ctx, args).await,
        Command::MapSku(command) => map_sku::exec(&ctx, command).await,
        Command::PushProducts(args) => push_products::exec(&ctx, args).await,
        Command::PullStock(args) => pull_stock::exec(&ctx, args).await,
        Command::LinkProducts(args) => link_products::exec(&ctx, args).await,
        Command::Serve(args) => serve::exec(&ctx, args).await,
    }
}

/// Where a profile's state store lives: the flag (or SHOPSYNC_STATE_DIR), else the profile's
/// `state_dir`, else the OS data dir.
pub fn state_dir(flag: Option<PathBuf>, profile: &Profile) -> CliResult<PathBuf> {
    flag.or_else(|| profile.state_dir.clone())
        .or_else(StateStore::default_dir)
        .ok_or_else(|| {
            CliError::config("cannot find the OS data directory for the state store")
                .hint("pass --state-dir DIR, or set state_dir in the profile")
        })
}

/// A date flag: `YYYY-MM-DD` (midnight UTC) or an RFC 3339 instant.
pub fn parse_date(s: &str) -> Result<DateTime<Utc>, String> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc());
    }
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            format!("`{s}` is not a date: write YYYY-MM-DD or an RFC 3339 time like 2026-03-01T09:00:00+01:00")
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates() {
        assert_eq!(
            super::parse_date("2026-03-01").unwrap().to_rfc3339(),
            "2026-03-01T00:00:00+00:00"
        );
        assert_eq!(
            super::parse_date("2026-03-01T09:00:00+01:00")
                .unwrap()
                .to_rfc3339(),
            "2026-03-01T08:00:00+00:00"
        );
        assert!(super::parse_date("01-03-2026").is_err());
    }
}
