//! An error as the user sees it: what failed, why, and what to do. The command line maps its
//! kind to an exit code; the core only says which part is at fault.

use std::fmt;

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
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    pub hint: Option<String>,
}

impl Error {
    pub fn config(message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Config,
            message: message.into(),
            hint: None,
        }
    }

    pub fn run(message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Run,
            message: message.into(),
            hint: None,
        }
    }

    pub fn interrupted(message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Interrupted,
            message: message.into(),
            hint: None,
        }
    }

    /// The run stopped at `signal`, after checkpointing what it had done.
    pub fn signal(signal: crate::interrupt::Signal) -> Error {
        Error {
            kind: ErrorKind::Signal(signal),
            message: format!(
                "stopped by {}: the batches in flight were finished and checkpointed",
                signal.describe()
            ),
            hint: Some("run the same command again to resume where this run stopped".into()),
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Error {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl From<crate::state::StateError> for Error {
    fn from(e: crate::state::StateError) -> Self {
        use crate::state::StateError;
        let message = format!("the state store failed: {e}");
        let other_dir = "`--state-dir` or the profile's `state_dir` chooses another directory";
        match &e {
            StateError::Unreadable { .. } => Error::config(message).hint(
                "nothing was written. Restore the file from a backup if you have one; otherwise, \
                 for a one-way profile, `shopsync initial-sync --profile NAME \
                 --rebuild-state` moves it aside and re-links every record by its unique key \
                 (e-mail, the shop's id) before writing. Deletions the file remembered (records \
                 deleted in the target) cannot be rebuilt: see \"Rebuilding the state store\" in \
                 the README",
            ),
            StateError::NothingToRebuild { .. } => Error::config(message).hint(
                "--rebuild-state is only for a state file that cannot be read; run without it",
            ),
            StateError::Locked { .. } => Error::run(message).hint(
                "wait for the other run to finish (one run per profile at a time), or stop it",
            ),
            StateError::TooNew { .. } => Error::run(message)
                .hint("use the newer shopsync that wrote it, or upgrade this one"),
            StateError::Io { source, .. }
                if source.kind() == std::io::ErrorKind::PermissionDenied =>
            {
                Error::run(message).hint(format!(
                    "make the state directory writable by this user; {other_dir}"
                ))
            }
            StateError::Io { .. } => Error::run(message).hint(format!(
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
                Error::run(message).hint(hint)
            }
        }
    }
}
