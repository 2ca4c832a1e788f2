//! HTTP side of the Shopify fake: `POST /admin/api/{version}/graphql.json` with the access token,
//! faults, and the sandbox's own endpoints:
//!
//! - `GET /_sandbox/stats`: counters ([`super::ShopifyStats`]) as JSON.
//! - `GET|POST /_sandbox/faults`: read or switch faults ([`crate::Faults`] as JSON).
//! - `POST /_sandbox/bucket/refill`: fill the cost bucket.
//! - `POST /_sandbox/stats/reset`: zero the counters.
//! - `POST /_sandbox/changes`: make shop-owner changes ([`super::Changes`]); answers the gids.
//! - `GET /_sandbox/bulk/{id}.jsonl`: a bulk operation's result, unauthenticated like Shopify's
//!   signed storage URLs; never subject to faults.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use rand::Rng;
use serde_json::{json, Value};

use super::cost::{CostCalc, MAX_QUERY_COST};
use super::executor::{Ctx, Executor};
use super::validate;
use super::{Shared, API_VERSION};

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/admin/api/{version}/graphql.json", post(graphql))
        .route("/_sandbox/stats", get(stats))
        .route("/_sandbox/faults", get(get_faults).post(set_faults))
        .route("/_sandbox/bucket/refill", post(refill))
        .route("/_sandbox/stats/reset", post(reset_stats))
        .route("/_sandbox/changes", post(changes))
        .route("/_sandbox/bulk/{file}", get(download))
        .with_state(shared)
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut r = (status, body.to_string()).into_response();
    r.headers_mut().insert(
        "content-type",
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    r
}

/// Versions Shopify has released up to the one served. Older ones fall forward to 2026-10 here
/// (Shopify falls forward to its oldest supported version); later or malformed ones are 404.
fn known_version(v: &str) -> bool {
    if v == API_VERSION || v == "unstable" {
        return true;
    }
    let Some((y, m)) = v.split_once('-') else {
        return false;
    };
    let (Ok(y), Ok(m)) = (y.parse::<u32>(), m.parse::<u32>()) else {
        return false;
    };
    y.to_string().len() == 4
        && matches!(m, 1 | 4 | 7 | 10)
        && (2019..=2026).contains(&y)
        && v <= API_VERSION
        && v.len() == 7
}

fn request_id() -> String {
    let mut r = rand::thread_rng();
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        r.gen::<u32>(),
        r.gen::<u16>(),
        r.gen::<u16>() & 0x0fff | 0x4000,
        r.gen::<u16>() & 0x3fff | 0x8000,
        r.gen::<u64>() & 0xffff_ffff_ffff
    )
}

enum Fault {
    None,
    RateLimited,
    ServerError(u16),
    Drop { after_work: bool },
}

struct Plan {
    fault: Fault,
    slow: Option<Duration>,
    truncate: bool,
}

fn plan_faults(shared: &Shared) -> Plan {
    let mut st = shared.faults.lock().unwrap();
    let f = st.faults.clone();
    let mut plan = Plan {
        fault: Fault::None,
        slow: None,
        truncate: false,
    };
    if let Some(until) = st.burst_until {
        if Instant::now() < until {
            plan.fault = Fault::RateLimited;
            return plan;
        }
        st.burst_until = None;
    }
    let mut roll = |p: f64| p > 0.0 && st.rng.gen::<f64>() < p;
    if roll(f.rate_limit_burst) {
        plan.fault = Fault::RateLimited;
    } else if roll(f.server_error) {
        plan.fault = Fault::ServerError(*[500u16, 502, 503].get(st.rng.gen_range(0..3)).unwrap());
    } else if roll(f.drop_connection) {
        let after_work = st.rng.gen::<bool>();
        plan.fault = Fault::Drop { after_work };
    } else {
        if roll(f.slow_response) {
            plan.slow = Some(Duration::from_secs_f64(f.slow_response_secs.max(0.0)));
        }
        if roll(f.truncated_body) {
            plan.truncate = true;
        }
    }
    if matches!(plan.fault, Fault::RateLimited) {
        // The burst refuses the rest of the current (vendor) second.
        st.burst_until = Some(Instant::now() + Duration::from_secs_f64(1.0 / shared.time_scale));
    }
    plan
}

/// A response whose body fails at once: the connection is closed without an answer.
fn dropped() -> Response {
    let stream = futures::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "fault: dropped",
        ))
    });
    Response::new(Body::from_stream(stream))
}

async fn graphql(
    State(shared): State<Arc<Shared>>,
    Path(version): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    shared.counters.requests.fetch_add(1, Ordering::Relaxed);
    if !known_version(&version) {
        return json_response(StatusCode::NOT_FOUND, &json!({"errors": "Not Found"}));
    }
    let token = headers
        .get("x-shopify-access-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if token != shared.token {
        return json_response(
            StatusCode::UNAUTHORIZED,
            &json!({"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"}),
        );
    }
    let plan = plan_faults(&shared);
    match plan.fault {
        Fault::RateLimited => {
            shared.counters.http_429.fetch_add(1, Ordering::Relaxed);
            shared
                .counters
                .faults_injected
                .fetch_add(1, Ordering::Relaxed);
            let mut r = json_response(
                StatusCode::TOO_MANY_REQUESTS,
                &json!({"errors": "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."}),
            );
            let retry = format!("{:.1}", (1.0 / shared.time_scale).max(0.0));
            let retry = if retry == "0.0" {
                format!("{:.3}", 1.0 / shared.time_scale)
            } else {
                retry
            };
            r.headers_mut()
                .insert("retry-after", HeaderValue::from_str(&retry).unwrap());
            return r;
        }
        Fault::ServerError(code) => {
            shared
                .counters
                .faults_injected
                .fetch_add(1, Ordering::Relaxed);
            let rid = request_id();
            return match code {
                502 => {
                    let mut r = (
                        StatusCode::BAD_GATEWAY,
                        "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>",
                    )
                        .into_response();
                    r.headers_mut()
                        .insert("content-type", HeaderValue::from_static("text/html"));
                    r
                }
                503 => json_response(
                    StatusCode::SERVICE_UNAVAILABLE,
                    &json!({"errors": "Service Unavailable"}),
                ),
                _ => json_response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    &json!({"errors": [{"message": format!("Internal error. Looks like something went wrong on our end.\nRequest ID: {rid} (include this in support requests)."), "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": rid}}]}),
                ),
            };
        }
        Fault::Drop { after_work: false } => {
            shared
                .counters
                .faults_injected
                .fetch_add(1, Ordering::Relaxed);
            return dropped();
        }
        _ => {}
    }
    let is_graphql_ct = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("application/graphql"));
    let (query, variables, op_name) = if is_graphql_ct {
        (
            String::from_utf8_lossy(&body).to_string(),
            Value::Null,
            None,
        )
    } else {
        match serde_json::from_slice::<Value>(&body) {
            Ok(v) => (
                v.get("query")
                    .and_then(|q| q.as_str())
                    .unwrap_or("")
                    .to_string(),
                v.get("variables").cloned().unwrap_or(Value::Null),
                v.get("operationName")
                    .and_then(|o| o.as_str())
                    .map(|s| s.to_string()),
            ),
            Err(_) => (String::new(), Value::Null, None),
        }
    };
    if query.trim().is_empty() {
        return json_response(
            StatusCode::BAD_REQUEST,
            &json!({"errors": {"query": "Required parameter missing or invalid"}}),
        );
    }
    let sh = shared.clone();
    let result =
        tokio::task::spawn_blocking(move || process(&sh, &query, op_name.as_deref(), &variables))
            .await;
    let body = match result {
        Ok(v) => v,
        Err(e) => {
            tracing::error!("shopify fake panicked: {e}");
            return json_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                &json!({"errors": "Internal Server Error"}),
            );
        }
    };
    if let Some(d) = plan.slow {
        shared
            .counters
            .faults_injected
            .fetch_add(1, Ordering::Relaxed);
        tokio::time::sleep(d).await;
    }
    if let Fault::Drop { after_work: true } = plan.fault {
        shared
            .counters
            .faults_injected
            .fetch_add(1, Ordering::Relaxed);
        return dropped();
    }
    let text = body.to_string();
    let text = if plan.truncate {
        shared
            .counters
            .faults_injected
            .fetch_add(1, Ordering::Relaxed);
        let mut cut = text.len() / 2;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text[..cut].to_string()
    } else {
        text
    };
    let mut r = (StatusCode::OK, text).into_response();
    let h = r.headers_mut();
    h.insert(
        "content-type",
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    h.insert(
        "x-shopify-api-version",
        HeaderValue::from_static(API_VERSION),
    );
    h.insert(
        "x-request-id",
        HeaderValue::from_str(&request_id()).unwrap(),
    );
    r
}

fn cost_ext(requested: u64, actual: Option<u64>, throttle: Value) -> Value {
    json!({"requestedQueryCost": requested, "actualQueryCost": actual, "throttleStatus": throttle})
}

/// Runs one GraphQL request; returns the response body.
pub fn process(
    shared: &Arc<Shared>,
    query: &str,
    op_name: Option<&str>,
    variables: &Value,
) -> Value {
    let schema = shared.schema.as_deref();
    let prepared = match validate::prepare(schema, query, op_name, variables) {
        Ok(p) => p,
        Err(errors) => return json!({"errors": errors}),
    };
    let op = prepared.operation();
    let ctx = Ctx {
        shared,
        path: Vec::new(),
        search_warnings: Vec::new(),
        bulk: false,
        idempotency_key: None,
    };
    let mut exec = Executor::new(ctx, schema, &prepared.doc, &prepared.vars);
    let root = exec.root_type(op.operation_type);
    let calc = CostCalc::new(schema, &prepared.doc, &prepared.vars);
    let requested = calc.operation_cost(op, &root, None);
    if requested > MAX_QUERY_COST {
        shared
            .counters
            .max_cost_exceeded
            .fetch_add(1, Ordering::Relaxed);
        let status = shared.bucket.lock().unwrap().status();
        return json!({
            "errors": [{
                "message": format!("Query cost is {requested}, which exceeds the single query max cost limit ({MAX_QUERY_COST}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/api/usage/bulk-operations/queries for usage details.\n"),
                "extensions": {"code": "MAX_COST_EXCEEDED", "cost": requested, "maxCost": MAX_QUERY_COST, "documentation": "https://shopify.dev/api/usage/rate-limits"},
            }],
            "extensions": {"cost": cost_ext(requested, None, status)},
        });
    }
    if !shared.limits_lifted {
        let mut b = shared.bucket.lock().unwrap();
        if !b.try_take(requested as f64) {
            shared.counters.throttled.fetch_add(1, Ordering::Relaxed);
            let status = b.status();
            return json!({
                "errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}],
                "extensions": {"cost": cost_ext(requested, None, status)},
            });
        }
    }
    let data = exec.execute(op);
    let actual = calc.operation_cost(op, &root, Some(data.as_ref().unwrap_or(&Value::Null)));
    let actual = if data.is_none() { 0 } else { actual };
    shared
        .counters
        .cost_points
        .fetch_add(actual, Ordering::Relaxed);
    let status = {
        let mut b = shared.bucket.lock().unwrap();
        if !shared.limits_lifted && actual < requested {
            b.refund((requested - actual) as f64);
        }
        b.status()
    };
    let mut body = serde_json::Map::new();
    if !exec.errors.is_empty() {
        body.insert(
            "errors".into(),
            Value::Array(std::mem::take(&mut exec.errors)),
        );
    }
    body.insert("data".into(), data.unwrap_or(Value::Null));
    let mut ext = serde_json::Map::new();
    ext.insert("cost".into(), cost_ext(requested, Some(actual), status));
    if !exec.ctx.search_warnings.is_empty() {
        ext.insert(
            "search".into(),
            Value::Array(std::mem::take(&mut exec.ctx.search_warnings)),
        );
    }
    body.insert("extensions".into(), Value::Object(ext));
    Value::Object(body)
}

async fn stats(State(shared): State<Arc<Shared>>) -> Response {
    Json(shared.counters.snapshot()).into_response()
}

async fn get_faults(State(shared): State<Arc<Shared>>) -> Response {
    Json(shared.faults.lock().unwrap().faults.clone()).into_response()
}

async fn set_faults(State(shared): State<Arc<Shared>>, Json(f): Json<crate::Faults>) -> Response {
    use rand::SeedableRng;
    let mut st = shared.faults.lock().unwrap();
    st.rng = rand::rngs::StdRng::seed_from_u64(f.seed);
    st.faults = f;
    st.burst_until = None;
    StatusCode::NO_CONTENT.into_response()
}

async fn reset_stats(State(shared): State<Arc<Shared>>) -> Response {
    shared.counters.reset();
    StatusCode::NO_CONTENT.into_response()
}

async fn changes(State(shared): State<Arc<Shared>>, Json(c): Json<super::Changes>) -> Response {
    let handle = super::ShopifyHandle { shared };
    let touched = tokio::task::spawn_blocking(move || handle.apply_changes(&c))
        .await
        .unwrap_or_default();
    Json(json!({"changed": touched})).into_response()
}

async fn refill(State(shared): State<Arc<Shared>>) -> Response {
    shared.bucket.lock().unwrap().reset();
    StatusCode::NO_CONTENT.into_response()
}

async fn download(State(shared): State<Arc<Shared>>, Path(file): Path<String>) -> Response {
    let Some(id) = file
        .strip_suffix(".jsonl")
        .and_then(|s| s.parse::<u64>().ok())
    else {
        return (StatusCode::NOT_FOUND, "Not Found").into_response();
    };
    if !shared.bulk.downloadable(id) {
        return (StatusCode::NOT_FOUND, "Not Found").into_response();
    }
    let path = shared.bulk.file_path(id);
    let file = match tokio::fs::File::open(&path).await {
        Ok(f) => f,
        Err(_) => return (StatusCode::NOT_FOUND, "Not Found").into_response(),
    };
    let len = file.metadata().await.map(|m| m.len()).unwrap_or(0);
    let stream = futures::stream::unfold(file, |mut f| async move {
        use tokio::io::AsyncReadExt;
        let mut buf = vec![0u8; 64 * 1024];
        match f.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<Bytes, std::io::Error>(Bytes::from(buf)), f))
            }
            Err(e) => Some((Err(e), f)),
        }
    });
    let mut r = Response::new(Body::from_stream(stream));
    let h = r.headers_mut();
    h.insert(
        "content-type",
        HeaderValue::from_static("application/jsonl"),
    );
    h.insert(
        "content-length",
        HeaderValue::from_str(&len.to_string()).unwrap(),
    );
    r
}
