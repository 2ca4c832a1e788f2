//! `shopsync completions SHELL`: print the shell completion script on stdout.
//!
//! The scripts are generated from the clap definitions by `clap_complete`; the same scripts are
//! kept in the repository's `completions/` folder (a test fails when they are stale).

use std::io::Write;

use crate::cli::CompletionsArgs;
use crate::commands::Context;
use crate::error::{CliError, CliResult, ExitCode};

pub fn exec(_ctx: &Context, args: CompletionsArgs) -> CliResult<ExitCode> {
    let script = crate::reference::completion_script(args.shell);
    let mut out = std::io::stdout().lock();
    match out.write_all(script.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(ExitCode::Success),
        // `| head` closed the pipe: not worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::Success),
        Err(e) => Err(CliError::run(format!(
            "could not write the completion script: {e}"
        ))),
    }
}
