//! `[profiles.NAME.backoffice]`: the back office a profile syncs the shop with (Tellix through
//! its API, or files), and the integration's settings. The Tellix and files connectors read it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BackOfficeKind {
    /// Tellix Backoffice (Amendo) API v3.
    Tellix,
    /// Files: a catalogue export read, customer and stock files written (CSV or JSON Lines).
    Files,
}

/// `[profiles.NAME.backoffice]`: the back office and the seed's integration settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackOfficeSettings {
    pub kind: BackOfficeKind,
    /// Tellix: where the API v3 is reached [default: `https://api.tellix.no/web/v3`].
    pub base_url: Option<String>,
    /// Files: the catalogue export `push-products` reads (`.csv` or `.jsonl`).
    pub catalogue: Option<PathBuf>,
    /// Files: where `pull-customers` writes the customers (`.csv` or `.jsonl`).
    pub customers_file: Option<PathBuf>,
    /// Files: where `pull-stock` writes the stock levels (`.csv` or `.jsonl`).
    pub stock_file: Option<PathBuf>,
    /// The department (price list) whose price becomes the shop's price [default: the
    /// product's own price, `default`].
    pub price_department: Option<String>,
    /// Back-office warehouse (department) -> Shopify location (name or gid), for stock.
    #[serde(default)]
    pub warehouses: BTreeMap<String, String>,
    /// Replace the shop's images of a product with the back office's [default: false: images
    /// are added, none removed].
    #[serde(default)]
    pub overwrite_images: bool,
    /// Push a price only when it changed in the back office since the last push [default:
    /// true]; false pushes it on every run, overwriting prices edited in the shop.
    #[serde(default = "yes")]
    pub price_only_when_changed: bool,
    /// Create and update products in the shop [default: true].
    #[serde(default = "yes")]
    pub sync_products: bool,
    /// Push stock levels (and pull them back) through `warehouses` [default: true].
    #[serde(default = "yes")]
    pub sync_stock: bool,
    /// Push the product description too [default: false].
    #[serde(default)]
    pub sync_description: bool,
    /// The sales channels (Shopify publications, by name) a product pushed with `online` is
    /// published to, and taken off when `online` turns off [default: `["Online Store"]`].
    #[serde(default = "online_store")]
    pub sales_channels: Vec<String>,
}

fn yes() -> bool {
    true
}

fn online_store() -> Vec<String> {
    vec!["Online Store".into()]
}

/// Tellix API v3 base URL when the profile names none.
pub const TELLIX_BASE_URL: &str = "https://api.tellix.no/web/v3";

impl BackOfficeSettings {
    /// Base URL of the Tellix API, without a trailing slash.
    pub fn tellix_base_url(&self) -> String {
        self.base_url
            .as_deref()
            .unwrap_or(TELLIX_BASE_URL)
            .trim_end_matches('/')
            .to_string()
    }
}
