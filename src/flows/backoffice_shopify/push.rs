//! `push-products`: the back office's catalogue into the shop, by SKU.
//!
//! Each catalogue product is paired with the Shopify product that has its variants' SKUs. A SKU
//! on two Shopify variants, or the variants of one catalogue product spread over two Shopify
//! products, is an error for that product (reported, never guessed); a SKU twice in the
//! catalogue was already taken out by the catalogue read.
//!
//! A product is written with one `productSet` (create, or update of the paired product). Its
//! lists replace what Shopify has, so the input always lists what must stay: every Shopify
//! variant the catalogue does not name (by id, untouched), in the shop's variant order (new
//! variants at the end), and, unless `overwrite_images`,
//! every image the product has (by id) before the catalogue's new ones. A catalogue without
//! images never removes the shop's. Fields: name, status (a product not `online` is kept as a
//! draft, and never created), variants with SKU, barcode, option values, price and whether
//! stock is tracked, images, and the description when `sync_description` is on.
//!
//! Price: the `price_department`'s price (else the product's own `default` price). With
//! `price_only_when_changed` (the default) it is sent only when it differs from the back-office
//! price last pushed for that SKU (kept in the state), so a price changed in the shop stays
//! until the back office changes it.
//!
//! Stock (`sync_stock`): for every warehouse mapped to a location, the back office's quantity is
//! set with `inventorySetQuantities`, guarded by the quantity read from Shopify (compare and
//! swap): a level that changed in the shop since it was read is reported, not overwritten. New
//! variants get their stock in the `productSet` itself.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::time::Instant;

use futures::StreamExt;

use super::{settings, BackOffice, Report, Requests};
use crate::catalogue::{CatalogueProduct, CatalogueVariant, ProductStatus};
use crate::config::Profile;
use crate::connectors::backoffice::BackOfficeSettings;
use crate::connectors::shopify::settings::ShopifySettings;
use crate::connectors::shopify::{
    FileSetInput, InventoryItemInput, InventorySet, InventorySetOutcome, OptionSetInput,
    OptionValueSetInput, ProductSetInput, ProductSetInventoryInput, ProductStatus as SetStatus,
    ProductVariantSetInput, QuantityName, ShopifyCatalogue, ShopifyCatalogueProduct,
    ShopifyCatalogueVariant, ShopifyClient, ShopifyImage, ShopifyLocation, VariantOptionValueInput,
    REASON_CORRECTION,
};
use crate::engine::plan::{Action, Change, Counts, FieldChange};
use crate::error::{CliError, CliResult};
use crate::state::{Checkpoint, Failure, Fields, LinkUpdate, StateStore};
use crate::ui::Printer;

/// State stream: SKU -> Shopify variant, with the back-office price last pushed.
pub const PRICES: &str = "backoffice_prices";
const DEFAULT_PRICE: &str = "default";
/// productSet calls in flight at once. The bound at Shopify's rates is the cost bucket; more
/// than one in flight hides each call's round trip.
const WRITES_IN_FLIGHT: usize = 4;

pub struct Options {
    pub dry_run: bool,
    pub state_dir: PathBuf,
}

/// Shopify's locations resolved from the profile's warehouse map: warehouse -> location id.
pub fn resolve_locations(
    s: &BackOfficeSettings,
    locations: &[ShopifyLocation],
) -> CliResult<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for (warehouse, wanted) in &s.warehouses {
        let w = wanted.trim();
        let found = locations
            .iter()
            .find(|l| l.id == w)
            .or_else(|| locations.iter().find(|l| l.name.eq_ignore_ascii_case(w)));
        match found {
            Some(l) => {
                out.insert(warehouse.clone(), l.id.clone());
            }
            None => {
                let names: Vec<&str> = locations.iter().map(|l| l.name.as_str()).collect();
                return Err(CliError::config(format!(
                    "warehouse `{warehouse}` maps to the Shopify location `{w}`, which the shop does not have"
                ))
                .hint(format!(
                    "fix [backoffice.warehouses] in the profile; the shop's locations are: {}",
                    names.join(", ")
                )));
            }
        }
    }
    Ok(out)
}

/// The profile's sales channels as Shopify publication ids; a name the shop does not have
/// stops the push before anything is written.
fn resolve_channels(
    s: &BackOfficeSettings,
    publications: &[(String, String)],
) -> CliResult<Vec<String>> {
    s.sales_channels
        .iter()
        .map(|wanted| {
            publications
                .iter()
                .find(|(id, name)| id == wanted.trim() || name.eq_ignore_ascii_case(wanted.trim()))
                .map(|(id, _)| id.clone())
                .ok_or_else(|| {
                    let names: Vec<&str> = publications.iter().map(|(_, n)| n.as_str()).collect();
                    CliError::config(format!(
                        "the sales channel `{wanted}` (sales_channels in [backoffice]) is not one of the shop's"
                    ))
                    .hint(format!(
                        "name one the shop has: {}; or `sales_channels = []` to publish nowhere",
                        names.join(", ")
                    ))
                })
        })
        .collect()
}

/// Stock can only be written at an active location (Shopify refuses `inventoryActivate` and
/// quantities elsewhere): a warehouse mapped to an inactive one stops the push before anything
/// is written.
fn require_active(
    mapped: &BTreeMap<String, String>,
    locations: &[ShopifyLocation],
) -> CliResult<()> {
    let inactive: Vec<String> = mapped
        .iter()
        .filter_map(|(warehouse, id)| {
            let l = locations.iter().find(|l| &l.id == id)?;
            (!l.is_active).then(|| format!("`{warehouse}` -> `{}`", l.name))
        })
        .collect();
    if inactive.is_empty() {
        return Ok(());
    }
    let active: Vec<&str> = locations
        .iter()
        .filter(|l| l.is_active)
        .map(|l| l.name.as_str())
        .collect();
    Err(CliError::config(format!(
        "warehouse {} mapped to an inactive Shopify location: Shopify takes no stock there; nothing was written",
        inactive.join(", ")
    ))
    .hint(format!(
        "reactivate the location in Shopify (Settings > Locations), or map the warehouse to an active one in [backoffice.warehouses] (active: {})",
        active.join(", ")
    )))
}

/// The price of a variant for the profile: the department's, else the `default` one, else
/// the only one it has.
pub fn price_of<'a>(v: &'a CatalogueVariant, department: Option<&str>) -> Option<&'a String> {
    if let Some(d) = department {
        if let Some(p) = v.prices.get(d) {
            return Some(p);
        }
    }
    v.prices.get(DEFAULT_PRICE).or_else(|| {
        (v.prices.len() == 1 && department.is_none())
            .then(|| v.prices.values().next())
            .flatten()
    })
}

/// Equal amounts compare equal ("19.9" and "19.90").
fn same_amount(a: &str, b: &str) -> bool {
    match (
        crate::catalogue::normalize_price(a),
        crate::catalogue::normalize_price(b),
    ) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// One product's plan: the change shown, and what to send.
struct Planned {
    change: Change,
    /// `None`: nothing to send with productSet.
    input: Option<(Option<String>, ProductSetInput)>,
    /// Stock to set on existing variants.
    stock: Vec<(String, InventorySet)>,
    /// Existing variants not stocked yet at a mapped location: (label, item, location, qty),
    /// started there with `inventoryActivate`.
    activate: Vec<(String, String, String, i64)>,
    /// SKU -> (back-office price, sent?) for the state.
    prices: Vec<(String, String, bool)>,
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
    if !s.sync_products && !s.sync_stock {
        return Err(CliError::config(format!(
            "the profile `{}` has sync_products = false and sync_stock = false: push-products has nothing to do",
            profile.name
        ))
        .hint("turn one of them on in the profile's [backoffice] table"));
    }
    printer.status("Reading the back office's catalogue");
    let catalogue = backoffice.catalogue().await?;
    printer.status(format!(
        "  {} products, {} problems",
        catalogue.products.len(),
        catalogue.problems.len()
    ));
    printer.status("Reading the shop's catalogue");
    let shop = shopify
        .catalogue(profile.table::<ShopifySettings>().bulk_threshold())
        .await?;
    let locations = if s.sync_stock && !s.warehouses.is_empty() {
        let shop_locations = shopify.locations().await?;
        let mapped = resolve_locations(&s, &shop_locations)?;
        require_active(&mapped, &shop_locations)?;
        mapped
    } else {
        BTreeMap::new()
    };
    let channels = if s.sync_products {
        resolve_channels(&s, &shopify.publications().await?)?
    } else {
        Vec::new()
    };
    let state = StateStore::open(&options.state_dir, &profile.name)?;
    shopify.recall_costs(&state)?;
    let command = if options.dry_run {
        "push-products --dry-run"
    } else {
        "push-products"
    };
    let run_id = state.begin_run(command, &profile.name, options.dry_run)?;
    crate::interrupt::install(printer.is_quiet());

    let mut report = Report {
        command: "push-products",
        profile: profile.name.clone(),
        backoffice: backoffice.kind(),
        dry_run: options.dry_run,
        run_id,
        read: None,
        records: catalogue.products.len() as u64,
        counts: Counts::default(),
        changes: Vec::new(),
        failures: Vec::new(),
        file: None,
        seconds: 0.0,
        requests: Requests::default(),
        state_file: state.path().to_string(),
    };
    for p in &catalogue.problems {
        report.failures.push(Failure {
            stream: "catalogue".into(),
            source_id: p.origin.clone(),
            reason: p.reason.clone(),
        });
    }
    for (id, reason) in &shop.malformed {
        report.failures.push(Failure {
            stream: "shopify".into(),
            source_id: id.clone().unwrap_or_default(),
            reason: reason.clone(),
        });
    }

    let index = sku_index(&shop);
    let skus: Vec<&str> = catalogue
        .products
        .iter()
        .flat_map(|p| p.variants.iter().map(|v| v.sku.as_str()))
        .collect();
    let last_prices = state.links(PRICES, &skus)?;

    let mut stock: Vec<(String, String, InventorySet)> = Vec::new();
    let mut activations: Vec<(String, String, String, String, i64)> = Vec::new();
    let mut to_write: Vec<(&CatalogueProduct, Planned)> = Vec::new();
    for product in &catalogue.products {
        let planned = match plan_product(product, &shop, &index, &s, &locations, &last_prices) {
            Ok(Some(p)) => p,
            Ok(None) => continue,
            Err(reason) => {
                report.failures.push(Failure {
                    stream: "products".into(),
                    source_id: product.origin.clone(),
                    reason,
                });
                continue;
            }
        };
        let action = planned.change.action;
        if options.dry_run || action == Action::Unchanged || action == Action::Skip {
            report.counts.add(action);
            if action != Action::Unchanged {
                report.changes.push(planned.change);
            }
            continue;
        }
        to_write.push((product, planned));
    }

    // Several productSets in flight (the client's cost bucket paces them); their results are
    // taken in catalogue order.
    let shopify_ref = &shopify;
    let mut writes =
        futures::stream::iter(to_write.into_iter().map(|(product, planned)| async move {
            let result = match &planned.input {
                Some((id, input)) => Some(shopify_ref.product_set(id.as_deref(), input).await),
                None => None,
            };
            (product, planned, result)
        }))
        .buffered(WRITES_IN_FLIGHT);
    // What Shopify accepted, by catalogue product; products written, in catalogue order.
    let mut accepted: HashSet<String> = HashSet::new();
    let mut written: Vec<(String, Action, Change)> = Vec::new();
    while let Some((product, planned, result)) = writes.next().await {
        let action = planned.change.action;
        let mut change = planned.change;
        let mut ok = true;
        let product_set = result.is_some();
        if let Some(result) = result.transpose()? {
            if !result.user_errors.is_empty() {
                ok = false;
                let reason = result
                    .user_errors
                    .iter()
                    .map(|e| {
                        let path = if e.field.is_empty() {
                            "(product)".to_string()
                        } else {
                            e.field.join(".")
                        };
                        format!("{path}: {}", e.message)
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                report.failures.push(Failure {
                    stream: "products".into(),
                    source_id: product.origin.clone(),
                    reason: format!("Shopify refused {}: {reason}", product.name),
                });
                state.checkpoint(
                    run_id,
                    PRICES,
                    &Checkpoint {
                        failed: vec![(product.origin.clone(), reason)],
                        ..Default::default()
                    },
                )?;
            } else if let Some(done) = &result.product {
                // On the profile's sales channels while `online`, off them when not.
                if !channels.is_empty() {
                    let publish = product.online;
                    if let Err(errors) = shopify_ref
                        .set_published(&done.id, &channels, publish)
                        .await?
                    {
                        let reason = errors
                            .iter()
                            .map(|e| format!("{}: {}", e.field.join("."), e.message))
                            .collect::<Vec<_>>()
                            .join("; ");
                        report.failures.push(Failure {
                            stream: "products".into(),
                            source_id: product.origin.clone(),
                            reason: format!(
                                "Shopify refused to {} {} on its sales channels: {reason}",
                                if publish { "publish" } else { "unpublish" },
                                product.name
                            ),
                        });
                    }
                }
                // Remember the prices pushed.
                change.target_id = Some(done.id.clone());
                let variant_ids: HashMap<&str, &str> = done
                    .variants
                    .iter()
                    .filter_map(|v| Some((v.sku.as_deref()?, v.id.as_str())))
                    .collect();
                let written = planned
                    .prices
                    .iter()
                    .filter(|(_, _, sent)| *sent)
                    .filter_map(|(sku, price, _)| {
                        let mut fields = Fields::new();
                        fields.insert("bo_price".into(), price.clone());
                        Some(LinkUpdate {
                            source_id: sku.clone(),
                            target_id: variant_ids.get(sku.as_str())?.to_string(),
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
        }
        if ok {
            if product_set {
                accepted.insert(product.origin.clone());
            }
            written.push((product.origin.clone(), action, change));
            activations.extend(
                planned
                    .activate
                    .into_iter()
                    .map(|(label, item, loc, q)| (product.origin.clone(), label, item, loc, q)),
            );
            stock.extend(
                planned
                    .stock
                    .into_iter()
                    .map(|(label, set)| (product.origin.clone(), label, set)),
            );
        }
        if crate::interrupt::requested().is_some() {
            // This result is recorded; the writes in flight are abandoned (the next run plans
            // them again, by SKU); the stock waits for the next run too.
            break;
        }
    }
    drop(writes);

    let interrupted = crate::interrupt::requested().is_some();
    if !options.dry_run && !stock.is_empty() && !interrupted {
        let items: Vec<InventorySet> = stock.iter().map(|(_, _, s)| s.clone()).collect();
        let outcomes = shopify
            .inventory_set_quantities(QuantityName::Available, REASON_CORRECTION, None, &items)
            .await?;
        for ((origin, label, set), outcome) in stock.iter().zip(outcomes) {
            let reason = match outcome {
                InventorySetOutcome::Set { .. } => {
                    accepted.insert(origin.clone());
                    continue;
                }
                InventorySetOutcome::Stale(e) => format!(
                    "stock of {label} changed in the shop since it was read (was {}); not overwritten, the next run sets it: {}",
                    set.change_from.map(|q| q.to_string()).unwrap_or_else(|| "none".into()),
                    e.message
                ),
                InventorySetOutcome::Rejected(e) => {
                    format!("Shopify refused the stock of {label}: {}: {}", e.field.join("."), e.message)
                }
            };
            report.failures.push(Failure {
                stream: "stock".into(),
                source_id: origin.clone(),
                reason,
            });
        }
    }

    for (origin, label, item, location, quantity) in activations.iter().filter(|_| !interrupted) {
        if let Err(errors) = shopify
            .inventory_activate(item, location, Some(*quantity))
            .await?
        {
            let reason = errors
                .iter()
                .map(|e| format!("{}: {}", e.field.join("."), e.message))
                .collect::<Vec<_>>()
                .join("; ");
            report.failures.push(Failure {
                stream: "stock".into(),
                source_id: origin.clone(),
                reason: format!("Shopify refused to stock {label}: {reason}"),
            });
        } else {
            accepted.insert(origin.clone());
        }
    }

    // Counted once each, by what Shopify accepted: a product is created or updated when Shopify
    // took at least one of its writes; every other product with a problem is failed.
    for (origin, action, change) in written {
        if accepted.contains(&origin) {
            report.counts.add(action);
            report.changes.push(change);
        }
    }
    report.counts.failed = report
        .failures
        .iter()
        .map(|f| f.source_id.as_str())
        .filter(|id| !accepted.contains(*id))
        .collect::<HashSet<_>>()
        .len() as u64;

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

/// SKU -> every (product, variant) index that has it in the shop.
fn sku_index(shop: &ShopifyCatalogue) -> HashMap<String, Vec<(usize, usize)>> {
    let mut index: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
    for (pi, p) in shop.products.iter().enumerate() {
        for (vi, v) in p.variants.iter().enumerate() {
            if let Some(sku) = v.sku.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                index.entry(sku.to_string()).or_default().push((pi, vi));
            }
        }
    }
    index
}

fn field(name: impl Into<String>, old: Option<String>, new: Option<String>) -> FieldChange {
    FieldChange {
        field: name.into(),
        old,
        new,
        old_not_kept: false,
    }
}

fn set_status(s: ProductStatus) -> SetStatus {
    match s {
        ProductStatus::Active => SetStatus::Active,
        ProductStatus::Draft => SetStatus::Draft,
        ProductStatus::Archived => SetStatus::Archived,
    }
}

/// The plan for one catalogue product; `Ok(None)` when the profile syncs nothing for it.
fn plan_product(
    product: &CatalogueProduct,
    shop: &ShopifyCatalogue,
    index: &HashMap<String, Vec<(usize, usize)>>,
    s: &BackOfficeSettings,
    locations: &BTreeMap<String, String>,
    last_prices: &HashMap<String, crate::state::Link>,
) -> Result<Option<Planned>, String> {
    // Pairing by SKU.
    let mut paired: Vec<Option<&ShopifyCatalogueVariant>> = Vec::new();
    let mut shop_product: Option<usize> = None;
    for v in &product.variants {
        match index.get(&v.sku).map(Vec::as_slice).unwrap_or_default() {
            [] => paired.push(None),
            [(pi, vi)] => {
                if let Some(other) = shop_product.filter(|o| o != pi) {
                    return Err(format!(
                        "its variants are in two Shopify products ({} and {}); the SKUs must be in one product",
                        shop.products[other].id, shop.products[*pi].id
                    ));
                }
                shop_product = Some(*pi);
                paired.push(Some(&shop.products[*pi].variants[*vi]));
            }
            many => {
                let ids: Vec<&str> = many
                    .iter()
                    .map(|(pi, _)| shop.products[*pi].id.as_str())
                    .collect();
                return Err(format!(
                    "SKU `{}` is on {} Shopify variants (products {}); make it unique in the shop",
                    v.sku,
                    many.len(),
                    ids.join(", ")
                ));
            }
        }
    }
    let existing: Option<&ShopifyCatalogueProduct> = shop_product.map(|i| &shop.products[i]);
    let label = product.name.clone();
    let mut change = Change {
        stream: "products".into(),
        action: Action::Unchanged,
        source_id: product.origin.clone(),
        label,
        target_id: existing.map(|p| p.id.clone()),
        reason: None,
        fields: Vec::new(),
    };
    if existing.is_none() && (!product.online || !s.sync_products) {
        change.action = Action::Skip;
        change.reason = Some(if !product.online {
            "not for the web shop (online = no); not created".into()
        } else {
            "not in the shop, and sync_products is off".into()
        });
        return Ok(Some(Planned {
            change,
            input: None,
            stock: Vec::new(),
            activate: Vec::new(),
            prices: Vec::new(),
        }));
    }

    // Option names: the catalogue's; for a product without options, the shop product's own.
    let option_names: Vec<String> = if !product.options.is_empty() {
        product.options.clone()
    } else if let Some(e) = existing.filter(|e| !is_default_options(e)) {
        e.options.iter().map(|o| o.name.clone()).collect()
    } else {
        vec!["Title".into()]
    };
    let values_of = |v: &CatalogueVariant,
                     shop_v: Option<&ShopifyCatalogueVariant>|
     -> Result<Vec<String>, String> {
        if !product.options.is_empty() {
            return Ok(v.option_values.clone());
        }
        match shop_v {
            Some(sv) if option_names != ["Title"] => option_names
                .iter()
                .map(|n| {
                    sv.selected_options
                        .iter()
                        .find(|(k, _)| k == n)
                        .map(|(_, val)| val.clone())
                        .ok_or_else(|| format!("Shopify variant {} has no value for option {n:?}", v.sku))
                })
                .collect(),
            _ if option_names == ["Title"] => Ok(vec!["Default Title".into()]),
            _ => Err(format!(
                "the shop's product has options {option_names:?}, but the back office's variant {} has none",
                v.sku
            )),
        }
    };

    let department = s.price_department.as_deref();
    let mut variants_in: Vec<ProductVariantSetInput> = Vec::new();
    let mut prices = Vec::new();
    let mut stock = Vec::new();
    let mut activate = Vec::new();
    let mut all_values: Vec<Vec<String>> = Vec::new();
    let mut variant_changes = false;
    for (v, shop_v) in product.variants.iter().zip(&paired) {
        let values = values_of(v, *shop_v)?;
        let price = price_of(v, department).cloned();
        if shop_v.is_none() && price.is_none() && s.sync_products {
            return Err(format!(
                "variant {} has no price{}; a new variant needs one ({})",
                v.sku,
                department
                    .map(|d| format!(" for department {d:?}"))
                    .unwrap_or_default(),
                match department {
                    Some(_) => "give it that department's price in the back office",
                    None => "set `price_department` in the profile's [backoffice] table, or give it a default price",
                }
            ));
        }
        let send_price = match (&price, shop_v) {
            (None, _) => None,
            (Some(p), None) => Some(p.clone()),
            (Some(p), Some(sv)) => {
                let last = last_prices
                    .get(&v.sku)
                    .and_then(|l| l.fields.get("bo_price"));
                let changed_in_bo = last.is_none_or(|l| !same_amount(l, p));
                let differs = !same_amount(&sv.price, p);
                if differs && (changed_in_bo || !s.price_only_when_changed) {
                    Some(p.clone())
                } else {
                    None
                }
            }
        };
        if let Some(p) = &price {
            // Remember the back-office price once the shop has it (sent now, or already equal).
            let already = shop_v.is_some_and(|sv| same_amount(&sv.price, p));
            prices.push((v.sku.clone(), p.clone(), send_price.is_some() || already));
        }
        let mut input = ProductVariantSetInput {
            id: shop_v.map(|sv| sv.id.clone()),
            option_values: option_names
                .iter()
                .zip(&values)
                .map(|(n, val)| VariantOptionValueInput {
                    option_name: n.clone(),
                    name: val.clone(),
                })
                .collect(),
            sku: Some(v.sku.clone()),
            barcode: None,
            price: send_price.clone(),
            compare_at_price: None,
            inventory_item: None,
            inventory_quantities: None,
        };
        match shop_v {
            None => {
                variant_changes = true;
                change.fields.push(field(
                    format!("variant {}", v.sku),
                    None,
                    Some(format!(
                        "{} price {}",
                        values.join(" / "),
                        price.clone().unwrap_or_default()
                    )),
                ));
                input.barcode = Some(v.barcode.clone());
                input.inventory_item = Some(InventoryItemInput {
                    tracked: Some(v.inventory_tracked),
                });
                if s.sync_stock && v.inventory_tracked {
                    let q: Vec<ProductSetInventoryInput> = locations
                        .iter()
                        .filter_map(|(w, loc)| {
                            Some(ProductSetInventoryInput {
                                location_id: loc.clone(),
                                name: "available".into(),
                                quantity: *v.stock.get(w)?,
                            })
                        })
                        .collect();
                    for w in locations.keys() {
                        if let Some(qty) = v.stock.get(w) {
                            change.fields.push(field(
                                format!("stock {} @ {w}", v.sku),
                                None,
                                Some(qty.to_string()),
                            ));
                        }
                    }
                    if !q.is_empty() {
                        input.inventory_quantities = Some(q);
                    }
                }
            }
            Some(sv) => {
                if let Some(p) = &send_price {
                    variant_changes = true;
                    change.fields.push(field(
                        format!("price {}", v.sku),
                        Some(
                            crate::catalogue::normalize_price(&sv.price)
                                .unwrap_or_else(|_| sv.price.clone()),
                        ),
                        Some(p.clone()),
                    ));
                }
                if sv.barcode != v.barcode {
                    variant_changes = true;
                    input.barcode = Some(v.barcode.clone());
                    change.fields.push(field(
                        format!("barcode {}", v.sku),
                        sv.barcode.clone(),
                        v.barcode.clone(),
                    ));
                }
                if sv.tracked != v.inventory_tracked {
                    variant_changes = true;
                    input.inventory_item = Some(InventoryItemInput {
                        tracked: Some(v.inventory_tracked),
                    });
                    change.fields.push(field(
                        format!("inventory tracked {}", v.sku),
                        Some(sv.tracked.to_string()),
                        Some(v.inventory_tracked.to_string()),
                    ));
                }
                let old_values: Vec<String> = option_names
                    .iter()
                    .map(|n| {
                        sv.selected_options
                            .iter()
                            .find(|(k, _)| k == n)
                            .map(|(_, val)| val.clone())
                            .unwrap_or_default()
                    })
                    .collect();
                if old_values != values {
                    variant_changes = true;
                    change.fields.push(field(
                        format!("options {}", v.sku),
                        Some(old_values.join(" / ")),
                        Some(values.join(" / ")),
                    ));
                }
                if s.sync_stock && v.inventory_tracked {
                    for (w, loc) in locations {
                        let Some(want) = v.stock.get(w) else { continue };
                        let have = sv
                            .inventory_levels
                            .iter()
                            .find(|l| &l.location_id == loc)
                            .map(|l| l.available);
                        if have.is_none() {
                            change.fields.push(field(
                                format!("stock {} @ {w}", v.sku),
                                None,
                                Some(want.to_string()),
                            ));
                            activate.push((
                                format!("{} @ {w}", v.sku),
                                sv.inventory_item_id.clone(),
                                loc.clone(),
                                *want,
                            ));
                        } else if have != Some(*want) {
                            change.fields.push(field(
                                format!("stock {} @ {w}", v.sku),
                                have.map(|h| h.to_string()),
                                Some(want.to_string()),
                            ));
                            stock.push((
                                format!("{} @ {w}", v.sku),
                                InventorySet {
                                    inventory_item_id: sv.inventory_item_id.clone(),
                                    location_id: loc.clone(),
                                    quantity: *want,
                                    change_from: Some(have.unwrap_or(0)),
                                },
                            ));
                        }
                    }
                }
            }
        }
        all_values.push(values);
        variants_in.push(input);
    }

    // Variants the shop has and the catalogue does not name: kept as they are.
    if let Some(e) = existing {
        let named: Vec<&str> = paired.iter().flatten().map(|v| v.id.as_str()).collect();
        for sv in e
            .variants
            .iter()
            .filter(|sv| !named.contains(&sv.id.as_str()))
        {
            let values: Vec<String> = option_names
                .iter()
                .map(|n| {
                    sv.selected_options
                        .iter()
                        .find(|(k, _)| k == n)
                        .map(|(_, val)| val.clone())
                        .ok_or_else(|| {
                            format!(
                                "the shop's variant {} ({}) has no value for the back office's option {n:?}; it would be removed, so the product is not written",
                                sv.sku.clone().unwrap_or_default(),
                                sv.id
                            )
                        })
                })
                .collect::<Result<_, _>>()?;
            variants_in.push(ProductVariantSetInput {
                id: Some(sv.id.clone()),
                option_values: option_names
                    .iter()
                    .zip(&values)
                    .map(|(n, val)| VariantOptionValueInput {
                        option_name: n.clone(),
                        name: val.clone(),
                    })
                    .collect(),
                sku: None,
                barcode: None,
                price: None,
                compare_at_price: None,
                inventory_item: None,
                inventory_quantities: None,
            });
            all_values.push(values);
        }
    }
    // The shop's variant order stays (productSet orders variants as listed); new variants go
    // at the end, in catalogue order.
    if let Some(e) = existing {
        let shop_position = |input: &ProductVariantSetInput| {
            input
                .id
                .as_deref()
                .and_then(|id| e.variants.iter().position(|sv| sv.id == id))
                .unwrap_or(usize::MAX)
        };
        let mut order: Vec<usize> = (0..variants_in.len()).collect();
        order.sort_by_key(|&i| shop_position(&variants_in[i]));
        let mut inputs: Vec<Option<ProductVariantSetInput>> =
            variants_in.into_iter().map(Some).collect();
        let mut values: Vec<Option<Vec<String>>> = all_values.into_iter().map(Some).collect();
        variants_in = order.iter().filter_map(|&i| inputs[i].take()).collect();
        all_values = order.iter().filter_map(|&i| values[i].take()).collect();
    }
    let product_options: Vec<OptionSetInput> = option_names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut values: Vec<String> = Vec::new();
            for vals in &all_values {
                if let Some(v) = vals.get(i) {
                    if !values.contains(v) {
                        values.push(v.clone());
                    }
                }
            }
            OptionSetInput {
                id: None,
                name: n.clone(),
                position: Some(i as i64 + 1),
                values: values
                    .into_iter()
                    .map(|name| OptionValueSetInput { name })
                    .collect(),
            }
        })
        .collect();

    // Product fields.
    let status = if product.online {
        product.status
    } else {
        ProductStatus::Draft
    };
    let mut input = ProductSetInput::default();
    let mut product_changes = false;
    match existing {
        None => {
            change.action = Action::Create;
            change
                .fields
                .insert(0, field("title", None, Some(product.name.clone())));
            change
                .fields
                .insert(1, field("status", None, Some(status.as_str().into())));
            input.title = Some(product.name.clone());
            input.status = Some(set_status(status));
            if s.sync_description {
                if let Some(d) = &product.description {
                    change
                        .fields
                        .push(field("description", None, Some(d.clone())));
                    input.description_html = Some(d.clone());
                }
            }
            if !product.images.is_empty() {
                change
                    .fields
                    .push(field("images", None, Some(product.images.join("\n"))));
                input.files = Some(
                    product
                        .images
                        .iter()
                        .map(|u| FileSetInput::image_url(u.clone(), None))
                        .collect(),
                );
            }
        }
        Some(e) => {
            if s.sync_products {
                if e.title != product.name {
                    product_changes = true;
                    change.fields.push(field(
                        "title",
                        Some(e.title.clone()),
                        Some(product.name.clone()),
                    ));
                    input.title = Some(product.name.clone());
                }
                let old_status = crate::connectors::shopify::catalogue::product_status(&e.status);
                // "Not active" (a back office such as Tellix knows no more) is met by a draft
                // and by an archived product alike: an archived product is not made a draft.
                let same = old_status == status
                    || (status == ProductStatus::Draft && old_status == ProductStatus::Archived);
                if !same {
                    product_changes = true;
                    change.fields.push(field(
                        "status",
                        Some(old_status.as_str().into()),
                        Some(status.as_str().into()),
                    ));
                    input.status = Some(set_status(status));
                }
                if s.sync_description {
                    let new = product.description.clone().unwrap_or_default();
                    if e.description_html != new {
                        product_changes = true;
                        change.fields.push(field(
                            "description",
                            Some(e.description_html.clone()).filter(|d| !d.is_empty()),
                            Some(new.clone()),
                        ));
                        input.description_html = Some(new);
                    }
                }
                let (files, old, new) = images_input(e, product, s.overwrite_images);
                if let Some(files) = files {
                    product_changes = true;
                    change
                        .fields
                        .push(field("images", Some(old.join("\n")), Some(new.join("\n"))));
                    input.files = Some(files);
                }
            }
        }
    }
    if !s.sync_products {
        // Stock only.
        variant_changes = false;
        change.fields.retain(|f| f.field.starts_with("stock "));
    }
    let write_product =
        s.sync_products && (existing.is_none() || product_changes || variant_changes);
    if write_product {
        // productSet requires the options whenever variants are given.
        input.product_options = Some(product_options);
        input.variants = Some(variants_in);
    }
    if change.action != Action::Create {
        change.action = if change.fields.is_empty() {
            Action::Unchanged
        } else {
            Action::Update
        };
    }
    Ok(Some(Planned {
        change,
        input: write_product.then(|| (existing.map(|e| e.id.clone()), input)),
        stock,
        activate,
        prices: if s.sync_products { prices } else { Vec::new() },
    }))
}

/// A product with only Shopify's default option (`Title` / `Default Title`).
fn is_default_options(p: &ShopifyCatalogueProduct) -> bool {
    p.options.is_empty() || (p.options.len() == 1 && p.options[0].name == "Title")
}

/// The `files` to send (None: the images stay as they are), with the URLs before and after.
fn images_input(
    e: &ShopifyCatalogueProduct,
    product: &CatalogueProduct,
    overwrite: bool,
) -> (Option<Vec<FileSetInput>>, Vec<String>, Vec<String>) {
    let url_of = |i: &ShopifyImage| {
        i.original_url
            .clone()
            .or_else(|| i.url.clone())
            .unwrap_or_default()
    };
    let old: Vec<String> = e.images.iter().map(url_of).collect();
    if product.images.is_empty() {
        return (None, old.clone(), old);
    }
    let find = |u: &str| {
        e.images
            .iter()
            .find(|i| url_of(i) == u || i.url.as_deref() == Some(u))
    };
    let mut files = Vec::new();
    let mut new = Vec::new();
    if overwrite {
        for u in &product.images {
            match find(u) {
                Some(i) => files.push(FileSetInput::existing(i.id.clone())),
                None => files.push(FileSetInput::image_url(u.clone(), None)),
            }
            new.push(u.clone());
        }
    } else {
        for i in &e.images {
            files.push(FileSetInput::existing(i.id.clone()));
            new.push(url_of(i));
        }
        for u in &product.images {
            if find(u).is_none() {
                files.push(FileSetInput::image_url(u.clone(), None));
                new.push(u.clone());
            }
        }
    }
    if new == old {
        (None, old.clone(), old)
    } else {
        (Some(files), old, new)
    }
}
