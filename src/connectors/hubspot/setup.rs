//! What `shopsync setup` asks about a HubSpot account.

use crate::connectors::questions::{check_optional_url, Ask, Setting};
use crate::connectors::system::System;

pub const SETUP_BASE_URL: Ask = Ask::Setting(Setting {
    table: "hubspot",
    key: "base_url",
    prompt: "HubSpot base URL",
    help: "HubSpot API address: leave empty for https://api.hubapi.com.",
    default: None,
    required: false,
    check: check_optional_url,
});

pub const SETUP_PIPELINE: Ask = Ask::Setting(Setting {
    table: "hubspot",
    key: "pipeline",
    prompt: "Deal pipeline",
    help: "Orders become deals in this pipeline; it is created with its stages when missing.",
    default: Some("Ecommerce"),
    required: false,
    check: check_pipeline,
});

pub const SETUP_TOKEN: Ask = Ask::Credential {
    system: System::Hubspot,
    what: "the private app token (pat-...) or service key; scopes in the README",
};

/// A pipeline is a label people read: a pasted token (a long word without spaces, or a
/// vendor's token prefix) is refused where it is typed.
pub fn check_pipeline(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("the pipeline name is empty".into());
    }
    let token_prefix = ["pat-", "shpat_", "shpca_", "shppa_", "shpss_"]
        .iter()
        .any(|p| s.starts_with(p));
    if token_prefix || (s.len() >= 32 && !s.contains(' ')) {
        return Err("this looks like a token, not a pipeline name (e.g. Ecommerce)".into());
    }
    if s.chars().count() > 100 {
        return Err("the pipeline name is longer than 100 characters".into());
    }
    Ok(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::check_pipeline;

    #[test]
    fn a_pasted_token_is_no_pipeline_name() {
        assert!(check_pipeline("Ecommerce").is_ok());
        assert!(check_pipeline("Web shop orders").is_ok());
        assert!(check_pipeline("pat-na1-0000-1111-2222").is_err());
        assert!(check_pipeline("shpat_0123456789abcdef").is_err());
        assert!(check_pipeline("f3a9c0e1b2d4f6a8c0e2b4d6f8a0c2e4").is_err());
        assert!(check_pipeline("  ").is_err());
    }
}
