//! `[profiles.NAME.backoffice]`: the back office a profile syncs the shop with (Tellix through
//! its API, or files), and the integration's settings. The Tellix and files connectors read it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

use crate::connectors::settings::{check_base_url, Context, Settings};
use crate::error::CliError;

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

impl Settings for BackOfficeSettings {
    const TABLE: &'static str = "backoffice";

    fn absent(ctx: &Context) -> Result<Self, CliError> {
        Err(CliError::config(format!(
            "the profile `{}` syncs with a back office but has no [profiles.{}.backoffice] table",
            ctx.profile, ctx.profile
        ))
        .hint(format!(
            "add it {} with `kind = \"tellix\"` or `kind = \"files\"` (see profiles.example.toml)",
            ctx.here
        )))
    }

    fn validate(&self, ctx: &Context) -> Result<(), CliError> {
        let here = ctx.here;
        if let Some(url) = &self.base_url {
            if self.kind != BackOfficeKind::Tellix {
                return Err(CliError::config(format!(
                    "`base_url` {here} (backoffice) is only for kind = \"tellix\""
                ))
                .hint("remove it, or set kind = \"tellix\""));
            }
            check_base_url(url).map_err(|why| {
                CliError::config(format!(
                    "`base_url = \"{url}\"` {here} (backoffice) is not a usable URL: {why}"
                ))
                .hint("write it as http(s)://HOST[:PORT]/PATH, e.g. https://api.tellix.no/web/v3, or remove it")
            })?;
            ctx.check_cleartext(url, "backoffice")?;
        }
        if self.kind == BackOfficeKind::Tellix {
            for (key, set) in [
                ("catalogue", self.catalogue.is_some()),
                ("customers_file", self.customers_file.is_some()),
                ("stock_file", self.stock_file.is_some()),
            ] {
                if set {
                    return Err(CliError::config(format!(
                        "`{key}` {here} (backoffice) is only for kind = \"files\""
                    ))
                    .hint("remove it: a Tellix back office is read and written through its API"));
                }
            }
        }
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for (warehouse, location) in &self.warehouses {
            if location.trim().is_empty() {
                return Err(CliError::config(format!(
                    "warehouse `{warehouse}` {here} (backoffice.warehouses) maps to an empty location"
                ))
                .hint("write the Shopify location's name, e.g. \"Oslo\" = \"Main store\""));
            }
            if let Some(other) = seen.insert(location.trim(), warehouse) {
                return Err(CliError::config(format!(
                    "warehouses `{other}` and `{warehouse}` {here} both map to the Shopify location `{location}`"
                ))
                .hint("map each Shopify location from one warehouse, so stock read back from it has one place to go"));
            }
        }
        Ok(())
    }

    fn urls(&self) -> Vec<String> {
        self.base_url.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<BackOfficeSettings, String> {
        let ctx = Context {
            profile: "pos",
            here: "in [profiles.pos] of x.toml",
            allow_insecure_http: false,
        };
        let b: BackOfficeSettings = toml::from_str(text).map_err(|e| e.to_string())?;
        b.validate(&ctx).map_err(|e| e.to_string())?;
        Ok(b)
    }

    #[test]
    fn reads_and_checks_a_back_office_table() {
        let b = read(
            "kind = \"tellix\"\nprice_department = \"Oslo\"\nsync_description = true\n\
             [warehouses]\nOslo = \"Main store\"\n",
        )
        .unwrap();
        assert_eq!(b.kind, BackOfficeKind::Tellix);
        assert!(b.price_only_when_changed && b.sync_stock && b.sync_products);
        assert!(b.sync_description && !b.overwrite_images);
        assert_eq!(b.warehouses["Oslo"], "Main store");
        assert_eq!(b.tellix_base_url(), TELLIX_BASE_URL);

        let bad = |text: &str| read(text).unwrap_err();
        assert!(bad("kind = \"tellix\"\nprice_dept = \"x\"").contains("price_dept"));
        assert!(bad("kind = \"ftp\"").contains("ftp"));
        assert!(
            bad("kind = \"tellix\"\ncatalogue = \"c.csv\"").contains("only for kind = \"files\"")
        );
        assert!(bad("kind = \"files\"\n[warehouses]\nA = \"L\"\nB = \"L\"").contains("both map"));
        assert!(
            bad("kind = \"tellix\"\nbase_url = \"http://tellix.example\"").contains("unencrypted")
        );
    }
}
