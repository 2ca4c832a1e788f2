//! Huddle's Shopify webhook endpoint: `POST https://{domain}/membership/create/{apiKey}` with
//! the body and headers of Shopify's `orders/paid` webhook (`../shared/api-notes/platforms.md`
//! §5). Huddle has no other documented API; any 2xx is success.
//!
//! One delivery is retried here (5xx, 429, timeouts, dropped connections) with the same
//! `X-Shopify-Webhook-Id`, exactly as Shopify retries its own deliveries, so a receiver that
//! deduplicates on it is safe. What the caller gets back says whether Huddle may have acted:
//! a 2xx did; a 4xx refusal and a connection that never opened did not; a timeout or a
//! connection dropped after the request went out leaves it unknown.

use std::time::Duration;

use base64::Engine;
pub mod health;
pub mod settings;
pub mod setup;

use hmac::{KeyInit, Mac};

use crate::http::{self, Attempt, RetryError};
use crate::secret::{self, Secret};

pub const PATH: &str = "/membership/create/";

/// base64(HMAC-SHA256(secret, body)): Shopify's `X-Shopify-Hmac-Sha256` value.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(body);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// How one delivery ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Huddle answered 2xx.
    Delivered { status: u16 },
    /// Huddle answered a 4xx: it refused the order and created nothing.
    Refused { status: u16, message: String },
    /// It never reached Huddle, or Huddle answered 5xx to every attempt: not created.
    NotDelivered { detail: String },
    /// An attempt timed out or lost its connection after the request was sent, and no later
    /// attempt got an answer that settles it: Huddle may or may not have acted.
    Unknown { detail: String },
}

impl Outcome {
    /// A refusal that every order would get (a wrong key or address), not one of this order.
    pub fn refuses_everything(&self) -> bool {
        matches!(
            self,
            Outcome::Refused {
                status: 401 | 403 | 404 | 405 | 410,
                ..
            }
        )
    }
}

pub struct HuddleClient {
    http: reqwest::Client,
    base: String,
    key: Secret,
}

enum Failure {
    Refused(u16, String),
}

impl HuddleClient {
    /// `base` is `https://{domain}` or the profile's `base_url`.
    pub fn new(base: &str, key: Secret) -> HuddleClient {
        HuddleClient {
            http: http::client(),
            base: base.trim_end_matches('/').to_string(),
            key,
        }
    }

    /// The endpoint with the key as `***`, for messages.
    pub fn masked_url(&self) -> String {
        format!("{}{PATH}***", self.base)
    }

    /// Posts `body` with `headers`; retries what may succeed on a second try.
    pub async fn deliver(&self, body: &[u8], headers: &[(&str, String)]) -> Outcome {
        let url = format!("{}{PATH}{}", self.base, self.key.expose());
        // Whether an attempt may have reached Huddle without an answer.
        let maybe_received = std::sync::atomic::AtomicBool::new(false);
        let result = http::retry(|_| {
            let url = &url;
            let maybe_received = &maybe_received;
            async move {
                let mut req = self
                    .http
                    .post(url)
                    .header("Content-Type", "application/json");
                for (k, v) in headers {
                    req = req.header(*k, v);
                }
                let reply = match http::exchange(req.body(body.to_vec())).await {
                    Ok(reply) => reply,
                    // Huddle took it; only its confirmation was cut off.
                    Err(http::NoReply {
                        status: Some(status @ 200..=299),
                        ..
                    }) => return Attempt::Done(status),
                    Err(no_reply) => {
                        if no_reply.maybe_received {
                            maybe_received.store(true, std::sync::atomic::Ordering::Relaxed);
                        }
                        return Attempt::Retry {
                            wait: None,
                            reason: secret::redact(&no_reply.reason),
                        };
                    }
                };
                let (status, retry_after, text) =
                    (reply.status, reply.retry_after(), reply.text.as_str());
                match status {
                    200..=299 => Attempt::Done(status),
                    429 => Attempt::Retry {
                        wait: Some(retry_after.unwrap_or(Duration::from_secs(1))),
                        reason: "HTTP 429 Too Many Requests".into(),
                    },
                    408 | 500..=599 => Attempt::Retry {
                        wait: None,
                        reason: format!("HTTP {status}: {}", message(text)),
                    },
                    _ => Attempt::Fail(Failure::Refused(status, message(text))),
                }
            }
        })
        .await;
        let unknown = maybe_received.load(std::sync::atomic::Ordering::Relaxed);
        match result {
            Ok(status) => Outcome::Delivered { status },
            Err(RetryError::Fatal(Failure::Refused(status, message))) if !unknown => {
                Outcome::Refused { status, message }
            }
            Err(RetryError::Fatal(Failure::Refused(status, message))) => Outcome::Unknown {
                detail: format!(
                    "an earlier attempt got no answer, then Huddle answered HTTP {status}: {message}"
                ),
            },
            Err(RetryError::Exhausted { attempts, last }) => {
                let detail = format!("gave up after {attempts} attempts; last: {last}");
                if unknown {
                    Outcome::Unknown { detail }
                } else {
                    Outcome::NotDelivered { detail }
                }
            }
        }
    }
}

/// A short, secret-free version of an answer body: `message` of a JSON body, else the start.
fn message(body: &str) -> String {
    let text = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["message"].as_str().map(str::to_string))
        .unwrap_or_else(|| body.chars().take(200).collect());
    secret::redact(text.trim())
}

#[cfg(test)]
mod tests {
    #[test]
    fn shopify_hmac_vector() {
        // Shopify's own test vector (shopify-app-js webhook validation tests).
        assert_eq!(
            super::sign("test_secret_key", br#"{"foo": "bar"}"#),
            "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g="
        );
    }
}
