//! HubSpot as a sync target: contacts from customers, products from products, deals with line
//! items and associations from orders.

use super::API_VERSION;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Mutex;

use serde_json::{json, Value};

use super::batch::{self, Input, InputResult, Op};
use super::client::HubSpotClient;
use super::mapping::{self, object_of, DEAL_KEY, LINE_ITEM_KEY, PRODUCT_KEY};
use super::schema::{self, DealPipeline};
use crate::engine::plan::diff;
use crate::engine::{Desired, Outcome, Skip, Target, TargetError};
use crate::model::Stream;
use crate::model::{Order, Record};
use crate::state::{Checkpoint, Fields, Link, LinkUpdate, Ready, StateStore, Waiting};

/// Inputs per HubSpot batch request (its limit).
const BATCH_LIMIT: usize = 100;

/// HUBSPOT_DEFINED association type ids.
const DEAL_TO_CONTACT: u32 = 3;
const DEAL_TO_LINE_ITEM: u32 = 19;

const PIPELINE_META: &str = "hubspot.pipeline";
const PROPERTIES_META: &str = "hubspot.properties";
/// Bump when shopsync needs new custom properties, so accounts prepared earlier are checked again.
const PROPERTIES_VERSION: &str = "1";

pub struct HubSpotTarget {
    pub client: HubSpotClient,
    state: StateStore,
    run_id: i64,
    pipeline_label: String,
    pipeline: Mutex<Option<DealPipeline>>,
    /// Objects whose custom properties do not exist yet (a dry run on a fresh account).
    unprepared: Mutex<HashSet<&'static str>>,
}

impl HubSpotTarget {
    pub fn new(
        client: HubSpotClient,
        state: StateStore,
        run_id: i64,
        pipeline_label: String,
    ) -> HubSpotTarget {
        HubSpotTarget {
            client,
            state,
            run_id,
            pipeline_label,
            pipeline: Mutex::new(None),
            unprepared: Mutex::new(HashSet::new()),
        }
    }

    fn objects(streams: &[Stream]) -> Vec<&'static str> {
        let mut objects: Vec<&'static str> = streams.iter().map(|s| object_of(*s)).collect();
        if streams.contains(&Stream::Orders) {
            objects.push("line_items");
        }
        objects
    }

    fn order_fields(&self, order: &Order) -> Fields {
        let mut fields = mapping::deal(order);
        let pipeline = self.pipeline.lock().unwrap().clone();
        let stage = order
            .stage
            .unwrap_or(crate::model::OrderStage::CheckoutCompleted);
        match pipeline {
            Some(p) => {
                fields.insert("pipeline".into(), p.id.clone());
                if let Some(id) = p.stage_id(stage) {
                    fields.insert("dealstage".into(), id.to_string());
                }
            }
            // A dry run before the pipeline exists: name what would be made.
            None => {
                fields.insert("pipeline".into(), format!("(new) {}", self.pipeline_label));
                fields.insert("dealstage".into(), format!("(new) {}", stage.label()));
            }
        }
        // Associations are part of what a deal is: a changed contact or line item is a change.
        // A guest's contact is found (or made) by the order's e-mail.
        match (&order.customer_id, &order.email) {
            (Some(cid), _) => {
                if let Ok(Some(_)) = self.state.target_id("customers", cid) {
                    fields.insert("@contact".into(), cid.clone());
                }
            }
            (None, Some(email)) => {
                fields.insert("@contact".into(), guest_contact(email));
            }
            (None, None) => {}
        }
        if !order.line_items.is_empty() {
            let items: Vec<String> = order
                .line_items
                .iter()
                .map(|li| {
                    let product = li
                        .product_id
                        .as_deref()
                        .and_then(|p| self.state.target_id("products", p).ok().flatten())
                        .unwrap_or_default();
                    format!(
                        "{}|{}|{}|{}|{}|{}",
                        li.id,
                        li.name,
                        li.sku.as_deref().unwrap_or(""),
                        li.quantity,
                        li.price.as_deref().unwrap_or(""),
                        product
                    )
                })
                .collect();
            fields.insert("@line_items".into(), items.join("\n"));
        }
        fields
    }

    async fn write_orders(
        &self,
        records: &[(Desired, Option<Link>)],
    ) -> Result<Vec<Outcome>, TargetError> {
        // A deal whose customer or product failed in this run (or an earlier one) waits for it:
        // written now, it would miss its contact or product link, and as the order itself does
        // not change, no later run would read it again to add them.
        let pending_customers: HashSet<String> =
            self.state.retries("customers")?.into_iter().collect();
        let pending_products: HashSet<String> =
            self.state.retries("products")?.into_iter().collect();
        let mut outcomes = Vec::new();
        let (records, waiting): (Vec<_>, Vec<_>) =
            records.iter().partition(|(d, _)| match &d.record {
                Record::Order(o) => {
                    !o.customer_id
                        .as_ref()
                        .is_some_and(|c| pending_customers.contains(c))
                        && !o.line_items.iter().any(|li| {
                            li.product_id
                                .as_ref()
                                .is_some_and(|p| pending_products.contains(p))
                        })
                }
                _ => true,
            });
        for (d, _) in waiting {
            outcomes.push(Outcome::Failed {
                source_id: d.source_id.clone(),
                reason: "waiting for its customer or a product, which could not be written \
                         (both are retried on the next run)"
                    .into(),
            });
        }
        let inputs: Vec<Input> = records
            .iter()
            .map(|(d, _)| Input {
                source_id: d.source_id.clone(),
                id: d.source_id.clone(),
                properties: properties(&d.fields, None),
            })
            .collect();
        let results = batch::write(
            &self.client,
            "deals",
            Op::Upsert {
                id_property: DEAL_KEY,
            },
            inputs,
        )
        .await?;
        let mut deal_ids: HashMap<String, (String, bool)> = HashMap::new();
        for r in results {
            match r {
                InputResult::Ok {
                    source_id,
                    target_id,
                    created,
                } => {
                    deal_ids.insert(source_id, (target_id, created));
                }
                InputResult::Err {
                    source_id, reason, ..
                } => {
                    if reason.to_lowercase().contains("pipeline")
                        || reason.to_lowercase().contains("stage")
                    {
                        // The cached pipeline may have been changed by hand: check it next run.
                        let _ = self.state.set_meta(PIPELINE_META, "");
                    }
                    outcomes.push(Outcome::Failed { source_id, reason });
                }
            }
        }

        // Line items of the deals written, keyed by the Shopify line item id.
        let mut li_inputs = Vec::new();
        let mut li_owner: HashMap<String, String> = HashMap::new();
        for (desired, _) in &records {
            let (Record::Order(order), Some(_)) =
                (&desired.record, deal_ids.get(&desired.source_id))
            else {
                continue;
            };
            for li in &order.line_items {
                let product = li
                    .product_id
                    .as_deref()
                    .and_then(|p| self.state.target_id("products", p).ok().flatten());
                let fields = mapping::line_item(li, product.as_deref());
                li_owner.insert(li.id.clone(), desired.source_id.clone());
                li_inputs.push(Input {
                    source_id: li.id.clone(),
                    id: li.id.clone(),
                    properties: properties(&fields, None),
                });
            }
        }
        let mut li_ids: HashMap<String, String> = HashMap::new();
        let mut failed_deals: HashMap<String, String> = HashMap::new();
        for chunk in li_inputs.chunks(BATCH_LIMIT) {
            for r in batch::write(
                &self.client,
                "line_items",
                Op::Upsert {
                    id_property: LINE_ITEM_KEY,
                },
                chunk.to_vec(),
            )
            .await?
            {
                match r {
                    InputResult::Ok {
                        source_id,
                        target_id,
                        ..
                    } => {
                        li_ids.insert(source_id, target_id);
                    }
                    InputResult::Err {
                        source_id, reason, ..
                    } => {
                        if let Some(owner) = li_owner.get(&source_id) {
                            failed_deals
                                .insert(owner.clone(), format!("line item {source_id}: {reason}"));
                        }
                    }
                }
            }
        }
        if !li_ids.is_empty() {
            let cp = Checkpoint {
                written: li_ids
                    .iter()
                    .map(|(s, t)| LinkUpdate {
                        source_id: s.clone(),
                        target_id: t.clone(),
                        fields: Fields::new(),
                    })
                    .collect(),
                ..Default::default()
            };
            self.state.checkpoint(self.run_id, "line_items", &cp)?;
        }

        let guest_contacts = self.guest_contacts(&records, &deal_ids).await?;

        // Associations: deal -> contact, deal -> line items.
        let mut contact_pairs = Vec::new();
        let mut item_pairs = Vec::new();
        let mut pair_owner: HashMap<String, String> = HashMap::new();
        for (desired, link) in &records {
            let Some((deal_id, _)) = deal_ids.get(&desired.source_id) else {
                continue;
            };
            pair_owner.insert(deal_id.clone(), desired.source_id.clone());
            let contact = desired
                .fields
                .get("@contact")
                .filter(|_| !same_guest(desired, link.as_ref()));
            if let Some(contact) = contact {
                match contact.strip_prefix(GUEST) {
                    Some(email) => match guest_contacts.get(email) {
                        Some(Ok(contact)) => contact_pairs.push((deal_id.clone(), contact.clone())),
                        Some(Err(reason)) => {
                            failed_deals.insert(
                                desired.source_id.clone(),
                                format!("the guest's contact: {reason}"),
                            );
                        }
                        None => {
                            failed_deals.insert(
                                desired.source_id.clone(),
                                "HubSpot did not confirm the guest's contact".into(),
                            );
                        }
                    },
                    None => {
                        if let Ok(Some(contact)) = self.state.target_id("customers", contact) {
                            contact_pairs.push((deal_id.clone(), contact));
                        }
                    }
                }
            }
            if let Record::Order(order) = &desired.record {
                for li in &order.line_items {
                    if let Some(item) = li_ids.get(&li.id) {
                        item_pairs.push((deal_id.clone(), item.clone()));
                    }
                }
            }
        }
        for (deal, reason) in batch::associate(
            &self.client,
            "deals",
            "contacts",
            DEAL_TO_CONTACT,
            &contact_pairs,
        )
        .await?
        {
            if let Some(owner) = pair_owner.get(&deal) {
                failed_deals.insert(owner.clone(), format!("associating the contact: {reason}"));
            }
        }
        for (deal, reason) in batch::associate(
            &self.client,
            "deals",
            "line_items",
            DEAL_TO_LINE_ITEM,
            &item_pairs,
        )
        .await?
        {
            if let Some(owner) = pair_owner.get(&deal) {
                failed_deals.insert(owner.clone(), format!("associating line items: {reason}"));
            }
        }

        // Line items an edited order no longer has.
        let mut stale = Vec::new();
        for (desired, link) in &records {
            let Some(link) = link else { continue };
            if !deal_ids.contains_key(&desired.source_id) {
                continue;
            }
            let now: HashSet<&str> = line_item_ids(&desired.fields).into_iter().collect();
            for old in line_item_ids(&link.fields) {
                if !now.contains(old) {
                    if let Ok(Some(t)) = self.state.target_id("line_items", old) {
                        stale.push((old.to_string(), t));
                    }
                }
            }
        }
        if !stale.is_empty() {
            let ids: Vec<String> = stale.iter().map(|(_, t)| t.clone()).collect();
            batch::archive(&self.client, "line_items", &ids).await?;
            let cp = Checkpoint {
                deleted: stale.into_iter().map(|(s, _)| s).collect(),
                ..Default::default()
            };
            self.state.checkpoint(self.run_id, "line_items", &cp)?;
        }

        let mut waiting = Vec::new();
        for (desired, _) in records {
            let Some((target_id, created)) = deal_ids.remove(&desired.source_id) else {
                continue;
            };
            if let Record::Order(order) = &desired.record {
                // Its customer has no contact yet (not synced yet): associated when it has one.
                if let Some(cid) = &order.customer_id {
                    if !desired.fields.contains_key("@contact") {
                        waiting.push(Waiting {
                            stream: "orders".into(),
                            source_id: desired.source_id.clone(),
                            needs_stream: "customers".into(),
                            needs_id: cid.clone(),
                            owner: desired.source_id.clone(),
                        });
                    }
                }
                // Line items written before their product: given it when it is synced.
                for li in &order.line_items {
                    let Some(product) = &li.product_id else {
                        continue;
                    };
                    if li_ids.contains_key(&li.id)
                        && self.state.target_id("products", product)?.is_none()
                    {
                        waiting.push(Waiting {
                            stream: "line_items".into(),
                            source_id: li.id.clone(),
                            needs_stream: "products".into(),
                            needs_id: product.clone(),
                            owner: desired.source_id.clone(),
                        });
                    }
                }
            }
            match failed_deals.remove(&desired.source_id) {
                // The deal exists but is incomplete: retried next run (the upsert finds it again).
                Some(reason) => outcomes.push(Outcome::Failed {
                    source_id: desired.source_id.clone(),
                    reason,
                }),
                None => outcomes.push(Outcome::Written {
                    source_id: desired.source_id.clone(),
                    target_id,
                    created,
                    fields: None,
                }),
            }
        }
        self.state.add_waiting(&waiting)?;
        Ok(outcomes)
    }

    /// The contacts of guest orders (no customer, an e-mail) among the deals written, found or
    /// made by e-mail with nothing but the e-mail, so an existing contact keeps every value it
    /// has: e-mail -> contact id, or HubSpot's reason for refusing it (its deals fail).
    async fn guest_contacts(
        &self,
        records: &[&(Desired, Option<Link>)],
        deal_ids: &HashMap<String, (String, bool)>,
    ) -> Result<HashMap<String, Result<String, String>>, TargetError> {
        let emails: BTreeSet<&str> = records
            .iter()
            .filter(|(d, _)| deal_ids.contains_key(&d.source_id))
            .filter(|(d, link)| !same_guest(d, link.as_ref()))
            .filter_map(|(d, _)| d.fields.get("@contact")?.strip_prefix(GUEST))
            .collect();
        let inputs: Vec<Input> = emails
            .into_iter()
            .map(|email| {
                let mut fields = Fields::new();
                fields.insert("email".into(), email.to_string());
                Input {
                    source_id: email.to_string(),
                    id: email.to_string(),
                    properties: properties(&fields, None),
                }
            })
            .collect();
        let mut out = HashMap::new();
        for chunk in inputs.chunks(BATCH_LIMIT) {
            let results = batch::write(
                &self.client,
                "contacts",
                Op::Upsert {
                    id_property: "email",
                },
                chunk.to_vec(),
            )
            .await?;
            for r in results {
                match r {
                    InputResult::Ok {
                        source_id,
                        target_id,
                        ..
                    } => out.insert(source_id, Ok(target_id)),
                    InputResult::Err {
                        source_id, reason, ..
                    } => out.insert(source_id, Err(reason)),
                };
            }
        }
        Ok(out)
    }

    /// Links the records written before a record they point at was synced, now that it is:
    /// deals with their customer's contact, line items with their product. Those HubSpot
    /// refuses wait on. Returns how many of each were linked.
    pub async fn complete_waiting(&self) -> Result<Completed, TargetError> {
        let mut completed = Completed::default();
        let ready = self.state.waiting_ready("orders", "customers")?;
        for chunk in ready.chunks(BATCH_LIMIT) {
            let pairs: Vec<(String, String)> = chunk
                .iter()
                .map(|r| (r.target_id.clone(), r.needs_target_id.clone()))
                .collect();
            let refused: HashSet<String> =
                batch::associate(&self.client, "deals", "contacts", DEAL_TO_CONTACT, &pairs)
                    .await?
                    .into_iter()
                    .map(|(deal, _)| deal)
                    .collect();
            let associated: Vec<Ready> = chunk
                .iter()
                .filter(|r| !refused.contains(&r.target_id))
                .cloned()
                .collect();
            completed.contacts += associated.len();
            self.state
                .waiting_resolved("orders", "customers", "orders", &associated, |f, r| {
                    f.insert("@contact".into(), r.needs_id.clone());
                })?;
        }
        let ready = self.state.waiting_ready("line_items", "products")?;
        for chunk in ready.chunks(BATCH_LIMIT) {
            let inputs = chunk
                .iter()
                .map(|r| {
                    let mut fields = Fields::new();
                    fields.insert("hs_product_id".into(), r.needs_target_id.clone());
                    Input {
                        source_id: r.source_id.clone(),
                        id: r.target_id.clone(),
                        properties: properties(&fields, None),
                    }
                })
                .collect();
            let updated: HashSet<String> =
                batch::write(&self.client, "line_items", Op::Update, inputs)
                    .await?
                    .into_iter()
                    .filter_map(|r| match r {
                        InputResult::Ok { source_id, .. } => Some(source_id),
                        InputResult::Err { .. } => None,
                    })
                    .collect();
            let linked: Vec<Ready> = chunk
                .iter()
                .filter(|r| updated.contains(&r.source_id))
                .cloned()
                .collect();
            completed.products += linked.len();
            self.state
                .waiting_resolved("line_items", "products", "orders", &linked, |f, r| {
                    if let Some(items) = f.get("@line_items") {
                        let items = with_product(items, &r.source_id, &r.needs_target_id);
                        f.insert("@line_items".into(), items);
                    }
                })?;
        }
        Ok(completed)
    }
}

/// What [`HubSpotTarget::complete_waiting`] linked.
#[derive(Debug, Default, Clone, Copy)]
pub struct Completed {
    /// Deals given their customer's contact.
    pub contacts: usize,
    /// Line items given their product.
    pub products: usize,
}

/// `@contact` of a guest order: its e-mail, marked (a customer's is its Shopify id).
const GUEST: &str = "guest:";

fn guest_contact(email: &str) -> String {
    format!("{GUEST}{}", email.to_lowercase())
}

/// A deal written before for the same guest: its contact was found (or made) and associated
/// then. It is not looked up again, so a guest contact someone deleted in HubSpot since is not
/// made again by a later change of the order (the deal keeps no contact).
fn same_guest(desired: &Desired, link: Option<&Link>) -> bool {
    let Some(contact) = desired.fields.get("@contact") else {
        return false;
    };
    contact.starts_with(GUEST) && link.and_then(|l| l.fields.get("@contact")) == Some(contact)
}

/// A deal's `@line_items` (one `id|name|sku|quantity|price|product` line per item) with line
/// item `id` pointing at `product`.
fn with_product(items: &str, id: &str, product: &str) -> String {
    items
        .lines()
        .map(|line| match line.rsplit_once('|') {
            Some((rest, _)) if line.split('|').next() == Some(id) => format!("{rest}|{product}"),
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn line_item_ids(fields: &Fields) -> Vec<&str> {
    fields
        .get("@line_items")
        .map(|s| s.lines().filter_map(|l| l.split('|').next()).collect())
        .unwrap_or_default()
}

/// The fields HubSpot stores: associations (`@...`) left out; with `old`, only what changed.
fn properties(fields: &Fields, old: Option<&Fields>) -> serde_json::Map<String, Value> {
    let value = |(k, v): (String, String)| (!k.starts_with('@')).then_some((k, Value::String(v)));
    match old {
        Some(old) => diff(old, fields)
            .into_iter()
            .filter_map(|c| value((c.field, c.new?)))
            .collect(),
        None => fields
            .iter()
            .filter_map(|(k, v)| value((k.clone(), v.clone())))
            .collect(),
    }
}

fn to_outcomes(
    results: Vec<InputResult>,
    fields: &HashMap<&str, &Fields>,
    gone_is_tombstone: bool,
    ids: &HashMap<String, String>,
) -> Vec<Outcome> {
    results
        .into_iter()
        .map(|r| match r {
            InputResult::Ok {
                source_id,
                target_id,
                created,
            } => {
                // The desired fields: the engine has them (`None`); nothing, for a record
                // not among them.
                let fields = (!fields.contains_key(source_id.as_str())).then(Fields::new);
                Outcome::Written {
                    source_id,
                    target_id,
                    created,
                    fields,
                }
            }
            InputResult::Err {
                source_id,
                not_found: true,
                ..
            } if gone_is_tombstone => {
                let target_id = ids.get(&source_id).cloned().unwrap_or_default();
                Outcome::Gone {
                    source_id,
                    target_id,
                    reason: "deleted in HubSpot; never created again".into(),
                }
            }
            InputResult::Err {
                source_id, reason, ..
            } => Outcome::Failed { source_id, reason },
        })
        .collect()
}

impl Target for HubSpotTarget {
    async fn prepare(&self, streams: &[Stream], dry_run: bool) -> Result<(), TargetError> {
        for object in Self::objects(streams) {
            // Checked once per account (and again when shopsync needs new properties).
            let key = format!("{PROPERTIES_META}.{object}");
            if self.state.meta(&key)?.as_deref() == Some(PROPERTIES_VERSION) {
                continue;
            }
            let missing = schema::missing_properties(&self.client, object).await?;
            if !missing.is_empty() {
                if dry_run {
                    self.unprepared.lock().unwrap().insert(object);
                    continue;
                }
                schema::create_properties(&self.client, object, &missing).await?;
            }
            self.state.set_meta(&key, PROPERTIES_VERSION)?;
        }
        if streams.contains(&Stream::Orders) {
            let cached: Option<DealPipeline> = self
                .state
                .meta(PIPELINE_META)?
                .and_then(|s| serde_json::from_str(&s).ok());
            let pipeline = match cached {
                Some(p) => Some(p),
                None if dry_run => schema::find_pipeline(&self.client, &self.pipeline_label)
                    .await?
                    .filter(|(_, missing)| missing.is_empty())
                    .map(|(p, _)| p),
                None => {
                    let p = schema::ensure_pipeline(&self.client, &self.pipeline_label).await?;
                    self.state.set_meta(
                        PIPELINE_META,
                        &serde_json::to_string(&p).unwrap_or_default(),
                    )?;
                    Some(p)
                }
            };
            *self.pipeline.lock().unwrap() = pipeline;
        }
        Ok(())
    }

    fn desired(&self, record: Record) -> Result<Desired, Skip> {
        let (source_id, label, fields) = match &record {
            Record::Customer(c) => {
                let Some(email) = c.email.clone() else {
                    let name = [c.first_name.as_deref(), c.last_name.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ");
                    return Err(Skip {
                        source_id: c.id.clone(),
                        label: if name.is_empty() { c.id.clone() } else { name },
                        reason: "no e-mail address: HubSpot contacts are matched by e-mail".into(),
                    });
                };
                (c.id.clone(), email, mapping::contact(c))
            }
            Record::Product(p) => (p.id.clone(), p.title.clone(), mapping::product(p)),
            Record::Order(o) => (o.id.clone(), o.name.clone(), self.order_fields(o)),
        };
        Ok(Desired {
            source_id,
            label,
            fields,
            record,
        })
    }

    async fn current(
        &self,
        stream: Stream,
        records: &[&Desired],
    ) -> Result<HashMap<String, (String, Fields)>, TargetError> {
        let object = object_of(stream);
        if self.unprepared.lock().unwrap().contains(object) && stream != Stream::Customers {
            return Ok(HashMap::new()); // the key property does not exist yet: all are new
        }
        let (id_property, key_of): (&str, fn(&Desired) -> Option<String>) = match stream {
            Stream::Customers => ("email", |d| d.fields.get("email").cloned()),
            Stream::Products => (PRODUCT_KEY, |d| Some(d.source_id.clone())),
            Stream::Orders => (DEAL_KEY, |d| Some(d.source_id.clone())),
        };
        // E-mails are matched without regard to case, as HubSpot does; the Shopify ids of the
        // custom unique properties exactly (a lowercased gid finds nothing).
        let normal = |k: &str| {
            if stream == Stream::Customers {
                k.to_lowercase()
            } else {
                k.to_string()
            }
        };
        let mut by_key: HashMap<String, &Desired> = HashMap::new();
        for d in records {
            if let Some(k) = key_of(d) {
                by_key.insert(normal(&k), d);
            }
        }
        let names: HashSet<&str> = records
            .iter()
            .flat_map(|d| d.fields.keys().map(String::as_str))
            .filter(|k| !k.starts_with('@'))
            .collect();
        let body = json!({
            "idProperty": id_property,
            "properties": names.into_iter().collect::<Vec<_>>(),
            "propertiesWithHistory": [],
            "inputs": by_key.keys().map(|k| json!({ "id": k })).collect::<Vec<_>>(),
        });
        let answer = self
            .client
            .post(
                &format!("/crm/objects/{API_VERSION}/{object}/batch/read"),
                &body,
            )
            .await?;
        let mut out = HashMap::new();
        if !answer.ok() {
            return Ok(out); // none of them exist (HubSpot answers 404 when no id is found)
        }
        for result in answer.body["results"].as_array().into_iter().flatten() {
            let props = &result["properties"];
            let Some(key) = props[id_property].as_str().map(normal) else {
                continue;
            };
            let Some(d) = by_key.get(&key) else { continue };
            let fields: Fields = d
                .fields
                .keys()
                .filter_map(|k| {
                    props[k]
                        .as_str()
                        .filter(|v| !v.is_empty())
                        .map(|v| (k.clone(), v.to_string()))
                })
                .collect();
            out.insert(
                d.source_id.clone(),
                (
                    result["id"].as_str().unwrap_or_default().to_string(),
                    fields,
                ),
            );
        }
        Ok(out)
    }

    async fn write(
        &self,
        stream: Stream,
        records: &[(Desired, Option<Link>)],
    ) -> Result<Vec<Outcome>, TargetError> {
        let fields: HashMap<&str, &Fields> = records
            .iter()
            .map(|(d, _)| (d.source_id.as_str(), &d.fields))
            .collect();
        match stream {
            Stream::Customers => {
                // Linked contacts are updated by id, so a contact deleted in HubSpot is noticed
                // (and never re-created); new ones are upserted by e-mail.
                let mut updates = Vec::new();
                let mut upserts = Vec::new();
                let mut ids = HashMap::new();
                for (d, link) in records {
                    match link {
                        Some(link) => {
                            ids.insert(d.source_id.clone(), link.target_id.clone());
                            updates.push(Input {
                                source_id: d.source_id.clone(),
                                id: link.target_id.clone(),
                                properties: properties(&d.fields, Some(&link.fields)),
                            });
                        }
                        None => upserts.push(Input {
                            source_id: d.source_id.clone(),
                            id: d.fields.get("email").cloned().unwrap_or_default(),
                            properties: properties(&d.fields, None),
                        }),
                    }
                }
                let mut results =
                    batch::write(&self.client, "contacts", Op::Update, updates).await?;
                results.extend(
                    batch::write(
                        &self.client,
                        "contacts",
                        Op::Upsert {
                            id_property: "email",
                        },
                        upserts,
                    )
                    .await?,
                );
                Ok(to_outcomes(results, &fields, true, &ids))
            }
            Stream::Products => {
                let inputs = records
                    .iter()
                    .map(|(d, link)| Input {
                        source_id: d.source_id.clone(),
                        id: d.source_id.clone(),
                        properties: properties(&d.fields, link.as_ref().map(|l| &l.fields)),
                    })
                    .collect();
                let results = batch::write(
                    &self.client,
                    "products",
                    Op::Upsert {
                        id_property: PRODUCT_KEY,
                    },
                    inputs,
                )
                .await?;
                Ok(to_outcomes(results, &fields, false, &HashMap::new()))
            }
            Stream::Orders => self.write_orders(records).await,
        }
    }

    async fn delete(
        &self,
        stream: Stream,
        records: Vec<(String, Link)>,
    ) -> Result<Vec<Outcome>, TargetError> {
        let object = object_of(stream);
        let ids: Vec<String> = records.iter().map(|(_, l)| l.target_id.clone()).collect();
        batch::archive(&self.client, object, &ids).await?;
        if stream == Stream::Orders {
            let mut items = Vec::new();
            let mut sources = Vec::new();
            for (_, link) in &records {
                for li in line_item_ids(&link.fields) {
                    if let Some(t) = self.state.target_id("line_items", li)? {
                        items.push(t);
                        sources.push(li.to_string());
                    }
                }
            }
            batch::archive(&self.client, "line_items", &items).await?;
            self.state.checkpoint(
                self.run_id,
                "line_items",
                &Checkpoint {
                    deleted: sources,
                    ..Default::default()
                },
            )?;
        }
        Ok(records
            .into_iter()
            .map(|(source_id, _)| Outcome::Deleted { source_id })
            .collect())
    }

    fn deletes_follow_source(&self, stream: Stream) -> bool {
        // Deleting a customer in Shopify does not delete the HubSpot contact.
        stream != Stream::Customers
    }

    fn batch_size(&self) -> usize {
        BATCH_LIMIT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_item_is_given_its_product_and_the_others_are_kept() {
        let items = "li1|Mug|M-1|2|9.50|\nli2|Cap | blue|C-1|1|12.00|p7\nli10|Pen||1||";
        assert_eq!(
            with_product(items, "li1", "p9"),
            "li1|Mug|M-1|2|9.50|p9\nli2|Cap | blue|C-1|1|12.00|p7\nli10|Pen||1||"
        );
        // A name with a `|` in it does not move the product column.
        assert_eq!(
            with_product(items, "li2", "p8"),
            "li1|Mug|M-1|2|9.50|\nli2|Cap | blue|C-1|1|12.00|p8\nli10|Pen||1||"
        );
    }
}
