//! Shopify -> Huddle: `shopsync webhook register | list | delete` against the fakes, and the
//! end-to-end delivery of a paid order to Huddle.

mod common;

use common::{sandbox, Env, Sandbox, SHOPIFY_TOKEN};
use shopsync_sandbox::huddle::DEFAULT_API_KEY;
use shopsync_sandbox::shopify::webhooks::NewLine;

fn huddle_env(sb: &Sandbox) -> Env {
    let env = Env::new()
        .with_env("SHOPSYNC_LEDEN_SHOPIFY_TOKEN", SHOPIFY_TOKEN)
        .with_env("SHOPSYNC_LEDEN_HUDDLE_TOKEN", DEFAULT_API_KEY);
    env.write_config(&format!(
        r#"
[profiles.leden]
source = "shopify"
target = "huddle"

[profiles.leden.shopify]
shop = "sandbox-store.myshopify.com"
base_url = "{}"

[profiles.leden.huddle]
domain = "leden.example.nl"
base_url = "{}"
"#,
        sb.shopify_url(),
        sb.huddle_url()
    ));
    env
}

async fn small() -> Sandbox {
    sandbox(|c| {
        c.seed.customers = 5;
        c.seed.products = 5;
        c.seed.orders = 5;
        c.limits_lifted = true;
    })
    .await
}

#[tokio::test]
async fn register_is_idempotent_masks_the_key_and_replaces_an_old_address() {
    let sb = small().await;
    let env = huddle_env(&sb);

    let dry = env
        .run(&[
            "--json",
            "webhook",
            "register",
            "--profile",
            "leden",
            "--dry-run",
        ])
        .await;
    dry.expect_code(0);
    assert_eq!(dry.json()["action"], "would_create");
    assert!(sb.shopify.webhook_subscriptions().is_empty());

    let run = env
        .run(&["webhook", "register", "--profile", "leden"])
        .await;
    run.expect_code(0);
    assert!(run.stdout.contains("Created webhook"), "{}", run.stdout);
    assert!(
        run.stdout.contains("/membership/create/***"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains(DEFAULT_API_KEY));
    let subs = sb.shopify.webhook_subscriptions();
    assert_eq!(subs.len(), 1);
    assert_eq!(subs[0]["topic"], "ORDERS_PAID");
    assert_eq!(subs[0]["format"], "JSON");
    assert_eq!(
        subs[0]["uri"],
        format!("{}/membership/create/{DEFAULT_API_KEY}", sb.huddle_url())
    );

    let again = env
        .run(&["--json", "webhook", "register", "--profile", "leden"])
        .await;
    again.expect_code(0);
    assert_eq!(again.json()["action"], "unchanged");
    assert_eq!(sb.shopify.webhook_subscriptions().len(), 1);

    // A new API key: the old subscription is reported, and replaced only with --replace.
    let rotated = env.with_env("SHOPSYNC_LEDEN_HUDDLE_TOKEN", "hdl_new_key_9876543210");
    let run = rotated
        .run(&["webhook", "register", "--profile", "leden"])
        .await;
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("--replace"), "{}", run.stderr);
    assert!(!run.stdout.contains("hdl_new_key_9876543210"));
    assert!(!run.stderr.contains(DEFAULT_API_KEY));
    let run = rotated
        .run(&[
            "--json",
            "webhook",
            "register",
            "--profile",
            "leden",
            "--replace",
        ])
        .await;
    run.expect_code(0);
    assert_eq!(run.json()["action"], "updated");
    assert!(!run.stdout.contains("hdl_new_key_9876543210"));
    let subs = sb.shopify.webhook_subscriptions();
    assert_eq!(subs.len(), 1);
    assert!(subs[0]["uri"]
        .as_str()
        .unwrap()
        .ends_with("/hdl_new_key_9876543210"));

    let list = rotated
        .run(&["--json", "webhook", "list", "--profile", "leden"])
        .await;
    list.expect_code(0);
    let rows = list.json();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["topic"], "ORDERS_PAID");
    assert_eq!(rows[0]["api_version"], "2026-10");
    assert!(rows[0]["uri"]
        .as_str()
        .unwrap()
        .ends_with("/membership/create/***"));
    let table = rotated
        .run(&["webhook", "list", "--profile", "leden"])
        .await;
    table.expect_code(0);
    assert!(table.stdout.contains("ORDERS_PAID"), "{}", table.stdout);
    assert!(!table.stdout.contains("hdl_new_key_9876543210"));

    let del = rotated
        .run(&["--json", "webhook", "delete", "--profile", "leden"])
        .await;
    del.expect_code(0);
    assert_eq!(del.json()["action"], "deleted");
    assert!(sb.shopify.webhook_subscriptions().is_empty());
    let del = rotated
        .run(&["--json", "webhook", "delete", "--profile", "leden"])
        .await;
    del.expect_code(0);
    assert_eq!(del.json()["action"], "absent");
}

#[tokio::test]
async fn a_registered_webhook_brings_a_paid_order_to_huddle() {
    let sb = small().await;
    sb.huddle
        .add_webhook_product("Jaarlidmaatschap", "HUD-YEAR", &["Leden"]);
    let env = huddle_env(&sb);
    env.run(&["webhook", "register", "--profile", "leden"])
        .await
        .expect_code(0);
    let order = sb.shopify.create_order(
        "koper@example.nl",
        "Kees",
        "Koper",
        &[NewLine {
            sku: "HUD-YEAR".into(),
            quantity: 1,
            price_cents: 9900,
        }],
        None,
    );
    let deliveries = sb.shopify.mark_order_paid(&order).await.unwrap();
    assert_eq!(deliveries[0].status, Some(200));
    let m = sb.huddle.membership("koper@example.nl").unwrap();
    assert!(m.levels.contains("Leden"));
}

#[tokio::test]
async fn a_profile_without_a_huddle_key_says_how_to_set_it() {
    let sb = small().await;
    let env = Env::new().with_env("SHOPSYNC_LEDEN_SHOPIFY_TOKEN", SHOPIFY_TOKEN);
    let with_key = huddle_env(&sb);
    std::fs::copy(with_key.config_path(), env.config_path()).unwrap();
    let run = env
        .run(&["webhook", "register", "--profile", "leden"])
        .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("SHOPSYNC_LEDEN_HUDDLE_TOKEN"),
        "{}",
        run.stderr
    );
}
