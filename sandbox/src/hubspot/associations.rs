//! Associations v4: `/crm/associations/2026-03/{fromType}/{toType}/...` (and `/crm/v4/...`),
//! plus the record-scoped `/crm/objects/2026-03/{type}/{id}/associations/...` paths.
//!
//! HUBSPOT_DEFINED type ids (associations guide, "association type id values"): deal -> contact
//! 3, contact -> deal 4, deal -> line item 19, line item -> deal 20. Products cannot be
//! associated (line items point at a product through `hs_product_id`). Every association is
//! stored both ways, with the inverse type id. Batch create takes up to 2,000 inputs, batch read
//! up to 1,000 ids (associations guide).

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use super::errors::{batch_error, ctx, json_response, ApiError};
use super::objects::{inputs, QueryParams};
use super::properties::batch_response;
use super::store::{iso_ms, now_ms, ObjectType, Store};
use super::{AppState, JsonBody};

pub(crate) const HUBSPOT_DEFINED: &str = "HUBSPOT_DEFINED";

/// The default (unlabeled) HUBSPOT_DEFINED type from one object type to another.
pub(crate) fn default_type(from: ObjectType, to: ObjectType) -> Option<u32> {
    match (from, to) {
        (ObjectType::Deals, ObjectType::Contacts) => Some(3),
        (ObjectType::Contacts, ObjectType::Deals) => Some(4),
        (ObjectType::Deals, ObjectType::LineItems) => Some(19),
        (ObjectType::LineItems, ObjectType::Deals) => Some(20),
        _ => None,
    }
}

/// The type id of the other direction.
pub(crate) fn inverse(type_id: u32) -> Option<u32> {
    match type_id {
        3 => Some(4),
        4 => Some(3),
        19 => Some(20),
        20 => Some(19),
        _ => None,
    }
}

fn type_json(t: u32) -> Value {
    json!({"category": HUBSPOT_DEFINED, "typeId": t, "label": null})
}

fn object_type(s: &str) -> Result<ObjectType, ApiError> {
    ObjectType::parse(s).ok_or_else(|| ApiError::unknown_object_type(s))
}

/// An id given as a string or a number.
fn id_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn live_id(store: &Store, ot: ObjectType, id: &str) -> Option<u64> {
    id.parse::<u64>()
        .ok()
        .filter(|n| store.obj(ot).live.contains_key(n))
}

/// Checks `types: [{associationCategory, associationTypeId}]` for a pair of object types.
fn check_types(from: ObjectType, to: ObjectType, types: &[Value]) -> Result<Vec<u32>, ApiError> {
    if types.is_empty() {
        return Err(ApiError::missing_fields(&["types"]));
    }
    let mut out = Vec::new();
    for t in types {
        let cat = t.get("associationCategory").and_then(Value::as_str);
        let id = t
            .get("associationTypeId")
            .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()));
        let (Some(cat), Some(id)) = (cat, id) else {
            return Err(ApiError::missing_fields(&[
                "associationCategory",
                "associationTypeId",
            ]));
        };
        if !matches!(
            cat,
            "HUBSPOT_DEFINED" | "USER_DEFINED" | "INTEGRATOR_DEFINED"
        ) {
            return Err(ApiError::validation(format!(
                "Invalid associationCategory {cat}; must be one of [HUBSPOT_DEFINED, USER_DEFINED, INTEGRATOR_DEFINED]"
            )));
        }
        let valid = cat == HUBSPOT_DEFINED && default_type(from, to) == Some(id as u32);
        if !valid {
            return Err(ApiError::validation(format!(
                "{cat} association type {id} is not valid from {} to {}",
                from.upper(),
                to.upper()
            ))
            .sub_category("crm.associations.INVALID_ASSOCIATION_TYPE"));
        }
        out.push(id as u32);
    }
    Ok(out)
}

/// The 207 entry for a pair whose records do not both exist (context keys as in HubSpot's
/// "One or more associations are invalid" body, HubSpot/hubspot-api-nodejs#646).
fn invalid_pair(from: ObjectType, fid: &str, to: ObjectType, tid: &str, store: &Store) -> Value {
    let mut bad = Vec::new();
    if live_id(store, from, fid).is_none() {
        bad.push(format!("{}={fid} is not valid", from.upper()));
    }
    if live_id(store, to, tid).is_none() {
        bad.push(format!("{}={tid} is not valid", to.upper()));
    }
    let mut context = ctx("INVALID_OBJECT_IDS", bad);
    context.insert("fromObjectId".into(), json!([fid]));
    context.insert("toObjectId".into(), json!([tid]));
    batch_error(
        "VALIDATION_ERROR",
        "One or more associations are invalid",
        context,
    )
}

fn pair_json(from: ObjectType, fid: u64, to: ObjectType, tid: u64) -> Value {
    json!({
        "fromObjectTypeId": from.type_id(),
        "fromObjectId": fid,
        "toObjectTypeId": to.type_id(),
        "toObjectId": tid,
        "labels": [],
    })
}

/// `POST /{from}/{to}/batch/create`.
pub(crate) async fn batch_create(
    State(app): State<AppState>,
    Path((from, to)): Path<(String, String)>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let (from, to) = (object_type(&from)?, object_type(&to)?);
    let list = inputs(&body, 2000)?;
    let started = iso_ms(now_ms());
    let mut parsed = Vec::with_capacity(list.len());
    for input in list {
        let fid = id_of(input.get("from").and_then(|f| f.get("id")));
        let tid = id_of(input.get("to").and_then(|f| f.get("id")));
        let (Some(fid), Some(tid)) = (fid, tid) else {
            return Err(ApiError::missing_fields(&["from", "to"]));
        };
        let types = input
            .get("types")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        parsed.push((fid, tid, check_types(from, to, &types)?));
    }
    let failing = app.partial_failures(parsed.len());
    let mut store = app.store();
    let mut results = Vec::new();
    let mut errors = Vec::new();
    let mut created = 0;
    for ((fid, tid, types), fail) in parsed.into_iter().zip(failing) {
        if fail {
            errors.push(super::objects::injected_failure(ctx(
                "fromObjectId",
                vec![fid],
            )));
            continue;
        }
        match (live_id(&store, from, &fid), live_id(&store, to, &tid)) {
            (Some(f), Some(t)) => {
                for ty in types {
                    if store.associate(from, f, to, t, ty) {
                        created += 1;
                    }
                }
                results.push(pair_json(from, f, to, t));
            }
            _ => errors.push(invalid_pair(from, &fid, to, &tid, &store)),
        }
    }
    drop(store);
    app.count_associations(created);
    Ok(batch_response(
        StatusCode::CREATED,
        results,
        errors,
        &started,
    ))
}

/// `POST /{from}/{to}/batch/associate/default`.
pub(crate) async fn associate_default(
    State(app): State<AppState>,
    Path((from, to)): Path<(String, String)>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let (from, to) = (object_type(&from)?, object_type(&to)?);
    let list = inputs(&body, 2000)?;
    let Some(ty) = default_type(from, to) else {
        return Err(ApiError::validation(format!(
            "There is no default association type from {} to {}",
            from.upper(),
            to.upper()
        )));
    };
    let started = iso_ms(now_ms());
    let failing = app.partial_failures(list.len());
    let mut store = app.store();
    let mut results = Vec::new();
    let mut errors = Vec::new();
    let mut created = 0;
    for (input, fail) in list.iter().zip(failing) {
        let fid = id_of(input.get("from").and_then(|f| f.get("id"))).unwrap_or_default();
        let tid = id_of(input.get("to").and_then(|f| f.get("id"))).unwrap_or_default();
        if fail {
            errors.push(super::objects::injected_failure(ctx(
                "fromObjectId",
                vec![fid],
            )));
            continue;
        }
        match (live_id(&store, from, &fid), live_id(&store, to, &tid)) {
            (Some(f), Some(t)) => {
                if store.associate(from, f, to, t, ty) {
                    created += 1;
                }
                results.push(json!({
                    "from": {"id": f.to_string()},
                    "to": {"id": t.to_string()},
                    "associationSpec": {"associationCategory": HUBSPOT_DEFINED, "associationTypeId": ty},
                }));
            }
            _ => errors.push(invalid_pair(from, &fid, to, &tid, &store)),
        }
    }
    drop(store);
    app.count_associations(created);
    Ok(batch_response(StatusCode::OK, results, errors, &started))
}

/// `POST /{from}/{to}/batch/read`: ids without associations come back as 207 errors.
pub(crate) async fn batch_read(
    State(app): State<AppState>,
    Path((from, to)): Path<(String, String)>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let (from, to) = (object_type(&from)?, object_type(&to)?);
    let list = inputs(&body, 1000)?;
    let started = iso_ms(now_ms());
    let store = app.store();
    let mut results = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for input in list {
        let Some(fid) = id_of(input.get("id")) else {
            return Err(ApiError::missing_fields(&["id"]));
        };
        if !seen.insert(fid.clone()) {
            continue;
        }
        let assoc = fid
            .parse::<u64>()
            .map(|f| store.associations(from, f, to))
            .unwrap_or_default();
        if assoc.is_empty() {
            errors.push(
                batch_error(
                    "OBJECT_NOT_FOUND",
                    &format!(
                        "No {} is associated with {} {fid}.",
                        to.singular(),
                        from.singular()
                    ),
                    ctx("fromObjectId", vec![fid.clone()]),
                )
                .as_object()
                .cloned()
                .map(|mut m| {
                    m.insert(
                        "subCategory".into(),
                        json!("crm.associations.NO_ASSOCIATIONS_FOUND"),
                    );
                    Value::Object(m)
                })
                .unwrap_or_default(),
            );
            continue;
        }
        let to_list: Vec<Value> = assoc
            .into_iter()
            .map(|(tid, types)| {
                json!({"toObjectId": tid, "associationTypes": types.into_iter().map(type_json).collect::<Vec<_>>()})
            })
            .collect();
        results.push(json!({"from": {"id": fid}, "to": to_list}));
    }
    Ok(batch_response(StatusCode::OK, results, errors, &started))
}

/// `POST /{from}/{to}/batch/archive`: `{inputs: [{from: {id}, to: [{id}]}]}`, 204.
pub(crate) async fn batch_archive(
    State(app): State<AppState>,
    Path((from, to)): Path<(String, String)>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let (from, to) = (object_type(&from)?, object_type(&to)?);
    let list = inputs(&body, 2000)?;
    let mut store = app.store();
    for input in list {
        let Some(fid) =
            id_of(input.get("from").and_then(|f| f.get("id"))).and_then(|s| s.parse::<u64>().ok())
        else {
            continue;
        };
        let targets: Vec<Value> = match input.get("to") {
            Some(Value::Array(a)) => a.clone(),
            Some(v @ Value::Object(_)) => vec![v.clone()],
            _ => Vec::new(),
        };
        for t in targets {
            if let Some(tid) = id_of(t.get("id")).and_then(|s| s.parse::<u64>().ok()) {
                store.unassociate(from, fid, to, tid, None);
            }
        }
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /{from}/{to}/batch/labels/archive`: removes the listed types only.
pub(crate) async fn labels_archive(
    State(app): State<AppState>,
    Path((from, to)): Path<(String, String)>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let (from, to) = (object_type(&from)?, object_type(&to)?);
    let list = inputs(&body, 2000)?;
    let mut plan = Vec::new();
    for input in list {
        let fid =
            id_of(input.get("from").and_then(|f| f.get("id"))).and_then(|s| s.parse::<u64>().ok());
        let tid =
            id_of(input.get("to").and_then(|f| f.get("id"))).and_then(|s| s.parse::<u64>().ok());
        let types = input
            .get("types")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let types = check_types(from, to, &types)?;
        if let (Some(f), Some(t)) = (fid, tid) {
            plan.push((f, t, types));
        }
    }
    let mut store = app.store();
    for (f, t, types) in plan {
        for ty in types {
            store.unassociate(from, f, to, t, Some(ty));
        }
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /{from}/{to}/labels`.
pub(crate) async fn labels(Path((from, to)): Path<(String, String)>) -> Result<Response, ApiError> {
    let (from, to) = (object_type(&from)?, object_type(&to)?);
    let results: Vec<Value> = default_type(from, to).into_iter().map(type_json).collect();
    Ok(json_response(StatusCode::OK, &json!({"results": results})))
}

// ---------------------------------------------------------------------------------------------
// Record-scoped paths under /crm/objects/2026-03/{type}/{id}/associations/...

/// `GET /{type}/{id}/associations/{toType}?limit=&after=` (limit 500 per page).
pub(crate) async fn list_for_record(
    State(app): State<AppState>,
    Path((ot, id, to)): Path<(String, String, String)>,
    Query(q): Query<Vec<(String, String)>>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ApiError> {
    let (ot, to) = (object_type(&ot)?, object_type(&to)?);
    let q = QueryParams(q);
    let limit = q.limit(500, 500)?;
    let after = match q.get("after") {
        Some(a) => a
            .parse::<u64>()
            .map_err(|_| ApiError::validation(format!("Invalid after value: {a}")))?,
        None => 0,
    };
    let Some(fid) = id.parse::<u64>().ok() else {
        return Err(ApiError::object_not_found(&id));
    };
    let store = app.store();
    let (page, next) = store.associations_page(ot, fid, to, after, limit);
    let results: Vec<Value> = page
        .into_iter()
        .map(|(tid, types)| {
            json!({"toObjectId": tid, "associationTypes": types.into_iter().map(type_json).collect::<Vec<_>>()})
        })
        .collect();
    let mut body = Map::new();
    body.insert("results".into(), Value::Array(results));
    if let Some(n) = next {
        let link =
            super::objects::next_link(&headers, uri.path(), &format!("?limit={limit}&after={n}"));
        body.insert(
            "paging".into(),
            json!({"next": {"after": n.to_string(), "link": link}}),
        );
    }
    Ok(json_response(StatusCode::OK, &Value::Object(body)))
}

/// `PUT /{type}/{id}/associations/default/{toType}/{toId}`.
pub(crate) async fn put_default(
    State(app): State<AppState>,
    Path((ot, id, to, tid)): Path<(String, String, String, String)>,
) -> Result<Response, ApiError> {
    let (ot, to) = (object_type(&ot)?, object_type(&to)?);
    let Some(ty) = default_type(ot, to) else {
        return Err(ApiError::validation(format!(
            "There is no default association type from {} to {}",
            ot.upper(),
            to.upper()
        )));
    };
    let started = iso_ms(now_ms());
    let mut store = app.store();
    let (Some(f), Some(t)) = (live_id(&store, ot, &id), live_id(&store, to, &tid)) else {
        let e = invalid_pair(ot, &id, to, &tid, &store);
        return Err(ApiError::validation("One or more associations are invalid")
            .field("context", e.get("context").cloned().unwrap_or_default()));
    };
    let created = store.associate(ot, f, to, t, ty);
    drop(store);
    app.count_associations(created as u64);
    let result = json!({
        "from": {"id": f.to_string()},
        "to": {"id": t.to_string()},
        "associationSpec": {"associationCategory": HUBSPOT_DEFINED, "associationTypeId": ty},
    });
    Ok(batch_response(
        StatusCode::OK,
        vec![result],
        Vec::new(),
        &started,
    ))
}

/// `PUT /{type}/{id}/associations/{toType}/{toId}` with a body `[{associationCategory, associationTypeId}]`.
pub(crate) async fn put_labels(
    State(app): State<AppState>,
    Path((ot, id, to, tid)): Path<(String, String, String, String)>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let (ot, to) = (object_type(&ot)?, object_type(&to)?);
    let Some(types) = body.as_array() else {
        return Err(ApiError::validation(
            "Invalid input JSON on line 1, column 1: expected an array of association specs",
        ));
    };
    let types = check_types(ot, to, types)?;
    let mut store = app.store();
    let (Some(f), Some(t)) = (live_id(&store, ot, &id), live_id(&store, to, &tid)) else {
        let e = invalid_pair(ot, &id, to, &tid, &store);
        return Err(ApiError::validation("One or more associations are invalid")
            .field("context", e.get("context").cloned().unwrap_or_default()));
    };
    let mut created = 0;
    for ty in types {
        if store.associate(ot, f, to, t, ty) {
            created += 1;
        }
    }
    drop(store);
    app.count_associations(created);
    Ok(json_response(StatusCode::CREATED, &pair_json(ot, f, to, t)))
}

/// `DELETE /{type}/{id}/associations/{toType}/{toId}`: 204 whether or not there was one.
pub(crate) async fn delete_for_record(
    State(app): State<AppState>,
    Path((ot, id, to, tid)): Path<(String, String, String, String)>,
) -> Result<Response, ApiError> {
    let (ot, to) = (object_type(&ot)?, object_type(&to)?);
    if let (Ok(f), Ok(t)) = (id.parse::<u64>(), tid.parse::<u64>()) {
        app.store().unassociate(ot, f, to, t, None);
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Associations given inline in a create (`associations: [{to: {id}, types: [...]}]`),
/// checked before anything is written. Returns (to type, to id, type ids) per association.
pub(crate) fn inline_associations(
    store: &Store,
    from: ObjectType,
    list: Option<&Value>,
) -> Result<Vec<(ObjectType, u64, Vec<u32>)>, ApiError> {
    let Some(list) = list else {
        return Ok(Vec::new());
    };
    let Some(list) = list.as_array() else {
        return Err(ApiError::validation(
            "Invalid input JSON: associations must be an array",
        ));
    };
    let mut out = Vec::new();
    for a in list {
        let tid = id_of(a.get("to").and_then(|t| t.get("id"))).unwrap_or_default();
        let types = a
            .get("types")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        // The target's type is the one the type id points at.
        let to = ObjectType::ALL.into_iter().find(|to| {
            types.iter().all(|t| {
                t.get("associationTypeId")
                    .and_then(Value::as_u64)
                    .map(|x| x as u32)
                    == default_type(from, *to)
            })
        });
        let Some(to) = to.filter(|_| !types.is_empty()) else {
            return Err(ApiError::validation(format!(
                "One or more association types are not valid from {}",
                from.upper()
            ))
            .sub_category("crm.associations.INVALID_ASSOCIATION_TYPE"));
        };
        let ids = check_types(from, to, &types)?;
        let Some(t) = live_id(store, to, &tid) else {
            return Err(
                ApiError::validation("One or more associations are invalid").context(
                    "INVALID_OBJECT_IDS",
                    vec![format!("{}={tid} is not valid", to.upper())],
                ),
            );
        };
        out.push((to, t, ids));
    }
    Ok(out)
}
