//! `shopsync map-sku add | remove | list | import | check`: a Huddle profile's SKU table.
//!
//! Huddle grants access by SKU: a paid Shopify order line with SKU `X` gives the buyer the
//! levels of the Huddle webhook product whose SKU is `X` (set up in Huddle under Settings >
//! Integrations > Webhooks). The table records, per profile, which SKUs are meant to give
//! which levels: `check` proves each of them is on exactly one Shopify variant and that no
//! SKU sold in the shop is missing from it, and `webhook replay` sends only orders that contain
//! a mapped SKU. It lives in the profile's state store (table `sku_map`).

mod add;
mod check;
mod import;
mod list;
mod remove;

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::commands::Context;
use crate::config::profile::Profile;
use crate::error::{CliResult, ExitCode};
use crate::state::StateStore;

#[derive(Debug, Subcommand)]
pub enum MapSkuCommand {
    /// Map a Shopify SKU to a Huddle webhook product and its access levels, or change its mapping
    ///
    /// Example: `shopsync map-sku add --profile leden HUD-YEAR --product "Jaarlidmaatschap"
    /// --levels Leden,Academy`. Running it again with the same values changes nothing.
    Add(add::AddArgs),
    /// Remove SKUs from the table (a SKU that is not mapped is reported, not an error)
    Remove(remove::RemoveArgs),
    /// Show the table (`--json`: an array of `{sku, product, levels}`)
    List(StoreArgs),
    /// Add or update mappings from a CSV file with a header row `sku,product,levels`
    ///
    /// Merges by default: SKUs in the file are added or updated, other mapped SKUs stay. With
    /// --replace the table becomes the file: mapped SKUs the file does not name are removed.
    /// Importing the same file again changes nothing. Levels are separated by `|` (or by `;` in
    /// a comma-separated file, `,` in a semicolon-separated one). A bad row is reported with its
    /// line and reason and skipped; the other rows are imported, and the exit code is 1.
    Import(import::ImportArgs),
    /// Check the table against the shop: each mapped SKU is on exactly one Shopify variant, and
    /// every SKU sold since --since is mapped
    ///
    /// Exits 5 when something is wrong (a mapped SKU missing or on several variants, a sold SKU
    /// unmapped), so it can run in CI; 0 when all is well.
    Check(check::CheckArgs),
}

/// The profile and where its state store is.
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// The profile, as named in the profile file
    #[arg(long, short, env = "SHOPSYNC_PROFILE")]
    pub profile: String,

    /// Where the state store lives [default: the profile's state_dir, else the OS data dir]
    #[arg(long, env = "SHOPSYNC_STATE_DIR", value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

pub async fn exec(ctx: &Context, command: MapSkuCommand) -> CliResult<ExitCode> {
    match command {
        MapSkuCommand::Add(args) => add::exec(ctx, args),
        MapSkuCommand::Remove(args) => remove::exec(ctx, args),
        MapSkuCommand::List(args) => list::exec(ctx, args),
        MapSkuCommand::Import(args) => import::exec(ctx, args),
        MapSkuCommand::Check(args) => check::exec(ctx, args).await,
    }
}

/// The Huddle profile and its opened state store.
pub fn open(ctx: &Context, args: &StoreArgs) -> CliResult<(Profile, StateStore)> {
    let profile = crate::commands::webhook::load_profile(ctx, &args.profile)?;
    let dir = crate::commands::state_dir(args.state_dir.clone(), &profile)?;
    let store = StateStore::open(&dir, &profile.name)?;
    Ok((profile, store))
}

/// A SKU as typed: trimmed; empty or with control characters is refused.
pub fn clean_sku(raw: &str) -> Result<String, String> {
    let sku = raw.trim();
    if sku.is_empty() {
        return Err("the SKU is empty".into());
    }
    if sku.chars().any(char::is_control) {
        return Err(format!("the SKU {sku:?} contains a control character"));
    }
    Ok(sku.to_string())
}

/// Levels as typed: trimmed, empty ones dropped, duplicates dropped (first kept). At least one.
pub fn clean_levels<'a>(raw: impl IntoIterator<Item = &'a str>) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for l in raw {
        let l = l.trim();
        if l.is_empty() || out.iter().any(|o| o == l) {
            continue;
        }
        if l.chars().any(char::is_control) {
            return Err(format!("the level {l:?} contains a control character"));
        }
        out.push(l.to_string());
    }
    if out.is_empty() {
        return Err("no access levels: name at least one level of the Huddle product".into());
    }
    Ok(out)
}

/// `Leden, Academy`, or `-` for none.
pub fn levels_text(levels: &[String]) -> String {
    if levels.is_empty() {
        "-".into()
    } else {
        levels.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skus_and_levels_are_cleaned() {
        assert_eq!(clean_sku("  HUD-1 ").unwrap(), "HUD-1");
        assert!(clean_sku("   ").is_err());
        assert!(clean_sku("a\tb").is_err());
        assert_eq!(
            clean_levels([" Leden", "", "Academy", "Leden"]).unwrap(),
            vec!["Leden".to_string(), "Academy".to_string()]
        );
        assert!(clean_levels([" ", ""]).is_err());
    }
}
