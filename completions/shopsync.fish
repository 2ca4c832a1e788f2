# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_shopsync_global_optspecs
    string join \n config= json q/quiet v/verbose log-format= h/help V/version
end

function __fish_shopsync_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_shopsync_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_shopsync_using_subcommand
    set -l cmd (__fish_shopsync_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c shopsync -n "__fish_shopsync_needs_command" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_needs_command" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_needs_command" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_needs_command" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_needs_command" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c shopsync -n "__fish_shopsync_needs_command" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_needs_command" -f -a "initial-sync" -d 'Copy a shop\'s products, customers and orders into the target system'
complete -c shopsync -n "__fish_shopsync_needs_command" -f -a "sync" -d 'Copy a shop\'s products, customers and orders into the target system'
complete -c shopsync -n "__fish_shopsync_needs_command" -f -a "auth" -d 'Store, inspect and remove credentials in the OS keyring'
complete -c shopsync -n "__fish_shopsync_needs_command" -f -a "demo" -d 'Start local Shopify and HubSpot sandboxes and run a dry run and a real sync against them'
complete -c shopsync -n "__fish_shopsync_needs_command" -f -a "sandbox" -d 'Run the local Shopify, HubSpot, Huddle, Tellix, Spotler, Shopware, Heyloyalty and HostedShop fakes until Ctrl-C, for trying shopsync by hand'
complete -c shopsync -n "__fish_shopsync_needs_command" -f -a "completions" -d 'Print the shell completion script for SHELL on stdout'
complete -c shopsync -n "__fish_shopsync_needs_command" -f -a "runs" -d 'Show the last runs of each profile from its run log: counts, how each ended, and every record that failed with the reason'
complete -c shopsync -n "__fish_shopsync_needs_command" -f -a "skus" -d 'Find the shop\'s variants and their SKUs by a word of the product title or the start of the SKU'
complete -c shopsync -n "__fish_shopsync_needs_command" -f -a "doctor" -d 'Check a profile\'s setup: config, credentials, keyring, hosts, tokens, API versions, scopes and the state store, each with the fix'
complete -c shopsync -n "__fish_shopsync_needs_command" -f -a "fields" -d 'Show a Spotler profile\'s field map: Spotler\'s contact properties and the shop\'s customer fields side by side'
complete -c shopsync -n "__fish_shopsync_needs_command" -f -a "setup" -d 'Set up a profile interactively: settings, tokens (into the keyring), connection tests'
complete -c shopsync -n "__fish_shopsync_needs_command" -f -a "webhook" -d 'Create, list and delete the Shopify webhook that sends paid orders to Huddle'
complete -c shopsync -n "__fish_shopsync_needs_command" -f -a "pull-customers" -d 'Pull Shopify customers into the back office (Tellix customers, or the customer file)'
complete -c shopsync -n "__fish_shopsync_needs_command" -f -a "map-sku" -d 'Keep and check a Huddle profile\'s SKU table: which Shopify SKU gives which Huddle levels'
complete -c shopsync -n "__fish_shopsync_needs_command" -f -a "push-products" -d 'Create or update the shop\'s products from the back office\'s catalogue, by SKU'
complete -c shopsync -n "__fish_shopsync_needs_command" -f -a "pull-stock" -d 'Pull the shop\'s stock levels into the back office, through the warehouse map'
complete -c shopsync -n "__fish_shopsync_needs_command" -f -a "link-products" -d 'First-time link: import the shop\'s existing products into the back office, by SKU'
complete -c shopsync -n "__fish_shopsync_needs_command" -f -a "serve" -d 'Receive Heyloyalty\'s webhooks for a two-way profile and apply them to the shop'
complete -c shopsync -n "__fish_shopsync_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c shopsync -n "__fish_shopsync_using_subcommand initial-sync" -s p -l profile -d 'The profile to run, as named in the profile file; several, comma-separated, run one after another, with one summary and the worst exit code' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand initial-sync" -l streams -d 'Which streams to sync, comma-separated [default: the profile\'s, else all]' -r -f -a "products\t''
customers\t''
orders\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand initial-sync" -l state-dir -d 'Where the state store lives [default: the profile\'s state_dir, else the OS data dir]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand initial-sync" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand initial-sync" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand initial-sync" -l all-profiles -d 'Run every HubSpot and Spotler profile of the profile file, one after another (instead of --profile)'
complete -c shopsync -n "__fish_shopsync_using_subcommand initial-sync" -l dry-run -d 'Print the plan (what would be created, updated, deleted) and write nothing'
complete -c shopsync -n "__fish_shopsync_using_subcommand initial-sync" -l diff -d 'With --dry-run: also print every field that would change (old -> new)'
complete -c shopsync -n "__fish_shopsync_using_subcommand initial-sync" -l detailed-exitcode -d 'With --dry-run: exit 3 when the plan has changes, 0 when it has none'
complete -c shopsync -n "__fish_shopsync_using_subcommand initial-sync" -l full -d 'Read everything again instead of only what changed since the last run (also finds products and orders deleted in the shop)'
complete -c shopsync -n "__fish_shopsync_using_subcommand initial-sync" -l rebuild-state -d 'The profile\'s state file cannot be read (empty or damaged): move it aside and start a new one, re-linking every record to what HubSpot already has by its unique key (e-mail, Shopify id) before writing. Deletions the old file remembered cannot be rebuilt'
complete -c shopsync -n "__fish_shopsync_using_subcommand initial-sync" -l rekey -d 'Spotler profiles whose `key` (the contact\'s external id) changed since the last run: write every contact under its new external id (a full read; the contacts under the old ids stay in Spotler). Without it such a run is refused'
complete -c shopsync -n "__fish_shopsync_using_subcommand initial-sync" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand initial-sync" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand initial-sync" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand initial-sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c shopsync -n "__fish_shopsync_using_subcommand initial-sync" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand sync" -s p -l profile -d 'The profile to run, as named in the profile file; several, comma-separated, run one after another, with one summary and the worst exit code' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand sync" -l streams -d 'Which streams to sync, comma-separated [default: the profile\'s, else all]' -r -f -a "products\t''
customers\t''
orders\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand sync" -l state-dir -d 'Where the state store lives [default: the profile\'s state_dir, else the OS data dir]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand sync" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand sync" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand sync" -l all-profiles -d 'Run every HubSpot and Spotler profile of the profile file, one after another (instead of --profile)'
complete -c shopsync -n "__fish_shopsync_using_subcommand sync" -l dry-run -d 'Print the plan (what would be created, updated, deleted) and write nothing'
complete -c shopsync -n "__fish_shopsync_using_subcommand sync" -l diff -d 'With --dry-run: also print every field that would change (old -> new)'
complete -c shopsync -n "__fish_shopsync_using_subcommand sync" -l detailed-exitcode -d 'With --dry-run: exit 3 when the plan has changes, 0 when it has none'
complete -c shopsync -n "__fish_shopsync_using_subcommand sync" -l full -d 'Read everything again instead of only what changed since the last run (also finds products and orders deleted in the shop)'
complete -c shopsync -n "__fish_shopsync_using_subcommand sync" -l rebuild-state -d 'The profile\'s state file cannot be read (empty or damaged): move it aside and start a new one, re-linking every record to what HubSpot already has by its unique key (e-mail, Shopify id) before writing. Deletions the old file remembered cannot be rebuilt'
complete -c shopsync -n "__fish_shopsync_using_subcommand sync" -l rekey -d 'Spotler profiles whose `key` (the contact\'s external id) changed since the last run: write every contact under its new external id (a full read; the contacts under the old ids stay in Spotler). Without it such a run is refused'
complete -c shopsync -n "__fish_shopsync_using_subcommand sync" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand sync" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand sync" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c shopsync -n "__fish_shopsync_using_subcommand sync" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and not __fish_seen_subcommand_from set status delete help" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and not __fish_seen_subcommand_from set status delete help" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and not __fish_seen_subcommand_from set status delete help" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and not __fish_seen_subcommand_from set status delete help" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and not __fish_seen_subcommand_from set status delete help" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and not __fish_seen_subcommand_from set status delete help" -s h -l help -d 'Print help'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and not __fish_seen_subcommand_from set status delete help" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and not __fish_seen_subcommand_from set status delete help" -f -a "set" -d 'Store a credential for a profile (read from a hidden prompt, or from stdin with --stdin)'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and not __fish_seen_subcommand_from set status delete help" -f -a "status" -d 'Show which credentials are set and where each comes from (never the secret itself)'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and not __fish_seen_subcommand_from set status delete help" -f -a "delete" -d 'Remove a stored credential from the keyring'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and not __fish_seen_subcommand_from set status delete help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from set" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from set" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from set" -l stdin -d 'Read the token from standard input instead of a hidden prompt'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from set" -l insecure-storage -d 'Store the token in a plain-text file (mode 0600) instead of the OS keyring: for a machine without one. Anyone who can read your files can read it. The file is `credentials.json` in the config dir, or what SHOPSYNC_CREDENTIALS_FILE names'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from set" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from set" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from status" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from status" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from status" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from delete" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from delete" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from delete" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "set" -d 'Store a credential for a profile (read from a hidden prompt, or from stdin with --stdin)'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show which credentials are set and where each comes from (never the secret itself)'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Remove a stored credential from the keyring'
complete -c shopsync -n "__fish_shopsync_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c shopsync -n "__fish_shopsync_using_subcommand demo" -l customers -d 'How many customers the sandbox store has' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand demo" -l products -d 'How many products the sandbox store has' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand demo" -l orders -d 'How many orders the sandbox store has' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand demo" -l time-scale -d 'Run the vendors\' rate limits this many times faster than real time' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand demo" -l flow -d 'Which flow to show: Shopify -> HubSpot, Shopware -> Spotler Mail+ (contacts out, an opt-out and a hard bounce back), or a Wannafind (HostedShop) shop two-way with Heyloyalty lists' -r -f -a "hubspot\t''
spotler\t''
heyloyalty\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand demo" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand demo" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand demo" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand demo" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand demo" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand demo" -s h -l help -d 'Print help'
complete -c shopsync -n "__fish_shopsync_using_subcommand demo" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand sandbox" -l customers -d 'How many customers the store has [default: the sandbox\'s]' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand sandbox" -l products -d 'How many products the store has [default: the sandbox\'s]' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand sandbox" -l orders -d 'How many orders the store has [default: the sandbox\'s]' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand sandbox" -l seed -d 'Seed of the store\'s generator (the same seed, the same store)' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand sandbox" -l time-scale -d 'Run the vendors\' rate limits this many times faster than real time' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand sandbox" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand sandbox" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand sandbox" -l limits-lifted -d 'Enforce no rate limit at all'
complete -c shopsync -n "__fish_shopsync_using_subcommand sandbox" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand sandbox" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand sandbox" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand sandbox" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c shopsync -n "__fish_shopsync_using_subcommand sandbox" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand completions" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand completions" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand completions" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand completions" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand completions" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c shopsync -n "__fish_shopsync_using_subcommand completions" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand runs" -s p -l profile -d 'Only this profile [default: every profile in the profile file]' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand runs" -s n -l limit -d 'How many runs to show per profile, newest first' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand runs" -l state-dir -d 'Where the state store lives [default: the profile\'s state_dir, else the OS data dir]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand runs" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand runs" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand runs" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand runs" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand runs" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand runs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c shopsync -n "__fish_shopsync_using_subcommand runs" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand skus" -s p -l profile -d 'The profile whose shop to search, as named in the profile file' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand skus" -s s -l search -d 'A word of the product or variant title, or the start of a SKU' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand skus" -s n -l limit -d 'Show at most this many variants' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand skus" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand skus" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand skus" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand skus" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand skus" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand skus" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c shopsync -n "__fish_shopsync_using_subcommand skus" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand doctor" -s p -l profile -d 'Only this profile [default: every profile in the profile file]' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand doctor" -l state-dir -d 'Where the state store lives [default: the profile\'s state_dir, else the OS data dir]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand doctor" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand doctor" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand doctor" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand doctor" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand doctor" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c shopsync -n "__fish_shopsync_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand fields" -s p -l profile -d 'The Spotler profile whose map to show, as named in the profile file' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand fields" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand fields" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand fields" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand fields" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand fields" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand fields" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c shopsync -n "__fish_shopsync_using_subcommand fields" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand setup" -s p -l profile -d 'The profile to create or edit [default: asked]' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand setup" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand setup" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand setup" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand setup" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand setup" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand setup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c shopsync -n "__fish_shopsync_using_subcommand setup" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and not __fish_seen_subcommand_from register list delete replay help" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and not __fish_seen_subcommand_from register list delete replay help" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and not __fish_seen_subcommand_from register list delete replay help" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and not __fish_seen_subcommand_from register list delete replay help" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and not __fish_seen_subcommand_from register list delete replay help" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and not __fish_seen_subcommand_from register list delete replay help" -s h -l help -d 'Print help'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and not __fish_seen_subcommand_from register list delete replay help" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and not __fish_seen_subcommand_from register list delete replay help" -f -a "register" -d 'Create the Shopify `orders/paid` subscription that sends paid orders to Huddle'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and not __fish_seen_subcommand_from register list delete replay help" -f -a "list" -d 'List the shop\'s webhook subscriptions (addresses with API keys masked)'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and not __fish_seen_subcommand_from register list delete replay help" -f -a "delete" -d 'Delete the subscription this profile registered (`--json`: an array of what was deleted)'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and not __fish_seen_subcommand_from register list delete replay help" -f -a "replay" -d 'Backfill: send orders paid before the webhook existed to Huddle, once ever each'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and not __fish_seen_subcommand_from register list delete replay help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from register" -s p -l profile -d 'The profile, as named in the profile file' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from register" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from register" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from register" -l dry-run -d 'Show what would be created or changed, and change nothing'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from register" -l replace -d 'Point this profile\'s subscription at the current address when it points at another'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from register" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from register" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from register" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from register" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from register" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from list" -s p -l profile -d 'The profile, as named in the profile file' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from list" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from list" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from list" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from delete" -s p -l profile -d 'The profile, as named in the profile file' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from delete" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from delete" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from delete" -l dry-run -d 'Show what would be deleted, and delete nothing'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from delete" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from replay" -s p -l profile -d 'The profile, as named in the profile file' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from replay" -l since -d 'Send orders paid (processed) at or after DATE (YYYY-MM-DD or RFC 3339)' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from replay" -l until -d '... and before DATE [default: when this profile\'s webhook was registered, else now]' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from replay" -l resend -d 'Send this order even if it was sent, or may have been (an uncertain send): `#1001`, `1001`, its numeric id or its gid. Repeatable' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from replay" -l state-dir -d 'Where the state store lives [default: the profile\'s state_dir, else the OS data dir]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from replay" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from replay" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from replay" -l dry-run -d 'List the orders that would be sent, and send nothing'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from replay" -l resend-uncertain -d 'Send every uncertain order in the window again (check them in Huddle first)'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from replay" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from replay" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from replay" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from replay" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from replay" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from help" -f -a "register" -d 'Create the Shopify `orders/paid` subscription that sends paid orders to Huddle'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the shop\'s webhook subscriptions (addresses with API keys masked)'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete the subscription this profile registered (`--json`: an array of what was deleted)'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from help" -f -a "replay" -d 'Backfill: send orders paid before the webhook existed to Huddle, once ever each'
complete -c shopsync -n "__fish_shopsync_using_subcommand webhook; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c shopsync -n "__fish_shopsync_using_subcommand pull-customers" -s p -l profile -d 'The profile to run (a back-office profile: `target = "backoffice"`)' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand pull-customers" -l since -d 'Read the customers changed on or after DATE (YYYY-MM-DD, or RFC 3339)' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand pull-customers" -l out -d 'The customer file to write (.csv or .jsonl) [default: the profile\'s customers_file]; file back offices only' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand pull-customers" -l state-dir -d 'Where the state store lives [default: the profile\'s state_dir, else the OS data dir]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand pull-customers" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand pull-customers" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand pull-customers" -l dry-run -d 'Show what would be created or changed, field by field, and write nothing'
complete -c shopsync -n "__fish_shopsync_using_subcommand pull-customers" -l full -d 'Read every customer instead of only those changed since the last run'
complete -c shopsync -n "__fish_shopsync_using_subcommand pull-customers" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand pull-customers" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand pull-customers" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand pull-customers" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c shopsync -n "__fish_shopsync_using_subcommand pull-customers" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and not __fish_seen_subcommand_from add remove list import check help" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and not __fish_seen_subcommand_from add remove list import check help" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and not __fish_seen_subcommand_from add remove list import check help" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and not __fish_seen_subcommand_from add remove list import check help" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and not __fish_seen_subcommand_from add remove list import check help" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and not __fish_seen_subcommand_from add remove list import check help" -s h -l help -d 'Print help'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and not __fish_seen_subcommand_from add remove list import check help" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and not __fish_seen_subcommand_from add remove list import check help" -f -a "add" -d 'Map a Shopify SKU to a Huddle webhook product and its access levels, or change its mapping'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and not __fish_seen_subcommand_from add remove list import check help" -f -a "remove" -d 'Remove SKUs from the table (a SKU that is not mapped is reported, not an error)'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and not __fish_seen_subcommand_from add remove list import check help" -f -a "list" -d 'Show the table (`--json`: an array of `{sku, product, levels}`)'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and not __fish_seen_subcommand_from add remove list import check help" -f -a "import" -d 'Add or update mappings from a CSV file with a header row `sku,product,levels`'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and not __fish_seen_subcommand_from add remove list import check help" -f -a "check" -d 'Check the table against the shop: each mapped SKU is on exactly one Shopify variant, and every SKU sold since --since is mapped'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and not __fish_seen_subcommand_from add remove list import check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from add" -s p -l profile -d 'The profile, as named in the profile file' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from add" -l state-dir -d 'Where the state store lives [default: the profile\'s state_dir, else the OS data dir]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from add" -s l -l levels -d 'The access levels the Huddle product gives, comma-separated' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from add" -l product -d 'The Huddle webhook product\'s title, for your own reference' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from add" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from add" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from add" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from remove" -s p -l profile -d 'The profile, as named in the profile file' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from remove" -l state-dir -d 'Where the state store lives [default: the profile\'s state_dir, else the OS data dir]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from remove" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from remove" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from remove" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from list" -s p -l profile -d 'The profile, as named in the profile file' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from list" -l state-dir -d 'Where the state store lives [default: the profile\'s state_dir, else the OS data dir]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from list" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from list" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from list" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from import" -s p -l profile -d 'The profile, as named in the profile file' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from import" -l state-dir -d 'Where the state store lives [default: the profile\'s state_dir, else the OS data dir]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from import" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from import" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from import" -l replace -d 'Make the table exactly the file: remove mapped SKUs the file does not name'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from import" -l dry-run -d 'Show what would change, and change nothing'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from import" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from import" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from check" -s p -l profile -d 'The profile, as named in the profile file' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from check" -l state-dir -d 'Where the state store lives [default: the profile\'s state_dir, else the OS data dir]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from check" -l since -d 'Look for unmapped SKUs in orders paid since DATE (YYYY-MM-DD or RFC 3339) [default: 60 days ago, as far as Shopify shows orders without `read_all_orders`]' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from check" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from check" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from check" -l allow-unmapped -d 'Report sold but unmapped SKUs as warnings, not problems (a shop that also sells things that give no membership)'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from check" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from check" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from help" -f -a "add" -d 'Map a Shopify SKU to a Huddle webhook product and its access levels, or change its mapping'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove SKUs from the table (a SKU that is not mapped is reported, not an error)'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from help" -f -a "list" -d 'Show the table (`--json`: an array of `{sku, product, levels}`)'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from help" -f -a "import" -d 'Add or update mappings from a CSV file with a header row `sku,product,levels`'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from help" -f -a "check" -d 'Check the table against the shop: each mapped SKU is on exactly one Shopify variant, and every SKU sold since --since is mapped'
complete -c shopsync -n "__fish_shopsync_using_subcommand map-sku; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c shopsync -n "__fish_shopsync_using_subcommand push-products" -s p -l profile -d 'The profile to run (a back-office profile: `target = "backoffice"`)' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand push-products" -l state-dir -d 'Where the state store lives [default: the profile\'s state_dir, else the OS data dir]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand push-products" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand push-products" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand push-products" -l dry-run -d 'Show per product what would be created or changed, field by field (old -> new), and write nothing'
complete -c shopsync -n "__fish_shopsync_using_subcommand push-products" -l detailed-exitcode -d 'With --dry-run: exit 3 when the plan has changes, 0 when it has none'
complete -c shopsync -n "__fish_shopsync_using_subcommand push-products" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand push-products" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand push-products" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand push-products" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c shopsync -n "__fish_shopsync_using_subcommand push-products" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand pull-stock" -s p -l profile -d 'The profile to run (a back-office profile: `target = "backoffice"`)' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand pull-stock" -l out -d 'The stock file to write (.csv or .jsonl) [default: the profile\'s stock_file]; file back offices only' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand pull-stock" -l state-dir -d 'Where the state store lives [default: the profile\'s state_dir, else the OS data dir]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand pull-stock" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand pull-stock" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand pull-stock" -l dry-run -d 'Show what would change and write nothing'
complete -c shopsync -n "__fish_shopsync_using_subcommand pull-stock" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand pull-stock" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand pull-stock" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand pull-stock" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c shopsync -n "__fish_shopsync_using_subcommand pull-stock" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand link-products" -s p -l profile -d 'The profile to run (a back-office profile: `target = "backoffice"`)' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand link-products" -l out -d 'The catalogue file to write (.csv or .jsonl; must not exist yet) [default: the profile\'s catalogue]; file back offices only' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand link-products" -l state-dir -d 'Where the state store lives [default: the profile\'s state_dir, else the OS data dir]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand link-products" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand link-products" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand link-products" -l dry-run -d 'Show what would be imported and write nothing'
complete -c shopsync -n "__fish_shopsync_using_subcommand link-products" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand link-products" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand link-products" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand link-products" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c shopsync -n "__fish_shopsync_using_subcommand link-products" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand serve" -s p -l profile -d 'The profile whose webhooks to receive (`target = "heyloyalty"`)' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand serve" -l listen -d 'The address to listen on (port 0: any free port, printed on start)' -r
complete -c shopsync -n "__fish_shopsync_using_subcommand serve" -l state-dir -d 'Where the state store lives [default: the profile\'s state_dir, else the OS data dir]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand serve" -l config -d 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]' -r -F
complete -c shopsync -n "__fish_shopsync_using_subcommand serve" -l log-format -d 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line' -r -f -a "auto\t''
human\t''
plain\t''
json\t''"
complete -c shopsync -n "__fish_shopsync_using_subcommand serve" -l json -d 'Print machine-readable JSON on stdout instead of tables'
complete -c shopsync -n "__fish_shopsync_using_subcommand serve" -s q -l quiet -d 'Print nothing when all went well, and only errors (on stderr) when not'
complete -c shopsync -n "__fish_shopsync_using_subcommand serve" -s v -l verbose -d 'Print each HTTP request (never its secrets) and other details on stderr'
complete -c shopsync -n "__fish_shopsync_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c shopsync -n "__fish_shopsync_using_subcommand serve" -s V -l version -d 'Print version'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and not __fish_seen_subcommand_from initial-sync auth demo sandbox completions runs skus doctor fields setup webhook pull-customers map-sku push-products pull-stock link-products serve help" -f -a "initial-sync" -d 'Copy a shop\'s products, customers and orders into the target system'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and not __fish_seen_subcommand_from initial-sync auth demo sandbox completions runs skus doctor fields setup webhook pull-customers map-sku push-products pull-stock link-products serve help" -f -a "auth" -d 'Store, inspect and remove credentials in the OS keyring'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and not __fish_seen_subcommand_from initial-sync auth demo sandbox completions runs skus doctor fields setup webhook pull-customers map-sku push-products pull-stock link-products serve help" -f -a "demo" -d 'Start local Shopify and HubSpot sandboxes and run a dry run and a real sync against them'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and not __fish_seen_subcommand_from initial-sync auth demo sandbox completions runs skus doctor fields setup webhook pull-customers map-sku push-products pull-stock link-products serve help" -f -a "sandbox" -d 'Run the local Shopify, HubSpot, Huddle, Tellix, Spotler, Shopware, Heyloyalty and HostedShop fakes until Ctrl-C, for trying shopsync by hand'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and not __fish_seen_subcommand_from initial-sync auth demo sandbox completions runs skus doctor fields setup webhook pull-customers map-sku push-products pull-stock link-products serve help" -f -a "completions" -d 'Print the shell completion script for SHELL on stdout'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and not __fish_seen_subcommand_from initial-sync auth demo sandbox completions runs skus doctor fields setup webhook pull-customers map-sku push-products pull-stock link-products serve help" -f -a "runs" -d 'Show the last runs of each profile from its run log: counts, how each ended, and every record that failed with the reason'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and not __fish_seen_subcommand_from initial-sync auth demo sandbox completions runs skus doctor fields setup webhook pull-customers map-sku push-products pull-stock link-products serve help" -f -a "skus" -d 'Find the shop\'s variants and their SKUs by a word of the product title or the start of the SKU'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and not __fish_seen_subcommand_from initial-sync auth demo sandbox completions runs skus doctor fields setup webhook pull-customers map-sku push-products pull-stock link-products serve help" -f -a "doctor" -d 'Check a profile\'s setup: config, credentials, keyring, hosts, tokens, API versions, scopes and the state store, each with the fix'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and not __fish_seen_subcommand_from initial-sync auth demo sandbox completions runs skus doctor fields setup webhook pull-customers map-sku push-products pull-stock link-products serve help" -f -a "fields" -d 'Show a Spotler profile\'s field map: Spotler\'s contact properties and the shop\'s customer fields side by side'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and not __fish_seen_subcommand_from initial-sync auth demo sandbox completions runs skus doctor fields setup webhook pull-customers map-sku push-products pull-stock link-products serve help" -f -a "setup" -d 'Set up a profile interactively: settings, tokens (into the keyring), connection tests'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and not __fish_seen_subcommand_from initial-sync auth demo sandbox completions runs skus doctor fields setup webhook pull-customers map-sku push-products pull-stock link-products serve help" -f -a "webhook" -d 'Create, list and delete the Shopify webhook that sends paid orders to Huddle'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and not __fish_seen_subcommand_from initial-sync auth demo sandbox completions runs skus doctor fields setup webhook pull-customers map-sku push-products pull-stock link-products serve help" -f -a "pull-customers" -d 'Pull Shopify customers into the back office (Tellix customers, or the customer file)'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and not __fish_seen_subcommand_from initial-sync auth demo sandbox completions runs skus doctor fields setup webhook pull-customers map-sku push-products pull-stock link-products serve help" -f -a "map-sku" -d 'Keep and check a Huddle profile\'s SKU table: which Shopify SKU gives which Huddle levels'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and not __fish_seen_subcommand_from initial-sync auth demo sandbox completions runs skus doctor fields setup webhook pull-customers map-sku push-products pull-stock link-products serve help" -f -a "push-products" -d 'Create or update the shop\'s products from the back office\'s catalogue, by SKU'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and not __fish_seen_subcommand_from initial-sync auth demo sandbox completions runs skus doctor fields setup webhook pull-customers map-sku push-products pull-stock link-products serve help" -f -a "pull-stock" -d 'Pull the shop\'s stock levels into the back office, through the warehouse map'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and not __fish_seen_subcommand_from initial-sync auth demo sandbox completions runs skus doctor fields setup webhook pull-customers map-sku push-products pull-stock link-products serve help" -f -a "link-products" -d 'First-time link: import the shop\'s existing products into the back office, by SKU'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and not __fish_seen_subcommand_from initial-sync auth demo sandbox completions runs skus doctor fields setup webhook pull-customers map-sku push-products pull-stock link-products serve help" -f -a "serve" -d 'Receive Heyloyalty\'s webhooks for a two-way profile and apply them to the shop'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and not __fish_seen_subcommand_from initial-sync auth demo sandbox completions runs skus doctor fields setup webhook pull-customers map-sku push-products pull-stock link-products serve help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "set" -d 'Store a credential for a profile (read from a hidden prompt, or from stdin with --stdin)'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "status" -d 'Show which credentials are set and where each comes from (never the secret itself)'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "delete" -d 'Remove a stored credential from the keyring'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and __fish_seen_subcommand_from webhook" -f -a "register" -d 'Create the Shopify `orders/paid` subscription that sends paid orders to Huddle'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and __fish_seen_subcommand_from webhook" -f -a "list" -d 'List the shop\'s webhook subscriptions (addresses with API keys masked)'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and __fish_seen_subcommand_from webhook" -f -a "delete" -d 'Delete the subscription this profile registered (`--json`: an array of what was deleted)'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and __fish_seen_subcommand_from webhook" -f -a "replay" -d 'Backfill: send orders paid before the webhook existed to Huddle, once ever each'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and __fish_seen_subcommand_from map-sku" -f -a "add" -d 'Map a Shopify SKU to a Huddle webhook product and its access levels, or change its mapping'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and __fish_seen_subcommand_from map-sku" -f -a "remove" -d 'Remove SKUs from the table (a SKU that is not mapped is reported, not an error)'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and __fish_seen_subcommand_from map-sku" -f -a "list" -d 'Show the table (`--json`: an array of `{sku, product, levels}`)'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and __fish_seen_subcommand_from map-sku" -f -a "import" -d 'Add or update mappings from a CSV file with a header row `sku,product,levels`'
complete -c shopsync -n "__fish_shopsync_using_subcommand help; and __fish_seen_subcommand_from map-sku" -f -a "check" -d 'Check the table against the shop: each mapped SKU is on exactly one Shopify variant, and every SKU sold since --since is mapped'
