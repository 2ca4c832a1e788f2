//! End-to-end tests of the Shopify Admin GraphQL fake over HTTP.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use apollo_compiler::validation::Valid;
use apollo_compiler::Schema;
use serde_json::{json, Value};
use shopsync_sandbox::seed::SeedConfig;
use shopsync_sandbox::shopify::{self, NewCustomer, ShopifyHandle};
use shopsync_sandbox::{Faults, SandboxConfig};

const TOKEN: &str = "shpat_sandbox_0123456789abcdef";

fn schema() -> Option<Arc<Valid<Schema>>> {
    static S: OnceLock<Option<Arc<Valid<Schema>>>> = OnceLock::new();
    S.get_or_init(|| {
        shopsync_sandbox::default_schema_path()
            .map(|p| shopify::load_schema(&p).expect("schema loads"))
    })
    .clone()
}

fn skipped(what: &str) {
    eprintln!("SKIPPED: {what}: Shopify schema file not found (set SHOPSYNC_SHOPIFY_SCHEMA or add ../shared/specs/shopify/admin_2026-10.graphql)");
}

fn documents_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../src/connectors/shopify/graphql")
}

/// A client document as the client sends it: with the fragment files it spreads appended
/// (`...CustomerFields` lives in `customer_fields.graphql`).
fn document(name: &str) -> String {
    let read = |n: &str| {
        std::fs::read_to_string(documents_dir().join(n)).unwrap_or_else(|e| panic!("{n}: {e}"))
    };
    let mut text = read(name);
    for (spread, file) in [
        ("...CustomerFields", "customer_fields.graphql"),
        ("...ProductFields", "product_fields.graphql"),
        ("...OrderFields", "order_fields.graphql"),
        (
            "...AbandonedCheckoutFields",
            "abandoned_checkout_fields.graphql",
        ),
        (
            "...CatalogueProductFields",
            "catalogue_product_fields.graphql",
        ),
        (
            "...CatalogueVariantFields",
            "catalogue_variant_fields.graphql",
        ),
        ("...WebhookOrderFields", "webhook_order_fields.graphql"),
        ("...WebhookLineItem", "webhook_line_item_fields.graphql"),
    ] {
        if text.contains(spread) && !name.ends_with("_fields.graphql") {
            text.push_str(&read(file));
        }
    }
    text
}

struct Fake {
    handle: ShopifyHandle,
    base: String,
    client: reqwest::Client,
}

fn config(seed: SeedConfig) -> SandboxConfig {
    SandboxConfig {
        seed,
        limits_lifted: true,
        ..SandboxConfig::default()
    }
}

async fn start(cfg: SandboxConfig) -> Fake {
    let (handle, router) = shopify::build_with_schema(&cfg, schema()).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    let base = format!("http://{addr}");
    handle.set_base_url(base.clone());
    Fake {
        handle,
        base,
        client: reqwest::Client::new(),
    }
}

impl Fake {
    async fn post(&self, body: Value) -> (u16, Value) {
        let r = self
            .client
            .post(format!("{}/admin/api/2026-10/graphql.json", self.base))
            .header("X-Shopify-Access-Token", TOKEN)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    async fn gql(&self, query: &str, variables: Value) -> Value {
        let (status, body) = self
            .post(json!({"query": query, "variables": variables}))
            .await;
        assert_eq!(status, 200, "{body}");
        body
    }

    /// Runs a query that must succeed; returns `data`.
    async fn data(&self, query: &str, variables: Value) -> Value {
        let body = self.gql(query, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
        body["data"].clone()
    }
}

/// The seeded locations, and the inventory item of the first seeded product's first variant.
const LOCATION_1: &str = "gid://shopify/Location/71400000001";
const LOCATION_2: &str = "gid://shopify/Location/71400000002";
const SEEDED_ITEM: &str = "gid://shopify/InventoryItem/47300000000000";

fn small() -> SeedConfig {
    SeedConfig::default()
}

#[tokio::test]
async fn wrong_token_is_401_with_shopifys_body() {
    let f = start(config(small())).await;
    let r = f
        .client
        .post(format!("{}/admin/api/2026-10/graphql.json", f.base))
        .header("X-Shopify-Access-Token", "shpat_wrong")
        .json(&json!({"query": "{ shop { name } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body,
        json!({"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"})
    );
    // No token at all: the same.
    let r = f
        .client
        .post(format!("{}/admin/api/2026-10/graphql.json", f.base))
        .json(&json!({"query": "{ shop { name } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
}

#[tokio::test]
async fn unknown_api_version_is_404_and_missing_query_is_400() {
    let f = start(config(small())).await;
    let r = f
        .client
        .post(format!("{}/admin/api/2031-13/graphql.json", f.base))
        .header("X-Shopify-Access-Token", TOKEN)
        .json(&json!({"query": "{ shop { name } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let (status, body) = f.post(json!({"variables": {}})).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"errors": {"query": "Required parameter missing or invalid"}})
    );
}

#[tokio::test]
async fn invalid_documents_are_rejected_like_shopify() {
    if schema().is_none() {
        return skipped("schema rejection");
    }
    let f = start(config(small())).await;
    let body = f.gql("query Q { shop { name nope } }", json!({})).await;
    assert!(body.get("data").is_none(), "{body}");
    let e = &body["errors"][0];
    assert_eq!(e["message"], "Field 'nope' doesn't exist on type 'Shop'");
    assert_eq!(e["extensions"]["code"], "undefinedField");
    assert_eq!(e["locations"], json!([{"line": 1, "column": 23}]));
    assert_eq!(e["path"], json!(["query Q", "shop", "nope"]));

    let body = f
        .gql(
            "{ customers(first: 1, bogus: 2) { nodes { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "argumentNotAccepted",
        "{body}"
    );

    let body = f.gql("{ customer { id } }", json!({})).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "missingRequiredArguments",
        "{body}"
    );

    // A required variable that is missing.
    let body = f
        .gql(
            "query P($first: Int!) { customers(first: $first) { nodes { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        body["errors"][0]["message"], "Variable $first of type Int! was provided invalid value",
        "{body}"
    );
    assert!(body.get("data").is_none());
    // A variable of the wrong type.
    let body = f
        .gql(
            "query P($first: Int!) { customers(first: $first) { nodes { id } } }",
            json!({"first": "ten"}),
        )
        .await;
    assert_eq!(
        body["errors"][0]["message"], "Variable $first of type Int! was provided invalid value",
        "{body}"
    );

    // Syntax errors.
    let body = f.gql("{ shop { name }", json!({})).await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("Parse error"),
        "{body}"
    );
}

/// Variables for each of the client's documents.
fn variables_for(name: &str, f: &Fake, bulk_id: &str) -> Value {
    let customers = f.handle.customer_ids();
    let orders = f.handle.order_ids();
    let products = f.handle.product_ids();
    match name {
        "customers_by_ids.graphql" => json!({"ids": customers[..3]}),
        "orders_by_ids.graphql" => json!({"ids": orders[..3], "lineItems": 5}),
        "order_line_items.graphql" => json!({"id": orders[0]}),
        "products_by_ids.graphql" => json!({"ids": products[..3]}),
        "checkouts_by_ids.graphql" => {
            json!({"ids": f.handle.abandoned_checkout_ids()[..2]})
        }
        "orders_page.graphql" => {
            json!({"first": 10, "lineItems": 10, "query": "updated_at:>'2025-01-01T00:00:00Z'"})
        }
        "bulk_operation.graphql" => json!({"id": bulk_id}),
        "bulk_run_query.graphql" => json!({"query": document("bulk_customers.graphql")}),
        "store_counts.graphql" => json!({"customersQuery": "updated_at:>'2025-01-01T00:00:00Z'"}),
        "deletion_events.graphql" => json!({"first": 10, "query": "action:destroy"}),
        "webhook_subscription_create.graphql" => json!({"topic": "ORDERS_PAID",
            "subscription": {"uri": "https://example.com/hook", "format": "JSON"}}),
        "webhook_subscription_update.graphql" => {
            json!({"id": "gid://shopify/WebhookSubscription/1",
            "subscription": {"uri": "https://example.com/other"}})
        }
        "webhook_subscription_delete.graphql" => {
            json!({"id": "gid://shopify/WebhookSubscription/1"})
        }
        "webhook_subscriptions.graphql" => json!({"topics": ["ORDERS_PAID"]}),
        "catalogue_page.graphql" => json!({"first": 5, "variants": 10, "media": 5}),
        "catalogue_product_variants.graphql" | "catalogue_product_media.graphql" => {
            json!({"id": products[0]})
        }
        "locations.graphql" => json!({}),
        "inventory_levels_page.graphql" => json!({"location": LOCATION_1, "first": 50}),
        "product_set.graphql" => json!({"input": {
            "title": "Document test", "status": "DRAFT",
            "productOptions": [{"name": "Size", "values": [{"name": "S"}, {"name": "M"}]}],
            "variants": [
                {"optionValues": [{"optionName": "Size", "name": "S"}], "sku": "DOC-S", "price": "10.00"},
                {"optionValues": [{"optionName": "Size", "name": "M"}], "sku": "DOC-M", "price": "10.00"},
            ],
        }}),
        "inventory_set_quantities.graphql" => json!({"key": "doc-test-1", "input": {
            "name": "available", "reason": "correction",
            "quantities": [{"inventoryItemId": SEEDED_ITEM, "locationId": LOCATION_1, "quantity": 5, "changeFromQuantity": null}],
        }}),
        "inventory_activate.graphql" => {
            json!({"item": SEEDED_ITEM, "location": LOCATION_2, "available": 3, "key": "doc-test-2"})
        }
        "variants_by_sku.graphql" => json!({"query": "sku:DOC-S"}),
        "sku_check_variants.graphql" => {
            json!({"first": 100, "query": "sku:\"ACM-00001\" OR sku:\"ACM-00002\""})
        }
        "sold_skus_page.graphql" => {
            json!({"first": 20, "lineItems": 20, "query": "financial_status:paid"})
        }
        "paid_orders_page.graphql" => {
            json!({"first": 5, "lineItems": 10, "query": "financial_status:paid"})
        }
        "webhook_order_line_items.graphql" => json!({"id": orders[0]}),
        "publishable_publish.graphql" | "publishable_unpublish.graphql" => {
            // The fake shop's first sales channel (Online Store).
            json!({"id": products[0], "input": [{"publicationId": "gid://shopify/Publication/88130000001"}]})
        }
        _ => json!({"first": 10}),
    }
}

/// Polls a bulk operation until it has left CREATED/RUNNING (at most 30 s).
async fn wait_for_bulk(f: &Fake, id: &str) {
    for _ in 0..600 {
        let d = f
            .data(&document("bulk_operation.graphql"), json!({"id": id}))
            .await;
        let status = d["bulkOperation"]["status"].as_str().unwrap_or_default();
        if status != "CREATED" && status != "RUNNING" {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("bulk operation {id} did not finish within 30 s");
}

#[tokio::test]
async fn every_client_document_validates_and_runs() {
    let f = start(config(small())).await;
    if schema().is_none() {
        skipped("acceptance of the client's documents by the schema (they are still executed)");
    }
    // A bulk operation to poll.
    let started = f
        .data(
            &document("bulk_run_query.graphql"),
            json!({"query": document("bulk_products.graphql")}),
        )
        .await;
    let bulk_id = started["bulkOperationRunQuery"]["bulkOperation"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Shopify runs at most five bulk queries at once; this test starts seven, so each one is
    // waited for before the next (on a loaded machine they may not have finished yet).
    wait_for_bulk(&f, &bulk_id).await;
    let mut names: Vec<String> = std::fs::read_dir(documents_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        // Fragment files are not documents of their own; they go with the documents using them.
        .filter(|n| n.ends_with(".graphql") && !n.ends_with("_fields.graphql"))
        .collect();
    names.sort();
    assert!(names.len() >= 10, "{names:?}");
    for name in &names {
        let doc = document(name);
        if name.starts_with("bulk_")
            && !matches!(
                name.as_str(),
                "bulk_run_query.graphql" | "bulk_operation.graphql"
            )
        {
            // Inner bulk queries: valid documents, run here as bulk operations (no `first:`).
            let body = f.gql(&doc, json!({})).await;
            let errs = body["errors"].as_array().cloned().unwrap_or_default();
            assert!(
                errs.iter()
                    .all(|e| e["message"] == "you must provide one of first or last"),
                "{name}: {body:#}"
            );
            let started = f
                .data(&document("bulk_run_query.graphql"), json!({"query": doc}))
                .await;
            assert_eq!(
                started["bulkOperationRunQuery"]["userErrors"],
                json!([]),
                "{name}"
            );
            let id = started["bulkOperationRunQuery"]["bulkOperation"]["id"]
                .as_str()
                .unwrap();
            wait_for_bulk(&f, id).await;
            continue;
        }
        let vars = variables_for(name, &f, &bulk_id);
        let body = f.gql(&doc, vars).await;
        assert!(body.get("errors").is_none(), "{name}: {body:#}");
        assert!(
            body["extensions"]["cost"]["requestedQueryCost"].is_u64(),
            "{name}"
        );
        eprintln!("{name}: ok, cost {}", body["extensions"]["cost"]);
    }
}

#[tokio::test]
async fn client_documents_return_realistic_records() {
    let f = start(config(SeedConfig {
        customers: 200,
        orders: 300,
        products: 40,
        abandoned_checkouts: 20,
        seed: 9,
    }))
    .await;
    let d = f
        .data(&document("customers_page.graphql"), json!({"first": 200}))
        .await;
    let nodes = d["customers"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 200);
    let c = &nodes[0];
    for k in [
        "id",
        "firstName",
        "lastName",
        "numberOfOrders",
        "tags",
        "taxExempt",
        "verifiedEmail",
        "createdAt",
        "updatedAt",
    ] {
        assert!(!c[k].is_null(), "{k}: {c}");
    }
    assert!(c["id"]
        .as_str()
        .unwrap()
        .starts_with("gid://shopify/Customer/"));
    assert!(c["numberOfOrders"].is_string(), "UnsignedInt64 is a string");
    assert!(
        nodes.iter().any(|c| c["defaultEmailAddress"].is_null()),
        "some customers have no e-mail"
    );
    assert!(
        nodes.iter().any(|c| c["defaultPhoneNumber"].is_null()),
        "some customers have no phone"
    );
    assert!(
        nodes.iter().any(|c| c["defaultAddress"].is_null()),
        "some customers have no address"
    );
    assert!(nodes
        .iter()
        .any(|c| !c["firstName"].as_str().unwrap().is_ascii()));
    let emails: Vec<&str> = nodes
        .iter()
        .filter_map(|c| c["defaultEmailAddress"]["emailAddress"].as_str())
        .collect();
    let mut unique = emails.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), emails.len(), "e-mails are unique");
    for c in nodes {
        if let Some(p) = c["defaultPhoneNumber"]["phoneNumber"].as_str() {
            assert!(
                p.starts_with('+') && p[1..].chars().all(|x| x.is_ascii_digit()),
                "E.164: {p}"
            );
        }
        assert!(c["updatedAt"].as_str().unwrap() >= c["createdAt"].as_str().unwrap());
    }
    // numberOfOrders agrees with the orders.
    let total: u64 = nodes
        .iter()
        .map(|c| {
            c["numberOfOrders"]
                .as_str()
                .unwrap()
                .parse::<u64>()
                .unwrap()
        })
        .sum();
    let d = f
        .data(
            "query($q: String) { ordersCount(query: $q, limit: null) { count precision } all: ordersCount { count } }",
            json!({"q": "customer_id:>0"}),
        )
        .await;
    assert_eq!(d["ordersCount"]["count"].as_u64().unwrap(), total);
    assert_eq!(d["all"]["count"], 300);

    // Orders: totals consistent with line items.
    let mut after = Value::Null;
    let mut seen_fin = std::collections::BTreeSet::new();
    let mut seen_ful = std::collections::BTreeSet::new();
    let (mut no_email, mut no_customer, mut cancelled) = (0, 0, 0);
    loop {
        let d = f
            .data(
                &document("orders_page.graphql"),
                json!({"first": 25, "after": after, "lineItems": 5}),
            )
            .await;
        for o in d["orders"]["nodes"].as_array().unwrap() {
            seen_fin.insert(o["displayFinancialStatus"].as_str().unwrap().to_string());
            seen_ful.insert(o["displayFulfillmentStatus"].as_str().unwrap().to_string());
            no_email += o["email"].is_null() as u32;
            no_customer += o["customer"].is_null() as u32;
            if !o["cancelledAt"].is_null() {
                cancelled += 1;
                assert!(!o["cancelReason"].is_null());
            }
            let cents =
                |v: &Value| shopsync_sandbox::seed::parse_money(v.as_str().unwrap()).unwrap();
            let lines: i64 = o["lineItems"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| {
                    cents(&l["originalUnitPriceSet"]["shopMoney"]["amount"])
                        * l["quantity"].as_i64().unwrap()
                })
                .sum();
            let discount = cents(&o["totalDiscountsSet"]["shopMoney"]["amount"]);
            assert_eq!(
                cents(&o["subtotalPriceSet"]["shopMoney"]["amount"]),
                lines - discount,
                "{o}"
            );
            assert!(cents(&o["totalPriceSet"]["shopMoney"]["amount"]) >= lines - discount);
            assert_eq!(o["currencyCode"], "EUR");
        }
        if d["orders"]["pageInfo"]["hasNextPage"] != json!(true) {
            break;
        }
        after = d["orders"]["pageInfo"]["endCursor"].clone();
    }
    assert!(seen_fin.len() >= 6, "{seen_fin:?}");
    assert!(seen_ful.len() >= 6, "{seen_ful:?}");
    assert!(no_email > 0 && no_customer > 0 && cancelled > 0);

    // Products: variants with SKUs and media images.
    let d = f
        .data(&document("products_page.graphql"), json!({"first": 40}))
        .await;
    let p = &d["products"]["nodes"];
    assert!(p
        .as_array()
        .unwrap()
        .iter()
        .any(|p| !p["media"]["nodes"].as_array().unwrap().is_empty()));
    assert!(p[0]["priceRangeV2"]["minVariantPrice"]["amount"].is_string());
    let sku_query = f
        .data(
            "{ productVariants(first: 5, query: \"sku:FJC-00001\") { nodes { sku price product { id } } } }",
            json!({}),
        )
        .await;
    let _ = sku_query; // the vendor prefix is random; look up a real SKU instead
    let one = f
        .data("{ productVariants(first: 1) { nodes { sku } } }", json!({}))
        .await;
    let sku = one["productVariants"]["nodes"][0]["sku"]
        .as_str()
        .unwrap()
        .to_string();
    let found = f
        .data(
            "query($q: String) { productVariants(first: 5, query: $q) { nodes { sku } } }",
            json!({"q": format!("sku:{sku}")}),
        )
        .await;
    assert_eq!(found["productVariants"]["nodes"], json!([{"sku": sku}]));

    // Abandoned checkouts: some completed.
    let d = f
        .data(
            &document("abandoned_checkouts_page.graphql"),
            json!({"first": 20}),
        )
        .await;
    let cs = d["abandonedCheckouts"]["nodes"].as_array().unwrap();
    assert_eq!(cs.len(), 20);
    assert!(
        cs.iter().any(|c| !c["completedAt"].is_null())
            && cs.iter().any(|c| c["completedAt"].is_null())
    );
}

#[tokio::test]
async fn selection_sets_aliases_fragments_and_nested_connections() {
    let f = start(config(small())).await;
    let id = f.handle.customer_ids()[2].clone();
    let q = r#"
        query Q($id: ID!, $skip: Boolean!) {
          shop { __typename name currencyCode }
          who: customer(id: $id) { ...Names verified: verifiedEmail skipped: note @skip(if: $skip) }
          node(id: $id) { __typename id ... on Customer { lastName } ... on Product { title } }
          products(first: 2, sortKey: TITLE) {
            edges { cursor node { title variants(first: 1) { pageInfo { hasNextPage } nodes { sku } } } }
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          }
        }
        fragment Names on Customer { firstName lastName }
    "#;
    let d = f.data(q, json!({"id": id, "skip": true})).await;
    // A customer's orders agree with numberOfOrders.
    let o = f
        .data(
            "query($id: ID!) { customer(id: $id) { numberOfOrders orders(first: 250) { nodes { id customer { id } } } } }",
            json!({"id": id}),
        )
        .await;
    let nodes = o["customer"]["orders"]["nodes"].as_array().unwrap();
    assert_eq!(
        o["customer"]["numberOfOrders"],
        json!(nodes.len().to_string())
    );
    assert!(nodes.iter().all(|n| n["customer"]["id"] == json!(id)));
    let keys: Vec<&String> = d["who"].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["firstName", "lastName", "verified"],
        "exactly the fields asked, in order"
    );
    assert_eq!(d["shop"]["__typename"], "Shop");
    assert_eq!(d["node"]["__typename"], "Customer");
    assert!(d["node"].get("title").is_none());
    assert_eq!(
        d["node"].as_object().unwrap().keys().collect::<Vec<_>>(),
        ["__typename", "id", "lastName"]
    );
    let edges = d["products"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 2);
    assert!(edges[0]["node"]["title"].as_str() <= edges[1]["node"]["title"].as_str());
    assert_eq!(d["products"]["pageInfo"]["startCursor"], edges[0]["cursor"]);
    assert_eq!(d["products"]["pageInfo"]["hasNextPage"], true);

    // Connection without first/last, and first over 250.
    let body = f.gql("{ customers { nodes { id } } }", json!({})).await;
    assert_eq!(
        body["errors"][0]["message"], "you must provide one of first or last",
        "{body}"
    );
    assert_eq!(body["errors"][0]["path"], json!(["customers"]));
    if schema().is_some() {
        // `customers` is non-null: the null propagates to `data`.
        assert_eq!(body["data"], Value::Null);
    } else {
        assert_eq!(body["data"], json!({"customers": null}));
    }
    let body = f
        .gql("{ customers(first: 251) { nodes { id } } }", json!({}))
        .await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("250"),
        "{body}"
    );
    let body = f
        .gql("{ customers(last: 5) { nodes { id } } }", json!({}))
        .await;
    assert_eq!(
        body["errors"][0]["message"],
        "using last without before is not supported"
    );
}

async fn page_all(f: &Fake, first: usize, reverse: bool, query: Option<&str>) -> Vec<String> {
    let mut ids = Vec::new();
    let mut after = Value::Null;
    let q = "query($first: Int!, $after: String, $query: String, $reverse: Boolean) {
        customers(first: $first, after: $after, query: $query, sortKey: UPDATED_AT, reverse: $reverse) {
          edges { cursor node { id updatedAt } } pageInfo { hasNextPage endCursor } } }";
    loop {
        let d = f
            .data(
                q,
                json!({"first": first, "after": after, "query": query, "reverse": reverse}),
            )
            .await;
        let c = &d["customers"];
        let mut prev = None;
        for e in c["edges"].as_array().unwrap() {
            let u = e["node"]["updatedAt"].as_str().unwrap().to_string();
            if let Some(p) = &prev {
                if reverse {
                    assert!(&u <= p);
                } else {
                    assert!(&u >= p);
                }
            }
            prev = Some(u);
            ids.push(e["node"]["id"].as_str().unwrap().to_string());
        }
        if c["pageInfo"]["hasNextPage"] != json!(true) {
            break;
        }
        after = c["pageInfo"]["endCursor"].clone();
    }
    ids
}

#[tokio::test]
async fn paging_returns_every_customer_exactly_once() {
    let f = start(config(SeedConfig {
        customers: 1234,
        ..small()
    }))
    .await;
    f.handle.delete_customer(&f.handle.customer_ids()[17]);
    let new = f.handle.create_customer(NewCustomer {
        first_name: Some("Åse".into()),
        email: Some("ase@example.no".into()),
        ..Default::default()
    });
    for reverse in [false, true] {
        let ids = page_all(&f, 100, reverse, None).await;
        assert_eq!(ids.len(), 1234, "reverse {reverse}");
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 1234);
        assert_eq!(
            ids[if reverse { 0 } else { 1233 }],
            new,
            "the newest change sorts last"
        );
    }
    let mut expected = f.handle.customer_ids();
    expected.sort();
    let mut got = page_all(&f, 250, false, None).await;
    got.sort();
    assert_eq!(got, expected);
}

#[tokio::test]
async fn updated_at_filter_finds_changed_records() {
    let f = start(config(SeedConfig {
        customers: 300,
        ..small()
    }))
    .await;
    let since = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let all = page_all(&f, 250, false, Some(&format!("updated_at:>'{since}'"))).await;
    assert!(all.is_empty(), "seeded data is in the past");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let ids = f.handle.customer_ids();
    assert!(f
        .handle
        .update_customer(&ids[5], |c| c["note"] = json!("called about delivery")));
    assert!(f
        .handle
        .update_customer(&ids[250], |c| c["tags"] = json!(["vip"])));
    let changed = page_all(&f, 1, false, Some(&format!("updated_at:>'{since}'"))).await;
    let mut want = vec![ids[5].clone(), ids[250].clone()];
    let mut got = changed.clone();
    want.sort();
    got.sort();
    assert_eq!(got, want);
    let d = f
        .data(
            "query($q: String) { customersCount(query: $q) { count precision } }",
            json!({"q": format!("updated_at:>='{since}'")}),
        )
        .await;
    assert_eq!(
        d["customersCount"],
        json!({"count": 2, "precision": "EXACT"})
    );
    // Other search fields.
    let email = f.handle.customer(&ids[7]).unwrap()["email"].clone();
    if let Some(e) = email.as_str() {
        let d = f
            .data(
                "query($q: String) { customers(first: 5, query: $q) { nodes { id } } }",
                json!({"q": format!("email:{e}")}),
            )
            .await;
        assert_eq!(d["customers"]["nodes"], json!([{"id": ids[7]}]));
    }
    let d = f
        .data("{ customers(first: 250, query: \"tag:vip AND -tag:nonexistent\") { nodes { id tags } } }", json!({}))
        .await;
    assert!(d["customers"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["tags"].as_array().unwrap().contains(&json!("vip"))));
    // An unknown search field is ignored with a warning, as Shopify does.
    let body = f
        .gql(
            "{ customers(first: 1, query: \"colour:red\") { nodes { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        body["extensions"]["search"][0]["warnings"][0]["field"], "colour",
        "{body}"
    );
    // Orders by financial status.
    let d = f
        .data("{ orders(first: 250, query: \"financial_status:paid\") { nodes { displayFinancialStatus } } }", json!({}))
        .await;
    let n = d["orders"]["nodes"].as_array().unwrap();
    assert!(!n.is_empty() && n.iter().all(|o| o["displayFinancialStatus"] == "PAID"));
}

#[tokio::test]
async fn cost_is_reported_and_the_bucket_throttles() {
    let mut cfg = config(SeedConfig {
        customers: 600,
        ..small()
    });
    cfg.limits_lifted = false;
    cfg.shopify_bucket_size = 1000.0;
    cfg.shopify_restore_rate = 100.0;
    cfg.time_scale = 10.0;
    let f = start(cfg).await;
    let q = "{ customers(first: 249) { nodes { id defaultAddress { city } defaultEmailAddress { emailAddress } } } }";
    let first = f.gql(q, json!({})).await;
    let cost = &first["extensions"]["cost"];
    assert_eq!(cost["requestedQueryCost"], 2 + 249 * 3, "{cost}");
    assert!(cost["actualQueryCost"].as_u64().unwrap() <= 749);
    assert_eq!(cost["throttleStatus"]["maximumAvailable"], json!(1000.0));
    assert_eq!(
        cost["throttleStatus"]["restoreRate"],
        json!(1000.0),
        "restore rate reported at the time scale"
    );
    let second = f.gql(q, json!({})).await;
    assert_eq!(second["errors"][0]["message"], "Throttled", "{second}");
    assert_eq!(second["errors"][0]["extensions"]["code"], "THROTTLED");
    assert_eq!(second["extensions"]["cost"]["actualQueryCost"], Value::Null);
    assert!(second.get("data").is_none());
    // Wait as a client pacing by throttleStatus would.
    let st = &second["extensions"]["cost"]["throttleStatus"];
    let wait =
        (749.0 - st["currentlyAvailable"].as_f64().unwrap()) / st["restoreRate"].as_f64().unwrap();
    tokio::time::sleep(Duration::from_secs_f64(wait + 0.05)).await;
    let third = f.gql(q, json!({})).await;
    assert!(third.get("errors").is_none(), "{third}");
    assert_eq!(f.handle.stats().throttled, 1);

    // A mutation costs 10.
    let m = f
        .gql(
            &document("bulk_run_query.graphql"),
            json!({"query": document("bulk_customers.graphql")}),
        )
        .await;
    assert_eq!(m["extensions"]["cost"]["requestedQueryCost"], 10, "{m}");

    // Over 1000: refused before running.
    let big = "{ customers(first: 250) { nodes { id defaultAddress { city } defaultEmailAddress { emailAddress } defaultPhoneNumber { phoneNumber } } } }";
    let body = f.gql(big, json!({})).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "MAX_COST_EXCEEDED",
        "{body}"
    );
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("Query cost is 1002, which exceeds the single query max cost limit (1000)."));
}

#[tokio::test]
async fn bulk_orders_with_line_items_end_to_end() {
    let f = start(config(SeedConfig {
        orders: 700,
        customers: 100,
        products: 30,
        ..small()
    }))
    .await;
    let started = f
        .data(
            &document("bulk_run_query.graphql"),
            json!({"query": document("bulk_orders.graphql")}),
        )
        .await;
    let p = &started["bulkOperationRunQuery"];
    assert_eq!(p["userErrors"], json!([]));
    let id = p["bulkOperation"]["id"].as_str().unwrap().to_string();
    assert!(matches!(
        p["bulkOperation"]["status"].as_str(),
        Some("CREATED" | "RUNNING")
    ));
    let deadline = Instant::now() + Duration::from_secs(60);
    let op = loop {
        let d = f
            .data(&document("bulk_operation.graphql"), json!({"id": id}))
            .await;
        let op = d["bulkOperation"].clone();
        if op["status"] == "COMPLETED" {
            break op;
        }
        assert!(
            matches!(op["status"].as_str(), Some("CREATED" | "RUNNING")),
            "{op}"
        );
        assert!(Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let current = f
        .data("{ currentBulkOperation { id status } }", json!({}))
        .await;
    assert_eq!(current["currentBulkOperation"]["id"], json!(id));
    let polled = f
        .data("query($id: ID!) { node(id: $id) { ... on BulkOperation { status objectCount fileSize } } }", json!({"id": id}))
        .await;
    assert_eq!(polled["node"]["status"], "COMPLETED");
    let url = op["url"].as_str().unwrap();
    // The URL needs no token.
    let text = reqwest::get(url).await.unwrap().text().await.unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        op["objectCount"]
            .as_str()
            .unwrap()
            .parse::<usize>()
            .unwrap(),
        lines.len()
    );
    assert_eq!(op["rootObjectCount"], "700");
    let roots: Vec<&Value> = lines
        .iter()
        .filter(|l| l.get("__parentId").is_none())
        .collect();
    assert_eq!(roots.len(), 700);
    let children: Vec<&Value> = lines
        .iter()
        .filter(|l| l.get("__parentId").is_some())
        .collect();
    assert!(children.len() >= 700, "every order has line items");
    let mut seen = std::collections::HashSet::new();
    for l in &lines {
        match l.get("__parentId") {
            None => {
                assert!(l["id"]
                    .as_str()
                    .unwrap()
                    .starts_with("gid://shopify/Order/"));
                assert!(
                    l.get("lineItems").is_none(),
                    "nested connections are separate lines"
                );
                assert!(
                    l["totalPriceSet"]["shopMoney"]["amount"].is_string(),
                    "objects stay inline"
                );
                seen.insert(l["id"].as_str().unwrap().to_string());
            }
            Some(parent) => {
                assert!(
                    seen.contains(parent.as_str().unwrap()),
                    "children follow their parent"
                );
                assert!(l["id"]
                    .as_str()
                    .unwrap()
                    .starts_with("gid://shopify/LineItem/"));
                assert!(l["quantity"].is_i64());
            }
        }
    }
    assert_eq!(
        polled["node"]["fileSize"]
            .as_str()
            .unwrap()
            .parse::<usize>()
            .unwrap(),
        text.len()
    );
    assert_eq!(f.handle.stats().bulk_operations, 1);

    // Invalid bulk queries get userErrors with codes.
    let bad = f
        .data(
            &document("bulk_run_query.graphql"),
            json!({"query": "{ shop { name } }"}),
        )
        .await;
    assert_eq!(
        bad["bulkOperationRunQuery"]["userErrors"][0]["code"],
        "INVALID"
    );
    assert_eq!(bad["bulkOperationRunQuery"]["bulkOperation"], Value::Null);
    let bad = f
        .data(
            &document("bulk_run_query.graphql"),
            json!({"query": "{ customers { edges { node { nope } } } }"}),
        )
        .await;
    if schema().is_some() {
        assert_eq!(
            bad["bulkOperationRunQuery"]["userErrors"][0]["code"], "INVALID",
            "{bad}"
        );
    }
    let deep = "{ customers { edges { node { id orders { edges { node { id lineItems { edges { node { id } } } } } } } } } }";
    let bad = f
        .data(&document("bulk_run_query.graphql"), json!({"query": deep}))
        .await;
    assert_eq!(
        bad["bulkOperationRunQuery"]["userErrors"][0]["code"], "INVALID",
        "{bad}"
    );
}

#[tokio::test]
async fn at_most_five_bulk_queries_run_at_once() {
    let f = start(config(SeedConfig {
        customers: 50_000,
        ..small()
    }))
    .await;
    let mut codes = Vec::new();
    let mut ids = Vec::new();
    for _ in 0..6 {
        let d = f
            .data(
                &document("bulk_run_query.graphql"),
                json!({"query": document("bulk_customers.graphql")}),
            )
            .await;
        codes.push(d["bulkOperationRunQuery"]["userErrors"][0]["code"].clone());
        if let Some(id) = d["bulkOperationRunQuery"]["bulkOperation"]["id"].as_str() {
            ids.push(id.to_string());
        }
    }
    assert!(codes.contains(&json!("OPERATION_IN_PROGRESS")), "{codes:?}");
    assert_eq!(ids.len(), 5);
    for id in ids {
        f.data(
            "mutation($id: ID!) { bulkOperationCancel(id: $id) { userErrors { message } } }",
            json!({"id": id}),
        )
        .await;
    }
}

#[tokio::test]
async fn deletions_are_recorded_as_destroy_events() {
    let f = start(config(small())).await;
    let p = f.handle.product_ids()[3].clone();
    let o = f.handle.order_ids()[4].clone();
    assert!(f.handle.delete_product(&p));
    assert!(f.handle.delete_order(&o));
    assert!(!f.handle.delete_order(&o), "already gone");
    assert!(f.handle.product(&p).is_none());
    let d = f
        .data(&document("deletion_events.graphql"), json!({"first": 10, "query": "action:destroy AND (subject_type:PRODUCT OR subject_type:ORDER)"}))
        .await;
    let ev = d["events"]["nodes"].as_array().unwrap();
    assert_eq!(ev.len(), 2, "{d}");
    assert_eq!(ev[0]["subjectId"], json!(p));
    assert_eq!(ev[0]["subjectType"], "PRODUCT");
    assert_eq!(ev[0]["action"], "destroy");
    assert_eq!(ev[1]["subjectId"], json!(o));
    assert_eq!(ev[1]["subjectType"], "ORDER");
    let d = f
        .data(
            "query($id: ID!) { product(id: $id) { id } }",
            json!({"id": p}),
        )
        .await;
    assert_eq!(d["product"], Value::Null);
    let d = f
        .data(
            "{ productsCount { count } ordersCount { count } }",
            json!({}),
        )
        .await;
    assert_eq!(d["productsCount"]["count"], 9);
    assert_eq!(d["ordersCount"]["count"], 29);
    let since = chrono::Utc::now() - chrono::Duration::minutes(5);
    let d = f
        .data(
            "query($q: String) { events(first: 10, query: $q) { nodes { id } } }",
            json!({"q": format!("created_at:>'{}'", since.format("%Y-%m-%dT%H:%M:%SZ"))}),
        )
        .await;
    assert_eq!(d["events"]["nodes"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_same_seed_gives_the_same_store() {
    let cfg = SeedConfig {
        customers: 500,
        products: 50,
        orders: 500,
        abandoned_checkouts: 10,
        seed: 1234,
    };
    let a = start(config(cfg.clone())).await;
    let b = start(config(cfg.clone())).await;
    let c = start(config(SeedConfig { seed: 4321, ..cfg })).await;
    let q = &document("orders_page.graphql");
    let vars = json!({"first": 25, "lineItems": 5});
    let (da, db, dc) = (
        a.data(q, vars.clone()).await,
        b.data(q, vars.clone()).await,
        c.data(q, vars).await,
    );
    assert_eq!(da, db);
    assert_ne!(da, dc);
    for id in a.handle.customer_ids().iter().step_by(37) {
        assert_eq!(a.handle.customer(id), b.handle.customer(id));
    }
}

#[tokio::test]
async fn a_million_customer_store_starts_and_answers() {
    let t = Instant::now();
    let f = start(config(SeedConfig {
        customers: 1_000_000,
        orders: 200_000,
        products: 1000,
        abandoned_checkouts: 100,
        seed: 5,
    }))
    .await;
    let started = t.elapsed();
    // How long it took is for the benchmark to measure, not for a test to assert.
    eprintln!("1,000,000-customer store started in {started:?}");
    let d = f
        .data("{ customersCount(limit: null) { count precision } customers(first: 3, reverse: true) { nodes { id createdAt } } }", json!({}))
        .await;
    assert_eq!(
        d["customersCount"],
        json!({"count": 1_000_000, "precision": "EXACT"})
    );
    let last = d["customers"]["nodes"][0]["id"].as_str().unwrap();
    assert!(last.ends_with(&(6_930_000_000_000u64 + 999_999).to_string()));
    let t = Instant::now();
    let d = f
        .data(&document("customers_page.graphql"), json!({"first": 100}))
        .await;
    eprintln!(
        "first UPDATED_AT page of 1,000,000 customers in {:?}",
        t.elapsed()
    );
    assert_eq!(d["customers"]["nodes"].as_array().unwrap().len(), 100);
    let d = f
        .data("{ customersCount { count precision } }", json!({}))
        .await;
    assert_eq!(
        d["customersCount"],
        json!({"count": 10000, "precision": "AT_LEAST"})
    );
}

#[tokio::test]
async fn faults_are_injected_as_configured() {
    let f = start(config(small())).await;
    let q = json!({"query": "{ shop { name } }"});
    // Dropped connections: the client sees a transport error, not a response.
    f.handle.set_faults(Faults {
        drop_connection: 1.0,
        seed: 1,
        ..Faults::default()
    });
    let r = f
        .client
        .post(format!("{}/admin/api/2026-10/graphql.json", f.base))
        .header("X-Shopify-Access-Token", TOKEN)
        .json(&q)
        .send()
        .await;
    match r {
        Err(e) => eprintln!("dropped: {e}"),
        Ok(resp) => {
            let body = resp.bytes().await;
            assert!(body.is_err(), "a dropped connection must not yield a body");
        }
    }
    // 5xx.
    f.handle.set_faults(Faults {
        server_error: 1.0,
        seed: 2,
        ..Faults::default()
    });
    for _ in 0..6 {
        let (status, _) = f.post(q.clone()).await;
        assert!([500, 502, 503].contains(&status), "{status}");
    }
    // 429 bursts with Retry-After.
    let mut cfg = config(small());
    cfg.time_scale = 10.0;
    let g = start(cfg).await;
    g.handle.set_faults(Faults {
        rate_limit_burst: 1.0,
        seed: 3,
        ..Faults::default()
    });
    let r = g
        .client
        .post(format!("{}/admin/api/2026-10/graphql.json", g.base))
        .header("X-Shopify-Access-Token", TOKEN)
        .json(&q)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    assert_eq!(r.headers()["retry-after"], "0.1");
    g.handle.set_faults(Faults::default());
    // Truncated bodies.
    f.handle.set_faults(Faults {
        truncated_body: 1.0,
        seed: 4,
        ..Faults::default()
    });
    let (status, body) = f.post(q.clone()).await;
    assert_eq!(status, 200);
    assert!(body.is_string(), "not JSON any more: {body}");
    f.handle.set_faults(Faults::default());
    let (status, _) = f.post(q.clone()).await;
    assert_eq!(status, 200);
    assert!(f.handle.stats().faults_injected >= 8);
    assert_eq!(g.handle.stats().http_429, 1);
}

#[tokio::test]
async fn admin_endpoints_for_out_of_process_use() {
    let f = start(config(small())).await;
    f.data("{ shop { name myshopifyDomain currencyCode } }", json!({}))
        .await;
    let stats: Value = reqwest::get(format!("{}/_sandbox/stats", f.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["requests"], 1);
    let r = f
        .client
        .post(format!("{}/_sandbox/faults", f.base))
        .json(&json!({"server_error": 1.0}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    assert_eq!(f.handle.faults().server_error, 1.0);
    let (status, _) = f.post(json!({"query": "{ shop { name } }"})).await;
    assert!(status >= 500);
    f.handle.set_faults(Faults::default());
    let r: Value = f
        .client
        .post(format!("{}/_sandbox/changes", f.base))
        .json(&json!({"update_customers": 3, "delete_products": 1}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["changed"].as_array().unwrap().len(), 4, "{r}");
    assert_eq!(f.handle.events().len(), 1);
    let r = f
        .client
        .post(format!("{}/_sandbox/stats/reset", f.base))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    assert_eq!(f.handle.stats().requests, 0);
}

#[tokio::test]
async fn the_whole_sandbox_starts_with_the_shopify_fake() {
    let sb = shopsync_sandbox::Sandbox::start(SandboxConfig {
        limits_lifted: true,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let body: Value = reqwest::Client::new()
        .post(sb.shopify.graphql_url())
        .header("X-Shopify-Access-Token", TOKEN)
        .json(&json!({"query": document("shop.graphql")}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        body["data"]["shop"]["myshopifyDomain"], "sandbox-store.myshopify.com",
        "{body}"
    );
    assert_eq!(
        sb.shopify.schema_loaded(),
        shopsync_sandbox::default_schema_path().is_some()
    );
}

#[tokio::test]
async fn bulk_operations_can_be_cancelled_and_locations_listed() {
    let f = start(config(SeedConfig {
        customers: 300_000,
        ..small()
    }))
    .await;
    let started = f
        .data(
            &document("bulk_run_query.graphql"),
            json!({"query": document("bulk_customers.graphql")}),
        )
        .await;
    let id = started["bulkOperationRunQuery"]["bulkOperation"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let cancel = f
        .data(
            "mutation($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { id status } userErrors { field message } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(
        cancel["bulkOperationCancel"]["userErrors"],
        json!([]),
        "{cancel}"
    );
    assert_eq!(
        cancel["bulkOperationCancel"]["bulkOperation"]["status"],
        "CANCELING"
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let d = f
            .data(&document("bulk_operation.graphql"), json!({"id": id}))
            .await;
        if d["bulkOperation"]["status"] == "CANCELED" {
            assert_eq!(d["bulkOperation"]["url"], Value::Null);
            break;
        }
        assert!(Instant::now() < deadline, "{d}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let again = f
        .data(
            "mutation($id: ID!) { bulkOperationCancel(id: $id) { userErrors { message } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(
        again["bulkOperationCancel"]["userErrors"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let d = f
        .data(
            "{ locations(first: 10) { nodes { id name isActive address { city countryCode } } } }",
            json!({}),
        )
        .await;
    let names: Vec<&str> = d["locations"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Amsterdam Warehouse", "København Butik"],
        "sorted by NAME"
    );
}

// ----- productSet and inventory ----------------------------------------------------------------

const PRODUCT_SET: &str = r#"mutation ($identifier: ProductSetIdentifiers, $input: ProductSetInput!) {
  productSet(identifier: $identifier, input: $input, synchronous: true) {
    product {
      id handle title vendor status
      options { name values }
      variants(first: 250) { nodes { id sku price compareAtPrice barcode title
        inventoryItem { id tracked inventoryLevels(first: 10) { nodes { location { id } quantities(names: ["available", "on_hand"]) { name quantity } } } } } }
      media(first: 50) { nodes { ... on MediaImage { id originalSource { url } image { url } } } }
    }
    userErrors { field message code }
  }
}"#;

fn size_variant(size: &str, sku: &str, price: &str) -> Value {
    json!({"optionValues": [{"optionName": "Size", "name": size}], "sku": sku, "price": price,
           "inventoryItem": {"tracked": true}})
}

fn sizes(values: &[&str]) -> Value {
    json!([{"name": "Size", "values": values.iter().map(|v| json!({"name": v})).collect::<Vec<_>>()}])
}

async fn product_set(f: &Fake, id: Option<&str>, input: Value) -> Value {
    let vars = match id {
        Some(id) => json!({"identifier": {"id": id}, "input": input}),
        None => json!({"input": input}),
    };
    f.data(PRODUCT_SET, vars).await["productSet"].clone()
}

fn codes(payload: &Value) -> Vec<String> {
    payload["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap_or("").to_string())
        .collect()
}

#[tokio::test]
async fn product_set_creates_and_its_lists_replace_what_is_there() {
    let f = start(config(small())).await;
    let created = product_set(&f, None, json!({
        "title": "Wool Sweater", "vendor": "Nordgarn", "status": "ACTIVE",
        "productOptions": sizes(&["S", "M", "L"]),
        "variants": [size_variant("S", "SW-S", "49.95"), size_variant("M", "SW-M", "49.95"), size_variant("L", "SW-L", "49.95")],
        "files": [{"originalSource": "https://backoffice.example/img/sw-1.jpg", "contentType": "IMAGE"},
                  {"originalSource": "https://backoffice.example/img/sw-2.jpg", "contentType": "IMAGE"}],
    })).await;
    assert_eq!(created["userErrors"], json!([]), "{created:#}");
    let p = &created["product"];
    let id = p["id"].as_str().unwrap().to_string();
    assert_eq!(p["handle"], "wool-sweater");
    let vs = p["variants"]["nodes"].as_array().unwrap().clone();
    assert_eq!(vs.len(), 3);
    let media = p["media"]["nodes"].as_array().unwrap().clone();
    assert_eq!(
        media[0]["originalSource"]["url"],
        "https://backoffice.example/img/sw-1.jpg"
    );
    assert!(media[0]["image"]["url"]
        .as_str()
        .unwrap()
        .starts_with("https://cdn.shopify.com/"));

    // Update: M kept (matched by its option value) with a new price, S and L left out, XL new;
    // the first image kept by id, the second left out, a third added; vendor not given.
    let updated = product_set(&f, Some(&id), json!({
        "productOptions": sizes(&["M", "XL"]),
        "variants": [size_variant("M", "SW-M", "44.95"), size_variant("XL", "SW-XL", "54.95")],
        "files": [{"id": media[0]["id"]}, {"originalSource": "https://backoffice.example/img/sw-3.jpg"}],
    })).await;
    assert_eq!(updated["userErrors"], json!([]), "{updated:#}");
    let p = &updated["product"];
    assert_eq!(p["vendor"], "Nordgarn", "an omitted field stays");
    let after = p["variants"]["nodes"].as_array().unwrap();
    let skus: Vec<&str> = after.iter().map(|v| v["sku"].as_str().unwrap()).collect();
    assert_eq!(
        skus,
        ["SW-M", "SW-XL"],
        "variants not in the input are deleted"
    );
    assert_eq!(after[0]["id"], vs[1]["id"], "M keeps its id");
    assert_eq!(after[0]["price"], "44.95");
    assert_eq!(
        p["options"],
        json!([{"name": "Size", "values": ["M", "XL"]}])
    );
    let m2: Vec<&Value> = p["media"]["nodes"].as_array().unwrap().iter().collect();
    assert_eq!(m2.len(), 2);
    assert_eq!(m2[0]["id"], media[0]["id"], "a listed image is kept");
    assert_eq!(
        m2[1]["originalSource"]["url"],
        "https://backoffice.example/img/sw-3.jpg"
    );
    // The deleted variant is gone from every lookup.
    let gone = f
        .data(
            "query ($id: ID!) { node(id: $id) { id } }",
            json!({"id": vs[0]["id"]}),
        )
        .await;
    assert_eq!(gone["node"], Value::Null);
    // Files omitted: images stay.
    let again = product_set(&f, Some(&id), json!({"title": "Wool Sweater II"})).await;
    assert_eq!(
        again["product"]["media"]["nodes"].as_array().unwrap().len(),
        2
    );
    assert_eq!(
        again["product"]["variants"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn product_set_refuses_bad_input_with_codes_and_applies_nothing() {
    let f = start(config(small())).await;
    let created = product_set(
        &f,
        None,
        json!({
            "title": "Cap", "productOptions": sizes(&["One"]),
            "variants": [size_variant("One", "CAP-1", "15.00")],
        }),
    )
    .await;
    let id = created["product"]["id"].as_str().unwrap().to_string();
    let cases = [
        (
            json!({"productOptions": [{"name": "Size", "values": [{"name": "S"}, {"name": "s"}]}],
                "variants": [size_variant("S", "CAP-S", "1.00")]}),
            "DUPLICATED_OPTION_VALUE",
            json!(["input", "productOptions", "0", "values", "1", "name"]),
        ),
        (
            json!({"productOptions": [{"name": "Size", "values": []}], "variants": [size_variant("S", "X", "1.00")]}),
            "OPTION_VALUES_MISSING",
            json!(["input", "productOptions", "0", "values"]),
        ),
        (
            json!({"productOptions": sizes(&["S"]), "variants": [size_variant("XL", "X", "1.00")]}),
            "OPTION_VALUE_DOES_NOT_EXIST",
            json!(["input", "variants", "0", "optionValues", "0", "name"]),
        ),
        (
            json!({"productOptions": sizes(&["S"]), "variants": [size_variant("S", "X", "-1.00")]}),
            "INVALID_VARIANT",
            json!(["input", "variants", "0", "price"]),
        ),
        (
            json!({"productOptions": sizes(&["S"]), "variants": [size_variant("S", "A", "1.00"), size_variant("S", "B", "1.00")]}),
            "INVALID_VARIANT",
            json!(["input", "variants", "1"]),
        ),
        (
            json!({"variants": [size_variant("S", "X", "1.00")]}),
            "PRODUCT_OPTIONS_INPUT_MISSING",
            json!(["input", "productOptions"]),
        ),
        (
            json!({"productOptions": [{"name": "A", "values": [{"name": "1"}]}, {"name": "B", "values": [{"name": "1"}]},
                                   {"name": "C", "values": [{"name": "1"}]}, {"name": "D", "values": [{"name": "1"}]}],
                "variants": []}),
            "OPTIONS_OVER_LIMIT",
            json!(["input", "productOptions"]),
        ),
        (
            json!({"files": [{"originalSource": "not a url"}]}),
            "INVALID_INPUT",
            json!(["input", "files", "0", "originalSource"]),
        ),
    ];
    for (input, code, field) in cases {
        let r = product_set(&f, Some(&id), input.clone()).await;
        assert!(codes(&r).contains(&code.to_string()), "{input}: {r:#}");
        assert!(
            r["userErrors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["field"] == field),
            "{input}: {r:#}"
        );
        assert_eq!(r["product"], Value::Null);
    }
    // Too many variants.
    let values: Vec<String> = (0..2049).map(|i| format!("V{i}")).collect();
    let r = product_set(&f, Some(&id), json!({
        "productOptions": [{"name": "Size", "values": values.iter().map(|v| json!({"name": v})).collect::<Vec<_>>()}],
        "variants": values.iter().map(|v| size_variant(v, v, "1.00")).collect::<Vec<_>>(),
    })).await;
    assert!(
        codes(&r).contains(&"VARIANTS_OVER_LIMIT".to_string()),
        "{:?}",
        codes(&r)
    );
    // A price that is no decimal is refused before the mutation runs.
    let body = f
        .gql(
            PRODUCT_SET,
            json!({"identifier": {"id": id}, "input": {
        "productOptions": sizes(&["S"]), "variants": [size_variant("S", "X", "abc")]}}),
        )
        .await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("variants.0.price"),
        "{body:#}"
    );
    // Nothing of the refused inputs was applied.
    let now = f
        .data(
            "query ($id: ID!) { product(id: $id) { variants(first: 5) { nodes { sku price } } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(
        now["product"]["variants"]["nodes"],
        json!([{"sku": "CAP-1", "price": "15.0"}])
    );
    // Unknown product and a taken handle.
    let r = product_set(&f, Some("gid://shopify/Product/1"), json!({"title": "x"})).await;
    assert_eq!(codes(&r), ["NOT_FOUND"]);
    let r = product_set(&f, None, json!({"title": "Other", "handle": "cap"})).await;
    assert_eq!(codes(&r), ["HANDLE_NOT_UNIQUE"]);
}

const SET_QUANTITIES: &str = r#"mutation ($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id changes { name delta quantityAfterChange item { id } location { id } } }
    userErrors { field message code }
  }
}"#;

async fn available(f: &Fake, item: &str, location: &str) -> Option<i64> {
    let d = f.data("query ($id: ID!, $loc: ID!) { inventoryItem(id: $id) { inventoryLevel(locationId: $loc) { quantities(names: [\"available\"]) { quantity } } } }",
        json!({"id": item, "loc": location})).await;
    d["inventoryItem"]["inventoryLevel"]["quantities"][0]["quantity"].as_i64()
}

async fn set_quantities(f: &Fake, key: &str, quantities: Value) -> Value {
    f.data(
        SET_QUANTITIES,
        json!({"key": key, "input": {"name": "available", "reason": "correction",
        "referenceDocumentUri": "gid://shopsync/PushRun/1", "quantities": quantities}}),
    )
    .await["inventorySetQuantities"]
        .clone()
}

#[tokio::test]
async fn inventory_set_quantities_guards_with_change_from_quantity() {
    let f = start(config(small())).await;
    let before = available(&f, SEEDED_ITEM, LOCATION_1)
        .await
        .expect("seeded items are stocked at the first location");
    let ok = set_quantities(&f, "k1", json!([{"inventoryItemId": SEEDED_ITEM, "locationId": LOCATION_1, "quantity": before + 7, "changeFromQuantity": before}])).await;
    assert_eq!(ok["userErrors"], json!([]), "{ok:#}");
    let change = ok["inventoryAdjustmentGroup"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "available")
        .unwrap()
        .clone();
    assert_eq!(change["delta"], json!(7));
    assert_eq!(
        available(&f, SEEDED_ITEM, LOCATION_1).await,
        Some(before + 7)
    );
    // The variant's inventoryQuantity follows.
    let v = f.data("{ productVariant(id: \"gid://shopify/ProductVariant/45100000000000\") { inventoryQuantity } }", json!({})).await;
    assert_eq!(v["productVariant"]["inventoryQuantity"], json!(before + 7));

    // Same key, same input: the first answer again, not applied twice.
    let replay = set_quantities(&f, "k1", json!([{"inventoryItemId": SEEDED_ITEM, "locationId": LOCATION_1, "quantity": before + 7, "changeFromQuantity": before}])).await;
    assert_eq!(replay, ok);
    // Same key, other input.
    let other = set_quantities(&f, "k1", json!([{"inventoryItemId": SEEDED_ITEM, "locationId": LOCATION_1, "quantity": 1, "changeFromQuantity": null}])).await;
    assert_eq!(codes(&other), ["IDEMPOTENCY_KEY_PARAMETER_MISMATCH"]);

    // A stale compare quantity: refused, with the quantity's path; nothing moves, not even the
    // good item beside it (all or nothing).
    let other_item = "gid://shopify/InventoryItem/47300000000016";
    let other_before = available(&f, other_item, LOCATION_1).await.unwrap();
    let stale = set_quantities(&f, "k2", json!([
        {"inventoryItemId": other_item, "locationId": LOCATION_1, "quantity": 3, "changeFromQuantity": other_before},
        {"inventoryItemId": SEEDED_ITEM, "locationId": LOCATION_1, "quantity": 1, "changeFromQuantity": before},
    ])).await;
    assert_eq!(codes(&stale), ["CHANGE_FROM_QUANTITY_STALE"]);
    assert_eq!(
        stale["userErrors"][0]["field"],
        json!(["input", "quantities", "1", "changeFromQuantity"])
    );
    assert_eq!(stale["inventoryAdjustmentGroup"], Value::Null);
    assert_eq!(
        available(&f, SEEDED_ITEM, LOCATION_1).await,
        Some(before + 7)
    );
    assert_eq!(
        available(&f, other_item, LOCATION_1).await,
        Some(other_before)
    );

    // changeFromQuantity must be given (null opts out); a bad reason; an unknown item.
    let missing = set_quantities(
        &f,
        "k3",
        json!([{"inventoryItemId": SEEDED_ITEM, "locationId": LOCATION_1, "quantity": 1}]),
    )
    .await;
    assert_eq!(codes(&missing), ["COMPARE_QUANTITY_REQUIRED"]);
    let unknown = set_quantities(&f, "k4", json!([{"inventoryItemId": "gid://shopify/InventoryItem/1", "locationId": LOCATION_1, "quantity": 1, "changeFromQuantity": null}])).await;
    assert_eq!(codes(&unknown), ["INVALID_INVENTORY_ITEM"]);
    let bad_reason = f.data(SET_QUANTITIES, json!({"key": "k5", "input": {"name": "available", "reason": "because",
        "quantities": [{"inventoryItemId": SEEDED_ITEM, "locationId": LOCATION_1, "quantity": 1, "changeFromQuantity": null}]}})).await;
    assert_eq!(
        codes(&bad_reason["inventorySetQuantities"]),
        ["INVALID_REASON"]
    );
    // The idempotency key is required in 2026-10.
    let no_key = f.gql("mutation ($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) { userErrors { code } } }",
        json!({"input": {"name": "available", "reason": "correction", "quantities": []}})).await;
    assert!(
        no_key["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("idempotency"),
        "{no_key:#}"
    );
    // An old field of earlier versions is refused by the schema.
    if schema().is_some() {
        let old = f.gql(SET_QUANTITIES, json!({"key": "k6", "input": {"name": "available", "reason": "correction", "ignoreCompareQuantity": true,
            "quantities": [{"inventoryItemId": SEEDED_ITEM, "locationId": LOCATION_1, "quantity": 1, "compareQuantity": 1}]}})).await;
        assert!(old["errors"].is_array(), "{old:#}");
    }
}

#[tokio::test]
async fn stock_per_location_from_product_set_and_activate() {
    let f = start(config(small())).await;
    let created = product_set(&f, None, json!({
        "title": "Mug", "productOptions": [{"name": "Title", "values": [{"name": "Default Title"}]}],
        "variants": [{"optionValues": [{"optionName": "Title", "name": "Default Title"}], "sku": "MUG-1", "price": "9.50",
                      "inventoryItem": {"tracked": true},
                      "inventoryQuantities": [{"locationId": LOCATION_2, "name": "available", "quantity": 12}]}],
    })).await;
    assert_eq!(created["userErrors"], json!([]), "{created:#}");
    let v = &created["product"]["variants"]["nodes"][0];
    let item = v["inventoryItem"]["id"].as_str().unwrap().to_string();
    assert_eq!(v["inventoryItem"]["tracked"], json!(true));
    assert_eq!(available(&f, &item, LOCATION_2).await, Some(12));
    assert_eq!(
        available(&f, &item, LOCATION_1).await,
        None,
        "not stocked at the first location"
    );
    // An existing variant's quantities can only be set where it is stocked.
    let pid = created["product"]["id"].as_str().unwrap().to_string();
    let r = product_set(&f, Some(&pid), json!({
        "productOptions": [{"name": "Title", "values": [{"name": "Default Title"}]}],
        "variants": [{"id": v["id"], "optionValues": [{"optionName": "Title", "name": "Default Title"}],
                      "inventoryQuantities": [{"locationId": LOCATION_1, "name": "available", "quantity": 1}]}],
    })).await;
    assert_eq!(codes(&r), ["INVALID_VARIANT"], "{r:#}");
    // Activate there, then the location lists it.
    let act = f.data("mutation ($i: ID!, $l: ID!) { inventoryActivate(inventoryItemId: $i, locationId: $l, available: 4) @idempotent(key: \"a1\") { inventoryLevel { quantities(names: [\"available\"]) { quantity } } userErrors { message } } }",
        json!({"i": item, "l": LOCATION_1})).await;
    assert_eq!(act["inventoryActivate"]["userErrors"], json!([]));
    assert_eq!(available(&f, &item, LOCATION_1).await, Some(4));
    let levels = f
        .data(
            &document("inventory_levels_page.graphql"),
            json!({"location": LOCATION_1, "first": 250}),
        )
        .await;
    let nodes = levels["location"]["inventoryLevels"]["nodes"]
        .as_array()
        .unwrap();
    assert!(nodes.iter().any(|n| n["item"]["id"] == json!(item)
        && n["quantities"] == json!([{"name": "available", "quantity": 4}, {"name": "on_hand", "quantity": 4}])), "{nodes:?}");
    // productSet is one mutation: 10 points.
    let body = f
        .gql(
            PRODUCT_SET,
            json!({"identifier": {"id": pid}, "input": {"title": "Mug 2"}}),
        )
        .await;
    assert_eq!(body["extensions"]["cost"]["requestedQueryCost"], json!(10));
}
