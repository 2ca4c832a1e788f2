//! What the setup wizard asks: a connector's settings (each checked where it is answered) and
//! its credentials. Each connector lists its own questions in its `setup.rs`.

use super::system::System;

/// One answer the setup wizard asks for and writes as `[profiles.NAME.<table>] <key>`.
pub struct Setting {
    pub table: &'static str,
    pub key: &'static str,
    pub prompt: &'static str,
    /// One line shown before the prompt: where to find the value, what it is for.
    pub help: &'static str,
    /// Offered when the profile has no value yet; with `required: false` an empty answer
    /// leaves the key out (the connector's default applies).
    pub default: Option<&'static str>,
    pub required: bool,
    /// Checks an answer where it is given, and gives the value to write.
    pub check: fn(&str) -> Result<String, String>,
}

/// One thing the wizard asks, in order.
pub enum Ask {
    Setting(Setting),
    /// A secret: asked hidden, stored only after the connection tests.
    Credential {
        system: System,
        what: &'static str,
    },
}

/// An optional `http(s)://HOST[:PORT][/PATH]`; empty stays empty.
pub fn check_optional_url(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(String::new());
    }
    let url = url::Url::parse(s).map_err(|e| format!("not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err("write it as http(s)://HOST[:PORT]".into());
    }
    Ok(s.to_string())
}

/// Any text that is not empty, trimmed.
pub fn check_text(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("this cannot be empty".into());
    }
    Ok(s.to_string())
}

/// Optional text, trimmed.
pub fn check_optional_text(s: &str) -> Result<String, String> {
    Ok(s.trim().to_string())
}
