//! HostedShop (Wannafind) customers <-> Heyloyalty members, end to end against the fakes: the
//! three list strategies, the two-way round trip without echoes, unsubscribes flowing back,
//! conflicts under each policy, new subscribers and imported members, bad input.

mod common;

use common::{Env, Sandbox};
use serde_json::{json, Value};
use shopsync_sandbox::heyloyalty::Member;

async fn start() -> Sandbox {
    common::sandbox(|c| {
        c.seed.customers = 1;
        c.seed.products = 1;
        c.seed.orders = 1;
    })
    .await
}

fn env(sb: &Sandbox, strategy: &str, extra: &str) -> Env {
    let env = Env::new()
        .with_env(
            "SHOPSYNC_SHOP_HOSTEDSHOP_USER_TOKEN",
            &sb.hostedshop.username(),
        )
        .with_env(
            "SHOPSYNC_SHOP_HOSTEDSHOP_PASSWORD_TOKEN",
            &sb.hostedshop.password(),
        )
        .with_env(
            "SHOPSYNC_SHOP_HEYLOYALTY_KEY_TOKEN",
            &sb.heyloyalty.api_key(),
        )
        .with_env(
            "SHOPSYNC_SHOP_HEYLOYALTY_SECRET_TOKEN",
            &sb.heyloyalty.api_secret(),
        );
    env.write_config(&format!(
        r#"
[profiles.shop]
source = "hostedshop"
target = "heyloyalty"

[profiles.shop.hostedshop]
endpoint = "{}"
calls_per_second = 500

[profiles.shop.heyloyalty]
base_url = "{}/loyalty"
requests_per_second = 200
list_strategy = "{strategy}"
list = "Webshop"
{extra}
"#,
        sb.hostedshop_url(),
        sb.heyloyalty_url()
    ));
    env
}

fn value<'a>(m: &'a Member, field: &str) -> Option<&'a str> {
    m.fields.get(field).and_then(|v| v.as_str())
}

fn member(sb: &Sandbox, list: &str, email: &str) -> Member {
    let l = sb.heyloyalty.list_by_name(list).expect("the list exists");
    sb.heyloyalty
        .member_by_email(l.id, email)
        .unwrap_or_else(|| panic!("{email} is a member of {list}"))
}

fn user_id(sb: &Sandbox, email: &str) -> i64 {
    sb.hostedshop.user_by_email(email).unwrap()["Id"]
        .parse()
        .unwrap()
}

#[tokio::test]
async fn per_group_lists_only_for_groups_with_permission_and_a_later_group_next_run() {
    let sb = start().await;
    let env = env(&sb, "per_group", "");
    let run = env.run(&["sync", "--profile", "shop", "--json"]);
    let out = run.await;
    out.expect_code(0);
    let mut names: Vec<String> = sb
        .heyloyalty
        .lists()
        .iter()
        .map(|l| l.name.clone())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["Forhandlere", "Kunder"],
        "no list for VIP: nobody there has permission"
    );
    let kunder = sb.heyloyalty.list_by_name("Kunder").unwrap();
    let forhandlere = sb.heyloyalty.list_by_name("Forhandlere").unwrap();
    assert_eq!(sb.heyloyalty.members(kunder.id).len(), 4);
    assert_eq!(sb.heyloyalty.members(forhandlere.id).len(), 2);
    assert_eq!(sb.heyloyalty.all_members().len(), 6);
    // Every field of the seed, including the computed ones, from the shop's orders.
    let anna = member(&sb, "Kunder", "anna@example.dk");
    let expected = [
        ("firstname", "Anna"),
        ("lastname", "Jensen"),
        ("address", "Vestergade 1"),
        ("city", "Aarhus"),
        ("country", "53"),
        ("mobile", "20304050"),
        ("birthdate", "1985-04-12"),
        ("postalcode", "8000"),
        ("sex", "2"),
        ("customer_group", "Kunder"),
        ("total_orders", "2"),
        ("total_products", "7"),
        ("avg_products_per_order", "3.50"),
        ("avg_order_value", "115.00"),
        ("last_order_amount", "100.00"),
        ("total_spent", "230.00"),
        ("first_purchase_date", "2025-03-01"),
        ("last_purchase_date", "2025-06-15"),
    ];
    for (field, v) in expected {
        assert_eq!(value(&anna, field), Some(v), "{field}");
    }
    assert_eq!(
        value(&anna, "customer_id"),
        Some(user_id(&sb, "anna@example.dk").to_string().as_str())
    );
    let report = out.json();
    assert_eq!(report["counts"]["members_created"], 6);
    assert_eq!(report["counts"]["customers_created"], 0);

    // A second run writes nothing.
    let patches = sb.heyloyalty.count("PATCH member");
    let posts = sb.heyloyalty.count("POST members");
    let updates = sb.hostedshop.calls("User_Update");
    let again = env.run(&["sync", "--profile", "shop", "--json"]).await;
    again.expect_code(0);
    assert_eq!(again.json()["counts"]["members_updated"], 0);
    assert_eq!(sb.heyloyalty.count("PATCH member"), patches);
    assert_eq!(sb.heyloyalty.count("POST members"), posts);
    assert_eq!(sb.hostedshop.calls("User_Update"), updates);

    // A VIP customer with permission: the VIP list comes with the next run.
    sb.hostedshop.add_user(&[
        ("Email", "vip@example.dk"),
        ("Firstname", "Vera"),
        ("UserGroupId", "3"),
        ("Newsletter", "true"),
    ]);
    env.run(&["sync", "--profile", "shop"]).await.expect_code(0);
    let vip = sb.heyloyalty.list_by_name("VIP").expect("VIP list created");
    assert_eq!(sb.heyloyalty.members(vip.id).len(), 1);
    assert_eq!(sb.heyloyalty.all_members().len(), 7);
}

/// A customer who moves to another customer group leaves the old group's list and joins the
/// new one's: one member, in the right list, the dry run showing both.
#[tokio::test]
async fn a_customer_moved_to_another_group_changes_lists() {
    let sb = start().await;
    let env = env(&sb, "per_group", "");
    env.run(&["sync", "--profile", "shop"]).await.expect_code(0);
    let kunder = sb.heyloyalty.list_by_name("Kunder").unwrap();
    let forhandlere = sb.heyloyalty.list_by_name("Forhandlere").unwrap();
    assert_eq!(sb.heyloyalty.members(kunder.id).len(), 4);
    assert_eq!(sb.heyloyalty.members(forhandlere.id).len(), 2);

    let anna = user_id(&sb, "anna@example.dk");
    let group = forhandlere_group(&sb);
    sb.hostedshop
        .update_user(anna, &[("UserGroupId", group.to_string().as_str())]);

    let dry = env
        .run(&["sync", "--profile", "shop", "--dry-run", "--json"])
        .await;
    let plan = dry.json();
    assert_eq!(plan["counts"]["members_removed"], 1, "{plan:#}");
    assert_eq!(plan["counts"]["members_created"], 1, "{plan:#}");
    assert_eq!(
        sb.heyloyalty.members(kunder.id).len(),
        4,
        "a dry run writes nothing"
    );

    let run = env.run(&["sync", "--profile", "shop", "--json"]).await;
    run.expect_code(0);
    assert!(
        sb.heyloyalty
            .member_by_email(kunder.id, "anna@example.dk")
            .is_none(),
        "Anna left the Kunder list"
    );
    let moved = member(&sb, "Forhandlere", "anna@example.dk");
    assert_eq!(value(&moved, "customer_group"), Some("Forhandlere"));
    assert_eq!(sb.heyloyalty.members(kunder.id).len(), 3);
    assert_eq!(sb.heyloyalty.members(forhandlere.id).len(), 3);
    assert_eq!(sb.heyloyalty.all_members().len(), 6, "each customer once");
    let user = sb.hostedshop.user(anna).unwrap();
    assert_eq!(user["Newsletter"], "true", "her permission stays");

    // Settled: the next run changes nothing on either side.
    let again = env.run(&["sync", "--profile", "shop", "--json"]).await;
    again.expect_code(0);
    let counts = &again.json()["counts"];
    assert_eq!(counts["members_removed"], 0, "{counts}");
    assert_eq!(counts["members_created"], 0, "{counts}");
    assert_eq!(counts["members_updated"], 0, "{counts}");
    assert_eq!(sb.heyloyalty.all_members().len(), 6);
}

fn forhandlere_group(sb: &Sandbox) -> i64 {
    sb.hostedshop
        .groups()
        .into_iter()
        .find(|g| g.title == "Forhandlere")
        .expect("the seeded group")
        .id
}

#[tokio::test]
async fn single_list_names_the_group_on_each_member() {
    let sb = start().await;
    let env = env(&sb, "single", "group_field = \"brugergruppe\"");
    env.run(&["sync", "--profile", "shop"]).await.expect_code(0);
    assert_eq!(sb.heyloyalty.lists().len(), 1);
    let list = sb.heyloyalty.list_by_name("Webshop").unwrap();
    assert_eq!(sb.heyloyalty.members(list.id).len(), 6);
    assert_eq!(
        value(&member(&sb, "Webshop", "gitte@example.dk"), "brugergruppe"),
        Some("Forhandlere")
    );
    assert_eq!(
        value(&member(&sb, "Webshop", "bo@example.dk"), "brugergruppe"),
        Some("Kunder")
    );
}

#[tokio::test]
async fn both_strategies_at_once() {
    let sb = start().await;
    let env = env(&sb, "both", "");
    env.run(&["sync", "--profile", "shop"]).await.expect_code(0);
    assert_eq!(sb.heyloyalty.lists().len(), 3);
    let count = |name: &str| {
        sb.heyloyalty
            .members(sb.heyloyalty.list_by_name(name).unwrap().id)
            .len()
    };
    assert_eq!(
        (count("Kunder"), count("Forhandlere"), count("Webshop")),
        (4, 2, 6)
    );
    assert_eq!(sb.heyloyalty.all_members().len(), 12);
}

#[tokio::test]
async fn two_way_round_trip_without_echoes() {
    let sb = start().await;
    let env = env(&sb, "per_group", "");
    env.run(&["sync", "--profile", "shop"]).await.expect_code(0);
    // Heyloyalty -> shop: fields of the seed's list; a field only in Heyloyalty stays there.
    let anna = member(&sb, "Kunder", "anna@example.dk");
    sb.heyloyalty
        .ui_update(
            &anna.id,
            json!({"firstname": "Annie", "city": "Odense", "total_orders": "99"}),
        )
        .unwrap();
    let patches = sb.heyloyalty.count("PATCH member");
    let out = env.run(&["sync", "--profile", "shop", "--json"]).await;
    out.expect_code(0);
    let anna_id = user_id(&sb, "anna@example.dk");
    let user = sb.hostedshop.user(anna_id).unwrap();
    assert_eq!(
        (user["Firstname"].as_str(), user["City"].as_str()),
        ("Annie", "Odense")
    );
    assert_eq!(out.json()["counts"]["customers_updated"], 1);
    // total_orders is the shop's: written back to Heyloyalty, the only PATCH.
    assert_eq!(sb.heyloyalty.count("PATCH member"), patches + 1);
    assert_eq!(
        value(&member(&sb, "Kunder", "anna@example.dk"), "total_orders"),
        Some("2")
    );
    assert_eq!(
        value(&member(&sb, "Kunder", "anna@example.dk"), "firstname"),
        Some("Annie")
    );

    // Shop -> Heyloyalty, and the shop's write is not sent back.
    let bo = user_id(&sb, "bo@example.dk");
    sb.hostedshop.update_user(bo, &[("Lastname", "Bonde")]);
    let updates = sb.hostedshop.calls("User_Update");
    let out = env.run(&["sync", "--profile", "shop", "--json"]).await;
    out.expect_code(0);
    assert_eq!(
        value(&member(&sb, "Kunder", "bo@example.dk"), "lastname"),
        Some("Bonde")
    );
    assert_eq!(sb.hostedshop.calls("User_Update"), updates);
    let again = env.run(&["sync", "--profile", "shop", "--json"]).await;
    let c = &again.json()["counts"];
    assert_eq!(
        (
            c["members_updated"].as_u64(),
            c["customers_updated"].as_u64()
        ),
        (Some(0), Some(0))
    );
}

#[tokio::test]
async fn unsubscribe_removes_the_permission_and_the_member_is_never_patched() {
    let sb = start().await;
    let env = env(&sb, "per_group", "");
    env.run(&["sync", "--profile", "shop"]).await.expect_code(0);
    let eva = member(&sb, "Kunder", "eva@example.dk");
    sb.heyloyalty.unsubscribe(&eva.id).unwrap();
    env.run(&["sync", "--profile", "shop"]).await.expect_code(0);
    let eva_id = user_id(&sb, "eva@example.dk");
    assert_eq!(sb.hostedshop.user(eva_id).unwrap()["Newsletter"], "false");
    // A later shop change does not touch the unsubscribed member (a PATCH would re-subscribe).
    sb.hostedshop.update_user(eva_id, &[("City", "Vejle")]);
    let patches = sb.heyloyalty.count("PATCH member");
    env.run(&["sync", "--profile", "shop"]).await.expect_code(0);
    assert_eq!(sb.heyloyalty.count("PATCH member"), patches);
    let m = sb.heyloyalty.member(&eva.id).unwrap();
    assert!(m.unsubscribed_at.is_some(), "still unsubscribed");
    // A member deleted in Heyloyalty (one, by hand) takes the permission with it once its
    // webhook is applied; here the run sees it gone: nothing is re-created until the shop
    // changes the customer.
    let dennis = member(&sb, "Kunder", "dennis@example.dk");
    sb.heyloyalty.bulk_delete(&[&dennis.id]);
    env.run(&["sync", "--profile", "shop"]).await.expect_code(0);
    let kunder = sb.heyloyalty.list_by_name("Kunder").unwrap();
    assert!(sb
        .heyloyalty
        .member_by_email(kunder.id, "dennis@example.dk")
        .is_none());
    sb.hostedshop
        .update_user(user_id(&sb, "dennis@example.dk"), &[("City", "Kolding")]);
    env.run(&["sync", "--profile", "shop"]).await.expect_code(0);
    assert_eq!(
        value(&member(&sb, "Kunder", "dennis@example.dk"), "city"),
        Some("Kolding")
    );
    // A customer deleted in the shop never deletes the member.
    let members = sb.heyloyalty.all_members().len();
    sb.hostedshop.delete_user(user_id(&sb, "bo@example.dk"));
    env.run(&["sync", "--profile", "shop"]).await.expect_code(0);
    assert_eq!(sb.heyloyalty.all_members().len(), members);
}

async fn conflict(policy: &str, heyloyalty_later: bool) -> (Value, String, String) {
    let sb = start().await;
    let env = env(&sb, "per_group", &format!("conflicts = \"{policy}\""));
    env.run(&["sync", "--profile", "shop"]).await.expect_code(0);
    let henrik = member(&sb, "Forhandlere", "henrik@example.dk");
    let id = user_id(&sb, "henrik@example.dk");
    if heyloyalty_later {
        sb.hostedshop.update_user(id, &[("City", "Shopby")]);
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        sb.heyloyalty
            .ui_update(&henrik.id, json!({"city": "Listby"}))
            .unwrap();
    } else {
        sb.heyloyalty
            .ui_update(&henrik.id, json!({"city": "Listby"}))
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        sb.hostedshop.update_user(id, &[("City", "Shopby")]);
    }
    let plan = env
        .run(&["sync", "--profile", "shop", "--dry-run", "--json"])
        .await;
    plan.expect_code(0);
    let plan = plan.json();
    env.run(&["sync", "--profile", "shop"]).await.expect_code(0);
    let shop_city = sb.hostedshop.user(id).unwrap()["City"].clone();
    let list_city = value(&member(&sb, "Forhandlere", "henrik@example.dk"), "city")
        .unwrap()
        .to_string();
    (plan, shop_city, list_city)
}

fn the_conflict(plan: &Value) -> Value {
    let conflicts: Vec<&Value> = plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["conflicts"].as_array().into_iter().flatten())
        .collect();
    assert_eq!(conflicts.len(), 1, "{plan}");
    conflicts[0].clone()
}

#[tokio::test]
async fn conflict_shop_wins() {
    let (plan, shop, list) = conflict("shop_wins", true).await;
    let c = the_conflict(&plan);
    assert_eq!(
        (c["field"].as_str(), c["winner"].as_str()),
        (Some("city"), Some("a"))
    );
    assert_eq!(plan["counts"]["conflicts"], 1);
    assert_eq!((shop.as_str(), list.as_str()), ("Shopby", "Shopby"));
}

#[tokio::test]
async fn conflict_list_wins() {
    let (plan, shop, list) = conflict("list_wins", false).await;
    assert_eq!(the_conflict(&plan)["winner"], "b");
    assert_eq!((shop.as_str(), list.as_str()), ("Listby", "Listby"));
}

#[tokio::test]
async fn conflict_newest_wins() {
    let (plan, shop, list) = conflict("newest_wins", true).await;
    assert_eq!(the_conflict(&plan)["policy"], "newest_wins");
    assert_eq!((shop.as_str(), list.as_str()), ("Listby", "Listby"));
    let (_, shop, list) = conflict("newest_wins", false).await;
    assert_eq!((shop.as_str(), list.as_str()), ("Shopby", "Shopby"));
}

#[tokio::test]
async fn form_subscriber_becomes_a_customer_and_imported_members_pair_by_email() {
    let sb = start().await;
    let env = env(&sb, "per_group", "");
    env.run(&["sync", "--profile", "shop"]).await.expect_code(0);
    let kunder = sb.heyloyalty.list_by_name("Kunder").unwrap();
    let users = sb.hostedshop.users().len();
    sb.heyloyalty
        .form_subscribe(
            kunder.id,
            json!({"email": "ny@example.dk", "firstname": "Ny"}),
        )
        .unwrap();
    // Carla is a customer without permission; she is imported into the list in Heyloyalty.
    sb.heyloyalty
        .import_member(kunder.id, json!({"email": "carla@example.dk"}))
        .unwrap();
    env.run(&["sync", "--profile", "shop"]).await.expect_code(0);
    assert_eq!(
        sb.hostedshop.users().len(),
        users + 1,
        "one new customer, Carla paired"
    );
    let ny = sb.hostedshop.user_by_email("ny@example.dk").unwrap();
    assert_eq!(
        (
            ny["UserGroupId"].as_str(),
            ny["Newsletter"].as_str(),
            ny["Firstname"].as_str()
        ),
        ("1", "true", "Ny")
    );
    let carla = sb.hostedshop.user_by_email("carla@example.dk").unwrap();
    assert_eq!(
        carla["Newsletter"], "true",
        "the consent given in Heyloyalty comes to the shop"
    );
    assert_eq!(sb.heyloyalty.members(kunder.id).len(), 6);
    // The imported member is enriched with the shop's data.
    assert_eq!(
        value(&member(&sb, "Kunder", "carla@example.dk"), "lastname"),
        Some("Hansen")
    );
}

#[tokio::test]
async fn one_way_sends_nothing_back() {
    let sb = start().await;
    let env = env(&sb, "per_group", "two_way = false");
    env.run(&["sync", "--profile", "shop"]).await.expect_code(0);
    let anna = member(&sb, "Kunder", "anna@example.dk");
    sb.heyloyalty
        .ui_update(&anna.id, json!({"firstname": "Annie"}))
        .unwrap();
    sb.heyloyalty
        .unsubscribe(&member(&sb, "Kunder", "bo@example.dk").id)
        .unwrap();
    let kunder = sb.heyloyalty.list_by_name("Kunder").unwrap();
    sb.heyloyalty
        .form_subscribe(kunder.id, json!({"email": "ny@example.dk"}))
        .unwrap();
    let users = sb.hostedshop.users();
    env.run(&["sync", "--profile", "shop"]).await.expect_code(0);
    assert_eq!(sb.hostedshop.users(), users, "the shop is not written");
    assert_eq!(
        sb.hostedshop.calls("User_Update") + sb.hostedshop.calls("User_CreateOrUpdate"),
        0
    );
}

#[tokio::test]
async fn a_field_of_another_format_stops_before_anything_is_written() {
    let sb = start().await;
    let list = sb.heyloyalty.create_list("Kunder", &["firstname"]);
    // Someone made total_orders a text field by hand.
    let key = sb.heyloyalty.api_key();
    let secret = sb.heyloyalty.api_secret();
    let ts = "Thu, 03 Dec 2026 10:00:00 GMT";
    let r = reqwest::Client::new()
        .patch(format!("{}/loyalty/v2/lists/{list}", sb.heyloyalty_url()))
        .header("X-Request-Timestamp", ts)
        .basic_auth(
            &key,
            Some(shopsync_sandbox::heyloyalty::signature(&secret, ts)),
        )
        .json(&json!({"fields": [{"type": "custom", "name": "total_orders", "format": "text"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let env = env(&sb, "per_group", "");
    let out = env.run(&["sync", "--profile", "shop"]).await;
    out.expect_code(2);
    assert!(out.stderr.contains("total_orders"), "{}", out.stderr);
    assert!(out.stderr.contains("Kunder"), "{}", out.stderr);
    assert_eq!(sb.heyloyalty.all_members().len(), 0);
    assert_eq!(sb.heyloyalty.lists().len(), 1, "no list created either");
}

#[tokio::test]
async fn a_wrong_secret_is_refused_with_the_fix_and_writes_nothing() {
    let sb = start().await;
    let env = env(&sb, "per_group", "").with_env(
        "SHOPSYNC_SHOP_HEYLOYALTY_SECRET_TOKEN",
        "wrong-secret-0123456789",
    );
    let out = env.run(&["sync", "--profile", "shop"]).await;
    out.expect_code(2);
    assert!(out.stderr.contains("heyloyalty-secret"), "{}", out.stderr);
    assert!(!out.stderr.contains("wrong-secret"), "{}", out.stderr);
    assert!(sb.heyloyalty.lists().is_empty());
}

#[tokio::test]
async fn dry_run_plans_lists_fields_and_members_and_writes_nothing() {
    let sb = start().await;
    let env = env(&sb, "both", "");
    let out = env
        .run(&["sync", "--profile", "shop", "--dry-run", "--json"])
        .await;
    out.expect_code(0);
    let plan = out.json();
    let mut lists: Vec<&str> = plan["lists_created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    lists.sort();
    assert_eq!(lists, ["Forhandlere", "Kunder", "Webshop"]);
    assert!(sb.heyloyalty.lists().is_empty());
    assert_eq!(sb.hostedshop.calls("User_Update"), 0);
}

const WEBHOOK_SECRET: &str = "hook-secret-9f8e7d6c5b4a";

/// `shopsync serve` on a free port: the child and its address.
async fn serve(env: &Env) -> (tokio::process::Child, String) {
    use tokio::io::AsyncBufReadExt;
    let mut child = env
        .command(&[
            "serve",
            "--profile",
            "shop",
            "--listen",
            "127.0.0.1:0",
            "--json",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("serve starts");
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    tokio::io::BufReader::new(stdout)
        .read_line(&mut line)
        .await
        .unwrap();
    let v: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
    (
        child,
        format!("http://{}", v["listening"].as_str().unwrap()),
    )
}

/// Waits (up to a generous bound, not a timing assertion) until `done` holds.
async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..400 {
        if done() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("never happened: {what}");
}

fn queued(env: &Env) -> (i64, i64) {
    let conn = rusqlite::Connection::open(env.state_dir().join("shop.sqlite")).unwrap();
    let count = |status: &str| {
        conn.query_row(
            "SELECT COUNT(*) FROM webhook_queue WHERE status = ?1",
            [status],
            |r| r.get(0),
        )
        .unwrap()
    };
    (count("queued"), count("done"))
}

fn hook(
    url: String,
    basic: bool,
    style: shopsync_sandbox::heyloyalty::WebhookStyle,
) -> shopsync_sandbox::heyloyalty::Webhook {
    shopsync_sandbox::heyloyalty::Webhook {
        url,
        basic_auth: basic.then(|| ("heyloyalty".to_string(), WEBHOOK_SECRET.to_string())),
        style,
    }
}

#[tokio::test]
async fn serve_applies_both_payload_styles_and_refuses_forged_calls() {
    use shopsync_sandbox::heyloyalty::WebhookStyle;
    let sb = start().await;
    let env = env(&sb, "per_group", "")
        .with_env("SHOPSYNC_SHOP_HEYLOYALTY_WEBHOOK_TOKEN", WEBHOOK_SECRET);
    env.run(&["sync", "--profile", "shop"]).await.expect_code(0);
    let (_child, base) = serve(&env).await;
    let kunder = sb.heyloyalty.list_by_name("Kunder").unwrap();
    let forhandlere = sb.heyloyalty.list_by_name("Forhandlere").unwrap();
    sb.heyloyalty.set_webhook(
        kunder.id,
        hook(format!("{base}/webhook"), true, WebhookStyle::SnakeCase),
    );
    sb.heyloyalty.set_webhook(
        forhandlere.id,
        hook(
            format!("{base}/webhook/{WEBHOOK_SECRET}"),
            false,
            WebhookStyle::CamelCase,
        ),
    );

    // Forged and malformed calls: refused, nothing queued or applied.
    let c = reqwest::Client::new();
    let body = json!({"member_id": "x", "list_id": kunder.id, "type": "subscribe"});
    let status = |r: reqwest::Response| r.status().as_u16();
    assert_eq!(
        status(
            c.post(format!("{base}/webhook"))
                .basic_auth("heyloyalty", Some("guess"))
                .json(&body)
                .send()
                .await
                .unwrap()
        ),
        401
    );
    assert_eq!(
        status(
            c.post(format!("{base}/webhook"))
                .json(&body)
                .send()
                .await
                .unwrap()
        ),
        401
    );
    assert_eq!(
        status(
            c.post(format!("{base}/webhook/not-the-secret"))
                .json(&body)
                .send()
                .await
                .unwrap()
        ),
        401
    );
    assert_eq!(
        status(
            c.post(format!("{base}/webhook/{WEBHOOK_SECRET}"))
                .body("not json")
                .send()
                .await
                .unwrap()
        ),
        400
    );
    assert_eq!(
        status(
            c.post(format!("{base}/webhook/{WEBHOOK_SECRET}"))
                .json(&json!({"type": "update"}))
                .send()
                .await
                .unwrap()
        ),
        400
    );
    assert_eq!(queued(&env), (0, 0));

    let users = sb.hostedshop.users().len();
    let new = sb
        .heyloyalty
        .form_subscribe(
            kunder.id,
            json!({"email": "form@example.dk", "firstname": "Form"}),
        )
        .unwrap();
    sb.heyloyalty
        .unsubscribe(&member(&sb, "Kunder", "eva@example.dk").id)
        .unwrap();
    sb.heyloyalty
        .ui_update(
            &member(&sb, "Forhandlere", "gitte@example.dk").id,
            json!({"firstname": "Gitta"}),
        )
        .unwrap();
    assert_eq!(sb.heyloyalty.flush_webhooks().await, vec![202, 202, 202]);
    eventually("the three calls applied", || queued(&env) == (0, 3)).await;
    assert_eq!(sb.hostedshop.users().len(), users + 1);
    let form = sb.hostedshop.user_by_email("form@example.dk").unwrap();
    assert_eq!(
        (form["UserGroupId"].as_str(), form["Newsletter"].as_str()),
        ("1", "true")
    );
    assert_eq!(
        sb.hostedshop.user_by_email("eva@example.dk").unwrap()["Newsletter"],
        "false"
    );
    assert_eq!(
        sb.hostedshop.user_by_email("gitte@example.dk").unwrap()["Firstname"],
        "Gitta"
    );
    assert!(sb
        .heyloyalty
        .member(&member(&sb, "Kunder", "eva@example.dk").id)
        .unwrap()
        .unsubscribed_at
        .is_some());

    // A replay changes nothing: the member is read again and already in step.
    let replay =
        json!({"member_id": new, "list_id": kunder.id, "type": "subscribe", "signature": "0123"});
    for _ in 0..2 {
        let r = c
            .post(format!("{base}/webhook"))
            .basic_auth("heyloyalty", Some(WEBHOOK_SECRET))
            .json(&replay)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 202);
    }
    eventually("the replays applied", || queued(&env).0 == 0).await;
    assert_eq!(sb.hostedshop.users().len(), users + 1);
    let updates = sb.hostedshop.calls("User_Update");

    // A member deleted by hand in Heyloyalty: its customer loses the permission.
    let anna = member(&sb, "Kunder", "anna@example.dk");
    sb.heyloyalty.delete_member(&anna.id).unwrap();
    // Also the echoes of shopsync's own member writes (the new customer's shop data enriched
    // its member): received, read again, and found in step.
    let statuses = sb.heyloyalty.flush_webhooks().await;
    assert!(
        !statuses.is_empty() && statuses.iter().all(|s| *s == 202),
        "{statuses:?}"
    );
    eventually("Anna's permission removed", || {
        sb.hostedshop.user_by_email("anna@example.dk").unwrap()["Newsletter"] == "false"
    })
    .await;
    eventually("the queue drained", || queued(&env).0 == 0).await;
    // Anna's permission is the one shop write since the replays: no echo reached the shop.
    assert_eq!(sb.hostedshop.calls("User_Update"), updates + 1);
    // No secret of this flow in any file shopsync wrote (the state file, its queue, logs).
    let secrets = [
        WEBHOOK_SECRET.to_string(),
        sb.heyloyalty.api_secret(),
        sb.hostedshop.password(),
    ];
    for path in common::files_under(env.dir.path()) {
        let bytes = std::fs::read(&path).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "a secret in {}",
                path.display()
            );
        }
    }
}

#[tokio::test]
async fn a_webhook_queued_when_serve_is_killed_is_applied_after_a_restart() {
    use shopsync_sandbox::heyloyalty::WebhookStyle;
    let sb = start().await;
    let env = env(&sb, "per_group", "")
        .with_env("SHOPSYNC_SHOP_HEYLOYALTY_WEBHOOK_TOKEN", WEBHOOK_SECRET);
    env.run(&["sync", "--profile", "shop"]).await.expect_code(0);
    let (mut child, base) = serve(&env).await;
    let kunder = sb.heyloyalty.list_by_name("Kunder").unwrap();
    sb.heyloyalty.set_webhook(
        kunder.id,
        hook(format!("{base}/webhook"), true, WebhookStyle::SnakeCase),
    );
    // Heyloyalty refuses the re-read for now: the call is queued but cannot be applied.
    sb.heyloyalty.fail_next(1_000_000, 401);
    sb.heyloyalty
        .ui_update(
            &member(&sb, "Kunder", "bo@example.dk").id,
            json!({"city": "Skagen"}),
        )
        .unwrap();
    assert_eq!(sb.heyloyalty.flush_webhooks().await, vec![202]);
    eventually("an attempt failed", || {
        sb.heyloyalty.requests().iter().any(|(_, s)| *s == 401)
    })
    .await;
    child.kill().await.unwrap(); // SIGKILL
    assert_eq!(queued(&env), (1, 0), "the call is still queued");
    assert_eq!(
        sb.hostedshop.user_by_email("bo@example.dk").unwrap()["City"],
        "Aarhus"
    );
    sb.heyloyalty.fail_next(0, 200);
    let (_child, _) = serve(&env).await;
    eventually("applied after the restart", || queued(&env) == (0, 1)).await;
    assert_eq!(
        sb.hostedshop.user_by_email("bo@example.dk").unwrap()["City"],
        "Skagen"
    );
}

#[tokio::test]
async fn a_two_way_run_killed_part_way_leaves_both_sides_consistent_after_the_next() {
    let sb = start().await;
    let env = env(&sb, "per_group", "");
    env.run(&["sync", "--profile", "shop"]).await.expect_code(0);
    let users = sb.hostedshop.users().len();
    // Changes on both sides: four members renamed in Heyloyalty, two customers in the shop.
    for email in [
        "anna@example.dk",
        "bo@example.dk",
        "dennis@example.dk",
        "eva@example.dk",
    ] {
        let m = member(&sb, "Kunder", email);
        sb.heyloyalty
            .ui_update(&m.id, json!({"firstname": format!("HL-{email}")}))
            .unwrap();
    }
    for email in ["gitte@example.dk", "henrik@example.dk"] {
        sb.hostedshop
            .update_user(user_id(&sb, email), &[("Lastname", "Shopnavn")]);
    }
    sb.hostedshop
        .set_delay(std::time::Duration::from_millis(150));
    let mut child = env
        .command(&["sync", "--profile", "shop"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    eventually("a customer written", || {
        sb.hostedshop.calls("User_Update") >= 1
    })
    .await;
    child.kill().await.unwrap(); // SIGKILL, mid-run
    let written = sb.hostedshop.calls("User_Update");
    assert!(
        written < 4,
        "killed part-way ({written} of 4 customers written)"
    );
    assert_eq!(
        sb.heyloyalty.count("PATCH member"),
        0,
        "the shop's changes were not sent yet"
    );
    sb.hostedshop.set_delay(std::time::Duration::ZERO);
    env.run(&["sync", "--profile", "shop"]).await.expect_code(0);
    // Both sides hold every change once; nothing duplicated.
    for email in [
        "anna@example.dk",
        "bo@example.dk",
        "dennis@example.dk",
        "eva@example.dk",
    ] {
        let u = sb.hostedshop.user_by_email(email).unwrap();
        assert_eq!(u["Firstname"], format!("HL-{email}"));
        assert_eq!(
            value(&member(&sb, "Kunder", email), "firstname"),
            Some(format!("HL-{email}").as_str())
        );
    }
    for email in ["gitte@example.dk", "henrik@example.dk"] {
        assert_eq!(
            value(&member(&sb, "Forhandlere", email), "lastname"),
            Some("Shopnavn")
        );
    }
    assert_eq!(
        sb.hostedshop.calls("User_Update"),
        4,
        "each customer written once"
    );
    assert_eq!(sb.hostedshop.users().len(), users);
    assert_eq!(sb.heyloyalty.all_members().len(), 6);
    let again = env.run(&["sync", "--profile", "shop", "--json"]).await;
    let c = &again.json()["counts"];
    assert_eq!(
        (
            c["members_updated"].as_u64(),
            c["customers_updated"].as_u64(),
            c["members_created"].as_u64()
        ),
        (Some(0), Some(0), Some(0))
    );
}

#[tokio::test]
async fn throttled_requests_and_an_ended_shop_session_are_retried_and_nothing_is_doubled() {
    // Heyloyalty answers 429 beyond 2 requests per (scaled) second; shopsync is set to go faster.
    let sb = common::sandbox(|c| {
        c.seed.customers = 1;
        c.seed.products = 1;
        c.seed.orders = 1;
        c.heyloyalty.requests_per_second = 2;
    })
    .await;
    let env = env(&sb, "per_group", "").with_env("SHOPSYNC_RETRY_BASE_MS", "20");
    let mut config = std::fs::read_to_string(env.config_path()).unwrap();
    config = config.replace("requests_per_second = 200", "requests_per_second = 1000");
    env.write_config(&config);
    // The shop's session ends at the first call after the login (fault AUTH): a new one is
    // opened and the call retried.
    sb.hostedshop.fault_next(1, "AUTH");
    let out = env.run(&["sync", "--profile", "shop", "--json"]).await;
    out.expect_code(0);
    let report = out.json();
    assert!(
        report["requests"]["heyloyalty_throttled"].as_u64().unwrap() > 0,
        "{report}"
    );
    assert_eq!(sb.heyloyalty.all_members().len(), 6);
    assert_eq!(
        sb.heyloyalty.count("POST members"),
        6,
        "each member created once"
    );
    assert_eq!(sb.hostedshop.calls("Solution_Connect"), 2);
    assert_eq!(report["counts"]["members_created"], 6);
    let anna = member(&sb, "Kunder", "anna@example.dk");
    assert_eq!(
        value(&anna, "total_orders"),
        Some("2"),
        "order fields read after the new session"
    );
}

#[tokio::test]
async fn a_new_shop_session_gets_the_output_fields_again() {
    let sb = start().await;
    let env = env(&sb, "per_group", "");
    // The session ends between User_SetFields and the read: a new session would answer only
    // each customer's Id unless the field set is issued again.
    sb.hostedshop.expire_after("User_SetFields");
    env.run(&["sync", "--profile", "shop"]).await.expect_code(0);
    assert_eq!(sb.hostedshop.calls("Solution_Connect"), 2);
    assert_eq!(sb.hostedshop.calls("User_SetFields"), 2);
    assert_eq!(sb.heyloyalty.all_members().len(), 6);
    assert_eq!(
        value(&member(&sb, "Kunder", "bo@example.dk"), "firstname"),
        Some("Bo")
    );
}

#[tokio::test]
async fn doctor_tests_both_connections() {
    let sb = start().await;
    let env = env(&sb, "single", "");
    let out = env.run(&["doctor", "--profile", "shop", "--json"]).await;
    let report = out.json();
    let status = |name: &str| {
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["check"] == name)
            .map(|c| c["status"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("no {name} check: {report:#}"))
    };
    assert_eq!(status("hostedshop.connection"), "ok");
    assert_eq!(status("heyloyalty.connection"), "ok");
    assert_eq!(
        status("heyloyalty.list"),
        "warning",
        "the single list does not exist yet"
    );
    assert!(report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["check"] != "shopify.credential"));
    out.expect_code(0);
    // A wrong password: the shop's check is an error with the fix.
    let bad = env.with_env(
        "SHOPSYNC_SHOP_HOSTEDSHOP_PASSWORD_TOKEN",
        "not-the-password",
    );
    let out = bad.run(&["doctor", "--profile", "shop", "--json"]).await;
    out.expect_code(1);
    let report = out.json();
    let shop = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "hostedshop.connection")
        .unwrap()
        .clone();
    assert_eq!(shop["status"], "error");
    assert!(
        shop["fix"]
            .as_str()
            .unwrap()
            .contains("hostedshop-password"),
        "{shop}"
    );
    assert!(sb.heyloyalty.lists().is_empty(), "doctor writes nothing");
}

#[tokio::test]
async fn an_existing_list_gets_its_missing_fields_once() {
    let sb = start().await;
    // The merchant made the list by hand with a few fixed fields.
    let list = sb
        .heyloyalty
        .create_list("Kunder", &["firstname", "lastname"]);
    let env = env(&sb, "per_group", "");
    let out = env.run(&["sync", "--profile", "shop", "--json"]).await;
    out.expect_code(0);
    let added = out.json()["fields_added"].as_array().unwrap().len();
    assert_eq!(added, 20, "23 list fields, 3 there already");
    assert_eq!(sb.heyloyalty.count("PATCH list v2"), 1);
    assert_eq!(
        sb.heyloyalty
            .lists()
            .iter()
            .find(|l| l.id == list)
            .unwrap()
            .fields
            .len(),
        23
    );
    assert_eq!(
        sb.heyloyalty.members(list).len(),
        4,
        "the existing list is used, not a new one"
    );
    let again = env.run(&["sync", "--profile", "shop", "--json"]).await;
    assert_eq!(again.json()["fields_added"].as_array().unwrap().len(), 0);
    assert_eq!(sb.heyloyalty.count("PATCH list v2"), 1);
}
