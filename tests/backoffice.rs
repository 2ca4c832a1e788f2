//! POS back office <-> Shopify, end to end with the real binary against the Shopify and
//! Tellix fakes: pull-customers (Tellix and files).

mod common;

use common::{sandbox, Env, Sandbox, SHOPIFY_TOKEN};
use serde_json::{json, Value};
use shopsync_sandbox::tellix::{DEFAULT_APIKEY, DEFAULT_PASSWORD, DEFAULT_USERNAME};

/// A back-office profile `pos` for the sandbox; `backoffice` is the body of its table.
fn pos_env(sb: &Sandbox, backoffice: &str) -> Env {
    let env = Env::new()
        .with_env("SHOPSYNC_POS_SHOPIFY_TOKEN", SHOPIFY_TOKEN)
        .with_env("SHOPSYNC_POS_TELLIX_USERNAME_TOKEN", DEFAULT_USERNAME)
        .with_env("SHOPSYNC_POS_TELLIX_PASSWORD_TOKEN", DEFAULT_PASSWORD)
        .with_env("SHOPSYNC_POS_TELLIX_APIKEY_TOKEN", DEFAULT_APIKEY);
    env.write_config(&format!(
        r#"
[profiles.pos]
source = "shopify"
target = "backoffice"

[profiles.pos.shopify]
shop = "sandbox-store.myshopify.com"
base_url = "{}"

[profiles.pos.backoffice]
{backoffice}
"#,
        sb.shopify_url()
    ));
    env
}

fn tellix_table(sb: &Sandbox) -> String {
    format!("kind = \"tellix\"\nbase_url = \"{}\"\n", sb.tellix_url())
}

async fn store(customers: usize) -> Sandbox {
    sandbox(|c| {
        c.seed.customers = customers;
        c.seed.products = 3;
        c.seed.orders = 0;
        c.limits_lifted = true;
    })
    .await
}

/// Tellix writes (saves and updates) seen since the log was cleared.
fn tellix_writes(sb: &Sandbox) -> Vec<String> {
    sb.tellix
        .log()
        .into_iter()
        .filter(|l| l.method != "GET" && l.path != "/getaccesstoken")
        .map(|l| format!("{} {} {}", l.method, l.path, l.status))
        .collect()
}

fn shopify_email(sb: &Sandbox, gid: &str) -> Option<String> {
    sb.shopify.customer(gid)?["defaultEmailAddress"]["emailAddress"]
        .as_str()
        .map(str::to_string)
}

/// Every Tellix secret and the Shopify token must stay out of every output.
fn assert_no_tellix_secrets(run: &common::Run) {
    for secret in [DEFAULT_PASSWORD, DEFAULT_APIKEY] {
        assert!(!run.stdout.contains(secret) && !run.stderr.contains(secret));
    }
}

#[tokio::test]
async fn pull_customers_into_tellix_pairs_by_email_then_goes_incremental() {
    let sb = store(30).await;
    let env = pos_env(&sb, &tellix_table(&sb));
    let ids = sb.shopify.customer_ids();
    let emails: Vec<Option<String>> = ids.iter().map(|g| shopify_email(&sb, g)).collect();
    let with_email = emails.iter().filter(|e| e.is_some()).count();
    // One customer is already in the back office (same e-mail, other case): paired, not doubled.
    let (known_idx, known_email) = emails
        .iter()
        .enumerate()
        .find_map(|(i, e)| e.clone().map(|e| (i, e)))
        .unwrap();
    let known_tellix = sb
        .tellix
        .insert_customer(json!({"name": "Old Name", "email": known_email.to_uppercase()}));

    let dry = env
        .run(&["--json", "pull-customers", "--profile", "pos", "--dry-run"])
        .await;
    dry.expect_code(0);
    assert_no_tellix_secrets(&dry);
    let plan = dry.json();
    assert_eq!(plan["read"], "full");
    assert_eq!(plan["records"], ids.len());
    assert_eq!(plan["create"].as_u64().unwrap() as usize, ids.len() - 1);
    assert_eq!(plan["update"], 1, "{plan:#}");
    let paired = plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["action"] == "update")
        .unwrap();
    assert_eq!(paired["source_id"], ids[known_idx]);
    assert_eq!(paired["target_id"], known_tellix.to_string());
    assert!(paired["fields"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["field"] == "name" && f["old"] == "Old Name"));
    assert!(tellix_writes(&sb).is_empty(), "a dry run writes nothing");

    let run = env
        .run(&["--json", "pull-customers", "--profile", "pos"])
        .await;
    run.expect_code(0);
    assert_no_tellix_secrets(&run);
    let tellix = sb.tellix.customers();
    assert_eq!(
        tellix.len(),
        ids.len(),
        "one Tellix customer per Shopify customer"
    );
    let paired = tellix
        .iter()
        .find(|c| c["customerId"] == known_tellix)
        .unwrap();
    assert_ne!(paired["name"], "Old Name");
    assert_eq!(paired["email"].as_str().unwrap(), known_email);
    assert_eq!(
        tellix.iter().filter(|c| c["email"].is_string()).count(),
        with_email
    );

    // Nothing changed: an incremental run writes nothing.
    sb.tellix.clear_log();
    let again = env
        .run(&["--json", "pull-customers", "--profile", "pos"])
        .await;
    again.expect_code(0);
    assert_eq!(again.json()["read"], "incremental");
    assert!(tellix_writes(&sb).is_empty(), "{:?}", tellix_writes(&sb));

    // One customer changes its phone in the shop (and the Tellix token has expired meanwhile):
    // exactly that customer is updated, after one new login.
    let target = &ids[3];
    assert!(sb.shopify.update_customer(target, |c| {
        c["defaultPhoneNumber"] =
            json!({"__typename": "CustomerPhoneNumber", "phoneNumber": "+4791234567"});
    }));
    sb.tellix.expire_tokens();
    let tokens = sb.tellix.tokens_issued();
    sb.tellix.clear_log();
    let run = env
        .run(&["--json", "pull-customers", "--profile", "pos"])
        .await;
    run.expect_code(0);
    let report = run.json();
    assert_eq!(report["update"], 1, "{report:#}");
    assert_eq!(report["create"], 0);
    let writes = tellix_writes(&sb);
    assert_eq!(writes.len(), 1, "{writes:?}");
    assert!(writes[0].starts_with("PUT /customer/update/"), "{writes:?}");
    assert_eq!(sb.tellix.tokens_issued(), tokens + 1);
    let updated = sb
        .tellix
        .customers()
        .into_iter()
        .find(|c| c["phoneNumber"] == "+4791234567");
    assert!(updated.is_some());

    // --full reads everything again and still writes nothing new.
    sb.tellix.clear_log();
    let full = env
        .run(&["--json", "pull-customers", "--profile", "pos", "--full"])
        .await;
    full.expect_code(0);
    assert_eq!(full.json()["read"], "full");
    assert_eq!(full.json()["records"], ids.len());
    assert!(tellix_writes(&sb).is_empty(), "{:?}", tellix_writes(&sb));
}

#[tokio::test]
async fn pull_customers_into_a_file_merges_and_writes_atomically() {
    let sb = store(12).await;
    let env = pos_env(&sb, "kind = \"files\"\n");
    let out = env.dir.path().join("customers.csv");
    let out_s = out.display().to_string();
    let ids = sb.shopify.customer_ids();

    let run = env
        .run(&["pull-customers", "--profile", "pos", "--out", &out_s])
        .await;
    run.expect_code(0);
    assert!(run.stdout.contains("Done: 12 created"), "{}", run.stdout);
    let text = std::fs::read_to_string(&out).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        &header[..4],
        ["shopify_id", "first_name", "last_name", "email"]
    );
    assert_eq!(reader.records().count(), 12);

    // One change: incremental read, that row replaced, the other rows kept as they were.
    let target = &ids[5];
    sb.shopify.update_customer(target, |c| {
        c["firstName"] = json!("Ingrid");
    });
    let run = env
        .run(&[
            "--json",
            "pull-customers",
            "--profile",
            "pos",
            "--out",
            &out_s,
        ])
        .await;
    run.expect_code(0);
    let report = run.json();
    assert_eq!(report["read"], "incremental");
    assert_eq!(report["update"], 1, "{report:#}");
    assert_eq!(report["create"], 0);
    let after = std::fs::read_to_string(&out).unwrap();
    let changed: Vec<(&str, &str)> = text
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].1.contains("Ingrid"));
    // No temporary file left beside it.
    let names: Vec<String> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("customers"))
        .collect();
    assert_eq!(names, ["customers.csv"]);

    // JSON Lines, from --since: only customers changed since then.
    let jsonl = env.dir.path().join("customers.jsonl");
    let since = (chrono::Utc::now() - chrono::Duration::minutes(10))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let run = env
        .run(&[
            "--json",
            "pull-customers",
            "--profile",
            "pos",
            "--since",
            &since,
            "--out",
            &jsonl.display().to_string(),
        ])
        .await;
    run.expect_code(0);
    let lines: Vec<Value> = std::fs::read_to_string(&jsonl)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.iter().any(|l| l["first_name"] == "Ingrid"));
    assert!(lines.len() < 12, "only recent changes: {}", lines.len());

    // A bad --since, --out on a Tellix profile: usage errors.
    let bad = env
        .run(&["pull-customers", "--profile", "pos", "--since", "last week"])
        .await;
    bad.expect_code(2);
    assert!(bad.stderr.contains("YYYY-MM-DD"), "{}", bad.stderr);
}
