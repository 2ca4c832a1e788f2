//! `pull-stock`: the shop's stock levels back to the back office, through the profile's
//! warehouse -> location map: Tellix stock per department (only levels that differ are
//! written), or the stock file (a whole snapshot, written atomically).

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::Instant;

use super::push::resolve_locations;
use super::{settings, BackOffice, Report, Requests};
use crate::catalogue::StockLevel;
use crate::config::Profile;
use crate::connectors::files;
use crate::connectors::shopify::settings::ShopifySettings;
use crate::connectors::shopify::ShopifyClient;
use crate::engine::plan::{Action, Change, Counts, FieldChange};
use crate::error::{CliError, CliResult};
use crate::state::{Failure, StateStore};
use crate::ui::Printer;

pub struct Options {
    pub dry_run: bool,
    pub out: Option<PathBuf>,
    pub state_dir: PathBuf,
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
    if !s.sync_stock {
        return Err(CliError::config(format!(
            "the profile `{}` has sync_stock = false",
            profile.name
        ))
        .hint("set sync_stock = true in its [backoffice] table to sync stock levels"));
    }
    if s.warehouses.is_empty() {
        return Err(CliError::config(format!(
            "the profile `{}` maps no warehouse to a Shopify location",
            profile.name
        ))
        .hint("add [profiles.NAME.backoffice.warehouses] with e.g. \"Oslo\" = \"Oslo store\""));
    }
    let out = match &backoffice {
        BackOffice::Files(b) => {
            let path = options.out.clone().or_else(|| b.stock_file.clone()).ok_or_else(|| {
                CliError::config("no stock file to write").hint(
                    "pass --out FILE (.csv or .jsonl), or set `stock_file` in the profile's [backoffice] table",
                )
            })?;
            files::Format::of(&path)?;
            Some(path)
        }
        BackOffice::Tellix(t) => {
            if options.out.is_some() {
                return Err(CliError::config(
                    "--out is for a file back office; this profile's back office is Tellix",
                )
                .hint("leave --out away: the stock is written to Tellix"));
            }
            for w in s.warehouses.keys() {
                if t.department_id(w).is_none() {
                    return Err(CliError::config(format!(
                        "warehouse `{w}` in the profile is not a Tellix department"
                    ))
                    .hint(format!(
                        "the departments are: {}",
                        t.department_names().join(", ")
                    )));
                }
            }
            None
        }
    };
    let locations = resolve_locations(&s, &shopify.locations().await?)?;
    printer.status("Reading the shop's stock levels");
    let shop = shopify
        .catalogue(profile.table::<ShopifySettings>().bulk_threshold())
        .await?;
    let state = StateStore::open(&options.state_dir, &profile.name)?;
    let command = if options.dry_run {
        "pull-stock --dry-run"
    } else {
        "pull-stock"
    };
    let run_id = state.begin_run(command, &profile.name, options.dry_run)?;
    crate::interrupt::install(printer.is_quiet());
    let mut report = Report {
        command: "pull-stock",
        profile: profile.name.clone(),
        backoffice: backoffice.kind(),
        dry_run: options.dry_run,
        run_id,
        read: None,
        records: 0,
        counts: Counts::default(),
        changes: Vec::new(),
        failures: Vec::new(),
        file: out.as_ref().map(|p| p.display().to_string()),
        seconds: 0.0,
        requests: Requests::default(),
        state_file: state.path().to_string(),
    };

    // SKU -> its levels at the mapped locations; a SKU on two variants is reported.
    let mut by_sku: HashMap<String, Vec<StockLevel>> = HashMap::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for p in &shop.products {
        for v in &p.variants {
            let Some(sku) = v.sku.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
                continue;
            };
            *seen.entry(sku.to_string()).or_default() += 1;
            if !v.tracked {
                continue;
            }
            for (warehouse, loc) in &locations {
                if let Some(level) = v.inventory_levels.iter().find(|l| &l.location_id == loc) {
                    by_sku.entry(sku.to_string()).or_default().push(StockLevel {
                        sku: sku.to_string(),
                        warehouse: warehouse.clone(),
                        quantity: level.available,
                    });
                }
            }
        }
    }
    let mut levels: Vec<StockLevel> = Vec::new();
    for (sku, n) in &seen {
        if *n > 1 {
            report.counts.failed += 1;
            report.failures.push(Failure {
                stream: "stock".into(),
                source_id: sku.clone(),
                reason: format!("SKU `{sku}` is on {n} Shopify variants; its stock is not pulled until it is unique"),
            });
            by_sku.remove(sku);
        }
    }
    for list in by_sku.into_values() {
        levels.extend(list);
    }
    levels.sort_by(|a, b| (&a.sku, &a.warehouse).cmp(&(&b.sku, &b.warehouse)));
    report.records = levels.len() as u64;

    match (&backoffice, &out) {
        (BackOffice::Files(_), Some(path)) => {
            // The file is a full snapshot: its rows are new the first time, rewritten after.
            if path.exists() {
                report.counts.update = levels.len() as u64;
            } else {
                report.counts.create = levels.len() as u64;
            }
            if !options.dry_run {
                files::stock::write(path, &levels)?;
            }
        }
        (BackOffice::Tellix(t), _) => {
            let catalogue = t.catalogue().await?;
            let mut current: HashMap<&str, &BTreeMap<String, i64>> = HashMap::new();
            for p in &catalogue.products {
                for v in &p.variants {
                    current.insert(v.sku.as_str(), &v.stock);
                }
            }
            for level in &levels {
                if crate::interrupt::requested().is_some() {
                    break;
                }
                let Some(stock) = current.get(level.sku.as_str()) else {
                    report.counts.skip += 1;
                    continue;
                };
                let old = stock.get(&level.warehouse).copied();
                if old == Some(level.quantity) {
                    report.counts.unchanged += 1;
                    continue;
                }
                let change = Change {
                    stream: "stock".into(),
                    action: Action::Update,
                    source_id: level.sku.clone(),
                    label: format!("{} @ {}", level.sku, level.warehouse),
                    target_id: None,
                    reason: None,
                    fields: vec![FieldChange {
                        field: "quantity".into(),
                        old: old.map(|q| q.to_string()),
                        new: Some(level.quantity.to_string()),
                        old_not_kept: false,
                    }],
                };
                if !options.dry_run {
                    let dept = t.department_id(&level.warehouse).expect("checked above");
                    if let Err(e) = t.set_stock(dept, &level.sku, level.quantity).await {
                        match e {
                            crate::connectors::tellix::TellixError::Refused { .. } => {
                                report.counts.failed += 1;
                                report.failures.push(Failure {
                                    stream: "stock".into(),
                                    source_id: level.sku.clone(),
                                    reason: e.to_string(),
                                });
                                continue;
                            }
                            other => return Err(other.into()),
                        }
                    }
                }
                report.counts.update += 1;
                report.changes.push(change);
            }
        }
        _ => unreachable!("a file back office has a path"),
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
