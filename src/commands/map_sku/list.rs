//! `shopsync map-sku list`: the table, as a table or `--json`.

use super::{levels_text, open, StoreArgs};
use crate::commands::Context;
use crate::error::{CliResult, ExitCode};

pub fn exec(ctx: &Context, args: StoreArgs) -> CliResult<ExitCode> {
    let (profile, store) = open(ctx, &args)?;
    let mappings = store.sku_mappings()?;
    if ctx.global.json {
        ctx.printer.out_json(&mappings);
        return Ok(ExitCode::Success);
    }
    if mappings.is_empty() {
        ctx.printer.status(format!(
            "The profile `{}` has no mapped SKUs yet: `shopsync map-sku add --profile {} SKU --levels LEVEL`.",
            profile.name, profile.name
        ));
        return Ok(ExitCode::Success);
    }
    let mut table = ctx.printer.table();
    table.set_header(["sku", "huddle product", "levels"]);
    for m in &mappings {
        table.add_row([
            m.sku.clone(),
            if m.product.is_empty() {
                "-".into()
            } else {
                m.product.clone()
            },
            levels_text(&m.levels),
        ]);
    }
    ctx.printer.out(table.to_string());
    Ok(ExitCode::Success)
}
