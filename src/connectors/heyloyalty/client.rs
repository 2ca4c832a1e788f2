//! Heyloyalty REST v1 (and the v2 list PATCH): signed requests, pacing, back-off on 429/5xx.
//!
//! Facts: `../shared/api-notes/platforms.md` §1. Every request carries `X-Request-Timestamp`
//! (RFC 1123, fresh per request) and Basic auth with the API key and base64(lowercase hex of
//! HMAC-SHA256(secret, timestamp)). Writes are JSON, reads use the query string.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use base64::Engine;
use hmac::{KeyInit, Mac};
use serde_json::{json, Map, Value};

use crate::error::CliError;
use crate::secret::Secret;

/// The API's home when the profile names no `base_url`.
pub const BASE_URL: &str = "https://api.heyloyalty.com/loyalty";
/// No rate limit is documented: a few requests per second, and back off on 429/5xx.
pub const DEFAULT_REQUESTS_PER_SECOND: f64 = 4.0;
/// Members per page (the API's maximum is 5000).
const PER_PAGE: usize = 1000;

/// The Basic-auth password for `timestamp`: base64 of the lowercase hex HMAC-SHA256.
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

/// The `Authorization` header value for `timestamp`.
pub fn authorization(key: &str, secret: &str, timestamp: &str) -> String {
    let pair = format!("{key}:{}", signature(secret, timestamp));
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

/// A list field as `GET /lists/{id}` describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldInfo {
    pub format: String,
    /// Option id -> label, for `choice` and `multi`.
    pub options: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
pub struct ListInfo {
    pub id: u64,
    pub name: String,
    pub fields: BTreeMap<String, FieldInfo>,
}

/// A field to add to a list (`POST /lists`, `PATCH /loyalty/v2/lists/{id}`).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSpec {
    pub fixed: bool,
    pub name: String,
    pub label: String,
    pub format: String,
}

impl FieldSpec {
    fn json(&self) -> Value {
        if self.fixed {
            json!({"type": "fixed", "name": self.name, "format": self.format})
        } else {
            json!({"type": "custom", "name": self.name, "label": self.label, "format": self.format})
        }
    }
}

#[derive(Default)]
pub struct Stats {
    pub requests: AtomicU64,
    pub throttled: AtomicU64,
}

pub struct HeyloyaltyClient {
    http: reqwest::Client,
    base: String,
    key: Secret,
    secret: Secret,
    interval: Duration,
    next: tokio::sync::Mutex<Instant>,
    pub stats: Stats,
}

/// What went wrong talking to Heyloyalty.
#[derive(Debug)]
pub enum HlError {
    /// The API answered with an error status.
    Api {
        status: u16,
        message: String,
    },
    Network(String),
}

impl std::fmt::Display for HlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HlError::Api { status, message } => {
                write!(f, "Heyloyalty answered {status}: {message}")
            }
            HlError::Network(e) => write!(f, "Heyloyalty could not be reached: {e}"),
        }
    }
}

impl HlError {
    pub fn status(&self) -> Option<u16> {
        match self {
            HlError::Api { status, .. } => Some(*status),
            HlError::Network(_) => None,
        }
    }

    /// Errors that stop a run (every other call would fail the same way).
    pub fn is_fatal(&self) -> bool {
        matches!(self.status(), Some(401 | 403) | None)
    }
}

impl From<HlError> for CliError {
    fn from(e: HlError) -> CliError {
        match e.status() {
            Some(401) => CliError::config(format!("{e} (the API key or secret is wrong)")).hint(
                "store the right ones with `shopsync auth set PROFILE heyloyalty-key` and \
                 `shopsync auth set PROFILE heyloyalty-secret` (Heyloyalty: Account > Integrations > API)",
            ),
            _ => CliError::run(e.to_string()),
        }
    }
}

impl HeyloyaltyClient {
    pub fn new(base: &str, key: Secret, secret: Secret, requests_per_second: f64) -> Self {
        let rps = if requests_per_second > 0.0 {
            requests_per_second
        } else {
            DEFAULT_REQUESTS_PER_SECOND
        };
        HeyloyaltyClient {
            http: crate::http::client(),
            base: base.trim_end_matches('/').to_string(),
            key,
            secret,
            interval: Duration::from_secs_f64(1.0 / rps),
            next: tokio::sync::Mutex::new(Instant::now()),
            stats: Stats::default(),
        }
    }

    async fn pace(&self) {
        let mut next = self.next.lock().await;
        let now = Instant::now();
        if *next > now {
            tokio::time::sleep(*next - now).await;
        }
        *next = Instant::now().max(*next) + self.interval;
    }

    /// Sends one request (retrying 429, 5xx and network errors with back-off); the answer's
    /// JSON body (`Null` when empty).
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        query: &[(String, String)],
        body: Option<&Value>,
    ) -> Result<Value, HlError> {
        let url = format!("{}{path}", self.base);
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.pace().await;
            let ts = chrono::Utc::now()
                .format("%a, %d %b %Y %H:%M:%S GMT")
                .to_string();
            let mut req = self
                .http
                .request(method.clone(), &url)
                .header("X-Request-Timestamp", &ts)
                .header(
                    "Authorization",
                    authorization(self.key.expose(), self.secret.expose(), &ts),
                )
                .header("Accept", "application/json");
            if !query.is_empty() {
                req = req.query(query);
            }
            if let Some(b) = body {
                req = req.json(b);
            }
            self.stats.requests.fetch_add(1, Ordering::Relaxed);
            let (retry, wait, err) = match req.send().await {
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let after = crate::http::retry_after(resp.headers());
                    let text = resp.text().await.unwrap_or_default();
                    if (200..300).contains(&status) {
                        return Ok(serde_json::from_str(&text).unwrap_or(Value::Null));
                    }
                    let message = serde_json::from_str::<Value>(&text)
                        .ok()
                        .and_then(|v| v["message"].as_str().map(str::to_string))
                        .unwrap_or_else(|| text.chars().take(200).collect());
                    if status == 429 {
                        self.stats.throttled.fetch_add(1, Ordering::Relaxed);
                    }
                    (
                        status == 429 || status >= 500,
                        after,
                        HlError::Api { status, message },
                    )
                }
                Err(e) => (true, None, HlError::Network(e.without_url().to_string())),
            };
            if !retry || attempt >= crate::http::MAX_ATTEMPTS {
                return Err(err);
            }
            let backoff = crate::http::retry_base_delay() * (1u32 << attempt.min(7));
            let wait = wait.unwrap_or(backoff).min(Duration::from_secs(60));
            tracing::debug!("Heyloyalty {path}: {err}; retrying in {wait:?}");
            tokio::time::sleep(wait).await;
        }
    }

    pub async fn lists(&self) -> Result<Vec<(u64, String)>, HlError> {
        let v = self
            .send(reqwest::Method::GET, "/v1/lists", &[], None)
            .await?;
        Ok(v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|l| Some((id_of(&l["id"])?, l["name"].as_str()?.to_string())))
            .collect())
    }

    pub async fn list(&self, id: u64) -> Result<ListInfo, HlError> {
        let v = self
            .send(reqwest::Method::GET, &format!("/v1/lists/{id}"), &[], None)
            .await?;
        Ok(parse_list(&v, id))
    }

    pub async fn create_list(&self, name: &str, fields: &[FieldSpec]) -> Result<ListInfo, HlError> {
        let body = json!({
            "name": name,
            "country_id": 1,
            "duplicates": "disallow",
            "double_opt-in": "0",
            "fields": fields.iter().map(FieldSpec::json).collect::<Vec<_>>(),
        });
        let v = self
            .send(reqwest::Method::POST, "/v1/lists", &[], Some(&body))
            .await?;
        let id = id_of(&v["id"]).ok_or_else(|| HlError::Api {
            status: 200,
            message: "the new list's answer has no id".into(),
        })?;
        if v["fields"].is_object() {
            Ok(parse_list(&v, id))
        } else {
            self.list(id).await
        }
    }

    /// Adds (or updates) fields without replacing the list.
    pub async fn add_fields(&self, list: u64, fields: &[FieldSpec]) -> Result<(), HlError> {
        let body = json!({"fields": fields.iter().map(FieldSpec::json).collect::<Vec<_>>()});
        self.send(
            reqwest::Method::PATCH,
            &format!("/v2/lists/{list}"),
            &[],
            Some(&body),
        )
        .await
        .map(|_| ())
    }

    /// Every member of the list, page by page.
    pub async fn members(&self, list: u64) -> Result<Vec<Value>, HlError> {
        let mut out = Vec::new();
        for page in 1.. {
            let q = vec![
                ("page".to_string(), page.to_string()),
                ("perpage".to_string(), PER_PAGE.to_string()),
                ("orderby".to_string(), "created_at".to_string()),
                ("order".to_string(), "1".to_string()),
            ];
            let v = self
                .send(
                    reqwest::Method::GET,
                    &format!("/v1/lists/{list}/members"),
                    &q,
                    None,
                )
                .await?;
            let members = v["members"].as_array().cloned().unwrap_or_default();
            let n = members.len();
            out.extend(members);
            if n < PER_PAGE {
                break;
            }
        }
        Ok(out)
    }

    /// The member, or `None` when it is gone (404).
    pub async fn member(&self, list: u64, id: &str) -> Result<Option<Value>, HlError> {
        match self
            .send(
                reqwest::Method::GET,
                &format!("/v1/lists/{list}/members/{id}"),
                &[],
                None,
            )
            .await
        {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.status() == Some(404) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Members of the list with this e-mail (an empty list or a 404 means none).
    pub async fn members_by_email(&self, list: u64, email: &str) -> Result<Vec<Value>, HlError> {
        let q = vec![("filter[email][eq][]".to_string(), email.to_string())];
        match self
            .send(
                reqwest::Method::GET,
                &format!("/v1/lists/{list}/members"),
                &q,
                None,
            )
            .await
        {
            Ok(v) => Ok(v["members"].as_array().cloned().unwrap_or_default()),
            Err(e) if e.status() == Some(404) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    pub async fn create_member(
        &self,
        list: u64,
        values: &Map<String, Value>,
    ) -> Result<String, HlError> {
        let v = self
            .send(
                reqwest::Method::POST,
                &format!("/v1/lists/{list}/members"),
                &[],
                Some(&Value::Object(values.clone())),
            )
            .await?;
        v["id"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| HlError::Api {
                status: 201,
                message: "the new member's answer has no id".into(),
            })
    }

    /// Updates the given fields only. Never call this for an unsubscribed member: Heyloyalty
    /// re-subscribes it.
    pub async fn patch_member(
        &self,
        list: u64,
        id: &str,
        values: &Map<String, Value>,
    ) -> Result<(), HlError> {
        self.send(
            reqwest::Method::PATCH,
            &format!("/v1/lists/{list}/members/{id}"),
            &[],
            Some(&Value::Object(values.clone())),
        )
        .await
        .map(|_| ())
    }

    pub async fn delete_member(&self, list: u64, id: &str) -> Result<(), HlError> {
        match self
            .send(
                reqwest::Method::DELETE,
                &format!("/v1/lists/{list}/members/{id}"),
                &[],
                None,
            )
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if e.status() == Some(404) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

fn id_of(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| v.as_str()?.parse().ok())
}

fn parse_list(v: &Value, id: u64) -> ListInfo {
    let mut fields = BTreeMap::new();
    if let Some(obj) = v["fields"].as_object() {
        for (name, f) in obj {
            let options = f["options"]
                .as_object()
                .map(|o| {
                    o.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                        .collect()
                })
                .unwrap_or_default();
            let name = f["name"].as_str().unwrap_or(name).to_string();
            fields.insert(
                name,
                FieldInfo {
                    format: f["format"].as_str().unwrap_or("text").to_string(),
                    options,
                },
            );
        }
    }
    ListInfo {
        id,
        name: v["name"].as_str().unwrap_or_default().to_string(),
        fields,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `../shared/api-notes/platforms/auth_test_vectors.json`, `heyloyalty`.
    #[test]
    fn signature_matches_the_vector() {
        let ts = "Fri, 24 May 2013 13:16:26 GMT";
        assert_eq!(
            signature("API_SECRET", ts),
            "MjgwYTMxNTM2NjkwMzRmMTM0NTUyZWRkOTNkMzVhNmQ2OGZlNGFjM2MwNzg1ZGQ3MmU0YzdiNGRmODJiNjI3Mg=="
        );
        assert_eq!(
            authorization("my-api-key", "API_SECRET", ts),
            "Basic bXktYXBpLWtleTpNamd3WVRNeE5UTTJOamt3TXpSbU1UTTBOVFV5WldSa09UTmtNelZoTm1RMk9HWmxOR0ZqTTJNd056ZzFaR1EzTW1VMFl6ZGlOR1JtT0RKaU5qSTNNZz09"
        );
    }
}
