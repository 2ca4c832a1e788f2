//! Routes, and the gate every CRM request passes: bearer-token check, rate limits, fault
//! injection, statistics, the rate-limit headers on every answer.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::errors::{correlation_id, ApiError};
use super::ratelimit::{Admission, LimitKind};
use super::{admin, associations, objects, pipelines, properties, search, AppState};
use crate::faults::Faults;

const OBJECTS: &[&str] = &["/crm/objects/2026-03", "/crm/v3/objects"];
const RECORD_ASSOCIATIONS: &[&str] = &["/crm/objects/2026-03", "/crm/v4/objects"];
const ASSOCIATIONS: &[&str] = &["/crm/associations/2026-03", "/crm/v4/associations"];
const PROPERTIES: &[&str] = &["/crm/properties/2026-03", "/crm/v3/properties"];
const PIPELINES: &[&str] = &["/crm/pipelines/2026-03", "/crm/v3/pipelines"];

pub(crate) fn router(state: AppState) -> Router {
    let mut r: Router<AppState> = Router::new();
    for p in OBJECTS {
        r = r
            .route(
                &format!("{p}/{{ot}}"),
                get(objects::list).post(objects::create),
            )
            .route(&format!("{p}/{{ot}}/search"), post(search::search))
            .route(
                &format!("{p}/{{ot}}/batch/create"),
                post(objects::batch_create),
            )
            .route(
                &format!("{p}/{{ot}}/batch/update"),
                post(objects::batch_update),
            )
            .route(
                &format!("{p}/{{ot}}/batch/upsert"),
                post(objects::batch_upsert),
            )
            .route(&format!("{p}/{{ot}}/batch/read"), post(objects::batch_read))
            .route(
                &format!("{p}/{{ot}}/batch/archive"),
                post(objects::batch_archive),
            )
            .route(
                &format!("{p}/{{ot}}/{{id}}"),
                get(objects::get_one)
                    .patch(objects::update)
                    .delete(objects::archive),
            );
    }
    for p in RECORD_ASSOCIATIONS {
        r = r
            .route(
                &format!("{p}/{{ot}}/{{id}}/associations/{{to}}"),
                get(associations::list_for_record),
            )
            .route(
                &format!("{p}/{{ot}}/{{id}}/associations/default/{{to}}/{{tid}}"),
                put(associations::put_default),
            )
            .route(
                &format!("{p}/{{ot}}/{{id}}/associations/{{to}}/{{tid}}"),
                put(associations::put_labels).delete(associations::delete_for_record),
            );
    }
    for p in ASSOCIATIONS {
        r = r
            .route(
                &format!("{p}/{{from}}/{{to}}/batch/create"),
                post(associations::batch_create),
            )
            .route(
                &format!("{p}/{{from}}/{{to}}/batch/associate/default"),
                post(associations::associate_default),
            )
            .route(
                &format!("{p}/{{from}}/{{to}}/batch/read"),
                post(associations::batch_read),
            )
            .route(
                &format!("{p}/{{from}}/{{to}}/batch/archive"),
                post(associations::batch_archive),
            )
            .route(
                &format!("{p}/{{from}}/{{to}}/batch/labels/archive"),
                post(associations::labels_archive),
            )
            .route(
                &format!("{p}/{{from}}/{{to}}/labels"),
                get(associations::labels),
            );
    }
    for p in PROPERTIES {
        r = r
            .route(
                &format!("{p}/{{ot}}"),
                get(properties::list).post(properties::create),
            )
            .route(
                &format!("{p}/{{ot}}/batch/create"),
                post(properties::batch_create),
            )
            .route(
                &format!("{p}/{{ot}}/groups"),
                get(properties::list_groups).post(properties::create_group),
            )
            .route(
                &format!("{p}/{{ot}}/groups/{{name}}"),
                get(properties::get_group),
            )
            .route(&format!("{p}/{{ot}}/{{name}}"), get(properties::get_one));
    }
    for p in PIPELINES {
        r = r
            .route(
                &format!("{p}/{{ot}}"),
                get(pipelines::list).post(pipelines::create),
            )
            .route(
                &format!("{p}/{{ot}}/{{pid}}"),
                get(pipelines::get_one)
                    .patch(pipelines::update)
                    .put(pipelines::replace)
                    .delete(pipelines::delete),
            )
            .route(
                &format!("{p}/{{ot}}/{{pid}}/stages"),
                get(pipelines::list_stages).post(pipelines::create_stage),
            )
            .route(
                &format!("{p}/{{ot}}/{{pid}}/stages/{{sid}}"),
                get(pipelines::get_stage)
                    .patch(pipelines::update_stage)
                    .delete(pipelines::delete_stage),
            );
    }
    r = admin::routes(r);
    r.fallback(|| async { ApiError::resource_not_found() })
        .layer(middleware::from_fn_with_state(state.clone(), gate))
        .with_state(state)
}

/// What a request is, for the statistics and for the limits it counts against.
pub(crate) fn classify(method: &Method, path: &str) -> (String, LimitKind) {
    let strip = |prefixes: &[&str]| {
        prefixes
            .iter()
            .find_map(|p| path.strip_prefix(p).and_then(|r| r.strip_prefix('/')))
    };
    let segs = |rest: &str| {
        rest.split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    if let Some(rest) = strip(&["/crm/objects/2026-03", "/crm/v3/objects", "/crm/v4/objects"]) {
        let s = segs(rest);
        let label = match (s.len(), s.get(1).map(String::as_str)) {
            (1, _) if method == Method::POST => "objects.create".to_string(),
            (1, _) => "objects.list".to_string(),
            (2, Some("search")) => return ("objects.search".into(), LimitKind::Search),
            (3, Some("batch")) => format!("objects.batch.{}", s[2]),
            (2, _) if method == Method::PATCH => "objects.update".to_string(),
            (2, _) if method == Method::DELETE => "objects.archive".to_string(),
            (2, _) => "objects.get".to_string(),
            _ if s.get(2).map(String::as_str) == Some("associations") => {
                "associations.record".to_string()
            }
            _ => "other".to_string(),
        };
        return (label, LimitKind::Standard);
    }
    if let Some(rest) = strip(ASSOCIATIONS) {
        let s = segs(rest);
        if s.get(2).map(String::as_str) == Some("batch") {
            return (
                format!("associations.batch.{}", s[3..].join(".")),
                LimitKind::TenSecondlyExempt,
            );
        }
        return ("associations.labels".into(), LimitKind::Standard);
    }
    if strip(PROPERTIES).is_some() {
        return ("properties".into(), LimitKind::Standard);
    }
    if strip(PIPELINES).is_some() {
        return ("pipelines".into(), LimitKind::Standard);
    }
    ("other".into(), LimitKind::Standard)
}

/// Faults that can hit one request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Injected {
    ServerError(u16),
    Burst,
    Drop { after_write: bool },
    Slow(Duration),
    Truncate,
}

impl Injected {
    fn name(self) -> &'static str {
        match self {
            Injected::ServerError(_) => "server_error",
            Injected::Burst => "rate_limit_burst",
            Injected::Drop { .. } => "drop_connection",
            Injected::Slow(_) => "slow_response",
            Injected::Truncate => "truncated_body",
        }
    }
}

/// The switched-on faults and their seeded generator.
pub(crate) struct FaultState {
    pub faults: Faults,
    rng: StdRng,
}

impl FaultState {
    pub fn new(faults: Faults) -> FaultState {
        let rng = StdRng::seed_from_u64(faults.seed);
        FaultState { faults, rng }
    }

    fn hit(&mut self, p: f64) -> bool {
        p > 0.0 && self.rng.gen::<f64>() < p
    }

    /// At most one fault per request, tried in a fixed order (so a seed replays).
    pub fn draw(&mut self) -> Option<Injected> {
        let f = self.faults.clone();
        if self.hit(f.server_error) {
            let code = [500, 502, 503][self.rng.gen_range(0..3)];
            return Some(Injected::ServerError(code));
        }
        if self.hit(f.rate_limit_burst) {
            return Some(Injected::Burst);
        }
        if self.hit(f.drop_connection) {
            return Some(Injected::Drop {
                after_write: self.rng.gen::<bool>(),
            });
        }
        if self.hit(f.slow_response) {
            return Some(Injected::Slow(Duration::from_secs_f64(
                f.slow_response_secs.max(0.0),
            )));
        }
        if self.hit(f.truncated_body) {
            return Some(Injected::Truncate);
        }
        None
    }

    /// Which inputs of a batch of `n` fail (`partial_batch_failure`).
    pub fn mask(&mut self, n: usize) -> Vec<bool> {
        let p = self.faults.partial_batch_failure;
        (0..n).map(|_| self.hit(p)).collect()
    }
}

/// Marker carried by the unwind that drops a connection.
struct DroppedConnection;

/// Closes the connection without an answer: the handler future unwinds (without the panic
/// hook, so nothing is printed) and the server's connection task drops the socket.
fn drop_connection() -> ! {
    std::panic::resume_unwind(Box::new(DroppedConnection))
}

fn bearer(req: &Request) -> Option<&str> {
    let v = req
        .headers()
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

fn with_headers(mut resp: Response, adm: &Admission) -> Response {
    let h = resp.headers_mut();
    for (k, v) in &adm.headers {
        if let Ok(v) = HeaderValue::from_str(v) {
            h.insert(*k, v);
        }
    }
    if !h.contains_key("x-hubspot-correlation-id") {
        if let Ok(v) = HeaderValue::from_str(&correlation_id()) {
            h.insert("x-hubspot-correlation-id", v);
        }
    }
    resp
}

/// Cuts a JSON answer in half (status and headers kept, length corrected).
async fn truncate(resp: Response) -> Response {
    let (mut parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let cut = bytes.slice(..bytes.len() / 2);
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(cut))
}

async fn gate(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if path.starts_with("/_sandbox") {
        return next.run(req).await;
    }
    let (label, kind) = classify(req.method(), &path);
    app.count_request(&label);
    if bearer(&req) != Some(app.token.as_str()) {
        app.count_unauthorized();
        return ApiError::unauthorized().into_response();
    }
    let adm = app.limiter().admit(kind);
    if let Some(policy) = adm.refused {
        app.count_rate_limited(policy.name());
        return with_headers(ApiError::rate_limited(policy.name()).into_response(), &adm);
    }
    let fault = app.fault_state().draw();
    let resp = match fault {
        None => next.run(req).await,
        Some(f) => {
            match f {
                Injected::Truncate => {}
                _ => app.count_fault(f.name()),
            }
            match f {
                Injected::ServerError(code) => ApiError::server_error(code).into_response(),
                Injected::Burst => {
                    app.limiter().start_burst();
                    app.count_rate_limited("TEN_SECONDLY_ROLLING");
                    let mut adm = adm;
                    for (k, v) in adm.headers.iter_mut() {
                        if *k == "x-hubspot-ratelimit-remaining" {
                            *v = "0".into();
                        }
                    }
                    return with_headers(
                        ApiError::rate_limited("TEN_SECONDLY_ROLLING").into_response(),
                        &adm,
                    );
                }
                Injected::Drop { after_write } => {
                    if after_write {
                        let _ = next.run(req).await;
                    }
                    drop_connection()
                }
                Injected::Slow(d) => {
                    let resp = next.run(req).await;
                    tokio::time::sleep(d).await;
                    resp
                }
                Injected::Truncate => {
                    let resp = next.run(req).await;
                    let has_body = matches!(resp.status(), StatusCode::OK | StatusCode::CREATED);
                    if has_body {
                        app.count_fault(f.name());
                        truncate(resp).await
                    } else {
                        resp
                    }
                }
            }
        }
    };
    let resp = if resp.status() == StatusCode::METHOD_NOT_ALLOWED {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "VALIDATION_ERROR",
            format!("HTTP 405 Method Not Allowed: {path}"),
        )
        .into_response()
    } else {
        resp
    };
    with_headers(resp, &adm)
}
