//! CRM records: `/crm/objects/2026-03/{objectType}` (and `/crm/v3/objects/...`): list with
//! paging, read, create, update, archive, and the batch endpoints.
//!
//! Batch semantics (this fake's reading of HubSpot's docs, where they are silent):
//! - more than 100 inputs: 400 for the whole request ("Object API batch endpoints are limited to
//!   100 inputs per request", using-object-apis);
//! - invalid property values: a 207 entry for an input that carries an `objectWriteTraceId`
//!   (error-handling: "include a unique objectWriteTraceId value for each input" to get
//!   per-input errors), otherwise 400 for the whole request and nothing written; upserts keyed by
//!   a custom unique property fail per input, upserts keyed by `email` all-or-nothing ("Partial
//!   upserts are not supported when using email as the idProperty");
//! - a contact e-mail or unique value already taken: 409 for the whole request, first conflict
//!   only (HubSpot/hubspot-api-python#51);
//! - ids that do not resolve (read, update): one 207 entry `OBJECT_NOT_FOUND` listing them
//!   ("Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are
//!   valid.", with `context.ids`);
//! - two inputs of one upsert/update resolving to the same record: 400 for the whole request.

use std::collections::{HashMap, HashSet};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use super::associations::inline_associations;
use super::errors::{
    batch_error, ctx, json_response, property_values_message, ApiError, PropError,
};
use super::properties::{batch_response, normalize_value};
use super::store::{iso_ms, now_ms, Changes, ObjectStore, ObjectType, Rec, Store};
use super::{AppState, JsonBody, PORTAL_ID};

/// Query parameters in order, repeated keys kept (`properties=a&properties=b`).
pub(crate) struct QueryParams(pub Vec<(String, String)>);

impl QueryParams {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// All values of a key, comma lists split.
    pub fn list(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .flat_map(|(_, v)| v.split(','))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }

    pub fn flag(&self, key: &str) -> bool {
        self.get(key)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    pub fn limit(&self, default: usize, max: usize) -> Result<usize, ApiError> {
        match self.get("limit") {
            None => Ok(default),
            Some(s) => match s.parse::<usize>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(ApiError::validation(format!(
                    "limit must be a number between 1 and {max}, got {s}"
                ))),
            },
        }
    }
}

/// The `inputs` array of a batch body, at most `max` long.
pub(crate) fn inputs(body: &Value, max: usize) -> Result<&Vec<Value>, ApiError> {
    let Some(list) = body.get("inputs").and_then(Value::as_array) else {
        return Err(ApiError::missing_fields(&["inputs"]));
    };
    if list.len() > max {
        return Err(ApiError::batch_too_large(max));
    }
    Ok(list)
}

/// `paging.next.link`: the same path on this host with the next cursor.
pub(crate) fn next_link(headers: &HeaderMap, path: &str, query: &str) -> String {
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("api.hubapi.com");
    format!("http://{host}{path}{query}")
}

/// The 207 entry of an input failed by the `partial_batch_failure` fault. HubSpot's own 500
/// message; the category is this fake's choice (a failure worth retrying, unlike
/// VALIDATION_ERROR).
pub(crate) fn injected_failure(context: Map<String, Value>) -> Value {
    batch_error("INTERNAL_ERROR", "internal error", context)
}

/// Echoes an input's `objectWriteTraceId` on its result (an optional field of the spec's
/// result objects, e.g. `SimplePublicUpsertObject.objectWriteTraceId`).
fn with_trace(mut v: Value, trace: Option<String>) -> Value {
    if let Some(t) = trace {
        v["objectWriteTraceId"] = json!(t);
    }
    v
}

/// A 207 entry for invalid property values.
fn values_error(errors: &[PropError], context: Map<String, Value>) -> Value {
    let mut e = batch_error(
        "VALIDATION_ERROR",
        &property_values_message(errors),
        context,
    );
    e["errors"] = json!(errors
        .iter()
        .map(
            |x| json!({"message": x.message, "code": x.code, "context": {"propertyName": [x.name]}})
        )
        .collect::<Vec<_>>());
    e
}

fn not_found_entry(ot: ObjectType, ids: Vec<String>) -> Value {
    batch_error(
        "OBJECT_NOT_FOUND",
        &format!(
            "Could not get some {} objects, they may be deleted or not exist. Check that ids are valid.",
            ot.upper()
        ),
        ctx("ids", ids),
    )
}

/// 400 for an `idProperty` that is not unique (HubSpot/hubspot-api-nodejs#548,
/// segmentio/action-destinations PR #3957).
fn non_unique(ot: ObjectType, prop: &str) -> ApiError {
    ApiError::validation(format!(
        "Unable to perform update/upsert by non-unique {} property {prop} in portal ID {PORTAL_ID}",
        ot.type_id()
    ))
}

fn duplicate_ids(ids: &[String]) -> ApiError {
    ApiError::validation(format!(
        "Duplicate IDs found in batch input: [{}]. IDs must be unique",
        ids.join(", ")
    ))
}

fn object_type(s: &str) -> Result<ObjectType, ApiError> {
    ObjectType::parse(s).ok_or_else(|| ApiError::unknown_object_type(s))
}

fn trace_id(input: &Value) -> Option<String> {
    match input.get("objectWriteTraceId")? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn properties_of(input: &Value) -> Result<&Map<String, Value>, ApiError> {
    input
        .get("properties")
        .and_then(Value::as_object)
        .ok_or_else(|| ApiError::missing_fields(&["properties"]))
}

fn id_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Which properties a read returns.
pub(crate) enum PropSel {
    /// None named: the object's default set.
    Default,
    /// Named ones (unknown names dropped) plus id, create date and last-modified date.
    Named(Vec<u32>),
    /// Every property that has a value (write answers).
    All,
}

pub(crate) fn selection(os: &ObjectStore, names: &[String]) -> PropSel {
    if names.is_empty() {
        return PropSel::Default;
    }
    let mut keys = Vec::new();
    for n in names {
        if let Some(k) = os.key(n) {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    PropSel::Named(keys)
}

/// A record as HubSpot returns it: `id`, `properties` (every value a string or null),
/// `createdAt`, `updatedAt`, `archived` (and `archivedAt` when archived).
pub(crate) fn record_json(os: &ObjectStore, rec: &Rec, sel: &PropSel) -> Value {
    let mut props = Map::new();
    let mut put = |k: u32| {
        let v = os
            .value(rec, k)
            .map(|v| Value::String(v.into_owned()))
            .unwrap_or(Value::Null);
        props.insert(os.name_of(k).to_string(), v);
    };
    match sel {
        PropSel::Default => {
            for name in os.ot.default_props() {
                if let Some(k) = os.key(name) {
                    put(k);
                }
            }
        }
        PropSel::Named(keys) => {
            for k in keys
                .iter()
                .copied()
                .chain([os.k_object_id, os.k_createdate, os.k_lastmod])
            {
                put(k);
            }
        }
        PropSel::All => {
            for (k, _) in rec.iter() {
                put(k);
            }
            for k in [os.k_object_id, os.k_createdate, os.k_lastmod] {
                put(k);
            }
        }
    }
    let mut v = json!({
        "id": rec.id.to_string(),
        "properties": props,
        "createdAt": iso_ms(rec.created_ms),
        "updatedAt": iso_ms(rec.updated_ms),
        "archived": rec.archived_ms.is_some(),
    });
    if let Some(ms) = rec.archived_ms {
        v["archivedAt"] = json!(iso_ms(ms));
    }
    v
}

/// v3 association type names for the `associations` read parameter.
fn assoc_type_name(from: ObjectType, to: ObjectType) -> String {
    let s = |o: ObjectType| match o {
        ObjectType::Contacts => "contact",
        ObjectType::Products => "product",
        ObjectType::Deals => "deal",
        ObjectType::LineItems => "line_item",
    };
    format!("{}_to_{}", s(from), s(to))
}

/// `associations: {contacts: {results: [{id, type}]}}` for reads that ask for it.
fn add_associations(
    store: &Store,
    ot: ObjectType,
    id: u64,
    to_types: &[ObjectType],
    v: &mut Value,
) {
    let mut out = Map::new();
    for to in to_types {
        let list = store.associations(ot, id, *to);
        if list.is_empty() {
            continue;
        }
        let results: Vec<Value> = list
            .iter()
            .map(|(tid, _)| json!({"id": tid.to_string(), "type": assoc_type_name(ot, *to)}))
            .collect();
        out.insert(to.name().to_string(), json!({"results": results}));
    }
    if !out.is_empty() {
        v["associations"] = Value::Object(out);
    }
}

fn assoc_types(q: &QueryParams) -> Vec<ObjectType> {
    q.list("associations")
        .iter()
        .filter_map(|s| ObjectType::parse(s))
        .collect()
}

/// Resolves a path/body id to a record id: the record id itself, or (with `idProperty`) the
/// record holding that unique value. `Ok(None)` when nothing matches.
fn resolve(
    os: &ObjectStore,
    id: &str,
    id_property: Option<&str>,
    archived: bool,
) -> Result<Option<u64>, ApiError> {
    match id_property {
        None | Some("hs_object_id") | Some("") => Ok(id
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|n| os.find(*n, archived).is_some())),
        Some(p) => {
            let Some(k) = os.id_property(p) else {
                return Err(non_unique(os.ot, p));
            };
            if archived {
                return Ok(os
                    .archived
                    .values()
                    .find(|r| r.get(k) == Some(id))
                    .map(|r| r.id));
            }
            Ok(os.lookup(k, id))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Basic endpoints

pub(crate) async fn list(
    State(app): State<AppState>,
    Path(ot): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ApiError> {
    let ot = object_type(&ot)?;
    let q = QueryParams(q);
    let limit = q.limit(10, 100)?;
    let after = match q.get("after") {
        Some(a) => a
            .parse::<u64>()
            .map_err(|_| ApiError::validation(format!("Invalid after value: {a}")))?,
        None => 0,
    };
    let archived = q.flag("archived");
    let to_types = assoc_types(&q);
    let store = app.store();
    let os = store.obj(ot);
    let sel = selection(os, &q.list("properties"));
    let map = if archived { &os.archived } else { &os.live };
    let mut it = map.range(after..);
    let results: Vec<Value> = it
        .by_ref()
        .take(limit)
        .map(|(_, r)| {
            let mut v = record_json(os, r, &sel);
            add_associations(&store, ot, r.id, &to_types, &mut v);
            v
        })
        .collect();
    let next = it.next().map(|(id, _)| *id);
    let mut body = Map::new();
    body.insert("results".into(), Value::Array(results));
    if let Some(n) = next {
        let link = next_link(&headers, uri.path(), &format!("?limit={limit}&after={n}"));
        body.insert(
            "paging".into(),
            json!({"next": {"after": n.to_string(), "link": link}}),
        );
    }
    Ok(json_response(StatusCode::OK, &Value::Object(body)))
}

pub(crate) async fn get_one(
    State(app): State<AppState>,
    Path((ot, id)): Path<(String, String)>,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let ot = object_type(&ot)?;
    let q = QueryParams(q);
    let archived = q.flag("archived");
    let store = app.store();
    let os = store.obj(ot);
    let rid = resolve(os, &id, q.get("idProperty"), archived)?
        .ok_or_else(|| ApiError::object_not_found(&id))?;
    let rec = os
        .find(rid, archived)
        .ok_or_else(|| ApiError::object_not_found(&id))?;
    let mut v = record_json(os, rec, &selection(os, &q.list("properties")));
    add_associations(&store, ot, rid, &assoc_types(&q), &mut v);
    Ok(json_response(StatusCode::OK, &v))
}

pub(crate) async fn create(
    State(app): State<AppState>,
    Path(ot): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let ot = object_type(&ot)?;
    let props = properties_of(&body)?;
    let mut store = app.store();
    let assoc = inline_associations(&store, ot, body.get("associations"))?;
    let changes = store
        .prepare(ot, props, None)
        .map_err(|e| ApiError::property_values(&e))?;
    if let Some(c) = store.conflict(ot, &changes, None, &HashMap::new()) {
        return Err(ApiError::conflict(c.message));
    }
    let id = store.create(ot, changes);
    let mut made = 0;
    for (to, tid, types) in assoc {
        for t in types {
            made += store.associate(ot, id, to, tid, t) as u64;
        }
    }
    let os = store.obj(ot);
    let out = record_json(os, &os.live[&id], &PropSel::All);
    drop(store);
    app.count_writes(ot, 1, 0, 0);
    app.count_associations(made);
    Ok(json_response(StatusCode::CREATED, &out))
}

pub(crate) async fn update(
    State(app): State<AppState>,
    Path((ot, id)): Path<(String, String)>,
    Query(q): Query<Vec<(String, String)>>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let ot = object_type(&ot)?;
    let q = QueryParams(q);
    let props = properties_of(&body)?;
    let mut store = app.store();
    let rid = resolve(store.obj(ot), &id, q.get("idProperty"), false)?
        .ok_or_else(|| ApiError::object_not_found(&id))?;
    let changes = store
        .prepare(ot, props, Some(rid))
        .map_err(|e| ApiError::property_values(&e))?;
    if let Some(c) = store.conflict(ot, &changes, Some(rid), &HashMap::new()) {
        return Err(ApiError::conflict(c.message));
    }
    store.update(ot, rid, changes);
    let os = store.obj(ot);
    let out = record_json(os, &os.live[&rid], &PropSel::All);
    drop(store);
    app.count_writes(ot, 0, 1, 0);
    Ok(json_response(StatusCode::OK, &out))
}

/// Archive: 204 whether or not the record existed.
pub(crate) async fn archive(
    State(app): State<AppState>,
    Path((ot, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let ot = object_type(&ot)?;
    let done = match id.parse::<u64>() {
        Ok(n) => app.store().archive(ot, n),
        Err(_) => false,
    };
    if done {
        app.count_writes(ot, 0, 0, 1);
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

// ---------------------------------------------------------------------------------------------
// Batch endpoints

fn claim(
    claimed: &mut HashMap<(u32, String), Option<u64>>,
    os: &ObjectStore,
    changes: &Changes,
    owner: Option<u64>,
) {
    for (k, v) in changes {
        if let Some(v) = v {
            if os.is_indexed(*k) {
                claimed.insert((*k, v.to_string()), owner);
            }
        }
    }
}

/// Context naming a create input: its trace id, else its unique values.
fn create_context(
    os: &ObjectStore,
    trace: &Option<String>,
    props: &Map<String, Value>,
) -> Map<String, Value> {
    if let Some(t) = trace {
        return ctx("objectWriteTraceId", vec![t.clone()]);
    }
    let mut m = Map::new();
    for (name, v) in props {
        if os.id_property(name).is_some() {
            if let Some(s) = id_text(Some(v)) {
                m.insert(name.clone(), json!([s]));
            }
        }
    }
    m
}

fn id_context(trace: &Option<String>, id: &str) -> Map<String, Value> {
    match trace {
        Some(t) => ctx("objectWriteTraceId", vec![t.clone()]),
        None => ctx("ids", vec![id.to_string()]),
    }
}

pub(crate) async fn batch_create(
    State(app): State<AppState>,
    Path(ot): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let ot = object_type(&ot)?;
    let list = inputs(&body, 100)?;
    let started = iso_ms(now_ms());
    let failing = app.partial_failures(list.len());
    let mut store = app.store();
    let mut errors = Vec::new();
    let mut planned = Vec::new();
    let mut claimed = HashMap::new();
    for (input, fail) in list.iter().zip(failing) {
        let props = properties_of(input)?;
        let trace = trace_id(input);
        if fail {
            errors.push(injected_failure(create_context(
                store.obj(ot),
                &trace,
                props,
            )));
            continue;
        }
        let assoc = inline_associations(&store, ot, input.get("associations"))?;
        match store.prepare(ot, props, None) {
            Err(pe) => match &trace {
                Some(t) => errors.push(values_error(
                    &pe,
                    ctx("objectWriteTraceId", vec![t.clone()]),
                )),
                None => return Err(ApiError::property_values(&pe)),
            },
            Ok(changes) => {
                if let Some(c) = store.conflict(ot, &changes, None, &claimed) {
                    return Err(ApiError::conflict(c.message));
                }
                claim(&mut claimed, store.obj(ot), &changes, None);
                planned.push((changes, assoc, trace));
            }
        }
    }
    let mut results = Vec::with_capacity(planned.len());
    let mut made = 0;
    let created = planned.len() as u64;
    for (changes, assoc, trace) in planned {
        let id = store.create(ot, changes);
        for (to, tid, types) in assoc {
            for t in types {
                made += store.associate(ot, id, to, tid, t) as u64;
            }
        }
        let os = store.obj(ot);
        results.push(with_trace(
            record_json(os, &os.live[&id], &PropSel::All),
            trace,
        ));
    }
    drop(store);
    app.count_writes(ot, created, 0, 0);
    app.count_associations(made);
    Ok(batch_response(
        StatusCode::CREATED,
        results,
        errors,
        &started,
    ))
}

pub(crate) async fn batch_update(
    State(app): State<AppState>,
    Path(ot): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let ot = object_type(&ot)?;
    let list = inputs(&body, 100)?;
    let started = iso_ms(now_ms());
    let failing = app.partial_failures(list.len());
    let mut store = app.store();
    let mut errors = Vec::new();
    let mut missing = Vec::new();
    let mut planned: Vec<(u64, Changes, Option<String>)> = Vec::new();
    let mut claimed = HashMap::new();
    let mut seen: HashMap<u64, String> = HashMap::new();
    for (input, fail) in list.iter().zip(failing) {
        let Some(id) = id_text(input.get("id")) else {
            return Err(ApiError::missing_fields(&["id"]));
        };
        let props = properties_of(input)?;
        let trace = trace_id(input);
        let id_prop = input.get("idProperty").and_then(Value::as_str);
        let Some(rid) = resolve(store.obj(ot), &id, id_prop, false)? else {
            missing.push(id);
            continue;
        };
        if let Some(first) = seen.insert(rid, id.clone()) {
            return Err(duplicate_ids(&[first, id]));
        }
        if fail {
            errors.push(injected_failure(id_context(&trace, &id)));
            continue;
        }
        match store.prepare(ot, props, Some(rid)) {
            Err(pe) => match &trace {
                Some(t) => errors.push(values_error(
                    &pe,
                    ctx("objectWriteTraceId", vec![t.clone()]),
                )),
                None => return Err(ApiError::property_values(&pe)),
            },
            Ok(changes) => {
                if let Some(c) = store.conflict(ot, &changes, Some(rid), &claimed) {
                    return Err(ApiError::conflict(c.message));
                }
                claim(&mut claimed, store.obj(ot), &changes, Some(rid));
                planned.push((rid, changes, trace));
            }
        }
    }
    if !missing.is_empty() {
        errors.push(not_found_entry(ot, missing));
    }
    let updated = planned.len() as u64;
    let mut results = Vec::with_capacity(planned.len());
    for (rid, changes, trace) in planned {
        store.update(ot, rid, changes);
        let os = store.obj(ot);
        results.push(with_trace(
            record_json(os, &os.live[&rid], &PropSel::All),
            trace,
        ));
    }
    drop(store);
    app.count_writes(ot, 0, updated, 0);
    Ok(batch_response(StatusCode::OK, results, errors, &started))
}

pub(crate) async fn batch_upsert(
    State(app): State<AppState>,
    Path(ot): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let ot = object_type(&ot)?;
    let list = inputs(&body, 100)?;
    let started = iso_ms(now_ms());
    let failing = app.partial_failures(list.len());
    let mut store = app.store();
    let mut errors = Vec::new();
    // (existing record, changes)
    let mut planned: Vec<(Option<u64>, Changes, Option<String>)> = Vec::new();
    let mut claimed = HashMap::new();
    let mut seen_values: HashMap<(u32, String), String> = HashMap::new();
    let mut seen_records: HashMap<u64, String> = HashMap::new();
    for (input, fail) in list.iter().zip(failing) {
        let Some(id) = id_text(input.get("id")) else {
            return Err(ApiError::missing_fields(&["id"]));
        };
        let props = properties_of(input)?;
        let Some(id_prop) = input.get("idProperty").and_then(Value::as_str) else {
            return Err(ApiError::missing_fields(&["idProperty"]));
        };
        let trace = trace_id(input);
        let os = store.obj(ot);
        let Some(k) = os.id_property(id_prop) else {
            return Err(non_unique(ot, id_prop));
        };
        let email_mode = ot == ObjectType::Contacts && id_prop == "email";
        // The id is a value of the id property and must be a valid one.
        let key_value = match normalize_value(ot, &os.defs[k as usize], &id) {
            Ok(Some(v)) => v,
            Ok(None) => return Err(ApiError::missing_fields(&["id"])),
            Err(pe) => {
                if email_mode {
                    return Err(ApiError::property_values(&[pe]));
                }
                errors.push(values_error(&[pe], id_context(&trace, &id)));
                continue;
            }
        };
        if let Some(first) = seen_values.insert((k, key_value.clone()), id.clone()) {
            return Err(duplicate_ids(&[first, id]));
        }
        let existing = os.lookup(k, &key_value);
        if let Some(rid) = existing {
            if let Some(first) = seen_records.insert(rid, id.clone()) {
                return Err(duplicate_ids(&[first, id]));
            }
        }
        if fail {
            errors.push(injected_failure(id_context(&trace, &id)));
            continue;
        }
        match store.prepare(ot, props, existing) {
            Err(pe) => {
                if email_mode {
                    return Err(ApiError::property_values(&pe));
                }
                errors.push(values_error(&pe, id_context(&trace, &id)));
            }
            Ok(mut changes) => {
                if existing.is_none() && !changes.iter().any(|(ck, _)| *ck == k) {
                    changes.push((k, Some(key_value.clone().into_boxed_str())));
                }
                if let Some(c) = store.conflict(ot, &changes, existing, &claimed) {
                    return Err(ApiError::conflict(c.message));
                }
                claim(&mut claimed, store.obj(ot), &changes, existing);
                planned.push((existing, changes, trace));
            }
        }
    }
    let mut results = Vec::with_capacity(planned.len());
    let (mut created, mut updated) = (0, 0);
    for (existing, changes, trace) in planned {
        let (rid, new) = match existing {
            Some(rid) => {
                store.update(ot, rid, changes);
                updated += 1;
                (rid, false)
            }
            None => {
                created += 1;
                (store.create(ot, changes), true)
            }
        };
        let os = store.obj(ot);
        let mut v = record_json(os, &os.live[&rid], &PropSel::All);
        v["new"] = json!(new);
        results.push(with_trace(v, trace));
    }
    drop(store);
    app.count_writes(ot, created, updated, 0);
    Ok(batch_response(StatusCode::OK, results, errors, &started))
}

pub(crate) async fn batch_read(
    State(app): State<AppState>,
    Path(ot): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let ot = object_type(&ot)?;
    let q = QueryParams(q);
    let list = inputs(&body, 100)?;
    let history = body
        .get("propertiesWithHistory")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    if history && list.len() > 50 {
        return Err(ApiError::validation(
            "The maximum number of inputs supported in a batch request for property histories is 50. \
             Please reduce the number of items and try again",
        ));
    }
    let archived = q.flag("archived") || body.get("archived") == Some(&Value::Bool(true));
    let names: Vec<String> = body
        .get("properties")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let id_prop = body.get("idProperty").and_then(Value::as_str);
    let started = iso_ms(now_ms());
    let store = app.store();
    let os = store.obj(ot);
    let sel = selection(os, &names);
    let mut results = Vec::new();
    let mut missing = Vec::new();
    let mut seen = HashSet::new();
    for input in list {
        let Some(id) = id_text(input.get("id")) else {
            return Err(ApiError::missing_fields(&["id"]));
        };
        match resolve(os, &id, id_prop, archived)? {
            Some(rid) => {
                if seen.insert(rid) {
                    if let Some(rec) = os.find(rid, archived) {
                        results.push(record_json(os, rec, &sel));
                    }
                }
            }
            None => missing.push(id),
        }
    }
    if missing.is_empty() {
        return Ok(batch_response(
            StatusCode::OK,
            results,
            Vec::new(),
            &started,
        ));
    }
    // Some found: 207. None found: the same body with 404 (observed by third parties, e.g.
    // bruin-data/ingestr's HubSpot destination; HubSpot's docs only mention the 207).
    let all_missing = results.is_empty();
    let mut resp = batch_response(
        StatusCode::OK,
        results,
        vec![not_found_entry(ot, missing)],
        &started,
    );
    if all_missing {
        *resp.status_mut() = StatusCode::NOT_FOUND;
    }
    Ok(resp)
}

pub(crate) async fn batch_archive(
    State(app): State<AppState>,
    Path(ot): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let ot = object_type(&ot)?;
    let list = inputs(&body, 100)?;
    let mut ids = Vec::new();
    for input in list {
        let Some(id) = id_text(input.get("id")) else {
            return Err(ApiError::missing_fields(&["id"]));
        };
        ids.push(id);
    }
    let mut store = app.store();
    let mut n = 0;
    for id in ids {
        if let Ok(rid) = id.parse::<u64>() {
            n += store.archive(ot, rid) as u64;
        }
    }
    drop(store);
    app.count_writes(ot, 0, 0, n);
    Ok(StatusCode::NO_CONTENT.into_response())
}
