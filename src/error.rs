//! Errors as the user sees them (the core's error: what failed, why, and what to do), mapped to
//! an exit code.

pub use shopsync_core::error::{Error as CliError, ErrorKind};

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

/// The exit code an error ends the process with.
pub trait ExitCodeOf {
    fn exit_code(&self) -> ExitCode;
}

impl ExitCodeOf for CliError {
    fn exit_code(&self) -> ExitCode {
        match self.kind {
            ErrorKind::Config => ExitCode::Usage,
            ErrorKind::Run => ExitCode::Failure,
            ErrorKind::Interrupted => ExitCode::Interrupted,
            ErrorKind::Signal(shopsync_core::interrupt::Signal::Interrupt) => ExitCode::Sigint,
            ErrorKind::Signal(shopsync_core::interrupt::Signal::Terminate) => ExitCode::Sigterm,
        }
    }
}

pub type CliResult<T = ()> = Result<T, CliError>;
