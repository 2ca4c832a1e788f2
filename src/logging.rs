//! `--verbose` turns on request logs on stderr (through `tracing`); `SHOPSYNC_LOG` (a `tracing`
//! filter such as `shopsync=trace,reqwest=debug`) replaces the default filter.

use crate::cli::GlobalArgs;

pub fn init(global: &GlobalArgs) {
    let default = if global.verbose {
        "shopsync=debug"
    } else {
        "shopsync=warn"
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("SHOPSYNC_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .try_init();
}
