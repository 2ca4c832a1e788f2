//! `shopsync auth`: store, inspect and remove credentials.
//!
//! Tokens live in the OS keyring under service `shopsync`, user `<profile>/<system>` (see
//! `config::credentials`). An environment variable (`SHOPSYNC_<PROFILE>_<SYSTEM>_TOKEN`, then
//! `SHOPSYNC_<SYSTEM>_TOKEN`) always takes precedence over the keyring; these commands say so
//! when one is set. No command here ever prints a token, not even in part.

mod delete;
mod set;
mod status;

use std::path::PathBuf;

use crate::cli::AuthCommand;
use crate::commands::Context;
use crate::config::ProfileFile;
use crate::error::{CliError, CliResult, ExitCode};

pub async fn exec(ctx: &Context, command: AuthCommand) -> CliResult<ExitCode> {
    // The keyring calls block (each on a worker thread with a timeout); this runs on the
    // runtime's main thread, where blocking harms nothing.
    match command {
        AuthCommand::Set(args) => set::exec(ctx, args),
        AuthCommand::Status(args) => status::exec(ctx, args),
        AuthCommand::Delete(args) => delete::exec(ctx, args),
    }
}

/// A profile name must be usable as a keyring user and a variable name.
fn check_profile_name(profile: &str) -> CliResult<()> {
    if profile.trim().is_empty() {
        return Err(CliError::config("the profile name is empty").hint(
            "name the profile as in the profile file, e.g. `shopsync auth set acme shopify`",
        ));
    }
    Ok(())
}

/// The profile file, if there is one: `None` when it does not exist. A file that exists but
/// cannot be read is an error, for the caller to report or pass on.
fn load_profile_file(ctx: &Context) -> Option<CliResult<(ProfileFile, PathBuf)>> {
    let path = match &ctx.global.config {
        Some(p) => p.clone(),
        None => ProfileFile::default_path()?,
    };
    if !path.exists() {
        return None;
    }
    Some(ProfileFile::load(Some(&path)))
}

/// Warns when the profile file exists and has no profile of this name (the credential is kept
/// all the same: the profile may be added later).
fn warn_if_unknown_profile(ctx: &Context, profile: &str) {
    match load_profile_file(ctx) {
        None => {}
        Some(Ok((file, _))) if file.profiles.contains_key(profile) => {}
        Some(Ok((file, path))) => {
            let known: Vec<&str> = file.profiles.keys().map(String::as_str).collect();
            let known = if known.is_empty() {
                "it has no profiles yet".to_string()
            } else {
                format!("its profiles are: {}", known.join(", "))
            };
            ctx.printer.warn(format!(
                "the profile file {} has no profile `{profile}` ({known}); \
                 add a [profiles.{profile}] table to use this credential",
                path.display()
            ));
        }
        Some(Err(e)) => ctx
            .printer
            .warn(format!("could not check the profile name: {e}")),
    }
}
