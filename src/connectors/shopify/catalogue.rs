//! Reading the shop's catalogue for pairing with a back office by SKU: every product with its
//! options, variants (SKU, barcode, prices, inventory item) and images, plus the stock of every
//! inventory item at every location, and the shop's locations.
//!
//! Small shops are read by pages (each well under Shopify's 1,000-point single-query limit);
//! large ones by two bulk exports (products, then inventory levels), which are not paced by the
//! cost bucket.

use std::collections::HashMap;

use serde_json::{json, Value};
use tokio::sync::mpsc;

use super::bulk::{self, BulkItem};
use super::client::{ShopifyClient, ShopifyError};
use super::documents;

/// A location of the shop (a store, a warehouse).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopifyLocation {
    /// `gid://shopify/Location/...`
    pub id: String,
    pub name: String,
    pub is_active: bool,
}

/// One product option (`Size`, `Color`) with its values in Shopify's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopifyOption {
    pub id: String,
    pub name: String,
    pub position: i64,
    pub values: Vec<String>,
}

/// The stock of one inventory item at one location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopifyInventoryLevel {
    pub location_id: String,
    /// The `available` quantity (what can be sold).
    pub available: i64,
    /// The `on_hand` quantity (physically there, including committed and reserved units).
    pub on_hand: Option<i64>,
}

/// One variant of a catalogue product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopifyCatalogueVariant {
    /// `gid://shopify/ProductVariant/...`
    pub id: String,
    /// `None` when the variant has no SKU (empty in Shopify).
    pub sku: Option<String>,
    pub barcode: Option<String>,
    /// Decimal string in the shop's currency, as Shopify gives it (`"19.95"`).
    pub price: String,
    pub compare_at_price: Option<String>,
    pub position: i64,
    /// `(option name, value)` in option order, e.g. `[("Size", "M")]`; a product without
    /// options has `[("Title", "Default Title")]`.
    pub selected_options: Vec<(String, String)>,
    /// `gid://shopify/InventoryItem/...`
    pub inventory_item_id: String,
    /// Whether Shopify tracks stock for this variant.
    pub tracked: bool,
    /// Where the item is stocked, with its quantities. Empty when it is stocked nowhere.
    pub inventory_levels: Vec<ShopifyInventoryLevel>,
}

/// One image of a catalogue product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopifyImage {
    /// `gid://shopify/MediaImage/...`: pass it as `FileSetInput { id }` to keep the image in a
    /// `productSet` whose `files` list is given.
    pub id: String,
    /// The CDN URL Shopify serves (None while Shopify is still processing the image).
    pub url: Option<String>,
    /// The URL the image was created from, when Shopify knows it (the back office's URL for
    /// images shopsync created).
    pub original_url: Option<String>,
    pub alt: Option<String>,
}

/// A product of the shop, as read for pairing and pushing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopifyCatalogueProduct {
    /// `gid://shopify/Product/...`
    pub id: String,
    pub title: String,
    pub handle: String,
    /// `ACTIVE`, `DRAFT`, `ARCHIVED` or `UNLISTED`.
    pub status: String,
    pub description_html: String,
    pub vendor: Option<String>,
    pub product_type: Option<String>,
    pub tags: Vec<String>,
    /// RFC 3339.
    pub updated_at: String,
    pub options: Vec<ShopifyOption>,
    /// In Shopify's order (position).
    pub variants: Vec<ShopifyCatalogueVariant>,
    /// In Shopify's order; only images (videos and 3D models are left out).
    pub images: Vec<ShopifyImage>,
}

/// The whole catalogue.
#[derive(Debug, Clone, Default)]
pub struct ShopifyCatalogue {
    pub products: Vec<ShopifyCatalogueProduct>,
    /// Products (or bulk export lines) that could not be read: `(product id if known, reason)`.
    /// They are reported, never guessed at.
    pub malformed: Vec<(Option<String>, String)>,
    /// Whether the bulk export was used.
    pub used_bulk: bool,
}

/// Products per page, and the variants and images read with each: 9 × (1 + 25×3 + 10×2 + ...)
/// stays under Shopify's 1,000-point limit per query. Products with more are completed by
/// follow-up queries.
const PAGE_PRODUCTS: u64 = 8;
const PAGE_VARIANTS: u64 = 25;
const PAGE_MEDIA: u64 = 10;
/// Inventory levels per page: 2 + 250 × (1 + item 1 + quantities 1) = 752 points.
const PAGE_LEVELS: u64 = 250;

enum Bulked {
    Product(Box<Result<ShopifyCatalogueProduct, String>>, Option<String>),
    Level(Vec<(String, ShopifyInventoryLevel)>),
    Malformed(Option<String>, String),
}

impl BulkItem for Bulked {
    fn malformed(source_id: Option<String>, reason: String) -> Self {
        Bulked::Malformed(source_id, reason)
    }
}

fn text(v: &Value) -> Option<String> {
    v.as_str()
        .filter(|s| !s.trim().is_empty())
        .map(str::to_string)
}

fn next_page(connection: &Value) -> Option<String> {
    let info = &connection["pageInfo"];
    match (info["hasNextPage"].as_bool(), info["endCursor"].as_str()) {
        (Some(true), Some(cursor)) => Some(cursor.to_string()),
        _ => None,
    }
}

fn nodes(connection: &Value) -> &[Value] {
    connection["nodes"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn variant(node: &Value) -> Result<ShopifyCatalogueVariant, String> {
    let id = text(&node["id"]).ok_or("a variant has no id")?;
    let inventory_item_id = text(&node["inventoryItem"]["id"])
        .ok_or_else(|| format!("the variant {id} has no inventory item"))?;
    Ok(ShopifyCatalogueVariant {
        sku: text(&node["sku"]),
        barcode: text(&node["barcode"]),
        price: text(&node["price"]).ok_or_else(|| format!("the variant {id} has no price"))?,
        compare_at_price: text(&node["compareAtPrice"]),
        position: node["position"].as_i64().unwrap_or(0),
        selected_options: node["selectedOptions"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|o| Some((text(&o["name"])?, text(&o["value"])?)))
                    .collect()
            })
            .unwrap_or_default(),
        tracked: node["inventoryItem"]["tracked"].as_bool().unwrap_or(false),
        inventory_item_id,
        inventory_levels: Vec::new(),
        id,
    })
}

fn image(node: &Value) -> Option<ShopifyImage> {
    let id = text(&node["id"])?;
    // Media of other kinds (videos, 3D models) come as empty objects from `... on MediaImage`.
    if !id.contains("/MediaImage/") {
        return None;
    }
    Some(ShopifyImage {
        id,
        url: text(&node["image"]["url"]),
        original_url: text(&node["originalSource"]["url"]),
        alt: text(&node["alt"]),
    })
}

/// A product node (page or bulk line) without its variants and images.
fn product(node: &Value) -> Result<ShopifyCatalogueProduct, String> {
    let id = text(&node["id"]).ok_or("a product has no id")?;
    let required = |k: &str| text(&node[k]).ok_or_else(|| format!("the product {id} has no `{k}`"));
    Ok(ShopifyCatalogueProduct {
        title: node["title"].as_str().unwrap_or_default().to_string(),
        handle: required("handle")?,
        status: required("status")?,
        description_html: node["descriptionHtml"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        vendor: text(&node["vendor"]),
        product_type: text(&node["productType"]),
        tags: node["tags"]
            .as_array()
            .map(|a| a.iter().filter_map(text).collect())
            .unwrap_or_default(),
        updated_at: required("updatedAt")?,
        options: node["options"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|o| ShopifyOption {
                        id: o["id"].as_str().unwrap_or_default().to_string(),
                        name: o["name"].as_str().unwrap_or_default().to_string(),
                        position: o["position"].as_i64().unwrap_or(0),
                        values: o["values"]
                            .as_array()
                            .map(|v| v.iter().filter_map(text).collect())
                            .unwrap_or_default(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        variants: Vec::new(),
        images: Vec::new(),
        id,
    })
}

fn level(node: &Value, location_id: &str) -> Option<(String, ShopifyInventoryLevel)> {
    let item = text(&node["item"]["id"])?;
    let quantity = |name: &str| {
        node["quantities"].as_array().and_then(|a| {
            a.iter()
                .find(|q| q["name"].as_str() == Some(name))
                .and_then(|q| q["quantity"].as_i64())
        })
    };
    Some((
        item,
        ShopifyInventoryLevel {
            location_id: location_id.to_string(),
            available: quantity("available").unwrap_or(0),
            on_hand: quantity("on_hand"),
        },
    ))
}

impl ShopifyClient {
    /// The shop's locations, active and inactive, by name.
    pub async fn locations(&self) -> Result<Vec<ShopifyLocation>, ShopifyError> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let data = self
                .query(documents::LOCATIONS, json!({ "after": after }))
                .await?;
            let page = &data["locations"];
            for node in nodes(page) {
                if let (Some(id), Some(name)) = (text(&node["id"]), node["name"].as_str()) {
                    out.push(ShopifyLocation {
                        id,
                        name: name.to_string(),
                        is_active: node["isActive"].as_bool().unwrap_or(false),
                    });
                }
            }
            match next_page(page) {
                Some(c) => after = Some(c),
                None => return Ok(out),
            }
        }
    }

    /// Reads the whole catalogue: every product with its options, variants (with their stock
    /// per location) and images. With more than `bulk_threshold` products it uses bulk exports
    /// (not paced by the cost bucket), else pages. A product Shopify returns incomplete is in
    /// `malformed`, not in `products`. Errors only for what stops the whole read (auth,
    /// unreachable shop).
    pub async fn catalogue(&self, bulk_threshold: u64) -> Result<ShopifyCatalogue, ShopifyError> {
        let count = self.count(crate::model::Stream::Products, None).await?;
        let locations = self.locations().await?;
        let mut catalogue = if count > bulk_threshold {
            let mut c = self.catalogue_bulk().await?;
            c.used_bulk = true;
            c
        } else {
            self.catalogue_pages().await?
        };
        let levels = if count > bulk_threshold {
            self.levels_bulk(&mut catalogue.malformed).await?
        } else {
            let mut all: HashMap<String, Vec<ShopifyInventoryLevel>> = HashMap::new();
            for location in &locations {
                for (item, level) in self.levels_of(&location.id).await? {
                    all.entry(item).or_default().push(level);
                }
            }
            all
        };
        attach_levels(&mut catalogue.products, levels, &locations);
        Ok(catalogue)
    }

    async fn catalogue_pages(&self) -> Result<ShopifyCatalogue, ShopifyError> {
        let mut out = ShopifyCatalogue::default();
        let mut after: Option<String> = None;
        loop {
            let data = self
                .query(
                    documents::CATALOGUE_PAGE,
                    json!({ "first": PAGE_PRODUCTS, "after": after,
                            "variants": PAGE_VARIANTS, "media": PAGE_MEDIA }),
                )
                .await?;
            let page = &data["products"];
            for node in nodes(page) {
                match self.complete_product(node).await? {
                    Ok(p) => out.products.push(p),
                    Err(reason) => out.malformed.push((text(&node["id"]), reason)),
                }
            }
            match next_page(page) {
                Some(c) => after = Some(c),
                None => return Ok(out),
            }
        }
    }

    /// A product node of a page, with the variants and images beyond the first page read too.
    async fn complete_product(
        &self,
        node: &Value,
    ) -> Result<Result<ShopifyCatalogueProduct, String>, ShopifyError> {
        let mut p = match product(node) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        let mut variant_nodes: Vec<Value> = nodes(&node["variants"]).to_vec();
        let mut cursor = next_page(&node["variants"]);
        while let Some(after) = cursor {
            let data = self
                .query(
                    documents::CATALOGUE_PRODUCT_VARIANTS,
                    json!({ "id": p.id, "after": after }),
                )
                .await?;
            let page = &data["product"]["variants"];
            variant_nodes.extend(nodes(page).iter().cloned());
            cursor = next_page(page);
        }
        let mut media_nodes: Vec<Value> = nodes(&node["media"]).to_vec();
        let mut cursor = next_page(&node["media"]);
        while let Some(after) = cursor {
            let data = self
                .query(
                    documents::CATALOGUE_PRODUCT_MEDIA,
                    json!({ "id": p.id, "after": after }),
                )
                .await?;
            let page = &data["product"]["media"];
            media_nodes.extend(nodes(page).iter().cloned());
            cursor = next_page(page);
        }
        for v in &variant_nodes {
            match variant(v) {
                Ok(v) => p.variants.push(v),
                Err(e) => return Ok(Err(e)),
            }
        }
        p.variants.sort_by_key(|v| v.position);
        p.images = media_nodes.iter().filter_map(image).collect();
        Ok(Ok(p))
    }

    async fn catalogue_bulk(&self) -> Result<ShopifyCatalogue, ShopifyError> {
        let (tx, mut rx) = mpsc::channel::<Bulked>(256);
        let collect = async move {
            let mut out = ShopifyCatalogue::default();
            while let Some(item) = rx.recv().await {
                match item {
                    Bulked::Product(p, id) => match *p {
                        Ok(p) => out.products.push(p),
                        Err(reason) => out.malformed.push((id, reason)),
                    },
                    Bulked::Malformed(id, reason) => out.malformed.push((id, reason)),
                    Bulked::Level(_) => {}
                }
            }
            out
        };
        let run = async move {
            let name = documents::BULK_CATALOGUE.name;
            let r = match bulk::start(self, name, documents::BULK_CATALOGUE.text).await {
                Ok(id) => {
                    bulk::stream_result(
                        self,
                        name,
                        &id,
                        |root, children| {
                            let id = text(&root["id"]);
                            let built = product(&root).and_then(|mut p| {
                                for child in &children {
                                    let cid = child["id"].as_str().unwrap_or_default();
                                    if cid.contains("/ProductVariant/") {
                                        p.variants.push(variant(child)?);
                                    } else if let Some(img) = image(child) {
                                        p.images.push(img);
                                    }
                                }
                                p.variants.sort_by_key(|v| v.position);
                                Ok(p)
                            });
                            Bulked::Product(Box::new(built), id)
                        },
                        &tx,
                    )
                    .await
                }
                Err(e) => Err(e),
            };
            drop(tx);
            r
        };
        let (result, out) = tokio::join!(run, collect);
        result?;
        Ok(out)
    }

    /// Every inventory level at one location: (inventory item id, level).
    async fn levels_of(
        &self,
        location_id: &str,
    ) -> Result<Vec<(String, ShopifyInventoryLevel)>, ShopifyError> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let data = self
                .query(
                    documents::INVENTORY_LEVELS_PAGE,
                    json!({ "location": location_id, "first": PAGE_LEVELS, "after": after }),
                )
                .await?;
            let page = &data["location"]["inventoryLevels"];
            out.extend(nodes(page).iter().filter_map(|n| level(n, location_id)));
            match next_page(page) {
                Some(c) => after = Some(c),
                None => return Ok(out),
            }
        }
    }

    async fn levels_bulk(
        &self,
        malformed: &mut Vec<(Option<String>, String)>,
    ) -> Result<HashMap<String, Vec<ShopifyInventoryLevel>>, ShopifyError> {
        let (tx, mut rx) = mpsc::channel::<Bulked>(256);
        let collect = async move {
            let mut all: HashMap<String, Vec<ShopifyInventoryLevel>> = HashMap::new();
            let mut bad = Vec::new();
            while let Some(item) = rx.recv().await {
                match item {
                    Bulked::Level(levels) => {
                        for (item, level) in levels {
                            all.entry(item).or_default().push(level);
                        }
                    }
                    Bulked::Malformed(id, reason) => bad.push((id, reason)),
                    Bulked::Product(..) => {}
                }
            }
            (all, bad)
        };
        let run = async move {
            let name = documents::BULK_INVENTORY_LEVELS.name;
            let r = match bulk::start(self, name, documents::BULK_INVENTORY_LEVELS.text).await {
                Ok(id) => {
                    bulk::stream_result(
                        self,
                        name,
                        &id,
                        |root, children| {
                            let location = root["id"].as_str().unwrap_or_default().to_string();
                            Bulked::Level(
                                children
                                    .iter()
                                    .filter_map(|c| level(c, &location))
                                    .collect(),
                            )
                        },
                        &tx,
                    )
                    .await
                }
                Err(e) => Err(e),
            };
            drop(tx);
            r
        };
        let (result, (all, bad)) = tokio::join!(run, collect);
        result?;
        malformed.extend(bad);
        Ok(all)
    }
}

/// Puts each item's levels on its variant, in the order of the shop's locations.
fn attach_levels(
    products: &mut [ShopifyCatalogueProduct],
    mut levels: HashMap<String, Vec<ShopifyInventoryLevel>>,
    locations: &[ShopifyLocation],
) {
    let order: HashMap<&str, usize> = locations
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.as_str(), i))
        .collect();
    for p in products {
        for v in &mut p.variants {
            if let Some(mut l) = levels.remove(&v.inventory_item_id) {
                l.sort_by_key(|x| {
                    order
                        .get(x.location_id.as_str())
                        .copied()
                        .unwrap_or(usize::MAX)
                });
                v.inventory_levels = l;
            }
        }
    }
}

/// A product's status as Shopify spells it (`ACTIVE`, `DRAFT`, `ARCHIVED`) in the back
/// office's terms; anything else counts as a draft (not for sale).
pub fn product_status(value: &str) -> crate::catalogue::ProductStatus {
    use crate::catalogue::ProductStatus;
    match value {
        "ACTIVE" => ProductStatus::Active,
        "ARCHIVED" => ProductStatus::Archived,
        _ => ProductStatus::Draft,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_product_node_with_variants_and_images() {
        let node = json!({
            "id": "gid://shopify/Product/1", "title": "Tee", "handle": "tee", "status": "ACTIVE",
            "descriptionHtml": "<p>x</p>", "vendor": "Acme", "productType": "", "tags": ["a"],
            "updatedAt": "2026-10-01T00:00:00Z",
            "options": [{"id": "gid://shopify/ProductOption/1", "name": "Size", "position": 1, "values": ["S", "M"]}],
        });
        let p = product(&node).unwrap();
        assert_eq!(p.product_type, None);
        assert_eq!(p.options[0].values, vec!["S", "M"]);
        let v = variant(&json!({
            "id": "gid://shopify/ProductVariant/2", "sku": "", "barcode": null, "price": "10.00",
            "compareAtPrice": "12.00", "position": 1,
            "selectedOptions": [{"name": "Size", "value": "S"}],
            "inventoryItem": {"id": "gid://shopify/InventoryItem/3", "tracked": true},
        }))
        .unwrap();
        assert_eq!(v.sku, None, "an empty SKU is no SKU");
        assert_eq!(v.selected_options, vec![("Size".into(), "S".into())]);
        assert!(
            variant(&json!({"id": "gid://shopify/ProductVariant/2", "price": "1.00"})).is_err()
        );
        assert!(image(&json!({})).is_none(), "a video is not an image");
        assert!(product(&json!({"id": "gid://shopify/Product/1"})).is_err());
    }
}
