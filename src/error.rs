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

    pub fn hint(mut self, hint: impl Into<String>) -> CliError {
        self.hint = Some(hint.into());
        self
    }

    pub fn exit_code(&self) -> ExitCode {
        match self.kind {
            ErrorKind::Config => ExitCode::Usage,
            ErrorKind::Run => ExitCode::Failure,
            ErrorKind::Interrupted => ExitCode::Interrupted,
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
        CliError::run(format!("the state store failed: {e}")).hint(
            "check that the state directory is writable and not used by another shopsync run; \
             `--state-dir` or the profile's `state_dir` chooses another one",
        )
    }
}

pub type CliResult<T = ()> = Result<T, CliError>;
