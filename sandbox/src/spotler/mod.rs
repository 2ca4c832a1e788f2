//! Fake of the Spotler Mail+ (MailPlus) REST API, `/integrationservice-1.1.0` (and the
//! unversioned `/integrationservice`).
//!
//! Facts (`../shared/api-notes/platforms.md` §2, `platforms/spotler_mailplus_examples.json`):
//! - OAuth 1.0a one leg, HMAC-SHA1, no token: every request's signature is verified over the
//!   method, the URL and the query + oauth parameters (never a JSON body); a wrong key or
//!   signature, a reused nonce or a missing header answers 401 `{"errorType":"NOT_AUTHORIZED"}`.
//! - Contacts are keyed by `externalId`: `POST /contact` (204; `CONTACT_ALREADY_EXISTS` unless
//!   `update`), `PUT /contact/{externalId}` (204; 404 `CONTACT_NOT_FOUND`), `POST /contact/list`
//!   (200, one `{externalId, code, message}` per contact), `GET /contact/{externalId}`.
//! - `GET /contact/properties/list`: the account's property catalogue, with the permission bits
//!   of the `permissions` set. A property not in it is refused (`INVALID_PROPERTY`, or
//!   `PROPERTY_INVALID` per item in a batch), as is a value of the wrong type or an unknown bit.
//! - `GET /contact/updates/list` and `/contact/bounces/list`: `fromDate`/`toDate` as
//!   `yyyy-mm-ddThh:mm:ss` (UTC here [I]), `after` (offset) and `pageSize` (default 1000, max
//!   10000). Updates answer `{"contacts":[...], "paging":{"after":N, "next":URL}}` (`next` only
//!   when a full page came back); bounces answer a plain JSON array (the two shapes the notes
//!   say clients meet). Every change counts, the API's own writes too.
//! - Errors are `{"errorType": ENUM, "message": ...}`.

// Handlers answer an error as the `Response` Spotler would send.
#![allow(clippy::result_large_err)]

pub mod oauth;

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use serde_json::{json, Map, Value};

pub const DEFAULT_CONSUMER_KEY: &str = "spotler-sandbox-consumer-key";
pub const DEFAULT_CONSUMER_SECRET: &str = "spotler-sandbox-consumer-secret-0123456789";

/// The permission bits of the sandbox account.
pub const NEWSLETTER_BIT: i64 = 1;
pub const OFFERS_BIT: i64 = 2;

/// One property of the account's catalogue.
#[derive(Debug, Clone)]
pub struct PropertyDef {
    pub name: String,
    pub description: String,
    pub kind: String,
    /// For `set` properties: (bit, description).
    pub entries: Vec<(i64, String)>,
}

fn standard_properties() -> Vec<PropertyDef> {
    let p = |name: &str, description: &str, kind: &str| PropertyDef {
        name: name.into(),
        description: description.into(),
        kind: kind.into(),
        entries: Vec::new(),
    };
    vec![
        p("email", "E-mailadres", "email"),
        p("firstName", "Voornaam", "string"),
        p("infix", "Tussenvoegsel", "string"),
        p("lastName", "Achternaam", "string"),
        p("initials", "Voorletters", "string"),
        p("gender", "Geslacht", "gender"),
        p("birthday", "Geboortedatum", "birthdate"),
        p("street", "Straat", "string"),
        p("houseNumber", "Huisnummer", "string"),
        p("postalCode", "Postcode", "postcode"),
        p("city", "Plaats", "string"),
        p("country", "Land", "string"),
        p("mobileNumber", "Mobiel nummer", "mobNr"),
        p("organisation", "Organisatie", "string"),
        p("customerType", "Klanttype", "string"),
        p("firstPurchaseDate", "Eerste aankoop", "date"),
        p("lastPurchaseDate", "Laatste aankoop", "date"),
        p("totalOrders", "Aantal bestellingen", "int"),
        PropertyDef {
            name: "permissions".into(),
            description: "Permissies".into(),
            kind: "set".into(),
            entries: vec![
                (NEWSLETTER_BIT, "Nieuwsbrief".into()),
                (OFFERS_BIT, "Aanbiedingen".into()),
            ],
        },
    ]
}

/// One contact as stored.
#[derive(Debug, Clone)]
pub struct Contact {
    pub external_id: String,
    pub created: i64,
    pub last_changed: i64,
    pub encrypted_id: String,
    pub test_group: bool,
    /// Every property but `permissions`.
    pub properties: Map<String, Value>,
    /// bit -> enabled.
    pub permissions: BTreeMap<i64, bool>,
    pub channels: Vec<Value>,
}

#[derive(Debug, Clone)]
pub struct Bounce {
    pub date: i64,
    pub hard: bool,
    pub external_id: String,
}

/// One request received: method, path (with query), status.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub status: u16,
}

struct Inner {
    consumer_key: String,
    consumer_secret: String,
    properties: Vec<PropertyDef>,
    contacts: BTreeMap<String, Contact>,
    bounces: Vec<Bounce>,
    nonces: HashSet<(String, String)>,
    received: Vec<Received>,
    /// Contact writes that changed the store (one per contact written).
    contact_writes: u64,
    failures_left: u32,
    fail_status: u16,
    delay: std::time::Duration,
    next_encrypted: u64,
}

/// In-process control of the Spotler fake. Cheap to clone.
#[derive(Clone)]
pub struct SpotlerHandle {
    inner: Arc<Mutex<Inner>>,
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl SpotlerHandle {
    pub fn consumer_key(&self) -> String {
        self.inner.lock().unwrap().consumer_key.clone()
    }
    pub fn consumer_secret(&self) -> String {
        self.inner.lock().unwrap().consumer_secret.clone()
    }
    /// Every contact, as `GET /contact/{id}` answers it, by external id.
    pub fn contacts(&self) -> BTreeMap<String, Value> {
        let st = self.inner.lock().unwrap();
        st.contacts
            .iter()
            .map(|(k, c)| (k.clone(), contact_json(c, &st.properties)))
            .collect()
    }
    pub fn contact(&self, external_id: &str) -> Option<Value> {
        let st = self.inner.lock().unwrap();
        st.contacts
            .get(external_id)
            .map(|c| contact_json(c, &st.properties))
    }
    pub fn contact_count(&self) -> usize {
        self.inner.lock().unwrap().contacts.len()
    }
    /// How many times a contact was created or changed through the API.
    pub fn contact_writes(&self) -> u64 {
        self.inner.lock().unwrap().contact_writes
    }
    /// A permission changed in Spotler (a form, an unsubscribe link): appears in the updates feed.
    pub fn set_permission(&self, external_id: &str, bit: i64, enabled: bool) -> bool {
        let mut st = self.inner.lock().unwrap();
        match st.contacts.get_mut(external_id) {
            Some(c) => {
                c.permissions.insert(bit, enabled);
                c.last_changed = now_ms();
                true
            }
            None => false,
        }
    }
    /// A mailing bounced at this contact: appears in the bounces feed.
    pub fn add_bounce(&self, external_id: &str, hard: bool) {
        self.inner.lock().unwrap().bounces.push(Bounce {
            date: now_ms(),
            hard,
            external_id: external_id.into(),
        });
    }
    /// Removes a property from the catalogue (an account without it).
    pub fn remove_property(&self, name: &str) {
        self.inner
            .lock()
            .unwrap()
            .properties
            .retain(|p| p.name != name);
    }
    /// Answers the next `n` requests with `status` (e.g. 503), changing nothing.
    pub fn fail_next(&self, n: u32, status: u16) {
        let mut st = self.inner.lock().unwrap();
        st.failures_left = n;
        st.fail_status = status;
    }
    /// Waits this long before answering each request.
    pub fn set_delay(&self, delay: std::time::Duration) {
        self.inner.lock().unwrap().delay = delay;
    }
    pub fn received(&self) -> Vec<Received> {
        self.inner.lock().unwrap().received.clone()
    }
}

/// Builds the fake's routes and handle.
pub fn build(consumer_key: &str, consumer_secret: &str) -> (SpotlerHandle, Router) {
    let handle = SpotlerHandle {
        inner: Arc::new(Mutex::new(Inner {
            consumer_key: consumer_key.into(),
            consumer_secret: consumer_secret.into(),
            properties: standard_properties(),
            contacts: BTreeMap::new(),
            bounces: Vec::new(),
            nonces: HashSet::new(),
            received: Vec::new(),
            contact_writes: 0,
            failures_left: 0,
            fail_status: 503,
            delay: std::time::Duration::ZERO,
            next_encrypted: 1,
        })),
    };
    let router = Router::new()
        .fallback(handle_any)
        .with_state(handle.clone());
    (handle, router)
}

fn error(status: StatusCode, kind: &str, message: &str) -> Response {
    (status, Json(json!({"errorType": kind, "message": message}))).into_response()
}

async fn handle_any(
    State(h): State<SpotlerHandle>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let delay = h.inner.lock().unwrap().delay;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let mut st = h.inner.lock().unwrap();
    let response = route(&mut st, &method, &uri, &headers, &body);
    st.received.push(Received {
        method: method.to_string(),
        path: uri.to_string(),
        status: response.status().as_u16(),
    });
    response
}

fn route(st: &mut Inner, method: &Method, uri: &Uri, headers: &HeaderMap, body: &[u8]) -> Response {
    if st.failures_left > 0 {
        st.failures_left -= 1;
        let status = StatusCode::from_u16(st.fail_status).unwrap_or(StatusCode::BAD_GATEWAY);
        return error(
            status,
            "BACKEND_EXCEPTION",
            "Service temporarily unavailable",
        );
    }
    let full_path = uri.path();
    let Some(path) = full_path
        .strip_prefix("/integrationservice-1.1.0")
        .or_else(|| full_path.strip_prefix("/integrationservice"))
    else {
        return error(StatusCode::NOT_FOUND, "RESOURCE_NOT_FOUND", "Not found");
    };
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
    if let Err(why) = verify(st, method, full_path, &query, headers) {
        return error(StatusCode::UNAUTHORIZED, "NOT_AUTHORIZED", &why);
    }
    let q = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let json_body = || -> Result<Value, Response> {
        serde_json::from_slice::<Value>(body).map_err(|_| {
            error(
                StatusCode::BAD_REQUEST,
                "INVALID_PARAMS",
                "The request body is not valid JSON",
            )
        })
    };
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (method.clone(), segments.as_slice()) {
        (Method::GET, ["contact", "properties", "list"]) => {
            let list: Vec<Value> = st.properties.iter().map(property_json).collect();
            Json(Value::Array(list)).into_response()
        }
        (Method::GET, ["contact", "updates", "list"]) => {
            let (from, to, after, size) = match window(&q) {
                Ok(w) => w,
                Err(r) => return r,
            };
            let mut changed: Vec<&Contact> = st
                .contacts
                .values()
                .filter(|c| c.last_changed >= from && c.last_changed < to)
                .collect();
            changed.sort_by(|a, b| {
                (a.last_changed, &a.external_id).cmp(&(b.last_changed, &b.external_id))
            });
            let page: Vec<Value> = changed
                .iter()
                .skip(after)
                .take(size)
                .map(|c| contact_json(c, &st.properties))
                .collect();
            let mut paging = json!({"after": after});
            if page.len() == size {
                let host = headers
                    .get("host")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("localhost");
                let mut next: Vec<(String, String)> = query
                    .iter()
                    .filter(|(k, _)| k != "after")
                    .cloned()
                    .collect();
                next.push(("after".into(), (after + size).to_string()));
                let qs = url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(next)
                    .finish();
                paging["next"] = json!(format!("http://{host}{full_path}?{qs}"));
            }
            Json(json!({"contacts": page, "paging": paging})).into_response()
        }
        (Method::GET, ["contact", "bounces", "list"]) => {
            let (from, to, after, size) = match window(&q) {
                Ok(w) => w,
                Err(r) => return r,
            };
            let page: Vec<Value> = st
                .bounces
                .iter()
                .filter(|b| b.date >= from && b.date < to)
                .skip(after)
                .take(size)
                .map(|b| {
                    let contact = st
                        .contacts
                        .get(&b.external_id)
                        .map(|c| contact_json(c, &st.properties))
                        .unwrap_or_else(|| json!({"externalId": b.external_id}));
                    json!({
                        "date": b.date,
                        "type": if b.hard { "HARDBOUNCE" } else { "SOFTBOUNCE" },
                        "contact": contact,
                        "encryptedActId": format!("act{}", b.date),
                    })
                })
                .collect();
            Json(Value::Array(page)).into_response()
        }
        (Method::POST, ["contact", "list"]) => {
            let body = match json_body() {
                Ok(b) => b,
                Err(r) => return r,
            };
            let update = body["update"].as_bool().unwrap_or(false);
            let purge = body["purge"].as_bool().unwrap_or(false);
            let Some(contacts) = body["contacts"].as_array() else {
                return error(
                    StatusCode::BAD_REQUEST,
                    "INVALID_PARAMS",
                    "contacts is required",
                );
            };
            let mut results = Vec::new();
            for c in contacts {
                let id = c["externalId"].as_str().unwrap_or("").to_string();
                let (code, message) = match upsert(st, c, update, purge, None) {
                    Ok(()) => ("OK", String::new()),
                    Err((_, kind, message)) => (
                        match kind {
                            "INVALID_PROPERTY" | "INVALID_PARAMS" => "PROPERTY_INVALID",
                            "CONTACT_ALREADY_EXISTS" => "CONTACT_ALREADY_EXISTS",
                            "CONTACT_NOT_FOUND" => "CONTACT_UNKNOWN",
                            _ => "ERROR",
                        },
                        message,
                    ),
                };
                results.push(json!({"externalId": id, "code": code, "message": message}));
            }
            Json(Value::Array(results)).into_response()
        }
        (Method::POST, ["contact"]) => {
            let body = match json_body() {
                Ok(b) => b,
                Err(r) => return r,
            };
            let update = body["update"].as_bool().unwrap_or(false);
            let purge = body["purge"].as_bool().unwrap_or(false);
            match upsert(st, &body["contact"], update, purge, None) {
                Ok(()) => StatusCode::NO_CONTENT.into_response(),
                Err((status, kind, message)) => error(status, kind, &message),
            }
        }
        (Method::PUT, ["contact", id]) => {
            let body = match json_body() {
                Ok(b) => b,
                Err(r) => return r,
            };
            let id = percent_encoding::percent_decode_str(id)
                .decode_utf8_lossy()
                .to_string();
            let purge = body["purge"].as_bool().unwrap_or(false);
            match upsert(st, &body["contact"], true, purge, Some(&id)) {
                Ok(()) => StatusCode::NO_CONTENT.into_response(),
                Err((status, kind, message)) => error(status, kind, &message),
            }
        }
        (Method::GET, ["contact", id]) => {
            let id = percent_encoding::percent_decode_str(id)
                .decode_utf8_lossy()
                .to_string();
            match st.contacts.get(&id) {
                Some(c) => Json(contact_json(c, &st.properties)).into_response(),
                None => error(
                    StatusCode::NOT_FOUND,
                    "CONTACT_NOT_FOUND",
                    &format!("Contact with externalId {id} not found"),
                ),
            }
        }
        _ => error(StatusCode::NOT_FOUND, "RESOURCE_NOT_FOUND", "Not found"),
    }
}

/// Checks the OAuth 1.0a signature of a request.
fn verify(
    st: &mut Inner,
    method: &Method,
    path: &str,
    query: &[(String, String)],
    headers: &HeaderMap,
) -> Result<(), String> {
    let header = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .ok_or("Missing OAuth authorization")?;
    let params = oauth::parse_header(header).ok_or("Malformed OAuth authorization header")?;
    let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let key = get("oauth_consumer_key").ok_or("oauth_consumer_key is missing")?;
    if key != st.consumer_key {
        return Err("Unknown consumer key".into());
    }
    if get("oauth_signature_method") != Some("HMAC-SHA1") {
        return Err("oauth_signature_method must be HMAC-SHA1".into());
    }
    if get("oauth_version").is_some_and(|v| v != "1.0") {
        return Err("oauth_version must be 1.0".into());
    }
    let nonce = get("oauth_nonce").ok_or("oauth_nonce is missing")?;
    let timestamp = get("oauth_timestamp").ok_or("oauth_timestamp is missing")?;
    let ts: i64 = timestamp
        .parse()
        .map_err(|_| "oauth_timestamp is not a number")?;
    if (ts - chrono::Utc::now().timestamp()).abs() > 300 {
        return Err("oauth_timestamp is too far from the server's clock".into());
    }
    let signature = get("oauth_signature").ok_or("oauth_signature is missing")?;
    let host = headers
        .get("host")
        .and_then(|v| v.to_str().ok())
        .ok_or("Missing Host header")?;
    let mut signed: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "oauth_signature")
        .cloned()
        .collect();
    signed.extend(query.iter().cloned());
    let base = oauth::base_string(method.as_str(), &format!("http://{host}{path}"), &signed);
    let expected = oauth::signature(&st.consumer_secret, &base);
    if expected != signature {
        return Err("Invalid signature".into());
    }
    if !st.nonces.insert((timestamp.to_string(), nonce.to_string())) {
        return Err("The nonce was used before".into());
    }
    Ok(())
}

#[allow(clippy::type_complexity)]
fn window(q: &dyn Fn(&str) -> Option<String>) -> Result<(i64, i64, usize, usize), Response> {
    let parse = |name: &str, v: &str| {
        chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S")
            .map(|t| t.and_utc().timestamp_millis())
            .map_err(|_| {
                error(
                    StatusCode::BAD_REQUEST,
                    "INVALID_PARAMS",
                    &format!("{name} must be formatted as yyyy-mm-ddThh:mm:ss"),
                )
            })
    };
    let from = match q("fromDate") {
        Some(v) => parse("fromDate", &v)?,
        None => {
            return Err(error(
                StatusCode::BAD_REQUEST,
                "INVALID_PARAMS",
                "fromDate is required",
            ))
        }
    };
    let to = match q("toDate") {
        Some(v) => parse("toDate", &v)?,
        None => now_ms(),
    };
    let after = match q("after") {
        Some(v) => v.parse::<usize>().map_err(|_| {
            error(
                StatusCode::BAD_REQUEST,
                "INVALID_PARAMS",
                "after must be a number",
            )
        })?,
        None => 0,
    };
    let size = match q("pageSize") {
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=10_000).contains(&n) => n,
            _ => {
                return Err(error(
                    StatusCode::BAD_REQUEST,
                    "INVALID_PARAMS",
                    "pageSize must be between 1 and 10000",
                ))
            }
        },
        None => 1000,
    };
    Ok((from, to, after, size))
}

type WriteError = (StatusCode, &'static str, String);

/// Creates or updates one contact from `{externalId, properties, channels, testGroup}`.
/// `path_id` is the id of a `PUT /contact/{id}` (which must exist).
fn upsert(
    st: &mut Inner,
    contact: &Value,
    update: bool,
    purge: bool,
    path_id: Option<&str>,
) -> Result<(), WriteError> {
    let bad = |kind: &'static str, m: String| (StatusCode::BAD_REQUEST, kind, m);
    if !contact.is_object() {
        return Err(bad("INVALID_PARAMS", "contact is required".into()));
    }
    let id = match (contact["externalId"].as_str(), path_id) {
        (Some(id), Some(p)) if id != p => {
            return Err(bad(
                "INVALID_PARAMS",
                format!("externalId {id} does not match the path's {p}"),
            ))
        }
        (_, Some(p)) => p.to_string(),
        (Some(id), None) if !id.trim().is_empty() => id.to_string(),
        _ => return Err(bad("INVALID_PARAMS", "externalId is required".into())),
    };
    let exists = st.contacts.contains_key(&id);
    if path_id.is_some() && !exists {
        return Err((
            StatusCode::NOT_FOUND,
            "CONTACT_NOT_FOUND",
            format!("Contact with externalId {id} not found"),
        ));
    }
    if exists && !update {
        return Err(bad(
            "CONTACT_ALREADY_EXISTS",
            format!("Contact with externalId {id} already exists"),
        ));
    }
    // Everything is checked before anything is stored.
    let mut props = Map::new();
    let mut perms = BTreeMap::new();
    if let Some(given) = contact.get("properties") {
        let Some(given) = given.as_object() else {
            return Err(bad("INVALID_PARAMS", "properties must be an object".into()));
        };
        for (name, value) in given {
            let Some(def) = st.properties.iter().find(|p| &p.name == name) else {
                return Err(bad("INVALID_PROPERTY", format!("Unknown property {name}")));
            };
            if value.is_null() {
                props.insert(name.clone(), Value::Null);
                continue;
            }
            if def.kind == "set" {
                let Some(items) = value.as_array() else {
                    return Err(bad(
                        "INVALID_PROPERTY",
                        format!("{name} must be a list of {{bit, enabled}}"),
                    ));
                };
                let mut set = BTreeMap::new();
                for item in items {
                    let (Some(bit), Some(enabled)) =
                        (item["bit"].as_i64(), item["enabled"].as_bool())
                    else {
                        return Err(bad(
                            "INVALID_PROPERTY",
                            format!("{name} entries need bit and enabled"),
                        ));
                    };
                    if !def.entries.iter().any(|(b, _)| *b == bit) {
                        return Err(bad("INVALID_PROPERTY", format!("{name} has no bit {bit}")));
                    }
                    set.insert(bit, enabled);
                }
                if name == "permissions" {
                    perms = set;
                } else {
                    props.insert(
                        name.clone(),
                        json!(set
                            .iter()
                            .map(|(b, e)| json!({"bit": b, "enabled": e}))
                            .collect::<Vec<_>>()),
                    );
                }
                continue;
            }
            check_value(&def.kind, value)
                .map_err(|why| bad("INVALID_PARAMS", format!("{name}: {why}")))?;
            props.insert(name.clone(), value.clone());
        }
    }
    if !exists && props.get("email").and_then(Value::as_str).is_none() {
        return Err(bad(
            "INVALID_PARAMS",
            "email is required for a new contact".into(),
        ));
    }
    let channels = contact.get("channels").and_then(Value::as_array).cloned();
    let now = now_ms();
    let encrypted = format!("enc{:08}", st.next_encrypted);
    st.contacts.entry(id.clone()).or_insert_with(|| Contact {
        external_id: id.clone(),
        created: now,
        last_changed: now,
        encrypted_id: encrypted,
        test_group: false,
        properties: Map::new(),
        permissions: BTreeMap::new(),
        channels: Vec::new(),
    });
    if !exists {
        st.next_encrypted += 1;
    }
    let c = st.contacts.get_mut(&id).expect("just inserted");
    if purge {
        c.properties.clear();
        c.permissions.clear();
    }
    for (k, v) in props {
        if v.is_null() {
            c.properties.remove(&k);
        } else {
            c.properties.insert(k, v);
        }
    }
    c.permissions.extend(perms);
    if let Some(ch) = channels {
        c.channels = ch;
    }
    if let Some(t) = contact["testGroup"].as_bool() {
        c.test_group = t;
    }
    c.last_changed = now;
    st.contact_writes += 1;
    Ok(())
}

fn check_value(kind: &str, v: &Value) -> Result<(), String> {
    let s = || {
        v.as_str()
            .ok_or_else(|| format!("a {kind} must be a string"))
    };
    match kind {
        "int" => {
            if v.as_i64().is_some() || v.as_str().is_some_and(|s| s.parse::<i64>().is_ok()) {
                Ok(())
            } else {
                Err("not an integer".into())
            }
        }
        "money" => {
            if v.is_number() || v.as_str().is_some_and(|s| s.parse::<f64>().is_ok()) {
                Ok(())
            } else {
                Err("not an amount".into())
            }
        }
        "email" => {
            let s = s()?;
            let ok = s.split_once('@').is_some_and(|(l, d)| {
                !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
            }) && !s.contains(char::is_whitespace);
            if ok {
                Ok(())
            } else {
                Err(format!("{s} is not a valid e-mail address"))
            }
        }
        "date" | "birthdate" => {
            let s = s()?;
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(|_| ())
                .map_err(|_| format!("{s} is not a date (yyyy-mm-dd)"))
        }
        "dateTime" => {
            let s = s()?;
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
                .map(|_| ())
                .map_err(|_| format!("{s} is not a date and time (yyyy-mm-ddThh:mm:ss)"))
        }
        "gender" => match s()? {
            "M" | "F" | "U" => Ok(()),
            other => Err(format!("{other} is not a gender (M, F or U)")),
        },
        "mobNr" => {
            let s = s()?;
            if s.chars()
                .all(|c| c.is_ascii_digit() || c == '+' || c == ' ')
                && s.chars().filter(|c| c.is_ascii_digit()).count() >= 8
            {
                Ok(())
            } else {
                Err(format!("{s} is not a mobile number"))
            }
        }
        _ => s().map(|_| ()),
    }
}

fn property_json(p: &PropertyDef) -> Value {
    let mut v = json!({"name": p.name, "description": p.description, "type": p.kind});
    if p.kind == "set" {
        v["entries"] = json!(p
            .entries
            .iter()
            .enumerate()
            .map(|(i, (bit, d))| json!({"bit": bit, "description": d, "rank": i + 1}))
            .collect::<Vec<_>>());
    }
    v
}

fn contact_json(c: &Contact, catalogue: &[PropertyDef]) -> Value {
    let mut props = c.properties.clone();
    let descriptions: BTreeMap<i64, String> = catalogue
        .iter()
        .find(|p| p.name == "permissions")
        .map(|p| p.entries.iter().cloned().collect())
        .unwrap_or_default();
    props.insert(
        "permissions".into(),
        json!(descriptions
            .iter()
            .map(|(bit, d)| json!({"bit": bit, "description": d, "enabled": c.permissions.get(bit).copied().unwrap_or(false)}))
            .collect::<Vec<_>>()),
    );
    json!({
        "externalId": c.external_id,
        "created": c.created,
        "lastChanged": c.last_changed,
        "encryptedId": c.encrypted_id,
        "testGroup": c.test_group,
        "temporary": false,
        "properties": props,
        "channels": c.channels,
    })
}
