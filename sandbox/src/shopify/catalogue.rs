//! Products and stock written by apps: `productSet`, inventory items and their levels per
//! location (`InventoryItem.inventoryLevels`, `Location.inventoryLevels`,
//! `InventoryLevel.quantities`), `inventorySetQuantities` with its compare-and-swap guard and
//! idempotency key, and `inventoryActivate`.
//!
//! Behaviour follows Shopify's 2026-10 schema and docs:
//! - `productSet` list fields (variants, productOptions, files) replace what the product has;
//!   omitted scalar fields stay. Variants are matched by id, else by their option values.
//!   Refusals are `userErrors` with `ProductSetUserErrorCode`s and nothing is applied.
//! - `inventorySetQuantities`: every quantity must carry `changeFromQuantity` (explicit `null`
//!   opts out); a mismatch is `CHANGE_FROM_QUANTITY_STALE`; the call is all or nothing; the
//!   `@idempotent(key:)` directive is required (2026-04+), and a repeated key with the same
//!   input answers as the first call did without applying again.
//!
//! Where Shopify's documents leave a detail open, the choice is noted at the code.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::executor::{page_args, Ctx, FieldError, Resolved, Resolvers};
use super::store::{now_secs, page_vec, FastSort, Kind, Store};
use crate::seed::{self, gid, iso, parse_gid, slug, CHILD_SLOTS};

/// Ids of objects created here, far above the seeded ranges.
const CREATED_VARIANT_BASE: u64 = 46_000_000_000_000;
const CREATED_ITEM_BASE: u64 = 48_000_000_000_000;
const CREATED_MEDIA_BASE: u64 = 32_000_000_000_000;
const CREATED_OPTION_BASE: u64 = 95_000_000_000_000;
const ADJUSTMENT_GROUP_BASE: u64 = 61_000_000_000;
/// Shopify's default limit of variants per product.
pub const MAX_VARIANTS: usize = 2048;
const MAX_OPTIONS: usize = 3;
const MAX_INVENTORY_QUANTITIES: usize = 50_000;
const QUANTITY_LIMIT: i64 = 1_000_000_000;

/// The reasons `inventorySetQuantities` accepts
/// (https://shopify.dev/docs/apps/fulfillment/inventory-management-apps/quantities-states).
const REASONS: &[&str] = &[
    "correction",
    "cycle_count_available",
    "damaged",
    "movement_created",
    "movement_updated",
    "movement_received",
    "movement_canceled",
    "other",
    "promotion",
    "quality_control",
    "received",
    "reservation_created",
    "reservation_deleted",
    "reservation_updated",
    "restock",
    "safety_stock",
    "shrinkage",
];

/// Quantity names an `InventoryLevel` reports.
const QUANTITY_NAMES: &[&str] = &[
    "available",
    "on_hand",
    "committed",
    "incoming",
    "reserved",
    "damaged",
    "safety_stock",
    "quality_control",
];

/// The stock of one item at one location. `on_hand - available` is what is committed or
/// otherwise unavailable; setting one moves the other by the same delta.
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    pub location: u64,
    pub available: i64,
    pub on_hand: i64,
    pub updated: i64,
}

/// What the catalogue mutations add to the store.
#[derive(Debug, Default)]
pub struct CatalogueState {
    /// Levels of items whose stock was written (or that were created); seeded items not in
    /// here are stocked at the first location with their variant's `inventoryQuantity`.
    levels: HashMap<u64, Vec<Level>>,
    /// Created variant -> product; created item -> variant; created media -> product.
    variant_owner: HashMap<u64, u64>,
    item_owner: HashMap<u64, u64>,
    media_owner: HashMap<u64, u64>,
    next_variant: u64,
    next_item: u64,
    next_media: u64,
    next_option: u64,
    next_group: u64,
    /// Handle -> product id, built on first use.
    handles: Option<HashMap<String, u64>>,
    /// Idempotency key -> (input, answer).
    idempotent: HashMap<String, (Value, Value)>,
}

impl CatalogueState {
    /// The product owning a created variant, item or media object.
    pub fn owner(&self, typename: &str, id: u64) -> Option<u64> {
        match typename {
            "ProductVariant" => self.variant_owner.get(&id).copied(),
            "InventoryItem" => self
                .item_owner
                .get(&id)
                .and_then(|v| self.variant_owner.get(v))
                .copied(),
            "MediaImage" => self.media_owner.get(&id).copied(),
            _ => None,
        }
    }

    /// The variant of a created inventory item.
    pub fn item_variant(&self, item: u64) -> Option<u64> {
        self.item_owner.get(&item).copied()
    }
}

pub(crate) fn register(r: &mut Resolvers) {
    r.mutation.insert("productSet", product_set);
    r.mutation
        .insert("inventorySetQuantities", inventory_set_quantities);
    r.mutation.insert("inventoryActivate", inventory_activate);
    r.fields
        .insert(("InventoryItem", "inventoryLevels"), item_levels_field);
    r.fields
        .insert(("InventoryItem", "inventoryLevel"), item_level_field);
    r.fields
        .insert(("Location", "inventoryLevels"), location_levels_field);
    r.fields
        .insert(("Location", "inventoryLevel"), location_level_field);
    r.fields
        .insert(("InventoryLevel", "quantities"), level_quantities);
}

fn id_of(v: &Value) -> u64 {
    v.get("id")
        .and_then(|x| x.as_str())
        .and_then(parse_gid)
        .map(|x| x.1)
        .unwrap_or(0)
}

fn user_error(field: &[&str], message: impl Into<String>, code: &str) -> Value {
    json!({"__typename": "ProductSetUserError", "field": field, "message": message.into(), "code": code})
}

fn path(parts: Vec<String>) -> Value {
    json!(parts)
}

// ----- stock ----------------------------------------------------------------------------------

/// (product id, variant id) of an inventory item that exists.
fn item_owner(st: &Store, item: u64) -> Option<(u64, u64)> {
    let variant = match st.catalogue.item_variant(item) {
        Some(v) => v,
        None => {
            if item < seed::INVENTORY_ITEM_BASE {
                return None;
            }
            let rel = item - seed::INVENTORY_ITEM_BASE;
            seed::VARIANT_BASE + rel / CHILD_SLOTS * CHILD_SLOTS + rel % CHILD_SLOTS
        }
    };
    let product = match st.catalogue.variant_owner.get(&variant) {
        Some(p) => *p,
        None => {
            if variant < seed::VARIANT_BASE {
                return None;
            }
            seed::PRODUCT_BASE + (variant - seed::VARIANT_BASE) / CHILD_SLOTS
        }
    };
    let p = st.get(Kind::Product, product)?;
    let found = variants(&p).iter().any(|v| {
        v.pointer("/inventoryItem/id").and_then(|x| x.as_str())
            == Some(gid("InventoryItem", item).as_str())
    });
    found.then_some((product, variant))
}

fn variants(p: &Value) -> Vec<Value> {
    p.pointer("/variants/__conn")
        .and_then(|v| v.as_array())
        .cloned()
        .unwrap_or_default()
}

fn primary_location(st: &Store) -> u64 {
    st.locations.first().map(id_of).unwrap_or(0)
}

/// The levels of an existing item.
pub fn levels(st: &Store, item: u64) -> Option<Vec<Level>> {
    if let Some(l) = st.catalogue.levels.get(&item) {
        return Some(l.clone());
    }
    let (product, _) = item_owner(st, item)?;
    let p = st.get(Kind::Product, product)?;
    let g = gid("InventoryItem", item);
    let v = variants(&p)
        .into_iter()
        .find(|v| v.pointer("/inventoryItem/id").and_then(|x| x.as_str()) == Some(&g))?;
    let q = v["inventoryQuantity"].as_i64().unwrap_or(0);
    let updated = v["updatedAt"]
        .as_str()
        .and_then(seed::parse_time)
        .unwrap_or(0);
    Some(vec![Level {
        location: primary_location(st),
        available: q,
        on_hand: q,
        updated,
    }])
}

fn level_json(item: u64, l: &Level) -> Value {
    let slot = l.location.saturating_sub(seed::LOCATION_BASE);
    json!({
        "__typename": "InventoryLevel",
        "id": gid("InventoryLevel", item * 1000 + slot),
        "isActive": true,
        "canDeactivate": true,
        "deactivationAlert": Value::Null,
        "createdAt": iso(l.updated),
        "updatedAt": iso(l.updated),
        "item": {"__ref": gid("InventoryItem", item)},
        "location": {"__ref": gid("Location", l.location)},
        "__available": l.available,
        "__on_hand": l.on_hand,
    })
}

fn item_levels_field(
    ctx: &mut Ctx<'_>,
    parent: &Value,
    args: &Map<String, Value>,
) -> Result<Resolved, FieldError> {
    let pa = page_args(args, ctx.bulk)?;
    let item = id_of(parent);
    let st = ctx.shared.store.read().unwrap();
    let all = levels(&st, item)
        .unwrap_or_default()
        .iter()
        .map(|l| (json!(l.location), l.location, level_json(item, l)))
        .collect();
    Ok(Resolved::Page(
        page_vec(all, &pa).map_err(|_| FieldError::new("Invalid cursor."))?,
    ))
}

fn item_level_field(
    ctx: &mut Ctx<'_>,
    parent: &Value,
    args: &Map<String, Value>,
) -> Result<Resolved, FieldError> {
    let item = id_of(parent);
    let location = args
        .get("locationId")
        .and_then(|v| v.as_str())
        .and_then(parse_gid)
        .map(|x| x.1)
        .unwrap_or(0);
    let st = ctx.shared.store.read().unwrap();
    Ok(Resolved::Value(
        levels(&st, item)
            .unwrap_or_default()
            .iter()
            .find(|l| l.location == location)
            .map(|l| level_json(item, l))
            .unwrap_or(Value::Null),
    ))
}

/// Every (item, level) stocked at a location, by item id.
fn location_levels(st: &Store, location: u64) -> Vec<(u64, Level)> {
    let mut out = Vec::new();
    st.scan(Kind::Product, FastSort::Id, true, None, &mut |(_, pid)| {
        if let Some(p) = st.get(Kind::Product, pid) {
            for v in variants(&p) {
                let item = v
                    .pointer("/inventoryItem/id")
                    .and_then(|x| x.as_str())
                    .and_then(parse_gid)
                    .map(|x| x.1)
                    .unwrap_or(0);
                if let Some(l) = levels(st, item)
                    .unwrap_or_default()
                    .into_iter()
                    .find(|l| l.location == location)
                {
                    out.push((item, l));
                }
            }
        }
        true
    });
    out.sort_by_key(|(item, _)| *item);
    out
}

fn location_levels_field(
    ctx: &mut Ctx<'_>,
    parent: &Value,
    args: &Map<String, Value>,
) -> Result<Resolved, FieldError> {
    let pa = page_args(args, ctx.bulk)?;
    let location = id_of(parent);
    let st = ctx.shared.store.read().unwrap();
    let all = location_levels(&st, location)
        .into_iter()
        .map(|(item, l)| (json!(item), item, level_json(item, &l)))
        .collect();
    Ok(Resolved::Page(
        page_vec(all, &pa).map_err(|_| FieldError::new("Invalid cursor."))?,
    ))
}

fn location_level_field(
    ctx: &mut Ctx<'_>,
    parent: &Value,
    args: &Map<String, Value>,
) -> Result<Resolved, FieldError> {
    let location = id_of(parent);
    let item = args
        .get("inventoryItemId")
        .and_then(|v| v.as_str())
        .and_then(parse_gid)
        .map(|x| x.1)
        .unwrap_or(0);
    let st = ctx.shared.store.read().unwrap();
    Ok(Resolved::Value(
        levels(&st, item)
            .unwrap_or_default()
            .iter()
            .find(|l| l.location == location)
            .map(|l| level_json(item, l))
            .unwrap_or(Value::Null),
    ))
}

fn level_quantities(
    _ctx: &mut Ctx<'_>,
    parent: &Value,
    args: &Map<String, Value>,
) -> Result<Resolved, FieldError> {
    let names = args
        .get("names")
        .and_then(|v| v.as_array())
        .cloned()
        .unwrap_or_default();
    let available = parent["__available"].as_i64().unwrap_or(0);
    let on_hand = parent["__on_hand"].as_i64().unwrap_or(0);
    let updated = parent["updatedAt"].clone();
    let mut out = Vec::new();
    for n in names {
        let n = n.as_str().unwrap_or("");
        if !QUANTITY_NAMES.contains(&n) {
            return Err(FieldError::new(format!(
                "'{n}' is not a valid quantity name. Valid names are: {}",
                QUANTITY_NAMES.join(", ")
            )));
        }
        let q = match n {
            "available" => available,
            "on_hand" => on_hand,
            "committed" => (on_hand - available).max(0),
            _ => 0,
        };
        out.push(json!({
            "__typename": "InventoryQuantity",
            "id": format!("{}?name={n}", parent["id"].as_str().unwrap_or("")),
            "name": n, "quantity": q, "updatedAt": updated,
        }));
    }
    Ok(Resolved::Value(Value::Array(out)))
}

/// Writes an item's levels and keeps its variant's `inventoryQuantity` and the product's
/// `totalInventory` in step (the product's `updatedAt` does not move for stock).
fn write_levels(st: &mut Store, item: u64, new: Vec<Level>) {
    let total: i64 = new.iter().map(|l| l.available).sum();
    st.catalogue.levels.insert(item, new);
    if let Some((product, _)) = item_owner(st, item) {
        if let Some(mut p) = st.get(Kind::Product, product) {
            let g = gid("InventoryItem", item);
            if let Some(list) = p
                .pointer_mut("/variants/__conn")
                .and_then(|v| v.as_array_mut())
            {
                for v in list.iter_mut() {
                    if v.pointer("/inventoryItem/id").and_then(|x| x.as_str()) == Some(&g) {
                        v["inventoryQuantity"] = json!(total);
                        v["sellableOnlineQuantity"] = json!(total.max(0));
                    }
                }
            }
            derive_product_fields(&mut p);
            st.put(Kind::Product, product, p);
        }
    }
}

fn location_exists(st: &Store, location: u64) -> Option<bool> {
    st.locations
        .iter()
        .find(|l| id_of(l) == location)
        .map(|l| l["isActive"] == json!(true))
}

fn inventory_set_quantities(
    ctx: &mut Ctx<'_>,
    args: &Map<String, Value>,
) -> Result<Resolved, FieldError> {
    let Some(key) = ctx.idempotency_key.clone().filter(|k| !k.trim().is_empty()) else {
        return Err(FieldError::with_code(
            "inventorySetQuantities requires an idempotency key: add @idempotent(key: \"...\") to the field (required since API version 2026-04).",
            "BAD_REQUEST",
        ));
    };
    let input = args.get("input").cloned().unwrap_or(Value::Null);
    let mut st = ctx.shared.store.write().unwrap();
    let err = |field: Vec<String>, message: String, code: &str| json!({"__typename": "InventorySetQuantitiesUserError", "field": field, "message": message, "code": code});
    let answer = |group: Value, errors: Vec<Value>| json!({"__typename": "InventorySetQuantitiesPayload", "inventoryAdjustmentGroup": group, "userErrors": errors});
    if let Some((seen_input, seen_answer)) = st.catalogue.idempotent.get(&key) {
        if *seen_input == input {
            return Ok(Resolved::Value(seen_answer.clone()));
        }
        return Ok(Resolved::Value(answer(
            Value::Null,
            vec![err(
                vec!["input".into()],
                "The same idempotency key cannot be used with different operation parameters."
                    .into(),
                "IDEMPOTENCY_KEY_PARAMETER_MISMATCH",
            )],
        )));
    }
    let name = input["name"].as_str().unwrap_or("").to_string();
    let reason = input["reason"].as_str().unwrap_or("").to_string();
    let reference = input["referenceDocumentUri"].as_str().map(str::to_string);
    let mut errors = Vec::new();
    if name != "available" && name != "on_hand" {
        errors.push(err(
            vec!["input".into(), "name".into()],
            "The quantity name must be either 'available' or 'on_hand'.".into(),
            "INVALID_NAME",
        ));
    }
    if !REASONS.contains(&reason.as_str()) {
        errors.push(err(
            vec!["input".into(), "reason".into()],
            format!("The specified reason '{reason}' is invalid."),
            "INVALID_REASON",
        ));
    }
    if let Some(uri) = &reference {
        let valid = uri.split_once(':').is_some_and(|(scheme, rest)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !rest.trim_start_matches('/').is_empty()
        });
        if !valid {
            errors.push(err(
                vec!["input".into(), "referenceDocumentUri".into()],
                "The specified reference document is invalid.".into(),
                "INVALID_REFERENCE_DOCUMENT",
            ));
        }
    }
    let quantities = input["quantities"].as_array().cloned().unwrap_or_default();
    if quantities.len() > 250 {
        return Err(FieldError::with_code(
            "The input array size of 251 is greater than the maximum allowed of 250.",
            "MAX_INPUT_SIZE_EXCEEDED",
        ));
    }
    let mut seen = std::collections::HashSet::new();
    let mut plan: Vec<(u64, u64, i64)> = Vec::new();
    for (i, q) in quantities.iter().enumerate() {
        let at = |f: &str| {
            vec![
                "input".to_string(),
                "quantities".into(),
                i.to_string(),
                f.to_string(),
            ]
        };
        let item = q["inventoryItemId"]
            .as_str()
            .and_then(parse_gid)
            .map(|x| x.1)
            .unwrap_or(0);
        let location = q["locationId"]
            .as_str()
            .and_then(parse_gid)
            .map(|x| x.1)
            .unwrap_or(0);
        let quantity = q["quantity"].as_i64().unwrap_or(0);
        if !q
            .as_object()
            .is_some_and(|o| o.contains_key("changeFromQuantity"))
        {
            // No code of its own in 2026-10; the compare-quantity code is the closest.
            errors.push(err(
                at("changeFromQuantity"),
                "The changeFromQuantity argument must be given to each quantity (pass null to skip the check).".into(),
                "COMPARE_QUANTITY_REQUIRED",
            ));
            continue;
        }
        let Some(current) = levels(&st, item) else {
            errors.push(err(
                at("inventoryItemId"),
                "The specified inventory item could not be found.".into(),
                "INVALID_INVENTORY_ITEM",
            ));
            continue;
        };
        if location_exists(&st, location) != Some(true) {
            errors.push(err(
                at("locationId"),
                "The specified location could not be found.".into(),
                "INVALID_LOCATION",
            ));
            continue;
        }
        if !seen.insert((item, location)) {
            errors.push(err(
                at("locationId"),
                "The combination of inventoryItemId and locationId must be unique.".into(),
                "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR",
            ));
            continue;
        }
        if quantity > QUANTITY_LIMIT {
            errors.push(err(
                at("quantity"),
                "The total quantity can't be higher than 1,000,000,000.".into(),
                "INVALID_QUANTITY_TOO_HIGH",
            ));
            continue;
        }
        if quantity < -QUANTITY_LIMIT {
            errors.push(err(
                at("quantity"),
                "The total quantity can't be lower than -1,000,000,000.".into(),
                "INVALID_QUANTITY_TOO_LOW",
            ));
            continue;
        }
        if name == "on_hand" && quantity < 0 {
            errors.push(err(
                at("quantity"),
                "The quantity can't be negative.".into(),
                "INVALID_QUANTITY_NEGATIVE",
            ));
            continue;
        }
        // An item not stocked at the location yet counts as 0 there and is stocked by the set
        // (our reading: the 2026-10 codes have no "not stocked" error for this mutation).
        let level = current.iter().find(|l| l.location == location);
        let now_q = level
            .map(|l| {
                if name == "on_hand" {
                    l.on_hand
                } else {
                    l.available
                }
            })
            .unwrap_or(0);
        if let Some(expected) = q["changeFromQuantity"].as_i64() {
            if expected != now_q {
                errors.push(err(
                    at("changeFromQuantity"),
                    format!(
                        "The changeFromQuantity value does not match persisted value ({now_q})."
                    ),
                    "CHANGE_FROM_QUANTITY_STALE",
                ));
                continue;
            }
        }
        plan.push((item, location, quantity));
    }
    if !errors.is_empty() {
        let a = answer(Value::Null, errors);
        st.catalogue.idempotent.insert(key, (input, a.clone()));
        return Ok(Resolved::Value(a));
    }
    let now = now_secs();
    let mut changes = Vec::new();
    for (item, location, quantity) in plan {
        let mut ls = levels(&st, item).unwrap_or_default();
        let pos = match ls.iter().position(|l| l.location == location) {
            Some(p) => p,
            None => {
                ls.push(Level {
                    location,
                    available: 0,
                    on_hand: 0,
                    updated: now,
                });
                ls.len() - 1
            }
        };
        let l = &mut ls[pos];
        let delta = if name == "on_hand" {
            quantity - l.on_hand
        } else {
            quantity - l.available
        };
        l.available += delta;
        l.on_hand += delta;
        l.updated = now;
        let (available, on_hand) = (l.available, l.on_hand);
        for (n, after) in [("available", available), ("on_hand", on_hand)] {
            changes.push(json!({
                "__typename": "InventoryChange", "name": n, "delta": delta,
                "quantityAfterChange": after, "ledgerDocumentUri": Value::Null,
                "item": {"__ref": gid("InventoryItem", item)},
                "location": {"__ref": gid("Location", location)},
            }));
        }
        write_levels(&mut st, item, ls);
    }
    st.catalogue.next_group += 1;
    let group = json!({
        "__typename": "InventoryAdjustmentGroup",
        "id": gid("InventoryAdjustmentGroup", ADJUSTMENT_GROUP_BASE + st.catalogue.next_group),
        "createdAt": iso(now),
        "reason": reason,
        "referenceDocumentUri": reference,
        "app": Value::Null,
        "staffMember": Value::Null,
        "changes": changes,
    });
    let a = answer(group, Vec::new());
    st.catalogue.idempotent.insert(key, (input, a.clone()));
    Ok(Resolved::Value(a))
}

fn inventory_activate(
    ctx: &mut Ctx<'_>,
    args: &Map<String, Value>,
) -> Result<Resolved, FieldError> {
    let gid_arg = |k: &str| {
        args.get(k)
            .and_then(|v| v.as_str())
            .and_then(parse_gid)
            .map(|x| x.1)
            .unwrap_or(0)
    };
    let (item, location) = (gid_arg("inventoryItemId"), gid_arg("locationId"));
    let available = args.get("available").and_then(|v| v.as_i64());
    let on_hand = args.get("onHand").and_then(|v| v.as_i64());
    let mut st = ctx.shared.store.write().unwrap();
    let err = |field: &str, message: &str| {
        json!({"__typename": "InventoryActivatePayload", "inventoryLevel": Value::Null,
               "userErrors": [{"__typename": "UserError", "field": [field], "message": message}]})
    };
    let Some(mut ls) = levels(&st, item) else {
        return Ok(Resolved::Value(err(
            "inventoryItemId",
            "Inventory item does not exist",
        )));
    };
    if location_exists(&st, location) != Some(true) {
        return Ok(Resolved::Value(err(
            "locationId",
            "Location does not exist",
        )));
    }
    if let Some(l) = ls.iter().find(|l| l.location == location) {
        if available.is_some() || on_hand.is_some() {
            return Ok(Resolved::Value(err(
                "available",
                "Not allowed to set available quantity when the item is already active at the location.",
            )));
        }
        let level = level_json(item, l);
        return Ok(Resolved::Value(
            json!({"__typename": "InventoryActivatePayload", "inventoryLevel": level, "userErrors": []}),
        ));
    }
    let a = available.or(on_hand).unwrap_or(0);
    let l = Level {
        location,
        available: a,
        on_hand: on_hand.unwrap_or(a),
        updated: now_secs(),
    };
    let level = level_json(item, &l);
    ls.push(l);
    write_levels(&mut st, item, ls);
    Ok(Resolved::Value(
        json!({"__typename": "InventoryActivatePayload", "inventoryLevel": level, "userErrors": []}),
    ))
}

// ----- productSet -----------------------------------------------------------------------------

/// Recomputes the fields Shopify derives from variants and media.
fn derive_product_fields(p: &mut Value) {
    let vs = variants(p);
    let prices: Vec<i64> = vs
        .iter()
        .filter_map(|v| v["price"].as_str().and_then(seed::parse_money))
        .collect();
    let min = prices.iter().copied().min().unwrap_or(0);
    let max = prices.iter().copied().max().unwrap_or(0);
    let total: i64 = vs
        .iter()
        .filter(|v| v.pointer("/inventoryItem/tracked") == Some(&json!(true)))
        .map(|v| v["inventoryQuantity"].as_i64().unwrap_or(0).max(0))
        .sum();
    let media = p
        .pointer("/media/__conn")
        .and_then(|m| m.as_array())
        .cloned()
        .unwrap_or_default();
    p["priceRangeV2"] = json!({"__typename": "ProductPriceRangeV2", "minVariantPrice": seed::money_v2(min), "maxVariantPrice": seed::money_v2(max)});
    p["totalInventory"] = json!(total);
    p["tracksInventory"] = json!(vs
        .iter()
        .any(|v| v.pointer("/inventoryItem/tracked") == Some(&json!(true))));
    p["hasOnlyDefaultVariant"] = json!(vs.len() == 1 && vs[0]["title"] == json!("Default Title"));
    p["hasOutOfStockVariants"] = json!(vs
        .iter()
        .any(|v| v["inventoryQuantity"].as_i64().unwrap_or(0) <= 0));
    p["variantsCount"] = json!({"__typename": "Count", "count": vs.len(), "precision": "EXACT"});
    p["mediaCount"] = json!({"__typename": "Count", "count": media.len(), "precision": "EXACT"});
    p["featuredMedia"] = media.first().cloned().unwrap_or(Value::Null);
}

fn handle_index(st: &mut Store) -> &mut HashMap<String, u64> {
    if st.catalogue.handles.is_none() {
        let mut m = HashMap::new();
        st.scan(Kind::Product, FastSort::Id, true, None, &mut |(_, pid)| {
            if let Some(h) = st
                .get(Kind::Product, pid)
                .and_then(|p| p["handle"].as_str().map(str::to_string))
            {
                m.insert(h, pid);
            }
            true
        });
        st.catalogue.handles = Some(m);
    }
    st.catalogue.handles.as_mut().unwrap()
}

/// The live product with this handle.
fn product_by_handle(st: &mut Store, handle: &str) -> Option<u64> {
    let id = *handle_index(st).get(handle)?;
    let live = st
        .get(Kind::Product, id)
        .is_some_and(|p| p["handle"] == json!(handle));
    live.then_some(id)
}

fn strip_html(html: &str) -> String {
    let mut out = String::new();
    let mut tag = false;
    for c in html.chars() {
        match c {
            '<' => tag = true,
            '>' => tag = false,
            c if !tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A `Money` input: a decimal number as a string (or a number). None when it is not one.
fn money_input(v: &Value) -> Option<i64> {
    let s = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let body = s.strip_prefix('-').unwrap_or(&s);
    let (w, f) = body.split_once('.').unwrap_or((body, ""));
    if w.is_empty()
        || !w.chars().all(|c| c.is_ascii_digit())
        || !f.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    seed::parse_money(&s)
}

/// An input variant: the existing variant it updates (None: a new one), its option values,
/// and the input.
type Planned = (Option<Value>, Vec<(String, String)>, Value);

struct OptionOut {
    id: u64,
    name: String,
    values: Vec<String>,
}

fn product_set(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Resolved, FieldError> {
    let input = args.get("input").cloned().unwrap_or(Value::Null);
    let identifier = args.get("identifier").cloned().unwrap_or(Value::Null);
    let ok = |product: Value| {
        Ok(Resolved::Value(
            json!({"__typename": "ProductSetPayload", "product": product, "productSetOperation": Value::Null, "userErrors": []}),
        ))
    };
    let fail = |errors: Vec<Value>| {
        Ok(Resolved::Value(
            json!({"__typename": "ProductSetPayload", "product": Value::Null, "productSetOperation": Value::Null, "userErrors": errors}),
        ))
    };
    // Money values that are not decimals are refused by the scalar, before the resolver runs.
    if let Some(vs) = input["variants"].as_array() {
        for (i, v) in vs.iter().enumerate() {
            for k in ["price", "compareAtPrice"] {
                if let Some(x) = v.get(k).filter(|x| !x.is_null()) {
                    if money_input(x).is_none() {
                        return Err(FieldError::with_code(
                            format!("Variable $input of type ProductSetInput! was provided invalid value for variants.{i}.{k} (invalid decimal {x})"),
                            "INVALID_VARIABLE",
                        ));
                    }
                }
            }
        }
    }
    let mut st = ctx.shared.store.write().unwrap();
    // Which product.
    let by_id = identifier["id"].as_str().map(str::to_string);
    let by_handle = identifier["handle"].as_str().map(str::to_string);
    if input.get("id").is_some_and(|x| !x.is_null()) && !identifier.is_null() {
        return fail(vec![user_error(
            &["input", "id"],
            "The id field is not allowed if identifier is provided.",
            "ID_NOT_ALLOWED",
        )]);
    }
    let legacy_id = input["id"].as_str().map(str::to_string);
    let existing: Option<u64> = if let Some(g) = by_id.or(legacy_id) {
        match parse_gid(&g).filter(|(t, _)| *t == "Product").map(|x| x.1) {
            Some(pid) if st.exists(Kind::Product, pid) => Some(pid),
            _ => {
                return fail(vec![user_error(
                    &["identifier", "id"],
                    "Product does not exist",
                    "NOT_FOUND",
                )])
            }
        }
    } else if let Some(h) = &by_handle {
        if let Some(ih) = input["handle"].as_str() {
            if ih != h {
                return fail(vec![user_error(&["input", "handle"], "The identifier value does not match the value of the corresponding field in the input.", "INPUT_MISMATCH")]);
            }
        }
        product_by_handle(&mut st, h)
    } else {
        None
    };
    let old = existing.and_then(|pid| st.get(Kind::Product, pid));
    let mut errors = Vec::new();
    if old.is_none() && input["title"].as_str().is_none_or(|t| t.trim().is_empty()) {
        errors.push(user_error(
            &["input", "title"],
            "Title can't be blank",
            "INVALID_PRODUCT",
        ));
    }
    // The handle: unique across the shop.
    let wanted_handle = input["handle"]
        .as_str()
        .map(str::to_string)
        .or(by_handle.clone());
    if let Some(h) = &wanted_handle {
        if let Some(other) = product_by_handle(&mut st, h) {
            if Some(other) != existing {
                errors.push(user_error(
                    &["input", "handle"],
                    format!("Handle '{h}' already in use. Please provide a new handle."),
                    "HANDLE_NOT_UNIQUE",
                ));
            }
        }
    }
    let options_in = input["productOptions"].as_array().cloned();
    let variants_in = input["variants"].as_array().cloned();
    if variants_in.is_some() && options_in.is_none() {
        errors.push(user_error(
            &["input", "productOptions"],
            "Must specify product options when updating variants.",
            "PRODUCT_OPTIONS_INPUT_MISSING",
        ));
    }
    if options_in.is_some() && variants_in.is_none() {
        errors.push(user_error(
            &["input", "variants"],
            "Must specify variants when updating options.",
            "VARIANTS_INPUT_MISSING",
        ));
    }
    // Options.
    let old_options: Vec<Value> = old
        .as_ref()
        .and_then(|p| p["options"].as_array().cloned())
        .unwrap_or_default();
    let mut options: Vec<OptionOut> = Vec::new();
    if let Some(list) = &options_in {
        if list.len() > MAX_OPTIONS {
            errors.push(user_error(
                &["input", "productOptions"],
                format!("Options over limit: a product can have at most {MAX_OPTIONS} options."),
                "OPTIONS_OVER_LIMIT",
            ));
        }
        for (i, o) in list.iter().enumerate() {
            let at = |rest: &[&str]| {
                let mut p = vec!["input".to_string(), "productOptions".into(), i.to_string()];
                p.extend(rest.iter().map(|s| s.to_string()));
                p
            };
            let by_id = o["id"].as_str().and_then(parse_gid).map(|x| x.1);
            let old_match = old_options.iter().find(|x| {
                by_id.is_some_and(|id| id_of(x) == id)
                    || (by_id.is_none()
                        && x["name"].as_str().map(str::to_lowercase)
                            == o["name"].as_str().map(str::to_lowercase))
            });
            if by_id.is_some() && old_match.is_none() {
                errors.push(json!({"__typename": "ProductSetUserError", "field": at(&["id"]), "message": "Option does not exist", "code": "OPTION_DOES_NOT_EXIST"}));
                continue;
            }
            let name = o["name"]
                .as_str()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .or_else(|| old_match.and_then(|x| x["name"].as_str().map(str::to_string)));
            let Some(name) = name else {
                errors.push(json!({"__typename": "ProductSetUserError", "field": at(&["name"]), "message": "Option name can't be blank", "code": "INVALID_INPUT"}));
                continue;
            };
            if options.iter().any(|x| x.name.eq_ignore_ascii_case(&name)) {
                errors.push(json!({"__typename": "ProductSetUserError", "field": at(&["name"]), "message": format!("Duplicated option name '{name}'."), "code": "DUPLICATED_OPTION_NAME"}));
                continue;
            }
            let values_in = o["values"].as_array().cloned().unwrap_or_default();
            if values_in.is_empty() {
                errors.push(json!({"__typename": "ProductSetUserError", "field": at(&["values"]), "message": format!("Option '{name}' must have at least one option value specified."), "code": "OPTION_VALUES_MISSING"}));
                continue;
            }
            let mut values: Vec<String> = Vec::new();
            for (j, v) in values_in.iter().enumerate() {
                let Some(vn) = v["name"].as_str().map(str::trim).filter(|s| !s.is_empty()) else {
                    errors.push(json!({"__typename": "ProductSetUserError", "field": at(&["values", &j.to_string(), "name"]), "message": "Option value name can't be blank", "code": "INVALID_INPUT"}));
                    continue;
                };
                if values.iter().any(|x| x.eq_ignore_ascii_case(vn)) {
                    errors.push(json!({"__typename": "ProductSetUserError", "field": at(&["values", &j.to_string(), "name"]), "message": format!("Duplicated option value '{vn}' for option '{name}'."), "code": "DUPLICATED_OPTION_VALUE"}));
                    continue;
                }
                values.push(vn.to_string());
            }
            let id = match old_match {
                Some(x) => id_of(x),
                None => {
                    st.catalogue.next_option += 1;
                    CREATED_OPTION_BASE + st.catalogue.next_option
                }
            };
            options.push(OptionOut { id, name, values });
        }
    }
    // Variants.
    let old_variants: Vec<Value> = old.as_ref().map(variants).unwrap_or_default();
    let locations: Vec<(u64, bool)> = st
        .locations
        .iter()
        .map(|l| (id_of(l), l["isActive"] == json!(true)))
        .collect();
    let mut planned: Vec<Planned> = Vec::new();
    if let Some(list) = &variants_in {
        if list.len() > MAX_VARIANTS {
            errors.push(user_error(
                &["input", "variants"],
                format!("Number of product variants exceeds shop limit of {MAX_VARIANTS}."),
                "VARIANTS_OVER_LIMIT",
            ));
        }
        let total_q: usize = list
            .iter()
            .map(|v| {
                v["inventoryQuantities"]
                    .as_array()
                    .map(Vec::len)
                    .unwrap_or(0)
            })
            .sum();
        if total_q > MAX_INVENTORY_QUANTITIES {
            errors.push(user_error(&["input", "variants"], "Inventory quantity input exceeds the limit of 50000. Consider using separate `inventorySetQuantities` mutations.", "INVENTORY_QUANTITIES_LIMIT_EXCEEDED"));
        }
        let mut combos: Vec<Vec<(String, String)>> = Vec::new();
        let mut used_old: Vec<u64> = Vec::new();
        for (i, v) in list.iter().enumerate() {
            let at = |rest: &[&str]| {
                let mut p = vec!["input".to_string(), "variants".into(), i.to_string()];
                p.extend(rest.iter().map(|s| s.to_string()));
                path(p)
            };
            let mut combo: Vec<(String, String)> = Vec::new();
            let mut bad = false;
            for (j, ov) in v["optionValues"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                let js = j.to_string();
                let opt =
                    if let Some(oid) = ov["optionId"].as_str().and_then(parse_gid).map(|x| x.1) {
                        options.iter().find(|o| o.id == oid)
                    } else {
                        ov["optionName"].as_str().and_then(|n| {
                            options
                                .iter()
                                .find(|o| o.name.eq_ignore_ascii_case(n.trim()))
                        })
                    };
                let Some(opt) = opt else {
                    errors.push(json!({"__typename": "ProductSetUserError", "field": at(&["optionValues", &js]), "message": "Option does not exist", "code": "OPTION_DOES_NOT_EXIST"}));
                    bad = true;
                    continue;
                };
                let Some(value) = ov["name"]
                    .as_str()
                    .and_then(|n| opt.values.iter().find(|x| x.eq_ignore_ascii_case(n.trim())))
                else {
                    errors.push(json!({"__typename": "ProductSetUserError", "field": at(&["optionValues", &js, "name"]), "message": format!("Option value '{}' does not exist for option '{}'.", ov["name"].as_str().unwrap_or(""), opt.name), "code": "OPTION_VALUE_DOES_NOT_EXIST"}));
                    bad = true;
                    continue;
                };
                if combo.iter().any(|(n, _)| *n == opt.name) {
                    errors.push(json!({"__typename": "ProductSetUserError", "field": at(&["optionValues", &js]), "message": format!("Option '{}' is given twice.", opt.name), "code": "INVALID_VARIANT"}));
                    bad = true;
                    continue;
                }
                combo.push((opt.name.clone(), value.clone()));
            }
            if bad {
                continue;
            }
            if combo.len() != options.len() {
                let missing: Vec<&str> = options
                    .iter()
                    .filter(|o| !combo.iter().any(|(n, _)| *n == o.name))
                    .map(|o| o.name.as_str())
                    .collect();
                errors.push(json!({"__typename": "ProductSetUserError", "field": at(&["optionValues"]), "message": format!("The variant is missing a value for the option(s) {}.", missing.join(", ")), "code": "INVALID_VARIANT"}));
                continue;
            }
            combo.sort_by_key(|(n, _)| options.iter().position(|o| o.name == *n));
            if combos.contains(&combo) {
                let title = combo
                    .iter()
                    .map(|(_, v)| v.as_str())
                    .collect::<Vec<_>>()
                    .join(" / ");
                errors.push(json!({"__typename": "ProductSetUserError", "field": at(&[]), "message": format!("The variant '{title}' already exists."), "code": "INVALID_VARIANT"}));
                continue;
            }
            combos.push(combo.clone());
            for k in ["price", "compareAtPrice"] {
                if v.get(k).and_then(money_input).is_some_and(|c| c < 0) {
                    errors.push(json!({"__typename": "ProductSetUserError", "field": at(&[k]), "message": format!("{} must be greater than or equal to 0", if k == "price" { "Price" } else { "Compare at price" }), "code": "INVALID_VARIANT"}));
                }
            }
            // Which existing variant: by id, else by its option values.
            let matched = if let Some(vid) = v["id"].as_str() {
                match old_variants.iter().find(|x| x["id"] == json!(vid)) {
                    Some(x) => Some(x.clone()),
                    None => {
                        errors.push(json!({"__typename": "ProductSetUserError", "field": at(&["id"]), "message": "Product variant does not exist", "code": "PRODUCT_VARIANT_DOES_NOT_EXIST"}));
                        continue;
                    }
                }
            } else {
                old_variants
                    .iter()
                    .find(|x| {
                        let sel: Vec<(String, String)> = x["selectedOptions"]
                            .as_array()
                            .map(|a| {
                                a.iter()
                                    .map(|s| {
                                        (
                                            s["name"].as_str().unwrap_or("").to_string(),
                                            s["value"].as_str().unwrap_or("").to_string(),
                                        )
                                    })
                                    .collect()
                            })
                            .unwrap_or_default();
                        !used_old.contains(&id_of(x))
                            && sel.len() == combo.len()
                            && sel.iter().all(|(n, val)| {
                                combo.iter().any(|(cn, cv)| {
                                    cn.eq_ignore_ascii_case(n) && cv.eq_ignore_ascii_case(val)
                                })
                            })
                    })
                    .cloned()
            };
            if let Some(m) = &matched {
                if used_old.contains(&id_of(m)) {
                    errors.push(json!({"__typename": "ProductSetUserError", "field": at(&["id"]), "message": "The variant is given twice.", "code": "INVALID_VARIANT"}));
                    continue;
                }
                used_old.push(id_of(m));
            }
            // Stock at locations.
            let stocked: Vec<u64> = match &matched {
                Some(m) => {
                    let item = m
                        .pointer("/inventoryItem/id")
                        .and_then(|x| x.as_str())
                        .and_then(parse_gid)
                        .map(|x| x.1)
                        .unwrap_or(0);
                    levels(&st, item)
                        .unwrap_or_default()
                        .iter()
                        .map(|l| l.location)
                        .collect()
                }
                None => Vec::new(),
            };
            for (k, q) in v["inventoryQuantities"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                let ks = k.to_string();
                let loc = q["locationId"]
                    .as_str()
                    .and_then(parse_gid)
                    .filter(|(t, _)| *t == "Location")
                    .map(|x| x.1);
                let name = q["name"].as_str().unwrap_or("");
                if name != "available" && name != "on_hand" {
                    errors.push(json!({"__typename": "ProductSetUserError", "field": at(&["inventoryQuantities", &ks, "name"]), "message": "Inventory quantity name must be one of `available` or `on_hand`.", "code": "INVALID_INPUT"}));
                } else if !loc.is_some_and(|l| locations.contains(&(l, true))) {
                    errors.push(json!({"__typename": "ProductSetUserError", "field": at(&["inventoryQuantities", &ks, "locationId"]), "message": "Location does not exist or is not active.", "code": "INVALID_INPUT"}));
                } else if matched.is_some() && !stocked.contains(&loc.unwrap()) {
                    errors.push(json!({"__typename": "ProductSetUserError", "field": at(&["inventoryQuantities", &ks, "locationId"]), "message": "Inventory quantities can only be updated at locations where the variant is already stocked.", "code": "INVALID_VARIANT"}));
                }
            }
            planned.push((matched, combo, v.clone()));
        }
    }
    // Files (images).
    let old_media: Vec<Value> = old
        .as_ref()
        .and_then(|p| {
            p.pointer("/media/__conn")
                .and_then(|m| m.as_array())
                .cloned()
        })
        .unwrap_or_default();
    let files_in = input["files"].as_array().cloned();
    if let Some(files) = &files_in {
        for (i, f) in files.iter().enumerate() {
            let at = |k: &str| json!(["input", "files", i.to_string(), k]);
            match (f["id"].as_str(), f["originalSource"].as_str()) {
                (Some(id), _) => {
                    if !old_media.iter().any(|m| m["id"] == json!(id)) {
                        errors.push(json!({"__typename": "ProductSetUserError", "field": at("id"), "message": format!("File {id} does not exist."), "code": "INVALID_INPUT"}));
                    }
                }
                (None, Some(src)) => {
                    let valid = image_url_valid(src);
                    if !valid {
                        errors.push(json!({"__typename": "ProductSetUserError", "field": at("originalSource"), "message": format!("Image URL is invalid: '{src}'."), "code": "INVALID_INPUT"}));
                    }
                }
                (None, None) => errors.push(json!({"__typename": "ProductSetUserError", "field": json!(["input", "files", i.to_string()]), "message": "A file needs an id or an originalSource.", "code": "INVALID_INPUT"})),
            }
        }
    }
    if !errors.is_empty() {
        return fail(errors);
    }
    // Apply.
    let now = iso(now_secs());
    let (pid, mut p) = match (existing, old) {
        (Some(pid), Some(p)) => (pid, p),
        _ => {
            let (pid, _) = st.next_id(Kind::Product);
            (pid, new_product(pid, &now))
        }
    };
    let pg = gid("Product", pid);
    if let Some(t) = input["title"].as_str() {
        p["title"] = json!(t);
    }
    let handle = match wanted_handle {
        Some(h) => slug(&h),
        None if existing.is_none() => {
            let base = slug(p["title"].as_str().unwrap_or("product"));
            let mut h = base.clone();
            let mut n = 1;
            while product_by_handle(&mut st, &h).is_some() {
                h = format!("{base}-{n}");
                n += 1;
            }
            h
        }
        None => p["handle"].as_str().unwrap_or("").to_string(),
    };
    p["handle"] = json!(handle);
    for (k, field) in [
        ("status", "status"),
        ("vendor", "vendor"),
        ("productType", "productType"),
        ("templateSuffix", "templateSuffix"),
    ] {
        if let Some(v) = input.get(k).filter(|v| !v.is_null()) {
            p[field] = v.clone();
        }
    }
    if let Some(d) = input["descriptionHtml"].as_str() {
        p["descriptionHtml"] = json!(d);
        p["description"] = json!(strip_html(d));
    }
    if let Some(tags) = input["tags"].as_array() {
        let mut t: Vec<String> = tags
            .iter()
            .filter_map(|x| x.as_str())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        t.sort();
        t.dedup();
        p["tags"] = json!(t);
    }
    let status = p["status"].as_str().unwrap_or("DRAFT").to_string();
    if (status == "ACTIVE" || status == "UNLISTED") && p["publishedAt"].is_null() {
        p["publishedAt"] = json!(now);
    }
    if options_in.is_some() {
        p["options"] = json!(options.iter().enumerate().map(|(k, o)| json!({
            "__typename": "ProductOption", "id": gid("ProductOption", o.id), "name": o.name, "position": k + 1,
            "values": o.values,
            "optionValues": o.values.iter().map(|v| json!({"__typename": "ProductOptionValue", "name": v, "hasVariants": planned.iter().any(|(_, c, _)| c.iter().any(|(n, x)| *n == o.name && x == v))})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>());
    }
    if variants_in.is_some() {
        let keep: Vec<Value> = planned.iter().filter_map(|(m, _, _)| m.clone()).collect();
        // Variants not in the input are deleted, with their stock.
        for v in &old_variants {
            if !keep.iter().any(|k| k["id"] == v["id"]) {
                if let Some(item) = v
                    .pointer("/inventoryItem/id")
                    .and_then(|x| x.as_str())
                    .and_then(parse_gid)
                    .map(|x| x.1)
                {
                    st.catalogue.levels.remove(&item);
                    st.catalogue.item_owner.remove(&item);
                }
                st.catalogue.variant_owner.remove(&id_of(v));
            }
        }
        let title = p["title"].as_str().unwrap_or("").to_string();
        let mut out = Vec::new();
        let mut stock: Vec<(u64, Vec<Value>)> = Vec::new();
        for (k, (matched, combo, vin)) in planned.into_iter().enumerate() {
            let mut v = match matched {
                Some(m) => m,
                None => {
                    st.catalogue.next_variant += 1;
                    st.catalogue.next_item += 1;
                    let vid = CREATED_VARIANT_BASE + st.catalogue.next_variant;
                    let item = CREATED_ITEM_BASE + st.catalogue.next_item;
                    st.catalogue.variant_owner.insert(vid, pid);
                    st.catalogue.item_owner.insert(item, vid);
                    st.catalogue.levels.insert(item, Vec::new());
                    new_variant(vid, item, &pg, &now)
                }
            };
            let vtitle = combo
                .iter()
                .map(|(_, v)| v.as_str())
                .collect::<Vec<_>>()
                .join(" / ");
            v["title"] = json!(vtitle);
            v["displayName"] = json!(format!("{title} - {vtitle}"));
            v["position"] = json!(k + 1);
            v["selectedOptions"] = json!(combo
                .iter()
                .map(|(n, x)| json!({"__typename": "SelectedOption", "name": n, "value": x}))
                .collect::<Vec<_>>());
            let sku = vin
                .get("sku")
                .filter(|x| !x.is_null())
                .or_else(|| vin.pointer("/inventoryItem/sku").filter(|x| !x.is_null()))
                .cloned();
            if let Some(s) = sku {
                v["sku"] = s.clone();
                v["inventoryItem"]["sku"] = s;
            }
            if let Some(b) = vin.get("barcode") {
                v["barcode"] = b.clone();
            }
            if let Some(c) = vin.get("price").and_then(money_input) {
                v["price"] = json!(seed::money(c));
            }
            if let Some(x) = vin.get("compareAtPrice") {
                v["compareAtPrice"] = match money_input(x) {
                    Some(c) if c > 0 => json!(seed::money(c)),
                    _ => Value::Null,
                };
            }
            for k in ["taxable", "inventoryPolicy"] {
                if let Some(x) = vin.get(k).filter(|x| !x.is_null()) {
                    v[k] = x.clone();
                }
            }
            if let Some(t) = vin
                .pointer("/inventoryItem/tracked")
                .filter(|x| x.is_boolean())
            {
                v["inventoryItem"]["tracked"] = t.clone();
            }
            if let Some(r) = vin
                .pointer("/inventoryItem/requiresShipping")
                .filter(|x| x.is_boolean())
            {
                v["inventoryItem"]["requiresShipping"] = r.clone();
            }
            v["updatedAt"] = json!(now);
            if let Some(q) = vin["inventoryQuantities"]
                .as_array()
                .filter(|q| !q.is_empty())
            {
                let item = v
                    .pointer("/inventoryItem/id")
                    .and_then(|x| x.as_str())
                    .and_then(parse_gid)
                    .map(|x| x.1)
                    .unwrap_or(0);
                stock.push((item, q.clone()));
            }
            out.push(v);
        }
        p["variants"] = json!({"__conn": out});
        st.put(Kind::Product, pid, p.clone());
        for (item, qs) in stock {
            let mut ls = levels(&st, item).unwrap_or_default();
            for q in qs {
                let loc = q["locationId"]
                    .as_str()
                    .and_then(parse_gid)
                    .map(|x| x.1)
                    .unwrap_or(0);
                let quantity = q["quantity"].as_i64().unwrap_or(0);
                let pos = match ls.iter().position(|l| l.location == loc) {
                    Some(x) => x,
                    None => {
                        ls.push(Level {
                            location: loc,
                            available: 0,
                            on_hand: 0,
                            updated: now_secs(),
                        });
                        ls.len() - 1
                    }
                };
                let l = &mut ls[pos];
                let delta = if q["name"] == json!("on_hand") {
                    quantity - l.on_hand
                } else {
                    quantity - l.available
                };
                l.available += delta;
                l.on_hand += delta;
                l.updated = now_secs();
            }
            write_levels(&mut st, item, ls);
        }
        p = st.get(Kind::Product, pid).unwrap_or(p);
    }
    if let Some(files) = files_in {
        let mut media = Vec::new();
        let kept: Vec<String> = files
            .iter()
            .filter_map(|f| f["id"].as_str().map(str::to_string))
            .collect();
        for m in &old_media {
            if !kept.iter().any(|k| m["id"] == json!(k)) {
                st.catalogue.media_owner.remove(&id_of(m));
            }
        }
        for f in files {
            if let Some(id) = f["id"].as_str() {
                if let Some(m) = old_media.iter().find(|m| m["id"] == json!(id)) {
                    let mut m = m.clone();
                    if let Some(alt) = f["alt"].as_str() {
                        m["alt"] = json!(alt);
                    }
                    media.push(m);
                }
                continue;
            }
            let src = f["originalSource"].as_str().unwrap_or("").to_string();
            st.catalogue.next_media += 1;
            let mid = CREATED_MEDIA_BASE + st.catalogue.next_media;
            st.catalogue.media_owner.insert(mid, pid);
            let name = src
                .rsplit('/')
                .next()
                .unwrap_or("image")
                .split('?')
                .next()
                .unwrap_or("image")
                .to_string();
            let cdn = format!(
                "https://cdn.shopify.com/s/files/1/0712/3456/7890/files/{name}?v={}",
                now_secs()
            );
            let alt = f["alt"].as_str().map(str::to_string);
            media.push(json!({
                "__typename": "MediaImage", "id": gid("MediaImage", mid), "alt": alt,
                "mediaContentType": "IMAGE", "status": "READY", "fileStatus": "READY",
                "createdAt": now, "updatedAt": now, "mimeType": "image/jpeg",
                "image": {"__typename": "Image", "id": gid("ImageSource", mid), "url": cdn, "altText": alt, "width": 2048, "height": 2048},
                "originalSource": {"__typename": "MediaImageOriginalSource", "url": src, "fileSize": Value::Null},
                "preview": {"__typename": "MediaPreviewImage", "status": "READY", "image": {"__typename": "Image", "url": cdn, "width": 2048, "height": 2048}},
                "fileErrors": [], "mediaErrors": [], "mediaWarnings": [],
            }));
        }
        p["media"] = json!({"__conn": media});
    }
    p["updatedAt"] = json!(now);
    derive_product_fields(&mut p);
    st.put(Kind::Product, pid, p.clone());
    let h = p["handle"].as_str().unwrap_or("").to_string();
    handle_index(&mut st).insert(h, pid);
    ok(p)
}

/// An absolute http(s) URL with a host and no spaces.
fn image_url_valid(src: &str) -> bool {
    let rest = src
        .strip_prefix("https://")
        .or_else(|| src.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !host.starts_with(':') && !src.chars().any(char::is_whitespace)
    })
}

fn new_product(pid: u64, now: &str) -> Value {
    json!({
        "__typename": "Product",
        "id": gid("Product", pid),
        "legacyResourceId": pid.to_string(),
        "title": "",
        "handle": "",
        "description": "",
        "descriptionHtml": "",
        "productType": "",
        "vendor": "",
        "tags": [],
        "status": "ACTIVE",
        "createdAt": now,
        "updatedAt": now,
        "publishedAt": Value::Null,
        "onlineStoreUrl": Value::Null,
        "templateSuffix": Value::Null,
        "isGiftCard": false,
        "requiresSellingPlan": false,
        "seo": {"__typename": "SEO", "title": Value::Null, "description": Value::Null},
        "options": [{"__typename": "ProductOption", "id": gid("ProductOption", pid * 10 + 1), "name": "Title", "position": 1, "values": ["Default Title"],
                     "optionValues": [{"__typename": "ProductOptionValue", "name": "Default Title", "hasVariants": true}]}],
        "resourcePublicationsCount": {"__typename": "Count", "count": 0, "precision": "EXACT"},
        "variants": {"__conn": []},
        "media": {"__conn": []},
    })
}

fn new_variant(vid: u64, item: u64, product: &str, now: &str) -> Value {
    json!({
        "__typename": "ProductVariant",
        "id": gid("ProductVariant", vid),
        "legacyResourceId": vid.to_string(),
        "title": "Default Title",
        "displayName": "",
        "sku": Value::Null,
        "barcode": Value::Null,
        "price": "0.0",
        "compareAtPrice": Value::Null,
        "position": 1,
        "inventoryQuantity": 0,
        "sellableOnlineQuantity": 0,
        "availableForSale": false,
        "taxable": true,
        "inventoryPolicy": "DENY",
        "createdAt": now,
        "updatedAt": now,
        "selectedOptions": [],
        "inventoryItem": {
            "__typename": "InventoryItem",
            "id": gid("InventoryItem", item),
            "legacyResourceId": item.to_string(),
            "sku": Value::Null,
            // Our reading: an item created through the API is not tracked unless asked.
            "tracked": false,
            "requiresShipping": true,
            "measurement": {"__typename": "InventoryItemMeasurement", "weight": {"__typename": "Weight", "unit": "GRAMS", "value": 0.0}},
        },
        "product": {"__ref": product},
    })
}
