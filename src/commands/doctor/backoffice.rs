//! Doctor checks of a back-office profile's `[backoffice]` side: Tellix (the three credentials,
//! a login, the departments named in the profile) or files (the catalogue readable, the
//! directories of the written files writable).

use std::path::Path;

use super::{local, Check};
use crate::config::credentials::KeyringError;
use crate::config::profile::{BackOfficeKind, BackOfficeSettings};
use crate::config::Profile;
use crate::connectors::registry::System;
use crate::connectors::tellix::{TellixBackOffice, TellixClient, TellixCredentials};

pub async fn check(profile: &Profile, keyring: &Result<(), KeyringError>, checks: &mut Vec<Check>) {
    let name = Some(profile.name.as_str());
    let Some(s) = profile.backoffice() else {
        return;
    };
    match s.kind {
        BackOfficeKind::Tellix => tellix(profile, s, keyring, checks).await,
        BackOfficeKind::Files => files(name, s, checks),
    }
}

async fn tellix(
    profile: &Profile,
    s: &BackOfficeSettings,
    keyring: &Result<(), KeyringError>,
    checks: &mut Vec<Check>,
) {
    let name = Some(profile.name.as_str());
    let secrets: Vec<_> = System::TELLIX
        .iter()
        .map(|system| local::credential(&profile.name, *system, keyring, checks))
        .collect();
    let [Some(username), Some(password), Some(apikey)] =
        <[_; 3]>::try_from(secrets).unwrap_or([None, None, None])
    else {
        checks.push(Check::skipped(
            name,
            "tellix.login",
            "a Tellix credential is missing",
        ));
        return;
    };
    let base = profile.tellix_base_url();
    let client = TellixClient::new(
        &base,
        TellixCredentials {
            username,
            password,
            apikey,
        },
    );
    let tellix = match TellixBackOffice::connect(client).await {
        Ok(t) => t,
        Err(e) => {
            let e = crate::error::CliError::from(e);
            checks.push(
                Check::error(name, "tellix.login", e.message).fix(e.hint.unwrap_or_default()),
            );
            return;
        }
    };
    let departments = tellix.department_names();
    checks.push(Check::ok(
        name,
        "tellix.login",
        format!("{base}: logged in; departments: {}", departments.join(", ")),
    ));
    let mut named: Vec<(&str, &str)> = s
        .warehouses
        .keys()
        .map(|w| ("warehouses", w.as_str()))
        .collect();
    if let Some(d) = s.price_department.as_deref().filter(|d| *d != "default") {
        named.push(("price_department", d));
    }
    let unknown: Vec<String> = named
        .iter()
        .filter(|(_, d)| tellix.department_id(d).is_none())
        .map(|(key, d)| format!("`{d}` ({key})"))
        .collect();
    if unknown.is_empty() {
        checks.push(Check::ok(
            name,
            "tellix.departments",
            "every department the profile names exists",
        ));
    } else {
        checks.push(
            Check::error(
                name,
                "tellix.departments",
                format!("not Tellix departments: {}", unknown.join(", ")),
            )
            .fix(format!(
                "use a department's name in [profiles.{}.backoffice]; Tellix has: {}",
                profile.name,
                departments.join(", ")
            )),
        );
    }
}

fn files(name: Option<&str>, s: &BackOfficeSettings, checks: &mut Vec<Check>) {
    match &s.catalogue {
        None => checks.push(Check::skipped(
            name,
            "files.catalogue",
            "no `catalogue` set (push-products needs one)",
        )),
        Some(path) => match crate::connectors::files::catalogue::read(path) {
            Ok(c) if c.problems.is_empty() => checks.push(Check::ok(
                name,
                "files.catalogue",
                format!("{}: {} products", path.display(), c.products.len()),
            )),
            Ok(c) => checks.push(
                Check::warning(
                    name,
                    "files.catalogue",
                    format!(
                        "{}: {} products, {} bad rows (first: {})",
                        path.display(),
                        c.products.len(),
                        c.problems.len(),
                        c.problems[0]
                    ),
                )
                .fix("fix the rows named (`shopsync push-products --dry-run` lists them all); the others are pushed"),
            ),
            Err(e) => checks.push(
                Check::error(name, "files.catalogue", e.message).fix(e.hint.unwrap_or_default()),
            ),
        },
    }
    for (key, path) in [
        ("files.customers_file", &s.customers_file),
        ("files.stock_file", &s.stock_file),
    ] {
        let Some(path) = path else { continue };
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => Path::new(".").to_path_buf(),
        };
        let writable = std::fs::metadata(&dir)
            .map(|m| m.is_dir() && !m.permissions().readonly())
            .unwrap_or(false);
        if writable {
            checks.push(Check::ok(
                name,
                key,
                format!("{} can be written", path.display()),
            ));
        } else {
            checks.push(
                Check::error(
                    name,
                    key,
                    format!("{} is not a writable directory", dir.display()),
                )
                .fix("create it, or point the setting at a directory shopsync can write"),
            );
        }
    }
}
