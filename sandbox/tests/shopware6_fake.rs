//! The Shopware 6 fake: the client-credentials token, search with criteria, writes.

use serde_json::{json, Value};
use shopsync_sandbox::shopware6::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET};
use shopsync_sandbox::{Sandbox, SandboxConfig};

async fn post(sb: &Sandbox, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .post(format!("{}{path}", sb.shopware6_url()))
        .json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.unwrap();
    (
        resp.status().as_u16(),
        resp.json().await.unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn token_search_and_refusals() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let (s, e) = post(&sb, "/api/oauth/token", None, json!({"grant_type": "client_credentials", "client_id": DEFAULT_CLIENT_ID, "client_secret": "wrong"})).await;
    assert_eq!(s, 401);
    assert_eq!(e["errors"][0]["status"], "401");
    let (s, t) = post(&sb, "/api/oauth/token", None, json!({"grant_type": "client_credentials", "client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET})).await;
    assert_eq!(s, 200);
    assert_eq!(t["token_type"], "Bearer");
    assert_eq!(t["expires_in"], 600);
    let token = t["access_token"].as_str().unwrap();
    let (s, _) = post(&sb, "/api/search/customer", None, json!({})).await;
    assert_eq!(s, 401);
    let (s, page) = post(
        &sb,
        "/api/search/customer",
        Some(token),
        json!({"page": 3, "limit": 10, "sort": [{"field": "customerNumber", "order": "ASC"}]}),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(page["total"], 25);
    assert_eq!(page["data"].as_array().unwrap().len(), 5);
    assert_eq!(page["data"][0]["customerNumber"], "10021");
    let (_, one) = post(
        &sb,
        "/api/search/customer",
        Some(token),
        json!({"filter": [{"type": "equals", "field": "customerNumber", "value": "10003"}]}),
    )
    .await;
    assert_eq!(one["total"], 1);
    let (_, none) = post(&sb, "/api/search/customer", Some(token), json!({"filter": [{"type": "range", "field": "updatedAt", "parameters": {"gte": "2099-01-01T00:00:00"}}]})).await;
    assert_eq!(none["total"], 0);
    let (s, _) = post(
        &sb,
        "/api/search/customer",
        Some(token),
        json!({"filter": [{"type": "soundsLike", "field": "email", "value": "x"}]}),
    )
    .await;
    assert_eq!(s, 400);
    assert_eq!(sb.shopware6.writes(), 0);
}
