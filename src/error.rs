//! Errors as the user sees them: what failed, why, and what to do, mapped to an exit code.

use std::fmt;

/// Exit codes, documented in the README and in `commands/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Everything asked for was done.
    Success = 0,
    /// The run failed, or finished with records that could not be written.
    Failure = 1,
    /// The command line, a profile or a credential is wrong: nothing was written.
    Usage = 2,
    /// `--dry-run --detailed-exitcode`: the plan has changes.
    ChangesPending = 3,
    /// The run stopped early at a vendor's daily limit; its progress is kept, run it again later.
    Interrupted = 4,
    /// `map-sku check` found a problem (a mapped SKU missing or on several variants, a sold SKU
    /// unmapped).
    CheckFailed = 5,
    /// Stopped by Ctrl-C (SIGINT) after checkpointing; run it again to resume.
    Sigint = 130,
    /// Stopped by SIGTERM after checkpointing; run it again to resume.
    Sigterm = 143,
}

/// Which part of the input or run is at fault; decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad flags, a broken or missing profile, a missing credential, an invalid setting.
    Config,
    /// An API refused us or could not be reached, a record failed, the state store failed.
    Run,
    /// A vendor's daily limit stopped the run; its progress is kept.
    Interrupted,
    /// A signal stopped the run; its progress is kept.
    Signal(crate::interrupt::Signal),
}

/// An error with a cause and a fix. `Display` prints one paragraph: the message, then the hint.
#[derive(Debug)]
pub struct CliError {
    pub kind: ErrorKind,
    pub message: String,
    pub hint: Option<String>,
}

impl CliError {
    pub fn config(message: impl Into<String>) -> CliError {
        CliError {
            kind: ErrorKind::Config,
            message: message.into(),
            hint: None,
        }
    }

    pub fn run(message: impl Into<String>) -> CliError {
        CliError {
            kind: ErrorKind::Run,
            message: message.into(),
            hint: None,
        }
    }

    pub fn interrupted(message: impl Into<String>) -> CliError {
        CliError {
            kind: ErrorKind::Interrupted,
            message: message.into(),
            hint: None,
        }
    }

    /// The run stopped at `signal`, after checkpointing what it had done.
    pub fn signal(signal: crate::interrupt::Signal) -> CliError {
        CliError {
            kind: ErrorKind::Signal(signal),
            message: format!(
                "stopped by {}: the batches in flight were finished and checkpointed",
                signal.describe()
            ),
            hint: Some("run the same command again to resume where this run stopped".into()),
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> CliError {
        self.hint = Some(hint.into());
        self
    }

    pub fn exit_code(&self) -> ExitCode {
        match self.kind {
            ErrorKind::Config => ExitCode::Usage,
            ErrorKind::Run => ExitCode::Failure,
            ErrorKind::Interrupted => ExitCode::Interrupted,
            ErrorKind::Signal(crate::interrupt::Signal::Interrupt) => ExitCode::Sigint,
            ErrorKind::Signal(crate::interrupt::Signal::Terminate) => ExitCode::Sigterm,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CliError {}

impl From<crate::state::StateError> for CliError {
    fn from(e: crate::state::StateError) -> Self {
        use crate::state::StateError;
        let message = format!("the state store failed: {e}");
        let other_dir = "`--state-dir` or the profile's `state_dir` chooses another directory";
        match &e {
            StateError::Unreadable { .. } => CliError::config(message).hint(
                "nothing was written. Restore the file from a backup if you have one; otherwise, \
                 for a Shopify -> HubSpot profile, `shopsync initial-sync --profile NAME \
                 --rebuild-state` moves it aside and re-links every record by its unique key \
                 (e-mail, Shopify id) before writing. Deletions the file remembered (contacts \
                 deleted in HubSpot) cannot be rebuilt: see \"Rebuilding the state store\" in \
                 the README",
            ),
            StateError::NothingToRebuild { .. } => CliError::config(message).hint(
                "--rebuild-state is only for a state file that cannot be read; run without it",
            ),
            StateError::Locked { .. } => CliError::run(message).hint(
                "wait for the other run to finish (one run per profile at a time), or stop it",
            ),
            StateError::TooNew { .. } => CliError::run(message)
                .hint("use the newer shopsync that wrote it, or upgrade this one"),
            StateError::Io { source, .. }
                if source.kind() == std::io::ErrorKind::PermissionDenied =>
            {
                CliError::run(message).hint(format!(
                    "make the state directory writable by this user; {other_dir}"
                ))
            }
            StateError::Io { .. } => CliError::run(message).hint(format!(
                "check the state directory (a full disk, a missing mount); {other_dir}"
            )),
            StateError::Sqlite { source, .. } => {
                let hint = match source.sqlite_error_code() {
                    Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen) => {
                        format!("make the state file and its directory writable by this user; {other_dir}")
                    }
                    Some(rusqlite::ErrorCode::DiskFull) => {
                        format!("the disk is full: free some space; {other_dir}")
                    }
                    Some(
                        rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked,
                    ) => "another program holds the state file open (a backup, an SQLite shell): \
                          close it and run again"
                        .to_string(),
                    _ => format!("run `shopsync doctor` to check the state store; {other_dir}"),
                };
                CliError::run(message).hint(hint)
            }
        }
    }
}

pub type CliResult<T = ()> = Result<T, CliError>;
