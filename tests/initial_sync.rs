//! `shopsync initial-sync` end to end: the real binary against the Shopify and HubSpot fakes.
//! What must land in HubSpot is computed here from Shopify's raw answers, independently of
//! shopsync's own mapping code.

mod common;

use std::collections::BTreeMap;

use common::{shopify_nodes, Env, CHECKOUTS_PAGE, CUSTOMERS_PAGE, ORDERS_PAGE, PRODUCTS_PAGE};
use serde_json::Value;
use shopsync_sandbox::Sandbox;

type Props = BTreeMap<String, String>;

fn s(v: &Value) -> Option<String> {
    v.as_str()
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(String::from)
}

fn put(p: &mut Props, k: &str, v: Option<String>) {
    if let Some(v) = v {
        p.insert(k.into(), v);
    }
}

fn iso_ms(v: &Value) -> Option<String> {
    let t = chrono::DateTime::parse_from_rfc3339(v.as_str()?).ok()?;
    Some(
        t.with_timezone(&chrono::Utc)
            .format("%Y-%m-%dT%H:%M:%S%.3fZ")
            .to_string(),
    )
}

fn b(v: &Value) -> Option<String> {
    v.as_bool().map(|x| x.to_string())
}

fn expected_contact(c: &Value) -> Props {
    let mut p = Props::new();
    let a = &c["defaultAddress"];
    put(
        &mut p,
        "email",
        s(&c["defaultEmailAddress"]["emailAddress"]).map(|e| e.to_lowercase()),
    );
    put(&mut p, "firstname", s(&c["firstName"]));
    put(&mut p, "lastname", s(&c["lastName"]));
    put(&mut p, "phone", s(&c["defaultPhoneNumber"]["phoneNumber"]));
    let street = match (s(&a["address1"]), s(&a["address2"])) {
        (Some(x), Some(y)) => Some(format!("{x}, {y}")),
        (x, y) => x.or(y),
    };
    put(&mut p, "address", street);
    put(&mut p, "city", s(&a["city"]));
    put(&mut p, "country", s(&a["country"]));
    put(&mut p, "state", s(&a["province"]));
    put(&mut p, "zip", s(&a["zip"]));
    put(&mut p, "shopify_customer_id", s(&c["id"]));
    put(
        &mut p,
        "shopify_accepts_marketing",
        c["defaultEmailAddress"]["marketingState"]
            .as_str()
            .map(|m| (m == "SUBSCRIBED").to_string()),
    );
    put(&mut p, "shopify_created_at", iso_ms(&c["createdAt"]));
    put(&mut p, "shopify_note", s(&c["note"]));
    put(
        &mut p,
        "shopify_orders_count",
        s(&c["numberOfOrders"]).or_else(|| c["numberOfOrders"].as_u64().map(|n| n.to_string())),
    );
    let tags: Vec<String> = c["tags"].as_array().unwrap().iter().filter_map(s).collect();
    put(
        &mut p,
        "shopify_tags",
        (!tags.is_empty()).then(|| tags.join(", ")),
    );
    put(&mut p, "shopify_tax_exempt", b(&c["taxExempt"]));
    put(&mut p, "shopify_verified_email", b(&c["verifiedEmail"]));
    p
}

fn expected_product(x: &Value) -> Props {
    let mut p = Props::new();
    put(&mut p, "shopify_product_id", s(&x["id"]));
    put(&mut p, "name", s(&x["title"]));
    put(&mut p, "description", s(&x["descriptionHtml"]));
    put(
        &mut p,
        "price",
        s(&x["priceRangeV2"]["minVariantPrice"]["amount"]),
    );
    let images: Vec<String> = x["media"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| s(&m["image"]["url"]))
        .collect();
    put(
        &mut p,
        "hs_images",
        (!images.is_empty()).then(|| images.join(";")),
    );
    put(&mut p, "shopify_created_at", iso_ms(&x["createdAt"]));
    put(&mut p, "shopify_handle", s(&x["handle"]));
    put(&mut p, "shopify_product_type", s(&x["productType"]));
    put(&mut p, "shopify_published_at", iso_ms(&x["publishedAt"]));
    let pubs = x["resourcePublicationsCount"]["count"]
        .as_u64()
        .unwrap_or(0);
    let scope = match (x["publishedAt"].is_string(), pubs) {
        (false, _) | (_, 0) => None,
        (true, 1) => Some("web".to_string()),
        _ => Some("global".to_string()),
    };
    put(&mut p, "shopify_published_scope", scope);
    let tags: Vec<String> = x["tags"].as_array().unwrap().iter().filter_map(s).collect();
    put(
        &mut p,
        "shopify_tags",
        (!tags.is_empty()).then(|| tags.join(", ")),
    );
    put(&mut p, "shopify_vendor", s(&x["vendor"]));
    p
}

fn expected_stage(o: &Value) -> &'static str {
    if o["cancelledAt"].is_string() {
        return "Cancelled";
    }
    match (
        o["displayFinancialStatus"].as_str(),
        o["displayFulfillmentStatus"].as_str(),
    ) {
        (Some("REFUNDED" | "VOIDED"), _) => "Cancelled",
        (_, Some("FULFILLED")) => "Shipped",
        (Some("PAID" | "PARTIALLY_PAID" | "PARTIALLY_REFUNDED"), _) => "Processed",
        _ => "Checkout Completed",
    }
}

fn money(v: &Value) -> Option<String> {
    s(&v["shopMoney"]["amount"])
}

fn expected_deal(o: &Value) -> Props {
    let mut p = Props::new();
    put(&mut p, "shopify_order_id", s(&o["id"]));
    put(&mut p, "dealname", s(&o["name"]));
    put(&mut p, "amount", money(&o["totalPriceSet"]));
    put(&mut p, "deal_currency_code", s(&o["currencyCode"]));
    put(
        &mut p,
        "shopify_buyer_accepts_marketing",
        b(&o["customerAcceptsMarketing"]),
    );
    put(&mut p, "shopify_customer_id", s(&o["customer"]["id"]));
    put(
        &mut p,
        "shopify_cancel_reason",
        s(&o["cancelReason"]).map(|r| r.to_lowercase()),
    );
    put(&mut p, "shopify_cancelled_at", iso_ms(&o["cancelledAt"]));
    put(&mut p, "shopify_created_at", iso_ms(&o["createdAt"]));
    put(
        &mut p,
        "shopify_financial_status",
        s(&o["displayFinancialStatus"]).map(|r| r.to_lowercase()),
    );
    put(
        &mut p,
        "shopify_fulfillment_status",
        s(&o["displayFulfillmentStatus"]).map(|r| r.to_lowercase()),
    );
    put(
        &mut p,
        "shopify_landing_site",
        s(&o["customerJourneySummary"]["lastVisit"]["landingPage"]),
    );
    put(&mut p, "shopify_note", s(&o["note"]));
    put(
        &mut p,
        "shopify_order_number",
        o["number"].as_u64().map(|n| n.to_string()),
    );
    let gateways: Vec<String> = o["paymentGatewayNames"]
        .as_array()
        .map(|a| a.iter().filter_map(s).collect())
        .unwrap_or_default();
    put(
        &mut p,
        "shopify_processing_method",
        (!gateways.is_empty()).then(|| gateways.join(", ")),
    );
    put(
        &mut p,
        "shopify_referring_site",
        s(&o["customerJourneySummary"]["lastVisit"]["referrerUrl"]),
    );
    put(&mut p, "shopify_source_name", s(&o["sourceName"]));
    put(
        &mut p,
        "shopify_subtotal_price",
        money(&o["subtotalPriceSet"]),
    );
    put(&mut p, "shopify_taxes_included", b(&o["taxesIncluded"]));
    put(
        &mut p,
        "shopify_total_discounts",
        money(&o["totalDiscountsSet"]),
    );
    let mut cents: i64 = 0;
    let items = o["lineItems"]["nodes"].as_array().unwrap();
    for li in items {
        let price: f64 = money(&li["originalUnitPriceSet"]).unwrap().parse().unwrap();
        cents += (price * 100.0).round() as i64 * li["quantity"].as_i64().unwrap();
    }
    put(
        &mut p,
        "shopify_total_line_items_price",
        (!items.is_empty()).then(|| format!("{}.{:02}", cents / 100, cents % 100)),
    );
    put(&mut p, "shopify_total_price", money(&o["totalPriceSet"]));
    put(&mut p, "shopify_total_tax", money(&o["totalTaxSet"]));
    put(
        &mut p,
        "shopify_total_weight",
        o["totalWeight"]
            .as_str()
            .map(String::from)
            .or_else(|| o["totalWeight"].as_u64().map(|n| n.to_string())),
    );
    p
}

/// Every expected property is in HubSpot with the expected value (HubSpot adds its own too).
#[track_caller]
fn assert_props(what: &str, actual: &shopsync_sandbox::hubspot::Record, expected: &Props) {
    for (k, v) in expected {
        let got = actual.get(k);
        let same = match (got, k.as_str()) {
            (
                Some(g),
                "amount"
                | "price"
                | "shopify_subtotal_price"
                | "shopify_total_price"
                | "shopify_total_tax"
                | "shopify_total_discounts"
                | "shopify_total_line_items_price",
            ) => g.parse::<f64>().ok() == v.parse::<f64>().ok(),
            (Some(g), _) => g == v,
            (None, _) => false,
        };
        assert!(
            same,
            "{what}: property {k} is {got:?}, expected {v:?}\n{actual:#?}"
        );
    }
}

async fn shop_and_env(
    customize: impl FnOnce(&mut shopsync_sandbox::SandboxConfig),
) -> (Sandbox, Env) {
    let sandbox = common::sandbox(customize).await;
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "");
    (sandbox, env)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_plans_and_writes_nothing() {
    let (sandbox, env) = shop_and_env(|_| {}).await;
    let customers = shopify_nodes(&sandbox, CUSTOMERS_PAGE, "customers").await;
    let with_email = customers
        .iter()
        .filter(|c| s(&c["defaultEmailAddress"]["emailAddress"]).is_some())
        .count() as u64;
    sandbox.hubspot.reset_stats();

    let run = env
        .run(&["initial-sync", "--profile", "shop", "--dry-run", "--json"])
        .await;
    run.expect_code(0);
    let plan = run.json();
    assert_eq!(plan["dry_run"], true);
    assert_eq!(
        plan["streams"]["customers"]["create"], with_email,
        "{plan:#}"
    );
    assert_eq!(
        plan["streams"]["customers"]["skip"],
        customers.len() as u64 - with_email
    );
    assert_eq!(
        plan["streams"]["products"]["create"],
        sandbox.hubspot.count("products") as u64 + 10
    );
    assert!(plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["action"] == "create" && c["fields"].as_array().is_some_and(|f| !f.is_empty())));

    let stats = sandbox.hubspot.stats();
    assert_eq!(
        stats.records_created + stats.records_updated + stats.records_archived,
        0,
        "a dry run wrote: {stats:?}"
    );
    assert!(sandbox
        .hubspot
        .pipelines("deals")
        .iter()
        .all(|p| p.label != "Ecommerce"));
    assert!(sandbox
        .hubspot
        .properties("products")
        .iter()
        .all(|p| p.name != "shopify_product_id"));

    // --detailed-exitcode: 3 when there are changes.
    let run = env
        .run(&[
            "initial-sync",
            "--profile",
            "shop",
            "--dry-run",
            "--detailed-exitcode",
        ])
        .await;
    run.expect_code(3);
    assert!(
        run.stdout.contains("Nothing was written (dry run)"),
        "{}",
        run.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn initial_sync_lands_every_record_and_a_second_run_writes_nothing() {
    let (sandbox, env) = shop_and_env(|_| {}).await;
    let customers = shopify_nodes(&sandbox, CUSTOMERS_PAGE, "customers").await;
    let products = shopify_nodes(&sandbox, PRODUCTS_PAGE, "products").await;
    let orders = shopify_nodes(&sandbox, ORDERS_PAGE, "orders").await;
    let checkouts = shopify_nodes(&sandbox, CHECKOUTS_PAGE, "abandonedCheckouts").await;

    // A contact that already exists in HubSpot with a Shopify customer's e-mail, and a value
    // Shopify does not have: it is updated, never duplicated, and keeps that value.
    let existing = customers
        .iter()
        .find(|c| s(&c["defaultEmailAddress"]["emailAddress"]).is_some())
        .unwrap();
    let existing_email = s(&existing["defaultEmailAddress"]["emailAddress"])
        .unwrap()
        .to_lowercase();
    sandbox
        .hubspot
        .create_object(
            "contacts",
            [
                ("email", existing_email.as_str()),
                ("company", "Kept Ltd"),
                ("firstname", "Old"),
            ],
        )
        .unwrap();

    let run = env.run(&["initial-sync", "--profile", "shop"]).await;
    run.expect_code(0);
    assert!(run.stdout.contains("Done:"), "{}", run.stdout);

    // Contacts: one per customer with an e-mail, every field.
    let with_email: Vec<&Value> = customers
        .iter()
        .filter(|c| s(&c["defaultEmailAddress"]["emailAddress"]).is_some())
        .collect();
    assert_eq!(
        sandbox.hubspot.count("contacts"),
        with_email.len(),
        "no duplicates, none missing"
    );
    let mut contact_ids = BTreeMap::new();
    for c in &with_email {
        let want = expected_contact(c);
        let got = sandbox
            .hubspot
            .find_by_property("contacts", "email", &want["email"])
            .expect("contact exists");
        assert_props(&format!("contact {}", want["email"]), &got, &want);
        contact_ids.insert(s(&c["id"]).unwrap(), got.id.clone());
    }
    let kept = sandbox
        .hubspot
        .find_by_property("contacts", "email", &existing_email)
        .unwrap();
    assert_eq!(kept.get("company"), Some("Kept Ltd"));

    // Products: every field, keyed by the Shopify id.
    assert_eq!(sandbox.hubspot.count("products"), products.len());
    let mut product_ids = BTreeMap::new();
    for p in &products {
        let want = expected_product(p);
        let got = sandbox
            .hubspot
            .find_by_property(
                "products",
                "shopify_product_id",
                &want["shopify_product_id"],
            )
            .expect("product");
        assert_props("product", &got, &want);
        product_ids.insert(s(&p["id"]).unwrap(), got.id.clone());
    }

    // The pipeline and its six stages.
    let pipeline = sandbox
        .hubspot
        .pipelines("deals")
        .into_iter()
        .find(|p| p.label == "Ecommerce")
        .expect("Ecommerce pipeline");
    let stage_id = |label: &str| {
        pipeline
            .stages
            .iter()
            .find(|s| s.label == label)
            .map(|s| s.id.clone())
            .unwrap_or_else(|| panic!("stage {label}"))
    };
    for label in [
        "Checkout Abandoned",
        "Checkout Pending",
        "Checkout Completed",
        "Processed",
        "Shipped",
        "Cancelled",
    ] {
        stage_id(label);
    }

    // Deals: every order, with its stage, line items (pointing at products) and contact.
    let open_checkouts: Vec<&Value> = checkouts
        .iter()
        .filter(|c| c["completedAt"].is_null())
        .collect();
    assert_eq!(
        sandbox.hubspot.count("deals"),
        orders.len() + open_checkouts.len()
    );
    for o in &orders {
        let want = expected_deal(o);
        let deal = sandbox
            .hubspot
            .find_by_property("deals", "shopify_order_id", &want["shopify_order_id"])
            .expect("deal");
        assert_props("deal", &deal, &want);
        assert_eq!(deal.get("pipeline"), Some(pipeline.id.as_str()));
        assert_eq!(
            deal.get("dealstage").map(String::from),
            Some(stage_id(expected_stage(o))),
            "{}",
            want["dealname"]
        );
        let contacts = sandbox.hubspot.associations("deals", &deal.id, "contacts");
        match s(&o["customer"]["id"]).and_then(|c| contact_ids.get(&c).cloned()) {
            Some(contact) => assert_eq!(
                contacts,
                vec![(contact, 3)],
                "deal {} -> contact",
                want["dealname"]
            ),
            None => assert!(
                contacts.is_empty(),
                "deal {} has no contact to point at",
                want["dealname"]
            ),
        }
        let items = o["lineItems"]["nodes"].as_array().unwrap();
        let assoc = sandbox
            .hubspot
            .associations("deals", &deal.id, "line_items");
        assert_eq!(
            assoc.len(),
            items.len(),
            "line items of {}",
            want["dealname"]
        );
        for li in items {
            let got = sandbox
                .hubspot
                .find_by_property(
                    "line_items",
                    "shopify_line_item_id",
                    li["id"].as_str().unwrap(),
                )
                .expect("line item");
            assert!(assoc.contains(&(got.id.clone(), 19)));
            assert_eq!(
                got.get("quantity"),
                Some(li["quantity"].as_i64().unwrap().to_string().as_str())
            );
            let product = s(&li["product"]["id"]).and_then(|p| product_ids.get(&p).cloned());
            assert_eq!(got.get("hs_product_id").map(String::from), product);
        }
    }
    for c in &open_checkouts {
        let deal = sandbox
            .hubspot
            .find_by_property("deals", "shopify_order_id", c["id"].as_str().unwrap())
            .expect("checkout deal");
        let stage = deal.get("dealstage").unwrap();
        assert!(stage == stage_id("Checkout Abandoned") || stage == stage_id("Checkout Pending"));
        assert_eq!(
            deal.get("shopify_abandoned_checkout_url").map(String::from),
            s(&c["abandonedCheckoutUrl"])
        );
    }

    // The second run reads only what changed and writes nothing.
    let before = sandbox.hubspot.stats();
    let run = env
        .run(&["initial-sync", "--profile", "shop", "--json"])
        .await;
    run.expect_code(0);
    let report = run.json();
    let after = sandbox.hubspot.stats();
    assert_eq!(
        after.inputs_written, before.inputs_written,
        "the second run wrote: {report:#}"
    );
    assert_eq!(after.associations_created, before.associations_created);
    for stream in ["products", "customers", "orders"] {
        assert_eq!(report["streams"][stream]["read"], "incremental");
        assert_eq!(report["streams"][stream]["create"], 0);
        assert_eq!(report["streams"][stream]["update"], 0);
    }
    assert_eq!(
        after.requests_total, before.requests_total,
        "HubSpot requests for nothing to do"
    );
    let shopify_requests = report["requests"]["shopify"].as_u64().unwrap();
    // Per stream a count and one page, plus abandoned checkouts and the deletion events.
    assert!(
        shopify_requests <= 8,
        "a handful of Shopify requests, not {shopify_requests}"
    );
}

/// What a person sees: the plan of a tiny store, field by field (stdout only; stderr has ports).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_diff_as_a_person_sees_it() {
    let (_sandbox, env) = shop_and_env(|c| {
        c.seed.customers = 3;
        c.seed.products = 2;
        c.seed.orders = 2;
        c.seed.abandoned_checkouts = 1;
    })
    .await;
    let run = env
        .run(&["initial-sync", "--profile", "shop", "--dry-run", "--diff"])
        .await;
    run.expect_code(0);
    insta::assert_snapshot!(run.stdout);
}
