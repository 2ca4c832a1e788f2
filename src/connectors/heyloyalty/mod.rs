//! Heyloyalty (DK e-mail marketing): lists, list fields, members, and the mapping between a
//! member and the contact fields of `model::contact`.
//!
//! A member's consent is its being an active member: `unsubscribed_at` set (or the member gone)
//! is permission `"0"`. Member values are read in both shapes the API has used (nested
//! `fields.NAME.value`, and flat), and choice fields are written by option id.

pub mod client;
pub mod health;
pub mod settings;
pub mod setup;
pub mod webhook;

use std::collections::BTreeMap;

use serde_json::{Map, Value};

pub use client::{FieldSpec, HeyloyaltyClient, HlError, ListInfo};

use crate::engine::twoway::SideRecord;
use crate::model::contact as c;
use crate::state::Fields;

/// One contact field as it is kept on a list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListField {
    pub name: String,
    pub fixed: bool,
    pub format: String,
    pub label: String,
}

/// Contact field -> list field, for every field synced (permission is membership, no field).
#[derive(Debug, Clone)]
pub struct FieldMap {
    pub fields: BTreeMap<String, ListField>,
}

fn fixed(name: &str, format: &str) -> ListField {
    ListField {
        name: name.into(),
        fixed: true,
        format: format.into(),
        label: String::new(),
    }
}

fn custom(name: &str, format: &str, label: &str) -> ListField {
    ListField {
        name: name.into(),
        fixed: false,
        format: format.into(),
        label: label.into(),
    }
}

impl FieldMap {
    /// The default list fields (Heyloyalty's fixed fields where one exists, custom fields with
    /// Danish labels for the rest); `group_field` names the customer-group field, `renames` maps
    /// a contact field to another custom field name.
    pub fn new(group_field: &str, renames: &BTreeMap<String, String>) -> FieldMap {
        let mut fields = BTreeMap::new();
        let defaults = [
            (c::FIRST_NAME, fixed("firstname", "text")),
            (c::LAST_NAME, fixed("lastname", "text")),
            (c::ADDRESS, fixed("address", "text")),
            (c::CITY, fixed("city", "text")),
            (c::COUNTRY, fixed("country", "choice")),
            (c::EMAIL, fixed("email", "text")),
            (c::MOBILE, fixed("mobile", "number")),
            (c::BIRTHDATE, fixed("birthdate", "date")),
            (c::ZIP, fixed("postalcode", "number")),
            (c::GENDER, fixed("sex", "choice")),
            (c::CUSTOMER_ID, custom("customer_id", "number", "Kunde id")),
            (
                c::CREATED_DATE,
                custom("customer_created", "date", "Oprettelsesdato"),
            ),
            (
                c::UPDATED_DATE,
                custom("customer_updated", "date", "Opdateringsdato"),
            ),
            (c::TYPE, custom("customer_type", "text", "Type")),
            (
                c::CUSTOMER_GROUP,
                custom(group_field, "text", "Brugergruppe"),
            ),
            (
                c::TOTAL_ORDERS,
                custom("total_orders", "number", "Total antal ordre"),
            ),
            (
                c::TOTAL_PRODUCTS,
                custom("total_products", "number", "Total antal produkter købt"),
            ),
            (
                c::AVG_PRODUCTS_PER_ORDER,
                custom(
                    "avg_products_per_order",
                    "text",
                    "Gennemsnitlig antal produkter",
                ),
            ),
            (
                c::AVG_ORDER_VALUE,
                custom("avg_order_value", "text", "Gennemsnitlig pris per ordre"),
            ),
            (
                c::LAST_ORDER_AMOUNT,
                custom("last_order_amount", "text", "Brugt ved sidste ordre"),
            ),
            (
                c::TOTAL_SPENT,
                custom("total_spent", "text", "Totalt forbrug"),
            ),
            (
                c::LAST_PURCHASE_DATE,
                custom("last_purchase_date", "date", "Sidste købsdato"),
            ),
            (
                c::FIRST_PURCHASE_DATE,
                custom("first_purchase_date", "date", "Første købsdato"),
            ),
        ];
        for (contact, mut field) in defaults {
            if let Some(name) = renames.get(contact) {
                field.name = name.clone();
                field.fixed = false;
                if field.label.is_empty() {
                    field.label = name.clone();
                }
            }
            fields.insert(contact.to_string(), field);
        }
        FieldMap { fields }
    }

    /// Fields to create on a new list.
    pub fn specs(&self) -> Vec<FieldSpec> {
        self.fields
            .values()
            .filter(|f| f.name != "email")
            .map(|f| FieldSpec {
                fixed: f.fixed,
                name: f.name.clone(),
                label: f.label.clone(),
                format: f.format.clone(),
            })
            .collect()
    }

    /// The fields `list` lacks, and the fields it has with another format (a located error).
    pub fn check(&self, list: &ListInfo) -> (Vec<FieldSpec>, Vec<String>) {
        let mut missing = Vec::new();
        let mut wrong = Vec::new();
        for spec in self.specs() {
            match list.fields.get(&spec.name) {
                None => missing.push(spec),
                Some(f) if f.format != spec.format => wrong.push(format!(
                    "field `{}` on list \"{}\" ({}) has format {}, shopsync writes {}",
                    spec.name, list.name, list.id, f.format, spec.format
                )),
                Some(_) => {}
            }
        }
        (missing, wrong)
    }

    /// Member values for these contact fields (those the list cannot take are left out and
    /// named in the second value).
    pub fn to_member(&self, list: &ListInfo, fields: &Fields) -> (Map<String, Value>, Vec<String>) {
        let mut out = Map::new();
        let mut left_out = Vec::new();
        for (contact, value) in fields {
            let Some(field) = self.fields.get(contact) else {
                continue;
            };
            let Some(info) = list.fields.get(&field.name) else {
                left_out.push(format!("{contact}: the list has no field `{}`", field.name));
                continue;
            };
            let v = match (contact.as_str(), info.format.as_str()) {
                (c::GENDER, _) => match value.as_str() {
                    "male" => "1".to_string(),
                    "female" => "2".to_string(),
                    _ => continue,
                },
                (_, "choice") => match info
                    .options
                    .iter()
                    .find(|(_, label)| label.eq_ignore_ascii_case(value))
                {
                    Some((id, _)) => id.clone(),
                    None => {
                        left_out.push(format!(
                            "{contact}: \"{value}\" is not an option of `{}`",
                            field.name
                        ));
                        continue;
                    }
                },
                (_, "number") if value.parse::<i64>().is_err() => {
                    left_out.push(format!(
                        "{contact}: \"{value}\" is not a whole number (`{}` is a number field)",
                        field.name
                    ));
                    continue;
                }
                _ => value.clone(),
            };
            out.insert(field.name.clone(), Value::String(v));
        }
        (out, left_out)
    }

    /// A member as contact fields (with permission).
    pub fn from_member(&self, list: &ListInfo, member: &Value) -> SideRecord {
        let mut fields = Fields::new();
        for (contact, field) in &self.fields {
            let raw = &member["fields"][&field.name];
            let value = match raw {
                Value::Object(o) => o.get("value").cloned().unwrap_or(Value::Null),
                Value::Null => member[&field.name].clone(),
                other => other.clone(),
            };
            let text = match value {
                Value::String(s) => s,
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => if b { "1" } else { "0" }.to_string(),
                _ => continue,
            };
            let text = text.trim().to_string();
            if text.is_empty() {
                continue;
            }
            let v = match contact.as_str() {
                c::GENDER => match text.as_str() {
                    "1" => "male".to_string(),
                    "2" => "female".to_string(),
                    _ => continue,
                },
                c::COUNTRY => match list
                    .fields
                    .get(&field.name)
                    .and_then(|f| f.options.get(&text))
                {
                    Some(label) => label.clone(),
                    None => continue,
                },
                c::EMAIL => text.to_lowercase(),
                _ => text,
            };
            fields.insert(contact.clone(), v);
        }
        let unsubscribed = member["unsubscribed_at"]
            .as_str()
            .is_some_and(|s| !s.is_empty());
        fields.insert(
            c::PERMISSION.into(),
            if unsubscribed { "0" } else { "1" }.into(),
        );
        SideRecord {
            id: member["id"].as_str().unwrap_or_default().to_string(),
            label: fields.get(c::EMAIL).cloned().unwrap_or_default(),
            fields,
            updated_at: member["updated_at"].as_str().map(str::to_string),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn list() -> ListInfo {
        let mut fields = BTreeMap::new();
        for (name, format) in [
            ("email", "text"),
            ("firstname", "text"),
            ("postalcode", "number"),
            ("sex", "choice"),
            ("country", "choice"),
        ] {
            let options = match name {
                "country" => [("53".to_string(), "Danmark".to_string())].into(),
                "sex" => [
                    ("1".to_string(), "Mand".to_string()),
                    ("2".to_string(), "Kvinde".to_string()),
                ]
                .into(),
                _ => BTreeMap::new(),
            };
            fields.insert(
                name.to_string(),
                client::FieldInfo {
                    format: format.into(),
                    options,
                },
            );
        }
        ListInfo {
            id: 7,
            name: "Kunder".into(),
            fields,
        }
    }

    #[test]
    fn values_round_trip_through_a_member() {
        let map = FieldMap::new("customer_group", &BTreeMap::new());
        let fields: Fields = [
            ("email", "a@b.dk"),
            ("first_name", "Ann"),
            ("zip", "8000"),
            ("gender", "female"),
            ("country", "Danmark"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let (values, left_out) = map.to_member(&list(), &fields);
        assert!(left_out.is_empty(), "{left_out:?}");
        assert_eq!(values["country"], "53");
        assert_eq!(values["sex"], "2");
        let member = json!({"id": "m1", "unsubscribed_at": null, "updated_at": "2026-01-01 00:00:00",
            "fields": values.iter().map(|(k, v)| (k.clone(), json!({"value": v}))).collect::<Map<_, _>>()});
        let back = map.from_member(&list(), &member);
        let mut expected = fields.clone();
        expected.insert("permission".into(), "1".into());
        assert_eq!(back.fields, expected);
        // The flat shape, unsubscribed.
        let flat = json!({"id": "m2", "unsubscribed_at": "2026-01-02 00:00:00", "email": "x@y.dk", "firstname": "X"});
        let r = map.from_member(&list(), &flat);
        assert_eq!(r.fields["permission"], "0");
        assert_eq!(r.fields["first_name"], "X");
    }

    #[test]
    fn values_the_list_cannot_take_are_left_out_and_named() {
        let map = FieldMap::new("customer_group", &BTreeMap::new());
        let fields: Fields = [
            ("zip", "SW1A 1AA"),
            ("country", "Atlantis"),
            ("total_orders", "3"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let (values, left_out) = map.to_member(&list(), &fields);
        assert!(values.is_empty());
        assert_eq!(left_out.len(), 3);
    }
}
