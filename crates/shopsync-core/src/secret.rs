//! A secret (a token, a key, a password) that cannot be printed by accident, and the scrubbing
//! of text that might echo one back.

use std::sync::Mutex;

/// A token. Its value is reachable only through [`Secret::expose`]: `Debug` prints
/// `Secret(***)`, and there is no `Display` and no `Serialize`, so it cannot end up in output,
/// logs or plans by accident. Every secret made is remembered by the process (see
/// [`known_secrets`] and [`redact`]) so that text from elsewhere can be scrubbed of it.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Secret {
        remember(&value);
        Secret(value)
    }

    /// The token itself, for an `Authorization` header and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

static KNOWN: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn remember(value: &str) {
    if value.is_empty() {
        return;
    }
    let mut known = KNOWN.lock().unwrap_or_else(|e| e.into_inner());
    if !known.iter().any(|k| k == value) {
        known.push(value.to_string());
    }
}

/// Every secret this process has made so far (from the environment, the keyring or a prompt).
pub fn known_secrets() -> Vec<Secret> {
    let known = KNOWN.lock().unwrap_or_else(|e| e.into_inner());
    known.iter().map(|v| Secret(v.clone())).collect()
}

/// `text` with every known secret replaced by `***`: for error bodies, URLs and log lines that
/// might echo a token back.
pub fn redact(text: &str) -> String {
    let known = KNOWN.lock().unwrap_or_else(|e| e.into_inner());
    let mut out = text.to_string();
    // Longest first, so a secret that contains another is replaced whole.
    let mut values: Vec<&String> = known.iter().collect();
    values.sort_by_key(|v| std::cmp::Reverse(v.len()));
    for value in values {
        if out.contains(value.as_str()) {
            out = out.replace(value.as_str(), "***");
        }
    }
    out
}

/// The profile name as it appears in a variable name: ASCII upper case, everything else `_`.
pub fn env_fragment(profile: &str) -> String {
    profile
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}
