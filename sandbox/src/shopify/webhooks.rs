//! Webhook subscriptions (`webhookSubscriptionCreate/Update/Delete`, `webhookSubscriptions`,
//! `webhookSubscription`) and the delivery of `orders/paid`.
//!
//! Facts followed (`../shared/api-notes/shopify.md` §8–9): from 2025-10 the subscription's
//! address is the `uri` field (input and output); `callbackUrl` is deprecated but still
//! answered. A delivery is a POST of the REST resource JSON with `X-Shopify-Topic`,
//! `X-Shopify-Hmac-Sha256` (base64 HMAC-SHA256 of the raw body, keyed with the app's client
//! secret), `X-Shopify-Shop-Domain`, `X-Shopify-API-Version`, `X-Shopify-Webhook-Id`,
//! `X-Shopify-Event-Id`, `X-Shopify-Triggered-At` and `X-Shopify-Name` (when named).
//!
//! Readings chosen where the docs are silent: a second subscription with the same topic and
//! `uri` is refused with a user error "Address for this topic has already been taken" (what
//! Shopify answers in practice); only HTTP(S) `uri`s are delivered to.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};

use base64::Engine;
use hmac::{KeyInit, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::executor::{page_args, page_list, Ctx, FieldError, Resolved, Resolvers};
use super::Shared;
use crate::seed::{gid, iso, parse_gid};

/// The app's client secret the fake signs deliveries with, unless a test sets another.
pub const DEFAULT_APP_SECRET: &str = "shpss_sandbox_app_secret_0123456789";

/// Subscriptions and delivery records.
pub struct WebhookState {
    subs: Mutex<Vec<Value>>,
    next_id: AtomicU64,
    secret: RwLock<String>,
    deliveries: Mutex<Vec<Delivery>>,
}

impl Default for WebhookState {
    fn default() -> Self {
        WebhookState {
            subs: Mutex::new(Vec::new()),
            next_id: AtomicU64::new(1_000_001),
            secret: RwLock::new(DEFAULT_APP_SECRET.into()),
            deliveries: Mutex::new(Vec::new()),
        }
    }
}

/// One attempted delivery.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Delivery {
    pub subscription_id: String,
    pub uri: String,
    pub topic: String,
    pub webhook_id: String,
    /// HTTP status of the receiver's answer; `None` when it could not be reached.
    pub status: Option<u16>,
    pub body: String,
}

impl WebhookState {
    pub fn secret(&self) -> String {
        self.secret.read().unwrap().clone()
    }
    pub fn set_secret(&self, s: &str) {
        *self.secret.write().unwrap() = s.into();
    }
    /// Every subscription as the API shows it.
    pub fn subscriptions(&self) -> Vec<Value> {
        self.subs.lock().unwrap().clone()
    }
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.deliveries.lock().unwrap().clone()
    }
}

/// base64(HMAC-SHA256(secret, body)): the `X-Shopify-Hmac-Sha256` header value.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(body);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

pub(crate) fn register(r: &mut Resolvers) {
    r.query.insert("webhookSubscriptions", list);
    r.query.insert("webhookSubscription", one);
    r.mutation.insert("webhookSubscriptionCreate", create);
    r.mutation.insert("webhookSubscriptionUpdate", update);
    r.mutation.insert("webhookSubscriptionDelete", delete);
}

fn user_error(field: &[&str], message: &str) -> Value {
    json!({"__typename": "UserError", "field": field, "message": message})
}

/// The address of an input: `uri`, or the deprecated `callbackUrl`.
fn input_uri(input: &Map<String, Value>) -> Option<String> {
    input
        .get("uri")
        .or_else(|| input.get("callbackUrl"))
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

fn uri_error(uri: &str) -> Option<Value> {
    let ok = uri.starts_with("https://")
        || uri.starts_with("http://")
        || uri.starts_with("pubsub://")
        || uri.starts_with("arn:aws:events:");
    (!ok).then(|| user_error(&["webhookSubscription", "uri"], "Address is invalid"))
}

fn endpoint(uri: &str) -> Value {
    json!({"__typename": "WebhookHttpEndpoint", "callbackUrl": uri})
}

fn list(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Resolved, FieldError> {
    let pa = page_args(args, ctx.bulk)?;
    let topics: Option<Vec<String>> = args.get("topics").and_then(|v| v.as_array()).map(|a| {
        a.iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect()
    });
    let uri = args
        .get("uri")
        .or_else(|| args.get("callbackUrl"))
        .and_then(|v| v.as_str());
    let format = args.get("format").and_then(|v| v.as_str());
    let items: Vec<Value> = ctx
        .shared
        .webhooks
        .subscriptions()
        .into_iter()
        .filter(|s| {
            topics
                .as_ref()
                .is_none_or(|t| t.iter().any(|t| s["topic"] == *t))
                && uri.is_none_or(|u| s["uri"] == u)
                && format.is_none_or(|f| s["format"] == f)
        })
        .collect();
    let page = page_list(&items, &pa)?;
    Ok(Resolved::Page(page))
}

fn one(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Resolved, FieldError> {
    let g = args.get("id").and_then(|v| v.as_str()).unwrap_or("");
    let found = ctx
        .shared
        .webhooks
        .subscriptions()
        .into_iter()
        .find(|s| s["id"] == g);
    Ok(Resolved::Value(found.unwrap_or(Value::Null)))
}

fn create(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Resolved, FieldError> {
    let payload = |sub: Value, errors: Vec<Value>| {
        Resolved::Value(json!({
            "__typename": "WebhookSubscriptionCreatePayload",
            "webhookSubscription": sub,
            "userErrors": errors,
        }))
    };
    let topic = args
        .get("topic")
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_string();
    let input = args
        .get("webhookSubscription")
        .and_then(|v| v.as_object())
        .cloned()
        .unwrap_or_default();
    let Some(uri) = input_uri(&input) else {
        return Ok(payload(
            Value::Null,
            vec![user_error(
                &["webhookSubscription", "uri"],
                "Address can't be blank",
            )],
        ));
    };
    if let Some(e) = uri_error(&uri) {
        return Ok(payload(Value::Null, vec![e]));
    }
    let w = &ctx.shared.webhooks;
    let mut subs = w.subs.lock().unwrap();
    if subs.iter().any(|s| s["topic"] == topic && s["uri"] == uri) {
        return Ok(payload(
            Value::Null,
            vec![user_error(
                &["webhookSubscription", "callbackUrl"],
                "Address for this topic has already been taken",
            )],
        ));
    }
    let id = w.next_id.fetch_add(1, Ordering::Relaxed);
    let now = iso(super::store::now_secs());
    let sub = json!({
        "__typename": "WebhookSubscription",
        "id": gid("WebhookSubscription", id),
        "legacyResourceId": id.to_string(),
        "topic": topic,
        "uri": uri,
        "callbackUrl": uri,
        "endpoint": endpoint(&uri),
        "format": input.get("format").and_then(|v| v.as_str()).unwrap_or("JSON"),
        "apiVersion": {"__typename": "ApiVersion", "handle": super::API_VERSION, "displayName": super::API_VERSION, "supported": true},
        "filter": input.get("filter").cloned().unwrap_or(Value::Null),
        "includeFields": input.get("includeFields").cloned().filter(|v| !v.is_null()).unwrap_or(json!([])),
        "metafieldNamespaces": input.get("metafieldNamespaces").cloned().filter(|v| !v.is_null()).unwrap_or(json!([])),
        "metafields": [],
        "name": input.get("name").cloned().unwrap_or(Value::Null),
        "createdAt": now,
        "updatedAt": now,
    });
    subs.push(sub.clone());
    Ok(payload(sub, Vec::new()))
}

fn update(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Resolved, FieldError> {
    let payload = |sub: Value, errors: Vec<Value>| {
        Resolved::Value(json!({
            "__typename": "WebhookSubscriptionUpdatePayload",
            "webhookSubscription": sub,
            "userErrors": errors,
        }))
    };
    let g = args.get("id").and_then(|v| v.as_str()).unwrap_or("");
    parse_gid(g).ok_or_else(|| FieldError::new(format!("Invalid global id '{g}'")))?;
    let input = args
        .get("webhookSubscription")
        .and_then(|v| v.as_object())
        .cloned()
        .unwrap_or_default();
    let mut subs = ctx.shared.webhooks.subs.lock().unwrap();
    let Some(pos) = subs.iter().position(|s| s["id"] == g) else {
        return Ok(payload(
            Value::Null,
            vec![user_error(&["id"], "Webhook subscription does not exist")],
        ));
    };
    if let Some(uri) = input_uri(&input) {
        if let Some(e) = uri_error(&uri) {
            return Ok(payload(Value::Null, vec![e]));
        }
        let topic = subs[pos]["topic"].clone();
        if subs
            .iter()
            .enumerate()
            .any(|(i, s)| i != pos && s["topic"] == topic && s["uri"] == uri)
        {
            return Ok(payload(
                Value::Null,
                vec![user_error(
                    &["webhookSubscription", "callbackUrl"],
                    "Address for this topic has already been taken",
                )],
            ));
        }
        subs[pos]["uri"] = json!(uri);
        subs[pos]["callbackUrl"] = json!(uri);
        subs[pos]["endpoint"] = endpoint(&uri);
    }
    for k in [
        "format",
        "filter",
        "includeFields",
        "metafieldNamespaces",
        "name",
    ] {
        if let Some(v) = input.get(k) {
            subs[pos][k] = v.clone();
        }
    }
    subs[pos]["updatedAt"] = json!(iso(super::store::now_secs()));
    Ok(payload(subs[pos].clone(), Vec::new()))
}

fn delete(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Resolved, FieldError> {
    let g = args.get("id").and_then(|v| v.as_str()).unwrap_or("");
    parse_gid(g).ok_or_else(|| FieldError::new(format!("Invalid global id '{g}'")))?;
    let mut subs = ctx.shared.webhooks.subs.lock().unwrap();
    let before = subs.len();
    subs.retain(|s| s["id"] != g);
    let (deleted, errors) = if subs.len() < before {
        (json!(g), Vec::new())
    } else {
        (
            Value::Null,
            vec![user_error(&["id"], "Webhook subscription does not exist")],
        )
    };
    Ok(Resolved::Value(json!({
        "__typename": "WebhookSubscriptionDeletePayload",
        "deletedWebhookSubscriptionId": deleted,
        "userErrors": errors,
    })))
}

fn legacy(g: &Value) -> Value {
    g.as_str()
        .and_then(parse_gid)
        .map(|(_, id)| json!(id))
        .unwrap_or(Value::Null)
}

/// REST money strings have two decimals ("49.00"); GraphQL's Decimal may not ("49.0").
fn amount(set: &Value) -> Value {
    match set["shopMoney"]["amount"]
        .as_str()
        .and_then(|a| a.parse::<f64>().ok())
    {
        Some(a) => json!(format!("{a:.2}")),
        None => Value::Null,
    }
}

fn lower(v: &Value) -> Value {
    v.as_str()
        .map(|s| json!(s.to_lowercase()))
        .unwrap_or(Value::Null)
}

fn address(a: &Value) -> Value {
    if !a.is_object() {
        return Value::Null;
    }
    json!({
        "first_name": a["firstName"], "last_name": a["lastName"], "name": a["name"],
        "company": a["company"], "address1": a["address1"], "address2": a["address2"],
        "city": a["city"], "province": a["province"], "province_code": a["provinceCode"],
        "country": a["country"], "country_code": a["countryCodeV2"], "zip": a["zip"],
        "phone": a["phone"],
    })
}

/// The REST order JSON (the `orders/paid` payload shape, as in
/// `order_paid_sample_rest_2026-07.json`) of a stored order. The fields the sandbox's records
/// carry are filled; the rest of the REST resource is left out.
pub fn rest_order(shared: &Shared, order: &Value) -> Value {
    let customer = order["customer"]
        .get("__ref")
        .and_then(|g| g.as_str())
        .and_then(|g| shared.node(g));
    let customer = customer.map(|c| {
        let consent = &c["emailMarketingConsent"];
        json!({
            "id": legacy(&c["id"]),
            "admin_graphql_api_id": c["id"],
            "email": c["email"],
            "first_name": c["firstName"],
            "last_name": c["lastName"],
            "phone": c["phone"],
            "state": lower(&c["state"]),
            "note": c["note"],
            "verified_email": c["verifiedEmail"],
            "tax_exempt": c["taxExempt"],
            "tags": c["tags"].as_array().map(|t| t.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join(", ")).unwrap_or_default(),
            "currency": order["currencyCode"],
            "created_at": c["createdAt"],
            "updated_at": c["updatedAt"],
            "email_marketing_consent": if consent.is_object() { json!({
                "state": lower(&consent["marketingState"]),
                "opt_in_level": lower(&consent["marketingOptInLevel"]),
                "consent_updated_at": consent["consentUpdatedAt"],
            }) } else { Value::Null },
            "default_address": address(&c["defaultAddress"]),
        })
    });
    let lines: Vec<Value> = order["lineItems"]["__conn"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|l| {
                    json!({
                        "id": legacy(&l["id"]),
                        "admin_graphql_api_id": l["id"],
                        "name": l["name"],
                        "title": l["title"],
                        "variant_title": l["variantTitle"],
                        "sku": l["sku"],
                        "vendor": l["vendor"],
                        "quantity": l["quantity"],
                        "current_quantity": l["currentQuantity"],
                        "price": amount(&l["originalUnitPriceSet"]),
                        "taxable": l["taxable"],
                        "requires_shipping": l["requiresShipping"],
                        "gift_card": l["isGiftCard"],
                        "product_id": legacy(&l["product"]["__ref"]),
                        "variant_id": legacy(&l["variant"]["__ref"]),
                        "properties": [],
                        "tax_lines": [],
                        "discount_allocations": [],
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let email = order["email"].as_str().unwrap_or("").to_string();
    let mut out = json!({
        "id": legacy(&order["id"]),
        "admin_graphql_api_id": order["id"],
        "name": order["name"],
        "number": order["number"],
        "order_number": order["number"],
        "email": email,
        "contact_email": email,
        "phone": order["phone"],
        "note": order["note"],
        "created_at": order["createdAt"],
        "updated_at": order["updatedAt"],
        "processed_at": order["processedAt"],
        "cancelled_at": order["cancelledAt"],
        "cancel_reason": lower(&order["cancelReason"]),
        "closed_at": order["closedAt"],
        "confirmed": order["confirmed"],
        "test": order["test"],
        "currency": order["currencyCode"],
        "presentment_currency": order["presentmentCurrencyCode"],
        "buyer_accepts_marketing": order["customerAcceptsMarketing"],
        "financial_status": lower(&order["displayFinancialStatus"]),
        "fulfillment_status": match order["displayFulfillmentStatus"].as_str() {
            Some("FULFILLED") => json!("fulfilled"),
            Some("PARTIALLY_FULFILLED") => json!("partial"),
            _ => Value::Null,
        },
        "payment_gateway_names": order["paymentGatewayNames"],
        "source_name": order["sourceName"],
        "taxes_included": order["taxesIncluded"],
        "total_weight": order["totalWeight"].as_str().and_then(|w| w.parse::<i64>().ok()),
        "tags": order["tags"].as_array().map(|t| t.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join(", ")).unwrap_or_default(),
    });
    let more = json!({
        "subtotal_price": amount(&order["subtotalPriceSet"]),
        "total_discounts": amount(&order["totalDiscountsSet"]),
        "total_price": amount(&order["totalPriceSet"]),
        "current_total_price": amount(&order["currentTotalPriceSet"]),
        "total_tax": amount(&order["totalTaxSet"]),
        "total_outstanding": amount(&order["totalOutstandingSet"]),
        "order_status_url": order["statusPageUrl"],
        "billing_address": address(&order["billingAddress"]),
        "shipping_address": address(&order["shippingAddress"]),
        "customer": customer.unwrap_or(Value::Null),
        "line_items": lines,
        "refunds": [],
        "shipping_lines": [],
        "fulfillments": [],
        "discount_codes": [],
        "note_attributes": [],
        "tax_lines": [],
    });
    if let (Value::Object(o), Value::Object(m)) = (&mut out, more) {
        o.extend(m);
    }
    out
}

/// Posts `payload` to every subscription of `topic` over HTTP(S); records each attempt.
pub async fn deliver(
    shared: &Shared,
    topic_enum: &str,
    topic: &str,
    payload: &Value,
) -> Vec<Delivery> {
    let body = serde_json::to_string(payload).expect("JSON");
    let secret = shared.webhooks.secret();
    let sig = sign(&secret, body.as_bytes());
    let subs: Vec<Value> = shared
        .webhooks
        .subscriptions()
        .into_iter()
        .filter(|s| s["topic"] == topic_enum)
        .collect();
    let client = reqwest::Client::new();
    let mut out = Vec::new();
    for s in subs {
        let uri = s["uri"].as_str().unwrap_or("").to_string();
        if !(uri.starts_with("http://") || uri.starts_with("https://")) {
            continue;
        }
        let n = shared.webhooks.next_id.fetch_add(1, Ordering::Relaxed);
        let webhook_id = format!("b54557e4-bdd9-4b37-8a5f-{n:012x}");
        let mut req = client
            .post(&uri)
            .timeout(std::time::Duration::from_secs(5))
            .header("Content-Type", "application/json")
            .header("X-Shopify-Topic", topic)
            .header("X-Shopify-Hmac-Sha256", &sig)
            .header("X-Shopify-Shop-Domain", &shared.domain)
            .header("X-Shopify-API-Version", super::API_VERSION)
            .header("X-Shopify-Webhook-Id", &webhook_id)
            .header(
                "X-Shopify-Event-Id",
                format!("98880550-7158-44d4-b7cd-{n:012x}"),
            )
            .header(
                "X-Shopify-Triggered-At",
                chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            );
        if let Some(name) = s["name"].as_str() {
            req = req.header("X-Shopify-Name", name);
        }
        let status = req
            .body(body.clone())
            .send()
            .await
            .ok()
            .map(|r| r.status().as_u16());
        let d = Delivery {
            subscription_id: s["id"].as_str().unwrap_or("").into(),
            uri,
            topic: topic.into(),
            webhook_id,
            status,
            body: body.clone(),
        };
        shared.webhooks.deliveries.lock().unwrap().push(d.clone());
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_hmac_vector() {
        assert_eq!(
            sign("test_secret_key", br#"{"foo": "bar"}"#),
            "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g="
        );
    }
}

/// A line of an order a test places: SKU, quantity, unit price in cents.
#[derive(Debug, Clone)]
pub struct NewLine {
    pub sku: String,
    pub quantity: i64,
    pub price_cents: i64,
}

impl super::ShopifyHandle {
    /// Every webhook subscription as the API shows it.
    pub fn webhook_subscriptions(&self) -> Vec<Value> {
        self.shared
            .webhooks
            .subscriptions()
            .iter()
            .map(super::executor::api_view)
            .collect()
    }

    /// Every delivery attempted so far.
    pub fn webhook_deliveries(&self) -> Vec<Delivery> {
        self.shared.webhooks.deliveries()
    }

    /// The app client secret deliveries are signed with.
    pub fn app_secret(&self) -> String {
        self.shared.webhooks.secret()
    }

    pub fn set_app_secret(&self, secret: &str) {
        self.shared.webhooks.set_secret(secret)
    }

    /// An order in the REST JSON shape of webhook payloads.
    pub fn rest_order(&self, g: &str) -> Option<Value> {
        let (t, id) = parse_gid(g)?;
        if t != "Order" {
            return None;
        }
        let v = self
            .shared
            .store
            .read()
            .unwrap()
            .get(super::store::Kind::Order, id)?;
        Some(rest_order(&self.shared, &v))
    }

    /// Places an unpaid order for a new customer with these lines (SKUs need not exist in the
    /// catalogue); returns the order's gid. `paid_at` (seconds) backdates a paid order.
    pub fn create_order(
        &self,
        email: &str,
        first_name: &str,
        last_name: &str,
        lines: &[NewLine],
        paid_at: Option<i64>,
    ) -> String {
        let customer = self.create_customer(super::NewCustomer {
            first_name: Some(first_name.into()),
            last_name: Some(last_name.into()),
            email: Some(email.into()),
            ..Default::default()
        });
        let mut st = self.shared.store.write().unwrap();
        let (id, _) = st.next_id(super::store::Kind::Order);
        let at = paid_at.unwrap_or_else(super::store::now_secs);
        let now = iso(at);
        let bag = crate::seed::money_bag;
        let total: i64 = lines.iter().map(|l| l.price_cents * l.quantity).sum();
        let items: Vec<Value> = lines
            .iter()
            .enumerate()
            .map(|(k, l)| {
                json!({
                    "__typename": "LineItem",
                    "id": gid("LineItem", 9_000_000_000 + id * 100 + k as u64),
                    "name": format!("Product {}", l.sku),
                    "title": format!("Product {}", l.sku),
                    "variantTitle": Value::Null,
                    "sku": l.sku,
                    "vendor": "Sandbox",
                    "quantity": l.quantity,
                    "currentQuantity": l.quantity,
                    "taxable": true,
                    "requiresShipping": false,
                    "isGiftCard": false,
                    "originalUnitPriceSet": bag(l.price_cents),
                    "discountedUnitPriceSet": bag(l.price_cents),
                    "originalTotalSet": bag(l.price_cents * l.quantity),
                    "discountedTotalSet": bag(l.price_cents * l.quantity),
                    "product": Value::Null,
                    "variant": Value::Null,
                })
            })
            .collect();
        let paid = paid_at.is_some();
        let v = json!({
            "__typename": "Order",
            "id": gid("Order", id),
            "legacyResourceId": id.to_string(),
            "name": format!("#{}", 9000 + id % 100_000),
            "number": 9000 + id % 100_000,
            "email": email,
            "phone": Value::Null,
            "note": Value::Null,
            "createdAt": now,
            "updatedAt": now,
            "processedAt": now,
            "cancelledAt": Value::Null,
            "cancelReason": Value::Null,
            "closed": false,
            "closedAt": Value::Null,
            "confirmed": true,
            "test": false,
            "currencyCode": "EUR",
            "presentmentCurrencyCode": "EUR",
            "customerAcceptsMarketing": false,
            "displayFinancialStatus": if paid { "PAID" } else { "PENDING" },
            "displayFulfillmentStatus": "UNFULFILLED",
            "fullyPaid": paid,
            "unpaid": !paid,
            "paymentGatewayNames": ["manual"],
            "sourceName": "web",
            "taxesIncluded": true,
            "totalWeight": "0",
            "subtotalLineItemsQuantity": lines.iter().map(|l| l.quantity).sum::<i64>(),
            "tags": [],
        });
        let more = json!({
            "customer": {"__ref": customer},
            "billingAddress": Value::Null,
            "shippingAddress": Value::Null,
            "subtotalPriceSet": bag(total),
            "totalDiscountsSet": bag(0),
            "totalShippingPriceSet": bag(0),
            "totalPriceSet": bag(total),
            "currentTotalPriceSet": bag(total),
            "totalTaxSet": bag(0),
            "currentTotalTaxSet": bag(0),
            "totalReceivedSet": bag(if paid { total } else { 0 }),
            "totalRefundedSet": bag(0),
            "totalOutstandingSet": bag(if paid { 0 } else { total }),
            "lineItems": {"__conn": items},
            "transactions": if paid { json!([sale(id, &now, total)]) } else { json!([]) },
        });
        let mut v = v;
        if let (Value::Object(o), Value::Object(m)) = (&mut v, more) {
            o.extend(m);
        }
        st.put(super::store::Kind::Order, id, v);
        gid("Order", id)
    }

    /// Marks an order paid (as a payment capture would) and delivers `orders/paid` to every
    /// `ORDERS_PAID` subscription; returns the deliveries. None when there is no such order.
    pub async fn mark_order_paid(&self, g: &str) -> Option<Vec<Delivery>> {
        let now = iso(super::store::now_secs());
        let ok = self.update_order(g, |v| {
            let id = parse_gid(v["id"].as_str().unwrap_or(""))
                .map(|(_, id)| id)
                .unwrap_or(0);
            let total = v["totalPriceSet"]["shopMoney"]["amount"]
                .as_str()
                .and_then(|a| a.parse::<f64>().ok())
                .map(|a| (a * 100.0).round() as i64)
                .unwrap_or(0);
            match v["transactions"].as_array_mut() {
                Some(list) => list.push(sale(id, &now, total)),
                None => v["transactions"] = json!([sale(id, &now, total)]),
            }
            v["updatedAt"] = json!(now);
            v["displayFinancialStatus"] = json!("PAID");
            v["fullyPaid"] = json!(true);
            v["unpaid"] = json!(false);
            v["totalReceivedSet"] = v["totalPriceSet"].clone();
            v["totalOutstandingSet"] = crate::seed::money_bag(0);
        });
        if !ok {
            return None;
        }
        let payload = self.rest_order(g)?;
        Some(deliver(&self.shared, "ORDERS_PAID", "orders/paid", &payload).await)
    }
}

/// A successful sale of `cents` at `at`, as Shopify records the payment of an order.
fn sale(order_id: u64, at: &str, cents: i64) -> Value {
    json!({
        "__typename": "OrderTransaction",
        "id": gid("OrderTransaction", order_id * 10 + 1),
        "kind": "SALE",
        "status": "SUCCESS",
        "gateway": "manual",
        "test": false,
        "createdAt": at,
        "processedAt": at,
        "amountSet": crate::seed::money_bag(cents),
    })
}
