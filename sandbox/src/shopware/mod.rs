//! Fake of the Shopware 5 REST API (`/api`): customers and countries.
//!
//! Facts (`../shared/api-notes/platforms.md` §3, `platforms/shopware5_examples.json`):
//! - Auth: HTTP Basic (`user:apikey`) or Digest (RFC 2617, realm `Shopware REST-API`, HA1 =
//!   md5(user:realm:apikey)); anything else is 401 with both challenges and
//!   `{"success":false,"message":"Invalid or missing auth"}`. With
//!   [`ShopwareHandle::set_basic_auth`] off the fake is a shop before 5.3.2: Digest only (Basic
//!   is refused and not offered).
//! - `GET /api/customers`: `{"data":[...], "total":N, "success":true}`; `limit` (default 1000)
//!   and `start`; `filter[prop]=value` or `filter[i][property|value|expression|operator]`
//!   (a string value without an expression is LIKE, case-insensitive); `sort[i][property|
//!   direction]`. A list row has no addresses. An unknown filter property or expression is a
//!   500 `"Error message: ..."`.
//! - `GET /api/customers/{id}` (`?useNumberAsId=true`: the customer number): `{"data":{...},
//!   "success":true}` with `attribute`, `defaultBillingAddress`, `defaultShippingAddress`; 404
//!   `{"success":false,"message":"Customer by id X not found","code":404}`.
//! - `PUT /api/customers/{id}`: updates, bumps `changed`; 200 `{"success":true,"data":{"id",
//!   "location"}}`. Attribute keys that are not columns are ignored (Doctrine's `fromArray`).
//!   A body that is not JSON: 400 `Invalid method or invalid json string.`.
//! - `GET /api/countries`: the country ids addresses refer to.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use base64::Engine;
use md5::Digest;
use serde_json::{json, Map, Value};

use crate::seed::{SeedConfig, Seeder};

pub const DEFAULT_USER: &str = "api-sandbox";
pub const DEFAULT_API_KEY: &str = "sw5SandboxApiKey0123456789abcdefghijklmnop";
pub const REALM: &str = "Shopware REST-API";

/// The customer attribute columns of the sandbox shop (`s_user_attributes`).
pub const ATTRIBUTE_COLUMNS: [&str; 3] = ["relationNumber", "spotlerBounce", "b2bParentNumber"];

/// (id, iso, name) of the shop's countries (Shopware 5's default ids).
const COUNTRIES: [(i64, &str, &str); 6] = [
    (2, "DE", "Deutschland"),
    (5, "BE", "Belgien"),
    (7, "DK", "Dänemark"),
    (21, "NL", "Niederlande"),
    (24, "NO", "Norwegen"),
    (11, "GB", "Großbritannien"),
];

/// One request received: method, path (with query), status.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub status: u16,
}

struct Inner {
    user: String,
    api_key: String,
    /// By id; each in the `GET /api/customers/{id}` shape.
    customers: BTreeMap<i64, Value>,
    nonces: HashSet<String>,
    /// Basic auth is taken (Shopware 5.3.2 and later); off: Digest only, as before 5.3.2.
    basic: bool,
    received: Vec<Received>,
    writes: u64,
    failures_left: u32,
    fail_status: u16,
}

/// In-process control of the Shopware 5 fake. Cheap to clone.
#[derive(Clone)]
pub struct ShopwareHandle {
    inner: Arc<Mutex<Inner>>,
}

/// `2024-01-02T10:00:00+0000`, as Shopware writes dates.
fn sw_time(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S+0000")
        .to_string()
}

fn parse_sw_time(s: &str) -> Option<i64> {
    let s = s.trim();
    chrono::DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%z")
        .map(|t| t.timestamp())
        .ok()
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
                .ok()
                .map(|t| t.and_utc().timestamp())
        })
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc().timestamp())
        })
}

impl ShopwareHandle {
    pub fn user(&self) -> String {
        self.inner.lock().unwrap().user.clone()
    }
    pub fn api_key(&self) -> String {
        self.inner.lock().unwrap().api_key.clone()
    }
    /// Every customer, by id, in the `GET /api/customers/{id}` shape.
    pub fn customers(&self) -> BTreeMap<i64, Value> {
        self.inner.lock().unwrap().customers.clone()
    }
    pub fn customer(&self, id: i64) -> Option<Value> {
        self.inner.lock().unwrap().customers.get(&id).cloned()
    }
    /// The customer with this customer number.
    pub fn customer_by_number(&self, number: &str) -> Option<Value> {
        self.inner
            .lock()
            .unwrap()
            .customers
            .values()
            .find(|c| c["number"] == number)
            .cloned()
    }
    /// `false`: the shop takes Digest auth only, as Shopware before 5.3.2 (Basic came with it).
    pub fn set_basic_auth(&self, on: bool) {
        self.inner.lock().unwrap().basic = on;
    }

    /// Changes a customer as the shop's admin would (bumps `changed`).
    pub fn update_customer(&self, id: i64, key: &str, value: Value) {
        let mut st = self.inner.lock().unwrap();
        if let Some(c) = st.customers.get_mut(&id) {
            c[key] = value;
            c["changed"] = json!(sw_time(chrono::Utc::now().timestamp()));
        }
    }
    /// PUTs that changed a customer.
    pub fn writes(&self) -> u64 {
        self.inner.lock().unwrap().writes
    }
    pub fn fail_next(&self, n: u32, status: u16) {
        let mut st = self.inner.lock().unwrap();
        st.failures_left = n;
        st.fail_status = status;
    }
    pub fn received(&self) -> Vec<Received> {
        self.inner.lock().unwrap().received.clone()
    }
}

/// The seeded customers, in Shopware 5's shape: the same people as the Shopify store's.
fn seed_customers(seed: &SeedConfig) -> BTreeMap<i64, Value> {
    let seeder = Seeder::new(seed.clone(), "sandbox-store.myshopify.com");
    let mut out = BTreeMap::new();
    for i in 0..seed.customers {
        let s = seeder.customer(i, 0, None);
        let id = i as i64 + 1;
        let number = format!("{}", 20001 + i);
        let email = s["email"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| format!("customer{}@example.com", i + 1));
        let newsletter = i64::from(s["emailMarketingConsent"]["marketingState"] == "SUBSCRIBED");
        let b2b = i % 5 == 4;
        let salutation = if i % 2 == 0 { "ms" } else { "mr" };
        let birthday = if i % 3 == 0 {
            Value::Null
        } else {
            json!(format!(
                "{}-{:02}-{:02}",
                1960 + i % 40,
                1 + i % 12,
                1 + i % 28
            ))
        };
        let created = crate::seed::parse_time(s["createdAt"].as_str().unwrap_or("")).unwrap_or(0);
        let updated = crate::seed::parse_time(s["updatedAt"].as_str().unwrap_or("")).unwrap_or(0);
        let a = &s["defaultAddress"];
        let address = |kind: i64| {
            if a.is_null() {
                return Value::Null;
            }
            let iso = a["countryCodeV2"].as_str().unwrap_or("DE");
            let country = COUNTRIES
                .iter()
                .find(|c| c.1 == iso)
                .map(|c| c.0)
                .unwrap_or(2);
            json!({
                "id": id * 10 + kind,
                "company": if b2b { json!(format!("{} B.V.", s["lastName"].as_str().unwrap_or(""))) } else { Value::Null },
                "department": Value::Null,
                "salutation": salutation,
                "title": Value::Null,
                "firstname": s["firstName"],
                "lastname": s["lastName"],
                "street": a["address1"],
                "zipcode": a["zip"],
                "city": a["city"],
                "phone": s["phone"],
                "vatId": Value::Null,
                "additionalAddressLine1": a["address2"],
                "additionalAddressLine2": Value::Null,
                "countryId": country,
                "stateId": Value::Null,
            })
        };
        let mut attribute = Map::new();
        attribute.insert("id".into(), json!(id));
        attribute.insert("customerId".into(), json!(id));
        for col in ATTRIBUTE_COLUMNS {
            attribute.insert(col.into(), Value::Null);
        }
        attribute.insert(
            "relationNumber".into(),
            json!(format!("REL-{:05}", 7000 + i)),
        );
        if b2b && i >= 5 {
            // A sub-contact of the B2B customer five places before it.
            attribute.insert(
                "b2bParentNumber".into(),
                json!(format!("{}", 20001 + i - 5)),
            );
        }
        out.insert(
            id,
            json!({
                "id": id,
                "number": number,
                "email": email,
                "active": true,
                "accountMode": 0,
                "groupKey": if b2b { "H" } else { "EK" },
                "shopId": 1,
                "priceGroupId": Value::Null,
                "paymentId": 5,
                "newsletter": newsletter,
                "salutation": salutation,
                "title": Value::Null,
                "firstname": s["firstName"],
                "lastname": s["lastName"],
                "birthday": birthday,
                "firstLogin": sw_time(created),
                "lastLogin": sw_time(updated),
                "changed": sw_time(updated),
                "doubleOptinRegister": false,
                "doubleOptinEmailSentDate": Value::Null,
                "doubleOptinConfirmDate": Value::Null,
                "attribute": attribute,
                "defaultBillingAddress": address(1),
                "defaultShippingAddress": address(2),
            }),
        );
    }
    out
}

/// Builds the fake's routes and handle, seeded from `seed`.
pub fn build(seed: &SeedConfig, user: &str, api_key: &str) -> (ShopwareHandle, Router) {
    let handle = ShopwareHandle {
        inner: Arc::new(Mutex::new(Inner {
            user: user.into(),
            api_key: api_key.into(),
            customers: seed_customers(seed),
            nonces: HashSet::new(),
            basic: true,
            received: Vec::new(),
            writes: 0,
            failures_left: 0,
            fail_status: 503,
        })),
    };
    let router = Router::new()
        .fallback(handle_any)
        .with_state(handle.clone());
    (handle, router)
}

fn fail(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({"success": false, "message": message, "code": status.as_u16()})),
    )
        .into_response()
}

async fn handle_any(
    State(h): State<ShopwareHandle>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut st = h.inner.lock().unwrap();
    let response = route(&mut st, &method, &uri, &headers, &body);
    st.received.push(Received {
        method: method.to_string(),
        path: uri.to_string(),
        status: response.status().as_u16(),
    });
    response
}

fn md5_hex(s: &str) -> String {
    let d = md5::Md5::digest(s.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

fn digest_params(v: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut rest = v;
    while !rest.is_empty() {
        let Some((k, after)) = rest.split_once('=') else {
            break;
        };
        let k = k.trim().trim_start_matches(',').trim().to_string();
        let (value, next) = if let Some(q) = after.strip_prefix('"') {
            match q.split_once('"') {
                Some((v, n)) => (v.to_string(), n),
                None => (q.to_string(), ""),
            }
        } else {
            match after.split_once(',') {
                Some((v, n)) => (v.trim().to_string(), n),
                None => (after.trim().to_string(), ""),
            }
        };
        out.insert(k, value);
        rest = next.trim_start_matches(',').trim_start();
    }
    out
}

fn authorized(st: &Inner, method: &Method, headers: &HeaderMap) -> bool {
    let Some(auth) = headers.get("authorization").and_then(|v| v.to_str().ok()) else {
        return false;
    };
    if let Some(b64) = auth.strip_prefix("Basic ").filter(|_| st.basic) {
        let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(b64.trim()) else {
            return false;
        };
        let raw = String::from_utf8_lossy(&raw);
        return raw.split_once(':') == Some((st.user.as_str(), st.api_key.as_str()));
    }
    if let Some(rest) = auth.strip_prefix("Digest ") {
        let p = digest_params(rest);
        let get = |k: &str| p.get(k).map(String::as_str).unwrap_or("");
        if get("username") != st.user || get("realm") != REALM || !st.nonces.contains(get("nonce"))
        {
            return false;
        }
        let ha1 = md5_hex(&format!("{}:{REALM}:{}", st.user, st.api_key));
        let ha2 = md5_hex(&format!("{}:{}", method.as_str(), get("uri")));
        let expected = match get("qop") {
            "" => md5_hex(&format!("{ha1}:{}:{ha2}", get("nonce"))),
            qop => md5_hex(&format!(
                "{ha1}:{}:{}:{}:{qop}:{ha2}",
                get("nonce"),
                get("nc"),
                get("cnonce")
            )),
        };
        return expected == get("response");
    }
    false
}

fn challenge(st: &mut Inner) -> Response {
    let nonce = format!("{:032x}", rand::random::<u128>());
    st.nonces.insert(nonce.clone());
    let mut r = (
        StatusCode::UNAUTHORIZED,
        Json(json!({"success": false, "message": "Invalid or missing auth"})),
    )
        .into_response();
    let h = r.headers_mut();
    if st.basic {
        h.append(
            "www-authenticate",
            HeaderValue::from_str(&format!("Basic realm=\"{REALM}\"")).unwrap(),
        );
    }
    h.append(
        "www-authenticate",
        HeaderValue::from_str(&format!(
            "Digest realm=\"{REALM}\", qop=\"auth\", nonce=\"{nonce}\", opaque=\"{}\"",
            md5_hex(REALM)
        ))
        .unwrap(),
    );
    r
}

fn route(st: &mut Inner, method: &Method, uri: &Uri, headers: &HeaderMap, body: &[u8]) -> Response {
    if st.failures_left > 0 {
        st.failures_left -= 1;
        let status = StatusCode::from_u16(st.fail_status).unwrap_or(StatusCode::BAD_GATEWAY);
        return fail(status, "Error message: Service temporarily unavailable");
    }
    let path = uri.path();
    let Some(rest) = path.strip_prefix("/api") else {
        return (StatusCode::NOT_FOUND, "Not Found").into_response();
    };
    if !authorized(st, method, headers) {
        return challenge(st);
    }
    let mut segments: Vec<&str> = rest
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    if segments.first().is_some_and(|s| {
        s.len() == 2 && s.starts_with('v') && s[1..].chars().all(|c| ('1'..='9').contains(&c))
    }) {
        segments.remove(0);
    }
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
    let q = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let host = headers
        .get("host")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost")
        .to_string();
    match (method.clone(), segments.as_slice()) {
        (Method::GET, ["countries"]) => {
            let data: Vec<Value> = COUNTRIES
                .iter()
                .map(|(id, iso, name)| json!({"id": id, "name": name, "iso": iso, "active": true}))
                .collect();
            Json(json!({"data": data, "total": COUNTRIES.len(), "success": true})).into_response()
        }
        (Method::GET, ["customers"]) => list_customers(st, &query),
        (Method::GET, ["customers", id]) => match find(st, id, q("useNumberAsId")) {
            Some(c) => Json(json!({"data": st.customers[&c], "success": true})).into_response(),
            None => fail(
                StatusCode::NOT_FOUND,
                &format!("Customer by id {id} not found"),
            ),
        },
        (Method::PUT, ["customers", id]) => {
            let Some(cid) = find(st, id, q("useNumberAsId")) else {
                return fail(
                    StatusCode::NOT_FOUND,
                    &format!("Customer by id {id} not found"),
                );
            };
            let Ok(Value::Object(changes)) = serde_json::from_slice::<Value>(body) else {
                return (
                    StatusCode::BAD_REQUEST,
                    Json(json!({"success": false, "message": "Invalid method or invalid json string."})),
                )
                    .into_response();
            };
            if let Some(e) = changes.get("email") {
                if !e.as_str().is_some_and(|e| e.contains('@')) {
                    return (
                        StatusCode::BAD_REQUEST,
                        Json(json!({"success": false, "message": "Validation error", "code": 400, "errors": ["email: This value is not a valid email address."]})),
                    )
                        .into_response();
                }
            }
            let c = st.customers.get_mut(&cid).expect("found");
            for (k, v) in changes {
                match k.as_str() {
                    "attribute" => {
                        if let Some(attrs) = v.as_object() {
                            for (ak, av) in attrs {
                                if ATTRIBUTE_COLUMNS.contains(&ak.as_str()) {
                                    c["attribute"][ak] = av.clone();
                                }
                            }
                        }
                    }
                    "newsletter" => {
                        let on = v.as_bool().unwrap_or(false)
                            || v.as_i64() == Some(1)
                            || v.as_str() == Some("1");
                        c["newsletter"] = json!(i64::from(on));
                    }
                    "id" | "number" | "changed" => {}
                    _ if c.get(&k).is_some() => c[&k] = v,
                    _ => {}
                }
            }
            c["changed"] = json!(sw_time(chrono::Utc::now().timestamp()));
            st.writes += 1;
            Json(json!({"success": true, "data": {"id": cid, "location": format!("http://{host}/api/customers/{cid}")}})).into_response()
        }
        (_, [resource, ..]) if !["customers", "countries"].contains(resource) => {
            fail(StatusCode::NOT_FOUND, "Resource not found")
        }
        _ => fail(
            StatusCode::METHOD_NOT_ALLOWED,
            "This resource has no such action",
        ),
    }
}

fn find(st: &Inner, id: &str, use_number: Option<&str>) -> Option<i64> {
    if matches!(use_number, Some("true") | Some("1")) {
        return st
            .customers
            .iter()
            .find(|(_, c)| c["number"] == id)
            .map(|(k, _)| *k);
    }
    id.parse::<i64>()
        .ok()
        .filter(|i| st.customers.contains_key(i))
}

/// SQL LIKE, case-insensitive, `%` and `_` wildcards.
fn like(value: &str, pattern: &str) -> bool {
    fn m(v: &[char], p: &[char]) -> bool {
        match p.first() {
            None => v.is_empty(),
            Some('%') => (0..=v.len()).any(|i| m(&v[i..], &p[1..])),
            Some('_') => !v.is_empty() && m(&v[1..], &p[1..]),
            Some(c) => v.first() == Some(c) && m(&v[1..], &p[1..]),
        }
    }
    let v: Vec<char> = value.to_lowercase().chars().collect();
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    m(&v, &p)
}

struct Condition {
    property: String,
    expression: Option<String>,
    value: String,
    or: bool,
}

const LIST_FIELDS: [&str; 20] = [
    "id",
    "number",
    "email",
    "active",
    "accountMode",
    "groupKey",
    "shopId",
    "priceGroupId",
    "paymentId",
    "newsletter",
    "salutation",
    "title",
    "firstname",
    "lastname",
    "birthday",
    "firstLogin",
    "lastLogin",
    "changed",
    "doubleOptinRegister",
    "doubleOptinConfirmDate",
];

fn list_customers(st: &Inner, query: &[(String, String)]) -> Response {
    let q = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let limit = q("limit")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(1000);
    let start = q("start")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut conditions: BTreeMap<String, Condition> = BTreeMap::new();
    let mut sorts: BTreeMap<String, (String, String)> = BTreeMap::new();
    for (k, v) in query {
        let Some(inner) = k
            .strip_prefix("filter[")
            .or_else(|| k.strip_prefix("sort["))
        else {
            continue;
        };
        let parts: Vec<&str> = inner.trim_end_matches(']').split("][").collect();
        if k.starts_with("sort[") {
            if let [i, field] = parts.as_slice() {
                let e = sorts
                    .entry(i.to_string())
                    .or_insert((String::new(), "ASC".into()));
                match *field {
                    "property" => e.0 = v.clone(),
                    "direction" => e.1 = v.to_ascii_uppercase(),
                    _ => {}
                }
            }
            continue;
        }
        match parts.as_slice() {
            [prop] if prop.parse::<usize>().is_err() => {
                conditions.insert(
                    format!("k{prop}"),
                    Condition {
                        property: prop.to_string(),
                        expression: None,
                        value: v.clone(),
                        or: false,
                    },
                );
            }
            [i, field] => {
                let e = conditions.entry(format!("i{i}")).or_insert(Condition {
                    property: String::new(),
                    expression: None,
                    value: String::new(),
                    or: false,
                });
                match *field {
                    "property" => e.property = v.clone(),
                    "value" => e.value = v.clone(),
                    "expression" => e.expression = Some(v.clone()),
                    "operator" => e.or = !v.is_empty() && v != "0",
                    _ => {}
                }
            }
            _ => {}
        }
    }
    for c in conditions.values() {
        let prop = c.property.strip_prefix("customer.").unwrap_or(&c.property);
        if !LIST_FIELDS.contains(&prop) {
            return fail(StatusCode::INTERNAL_SERVER_ERROR, &format!("Error message: [Semantical Error] Class Shopware\\Models\\Customer\\Customer has no field or association named {prop}"));
        }
        if let Some(e) = &c.expression {
            let norm: String = e.to_ascii_uppercase().replace("NOT", "").replace(' ', "");
            if ![
                "=", "<>", "<", "<=", ">", ">=", "!=", "LIKE", "IN", "ISNULL", "BETWEEN", "REGEXP",
                "RLIKE",
            ]
            .contains(&norm.as_str())
            {
                return fail(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    &format!("Error message: Invalid operator {e}"),
                );
            }
        }
    }
    for (p, _) in sorts.values() {
        let p = p.strip_prefix("customer.").unwrap_or(p);
        if !LIST_FIELDS.contains(&p) {
            return fail(StatusCode::INTERNAL_SERVER_ERROR, &format!("Error message: [Semantical Error] Class Shopware\\Models\\Customer\\Customer has no field or association named {p}"));
        }
    }
    let matches = |c: &Value, cond: &Condition| -> bool {
        let prop = cond
            .property
            .strip_prefix("customer.")
            .unwrap_or(&cond.property);
        let field = &c[prop];
        let have = match field {
            Value::String(s) => s.clone(),
            Value::Bool(b) => i64::from(*b).to_string(),
            Value::Null => {
                return cond
                    .expression
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case("IS NULL"))
            }
            v => v.to_string(),
        };
        let expr = cond
            .expression
            .clone()
            .unwrap_or_else(|| "LIKE".into())
            .to_ascii_uppercase();
        let ord = if prop == "changed" || prop == "firstLogin" || prop == "lastLogin" {
            match (parse_sw_time(&have), parse_sw_time(&cond.value)) {
                (Some(a), Some(b)) => Some(a.cmp(&b)),
                _ => None,
            }
        } else if let (Ok(a), Ok(b)) = (have.parse::<f64>(), cond.value.parse::<f64>()) {
            a.partial_cmp(&b)
        } else {
            Some(have.to_lowercase().cmp(&cond.value.to_lowercase()))
        };
        use std::cmp::Ordering::*;
        match expr.as_str() {
            "LIKE" => like(&have, &cond.value),
            "=" => ord == Some(Equal),
            "<>" | "!=" => ord != Some(Equal),
            "<" => ord == Some(Less),
            "<=" => matches!(ord, Some(Less | Equal)),
            ">" => ord == Some(Greater),
            ">=" => matches!(ord, Some(Greater | Equal)),
            _ => false,
        }
    };
    let mut rows: Vec<&Value> = st
        .customers
        .values()
        .filter(|c| {
            let mut ok = true;
            for cond in conditions.values() {
                if cond.or {
                    ok = ok || matches(c, cond);
                } else {
                    ok = ok && matches(c, cond);
                }
            }
            ok
        })
        .collect();
    for (p, dir) in sorts.values().rev() {
        let p = p.strip_prefix("customer.").unwrap_or(p).to_string();
        rows.sort_by(|a, b| {
            let key = |c: &Value| match &c[&p] {
                Value::String(s) if p == "changed" => parse_sw_time(s).unwrap_or(0).to_string(),
                Value::String(s) => s.clone(),
                v => format!("{:020}", v.as_i64().unwrap_or(0)),
            };
            let o = if p == "changed" {
                key(a)
                    .parse::<i64>()
                    .unwrap_or(0)
                    .cmp(&key(b).parse::<i64>().unwrap_or(0))
            } else {
                key(a).cmp(&key(b))
            };
            if dir == "DESC" {
                o.reverse()
            } else {
                o
            }
        });
    }
    let total = rows.len();
    let data: Vec<Value> = rows
        .into_iter()
        .skip(start)
        .take(limit)
        .map(|c| {
            let mut row = Map::new();
            for f in LIST_FIELDS {
                row.insert(f.into(), c[f].clone());
            }
            Value::Object(row)
        })
        .collect();
    Json(json!({"data": data, "total": total, "success": true})).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_digest_vector() {
        assert_eq!(
            md5_hex("api-user:Shopware REST-API:0123456789abcdef0123456789abcdef01234567"),
            "2c69aa881ea21d5cb53d02965748ae6e"
        );
    }

    #[test]
    fn like_matches_as_sql_does() {
        assert!(like("Jane@Example.com", "jane@example.com"));
        assert!(like("jane@example.com", "%@example.com"));
        assert!(!like("jane@example.org", "%@example.com"));
    }
}
