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

/// A sandbox without seeded orders (so only the orders a test places are "sold").
async fn no_orders() -> Sandbox {
    sandbox(|c| {
        c.seed.customers = 3;
        c.seed.products = 6;
        c.seed.orders = 0;
        c.limits_lifted = true;
    })
    .await
}

/// Gives the first variant of the `index`th product of the sandbox this SKU.
fn set_sku(sb: &Sandbox, index: usize, sku: &str) {
    let ids = sb.shopify.product_ids();
    assert!(sb.shopify.update_product(&ids[index], |p| {
        p["variants"]["__conn"][0]["sku"] = serde_json::json!(sku);
    }));
}

fn line(sku: &str) -> NewLine {
    NewLine {
        sku: sku.into(),
        quantity: 1,
        price_cents: 4900,
    }
}

fn days_ago(days: i64) -> i64 {
    chrono::Utc::now().timestamp() - days * 86_400
}

#[tokio::test]
async fn map_sku_add_import_list_and_remove() {
    let sb = no_orders().await;
    let env = huddle_env(&sb);
    let p = ["--profile", "leden"];

    let run = env
        .run(&[
            "map-sku",
            "add",
            p[0],
            p[1],
            "HUD-YEAR",
            "--levels",
            "Leden,Academy",
            "--product",
            "Jaarlidmaatschap",
        ])
        .await;
    run.expect_code(0);
    assert!(run.stdout.contains("Mapped: HUD-YEAR"), "{}", run.stdout);
    let again = env
        .run(&[
            "--json",
            "map-sku",
            "add",
            p[0],
            p[1],
            "HUD-YEAR",
            "--levels",
            "Leden,Academy",
            "--product",
            "Jaarlidmaatschap",
        ])
        .await;
    again.expect_code(0);
    assert_eq!(again.json()["action"], "unchanged");
    let bad = env
        .run(&["map-sku", "add", p[0], p[1], "  ", "--levels", "Leden"])
        .await;
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("the SKU is empty"), "{}", bad.stderr);

    // A CSV export with a bad row in the middle: reported with its line, the rest imported.
    let csv = env.dir.path().join("skus.csv");
    std::fs::write(
        &csv,
        "sku,product,levels\n\
         HUD-YEAR,Jaarlidmaatschap,Leden|Academy|Extra\n\
         HUD-MONTH,Maand,\n\
         HUD-WEEK,\"Week, proef\",Proef\n",
    )
    .unwrap();
    let csv_path = csv.to_str().unwrap();
    let run = env
        .run(&["--json", "map-sku", "import", p[0], p[1], csv_path])
        .await;
    run.expect_code(1);
    let report = run.json();
    assert_eq!(report["mode"], "merge");
    assert_eq!(report["added"], serde_json::json!(["HUD-WEEK"]));
    assert_eq!(report["updated"], serde_json::json!(["HUD-YEAR"]));
    assert_eq!(report["bad_rows"][0]["line"], 3);
    assert!(run.stderr.contains("line 3"), "{}", run.stderr);
    // The same file again changes nothing.
    let run = env
        .run(&["--json", "map-sku", "import", p[0], p[1], csv_path])
        .await;
    run.expect_code(1);
    assert_eq!(run.json()["added"], serde_json::json!([]));
    assert_eq!(run.json()["updated"], serde_json::json!([]));
    assert_eq!(run.json()["unchanged"].as_array().unwrap().len(), 2);

    let list = env.run(&["--json", "map-sku", "list", p[0], p[1]]).await;
    list.expect_code(0);
    let rows = list.json();
    assert_eq!(rows.as_array().unwrap().len(), 2);
    assert_eq!(rows[0]["sku"], "HUD-WEEK");
    assert_eq!(rows[0]["product"], "Week, proef");
    assert_eq!(
        rows[1]["levels"],
        serde_json::json!(["Leden", "Academy", "Extra"])
    );
    let table = env.run(&["map-sku", "list", p[0], p[1]]).await;
    table.expect_code(0);
    assert!(
        table.stdout.contains("Leden, Academy, Extra"),
        "{}",
        table.stdout
    );

    // --replace: the table becomes the file (a dry run first changes nothing).
    std::fs::write(&csv, "sku;levels\nHUD-WEEK;Proef\n").unwrap();
    let dry = env
        .run(&[
            "--json",
            "map-sku",
            "import",
            p[0],
            p[1],
            csv_path,
            "--replace",
            "--dry-run",
        ])
        .await;
    dry.expect_code(0);
    assert_eq!(dry.json()["removed"], serde_json::json!(["HUD-YEAR"]));
    assert_eq!(dry.json()["updated"], serde_json::json!(["HUD-WEEK"]));
    let list = env.run(&["--json", "map-sku", "list", p[0], p[1]]).await;
    assert_eq!(list.json().as_array().unwrap().len(), 2);
    env.run(&["map-sku", "import", p[0], p[1], csv_path, "--replace"])
        .await
        .expect_code(0);
    let list = env.run(&["--json", "map-sku", "list", p[0], p[1]]).await;
    assert_eq!(list.json()[0]["sku"], "HUD-WEEK");
    assert_eq!(list.json()[0]["product"], "");
    assert_eq!(list.json().as_array().unwrap().len(), 1);

    let run = env
        .run(&[
            "--json", "map-sku", "remove", p[0], p[1], "HUD-WEEK", "HUD-NONE",
        ])
        .await;
    run.expect_code(0);
    assert_eq!(run.json()[0]["action"], "removed");
    assert_eq!(run.json()[1]["action"], "absent");
    let list = env.run(&["--json", "map-sku", "list", p[0], p[1]]).await;
    assert_eq!(list.json(), serde_json::json!([]));
}

#[tokio::test]
async fn map_sku_check_finds_duplicate_missing_and_unmapped_skus() {
    let sb = no_orders().await;
    let env = huddle_env(&sb);
    let p = ["--profile", "leden"];
    let check = ["--json", "map-sku", "check", "--profile", "leden"];

    let empty = env.run(&check).await;
    assert_eq!(empty.code, 2, "{}", empty.stderr);
    assert!(empty.stderr.contains("map-sku add"), "{}", empty.stderr);

    set_sku(&sb, 0, "HUD-YEAR");
    env.run(&[
        "map-sku", "add", p[0], p[1], "HUD-YEAR", "--levels", "Leden",
    ])
    .await
    .expect_code(0);
    sb.shopify.create_order(
        "a@example.nl",
        "A",
        "Koper",
        &[line("HUD-YEAR")],
        Some(days_ago(3)),
    );
    let ok = env.run(&check).await;
    ok.expect_code(0);
    let report = ok.json();
    assert_eq!(report["ok"], true);
    assert_eq!(report["mapped"][0]["status"], "ok");
    assert_eq!(report["orders_read"], 1);

    // The same SKU on a second variant: Huddle cannot tell them apart.
    set_sku(&sb, 1, "HUD-YEAR");
    let dup = env.run(&check).await;
    dup.expect_code(5);
    assert_eq!(dup.json()["mapped"][0]["status"], "duplicate");
    assert_eq!(
        dup.json()["mapped"][0]["variants"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let table = env.run(&["map-sku", "check", "--profile", "leden"]).await;
    table.expect_code(5);
    assert!(
        table.stdout.contains("2 variants have the SKU HUD-YEAR"),
        "{}",
        table.stdout
    );
    set_sku(&sb, 1, "OTHER-1");

    // A mapped SKU no variant has (one differs only in case), and a sold SKU nobody mapped.
    set_sku(&sb, 2, "hud-month");
    env.run(&[
        "map-sku",
        "add",
        p[0],
        p[1],
        "HUD-MONTH",
        "--levels",
        "Maand",
    ])
    .await
    .expect_code(0);
    sb.shopify.create_order(
        "b@example.nl",
        "B",
        "Koper",
        &[line("HUD-YEAR"), line("T-SHIRT-9")],
        Some(days_ago(2)),
    );
    // An order paid before --since does not count.
    sb.shopify.create_order(
        "c@example.nl",
        "C",
        "Koper",
        &[line("OLD-SKU")],
        Some(days_ago(40)),
    );
    let since = chrono::Utc::now() - chrono::Duration::days(10);
    let since = since.format("%Y-%m-%d").to_string();
    let bad = env.run(&[&check[..], &["--since", &since]].concat()).await;
    bad.expect_code(5);
    let report = bad.json();
    assert_eq!(report["problems"], 2);
    assert_eq!(report["mapped"][0]["sku"], "HUD-MONTH");
    assert_eq!(report["mapped"][0]["status"], "missing");
    assert!(report["mapped"][0]["message"]
        .as_str()
        .unwrap()
        .contains("hud-month"));
    assert_eq!(report["mapped"][1]["status"], "ok");
    assert_eq!(report["sold_unmapped"][0]["sku"], "T-SHIRT-9");
    assert_eq!(report["sold_unmapped"].as_array().unwrap().len(), 1);

    // --allow-unmapped: sold but unmapped SKUs are notes; the missing SKU is still a problem.
    set_sku(&sb, 2, "HUD-MONTH");
    let allowed = env
        .run(&[&check[..], &["--since", &since, "--allow-unmapped"]].concat())
        .await;
    allowed.expect_code(0);
    assert_eq!(allowed.json()["sold_unmapped"][0]["sku"], "T-SHIRT-9");
}
