//! The profile file: one TOML file, one `[profiles.NAME]` table per connection.
//!
//! Every key is documented in `profiles.example.toml` at the top of the repository. Unknown keys
//! are errors, so a typo never silently falls back to a default.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use crate::connectors::backoffice::{BackOfficeKind, BackOfficeSettings, TELLIX_BASE_URL};
pub use crate::connectors::hubspot::settings::HubSpotSettings;
pub use crate::connectors::huddle::settings::HuddleSettings;
pub use crate::connectors::shopify::settings::{
    normalize_shop_domain, ShopifySettings, SHOPIFY_API_VERSION,
};
pub use crate::connectors::shopware::settings::ShopwareSettings;
pub use crate::connectors::spotler::settings::SpotlerSettings;
use crate::error::CliError;
use crate::model::Stream;

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ProfileFile {
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Filled in from the table name.
    #[serde(skip)]
    pub name: String,
    pub source: SourceKind,
    pub target: TargetKind,
    /// Streams synced when `--streams` is not given.
    pub streams: Option<Vec<Stream>>,
    /// Directory of the state store.
    pub state_dir: Option<PathBuf>,
    pub shopify: Option<ShopifySettings>,
    pub hubspot: Option<HubSpotSettings>,
    pub huddle: Option<HuddleSettings>,
    pub backoffice: Option<BackOfficeSettings>,
    pub shopware: Option<ShopwareSettings>,
    pub spotler: Option<SpotlerSettings>,
    /// `source = "hostedshop"`: the shop's SOAP API.
    pub hostedshop: Option<crate::connectors::hostedshop::settings::HostedShopSettings>,
    /// `target = "heyloyalty"`: the account, the lists and the two-way rules.
    pub heyloyalty: Option<crate::connectors::heyloyalty::settings::HeyloyaltySettings>,
    /// Accept plain `http://` base URLs for hosts other than loopback addresses [default:
    /// false]: tokens (and the Huddle key, part of its URL) would then cross the network in
    /// clear.
    #[serde(default)]
    pub allow_insecure_http: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Shopify,
    /// A Shopware shop (`[profiles.NAME.shopware]`), for the Spotler Mail+ flow.
    Shopware,
    /// A HostedShop shop (Wannafind, SmartWeb, hosted DanDomain) through its SOAP API.
    Hostedshop,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetKind {
    Hubspot,
    Huddle,
    /// A POS back office (Tellix, or files): products go to the shop, stock and customers come
    /// back (`push-products`, `pull-customers`, `pull-stock`, `link-products`).
    Backoffice,
    /// Spotler Mail+: shop customers become contacts; permissions and bounces come back.
    Spotler,
    /// Heyloyalty lists: customers two-way with members (`source = "hostedshop"`).
    Heyloyalty,
}

impl TargetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Hubspot => "hubspot",
            TargetKind::Huddle => "huddle",
            TargetKind::Backoffice => "backoffice",
            TargetKind::Spotler => "spotler",
            TargetKind::Heyloyalty => "heyloyalty",
        }
    }
}

impl ProfileFile {
    /// The default place of the profile file: `$XDG_CONFIG_HOME/shopsync/profiles.toml` on Linux,
    /// the platform's config dir elsewhere.
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "shopsync")
            .map(|d| d.config_dir().join("profiles.toml"))
    }

    /// Reads the file at `path`, or at the default place.
    pub fn load(path: Option<&Path>) -> Result<(ProfileFile, PathBuf), CliError> {
        let path = match path {
            Some(p) => p.to_path_buf(),
            None => Self::default_path().ok_or_else(|| {
                CliError::config("cannot find the OS config directory for the profile file")
                    .hint("pass the file with --config PATH or SHOPSYNC_CONFIG")
            })?,
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(CliError::config(format!(
                    "the profile file {} does not exist",
                    path.display()
                ))
                .hint(
                    "copy profiles.example.toml from the shopsync repository there and edit it, \
                     or pass another file with --config PATH",
                ));
            }
            Err(e) => {
                return Err(CliError::config(format!(
                    "cannot read the profile file {}: {e}",
                    path.display()
                )))
            }
        };
        let file = Self::parse(&text).map_err(|e| {
            CliError::config(format!(
                "the profile file {} is not valid: {e}",
                path.display()
            ))
            .hint("every key is explained in profiles.example.toml")
        })?;
        Ok((file, path))
    }

    pub fn parse(text: &str) -> Result<ProfileFile, String> {
        let mut file: ProfileFile =
            toml::from_str(text).map_err(|e| e.to_string().trim_end().to_string())?;
        for (name, profile) in file.profiles.iter_mut() {
            profile.name = name.clone();
        }
        Ok(file)
    }

    /// The named profile, checked: every setting its flow needs is there and well-formed.
    pub fn profile(&self, name: &str, path: &Path) -> Result<Profile, CliError> {
        let Some(profile) = self.profiles.get(name) else {
            let known: Vec<&str> = self.profiles.keys().map(String::as_str).collect();
            let hint = if known.is_empty() {
                format!("{} has no profiles yet; add a [profiles.{name}] table (see profiles.example.toml)", path.display())
            } else {
                format!(
                    "the profiles in {} are: {}",
                    path.display(),
                    known.join(", ")
                )
            };
            return Err(CliError::config(format!("there is no profile named `{name}`")).hint(hint));
        };
        profile.validate(path)?;
        Ok(profile.clone())
    }
}

impl Profile {
    fn validate(&self, path: &Path) -> Result<(), CliError> {
        let here = format!("in [profiles.{}] of {}", self.name, path.display());
        match (self.source, self.target) {
            (SourceKind::Shopware, TargetKind::Spotler) => return self.validate_shopware(&here),
            (SourceKind::Shopware, other) => {
                return Err(CliError::config(format!(
                    "the profile `{}` reads from Shopware, which syncs to Spotler only, not to {}",
                    self.name,
                    other.as_str()
                ))
                .hint(format!("set `target = \"spotler\"` {here}")))
            }
            (SourceKind::Shopify, TargetKind::Spotler) => {
                return Err(CliError::config(format!(
                    "the profile `{}` sends to Spotler, which takes customers from Shopware only",
                    self.name
                ))
                .hint(format!(
                    "set `source = \"shopware\"` {here} with a [profiles.{}.shopware] table",
                    self.name
                )))
            }
            _ => {}
        }
        if self.source == SourceKind::Hostedshop || self.target == TargetKind::Heyloyalty {
            return self.validate_members(&here);
        }
        let shopify = self.shopify.as_ref().ok_or_else(|| {
            CliError::config(format!(
                "the profile `{}` reads from Shopify but has no [profiles.{}.shopify] table",
                self.name, self.name
            ))
            .hint(format!(
                "add it {here} with at least `shop = \"NAME.myshopify.com\"`"
            ))
        })?;
        normalize_shop_domain(&shopify.shop).map_err(|why| {
            CliError::config(format!("`shop = \"{}\"` {here} is not a Shopify shop domain: {why}", shopify.shop))
                .hint("use the shop's permanent domain, e.g. `shop = \"acme.myshopify.com\"` (Shopify admin > Settings > Domains)")
        })?;
        if let Some(url) = &shopify.base_url {
            check_base_url(url).map_err(|why| {
                CliError::config(format!(
                    "`base_url = \"{url}\"` {here} (shopify) is not a usable URL: {why}"
                ))
                .hint("write it as http(s)://HOST[:PORT], e.g. http://127.0.0.1:8080, or remove it")
            })?;
            self.check_cleartext(url, "shopify", &here)?;
        }
        if self.target == TargetKind::Huddle {
            let huddle = self.huddle.as_ref().ok_or_else(|| {
                CliError::config(format!(
                    "the profile `{}` sends to Huddle but has no [profiles.{}.huddle] table",
                    self.name, self.name
                ))
                .hint(format!(
                    "add it {here} with `domain = \"leden.example.nl\"`"
                ))
            })?;
            let d = huddle.domain.trim();
            if d.is_empty() || d.contains('/') || d.contains(char::is_whitespace) {
                return Err(CliError::config(format!(
                    "`domain = \"{}\"` {here} (huddle) is not a domain",
                    huddle.domain
                ))
                .hint("write the host name only, e.g. `domain = \"leden.example.nl\"`"));
            }
            if let Some(url) = &huddle.base_url {
                check_base_url(url).map_err(|why| {
                    CliError::config(format!(
                        "`base_url = \"{url}\"` {here} (huddle) is not a usable URL: {why}"
                    ))
                    .hint("write it as http(s)://HOST[:PORT], or remove it")
                })?;
                self.check_cleartext(url, "huddle", &here)?;
            }
        }
        if self.target == TargetKind::Backoffice {
            self.validate_backoffice(&here)?;
        }
        if let Some(url) = self.hubspot.as_ref().and_then(|h| h.base_url.as_ref()) {
            check_base_url(url).map_err(|why| {
                CliError::config(format!(
                    "`base_url = \"{url}\"` {here} (hubspot) is not a usable URL: {why}"
                ))
                .hint(
                    "write it as http(s)://HOST[:PORT], e.g. https://api.hubapi.com, or remove it",
                )
            })?;
            self.check_cleartext(url, "hubspot", &here)?;
        }
        Ok(())
    }

    fn validate_shopware(&self, here: &str) -> Result<(), CliError> {
        let sw = self.shopware.as_ref().ok_or_else(|| {
            CliError::config(format!(
                "the profile `{}` reads from Shopware but has no [profiles.{}.shopware] table",
                self.name, self.name
            ))
            .hint(format!(
                "add it {here} with `kind = \"5\"`, `base_url = \"https://shop.example\"` and `key = \"number\"`"
            ))
        })?;
        let six = match sw.kind.trim() {
            "5" => false,
            "6" => true,
            _ => {
                return Err(CliError::config(format!(
                    "`kind = \"{}\"` {here} (shopware) is not a Shopware version shopsync reads",
                    sw.kind
                ))
                .hint("use kind = \"5\" (the REST API with an API user and key) or kind = \"6\" (the Admin API with an integration's access key)"))
            }
        };
        // Shopware 5 keeps extra customer fields in attribute columns, Shopware 6 in custom fields.
        let extra = if six { "customFields." } else { "attribute." };
        let number = if six { "customerNumber" } else { "number" };
        check_base_url(&sw.base_url).map_err(|why| {
            CliError::config(format!(
                "`base_url = \"{}\"` {here} (shopware) is not a usable URL: {why}",
                sw.base_url
            ))
            .hint("write the shop's address, e.g. https://shop.example.nl (without /api)")
        })?;
        self.check_cleartext(&sw.base_url, "shopware", here)?;
        let key = sw.key.trim();
        let attribute = key.strip_prefix(extra).is_some_and(|c| {
            !c.is_empty() && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
        });
        if !(key == number || key == "id" || attribute) {
            return Err(CliError::config(format!(
                "`key = \"{}\"` {here} (shopware) cannot be a contact's external id",
                sw.key
            ))
            .hint(format!("use `{number}` (the customer number), `id`, or the {extra}NAME field that holds the relation number, e.g. `{extra}relationNumber`")));
        }
        for (name, value) in [
            ("permission_field", &sw.permission_field),
            ("bounce_field", &sw.bounce_field),
            ("parent_field", &sw.parent_field),
        ] {
            if let Some(v) = value {
                let ok = !v.contains('.') || v.strip_prefix(extra).is_some_and(|c| !c.is_empty());
                if !ok || v.trim().is_empty() {
                    return Err(CliError::config(format!(
                        "`{name} = \"{v}\"` {here} (shopware) cannot be written back"
                    ))
                    .hint(format!("name a customer field (e.g. `newsletter`) or an extra field (e.g. `{extra}spotlerBounce`)")));
                }
            }
        }
        if sw.sub_contacts && sw.parent_field.is_none() {
            return Err(CliError::config(format!(
                "`sub_contacts = true` {here} (shopware) needs `parent_field`, the field that tells a sub-contact from a main contact"
            ))
            .hint("add e.g. `parent_field = \"attribute.b2bParentNumber\"`, or remove sub_contacts"));
        }
        if let Some(url) = self.spotler.as_ref().and_then(|s| s.base_url.as_ref()) {
            check_base_url(url).map_err(|why| {
                CliError::config(format!(
                    "`base_url = \"{url}\"` {here} (spotler) is not a usable URL: {why}"
                ))
                .hint("write it as https://restapi.mailplus.nl/integrationservice-1.1.0, or remove it")
            })?;
            self.check_cleartext(url, "spotler", here)?;
        }
        Ok(())
    }

    /// The validated `[shopware]` table of a Shopware profile.
    pub fn shopware(&self) -> Option<&ShopwareSettings> {
        self.shopware.as_ref()
    }

    /// Base URL of the Spotler REST API, without a trailing slash.
    pub fn spotler_base_url(&self) -> String {
        self.spotler
            .as_ref()
            .and_then(|s| s.base_url.as_deref())
            .unwrap_or(crate::connectors::spotler::DEFAULT_BASE_URL)
            .trim_end_matches('/')
            .to_string()
    }

    /// `source = "hostedshop"`, `target = "heyloyalty"`: the shop's customers with a marketing
    /// list's members.
    fn validate_members(&self, here: &str) -> Result<(), CliError> {
        if self.source != SourceKind::Hostedshop || self.target != TargetKind::Heyloyalty {
            return Err(CliError::config(format!(
                "the profile `{}` pairs source = \"{}\" with target = \"{}\"; Heyloyalty syncs with a HostedShop shop only",
                self.name,
                if self.source == SourceKind::Hostedshop { "hostedshop" } else { "shopify" },
                self.target.as_str()
            ))
            .hint(format!("use source = \"hostedshop\" with target = \"heyloyalty\" {here}")));
        }
        let hl = self.heyloyalty.as_ref().ok_or_else(|| {
            CliError::config(format!(
                "the profile `{}` syncs with Heyloyalty but has no [profiles.{}.heyloyalty] table",
                self.name, self.name
            ))
            .hint(format!(
                "add it {here}, e.g. with `list_strategy = \"per_group\"` (see profiles.example.toml)"
            ))
        })?;
        if let Some((problem, fix)) = hl.problems().into_iter().next() {
            return Err(CliError::config(format!("{problem} {here} (heyloyalty)")).hint(fix));
        }
        let urls = [
            ("heyloyalty", hl.base_url.clone()),
            (
                "hostedshop",
                self.hostedshop.as_ref().and_then(|h| h.endpoint.clone()),
            ),
        ];
        for (table, url) in urls {
            if let Some(url) = url {
                check_base_url(&url).map_err(|why| {
                    CliError::config(format!(
                        "`{}` {here} ({table}) is not a usable URL: {why}",
                        if table == "hostedshop" {
                            "endpoint"
                        } else {
                            "base_url"
                        }
                    ))
                    .hint("write it as http(s)://HOST[:PORT]/PATH, or remove it")
                })?;
                self.check_cleartext(&url, table, here)?;
            }
        }
        Ok(())
    }

    fn validate_backoffice(&self, here: &str) -> Result<(), CliError> {
        let b = self.backoffice.as_ref().ok_or_else(|| {
            CliError::config(format!(
                "the profile `{}` syncs with a back office but has no [profiles.{}.backoffice] table",
                self.name, self.name
            ))
            .hint(format!(
                "add it {here} with `kind = \"tellix\"` or `kind = \"files\"` (see profiles.example.toml)"
            ))
        })?;
        if let Some(url) = &b.base_url {
            if b.kind != BackOfficeKind::Tellix {
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
            self.check_cleartext(url, "backoffice", here)?;
        }
        if b.kind == BackOfficeKind::Tellix {
            for (key, set) in [
                ("catalogue", b.catalogue.is_some()),
                ("customers_file", b.customers_file.is_some()),
                ("stock_file", b.stock_file.is_some()),
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
        for (warehouse, location) in &b.warehouses {
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

    /// Refuses a plain `http://` base URL to a host that is not a loopback address, unless the
    /// profile allows it: the credentials sent there would cross the network unencrypted.
    fn check_cleartext(&self, url: &str, table: &str, here: &str) -> Result<(), CliError> {
        if self.allow_insecure_http || !is_cleartext_off_host(url) {
            return Ok(());
        }
        Err(CliError::config(format!(
            "`base_url = \"{url}\"` {here} ({table}) is plain http:// to a host that is not \
             this machine: its credentials would be sent unencrypted"
        ))
        .hint(format!(
            "use https://; plain http:// is accepted only for loopback addresses (127.0.0.1, \
             ::1, localhost), or, on a network you trust, with `allow_insecure_http = true` in \
             [profiles.{}]",
            self.name
        )))
    }

    /// The base URLs this profile sends credentials to in clear over the network (plain
    /// `http://` to a host that is not a loopback address), as (table, URL): only possible with
    /// `allow_insecure_http = true`.
    pub fn cleartext_urls(&self) -> Vec<(&'static str, String)> {
        let urls = [
            (
                "shopify",
                self.shopify.as_ref().and_then(|s| s.base_url.clone()),
            ),
            (
                "hubspot",
                self.hubspot.as_ref().and_then(|h| h.base_url.clone()),
            ),
            (
                "huddle",
                self.huddle.as_ref().and_then(|h| h.base_url.clone()),
            ),
            (
                "backoffice",
                self.backoffice.as_ref().and_then(|b| b.base_url.clone()),
            ),
            (
                "shopware",
                self.shopware.as_ref().map(|s| s.base_url.clone()),
            ),
            (
                "spotler",
                self.spotler.as_ref().and_then(|s| s.base_url.clone()),
            ),
        ];
        urls.into_iter()
            .filter_map(|(table, url)| url.map(|u| (table, u)))
            .filter(|(_, url)| is_cleartext_off_host(url))
            .collect()
    }

    /// The validated `[backoffice]` table of a back-office profile.
    pub fn backoffice(&self) -> Option<&BackOfficeSettings> {
        self.backoffice.as_ref()
    }

    pub fn shopify(&self) -> &ShopifySettings {
        self.shopify
            .as_ref()
            .expect("validated profile has a shopify table")
    }

    /// `acme.myshopify.com`, from what the user wrote.
    pub fn shop_domain(&self) -> String {
        normalize_shop_domain(&self.shopify().shop).expect("validated profile")
    }

    /// Base URL of the Shopify Admin API, without a trailing slash.
    pub fn shopify_base_url(&self) -> String {
        match &self.shopify().base_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!("https://{}", self.shop_domain()),
        }
    }

    /// Base URL of the profile's Huddle, without a trailing slash (a validated Huddle profile).
    pub fn huddle_base_url(&self) -> Option<String> {
        let h = self.huddle.as_ref()?;
        Some(match &h.base_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!("https://{}", h.domain.trim()),
        })
    }

    pub fn hubspot_base_url(&self) -> String {
        self.hubspot
            .as_ref()
            .and_then(|h| h.base_url.as_deref())
            .unwrap_or("https://api.hubapi.com")
            .trim_end_matches('/')
            .to_string()
    }

    pub fn pipeline_label(&self) -> String {
        self.hubspot
            .as_ref()
            .and_then(|h| h.pipeline.clone())
            .unwrap_or_else(|| "Ecommerce".into())
    }

    pub fn bulk_threshold(&self) -> u64 {
        self.shopify().bulk_threshold.unwrap_or(2_000)
    }

    /// A threshold the profile sets is the rule; without one, reads whose pages would wait long
    /// for Shopify's cost bucket go by bulk export too.
    pub fn bulk_when_pages_are_slow(&self) -> bool {
        self.shopify().bulk_threshold.is_none()
    }
}

/// A plain `http://` URL whose host is not a loopback address (127.0.0.0/8, ::1, localhost).
fn is_cleartext_off_host(input: &str) -> bool {
    let Ok(url) = url::Url::parse(input) else {
        return false;
    };
    if url.scheme() != "http" {
        return false;
    }
    match url.host() {
        Some(url::Host::Ipv4(ip)) => !ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => !ip.is_loopback(),
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d != "localhost" && !d.ends_with(".localhost")
        }
        None => false,
    }
}

fn check_base_url(input: &str) -> Result<(), String> {
    let url = url::Url::parse(input).map_err(|e| e.to_string())?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(format!(
            "the scheme `{}` is not http or https",
            url.scheme()
        ));
    }
    if url.host().is_none() {
        return Err("it has no host".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shop_domains() {
        assert_eq!(normalize_shop_domain("acme").unwrap(), "acme.myshopify.com");
        assert_eq!(
            normalize_shop_domain("https://Acme-2.myshopify.com/").unwrap(),
            "acme-2.myshopify.com"
        );
        assert!(normalize_shop_domain("acme.com").is_err());
        assert!(normalize_shop_domain("-acme").is_err());
        assert!(normalize_shop_domain("ac me").is_err());
        assert!(normalize_shop_domain("").is_err());
    }

    #[test]
    fn unknown_keys_are_errors() {
        let err = ProfileFile::parse(
            "[profiles.a]\nsource = \"shopify\"\ntarget = \"hubspot\"\nshoppify = 1\n",
        )
        .unwrap_err();
        assert!(err.contains("shoppify"), "{err}");
    }

    #[test]
    fn the_example_file_is_valid() {
        let text = include_str!("../../profiles.example.toml");
        let file = ProfileFile::parse(text).unwrap();
        assert!(file.profiles.len() >= 2);
        for name in file.profiles.keys() {
            file.profile(name, Path::new("profiles.example.toml"))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    #[test]
    fn parses_a_backoffice_profile() {
        let file = ProfileFile::parse(
            r#"
[profiles.pos]
source = "shopify"
target = "backoffice"
[profiles.pos.shopify]
shop = "acme"
[profiles.pos.backoffice]
kind = "tellix"
price_department = "Oslo"
sync_description = true
[profiles.pos.backoffice.warehouses]
Oslo = "Main store"
"#,
        )
        .unwrap();
        let p = file.profile("pos", Path::new("x.toml")).unwrap();
        let b = p.backoffice().unwrap();
        assert_eq!(b.kind, BackOfficeKind::Tellix);
        assert!(b.price_only_when_changed && b.sync_stock && b.sync_products);
        assert!(b.sync_description && !b.overwrite_images);
        assert_eq!(b.warehouses["Oslo"], "Main store");
        assert_eq!(b.tellix_base_url(), TELLIX_BASE_URL);

        let bad = |extra: &str| {
            let text = format!(
                "[profiles.pos]\nsource = \"shopify\"\ntarget = \"backoffice\"\n[profiles.pos.shopify]\nshop = \"acme\"\n[profiles.pos.backoffice]\n{extra}\n"
            );
            match ProfileFile::parse(&text) {
                Err(e) => e,
                Ok(f) => f
                    .profile("pos", Path::new("x.toml"))
                    .unwrap_err()
                    .to_string(),
            }
        };
        assert!(bad("kind = \"tellix\"\nprice_dept = \"x\"").contains("price_dept"));
        assert!(bad("kind = \"ftp\"").contains("ftp"));
        assert!(
            bad("kind = \"tellix\"\ncatalogue = \"c.csv\"").contains("only for kind = \"files\"")
        );
        assert!(bad(
            "kind = \"files\"\n[profiles.pos.backoffice.warehouses]\nA = \"L\"\nB = \"L\""
        )
        .contains("both map"));
    }

    #[test]
    fn parses_a_full_profile() {
        let file = ProfileFile::parse(
            r#"
[profiles.acme]
source = "shopify"
target = "hubspot"
streams = ["customers", "orders"]
[profiles.acme.shopify]
shop = "acme.myshopify.com"
base_url = "http://127.0.0.1:9000/"
[profiles.acme.hubspot]
pipeline = "Webshop"
"#,
        )
        .unwrap();
        let p = file.profile("acme", Path::new("x.toml")).unwrap();
        assert_eq!(p.shopify_base_url(), "http://127.0.0.1:9000");
        assert_eq!(p.hubspot_base_url(), "https://api.hubapi.com");
        assert_eq!(p.pipeline_label(), "Webshop");
        assert_eq!(p.streams, Some(vec![Stream::Customers, Stream::Orders]));
    }
}
