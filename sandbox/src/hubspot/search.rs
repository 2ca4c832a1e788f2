//! `POST /crm/objects/2026-03/{objectType}/search` (and `/crm/v3/objects/.../search`).
//!
//! Facts (search guide, crm/search-the-crm): filters within a group are ANDed, groups ORed; at
//! most 5 groups of 6 filters, 18 filters in all; one sort; page size default 10, at most 200;
//! `after` is an integer offset; "limited to 10,000 total results for any given query.
//! Attempting to page beyond 10,000 will result in a 400 error"; archived records are left out;
//! IN/NOT_IN on string properties compare against lower-case values and enumeration filters are
//! case-sensitive. Its own limit, five requests per second, is applied by the router.
//!
//! An EQ or IN filter on an indexed property (a unique property, the contact e-mail or
//! `hs_object_id`) in every group answers from the indexes; other searches scan the records.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde_json::{json, Map, Value};

use super::errors::{json_response, ApiError};
use super::objects::{next_link, record_json, selection};
use super::properties::{is_decimal, parse_time, value_text};
use super::store::{ObjectStore, ObjectType, Rec};
use super::{AppState, JsonBody};

const MAX_GROUPS: usize = 5;
const MAX_FILTERS_PER_GROUP: usize = 6;
const MAX_FILTERS: usize = 18;
const MAX_LIMIT: usize = 200;
const MAX_RESULTS: usize = 10_000;
const MAX_QUERY_CHARS: usize = 3_000;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Op {
    Eq,
    Neq,
    Lt,
    Lte,
    Gt,
    Gte,
    Between,
    In,
    NotIn,
    HasProperty,
    NotHasProperty,
    ContainsToken,
    NotContainsToken,
}

impl Op {
    fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "EQ" => Op::Eq,
            "NEQ" => Op::Neq,
            "LT" => Op::Lt,
            "LTE" => Op::Lte,
            "GT" => Op::Gt,
            "GTE" => Op::Gte,
            "BETWEEN" => Op::Between,
            "IN" => Op::In,
            "NOT_IN" => Op::NotIn,
            "HAS_PROPERTY" => Op::HasProperty,
            "NOT_HAS_PROPERTY" => Op::NotHasProperty,
            "CONTAINS_TOKEN" => Op::ContainsToken,
            "NOT_CONTAINS_TOKEN" => Op::NotContainsToken,
            _ => return None,
        })
    }
}

/// How a property's values compare.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Number,
    Time,
    Text,
    /// Enumerations and booleans: exact, case-sensitive.
    Exact,
}

struct Filter {
    k: u32,
    kind: Kind,
    op: Op,
    value: Option<String>,
    values: Vec<String>,
    high: Option<String>,
}

fn kind_of(os: &ObjectStore, k: u32) -> Kind {
    match os.defs[k as usize].prop_type.as_str() {
        "number" => Kind::Number,
        "date" | "datetime" => Kind::Time,
        "enumeration" | "bool" => Kind::Exact,
        _ => Kind::Text,
    }
}

fn cmp_values(kind: Kind, a: &str, b: &str) -> Option<Ordering> {
    match kind {
        Kind::Number => {
            let (x, y) = (a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?);
            x.partial_cmp(&y)
        }
        Kind::Time => Some(parse_time(a)?.cmp(&parse_time(b)?)),
        Kind::Text => Some(a.to_lowercase().cmp(&b.to_lowercase())),
        Kind::Exact => Some(a.cmp(b)),
    }
}

fn glob(pattern: &str, text: &str) -> bool {
    match (pattern.strip_prefix('*'), pattern.strip_suffix('*')) {
        (Some(rest), _) if rest.ends_with('*') => text.contains(rest.trim_end_matches('*')),
        (Some(rest), _) => text.ends_with(rest),
        (None, Some(rest)) => text.starts_with(rest),
        (None, None) => text == pattern,
    }
}

fn contains_token(value: &str, token: &str) -> bool {
    let v = value.to_lowercase();
    let t = token.to_lowercase();
    if t.contains('*') {
        return glob(&t, &v) || v.split(|c: char| c.is_whitespace()).any(|w| glob(&t, w));
    }
    v.split(|c: char| !c.is_alphanumeric()).any(|w| w == t) || v == t
}

fn matches(os: &ObjectStore, rec: &Rec, f: &Filter) -> bool {
    let v = os.value(rec, f.k);
    let Some(v) = v.as_deref() else {
        return matches!(
            f.op,
            Op::NotHasProperty | Op::Neq | Op::NotIn | Op::NotContainsToken
        );
    };
    let value = f.value.as_deref().unwrap_or_default();
    let eq = |x: &str| match f.kind {
        Kind::Text => v.eq_ignore_ascii_case(x) || v.to_lowercase() == x.to_lowercase(),
        _ => cmp_values(f.kind, v, x) == Some(Ordering::Equal),
    };
    // IN/NOT_IN on strings match the lower-cased stored value against the given values as
    // they are ("IN/NOT_IN on string properties need lowercase values").
    let in_list = |x: &str| match f.kind {
        Kind::Text => v.to_lowercase() == x,
        _ => cmp_values(f.kind, v, x) == Some(Ordering::Equal),
    };
    let ord = || cmp_values(f.kind, v, value);
    match f.op {
        Op::HasProperty => true,
        Op::NotHasProperty => false,
        Op::Eq => eq(value),
        Op::Neq => !eq(value),
        Op::Lt => ord() == Some(Ordering::Less),
        Op::Lte => matches!(ord(), Some(Ordering::Less | Ordering::Equal)),
        Op::Gt => ord() == Some(Ordering::Greater),
        Op::Gte => matches!(ord(), Some(Ordering::Greater | Ordering::Equal)),
        Op::Between => {
            let high = f.high.as_deref().unwrap_or_default();
            matches!(ord(), Some(Ordering::Greater | Ordering::Equal))
                && matches!(
                    cmp_values(f.kind, v, high),
                    Some(Ordering::Less | Ordering::Equal)
                )
        }
        Op::In => f.values.iter().any(|x| in_list(x)),
        Op::NotIn => !f.values.iter().any(|x| in_list(x)),
        Op::ContainsToken => contains_token(v, value),
        Op::NotContainsToken => !contains_token(v, value),
    }
}

fn parse_filter(os: &ObjectStore, f: &Value) -> Result<Filter, ApiError> {
    let name = f.get("propertyName").and_then(Value::as_str);
    let op = f.get("operator").and_then(Value::as_str);
    let (Some(name), Some(op_s)) = (name, op) else {
        return Err(ApiError::missing_fields(&["propertyName", "operator"]));
    };
    let Some(op) = Op::parse(op_s) else {
        return Err(ApiError::validation(format!("Invalid operator {op_s}")));
    };
    let Some(k) = os.key(name) else {
        return Err(ApiError::validation(format!(
            "There was a problem with the request: property {name} does not exist on object type {}",
            os.ot.type_id()
        )));
    };
    let kind = kind_of(os, k);
    let value = f.get("value").and_then(value_text);
    let high = f.get("highValue").and_then(value_text);
    let values: Vec<String> = f
        .get("values")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(value_text).collect())
        .unwrap_or_default();
    let need_value = matches!(
        op,
        Op::Eq
            | Op::Neq
            | Op::Lt
            | Op::Lte
            | Op::Gt
            | Op::Gte
            | Op::Between
            | Op::ContainsToken
            | Op::NotContainsToken
    );
    if need_value && value.is_none() {
        return Err(ApiError::validation(format!(
            "Operator {op_s} on {name} needs a value"
        )));
    }
    if op == Op::Between && high.is_none() {
        return Err(ApiError::validation(format!(
            "Operator BETWEEN on {name} needs a highValue"
        )));
    }
    if matches!(op, Op::In | Op::NotIn) && values.is_empty() {
        return Err(ApiError::validation(format!(
            "Operator {op_s} on {name} needs values"
        )));
    }
    if kind == Kind::Number {
        for v in value.iter().chain(high.iter()).chain(values.iter()) {
            if !is_decimal(v.trim()) {
                return Err(ApiError::validation(format!(
                    "{v} is not a valid number for property {name}"
                )));
            }
        }
    }
    Ok(Filter {
        k,
        kind,
        op,
        value,
        values,
        high,
    })
}

/// Record ids an indexed EQ/IN filter of every group points at, or `None` when some group has
/// no such filter (then the records are scanned).
fn indexed_candidates(os: &ObjectStore, groups: &[Vec<Filter>]) -> Option<BTreeSet<u64>> {
    if groups.is_empty() {
        return None;
    }
    let mut ids = BTreeSet::new();
    for g in groups {
        let f = g.iter().find(|f| {
            matches!(f.op, Op::Eq | Op::In) && (os.is_indexed(f.k) || f.k == os.k_object_id)
        })?;
        let vals: Vec<&str> = match f.op {
            Op::Eq => f.value.iter().map(String::as_str).collect(),
            _ => f.values.iter().map(String::as_str).collect(),
        };
        for v in vals {
            if f.k == os.k_object_id {
                if let Ok(id) = v.trim().parse::<u64>() {
                    ids.insert(id);
                }
            } else if let Some(id) = os.lookup(f.k, v) {
                ids.insert(id);
            }
        }
    }
    Some(ids)
}

/// Properties searched by the free-text `query`.
fn query_props(ot: ObjectType) -> &'static [&'static str] {
    match ot {
        ObjectType::Contacts => &[
            "firstname",
            "lastname",
            "email",
            "phone",
            "mobilephone",
            "company",
        ],
        ObjectType::Products => &["name", "description", "hs_sku"],
        ObjectType::Deals => &["dealname"],
        ObjectType::LineItems => &["name", "hs_sku"],
    }
}

fn int_field(body: &Value, key: &str) -> Result<Option<usize>, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_u64()
            .map(|x| Some(x as usize))
            .ok_or_else(|| ApiError::validation(format!("{key} must be a non-negative integer"))),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => s.trim().parse::<usize>().map(Some).map_err(|_| {
            ApiError::validation(format!("{key} must be formatted as an integer, got {s}"))
        }),
        Some(v) => Err(ApiError::validation(format!(
            "{key} must be an integer, got {v}"
        ))),
    }
}

pub(crate) async fn search(
    State(app): State<AppState>,
    Path(ot): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let ot = ObjectType::parse(&ot).ok_or_else(|| ApiError::unknown_object_type(&ot))?;
    let limit = int_field(&body, "limit")?.unwrap_or(10);
    if limit > MAX_LIMIT {
        return Err(ApiError::validation(format!(
            "limit must be at most {MAX_LIMIT}, got {limit}"
        )));
    }
    let after = int_field(&body, "after")?.unwrap_or(0);
    if after >= MAX_RESULTS {
        return Err(ApiError::validation(format!(
            "The search API returns at most {MAX_RESULTS} results for a query; after={after} pages beyond them"
        )));
    }
    let query = body
        .get("query")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_lowercase();
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::validation(format!(
            "query is longer than {MAX_QUERY_CHARS} characters"
        )));
    }
    let groups_in = body
        .get("filterGroups")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if groups_in.len() > MAX_GROUPS {
        return Err(ApiError::validation(format!(
            "Too many filter groups ({}); the maximum is {MAX_GROUPS}",
            groups_in.len()
        )));
    }
    let sorts = body
        .get("sorts")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if sorts.len() > 1 {
        return Err(ApiError::validation("Only one sort is supported"));
    }
    let names: Vec<String> = body
        .get("properties")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();

    let store = app.store();
    let os = store.obj(ot);
    let mut groups = Vec::new();
    let mut total_filters = 0;
    for g in &groups_in {
        let filters = g
            .get("filters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if filters.len() > MAX_FILTERS_PER_GROUP {
            return Err(ApiError::validation(format!(
                "Too many filters in a group ({}); the maximum is {MAX_FILTERS_PER_GROUP}",
                filters.len()
            )));
        }
        total_filters += filters.len();
        groups.push(
            filters
                .iter()
                .map(|f| parse_filter(os, f))
                .collect::<Result<Vec<_>, _>>()?,
        );
    }
    if total_filters > MAX_FILTERS {
        return Err(ApiError::validation(format!(
            "Too many filters ({total_filters}); the maximum is {MAX_FILTERS}"
        )));
    }
    let sort = match sorts.first() {
        None => None,
        Some(Value::String(s)) => {
            let (name, desc) = match s.strip_prefix('-') {
                Some(n) => (n, true),
                None => (s.as_str(), false),
            };
            Some((name.to_string(), desc))
        }
        Some(v) => {
            let name = v
                .get("propertyName")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let desc = v.get("direction").and_then(Value::as_str) == Some("DESCENDING");
            Some((name, desc))
        }
    };
    let sort = match sort {
        None => None,
        Some((name, desc)) => match os.key(&name) {
            Some(k) => Some((k, desc)),
            None => {
                return Err(ApiError::validation(format!(
                    "Cannot sort by unknown property {name}"
                )))
            }
        },
    };
    let qkeys: Vec<u32> = query_props(ot).iter().filter_map(|n| os.key(n)).collect();
    let keep = |rec: &Rec| -> bool {
        let by_filters =
            groups.is_empty() || groups.iter().any(|g| g.iter().all(|f| matches(os, rec, f)));
        let by_query = query.is_empty()
            || qkeys.iter().any(|k| {
                rec.get(*k)
                    .is_some_and(|v| v.to_lowercase().contains(&query))
            });
        by_filters && by_query
    };
    let mut hits: Vec<&Rec> = match indexed_candidates(os, &groups) {
        Some(ids) => ids
            .iter()
            .filter_map(|id| os.live.get(id))
            .filter(|r| keep(r))
            .collect(),
        None => os.live.values().filter(|r| keep(r)).collect(),
    };
    if let Some((k, desc)) = sort {
        let kind = kind_of(os, k);
        hits.sort_by(|a, b| {
            let (va, vb) = (os.value(a, k), os.value(b, k));
            let o = match (va.as_deref(), vb.as_deref()) {
                (Some(x), Some(y)) => cmp_values(kind, x, y).unwrap_or(Ordering::Equal),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            };
            let o = if desc { o.reverse() } else { o };
            o.then(a.id.cmp(&b.id))
        });
    }
    let total = hits.len();
    let sel = selection(os, &names);
    let results: Vec<Value> = hits
        .iter()
        .skip(after)
        .take(limit)
        .map(|r| record_json(os, r, &sel))
        .collect();
    let mut out = Map::new();
    out.insert("total".into(), json!(total));
    out.insert("results".into(), Value::Array(results));
    if after + limit < total {
        let next = after + limit;
        let link = next_link(&headers, uri.path(), "");
        out.insert(
            "paging".into(),
            json!({"next": {"after": next.to_string(), "link": link}}),
        );
    }
    Ok(json_response(StatusCode::OK, &Value::Object(out)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert!(contains_token("Ada Lovelace", "ada"));
        assert!(contains_token("ada@example.com", "*@example.com"));
        assert!(!contains_token("Adam", "ada"));
        assert!(contains_token("shopify order 1001", "1001"));
    }
}
