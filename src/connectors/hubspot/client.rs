//! One request to the HubSpot API: bearer auth, pacing by the rate-limit window, retries, and
//! HubSpot's 429 policies (ten-secondly: wait for the window; daily: stop the run).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use reqwest::Method;
use serde_json::Value;

use super::ratelimit::RateLimiter;
use crate::error::CliError;
use crate::http::{self, Attempt};
use crate::secret::Secret;

#[derive(Debug, thiserror::Error)]
pub enum HubSpotError {
    #[error("HubSpot refused the access token (HTTP 401)")]
    Unauthorized,
    #[error("HubSpot denied access: {message}")]
    MissingScopes { message: String },
    #[error("HubSpot's daily API limit for this account is used up")]
    DailyLimit,
    #[error("HubSpot at {url} could not be reached: {detail}")]
    Unreachable { url: String, detail: String },
    #[error("HubSpot answered {what} with HTTP {status}: {message}")]
    Api {
        what: String,
        status: u16,
        message: String,
    },
}

impl From<HubSpotError> for CliError {
    fn from(e: HubSpotError) -> CliError {
        let message = e.to_string();
        match e {
            HubSpotError::Unauthorized => CliError::config(message).hint(
                "the private app token or service key is wrong or was revoked: store the right one \
                 with `shopsync auth set PROFILE hubspot`, or set SHOPSYNC_<PROFILE>_HUBSPOT_TOKEN",
            ),
            HubSpotError::MissingScopes { .. } => CliError::config(message).hint(
                "add the scopes named above to the private app or service key in HubSpot \
                 (Settings > Integrations > Private apps > Scopes)",
            ),
            HubSpotError::DailyLimit => CliError::interrupted(message).hint(
                "the limit resets at midnight in the HubSpot account's time zone; run the same \
                 command again then and it continues where it stopped",
            ),
            HubSpotError::Unreachable { .. } => CliError::run(message)
                .hint("check the network and `base_url` in the profile's [hubspot] table; the run can be started again"),
            HubSpotError::Api { .. } => CliError::run(message),
        }
    }
}

#[derive(Debug, Default)]
pub struct HubSpotStats {
    pub requests: AtomicU64,
    pub throttled: AtomicU64,
}

/// An answer the caller interprets: any 2xx, and the 4xx that concern the request's content
/// (400, 404, 409), whose HubSpot error body says which input was wrong.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    /// The body as JSON; `Null` for a 2xx answer asked for as text only
    /// ([`HubSpotClient::post_json_text`]).
    pub body: Value,
    /// The body as it came.
    pub text: String,
}

impl Answer {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// HubSpot's `message`, with the messages of `errors[]`.
    pub fn message(&self) -> String {
        error_message(&self.body)
    }
}

pub struct HubSpotClient {
    http: reqwest::Client,
    base: String,
    token: Secret,
    limiter: RateLimiter,
    pub stats: HubSpotStats,
}

impl HubSpotClient {
    pub fn new(base_url: &str, token: Secret) -> HubSpotClient {
        HubSpotClient {
            http: http::client(),
            base: base_url.trim_end_matches('/').to_string(),
            token,
            limiter: RateLimiter::default(),
            stats: HubSpotStats::default(),
        }
    }

    /// Requests per window and window length, as HubSpot last reported them.
    pub fn rate_limit(&self) -> (u32, Duration) {
        (self.limiter.max(), self.limiter.interval())
    }

    pub async fn get(&self, path: &str) -> Result<Answer, HubSpotError> {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Result<Answer, HubSpotError> {
        self.post_json(path, body).await
    }

    /// Posts `body` serialized once (a retry sends the same bytes), from any serializable form:
    /// a batch of records goes out without being built as a `Value` first.
    pub async fn post_json<T: serde::Serialize + ?Sized>(
        &self,
        path: &str,
        body: &T,
    ) -> Result<Answer, HubSpotError> {
        let bytes = bytes::Bytes::from(serde_json::to_vec(body).unwrap_or_default());
        self.send_bytes(Method::POST, path, Some(bytes), false)
            .await
    }

    /// Like [`post_json`](Self::post_json), but a 2xx answer is only checked to be complete
    /// JSON, not built as a `Value` (its `body` is `Null`): the caller reads `text` into what
    /// it needs. A batch answer echoes every property of every record.
    pub async fn post_json_text<T: serde::Serialize + ?Sized>(
        &self,
        path: &str,
        body: &T,
    ) -> Result<Answer, HubSpotError> {
        let bytes = bytes::Bytes::from(serde_json::to_vec(body).unwrap_or_default());
        self.send_bytes(Method::POST, path, Some(bytes), true).await
    }

    /// Sends one request, retrying what is worth retrying. Writes sent through here must be
    /// idempotent (upserts, associations): a retry after a lost answer must not duplicate.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Answer, HubSpotError> {
        let body = body.map(|b| bytes::Bytes::from(serde_json::to_vec(b).unwrap_or_default()));
        self.send_bytes(method, path, body, false).await
    }

    async fn send_bytes(
        &self,
        method: Method,
        path: &str,
        body: Option<bytes::Bytes>,
        text_only: bool,
    ) -> Result<Answer, HubSpotError> {
        let url = format!("{}{}", self.base, path);
        http::retry(|_| self.attempt(method.clone(), &url, path, body.clone(), text_only))
            .await
            .map_err(|e| e.into_error(|detail| HubSpotError::Unreachable { url, detail }))
    }

    async fn attempt(
        &self,
        method: Method,
        url: &str,
        path: &str,
        body: Option<bytes::Bytes>,
        text_only: bool,
    ) -> Attempt<Answer, HubSpotError> {
        if self.limiter.daily_exhausted() {
            return Attempt::Fail(HubSpotError::DailyLimit);
        }
        let slot = self.limiter.acquire().await;
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        tracing::debug!("{method} {url}");
        let mut request = self
            .http
            .request(method.clone(), url)
            .bearer_auth(self.token.expose());
        if let Some(body) = body {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body);
        }
        let reply = match http::exchange(request).await {
            Ok(reply) => reply,
            Err(no_reply) => {
                self.limiter.finish(slot, None);
                return no_reply.retry();
            }
        };
        let status = reply.status;
        self.limiter.finish(slot, Some(&reply.headers));
        let retry_after = reply.retry_after();
        if text_only && (200..300).contains(&status) {
            let complete = reply.text.trim().is_empty()
                || serde_json::from_str::<serde::de::IgnoredAny>(&reply.text).is_ok();
            return if complete {
                Attempt::Done(Answer {
                    status,
                    body: Value::Null,
                    text: reply.text,
                })
            } else {
                Attempt::Retry {
                    wait: None,
                    reason: "the answer was not complete JSON".into(),
                }
            };
        }
        let parsed = reply.json();
        let text = reply.text;
        match status {
            200..=299 => match parsed {
                Some(body) => Attempt::Done(Answer { status, body, text }),
                None => Attempt::Retry {
                    wait: None,
                    reason: "the answer was not complete JSON".into(),
                },
            },
            401 => Attempt::Fail(HubSpotError::Unauthorized),
            403 => Attempt::Fail(HubSpotError::MissingScopes {
                message: parsed
                    .as_ref()
                    .map(scopes_message)
                    .unwrap_or_else(|| text.chars().take(300).collect()),
            }),
            429 => {
                self.stats.throttled.fetch_add(1, Ordering::Relaxed);
                let policy = parsed
                    .as_ref()
                    .and_then(|b| b["policyName"].as_str().map(str::to_string))
                    .unwrap_or_default();
                match policy.as_str() {
                    "DAILY" => Attempt::Fail(HubSpotError::DailyLimit),
                    "SECONDLY" => Attempt::Retry {
                        wait: Some(Duration::from_secs(1)),
                        reason: "429 secondly limit".into(),
                    },
                    _ => {
                        let window = self.limiter.block_for_window();
                        Attempt::Retry {
                            wait: Some(retry_after.unwrap_or(window)),
                            reason: format!(
                                "429 {}",
                                if policy.is_empty() {
                                    "rate limit"
                                } else {
                                    &policy
                                }
                            ),
                        }
                    }
                }
            }
            // Locked: HubSpot asks for at least two seconds between such bursts.
            423 => Attempt::Retry {
                wait: Some(Duration::from_secs(2)),
                reason: "423 Locked".into(),
            },
            // Migration in progress: HubSpot says when to come back.
            477 => Attempt::Retry {
                wait: Some(retry_after.unwrap_or(Duration::from_secs(30))),
                reason: "477 migration in progress".into(),
            },
            400 | 404 | 409 => match parsed {
                Some(body) => Attempt::Done(Answer { status, body, text }),
                None => Attempt::Retry {
                    wait: None,
                    reason: format!("HTTP {status} with a body that was not complete JSON"),
                },
            },
            500..=599 => Attempt::Retry {
                wait: None,
                reason: format!("HTTP {status}"),
            },
            _ => Attempt::Fail(HubSpotError::Api {
                what: path.to_string(),
                status,
                message: parsed
                    .as_ref()
                    .map(error_message)
                    .unwrap_or_else(|| text.chars().take(300).collect()),
            }),
        }
    }
}

fn scopes_message(body: &Value) -> String {
    let mut message = error_message(body);
    let scopes: Vec<String> = body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|e| {
            e["context"]["requiredGranularScopes"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect();
    if !scopes.is_empty() {
        message.push_str(&format!(" (required scopes: {})", scopes.join(", ")));
    }
    message
}

/// HubSpot's `message`, followed by each `errors[].message` that adds something.
pub fn error_message(body: &Value) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(m) = body["message"].as_str() {
        parts.push(m.to_string());
    }
    for e in body["errors"].as_array().into_iter().flatten() {
        if let Some(m) = e["message"].as_str() {
            if !parts.iter().any(|p| p.contains(m)) {
                parts.push(m.to_string());
            }
        }
    }
    if parts.is_empty() {
        body.to_string().chars().take(300).collect()
    } else {
        parts.join("; ")
    }
}
