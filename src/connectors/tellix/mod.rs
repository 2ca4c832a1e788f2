//! Tellix Backoffice (Amendo) API v3: the back office of seed 003. Reads the product catalogue
//! (department-scoped prices and stock), writes stock per department and customers, and
//! imports products for the first-time link.
//!
//! Departments are named in profiles and canonical records (`"Oslo"`); this connector turns
//! names into Tellix `departmentId`s with `/department/list`.
//!
//! Readings taken where the notes leave a fact open ([?], also in the sandbox fake):
//! - product status: `isActive` when present (default active); `showOnWeb` is the seed's
//!   "store" (default true);
//! - variants: listed inside their product as `variants[]`, each `{variantId, productNumber,
//!   barcode, options[{name, value}], departments[]}` and written with `POST /product/variant`
//!   (`variantId` set to update); a product without variants is its own single variant;
//! - `description` and `images[]` (URLs, or objects with `url`) are read when present;
//! - a department without `incPrice` falls back to the product's `priceIncVat`;
//! - `updatedAt` is "YYYY-MM-DD HH:MM:SS" in UTC, and `fromDate` takes a date (the day is the
//!   finest filter trusted; the flow compares exact times itself).

pub mod client;
pub mod health;
pub mod setup;

use std::collections::BTreeMap;

use serde_json::{json, Value};

pub use client::{Method, TellixClient, TellixCredentials, TellixError};

use crate::catalogue::{
    check_image_url, normalize_price, Catalogue, CatalogueProduct, CatalogueVariant, Problem,
    ProductStatus,
};
use crate::model::Customer;

/// Page size for every list (the customer list takes at most 50).
pub const PAGE: u64 = 50;
/// The price key used for `priceIncVat` (a product's price outside any department).
pub const DEFAULT_PRICE: &str = "default";

pub struct TellixBackOffice {
    pub client: TellixClient,
    /// Department id -> name.
    departments: BTreeMap<i64, String>,
}

impl TellixBackOffice {
    /// Connects (fetches a token) and reads the departments.
    pub async fn connect(client: TellixClient) -> Result<TellixBackOffice, TellixError> {
        let list = client.list_all("/department/list", None, PAGE).await?;
        let departments = list
            .iter()
            .filter_map(|d| {
                let id = d["departmentId"].as_i64()?;
                let name = d["departmentName"]
                    .as_str()
                    .or_else(|| d["name"].as_str())
                    .map(str::to_string)
                    .unwrap_or_else(|| id.to_string());
                Some((id, name))
            })
            .collect();
        Ok(TellixBackOffice {
            client,
            departments,
        })
    }

    pub fn department_names(&self) -> Vec<String> {
        self.departments.values().cloned().collect()
    }

    /// The id of a department named in the profile (by name, case-insensitive, or by id).
    pub fn department_id(&self, name: &str) -> Option<i64> {
        let n = name.trim();
        self.departments
            .iter()
            .find(|(_, v)| v.eq_ignore_ascii_case(n))
            .map(|(k, _)| *k)
            .or_else(|| {
                n.parse::<i64>()
                    .ok()
                    .filter(|id| self.departments.contains_key(id))
            })
    }

    fn department_name(&self, id: i64) -> String {
        self.departments
            .get(&id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    /// The whole catalogue. A product that cannot be read is a [`Problem`]; the rest go on.
    pub async fn catalogue(&self) -> Result<Catalogue, TellixError> {
        let list = self.client.list_all("/product/list", None, PAGE).await?;
        let mut catalogue = Catalogue::default();
        for p in &list {
            match self.product(p) {
                Ok(product) => catalogue.products.push(product),
                Err(reason) => catalogue.problems.push(Problem {
                    origin: format!("tellix product {}", id_text(&p["productId"])),
                    reason,
                }),
            }
        }
        catalogue.reject_duplicate_skus();
        Ok(catalogue)
    }

    fn product(&self, p: &Value) -> Result<CatalogueProduct, String> {
        let id = id_text(&p["productId"]);
        let name = p["productName"]
            .as_str()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or("productName is empty")?;
        let status = match p.get("isActive").and_then(truthy) {
            Some(false) => ProductStatus::Draft,
            _ => ProductStatus::Active,
        };
        let online = p.get("showOnWeb").and_then(truthy).unwrap_or(true);
        let tracked = p.get("stockControl").and_then(truthy).unwrap_or(true);
        let images = match &p["images"] {
            Value::Array(a) => a
                .iter()
                .filter_map(|i| i.as_str().or_else(|| i["url"].as_str()))
                .map(check_image_url)
                .collect::<Result<Vec<_>, _>>()?,
            _ => Vec::new(),
        };
        let fallback = match &p["priceIncVat"] {
            Value::Null => None,
            v => Some(price(v).map_err(|e| format!("priceIncVat: {e}"))?),
        };
        let variants_json: Vec<&Value> = p["variants"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let mut options: Vec<String> = Vec::new();
        let mut variants = Vec::new();
        if variants_json.is_empty() {
            variants.push(self.variant(p, &id, fallback.as_deref(), tracked, &[])?);
        } else {
            if let Some(first) = variants_json.first() {
                options = option_pairs(first).into_iter().map(|(n, _)| n).collect();
            }
            for v in variants_json {
                let vid = id_text(&v["variantId"]);
                let variant = self
                    .variant(v, &vid, fallback.as_deref(), tracked, &options)
                    .map_err(|e| format!("variant {vid}: {e}"))?;
                variants.push(variant);
            }
        }
        Ok(CatalogueProduct {
            id: id.clone(),
            name: name.to_string(),
            status,
            online,
            description: p["description"]
                .as_str()
                .filter(|s| !s.trim().is_empty())
                .map(str::to_string),
            images,
            options,
            variants,
            updated_at: p["updatedAt"].as_str().and_then(tellix_time_to_rfc3339),
            origin: format!("tellix product {id}"),
        })
    }

    fn variant(
        &self,
        v: &Value,
        id: &str,
        fallback_price: Option<&str>,
        tracked: bool,
        options: &[String],
    ) -> Result<CatalogueVariant, String> {
        let sku = v["productNumber"]
            .as_str()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or("missing SKU (productNumber is empty)")?;
        let pairs = option_pairs(v);
        let names: Vec<String> = pairs.iter().map(|(n, _)| n.clone()).collect();
        if names != options {
            return Err(format!(
                "its options {names:?} differ from the product's {options:?}"
            ));
        }
        let mut prices = BTreeMap::new();
        if let Some(p) = fallback_price {
            prices.insert(DEFAULT_PRICE.to_string(), p.to_string());
        }
        let mut stock = BTreeMap::new();
        for d in v["departments"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let Some(dept) = d["departmentId"].as_i64() else {
                continue;
            };
            let name = self.department_name(dept);
            if !d["incPrice"].is_null() {
                let p = price(&d["incPrice"]).map_err(|e| format!("department {name}: {e}"))?;
                prices.insert(name.clone(), p);
            }
            if let Some(q) = d["stockQuantity"].as_i64() {
                stock.insert(name, q);
            } else if let Some(q) = d["stockQuantity"].as_f64() {
                stock.insert(name, q.round() as i64);
            }
        }
        Ok(CatalogueVariant {
            id: Some(id.to_string()),
            sku: sku.to_string(),
            barcode: v["barcode"]
                .as_str()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            option_values: pairs.into_iter().map(|(_, v)| v).collect(),
            prices,
            inventory_tracked: tracked,
            stock,
        })
    }

    /// Sets the stock of `sku` at a department (`POST /stock/update`, by item number).
    pub async fn set_stock(
        &self,
        department: i64,
        sku: &str,
        quantity: i64,
    ) -> Result<(), TellixError> {
        let body = json!({"params": {"stockDepartment": department, "productNumber": sku, "stockQuantity": quantity}});
        self.client
            .call(Method::Post, "/stock/update", &[], Some(&body))
            .await
            .map(|_| ())
    }

    /// Every customer (paged by 50), or those changed since `from_date` (a date).
    pub async fn customers(&self, from_date: Option<&str>) -> Result<Vec<Value>, TellixError> {
        self.client
            .list_all("/customer/list", from_date, PAGE)
            .await
    }

    /// Creates (no id) or updates a customer; returns its Tellix id.
    pub async fn upsert_customer(
        &self,
        id: Option<&str>,
        body: &Value,
    ) -> Result<String, TellixError> {
        match id {
            Some(id) => {
                let path = format!("/customer/update/{id}");
                self.client
                    .call(Method::Put, &path, &[], Some(&json!({"data": body})))
                    .await?;
                Ok(id.to_string())
            }
            None => {
                let answer = self
                    .client
                    .call(
                        Method::Post,
                        "/customer/save",
                        &[],
                        Some(&json!({"data": [body]})),
                    )
                    .await?;
                let id = id_text(&answer["data"][0]["customerId"]);
                if id.is_empty() {
                    return Err(TellixError::Malformed {
                        path: "/customer/save".into(),
                        detail: "the answer has no data[0].customerId".into(),
                    });
                }
                Ok(id)
            }
        }
    }

    /// Imports one product (first-time link): the product, then its variants. Returns the
    /// Tellix product id.
    pub async fn import_product(&self, p: &CatalogueProduct) -> Result<String, TellixError> {
        let single = p.variants.len() == 1 && p.options.is_empty();
        let mut body = json!({
            "productName": p.name,
            "productNumber": if single { p.variants[0].sku.clone() } else { p.id.clone() },
            "isActive": p.status == ProductStatus::Active,
            "showOnWeb": p.online,
            "stockControl": p.variants.iter().any(|v| v.inventory_tracked),
        });
        if let Some(d) = &p.description {
            body["description"] = json!(d);
        }
        if !p.images.is_empty() {
            body["images"] = json!(p.images);
        }
        if single {
            let v = &p.variants[0];
            if let Some(b) = &v.barcode {
                body["barcode"] = json!(b);
            }
            if let Some(price) = v.prices.get(DEFAULT_PRICE) {
                body["priceIncVat"] = number(price);
            }
            body["departments"] = json!(self.departments_of(v));
        }
        let answer = self
            .client
            .call(
                Method::Post,
                "/product/save",
                &[],
                Some(&json!({"data": [body]})),
            )
            .await?;
        let id = answer["data"][0]["productId"].clone();
        if id.is_null() {
            return Err(TellixError::Malformed {
                path: "/product/save".into(),
                detail: "the answer has no data[0].productId".into(),
            });
        }
        if !single {
            let variants: Vec<Value> = p
                .variants
                .iter()
                .map(|v| {
                    let mut body = json!({
                        "productId": id,
                        "productNumber": v.sku,
                        "options": p.options.iter().zip(&v.option_values)
                            .map(|(n, val)| json!({"name": n, "value": val})).collect::<Vec<_>>(),
                        "departments": self.departments_of(v),
                    });
                    if let Some(b) = &v.barcode {
                        body["barcode"] = json!(b);
                    }
                    body
                })
                .collect();
            self.client
                .call(
                    Method::Post,
                    "/product/variant",
                    &[],
                    Some(&json!({"data": variants})),
                )
                .await?;
        }
        Ok(id_text(&id))
    }

    /// `departments[]` of a variant: price and stock for each department known by name.
    fn departments_of(&self, v: &CatalogueVariant) -> Vec<Value> {
        let mut out: BTreeMap<i64, Value> = BTreeMap::new();
        for (name, price) in &v.prices {
            if let Some(id) = self.department_id(name) {
                out.entry(id).or_insert_with(|| json!({"departmentId": id}))["incPrice"] =
                    number(price);
            }
        }
        for (name, q) in &v.stock {
            if let Some(id) = self.department_id(name) {
                out.entry(id).or_insert_with(|| json!({"departmentId": id}))["stockQuantity"] =
                    json!(q);
            }
        }
        out.into_values().collect()
    }
}

/// The customer body Tellix takes (`/customer/save`, `/customer/update`). Shopify's created
/// and updated dates and marketing consent have no documented Tellix field [?]; they go to the
/// customer file only.
pub fn customer_body(c: &Customer) -> Value {
    let name = [c.first_name.as_deref(), c.last_name.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let name = if name.is_empty() {
        c.email
            .clone()
            .or_else(|| c.phone.clone())
            .unwrap_or_default()
    } else {
        name
    };
    let a = c.address.clone().unwrap_or_default();
    let mut body = json!({
        "name": name,
        "email": c.email,
        "phoneNumber": c.phone,
        "address": a.street,
        "zip": a.zip,
        "location": a.city,
        "country": a.country,
        "isActive": true,
        "isDeleted": false,
    });
    if let Some(obj) = body.as_object_mut() {
        obj.retain(|_, v| !v.is_null());
    }
    body
}

fn option_pairs(v: &Value) -> Vec<(String, String)> {
    v["options"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|o| {
                    Some((
                        o["name"].as_str()?.to_string(),
                        o["value"]
                            .as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| o["value"].to_string()),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn truthy(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().map(|n| n != 0),
        Value::String(s) => crate::connectors::files::parse_bool(s),
        _ => None,
    }
}

/// A JSON number or numeric string as a normalised price.
fn price(v: &Value) -> Result<String, String> {
    match v {
        Value::Number(n) => {
            let f = n.as_f64().ok_or("the price is not a number")?;
            if f < 0.0 {
                return Err(format!("negative price {f}"));
            }
            normalize_price(&format!("{f:.4}"))
        }
        Value::String(s) => normalize_price(s),
        other => Err(format!("malformed price {other}")),
    }
}

/// A normalised price as the JSON number Tellix takes.
fn number(price: &str) -> Value {
    price
        .parse::<f64>()
        .ok()
        .and_then(|f| serde_json::Number::from_f64(f).map(Value::Number))
        .unwrap_or(Value::Null)
}

pub fn id_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// "2026-05-01 12:00:00" (UTC [?]) as RFC 3339.
pub fn tellix_time_to_rfc3339(text: &str) -> Option<String> {
    chrono::NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|t| {
            t.and_utc()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_from_numbers() {
        assert_eq!(price(&json!(199)).unwrap(), "199.00");
        assert_eq!(price(&json!(0.1 + 0.2)).unwrap(), "0.30");
        assert_eq!(price(&json!("49.5")).unwrap(), "49.50");
        assert!(price(&json!(-1)).is_err());
        assert_eq!(number("199.50"), json!(199.5));
    }

    #[test]
    fn customer_body_uses_tellix_names() {
        let c = Customer {
            id: "gid://shopify/Customer/1".into(),
            first_name: Some("Kari".into()),
            last_name: Some("Nordmann".into()),
            email: Some("kari@example.no".into()),
            address: Some(crate::model::Address {
                city: Some("Oslo".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let b = customer_body(&c);
        assert_eq!(b["name"], "Kari Nordmann");
        assert_eq!(b["location"], "Oslo");
        assert!(b.get("phoneNumber").is_none());
    }
}
