//! Sales channels (https://shopify.dev/docs/api/admin-graphql/latest/objects/Publication): the
//! shop's publications (`publications`), and `publishablePublish` / `publishableUnpublish`,
//! which put a product on (or take it off) publications by id. A product created through the
//! API is on none until it is published.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use super::executor::{page_args, Ctx, FieldError, Resolved, Resolvers};
use super::store::page_vec;
use crate::seed::{gid, parse_gid};

const PUBLICATION_BASE: u64 = 88_130_000_000;
/// The shop's sales channels, as a new shop has them.
const CHANNELS: [&str; 2] = ["Online Store", "Point of Sale"];

/// Which products are on which publication.
#[derive(Debug, Default)]
pub struct PublicationState {
    /// Product gid -> publication ids.
    published: BTreeMap<String, BTreeSet<u64>>,
}

impl PublicationState {
    /// The names of the publications `product` is on.
    pub fn channels_of(&self, product: &str) -> Vec<String> {
        self.published
            .get(product)
            .into_iter()
            .flatten()
            .filter_map(|id| CHANNELS.get((id - PUBLICATION_BASE - 1) as usize))
            .map(|n| n.to_string())
            .collect()
    }
}

fn publication(k: usize, name: &str) -> Value {
    let id = PUBLICATION_BASE + k as u64 + 1;
    json!({
        "__typename": "Publication",
        "id": gid("Publication", id),
        "name": name,
        "autoPublish": false,
        "supportsFuturePublishing": k == 0,
        "catalog": {"__typename": "AppCatalog", "id": gid("AppCatalog", id), "title": name, "status": "ACTIVE"},
    })
}

pub(crate) fn register(r: &mut Resolvers) {
    r.query.insert("publications", publications);
    r.mutation
        .insert("publishablePublish", |c, a| publish(c, a, true));
    r.mutation
        .insert("publishableUnpublish", |c, a| publish(c, a, false));
}

fn publications(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Resolved, FieldError> {
    let pa = page_args(args, ctx.bulk)?;
    let all = CHANNELS
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let id = PUBLICATION_BASE + k as u64 + 1;
            (json!(id), id, publication(k, name))
        })
        .collect();
    Ok(Resolved::Page(page_vec(all, &pa).map_err(|_| {
        FieldError::with_code("Invalid cursor for current pagination sort.", "BAD_REQUEST")
    })?))
}

fn publish(ctx: &mut Ctx<'_>, args: &Map<String, Value>, on: bool) -> Result<Resolved, FieldError> {
    let typename = if on {
        "PublishablePublishPayload"
    } else {
        "PublishableUnpublishPayload"
    };
    let payload = |errors: Vec<Value>, publishable: Value| {
        json!({"__typename": typename, "publishable": publishable, "userErrors": errors,
               "shop": {"__ref": ctx.shared.store.read().unwrap().shop["id"].clone()}})
    };
    let id = args.get("id").and_then(Value::as_str).unwrap_or_default();
    let exists = parse_gid(id).is_some_and(|(kind, _)| kind == "Product")
        && ctx.shared.store.read().unwrap().node(id).is_some();
    if !exists {
        let e = json!({"__typename": "UserError", "field": ["id"], "message": "Resource does not exist"});
        return Ok(Resolved::Value(payload(vec![e], Value::Null)));
    }
    let inputs = args
        .get("input")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut ids = Vec::new();
    let mut errors = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let publication = input
            .get("publicationId")
            .or_else(|| input.get("channelId"))
            .and_then(Value::as_str)
            .and_then(parse_gid)
            .filter(|(kind, n)| {
                *kind == "Publication"
                    && (PUBLICATION_BASE + 1..=PUBLICATION_BASE + CHANNELS.len() as u64).contains(n)
            });
        match publication {
            Some((_, n)) => ids.push(n),
            None => errors.push(json!({"__typename": "UserError",
                "field": ["input", i.to_string(), "publicationId"],
                "message": "Publication does not exist"})),
        }
    }
    if !errors.is_empty() {
        return Ok(Resolved::Value(payload(errors, Value::Null)));
    }
    {
        let mut st = ctx.shared.store.write().unwrap();
        let set = st.publications.published.entry(id.to_string()).or_default();
        for n in ids {
            if on {
                set.insert(n);
            } else {
                set.remove(&n);
            }
        }
    }
    Ok(Resolved::Value(payload(Vec::new(), json!({"__ref": id}))))
}
