//! `shopsync auth status [PROFILE]`: which credentials are set, and where each comes from.
//!
//! One row per profile and system: every profile in the profile file, or only PROFILE (which
//! is reported even when the profile file is missing or does not name it). A token is never
//! shown, not even in part: only whether it is set and its source, the environment variable's
//! name or the keyring.
//!
//! `--json` prints an array of objects with these fields, stable across releases:
//! `profile` (string), `system` (`"shopify"` | `"hubspot"` | `"huddle"` | `"shopify-secret"`:
//! each profile's own systems), `set` (bool), `source`
//! (`"env"` | `"file"` | `"keyring"` | null), `variable` (the environment variable's name when
//! `source` is `"env"`, else null), `file` (the plain-text credentials file's path when `source`
//! is `"file"`; absent otherwise) and `error` (why the keyring could not be read, else null).
//!
//! A keyring that cannot be reached is reported in each row it affects, not as a failure: the
//! command exits 0 whenever it could print the report.

use serde::Serialize;

use crate::cli::AuthStatusArgs;
use crate::commands::Context;
use crate::config::credentials::{self, CredentialSource, KeyringError};
use crate::connectors::system::System;
use crate::error::{CliResult, ExitCode};

#[derive(Debug, Serialize)]
struct Row {
    profile: String,
    #[serde(skip)]
    short_error: Option<&'static str>,
    #[serde(skip)]
    kind: System,
    system: &'static str,
    set: bool,
    source: Option<&'static str>,
    variable: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    error: Option<String>,
}

pub fn exec(ctx: &Context, args: AuthStatusArgs) -> CliResult<ExitCode> {
    // Each profile's own systems (shopify + hubspot, shopify + huddle + the optional app secret,
    // shopify + Tellix's); a profile the file does not name gets shopify + hubspot.
    let target_of = |file: Option<&crate::config::ProfileFile>, name: &str| {
        file.and_then(|f| f.profiles.get(name))
            .and_then(|p| crate::flows::find(p).map(|flow| (flow.credentials)(p)))
            .unwrap_or_else(|| System::ALL.to_vec())
    };
    let profiles: Vec<(String, Vec<System>)> = match args.profile {
        Some(profile) => {
            super::check_profile_name(&profile)?;
            super::warn_if_unknown_profile(ctx, &profile);
            let file = super::load_profile_file(ctx).and_then(Result::ok);
            let systems = target_of(file.as_ref().map(|(f, _)| f), &profile);
            vec![(profile, systems)]
        }
        None => match super::load_profile_file(ctx) {
            Some(loaded) => {
                let (file, path) = loaded?;
                if file.profiles.is_empty() {
                    ctx.printer.warn(format!(
                        "the profile file {} has no profiles yet; name one: `shopsync auth status PROFILE`",
                        path.display()
                    ));
                }
                file.profiles
                    .keys()
                    .map(|name| (name.clone(), target_of(Some(&file), name)))
                    .collect()
            }
            // Let the profile file's own error say where it was looked for and what to do.
            None => {
                crate::config::ProfileFile::load(ctx.global.config.as_deref())?;
                Vec::new()
            }
        },
    };

    let mut rows = Vec::new();
    let mut keyring_error: Option<(KeyringError, String, System)> = None;
    for (profile, systems) in &profiles {
        for &system in systems {
            let row = status_of(profile, system, &mut keyring_error);
            rows.push(row);
        }
    }

    if ctx.global.json {
        ctx.printer.out_json(&rows);
    } else if !rows.is_empty() {
        let mut table = ctx.printer.table();
        table.set_header(["profile", "system", "set", "source", "detail"]);
        for row in &rows {
            let detail = match (&row.variable, &row.error, row.source) {
                (Some(var), _, _) => var.clone(),
                (None, None, Some("file")) => row.file.clone().unwrap_or_default(),
                (None, Some(_), _) => format!(
                    "{} (see the warning)",
                    row.short_error.unwrap_or("keyring error")
                ),
                (None, None, Some("keyring")) => {
                    format!(
                        "service {}, user {}",
                        credentials::SERVICE,
                        credentials::keyring_user(&row.profile, row.kind)
                    )
                }
                _ => String::new(),
            };
            table.add_row([
                row.profile.clone(),
                row.system.to_string(),
                if row.set { "yes" } else { "no" }.to_string(),
                row.source.unwrap_or("-").to_string(),
                detail,
            ]);
        }
        ctx.printer.out(table.to_string());
    }

    if let Some((error, profile, system)) = keyring_error {
        // The same advice the sync commands would give, once, on stderr.
        let advice = error.into_cli("the keyring could not be read", &profile, system);
        ctx.printer.warn(advice.to_string());
    }
    Ok(ExitCode::Success)
}

/// One row; the first keyring error is kept for the closing advice.
fn status_of(
    profile: &str,
    system: System,
    keyring_error: &mut Option<(KeyringError, String, System)>,
) -> Row {
    let mut row = Row {
        profile: profile.to_string(),
        short_error: None,
        kind: system,
        system: system.as_str(),
        set: false,
        source: None,
        variable: None,
        file: None,
        error: None,
    };
    if let Some((name, _secret)) = credentials::from_env(profile, system) {
        row.set = true;
        row.source = Some(CredentialSource::Env(name.clone()).kind());
        row.variable = Some(name);
        return row;
    }
    match credentials::plain_file_get(profile, system) {
        Ok(Some((_secret, path))) => {
            row.set = true;
            row.source = Some(CredentialSource::PlainFile(path.clone()).kind());
            row.file = Some(path.display().to_string());
            return row;
        }
        Ok(None) => {}
        Err(e) => {
            row.error = Some(e.message);
            return row;
        }
    }
    match credentials::keyring_get(profile, system) {
        Ok(Some(_secret)) => {
            row.set = true;
            row.source = Some(CredentialSource::Keyring.kind());
        }
        Ok(None) => {}
        Err(e) => {
            row.error = Some(e.describe());
            row.short_error = Some(e.short());
            if keyring_error.is_none() {
                *keyring_error = Some((e, profile.to_string(), system));
            }
        }
    }
    row
}
