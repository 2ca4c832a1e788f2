//! Shopify JSON (as the documents in `graphql/` ask for it) -> canonical records.
//!
//! A node that lacks a required field (id, timestamps) is a malformed record: it is reported
//! and skipped by the reader, never guessed.

use serde_json::Value;

use crate::model::{Address, Customer, LineItem, Order, OrderStage, Product};

fn text(v: &Value) -> Option<String> {
    v.as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn required(node: &Value, key: &str) -> Result<String, String> {
    text(&node[key]).ok_or_else(|| format!("the field `{key}` is missing"))
}

fn tags(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().filter_map(text).collect())
        .unwrap_or_default()
}

fn money(v: &Value) -> Option<String> {
    text(&v["shopMoney"]["amount"])
}

pub fn customer(node: &Value) -> Result<Customer, String> {
    let email_address = &node["defaultEmailAddress"];
    let email = text(&email_address["emailAddress"]).map(|e| e.to_lowercase());
    let accepts_marketing = email_address["marketingState"]
        .as_str()
        .map(|s| s == "SUBSCRIBED");
    let a = &node["defaultAddress"];
    let address = if a.is_object() {
        let street = match (text(&a["address1"]), text(&a["address2"])) {
            (Some(one), Some(two)) => Some(format!("{one}, {two}")),
            (one, two) => one.or(two),
        };
        Some(Address {
            street,
            city: text(&a["city"]),
            country: text(&a["country"]),
            province: text(&a["province"]),
            zip: text(&a["zip"]),
        })
    } else {
        None
    };
    Ok(Customer {
        id: required(node, "id")?,
        email,
        first_name: text(&node["firstName"]),
        last_name: text(&node["lastName"]),
        phone: text(&node["defaultPhoneNumber"]["phoneNumber"]),
        note: text(&node["note"]),
        accepts_marketing,
        orders_count: match &node["numberOfOrders"] {
            Value::String(s) => s.parse().ok(),
            v => v.as_u64(),
        },
        tags: tags(&node["tags"]),
        tax_exempt: node["taxExempt"].as_bool(),
        verified_email: node["verifiedEmail"].as_bool(),
        created_at: required(node, "createdAt")?,
        updated_at: required(node, "updatedAt")?,
        address,
        fields: Default::default(),
    })
}

/// A customer from the JSON text of one node (a line of a bulk export): the same record as
/// [`customer`] gives for that node, read straight into typed fields, without building a
/// `serde_json::Value` of it (issue 14: the untyped walk was a large share of a sync's CPU).
pub fn customer_from_json(line: &[u8]) -> Result<Customer, String> {
    match serde_json::from_slice::<lenient::CustomerNode<'_>>(line) {
        Ok(node) => node.into_customer(),
        // Something the typed read cannot take (not an object, a duplicate key): the untyped
        // read decides, as it always did.
        Err(_) => match serde_json::from_slice::<Value>(line) {
            Ok(node) => customer(&node),
            Err(e) => Err(format!("the node is not JSON: {e}")),
        },
    }
}

/// Typed nodes that read a value the way the untyped mapping does: a field of another JSON type
/// than expected reads as absent, never as an error.
mod lenient {
    use std::borrow::Cow;
    use std::fmt;

    use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use serde::Deserialize;

    use crate::model::{Address, Customer};

    /// A string, or absent (any other JSON value).
    #[derive(Default)]
    pub struct Text<'a>(pub Option<Cow<'a, str>>);

    impl Text<'_> {
        /// Trimmed, and absent when empty (as `text` above).
        fn get(&self) -> Option<String> {
            self.0
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        }
    }

    struct TextVisitor;

    impl<'de> Visitor<'de> for TextVisitor {
        type Value = Text<'de>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(Text(Some(Cow::Borrowed(v))))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Text(Some(Cow::Owned(v.to_string()))))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Text(Some(Cow::Owned(v))))
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Text(None))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(Text(None))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Text(None))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Text(None))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Text(None))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Text(None))
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(Text(None))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(Text(None))
        }
    }

    impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(TextVisitor)
        }
    }

    /// What `Value::as_bool` gives.
    #[derive(Default)]
    pub struct Flag(pub Option<bool>);

    impl<'de> Deserialize<'de> for Flag {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let t = serde_json::Value::deserialize(d)?;
            Ok(Flag(t.as_bool()))
        }
    }

    /// `numberOfOrders`: an unsigned number, or a string of one (GraphQL's `UnsignedInt64`).
    #[derive(Default)]
    pub struct Count(pub Option<u64>);

    impl<'de> Deserialize<'de> for Count {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            Ok(Count(match serde_json::Value::deserialize(d)? {
                serde_json::Value::String(s) => s.parse().ok(),
                v => v.as_u64(),
            }))
        }
    }

    /// The strings of an array (trimmed, empty ones left out); anything else reads as none.
    #[derive(Default)]
    pub struct Tags(pub Vec<String>);

    struct TagsVisitor;

    impl<'de> Visitor<'de> for TagsVisitor {
        type Value = Tags;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(t) = seq.next_element::<Text<'de>>()? {
                out.extend(t.get());
            }
            Ok(Tags(out))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(Tags(Vec::new()))
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Tags(Vec::new()))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(Tags(Vec::new()))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Tags(Vec::new()))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Tags(Vec::new()))
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(Tags(Vec::new()))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Tags(Vec::new()))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Tags(Vec::new()))
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Deserialize<'de> for Tags {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(TagsVisitor)
        }
    }

    /// An object read as `T`, or none when the value is not an object.
    pub struct Object<T>(pub Option<T>);

    impl<T> Default for Object<T> {
        fn default() -> Self {
            Object(None)
        }
    }

    impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V<T>(std::marker::PhantomData<T>);
            impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
                type Value = Object<T>;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("any JSON value")
                }
                fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                    T::deserialize(de::value::MapAccessDeserializer::new(map))
                        .map(|t| Object(Some(t)))
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                    while seq.next_element::<IgnoredAny>()?.is_some() {}
                    Ok(Object(None))
                }
                fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                    Ok(Object(None))
                }
                fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                    Ok(Object(None))
                }
                fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                    Ok(Object(None))
                }
                fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                    Ok(Object(None))
                }
                fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                    Ok(Object(None))
                }
                fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                    Ok(Object(None))
                }
                fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                    Ok(Object(None))
                }
                fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                    d.deserialize_any(self)
                }
            }
            d.deserialize_any(V(std::marker::PhantomData))
        }
    }

    #[derive(Default, Deserialize)]
    #[serde(default, rename_all = "camelCase")]
    pub struct EmailNode<'a> {
        #[serde(borrow)]
        email_address: Text<'a>,
        #[serde(borrow)]
        marketing_state: Text<'a>,
    }

    #[derive(Default, Deserialize)]
    #[serde(default, rename_all = "camelCase")]
    pub struct PhoneNode<'a> {
        #[serde(borrow)]
        phone_number: Text<'a>,
    }

    #[derive(Default, Deserialize)]
    #[serde(default)]
    pub struct AddressNode<'a> {
        #[serde(borrow)]
        address1: Text<'a>,
        #[serde(borrow)]
        address2: Text<'a>,
        #[serde(borrow)]
        city: Text<'a>,
        #[serde(borrow)]
        country: Text<'a>,
        #[serde(borrow)]
        province: Text<'a>,
        #[serde(borrow)]
        zip: Text<'a>,
    }

    /// The fields of `customer_fields.graphql`.
    #[derive(Default, Deserialize)]
    #[serde(default, rename_all = "camelCase")]
    pub struct CustomerNode<'a> {
        #[serde(borrow)]
        id: Text<'a>,
        #[serde(borrow)]
        default_email_address: Object<EmailNode<'a>>,
        #[serde(borrow)]
        first_name: Text<'a>,
        #[serde(borrow)]
        last_name: Text<'a>,
        #[serde(borrow)]
        default_phone_number: Object<PhoneNode<'a>>,
        #[serde(borrow)]
        note: Text<'a>,
        number_of_orders: Count,
        tags: Tags,
        tax_exempt: Flag,
        verified_email: Flag,
        #[serde(borrow)]
        created_at: Text<'a>,
        #[serde(borrow)]
        updated_at: Text<'a>,
        #[serde(borrow)]
        default_address: Object<AddressNode<'a>>,
    }

    fn required(t: &Text<'_>, key: &str) -> Result<String, String> {
        t.get()
            .ok_or_else(|| format!("the field `{key}` is missing"))
    }

    impl CustomerNode<'_> {
        pub fn into_customer(self) -> Result<Customer, String> {
            let email = self.default_email_address.0.as_ref();
            let address = self.default_address.0.map(|a| {
                let street = match (a.address1.get(), a.address2.get()) {
                    (Some(one), Some(two)) => Some(format!("{one}, {two}")),
                    (one, two) => one.or(two),
                };
                Address {
                    street,
                    city: a.city.get(),
                    country: a.country.get(),
                    province: a.province.get(),
                    zip: a.zip.get(),
                }
            });
            Ok(Customer {
                id: required(&self.id, "id")?,
                email: email
                    .and_then(|e| e.email_address.get())
                    .map(|e| e.to_lowercase()),
                first_name: self.first_name.get(),
                last_name: self.last_name.get(),
                phone: self
                    .default_phone_number
                    .0
                    .as_ref()
                    .and_then(|p| p.phone_number.get()),
                note: self.note.get(),
                accepts_marketing: email
                    .and_then(|e| e.marketing_state.0.as_deref().map(|s| s == "SUBSCRIBED")),
                orders_count: self.number_of_orders.0,
                tags: self.tags.0,
                tax_exempt: self.tax_exempt.0,
                verified_email: self.verified_email.0,
                created_at: required(&self.created_at, "createdAt")?,
                updated_at: required(&self.updated_at, "updatedAt")?,
                address,
                fields: Default::default(),
            })
        }
    }
}

/// `children` are the product's media nodes (a bulk export gives them as separate lines).
pub fn product(node: &Value, children: &[Value]) -> Result<Product, String> {
    let mut image_urls: Vec<String> = node["media"]["nodes"]
        .as_array()
        .map(|a| a.iter().filter_map(|m| text(&m["image"]["url"])).collect())
        .unwrap_or_default();
    image_urls.extend(children.iter().filter_map(|m| text(&m["image"]["url"])));
    let publications = node["resourcePublicationsCount"]["count"]
        .as_u64()
        .unwrap_or(0);
    let published_at = text(&node["publishedAt"]);
    // REST's `published_scope` has no GraphQL field: "web" is the online store alone, "global"
    // the online store and other channels, which is what more than one publication means.
    let published_scope = match (&published_at, publications) {
        (None, _) | (_, 0) => None,
        (Some(_), 1) => Some("web".to_string()),
        (Some(_), _) => Some("global".to_string()),
    };
    Ok(Product {
        id: required(node, "id")?,
        title: required(node, "title")?,
        body_html: text(&node["descriptionHtml"]),
        handle: text(&node["handle"]),
        product_type: text(&node["productType"]),
        vendor: text(&node["vendor"]),
        tags: tags(&node["tags"]),
        status: text(&node["status"]).map(|s| s.to_lowercase()),
        created_at: required(node, "createdAt")?,
        updated_at: required(node, "updatedAt")?,
        published_at,
        published_scope,
        price: text(&node["priceRangeV2"]["minVariantPrice"]["amount"]),
        currency: text(&node["priceRangeV2"]["minVariantPrice"]["currencyCode"]),
        image_urls,
    })
}

/// `children` are the order's line-item nodes from a bulk export; a page read nests them.
pub fn order(node: &Value, children: &[Value]) -> Result<Order, String> {
    let mut line_items = Vec::new();
    let nested = node["lineItems"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for item in nested.iter().chain(children.iter()) {
        line_items.push(line_item(item)?);
    }
    let cancelled_at = text(&node["cancelledAt"]);
    let financial = text(&node["displayFinancialStatus"]);
    let fulfillment = text(&node["displayFulfillmentStatus"]);
    let stage = if cancelled_at.is_some() {
        OrderStage::Cancelled
    } else {
        match (financial.as_deref(), fulfillment.as_deref()) {
            (Some("REFUNDED" | "VOIDED"), _) => OrderStage::Cancelled,
            (_, Some("FULFILLED")) => OrderStage::Shipped,
            (Some("PAID" | "PARTIALLY_PAID" | "PARTIALLY_REFUNDED"), _) => OrderStage::Processed,
            _ => OrderStage::CheckoutCompleted,
        }
    };
    let visit = &node["customerJourneySummary"]["lastVisit"];
    let total_line_items_price = sum_line_items(&line_items);
    let gateways: Vec<String> = node["paymentGatewayNames"]
        .as_array()
        .map(|a| a.iter().filter_map(text).collect())
        .unwrap_or_default();
    Ok(Order {
        id: required(node, "id")?,
        name: required(node, "name")?,
        order_number: node["number"].as_u64(),
        email: text(&node["email"]).map(|e| e.to_lowercase()),
        customer_id: text(&node["customer"]["id"]),
        stage: Some(stage),
        abandoned_checkout_url: None,
        buyer_accepts_marketing: node["customerAcceptsMarketing"].as_bool(),
        cancel_reason: text(&node["cancelReason"]).map(|s| s.to_lowercase()),
        cancelled_at,
        created_at: required(node, "createdAt")?,
        updated_at: required(node, "updatedAt")?,
        currency: text(&node["currencyCode"]),
        financial_status: financial.map(|s| s.to_lowercase()),
        fulfillment_status: fulfillment.map(|s| s.to_lowercase()),
        landing_site: text(&visit["landingPage"]),
        note: text(&node["note"]),
        processing_method: (!gateways.is_empty()).then(|| gateways.join(", ")),
        referring_site: text(&visit["referrerUrl"]),
        source_name: text(&node["sourceName"]),
        subtotal_price: money(&node["subtotalPriceSet"]),
        taxes_included: node["taxesIncluded"].as_bool(),
        total_discounts: money(&node["totalDiscountsSet"]),
        total_line_items_price,
        total_price: money(&node["totalPriceSet"]),
        total_tax: money(&node["totalTaxSet"]),
        total_weight: match &node["totalWeight"] {
            Value::String(s) => s.parse().ok(),
            v => v.as_u64(),
        },
        line_items,
    })
}

fn line_item(node: &Value) -> Result<LineItem, String> {
    Ok(LineItem {
        id: required(node, "id")?,
        name: text(&node["name"]).unwrap_or_default(),
        sku: text(&node["sku"]),
        quantity: node["quantity"].as_i64().unwrap_or(0),
        price: money(&node["originalUnitPriceSet"]),
        product_id: text(&node["product"]["id"]),
    })
}

/// Sum of unit price x quantity, in cents, printed back as a decimal with two places.
fn sum_line_items(items: &[LineItem]) -> Option<String> {
    if items.is_empty() {
        return None;
    }
    let mut cents: i64 = 0;
    for item in items {
        let price = item.price.as_deref()?;
        cents += decimal_to_cents(price)? * item.quantity;
    }
    Some(format!("{}.{:02}", cents / 100, (cents % 100).abs()))
}

fn decimal_to_cents(s: &str) -> Option<i64> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, "0"));
    let whole: i64 = whole.parse().ok()?;
    let frac = format!("{frac:0<2}");
    let frac: i64 = frac.get(..2)?.parse().ok()?;
    Some(whole * 100 + if whole < 0 { -frac } else { frac })
}

/// An abandoned checkout: a deal in "checkout pending", or "checkout abandoned" once it is more
/// than 24 hours old. A completed one became an order and is skipped (None).
pub fn abandoned_checkout(
    node: &Value,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<Order>, String> {
    if text(&node["completedAt"]).is_some() {
        return Ok(None);
    }
    let created_at = required(node, "createdAt")?;
    let created = chrono::DateTime::parse_from_rfc3339(&created_at)
        .map_err(|_| format!("`createdAt` is not a date: {created_at}"))?;
    let stage = if now.signed_duration_since(created) > chrono::Duration::hours(24) {
        OrderStage::CheckoutAbandoned
    } else {
        OrderStage::CheckoutPending
    };
    let customer = &node["customer"];
    Ok(Some(Order {
        id: required(node, "id")?,
        name: text(&node["name"]).unwrap_or_else(|| "Checkout".into()),
        email: text(&customer["defaultEmailAddress"]["emailAddress"]).map(|e| e.to_lowercase()),
        customer_id: text(&customer["id"]),
        stage: Some(stage),
        abandoned_checkout_url: text(&node["abandonedCheckoutUrl"]),
        created_at,
        updated_at: required(node, "updatedAt")?,
        currency: text(&node["subtotalPriceSet"]["shopMoney"]["currencyCode"]),
        note: text(&node["note"]),
        subtotal_price: money(&node["subtotalPriceSet"]),
        taxes_included: node["taxesIncluded"].as_bool(),
        total_price: money(&node["totalPriceSet"]),
        ..Order::default()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_customer_read_typed_is_the_customer_read_untyped() {
        let nodes = [
            json!({
                "id": "gid://shopify/Customer/1", "firstName": " Åse ", "lastName": null,
                "numberOfOrders": "3", "tags": ["vip", "", " a "], "createdAt": "2025-01-01T00:00:00Z",
                "updatedAt": "2025-01-02T00:00:00Z", "defaultEmailAddress": null, "defaultAddress": null
            }),
            json!({
                "id": "gid://shopify/Customer/2", "firstName": "A\"b\u{e9}", "note": "x\ny",
                "numberOfOrders": 7, "taxExempt": true, "verifiedEmail": false,
                "createdAt": "2025-01-01T00:00:00Z", "updatedAt": "2025-01-02T00:00:00Z",
                "defaultEmailAddress": {"emailAddress": "Ann@Example.COM", "marketingState": "SUBSCRIBED"},
                "defaultPhoneNumber": {"phoneNumber": "+45 1234"},
                "defaultAddress": {"address1": "Vej 1", "address2": "2. tv", "city": "Aarhus",
                                   "country": "Denmark", "province": null, "zip": "8000"},
                "unknown": {"deep": [1, 2, {"x": null}]}
            }),
            // Other JSON types than expected read as absent, in both reads.
            json!({
                "id": "gid://shopify/Customer/3", "firstName": 5, "lastName": ["x"],
                "numberOfOrders": -1, "tags": "vip", "taxExempt": "yes",
                "createdAt": "2025-01-01T00:00:00Z", "updatedAt": "2025-01-02T00:00:00Z",
                "defaultEmailAddress": {"emailAddress": 1, "marketingState": 2},
                "defaultPhoneNumber": "+45", "defaultAddress": {}
            }),
            json!({"id": "gid://shopify/Customer/4", "createdAt": "2025-01-01T00:00:00Z"}),
            json!({"id": 4}),
            json!([1, 2]),
        ];
        for node in nodes {
            let line = serde_json::to_vec(&node).unwrap();
            assert_eq!(customer_from_json(&line), customer(&node), "{node}");
        }
    }

    #[test]
    fn customer_without_email_or_address() {
        let c = customer(&json!({
            "id": "gid://shopify/Customer/1", "firstName": " Åse ", "lastName": null,
            "numberOfOrders": "3", "tags": ["vip", ""], "createdAt": "2025-01-01T00:00:00Z",
            "updatedAt": "2025-01-02T00:00:00Z", "defaultEmailAddress": null, "defaultAddress": null
        }))
        .unwrap();
        assert_eq!(c.first_name.as_deref(), Some("Åse"));
        assert_eq!(c.email, None);
        assert_eq!(c.accepts_marketing, None);
        assert_eq!(c.orders_count, Some(3));
        assert_eq!(c.tags, vec!["vip"]);
        assert_eq!(c.address, None);
    }

    #[test]
    fn malformed_customer_is_an_error() {
        assert!(customer(&json!({"id": "gid://shopify/Customer/1"})).is_err());
    }

    #[test]
    fn order_stages_and_totals() {
        let base = json!({
            "id": "gid://shopify/Order/1", "name": "#1001", "createdAt": "2025-01-01T00:00:00Z",
            "updatedAt": "2025-01-01T00:00:00Z", "displayFinancialStatus": "PAID",
            "displayFulfillmentStatus": "FULFILLED",
            "lineItems": {"nodes": [
                {"id": "gid://shopify/LineItem/1", "quantity": 2, "originalUnitPriceSet": {"shopMoney": {"amount": "19.95"}}},
                {"id": "gid://shopify/LineItem/2", "quantity": 1, "originalUnitPriceSet": {"shopMoney": {"amount": "5.1"}}}
            ]}
        });
        let o = order(&base, &[]).unwrap();
        assert_eq!(o.stage, Some(OrderStage::Shipped));
        assert_eq!(o.total_line_items_price.as_deref(), Some("45.00"));
        let mut cancelled = base.clone();
        cancelled["cancelledAt"] = json!("2025-01-02T00:00:00Z");
        assert_eq!(
            order(&cancelled, &[]).unwrap().stage,
            Some(OrderStage::Cancelled)
        );
    }

    #[test]
    fn abandoned_checkouts_age_into_abandoned() {
        let now = chrono::DateTime::parse_from_rfc3339("2025-01-03T00:00:00Z")
            .unwrap()
            .to_utc();
        let node = |created: &str| json!({"id": "gid://shopify/AbandonedCheckout/1", "createdAt": created, "updatedAt": created});
        let old = abandoned_checkout(&node("2025-01-01T00:00:00Z"), now)
            .unwrap()
            .unwrap();
        assert_eq!(old.stage, Some(OrderStage::CheckoutAbandoned));
        let fresh = abandoned_checkout(&node("2025-01-02T12:00:00Z"), now)
            .unwrap()
            .unwrap();
        assert_eq!(fresh.stage, Some(OrderStage::CheckoutPending));
    }
}
