//! `shopsync map-sku add`: map one SKU (or change its mapping).

use clap::Args;
use serde::Serialize;

use super::{clean_levels, clean_sku, levels_text, open, StoreArgs};
use crate::commands::Context;
use crate::error::{CliError, CliResult, ExitCode};
use crate::state::{MappingChange, SkuMapping};

#[derive(Debug, Args)]
pub struct AddArgs {
    #[command(flatten)]
    pub store: StoreArgs,

    /// The SKU, exactly as on the Shopify variant and the Huddle webhook product
    pub sku: String,

    /// The access levels the Huddle product gives, comma-separated
    #[arg(
        long,
        short,
        value_delimiter = ',',
        required = true,
        value_name = "LEVELS"
    )]
    pub levels: Vec<String>,

    /// The Huddle webhook product's title, for your own reference
    #[arg(long, value_name = "TITLE")]
    pub product: Option<String>,
}

#[derive(Debug, Serialize)]
struct Outcome<'a> {
    action: MappingChange,
    #[serde(flatten)]
    mapping: &'a SkuMapping,
}

pub fn exec(ctx: &Context, args: AddArgs) -> CliResult<ExitCode> {
    let sku = clean_sku(&args.sku).map_err(|why| {
        CliError::config(format!("cannot map {:?}: {why}", args.sku))
            .hint("give the SKU exactly as it is on the Shopify variant")
    })?;
    let levels = clean_levels(args.levels.iter().map(String::as_str)).map_err(|why| {
        CliError::config(format!("cannot map {sku}: {why}"))
            .hint("e.g. --levels Leden,Academy (the levels ticked at the Huddle webhook product)")
    })?;
    let product = args.product.unwrap_or_default().trim().to_string();
    let (_, store) = open(ctx, &args.store)?;
    let mapping = SkuMapping {
        sku,
        product,
        levels,
    };
    let change = store.write_sku_mappings(std::slice::from_ref(&mapping), &[])?[0];
    if ctx.global.json {
        ctx.printer.out_json(&Outcome {
            action: change,
            mapping: &mapping,
        });
    } else {
        let verb = match change {
            MappingChange::Added => "Mapped",
            MappingChange::Updated => "Changed",
            _ => "Already mapped",
        };
        let product = if mapping.product.is_empty() {
            String::new()
        } else {
            format!(" (Huddle product {:?})", mapping.product)
        };
        ctx.printer.out(format!(
            "{verb}: {} -> levels {}{product}",
            mapping.sku,
            levels_text(&mapping.levels)
        ));
    }
    Ok(ExitCode::Success)
}
