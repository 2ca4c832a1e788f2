//! HTTP to the Spotler Mail+ REST API: signing, retries, errors, the contact calls, the
//! property catalogue and the updates/bounces feeds.
//!
//! Facts (`../shared/api-notes/platforms.md` §2): base
//! `https://restapi.mailplus.nl/integrationservice-1.1.0`; OAuth 1.0a one leg on every request;
//! errors `{"errorType", "message"}`; 401/403 is a wrong key or secret; 400 and 404 are this
//! request's fault and are not retried; everything else is retried (429 waits as asked: the rate
//! limit is undocumented [?]).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::{json, Value};

use super::oauth;
use crate::http::{self, Attempt, RetryError};
use crate::secret::{self, Secret};

pub const DEFAULT_BASE_URL: &str = "https://restapi.mailplus.nl/integrationservice-1.1.0";

/// The feeds' page size (the API allows up to 10000).
const FEED_PAGE: usize = 1000;

#[derive(Debug, thiserror::Error)]
pub enum SpotlerError {
    #[error("Spotler refused the consumer key or secret (HTTP {status} {error_type}: {message})")]
    Auth {
        status: u16,
        error_type: String,
        message: String,
    },
    /// This request's fault (400, 404): the record is reported, the run goes on.
    #[error("Spotler refused {method} {path} (HTTP {status} {error_type}): {message}")]
    Refused {
        method: &'static str,
        path: String,
        status: u16,
        error_type: String,
        message: String,
    },
    #[error("Spotler at {url} could not be reached: {detail}")]
    Unreachable { url: String, detail: String },
    #[error("Spotler answered {path} with something unexpected: {detail}")]
    Malformed { path: String, detail: String },
}

impl SpotlerError {
    pub fn error_type(&self) -> Option<&str> {
        match self {
            SpotlerError::Refused { error_type, .. } => Some(error_type),
            _ => None,
        }
    }
}

impl From<SpotlerError> for crate::error::CliError {
    fn from(e: SpotlerError) -> Self {
        use crate::error::CliError;
        let message = secret::redact(&e.to_string());
        match e {
            SpotlerError::Auth { .. } => CliError::config(message).hint(
                "store the consumer key and secret from Spotler (Mail+ > Settings > API) with \
                 `shopsync auth set PROFILE spotler-key` and `spotler-secret`, or set \
                 SHOPSYNC_<PROFILE>_SPOTLER_KEY_TOKEN and SHOPSYNC_<PROFILE>_SPOTLER_SECRET_TOKEN",
            ),
            SpotlerError::Unreachable { .. } => CliError::run(message).hint(
                "check the network and `base_url` in the profile's [spotler] table; the run can simply be started again",
            ),
            _ => CliError::run(message),
        }
    }
}

#[derive(Debug, Default)]
pub struct SpotlerStats {
    pub requests: AtomicU64,
    pub throttled: AtomicU64,
}

pub struct SpotlerClient {
    http: reqwest::Client,
    base: String,
    key: Secret,
    secret: Secret,
    pub stats: SpotlerStats,
}

#[derive(Clone, Copy)]
pub enum Method {
    Get,
    Post,
    Put,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
        }
    }
}

/// One property of the account's catalogue (`GET /contact/properties/list`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Property {
    pub name: String,
    pub description: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// For `set` properties (the permissions): (bit, description).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub entries: Vec<(i64, String)>,
}

/// One item of the bounces feed.
#[derive(Debug, Clone)]
pub struct Bounce {
    pub external_id: String,
    pub hard: bool,
    pub date: String,
}

/// One contact's result in a `POST /contact/list` batch.
#[derive(Debug, Clone)]
pub struct ItemResult {
    pub external_id: String,
    pub code: String,
    pub message: String,
}

impl SpotlerClient {
    pub fn new(base_url: &str, key: Secret, secret: Secret) -> SpotlerClient {
        SpotlerClient {
            http: http::client(),
            base: base_url.trim_end_matches('/').to_string(),
            key,
            secret,
            stats: SpotlerStats::default(),
        }
    }

    /// Sends one signed request; `Ok(None)` for an empty answer (204).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
    ) -> Result<Option<Value>, SpotlerError> {
        let mut url = url::Url::parse(&format!("{}{path}", self.base)).map_err(|e| {
            SpotlerError::Malformed {
                path: path.into(),
                detail: e.to_string(),
            }
        })?;
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        let result = http::retry(|_| {
            let url = url.clone();
            async move {
                self.stats.requests.fetch_add(1, Ordering::Relaxed);
                tracing::debug!("{} {}", method.as_str(), url.path());
                // A new nonce and timestamp per attempt: Spotler refuses a nonce seen before.
                let nonce = format!("{:032x}", rand::random::<u128>());
                let ts = chrono::Utc::now().timestamp().to_string();
                let auth = oauth::authorization(
                    method.as_str(),
                    &url,
                    self.key.expose(),
                    self.secret.expose(),
                    &nonce,
                    &ts,
                );
                let mut request = match method {
                    Method::Get => self.http.get(url.clone()),
                    Method::Post => self.http.post(url.clone()),
                    Method::Put => self.http.put(url.clone()),
                }
                .header("Authorization", auth)
                .header("Accept", "application/json");
                if let Some(b) = body {
                    request = request.json(b);
                }
                let reply = match http::exchange(request).await {
                    Ok(r) => r,
                    Err(no) => return no.retry(),
                };
                let status = reply.status;
                let retry_after = http::retry_after(&reply.headers);
                let text = reply.text;
                if status == 429 {
                    self.stats.throttled.fetch_add(1, Ordering::Relaxed);
                    return Attempt::Retry {
                        wait: Some(retry_after.unwrap_or(Duration::from_secs(1))),
                        reason: "HTTP 429".into(),
                    };
                }
                if status >= 500 || status == 408 {
                    return Attempt::Retry {
                        wait: None,
                        reason: format!("HTTP {status}"),
                    };
                }
                let parsed: Option<Value> = serde_json::from_str(&text).ok();
                let (error_type, message) = match &parsed {
                    Some(v) => (
                        v["errorType"].as_str().unwrap_or("").to_string(),
                        secret::redact(
                            v["message"]
                                .as_str()
                                .unwrap_or(&text.chars().take(200).collect::<String>()),
                        ),
                    ),
                    None => (
                        String::new(),
                        secret::redact(&text.chars().take(200).collect::<String>()),
                    ),
                };
                if status == 401 || status == 403 {
                    return Attempt::Fail(SpotlerError::Auth {
                        status,
                        error_type,
                        message,
                    });
                }
                if !(200..300).contains(&status) {
                    return Attempt::Fail(SpotlerError::Refused {
                        method: method.as_str(),
                        path: path.to_string(),
                        status,
                        error_type,
                        message,
                    });
                }
                if text.trim().is_empty() {
                    return Attempt::Done(None);
                }
                match parsed {
                    Some(v) => Attempt::Done(Some(v)),
                    None => Attempt::Retry {
                        wait: None,
                        reason: "the answer was not complete JSON".into(),
                    },
                }
            }
        })
        .await;
        match result {
            Ok(v) => Ok(v),
            Err(RetryError::Fatal(e)) => Err(e),
            Err(RetryError::Exhausted { last, .. }) => Err(SpotlerError::Unreachable {
                url: self.base.clone(),
                detail: last,
            }),
        }
    }

    /// The account's contact properties, with the permission bits.
    pub async fn properties(&self) -> Result<Vec<Property>, SpotlerError> {
        let path = "/contact/properties/list";
        let v = self.call(Method::Get, path, &[], None).await?;
        let Some(Value::Array(items)) = v else {
            return Err(SpotlerError::Malformed {
                path: path.into(),
                detail: "not a list of properties".into(),
            });
        };
        Ok(items
            .iter()
            .filter_map(|p| {
                Some(Property {
                    name: p["name"].as_str()?.to_string(),
                    description: p["description"].as_str().unwrap_or("").to_string(),
                    kind: p["type"].as_str().unwrap_or("string").to_string(),
                    entries: p["entries"]
                        .as_array()
                        .map(|e| {
                            e.iter()
                                .filter_map(|x| {
                                    Some((
                                        x["bit"].as_i64()?,
                                        x["description"].as_str().unwrap_or("").to_string(),
                                    ))
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                })
            })
            .collect())
    }

    /// The contact with this external id, or None.
    pub async fn contact(&self, external_id: &str) -> Result<Option<Value>, SpotlerError> {
        let path = format!("/contact/{}", oauth::pct(external_id));
        match self.call(Method::Get, &path, &[], None).await {
            Ok(v) => Ok(v),
            Err(SpotlerError::Refused { status: 404, .. }) => Ok(None),
            Err(e) if e.error_type() == Some("CONTACT_NOT_FOUND") => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Creates or updates one contact (`POST /contact` with `update: true`, merged, not purged).
    pub async fn upsert(&self, contact: &Value) -> Result<(), SpotlerError> {
        let body = json!({"update": true, "purge": false, "contact": contact});
        self.call(Method::Post, "/contact", &[], Some(&body))
            .await
            .map(|_| ())
    }

    /// Updates an existing contact (`PUT /contact/{externalId}`).
    pub async fn update(&self, external_id: &str, contact: &Value) -> Result<(), SpotlerError> {
        let body = json!({"update": true, "purge": false, "contact": contact});
        let path = format!("/contact/{}", oauth::pct(external_id));
        self.call(Method::Put, &path, &[], Some(&body))
            .await
            .map(|_| ())
    }

    /// Creates or updates many contacts in one `POST /contact/list`: one result per contact.
    pub async fn upsert_batch(&self, contacts: &[Value]) -> Result<Vec<ItemResult>, SpotlerError> {
        let path = "/contact/list";
        let body = json!({"update": true, "purge": false, "contacts": contacts});
        let v = self.call(Method::Post, path, &[], Some(&body)).await?;
        let items = match &v {
            Some(Value::Array(a)) => a.clone(),
            Some(o) if o["results"].is_array() => {
                o["results"].as_array().cloned().unwrap_or_default()
            }
            _ => {
                return Err(SpotlerError::Malformed {
                    path: path.into(),
                    detail: "no per-contact results".into(),
                })
            }
        };
        Ok(items
            .iter()
            .map(|i| ItemResult {
                external_id: i["externalId"].as_str().unwrap_or("").to_string(),
                code: i["code"].as_str().unwrap_or("ERROR").to_string(),
                message: i["message"].as_str().unwrap_or("").to_string(),
            })
            .collect())
    }

    /// Contacts changed in [from, to) (`yyyy-mm-ddThh:mm:ss`), every page. Accepts a plain
    /// array or `{contacts, paging:{next}}`.
    pub async fn updates(&self, from: &str, to: &str) -> Result<Vec<Value>, SpotlerError> {
        self.feed("/contact/updates/list", "contacts", from, to)
            .await
    }

    /// Bounces in [from, to), every page.
    pub async fn bounces(&self, from: &str, to: &str) -> Result<Vec<Bounce>, SpotlerError> {
        let items = self
            .feed("/contact/bounces/list", "bounces", from, to)
            .await?;
        Ok(items
            .iter()
            .filter_map(|b| {
                Some(Bounce {
                    external_id: b["contact"]["externalId"].as_str()?.to_string(),
                    hard: b["type"] == "HARDBOUNCE",
                    date: match &b["date"] {
                        Value::String(s) => s.clone(),
                        Value::Number(n) => n
                            .as_i64()
                            .and_then(chrono::DateTime::from_timestamp_millis)
                            .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                            .unwrap_or_default(),
                        _ => String::new(),
                    },
                })
            })
            .collect())
    }

    async fn feed(
        &self,
        path: &str,
        key: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<Value>, SpotlerError> {
        let mut out = Vec::new();
        let mut after = 0usize;
        loop {
            let query = [
                ("fromDate", from.to_string()),
                ("toDate", to.to_string()),
                ("after", after.to_string()),
                ("pageSize", FEED_PAGE.to_string()),
            ];
            let page = self.call(Method::Get, path, &query, None).await?;
            let (items, has_next) = match page {
                Some(Value::Array(a)) => (a, None),
                Some(Value::Object(o)) => {
                    let items = o
                        .get(key)
                        .or_else(|| o.get("contacts"))
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    let next = o
                        .get("paging")
                        .map(|p| p.get("next").is_some_and(|n| !n.is_null()));
                    (items, next)
                }
                None => (Vec::new(), None),
                Some(other) => {
                    return Err(SpotlerError::Malformed {
                        path: path.into(),
                        detail: format!(
                            "expected a list, got {}",
                            other.to_string().chars().take(80).collect::<String>()
                        ),
                    })
                }
            };
            let n = items.len();
            out.extend(items);
            after += n;
            if n < FEED_PAGE || has_next == Some(false) || n == 0 {
                return Ok(out);
            }
        }
    }
}
