//! The in-memory CRM: records per object type with their indexes, property definitions,
//! pipelines and associations, and the write rules every path (API and handle) goes through.
//!
//! Sized for a million contacts: records live in a `BTreeMap` by id (paging is a range
//! query), property values are kept as a small sorted vector keyed by the property's index
//! (no per-record hash map, no repeated property names), and every unique property (plus the
//! contact e-mail) has a value -> id index, so lookups by id, e-mail or unique value never scan.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::associations;
use super::errors::PropError;
use super::pipelines::{default_deal_pipeline, Pipeline};
use super::properties::{
    normalize_value, standard_groups, standard_properties, value_text, PropertyDef, PropertyGroup,
};
use super::Record;

pub(crate) fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// `2019-10-30T03:30:17.883Z`, the form of HubSpot's timestamps.
pub(crate) fn iso_ms(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|d| d.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
        .unwrap_or_default()
}

/// The object types the fake serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum ObjectType {
    Contacts,
    Products,
    Deals,
    LineItems,
}

impl ObjectType {
    pub const ALL: [ObjectType; 4] = [
        ObjectType::Contacts,
        ObjectType::Products,
        ObjectType::Deals,
        ObjectType::LineItems,
    ];

    /// Names, singular names and type ids (`0-1` contacts, `0-7` products, `0-3` deals, `0-8`
    /// line items: "understanding the CRM").
    pub fn parse(s: &str) -> Option<ObjectType> {
        match s.to_ascii_lowercase().as_str() {
            "contacts" | "contact" | "0-1" => Some(ObjectType::Contacts),
            "products" | "product" | "0-7" => Some(ObjectType::Products),
            "deals" | "deal" | "0-3" => Some(ObjectType::Deals),
            "line_items" | "line_item" | "lineitems" | "lineitem" | "0-8" => {
                Some(ObjectType::LineItems)
            }
            _ => None,
        }
    }

    pub fn idx(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            ObjectType::Contacts => "contacts",
            ObjectType::Products => "products",
            ObjectType::Deals => "deals",
            ObjectType::LineItems => "line_items",
        }
    }

    pub fn type_id(self) -> &'static str {
        match self {
            ObjectType::Contacts => "0-1",
            ObjectType::Products => "0-7",
            ObjectType::Deals => "0-3",
            ObjectType::LineItems => "0-8",
        }
    }

    /// The upper-case name HubSpot uses in messages ("Could not get some CONTACT objects").
    pub fn upper(self) -> &'static str {
        match self {
            ObjectType::Contacts => "CONTACT",
            ObjectType::Products => "PRODUCT",
            ObjectType::Deals => "DEAL",
            ObjectType::LineItems => "LINE_ITEM",
        }
    }

    pub fn singular(self) -> &'static str {
        match self {
            ObjectType::Contacts => "contact",
            ObjectType::Products => "product",
            ObjectType::Deals => "deal",
            ObjectType::LineItems => "line item",
        }
    }

    /// Contacts keep `lastmodifieddate`; the other objects `hs_lastmodifieddate`.
    pub fn lastmod(self) -> &'static str {
        match self {
            ObjectType::Contacts => "lastmodifieddate",
            _ => "hs_lastmodifieddate",
        }
    }

    /// Properties returned when a read names none (the spec's descriptions of the basic GET:
    /// contacts firstname/lastname/email; deals dealname/amount/closedate/pipeline/dealstage;
    /// products name/description/price), plus the three every record carries. Line items: this
    /// fake's reading (name, price, quantity, amount, hs_product_id).
    pub fn default_props(self) -> &'static [&'static str] {
        match self {
            ObjectType::Contacts => &[
                "createdate",
                "email",
                "firstname",
                "hs_object_id",
                "lastmodifieddate",
                "lastname",
            ],
            ObjectType::Products => &[
                "createdate",
                "description",
                "hs_lastmodifieddate",
                "hs_object_id",
                "name",
                "price",
            ],
            ObjectType::Deals => &[
                "amount",
                "closedate",
                "createdate",
                "dealname",
                "dealstage",
                "hs_lastmodifieddate",
                "hs_object_id",
                "pipeline",
            ],
            ObjectType::LineItems => &[
                "amount",
                "createdate",
                "hs_lastmodifieddate",
                "hs_object_id",
                "hs_product_id",
                "name",
                "price",
                "quantity",
            ],
        }
    }
}

/// One record. Property values sit in one allocation, sorted by property index: for each, the
/// index (u16), the length (u32) and the UTF-8 bytes.
#[derive(Debug, Clone)]
pub(crate) struct Rec {
    pub id: u64,
    data: Box<[u8]>,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub archived_ms: Option<i64>,
}

/// The (property index, value) pairs of a record, by index.
pub(crate) struct PropIter<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for PropIter<'a> {
    type Item = (u32, &'a str);

    fn next(&mut self) -> Option<(u32, &'a str)> {
        let d = self.data;
        if self.pos + 6 > d.len() {
            return None;
        }
        let k = u16::from_le_bytes([d[self.pos], d[self.pos + 1]]) as u32;
        let len = u32::from_le_bytes([
            d[self.pos + 2],
            d[self.pos + 3],
            d[self.pos + 4],
            d[self.pos + 5],
        ]) as usize;
        let start = self.pos + 6;
        self.pos = start + len;
        let v = std::str::from_utf8(d.get(start..start + len)?).unwrap_or_default();
        Some((k, v))
    }
}

impl Rec {
    fn new(id: u64, now: i64) -> Rec {
        Rec {
            id,
            data: Box::default(),
            created_ms: now,
            updated_ms: now,
            archived_ms: None,
        }
    }

    pub fn iter(&self) -> PropIter<'_> {
        PropIter {
            data: &self.data,
            pos: 0,
        }
    }

    pub fn get(&self, k: u32) -> Option<&str> {
        self.iter().find(|(p, _)| *p == k).map(|(_, v)| v)
    }

    /// Applies changes (`None` clears a property) in one rewrite.
    fn rewrite(&mut self, changes: &[(u32, Option<Box<str>>)]) {
        let mut entries: BTreeMap<u32, &str> = self.iter().collect();
        for (k, v) in changes {
            match v {
                Some(v) => {
                    entries.insert(*k, v);
                }
                None => {
                    entries.remove(k);
                }
            }
        }
        let mut data = Vec::with_capacity(entries.values().map(|v| 6 + v.len()).sum());
        for (k, v) in entries {
            data.extend_from_slice(&(k as u16).to_le_bytes());
            data.extend_from_slice(&(v.len() as u32).to_le_bytes());
            data.extend_from_slice(v.as_bytes());
        }
        self.data = data.into_boxed_slice();
    }
}

/// The property changes of one write: property index -> new value (`None` clears).
pub(crate) type Changes = Vec<(u32, Option<Box<str>>)>;

/// One object type's records, definitions and indexes.
pub(crate) struct ObjectStore {
    pub ot: ObjectType,
    pub defs: Vec<PropertyDef>,
    by_name: HashMap<String, u32>,
    pub groups: Vec<PropertyGroup>,
    pub live: BTreeMap<u64, Rec>,
    pub archived: BTreeMap<u64, Rec>,
    /// Value -> record id for each unique property (and the contact e-mail), live records only.
    unique: HashMap<u32, HashMap<Box<str>, u64>>,
    next_id: u64,
    pub k_object_id: u32,
    pub k_createdate: u32,
    pub k_lastmod: u32,
}

/// First record id handed out. Above 2^32 on purpose: HubSpot ids are large and a client that
/// squeezes them into 32 bits must fail here, not in production.
const FIRST_ID: u64 = 30_000_000_001;

impl ObjectStore {
    fn new(ot: ObjectType) -> ObjectStore {
        let mut os = ObjectStore {
            ot,
            defs: Vec::new(),
            by_name: HashMap::new(),
            groups: standard_groups(ot),
            live: BTreeMap::new(),
            archived: BTreeMap::new(),
            unique: HashMap::new(),
            next_id: FIRST_ID,
            k_object_id: 0,
            k_createdate: 0,
            k_lastmod: 0,
        };
        for def in standard_properties(ot) {
            os.add_property(def);
        }
        if ot == ObjectType::Contacts {
            let k = os.by_name["email"];
            os.unique.entry(k).or_default();
        }
        os.k_object_id = os.by_name["hs_object_id"];
        os.k_createdate = os.by_name["createdate"];
        os.k_lastmod = os.by_name[ot.lastmod()];
        os
    }

    pub fn add_property(&mut self, def: PropertyDef) -> u32 {
        let k = self.defs.len() as u32;
        assert!(k < u16::MAX as u32, "too many properties");
        if def.has_unique_value {
            self.unique.entry(k).or_default();
        }
        self.by_name.insert(def.name.clone(), k);
        self.defs.push(def);
        k
    }

    pub fn prop(&self, name: &str) -> Option<(u32, &PropertyDef)> {
        self.by_name
            .get(name)
            .map(|k| (*k, &self.defs[*k as usize]))
    }

    pub fn key(&self, name: &str) -> Option<u32> {
        self.by_name.get(name).copied()
    }

    pub fn name_of(&self, k: u32) -> &str {
        &self.defs[k as usize].name
    }

    /// The property usable as `idProperty`: one with `hasUniqueValue`, or `email` on contacts.
    pub fn id_property(&self, name: &str) -> Option<u32> {
        let k = self.key(name)?;
        self.unique.contains_key(&k).then_some(k)
    }

    pub fn is_indexed(&self, k: u32) -> bool {
        self.unique.contains_key(&k)
    }

    /// The live record holding `value` in the indexed property `k`.
    pub fn lookup(&self, k: u32, value: &str) -> Option<u64> {
        let idx = self.unique.get(&k)?;
        if self.ot == ObjectType::Contacts && self.defs[k as usize].name == "email" {
            idx.get(value.trim().to_lowercase().as_str()).copied()
        } else {
            idx.get(value).copied()
        }
    }

    /// A property's value on a record, computed ones included (`hs_object_id`, `createdate`,
    /// the last-modified date).
    pub fn value<'a>(&self, rec: &'a Rec, k: u32) -> Option<Cow<'a, str>> {
        if k == self.k_object_id {
            Some(Cow::Owned(rec.id.to_string()))
        } else if k == self.k_lastmod {
            Some(Cow::Owned(iso_ms(rec.updated_ms)))
        } else if k == self.k_createdate {
            Some(
                rec.get(k)
                    .map(Cow::Borrowed)
                    .unwrap_or_else(|| Cow::Owned(iso_ms(rec.created_ms))),
            )
        } else {
            rec.get(k).map(Cow::Borrowed)
        }
    }

    pub fn find(&self, id: u64, archived: bool) -> Option<&Rec> {
        if archived {
            self.archived.get(&id)
        } else {
            self.live.get(&id)
        }
    }

    /// Every property of a record, for the handle.
    pub fn to_record(&self, rec: &Rec) -> Record {
        let mut properties = BTreeMap::new();
        for (k, v) in rec.iter() {
            properties.insert(self.name_of(k).to_string(), v.to_string());
        }
        for k in [self.k_object_id, self.k_createdate, self.k_lastmod] {
            if let Some(v) = self.value(rec, k) {
                properties.insert(self.name_of(k).to_string(), v.into_owned());
            }
        }
        Record {
            id: rec.id.to_string(),
            properties,
            created_at: iso_ms(rec.created_ms),
            updated_at: iso_ms(rec.updated_ms),
            archived: rec.archived_ms.is_some(),
        }
    }

    fn index_insert(&mut self, rec_id: u64, k: u32, v: &str) {
        if let Some(idx) = self.unique.get_mut(&k) {
            idx.insert(v.into(), rec_id);
        }
    }

    fn index_remove(&mut self, rec_id: u64, k: u32, v: &str) {
        if let Some(idx) = self.unique.get_mut(&k) {
            if idx.get(v) == Some(&rec_id) {
                idx.remove(v);
            }
        }
    }

    fn apply(&mut self, id: u64, changes: Changes, now: i64) {
        let Some(mut rec) = self.live.remove(&id) else {
            return;
        };
        for (k, v) in &changes {
            if let Some(old) = rec.get(*k).map(str::to_string) {
                self.index_remove(id, *k, &old);
            }
            if let Some(new) = v {
                self.index_insert(id, *k, new);
            }
        }
        rec.rewrite(&changes);
        rec.updated_ms = now.max(rec.updated_ms);
        if self.ot == ObjectType::LineItems {
            self.derive_line_item(&mut rec);
        }
        self.live.insert(id, rec);
    }

    /// `amount` ("Net price") of a line item: unit price less the unit discount (or the
    /// discount percentage), times the quantity.
    fn derive_line_item(&self, rec: &mut Rec) {
        let num = |name: &str| {
            self.key(name)
                .and_then(|k| rec.get(k))
                .and_then(|v| v.parse::<f64>().ok())
        };
        let Some(k_amount) = self.key("amount") else {
            return;
        };
        let amount = match (num("price"), num("quantity")) {
            (Some(price), Some(qty)) => {
                let unit = match (num("discount"), num("hs_discount_percentage")) {
                    (Some(d), _) => price - d,
                    (None, Some(p)) => price * (1.0 - p / 100.0),
                    (None, None) => price,
                };
                Some(format_number(unit * qty).into_boxed_str())
            }
            _ => None,
        };
        rec.rewrite(&[(k_amount, amount)]);
    }
}

/// A number as HubSpot prints it: no exponent, no trailing zeros.
pub(crate) fn format_number(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// A value that is already taken by another record.
#[derive(Debug, Clone)]
pub(crate) struct Conflict {
    pub message: String,
}

/// Association key: (from type, from id, to type).
type AssocKey = (ObjectType, u64, ObjectType);

/// The whole account.
pub(crate) struct Store {
    objects: Vec<ObjectStore>,
    pub pipelines: Vec<Pipeline>,
    pub next_pipeline_id: u64,
    /// Last stage id handed out (ids are unique across pipelines).
    pub next_stage_id: u64,
    assoc: HashMap<AssocKey, BTreeMap<u64, Vec<u32>>>,
}

impl Store {
    pub fn new() -> Store {
        Store {
            objects: ObjectType::ALL
                .iter()
                .map(|ot| ObjectStore::new(*ot))
                .collect(),
            pipelines: vec![default_deal_pipeline()],
            next_pipeline_id: 75_000_001,
            next_stage_id: 1_234_000,
            assoc: HashMap::new(),
        }
    }

    pub fn obj(&self, ot: ObjectType) -> &ObjectStore {
        &self.objects[ot.idx()]
    }

    pub fn obj_mut(&mut self, ot: ObjectType) -> &mut ObjectStore {
        &mut self.objects[ot.idx()]
    }

    /// Checks the `properties` of a write and turns them into changes. `existing` is the record
    /// an update applies to (`None` for a create).
    pub fn prepare(
        &self,
        ot: ObjectType,
        input: &Map<String, Value>,
        existing: Option<u64>,
    ) -> Result<Changes, Vec<PropError>> {
        let os = self.obj(ot);
        let mut changes: Changes = Vec::with_capacity(input.len());
        let mut errors = Vec::new();
        for (name, v) in input {
            let Some((k, def)) = os.prop(name) else {
                errors.push(PropError::doesnt_exist(name));
                continue;
            };
            let Some(text) = value_text(v) else {
                errors.push(PropError::new(
                    name,
                    "INVALID_TYPE",
                    format!("{v} is not a valid value for {name}"),
                ));
                continue;
            };
            if def.read_only_value {
                // "Read-only and non-existent properties will result in an error" (batch update spec).
                errors.push(PropError::new(
                    name,
                    "READ_ONLY_VALUE",
                    format!("Property \"{name}\" is read-only"),
                ));
                continue;
            }
            match normalize_value(ot, def, &text) {
                Ok(v) => changes.push((k, v.map(String::into_boxed_str))),
                Err(e) => errors.push(e),
            }
        }
        match ot {
            ObjectType::Deals => self.deal_rules(&mut changes, existing, &mut errors),
            ObjectType::LineItems => self.line_item_rules(&mut changes, existing, &mut errors),
            _ => {}
        }
        if errors.is_empty() {
            Ok(changes)
        } else {
            Err(errors)
        }
    }

    /// `pipeline` must name an existing pipeline and `dealstage` one of its stages; a deal
    /// created without a pipeline goes to `default` ("If a pipeline isn't specified, the default
    /// pipeline will be used", deals guide); a create needs a `dealstage` (this fake's strict
    /// reading of "you should include dealname, dealstage").
    fn deal_rules(
        &self,
        changes: &mut Changes,
        existing: Option<u64>,
        errors: &mut Vec<PropError>,
    ) {
        let os = self.obj(ObjectType::Deals);
        let (Some(kp), Some(ks)) = (os.key("pipeline"), os.key("dealstage")) else {
            return;
        };
        let rec = existing.and_then(|id| os.live.get(&id));
        let new_p = changes
            .iter()
            .find(|(k, _)| *k == kp)
            .map(|(_, v)| v.clone());
        let new_s = changes
            .iter()
            .find(|(k, _)| *k == ks)
            .map(|(_, v)| v.clone());
        if rec.is_some() && new_p.is_none() && new_s.is_none() {
            return;
        }
        let pipeline: Option<String> = match &new_p {
            Some(v) => v.as_deref().map(str::to_string),
            None => rec.and_then(|r| r.get(kp)).map(str::to_string),
        };
        let pipeline = match pipeline {
            Some(p) => p,
            None if rec.is_none() && new_p.is_none() => {
                changes.push((kp, Some("default".into())));
                "default".to_string()
            }
            None => {
                errors.push(PropError::new(
                    "pipeline",
                    "INVALID_OPTION",
                    "A deal must be in a pipeline",
                ));
                return;
            }
        };
        let live: Vec<&Pipeline> = self
            .pipelines
            .iter()
            .filter(|p| !p.archived && p.object_type == "deals")
            .collect();
        let Some(p) = live.iter().find(|p| p.id == pipeline) else {
            let ids: Vec<&str> = live.iter().map(|p| p.id.as_str()).collect();
            errors.push(PropError::new(
                "pipeline",
                "INVALID_OPTION",
                format!(
                    "{pipeline} was not one of the allowed options: [{}]",
                    ids.join(", ")
                ),
            ));
            return;
        };
        let stage: Option<String> = match &new_s {
            Some(v) => v.as_deref().map(str::to_string),
            None => rec.and_then(|r| r.get(ks)).map(str::to_string),
        };
        let stage_ids: Vec<&str> = p
            .stages
            .iter()
            .filter(|s| !s.archived)
            .map(|s| s.id.as_str())
            .collect();
        match stage {
            None => errors.push(PropError::new(
                "dealstage",
                "REQUIRED_PROPERTY",
                format!(
                    "dealstage is required; allowed options for pipeline {pipeline}: [{}]",
                    stage_ids.join(", ")
                ),
            )),
            Some(s) if !stage_ids.contains(&s.as_str()) => errors.push(PropError::new(
                "dealstage",
                "INVALID_OPTION",
                format!(
                    "{s} was not one of the allowed options: [{}]",
                    stage_ids.join(", ")
                ),
            )),
            Some(_) => {}
        }
    }

    /// `hs_product_id` must name a live product; a new line item takes the product's name,
    /// price, SKU, description, image and URL where the input leaves them out (line items guide:
    /// "create a line item based on an existing product").
    fn line_item_rules(
        &self,
        changes: &mut Changes,
        existing: Option<u64>,
        errors: &mut Vec<PropError>,
    ) {
        let li = self.obj(ObjectType::LineItems);
        let products = self.obj(ObjectType::Products);
        let Some(kpid) = li.key("hs_product_id") else {
            return;
        };
        let Some(Some(pid)) = changes
            .iter()
            .find(|(k, _)| *k == kpid)
            .map(|(_, v)| v.clone())
        else {
            return;
        };
        let product = pid
            .parse::<u64>()
            .ok()
            .and_then(|id| products.live.get(&id));
        let Some(product) = product else {
            errors.push(PropError::new(
                "hs_product_id",
                "OBJECT_NOT_FOUND",
                format!("Product with ID {pid} does not exist"),
            ));
            return;
        };
        if existing.is_some() {
            return;
        }
        for name in [
            "name",
            "price",
            "hs_sku",
            "description",
            "hs_images",
            "hs_url",
        ] {
            let (Some(kl), Some(kp)) = (li.key(name), products.key(name)) else {
                continue;
            };
            if changes.iter().any(|(k, _)| *k == kl) {
                continue;
            }
            if let Some(v) = product.get(kp) {
                changes.push((kl, Some(v.into())));
            }
        }
    }

    /// The first unique value of `changes` that another live record (or an earlier input of
    /// the same batch, in `claimed`) holds.
    pub fn conflict(
        &self,
        ot: ObjectType,
        changes: &Changes,
        self_id: Option<u64>,
        claimed: &HashMap<(u32, String), Option<u64>>,
    ) -> Option<Conflict> {
        let os = self.obj(ot);
        for (k, v) in changes {
            let Some(v) = v else { continue };
            if !os.is_indexed(*k) {
                continue;
            }
            let holder = match os.lookup(*k, v) {
                Some(id) if Some(id) != self_id => Some(Some(id)),
                _ => claimed
                    .get(&(*k, v.to_string()))
                    .filter(|c| **c != self_id || c.is_none())
                    .copied(),
            };
            let Some(holder) = holder else { continue };
            let name = os.name_of(*k);
            let existing = holder
                .map(|id| id.to_string())
                .unwrap_or_else(|| "(earlier input of this batch)".into());
            let message = if ot == ObjectType::Contacts && name == "email" {
                // HubSpot/hubspot-api-nodejs#545, HubSpot/hubspot-api-python#51.
                format!("Contact already exists. Existing ID: {existing}")
            } else {
                format!(
                    "A {} with {name} {v} already exists. Existing ID: {existing}",
                    ot.singular()
                )
            };
            return Some(Conflict { message });
        }
        None
    }

    /// Creates a record from checked changes and returns its id.
    pub fn create(&mut self, ot: ObjectType, changes: Changes) -> u64 {
        let now = now_ms();
        let os = self.obj_mut(ot);
        let id = os.next_id;
        os.next_id += 1;
        os.live.insert(id, Rec::new(id, now));
        os.apply(id, changes, now);
        id
    }

    /// Applies checked changes to a live record.
    pub fn update(&mut self, ot: ObjectType, id: u64, changes: Changes) {
        let now = now_ms();
        self.obj_mut(ot).apply(id, changes, now);
    }

    /// Moves a live record to the recycle bin, freeing its unique values and dropping its
    /// associations. False when there was no such live record.
    pub fn archive(&mut self, ot: ObjectType, id: u64) -> bool {
        let os = self.obj_mut(ot);
        let Some(mut rec) = os.live.remove(&id) else {
            return false;
        };
        let values: Vec<(u32, String)> = rec.iter().map(|(k, v)| (k, v.to_string())).collect();
        for (k, v) in values {
            os.index_remove(id, k, &v);
        }
        rec.archived_ms = Some(now_ms());
        os.archived.insert(id, rec);
        for to in ObjectType::ALL {
            if let Some(targets) = self.assoc.remove(&(ot, id, to)) {
                for tid in targets.keys() {
                    if let Some(back) = self.assoc.get_mut(&(to, *tid, ot)) {
                        back.remove(&id);
                    }
                }
            }
        }
        true
    }

    /// Adds an association (and its inverse). True when the pair had no such type before.
    pub fn associate(
        &mut self,
        from: ObjectType,
        fid: u64,
        to: ObjectType,
        tid: u64,
        type_id: u32,
    ) -> bool {
        let fwd = self
            .assoc
            .entry((from, fid, to))
            .or_default()
            .entry(tid)
            .or_default();
        let added = !fwd.contains(&type_id);
        if added {
            fwd.push(type_id);
            fwd.sort_unstable();
        }
        if let Some(inv) = associations::inverse(type_id) {
            let back = self
                .assoc
                .entry((to, tid, from))
                .or_default()
                .entry(fid)
                .or_default();
            if !back.contains(&inv) {
                back.push(inv);
                back.sort_unstable();
            }
        }
        added
    }

    /// Removes associations between two records (all types, or one type and its inverse).
    pub fn unassociate(
        &mut self,
        from: ObjectType,
        fid: u64,
        to: ObjectType,
        tid: u64,
        type_id: Option<u32>,
    ) {
        let mut drop_one = |a: ObjectType, aid: u64, b: ObjectType, bid: u64, t: Option<u32>| {
            if let Some(m) = self.assoc.get_mut(&(a, aid, b)) {
                match t {
                    None => {
                        m.remove(&bid);
                    }
                    Some(t) => {
                        if let Some(types) = m.get_mut(&bid) {
                            types.retain(|x| *x != t);
                            if types.is_empty() {
                                m.remove(&bid);
                            }
                        }
                    }
                }
            }
        };
        drop_one(from, fid, to, tid, type_id);
        drop_one(to, tid, from, fid, type_id.and_then(associations::inverse));
    }

    /// The associations of one record to records of one type: (to id, type ids), by to id.
    pub fn associations(&self, from: ObjectType, fid: u64, to: ObjectType) -> Vec<(u64, Vec<u32>)> {
        self.assoc
            .get(&(from, fid, to))
            .map(|m| m.iter().map(|(id, t)| (*id, t.clone())).collect())
            .unwrap_or_default()
    }

    /// Associations from one record, starting at to id `after`, at most `limit`.
    pub fn associations_page(
        &self,
        from: ObjectType,
        fid: u64,
        to: ObjectType,
        after: u64,
        limit: usize,
    ) -> (Vec<(u64, Vec<u32>)>, Option<u64>) {
        let Some(m) = self.assoc.get(&(from, fid, to)) else {
            return (Vec::new(), None);
        };
        let mut it = m.range(after..);
        let page: Vec<(u64, Vec<u32>)> = it
            .by_ref()
            .take(limit)
            .map(|(id, t)| (*id, t.clone()))
            .collect();
        let next = it.next().map(|(id, _)| *id);
        (page, next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_plainly() {
        assert_eq!(format_number(29.969999999999995), "29.97");
        assert_eq!(format_number(10.0), "10");
        assert_eq!(format_number(-0.0000001), "0");
    }

    #[test]
    fn unique_index_follows_writes() {
        let mut s = Store::new();
        let mut input = Map::new();
        input.insert("email".into(), Value::String("A@Example.com".into()));
        let ch = s.prepare(ObjectType::Contacts, &input, None).unwrap();
        let id = s.create(ObjectType::Contacts, ch);
        let k = s.obj(ObjectType::Contacts).key("email").unwrap();
        assert_eq!(
            s.obj(ObjectType::Contacts).lookup(k, "a@example.COM"),
            Some(id)
        );
        assert!(s.archive(ObjectType::Contacts, id));
        assert_eq!(s.obj(ObjectType::Contacts).lookup(k, "a@example.com"), None);
    }
}
