//! `link-products`: the first-time link for a shop that already has products. Imports the
//! shop's products into the back office (Tellix products, or a catalogue file), paired by SKU,
//! so that `push-products` can keep them in sync from then on. A Shopify product with a variant
//! without SKU cannot be paired and is reported, not imported; a product whose SKUs are all in
//! the back office already is paired as it is; one with only some of them is reported.

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Instant;

use super::push::{resolve_locations, PRICES};
use super::{settings, BackOffice, Report, Requests};
use crate::catalogue::{CatalogueProduct, CatalogueVariant};
use crate::config::Profile;
use crate::connectors::backoffice::BackOfficeSettings;
use crate::connectors::files;
use crate::connectors::shopify::settings::ShopifySettings;
use crate::connectors::shopify::{ShopifyCatalogueProduct, ShopifyClient};
use crate::engine::plan::{Action, Change, Counts, FieldChange};
use crate::error::{CliError, CliResult};
use crate::state::{Checkpoint, Failure, Fields, LinkUpdate, StateStore};
use crate::ui::Printer;

pub struct Options {
    pub dry_run: bool,
    pub out: Option<PathBuf>,
    pub state_dir: PathBuf,
}

/// A Shopify product as a catalogue product, or why it cannot be one.
fn to_catalogue(
    p: &ShopifyCatalogueProduct,
    s: &BackOfficeSettings,
    locations: &std::collections::BTreeMap<String, String>,
) -> Result<CatalogueProduct, String> {
    let no_sku: Vec<String> = p
        .variants
        .iter()
        .filter(|v| v.sku.as_deref().is_none_or(|s| s.trim().is_empty()))
        .map(|v| {
            let values: Vec<&str> = v
                .selected_options
                .iter()
                .map(|(_, val)| val.as_str())
                .collect();
            values.join(" / ")
        })
        .collect();
    if !no_sku.is_empty() {
        return Err(format!(
            "has {} variant(s) without SKU ({}); give them SKUs in Shopify to link the product",
            no_sku.len(),
            no_sku.join(", ")
        ));
    }
    let default_options =
        p.options.is_empty() || (p.options.len() == 1 && p.options[0].name == "Title");
    let options: Vec<String> = if default_options {
        Vec::new()
    } else {
        p.options.iter().map(|o| o.name.clone()).collect()
    };
    let department = s
        .price_department
        .clone()
        .unwrap_or_else(|| "default".into());
    let variants = p
        .variants
        .iter()
        .map(|v| {
            let option_values = options
                .iter()
                .map(|n| {
                    v.selected_options
                        .iter()
                        .find(|(k, _)| k == n)
                        .map(|(_, val)| val.clone())
                        .unwrap_or_default()
                })
                .collect();
            let mut prices = std::collections::BTreeMap::new();
            if let Ok(price) = crate::catalogue::normalize_price(&v.price) {
                prices.insert(department.clone(), price);
            }
            let stock = locations
                .iter()
                .filter_map(|(w, loc)| {
                    let l = v.inventory_levels.iter().find(|l| &l.location_id == loc)?;
                    Some((w.clone(), l.available))
                })
                .collect();
            CatalogueVariant {
                id: None,
                sku: v.sku.clone().unwrap_or_default().trim().to_string(),
                barcode: v.barcode.clone(),
                option_values,
                prices,
                inventory_tracked: v.tracked,
                stock,
            }
        })
        .collect();
    let images = p
        .images
        .iter()
        .filter_map(|i| i.original_url.clone().or_else(|| i.url.clone()))
        .collect();
    Ok(CatalogueProduct {
        id: p.handle.clone(),
        name: p.title.clone(),
        status: crate::connectors::shopify::catalogue::product_status(&p.status),
        online: true,
        description: Some(p.description_html.clone()).filter(|d| !d.trim().is_empty()),
        images,
        options,
        variants,
        updated_at: Some(p.updated_at.clone()),
        origin: p.id.clone(),
    })
}

pub async fn run(
    profile: &Profile,
    shopify: ShopifyClient,
    backoffice: BackOffice,
    options: &Options,
    printer: &Printer,
) -> CliResult<Report> {
    let started = Instant::now();
    let s = settings(profile).clone();
    let out = match &backoffice {
        BackOffice::Files(b) => {
            let path = options.out.clone().or_else(|| b.catalogue.clone()).ok_or_else(|| {
                CliError::config("no catalogue file to write").hint(
                    "pass --out FILE (.csv or .jsonl), or set `catalogue` in the profile's [backoffice] table",
                )
            })?;
            files::Format::of(&path)?;
            if path.exists() {
                return Err(CliError::config(format!(
                    "{} exists already; the first-time link writes a new catalogue and never overwrites one",
                    path.display()
                ))
                .hint("move it away, or pass --out with another file name"));
            }
            Some(path)
        }
        BackOffice::Tellix(_) => {
            if options.out.is_some() {
                return Err(CliError::config(
                    "--out is for a file back office; this profile's back office is Tellix",
                )
                .hint("leave --out away: the products are imported into Tellix"));
            }
            None
        }
    };
    let locations = if s.sync_stock && !s.warehouses.is_empty() {
        resolve_locations(&s, &shopify.locations().await?)?
    } else {
        Default::default()
    };
    printer.status("Reading the shop's catalogue");
    let shop = shopify
        .catalogue(profile.table::<ShopifySettings>().bulk_threshold())
        .await?;
    let state = StateStore::open(&options.state_dir, &profile.name)?;
    let command = if options.dry_run {
        "link-products --dry-run"
    } else {
        "link-products"
    };
    let run_id = state.begin_run(command, &profile.name, options.dry_run)?;
    crate::interrupt::install(printer.is_quiet());
    let mut report = Report {
        command: "link-products",
        profile: profile.name.clone(),
        backoffice: backoffice.kind(),
        dry_run: options.dry_run,
        run_id,
        read: None,
        records: shop.products.len() as u64,
        counts: Counts::default(),
        changes: Vec::new(),
        failures: Vec::new(),
        file: out.as_ref().map(|p| p.display().to_string()),
        seconds: 0.0,
        requests: Requests::default(),
        state_file: state.path().to_string(),
    };
    let mut products = Vec::new();
    for p in &shop.products {
        match to_catalogue(p, &s, &locations) {
            Ok(c) => products.push(c),
            Err(reason) => {
                report.counts.skip += 1;
                report.changes.push(Change {
                    stream: "products".into(),
                    action: Action::Skip,
                    source_id: p.id.clone(),
                    label: p.title.clone(),
                    target_id: None,
                    reason: Some(reason.clone()),
                    fields: Vec::new(),
                });
                report.failures.push(Failure {
                    stream: "products".into(),
                    source_id: p.id.clone(),
                    reason: format!("{} {reason}", p.title),
                });
            }
        }
    }
    // A SKU on two Shopify products: neither is imported.
    let mut check = crate::catalogue::Catalogue {
        products,
        problems: Vec::new(),
    };
    check.reject_duplicate_skus();
    for p in &check.problems {
        report.counts.failed += 1;
        report.failures.push(Failure {
            stream: "products".into(),
            source_id: p.origin.clone(),
            reason: p.reason.clone(),
        });
    }
    let products = check.products;

    let known: HashSet<String> = match &backoffice {
        BackOffice::Tellix(t) => t
            .catalogue()
            .await?
            .products
            .iter()
            .flat_map(|p| p.variants.iter().map(|v| v.sku.clone()))
            .collect(),
        BackOffice::Files(_) => HashSet::new(),
    };
    let mut to_write = Vec::new();
    for p in products {
        let in_bo = p.variants.iter().filter(|v| known.contains(&v.sku)).count();
        let (action, reason) = if in_bo == p.variants.len() {
            (Action::Unchanged, None)
        } else if in_bo > 0 {
            report.counts.failed += 1;
            report.failures.push(Failure {
                stream: "products".into(),
                source_id: p.origin.clone(),
                reason: format!(
                    "{}: {in_bo} of its {} SKUs are in the back office already, the others not; add them there by hand or fix the SKUs, then run again",
                    p.name,
                    p.variants.len()
                ),
            });
            continue;
        } else {
            (Action::Create, None)
        };
        report.counts.add(action);
        if action == Action::Create {
            report.changes.push(Change {
                stream: "products".into(),
                action,
                source_id: p.origin.clone(),
                label: p.name.clone(),
                target_id: None,
                reason,
                fields: p
                    .variants
                    .iter()
                    .map(|v| FieldChange {
                        field: format!("variant {}", v.sku),
                        old: None,
                        new: Some(
                            v.prices
                                .values()
                                .next()
                                .map(|pr| format!("price {pr}"))
                                .unwrap_or_default(),
                        ),
                        old_not_kept: false,
                    })
                    .collect(),
            });
        }
        to_write.push((action, p));
    }

    if !options.dry_run {
        match (&backoffice, &out) {
            (BackOffice::Files(_), Some(path)) => {
                let all: Vec<CatalogueProduct> = to_write.iter().map(|(_, p)| p.clone()).collect();
                files::catalogue::write(path, &all)?;
            }
            (BackOffice::Tellix(t), _) => {
                for (action, p) in &to_write {
                    if crate::interrupt::requested().is_some() {
                        break;
                    }
                    if *action != Action::Create {
                        continue;
                    }
                    if let Err(e) = t.import_product(p).await {
                        match e {
                            crate::connectors::tellix::TellixError::Refused { .. } => {
                                report.counts.create -= 1;
                                report.counts.failed += 1;
                                report.failures.push(Failure {
                                    stream: "products".into(),
                                    source_id: p.origin.clone(),
                                    reason: e.to_string(),
                                });
                            }
                            other => return Err(other.into()),
                        }
                    }
                }
            }
            _ => unreachable!("a file back office has a path"),
        }
        // The shop's prices are the back office's from now on: the next push sends a price
        // only when the back office changes it.
        let written = to_write
            .iter()
            .flat_map(|(_, p)| p.variants.iter())
            .filter_map(|v| {
                let price = v.prices.values().next()?;
                let mut fields = Fields::new();
                fields.insert("bo_price".into(), price.clone());
                Some(LinkUpdate {
                    source_id: v.sku.clone(),
                    target_id: String::new(),
                    fields,
                })
            })
            .collect();
        state.checkpoint(
            run_id,
            PRICES,
            &Checkpoint {
                written,
                ..Default::default()
            },
        )?;
    }
    super::finish(
        &mut report,
        started,
        &shopify,
        &backoffice,
        &state,
        run_id,
        false,
    )?;
    Ok(report)
}
