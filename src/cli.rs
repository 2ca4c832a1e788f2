//! The command line: clap definitions only. Behaviour lives in `commands/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::connectors::system::System;
pub use crate::model::Stream;

/// Sync webshops with the CRM, marketing and back-office systems around them.
///
/// Every sync can be previewed first with `--dry-run`, which prints what would change and
/// writes nothing.
#[derive(Debug, Parser)]
#[command(
    name = "shopsync",
    version = crate::version::SHORT,
    long_version = crate::version::LONG,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]
    #[arg(long, global = true, env = "SHOPSYNC_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Print machine-readable JSON on stdout instead of tables
    #[arg(long, global = true)]
    pub json: bool,

    /// Print nothing when all went well, and only errors (on stderr) when not
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print each HTTP request (never its secrets) and other details on stderr
    #[arg(long, short, global = true)]
    pub verbose: bool,

    /// How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC
    /// timestamps, no colour codes) in a pipe or file; `json` is one object per line
    #[arg(
        long,
        global = true,
        value_enum,
        default_value_t = LogFormat::Auto,
        env = "SHOPSYNC_LOG_FORMAT",
        value_name = "FORMAT"
    )]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Auto,
    Human,
    Plain,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Copy a shop's products, customers and orders into the target system
    ///
    /// The first run reads everything (with a bulk export for large shops); later runs read
    /// only what changed since, and write only what differs from what was last written, so
    /// the same command is the one a cron job runs. `shopsync sync` is the same command.
    #[command(visible_alias = "sync")]
    InitialSync(InitialSyncArgs),

    /// Store, inspect and remove credentials in the OS keyring
    #[command(subcommand)]
    Auth(AuthCommand),

    /// Start local Shopify and HubSpot sandboxes and run a dry run and a real sync against them
    #[cfg(feature = "demo")]
    Demo(DemoArgs),

    /// Run the local Shopify, HubSpot, Huddle, Tellix, Spotler, Shopware, Heyloyalty and
    /// HostedShop fakes until
    /// Ctrl-C, for trying shopsync by hand
    ///
    /// The same fakes `demo` and the tests use, seeded with a store. Point a profile's
    /// `base_url`s at the printed URLs and pass the printed tokens as SHOPSYNC_SHOPIFY_TOKEN and
    /// SHOPSYNC_HUBSPOT_TOKEN.
    #[cfg(feature = "demo")]
    #[command(after_long_help = shopsync_sandbox::PRINTS)]
    Sandbox(SandboxArgs),

    /// Print the shell completion script for SHELL on stdout
    ///
    /// Install it once, e.g. for bash:
    /// `shopsync completions bash > ~/.local/share/bash-completion/completions/shopsync`.
    /// The same scripts are in the repository's `completions/` folder.
    Completions(CompletionsArgs),

    /// Show the last runs of each profile from its run log: counts, how each ended, and every
    /// record that failed with the reason
    ///
    /// Reads the state store's run log (without taking the profile's run lock, so it works
    /// while a sync is running): newest first, the command, when it started and how long it
    /// took, its status (`completed`, `completed with failures`, `stopped`, or unfinished), the
    /// records read and what was done with them, why a run stopped early, and each failed
    /// record with its reason.
    Runs(RunsArgs),

    /// Find the shop's variants and their SKUs by a word of the product title or the start of
    /// the SKU
    ///
    /// For `map-sku`: when `map-sku check` says a SKU is missing, this shows which SKUs the shop
    /// has. Without --search, every variant (up to --limit).
    Skus(SkusArgs),

    /// Check a profile's setup: config, credentials, keyring, hosts, tokens, API versions,
    /// scopes and the state store, each with the fix
    ///
    /// One line per check (ok, warning, error or skipped). Exits 1 when any check is an error.
    Doctor(DoctorArgs),

    /// Show a Spotler profile's field map: Spotler's contact properties and the shop's customer
    /// fields side by side
    ///
    /// Each Spotler property with its type and the shop field that fills it (the defaults and
    /// the profile's [spotler.fields]), each permission bit and its shop field, the shop fields
    /// nothing reads, and every mapping that does not fit (a field that does not exist, types
    /// that do not match). Exits 2 when the map does not fit: no sync writes anything then.
    Fields(FieldsArgs),

    /// Set up a profile interactively: settings, tokens (into the keyring), connection tests
    ///
    /// Offers every kind of profile (Shopify -> HubSpot, Shopify -> Huddle, a Tellix or files
    /// back office, Shopware 5 -> Spotler Mail+), asks for each of its settings with its default, tests the connections,
    /// then stores the tokens in the keyring and writes the profile into the profile file
    /// (keeping its other profiles and comments). Where no keyring works (a headless server),
    /// it says so before the first question and offers environment variables instead (the
    /// tokens are only tested, and the variables to set are printed for a shell and a systemd
    /// unit) or a plain-text file (mode 0600). Needs a terminal; without one, write the profile
    /// by hand (profiles.example.toml).
    Setup(SetupArgs),

    /// Create, list and delete the Shopify webhook that sends paid orders to Huddle
    #[command(subcommand)]
    Webhook(crate::commands::webhook::WebhookCommand),

    /// Pull Shopify customers into the back office (Tellix customers, or the customer file)
    ///
    /// Reads the customers changed since the last run (the first run, and --full, read every
    /// customer); creates or updates them in Tellix (paired by e-mail the first time, then
    /// remembered), or merges them into the customer file (CSV or JSON Lines, written
    /// atomically).
    PullCustomers(PullCustomersArgs),

    /// Keep and check a Huddle profile's SKU table: which Shopify SKU gives which Huddle levels
    #[command(subcommand)]
    MapSku(crate::commands::map_sku::MapSkuCommand),

    /// Create or update the shop's products from the back office's catalogue, by SKU
    ///
    /// Name, status, variants (SKU, barcode, options, price, inventory tracked), images, the
    /// description when the profile turns it on, and stock through the warehouse map. Variants
    /// and images in the shop that the back office does not name are kept. Bad catalogue rows
    /// are reported with file:line and reason; the other products go on.
    PushProducts(PushProductsArgs),

    /// Pull the shop's stock levels into the back office, through the warehouse map
    ///
    /// Tellix: stock per department, only the levels that differ. Files: the stock file, a
    /// whole snapshot written atomically.
    PullStock(PullStockArgs),

    /// First-time link: import the shop's existing products into the back office, by SKU
    ///
    /// For a shop that has products before the back office takes over: each is imported into
    /// Tellix (or written to a new catalogue file), paired by SKU. Products with a variant
    /// without SKU are reported and left out.
    LinkProducts(LinkProductsArgs),

    /// Receive Heyloyalty's webhooks for a two-way profile and apply them to the shop
    ///
    /// A small HTTP server (put it behind a reverse proxy for HTTPS). Heyloyalty's list webhook
    /// (subscribe, update, unsubscribe; the default snake_case or the camelCase payload) is sent
    /// to `POST /webhook` with Basic auth (any user name, the profile's `heyloyalty-webhook`
    /// credential as password) or to `POST /webhook/SECRET`. Each call is stored in the
    /// profile's state file before it is answered 202, then the member is read again by id and
    /// its change applied as `sync` would; a call that cannot be applied yet stays queued and is
    /// retried. Bad credentials answer 401, a malformed body 400, and nothing is applied.
    /// `GET /health` answers 200. Stops on Ctrl-C or SIGTERM.
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The profile whose webhooks to receive (`target = "heyloyalty"`)
    #[arg(long, short, env = "SHOPSYNC_PROFILE")]
    pub profile: String,

    /// The address to listen on (port 0: any free port, printed on start)
    #[arg(long, default_value = "127.0.0.1:8787", value_name = "ADDR")]
    pub listen: std::net::SocketAddr,

    /// Where the state store lives [default: the profile's state_dir, else the OS data dir]
    #[arg(long, env = "SHOPSYNC_STATE_DIR", value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PushProductsArgs {
    /// The profile to run (a back-office profile: `target = "backoffice"`)
    #[arg(long, short, env = "SHOPSYNC_PROFILE")]
    pub profile: String,

    /// Show per product what would be created or changed, field by field (old -> new), and
    /// write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// With --dry-run: exit 3 when the plan has changes, 0 when it has none
    #[arg(long, requires = "dry_run")]
    pub detailed_exitcode: bool,

    /// Where the state store lives [default: the profile's state_dir, else the OS data dir]
    #[arg(long, env = "SHOPSYNC_STATE_DIR", value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PullStockArgs {
    /// The profile to run (a back-office profile: `target = "backoffice"`)
    #[arg(long, short, env = "SHOPSYNC_PROFILE")]
    pub profile: String,

    /// Show what would change and write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// The stock file to write (.csv or .jsonl) [default: the profile's stock_file]; file back
    /// offices only
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Where the state store lives [default: the profile's state_dir, else the OS data dir]
    #[arg(long, env = "SHOPSYNC_STATE_DIR", value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct LinkProductsArgs {
    /// The profile to run (a back-office profile: `target = "backoffice"`)
    #[arg(long, short, env = "SHOPSYNC_PROFILE")]
    pub profile: String,

    /// Show what would be imported and write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// The catalogue file to write (.csv or .jsonl; must not exist yet) [default: the
    /// profile's catalogue]; file back offices only
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Where the state store lives [default: the profile's state_dir, else the OS data dir]
    #[arg(long, env = "SHOPSYNC_STATE_DIR", value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PullCustomersArgs {
    /// The profile to run (a back-office profile: `target = "backoffice"`)
    #[arg(long, short, env = "SHOPSYNC_PROFILE")]
    pub profile: String,

    /// Show what would be created or changed, field by field, and write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Read every customer instead of only those changed since the last run
    #[arg(long, conflicts_with = "since")]
    pub full: bool,

    /// Read the customers changed on or after DATE (YYYY-MM-DD, or RFC 3339)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// The customer file to write (.csv or .jsonl) [default: the profile's customers_file];
    /// file back offices only
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Where the state store lives [default: the profile's state_dir, else the OS data dir]
    #[arg(long, env = "SHOPSYNC_STATE_DIR", value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SetupArgs {
    /// The profile to create or edit [default: asked]
    #[arg(long, short)]
    pub profile: Option<String>,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Only this profile [default: every profile in the profile file]
    #[arg(long, short, env = "SHOPSYNC_PROFILE")]
    pub profile: Option<String>,

    /// Where the state store lives [default: the profile's state_dir, else the OS data dir]
    #[arg(long, env = "SHOPSYNC_STATE_DIR", value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct FieldsArgs {
    /// The Spotler profile whose map to show, as named in the profile file
    #[arg(long, short, env = "SHOPSYNC_PROFILE")]
    pub profile: String,
}

#[derive(Debug, Args)]
pub struct SkusArgs {
    /// The profile whose shop to search, as named in the profile file
    #[arg(long, short, env = "SHOPSYNC_PROFILE")]
    pub profile: String,

    /// A word of the product or variant title, or the start of a SKU
    #[arg(long, short, value_name = "TEXT")]
    pub search: Option<String>,

    /// Show at most this many variants
    #[arg(long, short = 'n', default_value_t = 50, value_name = "N")]
    pub limit: usize,
}

#[derive(Debug, Args)]
pub struct RunsArgs {
    /// Only this profile [default: every profile in the profile file]
    #[arg(long, short, env = "SHOPSYNC_PROFILE")]
    pub profile: Option<String>,

    /// How many runs to show per profile, newest first
    #[arg(long, short = 'n', default_value_t = 10, value_name = "N")]
    pub limit: u32,

    /// Where the state store lives [default: the profile's state_dir, else the OS data dir]
    #[arg(long, env = "SHOPSYNC_STATE_DIR", value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print the script for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct InitialSyncArgs {
    /// The profile to run, as named in the profile file; several, comma-separated, run one
    /// after another, with one summary and the worst exit code
    #[arg(
        long,
        short,
        env = "SHOPSYNC_PROFILE",
        value_delimiter = ',',
        value_name = "PROFILE",
        required_unless_present = "all_profiles"
    )]
    pub profile: Vec<String>,

    /// Run every HubSpot and Spotler profile of the profile file, one after another (instead
    /// of --profile)
    #[arg(long)]
    pub all_profiles: bool,

    /// Print the plan (what would be created, updated, deleted) and write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// With --dry-run: also print every field that would change (old -> new)
    #[arg(long, requires = "dry_run")]
    pub diff: bool,

    /// With --dry-run: exit 3 when the plan has changes, 0 when it has none
    #[arg(long, requires = "dry_run")]
    pub detailed_exitcode: bool,

    /// Which streams to sync, comma-separated [default: the profile's, else all]
    #[arg(long, value_delimiter = ',', value_name = "STREAMS", value_parser = stream_parser())]
    pub streams: Option<Vec<Stream>>,

    /// Read everything again instead of only what changed since the last run
    /// (also finds products and orders deleted in the shop)
    #[arg(long)]
    pub full: bool,

    /// The profile's state file cannot be read (empty or damaged): move it aside and start a
    /// new one, re-linking every record to what HubSpot already has by its unique key (e-mail,
    /// Shopify id) before writing. Deletions the old file remembered cannot be rebuilt
    #[arg(long, conflicts_with = "dry_run")]
    pub rebuild_state: bool,

    /// Spotler profiles whose `key` (the contact's external id) changed since the last run:
    /// write every contact under its new external id (a full read; the contacts under the old
    /// ids stay in Spotler). Without it such a run is refused
    #[arg(long)]
    pub rekey: bool,

    /// Where the state store lives [default: the profile's state_dir, else the OS data dir]
    #[arg(long, env = "SHOPSYNC_STATE_DIR", value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Store a credential for a profile (read from a hidden prompt, or from stdin with --stdin)
    Set(AuthSetArgs),
    /// Show which credentials are set and where each comes from (never the secret itself)
    Status(AuthStatusArgs),
    /// Remove a stored credential from the keyring
    Delete(AuthDeleteArgs),
}

#[derive(Debug, Args)]
pub struct AuthSetArgs {
    /// Profile the credential belongs to
    pub profile: String,
    /// System the credential is for
    pub system: System,
    /// Read the token from standard input instead of a hidden prompt
    #[arg(long)]
    pub stdin: bool,
    /// Store the token in a plain-text file (mode 0600) instead of the OS keyring: for a
    /// machine without one. Anyone who can read your files can read it. The file is
    /// `credentials.json` in the config dir, or what SHOPSYNC_CREDENTIALS_FILE names
    #[arg(long)]
    pub insecure_storage: bool,
}

#[derive(Debug, Args)]
pub struct AuthStatusArgs {
    /// Only this profile [default: every profile in the profile file]
    pub profile: Option<String>,
}

#[derive(Debug, Args)]
pub struct AuthDeleteArgs {
    /// Profile the credential belongs to
    pub profile: String,
    /// System the credential is for
    pub system: System,
}

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// How many customers the store has [default: the sandbox's]
    #[arg(long, value_name = "N")]
    pub customers: Option<usize>,
    /// How many products the store has [default: the sandbox's]
    #[arg(long, value_name = "N")]
    pub products: Option<usize>,
    /// How many orders the store has [default: the sandbox's]
    #[arg(long, value_name = "N")]
    pub orders: Option<usize>,
    /// Seed of the store's generator (the same seed, the same store)
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Run the vendors' rate limits this many times faster than real time
    #[arg(long, default_value_t = 1.0, value_name = "X")]
    pub time_scale: f64,
    /// Enforce no rate limit at all
    #[arg(long)]
    pub limits_lifted: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many customers the sandbox store has
    #[arg(long, default_value_t = 200)]
    pub customers: usize,
    /// How many products the sandbox store has
    #[arg(long, default_value_t = 40)]
    pub products: usize,
    /// How many orders the sandbox store has
    #[arg(long, default_value_t = 300)]
    pub orders: usize,
    /// Run the vendors' rate limits this many times faster than real time
    #[arg(long, default_value_t = 20.0)]
    pub time_scale: f64,
    /// Which flow to show: Shopify -> HubSpot, Shopware -> Spotler Mail+ (contacts out, an
    /// opt-out and a hard bounce back), or a Wannafind (HostedShop) shop two-way with
    /// Heyloyalty lists
    #[arg(long, value_enum, default_value_t = DemoFlow::Hubspot)]
    pub flow: DemoFlow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DemoFlow {
    Hubspot,
    Spotler,
    Heyloyalty,
}

// The domain enums live outside the command line (the engine and the connectors use them);
// clap learns their spellings here.
fn stream_parser() -> impl clap::builder::TypedValueParser<Value = Stream> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(Stream::ALL.map(Stream::as_str))
        .map(|name| Stream::parse(&name).expect("clap only passes the names it was given"))
}

impl ValueEnum for System {
    fn value_variants<'a>() -> &'a [Self] {
        &System::EVERY
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let value = clap::builder::PossibleValue::new(self.as_str());
        Some(match self.help() {
            Some(help) => value.help(help),
            None => value,
        })
    }
}
