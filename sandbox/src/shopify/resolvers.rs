//! Root fields and mutations of the fake. A new mutation (productSet, inventorySetQuantities,
//! webhookSubscriptionCreate, ...) is one function here plus one line in [`all`]; the executor
//! does not change.

use serde_json::{json, Map, Value};

use super::executor::{page_args, Ctx, FieldError, Resolved, Resolvers};
use super::search::{self, Query};
use super::store::{page_vec, FastSort, Kind, Sort};
use crate::seed::parse_gid;

pub fn all() -> Resolvers {
    let mut r = Resolvers::default();
    r.query.insert("shop", shop);
    r.query
        .insert("customer", |c, a| by_id(c, a, Kind::Customer));
    r.query.insert("product", |c, a| by_id(c, a, Kind::Product));
    r.query.insert("order", |c, a| by_id(c, a, Kind::Order));
    r.query.insert("productVariant", node_of_type);
    r.query.insert("location", node_of_type);
    r.query.insert("inventoryItem", node_of_type);
    r.query.insert("node", node);
    r.query.insert("nodes", nodes);
    r.query
        .insert("customers", |c, a| connection(c, a, Kind::Customer));
    r.query
        .insert("products", |c, a| connection(c, a, Kind::Product));
    r.query
        .insert("orders", |c, a| connection(c, a, Kind::Order));
    r.query.insert("abandonedCheckouts", |c, a| {
        connection(c, a, Kind::Checkout)
    });
    r.query
        .insert("customersCount", |c, a| count(c, a, Kind::Customer));
    r.query
        .insert("productsCount", |c, a| count(c, a, Kind::Product));
    r.query
        .insert("ordersCount", |c, a| count(c, a, Kind::Order));
    r.query.insert("abandonedCheckoutsCount", |c, a| {
        count(c, a, Kind::Checkout)
    });
    r.query.insert("productVariants", product_variants);
    r.query.insert("locations", locations);
    r.query.insert("events", events);
    r.query.insert("bulkOperation", bulk_operation);
    r.query
        .insert("currentBulkOperation", current_bulk_operation);
    r.mutation.insert("bulkOperationRunQuery", bulk_run_query);
    r.mutation.insert("bulkOperationCancel", bulk_cancel);
    r.fields.insert(("Customer", "orders"), customer_orders);
    super::webhooks::register(&mut r);
    super::catalogue::register(&mut r);
    super::publications::register(&mut r);
    r
}

fn str_arg<'a>(args: &'a Map<String, Value>, k: &str) -> Option<&'a str> {
    args.get(k).and_then(|v| v.as_str())
}

/// Shopify rejects ids that are not global ids.
fn check_gid(g: &str) -> Result<(&str, u64), FieldError> {
    parse_gid(g).ok_or_else(|| {
        FieldError::with_code(
            format!("Invalid global id '{g}'"),
            "argumentLiteralsIncompatible",
        )
    })
}

fn shop(ctx: &mut Ctx<'_>, _: &Map<String, Value>) -> Result<Resolved, FieldError> {
    Ok(Resolved::Value(
        ctx.shared.store.read().unwrap().shop.clone(),
    ))
}

fn by_id(ctx: &mut Ctx<'_>, args: &Map<String, Value>, kind: Kind) -> Result<Resolved, FieldError> {
    let g = str_arg(args, "id").unwrap_or("");
    let (t, id) = check_gid(g)?;
    if t != kind.typename() {
        return Ok(Resolved::Value(Value::Null));
    }
    Ok(Resolved::Value(
        ctx.shared
            .store
            .read()
            .unwrap()
            .get(kind, id)
            .unwrap_or(Value::Null),
    ))
}

fn node_of_type(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Resolved, FieldError> {
    let g = str_arg(args, "id").unwrap_or("");
    check_gid(g)?;
    Ok(Resolved::Value(ctx.shared.node(g).unwrap_or(Value::Null)))
}

fn node(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Resolved, FieldError> {
    node_of_type(ctx, args)
}

fn nodes(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Resolved, FieldError> {
    let ids = args
        .get("ids")
        .and_then(|v| v.as_array())
        .cloned()
        .unwrap_or_default();
    if ids.len() > 250 {
        return Err(FieldError::with_code(
            "The `nodes` field accepts at most 250 ids.",
            "MAX_INPUT_SIZE_EXCEEDED",
        ));
    }
    let mut out = Vec::with_capacity(ids.len());
    for g in ids {
        let g = g.as_str().unwrap_or("");
        check_gid(g)?;
        out.push(ctx.shared.node(g).unwrap_or(Value::Null));
    }
    Ok(Resolved::Value(Value::Array(out)))
}

fn text_display_name(v: &Value) -> String {
    v.get("displayName")
        .and_then(|x| x.as_str())
        .unwrap_or("")
        .to_lowercase()
}
fn text_title(v: &Value) -> String {
    v.get("title")
        .and_then(|x| x.as_str())
        .unwrap_or("")
        .to_lowercase()
}
fn text_vendor(v: &Value) -> String {
    v.get("vendor")
        .and_then(|x| x.as_str())
        .unwrap_or("")
        .to_lowercase()
}
fn text_product_type(v: &Value) -> String {
    v.get("productType")
        .and_then(|x| x.as_str())
        .unwrap_or("")
        .to_lowercase()
}
fn text_published_at(v: &Value) -> String {
    v.get("publishedAt")
        .and_then(|x| x.as_str())
        .unwrap_or("")
        .to_string()
}
fn padded(n: i64) -> String {
    format!("{:020}", n as i128 + 1_000_000_000_000_000)
}
fn text_inventory(v: &Value) -> String {
    padded(
        v.get("totalInventory")
            .and_then(|x| x.as_i64())
            .unwrap_or(0),
    )
}
fn text_total_price(v: &Value) -> String {
    padded(
        v.pointer("/totalPriceSet/shopMoney/amount")
            .and_then(|x| x.as_str())
            .and_then(crate::seed::parse_money)
            .unwrap_or(0),
    )
}
fn text_order_customer(v: &Value) -> String {
    v.pointer("/billingAddress/name")
        .and_then(|x| x.as_str())
        .unwrap_or("")
        .to_lowercase()
}
fn text_financial(v: &Value) -> String {
    v.get("displayFinancialStatus")
        .and_then(|x| x.as_str())
        .unwrap_or("")
        .to_string()
}
fn text_fulfillment(v: &Value) -> String {
    v.get("displayFulfillmentStatus")
        .and_then(|x| x.as_str())
        .unwrap_or("")
        .to_string()
}
fn text_location(v: &Value) -> String {
    format!(
        "{} {}",
        v.pointer("/defaultAddress/country")
            .and_then(|x| x.as_str())
            .unwrap_or(""),
        v.pointer("/defaultAddress/city")
            .and_then(|x| x.as_str())
            .unwrap_or("")
    )
}

fn sort_for(kind: Kind, key: Option<&str>) -> Sort {
    use FastSort::*;
    let key = key.unwrap_or(match kind {
        Kind::Order => "PROCESSED_AT",
        _ => "ID",
    });
    match (kind, key) {
        (_, "ID") | (_, "RELEVANCE") | (_, "CHECKOUT_ID") | (Kind::Order, "ORDER_NUMBER") => {
            Sort::Fast(Id)
        }
        (_, "CREATED_AT") => Sort::Fast(Created),
        (_, "UPDATED_AT") => Sort::Fast(Updated),
        (_, "PROCESSED_AT") => Sort::Fast(Processed),
        (Kind::Customer, "NAME") => Sort::Text(text_display_name),
        (Kind::Customer, "LOCATION") => Sort::Text(text_location),
        (Kind::Product, "TITLE") => Sort::Text(text_title),
        (Kind::Product, "VENDOR") => Sort::Text(text_vendor),
        (Kind::Product, "PRODUCT_TYPE") => Sort::Text(text_product_type),
        (Kind::Product, "PUBLISHED_AT") => Sort::Text(text_published_at),
        (Kind::Product, "INVENTORY_TOTAL") => Sort::Text(text_inventory),
        (_, "TOTAL_PRICE") | (_, "CURRENT_TOTAL_PRICE") => Sort::Text(text_total_price),
        (_, "CUSTOMER_NAME") => Sort::Text(text_order_customer),
        (Kind::Order, "FINANCIAL_STATUS") => Sort::Text(text_financial),
        (Kind::Order, "FULFILLMENT_STATUS") => Sort::Text(text_fulfillment),
        _ => Sort::Fast(Id),
    }
}

fn invalid_cursor() -> FieldError {
    FieldError::with_code("Invalid cursor for current pagination sort.", "BAD_REQUEST")
}

fn connection(
    ctx: &mut Ctx<'_>,
    args: &Map<String, Value>,
    kind: Kind,
) -> Result<Resolved, FieldError> {
    let pa = page_args(args, ctx.bulk)?;
    let q = ctx.search(args, kind.fields());
    let sort = sort_for(kind, str_arg(args, "sortKey"));
    let st = ctx.shared.store.read().unwrap();
    let page = st
        .page(kind, sort, q.as_ref(), &pa)
        .map_err(|_| invalid_cursor())?;
    Ok(Resolved::Page(page))
}

fn count(ctx: &mut Ctx<'_>, args: &Map<String, Value>, kind: Kind) -> Result<Resolved, FieldError> {
    let q = ctx.search(args, kind.fields());
    let limit = match args.get("limit") {
        Some(Value::Null) => None,
        Some(v) => Some(v.as_i64().unwrap_or(10_000).max(0) as usize),
        None => Some(10_000),
    };
    let (n, exact) = ctx
        .shared
        .store
        .read()
        .unwrap()
        .count(kind, q.as_ref(), limit);
    Ok(Resolved::Value(json!({
        "__typename": "Count",
        "count": n,
        "precision": if exact { "EXACT" } else { "AT_LEAST" },
    })))
}

fn product_variants(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Resolved, FieldError> {
    let pa = page_args(args, ctx.bulk)?;
    let q = ctx.search(args, search::variant_fields);
    let key = str_arg(args, "sortKey").unwrap_or("ID").to_string();
    let st = ctx.shared.store.read().unwrap();
    let mut all = Vec::new();
    st.scan(Kind::Product, FastSort::Id, true, None, &mut |(_, pid)| {
        if let Some(p) = st.get(Kind::Product, pid) {
            if let Some(vs) = p.pointer("/variants/__conn").and_then(|v| v.as_array()) {
                for v in vs {
                    if q.as_ref()
                        .is_none_or(|q| search::matches(q, v, search::variant_fields))
                    {
                        let id = v["id"]
                            .as_str()
                            .and_then(parse_gid)
                            .map(|x| x.1)
                            .unwrap_or(0);
                        let k = match key.as_str() {
                            "SKU" => json!(v["sku"].as_str().unwrap_or("")),
                            "TITLE" => json!(v["title"].as_str().unwrap_or("")),
                            "NAME" | "FULL_TITLE" => json!(v["displayName"].as_str().unwrap_or("")),
                            "POSITION" => json!(v["position"].as_i64().unwrap_or(0)),
                            "INVENTORY_QUANTITY" => {
                                json!(v["inventoryQuantity"].as_i64().unwrap_or(0))
                            }
                            _ => json!(id),
                        };
                        all.push((k, id, v.clone()));
                    }
                }
            }
        }
        true
    });
    drop(st);
    Ok(Resolved::Page(
        page_vec(all, &pa).map_err(|_| invalid_cursor())?,
    ))
}

fn locations(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Resolved, FieldError> {
    let pa = page_args(args, ctx.bulk)?;
    let q = ctx.search(args, search::location_fields);
    let include_inactive = args
        .get("includeInactive")
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let by_name = str_arg(args, "sortKey").unwrap_or("NAME") == "NAME";
    let st = ctx.shared.store.read().unwrap();
    let all = st
        .locations
        .iter()
        .filter(|l| include_inactive || l["isActive"] == json!(true))
        .filter(|l| {
            q.as_ref()
                .is_none_or(|q| search::matches(q, l, search::location_fields))
        })
        .map(|l| {
            let id = l["id"]
                .as_str()
                .and_then(parse_gid)
                .map(|x| x.1)
                .unwrap_or(0);
            (
                if by_name {
                    l["name"].clone()
                } else {
                    json!(id)
                },
                id,
                l.clone(),
            )
        })
        .collect();
    Ok(Resolved::Page(
        page_vec(all, &pa).map_err(|_| invalid_cursor())?,
    ))
}

fn events(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Resolved, FieldError> {
    let pa = page_args(args, ctx.bulk)?;
    let q = ctx.search(args, search::event_fields);
    let by_created = str_arg(args, "sortKey") == Some("CREATED_AT");
    let st = ctx.shared.store.read().unwrap();
    let all = st
        .events
        .iter()
        .filter(|e| {
            q.as_ref()
                .is_none_or(|q| search::matches(q, e, search::event_fields))
        })
        .map(|e| {
            let id = e["id"]
                .as_str()
                .and_then(parse_gid)
                .map(|x| x.1)
                .unwrap_or(0);
            (
                if by_created {
                    e["createdAt"].clone()
                } else {
                    json!(id)
                },
                id,
                e.clone(),
            )
        })
        .collect();
    Ok(Resolved::Page(
        page_vec(all, &pa).map_err(|_| invalid_cursor())?,
    ))
}

fn customer_orders(
    ctx: &mut Ctx<'_>,
    parent: &Value,
    args: &Map<String, Value>,
) -> Result<Resolved, FieldError> {
    let pa = page_args(args, ctx.bulk)?;
    let Some((_, cid)) = parent
        .get("id")
        .and_then(|v| v.as_str())
        .and_then(parse_gid)
    else {
        return Ok(Resolved::Value(Value::Null));
    };
    let user = ctx.search(args, Kind::Order.fields());
    let own = Query::Term {
        field: Some("customer_id".into()),
        op: search::Op::Eq,
        value: cid.to_string(),
    };
    let q = match user {
        Some(u) => Query::And(vec![own, u]),
        None => own,
    };
    let sort = sort_for(Kind::Order, Some(str_arg(args, "sortKey").unwrap_or("ID")));
    let st = ctx.shared.store.read().unwrap();
    let page = st
        .page(Kind::Order, sort, Some(&q), &pa)
        .map_err(|_| invalid_cursor())?;
    Ok(Resolved::Page(page))
}

fn bulk_operation(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Resolved, FieldError> {
    let g = str_arg(args, "id").unwrap_or("");
    check_gid(g)?;
    Ok(Resolved::Value(
        ctx.shared
            .bulk
            .get(g, &ctx.shared.base_url())
            .unwrap_or(Value::Null),
    ))
}

fn current_bulk_operation(
    ctx: &mut Ctx<'_>,
    args: &Map<String, Value>,
) -> Result<Resolved, FieldError> {
    let t = str_arg(args, "type").unwrap_or("QUERY");
    Ok(Resolved::Value(
        ctx.shared
            .bulk
            .current(t, &ctx.shared.base_url())
            .unwrap_or(Value::Null),
    ))
}

fn bulk_run_query(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Resolved, FieldError> {
    let query = str_arg(args, "query").unwrap_or("").to_string();
    let group = args
        .get("groupObjects")
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let (op, errors) = match super::bulk::start(ctx.shared, &query, group) {
        Ok(op) => (op, Vec::new()),
        Err(errs) => (Value::Null, errs),
    };
    Ok(Resolved::Value(json!({
        "__typename": "BulkOperationRunQueryPayload",
        "bulkOperation": op,
        "userErrors": errors,
    })))
}

fn bulk_cancel(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Resolved, FieldError> {
    let g = str_arg(args, "id").unwrap_or("");
    check_gid(g)?;
    let (op, errors) = ctx.shared.bulk.cancel(g, &ctx.shared.base_url());
    Ok(Resolved::Value(json!({
        "__typename": "BulkOperationCancelPayload",
        "bulkOperation": op,
        "userErrors": errors,
    })))
}
