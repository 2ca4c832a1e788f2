//! Batch writes to CRM objects, and what each input's outcome was.
//!
//! HubSpot answers a batch with 200/201 (all applied), 207 (some failed, each error naming its
//! input), or a 4xx for the whole batch when one input is invalid. In that last case the batch
//! is split in halves until the bad inputs stand alone, so one bad record never keeps the
//! others out.

use super::API_VERSION;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use serde_json::{json, Value};

use super::client::{error_message, HubSpotClient, HubSpotError};

#[derive(Debug, Clone)]
pub struct Input {
    pub source_id: String,
    /// Record id (update), or the unique property's value (upsert).
    pub id: String,
    pub properties: serde_json::Map<String, Value>,
}

#[derive(Debug, Clone, Copy)]
pub enum Op<'a> {
    Upsert { id_property: &'a str },
    Update,
}

#[derive(Debug, Clone)]
pub enum InputResult {
    Ok {
        source_id: String,
        target_id: String,
        created: bool,
    },
    Err {
        source_id: String,
        reason: String,
        not_found: bool,
    },
}

pub fn write<'a>(
    client: &'a HubSpotClient,
    object: &'a str,
    op: Op<'a>,
    inputs: Vec<Input>,
) -> Pin<Box<dyn Future<Output = Result<Vec<InputResult>, HubSpotError>> + Send + 'a>> {
    Box::pin(async move {
        if inputs.is_empty() {
            return Ok(Vec::new());
        }
        let (path, body) = request(object, op, &inputs);
        let answer = client.post_json_text(&path, &body).await?;
        if answer.ok() {
            // Read typed; an answer of another form than expected is read as a value.
            if let Some(out) = typed_outcomes(&inputs, &answer.text) {
                return Ok(out);
            }
            let body: Value = serde_json::from_str(&answer.text).unwrap_or(Value::Null);
            return Ok(outcomes(op, &inputs, &body));
        }
        if inputs.len() == 1 {
            let reason = answer.message();
            return Ok(vec![InputResult::Err {
                source_id: inputs[0].source_id.clone(),
                not_found: answer.status == 404 || looks_not_found(&answer.body),
                reason,
            }]);
        }
        let mid = inputs.len() / 2;
        let mut right = inputs;
        let left: Vec<Input> = right.drain(..mid).collect();
        let mut out = write(client, object, op, left).await?;
        out.extend(write(client, object, op, right).await?);
        Ok(out)
    })
}

/// A batch request's body, serialized straight from the inputs (the keys in the order a
/// `Value` would give them).
#[derive(serde::Serialize)]
struct BatchBody<'a> {
    inputs: Vec<InputBody<'a>>,
}

#[derive(serde::Serialize)]
struct InputBody<'a> {
    id: &'a str,
    #[serde(rename = "idProperty", skip_serializing_if = "Option::is_none")]
    id_property: Option<&'a str>,
    #[serde(rename = "objectWriteTraceId")]
    trace: &'a str,
    properties: &'a serde_json::Map<String, Value>,
}

fn request<'a>(object: &str, op: Op<'a>, inputs: &'a [Input]) -> (String, BatchBody<'a>) {
    let id_property = match op {
        Op::Upsert { id_property } => Some(id_property),
        Op::Update => None,
    };
    let inputs = inputs
        .iter()
        .map(|i| InputBody {
            id: &i.id,
            id_property,
            trace: &i.source_id,
            properties: &i.properties,
        })
        .collect();
    let verb = match op {
        Op::Upsert { .. } => "upsert",
        Op::Update => "update",
    };
    (
        format!("/crm/objects/{API_VERSION}/{object}/batch/{verb}"),
        BatchBody { inputs },
    )
}

fn looks_not_found(body: &Value) -> bool {
    let text = body.to_string().to_lowercase();
    text.contains("object_not_found")
        || text.contains("not found")
        || text.contains("does not exist")
}

/// A batch answer's results, typed: the properties HubSpot echoes are skipped unread.
#[derive(serde::Deserialize)]
struct TypedAnswer {
    #[serde(default)]
    results: Vec<TypedResult>,
    #[serde(default)]
    errors: Vec<serde::de::IgnoredAny>,
}

#[derive(serde::Deserialize)]
struct TypedResult {
    id: String,
    #[serde(rename = "objectWriteTraceId")]
    trace: Option<String>,
    #[serde(default)]
    new: Option<bool>,
}

/// [`outcomes`] of a 2xx answer whose every result names its input by `objectWriteTraceId`
/// and that has no errors (the case of nearly every batch); `None` for any other answer,
/// which `outcomes` reads.
fn typed_outcomes(inputs: &[Input], text: &str) -> Option<Vec<InputResult>> {
    let answer: TypedAnswer = serde_json::from_str(text).ok()?;
    if !answer.errors.is_empty() {
        return None;
    }
    let mut by_trace: HashMap<&str, &Input> =
        inputs.iter().map(|i| (i.source_id.as_str(), i)).collect();
    if !answer
        .results
        .iter()
        .all(|r| r.trace.as_deref().is_some_and(|t| by_trace.contains_key(t)))
    {
        return None;
    }
    let mut out = Vec::with_capacity(inputs.len());
    for result in answer.results {
        let source_id = result.trace.unwrap_or_default();
        if by_trace.remove(source_id.as_str()).is_some() {
            out.push(InputResult::Ok {
                source_id,
                target_id: result.id,
                created: result.new.unwrap_or(false),
            });
        }
    }
    for (source_id, _) in by_trace {
        out.push(InputResult::Err {
            source_id: source_id.to_string(),
            reason: "HubSpot did not confirm this record".to_string(),
            not_found: false,
        });
    }
    Some(out)
}

/// Matches results and errors back to inputs: by `objectWriteTraceId`, else by the record id
/// (update) or the unique property's value (upsert). An input nothing is said about failed.
fn outcomes(op: Op<'_>, inputs: &[Input], body: &Value) -> Vec<InputResult> {
    let mut by_trace: HashMap<&str, &Input> =
        inputs.iter().map(|i| (i.source_id.as_str(), i)).collect();
    let by_key: HashMap<String, &str> = inputs
        .iter()
        .map(|i| (i.id.to_lowercase(), i.source_id.as_str()))
        .collect();
    let mut out = Vec::with_capacity(inputs.len());
    for result in body["results"].as_array().into_iter().flatten() {
        let target_id = result["id"].as_str().unwrap_or_default().to_string();
        let source = result["objectWriteTraceId"]
            .as_str()
            .filter(|t| by_trace.contains_key(t))
            .map(str::to_string)
            .or_else(|| {
                let key = match op {
                    Op::Upsert { id_property } => result["properties"][id_property]
                        .as_str()
                        .map(str::to_lowercase),
                    Op::Update => Some(target_id.clone()),
                }?;
                by_key.get(&key).map(|s| s.to_string())
            });
        if let Some(source_id) = source {
            if by_trace.remove(source_id.as_str()).is_some() {
                let created = result["new"].as_bool().unwrap_or(false);
                out.push(InputResult::Ok {
                    source_id,
                    target_id,
                    created,
                });
            }
        }
    }
    let mut unmatched_errors = Vec::new();
    for error in body["errors"].as_array().into_iter().flatten() {
        let reason = error_message(error);
        let not_found = looks_not_found(error);
        let ctx = &error["context"];
        let named: Vec<String> = ["objectWriteTraceId", "ids", "id"]
            .iter()
            .flat_map(|k| match &ctx[k] {
                Value::Array(a) => a
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect::<Vec<_>>(),
                Value::String(s) => vec![s.clone()],
                _ => Vec::new(),
            })
            .collect();
        let mut matched = false;
        for name in named {
            let source = if by_trace.contains_key(name.as_str()) {
                Some(name.clone())
            } else {
                by_key.get(&name.to_lowercase()).map(|s| s.to_string())
            };
            if let Some(source_id) = source {
                if by_trace.remove(source_id.as_str()).is_some() {
                    out.push(InputResult::Err {
                        source_id,
                        reason: reason.clone(),
                        not_found,
                    });
                    matched = true;
                }
            }
        }
        if !matched {
            unmatched_errors.push(reason);
        }
    }
    let leftover = if unmatched_errors.is_empty() {
        "HubSpot did not confirm this record".to_string()
    } else {
        unmatched_errors.join("; ")
    };
    for (source_id, _) in by_trace {
        out.push(InputResult::Err {
            source_id: source_id.to_string(),
            reason: leftover.clone(),
            not_found: false,
        });
    }
    out
}

/// Archives records by id (204 when done). Ids already gone count as archived.
pub async fn archive(
    client: &HubSpotClient,
    object: &str,
    ids: &[String],
) -> Result<(), HubSpotError> {
    for chunk in ids.chunks(100) {
        let inputs: Vec<Value> = chunk.iter().map(|id| json!({ "id": id })).collect();
        let answer = client
            .post(
                &format!("/crm/objects/{API_VERSION}/{object}/batch/archive"),
                &json!({ "inputs": inputs }),
            )
            .await?;
        if !answer.ok() && answer.status != 404 {
            return Err(HubSpotError::Api {
                what: format!("archiving {object}"),
                status: answer.status,
                message: answer.message(),
            });
        }
    }
    Ok(())
}

/// Creates associations `from -> to` of one HUBSPOT_DEFINED type. Creating one that exists is
/// harmless, so this may be retried freely.
pub async fn associate(
    client: &HubSpotClient,
    from: &str,
    to: &str,
    type_id: u32,
    pairs: &[(String, String)],
) -> Result<Vec<(String, String)>, HubSpotError> {
    let mut failed = Vec::new();
    for chunk in pairs.chunks(100) {
        let inputs: Vec<Value> = chunk
            .iter()
            .map(|(a, b)| {
                json!({ "from": { "id": a }, "to": { "id": b },
                        "types": [{ "associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id }] })
            })
            .collect();
        let answer = client
            .post(
                &format!("/crm/associations/{API_VERSION}/{from}/{to}/batch/create"),
                &json!({ "inputs": inputs }),
            )
            .await?;
        if answer.status == 207 || !answer.ok() {
            // Which pairs failed is in errors[].context; when unclear, treat the chunk as failed.
            let mut named = Vec::new();
            for e in answer.body["errors"].as_array().into_iter().flatten() {
                for v in e["context"]
                    .as_object()
                    .into_iter()
                    .flat_map(|o| o.values())
                {
                    for id in v
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|x| x.as_str())
                    {
                        named.push(id.to_string());
                    }
                }
            }
            for (a, b) in chunk {
                if named.is_empty() || named.contains(a) || named.contains(b) {
                    failed.push((a.clone(), answer.message()));
                }
            }
        }
    }
    Ok(failed)
}
