//! `shopsync setup [--profile NAME]`: an interactive wizard that writes one profile.
//!
//! It asks for the flow, the profile name, each setting (with its default and a one-line
//! explanation) and each token (hidden prompt); tests the connections with the same checks as
//! `shopsync doctor`; and only then writes the profile into the profile file and the tokens into
//! the keyring (the same store as `shopsync auth set`). The flows and their questions come from
//! the connector registry (`connectors::registry::WIZARD_FLOWS`); each connector declares its own in
//! its `setup.rs`. The profile file is edited, not
//! regenerated: other profiles, comments and formatting stay as they were. It ends by printing
//! the commands to run next, a dry run first.
//!
//! It runs only on a terminal. Without one (cron, CI, piped input) it refuses, pointing at
//! `profiles.example.toml` and the environment variables.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use dialoguer::{Confirm, Input, Password, Select};
use toml_edit::{value, DocumentMut, Item, Table};

use crate::cli::SetupArgs;
use crate::commands::doctor;
use crate::commands::Context;
use crate::config::credentials::{self, Secret, StoreChoice};
use crate::config::ProfileFile;
use crate::connectors::questions::{Ask, Setting};
use crate::connectors::registry::{WizardFlow, WIZARD_FLOWS};
use crate::connectors::system::System;
use crate::error::{CliError, CliResult, ExitCode};
use crate::health::{Check, Status};

const HEADER: &str = "\
# shopsync profiles: one [profiles.NAME] table per connection.
# Every key is explained in profiles.example.toml. Secrets never go in this file: they are in
# the OS keyring (`shopsync auth set`) or in environment variables.
";

pub async fn exec(ctx: &Context, args: crate::cli::SetupArgs) -> CliResult<ExitCode> {
    let SetupArgs { profile } = args;
    // A name given with --profile is checked first, and not asked again.
    if let Some(given) = &profile {
        check_name(given).map_err(|why| CliError::config(format!("--profile `{given}`: {why}")))?;
    }
    let path = match &ctx.global.config {
        Some(p) => p.clone(),
        None => ProfileFile::default_path().ok_or_else(|| {
            CliError::config("cannot find the OS config directory for the profile file")
                .hint("pass the file with --config PATH or SHOPSYNC_CONFIG")
        })?,
    };
    if !ctx.printer.can_prompt() || ctx.global.json {
        return Err(CliError::config(
            "`shopsync setup` asks questions and needs a terminal (this is cron, CI, piped input or --json)",
        )
        .hint(format!(
            "write the profile by hand instead: copy profiles.example.toml to {} and edit it; \
             give the tokens as SHOPSYNC_<PROFILE>_SHOPIFY_TOKEN and SHOPSYNC_<PROFILE>_HUBSPOT_TOKEN, \
             or store them with `printf %s \"$TOKEN\" | shopsync auth set PROFILE shopify --stdin`; \
             then check it all with `shopsync doctor`",
            path.display()
        )));
    }
    // A bad SHOPSYNC_CREDENTIAL_STORE is reported before any question.
    let store = StoreChoice::from_env().map_err(|e| {
        e.into_cli(
            "cannot store tokens",
            profile.as_deref().unwrap_or("PROFILE"),
            System::Shopify,
        )
    })?;

    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(CliError::config(format!(
                "cannot read the profile file {}: {e}",
                path.display()
            )))
        }
    };
    let mut doc: DocumentMut = text.parse().map_err(|e| {
        CliError::config(format!(
            "the profile file {} is not valid TOML: {e}",
            path.display()
        ))
        .hint("fix it by hand first (setup edits it and keeps everything else)")
    })?;

    let term = |e: dialoguer::Error| CliError::run(format!("the terminal failed: {e}"));
    eprintln!("This writes one profile to {}.", path.display());
    eprintln!("Press Enter to take the value in brackets. Ctrl-C stops without saving anything.\n");

    // The credential store is tried before the first question, so a machine without one (a
    // headless server) gets its choices now, not after every answer.
    let home = match credentials::keyring_get(
        profile.as_deref().unwrap_or("default"),
        System::Shopify,
    ) {
        Ok(_) => TokenHome::Store(store),
        Err(e) => {
            eprintln!("The tokens cannot be stored here: {}.", e.describe());
            let file = credentials::plain_file_path()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "credentials.json".into());
            let plain = format!(
                "A plain-text file, {file} (mode 0600: readable by your user, and by anyone who can act as you)"
            );
            let choice = Select::new()
                .with_prompt("Where should the tokens go?")
                .items(&[
                    "Environment variables: the tokens are only tested now, and I print what to set",
                    plain.as_str(),
                    "Nowhere: stop here",
                ])
                .default(0)
                .interact()
                .map_err(term)?;
            match choice {
                0 => TokenHome::Environment,
                1 => TokenHome::PlainFile,
                _ => {
                    return Err(e.into_cli(
                        "setup stopped: the tokens cannot be stored",
                        profile.as_deref().unwrap_or("PROFILE"),
                        System::Shopify,
                    ))
                }
            }
        }
    };

    let titles: Vec<&str> = WIZARD_FLOWS.iter().map(|f| f.title).collect();
    let flow = &WIZARD_FLOWS[Select::new()
        .with_prompt("Flow (source -> target)")
        .items(&titles)
        .default(0)
        .interact()
        .map_err(term)?];

    let name: String = match profile {
        Some(given) => {
            eprintln!("Profile: {given}");
            given
        }
        None => {
            eprintln!(
                "\nThe profile name is what you pass as --profile; letters, digits, '-' and '_'."
            );
            Input::new()
                .with_prompt("Profile name")
                .default("default".to_string())
                .validate_with(|s: &String| check_name(s))
                .interact_text()
                .map_err(term)?
        }
    };

    let existing = doc
        .get("profiles")
        .and_then(|p| p.get(&name))
        .is_some_and(|p| p.is_table_like());
    if existing {
        let edit = Confirm::new()
            .with_prompt(format!(
                "The profile `{name}` already exists in {}. Edit it?",
                path.display()
            ))
            .default(true)
            .interact()
            .map_err(term)?;
        if !edit {
            eprintln!("Nothing changed.");
            return Ok(ExitCode::Success);
        }
    }
    let current = |table: &str, key: &str| -> Option<String> {
        doc.get("profiles")?
            .get(&name)?
            .get(table)?
            .get(key)?
            .as_str()
            .map(str::to_string)
    };

    // The registry's questions for this flow, each checked where it is given.
    let mut answers: Vec<(&Setting, String)> = Vec::new();
    let mut tokens: Vec<(System, Token)> = Vec::new();
    for ask in flow.asks {
        match ask {
            Ask::Setting(setting) => {
                eprintln!("\n{}", setting.help);
                let had = current(setting.table, setting.key);
                let check = setting.check;
                let required = setting.required;
                let mut input = Input::<String>::new()
                    .with_prompt(setting.prompt)
                    .allow_empty(!required)
                    .validate_with(move |s: &String| {
                        if !required && s.trim().is_empty() {
                            Ok(())
                        } else {
                            check(s).map(|_| ())
                        }
                    });
                match had.as_deref().or(setting.default) {
                    Some(default) => input = input.default(default.to_string()),
                    None if !required => input = input.default(String::new()).show_default(false),
                    None => {}
                }
                let typed = input.interact_text().map_err(term)?;
                let value = if !required && typed.trim().is_empty() {
                    String::new()
                } else {
                    check(&typed).map_err(CliError::config)?
                };
                answers.push((setting, value));
            }
            Ask::Credential { system, what } => {
                eprintln!();
                tokens.push((*system, ask_token(&name, *system, what)?));
            }
        }
    }

    // The profile as it will be written.
    set_profile(&mut doc, &name, flow, &answers);
    let parsed = ProfileFile::parse(&doc.to_string())
        .map_err(|e| CliError::run(format!("setup built a profile file that is not valid: {e}")))?;
    let profile = parsed.profile(&name, &path)?;

    eprintln!("\nTesting the connections ...");
    let mut checks: Vec<Check> = Vec::new();
    let mut secrets = HashMap::new();
    for (system, token) in &tokens {
        secrets.insert(*system, token.secret(&name, *system)?);
    }
    doctor::connections(&profile, &secrets, &mut checks).await;
    let mut failed = false;
    for c in &checks {
        match c.status {
            Status::Ok => eprintln!("  ok       {}: {}", c.check, c.message),
            Status::Skipped => {}
            Status::Warning | Status::Error => {
                // A token of another shop is as wrong as a refused one: the profile would sync
                // the wrong shop.
                failed |= c.status == Status::Error || c.check == "shopify.token";
                eprintln!("  {:<7}  {}: {}", c.status.label(), c.check, c.message);
                if let Some(fix) = &c.fix {
                    eprintln!("           fix: {fix}");
                }
            }
        }
    }
    if failed {
        let save = Confirm::new()
            .with_prompt("A connection test failed. Save the profile and tokens anyway?")
            .default(false)
            .interact()
            .map_err(term)?;
        if !save {
            return Err(CliError::run(
                "setup stopped: a connection test failed; nothing was saved",
            )
            .hint("fix what is named above and run `shopsync setup` again"));
        }
    }

    // The tokens first: a store that fails leaves no profile without its tokens.
    if let TokenHome::Store(store) = &home {
        for (system, token) in &tokens {
            let system = *system;
            if let Token::New(secret) = token {
                credentials::keyring_set(&name, system, secret).map_err(|e| {
                    e.into_cli(
                        &format!("cannot store the {system} token for profile `{name}`"),
                        &name,
                        system,
                    )
                })?;
                eprintln!("Stored the {system} token in {}.", store.describe());
            }
        }
    }
    if let TokenHome::PlainFile = &home {
        for (system, token) in &tokens {
            if let Token::New(secret) = token {
                let path = credentials::plain_file_set(&name, *system, secret)?;
                eprintln!(
                    "Stored the {system} token in the plain-text file {} (mode 0600).",
                    path.display()
                );
            }
        }
    }
    write_file(&path, &doc)?;
    eprintln!("\nWrote [profiles.{name}] to {}.", path.display());
    if let TokenHome::Environment = home {
        let vars: Vec<String> = tokens
            .iter()
            .map(|(system, _)| credentials::env_var_names(&name, *system)[0].clone())
            .collect();
        eprintln!("\nThe tokens are not stored: set them where shopsync runs. In a shell:");
        for (var, (system, _)) in vars.iter().zip(&tokens) {
            ctx.printer
                .out(format!("export {var}='<the {system} token>'"));
        }
        eprintln!("In a systemd unit's [Service] section (or an EnvironmentFile, mode 0600):");
        for (var, (system, _)) in vars.iter().zip(&tokens) {
            ctx.printer
                .out(format!("Environment={var}=<the {system} token>"));
        }
    }
    if !flow.more.is_empty() {
        eprintln!("\nNot asked here: {}.", flow.more.replace("NAME", &name));
    }
    eprintln!("\nNext:");
    ctx.printer.out(format!("shopsync doctor --profile {name}"));
    ctx.printer
        .out(format!("shopsync initial-sync --profile {name} --dry-run"));
    ctx.printer
        .out(format!("shopsync initial-sync --profile {name}"));
    Ok(ExitCode::Success)
}

/// Where the wizard puts the tokens.
enum TokenHome {
    /// The OS keyring (or the test credential file), as `auth set` does.
    Store(StoreChoice),
    /// Nowhere: the machine has no store; the user sets environment variables.
    Environment,
    /// The plain-text credentials file, chosen because the machine has no keyring.
    PlainFile,
}

enum Token {
    /// Typed in now: stored after the tests pass.
    New(Secret),
    /// Kept as it is (environment or keyring).
    Kept,
}

impl Token {
    fn secret(&self, profile: &str, system: System) -> CliResult<Option<Secret>> {
        match self {
            Token::New(s) => Ok(Some(s.clone())),
            Token::Kept => Ok(credentials::resolve(profile, system).ok().map(|(s, _)| s)),
        }
    }
}

fn ask_token(profile: &str, system: System, what: &str) -> CliResult<Token> {
    let term = |e: dialoguer::Error| CliError::run(format!("the terminal failed: {e}"));
    let have = credentials::from_env(profile, system)
        .map(|(var, _)| format!("from {var}"))
        .or_else(|| {
            credentials::plain_file_get(profile, system)
                .ok()
                .flatten()
                .map(|(_, path)| format!("in {}", path.display()))
        })
        .or_else(|| {
            matches!(credentials::keyring_get(profile, system), Ok(Some(_)))
                .then(|| "in the keyring".to_string())
        });
    eprintln!("{system} token: {what}.");
    let prompt = match &have {
        Some(source) => {
            format!("{system} token (hidden; Enter keeps the one {source})")
        }
        None => format!("{system} token (hidden)"),
    };
    loop {
        let typed = Password::new()
            .with_prompt(&prompt)
            .allow_empty_password(true)
            .interact()
            .map_err(term)?;
        let typed = typed.trim().to_string();
        if typed.is_empty() {
            if have.is_some() {
                return Ok(Token::Kept);
            }
            eprintln!("A token is needed (or press Ctrl-C and set it in the environment).");
            continue;
        }
        return Ok(Token::New(Secret::new(typed)));
    }
}

fn check_name(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("the name is empty".into());
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(format!(
            "`{c}` is not allowed; use letters, digits, '-' and '_'"
        ));
    }
    Ok(())
}

/// Sets the profile's keys in `doc`, leaving every other key, table and comment alone. An
/// empty answer removes its key (the default applies), and so does a default left as it is.
fn set_profile(
    doc: &mut DocumentMut,
    name: &str,
    flow: &WizardFlow,
    answers: &[(&Setting, String)],
) {
    if doc.as_table().is_empty() && doc.to_string().trim().is_empty() {
        doc.decor_mut().set_prefix(HEADER);
    }
    let profiles = doc
        .entry("profiles")
        .or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        })
        .as_table_mut();
    let Some(profiles) = profiles else { return };
    let profile = profiles
        .entry(name)
        .or_insert_with(|| Item::Table(Table::new()))
        .as_table_mut();
    let Some(profile) = profile else { return };
    profile["source"] = value(flow.source);
    profile["target"] = value(flow.target);
    for (table, key, fixed) in flow.fixed {
        table_in(profile, table)[*key] = value(*fixed);
    }
    for (setting, answer) in answers {
        let table = table_in(profile, setting.table);
        let is_default = setting.default == Some(answer.as_str());
        if is_default && !table.contains_key(setting.key) {
            // The default; not written.
            continue;
        }
        set_or_remove(table, setting.key, answer.trim());
    }
}

fn table_in<'a>(parent: &'a mut Table, key: &str) -> &'a mut Table {
    if !parent.get(key).is_some_and(Item::is_table) {
        parent.insert(key, Item::Table(Table::new()));
    }
    parent[key].as_table_mut().expect("just made a table")
}

fn set_or_remove(table: &mut Table, key: &str, v: &str) {
    if v.is_empty() {
        table.remove(key);
    } else {
        table[key] = value(v);
    }
}

/// Writes the profile file atomically, making its directory if needed.
fn write_file(path: &Path, doc: &DocumentMut) -> CliResult<()> {
    let fail = |e: std::io::Error| {
        CliError::run(format!(
            "cannot write the profile file {}: {e}",
            path.display()
        ))
    };
    let dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&dir).map_err(fail)?;
    crate::atomic_file::write(
        path,
        doc.to_string().as_bytes(),
        crate::atomic_file::Access::Default,
    )
    .map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Shopify -> HubSpot flow's answers: shop, shopify base_url, hubspot base_url, pipeline.
    fn hubspot_answers(
        shop: &str,
        hubspot_base: &str,
        pipeline: &str,
    ) -> Vec<(&'static Setting, String)> {
        let flow = &WIZARD_FLOWS[0];
        let settings: Vec<&Setting> = flow
            .asks
            .iter()
            .filter_map(|a| match a {
                Ask::Setting(s) => Some(s),
                Ask::Credential { .. } => None,
            })
            .collect();
        let value = |s: &Setting| match (s.table, s.key) {
            ("shopify", "shop") => shop.to_string(),
            ("hubspot", "base_url") => hubspot_base.to_string(),
            ("hubspot", "pipeline") => pipeline.to_string(),
            _ => String::new(),
        };
        settings.into_iter().map(|s| (s, value(s))).collect()
    }

    #[test]
    fn editing_keeps_other_profiles_and_comments() {
        let text = "# my notes\n[profiles.other]\n# keep me\nsource = \"shopify\"\ntarget = \"hubspot\"\n[profiles.other.shopify]\nshop = \"other.myshopify.com\" # inline\n";
        let mut doc: DocumentMut = text.parse().unwrap();
        let flow = &WIZARD_FLOWS[0];
        set_profile(
            &mut doc,
            "new",
            flow,
            &hubspot_answers("new.myshopify.com", "http://127.0.0.1:9", "Ecommerce"),
        );
        let out = doc.to_string();
        assert!(out.starts_with(text), "{out}");
        assert!(
            !out.contains("Ecommerce"),
            "the default is not written: {out}"
        );
        let file = ProfileFile::parse(&out).unwrap();
        let p = file.profile("new", Path::new("x")).unwrap();
        assert_eq!(
            p.table::<crate::connectors::hubspot::settings::HubSpotSettings>()
                .api_base_url(),
            "http://127.0.0.1:9"
        );
        assert!(file.profiles.contains_key("other"));
        // Editing again changes values in place.
        set_profile(
            &mut doc,
            "other",
            flow,
            &hubspot_answers("renamed.myshopify.com", "", "Web"),
        );
        let out = doc.to_string();
        assert!(out.contains("# keep me"), "{out}");
        assert!(out.contains("shop = \"renamed.myshopify.com\""), "{out}");
        assert!(out.contains("pipeline = \"Web\""), "{out}");
    }

    #[test]
    fn every_flow_writes_a_valid_profile() {
        for flow in WIZARD_FLOWS {
            let answers: Vec<(&Setting, String)> = flow
                .asks
                .iter()
                .filter_map(|a| match a {
                    Ask::Setting(s) => Some(s),
                    Ask::Credential { .. } => None,
                })
                .map(|s| {
                    let typed = match (s.table, s.key) {
                        ("shopify", "shop") => "acme",
                        ("huddle", "domain") => "https://leden.example.nl/",
                        ("backoffice", "catalogue") => "/srv/export/catalogue.csv",
                        ("shopware", "base_url") => "https://winkel.example.nl/api",
                        ("shopware", "key") => "attribute.relationNumber",
                        _ => "",
                    };
                    let value = if typed.is_empty() && !s.required {
                        String::new()
                    } else {
                        (s.check)(typed).unwrap()
                    };
                    (s, value)
                })
                .collect();
            let mut doc = DocumentMut::new();
            set_profile(&mut doc, "acme", flow, &answers);
            let out = doc.to_string();
            let file =
                ProfileFile::parse(&out).unwrap_or_else(|e| panic!("{}: {e}\n{out}", flow.title));
            let p = file
                .profile("acme", Path::new("x"))
                .unwrap_or_else(|e| panic!("{}: {}\n{out}", flow.title, e.message));
            assert_eq!(p.target.as_str(), flow.target, "{}", flow.title);
            if let Some(sw) =
                p.settings::<crate::connectors::shopware::settings::ShopwareSettings>()
            {
                assert_eq!(sw.base_url, "https://winkel.example.nl");
                assert_eq!(sw.key, "attribute.relationNumber");
            }
            if flow.source == "shopify" {
                assert_eq!(
                    p.table::<crate::connectors::shopify::settings::ShopifySettings>()
                        .shop_domain(),
                    "acme.myshopify.com"
                );
            }
        }
    }

    #[test]
    fn a_new_file_gets_a_header() {
        let mut doc = DocumentMut::new();
        set_profile(
            &mut doc,
            "acme",
            &WIZARD_FLOWS[0],
            &hubspot_answers("acme.myshopify.com", "", "Ecommerce"),
        );
        let out = doc.to_string();
        assert!(out.starts_with("# shopsync profiles"), "{out}");
        assert!(!out.contains("[profiles]\n"), "{out}");
        ProfileFile::parse(&out)
            .unwrap()
            .profile("acme", Path::new("x"))
            .unwrap();
    }
}
