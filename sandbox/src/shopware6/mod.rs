//! Fake of the Shopware 6 Admin API: the OAuth client-credentials token, `search` on
//! `customer` and `newsletter-recipient` with criteria, and the writes the Spotler flow makes.
//!
//! Facts (`../shared/api-notes/platforms.md` §3.6): `POST /api/oauth/token` with JSON
//! `{grant_type: client_credentials, client_id, client_secret}` answers `{token_type: Bearer,
//! expires_in: 600, access_token}`; every other call sends `Authorization: Bearer`. Search
//! endpoints take a criteria body (`page` from 1, `limit`, `filter` [`equals`, `equalsAny`,
//! `contains`, `range`, `multi` with `and`/`or`; another type is a 400], `sort` (NULL first
//! ascending, as MySQL), `total-count-mode`) and answer `{total, data, aggregations}`. Errors
//! are `{"errors":[{status, code, title, detail}]}`. Writes: `PATCH /api/customer/{id}`,
//! `PATCH /api/newsletter-recipient/{id}`, `POST /api/newsletter-recipient` (204).
//!
//! From Shopware's core source (shopware/shopware, DAL): `updatedAt` is null until an entity's
//! first update (`UpdatedAtFieldSerializer` skips inserts), so a customer that only registered
//! has `createdAt` and no `updatedAt`; a new `newsletter_recipient` needs every Required field
//! of its definition (`email`, `status`, `hash`, `languageId`, `salesChannelId`), a blank one
//! is a 400 NotBlank violation pointing at it. A newsletter subscription is the recipient
//! entity, not the customer: changing it leaves the customer's `updatedAt` as it was.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::seed::{SeedConfig, Seeder};

pub const DEFAULT_CLIENT_ID: &str = "SWIASANDBOXSIXCLIENT0123456";
pub const DEFAULT_CLIENT_SECRET: &str = "sw6SandboxSecretAccessKey0123456789abcdefghij";
const SALES_CHANNEL: &str = "98432def39fc4624b33213a56b8c944d";
/// Shopware's system default language (`Defaults::LANGUAGE_SYSTEM`).
const LANGUAGE: &str = "2fbb5fe2e29a4d70aa5854ce7ce3e20b";

struct Inner {
    client_id: String,
    client_secret: String,
    tokens: HashMap<String, i64>,
    customers: BTreeMap<String, Value>,
    /// id -> {id, email, status, salesChannelId}
    recipients: BTreeMap<String, Value>,
    writes: u64,
    next: u64,
}

/// In-process control of the Shopware 6 fake. Cheap to clone.
#[derive(Clone)]
pub struct Shopware6Handle {
    inner: Arc<Mutex<Inner>>,
}

fn iso(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S%.3f+00:00")
        .to_string()
}

impl Shopware6Handle {
    pub fn client_id(&self) -> String {
        self.inner.lock().unwrap().client_id.clone()
    }
    pub fn client_secret(&self) -> String {
        self.inner.lock().unwrap().client_secret.clone()
    }
    /// Every customer by id.
    pub fn customers(&self) -> BTreeMap<String, Value> {
        self.inner.lock().unwrap().customers.clone()
    }
    /// The newsletter status of an e-mail address (`notSet` without a recipient).
    pub fn newsletter_status(&self, email: &str) -> String {
        self.inner
            .lock()
            .unwrap()
            .recipients
            .values()
            .find(|r| r["email"] == email)
            .and_then(|r| r["status"].as_str().map(str::to_string))
            .unwrap_or_else(|| "notSet".into())
    }
    /// A customer registering in the storefront now: `createdAt` set, `updatedAt` null (as
    /// Shopware writes a new entity). Returns its id.
    pub fn register_customer(&self, email: &str, first_name: &str, last_name: &str) -> String {
        let mut st = self.inner.lock().unwrap();
        let id = format!(
            "{:032x}",
            0x01bb_dd00_0000_0000_0000_0000_0000_0000u128 + st.next as u128
        );
        st.next += 1;
        let number = format!("{}", 90001 + st.customers.len());
        st.customers.insert(
            id.clone(),
            json!({
                "id": id, "customerNumber": number, "email": email,
                "firstName": first_name, "lastName": last_name,
                "salutation": {"salutationKey": "not_specified"}, "birthday": null,
                "salesChannelId": SALES_CHANNEL, "languageId": LANGUAGE,
                "createdAt": iso(chrono::Utc::now().timestamp()), "updatedAt": null,
                "customFields": {}, "defaultBillingAddress": null,
            }),
        );
        id
    }
    /// The storefront's newsletter form (or an unsubscribe link) for `email`: its recipient is
    /// created or changed; the customer itself is not (its `updatedAt` stays as it was).
    pub fn storefront_newsletter(&self, email: &str, subscribe: bool) {
        let mut st = self.inner.lock().unwrap();
        let now = iso(chrono::Utc::now().timestamp());
        let status = if subscribe { "direct" } else { "optOut" };
        if let Some(r) = st.recipients.values_mut().find(|r| r["email"] == email) {
            r["status"] = json!(status);
            r["updatedAt"] = json!(now);
            return;
        }
        let id = format!(
            "{:032x}",
            0x01cc_ee00_0000_0000_0000_0000_0000_0000u128 + st.next as u128
        );
        st.next += 1;
        let hash = format!("{:032x}", st.next);
        st.recipients.insert(
            id.clone(),
            json!({"id": id, "email": email, "status": status, "hash": hash,
                "salesChannelId": SALES_CHANNEL, "languageId": LANGUAGE, "createdAt": now, "updatedAt": null}),
        );
    }
    /// Writes that changed a customer or a recipient.
    pub fn writes(&self) -> u64 {
        self.inner.lock().unwrap().writes
    }
}

fn seed_customers(seed: &SeedConfig) -> (BTreeMap<String, Value>, BTreeMap<String, Value>) {
    let seeder = Seeder::new(seed.clone(), "sandbox-store.myshopify.com");
    let mut customers = BTreeMap::new();
    let mut recipients = BTreeMap::new();
    for i in 0..seed.customers {
        let s = seeder.customer(i, 0, None);
        let id = format!(
            "{:032x}",
            0x0188_aa00_0000_0000_0000_0000_0000_0000u128 + i as u128
        );
        let email = s["email"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| format!("customer{}@example.com", i + 1));
        let created = crate::seed::parse_time(s["createdAt"].as_str().unwrap_or("")).unwrap_or(0);
        let updated = crate::seed::parse_time(s["updatedAt"].as_str().unwrap_or("")).unwrap_or(0);
        let a = &s["defaultAddress"];
        let billing = if a.is_null() {
            Value::Null
        } else {
            json!({
                "street": a["address1"], "zipcode": a["zip"], "city": a["city"],
                "company": Value::Null, "phoneNumber": s["phone"],
                "country": {"iso": a["countryCodeV2"]},
            })
        };
        customers.insert(
            id.clone(),
            json!({
                "id": id,
                "customerNumber": format!("{}", 10001 + i),
                "email": email,
                "firstName": s["firstName"],
                "lastName": s["lastName"],
                "salutation": {"salutationKey": if i % 2 == 0 { "mrs" } else { "mr" }},
                "birthday": if i % 3 == 0 { Value::Null } else { json!(format!("{}-{:02}-{:02}", 1960 + i % 40, 1 + i % 12, 1 + i % 28)) },
                "salesChannelId": SALES_CHANNEL,
                "languageId": LANGUAGE,
                "createdAt": iso(created),
                // Shopware sets `updatedAt` on the first update only (UpdatedAtFieldSerializer
                // skips inserts): a customer never changed since it registered has none.
                "updatedAt": if updated > created { json!(iso(updated)) } else { Value::Null },
                "customFields": {"relationNumber": format!("REL-{:05}", 7000 + i)},
                "defaultBillingAddress": billing,
            }),
        );
        if s["emailMarketingConsent"]["marketingState"] == "SUBSCRIBED" {
            let rid = format!(
                "{:032x}",
                0x0199_bb00_0000_0000_0000_0000_0000_0000u128 + i as u128
            );
            recipients.insert(
                rid.clone(),
                json!({"id": rid, "email": email, "status": "direct", "salesChannelId": SALES_CHANNEL, "languageId": LANGUAGE, "hash": format!("{:032x}", i + 1), "createdAt": iso(created), "updatedAt": null}),
            );
        }
    }
    (customers, recipients)
}

/// Builds the fake's routes and handle, seeded from `seed`.
pub fn build(seed: &SeedConfig, client_id: &str, client_secret: &str) -> (Shopware6Handle, Router) {
    let (customers, recipients) = seed_customers(seed);
    let handle = Shopware6Handle {
        inner: Arc::new(Mutex::new(Inner {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            tokens: HashMap::new(),
            customers,
            recipients,
            writes: 0,
            next: 1,
        })),
    };
    let router = Router::new()
        .fallback(handle_any)
        .with_state(handle.clone());
    (handle, router)
}

/// A write's validation errors as Shopware 6 answers them: 400, one entry per blank field
/// (Symfony's NotBlank code) with a JSON pointer into the payload.
fn blank(fields: &[&str]) -> Response {
    let errors: Vec<Value> = fields
        .iter()
        .map(|f| {
            json!({"code": "c1051bb4-d103-4f74-8988-acbcafc7fdc3", "status": "400",
                "detail": "This value should not be blank.", "template": "This value should not be blank.",
                "source": {"pointer": format!("/0/{f}")}})
        })
        .collect();
    (StatusCode::BAD_REQUEST, Json(json!({ "errors": errors }))).into_response()
}

fn error(status: StatusCode, code: &str, detail: &str) -> Response {
    (
        status,
        Json(json!({"errors": [{"status": status.as_u16().to_string(), "code": code, "title": status.canonical_reason().unwrap_or(""), "detail": detail}]})),
    )
        .into_response()
}

async fn handle_any(
    State(h): State<Shopware6Handle>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut st = h.inner.lock().unwrap();
    route(&mut st, &method, uri.path(), &headers, &body)
}

fn route(
    st: &mut Inner,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    let now = chrono::Utc::now().timestamp();
    let json_body: Option<Value> = serde_json::from_slice(body).ok();
    if path == "/api/oauth/token" && method == Method::POST {
        let Some(b) = json_body else {
            return error(
                StatusCode::BAD_REQUEST,
                "FRAMEWORK__INVALID_REQUEST",
                "The request body is not JSON",
            );
        };
        if b["grant_type"] != "client_credentials" {
            return error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "The authorization grant type is not supported by the authorization server.",
            );
        }
        if b["client_id"] != st.client_id.as_str()
            || b["client_secret"] != st.client_secret.as_str()
        {
            return error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "Client authentication failed",
            );
        }
        let token = format!("{:064x}", rand::random::<u128>());
        st.tokens.insert(token.clone(), now + 600);
        return Json(json!({"token_type": "Bearer", "expires_in": 600, "access_token": token}))
            .into_response();
    }
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match bearer.and_then(|t| st.tokens.get(t)) {
        Some(exp) if *exp > now => {}
        _ => {
            return error(
                StatusCode::UNAUTHORIZED,
                "9",
                "The resource owner or authorization server denied the request.",
            )
        }
    }
    let segments: Vec<&str> = path.trim_start_matches("/api/").split('/').collect();
    match (method.clone(), segments.as_slice()) {
        (Method::POST, ["search", entity])
            if ["customer", "newsletter-recipient", "custom-field"].contains(entity) =>
        {
            let criteria = json_body.unwrap_or(json!({}));
            let fields = custom_fields();
            let rows: Vec<&Value> = match *entity {
                "customer" => st.customers.values().collect(),
                "newsletter-recipient" => st.recipients.values().collect(),
                _ => fields.iter().collect(),
            };
            search(rows, &criteria)
        }
        (Method::PATCH, ["customer", id]) => {
            let Some(Value::Object(changes)) = json_body else {
                return error(
                    StatusCode::BAD_REQUEST,
                    "FRAMEWORK__INVALID_REQUEST",
                    "The request body is not a JSON object",
                );
            };
            let Some(c) = st.customers.get_mut(*id) else {
                return error(
                    StatusCode::NOT_FOUND,
                    "FRAMEWORK__ENTITY_NOT_FOUND",
                    &format!("Could not find entity for id {id}."),
                );
            };
            for (k, v) in changes {
                if k == "customFields" {
                    if let Some(o) = v.as_object() {
                        for (ck, cv) in o {
                            c["customFields"][ck] = cv.clone();
                        }
                    }
                } else if c.get(&k).is_some() && k != "id" {
                    c[&k] = v;
                }
            }
            c["updatedAt"] = json!(iso(now));
            st.writes += 1;
            StatusCode::NO_CONTENT.into_response()
        }
        (Method::PATCH, ["newsletter-recipient", id]) => {
            let status = json_body
                .as_ref()
                .and_then(|b| b["status"].as_str().map(str::to_string));
            let Some(r) = st.recipients.get_mut(*id) else {
                return error(
                    StatusCode::NOT_FOUND,
                    "FRAMEWORK__ENTITY_NOT_FOUND",
                    &format!("Could not find entity for id {id}."),
                );
            };
            match status.as_deref() {
                Some(s @ ("optIn" | "optOut" | "direct" | "notSet")) => r["status"] = json!(s),
                _ => {
                    return error(
                        StatusCode::BAD_REQUEST,
                        "VIOLATION::CHOICE_ERROR",
                        "status: The value you selected is not a valid choice.",
                    )
                }
            }
            r["updatedAt"] = json!(iso(now));
            st.writes += 1;
            StatusCode::NO_CONTENT.into_response()
        }
        (Method::POST, ["newsletter-recipient"]) => {
            let Some(b) = json_body else {
                return error(
                    StatusCode::BAD_REQUEST,
                    "FRAMEWORK__INVALID_REQUEST",
                    "The request body is not JSON",
                );
            };
            // The entity's Required fields (NewsletterRecipientDefinition): email, status,
            // hash, languageId, salesChannelId; each one missing is a violation of its own.
            let required = ["email", "status", "hash", "languageId", "salesChannelId"];
            let missing: Vec<&str> = required
                .iter()
                .copied()
                .filter(|k| b[*k].as_str().is_none_or(|v| v.trim().is_empty()))
                .collect();
            if !missing.is_empty() {
                return blank(&missing);
            }
            let id = format!(
                "{:032x}",
                0x01aa_cc00_0000_0000_0000_0000_0000_0000u128 + st.next as u128
            );
            st.next += 1;
            let mut r = json!({"id": id, "createdAt": iso(now), "updatedAt": null});
            for k in required {
                r[k] = b[k].clone();
            }
            st.recipients.insert(id.clone(), r);
            st.writes += 1;
            StatusCode::NO_CONTENT.into_response()
        }
        _ => error(
            StatusCode::NOT_FOUND,
            "FRAMEWORK__ROUTE_NOT_FOUND",
            &format!("No route found for \"{method} {path}\""),
        ),
    }
}

/// The shop's custom fields: two on customers (a relation number, a bounce note), one on
/// products.
fn custom_fields() -> Vec<Value> {
    let f = |name: &str, kind: &str, entity: &str| json!({"name": name, "type": kind, "customFieldSet": {"name": format!("{entity}_set"), "relations": [{"entityName": entity}]}});
    vec![
        f("relationNumber", "text", "customer"),
        f("spotlerBounce", "text", "customer"),
        f("productTagline", "text", "product"),
    ]
}

fn field<'a>(row: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(row, |v, k| &v[k])
}

/// Whether `row` passes filter `f`; an unknown filter type is the client's error.
fn passes(row: &Value, f: &Value) -> Result<bool, String> {
    let v = field(row, f["field"].as_str().unwrap_or(""));
    Ok(match f["type"].as_str().unwrap_or("") {
        "equals" => v == &f["value"],
        "equalsAny" => f["value"].as_array().is_some_and(|a| a.contains(v)),
        "contains" => v
            .as_str()
            .zip(f["value"].as_str())
            .is_some_and(|(h, n)| h.to_lowercase().contains(&n.to_lowercase())),
        "range" => {
            // SQL: a null column passes no comparison.
            let have = v.as_str().unwrap_or("");
            let p = &f["parameters"];
            let cmp = |k: &str, ok: fn(std::cmp::Ordering) -> bool| {
                p[k].as_str()
                    .is_none_or(|x| ok(have[..19.min(have.len())].cmp(&x[..19.min(x.len())])))
            };
            !have.is_empty()
                && cmp("gte", |o| o.is_ge())
                && cmp("gt", |o| o.is_gt())
                && cmp("lte", |o| o.is_le())
                && cmp("lt", |o| o.is_lt())
        }
        // `{type: multi, operator: and|or, queries: [...]}` (operator `and` by default).
        "multi" => {
            let or = f["operator"]
                .as_str()
                .is_some_and(|o| o.eq_ignore_ascii_case("or"));
            let mut any = false;
            let mut all = true;
            for q in f["queries"].as_array().into_iter().flatten() {
                let ok = passes(row, q)?;
                any |= ok;
                all &= ok;
            }
            if or {
                any
            } else {
                all
            }
        }
        other => return Err(format!("Unsupported filter type: {other}")),
    })
}

fn search(rows: Vec<&Value>, criteria: &Value) -> Response {
    let page = criteria["page"].as_u64().unwrap_or(1).max(1) as usize;
    let limit = criteria["limit"].as_u64().unwrap_or(500) as usize;
    let mut out: Vec<&Value> = Vec::new();
    'rows: for r in rows {
        for f in criteria["filter"].as_array().into_iter().flatten() {
            match passes(r, f) {
                Ok(true) => {}
                Ok(false) => continue 'rows,
                Err(e) => {
                    return error(
                        StatusCode::BAD_REQUEST,
                        "FRAMEWORK__INVALID_FILTER_QUERY",
                        &e,
                    )
                }
            }
        }
        out.push(r);
    }
    for s in criteria["sort"].as_array().into_iter().flatten().rev() {
        let f = s["field"].as_str().unwrap_or("").to_string();
        let desc = s["order"]
            .as_str()
            .is_some_and(|o| o.eq_ignore_ascii_case("DESC"));
        out.sort_by(|a, b| {
            // MySQL sorts NULL before any value in ascending order.
            let key = |r: &Value| match field(r, &f) {
                Value::Null => None,
                v => Some(v.to_string()),
            };
            let o = key(a).cmp(&key(b));
            if desc {
                o.reverse()
            } else {
                o
            }
        });
    }
    let total = out.len();
    let data: Vec<Value> = out
        .into_iter()
        .skip((page - 1) * limit)
        .take(limit)
        .cloned()
        .collect();
    Json(json!({"total": total, "data": data, "aggregations": {}})).into_response()
}
