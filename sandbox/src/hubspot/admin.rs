//! Out-of-process control of the fake (no auth, no limits, no faults):
//! - `GET /_sandbox/stats`: the statistics as JSON;
//! - `GET|POST /_sandbox/faults`: read or replace the fault switches (a `Faults` JSON body);
//! - `GET /_sandbox/objects/{type}`: every live record of a type with every property
//!   (`?archived=true` for the recycle bin);
//! - `POST /_sandbox/daily` `{"remaining": n}`: set what is left of today's allowance;
//! - `POST /_sandbox/daily/reset`: a new day.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::errors::ApiError;
use super::store::ObjectType;
use super::{AppState, HubSpotHandle};
use crate::faults::Faults;

pub(crate) fn routes(r: Router<AppState>) -> Router<AppState> {
    r.route("/_sandbox/stats", get(stats))
        .route("/_sandbox/faults", get(get_faults).post(set_faults))
        .route("/_sandbox/objects/{ot}", get(objects))
        .route("/_sandbox/daily", post(set_daily))
        .route("/_sandbox/daily/reset", post(reset_daily))
}

fn handle(app: AppState) -> HubSpotHandle {
    HubSpotHandle { shared: app }
}

async fn stats(State(app): State<AppState>) -> Response {
    Json(handle(app).stats()).into_response()
}

async fn get_faults(State(app): State<AppState>) -> Response {
    Json(handle(app).faults()).into_response()
}

async fn set_faults(State(app): State<AppState>, Json(f): Json<Faults>) -> Response {
    let h = handle(app);
    h.set_faults(f);
    Json(h.faults()).into_response()
}

#[derive(Deserialize)]
struct ArchivedParam {
    #[serde(default)]
    archived: bool,
}

async fn objects(
    State(app): State<AppState>,
    Path(ot): Path<String>,
    Query(q): Query<ArchivedParam>,
) -> Result<Response, ApiError> {
    let ot = ObjectType::parse(&ot).ok_or_else(|| ApiError::unknown_object_type(&ot))?;
    let store = app.store();
    let os = store.obj(ot);
    let map = if q.archived { &os.archived } else { &os.live };
    let list: Vec<super::Record> = map.values().map(|r| os.to_record(r)).collect();
    Ok(Json(list).into_response())
}

async fn set_daily(
    State(app): State<AppState>,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    let Some(n) = body.get("remaining").and_then(Value::as_u64) else {
        return Err(ApiError::missing_fields(&["remaining"]));
    };
    let h = handle(app);
    h.set_daily_remaining(n);
    Ok(Json(json!({"dailyRemaining": h.daily_remaining()})).into_response())
}

async fn reset_daily(State(app): State<AppState>) -> Response {
    let h = handle(app);
    h.reset_daily();
    (
        StatusCode::OK,
        Json(json!({"dailyRemaining": h.daily_remaining()})),
    )
        .into_response()
}
