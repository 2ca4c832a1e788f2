//! `shopsync map-sku check`: does the shop agree with the table?
//!
//! Problems (exit 5): a mapped SKU that no Shopify variant carries, or that several variants
//! carry (Huddle cannot tell which product was bought); a SKU on paid orders since `--since`
//! that is not mapped (its buyers get no membership), unless `--allow-unmapped`.
//! Reads are paged and paced by Shopify's cost bucket: mapped SKUs are searched ten at a time
//! (`sku:"A" OR sku:"B" ...`, each page 202 points) and the paid orders twenty to a page.

use chrono::{DateTime, Utc};
use clap::Args;
use serde::Serialize;

use super::{open, StoreArgs};
use crate::commands::{parse_date, Context};
use crate::config::credentials;
use crate::connectors::shopify::settings::ShopifySettings;
use crate::connectors::shopify::skus::VariantHit;
use crate::connectors::shopify::ShopifyClient;
use crate::connectors::system::System;
use crate::error::{CliResult, ExitCode};
use crate::flows::shopify_huddle::no_mappings_error;

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub store: StoreArgs,

    /// Look for unmapped SKUs in orders paid since DATE (YYYY-MM-DD or RFC 3339)
    /// [default: 60 days ago, as far as Shopify shows orders without `read_all_orders`]
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: Option<DateTime<Utc>>,

    /// Report sold but unmapped SKUs as warnings, not problems (a shop that also sells things
    /// that give no membership)
    #[arg(long)]
    pub allow_unmapped: bool,
}

#[derive(Debug, Serialize)]
struct MappedSku {
    sku: String,
    /// ok | missing | duplicate
    status: &'static str,
    variants: Vec<VariantHit>,
    message: Option<String>,
}

#[derive(Debug, Serialize)]
struct SoldUnmapped {
    sku: String,
    orders: u64,
    first_order: String,
}

#[derive(Debug, Serialize)]
struct Report {
    ok: bool,
    problems: usize,
    mapped: Vec<MappedSku>,
    sold_since: String,
    orders_read: u64,
    lines_without_sku: u64,
    sold_unmapped: Vec<SoldUnmapped>,
    /// Whether sold but unmapped SKUs count as problems.
    unmapped_is_problem: bool,
}

pub async fn exec(ctx: &Context, args: CheckArgs) -> CliResult<ExitCode> {
    let (profile, store) = open(ctx, &args.store)?;
    let mappings = store.sku_mappings()?;
    drop(store);
    if mappings.is_empty() {
        return Err(no_mappings_error(&profile.name));
    }
    let (token, _) = credentials::resolve(&profile.name, System::Shopify)?;
    let shop = profile.table::<ShopifySettings>();
    let shopify = ShopifyClient::new(&shop.api_base_url(), &shop.shop_domain(), token);
    let skus: Vec<String> = mappings.iter().map(|m| m.sku.clone()).collect();
    ctx.printer.status(format!(
        "Looking up {} mapped SKU(s) in {} ...",
        skus.len(),
        shop.shop_domain()
    ));
    let mut found = shopify.variants_by_sku(&skus).await?;
    let mut mapped = Vec::new();
    for sku in &skus {
        let hits = found.remove(sku).unwrap_or_default();
        let (exact, other_case): (Vec<VariantHit>, Vec<VariantHit>) =
            hits.into_iter().partition(|h| h.sku == *sku);
        let (status, message) = match exact.len() {
            1 => ("ok", None),
            0 if !other_case.is_empty() => (
                "missing",
                Some(format!(
                    "no variant has the SKU {sku}; {} differs only in case: {}",
                    if other_case.len() == 1 { "one" } else { "some" },
                    other_case
                        .iter()
                        .map(|h| format!("{} ({})", h.sku, h.title))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            ),
            0 => (
                "missing",
                Some(format!(
                    "no Shopify variant has the SKU {sku}; find the right one with `shopsync \
                     skus --profile {} --search WORD`",
                    profile.name
                )),
            ),
            n => (
                "duplicate",
                Some(format!(
                    "{n} variants have the SKU {sku}: {}; Huddle matches by SKU, so give each \
                     product its own",
                    exact
                        .iter()
                        .map(|h| h.title.clone())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            ),
        };
        let variants = if exact.is_empty() { other_case } else { exact };
        mapped.push(MappedSku {
            sku: sku.clone(),
            status,
            variants,
            message,
        });
    }

    let since = args
        .since
        .unwrap_or_else(|| Utc::now() - chrono::Duration::days(60));
    let since_text = since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    ctx.printer.status(format!(
        "Reading the SKUs of orders paid since {since_text} ..."
    ));
    let sold = shopify
        .sold_skus(&format!(
            "financial_status:paid AND processed_at:>='{since_text}'"
        ))
        .await?;
    let sold_unmapped: Vec<SoldUnmapped> = sold
        .skus
        .iter()
        .filter(|(sku, _)| !skus.contains(sku))
        .map(|(sku, (orders, first))| SoldUnmapped {
            sku: sku.clone(),
            orders: *orders,
            first_order: first.clone(),
        })
        .collect();

    let sku_problems = mapped.iter().filter(|m| m.status != "ok").count();
    let problems = sku_problems
        + if args.allow_unmapped {
            0
        } else {
            sold_unmapped.len()
        };
    let report = Report {
        ok: problems == 0,
        problems,
        mapped,
        sold_since: since_text,
        orders_read: sold.orders,
        lines_without_sku: sold.lines_without_sku,
        sold_unmapped,
        unmapped_is_problem: !args.allow_unmapped,
    };
    if ctx.global.json {
        ctx.printer.out_json(&report);
    } else {
        print(ctx, &report);
    }
    Ok(if problems == 0 {
        ExitCode::Success
    } else {
        ExitCode::CheckFailed
    })
}

fn print(ctx: &Context, r: &Report) {
    let mut table = ctx.printer.table();
    table.set_header(["sku", "status", "shopify variant(s)"]);
    for m in &r.mapped {
        let variants = if m.variants.is_empty() {
            "-".to_string()
        } else {
            m.variants
                .iter()
                .map(|v| {
                    if v.product_status.is_empty() || v.product_status == "ACTIVE" {
                        v.title.clone()
                    } else {
                        format!("{} ({})", v.title, v.product_status.to_lowercase())
                    }
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        table.add_row([m.sku.clone(), m.status.to_string(), variants]);
    }
    ctx.printer.out(table.to_string());
    for m in &r.mapped {
        if let Some(msg) = &m.message {
            ctx.printer.out(format!("problem: {msg}"));
        }
    }
    let label = if r.unmapped_is_problem {
        "problem"
    } else {
        "note"
    };
    for s in &r.sold_unmapped {
        ctx.printer.out(format!(
            "{label}: {} is sold ({} paid order(s) since {}, first {}) but not mapped; its buyers \
             get no Huddle membership",
            s.sku, s.orders, r.sold_since, s.first_order
        ));
    }
    if r.lines_without_sku > 0 {
        ctx.printer.warn(format!(
            "{} order line(s) since {} have no SKU; Huddle cannot match them",
            r.lines_without_sku, r.sold_since
        ));
    }
    if r.ok {
        ctx.printer.out(format!(
            "All {} mapped SKU(s) are each on exactly one Shopify variant; {} paid order(s) since {} read.",
            r.mapped.len(),
            r.orders_read,
            r.sold_since
        ));
    } else {
        ctx.printer.out(format!(
            "{} problem(s) found. Fix the SKUs in Shopify (or the table with `map-sku add|remove`), \
             then run `map-sku check` again.",
            r.problems
        ));
    }
}
