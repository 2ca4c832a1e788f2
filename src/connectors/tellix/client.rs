//! HTTP to the Tellix Backoffice API v3: the token, the envelope, retries and errors.
//!
//! Facts (`../shared/api-notes/platforms.md` §6): `POST /getaccesstoken` with a form of
//! `username`, `password`, `apikey` and a `Source` header answers `{"status": true, "token"}`;
//! later calls send the raw token in `Authorization` (no `Bearer`), JSON bodies and the same
//! `Source`. Answers are `{"status", "message", "code", ...}`; an error has `status: false`.
//! The token's lifetime is not documented [?]: it is fetched when first needed and fetched
//! again, once per request, when a call answers 401.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::Value;

use crate::error::CliError;
use crate::http::{self, Attempt};
use crate::secret::{self, Secret};

/// The `Source` header: who is calling (Tellix asks integrations to name themselves).
pub const SOURCE: &str = "shopsync";

/// The three secrets of a Tellix API user.
#[derive(Clone, Debug)]
pub struct TellixCredentials {
    pub username: Secret,
    pub password: Secret,
    pub apikey: Secret,
}

#[derive(Debug, thiserror::Error)]
pub enum TellixError {
    #[error("Tellix refused the username, password or API key (HTTP {status}: {message})")]
    Login { status: u16, message: String },
    #[error("Tellix refused the access token twice for {path} (HTTP 401: {message})")]
    Unauthorized { path: String, message: String },
    /// A refusal of this one request (400, 404, 422): the record is reported, the run goes on.
    #[error("Tellix refused {method} {path} (HTTP {status}): {message}")]
    Refused {
        method: &'static str,
        path: String,
        status: u16,
        message: String,
    },
    #[error("Tellix at {url} could not be reached: {detail}")]
    Unreachable { url: String, detail: String },
    #[error("Tellix answered {path} with something that is not its JSON envelope: {detail}")]
    Malformed { path: String, detail: String },
}

impl From<TellixError> for CliError {
    fn from(e: TellixError) -> CliError {
        let message = secret::redact(&e.to_string());
        match e {
            TellixError::Login { .. } | TellixError::Unauthorized { .. } => CliError::config(message).hint(
                "store the Tellix API user's credentials with `shopsync auth set PROFILE tellix-username` \
                 (and tellix-password, tellix-apikey), or set SHOPSYNC_<PROFILE>_TELLIX_USERNAME_TOKEN etc.",
            ),
            TellixError::Unreachable { .. } => CliError::run(message).hint(
                "check the network and `base_url` in the profile's [backoffice] table; the run can simply be started again",
            ),
            _ => CliError::run(message),
        }
    }
}

#[derive(Debug, Default)]
pub struct TellixStats {
    pub requests: AtomicU64,
    pub logins: AtomicU64,
}

pub struct TellixClient {
    http: reqwest::Client,
    base: String,
    credentials: TellixCredentials,
    token: tokio::sync::Mutex<Option<Secret>>,
    pub stats: TellixStats,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

impl TellixClient {
    /// `base_url` is `https://api.tellix.no/web/v3` or an override (sandbox).
    pub fn new(base_url: &str, credentials: TellixCredentials) -> TellixClient {
        TellixClient {
            http: http::client(),
            base: base_url.trim_end_matches('/').to_string(),
            credentials,
            token: tokio::sync::Mutex::new(None),
            stats: TellixStats::default(),
        }
    }

    /// Fetches a new token.
    async fn login(&self) -> Result<Secret, TellixError> {
        let url = format!("{}/getaccesstoken", self.base);
        let form = [
            ("username", self.credentials.username.expose()),
            ("password", self.credentials.password.expose()),
            ("apikey", self.credentials.apikey.expose()),
        ];
        let result = http::retry(|_| async {
            self.stats.requests.fetch_add(1, Ordering::Relaxed);
            tracing::debug!("POST {url}");
            let request = self.http.post(&url).header("Source", SOURCE).form(&form);
            let reply = match http::exchange(request).await {
                Ok(reply) => reply,
                Err(no_reply) => return no_reply.retry(),
            };
            if let Some(retry) = reply.transient(Duration::from_secs(1)) {
                return retry;
            }
            let (status, text) = (reply.status, reply.text);
            let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            match body["token"].as_str() {
                Some(token) if status == 200 && body["status"] != false && !token.is_empty() => {
                    Attempt::Done(Secret::new(token.to_string()))
                }
                _ => Attempt::Fail(TellixError::Login {
                    status,
                    message: message_of(&body, &text),
                }),
            }
        })
        .await;
        self.stats.logins.fetch_add(1, Ordering::Relaxed);
        result.map_err(|e| {
            e.into_error(|detail| TellixError::Unreachable {
                url: self.base.clone(),
                detail,
            })
        })
    }

    async fn token(&self, refresh: bool) -> Result<Secret, TellixError> {
        let mut slot = self.token.lock().await;
        if refresh || slot.is_none() {
            *slot = Some(self.login().await?);
        }
        Ok(slot.clone().expect("set above"))
    }

    /// Sends one request and returns the envelope. A 401 fetches a new token and tries once
    /// more; transient failures are retried with backoff.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
    ) -> Result<Value, TellixError> {
        let mut token = self.token(false).await?;
        let mut refreshed = false;
        loop {
            match self.call_with(&token, method, path, query, body).await {
                Err(TellixError::Unauthorized { .. }) if !refreshed => {
                    tracing::debug!("Tellix answered 401: fetching a new token");
                    refreshed = true;
                    token = self.token(true).await?;
                }
                other => return other,
            }
        }
    }

    async fn call_with(
        &self,
        token: &Secret,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
    ) -> Result<Value, TellixError> {
        let url = format!("{}{path}", self.base);
        let result = http::retry(|_| async {
            self.stats.requests.fetch_add(1, Ordering::Relaxed);
            tracing::debug!("{} {url}", method.as_str());
            let mut request = match method {
                Method::Get => self.http.get(&url),
                Method::Post => self.http.post(&url),
                Method::Put => self.http.put(&url),
            }
            .header("Authorization", token.expose())
            .header("Source", SOURCE)
            .header("Accept", "application/json");
            if !query.is_empty() {
                request = request.query(query);
            }
            if let Some(b) = body {
                request = request.json(b);
            }
            let reply = match http::exchange(request).await {
                Ok(reply) => reply,
                Err(no_reply) => return no_reply.retry(),
            };
            // Rate limits are not documented [?]: a 429 waits as asked (or a second).
            if let Some(retry) = reply.transient(Duration::from_secs(1)) {
                return retry;
            }
            let (status, text) = (reply.status, reply.text);
            let body: Value = match serde_json::from_str(&text) {
                Ok(v) => v,
                Err(_) if status == 200 => {
                    return Attempt::Retry {
                        wait: None,
                        reason: "the answer was not complete JSON".into(),
                    }
                }
                Err(_) => Value::Null,
            };
            let message = message_of(&body, &text);
            // The envelope's own code counts as much as the HTTP status: an error may come
            // with HTTP 200 and `status: false` [?].
            let code = body["code"].as_u64().map(|c| c as u16).unwrap_or(status);
            if status == 401 || (body["status"] == false && code == 401) {
                return Attempt::Fail(TellixError::Unauthorized {
                    path: path.to_string(),
                    message,
                });
            }
            if status != 200 || body["status"] == false {
                return Attempt::Fail(TellixError::Refused {
                    method: method.as_str(),
                    path: path.to_string(),
                    status: if status == 200 { code } else { status },
                    message,
                });
            }
            if !body.is_object() {
                return Attempt::Fail(TellixError::Malformed {
                    path: path.to_string(),
                    detail: text.chars().take(200).collect(),
                });
            }
            Attempt::Done(body)
        })
        .await;
        result.map_err(|e| {
            e.into_error(|detail| TellixError::Unreachable {
                url: self.base.clone(),
                detail,
            })
        })
    }

    /// Every record of a list endpoint, `limit` at a time (`offset` paging), changed at or
    /// after `from_date` when given.
    pub async fn list_all(
        &self,
        path: &str,
        from_date: Option<&str>,
        limit: u64,
    ) -> Result<Vec<Value>, TellixError> {
        let mut out = Vec::new();
        let mut offset = 0u64;
        loop {
            let mut query = vec![("offset", offset.to_string()), ("limit", limit.to_string())];
            if let Some(d) = from_date {
                query.push(("fromDate", d.to_string()));
            }
            let page = self.call(Method::Get, path, &query, None).await?;
            let data = match &page["data"] {
                Value::Array(a) => a.clone(),
                Value::Null => Vec::new(),
                other => {
                    return Err(TellixError::Malformed {
                        path: path.to_string(),
                        detail: format!("`data` is {other}, not a list"),
                    })
                }
            };
            let n = data.len() as u64;
            out.extend(data);
            offset += n;
            // `totalCount` ends the loop when present; a short page ends it otherwise.
            let done = match page["totalCount"].as_u64() {
                Some(total) => offset >= total || n == 0,
                None => n < limit,
            };
            if done {
                return Ok(out);
            }
        }
    }
}

/// The `message` of an envelope, or the start of the body.
fn message_of(body: &Value, text: &str) -> String {
    let m = match body["message"].as_str() {
        Some(m) => m.to_string(),
        None => text.chars().take(200).collect(),
    };
    secret::redact(&m)
}
