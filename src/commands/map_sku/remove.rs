//! `shopsync map-sku remove`: take SKUs out of the table.

use clap::Args;
use serde::Serialize;

use super::{clean_sku, open, StoreArgs};
use crate::commands::Context;
use crate::error::{CliError, CliResult, ExitCode};
use crate::state::MappingChange;

#[derive(Debug, Args)]
pub struct RemoveArgs {
    #[command(flatten)]
    pub store: StoreArgs,

    /// The SKUs to remove
    #[arg(required = true)]
    pub skus: Vec<String>,
}

#[derive(Debug, Serialize)]
struct Outcome {
    sku: String,
    /// removed | absent
    action: &'static str,
}

pub fn exec(ctx: &Context, args: RemoveArgs) -> CliResult<ExitCode> {
    let skus = args
        .skus
        .iter()
        .map(|s| {
            clean_sku(s).map_err(|why| CliError::config(format!("cannot remove {s:?}: {why}")))
        })
        .collect::<CliResult<Vec<String>>>()?;
    let (_, store) = open(ctx, &args.store)?;
    let changes = store.write_sku_mappings(&[], &skus)?;
    let outcomes: Vec<Outcome> = skus
        .into_iter()
        .zip(changes)
        .map(|(sku, c)| Outcome {
            sku,
            action: if c == MappingChange::Removed {
                "removed"
            } else {
                "absent"
            },
        })
        .collect();
    if ctx.global.json {
        ctx.printer.out_json(&outcomes);
    } else {
        for o in &outcomes {
            if o.action == "removed" {
                ctx.printer.out(format!("Removed {}", o.sku));
            } else {
                ctx.printer
                    .warn(format!("{} was not mapped; nothing to remove", o.sku));
            }
        }
    }
    Ok(ExitCode::Success)
}
