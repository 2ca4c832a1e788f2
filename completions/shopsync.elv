
use builtin;
use str;

set edit:completion:arg-completer[shopsync] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'shopsync'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'shopsync'= {
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand initial-sync 'Copy a shop''s products, customers and orders into the target system'
            cand sync 'Copy a shop''s products, customers and orders into the target system'
            cand auth 'Store, inspect and remove credentials in the OS keyring'
            cand demo 'Start local Shopify and HubSpot sandboxes and run a dry run and a real sync against them'
            cand sandbox 'Run the local Shopify, HubSpot, Huddle, Tellix, Spotler, Shopware, Heyloyalty and HostedShop fakes until Ctrl-C, for trying shopsync by hand'
            cand completions 'Print the shell completion script for SHELL on stdout'
            cand runs 'Show the last runs of each profile from its run log: counts, how each ended, and every record that failed with the reason'
            cand skus 'Find the shop''s variants and their SKUs by a word of the product title or the start of the SKU'
            cand doctor 'Check a profile''s setup: config, credentials, keyring, hosts, tokens, API versions, scopes and the state store, each with the fix'
            cand fields 'Show a Spotler profile''s field map: Spotler''s contact properties and the shop''s customer fields side by side'
            cand setup 'Set up a profile interactively: settings, tokens (into the keyring), connection tests'
            cand webhook 'Create, list and delete the Shopify webhook that sends paid orders to Huddle'
            cand pull-customers 'Pull Shopify customers into the back office (Tellix customers, or the customer file)'
            cand map-sku 'Keep and check a Huddle profile''s SKU table: which Shopify SKU gives which Huddle levels'
            cand push-products 'Create or update the shop''s products from the back office''s catalogue, by SKU'
            cand pull-stock 'Pull the shop''s stock levels into the back office, through the warehouse map'
            cand link-products 'First-time link: import the shop''s existing products into the back office, by SKU'
            cand serve 'Receive Heyloyalty''s webhooks for a two-way profile and apply them to the shop'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'shopsync;initial-sync'= {
            cand -p 'The profile to run, as named in the profile file; several, comma-separated, run one after another, with one summary and the worst exit code'
            cand --profile 'The profile to run, as named in the profile file; several, comma-separated, run one after another, with one summary and the worst exit code'
            cand --streams 'Which streams to sync, comma-separated [default: the profile''s, else all]'
            cand --state-dir 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]'
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --all-profiles 'Run every HubSpot and Spotler profile of the profile file, one after another (instead of --profile)'
            cand --dry-run 'Print the plan (what would be created, updated, deleted) and write nothing'
            cand --diff 'With --dry-run: also print every field that would change (old -> new)'
            cand --detailed-exitcode 'With --dry-run: exit 3 when the plan has changes, 0 when it has none'
            cand --full 'Read everything again instead of only what changed since the last run (also finds products and orders deleted in the shop)'
            cand --rebuild-state 'The profile''s state file cannot be read (empty or damaged): move it aside and start a new one, re-linking every record to what HubSpot already has by its unique key (e-mail, Shopify id) before writing. Deletions the old file remembered cannot be rebuilt'
            cand --rekey 'Spotler profiles whose `key` (the contact''s external id) changed since the last run: write every contact under its new external id (a full read; the contacts under the old ids stay in Spotler). Without it such a run is refused'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;sync'= {
            cand -p 'The profile to run, as named in the profile file; several, comma-separated, run one after another, with one summary and the worst exit code'
            cand --profile 'The profile to run, as named in the profile file; several, comma-separated, run one after another, with one summary and the worst exit code'
            cand --streams 'Which streams to sync, comma-separated [default: the profile''s, else all]'
            cand --state-dir 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]'
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --all-profiles 'Run every HubSpot and Spotler profile of the profile file, one after another (instead of --profile)'
            cand --dry-run 'Print the plan (what would be created, updated, deleted) and write nothing'
            cand --diff 'With --dry-run: also print every field that would change (old -> new)'
            cand --detailed-exitcode 'With --dry-run: exit 3 when the plan has changes, 0 when it has none'
            cand --full 'Read everything again instead of only what changed since the last run (also finds products and orders deleted in the shop)'
            cand --rebuild-state 'The profile''s state file cannot be read (empty or damaged): move it aside and start a new one, re-linking every record to what HubSpot already has by its unique key (e-mail, Shopify id) before writing. Deletions the old file remembered cannot be rebuilt'
            cand --rekey 'Spotler profiles whose `key` (the contact''s external id) changed since the last run: write every contact under its new external id (a full read; the contacts under the old ids stay in Spotler). Without it such a run is refused'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;auth'= {
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand set 'Store a credential for a profile (read from a hidden prompt, or from stdin with --stdin)'
            cand status 'Show which credentials are set and where each comes from (never the secret itself)'
            cand delete 'Remove a stored credential from the keyring'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'shopsync;auth;set'= {
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --stdin 'Read the token from standard input instead of a hidden prompt'
            cand --insecure-storage 'Store the token in a plain-text file (mode 0600) instead of the OS keyring: for a machine without one. Anyone who can read your files can read it. The file is `credentials.json` in the config dir, or what SHOPSYNC_CREDENTIALS_FILE names'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;auth;status'= {
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;auth;delete'= {
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;auth;help'= {
            cand set 'Store a credential for a profile (read from a hidden prompt, or from stdin with --stdin)'
            cand status 'Show which credentials are set and where each comes from (never the secret itself)'
            cand delete 'Remove a stored credential from the keyring'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'shopsync;auth;help;set'= {
        }
        &'shopsync;auth;help;status'= {
        }
        &'shopsync;auth;help;delete'= {
        }
        &'shopsync;auth;help;help'= {
        }
        &'shopsync;demo'= {
            cand --customers 'How many customers the sandbox store has'
            cand --products 'How many products the sandbox store has'
            cand --orders 'How many orders the sandbox store has'
            cand --time-scale 'Run the vendors'' rate limits this many times faster than real time'
            cand --flow 'Which flow to show: Shopify -> HubSpot, Shopware -> Spotler Mail+ (contacts out, an opt-out and a hard bounce back), or a Wannafind (HostedShop) shop two-way with Heyloyalty lists'
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;sandbox'= {
            cand --customers 'How many customers the store has [default: the sandbox''s]'
            cand --products 'How many products the store has [default: the sandbox''s]'
            cand --orders 'How many orders the store has [default: the sandbox''s]'
            cand --seed 'Seed of the store''s generator (the same seed, the same store)'
            cand --time-scale 'Run the vendors'' rate limits this many times faster than real time'
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --limits-lifted 'Enforce no rate limit at all'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;completions'= {
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;runs'= {
            cand -p 'Only this profile [default: every profile in the profile file]'
            cand --profile 'Only this profile [default: every profile in the profile file]'
            cand -n 'How many runs to show per profile, newest first'
            cand --limit 'How many runs to show per profile, newest first'
            cand --state-dir 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]'
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;skus'= {
            cand -p 'The profile whose shop to search, as named in the profile file'
            cand --profile 'The profile whose shop to search, as named in the profile file'
            cand -s 'A word of the product or variant title, or the start of a SKU'
            cand --search 'A word of the product or variant title, or the start of a SKU'
            cand -n 'Show at most this many variants'
            cand --limit 'Show at most this many variants'
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;doctor'= {
            cand -p 'Only this profile [default: every profile in the profile file]'
            cand --profile 'Only this profile [default: every profile in the profile file]'
            cand --state-dir 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]'
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;fields'= {
            cand -p 'The Spotler profile whose map to show, as named in the profile file'
            cand --profile 'The Spotler profile whose map to show, as named in the profile file'
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;setup'= {
            cand -p 'The profile to create or edit [default: asked]'
            cand --profile 'The profile to create or edit [default: asked]'
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;webhook'= {
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand register 'Create the Shopify `orders/paid` subscription that sends paid orders to Huddle'
            cand list 'List the shop''s webhook subscriptions (addresses with API keys masked)'
            cand delete 'Delete the subscription this profile registered (`--json`: an array of what was deleted)'
            cand replay 'Backfill: send orders paid before the webhook existed to Huddle, once ever each'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'shopsync;webhook;register'= {
            cand -p 'The profile, as named in the profile file'
            cand --profile 'The profile, as named in the profile file'
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --dry-run 'Show what would be created or changed, and change nothing'
            cand --replace 'Point this profile''s subscription at the current address when it points at another'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;webhook;list'= {
            cand -p 'The profile, as named in the profile file'
            cand --profile 'The profile, as named in the profile file'
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;webhook;delete'= {
            cand -p 'The profile, as named in the profile file'
            cand --profile 'The profile, as named in the profile file'
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --dry-run 'Show what would be deleted, and delete nothing'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;webhook;replay'= {
            cand -p 'The profile, as named in the profile file'
            cand --profile 'The profile, as named in the profile file'
            cand --since 'Send orders paid (processed) at or after DATE (YYYY-MM-DD or RFC 3339)'
            cand --until '... and before DATE [default: when this profile''s webhook was registered, else now]'
            cand --resend 'Send this order even if it was sent, or may have been (an uncertain send): `#1001`, `1001`, its numeric id or its gid. Repeatable'
            cand --state-dir 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]'
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --dry-run 'List the orders that would be sent, and send nothing'
            cand --resend-uncertain 'Send every uncertain order in the window again (check them in Huddle first)'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;webhook;help'= {
            cand register 'Create the Shopify `orders/paid` subscription that sends paid orders to Huddle'
            cand list 'List the shop''s webhook subscriptions (addresses with API keys masked)'
            cand delete 'Delete the subscription this profile registered (`--json`: an array of what was deleted)'
            cand replay 'Backfill: send orders paid before the webhook existed to Huddle, once ever each'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'shopsync;webhook;help;register'= {
        }
        &'shopsync;webhook;help;list'= {
        }
        &'shopsync;webhook;help;delete'= {
        }
        &'shopsync;webhook;help;replay'= {
        }
        &'shopsync;webhook;help;help'= {
        }
        &'shopsync;pull-customers'= {
            cand -p 'The profile to run (a back-office profile: `target = "backoffice"`)'
            cand --profile 'The profile to run (a back-office profile: `target = "backoffice"`)'
            cand --since 'Read the customers changed on or after DATE (YYYY-MM-DD, or RFC 3339)'
            cand --out 'The customer file to write (.csv or .jsonl) [default: the profile''s customers_file]; file back offices only'
            cand --state-dir 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]'
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --dry-run 'Show what would be created or changed, field by field, and write nothing'
            cand --full 'Read every customer instead of only those changed since the last run'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;map-sku'= {
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Map a Shopify SKU to a Huddle webhook product and its access levels, or change its mapping'
            cand remove 'Remove SKUs from the table (a SKU that is not mapped is reported, not an error)'
            cand list 'Show the table (`--json`: an array of `{sku, product, levels}`)'
            cand import 'Add or update mappings from a CSV file with a header row `sku,product,levels`'
            cand check 'Check the table against the shop: each mapped SKU is on exactly one Shopify variant, and every SKU sold since --since is mapped'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'shopsync;map-sku;add'= {
            cand -p 'The profile, as named in the profile file'
            cand --profile 'The profile, as named in the profile file'
            cand --state-dir 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]'
            cand -l 'The access levels the Huddle product gives, comma-separated'
            cand --levels 'The access levels the Huddle product gives, comma-separated'
            cand --product 'The Huddle webhook product''s title, for your own reference'
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;map-sku;remove'= {
            cand -p 'The profile, as named in the profile file'
            cand --profile 'The profile, as named in the profile file'
            cand --state-dir 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]'
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;map-sku;list'= {
            cand -p 'The profile, as named in the profile file'
            cand --profile 'The profile, as named in the profile file'
            cand --state-dir 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]'
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;map-sku;import'= {
            cand -p 'The profile, as named in the profile file'
            cand --profile 'The profile, as named in the profile file'
            cand --state-dir 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]'
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --replace 'Make the table exactly the file: remove mapped SKUs the file does not name'
            cand --dry-run 'Show what would change, and change nothing'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;map-sku;check'= {
            cand -p 'The profile, as named in the profile file'
            cand --profile 'The profile, as named in the profile file'
            cand --state-dir 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]'
            cand --since 'Look for unmapped SKUs in orders paid since DATE (YYYY-MM-DD or RFC 3339) [default: 60 days ago, as far as Shopify shows orders without `read_all_orders`]'
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --allow-unmapped 'Report sold but unmapped SKUs as warnings, not problems (a shop that also sells things that give no membership)'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;map-sku;help'= {
            cand add 'Map a Shopify SKU to a Huddle webhook product and its access levels, or change its mapping'
            cand remove 'Remove SKUs from the table (a SKU that is not mapped is reported, not an error)'
            cand list 'Show the table (`--json`: an array of `{sku, product, levels}`)'
            cand import 'Add or update mappings from a CSV file with a header row `sku,product,levels`'
            cand check 'Check the table against the shop: each mapped SKU is on exactly one Shopify variant, and every SKU sold since --since is mapped'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'shopsync;map-sku;help;add'= {
        }
        &'shopsync;map-sku;help;remove'= {
        }
        &'shopsync;map-sku;help;list'= {
        }
        &'shopsync;map-sku;help;import'= {
        }
        &'shopsync;map-sku;help;check'= {
        }
        &'shopsync;map-sku;help;help'= {
        }
        &'shopsync;push-products'= {
            cand -p 'The profile to run (a back-office profile: `target = "backoffice"`)'
            cand --profile 'The profile to run (a back-office profile: `target = "backoffice"`)'
            cand --state-dir 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]'
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --dry-run 'Show per product what would be created or changed, field by field (old -> new), and write nothing'
            cand --detailed-exitcode 'With --dry-run: exit 3 when the plan has changes, 0 when it has none'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;pull-stock'= {
            cand -p 'The profile to run (a back-office profile: `target = "backoffice"`)'
            cand --profile 'The profile to run (a back-office profile: `target = "backoffice"`)'
            cand --out 'The stock file to write (.csv or .jsonl) [default: the profile''s stock_file]; file back offices only'
            cand --state-dir 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]'
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --dry-run 'Show what would change and write nothing'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;link-products'= {
            cand -p 'The profile to run (a back-office profile: `target = "backoffice"`)'
            cand --profile 'The profile to run (a back-office profile: `target = "backoffice"`)'
            cand --out 'The catalogue file to write (.csv or .jsonl; must not exist yet) [default: the profile''s catalogue]; file back offices only'
            cand --state-dir 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]'
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --dry-run 'Show what would be imported and write nothing'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;serve'= {
            cand -p 'The profile whose webhooks to receive (`target = "heyloyalty"`)'
            cand --profile 'The profile whose webhooks to receive (`target = "heyloyalty"`)'
            cand --listen 'The address to listen on (port 0: any free port, printed on start)'
            cand --state-dir 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]'
            cand --config 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]'
            cand --log-format 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line'
            cand --json 'Print machine-readable JSON on stdout instead of tables'
            cand -q 'Print nothing when all went well, and only errors (on stderr) when not'
            cand --quiet 'Print nothing when all went well, and only errors (on stderr) when not'
            cand -v 'Print each HTTP request (never its secrets) and other details on stderr'
            cand --verbose 'Print each HTTP request (never its secrets) and other details on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'shopsync;help'= {
            cand initial-sync 'Copy a shop''s products, customers and orders into the target system'
            cand auth 'Store, inspect and remove credentials in the OS keyring'
            cand demo 'Start local Shopify and HubSpot sandboxes and run a dry run and a real sync against them'
            cand sandbox 'Run the local Shopify, HubSpot, Huddle, Tellix, Spotler, Shopware, Heyloyalty and HostedShop fakes until Ctrl-C, for trying shopsync by hand'
            cand completions 'Print the shell completion script for SHELL on stdout'
            cand runs 'Show the last runs of each profile from its run log: counts, how each ended, and every record that failed with the reason'
            cand skus 'Find the shop''s variants and their SKUs by a word of the product title or the start of the SKU'
            cand doctor 'Check a profile''s setup: config, credentials, keyring, hosts, tokens, API versions, scopes and the state store, each with the fix'
            cand fields 'Show a Spotler profile''s field map: Spotler''s contact properties and the shop''s customer fields side by side'
            cand setup 'Set up a profile interactively: settings, tokens (into the keyring), connection tests'
            cand webhook 'Create, list and delete the Shopify webhook that sends paid orders to Huddle'
            cand pull-customers 'Pull Shopify customers into the back office (Tellix customers, or the customer file)'
            cand map-sku 'Keep and check a Huddle profile''s SKU table: which Shopify SKU gives which Huddle levels'
            cand push-products 'Create or update the shop''s products from the back office''s catalogue, by SKU'
            cand pull-stock 'Pull the shop''s stock levels into the back office, through the warehouse map'
            cand link-products 'First-time link: import the shop''s existing products into the back office, by SKU'
            cand serve 'Receive Heyloyalty''s webhooks for a two-way profile and apply them to the shop'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'shopsync;help;initial-sync'= {
        }
        &'shopsync;help;auth'= {
            cand set 'Store a credential for a profile (read from a hidden prompt, or from stdin with --stdin)'
            cand status 'Show which credentials are set and where each comes from (never the secret itself)'
            cand delete 'Remove a stored credential from the keyring'
        }
        &'shopsync;help;auth;set'= {
        }
        &'shopsync;help;auth;status'= {
        }
        &'shopsync;help;auth;delete'= {
        }
        &'shopsync;help;demo'= {
        }
        &'shopsync;help;sandbox'= {
        }
        &'shopsync;help;completions'= {
        }
        &'shopsync;help;runs'= {
        }
        &'shopsync;help;skus'= {
        }
        &'shopsync;help;doctor'= {
        }
        &'shopsync;help;fields'= {
        }
        &'shopsync;help;setup'= {
        }
        &'shopsync;help;webhook'= {
            cand register 'Create the Shopify `orders/paid` subscription that sends paid orders to Huddle'
            cand list 'List the shop''s webhook subscriptions (addresses with API keys masked)'
            cand delete 'Delete the subscription this profile registered (`--json`: an array of what was deleted)'
            cand replay 'Backfill: send orders paid before the webhook existed to Huddle, once ever each'
        }
        &'shopsync;help;webhook;register'= {
        }
        &'shopsync;help;webhook;list'= {
        }
        &'shopsync;help;webhook;delete'= {
        }
        &'shopsync;help;webhook;replay'= {
        }
        &'shopsync;help;pull-customers'= {
        }
        &'shopsync;help;map-sku'= {
            cand add 'Map a Shopify SKU to a Huddle webhook product and its access levels, or change its mapping'
            cand remove 'Remove SKUs from the table (a SKU that is not mapped is reported, not an error)'
            cand list 'Show the table (`--json`: an array of `{sku, product, levels}`)'
            cand import 'Add or update mappings from a CSV file with a header row `sku,product,levels`'
            cand check 'Check the table against the shop: each mapped SKU is on exactly one Shopify variant, and every SKU sold since --since is mapped'
        }
        &'shopsync;help;map-sku;add'= {
        }
        &'shopsync;help;map-sku;remove'= {
        }
        &'shopsync;help;map-sku;list'= {
        }
        &'shopsync;help;map-sku;import'= {
        }
        &'shopsync;help;map-sku;check'= {
        }
        &'shopsync;help;push-products'= {
        }
        &'shopsync;help;pull-stock'= {
        }
        &'shopsync;help;link-products'= {
        }
        &'shopsync;help;serve'= {
        }
        &'shopsync;help;help'= {
        }
    ]
    $completions[$command]
}
