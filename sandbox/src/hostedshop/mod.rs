//! Fake of HostedShop's SOAP API (`POST /service.php`), the API of Wannafind, SmartWeb and hosted
//! DanDomain shops.
//!
//! Facts: `../shared/api-notes/platforms.md` §4.2 and `platforms/hostedshop_soap_user_subset.json`
//! (the WSDL's User/Order operations and types).
//! - document/literal SOAP 1.1; the operation is the Body's first element; the answer is
//!   `<ns1:{Op}Response><{Op}Result>…` in namespace `https://api.hostedshop.io/service.php`.
//! - Session auth: `Solution_Connect(Username, Password)` sets a `PHPSESSID` cookie; any other call
//!   without a connected session faults `AUTH`. A new session starts with the default field sets.
//! - Output fields are opt-in: `User_SetFields` / `Order_SetFields` / `Order_SetOrderLineFields`
//!   with a comma list; by default only `Id`. One unknown name faults `NOSUCHPARAM` and keeps the
//!   old set.
//! - Dates are `YYYY-MM-DD HH:MM:SS`; `0000-00-00 00:00:00` means none. A malformed date faults
//!   `PARAM`.
//! - Faults: HTTP 500 with `<SOAP-ENV:Fault><faultcode>CODE</faultcode><faultstring>…`.
//! - Rate: the docs' 5 calls/s was not seen enforced (notes F27); the fake does not throttle but
//!   counts calls per operation, so tests can check a client's call budget.
//!
//! Where the notes are silent ([I]): `Solution_Connect` with wrong credentials faults `AUTH`;
//! `User_GetById` of an unknown id answers an empty `User`; the order date is `DateDelivered`.

pub use xml_tree as xml;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;

use xml::{escape, Element};

pub const NAMESPACE: &str = "https://api.hostedshop.io/service.php";
pub const DEFAULT_USERNAME: &str = "api-sandbox";
pub const DEFAULT_PASSWORD: &str = "sandbox-password-42";
pub const NULL_DATE: &str = "0000-00-00 00:00:00";

/// The `User` type's fields (WSDL order).
pub const USER_FIELDS: &[&str] = &[
    "Id",
    "Username",
    "Password",
    "UserGroupId",
    "Type",
    "Company",
    "CustomData",
    "Cvr",
    "Ean",
    "Firstname",
    "Lastname",
    "Sex",
    "Address",
    "Address2",
    "Zip",
    "City",
    "Country",
    "CountryCode",
    "Currency",
    "Phone",
    "Mobile",
    "Fax",
    "Email",
    "Url",
    "DiscountGroupId",
    "Newsletter",
    "Referer",
    "BirthDate",
    "DateCreated",
    "DateUpdated",
    "Approved",
    "LanguageISO",
    "LanguageAccess",
    "Description",
    "InterestFields",
    "Number",
    "Site",
    "ShippingType",
    "ShippingFirstname",
    "ShippingLastname",
    "ShippingCompany",
    "ShippingCvr",
    "ShippingEan",
    "ShippingAddress",
    "ShippingAddress2",
    "ShippingZip",
    "ShippingCity",
    "ShippingCountry",
    "ShippingCountryCode",
    "ShippingState",
    "ShippingPhone",
    "ShippingMobile",
    "ShippingEmail",
    "ShippingReferenceNumber",
    "Consent",
    "ConsentDate",
];
const ORDER_FIELDS: &[&str] = &[
    "Id",
    "InvoiceNumber",
    "CurrencyId",
    "Currency",
    "CustomerId",
    "Customer",
    "UserId",
    "User",
    "Site",
    "LanguageISO",
    "Status",
    "PaymentId",
    "Payment",
    "Transactions",
    "Vat",
    "Total",
    "OrderComment",
    "OrderCommentExternal",
    "CustomerComment",
    "DeliveryComment",
    "DeliveryTime",
    "TrackingCode",
    "DateDelivered",
    "DateDue",
    "DateSent",
    "DateUpdated",
    "OrderLines",
    "PackingId",
    "Packing",
    "DeliveryId",
    "Delivery",
    "DiscountCodes",
    "ReferenceNumber",
    "Origin",
    "ReferralCode",
];
const ORDERLINE_FIELDS: &[&str] = &[
    "Id",
    "OrderId",
    "ProductId",
    "VariantId",
    "Amount",
    "ProductTitle",
    "VariantTitle",
    "ItemNumber",
    "Price",
    "Discount",
    "Status",
];
const INT_FIELDS: &[&str] = &[
    "Id",
    "UserGroupId",
    "Sex",
    "CountryCode",
    "DiscountGroupId",
    "Site",
    "ShippingCountryCode",
];
const BOOL_FIELDS: &[&str] = &["Newsletter", "Approved", "Consent"];
const DATE_FIELDS: &[&str] = &["BirthDate", "DateCreated", "DateUpdated", "ConsentDate"];

#[derive(Debug, Clone)]
pub struct HostedShopConfig {
    pub username: String,
    pub password: String,
}

impl Default for HostedShopConfig {
    fn default() -> Self {
        HostedShopConfig {
            username: DEFAULT_USERNAME.into(),
            password: DEFAULT_PASSWORD.into(),
        }
    }
}

/// A customer: every scalar `User` field by its WSDL name, as text (`true`/`false`, dates as
/// `YYYY-MM-DD HH:MM:SS`).
pub type User = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq)]
pub struct UserGroup {
    pub id: i64,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrderLine {
    pub product_id: i64,
    pub title: String,
    pub amount: i64,
    pub price: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    pub id: i64,
    pub user_id: i64,
    pub total: f64,
    pub status: String,
    pub date_delivered: String,
    pub lines: Vec<OrderLine>,
}

struct Session {
    user_fields: Vec<String>,
    order_fields: Vec<String>,
    line_fields: Vec<String>,
}

impl Default for Session {
    fn default() -> Self {
        Session {
            user_fields: vec!["Id".into()],
            order_fields: vec!["Id".into()],
            line_fields: vec!["Id".into()],
        }
    }
}

#[derive(Default)]
struct Store {
    config: HostedShopConfig,
    sessions: BTreeMap<String, Session>,
    users: BTreeMap<i64, User>,
    groups: BTreeMap<i64, UserGroup>,
    orders: BTreeMap<i64, Order>,
    next_user: i64,
    next_group: i64,
    next_order: i64,
    calls: Vec<(String, bool)>,
    faults_left: u32,
    fault_code: String,
    /// Waited before each call is handled (a slow shop; a client may be killed meanwhile).
    delay: std::time::Duration,
    /// Every session ends right after the next successful call of this operation.
    expire_after: Option<String>,
}

/// In-process control of the HostedShop fake. Cheap to clone.
#[derive(Clone)]
pub struct HostedShopHandle {
    store: Arc<Mutex<Store>>,
}

fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%d %H:%M:%S").to_string()
}

fn valid_date(s: &str) -> bool {
    s == NULL_DATE || chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").is_ok()
}

pub fn build(config: HostedShopConfig) -> (HostedShopHandle, Router) {
    let store = Store {
        config,
        next_user: 1000,
        next_group: 0,
        next_order: 5000,
        ..Default::default()
    };
    let handle = HostedShopHandle {
        store: Arc::new(Mutex::new(store)),
    };
    let router = Router::new()
        .route("/service.php", post(endpoint))
        .with_state(handle.clone());
    (handle, router)
}

impl HostedShopHandle {
    pub fn username(&self) -> String {
        self.store.lock().unwrap().config.username.clone()
    }
    pub fn password(&self) -> String {
        self.store.lock().unwrap().config.password.clone()
    }
    pub fn groups(&self) -> Vec<UserGroup> {
        self.store
            .lock()
            .unwrap()
            .groups
            .values()
            .cloned()
            .collect()
    }
    /// A customer group created in the shop's admin.
    pub fn create_group(&self, title: &str) -> i64 {
        let mut st = self.store.lock().unwrap();
        st.next_group += 1;
        let id = st.next_group;
        st.groups.insert(
            id,
            UserGroup {
                id,
                title: title.into(),
            },
        );
        id
    }
    pub fn users(&self) -> Vec<User> {
        self.store.lock().unwrap().users.values().cloned().collect()
    }
    pub fn user(&self, id: i64) -> Option<User> {
        self.store.lock().unwrap().users.get(&id).cloned()
    }
    pub fn user_by_email(&self, email: &str) -> Option<User> {
        self.store
            .lock()
            .unwrap()
            .users
            .values()
            .find(|u| {
                u.get("Email")
                    .is_some_and(|e| e.eq_ignore_ascii_case(email))
            })
            .cloned()
    }
    /// A customer created in the shop (a checkout, the admin): returns its id.
    pub fn add_user(&self, fields: &[(&str, &str)]) -> i64 {
        let mut st = self.store.lock().unwrap();
        st.next_user += 1;
        let id = st.next_user;
        let mut u = blank_user(id);
        for (k, v) in fields {
            u.insert(k.to_string(), v.to_string());
        }
        if u.get("Username").is_none_or(|s| s.is_empty()) {
            let email = u.get("Email").cloned().unwrap_or_default();
            u.insert("Username".into(), email);
        }
        st.users.insert(id, u);
        id
    }
    /// An edit in the shop's admin: sets the fields and `DateUpdated`.
    pub fn update_user(&self, id: i64, fields: &[(&str, &str)]) {
        let mut st = self.store.lock().unwrap();
        if let Some(u) = st.users.get_mut(&id) {
            for (k, v) in fields {
                u.insert(k.to_string(), v.to_string());
            }
            u.insert("DateUpdated".into(), now());
        }
    }
    pub fn delete_user(&self, id: i64) {
        self.store.lock().unwrap().users.remove(&id);
    }
    pub fn add_order(&self, user_id: i64, date: &str, lines: &[(&str, i64, f64)]) -> i64 {
        let mut st = self.store.lock().unwrap();
        st.next_order += 1;
        let id = st.next_order;
        let lines: Vec<OrderLine> = lines
            .iter()
            .enumerate()
            .map(|(i, (title, amount, price))| OrderLine {
                product_id: 100 + i as i64,
                title: title.to_string(),
                amount: *amount,
                price: *price,
            })
            .collect();
        let total = lines.iter().map(|l| l.amount as f64 * l.price).sum();
        st.orders.insert(
            id,
            Order {
                id,
                user_id,
                total,
                status: "4".into(),
                date_delivered: date.into(),
                lines,
            },
        );
        id
    }
    pub fn orders(&self) -> Vec<Order> {
        self.store
            .lock()
            .unwrap()
            .orders
            .values()
            .cloned()
            .collect()
    }
    /// Calls answered, by operation, without faults.
    pub fn calls(&self, op: &str) -> usize {
        self.store
            .lock()
            .unwrap()
            .calls
            .iter()
            .filter(|(o, ok)| o == op && *ok)
            .count()
    }
    pub fn total_calls(&self) -> usize {
        self.store.lock().unwrap().calls.len()
    }
    /// The next `n` calls (after `Solution_Connect`) fault with `code` (e.g. `INTERNAL`).
    pub fn fault_next(&self, n: u32, code: &str) {
        let mut st = self.store.lock().unwrap();
        st.faults_left = n;
        st.fault_code = code.into();
    }
    /// Ends every session right after the next successful call of `op` (a session that timed
    /// out between two calls).
    pub fn expire_after(&self, op: &str) {
        self.store.lock().unwrap().expire_after = Some(op.into());
    }
    /// Waits this long before handling each call.
    pub fn set_delay(&self, delay: std::time::Duration) {
        self.store.lock().unwrap().delay = delay;
    }
    /// Ends every session (the server's session store was cleared): the next call faults `AUTH`.
    pub fn expire_sessions(&self) {
        self.store.lock().unwrap().sessions.clear();
    }

    /// A small shop for the demo and tests: three groups, a dozen customers (most with newsletter
    /// permission, none in "VIP" with permission), orders for some.
    pub fn seed_demo(&self) {
        let kunder = self.create_group("Kunder");
        let forhandlere = self.create_group("Forhandlere");
        self.create_group("VIP");
        let people: &[(&str, &str, &str, i64, bool, &str)] = &[
            (
                "Anna",
                "Jensen",
                "anna@example.dk",
                kunder,
                true,
                "1985-04-12",
            ),
            ("Bo", "Nielsen", "bo@example.dk", kunder, true, NULL_DATE),
            (
                "Carla",
                "Hansen",
                "carla@example.dk",
                kunder,
                false,
                "1990-01-30",
            ),
            (
                "Dennis",
                "Pedersen",
                "dennis@example.dk",
                kunder,
                true,
                NULL_DATE,
            ),
            (
                "Eva",
                "Andersen",
                "eva@example.dk",
                kunder,
                true,
                "1979-11-02",
            ),
            (
                "Frederik",
                "Christensen",
                "frederik@example.dk",
                kunder,
                false,
                NULL_DATE,
            ),
            (
                "Gitte",
                "Larsen",
                "gitte@example.dk",
                forhandlere,
                true,
                NULL_DATE,
            ),
            (
                "Henrik",
                "Sørensen",
                "henrik@example.dk",
                forhandlere,
                true,
                "1968-07-19",
            ),
            (
                "Ida",
                "Rasmussen",
                "ida@example.dk",
                forhandlere,
                false,
                NULL_DATE,
            ),
        ];
        for (i, (first, last, email, group, newsletter, birth)) in people.iter().enumerate() {
            let group = group.to_string();
            let birth = if *birth == NULL_DATE {
                NULL_DATE.to_string()
            } else {
                format!("{birth} 00:00:00")
            };
            let zip = format!("{}", 8000 + i * 10);
            let id = self.add_user(&[
                ("Firstname", first),
                ("Lastname", last),
                ("Email", email),
                ("UserGroupId", &group),
                ("Newsletter", if *newsletter { "true" } else { "false" }),
                ("BirthDate", &birth),
                ("Address", "Vestergade 1"),
                ("Zip", &zip),
                ("City", "Aarhus"),
                ("Country", "Danmark"),
                ("Mobile", "20304050"),
                ("Sex", if i % 2 == 0 { "2" } else { "1" }),
            ]);
            if i % 3 == 0 {
                self.add_order(
                    id,
                    "2025-03-01 10:00:00",
                    &[("Kaffe", 2, 50.0), ("Te", 1, 30.0)],
                );
                self.add_order(id, "2025-06-15 12:30:00", &[("Kop", 4, 25.0)]);
            }
        }
    }
}

fn blank_user(id: i64) -> User {
    let mut u = User::new();
    for f in USER_FIELDS {
        let v = if *f == "Id" {
            id.to_string()
        } else if INT_FIELDS.contains(f) {
            "0".into()
        } else if BOOL_FIELDS.contains(f) {
            "false".into()
        } else if DATE_FIELDS.contains(f) {
            NULL_DATE.into()
        } else {
            String::new()
        };
        u.insert(f.to_string(), v);
    }
    let t = now();
    u.insert("DateCreated".into(), t.clone());
    u.insert("DateUpdated".into(), t);
    u.insert("Approved".into(), "true".into());
    u.insert("LanguageISO".into(), "DK".into());
    u
}

struct Fault(&'static str, String);

fn fault_response(code: &str, message: &str) -> Response {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\"><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>{}</faultcode><faultstring>{}</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>",
        escape(code),
        escape(message)
    );
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        body,
    )
        .into_response()
}

fn session_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("PHPSESSID=").map(str::to_string))
}

async fn endpoint(State(h): State<HostedShopHandle>, headers: HeaderMap, body: Bytes) -> Response {
    let delay = h.store.lock().unwrap().delay;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let text = String::from_utf8_lossy(&body);
    let envelope = match xml::parse(&text) {
        Ok(e) => e,
        Err(e) => return fault_response("Client", &format!("Bad Request: {e}")),
    };
    let Some(call) = envelope
        .child("Body")
        .and_then(|b| b.children.first())
        .cloned()
    else {
        return fault_response("Client", "Bad Request: no SOAP Body");
    };
    let op = call.name.clone();
    let mut st = h.store.lock().unwrap();
    let mut set_cookie = None;
    let result = if op == "Solution_Connect" {
        let arg = |n: &str| call.child(n).map(|e| e.text.clone()).unwrap_or_default();
        if arg("Username") == st.config.username && arg("Password") == st.config.password {
            let sid = format!("{:032x}", rand::random::<u128>());
            st.sessions.insert(sid.clone(), Session::default());
            set_cookie = Some(sid);
            Ok("<Solution_ConnectResult>true</Solution_ConnectResult>".to_string())
        } else {
            Err(Fault("AUTH", "Invalid username or password".into()))
        }
    } else {
        match session_id(&headers).filter(|s| st.sessions.contains_key(s)) {
            None => Err(Fault(
                "AUTH",
                "Not connected: call Solution_Connect first".into(),
            )),
            Some(_) if st.faults_left > 0 => {
                st.faults_left -= 1;
                let code = if st.fault_code == "AUTH" {
                    "AUTH"
                } else {
                    "INTERNAL"
                };
                if code == "AUTH" {
                    st.sessions.clear();
                }
                Err(Fault(code, "Internal error, try again later".into()))
            }
            Some(sid) => call_op(&mut st, &sid, &op, &call),
        }
    };
    st.calls.push((op.clone(), result.is_ok()));
    if result.is_ok() && st.expire_after.as_deref() == Some(op.as_str()) {
        st.expire_after = None;
        st.sessions.clear();
    }
    drop(st);
    match result {
        Err(Fault(code, msg)) => fault_response(code, &msg),
        Ok(inner) => {
            let body = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:ns1=\"{NAMESPACE}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><SOAP-ENV:Body><ns1:{op}Response>{inner}</ns1:{op}Response></SOAP-ENV:Body></SOAP-ENV:Envelope>"
            );
            let mut resp = (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
                body,
            )
                .into_response();
            if let Some(sid) = set_cookie {
                resp.headers_mut().insert(
                    header::SET_COOKIE,
                    format!("PHPSESSID={sid}; path=/").parse().unwrap(),
                );
            }
            resp
        }
    }
}

fn set_fields(allowed: &[&str], call: &Element) -> Result<Vec<String>, Fault> {
    let fields = call
        .child("Fields")
        .map(|e| e.text.clone())
        .unwrap_or_default();
    let names: Vec<String> = fields
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if let Some(bad) = names.iter().find(|n| !allowed.contains(&n.as_str())) {
        return Err(Fault("NOSUCHPARAM", format!("No such field: {bad}")));
    }
    Ok(names)
}

fn user_xml(u: &User, fields: &[String]) -> String {
    let mut s = String::from("<item>");
    for f in fields {
        let v = u.get(f).map(String::as_str).unwrap_or("");
        s.push_str(&format!("<{f}>{}</{f}>", escape(v)));
    }
    s.push_str("</item>");
    s
}

fn users_result(op: &str, users: Vec<&User>, fields: &[String]) -> String {
    let items: String = users.iter().map(|u| user_xml(u, fields)).collect();
    format!("<{op}Result>{items}</{op}Result>")
}

fn date_arg(call: &Element, name: &str) -> Result<Option<String>, Fault> {
    match call.child(name) {
        None => Ok(None),
        Some(e) if e.nil || e.text.is_empty() => Ok(None),
        Some(e) if valid_date(&e.text) => Ok(Some(e.text.clone())),
        Some(e) => Err(Fault(
            "PARAM",
            format!(
                "{name} must be a date formatted YYYY-MM-DD HH:MM:SS, not '{}'",
                e.text
            ),
        )),
    }
}

fn int_arg(call: &Element, name: &str) -> Result<i64, Fault> {
    call.child(name)
        .and_then(|e| e.text.trim().parse().ok())
        .ok_or_else(|| Fault("PARAM", format!("{name} must be an integer")))
}

fn call_op(st: &mut Store, sid: &str, op: &str, call: &Element) -> Result<String, Fault> {
    let fields = st.sessions[sid].user_fields.clone();
    match op {
        "Solution_SetEncoding" | "Solution_SetLanguage" => {
            Ok(format!("<{op}Result>true</{op}Result>"))
        }
        "User_SetFields" => {
            let names = set_fields(USER_FIELDS, call)?;
            st.sessions.get_mut(sid).unwrap().user_fields = names;
            Ok("<User_SetFieldsResult>true</User_SetFieldsResult>".into())
        }
        "Order_SetFields" => {
            let names = set_fields(ORDER_FIELDS, call)?;
            st.sessions.get_mut(sid).unwrap().order_fields = names;
            Ok("<Order_SetFieldsResult>true</Order_SetFieldsResult>".into())
        }
        "Order_SetOrderLineFields" => {
            let names = set_fields(ORDERLINE_FIELDS, call)?;
            st.sessions.get_mut(sid).unwrap().line_fields = names;
            Ok("<Order_SetOrderLineFieldsResult>true</Order_SetOrderLineFieldsResult>".into())
        }
        "User_GetAll" | "User_GetAllNewsletter" => {
            let newsletter = op == "User_GetAllNewsletter";
            let users = st
                .users
                .values()
                .filter(|u| !newsletter || u["Newsletter"] == "true")
                .collect();
            Ok(users_result(op, users, &fields))
        }
        "User_GetAllByDate" | "User_GetAllNewsletterByDate" => {
            let start = date_arg(call, "Start")?;
            let end = date_arg(call, "End")?;
            let newsletter = op == "User_GetAllNewsletterByDate";
            let within = |d: &str| {
                d != NULL_DATE
                    && start.as_deref().is_none_or(|s| d >= s)
                    && end.as_deref().is_none_or(|e| d <= e)
            };
            let users = st
                .users
                .values()
                .filter(|u| !newsletter || u["Newsletter"] == "true")
                .filter(|u| within(&u["DateCreated"]) || within(&u["DateUpdated"]))
                .collect();
            Ok(users_result(op, users, &fields))
        }
        "User_GetById" => {
            let id = int_arg(call, "UserId")?;
            let inner = st
                .users
                .get(&id)
                .map(|u| user_xml(u, &fields))
                .map(|s| {
                    s.trim_start_matches("<item>")
                        .trim_end_matches("</item>")
                        .to_string()
                })
                .unwrap_or_default();
            Ok(format!("<User_GetByIdResult>{inner}</User_GetByIdResult>"))
        }
        "User_GetByName" => {
            let name = call
                .child("UserName")
                .map(|e| e.text.to_lowercase())
                .unwrap_or_default();
            let users = st
                .users
                .values()
                .filter(|u| u["Username"].to_lowercase().contains(&name))
                .collect();
            Ok(users_result(op, users, &fields))
        }
        "User_GetByGroup" => {
            let group = int_arg(call, "UserGroupId")?.to_string();
            let users = st
                .users
                .values()
                .filter(|u| u["UserGroupId"] == group)
                .collect();
            Ok(users_result(op, users, &fields))
        }
        "User_GetGroupAll" => {
            let items: String = st
                .groups
                .values()
                .map(|g| {
                    format!(
                        "<item><Id>{}</Id><Title>{}</Title><Description></Description><ParentId>0</ParentId><Producer>false</Producer><LanguageISO>DK</LanguageISO><Sorting>{}</Sorting></item>",
                        g.id,
                        escape(&g.title),
                        g.id
                    )
                })
                .collect();
            Ok(format!(
                "<User_GetGroupAllResult>{items}</User_GetGroupAllResult>"
            ))
        }
        "User_CreateGroup" => {
            let data = call
                .child("UserGroupData")
                .ok_or_else(|| Fault("PARAM", "UserGroupData is required".into()))?;
            let title = data
                .child("Title")
                .map(|e| e.text.clone())
                .unwrap_or_default();
            if title.is_empty() {
                return Err(Fault("PARAM", "Title is required".into()));
            }
            st.next_group += 1;
            let id = st.next_group;
            st.groups.insert(id, UserGroup { id, title });
            Ok(format!(
                "<User_CreateGroupResult>{id}</User_CreateGroupResult>"
            ))
        }
        "User_Create" | "User_Update" | "User_CreateOrUpdate" => {
            let data = call
                .child("UserData")
                .ok_or_else(|| Fault("PARAM", "UserData is required".into()))?;
            let mut values = BTreeMap::new();
            for el in &data.children {
                if !USER_FIELDS.contains(&el.name.as_str()) {
                    return Err(Fault("NOSUCHPARAM", format!("No such field: {}", el.name)));
                }
                if el.nil || !el.children.is_empty() {
                    continue;
                }
                let v = el.text.trim().to_string();
                if INT_FIELDS.contains(&el.name.as_str()) && v.parse::<i64>().is_err() {
                    return Err(Fault(
                        "PARAM",
                        format!("{} must be an integer, not '{v}'", el.name),
                    ));
                }
                if BOOL_FIELDS.contains(&el.name.as_str())
                    && !["true", "false", "1", "0"].contains(&v.as_str())
                {
                    return Err(Fault(
                        "PARAM",
                        format!("{} must be a boolean, not '{v}'", el.name),
                    ));
                }
                let v = match v.as_str() {
                    "1" if BOOL_FIELDS.contains(&el.name.as_str()) => "true".into(),
                    "0" if BOOL_FIELDS.contains(&el.name.as_str()) => "false".into(),
                    _ => v,
                };
                if DATE_FIELDS.contains(&el.name.as_str()) && !valid_date(&v) {
                    return Err(Fault(
                        "PARAM",
                        format!(
                            "{} must be a date formatted YYYY-MM-DD HH:MM:SS, not '{v}'",
                            el.name
                        ),
                    ));
                }
                values.insert(el.name.clone(), v);
            }
            if let Some(g) = values.get("UserGroupId") {
                let g: i64 = g.parse().unwrap_or(0);
                if g != 0 && !st.groups.contains_key(&g) {
                    return Err(Fault("PARAM", format!("No UserGroup with Id {g}")));
                }
            }
            let existing = match op {
                "User_Update" => {
                    let id: i64 = values.get("Id").and_then(|v| v.parse().ok()).unwrap_or(0);
                    if !st.users.contains_key(&id) {
                        return Err(Fault("PARAM", format!("No User with Id {id}")));
                    }
                    Some(id)
                }
                "User_CreateOrUpdate" => {
                    let username = values.get("Username").cloned().unwrap_or_default();
                    if username.is_empty() {
                        return Err(Fault("PARAM", "Username is required".into()));
                    }
                    st.users
                        .values()
                        .find(|u| u["Username"] == username)
                        .map(|u| u["Id"].parse().unwrap())
                }
                _ => None,
            };
            values.remove("Id");
            let id = match existing {
                Some(id) => id,
                None => {
                    if values.get("Username").is_none_or(|u| u.is_empty()) {
                        return Err(Fault("PARAM", "Username is required".into()));
                    }
                    st.next_user += 1;
                    let id = st.next_user;
                    st.users.insert(id, blank_user(id));
                    id
                }
            };
            let u = st.users.get_mut(&id).unwrap();
            u.extend(values);
            u.insert("DateUpdated".into(), now());
            Ok(format!("<{op}Result>{id}</{op}Result>"))
        }
        "User_Delete" => {
            let id = int_arg(call, "UserId")?;
            let ok = st.users.remove(&id).is_some();
            Ok(format!("<User_DeleteResult>{ok}</User_DeleteResult>"))
        }
        "Order_GetByDate" | "Order_GetByDateAndUser" => {
            let start = date_arg(call, "Start")?;
            let end = date_arg(call, "End")?;
            let status = call
                .child("Status")
                .filter(|e| !e.nil && !e.text.is_empty())
                .map(|e| e.text.clone());
            let user = if op == "Order_GetByDateAndUser" {
                Some(int_arg(call, "UserId")?)
            } else {
                None
            };
            let session = &st.sessions[sid];
            let items: String = st
                .orders
                .values()
                .filter(|o| {
                    start
                        .as_deref()
                        .is_none_or(|s| o.date_delivered.as_str() >= s)
                })
                .filter(|o| {
                    end.as_deref()
                        .is_none_or(|e| o.date_delivered.as_str() <= e)
                })
                .filter(|o| status.as_deref().is_none_or(|s| o.status == s))
                .filter(|o| user.is_none_or(|u| o.user_id == u))
                .map(|o| order_xml(o, &session.order_fields, &session.line_fields))
                .collect();
            Ok(format!("<{op}Result>{items}</{op}Result>"))
        }
        _ => Err(Fault(
            "Client",
            format!("Function (\"{op}\") is not a valid method for this service"),
        )),
    }
}

fn order_xml(o: &Order, fields: &[String], line_fields: &[String]) -> String {
    let mut s = String::from("<item>");
    for f in fields {
        let v = match f.as_str() {
            "Id" => o.id.to_string(),
            "UserId" | "CustomerId" => o.user_id.to_string(),
            "Total" => format!("{:.2}", o.total),
            "Status" => o.status.clone(),
            "DateDelivered" | "DateUpdated" => o.date_delivered.clone(),
            "OrderLines" => {
                let lines: String = o
                    .lines
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let mut s = String::from("<item>");
                        for lf in line_fields {
                            let v = match lf.as_str() {
                                "Id" => (o.id * 100 + i as i64).to_string(),
                                "OrderId" => o.id.to_string(),
                                "ProductId" => l.product_id.to_string(),
                                "Amount" => l.amount.to_string(),
                                "ProductTitle" => escape(&l.title),
                                "Price" => format!("{:.2}", l.price),
                                _ => String::new(),
                            };
                            s.push_str(&format!("<{lf}>{v}</{lf}>"));
                        }
                        s.push_str("</item>");
                        s
                    })
                    .collect();
                s.push_str(&format!("<OrderLines>{lines}</OrderLines>"));
                continue;
            }
            _ => String::new(),
        };
        s.push_str(&format!("<{f}>{v}</{f}>"));
    }
    s.push_str("</item>");
    s
}
