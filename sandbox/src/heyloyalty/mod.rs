//! Fake of Heyloyalty's REST API (`/loyalty/v1`, and `PATCH /loyalty/v2/lists/{id}`).
//!
//! Facts: `../shared/api-notes/platforms.md` §1 and `platforms/heyloyalty_examples.json`.
//! - Auth: HTTP Basic, user = API key, password = base64(lowercase hex(HMAC-SHA256(secret,
//!   X-Request-Timestamp))). A missing timestamp, a wrong key or a wrong signature answers 401
//!   `{"code":401,"message":…}`. The timestamp's format is not checked (the notes: lenient).
//! - Lists: `GET/POST /lists`, `GET/PUT/DELETE /lists/{id}`, `PATCH /loyalty/v2/lists/{id}` with
//!   `{fields:[…]}` (adds missing fields, modifies existing ones; never removes).
//! - Members: `GET /lists/{id}/members?page&perpage&filter[email][eq][]=…` → `{"members":[…]}`
//!   (perpage ≤ 5000, page 1-based); `POST` → 201 `{"id":guid}`; `GET|PUT|PATCH|DELETE
//!   /lists/{id}/members/{memberId}` (204 on PUT/PATCH/DELETE).
//! - Values are checked against the list's field formats (`number`, `date` YYYY-MM-DD, `choice`
//!   by option id, `boolean` 1|0, `text` ≤ 255); an unknown field answers 400.
//! - The trap: a PUT or PATCH of an unsubscribed member re-subscribes it (`unsubscribed_at`
//!   cleared).
//! - No rate limit is documented; the fake answers 429 when more than `requests_per_second`
//!   (times the time scale) arrive within one (scaled) second, as a throttling API would.
//! - Webhooks: per list (set through the handle, as in Heyloyalty's UI), sent on subscribe,
//!   update and unsubscribe (also when the change came through the API: [I], the pessimistic
//!   reading that makes echoes visible), in the default snake_case or the camelCase format, with
//!   Basic auth. They wait in an outbox until [`HeyloyaltyHandle::flush_webhooks`] (or
//!   immediately with [`HeyloyaltyHandle::set_auto_deliver`]). A bulk delete sends none (seed).
//!
//! Where the notes are silent the fake picks a reading and says so ([I]): the create-list answer
//! is the list object (201); a duplicate e-mail on a list with `duplicates` other than `allow`
//! answers 400 (unsubscribed members do not count: a re-subscriber is created anew, as
//! NaviPartner's client does); a changed format of a field that holds data answers 400.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use base64::Engine;
use hmac::{KeyInit, Mac};
use serde::Serialize;
use serde_json::{json, Map, Value};

pub const DEFAULT_API_KEY: &str = "hl-sandbox-key-0123456789";
pub const DEFAULT_API_SECRET: &str = "hl-sandbox-secret-abcdef";

/// Heyloyalty's country options used by the fake's `country` fields. 53 = Denmark is from the
/// notes; the other ids are illustrative [I].
pub const COUNTRIES: &[(&str, &str)] = &[
    ("53", "Danmark"),
    ("161", "Norge"),
    ("198", "Sverige"),
    ("75", "Tyskland"),
];

#[derive(Debug, Clone)]
pub struct HeyloyaltyConfig {
    pub api_key: String,
    pub api_secret: String,
    /// Requests per (vendor) second before the fake answers 429.
    pub requests_per_second: u32,
}

impl Default for HeyloyaltyConfig {
    fn default() -> Self {
        HeyloyaltyConfig {
            api_key: DEFAULT_API_KEY.into(),
            api_secret: DEFAULT_API_SECRET.into(),
            requests_per_second: 20,
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Field {
    pub id: u64,
    #[serde(rename = "type")]
    pub kind: String,
    pub format: String,
    pub name: String,
    pub label: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct List {
    pub id: u64,
    pub name: String,
    pub country_id: u64,
    pub duplicates: String,
    pub double_opt_in: bool,
    pub created_at: String,
    pub fields: BTreeMap<String, Field>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Member {
    pub id: String,
    pub list_id: u64,
    /// Field values by name, as stored (text; `multi` as a JSON array).
    pub fields: BTreeMap<String, Value>,
    pub created_at: String,
    pub updated_at: String,
    pub unsubscribed_at: Option<String>,
    pub imported: bool,
}

/// The webhook format chosen in Heyloyalty's UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookStyle {
    /// `{"member_id","list_id","type","signature","member"}` (the default raw JSON).
    SnakeCase,
    /// `{"memberId","listId","refId","messageType","type","webhookId","queuedAt",…}`.
    CamelCase,
}

#[derive(Debug, Clone)]
pub struct Webhook {
    pub url: String,
    /// Basic auth sent to the receiver, when set.
    pub basic_auth: Option<(String, String)>,
    pub style: WebhookStyle,
}

/// One webhook call waiting to be sent (or sent).
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub list_id: u64,
    pub body: Value,
}

#[derive(Default)]
struct Store {
    config: Option<HeyloyaltyConfig>,
    lists: BTreeMap<u64, List>,
    members: BTreeMap<String, Member>,
    next_list: u64,
    next_field: u64,
    webhooks: BTreeMap<u64, Webhook>,
    outbox: VecDeque<Outgoing>,
    auto_deliver: bool,
    /// Arrival times of recent requests, for the 429.
    recent: VecDeque<Instant>,
    window: Duration,
    limit: usize,
    limits_lifted: bool,
    failures_left: u32,
    fail_status: u16,
    /// Requests answered, as "METHOD route" (e.g. "PATCH member").
    requests: Vec<(String, u16)>,
    seq: u64,
    /// Waited before each request is handled (a slow API; a client may be killed meanwhile).
    delay: Duration,
}

/// In-process control of the Heyloyalty fake. Cheap to clone.
#[derive(Clone)]
pub struct HeyloyaltyHandle {
    store: Arc<Mutex<Store>>,
}

pub fn build(
    config: HeyloyaltyConfig,
    time_scale: f64,
    limits_lifted: bool,
) -> (HeyloyaltyHandle, Router) {
    let scale = if time_scale > 0.0 { time_scale } else { 1.0 };
    let store = Store {
        limit: config.requests_per_second.max(1) as usize,
        window: Duration::from_secs_f64(1.0 / scale),
        config: Some(config),
        next_list: 4000,
        next_field: 100,
        limits_lifted,
        ..Default::default()
    };
    let handle = HeyloyaltyHandle {
        store: Arc::new(Mutex::new(store)),
    };
    let router = Router::new().fallback(dispatch).with_state(handle.clone());
    (handle, router)
}

/// The Basic password Heyloyalty expects for `timestamp`: base64 of the lowercase hex HMAC.
pub fn signature(secret: &str, timestamp: &str) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key");
    mac.update(timestamp.as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    base64::engine::general_purpose::STANDARD.encode(hex)
}

fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%d %H:%M:%S").to_string()
}

fn error(status: StatusCode, message: &str) -> Response {
    (
        status,
        axum::Json(json!({"code": status.as_u16(), "message": message})),
    )
        .into_response()
}

fn fixed_field(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "firstname" => ("text", "Fornavn"),
        "lastname" => ("text", "Efternavn"),
        "email" => ("text", "E-mail"),
        "mobile" => ("number", "Mobil"),
        "sex" => ("choice", "Køn"),
        "birthdate" => ("date", "Fødselsdag"),
        "address" => ("text", "Adresse"),
        "postalcode" => ("number", "Postnummer"),
        "city" => ("text", "By"),
        "country" => ("choice", "Land"),
        "password" => ("text", "Adgangskode"),
        "reference" => ("text", "Reference"),
        "shop" => ("text", "Shop"),
        _ => return None,
    })
}

impl Store {
    fn new_field(&mut self, spec: &Value) -> Result<Field, String> {
        let name = spec["name"]
            .as_str()
            .filter(|n| !n.is_empty())
            .ok_or("every field needs a name")?
            .to_string();
        let kind = spec["type"].as_str().unwrap_or("custom");
        let (format, label, options) = if kind == "fixed" {
            let (format, label) =
                fixed_field(&name).ok_or_else(|| format!("'{name}' is not a fixed field"))?;
            let options = match name.as_str() {
                "sex" => [("1", "Mand"), ("2", "Kvinde")]
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                "country" => COUNTRIES
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                _ => BTreeMap::new(),
            };
            (format.to_string(), label.to_string(), options)
        } else if kind == "custom" {
            let format = spec["format"].as_str().unwrap_or("text");
            if !["text", "number", "date", "boolean", "choice", "multi"].contains(&format) {
                return Err(format!("field '{name}': unknown format '{format}'"));
            }
            let mut options = BTreeMap::new();
            for o in spec["options"].as_array().into_iter().flatten() {
                self.next_field += 1;
                let label = o["label"].as_str().unwrap_or_default();
                options.insert(self.next_field.to_string(), label.to_string());
            }
            let label = spec["label"].as_str().unwrap_or(&name).to_string();
            (format.to_string(), label, options)
        } else {
            return Err(format!("field '{name}': type must be fixed or custom"));
        };
        self.next_field += 1;
        Ok(Field {
            id: self.next_field,
            kind: kind.to_string(),
            format,
            name,
            label,
            options,
        })
    }

    fn list_json(&self, list: &List) -> Value {
        let members = self
            .members
            .values()
            .filter(|m| m.list_id == list.id)
            .count();
        json!({
            "id": list.id,
            "name": list.name,
            "country_id": list.country_id,
            "duplicates": list.duplicates,
            "double_opt-in": if list.double_opt_in { "1" } else { "0" },
            "created_at": list.created_at,
            "members": members,
            "open_rate": 0,
            "click_rate": 0,
            "fields": list.fields,
        })
    }

    fn member_json(&self, m: &Member) -> Value {
        let list = self.lists.get(&m.list_id);
        let mut fields = Map::new();
        for (name, value) in &m.fields {
            let mut f = json!({ "value": value });
            if let Some(field) = list.and_then(|l| l.fields.get(name)) {
                if matches!(field.format.as_str(), "choice" | "multi") {
                    let ids: Vec<String> = match value {
                        Value::Array(a) => a
                            .iter()
                            .filter_map(|v| v.as_str().map(String::from))
                            .collect(),
                        Value::String(s) => vec![s.clone()],
                        _ => vec![],
                    };
                    let opts: Map<String, Value> = ids
                        .iter()
                        .filter_map(|id| field.options.get(id).map(|l| (id.clone(), json!(l))))
                        .collect();
                    f["options"] = Value::Object(opts);
                }
            }
            fields.insert(name.clone(), f);
        }
        let active = m.unsubscribed_at.is_none();
        json!({
            "id": m.id,
            "status": {
                "status": if active { "active" } else { "inactive" },
                "email": if active { "active" } else { "" },
                "mobile": "",
            },
            "created_at": m.created_at,
            "updated_at": m.updated_at,
            "unsubscribed_at": m.unsubscribed_at,
            "fields": fields,
            "sent_mail": 0,
            "sent_sms": 0,
            "open_rate": 0,
            "imported": m.imported,
        })
    }

    /// Checks `values` against the list's fields; returns them normalised.
    fn validate(
        &self,
        list: &List,
        values: &Map<String, Value>,
    ) -> Result<BTreeMap<String, Value>, String> {
        let mut out = BTreeMap::new();
        for (name, value) in values {
            let Some(field) = list.fields.get(name) else {
                return Err(format!("Field '{name}' does not exist on list {}", list.id));
            };
            let text = match value {
                Value::Null => {
                    out.insert(name.clone(), Value::Null);
                    continue;
                }
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => if *b { "1" } else { "0" }.to_string(),
                Value::Array(_) if field.format == "multi" => String::new(),
                _ => return Err(format!("Field '{name}': unsupported value {value}")),
            };
            let ok = match field.format.as_str() {
                "text" => text.chars().count() <= 255,
                "number" => text.is_empty() || text.parse::<i64>().is_ok(),
                "date" => {
                    text.is_empty() || chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d").is_ok()
                }
                "boolean" => text == "0" || text == "1",
                "choice" => text.is_empty() || field.options.contains_key(&text),
                "multi" => match value {
                    Value::Array(a) => a.iter().all(|v| {
                        v.as_str()
                            .map(|s| field.options.contains_key(s))
                            .unwrap_or(false)
                    }),
                    _ => field.options.contains_key(&text),
                },
                _ => true,
            };
            if !ok {
                return Err(format!(
                    "Field '{name}' has format {} and cannot take the value {value}",
                    field.format
                ));
            }
            let stored = match value {
                Value::Array(a) => Value::Array(a.clone()),
                _ => Value::String(text),
            };
            out.insert(name.clone(), stored);
        }
        Ok(out)
    }

    fn email_taken(&self, list: &List, email: &str, except: Option<&str>) -> bool {
        list.duplicates != "allow"
            && self.members.values().any(|m| {
                m.list_id == list.id
                    && m.unsubscribed_at.is_none()
                    && Some(m.id.as_str()) != except
                    && m.fields
                        .get("email")
                        .and_then(|v| v.as_str())
                        .is_some_and(|e| e.eq_ignore_ascii_case(email))
            })
    }

    fn new_member_id(&mut self) -> String {
        self.seq += 1;
        let r: u64 = rand::random();
        format!(
            "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
            (r >> 32) as u32,
            (r >> 16) as u16,
            self.seq & 0xfff,
            (r >> 4) & 0xfff,
            self.seq
        )
    }

    fn queue_webhook(&mut self, list_id: u64, kind: &str, member: &Member, gone: bool) {
        let Some(hook) = self.webhooks.get(&list_id).cloned() else {
            return;
        };
        let member_json = if gone {
            json!({"fields": {"email": {"value": member.fields.get("email")}}})
        } else {
            self.member_json(member)
        };
        self.seq += 1;
        let sig = format!("{:032x}", rand::random::<u128>());
        let body = match hook.style {
            WebhookStyle::SnakeCase => json!({
                "member_id": member.id,
                "list_id": list_id,
                "type": kind,
                "signature": sig,
                "member": member_json,
            }),
            WebhookStyle::CamelCase => json!({
                "memberId": member.id,
                "listId": list_id,
                "refId": null,
                "messageType": "member",
                "type": kind,
                "webhookId": self.seq,
                "queuedAt": now(),
                "signature": sig,
                "member": member_json,
            }),
        };
        self.outbox.push_back(Outgoing { list_id, body });
    }
}

impl HeyloyaltyHandle {
    pub fn api_key(&self) -> String {
        self.store
            .lock()
            .unwrap()
            .config
            .as_ref()
            .unwrap()
            .api_key
            .clone()
    }
    pub fn api_secret(&self) -> String {
        self.store
            .lock()
            .unwrap()
            .config
            .as_ref()
            .unwrap()
            .api_secret
            .clone()
    }
    pub fn lists(&self) -> Vec<List> {
        self.store.lock().unwrap().lists.values().cloned().collect()
    }
    pub fn list_by_name(&self, name: &str) -> Option<List> {
        self.store
            .lock()
            .unwrap()
            .lists
            .values()
            .find(|l| l.name == name)
            .cloned()
    }
    /// Creates a list as a user would in Heyloyalty's UI, with the given fixed fields.
    pub fn create_list(&self, name: &str, fixed: &[&str]) -> u64 {
        let mut st = self.store.lock().unwrap();
        st.next_list += 1;
        let id = st.next_list;
        let mut fields = BTreeMap::new();
        for f in fixed.iter().chain(["email"].iter()) {
            let field = st
                .new_field(&json!({"type": "fixed", "name": f}))
                .expect("fixed field");
            fields.insert(field.name.clone(), field);
        }
        let list = List {
            id,
            name: name.into(),
            country_id: 1,
            duplicates: "disallow".into(),
            double_opt_in: false,
            created_at: now(),
            fields,
        };
        st.lists.insert(id, list);
        id
    }
    pub fn members(&self, list_id: u64) -> Vec<Member> {
        let st = self.store.lock().unwrap();
        st.members
            .values()
            .filter(|m| m.list_id == list_id)
            .cloned()
            .collect()
    }
    pub fn all_members(&self) -> Vec<Member> {
        self.store
            .lock()
            .unwrap()
            .members
            .values()
            .cloned()
            .collect()
    }
    pub fn member(&self, id: &str) -> Option<Member> {
        self.store.lock().unwrap().members.get(id).cloned()
    }
    pub fn member_by_email(&self, list_id: u64, email: &str) -> Option<Member> {
        let st = self.store.lock().unwrap();
        st.members
            .values()
            .find(|m| {
                m.list_id == list_id
                    && m.fields
                        .get("email")
                        .and_then(|v| v.as_str())
                        .is_some_and(|e| e.eq_ignore_ascii_case(email))
            })
            .cloned()
    }

    /// A subscriber through a Heyloyalty form (or added by hand in the UI): a subscribe webhook.
    pub fn form_subscribe(&self, list_id: u64, values: Value) -> Result<String, String> {
        self.add_member(list_id, values, false)
    }

    /// A member from a bulk import: no webhook, `imported` set.
    pub fn import_member(&self, list_id: u64, values: Value) -> Result<String, String> {
        self.add_member(list_id, values, true)
    }

    fn add_member(&self, list_id: u64, values: Value, imported: bool) -> Result<String, String> {
        let mut st = self.store.lock().unwrap();
        let list = st.lists.get(&list_id).cloned().ok_or("no such list")?;
        let values = st.validate(&list, values.as_object().ok_or("values must be an object")?)?;
        let id = st.new_member_id();
        let m = Member {
            id: id.clone(),
            list_id,
            fields: values,
            created_at: now(),
            updated_at: now(),
            unsubscribed_at: None,
            imported,
        };
        st.members.insert(id.clone(), m.clone());
        if !imported {
            st.queue_webhook(list_id, "subscribe", &m, false);
        }
        Ok(id)
    }

    /// A change made in Heyloyalty (an update form, an edit in the UI): an update webhook.
    pub fn ui_update(&self, member_id: &str, values: Value) -> Result<(), String> {
        let mut st = self.store.lock().unwrap();
        let m = st.members.get(member_id).cloned().ok_or("no such member")?;
        let list = st.lists.get(&m.list_id).cloned().ok_or("no such list")?;
        let values = st.validate(&list, values.as_object().ok_or("values must be an object")?)?;
        let m = {
            let m = st.members.get_mut(member_id).unwrap();
            m.fields.extend(values);
            m.updated_at = now();
            m.clone()
        };
        st.queue_webhook(m.list_id, "update", &m, false);
        Ok(())
    }

    /// The member unsubscribes (a newsletter's unsubscribe link): an unsubscribe webhook.
    pub fn unsubscribe(&self, member_id: &str) -> Result<(), String> {
        let mut st = self.store.lock().unwrap();
        let m = {
            let m = st.members.get_mut(member_id).ok_or("no such member")?;
            m.unsubscribed_at = Some(now());
            m.updated_at = now();
            m.clone()
        };
        st.queue_webhook(m.list_id, "unsubscribe", &m, false);
        Ok(())
    }

    /// One member deleted by hand in Heyloyalty: an unsubscribe webhook for a member that is
    /// gone (re-reading it answers 404).
    pub fn delete_member(&self, member_id: &str) -> Result<(), String> {
        let mut st = self.store.lock().unwrap();
        let m = st.members.remove(member_id).ok_or("no such member")?;
        st.queue_webhook(m.list_id, "unsubscribe", &m, true);
        Ok(())
    }

    /// Several members deleted at once: Heyloyalty tells the shop nothing (the seed).
    pub fn bulk_delete(&self, member_ids: &[&str]) {
        let mut st = self.store.lock().unwrap();
        for id in member_ids {
            st.members.remove(*id);
        }
    }

    /// The list's webhook, as set up under Lists → Edit list → Webhooks.
    pub fn set_webhook(&self, list_id: u64, webhook: Webhook) {
        self.store.lock().unwrap().webhooks.insert(list_id, webhook);
    }

    /// Sends webhooks as soon as they are queued (for the demo), instead of on `flush`.
    pub fn set_auto_deliver(&self, on: bool) {
        self.store.lock().unwrap().auto_deliver = on;
    }

    /// Webhook calls waiting to be sent.
    pub fn outbox(&self) -> Vec<Outgoing> {
        self.store.lock().unwrap().outbox.iter().cloned().collect()
    }

    /// Sends every queued webhook call; returns each call's HTTP status (0 when unreachable).
    pub async fn flush_webhooks(&self) -> Vec<u16> {
        let mut out = Vec::new();
        let client = reqwest::Client::new();
        loop {
            let next = {
                let mut st = self.store.lock().unwrap();
                st.outbox
                    .pop_front()
                    .and_then(|o| st.webhooks.get(&o.list_id).cloned().map(|h| (o, h)))
            };
            let Some((outgoing, hook)) = next else { break };
            let mut req = client.post(&hook.url).json(&outgoing.body);
            if let Some((u, p)) = &hook.basic_auth {
                req = req.basic_auth(u, Some(p));
            }
            out.push(match req.send().await {
                Ok(r) => r.status().as_u16(),
                Err(_) => 0,
            });
        }
        out
    }

    /// Answers the next `n` requests with HTTP `status` (e.g. 503), changing nothing.
    pub fn fail_next(&self, n: u32, status: u16) {
        let mut st = self.store.lock().unwrap();
        st.failures_left = n;
        st.fail_status = status;
    }

    /// Waits this long before handling each request.
    pub fn set_delay(&self, delay: Duration) {
        self.store.lock().unwrap().delay = delay;
    }

    /// Every request answered, as ("METHOD route", status), oldest first.
    pub fn requests(&self) -> Vec<(String, u16)> {
        self.store.lock().unwrap().requests.clone()
    }

    /// Requests answered with `route` (e.g. "PATCH member") and a 2xx status.
    pub fn count(&self, route: &str) -> usize {
        self.store
            .lock()
            .unwrap()
            .requests
            .iter()
            .filter(|(r, s)| r == route && (200..300).contains(s))
            .count()
    }
}

fn authorized(st: &Store, headers: &HeaderMap) -> Result<(), &'static str> {
    let config = st.config.as_ref().unwrap();
    let ts = headers
        .get("x-request-timestamp")
        .and_then(|v| v.to_str().ok())
        .ok_or("Missing X-Request-Timestamp header")?;
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .ok_or("Missing Basic authentication")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(auth.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or("Malformed Basic authentication")?;
    let (key, password) = decoded
        .split_once(':')
        .ok_or("Malformed Basic authentication")?;
    if key != config.api_key {
        return Err("Invalid API key");
    }
    if password != signature(&config.api_secret, ts) {
        return Err("Invalid request signature");
    }
    Ok(())
}

/// The request body as an object: JSON, or `application/x-www-form-urlencoded`; the query
/// string's fields are added (Heyloyalty takes fields as query parameters too).
fn body_object(
    headers: &HeaderMap,
    body: &[u8],
    query: &[(String, String)],
) -> Result<Map<String, Value>, String> {
    let ctype = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut obj = if body.is_empty() {
        Map::new()
    } else if ctype.starts_with("application/x-www-form-urlencoded") {
        url::form_urlencoded::parse(body)
            .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
            .collect()
    } else {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(o)) => o,
            _ => return Err("The request body is not a JSON object".into()),
        }
    };
    for (k, v) in query {
        obj.entry(k.clone()).or_insert(Value::String(v.clone()));
    }
    Ok(obj)
}

async fn dispatch(
    State(h): State<HeyloyaltyHandle>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().trim_end_matches('/').to_string();
    let query: Vec<(String, String)> = uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .unwrap_or_default();
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let route = match segs.as_slice() {
        ["loyalty", "v1", "lists"] => "lists",
        ["loyalty", "v1", "lists", _] => "list",
        ["loyalty", "v2", "lists", _] => "list v2",
        ["loyalty", "v1", "lists", _, "members"] => "members",
        ["loyalty", "v1", "lists", _, "members", _] => "member",
        _ => "unknown",
    };
    let route_name = format!("{method} {route}");
    let delay = h.store.lock().unwrap().delay;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let response = {
        let mut st = h.store.lock().unwrap();
        handle(&mut st, &method, route, &segs, &headers, &body, &query)
    };
    let status = response.status().as_u16();
    let deliver = {
        let mut st = h.store.lock().unwrap();
        st.requests.push((route_name, status));
        st.auto_deliver && !st.outbox.is_empty()
    };
    if deliver {
        let h = h.clone();
        tokio::spawn(async move {
            h.flush_webhooks().await;
        });
    }
    response
}

fn handle(
    st: &mut Store,
    method: &Method,
    route: &str,
    segs: &[&str],
    headers: &HeaderMap,
    body: &[u8],
    query: &[(String, String)],
) -> Response {
    if !st.limits_lifted {
        let now = Instant::now();
        while st
            .recent
            .front()
            .is_some_and(|t| now.duration_since(*t) > st.window)
        {
            st.recent.pop_front();
        }
        if st.recent.len() >= st.limit {
            return error(StatusCode::TOO_MANY_REQUESTS, "Too many requests");
        }
        st.recent.push_back(now);
    }
    if let Err(msg) = authorized(st, headers) {
        return error(StatusCode::UNAUTHORIZED, msg);
    }
    if st.failures_left > 0 {
        st.failures_left -= 1;
        let status =
            StatusCode::from_u16(st.fail_status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
        return error(status, "Service temporarily unavailable");
    }
    let list_id = segs.get(3).and_then(|s| s.parse::<u64>().ok());
    if segs.len() > 3 && list_id.is_none() {
        return error(StatusCode::NOT_FOUND, "List not found");
    }
    let list = list_id.and_then(|id| st.lists.get(&id).cloned());
    if list_id.is_some() && list.is_none() && !(route == "list" && *method == Method::DELETE) {
        return error(StatusCode::NOT_FOUND, "List not found");
    }
    match (route, method.as_str()) {
        ("lists", "GET") => {
            let lists: Vec<Value> = st.lists.values().map(|l| st.list_json(l)).collect();
            axum::Json(Value::Array(lists)).into_response()
        }
        ("lists", "POST") => {
            let obj = match body_object(headers, body, &[]) {
                Ok(o) => o,
                Err(e) => return error(StatusCode::BAD_REQUEST, &e),
            };
            let Some(name) = obj
                .get("name")
                .and_then(|v| v.as_str())
                .filter(|n| !n.is_empty())
            else {
                return error(StatusCode::BAD_REQUEST, "name is required");
            };
            let mut fields = BTreeMap::new();
            let specs = obj
                .get("fields")
                .and_then(|f| f.as_array())
                .cloned()
                .unwrap_or_default();
            let email = json!({"type": "fixed", "name": "email", "format": "text"});
            for spec in std::iter::once(&email).chain(specs.iter()) {
                match st.new_field(spec) {
                    Ok(f) => {
                        fields.insert(f.name.clone(), f);
                    }
                    Err(e) => return error(StatusCode::BAD_REQUEST, &e),
                }
            }
            st.next_list += 1;
            let list = List {
                id: st.next_list,
                name: name.to_string(),
                country_id: obj
                    .get("country_id")
                    .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()))
                    .unwrap_or(1),
                duplicates: obj
                    .get("duplicates")
                    .and_then(|v| v.as_str())
                    .unwrap_or("disallow")
                    .to_string(),
                double_opt_in: obj.get("double_opt-in").and_then(|v| v.as_str()) == Some("1"),
                created_at: now(),
                fields,
            };
            let out = st.list_json(&list);
            st.lists.insert(list.id, list);
            (StatusCode::CREATED, axum::Json(out)).into_response()
        }
        ("list", "GET") => axum::Json(st.list_json(list.as_ref().unwrap())).into_response(),
        ("list", "DELETE") => match list_id.and_then(|id| st.lists.remove(&id)) {
            Some(l) => {
                st.members.retain(|_, m| m.list_id != l.id);
                StatusCode::NO_CONTENT.into_response()
            }
            None => error(StatusCode::NOT_FOUND, "List not found"),
        },
        ("list v2", "PATCH") => {
            let obj = match body_object(headers, body, &[]) {
                Ok(o) => o,
                Err(e) => return error(StatusCode::BAD_REQUEST, &e),
            };
            let Some(specs) = obj.get("fields").and_then(|f| f.as_array()).cloned() else {
                return error(StatusCode::BAD_REQUEST, "fields is required");
            };
            let mut list = list.unwrap();
            for spec in &specs {
                let name = spec["name"].as_str().unwrap_or_default();
                if let Some(existing) = list.fields.get(name).cloned() {
                    let format = spec["format"].as_str().unwrap_or(&existing.format);
                    if format != existing.format {
                        let has_data = st.members.values().any(|m| {
                            m.list_id == list.id && m.fields.get(name).is_some_and(|v| !v.is_null())
                        });
                        if has_data {
                            return error(
                                StatusCode::BAD_REQUEST,
                                &format!("Field '{name}' holds data; its format cannot change from {} to {format}", existing.format),
                            );
                        }
                    }
                    let mut f = existing.clone();
                    f.format = format.to_string();
                    if let Some(label) = spec["label"].as_str() {
                        f.label = label.to_string();
                    }
                    for o in spec["options"].as_array().into_iter().flatten() {
                        let label = o["label"].as_str().unwrap_or_default();
                        if !f.options.values().any(|l| l == label) {
                            st.next_field += 1;
                            f.options
                                .insert(st.next_field.to_string(), label.to_string());
                        }
                    }
                    list.fields.insert(name.to_string(), f);
                } else {
                    match st.new_field(spec) {
                        Ok(f) => {
                            list.fields.insert(f.name.clone(), f);
                        }
                        Err(e) => return error(StatusCode::BAD_REQUEST, &e),
                    }
                }
            }
            let out = st.list_json(&list);
            st.lists.insert(list.id, list);
            axum::Json(out).into_response()
        }
        ("members", "GET") => {
            let list = list.unwrap();
            let get = |k: &str| query.iter().find(|(q, _)| q == k).map(|(_, v)| v.as_str());
            let page: usize = match get("page").map(str::parse) {
                None => 1,
                Some(Ok(p)) if p >= 1 => p,
                _ => return error(StatusCode::BAD_REQUEST, "page must be a positive integer"),
            };
            let perpage: usize = match get("perpage").map(str::parse) {
                None => 50,
                Some(Ok(p)) if (1..=5000).contains(&p) => p,
                _ => {
                    return error(
                        StatusCode::BAD_REQUEST,
                        "perpage must be between 1 and 5000",
                    )
                }
            };
            // filter[<field>][eq][]=<value>; other operators are not used by shopsync.
            let mut filters: Vec<(String, String, String)> = Vec::new();
            for (k, v) in query {
                if let Some(rest) = k.strip_prefix("filter[") {
                    let parts: Vec<&str> =
                        rest.split(['[', ']']).filter(|s| !s.is_empty()).collect();
                    if parts.len() < 2 {
                        return error(StatusCode::BAD_REQUEST, &format!("Malformed filter {k}"));
                    }
                    if !["eq", "neq"].contains(&parts[1]) {
                        return error(
                            StatusCode::BAD_REQUEST,
                            &format!("The fake supports only eq/neq filters, not {}", parts[1]),
                        );
                    }
                    filters.push((parts[0].to_string(), parts[1].to_string(), v.clone()));
                }
            }
            let mut matching: Vec<&Member> = st
                .members
                .values()
                .filter(|m| m.list_id == list.id)
                .filter(|m| {
                    filters.iter().all(|(f, op, v)| {
                        let val = m.fields.get(f).and_then(|x| x.as_str()).unwrap_or("");
                        let eq = val.eq_ignore_ascii_case(v);
                        if op == "eq" {
                            eq
                        } else {
                            !eq
                        }
                    })
                })
                .collect();
            matching.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
            let members: Vec<Value> = matching
                .into_iter()
                .skip((page - 1) * perpage)
                .take(perpage)
                .map(|m| st.member_json(m))
                .collect();
            axum::Json(json!({ "members": members })).into_response()
        }
        ("members", "POST") => {
            let list = list.unwrap();
            let mut obj = match body_object(headers, body, query) {
                Ok(o) => o,
                Err(e) => return error(StatusCode::BAD_REQUEST, &e),
            };
            obj.remove("skipOptIn");
            let email = obj
                .get("email")
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string();
            if email.is_empty() && obj.get("mobile").is_none() {
                return error(StatusCode::BAD_REQUEST, "email or mobile is required");
            }
            if !email.is_empty() && st.email_taken(&list, &email, None) {
                return error(
                    StatusCode::BAD_REQUEST,
                    "A member with this email already exists on the list",
                );
            }
            let values = match st.validate(&list, &obj) {
                Ok(v) => v,
                Err(e) => return error(StatusCode::BAD_REQUEST, &e),
            };
            let id = st.new_member_id();
            let m = Member {
                id: id.clone(),
                list_id: list.id,
                fields: values,
                created_at: now(),
                updated_at: now(),
                unsubscribed_at: None,
                imported: false,
            };
            st.members.insert(id.clone(), m.clone());
            st.queue_webhook(list.id, "subscribe", &m, false);
            (StatusCode::CREATED, axum::Json(json!({ "id": id }))).into_response()
        }
        ("member", _) => {
            let list = list.unwrap();
            let member_id = segs[5];
            let Some(existing) = st
                .members
                .get(member_id)
                .filter(|m| m.list_id == list.id)
                .cloned()
            else {
                return error(StatusCode::NOT_FOUND, "Member not found");
            };
            match method.as_str() {
                "GET" => axum::Json(st.member_json(&existing)).into_response(),
                "DELETE" => {
                    st.members.remove(member_id);
                    st.queue_webhook(list.id, "unsubscribe", &existing, true);
                    StatusCode::NO_CONTENT.into_response()
                }
                "PUT" | "PATCH" => {
                    let obj = match body_object(headers, body, query) {
                        Ok(o) => o,
                        Err(e) => return error(StatusCode::BAD_REQUEST, &e),
                    };
                    if let Some(email) = obj.get("email").and_then(|v| v.as_str()) {
                        if st.email_taken(&list, email, Some(member_id)) {
                            return error(
                                StatusCode::BAD_REQUEST,
                                "A member with this email already exists on the list",
                            );
                        }
                    }
                    let values = match st.validate(&list, &obj) {
                        Ok(v) => v,
                        Err(e) => return error(StatusCode::BAD_REQUEST, &e),
                    };
                    let m = {
                        let m = st.members.get_mut(member_id).unwrap();
                        if *method == Method::PUT {
                            m.fields.retain(|k, _| k == "email" || k == "mobile");
                        }
                        m.fields.extend(values);
                        // The trap: updating an unsubscribed member re-subscribes it.
                        m.unsubscribed_at = None;
                        m.updated_at = now();
                        m.clone()
                    };
                    st.queue_webhook(list.id, "update", &m, false);
                    StatusCode::NO_CONTENT.into_response()
                }
                _ => error(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed"),
            }
        }
        _ => error(StatusCode::NOT_FOUND, "Not found"),
    }
}
