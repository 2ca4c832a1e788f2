//! The command reference, the man pages and the shell completions, generated from the clap
//! definitions.
//!
//! `commands/*.md` (one page per subcommand), `man/*.1` and `completions/*` in the repository are
//! the output of [`command_pages`], [`man_pages`] and [`completion_script`]; `tests/reference.rs`
//! fails when they are stale and `SHOPSYNC_REGENERATE=1 cargo test --test reference` rewrites
//! them. What clap cannot know
//! (examples, each command's exit codes) is written here, next to the generator.

use std::fmt::Write as _;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

/// Every shell a completion script is generated for.
pub const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::PowerShell,
    Shell::Elvish,
];

/// The completion script for `shell`, as `shopsync completions SHELL` prints it.
pub fn completion_script(shell: Shell) -> String {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "shopsync", &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// The file `completions/` keeps the script for `shell` in (`shopsync.bash`, `_shopsync`, ...).
pub fn completion_file_name(shell: Shell) -> String {
    use clap_complete::Generator;
    shell.file_name("shopsync")
}

/// One man page per command (`shopsync.1`, `shopsync-initial-sync.1`, `shopsync-auth-set.1`,
/// ...), as `(file name, roff)`. They carry the release, not the commit, so a commit does not
/// make them stale.
pub fn man_pages() -> Vec<(String, String)> {
    fn walk(cmd: &clap::Command, pages: &mut Vec<(String, String)>) {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub, pages);
        }
        let man = clap_mangen::Man::new(cmd.clone());
        let mut roff = Vec::new();
        man.render(&mut roff)
            .expect("rendering into memory cannot fail");
        pages.push((
            man.get_filename(),
            String::from_utf8_lossy(&roff).into_owned(),
        ));
    }
    let mut root = Cli::command()
        .version(env!("CARGO_PKG_VERSION"))
        .long_version(None::<&str>)
        .disable_help_subcommand(true);
    root.build();
    let mut pages = Vec::new();
    walk(&root, &mut pages);
    pages.sort();
    pages
}

/// The command that rewrites `commands/`, `man/` and `completions/`.
pub const REGENERATE: &str = "SHOPSYNC_REGENERATE=1 cargo test --test reference";

/// One page per command (`auth.md`, `auth-set.md`, ...) plus `README.md` (the index), as
/// `(file name, Markdown)`.
pub fn command_pages() -> Vec<(String, String)> {
    let mut root = Cli::command();
    root.build();
    let mut pages = Vec::new();
    let mut index = Vec::new();
    for sub in root.get_subcommands() {
        collect(sub, &[], &mut pages, &mut index);
    }
    pages.push(("README.md".to_string(), index_page(&root, &index)));
    pages.sort();
    pages
}

/// (`auth set`, file name, one-line about) for the index.
type IndexEntry = (String, String, String);

fn collect(
    cmd: &clap::Command,
    parents: &[&str],
    pages: &mut Vec<(String, String)>,
    index: &mut Vec<IndexEntry>,
) {
    if cmd.is_hide_set() || cmd.get_name() == "help" {
        return;
    }
    let mut path: Vec<&str> = parents.to_vec();
    path.push(cmd.get_name());
    let file = format!("{}.md", path.join("-"));
    let mut about = cmd.get_about().map(|a| a.to_string()).unwrap_or_default();
    let aliases = aliases_of(cmd, parents);
    if !aliases.is_empty() {
        about.push_str(&format!(" (also {})", aliases.join(", ")));
    }
    index.push((path.join(" "), file.clone(), about));
    pages.push((file, page(cmd, &path)));
    for sub in cmd.get_subcommands() {
        collect(sub, &path, pages, index);
    }
}

fn page(cmd: &clap::Command, path: &[&str]) -> String {
    let full = format!("shopsync {}", path.join(" "));
    let mut md = String::new();
    let _ = writeln!(
        md,
        "<!-- Generated from the clap definitions; regenerate with `{REGENERATE}`. -->\n"
    );
    let _ = writeln!(md, "# `{full}`\n");
    if let Some(about) = cmd.get_long_about().or(cmd.get_about()) {
        let _ = writeln!(md, "{}\n", about.to_string().trim());
    }
    let _ = writeln!(md, "## Usage\n");
    let usage = cmd.clone().render_usage().to_string();
    let usage = usage.trim().trim_start_matches("Usage:").trim();
    let _ = writeln!(md, "```\n{usage}\n```\n");
    let aliases = aliases_of(cmd, &path[..path.len() - 1]);
    if !aliases.is_empty() {
        let _ = writeln!(md, "Also runs as {}.\n", aliases.join(", "));
    }

    let subs: Vec<&clap::Command> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        .collect();
    if !subs.is_empty() {
        let _ = writeln!(md, "## Commands\n");
        for sub in subs {
            let _ = writeln!(
                md,
                "- [`{full} {}`]({}-{}.md): {}",
                sub.get_name(),
                path.join("-"),
                sub.get_name(),
                sub.get_about().map(|a| a.to_string()).unwrap_or_default()
            );
        }
        md.push('\n');
    }

    let visible =
        |a: &&clap::Arg| !a.is_hide_set() && !matches!(a.get_id().as_str(), "help" | "version");
    let positionals: Vec<&clap::Arg> = cmd
        .get_arguments()
        .filter(visible)
        .filter(|a| a.is_positional())
        .collect();
    if !positionals.is_empty() {
        let _ = writeln!(md, "## Arguments\n");
        for arg in positionals {
            let name = arg
                .get_value_names()
                .and_then(|v| v.first().map(|n| n.to_string()))
                .unwrap_or_else(|| arg.get_id().as_str().to_ascii_uppercase());
            let name = if arg.is_required_set() {
                format!("<{name}>")
            } else {
                format!("[{name}]")
            };
            describe_arg(&mut md, &name, arg);
        }
        md.push('\n');
    }
    let options: Vec<&clap::Arg> = cmd
        .get_arguments()
        .filter(visible)
        .filter(|a| !a.is_positional() && !a.is_global_set())
        .collect();
    if !options.is_empty() {
        let _ = writeln!(md, "## Options\n");
        for arg in options {
            describe_arg(&mut md, &flag_name(arg), arg);
        }
        md.push('\n');
    }
    let globals: Vec<&clap::Arg> = cmd
        .get_arguments()
        .filter(visible)
        .filter(|a| a.is_global_set())
        .collect();
    if !globals.is_empty() {
        let _ = writeln!(md, "## Global options\n");
        for arg in globals {
            describe_arg(&mut md, &flag_name(arg), arg);
        }
        md.push('\n');
    }

    let (examples, exits) = extras(&path.join(" "));
    if !examples.is_empty() {
        let _ = writeln!(md, "## Examples\n");
        let _ = writeln!(md, "```sh");
        for example in examples {
            let _ = writeln!(md, "{example}");
        }
        let _ = writeln!(md, "```\n");
    }
    let _ = writeln!(md, "## Exit codes\n");
    let _ = writeln!(md, "| code | meaning |\n|---|---|");
    for (code, meaning) in exits {
        let _ = writeln!(md, "| {code} | {meaning} |");
    }
    md
}

/// The other names a command answers to, as `` `shopsync sync` ``.
fn aliases_of(cmd: &clap::Command, parents: &[&str]) -> Vec<String> {
    cmd.get_visible_aliases()
        .map(|alias| {
            let mut words: Vec<&str> = parents.to_vec();
            words.push(alias);
            format!("`shopsync {}`", words.join(" "))
        })
        .collect()
}

fn flag_name(arg: &clap::Arg) -> String {
    let mut name = String::new();
    if let Some(short) = arg.get_short() {
        let _ = write!(name, "-{short}, ");
    }
    if let Some(long) = arg.get_long() {
        let _ = write!(name, "--{long}");
    }
    if arg.get_action().takes_values() {
        let value = arg
            .get_value_names()
            .and_then(|v| v.first().map(|n| n.to_string()))
            .unwrap_or_else(|| arg.get_id().as_str().to_ascii_uppercase());
        let _ = write!(name, " <{value}>");
    }
    name
}

fn describe_arg(md: &mut String, name: &str, arg: &clap::Arg) {
    let help = arg
        .get_long_help()
        .or(arg.get_help())
        .map(|h| h.to_string())
        .unwrap_or_default();
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut notes = Vec::new();
    let possible: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| format!("`{}`", v.get_name()))
        .collect();
    if !possible.is_empty() && arg.get_action().takes_values() {
        notes.push(format!("one of {}", possible.join(", ")));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && arg.get_action().takes_values() {
        notes.push(format!("default `{}`", defaults.join(",")));
    }
    if let Some(env) = arg.get_env() {
        notes.push(format!("env `{}`", env.to_string_lossy()));
    }
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", notes.join("; "))
    };
    let _ = writeln!(md, "- `{name}`: {help}{notes}");
}

const EXIT_OK: (u8, &str) = (0, "done");
const EXIT_FAILURE: (u8, &str) = (1, "it failed (the error says what failed and what to do)");
const EXIT_SIGINT: (u8, &str) = (
    130,
    "stopped by Ctrl-C (SIGINT) after the writes in flight were checkpointed; run the same command again to resume",
);
const EXIT_SIGTERM: (u8, &str) = (143, "stopped by SIGTERM, the same way");
const EXIT_USAGE: (u8, &str) = (
    2,
    "usage or configuration error: bad flags, a missing or broken profile, a missing or refused credential; nothing was written",
);

/// Examples and exit codes of the command `path` (`auth set`).
fn extras(path: &str) -> (Vec<&'static str>, Vec<(u8, &'static str)>) {
    let standard = vec![EXIT_OK, EXIT_FAILURE, EXIT_USAGE];
    match path {
        "initial-sync" => (
            vec![
                "shopsync initial-sync --profile acme --dry-run          # counts per stream",
                "shopsync sync --profile acme --quiet                    # the same command, from cron: prints only errors",
                "shopsync sync --profile acme,globex                     # two shops, one summary, the worst exit code",
                "shopsync sync --all-profiles --quiet                    # every HubSpot profile",
                "shopsync initial-sync --profile acme --dry-run --diff   # and every field, old -> new",
                "shopsync initial-sync --profile acme                    # do it",
                "shopsync initial-sync --profile acme --streams customers,orders --json",
                "shopsync initial-sync --profile acme --dry-run --detailed-exitcode || test $? -eq 3",
                "shopsync initial-sync --profile acme --rebuild-state   # the state file is empty or damaged",
            ],
            vec![
                (0, "done (a dry run: planned; with --detailed-exitcode: no changes)"),
                (1, "the run failed, or finished with records that could not be written (listed; retried next run)"),
                (2, "usage or configuration error: bad flags, a missing or broken profile, a missing or refused credential, a state file that cannot be read; nothing was written"),
                (3, "`--dry-run --detailed-exitcode` only: the plan has changes"),
                (4, "stopped at HubSpot's daily limit; progress is kept, run the same command again later"),
                EXIT_SIGINT,
                EXIT_SIGTERM,
            ],
        ),
        "skus" => (
            vec![
                "shopsync skus --profile leden --search jaar      # a word of the title, or the start of a SKU",
                "shopsync skus --profile leden --search HUD- --json",
            ],
            vec![
                (0, "the matching variants were shown (none is not an error)"),
                (1, "Shopify could not be searched"),
                EXIT_USAGE,
            ],
        ),
        "runs" => (
            vec![
                "shopsync runs                              # every profile's last 10 runs",
                "shopsync runs --profile acme --limit 3",
                "shopsync runs --profile acme --json | jq '.[0].failures[]'",
            ],
            vec![
                (0, "the runs were shown (a profile without a state store has none yet)"),
                (1, "a state store could not be read"),
                EXIT_USAGE,
            ],
        ),
        "push-products" => (
            vec![
                "shopsync push-products --profile pos --dry-run     # per product: what would change, old -> new",
                "shopsync push-products --profile pos",
                "shopsync push-products --profile pos --json | jq '.failures[]'",
                "shopsync push-products --profile pos --dry-run --detailed-exitcode || test $? -eq 3",
            ],
            vec![
                (0, "done (a dry run: planned; with --detailed-exitcode: no changes)"),
                (1, "bad catalogue rows, or products or stock levels the shop refused (each listed with why); the rest was written"),
                EXIT_USAGE,
                (3, "`--dry-run --detailed-exitcode` only: the plan has changes"),
                EXIT_SIGINT,
                EXIT_SIGTERM,
            ],
        ),
        "pull-stock" => (
            vec![
                "shopsync pull-stock --profile pos --dry-run",
                "shopsync pull-stock --profile pos",
                "shopsync pull-stock --profile pos --out stock.csv     # file back office",
            ],
            vec![
                (0, "done (a dry run: planned)"),
                (1, "levels that could not be written (listed), or the run failed"),
                EXIT_USAGE,
                EXIT_SIGINT,
                EXIT_SIGTERM,
            ],
        ),
        "link-products" => (
            vec![
                "shopsync link-products --profile pos --dry-run   # which products would be imported, which have no SKU",
                "shopsync link-products --profile pos",
                "shopsync link-products --profile pos --out catalogue.csv   # file back office: a new catalogue file",
            ],
            vec![
                (0, "done (products without SKU are reported, not imported)"),
                (1, "products that could not be imported (listed), or the run failed"),
                EXIT_USAGE,
                EXIT_SIGINT,
                EXIT_SIGTERM,
            ],
        ),
        "pull-customers" => (
            vec![
                "shopsync pull-customers --profile pos --dry-run     # who would be created or changed, field by field",
                "shopsync pull-customers --profile pos               # customers changed since the last run",
                "shopsync pull-customers --profile pos --full        # every customer",
                "shopsync pull-customers --profile pos --since 2026-05-01 --out customers.csv",
            ],
            vec![
                (0, "done (a dry run: planned)"),
                (1, "the run failed, or finished with customers that could not be written (listed; retried next run)"),
                EXIT_USAGE,
                EXIT_SIGINT,
                EXIT_SIGTERM,
            ],
        ),
        "auth" => (
            vec!["shopsync auth set acme shopify", "shopsync auth status"],
            standard,
        ),
        "auth set" => (
            vec![
                "shopsync auth set acme shopify                         # hidden prompt",
                "printf %s \"$TOKEN\" | shopsync auth set acme hubspot --stdin",
            ],
            standard,
        ),
        "auth status" => (
            vec!["shopsync auth status", "shopsync auth status acme --json"],
            vec![
                (0, "the report was printed (a keyring that cannot be read is reported in its rows)"),
                EXIT_USAGE,
            ],
        ),
        "auth delete" => (
            vec!["shopsync auth delete acme hubspot"],
            vec![
                (0, "the token is gone (also when none was stored)"),
                (1, "the keyring failed or timed out"),
                (2, "the keyring is unreachable or locked, or a usage error"),
            ],
        ),
        "demo" => (
            vec![
                "shopsync demo",
                "shopsync demo --customers 2000 --orders 5000 --time-scale 50",
            ],
            standard,
        ),
        "completions" => (
            vec![
                "shopsync completions bash > ~/.local/share/bash-completion/completions/shopsync",
                "shopsync completions zsh > ~/.zfunc/_shopsync       # with fpath+=(~/.zfunc) in ~/.zshrc",
                "shopsync completions fish > ~/.config/fish/completions/shopsync.fish",
                "shopsync completions powershell >> $PROFILE",
                "shopsync completions elvish > ~/.config/elvish/lib/shopsync.elv   # then `use shopsync` in rc.elv",
            ],
            vec![(0, "the script was printed"), (2, "an unknown shell")],
        ),
        "doctor" => (
            vec![
                "shopsync doctor                     # every profile",
                "shopsync doctor --profile acme",
                "shopsync doctor --profile acme --json | jq '.checks[] | select(.status != \"ok\")'",
            ],
            vec![
                (0, "every check is ok (warnings allowed)"),
                (1, "at least one check is an error (each says how to fix it)"),
                (2, "usage error"),
            ],
        ),
        "setup" => (
            vec!["shopsync setup", "shopsync setup --profile acme"],
            vec![
                (0, "the profile was written and its credentials stored"),
                (1, "a connection test or the keyring failed, or the wizard was cancelled; nothing was saved"),
                (2, "no terminal to ask on (cron, CI, piped input), or a usage error"),
            ],
        ),
        "webhook register" => (
            vec![
                "shopsync webhook register --profile leden --dry-run",
                "shopsync webhook register --profile leden",
                "shopsync webhook register --profile leden --replace   # after a new Huddle API key",
            ],
            standard,
        ),
        "webhook list" => (
            vec![
                "shopsync webhook list --profile leden",
                "shopsync webhook list --profile leden --json",
            ],
            standard,
        ),
        "webhook delete" => (
            vec!["shopsync webhook delete --profile leden --dry-run"],
            standard,
        ),
        "webhook replay" => (
            vec![
                "shopsync webhook replay --profile leden --since 2026-01-01 --dry-run",
                "shopsync webhook replay --profile leden --since 2026-01-01",
                "shopsync webhook replay --profile leden --since 2026-01-01 --resend '#1042'   # an uncertain order, checked in Huddle",
            ],
            vec![
                (0, "every order in the window with a mapped SKU is sent (or was already)"),
                (1, "an order failed or is uncertain (each listed, with what to do), a --resend matched nothing, or Huddle did not answer (the run stopped; run it again later)"),
                (2, "Huddle refused the API key, no SKUs are mapped, a credential is missing, or a usage error"),
            ],
        ),
        "map-sku" => (
            vec![
                "shopsync map-sku add --profile leden HUD-YEAR --levels Leden,Academy",
                "shopsync map-sku check --profile leden",
            ],
            standard,
        ),
        "map-sku add" => (
            vec![
                "shopsync map-sku add --profile leden HUD-YEAR --product Jaarlidmaatschap --levels Leden,Academy",
            ],
            vec![EXIT_OK, (1, "the state store failed"), EXIT_USAGE],
        ),
        "map-sku remove" => (
            vec!["shopsync map-sku remove --profile leden HUD-YEAR HUD-MONTH"],
            vec![EXIT_OK, (1, "the state store failed"), EXIT_USAGE],
        ),
        "map-sku list" => (
            vec![
                "shopsync map-sku list --profile leden",
                "shopsync map-sku list --profile leden --json > skus.json",
            ],
            vec![EXIT_OK, (1, "the state store failed"), EXIT_USAGE],
        ),
        "map-sku import" => (
            vec![
                "printf 'sku,product,levels\\nHUD-YEAR,Jaarlidmaatschap,Leden|Academy\\n' > skus.csv",
                "shopsync map-sku import --profile leden skus.csv --dry-run",
                "shopsync map-sku import --profile leden skus.csv             # merge",
                "shopsync map-sku import --profile leden skus.csv --replace   # the table becomes the file",
            ],
            vec![
                (0, "every row was imported (or, with --dry-run, would be)"),
                (1, "some rows were bad (each reported with its line and reason) and skipped; the others were imported"),
                (2, "the file cannot be read or has no `sku` and `levels` columns, or a usage error; nothing was imported"),
            ],
        ),
        "map-sku check" => (
            vec![
                "shopsync map-sku check --profile leden",
                "shopsync map-sku check --profile leden --since 2026-01-01 --json",
                "shopsync map-sku check --profile leden --allow-unmapped   # a shop that also sells other things",
            ],
            vec![
                (0, "every mapped SKU is on exactly one Shopify variant, and no sold SKU is unmapped"),
                (1, "Shopify could not be read, or the state store failed"),
                (2, "no SKUs mapped yet, a missing or refused credential, or a usage error"),
                (5, "a problem was found: a mapped SKU on no variant or on several, or a sold SKU unmapped (each listed)"),
            ],
        ),
        _ => (Vec::new(), standard),
    }
}

fn index_page(root: &clap::Command, index: &[IndexEntry]) -> String {
    let mut md = String::new();
    let _ = writeln!(
        md,
        "<!-- Generated from the clap definitions; regenerate with `{REGENERATE}`. -->\n"
    );
    let _ = writeln!(md, "# shopsync command reference\n");
    if let Some(about) = root.get_about() {
        let _ = writeln!(md, "{}\n", about.to_string().trim());
    }
    let _ = writeln!(md, "| command | what it does |\n|---|---|");
    for (name, file, about) in index {
        let _ = writeln!(md, "| [`shopsync {name}`]({file}) | {about} |");
    }
    md.push('\n');
    let _ = writeln!(md, "## Global options\n");
    let _ = writeln!(md, "Accepted by every command.\n");
    for arg in root
        .get_arguments()
        .filter(|a| a.is_global_set() && !a.is_hide_set())
    {
        describe_arg(&mut md, &flag_name(arg), arg);
    }
    md.push('\n');
    let _ = writeln!(
        md,
        "Data goes to stdout (tables, or JSON with `--json`); progress, status and warnings go to \
         stderr. Progress bars are drawn only on a terminal. No command prompts without a \
         terminal.\n"
    );
    let _ = writeln!(md, "## Exit codes\n");
    let _ = writeln!(
        md,
        "The same numbers for every command; each page lists the ones its command uses.\n"
    );
    let _ = writeln!(md, "| code | meaning |\n|---|---|");
    for (code, meaning) in [
        (0, "done (a dry run: planned; `doctor`: no check is an error)"),
        (1, "the command failed, a sync finished with records that could not be written, or a `doctor` check is an error"),
        EXIT_USAGE,
        (3, "`initial-sync --dry-run --detailed-exitcode` only: the plan has changes"),
        (4, "stopped at HubSpot's daily limit; progress is kept, run it again later"),
        (5, "`map-sku check` only: a problem was found (listed)"),
    ] {
        let _ = writeln!(md, "| {code} | {meaning} |");
    }
    md
}
