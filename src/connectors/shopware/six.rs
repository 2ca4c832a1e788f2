//! HTTP to the Shopware 6 Admin API: the client-credentials token (10 minutes; fetched again
//! before it ends or on a 401), `search` with criteria, and the writes of permissions and notes.
//!
//! Facts (`../shared/api-notes/platforms.md` §3.6): `POST /api/oauth/token` with
//! `{grant_type: client_credentials, client_id, client_secret}`; `Authorization: Bearer`;
//! errors `{"errors":[{status, code, title, detail}]}`. The newsletter permission is the
//! `newsletter_recipient` of the customer's e-mail (`direct`/`optIn` subscribed, `optOut`/none
//! not).

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::client::{ShopwareError, ShopwareStats};
use crate::http::{self, Attempt, RetryError};
use crate::model::Customer;
use crate::secret::{self, Secret};

pub struct Shopware6Client {
    http: reqwest::Client,
    base: String,
    client_id: Secret,
    client_secret: Secret,
    token: tokio::sync::Mutex<Option<(Secret, Instant)>>,
    pub stats: ShopwareStats,
}

fn message_of(text: &str) -> String {
    let v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let m = v["errors"][0]["detail"]
        .as_str()
        .or_else(|| v["errors"][0]["title"].as_str())
        .map(str::to_string)
        .unwrap_or_else(|| text.chars().take(200).collect());
    secret::redact(&m)
}

impl Shopware6Client {
    pub fn new(base_url: &str, client_id: Secret, client_secret: Secret) -> Shopware6Client {
        Shopware6Client {
            http: http::client(),
            base: base_url
                .trim_end_matches('/')
                .trim_end_matches("/api")
                .to_string(),
            client_id,
            client_secret,
            token: tokio::sync::Mutex::new(None),
            stats: ShopwareStats::default(),
        }
    }

    async fn token(&self, refresh: bool) -> Result<Secret, ShopwareError> {
        let mut slot = self.token.lock().await;
        if let Some((t, until)) = slot.as_ref() {
            if !refresh && Instant::now() < *until {
                return Ok(t.clone());
            }
        }
        let url = format!("{}/api/oauth/token", self.base);
        let body = json!({
            "grant_type": "client_credentials",
            "client_id": self.client_id.expose(),
            "client_secret": self.client_secret.expose(),
        });
        let got = http::retry(|_| async {
            self.stats.requests.fetch_add(1, Ordering::Relaxed);
            let reply = match http::exchange(self.http.post(&url).json(&body)).await {
                Ok(r) => r,
                Err(no) => return no.retry(),
            };
            if reply.status >= 500 || reply.status == 429 {
                return Attempt::Retry {
                    wait: None,
                    reason: format!("HTTP {}", reply.status),
                };
            }
            let v: Value = serde_json::from_str(&reply.text).unwrap_or(Value::Null);
            match v["access_token"].as_str() {
                Some(t) if reply.status == 200 => {
                    let life = v["expires_in"].as_u64().unwrap_or(600);
                    Attempt::Done((Secret::new(t.to_string()), life))
                }
                _ => Attempt::Fail(ShopwareError::Auth {
                    status: reply.status,
                    message: message_of(&reply.text),
                }),
            }
        })
        .await;
        let (token, life) = match got {
            Ok(t) => t,
            Err(RetryError::Fatal(e)) => return Err(e),
            Err(RetryError::Exhausted { last, .. }) => {
                return Err(ShopwareError::Unreachable {
                    url: self.base.clone(),
                    detail: last,
                })
            }
        };
        // A minute early, so no request goes out with a token about to end.
        let until = Instant::now() + Duration::from_secs(life.saturating_sub(60).max(30));
        *slot = Some((token.clone(), until));
        Ok(token)
    }

    /// One request with a JSON body; `Ok(None)` for 204. A 401 fetches a new token once.
    async fn call(
        &self,
        method: &'static str,
        path: &str,
        body: &Value,
    ) -> Result<Option<Value>, ShopwareError> {
        let mut refreshed = false;
        loop {
            let token = self.token(refreshed).await?;
            let url = format!("{}/api{path}", self.base);
            let result = http::retry(|_| {
                let url = url.clone();
                let token = token.clone();
                async move {
                    self.stats.requests.fetch_add(1, Ordering::Relaxed);
                    tracing::debug!("{method} {url}");
                    let request = match method {
                        "PATCH" => self.http.patch(&url),
                        _ => self.http.post(&url),
                    }
                    .bearer_auth(token.expose())
                    .header("Accept", "application/json")
                    .json(body);
                    let reply = match http::exchange(request).await {
                        Ok(r) => r,
                        Err(no) => return no.retry(),
                    };
                    let status = reply.status;
                    if status == 429 {
                        return Attempt::Retry {
                            wait: Some(
                                http::retry_after(&reply.headers).unwrap_or(Duration::from_secs(1)),
                            ),
                            reason: "HTTP 429".into(),
                        };
                    }
                    if status >= 500 {
                        return Attempt::Retry {
                            wait: None,
                            reason: format!("HTTP {status}"),
                        };
                    }
                    if status == 401 {
                        return Attempt::Fail(ShopwareError::Auth {
                            status,
                            message: message_of(&reply.text),
                        });
                    }
                    if !(200..300).contains(&status) {
                        return Attempt::Fail(ShopwareError::Refused {
                            method,
                            path: path.to_string(),
                            status,
                            message: message_of(&reply.text),
                        });
                    }
                    if reply.text.trim().is_empty() {
                        return Attempt::Done(None);
                    }
                    match serde_json::from_str::<Value>(&reply.text) {
                        Ok(v) => Attempt::Done(Some(v)),
                        Err(_) => Attempt::Retry {
                            wait: None,
                            reason: "the answer was not complete JSON".into(),
                        },
                    }
                }
            })
            .await;
            match result {
                Ok(v) => return Ok(v),
                Err(RetryError::Fatal(ShopwareError::Auth { .. })) if !refreshed => {
                    refreshed = true
                }
                Err(RetryError::Fatal(e)) => return Err(e),
                Err(RetryError::Exhausted { last, .. }) => {
                    return Err(ShopwareError::Unreachable {
                        url: self.base.clone(),
                        detail: last,
                    })
                }
            }
        }
    }

    async fn search(
        &self,
        entity: &str,
        criteria: &Value,
    ) -> Result<(Vec<Value>, usize), ShopwareError> {
        let v = self
            .call("POST", &format!("/search/{entity}"), criteria)
            .await?
            .unwrap_or(Value::Null);
        let data = v["data"]
            .as_array()
            .cloned()
            .ok_or_else(|| ShopwareError::Malformed {
                path: format!("/search/{entity}"),
                detail: "no `data` list".into(),
            })?;
        Ok((data, v["total"].as_u64().unwrap_or(0) as usize))
    }

    /// One page (from 1) of customers created or updated at or after `since` (ISO 8601),
    /// oldest change first. Shopware sets `updatedAt` on an entity's first update only (it is
    /// null after the insert), so a customer that only registered is found by `createdAt`.
    pub async fn customer_page(
        &self,
        since: Option<&str>,
        page: usize,
        limit: usize,
    ) -> Result<(Vec<Value>, usize), ShopwareError> {
        let mut criteria = json!({
            "page": page,
            "limit": limit,
            "sort": [{"field": "updatedAt", "order": "ASC"}, {"field": "id", "order": "ASC"}],
            "associations": {"salutation": {}, "defaultBillingAddress": {"associations": {"country": {}}}},
            "total-count-mode": 1,
        });
        if let Some(s) = since {
            criteria["filter"] = json!([changed_since(s)]);
        }
        self.search("customer", &criteria).await
    }

    /// Newsletter recipients created or changed at or after `since` (ISO 8601), every page: a
    /// subscription made or ended in the storefront changes the recipient, not the customer.
    pub async fn recipients_changed(&self, since: &str) -> Result<Vec<Value>, ShopwareError> {
        let limit = super::client::PAGE;
        let mut out = Vec::new();
        for page in 1.. {
            let criteria = json!({
                "page": page,
                "limit": limit,
                "filter": [changed_since(since)],
                "sort": [{"field": "id", "order": "ASC"}],
                "total-count-mode": 1,
            });
            let (rows, total) = self.search("newsletter-recipient", &criteria).await?;
            let n = rows.len();
            out.extend(rows);
            if n == 0 || page * limit >= total {
                break;
            }
        }
        Ok(out)
    }

    /// The customers with these e-mail addresses (with the associations a read has).
    pub async fn customers_by_email(&self, emails: &[String]) -> Result<Vec<Value>, ShopwareError> {
        let mut out = Vec::new();
        for chunk in emails.chunks(super::client::PAGE) {
            let criteria = json!({
                "limit": chunk.len(),
                "filter": [{"type": "equalsAny", "field": "email", "value": chunk}],
                "sort": [{"field": "id", "order": "ASC"}],
                "associations": {"salutation": {}, "defaultBillingAddress": {"associations": {"country": {}}}},
            });
            out.extend(self.search("customer", &criteria).await?.0);
        }
        Ok(out)
    }

    /// The custom fields defined on customers: (name, type).
    pub async fn customer_custom_fields(&self) -> Result<Vec<(String, String)>, ShopwareError> {
        let criteria = json!({
            "limit": 500,
            "associations": {"customFieldSet": {"associations": {"relations": {}}}},
        });
        let (rows, _) = self.search("custom-field", &criteria).await?;
        Ok(rows
            .iter()
            .filter(|f| {
                f["customFieldSet"]["relations"]
                    .as_array()
                    .is_some_and(|r| r.iter().any(|x| x["entityName"] == "customer"))
            })
            .filter_map(|f| {
                Some((
                    f["name"].as_str()?.to_string(),
                    f["type"].as_str().unwrap_or("text").to_string(),
                ))
            })
            .collect())
    }

    /// The customer with this id.
    pub async fn customer(&self, id: &str) -> Result<Option<Value>, ShopwareError> {
        let criteria = json!({
            "filter": [{"type": "equals", "field": "id", "value": id}],
            "associations": {"salutation": {}, "defaultBillingAddress": {"associations": {"country": {}}}},
        });
        Ok(self
            .search("customer", &criteria)
            .await?
            .0
            .into_iter()
            .next())
    }

    /// Newsletter recipients by e-mail.
    pub async fn recipients(
        &self,
        emails: &[String],
    ) -> Result<HashMap<String, Value>, ShopwareError> {
        if emails.is_empty() {
            return Ok(HashMap::new());
        }
        let criteria = json!({
            "filter": [{"type": "equalsAny", "field": "email", "value": emails}],
            "limit": emails.len().max(1),
        });
        let (rows, _) = self.search("newsletter-recipient", &criteria).await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| Some((r["email"].as_str()?.to_lowercase(), r)))
            .collect())
    }

    /// Turns the newsletter permission of `customer` on or off.
    pub async fn set_newsletter(&self, customer: &Value, on: bool) -> Result<(), ShopwareError> {
        let email = customer["email"].as_str().unwrap_or("").to_string();
        let recipient = self
            .recipients(std::slice::from_ref(&email))
            .await?
            .remove(&email.to_lowercase());
        let status = if on { "direct" } else { "optOut" };
        match recipient {
            Some(r) => {
                let id = r["id"].as_str().unwrap_or("");
                self.call(
                    "PATCH",
                    &format!("/newsletter-recipient/{id}"),
                    &json!({"status": status}),
                )
                .await
                .map(|_| ())
            }
            None if !on => Ok(()),
            // Every Required field of `newsletter_recipient`: `hash` (the confirmation link's,
            // Shopware writes a random hex id) and the customer's language and sales channel.
            None => self
                .call(
                    "POST",
                    "/newsletter-recipient",
                    &json!({
                        "email": email,
                        "status": status,
                        "hash": format!("{:032x}", rand::random::<u128>()),
                        "languageId": customer["languageId"],
                        "salesChannelId": customer["salesChannelId"],
                    }),
                )
                .await
                .map(|_| ()),
        }
    }

    /// `PATCH /api/customer/{id}` with these changes.
    pub async fn update_customer(&self, id: &str, changes: &Value) -> Result<(), ShopwareError> {
        self.call("PATCH", &format!("/customer/{id}"), changes)
            .await
            .map(|_| ())
    }
}

/// The filter "created or updated at or after `since`": Shopware sets `updatedAt` on an
/// entity's first update only (it is null after the insert).
fn changed_since(since: &str) -> Value {
    json!({"type": "multi", "operator": "or", "queries": [
        {"type": "range", "field": "updatedAt", "parameters": {"gte": since}},
        {"type": "range", "field": "createdAt", "parameters": {"gte": since}},
    ]})
}

/// When an entity last changed: `updatedAt`, or `createdAt` for one never updated.
pub fn changed_at(c: &Value) -> Option<&str> {
    c["updatedAt"].as_str().or_else(|| c["createdAt"].as_str())
}

/// Whether a recipient's status means subscribed.
fn subscribed(recipient: Option<&Value>) -> bool {
    recipient.is_some_and(|r| matches!(r["status"].as_str(), Some("direct" | "optIn")))
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A Shopware 6 customer (with its newsletter recipient) as a canonical customer.
pub fn to_customer(c: &Value, recipient: Option<&Value>) -> Result<Customer, String> {
    let id = c["id"]
        .as_str()
        .ok_or("the customer has no id")?
        .to_string();
    let mut fields = BTreeMap::new();
    for k in [
        "id",
        "customerNumber",
        "email",
        "firstName",
        "lastName",
        "title",
        "birthday",
        "createdAt",
        "updatedAt",
    ] {
        if let Some(v) = scalar(&c[k]) {
            fields.insert(k.to_string(), v);
        }
    }
    if let Some(s) = scalar(&c["salutation"]["salutationKey"]) {
        fields.insert(
            "salutation".into(),
            if s == "mrs" { "ms".into() } else { s },
        );
    }
    fields.insert("newsletter".into(), subscribed(recipient).to_string());
    let b = &c["defaultBillingAddress"];
    for (k, v) in [
        ("street", &b["street"]),
        ("zipcode", &b["zipcode"]),
        ("city", &b["city"]),
        ("company", &b["company"]),
        ("phone", &b["phoneNumber"]),
        ("country", &b["country"]["iso"]),
    ] {
        if let Some(v) = scalar(v) {
            fields.insert(format!("billing.{k}"), v);
        }
    }
    if let Some(cf) = c["customFields"].as_object() {
        for (k, v) in cf {
            if let Some(v) = scalar(v) {
                fields.insert(format!("customFields.{k}"), v);
            }
        }
    }
    let get = |k: &str| fields.get(k).cloned();
    Ok(Customer {
        id,
        email: get("email"),
        first_name: get("firstName"),
        last_name: get("lastName"),
        accepts_marketing: Some(subscribed(recipient)),
        created_at: get("createdAt").unwrap_or_default(),
        updated_at: get("updatedAt")
            .or_else(|| get("createdAt"))
            .unwrap_or_default(),
        fields,
        ..Default::default()
    })
}
