//! The shared field names of a two-way contact sync (a shop's customers <-> a marketing list's
//! members): each connector maps its own fields to and from these.

pub const FIRST_NAME: &str = "first_name";
pub const LAST_NAME: &str = "last_name";
pub const ADDRESS: &str = "address";
pub const CITY: &str = "city";
/// The country's name as the shop writes it (e.g. "Danmark").
pub const COUNTRY: &str = "country";
pub const CUSTOMER_ID: &str = "customer_id";
pub const EMAIL: &str = "email";
/// Digits only.
pub const MOBILE: &str = "mobile";
/// `YYYY-MM-DD`.
pub const BIRTHDATE: &str = "birthdate";
pub const CREATED_DATE: &str = "created_date";
pub const UPDATED_DATE: &str = "updated_date";
pub const TYPE: &str = "type";
/// `"1"` with e-mail marketing consent, `"0"` without: the presence field of the pair.
pub const PERMISSION: &str = "permission";
pub const ZIP: &str = "zip";
/// `male` or `female`.
pub const GENDER: &str = "gender";
/// The customer group's name.
pub const CUSTOMER_GROUP: &str = "customer_group";
pub const TOTAL_ORDERS: &str = "total_orders";
pub const TOTAL_PRODUCTS: &str = "total_products";
pub const AVG_PRODUCTS_PER_ORDER: &str = "avg_products_per_order";
pub const AVG_ORDER_VALUE: &str = "avg_order_value";
pub const LAST_ORDER_AMOUNT: &str = "last_order_amount";
pub const TOTAL_SPENT: &str = "total_spent";
pub const LAST_PURCHASE_DATE: &str = "last_purchase_date";
pub const FIRST_PURCHASE_DATE: &str = "first_purchase_date";

/// Shop -> list: every field the seed lists (`002_fda792a6ea78f3e9.txt`, the data sent from the
/// shop to the list), in its order.
pub const SHOP_TO_LIST: &[&str] = &[
    FIRST_NAME,
    LAST_NAME,
    ADDRESS,
    CITY,
    COUNTRY,
    CUSTOMER_ID,
    EMAIL,
    MOBILE,
    BIRTHDATE,
    CREATED_DATE,
    UPDATED_DATE,
    TYPE,
    PERMISSION,
    ZIP,
    GENDER,
    CUSTOMER_GROUP,
    TOTAL_ORDERS,
    TOTAL_PRODUCTS,
    AVG_PRODUCTS_PER_ORDER,
    AVG_ORDER_VALUE,
    LAST_ORDER_AMOUNT,
    TOTAL_SPENT,
    LAST_PURCHASE_DATE,
    FIRST_PURCHASE_DATE,
];

/// List -> shop (two-way): the seed's list of the data sent from the list back to the shop.
pub const LIST_TO_SHOP: &[&str] = &[
    FIRST_NAME, LAST_NAME, ADDRESS, CITY, COUNTRY, EMAIL, MOBILE, BIRTHDATE, PERMISSION, ZIP,
    GENDER,
];
