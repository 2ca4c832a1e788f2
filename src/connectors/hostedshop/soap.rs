//! HostedShop's SOAP API (Wannafind, SmartWeb, hosted DanDomain): envelopes, faults, the
//! session, pacing.
//!
//! Facts: `../shared/api-notes/platforms.md` §4.2. document/literal SOAP 1.1 at
//! `https://api.hostedshop.io/service.php`; `Solution_Connect` opens a session (a cookie); a new
//! session starts with the default output fields, so every `*_SetFields` this client issued is
//! issued again after a reconnect. Faults carry a code (`AUTH`, `PARAM`, `NOSUCHPARAM`,
//! `INTERNAL`, …). The docs ask for at most 5 calls a second.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::xml::{self, escape, Element};
use crate::error::CliError;
use crate::secret::Secret;

pub const ENDPOINT: &str = "https://api.hostedshop.io/service.php";
pub const NAMESPACE: &str = "https://api.hostedshop.io/service.php";
pub const DEFAULT_CALLS_PER_SECOND: f64 = 4.0;

#[derive(Debug)]
pub enum SoapError {
    Fault { code: String, message: String },
    Http { status: u16, body: String },
    Network(String),
    Malformed(String),
}

impl std::fmt::Display for SoapError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SoapError::Fault { code, message } => {
                write!(f, "the shop's SOAP API answered fault {code}: {message}")
            }
            SoapError::Http { status, body } => {
                write!(f, "the shop's SOAP API answered HTTP {status}: {body}")
            }
            SoapError::Network(e) => write!(f, "the shop's SOAP API could not be reached: {e}"),
            SoapError::Malformed(e) => write!(f, "the shop's SOAP answer could not be read: {e}"),
        }
    }
}

impl SoapError {
    pub fn code(&self) -> Option<&str> {
        match self {
            SoapError::Fault { code, .. } => Some(code),
            _ => None,
        }
    }

    fn retryable(&self) -> bool {
        match self {
            SoapError::Fault { code, .. } => code.eq_ignore_ascii_case("INTERNAL"),
            SoapError::Http { status, .. } => *status == 429 || *status >= 500,
            SoapError::Network(_) => true,
            SoapError::Malformed(_) => false,
        }
    }
}

impl From<SoapError> for CliError {
    fn from(e: SoapError) -> CliError {
        match e.code() {
            Some("AUTH") => CliError::config(format!("{e} (the API user or password is wrong, or the user has no API access)"))
                .hint("store them with `shopsync auth set PROFILE hostedshop-user` and `shopsync auth set PROFILE hostedshop-password`; the user needs Applikationsadgang = API, and Indstillinger > API: SOAP \"API adgang\" must be on"),
            _ => CliError::run(e.to_string()),
        }
    }
}

#[derive(Default)]
pub struct Stats {
    pub calls: AtomicU64,
}

pub struct SoapClient {
    http: reqwest::Client,
    endpoint: String,
    user: Secret,
    password: Secret,
    session: tokio::sync::Mutex<Option<String>>,
    /// `(operation, fields)` of every `*_SetFields` issued, re-issued on a new session.
    field_sets: std::sync::Mutex<Vec<(String, String)>>,
    interval: Duration,
    next: tokio::sync::Mutex<Instant>,
    pub stats: Stats,
}

impl SoapClient {
    pub fn new(endpoint: &str, user: Secret, password: Secret, calls_per_second: f64) -> Self {
        let cps = if calls_per_second > 0.0 {
            calls_per_second
        } else {
            DEFAULT_CALLS_PER_SECOND
        };
        SoapClient {
            http: crate::http::client(),
            endpoint: endpoint.to_string(),
            user,
            password,
            session: tokio::sync::Mutex::new(None),
            field_sets: std::sync::Mutex::new(Vec::new()),
            interval: Duration::from_secs_f64(1.0 / cps),
            next: tokio::sync::Mutex::new(Instant::now()),
            stats: Stats::default(),
        }
    }

    async fn pace(&self) {
        let mut next = self.next.lock().await;
        let now = Instant::now();
        if *next > now {
            tokio::time::sleep(*next - now).await;
        }
        *next = Instant::now().max(*next) + self.interval;
    }

    /// One HTTP exchange; the operation's `…Result` element.
    async fn post(
        &self,
        op: &str,
        args: &str,
        cookie: Option<&str>,
    ) -> Result<(Element, Option<String>), SoapError> {
        self.pace().await;
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:ns1=\"{NAMESPACE}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><SOAP-ENV:Body><ns1:{op}>{args}</ns1:{op}></SOAP-ENV:Body></SOAP-ENV:Envelope>"
        );
        let mut req = self
            .http
            .post(&self.endpoint)
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("SOAPAction", format!("\"{NAMESPACE}#{op}\""))
            .body(body);
        if let Some(c) = cookie {
            req = req.header("Cookie", c);
        }
        self.stats.calls.fetch_add(1, Ordering::Relaxed);
        let resp = req
            .send()
            .await
            .map_err(|e| SoapError::Network(e.without_url().to_string()))?;
        let status = resp.status().as_u16();
        let set_cookie = session_cookies(resp.headers());
        let text = resp
            .text()
            .await
            .map_err(|e| SoapError::Network(e.without_url().to_string()))?;
        let doc = match xml::parse(&text) {
            Ok(d) => d,
            Err(e) if (200..300).contains(&status) => return Err(SoapError::Malformed(e)),
            Err(_) => {
                return Err(SoapError::Http {
                    status,
                    body: text.chars().take(200).collect(),
                })
            }
        };
        if let Some(fault) = doc.find("Fault") {
            return Err(fault_of(fault));
        }
        if !(200..300).contains(&status) {
            return Err(SoapError::Http {
                status,
                body: text.chars().take(200).collect(),
            });
        }
        let result = doc
            .find(&format!("{op}Result"))
            .cloned()
            .unwrap_or_default();
        Ok((result, set_cookie))
    }

    async fn connect(&self) -> Result<String, SoapError> {
        let args = format!(
            "<Username>{}</Username><Password>{}</Password>",
            escape(self.user.expose()),
            escape(self.password.expose())
        );
        let (result, cookie) = self.post("Solution_Connect", &args, None).await?;
        if result.text.trim() != "true" {
            return Err(SoapError::Fault {
                code: "AUTH".into(),
                message: "Solution_Connect answered false".into(),
            });
        }
        let cookie = cookie
            .ok_or_else(|| SoapError::Malformed("Solution_Connect set no session cookie".into()))?;
        let sets = self.field_sets.lock().unwrap().clone();
        for (op, fields) in sets {
            self.post(
                &op,
                &format!("<Fields>{}</Fields>", escape(&fields)),
                Some(&cookie),
            )
            .await?;
        }
        Ok(cookie)
    }

    /// Calls `op` with `args` (already XML), connecting (again) as needed; retries `INTERNAL`
    /// faults, 5xx and network errors with back-off.
    pub async fn call(&self, op: &str, args: &str) -> Result<Element, SoapError> {
        let mut attempt = 0;
        let mut reconnected = false;
        loop {
            attempt += 1;
            let cookie = {
                let mut session = self.session.lock().await;
                if session.is_none() {
                    *session = Some(self.connect().await?);
                }
                session.clone().unwrap()
            };
            match self.post(op, args, Some(&cookie)).await {
                Ok((result, _)) => return Ok(result),
                Err(e) if e.code() == Some("AUTH") && !reconnected => {
                    // The session ended (idle, or the server's store was cleared).
                    reconnected = true;
                    *self.session.lock().await = None;
                }
                Err(e) if e.retryable() && attempt < crate::http::MAX_ATTEMPTS => {
                    let wait = crate::http::retry_base_delay() * (1u32 << attempt.min(6));
                    tracing::debug!("{op}: {e}; retrying in {wait:?}");
                    tokio::time::sleep(wait).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Sets an output field set (`User_SetFields`, `Order_SetFields`, …) for this and every
    /// later session.
    pub async fn set_fields(&self, op: &str, fields: &str) -> Result<(), SoapError> {
        self.call(op, &format!("<Fields>{}</Fields>", escape(fields)))
            .await?;
        let mut sets = self.field_sets.lock().unwrap();
        sets.retain(|(o, _)| o != op);
        sets.push((op.to_string(), fields.to_string()));
        Ok(())
    }
}

/// The `Cookie` header that carries the session `Solution_Connect` opened: every cookie it
/// set, as `name=value; …`. The notes name no cookie (PHP's default is `PHPSESSID`, but a shop
/// may use another session name), so all are sent back, as PHP's SoapClient and zeep do.
fn session_cookies(headers: &reqwest::header::HeaderMap) -> Option<String> {
    let pairs: Vec<&str> = headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next().map(str::trim))
        .filter(|c| c.split_once('=').is_some_and(|(n, _)| !n.trim().is_empty()))
        .collect();
    (!pairs.is_empty()).then(|| pairs.join("; "))
}

fn fault_of(fault: &Element) -> SoapError {
    let local = |s: &str| s.rsplit(':').next().unwrap_or(s).trim().to_string();
    let code = fault
        .find("Subcode")
        .and_then(|s| s.child("Value"))
        .or_else(|| fault.find("Code").and_then(|c| c.child("Value")))
        .or_else(|| fault.child("faultcode"))
        .map(|e| local(&e.text))
        .unwrap_or_else(|| "UNKNOWN".into());
    let message = fault
        .child("faultstring")
        .or_else(|| fault.find("Text"))
        .map(|e| e.text.trim().to_string())
        .unwrap_or_default();
    SoapError::Fault { code, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_is_every_cookie_the_connect_set() {
        let mut h = reqwest::header::HeaderMap::new();
        assert_eq!(session_cookies(&h), None);
        h.append("set-cookie", "PHPSESSID=abc123; path=/".parse().unwrap());
        assert_eq!(session_cookies(&h).as_deref(), Some("PHPSESSID=abc123"));
        h.append(
            "set-cookie",
            "HSSESSION=x9; path=/; secure; HttpOnly".parse().unwrap(),
        );
        assert_eq!(
            session_cookies(&h).as_deref(),
            Some("PHPSESSID=abc123; HSSESSION=x9")
        );
    }

    #[test]
    fn faults_of_both_soap_versions() {
        let v11 = xml::parse("<E:Envelope xmlns:E=\"x\"><E:Body><E:Fault><faultcode>NOSUCHPARAM</faultcode><faultstring>No such field: X</faultstring></E:Fault></E:Body></E:Envelope>").unwrap();
        let e = fault_of(v11.find("Fault").unwrap());
        assert_eq!(e.code(), Some("NOSUCHPARAM"));
        let v12 = xml::parse("<env:Envelope xmlns:env=\"x\"><env:Body><env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>PARAM</env:Value></env:Subcode></env:Code><env:Reason><env:Text>Page must be greater than 0</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>").unwrap();
        let e = fault_of(v12.find("Fault").unwrap());
        assert_eq!(e.code(), Some("PARAM"));
        assert!(e.to_string().contains("Page must be greater than 0"));
    }
}
