//! `shopsync auth delete PROFILE SYSTEM`: remove a stored token from the OS keyring (and from
//! the plain-text credentials file, when it holds one).
//!
//! Idempotent: when no token is stored the command says so and still exits 0, so scripts can
//! run it to make sure a token is gone (like `rm -f`). It exits non-zero only when the keyring
//! could not be asked (2 when it is unreachable or locked, 1 when it failed or timed out).
//! An environment variable holding the token is not touched; the command warns when one is set,
//! because that token stays in use.

use crate::cli::AuthDeleteArgs;
use crate::commands::Context;
use crate::config::credentials::{self, StoreChoice};
use crate::error::{CliResult, ExitCode};

pub fn exec(ctx: &Context, args: AuthDeleteArgs) -> CliResult<ExitCode> {
    let AuthDeleteArgs { profile, system } = args;
    super::check_profile_name(&profile)?;
    let action = format!("cannot delete the {system} token for profile `{profile}`");
    let from_file = credentials::plain_file_delete(&profile, system)?;
    if let Some(path) = &from_file {
        ctx.printer.status(format!(
            "Deleted the {system} token for profile `{profile}` from the plain-text file {}.",
            path.display()
        ));
    }
    let store = StoreChoice::from_env().map_err(|e| e.into_cli(&action, &profile, system))?;
    let existed = match credentials::keyring_delete(&profile, system) {
        Ok(existed) => existed,
        // The token was in the file; a machine without a keyring has no other copy.
        Err(e) if from_file.is_some() => {
            tracing::debug!("the keyring was not asked: {}", e.describe());
            return Ok(ExitCode::Success);
        }
        Err(e) => return Err(e.into_cli(&action, &profile, system)),
    };
    if existed {
        ctx.printer.status(format!(
            "Deleted the {system} token for profile `{profile}` from {}.",
            store.describe()
        ));
    } else if from_file.is_none() {
        ctx.printer.status(format!(
            "No {system} token for profile `{profile}` is stored in {}; nothing to delete.",
            store.describe()
        ));
    }
    if let Some((name, _)) = credentials::from_env(&profile, system) {
        ctx.printer.warn(format!(
            "{name} is still set in this environment, so a {system} token for `{profile}` is still in use"
        ));
    }
    Ok(ExitCode::Success)
}
