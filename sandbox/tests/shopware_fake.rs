//! The Shopware 5 fake: Basic and Digest auth, the customer list's paging and filters, the
//! detail with addresses, updates.

use serde_json::{json, Value};
use shopsync_sandbox::{Sandbox, SandboxConfig};

async fn start() -> Sandbox {
    Sandbox::start(SandboxConfig::default()).await.unwrap()
}

async fn get(sb: &Sandbox, path: &str) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .get(format!("{}{path}", sb.shopware_url()))
        .basic_auth(sb.shopware.user(), Some(sb.shopware.api_key()))
        .send()
        .await
        .unwrap();
    (
        resp.status().as_u16(),
        resp.json().await.unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn basic_auth_and_its_refusal() {
    let sb = start().await;
    let (s, list) = get(&sb, "/api/customers?limit=10&start=20").await;
    assert_eq!(s, 200);
    assert_eq!(list["total"], 25);
    assert_eq!(list["data"].as_array().unwrap().len(), 5);
    assert!(list["data"][0].get("defaultBillingAddress").is_none());
    let resp = reqwest::Client::new()
        .get(format!("{}/api/customers", sb.shopware_url()))
        .basic_auth(sb.shopware.user(), Some("wrong"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    assert!(resp
        .headers()
        .get_all("www-authenticate")
        .iter()
        .any(|v| v.to_str().unwrap().starts_with("Digest")));
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        body,
        json!({"success": false, "message": "Invalid or missing auth"})
    );
}

#[tokio::test]
async fn digest_auth() {
    let sb = start().await;
    let url = format!("{}/api/customers/1", sb.shopware_url());
    let client = reqwest::Client::new();
    let challenge = client.get(&url).send().await.unwrap();
    assert_eq!(challenge.status().as_u16(), 401);
    let header = challenge
        .headers()
        .get_all("www-authenticate")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("Digest"))
        .unwrap();
    let nonce = header
        .split("nonce=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let md5 = |s: String| {
        use md5::Digest;
        md5::Md5::digest(s.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let (user, key) = (sb.shopware.user(), sb.shopware.api_key());
    let ha1 = md5(format!("{user}:Shopware REST-API:{key}"));
    let ha2 = md5("GET:/api/customers/1".to_string());
    let response = md5(format!("{ha1}:{nonce}:00000001:abc:auth:{ha2}"));
    let auth = format!("Digest username=\"{user}\", realm=\"Shopware REST-API\", nonce=\"{nonce}\", uri=\"/api/customers/1\", qop=auth, nc=00000001, cnonce=\"abc\", response=\"{response}\"");
    let ok = client
        .get(&url)
        .header("Authorization", auth)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status().as_u16(), 200);
    let body: Value = ok.json().await.unwrap();
    assert_eq!(body["data"]["number"], "20001");
    assert!(
        body["data"]["defaultBillingAddress"].is_object()
            || body["data"]["defaultBillingAddress"].is_null()
    );
}

#[tokio::test]
async fn filters_sorting_and_updates() {
    let sb = start().await;
    let (s, one) = get(&sb, "/api/customers?filter[number]=20003").await;
    assert_eq!(s, 200);
    assert_eq!(one["total"], 1);
    let (_, by_number) = get(&sb, "/api/customers/20003?useNumberAsId=true").await;
    assert_eq!(by_number["data"]["id"], 3);
    let (s, err) = get(&sb, "/api/customers/999").await;
    assert_eq!((s, err["code"].as_i64()), (404, Some(404)));
    let (s, err) = get(
        &sb,
        "/api/customers?filter[0][property]=shoeSize&filter[0][value]=1",
    )
    .await;
    assert_eq!(s, 500);
    assert!(err["message"]
        .as_str()
        .unwrap()
        .starts_with("Error message:"));
    let since = "2000-01-01 00:00:00";
    let (_, all) = get(&sb, &format!("/api/customers?filter[0][property]=changed&filter[0][expression]=>=&filter[0][value]={since}&sort[0][property]=changed&sort[0][direction]=ASC")).await;
    assert_eq!(all["total"], 25);
    let before = chrono::Utc::now().format("%Y-%m-%d %H:%M:%S").to_string();
    let resp = reqwest::Client::new()
        .put(format!("{}/api/customers/2", sb.shopware_url()))
        .basic_auth(sb.shopware.user(), Some(sb.shopware.api_key()))
        .json(
            &json!({"newsletter": 0, "attribute": {"spotlerBounce": "hardbounce", "nonColumn": 1}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let c = sb.shopware.customer(2).unwrap();
    assert_eq!(c["newsletter"], 0);
    assert_eq!(c["attribute"]["spotlerBounce"], "hardbounce");
    assert!(c["attribute"].get("nonColumn").is_none());
    assert_eq!(sb.shopware.writes(), 1);
    let (_, recent) = get(&sb, &format!("/api/customers?filter[0][property]=changed&filter[0][expression]=%3E%3D&filter[0][value]={}", before.replace(' ', "%20"))).await;
    assert_eq!(recent["total"], 1);
    assert_eq!(recent["data"][0]["id"], 2);
}
