//! Deal pipelines: `/crm/pipelines/2026-03/{objectType}` (and `/crm/v3/pipelines/...`).
//!
//! Facts (pipelines guide, legacy and 2026-03): a pipeline is created with `label`,
//! `displayOrder` and `stages`; each stage has `label`, `displayOrder` and `metadata`; for deals
//! `metadata.probability` is required, between 0.0 and 1.0 (0.0 closed lost, 1.0 closed won);
//! stage labels are unique within a pipeline; deals pipelines take at most 100 stages; an
//! unknown pipeline id answers 404. The account starts with the "Sales Pipeline", id `default`.

use std::collections::{BTreeMap, HashSet};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::errors::{json_response, ApiError};
use super::store::{iso_ms, now_ms, ObjectType};
use super::{AppState, JsonBody};

/// A pipeline stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineStage {
    pub id: String,
    pub label: String,
    pub display_order: i64,
    /// Metadata values are strings (`{"isClosed": "false", "probability": "0.2"}`).
    pub metadata: BTreeMap<String, String>,
    pub created_at: String,
    pub updated_at: String,
    pub archived: bool,
}

/// A pipeline with its stages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pipeline {
    pub id: String,
    pub label: String,
    pub display_order: i64,
    pub stages: Vec<PipelineStage>,
    pub created_at: String,
    pub updated_at: String,
    pub archived: bool,
    /// The object type the pipeline belongs to (`deals`); not part of HubSpot's JSON.
    #[serde(skip)]
    pub object_type: String,
}

impl Pipeline {
    pub fn to_json(&self) -> Value {
        let mut v = json!(self);
        if let Value::Object(m) = &mut v {
            if let Some(Value::Array(stages)) = m.get_mut("stages") {
                stages.retain(|s| s.get("archived") != Some(&Value::Bool(true)));
                for s in stages.iter_mut() {
                    s["writePermissions"] = json!("CRM_PERMISSIONS_ENFORCEMENT");
                }
            }
        }
        v
    }
}

fn stage_json(s: &PipelineStage) -> Value {
    let mut v = json!(s);
    v["writePermissions"] = json!("CRM_PERMISSIONS_ENFORCEMENT");
    v
}

fn deal_metadata(probability: f64) -> BTreeMap<String, String> {
    let closed = probability == 0.0 || probability == 1.0;
    BTreeMap::from([
        ("isClosed".to_string(), closed.to_string()),
        (
            "probability".to_string(),
            super::store::format_number(probability),
        ),
    ])
}

/// The account's "Sales Pipeline" with HubSpot's default stage ids.
pub(crate) fn default_deal_pipeline() -> Pipeline {
    let t = "2019-08-06T02:43:14.491Z".to_string();
    let stages = [
        ("appointmentscheduled", "Appointment Scheduled", 0.2),
        ("qualifiedtobuy", "Qualified To Buy", 0.4),
        ("presentationscheduled", "Presentation Scheduled", 0.6),
        ("decisionmakerboughtin", "Decision Maker Bought-In", 0.8),
        ("contractsent", "Contract Sent", 0.9),
        ("closedwon", "Closed Won", 1.0),
        ("closedlost", "Closed Lost", 0.0),
    ]
    .iter()
    .enumerate()
    .map(|(i, (id, label, p))| PipelineStage {
        id: (*id).into(),
        label: (*label).into(),
        display_order: i as i64,
        metadata: deal_metadata(*p),
        created_at: t.clone(),
        updated_at: t.clone(),
        archived: false,
    })
    .collect();
    Pipeline {
        id: "default".into(),
        label: "Sales Pipeline".into(),
        display_order: 0,
        stages,
        created_at: t.clone(),
        updated_at: t,
        archived: false,
        object_type: "deals".into(),
    }
}

/// Only deal pipelines exist in this fake's account.
fn pipeline_type(s: &str) -> Result<&'static str, ApiError> {
    match ObjectType::parse(s) {
        Some(ObjectType::Deals) => Ok("deals"),
        Some(ot) => Err(ApiError::validation(format!(
            "Object type {} does not support pipelines",
            ot.type_id()
        ))),
        None => Err(ApiError::unknown_object_type(s)),
    }
}

fn pipeline_not_found(id: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "OBJECT_NOT_FOUND",
        format!("Unable to find pipeline with id {id}"),
    )
    .context("pipelineId", vec![id.to_string()])
}

fn stage_not_found(pid: &str, sid: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "OBJECT_NOT_FOUND",
        format!("Unable to find stage {sid} in pipeline {pid}"),
    )
    .context("stageId", vec![sid.to_string()])
}

fn display_order(v: &Value) -> Option<i64> {
    v.get("displayOrder").and_then(|d| {
        d.as_i64()
            .or_else(|| d.as_str().and_then(|s| s.parse().ok()))
    })
}

/// Checks a `PipelineStageInput` and builds the stage.
fn stage_from_input(input: &Value, id: String) -> Result<PipelineStage, ApiError> {
    let label = input
        .get("label")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut missing = Vec::new();
    if label.is_empty() {
        missing.push("label");
    }
    let order = display_order(input);
    if order.is_none() {
        missing.push("displayOrder");
    }
    let Some(meta) = input.get("metadata").and_then(Value::as_object) else {
        missing.push("metadata");
        return Err(ApiError::missing_fields(&missing));
    };
    if !missing.is_empty() {
        return Err(ApiError::missing_fields(&missing));
    }
    let probability = match meta.get("probability") {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    let Some(p) = probability else {
        return Err(ApiError::validation(format!(
            "Deal stage \"{label}\" needs metadata.probability, a number between 0.0 and 1.0"
        ))
        .sub_category("PipelineError.INVALID_METADATA"));
    };
    if !(0.0..=1.0).contains(&p) {
        return Err(ApiError::validation(format!(
            "Deal stage \"{label}\" has probability {p}; it must be between 0.0 and 1.0"
        ))
        .sub_category("PipelineError.INVALID_METADATA"));
    }
    let now = iso_ms(now_ms());
    Ok(PipelineStage {
        id,
        label: label.to_string(),
        display_order: order.unwrap_or_default(),
        metadata: deal_metadata(p),
        created_at: now.clone(),
        updated_at: now,
        archived: false,
    })
}

fn check_unique_labels(stages: &[PipelineStage]) -> Result<(), ApiError> {
    let mut seen = HashSet::new();
    for s in stages.iter().filter(|s| !s.archived) {
        if !seen.insert(s.label.to_lowercase()) {
            return Err(ApiError::validation(format!(
                "Stage labels must be unique within a pipeline; \"{}\" is used twice",
                s.label
            ))
            .sub_category("PipelineError.DUPLICATE_STAGE_LABEL"));
        }
    }
    if stages.iter().filter(|s| !s.archived).count() > 100 {
        return Err(
            ApiError::validation("A deal pipeline can have at most 100 stages")
                .sub_category("PipelineError.TOO_MANY_STAGES"),
        );
    }
    Ok(())
}

pub(crate) async fn list(
    State(app): State<AppState>,
    Path(ot): Path<String>,
) -> Result<Response, ApiError> {
    let ot = pipeline_type(&ot)?;
    let store = app.store();
    let results: Vec<Value> = store
        .pipelines
        .iter()
        .filter(|p| p.object_type == ot && !p.archived)
        .map(Pipeline::to_json)
        .collect();
    Ok(json_response(StatusCode::OK, &json!({"results": results})))
}

pub(crate) async fn get_one(
    State(app): State<AppState>,
    Path((ot, pid)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let ot = pipeline_type(&ot)?;
    let store = app.store();
    let p = store
        .pipelines
        .iter()
        .find(|p| p.object_type == ot && p.id == pid && !p.archived)
        .ok_or_else(|| pipeline_not_found(&pid))?;
    Ok(json_response(StatusCode::OK, &p.to_json()))
}

/// Builds a pipeline from a `PipelineInput` body.
fn pipeline_from_input(
    body: &Value,
    id: String,
    next_stage: &mut u64,
) -> Result<Pipeline, ApiError> {
    let label = body
        .get("label")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut missing = Vec::new();
    if label.is_empty() {
        missing.push("label");
    }
    if display_order(body).is_none() {
        missing.push("displayOrder");
    }
    let stages_in = body.get("stages").and_then(Value::as_array);
    if stages_in.is_none() {
        missing.push("stages");
    }
    if !missing.is_empty() {
        return Err(ApiError::missing_fields(&missing));
    }
    let stages_in = stages_in.cloned().unwrap_or_default();
    if stages_in.is_empty() {
        return Err(ApiError::validation("A pipeline needs at least one stage"));
    }
    let mut stages = Vec::new();
    for s in &stages_in {
        *next_stage += 1;
        stages.push(stage_from_input(s, next_stage.to_string())?);
    }
    check_unique_labels(&stages)?;
    let now = iso_ms(now_ms());
    Ok(Pipeline {
        id,
        label: label.to_string(),
        display_order: display_order(body).unwrap_or_default(),
        stages,
        created_at: now.clone(),
        updated_at: now,
        archived: false,
        object_type: "deals".into(),
    })
}

fn label_taken(pipelines: &[Pipeline], label: &str, except: Option<&str>) -> bool {
    pipelines.iter().any(|p| {
        !p.archived && Some(p.id.as_str()) != except && p.label.eq_ignore_ascii_case(label)
    })
}

pub(crate) async fn create(
    State(app): State<AppState>,
    Path(ot): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let _ = pipeline_type(&ot)?;
    let mut store = app.store();
    let id = store.next_pipeline_id;
    let mut next_stage = store.next_stage_id;
    let p = pipeline_from_input(&body, id.to_string(), &mut next_stage)?;
    if label_taken(&store.pipelines, &p.label, None) {
        return Err(ApiError::conflict(format!(
            "A pipeline with label {} already exists",
            p.label
        )));
    }
    store.next_pipeline_id += 1;
    store.next_stage_id = next_stage;
    let out = p.to_json();
    store.pipelines.push(p);
    Ok(json_response(StatusCode::CREATED, &out))
}

/// `PUT /{pipelineId}`: replaces label, order and stages.
pub(crate) async fn replace(
    State(app): State<AppState>,
    Path((ot, pid)): Path<(String, String)>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let _ = pipeline_type(&ot)?;
    let mut store = app.store();
    let Some(i) = store
        .pipelines
        .iter()
        .position(|p| p.id == pid && !p.archived)
    else {
        return Err(pipeline_not_found(&pid));
    };
    let mut next_stage = store.next_stage_id;
    let mut p = pipeline_from_input(&body, pid.clone(), &mut next_stage)?;
    store.next_stage_id = next_stage;
    if label_taken(&store.pipelines, &p.label, Some(&pid)) {
        return Err(ApiError::conflict(format!(
            "A pipeline with label {} already exists",
            p.label
        )));
    }
    p.created_at = store.pipelines[i].created_at.clone();
    let out = p.to_json();
    store.pipelines[i] = p;
    Ok(json_response(StatusCode::OK, &out))
}

pub(crate) async fn update(
    State(app): State<AppState>,
    Path((ot, pid)): Path<(String, String)>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let _ = pipeline_type(&ot)?;
    let mut store = app.store();
    let taken = body
        .get("label")
        .and_then(Value::as_str)
        .is_some_and(|l| label_taken(&store.pipelines, l, Some(&pid)));
    let Some(p) = store.pipelines.iter_mut().find(|p| p.id == pid) else {
        return Err(pipeline_not_found(&pid));
    };
    let restoring = body.get("archived") == Some(&Value::Bool(false));
    if p.archived && !restoring {
        return Err(pipeline_not_found(&pid));
    }
    if taken {
        return Err(ApiError::conflict(
            "A pipeline with that label already exists",
        ));
    }
    if let Some(l) = body.get("label").and_then(Value::as_str) {
        p.label = l.to_string();
    }
    if let Some(o) = display_order(&body) {
        p.display_order = o;
    }
    if let Some(a) = body.get("archived").and_then(Value::as_bool) {
        p.archived = a;
    }
    p.updated_at = iso_ms(now_ms());
    Ok(json_response(StatusCode::OK, &p.to_json()))
}

#[derive(Deserialize, Default)]
pub(crate) struct DeleteParams {
    #[serde(rename = "validateReferencesBeforeDelete")]
    validate: Option<bool>,
}

/// Whether any live deal sits in one of these stages of pipeline `pid`.
fn stages_in_use(store: &super::store::Store, pid: &str, stage_ids: &[String]) -> bool {
    let os = store.obj(ObjectType::Deals);
    let (Some(kp), Some(ks)) = (os.key("pipeline"), os.key("dealstage")) else {
        return false;
    };
    os.live.values().any(|r| {
        r.get(kp) == Some(pid) && r.get(ks).is_some_and(|s| stage_ids.iter().any(|x| x == s))
    })
}

pub(crate) async fn delete(
    State(app): State<AppState>,
    Path((ot, pid)): Path<(String, String)>,
    Query(q): Query<DeleteParams>,
) -> Result<Response, ApiError> {
    let _ = pipeline_type(&ot)?;
    let mut store = app.store();
    let Some(i) = store
        .pipelines
        .iter()
        .position(|p| p.id == pid && !p.archived)
    else {
        return Err(pipeline_not_found(&pid));
    };
    if store.pipelines.iter().filter(|p| !p.archived).count() == 1 {
        return Err(ApiError::validation(
            "The last pipeline of an object cannot be deleted",
        ));
    }
    let ids: Vec<String> = store.pipelines[i]
        .stages
        .iter()
        .map(|s| s.id.clone())
        .collect();
    if q.validate.unwrap_or(false) && stages_in_use(&store, &pid, &ids) {
        return Err(
            ApiError::validation("Stages of this pipeline are in use by records")
                .sub_category("PipelineError.STAGE_ID_IN_USE"),
        );
    }
    store.pipelines[i].archived = true;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(crate) async fn list_stages(
    State(app): State<AppState>,
    Path((ot, pid)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let _ = pipeline_type(&ot)?;
    let store = app.store();
    let p = store
        .pipelines
        .iter()
        .find(|p| p.id == pid && !p.archived)
        .ok_or_else(|| pipeline_not_found(&pid))?;
    let results: Vec<Value> = p
        .stages
        .iter()
        .filter(|s| !s.archived)
        .map(stage_json)
        .collect();
    Ok(json_response(StatusCode::OK, &json!({"results": results})))
}

pub(crate) async fn get_stage(
    State(app): State<AppState>,
    Path((ot, pid, sid)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    let _ = pipeline_type(&ot)?;
    let store = app.store();
    let p = store
        .pipelines
        .iter()
        .find(|p| p.id == pid && !p.archived)
        .ok_or_else(|| pipeline_not_found(&pid))?;
    let s = p
        .stages
        .iter()
        .find(|s| s.id == sid && !s.archived)
        .ok_or_else(|| stage_not_found(&pid, &sid))?;
    Ok(json_response(StatusCode::OK, &stage_json(s)))
}

pub(crate) async fn create_stage(
    State(app): State<AppState>,
    Path((ot, pid)): Path<(String, String)>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let _ = pipeline_type(&ot)?;
    let mut store = app.store();
    store.next_stage_id += 1;
    let sid = store.next_stage_id;
    let p = store
        .pipelines
        .iter_mut()
        .find(|p| p.id == pid && !p.archived)
        .ok_or_else(|| pipeline_not_found(&pid))?;
    let stage = stage_from_input(&body, sid.to_string())?;
    let mut stages = p.stages.clone();
    stages.push(stage.clone());
    check_unique_labels(&stages)?;
    p.stages = stages;
    p.updated_at = iso_ms(now_ms());
    Ok(json_response(StatusCode::CREATED, &stage_json(&stage)))
}

pub(crate) async fn update_stage(
    State(app): State<AppState>,
    Path((ot, pid, sid)): Path<(String, String, String)>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let _ = pipeline_type(&ot)?;
    let mut store = app.store();
    let p = store
        .pipelines
        .iter_mut()
        .find(|p| p.id == pid && !p.archived)
        .ok_or_else(|| pipeline_not_found(&pid))?;
    let mut stages = p.stages.clone();
    let s = stages
        .iter_mut()
        .find(|s| s.id == sid && !s.archived)
        .ok_or_else(|| stage_not_found(&pid, &sid))?;
    if let Some(l) = body.get("label").and_then(Value::as_str) {
        s.label = l.to_string();
    }
    if let Some(o) = display_order(&body) {
        s.display_order = o;
    }
    if let Some(meta) = body.get("metadata") {
        let probe = json!({"label": s.label, "displayOrder": s.display_order, "metadata": meta});
        s.metadata = stage_from_input(&probe, sid.clone())?.metadata;
    }
    s.updated_at = iso_ms(now_ms());
    let out = stage_json(s);
    check_unique_labels(&stages)?;
    p.stages = stages;
    Ok(json_response(StatusCode::OK, &out))
}

pub(crate) async fn delete_stage(
    State(app): State<AppState>,
    Path((ot, pid, sid)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    let _ = pipeline_type(&ot)?;
    let mut store = app.store();
    let p = store
        .pipelines
        .iter_mut()
        .find(|p| p.id == pid && !p.archived)
        .ok_or_else(|| pipeline_not_found(&pid))?;
    let s = p
        .stages
        .iter_mut()
        .find(|s| s.id == sid && !s.archived)
        .ok_or_else(|| stage_not_found(&pid, &sid))?;
    s.archived = true;
    Ok(StatusCode::NO_CONTENT.into_response())
}
