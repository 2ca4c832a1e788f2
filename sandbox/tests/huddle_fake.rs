//! The Huddle fake, and the Shopify fake's webhook subscriptions and `orders/paid` deliveries.

use serde_json::{json, Value};
use shopsync_sandbox::huddle::DEFAULT_API_KEY;
use shopsync_sandbox::seed::SeedConfig;
use shopsync_sandbox::shopify::webhooks::{sign, NewLine};
use shopsync_sandbox::{Sandbox, SandboxConfig};

async fn start() -> Sandbox {
    Sandbox::start(SandboxConfig {
        seed: SeedConfig {
            customers: 5,
            products: 5,
            orders: 5,
            ..SeedConfig::default()
        },
        limits_lifted: true,
        ..SandboxConfig::default()
    })
    .await
    .unwrap()
}

async fn gql(sb: &Sandbox, query: &str, variables: Value) -> Value {
    reqwest::Client::new()
        .post(sb.shopify.graphql_url())
        .header("X-Shopify-Access-Token", "shpat_sandbox_0123456789abcdef")
        .json(&json!({"query": query, "variables": variables}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

const CREATE: &str =
    "mutation($topic: WebhookSubscriptionTopic!, $sub: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $sub) {
    webhookSubscription { id topic uri format apiVersion { handle } }
    userErrors { field message }
  }
}";

const LIST: &str = "query { webhookSubscriptions(first: 50, topics: [ORDERS_PAID]) {
  nodes { id topic uri format } pageInfo { hasNextPage } } }";

fn line(sku: &str) -> NewLine {
    NewLine {
        sku: sku.into(),
        quantity: 1,
        price_cents: 4900,
    }
}

#[test]
fn known_hmac_vector() {
    assert_eq!(
        sign("test_secret_key", br#"{"foo": "bar"}"#),
        "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g="
    );
}

#[tokio::test]
async fn subscriptions_create_list_update_delete() {
    let sb = start().await;
    let uri = format!("{}/membership/create/{DEFAULT_API_KEY}", sb.huddle_url());
    let r = gql(
        &sb,
        CREATE,
        json!({"topic": "ORDERS_PAID", "sub": {"uri": uri, "format": "JSON"}}),
    )
    .await;
    let sub = &r["data"]["webhookSubscriptionCreate"]["webhookSubscription"];
    assert_eq!(sub["uri"], json!(uri), "{r}");
    assert_eq!(sub["topic"], "ORDERS_PAID");
    assert_eq!(sub["apiVersion"]["handle"], "2026-10");
    let id = sub["id"].as_str().unwrap().to_string();

    // The same address for the same topic is refused.
    let r = gql(
        &sb,
        CREATE,
        json!({"topic": "ORDERS_PAID", "sub": {"uri": uri, "format": "JSON"}}),
    )
    .await;
    let errs = &r["data"]["webhookSubscriptionCreate"]["userErrors"];
    assert_eq!(errs.as_array().unwrap().len(), 1, "{r}");

    // Listed by topic.
    let r = gql(&sb, LIST, json!({})).await;
    assert_eq!(
        r["data"]["webhookSubscriptions"]["nodes"][0]["id"],
        json!(id)
    );

    let r = gql(
        &sb,
        "mutation($id: ID!, $sub: WebhookSubscriptionInput!) { webhookSubscriptionUpdate(id: $id, webhookSubscription: $sub) { webhookSubscription { uri } userErrors { message } } }",
        json!({"id": id, "sub": {"uri": "https://example.com/new"}}),
    )
    .await;
    assert_eq!(
        r["data"]["webhookSubscriptionUpdate"]["webhookSubscription"]["uri"],
        "https://example.com/new"
    );

    let r = gql(
        &sb,
        "mutation($id: ID!) { webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { message } } }",
        json!({"id": id}),
    )
    .await;
    assert_eq!(
        r["data"]["webhookSubscriptionDelete"]["deletedWebhookSubscriptionId"],
        json!(id)
    );
    assert!(sb.shopify.webhook_subscriptions().is_empty());
}

#[tokio::test]
async fn invalid_input_is_rejected_by_the_schema() {
    let sb = start().await;
    if !sb.shopify.schema_loaded() {
        return;
    }
    // `address` is not a field of WebhookSubscriptionInput.
    let r = gql(
        &sb,
        "mutation { webhookSubscriptionCreate(topic: ORDERS_PAID, webhookSubscription: {address: \"https://x\"}) { userErrors { message } } }",
        json!({}),
    )
    .await;
    assert!(r["errors"].is_array(), "{r}");
}

#[tokio::test]
async fn paying_an_order_delivers_a_signed_webhook_and_huddle_grants_levels() {
    let sb = start().await;
    sb.huddle
        .add_webhook_product("Jaarlidmaatschap", "HUD-YEAR", &["Leden", "Cursus A"]);
    let uri = format!("{}/membership/create/{DEFAULT_API_KEY}", sb.huddle_url());
    gql(
        &sb,
        CREATE,
        json!({"topic": "ORDERS_PAID", "sub": {"uri": uri, "format": "JSON"}}),
    )
    .await;
    sb.shopify.set_app_secret("test_secret_key");
    let order = sb.shopify.create_order(
        "Anna@Example.nl",
        "Anna",
        "de Vries",
        &[line("HUD-YEAR"), line("OTHER")],
        None,
    );
    assert!(sb.huddle.memberships().is_empty());
    let deliveries = sb.shopify.mark_order_paid(&order).await.unwrap();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].status, Some(200));

    let m = sb.huddle.membership("anna@example.nl").unwrap();
    assert_eq!(
        m.levels.iter().cloned().collect::<Vec<_>>(),
        vec!["Cursus A", "Leden"]
    );
    assert_eq!(m.first_name.as_deref(), Some("Anna"));
    assert_eq!(m.welcome_emails, 1);

    let rec = &sb.huddle.received()[0];
    assert_eq!(rec.headers["x-shopify-topic"], "orders/paid");
    assert_eq!(rec.headers["x-shopify-api-version"], "2026-10");
    assert_eq!(
        rec.headers["x-shopify-shop-domain"],
        "sandbox-store.myshopify.com"
    );
    assert!(!rec.headers["x-shopify-webhook-id"].is_empty());
    assert!(!rec.headers["x-shopify-triggered-at"].is_empty());
    assert_eq!(
        rec.headers["x-shopify-hmac-sha256"],
        sign("test_secret_key", rec.body.as_bytes())
    );
    let body: Value = serde_json::from_str(&rec.body).unwrap();
    assert_eq!(body["financial_status"], "paid");
    assert_eq!(body["admin_graphql_api_id"], json!(order));
    assert_eq!(body["line_items"][0]["sku"], "HUD-YEAR");
    assert_eq!(body["line_items"][0]["price"], "49.00");
    assert_eq!(body["customer"]["email"], "Anna@Example.nl");
    assert!(body["id"].is_u64());

    // A second product adds its levels to the existing member, without a new login e-mail.
    sb.huddle
        .add_webhook_product("Masterclass", "HUD-MC", &["Masterclass"]);
    let order2 = sb.shopify.create_order(
        "anna@example.nl",
        "Anna",
        "de Vries",
        &[line("HUD-MC")],
        None,
    );
    sb.shopify.mark_order_paid(&order2).await.unwrap();
    let m = sb.huddle.membership("anna@example.nl").unwrap();
    assert_eq!(m.levels.len(), 3);
    assert_eq!(m.welcome_emails, 1);
    assert_eq!(m.orders.len(), 2);
}

#[tokio::test]
async fn huddle_rejects_a_wrong_key_and_ignores_unknown_skus() {
    let sb = start().await;
    sb.huddle.add_webhook_product("Lid", "HUD-1", &["Leden"]);
    let order = sb.shopify.create_order(
        "b@example.nl",
        "B",
        "C",
        &[line("HUD-1")],
        Some(1_700_000_000),
    );
    let body = sb.shopify.rest_order(&order).unwrap();
    let post = |key: String, body: Value| {
        let url = format!("{}/membership/create/{key}", sb.huddle_url());
        async move {
            reqwest::Client::new()
                .post(url)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(post("wrong".into(), body.clone()).await, 401);
    assert!(sb.huddle.memberships().is_empty());
    let mut other = body.clone();
    other["line_items"][0]["sku"] = json!("NOPE");
    assert_eq!(post(DEFAULT_API_KEY.into(), other).await, 200);
    assert!(sb.huddle.memberships().is_empty());
    let mut no_email = body.clone();
    no_email["email"] = json!("");
    no_email["contact_email"] = json!("");
    no_email["customer"] = Value::Null;
    assert_eq!(post(DEFAULT_API_KEY.into(), no_email).await, 422);
    assert_eq!(post(DEFAULT_API_KEY.into(), body).await, 200);
    assert_eq!(sb.huddle.memberships().len(), 1);
    assert_eq!(sb.huddle.received().len(), 4);
}
