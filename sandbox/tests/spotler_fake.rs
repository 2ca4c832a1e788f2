//! The Spotler Mail+ fake: OAuth 1.0a signatures, contacts by externalId, the batch's per-item
//! codes, the property catalogue, the updates and bounces feeds.

use serde_json::{json, Value};
use shopsync_sandbox::spotler::oauth;
use shopsync_sandbox::{Sandbox, SandboxConfig};

async fn start() -> Sandbox {
    Sandbox::start(SandboxConfig::default()).await.unwrap()
}

/// Sends a request signed with `secret` (RFC 5849, one leg).
async fn call(
    sb: &Sandbox,
    method: &str,
    path_and_query: &str,
    body: Option<Value>,
    secret: &str,
) -> (u16, Value) {
    let url = format!("{}{path_and_query}", sb.spotler_url());
    let parsed = url::Url::parse(&url).unwrap();
    let base = format!(
        "http://{}:{}{}",
        parsed.host_str().unwrap(),
        parsed.port().unwrap(),
        parsed.path()
    );
    let nonce = format!("{:032x}", rand_nonce());
    let ts = chrono::Utc::now().timestamp().to_string();
    let mut params: Vec<(String, String)> = vec![
        ("oauth_consumer_key".into(), sb.spotler.consumer_key()),
        ("oauth_nonce".into(), nonce.clone()),
        ("oauth_signature_method".into(), "HMAC-SHA1".into()),
        ("oauth_timestamp".into(), ts.clone()),
        ("oauth_version".into(), "1.0".into()),
    ];
    let oauth_params = params.clone();
    params.extend(
        parsed
            .query_pairs()
            .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    let sig = oauth::signature(secret, &oauth::base_string(method, &base, &params));
    let mut header = String::from("OAuth ");
    for (k, v) in oauth_params
        .iter()
        .chain([("oauth_signature".to_string(), sig)].iter())
    {
        header.push_str(&format!("{k}=\"{}\", ", oauth::pct(v)));
    }
    let header = header.trim_end_matches(", ").to_string();
    let client = reqwest::Client::new();
    let mut req = client
        .request(method.parse().unwrap(), &url)
        .header("Authorization", header)
        .header("Accept", "application/json");
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn rand_nonce() -> u128 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(1);
    (chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0) as u128) << 16
        | N.fetch_add(1, Ordering::Relaxed) as u128
}

#[tokio::test]
async fn a_wrong_signature_is_401_and_writes_nothing() {
    let sb = start().await;
    let body = json!({"update": true, "purge": false, "contact": {"externalId": "a", "properties": {"email": "a@example.com"}}});
    let (status, err) = call(&sb, "POST", "/contact", Some(body.clone()), "wrong-secret").await;
    assert_eq!(status, 401);
    assert_eq!(err["errorType"], "NOT_AUTHORIZED");
    assert_eq!(sb.spotler.contact_count(), 0);
    let secret = sb.spotler.consumer_secret();
    let (status, _) = call(&sb, "POST", "/contact", Some(body), &secret).await;
    assert_eq!(status, 204);
    assert_eq!(sb.spotler.contact_count(), 1);
    // Query parameters are signed: a tampered query fails.
    let (status, _) = call(&sb, "GET", "/contact/a", None, &secret).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn contacts_by_external_id() {
    let sb = start().await;
    let secret = sb.spotler.consumer_secret();
    let c = json!({"externalId": "20001", "properties": {"email": "jane@example.com", "firstName": "Jane", "permissions": [{"bit": 1, "enabled": true}]}, "channels": [{"name": "EMAIL", "value": true}]});
    let (s, _) = call(
        &sb,
        "POST",
        "/contact",
        Some(json!({"update": false, "purge": false, "contact": c})),
        &secret,
    )
    .await;
    assert_eq!(s, 204);
    let (s, e) = call(
        &sb,
        "POST",
        "/contact",
        Some(json!({"update": false, "purge": false, "contact": c})),
        &secret,
    )
    .await;
    assert_eq!(
        (s, e["errorType"].as_str()),
        (400, Some("CONTACT_ALREADY_EXISTS"))
    );
    let (s, _) = call(&sb, "PUT", "/contact/20001", Some(json!({"purge": false, "contact": {"externalId": "20001", "properties": {"lastName": "Doe"}}})), &secret).await;
    assert_eq!(s, 204);
    let (s, e) = call(
        &sb,
        "PUT",
        "/contact/nobody",
        Some(json!({"purge": false, "contact": {"properties": {"lastName": "Doe"}}})),
        &secret,
    )
    .await;
    assert_eq!(
        (s, e["errorType"].as_str()),
        (404, Some("CONTACT_NOT_FOUND"))
    );
    let (s, got) = call(&sb, "GET", "/contact/20001", None, &secret).await;
    assert_eq!(s, 200);
    assert_eq!(got["properties"]["firstName"], "Jane");
    assert_eq!(got["properties"]["lastName"], "Doe");
    assert_eq!(got["properties"]["permissions"][0]["enabled"], true);
    assert_eq!(got["properties"]["permissions"][1]["enabled"], false);
    let (s, e) = call(&sb, "POST", "/contact", Some(json!({"update": true, "contact": {"externalId": "x", "properties": {"email": "x@example.com", "shoeSize": "42"}}})), &secret).await;
    assert_eq!(
        (s, e["errorType"].as_str()),
        (400, Some("INVALID_PROPERTY"))
    );
    let (s, e) = call(&sb, "POST", "/contact", Some(json!({"update": true, "contact": {"externalId": "x", "properties": {"email": "not-an-address"}}})), &secret).await;
    assert_eq!((s, e["errorType"].as_str()), (400, Some("INVALID_PARAMS")));
    let (s, e) = call(&sb, "GET", "/contact/x", None, &secret).await;
    assert_eq!(
        (s, e["errorType"].as_str()),
        (404, Some("CONTACT_NOT_FOUND"))
    );
    assert_eq!(sb.spotler.contact_count(), 1);
}

#[tokio::test]
async fn the_batch_answers_per_contact() {
    let sb = start().await;
    let secret = sb.spotler.consumer_secret();
    let body = json!({"update": true, "purge": false, "contacts": [
        {"externalId": "1", "properties": {"email": "one@example.com"}},
        {"externalId": "2", "properties": {"email": "broken"}},
        {"externalId": "3", "properties": {"email": "three@example.com", "permissions": [{"bit": 9, "enabled": true}]}},
    ]});
    let (s, items) = call(&sb, "POST", "/contact/list", Some(body), &secret).await;
    assert_eq!(s, 200);
    let codes: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["OK", "PROPERTY_INVALID", "PROPERTY_INVALID"]);
    assert_eq!(sb.spotler.contact_count(), 1);
}

#[tokio::test]
async fn catalogue_and_feeds() {
    let sb = start().await;
    let secret = sb.spotler.consumer_secret();
    let (s, props) = call(&sb, "GET", "/contact/properties/list", None, &secret).await;
    assert_eq!(s, 200);
    let perms = props
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "permissions")
        .unwrap();
    assert_eq!(perms["type"], "set");
    assert_eq!(perms["entries"][0]["bit"], 1);
    let from = (chrono::Utc::now() - chrono::Duration::minutes(1))
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    for i in 0..3 {
        let c = json!({"externalId": format!("c{i}"), "properties": {"email": format!("c{i}@example.com")}});
        call(
            &sb,
            "POST",
            "/contact",
            Some(json!({"update": true, "contact": c})),
            &secret,
        )
        .await;
    }
    sb.spotler.set_permission("c1", 1, true);
    sb.spotler.add_bounce("c2", true);
    let to = (chrono::Utc::now() + chrono::Duration::minutes(1))
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    let (s, page) = call(
        &sb,
        "GET",
        &format!("/contact/updates/list?fromDate={from}&toDate={to}&after=0&pageSize=2"),
        None,
        &secret,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(page["contacts"].as_array().unwrap().len(), 2);
    assert!(page["paging"]["next"].is_string());
    let (_, page2) = call(
        &sb,
        "GET",
        &format!("/contact/updates/list?fromDate={from}&toDate={to}&after=2&pageSize=2"),
        None,
        &secret,
    )
    .await;
    assert_eq!(page2["contacts"].as_array().unwrap().len(), 1);
    assert!(page2["paging"].get("next").is_none());
    let (s, bounces) = call(
        &sb,
        "GET",
        &format!("/contact/bounces/list?fromDate={from}&toDate={to}"),
        None,
        &secret,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(bounces[0]["type"], "HARDBOUNCE");
    assert_eq!(bounces[0]["contact"]["externalId"], "c2");
    let (s, e) = call(
        &sb,
        "GET",
        "/contact/updates/list?fromDate=2024-01-01&pageSize=20000",
        None,
        &secret,
    )
    .await;
    assert_eq!((s, e["errorType"].as_str()), (400, Some("INVALID_PARAMS")));
}
