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

    // A customer with no name, e-mail or phone is skipped with the reason (Tellix needs a
    // name), not refused on every run.
    let nameless = sb
        .shopify
        .create_customer(shopsync_sandbox::shopify::NewCustomer {
            first_name: None,
            last_name: None,
            email: None,
            phone: None,
            tags: vec![],
            note: Some("walk-in".into()),
            accepts_marketing: false,
        });
    let run = env
        .run(&["--json", "pull-customers", "--profile", "pos"])
        .await;
    run.expect_code(0);
    let report = run.json();
    let skipped = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["action"] == "skip")
        .unwrap();
    assert_eq!(skipped["source_id"], nameless);
    assert!(skipped["reason"]
        .as_str()
        .unwrap()
        .contains("Tellix needs a name"));

    // --full reads everything again and still writes nothing new.
    sb.tellix.clear_log();
    let full = env
        .run(&["--json", "pull-customers", "--profile", "pos", "--full"])
        .await;
    full.expect_code(0);
    assert_eq!(full.json()["read"], "full");
    assert_eq!(full.json()["records"], ids.len() + 1);
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
    assert!(
        run.stdout.contains(&format!("Written to {out_s};")),
        "{}",
        run.stdout
    );
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

// ---------------------------------------------------------------------------------------------
// push-products
// ---------------------------------------------------------------------------------------------

use shopsync::connectors::shopify::{ShopifyCatalogueProduct, ShopifyClient};
use std::collections::BTreeMap;

/// The shop's catalogue read straight through the connector, by product id.
async fn shop_catalogue(sb: &Sandbox) -> BTreeMap<String, ShopifyCatalogueProduct> {
    let client = ShopifyClient::new(
        &sb.shopify_url(),
        "sandbox-store.myshopify.com",
        shopsync::config::credentials::Secret::new(SHOPIFY_TOKEN.into()),
    );
    let c = client.catalogue(100_000).await.unwrap();
    assert!(c.malformed.is_empty(), "{:?}", c.malformed);
    c.products.into_iter().map(|p| (p.id.clone(), p)).collect()
}

fn by_sku<'a>(
    shop: &'a BTreeMap<String, ShopifyCatalogueProduct>,
    sku: &str,
) -> (
    &'a ShopifyCatalogueProduct,
    &'a shopsync::connectors::shopify::ShopifyCatalogueVariant,
) {
    shop.values()
        .find_map(|p| {
            p.variants
                .iter()
                .find(|v| v.sku.as_deref() == Some(sku))
                .map(|v| (p, v))
        })
        .unwrap_or_else(|| panic!("no variant with SKU {sku} in the shop"))
}

fn level(
    v: &shopsync::connectors::shopify::ShopifyCatalogueVariant,
    location: &str,
) -> Option<i64> {
    v.inventory_levels
        .iter()
        .find(|l| l.location_id == location)
        .map(|l| l.available)
}

/// The products (by id) whose catalogue data differs between two reads, ignoring `updated_at`.
fn moved(
    before: &BTreeMap<String, ShopifyCatalogueProduct>,
    after: &BTreeMap<String, ShopifyCatalogueProduct>,
) -> Vec<String> {
    let mut out: Vec<String> = after
        .iter()
        .filter(|(id, p)| {
            let Some(old) = before.get(*id) else {
                return true;
            };
            let mut a = (*p).clone();
            let mut b = old.clone();
            a.updated_at.clear();
            b.updated_at.clear();
            a != b
        })
        .map(|(id, _)| id.clone())
        .collect();
    out.extend(before.keys().filter(|id| !after.contains_key(*id)).cloned());
    out
}

const CATALOGUE: &str = "product,sku,name,status,description,images,option1_name,option1_value,barcode,price:Oslo,price:Web,inventory_tracked,stock:Oslo,stock:Bergen
1001,TS-S,Basic T-shirt,active,Organic cotton.,https://cdn.example.com/ts.jpg,Size,S,7040000000011,199.00,179.00,yes,12,4
1001,TS-M,Basic T-shirt,active,Organic cotton.,https://cdn.example.com/ts.jpg,Size,M,7040000000028,199.00,179.00,yes,8,0
1002,MUG-01,Mug,active,,https://cdn.example.com/mug.jpg,,,,89.00,,yes,30,10
";

fn files_table(catalogue: &std::path::Path, extra: &str) -> String {
    format!(
        "kind = \"files\"\ncatalogue = \"{}\"\nprice_department = \"Oslo\"\nsync_description = true\n{extra}\n[profiles.pos.backoffice.warehouses]\nOslo = \"Amsterdam Warehouse\"\nBergen = \"København Butik\"\n",
        catalogue.display()
    )
}

#[tokio::test]
async fn push_a_file_catalogue_then_exactly_the_changed_price_image_and_stock() {
    let sb = store(2).await;
    let env0 = Env::new();
    let cat = env0.dir.path().join("catalogue.csv");
    // Good rows, and one of each kind of bad row: reported with file:line, the rest lands.
    let mut text = CATALOGUE.to_string();
    text.push_str("2001,,Cap,active,,,,,,10,,yes,1,1\n"); // 5
    text.push_str("2002,CAP-2,Cap,active,,,,,,ten,,yes,1,1\n"); // 6
    text.push_str("2003,CAP-3,Cap,sold,,,,,,10,,yes,1,1\n"); // 7
    text.push_str("2004,CAP-4,Cap,active,,htp:/x,,,,10,,yes,1,1\n"); // 8
    text.push_str("2006,CAP-6,Cap\n"); // 9
    text.push_str("2007,MUG-01,Mug again,active,,,,,,10,,yes,1,1\n"); // 10: duplicate SKU
    let mut bytes = text.into_bytes();
    bytes.extend(b"2005,CAP-5,Caf\xE9,active,,,,,,10,,yes,1,1\n"); // 11
    std::fs::write(&cat, &bytes).unwrap();
    let env = pos_env(&sb, &files_table(&cat, ""));
    let locations = sb_locations(&sb).await;
    let before = shop_catalogue(&sb).await;

    let dry = env
        .run(&["--json", "push-products", "--profile", "pos", "--dry-run"])
        .await;
    dry.expect_code(1);
    let plan = dry.json();
    assert_eq!(plan["create"], 1, "{plan:#}"); // the T-shirt (the Mug's SKU is duplicated)
    let failures: Vec<String> = plan["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}: {}",
                f["source_id"].as_str().unwrap(),
                f["reason"].as_str().unwrap()
            )
        })
        .collect();
    for expect in [
        "catalogue.csv:5: missing SKU",
        "catalogue.csv:6: malformed price `ten`",
        "catalogue.csv:7: unknown status `sold`",
        "catalogue.csv:8: broken image URL",
        "catalogue.csv:9: wrong column count",
        "catalogue.csv:10: duplicate SKU `MUG-01`: also at catalogue.csv:4",
        "catalogue.csv:4: duplicate SKU `MUG-01`",
        "catalogue.csv:11: not UTF-8",
    ] {
        assert!(
            failures.iter().any(|f| f.starts_with(expect)),
            "{expect} not in {failures:#?}"
        );
    }
    let ts = &plan["changes"][0];
    assert_eq!(ts["action"], "create");
    let fields: Vec<String> = ts["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} -> {}",
                f["field"].as_str().unwrap(),
                f["new"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert!(
        fields.contains(&"title -> Basic T-shirt".to_string()),
        "{fields:?}"
    );
    // A new variant's stock is named by its warehouse, as every other stock line, not by the
    // Shopify location's id.
    assert!(
        fields.contains(&"stock TS-S @ Oslo -> 12".to_string()),
        "{fields:?}"
    );
    assert!(
        fields.iter().all(|f| !f.contains("gid://shopify/Location")),
        "{fields:?}"
    );
    assert!(
        fields
            .iter()
            .any(|f| f.starts_with("variant TS-S -> S price 199.00")),
        "{fields:?}"
    );
    assert!(
        moved(&before, &shop_catalogue(&sb).await).is_empty(),
        "a dry run writes nothing"
    );

    // Without the duplicate, the Mug lands too.
    let mut fixed = bytes.clone();
    let dup = b"2007,MUG-01,Mug again,active,,,,,,10,,yes,1,1\n";
    let at = fixed.windows(dup.len()).position(|w| w == dup).unwrap();
    fixed.splice(
        at..at + dup.len(),
        b"2007,CAP-7,Cap 7,active,,,,,,10,,no,,\n".iter().copied(),
    );
    std::fs::write(&cat, &fixed).unwrap();
    let run = env
        .run(&["--json", "push-products", "--profile", "pos"])
        .await;
    run.expect_code(1); // the bad rows
    let report = run.json();
    assert_eq!(report["create"], 3, "{report:#}");
    let shop = shop_catalogue(&sb).await;
    let created = moved(&before, &shop);
    assert_eq!(created.len(), 3, "exactly three new products: {created:?}");
    let (tshirt, small) = by_sku(&shop, "TS-S");
    assert_eq!(tshirt.title, "Basic T-shirt");
    assert_eq!(tshirt.status, "ACTIVE");
    assert_eq!(tshirt.description_html, "Organic cotton.");
    assert_eq!(tshirt.variants.len(), 2);
    assert_eq!(amount(&small.price), "199.00");
    assert_eq!(small.barcode.as_deref(), Some("7040000000011"));
    assert!(small.tracked);
    assert_eq!(level(small, &locations["Amsterdam Warehouse"]), Some(12));
    assert_eq!(level(small, &locations["København Butik"]), Some(4));
    assert_eq!(tshirt.images.len(), 1);
    let (_, cap) = by_sku(&shop, "CAP-7");
    assert!(!cap.tracked);

    // Nothing changed: the next push writes nothing.
    let again = env
        .run(&["--json", "push-products", "--profile", "pos"])
        .await;
    let r = again.json();
    assert_eq!(
        (r["create"].as_u64(), r["update"].as_u64()),
        (Some(0), Some(0)),
        "{r:#}"
    );
    assert!(moved(&shop, &shop_catalogue(&sb).await).is_empty());

    // In the back office: a price, an image and a stock level change.
    let mut next = fixed.clone();
    let replace = |bytes: &mut Vec<u8>, from: &str, to: &str| {
        let at = bytes
            .windows(from.len())
            .position(|w| w == from.as_bytes())
            .unwrap_or_else(|| panic!("{from}"));
        bytes.splice(at..at + from.len(), to.bytes());
    };
    replace(
        &mut next,
        "Size,S,7040000000011,199.00",
        "Size,S,7040000000011,149.00",
    );
    replace(
        &mut next,
        "https://cdn.example.com/mug.jpg",
        "https://cdn.example.com/mug.jpg|https://cdn.example.com/mug-2.jpg",
    );
    replace(&mut next, "yes,8,0", "yes,5,0");
    std::fs::write(&cat, &next).unwrap();
    let dry = env
        .run(&["push-products", "--profile", "pos", "--dry-run"])
        .await;
    assert!(
        dry.stdout.contains("price TS-S: \"199.00\" -> \"149.00\""),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout.contains("stock TS-M @ Oslo: \"8\" -> \"5\""),
        "{}",
        dry.stdout
    );
    assert!(dry.stdout.contains("mug-2.jpg"), "{}", dry.stdout);
    assert!(
        dry.stdout
            .contains("unchanged in the shop. Nothing was written"),
        "{}",
        dry.stdout
    );
    let run = env
        .run(&["--json", "push-products", "--profile", "pos"])
        .await;
    let r = run.json();
    assert_eq!(r["update"], 2, "{r:#}"); // the T-shirt (price, stock) and the Mug (image)
    let after = shop_catalogue(&sb).await;
    let mut moved_ids = moved(&shop, &after);
    moved_ids.sort();
    let mut expect = vec![
        by_sku(&shop, "TS-S").0.id.clone(),
        by_sku(&shop, "MUG-01").0.id.clone(),
    ];
    expect.sort();
    assert_eq!(moved_ids, expect, "only the T-shirt and the Mug moved");
    let (t2, s2) = by_sku(&after, "TS-S");
    let (_, m2) = by_sku(&after, "TS-M");
    assert_eq!(amount(&s2.price), "149.00");
    assert_eq!(amount(&m2.price), "199.00");
    assert_eq!(level(m2, &locations["Amsterdam Warehouse"]), Some(5));
    assert_eq!(level(m2, &locations["København Butik"]), Some(0));
    assert_eq!(level(s2, &locations["Amsterdam Warehouse"]), Some(12));
    let (old_t, old_s) = by_sku(&shop, "TS-S");
    assert_eq!(t2.images, old_t.images);
    assert_eq!(
        s2.id, old_s.id,
        "variants are updated in place, not replaced"
    );
    let (mug, _) = by_sku(&after, "MUG-01");
    let (old_mug, _) = by_sku(&shop, "MUG-01");
    assert_eq!(
        mug.images.len(),
        2,
        "the new image is added, the old one kept"
    );
    assert_eq!(mug.images[0].id, old_mug.images[0].id);

    // A price changed in the shop stays while the back office's price does not change.
    // (price_only_when_changed): the shop's TS-M price is edited by hand...
    let client = ShopifyClient::new(
        &sb.shopify_url(),
        "sandbox-store.myshopify.com",
        shopsync::config::credentials::Secret::new(SHOPIFY_TOKEN.into()),
    );
    let (tp, tm) = by_sku(&after, "TS-M");
    let input = shopsync::connectors::shopify::ProductSetInput {
        product_options: Some(
            tp.options
                .iter()
                .map(|o| shopsync::connectors::shopify::OptionSetInput {
                    name: o.name.clone(),
                    values: o
                        .values
                        .iter()
                        .map(|v| shopsync::connectors::shopify::OptionValueSetInput {
                            name: v.clone(),
                        })
                        .collect(),
                    ..Default::default()
                })
                .collect(),
        ),
        variants: Some(
            tp.variants
                .iter()
                .map(|v| shopsync::connectors::shopify::ProductVariantSetInput {
                    id: Some(v.id.clone()),
                    option_values: v
                        .selected_options
                        .iter()
                        .map(
                            |(n, val)| shopsync::connectors::shopify::VariantOptionValueInput {
                                option_name: n.clone(),
                                name: val.clone(),
                            },
                        )
                        .collect(),
                    price: (v.id == tm.id).then(|| "189.00".to_string()),
                    ..Default::default()
                })
                .collect(),
        ),
        ..Default::default()
    };
    let res = client.product_set(Some(&tp.id), &input).await.unwrap();
    assert!(res.user_errors.is_empty(), "{:?}", res.user_errors);
    let run = env
        .run(&["--json", "push-products", "--profile", "pos"])
        .await;
    assert_eq!(run.json()["update"], 0, "{}", run.stdout);
    assert_eq!(
        amount(&by_sku(&shop_catalogue(&sb).await, "TS-M").1.price),
        "189.00"
    );
}

/// A Shopify price ("199.0") as the catalogue writes it ("199.00").
fn amount(price: &str) -> String {
    shopsync::catalogue::normalize_price(price).unwrap()
}

/// Location gid by name.
async fn sb_locations(sb: &Sandbox) -> BTreeMap<String, String> {
    let client = ShopifyClient::new(
        &sb.shopify_url(),
        "sandbox-store.myshopify.com",
        shopsync::config::credentials::Secret::new(SHOPIFY_TOKEN.into()),
    );
    client
        .locations()
        .await
        .unwrap()
        .into_iter()
        .map(|l| (l.name, l.id))
        .collect()
}

#[tokio::test]
async fn push_a_tellix_catalogue_and_a_price_change_then_pull_stock_back() {
    let sb = store(2).await;
    let env = pos_env(
        &sb,
        &format!(
            "{}price_department = \"Oslo\"\n[profiles.pos.backoffice.warehouses]\nOslo = \"Amsterdam Warehouse\"\n",
            tellix_table(&sb)
        ),
    );
    let locations = sb_locations(&sb).await;
    let jacket = sb.tellix.insert_product(json!({
        "productName": "Rain jacket", "productNumber": "JACKET", "priceIncVat": 999.0, "stockControl": true,
        "showOnWeb": true, "images": ["https://cdn.example.com/jacket.jpg"],
        "variants": [
            {"productNumber": "JK-S", "barcode": "111", "options": [{"name": "Size", "value": "S"}],
             "departments": [{"departmentId": 1, "incPrice": 899.0, "stockQuantity": 3}, {"departmentId": 2, "incPrice": 949.0, "stockQuantity": 1}]},
            {"productNumber": "JK-L", "options": [{"name": "Size", "value": "L"}],
             "departments": [{"departmentId": 1, "incPrice": 899.0, "stockQuantity": 6}]}
        ]
    }));
    sb.tellix.insert_product(json!({
        "productName": "Socks", "productNumber": "SOCKS", "priceIncVat": 49.5, "stockControl": false,
        "departments": [{"departmentId": 1, "incPrice": 59.0}]
    }));
    sb.tellix.insert_product(json!({
        "productName": "Shop-only item", "productNumber": "INTERNAL", "priceIncVat": 1.0, "showOnWeb": false
    }));
    let before = shop_catalogue(&sb).await;

    let run = env
        .run(&["--json", "push-products", "--profile", "pos"])
        .await;
    run.expect_code(0);
    assert_no_tellix_secrets(&run);
    let r = run.json();
    assert_eq!(r["create"], 2, "{r:#}");
    assert_eq!(r["skip"], 1, "not online: not created");
    let shop = shop_catalogue(&sb).await;
    assert_eq!(moved(&before, &shop).len(), 2);
    let (jk, s) = by_sku(&shop, "JK-S");
    assert_eq!(jk.title, "Rain jacket");
    assert_eq!(amount(&s.price), "899.00", "the Oslo department's price");
    assert_eq!(level(s, &locations["Amsterdam Warehouse"]), Some(3));
    let (_, socks) = by_sku(&shop, "SOCKS");
    assert_eq!(amount(&socks.price), "59.00");
    assert!(!socks.tracked);

    // The price changes in Tellix: exactly that variant's price moves.
    sb.tellix.edit_product(jacket, |p| {
        p["variants"][1]["departments"][0]["incPrice"] = json!(799.0);
    });
    let run = env
        .run(&["--json", "push-products", "--profile", "pos"])
        .await;
    run.expect_code(0);
    assert_eq!(run.json()["update"], 1, "{}", run.stdout);
    let after = shop_catalogue(&sb).await;
    assert_eq!(moved(&shop, &after), vec![jk.id.clone()]);
    assert_eq!(amount(&by_sku(&after, "JK-L").1.price), "799.00");
    assert_eq!(amount(&by_sku(&after, "JK-S").1.price), "899.00");

    // Stock comes back: the shop sells 2 JK-L; pull-stock sets Oslo to 4 in Tellix, and
    // only that.
    let (_, jkl) = by_sku(&after, "JK-L");
    let client = ShopifyClient::new(
        &sb.shopify_url(),
        "sandbox-store.myshopify.com",
        shopsync::config::credentials::Secret::new(SHOPIFY_TOKEN.into()),
    );
    let out = client
        .inventory_set_quantities(
            shopsync::connectors::shopify::QuantityName::Available,
            shopsync::connectors::shopify::REASON_CORRECTION,
            None,
            &[shopsync::connectors::shopify::InventorySet {
                inventory_item_id: jkl.inventory_item_id.clone(),
                location_id: locations["Amsterdam Warehouse"].clone(),
                quantity: 4,
                change_from: Some(6),
            }],
        )
        .await
        .unwrap();
    assert!(
        matches!(
            out[0],
            shopsync::connectors::shopify::InventorySetOutcome::Set { .. }
        ),
        "{out:?}"
    );
    sb.tellix.clear_log();
    let run = env.run(&["--json", "pull-stock", "--profile", "pos"]).await;
    run.expect_code(0);
    let r = run.json();
    assert_eq!(r["update"], 1, "{r:#}");
    let writes = tellix_writes(&sb);
    assert_eq!(writes, ["POST /stock/update 200"]);
    let vid = sb.tellix.product_by_sku("JK-L").unwrap()["variantId"]
        .as_i64()
        .unwrap();
    assert_eq!(sb.tellix.stock(vid)[&1], 4);
}

#[tokio::test]
async fn a_shopify_user_error_is_reported_per_product_with_its_field_path() {
    let sb = store(2).await;
    let env0 = Env::new();
    let cat = env0.dir.path().join("catalogue.jsonl");
    // Two variants with the same option value: Shopify refuses that product only.
    std::fs::write(
        &cat,
        concat!(
            r#"{"product":"1","name":"Twin","options":["Size"],"variants":[{"sku":"TW-1","options":["S"],"price":"10"},{"sku":"TW-2","options":["S"],"price":"10"}]}"#,
            "\n",
            r#"{"product":"2","name":"Fine","variants":[{"sku":"FINE","price":"5"}]}"#,
            "\n"
        ),
    )
    .unwrap();
    let env = pos_env(
        &sb,
        &format!("kind = \"files\"\ncatalogue = \"{}\"\n", cat.display()),
    );
    let run = env
        .run(&["--json", "push-products", "--profile", "pos"])
        .await;
    run.expect_code(1);
    let r = run.json();
    assert_eq!(r["create"], 1, "{r:#}");
    assert_eq!(r["failed"], 1);
    let f = &r["failures"][0];
    assert_eq!(f["source_id"], "catalogue.jsonl:1");
    let reason = f["reason"].as_str().unwrap();
    assert!(
        reason.contains("Shopify refused Twin: input.variants.1"),
        "{reason}"
    );
    assert!(reason.contains("already exists"), "{reason}");
    let shop = shop_catalogue(&sb).await;
    by_sku(&shop, "FINE");
    assert!(shop.values().all(|p| p.title != "Twin"));
    // The human view names it too.
    let run = env.run(&["push-products", "--profile", "pos"]).await;
    assert!(
        run.stdout
            .contains("catalogue.jsonl:1: Shopify refused Twin: input.variants.1"),
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn link_products_imports_the_shop_into_tellix_and_reports_products_without_sku() {
    let sb = store(2).await;
    let env = pos_env(&sb, &tellix_table(&sb));
    let shop = shop_catalogue(&sb).await;
    let without_sku: Vec<&ShopifyCatalogueProduct> = shop
        .values()
        .filter(|p| {
            p.variants
                .iter()
                .any(|v| v.sku.as_deref().is_none_or(str::is_empty))
        })
        .collect();
    let with_sku = shop.len() - without_sku.len();
    let dry = env
        .run(&["--json", "link-products", "--profile", "pos", "--dry-run"])
        .await;
    let plan = dry.json();
    assert_eq!(
        plan["create"].as_u64().unwrap() as usize,
        with_sku,
        "{plan:#}"
    );
    assert_eq!(plan["skip"].as_u64().unwrap() as usize, without_sku.len());
    assert!(sb.tellix.products().is_empty());
    let run = env
        .run(&["--json", "link-products", "--profile", "pos"])
        .await;
    run.expect_code(0);
    let skus: usize = shop
        .values()
        .filter(|p| {
            p.variants
                .iter()
                .all(|v| v.sku.as_deref().is_some_and(|s| !s.is_empty()))
        })
        .map(|p| p.variants.len())
        .sum();
    let in_tellix: usize = sb
        .tellix
        .products()
        .iter()
        .map(|p| p["variants"].as_array().map(|a| a.len()).unwrap_or(1))
        .sum();
    assert_eq!(in_tellix, skus);
    // Linked: a push right after changes nothing in the shop.
    let push = env
        .run(&["--json", "push-products", "--profile", "pos"])
        .await;
    let r = push.json();
    assert_eq!(
        (r["create"].as_u64(), r["update"].as_u64()),
        (Some(0), Some(0)),
        "{r:#}"
    );
    assert!(moved(&shop, &shop_catalogue(&sb).await).is_empty());
    // And the link is not made twice.
    let again = env
        .run(&["--json", "link-products", "--profile", "pos"])
        .await;
    assert_eq!(again.json()["create"], 0);
}

#[tokio::test]
async fn auth_status_lists_the_tellix_credentials_of_a_tellix_profile_never_their_values() {
    let sb = store(1).await;
    let env = pos_env(&sb, &tellix_table(&sb));
    let run = env.run(&["--json", "auth", "status"]).await;
    run.expect_code(0);
    let rows = run.json();
    let systems: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["system"].as_str().unwrap())
        .collect();
    assert_eq!(
        systems,
        [
            "shopify",
            "tellix-username",
            "tellix-password",
            "tellix-apikey"
        ]
    );
    let password = &rows[2];
    assert_eq!(password["set"], true);
    assert_eq!(password["source"], "env");
    assert_eq!(password["variable"], "SHOPSYNC_POS_TELLIX_PASSWORD_TOKEN");
    // A wrong password: a configuration error naming the fix, no secret printed.
    let wrong = env.with_env("SHOPSYNC_POS_TELLIX_PASSWORD_TOKEN", "not-the-password");
    let run = wrong.run(&["pull-customers", "--profile", "pos"]).await;
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("Tellix refused the username, password or API key"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("tellix-password"), "{}", run.stderr);
    assert!(!run.stderr.contains("not-the-password"));
}

#[tokio::test]
async fn link_into_a_catalogue_file_then_push_it_back_changes_nothing_and_stock_goes_to_the_stock_file(
) {
    let sb = store(2).await;
    let env0 = Env::new();
    let cat = env0.dir.path().join("catalogue.csv");
    let stock = env0.dir.path().join("stock.jsonl");
    let env = pos_env(
        &sb,
        &format!(
            "kind = \"files\"\ncatalogue = \"{}\"\nstock_file = \"{}\"\n[profiles.pos.backoffice.warehouses]\nMain = \"Amsterdam Warehouse\"\n",
            cat.display(),
            stock.display()
        ),
    );
    let shop = shop_catalogue(&sb).await;
    let run = env
        .run(&["--json", "link-products", "--profile", "pos"])
        .await;
    run.expect_code(0);
    let r = run.json();
    let with_sku = shop
        .values()
        .filter(|p| {
            p.variants
                .iter()
                .all(|v| v.sku.as_deref().is_some_and(|s| !s.is_empty()))
        })
        .count();
    assert_eq!(r["create"].as_u64().unwrap() as usize, with_sku, "{r:#}");
    // The file is a catalogue shopsync reads back without a problem...
    let read = shopsync::connectors::files::catalogue::read(&cat).unwrap();
    assert!(read.problems.is_empty(), "{:?}", read.problems);
    assert_eq!(read.products.len(), with_sku);
    // ...and pushing it changes nothing in the shop.
    let push = env
        .run(&["--json", "push-products", "--profile", "pos"])
        .await;
    push.expect_code(0);
    let r = push.json();
    assert_eq!(
        (r["create"].as_u64(), r["update"].as_u64()),
        (Some(0), Some(0)),
        "{r:#}"
    );
    assert!(moved(&shop, &shop_catalogue(&sb).await).is_empty());
    // A second link never overwrites the catalogue.
    let again = env.run(&["link-products", "--profile", "pos"]).await;
    again.expect_code(2);
    assert!(
        again.stderr.contains("never overwrites"),
        "{}",
        again.stderr
    );

    // pull-stock: one line per tracked SKU stocked at the mapped location.
    let run = env.run(&["--json", "pull-stock", "--profile", "pos"]).await;
    run.expect_code(0);
    let amsterdam = sb_locations(&sb).await["Amsterdam Warehouse"].clone();
    let mut expect: Vec<(String, i64)> = shop
        .values()
        .flat_map(|p| p.variants.iter())
        .filter(|v| v.tracked && v.sku.as_deref().is_some_and(|s| !s.is_empty()))
        .filter_map(|v| Some((v.sku.clone()?, level(v, &amsterdam)?)))
        .collect();
    expect.sort();
    let mut got: Vec<(String, i64)> = std::fs::read_to_string(&stock)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            assert_eq!(v["warehouse"], "Main");
            (
                v["sku"].as_str().unwrap().to_string(),
                v["quantity"].as_i64().unwrap(),
            )
        })
        .collect();
    got.sort();
    assert!(!got.is_empty());
    assert_eq!(got, expect);
}

#[tokio::test]
async fn doctor_checks_a_back_office_profile_login_departments_and_files() {
    let sb = store(1).await;
    let env = pos_env(
        &sb,
        &format!(
            "{}price_department = \"Oslo\"\n[profiles.pos.backoffice.warehouses]\nOslo = \"Amsterdam Warehouse\"\n\"Tromsø\" = \"København Butik\"\n",
            tellix_table(&sb)
        ),
    );
    let run = env.run(&["--json", "doctor", "--profile", "pos"]).await;
    assert_no_tellix_secrets(&run);
    let report = run.json();
    let status = |check: &str| {
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["check"] == check)
            .map(|c| {
                (
                    c["status"].as_str().unwrap().to_string(),
                    c["message"].as_str().unwrap().to_string(),
                    c["fix"].as_str().unwrap_or("").to_string(),
                )
            })
            .unwrap_or_else(|| panic!("no {check} in {report:#}"))
    };
    assert_eq!(status("tellix-password.credential").0, "ok");
    let login = status("tellix.login");
    assert_eq!(login.0, "ok", "{login:?}");
    assert!(login.1.contains("Oslo, Bergen, Nettbutikk"), "{login:?}");
    let depts = status("tellix.departments");
    assert_eq!(depts.0, "error");
    assert!(depts.1.contains("`Tromsø` (warehouses)"), "{depts:?}");
    assert!(report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["check"] != "hubspot.credential"));
    assert_eq!(run.code, 1);

    // Files: a catalogue with a bad row is a warning naming it.
    let env0 = Env::new();
    let cat = env0.dir.path().join("c.csv");
    std::fs::write(&cat, "product,sku,name,price\n1,A,A,1\n2,,B,2\n").unwrap();
    let env = pos_env(
        &sb,
        &format!(
            "kind = \"files\"\ncatalogue = \"{}\"\ncustomers_file = \"/no/such/dir/c.csv\"\n",
            cat.display()
        ),
    );
    let run = env.run(&["--json", "doctor", "--profile", "pos"]).await;
    let report = run.json();
    let find = |check: &str| {
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["check"] == check)
            .cloned()
            .unwrap()
    };
    let c = find("files.catalogue");
    assert_eq!(c["status"], "warning");
    assert!(
        c["message"]
            .as_str()
            .unwrap()
            .contains("c.csv:3: missing SKU"),
        "{c}"
    );
    assert_eq!(find("files.customers_file")["status"], "error");
}

#[tokio::test]
async fn a_newly_mapped_warehouse_starts_stocking_existing_variants_there_and_overwrite_images_replaces(
) {
    let sb = store(1).await;
    let env0 = Env::new();
    let cat = env0.dir.path().join("catalogue.csv");
    std::fs::write(&cat, CATALOGUE).unwrap();
    let table = |extra: &str, map: &str| {
        format!(
            "kind = \"files\"\ncatalogue = \"{}\"\nprice_department = \"Oslo\"\n{extra}\n[profiles.pos.backoffice.warehouses]\n{map}\n",
            cat.display()
        )
    };
    let env = pos_env(&sb, &table("", "Oslo = \"Amsterdam Warehouse\""));
    env.run(&["push-products", "--profile", "pos"])
        .await
        .expect_code(0);
    let locations = sb_locations(&sb).await;
    let shop = shop_catalogue(&sb).await;
    assert_eq!(
        level(by_sku(&shop, "TS-S").1, &locations["København Butik"]),
        None
    );

    // Bergen is mapped now, and images are overwritten: the Mug's image is replaced.
    let env = pos_env(
        &sb,
        &table(
            "overwrite_images = true",
            "Oslo = \"Amsterdam Warehouse\"\nBergen = \"København Butik\"",
        ),
    );
    let text = CATALOGUE.replace(
        "https://cdn.example.com/mug.jpg",
        "https://cdn.example.com/mug-new.jpg",
    );
    std::fs::write(&cat, text).unwrap();
    let run = env
        .run(&["--json", "push-products", "--profile", "pos"])
        .await;
    run.expect_code(0);
    let after = shop_catalogue(&sb).await;
    let (_, s) = by_sku(&after, "TS-S");
    assert_eq!(level(s, &locations["København Butik"]), Some(4));
    assert_eq!(level(s, &locations["Amsterdam Warehouse"]), Some(12));
    let (mug, _) = by_sku(&after, "MUG-01");
    let urls: Vec<String> = mug
        .images
        .iter()
        .map(|i| i.original_url.clone().or(i.url.clone()).unwrap_or_default())
        .collect();
    assert_eq!(urls, ["https://cdn.example.com/mug-new.jpg"]);
}

/// A warehouse mapped to a location that was deactivated in Shopify: the push stops before it
/// writes anything, naming the warehouse, the location and the fix (it used to send every
/// product, collect a refusal per stock level and still report the products as updated).
#[tokio::test]
async fn a_warehouse_mapped_to_an_inactive_location_stops_the_push_before_any_write() {
    let sb = store(1).await;
    let env0 = Env::new();
    let cat = env0.dir.path().join("catalogue.csv");
    std::fs::write(&cat, CATALOGUE).unwrap();
    let env = pos_env(&sb, &files_table(&cat, ""));
    env.run(&["push-products", "--profile", "pos"])
        .await
        .expect_code(0);
    let before = shop_catalogue(&sb).await;

    let locations = sb_locations(&sb).await;
    assert!(sb
        .shopify
        .set_location_active(&locations["København Butik"], false));
    std::fs::write(&cat, CATALOGUE.replace("199.00", "209.00")).unwrap();
    let run = env.run(&["push-products", "--profile", "pos"]).await;
    run.expect_code(2);
    assert!(
        run.stderr.contains("`Bergen` -> `København Butik`")
            && run.stderr.contains("inactive")
            && run.stderr.contains("Settings > Locations"),
        "{}",
        run.stderr
    );
    assert_eq!(
        moved(&before, &shop_catalogue(&sb).await),
        Vec::<String>::new()
    );
}

/// One source of truth for the counts: a catalogue row that cannot be read is failed once, in
/// the table and in the Done line alike (the table said 0 and the Done line 1).
#[tokio::test]
async fn the_table_and_the_done_line_count_failures_alike() {
    let sb = store(1).await;
    let env0 = Env::new();
    let cat = env0.dir.path().join("catalogue.csv");
    std::fs::write(
        &cat,
        format!("{CATALOGUE}1004,,Nameless,active,,,,,,10.00,,yes,1,1\n"),
    )
    .unwrap();
    let env = pos_env(&sb, &files_table(&cat, ""));
    let run = env.run(&["push-products", "--profile", "pos"]).await;
    let table_failed = run
        .stdout
        .lines()
        .find(|l| l.starts_with('|') && l.contains(char::is_numeric))
        .map(|l| l.split('|').nth(6).unwrap().trim().to_string())
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert_eq!(table_failed, "1", "{}", run.stdout);
    let done = run
        .stdout
        .lines()
        .find(|l| l.starts_with("Done:"))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(done.contains(", 1 failed in "), "{done}");
    let json = env
        .run(&["--json", "push-products", "--profile", "pos", "--dry-run"])
        .await
        .json();
    assert_eq!(json["failed"], 1, "{json:#}");
    assert_eq!(json["failures"].as_array().unwrap().len(), 1, "{json:#}");
}

/// A push keeps the shop's variant order (the catalogue lists them in another) and adds a new
/// variant at the end.
#[tokio::test]
async fn a_push_keeps_the_shops_variant_order_and_adds_new_variants_at_the_end() {
    let sb = store(1).await;
    let env0 = Env::new();
    let cat = env0.dir.path().join("catalogue.csv");
    std::fs::write(&cat, CATALOGUE).unwrap();
    let env = pos_env(&sb, &files_table(&cat, ""));
    env.run(&["push-products", "--profile", "pos"])
        .await
        .expect_code(0);
    let skus = |shop: &BTreeMap<String, ShopifyCatalogueProduct>| -> Vec<String> {
        by_sku(shop, "TS-S")
            .0
            .variants
            .iter()
            .map(|v| v.sku.clone().unwrap_or_default())
            .collect()
    };
    assert_eq!(skus(&shop_catalogue(&sb).await), ["TS-S", "TS-M"]);

    let mut lines: Vec<&str> = CATALOGUE.lines().collect();
    lines.swap(1, 2);
    let mut text = lines.join("\n");
    text.push_str("\n1001,TS-L,Basic T-shirt,active,Organic cotton.,https://cdn.example.com/ts.jpg,Size,L,7040000000035,199.00,179.00,yes,5,1\n");
    std::fs::write(&cat, text).unwrap();
    env.run(&["push-products", "--profile", "pos"])
        .await
        .expect_code(0);
    assert_eq!(
        skus(&shop_catalogue(&sb).await),
        ["TS-S", "TS-M", "TS-L"],
        "the shop's order, the new variant last"
    );
}

/// Products pushed with `online` are on the profile's sales channels (default: Online Store),
/// and taken off when `online` turns off; a channel the shop does not have stops the push
/// before any write.
#[tokio::test]
async fn pushed_products_are_published_to_the_sales_channels_and_unpublished_when_not_online() {
    let sb = store(1).await;
    let env0 = Env::new();
    let cat = env0.dir.path().join("catalogue.csv");
    // The catalogue with an `online` column: yes for all, then no for the mug.
    let with_online = |mug_online: &str| -> String {
        CATALOGUE
            .lines()
            .enumerate()
            .map(|(i, l)| match i {
                0 => format!("{l},online\n"),
                _ if l.contains("MUG-01") => format!("{l},{mug_online}\n"),
                _ => format!("{l},yes\n"),
            })
            .collect()
    };
    std::fs::write(&cat, with_online("yes")).unwrap();
    let env = pos_env(&sb, &files_table(&cat, ""));
    env.run(&["push-products", "--profile", "pos"])
        .await
        .expect_code(0);
    let shop = shop_catalogue(&sb).await;
    let tee = by_sku(&shop, "TS-S").0.id.clone();
    let mug = by_sku(&shop, "MUG-01").0.id.clone();
    assert_eq!(sb.shopify.sales_channels(&tee), ["Online Store"]);
    assert_eq!(sb.shopify.sales_channels(&mug), ["Online Store"]);

    // The mug is no longer for the web shop: off the Online Store (and a draft).
    std::fs::write(&cat, with_online("no")).unwrap();
    env.run(&["push-products", "--profile", "pos"])
        .await
        .expect_code(0);
    assert_eq!(sb.shopify.sales_channels(&mug), Vec::<String>::new());
    assert_eq!(sb.shopify.sales_channels(&tee), ["Online Store"]);

    // Two channels named in the profile; a product written again goes on both.
    std::fs::write(&cat, with_online("no").replace("199.00", "209.00")).unwrap();
    let env2 = pos_env(
        &sb,
        &files_table(
            &cat,
            "sales_channels = [\"Online Store\", \"Point of Sale\"]",
        ),
    );
    env2.run(&["push-products", "--profile", "pos"])
        .await
        .expect_code(0);
    assert_eq!(
        sb.shopify.sales_channels(&tee),
        ["Online Store", "Point of Sale"]
    );

    // A channel the shop does not have: nothing is written.
    let bad = pos_env(&sb, &files_table(&cat, "sales_channels = [\"Webshop\"]"));
    let before = shop_catalogue(&sb).await;
    std::fs::write(&cat, with_online("yes").replace("199.00", "219.00")).unwrap();
    let run = bad.run(&["push-products", "--profile", "pos"]).await;
    run.expect_code(2);
    assert!(
        run.stderr.contains("`Webshop`") && run.stderr.contains("Online Store, Point of Sale"),
        "{}",
        run.stderr
    );
    assert_eq!(
        moved(&before, &shop_catalogue(&sb).await),
        Vec::<String>::new()
    );
}
