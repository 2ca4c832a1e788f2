//! The Tellix fake: token auth, the envelope and error bodies, paging, the customer limit,
//! products with variants and department stock.

use serde_json::{json, Value};
use shopsync_sandbox::tellix::{DEFAULT_APIKEY, DEFAULT_PASSWORD, DEFAULT_USERNAME};
use shopsync_sandbox::{Sandbox, SandboxConfig};

async fn start() -> Sandbox {
    Sandbox::start(SandboxConfig {
        seed: shopsync_sandbox::seed::SeedConfig {
            customers: 1,
            products: 1,
            orders: 1,
            ..Default::default()
        },
        limits_lifted: true,
        ..SandboxConfig::default()
    })
    .await
    .unwrap()
}

async fn token(sb: &Sandbox) -> String {
    let resp = reqwest::Client::new()
        .post(format!("{}/getaccesstoken", sb.tellix_url()))
        .header("Source", "shopsync-test")
        .form(&[
            ("username", DEFAULT_USERNAME),
            ("password", DEFAULT_PASSWORD),
            ("apikey", DEFAULT_APIKEY),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["status"], true);
    v["token"].as_str().unwrap().to_string()
}

async fn call(
    sb: &Sandbox,
    method: &str,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let client = reqwest::Client::new();
    let url = format!("{}{path}", sb.tellix_url());
    let req = match method {
        "GET" => client.get(url),
        "PUT" => client.put(url),
        _ => client.post(url),
    };
    let req = req
        .header("Authorization", token)
        .header("Source", "shopsync-test");
    let req = match body {
        Some(b) => req.json(&b),
        None => req,
    };
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

#[tokio::test]
async fn auth_needs_the_form_the_source_header_and_a_live_raw_token() {
    let sb = start().await;
    let client = reqwest::Client::new();
    let url = format!("{}/getaccesstoken", sb.tellix_url());
    let form = [
        ("username", DEFAULT_USERNAME),
        ("password", "wrong"),
        ("apikey", DEFAULT_APIKEY),
    ];
    let resp = client
        .post(&url)
        .header("Source", "t")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["status"], false);
    assert_eq!(v["code"], 401);
    assert!(v["message"].as_str().unwrap().contains("Invalid"));
    assert!(v["dateTimeBeforeQryExec"].is_string());
    let form = [
        ("username", DEFAULT_USERNAME),
        ("password", DEFAULT_PASSWORD),
        ("apikey", DEFAULT_APIKEY),
    ];
    let resp = client.post(&url).form(&form).send().await.unwrap();
    assert_eq!(resp.status(), 400, "no Source header");

    let t = token(&sb).await;
    let (status, v) = call(&sb, "GET", "/department/list", &t, None).await;
    assert_eq!(status, 200);
    assert_eq!(v["status"], true);
    assert_eq!(v["code"], 200);
    assert_eq!(v["totalCount"], 3);
    assert_eq!(v["data"][0]["departmentName"], "Oslo");

    let (status, v) = call(&sb, "GET", "/department/list", &format!("Bearer {t}"), None).await;
    assert_eq!(status, 401, "{v}");
    sb.tellix.expire_tokens();
    let (status, v) = call(&sb, "GET", "/department/list", &t, None).await;
    assert_eq!(status, 401);
    assert_eq!(v["status"], false);
}

#[tokio::test]
async fn products_variants_stock_and_paging() {
    let sb = start().await;
    let t = token(&sb).await;
    let (status, v) = call(&sb, "POST", "/product/save", &t, Some(json!({"data": [
        {"productName": "T-shirt", "productNumber": "TS", "priceIncVat": 199.0, "stockControl": true, "showOnWeb": true,
         "departments": [{"departmentId": 1, "incPrice": 199.0, "stockQuantity": 3}]},
        {"productName": "Mug", "productNumber": "MUG", "priceIncVat": 89.0}
    ]}))).await;
    assert_eq!(status, 200, "{v}");
    let ts = v["data"][0]["productId"].as_i64().unwrap();

    // A SKU in use, a missing name, an unknown department: 422 with the error envelope.
    for (body, words) in [
        (
            json!({"data": [{"productName": "X", "productNumber": "MUG"}]}),
            "already in use",
        ),
        (
            json!({"data": [{"productNumber": "NEW"}]}),
            "productName is required",
        ),
        (
            json!({"data": [{"productName": "X", "productNumber": "Y", "departments": [{"departmentId": 99}]}]}),
            "Department 99",
        ),
    ] {
        let (status, v) = call(&sb, "POST", "/product/save", &t, Some(body)).await;
        assert_eq!(status, 422, "{v}");
        assert_eq!(v["status"], false);
        assert_eq!(v["code"], 422);
        assert!(v["message"].as_str().unwrap().contains(words), "{v}");
    }
    assert_eq!(
        sb.tellix.products().len(),
        2,
        "a refused save writes nothing"
    );

    let (status, v) = call(
        &sb,
        "POST",
        "/product/variant",
        &t,
        Some(json!({"data": [
            {"productId": ts, "productNumber": "TS-S", "options": [{"name": "Size", "value": "S"}]},
            {"productId": ts, "productNumber": "TS-M", "options": [{"name": "Size", "value": "M"}]}
        ]})),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let small = v["data"][0]["variantId"].as_i64().unwrap();
    let (status, _) = call(
        &sb,
        "POST",
        &format!("/stock/set?id={small}"),
        &t,
        Some(json!({"data": {"department_id": 2, "product_id": small, "stock_quantity": 12}})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = call(
        &sb,
        "POST",
        "/stock/update",
        &t,
        Some(
            json!({"params": {"stockDepartment": 1, "productNumber": "TS-M", "stockQuantity": 5}}),
        ),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(sb.tellix.stock(small)[&2], 12);
    let medium = sb.tellix.product_by_sku("TS-M").unwrap()["variantId"]
        .as_i64()
        .unwrap();
    assert_eq!(sb.tellix.stock(medium)[&1], 5);

    let (status, v) = call(
        &sb,
        "PUT",
        &format!("/product/update/{ts}"),
        &t,
        Some(json!({"data": {"productName": "T-shirt 2"}})),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["data"]["productNumber"], "TS", "fields not sent are kept");
    let (status, _) = call(
        &sb,
        "PUT",
        "/product/update/424242",
        &t,
        Some(json!({"data": {}})),
    )
    .await;
    assert_eq!(status, 422);

    let (status, v) = call(&sb, "GET", "/product/list?offset=1&limit=1", &t, None).await;
    assert_eq!(status, 200);
    assert_eq!(v["totalCount"], 2);
    assert_eq!(v["data"].as_array().unwrap().len(), 1);
    assert_eq!(v["data"][0]["productNumber"], "MUG");
    let (_, v) = call(&sb, "GET", "/product/list?fromDate=2999-01-01", &t, None).await;
    assert_eq!(v["totalCount"], 0);
    let (status, _) = call(&sb, "GET", "/product/list?fromDate=yesterday", &t, None).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn customers_page_by_at_most_50() {
    let sb = start().await;
    let t = token(&sb).await;
    let data: Vec<Value> = (0..60)
        .map(|i| json!({"name": format!("C {i}"), "email": format!("c{i}@x.no")}))
        .collect();
    let (status, v) = call(
        &sb,
        "POST",
        "/customer/save",
        &t,
        Some(json!({"data": data})),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let (status, v) = call(&sb, "GET", "/customer/list?limit=51", &t, None).await;
    assert_eq!(status, 422);
    assert!(v["message"].as_str().unwrap().contains("limit"), "{v}");
    let (_, v) = call(&sb, "GET", "/customer/list?limit=50&offset=50", &t, None).await;
    assert_eq!(v["totalCount"], 60);
    assert_eq!(v["data"].as_array().unwrap().len(), 10);
    let id = v["data"][0]["customerId"].as_i64().unwrap();
    let (status, v) = call(
        &sb,
        "PUT",
        &format!("/customer/update/{id}"),
        &t,
        Some(json!({"data": {"phoneNumber": "+4799999999"}})),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["data"]["name"], "C 50");
    let (status, v) = call(
        &sb,
        "POST",
        "/customer/save",
        &t,
        Some(json!({"data": [{"email": "x@y.no"}]})),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(v["message"], "name is required");
}
