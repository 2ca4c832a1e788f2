//! The `query:` argument of Shopify connections: a subset of Shopify's search syntax.
//!
//! Supported: `field:value`, `field:'quoted value'`, `field:"quoted"`, comparisons
//! `field:>v`, `>=`, `<`, `<=`, prefix `value*`, free text, `AND` (also implicit), `OR`, `NOT`,
//! `-field:value`, and parentheses. A term naming a field the resource cannot be searched by is
//! ignored and reported as a warning, as Shopify does (`extensions.search`).

use serde_json::{json, Value};

#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Eq,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    All,
    And(Vec<Query>),
    Or(Vec<Query>),
    Not(Box<Query>),
    Term {
        field: Option<String>,
        op: Op,
        value: String,
    },
}

#[derive(Debug, Clone)]
enum Tok {
    Open,
    Close,
    Word(String),
}

fn tokenize(s: &str) -> Vec<Tok> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '(' {
            out.push(Tok::Open);
            i += 1;
            continue;
        }
        if c == ')' {
            out.push(Tok::Close);
            i += 1;
            continue;
        }
        let mut word = String::new();
        let mut quote: Option<char> = None;
        while i < chars.len() {
            let c = chars[i];
            match quote {
                Some(q) => {
                    if c == '\\' && i + 1 < chars.len() {
                        word.push(chars[i + 1]);
                        i += 2;
                        continue;
                    }
                    if c == q {
                        quote = None;
                    }
                    word.push(c);
                }
                None => {
                    if c.is_whitespace() || c == ')' || (c == '(' && !word.is_empty()) {
                        break;
                    }
                    if c == '\'' || c == '"' {
                        quote = Some(c);
                    }
                    word.push(c);
                }
            }
            i += 1;
        }
        out.push(Tok::Word(word));
    }
    out
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    for q in ['\'', '"'] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return v[1..v.len() - 1].to_string();
        }
    }
    v.to_string()
}

fn term(word: &str) -> Query {
    // field:value, with the field an identifier.
    if let Some((f, rest)) = word.split_once(':') {
        if !f.is_empty()
            && f.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        {
            let (op, v) = if let Some(v) = rest.strip_prefix(">=") {
                (Op::Ge, v)
            } else if let Some(v) = rest.strip_prefix("<=") {
                (Op::Le, v)
            } else if let Some(v) = rest.strip_prefix('>') {
                (Op::Gt, v)
            } else if let Some(v) = rest.strip_prefix('<') {
                (Op::Lt, v)
            } else if let Some(v) = rest.strip_prefix('=') {
                (Op::Eq, v)
            } else {
                (Op::Eq, rest)
            };
            return Query::Term {
                field: Some(f.to_ascii_lowercase()),
                op,
                value: unquote(v),
            };
        }
    }
    Query::Term {
        field: None,
        op: Op::Eq,
        value: unquote(word),
    }
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek_word(&self) -> Option<&str> {
        match self.toks.get(self.pos) {
            Some(Tok::Word(w)) => Some(w.as_str()),
            _ => None,
        }
    }
    fn or(&mut self) -> Query {
        let mut parts = vec![self.and()];
        while self.peek_word() == Some("OR") {
            self.pos += 1;
            parts.push(self.and());
        }
        if parts.len() == 1 {
            parts.pop().unwrap()
        } else {
            Query::Or(parts)
        }
    }
    fn and(&mut self) -> Query {
        let mut parts = Vec::new();
        loop {
            match self.toks.get(self.pos) {
                None | Some(Tok::Close) => break,
                Some(Tok::Word(w)) if w == "OR" => break,
                Some(Tok::Word(w)) if w == "AND" => {
                    self.pos += 1;
                    continue;
                }
                _ => parts.push(self.unary()),
            }
        }
        match parts.len() {
            0 => Query::All,
            1 => parts.pop().unwrap(),
            _ => Query::And(parts),
        }
    }
    fn unary(&mut self) -> Query {
        match self.toks.get(self.pos).cloned() {
            Some(Tok::Open) => {
                self.pos += 1;
                let q = self.or();
                if matches!(self.toks.get(self.pos), Some(Tok::Close)) {
                    self.pos += 1;
                }
                q
            }
            Some(Tok::Word(w)) if w == "NOT" => {
                self.pos += 1;
                Query::Not(Box::new(self.unary()))
            }
            Some(Tok::Word(w)) => {
                self.pos += 1;
                if let Some(rest) = w.strip_prefix('-') {
                    if !rest.is_empty() {
                        return Query::Not(Box::new(term(rest)));
                    }
                }
                term(&w)
            }
            Some(Tok::Close) | None => {
                self.pos += 1;
                Query::All
            }
        }
    }
}

pub fn parse(s: &str) -> Query {
    let mut p = Parser {
        toks: tokenize(s),
        pos: 0,
    };
    let mut q = p.or();
    // Stray closing parentheses: keep going like a lenient search box.
    while p.pos < p.toks.len() {
        p.pos += 1;
        let more = p.or();
        q = Query::And(vec![q, more]);
    }
    q
}

/// A value a record can be searched by.
#[derive(Debug, Clone)]
pub enum Val {
    Text(String),
    Time(i64),
    Num(f64),
}

/// The search fields of one resource: `None` when the resource cannot be searched by `field`.
pub type FieldFn = fn(&str, &Value) -> Option<Vec<Val>>;

fn s(v: &Value, ptr: &str) -> Vec<Val> {
    match v.pointer(ptr) {
        Some(Value::String(x)) => vec![Val::Text(x.clone())],
        Some(Value::Number(n)) => vec![Val::Num(n.as_f64().unwrap_or(0.0))],
        Some(Value::Bool(b)) => vec![Val::Text(b.to_string())],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(|x| Val::Text(x.to_string())))
            .collect(),
        _ => vec![],
    }
}

fn t(v: &Value, ptr: &str) -> Vec<Val> {
    v.pointer(ptr)
        .and_then(|x| x.as_str())
        .and_then(crate::seed::parse_time)
        .map(|x| vec![Val::Time(x)])
        .unwrap_or_default()
}

fn n(v: &Value, ptr: &str) -> Vec<Val> {
    match v.pointer(ptr) {
        Some(Value::String(x)) => x
            .parse::<f64>()
            .map(|f| vec![Val::Num(f)])
            .unwrap_or_default(),
        Some(Value::Number(x)) => vec![Val::Num(x.as_f64().unwrap_or(0.0))],
        _ => vec![],
    }
}

fn conn_strings(v: &Value, conn: &str, field: &str) -> Vec<Val> {
    v.pointer(&format!("/{conn}/__conn"))
        .and_then(|a| a.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| x.get(field).and_then(|s| s.as_str()))
                .filter(|s| !s.is_empty())
                .map(|s| Val::Text(s.to_string()))
                .collect()
        })
        .unwrap_or_default()
}

fn id_of(v: &Value) -> Vec<Val> {
    n(v, "/legacyResourceId")
}

pub fn customer_fields(field: &str, v: &Value) -> Option<Vec<Val>> {
    Some(match field {
        "email" => {
            let mut out = s(v, "/defaultEmailAddress/emailAddress");
            if out.is_empty() {
                out = s(v, "/email");
            }
            out
        }
        "phone" => s(v, "/defaultPhoneNumber/phoneNumber"),
        "first_name" => s(v, "/firstName"),
        "last_name" => s(v, "/lastName"),
        "name" => s(v, "/displayName"),
        "tag" => s(v, "/tags"),
        "state" => s(v, "/state"),
        "accepts_marketing" => vec![Val::Text(
            (v.pointer("/defaultEmailAddress/marketingState") == Some(&json!("SUBSCRIBED")))
                .to_string(),
        )],
        "email_marketing_state" => s(v, "/defaultEmailAddress/marketingState"),
        "country" => {
            let mut out = s(v, "/defaultAddress/country");
            out.extend(s(v, "/defaultAddress/countryCodeV2"));
            out
        }
        "orders_count" | "number_of_orders" => n(v, "/numberOfOrders"),
        "amount_spent" | "total_spent" => n(v, "/amountSpent/amount"),
        "tax_exempt" => s(v, "/taxExempt"),
        "verified_email" => s(v, "/verifiedEmail"),
        "created_at" | "customer_date" => t(v, "/createdAt"),
        "updated_at" => t(v, "/updatedAt"),
        "id" => id_of(v),
        "" => {
            let mut out = s(v, "/displayName");
            out.extend(s(v, "/defaultEmailAddress/emailAddress"));
            out.extend(s(v, "/defaultPhoneNumber/phoneNumber"));
            out.extend(s(v, "/tags"));
            out
        }
        _ => return None,
    })
}

pub fn product_fields(field: &str, v: &Value) -> Option<Vec<Val>> {
    Some(match field {
        "title" => s(v, "/title"),
        "handle" => s(v, "/handle"),
        "vendor" => s(v, "/vendor"),
        "product_type" => s(v, "/productType"),
        "tag" => s(v, "/tags"),
        "status" => s(v, "/status"),
        "sku" => conn_strings(v, "variants", "sku"),
        "barcode" => conn_strings(v, "variants", "barcode"),
        "published_status" => vec![Val::Text(
            if v.get("publishedAt").is_some_and(|p| !p.is_null()) {
                "published"
            } else {
                "unpublished"
            }
            .into(),
        )],
        "gift_card" => s(v, "/isGiftCard"),
        "inventory_total" => n(v, "/totalInventory"),
        "created_at" => t(v, "/createdAt"),
        "updated_at" => t(v, "/updatedAt"),
        "published_at" => t(v, "/publishedAt"),
        "id" => id_of(v),
        "" => {
            let mut out = s(v, "/title");
            out.extend(s(v, "/vendor"));
            out.extend(s(v, "/productType"));
            out.extend(s(v, "/tags"));
            out.extend(conn_strings(v, "variants", "sku"));
            out
        }
        _ => return None,
    })
}

pub fn variant_fields(field: &str, v: &Value) -> Option<Vec<Val>> {
    Some(match field {
        "sku" => s(v, "/sku"),
        "barcode" => s(v, "/barcode"),
        "title" => s(v, "/title"),
        "product_id" => v
            .pointer("/product/__ref")
            .and_then(|g| g.as_str())
            .and_then(crate::seed::parse_gid)
            .map(|(_, id)| vec![Val::Num(id as f64)])
            .unwrap_or_default(),
        "created_at" => t(v, "/createdAt"),
        "updated_at" => t(v, "/updatedAt"),
        "inventory_quantity" => n(v, "/inventoryQuantity"),
        "id" => id_of(v),
        "" => {
            let mut out = s(v, "/sku");
            out.extend(s(v, "/title"));
            out.extend(s(v, "/displayName"));
            out
        }
        _ => return None,
    })
}

pub fn order_fields(field: &str, v: &Value) -> Option<Vec<Val>> {
    Some(match field {
        "name" => {
            let mut out = s(v, "/name");
            if let Some(num) = v.get("number") {
                out.push(Val::Text(num.to_string()));
            }
            out
        }
        "email" => s(v, "/email"),
        "financial_status" => s(v, "/displayFinancialStatus"),
        "fulfillment_status" => {
            let st = v
                .get("displayFulfillmentStatus")
                .and_then(|x| x.as_str())
                .unwrap_or("");
            let mut out = vec![Val::Text(st.to_string())];
            match st {
                "FULFILLED" => out.push(Val::Text("shipped".into())),
                "PARTIALLY_FULFILLED" => out.push(Val::Text("partial".into())),
                "UNFULFILLED" | "OPEN" => out.push(Val::Text("unshipped".into())),
                _ => {}
            }
            out
        }
        "status" => {
            let cancelled = v.get("cancelledAt").is_some_and(|x| !x.is_null());
            let closed = v.get("closed") == Some(&json!(true));
            vec![Val::Text(
                if cancelled {
                    "cancelled"
                } else if closed {
                    "closed"
                } else {
                    "open"
                }
                .into(),
            )]
        }
        "sku" => conn_strings(v, "lineItems", "sku"),
        "customer_id" => v
            .pointer("/customer/__ref")
            .and_then(|g| g.as_str())
            .and_then(crate::seed::parse_gid)
            .map(|(_, id)| vec![Val::Num(id as f64)])
            .unwrap_or_default(),
        "tag" => s(v, "/tags"),
        "gateway" => s(v, "/paymentGatewayNames"),
        "source_name" => s(v, "/sourceName"),
        "test" => s(v, "/test"),
        "created_at" => t(v, "/createdAt"),
        "updated_at" => t(v, "/updatedAt"),
        "processed_at" => t(v, "/processedAt"),
        "cancelled_at" => t(v, "/cancelledAt"),
        "id" => id_of(v),
        "" => {
            let mut out = s(v, "/name");
            out.extend(s(v, "/email"));
            out.extend(conn_strings(v, "lineItems", "sku"));
            out
        }
        _ => return None,
    })
}

pub fn checkout_fields(field: &str, v: &Value) -> Option<Vec<Val>> {
    Some(match field {
        "created_at" => t(v, "/createdAt"),
        "updated_at" => t(v, "/updatedAt"),
        "status" => vec![Val::Text(
            if v.get("completedAt").is_some_and(|x| !x.is_null()) {
                "closed"
            } else {
                "open"
            }
            .into(),
        )],
        "id" => n(v, "/id").into_iter().chain(gid_num(v)).collect(),
        "" => s(v, "/name"),
        _ => return None,
    })
}

fn gid_num(v: &Value) -> Vec<Val> {
    v.get("id")
        .and_then(|x| x.as_str())
        .and_then(crate::seed::parse_gid)
        .map(|(_, id)| vec![Val::Num(id as f64)])
        .unwrap_or_default()
}

pub fn event_fields(field: &str, v: &Value) -> Option<Vec<Val>> {
    Some(match field {
        "action" | "verb" => s(v, "/action"),
        "subject_type" => s(v, "/subjectType"),
        "subject_id" => v
            .get("subjectId")
            .and_then(|x| x.as_str())
            .and_then(crate::seed::parse_gid)
            .map(|(_, id)| vec![Val::Num(id as f64)])
            .unwrap_or_default(),
        "created_at" => t(v, "/createdAt"),
        "id" => gid_num(v),
        "" => s(v, "/message"),
        _ => return None,
    })
}

pub fn location_fields(field: &str, v: &Value) -> Option<Vec<Val>> {
    Some(match field {
        "name" => s(v, "/name"),
        "active" => s(v, "/isActive"),
        "id" => id_of(v),
        "created_at" => t(v, "/createdAt"),
        "" => s(v, "/name"),
        _ => return None,
    })
}

/// Field names the query used that the resource does not know.
pub fn unknown_fields(q: &Query, fields: FieldFn) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(q: &Query, fields: FieldFn, out: &mut Vec<String>) {
        match q {
            Query::And(p) | Query::Or(p) => p.iter().for_each(|x| walk(x, fields, out)),
            Query::Not(x) => walk(x, fields, out),
            Query::Term { field: Some(f), .. }
                if fields(f, &Value::Null).is_none() && !out.contains(f) =>
            {
                out.push(f.clone());
            }
            _ => {}
        }
    }
    walk(q, fields, &mut out);
    out
}

fn cmp_text(have: &str, op: &Op, want: &str) -> bool {
    let have_l = have.to_lowercase();
    let want_l = want.to_lowercase();
    match op {
        Op::Eq => {
            if let Some(prefix) = want_l.strip_suffix('*') {
                return have_l.starts_with(prefix)
                    || have_l
                        .split(|c: char| !c.is_alphanumeric())
                        .any(|w| w.starts_with(prefix));
            }
            have_l == want_l
                || (!want_l.contains(' ')
                    && have_l
                        .split(|c: char| c.is_whitespace() || c == '-' || c == ',' || c == '/')
                        .any(|w| w == want_l))
                || (want_l.contains(' ') && have_l.contains(&want_l))
        }
        Op::Gt => have_l.as_str() > want_l.as_str(),
        Op::Ge => have_l.as_str() >= want_l.as_str(),
        Op::Lt => have_l.as_str() < want_l.as_str(),
        Op::Le => have_l.as_str() <= want_l.as_str(),
    }
}

fn cmp_time(have: i64, op: &Op, want: &str) -> bool {
    let w = want.trim();
    let bare_date = w.len() == 10 && w.as_bytes().get(4) == Some(&b'-');
    let Some(at) = crate::seed::parse_time(w) else {
        return false;
    };
    match op {
        Op::Eq if bare_date => have >= at && have < at + 86_400,
        Op::Eq => have == at,
        Op::Gt => have > at,
        Op::Ge => have >= at,
        Op::Lt => have < at,
        Op::Le => have <= at,
    }
}

fn cmp_num(have: f64, op: &Op, want: &str) -> bool {
    let w = want.trim();
    let w = w.rsplit('/').next().unwrap_or(w);
    let Ok(want) = w.parse::<f64>() else {
        return false;
    };
    match op {
        Op::Eq => have == want,
        Op::Gt => have > want,
        Op::Ge => have >= want,
        Op::Lt => have < want,
        Op::Le => have <= want,
    }
}

pub fn matches(q: &Query, rec: &Value, fields: FieldFn) -> bool {
    match q {
        Query::All => true,
        Query::And(p) => p.iter().all(|x| matches(x, rec, fields)),
        Query::Or(p) => p.iter().any(|x| matches(x, rec, fields)),
        Query::Not(x) => {
            // An ignored (unknown-field) term stays ignored under NOT.
            if let Query::Term { field: Some(f), .. } = x.as_ref() {
                if fields(f, &Value::Null).is_none() {
                    return true;
                }
            }
            !matches(x, rec, fields)
        }
        Query::Term { field, op, value } => {
            let fname = field.as_deref().unwrap_or("");
            let Some(vals) = fields(fname, rec) else {
                return true;
            };
            if fname.is_empty() {
                let want = value.to_lowercase();
                return vals.iter().any(|v| match v {
                    Val::Text(s) => s.to_lowercase().contains(want.trim_end_matches('*')),
                    _ => false,
                });
            }
            if value == "*" {
                return !vals.is_empty();
            }
            vals.iter().any(|v| match v {
                Val::Text(s) => cmp_text(s, op, value),
                Val::Time(t) => cmp_time(*t, op, value),
                Val::Num(n) => cmp_num(*n, op, value),
            })
        }
    }
}

/// When the query is (a conjunction containing) a range on `field` over timestamps, the bounds
/// in seconds: (lower exclusive/inclusive, upper). Used to narrow index scans.
pub fn time_bounds(q: &Query, field: &str) -> (Option<i64>, Option<i64>) {
    let mut lo: Option<i64> = None;
    let mut hi: Option<i64> = None;
    let terms: Vec<&Query> = match q {
        Query::And(p) => p.iter().collect(),
        other => vec![other],
    };
    for t in terms {
        if let Query::Term {
            field: Some(f),
            op,
            value,
        } = t
        {
            if f == field {
                if let Some(at) = crate::seed::parse_time(value) {
                    match op {
                        Op::Gt => lo = Some(lo.map_or(at + 1, |l: i64| l.max(at + 1))),
                        Op::Ge => lo = Some(lo.map_or(at, |l: i64| l.max(at))),
                        Op::Lt => hi = Some(hi.map_or(at - 1, |h: i64| h.min(at - 1))),
                        Op::Le => hi = Some(hi.map_or(at, |h: i64| h.min(at))),
                        Op::Eq => {}
                    }
                }
            }
        }
    }
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ranges_and_booleans() {
        let q = parse("updated_at:>'2026-01-01T00:00:00Z' AND -status:draft OR sku:ABC-1");
        match q {
            Query::Or(p) => {
                assert_eq!(p.len(), 2);
                match &p[0] {
                    Query::And(a) => {
                        assert_eq!(
                            a[0],
                            Query::Term {
                                field: Some("updated_at".into()),
                                op: Op::Gt,
                                value: "2026-01-01T00:00:00Z".into()
                            }
                        );
                        assert!(matches!(a[1], Query::Not(_)));
                    }
                    other => panic!("{other:?}"),
                }
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn matches_records() {
        let rec = json!({"email": "a@b.dk", "defaultEmailAddress": {"emailAddress": "a@b.dk"},
            "updatedAt": "2026-02-01T00:00:00Z", "createdAt": "2025-01-01T00:00:00Z", "tags": ["vip"],
            "legacyResourceId": "12"});
        let yes = [
            "email:a@b.dk",
            "updated_at:>'2026-01-01T00:00:00Z'",
            "updated_at:>=2026-02-01T00:00:00Z",
            "created_at:<2025-06-01",
            "tag:vip",
            "NOT tag:wholesale",
            "-tag:wholesale",
            "(tag:wholesale OR tag:vip) AND id:12",
            "id:>10",
            "bogus_field:1",
        ];
        for y in yes {
            assert!(matches(&parse(y), &rec, customer_fields), "{y}");
        }
        let no = [
            "email:x@b.dk",
            "updated_at:>2026-02-01T00:00:00Z",
            "tag:vip AND tag:b2b",
            "id:<12",
        ];
        for n in no {
            assert!(!matches(&parse(n), &rec, customer_fields), "{n}");
        }
    }
}
