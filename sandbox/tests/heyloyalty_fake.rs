//! The Heyloyalty fake: signature, lists and fields, members, the unsubscribed-member trap,
//! 429, webhooks.

use serde_json::{json, Value};
use shopsync_sandbox::heyloyalty::{
    self, HeyloyaltyConfig, HeyloyaltyHandle, Webhook, WebhookStyle,
};

async fn start(rps: u32) -> (HeyloyaltyHandle, String) {
    let config = HeyloyaltyConfig {
        requests_per_second: rps,
        ..HeyloyaltyConfig::default()
    };
    let (handle, router) = heyloyalty::build(config, 1.0, false);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (handle, format!("http://{addr}/loyalty"))
}

fn signed(req: reqwest::RequestBuilder, key: &str, secret: &str) -> reqwest::RequestBuilder {
    let ts = "Fri, 24 May 2013 13:16:26 GMT";
    req.header("X-Request-Timestamp", ts)
        .basic_auth(key, Some(heyloyalty::signature(secret, ts)))
}

async fn call(method: reqwest::Method, url: &str, body: Option<Value>) -> (u16, Value) {
    let mut req = signed(
        reqwest::Client::new().request(method, url),
        heyloyalty::DEFAULT_API_KEY,
        heyloyalty::DEFAULT_API_SECRET,
    );
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[test]
fn signature_matches_the_notes_vector() {
    assert_eq!(
        heyloyalty::signature("API_SECRET", "Fri, 24 May 2013 13:16:26 GMT"),
        "MjgwYTMxNTM2NjkwMzRmMTM0NTUyZWRkOTNkMzVhNmQ2OGZlNGFjM2MwNzg1ZGQ3MmU0YzdiNGRmODJiNjI3Mg=="
    );
}

#[tokio::test]
async fn wrong_signature_or_key_or_missing_timestamp_is_401() {
    let (hl, base) = start(100).await;
    let c = reqwest::Client::new();
    let url = format!("{base}/v1/lists");
    let r = signed(c.get(&url), heyloyalty::DEFAULT_API_KEY, "wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], 401);
    let r = signed(c.get(&url), "other-key", heyloyalty::DEFAULT_API_SECRET)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = c
        .get(&url)
        .basic_auth(heyloyalty::DEFAULT_API_KEY, Some("x"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let (status, _) = call(reqwest::Method::GET, &url, None).await;
    assert_eq!(status, 200);
    assert!(hl.lists().is_empty());
}

#[tokio::test]
async fn lists_fields_and_members() {
    let (hl, base) = start(100).await;
    let (status, list) = call(
        reqwest::Method::POST,
        &format!("{base}/v1/lists"),
        Some(json!({"name": "Kunder", "country_id": 1, "duplicates": "disallow", "double_opt-in": "0",
            "fields": [{"type": "fixed", "name": "firstname", "format": "text"},
                       {"type": "fixed", "name": "postalcode", "format": "number"}]})),
    )
    .await;
    assert_eq!(status, 201);
    let id = list["id"].as_u64().unwrap();
    // v2 PATCH adds a field; the same PATCH again changes nothing.
    let patch = json!({"fields": [{"type": "custom", "name": "total_orders", "label": "Ordrer", "format": "number"}]});
    for _ in 0..2 {
        let (status, _) = call(
            reqwest::Method::PATCH,
            &format!("{base}/v2/lists/{id}"),
            Some(patch.clone()),
        )
        .await;
        assert_eq!(status, 200);
    }
    let fields = &hl.lists()[0].fields;
    assert_eq!(
        fields.len(),
        4,
        "email, firstname, postalcode, total_orders"
    );
    let members = format!("{base}/v1/lists/{id}/members");
    let (status, created) = call(
        reqwest::Method::POST,
        &members,
        Some(json!({"email": "a@x.dk", "firstname": "A", "total_orders": "3"})),
    )
    .await;
    assert_eq!(status, 201);
    let mid = created["id"].as_str().unwrap().to_string();
    // Unknown field, format mismatch, duplicate e-mail: 400, nothing stored.
    for body in [
        json!({"email": "b@x.dk", "nope": "1"}),
        json!({"email": "b@x.dk", "postalcode": "DK-8000"}),
        json!({"email": "A@x.dk"}),
    ] {
        let (status, err) = call(reqwest::Method::POST, &members, Some(body)).await;
        assert_eq!(status, 400, "{err}");
        assert_eq!(err["code"], 400);
    }
    assert_eq!(hl.members(id).len(), 1);
    let (status, found) = call(
        reqwest::Method::GET,
        &format!("{members}?filter[email][eq][]=a%40x.dk"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(found["members"][0]["id"], mid.as_str());
    assert_eq!(found["members"][0]["fields"]["firstname"]["value"], "A");
    let (_, none) = call(
        reqwest::Method::GET,
        &format!("{members}?filter[email][eq][]=zz%40x.dk"),
        None,
    )
    .await;
    assert_eq!(none["members"].as_array().unwrap().len(), 0);
    // The trap: PATCH of an unsubscribed member re-subscribes it.
    hl.unsubscribe(&mid).unwrap();
    let (_, m) = call(reqwest::Method::GET, &format!("{members}/{mid}"), None).await;
    assert!(m["unsubscribed_at"].is_string());
    let (status, _) = call(
        reqwest::Method::PATCH,
        &format!("{members}/{mid}"),
        Some(json!({"firstname": "B"})),
    )
    .await;
    assert_eq!(status, 204);
    assert!(hl.member(&mid).unwrap().unsubscribed_at.is_none());
    let (status, _) = call(reqwest::Method::DELETE, &format!("{members}/{mid}"), None).await;
    assert_eq!(status, 204);
    let (status, err) = call(reqwest::Method::GET, &format!("{members}/{mid}"), None).await;
    assert_eq!((status, err["code"].as_u64()), (404, Some(404)));
    let (status, _) = call(
        reqwest::Method::GET,
        &format!("{base}/v1/lists/999/members"),
        None,
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn hammering_gets_429() {
    let (_hl, base) = start(5).await;
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(
            call(reqwest::Method::GET, &format!("{base}/v1/lists"), None)
                .await
                .0,
        );
    }
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 5);
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 3);
}

#[tokio::test]
async fn webhooks_in_both_styles_with_basic_auth() {
    let (hl, _base) = start(100).await;
    let received =
        std::sync::Arc::new(std::sync::Mutex::new(Vec::<(Option<String>, Value)>::new()));
    let r2 = received.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(
            move |headers: axum::http::HeaderMap, axum::Json(v): axum::Json<Value>| {
                let r2 = r2.clone();
                async move {
                    let auth = headers
                        .get("authorization")
                        .map(|v| v.to_str().unwrap().to_string());
                    r2.lock().unwrap().push((auth, v));
                    "ok"
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let a = hl.create_list("A", &["firstname"]);
    let b = hl.create_list("B", &["firstname"]);
    hl.set_webhook(
        a,
        Webhook {
            url: format!("http://{addr}/hook"),
            basic_auth: Some(("u".into(), "p".into())),
            style: WebhookStyle::SnakeCase,
        },
    );
    hl.set_webhook(
        b,
        Webhook {
            url: format!("http://{addr}/hook"),
            basic_auth: None,
            style: WebhookStyle::CamelCase,
        },
    );
    let m = hl
        .form_subscribe(a, json!({"email": "x@y.dk", "firstname": "X"}))
        .unwrap();
    hl.ui_update(&m, json!({"firstname": "Y"})).unwrap();
    hl.unsubscribe(&m).unwrap();
    let n = hl.form_subscribe(b, json!({"email": "z@y.dk"})).unwrap();
    hl.import_member(b, json!({"email": "imported@y.dk"}))
        .unwrap();
    hl.bulk_delete(&[&n]);
    assert_eq!(hl.flush_webhooks().await, vec![200, 200, 200, 200]);
    let got = received.lock().unwrap().clone();
    let types: Vec<&str> = got
        .iter()
        .map(|(_, v)| v["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["subscribe", "update", "unsubscribe", "subscribe"]);
    assert_eq!(got[0].1["member_id"], m.as_str());
    assert_eq!(got[0].1["list_id"], a);
    assert!(got[0].0.as_deref().unwrap().starts_with("Basic "));
    assert_eq!(got[3].1["memberId"], n.as_str());
    assert_eq!(got[3].1["listId"], b);
    assert!(got[3].0.is_none());
}
