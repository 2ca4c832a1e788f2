//! The HTTP plumbing every connector shares: one client with timeouts, and a retry loop with
//! exponential backoff and jitter whose decisions (retry, wait how long, give up) are the
//! connector's, because each vendor signals rate limits and failures its own way.

use std::time::Duration;

use backon::BackoffBuilder;

/// How long one request may take before it is abandoned and retried.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// At most this many attempts per request before the error is reported.
pub const MAX_ATTEMPTS: usize = 8;

pub fn client() -> reqwest::Client {
    client_with_timeout(request_timeout())
}

/// `SHOPSYNC_HTTP_TIMEOUT` (seconds) overrides the request timeout; tests use a short one.
pub fn request_timeout() -> Duration {
    std::env::var("SHOPSYNC_HTTP_TIMEOUT")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| *s > 0.0)
        .map(Duration::from_secs_f64)
        .unwrap_or(REQUEST_TIMEOUT)
}

pub fn client_with_timeout(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(concat!("shopsync/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(CONNECT_TIMEOUT.min(timeout))
        .timeout(timeout)
        // Also per read, for the long downloads that lift the total timeout.
        .read_timeout(timeout)
        .pool_max_idle_per_host(32)
        .build()
        .expect("the HTTP client configuration is valid")
}

/// The total timeout of a download that is read only as fast as its records can be written on
/// (a bulk export's file, paced by the target's rate limit): a stalled one still ends after the
/// client's read timeout.
pub const LONG_DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(24 * 3600);

/// A `Retry-After` header given in seconds (the form these vendors send), capped at a day; a
/// negative or non-numeric value is ignored (an unchecked huge one would panic the conversion).
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|s| *s >= 0.0)
        .map(|s| Duration::from_secs_f64(s.min(86_400.0)))
}

#[cfg(test)]
mod retry_after_tests {
    use super::*;

    fn header(v: &str) -> reqwest::header::HeaderMap {
        let mut h = reqwest::header::HeaderMap::new();
        h.insert("retry-after", v.parse().unwrap());
        h
    }

    #[test]
    fn reads_seconds_and_refuses_nonsense() {
        assert_eq!(retry_after(&header("2")), Some(Duration::from_secs(2)));
        assert_eq!(
            retry_after(&header(" 0.5 ")),
            Some(Duration::from_millis(500))
        );
        assert_eq!(
            retry_after(&header("1e300")),
            Some(Duration::from_secs(86_400))
        );
        assert_eq!(retry_after(&header("-1")), None);
        assert_eq!(retry_after(&header("NaN")), None);
        assert_eq!(retry_after(&header("Wed, 21 Oct 2026 07:28:00 GMT")), None);
        assert_eq!(retry_after(&reqwest::header::HeaderMap::new()), None);
    }
}

/// The first backoff delay (200 ms); `SHOPSYNC_RETRY_BASE_MS` shortens it for tests.
pub fn retry_base_delay() -> Duration {
    std::env::var("SHOPSYNC_RETRY_BASE_MS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .map(Duration::from_millis)
        .unwrap_or(Duration::from_millis(200))
}

/// What a connector decides about one attempt.
pub enum Attempt<T, E> {
    Done(T),
    /// Try again, after the server's wait when it named one, else after the backoff delay.
    Retry {
        wait: Option<Duration>,
        reason: String,
    },
    /// Give up now (a 4xx that will not change, a daily limit).
    Fail(E),
}

/// A request that failed after every retry, or that cannot succeed.
#[derive(Debug, thiserror::Error)]
pub enum RetryError<E> {
    #[error("{0}")]
    Fatal(E),
    #[error("gave up after {attempts} attempts; last error: {last}")]
    Exhausted { attempts: usize, last: String },
}

/// Runs `attempt` until it is done, fails, or `MAX_ATTEMPTS` have been made.
/// Waits the server asked for are not counted against the attempts (a rate limit is not a fault).
pub async fn retry<T, E, F, Fut>(mut attempt: F) -> Result<T, RetryError<E>>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = Attempt<T, E>>,
{
    let base = retry_base_delay();
    let mut backoff = backon::ExponentialBuilder::default()
        .with_min_delay(base)
        .with_max_delay(base * 100)
        .with_jitter()
        .without_max_times()
        .build();
    let mut faults = 0;
    let mut waits = 0;
    loop {
        match attempt(faults + waits).await {
            Attempt::Done(v) => return Ok(v),
            Attempt::Fail(e) => return Err(RetryError::Fatal(e)),
            Attempt::Retry {
                wait: Some(wait),
                reason,
            } => {
                waits += 1;
                // A server that keeps asking us to wait forever is a fault too.
                if waits > 50 * MAX_ATTEMPTS {
                    return Err(RetryError::Exhausted {
                        attempts: faults + waits,
                        last: reason,
                    });
                }
                tracing::debug!("waiting {wait:?}: {reason}");
                tokio::time::sleep(wait).await;
            }
            Attempt::Retry { wait: None, reason } => {
                faults += 1;
                if faults >= MAX_ATTEMPTS {
                    return Err(RetryError::Exhausted {
                        attempts: faults,
                        last: reason,
                    });
                }
                let delay = backoff.next().unwrap_or(Duration::from_secs(20));
                tracing::debug!("retrying in {delay:?}: {reason}");
                tokio::time::sleep(delay).await;
            }
        }
    }
}

impl<E> RetryError<E> {
    /// The connector's own error: a fatal one as it is, exhaustion as `unreachable(last reason)`.
    pub fn into_error(self, unreachable: impl FnOnce(String) -> E) -> E {
        match self {
            RetryError::Fatal(e) => e,
            RetryError::Exhausted { last, .. } => unreachable(last),
        }
    }
}

/// A whole answer: status, headers and body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Reply {
    /// The body as JSON (an empty body is `null`), or `None` when it is not complete JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        if self.text.trim().is_empty() {
            Some(serde_json::Value::Null)
        } else {
            serde_json::from_str(&self.text).ok()
        }
    }

    pub fn retry_after(&self) -> Option<Duration> {
        retry_after(&self.headers)
    }

    /// The answers every vendor means the same way: 429 waits as the server asks (else
    /// `default_wait`), and a 5xx is retried after the backoff delay. `None` for the rest,
    /// which are the connector's to judge.
    pub fn transient<T, E>(&self, default_wait: Duration) -> Option<Attempt<T, E>> {
        match self.status {
            429 => Some(Attempt::Retry {
                wait: Some(self.retry_after().unwrap_or(default_wait)),
                reason: "HTTP 429 Too Many Requests".into(),
            }),
            500..=599 => Some(Attempt::Retry {
                wait: None,
                reason: format!("HTTP {}", self.status),
            }),
            _ => None,
        }
    }
}

/// A request that got no whole answer.
#[derive(Debug)]
pub struct NoReply {
    pub reason: String,
    /// False only when no connection was made: then the server cannot have seen the request,
    /// and even a write that is not idempotent may be sent again.
    pub maybe_received: bool,
    /// The status, when it came but the body was cut off.
    pub status: Option<u16>,
}

impl NoReply {
    pub fn retry<T, E>(self) -> Attempt<T, E> {
        Attempt::Retry {
            wait: None,
            reason: self.reason,
        }
    }
}

/// Sends one request and reads its whole answer.
pub async fn exchange(request: reqwest::RequestBuilder) -> Result<Reply, NoReply> {
    let response = request.send().await.map_err(|e| NoReply {
        reason: describe(&e),
        maybe_received: !e.is_connect(),
        status: None,
    })?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.map_err(|e| NoReply {
        reason: describe(&e),
        maybe_received: true,
        status: Some(status),
    })?;
    Ok(Reply {
        status,
        headers,
        text,
    })
}

/// A short, secret-free description of a transport error.
pub fn describe(err: &reqwest::Error) -> String {
    let kind = if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
        "could not connect"
    } else if err.is_body() || err.is_decode() {
        "the answer was cut off"
    } else if err.is_request() {
        "the connection failed"
    } else {
        "the request failed"
    };
    let mut source = std::error::Error::source(err);
    let mut detail = String::new();
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    if detail.is_empty() {
        kind.to_string()
    } else {
        format!("{kind} ({detail})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn retries_until_done_and_counts_faults_only() {
        let result: Result<u32, RetryError<String>> = retry(|n| async move {
            match n {
                0 => Attempt::Retry {
                    wait: Some(Duration::from_secs(10)),
                    reason: "429".into(),
                },
                1 | 2 => Attempt::Retry {
                    wait: None,
                    reason: "503".into(),
                },
                _ => Attempt::Done(7),
            }
        })
        .await;
        assert_eq!(result.unwrap(), 7);
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_after_max_attempts() {
        let result: Result<u32, RetryError<String>> = retry(|_| async {
            Attempt::Retry {
                wait: None,
                reason: "503".into(),
            }
        })
        .await;
        assert!(matches!(
            result,
            Err(RetryError::Exhausted {
                attempts: MAX_ATTEMPTS,
                ..
            })
        ));
    }

    #[tokio::test]
    async fn fatal_errors_are_not_retried() {
        let mut calls = 0;
        let result: Result<u32, RetryError<&str>> = retry(|_| {
            calls += 1;
            async { Attempt::Fail("401") }
        })
        .await;
        assert!(matches!(result, Err(RetryError::Fatal("401"))));
        assert_eq!(calls, 1);
    }
}
