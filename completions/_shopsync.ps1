
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'shopsync' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'shopsync'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'shopsync' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('initial-sync', 'initial-sync', [CompletionResultType]::ParameterValue, 'Copy a shop''s products, customers and orders into the target system')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Copy a shop''s products, customers and orders into the target system')
            [CompletionResult]::new('auth', 'auth', [CompletionResultType]::ParameterValue, 'Store, inspect and remove credentials in the OS keyring')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Start local Shopify and HubSpot sandboxes and run a dry run and a real sync against them')
            [CompletionResult]::new('sandbox', 'sandbox', [CompletionResultType]::ParameterValue, 'Run the local Shopify, HubSpot, Huddle, Tellix, Spotler, Shopware, Heyloyalty and HostedShop fakes until Ctrl-C, for trying shopsync by hand')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the shell completion script for SHELL on stdout')
            [CompletionResult]::new('runs', 'runs', [CompletionResultType]::ParameterValue, 'Show the last runs of each profile from its run log: counts, how each ended, and every record that failed with the reason')
            [CompletionResult]::new('skus', 'skus', [CompletionResultType]::ParameterValue, 'Find the shop''s variants and their SKUs by a word of the product title or the start of the SKU')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check a profile''s setup: config, credentials, keyring, hosts, tokens, API versions, scopes and the state store, each with the fix')
            [CompletionResult]::new('fields', 'fields', [CompletionResultType]::ParameterValue, 'Show a Spotler profile''s field map: Spotler''s contact properties and the shop''s customer fields side by side')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Set up a profile interactively: settings, tokens (into the keyring), connection tests')
            [CompletionResult]::new('webhook', 'webhook', [CompletionResultType]::ParameterValue, 'Create, list and delete the Shopify webhook that sends paid orders to Huddle')
            [CompletionResult]::new('pull-customers', 'pull-customers', [CompletionResultType]::ParameterValue, 'Pull Shopify customers into the back office (Tellix customers, or the customer file)')
            [CompletionResult]::new('map-sku', 'map-sku', [CompletionResultType]::ParameterValue, 'Keep and check a Huddle profile''s SKU table: which Shopify SKU gives which Huddle levels')
            [CompletionResult]::new('push-products', 'push-products', [CompletionResultType]::ParameterValue, 'Create or update the shop''s products from the back office''s catalogue, by SKU')
            [CompletionResult]::new('pull-stock', 'pull-stock', [CompletionResultType]::ParameterValue, 'Pull the shop''s stock levels into the back office, through the warehouse map')
            [CompletionResult]::new('link-products', 'link-products', [CompletionResultType]::ParameterValue, 'First-time link: import the shop''s existing products into the back office, by SKU')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Receive Heyloyalty''s webhooks for a two-way profile and apply them to the shop')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'shopsync;initial-sync' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The profile to run, as named in the profile file; several, comma-separated, run one after another, with one summary and the worst exit code')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile to run, as named in the profile file; several, comma-separated, run one after another, with one summary and the worst exit code')
            [CompletionResult]::new('--streams', '--streams', [CompletionResultType]::ParameterName, 'Which streams to sync, comma-separated [default: the profile''s, else all]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--all-profiles', '--all-profiles', [CompletionResultType]::ParameterName, 'Run every HubSpot and Spotler profile of the profile file, one after another (instead of --profile)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan (what would be created, updated, deleted) and write nothing')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'With --dry-run: also print every field that would change (old -> new)')
            [CompletionResult]::new('--detailed-exitcode', '--detailed-exitcode', [CompletionResultType]::ParameterName, 'With --dry-run: exit 3 when the plan has changes, 0 when it has none')
            [CompletionResult]::new('--full', '--full', [CompletionResultType]::ParameterName, 'Read everything again instead of only what changed since the last run (also finds products and orders deleted in the shop)')
            [CompletionResult]::new('--rebuild-state', '--rebuild-state', [CompletionResultType]::ParameterName, 'The profile''s state file cannot be read (empty or damaged): move it aside and start a new one, re-linking every record to what HubSpot already has by its unique key (e-mail, Shopify id) before writing. Deletions the old file remembered cannot be rebuilt')
            [CompletionResult]::new('--rekey', '--rekey', [CompletionResultType]::ParameterName, 'Spotler profiles whose `key` (the contact''s external id) changed since the last run: write every contact under its new external id (a full read; the contacts under the old ids stay in Spotler). Without it such a run is refused')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;sync' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The profile to run, as named in the profile file; several, comma-separated, run one after another, with one summary and the worst exit code')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile to run, as named in the profile file; several, comma-separated, run one after another, with one summary and the worst exit code')
            [CompletionResult]::new('--streams', '--streams', [CompletionResultType]::ParameterName, 'Which streams to sync, comma-separated [default: the profile''s, else all]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--all-profiles', '--all-profiles', [CompletionResultType]::ParameterName, 'Run every HubSpot and Spotler profile of the profile file, one after another (instead of --profile)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan (what would be created, updated, deleted) and write nothing')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'With --dry-run: also print every field that would change (old -> new)')
            [CompletionResult]::new('--detailed-exitcode', '--detailed-exitcode', [CompletionResultType]::ParameterName, 'With --dry-run: exit 3 when the plan has changes, 0 when it has none')
            [CompletionResult]::new('--full', '--full', [CompletionResultType]::ParameterName, 'Read everything again instead of only what changed since the last run (also finds products and orders deleted in the shop)')
            [CompletionResult]::new('--rebuild-state', '--rebuild-state', [CompletionResultType]::ParameterName, 'The profile''s state file cannot be read (empty or damaged): move it aside and start a new one, re-linking every record to what HubSpot already has by its unique key (e-mail, Shopify id) before writing. Deletions the old file remembered cannot be rebuilt')
            [CompletionResult]::new('--rekey', '--rekey', [CompletionResultType]::ParameterName, 'Spotler profiles whose `key` (the contact''s external id) changed since the last run: write every contact under its new external id (a full read; the contacts under the old ids stay in Spotler). Without it such a run is refused')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;auth' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Store a credential for a profile (read from a hidden prompt, or from stdin with --stdin)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show which credentials are set and where each comes from (never the secret itself)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Remove a stored credential from the keyring')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'shopsync;auth;set' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--stdin', '--stdin', [CompletionResultType]::ParameterName, 'Read the token from standard input instead of a hidden prompt')
            [CompletionResult]::new('--insecure-storage', '--insecure-storage', [CompletionResultType]::ParameterName, 'Store the token in a plain-text file (mode 0600) instead of the OS keyring: for a machine without one. Anyone who can read your files can read it. The file is `credentials.json` in the config dir, or what SHOPSYNC_CREDENTIALS_FILE names')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;auth;status' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;auth;delete' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;auth;help' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Store a credential for a profile (read from a hidden prompt, or from stdin with --stdin)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show which credentials are set and where each comes from (never the secret itself)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Remove a stored credential from the keyring')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'shopsync;auth;help;set' {
            break
        }
        'shopsync;auth;help;status' {
            break
        }
        'shopsync;auth;help;delete' {
            break
        }
        'shopsync;auth;help;help' {
            break
        }
        'shopsync;demo' {
            [CompletionResult]::new('--customers', '--customers', [CompletionResultType]::ParameterName, 'How many customers the sandbox store has')
            [CompletionResult]::new('--products', '--products', [CompletionResultType]::ParameterName, 'How many products the sandbox store has')
            [CompletionResult]::new('--orders', '--orders', [CompletionResultType]::ParameterName, 'How many orders the sandbox store has')
            [CompletionResult]::new('--time-scale', '--time-scale', [CompletionResultType]::ParameterName, 'Run the vendors'' rate limits this many times faster than real time')
            [CompletionResult]::new('--flow', '--flow', [CompletionResultType]::ParameterName, 'Which flow to show: Shopify -> HubSpot, Shopware -> Spotler Mail+ (contacts out, an opt-out and a hard bounce back), or a Wannafind (HostedShop) shop two-way with Heyloyalty lists')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;sandbox' {
            [CompletionResult]::new('--customers', '--customers', [CompletionResultType]::ParameterName, 'How many customers the store has [default: the sandbox''s]')
            [CompletionResult]::new('--products', '--products', [CompletionResultType]::ParameterName, 'How many products the store has [default: the sandbox''s]')
            [CompletionResult]::new('--orders', '--orders', [CompletionResultType]::ParameterName, 'How many orders the store has [default: the sandbox''s]')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed of the store''s generator (the same seed, the same store)')
            [CompletionResult]::new('--time-scale', '--time-scale', [CompletionResultType]::ParameterName, 'Run the vendors'' rate limits this many times faster than real time')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--limits-lifted', '--limits-lifted', [CompletionResultType]::ParameterName, 'Enforce no rate limit at all')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;completions' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;runs' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Only this profile [default: every profile in the profile file]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Only this profile [default: every profile in the profile file]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many runs to show per profile, newest first')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'How many runs to show per profile, newest first')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;skus' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The profile whose shop to search, as named in the profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose shop to search, as named in the profile file')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'A word of the product or variant title, or the start of a SKU')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'A word of the product or variant title, or the start of a SKU')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show at most this many variants')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most this many variants')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;doctor' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Only this profile [default: every profile in the profile file]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Only this profile [default: every profile in the profile file]')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;fields' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The Spotler profile whose map to show, as named in the profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The Spotler profile whose map to show, as named in the profile file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;setup' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The profile to create or edit [default: asked]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile to create or edit [default: asked]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;webhook' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('register', 'register', [CompletionResultType]::ParameterValue, 'Create the Shopify `orders/paid` subscription that sends paid orders to Huddle')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the shop''s webhook subscriptions (addresses with API keys masked)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete the subscription this profile registered (`--json`: an array of what was deleted)')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Backfill: send orders paid before the webhook existed to Huddle, once ever each')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'shopsync;webhook;register' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The profile, as named in the profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile, as named in the profile file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be created or changed, and change nothing')
            [CompletionResult]::new('--replace', '--replace', [CompletionResultType]::ParameterName, 'Point this profile''s subscription at the current address when it points at another')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;webhook;list' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The profile, as named in the profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile, as named in the profile file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;webhook;delete' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The profile, as named in the profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile, as named in the profile file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be deleted, and delete nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;webhook;replay' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The profile, as named in the profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile, as named in the profile file')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Send orders paid (processed) at or after DATE (YYYY-MM-DD or RFC 3339)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, '... and before DATE [default: when this profile''s webhook was registered, else now]')
            [CompletionResult]::new('--resend', '--resend', [CompletionResultType]::ParameterName, 'Send this order even if it was sent, or may have been (an uncertain send): `#1001`, `1001`, its numeric id or its gid. Repeatable')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'List the orders that would be sent, and send nothing')
            [CompletionResult]::new('--resend-uncertain', '--resend-uncertain', [CompletionResultType]::ParameterName, 'Send every uncertain order in the window again (check them in Huddle first)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;webhook;help' {
            [CompletionResult]::new('register', 'register', [CompletionResultType]::ParameterValue, 'Create the Shopify `orders/paid` subscription that sends paid orders to Huddle')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the shop''s webhook subscriptions (addresses with API keys masked)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete the subscription this profile registered (`--json`: an array of what was deleted)')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Backfill: send orders paid before the webhook existed to Huddle, once ever each')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'shopsync;webhook;help;register' {
            break
        }
        'shopsync;webhook;help;list' {
            break
        }
        'shopsync;webhook;help;delete' {
            break
        }
        'shopsync;webhook;help;replay' {
            break
        }
        'shopsync;webhook;help;help' {
            break
        }
        'shopsync;pull-customers' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The profile to run (a back-office profile: `target = "backoffice"`)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile to run (a back-office profile: `target = "backoffice"`)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Read the customers changed on or after DATE (YYYY-MM-DD, or RFC 3339)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'The customer file to write (.csv or .jsonl) [default: the profile''s customers_file]; file back offices only')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be created or changed, field by field, and write nothing')
            [CompletionResult]::new('--full', '--full', [CompletionResultType]::ParameterName, 'Read every customer instead of only those changed since the last run')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;map-sku' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Map a Shopify SKU to a Huddle webhook product and its access levels, or change its mapping')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove SKUs from the table (a SKU that is not mapped is reported, not an error)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the table (`--json`: an array of `{sku, product, levels}`)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add or update mappings from a CSV file with a header row `sku,product,levels`')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check the table against the shop: each mapped SKU is on exactly one Shopify variant, and every SKU sold since --since is mapped')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'shopsync;map-sku;add' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The profile, as named in the profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile, as named in the profile file')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The access levels the Huddle product gives, comma-separated')
            [CompletionResult]::new('--levels', '--levels', [CompletionResultType]::ParameterName, 'The access levels the Huddle product gives, comma-separated')
            [CompletionResult]::new('--product', '--product', [CompletionResultType]::ParameterName, 'The Huddle webhook product''s title, for your own reference')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;map-sku;remove' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The profile, as named in the profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile, as named in the profile file')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;map-sku;list' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The profile, as named in the profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile, as named in the profile file')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;map-sku;import' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The profile, as named in the profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile, as named in the profile file')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--replace', '--replace', [CompletionResultType]::ParameterName, 'Make the table exactly the file: remove mapped SKUs the file does not name')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change, and change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;map-sku;check' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The profile, as named in the profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile, as named in the profile file')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Look for unmapped SKUs in orders paid since DATE (YYYY-MM-DD or RFC 3339) [default: 60 days ago, as far as Shopify shows orders without `read_all_orders`]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--allow-unmapped', '--allow-unmapped', [CompletionResultType]::ParameterName, 'Report sold but unmapped SKUs as warnings, not problems (a shop that also sells things that give no membership)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;map-sku;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Map a Shopify SKU to a Huddle webhook product and its access levels, or change its mapping')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove SKUs from the table (a SKU that is not mapped is reported, not an error)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the table (`--json`: an array of `{sku, product, levels}`)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add or update mappings from a CSV file with a header row `sku,product,levels`')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check the table against the shop: each mapped SKU is on exactly one Shopify variant, and every SKU sold since --since is mapped')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'shopsync;map-sku;help;add' {
            break
        }
        'shopsync;map-sku;help;remove' {
            break
        }
        'shopsync;map-sku;help;list' {
            break
        }
        'shopsync;map-sku;help;import' {
            break
        }
        'shopsync;map-sku;help;check' {
            break
        }
        'shopsync;map-sku;help;help' {
            break
        }
        'shopsync;push-products' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The profile to run (a back-office profile: `target = "backoffice"`)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile to run (a back-office profile: `target = "backoffice"`)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show per product what would be created or changed, field by field (old -> new), and write nothing')
            [CompletionResult]::new('--detailed-exitcode', '--detailed-exitcode', [CompletionResultType]::ParameterName, 'With --dry-run: exit 3 when the plan has changes, 0 when it has none')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;pull-stock' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The profile to run (a back-office profile: `target = "backoffice"`)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile to run (a back-office profile: `target = "backoffice"`)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'The stock file to write (.csv or .jsonl) [default: the profile''s stock_file]; file back offices only')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;link-products' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The profile to run (a back-office profile: `target = "backoffice"`)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile to run (a back-office profile: `target = "backoffice"`)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'The catalogue file to write (.csv or .jsonl; must not exist yet) [default: the profile''s catalogue]; file back offices only')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be imported and write nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;serve' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The profile whose webhooks to receive (`target = "heyloyalty"`)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The profile whose webhooks to receive (`target = "heyloyalty"`)')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'The address to listen on (port 0: any free port, printed on start)')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Where the state store lives [default: the profile''s state_dir, else the OS data dir]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file [default: the OS config dir, e.g. ~/.config/shopsync/profiles.toml]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'How log lines on stderr look: `auto` is `human` on a terminal and `plain` (with UTC timestamps, no colour codes) in a pipe or file; `json` is one object per line')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing when all went well, and only errors (on stderr) when not')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each HTTP request (never its secrets) and other details on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'shopsync;help' {
            [CompletionResult]::new('initial-sync', 'initial-sync', [CompletionResultType]::ParameterValue, 'Copy a shop''s products, customers and orders into the target system')
            [CompletionResult]::new('auth', 'auth', [CompletionResultType]::ParameterValue, 'Store, inspect and remove credentials in the OS keyring')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Start local Shopify and HubSpot sandboxes and run a dry run and a real sync against them')
            [CompletionResult]::new('sandbox', 'sandbox', [CompletionResultType]::ParameterValue, 'Run the local Shopify, HubSpot, Huddle, Tellix, Spotler, Shopware, Heyloyalty and HostedShop fakes until Ctrl-C, for trying shopsync by hand')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the shell completion script for SHELL on stdout')
            [CompletionResult]::new('runs', 'runs', [CompletionResultType]::ParameterValue, 'Show the last runs of each profile from its run log: counts, how each ended, and every record that failed with the reason')
            [CompletionResult]::new('skus', 'skus', [CompletionResultType]::ParameterValue, 'Find the shop''s variants and their SKUs by a word of the product title or the start of the SKU')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check a profile''s setup: config, credentials, keyring, hosts, tokens, API versions, scopes and the state store, each with the fix')
            [CompletionResult]::new('fields', 'fields', [CompletionResultType]::ParameterValue, 'Show a Spotler profile''s field map: Spotler''s contact properties and the shop''s customer fields side by side')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Set up a profile interactively: settings, tokens (into the keyring), connection tests')
            [CompletionResult]::new('webhook', 'webhook', [CompletionResultType]::ParameterValue, 'Create, list and delete the Shopify webhook that sends paid orders to Huddle')
            [CompletionResult]::new('pull-customers', 'pull-customers', [CompletionResultType]::ParameterValue, 'Pull Shopify customers into the back office (Tellix customers, or the customer file)')
            [CompletionResult]::new('map-sku', 'map-sku', [CompletionResultType]::ParameterValue, 'Keep and check a Huddle profile''s SKU table: which Shopify SKU gives which Huddle levels')
            [CompletionResult]::new('push-products', 'push-products', [CompletionResultType]::ParameterValue, 'Create or update the shop''s products from the back office''s catalogue, by SKU')
            [CompletionResult]::new('pull-stock', 'pull-stock', [CompletionResultType]::ParameterValue, 'Pull the shop''s stock levels into the back office, through the warehouse map')
            [CompletionResult]::new('link-products', 'link-products', [CompletionResultType]::ParameterValue, 'First-time link: import the shop''s existing products into the back office, by SKU')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Receive Heyloyalty''s webhooks for a two-way profile and apply them to the shop')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'shopsync;help;initial-sync' {
            break
        }
        'shopsync;help;auth' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Store a credential for a profile (read from a hidden prompt, or from stdin with --stdin)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show which credentials are set and where each comes from (never the secret itself)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Remove a stored credential from the keyring')
            break
        }
        'shopsync;help;auth;set' {
            break
        }
        'shopsync;help;auth;status' {
            break
        }
        'shopsync;help;auth;delete' {
            break
        }
        'shopsync;help;demo' {
            break
        }
        'shopsync;help;sandbox' {
            break
        }
        'shopsync;help;completions' {
            break
        }
        'shopsync;help;runs' {
            break
        }
        'shopsync;help;skus' {
            break
        }
        'shopsync;help;doctor' {
            break
        }
        'shopsync;help;fields' {
            break
        }
        'shopsync;help;setup' {
            break
        }
        'shopsync;help;webhook' {
            [CompletionResult]::new('register', 'register', [CompletionResultType]::ParameterValue, 'Create the Shopify `orders/paid` subscription that sends paid orders to Huddle')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the shop''s webhook subscriptions (addresses with API keys masked)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete the subscription this profile registered (`--json`: an array of what was deleted)')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Backfill: send orders paid before the webhook existed to Huddle, once ever each')
            break
        }
        'shopsync;help;webhook;register' {
            break
        }
        'shopsync;help;webhook;list' {
            break
        }
        'shopsync;help;webhook;delete' {
            break
        }
        'shopsync;help;webhook;replay' {
            break
        }
        'shopsync;help;pull-customers' {
            break
        }
        'shopsync;help;map-sku' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Map a Shopify SKU to a Huddle webhook product and its access levels, or change its mapping')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove SKUs from the table (a SKU that is not mapped is reported, not an error)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the table (`--json`: an array of `{sku, product, levels}`)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add or update mappings from a CSV file with a header row `sku,product,levels`')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check the table against the shop: each mapped SKU is on exactly one Shopify variant, and every SKU sold since --since is mapped')
            break
        }
        'shopsync;help;map-sku;add' {
            break
        }
        'shopsync;help;map-sku;remove' {
            break
        }
        'shopsync;help;map-sku;list' {
            break
        }
        'shopsync;help;map-sku;import' {
            break
        }
        'shopsync;help;map-sku;check' {
            break
        }
        'shopsync;help;push-products' {
            break
        }
        'shopsync;help;pull-stock' {
            break
        }
        'shopsync;help;link-products' {
            break
        }
        'shopsync;help;serve' {
            break
        }
        'shopsync;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
