//! Log lines on stderr (through `tracing`): `--verbose` turns on each request; without it only
//! warnings shopsync's own code raises (something the user can act on). `SHOPSYNC_LOG` (a
//! `tracing` filter such as `shopsync=trace,reqwest=debug`) replaces the default filter.
//!
//! The format follows where stderr goes (`--log-format auto`): on a terminal short human lines
//! (colour unless `NO_COLOR`), in a pipe or file plain lines with a UTC timestamp and no escape
//! codes; `--log-format json` prints one JSON object per line.

use std::io::IsTerminal;

use crate::cli::{GlobalArgs, LogFormat};

/// The default filter. The sandbox fakes (in `demo` and `sandbox`) log their own internals,
/// which are nothing for the user to act on: errors only, unless `--verbose`.
fn default_filter(verbose: bool) -> &'static str {
    if verbose {
        "shopsync=debug,shopsync_sandbox=info"
    } else {
        "shopsync=warn,shopsync_sandbox=error"
    }
}

/// What `auto` means here.
fn resolve(format: LogFormat, stderr_tty: bool) -> LogFormat {
    match format {
        LogFormat::Auto if stderr_tty => LogFormat::Human,
        LogFormat::Auto => LogFormat::Plain,
        other => other,
    }
}

pub fn init(global: &GlobalArgs) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SHOPSYNC_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_filter(global.verbose)));
    let stderr_tty = std::io::stderr().is_terminal();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    let _ = match resolve(global.log_format, stderr_tty) {
        LogFormat::Json => builder.json().with_ansi(false).try_init(),
        LogFormat::Plain => builder.with_ansi(false).try_init(),
        LogFormat::Human | LogFormat::Auto => builder
            .without_time()
            .with_ansi(stderr_tty && crate::ui::color_allowed())
            .try_init(),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_is_human_on_a_terminal_and_plain_in_a_pipe() {
        assert_eq!(resolve(LogFormat::Auto, true), LogFormat::Human);
        assert_eq!(resolve(LogFormat::Auto, false), LogFormat::Plain);
        assert_eq!(resolve(LogFormat::Json, true), LogFormat::Json);
    }
}
