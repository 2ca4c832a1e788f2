//! `shopsync doctor [--profile NAME]`: check what a user gets wrong, and say how to fix it.
//!
//! Checks, in order: the profile file (found, valid), the keyring (reachable), and for each
//! profile: its settings, each credential (present, and where from: the environment variable's
//! name or the keyring; never its value), each host (reachable), each token (accepted), the API
//! version (served), the access scopes (granted), and the state store (readable, schema
//! current). A check that cannot run because an earlier one failed is reported as `skipped`.
//!
//! One line per check on stdout: `ok`, `warning`, `error` or `skipped`, the check's name, what
//! was found, and for anything not ok the fix on the next line. `--json` prints one object with
//! these fields, stable across releases:
//!
//! - `config`: the profile file's path (string, or null when no path could be found);
//! - `checks`: an array of `{ "profile": string|null, "check": string, "status":
//!   "ok"|"warning"|"error"|"skipped", "message": string, "fix": string|null }`; `check` is one
//!   of `config`, `keyring`, `profile`, `shopify.credential`, `hubspot.credential`,
//!   `shopify.host`, `shopify.token`, `shopify.api_version`, `shopify.scopes`, `hubspot.host`,
//!   `hubspot.token`, `hubspot.api_version`, `hubspot.scopes`, `state`; for a back-office
//!   profile also `tellix-username.credential` (and `-password`, `-apikey`), `tellix.login`,
//!   `tellix.departments`, or `files.catalogue`, `files.customers_file`, `files.stock_file`;
//!   for a Huddle profile `huddle.credential`, `shopify-secret.credential` and `huddle.host`
//!   instead of the `hubspot.*` checks (each profile gets the checks of its own systems); for
//!   a Shopware -> Spotler profile `shopware-user.credential`, `shopware-key.credential`,
//!   `spotler-key.credential`, `spotler-secret.credential`, `shopware.api`, `spotler.api` and
//!   `fields` (the field map against both catalogues) instead of every `shopify.*`/`hubspot.*`;
//! - `errors`, `warnings`: counts.
//!
//! Exit code: 0 when no check is an error (warnings allowed), 1 when any check is.

mod local;

use std::collections::HashMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::cli::DoctorArgs;
use crate::commands::Context;
use crate::config::credentials::Secret;
use crate::config::{Profile, ProfileFile};
use crate::connectors::system::System;
use crate::error::{CliResult, ExitCode};
use crate::health::{Check, Status};
use crate::ui::Tone;

#[derive(Debug, Serialize)]
struct Report {
    config: Option<PathBuf>,
    checks: Vec<Check>,
    errors: usize,
    warnings: usize,
}

pub async fn exec(ctx: &Context, args: DoctorArgs) -> CliResult<ExitCode> {
    let mut checks = Vec::new();
    let path = ctx.global.config.clone().or_else(ProfileFile::default_path);
    let (file, path) = local::config(path, &mut checks);
    let probe_profile = args
        .profile
        .clone()
        .or_else(|| {
            file.as_ref()
                .and_then(|f| f.profiles.keys().next().cloned())
        })
        .unwrap_or_else(|| "default".to_string());
    let keyring = local::keyring(&probe_profile, &mut checks);

    if let (Some(file), Some(path)) = (&file, &path) {
        let names: Vec<String> = match &args.profile {
            Some(name) => vec![name.clone()],
            None => file.profiles.keys().cloned().collect(),
        };
        if names.is_empty() {
            checks.push(
                Check::warning(
                    None,
                    "profile",
                    format!("{} has no profiles yet", path.display()),
                )
                .fix("add a [profiles.NAME] table (see profiles.example.toml), or run `shopsync setup`"),
            );
        }
        for name in names {
            ctx.printer.detail(format!("checking profile `{name}`"));
            let profile = match file.profile(&name, path) {
                Ok(p) => {
                    checks.push(Check::ok(
                        Some(&name),
                        "profile",
                        format!(
                            "[profiles.{name}] is complete ({} -> {})",
                            p.source, p.target
                        ),
                    ));
                    for (table, url) in p.cleartext_urls() {
                        checks.push(
                            Check::warning(
                                Some(&name),
                                "insecure_http",
                                format!(
                                    "[profiles.{name}.{table}] base_url {url} is plain http:// to \
                                     another machine: its credentials cross the network unencrypted \
                                     (allowed by allow_insecure_http = true)"
                                ),
                            )
                            .fix("use https://, then remove allow_insecure_http"),
                        );
                    }
                    p
                }
                Err(e) => {
                    let mut check = Check::error(Some(&name), "profile", e.message.clone());
                    check.fix = e.hint.clone();
                    checks.push(check);
                    continue;
                }
            };
            // The profile's own credentials (its flow knows which), then its connections.
            let secrets: HashMap<System, Option<Secret>> =
                (crate::flows::of(&profile).credentials)(&profile)
                    .into_iter()
                    .map(|system| {
                        let secret = local::credential(&name, system, &keyring, &mut checks);
                        (system, secret)
                    })
                    .collect();
            connections(&profile, &secrets, &mut checks).await;
            local::state(&profile, args.state_dir.as_deref(), &mut checks);
        }
    }

    let errors = checks.iter().filter(|c| c.status == Status::Error).count();
    let warnings = checks
        .iter()
        .filter(|c| c.status == Status::Warning)
        .count();
    let report = Report {
        config: path,
        checks,
        errors,
        warnings,
    };
    if ctx.global.json {
        ctx.printer.out_json(&report);
    } else {
        print_lines(ctx, &report.checks);
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("{n} {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        ctx.printer.status(format!(
            "{}, {}.",
            plural(errors, "error"),
            plural(warnings, "warning")
        ));
    }
    Ok(if errors > 0 {
        ExitCode::Failure
    } else {
        ExitCode::Success
    })
}

/// The checks of a profile's connections (hosts, tokens, versions, scopes), with the
/// credentials given (`None`, or absent: not set). `doctor` and `setup` both run these.
pub async fn connections(
    profile: &Profile,
    secrets: &HashMap<System, Option<Secret>>,
    checks: &mut Vec<Check>,
) {
    (crate::flows::of(profile).check)(profile, secrets, checks).await;
}

fn print_lines(ctx: &Context, checks: &[Check]) {
    let width = checks
        .iter()
        .map(|c| name_of(c).chars().count())
        .max()
        .unwrap_or(0);
    for c in checks {
        let tone = match c.status {
            Status::Ok => Tone::Good,
            Status::Warning => Tone::Warning,
            Status::Error => Tone::Bad,
            Status::Skipped => Tone::Dim,
        };
        ctx.printer.out(format!(
            "{}  {:<width$}  {}",
            ctx.printer.paint(&format!("{:<7}", c.status.label()), tone),
            name_of(c),
            c.message
        ));
        if let Some(fix) = &c.fix {
            ctx.printer
                .out(format!("{:<7}  {:<width$}  fix: {fix}", "", ""));
        }
    }
}

fn name_of(c: &Check) -> String {
    match &c.profile {
        Some(p) => format!("{p}: {}", c.check),
        None => c.check.to_string(),
    }
}
