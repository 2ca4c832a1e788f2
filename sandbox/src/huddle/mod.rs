//! Fake of Huddle's Shopify webhook endpoint: `POST /membership/create/{apiKey}`.
//!
//! Facts (`../shared/api-notes/platforms.md` §5, seed `000_3572f99e2d7100b1.txt`): the API key
//! is a path segment; the body is Shopify's `orders/paid` REST order JSON; for each line item
//! whose SKU matches a Huddle "webhook product", the buyer gets that product's access levels,
//! as a new user (who is e-mailed login details) or added to the existing account.
//!
//! Huddle has no public API documentation, so where it is silent the fake takes the tolerant
//! reading and says so:
//! - a wrong API key answers 401 (the status Huddle uses is unknown; any non-2xx is a refusal);
//! - the buyer is `customer.email`, else `email`, else `contact_email`, matched
//!   case-insensitively; an order with none answers 422;
//! - an order with no matching SKU answers 200 and changes nothing;
//! - `X-Shopify-Hmac-Sha256` is not checked (Huddle has no field for a Shopify secret);
//! - success answers 200 `{"success": true}`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The API key the fake accepts unless a test sets another.
pub const DEFAULT_API_KEY: &str = "hdl_sandbox_api_key_0123456789";

/// A Huddle "webhook product": Settings > Integrations > Webhooks.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct WebhookProduct {
    pub title: String,
    pub sku: String,
    pub levels: Vec<String>,
}

/// A member and the access levels they hold.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Membership {
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub levels: BTreeSet<String>,
    /// Login e-mails sent (1 for a user created here).
    pub welcome_emails: u32,
    /// Every order id that granted access, in arrival order (duplicates kept).
    pub orders: Vec<i64>,
}

/// One request received, whatever came of it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Received {
    pub api_key: String,
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

#[derive(Default)]
struct State_ {
    /// Answer this many coming requests with `fail_status` (then behave again).
    failures_left: u32,
    fail_status: u16,
    /// Wait this long before answering (a slow Huddle; a client may give up or be killed).
    delay: std::time::Duration,
    api_key: String,
    products: Vec<WebhookProduct>,
    members: BTreeMap<String, Membership>,
    received: Vec<Received>,
}

/// In-process control of the Huddle fake. Cheap to clone.
#[derive(Clone)]
pub struct HuddleHandle {
    state: Arc<Mutex<State_>>,
    base_url: Arc<Mutex<String>>,
}

impl HuddleHandle {
    pub fn set_base_url(&self, url: String) {
        *self.base_url.lock().unwrap() = url;
    }
    pub fn base_url(&self) -> String {
        self.base_url.lock().unwrap().clone()
    }
    pub fn api_key(&self) -> String {
        self.state.lock().unwrap().api_key.clone()
    }
    pub fn set_api_key(&self, key: &str) {
        self.state.lock().unwrap().api_key = key.into();
    }
    /// Adds (or replaces, by SKU) a webhook product.
    pub fn add_webhook_product(&self, title: &str, sku: &str, levels: &[&str]) {
        let mut st = self.state.lock().unwrap();
        st.products.retain(|p| p.sku != sku);
        st.products.push(WebhookProduct {
            title: title.into(),
            sku: sku.into(),
            levels: levels.iter().map(|l| l.to_string()).collect(),
        });
    }
    pub fn webhook_products(&self) -> Vec<WebhookProduct> {
        self.state.lock().unwrap().products.clone()
    }
    /// Every member, by e-mail (lowercased).
    pub fn memberships(&self) -> Vec<Membership> {
        self.state
            .lock()
            .unwrap()
            .members
            .values()
            .cloned()
            .collect()
    }
    pub fn membership(&self, email: &str) -> Option<Membership> {
        self.state
            .lock()
            .unwrap()
            .members
            .get(&email.to_lowercase())
            .cloned()
    }
    /// Answers the next `n` requests with HTTP `status` (e.g. 503), creating nothing.
    pub fn fail_next(&self, n: u32, status: u16) {
        let mut st = self.state.lock().unwrap();
        st.failures_left = n;
        st.fail_status = status;
    }
    /// Waits this long before handling each request.
    pub fn set_delay(&self, delay: std::time::Duration) {
        self.state.lock().unwrap().delay = delay;
    }
    /// Every request received, oldest first.
    pub fn received(&self) -> Vec<Received> {
        self.state.lock().unwrap().received.clone()
    }
}

/// Builds the fake's routes and handle.
pub fn build(api_key: &str) -> (HuddleHandle, Router) {
    let handle = HuddleHandle {
        state: Arc::new(Mutex::new(State_ {
            api_key: api_key.into(),
            ..Default::default()
        })),
        base_url: Arc::new(Mutex::new(String::new())),
    };
    let router = Router::new()
        .route("/membership/create/{api_key}", post(create))
        .with_state(handle.clone());
    (handle, router)
}

fn buyer(order: &Value) -> Option<(String, Option<String>, Option<String>)> {
    let c = &order["customer"];
    let email = [&c["email"], &order["email"], &order["contact_email"]]
        .into_iter()
        .filter_map(|v| v.as_str())
        .find(|e| !e.trim().is_empty())?
        .trim()
        .to_lowercase();
    let name = |k: &str| {
        c[k].as_str()
            .or_else(|| order["billing_address"][k].as_str())
            .map(str::to_string)
    };
    Some((email, name("first_name"), name("last_name")))
}

async fn create(
    State(h): State<HuddleHandle>,
    Path(api_key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    let delay = h.state.lock().unwrap().delay;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let mut st = h.state.lock().unwrap();
    let text = String::from_utf8_lossy(&body).to_string();
    let (status, answer) = if st.failures_left > 0 {
        st.failures_left -= 1;
        (
            StatusCode::from_u16(st.fail_status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
            json!({"success": false, "message": "Service temporarily unavailable"}),
        )
    } else if api_key != st.api_key {
        (
            StatusCode::UNAUTHORIZED,
            json!({"success": false, "message": "Invalid API key"}),
        )
    } else {
        match serde_json::from_slice::<Value>(&body) {
            Err(_) => (
                StatusCode::BAD_REQUEST,
                json!({"success": false, "message": "Invalid JSON"}),
            ),
            Ok(order) => match buyer(&order) {
                None => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    json!({"success": false, "message": "No e-mail address in the order"}),
                ),
                Some((email, first, last)) => {
                    let skus: Vec<&str> = order["line_items"]
                        .as_array()
                        .map(|a| a.iter().filter_map(|l| l["sku"].as_str()).collect())
                        .unwrap_or_default();
                    let levels: Vec<String> = st
                        .products
                        .iter()
                        .filter(|p| skus.contains(&p.sku.as_str()))
                        .flat_map(|p| p.levels.clone())
                        .collect();
                    if levels.is_empty() {
                        (
                            StatusCode::OK,
                            json!({"success": true, "message": "No webhook product for these SKUs"}),
                        )
                    } else {
                        let order_id = order["id"].as_i64().unwrap_or(0);
                        let m = st
                            .members
                            .entry(email.clone())
                            .or_insert_with(|| Membership {
                                email: email.clone(),
                                first_name: first,
                                last_name: last,
                                levels: BTreeSet::new(),
                                welcome_emails: 1,
                                orders: Vec::new(),
                            });
                        m.levels.extend(levels);
                        m.orders.push(order_id);
                        (StatusCode::OK, json!({"success": true}))
                    }
                }
            },
        }
    };
    st.received.push(Received {
        api_key,
        status: status.as_u16(),
        headers: headers
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
            .collect(),
        body: text,
    });
    (status, Json(answer))
}
