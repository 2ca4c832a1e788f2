//! What `shopsync setup` asks about a Heyloyalty account.

use crate::connectors::questions::{check_optional_text, check_optional_url, Ask, Setting};
use crate::connectors::system::System;

pub const SETUP_BASE_URL: Ask = Ask::Setting(Setting {
    table: "heyloyalty",
    key: "base_url",
    prompt: "Heyloyalty base URL",
    help: "Heyloyalty's API: leave empty for https://api.heyloyalty.com/loyalty; set it for a local sandbox.",
    default: None,
    required: false,
    check: check_optional_url,
});

pub const SETUP_LIST_STRATEGY: Ask = Ask::Setting(Setting {
    table: "heyloyalty",
    key: "list_strategy",
    prompt: "List strategy (per_group, single, both)",
    help: "per_group: one list per customer group; single: one list, the group as a field; both.",
    default: Some("per_group"),
    required: true,
    check: check_strategy,
});

pub const SETUP_LIST: Ask = Ask::Setting(Setting {
    table: "heyloyalty",
    key: "list",
    prompt: "The single list's name",
    help: "For single and both: the list every customer with permission joins (created when missing). Empty for per_group.",
    default: None,
    required: false,
    check: check_optional_text,
});

pub const SETUP_KEY: Ask = Ask::Credential {
    system: System::HeyloyaltyKey,
    what: "the Heyloyalty API key (Account > Integrations > API)",
};

pub const SETUP_SECRET: Ask = Ask::Credential {
    system: System::HeyloyaltySecret,
    what: "the Heyloyalty API secret (it signs each request; it is never sent)",
};

fn check_strategy(s: &str) -> Result<String, String> {
    match s.trim() {
        "" => Ok("per_group".to_string()),
        v @ ("per_group" | "single" | "both") => Ok(v.to_string()),
        _ => Err("one of per_group, single, both".into()),
    }
}
