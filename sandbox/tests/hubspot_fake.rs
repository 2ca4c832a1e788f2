//! The HubSpot fake over HTTP: auth, records and batches, validation, paging, search,
//! properties, pipelines, associations, rate limits and faults.

use std::net::SocketAddr;
use std::time::Duration;

use serde_json::{json, Value};
use shopsync_sandbox::hubspot::{self, HubSpotHandle};
use shopsync_sandbox::{Faults, SandboxConfig};

struct Fake {
    h: HubSpotHandle,
    base: String,
    client: reqwest::Client,
    token: String,
}

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

fn lifted() -> SandboxConfig {
    SandboxConfig {
        limits_lifted: true,
        ..SandboxConfig::default()
    }
}

async fn start(config: SandboxConfig) -> Fake {
    let (h, router) = hubspot::build(&config).expect("build");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    Fake {
        h,
        base: format!("http://{addr}"),
        client: reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap(),
        token: config.hubspot_token.clone(),
    }
}

impl Fake {
    async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Answer {
        self.try_send(method, path, body, Some(&self.token))
            .await
            .expect("request")
    }

    async fn try_send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
        token: Option<&str>,
    ) -> reqwest::Result<Answer> {
        let mut rb = self.client.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let resp = rb.send().await?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await?;
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Ok(Answer {
            status,
            headers,
            body,
        })
    }

    async fn get(&self, path: &str) -> Answer {
        self.send(reqwest::Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> Answer {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    async fn patch(&self, path: &str, body: Value) -> Answer {
        self.send(reqwest::Method::PATCH, path, Some(body)).await
    }

    async fn delete(&self, path: &str) -> Answer {
        self.send(reqwest::Method::DELETE, path, None).await
    }
}

const C: &str = "/crm/objects/2026-03/contacts";

fn assert_error(a: &Answer, status: u16, category: &str) {
    assert_eq!(a.status, status, "{}", a.body);
    assert_eq!(a.body["status"], "error", "{}", a.body);
    assert_eq!(a.body["category"], category, "{}", a.body);
    assert!(
        a.body["correlationId"]
            .as_str()
            .is_some_and(|c| c.len() == 36),
        "{}",
        a.body
    );
    assert!(a.body["message"].is_string());
}

#[tokio::test]
async fn auth_is_a_bearer_token() {
    let f = start(lifted()).await;
    let a = f
        .try_send(reqwest::Method::GET, C, None, None)
        .await
        .unwrap();
    assert_error(&a, 401, "INVALID_AUTHENTICATION");
    assert!(a.body["message"]
        .as_str()
        .unwrap()
        .starts_with("Authentication credentials not found."));
    assert!(a.header("x-hubspot-correlation-id").is_some());
    let a = f
        .try_send(reqwest::Method::GET, C, None, Some("pat-na1-wrong"))
        .await
        .unwrap();
    assert_error(&a, 401, "INVALID_AUTHENTICATION");
    let a = f.get(C).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body["results"], json!([]));
    assert_eq!(f.h.stats().unauthorized, 2);
}

#[tokio::test]
async fn create_read_update_archive_a_record() {
    let f = start(lifted()).await;
    let a = f.post(C, json!({"properties": {"email": "Ada@Example.com", "firstname": "Ada"}, "associations": []})).await;
    assert_eq!(a.status, 201, "{}", a.body);
    let id = a.body["id"].as_str().unwrap().to_string();
    assert!(id.parse::<u64>().unwrap() > u32::MAX as u64);
    assert_eq!(a.body["properties"]["email"], "ada@example.com");
    assert_eq!(a.body["properties"]["hs_object_id"], id.as_str());
    assert!(a.body["properties"]["createdate"]
        .as_str()
        .unwrap()
        .ends_with('Z'));
    assert_eq!(a.body["archived"], false);

    // Default properties: email, firstname, lastname (null) and the system ones.
    let a = f.get(&format!("{C}/{id}")).await;
    assert_eq!(a.status, 200);
    let props = a.body["properties"].as_object().unwrap();
    assert_eq!(props["lastname"], Value::Null);
    assert!(props.contains_key("lastmodifieddate"));
    assert!(!props.contains_key("phone"));
    // Named properties come with id/create/modified dates, unknown names are dropped.
    let a = f
        .get(&format!(
            "{C}/{id}?properties=phone,nosuchprop&properties=firstname"
        ))
        .await;
    let mut keys: Vec<&str> = a.body["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "createdate",
            "firstname",
            "hs_object_id",
            "lastmodifieddate",
            "phone"
        ]
    );
    // By e-mail.
    let a = f
        .get(&format!("{C}/ADA@example.com?idProperty=email"))
        .await;
    assert_eq!(a.body["id"], id.as_str());

    let a = f
        .patch(
            &format!("{C}/{id}"),
            json!({"properties": {"phone": "+31 20 123", "firstname": ""}}),
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["properties"]["phone"], "+31 20 123");
    assert!(a.body["properties"].get("firstname").is_none());

    let a = f.delete(&format!("{C}/{id}")).await;
    assert_eq!(a.status, 204);
    let a = f.get(&format!("{C}/{id}")).await;
    assert_error(&a, 404, "OBJECT_NOT_FOUND");
    assert_eq!(
        a.body["message"],
        "Object not found.  objectId are usually numeric."
    );
    assert_eq!(a.body["context"]["id"], json!([id]));
    let a = f.get(&format!("{C}/{id}?archived=true")).await;
    assert_eq!(a.body["archived"], true);
    // Deleting again (or something that never existed) is still 204.
    assert_eq!(f.delete(&format!("{C}/{id}")).await.status, 204);
    assert_eq!(f.delete(&format!("{C}/123")).await.status, 204);
    // Type ids and the legacy path.
    assert_eq!(
        f.get("/crm/v3/objects/0-1?archived=true").await.body["results"][0]["id"],
        id.as_str()
    );
}

#[tokio::test]
async fn contact_email_conflicts() {
    let f = start(lifted()).await;
    let existing =
        f.h.create_object("contacts", [("email", "taken@example.com")])
            .unwrap();
    let a = f
        .post(C, json!({"properties": {"email": "TAKEN@example.com"}}))
        .await;
    assert_error(&a, 409, "CONFLICT");
    assert_eq!(
        a.body["message"],
        format!("Contact already exists. Existing ID: {}", existing.id)
    );
    // Batch create: the whole request fails and nothing is written.
    let a = f
        .post(
            &format!("{C}/batch/create"),
            json!({"inputs": [{"properties": {"email": "new@example.com"}}, {"properties": {"email": "taken@example.com"}}]}),
        )
        .await;
    assert_error(&a, 409, "CONFLICT");
    assert_eq!(f.h.count("contacts"), 1);
    // Two inputs of one batch with the same e-mail.
    let a = f
        .post(
            &format!("{C}/batch/create"),
            json!({"inputs": [{"properties": {"email": "x@example.com"}}, {"properties": {"email": "X@example.com"}}]}),
        )
        .await;
    assert_eq!(a.status, 409);
    assert_eq!(f.h.count("contacts"), 1);
}

#[tokio::test]
async fn batch_upsert_by_email_creates_then_updates() {
    let f = start(lifted()).await;
    let existing =
        f.h.create_object(
            "contacts",
            [("email", "old@example.com"), ("firstname", "Old")],
        )
        .unwrap();
    let body = json!({"inputs": [
        {"id": "new@example.com", "idProperty": "email", "properties": {"firstname": "New"}},
        {"id": "OLD@example.com", "idProperty": "email", "properties": {"lastname": "Timer"}},
    ]});
    let a = f.post(&format!("{C}/batch/upsert"), body.clone()).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["status"], "COMPLETE");
    let results = a.body["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let new = results
        .iter()
        .find(|r| r["properties"]["email"] == "new@example.com")
        .unwrap();
    assert_eq!(new["new"], true);
    let old = results
        .iter()
        .find(|r| r["id"] == existing.id.as_str())
        .unwrap();
    assert_eq!(old["new"], false);
    assert_eq!(old["properties"]["firstname"], "Old");
    assert_eq!(old["properties"]["lastname"], "Timer");
    // Again: both exist now.
    let a = f.post(&format!("{C}/batch/upsert"), body).await;
    assert!(a.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["new"] == false));
    assert_eq!(f.h.count("contacts"), 2);
    let rec =
        f.h.find_by_property("contacts", "email", "New@Example.com")
            .unwrap();
    assert_eq!(rec.get("firstname"), Some("New"));
    // With email, one bad input fails the whole batch.
    let a = f
        .post(
            &format!("{C}/batch/upsert"),
            json!({"inputs": [
                {"id": "third@example.com", "idProperty": "email", "properties": {"firstname": "T"}},
                {"id": "not-an-email", "idProperty": "email", "properties": {}},
            ]}),
        )
        .await;
    assert_error(&a, 400, "VALIDATION_ERROR");
    assert_eq!(f.h.count("contacts"), 2);
    // Two inputs resolving to the same record.
    let a = f
        .post(
            &format!("{C}/batch/upsert"),
            json!({"inputs": [
                {"id": "old@example.com", "idProperty": "email", "properties": {}},
                {"id": "Old@Example.com", "idProperty": "email", "properties": {}},
            ]}),
        )
        .await;
    assert_error(&a, 400, "VALIDATION_ERROR");
    assert!(a.body["message"]
        .as_str()
        .unwrap()
        .contains("Duplicate IDs"));
}

#[tokio::test]
async fn unique_property_upsert_and_uniqueness() {
    let f = start(lifted()).await;
    let prop = json!({"name": "shopify_id", "label": "Shopify ID", "type": "string", "fieldType": "text",
        "groupName": "dealinformation", "hasUniqueValue": true});
    let a = f.post("/crm/properties/2026-03/deals", prop.clone()).await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(a.body["hasUniqueValue"], true);
    let a = f.post("/crm/properties/2026-03/deals", prop).await;
    assert_error(&a, 409, "OBJECT_ALREADY_EXISTS");
    assert!(f
        .h
        .properties("deals")
        .iter()
        .any(|p| p.name == "shopify_id" && p.has_unique_value));

    let up = |stage: &str| {
        json!({"inputs": [{"id": "gid-1001", "idProperty": "shopify_id", "objectWriteTraceId": "o1",
            "properties": {"dealname": "#1001", "dealstage": stage, "amount": "12.50"}}]})
    };
    let a = f
        .post(
            "/crm/objects/2026-03/deals/batch/upsert",
            up("appointmentscheduled"),
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["results"][0]["new"], true);
    assert_eq!(a.body["results"][0]["properties"]["shopify_id"], "gid-1001");
    assert_eq!(a.body["results"][0]["properties"]["pipeline"], "default");
    let id = a.body["results"][0]["id"].as_str().unwrap().to_string();
    let a = f
        .post("/crm/objects/2026-03/deals/batch/upsert", up("closedwon"))
        .await;
    assert_eq!(a.body["results"][0]["new"], false);
    assert_eq!(a.body["results"][0]["id"], id.as_str());
    assert_eq!(
        f.h.object("deals", &id).unwrap().get("dealstage"),
        Some("closedwon")
    );
    // Read and update by the unique property.
    let a = f
        .get("/crm/objects/2026-03/deals/gid-1001?idProperty=shopify_id&properties=dealname")
        .await;
    assert_eq!(a.body["id"], id.as_str());
    let a = f
        .post(
            "/crm/objects/2026-03/deals/batch/update",
            json!({"inputs": [{"id": "gid-1001", "idProperty": "shopify_id", "properties": {"amount": "13"}}]}),
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["results"][0]["properties"]["amount"], "13");
    // A create with a taken unique value is refused.
    let a = f
        .post("/crm/objects/2026-03/deals", json!({"properties": {"dealname": "x", "dealstage": "closedwon", "shopify_id": "gid-1001"}}))
        .await;
    assert_error(&a, 409, "CONFLICT");
    // A property without hasUniqueValue is no idProperty.
    let a = f
        .post(
            "/crm/objects/2026-03/deals/batch/upsert",
            json!({"inputs": [{"id": "x", "idProperty": "dealname", "properties": {}}]}),
        )
        .await;
    assert_error(&a, 400, "VALIDATION_ERROR");
    assert!(a.body["message"]
        .as_str()
        .unwrap()
        .starts_with("Unable to perform update/upsert by non-unique 0-3 property dealname"));
    // Partial upsert by a unique property: the invalid input fails alone.
    let a = f
        .post(
            "/crm/objects/2026-03/deals/batch/upsert",
            json!({"inputs": [
                {"id": "gid-1002", "idProperty": "shopify_id", "properties": {"dealname": "#1002", "dealstage": "closedwon"}},
                {"id": "gid-1003", "idProperty": "shopify_id", "properties": {"dealname": "#1003", "dealstage": "nope"}},
            ]}),
        )
        .await;
    assert_eq!(a.status, 207, "{}", a.body);
    assert_eq!(a.body["numErrors"], 1);
    assert_eq!(a.body["errors"][0]["context"]["ids"], json!(["gid-1003"]));
    assert_eq!(f.h.count("deals"), 2);
}

#[tokio::test]
async fn property_values_are_validated() {
    let f = start(lifted()).await;
    let a = f
        .post(
            C,
            json!({"properties": {"email": "a@example.com", "shoe_size": "42"}}),
        )
        .await;
    assert_error(&a, 400, "VALIDATION_ERROR");
    let msg = a.body["message"].as_str().unwrap();
    assert!(msg.starts_with("Property values were not valid: "), "{msg}");
    assert!(msg.contains("PROPERTY_DOESNT_EXIST"));
    assert_eq!(a.body["errors"][0]["code"], "PROPERTY_DOESNT_EXIST");
    assert_eq!(
        a.body["errors"][0]["context"]["propertyName"],
        json!(["shoe_size"])
    );

    let a = f
        .post(C, json!({"properties": {"email": "not an email"}}))
        .await;
    assert_error(&a, 400, "VALIDATION_ERROR");
    assert_eq!(a.body["errors"][0]["code"], "INVALID_EMAIL");
    for bad in ["a@b", "x@example.c0m", "\"q\"@example.com"] {
        let a = f.post(C, json!({"properties": {"email": bad}})).await;
        assert_eq!(a.status, 400, "{bad}");
    }

    let p = "/crm/objects/2026-03/products";
    let a = f
        .post(p, json!({"properties": {"name": "Mug", "price": "ten"}}))
        .await;
    assert_eq!(a.body["errors"][0]["code"], "INVALID_INTEGER");
    assert_eq!(
        f.post(p, json!({"properties": {"name": "Mug", "price": "1e3"}}))
            .await
            .status,
        400
    );
    let a = f
        .post(
            p,
            json!({"properties": {"name": "Mug", "price": 9.5, "hs_product_type": "inventory"}}),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(a.body["properties"]["price"], "9.5");
    let a = f
        .post(p, json!({"properties": {"hs_product_type": "Inventory"}}))
        .await;
    assert_eq!(a.body["errors"][0]["code"], "INVALID_OPTION");
    let a = f
        .post(
            C,
            json!({"properties": {"lifecyclestage": "customer", "hs_object_id": "5"}}),
        )
        .await;
    assert_eq!(a.body["errors"][0]["code"], "READ_ONLY_VALUE");

    // Dates: ISO or epoch ms; datetimes come back as ISO.
    let d = "/crm/objects/2026-03/deals";
    let a = f.post(d, json!({"properties": {"dealname": "d", "dealstage": "closedwon", "closedate": "1572480000000"}})).await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(
        a.body["properties"]["closedate"],
        "2019-10-31T00:00:00.000Z"
    );
    let a = f.post(d, json!({"properties": {"dealname": "d", "dealstage": "closedwon", "closedate": "31/10/2019"}})).await;
    assert_eq!(a.status, 400);
    // Bool properties take true/false only.
    let a = f
        .post(
            "/crm/properties/2026-03/contacts",
            json!({"name": "accepts_marketing", "label": "Accepts marketing",
            "type": "bool", "fieldType": "booleancheckbox", "groupName": "contactinformation",
            "options": [{"label": "Yes", "value": "true"}, {"label": "No", "value": "false"}]}),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(
        f.post(C, json!({"properties": {"accepts_marketing": "yes"}}))
            .await
            .status,
        400
    );
    assert_eq!(
        f.post(C, json!({"properties": {"accepts_marketing": true}}))
            .await
            .status,
        201
    );
    // Malformed JSON and a missing `properties`.
    let resp = f
        .client
        .post(format!("{}{C}", f.base))
        .bearer_auth(&f.token)
        .header("content-type", "application/json")
        .body("{\"properties\": {")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    let body: Value = resp.json().await.unwrap();
    assert!(body["message"]
        .as_str()
        .unwrap()
        .starts_with("Invalid input JSON on line 1"));
    assert_error(
        &f.post(C, json!({"props": {}})).await,
        400,
        "VALIDATION_ERROR",
    );
    let resp = f
        .client
        .post(format!("{}{C}", f.base))
        .bearer_auth(&f.token)
        .header("content-type", "text/plain")
        .body("{\"properties\": {}}")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 415);
    // Unknown object type and unknown path.
    assert_error(
        &f.get("/crm/objects/2026-03/widgets").await,
        400,
        "VALIDATION_ERROR",
    );
    assert_error(
        &f.get("/crm/objects/2026-03").await,
        404,
        "OBJECT_NOT_FOUND",
    );
    assert_error(&f.get("/nope").await, 404, "OBJECT_NOT_FOUND");
}

#[tokio::test]
async fn batches_take_at_most_100_inputs() {
    let f = start(lifted()).await;
    let inputs = |n: usize| -> Value {
        json!({"inputs": (0..n).map(|i| json!({"properties": {"email": format!("c{i}@example.com")}})).collect::<Vec<_>>()})
    };
    let a = f.post(&format!("{C}/batch/create"), inputs(101)).await;
    assert_error(&a, 400, "VALIDATION_ERROR");
    assert_eq!(f.h.count("contacts"), 0);
    let a = f.post(&format!("{C}/batch/create"), inputs(100)).await;
    assert_eq!(a.status, 201);
    assert_eq!(a.body["results"].as_array().unwrap().len(), 100);
    let read =
        json!({"inputs": (0..101).map(|i| json!({"id": i.to_string()})).collect::<Vec<_>>()});
    assert_eq!(f.post(&format!("{C}/batch/read"), read).await.status, 400);
    let arch =
        json!({"inputs": (0..101).map(|i| json!({"id": i.to_string()})).collect::<Vec<_>>()});
    assert_eq!(
        f.post(&format!("{C}/batch/archive"), arch).await.status,
        400
    );
}

#[tokio::test]
async fn batch_errors_are_207_per_input() {
    let f = start(lifted()).await;
    // With objectWriteTraceId: the bad input fails alone.
    let a = f
        .post(
            &format!("{C}/batch/create"),
            json!({"inputs": [
                {"objectWriteTraceId": "t1", "properties": {"email": "good@example.com"}},
                {"objectWriteTraceId": "t2", "properties": {"email": "bad"}},
            ]}),
        )
        .await;
    assert_eq!(a.status, 207, "{}", a.body);
    assert_eq!(a.body["status"], "COMPLETE");
    assert_eq!(a.body["numErrors"], 1);
    assert_eq!(a.body["results"].as_array().unwrap().len(), 1);
    let e = &a.body["errors"][0];
    assert_eq!(e["status"], "error");
    assert_eq!(e["category"], "VALIDATION_ERROR");
    assert_eq!(e["context"]["objectWriteTraceId"], json!(["t2"]));
    assert_eq!(a.body["results"][0]["objectWriteTraceId"], "t1");
    assert!(e["message"].as_str().unwrap().contains("INVALID_EMAIL"));
    assert_eq!(f.h.count("contacts"), 1);
    // Without: the whole batch fails.
    let a = f
        .post(
            &format!("{C}/batch/create"),
            json!({"inputs": [{"properties": {"email": "g2@example.com"}}, {"properties": {"email": "bad"}}]}),
        )
        .await;
    assert_error(&a, 400, "VALIDATION_ERROR");
    assert_eq!(f.h.count("contacts"), 1);
    // Reads and updates of ids that do not exist.
    let id = f.h.objects("contacts")[0].id.clone();
    let a = f
        .post(
            &format!("{C}/batch/read"),
            json!({"properties": ["email"], "inputs": [{"id": id}, {"id": "999"}, {"id": "998"}]}),
        )
        .await;
    assert_eq!(a.status, 207, "{}", a.body);
    assert_eq!(
        a.body["results"][0]["properties"]["email"],
        "good@example.com"
    );
    assert_eq!(a.body["errors"][0]["category"], "OBJECT_NOT_FOUND");
    assert_eq!(a.body["errors"][0]["context"]["ids"], json!(["999", "998"]));
    assert!(a.body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("Could not get some CONTACT objects"));
    // None found: the same body, with 404.
    let a = f
        .post(
            &format!("{C}/batch/read"),
            json!({"inputs": [{"id": "999"}]}),
        )
        .await;
    assert_eq!(a.status, 404);
    assert_eq!(a.body["errors"][0]["context"]["ids"], json!(["999"]));
    let a = f
        .post(
            &format!("{C}/batch/read"),
            json!({"idProperty": "email", "inputs": [{"id": "GOOD@example.com"}]}),
        )
        .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body["results"][0]["id"], id.as_str());
    let a = f
        .post(
            &format!("{C}/batch/update"),
            json!({"inputs": [{"id": id, "properties": {"firstname": "G"}}, {"id": "999", "properties": {"firstname": "X"}}]}),
        )
        .await;
    assert_eq!(a.status, 207);
    assert_eq!(a.body["results"][0]["properties"]["firstname"], "G");
    let a = f
        .post(
            &format!("{C}/batch/archive"),
            json!({"inputs": [{"id": id}, {"id": "999"}]}),
        )
        .await;
    assert_eq!(a.status, 204);
    assert_eq!(f.h.count("contacts"), 0);
}

#[tokio::test]
async fn paging_returns_each_record_once() {
    let f = start(lifted()).await;
    for i in 0..250 {
        f.h.create_object("contacts", [("email", format!("p{i}@example.com"))])
            .unwrap();
    }
    // A record archived mid-way is not returned.
    let victim = f.h.objects("contacts")[120].id.clone();
    let mut seen = std::collections::HashSet::new();
    let mut path = format!("{C}?limit=100&properties=email");
    let mut pages = 0;
    loop {
        let a = f.get(&path).await;
        assert_eq!(a.status, 200);
        pages += 1;
        if pages == 1 {
            assert!(f.h.archive_object("contacts", &victim));
        }
        for r in a.body["results"].as_array().unwrap() {
            assert!(
                seen.insert(r["id"].as_str().unwrap().to_string()),
                "seen twice: {}",
                r["id"]
            );
            assert!(r["properties"]["email"].is_string());
        }
        match a.body["paging"]["next"]["after"].as_str() {
            Some(after) => {
                assert!(a.body["paging"]["next"]["link"]
                    .as_str()
                    .unwrap()
                    .contains(&format!("after={after}")));
                path = format!("{C}?limit=100&properties=email&after={after}");
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 249);
    assert!(!seen.contains(&victim));
    assert_eq!(f.get(&format!("{C}?limit=101")).await.status, 400);
    assert_eq!(f.get(C).await.body["results"].as_array().unwrap().len(), 10);
}

#[tokio::test]
async fn search_filters_sorts_and_pages() {
    let f = start(lifted()).await;
    for i in 0..30 {
        f.h.create_object(
            "products",
            [
                ("name", format!("Product {i}")),
                ("price", format!("{}", i * 2)),
                ("hs_sku", format!("SKU-{i:03}")),
            ],
        )
        .unwrap();
    }
    let s = "/crm/objects/2026-03/products/search";
    let a = f
        .post(s, json!({"filterGroups": [{"filters": [{"propertyName": "hs_sku", "operator": "EQ", "value": "sku-007"}]}],
            "properties": ["hs_sku", "price"]}))
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["total"], 1);
    assert_eq!(a.body["results"][0]["properties"]["price"], "14");
    let a = f
        .post(s, json!({"filterGroups": [
                {"filters": [{"propertyName": "price", "operator": "GTE", "value": "50"}]},
                {"filters": [{"propertyName": "price", "operator": "LT", "value": 4}]}],
            "sorts": [{"propertyName": "price", "direction": "DESCENDING"}], "properties": ["price"], "limit": 3}))
        .await;
    assert_eq!(a.body["total"], 7);
    let prices: Vec<&str> = a.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["properties"]["price"].as_str().unwrap())
        .collect();
    assert_eq!(prices, ["58", "56", "54"]);
    assert_eq!(a.body["paging"]["next"]["after"], "3");
    let a = f
        .post(s, json!({"filterGroups": [{"filters": [{"propertyName": "description", "operator": "NOT_HAS_PROPERTY"}]}],
            "after": "28", "limit": 5}))
        .await;
    assert_eq!(a.body["total"], 30);
    assert_eq!(a.body["results"].as_array().unwrap().len(), 2);
    assert!(a.body.get("paging").is_none());
    let a = f.post(s, json!({"query": "product 2", "limit": 200})).await;
    assert_eq!(a.body["total"], 11);
    // Limits of the search API.
    assert_eq!(f.post(s, json!({"limit": 201})).await.status, 400);
    assert_error(
        &f.post(s, json!({"after": 10000})).await,
        400,
        "VALIDATION_ERROR",
    );
    let seven = json!({"filters": (0..7).map(|_| json!({"propertyName": "price", "operator": "HAS_PROPERTY"})).collect::<Vec<_>>()});
    assert_eq!(
        f.post(s, json!({"filterGroups": [seven]})).await.status,
        400
    );
    let bad = json!({"filterGroups": [{"filters": [{"propertyName": "nope", "operator": "EQ", "value": "1"}]}]});
    assert_eq!(f.post(s, bad).await.status, 400);
    // Contacts by e-mail, case-insensitively, from the index.
    let c =
        f.h.create_object("contacts", [("email", "find.me@example.com")])
            .unwrap();
    let a = f
        .post(&format!("{C}/search"), json!({"filterGroups": [{"filters": [{"propertyName": "email", "operator": "EQ", "value": "Find.Me@example.com"}]}]}))
        .await;
    assert_eq!(a.body["results"][0]["id"], c.id.as_str());
}

#[tokio::test]
async fn pipelines_and_deal_stages() {
    let f = start(lifted()).await;
    let p = "/crm/pipelines/2026-03/deals";
    let a = f.get(p).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body["results"][0]["id"], "default");
    assert_eq!(a.body["results"][0]["label"], "Sales Pipeline");
    assert_eq!(
        a.body["results"][0]["stages"][5]["metadata"]["isClosed"],
        "true"
    );

    let stages = json!([
        {"label": "Checkout Abandoned", "displayOrder": 0, "metadata": {"probability": "0.1"}},
        {"label": "Processed", "displayOrder": 1, "metadata": {"probability": 0.5}},
        {"label": "Shipped", "displayOrder": 2, "metadata": {"probability": "1.0"}},
        {"label": "Cancelled", "displayOrder": 3, "metadata": {"probability": "0.0"}},
    ]);
    // Probability is required and bounded; stage labels are unique.
    let a = f.post(p, json!({"label": "Ecommerce", "displayOrder": 1, "stages": [{"label": "A", "displayOrder": 0, "metadata": {}}]})).await;
    assert_error(&a, 400, "VALIDATION_ERROR");
    let a = f.post(p, json!({"label": "Ecommerce", "displayOrder": 1, "stages": [{"label": "A", "displayOrder": 0, "metadata": {"probability": 1.5}}]})).await;
    assert_eq!(a.status, 400);
    let a = f
        .post(
            p,
            json!({"label": "Ecommerce", "displayOrder": 1, "stages": [
            {"label": "A", "displayOrder": 0, "metadata": {"probability": 0.1}},
            {"label": "a", "displayOrder": 1, "metadata": {"probability": 0.2}}]}),
        )
        .await;
    assert_eq!(a.status, 400);
    assert_error(
        &f.post(p, json!({"displayOrder": 1, "stages": []})).await,
        400,
        "VALIDATION_ERROR",
    );

    let a = f
        .post(
            p,
            json!({"label": "Ecommerce", "displayOrder": 1, "stages": stages}),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    let pid = a.body["id"].as_str().unwrap().to_string();
    let shipped = a.body["stages"][2]["id"].as_str().unwrap().to_string();
    assert_eq!(a.body["stages"][2]["metadata"]["isClosed"], "true");
    assert_eq!(f.post(p, json!({"label": "ecommerce", "displayOrder": 2, "stages": [{"label": "x", "displayOrder": 0, "metadata": {"probability": 0}}]})).await.status, 409);
    assert_eq!(
        f.get(&format!("{p}/{pid}")).await.body["label"],
        "Ecommerce"
    );
    assert_error(&f.get(&format!("{p}/nope")).await, 404, "OBJECT_NOT_FOUND");
    let a = f
        .patch(&format!("{p}/{pid}"), json!({"label": "Webshop"}))
        .await;
    assert_eq!(a.body["label"], "Webshop");
    let a = f
        .post(
            &format!("{p}/{pid}/stages"),
            json!({"label": "Refunded", "displayOrder": 4, "metadata": {"probability": "0.0"}}),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(
        f.get(&format!("{p}/{pid}/stages")).await.body["results"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    assert_eq!(f.h.pipelines("deals").len(), 2);

    let d = "/crm/objects/2026-03/deals";
    let a = f
        .post(
            d,
            json!({"properties": {"dealname": "#1", "pipeline": pid, "dealstage": shipped}}),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    let deal = a.body["id"].as_str().unwrap().to_string();
    // A stage of another pipeline, an unknown pipeline, no stage at all.
    let a = f
        .post(
            d,
            json!({"properties": {"dealname": "#2", "pipeline": pid, "dealstage": "closedwon"}}),
        )
        .await;
    assert_error(&a, 400, "VALIDATION_ERROR");
    assert_eq!(a.body["errors"][0]["code"], "INVALID_OPTION");
    assert_eq!(
        a.body["errors"][0]["context"]["propertyName"],
        json!(["dealstage"])
    );
    let a = f
        .post(
            d,
            json!({"properties": {"dealname": "#3", "pipeline": "nope", "dealstage": shipped}}),
        )
        .await;
    assert_eq!(
        a.body["errors"][0]["context"]["propertyName"],
        json!(["pipeline"])
    );
    assert_eq!(
        f.post(d, json!({"properties": {"dealname": "#4"}}))
            .await
            .status,
        400
    );
    // Moving to the default pipeline needs one of its stages.
    let a = f
        .patch(
            &format!("{d}/{deal}"),
            json!({"properties": {"pipeline": "default"}}),
        )
        .await;
    assert_eq!(a.status, 400);
    let a = f
        .patch(
            &format!("{d}/{deal}"),
            json!({"properties": {"pipeline": "default", "dealstage": "closedlost"}}),
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    // Unrelated updates do not re-check the stage.
    assert_eq!(
        f.patch(
            &format!("{d}/{deal}"),
            json!({"properties": {"amount": "5"}})
        )
        .await
        .status,
        200
    );
}

#[tokio::test]
async fn associations_are_stored_both_ways() {
    let f = start(lifted()).await;
    let contact =
        f.h.create_object("contacts", [("email", "buyer@example.com")])
            .unwrap()
            .id;
    let deal =
        f.h.create_object("deals", [("dealname", "#1001"), ("dealstage", "closedwon")])
            .unwrap()
            .id;
    let product =
        f.h.create_object(
            "products",
            [("name", "Mug"), ("price", "9.99"), ("hs_sku", "MUG")],
        )
        .unwrap()
        .id;
    // A line item from a product inherits its name and price; amount is computed.
    let a = f
        .post(
            "/crm/objects/2026-03/line_items",
            json!({"properties": {"hs_product_id": product, "quantity": "3"},
                "associations": [{"to": {"id": deal}, "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 20}]}]}),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(a.body["properties"]["name"], "Mug");
    assert_eq!(a.body["properties"]["amount"], "29.97");
    let li = a.body["id"].as_str().unwrap().to_string();
    assert_eq!(
        f.h.associations("deals", &deal, "line_items"),
        vec![(li.clone(), 19)]
    );
    let a = f
        .post(
            "/crm/objects/2026-03/line_items",
            json!({"properties": {"hs_product_id": "42", "quantity": "1"}}),
        )
        .await;
    assert_eq!(a.status, 400);

    let base = "/crm/associations/2026-03/deals/contacts";
    let a = f
        .post(
            &format!("{base}/batch/create"),
            json!({"inputs": [{"from": {"id": deal}, "to": {"id": contact},
                "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 3}]}]}),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(a.body["results"][0]["fromObjectTypeId"], "0-3");
    assert_eq!(
        a.body["results"][0]["toObjectId"],
        contact.parse::<u64>().unwrap()
    );
    assert_eq!(
        f.h.associations("deals", &deal, "contacts"),
        vec![(contact.clone(), 3)]
    );
    assert_eq!(
        f.h.associations("contacts", &contact, "deals"),
        vec![(deal.clone(), 4)]
    );
    // Wrong type id for the pair; a record that does not exist.
    let a = f
        .post(
            &format!("{base}/batch/create"),
            json!({"inputs": [{"from": {"id": deal}, "to": {"id": contact},
                "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 4}]}]}),
        )
        .await;
    assert_error(&a, 400, "VALIDATION_ERROR");
    let a = f
        .post(
            &format!("{base}/batch/create"),
            json!({"inputs": [{"from": {"id": deal}, "to": {"id": "777"},
                "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 3}]}]}),
        )
        .await;
    assert_eq!(a.status, 207, "{}", a.body);
    assert_eq!(
        a.body["errors"][0]["context"]["INVALID_OBJECT_IDS"],
        json!(["CONTACT=777 is not valid"])
    );
    // Products cannot be associated.
    let a = f
        .post(
            "/crm/associations/2026-03/products/deals/batch/associate/default",
            json!({"inputs": [{"from": {"id": product}, "to": {"id": deal}}]}),
        )
        .await;
    assert_eq!(a.status, 400);
    // Read from the other side, v4 legacy paths included.
    let a = f
        .get(&format!(
            "/crm/objects/2026-03/contacts/{contact}/associations/deals"
        ))
        .await;
    assert_eq!(
        a.body["results"][0]["toObjectId"],
        deal.parse::<u64>().unwrap()
    );
    assert_eq!(a.body["results"][0]["associationTypes"][0]["typeId"], 4);
    let a = f
        .post(
            "/crm/v4/associations/contacts/deals/batch/read",
            json!({"inputs": [{"id": contact}, {"id": "1"}]}),
        )
        .await;
    assert_eq!(a.status, 207);
    assert_eq!(
        a.body["results"][0]["to"][0]["toObjectId"],
        deal.parse::<u64>().unwrap()
    );
    assert_eq!(a.body["errors"][0]["category"], "OBJECT_NOT_FOUND");
    // v3 `associations` read parameter.
    let a = f
        .get(&format!(
            "/crm/objects/2026-03/deals/{deal}?associations=contacts,line_items"
        ))
        .await;
    assert_eq!(
        a.body["associations"]["contacts"]["results"][0]["type"],
        "deal_to_contact"
    );
    // Archive from the contact side removes both directions.
    let a = f
        .post(
            "/crm/associations/2026-03/contacts/deals/batch/archive",
            json!({"inputs": [{"from": {"id": contact}, "to": [{"id": deal}]}]}),
        )
        .await;
    assert_eq!(a.status, 204);
    assert!(f.h.associations("deals", &deal, "contacts").is_empty());
    // Default association, then archiving the deal drops it too.
    let a = f
        .post(
            &format!("{base}/batch/associate/default"),
            json!({"inputs": [{"from": {"id": deal}, "to": {"id": contact}}]}),
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(
        a.body["results"][0]["associationSpec"]["associationTypeId"],
        3
    );
    assert!(f.h.archive_object("deals", &deal));
    assert!(f.h.associations("contacts", &contact, "deals").is_empty());
    assert!(f.h.associations("line_items", &li, "deals").is_empty());
}

#[tokio::test]
async fn ten_secondly_limit_429_and_headers() {
    let f = start(SandboxConfig {
        time_scale: 50.0,
        hubspot_ten_secondly: 5,
        ..SandboxConfig::default()
    })
    .await;
    let a = f.get(C).await;
    assert_eq!(a.header("x-hubspot-ratelimit-max"), Some("5"));
    assert_eq!(a.header("x-hubspot-ratelimit-remaining"), Some("4"));
    assert_eq!(
        a.header("x-hubspot-ratelimit-interval-milliseconds"),
        Some("200")
    );
    assert_eq!(a.header("x-hubspot-ratelimit-daily"), Some("625000"));
    assert_eq!(
        a.header("x-hubspot-ratelimit-daily-remaining"),
        Some("624999")
    );
    let mut refused = None;
    for _ in 0..10 {
        let a = f.get(C).await;
        if a.status == 429 {
            refused = Some(a);
            break;
        }
    }
    let a = refused.expect("a 429 within the window");
    assert_error(&a, 429, "RATE_LIMITS");
    assert_eq!(
        a.body["message"],
        "You have reached your ten_secondly_rolling limit."
    );
    assert_eq!(a.body["errorType"], "RATE_LIMIT");
    assert_eq!(a.body["policyName"], "TEN_SECONDLY_ROLLING");
    assert_eq!(a.header("x-hubspot-ratelimit-remaining"), Some("0"));
    // Search has its own bucket.
    assert_eq!(f.post(&format!("{C}/search"), json!({})).await.status, 200);
    // The window rolls on.
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert_eq!(f.get(C).await.status, 200);
    assert!(f.h.stats().rate_limited["TEN_SECONDLY_ROLLING"] >= 1);
}

#[tokio::test]
async fn search_has_a_secondly_limit() {
    let f = start(SandboxConfig {
        time_scale: 2.0,
        ..SandboxConfig::default()
    })
    .await;
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(f.post(&format!("{C}/search"), json!({})).await);
    }
    let a = statuses
        .iter()
        .find(|a| a.status == 429)
        .expect("a 429 among six searches in half a second");
    assert_eq!(a.body["policyName"], "SECONDLY");
    assert_eq!(a.body["message"], "You have reached your secondly limit.");
}

#[tokio::test]
async fn daily_limit_stops_until_a_new_day() {
    let f = start(SandboxConfig {
        hubspot_daily: 1000,
        ..SandboxConfig::default()
    })
    .await;
    f.h.set_daily_remaining(1);
    assert_eq!(
        f.get(C).await.header("x-hubspot-ratelimit-daily-remaining"),
        Some("0")
    );
    let a = f.get(C).await;
    assert_error(&a, 429, "RATE_LIMITS");
    assert_eq!(a.body["policyName"], "DAILY");
    assert_eq!(a.body["message"], "You have reached your daily limit.");
    assert_eq!(a.header("x-hubspot-ratelimit-daily"), Some("1000"));
    f.h.reset_daily();
    let a = f.get(C).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.header("x-hubspot-ratelimit-daily-remaining"), Some("999"));
    // And over the admin endpoint.
    let r = f
        .client
        .post(format!("{}/_sandbox/daily", f.base))
        .json(&json!({"remaining": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(f.get(C).await.status, 429);
    f.client
        .post(format!("{}/_sandbox/daily/reset", f.base))
        .send()
        .await
        .unwrap();
    assert_eq!(f.get(C).await.status, 200);
}

#[tokio::test]
async fn lifted_limits_still_send_headers() {
    let f = start(SandboxConfig {
        hubspot_ten_secondly: 2,
        ..lifted()
    })
    .await;
    for _ in 0..5 {
        let a = f.get(C).await;
        assert_eq!(a.status, 200);
        assert!(a.header("x-hubspot-ratelimit-max").is_some());
    }
}

#[tokio::test]
async fn fault_server_error_writes_nothing() {
    let f = start(SandboxConfig {
        faults: Faults {
            server_error: 1.0,
            ..Faults::default()
        },
        ..lifted()
    })
    .await;
    let a = f
        .post(C, json!({"properties": {"email": "a@example.com"}}))
        .await;
    assert!([500, 502, 503].contains(&a.status), "{}", a.status);
    assert_eq!(a.body["status"], "error");
    assert_eq!(f.h.count("contacts"), 0);
    assert_eq!(f.h.stats().faults_injected["server_error"], 1);
}

#[tokio::test]
async fn fault_drop_connection_and_idempotent_retries() {
    let f = start(SandboxConfig {
        faults: Faults {
            drop_connection: 1.0,
            seed: 7,
            ..Faults::default()
        },
        ..lifted()
    })
    .await;
    let body = |i: usize| json!({"inputs": [{"id": format!("d{i}@example.com"), "idProperty": "email", "properties": {}}]});
    for i in 0..8 {
        let r = f
            .try_send(
                reqwest::Method::POST,
                &format!("{C}/batch/upsert"),
                Some(body(i)),
                Some(&f.token),
            )
            .await;
        assert!(r.is_err(), "the connection should close without an answer");
    }
    let written = f.h.count("contacts");
    assert!(
        written > 0 && written < 8,
        "about half the dropped writes land, got {written}"
    );
    // Retrying the same upserts once the fault is off converges to exactly one record each.
    f.h.set_faults(Faults::default());
    for i in 0..8 {
        assert_eq!(
            f.post(&format!("{C}/batch/upsert"), body(i)).await.status,
            200
        );
    }
    assert_eq!(f.h.count("contacts"), 8);
    assert_eq!(f.h.stats().faults_injected["drop_connection"], 8);
}

#[tokio::test]
async fn fault_truncated_body_and_burst_and_slow() {
    let f = start(SandboxConfig {
        faults: Faults {
            truncated_body: 1.0,
            ..Faults::default()
        },
        ..lifted()
    })
    .await;
    let resp = f
        .client
        .post(format!("{}{C}", f.base))
        .bearer_auth(&f.token)
        .json(&json!({"properties": {"email": "t@example.com"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    let text = resp.text().await.unwrap();
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
    assert_eq!(f.h.count("contacts"), 1, "the write is applied");

    f.h.set_faults(Faults {
        rate_limit_burst: 1.0,
        ..Faults::default()
    });
    let a = f.get(C).await;
    assert_eq!(a.status, 429);
    assert_eq!(a.body["policyName"], "TEN_SECONDLY_ROLLING");

    f.h.set_faults(Faults {
        slow_response: 1.0,
        slow_response_secs: 1.0,
        ..Faults::default()
    });
    let quick = reqwest::Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let r = quick
        .get(format!("{}{C}", f.base))
        .bearer_auth(&f.token)
        .send()
        .await;
    assert!(r.unwrap_err().is_timeout());
    assert_eq!(f.h.stats().faults_injected["slow_response"], 1);
}

#[tokio::test]
async fn fault_partial_batch_failure() {
    let f = start(SandboxConfig {
        faults: Faults {
            partial_batch_failure: 0.5,
            seed: 3,
            ..Faults::default()
        },
        ..lifted()
    })
    .await;
    let inputs: Vec<Value> = (0..40)
        .map(|i| json!({"objectWriteTraceId": format!("t{i}"), "properties": {"email": format!("pb{i}@example.com")}}))
        .collect();
    let a = f
        .post(&format!("{C}/batch/create"), json!({"inputs": inputs}))
        .await;
    assert_eq!(a.status, 207, "{}", a.body);
    let failed = a.body["numErrors"].as_u64().unwrap() as usize;
    let ok = a.body["results"].as_array().unwrap().len();
    assert!(failed > 5 && ok > 5, "failed {failed}, ok {ok}");
    assert_eq!(failed + ok, 40);
    assert_eq!(f.h.count("contacts"), ok);
    let e = &a.body["errors"][0];
    assert_eq!(e["status"], "error");
    assert!(e["context"]["objectWriteTraceId"][0]
        .as_str()
        .unwrap()
        .starts_with('t'));
    assert_eq!(
        f.h.stats().faults_injected["partial_batch_failure"],
        failed as u64
    );
}

#[tokio::test]
async fn admin_endpoints() {
    let f = start(lifted()).await;
    f.post(C, json!({"properties": {"email": "admin@example.com"}}))
        .await;
    let stats: Value = f
        .client
        .get(format!("{}/_sandbox/stats", f.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["requestsTotal"], 1);
    assert_eq!(stats["requestsByRoute"]["objects.create"], 1);
    assert_eq!(stats["inputsWritten"], 1);
    let list: Value = f
        .client
        .get(format!("{}/_sandbox/objects/contacts", f.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["properties"]["email"], "admin@example.com");
    assert!(list[0]["properties"]["hs_object_id"].is_string());
    let r = f
        .client
        .post(format!("{}/_sandbox/faults", f.base))
        .json(&json!({"server_error": 1.0}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(f.h.faults().server_error, 1.0);
    assert!(f.get(C).await.status >= 500);
}

#[tokio::test]
async fn properties_and_groups() {
    let f = start(lifted()).await;
    let a = f.get("/crm/properties/2026-03/contacts").await;
    let names: Vec<&str> = a.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for n in [
        "email",
        "firstname",
        "lastname",
        "phone",
        "address",
        "city",
        "state",
        "zip",
        "country",
        "company",
        "website",
        "lifecyclestage",
        "hs_object_id",
        "createdate",
        "lastmodifieddate",
    ] {
        assert!(names.contains(&n), "{n}");
    }
    let a = f
        .get("/crm/properties/2026-03/line_items/hs_product_id")
        .await;
    assert_eq!(a.body["type"], "number");
    assert_error(
        &f.get("/crm/properties/2026-03/deals/nope").await,
        404,
        "OBJECT_NOT_FOUND",
    );
    let a = f
        .post(
            "/crm/properties/2026-03/products/groups",
            json!({"name": "shopify", "label": "Shopify"}),
        )
        .await;
    assert_eq!(a.status, 201);
    let a = f
        .post(
            "/crm/properties/2026-03/products/batch/create",
            json!({"inputs": [
                {"name": "shopify_vendor", "label": "Vendor", "type": "string", "fieldType": "text", "groupName": "shopify"},
                {"name": "shopify_tags", "label": "Tags", "type": "string", "fieldType": "text", "groupName": "nogroup"},
                {"name": "BadName", "label": "x", "type": "string", "fieldType": "text", "groupName": "shopify"},
                {"name": "shopify_kind", "label": "Kind", "type": "enumeration", "fieldType": "number", "groupName": "shopify"},
            ]}),
        )
        .await;
    assert_eq!(a.status, 207, "{}", a.body);
    assert_eq!(a.body["results"].as_array().unwrap().len(), 1);
    assert_eq!(a.body["numErrors"], 3);
    let a = f
        .post(
            "/crm/properties/2026-03/contacts",
            json!({"name": "x_y", "label": "X"}),
        )
        .await;
    assert_error(&a, 400, "VALIDATION_ERROR");
}
