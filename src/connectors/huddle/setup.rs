//! What `shopsync setup` asks about a Huddle.

use crate::connectors::questions::{check_optional_url, Ask, Setting};
use crate::connectors::system::System;

pub const SETUP_DOMAIN: Ask = Ask::Setting(Setting {
    table: "huddle",
    key: "domain",
    prompt: "Huddle domain",
    help: "Huddle: its own domain, as in its webhook URL (e.g. leden.example.nl).",
    default: None,
    required: true,
    check: check_domain,
});

pub const SETUP_BASE_URL: Ask = Ask::Setting(Setting {
    table: "huddle",
    key: "base_url",
    prompt: "Huddle base URL",
    help: "Huddle address: leave empty for https://DOMAIN; set it for a proxy or a local sandbox.",
    default: None,
    required: false,
    check: check_optional_url,
});

pub const SETUP_KEY: Ask = Ask::Credential {
    system: System::Huddle,
    what: "the Huddle API key: the last path segment of the webhook URL Huddle gave you",
};

fn check_domain(s: &str) -> Result<String, String> {
    let s = s.trim();
    let s = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(s)
        .trim_end_matches('/');
    if s.is_empty() || s.contains('/') || s.contains(char::is_whitespace) || !s.contains('.') {
        return Err("write the host name only, e.g. leden.example.nl".into());
    }
    Ok(s.to_string())
}
