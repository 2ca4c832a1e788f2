//! HTTP to the Shopware 5 REST API (`{shop}/api`): Basic auth with the API user and its key,
//! retries, errors, and the customer calls.
//!
//! Auth: Basic (`user:apikey`, Shopware 5.3.2 and later) first; a 401 that offers Digest
//! (RFC 2617, realm `Shopware REST-API`, HA1 = md5(user:realm:apikey): the only scheme before
//! 5.3.2) switches the client to Digest for the rest of the run.
//!
//! Facts (`../shared/api-notes/platforms.md` §3): lists answer `{"data", "total", "success"}`,
//! paged by `limit`/`start`; errors `{"success": false, "message", "code"}`; 401 is a wrong user
//! or key; a 500 with Shopware's JSON body is a refused request (a bad filter), not an outage;
//! a non-JSON answer is a server error and is retried.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use base64::Engine;
use md5::Digest as _;
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
    /// The server's Digest challenge, once Basic was refused with one.
    digest: std::sync::Mutex<Option<DigestChallenge>>,
    pub stats: ShopwareStats,
}

/// A `WWW-Authenticate: Digest …` challenge and the requests made with its nonce.
#[derive(Debug, Clone, PartialEq)]
struct DigestChallenge {
    realm: String,
    nonce: String,
    opaque: Option<String>,
    /// `qop="auth"` offered (RFC 2617); without it the RFC 2069 response is used.
    qop_auth: bool,
    nc: u32,
}

fn md5_hex(s: &str) -> String {
    md5::Md5::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `key="value", key=token, …` of a challenge (after the scheme name).
fn auth_params(s: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut rest = s.trim();
    while let Some((k, after)) = rest.split_once('=') {
        let k = k.trim().trim_start_matches(',').trim().to_ascii_lowercase();
        let after = after.trim_start();
        let (v, next) = match after.strip_prefix('"') {
            Some(q) => q.split_once('"').unwrap_or((q, "")),
            None => after.split_once(',').unwrap_or((after, "")),
        };
        out.insert(k, v.trim().to_string());
        rest = next.trim_start().trim_start_matches(',').trim_start();
    }
    out
}

/// The Digest challenge among a 401's `WWW-Authenticate` headers.
fn digest_challenge(headers: &reqwest::header::HeaderMap) -> Option<DigestChallenge> {
    headers
        .get_all("www-authenticate")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            let (scheme, params) = v.trim().split_once(' ')?;
            if !scheme.eq_ignore_ascii_case("digest") {
                return None;
            }
            let p = auth_params(params);
            Some(DigestChallenge {
                realm: p.get("realm").cloned().unwrap_or_default(),
                nonce: p.get("nonce").cloned()?,
                opaque: p.get("opaque").cloned(),
                qop_auth: p
                    .get("qop")
                    .is_some_and(|q| q.split(',').any(|x| x.trim() == "auth")),
                nc: 0,
            })
        })
}

/// The Digest `Authorization` value for `method` on `uri` (the request target as sent).
fn digest_authorization(
    c: &DigestChallenge,
    user: &str,
    key: &str,
    method: &str,
    uri: &str,
    cnonce: &str,
) -> String {
    let ha1 = md5_hex(&format!("{user}:{}:{key}", c.realm));
    let ha2 = md5_hex(&format!("{method}:{uri}"));
    let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let mut h = format!(
        "Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{}\", algorithm=MD5",
        esc(user),
        esc(&c.realm),
        c.nonce,
        uri
    );
    if c.qop_auth {
        let nc = format!("{:08x}", c.nc);
        let response = md5_hex(&format!("{ha1}:{}:{nc}:{cnonce}:auth:{ha2}", c.nonce));
        h.push_str(&format!(
            ", qop=auth, nc={nc}, cnonce=\"{cnonce}\", response=\"{response}\""
        ));
    } else {
        let response = md5_hex(&format!("{ha1}:{}:{ha2}", c.nonce));
        h.push_str(&format!(", response=\"{response}\""));
    }
    if let Some(o) = &c.opaque {
        h.push_str(&format!(", opaque=\"{o}\""));
    }
    h
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
            digest: std::sync::Mutex::new(None),
            stats: ShopwareStats::default(),
        }
    }

    /// The `Authorization` value of the next request: Digest once the server asked for it,
    /// else Basic.
    fn authorization(&self, method: &str, uri: &str) -> String {
        let mut digest = self.digest.lock().unwrap();
        match digest.as_mut() {
            Some(c) => {
                c.nc += 1;
                let cnonce = format!("{:016x}", rand::random::<u64>());
                digest_authorization(
                    c,
                    self.user.expose(),
                    self.key.expose(),
                    method,
                    uri,
                    &cnonce,
                )
            }
            None => format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!(
                    "{}:{}",
                    self.user.expose(),
                    self.key.expose()
                ))
            ),
        }
    }

    async fn call(
        &self,
        put: Option<&Value>,
        path: &str,
        query: &[(String, String)],
    ) -> Result<Value, ShopwareError> {
        let mut url = url::Url::parse(&format!("{}/api{path}", self.base)).map_err(|e| {
            ShopwareError::Malformed {
                path: path.into(),
                detail: e.to_string(),
            }
        })?;
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        }
        // The request target exactly as sent: Digest signs it.
        let uri = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        };
        let method = if put.is_some() { "PUT" } else { "GET" };
        let challenges = std::sync::atomic::AtomicU32::new(0);
        let result = http::retry(|_| {
            let url = url.clone();
            let auth = self.authorization(method, &uri);
            let challenges = &challenges;
            async move {
                self.stats.requests.fetch_add(1, Ordering::Relaxed);
                tracing::debug!("{method} {}", url.path());
                let request = match put {
                    Some(body) => self.http.put(url).json(body),
                    None => self.http.get(url),
                }
                .header("Authorization", auth)
                .header("Accept", "application/json");
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
                    // Basic refused by a shop that offers Digest (before 5.3.2), or a Digest
                    // nonce that ran out: answer the new challenge (twice at most per call).
                    if let Some(c) = digest_challenge(&reply.headers) {
                        let mut digest = self.digest.lock().unwrap();
                        let fresh = digest.as_ref().is_none_or(|d| d.nonce != c.nonce);
                        if fresh && challenges.fetch_add(1, Ordering::Relaxed) < 2 {
                            *digest = Some(c);
                            return Attempt::Retry {
                                wait: Some(Duration::ZERO),
                                reason: "HTTP 401 with a Digest challenge".into(),
                            };
                        }
                    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `../shared/api-notes/platforms/auth_test_vectors.json`, `shopware5`.
    #[test]
    fn digest_ha1_and_response_match_rfc_2617() {
        let (user, key) = ("api-user", "0123456789abcdef0123456789abcdef01234567");
        assert_eq!(
            md5_hex(&format!("{user}:Shopware REST-API:{key}")),
            "2c69aa881ea21d5cb53d02965748ae6e"
        );
        let headers = {
            let mut h = reqwest::header::HeaderMap::new();
            h.append(
                "www-authenticate",
                "Basic realm=\"Shopware REST-API\"".parse().unwrap(),
            );
            h.append(
                "www-authenticate",
                "Digest realm=\"Shopware REST-API\", domain=\"/\", nonce=\"n0nce\", opaque=\"0paque\", algorithm=\"MD5\", qop=\"auth\""
                    .parse()
                    .unwrap(),
            );
            h
        };
        let mut c = digest_challenge(&headers).unwrap();
        assert_eq!(
            (
                c.realm.as_str(),
                c.nonce.as_str(),
                c.opaque.as_deref(),
                c.qop_auth
            ),
            ("Shopware REST-API", "n0nce", Some("0paque"), true)
        );
        c.nc = 1;
        let h = digest_authorization(&c, user, key, "GET", "/api/customers?limit=1", "c1");
        let ha2 = md5_hex("GET:/api/customers?limit=1");
        let expected = md5_hex(&format!(
            "2c69aa881ea21d5cb53d02965748ae6e:n0nce:00000001:c1:auth:{ha2}"
        ));
        assert!(h.contains(&format!("response=\"{expected}\"")), "{h}");
        assert!(
            h.contains("nc=00000001") && h.contains("opaque=\"0paque\""),
            "{h}"
        );
        assert!(h.contains("uri=\"/api/customers?limit=1\""), "{h}");
    }
}
