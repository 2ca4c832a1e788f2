//! Credentials: where a token comes from, and the OS keyring behind `shopsync auth`.
//!
//! A token is looked up in this order, and the first one found wins:
//!
//! 1. the per-profile environment variable `SHOPSYNC_<PROFILE>_<SYSTEM>_TOKEN`, e.g.
//!    `SHOPSYNC_MY_SHOP_SHOPIFY_TOKEN` for profile `my-shop` (the profile name upper-cased, every
//!    character that is not an ASCII letter or digit turned into `_`);
//! 2. the global environment variable `SHOPSYNC_<SYSTEM>_TOKEN` (`SHOPSYNC_SHOPIFY_TOKEN`,
//!    `SHOPSYNC_HUBSPOT_TOKEN`), shared by every profile;
//! 3. the plain-text credentials file, only when the user chose it (`shopsync auth set
//!    --insecure-storage`, or the same choice in `shopsync setup`): `credentials.json` in the
//!    config dir (or the file `SHOPSYNC_CREDENTIALS_FILE` names), mode 0600, as `gh` does on a
//!    machine without a keyring;
//! 4. the OS keyring: service `shopsync`, user `<profile>/<system>` (e.g. `acme/shopify`),
//!    as written by `shopsync auth set`.
//!
//! An empty (or all-whitespace) variable counts as unset. Headless machines and CI have no
//! keyring: environment variables are their way in.
//!
//! The keyring is reached through `keyring-core` and one platform store, picked at compile time:
//! the D-Bus Secret Service on Linux (GNOME Keyring, KWallet, KeePassXC), the login keychain on
//! macOS, the Credential Manager on Windows. Every keyring call runs on its own thread and is
//! given [`KEYRING_TIMEOUT`]: a hung D-Bus, or an unlock prompt nobody answers, makes the call
//! fail instead of hanging the command. After one call timed out, later calls in the same process
//! fail at once.
//!
//! **For tests only:** `SHOPSYNC_CREDENTIAL_STORE=file:PATH` replaces the OS keyring with a
//! plain-text JSON file (mode 0600, written atomically). It is a `keyring-core` store like the
//! platform ones and goes through the same code (service, user, timeout), so the real binary can
//! be tested end to end in separate processes. It is not secure; never use it for real tokens.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use keyring_core::api::{CredentialApi, CredentialStoreApi};
use keyring_core::{CredentialStore, Entry};

use crate::connectors::system::System;
use crate::error::CliError;
pub use crate::secret::{env_fragment, known_secrets, redact, Secret};

/// The keyring service every shopsync credential is stored under.
pub const SERVICE: &str = "shopsync";

/// How long one keyring call may take before it is given up.
pub const KEYRING_TIMEOUT: Duration = Duration::from_secs(3);

/// Selects the credential store. Unset (or `os`): the OS keyring. `file:PATH`: a plain-text test
/// store. Documented for tests only.
pub const STORE_ENV: &str = "SHOPSYNC_CREDENTIAL_STORE";

/// Names the plain-text credentials file instead of `credentials.json` in the config dir.
pub const PLAIN_FILE_ENV: &str = "SHOPSYNC_CREDENTIALS_FILE";

// ---------------------------------------------------------------------------------------------
// Where a credential comes from
// ---------------------------------------------------------------------------------------------

/// Where [`resolve`] found a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialSource {
    /// An environment variable, by name.
    Env(String),
    /// The credential store: the OS keyring (or the test store selected by
    /// `SHOPSYNC_CREDENTIAL_STORE`).
    Keyring,
    /// The plain-text credentials file the user chose, at this path.
    PlainFile(PathBuf),
}

impl CredentialSource {
    /// `env` or `keyring`, as in `auth status --json`.
    pub fn kind(&self) -> &'static str {
        match self {
            CredentialSource::Env(_) => "env",
            CredentialSource::Keyring => "keyring",
            CredentialSource::PlainFile(_) => "file",
        }
    }
}

/// The environment variables that hold a token, in the order they are read: the per-profile one
/// (`SHOPSYNC_MY_SHOP_SHOPIFY_TOKEN` for `my-shop`), then the global one
/// (`SHOPSYNC_SHOPIFY_TOKEN`).
pub fn env_var_names(profile: &str, system: System) -> [String; 2] {
    let system = system.as_str().to_ascii_uppercase().replace('-', "_");
    [
        format!("SHOPSYNC_{}_{system}_TOKEN", env_fragment(profile)),
        format!("SHOPSYNC_{system}_TOKEN"),
    ]
}

/// The keyring user a credential is stored under: `<profile>/<system>`, e.g. `acme/shopify`.
pub fn keyring_user(profile: &str, system: System) -> String {
    format!("{profile}/{}", system.as_str())
}

/// The first of [`env_var_names`] that is set and not blank, with its value (trimmed).
pub fn from_env(profile: &str, system: System) -> Option<(String, Secret)> {
    from_env_with(profile, system, &|name| std::env::var(name).ok())
}

fn from_env_with(
    profile: &str,
    system: System,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Option<(String, Secret)> {
    env_var_names(profile, system).into_iter().find_map(|name| {
        let value = lookup(&name)?;
        let value = value.trim();
        if value.is_empty() {
            None
        } else {
            Some((name, Secret::new(value.to_string())))
        }
    })
}

/// The token for `profile` and `system`: from the environment, else from the keyring.
///
/// Nothing found is a config error (exit 2) that names both fixes: `shopsync auth set` and the
/// environment variable. A keyring that cannot be reached says so and names the variable to set
/// instead.
pub fn resolve(profile: &str, system: System) -> Result<(Secret, CredentialSource), CliError> {
    if from_env(profile, system).is_none() {
        if let Some((secret, path)) = plain_file_get(profile, system)? {
            return Ok((secret, CredentialSource::PlainFile(path)));
        }
    }
    resolve_with(profile, system, &|name| std::env::var(name).ok(), &|| {
        keyring_get(profile, system)
    })
}

fn resolve_with(
    profile: &str,
    system: System,
    env: &dyn Fn(&str) -> Option<String>,
    keyring: &dyn Fn() -> Result<Option<Secret>, KeyringError>,
) -> Result<(Secret, CredentialSource), CliError> {
    if let Some((name, secret)) = from_env_with(profile, system, env) {
        return Ok((secret, CredentialSource::Env(name)));
    }
    match keyring() {
        Ok(Some(secret)) => Ok((secret, CredentialSource::Keyring)),
        Ok(None) => Err(missing(profile, system)),
        Err(e) => Err(e.into_cli(
            &format!("cannot read the {system} token for profile `{profile}`"),
            profile,
            system,
        )),
    }
}

fn missing(profile: &str, system: System) -> CliError {
    let [per_profile, global] = env_var_names(profile, system);
    CliError::config(format!(
        "there is no {system} token for profile `{profile}`"
    ))
    .hint(format!(
        "store one with `shopsync auth set {profile} {system}`, or set {per_profile} \
         (or {global} for every profile) in the environment"
    ))
}

// ---------------------------------------------------------------------------------------------
// The plain-text credentials file (only when chosen)
// ---------------------------------------------------------------------------------------------

/// Where the plain-text credentials file is: `SHOPSYNC_CREDENTIALS_FILE`, else
/// `credentials.json` in the OS config dir (beside the default profile file).
pub fn plain_file_path() -> Option<PathBuf> {
    match std::env::var_os(PLAIN_FILE_ENV).filter(|v| !v.is_empty()) {
        Some(path) => Some(PathBuf::from(path)),
        None => directories::ProjectDirs::from("", "", "shopsync")
            .map(|d| d.config_dir().join("credentials.json")),
    }
}

fn plain_file_entry(profile: &str, system: System) -> Result<(Entry, PathBuf), CliError> {
    let path = plain_file_path().ok_or_else(|| {
        CliError::config("cannot find the OS config directory for the credentials file")
            .hint(format!("name the file with {PLAIN_FILE_ENV}=PATH"))
    })?;
    let store = FileStore::open(&path).map_err(|e| plain_file_error(&path, e))?;
    let entry = store
        .build(SERVICE, &keyring_user(profile, system), None)
        .map_err(|e| plain_file_error(&path, e))?;
    Ok((entry, path))
}

fn plain_file_error(path: &Path, e: keyring_core::Error) -> CliError {
    CliError::config(format!(
        "the credentials file {} cannot be used: {e}",
        path.display()
    ))
    .hint(format!(
        "fix or remove the file (it is JSON, written by `shopsync auth set --insecure-storage`), \
         or name another one with {PLAIN_FILE_ENV}"
    ))
}

/// The token in the plain-text file, with the file's path; `None` when the file or the entry
/// is not there.
pub fn plain_file_get(
    profile: &str,
    system: System,
) -> Result<Option<(Secret, PathBuf)>, CliError> {
    let Some(path) = plain_file_path() else {
        return Ok(None);
    };
    if !path.exists() {
        return Ok(None);
    }
    let (entry, path) = plain_file_entry(profile, system)?;
    match entry.get_password() {
        Ok(value) if !value.trim().is_empty() => Ok(Some((Secret::new(value), path))),
        Ok(_) | Err(keyring_core::Error::NoEntry) => Ok(None),
        Err(e) => Err(plain_file_error(&path, e)),
    }
}

/// Writes the token into the plain-text file (created with mode 0600); returns its path.
pub fn plain_file_set(profile: &str, system: System, secret: &Secret) -> Result<PathBuf, CliError> {
    let (entry, path) = plain_file_entry(profile, system)?;
    entry
        .set_password(secret.expose())
        .map_err(|e| plain_file_error(&path, e))?;
    Ok(path)
}

/// Removes the token from the plain-text file; `Some(path)` when there was one.
pub fn plain_file_delete(profile: &str, system: System) -> Result<Option<PathBuf>, CliError> {
    if !plain_file_path().is_some_and(|p| p.exists()) {
        return Ok(None);
    }
    let (entry, path) = plain_file_entry(profile, system)?;
    match entry.delete_credential() {
        Ok(()) => Ok(Some(path)),
        Err(keyring_core::Error::NoEntry) => Ok(None),
        Err(e) => Err(plain_file_error(&path, e)),
    }
}

// ---------------------------------------------------------------------------------------------
// Keyring errors
// ---------------------------------------------------------------------------------------------

/// Why a keyring call failed. Messages never hold a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyringError {
    /// The store could not be opened at all (headless Linux: no D-Bus session or no Secret
    /// Service). The detail is the platform's own message.
    Unreachable(String),
    /// The store is there but refused access (locked collection, dismissed unlock prompt).
    Locked(String),
    /// The call did not finish within [`KEYRING_TIMEOUT`].
    TimedOut,
    /// `SHOPSYNC_CREDENTIAL_STORE` has a value that is not understood.
    BadSetting(String),
    /// Anything else the store reported.
    Failed(String),
}

impl KeyringError {
    /// One line for the user, without the fix (see [`KeyringError::into_cli`]).
    pub fn describe(&self) -> String {
        match self {
            KeyringError::Unreachable(detail) => {
                format!("no OS keyring is reachable ({}: {detail})", platform_absence())
            }
            KeyringError::Locked(detail) => {
                format!("the OS keyring refused access (locked, or the unlock prompt was dismissed: {detail})")
            }
            KeyringError::TimedOut => format!(
                "the OS keyring did not answer within {} s (a hung D-Bus, or an unlock prompt nobody answered)",
                KEYRING_TIMEOUT.as_secs()
            ),
            KeyringError::BadSetting(detail) => detail.clone(),
            KeyringError::Failed(detail) => format!("the OS keyring failed: {detail}"),
        }
    }

    /// A few words for a table cell: "keyring unreachable", "keyring timed out", ...
    pub fn short(&self) -> &'static str {
        match self {
            KeyringError::Unreachable(_) => "keyring unreachable",
            KeyringError::Locked(_) => "keyring locked",
            KeyringError::TimedOut => "keyring timed out",
            KeyringError::BadSetting(_) => "bad SHOPSYNC_CREDENTIAL_STORE",
            KeyringError::Failed(_) => "keyring error",
        }
    }

    /// A [`CliError`] for `action` ("cannot store the shopify token for profile `acme`") whose
    /// hint names the environment variable to use instead.
    pub fn into_cli(self, action: &str, profile: &str, system: System) -> CliError {
        let [per_profile, global] = env_var_names(profile, system);
        let message = format!("{action}: {}", self.describe());
        match self {
            KeyringError::Unreachable(_) => CliError::config(message).hint(format!(
                "set {per_profile} (or {global}) instead, or run on a desktop session \
                 with a keyring{}",
                platform_keyring_examples()
            )),
            KeyringError::Locked(_) => CliError::config(message).hint(format!(
                "unlock the keyring and try again, or set {per_profile} (or {global}) instead"
            )),
            KeyringError::TimedOut => CliError::run(message).hint(format!(
                "try again; if it keeps happening set {per_profile} (or {global}) instead"
            )),
            KeyringError::BadSetting(_) => CliError::config(message).hint(format!(
                "unset {STORE_ENV} to use the OS keyring (`file:PATH` is for tests only)"
            )),
            KeyringError::Failed(_) => CliError::run(message).hint(format!(
                "set {per_profile} (or {global}) instead of using the keyring"
            )),
        }
    }
}

#[cfg(target_os = "linux")]
fn platform_absence() -> &'static str {
    "no D-Bus Secret Service on this machine"
}
#[cfg(target_os = "macos")]
fn platform_absence() -> &'static str {
    "the macOS keychain cannot be opened"
}
#[cfg(target_os = "windows")]
fn platform_absence() -> &'static str {
    "the Windows Credential Manager cannot be opened"
}
#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
fn platform_absence() -> &'static str {
    "shopsync supports no keyring on this OS"
}

#[cfg(target_os = "linux")]
fn platform_keyring_examples() -> &'static str {
    " (GNOME Keyring, KWallet or KeePassXC providing the Secret Service)"
}
#[cfg(not(target_os = "linux"))]
fn platform_keyring_examples() -> &'static str {
    ""
}

/// Maps a store error to ours without ever printing a payload: `BadEncoding` and
/// `BadDataFormat` carry the stored bytes, `Ambiguous` carries entries.
fn classify(error: keyring_core::Error) -> KeyringError {
    use keyring_core::Error as E;
    match error {
        E::NoStorageAccess(e) => KeyringError::Locked(e.to_string()),
        E::PlatformFailure(e) => KeyringError::Failed(e.to_string()),
        E::NoEntry => KeyringError::Failed("no matching credential".into()),
        E::BadEncoding(_) => KeyringError::Failed(
            "the stored token is not valid UTF-8 text; store it again with `shopsync auth set`"
                .into(),
        ),
        E::BadDataFormat(_, _) => KeyringError::Failed("the stored token is malformed".into()),
        E::BadStoreFormat(why) => KeyringError::Failed(format!("the store is malformed: {why}")),
        E::TooLong(what, limit) => KeyringError::Failed(format!(
            "`{what}` is longer than the store's limit of {limit}"
        )),
        E::Invalid(what, why) => KeyringError::Failed(format!("`{what}` is invalid: {why}")),
        E::Ambiguous(items) => KeyringError::Failed(format!(
            "{} keyring items match this credential; remove the extra ones with the OS keyring's \
             own tool",
            items.len()
        )),
        E::NoDefaultStore => KeyringError::Unreachable("no credential store is set up".into()),
        E::NotSupportedByStore(why) => KeyringError::Failed(format!("not supported: {why}")),
        other => KeyringError::Failed(other.to_string()),
    }
}

// ---------------------------------------------------------------------------------------------
// The timeout wrapper
// ---------------------------------------------------------------------------------------------

/// The work did not finish in time; it goes on in a detached thread whose result is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedOut;

/// Runs `work` on its own thread and waits at most `timeout` for it. A call stuck in the OS (a
/// D-Bus that never answers) is left behind rather than waited for; the process can still exit.
pub fn with_timeout<T, F>(timeout: Duration, work: F) -> Result<T, TimedOut>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let (tx, rx) = mpsc::sync_channel(1);
    let spawned = std::thread::Builder::new()
        .name("shopsync-keyring".into())
        .spawn(move || {
            // The receiver may be gone after a timeout; that is fine.
            let _ = tx.send(work());
        });
    if spawned.is_err() {
        return Err(TimedOut);
    }
    rx.recv_timeout(timeout).map_err(|_| TimedOut)
}

// ---------------------------------------------------------------------------------------------
// The store
// ---------------------------------------------------------------------------------------------

/// Which store `SHOPSYNC_CREDENTIAL_STORE` selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreChoice {
    /// The platform keyring.
    Os,
    /// The plain-text test store at this path.
    File(PathBuf),
}

impl StoreChoice {
    /// Reads `SHOPSYNC_CREDENTIAL_STORE`.
    pub fn from_env() -> Result<StoreChoice, KeyringError> {
        Self::parse(std::env::var(STORE_ENV).ok().as_deref())
    }

    fn parse(value: Option<&str>) -> Result<StoreChoice, KeyringError> {
        match value.map(str::trim) {
            None | Some("") | Some("os") => Ok(StoreChoice::Os),
            Some(v) => match v.strip_prefix("file:") {
                Some(path) if !path.is_empty() => Ok(StoreChoice::File(PathBuf::from(path))),
                _ => Err(KeyringError::BadSetting(format!(
                    "{STORE_ENV}=`{v}` is not understood (expected `file:PATH`, or unset for the OS keyring)"
                ))),
            },
        }
    }

    /// How the user is told where a token went: "the OS keyring", or the test file.
    pub fn describe(&self) -> String {
        match self {
            StoreChoice::Os => "the OS keyring".into(),
            StoreChoice::File(path) => {
                format!("the test credential file {} ({STORE_ENV})", path.display())
            }
        }
    }
}

/// A store once opened, kept for the rest of the process (each Secret Service connection costs a
/// D-Bus round trip). A failure to open is kept too, so a headless machine answers at once.
static STORE: Mutex<Option<Result<Arc<CredentialStore>, KeyringError>>> = Mutex::new(None);

/// Set after a call timed out: that call may still hold the store's connection, so later calls
/// fail at once instead of each waiting out the timeout.
static UNRESPONSIVE: AtomicBool = AtomicBool::new(false);

fn open_store(choice: &StoreChoice) -> Result<Arc<CredentialStore>, KeyringError> {
    let mut slot = STORE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(cached) = slot.as_ref() {
        return cached.clone();
    }
    let opened = match choice {
        StoreChoice::Os => open_platform_store(),
        StoreChoice::File(path) => FileStore::open(path).map(|s| s as Arc<CredentialStore>),
    }
    .map_err(|e| match classify(e) {
        KeyringError::Failed(detail) | KeyringError::Locked(detail) => {
            KeyringError::Unreachable(detail)
        }
        other => other,
    });
    *slot = Some(opened.clone());
    opened
}

#[cfg(target_os = "linux")]
fn open_platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = zbus_secret_service_keyring_store::Store::new()?;
    Ok(store)
}

#[cfg(target_os = "macos")]
fn open_platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = apple_native_keyring_store::keychain::Store::new()?;
    Ok(store)
}

#[cfg(target_os = "windows")]
fn open_platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = windows_native_keyring_store::Store::new()?;
    Ok(store)
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
fn open_platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(keyring_core::Error::NotSupportedByStore(
        "no keyring store is built for this OS".into(),
    ))
}

/// Opens the store (once per process), builds the entry for `profile`/`system` and runs `op` on
/// it, all on a worker thread under [`KEYRING_TIMEOUT`]. The platform and the test store take
/// exactly this path.
fn with_entry<T, F>(profile: &str, system: System, op: F) -> Result<T, KeyringError>
where
    T: Send + 'static,
    F: FnOnce(&Entry) -> keyring_core::Result<T> + Send + 'static,
{
    if UNRESPONSIVE.load(Ordering::SeqCst) {
        return Err(KeyringError::TimedOut);
    }
    let choice = StoreChoice::from_env()?;
    let user = keyring_user(profile, system);
    let result = with_timeout(KEYRING_TIMEOUT, move || {
        let store = open_store(&choice)?;
        let entry = store.build(SERVICE, &user, None).map_err(classify)?;
        Ok::<_, KeyringError>(op(&entry))
    });
    match result {
        Ok(Ok(outcome)) => Ok(outcome.map_err(classify)?),
        Ok(Err(e)) => Err(e),
        Err(TimedOut) => {
            UNRESPONSIVE.store(true, Ordering::SeqCst);
            Err(KeyringError::TimedOut)
        }
    }
}

/// The stored token, or `None` when none is stored.
pub fn keyring_get(profile: &str, system: System) -> Result<Option<Secret>, KeyringError> {
    let found = with_entry(profile, system, |entry| match entry.get_password() {
        Ok(value) => Ok(Some(value)),
        Err(keyring_core::Error::NoEntry) => Ok(None),
        Err(e) => Err(e),
    })?;
    Ok(found.filter(|v| !v.is_empty()).map(Secret::new))
}

/// Stores `secret`, replacing any token stored before.
pub fn keyring_set(profile: &str, system: System, secret: &Secret) -> Result<(), KeyringError> {
    let value = secret.expose().to_string();
    with_entry(profile, system, move |entry| entry.set_password(&value))
}

/// Removes the stored token. `Ok(false)` when there was none.
pub fn keyring_delete(profile: &str, system: System) -> Result<bool, KeyringError> {
    with_entry(profile, system, |entry| match entry.delete_credential() {
        Ok(()) => Ok(true),
        Err(keyring_core::Error::NoEntry) => Ok(false),
        Err(e) => Err(e),
    })
}

// ---------------------------------------------------------------------------------------------
// The test store: a JSON file
// ---------------------------------------------------------------------------------------------

/// A `keyring-core` store in one JSON file, for tests: selected by
/// `SHOPSYNC_CREDENTIAL_STORE=file:PATH`. Not secure (plain text), but written with mode 0600
/// and atomically (temp file in the same directory, then rename). Every call reads the file
/// afresh, so separate processes see each other's writes; concurrent writers may lose an update.
#[derive(Debug)]
pub struct FileStore {
    path: PathBuf,
}

/// The file's content: service -> user -> secret.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct FileContent {
    #[serde(default)]
    note: String,
    #[serde(default)]
    credentials: BTreeMap<String, BTreeMap<String, String>>,
}

const FILE_NOTE: &str = "shopsync credentials in plain text (auth set --insecure-storage, or the test store): keep this file private";

impl FileStore {
    pub fn open(path: &Path) -> keyring_core::Result<Arc<FileStore>> {
        if path.is_dir() {
            return Err(keyring_core::Error::Invalid(
                STORE_ENV.into(),
                format!("{} is a directory, not a file", path.display()),
            ));
        }
        Ok(Arc::new(FileStore {
            path: path.to_path_buf(),
        }))
    }

    fn load(&self) -> keyring_core::Result<FileContent> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                keyring_core::Error::BadStoreFormat(format!(
                    "{} is not valid: {e}",
                    self.path.display()
                ))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FileContent::default()),
            Err(e) => Err(keyring_core::Error::PlatformFailure(Box::new(e))),
        }
    }

    fn save(&self, content: &mut FileContent) -> keyring_core::Result<()> {
        content.note = FILE_NOTE.into();
        let text = serde_json::to_string_pretty(content)
            .map_err(|e| keyring_core::Error::PlatformFailure(Box::new(e)))?;
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| keyring_core::Error::PlatformFailure(Box::new(e)))?;
        }
        crate::atomic_file::write(
            &self.path,
            text.as_bytes(),
            crate::atomic_file::Access::OwnerOnly,
        )
        .map_err(|e| keyring_core::Error::PlatformFailure(Box::new(e)))
    }
}

impl CredentialStoreApi for FileStore {
    fn vendor(&self) -> String {
        "shopsync test file store".into()
    }

    fn id(&self) -> String {
        self.path.display().to_string()
    }

    fn build(
        &self,
        service: &str,
        user: &str,
        modifiers: Option<&std::collections::HashMap<&str, &str>>,
    ) -> keyring_core::Result<Entry> {
        if let Some(key) = modifiers.and_then(|m| m.keys().next()) {
            return Err(keyring_core::Error::Invalid(
                key.to_string(),
                "unknown key".into(),
            ));
        }
        Ok(Entry::new_with_credential(Arc::new(FileCredential {
            store: FileStore {
                path: self.path.clone(),
            },
            service: service.to_string(),
            user: user.to_string(),
        })))
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// One `<service, user>` credential in a [`FileStore`].
#[derive(Debug)]
pub struct FileCredential {
    store: FileStore,
    service: String,
    user: String,
}

impl CredentialApi for FileCredential {
    fn set_secret(&self, secret: &[u8]) -> keyring_core::Result<()> {
        let value = String::from_utf8(secret.to_vec()).map_err(|_| {
            keyring_core::Error::Invalid(
                "secret".into(),
                "the test store holds UTF-8 text only".into(),
            )
        })?;
        let mut content = self.store.load()?;
        content
            .credentials
            .entry(self.service.clone())
            .or_default()
            .insert(self.user.clone(), value);
        self.store.save(&mut content)
    }

    fn get_secret(&self) -> keyring_core::Result<Vec<u8>> {
        let content = self.store.load()?;
        content
            .credentials
            .get(&self.service)
            .and_then(|users| users.get(&self.user))
            .map(|v| v.clone().into_bytes())
            .ok_or(keyring_core::Error::NoEntry)
    }

    fn delete_credential(&self) -> keyring_core::Result<()> {
        let mut content = self.store.load()?;
        let users = content
            .credentials
            .get_mut(&self.service)
            .ok_or(keyring_core::Error::NoEntry)?;
        users
            .remove(&self.user)
            .ok_or(keyring_core::Error::NoEntry)?;
        if users.is_empty() {
            content.credentials.remove(&self.service);
        }
        self.store.save(&mut content)
    }

    fn get_credential(&self) -> keyring_core::Result<Option<Arc<keyring_core::Credential>>> {
        self.get_secret().map(|_| None)
    }

    fn get_specifiers(&self) -> Option<(String, String)> {
        Some((self.service.clone(), self.user.clone()))
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ExitCodeOf;
    use std::collections::HashMap;
    use std::time::Instant;

    #[test]
    fn env_var_names_follow_the_profile() {
        assert_eq!(
            env_var_names("my-shop", System::Shopify),
            [
                "SHOPSYNC_MY_SHOP_SHOPIFY_TOKEN".to_string(),
                "SHOPSYNC_SHOPIFY_TOKEN".to_string()
            ]
        );
        assert_eq!(
            env_var_names("acme", System::Hubspot)[0],
            "SHOPSYNC_ACME_HUBSPOT_TOKEN"
        );
        assert_eq!(
            env_var_names("eu.shop 2", System::Shopify)[0],
            "SHOPSYNC_EU_SHOP_2_SHOPIFY_TOKEN"
        );
        assert_eq!(
            env_var_names("café", System::Shopify)[0],
            "SHOPSYNC_CAF__SHOPIFY_TOKEN"
        );
        assert_eq!(
            env_var_names("x", System::Hubspot)[1],
            "SHOPSYNC_HUBSPOT_TOKEN"
        );
    }

    #[test]
    fn keyring_user_is_profile_slash_system() {
        assert_eq!(keyring_user("acme", System::Shopify), "acme/shopify");
        assert_eq!(keyring_user("my-shop", System::Hubspot), "my-shop/hubspot");
        assert_eq!(
            env_var_names("leden", System::ShopifySecret)[0],
            "SHOPSYNC_LEDEN_SHOPIFY_SECRET_TOKEN"
        );
    }

    #[test]
    fn secret_debug_hides_the_value() {
        let s = Secret::new("shpat_debugtest_0123456789".into());
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(format!("{:?}", Some(&s)), "Some(Secret(***))");
        assert_eq!(s.expose(), "shpat_debugtest_0123456789");
        assert!(known_secrets().iter().any(|k| k.expose() == s.expose()));
        assert_eq!(
            redact("Bearer shpat_debugtest_0123456789 refused"),
            "Bearer *** refused"
        );
    }

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    fn keyring_must_not_be_read() -> Result<Option<Secret>, KeyringError> {
        panic!("the keyring was read although an environment variable was set")
    }

    #[test]
    fn per_profile_variable_wins_over_global_and_keyring() {
        let env = env_of(&[
            ("SHOPSYNC_MY_SHOP_SHOPIFY_TOKEN", "per-profile-value\n"),
            ("SHOPSYNC_SHOPIFY_TOKEN", "global-value"),
        ]);
        let (secret, source) =
            resolve_with("my-shop", System::Shopify, &env, &keyring_must_not_be_read).unwrap();
        assert_eq!(secret.expose(), "per-profile-value");
        assert_eq!(
            source,
            CredentialSource::Env("SHOPSYNC_MY_SHOP_SHOPIFY_TOKEN".into())
        );
    }

    #[test]
    fn global_variable_then_keyring() {
        let env = env_of(&[
            ("SHOPSYNC_MY_SHOP_SHOPIFY_TOKEN", "  "),
            ("SHOPSYNC_SHOPIFY_TOKEN", "global-value"),
        ]);
        let (_, source) =
            resolve_with("my-shop", System::Shopify, &env, &keyring_must_not_be_read).unwrap();
        assert_eq!(
            source,
            CredentialSource::Env("SHOPSYNC_SHOPIFY_TOKEN".into())
        );

        let none = env_of(&[]);
        let from_keyring = || Ok(Some(Secret::new("kept-in-keyring".into())));
        let (secret, source) =
            resolve_with("my-shop", System::Shopify, &none, &from_keyring).unwrap();
        assert_eq!(
            (secret.expose(), source),
            ("kept-in-keyring", CredentialSource::Keyring)
        );
    }

    #[test]
    fn nothing_set_names_both_fixes() {
        let none = env_of(&[]);
        let err = resolve_with("acme", System::Hubspot, &none, &|| Ok(None)).unwrap_err();
        assert_eq!(err.exit_code(), crate::error::ExitCode::Usage);
        let text = err.to_string();
        assert!(text.contains("shopsync auth set acme hubspot"), "{text}");
        assert!(text.contains("SHOPSYNC_ACME_HUBSPOT_TOKEN"), "{text}");
    }

    #[test]
    fn unreachable_keyring_names_the_variable() {
        let none = env_of(&[]);
        let down = || Err(KeyringError::Unreachable("no session bus".into()));
        let err = resolve_with("acme", System::Shopify, &none, &down).unwrap_err();
        assert_eq!(err.exit_code(), crate::error::ExitCode::Usage);
        let text = err.to_string();
        assert!(text.contains("no OS keyring is reachable"), "{text}");
        assert!(text.contains("set SHOPSYNC_ACME_SHOPIFY_TOKEN"), "{text}");
    }

    #[test]
    fn timeout_wrapper_gives_up_on_a_hung_call() {
        let started = Instant::now();
        let result = with_timeout(Duration::from_millis(100), || {
            std::thread::sleep(Duration::from_secs(10));
            1
        });
        assert_eq!(result, Err(TimedOut));
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "waited {:?}",
            started.elapsed()
        );
    }

    #[test]
    fn timeout_wrapper_returns_a_quick_answer() {
        assert_eq!(with_timeout(Duration::from_secs(3), || 42), Ok(42));
        let err: Result<Result<(), String>, TimedOut> =
            with_timeout(KEYRING_TIMEOUT, || Err("x".into()));
        assert_eq!(err, Ok(Err("x".to_string())));
    }

    #[test]
    fn store_setting_is_parsed() {
        assert_eq!(StoreChoice::parse(None), Ok(StoreChoice::Os));
        assert_eq!(StoreChoice::parse(Some("")), Ok(StoreChoice::Os));
        assert_eq!(
            StoreChoice::parse(Some("file:/tmp/x")),
            Ok(StoreChoice::File("/tmp/x".into()))
        );
        assert!(matches!(
            StoreChoice::parse(Some("file:")),
            Err(KeyringError::BadSetting(_))
        ));
        assert!(matches!(
            StoreChoice::parse(Some("vault")),
            Err(KeyringError::BadSetting(_))
        ));
    }

    #[test]
    fn store_errors_never_carry_the_secret() {
        let e = classify(keyring_core::Error::BadEncoding(b"shpat_leak\xff".to_vec()));
        assert!(!e.describe().contains("shpat_leak"));
        let e = classify(keyring_core::Error::BadDataFormat(
            b"shpat_leak".to_vec(),
            Box::new(std::io::Error::other("bad")),
        ));
        assert!(!e.describe().contains("shpat_leak"));
    }

    #[test]
    fn file_store_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("creds.json");
        let store = FileStore::open(&path).unwrap();
        let entry = store.build(SERVICE, "acme/shopify", None).unwrap();
        assert!(matches!(
            entry.get_password(),
            Err(keyring_core::Error::NoEntry)
        ));
        entry.set_password("first").unwrap();
        entry.set_password("second").unwrap();
        assert_eq!(entry.get_password().unwrap(), "second");
        // Another store on the same file (another process) sees it.
        let again = FileStore::open(&path)
            .unwrap()
            .build(SERVICE, "acme/shopify", None)
            .unwrap();
        assert_eq!(again.get_password().unwrap(), "second");
        assert_eq!(
            again.get_specifiers(),
            Some((SERVICE.to_string(), "acme/shopify".to_string()))
        );
        let other = store.build(SERVICE, "acme/hubspot", None).unwrap();
        assert!(matches!(
            other.delete_credential(),
            Err(keyring_core::Error::NoEntry)
        ));
        entry.delete_credential().unwrap();
        assert!(matches!(
            entry.get_password(),
            Err(keyring_core::Error::NoEntry)
        ));
        assert!(matches!(
            entry.delete_credential(),
            Err(keyring_core::Error::NoEntry)
        ));
        let mods = HashMap::from([("label", "x")]);
        assert!(store.build(SERVICE, "acme/shopify", Some(&mods)).is_err());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        // No temp files are left behind.
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("creds.json")]);
    }

    #[test]
    fn file_store_rejects_a_broken_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("creds.json");
        std::fs::write(&path, "not json").unwrap();
        let entry = FileStore::open(&path)
            .unwrap()
            .build(SERVICE, "a/shopify", None)
            .unwrap();
        assert!(matches!(
            entry.get_password(),
            Err(keyring_core::Error::BadStoreFormat(_))
        ));
        assert!(FileStore::open(dir.path()).is_err());
    }
}
