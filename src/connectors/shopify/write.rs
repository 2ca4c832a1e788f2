//! Writing the catalogue to Shopify: `productSet` (create or update one product with its
//! options, variants and images) and `inventorySetQuantities` (stock per location, guarded by
//! compare-and-swap), plus `inventoryActivate` for an item not stocked at a location yet.
//!
//! Shopify's `userErrors` are data here, per product or per stock item: a rejected product is
//! reported and the run goes on. Only what stops every request (auth, an unreachable shop) is
//! an `Err`.

use serde::Serialize;
use serde_json::{json, Value};

use super::client::{ShopifyClient, ShopifyError};
use super::documents;

/// `ProductStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ProductStatus {
    Active,
    Draft,
    Archived,
    Unlisted,
}

/// The fields of Shopify's `ProductSetInput` that shopsync writes. `None` leaves a field as it
/// is in Shopify. A list that is `Some` REPLACES the product's list: variants not in
/// `variants` are deleted, images not in `files` are removed, options not in
/// `product_options` are deleted. To keep an existing image, list it by id
/// ([`FileSetInput::existing`]); to keep a variant, list it (with its `id`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductSetInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handle: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ProductStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description_html: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_type: Option<String>,
    /// Replaces every tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Required by Shopify whenever `variants` is given (at most 3 options). A product without
    /// options has the option `Title` with the value `Default Title`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_options: Option<Vec<OptionSetInput>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variants: Option<Vec<ProductVariantSetInput>>,
    /// The product's images, in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<FileSetInput>>,
}

/// `OptionSetInput`: an option by name with its values.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OptionSetInput {
    /// An existing option's id (to rename it); `None` matches or creates by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<i64>,
    pub values: Vec<OptionValueSetInput>,
}

/// `OptionValueSetInput`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OptionValueSetInput {
    pub name: String,
}

/// `VariantOptionValueInput`: which value of which option a variant has.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VariantOptionValueInput {
    pub option_name: String,
    pub name: String,
}

/// `ProductVariantSetInput`. A variant with `id` updates that variant; without, Shopify matches
/// an existing variant by its option values or creates one.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductVariantSetInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub option_values: Vec<VariantOptionValueInput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    /// `Some(None)` clears the barcode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub barcode: Option<Option<String>>,
    /// Decimal string (`"19.95"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<String>,
    /// `Some(None)` clears the compare-at price.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compare_at_price: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inventory_item: Option<InventoryItemInput>,
    /// Initial stock per location. Shopify only accepts it for new variants, or for locations
    /// where an existing variant is already stocked; prefer
    /// [`ShopifyClient::inventory_set_quantities`] for existing variants.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inventory_quantities: Option<Vec<ProductSetInventoryInput>>,
}

/// `InventoryItemInput` (the fields shopsync writes).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InventoryItemInput {
    /// Whether Shopify tracks stock for the variant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracked: Option<bool>,
}

/// `ProductSetInventoryInput`: a quantity at a location.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductSetInventoryInput {
    pub location_id: String,
    /// `available` or `on_hand`.
    pub name: String,
    pub quantity: i64,
}

/// `FileSetInput`: an image to keep (by id) or to add (from a URL).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileSetInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<&'static str>,
}

impl FileSetInput {
    /// An image the product already has (`gid://shopify/MediaImage/...`), kept as it is.
    pub fn existing(id: impl Into<String>) -> FileSetInput {
        FileSetInput {
            id: Some(id.into()),
            ..FileSetInput::default()
        }
    }
    /// A new image Shopify downloads from `url`.
    pub fn image_url(url: impl Into<String>, alt: Option<String>) -> FileSetInput {
        FileSetInput {
            original_source: Some(url.into()),
            alt,
            content_type: Some("IMAGE"),
            ..FileSetInput::default()
        }
    }
}

/// A `userErrors` entry: what Shopify refused, where in the input, and its code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShopifyUserError {
    /// Path into the mutation's arguments, e.g. `["input", "variants", "0", "price"]`.
    pub field: Vec<String>,
    pub message: String,
    /// e.g. `DUPLICATED_OPTION_VALUE`, `CHANGE_FROM_QUANTITY_STALE`; None when Shopify gave none.
    pub code: Option<String>,
}

impl std::fmt::Display for ShopifyUserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.message)?;
        } else {
            write!(f, "{}: {}", self.field.join("."), self.message)?;
        }
        if let Some(code) = &self.code {
            write!(f, " ({code})")?;
        }
        Ok(())
    }
}

fn user_errors(list: &Value) -> Vec<ShopifyUserError> {
    list.as_array()
        .map(|a| {
            a.iter()
                .map(|e| ShopifyUserError {
                    field: e["field"]
                        .as_array()
                        .map(|f| {
                            f.iter()
                                .map(|x| match x {
                                    Value::String(s) => s.clone(),
                                    other => other.to_string(),
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                    message: e["message"].as_str().unwrap_or_default().to_string(),
                    code: e["code"].as_str().map(str::to_string),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A variant of the product as `productSet` left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductSetVariant {
    pub id: String,
    pub sku: Option<String>,
    pub inventory_item_id: String,
}

/// An image of the product as `productSet` left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductSetImage {
    pub id: String,
    /// The URL it was created from (what shopsync sent as `originalSource`).
    pub original_url: Option<String>,
}

/// The product as `productSet` left it (the first 250 variants and 50 images).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductSetProduct {
    pub id: String,
    pub handle: String,
    pub updated_at: String,
    pub variants: Vec<ProductSetVariant>,
    pub images: Vec<ProductSetImage>,
}

/// The outcome of one `productSet`: the product, or what Shopify refused (then nothing of the
/// input was applied).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductSetResult {
    pub product: Option<ProductSetProduct>,
    pub user_errors: Vec<ShopifyUserError>,
    /// True when the create's answer was lost and the product was found again by SKU (the
    /// input was then sent again as an update of that product).
    pub recovered: bool,
}

fn set_product(node: &Value) -> Option<ProductSetProduct> {
    let id = node["id"].as_str()?.to_string();
    let list = |conn: &str| node[conn]["nodes"].as_array().cloned().unwrap_or_default();
    Some(ProductSetProduct {
        handle: node["handle"].as_str().unwrap_or_default().to_string(),
        updated_at: node["updatedAt"].as_str().unwrap_or_default().to_string(),
        variants: list("variants")
            .iter()
            .filter_map(|v| {
                Some(ProductSetVariant {
                    id: v["id"].as_str()?.to_string(),
                    sku: v["sku"]
                        .as_str()
                        .filter(|s| !s.is_empty())
                        .map(str::to_string),
                    inventory_item_id: v["inventoryItem"]["id"].as_str()?.to_string(),
                })
            })
            .collect(),
        images: list("media")
            .iter()
            .filter_map(|m| {
                Some(ProductSetImage {
                    id: m["id"].as_str()?.to_string(),
                    original_url: m["originalSource"]["url"].as_str().map(str::to_string),
                })
            })
            .collect(),
        id,
    })
}

/// `available` or `on_hand`: which quantity `inventorySetQuantities` sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuantityName {
    Available,
    OnHand,
}

impl QuantityName {
    pub fn as_str(self) -> &'static str {
        match self {
            QuantityName::Available => "available",
            QuantityName::OnHand => "on_hand",
        }
    }
}

/// One quantity to set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventorySet {
    pub inventory_item_id: String,
    pub location_id: String,
    /// The new absolute quantity.
    pub quantity: i64,
    /// The quantity shopsync last saw in Shopify (compare-and-swap: Shopify refuses the change
    /// when its quantity is different now, i.e. someone sold or counted since). `None` sets
    /// the quantity whatever it is now.
    pub change_from: Option<i64>,
}

/// What happened to one [`InventorySet`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InventorySetOutcome {
    /// Set; `delta` is the change Shopify recorded (0 when it already had that quantity).
    Set { delta: i64 },
    /// Not set: Shopify's quantity is no longer `change_from` (it changed since it was read).
    /// Read the level again and decide.
    Stale(ShopifyUserError),
    /// Not set: Shopify refused it for another reason (unknown item or location, negative...).
    Rejected(ShopifyUserError),
}

/// Why quantities are set, as Shopify lists the reasons.
pub const REASON_CORRECTION: &str = "correction";

/// Quantities per `inventorySetQuantities` call (Shopify's input lists take at most 250).
const INVENTORY_BATCH: usize = 250;

fn idempotency_key() -> String {
    use rand::Rng;
    let mut r = rand::thread_rng();
    format!("shopsync-{:016x}{:016x}", r.gen::<u64>(), r.gen::<u64>())
}

impl ShopifyClient {
    /// Creates (`product_id` None) or updates (`product_id` = `gid://shopify/Product/...`) one
    /// product with `productSet` (synchronous). Lists given in `input` replace the product's
    /// (see [`ProductSetInput`]).
    ///
    /// Shopify's refusals come back as `user_errors` (with field paths and codes), never as an
    /// `Err`; nothing of a refused input is applied. A create whose answer is lost (timeout,
    /// dropped connection) is not blindly sent again: the product is looked up by the input's
    /// SKUs first, and if the create did land, the input is sent again as an update of it
    /// (`recovered`). `Err` is for what stops the run (auth, unreachable shop).
    pub async fn product_set(
        &self,
        product_id: Option<&str>,
        input: &ProductSetInput,
    ) -> Result<ProductSetResult, ShopifyError> {
        let input_json = serde_json::to_value(input).expect("the input serializes");
        let mut target = product_id.map(str::to_string);
        let mut recovered = false;
        for _ in 0..crate::http::MAX_ATTEMPTS {
            let data = match &target {
                Some(id) => {
                    self.query(
                        documents::PRODUCT_SET,
                        json!({ "identifier": { "id": id }, "input": input_json }),
                    )
                    .await
                }
                None => {
                    self.mutate_once(documents::PRODUCT_SET, json!({ "input": input_json }))
                        .await
                }
            };
            let data = match data {
                Ok(d) => d,
                Err(ShopifyError::Ambiguous { detail, .. }) => {
                    tracing::debug!(
                        "a productSet create's answer was lost ({detail}); looking it up by SKU"
                    );
                    match self.product_with_skus(input).await? {
                        Some(found) => {
                            target = Some(found);
                            recovered = true;
                        }
                        None if input_skus(input).is_empty() => {
                            return Err(ShopifyError::Ambiguous {
                                document: documents::PRODUCT_SET.name,
                                detail: format!(
                                    "{detail}; the product has no SKU to look it up by"
                                ),
                            })
                        }
                        None => {}
                    }
                    continue;
                }
                Err(e) => return Err(e),
            };
            let payload = &data["productSet"];
            return Ok(ProductSetResult {
                product: set_product(&payload["product"]),
                user_errors: user_errors(&payload["userErrors"]),
                recovered,
            });
        }
        Err(ShopifyError::Ambiguous {
            document: documents::PRODUCT_SET.name,
            detail: "the answers kept being lost".into(),
        })
    }

    /// The product that has a variant with one of the input's SKUs, if any.
    async fn product_with_skus(
        &self,
        input: &ProductSetInput,
    ) -> Result<Option<String>, ShopifyError> {
        let skus = input_skus(input);
        for chunk in skus.chunks(25) {
            let query = chunk
                .iter()
                .map(|s| format!("sku:{}", search_quote(s)))
                .collect::<Vec<_>>()
                .join(" OR ");
            let data = self
                .query(documents::VARIANTS_BY_SKU, json!({ "query": query }))
                .await?;
            let found = data["productVariants"]["nodes"]
                .as_array()
                .and_then(|a| {
                    a.iter().find(|v| {
                        v["sku"]
                            .as_str()
                            .is_some_and(|s| chunk.iter().any(|c| c == s))
                    })
                })
                .and_then(|v| v["product"]["id"].as_str())
                .map(str::to_string);
            if found.is_some() {
                return Ok(found);
            }
        }
        Ok(None)
    }

    /// Sets stock with `inventorySetQuantities`, each quantity guarded by its `change_from`
    /// (Shopify 2026-10's `changeFromQuantity`). Returns one outcome per item, in order.
    ///
    /// Shopify applies a call all or nothing; when some items are refused, the others are sent
    /// again without them, so one stale or bad item never blocks the rest. Calls carry an
    /// idempotency key (required since 2026-04), so a retried call is never applied twice.
    /// `reason` is one of Shopify's reasons ([`REASON_CORRECTION`]); `reference_document_uri`
    /// names the cause (e.g. `gid://shopsync/PushRun/42`). An item not stocked at the location
    /// yet can be activated first with [`ShopifyClient::inventory_activate`].
    pub async fn inventory_set_quantities(
        &self,
        name: QuantityName,
        reason: &str,
        reference_document_uri: Option<&str>,
        items: &[InventorySet],
    ) -> Result<Vec<InventorySetOutcome>, ShopifyError> {
        let mut outcomes: Vec<Option<InventorySetOutcome>> = vec![None; items.len()];
        for start in (0..items.len()).step_by(INVENTORY_BATCH) {
            let end = (start + INVENTORY_BATCH).min(items.len());
            let mut pending: Vec<usize> = (start..end).collect();
            while !pending.is_empty() {
                let quantities: Vec<Value> = pending
                    .iter()
                    .map(|&i| {
                        let it = &items[i];
                        json!({
                            "inventoryItemId": it.inventory_item_id,
                            "locationId": it.location_id,
                            "quantity": it.quantity,
                            "changeFromQuantity": it.change_from,
                        })
                    })
                    .collect();
                let data = self
                    .query(
                        documents::INVENTORY_SET_QUANTITIES,
                        json!({
                            "key": idempotency_key(),
                            "input": {
                                "name": name.as_str(),
                                "reason": reason,
                                "referenceDocumentUri": reference_document_uri,
                                "quantities": quantities,
                            },
                        }),
                    )
                    .await?;
                let payload = &data["inventorySetQuantities"];
                let errors = user_errors(&payload["userErrors"]);
                if errors.is_empty() {
                    let changes = payload["inventoryAdjustmentGroup"]["changes"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default();
                    for &i in &pending {
                        let it = &items[i];
                        let delta = changes
                            .iter()
                            .find(|c| {
                                c["name"].as_str() == Some(name.as_str())
                                    && c["item"]["id"].as_str() == Some(&it.inventory_item_id)
                                    && c["location"]["id"].as_str() == Some(&it.location_id)
                            })
                            .and_then(|c| c["delta"].as_i64())
                            .unwrap_or(0);
                        outcomes[i] = Some(InventorySetOutcome::Set { delta });
                    }
                    break;
                }
                // Errors name the refused quantity by its index in this call's list.
                let mut refused = Vec::new();
                let mut unplaced = Vec::new();
                for e in errors {
                    let index = e
                        .field
                        .iter()
                        .position(|f| f == "quantities")
                        .and_then(|p| e.field.get(p + 1))
                        .and_then(|i| i.parse::<usize>().ok())
                        .filter(|i| *i < pending.len());
                    match index {
                        Some(i) => {
                            let stale = matches!(
                                e.code.as_deref(),
                                Some("CHANGE_FROM_QUANTITY_STALE" | "COMPARE_QUANTITY_STALE")
                            );
                            outcomes[pending[i]] = Some(if stale {
                                InventorySetOutcome::Stale(e)
                            } else {
                                InventorySetOutcome::Rejected(e)
                            });
                            refused.push(pending[i]);
                        }
                        None => unplaced.push(e),
                    }
                }
                if refused.is_empty() {
                    // An error about the whole call (reason, name, reference): every item fails.
                    let e = unplaced.into_iter().next().expect("errors is not empty");
                    for &i in &pending {
                        outcomes[i] = Some(InventorySetOutcome::Rejected(e.clone()));
                    }
                    break;
                }
                pending.retain(|i| !refused.contains(i));
            }
        }
        Ok(outcomes
            .into_iter()
            .map(|o| o.expect("every item has an outcome"))
            .collect())
    }

    /// Starts stocking an inventory item at a location (`inventoryActivate`), with an initial
    /// available quantity. `Ok(Err(..))` carries Shopify's refusals.
    pub async fn inventory_activate(
        &self,
        inventory_item_id: &str,
        location_id: &str,
        available: Option<i64>,
    ) -> Result<Result<(), Vec<ShopifyUserError>>, ShopifyError> {
        let data = self
            .query(
                documents::INVENTORY_ACTIVATE,
                json!({ "item": inventory_item_id, "location": location_id,
                        "available": available, "key": idempotency_key() }),
            )
            .await?;
        let errors = user_errors(&data["inventoryActivate"]["userErrors"]);
        Ok(if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        })
    }

    /// The shop's sales channels: (publication id, name).
    pub async fn publications(&self) -> Result<Vec<(String, String)>, ShopifyError> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let data = self
                .query(documents::PUBLICATIONS, json!({ "after": after }))
                .await?;
            let page = &data["publications"];
            for node in page["nodes"].as_array().into_iter().flatten() {
                let name = node["catalog"]["title"]
                    .as_str()
                    .or_else(|| node["name"].as_str());
                if let (Some(id), Some(name)) = (node["id"].as_str(), name) {
                    out.push((id.to_string(), name.to_string()));
                }
            }
            match super::read::next_page(page) {
                Some(c) => after = Some(c),
                None => return Ok(out),
            }
        }
    }

    /// Puts `product` on these publications (`publish`) or takes it off them. Doing either
    /// twice changes nothing, so it is safe to repeat. `Ok(Err(..))` carries Shopify's refusals.
    pub async fn set_published(
        &self,
        product: &str,
        publications: &[String],
        publish: bool,
    ) -> Result<Result<(), Vec<ShopifyUserError>>, ShopifyError> {
        let (document, field) = if publish {
            (documents::PUBLISHABLE_PUBLISH, "publishablePublish")
        } else {
            (documents::PUBLISHABLE_UNPUBLISH, "publishableUnpublish")
        };
        let input: Vec<Value> = publications
            .iter()
            .map(|id| json!({ "publicationId": id }))
            .collect();
        let data = self
            .query(document, json!({ "id": product, "input": input }))
            .await?;
        let errors = user_errors(&data[field]["userErrors"]);
        Ok(if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        })
    }
}

fn input_skus(input: &ProductSetInput) -> Vec<String> {
    input
        .variants
        .iter()
        .flatten()
        .filter_map(|v| v.sku.clone())
        .filter(|s| !s.is_empty())
        .collect()
}

/// A value for Shopify's search syntax, quoted when it has characters the syntax treats
/// specially.
fn search_quote(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
    {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_serializes_as_shopify_expects() {
        let input = ProductSetInput {
            title: Some("Tee".into()),
            status: Some(ProductStatus::Active),
            product_options: Some(vec![OptionSetInput {
                name: "Size".into(),
                values: vec![OptionValueSetInput { name: "S".into() }],
                ..Default::default()
            }]),
            variants: Some(vec![ProductVariantSetInput {
                option_values: vec![VariantOptionValueInput {
                    option_name: "Size".into(),
                    name: "S".into(),
                }],
                sku: Some("TEE-S".into()),
                price: Some("19.95".into()),
                compare_at_price: Some(None),
                inventory_item: Some(InventoryItemInput {
                    tracked: Some(true),
                }),
                ..Default::default()
            }]),
            files: Some(vec![
                FileSetInput::existing("gid://shopify/MediaImage/1"),
                FileSetInput::image_url("https://example.com/a.jpg", None),
            ]),
            ..Default::default()
        };
        let v = serde_json::to_value(&input).unwrap();
        assert_eq!(
            v,
            json!({
                "title": "Tee", "status": "ACTIVE",
                "productOptions": [{"name": "Size", "values": [{"name": "S"}]}],
                "variants": [{
                    "optionValues": [{"optionName": "Size", "name": "S"}],
                    "sku": "TEE-S", "price": "19.95", "compareAtPrice": null,
                    "inventoryItem": {"tracked": true},
                }],
                "files": [
                    {"id": "gid://shopify/MediaImage/1"},
                    {"originalSource": "https://example.com/a.jpg", "contentType": "IMAGE"},
                ],
            })
        );
    }

    #[test]
    fn user_errors_keep_path_and_code() {
        let e = user_errors(
            &json!([{"field": ["input", "variants", "0", "price"], "message": "bad", "code": "INVALID_VARIANT"}]),
        );
        assert_eq!(e[0].field, vec!["input", "variants", "0", "price"]);
        assert_eq!(
            e[0].to_string(),
            "input.variants.0.price: bad (INVALID_VARIANT)"
        );
    }

    #[test]
    fn search_values_are_quoted_when_needed() {
        assert_eq!(search_quote("AB-1"), "AB-1");
        assert_eq!(search_quote("A B:\"x\""), "\"A B:\\\"x\\\"\"");
    }
}
