//! The end-state check shared by the fault and crash tests: every Shopify record is in HubSpot
//! exactly once (no duplicate, none missing), with its associations complete. Computed from the
//! fakes' own stores, not from shopsync's state.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use shopsync_sandbox::Sandbox;

fn email(v: &serde_json::Value) -> Option<String> {
    v["defaultEmailAddress"]["emailAddress"]
        .as_str()
        .map(str::to_lowercase)
}

/// Live HubSpot records of a type, grouped by one property: value -> ids.
fn by_property(sandbox: &Sandbox, object_type: &str, prop: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in sandbox.hubspot.objects(object_type) {
        let key = r.get(prop).unwrap_or("").to_lowercase();
        out.entry(key).or_default().push(r.id.clone());
    }
    out
}

#[track_caller]
fn exactly_once(what: &str, got: &BTreeMap<String, Vec<String>>, want: &BTreeSet<String>) {
    let dups: Vec<_> = got.iter().filter(|(_, ids)| ids.len() > 1).collect();
    assert!(dups.is_empty(), "duplicate {what}: {dups:?}");
    let missing: Vec<_> = want.iter().filter(|k| !got.contains_key(*k)).collect();
    assert!(
        missing.is_empty(),
        "{} {what} missing: {:?}",
        missing.len(),
        &missing[..missing.len().min(10)]
    );
    let extra: Vec<_> = got.keys().filter(|k| !want.contains(*k)).collect();
    assert!(extra.is_empty(), "unexpected {what}: {extra:?}");
}

/// Contacts (customers with an e-mail, and guests by their order's e-mail), products, deals
/// (orders and open checkouts) and line items: each exactly once; every deal associated with its
/// contact and exactly its line items, each line item pointing at its product.
#[track_caller]
pub fn assert_landed_exactly_once(sandbox: &Sandbox) {
    let shop = &sandbox.shopify;
    let mut customer_email = BTreeMap::new();
    for gid in shop.customer_ids() {
        if let Some(e) = shop.customer(&gid).as_ref().and_then(email) {
            customer_email.insert(gid, e);
        }
    }
    // A guest order (no customer) with an e-mail: its contact is found or made by that e-mail.
    let mut guest_email = BTreeMap::new();
    for gid in shop.order_ids() {
        let o = shop.order(&gid).expect("order");
        if o["customer"].is_null() {
            if let Some(e) = o["email"].as_str() {
                guest_email.insert(gid.to_lowercase(), e.to_lowercase());
            }
        }
    }
    let contacts = by_property(sandbox, "contacts", "email");
    exactly_once(
        "contacts",
        &contacts,
        &customer_email
            .values()
            .chain(guest_email.values())
            .cloned()
            .collect(),
    );

    let products = by_property(sandbox, "products", "shopify_product_id");
    let hubspot_product = |shopify_id: &str| {
        products
            .get(&shopify_id.to_lowercase())
            .map(|ids| ids[0].clone())
    };
    exactly_once(
        "products",
        &products,
        &shop
            .product_ids()
            .into_iter()
            .map(|g| g.to_lowercase())
            .collect(),
    );

    // Deals: orders and the checkouts not completed.
    let mut deals_want = BTreeMap::new();
    for gid in shop.order_ids() {
        let o = shop.order(&gid).expect("order");
        deals_want.insert(gid.to_lowercase(), o);
    }
    for gid in shop.abandoned_checkout_ids() {
        let c = shop.abandoned_checkout(&gid).expect("checkout");
        if c["completedAt"].is_null() {
            deals_want.insert(gid.to_lowercase(), c);
        }
    }
    let deals = by_property(sandbox, "deals", "shopify_order_id");
    exactly_once("deals", &deals, &deals_want.keys().cloned().collect());

    // Line items: each once, each on its deal.
    let line_items = by_property(sandbox, "line_items", "shopify_line_item_id");
    let mut items_want = BTreeSet::new();
    for (key, source) in &deals_want {
        let deal_id = &deals[key][0];
        let want: BTreeSet<String> = source["lineItems"]["nodes"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|li| li["id"].as_str().map(str::to_lowercase))
                    .collect()
            })
            .unwrap_or_default();
        let got: BTreeSet<String> = sandbox
            .hubspot
            .associations("deals", deal_id, "line_items")
            .into_iter()
            .filter_map(|(id, _)| sandbox.hubspot.object("line_items", &id))
            .filter(|r| !r.archived)
            .filter_map(|r| r.get("shopify_line_item_id").map(str::to_lowercase))
            .collect();
        if source["lineItems"]["nodes"].is_array() && key.contains("/order/") {
            assert_eq!(got, want, "line items of deal {key}");
        }
        items_want.extend(got);
        if key.contains("/order/") {
            // The deal points at its customer's contact, when the customer has an e-mail, or
            // at the guest's contact.
            let contact = match source["customer"]["id"].as_str() {
                Some(c) => customer_email.get(c),
                None => guest_email.get(key),
            }
            .and_then(|e| contacts.get(e))
            .map(|ids| ids[0].clone());
            let assoc: Vec<String> = sandbox
                .hubspot
                .associations("deals", deal_id, "contacts")
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            match contact {
                Some(c) => assert_eq!(assoc, vec![c], "contact of deal {key}"),
                None => assert!(assoc.is_empty(), "deal {key} has a contact: {assoc:?}"),
            }
        }
    }
    for (key, source) in &deals_want {
        if key.contains("/order/") {
            if let Some(a) = source["lineItems"]["nodes"].as_array() {
                for li in a {
                    let Some(id) = li["id"].as_str() else {
                        continue;
                    };
                    items_want.insert(id.to_lowercase());
                    // Each line item points at its product's HubSpot product.
                    let want = li["product"]["id"].as_str().and_then(hubspot_product);
                    let got = line_items
                        .get(&id.to_lowercase())
                        .and_then(|ids| sandbox.hubspot.object("line_items", &ids[0]))
                        .and_then(|r| r.get("hs_product_id").map(String::from));
                    assert_eq!(got, want, "product of line item {id} (deal {key})");
                }
            }
        }
    }
    exactly_once("line items", &line_items, &items_want);
}

/// Counts of what a clean run leaves, for messages.
pub fn hubspot_counts(sandbox: &Sandbox) -> [usize; 4] {
    ["contacts", "products", "deals", "line_items"].map(|t| sandbox.hubspot.count(t))
}
