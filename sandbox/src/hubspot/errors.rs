//! HubSpot's error bodies.
//!
//! Shape (developers.hubspot.com/docs/api-reference/error-handling and the spec's `Error`
//! schema): `status: "error"`, `message`, `correlationId`, `category`, and optionally
//! `subCategory`, `context` (values are arrays of strings) and `errors[]` with
//! `message`/`code`/`context`. Every error answer carries the correlation id in the body and in
//! the `X-HubSpot-Correlation-Id` header.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

/// A random version-4 UUID, the form HubSpot's correlation ids take.
pub(crate) fn correlation_id() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// The message of HubSpot's 401 (observed bodies in HubSpot/hubspot-api-nodejs#148 and #432;
/// the "API Key and" variant predates the 2022 API-key sunset).
pub(crate) const AUTH_MESSAGE: &str = "Authentication credentials not found. This API supports \
     OAuth 2.0 authentication and you can find more details at \
     https://developers.hubspot.com/docs/methods/auth/oauth-overview";

/// One invalid property value, as HubSpot lists them in "Property values were not valid".
#[derive(Debug, Clone)]
pub(crate) struct PropError {
    pub name: String,
    pub code: &'static str,
    pub message: String,
}

impl PropError {
    pub fn new(name: &str, code: &'static str, message: impl Into<String>) -> Self {
        PropError {
            name: name.to_string(),
            code,
            message: message.into(),
        }
    }

    pub fn doesnt_exist(name: &str) -> Self {
        PropError::new(
            name,
            "PROPERTY_DOESNT_EXIST",
            format!("Property \"{name}\" does not exist"),
        )
    }
}

/// `Property values were not valid: [...]` followed by the list as JSON, as in the bodies
/// quoted in the developer changelog ("Property Validations Rules will be enforced") and in
/// Atlas-Authority/marketing-automation#206; `errors[]` carries one entry per property.
pub(crate) fn property_values_message(errors: &[PropError]) -> String {
    let list: Vec<Value> = errors
        .iter()
        .map(|e| {
            json!({
                "isValid": false,
                "message": e.message,
                "error": e.code,
                "name": e.name,
                "localizedErrorMessage": e.message,
            })
        })
        .collect();
    format!("Property values were not valid: {}", Value::Array(list))
}

fn property_error_details(errors: &[PropError]) -> Vec<Value> {
    errors
        .iter()
        .map(|e| json!({"message": e.message, "code": e.code, "context": {"propertyName": [e.name]}}))
        .collect()
}

/// An error answer: a status and a HubSpot error body (the correlation id is added when sent).
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub body: Map<String, Value>,
}

impl ApiError {
    pub fn new(status: StatusCode, category: &str, message: impl Into<String>) -> Self {
        let mut body = Map::new();
        body.insert("status".into(), json!("error"));
        body.insert("message".into(), json!(message.into()));
        body.insert("category".into(), json!(category));
        ApiError { status, body }
    }

    /// A body without `category` (HubSpot's internal errors come without one).
    pub fn bare(status: StatusCode, message: impl Into<String>) -> Self {
        let mut e = ApiError::new(status, "", message);
        e.body.remove("category");
        e
    }

    pub fn field(mut self, key: &str, value: Value) -> Self {
        self.body.insert(key.into(), value);
        self
    }

    pub fn context(self, key: &str, values: Vec<String>) -> Self {
        let mut ctx = match self.body.get("context") {
            Some(Value::Object(m)) => m.clone(),
            _ => Map::new(),
        };
        ctx.insert(key.into(), json!(values));
        self.field("context", Value::Object(ctx))
    }

    pub fn sub_category(self, s: &str) -> Self {
        self.field("subCategory", json!(s))
    }

    pub fn message(&self) -> String {
        self.body
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    }

    pub fn validation(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", message)
    }

    /// Malformed JSON. HubSpot's wording: "Invalid input JSON on line 1, column 3: ..."
    /// (HubSpot/hubspot-api-php#227, HubSpot/hubspot-api-nodejs#307).
    pub fn invalid_json(err: &serde_json::Error) -> Self {
        let detail = err.to_string();
        let detail = match detail.find(" at line ") {
            Some(i) => detail[..i].to_string(),
            None => detail,
        };
        ApiError::validation(format!(
            "Invalid input JSON on line {}, column {}: {detail}",
            err.line(),
            err.column()
        ))
    }

    /// A body without a required field ("Some required fields were not set: [...]", as in
    /// HubSpot/hubspot-api-nodejs#307).
    pub fn missing_fields(fields: &[&str]) -> Self {
        ApiError::validation(format!(
            "Invalid input JSON on line 1, column 1: Some required fields were not set: [{}]",
            fields.join(", ")
        ))
    }

    pub fn empty_body() -> Self {
        // HubSpot/hubspot-api-ruby#187.
        ApiError::validation("Invalid JSON input: a request body was expected, but none found")
    }

    /// 404 for a record id that does not resolve. Message (two spaces included) and context as
    /// observed in public captures of `GET/PATCH /crm/v3/objects/{type}/{id}`.
    pub fn object_not_found(id: &str) -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "OBJECT_NOT_FOUND",
            "Object not found.  objectId are usually numeric.",
        )
        .context("id", vec![id.to_string()])
    }

    pub fn resource_not_found() -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "OBJECT_NOT_FOUND",
            "resource not found",
        )
    }

    /// An object type HubSpot does not know (HubSpot/hubspot-api-php#128, #233: a 400).
    pub fn unknown_object_type(s: &str) -> Self {
        ApiError::validation(format!("Unable to infer object type from: {s}"))
    }

    pub fn property_values(errors: &[PropError]) -> Self {
        ApiError::validation(property_values_message(errors))
            .field("errors", Value::Array(property_error_details(errors)))
    }

    /// More inputs than a batch endpoint takes ("Object API batch endpoints are limited to 100
    /// inputs per request", using-object-apis). The wording follows HubSpot's message for the
    /// property-history cap of batch read ("The maximum number of inputs supported in a batch
    /// request for property histories is 50. Please reduce ..."), the one such message on record.
    pub fn batch_too_large(max: usize) -> Self {
        ApiError::validation(format!(
            "The maximum number of inputs supported in a batch request is {max}. Please reduce \
             the number of items and try again"
        ))
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::CONFLICT, "CONFLICT", message)
    }

    pub fn unauthorized() -> Self {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "INVALID_AUTHENTICATION",
            AUTH_MESSAGE,
        )
    }

    /// 429 bodies: the daily variant is quoted in HubSpot's docs (community thread M47812); the
    /// ten-second variant only differs in message and policyName; `category: RATE_LIMITS` per
    /// the changelog "upcoming changes to error responses"; the per-second message from
    /// HGData/mk-node-hubspot PR #84.
    pub fn rate_limited(policy: &str) -> Self {
        let message = match policy {
            "DAILY" => "You have reached your daily limit.",
            "SECONDLY" => "You have reached your secondly limit.",
            _ => "You have reached your ten_secondly_rolling limit.",
        };
        ApiError::new(StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITS", message)
            .field("errorType", json!("RATE_LIMIT"))
            .field("policyName", json!(policy))
    }

    /// The body of a 5xx answer. HubSpot's own 500 reads
    /// `{"status":"error","message":"internal error","correlationId":"..."}`
    /// (HubSpot/hubspot-api-php#241); 502/503 come from its edge.
    pub fn server_error(code: u16) -> Self {
        let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        match code {
            502 => ApiError::bare(status, "Bad Gateway"),
            503 => ApiError::bare(status, "Service Unavailable"),
            _ => ApiError::bare(status, "internal error"),
        }
    }

    pub fn into_body(mut self, correlation: &str) -> Value {
        self.body.insert("correlationId".into(), json!(correlation));
        Value::Object(self.body)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let cid = correlation_id();
        let status = self.status;
        let body = self.into_body(&cid);
        let mut resp = json_response(status, &body);
        if let Ok(v) = HeaderValue::from_str(&cid) {
            resp.headers_mut().insert("x-hubspot-correlation-id", v);
        }
        resp
    }
}

/// A JSON answer with HubSpot's content type.
pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut resp = (status, bytes).into_response();
    resp.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=utf-8"),
    );
    resp
}

/// One entry of a 207 answer's `errors[]` (spec `StandardError`).
pub(crate) fn batch_error(category: &str, message: &str, context: Map<String, Value>) -> Value {
    json!({"status": "error", "category": category, "message": message, "context": context})
}

/// `{key: [value]}` for an error context.
pub(crate) fn ctx(key: &str, values: Vec<String>) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(key.to_string(), json!(values));
    m
}
