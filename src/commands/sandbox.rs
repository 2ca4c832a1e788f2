//! `shopsync sandbox`: the vendor fakes on 127.0.0.1 until Ctrl-C, so an installed shopsync has
//! them without the `shopsync-sandbox` binary of a source checkout.

use crate::cli::SandboxArgs;
use crate::error::{CliError, CliResult, ExitCode};

pub async fn exec(args: SandboxArgs) -> CliResult<ExitCode> {
    if args.time_scale.is_nan() || args.time_scale <= 0.0 {
        return Err(CliError::config("--time-scale must be more than 0"));
    }
    let mut config = shopsync_sandbox::SandboxConfig {
        time_scale: args.time_scale,
        limits_lifted: args.limits_lifted,
        ..Default::default()
    };
    let seed = &mut config.seed;
    seed.customers = args.customers.unwrap_or(seed.customers);
    seed.products = args.products.unwrap_or(seed.products);
    seed.orders = args.orders.unwrap_or(seed.orders);
    seed.seed = args.seed.unwrap_or(seed.seed);
    shopsync_sandbox::run_until_interrupted(config)
        .await
        .map_err(|e| CliError::run(format!("the sandboxes stopped: {e}")))?;
    Ok(ExitCode::Success)
}
