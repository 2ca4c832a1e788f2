//! Canonical back-office records: a POS back office's product catalogue (the master of products,
//! pushed to the shop) and the stock levels and customers that come back from the shop.
//!
//! Back-office connectors (an API's, or files) produce and accept these, so a third back office
//! is one more connector. The shop's customers travel as [`crate::model::Customer`].

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

/// Whether the product is for sale. The seed's "Status (isActive)" is active or not; a file may
/// also say `archived` (kept, but hidden from the shop's lists).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProductStatus {
    Active,
    /// Not active: the shop keeps it as a draft (not for sale, not visible).
    Draft,
    Archived,
}

impl ProductStatus {
    /// `active`, `draft` (also `inactive`) or `archived`, case-insensitive.
    pub fn parse(text: &str) -> Result<ProductStatus, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "active" => Ok(ProductStatus::Active),
            "draft" | "inactive" => Ok(ProductStatus::Draft),
            "archived" => Ok(ProductStatus::Archived),
            other => Err(format!(
                "unknown status `{other}` (use active, inactive/draft or archived)"
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ProductStatus::Active => "active",
            ProductStatus::Draft => "draft",
            ProductStatus::Archived => "archived",
        }
    }
}

/// One product of the back office's catalogue, with its variants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogueProduct {
    /// The back office's own id of the product (an API's product id; a file's `product` column).
    pub id: String,
    pub name: String,
    pub status: ProductStatus,
    /// The seed's "store" (Butikk): whether the product belongs in the web shop at all (a
    /// back office's "show on web" flag). A product that is not is never created in the shop.
    pub online: bool,
    /// Plain text or HTML; pushed only when the profile's `sync_description` is on.
    pub description: Option<String>,
    /// Image URLs (http or https), in display order.
    pub images: Vec<String>,
    /// Option names (at most three), e.g. `["Size", "Colour"]`; empty for a single variant.
    pub options: Vec<String>,
    pub variants: Vec<CatalogueVariant>,
    /// When the back office last changed it (RFC 3339), if it says.
    pub updated_at: Option<String>,
    /// Where it was read, for messages: `catalogue.csv:12` or `product 1001` of an API.
    pub origin: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogueVariant {
    /// The back office's id of the variant, when it has its own (an API's product id per variant).
    pub id: Option<String>,
    /// The item number: the same on both sides, the key products are paired by.
    pub sku: String,
    pub barcode: Option<String>,
    /// One value per product option, in the order of [`CatalogueProduct::options`].
    pub option_values: Vec<String>,
    /// Price per department (price list), as a normalised decimal string ("199.00").
    pub prices: BTreeMap<String, String>,
    /// Whether the back office counts stock of this item ("lagerstyrt").
    pub inventory_tracked: bool,
    /// Quantity per warehouse (department).
    pub stock: BTreeMap<String, i64>,
}

/// One stock level: how many of `sku` are at `warehouse` (a back-office department).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockLevel {
    pub sku: String,
    pub warehouse: String,
    pub quantity: i64,
}

/// A record that could not be read: where (file:line, or a back-office id) and why. The other
/// records go on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub origin: String,
    pub reason: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.origin, self.reason)
    }
}

/// What a catalogue read gives: the products that can be used, and each one that cannot.
#[derive(Debug, Default)]
pub struct Catalogue {
    pub products: Vec<CatalogueProduct>,
    pub problems: Vec<Problem>,
}

impl Catalogue {
    /// Takes out every product that shares a SKU with another variant (of itself or of another
    /// product) and reports each occurrence: a SKU must name exactly one item, and which of two
    /// is meant is never guessed.
    pub fn reject_duplicate_skus(&mut self) {
        let mut seen: HashMap<String, Vec<String>> = HashMap::new();
        for p in &self.products {
            for v in &p.variants {
                seen.entry(v.sku.clone())
                    .or_default()
                    .push(p.origin.clone());
            }
        }
        let dup: HashMap<&String, &Vec<String>> =
            seen.iter().filter(|(_, o)| o.len() > 1).collect();
        if dup.is_empty() {
            return;
        }
        let mut kept = Vec::with_capacity(self.products.len());
        for p in std::mem::take(&mut self.products) {
            let mut bad: Vec<&String> = p
                .variants
                .iter()
                .map(|v| &v.sku)
                .filter(|s| dup.contains_key(s))
                .collect();
            bad.sort();
            bad.dedup();
            if bad.is_empty() {
                kept.push(p);
                continue;
            }
            for sku in bad {
                let others: Vec<&str> = dup[sku]
                    .iter()
                    .filter(|o| **o != p.origin)
                    .map(String::as_str)
                    .collect();
                let reason = if others.is_empty() {
                    format!("duplicate SKU `{sku}`: two variants of this product have it")
                } else {
                    format!(
                        "duplicate SKU `{sku}`: also at {}; the product is skipped until the SKU is unique",
                        others.join(", ")
                    )
                };
                self.problems.push(Problem {
                    origin: p.origin.clone(),
                    reason,
                });
            }
        }
        self.products = kept;
    }
}

/// A price as written by a person or an API: digits with an optional `.` and at most four
/// decimals, never negative. Returned with at least two decimals ("12" -> "12.00", "9.5" ->
/// "9.50"), so the same amount always compares equal.
pub fn normalize_price(text: &str) -> Result<String, String> {
    let t = text.trim();
    let bad = || format!("malformed price `{t}` (write it like 199 or 199.50)");
    if t.is_empty() {
        return Err("the price is empty".into());
    }
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, f),
        None => (t, ""),
    };
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 4
        || (t.contains('.') && frac.is_empty())
    {
        return Err(bad());
    }
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let mut frac = frac.trim_end_matches('0').to_string();
    while frac.len() < 2 {
        frac.push('0');
    }
    Ok(format!("{int}.{frac}"))
}

/// An image URL the shop can fetch: absolute http(s) with a host.
pub fn check_image_url(text: &str) -> Result<String, String> {
    let t = text.trim();
    let url = url::Url::parse(t).map_err(|e| format!("broken image URL `{t}`: {e}"))?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(format!(
            "broken image URL `{t}`: the shop can only fetch http(s) images"
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("broken image URL `{t}`: it has no host"));
    }
    Ok(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_are_normalised_or_refused() {
        assert_eq!(normalize_price("12").unwrap(), "12.00");
        assert_eq!(normalize_price(" 9.5 ").unwrap(), "9.50");
        assert_eq!(normalize_price("0199.500").unwrap(), "199.50");
        assert_eq!(normalize_price("0.125").unwrap(), "0.125");
        for bad in ["", "12,50", "-1", "1.", ".5", "abc", "1.23456", "1e3"] {
            assert!(normalize_price(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn image_urls() {
        assert!(check_image_url("https://cdn.example.com/a.jpg").is_ok());
        assert!(check_image_url("ftp://x/a.jpg").is_err());
        assert!(check_image_url("cdn.example.com/a.jpg").is_err());
        assert!(check_image_url("https:// bad").is_err());
    }

    fn product(origin: &str, skus: &[&str]) -> CatalogueProduct {
        CatalogueProduct {
            id: origin.into(),
            name: origin.into(),
            status: ProductStatus::Active,
            online: true,
            description: None,
            images: vec![],
            options: vec![],
            variants: skus
                .iter()
                .map(|s| CatalogueVariant {
                    id: None,
                    sku: s.to_string(),
                    barcode: None,
                    option_values: vec![],
                    prices: BTreeMap::new(),
                    inventory_tracked: true,
                    stock: BTreeMap::new(),
                })
                .collect(),
            updated_at: None,
            origin: origin.into(),
        }
    }

    #[test]
    fn duplicate_skus_take_out_every_product_that_has_them() {
        let mut c = Catalogue {
            products: vec![
                product("a:2", &["A", "B"]),
                product("a:4", &["C"]),
                product("a:5", &["B"]),
                product("a:6", &["D", "D"]),
            ],
            problems: vec![],
        };
        c.reject_duplicate_skus();
        let kept: Vec<&str> = c.products.iter().map(|p| p.origin.as_str()).collect();
        assert_eq!(kept, ["a:4"]);
        assert_eq!(c.problems.len(), 3);
        assert!(c.problems[0].reason.contains("also at a:5"));
        assert!(c.problems[2].reason.contains("two variants"));
    }
}
