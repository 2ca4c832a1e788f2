//! Shopware as a source of customers (and the place permission changes and bounces are written
//! back to). Shopware 5's REST API; the customer's own fields keep Shopware's names in the
//! canonical record's `fields` (`number`, `billing.city`, `attribute.relationNumber`), so a
//! profile can map any of them.

pub mod client;
pub mod health;
pub mod settings;
pub mod setup;
pub mod six;
pub mod source;

use std::collections::HashMap;

use futures::stream::{self, StreamExt};
use serde_json::{json, Value};
use tokio::sync::mpsc::Sender;

pub use client::{Shopware5Client, ShopwareError};
pub use six::Shopware6Client;

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

/// Spotler's standard properties and the Shopware 5 field each takes by default.
pub const DEFAULT_MAP_5: [(&str, &str); 11] = [
    ("email", "email"),
    ("firstName", "firstname"),
    ("lastName", "lastname"),
    ("gender", "salutation"),
    ("birthday", "birthday"),
    ("street", "billing.street"),
    ("postalCode", "billing.zipcode"),
    ("city", "billing.city"),
    ("country", "billing.country"),
    ("organisation", "billing.company"),
    ("customerType", "groupKey"),
];

/// The same for Shopware 6's names.
pub const DEFAULT_MAP_6: [(&str, &str); 10] = [
    ("email", "email"),
    ("firstName", "firstName"),
    ("lastName", "lastName"),
    ("gender", "salutation"),
    ("birthday", "birthday"),
    ("street", "billing.street"),
    ("postalCode", "billing.zipcode"),
    ("city", "billing.city"),
    ("country", "billing.country"),
    ("organisation", "billing.company"),
];

/// The default map of a shop of this `kind` ("5" or "6").
pub fn default_map(kind: &str) -> Vec<(&'static str, &'static str)> {
    if kind.trim() == "6" {
        DEFAULT_MAP_6.to_vec()
    } else {
        DEFAULT_MAP_5.to_vec()
    }
}

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

/// The customer fields of Shopware 6's `customer` entity as shopsync reads them (custom fields
/// are added from the shop itself).
const FIELDS_6: [(&str, ShopKind); 18] = [
    ("id", ShopKind::String),
    ("customerNumber", ShopKind::String),
    ("email", ShopKind::Email),
    ("newsletter", ShopKind::Bool),
    ("salutation", ShopKind::Salutation),
    ("title", ShopKind::String),
    ("firstName", ShopKind::String),
    ("lastName", ShopKind::String),
    ("birthday", ShopKind::Date),
    ("createdAt", ShopKind::DateTime),
    ("updatedAt", ShopKind::DateTime),
    ("billing.company", ShopKind::String),
    ("billing.street", ShopKind::String),
    ("billing.zipcode", ShopKind::String),
    ("billing.city", ShopKind::String),
    ("billing.country", ShopKind::String),
    ("billing.phone", ShopKind::String),
    ("customFields", ShopKind::String),
];

/// A Shopware shop of either version, as the Spotler flow uses it.
pub enum Shop {
    V5 {
        client: Shopware5Client,
        countries: tokio::sync::OnceCell<HashMap<i64, String>>,
    },
    V6(Shopware6Client),
}

impl Shop {
    /// `kind` is the profile's `"5"` or `"6"`; `user`/`key` are the API user and key (5) or
    /// the integration's access key id and secret access key (6).
    pub fn new(
        kind: &str,
        base_url: &str,
        user: crate::secret::Secret,
        key: crate::secret::Secret,
    ) -> Shop {
        if kind.trim() == "6" {
            Shop::V6(Shopware6Client::new(base_url, user, key))
        } else {
            Shop::V5 {
                client: Shopware5Client::new(base_url, user, key),
                countries: tokio::sync::OnceCell::new(),
            }
        }
    }

    pub fn requests(&self) -> u64 {
        use std::sync::atomic::Ordering;
        match self {
            Shop::V5 { client, .. } => client.stats.requests.load(Ordering::Relaxed),
            Shop::V6(c) => c.stats.requests.load(Ordering::Relaxed),
        }
    }

    /// How many customers the shop has (one request: proves the credentials).
    pub async fn probe(&self) -> Result<usize, ShopwareError> {
        match self {
            Shop::V5 { client, .. } => Ok(client.customer_page(None, 0, 1).await?.1),
            Shop::V6(c) => Ok(c.customer_page(None, 1, 1).await?.1),
        }
    }

    async fn countries(&self) -> Result<HashMap<i64, String>, ShopwareError> {
        match self {
            Shop::V5 { client, countries } => countries
                .get_or_try_init(|| client.countries())
                .await
                .cloned(),
            Shop::V6(_) => Ok(HashMap::new()),
        }
    }

    /// The shop's customer fields with their kinds.
    pub async fn catalogue(&self) -> Result<Vec<ShopField>, ShopwareError> {
        match self {
            Shop::V5 { client, .. } => catalogue(client).await,
            Shop::V6(c) => {
                let mut out: Vec<ShopField> = FIELDS_6
                    .iter()
                    .filter(|(n, _)| *n != "customFields")
                    .map(|(n, k)| ShopField {
                        name: n.to_string(),
                        kind: *k,
                    })
                    .collect();
                for (name, kind) in c.customer_custom_fields().await? {
                    out.push(ShopField {
                        name: format!("customFields.{name}"),
                        kind: match kind.as_str() {
                            "bool" | "checkbox" | "switch" => ShopKind::Bool,
                            "int" => ShopKind::Int,
                            "date" | "datetime" => ShopKind::DateTime,
                            _ => ShopKind::String,
                        },
                    });
                }
                Ok(out)
            }
        }
    }

    /// Every customer changed at or after `since` (a cursor this shop gave), down `tx`.
    pub async fn read_customers(
        &self,
        since: Option<&str>,
        tx: &Sender<SourceItem>,
    ) -> Result<Read, ShopwareError> {
        match self {
            Shop::V5 { client, .. } => {
                let countries = self.countries().await?;
                let mut read = read_customers(client, since, &countries, tx).await?;
                read.latest_changed = read.latest_changed.as_deref().and_then(shop_time);
                Ok(read)
            }
            Shop::V6(c) => {
                let mut read = Read::default();
                let mut items = Vec::new();
                let mut seen = std::collections::HashSet::new();
                let mut page = 1;
                loop {
                    let (rows, total) = c.customer_page(since, page, client::PAGE).await?;
                    let emails: Vec<String> = rows
                        .iter()
                        .filter_map(|r| r["email"].as_str().map(str::to_string))
                        .collect();
                    let recipients = c.recipients(&emails).await?;
                    // The newest change read (a customer never updated sorts first, by its
                    // null `updatedAt`, so the last row is not always the newest).
                    for row in &rows {
                        newest(&mut read.latest_changed, six::changed_at(row));
                        let email = row["email"].as_str().unwrap_or("").to_lowercase();
                        seen.insert(email.clone());
                        items
                            .push(six::to_customer(row, recipients.get(&email)).map_err(
                                |reason| (row["id"].as_str().map(str::to_string), reason),
                            ));
                    }
                    if !send(tx, &mut read, &mut items).await {
                        return Ok(read);
                    }
                    if rows.is_empty() || page * client::PAGE >= total {
                        break;
                    }
                    page += 1;
                }
                // A newsletter subscription made or ended in the storefront changes the
                // recipient only: its customer is read as well.
                if let Some(s) = since {
                    let changed = c.recipients_changed(s).await?;
                    let mut by_email = HashMap::new();
                    for r in changed {
                        newest(&mut read.latest_changed, six::changed_at(&r));
                        if let Some(e) = r["email"].as_str() {
                            by_email.insert(e.to_lowercase(), r.clone());
                        }
                    }
                    let emails: Vec<String> = by_email
                        .iter()
                        .filter(|(e, _)| !seen.contains(*e))
                        .filter_map(|(_, r)| r["email"].as_str().map(str::to_string))
                        .collect();
                    for row in c.customers_by_email(&emails).await? {
                        let email = row["email"].as_str().unwrap_or("").to_lowercase();
                        if !seen.insert(email.clone()) {
                            continue;
                        }
                        items.push(
                            six::to_customer(&row, by_email.get(&email))
                                .map_err(|reason| (row["id"].as_str().map(str::to_string), reason)),
                        );
                    }
                    send(tx, &mut read, &mut items).await;
                }
                Ok(read)
            }
        }
    }

    /// One customer as a canonical record (None: gone; `Err(reason)`: unreadable).
    pub async fn customer(
        &self,
        id: &str,
    ) -> Result<Option<Result<Customer, String>>, ShopwareError> {
        match self {
            Shop::V5 { client, .. } => {
                let countries = self.countries().await?;
                Ok(client
                    .customer(id)
                    .await?
                    .map(|c| to_customer(&c, &countries)))
            }
            Shop::V6(c) => {
                let Some(row) = c.customer(id).await? else {
                    return Ok(None);
                };
                let email = row["email"].as_str().unwrap_or("").to_string();
                let recipients = c.recipients(std::slice::from_ref(&email)).await?;
                Ok(Some(six::to_customer(
                    &row,
                    recipients.get(&email.to_lowercase()),
                )))
            }
        }
    }

    /// Writes a permission (and, for a bounce, the note) to customer `id`.
    pub async fn write_permission(
        &self,
        id: &str,
        field: &str,
        enabled: bool,
        note: Option<(&str, &str)>,
    ) -> Result<(), ShopwareError> {
        let refused = |detail: String| ShopwareError::Refused {
            method: "PUT",
            path: format!("customer {id}"),
            status: 400,
            message: detail,
        };
        match self {
            Shop::V5 { client, .. } => {
                let body = permission_update(field, enabled, note).map_err(refused)?;
                client.update_customer(id, &body).await
            }
            Shop::V6(c) => {
                let mut custom = serde_json::Map::new();
                if field == "newsletter" {
                    let Some(row) = c.customer(id).await? else {
                        return Err(refused("the customer is gone".into()));
                    };
                    c.set_newsletter(&row, enabled).await?;
                } else if let Some(k) = field.strip_prefix("customFields.") {
                    custom.insert(k.into(), json!(enabled));
                } else {
                    return Err(refused(format!("`{field}` cannot be written back")));
                }
                if let Some((f, v)) = note {
                    match f.strip_prefix("customFields.") {
                        Some(k) => {
                            custom.insert(k.into(), json!(v));
                        }
                        None => return Err(refused(format!("`{f}` cannot be written back"))),
                    }
                }
                if custom.is_empty() {
                    return Ok(());
                }
                c.update_customer(id, &json!({"customFields": custom}))
                    .await
            }
        }
    }
}

/// Keeps the newer of `latest` and `at` (ISO 8601 in one zone: compared as text).
fn newest(latest: &mut Option<String>, at: Option<&str>) {
    if let Some(u) = at {
        if latest.as_deref().is_none_or(|l| u > l) {
            *latest = Some(u.to_string());
        }
    }
}

/// Sends the read customers (or why one could not be read) down `tx`; false when the receiver
/// is gone.
async fn send(
    tx: &Sender<SourceItem>,
    read: &mut Read,
    items: &mut Vec<Result<Customer, (Option<String>, String)>>,
) -> bool {
    for item in items.drain(..) {
        let item = match item {
            Ok(c) => SourceItem::Record(Box::new(Record::Customer(c))),
            Err((source_id, reason)) => SourceItem::Malformed { source_id, reason },
        };
        read.records += 1;
        if tx.send(item).await.is_err() {
            return false;
        }
    }
    true
}

/// `2024-01-02T10:00:00+0100` (Shopware 5) -> `2024-01-02 10:00:00`: the shop's own clock, as
/// its `changed` filter compares.
fn shop_time(changed: &str) -> Option<String> {
    let t = changed.get(..19)?;
    Some(t.replacen('T', " ", 1))
}
