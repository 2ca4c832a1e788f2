//! The profile file: one TOML file, one `[profiles.NAME]` table per connection.
//!
//! Every key is documented in `profiles.example.toml` at the top of the repository. Unknown keys
//! are errors, so a typo never silently falls back to a default.
//!
//! The file names no system: `source` and `target` are kinds of the connectors in
//! `connectors::registry::CONNECTORS`, and each connector's table (`[profiles.NAME.<table>]`) is
//! read and checked by the connector's settings type (`connectors::settings::Settings`). Callers
//! get a table typed: `profile.table::<T>()`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use crate::connectors::registry::{self, Role, CONNECTORS, PAIRS};
use crate::connectors::settings::{AnySettings, Context, Settings};
use crate::error::CliError;
use crate::model::Stream;

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ProfileFile {
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// One `[profiles.NAME]` table: the kinds of its source and target, as written (each a
/// connector's kind in `connectors::registry::CONNECTORS`), and the connectors' tables, each
/// read by its connector's settings type.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Filled in from the table name.
    pub name: String,
    /// `source = "..."`: a source connector's kind.
    pub source: String,
    /// `target = "..."`: a target connector's kind.
    pub target: String,
    /// Streams synced when `--streams` is not given.
    pub streams: Option<Vec<Stream>>,
    /// Directory of the state store.
    pub state_dir: Option<PathBuf>,
    /// Accept plain `http://` base URLs for hosts other than loopback addresses [default:
    /// false]: tokens (and keys that are part of a URL) would then cross the network in clear.
    pub allow_insecure_http: bool,
    /// The connectors' tables, by table name.
    tables: BTreeMap<&'static str, Arc<dyn AnySettings>>,
    /// The tables the file has, read by `ProfileFile::parse`.
    unread: Vec<&'static str>,
}

/// The keys of a profile table besides the connectors' tables.
const SOURCE: &str = "source";
const TARGET: &str = "target";
const STREAMS: &str = "streams";
const STATE_DIR: &str = "state_dir";
const ALLOW_INSECURE_HTTP: &str = "allow_insecure_http";

/// Every key a profile table may have, for the message about one it may not.
fn profile_keys() -> &'static [&'static str] {
    static KEYS: OnceLock<Vec<&'static str>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut keys = vec![SOURCE, TARGET, STREAMS, STATE_DIR];
        keys.extend(CONNECTORS.iter().map(|c| c.settings.name));
        keys.push(ALLOW_INSECURE_HTTP);
        keys
    })
}

/// The kinds one side of a profile may name, for the message about one it may not.
fn kinds(role: Role) -> &'static [&'static str] {
    static SOURCES: OnceLock<Vec<&'static str>> = OnceLock::new();
    static TARGETS: OnceLock<Vec<&'static str>> = OnceLock::new();
    let list = match role {
        Role::Source => &SOURCES,
        Role::Target => &TARGETS,
    };
    list.get_or_init(|| {
        CONNECTORS
            .iter()
            .filter(|c| c.role == role)
            .map(|c| c.kind)
            .collect()
    })
}

/// A key of a profile table.
enum Key {
    Source,
    Target,
    Streams,
    StateDir,
    AllowInsecureHttp,
    Table(&'static str),
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "a profile key")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
                Ok(match key {
                    SOURCE => Key::Source,
                    TARGET => Key::Target,
                    STREAMS => Key::Streams,
                    STATE_DIR => Key::StateDir,
                    ALLOW_INSECURE_HTTP => Key::AllowInsecureHttp,
                    _ => match registry::by_table(key) {
                        Some(c) => Key::Table(c.settings.name),
                        None => return Err(E::unknown_field(key, profile_keys())),
                    },
                })
            }
        }
        d.deserialize_identifier(KeyVisitor)
    }
}

/// A `source` or `target` value: a kind of a connector on that side.
struct Kind(Role);

impl<'de> de::DeserializeSeed<'de> for Kind {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for Kind {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "one of {}", kinds(self.0).join(", "))
    }
    fn visit_str<E: de::Error>(self, kind: &str) -> Result<String, E> {
        match registry::connector(self.0, kind) {
            Some(c) => Ok(c.kind.to_string()),
            None => Err(E::unknown_variant(kind, kinds(self.0))),
        }
    }
}

/// The profile's own keys; the connectors' tables are only noted, and read by their types in
/// `ProfileFile::parse`.
impl<'de> Deserialize<'de> for Profile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Profile, D::Error> {
        struct ProfileVisitor;
        impl<'de> Visitor<'de> for ProfileVisitor {
            type Value = Profile;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "a profile table")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Profile, A::Error> {
                let (mut source, mut target, mut streams, mut state_dir) = (None, None, None, None);
                let mut allow_insecure_http = None;
                let mut unread = Vec::new();
                // TOML itself refuses a key given twice.
                while let Some(key) = map.next_key::<Key>()? {
                    match key {
                        Key::Source => source = Some(map.next_value_seed(Kind(Role::Source))?),
                        Key::Target => target = Some(map.next_value_seed(Kind(Role::Target))?),
                        Key::Streams => streams = Some(map.next_value()?),
                        Key::StateDir => state_dir = Some(map.next_value()?),
                        Key::AllowInsecureHttp => allow_insecure_http = Some(map.next_value()?),
                        Key::Table(table) => {
                            map.next_value::<IgnoredAny>()?;
                            unread.push(table);
                        }
                    }
                }
                Ok(Profile {
                    name: String::new(),
                    source: source.ok_or_else(|| de::Error::missing_field(SOURCE))?,
                    target: target.ok_or_else(|| de::Error::missing_field(TARGET))?,
                    streams,
                    state_dir,
                    allow_insecure_http: allow_insecure_http.unwrap_or(false),
                    tables: BTreeMap::new(),
                    unread,
                })
            }
        }
        d.deserialize_map(ProfileVisitor)
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
            for table in std::mem::take(&mut profile.unread) {
                let settings = &registry::by_table(table)
                    .expect("a table the registry names")
                    .settings;
                let read = (settings.parse)(text, &["profiles", name, table])
                    .map_err(|e| e.to_string().trim_end().to_string())?;
                if let Some(read) = read {
                    profile.tables.insert(table, read);
                }
            }
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
        let mut profile = profile.clone();
        profile.validate(path)?;
        Ok(profile)
    }
}

impl Profile {
    /// A profile of `source` and `target` with no tables yet (see [`Profile::with`]), as a
    /// program builds one (the demo).
    pub fn new(name: &str, source: &str, target: &str) -> Profile {
        Profile {
            name: name.to_string(),
            source: source.to_string(),
            target: target.to_string(),
            streams: None,
            state_dir: None,
            allow_insecure_http: false,
            tables: BTreeMap::new(),
            unread: Vec::new(),
        }
    }

    /// This profile with `settings` as its table.
    pub fn with<T: Settings>(mut self, settings: T) -> Profile {
        self.tables.insert(T::TABLE, Arc::new(settings));
        self
    }

    /// The profile's `T` table, if it has one (a validated profile has the tables of its source
    /// and its target, with the defaults where the file has none).
    pub fn settings<T: Settings>(&self) -> Option<&T> {
        self.tables
            .get(T::TABLE)
            .and_then(|t| t.as_any().downcast_ref::<T>())
    }

    /// The `T` table of a validated profile whose source or target has it.
    pub fn table<T: Settings>(&self) -> &T {
        self.settings::<T>().unwrap_or_else(|| {
            panic!(
                "the validated profile `{}` has no [{}] table",
                self.name,
                T::TABLE
            )
        })
    }

    /// Checks the pair of kinds and every table; fills in the defaults of the source's and
    /// target's tables where the file has none.
    fn validate(&mut self, path: &Path) -> Result<(), CliError> {
        let here = format!("in [profiles.{}] of {}", self.name, path.display());
        self.check_pair(&here)?;
        let ctx = Context {
            profile: &self.name,
            here: &here,
            allow_insecure_http: self.allow_insecure_http,
        };
        // The source's and the target's tables first, then any other table the profile has.
        let mut own = Vec::new();
        let mut defaults = Vec::new();
        for (role, kind) in [(Role::Source, &self.source), (Role::Target, &self.target)] {
            let settings = registry::connector(role, kind)
                .expect("a kind the file was read with")
                .settings;
            own.push(settings.name);
            match self.tables.get(settings.name) {
                Some(table) => table.validate(&ctx)?,
                None => defaults.push((settings.name, (settings.absent)(&ctx)?)),
            }
        }
        for c in CONNECTORS
            .iter()
            .filter(|c| !own.contains(&c.settings.name))
        {
            if let Some(table) = self.tables.get(c.settings.name) {
                table.validate(&ctx)?;
            }
        }
        self.tables.extend(defaults);
        Ok(())
    }

    /// A source and target that no flow pairs: what the source or the target syncs with.
    fn check_pair(&self, here: &str) -> Result<(), CliError> {
        let (source, target) = (self.source.as_str(), self.target.as_str());
        if PAIRS.contains(&(source, target)) {
            return Ok(());
        }
        let title = |role, kind: &str| {
            registry::connector(role, kind)
                .map(|c| c.title)
                .unwrap_or("?")
        };
        let targets: Vec<&str> = PAIRS
            .iter()
            .filter(|(s, _)| *s == source)
            .map(|(_, t)| *t)
            .collect();
        let sources: Vec<&str> = PAIRS
            .iter()
            .filter(|(_, t)| *t == target)
            .map(|(s, _)| *s)
            .collect();
        if let [only] = targets[..] {
            return Err(CliError::config(format!(
                "the profile `{}` reads from {}, which syncs to {} only, not to {target}",
                self.name,
                title(Role::Source, source),
                title(Role::Target, only),
            ))
            .hint(format!("set `target = \"{only}\"` {here}")));
        }
        if let [only] = sources[..] {
            let ctx = Context {
                profile: &self.name,
                here,
                allow_insecure_http: self.allow_insecure_http,
            };
            let with_table = registry::connector(Role::Source, only)
                .filter(|c| (c.settings.absent)(&ctx).is_err())
                .map(|c| format!(" with a [profiles.{}.{}] table", self.name, c.settings.name))
                .unwrap_or_default();
            return Err(CliError::config(format!(
                "the profile `{}` sends to {}, which takes its records from {} only",
                self.name,
                title(Role::Target, target),
                title(Role::Source, only),
            ))
            .hint(format!("set `source = \"{only}\"` {here}{with_table}")));
        }
        Err(CliError::config(format!(
            "the profile `{}` pairs source = \"{source}\" with target = \"{target}\", which no flow syncs",
            self.name
        ))
        .hint(format!(
            "with source = \"{source}\", set target to one of {} {here}",
            targets.join(", ")
        )))
    }

    /// The base URLs this profile sends credentials to in clear over the network (plain
    /// `http://` to a host that is not a loopback address), as (table, URL): only possible with
    /// `allow_insecure_http = true`.
    pub fn cleartext_urls(&self) -> Vec<(&'static str, String)> {
        CONNECTORS
            .iter()
            .filter_map(|c| Some((c.settings.name, self.tables.get(c.settings.name)?)))
            .flat_map(|(table, settings)| settings.urls().into_iter().map(move |u| (table, u)))
            .filter(|(_, url)| crate::connectors::settings::is_cleartext_off_host(url))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A profile of the first pair, with `extra` in its table.
    fn first_pair(extra: &str) -> String {
        let (source, target) = PAIRS[0];
        format!("[profiles.a]\nsource = \"{source}\"\ntarget = \"{target}\"\n{extra}\n")
    }

    #[test]
    fn unknown_keys_are_errors_with_their_line() {
        let err = ProfileFile::parse(&first_pair("stream = [\"orders\"]")).unwrap_err();
        assert!(
            err.contains("unknown field `stream`") && err.contains("line 4"),
            "{err}"
        );
        // The list of keys names every connector's table.
        for c in CONNECTORS {
            assert!(err.contains(&format!("`{}`", c.settings.name)), "{err}");
        }
    }

    #[test]
    fn unknown_kinds_are_errors_with_the_known_ones() {
        let (source, target) = PAIRS[0];
        let text = format!("[profiles.a]\nsource = \"{source}x\"\ntarget = \"{target}\"\n");
        let err = ProfileFile::parse(&text).unwrap_err();
        assert!(
            err.contains(&format!("unknown variant `{source}x`")),
            "{err}"
        );
        assert!(err.contains("line 2"), "{err}");
        for kind in kinds(Role::Source) {
            assert!(err.contains(&format!("`{kind}`")), "{err}");
        }
        // A target's kind is not a source's.
        let text = format!("[profiles.a]\nsource = \"{target}\"\ntarget = \"{target}\"\n");
        assert!(ProfileFile::parse(&text)
            .unwrap_err()
            .contains("unknown variant"));
        let err = ProfileFile::parse("[profiles.a]\nsource = \"x\"\n").unwrap_err();
        assert!(err.contains("unknown variant `x`"), "{err}");
    }

    #[test]
    fn a_missing_kind_is_an_error() {
        let (source, _) = PAIRS[0];
        let err =
            ProfileFile::parse(&format!("[profiles.a]\nsource = \"{source}\"\n")).unwrap_err();
        assert!(err.contains("missing field `target`"), "{err}");
    }

    /// Every pair the registry allows is accepted as far as the pair goes; every other pair of
    /// known kinds is refused with what the profile should say instead.
    #[test]
    fn pairs_come_from_the_registry() {
        let sources = kinds(Role::Source);
        let targets = kinds(Role::Target);
        for source in sources {
            for target in targets {
                let mut p = Profile::new("a", source, target);
                let checked = p.check_pair("here");
                if PAIRS.contains(&(source, target)) {
                    assert!(checked.is_ok(), "{source} -> {target}");
                } else {
                    let e = checked.unwrap_err();
                    let hint = e.hint.clone().unwrap_or_default();
                    assert!(
                        hint.contains("source = \"") || hint.contains("target = \""),
                        "{source} -> {target}: {e} ({hint})"
                    );
                    assert!(p.validate(Path::new("x")).is_err());
                }
            }
        }
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
}
