//! An order as Shopify's `orders/paid` webhook delivers it: the REST Admin API's order JSON
//! (real sample: `shared/specs/shopify/order_paid_sample_rest_2026-07.json`), built from the
//! GraphQL order (`webhook_order_fields.graphql`), and the reading of paid orders for a backfill.
//!
//! Field names, types and formats follow the REST resource: numeric ids (with
//! `admin_graphql_api_id` beside them), money as strings with two decimals plus `*_set` bags of
//! shop and presentment money, lower-case statuses, tags as one comma-separated string. Fields
//! the GraphQL order does not give cheaply (refunds, fulfillments, shipping and tax lines,
//! discount codes, note attributes) are left out rather than invented. Kept independent of the
//! sandbox's own builder on purpose: the fake and the client must not share a mistake.

use serde_json::{json, Map, Value};

use super::client::{ShopifyClient, ShopifyError};
use super::documents;
use super::read::next_page;

/// Orders per page: a page of 5 with 10 line items each is requested at 467 points (measured
/// against the sandbox's cost rules), so 8 (about 750) stays under Shopify's 1,000-point cap per
/// query; a page Shopify still finds too costly is halved.
const ORDERS_PER_PAGE: u64 = 8;
const LINE_ITEMS_PER_ORDER: u64 = 10;

/// The number at the end of a gid: `gid://shopify/Order/123` -> 123.
pub fn legacy_id(gid: &Value) -> Value {
    gid.as_str()
        .and_then(|g| g.rsplit('/').next())
        .and_then(|n| n.split('?').next())
        .and_then(|n| n.parse::<u64>().ok())
        .map(|n| json!(n))
        .unwrap_or(Value::Null)
}

/// A REST money string: always two decimals at least ("49" -> "49.00", "49.5" -> "49.50").
pub fn money(amount: &Value) -> Value {
    let Some(a) = amount.as_str() else {
        return Value::Null;
    };
    let (int, frac) = a.split_once('.').unwrap_or((a, ""));
    let frac = if frac.len() < 2 {
        format!("{frac:0<2}")
    } else {
        frac.to_string()
    };
    json!(format!("{int}.{frac}"))
}

fn money_v2(m: &Value) -> Value {
    json!({"amount": money(&m["amount"]), "currency_code": m["currencyCode"]})
}

/// `"x_set"` bag: shop and presentment money.
fn bag(b: &Value) -> Value {
    if !b.is_object() {
        return Value::Null;
    }
    json!({"shop_money": money_v2(&b["shopMoney"]), "presentment_money": money_v2(&b["presentmentMoney"])})
}

fn lower(v: &Value) -> Value {
    v.as_str()
        .map(|s| json!(s.to_lowercase()))
        .unwrap_or(Value::Null)
}

fn tags(v: &Value) -> Value {
    json!(v
        .as_array()
        .map(|t| t
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "))
        .unwrap_or_default())
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

fn customer(c: &Value, currency: &Value) -> Value {
    if !c.is_object() {
        return Value::Null;
    }
    let email = &c["defaultEmailAddress"];
    let consent = if email.is_object() {
        json!({
            "state": lower(&email["marketingState"]),
            "opt_in_level": lower(&email["marketingOptInLevel"]),
            "consent_updated_at": email["marketingUpdatedAt"],
        })
    } else {
        Value::Null
    };
    let mut default_address = address(&c["defaultAddress"]);
    if let Value::Object(a) = &mut default_address {
        a.insert("customer_id".into(), legacy_id(&c["id"]));
        a.insert("default".into(), json!(true));
    }
    json!({
        "id": legacy_id(&c["id"]),
        "admin_graphql_api_id": c["id"],
        "email": email["emailAddress"],
        "first_name": c["firstName"],
        "last_name": c["lastName"],
        "phone": c["defaultPhoneNumber"]["phoneNumber"],
        "state": lower(&c["state"]),
        "note": c["note"],
        "verified_email": c["verifiedEmail"],
        "tax_exempt": c["taxExempt"],
        "tags": tags(&c["tags"]),
        "currency": currency,
        "created_at": c["createdAt"],
        "updated_at": c["updatedAt"],
        "email_marketing_consent": consent,
        "default_address": default_address,
    })
}

fn line_item(l: &Value) -> Value {
    json!({
        "id": legacy_id(&l["id"]),
        "admin_graphql_api_id": l["id"],
        "name": l["name"],
        "title": l["title"],
        "variant_title": l["variantTitle"],
        "sku": l["sku"],
        "vendor": l["vendor"],
        "quantity": l["quantity"],
        "current_quantity": l["currentQuantity"],
        "price": money(&l["originalUnitPriceSet"]["shopMoney"]["amount"]),
        "price_set": bag(&l["originalUnitPriceSet"]),
        "taxable": l["taxable"],
        "requires_shipping": l["requiresShipping"],
        "gift_card": l["isGiftCard"],
        "product_exists": l["product"].is_object(),
        "product_id": legacy_id(&l["product"]["id"]),
        "variant_id": legacy_id(&l["variant"]["id"]),
        "properties": [],
    })
}

/// The REST order JSON of a GraphQL order read with `WebhookOrderFields` (all line items).
pub fn rest_order(o: &Value) -> Value {
    let number = o["number"].as_i64();
    let fulfillment = match o["displayFulfillmentStatus"].as_str() {
        Some("FULFILLED") => json!("fulfilled"),
        Some("PARTIALLY_FULFILLED") => json!("partial"),
        Some("RESTOCKED") => json!("restocked"),
        _ => Value::Null,
    };
    let mut out = Map::new();
    let mut put = |k: &str, v: Value| {
        out.insert(k.to_string(), v);
    };
    put("id", legacy_id(&o["id"]));
    put("admin_graphql_api_id", o["id"].clone());
    put("name", o["name"].clone());
    put("order_number", json!(number));
    // REST `number` counts from 1 where `order_number` counts from 1001.
    put(
        "number",
        json!(number.map(|n| if n > 1000 { n - 1000 } else { n })),
    );
    put("email", json!(o["email"].as_str().unwrap_or("")));
    put("contact_email", o["email"].clone());
    put("phone", o["phone"].clone());
    put("note", o["note"].clone());
    put("tags", tags(&o["tags"]));
    put("test", o["test"].clone());
    put("confirmed", o["confirmed"].clone());
    put("created_at", o["createdAt"].clone());
    put("updated_at", o["updatedAt"].clone());
    put("processed_at", o["processedAt"].clone());
    put("cancelled_at", o["cancelledAt"].clone());
    put("cancel_reason", lower(&o["cancelReason"]));
    put("closed_at", o["closedAt"].clone());
    put("currency", o["currencyCode"].clone());
    put("presentment_currency", o["presentmentCurrencyCode"].clone());
    put(
        "buyer_accepts_marketing",
        o["customerAcceptsMarketing"].clone(),
    );
    put("financial_status", lower(&o["displayFinancialStatus"]));
    put("fulfillment_status", fulfillment);
    put("payment_gateway_names", o["paymentGatewayNames"].clone());
    put("source_name", o["sourceName"].clone());
    put("taxes_included", o["taxesIncluded"].clone());
    put(
        "total_weight",
        json!(o["totalWeight"]
            .as_str()
            .and_then(|w| w.parse::<u64>().ok())
            .unwrap_or(0)),
    );
    for (rest, gql) in [
        ("subtotal_price", "subtotalPriceSet"),
        ("total_discounts", "totalDiscountsSet"),
        ("total_price", "totalPriceSet"),
        ("total_tax", "totalTaxSet"),
        ("current_total_price", "currentTotalPriceSet"),
        ("current_total_tax", "currentTotalTaxSet"),
        ("total_outstanding", "totalOutstandingSet"),
    ] {
        put(rest, money(&o[gql]["shopMoney"]["amount"]));
        if rest != "total_outstanding" {
            put(&format!("{rest}_set"), bag(&o[gql]));
        }
    }
    put("total_shipping_price_set", bag(&o["totalShippingPriceSet"]));
    put("billing_address", address(&o["billingAddress"]));
    put("shipping_address", address(&o["shippingAddress"]));
    put("customer", customer(&o["customer"], &o["currencyCode"]));
    put(
        "line_items",
        Value::Array(
            o["lineItems"]["nodes"]
                .as_array()
                .map(|a| a.iter().map(line_item).collect())
                .unwrap_or_default(),
        ),
    );
    Value::Object(out)
}

/// One page of orders found by `query`, each with all its line items.
pub struct OrderPage {
    pub orders: Vec<Value>,
    pub next: Option<String>,
}

impl ShopifyClient {
    /// A page of orders for a backfill, oldest processed first, with every line item.
    pub async fn webhook_orders_page(
        &self,
        query: &str,
        after: Option<String>,
    ) -> Result<OrderPage, ShopifyError> {
        let variables = json!({
            "after": after, "query": query, "lineItems": LINE_ITEMS_PER_ORDER,
        });
        let data = self
            .paced_page(
                documents::PAID_ORDERS_PAGE,
                "orders",
                variables,
                ORDERS_PER_PAGE,
            )
            .await?;
        let page = &data["orders"];
        let mut orders = Vec::new();
        for node in page["nodes"].as_array().into_iter().flatten() {
            orders.push(self.all_webhook_line_items(node).await?);
        }
        Ok(OrderPage {
            orders,
            next: next_page(page),
        })
    }

    async fn all_webhook_line_items(&self, node: &Value) -> Result<Value, ShopifyError> {
        self.complete_line_items_with(documents::WEBHOOK_ORDER_LINE_ITEMS, node)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys of the real sample that the built JSON must have, with the same JSON types.
    #[test]
    fn has_the_shape_of_the_real_sample() {
        // The sample stays beside the repository (shared/specs), like Shopify's schema.
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/specs/shopify/order_paid_sample_rest_2026-07.json");
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("SKIPPED: {} not found", path.display());
            assert!(std::env::var_os("CI").is_none(), "CI must have the sample");
            return;
        };
        let sample: Value = serde_json::from_str(&text).unwrap();
        let bag = json!({"shopMoney": {"amount": "181.09", "currencyCode": "USD"},
                         "presentmentMoney": {"amount": "181.09", "currencyCode": "USD"}});
        let addr = json!({"firstName": "Jane", "lastName": "Smith", "name": "Jane Smith",
            "company": null, "address1": "123 Fake Street", "address2": null, "city": "Fakecity",
            "province": "Ontario", "provinceCode": "ON", "country": "Canada",
            "countryCodeV2": "CA", "zip": "K2P 1L4", "phone": "777-777-7777"});
        let mut order = json!({
            "id": "gid://shopify/Order/1073459981", "name": "#1002", "number": 1002,
            "email": "jane@example.com", "phone": "+18885551234", "note": null, "tags": [],
            "test": false, "confirmed": true, "createdAt": "2025-04-02T16:31:38Z",
            "updatedAt": "2025-04-02T16:31:38Z", "processedAt": "2025-04-02T16:31:38Z",
            "cancelledAt": null, "cancelReason": null, "closedAt": null, "currencyCode": "USD",
            "presentmentCurrencyCode": "USD", "customerAcceptsMarketing": false,
            "displayFinancialStatus": "PAID", "displayFulfillmentStatus": "UNFULFILLED",
            "paymentGatewayNames": [""], "sourceName": "755357713", "taxesIncluded": false,
            "totalWeight": "0",
        });
        for k in [
            "subtotalPriceSet",
            "totalDiscountsSet",
            "totalShippingPriceSet",
            "totalPriceSet",
            "totalTaxSet",
            "currentTotalPriceSet",
            "currentTotalTaxSet",
            "totalOutstandingSet",
        ] {
            order[k] = bag.clone();
        }
        order["billingAddress"] = addr.clone();
        order["shippingAddress"] = addr.clone();
        order["customer"] = json!({
"id": "gid://shopify/Customer/1073339475", "firstName": "John",
                "lastName": "Smith", "note": null, "state": "DISABLED", "tags": [],
                "taxExempt": false, "verifiedEmail": true, "createdAt": "2025-04-02T16:31:38Z",
                "updatedAt": "2025-04-02T16:31:39Z",
                "defaultEmailAddress": {"emailAddress": "jane@example.com",
                    "marketingState": "NOT_SUBSCRIBED", "marketingOptInLevel": "SINGLE_OPT_IN",
                    "marketingUpdatedAt": null},
                "defaultPhoneNumber": null, "defaultAddress": addr});
        order["lineItems"] = json!({"nodes": [{"id": "gid://shopify/LineItem/1071823193",
                "name": "IPod Touch 8GB - Black", "title": "IPod Touch 8GB",
                "variantTitle": "Black", "sku": "IPOD2009BLACK", "vendor": "Apple",
                "quantity": 1, "currentQuantity": 1, "taxable": true, "requiresShipping": true,
                "isGiftCard": false, "originalUnitPriceSet": bag,
                "product": {"id": "gid://shopify/Product/921728736"},
                "variant": {"id": "gid://shopify/ProductVariant/447654529"}}]});
        let built = rest_order(&order);
        fn kind(v: &Value) -> &'static str {
            match v {
                Value::Null => "null",
                Value::Bool(_) => "bool",
                Value::Number(_) => "number",
                Value::String(_) => "string",
                Value::Array(_) => "array",
                Value::Object(_) => "object",
            }
        }
        // Every key we build exists in the sample with the same type (null allowed either way).
        fn same_shape(path: &str, built: &Value, sample: &Value, errors: &mut Vec<String>) {
            match (built, sample) {
                (Value::Object(b), Value::Object(s)) => {
                    for (k, v) in b {
                        match s.get(k) {
                            None => errors.push(format!("{path}.{k} is not in the sample")),
                            Some(sv) => same_shape(&format!("{path}.{k}"), v, sv, errors),
                        }
                    }
                }
                (Value::Array(b), Value::Array(s)) => {
                    if let (Some(b0), Some(s0)) = (b.first(), s.first()) {
                        same_shape(&format!("{path}[0]"), b0, s0, errors);
                    }
                }
                (Value::Null, _) | (_, Value::Null) => {}
                (b, s) if kind(b) != kind(s) => errors.push(format!(
                    "{path}: {} here, {} in the sample",
                    kind(b),
                    kind(s)
                )),
                _ => {}
            }
        }
        let mut errors = Vec::new();
        same_shape("order", &built, &sample, &mut errors);
        assert!(errors.is_empty(), "{errors:#?}");
        assert_eq!(built["id"], sample["id"]);
        assert_eq!(built["order_number"], sample["order_number"]);
        assert_eq!(built["number"], sample["number"]);
        assert_eq!(built["total_price"], sample["total_price"]);
        assert_eq!(built["financial_status"], "paid");
        assert_eq!(built["fulfillment_status"], Value::Null);
        assert_eq!(built["line_items"][0]["sku"], "IPOD2009BLACK");
        assert_eq!(built["line_items"][0]["variant_id"], 447654529);
        assert_eq!(built["customer"]["email"], "jane@example.com");
        assert_eq!(
            built["customer"]["email_marketing_consent"],
            sample["customer"]["email_marketing_consent"]
        );
        assert_eq!(built["total_price_set"], sample["total_price_set"]);
    }

    #[test]
    fn money_has_two_decimals() {
        assert_eq!(money(&json!("49")), json!("49.00"));
        assert_eq!(money(&json!("49.5")), json!("49.50"));
        assert_eq!(money(&json!("0.125")), json!("0.125"));
        assert_eq!(money(&Value::Null), Value::Null);
    }
}
