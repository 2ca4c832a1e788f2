//! The checks that need no network: profile file, keyring, credentials, state store.

use std::path::{Path, PathBuf};

use crate::config::credentials::{self, KeyringError, Secret, StoreChoice};
use crate::config::{Profile, ProfileFile};
use crate::connectors::system::System;
use crate::health::Check;
use crate::state::{StateStore, SCHEMA_VERSION};

/// The profile file: found and valid. Returns it (when valid) and its path.
pub fn config(
    path: Option<PathBuf>,
    checks: &mut Vec<Check>,
) -> (Option<ProfileFile>, Option<PathBuf>) {
    let Some(path) = path else {
        checks.push(
            Check::error(None, "config", "cannot find the OS config directory")
                .fix("pass the profile file with --config PATH or SHOPSYNC_CONFIG"),
        );
        return (None, None);
    };
    if !path.exists() {
        checks.push(
            Check::error(None, "config", format!("the profile file {} does not exist", path.display()))
                .fix("run `shopsync setup`, or copy profiles.example.toml there and edit it, or pass another file with --config PATH"),
        );
        return (None, Some(path));
    }
    match ProfileFile::load(Some(&path)) {
        Ok((file, path)) => {
            checks.push(Check::ok(
                None,
                "config",
                format!(
                    "{} is valid ({} profile{})",
                    path.display(),
                    file.profiles.len(),
                    if file.profiles.len() == 1 { "" } else { "s" }
                ),
            ));
            (Some(file), Some(path))
        }
        Err(e) => {
            let mut check = Check::error(None, "config", e.message.clone());
            check.fix = e.hint.clone();
            checks.push(check);
            (None, Some(path))
        }
    }
}

/// The keyring: reachable. An unreachable keyring is a warning here; the credentials that need
/// it are errors in their own checks.
pub fn keyring(probe_profile: &str, checks: &mut Vec<Check>) -> Result<(), KeyringError> {
    let store = match StoreChoice::from_env() {
        Ok(store) => store,
        Err(e) => {
            let hint = e
                .clone()
                .into_cli("", probe_profile, System::Shopify)
                .hint
                .unwrap_or_default();
            checks.push(Check::error(None, "keyring", e.describe()).fix(hint));
            return Err(e);
        }
    };
    match credentials::keyring_get(probe_profile, System::Shopify) {
        Ok(_) => {
            checks.push(Check::ok(
                None,
                "keyring",
                format!("{} is reachable", store.describe()),
            ));
            Ok(())
        }
        Err(e) => {
            checks.push(Check::warning(None, "keyring", e.describe()).fix(
                "credentials can come from environment variables instead \
                     (SHOPSYNC_<PROFILE>_SHOPIFY_TOKEN, SHOPSYNC_<PROFILE>_HUBSPOT_TOKEN)",
            ));
            Err(e)
        }
    }
}

/// One credential: present, and where from (never its value).
pub fn credential(
    profile: &str,
    system: System,
    keyring: &Result<(), KeyringError>,
    checks: &mut Vec<Check>,
) -> Option<Secret> {
    let name = match system {
        System::Shopify => "shopify.credential",
        System::Hubspot => "hubspot.credential",
        System::Huddle => "huddle.credential",
        System::ShopifySecret => "shopify-secret.credential",
        System::TellixUsername => "tellix-username.credential",
        System::TellixPassword => "tellix-password.credential",
        System::TellixApikey => "tellix-apikey.credential",
        System::SpotlerKey => "spotler-key.credential",
        System::SpotlerSecret => "spotler-secret.credential",
        System::ShopwareUser => "shopware-user.credential",
        System::ShopwareKey => "shopware-key.credential",
        System::HeyloyaltyKey => "heyloyalty-key.credential",
        System::HeyloyaltySecret => "heyloyalty-secret.credential",
        System::HeyloyaltyWebhook => "heyloyalty-webhook.credential",
        System::HostedshopUser => "hostedshop-user.credential",
        System::HostedshopPassword => "hostedshop-password.credential",
    };
    let [per_profile, global] = credentials::env_var_names(profile, system);
    if let Some((var, secret)) = credentials::from_env(profile, system) {
        checks.push(Check::ok(
            Some(profile),
            name,
            format!("{system} token set, from the environment variable {var}"),
        ));
        return Some(secret);
    }
    match credentials::plain_file_get(profile, system) {
        Ok(Some((secret, path))) => {
            checks.push(Check::ok(
                Some(profile),
                name,
                format!(
                    "{system} token set, from the plain-text file {}",
                    path.display()
                ),
            ));
            return Some(secret);
        }
        Ok(None) => {}
        Err(e) => {
            checks
                .push(Check::error(Some(profile), name, e.message).fix(e.hint.unwrap_or_default()));
            return None;
        }
    }
    if let Err(e) = keyring {
        // The keyring check above has the store's own words; here only what follows from it.
        let message = format!(
            "no {system} token in the environment, and the keyring cannot be read ({}; see the keyring check)",
            e.short()
        );
        let check = if system.optional() {
            Check::warning(Some(profile), name, message)
        } else {
            Check::error(Some(profile), name, message)
        };
        checks.push(check.fix(format!("set {per_profile} (or {global} for every profile)")));
        return None;
    }
    match credentials::keyring_get(profile, system) {
        Ok(Some(secret)) => {
            checks.push(Check::ok(
                Some(profile),
                name,
                format!(
                    "{system} token set, from the keyring (service {}, user {})",
                    credentials::SERVICE,
                    credentials::keyring_user(profile, system)
                ),
            ));
            Some(secret)
        }
        Ok(None) if system.optional() => {
            checks.push(Check::ok(
                Some(profile),
                name,
                format!(
                    "no {system} credential is set (optional: `webhook replay` then sends \
                     unsigned; set it with `shopsync auth set {profile} {system}` or {per_profile})"
                ),
            ));
            None
        }
        Ok(None) => {
            checks.push(
                Check::error(Some(profile), name, format!("no {system} token is set")).fix(
                    format!(
                        "store one with `shopsync auth set {profile} {system}`, or set \
                         {per_profile} (or {global} for every profile)"
                    ),
                ),
            );
            None
        }
        Err(e) => {
            let advice = e.into_cli(
                &format!("the {system} token cannot be read"),
                profile,
                system,
            );
            checks.push(
                Check::error(Some(profile), name, advice.message)
                    .fix(advice.hint.unwrap_or_default()),
            );
            None
        }
    }
}

/// The state store: readable, and its schema current. Opened read-only: the doctor changes
/// nothing.
pub fn state(profile: &Profile, flag: Option<&Path>, checks: &mut Vec<Check>) {
    let name = profile.name.as_str();
    let dir = match flag
        .map(Path::to_path_buf)
        .or_else(|| profile.state_dir.clone())
        .or_else(StateStore::default_dir)
    {
        Some(dir) => dir,
        None => {
            checks.push(
                Check::error(Some(name), "state", "cannot find the OS data directory").fix(
                    format!("set `state_dir` in [profiles.{name}], or pass --state-dir DIR"),
                ),
            );
            return;
        }
    };
    let file = dir.join(format!("{name}.sqlite"));
    if !file.exists() {
        let writable = nearest_existing(&dir)
            .and_then(|d| std::fs::metadata(d).ok())
            .is_some_and(|m| !m.permissions().readonly());
        if writable {
            checks.push(Check::ok(
                Some(name),
                "state",
                format!(
                    "{} does not exist yet; the first run creates it",
                    file.display()
                ),
            ));
        } else {
            checks.push(
                Check::error(
                    Some(name),
                    "state",
                    format!("{} cannot be created here", dir.display()),
                )
                .fix(format!(
                    "make the directory writable, or choose another with `state_dir` in \
                     [profiles.{name}] or --state-dir DIR"
                )),
            );
        }
        return;
    }
    if let Err(e) = StateStore::check_file(&file) {
        let advice = crate::error::CliError::from(e);
        checks.push(
            Check::error(Some(name), "state", advice.message)
                .fix(advice.hint.unwrap_or_default().replace("NAME", name)),
        );
        return;
    }
    let opened = rusqlite::Connection::open_with_flags(
        &file,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .and_then(|conn| {
        // Reading the schema proves the file is a database, not just that it exists.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })?;
        conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))
    });
    match opened {
        Ok(version) if version == SCHEMA_VERSION => checks.push(Check::ok(
            Some(name),
            "state",
            format!("{} is readable, schema {version} (current)", file.display()),
        )),
        Ok(version) if version < SCHEMA_VERSION => checks.push(
            Check::warning(
                Some(name),
                "state",
                format!(
                    "{} has schema {version}; this shopsync uses {SCHEMA_VERSION}",
                    file.display()
                ),
            )
            .fix("nothing to do: the next run migrates it"),
        ),
        Ok(version) => checks.push(
            Check::error(
                Some(name),
                "state",
                format!(
                    "{} was written by a newer shopsync (schema {version}, this one knows {SCHEMA_VERSION})",
                    file.display()
                ),
            )
            .fix("upgrade shopsync to the version that wrote it"),
        ),
        Err(e) => checks.push(
            Check::error(
                Some(name),
                "state",
                format!("{} cannot be read: {e}", file.display()),
            )
            .fix(format!(
                "check the file's permissions; if it is damaged, move it away (the next run reads \
                 everything again and re-links records by their keys), or choose another \
                 `state_dir` in [profiles.{name}]"
            )),
        ),
    }
}

fn nearest_existing(dir: &Path) -> Option<&Path> {
    let mut d = Some(dir);
    while let Some(p) = d {
        if p.exists() {
            return Some(p);
        }
        d = p.parent();
    }
    None
}
