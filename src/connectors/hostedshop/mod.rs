//! HostedShop (Wannafind, SmartWeb, hosted DanDomain) over its SOAP API: customers ("users"),
//! customer groups, and orders for the computed customer fields; the mapping between a user and
//! the contact fields of `model::contact`.
//!
//! Dates are `YYYY-MM-DD HH:MM:SS` with `0000-00-00 00:00:00` as none. `Sex` 1 = male, 2 =
//! female, 0 = none [I: the WSDL types it as int only]. The order date is `DateDelivered` [I].

pub mod health;
pub mod settings;
pub mod setup;
pub mod soap;
pub use xml_tree as xml;

use std::collections::{BTreeMap, HashMap};

use rand::Rng;

pub use soap::{SoapClient, SoapError};

use crate::engine::twoway::SideRecord;
use crate::model::contact as c;
use crate::state::Fields;
use xml::{escape, Element};

pub const NULL_DATE: &str = "0000-00-00 00:00:00";

/// The user fields read (User_SetFields).
const USER_FIELDS: &str = "Id,Username,Email,Firstname,Lastname,Address,Zip,City,Country,Mobile,BirthDate,Sex,Newsletter,UserGroupId,Type,DateCreated,DateUpdated";

/// One customer as read, with its group's name.
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub group_id: i64,
    pub values: BTreeMap<String, String>,
}

/// What a customer's orders add up to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrderTotals {
    pub orders: u64,
    pub products: i64,
    pub spent: f64,
    pub first: Option<String>,
    pub last: Option<(String, f64)>,
}

pub struct HostedShop {
    pub client: SoapClient,
    fields_set: tokio::sync::OnceCell<()>,
    warned: std::sync::Mutex<bool>,
}

fn date_part(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() || s.starts_with("0000-00-00") {
        return None;
    }
    let d = &s[..s.len().min(10)];
    chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .ok()
        .map(|d| d.to_string())
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

fn money(v: f64) -> String {
    format!("{v:.2}")
}

impl HostedShop {
    pub fn new(client: SoapClient) -> HostedShop {
        HostedShop {
            client,
            fields_set: tokio::sync::OnceCell::new(),
            warned: std::sync::Mutex::new(false),
        }
    }

    async fn user_fields(&self) -> Result<(), SoapError> {
        self.fields_set
            .get_or_try_init(|| async {
                self.client.set_fields("User_SetFields", USER_FIELDS).await
            })
            .await
            .map(|_| ())
    }

    /// Proves the credentials (a session and one cheap read), for `doctor`.
    pub async fn check(&self) -> Result<usize, SoapError> {
        Ok(self.groups().await?.len())
    }

    /// Customer groups: id -> title.
    pub async fn groups(&self) -> Result<BTreeMap<i64, String>, SoapError> {
        let r = self.client.call("User_GetGroupAll", "").await?;
        Ok(r.children
            .iter()
            .filter_map(|g| {
                let id = g.child("Id")?.text.trim().parse().ok()?;
                Some((
                    id,
                    g.child("Title").map(|t| t.text.clone()).unwrap_or_default(),
                ))
            })
            .collect())
    }

    fn users_of(&self, result: &Element) -> Vec<User> {
        let wanted: Vec<&str> = USER_FIELDS.split(',').collect();
        let mut out = Vec::new();
        for item in &result.children {
            let values: BTreeMap<String, String> = item
                .children
                .iter()
                .map(|e| (e.name.clone(), e.text.clone()))
                .collect();
            let missing: Vec<&&str> = wanted
                .iter()
                .filter(|w| !values.contains_key(**w))
                .collect();
            if !missing.is_empty() {
                let mut warned = self.warned.lock().unwrap();
                if !*warned {
                    *warned = true;
                    tracing::warn!("the shop left out requested user fields: {missing:?}");
                }
            }
            let Some(id) = values.get("Id").and_then(|v| v.trim().parse().ok()) else {
                continue;
            };
            let group_id = values
                .get("UserGroupId")
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            out.push(User {
                id,
                group_id,
                values,
            });
        }
        out
    }

    /// Every customer, or those created or updated since `since` (`YYYY-MM-DD HH:MM:SS`).
    pub async fn users(&self, since: Option<&str>) -> Result<Vec<User>, SoapError> {
        self.user_fields().await?;
        let r = match since {
            None => self.client.call("User_GetAll", "").await?,
            Some(since) => {
                let end = (chrono::Utc::now() + chrono::Duration::days(1))
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string();
                let args = format!("<Start>{}</Start><End>{end}</End>", escape(since));
                self.client.call("User_GetAllByDate", &args).await?
            }
        };
        Ok(self.users_of(&r))
    }

    pub async fn user(&self, id: i64) -> Result<Option<User>, SoapError> {
        self.user_fields().await?;
        let r = self
            .client
            .call("User_GetById", &format!("<UserId>{id}</UserId>"))
            .await?;
        let wrapped = Element {
            children: vec![r],
            ..Default::default()
        };
        Ok(self.users_of(&wrapped).into_iter().find(|u| u.id == id))
    }

    /// Order totals per customer id, from every order the shop has.
    pub async fn order_totals(&self) -> Result<HashMap<i64, OrderTotals>, SoapError> {
        self.orders("Order_GetByDate", "").await
    }

    /// Order totals of one customer.
    pub async fn order_totals_of(&self, user: i64) -> Result<HashMap<i64, OrderTotals>, SoapError> {
        self.orders(
            "Order_GetByDateAndUser",
            &format!("<UserId>{user}</UserId>"),
        )
        .await
    }

    async fn orders(&self, op: &str, extra: &str) -> Result<HashMap<i64, OrderTotals>, SoapError> {
        self.client
            .set_fields(
                "Order_SetFields",
                "Id,UserId,Total,DateDelivered,OrderLines",
            )
            .await?;
        self.client
            .set_fields("Order_SetOrderLineFields", "Amount")
            .await?;
        let end = (chrono::Utc::now() + chrono::Duration::days(1))
            .format("%Y-%m-%d %H:%M:%S")
            .to_string();
        let args = format!(
            "<Start>2000-01-01 00:00:00</Start><End>{end}</End><Status xsi:nil=\"true\"/>{extra}"
        );
        let r = self.client.call(op, &args).await?;
        let mut out: HashMap<i64, OrderTotals> = HashMap::new();
        for o in &r.children {
            let Some(user) = o
                .child("UserId")
                .and_then(|u| u.text.trim().parse::<i64>().ok())
            else {
                continue;
            };
            if user == 0 {
                continue;
            }
            let total: f64 = o
                .child("Total")
                .and_then(|t| t.text.trim().parse().ok())
                .unwrap_or(0.0);
            let products: i64 = o
                .child("OrderLines")
                .map(|l| {
                    l.children
                        .iter()
                        .filter_map(|line| line.child("Amount")?.text.trim().parse::<i64>().ok())
                        .sum()
                })
                .unwrap_or(0);
            let date = o
                .child("DateDelivered")
                .and_then(|d| date_part(&d.text).map(|_| d.text.trim().to_string()));
            let t = out.entry(user).or_default();
            t.orders += 1;
            t.products += products;
            t.spent += total;
            if let Some(d) = date {
                if t.first.as_ref().is_none_or(|f| d < *f) {
                    t.first = Some(d.clone());
                }
                if t.last.as_ref().is_none_or(|(l, _)| d > *l) {
                    t.last = Some((d, total));
                }
            }
        }
        Ok(out)
    }

    /// Writes contact fields to customer `id` (`User_Update`).
    pub async fn update(&self, id: i64, fields: &Fields) -> Result<(), SoapError> {
        let body = user_data(fields);
        if body.is_empty() {
            return Ok(());
        }
        let args = format!("<UserData><Id>{id}</Id>{body}</UserData>");
        self.client.call("User_Update", &args).await.map(|_| ())
    }

    /// Creates (or, by user name = e-mail, finds and updates) a customer in `group_id` with these
    /// contact fields; returns its id.
    pub async fn create(&self, group_id: i64, fields: &Fields) -> Result<i64, SoapError> {
        let email = fields.get(c::EMAIL).cloned().unwrap_or_default();
        let password: String = rand::thread_rng()
            .sample_iter(&rand::distributions::Alphanumeric)
            .take(20)
            .map(char::from)
            .collect();
        let args = format!(
            "<UserData><Username>{}</Username><Password>{password}</Password><UserGroupId>{group_id}</UserGroupId>{}</UserData>",
            escape(&email),
            user_data(fields)
        );
        let r = self.client.call("User_CreateOrUpdate", &args).await?;
        r.text.trim().parse().map_err(|_| {
            SoapError::Malformed(format!(
                "User_CreateOrUpdate answered \"{}\", not an id",
                r.text
            ))
        })
    }
}

/// `UserData` elements for contact fields (the ones a shop customer has).
fn user_data(fields: &Fields) -> String {
    let mut s = String::new();
    for (k, v) in fields {
        let (name, value) = match k.as_str() {
            c::FIRST_NAME => ("Firstname", v.clone()),
            c::LAST_NAME => ("Lastname", v.clone()),
            c::ADDRESS => ("Address", v.clone()),
            c::CITY => ("City", v.clone()),
            c::COUNTRY => ("Country", v.clone()),
            c::EMAIL => ("Email", v.clone()),
            c::MOBILE => ("Mobile", v.clone()),
            c::ZIP => ("Zip", v.clone()),
            c::BIRTHDATE => ("BirthDate", format!("{v} 00:00:00")),
            c::PERMISSION => ("Newsletter", if v == "1" { "true" } else { "false" }.into()),
            c::GENDER => (
                "Sex",
                match v.as_str() {
                    "male" => "1",
                    "female" => "2",
                    _ => "0",
                }
                .into(),
            ),
            _ => continue,
        };
        s.push_str(&format!("<{name}>{}</{name}>", escape(&value)));
    }
    s
}

/// A customer as contact fields (with its group's name and its order totals).
pub fn to_contact(user: &User, group: Option<&str>, totals: Option<&OrderTotals>) -> SideRecord {
    let v = |k: &str| {
        user.values
            .get(k)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let mut f = Fields::new();
    let mut put = |k: &str, val: Option<String>| {
        if let Some(val) = val.filter(|s| !s.is_empty()) {
            f.insert(k.to_string(), val);
        }
    };
    put(c::FIRST_NAME, v("Firstname"));
    put(c::LAST_NAME, v("Lastname"));
    put(c::ADDRESS, v("Address"));
    put(c::CITY, v("City"));
    put(c::COUNTRY, v("Country"));
    put(c::CUSTOMER_ID, Some(user.id.to_string()));
    put(c::EMAIL, v("Email").map(|e| e.to_lowercase()));
    put(c::MOBILE, v("Mobile").map(|m| digits(&m)));
    put(c::BIRTHDATE, v("BirthDate").and_then(|d| date_part(&d)));
    put(
        c::CREATED_DATE,
        v("DateCreated").and_then(|d| date_part(&d)),
    );
    put(
        c::UPDATED_DATE,
        v("DateUpdated").and_then(|d| date_part(&d)),
    );
    put(c::TYPE, v("Type"));
    let newsletter = v("Newsletter").is_some_and(|n| n == "true" || n == "1");
    put(
        c::PERMISSION,
        Some(if newsletter { "1" } else { "0" }.into()),
    );
    put(c::ZIP, v("Zip"));
    put(
        c::GENDER,
        match v("Sex").as_deref() {
            Some("1") => Some("male".into()),
            Some("2") => Some("female".into()),
            _ => None,
        },
    );
    put(c::CUSTOMER_GROUP, group.map(str::to_string));
    let t = totals.cloned().unwrap_or_default();
    put(c::TOTAL_ORDERS, Some(t.orders.to_string()));
    put(c::TOTAL_PRODUCTS, Some(t.products.to_string()));
    if t.orders > 0 {
        put(
            c::AVG_PRODUCTS_PER_ORDER,
            Some(money(t.products as f64 / t.orders as f64)),
        );
        put(c::AVG_ORDER_VALUE, Some(money(t.spent / t.orders as f64)));
    }
    put(c::TOTAL_SPENT, Some(money(t.spent)));
    put(
        c::LAST_ORDER_AMOUNT,
        t.last.as_ref().map(|(_, a)| money(*a)),
    );
    put(
        c::LAST_PURCHASE_DATE,
        t.last.as_ref().and_then(|(d, _)| date_part(d)),
    );
    put(
        c::FIRST_PURCHASE_DATE,
        t.first.as_deref().and_then(date_part),
    );
    SideRecord {
        id: user.id.to_string(),
        label: f
            .get(c::EMAIL)
            .cloned()
            .unwrap_or_else(|| format!("customer {}", user.id)),
        fields: f,
        updated_at: v("DateUpdated"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_maps_to_contact_fields_with_null_dates_as_none() {
        let values: BTreeMap<String, String> = [
            ("Id", "7"),
            ("Email", "Ann@Example.DK"),
            ("Firstname", "Ann"),
            ("Mobile", "+45 20 30 40 50"),
            ("BirthDate", NULL_DATE),
            ("DateCreated", "2025-01-02 03:04:05"),
            ("Newsletter", "true"),
            ("Sex", "2"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let user = User {
            id: 7,
            group_id: 1,
            values,
        };
        let totals = OrderTotals {
            orders: 2,
            products: 7,
            spent: 230.0,
            first: Some("2025-03-01 10:00:00".into()),
            last: Some(("2025-06-15 12:30:00".into(), 100.0)),
        };
        let r = to_contact(&user, Some("Kunder"), Some(&totals));
        let f = &r.fields;
        assert_eq!(f["email"], "ann@example.dk");
        assert_eq!(f["mobile"], "4520304050");
        assert!(!f.contains_key("birthdate"));
        assert_eq!(f["created_date"], "2025-01-02");
        assert_eq!(f["permission"], "1");
        assert_eq!(f["gender"], "female");
        assert_eq!(f["customer_group"], "Kunder");
        assert_eq!(f["avg_products_per_order"], "3.50");
        assert_eq!(f["avg_order_value"], "115.00");
        assert_eq!(f["last_order_amount"], "100.00");
        assert_eq!(f["first_purchase_date"], "2025-03-01");
        assert_eq!(f["last_purchase_date"], "2025-06-15");
        let back: Fields = [
            ("birthdate", "1990-01-30"),
            ("permission", "0"),
            ("total_orders", "3"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(
            user_data(&back),
            "<BirthDate>1990-01-30 00:00:00</BirthDate><Newsletter>false</Newsletter>"
        );
    }
}
