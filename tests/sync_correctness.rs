//! Sync correctness found by trying to break shopsync: no record stuck for ever, every failed
//! record retried with the query that can read it, line items that get their product and guest
//! orders that get their contact although the order itself never changes again, and no write
//! before every credential was checked. Each end state is checked in the fakes' own stores.

mod common;
mod landed;

use common::Env;
use shopsync_sandbox::{Faults, Sandbox};

/// The state store's retry list: (stream, source id).
fn retries(env: &Env) -> Vec<(String, String)> {
    let db = env.state_dir().join("shop.sqlite");
    let conn =
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open the state store");
    let mut stmt = conn
        .prepare("SELECT stream, source_id FROM retries ORDER BY stream, source_id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Three full runs with a fifth of HubSpot's batch inputs failing: each re-reads the records
/// queued for retry and every record again, so a retried record comes twice in one run. Once the
/// faults stop, one run lands everything and leaves nothing queued (a record written by one copy
/// and failed by the other used to stay queued for ever, and its orders with it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_read_twice_in_a_run_is_never_stuck() {
    let sandbox = common::sandbox(|c| {
        c.seed.customers = 400;
        c.seed.products = 20;
        c.seed.orders = 200;
        c.seed.abandoned_checkouts = 10;
    })
    .await;
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "");
    sandbox.hubspot.set_faults(Faults {
        partial_batch_failure: 0.2,
        seed: 3,
        ..Faults::default()
    });
    for run in 1..=3 {
        let r = env
            .run(&["initial-sync", "--profile", "shop", "--full", "--json"])
            .await;
        assert!(matches!(r.code, 0 | 1), "run {run}: {r:?}");
    }
    assert!(
        sandbox
            .hubspot
            .stats()
            .faults_injected
            .get("partial_batch_failure")
            .is_some_and(|n| *n > 0),
        "no partial failure was injected"
    );
    sandbox.hubspot.set_faults(Faults::default());
    let run = env
        .run(&["initial-sync", "--profile", "shop", "--json"])
        .await;
    run.expect_code(0);
    assert_eq!(retries(&env), Vec::<(String, String)>::new());
    landed::assert_landed_exactly_once(&sandbox);
}

/// Abandoned checkouts that failed are read again by the next run with the checkouts' own
/// query (the orders query finds nothing for them), and land.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_abandoned_checkouts_are_retried() {
    let sandbox = common::sandbox(|c| {
        c.seed.customers = 40;
        c.seed.orders = 20;
        c.seed.abandoned_checkouts = 30;
    })
    .await;
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "");
    sandbox.hubspot.set_faults(Faults {
        partial_batch_failure: 0.3,
        seed: 5,
        ..Faults::default()
    });
    env.run(&["initial-sync", "--profile", "shop"])
        .await
        .expect_code(1);
    let queued = retries(&env);
    assert!(
        queued
            .iter()
            .any(|(_, id)| id.starts_with("gid://shopify/AbandonedCheckout/")),
        "no checkout failed: {queued:?}"
    );
    // Seeded checkouts are older than the two days every run reads again: only the retry
    // brings them back.
    sandbox.hubspot.set_faults(Faults::default());
    let run = env
        .run(&["initial-sync", "--profile", "shop", "--json"])
        .await;
    run.expect_code(0);
    assert_eq!(retries(&env), Vec::<(String, String)>::new());
    landed::assert_landed_exactly_once(&sandbox);
}

/// A retried record Shopify no longer has is said, and dropped from the retry list instead of
/// being asked for on every run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retried_record_deleted_in_shopify_is_said_and_dropped() {
    let sandbox = common::sandbox(|c| c.seed.customers = 60).await;
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "");
    sandbox.hubspot.set_faults(Faults {
        partial_batch_failure: 0.3,
        seed: 5,
        ..Faults::default()
    });
    env.run(&["initial-sync", "--profile", "shop", "--streams", "products"])
        .await
        .expect_code(1);
    let queued = retries(&env);
    let (_, gone) = queued.first().expect("a product failed").clone();
    assert!(sandbox.shopify.delete_product(&gone), "delete {gone}");
    sandbox.hubspot.set_faults(Faults::default());
    let run = env
        .run(&["initial-sync", "--profile", "shop", "--streams", "products"])
        .await;
    run.expect_code(0);
    assert!(
        run.stderr
            .contains("queued for retry are no longer in Shopify"),
        "{}",
        run.stderr
    );
    assert!(!retries(&env).iter().any(|(_, id)| *id == gone));
}

/// Orders synced before the products (`--streams orders` on a fresh state): once the products
/// are synced, every line item points at its product, although no order changed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn line_items_synced_before_their_products_get_them_later() {
    let sandbox = common::sandbox(|_| {}).await;
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "");
    env.run(&["initial-sync", "--profile", "shop", "--streams", "orders"])
        .await
        .expect_code(0);
    let with_product = |sandbox: &Sandbox| {
        sandbox
            .hubspot
            .objects("line_items")
            .iter()
            .filter(|li| li.get("hs_product_id").is_some())
            .count()
    };
    assert_eq!(with_product(&sandbox), 0, "no product exists yet");

    let run = env.run(&["initial-sync", "--profile", "shop"]).await;
    run.expect_code(0);
    assert!(
        run.stderr
            .contains("line item(s) written before their product was synced now point at it"),
        "{}",
        run.stderr
    );
    assert!(with_product(&sandbox) > 0);
    landed::assert_landed_exactly_once(&sandbox);

    // Nothing waits any more, and the state knows what HubSpot holds: the next run (even a full
    // one) writes nothing.
    let before = sandbox.hubspot.stats();
    let run = env
        .run(&["initial-sync", "--profile", "shop", "--full", "--json"])
        .await;
    run.expect_code(0);
    assert!(!run.stderr.contains("written before their product"));
    let after = sandbox.hubspot.stats();
    assert_eq!(
        after.inputs_written, before.inputs_written,
        "{}",
        run.stdout
    );
}

/// Guest orders (no customer) with an e-mail get a contact, found by that e-mail when it
/// exists; an existing contact keeps its values (only the e-mail is sent).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guest_orders_with_an_email_get_their_contact() {
    let sandbox = common::sandbox(|c| {
        c.seed.customers = 40;
        c.seed.orders = 200;
    })
    .await;
    let guests: Vec<String> = sandbox
        .shopify
        .order_ids()
        .into_iter()
        .filter_map(|gid| {
            let o = sandbox.shopify.order(&gid)?;
            if o["customer"].is_null() {
                o["email"].as_str().map(str::to_lowercase)
            } else {
                None
            }
        })
        .collect();
    assert!(guests.len() >= 2, "guest orders with an e-mail: {guests:?}");
    // One guest is already a HubSpot contact, with a name shopsync does not know.
    let existing = sandbox
        .hubspot
        .create_object(
            "contacts",
            [
                ("email", guests[0].as_str()),
                ("firstname", "Known"),
                ("phone", "+31 20 123 4567"),
            ],
        )
        .unwrap();
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "");
    env.run(&["initial-sync", "--profile", "shop"])
        .await
        .expect_code(0);
    landed::assert_landed_exactly_once(&sandbox);
    let contact = sandbox
        .hubspot
        .object("contacts", &existing.id)
        .expect("the existing contact is kept");
    assert_eq!(contact.get("firstname"), Some("Known"));
    assert_eq!(contact.get("phone"), Some("+31 20 123 4567"));

    // The next run has nothing to write.
    let before = sandbox.hubspot.stats();
    env.run(&["initial-sync", "--profile", "shop"])
        .await
        .expect_code(0);
    assert_eq!(
        sandbox.hubspot.stats().inputs_written,
        before.inputs_written
    );

    // Someone deletes a guest's contact in HubSpot; the guest's order changes later: the deal
    // is updated, the contact is not made again.
    let gone = sandbox
        .hubspot
        .find_by_property("contacts", "email", &guests[1])
        .expect("the guest's contact");
    assert!(sandbox.hubspot.archive_object("contacts", &gone.id));
    let order = sandbox
        .shopify
        .order_ids()
        .into_iter()
        .find(|gid| {
            let o = sandbox.shopify.order(gid).unwrap();
            o["customer"].is_null()
                && o["email"].as_str().map(str::to_lowercase).as_deref() == Some(&guests[1])
        })
        .unwrap();
    assert!(sandbox.shopify.update_order(&order, |o| {
        o["note"] = "gift wrap, please".into();
    }));
    let updated = sandbox.hubspot.stats().records_updated;
    env.run(&["initial-sync", "--profile", "shop"])
        .await
        .expect_code(0);
    assert!(
        sandbox.hubspot.stats().records_updated > updated,
        "the deal is updated"
    );
    assert!(
        sandbox
            .hubspot
            .find_by_property("contacts", "email", &guests[1])
            .is_none(),
        "the deleted guest contact is not made again"
    );
}

/// A token Shopify refuses stops the run with exit 2 before HubSpot is touched: no property,
/// no pipeline, no record.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_shopify_token_writes_nothing_to_hubspot() {
    let sandbox = common::sandbox(|_| {}).await;
    let env = Env::new()
        .with_env(
            "SHOPSYNC_SHOP_SHOPIFY_TOKEN",
            "shpat_wrong_ffffffffffffffffffff",
        )
        .with_env("SHOPSYNC_SHOP_HUBSPOT_TOKEN", common::HUBSPOT_TOKEN);
    env.profile_for(&sandbox, "");
    let properties = sandbox.hubspot.properties("contacts").len();
    let pipelines = sandbox.hubspot.pipelines("deals").len();
    let run = env.run(&["initial-sync", "--profile", "shop"]).await;
    run.expect_code(2);
    assert!(run.stderr.contains("Shopify refused"), "{}", run.stderr);
    assert_eq!(sandbox.hubspot.properties("contacts").len(), properties);
    assert_eq!(sandbox.hubspot.pipelines("deals").len(), pipelines);
    let stats = sandbox.hubspot.stats();
    assert_eq!(stats.inputs_written, 0);
    assert_eq!(stats.requests_total, 0, "HubSpot was called: {stats:?}");
}
