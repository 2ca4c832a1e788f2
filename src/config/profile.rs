//! The profile file: one TOML file, one `[profiles.NAME]` table per connection.
//!
//! Every key is documented in `profiles.example.toml` at the top of the repository. Unknown keys
//! are errors, so a typo never silently falls back to a default.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::cli::Stream;
use crate::error::CliError;

/// Shopify Admin API version every document is written against.
pub const SHOPIFY_API_VERSION: &str = "2026-10";

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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Shopify,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetKind {
    Hubspot,
    Huddle,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShopifySettings {
    /// The shop's permanent domain, `NAME.myshopify.com`.
    pub shop: String,
    /// Where the Admin API is reached [default: `https://{shop}`].
    pub base_url: Option<String>,
    /// A full read of a stream with more records than this uses a bulk operation.
    pub bulk_threshold: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HubSpotSettings {
    /// Where the CRM API is reached [default: `https://api.hubapi.com`].
    pub base_url: Option<String>,
    /// Label of the deal pipeline orders go to; created when missing [default: "Ecommerce"].
    pub pipeline: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HuddleSettings {
    /// The Huddle's own domain, e.g. `leden.example.nl` (as in its webhook URL).
    pub domain: String,
    /// Where Huddle is reached [default: `https://{domain}`].
    pub base_url: Option<String>,
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
            }
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
        }
        Ok(())
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
}

/// Accepts `acme`, `acme.myshopify.com`, `https://acme.myshopify.com/`; returns
/// `acme.myshopify.com`. Shop names are letters, digits, `-` and `_`, starting with a letter or
/// digit (Shopify's own shop-domain check).
pub fn normalize_shop_domain(input: &str) -> Result<String, String> {
    let s = input.trim();
    let s = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(s);
    let s = s.trim_end_matches('/');
    let name = s.strip_suffix(".myshopify.com").unwrap_or(s);
    if name.is_empty() {
        return Err("it is empty".into());
    }
    if name.contains('.') {
        return Err("only NAME.myshopify.com domains are accepted (not a custom domain)".into());
    }
    let mut chars = name.chars();
    let first = chars.next().unwrap_or(' ');
    if !first.is_ascii_alphanumeric() {
        return Err("it must start with a letter or a digit".into());
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(format!(
            "it contains `{bad}`; only letters, digits, `-` and `_` are allowed"
        ));
    }
    Ok(format!("{}.myshopify.com", name.to_ascii_lowercase()))
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
