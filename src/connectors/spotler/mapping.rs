//! Which shop field fills which Spotler property, checked against both catalogues, and the
//! conversion of one customer into a contact.
//!
//! The shop side is described by its own field names (`email`, `billing.city`,
//! `attribute.relationNumber`) and kinds; the canonical `Customer` carries them in `fields`.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};

use super::client::Property;
use crate::state::Fields;

/// What a shop field holds, for the type check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ShopKind {
    String,
    Email,
    Date,
    DateTime,
    Int,
    Bool,
    /// `mr` / `ms` (Shopware's salutation keys).
    Salutation,
}

impl ShopKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ShopKind::String => "string",
            ShopKind::Email => "email",
            ShopKind::Date => "date",
            ShopKind::DateTime => "datetime",
            ShopKind::Int => "int",
            ShopKind::Bool => "bool",
            ShopKind::Salutation => "salutation",
        }
    }
}

/// One field of the shop's customer catalogue.
#[derive(Debug, Clone, Serialize)]
pub struct ShopField {
    pub name: String,
    pub kind: ShopKind,
}

/// Whether a shop field of `kind` can fill a Spotler property of type `spotler`.
pub fn compatible(spotler: &str, kind: ShopKind) -> bool {
    use ShopKind::*;
    match spotler {
        "string" | "postcode" => kind != Bool,
        "email" => kind == Email,
        "birthdate" | "date" | "dateTime" => matches!(kind, Date | DateTime),
        "int" | "money" => kind == Int,
        "gender" => kind == Salutation,
        "mobNr" => kind == String,
        _ => false, // `set`: only through the permission map
    }
}

/// The checked map: property -> shop field, and permission bit -> shop (bool) field.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FieldMap {
    pub fields: BTreeMap<String, String>,
    pub permissions: BTreeMap<i64, String>,
}

/// What the profile asks for: overrides of the defaults (an empty shop field unmaps the
/// property) and permission bits.
#[derive(Debug, Clone, Default)]
pub struct Requested {
    pub fields: BTreeMap<String, String>,
    pub permissions: BTreeMap<String, String>,
    /// The shop's permission field when the profile maps none (`newsletter` for Shopware).
    pub default_permission_field: String,
    /// Spotler property -> shop field before the profile's overrides (the source's standard
    /// map; a pair whose property or field does not exist is left out).
    pub defaults: Vec<(&'static str, &'static str)>,
}

/// Builds and checks the map. Every problem is listed (with where it is in the profile), none
/// is silently dropped; a default that does not fit the catalogues is left out quietly.
pub fn build(
    requested: &Requested,
    spotler: &[Property],
    shop: &[ShopField],
    table: &str,
) -> Result<FieldMap, Vec<String>> {
    let prop = |n: &str| spotler.iter().find(|p| p.name == n);
    let field = |n: &str| shop.iter().find(|f| f.name == n);
    let mut problems = Vec::new();
    let mut map = FieldMap::default();
    for (p, f) in &requested.defaults {
        if let (Some(p), Some(f)) = (prop(p), field(f)) {
            if compatible(&p.kind, f.kind) {
                map.fields.insert(p.name.clone(), f.name.clone());
            }
        }
    }
    for (p, f) in &requested.fields {
        let Some(property) = prop(p) else {
            problems.push(format!(
                "{table}.fields: `{p}` is not a contact property of this Spotler account"
            ));
            continue;
        };
        if f.trim().is_empty() {
            map.fields.remove(p);
            continue;
        }
        let Some(shop_field) = field(f) else {
            problems.push(format!(
                "{table}.fields: `{p} = \"{f}\"`: the shop has no customer field `{f}`"
            ));
            continue;
        };
        if property.kind == "set" {
            problems.push(format!(
                "{table}.fields: `{p}` is a set of bits; map permission bits in {table}.permissions"
            ));
            continue;
        }
        if !compatible(&property.kind, shop_field.kind) {
            problems.push(format!(
                "{table}.fields: `{p} = \"{f}\"`: Spotler's `{p}` is of type {} and cannot take the shop's {} field `{f}`",
                property.kind,
                shop_field.kind.as_str()
            ));
            continue;
        }
        map.fields.insert(p.clone(), f.clone());
    }
    if !map.fields.contains_key("email") {
        problems.push(format!(
            "{table}.fields: Spotler's `email` must be mapped (a new contact needs one)"
        ));
    }
    let bits: Vec<(i64, String)> = spotler
        .iter()
        .find(|p| p.name == "permissions")
        .map(|p| p.entries.clone())
        .unwrap_or_default();
    if requested.permissions.is_empty() {
        // Shopware's one permission goes to the account's first permission bit.
        if let (Some((bit, _)), Some(f)) =
            (bits.first(), field(&requested.default_permission_field))
        {
            map.permissions.insert(*bit, f.name.clone());
        }
    }
    for (bit, f) in &requested.permissions {
        let Ok(n) = bit.trim().parse::<i64>() else {
            problems.push(format!(
                "{table}.permissions: `{bit}` is not a permission bit number"
            ));
            continue;
        };
        if !bits.iter().any(|(b, _)| *b == n) {
            let known: Vec<String> = bits.iter().map(|(b, d)| format!("{b} ({d})")).collect();
            problems.push(format!(
                "{table}.permissions: this Spotler account has no permission bit {n}; it has {}",
                if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                }
            ));
            continue;
        }
        match field(f) {
            None => problems.push(format!(
                "{table}.permissions: `{bit} = \"{f}\"`: the shop has no customer field `{f}`"
            )),
            Some(sf) if sf.kind != ShopKind::Bool => problems.push(format!(
                "{table}.permissions: `{bit} = \"{f}\"`: `{f}` is a {} field; a permission needs a yes/no field",
                sf.kind.as_str()
            )),
            Some(_) => {
                map.permissions.insert(n, f.clone());
            }
        }
    }
    if problems.is_empty() {
        Ok(map)
    } else {
        Err(problems)
    }
}

/// A shop value as Spotler takes it for a property of type `spotler`; None when it cannot be
/// converted (the property is then left out, never sent wrong).
pub fn convert(spotler: &str, kind: ShopKind, value: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    match spotler {
        "gender" => Some(
            match value.to_ascii_lowercase().as_str() {
                "mr" | "herr" | "m" => "M",
                "ms" | "mrs" | "frau" | "f" => "F",
                _ => "U",
            }
            .into(),
        ),
        "birthdate" | "date" => value.get(..10).map(str::to_string),
        "dateTime" => match kind {
            ShopKind::Date => Some(format!("{}T00:00:00", value.get(..10)?)),
            _ => value.get(..19).map(str::to_string),
        },
        _ => Some(value.to_string()),
    }
}

/// The target fields of one customer (`externalId`, each mapped property, `permissions.N`).
pub fn contact_fields(
    map: &FieldMap,
    kinds: &BTreeMap<String, (String, ShopKind)>,
    shop: &BTreeMap<String, String>,
    external_id: &str,
) -> Fields {
    let mut out = Fields::new();
    out.insert("externalId".into(), external_id.to_string());
    for (p, f) in &map.fields {
        let Some((spotler_type, kind)) = kinds.get(p) else {
            continue;
        };
        if let Some(v) = shop.get(f).and_then(|v| convert(spotler_type, *kind, v)) {
            out.insert(p.clone(), v);
        }
    }
    for (bit, f) in &map.permissions {
        if let Some(v) = shop.get(f) {
            out.insert(format!("permissions.{bit}"), truthy(v).to_string());
        }
    }
    out
}

pub fn truthy(v: &str) -> bool {
    matches!(v.trim(), "1" | "true" | "yes")
}

/// The contact JSON for these target fields.
pub fn contact_json(fields: &Fields) -> Value {
    let mut properties = serde_json::Map::new();
    let mut permissions = Vec::new();
    for (k, v) in fields {
        if k == "externalId" {
            continue;
        }
        if let Some(bit) = k.strip_prefix("permissions.") {
            if let Ok(bit) = bit.parse::<i64>() {
                permissions.push(json!({"bit": bit, "enabled": v == "true"}));
            }
            continue;
        }
        properties.insert(k.clone(), json!(v));
    }
    if !permissions.is_empty() {
        properties.insert("permissions".into(), Value::Array(permissions));
    }
    json!({
        "externalId": fields.get("externalId"),
        "properties": properties,
        "channels": [{"name": "EMAIL", "value": true}],
    })
}

/// The target fields of a contact as Spotler holds it (for a dry run's plan and re-linking).
pub fn fields_of_contact(map: &FieldMap, contact: &Value) -> Fields {
    let mut out = Fields::new();
    if let Some(id) = contact["externalId"].as_str() {
        out.insert("externalId".into(), id.to_string());
    }
    for p in map.fields.keys() {
        match &contact["properties"][p] {
            Value::String(s) if !s.is_empty() => {
                out.insert(p.clone(), s.clone());
            }
            Value::Number(n) => {
                out.insert(p.clone(), n.to_string());
            }
            _ => {}
        }
    }
    for (bit, enabled) in permission_bits(contact) {
        if map.permissions.contains_key(&bit) {
            out.insert(format!("permissions.{bit}"), enabled.to_string());
        }
    }
    out
}

/// (bit, enabled) of a read contact's `properties.permissions`.
pub fn permission_bits(contact: &Value) -> Vec<(i64, bool)> {
    contact["properties"]["permissions"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| Some((p["bit"].as_i64()?, p["enabled"].as_bool()?)))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spotler() -> Vec<Property> {
        let p = |n: &str, k: &str| Property {
            name: n.into(),
            description: String::new(),
            kind: k.into(),
            entries: Vec::new(),
        };
        let mut v = vec![
            p("email", "email"),
            p("firstName", "string"),
            p("birthday", "birthdate"),
            p("gender", "gender"),
        ];
        v.push(Property {
            name: "permissions".into(),
            description: String::new(),
            kind: "set".into(),
            entries: vec![(1, "Nieuwsbrief".into()), (2, "Acties".into())],
        });
        v
    }

    fn shop() -> Vec<ShopField> {
        let f = |n: &str, k| ShopField {
            name: n.into(),
            kind: k,
        };
        vec![
            f("email", ShopKind::Email),
            f("firstname", ShopKind::String),
            f("birthday", ShopKind::Date),
            f("salutation", ShopKind::Salutation),
            f("newsletter", ShopKind::Bool),
            f("attribute.offers", ShopKind::Bool),
        ]
    }

    fn req() -> Requested {
        Requested {
            default_permission_field: "newsletter".into(),
            defaults: vec![
                ("email", "email"),
                ("firstName", "firstname"),
                ("gender", "salutation"),
                ("birthday", "birthday"),
                ("city", "billing.city"),
            ],
            ..Default::default()
        }
    }

    #[test]
    fn defaults_fit_both_catalogues() {
        let map = build(&req(), &spotler(), &shop(), "t").unwrap();
        assert_eq!(map.fields["firstName"], "firstname");
        assert_eq!(map.fields["gender"], "salutation");
        assert!(!map.fields.contains_key("city"));
        assert_eq!(map.permissions[&1], "newsletter");
    }

    #[test]
    fn bad_mappings_are_named() {
        let mut r = req();
        r.fields.insert("birthday".into(), "firstname".into());
        r.fields.insert("shoeSize".into(), "email".into());
        r.fields.insert("firstName".into(), "nickname".into());
        r.permissions.insert("7".into(), "newsletter".into());
        r.permissions.insert("2".into(), "firstname".into());
        let problems = build(&r, &spotler(), &shop(), "t").unwrap_err();
        assert_eq!(problems.len(), 5, "{problems:#?}");
        assert!(problems.iter().any(|p| p.contains("type birthdate")));
        assert!(problems
            .iter()
            .any(|p| p.contains("`shoeSize` is not a contact property")));
        assert!(problems
            .iter()
            .any(|p| p.contains("no customer field `nickname`")));
        assert!(problems.iter().any(|p| p.contains("no permission bit 7")));
        assert!(problems.iter().any(|p| p.contains("yes/no field")));
    }

    #[test]
    fn conversions() {
        assert_eq!(convert("gender", ShopKind::Salutation, "ms").unwrap(), "F");
        assert_eq!(
            convert("birthdate", ShopKind::Date, "1980-02-03T00:00:00+0100").unwrap(),
            "1980-02-03"
        );
        assert_eq!(convert("string", ShopKind::String, "  "), None);
    }
}
