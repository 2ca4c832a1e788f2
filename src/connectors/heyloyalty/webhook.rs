//! Heyloyalty's webhook calls, in the default snake_case payload
//! (`{"member_id","list_id","type","member"}`) and the newer camelCase one
//! (`{"memberId","listId","type","webhookId","queuedAt",…}`). The payload is only a pointer: the
//! member is read again by id before anything is applied (its 32-hex `signature` has no
//! documented algorithm).

use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEvent {
    /// `subscribe`, `update`, `unsubscribe`, or another event Heyloyalty sends (ignored).
    pub kind: String,
    pub member_id: String,
    pub list_id: u64,
    /// The e-mail in the payload, when there is one (the member may be gone by the time it is
    /// read again).
    pub email: Option<String>,
}

impl WebhookEvent {
    /// The events that can change a shop customer.
    pub fn applies(&self) -> bool {
        matches!(self.kind.as_str(), "subscribe" | "update" | "unsubscribe")
    }
}

/// Reads one webhook body; the error says what is missing.
pub fn parse(body: &[u8]) -> Result<WebhookEvent, String> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not JSON: {e}"))?;
    let get = |snake: &str, camel: &str| {
        let x = if v[snake].is_null() {
            &v[camel]
        } else {
            &v[snake]
        };
        match x {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let member_id = get("member_id", "memberId").ok_or("no member_id (or memberId)")?;
    let list_id = get("list_id", "listId")
        .ok_or("no list_id (or listId)")?
        .parse::<u64>()
        .map_err(|_| "list_id is not a number".to_string())?;
    let kind = v["type"]
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or("no type")?
        .to_lowercase();
    let email = match &v["member"]["fields"]["email"] {
        Value::Object(o) => o.get("value").and_then(|x| x.as_str()).map(str::to_string),
        Value::String(s) => Some(s.clone()),
        _ => v["member"]["email"].as_str().map(str::to_string),
    };
    Ok(WebhookEvent {
        kind,
        member_id,
        list_id,
        email: email.map(|e| e.to_lowercase()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_payload_styles() {
        let snake = br#"{"member_id":"aacd0c54-fb21-46c5-823c-a1bb1703d713","list_id":1,"type":"subscribe","signature":"a96cb5a5d8e45af7310adbfe14aab9e0","member":{"fields":{"email":"jane@example.com"}}}"#;
        let e = parse(snake).unwrap();
        assert_eq!((e.kind.as_str(), e.list_id), ("subscribe", 1));
        assert_eq!(e.email.as_deref(), Some("jane@example.com"));
        let camel = br#"{"memberId":"m-1","listId":"12","refId":null,"messageType":"member","type":"unsubscribe","webhookId":3,"queuedAt":"2026-01-01 00:00:00","signature":"x","member":{}}"#;
        let e = parse(camel).unwrap();
        assert_eq!(
            (e.member_id.as_str(), e.list_id, e.kind.as_str()),
            ("m-1", 12, "unsubscribe")
        );
        assert!(parse(b"{\"type\":\"update\"}").is_err());
        assert!(parse(b"not json").is_err());
    }
}
