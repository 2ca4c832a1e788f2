//! HTTP to the Shopware 5 REST API (`{shop}/api`): Basic auth with the API user and its key,
//! retries, errors, and the customer calls.
//!
//! Facts (`../shared/api-notes/platforms.md` §3): lists answer `{"data", "total", "success"}`,
//! paged by `limit`/`start`; errors `{"success": false, "message", "code"}`; 401 is a wrong user
//! or key; a 500 with Shopware's JSON body is a refused request (a bad filter), not an outage;
//! a non-JSON answer is a server error and is retried.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use base64::Engine;
use serde_json::Value;

use crate::http::{self, Attempt, RetryError};
use crate::secret::{self, Secret};

#[derive(Debug, thiserror::Error)]
pub enum ShopwareError {
    #[error("Shopware refused the API user or key (HTTP {status}: {message})")]
    Auth { status: u16, message: String },
    #[error("Shopware refused {method} {path} (HTTP {status}): {message}")]
    Refused {
        method: &'static str,
        path: String,
        status: u16,
        message: String,
    },
    #[error("Shopware at {url} could not be reached: {detail}")]
    Unreachable { url: String, detail: String },
    #[error("Shopware answered {path} with something unexpected: {detail}")]
    Malformed { path: String, detail: String },
}

impl From<ShopwareError> for crate::error::CliError {
    fn from(e: ShopwareError) -> Self {
        use crate::error::CliError;
        let message = secret::redact(&e.to_string());
        match e {
            ShopwareError::Auth { .. } => CliError::config(message).hint(
                "store the API user's name and key (Shopware backend > Settings > User \
                 administration > API access) with `shopsync auth set PROFILE shopware-user` and \
                 `shopware-key`, or set SHOPSYNC_<PROFILE>_SHOPWARE_USER_TOKEN and \
                 SHOPSYNC_<PROFILE>_SHOPWARE_KEY_TOKEN",
            ),
            ShopwareError::Unreachable { .. } => CliError::run(message).hint(
                "check the network and `base_url` in the profile's [shopware] table; the run can simply be started again",
            ),
            _ => CliError::run(message),
        }
    }
}

#[derive(Debug, Default)]
pub struct ShopwareStats {
    pub requests: AtomicU64,
}

pub struct Shopware5Client {
    http: reqwest::Client,
    base: String,
    user: Secret,
    key: Secret,
    pub stats: ShopwareStats,
}

/// Customers per list page.
pub const PAGE: usize = 100;

impl Shopware5Client {
    /// `base_url` is the shop's address (`https://shop.example`), without `/api`.
    pub fn new(base_url: &str, user: Secret, key: Secret) -> Shopware5Client {
        Shopware5Client {
            http: http::client(),
            base: base_url
                .trim_end_matches('/')
                .trim_end_matches("/api")
                .to_string(),
            user,
            key,
            stats: ShopwareStats::default(),
        }
    }

    async fn call(
        &self,
        put: Option<&Value>,
        path: &str,
        query: &[(String, String)],
    ) -> Result<Value, ShopwareError> {
        let url = format!("{}/api{path}", self.base);
        let method = if put.is_some() { "PUT" } else { "GET" };
        let auth = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!(
                "{}:{}",
                self.user.expose(),
                self.key.expose()
            ))
        );
        let result = http::retry(|_| {
            let auth = auth.clone();
            let url = url.clone();
            async move {
                self.stats.requests.fetch_add(1, Ordering::Relaxed);
                tracing::debug!("{method} {url}");
                let mut request = match put {
                    Some(body) => self.http.put(&url).json(body),
                    None => self.http.get(&url),
                }
                .header("Authorization", auth)
                .header("Accept", "application/json");
                if !query.is_empty() {
                    request = request.query(query);
                }
                let reply = match http::exchange(request).await {
                    Ok(r) => r,
                    Err(no) => return no.retry(),
                };
                let status = reply.status;
                let retry_after = http::retry_after(&reply.headers);
                let text = reply.text;
                if status == 429 {
                    return Attempt::Retry {
                        wait: Some(retry_after.unwrap_or(Duration::from_secs(1))),
                        reason: "HTTP 429".into(),
                    };
                }
                let body: Option<Value> = serde_json::from_str(&text).ok();
                let message = body
                    .as_ref()
                    .and_then(|b| b["message"].as_str())
                    .map(str::to_string)
                    .unwrap_or_else(|| text.chars().take(200).collect());
                let message = secret::redact(&message);
                if status == 401 {
                    return Attempt::Fail(ShopwareError::Auth { status, message });
                }
                let Some(body) = body else {
                    // HTML stack traces and proxies' pages: a server error.
                    return Attempt::Retry {
                        wait: None,
                        reason: format!("HTTP {status}, not JSON"),
                    };
                };
                if status >= 502 {
                    return Attempt::Retry {
                        wait: None,
                        reason: format!("HTTP {status}"),
                    };
                }
                if !(200..300).contains(&status) || body["success"] == false {
                    return Attempt::Fail(ShopwareError::Refused {
                        method,
                        path: path.to_string(),
                        status,
                        message,
                    });
                }
                Attempt::Done(body)
            }
        })
        .await;
        match result {
            Ok(v) => Ok(v),
            Err(RetryError::Fatal(e)) => Err(e),
            Err(RetryError::Exhausted { last, .. }) => Err(ShopwareError::Unreachable {
                url: self.base.clone(),
                detail: last,
            }),
        }
    }

    /// One page of the customer list, oldest change first; changed at or after `since`
    /// (`Y-m-d H:i:s`) when given. Returns the rows and the total.
    pub async fn customer_page(
        &self,
        since: Option<&str>,
        start: usize,
        limit: usize,
    ) -> Result<(Vec<Value>, usize), ShopwareError> {
        let mut q: Vec<(String, String)> = vec![
            ("limit".into(), limit.to_string()),
            ("start".into(), start.to_string()),
            ("sort[0][property]".into(), "changed".into()),
            ("sort[0][direction]".into(), "ASC".into()),
            ("sort[1][property]".into(), "id".into()),
            ("sort[1][direction]".into(), "ASC".into()),
        ];
        if let Some(s) = since {
            q.push(("filter[0][property]".into(), "changed".into()));
            q.push(("filter[0][expression]".into(), ">=".into()));
            q.push(("filter[0][value]".into(), s.into()));
        }
        let v = self.call(None, "/customers", &q).await?;
        let rows = v["data"]
            .as_array()
            .cloned()
            .ok_or_else(|| ShopwareError::Malformed {
                path: "/customers".into(),
                detail: "no `data` list".into(),
            })?;
        let total = v["total"].as_u64().unwrap_or(0) as usize;
        Ok((rows, total))
    }

    /// One customer with its addresses and attributes, or None when it is gone.
    pub async fn customer(&self, id: &str) -> Result<Option<Value>, ShopwareError> {
        match self.call(None, &format!("/customers/{id}"), &[]).await {
            Ok(v) => Ok(Some(v["data"].clone())),
            Err(ShopwareError::Refused { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Country id -> ISO code.
    pub async fn countries(&self) -> Result<HashMap<i64, String>, ShopwareError> {
        let q = vec![("limit".to_string(), "1000".to_string())];
        let v = self.call(None, "/countries", &q).await?;
        Ok(v["data"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|c| Some((c["id"].as_i64()?, c["iso"].as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// `PUT /api/customers/{id}` with these changes.
    pub async fn update_customer(&self, id: &str, changes: &Value) -> Result<(), ShopwareError> {
        self.call(Some(changes), &format!("/customers/{id}"), &[])
            .await
            .map(|_| ())
    }
}
