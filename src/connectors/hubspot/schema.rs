//! What shopsync needs to exist in a HubSpot account before it writes: the custom properties
//! (with the unique Shopify-id properties upserts match on) and the deal pipeline orders go to.

use super::API_VERSION;
use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::client::{HubSpotClient, HubSpotError};
use super::mapping::{properties_of, Kind, PropertyDef};
use crate::model::OrderStage;

pub const GROUP: &str = "shopify";

/// The deal pipeline and the id of each stage.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DealPipeline {
    pub id: String,
    pub stages: BTreeMap<String, String>,
}

impl DealPipeline {
    pub fn stage_id(&self, stage: OrderStage) -> Option<&str> {
        self.stages.get(stage.label()).map(String::as_str)
    }
}

fn api_error(what: &str, answer: &super::client::Answer) -> HubSpotError {
    HubSpotError::Api {
        what: what.to_string(),
        status: answer.status,
        message: answer.message(),
    }
}

/// Custom properties of `object` that do not exist yet.
pub async fn missing_properties(
    client: &HubSpotClient,
    object: &str,
) -> Result<Vec<PropertyDef>, HubSpotError> {
    let answer = client
        .get(&format!("/crm/properties/{API_VERSION}/{object}"))
        .await?;
    if !answer.ok() {
        return Err(api_error(&format!("the {object} properties list"), &answer));
    }
    let existing: HashSet<&str> = answer.body["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["name"].as_str())
        .collect();
    Ok(properties_of(object)
        .iter()
        .filter(|p| !existing.contains(p.name))
        .copied()
        .collect())
}

/// Creates the missing custom properties of `object` in the "Shopify" group.
pub async fn create_properties(
    client: &HubSpotClient,
    object: &str,
    missing: &[PropertyDef],
) -> Result<(), HubSpotError> {
    if missing.is_empty() {
        return Ok(());
    }
    let group = json!({ "name": GROUP, "label": "Shopify", "displayOrder": -1 });
    let answer = client
        .post(
            &format!("/crm/properties/{API_VERSION}/{object}/groups"),
            &group,
        )
        .await?;
    if !answer.ok() && answer.status != 409 {
        return Err(api_error(
            &format!("creating the Shopify property group on {object}"),
            &answer,
        ));
    }
    let inputs: Vec<Value> = missing.iter().map(property_json).collect();
    let answer = client
        .post(
            &format!("/crm/properties/{API_VERSION}/{object}/batch/create"),
            &json!({ "inputs": inputs }),
        )
        .await?;
    // A retried request can find some already made by the first attempt: that is success.
    if !answer.ok() && answer.status != 409 {
        return Err(api_error(
            &format!("creating the Shopify properties on {object}"),
            &answer,
        ));
    }
    let still = missing_properties(client, object).await?;
    if let Some(p) = still.first() {
        return Err(HubSpotError::Api {
            what: format!("creating the property {} on {object}", p.name),
            status: answer.status,
            message: answer.message(),
        });
    }
    Ok(())
}

fn property_json(p: &PropertyDef) -> Value {
    let (kind, field) = match p.kind {
        Kind::Text => ("string", "text"),
        Kind::Number => ("number", "number"),
        Kind::Bool => ("bool", "booleancheckbox"),
        Kind::DateTime => ("datetime", "date"),
    };
    let mut v = json!({
        "name": p.name, "label": p.label, "type": kind, "fieldType": field, "groupName": GROUP,
        "description": "Written by shopsync from Shopify",
    });
    if p.unique {
        v["hasUniqueValue"] = json!(true);
    }
    if p.kind == Kind::Bool {
        v["options"] = json!([
            { "label": "Yes", "value": "true", "displayOrder": 0 },
            { "label": "No", "value": "false", "displayOrder": 1 },
        ]);
    }
    v
}

/// Deal stage probabilities: 1.0 is won, 0.0 lost (HubSpot requires one per deal stage).
fn probability(stage: OrderStage) -> &'static str {
    match stage {
        OrderStage::CheckoutAbandoned => "0.1",
        OrderStage::CheckoutPending => "0.3",
        OrderStage::CheckoutCompleted => "0.8",
        OrderStage::Processed | OrderStage::Shipped => "1.0",
        OrderStage::Cancelled => "0.0",
    }
}

/// The pipeline labelled `label`, if it exists, with the ids of the stages it has.
pub async fn find_pipeline(
    client: &HubSpotClient,
    label: &str,
) -> Result<Option<(DealPipeline, Vec<OrderStage>)>, HubSpotError> {
    let answer = client
        .get(&format!("/crm/pipelines/{API_VERSION}/deals"))
        .await?;
    if !answer.ok() {
        return Err(api_error("the deal pipelines list", &answer));
    }
    let mut pipelines: Vec<&Value> = answer.body["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| {
            p["label"]
                .as_str()
                .is_some_and(|l| l.eq_ignore_ascii_case(label))
        })
        .collect();
    // Two pipelines of the same label (made by hand): take the oldest, by display order then id.
    pipelines.sort_by_key(|p| {
        (
            p["displayOrder"].as_i64().unwrap_or(0),
            p["id"].as_str().unwrap_or("").to_string(),
        )
    });
    let Some(p) = pipelines.first() else {
        return Ok(None);
    };
    let mut stages = BTreeMap::new();
    for s in p["stages"].as_array().into_iter().flatten() {
        if let (Some(l), Some(id)) = (s["label"].as_str(), s["id"].as_str()) {
            if let Some(stage) = OrderStage::ALL
                .iter()
                .find(|st| st.label().eq_ignore_ascii_case(l))
            {
                stages.insert(stage.label().to_string(), id.to_string());
            }
        }
    }
    let missing = OrderStage::ALL
        .iter()
        .filter(|s| !stages.contains_key(s.label()))
        .copied()
        .collect();
    Ok(Some((
        DealPipeline {
            id: p["id"].as_str().unwrap_or_default().to_string(),
            stages,
        },
        missing,
    )))
}

/// Finds or creates the pipeline with every stage. Creating is not idempotent, so after any
/// doubt the list is read again before trying once more.
pub async fn ensure_pipeline(
    client: &HubSpotClient,
    label: &str,
) -> Result<DealPipeline, HubSpotError> {
    for _ in 0..3 {
        match find_pipeline(client, label).await? {
            Some((pipeline, missing)) if missing.is_empty() => return Ok(pipeline),
            Some((pipeline, missing)) => {
                for stage in missing {
                    let body = stage_json(stage);
                    let answer = client
                        .post(
                            &format!("/crm/pipelines/{API_VERSION}/deals/{}/stages", pipeline.id),
                            &body,
                        )
                        .await?;
                    if !answer.ok() && answer.status != 409 {
                        return Err(api_error(
                            &format!("adding the stage {} to the {label} pipeline", stage.label()),
                            &answer,
                        ));
                    }
                }
            }
            None => {
                let stages: Vec<Value> = OrderStage::ALL.iter().map(|s| stage_json(*s)).collect();
                let body = json!({ "label": label, "displayOrder": 99, "stages": stages });
                match client
                    .post(&format!("/crm/pipelines/{API_VERSION}/deals"), &body)
                    .await
                {
                    Ok(answer) if answer.ok() || answer.status == 409 => {}
                    Ok(answer) => {
                        return Err(api_error(
                            &format!("creating the {label} deal pipeline"),
                            &answer,
                        ))
                    }
                    Err(HubSpotError::Unreachable { .. }) => {} // did it land? the list says.
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Err(HubSpotError::Api {
        what: format!("the {label} deal pipeline"),
        status: 0,
        message: "it could not be completed with all its stages".into(),
    })
}

fn stage_json(stage: OrderStage) -> Value {
    let order = OrderStage::ALL
        .iter()
        .position(|s| *s == stage)
        .unwrap_or(0);
    json!({ "label": stage.label(), "displayOrder": order, "metadata": { "probability": probability(stage) } })
}
