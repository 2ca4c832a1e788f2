//! Health checks: what `doctor` and `setup` report about a connection. Each connector checks
//! its own system (`connectors/<vendor>/health.rs`): host reachable, credentials accepted, API
//! version served, scopes granted. One request per question, no retries, a short timeout: the
//! doctor reports what it sees instead of waiting it out.

use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Warning,
    Error,
    Skipped,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warning => "warning",
            Status::Error => "error",
            Status::Skipped => "skipped",
        }
    }
}

/// One line of the report.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub profile: Option<String>,
    pub check: &'static str,
    pub status: Status,
    pub message: String,
    pub fix: Option<String>,
}

impl Check {
    pub fn new(
        profile: Option<&str>,
        check: &'static str,
        status: Status,
        message: String,
    ) -> Check {
        Check {
            profile: profile.map(str::to_string),
            check,
            status,
            message,
            fix: None,
        }
    }

    pub fn ok(profile: Option<&str>, check: &'static str, message: impl Into<String>) -> Check {
        Check::new(profile, check, Status::Ok, message.into())
    }

    pub fn warning(
        profile: Option<&str>,
        check: &'static str,
        message: impl Into<String>,
    ) -> Check {
        Check::new(profile, check, Status::Warning, message.into())
    }

    pub fn error(profile: Option<&str>, check: &'static str, message: impl Into<String>) -> Check {
        Check::new(profile, check, Status::Error, message.into())
    }

    pub fn skipped(
        profile: Option<&str>,
        check: &'static str,
        message: impl Into<String>,
    ) -> Check {
        Check::new(profile, check, Status::Skipped, message.into())
    }

    pub fn fix(mut self, fix: impl Into<String>) -> Check {
        self.fix = Some(fix.into());
        self
    }
}

const TIMEOUT: Duration = Duration::from_secs(10);

/// The HTTP client of the checks: the request timeout, but at most ten seconds.
pub fn client() -> reqwest::Client {
    crate::http::client_with_timeout(crate::http::request_timeout().min(TIMEOUT))
}

/// Any HTTP answer proves the host is reachable.
pub async fn reachable(http: &reqwest::Client, base: &str) -> Result<(), String> {
    match http.get(base).send().await {
        Ok(_) => Ok(()),
        Err(e) => Err(crate::http::describe(&e)),
    }
}

pub fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The start of an answer's body, for a message.
pub fn short(body: &Value) -> String {
    body.to_string().chars().take(200).collect()
}
