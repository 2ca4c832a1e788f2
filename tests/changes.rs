//! After the initial sync: changes, deletions on either side, partial failures and the daily
//! limit, each checked in HubSpot and in what the user is told.

mod common;
mod landed;

use common::Env;
use serde_json::json;
use shopsync_sandbox::{Faults, Sandbox};

async fn synced(customize: impl FnOnce(&mut shopsync_sandbox::SandboxConfig)) -> (Sandbox, Env) {
    let sandbox = common::sandbox(customize).await;
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "");
    env.run(&["initial-sync", "--profile", "shop"])
        .await
        .expect_code(0);
    (sandbox, env)
}

fn email_of(sandbox: &Sandbox, gid: &str) -> Option<String> {
    let c = sandbox.shopify.customer(gid)?;
    c["defaultEmailAddress"]["emailAddress"]
        .as_str()
        .map(str::to_lowercase)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_customer_updates_exactly_its_contact() {
    let (sandbox, env) = synced(|_| {}).await;
    let gid = sandbox
        .shopify
        .customer_ids()
        .into_iter()
        .find(|g| email_of(&sandbox, g).is_some())
        .unwrap();
    let email = email_of(&sandbox, &gid).unwrap();
    assert!(sandbox
        .shopify
        .update_customer(&gid, |c| c["firstName"] = json!("Ørjan")));

    // The dry run shows the one field, old -> new.
    let run = env
        .run(&["initial-sync", "--profile", "shop", "--dry-run", "--diff"])
        .await;
    run.expect_code(0);
    assert!(
        run.stdout.contains(&format!("~ customers {email}")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("firstname:") && run.stdout.contains("-> \"Ørjan\""),
        "{}",
        run.stdout
    );

    let before = sandbox.hubspot.stats();
    let run = env
        .run(&["initial-sync", "--profile", "shop", "--json"])
        .await;
    run.expect_code(0);
    let report = run.json();
    assert_eq!(report["streams"]["customers"]["update"], 1, "{report:#}");
    let after = sandbox.hubspot.stats();
    assert_eq!(
        after.records_updated - before.records_updated,
        1,
        "exactly one record written"
    );
    assert_eq!(after.records_created, before.records_created);
    let contact = sandbox
        .hubspot
        .find_by_property("contacts", "email", &email)
        .unwrap();
    assert_eq!(contact.get("firstname"), Some("Ørjan"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contact_deleted_in_hubspot_is_never_created_again() {
    let (sandbox, env) = synced(|_| {}).await;
    let gid = sandbox
        .shopify
        .customer_ids()
        .into_iter()
        .find(|g| email_of(&sandbox, g).is_some())
        .unwrap();
    let email = email_of(&sandbox, &gid).unwrap();
    let contact = sandbox
        .hubspot
        .find_by_property("contacts", "email", &email)
        .unwrap();
    assert!(sandbox.hubspot.archive_object("contacts", &contact.id));
    let live = sandbox.hubspot.count("contacts");

    for round in 0..2 {
        sandbox
            .shopify
            .update_customer(&gid, |c| c["note"] = json!(format!("changed {round}")));
        let run = env
            .run(&["initial-sync", "--profile", "shop", "--json"])
            .await;
        run.expect_code(0);
        let report = run.json();
        assert_eq!(report["streams"]["customers"]["create"], 0, "{report:#}");
        assert_eq!(report["streams"]["customers"]["skip"], 1, "{report:#}");
        assert_eq!(
            sandbox.hubspot.count("contacts"),
            live,
            "round {round}: the contact came back"
        );
        assert!(sandbox
            .hubspot
            .find_by_property("contacts", "email", &email)
            .is_none_or(|c| c.archived));
    }
    // Not even a full re-read brings it back.
    env.run(&["initial-sync", "--profile", "shop", "--full"])
        .await
        .expect_code(0);
    assert_eq!(sandbox.hubspot.count("contacts"), live);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn products_and_orders_deleted_in_shopify_are_deleted_in_hubspot() {
    let (sandbox, env) = synced(|_| {}).await;
    let product = sandbox.shopify.product_ids()[0].clone();
    let order = sandbox.shopify.order_ids()[0].clone();
    let order_items = sandbox
        .hubspot
        .find_by_property("deals", "shopify_order_id", &order)
        .map(|d| sandbox.hubspot.associations("deals", &d.id, "line_items"))
        .unwrap();
    let customer = sandbox
        .shopify
        .customer_ids()
        .into_iter()
        .find(|g| email_of(&sandbox, g).is_some())
        .unwrap();
    let contacts = sandbox.hubspot.count("contacts");
    assert!(sandbox.shopify.delete_product(&product));
    assert!(sandbox.shopify.delete_order(&order));
    assert!(sandbox.shopify.delete_customer(&customer));

    let run = env
        .run(&["initial-sync", "--profile", "shop", "--dry-run", "--json"])
        .await;
    run.expect_code(0);
    let plan = run.json();
    assert_eq!(plan["streams"]["products"]["delete"], 1, "{plan:#}");
    assert_eq!(plan["streams"]["orders"]["delete"], 1, "{plan:#}");
    assert!(
        sandbox
            .hubspot
            .find_by_property("products", "shopify_product_id", &product)
            .is_some(),
        "a dry run deleted"
    );

    let run = env
        .run(&["initial-sync", "--profile", "shop", "--json"])
        .await;
    run.expect_code(0);
    assert!(sandbox
        .hubspot
        .find_by_property("products", "shopify_product_id", &product)
        .is_none_or(|p| p.archived));
    assert!(sandbox
        .hubspot
        .find_by_property("deals", "shopify_order_id", &order)
        .is_none_or(|d| d.archived));
    for (item, _) in order_items {
        assert!(
            sandbox
                .hubspot
                .object("line_items", &item)
                .is_none_or(|li| li.archived),
            "line item {item} of the deleted order"
        );
    }
    // Deleting a customer in Shopify does not delete the contact.
    assert_eq!(sandbox.hubspot.count("contacts"), contacts);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_reread_finds_deletions_by_absence() {
    let (sandbox, env) = synced(|_| {}).await;
    let product = sandbox.shopify.product_ids()[1].clone();
    sandbox.shopify.delete_product(&product);
    let run = env
        .run(&[
            "initial-sync",
            "--profile",
            "shop",
            "--streams",
            "products",
            "--full",
            "--json",
        ])
        .await;
    run.expect_code(0);
    let report = run.json();
    assert_eq!(report["streams"]["products"]["read"], "full");
    assert_eq!(report["streams"]["products"]["delete"], 1, "{report:#}");
    assert_eq!(report["streams"]["products"]["unchanged"], 9, "{report:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_records_are_reported_and_retried_next_run() {
    let sandbox = common::sandbox(|_| {}).await;
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "");
    sandbox.hubspot.set_faults(Faults {
        partial_batch_failure: 0.25,
        seed: 7,
        ..Faults::default()
    });

    let run = env
        .run(&["initial-sync", "--profile", "shop", "--json"])
        .await;
    run.expect_code(1);
    let report = run.json();
    let failures = report["failures"].as_array().unwrap();
    assert!(!failures.is_empty(), "{report:#}");
    assert!(failures
        .iter()
        .all(|f| f["reason"].as_str().is_some_and(|r| !r.is_empty())));

    sandbox.hubspot.set_faults(Faults::default());
    let run = env
        .run(&["initial-sync", "--profile", "shop", "--json"])
        .await;
    run.expect_code(0);
    assert!(run.json()["failures"].as_array().unwrap().is_empty());

    // Everything is there exactly once.
    let (customers, products, orders, _) = sandbox.shopify.counts();
    let with_email = sandbox
        .shopify
        .customer_ids()
        .iter()
        .filter(|g| email_of(&sandbox, g).is_some())
        .count();
    assert_eq!(
        sandbox.hubspot.count("contacts"),
        with_email,
        "of {customers} customers"
    );
    assert_eq!(sandbox.hubspot.count("products"), products);
    assert!(sandbox.hubspot.count("deals") >= orders);
    for gid in sandbox.shopify.order_ids() {
        assert!(
            sandbox
                .hubspot
                .find_by_property("deals", "shopify_order_id", &gid)
                .is_some(),
            "{gid} missing"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daily_limit_stops_cleanly_and_the_next_run_resumes() {
    let sandbox = common::sandbox(|c| {
        c.seed.customers = 600;
        c.seed.orders = 200;
    })
    .await;
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "");
    // Enough to prepare the account and write part of the data, not all of it.
    sandbox.hubspot.set_daily_remaining(24);

    let run = env.run(&["initial-sync", "--profile", "shop"]).await;
    run.expect_code(4);
    assert!(run.stderr.contains("daily"), "{}", run.stderr);
    assert!(run.stderr.contains("midnight"), "{}", run.stderr);
    assert!(
        run.stdout.contains("| products"),
        "the summary of what was done is printed:\n{}",
        run.stdout
    );
    assert!(run.stdout.contains("Stopped early"), "{}", run.stdout);
    let written = sandbox.hubspot.count("products") + sandbox.hubspot.count("contacts");
    assert!(written > 0, "part of the data was written before the limit");

    sandbox.hubspot.reset_daily();
    env.run(&["initial-sync", "--profile", "shop"])
        .await
        .expect_code(0);
    // Every contact (customers' and guests'), product, deal and line item, once.
    landed::assert_landed_exactly_once(&sandbox);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_stream_is_read_with_a_bulk_export() {
    let sandbox = common::sandbox(|c| c.seed.customers = 120).await;
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "bulk_threshold = 50");
    let run = env
        .run(&["initial-sync", "--profile", "shop", "--json"])
        .await;
    run.expect_code(0);
    let report = run.json();
    assert_eq!(report["streams"]["customers"]["bulk"], true, "{report:#}");
    assert_eq!(report["streams"]["products"]["bulk"], false);
    assert_eq!(sandbox.shopify.stats().bulk_operations, 1, "customers only");
    let with_email = sandbox
        .shopify
        .customer_ids()
        .iter()
        .filter(|g| email_of(&sandbox, g).is_some())
        .count();
    assert_eq!(sandbox.hubspot.count("contacts"), with_email);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_tokens_are_refused_with_the_fix() {
    let sandbox = common::sandbox(|_| {}).await;
    let env = Env::new()
        .with_env("SHOPSYNC_SHOP_SHOPIFY_TOKEN", "shpat_wrong")
        .with_env("SHOPSYNC_SHOP_HUBSPOT_TOKEN", common::HUBSPOT_TOKEN);
    env.profile_for(&sandbox, "");
    let run = env.run(&["initial-sync", "--profile", "shop"]).await;
    run.expect_code(2);
    assert!(
        run.stderr.contains("Shopify refused the access token"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("shopsync auth set"), "{}", run.stderr);
    assert!(!run.stderr.contains("shpat_wrong"), "{}", run.stderr);
    assert_eq!(sandbox.hubspot.stats().records_created, 0);

    let env = Env::new()
        .with_env("SHOPSYNC_SHOP_SHOPIFY_TOKEN", common::SHOPIFY_TOKEN)
        .with_env("SHOPSYNC_SHOP_HUBSPOT_TOKEN", "pat-na1-wrong");
    env.profile_for(&sandbox, "");
    let run = env.run(&["initial-sync", "--profile", "shop"]).await;
    run.expect_code(2);
    assert!(
        run.stderr.contains("HubSpot refused the access token"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("pat-na1-wrong"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_changes_are_read_incrementally_with_a_filtered_bulk_export() {
    let sandbox = common::sandbox(|c| c.seed.customers = 120).await;
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "bulk_threshold = 50");
    env.run(&["initial-sync", "--profile", "shop"])
        .await
        .expect_code(0);
    let changed: Vec<String> = sandbox
        .shopify
        .customer_ids()
        .into_iter()
        .filter(|g| email_of(&sandbox, g).is_some())
        .take(60)
        .collect();
    for gid in &changed {
        sandbox
            .shopify
            .update_customer(gid, |c| c["note"] = json!("bulk changed"));
    }
    let bulk_before = sandbox.shopify.stats().bulk_operations;
    let run = env
        .run(&[
            "initial-sync",
            "--profile",
            "shop",
            "--streams",
            "customers",
            "--json",
        ])
        .await;
    run.expect_code(0);
    let report = run.json();
    assert_eq!(report["streams"]["customers"]["read"], "incremental");
    assert_eq!(report["streams"]["customers"]["bulk"], true, "{report:#}");
    assert_eq!(report["streams"]["customers"]["update"], 60, "{report:#}");
    assert_eq!(sandbox.shopify.stats().bulk_operations, bulk_before + 1);
    for gid in &changed {
        let contact = sandbox
            .hubspot
            .find_by_property("contacts", "email", &email_of(&sandbox, gid).unwrap())
            .unwrap();
        assert_eq!(contact.get("shopify_note"), Some("bulk changed"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_with_many_line_items_keeps_every_one() {
    let (sandbox, env) = synced(|_| {}).await;
    let order = sandbox.shopify.order_ids()[0].clone();
    let mut total = 0;
    assert!(sandbox.shopify.update_order(&order, |o| {
        let lines = o["lineItems"]["__conn"]
            .as_array_mut()
            .expect("stored line items");
        let first = lines[0].clone();
        for i in 0..40 {
            let mut extra = first.clone();
            extra["id"] = json!(format!("gid://shopify/LineItem/9999000000{i:03}"));
            lines.push(extra);
        }
        total = lines.len();
    }));
    // More line items than one page holds: the incremental read fetches the rest.
    env.run(&["initial-sync", "--profile", "shop", "--streams", "orders"])
        .await
        .expect_code(0);
    let deal = sandbox
        .hubspot
        .find_by_property("deals", "shopify_order_id", &order)
        .unwrap();
    assert_eq!(
        sandbox
            .hubspot
            .associations("deals", &deal.id, "line_items")
            .len(),
        total
    );
}

/// Orders synced before their customers (`--streams orders` first): each deal gets its contact
/// once the customers are synced, although the orders themselves did not change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deals_synced_before_their_customers_get_their_contact_later() {
    let sandbox = common::sandbox(|_| {}).await;
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "");
    env.run(&["initial-sync", "--profile", "shop", "--streams", "orders"])
        .await
        .expect_code(0);
    let deal_with_contact = |sandbox: &Sandbox| {
        sandbox
            .hubspot
            .objects("deals")
            .iter()
            .filter(|d| {
                !sandbox
                    .hubspot
                    .associations("deals", &d.id, "contacts")
                    .is_empty()
            })
            .count()
    };
    assert_eq!(deal_with_contact(&sandbox), 0, "no contact exists yet");

    let run = env.run(&["initial-sync", "--profile", "shop"]).await;
    run.expect_code(0);
    assert!(
        run.stderr
            .contains("written before their customer was synced"),
        "{}",
        run.stderr
    );
    assert!(deal_with_contact(&sandbox) > 0);
    landed::assert_landed_exactly_once(&sandbox);

    // Nothing waits any more: the next run neither writes nor associates.
    let before = sandbox.hubspot.stats().requests_total;
    let run = env
        .run(&["initial-sync", "--profile", "shop", "--json"])
        .await;
    run.expect_code(0);
    assert!(!run.stderr.contains("written before their customer"));
    assert_eq!(sandbox.hubspot.stats().requests_total, before);
}
