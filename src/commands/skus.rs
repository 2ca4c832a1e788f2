//! `shopsync skus --profile NAME [--search TEXT]`: the shop's variants and their SKUs, to find
//! the SKU `map-sku` needs.

use comfy_table::Cell;

use crate::cli::SkusArgs;
use crate::commands::Context;
use crate::config::{credentials, ProfileFile};
use crate::connectors::shopify::settings::ShopifySettings;
use crate::connectors::shopify::ShopifyClient;
use crate::connectors::system::System;
use crate::error::{CliResult, ExitCode};

pub async fn exec(ctx: &Context, args: SkusArgs) -> CliResult<ExitCode> {
    let (file, path) = ProfileFile::load(ctx.global.config.as_deref())?;
    let profile = file.profile(&args.profile, &path)?;
    let (token, _) = credentials::resolve(&profile.name, System::Shopify)?;
    let shop = profile.table::<ShopifySettings>();
    let shopify = ShopifyClient::new(&shop.api_base_url(), &shop.shop_domain(), token);
    let text = args.search.unwrap_or_default();
    let hits = shopify.search_variants(&text, args.limit).await?;
    if ctx.global.json {
        ctx.printer.out_json(&hits);
        return Ok(ExitCode::Success);
    }
    if hits.is_empty() {
        ctx.printer.status(format!(
            "No variant in {} matches `{text}`: try a shorter word, or the start of the SKU",
            shop.shop_domain()
        ));
        return Ok(ExitCode::Success);
    }
    let mut table = ctx.printer.table();
    table.set_header(vec!["sku", "variant", "product status"]);
    for h in &hits {
        let sku = if h.sku.is_empty() { "(none)" } else { &h.sku };
        table.add_row(vec![
            Cell::new(sku),
            Cell::new(&h.title),
            Cell::new(h.product_status.to_lowercase()),
        ]);
    }
    ctx.printer.out(table.to_string());
    if hits.len() == args.limit {
        ctx.printer.status(format!(
            "The first {} shown; --limit N shows more",
            args.limit
        ));
    }
    Ok(ExitCode::Success)
}
