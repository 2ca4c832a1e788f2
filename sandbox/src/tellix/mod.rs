//! Fake of the Tellix Backoffice (Amendo) API v3: token auth, products with department-scoped
//! prices and stock, stock per department, customers and departments.
//!
//! Facts (`../shared/api-notes/platforms.md` §6 and `platforms/tellix_v3_endpoints.json`):
//! - `POST /getaccesstoken`, form `username`, `password`, `apikey`, header `Source`; answers
//!   `{"status": true, "token": "..."}`. Later calls send the raw token in `Authorization`.
//! - Every answer is the envelope `{"status", "message", "code", "dateTimeBeforeQryExec", ...}`;
//!   lists add `data[]` and `totalCount`; errors are `{"status": false, "message", "code"}` with
//!   the code also as the HTTP status (400, 422 documented; 401 for auth).
//! - Lists page with `offset` + `limit` and filter with `fromDate`; `/customer/list` takes
//!   `limit` <= 50.
//! - Product: `productId, productName, productNumber (SKU), barcode, priceIncVat, costPrice,
//!   vatRateId, stockControl, hasVariant, showOnWeb, departments[{departmentId, stockQuantity,
//!   incPrice}]`. Customer: `customerId, name, address, zip, location, phoneNumber, email,
//!   country, isActive, isDeleted`.
//!
//! Where the notes leave a fact open, the fake takes one reading and says so ([?] below):
//! - [?] token lifetime: 60 vendor minutes (scaled), and [`TellixHandle::expire_tokens`] ends
//!   every token at once; an expired or unknown token answers 401. `Bearer <token>` is refused
//!   (the one client seen sends the raw token; whether Tellix accepts `Bearer` is open).
//! - [?] a missing `Source` header on `/getaccesstoken` answers 400.
//! - [?] `fromDate` is compared with each record's `updatedAt` ("YYYY-MM-DD HH:MM:SS", UTC),
//!   inclusive; a plain date means its midnight.
//! - [?] the `ProductVariant` shape is undocumented: here a variant is
//!   `{variantId, productId (the parent), productNumber, barcode, options[{name, value}],
//!   departments[...]}`, listed inside its product as `variants[]`, created or (with
//!   `variantId`) updated through `POST /product/variant`. Variant ids share the product id
//!   space, so `/stock/...?id=` takes either.
//! - [?] `description` and `images[]` (URLs) on a product are not in the stored field list; the
//!   fake keeps them when sent.
//! - [?] not found (`/product/update/{id}` of an unknown id) answers 422 like other refusals.
//! - [?] `/product/list` takes `limit` up to 250 (no documented cap).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

pub const DEFAULT_USERNAME: &str = "apiuser";
pub const DEFAULT_PASSWORD: &str = "tellix-sandbox-password-42";
pub const DEFAULT_APIKEY: &str = "tlx_sandbox_apikey_0123456789";

/// Token lifetime in vendor seconds [?].
const TOKEN_TTL_SECS: f64 = 3600.0;
/// Largest `limit` of `/customer/list` (the client's validation in the notes).
pub const CUSTOMER_LIST_MAX: u64 = 50;
const PRODUCT_LIST_MAX: u64 = 250;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Department {
    pub department_id: i64,
    pub department_name: String,
}

/// One request the fake answered (auth and admin included), for tests to count writes.
#[derive(Debug, Clone, Serialize)]
pub struct Logged {
    pub method: String,
    pub path: String,
    pub status: u16,
    pub body: String,
}

struct Token {
    value: String,
    expires: Instant,
}

struct Inner {
    username: String,
    password: String,
    apikey: String,
    time_scale: f64,
    tokens: Vec<Token>,
    departments: Vec<Department>,
    products: BTreeMap<i64, Value>,
    customers: BTreeMap<i64, Value>,
    next_id: i64,
    next_token: u64,
    log: Vec<Logged>,
    /// The clock the fake stamps `updatedAt` with; tests move it.
    clock_offset: chrono::Duration,
}

/// In-process control of the Tellix fake. Cheap to clone.
#[derive(Clone)]
pub struct TellixHandle {
    inner: Arc<Mutex<Inner>>,
}

impl TellixHandle {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn credentials(&self) -> (String, String, String) {
        let st = self.lock();
        (st.username.clone(), st.password.clone(), st.apikey.clone())
    }

    /// Ends every token: the next call with one answers 401.
    pub fn expire_tokens(&self) {
        self.lock().tokens.clear();
    }

    /// How many tokens were issued.
    pub fn tokens_issued(&self) -> u64 {
        self.lock().next_token
    }

    pub fn departments(&self) -> Vec<Department> {
        self.lock().departments.clone()
    }

    pub fn add_department(&self, name: &str) -> i64 {
        let mut st = self.lock();
        let id = st
            .departments
            .iter()
            .map(|d| d.department_id)
            .max()
            .unwrap_or(0)
            + 1;
        st.departments.push(Department {
            department_id: id,
            department_name: name.into(),
        });
        id
    }

    /// Every product as the API would list it.
    pub fn products(&self) -> Vec<Value> {
        self.lock().products.values().cloned().collect()
    }

    /// The product or variant with this SKU (`productNumber`), as stored.
    pub fn product_by_sku(&self, sku: &str) -> Option<Value> {
        let st = self.lock();
        st.products.values().find_map(|p| {
            if p["productNumber"] == sku {
                return Some(p.clone());
            }
            p["variants"]
                .as_array()?
                .iter()
                .find(|v| v["productNumber"] == sku)
                .cloned()
        })
    }

    /// Adds a product the way `/product/save` would; returns its id.
    pub fn insert_product(&self, product: Value) -> i64 {
        let mut st = self.lock();
        let id = st.new_id();
        let mut p = product;
        p["productId"] = json!(id);
        let now = st.now();
        stamp_variants(&mut st, &mut p);
        p["updatedAt"] = json!(now);
        st.products.insert(id, p);
        id
    }

    /// Changes fields of a stored product (as a person in the back office would) and stamps
    /// `updatedAt`.
    pub fn edit_product(&self, id: i64, edit: impl FnOnce(&mut Value)) {
        let mut st = self.lock();
        let now = st.now();
        if let Some(p) = st.products.get_mut(&id) {
            edit(p);
            p["updatedAt"] = json!(now);
        }
    }

    pub fn customers(&self) -> Vec<Value> {
        self.lock().customers.values().cloned().collect()
    }

    pub fn insert_customer(&self, customer: Value) -> i64 {
        let mut st = self.lock();
        let id = st.new_id();
        let mut c = customer;
        c["customerId"] = json!(id);
        c["updatedAt"] = json!(st.now());
        st.customers.insert(id, c);
        id
    }

    /// Stock of a product or variant by department id.
    pub fn stock(&self, id: i64) -> BTreeMap<i64, i64> {
        let st = self.lock();
        st.item(id).map(department_stock).unwrap_or_default()
    }

    /// Every request answered so far.
    pub fn log(&self) -> Vec<Logged> {
        self.lock().log.clone()
    }

    pub fn clear_log(&self) {
        self.lock().log.clear();
    }

    /// Moves the fake's clock (for `updatedAt` stamps) forward.
    pub fn advance_clock(&self, by: chrono::Duration) {
        self.lock().clock_offset += by;
    }
}

fn department_stock(item: &Value) -> BTreeMap<i64, i64> {
    item["departments"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|d| {
                    Some((
                        d["departmentId"].as_i64()?,
                        d["stockQuantity"].as_i64().unwrap_or(0),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn stamp_variants(st: &mut Inner, p: &mut Value) {
    let parent = p["productId"].clone();
    if let Some(variants) = p.get_mut("variants").and_then(Value::as_array_mut) {
        for v in variants {
            if v.get("variantId").and_then(Value::as_i64).is_none() {
                v["variantId"] = json!(st.new_id());
            }
            v["productId"] = parent.clone();
        }
    }
    let has = p["variants"].as_array().is_some_and(|a| !a.is_empty());
    p["hasVariant"] = json!(has);
}

impl Inner {
    fn new_id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    fn now_utc(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now() + self.clock_offset
    }

    fn now(&self) -> String {
        self.now_utc().format("%Y-%m-%d %H:%M:%S").to_string()
    }

    /// A product or a variant, by id.
    fn item(&self, id: i64) -> Option<&Value> {
        if let Some(p) = self.products.get(&id) {
            return Some(p);
        }
        self.products.values().find_map(|p| {
            p["variants"]
                .as_array()?
                .iter()
                .find(|v| v["variantId"].as_i64() == Some(id))
        })
    }

    /// The product holding item `id` (itself or its parent), and the item's place in it.
    fn item_mut(&mut self, id: i64) -> Option<&mut Value> {
        if self.products.contains_key(&id) {
            return self.products.get_mut(&id);
        }
        self.products.values_mut().find_map(|p| {
            p.get_mut("variants")?
                .as_array_mut()?
                .iter_mut()
                .find(|v| v["variantId"].as_i64() == Some(id))
        })
    }

    fn parent_of(&self, id: i64) -> Option<i64> {
        if self.products.contains_key(&id) {
            return Some(id);
        }
        self.products.iter().find_map(|(pid, p)| {
            p["variants"]
                .as_array()?
                .iter()
                .any(|v| v["variantId"].as_i64() == Some(id))
                .then_some(*pid)
        })
    }

    fn sku_owner(&self, sku: &str) -> Option<i64> {
        for (id, p) in &self.products {
            if p["productNumber"] == sku {
                return Some(*id);
            }
            if let Some(v) = p["variants"]
                .as_array()
                .and_then(|a| a.iter().find(|v| v["productNumber"] == sku))
            {
                return v["variantId"].as_i64();
            }
        }
        None
    }
}

#[derive(Debug, Clone)]
pub struct TellixConfig {
    pub username: String,
    pub password: String,
    pub apikey: String,
}

impl Default for TellixConfig {
    fn default() -> Self {
        TellixConfig {
            username: DEFAULT_USERNAME.into(),
            password: DEFAULT_PASSWORD.into(),
            apikey: DEFAULT_APIKEY.into(),
        }
    }
}

/// Builds the fake's routes and handle, with three departments: Oslo (1), Bergen (2) and
/// Nettbutikk (3).
pub fn build(config: TellixConfig, time_scale: f64) -> (TellixHandle, Router) {
    let handle = TellixHandle {
        inner: Arc::new(Mutex::new(Inner {
            username: config.username,
            password: config.password,
            apikey: config.apikey,
            time_scale: time_scale.max(0.001),
            tokens: Vec::new(),
            departments: ["Oslo", "Bergen", "Nettbutikk"]
                .iter()
                .enumerate()
                .map(|(i, n)| Department {
                    department_id: i as i64 + 1,
                    department_name: n.to_string(),
                })
                .collect(),
            products: BTreeMap::new(),
            customers: BTreeMap::new(),
            next_id: 1000,
            next_token: 0,
            log: Vec::new(),
            clock_offset: chrono::Duration::zero(),
        })),
    };
    let router = Router::new()
        .route("/getaccesstoken", post(get_token))
        .route("/department/list", get(department_list))
        .route("/product/list", get(product_list))
        .route("/product/view", get(product_view))
        .route("/product/save", post(product_save))
        .route("/product/update/{id}", put(product_update))
        .route("/product/variant", post(product_variant))
        .route("/stock/set", post(stock_set))
        .route("/stock/update", post(stock_update))
        .route("/stock/info", get(stock_info))
        .route("/customer/list", get(customer_list))
        .route("/customer/view", get(customer_view))
        .route("/customer/save", post(customer_save))
        .route("/customer/update/{id}", put(customer_update))
        .with_state(handle.clone());
    (handle, router)
}

type Answer = (StatusCode, Value);

fn envelope(st: &Inner, message: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("status".into(), json!(true));
    m.insert("message".into(), json!(message));
    m.insert("code".into(), json!(200));
    m.insert("dateTimeBeforeQryExec".into(), json!(st.now()));
    m
}

fn ok(st: &Inner, message: &str, extra: Value) -> Answer {
    let mut m = envelope(st, message);
    if let Value::Object(extra) = extra {
        m.extend(extra);
    }
    (StatusCode::OK, Value::Object(m))
}

fn error(st: &Inner, code: u16, message: impl Into<String>) -> Answer {
    (
        StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST),
        json!({"status": false, "message": message.into(), "code": code, "dateTimeBeforeQryExec": st.now()}),
    )
}

fn finish(h: &TellixHandle, method: &str, path: &str, body: &[u8], answer: Answer) -> Response {
    let mut st = h.lock();
    st.log.push(Logged {
        method: method.into(),
        path: path.into(),
        status: answer.0.as_u16(),
        body: String::from_utf8_lossy(body).into_owned(),
    });
    (answer.0, Json(answer.1)).into_response()
}

/// Checks the `Authorization` header: a live token, sent raw.
fn authorized(st: &mut Inner, headers: &HeaderMap) -> Result<(), Answer> {
    let now = Instant::now();
    st.tokens.retain(|t| t.expires > now);
    let given = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if given.is_empty() {
        return Err(error(st, 401, "Authorization header is missing"));
    }
    if st.tokens.iter().any(|t| t.value == given) {
        Ok(())
    } else {
        Err(error(st, 401, "Invalid or expired token"))
    }
}

async fn get_token(State(h): State<TellixHandle>, headers: HeaderMap, body: Bytes) -> Response {
    let answer = {
        let mut st = h.lock();
        let form: BTreeMap<String, String> = url_form(&body);
        let source = headers
            .get("source")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let content_type = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !content_type.starts_with("application/x-www-form-urlencoded") {
            error(&st, 400, "Send username, password and apikey as a form")
        } else if source.trim().is_empty() {
            error(&st, 400, "The Source header is required")
        } else if form.get("username") != Some(&st.username)
            || form.get("password") != Some(&st.password)
            || form.get("apikey") != Some(&st.apikey)
        {
            error(&st, 401, "Invalid username, password or apikey")
        } else {
            st.next_token += 1;
            let value = format!("tlxtok-{:016x}-{}", rand::random::<u64>(), st.next_token);
            let ttl = Duration::from_secs_f64(TOKEN_TTL_SECS / st.time_scale);
            st.tokens.push(Token {
                value: value.clone(),
                expires: Instant::now() + ttl,
            });
            (StatusCode::OK, json!({"status": true, "token": value}))
        }
    };
    finish(&h, "POST", "/getaccesstoken", b"(form)", answer)
}

fn url_form(body: &[u8]) -> BTreeMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ListQuery {
    from_date: Option<String>,
    offset: Option<String>,
    limit: Option<String>,
    sort_order: Option<String>,
    department_ids: Option<String>,
}

/// `fromDate` as a timestamp string comparable with `updatedAt` [?].
fn from_date(text: &str) -> Option<String> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Some(format!("{} 00:00:00", d.format("%Y-%m-%d")));
    }
    if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S") {
        return Some(dt.format("%Y-%m-%d %H:%M:%S").to_string());
    }
    None
}

/// Pages `items` by the query, after checking it. `max` caps `limit`.
fn page(st: &Inner, q: &ListQuery, items: Vec<Value>, max: u64) -> Answer {
    let num = |v: &Option<String>, name: &str, default: u64| -> Result<u64, Answer> {
        match v.as_deref().map(str::trim) {
            None | Some("") => Ok(default),
            Some(s) => s
                .parse::<u64>()
                .map_err(|_| error(st, 400, format!("{name} must be a whole number"))),
        }
    };
    let offset = match num(&q.offset, "offset", 0) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let limit = match num(&q.limit, "limit", max.min(50)) {
        Ok(v) => v,
        Err(e) => return e,
    };
    if limit == 0 || limit > max {
        return error(st, 422, format!("limit must be between 1 and {max}"));
    }
    let since = match q.from_date.as_deref() {
        None => None,
        Some(t) if t.trim().is_empty() => None,
        Some(t) => match from_date(t) {
            Some(s) => Some(s),
            None => return error(st, 400, "fromDate must be a date (YYYY-MM-DD)"),
        },
    };
    let mut items: Vec<Value> = items
        .into_iter()
        .filter(|i| match &since {
            None => true,
            Some(s) => i["updatedAt"].as_str().is_some_and(|u| u >= s.as_str()),
        })
        .collect();
    match q
        .sort_order
        .as_deref()
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        None | Some("") | Some("ASC") => {}
        Some("DESC") => items.reverse(),
        Some(_) => return error(st, 400, "sortOrder must be ASC or DESC"),
    }
    let total = items.len();
    let data: Vec<Value> = items
        .into_iter()
        .skip(offset as usize)
        .take(limit as usize)
        .collect();
    ok(st, "Success", json!({"data": data, "totalCount": total}))
}

async fn department_list(State(h): State<TellixHandle>, headers: HeaderMap) -> Response {
    let answer = {
        let mut st = h.lock();
        match authorized(&mut st, &headers) {
            Err(e) => e,
            Ok(()) => {
                let data = serde_json::to_value(&st.departments).unwrap_or_default();
                let total = st.departments.len();
                ok(&st, "Success", json!({"data": data, "totalCount": total}))
            }
        }
    };
    finish(&h, "GET", "/department/list", b"", answer)
}

async fn product_list(
    State(h): State<TellixHandle>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    let answer = {
        let mut st = h.lock();
        match authorized(&mut st, &headers) {
            Err(e) => e,
            Ok(()) => {
                let depts: Option<Vec<i64>> = q.department_ids.as_deref().and_then(|d| {
                    let v: Vec<i64> = d.split(',').filter_map(|x| x.trim().parse().ok()).collect();
                    (!v.is_empty()).then_some(v)
                });
                // Ordered by id, which is creation order.
                let items = st
                    .products
                    .values()
                    .cloned()
                    .map(|mut p| {
                        if let Some(depts) = &depts {
                            filter_departments(&mut p, depts);
                        }
                        p
                    })
                    .collect();
                page(&st, &q, items, PRODUCT_LIST_MAX)
            }
        }
    };
    finish(&h, "GET", "/product/list", b"", answer)
}

fn filter_departments(item: &mut Value, depts: &[i64]) {
    if let Some(a) = item.get_mut("departments").and_then(Value::as_array_mut) {
        a.retain(|d| {
            d["departmentId"]
                .as_i64()
                .is_some_and(|id| depts.contains(&id))
        });
    }
    if let Some(vs) = item.get_mut("variants").and_then(Value::as_array_mut) {
        for v in vs {
            filter_departments(v, depts);
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProductViewQuery {
    product_id: Option<String>,
}

async fn product_view(
    State(h): State<TellixHandle>,
    headers: HeaderMap,
    Query(q): Query<ProductViewQuery>,
) -> Response {
    let answer = {
        let mut st = h.lock();
        match authorized(&mut st, &headers) {
            Err(e) => e,
            Ok(()) => match q.product_id.and_then(|s| s.parse::<i64>().ok()) {
                None => error(&st, 400, "productId is required"),
                Some(id) => match st.products.get(&id).cloned() {
                    None => error(&st, 422, format!("Product {id} not found")),
                    Some(p) => ok(&st, "Success", json!({"data": p})),
                },
            },
        }
    };
    finish(&h, "GET", "/product/view", b"", answer)
}

/// Checks a product body: required fields and their types, known departments, a unique SKU.
/// `own` is the id the SKU may already belong to (an update).
fn check_product(st: &Inner, p: &Value, own: Option<i64>) -> Result<(), String> {
    let Some(obj) = p.as_object() else {
        return Err("Each product must be an object".into());
    };
    for key in ["productName", "productNumber"] {
        match obj.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => {}
            _ => return Err(format!("{key} is required")),
        }
    }
    for key in ["priceIncVat", "costPrice"] {
        if let Some(v) = obj.get(key) {
            if !(v.is_number() || v.is_null()) {
                return Err(format!("{key} must be a number"));
            }
        }
    }
    for key in ["stockControl", "showOnWeb", "isActive"] {
        if let Some(v) = obj.get(key) {
            if !(v.is_boolean() || v.is_null()) {
                return Err(format!("{key} must be true or false"));
            }
        }
    }
    check_departments(st, p)?;
    let sku = obj["productNumber"].as_str().unwrap_or_default();
    if let Some(owner) = st.sku_owner(sku) {
        if Some(owner) != own {
            return Err(format!("productNumber {sku} is already in use"));
        }
    }
    Ok(())
}

fn check_departments(st: &Inner, item: &Value) -> Result<(), String> {
    if let Some(depts) = item.get("departments") {
        let Some(list) = depts.as_array() else {
            return Err("departments must be a list".into());
        };
        for d in list {
            let Some(id) = d["departmentId"].as_i64() else {
                return Err("departments[].departmentId is required".into());
            };
            if !st.departments.iter().any(|x| x.department_id == id) {
                return Err(format!("Department {id} does not exist"));
            }
            if let Some(p) = d.get("incPrice") {
                if !(p.is_number() || p.is_null()) {
                    return Err("departments[].incPrice must be a number".into());
                }
            }
            if let Some(q) = d.get("stockQuantity") {
                if !(q.is_i64() || q.is_null()) {
                    return Err("departments[].stockQuantity must be a whole number".into());
                }
            }
        }
    }
    Ok(())
}

fn parse_body(body: &[u8]) -> Result<Value, String> {
    serde_json::from_slice::<Value>(body)
        .map_err(|_| "The request body is not valid JSON".to_string())
}

async fn product_save(State(h): State<TellixHandle>, headers: HeaderMap, body: Bytes) -> Response {
    let answer = {
        let mut st = h.lock();
        match authorized(&mut st, &headers) {
            Err(e) => e,
            Ok(()) => match parse_body(&body) {
                Err(m) => error(&st, 400, m),
                Ok(v) => match v["data"].as_array() {
                    None => error(&st, 400, "data must be a list of products"),
                    Some(list) => {
                        // All or nothing: every product is checked before any is saved.
                        let mut check = Ok(());
                        let mut skus = Vec::new();
                        for p in list {
                            check = check_product(&st, p, None);
                            if check.is_err() {
                                break;
                            }
                            let sku = p["productNumber"].as_str().unwrap_or_default().to_string();
                            if skus.contains(&sku) {
                                check = Err(format!("productNumber {sku} is already in use"));
                                break;
                            }
                            skus.push(sku);
                        }
                        match check {
                            Err(m) => error(&st, 422, m),
                            Ok(()) => {
                                let mut saved = Vec::new();
                                for p in list.clone() {
                                    let id = st.new_id();
                                    let mut p = p;
                                    p["productId"] = json!(id);
                                    stamp_variants(&mut st, &mut p);
                                    p["updatedAt"] = json!(st.now());
                                    st.products.insert(id, p.clone());
                                    saved.push(p);
                                }
                                ok(&st, "Product saved successfully", json!({"data": saved}))
                            }
                        }
                    }
                },
            },
        }
    };
    finish(&h, "POST", "/product/save", &body, answer)
}

async fn product_update(
    State(h): State<TellixHandle>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    update(&h, &headers, &id, &body, &PRODUCTS)
}

/// What the product and customer update endpoints do differently; the rest is [`update`].
struct Updatable {
    /// `product` or `customer`, as the paths and messages name it.
    noun: &'static str,
    /// Fields an update never changes: the id, what has its own endpoint, the server's stamp.
    kept: &'static [&'static str],
    records: fn(&mut Inner) -> &mut BTreeMap<i64, Value>,
    check: fn(&Inner, &Value, i64) -> Result<(), String>,
}

const PRODUCTS: Updatable = Updatable {
    noun: "product",
    kept: &["productId", "variants", "updatedAt"],
    records: |st| &mut st.products,
    check: |st, p, id| check_product(st, p, Some(id)),
};

const CUSTOMERS: Updatable = Updatable {
    noun: "customer",
    kept: &["customerId", "updatedAt"],
    records: |st| &mut st.customers,
    check: |_, c, _| check_customer(c),
};

/// `PUT /{noun}/update/{id}`: fields sent replace the stored ones; fields not sent are kept [?].
fn update(
    h: &TellixHandle,
    headers: &HeaderMap,
    id: &str,
    body: &[u8],
    what: &Updatable,
) -> Response {
    let noun = what.noun;
    let title = format!("{}{}", noun[..1].to_uppercase(), &noun[1..]);
    let path = format!("/{noun}/update/{id}");
    let answer = {
        let mut st = h.lock();
        match authorized(&mut st, headers) {
            Err(e) => e,
            Ok(()) => match (id.parse::<i64>().ok(), parse_body(body)) {
                (None, _) => error(&st, 400, format!("The {noun} id must be a number")),
                (_, Err(m)) => error(&st, 400, m),
                (Some(id), Ok(v)) => match (what.records)(&mut st).get(&id).cloned() {
                    None => error(&st, 422, format!("{title} {id} not found")),
                    Some(_) if !v["data"].is_object() => {
                        error(&st, 400, format!("data must be a {noun}"))
                    }
                    Some(mut merged) => {
                        if let (Some(m), Some(patch)) =
                            (merged.as_object_mut(), v["data"].as_object())
                        {
                            for (k, val) in patch {
                                if !what.kept.contains(&k.as_str()) {
                                    m.insert(k.clone(), val.clone());
                                }
                            }
                        }
                        match (what.check)(&st, &merged, id) {
                            Err(m) => error(&st, 422, m),
                            Ok(()) => {
                                merged["updatedAt"] = json!(st.now());
                                (what.records)(&mut st).insert(id, merged.clone());
                                ok(
                                    &st,
                                    &format!("{title} updated successfully"),
                                    json!({"data": merged}),
                                )
                            }
                        }
                    }
                },
            },
        }
    };
    finish(h, "PUT", &path, body, answer)
}

async fn product_variant(
    State(h): State<TellixHandle>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let answer = {
        let mut st = h.lock();
        match authorized(&mut st, &headers) {
            Err(e) => e,
            Ok(()) => match parse_body(&body) {
                Err(m) => error(&st, 400, m),
                Ok(v) => match v["data"].as_array() {
                    None => error(&st, 400, "data must be a list of variants"),
                    Some(list) => save_variants(&mut st, list.clone()),
                },
            },
        }
    };
    finish(&h, "POST", "/product/variant", &body, answer)
}

fn save_variants(st: &mut Inner, list: Vec<Value>) -> Answer {
    for v in &list {
        let Some(parent) = v["productId"].as_i64() else {
            return error(st, 422, "productId (the parent product) is required");
        };
        if !st.products.contains_key(&parent) {
            return error(st, 422, format!("Product {parent} not found"));
        }
        let Some(sku) = v["productNumber"].as_str().filter(|s| !s.trim().is_empty()) else {
            return error(st, 422, "productNumber is required");
        };
        let own = v["variantId"].as_i64();
        if let Some(vid) = own {
            if st.parent_of(vid) != Some(parent) || vid == parent {
                return error(st, 422, format!("Variant {vid} not found"));
            }
        }
        if let Some(owner) = st.sku_owner(sku) {
            if Some(owner) != own {
                return error(st, 422, format!("productNumber {sku} is already in use"));
            }
        }
        if let Err(m) = check_departments(st, v) {
            return error(st, 422, m);
        }
    }
    let mut saved = Vec::new();
    for mut v in list {
        let parent = v["productId"].as_i64().unwrap_or_default();
        let vid = match v["variantId"].as_i64() {
            Some(id) => id,
            None => st.new_id(),
        };
        v["variantId"] = json!(vid);
        let now = st.now();
        let product = st.products.get_mut(&parent).expect("checked");
        let variants = product
            .as_object_mut()
            .expect("stored products are objects")
            .entry("variants")
            .or_insert_with(|| json!([]));
        if !variants.is_array() {
            *variants = json!([]);
        }
        let list = variants.as_array_mut().expect("array");
        match list
            .iter_mut()
            .find(|x| x["variantId"].as_i64() == Some(vid))
        {
            Some(old) => {
                if let (Some(o), Some(n)) = (old.as_object_mut(), v.as_object()) {
                    for (k, val) in n {
                        o.insert(k.clone(), val.clone());
                    }
                }
            }
            None => list.push(v.clone()),
        }
        product["hasVariant"] = json!(true);
        product["updatedAt"] = json!(now);
        saved.push(v);
    }
    ok(st, "Variant saved successfully", json!({"data": saved}))
}

/// Sets the quantity of item `id` at a department. `None`: the item does not exist.
fn set_stock(st: &mut Inner, id: i64, department: i64, quantity: i64) -> Option<()> {
    let now = st.now();
    let parent = st.parent_of(id)?;
    let item = st.item_mut(id)?;
    let depts = item
        .as_object_mut()?
        .entry("departments")
        .or_insert_with(|| json!([]));
    if !depts.is_array() {
        *depts = json!([]);
    }
    let list = depts.as_array_mut()?;
    match list
        .iter_mut()
        .find(|d| d["departmentId"].as_i64() == Some(department))
    {
        Some(d) => d["stockQuantity"] = json!(quantity),
        None => list.push(json!({"departmentId": department, "stockQuantity": quantity})),
    }
    if let Some(p) = st.products.get_mut(&parent) {
        p["updatedAt"] = json!(now);
    }
    Some(())
}

#[derive(Deserialize)]
struct IdQuery {
    id: Option<String>,
}

async fn stock_set(
    State(h): State<TellixHandle>,
    headers: HeaderMap,
    Query(q): Query<IdQuery>,
    body: Bytes,
) -> Response {
    let answer = {
        let mut st = h.lock();
        match authorized(&mut st, &headers) {
            Err(e) => e,
            Ok(()) => {
                match (q.id.and_then(|s| s.parse::<i64>().ok()), parse_body(&body)) {
                    (None, _) => error(&st, 400, "id is required"),
                    (_, Err(m)) => error(&st, 400, m),
                    (Some(id), Ok(v)) => {
                        let d = &v["data"];
                        match (d["department_id"].as_i64(), d["stock_quantity"].as_i64()) {
                        (Some(dept), Some(qty)) => {
                            if !st.departments.iter().any(|x| x.department_id == dept) {
                                error(&st, 422, format!("Department {dept} does not exist"))
                            } else if set_stock(&mut st, id, dept, qty).is_none() {
                                error(&st, 422, format!("Product {id} not found"))
                            } else {
                                ok(&st, "Stock updated successfully", json!({}))
                            }
                        }
                        _ => error(&st, 422, "data.department_id and data.stock_quantity are required whole numbers"),
                    }
                    }
                }
            }
        }
    };
    finish(&h, "POST", "/stock/set", &body, answer)
}

async fn stock_update(State(h): State<TellixHandle>, headers: HeaderMap, body: Bytes) -> Response {
    let answer = {
        let mut st = h.lock();
        match authorized(&mut st, &headers) {
            Err(e) => e,
            Ok(()) => match parse_body(&body) {
                Err(m) => error(&st, 400, m),
                Ok(v) => {
                    let p = &v["params"];
                    let dept = p["stockDepartment"].as_i64();
                    let sku = p["productNumber"].as_str();
                    let qty = p["stockQuantity"].as_i64();
                    match (dept, sku, qty) {
                        (Some(dept), Some(sku), Some(qty)) => {
                            if !st.departments.iter().any(|x| x.department_id == dept) {
                                error(&st, 422, format!("Department {dept} does not exist"))
                            } else {
                                match st.sku_owner(sku) {
                                    None => error(&st, 422, format!("Product with productNumber {sku} not found")),
                                    Some(id) => {
                                        set_stock(&mut st, id, dept, qty);
                                        ok(&st, "Stock updated successfully", json!({}))
                                    }
                                }
                            }
                        }
                        _ => error(&st, 422, "params.stockDepartment, params.productNumber and params.stockQuantity are required"),
                    }
                }
            },
        }
    };
    finish(&h, "POST", "/stock/update", &body, answer)
}

async fn stock_info(
    State(h): State<TellixHandle>,
    headers: HeaderMap,
    Query(q): Query<IdQuery>,
) -> Response {
    let answer = {
        let mut st = h.lock();
        match authorized(&mut st, &headers) {
            Err(e) => e,
            Ok(()) => match q.id.and_then(|s| s.parse::<i64>().ok()) {
                None => error(&st, 400, "id is required"),
                Some(id) => match st.item(id) {
                    None => error(&st, 422, format!("Product {id} not found")),
                    Some(item) => {
                        let data: Vec<Value> = department_stock(item)
                            .into_iter()
                            .map(|(d, q)| json!({"departmentId": d, "stockQuantity": q}))
                            .collect();
                        ok(&st, "Success", json!({"data": data}))
                    }
                },
            },
        }
    };
    finish(&h, "GET", "/stock/info", b"", answer)
}

async fn customer_list(
    State(h): State<TellixHandle>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    let answer = {
        let mut st = h.lock();
        match authorized(&mut st, &headers) {
            Err(e) => e,
            Ok(()) => {
                let items = st.customers.values().cloned().collect();
                page(&st, &q, items, CUSTOMER_LIST_MAX)
            }
        }
    };
    finish(&h, "GET", "/customer/list", b"", answer)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CustomerViewQuery {
    customer_id: Option<String>,
}

async fn customer_view(
    State(h): State<TellixHandle>,
    headers: HeaderMap,
    Query(q): Query<CustomerViewQuery>,
) -> Response {
    let answer = {
        let mut st = h.lock();
        match authorized(&mut st, &headers) {
            Err(e) => e,
            Ok(()) => match q.customer_id.and_then(|s| s.parse::<i64>().ok()) {
                None => error(&st, 400, "customerId is required"),
                Some(id) => match st.customers.get(&id).cloned() {
                    None => error(&st, 422, format!("Customer {id} not found")),
                    Some(c) => ok(&st, "Success", json!({"data": c})),
                },
            },
        }
    };
    finish(&h, "GET", "/customer/view", b"", answer)
}

fn check_customer(c: &Value) -> Result<(), String> {
    let Some(obj) = c.as_object() else {
        return Err("Each customer must be an object".into());
    };
    match obj.get("name") {
        Some(Value::String(s)) if !s.trim().is_empty() => {}
        _ => return Err("name is required".into()),
    }
    for key in [
        "address",
        "zip",
        "location",
        "phoneNumber",
        "email",
        "country",
    ] {
        if let Some(v) = obj.get(key) {
            if !(v.is_string() || v.is_null()) {
                return Err(format!("{key} must be a string"));
            }
        }
    }
    if let Some(Value::String(e)) = obj.get("email") {
        if !e.is_empty() && !e.contains('@') {
            return Err(format!("email {e} is not a valid e-mail address"));
        }
    }
    for key in ["isActive", "isDeleted"] {
        if let Some(v) = obj.get(key) {
            if !(v.is_boolean() || v.is_null() || v.as_i64().is_some_and(|n| n == 0 || n == 1)) {
                return Err(format!("{key} must be true or false"));
            }
        }
    }
    Ok(())
}

async fn customer_save(State(h): State<TellixHandle>, headers: HeaderMap, body: Bytes) -> Response {
    let answer = {
        let mut st = h.lock();
        match authorized(&mut st, &headers) {
            Err(e) => e,
            Ok(()) => match parse_body(&body) {
                Err(m) => error(&st, 400, m),
                Ok(v) => match v["data"].as_array() {
                    None => error(&st, 400, "data must be a list of customers"),
                    Some(list) => match list.iter().try_for_each(check_customer) {
                        Err(m) => error(&st, 422, m),
                        Ok(()) => {
                            let mut saved = Vec::new();
                            for c in list.clone() {
                                let id = st.new_id();
                                let mut c = c;
                                c["customerId"] = json!(id);
                                c["updatedAt"] = json!(st.now());
                                st.customers.insert(id, c.clone());
                                saved.push(c);
                            }
                            ok(&st, "Customer saved successfully", json!({"data": saved}))
                        }
                    },
                },
            },
        }
    };
    finish(&h, "POST", "/customer/save", &body, answer)
}

async fn customer_update(
    State(h): State<TellixHandle>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    update(&h, &headers, &id, &body, &CUSTOMERS)
}
