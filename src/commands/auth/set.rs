//! `shopsync auth set PROFILE SYSTEM [--stdin]`: store a token in the OS keyring.
//!
//! The token is read from a hidden prompt on a terminal, or from standard input with `--stdin`
//! (`printf %s "$TOKEN" | shopsync auth set acme shopify --stdin`). Surrounding whitespace, such
//! as the trailing newline, is trimmed; an empty token or one that spans several lines is
//! refused. Standard input that is not a terminal is read only with `--stdin`: without it the
//! command fails at once, naming the flag, instead of waiting or guessing what a script meant.
//!
//! The store is checked before the token is asked for: a machine without a keyring fails at
//! once, naming `--insecure-storage` (a plain-text file, mode 0600, only when chosen) and the
//! environment variables.
//!
//! The token's shape is checked loosely (Shopify Admin API tokens usually start `shpat_`,
//! HubSpot private app tokens `pat-`), with a warning only: other kinds of keys exist.

use std::io::{IsTerminal, Read};

use crate::cli::AuthSetArgs;
use crate::commands::Context;
use crate::config::credentials::{self, Secret, StoreChoice};
use crate::connectors::system::System;
use crate::error::{CliError, CliResult, ExitCode};

/// Longer input than this is not a token.
const MAX_TOKEN_BYTES: u64 = 64 * 1024;

pub fn exec(ctx: &Context, args: AuthSetArgs) -> CliResult<ExitCode> {
    let AuthSetArgs {
        profile,
        system,
        stdin,
        insecure_storage,
    } = args;
    super::check_profile_name(&profile)?;
    super::warn_if_unknown_profile(ctx, &profile);
    // A bad SHOPSYNC_CREDENTIAL_STORE is reported before the user types a token.
    let store = StoreChoice::from_env().map_err(|e| {
        e.into_cli(
            &format!("cannot store the {system} token for profile `{profile}`"),
            &profile,
            system,
        )
    })?;

    let action = format!("cannot store the {system} token for profile `{profile}`");
    if !insecure_storage {
        // Asked before the token is typed, so a machine without a keyring says so first.
        if let Err(e) = credentials::keyring_get(&profile, system) {
            let mut error = e.into_cli(&action, &profile, system);
            error.message.push_str("; nothing was stored");
            let hint = error.hint.take().unwrap_or_default();
            return Err(error.hint(format!(
                "{hint}; or store it in a plain-text file (mode 0600) with \
                 `shopsync auth set {profile} {system} --insecure-storage`"
            )));
        }
    }

    let token = read_token(ctx, &profile, system, stdin)?;
    for warning in shape_warnings(system, token.expose()) {
        ctx.printer.warn(warning);
    }

    if insecure_storage {
        let path = credentials::plain_file_set(&profile, system, &token)?;
        ctx.printer.status(format!(
            "Stored the {system} token for profile `{profile}` in the plain-text file {} \
             (mode 0600: only your user can read it, and anyone who can act as you).",
            path.display()
        ));
    } else {
        credentials::keyring_set(&profile, system, &token)
            .map_err(|e| e.into_cli(&action, &profile, system))?;
        ctx.printer.status(format!(
            "Stored the {system} token for profile `{profile}` in {}.",
            store.describe()
        ));
    }

    let [per_profile, global] = credentials::env_var_names(&profile, system);
    for name in [per_profile, global] {
        if std::env::var(&name).is_ok_and(|v| !v.trim().is_empty()) {
            ctx.printer.warn(format!(
                "{name} is set in this environment and takes precedence over the stored token; \
                 unset it to use the keyring"
            ));
            break;
        }
    }
    Ok(ExitCode::Success)
}

fn read_token(ctx: &Context, profile: &str, system: System, stdin: bool) -> CliResult<Secret> {
    let stdin_is_terminal = std::io::stdin().is_terminal();
    let raw = if !stdin_is_terminal && stdin {
        read_stdin()?
    } else if !stdin_is_terminal {
        return Err(CliError::config(
            "standard input is not a terminal, so there is no prompt to type the token at, \
             and --stdin was not given; nothing was stored",
        )
        .hint(format!(
            "to read the token from standard input, pass --stdin: \
             `printf %s \"$TOKEN\" | shopsync auth set {profile} {system} --stdin`"
        )));
    } else if ctx.printer.can_prompt() {
        // `--stdin` on a terminal means the user types the token: hide it all the same.
        if stdin {
            ctx.printer
                .detail("standard input is a terminal: reading the token with a hidden prompt");
        }
        dialoguer::Password::new()
            .with_prompt(format!("{system} token for profile `{profile}`"))
            .allow_empty_password(true)
            .interact()
            .map_err(|e| {
                CliError::run(format!("could not read the token from the terminal: {e}"))
            })?
    } else {
        return Err(CliError::config("no terminal to ask for the token on, and nothing piped in")
            .hint(format!(
                "pipe the token in: `printf %s \"$TOKEN\" | shopsync auth set {profile} {system} --stdin`"
            )));
    };
    clean_token(raw, profile, system)
}

fn read_stdin() -> CliResult<String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_TOKEN_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::run(format!("could not read the token from standard input: {e}")))?;
    if bytes.len() as u64 > MAX_TOKEN_BYTES {
        return Err(CliError::config(format!(
            "standard input holds more than {} KiB: that is not a token; nothing was stored",
            MAX_TOKEN_BYTES / 1024
        )));
    }
    String::from_utf8(bytes).map_err(|_| {
        CliError::config("the token on standard input is not UTF-8 text; nothing was stored")
    })
}

/// Trims the input and refuses what cannot be a token.
fn clean_token(raw: String, profile: &str, system: System) -> CliResult<Secret> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(
            CliError::config("the token is empty; nothing was stored").hint(format!(
                "pass the token on standard input or type it at the prompt: \
             `printf %s \"$TOKEN\" | shopsync auth set {profile} {system} --stdin`"
            )),
        );
    }
    if trimmed.contains(['\n', '\r']) {
        return Err(CliError::config(
            "the token spans several lines; a token is one line; nothing was stored",
        )
        .hint("pipe in the token alone, e.g. `printf %s \"$TOKEN\"`"));
    }
    Ok(Secret::new(trimmed.to_string()))
}

/// Warnings about a token that does not look like the usual kind for `system`. Never quotes
/// the token.
fn shape_warnings(system: System, token: &str) -> Vec<String> {
    let mut warnings = Vec::new();
    let looks_shopify = ["shpat_", "shpca_", "shppa_", "shpss_"]
        .iter()
        .any(|p| token.starts_with(p));
    let looks_hubspot = token.starts_with("pat-");
    match system {
        System::Shopify => {
            if token.starts_with("shpss_") {
                warnings.push(
                    "this looks like a Shopify API secret key (shpss_), not an Admin API access \
                     token (shpat_); it is stored anyway"
                        .to_string(),
                );
            } else if looks_hubspot {
                warnings.push(
                    "this looks like a HubSpot token (pat-), but it is stored for shopify"
                        .to_string(),
                );
            } else if !looks_shopify {
                warnings.push(
                    "Shopify Admin API access tokens usually start with `shpat_`; this one does \
                     not (stored anyway)"
                        .to_string(),
                );
            }
        }
        System::Huddle
        | System::TellixUsername
        | System::TellixPassword
        | System::TellixApikey
        | System::SpotlerKey
        | System::SpotlerSecret
        | System::ShopwareUser
        | System::ShopwareKey
        | System::HeyloyaltyKey
        | System::HeyloyaltySecret
        | System::HeyloyaltyWebhook
        | System::HostedshopUser
        | System::HostedshopPassword => {}
        System::ShopifySecret => {
            if token.starts_with("shpat_") {
                warnings.push(
                    "this looks like an Admin API access token (shpat_), not the app's client \
                     secret; it is stored anyway"
                        .to_string(),
                );
            }
        }
        System::Hubspot => {
            if looks_shopify {
                warnings.push(
                    "this looks like a Shopify token (shp…_), but it is stored for hubspot"
                        .to_string(),
                );
            } else if !looks_hubspot {
                warnings.push(
                    "HubSpot private app tokens usually start with `pat-`; this one does not \
                     (stored anyway)"
                        .to_string(),
                );
            }
        }
    }
    let length = token.chars().count();
    if length < 20 && system != System::ShopwareUser {
        let unit = if length == 1 {
            "character"
        } else {
            "characters"
        };
        warnings.push(format!(
            "the token is only {length} {unit} long; API tokens are usually longer"
        ));
    }
    if token.chars().any(char::is_whitespace) {
        warnings.push("the token contains a space; API tokens usually do not".to_string());
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_trimmed_and_checked() {
        let s = clean_token("shpat_abc\n".into(), "acme", System::Shopify).unwrap();
        assert_eq!(s.expose(), "shpat_abc");
        let s = clean_token("  pat-na1-x\r\n".into(), "acme", System::Hubspot).unwrap();
        assert_eq!(s.expose(), "pat-na1-x");
        assert!(clean_token("\n".into(), "acme", System::Shopify).is_err());
        assert!(clean_token("".into(), "acme", System::Shopify).is_err());
        assert!(clean_token("a\nb\n".into(), "acme", System::Shopify).is_err());
    }

    #[test]
    fn shapes_warn_but_never_quote_the_token() {
        let good = "shpat_0123456789abcdef0123456789abcdef";
        assert!(shape_warnings(System::Shopify, good).is_empty());
        assert!(shape_warnings(
            System::Hubspot,
            "pat-na1-11111111-2222-3333-4444-555555555555"
        )
        .is_empty());
        let odd = "service-key-0123456789abcdef";
        let warnings = shape_warnings(System::Shopify, odd);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(!warnings[0].contains(odd));
        assert_eq!(shape_warnings(System::Hubspot, good).len(), 1);
        assert!(
            shape_warnings(System::Shopify, "shpss_0123456789abcdef01234")[0]
                .contains("secret key")
        );
        assert_eq!(shape_warnings(System::Shopify, "shpat_x").len(), 1);
    }
}
