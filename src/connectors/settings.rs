//! A connector's table in the profile file (`[profiles.NAME.<table>]`): the [`Settings`] trait
//! each connector's `settings.rs` implements, and what the profile file needs to parse, check
//! and hand out a table without knowing whose it is ([`SettingsTable`], listed per connector in
//! `registry::CONNECTORS`).

use std::any::Any;
use std::fmt::Debug;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::{DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::error::CliError;

/// What a settings check knows about the profile around the table.
pub struct Context<'a> {
    /// The profile's name (`[profiles.NAME]`).
    pub profile: &'a str,
    /// Where the table is, for messages: `in [profiles.NAME] of PATH`.
    pub here: &'a str,
    /// `allow_insecure_http = true` in the profile.
    pub allow_insecure_http: bool,
}

impl Context<'_> {
    /// Refuses a plain `http://` base URL to a host that is not a loopback address, unless the
    /// profile allows it: the credentials sent there would cross the network unencrypted.
    pub fn check_cleartext(&self, url: &str, table: &str) -> Result<(), CliError> {
        if self.allow_insecure_http || !is_cleartext_off_host(url) {
            return Ok(());
        }
        Err(CliError::config(format!(
            "`base_url = \"{url}\"` {} ({table}) is plain http:// to a host that is not \
             this machine: its credentials would be sent unencrypted",
            self.here
        ))
        .hint(format!(
            "use https://; plain http:// is accepted only for loopback addresses (127.0.0.1, \
             ::1, localhost), or, on a network you trust, with `allow_insecure_http = true` in \
             [profiles.{}]",
            self.profile
        )))
    }
}

/// A connector's profile table, typed.
pub trait Settings: DeserializeOwned + Debug + Send + Sync + 'static {
    /// The table's name: `[profiles.NAME.<TABLE>]`.
    const TABLE: &'static str;

    /// The settings of a profile whose source or target is this connector but that has no table:
    /// the defaults, or the error that says what to add.
    fn absent(ctx: &Context) -> Result<Self, CliError>;

    /// Checks what the types cannot (domains, URLs, rules between keys): the first problem, with
    /// what to do about it.
    fn validate(&self, ctx: &Context) -> Result<(), CliError>;

    /// The base URLs credentials are sent to, as the table sets them (for `doctor`'s check of
    /// plain `http://`).
    fn urls(&self) -> Vec<String>;
}

/// A [`Settings`] table whose type the caller does not know.
pub trait AnySettings: Debug + Send + Sync {
    fn validate(&self, ctx: &Context) -> Result<(), CliError>;
    fn urls(&self) -> Vec<String>;
    fn as_any(&self) -> &dyn Any;
}

impl<T: Settings> AnySettings for T {
    fn validate(&self, ctx: &Context) -> Result<(), CliError> {
        Settings::validate(self, ctx)
    }

    fn urls(&self) -> Vec<String> {
        Settings::urls(self)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A table read, of a type the holder does not know.
pub type Table = Arc<dyn AnySettings>;

/// How a table of one connector is read and checked, without naming its type: an entry of
/// `registry::CONNECTORS`.
#[derive(Clone, Copy)]
pub struct SettingsTable {
    /// The table's name: `[profiles.NAME.<name>]`.
    pub name: &'static str,
    /// Reads the table at `path` (e.g. `["profiles", "acme", "<table>"]`) of a TOML document;
    /// `None` if the document has no such table. A wrong key or value is an error with its line.
    pub parse: fn(&str, &[&str]) -> Result<Option<Table>, toml::de::Error>,
    /// [`Settings::absent`].
    pub absent: fn(&Context) -> Result<Table, CliError>,
}

impl SettingsTable {
    pub const fn of<T: Settings>() -> SettingsTable {
        SettingsTable {
            name: T::TABLE,
            parse: parse_erased::<T>,
            absent: absent_erased::<T>,
        }
    }
}

fn parse_erased<T: Settings>(text: &str, path: &[&str]) -> Result<Option<Table>, toml::de::Error> {
    Ok(parse_at::<T>(text, path)?.map(|t| Arc::new(t) as Table))
}

fn absent_erased<T: Settings>(ctx: &Context) -> Result<Table, CliError> {
    Ok(Arc::new(T::absent(ctx)?))
}

/// The value at `path` of the TOML document `text`, as a `T`; `None` if it has none. It is read
/// straight from the document, so an error points at its line as a whole-file parse would.
pub fn parse_at<T: DeserializeOwned>(
    text: &str,
    path: &[&str],
) -> Result<Option<T>, toml::de::Error> {
    At::<T> {
        path,
        _t: PhantomData,
    }
    .deserialize(toml::Deserializer::new(text))
}

struct At<'p, T> {
    path: &'p [&'p str],
    _t: PhantomData<T>,
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for At<'_, T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        match self.path.split_first() {
            None => T::deserialize(d).map(Some),
            Some((first, rest)) => d.deserialize_map(AtKey::<T> {
                first,
                rest,
                _t: PhantomData,
            }),
        }
    }
}

struct AtKey<'p, T> {
    first: &'p str,
    rest: &'p [&'p str],
    _t: PhantomData<T>,
}

impl<'de, T: DeserializeOwned> Visitor<'de> for AtKey<'_, T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "a table")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<T>, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == self.first {
                found = map.next_value_seed(At::<T> {
                    path: self.rest,
                    _t: PhantomData,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// Whether `input` is an http(s) URL with a host; why not, if it is not.
pub fn check_base_url(input: &str) -> Result<(), String> {
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

/// A plain `http://` URL whose host is not a loopback address (127.0.0.0/8, ::1, localhost).
pub fn is_cleartext_off_host(input: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct T {
        a: u32,
    }

    #[test]
    fn reads_a_table_by_its_path_with_the_line_of_an_error() {
        let text = "[x]\nb = 1\n[x.y]\na = 2\n[z.y]\nc = 3\n";
        assert_eq!(parse_at::<T>(text, &["x", "y"]).unwrap().unwrap().a, 2);
        assert!(parse_at::<T>(text, &["q", "y"]).unwrap().is_none());
        let err = parse_at::<T>(text, &["z", "y"]).unwrap_err().to_string();
        assert!(
            err.contains("line 6") && err.contains("unknown field `c`"),
            "{err}"
        );
    }

    #[test]
    fn cleartext_is_plain_http_off_this_machine() {
        assert!(is_cleartext_off_host("http://example.com"));
        assert!(is_cleartext_off_host("http://10.0.0.1:80"));
        for url in [
            "https://example.com",
            "http://127.0.0.1:9",
            "http://localhost",
            "http://a.localhost.",
            "http://[::1]:8",
        ] {
            assert!(!is_cleartext_off_host(url), "{url}");
        }
    }
}
