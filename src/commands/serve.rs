//! `shopsync serve`: receives a two-way profile's list webhooks, queues each durably in the
//! state file, and applies the queue through the same flow as `sync` (the member is read again
//! by id; the payload is only a pointer).
//!
//! The receiver queues without the profile's run lock (SQLite serialises the writes), so it
//! keeps answering while a `sync` of the same profile runs; the worker applies the queue under
//! the run lock, waiting while a sync holds it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use serde_json::json;
use sha2::Digest;

use crate::cli::ServeArgs;
use crate::commands::two_way_sync::state_dir;
use crate::commands::Context;
use crate::config::credentials::{self, Secret};
use crate::config::{Profile, ProfileFile};
use crate::connectors::heyloyalty::webhook;
use crate::connectors::system::System;
use crate::error::{CliError, CliResult, ExitCode};
use crate::flows::hostedshop_heyloyalty::{Flow, Secrets};
use crate::state::{StateError, StateStore, WebhookInbox};

/// The queue's name for these calls.
const SOURCE: &str = "heyloyalty";
/// How often the worker looks at the queue without being woken (calls left to retry).
const RETRY_EVERY: Duration = Duration::from_secs(5);

struct Shared {
    secret: Secret,
    inbox: std::sync::Mutex<WebhookInbox>,
    wake: tokio::sync::Notify,
}

pub async fn exec(ctx: &Context, args: ServeArgs) -> CliResult<ExitCode> {
    let (file, path) = ProfileFile::load(ctx.global.config.as_deref())?;
    let profile = file.profile(&args.profile, &path)?;
    if profile.target != "heyloyalty" {
        return Err(CliError::config(format!(
            "serve receives Heyloyalty's webhooks, but the profile `{}` targets {}",
            profile.name, profile.target
        ))
        .hint("use a profile with target = \"heyloyalty\""));
    }
    let (secret, _) = credentials::resolve(&profile.name, System::HeyloyaltyWebhook).map_err(|e| {
        CliError::config(format!(
            "serve needs a webhook secret for profile `{}`: {}",
            profile.name, e.message
        ))
        .hint(format!(
            "choose a long random secret and store it with `shopsync auth set {} heyloyalty-webhook`; give it to Heyloyalty as the webhook's Basic-auth password, or end the webhook URL with /webhook/SECRET",
            profile.name
        ))
    })?;
    // The sync's credentials are checked now, not at the first call.
    Secrets::resolve(&profile.name)?;
    let dir = state_dir(args.state_dir.as_deref(), &profile)?;
    // Creates the file (or brings it to the current schema) once.
    drop(StateStore::open(&dir, &profile.name)?);
    let shared = Arc::new(Shared {
        secret,
        inbox: std::sync::Mutex::new(WebhookInbox::open(&dir, &profile.name)?),
        wake: tokio::sync::Notify::new(),
    });
    let app = Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/webhook", post(basic))
        .route("/webhook/{secret}", post(by_path))
        .with_state(shared.clone());
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| {
            CliError::config(format!("cannot listen on {}: {e}", args.listen))
                .hint("choose another address with --listen HOST:PORT")
        })?;
    let addr: SocketAddr = listener
        .local_addr()
        .map_err(|e| CliError::run(format!("cannot read the listening address: {e}")))?;
    crate::interrupt::install(ctx.printer.is_quiet());
    if ctx.printer.json {
        // One line, so a supervisor can read the address before the server's first request.
        ctx.printer
            .out(json!({"listening": addr.to_string()}).to_string());
    } else {
        ctx.printer.out(format!("listening on http://{addr}"));
    }
    let worker = tokio::spawn(work(profile, dir, shared.clone()));
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(async {
            crate::interrupt::wait().await;
        })
        .await;
    worker.abort();
    served.map_err(|e| CliError::run(format!("the webhook server stopped: {e}")))?;
    Ok(ExitCode::Success)
}

fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn answer(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "message": message }))).into_response()
}

/// The password of a Basic `Authorization` header (any user name).
fn basic_password(headers: &HeaderMap) -> Option<String> {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        // RFC 7617: the scheme name is case-insensitive.
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"))
        .and_then(|(_, cred)| {
            base64::engine::general_purpose::STANDARD
                .decode(cred.trim())
                .ok()
        })
        .and_then(|v| String::from_utf8(v).ok())
        .and_then(|v| v.split_once(':').map(|(_, p)| p.to_string()))
}

async fn basic(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    match basic_password(&headers) {
        Some(p) if same(p.as_bytes(), shared.secret.expose().as_bytes()) => receive(&shared, &body),
        _ => answer(StatusCode::UNAUTHORIZED, "unauthorized"),
    }
}

async fn by_path(
    State(shared): State<Arc<Shared>>,
    Path(secret): Path<String>,
    body: Bytes,
) -> Response {
    if same(secret.as_bytes(), shared.secret.expose().as_bytes()) {
        receive(&shared, &body)
    } else {
        answer(StatusCode::UNAUTHORIZED, "unauthorized")
    }
}

/// Checks the body and queues it durably; only then is the sender answered 2xx.
fn receive(shared: &Shared, body: &[u8]) -> Response {
    let event = match webhook::parse(body) {
        Ok(e) => e,
        Err(why) => return answer(StatusCode::BAD_REQUEST, &why),
    };
    let dedup: String = sha2::Sha256::digest(body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let text = String::from_utf8_lossy(body).into_owned();
    let pushed = shared.inbox.lock().unwrap().push(SOURCE, &dedup, &text);
    match pushed {
        Ok(_) => {
            tracing::info!(
                "queued {} of member {} (list {})",
                event.kind,
                event.member_id,
                event.list_id
            );
            shared.wake.notify_one();
            answer(StatusCode::ACCEPTED, "queued")
        }
        Err(e) => {
            tracing::error!("could not queue a webhook: {e}");
            answer(
                StatusCode::SERVICE_UNAVAILABLE,
                "the queue is not writable; send it again",
            )
        }
    }
}

/// Applies the queue whenever a call arrives (and every few seconds, for calls to retry).
async fn work(profile: Profile, dir: std::path::PathBuf, shared: Arc<Shared>) {
    loop {
        if let Err(e) = drain(&profile, &dir).await {
            tracing::warn!("webhooks not applied yet: {e}");
        }
        tokio::select! {
            _ = shared.wake.notified() => {}
            _ = tokio::time::sleep(RETRY_EVERY) => {}
        }
    }
}

async fn drain(profile: &Profile, dir: &std::path::Path) -> CliResult {
    let state = match StateStore::open(dir, &profile.name) {
        Ok(s) => s,
        // A sync of this profile runs: the queue waits for it.
        Err(StateError::Locked { .. }) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let queued = state.queued_webhooks(SOURCE)?;
    if queued.is_empty() {
        return Ok(());
    }
    let flow = Flow::new(profile, Secrets::resolve(&profile.name)?, state.clone())?;
    for call in queued {
        let event = match webhook::parse(call.body.as_bytes()) {
            Ok(e) => e,
            Err(_) => {
                state.webhook_done(call.id)?;
                continue;
            }
        };
        match flow.apply_webhook(&event).await {
            Ok(plan) => {
                if let Some(p) = plan.filter(|p| p.has_changes()) {
                    tracing::info!(
                        "applied {} of {}: {:?} / {:?}",
                        event.kind,
                        p.label,
                        p.to_a,
                        p.to_b
                    );
                }
                state.webhook_done(call.id)?;
            }
            Err(e) => {
                state.webhook_failed(call.id, &e.message)?;
                return Err(e);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_basic_scheme_is_case_insensitive() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert("authorization", v.parse().unwrap());
            basic_password(&h)
        };
        // base64("heyloyalty:s3cret")
        let cred = "aGV5bG95YWx0eTpzM2NyZXQ=";
        for scheme in ["Basic", "basic", "BASIC"] {
            assert_eq!(with(&format!("{scheme} {cred}")).as_deref(), Some("s3cret"));
        }
        assert_eq!(with(&format!("Bearer {cred}")), None);
        assert_eq!(with("Basic"), None);
    }
}
