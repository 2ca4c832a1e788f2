//! One GraphQL request to the Admin API, with pacing, retries and error classification.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use serde_json::{json, Value};

use super::costs::{self, Cost, CostBook, DocumentCost};
use super::documents::Document;
use super::settings::SHOPIFY_API_VERSION;
use super::throttle::{Bucket, Throttle};
use crate::error::CliError;
use crate::http::{self, Attempt};
use crate::secret::Secret;
use crate::state::{StateError, StateStore};

#[derive(Debug, thiserror::Error)]
pub enum ShopifyError {
    #[error("Shopify refused the access token for {shop} (HTTP 401)")]
    Unauthorized { shop: String },
    #[error("no Shopify shop answers at {url} (HTTP 404)")]
    NotFound { url: String },
    #[error("Shopify denied access: {message}")]
    AccessDenied { message: String },
    #[error("the query {document} costs more than Shopify allows in one request")]
    MaxCostExceeded { document: &'static str },
    #[error("Shopify answered {document} with an error: {message}")]
    GraphQl {
        document: &'static str,
        message: String,
    },
    #[error("Shopify at {url} could not be reached: {detail}")]
    Unreachable { url: String, detail: String },
    #[error("Shopify answered HTTP {status}: {body}")]
    Http { status: u16, body: String },
    /// A mutation that must not be sent twice reached Shopify, but its answer was lost (timeout,
    /// dropped connection, server error): it may or may not have been applied.
    #[error(
        "Shopify's answer to {document} was lost ({detail}); it may or may not have been applied"
    )]
    Ambiguous {
        document: &'static str,
        detail: String,
    },
}

impl From<ShopifyError> for CliError {
    fn from(e: ShopifyError) -> CliError {
        let message = e.to_string();
        match e {
            ShopifyError::Unauthorized { .. } => CliError::config(message).hint(
                "the Admin API access token is wrong or was revoked: store the right one with \
                 `shopsync auth set PROFILE shopify`, or set SHOPSYNC_<PROFILE>_SHOPIFY_TOKEN",
            ),
            ShopifyError::NotFound { .. } => CliError::config(message)
                .hint("check `shop` (and `base_url`, if set) in the profile's [shopify] table"),
            ShopifyError::AccessDenied { .. } => CliError::config(message).hint(
                "give the app the access scope named above (Shopify admin > Apps > Develop apps > \
                 Configuration > Admin API scopes), then reinstall it to get a new token",
            ),
            ShopifyError::Unreachable { .. } => CliError::run(message).hint(
                "check the network, and `shop` / `base_url` in the profile; the run can simply be started again",
            ),
            _ => CliError::run(message),
        }
    }
}

/// Counters for the run report and the benchmark.
#[derive(Debug, Default)]
pub struct ShopifyStats {
    pub requests: AtomicU64,
    pub throttled: AtomicU64,
    /// Time spent waiting for the cost bucket before sending, in microseconds.
    pub paced_micros: AtomicU64,
}

pub struct ShopifyClient {
    http: reqwest::Client,
    endpoint: String,
    shop: String,
    token: Secret,
    throttle: Mutex<Throttle>,
    costs: Mutex<CostBook>,
    /// A request whose cost (or the bucket) is not known yet is sent alone: it takes this for
    /// writing; requests of known cost share it.
    unknown_cost: tokio::sync::RwLock<()>,
    /// A read at or below the bulk threshold still goes by bulk export when its pages would
    /// wait long for the cost bucket. Off when the profile sets the threshold itself.
    pub(super) bulk_when_pages_are_slow: bool,
    pub stats: ShopifyStats,
}

impl ShopifyClient {
    /// `base_url` is `https://acme.myshopify.com` or an override (proxy, sandbox).
    pub fn new(base_url: &str, shop: &str, token: Secret) -> ShopifyClient {
        ShopifyClient {
            http: http::client(),
            endpoint: format!(
                "{}/admin/api/{SHOPIFY_API_VERSION}/graphql.json",
                base_url.trim_end_matches('/')
            ),
            shop: shop.to_string(),
            token,
            throttle: Mutex::new(Throttle::default()),
            costs: Mutex::new(CostBook::default()),
            bulk_when_pages_are_slow: true,
            unknown_cost: tokio::sync::RwLock::new(()),
            stats: ShopifyStats::default(),
        }
    }

    /// Whether a read of no more than the bulk threshold goes by bulk export anyway when its
    /// pages would wait long for the cost bucket (on unless the profile set the threshold).
    pub fn bulk_when_pages_are_slow(mut self, on: bool) -> ShopifyClient {
        self.bulk_when_pages_are_slow = on;
        self
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Sends `document` and returns its `data`. Retried on every transient failure: for queries
    /// and for mutations that are safe to repeat (same input, same outcome; or an idempotency key).
    pub async fn query(&self, document: Document, variables: Value) -> Result<Value, ShopifyError> {
        Ok(self.send(document, variables, true, None).await?.0)
    }

    /// Like [`ShopifyClient::query`], for a request expected to request `requested` points (a
    /// page whose size differs from the last one), returning what Shopify said it cost.
    pub async fn query_costed(
        &self,
        document: Document,
        variables: Value,
        requested: Option<f64>,
    ) -> Result<(Value, Option<Cost>), ShopifyError> {
        self.send(document, variables, true, requested).await
    }

    /// What `document` cost when it was last sent (this run, or an earlier one).
    pub fn document_cost(&self, document: &str) -> Option<DocumentCost> {
        self.costs.lock().unwrap().get(document)
    }

    /// Records what one record of a page of `document` costs (`first` asked, `records` got).
    pub fn observe_page_cost(&self, document: &str, cost: Cost, first: u64, records: usize) {
        self.costs
            .lock()
            .unwrap()
            .observe_page(document, cost, first, records);
    }

    /// Paces this process's first requests by the costs an earlier run kept in `store`.
    pub fn recall_costs(&self, store: &StateStore) -> Result<(), StateError> {
        let stored = store.shopify_query_costs()?;
        self.costs
            .lock()
            .unwrap()
            .preload(stored.into_iter().map(costs::from_stored));
        Ok(())
    }

    /// Keeps the costs this process saw in `store`, for the next run.
    pub fn keep_costs(&self, store: &StateStore) -> Result<(), StateError> {
        let seen: Vec<_> = self
            .costs
            .lock()
            .unwrap()
            .entries()
            .map(|(document, cost)| costs::to_stored(document, cost))
            .collect();
        store.set_shopify_query_costs(&seen)
    }

    /// Shopify's cost bucket now, once an answer reported it.
    pub fn bucket(&self) -> Option<Bucket> {
        self.throttle.lock().unwrap().bucket()
    }

    /// Sends a mutation that must not be applied twice (a create). Retried only when Shopify
    /// surely did not run it (could not connect, HTTP 429, THROTTLED); when the request may have
    /// reached Shopify and the answer was lost, returns [`ShopifyError::Ambiguous`] so the caller
    /// can look before trying again.
    pub async fn mutate_once(
        &self,
        document: Document,
        variables: Value,
    ) -> Result<Value, ShopifyError> {
        Ok(self.send(document, variables, false, None).await?.0)
    }

    async fn send(
        &self,
        document: Document,
        variables: Value,
        repeatable: bool,
        requested: Option<f64>,
    ) -> Result<(Value, Option<Cost>), ShopifyError> {
        let body = json!({ "query": document.text, "variables": variables });
        let result = http::retry(|_| async {
            match self.attempt(document, &body, requested).await {
                Attempt::Retry { wait: None, reason }
                    if !repeatable && !reason.starts_with(NOT_SENT) =>
                {
                    Attempt::Fail(ShopifyError::Ambiguous {
                        document: document.name,
                        detail: reason,
                    })
                }
                other => other,
            }
        })
        .await;
        result.map_err(|e| {
            e.into_error(|detail| ShopifyError::Unreachable {
                url: self.endpoint.clone(),
                detail,
            })
        })
    }

    async fn attempt(
        &self,
        document: Document,
        body: &Value,
        requested: Option<f64>,
    ) -> Attempt<(Value, Option<Cost>), ShopifyError> {
        let expected = || {
            let bucket_known = self.throttle.lock().unwrap().bucket().is_some();
            requested
                .or_else(|| self.document_cost(document.name).map(|c| c.requested))
                .filter(|_| bucket_known)
        };
        // Without a cost to book, the request goes alone, so that its answer (THROTTLED or
        // not) tells the cost before anything else is sent: a first request never races others
        // into the bucket. The turn is awaited for a bounded time only: a request's future can
        // be left unpolled (a buffered stream) while its owner sends another request, and that
        // must never deadlock.
        let _turn = match expected() {
            Some(_) => tokio::time::timeout(TURN_WAIT, self.unknown_cost.read())
                .await
                .ok()
                .map(Turn::Shared),
            None => tokio::time::timeout(TURN_WAIT, self.unknown_cost.write())
                .await
                .ok()
                .map(Turn::Alone),
        };
        let expected = expected().unwrap_or(0.0);
        let (wait, points) = self.throttle.lock().unwrap().reserve(expected);
        // Given back when the answer comes, or if this attempt is dropped while it waits.
        let booking = Booking {
            throttle: &self.throttle,
            points,
        };
        if !wait.is_zero() {
            tracing::debug!(
                "pacing {wait:?} for Shopify's bucket before {}",
                document.name
            );
            tokio::time::sleep(wait).await;
            self.stats
                .paced_micros
                .fetch_add(wait.as_micros() as u64, Ordering::Relaxed);
        }
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        tracing::debug!("POST {} ({})", self.endpoint, document.name);
        let request = self
            .http
            .post(&self.endpoint)
            .header("X-Shopify-Access-Token", self.token.expose())
            .json(body);
        let reply = http::exchange(request).await;
        drop(booking);
        let reply = match reply {
            Ok(reply) => reply,
            Err(no_reply) if !no_reply.maybe_received => {
                return Attempt::Retry {
                    wait: None,
                    reason: format!("{NOT_SENT}{}", no_reply.reason),
                }
            }
            Err(no_reply) => return no_reply.retry(),
        };
        let status = reply.status;
        let retry_after = reply.retry_after();
        let text = reply.text;
        match status {
            200 => {}
            401 => {
                return Attempt::Fail(ShopifyError::Unauthorized {
                    shop: self.shop.clone(),
                })
            }
            403 => {
                return Attempt::Fail(ShopifyError::AccessDenied {
                    message: error_text(&text),
                })
            }
            404 => {
                return Attempt::Fail(ShopifyError::NotFound {
                    url: self.endpoint.clone(),
                })
            }
            429 => {
                self.stats.throttled.fetch_add(1, Ordering::Relaxed);
                return Attempt::Retry {
                    wait: Some(retry_after.unwrap_or(Duration::from_secs(1))),
                    reason: "HTTP 429 Too Many Requests".into(),
                };
            }
            500..=599 => {
                return Attempt::Retry {
                    wait: None,
                    reason: format!("HTTP {status}"),
                }
            }
            _ => {
                return Attempt::Fail(ShopifyError::Http {
                    status,
                    body: error_text(&text),
                })
            }
        }
        let value: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(_) => {
                return Attempt::Retry {
                    wait: None,
                    reason: "the answer was not complete JSON".into(),
                }
            }
        };
        let cost = &value["extensions"]["cost"];
        if let Some(status) = cost.get("throttleStatus") {
            self.throttle.lock().unwrap().observe(status);
        }
        let reported = cost
            .get("requestedQueryCost")
            .and_then(Value::as_f64)
            .map(|requested| Cost {
                requested,
                actual: cost.get("actualQueryCost").and_then(Value::as_f64),
            });
        if let Some(reported) = reported {
            self.costs.lock().unwrap().observe(document.name, reported);
        }
        let requested = reported.map(|c| c.requested);
        if let Some(errors) = value.get("errors").filter(|e| !e.is_null()) {
            let code = |c: &str| {
                errors.as_array().is_some_and(|a| {
                    a.iter()
                        .any(|e| e["extensions"]["code"].as_str() == Some(c))
                })
            };
            if code("THROTTLED") {
                self.stats.throttled.fetch_add(1, Ordering::Relaxed);
                let wait = self
                    .throttle
                    .lock()
                    .unwrap()
                    .wait_after_throttled(requested.unwrap_or(expected));
                tracing::debug!(
                    "THROTTLED: {} requested {requested:?} points",
                    document.name
                );
                return Attempt::Retry {
                    wait: Some(wait),
                    reason: "THROTTLED".into(),
                };
            }
            if code("MAX_COST_EXCEEDED") {
                return Attempt::Fail(ShopifyError::MaxCostExceeded {
                    document: document.name,
                });
            }
            if code("ACCESS_DENIED") {
                return Attempt::Fail(ShopifyError::AccessDenied {
                    message: error_text(&text),
                });
            }
            if code("INTERNAL_SERVER_ERROR") {
                return Attempt::Retry {
                    wait: None,
                    reason: error_text(&text),
                };
            }
            return Attempt::Fail(ShopifyError::GraphQl {
                document: document.name,
                message: error_text(&text),
            });
        }
        let data = match value {
            Value::Object(mut map) => map.remove("data").unwrap_or(Value::Null),
            _ => Value::Null,
        };
        Attempt::Done((data, reported))
    }
}

/// The longest a request waits for its turn (see [`Turn`]).
const TURN_WAIT: Duration = Duration::from_secs(2);

/// An attempt's turn: shared with other requests of known cost, or alone.
enum Turn<'a> {
    Shared(#[allow(dead_code)] tokio::sync::RwLockReadGuard<'a, ()>),
    Alone(#[allow(dead_code)] tokio::sync::RwLockWriteGuard<'a, ()>),
}

/// Points booked in the throttle for one attempt; released when dropped.
struct Booking<'a> {
    throttle: &'a Mutex<Throttle>,
    points: f64,
}

impl Drop for Booking<'_> {
    fn drop(&mut self) {
        if let Ok(mut t) = self.throttle.lock() {
            t.release(self.points);
        }
    }
}

/// Marks a failure that happened before the request reached Shopify (safe to send again).
const NOT_SENT: &str = "not sent: ";

/// The human part of an error body: GraphQL `errors[].message`, or the REST-style `errors`.
fn error_text(body: &str) -> String {
    let Ok(value) = serde_json::from_str::<Value>(body) else {
        return body.chars().take(300).collect();
    };
    match &value["errors"] {
        Value::String(s) => s.clone(),
        Value::Array(list) => list
            .iter()
            .map(|e| {
                e["message"]
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| e.to_string())
            })
            .collect::<Vec<_>>()
            .join("; "),
        Value::Null => body.chars().take(300).collect(),
        other => other.to_string(),
    }
}
