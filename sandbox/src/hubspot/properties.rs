//! Property definitions: HubSpot's standard properties per object, custom properties and
//! groups (`/crm/properties/2026-03/{objectType}`), and the validation of values written to
//! records.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Timelike, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::errors::{batch_error, ctx, json_response, ApiError, PropError};
use super::store::{iso_ms, now_ms, ObjectType};
use super::{AppState, JsonBody};

/// One option of an enumeration property.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PropertyOption {
    pub label: String,
    pub value: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub display_order: i64,
    #[serde(default)]
    pub hidden: bool,
}

/// A property definition as HubSpot describes it (`Property` in the properties spec).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PropertyDef {
    pub name: String,
    pub label: String,
    /// bool | date | datetime | enumeration | number | phone_number | string
    #[serde(rename = "type")]
    pub prop_type: String,
    pub field_type: String,
    pub description: String,
    pub group_name: String,
    pub options: Vec<PropertyOption>,
    pub display_order: i64,
    pub calculated: bool,
    pub external_options: bool,
    pub has_unique_value: bool,
    pub hidden: bool,
    pub hubspot_defined: bool,
    pub form_field: bool,
    /// `modificationMetadata.readOnlyValue`: writes are rejected.
    pub read_only_value: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl PropertyDef {
    fn standard(name: &str, label: &str, ty: &str, ft: &str, group: &str) -> Self {
        PropertyDef {
            name: name.into(),
            label: label.into(),
            prop_type: ty.into(),
            field_type: ft.into(),
            description: String::new(),
            group_name: group.into(),
            options: Vec::new(),
            display_order: -1,
            calculated: false,
            external_options: false,
            has_unique_value: false,
            hidden: false,
            hubspot_defined: true,
            form_field: ft != "calculation_equation",
            read_only_value: false,
            created_at: "2019-08-06T02:43:14.491Z".into(),
            updated_at: "2019-08-06T02:43:14.491Z".into(),
        }
    }

    fn ro(mut self) -> Self {
        self.read_only_value = true;
        self.form_field = false;
        self
    }

    fn calc(mut self) -> Self {
        self.calculated = true;
        self.ro()
    }

    fn ext(mut self) -> Self {
        self.external_options = true;
        self
    }

    fn opts(mut self, values: &[(&str, &str)]) -> Self {
        self.options = values
            .iter()
            .enumerate()
            .map(|(i, (v, l))| PropertyOption {
                label: (*l).into(),
                value: (*v).into(),
                description: String::new(),
                display_order: i as i64,
                hidden: false,
            })
            .collect();
        self
    }

    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "name": self.name,
            "label": self.label,
            "type": self.prop_type,
            "fieldType": self.field_type,
            "description": self.description,
            "groupName": self.group_name,
            "options": self.options,
            "displayOrder": self.display_order,
            "calculated": self.calculated,
            "externalOptions": self.external_options,
            "hasUniqueValue": self.has_unique_value,
            "hidden": self.hidden,
            "hubspotDefined": self.hubspot_defined,
            "formField": self.form_field,
            "modificationMetadata": {
                "archivable": !self.hubspot_defined,
                "readOnlyDefinition": self.hubspot_defined,
                "readOnlyValue": self.read_only_value,
            },
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
            "archived": false,
        });
        if !self.hubspot_defined {
            if let Value::Object(m) = &mut v {
                m.remove("hubspotDefined");
            }
        }
        v
    }
}

/// A property group (`PropertyGroup`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PropertyGroup {
    pub name: String,
    pub label: String,
    pub display_order: i64,
    pub archived: bool,
}

pub(crate) fn standard_groups(ot: ObjectType) -> Vec<PropertyGroup> {
    let g = |name: &str, label: &str, order: i64| PropertyGroup {
        name: name.into(),
        label: label.into(),
        display_order: order,
        archived: false,
    };
    match ot {
        ObjectType::Contacts => vec![
            g("contactinformation", "Contact information", 0),
            g("emailinformation", "Email information", 1),
            g("salesforceinformation", "Salesforce information", 2),
            g("conversioninformation", "Conversion information", 3),
            g("analyticsinformation", "Web analytics history", 4),
        ],
        ObjectType::Products => vec![g("productinformation", "Product information", 0)],
        ObjectType::Deals => vec![
            g("dealinformation", "Deal information", 0),
            g("deal_activity", "Deal activity", 1),
        ],
        ObjectType::LineItems => vec![g("lineiteminformation", "Line item information", 0)],
    }
}

/// Currencies offered for the currency-code properties. A real account offers only the
/// currencies it has switched on; this is the set a multi-currency account commonly has.
const CURRENCIES: &[&str] = &[
    "AED", "ARS", "AUD", "BGN", "BRL", "CAD", "CHF", "CLP", "CNY", "COP", "CZK", "DKK", "EGP",
    "EUR", "GBP", "HKD", "HUF", "IDR", "ILS", "INR", "ISK", "JPY", "KRW", "MXN", "MYR", "NGN",
    "NOK", "NZD", "PEN", "PHP", "PKR", "PLN", "RON", "RSD", "SAR", "SEK", "SGD", "THB", "TRY",
    "TWD", "UAH", "USD", "VND", "ZAR",
];

fn currency_options() -> Vec<(&'static str, &'static str)> {
    CURRENCIES.iter().map(|c| (*c, *c)).collect()
}

/// HubSpot's standard properties shipped for each object (the ones shopsync and its users
/// touch, plus the system ones every record has).
pub(crate) fn standard_properties(ot: ObjectType) -> Vec<PropertyDef> {
    use PropertyDef as P;
    match ot {
        ObjectType::Contacts => {
            let g = "contactinformation";
            vec![
                P::standard("email", "Email", "string", "text", g),
                P::standard("firstname", "First Name", "string", "text", g),
                P::standard("lastname", "Last Name", "string", "text", g),
                P::standard("salutation", "Salutation", "string", "text", g),
                P::standard("phone", "Phone Number", "string", "phonenumber", g),
                P::standard(
                    "mobilephone",
                    "Mobile Phone Number",
                    "string",
                    "phonenumber",
                    g,
                ),
                P::standard("fax", "Fax Number", "string", "phonenumber", g),
                P::standard("address", "Street Address", "string", "text", g),
                P::standard("city", "City", "string", "text", g),
                P::standard("state", "State/Region", "string", "text", g),
                P::standard("zip", "Postal Code", "string", "text", g),
                P::standard("country", "Country/Region", "string", "text", g),
                P::standard("company", "Company Name", "string", "text", g),
                P::standard("website", "Website URL", "string", "text", g),
                P::standard("jobtitle", "Job Title", "string", "text", g),
                P::standard("industry", "Industry", "string", "text", g),
                P::standard("message", "Message", "string", "textarea", g),
                P::standard("date_of_birth", "Date of birth", "string", "text", g),
                P::standard(
                    "lifecyclestage",
                    "Lifecycle Stage",
                    "enumeration",
                    "radio",
                    g,
                )
                .opts(&[
                    ("subscriber", "Subscriber"),
                    ("lead", "Lead"),
                    ("marketingqualifiedlead", "Marketing Qualified Lead"),
                    ("salesqualifiedlead", "Sales Qualified Lead"),
                    ("opportunity", "Opportunity"),
                    ("customer", "Customer"),
                    ("evangelist", "Evangelist"),
                    ("other", "Other"),
                ]),
                P::standard("hs_lead_status", "Lead Status", "enumeration", "radio", g).opts(&[
                    ("NEW", "New"),
                    ("OPEN", "Open"),
                    ("IN_PROGRESS", "In Progress"),
                    ("OPEN_DEAL", "Open Deal"),
                    ("UNQUALIFIED", "Unqualified"),
                    ("ATTEMPTED_TO_CONTACT", "Attempted to Contact"),
                    ("CONNECTED", "Connected"),
                    ("BAD_TIMING", "Bad Timing"),
                ]),
                P::standard(
                    "hs_language",
                    "Preferred language",
                    "enumeration",
                    "select",
                    g,
                )
                .opts(&[
                    ("en", "English"),
                    ("nl", "Dutch"),
                    ("de", "German"),
                    ("fr", "French"),
                    ("da", "Danish"),
                    ("no", "Norwegian"),
                    ("sv", "Swedish"),
                ]),
                P::standard(
                    "closedate",
                    "Close Date",
                    "datetime",
                    "date",
                    "salesforceinformation",
                ),
                P::standard(
                    "hs_email_optout",
                    "Unsubscribed from all email",
                    "bool",
                    "booleancheckbox",
                    "emailinformation",
                )
                .opts(&[("true", "Yes"), ("false", "No")])
                .ro(),
                P::standard(
                    "num_associated_deals",
                    "Number of Associated Deals",
                    "number",
                    "number",
                    "deal_activity",
                )
                .calc(),
                P::standard("hs_object_id", "Record ID", "number", "number", g).ro(),
                P::standard("createdate", "Create Date", "datetime", "date", g),
                P::standard(
                    "lastmodifieddate",
                    "Last Modified Date",
                    "datetime",
                    "date",
                    g,
                )
                .ro(),
            ]
        }
        ObjectType::Products => {
            let g = "productinformation";
            vec![
                P::standard("name", "Name", "string", "text", g),
                P::standard("description", "Description", "string", "textarea", g),
                P::standard("price", "Unit price", "number", "number", g),
                P::standard("hs_sku", "SKU", "string", "text", g),
                P::standard("hs_images", "Image URL", "string", "text", g),
                P::standard("hs_url", "URL", "string", "text", g),
                P::standard("hs_cost_of_goods_sold", "Unit cost", "number", "number", g),
                P::standard(
                    "hs_product_type",
                    "Product type",
                    "enumeration",
                    "select",
                    g,
                )
                .opts(&[
                    ("inventory", "Inventory"),
                    ("non_inventory", "Non-inventory"),
                    ("service", "Service"),
                ]),
                P::standard("hs_recurring_billing_period", "Term", "string", "text", g),
                P::standard(
                    "recurringbillingfrequency",
                    "Billing frequency",
                    "enumeration",
                    "select",
                    g,
                )
                .opts(&[
                    ("weekly", "Weekly"),
                    ("biweekly", "Biweekly"),
                    ("monthly", "Monthly"),
                    ("quarterly", "Quarterly"),
                    ("per_six_months", "Every six months"),
                    ("annually", "Annually"),
                ]),
                P::standard("tax", "Tax", "number", "number", g),
                P::standard("hs_folder_id", "Folder", "number", "number", g),
                P::standard("hs_object_id", "Record ID", "number", "number", g).ro(),
                P::standard("createdate", "Create Date", "datetime", "date", g),
                P::standard(
                    "hs_lastmodifieddate",
                    "Last Modified Date",
                    "datetime",
                    "date",
                    g,
                )
                .ro(),
            ]
        }
        ObjectType::Deals => {
            let g = "dealinformation";
            vec![
                P::standard("dealname", "Deal Name", "string", "text", g),
                P::standard("amount", "Amount", "number", "number", g),
                P::standard("pipeline", "Pipeline", "enumeration", "select", g).ext(),
                P::standard("dealstage", "Deal Stage", "enumeration", "radio", g).ext(),
                P::standard("closedate", "Close Date", "datetime", "date", g),
                P::standard("deal_currency_code", "Currency", "enumeration", "select", g)
                    .opts(&currency_options()),
                P::standard("dealtype", "Deal Type", "enumeration", "radio", g).opts(&[
                    ("newbusiness", "New Business"),
                    ("existingbusiness", "Existing Business"),
                ]),
                P::standard("description", "Deal Description", "string", "textarea", g),
                P::standard(
                    "closed_lost_reason",
                    "Closed Lost Reason",
                    "string",
                    "textarea",
                    g,
                ),
                P::standard(
                    "closed_won_reason",
                    "Closed Won Reason",
                    "string",
                    "textarea",
                    g,
                ),
                P::standard("hs_priority", "Priority", "enumeration", "select", g).opts(&[
                    ("low", "Low"),
                    ("medium", "Medium"),
                    ("high", "High"),
                ]),
                P::standard(
                    "hs_is_closed",
                    "Is Deal Closed?",
                    "bool",
                    "booleancheckbox",
                    g,
                )
                .opts(&[("true", "True"), ("false", "False")])
                .calc(),
                P::standard(
                    "num_associated_contacts",
                    "Number of Associated Contacts",
                    "number",
                    "number",
                    "deal_activity",
                )
                .calc(),
                P::standard("hs_object_id", "Record ID", "number", "number", g).ro(),
                P::standard("createdate", "Create Date", "datetime", "date", g),
                P::standard(
                    "hs_lastmodifieddate",
                    "Last Modified Date",
                    "datetime",
                    "date",
                    g,
                )
                .ro(),
            ]
        }
        ObjectType::LineItems => {
            let g = "lineiteminformation";
            vec![
                P::standard("name", "Name", "string", "text", g),
                P::standard("description", "Description", "string", "textarea", g),
                P::standard("quantity", "Quantity", "number", "number", g),
                P::standard("price", "Unit price", "number", "number", g),
                P::standard("amount", "Net price", "number", "calculation_equation", g).calc(),
                P::standard("discount", "Unit discount", "number", "number", g),
                P::standard(
                    "hs_discount_percentage",
                    "Discount Percentage",
                    "number",
                    "number",
                    g,
                ),
                P::standard("hs_product_id", "Product ID", "number", "number", g),
                P::standard("hs_sku", "SKU", "string", "text", g),
                P::standard("hs_images", "Image URL", "string", "text", g),
                P::standard("hs_url", "URL", "string", "text", g),
                P::standard("tax", "Tax", "number", "number", g),
                P::standard(
                    "hs_line_item_currency_code",
                    "Currency",
                    "enumeration",
                    "select",
                    g,
                )
                .opts(&currency_options()),
                P::standard(
                    "hs_position_on_quote",
                    "Position on quote",
                    "number",
                    "number",
                    g,
                ),
                P::standard("hs_object_id", "Record ID", "number", "number", g).ro(),
                P::standard("createdate", "Create Date", "datetime", "date", g),
                P::standard(
                    "hs_lastmodifieddate",
                    "Last Modified Date",
                    "datetime",
                    "date",
                    g,
                )
                .ro(),
            ]
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Values

/// A JSON property value as HubSpot reads it: strings as they are, numbers and booleans as
/// their text, null as "" (clears the property).
pub(crate) fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

/// Checks a value against its property and returns it as stored (`None` clears the property:
/// "Properties values can be cleared by passing an empty string").
pub(crate) fn normalize_value(
    ot: ObjectType,
    def: &PropertyDef,
    raw: &str,
) -> Result<Option<String>, PropError> {
    let name = def.name.as_str();
    if raw.is_empty() {
        return Ok(None);
    }
    match def.prop_type.as_str() {
        "number" => {
            let t = raw.trim();
            if is_decimal(t) {
                Ok(Some(t.to_string()))
            } else {
                // "discount was not a valid number" / "1.42e-14 was not a valid number.", code
                // INVALID_INTEGER (error-handling doc; marketing-automation#206).
                Err(PropError::new(
                    name,
                    "INVALID_INTEGER",
                    format!("{raw} was not a valid number."),
                ))
            }
        }
        "bool" => match raw {
            "true" | "false" => Ok(Some(raw.to_string())),
            _ => Err(PropError::new(
                name,
                "INVALID_BOOLEAN",
                format!("{raw} was not a valid boolean. Valid values are true and false."),
            )),
        },
        "enumeration" => {
            if def.external_options {
                // Pipelines and stages are checked against the pipelines by the deal rules.
                return Ok(Some(raw.to_string()));
            }
            let allowed = |v: &str| def.options.iter().any(|o| o.value == v);
            let values: Vec<&str> = if def.field_type == "checkbox" {
                raw.split(';').collect()
            } else {
                vec![raw]
            };
            for v in values {
                if !allowed(v) {
                    // "reports was not one of the allowed options: [A, B]" (INVALID_OPTION).
                    let list: Vec<&str> = def.options.iter().map(|o| o.value.as_str()).collect();
                    return Err(PropError::new(
                        name,
                        "INVALID_OPTION",
                        format!(
                            "{v} was not one of the allowed options: [{}]",
                            list.join(", ")
                        ),
                    ));
                }
            }
            Ok(Some(raw.to_string()))
        }
        "date" => match parse_time(raw) {
            Some(ms) if ms.rem_euclid(86_400_000) == 0 => Ok(Some(
                DateTime::<Utc>::from_timestamp_millis(ms)
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
            )),
            Some(_) => Err(PropError::new(
                name,
                "INVALID_DATE",
                format!("{raw} is not a valid date: date values must be at midnight UTC"),
            )),
            None => Err(PropError::new(
                name,
                "INVALID_DATE",
                format!("{raw} is not a valid date"),
            )),
        },
        "datetime" => match parse_time(raw) {
            Some(ms) => Ok(Some(iso_ms(ms))),
            None => Err(PropError::new(
                name,
                "INVALID_DATETIME",
                format!(
                    "{raw} is not a valid datetime: use ISO 8601 or milliseconds since the epoch"
                ),
            )),
        },
        _ => {
            if raw.chars().count() > 65_536 {
                return Err(PropError::new(
                    name,
                    "INVALID_STRING_LENGTH",
                    format!("Value for property {name} is longer than 65536 characters"),
                ));
            }
            if ot == ObjectType::Contacts && name == "email" {
                let v = raw.trim().to_lowercase();
                if !valid_email(&v) {
                    // "Email address x is invalid", INVALID_EMAIL (marketing-automation#174).
                    return Err(PropError::new(
                        name,
                        "INVALID_EMAIL",
                        format!("Email address {raw} is invalid"),
                    ));
                }
                return Ok(Some(v));
            }
            Ok(Some(raw.to_string()))
        }
    }
}

/// A plain decimal: optional sign, digits, optional fraction. HubSpot refuses exponents
/// ("1.4210854715202004e-14 was not a valid number.").
pub(crate) fn is_decimal(s: &str) -> bool {
    let s = s
        .strip_prefix('-')
        .or_else(|| s.strip_prefix('+'))
        .unwrap_or(s);
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let digits = |p: &str| p.chars().all(|c| c.is_ascii_digit());
    match frac {
        None => !int.is_empty() && digits(int),
        Some(f) => (!int.is_empty() || !f.is_empty()) && digits(int) && digits(f) && !f.is_empty(),
    }
}

/// ISO 8601 (date, date-time with or without offset) or epoch milliseconds, as epoch ms.
pub(crate) fn parse_time(raw: &str) -> Option<i64> {
    let s = raw.trim();
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse::<i64>().ok();
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.timestamp_millis());
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(d.and_utc().timestamp_millis());
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc().timestamp_millis());
    }
    None
}

/// HubSpot's e-mail rule as its staff describe it (community thread "contacts integration -
/// invalid e-mails"): RFC-shaped, no quotes in the local part, and the domain must end in a
/// real top-level domain. The TLD check here is shape only (letters, two or more).
pub(crate) fn valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    if local.is_empty() || domain.is_empty() || domain.contains('@') || s.len() > 254 {
        return false;
    }
    let local_ok = local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && {
            let tld = labels[labels.len() - 1];
            tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic)
        };
    local_ok && domain_ok
}

/// Midnight check helper for tests of date values.
#[allow(dead_code)]
pub(crate) fn is_midnight(ms: i64) -> bool {
    DateTime::<Utc>::from_timestamp_millis(ms).is_some_and(|d| d.num_seconds_from_midnight() == 0)
}

// ---------------------------------------------------------------------------------------------
// Creating properties

const TYPES: &[&str] = &[
    "bool",
    "date",
    "datetime",
    "enumeration",
    "number",
    "phone_number",
    "string",
];

/// Field types allowed for each type (properties guide: "Property type and fieldType values").
fn field_types_for(ty: &str) -> &'static [&'static str] {
    match ty {
        "bool" => &["booleancheckbox", "calculation_equation"],
        "enumeration" => &[
            "booleancheckbox",
            "checkbox",
            "radio",
            "select",
            "calculation_equation",
        ],
        "date" | "datetime" => &["date", "calculation_equation"],
        "number" => &["number", "calculation_equation"],
        "phone_number" => &["phonenumber"],
        _ => &[
            "text",
            "textarea",
            "file",
            "html",
            "phonenumber",
            "calculation_equation",
        ],
    }
}

/// Builds a custom property from a `PropertyCreate` body, or says why not.
pub(crate) fn property_from_input(
    existing: &[PropertyDef],
    groups: &[PropertyGroup],
    input: &Value,
) -> Result<PropertyDef, ApiError> {
    let Some(obj) = input.as_object() else {
        return Err(ApiError::validation(
            "Invalid input JSON: expected an object",
        ));
    };
    let s = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_string);
    let missing: Vec<&str> = ["name", "label", "type", "fieldType", "groupName"]
        .into_iter()
        .filter(|k| s(k).is_none_or(|v| v.is_empty()))
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::missing_fields(&missing));
    }
    let name = s("name").unwrap_or_default();
    let ty = s("type").unwrap_or_default();
    let ft = s("fieldType").unwrap_or_default();
    let group = s("groupName").unwrap_or_default();
    let name_ok = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !name_ok {
        return Err(ApiError::validation(format!(
            "Property name must be lowercase, start with a letter and contain only letters, \
             numbers and underscores, but given: {name}"
        )));
    }
    if existing.iter().any(|p| p.name == name) {
        return Err(property_exists(&name));
    }
    if existing.iter().filter(|p| !p.hubspot_defined).count() >= 1000 {
        // "there is a 1,000 property limit" (legacy contacts property docs).
        return Err(ApiError::validation(
            "This object already has 1000 custom properties",
        ));
    }
    if !TYPES.contains(&ty.as_str()) {
        return Err(ApiError::validation(format!(
            "Invalid property type {ty}; must be one of [{}]",
            TYPES.join(", ")
        )));
    }
    if !field_types_for(&ty).contains(&ft.as_str()) {
        return Err(ApiError::validation(format!(
            "Invalid fieldType {ft} for property type {ty}; must be one of [{}]",
            field_types_for(&ty).join(", ")
        )));
    }
    if !groups.iter().any(|g| g.name == group) {
        return Err(ApiError::validation(format!(
            "Property group {group} does not exist"
        )));
    }
    let unique = obj
        .get("hasUniqueValue")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if unique && existing.iter().filter(|p| p.has_unique_value).count() >= 10 {
        // "You can have up to ten unique ID properties per object" (properties guide).
        return Err(ApiError::validation(
            "You can have up to ten unique ID properties per object",
        ));
    }
    let mut options = Vec::new();
    if let Some(list) = obj.get("options") {
        options = serde_json::from_value::<Vec<PropertyOption>>(list.clone())
            .map_err(|e| ApiError::validation(format!("Invalid options: {e}")))?;
    }
    if ty == "enumeration" && options.is_empty() {
        return Err(ApiError::validation(
            "Enumeration properties need at least one option",
        ));
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(dup) = options.iter().find(|o| !seen.insert(o.value.clone())) {
        return Err(ApiError::validation(format!(
            "Duplicate option value {}",
            dup.value
        )));
    }
    let now = iso_ms(now_ms());
    Ok(PropertyDef {
        name,
        label: s("label").unwrap_or_default(),
        prop_type: ty,
        field_type: ft.clone(),
        description: s("description").unwrap_or_default(),
        group_name: group,
        options,
        display_order: obj
            .get("displayOrder")
            .and_then(Value::as_i64)
            .unwrap_or(-1),
        calculated: false,
        external_options: false,
        has_unique_value: unique,
        hidden: obj.get("hidden").and_then(Value::as_bool).unwrap_or(false),
        hubspot_defined: false,
        form_field: obj
            .get("formField")
            .and_then(Value::as_bool)
            .unwrap_or(ft != "calculation_equation"),
        read_only_value: false,
        created_at: now.clone(),
        updated_at: now,
    })
}

/// 409 for a name that is taken. Wording and category are this fake's reading: HubSpot's docs
/// only say "Returns a 409 Conflict error if there is already a property with the 'name'".
fn property_exists(name: &str) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "OBJECT_ALREADY_EXISTS",
        format!("Property named '{name}' already exists."),
    )
}

// ---------------------------------------------------------------------------------------------
// Handlers

fn object_type(s: &str) -> Result<ObjectType, ApiError> {
    ObjectType::parse(s).ok_or_else(|| ApiError::unknown_object_type(s))
}

pub(crate) async fn list(
    State(app): State<AppState>,
    Path(ot): Path<String>,
) -> Result<Response, ApiError> {
    let ot = object_type(&ot)?;
    let store = app.store();
    let results: Vec<Value> = store
        .obj(ot)
        .defs
        .iter()
        .map(PropertyDef::to_json)
        .collect();
    Ok(json_response(StatusCode::OK, &json!({"results": results})))
}

pub(crate) async fn get_one(
    State(app): State<AppState>,
    Path((ot, name)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let ot = object_type(&ot)?;
    let store = app.store();
    match store.obj(ot).prop(&name) {
        Some((_, def)) => Ok(json_response(StatusCode::OK, &def.to_json())),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "OBJECT_NOT_FOUND",
            format!(
                "Unable to find property {name} on object type {}",
                ot.type_id()
            ),
        )),
    }
}

pub(crate) async fn create(
    State(app): State<AppState>,
    Path(ot): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let ot = object_type(&ot)?;
    let mut store = app.store();
    let os = store.obj_mut(ot);
    let def = property_from_input(&os.defs, &os.groups, &body)?;
    let out = def.to_json();
    os.add_property(def);
    Ok(json_response(StatusCode::CREATED, &out))
}

pub(crate) async fn batch_create(
    State(app): State<AppState>,
    Path(ot): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let ot = object_type(&ot)?;
    let inputs = super::objects::inputs(&body, 100)?;
    let started = iso_ms(now_ms());
    let mut store = app.store();
    let os = store.obj_mut(ot);
    let mut results = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        match property_from_input(&os.defs, &os.groups, input) {
            Ok(def) => {
                results.push(def.to_json());
                os.add_property(def);
            }
            Err(e) => {
                let name = input
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                let category = e
                    .body
                    .get("category")
                    .and_then(Value::as_str)
                    .unwrap_or("VALIDATION_ERROR")
                    .to_string();
                errors.push(batch_error(
                    &category,
                    &e.message(),
                    ctx("name", vec![name]),
                ));
            }
        }
    }
    Ok(batch_response(
        StatusCode::CREATED,
        results,
        errors,
        &started,
    ))
}

/// `{status: COMPLETE, results, startedAt, completedAt}`, with `numErrors`/`errors` and status
/// 207 when some inputs failed.
pub(crate) fn batch_response(
    ok: StatusCode,
    results: Vec<Value>,
    errors: Vec<Value>,
    started: &str,
) -> Response {
    let mut body = Map::new();
    body.insert("status".into(), json!("COMPLETE"));
    body.insert("results".into(), Value::Array(results));
    let status = if errors.is_empty() {
        ok
    } else {
        body.insert("numErrors".into(), json!(errors.len()));
        body.insert("errors".into(), Value::Array(errors));
        StatusCode::MULTI_STATUS
    };
    body.insert("startedAt".into(), json!(started));
    body.insert("completedAt".into(), json!(iso_ms(now_ms())));
    json_response(status, &Value::Object(body))
}

pub(crate) async fn list_groups(
    State(app): State<AppState>,
    Path(ot): Path<String>,
) -> Result<Response, ApiError> {
    let ot = object_type(&ot)?;
    let store = app.store();
    let results: Vec<Value> = store.obj(ot).groups.iter().map(|g| json!(g)).collect();
    Ok(json_response(StatusCode::OK, &json!({"results": results})))
}

pub(crate) async fn get_group(
    State(app): State<AppState>,
    Path((ot, name)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let ot = object_type(&ot)?;
    let store = app.store();
    match store.obj(ot).groups.iter().find(|g| g.name == name) {
        Some(g) => Ok(json_response(StatusCode::OK, &json!(g))),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "OBJECT_NOT_FOUND",
            format!("Unable to find property group {name}"),
        )),
    }
}

pub(crate) async fn create_group(
    State(app): State<AppState>,
    Path(ot): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let ot = object_type(&ot)?;
    let name = body
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let label = body
        .get("label")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let mut missing = Vec::new();
    if name.is_empty() {
        missing.push("name");
    }
    if label.is_empty() {
        missing.push("label");
    }
    if !missing.is_empty() {
        return Err(ApiError::missing_fields(&missing));
    }
    let mut store = app.store();
    let os = store.obj_mut(ot);
    if os.groups.iter().any(|g| g.name == name) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "OBJECT_ALREADY_EXISTS",
            format!("Property group named '{name}' already exists."),
        ));
    }
    let group = PropertyGroup {
        name,
        label,
        display_order: body
            .get("displayOrder")
            .and_then(Value::as_i64)
            .unwrap_or(-1),
        archived: false,
    };
    let out = json!(group);
    os.groups.push(group);
    Ok(json_response(StatusCode::CREATED, &out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals() {
        for ok in ["0", "12", "-3", "+4", "1.5", "0.25", ".5", "10."] {
            assert_eq!(is_decimal(ok), ok != "10.", "{ok}");
        }
        for bad in ["", "abc", "1e5", "1.2.3", "1,5", "-", "."] {
            assert!(!is_decimal(bad), "{bad}");
        }
    }

    #[test]
    fn emails() {
        assert!(valid_email("luke@lukesdiner.com"));
        assert!(valid_email("a.b+c@sub.example.design"));
        for bad in [
            "plain",
            "a@b",
            "a@b.c",
            "\"q\"@x.com",
            "a@@x.com",
            "a b@x.com",
            "a@x.com1",
            "a@-x.com",
        ] {
            assert!(!valid_email(bad), "{bad}");
        }
    }

    #[test]
    fn times() {
        assert_eq!(parse_time("1572480000000"), Some(1_572_480_000_000));
        assert_eq!(parse_time("2019-10-31"), Some(1_572_480_000_000));
        assert_eq!(parse_time("2019-10-31T00:00:00Z"), Some(1_572_480_000_000));
        assert!(parse_time("31/10/2019").is_none());
        assert!(is_midnight(1_572_480_000_000));
    }
}
