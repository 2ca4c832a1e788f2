//! Shopware 5 -> Spotler Mail+ (issue 12), end to end against the sandbox's fakes: the chosen
//! key, a re-key refused (and `--rekey`), the field check, permissions and bounces flowing back
//! (and our own writes not echoing), a wrong signature, and kill -9 mid-run.

mod common;

use std::collections::BTreeSet;

use common::{sandbox, Env};
use serde_json::Value;

fn env(sb: &common::Sandbox, shopware: &str, spotler: &str) -> Env {
    let env = Env::new().with_spotler_tokens();
    env.spotler_profile(sb, shopware, spotler);
    env
}

fn numbers(sb: &common::Sandbox) -> BTreeSet<String> {
    sb.shopware
        .customers()
        .values()
        .map(|c| c["number"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn customers_become_contacts_keyed_by_the_customer_number() {
    let sb = sandbox(|_| {}).await;
    let env = env(&sb, "key = \"number\"", "");
    let run = env
        .run(&["initial-sync", "--profile", "sw", "--json"])
        .await;
    run.expect_code(0);
    let contacts = sb.spotler.contacts();
    assert_eq!(contacts.len(), 25);
    assert_eq!(
        contacts.keys().cloned().collect::<BTreeSet<_>>(),
        numbers(&sb)
    );
    assert_eq!(sb.spotler.contact_writes(), 25);
    for c in sb.shopware.customers().values() {
        let contact = &contacts[c["number"].as_str().unwrap()];
        assert_eq!(contact["properties"]["email"], c["email"]);
        assert_eq!(contact["properties"]["lastName"], c["lastname"]);
        let bit1 = contact["properties"]["permissions"][0].clone();
        assert_eq!(bit1["bit"], 1);
        assert_eq!(bit1["enabled"], c["newsletter"] == 1, "{contact}");
    }
    let report = run.json();
    assert_eq!(report["streams"]["customers"]["create"], 25);
    // Nothing changed: nothing is written again.
    env.run(&["initial-sync", "--profile", "sw"])
        .await
        .expect_code(0);
    assert_eq!(sb.spotler.contact_writes(), 25);
    assert_eq!(sb.shopware.writes(), 0);
}

#[tokio::test]
async fn the_relation_number_can_be_the_key() {
    let sb = sandbox(|_| {}).await;
    let env = env(&sb, "key = \"attribute.relationNumber\"", "");
    env.run(&["initial-sync", "--profile", "sw"])
        .await
        .expect_code(0);
    let keys: BTreeSet<String> = sb.spotler.contacts().keys().cloned().collect();
    let expected: BTreeSet<String> = sb
        .shopware
        .customers()
        .values()
        .map(|c| {
            c["attribute"]["relationNumber"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(keys.len(), 25);
    assert_eq!(keys, expected);
}

#[tokio::test]
async fn a_shop_before_5_3_2_is_read_and_written_with_digest_auth() {
    // Shopware 5 took Basic auth from 5.3.2 on; before, its API answers Digest only.
    let sb = sandbox(|_| {}).await;
    sb.shopware.set_basic_auth(false);
    let env = env(&sb, "key = \"number\"", "");
    env.run(&["initial-sync", "--profile", "sw"])
        .await
        .expect_code(0);
    assert_eq!(sb.spotler.contact_count(), 25);
    let customers = sb.shopware.customers();
    let out = customers
        .values()
        .find(|c| c["newsletter"] == 1)
        .unwrap()
        .clone();
    assert!(sb
        .spotler
        .set_permission(out["number"].as_str().unwrap(), 1, false));
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    env.run(&["initial-sync", "--profile", "sw"])
        .await
        .expect_code(0);
    // The write back (a PUT) is signed the same way.
    let id = out["id"].as_i64().unwrap();
    assert_eq!(sb.shopware.customer(id).unwrap()["newsletter"], 0);
    assert_eq!(sb.shopware.writes(), 1);
}

#[tokio::test]
async fn a_changed_key_is_refused_unless_rekey() {
    let sb = sandbox(|_| {}).await;
    let env = env(&sb, "key = \"number\"", "");
    env.run(&["initial-sync", "--profile", "sw"])
        .await
        .expect_code(0);
    assert_eq!(sb.spotler.contact_count(), 25);

    env.spotler_profile(&sb, "key = \"attribute.relationNumber\"", "");
    let refused = env.run(&["initial-sync", "--profile", "sw"]).await;
    refused.expect_code(2);
    assert!(refused.stderr.contains("`number`"), "{}", refused.stderr);
    assert!(refused.stderr.contains("--rekey"), "{}", refused.stderr);
    assert_eq!(sb.spotler.contact_count(), 25);
    assert_eq!(sb.spotler.contact_writes(), 25);

    let plan = env
        .run(&[
            "initial-sync",
            "--profile",
            "sw",
            "--dry-run",
            "--rekey",
            "--json",
        ])
        .await;
    plan.expect_code(0);
    let plan = plan.json();
    assert_eq!(plan["streams"]["customers"]["update"], 25, "{plan}");
    let moved = plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["fields"]
                .as_array()
                .is_some_and(|f| f.iter().any(|f| f["field"] == "externalId"))
        })
        .count();
    assert_eq!(moved, 25);
    assert_eq!(sb.spotler.contact_writes(), 25);

    let moved = env
        .run(&["initial-sync", "--profile", "sw", "--rekey", "--json"])
        .await;
    moved.expect_code(0);
    // The run does what the plan said.
    assert_eq!(moved.json()["streams"]["customers"]["update"], 25);
    // Every customer now also under its relation number; the old contacts stay.
    assert_eq!(sb.spotler.contact_count(), 50);
    assert_eq!(sb.spotler.contact_writes(), 50);
    // The new key is the key now: a plain run is accepted and writes nothing.
    env.run(&["initial-sync", "--profile", "sw"])
        .await
        .expect_code(0);
    assert_eq!(sb.spotler.contact_writes(), 50);
}

#[tokio::test]
async fn a_map_that_does_not_fit_is_refused_before_anything_is_written() {
    let sb = sandbox(|_| {}).await;
    let env = env(
        &sb,
        "key = \"number\"",
        "[profiles.sw.spotler.fields]\nbirthday = \"firstname\"\nshoeSize = \"email\"\ncity = \"billing.town\"\n[profiles.sw.spotler.permissions]\n9 = \"newsletter\"",
    );
    let run = env.run(&["initial-sync", "--profile", "sw"]).await;
    run.expect_code(2);
    for needle in [
        "type birthdate",
        "`shoeSize` is not a contact property",
        "no customer field `billing.town`",
        "no permission bit 9",
    ] {
        assert!(run.stderr.contains(needle), "{needle}: {}", run.stderr);
    }
    assert_eq!(sb.spotler.contact_count(), 0);
    assert!(sb.spotler.received().iter().all(|r| r.method == "GET"));
    assert_eq!(sb.shopware.writes(), 0);
}

#[tokio::test]
async fn a_stream_the_flow_does_not_sync_is_refused_before_anything_is_read() {
    let sb = sandbox(|_| {}).await;
    let env = env(&sb, "key = \"number\"", "");
    let run = env
        .run(&[
            "initial-sync",
            "--profile",
            "sw",
            "--streams",
            "customers,orders",
        ])
        .await;
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("the profile `sw` syncs customers; it has no orders stream"),
        "{}",
        run.stderr
    );
    assert!(sb.spotler.received().is_empty());
    assert_eq!(sb.spotler.contact_count(), 0);
    // The one stream it has is accepted.
    env.run(&["initial-sync", "--profile", "sw", "--streams", "customers"])
        .await
        .expect_code(0);
    assert_eq!(sb.spotler.contact_count(), 25);
}

#[tokio::test]
async fn permissions_and_bounces_flow_back_and_our_writes_do_not_echo() {
    let sb = sandbox(|_| {}).await;
    let env = env(
        &sb,
        "key = \"number\"\nbounce_field = \"attribute.spotlerBounce\"",
        "",
    );
    env.run(&["initial-sync", "--profile", "sw"])
        .await
        .expect_code(0);
    let customers = sb.shopware.customers();
    let subscribed: Vec<&Value> = customers
        .values()
        .filter(|c| c["newsletter"] == 1)
        .collect();
    let unsubscribed: Vec<&Value> = customers
        .values()
        .filter(|c| c["newsletter"] == 0)
        .collect();
    let (out, back_in, bounced) = (subscribed[0], unsubscribed[0], subscribed[1]);
    let num = |c: &Value| c["number"].as_str().unwrap().to_string();
    assert!(sb.spotler.set_permission(&num(out), 1, false));
    assert!(sb.spotler.set_permission(&num(back_in), 1, true));
    sb.spotler.add_bounce(&num(bounced), true);
    sb.spotler.add_bounce(&num(back_in), false); // a soft bounce changes nothing
                                                 // The feed's window ends at the run's start, to the second.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;

    let run = env
        .run(&["initial-sync", "--profile", "sw", "--json"])
        .await;
    run.expect_code(0);
    let report = run.json();
    assert_eq!(report["streams"]["permissions"]["update"], 2, "{report}");
    assert_eq!(report["streams"]["bounces"]["update"], 1, "{report}");
    let id = |c: &Value| c["id"].as_i64().unwrap();
    assert_eq!(sb.shopware.customer(id(out)).unwrap()["newsletter"], 0);
    assert_eq!(sb.shopware.customer(id(back_in)).unwrap()["newsletter"], 1);
    let b = sb.shopware.customer(id(bounced)).unwrap();
    assert_eq!(b["newsletter"], 0);
    assert!(b["attribute"]["spotlerBounce"]
        .as_str()
        .is_some_and(|s| s.starts_with("hard bounce")));
    assert_eq!(sb.shopware.writes(), 3);
    // The bounced customer's permission goes out to Spotler too; the two taken over do not.
    assert_eq!(sb.spotler.contact_writes(), 26);
    assert_eq!(
        sb.spotler.contact(&num(bounced)).unwrap()["properties"]["permissions"][0]["enabled"],
        false
    );

    // Our own writes are in the next window of the feed: none comes back.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let again = env
        .run(&["initial-sync", "--profile", "sw", "--json"])
        .await;
    again.expect_code(0);
    let again = again.json();
    assert_eq!(again["streams"]["permissions"]["update"], 0, "{again}");
    assert_eq!(sb.shopware.writes(), 3);
    assert_eq!(sb.spotler.contact_writes(), 26);
}

#[tokio::test]
async fn a_wrong_signature_is_refused_and_nothing_is_written() {
    let sb = sandbox(|_| {}).await;
    let env = Env::new().with_spotler_tokens().with_env(
        "SHOPSYNC_SW_SPOTLER_SECRET_TOKEN",
        "not-the-consumer-secret-0000",
    );
    env.spotler_profile(&sb, "key = \"number\"", "");
    let run = env.run(&["initial-sync", "--profile", "sw"]).await;
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("Spotler refused the consumer key or secret"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("spotler-secret"), "{}", run.stderr);
    let received = sb.spotler.received();
    assert!(!received.is_empty());
    assert!(received.iter().all(|r| r.status == 401));
    assert_eq!(sb.spotler.contact_count(), 0);
    assert_eq!(sb.shopware.writes(), 0);
}

#[tokio::test]
async fn killed_mid_run_the_rerun_writes_each_contact_exactly_once() {
    let sb = sandbox(|c| c.seed.customers = 1200).await;
    sb.spotler.set_delay(std::time::Duration::from_millis(400));
    let env = env(&sb, "key = \"number\"", "");
    let mut child = env
        .command(&["initial-sync", "--profile", "sw"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Killed once the first contacts have landed, while others are still being written.
    let mut waited = 0;
    while sb.spotler.contact_count() == 0 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        waited += 1;
        assert!(waited < 6000, "no contact was ever written");
    }
    child.start_kill().unwrap();
    let status = child.wait().await.unwrap();
    assert!(!status.success());
    let after_kill = sb.spotler.contact_count();
    assert!(after_kill < 1200, "the run finished before the kill");

    sb.spotler.set_delay(std::time::Duration::ZERO);
    let run = env
        .run(&["initial-sync", "--profile", "sw", "--json"])
        .await;
    run.expect_code(0);
    let contacts = sb.spotler.contacts();
    assert_eq!(contacts.len(), 1200);
    assert_eq!(
        contacts.keys().cloned().collect::<BTreeSet<_>>(),
        numbers(&sb)
    );
    let report = run.json();
    let c = &report["streams"]["customers"];
    assert_eq!(
        c["create"].as_u64().unwrap()
            + c["unchanged"].as_u64().unwrap()
            + c["update"].as_u64().unwrap(),
        1200,
        "{report}"
    );
    env.run(&["initial-sync", "--profile", "sw"])
        .await
        .expect_code(0);
    assert_eq!(sb.spotler.contact_count(), 1200);
}

#[tokio::test]
async fn fields_shows_both_catalogues_side_by_side() {
    let sb = sandbox(|_| {}).await;
    let env = env(
        &sb,
        "key = \"number\"",
        "[profiles.sw.spotler.fields]\norganisation = \"\"\ncustomerType = \"attribute.relationNumber\"",
    );
    let run = env.run(&["fields", "--profile", "sw", "--json"]).await;
    run.expect_code(0);
    let v = run.json();
    let field = |p: &str| {
        v["properties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["property"] == p)
            .unwrap()["shop_field"]
            .clone()
    };
    assert_eq!(field("firstName"), "firstname");
    assert_eq!(field("gender"), "salutation");
    assert_eq!(field("customerType"), "attribute.relationNumber");
    assert!(field("organisation").is_null());
    assert_eq!(v["permissions"][0]["bit"], 1);
    assert_eq!(v["permissions"][0]["shop_field"], "newsletter");
    assert!(v["permissions"][1]["shop_field"].is_null());
    let unmapped: Vec<&str> = v["unmapped_properties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert!(unmapped.contains(&"organisation") && unmapped.contains(&"mobileNumber"));
    assert!(v["unmapped_shop_fields"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == "billing.company"));
    assert_eq!(v["problems"].as_array().unwrap().len(), 0);

    env.spotler_profile(
        &sb,
        "key = \"number\"",
        "[profiles.sw.spotler.fields]\nbirthday = \"email\"",
    );
    let bad = env.run(&["fields", "--profile", "sw"]).await;
    bad.expect_code(2);
    assert!(
        bad.stdout.contains("cannot take the shop's email field"),
        "{}",
        bad.stdout
    );
    assert_eq!(sb.spotler.contact_count(), 0);
}

#[tokio::test]
async fn a_bad_record_is_skipped_or_retried_and_the_rest_written() {
    let sb = sandbox(|_| {}).await;
    // One customer without a usable e-mail (skipped, never sent), one Spotler refuses (a
    // birthday Spotler cannot take: reported, retried next run), and Spotler down for a moment.
    sb.shopware
        .update_customer(3, "email", serde_json::json!("no-at-sign"));
    sb.shopware
        .update_customer(5, "birthday", serde_json::json!("1980-13-45"));
    sb.spotler.fail_next(2, 503);
    let env = env(&sb, "key = \"number\"", "");
    let run = env
        .run(&["initial-sync", "--profile", "sw", "--json"])
        .await;
    run.expect_code(1);
    let report = run.json();
    let c = &report["streams"]["customers"];
    assert_eq!(c["create"], 23, "{report}");
    assert_eq!(c["skip"], 1, "{report}");
    assert_eq!(c["failed"], 1, "{report}");
    assert_eq!(report["failures"][0]["source_id"], "5");
    assert!(report["failures"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("PROPERTY_INVALID"));
    assert_eq!(sb.spotler.contact_count(), 23);
    assert!(sb.spotler.contact("20003").is_none());

    // Fixed in the shop: the next run writes it (read again as a retry), and only it.
    sb.shopware
        .update_customer(5, "birthday", serde_json::json!("1980-12-15"));
    let again = env
        .run(&["initial-sync", "--profile", "sw", "--json"])
        .await;
    again.expect_code(0);
    assert_eq!(again.json()["streams"]["customers"]["create"], 1);
    assert_eq!(sb.spotler.contact_count(), 24);
    assert_eq!(sb.spotler.contact_writes(), 24);
}

#[tokio::test]
async fn doctor_checks_both_apis_and_the_map() {
    let sb = sandbox(|_| {}).await;
    let env = env(&sb, "key = \"number\"", "");
    let run = env.run(&["doctor", "--profile", "sw", "--json"]).await;
    run.expect_code(0);
    let v = run.json();
    let status = |check: &str| {
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["check"] == check)
            .unwrap_or_else(|| panic!("no {check} check: {v}"))["status"]
            .clone()
    };
    for check in [
        "shopware-user.credential",
        "spotler-secret.credential",
        "shopware.api",
        "spotler.api",
        "fields",
    ] {
        assert_eq!(status(check), "ok", "{check}: {v}");
    }
    assert!(!v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["check"].as_str().unwrap().starts_with("shopify")));

    let bad = Env::new().with_spotler_tokens().with_env(
        "SHOPSYNC_SW_SHOPWARE_KEY_TOKEN",
        "wrong-key-0000000000000000",
    );
    bad.spotler_profile(&sb, "key = \"number\"", "");
    let run = bad.run(&["doctor", "--profile", "sw", "--json"]).await;
    run.expect_code(1);
    let v = run.json();
    let check = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "shopware.api")
        .unwrap()
        .clone();
    assert_eq!(check["status"], "error");
    assert!(check["fix"].as_str().unwrap().contains("shopware-key"));
}

#[tokio::test]
async fn b2b_sub_contacts_only_when_asked_for() {
    let sb = sandbox(|_| {}).await;
    let subs: BTreeSet<String> = sb
        .shopware
        .customers()
        .values()
        .filter(|c| c["attribute"]["b2bParentNumber"].is_string())
        .map(|c| c["number"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(subs.len(), 4);
    let env = env(
        &sb,
        "key = \"number\"\nparent_field = \"attribute.b2bParentNumber\"",
        "",
    );
    let run = env
        .run(&["initial-sync", "--profile", "sw", "--json"])
        .await;
    run.expect_code(0);
    assert_eq!(run.json()["streams"]["customers"]["skip"], 4);
    let keys: BTreeSet<String> = sb.spotler.contacts().keys().cloned().collect();
    assert_eq!(keys.len(), 21);
    assert!(keys.is_disjoint(&subs));

    env.spotler_profile(
        &sb,
        "key = \"number\"\nparent_field = \"attribute.b2bParentNumber\"\nsub_contacts = true",
        "",
    );
    env.run(&["initial-sync", "--profile", "sw", "--full"])
        .await
        .expect_code(0);
    assert_eq!(sb.spotler.contact_count(), 25);
    assert_eq!(sb.spotler.contact_writes(), 25);
}

#[tokio::test]
async fn shopware_6_customers_and_their_newsletter_permission_both_ways() {
    use shopsync_sandbox::shopware6::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET};
    let sb = sandbox(|_| {}).await;
    let env = Env::new()
        .with_spotler_tokens()
        .with_env("SHOPSYNC_SW_SHOPWARE_USER_TOKEN", DEFAULT_CLIENT_ID)
        .with_env("SHOPSYNC_SW_SHOPWARE_KEY_TOKEN", DEFAULT_CLIENT_SECRET);
    env.write_config(&format!(
        r#"
[profiles.sw]
source = "shopware"
target = "spotler"
[profiles.sw.shopware]
kind = "6"
base_url = "{}"
key = "customerNumber"
bounce_field = "customFields.spotlerBounce"
[profiles.sw.spotler]
base_url = "{}"
"#,
        sb.shopware6_url(),
        sb.spotler_url()
    ));
    env.run(&["initial-sync", "--profile", "sw"])
        .await
        .expect_code(0);
    let customers = sb.shopware6.customers();
    let contacts = sb.spotler.contacts();
    assert_eq!(contacts.len(), 25);
    for c in customers.values() {
        let number = c["customerNumber"].as_str().unwrap();
        let contact = &contacts[number];
        assert_eq!(contact["properties"]["email"], c["email"]);
        assert_eq!(contact["properties"]["firstName"], c["firstName"]);
        let subscribed = sb.shopware6.newsletter_status(c["email"].as_str().unwrap()) == "direct";
        assert_eq!(
            contact["properties"]["permissions"][0]["enabled"], subscribed,
            "{contact}"
        );
    }
    let status = |c: &Value| sb.shopware6.newsletter_status(c["email"].as_str().unwrap());
    let subscribed: Vec<&Value> = customers
        .values()
        .filter(|c| status(c) == "direct")
        .collect();
    let not: Vec<&Value> = customers
        .values()
        .filter(|c| status(c) == "notSet")
        .collect();
    let (out, back_in, bounced) = (subscribed[0], not[0], subscribed[1]);
    let num = |c: &Value| c["customerNumber"].as_str().unwrap().to_string();
    sb.spotler.set_permission(&num(out), 1, false);
    sb.spotler.set_permission(&num(back_in), 1, true);
    sb.spotler.add_bounce(&num(bounced), true);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    env.run(&["initial-sync", "--profile", "sw"])
        .await
        .expect_code(0);
    assert_eq!(status(out), "optOut");
    assert_eq!(status(back_in), "direct");
    assert_eq!(status(bounced), "optOut");
    let b = &sb.shopware6.customers()[bounced["id"].as_str().unwrap()];
    assert!(b["customFields"]["spotlerBounce"]
        .as_str()
        .is_some_and(|s| s.starts_with("hard bounce")));
    // Two recipients changed, one created, one customer noted.
    assert_eq!(sb.shopware6.writes(), 4);
    assert_eq!(sb.spotler.contact_writes(), 26);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    env.run(&["initial-sync", "--profile", "sw"])
        .await
        .expect_code(0);
    assert_eq!(sb.shopware6.writes(), 4);
    assert_eq!(sb.spotler.contact_writes(), 26);

    // A customer who registers after the last run has no `updatedAt` (Shopware sets it on the
    // first update only): the next incremental run finds it by its `createdAt`.
    let new_id = sb
        .shopware6
        .register_customer("nina.ny@example.com", "Nina", "Ny");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    env.run(&["initial-sync", "--profile", "sw"])
        .await
        .expect_code(0);
    let number = sb.shopware6.customers()[&new_id]["customerNumber"]
        .as_str()
        .unwrap()
        .to_string();
    let contacts = sb.spotler.contacts();
    assert_eq!(contacts.len(), 26);
    assert_eq!(
        contacts[&number]["properties"]["email"],
        "nina.ny@example.com"
    );
    assert_eq!(contacts[&number]["properties"]["firstName"], "Nina");
    assert_eq!(sb.spotler.contact_writes(), 27);
    assert_eq!(sb.shopware6.writes(), 4);

    // A subscription in the storefront changes the newsletter recipient, not the customer
    // (its `updatedAt` stays): the next incremental run still sends the new permission.
    let joiner = not[1];
    sb.shopware6
        .storefront_newsletter(joiner["email"].as_str().unwrap(), true);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    env.run(&["initial-sync", "--profile", "sw"])
        .await
        .expect_code(0);
    let contact = &sb.spotler.contacts()[&num(joiner)];
    assert_eq!(
        contact["properties"]["permissions"][0]["enabled"], true,
        "{contact}"
    );
    assert_eq!(sb.spotler.contact_writes(), 28);
    assert_eq!(sb.shopware6.writes(), 4);

    // A wrong secret access key: refused before anything is written.
    let bad = Env::new()
        .with_spotler_tokens()
        .with_env("SHOPSYNC_SW_SHOPWARE_USER_TOKEN", DEFAULT_CLIENT_ID)
        .with_env(
            "SHOPSYNC_SW_SHOPWARE_KEY_TOKEN",
            "not-the-secret-access-key-000",
        );
    bad.write_config(&std::fs::read_to_string(env.config_path()).unwrap());
    let run = bad.run(&["initial-sync", "--profile", "sw"]).await;
    run.expect_code(2);
    assert!(run.stderr.contains("Shopware refused"), "{}", run.stderr);
    assert_eq!(sb.spotler.contact_writes(), 28);
}
