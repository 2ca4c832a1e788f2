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
    assert_eq!(del.json()[0]["action"], "deleted");
    assert_eq!(del.json().as_array().unwrap().len(), 1);
    assert!(sb.shopify.webhook_subscriptions().is_empty());
    let del = rotated
        .run(&["--json", "webhook", "delete", "--profile", "leden"])
        .await;
    del.expect_code(0);
    assert_eq!(del.json(), serde_json::json!([]));
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

    // A SKU no variant has at all: the message says how to find the right one.
    set_sku(&sb, 2, "OTHER-2");
    let gone = env
        .run(&[&check[..], &["--since", &since, "--allow-unmapped"]].concat())
        .await;
    gone.expect_code(5);
    let report = gone.json();
    assert_eq!(report["mapped"][0]["status"], "missing");
    assert!(
        report["mapped"][0]["message"]
            .as_str()
            .unwrap()
            .ends_with("find the right one with `shopsync skus --profile leden --search WORD`"),
        "{report:#}"
    );
}

/// A Huddle profile with the app secret, SKUs mapped and shop products carrying them.
async fn backfill_setup() -> (Sandbox, Env) {
    let sb = no_orders().await;
    sb.huddle
        .add_webhook_product("Jaarlidmaatschap", "HUD-YEAR", &["Leden", "Academy"]);
    sb.huddle
        .add_webhook_product("Maandlidmaatschap", "HUD-MONTH", &["Leden"]);
    set_sku(&sb, 0, "HUD-YEAR");
    set_sku(&sb, 1, "HUD-MONTH");
    let env = huddle_env(&sb).with_env(
        "SHOPSYNC_LEDEN_SHOPIFY_SECRET_TOKEN",
        &sb.shopify.app_secret(),
    );
    (sb, env)
}

fn requests_for(sb: &Sandbox, order_gid: &str) -> Vec<shopsync_sandbox::huddle::Received> {
    let id: u64 = order_gid.rsplit('/').next().unwrap().parse().unwrap();
    sb.huddle
        .received()
        .into_iter()
        .filter(|r| {
            serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["id"].as_u64() == Some(id)
        })
        .collect()
}

#[tokio::test]
async fn paid_orders_reach_huddle_by_webhook_and_older_ones_by_backfill_once() {
    let (sb, env) = backfill_setup().await;
    let p = ["--profile", "leden"];
    // The table: one SKU by hand, one from a file; the shop agrees with it.
    env.run(&[
        "map-sku",
        "add",
        p[0],
        p[1],
        "HUD-YEAR",
        "--levels",
        "Leden,Academy",
    ])
    .await
    .expect_code(0);
    let csv = env.dir.path().join("skus.csv");
    std::fs::write(
        &csv,
        "sku,product,levels\nHUD-MONTH,Maandlidmaatschap,Leden\n",
    )
    .unwrap();
    env.run(&["map-sku", "import", p[0], p[1], csv.to_str().unwrap()])
        .await
        .expect_code(0);

    // Paid before the webhook existed (and one unpaid, one without a mapped SKU, one too old).
    let old1 = sb.shopify.create_order(
        "an@example.nl",
        "An",
        "Oud",
        &[line("HUD-YEAR")],
        Some(days_ago(20)),
    );
    let old2 = sb.shopify.create_order(
        "bo@example.nl",
        "Bo",
        "Oud",
        &[line("T-SHIRT"), line("HUD-MONTH")],
        Some(days_ago(10)),
    );
    let old3 = sb.shopify.create_order(
        "an@example.nl",
        "An",
        "Oud",
        &[line("HUD-MONTH")],
        Some(days_ago(5)),
    );
    let unmapped = sb.shopify.create_order(
        "cy@example.nl",
        "Cy",
        "Oud",
        &[line("T-SHIRT")],
        Some(days_ago(4)),
    );
    let unpaid = sb
        .shopify
        .create_order("di@example.nl", "Di", "Oud", &[line("HUD-YEAR")], None);
    let too_old = sb.shopify.create_order(
        "ed@example.nl",
        "Ed",
        "Oud",
        &[line("HUD-YEAR")],
        Some(days_ago(90)),
    );
    env.run(&[
        "map-sku",
        "check",
        p[0],
        p[1],
        "--since",
        &date_days_ago(100),
        "--allow-unmapped",
    ])
    .await
    .expect_code(0);

    // The webhook, then a new paid order: Shopify itself delivers it.
    env.run(&["webhook", "register", p[0], p[1]])
        .await
        .expect_code(0);
    let new = sb
        .shopify
        .create_order("fe@example.nl", "Fe", "Nieuw", &[line("HUD-YEAR")], None);
    let deliveries = sb.shopify.mark_order_paid(&new).await.unwrap();
    assert_eq!(deliveries[0].status, Some(200));
    assert!(sb
        .huddle
        .membership("fe@example.nl")
        .unwrap()
        .levels
        .contains("Academy"));

    let since = date_days_ago(60);
    let replay = |extra: &[&str]| {
        let mut args = vec![
            "--json",
            "webhook",
            "replay",
            "--profile",
            "leden",
            "--since",
            &since,
        ];
        args.extend_from_slice(extra);
        args.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let run_replay = |extra: &'static [&'static str]| {
        let args = replay(extra);
        let env = &env;
        async move {
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            env.run(&refs).await
        }
    };

    let dry = run_replay(&["--dry-run"]).await;
    dry.expect_code(0);
    let report = dry.json();
    assert_eq!(report["until_from"], "webhook");
    let names: Vec<&str> = report["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["action"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["would_send"; 3], "{report:#}");
    // Shopify's search is asked only for orders with a mapped SKU (`sku:` filter): the paid
    // order without one is not even read.
    assert_eq!(report["orders_read"], 3, "{report:#}");
    assert_eq!(report["without_mapped_sku"], 0);
    let before = sb.huddle.received().len();
    assert_eq!(before, 1, "a dry run sends nothing");

    let run = run_replay(&[]).await;
    run.expect_code(0);
    let report = run.json();
    assert_eq!(report["counts"]["sent"], 3, "{report:#}");
    assert_eq!(report["signed"], true);
    for (gid, sent) in [
        (&old1, true),
        (&old2, true),
        (&old3, true),
        (&unmapped, false),
        (&unpaid, false),
        (&too_old, false),
        (&new, true),
    ] {
        assert_eq!(requests_for(&sb, gid).len(), usize::from(sent), "{gid}");
    }
    let an = sb.huddle.membership("an@example.nl").unwrap();
    assert_eq!(an.welcome_emails, 1);
    assert_eq!(an.orders.len(), 2);
    assert!(an.levels.contains("Academy") && an.levels.contains("Leden"));
    assert!(sb.huddle.membership("bo@example.nl").is_some());
    assert!(sb.huddle.membership("cy@example.nl").is_none());
    assert!(sb.huddle.membership("di@example.nl").is_none());

    // Sent like Shopify sends: its headers, signed with the app secret, the REST order JSON.
    let req = &requests_for(&sb, &old2)[0];
    let h = |k: &str| req.headers.get(k).cloned().unwrap_or_default();
    assert_eq!(h("x-shopify-topic"), "orders/paid");
    assert_eq!(h("x-shopify-shop-domain"), "sandbox-store.myshopify.com");
    assert_eq!(h("x-shopify-api-version"), "2026-10");
    assert_eq!(h("content-type"), "application/json");
    assert_eq!(h("x-shopify-webhook-id").len(), 36);
    assert!(chrono::DateTime::parse_from_rfc3339(&h("x-shopify-triggered-at")).is_ok());
    assert_eq!(
        h("x-shopify-hmac-sha256"),
        shopsync_sandbox::shopify::webhooks::sign(&sb.shopify.app_secret(), req.body.as_bytes())
    );
    let body: serde_json::Value = serde_json::from_str(&req.body).unwrap();
    let fake = sb.shopify.rest_order(&old2).unwrap();
    for key in [
        "id",
        "admin_graphql_api_id",
        "name",
        "email",
        "financial_status",
        "total_price",
        "currency",
        "created_at",
    ] {
        assert_eq!(body[key], fake[key], "{key}");
    }
    assert_eq!(body["customer"]["email"], "bo@example.nl");
    assert_eq!(body["customer"]["first_name"], "Bo");
    let skus: Vec<&str> = body["line_items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["sku"].as_str().unwrap())
        .collect();
    assert_eq!(skus, vec!["T-SHIRT", "HUD-MONTH"]);
    assert_eq!(
        body["line_items"][1]["price"],
        fake["line_items"][1]["price"]
    );

    // Again: nothing is sent twice.
    let again = run_replay(&[]).await;
    again.expect_code(0);
    assert_eq!(again.json()["counts"]["already_sent"], 3);
    assert_eq!(sb.huddle.received().len(), 4);
    let table = env
        .run(&["webhook", "replay", "--profile", "leden", "--since", &since])
        .await;
    table.expect_code(0);
    assert!(table.stdout.contains("already sent"), "{}", table.stdout);
    assert_eq!(sb.huddle.received().len(), 4);

    // An explicit resend sends one order again, with the same webhook id.
    let name = sb.shopify.order(&old1).unwrap()["name"]
        .as_str()
        .unwrap()
        .to_string();
    let first_id = requests_for(&sb, &old1)[0].headers["x-shopify-webhook-id"].clone();
    let args = replay(&[]);
    let mut refs: Vec<&str> = args.iter().map(String::as_str).collect();
    refs.extend(["--resend", &name]);
    let forced = env.run(&refs).await;
    forced.expect_code(0);
    assert_eq!(forced.json()["counts"]["sent"], 1);
    let sent = requests_for(&sb, &old1);
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].headers["x-shopify-webhook-id"], first_id);
}

/// An order placed before the webhook existed but paid after it: Shopify delivered it when it
/// was paid, so a backfill must not send it a second time (a second membership e-mail).
#[tokio::test]
async fn an_order_placed_before_the_webhook_but_paid_after_it_is_left_to_shopify() {
    let (sb, env) = backfill_setup().await;
    env.run(&[
        "map-sku",
        "add",
        "--profile",
        "leden",
        "HUD-YEAR",
        "--levels",
        "Leden,Academy",
    ])
    .await
    .expect_code(0);
    let placed = iso_days_ago(3);
    let late = sb
        .shopify
        .create_order("la@example.nl", "La", "Laat", &[line("HUD-YEAR")], None);
    assert!(sb.shopify.update_order(&late, |o| {
        o["createdAt"] = serde_json::json!(placed);
        o["processedAt"] = serde_json::json!(placed);
    }));
    let early = sb.shopify.create_order(
        "vr@example.nl",
        "Vr",
        "Oeg",
        &[line("HUD-YEAR")],
        Some(days_ago(4)),
    );
    env.run(&["webhook", "register", "--profile", "leden"])
        .await
        .expect_code(0);
    let deliveries = sb.shopify.mark_order_paid(&late).await.unwrap();
    assert_eq!(deliveries[0].status, Some(200));
    assert_eq!(requests_for(&sb, &late).len(), 1);

    let since = date_days_ago(30);
    let args = [
        "--json",
        "webhook",
        "replay",
        "--profile",
        "leden",
        "--since",
        &since,
    ];
    let dry = env.run(&[&args[..], &["--dry-run"]].concat()).await;
    dry.expect_code(0);
    let report = dry.json();
    let action = |gid: &str| {
        report["orders"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["order_id"] == gid)
            .map(|o| o["action"].as_str().unwrap().to_string())
    };
    assert_eq!(
        action(&late).as_deref(),
        Some("paid_after_window"),
        "{report:#}"
    );
    assert_eq!(action(&early).as_deref(), Some("would_send"), "{report:#}");

    let run = env.run(&args).await;
    run.expect_code(0);
    let report = run.json();
    assert_eq!(report["counts"]["sent"], 1, "{report:#}");
    assert_eq!(report["counts"]["paid_after_window"], 1, "{report:#}");
    assert_eq!(requests_for(&sb, &late).len(), 1, "sent by Shopify only");
    assert_eq!(requests_for(&sb, &early).len(), 1);
    assert_eq!(
        sb.huddle
            .membership("la@example.nl")
            .unwrap()
            .welcome_emails,
        1
    );
}

fn iso_days_ago(days: i64) -> String {
    chrono::DateTime::from_timestamp(days_ago(days), 0)
        .unwrap()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn date_days_ago(days: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

#[tokio::test]
async fn a_killed_send_is_reported_uncertain_and_never_repeated_on_its_own() {
    let (sb, env) = backfill_setup().await;
    env.run(&[
        "map-sku",
        "add",
        "--profile",
        "leden",
        "HUD-YEAR",
        "--levels",
        "Leden",
    ])
    .await
    .expect_code(0);
    let order = sb.shopify.create_order(
        "an@example.nl",
        "An",
        "Oud",
        &[line("HUD-YEAR")],
        Some(days_ago(3)),
    );
    let since = date_days_ago(30);
    let args = [
        "--json",
        "webhook",
        "replay",
        "--profile",
        "leden",
        "--since",
        since.as_str(),
    ];

    // Huddle hangs; the run is killed while it waits for the answer.
    sb.huddle.set_delay(std::time::Duration::from_secs(30));
    let mut child = env.command(&args).spawn().unwrap();
    let db = env.state_dir().join("leden.sqlite");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let sending =
            rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .and_then(|c| {
                    c.query_row(
                        "SELECT count(*) FROM huddle_sends WHERE status = 'sending'",
                        [],
                        |r| r.get::<_, i64>(0),
                    )
                })
                .unwrap_or(0);
        if sending == 1 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the send never started"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    child.start_kill().unwrap();
    child.wait().await.unwrap();
    sb.huddle.set_delay(std::time::Duration::ZERO);
    let seen_before = sb.huddle.received().len();

    let run = env.run(&args).await;
    run.expect_code(1);
    let report = run.json();
    assert_eq!(report["orders"][0]["action"], "uncertain", "{report:#}");
    let detail = report["orders"][0]["detail"].as_str().unwrap();
    assert!(detail.contains("--resend"), "{detail}");
    assert_eq!(
        sb.huddle.received().len(),
        seen_before,
        "not sent again on its own"
    );
    let table = env
        .run(&["webhook", "replay", "--profile", "leden", "--since", &since])
        .await;
    table.expect_code(1);
    assert!(table.stdout.contains("uncertain"), "{}", table.stdout);
    assert_eq!(sb.huddle.received().len(), seen_before);

    // Asked explicitly, it goes.
    let forced = env
        .run(&[&args[..], &["--resend-uncertain"]].concat())
        .await;
    forced.expect_code(0);
    assert_eq!(forced.json()["counts"]["sent"], 1);
    assert_eq!(
        requests_for(&sb, &order)
            .iter()
            .filter(|r| r.status == 200)
            .count(),
        1
    );
    let again = env.run(&args).await;
    again.expect_code(0);
    assert_eq!(again.json()["counts"]["already_sent"], 1);
}

#[tokio::test]
async fn huddle_errors_are_reported_per_order_and_retried_safely() {
    let (sb, env) = backfill_setup().await;
    env.run(&[
        "map-sku",
        "add",
        "--profile",
        "leden",
        "HUD-YEAR",
        "--levels",
        "Leden",
    ])
    .await
    .expect_code(0);
    let a = sb.shopify.create_order(
        "an@example.nl",
        "An",
        "Oud",
        &[line("HUD-YEAR")],
        Some(days_ago(6)),
    );
    let b = sb
        .shopify
        .create_order("", "Bo", "Zonder", &[line("HUD-YEAR")], Some(days_ago(5)));
    let since = date_days_ago(30);
    let args = [
        "--json",
        "webhook",
        "replay",
        "--profile",
        "leden",
        "--since",
        since.as_str(),
    ];

    // A wrong API key: a clear error, nothing created, and the next run (right key) sends it.
    let env = env.with_env("SHOPSYNC_LEDEN_HUDDLE_TOKEN", "hdl_wrong_key_000000000000");
    let run = env.run(&args).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("HTTP 401"), "{}", run.stderr);
    assert!(
        run.stderr.contains("auth set leden huddle"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("hdl_wrong_key_000000000000"),
        "{}",
        run.stderr
    );
    assert!(!run.stdout.contains("hdl_wrong_key_000000000000"));
    assert_eq!(run.json()["counts"]["failed"], 1);
    assert!(sb.huddle.memberships().is_empty());

    // Huddle answers 503 twice: retried within the run, delivered once. The order without an
    // e-mail is refused (422): reported, the run goes on, and exit 1.
    let env = env.with_env("SHOPSYNC_LEDEN_HUDDLE_TOKEN", DEFAULT_API_KEY);
    sb.huddle.fail_next(2, 503);
    let run = env.run(&args).await;
    run.expect_code(1);
    let report = run.json();
    assert_eq!(report["counts"]["sent"], 1, "{report:#}");
    assert_eq!(report["counts"]["failed"], 1);
    let refused = report["orders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["action"] == "failed")
        .unwrap();
    assert_eq!(refused["http_status"], 422);
    assert_eq!(requests_for(&sb, &a).len(), 4, "401, 503, 503, 200");
    assert_eq!(
        sb.huddle.membership("an@example.nl").unwrap().orders.len(),
        1
    );
    assert_eq!(requests_for(&sb, &b).len(), 1);

    // Huddle down for good: the run stops at the first order instead of marking them all.
    let c = sb.shopify.create_order(
        "cy@example.nl",
        "Cy",
        "Oud",
        &[line("HUD-YEAR")],
        Some(days_ago(4)),
    );
    sb.huddle.fail_next(100, 500);
    let run = env.run(&args).await;
    run.expect_code(1);
    assert!(run.stderr.contains("did not take order"), "{}", run.stderr);
    assert!(run.json()["stopped"].is_string());
    sb.huddle.fail_next(0, 500);
    let run = env.run(&args).await;
    let report = run.json();
    assert_eq!(report["counts"]["sent"], 1, "{report:#}");
    assert_eq!(
        requests_for(&sb, &c)
            .iter()
            .filter(|r| r.status == 200)
            .count(),
        1
    );
}

#[tokio::test]
async fn auth_status_lists_a_huddle_profiles_own_credentials() {
    let sb = no_orders().await;
    let env = huddle_env(&sb);
    let run = env.run(&["--json", "auth", "status", "leden"]).await;
    run.expect_code(0);
    let rows = run.json();
    let systems: Vec<(&str, bool)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["system"].as_str().unwrap(), r["set"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        systems,
        vec![
            ("shopify", true),
            ("huddle", true),
            ("shopify-secret", false)
        ]
    );
    let all = env.run(&["auth", "status"]).await;
    all.expect_code(0);
    assert!(!all.stdout.contains("hubspot"), "{}", all.stdout);
    assert!(!all.stdout.contains(DEFAULT_API_KEY));
}

#[tokio::test]
async fn webhook_list_masks_the_huddle_key_kept_in_the_keyring_in_any_address() {
    let sb = small().await;
    // The key is only in the credential store, not in the environment.
    let env = Env::new().with_env("SHOPSYNC_LEDEN_SHOPIFY_TOKEN", SHOPIFY_TOKEN);
    std::fs::copy(huddle_env(&sb).config_path(), env.config_path()).unwrap();
    let mut cmd = env.command(&["auth", "set", "leden", "huddle", "--stdin"]);
    cmd.stdin(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    {
        use tokio::io::AsyncWriteExt;
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(DEFAULT_API_KEY.as_bytes()).await.unwrap();
    }
    assert!(child.wait().await.unwrap().success());
    env.run(&["webhook", "register", "--profile", "leden"])
        .await
        .expect_code(0);
    // Two more subscriptions someone made by hand: another host, and the key in a query.
    let client = reqwest::Client::new();
    for uri in [
        format!("https://old-huddle.example/membership/create/{DEFAULT_API_KEY}"),
        format!("https://proxy.example/forward?to=huddle&key={DEFAULT_API_KEY}"),
    ] {
        let body = serde_json::json!({
            "query": "mutation($s: WebhookSubscriptionInput!) { webhookSubscriptionCreate(topic: ORDERS_CREATE, webhookSubscription: $s) { userErrors { message } } }",
            "variables": {"s": {"uri": uri, "format": "JSON"}},
        });
        let answer: serde_json::Value = client
            .post(format!(
                "{}/admin/api/2026-10/graphql.json",
                sb.shopify_url()
            ))
            .header("X-Shopify-Access-Token", SHOPIFY_TOKEN)
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            answer["data"]["webhookSubscriptionCreate"]["userErrors"],
            serde_json::json!([]),
            "{answer}"
        );
    }
    for args in [
        &["--json", "webhook", "list", "--profile", "leden"][..],
        &["webhook", "list", "--profile", "leden"][..],
    ] {
        let run = env.run(args).await;
        run.expect_code(0);
        assert!(!run.stdout.contains(DEFAULT_API_KEY), "{}", run.stdout);
        assert!(
            run.stdout
                .contains("old-huddle.example/membership/create/***"),
            "{}",
            run.stdout
        );
        assert!(run.stdout.contains("key=***"), "{}", run.stdout);
    }
}

#[tokio::test]
async fn doctor_checks_a_huddle_profiles_own_systems() {
    let sb = small().await;
    let env = huddle_env(&sb);
    let run = env.run(&["--json", "doctor", "--profile", "leden"]).await;
    let report = run.json();
    let checks: Vec<(String, String)> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["check"].as_str().unwrap().to_string(),
                c["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let status = |name: &str| {
        checks
            .iter()
            .find(|(c, _)| c == name)
            .map(|(_, s)| s.as_str())
            .unwrap_or("absent")
    };
    assert_eq!(status("huddle.credential"), "ok", "{report:#}");
    assert_eq!(status("shopify-secret.credential"), "ok", "{report:#}");
    assert_eq!(status("huddle.host"), "ok", "{report:#}");
    assert_eq!(status("shopify.token"), "ok", "{report:#}");
    assert_eq!(status("hubspot.credential"), "absent", "{report:#}");
    assert!(!checks.iter().any(|(c, _)| c.starts_with("hubspot.")));
    assert!(!run.stdout.contains(DEFAULT_API_KEY));

    // A Huddle that does not answer is an error with the fix.
    let down = Env::new()
        .with_env("SHOPSYNC_LEDEN_SHOPIFY_TOKEN", SHOPIFY_TOKEN)
        .with_env("SHOPSYNC_LEDEN_HUDDLE_TOKEN", DEFAULT_API_KEY);
    let text = std::fs::read_to_string(env.config_path())
        .unwrap()
        .replace(&sb.huddle_url(), "http://127.0.0.1:9");
    down.write_config(&text);
    let run = down.run(&["doctor", "--profile", "leden"]).await;
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("huddle.host"), "{}", run.stdout);
    assert!(
        run.stdout.contains("[profiles.leden.huddle]"),
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn initial_sync_on_a_huddle_profile_names_the_huddle_commands() {
    let sb = small().await;
    let env = huddle_env(&sb);
    let run = env.run(&["initial-sync", "--profile", "leden"]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("webhook register --profile leden"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("webhook replay --profile leden --since DATE"),
        "{}",
        run.stderr
    );
}
