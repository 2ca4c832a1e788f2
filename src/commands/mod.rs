//! One module per subcommand: each wires a profile, connectors and the engine together and talks
//! to the user. No sync logic lives here.

pub mod auth;
pub mod completions;
pub mod demo;
pub mod doctor;
pub mod initial_sync;
pub mod pull_customers;
pub mod setup;
pub mod webhook;

use crate::cli::{Cli, Command, GlobalArgs};
use crate::error::{CliResult, ExitCode};
use crate::ui::Printer;

/// What every command gets: the global flags and the printer built from them.
pub struct Context {
    pub global: GlobalArgs,
    pub printer: Printer,
}

pub async fn run(cli: Cli) -> CliResult<ExitCode> {
    let ctx = Context {
        printer: Printer::new(&cli.global),
        global: cli.global,
    };
    match cli.command {
        Command::InitialSync(args) => initial_sync::exec(&ctx, args).await,
        Command::Auth(command) => auth::exec(&ctx, command).await,
        Command::Demo(args) => demo::exec(&ctx, args).await,
        Command::Completions(args) => completions::exec(&ctx, args),
        Command::Doctor(args) => doctor::exec(&ctx, args).await,
        Command::Setup(args) => setup::exec(&ctx, args).await,
        Command::Webhook(command) => webhook::exec(&ctx, command).await,
        Command::PullCustomers(args) => pull_customers::exec(&ctx, args).await,
    }
}
