//! SKUs in the shop, for a Huddle profile's `map-sku check`: which variants carry each mapped
//! SKU, and which SKUs paid orders contain.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::json;

use super::client::{ShopifyClient, ShopifyError};
use super::documents;
use super::read::next_page;

/// A variant a SKU search found.
#[derive(Debug, Clone, Serialize)]
pub struct VariantHit {
    pub id: String,
    pub sku: String,
    pub title: String,
    pub product_id: String,
    pub product_status: String,
}

/// SKUs searched together in one query (Shopify's search takes `A OR B OR ...`).
const SKUS_PER_QUERY: usize = 10;
/// Variants per page: 2 + 100 x (variant + product) = 202 points, well under the 1,000 cap.
const VARIANTS_PER_PAGE: u64 = 100;
/// Orders per page with their first line items: 2 + 20 x (1 + 2 + 20) = 462 points.
const ORDERS_PER_PAGE: u64 = 20;
const LINE_ITEMS_PER_ORDER: u64 = 20;

/// A search value in double quotes, with `"` and `\` escaped.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// SKUs sold in paid orders, with how often and in which order first.
#[derive(Debug, Default, Clone)]
pub struct SoldSkus {
    /// SKU -> (orders containing it, the first such order's name).
    pub skus: BTreeMap<String, (u64, String)>,
    pub orders: u64,
    /// Line items without a SKU (custom items, tips, products without one).
    pub lines_without_sku: u64,
}

impl ShopifyClient {
    /// Every variant whose SKU equals one of `skus` ignoring case, by the SKU asked for (a
    /// case-only difference is for the caller to judge). SKUs nobody carries map to nothing.
    pub async fn variants_by_sku(
        &self,
        skus: &[String],
    ) -> Result<HashMap<String, Vec<VariantHit>>, ShopifyError> {
        let mut out: HashMap<String, Vec<VariantHit>> =
            skus.iter().map(|s| (s.clone(), Vec::new())).collect();
        let by_lower: HashMap<String, Vec<&String>> =
            skus.iter().fold(HashMap::new(), |mut m, s| {
                m.entry(s.to_lowercase()).or_default().push(s);
                m
            });
        for chunk in skus.chunks(SKUS_PER_QUERY) {
            let query = chunk
                .iter()
                .map(|s| format!("sku:{}", quote(s)))
                .collect::<Vec<_>>()
                .join(" OR ");
            let mut after: Option<String> = None;
            loop {
                let data = self
                    .query(
                        documents::SKU_CHECK_VARIANTS,
                        json!({"first": VARIANTS_PER_PAGE, "after": after, "query": query}),
                    )
                    .await?;
                let page = &data["productVariants"];
                for node in page["nodes"].as_array().into_iter().flatten() {
                    let sku = node["sku"].as_str().unwrap_or("").trim().to_string();
                    let Some(wanted) = by_lower.get(&sku.to_lowercase()) else {
                        continue;
                    };
                    let hit = VariantHit {
                        id: node["id"].as_str().unwrap_or("").into(),
                        sku: sku.clone(),
                        title: node["displayName"].as_str().unwrap_or("").into(),
                        product_id: node["product"]["id"].as_str().unwrap_or("").into(),
                        product_status: node["product"]["status"].as_str().unwrap_or("").into(),
                    };
                    for w in wanted {
                        let list = out.entry((*w).clone()).or_default();
                        if !list.iter().any(|h| h.id == hit.id) {
                            list.push(hit.clone());
                        }
                    }
                }
                match next_page(page) {
                    Some(c) => after = Some(c),
                    None => break,
                }
            }
        }
        Ok(out)
    }

    /// Variants a person looks for: those whose title or SKU matches `text` (Shopify's own
    /// search: words and prefixes), or every variant when `text` is empty; at most `limit`.
    pub async fn search_variants(
        &self,
        text: &str,
        limit: usize,
    ) -> Result<Vec<VariantHit>, ShopifyError> {
        let text = text.trim();
        let mut query = if text.is_empty() {
            String::new()
        } else {
            quote(text)
        };
        // A SKU prefix (`sku:HUD*`) cannot be quoted; only plain SKU characters take one.
        if !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            query.push_str(&format!(" OR sku:{text}*"));
        }
        let mut out: Vec<VariantHit> = Vec::new();
        let mut after: Option<String> = None;
        while out.len() < limit {
            let data = self
                .query(
                    documents::SKU_CHECK_VARIANTS,
                    json!({"first": VARIANTS_PER_PAGE, "after": after, "query": query}),
                )
                .await?;
            let page = &data["productVariants"];
            for node in page["nodes"].as_array().into_iter().flatten() {
                out.push(VariantHit {
                    id: node["id"].as_str().unwrap_or("").into(),
                    sku: node["sku"].as_str().unwrap_or("").trim().to_string(),
                    title: node["displayName"].as_str().unwrap_or("").into(),
                    product_id: node["product"]["id"].as_str().unwrap_or("").into(),
                    product_status: node["product"]["status"].as_str().unwrap_or("").into(),
                });
            }
            match next_page(page) {
                Some(c) => after = Some(c),
                None => break,
            }
        }
        out.truncate(limit);
        Ok(out)
    }

    /// The SKUs of every line of the orders that `query` finds (e.g. paid since a date).
    pub async fn sold_skus(&self, query: &str) -> Result<SoldSkus, ShopifyError> {
        let mut sold = SoldSkus::default();
        let mut first = ORDERS_PER_PAGE;
        let mut after: Option<String> = None;
        loop {
            let variables = json!({
                "first": first, "after": after, "query": query, "lineItems": LINE_ITEMS_PER_ORDER,
            });
            let data = match self.query(documents::SOLD_SKUS_PAGE, variables).await {
                Ok(d) => d,
                Err(ShopifyError::MaxCostExceeded { .. }) if first > 1 => {
                    first /= 2;
                    continue;
                }
                Err(e) => return Err(e),
            };
            let page = &data["orders"];
            for node in page["nodes"].as_array().into_iter().flatten() {
                let node = self.complete_line_items(node).await?;
                sold.orders += 1;
                let name = node["name"].as_str().unwrap_or("").to_string();
                let mut seen: Vec<String> = Vec::new();
                for line in node["lineItems"]["nodes"].as_array().into_iter().flatten() {
                    match line["sku"]
                        .as_str()
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                    {
                        None => sold.lines_without_sku += 1,
                        Some(sku) if !seen.iter().any(|s| s == sku) => {
                            seen.push(sku.to_string());
                            let e = sold
                                .skus
                                .entry(sku.to_string())
                                .or_insert_with(|| (0, name.clone()));
                            e.0 += 1;
                        }
                        Some(_) => {}
                    }
                }
            }
            match next_page(page) {
                Some(c) => after = Some(c),
                None => return Ok(sold),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn search_values_are_quoted() {
        assert_eq!(super::quote(r#"A"B\C"#), r#""A\"B\\C""#);
        assert_eq!(super::quote("HUD-YEAR"), "\"HUD-YEAR\"");
    }
}
