//! Shopware as a source of customers (and the place permission changes and bounces are written
//! back to). Shopware 5's REST API; the customer's own fields keep Shopware's names in the
//! canonical record's `fields` (`number`, `billing.city`, `attribute.relationNumber`), so a
//! profile can map any of them.

pub mod client;
pub mod health;
pub mod setup;

use std::collections::HashMap;

use futures::stream::{self, StreamExt};
use serde_json::{json, Value};
use tokio::sync::mpsc::Sender;

pub use client::{Shopware5Client, ShopwareError};

use crate::connectors::spotler::mapping::{ShopField, ShopKind};
use crate::engine::SourceItem;
use crate::model::{Customer, Record};

/// The customer fields of Shopware 5's REST resource, with their kinds (attributes are added
/// from the shop itself).
const FIELDS: [(&str, ShopKind); 23] = [
    ("id", ShopKind::Int),
    ("number", ShopKind::String),
    ("email", ShopKind::Email),
    ("active", ShopKind::Bool),
    ("groupKey", ShopKind::String),
    ("newsletter", ShopKind::Bool),
    ("salutation", ShopKind::Salutation),
    ("title", ShopKind::String),
    ("firstname", ShopKind::String),
    ("lastname", ShopKind::String),
    ("birthday", ShopKind::Date),
    ("firstLogin", ShopKind::DateTime),
    ("lastLogin", ShopKind::DateTime),
    ("changed", ShopKind::DateTime),
    ("billing.company", ShopKind::String),
    ("billing.department", ShopKind::String),
    ("billing.street", ShopKind::String),
    ("billing.zipcode", ShopKind::String),
    ("billing.city", ShopKind::String),
    ("billing.country", ShopKind::String),
    ("billing.phone", ShopKind::String),
    ("billing.vatId", ShopKind::String),
    ("billing.additionalAddressLine1", ShopKind::String),
];

/// Keys a profile may choose as the contact's external id, besides `attribute.*` columns.
pub const KEYS: [&str; 2] = ["number", "id"];

/// The shop's customer fields: the resource's own and the attribute columns this shop has (as
/// the first customer's `attribute` object shows them).
pub async fn catalogue(client: &Shopware5Client) -> Result<Vec<ShopField>, ShopwareError> {
    let mut out: Vec<ShopField> = FIELDS
        .iter()
        .map(|(n, k)| ShopField {
            name: n.to_string(),
            kind: *k,
        })
        .collect();
    let (rows, _) = client.customer_page(None, 0, 1).await?;
    if let Some(id) = rows.first().and_then(id_of) {
        if let Some(c) = client.customer(&id).await? {
            if let Some(attrs) = c["attribute"].as_object() {
                for (k, v) in attrs {
                    if k == "id" || k == "customerId" {
                        continue;
                    }
                    out.push(ShopField {
                        name: format!("attribute.{k}"),
                        kind: match v {
                            Value::Bool(_) => ShopKind::Bool,
                            Value::Number(_) => ShopKind::Int,
                            _ => ShopKind::String,
                        },
                    });
                }
            }
        }
    }
    Ok(out)
}

fn id_of(v: &Value) -> Option<String> {
    match &v["id"] {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A Shopware 5 customer (the detail shape) as a canonical customer.
pub fn to_customer(c: &Value, countries: &HashMap<i64, String>) -> Result<Customer, String> {
    let id = id_of(c).ok_or("the customer has no id")?;
    let mut fields = std::collections::BTreeMap::new();
    for (name, kind) in FIELDS.iter().filter(|(n, _)| !n.starts_with("billing.")) {
        if let Some(v) = scalar(&c[*name]) {
            let v = if *kind == ShopKind::Bool {
                (v == "1" || v == "true").to_string()
            } else {
                v
            };
            fields.insert(name.to_string(), v);
        }
    }
    let billing = &c["defaultBillingAddress"];
    for (name, _) in FIELDS.iter().filter(|(n, _)| n.starts_with("billing.")) {
        let key = &name["billing.".len()..];
        let v = if key == "country" {
            billing["countryId"]
                .as_i64()
                .and_then(|i| countries.get(&i).cloned())
                .or_else(|| scalar(&billing["country"]["iso"]))
        } else {
            scalar(&billing[key])
        };
        if let Some(v) = v {
            fields.insert(name.to_string(), v);
        }
    }
    if let Some(attrs) = c["attribute"].as_object() {
        for (k, v) in attrs {
            if k != "id" && k != "customerId" {
                if let Some(v) = scalar(v) {
                    fields.insert(format!("attribute.{k}"), v);
                }
            }
        }
    }
    let get = |k: &str| fields.get(k).cloned();
    Ok(Customer {
        id,
        email: get("email"),
        first_name: get("firstname"),
        last_name: get("lastname"),
        accepts_marketing: get("newsletter").map(|v| v == "true"),
        created_at: get("firstLogin").unwrap_or_default(),
        updated_at: get("changed").unwrap_or_default(),
        fields,
        ..Default::default()
    })
}

/// What a read did.
#[derive(Debug, Default)]
pub struct Read {
    pub records: u64,
    /// The newest `changed` read (the list is read oldest change first), as Shopware wrote it.
    pub latest_changed: Option<String>,
}

/// Reads every customer changed at or after `since` (`Y-m-d H:i:s`; all without one) and sends
/// each, with its details, down `tx`. A customer that cannot be read is reported and skipped.
pub async fn read_customers(
    client: &Shopware5Client,
    since: Option<&str>,
    countries: &HashMap<i64, String>,
    tx: &Sender<SourceItem>,
) -> Result<Read, ShopwareError> {
    let mut read = Read::default();
    let mut start = 0;
    loop {
        let (rows, total) = client.customer_page(since, start, client::PAGE).await?;
        let n = rows.len();
        if let Some(c) = rows.last().and_then(|r| r["changed"].as_str()) {
            read.latest_changed = Some(c.to_string());
        }
        let details = stream::iter(rows.iter().map(|row| async move {
            let id = id_of(row);
            match &id {
                Some(id) => (Some(id.clone()), client.customer(id).await),
                None => (None, Ok(None)),
            }
        }))
        .buffered(8)
        .collect::<Vec<_>>()
        .await;
        for (id, detail) in details {
            let item = match (id, detail) {
                (None, _) => SourceItem::Malformed {
                    source_id: None,
                    reason: "a customer in Shopware's list has no id".into(),
                },
                (Some(_), Ok(None)) => continue, // deleted while we read
                (Some(id), Ok(Some(c))) => match to_customer(&c, countries) {
                    Ok(c) => SourceItem::Record(Box::new(Record::Customer(c))),
                    Err(reason) => SourceItem::Malformed {
                        source_id: Some(id),
                        reason,
                    },
                },
                (Some(id), Err(e @ ShopwareError::Refused { .. })) => SourceItem::Malformed {
                    source_id: Some(id),
                    reason: e.to_string(),
                },
                (Some(_), Err(e)) => return Err(e),
            };
            read.records += 1;
            if tx.send(item).await.is_err() {
                return Ok(read);
            }
        }
        start += n;
        if n == 0 || start >= total {
            return Ok(read);
        }
    }
}

/// The changes that write a permission (and, for a bounce, the note the profile asks for) to
/// a customer.
pub fn permission_update(
    field: &str,
    enabled: bool,
    note: Option<(&str, &str)>,
) -> Result<Value, String> {
    let mut body = json!({});
    set_field(&mut body, field, json!(i64::from(enabled)))?;
    if let Some((f, v)) = note {
        set_field(&mut body, f, json!(v))?;
    }
    Ok(body)
}

fn set_field(body: &mut Value, field: &str, value: Value) -> Result<(), String> {
    match field.split_once('.') {
        None => body[field] = value,
        Some(("attribute", col)) => {
            if !body["attribute"].is_object() {
                body["attribute"] = json!({});
            }
            body["attribute"][col] = value;
        }
        Some(_) => {
            return Err(format!(
            "`{field}` cannot be written back (only customer fields and attribute.* columns can)"
        ))
        }
    }
    Ok(())
}
